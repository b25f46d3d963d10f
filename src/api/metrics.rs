//! `GET /wp-json/cartd/v1/metrics`: Prometheus text for operators: requests by route and
//! status, a latency histogram, carts stored and hook errors.
//!
//! Counting happens on every request, so it is a few atomic adds and one short lock; the
//! text is only built when scraped.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::App;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::http::response::ApiResponse;
use crate::http::wp::ApiRequest;

/// Upper bounds of the latency histogram buckets, in seconds.
const BUCKETS: [f64; 10] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0,
];

/// Request counters since start-up.
#[derive(Default)]
pub struct Metrics {
    by_route_status: Mutex<BTreeMap<(String, u16), u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn record(&self, route: &str, status: u16, elapsed: Duration) {
        if let Ok(mut counts) = self.by_route_status.lock() {
            *counts.entry((route.to_owned(), status)).or_default() += 1;
        }
        let seconds = elapsed.as_secs_f64();
        if let Some(bucket) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            self.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
    }

    fn render(&self, carts: u64, hook_errors: &[(String, u64)]) -> String {
        let mut out = String::new();
        out.push_str("# HELP cartd_requests_total Requests answered, by route and status.\n");
        out.push_str("# TYPE cartd_requests_total counter\n");
        if let Ok(counts) = self.by_route_status.lock() {
            for ((route, status), count) in counts.iter() {
                let _ = writeln!(
                    out,
                    "cartd_requests_total{{route=\"{}\",status=\"{status}\"}} {count}",
                    escape(route)
                );
            }
        }
        out.push_str("# HELP cartd_request_duration_seconds Time to answer a request.\n");
        out.push_str("# TYPE cartd_request_duration_seconds histogram\n");
        let mut cumulative = 0;
        for (bound, bucket) in BUCKETS.iter().zip(&self.buckets) {
            cumulative += bucket.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "cartd_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "cartd_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1_000_000.0;
        let _ = writeln!(out, "cartd_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "cartd_request_duration_seconds_count {count}");
        out.push_str("# HELP cartd_carts_stored Cart sessions in the data file.\n");
        out.push_str("# TYPE cartd_carts_stored gauge\n");
        let _ = writeln!(out, "cartd_carts_stored {carts}");
        out.push_str("# HELP cartd_hook_errors_total Failed or runaway hook callbacks, by hook.\n");
        out.push_str("# TYPE cartd_hook_errors_total counter\n");
        for (hook, errors) in hook_errors {
            let _ = writeln!(
                out,
                "cartd_hook_errors_total{{hook=\"{}\"}} {errors}",
                escape(hook)
            );
        }
        out
    }
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// `GET /cartd/v1/metrics`: from loopback, or for administrators and shop managers.
pub fn get(
    app: &App,
    req: &ApiRequest,
    principal: Option<&Principal>,
) -> Result<ApiResponse, ApiError> {
    let staff = principal.is_some_and(Principal::can_manage_woocommerce);
    if !(req.peer.ip().is_loopback() || staff) {
        let status = if principal.is_some() { 403 } else { 401 };
        return Err(ApiError::new(
            status,
            "rest_forbidden",
            "Sorry, you are not allowed to do that.",
        ));
    }
    let text = app.metrics.render(
        app.store.session_count()?,
        &app.hooks.current().error_counts(),
    );
    Ok(ApiResponse::text(
        "text/plain; version=0.0.4; charset=utf-8",
        text,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let metrics = Metrics::default();
        metrics.record("/cocart/v2/cart", 200, Duration::from_micros(700));
        metrics.record("/cocart/v2/cart", 200, Duration::from_millis(3));
        metrics.record("none", 404, Duration::from_secs(2));
        let text = metrics.render(5, &[("cocart_cart_contents".into(), 2)]);
        assert!(
            text.contains("cartd_requests_total{route=\"/cocart/v2/cart\",status=\"200\"} 2\n")
        );
        assert!(text.contains("cartd_requests_total{route=\"none\",status=\"404\"} 1\n"));
        assert!(text.contains("cartd_request_duration_seconds_bucket{le=\"0.001\"} 1\n"));
        assert!(text.contains("cartd_request_duration_seconds_bucket{le=\"0.005\"} 2\n"));
        assert!(text.contains("cartd_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
        assert!(text.contains("cartd_request_duration_seconds_count 3\n"));
        assert!(text.contains("cartd_carts_stored 5\n"));
        assert!(text.contains("cartd_hook_errors_total{hook=\"cocart_cart_contents\"} 2\n"));
    }
}
