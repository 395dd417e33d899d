//! `GET /metrics` in the Prometheus text format, for the operator's scraper: requests by route
//! template and status with a latency histogram, the outbox's queued and failed mail, the
//! database pool's size and idle connections, and refused sign-ins.
//!
//! Only the addresses in `PORTAL_METRICS_ALLOW` (loopback by default) get an answer; anyone else
//! gets the 404 of a page that does not exist. The client is judged like everywhere else: the
//! TCP peer, or behind a trusted proxy the address it forwarded for, so a public request relayed
//! by the local reverse proxy is not mistaken for a local one.
//!
//! The recording layer sits inside the page cache: a page the cache answers costs nothing here
//! (and is not counted), and what reaches the renderer pays two atomic adds and a histogram
//! bucket. Routes are labelled by their template (`/vacancies/{id}`), never the raw path, so
//! the number of series stays fixed whatever clients ask for.

use app::shared::proxy::Cidr;
use app::ssr::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, StatusCode};
use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

/// The label of requests no route matched (static files, unknown addresses).
const UNMATCHED: &str = "unmatched";

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    outbox: IntGaugeVec,
    pool: IntGaugeVec,
    sign_in_failures: IntCounter,
    allow: Vec<Cidr>,
}

impl Metrics {
    pub fn new(allow: Vec<Cidr>) -> Arc<Metrics> {
        let registry = Registry::new_custom(Some("portal".into()), None).expect("registry");
        let requests = IntCounterVec::new(Opts::new("http_requests_total", "HTTP requests answered, by route template, method and status"), &["route", "method", "status"]).expect("metric");
        let latency = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "Time to answer, by route template and method")
                .buckets(vec![0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]),
            &["route", "method"],
        )
        .expect("metric");
        let outbox = IntGaugeVec::new(Opts::new("outbox_messages", "Email in the outbox, by status (pending = queued)"), &["status"]).expect("metric");
        let pool = IntGaugeVec::new(Opts::new("db_pool_connections", "Database pool connections: open (size) and idle"), &["state"]).expect("metric");
        let sign_in_failures = IntCounter::new("sign_in_failures_total", "Sign-ins refused: wrong address or password, or a disabled account").expect("metric");
        for c in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(outbox.clone()),
            Box::new(pool.clone()),
            Box::new(sign_in_failures.clone()),
        ] {
            registry.register(c).expect("distinct metric names");
        }
        Arc::new(Metrics { registry, requests, latency, outbox, pool, sign_in_failures, allow })
    }

    /// Whether `client` may read the metrics.
    pub fn allows(&self, client: IpAddr) -> bool {
        self.allow.iter().any(|c| c.contains(client))
    }

    fn observe(&self, route: &str, method: &str, status: StatusCode, seconds: f64) {
        self.requests.with_label_values(&[route, method, status.as_str()]).inc();
        self.latency.with_label_values(&[route, method]).observe(seconds);
    }
}

/// The middleware that counts and times every request that gets past the page cache.
pub async fn record(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let method = request.method().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    let route = route.as_deref().unwrap_or(UNMATCHED);
    // Methods outside the standard few are one label, like unmatched routes: bounded series.
    let method = match method.as_str() {
        m @ ("GET" | "POST" | "HEAD" | "PUT" | "DELETE" | "OPTIONS" | "PATCH") => m,
        _ => "other",
    };
    metrics.observe(route, method, response.status(), started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics`: gauges read now, counters as they stand.
pub async fn serve(
    State(state): State<AppState>,
    axum::Extension(metrics): axum::Extension<Arc<Metrics>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: http::HeaderMap,
) -> Response {
    let client = app::ssr::client_ip_of(&state, peer.ip(), &headers);
    if !metrics.allows(client) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match sqlx::query_as::<_, (String, i64)>("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetch_all(&state.pool).await {
        Ok(rows) => {
            for status in ["pending", "failed", "sent"] {
                let n = rows.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n);
                metrics.outbox.with_label_values(&[status]).set(n);
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: cannot count the outbox"),
    }
    metrics.pool.with_label_values(&["size"]).set(i64::from(state.pool.size()));
    metrics.pool.with_label_values(&["idle"]).set(state.pool.num_idle() as i64);
    let failures = app::ssr::SIGN_IN_FAILURES.load(Ordering::Relaxed);
    metrics.sign_in_failures.inc_by(failures.saturating_sub(metrics.sign_in_failures.get()));
    let mut body = Vec::new();
    if let Err(e) = TextEncoder::new().encode(&metrics.registry.gather(), &mut body) {
        tracing::error!(error = %e, "metrics: cannot encode");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    ([(header::CONTENT_TYPE, prometheus::TEXT_FORMAT), (header::CACHE_CONTROL, "no-store")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(allow: &str) -> Arc<Metrics> {
        Metrics::new(Cidr::parse_list(allow).unwrap())
    }

    #[test]
    fn only_the_allowed_addresses_may_read_the_metrics() {
        let m = metrics("127.0.0.1, ::1, 10.1.0.0/16");
        for ok in ["127.0.0.1", "::1", "10.1.200.3", "::ffff:127.0.0.1"] {
            assert!(m.allows(ok.parse().unwrap()), "{ok}");
        }
        for refused in ["127.0.0.2", "10.2.0.1", "203.0.113.9", "::2"] {
            assert!(!m.allows(refused.parse().unwrap()), "{refused}");
        }
        assert!(!metrics("").allows("127.0.0.1".parse().unwrap()), "an empty list allows nobody");
    }

    #[test]
    fn requests_are_counted_by_route_template_with_latency_buckets() {
        let m = metrics("127.0.0.1");
        m.observe("/vacancies/{id}", "GET", StatusCode::OK, 0.003);
        m.observe("/vacancies/{id}", "GET", StatusCode::OK, 0.2);
        let mut out = Vec::new();
        TextEncoder::new().encode(&m.registry.gather(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#"portal_http_requests_total{method="GET",route="/vacancies/{id}",status="200"} 2"#), "{text}");
        assert!(text.contains(r#"portal_http_request_duration_seconds_bucket{method="GET",route="/vacancies/{id}",le="0.005"} 1"#), "{text}");
    }
}
