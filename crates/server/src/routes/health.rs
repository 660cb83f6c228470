use axum::Json;
use serde_json::{Value, json};

/// `GET /health` — the reference's exact body.
pub async fn health() -> Json<Value> {
    Json(json!({"status": "healthy", "service": "SLB Agent API", "version": "1.0.0"}))
}
