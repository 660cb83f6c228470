//! `/api/runs`: run a program and keep it; list and fetch stored runs.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use engine::model::{ProgramRequest, RunListItem, RunRecord, RunStatus};
use store::{EncodedRun, IdempotentKind, RunQuery, StoreError};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::{IdempotentJson, QueryPairs, check_id};
use crate::idempotency::{REPLAYED_HEADER, stored_result};
use crate::request_id::RequestId;
use crate::state::AppState;

/// Body of a 201 from `POST /api/runs`: `{run_id, status, response}` for completed runs,
/// `{run_id, status, error}` for failed ones. The response is spliced in as the JSON already
/// encoded for the store rather than encoded (or parsed) a second time.
fn created_body(run: &EncodedRun) -> Vec<u8> {
    let quoted = |s: &str| serde_json::to_string(s).expect("strings serialise");
    let item = &run.summary;
    let tail = match (&run.response_json, &run.error) {
        (Some(response), _) => format!(r#","response":{response}"#),
        (None, Some(error)) => format!(r#","error":{}"#, quoted(error)),
        (None, None) => String::new(),
    };
    format!(
        r#"{{"run_id":{},"status":{}{tail}}}"#,
        quoted(&item.run_id),
        quoted(item.status.as_str())
    )
    .into_bytes()
}

/// Runs one program and turns the result into a record. Business-validation failures become
/// failed runs; planner failures and a bad floor are errors, and nothing is stored for them.
pub async fn execute(
    state: &AppState,
    request: &ProgramRequest,
    fund_id: Option<String>,
) -> Result<RunRecord, ApiError> {
    let run_id = uuid::Uuid::new_v4().to_string();
    let created_at = agent::clock::now_iso();
    let (status, response, error) =
        match agent::run_program(request, state.planner.as_ref(), &state.settings).await {
            Ok(response) => (RunStatus::Completed, Some(response), None),
            Err(agent::RunError::Validation { messages, .. }) => {
                (RunStatus::Failed, None, Some(messages.join("\n")))
            }
            Err(other) => return Err(ApiError::from_run(&other)),
        };
    Ok(RunRecord {
        run_id,
        fund_id,
        program_description: request.program_description.clone(),
        status,
        response,
        error,
        created_at,
        scenario_set_id: None,
        scenario_kind: None,
        scenario_label: None,
        scenario_rationale: None,
        request: Some(request.clone()),
        created_by: None,
    })
}

/// `POST /api/runs?fund_id=` → 201 once the run is committed. A key limited to funds must
/// name one of them. With an `Idempotency-Key`, a retry gets the run stored the first time.
pub async fn create_run(
    State(state): State<AppState>,
    principal: Principal,
    query: QueryPairs,
    RequestId(request_id): RequestId,
    IdempotentJson { body: request, key }: IdempotentJson<ProgramRequest>,
) -> Result<Response, ApiError> {
    let fund_id = query.id("fund_id")?.map(str::to_string);
    principal.check_write(fund_id.as_deref())?;
    let key = key.map(|k| k.for_caller(principal.name.as_deref()));
    if let Some(key) = &key
        && let Some(run_id) = stored_result(&state, &request_id, key, IdempotentKind::Run).await?
    {
        return replay(&state, &request_id, &run_id).await;
    }
    let mut record = execute(&state, &request, fund_id).await?;
    record.created_by = principal.name;
    let encoded = EncodedRun::encode(&record);
    // The body is built before the store takes the encoded run; it is sent only once stored.
    let bytes = created_body(&encoded);
    let stored_key = key
        .as_ref()
        .map(|k| k.record(IdempotentKind::Run, &record.run_id));
    match state
        .store
        .insert_encoded_run_keyed(encoded, stored_key)
        .await
    {
        Ok(()) => {}
        // A concurrent request with the same key was stored first: answer with its run.
        Err(StoreError::IdempotencyKeyTaken) => {
            let key = key
                .as_ref()
                .expect("only a keyed insert reports a taken key");
            return match stored_result(&state, &request_id, key, IdempotentKind::Run).await? {
                Some(run_id) => replay(&state, &request_id, &run_id).await,
                None => Err(ApiError::internal(&request_id)),
            };
        }
        Err(e) => return Err(ApiError::store(&request_id, &e)),
    }
    Ok((
        StatusCode::CREATED,
        [(CONTENT_TYPE, "application/json")],
        bytes,
    )
        .into_response())
}

/// The 201 of a stored run, for a retried `Idempotency-Key`.
async fn replay(state: &AppState, request_id: &str, run_id: &str) -> Result<Response, ApiError> {
    let run = state
        .store
        .get_run(run_id)
        .await
        .map_err(|e| ApiError::store(request_id, &e))?
        .ok_or_else(|| ApiError::internal(request_id))?;
    Ok((
        StatusCode::CREATED,
        [
            (CONTENT_TYPE, "application/json"),
            (HeaderName::from_static(REPLAYED_HEADER), "true"),
        ],
        created_body(&EncodedRun::encode(&run)),
    )
        .into_response())
}

/// `GET /api/runs?fund_id=&fund_prefix=&before=&limit=` (limit 1–100, default 10), newest
/// first. `before` is the last run id of the previous page; without it the first page is the
/// reference's listing. A key limited to funds sees only theirs.
pub async fn list_runs(
    State(state): State<AppState>,
    principal: Principal,
    query: QueryPairs,
    RequestId(request_id): RequestId,
) -> Result<Json<Vec<RunListItem>>, ApiError> {
    let limit = query.int_in("limit", 10, 1, 100)?;
    let text = |key: &str| -> Result<Option<String>, ApiError> {
        Ok(query.id(key)?.filter(|v| !v.is_empty()).map(str::to_owned))
    };
    let run_query = RunQuery {
        fund_id: query.id("fund_id")?.map(str::to_owned),
        fund_prefix: text("fund_prefix")?,
        before: text("before")?,
        funds: principal.funds,
        limit,
    };
    let runs = state
        .store
        .list_runs(&run_query)
        .await
        .map_err(|e| ApiError::store(&request_id, &e))?;
    Ok(Json(runs))
}

/// `GET /api/funds`: every fund id that has runs (of the key's funds), sorted (the runs list's
/// fund picker).
pub async fn list_funds(
    State(state): State<AppState>,
    principal: Principal,
    RequestId(request_id): RequestId,
) -> Result<Json<Vec<String>>, ApiError> {
    let mut funds = state
        .store
        .list_funds()
        .await
        .map_err(|e| ApiError::store(&request_id, &e))?;
    funds.retain(|fund| principal.can_see(Some(fund)));
    Ok(Json(funds))
}

/// `GET /api/runs/{run_id}`; a run of a fund outside the key's is not found.
pub async fn get_run(
    State(state): State<AppState>,
    principal: Principal,
    Path(run_id): Path<String>,
    RequestId(request_id): RequestId,
) -> Result<Json<RunRecord>, ApiError> {
    check_id("run_id", &run_id)?;
    match state.store.get_run(&run_id).await {
        Ok(Some(run)) if principal.can_see(run.fund_id.as_deref()) => Ok(Json(run)),
        Ok(_) => Err(ApiError::not_found("Run")),
        Err(e) => Err(ApiError::store(&request_id, &e)),
    }
}
