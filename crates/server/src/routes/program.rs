//! `POST /program`: the legacy stateless endpoint — plan and run, store nothing.

use axum::Json;
use axum::extract::State;
use engine::model::{ProgramRequest, ProgramResponse};

use crate::error::ApiError;
use crate::extract::CheckedJson;
use crate::state::AppState;

pub async fn run_program(
    State(state): State<AppState>,
    CheckedJson(request): CheckedJson<ProgramRequest>,
) -> Result<Json<ProgramResponse>, ApiError> {
    agent::run_program(&request, state.planner.as_ref(), &state.settings)
        .await
        .map(Json)
        .map_err(|e| ApiError::from_run(&e))
}
