//! The bodies of `POST /cocart/v2/login` and `GET /cocart/v2/store`, in CoCart's field
//! order and types (`store-login-logout.md` §1–§2, recordings 27 and 30).
//!
//! Both are plain functions of their inputs; the handler applies the filters
//! (`cocart_login_extras`, `cocart_store_address`, `cocart_routes`, ...) by passing
//! filtered inputs or replacing members of the returned object, which keeps their place.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::model::User;

/// The login route's fixed advice.
const DEV_NOTE: &str = "Don't forget to store the users login information in order to authenticate all other routes with CoCart.";
/// Avatar sizes WordPress's REST API reports.
const AVATAR_SIZES: [u32; 3] = [24, 48, 96];
/// CoCart's documentation link, added to the store object in debug mode.
const DOCUMENTATION_URL: &str = "https://ogdocs.cocartapi.com";

/// The login object for `user`. `avatars` is the request's `avatars` flag; `extras` is the
/// `cocart_login_extras` result (an empty object, array or `null` renders as `[]`, as
/// PHP's empty array does).
pub fn login_response(user: &User, avatars: bool, extras: Value) -> Value {
    let email = user.email.trim();
    let avatar_urls = if avatars {
        avatar_urls(email)
    } else {
        json!([])
    };
    json!({
        "user_id": user.id.to_string(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "display_name": escape_html(&user.display_name),
        "role": upper_first(user.role.slug()),
        "avatar_urls": avatar_urls,
        "email": email,
        "extras": php_array(extras),
        "dev_note": DEV_NOTE,
    })
}

/// `{"24": url, "48": url, "96": url}`: Gravatar images for `email` (mystery-person
/// fallback, rating G, as WordPress defaults).
fn avatar_urls(email: &str) -> Value {
    let hash = md5::compute(email.to_lowercase().as_bytes());
    let urls: Map<String, Value> = AVATAR_SIZES
        .iter()
        .map(|size| {
            let url = format!("https://secure.gravatar.com/avatar/{hash:x}?s={size}&d=mm&r=g");
            (size.to_string(), Value::String(url))
        })
        .collect();
    Value::Object(urls)
}

/// An empty PHP array serialises as `[]` whether it was meant as a list or a map.
fn php_array(value: Value) -> Value {
    match &value {
        Value::Null => json!([]),
        Value::Object(map) if map.is_empty() => json!([]),
        _ => value,
    }
}

/// PHP's `ucfirst` on an ASCII role slug.
fn upper_first(slug: &str) -> String {
    let mut chars = slug.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// WordPress's `esc_html`: escapes `< > " '` and any `&` that does not start an entity.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, c) in text.char_indices() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            '&' if !starts_with_entity(&text[index..]) => out.push_str("&amp;"),
            other => out.push(other),
        }
    }
    out
}

/// Whether `text` (starting at `&`) begins with `&name;`, `&#123;` or `&#x1F;`.
fn starts_with_entity(text: &str) -> bool {
    let Some(end) = text.find(';') else {
        return false;
    };
    let body = &text[1..end];
    if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
        !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit())
    } else if let Some(decimal) = body.strip_prefix('#') {
        !decimal.is_empty() && decimal.chars().all(|c| c.is_ascii_digit())
    } else {
        body.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && body.chars().all(|c| c.is_ascii_alphanumeric())
    }
}

/// The store's address block, in CoCart's key order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreAddress {
    /// Street address, first line.
    pub address: String,
    /// Street address, second line.
    pub address_2: String,
    /// City.
    pub city: String,
    /// WooCommerce's default country setting: `CC` or `CC:STATE` (e.g. `US:CA`).
    pub country: String,
    /// Postcode.
    pub postcode: String,
}

/// What the store object says about the site.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreInfo {
    /// Site title.
    pub title: String,
    /// Site tagline.
    pub description: String,
    /// Home URL, no trailing slash.
    pub home_url: String,
    /// Language tag, `xx-YY`.
    pub language: String,
    /// UTC offset in hours as stored: a string (`"5.5"`) or a number (`0`).
    pub gmt_offset: Value,
    /// IANA zone name, or `±HH:MM` for a manual offset.
    pub timezone_string: String,
    /// The store's address.
    pub store_address: StoreAddress,
}

/// The extra members shown in debug mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreDebug<'a> {
    /// The CoCart version cartd reports (`versions.core`).
    pub core_version: &'a str,
    /// Absolute URL the route paths are appended to, e.g.
    /// `https://shop.example/wp-json/cocart/v2/`.
    pub routes_base: &'a str,
    /// Route names and paths after the base; [`STORE_ROUTES`] is CoCart's list.
    pub routes: &'a [(&'a str, &'a str)],
}

/// The `routes` map of CoCart 4.4's store object, literally (including the
/// `sessions/{session_id}` paths, which name routes that are really `session/{key}`).
pub const STORE_ROUTES: &[(&str, &str)] = &[
    ("cart", "cart"),
    ("cart-add-item", "cart/add-item"),
    ("cart-add-items", "cart/add-items"),
    ("cart-item", "cart/item/{item_key}"),
    ("cart-items", "cart/items"),
    ("cart-items-count", "cart/items/count"),
    ("cart-calculate", "cart/calculate"),
    ("cart-clear", "cart/clear"),
    ("cart-totals", "cart/totals"),
    ("cart-update", "cart/update"),
    ("login", "login"),
    ("logout", "logout"),
    ("products", "products"),
    ("products-attributes", "products/attributes"),
    ("products-categories", "products/categories"),
    ("products-reviews", "products/reviews"),
    ("products-tags", "products/tags"),
    ("products-variations", "products/{product_id}/variations"),
    (
        "products-variation",
        "products/{product_id}/variations/{variation_id}",
    ),
    ("sessions", "sessions"),
    ("sessions-view-session", "sessions/{session_id}"),
    ("sessions-view-items", "sessions/{session_id}/items"),
    ("sessions-delete-session", "sessions/{session_id}"),
];

/// The store object. With `debug`, `versions` and `routes` come first and a help link
/// is added at the end, as CoCart does when WordPress runs in debug mode.
pub fn store_response(info: &StoreInfo, debug: Option<&StoreDebug<'_>>) -> Value {
    let mut store = Map::new();
    if let Some(debug) = debug {
        store.insert("versions".into(), json!({"core": debug.core_version}));
        let routes: Map<String, Value> = debug
            .routes
            .iter()
            .map(|(name, path)| {
                let url = format!("{}{path}", debug.routes_base);
                ((*name).to_owned(), Value::String(url))
            })
            .collect();
        store.insert("routes".into(), Value::Object(routes));
    }
    store.insert("title".into(), json!(info.title));
    store.insert("description".into(), json!(info.description));
    store.insert("home_url".into(), json!(info.home_url));
    store.insert("language".into(), json!(info.language));
    store.insert("gmt_offset".into(), info.gmt_offset.clone());
    store.insert("timezone_string".into(), json!(info.timezone_string));
    store.insert("store_address".into(), json!(info.store_address));
    if debug.is_some() {
        store.insert(
            "_links".into(),
            json!({"help": [{"href": DOCUMENTATION_URL}]}),
        );
    }
    Value::Object(store)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::model::Role;
    use crate::auth::testing::Fixture;

    /// Recording 27's body.
    const RECORDED_LOGIN: &str = r#"{"user_id":"1","first_name":"","last_name":"","display_name":"admin","role":"Administrator","avatar_urls":[],"email":"admin@example.test","extras":[],"dev_note":"Don't forget to store the users login information in order to authenticate all other routes with CoCart."}"#;
    /// Recording 30's body.
    const RECORDED_STORE: &str = r#"{"title":"CoCart Peer Store","description":"","home_url":"http://127.0.0.1:8081","language":"en-US","gmt_offset":0,"timezone_string":"UTC","store_address":{"address":"1 Loopback Way","address_2":"","city":"San Francisco","country":"US:CA","postcode":"94105"}}"#;

    #[test]
    fn login_matches_recording_27() {
        let fx = Fixture::new();
        let body = login_response(&fx.admin, false, json!({}));
        assert_eq!(serde_json::to_string(&body).unwrap(), RECORDED_LOGIN);
    }

    #[test]
    fn login_escapes_display_name_and_names_roles_like_cocart() {
        let mut user = Fixture::new().manager;
        user.display_name = "Tom & Jerry's <shop> &amp; co".into();
        user.email = "  Manager@Example.test ".into();
        let body = login_response(&user, false, Value::Null);
        assert_eq!(
            body["display_name"],
            "Tom &amp; Jerry&#039;s &lt;shop&gt; &amp; co"
        );
        assert_eq!(body["role"], "Shop_manager");
        assert_eq!(body["email"], "Manager@Example.test");
        assert_eq!(body["extras"], json!([]));
        user.role = Role::Customer;
        assert_eq!(
            login_response(&user, false, Value::Null)["role"],
            "Customer"
        );
    }

    #[test]
    fn login_avatars_are_gravatar_urls_by_size() {
        let fx = Fixture::new();
        let body = login_response(&fx.customer, true, json!({"points": 5}));
        // md5("ann@example.test"): the email is trimmed and lower-cased first.
        let hash = format!("{:x}", md5::compute("ann@example.test"));
        let urls = body["avatar_urls"].as_object().unwrap();
        assert_eq!(urls.keys().collect::<Vec<_>>(), ["24", "48", "96"]);
        assert_eq!(
            urls["48"],
            format!("https://secure.gravatar.com/avatar/{hash}?s=48&d=mm&r=g")
        );
        assert_eq!(body["extras"], json!({"points": 5}));
    }

    fn peer_store() -> StoreInfo {
        StoreInfo {
            title: "CoCart Peer Store".into(),
            description: String::new(),
            home_url: "http://127.0.0.1:8081".into(),
            language: "en-US".into(),
            gmt_offset: json!(0),
            timezone_string: "UTC".into(),
            store_address: StoreAddress {
                address: "1 Loopback Way".into(),
                address_2: String::new(),
                city: "San Francisco".into(),
                country: "US:CA".into(),
                postcode: "94105".into(),
            },
        }
    }

    #[test]
    fn store_matches_recording_30() {
        let body = store_response(&peer_store(), None);
        assert_eq!(serde_json::to_string(&body).unwrap(), RECORDED_STORE);
    }

    #[test]
    fn store_in_debug_mode_puts_versions_and_routes_first_and_links_last() {
        let debug = StoreDebug {
            core_version: "4.4.0-beta.6",
            routes_base: "http://127.0.0.1:8081/wp-json/cocart/v2/",
            routes: STORE_ROUTES,
        };
        let body = store_response(&peer_store(), Some(&debug));
        let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
        assert_eq!(keys.first().map(|k| k.as_str()), Some("versions"));
        assert_eq!(keys.get(1).map(|k| k.as_str()), Some("routes"));
        assert_eq!(keys.last().map(|k| k.as_str()), Some("_links"));
        assert_eq!(body["versions"], json!({"core": "4.4.0-beta.6"}));
        assert_eq!(body["routes"].as_object().unwrap().len(), 23);
        assert_eq!(
            body["routes"]["products-variation"],
            "http://127.0.0.1:8081/wp-json/cocart/v2/products/{product_id}/variations/{variation_id}"
        );
        assert_eq!(body["_links"]["help"][0]["href"], DOCUMENTATION_URL);
    }
}
