use axum::Json;
use serde_json::{Value, json};

/// `GET /health` — the reference's exact body.
pub async fn health() -> Json<Value> {
    Json(json!({"status": "healthy", "service": "SLB Agent API", "version": "1.0.0"}))
}

/// `GET /ready` — whether this server can serve now: 200 `{"status": "ready"}` when its store
/// answers, 503 `STORE_UNAVAILABLE` (with `Retry-After`) when not. `/health` stays liveness.
pub async fn ready(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
) -> Result<Json<Value>, crate::error::ApiError> {
    match state.store.ready().await {
        Ok(()) => Ok(Json(json!({"status": "ready"}))),
        Err(e) => {
            tracing::warn!(error = %e, "not ready: the store is unavailable");
            Err(crate::error::ApiError::store_unavailable(
                if e.is_unavailable() {
                    e.unavailable_detail()
                } else {
                    "the store failed its readiness probe; retry in a few seconds".into()
                },
            ))
        }
    }
}
