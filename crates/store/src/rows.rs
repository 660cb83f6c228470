//! Mapping between table rows and model records.

use engine::model::{RunListItem, RunRecord, RunStatus, ScenarioKind, ScenarioSetSummary};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::StoreError;

/// Columns of a run listing (no response or error), as a literal for `concat!`
/// (sqlx only takes static SQL).
macro_rules! run_list_columns {
    () => {
        "run_id, fund_id, program_description, status, created_at, \
         scenario_set_id, scenario_kind, scenario_label, \
         target_amount, proceeds, outcome_status, selection_strategy, created_by"
    };
}

/// Columns of a whole run.
macro_rules! run_columns {
    () => {
        concat!(
            run_list_columns!(),
            ", response, error, scenario_rationale, request"
        )
    };
}

pub(crate) use {run_columns, run_list_columns};

pub(crate) fn text(row: &AnyRow, column: &str) -> Result<String, StoreError> {
    row.try_get::<String, _>(column)
        .map_err(|e| StoreError::Corrupt(format!("column {column}: {e}")))
}

pub(crate) fn opt_text(row: &AnyRow, column: &str) -> Result<Option<String>, StoreError> {
    row.try_get::<Option<String>, _>(column)
        .map_err(|e| StoreError::Corrupt(format!("column {column}: {e}")))
}

fn opt_number(row: &AnyRow, column: &str) -> Result<Option<f64>, StoreError> {
    row.try_get::<Option<f64>, _>(column)
        .map_err(|e| StoreError::Corrupt(format!("column {column}: {e}")))
}

fn opt_enum<T: std::str::FromStr<Err = String>>(
    row: &AnyRow,
    column: &str,
) -> Result<Option<T>, StoreError> {
    opt_text(row, column)?
        .map(|value| value.parse().map_err(StoreError::Corrupt))
        .transpose()
}

fn status(row: &AnyRow) -> Result<RunStatus, StoreError> {
    text(row, "status")?.parse().map_err(StoreError::Corrupt)
}

fn kind(row: &AnyRow) -> Result<Option<ScenarioKind>, StoreError> {
    opt_text(row, "scenario_kind")?
        .map(|k| k.parse().map_err(StoreError::Corrupt))
        .transpose()
}

pub(crate) fn run_list_item(row: &AnyRow) -> Result<RunListItem, StoreError> {
    Ok(RunListItem {
        run_id: text(row, "run_id")?,
        fund_id: opt_text(row, "fund_id")?,
        program_description: text(row, "program_description")?,
        status: status(row)?,
        created_at: text(row, "created_at")?,
        scenario_set_id: opt_text(row, "scenario_set_id")?,
        scenario_kind: kind(row)?,
        scenario_label: opt_text(row, "scenario_label")?,
        target_amount: opt_number(row, "target_amount")?,
        proceeds: opt_number(row, "proceeds")?,
        outcome_status: opt_enum(row, "outcome_status")?,
        selection_strategy: opt_enum(row, "selection_strategy")?,
        created_by: opt_text(row, "created_by")?,
    })
}

pub(crate) fn run_record(row: &AnyRow) -> Result<RunRecord, StoreError> {
    let item = run_list_item(row)?;
    let response = opt_text(row, "response")?
        .map(|json| {
            serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("run {}: response: {e}", item.run_id)))
        })
        .transpose()?;
    let request = opt_text(row, "request")?
        .map(|json| {
            serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("run {}: request: {e}", item.run_id)))
        })
        .transpose()?;
    Ok(RunRecord {
        run_id: item.run_id,
        fund_id: item.fund_id,
        program_description: item.program_description,
        status: item.status,
        response,
        error: opt_text(row, "error")?,
        created_at: item.created_at,
        scenario_set_id: item.scenario_set_id,
        scenario_kind: item.scenario_kind,
        scenario_label: item.scenario_label,
        scenario_rationale: opt_text(row, "scenario_rationale")?,
        request,
        created_by: item.created_by,
    })
}

pub(crate) fn scenario_set(
    row: &AnyRow,
    run_ids: Vec<String>,
) -> Result<ScenarioSetSummary, StoreError> {
    let id = text(row, "id")?;
    let notes = match opt_text(row, "notes")? {
        Some(json) => serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("scenario set {id}: notes: {e}")))?,
        None => Vec::new(),
    };
    Ok(ScenarioSetSummary {
        id,
        brief: text(row, "brief")?,
        created_at: text(row, "created_at")?,
        run_ids,
        notes,
    })
}
