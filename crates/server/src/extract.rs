//! Request extractors that answer in the API's error format instead of axum's plain text.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use engine::model::{
    CheckBounds, FieldError, MAX_ID_CHARS, NUL_MESSAGE, ProgramRequest, ScenarioSetRequest,
    parse_checked,
};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::limits::Limits;
use crate::state::AppState;

/// A JSON body parsed and range-checked: every offending field is reported with its path.
/// The body must arrive within the body timeout (408 after), hold at most the configured
/// number of assets, and have nothing after its JSON value and no NUL character in a string
/// (422 naming each such field).
pub struct CheckedJson<T>(pub T);

/// Requests whose portfolio size is limited.
pub trait AssetCount {
    /// The path of the assets and how many there are.
    fn assets(&self) -> (&'static str, usize);
}

impl AssetCount for ProgramRequest {
    fn assets(&self) -> (&'static str, usize) {
        ("assets", self.assets.len())
    }
}

impl AssetCount for ScenarioSetRequest {
    fn assets(&self) -> (&'static str, usize) {
        ("base_request.assets", self.base_request.assets.len())
    }
}

/// Bodies larger than this are parsed on a blocking thread, off the async workers.
const PARSE_INLINE_MAX: usize = 256 * 1024;

impl<T> FromRequest<AppState> for CheckedJson<T>
where
    T: DeserializeOwned + CheckBounds + AssetCount + Send + 'static,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let (value, _) = checked_body(req, state, false).await?;
        Ok(CheckedJson(value))
    }
}

/// [`CheckedJson`] for bodies with their own parser: an analysis request is a program request
/// plus options, parsed in two passes so that both report field paths (`engine::model`'s
/// `FrontierRequest::parse_checked`).
pub struct ParsedJson<T>(pub T);

/// A body type with its own checked parser.
pub trait ParseChecked: AssetCount + Sized + Send + 'static {
    fn parse_checked(json: &[u8]) -> Result<Self, Vec<FieldError>>;
}

impl<T: ParseChecked> FromRequest<AppState> for ParsedJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let (value, _) = body_with(req, state, false, T::parse_checked).await?;
        Ok(ParsedJson(value))
    }
}

/// [`CheckedJson`] plus the request's `Idempotency-Key` (checked: 1–200 printable ASCII
/// characters) and the hash that identifies the request it came with.
pub struct IdempotentJson<T> {
    pub body: T,
    pub key: Option<IdempotencyKey>,
}

/// A request's `Idempotency-Key` with the SHA-256 (hex) of its method, path, query and body.
pub struct IdempotencyKey {
    pub key: String,
    pub request_hash: String,
}

pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

impl<T> FromRequest<AppState> for IdempotentJson<T>
where
    T: DeserializeOwned + CheckBounds + AssetCount + Send + 'static,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let key = match req.headers().get(IDEMPOTENCY_HEADER) {
            None => None,
            Some(value) => Some(check_idempotency_key(value)?),
        };
        let (body, hash) = checked_body::<T>(req, state, key.is_some()).await?;
        Ok(IdempotentJson {
            body,
            key: key
                .zip(hash)
                .map(|(key, request_hash)| IdempotencyKey { key, request_hash }),
        })
    }
}

fn check_idempotency_key(value: &HeaderValue) -> Result<String, ApiError> {
    let fail = |message: String| {
        ApiError::invalid_request(vec![FieldError {
            field: "Idempotency-Key".into(),
            message,
        }])
    };
    let key = value
        .to_str()
        .map_err(|_| fail("must be printable ASCII".into()))?;
    if key.is_empty() || key.len() > MAX_ID_CHARS {
        return Err(fail(format!("must have 1 to {MAX_ID_CHARS} characters")));
    }
    if !key.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Err(fail("must be printable ASCII".into()));
    }
    Ok(key.to_owned())
}

/// Reads, parses and checks a JSON body; with `hash`, also the hash of the request.
async fn checked_body<T>(
    req: Request,
    state: &AppState,
    hash: bool,
) -> Result<(T, Option<String>), ApiError>
where
    T: DeserializeOwned + CheckBounds + AssetCount + Send + 'static,
{
    body_with(req, state, hash, parse_checked::<T>).await
}

/// [`checked_body`] with the parser `parse`.
async fn body_with<T>(
    req: Request,
    state: &AppState,
    hash: bool,
    parse: fn(&[u8]) -> Result<T, Vec<FieldError>>,
) -> Result<(T, Option<String>), ApiError>
where
    T: AssetCount + Send + 'static,
{
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
    let limits = req
        .extensions()
        .get::<Arc<Limits>>()
        .cloned()
        .unwrap_or_default();
    let target = format!("{} {}", req.method(), req.uri());
    let read = Bytes::from_request(req, state);
    let bytes = tokio::time::timeout(limits.body_timeout, read)
        .await
        .map_err(|_| ApiError::body_timeout(limits.body_timeout.as_secs_f64()))?
        .map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::payload_too_large(state.body_limit)
            } else {
                ApiError::invalid_request(vec![FieldError {
                    field: String::new(),
                    message: rejection.body_text(),
                }])
            }
        })?;
    let request_hash = hash.then(|| {
        let mut digest = Sha256::new();
        digest.update(target.as_bytes());
        digest.update(b"\n");
        digest.update(&bytes);
        digest
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    });
    let value: T = if bytes.len() <= PARSE_INLINE_MAX {
        parse(&bytes)
    } else {
        tokio::task::spawn_blocking(move || parse(&bytes))
            .await
            .map_err(|_| ApiError::internal("parse"))?
    }
    .map_err(ApiError::invalid_request)?;
    let (field, count) = value.assets();
    if count > limits.max_assets {
        return Err(ApiError::invalid_request(vec![FieldError {
            field: field.into(),
            message: format!(
                "must have at most {} assets (got {count}; SLB_MAX_ASSETS)",
                limits.max_assets
            ),
        }]));
    }
    Ok((value, request_hash))
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

    /// A parameter that names an id (`fund_id`, `before`, ...): at most 200 characters, no NUL.
    pub fn id(&self, key: &str) -> Result<Option<&str>, ApiError> {
        match self.get(key) {
            Some(value) => check_id(key, value).map(Some),
            None => Ok(None),
        }
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

/// An id from a path or query: at most 200 characters and no NUL (422 naming `field`).
pub fn check_id<'a>(field: &str, value: &'a str) -> Result<&'a str, ApiError> {
    let message = if value.contains('\0') {
        NUL_MESSAGE.to_owned()
    } else if value.len() > MAX_ID_CHARS && value.chars().count() > MAX_ID_CHARS {
        format!("must have at most {MAX_ID_CHARS} characters")
    } else {
        return Ok(value);
    };
    Err(ApiError::invalid_request(vec![FieldError {
        field: field.to_owned(),
        message,
    }]))
}
