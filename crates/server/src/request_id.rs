//! The request id set by the request-id layer, for handlers that must quote it.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

pub const HEADER: &str = "x-request-id";

pub struct RequestId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let id = parts
            .headers
            .get(HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("unknown")
            .to_string();
        Ok(RequestId(id))
    }
}
