//! The one error type of the API and its mapping to responses (DECISIONS F3): every failure is
//! a top-level JSON object `{error, detail, code, errors: [{field, message}]}`.

use axum::Json;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use engine::model::{ErrorResponse, FieldError};

use agent::{PlannerError, RunError};

/// A failed request.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorResponse,
}

/// Most field errors a 422 lists; the rest are counted in one last entry.
pub const MAX_FIELD_ERRORS: usize = 50;

impl ApiError {
    fn new(
        status: StatusCode,
        code: &str,
        error: &str,
        detail: Option<String>,
        errors: Vec<FieldError>,
    ) -> Self {
        ApiError {
            status,
            body: ErrorResponse {
                error: error.to_string(),
                detail,
                code: code.to_string(),
                errors,
            },
        }
    }

    /// The response with a `Retry-After` header of `seconds` (at least 1).
    pub fn with_retry_after(self, seconds: u64) -> Response {
        let mut response = self.into_response();
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(seconds.max(1)));
        response
    }

    /// 503 `STORE_UNAVAILABLE`: the database cannot be reached, is full or is gone.
    pub fn store_unavailable(detail: String) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "STORE_UNAVAILABLE",
            "Store unavailable",
            Some(detail),
            Vec::new(),
        )
    }

    /// 503 `SERVER_BUSY`: too many requests or connections at once.
    pub fn busy(detail: &str) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVER_BUSY",
            "Server busy",
            Some(detail.to_owned()),
            Vec::new(),
        )
    }

    /// 429: this client sent more requests (or opened more connections) than it may.
    pub fn too_many(code: &str, detail: &str) -> Self {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            code,
            "Too many requests",
            Some(detail.to_owned()),
            Vec::new(),
        )
    }

    /// 421 `HOST_NOT_ALLOWED`: the `Host` header names a host this server does not serve.
    pub fn host_not_allowed(host: &str) -> Self {
        ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            "HOST_NOT_ALLOWED",
            "Host not allowed",
            Some(format!(
                "this server does not answer to the host {host:?} (see SLB_ALLOWED_HOSTS)"
            )),
            Vec::new(),
        )
    }

    /// 408 `REQUEST_TIMEOUT`: the body did not arrive in time.
    pub fn body_timeout(seconds: f64) -> Self {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "REQUEST_TIMEOUT",
            "Request timeout",
            Some(format!(
                "the request body did not arrive within {seconds} s"
            )),
            Vec::new(),
        )
    }

    /// 422 `IDEMPOTENCY_KEY_REUSED`: the key was used before with another request.
    pub fn idempotency_key_reused() -> Self {
        let message = "was used before with a different request (method, path, query or body); \
                       use a new key for a new request";
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "IDEMPOTENCY_KEY_REUSED",
            "Idempotency key reused",
            Some(format!("Idempotency-Key: {message}")),
            vec![FieldError {
                field: "Idempotency-Key".into(),
                message: message.into(),
            }],
        )
    }

    /// 422: the body or query does not have the required shape or ranges.
    pub fn invalid_request(mut errors: Vec<FieldError>) -> Self {
        if errors.len() > MAX_FIELD_ERRORS {
            let more = errors.len() - MAX_FIELD_ERRORS;
            let total = errors.len();
            errors.truncate(MAX_FIELD_ERRORS);
            errors.push(FieldError {
                field: String::new(),
                message: format!("and {more} more errors ({total} in all)"),
            });
        }
        let detail = errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "INVALID_REQUEST",
            "Invalid request",
            Some(detail),
            errors,
        )
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            &format!("{what} not found"),
            None,
            Vec::new(),
        )
    }

    pub fn unsupported_media_type() -> Self {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Unsupported media type",
            Some("expected Content-Type: application/json".into()),
            Vec::new(),
        )
    }

    pub fn payload_too_large(limit: usize) -> Self {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "PAYLOAD_TOO_LARGE",
            "Request body too large",
            Some(format!("the limit is {limit} bytes")),
            Vec::new(),
        )
    }

    pub fn route_not_found(path: &str) -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "Route not found",
            Some(format!("no route for {path}")),
            Vec::new(),
        )
    }

    pub fn method_not_allowed(method: &str, path: &str) -> Self {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "Method not allowed",
            Some(format!("{method} is not allowed on {path}")),
            Vec::new(),
        )
    }

    /// 500 without internals; the request id lets an operator find the log line.
    pub fn internal(request_id: &str) -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Internal error",
            Some(format!("request id {request_id}")),
            Vec::new(),
        )
    }

    /// A store failure: logged with the request id (the error names the operation), answered
    /// as a 500 without internals.
    pub fn store(request_id: &str, error: &store::StoreError) -> Self {
        if let store::StoreError::UnknownCursor(_) = error {
            return ApiError::invalid_request(vec![FieldError {
                field: "before".to_owned(),
                message: error.to_string(),
            }]);
        }
        if error.is_unavailable() {
            tracing::warn!(%request_id, %error, "store unavailable");
            return ApiError::store_unavailable(error.unavailable_detail());
        }
        tracing::error!(%request_id, %error, "store operation failed");
        ApiError::internal(request_id)
    }

    pub fn planner(error: &PlannerError) -> Self {
        match error {
            PlannerError::Unavailable(msg) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "LLM_UNAVAILABLE",
                "Planner unavailable",
                Some(msg.clone()),
                Vec::new(),
            ),
            PlannerError::InvalidOutput(msg) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "LLM_INVALID_OUTPUT",
                "Planner returned invalid output",
                Some(msg.clone()),
                Vec::new(),
            ),
        }
    }

    /// Maps a run failure. Validation failures are answered here only by the stateless
    /// `/program` route; `/api/runs` stores them as failed runs instead.
    pub fn from_run(error: &RunError) -> Self {
        match error {
            RunError::Validation { scope, messages } => ApiError::new(
                StatusCode::BAD_REQUEST,
                "VALIDATION_FAILED",
                "Validation failed",
                Some(messages.join("; ")),
                messages
                    .iter()
                    .map(|m| FieldError {
                        field: scope.to_string(),
                        message: m.clone(),
                    })
                    .collect(),
            ),
            RunError::InvalidFloor { .. } => ApiError::new(
                StatusCode::BAD_REQUEST,
                "INVALID_FLOOR_OVERRIDE",
                "Invalid floor override",
                Some(error.to_string()),
                vec![FieldError {
                    field: "floor_override".into(),
                    message: error.to_string(),
                }],
            ),
            RunError::Planner(e) => ApiError::planner(e),
        }
    }
}

/// `Retry-After` of a store that is unavailable: a few seconds, time for a restart or failover.
pub const STORE_RETRY_AFTER_SECS: u64 = 2;

/// `Retry-After` of a busy server.
pub const BUSY_RETRY_AFTER_SECS: u64 = 1;

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // Answers that a retry may cure say when to retry.
        let retry_after = match self.body.code.as_str() {
            "STORE_UNAVAILABLE" => Some(STORE_RETRY_AFTER_SECS),
            "SERVER_BUSY" => Some(BUSY_RETRY_AFTER_SECS),
            _ => None,
        };
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
