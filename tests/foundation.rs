//! The daemon's foundation over real HTTP: WordPress REST conventions, limits, CORS and
//! graceful shutdown.

mod common;

use std::time::Duration;

use common::TestServer;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const NO_ROUTE: &str = r#"{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}"#;

#[tokio::test]
async fn namespace_indexes_list_their_routes() {
    let server = TestServer::start().await;
    for namespace in ["cocart/v1", "cocart/v2"] {
        let response = server.get(&format!("/wp-json/{namespace}")).await;
        assert_eq!(response.status, 200);
        let index = response.json();
        assert_eq!(index["namespace"], namespace);
        let own = format!("/{namespace}");
        assert_eq!(index["routes"][&own]["methods"], json!(["GET"]));
        assert_eq!(
            index["routes"][&own]["endpoints"][0]["args"]["namespace"]["default"],
            namespace
        );
        assert!(
            index["routes"]
                .as_object()
                .unwrap()
                .keys()
                .all(|r| r.starts_with(&own)),
            "{index}"
        );
        assert_eq!(
            index["_links"]["up"][0]["href"],
            format!("http://{}/wp-json/", server.addr)
        );
        // PHP-style escaping of slashes, as WordPress sends.
        assert!(response.text().contains(r#""namespace":"cocart\/v"#));
    }
}

#[tokio::test]
async fn site_index_hides_cocart() {
    let server = TestServer::start().await;
    let index = server.get("/wp-json/").await.json();
    assert_eq!(index["namespaces"], json!(["cartd/v1"]));
    assert!(!index.to_string().contains("cocart/"));
    let via_query = server.get("/?rest_route=/").await.json();
    assert_eq!(via_query["namespaces"], json!(["cartd/v1"]));
}

#[tokio::test]
async fn unknown_route_and_wrong_method_are_rest_no_route() {
    let server = TestServer::start().await;
    for (method, path) in [
        ("GET", "/wp-json/cocart/v2/no-such-route"),
        ("DELETE", "/wp-json/cocart/v2"),
        ("GET", "/not-the-api"),
    ] {
        let response = server.request(method, path, &[], "").await;
        assert_eq!(response.status, 404, "{method} {path}");
        assert_eq!(response.text(), NO_ROUTE);
        assert_eq!(
            response.header("content-type"),
            Some("application/json; charset=UTF-8")
        );
    }
}

#[tokio::test]
async fn method_override_is_honoured() {
    let server = TestServer::start().await;
    let overridden = server
        .request("POST", "/wp-json/cartd/v1/health?_method=GET", &[], "")
        .await;
    assert_eq!(overridden.status, 200);
    let by_header = server
        .request(
            "GET",
            "/wp-json/cartd/v1/health",
            &[("x-http-method-override", "DELETE")],
            "",
        )
        .await;
    assert_eq!(by_header.status, 404);
    assert_eq!(by_header.text(), NO_ROUTE);
}

#[tokio::test]
async fn health_and_fields() {
    let server = TestServer::start().await;
    let health = server.get("/wp-json/cartd/v1/health").await;
    assert_eq!(health.status, 200);
    assert_eq!(
        health.json(),
        json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );
    let only_status = server.get("/wp-json/cartd/v1/health?_fields=status").await;
    assert_eq!(only_status.json(), json!({"status": "ok"}));
    let via_rest_route = server.get("/?rest_route=/cartd/v1/health").await;
    assert_eq!(via_rest_route.status, 200);
}

#[tokio::test]
async fn oversized_body_is_413() {
    let server = TestServer::start().await;
    let body = vec![b'x'; 3 * 1024 * 1024];
    let response = server
        .request(
            "POST",
            "/wp-json/cocart/v2/cart/add-item",
            &[("content-type", "application/json")],
            body,
        )
        .await;
    assert_eq!(response.status, 413);
    let error = response.json();
    assert_eq!(error["code"], "cartd_request_too_large");
    assert_eq!(error["data"]["status"], 413);
}

#[tokio::test]
async fn preflight_gets_cors_headers() {
    let server = TestServer::start().await;
    let response = server
        .request(
            "OPTIONS",
            "/wp-json/cocart/v2",
            &[
                ("origin", "http://localhost:3000"),
                ("access-control-request-method", "GET"),
            ],
            "",
        )
        .await;
    assert_eq!(response.status, 200);
    let expected = [
        ("access-control-allow-origin", "http://localhost:3000"),
        (
            "access-control-allow-methods",
            "OPTIONS, GET, POST, PUT, PATCH, DELETE",
        ),
        ("access-control-allow-credentials", "true"),
        (
            "access-control-allow-headers",
            "Authorization, X-Requested-With, Content-Disposition, Content-MD5, Content-Type",
        ),
        ("vary", "Origin"),
        ("allow", "GET"),
    ];
    for (name, value) in expected {
        assert_eq!(response.header(name), Some(value), "{name}");
    }
    let exposed = response.header("access-control-expose-headers").unwrap();
    for header in [
        "CoCart-API-Cart-Key",
        "CoCart-API-Cart-Expiring",
        "CoCart-API-Cart-Expiration",
        "X-WP-Total",
    ] {
        assert!(exposed.contains(header), "{exposed}");
    }
    assert_eq!(response.json()["namespace"], "cocart/v2");
}

#[tokio::test]
async fn shutdown_finishes_an_in_flight_request() {
    let mut server = TestServer::start().await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /wp-json/cartd/v1/health?_method=GET HTTP/1.1\r\nhost: {}\r\ncontent-length: 10\r\n\r\n12345",
        server.addr
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let daemon = server.take_daemon();
    let stopping = tokio::spawn(daemon.stop());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!stopping.is_finished(), "shutdown waits for the request");
    stream.write_all(b"67890").await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#""status":"ok""#), "{response}");
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .expect("shutdown completes")
        .unwrap();
    // The listener is closed.
    assert!(tokio::net::TcpStream::connect(server.addr).await.is_err());
}

#[tokio::test]
async fn a_hook_script_that_does_not_compile_stops_start_up_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let hooks = dir.path().join("hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::write(hooks.join("bad.lua"), "local x = 1\nthis is not lua\n").unwrap();
    let mut config = common::test_config(&dir);
    config.hooks.dir = hooks;
    config.hooks.scripts = vec!["bad.lua".into()];
    let err = cartd::daemon::Daemon::start(config)
        .await
        .err()
        .expect("start-up fails");
    let message = err.to_string();
    assert!(message.contains("bad.lua:2"), "{message}");
}

#[tokio::test]
async fn malformed_json_is_rest_invalid_json() {
    let server = TestServer::start().await;
    let response = server
        .request(
            "POST",
            "/wp-json/cocart/v2/cart/add-item",
            &[("content-type", "application/json")],
            "{\"id\": \"101\",",
        )
        .await;
    assert_eq!(response.status, 400);
    assert_eq!(
        response.text(),
        r#"{"code":"rest_invalid_json","message":"Invalid JSON body passed.","data":{"status":400}}"#
    );
}

#[tokio::test]
async fn a_badly_typed_argument_is_rest_invalid_param_naming_it() {
    let server = TestServer::start().await;
    let response = server
        .get("/wp-json/cocart/v2/cart/items/count?removed_items=maybe")
        .await;
    assert_eq!(response.status, 400);
    assert_eq!(
        response.json(),
        json!({
            "code": "rest_invalid_param",
            "message": "Invalid parameter(s): removed_items",
            "data": {
                "status": 400,
                "params": {"removed_items": "removed_items is not of type boolean."},
                "details": {"removed_items": {
                    "code": "rest_invalid_type",
                    "message": "removed_items is not of type boolean.",
                    "data": {"param": "removed_items"}
                }}
            }
        })
    );
}

#[tokio::test]
async fn underscore_method_delete_dispatches_as_delete() {
    let server = TestServer::start().await;
    let added = server
        .post_json(
            "/wp-json/cocart/v2/cart/add-item?cart_key=m",
            &json!({"id": "101", "quantity": "1"}),
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.text());
    let item_key = added.json()["items"][0]["item_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let removed = server
        .request(
            "POST",
            &format!("/wp-json/cocart/v2/cart/item/{item_key}?cart_key=m&_method=DELETE"),
            &[],
            "",
        )
        .await;
    assert_eq!(removed.status, 200, "{}", removed.text());
    let body = removed.json();
    assert_eq!(body["items"], json!([]));
    assert_eq!(body["removed_items"][0]["item_key"], item_key.as_str());
}

#[tokio::test]
async fn metrics_speak_prometheus_text_from_loopback() {
    let server = TestServer::start().await;
    server.get("/wp-json/cartd/v1/health").await;
    server.get("/wp-json/cocart/v2/nothing-here").await;
    let response = server.get("/wp-json/cartd/v1/metrics").await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let text = response.text();
    assert!(
        text.contains("cartd_requests_total{route=\"/cartd/v1/health\",status=\"200\"} 1\n"),
        "{text}"
    );
    assert!(
        text.contains("cartd_requests_total{route=\"none\",status=\"404\"} 1\n"),
        "{text}"
    );
    assert!(text.contains("# TYPE cartd_request_duration_seconds histogram\n"));
    assert!(
        text.contains("cartd_request_duration_seconds_count 2\n"),
        "{text}"
    );
    assert!(text.contains("cartd_carts_stored 0\n"));
    // Every sample line is `name{labels} value` or `name value`.
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let value = line.rsplit(' ').next().unwrap();
        assert!(value.parse::<f64>().is_ok(), "{line}");
    }
}
