//! Operations: a request id on every request and response, Prometheus metrics, and what is
//! logged about a request.
//!
//! Every request runs in a `request` span carrying its id (the client's `X-Request-Id` when it is
//! a short token, else a new one), its method and its route pattern, so every event logged while
//! it runs names it; the response carries the id back. One event per request, at `debug` under the
//! target `bonafide::access`, records status and latency. Nothing a check was asked about is
//! logged: only the SHA-256 of the request, as the verdict's `subject_sha256`.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use prometheus::{
    Encoder as _, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};
use tracing::Instrument as _;

use super::{AppState, poisoned};

/// The header carrying the request id, both ways.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The service's metrics, in a registry of its own (not a process-wide one, so that several
/// services in one process, as in tests, count apart).
pub(crate) struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    checks: IntCounterVec,
    log_size: IntGauge,
}

impl Metrics {
    /// The metrics, registered.
    pub(crate) fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "bonafide_http_requests_total",
                "HTTP requests answered, by route pattern, method and status.",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "bonafide_http_request_duration_seconds",
                "Time from a request's arrival to its response, by route pattern.",
            )
            .buckets(vec![
                0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["route"],
        )?;
        let checks = IntCounterVec::new(
            Opts::new(
                "bonafide_checks_total",
                "Signed verdicts, by check (contact, agreement) and outcome.",
            ),
            &["check", "outcome"],
        )?;
        let log_size = IntGauge::new(
            "bonafide_log_size",
            "Entries in the transparency log, as of the checkpoint this replica serves.",
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(checks.clone()))?;
        registry.register(Box::new(log_size.clone()))?;
        Ok(Self {
            registry,
            requests,
            latency,
            checks,
            log_size,
        })
    }

    /// Counts a signed verdict.
    pub(crate) fn verdict(&self, check: &str, outcome: &str) {
        self.checks.with_label_values(&[check, outcome]).inc();
    }
}

/// Whether a client's request id may be taken as it is: 1 to 64 letters, digits, `-`, `_`, `.`
/// (so it can be logged and echoed without escaping).
fn acceptable(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn new_id() -> String {
    let bytes: [u8; 12] = rand::random();
    crate::crypto::hex(&bytes)
}

/// The middleware: request id, span, metrics, access event.
pub(crate) async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let started = Instant::now();
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map_or_else(new_id, str::to_owned);
    // Known methods only, so that a client cannot mint label values (and series) at will.
    let method = match req.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "OPTIONS" | "PATCH") => m,
        _ => "other",
    }
    .to_owned();
    let metrics = req.app_data::<web::Data<AppState>>().cloned();
    // The route is known once the request is routed, so the span gets it at the end.
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %method,
        route = tracing::field::Empty
    );
    let result = next.call(req).instrument(span.clone()).await;
    let route = match &result {
        Ok(response) => response.request().match_pattern(),
        Err(_) => None,
    }
    .unwrap_or_else(|| "unmatched".to_owned());
    span.record("route", route.as_str());
    let status = match &result {
        Ok(response) => response.status(),
        Err(e) => e.as_response_error().status_code(),
    };
    if let Some(state) = metrics {
        let elapsed = started.elapsed().as_secs_f64();
        state
            .metrics
            .requests
            .with_label_values(&[route.as_str(), method.as_str(), status.as_str()])
            .inc();
        state
            .metrics
            .latency
            .with_label_values(&[route.as_str()])
            .observe(elapsed);
    }
    tracing::debug!(
        target: "bonafide::access",
        parent: &span,
        status = status.as_u16(),
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "answered"
    );
    let mut response = result?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(response)
}

/// `GET /metrics`: the Prometheus text exposition.
pub(super) async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, super::ApiError> {
    let size = state
        .live
        .read()
        .map_err(poisoned)?
        .checkpoint
        .as_ref()
        .map_or(0, |signed| signed.checkpoint.size);
    state
        .metrics
        .log_size
        .set(i64::try_from(size).unwrap_or(i64::MAX));
    let mut text = Vec::new();
    TextEncoder::new()
        .encode(&state.metrics.registry.gather(), &mut text)
        .map_err(|e| super::ApiError::Internal(format!("cannot encode metrics: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text))
}

/// Binds `bind` and returns its port and a server of `/metrics`, `/healthz` and `/readyz` on it
/// alone: metrics are for the operator's scraper, on an address the public never reaches (the
/// public listener does not serve them).
pub(super) fn serve_metrics(
    bind: &str,
    state: web::Data<AppState>,
) -> std::io::Result<(u16, actix_web::dev::Server)> {
    let listener = super::listen(bind, 64)?;
    let port = listener.local_addr()?.port();
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(state.clone())
            .route("/metrics", web::get().to(metrics))
            .route("/healthz", web::get().to(super::routes::healthz))
            .route("/readyz", web::get().to(super::routes::readyz))
            .default_service(web::to(super::routes::not_found))
    })
    .workers(1)
    .listen(listener)?
    .run();
    Ok((port, server))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_request_ids_are_taken() {
        assert!(acceptable("abc-123_x.y"));
        assert!(!acceptable(""));
        assert!(!acceptable(&"a".repeat(65)));
        assert!(!acceptable("a b"));
        assert!(!acceptable("a\nb"));
        assert!(!acceptable("<script>"));
        assert_eq!(new_id().len(), 24);
    }
}
