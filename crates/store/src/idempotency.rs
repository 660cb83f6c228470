//! `Idempotency-Key`s of `POST /api/runs` and `POST /api/scenario_sets`: each stored key names
//! the run or set its first request created, with a hash of that request, so that a client
//! retrying after a lost answer gets the stored result instead of a second run. A key is
//! written in the same commit as its result, so a result is never stored without its key.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{Context, StoreError};

/// What a key's request created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdempotentKind {
    Run,
    ScenarioSet,
}

impl IdempotentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdempotentKind::Run => "run",
            IdempotentKind::ScenarioSet => "scenario_set",
        }
    }

    fn parse(s: &str) -> Result<Self, StoreError> {
        match s {
            "run" => Ok(IdempotentKind::Run),
            "scenario_set" => Ok(IdempotentKind::ScenarioSet),
            other => Err(StoreError::Corrupt(format!(
                "idempotency key of unknown kind {other:?}"
            ))),
        }
    }
}

/// A stored key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    /// The client's `Idempotency-Key` (at most 200 characters).
    pub key: String,
    pub kind: IdempotentKind,
    /// Hash of the request (method, path, query and body): the same key with another request
    /// is refused.
    pub request_hash: String,
    /// The run id or scenario set id the request created.
    pub result_id: String,
    pub created_at: String,
}

pub(crate) async fn find(
    pool: &sqlx::AnyPool,
    key: &str,
) -> Result<Option<IdempotencyRecord>, StoreError> {
    let row = sqlx::query(
        "SELECT idempotency_key, kind, request_hash, result_id, created_at \
         FROM idempotency_keys WHERE idempotency_key = $1",
    )
    .bind(key)
    .fetch_optional(pool)
    .await
    .during("find idempotency key")?;
    row.as_ref().map(record).transpose()
}

fn record(row: &AnyRow) -> Result<IdempotencyRecord, StoreError> {
    let text = |column: &str| -> Result<String, StoreError> {
        row.try_get::<String, _>(column)
            .map_err(|e| StoreError::Corrupt(format!("idempotency_keys.{column}: {e}")))
    };
    Ok(IdempotencyRecord {
        key: text("idempotency_key")?,
        kind: IdempotentKind::parse(&text("kind")?)?,
        request_hash: text("request_hash")?,
        result_id: text("result_id")?,
        created_at: text("created_at")?,
    })
}

/// Inserts keys (none is a no-op). A key already stored is [`StoreError::IdempotencyKeyTaken`].
pub(crate) async fn insert<'c, E>(
    executor: E,
    keys: &[&IdempotencyRecord],
) -> Result<(), StoreError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    if keys.is_empty() {
        return Ok(());
    }
    let mut sql = String::from(
        "INSERT INTO idempotency_keys (idempotency_key, kind, request_hash, result_id, created_at) VALUES ",
    );
    for i in 0..keys.len() {
        let n = i * 5;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "(${}, ${}, ${}, ${}, ${})",
            n + 1,
            n + 2,
            n + 3,
            n + 4,
            n + 5
        ));
    }
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for key in keys {
        query = query
            .bind(&key.key)
            .bind(key.kind.as_str())
            .bind(&key.request_hash)
            .bind(&key.result_id)
            .bind(&key.created_at);
    }
    match query.execute(executor).await {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            Err(StoreError::IdempotencyKeyTaken)
        }
        Err(e) => Err(e).during("insert idempotency key"),
    }
}
