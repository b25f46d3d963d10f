//! The HTTP server: accept loop, connections, timeouts, body limit, panic isolation and
//! graceful shutdown.
//!
//! Each request runs its handler in its own task: a client that hangs up cannot cancel a
//! write half-way, and a panic becomes a 500 instead of a dropped connection. On shutdown
//! the listener closes, connections finish their in-flight requests (up to a deadline)
//! and then the caller closes the store.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, Uri};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::response::encode_json;
use crate::error::ApiError;

/// Limits and deadlines of the server.
#[derive(Debug, Clone)]
pub struct ServerSettings {
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Time a client has to send its request headers.
    pub header_read_timeout: Duration,
    /// A keep-alive connection idle this long is closed.
    pub idle_timeout: Duration,
    /// How long in-flight requests may run after shutdown begins.
    pub shutdown_timeout: Duration,
}

/// A request with its whole body, as handed to the application.
#[derive(Debug)]
pub struct RawRequest {
    /// The request method as sent.
    pub method: Method,
    /// The request target.
    pub uri: Uri,
    /// Request headers.
    pub headers: HeaderMap,
    /// The body (within the size limit).
    pub body: Bytes,
    /// The client address.
    pub peer: SocketAddr,
}

/// The application the server runs.
pub trait Application: Send + Sync + 'static {
    /// Answers one request.
    fn respond(
        self: Arc<Self>,
        request: RawRequest,
    ) -> impl Future<Output = Response<Full<Bytes>>> + Send;
}

/// Serves `app` on `listener` until `shutdown` resolves, then drains connections for up
/// to the configured deadline.
pub async fn run<A: Application>(
    listener: TcpListener,
    app: Arc<A>,
    settings: ServerSettings,
    shutdown: impl Future<Output = ()>,
) {
    let settings = Arc::new(settings);
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    connections.spawn(serve_connection(
                        stream,
                        peer,
                        app.clone(),
                        settings.clone(),
                        stop_rx.clone(),
                    ));
                }
                Err(err) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    tracing::info!(
        connections = connections.len(),
        "shutting down: draining connections"
    );
    let _ = stop_tx.send(true);
    let drained = tokio::time::timeout(settings.shutdown_timeout, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            connections = connections.len(),
            "shutdown deadline passed: closing remaining connections"
        );
        connections.abort_all();
    }
}

/// Per-connection activity, for the idle timeout.
struct Activity {
    started: Instant,
    last_ms: AtomicU64,
    in_flight: AtomicUsize,
}

impl Activity {
    fn touch(&self) {
        self.last_ms
            .store(self.started.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn idle_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.started.elapsed().saturating_sub(last)
    }
}

async fn serve_connection<A: Application>(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    app: Arc<A>,
    settings: Arc<ServerSettings>,
    mut stop: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity {
        started: Instant::now(),
        last_ms: AtomicU64::new(0),
        in_flight: AtomicUsize::new(0),
    });
    let service = {
        let activity = activity.clone();
        let settings = settings.clone();
        service_fn(move |request: Request<Incoming>| {
            let app = app.clone();
            let activity = activity.clone();
            let max_body = settings.max_body_bytes;
            async move {
                activity.in_flight.fetch_add(1, Ordering::Relaxed);
                let response = handle(app, request, peer, max_body).await;
                activity.in_flight.fetch_sub(1, Ordering::Relaxed);
                activity.touch();
                Ok::<_, Infallible>(response)
            }
        })
    };
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(settings.header_read_timeout);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    let idle_check = settings
        .idle_timeout
        .min(Duration::from_secs(1))
        .max(Duration::from_millis(10));
    let mut closing = false;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(err) = result {
                    tracing::debug!(%peer, error = %err, "connection ended with an error");
                }
                return;
            }
            changed = stop.changed(), if !closing => {
                if changed.is_err() || *stop.borrow() {
                    closing = true;
                    connection.as_mut().graceful_shutdown();
                }
            }
            () = tokio::time::sleep(idle_check), if !closing => {
                if activity.in_flight.load(Ordering::Relaxed) == 0
                    && activity.idle_for() >= settings.idle_timeout
                {
                    closing = true;
                    connection.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

async fn handle<A: Application>(
    app: Arc<A>,
    request: Request<Incoming>,
    peer: SocketAddr,
    max_body: usize,
) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let declared_len = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared_len.is_some_and(|len| len > max_body as u64) {
        return error_response(&ApiError::body_too_large(max_body));
    }
    let body = match Limited::new(body, max_body).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) if err.is::<http_body_util::LengthLimitError>() => {
            return error_response(&ApiError::body_too_large(max_body));
        }
        Err(err) => {
            tracing::debug!(%peer, error = %err, "request body could not be read");
            return error_response(&ApiError::new(
                400,
                "cartd_bad_request",
                "The request body could not be read.",
            ));
        }
    };
    let raw = RawRequest {
        method: parts.method,
        uri: parts.uri,
        headers: parts.headers,
        body,
        peer,
    };
    // Its own task: a hang-up cannot cancel a write, and a panic is contained.
    match tokio::spawn(app.respond(raw)).await {
        Ok(response) => response,
        Err(err) => {
            tracing::error!(%peer, error = %err, "request handler panicked");
            error_response(&ApiError::internal())
        }
    }
}

/// A bare error response, for failures before the application sees the request.
pub fn error_response(err: &ApiError) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(encode_json(&err.to_json())));
    *response.status_mut() =
        hyper::StatusCode::from_u16(err.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    response
}
