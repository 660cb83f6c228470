//! The one error type of the API and its mapping to responses (DECISIONS F3): every failure is
//! a top-level JSON object `{error, detail, code, errors: [{field, message}]}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use engine::model::{ErrorResponse, FieldError};

use agent::{PlannerError, RunError};

/// A failed request.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorResponse,
}

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

    /// 422: the body or query does not have the required shape or ranges.
    pub fn invalid_request(errors: Vec<FieldError>) -> Self {
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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}
