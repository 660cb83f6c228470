//! The one INSERT of runs, shared by single writes, group commits and scenario sets.

use std::fmt::Write;

use sqlx::AssertSqlSafe;

use crate::EncodedRun;
use crate::error::{Context, StoreError};

const COLUMNS: [&str; 18] = [
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
    "request",
    "target_amount",
    "proceeds",
    "outcome_status",
    "selection_strategy",
    "created_by",
];

/// An optional `f64` bound as a PostgreSQL `float8` also when absent. sqlx 0.9's `Any`
/// driver passes a missing `f64` on as a `float4` NULL; PostgreSQL then prepares the INSERT
/// with a `float4` parameter and rejects the next run's 8-byte value through the statement
/// cache ("incorrect binary data format"). Its `f32` NULL goes out as a `float8` NULL.
struct Number(Option<f64>);

impl sqlx::Type<sqlx::Any> for Number {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <f64 as sqlx::Type<sqlx::Any>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Any> for Number {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        match self.0 {
            Some(value) => <f64 as sqlx::Encode<sqlx::Any>>::encode_by_ref(&value, buf),
            None => <Option<f32> as sqlx::Encode<sqlx::Any>>::encode_by_ref(&None, buf),
        }
    }
}

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
            .bind(&run.scenario_rationale)
            .bind(&run.request_json)
            .bind(Number(item.target_amount))
            .bind(Number(item.proceeds))
            .bind(item.outcome_status.map(|s| s.as_str()))
            .bind(item.selection_strategy.map(|s| s.as_str()))
            .bind(&item.created_by);
    }
    query.execute(executor).await.during("insert runs")?;
    Ok(())
}
