//! The one INSERT of runs, shared by single writes, group commits and scenario sets.

use std::fmt::Write;

use sqlx::AssertSqlSafe;

use crate::EncodedRun;
use crate::error::{Context, StoreError};

const COLUMNS: [&str; 12] = [
    "run_id",
    "fund_id",
    "program_description",
    "status",
    "response",
    "error",
    "created_at",
    "scenario_set_id",
    "scenario_kind",
    "scenario_label",
    "scenario_position",
    "scenario_rationale",
];

/// Inserts runs (each with its position in a scenario set, if any) as one multi-row INSERT.
/// Placeholders are numbered (`$1`, `$2`, …), which both SQLite and PostgreSQL accept. No runs
/// is a no-op.
pub(crate) async fn insert_runs<'c, 'r, E>(
    executor: E,
    runs: impl IntoIterator<Item = (&'r EncodedRun, Option<i64>)>,
) -> Result<(), StoreError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let runs: Vec<_> = runs.into_iter().collect();
    // `VALUES` with no rows is not valid SQL; zero runs is nothing to do.
    if runs.is_empty() {
        return Ok(());
    }
    // The SQL holds only column names and numbered placeholders; every value is bound.
    let mut sql = format!("INSERT INTO runs ({}) VALUES ", COLUMNS.join(", "));
    for row in 0..runs.len() {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..COLUMNS.len() {
            let separator = if column == 0 { "" } else { ", " };
            let _ = write!(sql, "{separator}${}", row * COLUMNS.len() + column + 1);
        }
        sql.push(')');
    }
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for (run, position) in runs {
        let item = &run.summary;
        query = query
            .bind(&item.run_id)
            .bind(&item.fund_id)
            .bind(&item.program_description)
            .bind(item.status.as_str())
            .bind(&run.response_json)
            .bind(&run.error)
            .bind(&item.created_at)
            .bind(&item.scenario_set_id)
            .bind(item.scenario_kind.map(|k| k.as_str()))
            .bind(&item.scenario_label)
            .bind(position)
            .bind(&run.scenario_rationale);
    }
    query.execute(executor).await.during("insert runs")?;
    Ok(())
}
