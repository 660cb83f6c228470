//! # SLB Planner server
//!
//! The HTTP API (wire-compatible with the reference, SPEC §10, with the error model of
//! DECISIONS F3), its OpenAPI document and docs page, and later the web UI. Handlers are thin:
//! they parse, call the agent, store, and answer.
//!
//! ## Layout: where each rule lives
//!
//! | Rule | File |
//! |---|---|
//! | Routes and middleware order | `lib.rs` (`router_with`) |
//! | Handlers, one file per resource | `routes/` (`runs`, `scenario_sets`, `plan`, `program`, `analyses`, `health`) |
//! | The one error type and its JSON shape | `error.rs`; extractors that answer in it: `extract.rs` |
//! | API keys, roles, fund scoping, trusted proxy | `auth.rs` |
//! | Timeouts, caps, rates, hosts, CORS, security headers | `limits.rs`, `guard.rs`, `listener.rs` |
//! | `Idempotency-Key` | `idempotency.rs` |
//! | The OpenAPI document | `openapi.rs` |
//! | The embedded web UI | `web.rs` |
//!
//! Section citations (`SPEC §10`, `DECISIONS F3`) refer to `docs/reference/`.

pub mod auth;
mod error;
mod extract;
mod guard;
mod idempotency;
pub mod limits;
mod listener;
pub mod openapi;
mod request_id;
mod routes;
mod state;
mod web;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, Request, Uri};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::{Extension, Router};
use tower_http::LatencyUnit;
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use error::ApiError;
pub use limits::{AllowedHosts, ConnectionLimits, Limits, RateLimit};
pub use listener::{serve_until, serve_with};
pub use state::AppState;

/// Default request body limit: 16 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The whole application: API routes, docs, error fallbacks and middleware, with API keys as
/// the only credentials (open mode until the store has a key).
pub fn router(state: AppState) -> Router {
    router_with_auth(state, auth::AuthConfig::default())
}

/// [`router`] with an authentication configuration (trusted-proxy mode): see [`auth`].
pub fn router_with_auth(state: AppState, auth_config: auth::AuthConfig) -> Router {
    router_with(state, auth_config, Limits::default())
}

/// [`router_with_auth`] within request limits (sizes, rates, concurrency, hosts, CORS).
pub fn router_with(state: AppState, auth_config: auth::AuthConfig, limits: Limits) -> Router {
    let guard = guard::Guard::new(&limits, state.body_limit);
    let cors = cors(&limits.cors_origins);
    let auth = auth::Auth::new(state.store.clone(), auth_config);
    let request_id = HeaderName::from_static(request_id::HEADER);
    let api = Router::new()
        .route("/health", get(routes::health::health))
        .route("/ready", get(routes::health::ready))
        .route("/program", post(routes::program::run_program))
        .route(
            "/api/runs",
            post(routes::runs::create_run).get(routes::runs::list_runs),
        )
        .route("/api/runs/{run_id}", get(routes::runs::get_run))
        .route("/api/funds", get(routes::runs::list_funds))
        .route("/api/me", get(auth::me))
        .route("/api/plan", post(routes::plan::plan))
        .route(
            "/api/analyses/frontier",
            post(routes::analyses::create_frontier),
        )
        .route(
            "/api/analyses/sensitivity",
            post(routes::analyses::create_sensitivity),
        )
        .route(
            "/api/scenario_sets",
            post(routes::scenario_sets::create_scenario_set)
                .get(routes::scenario_sets::list_scenario_sets),
        )
        .route(
            "/api/scenario_sets/{id}",
            get(routes::scenario_sets::get_scenario_set),
        )
        .merge(openapi::docs_router())
        // The web UI answers every GET no API route takes; other misses stay JSON 404s.
        .fallback(web::fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            auth,
            auth::authenticate,
        ))
        .layer(DefaultBodyLimit::max(state.body_limit))
        .layer(Extension(Arc::new(limits)))
        .with_state(state);

    api.layer(CompressionLayer::new())
        .layer(from_fn_with_state(guard.clone(), guard::admission))
        .layer(cors)
        .layer(from_fn_with_state(guard, guard::allowed_host))
        .layer(from_fn(guard::security_headers))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                // One line per request at INFO (status and latency), inside the request's span.
                .on_request(())
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Micros))
                .make_span_with(|req: &Request<_>| {
            let id = req.headers().get(request_id::HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(from_fn(guard::trusted_request_id))
}

/// CORS for the configured origins (the dev server's in debug builds only, by default).
fn cors(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| match HeaderValue::from_str(o.trim_end_matches('/')) {
            Ok(v) => Some(v),
            Err(_) => {
                tracing::warn!(origin = %o, "ignoring an invalid CORS origin");
                None
            }
        })
        .collect();
    CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            axum::http::header::CONTENT_TYPE,
            axum::http::header::AUTHORIZATION,
            HeaderName::from_static(extract::IDEMPOTENCY_HEADER),
        ])
        .expose_headers([
            axum::http::header::RETRY_AFTER,
            HeaderName::from_static(request_id::HEADER),
            HeaderName::from_static(idempotency::REPLAYED_HEADER),
        ])
        .max_age(Duration::from_secs(600))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::method_not_allowed(method.as_str(), uri.path())
}

/// Serves until SIGTERM or Ctrl-C, then stops accepting and finishes in-flight requests,
/// with the default [`ConnectionLimits`] (see [`serve_with`]).
pub async fn serve(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    serve_with(listener, app, ConnectionLimits::default()).await
}
