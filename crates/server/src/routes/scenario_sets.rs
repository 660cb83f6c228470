//! `/api/scenario_sets`: generate the scenarios of a brief, run them, and keep the set.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use engine::model::{RunRecord, ScenarioSetRequest, ScenarioSetSummary};
use serde::Serialize;

use agent::ScenarioSetOptions;
use store::{IdempotentKind, StoreError};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IdempotentJson, QueryPairs, check_id};
use crate::idempotency::{REPLAYED_HEADER, stored_result};
use crate::request_id::RequestId;
use crate::state::AppState;

/// A set with its runs in scenario order (full run objects).
#[derive(Serialize)]
pub struct ScenarioSetBody {
    pub scenario_set: ScenarioSetSummary,
    pub runs: Vec<RunRecord>,
}

/// `POST /api/scenario_sets` → 201 once the set and all its runs are committed together. A key
/// limited to funds must give one of them as `fund_id`.
pub async fn create_scenario_set(
    State(state): State<AppState>,
    principal: Principal,
    RequestId(request_id): RequestId,
    IdempotentJson { body: request, key }: IdempotentJson<ScenarioSetRequest>,
) -> Result<Response, ApiError> {
    principal.check_write(request.fund_id.as_deref())?;
    let key = key.map(|k| k.for_caller(principal.name.as_deref()));
    let kind = IdempotentKind::ScenarioSet;
    if let Some(key) = &key
        && let Some(id) = stored_result(&state, &request_id, key, kind).await?
    {
        return replay(&state, &request_id, &id).await;
    }
    let options = ScenarioSetOptions {
        num_scenarios: request.num_scenarios as usize,
        fund_id: request.fund_id.clone(),
        concurrency: state.scenario_concurrency,
    };
    let mut outcome = agent::run_scenario_set(
        &request.brief,
        &request.base_request,
        state.planner.as_ref(),
        &state.settings,
        &options,
    )
    .await
    .map_err(|e| ApiError::planner(&e))?;
    for run in &mut outcome.runs {
        run.created_by.clone_from(&principal.name);
    }
    let stored_key = key.as_ref().map(|k| k.record(kind, &outcome.summary.id));
    match state
        .store
        .insert_scenario_set_keyed(&outcome.summary, &outcome.runs, stored_key)
        .await
    {
        Ok(()) => {}
        // A concurrent request with the same key was stored first: answer with its set.
        Err(StoreError::IdempotencyKeyTaken) => {
            let key = key
                .as_ref()
                .expect("only a keyed insert reports a taken key");
            return match stored_result(&state, &request_id, key, kind).await? {
                Some(id) => replay(&state, &request_id, &id).await,
                None => Err(ApiError::internal(&request_id)),
            };
        }
        Err(e) => return Err(ApiError::store(&request_id, &e)),
    }
    Ok((
        StatusCode::CREATED,
        Json(ScenarioSetBody {
            scenario_set: outcome.summary,
            runs: outcome.runs,
        }),
    )
        .into_response())
}

/// The 201 of a stored set, for a retried `Idempotency-Key`.
async fn replay(state: &AppState, request_id: &str, id: &str) -> Result<Response, ApiError> {
    let found = state
        .store
        .get_scenario_set(id)
        .await
        .map_err(|e| ApiError::store(request_id, &e))?
        .ok_or_else(|| ApiError::internal(request_id))?;
    Ok((
        StatusCode::CREATED,
        [(HeaderName::from_static(REPLAYED_HEADER), "true")],
        Json(ScenarioSetBody {
            scenario_set: found.scenario_set,
            runs: found.runs,
        }),
    )
        .into_response())
}

/// `GET /api/scenario_sets?limit=&before=` (1–100, default 10), newest first; `before` is
/// the last set id of the previous page. A key limited to funds sees the sets whose runs are
/// of its funds.
pub async fn list_scenario_sets(
    State(state): State<AppState>,
    principal: Principal,
    query: QueryPairs,
    RequestId(request_id): RequestId,
) -> Result<Json<Vec<ScenarioSetSummary>>, ApiError> {
    let limit = query.int_in("limit", 10, 1, 100)?;
    let sets = state
        .store
        .list_scenario_sets(
            limit,
            query.id("before")?.filter(|v| !v.is_empty()),
            principal.funds(),
        )
        .await
        .map_err(|e| ApiError::store(&request_id, &e))?;
    Ok(Json(sets))
}

/// `GET /api/scenario_sets/{id}`; a set with runs of a fund outside the key's is not found.
pub async fn get_scenario_set(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    RequestId(request_id): RequestId,
) -> Result<Json<ScenarioSetBody>, ApiError> {
    check_id("id", &id)?;
    let visible = |runs: &[RunRecord]| {
        principal.funds.is_none()
            || (!runs.is_empty() && runs.iter().all(|r| principal.can_see(r.fund_id.as_deref())))
    };
    match state.store.get_scenario_set(&id).await {
        Ok(Some(found)) if visible(&found.runs) => Ok(Json(ScenarioSetBody {
            scenario_set: found.scenario_set,
            runs: found.runs,
        })),
        Ok(_) => Err(ApiError::not_found("Scenario set")),
        Err(e) => Err(ApiError::store(&request_id, &e)),
    }
}
