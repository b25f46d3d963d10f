//! The discovery routes: `GET /wp-json/` and the namespace indexes, generated from the
//! same route table that routes and validates requests, so they cannot drift from it.

use serde_json::{Map, Value, json};

use super::App;
use crate::http::response::ApiResponse;
use crate::http::wp::ApiRequest;

/// Namespaces the site index leaves out: CoCart's routes are listed only by their own
/// namespace indexes, as on a WordPress site.
fn is_listed_on_site_index(namespace: &str) -> bool {
    !namespace.starts_with("cocart/")
}

fn namespace_of(path: &str) -> String {
    path.trim_matches('/').to_ascii_lowercase()
}

/// `GET /wp-json/cocart/v2` (and every other namespace): the routes of that namespace.
pub fn namespace(app: &App, req: &ApiRequest) -> ApiResponse {
    let namespace = namespace_of(&req.rest_path);
    let routes: Map<String, Value> = app
        .routes
        .routes()
        .iter()
        .filter(|r| r.namespace == namespace)
        .map(|r| (r.path.clone(), r.index_entry(&req.rest_base)))
        .collect();
    ApiResponse::ok(json!({
        "namespace": namespace,
        "routes": routes,
        "_links": {"up": [{"href": format!("{}/", req.rest_base)}]},
    }))
}

/// `GET /wp-json/`: the site description and its public namespaces.
pub fn site(app: &App, req: &ApiRequest) -> ApiResponse {
    let site = req.site_url().to_owned();
    let listed = || {
        app.routes
            .routes()
            .iter()
            .filter(|r| !r.namespace.is_empty() && is_listed_on_site_index(&r.namespace))
    };
    let mut namespaces: Vec<&str> = Vec::new();
    for route in listed() {
        if !namespaces.contains(&route.namespace.as_str()) {
            namespaces.push(&route.namespace);
        }
    }
    let routes: Map<String, Value> = listed()
        .map(|r| (r.path.clone(), r.index_entry(&req.rest_base)))
        .collect();
    ApiResponse::ok(json!({
        "name": "cartd",
        "description": "CoCart-compatible cart API",
        "url": site,
        "home": site,
        "gmt_offset": "0",
        "timezone_string": "UTC",
        "namespaces": namespaces,
        "authentication": [],
        "routes": routes,
        "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
    }))
}
