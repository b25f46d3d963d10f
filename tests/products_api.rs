//! The Products API over real HTTP, on the peer-store catalog imported at start-up: the
//! recorded CoCart answers replayed, plus filtering, paging, visibility, errors, the v1
//! routes and the namespace index.

mod common;

use common::{TestResponse, TestServer};
use serde_json::{Value, json};

const PEER_STORE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/reference/peer-store"
);

/// The host the recordings were made on.
const RECORDED_HOST: &str = "127.0.0.1:8081";

/// A daemon serving the catalog imported from `folder`.
async fn serve(folder: std::path::PathBuf) -> TestServer {
    TestServer::start_with(move |config| {
        config.catalog.demo = false;
        config.catalog.import = vec![folder];
    })
    .await
}

async fn peer_store() -> TestServer {
    serve(PEER_STORE.into()).await
}

/// A recorded exchange: the request path with its query, and the response.
struct Recording {
    path_and_query: String,
    status: u16,
    body: Value,
}

fn recording(name: &str) -> Recording {
    let text = std::fs::read_to_string(format!("{PEER_STORE}/recordings/{name}")).unwrap();
    let curl = text.lines().find(|line| line.starts_with("curl ")).unwrap();
    let url = curl
        .split_whitespace()
        .find(|word| word.starts_with("http"))
        .unwrap()
        .replace('\\', "");
    let path_and_query = format!("/{}", url.splitn(4, '/').nth(3).unwrap());
    let status_line = text.lines().find(|l| l.starts_with("HTTP/1.1 ")).unwrap();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let body_line = text
        .lines()
        .rev()
        .find(|line| line.starts_with('{') || line.starts_with('['))
        .unwrap();
    Recording {
        path_and_query,
        status,
        body: serde_json::from_str(body_line).unwrap(),
    }
}

/// Blanks what may differ from a recording: our host (the recordings ran on
/// 127.0.0.1:8081), hosts of image URLs, date strings, and the order of `related`
/// (random in CoCart).
fn normalise(value: &mut Value, our_host: &str) {
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
                normalise(child, our_host);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| normalise(v, our_host)),
        Value::String(text) => {
            *text = text.replace(our_host, RECORDED_HOST);
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

/// Replays a recording and checks status and body; returns our response.
async fn replay(server: &TestServer, name: &str) -> TestResponse {
    let recorded = recording(name);
    let response = server.get(&recorded.path_and_query).await;
    assert_eq!(
        response.status,
        recorded.status,
        "{name}: {}",
        response.text()
    );
    let host = server.addr.to_string();
    let (mut ours, mut theirs) = (response.json(), recorded.body);
    normalise(&mut ours, &host);
    normalise(&mut theirs, &host);
    if let Some(difference) = first_difference("$", &ours, &theirs) {
        panic!("{name}: {difference}");
    }
    response
}

fn assert_no_cocart_headers(response: &TestResponse) {
    let cocart: Vec<&str> = response
        .headers
        .keys()
        .map(|name| name.as_str())
        .filter(|name| name.starts_with("cocart-") || *name == "cart-key")
        .collect();
    assert!(cocart.is_empty(), "unexpected headers {cocart:?}");
}

fn ids(items: &Value) -> Vec<u64> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn recording_31_products_list_replays() {
    let server = peer_store().await;
    let response = replay(&server, "31-products-list.txt").await;
    assert_eq!(response.header("x-wp-total"), Some("12"));
    assert_eq!(response.header("x-wp-totalpages"), Some("4"));
    assert_eq!(
        response.header("link").unwrap(),
        format!(
            "<http://{}/wp-json/cocart/v2/products?per_page=3&page=2>; rel=\"next\"",
            server.addr
        )
    );
    assert_no_cocart_headers(&response);
}

#[tokio::test]
async fn recording_32_variable_product_replays() {
    let server = peer_store().await;
    let response = replay(&server, "32-product-variable.txt").await;
    assert_eq!(response.header("x-wp-total"), None);
    assert_no_cocart_headers(&response);
}

#[tokio::test]
async fn recording_33_variations_replay() {
    let server = peer_store().await;
    let response = replay(&server, "33-product-variations.txt").await;
    assert_eq!(response.header("x-wp-total"), Some("4"));
    assert_eq!(response.header("x-wp-totalpages"), Some("1"));
    // A single page has no paging links: the usual API discovery link stays.
    assert_eq!(
        response.header("link").unwrap(),
        format!(
            "<http://{}/wp-json/>; rel=\"https://api.w.org/\"",
            server.addr
        )
    );
    assert_no_cocart_headers(&response);
}

#[tokio::test]
async fn collections_filter_sort_and_page() {
    let server = peer_store().await;
    let middle = server
        .get("/wp-json/cocart/v2/products?per_page=3&page=2&orderby=id&order=ASC")
        .await;
    assert_eq!(middle.status, 200, "{}", middle.text());
    let body = middle.json();
    assert_eq!(ids(&body["products"]), [13, 14, 15]);
    assert_eq!(
        (&body["page"], &body["total_pages"], &body["total_products"]),
        (&json!(2), &json!(4), &json!(12))
    );
    let base = format!("http://{}/wp-json/cocart/v2/products", server.addr);
    let prev = format!("{base}?per_page=3&page=1&orderby=id&order=ASC");
    let next = format!("{base}?per_page=3&page=3&orderby=id&order=ASC");
    assert_eq!(
        middle.header("link").unwrap(),
        format!("<{prev}>; rel=\"prev\", <{next}>; rel=\"next\"")
    );
    assert_eq!(body["_links"]["prev"][0]["href"], prev);
    assert_eq!(body["_links"]["next"][0]["href"], next);
    assert_eq!(middle.header("x-wp-total"), Some("12"));
    assert_eq!(middle.header("x-wp-totalpages"), Some("4"));

    let by_sku = server
        .get("/wp-json/cocart/v2/products?sku=PEER-MUG")
        .await
        .json();
    assert_eq!(ids(&by_sku["products"]), [13]);
    let searched = server
        .get("/wp-json/cocart/v2/products?search=polo")
        .await
        .json();
    assert_eq!(ids(&searched["products"]), [21]);
    let cheapest_first = server
        .get("/wp-json/cocart/v2/products?orderby=price_asc&per_page=100")
        .await
        .json();
    let prices: Vec<u64> = cheapest_first["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["prices"]["price"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");

    let past_the_end = server.get("/wp-json/cocart/v2/products?page=9").await;
    assert_eq!(past_the_end.status, 400);
    assert_eq!(
        past_the_end.json()["code"],
        "cocart_products_invalid_page_number"
    );
    let nothing = server
        .get("/wp-json/cocart/v2/products?search=no-such-thing")
        .await;
    assert_eq!(nothing.status, 200);
    assert_eq!(nothing.header("x-wp-total"), Some("0"));
    assert_eq!(nothing.header("x-wp-totalpages"), Some("0"));
}

#[tokio::test]
async fn hidden_and_private_products_stay_out_of_listings() {
    let folder = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(PEER_STORE).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, folder.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let products_path = folder.path().join("products.json");
    let mut products: Value =
        serde_json::from_str(&std::fs::read_to_string(&products_path).unwrap()).unwrap();
    for product in products.as_array_mut().unwrap() {
        match product["id"].as_u64() {
            Some(13) => product["status"] = json!("private"),
            Some(14) => product["catalog_visibility"] = json!("hidden"),
            _ => {}
        }
    }
    std::fs::write(&products_path, products.to_string()).unwrap();
    let server = serve(folder.path().to_path_buf()).await;

    let listed = server
        .get("/wp-json/cocart/v2/products?per_page=100")
        .await
        .json();
    let listed = ids(&listed["products"]);
    assert_eq!(listed.len(), 10, "{listed:?}");
    assert!(!listed.contains(&13) && !listed.contains(&14));
    let private = server.get("/wp-json/cocart/v2/products/13").await;
    assert_eq!(private.status, 404);
    assert_eq!(private.json()["code"], "cocart_product_invalid_id");
    // Catalog visibility is not checked on the single route.
    assert_eq!(
        server.get("/wp-json/cocart/v2/products/14").await.status,
        200
    );
}

#[tokio::test]
async fn unknown_identifiers_answer_cocart_errors() {
    let server = peer_store().await;
    let cases: &[(&str, u16, &str, &str)] = &[
        (
            "/wp-json/cocart/v2/products/999",
            404,
            "cocart_product_invalid_id",
            "Invalid ID.",
        ),
        (
            "/wp-json/cocart/v2/products/NO-SUCH-SKU",
            404,
            "cocart_unknown_product_id",
            "Product does not exist! Check that you have submitted a product ID or SKU ID correctly for a product that exists.",
        ),
        (
            "/wp-json/cocart/v1/products/999",
            404,
            "cocart_product_invalid_id",
            "Invalid ID.",
        ),
        (
            "/wp-json/cocart/v1/products/PEER-MUG",
            404,
            "rest_no_route",
            "No route was found matching the URL and request method.",
        ),
        (
            "/wp-json/cocart/v2/products/20/variations/25",
            404,
            "cocart_product_variation_invalid_id",
            "Invalid ID.",
        ),
        (
            "/wp-json/cocart/v2/products/categories/999",
            404,
            "cocart_term_invalid",
            "Term does not exist.",
        ),
        (
            "/wp-json/cocart/v2/products/attributes/999",
            404,
            "cocart_attribute_invalid",
            "Attribute does not exist.",
        ),
        (
            "/wp-json/cocart/v2/products/attributes/999/terms",
            404,
            "cocart_taxonomy_invalid",
            "Taxonomy does not exist.",
        ),
        (
            "/wp-json/cocart/v2/products/reviews/999",
            404,
            "cocart_cannot_view_review",
            "Sorry, this product review does not exist.",
        ),
    ];
    for (path, status, code, message) in cases {
        let response = server.get(path).await;
        assert_eq!(response.status, *status, "{path}: {}", response.text());
        assert_eq!(
            response.json(),
            json!({"code": code, "message": message, "data": {"status": status}}),
            "{path}"
        );
    }
    let by_sku = server.get("/wp-json/cocart/v2/products/PEER-MUG").await;
    assert_eq!(by_sku.json()["id"], 13);
}

#[tokio::test]
async fn invalid_arguments_are_rejected_before_the_handler() {
    let server = peer_store().await;
    let response = server.get("/wp-json/cocart/v2/products?per_page=abc").await;
    assert_eq!(response.status, 400);
    let body = response.json();
    assert_eq!(body["code"], "rest_invalid_param");
    assert_eq!(body["message"], "Invalid parameter(s): per_page");
    assert_eq!(
        body["data"]["params"]["per_page"],
        "per_page is not of type integer."
    );
    let date = server.get("/wp-json/cocart/v2/products?after=soon").await;
    assert_eq!(date.status, 400);
    assert_eq!(date.json()["data"]["params"]["after"], "Invalid date.");
    let order = server
        .get("/wp-json/cocart/v1/products?order=sideways")
        .await;
    assert_eq!(order.status, 400);
    assert_eq!(order.json()["code"], "rest_invalid_param");
}

#[tokio::test]
async fn v1_routes_answer_in_their_own_shapes() {
    let server = peer_store().await;
    let list = server.get("/wp-json/cocart/v1/products?per_page=2").await;
    assert_eq!(list.status, 200, "{}", list.text());
    assert_eq!(ids(&list.json()), [21, 20]);
    assert_eq!(list.header("x-wp-total"), Some("12"));
    assert_eq!(list.header("x-wp-totalpages"), Some("6"));
    assert!(
        list.header("link")
            .unwrap()
            .ends_with("page=2>; rel=\"next\"")
    );
    let polo = server.get("/wp-json/cocart/v1/products/21").await;
    assert_eq!(polo.status, 200);
    assert_eq!(polo.json()["id"], 21);
    let variations = server
        .get("/wp-json/cocart/v1/products/21/variations")
        .await;
    assert_eq!(ids(&variations.json()).len(), 4);
    let variation = server
        .get("/wp-json/cocart/v1/products/21/variations/25")
        .await;
    assert_eq!(variation.status, 200);
    assert_eq!(
        variation.json()["_links"]["self"][0]["href"],
        format!(
            "http://{}/wp-json/cocart/v1/products/21/variations/25",
            server.addr
        )
    );
    for path in [
        "/wp-json/cocart/v1/products/categories",
        "/wp-json/cocart/v1/products/tags",
        "/wp-json/cocart/v1/products/attributes",
        "/wp-json/cocart/v1/products/attributes/1/terms",
        "/wp-json/cocart/v1/products/reviews",
    ] {
        let response = server.get(path).await;
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        assert!(response.json().is_array(), "{path}");
        assert!(response.header("x-wp-total").is_some(), "{path}");
        assert_no_cocart_headers(&response);
    }
}

/// Every products route of the recorded namespace index, with its GET endpoints: the
/// index must show them exactly (the recorded `POST products/reviews` is not served).
#[tokio::test]
async fn namespace_indexes_list_the_products_routes_as_recorded() {
    let server = peer_store().await;
    for (namespace, name) in [
        ("cocart/v2", "53-route-index-v2.txt"),
        ("cocart/v1", "54-route-index-v1.txt"),
    ] {
        let host = server.addr.to_string();
        let mut ours = server.get(&format!("/wp-json/{namespace}")).await.json();
        normalise(&mut ours, &host);
        let recorded = recording(name).body;
        let prefix = format!("/{namespace}/products");
        let mut compared = 0;
        for (path, route) in recorded["routes"].as_object().unwrap() {
            if !path.starts_with(&prefix) {
                continue;
            }
            let mut expected = route.clone();
            let endpoints = expected["endpoints"].as_array_mut().unwrap();
            endpoints.retain(|e| e["methods"] == json!(["GET"]));
            expected["methods"] = json!(["GET"]);
            if let Some(difference) = first_difference(path, &ours["routes"][path], &expected) {
                panic!("{difference}");
            }
            compared += 1;
        }
        assert_eq!(compared, 14, "{namespace}");
    }
}
