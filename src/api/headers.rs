//! CoCart's response-header hooks (hooks-and-filters.md P2 and P8): whether CoCart's own
//! CORS handler replaces WordPress's (`cocart_disable_all_cors`), which origins it allows
//! (`cocart_allow_origin`, `cocart_allowed_http_origins`, `cocart_http_allowed_safe_ports`),
//! which request URIs get a short `Cache-Control` (`cocart_send_cache_control_patterns`)
//! and who gets the private no-cache set (`cocart_send_nocache_headers`).
//!
//! They live here rather than in `crate::http`, which stays hook-agnostic: the HTTP layer
//! writes WordPress's default headers, then this module rewrites them. A request captures
//! what the hooks need only when a script listens to one of them, so the usual request
//! pays nothing.

use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use regex::Regex;
use serde_json::{Value, json};

use super::App;
use crate::cart::error::CartError;
use crate::cart::hook_args::{filter, truthy};
use crate::cart::hooks::Hooks;
use crate::hooks::HookRuntime;
use crate::http::server::RawRequest;
use crate::http::wp;

/// The hooks this module fires.
const HEADER_HOOKS: &[&str] = &[
    "cocart_disable_all_cors",
    "cocart_allow_origin",
    "cocart_allowed_http_origins",
    "cocart_http_allowed_safe_ports",
    "cocart_send_cache_control_patterns",
    "cocart_send_nocache_headers",
];

/// CoCart's default cache-control patterns. They are matched against the raw request URI,
/// which starts with `/wp-json/` (or `/?rest_route=`), so by default they never match;
/// a script that returns its own patterns is what makes this hook useful.
const DEFAULT_CACHE_PATTERNS: &[&str] = &[
    "#^/cocart/v2/cart?#",
    "#^/cocart/v2/logout?#",
    "#^/cocart/v2/store?#",
    "#^/cocart/v1/get-cart?#",
    "#^/cocart/v1/logout?#",
];

/// The ports an origin may keep (CoCart's default for `cocart_http_allowed_safe_ports`).
const SAFE_PORTS: [u16; 3] = [80, 443, 8080];

const SHORT_CACHE_CONTROL: &str = "no-cache, must-revalidate, max-age=0";
const NO_CACHE_EXPIRES: &str = "Wed, 11 Jan 1984 05:00:00 GMT";
const NO_CACHE_CONTROL: &str = "no-cache, must-revalidate, max-age=0, no-store, private";

/// What the header hooks need to know about a request, taken before the request pipeline
/// consumes it.
pub(super) struct HeaderFacts {
    /// The request target as sent (path and query), for the cache patterns.
    uri: String,
    /// The REST route, when the URI names one.
    route: Option<String>,
    /// The `Origin` header.
    origin: Option<String>,
    /// A browser preflight: `OPTIONS` with `Origin`, `Access-Control-Request-Method` and
    /// `Access-Control-Request-Headers`.
    preflight: bool,
    /// The public site root, e.g. `http://shop.test:8080`.
    site_url: String,
}

impl HeaderFacts {
    /// The facts of `raw`, or `None` when no script listens to any header hook.
    pub(super) fn capture(runtime: &HookRuntime, raw: &RawRequest) -> Option<HeaderFacts> {
        if !HEADER_HOOKS.iter().any(|name| runtime.has(name)) {
            return None;
        }
        let has = |name: HeaderName| raw.headers.contains_key(name);
        Some(HeaderFacts {
            uri: raw
                .uri
                .path_and_query()
                .map_or_else(|| raw.uri.path().to_owned(), ToString::to_string),
            route: wp::rest_route(&raw.uri),
            origin: raw
                .headers
                .get(header::ORIGIN)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned),
            preflight: raw.method == hyper::Method::OPTIONS
                && has(header::ORIGIN)
                && has(header::ACCESS_CONTROL_REQUEST_METHOD)
                && has(header::ACCESS_CONTROL_REQUEST_HEADERS),
            site_url: wp::site_url(&raw.headers, raw.peer),
        })
    }

    /// CoCart's header handlers only touch routes under `cocart/`.
    fn is_cocart_route(&self) -> bool {
        self.route
            .as_deref()
            .is_some_and(|route| route.contains("cocart/"))
    }
}

/// What the hooks decided, applied to the response headers afterwards.
#[derive(Debug, Default, PartialEq)]
struct HeaderPlan {
    /// A cache pattern matched: `Cache-Control: no-cache, must-revalidate, max-age=0`.
    short_cache_control: bool,
    /// CoCart's CORS handler is on: `Some(allowed origin or none)`.
    cocart_cors: Option<Option<String>>,
    /// Whether this route is under `cocart/`.
    cocart_route: bool,
    /// Send the private no-cache set.
    no_cache: bool,
}

impl App {
    /// Rewrites the default headers as the header hooks decide. Without `facts` (no
    /// script listens) only WordPress's rule applies: signed-in callers get the private
    /// no-cache set.
    pub(super) async fn apply_header_hooks(
        &self,
        facts: Option<HeaderFacts>,
        signed_in: bool,
        headers: &mut HeaderMap,
    ) {
        let plan = match facts {
            None => HeaderPlan {
                no_cache: signed_in,
                ..HeaderPlan::default()
            },
            Some(facts) => {
                let planned = self
                    .with_unscoped_hooks(move |hooks| plan(hooks, &facts, signed_in))
                    .await;
                planned.unwrap_or_else(|_| HeaderPlan {
                    no_cache: signed_in,
                    ..HeaderPlan::default()
                })
            }
        };
        apply(plan, headers);
    }
}

/// Fires the header hooks in CoCart's order: the cache patterns (every REST request), the
/// CORS switch and origin filters, then the no-cache filter (routes under `cocart/`).
/// WordPress itself sends the no-cache set to every signed-in caller, so the filter can
/// only add guests.
fn plan(hooks: &dyn Hooks, facts: &HeaderFacts, signed_in: bool) -> Result<HeaderPlan, CartError> {
    let cocart_route = facts.is_cocart_route();
    let short_cache_control = cache_pattern_matches(hooks, &facts.uri)?;
    let disabled = filter(
        hooks,
        "cocart_disable_all_cors",
        Value::Bool(true),
        Vec::new,
    )?;
    let cocart_cors = if truthy(&disabled) {
        None
    } else if cocart_route {
        Some(cocart_allowed_origin(hooks, facts)?)
    } else {
        Some(None)
    };
    let no_cache = signed_in
        || (cocart_route
            && !(cocart_cors.is_some() && facts.preflight)
            && truthy(&filter(
                hooks,
                "cocart_send_nocache_headers",
                Value::Bool(signed_in),
                Vec::new,
            )?));
    Ok(HeaderPlan {
        short_cache_control,
        cocart_cors,
        cocart_route,
        no_cache,
    })
}

/// `cocart_send_cache_control_patterns`: PHP regular expressions (with delimiters) matched
/// against the sanitised request URI.
fn cache_pattern_matches(hooks: &dyn Hooks, uri: &str) -> Result<bool, CartError> {
    if !hooks.has("cocart_send_cache_control_patterns") {
        return Ok(false);
    }
    let patterns = filter(
        hooks,
        "cocart_send_cache_control_patterns",
        json!(DEFAULT_CACHE_PATTERNS),
        Vec::new,
    )?;
    let uri = sanitize_text_field(uri);
    let patterns = match &patterns {
        Value::Array(list) => list.iter().collect(),
        Value::Object(map) => map.values().collect(),
        _ => Vec::new(),
    };
    Ok(patterns
        .into_iter()
        .filter_map(Value::as_str)
        .any(|pattern| match php_regex(pattern) {
            Some(regex) => regex.is_match(&uri),
            None => {
                tracing::warn!(
                    pattern,
                    "cocart_send_cache_control_patterns: not a valid pattern; ignored"
                );
                false
            }
        }))
}

/// CoCart's origin check: the request's origin (`*` when absent) through
/// `cocart_allow_origin`; a preflight always gets it back, any other request only when it
/// is one of the allowed origins (the site's own, `cocart_allowed_http_origins`).
fn cocart_allowed_origin(
    hooks: &dyn Hooks,
    facts: &HeaderFacts,
) -> Result<Option<String>, CartError> {
    let origin = match facts.origin.as_deref().map(str::trim) {
        Some("null") => "null".to_owned(),
        Some(origin) => esc_url_raw(origin),
        None => String::new(),
    };
    let origin = if origin.is_empty() {
        "*".to_owned()
    } else {
        origin
    };
    let origin = filter(hooks, "cocart_allow_origin", Value::from(origin), Vec::new)?;
    let origin = match origin {
        Value::String(text) => text,
        Value::Number(number) => number.to_string(),
        _ => String::new(),
    };
    if origin.is_empty() {
        return Ok(None);
    }
    if facts.preflight {
        return Ok(Some(origin));
    }
    let allowed = allowed_origins(hooks, &facts.site_url)?;
    Ok(allowed.contains(&origin).then_some(origin))
}

/// The `http://` and `https://` forms of the site's host, with its port when that port is
/// one of `cocart_http_allowed_safe_ports`, through `cocart_allowed_http_origins`.
fn allowed_origins(hooks: &dyn Hooks, site_url: &str) -> Result<Vec<String>, CartError> {
    let authority = site_url
        .split_once("://")
        .map_or(site_url, |(_, rest)| rest)
        .split('/')
        .next()
        .unwrap_or_default();
    let (host, port) = split_port(authority);
    let host_and_port = match port {
        Some(port) => {
            let url = format!("http://{host}");
            let ports = filter(
                hooks,
                "cocart_http_allowed_safe_ports",
                json!(SAFE_PORTS),
                || vec![Value::from(host), Value::from(url)],
            )?;
            let allowed = match &ports {
                Value::Array(list) => list.iter().any(|listed| listed.as_u64() == Some(port)),
                _ => true,
            };
            if allowed {
                format!("{host}:{port}")
            } else {
                host.to_owned()
            }
        }
        None => host.to_owned(),
    };
    let defaults = json!([
        format!("http://{host_and_port}"),
        format!("https://{host_and_port}"),
    ]);
    let origins = filter(hooks, "cocart_allowed_http_origins", defaults, Vec::new)?;
    Ok(match origins {
        Value::Array(list) => list
            .into_iter()
            .filter_map(|origin| origin.as_str().map(str::to_owned))
            .collect(),
        Value::Object(map) => map
            .into_values()
            .filter_map(|origin| origin.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    })
}

/// `host:port` → (`host`, port); an IPv6 literal keeps its brackets.
fn split_port(authority: &str) -> (&str, Option<u64>) {
    let port_at = match authority.rfind(']') {
        Some(bracket) => authority[bracket..].find(':').map(|at| bracket + at),
        None => authority.rfind(':'),
    };
    match port_at {
        Some(at) => (&authority[..at], authority[at + 1..].parse().ok()),
        None => (authority, None),
    }
}

/// Writes the plan over the default headers.
fn apply(plan: HeaderPlan, headers: &mut HeaderMap) {
    if plan.short_cache_control {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(SHORT_CACHE_CONTROL),
        );
    }
    if let Some(allowed_origin) = plan.cocart_cors {
        // CoCart removes WordPress's CORS handler for every route...
        headers.remove(header::ACCESS_CONTROL_ALLOW_ORIGIN);
        headers.remove(header::ACCESS_CONTROL_ALLOW_METHODS);
        headers.remove(header::ACCESS_CONTROL_ALLOW_CREDENTIALS);
        // ...and sends its own on its routes.
        if plan.cocart_route {
            let set = |headers: &mut HeaderMap, name: HeaderName, value: &'static str| {
                headers.insert(name, HeaderValue::from_static(value));
            };
            set(
                headers,
                header::ACCESS_CONTROL_ALLOW_METHODS,
                "OPTIONS, GET, POST, PUT, PATCH, DELETE",
            );
            set(headers, header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            set(headers, header::VARY, "Origin");
            set(headers, header::ACCESS_CONTROL_MAX_AGE, "600");
            set(headers, HeaderName::from_static("x-robots-tag"), "noindex");
            set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
            if let Some(value) = allowed_origin.and_then(|o| HeaderValue::from_str(&o).ok()) {
                headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
            }
        }
    }
    if plan.no_cache {
        headers.insert(header::EXPIRES, HeaderValue::from_static(NO_CACHE_EXPIRES));
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(NO_CACHE_CONTROL),
        );
    }
}

/// A PHP (PCRE) pattern with delimiters and modifiers, e.g. `#^/wp-json/cocart/#i`, as a
/// Rust regular expression. `None` for a pattern PHP would reject or Rust cannot run.
fn php_regex(pattern: &str) -> Option<Regex> {
    let pattern = pattern.trim_start();
    let open = pattern.chars().next()?;
    if open.is_alphanumeric() || open == '\\' {
        return None;
    }
    let close = match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '<' => '>',
        other => other,
    };
    let body_and_flags = &pattern[open.len_utf8()..];
    let end = body_and_flags.rfind(close)?;
    let (body, flags) = (
        &body_and_flags[..end],
        &body_and_flags[end + close.len_utf8()..],
    );
    let mut inline = String::new();
    for flag in flags.trim_end().chars() {
        match flag {
            'i' | 'm' | 's' | 'x' | 'U' => inline.push(flag),
            'u' | 'D' => {}
            _ => return None,
        }
    }
    let source = if inline.is_empty() {
        body.to_owned()
    } else {
        format!("(?{inline}){body}")
    };
    Regex::new(&source).ok()
}

/// WordPress's `sanitize_text_field` as far as a request URI needs it: percent-encoded
/// octets removed, whitespace runs collapsed, ends trimmed.
fn sanitize_text_field(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('%') {
        kept.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let octet = after
            .get(..2)
            .filter(|pair| pair.chars().all(|c| c.is_ascii_hexdigit()));
        match octet {
            Some(_) => rest = &after[2..],
            None => {
                kept.push('%');
                rest = after;
            }
        }
    }
    kept.push_str(rest);
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// WordPress's `esc_url_raw` for an `Origin` value: characters a URL cannot hold are
/// dropped, a missing scheme becomes `http://`, and schemes other than http(s) give "".
fn esc_url_raw(url: &str) -> String {
    let cleaned: String = url
        .chars()
        .filter(|c| {
            c.is_ascii_alphanumeric() || "-~+_.?#=!&;,/:%@$|*'()[]".contains(*c) || !c.is_ascii()
        })
        .collect();
    if cleaned.is_empty() {
        return cleaned;
    }
    match cleaned.split_once("://") {
        Some((scheme, _))
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            cleaned
        }
        Some(_) => String::new(),
        None => format!("http://{cleaned}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_patterns_with_delimiters_and_flags() {
        let regex = php_regex("#^/wp-json/cocart/v2/cart?#").unwrap();
        assert!(regex.is_match("/wp-json/cocart/v2/cart?cart_key=a"));
        assert!(regex.is_match("/wp-json/cocart/v2/car"));
        assert!(!regex.is_match("/?rest_route=/cocart/v2/cart"));
        assert!(php_regex("~^/WP-JSON/~i").unwrap().is_match("/wp-json/x"));
        assert!(php_regex("{^/a}").unwrap().is_match("/a"));
        assert!(php_regex("no delimiter").is_none());
        assert!(php_regex("#unclosed").is_none());
        assert!(php_regex("#a#e").is_none(), "the e modifier is refused");
        for default in DEFAULT_CACHE_PATTERNS {
            let regex = php_regex(default).unwrap();
            assert!(!regex.is_match("/wp-json/cocart/v2/cart"), "{default}");
        }
    }

    #[test]
    fn authorities_split_into_host_and_port() {
        assert_eq!(split_port("shop.test:8080"), ("shop.test", Some(8080)));
        assert_eq!(split_port("shop.test"), ("shop.test", None));
        assert_eq!(split_port("[::1]:3000"), ("[::1]", Some(3000)));
        assert_eq!(split_port("[::1]"), ("[::1]", None));
    }

    #[test]
    fn request_uris_are_sanitised_like_wordpress() {
        assert_eq!(
            sanitize_text_field(" /wp-json/cocart/v2/cart?q=a%20b%zz "),
            "/wp-json/cocart/v2/cart?q=ab%zz"
        );
    }

    #[test]
    fn origins_are_escaped_like_esc_url_raw() {
        assert_eq!(esc_url_raw("https://shop.test"), "https://shop.test");
        assert_eq!(esc_url_raw("shop.test"), "http://shop.test");
        assert_eq!(esc_url_raw("https://sh op.test<x>"), "https://shop.testx");
        assert_eq!(esc_url_raw("javascript://x"), "");
        assert_eq!(esc_url_raw(""), "");
    }

    #[test]
    fn without_scripts_signed_in_callers_get_the_no_cache_set() {
        let mut headers = HeaderMap::new();
        apply(
            HeaderPlan {
                no_cache: true,
                ..HeaderPlan::default()
            },
            &mut headers,
        );
        assert_eq!(headers[header::CACHE_CONTROL], NO_CACHE_CONTROL);
        assert_eq!(headers[header::EXPIRES], NO_CACHE_EXPIRES);
    }

    #[test]
    fn cocart_cors_replaces_the_default_only_on_its_routes() {
        let mut defaults = HeaderMap::new();
        defaults.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("https://elsewhere.test"),
        );
        let mut other_route = defaults.clone();
        apply(
            HeaderPlan {
                cocart_cors: Some(None),
                ..HeaderPlan::default()
            },
            &mut other_route,
        );
        assert!(
            other_route
                .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
                .is_none()
        );
        let mut cocart = defaults;
        apply(
            HeaderPlan {
                cocart_cors: Some(Some("https://shop.test".into())),
                cocart_route: true,
                ..HeaderPlan::default()
            },
            &mut cocart,
        );
        assert_eq!(
            cocart[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "https://shop.test"
        );
        assert_eq!(cocart[header::ACCESS_CONTROL_MAX_AGE], "600");
    }
}
