//! Replays the peer-store recordings 31–33 at the function level: the recorded request's
//! query goes through parsing, the query and the renderers, and the result must equal the
//! recorded body (apart from image URL hosts, dates and the random order of `related`).

use serde_json::{Map, Value, json};

use super::common::RenderContext;
use super::paging::paging_links;
use super::query::{CollectionRoute, ProductQuery, query_products};
use super::render_v2::{
    VariationLinks, collection_envelope_v2, find_product_v2, render_product_or_variation_v2,
    render_variation_v2,
};
use super::test_fixtures::{PEER_BASE_URL, validated};
use super::view::CatalogView;
use crate::catalog::Catalog;
use crate::catalog::model::UnixTime;

const RECORDINGS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/reference/peer-store/recordings"
);

/// The instant the recordings were taken.
fn recorded_now() -> UnixTime {
    UnixTime::parse("2026-11-22T02:44:16").unwrap()
}

const PEER_STORE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/reference/peer-store"
);

/// The catalog the recordings ran against, imported from the peer-store export.
fn recorded_catalog() -> Catalog {
    Catalog::new(crate::catalog::import::load_path(std::path::Path::new(PEER_STORE)).unwrap())
}

struct Recording {
    path: String,
    query: Vec<(String, String)>,
    body: Value,
}

fn load(name: &str) -> Recording {
    let text = std::fs::read_to_string(format!("{RECORDINGS}/{name}")).unwrap();
    let curl = text.lines().find(|line| line.starts_with("curl ")).unwrap();
    let url = curl
        .split_whitespace()
        .find(|word| word.starts_with("http"))
        .unwrap()
        .replace('\\', "");
    let after_host = url.splitn(4, '/').nth(3).unwrap();
    let (path, query_string) = after_host.split_once('?').unwrap_or((after_host, ""));
    let query = query_string
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key.to_string(), value.to_string())
        })
        .collect();
    let body_line = text
        .lines()
        .rev()
        .find(|line| line.starts_with('{') || line.starts_with('['))
        .unwrap();
    Recording {
        path: format!("/{path}"),
        query,
        body: serde_json::from_str(body_line).unwrap(),
    }
}

/// The recorded query as the handler receives it: validated against `declared_route`.
fn params_of(declared_route: &str, query: &[(String, String)]) -> Map<String, Value> {
    let raw: Map<String, Value> = query.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    validated(declared_route, Value::Object(raw)).unwrap()
}

/// Blanks what the comparison ignores: hosts of image URLs, date strings, and the order
/// of `related` (random in CoCart).
fn normalise(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "dates" {
                    if let Value::Object(dates) = child {
                        dates.values_mut().for_each(|date| *date = json!("DATE"));
                    }
                    continue;
                }
                if key == "related"
                    && let Value::Array(items) = child
                {
                    items.sort_by_key(|item| item["id"].as_u64());
                }
                normalise(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalise),
        Value::String(text) if text.contains("/wp-content/uploads/") => {
            if let Some(at) = text.find("/wp-content/") {
                *text = format!("HOST{}", &text[at..]);
            }
        }
        _ => {}
    }
}

/// The first path where two JSON values differ (keys compared in order).
fn first_difference(path: &str, ours: &Value, recorded: &Value) -> Option<String> {
    match (ours, recorded) {
        (Value::Object(a), Value::Object(b)) => {
            let keys_a: Vec<&String> = a.keys().collect();
            let keys_b: Vec<&String> = b.keys().collect();
            if keys_a != keys_b {
                return Some(format!("{path}: keys {keys_a:?} != recorded {keys_b:?}"));
            }
            a.iter()
                .find_map(|(key, value)| first_difference(&format!("{path}.{key}"), value, &b[key]))
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (x, y))| first_difference(&format!("{path}[{i}]"), x, y)),
        _ if ours == recorded => None,
        _ => Some(format!("{path}: ours {ours} != recorded {recorded}")),
    }
}

fn assert_matches_recording(mut ours: Value, mut recorded: Value) {
    normalise(&mut ours);
    normalise(&mut recorded);
    if let Some(difference) = first_difference("$", &ours, &recorded) {
        panic!("{difference}");
    }
}

#[test]
fn recording_31_products_list_first_page() {
    let recording = load("31-products-list.txt");
    let snapshot = recorded_catalog();
    let catalog = CatalogView::new(&snapshot);
    let ctx = RenderContext {
        catalog: &catalog,
        base_url: PEER_BASE_URL,
        now: recorded_now(),
    };
    let params = params_of("/cocart/v2/products", &recording.query);
    let query = ProductQuery::parse(
        &params,
        CollectionRoute::Products,
        &catalog.settings().default_catalog_orderby,
    )
    .unwrap();
    let page = query_products(&catalog, &query, ctx.now).unwrap();
    assert_eq!((page.total, page.total_pages), (12, 4));
    let route = recording.path.trim_start_matches("/wp-json");
    let links = paging_links(
        PEER_BASE_URL,
        route,
        &recording.query,
        query.page,
        page.total_pages,
    );
    assert_eq!(
        links.link_header_values(),
        ["<http://127.0.0.1:8081/wp-json/cocart/v2/products?per_page=3&page=2>; rel=\"next\""]
    );
    let items = page
        .items
        .iter()
        .map(|product| render_product_or_variation_v2(&ctx, product, query.show_reviews))
        .collect();
    let body = collection_envelope_v2(items, query.page, page.total_pages, page.total, &links);
    assert_matches_recording(body, recording.body);
}

#[test]
fn recording_32_single_variable_product() {
    let recording = load("32-product-variable.txt");
    let snapshot = recorded_catalog();
    let catalog = CatalogView::new(&snapshot);
    let ctx = RenderContext {
        catalog: &catalog,
        base_url: PEER_BASE_URL,
        now: recorded_now(),
    };
    let id = recording.path.rsplit('/').next().unwrap();
    let product = find_product_v2(&catalog, id).unwrap();
    assert_matches_recording(
        render_product_or_variation_v2(&ctx, product, false),
        recording.body,
    );
}

#[test]
fn recording_33_variations_of_a_variable_product() {
    let recording = load("33-product-variations.txt");
    let snapshot = recorded_catalog();
    let catalog = CatalogView::new(&snapshot);
    let ctx = RenderContext {
        catalog: &catalog,
        base_url: PEER_BASE_URL,
        now: recorded_now(),
    };
    let parent_id = recording.path.split('/').nth(5).unwrap().parse().unwrap();
    let params = params_of(
        "/cocart/v2/products/(?P<product_id>[\\d]+)/variations",
        &recording.query,
    );
    let query = ProductQuery::parse(
        &params,
        CollectionRoute::Variations { parent_id },
        &catalog.settings().default_catalog_orderby,
    )
    .unwrap();
    let page = query_products(&catalog, &query, ctx.now).unwrap();
    assert_eq!((page.total, page.total_pages), (4, 1));
    let body: Value = page
        .items
        .iter()
        .map(|variation| render_variation_v2(&ctx, variation, VariationLinks::VariationsRoute))
        .collect();
    assert_matches_recording(body, recording.body);
}
