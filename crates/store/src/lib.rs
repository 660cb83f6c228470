//! # SLB Planner store
//!
//! Persists runs and scenario sets. One SQL implementation serves both backends through
//! `sqlx::AnyPool`: an SQLite file by default (WAL journal; a write returns only after its
//! commit) and PostgreSQL when a `postgres://` URL is configured, so several servers can share
//! one database. Each backend has its own migrations; queries are portable SQL. API keys live in
//! the same store ([`keys`]).
//!
//! ## Layout: where each rule lives
//!
//! | Rule | File |
//! |---|---|
//! | Queries of both backends, the `RunStore` trait's implementation, listings and paging | `sql.rs` |
//! | The one INSERT of runs; group commit on SQLite | `insert.rs`, `group_commit.rs` |
//! | Row ↔ record mapping; long descriptions cut in listings | `rows.rs`, `listed.rs` |
//! | Schema | `migrations/sqlite/`, `migrations/postgres/` (one numbered file per change) |
//! | API keys (hashed tokens, roles, funds) | `keys.rs` |
//! | Idempotency keys | `idempotency.rs` |
//! | Unavailable-store errors (503) vs bugs | `availability.rs` |
//! | SQLite file checks at start-up; online backup | `sqlite_file.rs`, `backup.rs` |

mod availability;
mod backup;
mod error;
mod group_commit;
pub mod idempotency;
mod insert;
pub mod keys;
mod listed;
mod rows;
mod sql;
mod sqlite_file;

use async_trait::async_trait;
use engine::model::{RunListItem, RunRecord, ScenarioSetSummary};

pub use backup::{BackupSummary, backup_sqlite};
pub use error::StoreError;
pub use idempotency::{IdempotencyRecord, IdempotentKind};
pub use keys::{ApiKey, KeyStore, NewApiKey};
pub use sql::{Backend, SqlStore};

/// A scenario set with its runs in scenario order.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioSetWithRuns {
    pub scenario_set: ScenarioSetSummary,
    pub runs: Vec<RunRecord>,
}

/// Which runs a listing shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunQuery {
    /// Only runs of exactly this fund.
    pub fund_id: Option<String>,
    /// Only runs of one of these funds (a fund-scoped key's); `None` = every fund, an empty
    /// list = nothing.
    pub funds: Option<Vec<String>>,
    /// Only runs whose fund id starts with this (case-sensitive).
    pub fund_prefix: Option<String>,
    /// Only runs older than this run (by creation time, then insertion order): the last run id
    /// of the previous page.
    pub before: Option<String>,
    /// Most runs returned.
    pub limit: u32,
}

impl RunQuery {
    /// The newest `limit` runs of every fund.
    pub fn newest(limit: u32) -> Self {
        RunQuery {
            limit,
            ..RunQuery::default()
        }
    }
}

/// A run ready to be written, its response already encoded as JSON: a caller that also sends
/// the response over HTTP encodes it once for both.
#[derive(Debug, Clone, PartialEq)]
pub struct EncodedRun {
    pub summary: RunListItem,
    pub response_json: Option<String>,
    pub error: Option<String>,
    pub scenario_rationale: Option<String>,
    /// The request the run executed, encoded.
    pub request_json: Option<String>,
}

impl EncodedRun {
    pub fn encode(run: &RunRecord) -> EncodedRun {
        EncodedRun {
            summary: RunListItem::from(run),
            response_json: run
                .response
                .as_ref()
                .map(|r| serde_json::to_string(r).expect("responses serialise")),
            error: run.error.clone(),
            scenario_rationale: run.scenario_rationale.clone(),
            request_json: run
                .request
                .as_ref()
                .map(|r| serde_json::to_string(r).expect("requests serialise")),
        }
    }
}

/// Storage of runs and scenario sets (and, through [`KeyStore`], API keys).
#[async_trait]
pub trait RunStore: KeyStore + Send + Sync {
    /// Which backend this is, for logs ("sqlite:data/slb.db", "postgres").
    fn describe(&self) -> String;

    /// Stores a finished run; returns once it is committed.
    async fn insert_run(&self, run: &RunRecord) -> Result<(), StoreError> {
        self.insert_encoded_run(EncodedRun::encode(run)).await
    }

    /// Stores a finished run whose response is already encoded; returns once it is committed.
    async fn insert_encoded_run(&self, run: EncodedRun) -> Result<(), StoreError>;

    async fn get_run(&self, run_id: &str) -> Result<Option<RunRecord>, StoreError>;

    /// Newest first (by creation time), filtered before the limit; a page starts after the
    /// query's `before` cursor. An unknown cursor is [`StoreError::UnknownCursor`].
    async fn list_runs(&self, query: &RunQuery) -> Result<Vec<RunListItem>, StoreError>;

    /// Every fund id that has runs, sorted.
    async fn list_funds(&self) -> Result<Vec<String>, StoreError>;

    /// Stores a set and its runs (in scenario order) in one transaction.
    async fn insert_scenario_set(
        &self,
        set: &ScenarioSetSummary,
        runs: &[RunRecord],
    ) -> Result<(), StoreError>;

    async fn get_scenario_set(&self, id: &str) -> Result<Option<ScenarioSetWithRuns>, StoreError>;

    /// Newest first; a page starts after the `before` set (an id), if given. With `funds`,
    /// only sets whose runs are all of those funds.
    async fn list_scenario_sets(
        &self,
        limit: u32,
        before: Option<&str>,
        funds: Option<&[String]>,
    ) -> Result<Vec<ScenarioSetSummary>, StoreError>;

    /// Whether the store can serve now (`GET /ready`): its database answers a trivial query
    /// within a few seconds (and, for SQLite, its file is still there).
    async fn ready(&self) -> Result<(), StoreError>;

    /// The stored `Idempotency-Key` `key`, if any.
    async fn find_idempotency_key(
        &self,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError>;

    /// [`RunStore::insert_encoded_run`] that also stores `key` (naming the run) in the same
    /// commit. A key already stored is [`StoreError::IdempotencyKeyTaken`], and then the run is
    /// not stored either.
    async fn insert_encoded_run_keyed(
        &self,
        run: EncodedRun,
        key: Option<IdempotencyRecord>,
    ) -> Result<(), StoreError>;

    /// [`RunStore::insert_scenario_set`] that also stores `key` (naming the set) in the same
    /// transaction, as [`RunStore::insert_encoded_run_keyed`] does.
    async fn insert_scenario_set_keyed(
        &self,
        set: &ScenarioSetSummary,
        runs: &[RunRecord],
        key: Option<IdempotencyRecord>,
    ) -> Result<(), StoreError>;

    /// Stops the store cleanly (SQLite: a final WAL checkpoint); called once, at shutdown.
    async fn shutdown(&self) {}
}
