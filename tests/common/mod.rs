//! The integration-test harness: boots the real daemon in-process on port 0 with a
//! temporary data file and speaks HTTP/1.1 to it, as a storefront would.

#![allow(dead_code)] // each test binary uses a different part of the harness

use std::net::SocketAddr;

use bytes::Bytes;
use cartd::config::Config;
use cartd::daemon::Daemon;
use http_body_util::{BodyExt, Full};
use hyper::header::HeaderMap;
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tempfile::TempDir;
use tokio::net::TcpStream;

pub mod recording;

/// A daemon serving on 127.0.0.1 with its own data directory.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its configuration as started.
    pub config: Config,
    daemon: Option<Daemon>,
    dir: TempDir,
}

/// A response as the client saw it.
#[derive(Debug)]
pub struct TestResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl TestResponse {
    /// The body parsed as JSON (panics with the body text if it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The default test configuration: port 0, a data file in `dir`.
pub fn test_config(dir: &TempDir) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_path: dir.path().join("cartd.redb"),
        ..Config::default()
    }
}

impl TestServer {
    /// Starts a daemon on the default test configuration.
    pub async fn start() -> TestServer {
        Self::start_with(|_| {}).await
    }

    /// Starts a daemon after `adjust` has changed the test configuration.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let mut config = test_config(&dir);
        adjust(&mut config);
        Self::start_in(dir, config).await
    }

    async fn start_in(dir: TempDir, config: Config) -> TestServer {
        let daemon = Daemon::start(config.clone()).await.expect("daemon starts");
        TestServer {
            addr: daemon.addr,
            config,
            daemon: Some(daemon),
            dir,
        }
    }

    /// Stops the daemon and starts a new one on the same data file (same port not kept).
    pub async fn restart(mut self) -> TestServer {
        self.stop_daemon().await;
        let mut config = self.config.clone();
        config.listen = "127.0.0.1:0".parse().unwrap();
        let dir = std::mem::replace(&mut self.dir, tempfile::tempdir().unwrap());
        Self::start_in(dir, config).await
    }

    /// Stops the daemon (drains in-flight requests).
    pub async fn stop_daemon(&mut self) {
        if let Some(daemon) = self.daemon.take() {
            daemon.stop().await;
        }
    }

    /// Takes the daemon out, for tests that stop it concurrently with requests.
    pub fn take_daemon(&mut self) -> Daemon {
        self.daemon.take().expect("daemon running")
    }

    /// Sends one request on a new connection.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> TestResponse {
        send(self.addr, method, path, headers, body.into()).await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> TestResponse {
        self.request("GET", path, &[], Bytes::new()).await
    }

    /// `POST path` with a JSON body.
    pub async fn post_json(&self, path: &str, body: &Value) -> TestResponse {
        self.request(
            "POST",
            path,
            &[("content-type", "application/json")],
            serde_json::to_vec(body).unwrap(),
        )
        .await
    }
}

/// Sends one HTTP/1.1 request to `addr` and reads the whole response.
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Bytes,
) -> TestResponse {
    let stream = TcpStream::connect(addr).await.expect("connects");
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(connection);
    let mut request = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(path)
        .header("host", addr.to_string());
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = sender
        .send_request(request.body(Full::new(body)).unwrap())
        .await
        .expect("response");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    TestResponse {
        status,
        headers,
        body,
    }
}

/// Creates users in the data file of `config` before the daemon opens it. Runs on its own
/// thread because the store's blocking writes must not run inside the test's runtime.
pub fn create_users(config: &Config, users: &[(&str, &str, &str, cartd::auth::Role)]) {
    let path = config.data_path.clone();
    let users: Vec<(String, String, String, cartd::auth::Role)> = users
        .iter()
        .map(|(u, e, p, r)| (u.to_string(), e.to_string(), p.to_string(), *r))
        .collect();
    std::thread::spawn(move || {
        let store = cartd::store::Store::open(&path).unwrap();
        for (username, email, password, role) in &users {
            let new = cartd::accounts::NewUser {
                username,
                email,
                password,
                role: *role,
            };
            cartd::accounts::add_user(&store, &new, 1_795_300_000).unwrap();
        }
    })
    .join()
    .unwrap();
}
