//! Request extractors that answer in the API's error format instead of axum's plain text.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use engine::model::{CheckBounds, FieldError, parse_checked};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::state::AppState;

/// A JSON body parsed and range-checked: every offending field is reported with its path.
pub struct CheckedJson<T>(pub T);

impl<T> FromRequest<AppState> for CheckedJson<T>
where
    T: DeserializeOwned + CheckBounds,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim();
                mime.eq_ignore_ascii_case("application/json") || mime.ends_with("+json")
            });
        if !is_json {
            return Err(ApiError::unsupported_media_type());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::payload_too_large(state.body_limit)
            } else {
                ApiError::invalid_request(vec![FieldError {
                    field: String::new(),
                    message: rejection.body_text(),
                }])
            }
        })?;
        parse_checked(&bytes)
            .map(CheckedJson)
            .map_err(ApiError::invalid_request)
    }
}

/// Query string as key/value pairs; handlers validate the values they use.
pub struct QueryPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, &())
            .await
            .map_err(|e| {
                ApiError::invalid_request(vec![FieldError {
                    field: "query".into(),
                    message: e.body_text(),
                }])
            })?;
        Ok(QueryPairs(pairs))
    }
}

impl QueryPairs {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// An integer parameter within `[lo, hi]`, or `default` when absent.
    pub fn int_in(&self, key: &str, default: u32, lo: u32, hi: u32) -> Result<u32, ApiError> {
        match self.get(key) {
            None => Ok(default),
            Some(raw) => match raw.parse::<u32>() {
                Ok(n) if (lo..=hi).contains(&n) => Ok(n),
                _ => Err(ApiError::invalid_request(vec![FieldError {
                    field: key.to_string(),
                    message: format!("must be an integer between {lo} and {hi} (got {raw:?})"),
                }])),
            },
        }
    }
}
