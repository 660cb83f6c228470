//! `POST /api/plan`: the spec a request would run, before running it — with where each field
//! came from (brief, default, override, portfolio) and what the planner could not read. The UI
//! shows it for editing; the confirmed spec comes back as `ProgramRequest.selector_spec`.

use axum::Json;
use axum::extract::State;
use engine::model::{PlanPreview, ProgramRequest};

use crate::error::ApiError;
use crate::extract::CheckedJson;
use crate::state::AppState;

pub async fn plan(
    State(state): State<AppState>,
    CheckedJson(request): CheckedJson<ProgramRequest>,
) -> Result<Json<PlanPreview>, ApiError> {
    agent::plan_program(&request, state.planner.as_ref())
        .await
        .map(Json)
        .map_err(|e| ApiError::from_run(&e))
}
