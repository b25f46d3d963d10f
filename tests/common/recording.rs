//! Reads the recordings of live CoCart (`../shared/reference/peer-store/recordings`) and
//! replays their requests against a test server.

use std::path::PathBuf;

use serde_json::Value;

use super::{TestResponse, TestServer};

/// Where the recordings live, beside the repository.
pub fn recordings_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/reference/peer-store/recordings"
    ))
}

/// The peer store export the recordings were made against.
pub fn peer_store_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/reference/peer-store"
    ))
}

/// One recorded exchange.
#[derive(Debug, Clone)]
pub struct Recording {
    /// The file name, for messages.
    pub name: String,
    /// Request method.
    pub method: String,
    /// Path and query, without scheme and host.
    pub target: String,
    /// Request headers as sent.
    pub headers: Vec<(String, String)>,
    /// Basic credentials (`-u user:pass`).
    pub basic: Option<String>,
    /// Request body.
    pub body: String,
    /// Response status.
    pub status: u16,
    /// Response headers (names lower-cased).
    pub response_headers: Vec<(String, String)>,
    /// Response body text.
    pub response_body: String,
}

impl Recording {
    /// Loads the recording whose file name starts with `prefix` (e.g. `"02"`).
    pub fn load(prefix: &str) -> Recording {
        let dir = recordings_dir();
        let name = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .find(|n| n.starts_with(&format!("{prefix}-")))
            .unwrap_or_else(|| panic!("no recording {prefix}"));
        let text = std::fs::read_to_string(dir.join(&name)).unwrap();
        let (request, response) = text.split_once("### RESPONSE").unwrap();
        let curl = request
            .lines()
            .find(|l| l.starts_with("curl"))
            .expect("curl line");
        let words = shell_words(curl);
        let mut method = "GET".to_owned();
        let mut target = String::new();
        let mut headers = Vec::new();
        let mut basic = None;
        let mut body = String::new();
        let mut i = 1;
        while i < words.len() {
            match words[i].as_str() {
                "-X" => {
                    method = words[i + 1].clone();
                    i += 1;
                }
                "-H" => {
                    let (n, v) = words[i + 1].split_once(':').unwrap();
                    headers.push((n.trim().to_owned(), v.trim().to_owned()));
                    i += 1;
                }
                "-u" => {
                    basic = Some(words[i + 1].clone());
                    i += 1;
                }
                "-d" => {
                    body = words[i + 1].clone();
                    if method == "GET" {
                        method = "POST".into();
                    }
                    i += 1;
                }
                url => {
                    let without_scheme = url.split_once("://").map_or(url, |(_, r)| r);
                    target = without_scheme
                        .find('/')
                        .map_or("/".into(), |at| without_scheme[at..].to_owned());
                }
            }
            i += 1;
        }
        let response = response.replace("\r\n", "\n");
        let response = response.trim_start_matches('\n');
        let (head, response_body) = response.split_once("\n\n").unwrap_or((response, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .expect("status line");
        let response_headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Recording {
            name,
            method,
            target,
            headers,
            basic,
            body,
            status,
            response_headers,
            response_body: response_body.trim_end().to_owned(),
        }
    }

    /// The recorded response body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.response_body)
            .unwrap_or_else(|e| panic!("{}: body is not JSON: {e}", self.name))
    }

    /// A recorded response header.
    pub fn response_header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sends the recorded request to `server`, replacing every `(from, to)` pair in its
    /// target and body (cart keys minted differently).
    pub async fn replay(&self, server: &TestServer, replace: &[(&str, &str)]) -> TestResponse {
        let swap = |text: &str| {
            replace
                .iter()
                .fold(text.to_owned(), |t, (from, to)| t.replace(from, to))
        };
        let mut headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), swap(v)))
            .collect();
        if let Some(basic) = &self.basic {
            use base64::Engine;
            let encoded = base64::engine::general_purpose::STANDARD.encode(basic);
            headers.push(("authorization".into(), format!("Basic {encoded}")));
        }
        let header_refs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        server
            .request(
                &self.method,
                &swap(&self.target),
                &header_refs,
                swap(&self.body),
            )
            .await
    }
}

/// Splits a curl line the way the shell did: words separated by unescaped spaces, `\x`
/// standing for `x`.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ' ' => {
                if !current.is_empty() {
                    words.push(std::mem::take(&mut current));
                }
            }
            other => current.push(other),
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Rewrites a recorded body so it can be compared with cartd's: the recorded cart key and
/// host become ours, and the members that legitimately differ (hashes) are dropped.
pub fn normalise(mut value: Value, replace: &[(&str, &str)]) -> Value {
    let text = replace
        .iter()
        .fold(value.to_string(), |t, (from, to)| t.replace(from, to));
    value = serde_json::from_str(&text).unwrap();
    drop_members(&mut value, &["cart_hash"]);
    value
}

fn drop_members(value: &mut Value, names: &[&str]) {
    match value {
        Value::Object(map) => {
            for name in names {
                map.remove(*name);
            }
            map.values_mut().for_each(|v| drop_members(v, names));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| drop_members(v, names)),
        _ => {}
    }
}

/// A daemon serving the imported peer store (the catalog the recordings were made on).
pub async fn peer_server() -> TestServer {
    TestServer::start_with(|config| {
        config.catalog.demo = false;
        config.catalog.import = vec![peer_store_dir()];
    })
    .await
}

/// Replays recordings in order, mapping the cart keys live CoCart minted to the ones
/// cartd mints, and compares status and body.
pub struct Replay<'a> {
    server: &'a TestServer,
    swaps: Vec<(String, String)>,
}

impl<'a> Replay<'a> {
    /// Starts a replay against `server` (the recorded host becomes the server's).
    pub fn new(server: &'a TestServer) -> Self {
        Replay {
            server,
            swaps: vec![("127.0.0.1:8081".into(), server.addr.to_string())],
        }
    }

    /// The text swaps learnt so far (recorded → actual).
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.swaps
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect()
    }

    /// Sends recording `prefix`, learns a newly minted key, checks the status and returns
    /// the response with the recording's body normalised for comparison.
    pub async fn send(&mut self, prefix: &str) -> (TestResponse, Recording, Value) {
        let recording = Recording::load(prefix);
        let response = recording.replay(self.server, &self.pairs()).await;
        if let (Some(recorded), Some(actual)) = (
            recording.response_header("cocart-api-cart-key"),
            response.header("cocart-api-cart-key"),
        ) && recorded != actual
            && !self.swaps.iter().any(|(from, _)| from == recorded)
        {
            self.swaps.push((recorded.to_owned(), actual.to_owned()));
        }
        assert_eq!(
            response.status,
            recording.status,
            "{}: {}",
            recording.name,
            response.text()
        );
        let expected = normalise(recording.json(), &self.pairs());
        (response, recording, expected)
    }

    /// Sends recording `prefix` and asserts cartd answers the same body.
    pub async fn same(&mut self, prefix: &str) -> TestResponse {
        let (response, recording, expected) = self.send(prefix).await;
        assert_json_eq(&normalise(response.json(), &[]), &expected, &recording.name);
        for header in [
            "cocart-api-cart-key",
            "cocart-api-cart-expiring",
            "cocart-api-cart-expiration",
        ] {
            assert_eq!(
                recording.response_header(header).is_some(),
                response.header(header).is_some(),
                "{}: header {header}",
                recording.name
            );
        }
        response
    }
}

/// Panics with both bodies when they differ.
pub fn assert_json_eq(actual: &Value, expected: &Value, what: &str) {
    if actual != expected {
        panic!(
            "{what}: bodies differ\n actual:   {}\n expected: {}",
            serde_json::to_string(actual).unwrap(),
            serde_json::to_string(expected).unwrap()
        );
    }
}
