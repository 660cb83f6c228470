//! `/api/analyses/*`: the proceeds frontier and the sensitivity grid (docs/analyses.md).
//!
//! Thin adapters: the request's spec comes from the planner exactly as `POST /api/plan` would
//! give it (its `selector_spec` when set, overrides applied, validated), then the engine's
//! pure analysis runs off the async workers, its solves in parallel on the engine's thread
//! pool (one thread per core, shared by all requests, so concurrent analyses queue rather
//! than oversubscribe the machine). Nothing is stored. Like every POST, an analysis needs
//! the analyst role (it runs the planner and the optimiser); a key limited to funds must
//! name one of them with `?fund_id=`, as for `POST /api/runs`.

use axum::Json;
use axum::extract::State;
use engine::analysis::{AnalysisInput, GridInput, frontier, no_progress, sensitivity};
use engine::model::{
    FieldError, Frontier, FrontierRequest, ProgramRequest, SelectionStrategy, SelectorSpec,
    SensitivityGrid, SensitivityRequest,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{AssetCount, ParseChecked, ParsedJson, QueryPairs};
use crate::request_id::RequestId;
use crate::state::AppState;

impl AssetCount for FrontierRequest {
    fn assets(&self) -> (&'static str, usize) {
        ("assets", self.request.assets.len())
    }
}

impl ParseChecked for FrontierRequest {
    fn parse_checked(json: &[u8]) -> Result<Self, Vec<FieldError>> {
        FrontierRequest::parse_checked(json)
    }
}

impl AssetCount for SensitivityRequest {
    fn assets(&self) -> (&'static str, usize) {
        ("assets", self.request.assets.len())
    }
}

impl ParseChecked for SensitivityRequest {
    fn parse_checked(json: &[u8]) -> Result<Self, Vec<FieldError>> {
        SensitivityRequest::parse_checked(json)
    }
}

/// The spec the request would run (planner or `selector_spec`, overrides applied, validated).
async fn planned_spec(
    state: &AppState,
    principal: &Principal,
    query: &QueryPairs,
    request: &ProgramRequest,
) -> Result<SelectorSpec, ApiError> {
    principal.check_write(query.id("fund_id")?)?;
    let preview = agent::plan_program(request, state.planner.as_ref())
        .await
        .map_err(|e| ApiError::from_run(&e))?;
    Ok(preview.selector_spec)
}

/// `POST /api/analyses/frontier` → 200 with the frontier.
pub async fn create_frontier(
    State(state): State<AppState>,
    principal: Principal,
    query: QueryPairs,
    RequestId(request_id): RequestId,
    ParsedJson(body): ParsedJson<FrontierRequest>,
) -> Result<Json<Frontier>, ApiError> {
    let spec = planned_spec(&state, &principal, &query, &body.request).await?;
    let settings = state.settings.clone();
    tokio::task::spawn_blocking(move || {
        let request = &body.request;
        let config = settings.engine.for_run(request.assumptions.as_ref());
        let input = AnalysisInput {
            portfolio: &request.assets,
            state: &request.corporate_state,
            spec: &spec,
            config: &config,
            strategy: request
                .selection_strategy
                .unwrap_or(SelectionStrategy::Greedy),
        };
        frontier(
            &input,
            body.options.metric,
            body.options.points as usize,
            &no_progress,
        )
    })
    .await
    .map(Json)
    .map_err(|_| ApiError::internal(&request_id))
}

/// `POST /api/analyses/sensitivity` → 200 with the grid.
pub async fn create_sensitivity(
    State(state): State<AppState>,
    principal: Principal,
    query: QueryPairs,
    RequestId(request_id): RequestId,
    ParsedJson(body): ParsedJson<SensitivityRequest>,
) -> Result<Json<SensitivityGrid>, ApiError> {
    let spec = planned_spec(&state, &principal, &query, &body.request).await?;
    let settings = state.settings.clone();
    tokio::task::spawn_blocking(move || {
        let request = &body.request;
        let input = GridInput {
            portfolio: &request.assets,
            state: &request.corporate_state,
            spec: &spec,
            base_config: &settings.engine,
            assumptions: request.assumptions.as_ref(),
            strategy: request
                .selection_strategy
                .unwrap_or(SelectionStrategy::Greedy),
        };
        sensitivity(&input, &body.options.axes, &no_progress)
    })
    .await
    .map(Json)
    .map_err(|_| ApiError::internal(&request_id))
}
