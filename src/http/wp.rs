//! The WordPress REST request pipeline around a handler: resolve the REST path, honour
//! method overrides, match the route, parse and validate parameters; afterwards filter
//! `_fields` and add the headers every WordPress REST response carries.
//!
//! It is generic over the handler type, so this module knows routes and parameters but
//! nothing about carts; `crate::api` supplies the handlers.

use std::net::SocketAddr;
use std::time::SystemTime;

use bytes::Bytes;
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Uri};
use serde_json::{Map, Value};

use super::params::{Params, listify, parse_php_query};
use super::response::{ApiResponse, encode_json};
use super::router::{Found, Route, RouteTable};
use crate::error::ApiError;

/// The headers CoCart lets browsers read (plus `Cart-Key`, which newer SDKs read).
const EXPOSE_HEADERS: &str = "X-WP-Total, X-WP-TotalPages, Link, CoCart-API-Cart-Key, CoCart-API-Cart-Expiring, CoCart-API-Cart-Expiration, Cart-Key";
/// The request headers CoCart allows cross-origin.
const ALLOW_HEADERS: &str =
    "Authorization, X-Requested-With, Content-Disposition, Content-MD5, Content-Type";
const ALLOW_METHODS: &str = "OPTIONS, GET, POST, PUT, PATCH, DELETE";

/// A request ready for its handler.
#[derive(Debug)]
pub struct ApiRequest {
    /// The effective method (after `_method` / `X-HTTP-Method-Override`).
    pub method: Method,
    /// The REST path, e.g. `/cocart/v2/cart`.
    pub rest_path: String,
    /// Request headers.
    pub headers: HeaderMap,
    /// Parameters per source and merged, validated against the route's arguments.
    pub params: Params,
    /// The client's address.
    pub peer: SocketAddr,
    /// Where the REST API lives for this client, e.g. `http://shop.test/wp-json`.
    pub rest_base: String,
}

impl ApiRequest {
    /// The public site root the REST base hangs from, e.g. `http://shop.test`.
    pub fn site_url(&self) -> &str {
        self.rest_base.trim_end_matches("/wp-json")
    }

    /// A request header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What the pipeline knows about a request when it writes the response.
#[derive(Debug, Default)]
pub struct ResponseContext {
    rest_base: String,
    origin: Option<String>,
    allow: Option<String>,
    fields: Option<Vec<String>>,
}

/// The outcome of preparing a request.
pub enum Prepared<'a, H> {
    /// Run this handler.
    Dispatch {
        /// The handler to call.
        handler: &'a H,
        /// Who may call it, as the route declares.
        permission: Option<&'a str>,
        /// The route it belongs to.
        route: &'a Route<H>,
        /// The request.
        request: Box<ApiRequest>,
    },
    /// Answer at once (an error, or a CORS preflight).
    Respond(Result<ApiResponse, ApiError>),
}

/// The CORS policy: which origins may read responses.
#[derive(Debug, Clone)]
pub struct Cors {
    allowed_origins: Vec<String>,
}

impl Cors {
    /// `"*"` in the list reflects any origin, as WordPress does.
    pub fn new(allowed_origins: Vec<String>) -> Self {
        Cors { allowed_origins }
    }

    fn allows(&self, origin: &str) -> bool {
        self.allowed_origins
            .iter()
            .any(|o| o == "*" || o.eq_ignore_ascii_case(origin))
    }
}

/// Resolves, matches and validates a request. `body` is the whole request body, already
/// size-checked by the server.
pub fn prepare<'a, H>(
    table: &'a RouteTable<H>,
    cors: &Cors,
    method: Method,
    uri: &Uri,
    headers: HeaderMap,
    body: &[u8],
    peer: SocketAddr,
) -> (ResponseContext, Prepared<'a, H>) {
    let query = uri.query().map(parse_php_query).unwrap_or_default();
    let rest_base = rest_base(&headers, peer);
    let mut ctx = ResponseContext {
        rest_base: rest_base.clone(),
        origin: headers
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .filter(|o| cors.allows(o))
            .map(str::to_owned),
        allow: None,
        fields: query.get("_fields").map(field_list),
    };
    let Some(rest_path) = rest_path(uri.path(), &query) else {
        return (ctx, Prepared::Respond(Err(ApiError::no_route())));
    };
    let method = override_method(method, &query, &headers);
    let (route, endpoint, captures) = match table.find(&method, &rest_path) {
        Found::Endpoint {
            route,
            endpoint,
            captures,
        } => (route, endpoint, captures),
        Found::OtherMethod(route) if method == Method::OPTIONS => {
            ctx.allow = Some(route.allow_header());
            let body = if headers.contains_key(header::ACCESS_CONTROL_REQUEST_HEADERS) {
                None
            } else {
                Some(route.index_entry(&rest_base))
            };
            let response = ApiResponse {
                status: 200,
                headers: Vec::new(),
                body,
                text: None,
            };
            return (ctx, Prepared::Respond(Ok(response)));
        }
        _ => return (ctx, Prepared::Respond(Err(ApiError::no_route()))),
    };
    ctx.allow = Some(route.allow_header());
    let mut params = Params {
        query,
        path: captures,
        ..Params::default()
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("application/json") {
        match parse_json_body(body) {
            Ok(json) => params.json = json,
            Err(err) => return (ctx, Prepared::Respond(Err(err))),
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") && method != Method::GET
    {
        params.form = parse_php_query(&String::from_utf8_lossy(body));
    }
    for source in [&mut params.form, &mut params.query] {
        for value in source.values_mut() {
            *value = listify(std::mem::take(value));
        }
    }
    params.merge(&endpoint.args);
    if let Err(err) = params.validate(&endpoint.args) {
        return (ctx, Prepared::Respond(Err(err)));
    }
    let request = ApiRequest {
        method,
        rest_path,
        headers,
        params,
        peer,
        rest_base,
    };
    (
        ctx,
        Prepared::Dispatch {
            handler: &endpoint.handler,
            permission: endpoint.permission.as_deref(),
            route,
            request: Box::new(request),
        },
    )
}

/// An empty body is no parameters; a JSON body that is not an object carries none either
/// (WordPress only reads members of an object).
fn parse_json_body(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Ok(Map::new()),
        Err(_) => Err(ApiError::invalid_json()),
    }
}

/// `/wp-json/cocart/v2/cart` → `/cocart/v2/cart`; `/?rest_route=/cocart/v2/cart` too.
fn rest_path(path: &str, query: &Map<String, Value>) -> Option<String> {
    if let Some(rest) = path.strip_prefix("/wp-json") {
        if rest.is_empty() || rest.starts_with('/') {
            let decoded = percent_decode(rest);
            return Some(if decoded.is_empty() {
                "/".into()
            } else {
                decoded
            });
        }
        return None;
    }
    if matches!(path, "/" | "/index.php") {
        return query.get("rest_route").and_then(Value::as_str).map(|r| {
            if r.is_empty() {
                "/".to_owned()
            } else {
                r.to_owned()
            }
        });
    }
    None
}

fn percent_decode(path: &str) -> String {
    form_urlencoded::parse(format!("p={}", path.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// WordPress dispatches `?_method=DELETE` or `X-HTTP-Method-Override: DELETE` as DELETE.
fn override_method(method: Method, query: &Map<String, Value>, headers: &HeaderMap) -> Method {
    let requested = query.get("_method").and_then(Value::as_str).or_else(|| {
        headers
            .get("x-http-method-override")
            .and_then(|v| v.to_str().ok())
    });
    requested
        .and_then(|m| Method::from_bytes(m.trim().to_ascii_uppercase().as_bytes()).ok())
        .unwrap_or(method)
}

/// The REST route a request URI names (`/cocart/v2/cart`), if any.
pub fn rest_route(uri: &Uri) -> Option<String> {
    let query = uri.query().map(parse_php_query).unwrap_or_default();
    rest_path(uri.path(), &query)
}

/// The public site root as the client sees it, e.g. `http://shop.test`.
pub fn site_url(headers: &HeaderMap, peer: SocketAddr) -> String {
    let mut base = rest_base(headers, peer);
    base.truncate(base.len() - "/wp-json".len());
    base
}

/// The REST base URL as the client sees it, for `_links` and the `Link` header.
fn rest_base(headers: &HeaderMap, peer: SocketAddr) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| peer.to_string());
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}/wp-json")
}

fn field_list(value: &Value) -> Vec<String> {
    let parts: Vec<String> = match value {
        Value::String(s) => s.split(',').map(str::to_owned).collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Keeps only the requested fields (`a`, or nested `a.b`) of an object or of each object
/// in a list, as WordPress's `_fields` does.
fn filter_fields(value: Value, fields: &[String]) -> Value {
    match value {
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|v| filter_fields(v, fields))
                .collect(),
        ),
        Value::Object(map) => {
            let mut kept = Map::new();
            for (key, member) in map {
                if fields.iter().any(|f| f == &key) {
                    kept.insert(key, member);
                    continue;
                }
                let prefix = format!("{key}.");
                let nested: Vec<String> = fields
                    .iter()
                    .filter_map(|f| f.strip_prefix(&prefix))
                    .map(str::to_owned)
                    .collect();
                if !nested.is_empty() {
                    kept.insert(key, filter_fields(member, &nested));
                }
            }
            Value::Object(kept)
        }
        other => other,
    }
}

/// Turns a handler's result into the final response parts: status, headers and the
/// encoded body.
pub fn finish(
    ctx: ResponseContext,
    outcome: Result<ApiResponse, ApiError>,
) -> (u16, HeaderMap, Bytes) {
    let (status, mut extra, body) = match outcome {
        Ok(ApiResponse {
            status,
            mut headers,
            text: Some((content_type, text)),
            ..
        }) => {
            headers.push((header::CONTENT_TYPE, HeaderValue::from_static(content_type)));
            (status, headers, Bytes::from(text))
        }
        Ok(response) => {
            let body = match (response.body, &ctx.fields) {
                (Some(body), Some(fields)) if response.status < 300 => {
                    Some(filter_fields(body, fields))
                }
                (body, _) => body,
            };
            let body = body.map(|b| encode_json(&b)).unwrap_or_default();
            (response.status, response.headers, body)
        }
        Err(err) => {
            let headers = err
                .headers()
                .iter()
                .filter_map(|(name, value)| {
                    Some((
                        HeaderName::from_static(name),
                        HeaderValue::from_str(value).ok()?,
                    ))
                })
                .collect();
            (err.status, headers, encode_json(&err.to_json()))
        }
    };
    extra.reverse();
    let mut headers = HeaderMap::with_capacity(20 + extra.len());
    let now = httpdate::fmt_http_date(SystemTime::now());
    let mut set = |name: HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.append(name, value);
        }
    };
    set(header::CONTENT_TYPE, "application/json; charset=UTF-8");
    set(HeaderName::from_static("x-robots-tag"), "noindex");
    set(
        header::LINK,
        &format!("<{}/>; rel=\"https://api.w.org/\"", ctx.rest_base),
    );
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if let Some(allow) = &ctx.allow {
        set(header::ALLOW, allow);
    }
    set(header::EXPIRES, "Thu, 01-Jan-70 00:00:01 GMT");
    set(header::LAST_MODIFIED, &now);
    set(header::CACHE_CONTROL, "no-store, no-cache, must-revalidate");
    set(header::PRAGMA, "no-cache");
    set(header::ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS);
    set(header::ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE_HEADERS);
    if let Some(origin) = &ctx.origin {
        set(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        set(header::ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS);
        set(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    set(header::VARY, "Origin");
    // The handler's headers replace the defaults of the same name; among its own, every
    // value is kept (in order) so a header may repeat.
    let mut replaced = Vec::new();
    while let Some((name, value)) = extra.pop() {
        if replaced.contains(&name) {
            headers.append(name, value);
        } else {
            headers.insert(name.clone(), value);
            replaced.push(name);
        }
    }
    (status, headers, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rest_paths_from_prefix_and_query() {
        let none = Map::new();
        assert_eq!(
            rest_path("/wp-json/cocart/v2/cart", &none).as_deref(),
            Some("/cocart/v2/cart")
        );
        assert_eq!(rest_path("/wp-json", &none).as_deref(), Some("/"));
        assert_eq!(rest_path("/wp-jsonx", &none), None);
        assert_eq!(rest_path("/shop", &none), None);
        let query = parse_php_query("rest_route=/cocart/v2/cart");
        assert_eq!(rest_path("/", &query).as_deref(), Some("/cocart/v2/cart"));
    }

    #[test]
    fn fields_filter_nested_members() {
        let body = json!({"a": 1, "b": {"c": 2, "d": 3}, "e": 4});
        let fields = field_list(&json!("a, b.c"));
        assert_eq!(filter_fields(body, &fields), json!({"a": 1, "b": {"c": 2}}));
    }

    #[test]
    fn method_override_from_query_or_header() {
        let mut headers = HeaderMap::new();
        let query = parse_php_query("_method=delete");
        assert_eq!(
            override_method(Method::POST, &query, &headers),
            Method::DELETE
        );
        headers.insert("x-http-method-override", HeaderValue::from_static("PUT"));
        assert_eq!(
            override_method(Method::POST, &Map::new(), &headers),
            Method::PUT
        );
    }
}
