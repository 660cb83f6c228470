//! Middleware that keeps one server up under abuse and safe to expose: request ids it can
//! trust, the host names it answers to (DNS-rebinding defence), per-client request rates, a
//! cap on requests in flight and on request-body bytes held at once, and security headers.
//!
//! `/health` and `/ready` bypass the host check, the rate limit and the caps: probes must
//! keep answering while the server sheds load.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{
    AUTHORIZATION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, HOST, REFERRER_POLICY,
    TRANSFER_ENCODING, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::error::ApiError;
use crate::limits::Limits;
use crate::request_id;

/// Content-Security-Policy of the web UI: scripts and styles from this origin only (the built
/// app has no inline script or style), no plugins, no framing, no foreign form targets.
pub const UI_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The Swagger UI of `/api/docs` styles elements inline and draws icons from `data:` URLs.
const DOCS_CSP: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// JSON and everything else: nothing to load, nothing to frame.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// Units in which request bodies are counted against [`Limits::body_memory`].
const BODY_UNIT: usize = 64 * 1024;

/// Shared state of the middleware.
pub struct Guard {
    limits: Limits,
    body_limit: usize,
    in_flight: Arc<Semaphore>,
    body_units: Arc<Semaphore>,
    total_body_units: usize,
    rate: Option<RateLimiter>,
}

impl Guard {
    pub fn new(limits: &Limits, body_limit: usize) -> Arc<Guard> {
        // Room for at least one body at the body limit.
        let total_body_units = limits
            .body_memory
            .max(body_limit)
            .div_ceil(BODY_UNIT)
            .max(1);
        Arc::new(Guard {
            in_flight: Arc::new(Semaphore::new(limits.max_in_flight.max(1))),
            body_units: Arc::new(Semaphore::new(total_body_units)),
            total_body_units,
            rate: limits
                .rate_limit
                .map(|r| RateLimiter::new(r.per_second, r.burst)),
            limits: limits.clone(),
            body_limit,
        })
    }
}

fn is_probe(path: &str) -> bool {
    path == "/health" || path == "/ready"
}

/// Requests the rate limit counts: the API and `/program` (the UI's static files are not).
fn is_rated(path: &str) -> bool {
    path.starts_with("/api/") || path == "/program"
}

/// Keeps a client's `x-request-id` only when it is a UUID (then in its canonical form); any
/// other value is dropped so the server generates one. Log lines and 500 answers quote the id,
/// so it must not carry whatever a client chose to put there.
pub async fn trusted_request_id(mut request: Request, next: Next) -> Response {
    let headers = request.headers_mut();
    if let Some(value) = headers.get(request_id::HEADER) {
        let canonical = value
            .to_str()
            .ok()
            .and_then(|v| uuid::Uuid::try_parse(v).ok())
            .and_then(|id| HeaderValue::from_str(&id.hyphenated().to_string()).ok());
        match canonical {
            Some(id) => {
                headers.insert(request_id::HEADER, id);
            }
            None => {
                headers.remove(request_id::HEADER);
            }
        }
    }
    next.run(request).await
}

/// Refuses a `Host` this server does not answer to (421), except for the probes. A request
/// without `Host` (HTTP/1.0) is no browser's and passes.
pub async fn allowed_host(
    State(guard): State<Arc<Guard>>,
    request: Request,
    next: Next,
) -> Response {
    if !is_probe(request.uri().path()) {
        let host = request
            .headers()
            .get(HOST)
            .map(|h| h.to_str().unwrap_or("\u{fffd}"))
            .or_else(|| request.uri().authority().map(|a| a.as_str()));
        if let Some(host) = host
            && !guard.limits.allowed_hosts.allows(host)
        {
            return ApiError::host_not_allowed(host).into_response();
        }
    }
    next.run(request).await
}

/// The rate limit, then the cap on requests in flight, then room for the body.
pub async fn admission(State(guard): State<Arc<Guard>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if is_probe(path) {
        return next.run(request).await;
    }
    if let Some(rate) = &guard.rate
        && is_rated(path)
        && let Err(wait) = rate.check(&client_key(&request))
    {
        return ApiError::too_many(
            "RATE_LIMITED",
            "this client sent more requests than its rate limit allows (SLB_RATE_LIMIT)",
        )
        .with_retry_after(wait.as_secs_f64().ceil() as u64);
    }
    let Ok(_in_flight) = guard.in_flight.clone().try_acquire_owned() else {
        return ApiError::busy("too many requests in flight; retry shortly").into_response();
    };
    let _body = match body_units(&request, guard.body_limit, guard.total_body_units) {
        0 => None,
        units => {
            let room = guard.body_units.clone().acquire_many_owned(units as u32);
            match tokio::time::timeout(guard.limits.body_timeout, room).await {
                Ok(Ok(permit)) => Some(permit),
                _ => {
                    return ApiError::busy("too many large requests at once; retry shortly")
                        .into_response();
                }
            }
        }
    };
    next.run(request).await
}

/// Units of body memory a request may hold: by `Content-Length`, or the body limit for a
/// chunked body; none for a request without a body.
fn body_units(request: &Request, body_limit: usize, total: usize) -> usize {
    let headers = request.headers();
    let length = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let bytes = match length {
        Some(n) => n.min(body_limit),
        None if headers.contains_key(TRANSFER_ENCODING) => body_limit,
        None => 0,
    };
    if bytes == 0
        && !matches!(
            *request.method(),
            Method::POST | Method::PUT | Method::PATCH
        )
    {
        return 0;
    }
    bytes.div_ceil(BODY_UNIT).clamp(1, total)
}

/// A client: its bearer token when it sends one, else its peer address.
fn client_key(request: &Request) -> Vec<u8> {
    if let Some(token) = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
    {
        let mut key = b"token:".to_vec();
        key.extend_from_slice(token.trim().as_bytes());
        return key;
    }
    match request.extensions().get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(peer)) => format!("ip:{}", peer.ip()).into_bytes(),
        None => b"ip:unknown".to_vec(),
    }
}

/// `X-Content-Type-Options`, `X-Frame-Options`, `Referrer-Policy` on every response, and a
/// Content-Security-Policy fitting what it is (the UI's, the docs page's, or none-at-all).
pub async fn security_headers(request: Request, next: Next) -> Response {
    let docs = request.uri().path().starts_with("/api/docs");
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let csp = match (docs, html) {
        (true, _) => DOCS_CSP,
        (false, true) => UI_CSP,
        (false, false) => API_CSP,
    };
    let headers = response.headers_mut();
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers
        .entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(csp));
    response
}

/// A token bucket per client key, refilled at `per_second` up to `burst`. Buckets that are
/// full again are forgotten whenever the table has doubled since the last sweep, so clients
/// that come and go (or invent tokens) cannot grow it without bound.
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    hasher: std::collections::hash_map::RandomState,
    table: Mutex<Table>,
}

struct Table {
    buckets: HashMap<u64, Bucket>,
    sweep_at: usize,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl RateLimiter {
    pub fn new(per_second: f64, burst: f64) -> RateLimiter {
        RateLimiter {
            per_second: per_second.max(f64::MIN_POSITIVE),
            burst: burst.max(1.0),
            hasher: Default::default(),
            table: Mutex::new(Table {
                buckets: HashMap::new(),
                sweep_at: 1024,
            }),
        }
    }

    /// Takes one token for `key`, or says how long until one is there.
    pub fn check(&self, key: &[u8]) -> Result<(), Duration> {
        self.check_at(key, Instant::now())
    }

    fn check_at(&self, key: &[u8], now: Instant) -> Result<(), Duration> {
        let hash = self.hasher.hash_one(key);
        let mut table = self.table.lock().unwrap_or_else(|e| e.into_inner());
        if table.buckets.len() >= table.sweep_at {
            let (rate, burst) = (self.per_second, self.burst);
            table
                .buckets
                .retain(|_, b| refill(b, now, rate, burst) < burst);
            table.sweep_at = (2 * table.buckets.len()).max(1024);
        }
        let bucket = table.buckets.entry(hash).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        bucket.tokens = refill(bucket, now, self.per_second, self.burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64(
                (1.0 - bucket.tokens) / self.per_second,
            ))
        }
    }
}

fn refill(bucket: &Bucket, now: Instant, rate: f64, burst: f64) -> f64 {
    let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
    (bucket.tokens + elapsed * rate).min(burst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_allow_the_burst_then_the_rate() {
        let limiter = RateLimiter::new(10.0, 3.0);
        let t0 = Instant::now();
        for _ in 0..3 {
            limiter.check_at(b"a", t0).unwrap();
        }
        let wait = limiter.check_at(b"a", t0).unwrap_err();
        assert!(wait <= Duration::from_millis(100) && wait > Duration::ZERO);
        // Another client is not affected.
        limiter.check_at(b"b", t0).unwrap();
        // 100 ms later one more token is there.
        limiter
            .check_at(b"a", t0 + Duration::from_millis(101))
            .unwrap();
        limiter
            .check_at(b"a", t0 + Duration::from_millis(101))
            .unwrap_err();
    }

    #[test]
    fn idle_clients_are_forgotten() {
        let limiter = RateLimiter::new(1000.0, 2.0);
        let t0 = Instant::now();
        for i in 0..5000u32 {
            limiter.check_at(&i.to_be_bytes(), t0).unwrap();
        }
        // A second from now the first clients' buckets are full again: the next sweep drops
        // them.
        let later = t0 + Duration::from_secs(1);
        for i in 5000..10_000u32 {
            limiter.check_at(&i.to_be_bytes(), later).unwrap();
        }
        let table = limiter.table.lock().unwrap();
        assert!(table.buckets.len() < 6000, "{}", table.buckets.len());
    }
}
