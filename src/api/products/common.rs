//! Building blocks shared by the v1 and v2 product renderers: URLs, dates, the currency
//! block, image size maps, attribute keys and the add-to-cart texts.
//!
//! Both API versions show the same facts in different shapes; keeping the facts here means
//! a rule (say, which label a sold-out product's button gets) is written once.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Map, Value, json};

use super::view::CatalogView;
use crate::cart::render::render_currency;
use crate::catalog::model::{
    AttributeOptions, AttributeValue, Image, Product, ProductAttribute, ProductType, StoreSettings,
    UnixTime,
};

/// Everything a renderer needs besides the record: the catalog, the public site URL
/// (scheme and host, no trailing slash, e.g. `https://shop.example`) and the clock.
pub struct RenderContext<'c, 'a> {
    /// The catalog snapshot.
    pub catalog: &'c CatalogView<'a>,
    /// Public site URL that prefixes REST routes, storefront links and image URLs.
    pub base_url: &'c str,
    /// The instant sale windows are evaluated at.
    pub now: UnixTime,
}

/// The image sizes CoCart lists in every `src` map, in order (WordPress's intermediate
/// sizes, WooCommerce's sizes, `full` and `custom`).
pub const IMAGE_SIZES: [&str; 11] = [
    "thumbnail",
    "medium",
    "medium_large",
    "large",
    "1536x1536",
    "2048x2048",
    "woocommerce_thumbnail",
    "woocommerce_single",
    "woocommerce_gallery_thumbnail",
    "full",
    "custom",
];

/// File-name suffixes of WooCommerce's bundled placeholder per size (sizes without one
/// resolve to the original file).
const PLACEHOLDER_SUFFIXES: [(&str, &str); 4] = [
    ("thumbnail", "-150x150"),
    ("medium", "-300x300"),
    ("medium_large", "-768x768"),
    ("large", "-1024x1024"),
];

impl<'c, 'a> RenderContext<'c, 'a> {
    /// The store settings.
    pub fn settings(&self) -> &'a StoreSettings {
        self.catalog.settings()
    }

    /// `<site>/wp-json/cocart/<version><path>`.
    pub fn rest_url(&self, version: &str, path: &str) -> String {
        format!("{}/wp-json/cocart/{version}{path}", self.base_url)
    }

    /// The `self` and `collection` links of item `id` of the collection at `collection`
    /// (`/products/reviews`) in `version`.
    pub fn item_links(&self, version: &str, collection: &str, id: u64) -> Map<String, Value> {
        let mut links = Map::new();
        links.insert(
            "self".into(),
            json!([{ "href": self.rest_url(version, &format!("{collection}/{id}")) }]),
        );
        links.insert(
            "collection".into(),
            json!([{ "href": self.rest_url(version, collection) }]),
        );
        links
    }

    /// The storefront URL of a product: the imported permalink, else `/product/<slug>/`
    /// (variations: the parent's URL plus the fixed attributes as query arguments).
    pub fn permalink(&self, product: &Product) -> String {
        if !product.permalink.is_empty() {
            return product.permalink.clone();
        }
        match self.catalog.parent(product) {
            Some(parent) => {
                let pairs: Vec<String> = product
                    .variation_attributes
                    .iter()
                    .filter(|pair| !pair.value.is_empty())
                    .map(|pair| format!("attribute_{}={}", pair.key, pair.value))
                    .collect();
                let base = self.permalink(parent);
                if pairs.is_empty() {
                    base
                } else {
                    format!("{base}?{}", pairs.join("&"))
                }
            }
            None => format!("{}/product/{}/", self.base_url, product.slug),
        }
    }

    /// The shop page URL.
    pub fn shop_url(&self) -> String {
        format!("{}/shop/", self.base_url)
    }

    /// `YYYY-MM-DDTHH:MM:SS` in the store's local time.
    pub fn local_date(&self, instant: UnixTime) -> String {
        instant.format_iso(self.settings().utc_offset_seconds)
    }

    /// `YYYY-MM-DDTHH:MM:SS` in UTC.
    pub fn gmt_date(&self, instant: UnixTime) -> String {
        instant.format_iso(0)
    }

    /// A `{local, gmt}` pair for an optional instant (`null` each when unset).
    pub fn date_pair(&self, instant: Option<UnixTime>) -> (Value, Value) {
        match instant {
            Some(at) => (json!(self.local_date(at)), json!(self.gmt_date(at))),
            None => (Value::Null, Value::Null),
        }
    }

    /// The v2 `currency` block (the same object the cart shows).
    pub fn currency(&self) -> Value {
        render_currency(self.settings())
    }

    /// The size → URL map of an attachment (a size the attachment lacks, and `custom`,
    /// resolve to the full-size URL; `false` when there is none).
    pub fn image_sizes(&self, image: &Image) -> Map<String, Value> {
        let full = image.src.get("full");
        IMAGE_SIZES
            .iter()
            .map(|size| {
                let url = image.src.get(*size).or(full);
                (
                    size.to_string(),
                    url.map_or(Value::Bool(false), |u| json!(u)),
                )
            })
            .collect()
    }

    /// The size → URL map of the store placeholder image: the configured attachment, or
    /// WooCommerce's bundled placeholder under the site's uploads folder.
    pub fn placeholder_sizes(&self) -> Map<String, Value> {
        if let Some(image) = self.catalog.image(self.settings().placeholder_image_id) {
            return self.image_sizes(image);
        }
        IMAGE_SIZES
            .iter()
            .map(|size| {
                let suffix = PLACEHOLDER_SUFFIXES
                    .iter()
                    .find(|(name, _)| name == size)
                    .map_or("", |(_, suffix)| suffix);
                let url = format!(
                    "{}/wp-content/uploads/woocommerce-placeholder{suffix}.png",
                    self.base_url
                );
                (size.to_string(), json!(url))
            })
            .collect()
    }

    /// The featured image followed by the gallery, each with its original position;
    /// attachments that no longer exist are skipped. `None` when nothing is left.
    pub fn product_images(&self, product: &Product) -> Vec<(usize, &'a Image, bool)> {
        let image_id = self.catalog.image_id(product);
        let mut ids = Vec::new();
        if image_id != 0 {
            ids.push((image_id, true));
        }
        ids.extend(product.gallery_image_ids.iter().map(|id| (*id, false)));
        ids.into_iter()
            .enumerate()
            .filter_map(|(position, (id, featured))| {
                self.catalog
                    .image(id)
                    .map(|image| (position, image, featured))
            })
            .collect()
    }

    /// A product's v2 `images` list (placeholder entry when it has none).
    pub fn images_v2(&self, product: &Product) -> Value {
        let images = self.product_images(product);
        if images.is_empty() {
            return json!([{
                "id": 0,
                "src": self.placeholder_sizes(),
                "name": "Placeholder",
                "alt": "Placeholder",
                "position": 0,
                "featured": true,
            }]);
        }
        images
            .into_iter()
            .map(|(position, image, featured)| {
                json!({
                    "id": image.id,
                    "src": self.image_sizes(image),
                    "name": image.name,
                    "alt": image.alt,
                    "position": position,
                    "featured": featured,
                })
            })
            .collect()
    }

    /// The label and accessible description of a product's add-to-cart button.
    pub fn add_to_cart_texts(&self, product: &'a Product) -> (String, String) {
        let name = &product.name;
        let purchasable = self.catalog.is_purchasable(product, self.now);
        let read_more = || {
            (
                "Read more".to_string(),
                format!("Read more about &ldquo;{name}&rdquo;"),
            )
        };
        match &product.product_type {
            ProductType::Variable if purchasable => (
                "Select options".to_string(),
                format!("Select options for &ldquo;{name}&rdquo;"),
            ),
            ProductType::Variable => read_more(),
            ProductType::Grouped => (
                "View products".to_string(),
                format!("View products in the &ldquo;{name}&rdquo; group"),
            ),
            ProductType::External => {
                let text = if product.button_text.is_empty() {
                    "Buy product".to_string()
                } else {
                    product.button_text.clone()
                };
                (text.clone(), text)
            }
            _ if purchasable && self.catalog.is_in_stock(product) => (
                "Add to cart".to_string(),
                format!("Add to cart: &ldquo;{name}&rdquo;"),
            ),
            _ => read_more(),
        }
    }

    /// The v2 add-item URL for a product (`""` for variable, external and grouped).
    pub fn add_to_cart_rest_url(&self, product: &Product) -> String {
        let base = self.rest_url(
            "v2",
            &format!("/cart/add-item?id={}&quantity=1", product.id),
        );
        match product.product_type {
            ProductType::Variable | ProductType::External | ProductType::Grouped => String::new(),
            ProductType::Variation => {
                let mut url = base;
                for pair in product
                    .variation_attributes
                    .iter()
                    .filter(|p| !p.value.is_empty())
                {
                    url.push_str(&format!(
                        "&variation[attribute_{}]={}",
                        pair.key, pair.value
                    ));
                }
                url
            }
            ProductType::Other(ref name) if name == "variable-subscription" => String::new(),
            _ => base,
        }
    }

    /// `purchase_quantity` `{min_purchase, max_purchase}` (−1 = unlimited).
    pub fn purchase_quantity(&self, product: &'a Product) -> Value {
        let max = self
            .catalog
            .max_purchase_quantity(product)
            .map_or(json!(-1), decimal_number);
        json!({ "min_purchase": 1, "max_purchase": max })
    }

    /// The v2 `stock` block.
    pub fn stock(&self, product: &'a Product) -> Value {
        let mut map = Map::new();
        map.insert(
            "is_in_stock".into(),
            json!(self.catalog.is_in_stock(product)),
        );
        map.insert("stock_quantity".into(), self.stock_quantity(product));
        map.extend(self.backorder_fields(product));
        map.insert("low_stock_amount".into(), low_stock_amount(product));
        Value::Object(map)
    }

    /// The stock quantity as a JSON number when stock is managed, else `null`.
    pub fn stock_quantity(&self, product: &'a Product) -> Value {
        self.catalog
            .stock_quantity(product)
            .map_or(Value::Null, decimal_number)
    }

    /// The stock fields every stock shape lists in this order: `stock_status`,
    /// `backorders`, `backorders_allowed`, `backordered`.
    pub fn backorder_fields(&self, product: &'a Product) -> Map<String, Value> {
        let catalog = self.catalog;
        let mut map = Map::new();
        map.insert(
            "stock_status".into(),
            json!(catalog.stock_status(product).as_str()),
        );
        map.insert(
            "backorders".into(),
            json!(catalog.backorders(product).as_str()),
        );
        map.insert(
            "backorders_allowed".into(),
            json!(catalog.backorders_allowed(product)),
        );
        map.insert(
            "backordered".into(),
            json!(catalog.is_on_backorder(product)),
        );
        map
    }

    /// The `weight` `{value, unit}` and `dimensions` `{length, width, height, unit}`
    /// blocks, each measure inherited when a variation has none.
    pub fn weight_and_dimensions(&self, product: &Product) -> (Value, Value) {
        let [weight, length, width, height] = self.catalog.measures(product);
        let settings = self.settings();
        (
            json!({ "value": decimal_text(weight), "unit": settings.weight_unit }),
            json!({
                "length": decimal_text(length),
                "width": decimal_text(width),
                "height": decimal_text(height),
                "unit": settings.dimension_unit,
            }),
        )
    }

    /// The `_links` of a record served through a product route of `version` (`v1`,
    /// `v2`): `self`, `collection`, `parent_product` for a variation, and `variations`
    /// for a variable product that has any.
    pub fn product_links(&self, version: &str, product: &Product) -> Value {
        let mut links = Map::new();
        links.insert(
            "self".into(),
            json!([{
                "permalink": self.permalink(product),
                "href": self.rest_url(version, &format!("/products/{}", product.id)),
            }]),
        );
        links.insert(
            "collection".into(),
            json!([{ "permalink": self.shop_url(), "href": self.rest_url(version, "/products") }]),
        );
        if let Some(parent) = self.catalog.parent(product) {
            links.insert(
                "parent_product".into(),
                json!([{
                    "permalink": self.permalink(parent),
                    "href": self.rest_url(version, &format!("/products/{}", parent.id)),
                }]),
            );
        }
        let children = self.catalog.children(product);
        if product.product_type == ProductType::Variable && !children.is_empty() {
            let variations: Vec<Value> = children
                .iter()
                .map(|child| {
                    json!({
                        "permalink": self.permalink(child),
                        "href": self.rest_url(
                            version,
                            &format!("/products/{}/variations/{}", product.id, child.id)
                        ),
                    })
                })
                .collect();
            links.insert("variations".into(), Value::Array(variations));
        }
        Value::Object(links)
    }

    /// The display label of a product attribute: the global label or the custom name.
    pub fn attribute_label(&self, attribute: &ProductAttribute) -> String {
        self.catalog
            .attribute_by_taxonomy(&attribute.name)
            .map_or_else(|| attribute.name.clone(), |global| global.label.clone())
    }

    /// `{slug: name}` (global) or `{value: value}` (custom) for an attribute's options.
    pub fn attribute_options(&self, attribute: &ProductAttribute) -> Vec<(String, String)> {
        match &attribute.options {
            AttributeOptions::Terms(ids) => ids
                .iter()
                .filter_map(|id| self.catalog.term(*id))
                .map(|term| (term.slug.clone(), term.name.clone()))
                .collect(),
            AttributeOptions::Values(values) => values
                .iter()
                .map(|value| (value.trim().to_string(), value.trim().to_string()))
                .collect(),
        }
    }

    /// The display name of a variation's value: the term name for a global attribute, the
    /// value itself otherwise.
    pub fn attribute_value_name(&self, key: &str, value: &str) -> String {
        if key.starts_with("pa_")
            && let Some(term) = self.catalog.term_by_slug(key, value)
        {
            return term.name.clone();
        }
        value.to_string()
    }

    /// `attributes` of a non-variation product: `{attribute_<key>: {id, name, position,
    /// is_attribute_visible, used_for_variation, options}}`, where `options` renders the
    /// pairs of [`Self::attribute_options`] (`[]` when the product has no attributes).
    pub fn product_attributes(
        &self,
        product: &Product,
        options: fn(Vec<(String, String)>) -> Value,
    ) -> Value {
        let mut map = Map::new();
        for attribute in &product.attributes {
            map.insert(
                format!("attribute_{}", attribute_key(&attribute.name)),
                json!({
                    "id": attribute.id,
                    "name": self.attribute_label(attribute),
                    "position": attribute.position,
                    "is_attribute_visible": attribute.visible,
                    "used_for_variation": attribute.variation,
                    "options": options(self.attribute_options(attribute)),
                }),
            );
        }
        object_or_empty_list(map)
    }

    /// `default_attributes` of a variable product (`[]` for other types or when none is
    /// set): `{attribute_<key>: {id, name, option: value}}`, see [`Self::keyed_attributes`].
    pub fn default_attributes(&self, product: &Product, unnamed: fn(&str) -> String) -> Value {
        if product.product_type != ProductType::Variable {
            return json!([]);
        }
        self.keyed_attributes(
            Some(product),
            &product.default_attributes,
            unnamed,
            |pair| json!(pair.value),
        )
    }

    /// `{attribute_<key>: {id, name, option}}` for the pairs that have a value, as the
    /// default attributes and a variation's attributes show them. `id` and `name` are the
    /// global attribute's ID and label, else 0 and the name of `owner`'s custom attribute
    /// with that key, else 0 and `unnamed(key)`; `option` renders the pair's value. `[]`
    /// when no pair has a value.
    pub fn keyed_attributes(
        &self,
        owner: Option<&Product>,
        pairs: &[AttributeValue],
        unnamed: fn(&str) -> String,
        option: impl Fn(&AttributeValue) -> Value,
    ) -> Value {
        let mut map = Map::new();
        for pair in pairs.iter().filter(|pair| !pair.value.is_empty()) {
            let global = self.catalog.attribute_by_taxonomy(&pair.key);
            let name = match global {
                Some(global) => global.label.clone(),
                None => owner
                    .and_then(|owner| self.parent_attribute(owner, &pair.key))
                    .map_or_else(|| unnamed(&pair.key), |attribute| attribute.name.clone()),
            };
            map.insert(
                format!("attribute_{}", pair.key),
                json!({ "id": global.map_or(0, |g| g.id), "name": name, "option": option(pair) }),
            );
        }
        object_or_empty_list(map)
    }

    /// The parent attribute whose key is `key` (`pa_color`, `size`).
    pub fn parent_attribute<'p>(
        &self,
        parent: &'p Product,
        key: &str,
    ) -> Option<&'p ProductAttribute> {
        parent
            .attributes
            .iter()
            .find(|attribute| attribute_key(&attribute.name) == key)
    }
}

/// `sanitize_title` as attribute keys use it: lower case, whitespace and punctuation to
/// `-` (underscores kept), repeated dashes collapsed, dashes trimmed.
pub fn attribute_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.trim().to_lowercase().chars() {
        if c.is_alphanumeric() || c == '_' {
            key.push(c);
        } else if !key.ends_with('-') {
            key.push('-');
        }
    }
    key.trim_matches('-').to_string()
}

/// `low_stock_amount`: the product's own threshold, `""` when it uses the store default.
pub fn low_stock_amount(product: &Product) -> Value {
    product.low_stock_amount.map_or(json!(""), |n| json!(n))
}

/// The number of ratings over all stars.
pub fn rating_count(product: &Product) -> u64 {
    product
        .rating_counts
        .values()
        .fold(0_u64, |sum, n| sum.saturating_add(*n))
}

/// `meta_data`: the exposed custom meta as `{id, key, value}` entries.
pub fn meta_data(product: &Product) -> Value {
    product
        .meta
        .iter()
        .map(|entry| json!({ "id": entry.id, "key": entry.key, "value": entry.value }))
        .collect()
}

/// `external_url` and `button_text`: an external product's own, `""` for other types.
pub fn external_fields(product: &Product) -> (&str, &str) {
    if product.product_type == ProductType::External {
        (product.product_url.as_str(), product.button_text.as_str())
    } else {
        ("", "")
    }
}

/// `grouped_products`: a grouped product's children, `[]` for other types.
pub fn grouped_products(product: &Product) -> Value {
    if product.product_type == ProductType::Grouped {
        json!(product.grouped_products)
    } else {
        json!([])
    }
}

/// A quantity as a JSON number: an integer when whole, else a float.
pub fn decimal_number(value: Decimal) -> Value {
    if value.fract().is_zero() {
        value.to_i64().map_or(Value::Null, |n| json!(n))
    } else {
        value.to_f64().map_or(Value::Null, |f| json!(f))
    }
}

/// A decimal string as stored (`""` when unset).
pub fn decimal_text(value: Option<Decimal>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// An object, or `[]` when empty (PHP encodes an empty array as a list).
pub fn object_or_empty_list(map: Map<String, Value>) -> Value {
    if map.is_empty() {
        json!([])
    } else {
        Value::Object(map)
    }
}

/// The stored average rating as CoCart prints it: `"0"` when never rated, else two
/// decimals (`"4.50"`).
pub fn average_rating_text(average: Decimal) -> String {
    if average.is_zero() {
        "0".to_string()
    } else {
        format!("{:.2}", average)
    }
}

/// The plain-text star sentence (`rated_out_of`).
pub fn rated_out_of(average: Decimal, rating_count: u64) -> String {
    if average.is_zero() {
        return String::new();
    }
    let rating = average_rating_text(average);
    match rating_count {
        0 => format!("Rated {rating} out of 5"),
        1 => format!("Rated {rating} out of 5 based on 1 customer rating"),
        n => format!("Rated {rating} out of 5 based on {n} customer ratings"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn attribute_keys_follow_sanitize_title() {
        assert_eq!(attribute_key("pa_color"), "pa_color");
        assert_eq!(attribute_key("Gift Wrap"), "gift-wrap");
        assert_eq!(attribute_key("Size"), "size");
        assert_eq!(attribute_key(" Fit / Cut "), "fit-cut");
    }

    #[test]
    fn ratings_print_like_woocommerce() {
        assert_eq!(average_rating_text(dec!(0.00)), "0");
        assert_eq!(average_rating_text(dec!(4.5)), "4.50");
        assert_eq!(rated_out_of(dec!(0), 3), "");
        assert_eq!(rated_out_of(dec!(4.5), 0), "Rated 4.50 out of 5");
        assert_eq!(
            rated_out_of(dec!(4.5), 1),
            "Rated 4.50 out of 5 based on 1 customer rating"
        );
        assert_eq!(
            rated_out_of(dec!(4.5), 2),
            "Rated 4.50 out of 5 based on 2 customer ratings"
        );
    }

    #[test]
    fn quantities_are_integers_when_whole() {
        assert_eq!(decimal_number(dec!(3)), json!(3));
        assert_eq!(decimal_number(dec!(3.00)), json!(3));
        assert_eq!(decimal_number(dec!(1.5)), json!(1.5));
    }
}
