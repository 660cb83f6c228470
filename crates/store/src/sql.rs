//! The SQL store over `sqlx::AnyPool`, for SQLite and PostgreSQL.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use async_trait::async_trait;
use engine::model::{RunListItem, RunRecord, ScenarioSetSummary};
use std::sync::Arc;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

use crate::error::{Context, StoreError};
use crate::group_commit::{GroupCommit, WalSize};
use crate::idempotency::{self, IdempotencyRecord};
use crate::insert::insert_runs;
use crate::listed::{listed_column, shorten};
use crate::rows::{run_columns, run_list_columns, run_list_item, run_record, scenario_set};
use crate::sqlite_file::{self, FileWatch};
use crate::{EncodedRun, RunQuery, RunStore, ScenarioSetWithRuns};

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database a store talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (created if missing).
    Sqlite(PathBuf),
    /// A PostgreSQL server.
    Postgres,
}

/// Runs and scenario sets in an SQL database.
pub struct SqlStore {
    /// Connections for reads.
    pool: AnyPool,
    /// Connections for writes. SQLite admits one writer at a time and a blocked writer sleeps
    /// in its busy handler, so SQLite gets a single writer connection and writers queue here,
    /// in order, instead; PostgreSQL shares the read pool.
    writer: AnyPool,
    /// SQLite only: batches concurrent run inserts into one commit.
    group_commit: Option<GroupCommit>,
    /// SQLite only: copies the WAL back into the database file off the request path.
    _checkpointer: Option<Checkpointer>,
    backend: Backend,
    /// SQLite only: the database file in use, watched for removal.
    watch: Option<Arc<FileWatch>>,
}

/// Longest wait for a database connection (pool full, server down, file gone) before the
/// store reports itself unavailable.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Longest `GET /ready` waits for the database.
pub const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// PostgreSQL: longest a statement (or a lock wait) may take.
pub const STATEMENT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Runs passive WAL checkpoints every [`CHECKPOINT_INTERVAL`] until the store is dropped. A
/// passive checkpoint never blocks the writer, so commits keep a steady latency; with the
/// automatic checkpoint instead, the commit that crosses 1,000 WAL pages does the copying
/// while every queued request waits.
struct Checkpointer {
    _stop: tokio::sync::oneshot::Sender<()>,
}

const CHECKPOINT_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

/// One passive checkpoint (never blocks the writer); records the WAL's size for the writer.
async fn checkpoint(pool: &AnyPool, wal: &WalSize) -> Result<(), sqlx::Error> {
    let row = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(pool)
        .await?;
    wal.record(&row);
    Ok(())
}

impl Checkpointer {
    fn start(pool: AnyPool, watch: Arc<FileWatch>, wal: WalSize) -> Checkpointer {
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(CHECKPOINT_INTERVAL);
            // Logged once per outage, not every tick.
            let mut failing = false;
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    _ = tick.tick() => {
                        let result = match watch.check() {
                            Ok(()) => checkpoint(&pool, &wal).await.map_err(|e| e.to_string()),
                            Err(e) => Err(e.to_string()),
                        };
                        match result {
                            Err(e) if !failing => {
                                tracing::warn!(error = %e, path = %watch.path().display(), "WAL checkpoint failed");
                                failing = true;
                            }
                            Ok(()) if failing => {
                                tracing::info!("WAL checkpoints work again");
                                failing = false;
                            }
                            _ => {}
                        }
                    }
                }
            }
        });
        Checkpointer { _stop: stop }
    }
}

impl SqlStore {
    /// Opens (creating if needed) the SQLite file `data_dir/slb.db` and migrates it.
    pub async fn open_sqlite_dir(data_dir: &Path) -> Result<SqlStore, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            StoreError::Config(format!(
                "cannot create data directory {}: {e}",
                data_dir.display()
            ))
        })?;
        SqlStore::open_sqlite(&data_dir.join("slb.db")).await
    }

    /// Opens (creating if needed) an SQLite file and migrates it. An existing file that is not
    /// a sound, writable SLB Planner database (empty, corrupt, truncated, foreign, read-only)
    /// is refused with a message saying so: never silently replaced by an empty store.
    pub async fn open_sqlite(path: &Path) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let found = sqlite_file::preflight(path)?;
        let url = |mode: &str| format!("sqlite://{}?mode={mode}", path.display());
        if found == sqlite_file::Found::Nothing {
            // Only this first connection may create the file: the pools open it with
            // `mode=rw`, so a database deleted under a running server is never re-created
            // empty behind its back.
            let create = AnyConnectOptions::from_str(&url("rwc")).during("parse sqlite url")?;
            let mut conn = AnyConnection::connect_with(&create)
                .await
                .during("create sqlite database")?;
            conn.execute("PRAGMA journal_mode = WAL")
                .await
                .during("create sqlite database")?;
            let _ = conn.close().await;
        }
        let options = AnyConnectOptions::from_str(&url("rw")).during("parse sqlite url")?;
        let watch = Arc::new(FileWatch::new(path));
        let connect = |max_connections| {
            let (on_connect, on_acquire) = (watch.clone(), watch.clone());
            AnyPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .after_connect(move |conn, _| {
                    let watch = on_connect.clone();
                    Box::pin(async move {
                        // WAL lets readers run beside the writer; NORMAL sync keeps every commit
                        // across a process crash (kill -9) without an fsync per request.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                        // Checkpoints run in the background (see `Checkpointer`), never inside
                        // a commit that callers are waiting on.
                        conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
                        watch.record();
                        Ok(())
                    })
                })
                // A connection to a file that is no longer at the path (deleted with its data
                // directory, say) is dropped; reopening then fails fast and the store answers
                // 503 until the file is back.
                .before_acquire(move |_, _| {
                    let ok = on_acquire.check().is_ok();
                    Box::pin(async move { Ok(ok) })
                })
                .connect_with(options.clone())
        };
        let opening = |e: sqlx::Error| sqlite_file::open_error(path, e);
        let writer = connect(1).await.map_err(opening)?;
        sqlite_file::check_contents(&writer, path).await?;
        SQLITE_MIGRATIONS
            .run(&writer)
            .await
            .map_err(|e| sqlite_file::migrate_error(path, e))?;
        let pool = connect(4).await.map_err(opening)?;
        let page_size: i64 = sqlx::query_scalar("PRAGMA page_size")
            .fetch_one(&writer)
            .await
            .map_err(opening)?;
        let wal = WalSize::new(u64::try_from(page_size).unwrap_or(4096));
        Ok(SqlStore {
            _checkpointer: Some(Checkpointer::start(
                pool.clone(),
                watch.clone(),
                wal.clone(),
            )),
            pool,
            group_commit: Some(GroupCommit::start(writer.clone(), wal)),
            writer,
            backend: Backend::Sqlite(path.to_path_buf()),
            watch: Some(watch),
        })
    }

    /// Connects to PostgreSQL and migrates the schema. Safe to run from several servers at once.
    /// Connections give up after `ACQUIRE_TIMEOUT` and statements after
    /// `STATEMENT_TIMEOUT`, so an outage is answered within seconds rather than hanging.
    pub async fn open_postgres(url: &str) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let options = AnyConnectOptions::from_str(url).during("parse database url")?;
        // Migrations (which may backfill) run on a connection of their own, without the
        // statement timeout of the pool's connections.
        let mut migrator =
            tokio::time::timeout(ACQUIRE_TIMEOUT, AnyConnection::connect_with(&options))
                .await
                .map_err(|_| {
                    StoreError::Unavailable(format!(
                        "PostgreSQL did not accept a connection within {} s",
                        ACQUIRE_TIMEOUT.as_secs()
                    ))
                })?
                .during("connect to postgres")?;
        POSTGRES_MIGRATIONS.run(&mut migrator).await?;
        let _ = migrator.close().await;
        let statement_timeout = format!(
            "SET statement_timeout = {}; SET lock_timeout = {}; \
             SET idle_in_transaction_session_timeout = {}",
            STATEMENT_TIMEOUT.as_millis(),
            STATEMENT_TIMEOUT.as_millis(),
            4 * STATEMENT_TIMEOUT.as_millis()
        );
        let pool = AnyPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |conn, _| {
                let sql = statement_timeout.clone();
                Box::pin(async move {
                    conn.execute(sqlx::AssertSqlSafe(sql)).await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .during("connect to postgres")?;
        Ok(SqlStore {
            writer: pool.clone(),
            group_commit: None,
            _checkpointer: None,
            pool,
            backend: Backend::Postgres,
            watch: None,
        })
    }

    /// Opens the store a URL names: `postgres://…`/`postgresql://…`, or `sqlite://PATH`.
    pub async fn open_url(url: &str) -> Result<SqlStore, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            SqlStore::open_postgres(url).await
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            SqlStore::open_sqlite(Path::new(path)).await
        } else {
            Err(StoreError::Config(
                "database URL must start with postgres://, postgresql:// or sqlite://".into(),
            ))
        }
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Connections for reads.
    pub(crate) fn reader(&self) -> &AnyPool {
        &self.pool
    }

    /// Connections for writes (one on SQLite).
    pub(crate) fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// Closes the pools, waiting for checked-out connections. SQLite first copies its WAL
    /// back into the database file and truncates it (a final `TRUNCATE` checkpoint), so a
    /// stopped server leaves one self-contained file behind.
    pub async fn close(&self) {
        if matches!(self.backend, Backend::Sqlite(_))
            && self.watch.as_ref().is_none_or(|w| w.check().is_ok())
        {
            match sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.writer)
                .await
            {
                Ok(row) => {
                    let busy: i64 = sqlx::Row::try_get(&row, 0).unwrap_or(1);
                    if busy != 0 {
                        tracing::warn!("final WAL checkpoint could not complete (database busy)");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "final WAL checkpoint failed"),
            }
        }
        self.writer.close().await;
        self.pool.close().await;
    }
}

#[async_trait]
impl RunStore for SqlStore {
    fn describe(&self) -> String {
        match &self.backend {
            Backend::Sqlite(path) => format!("SQLite file {}", path.display()),
            Backend::Postgres => "PostgreSQL".to_string(),
        }
    }

    async fn ready(&self) -> Result<(), StoreError> {
        if let Some(watch) = &self.watch {
            watch.check()?;
            watch.check_space()?;
        }
        let probe = sqlx::query("SELECT 1").fetch_one(&self.pool);
        match tokio::time::timeout(READY_TIMEOUT, probe).await {
            Ok(result) => result.map(drop).during("readiness probe"),
            Err(_) => Err(StoreError::Unavailable(format!(
                "the database did not answer within {} s",
                READY_TIMEOUT.as_secs()
            ))),
        }
    }

    async fn find_idempotency_key(
        &self,
        key: &str,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        idempotency::find(&self.pool, key).await
    }

    async fn insert_encoded_run_keyed(
        &self,
        run: EncodedRun,
        key: Option<IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        match (&self.group_commit, key) {
            (Some(group), key) => group.insert(run, key).await,
            (None, None) => insert_runs(&self.writer, [(&run, None)]).await,
            (None, Some(key)) => {
                let mut tx = self.writer.begin().await.during("begin run insert")?;
                insert_runs(&mut *tx, [(&run, None)]).await?;
                idempotency::insert(&mut *tx, &[&key]).await?;
                tx.commit().await.during("commit run")
            }
        }
    }

    async fn shutdown(&self) {
        self.close().await;
    }

    async fn insert_encoded_run(&self, run: EncodedRun) -> Result<(), StoreError> {
        self.insert_encoded_run_keyed(run, None).await
    }

    async fn get_run(&self, run_id: &str) -> Result<Option<RunRecord>, StoreError> {
        let sql = concat!("SELECT ", run_columns!(), " FROM runs WHERE run_id = $1");
        let row = sqlx::query(sql)
            .bind(run_id)
            .fetch_optional(&self.pool)
            .await
            .during("get run")?;
        row.as_ref().map(run_record).transpose()
    }

    async fn list_runs(&self, query: &RunQuery) -> Result<Vec<RunListItem>, StoreError> {
        // Only placeholders are formatted into the SQL; every value is bound.
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<&str> = Vec::new();
        if let Some(fund) = &query.fund_id {
            values.push(fund);
            conditions.push(format!("fund_id = ${}", values.len()));
        }
        if let Some(funds) = &query.funds {
            if funds.is_empty() {
                return Ok(Vec::new());
            }
            let first = values.len() + 1;
            values.extend(funds.iter().map(String::as_str));
            conditions.push(format!("fund_id IN ({})", placeholders(first, funds.len())));
        }
        if let Some(prefix) = &query.fund_prefix {
            values.push(prefix);
            // Compared by substring rather than LIKE, so `%` and `_` in a prefix match literally.
            let p = values.len();
            conditions.push(format!("substr(fund_id, 1, length(${p})) = ${p}"));
        }
        if let Some(before) = &query.before {
            conditions.push(
                self.cursor_condition(Listed::Runs, before, &mut values)
                    .await?,
            );
        }
        let filter = where_clause(&conditions);
        let sql = format!(
            "SELECT {} FROM runs{filter} ORDER BY created_at DESC, seq DESC LIMIT ${}",
            run_list_columns!().replacen(
                "program_description",
                &listed_column("program_description"),
                1
            ),
            values.len() + 1
        );
        let mut statement = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in values {
            statement = statement.bind(value);
        }
        let rows = statement
            .bind(i64::from(query.limit))
            .fetch_all(&self.pool)
            .await
            .during("list runs")?;
        rows.iter()
            .map(|row| {
                let mut item = run_list_item(row)?;
                shorten(&mut item.program_description);
                Ok(item)
            })
            .collect()
    }

    async fn list_funds(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT DISTINCT fund_id FROM runs WHERE fund_id IS NOT NULL ORDER BY fund_id",
        )
        .fetch_all(&self.pool)
        .await
        .during("list funds")?;
        rows.iter()
            .map(|row| sqlx::Row::try_get::<String, _>(row, "fund_id").during("read fund id"))
            .collect()
    }

    async fn insert_scenario_set(
        &self,
        set: &ScenarioSetSummary,
        runs: &[RunRecord],
    ) -> Result<(), StoreError> {
        self.insert_scenario_set_keyed(set, runs, None).await
    }

    async fn insert_scenario_set_keyed(
        &self,
        set: &ScenarioSetSummary,
        runs: &[RunRecord],
        key: Option<IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer.begin().await.during("begin scenario set")?;
        let notes = serde_json::to_string(&set.notes).expect("notes serialise");
        sqlx::query(
            "INSERT INTO scenario_sets (id, brief, created_at, notes) VALUES ($1, $2, $3, $4)",
        )
        .bind(&set.id)
        .bind(&set.brief)
        .bind(&set.created_at)
        .bind(notes)
        .execute(&mut *tx)
        .await
        .during("insert scenario set")?;
        let encoded: Vec<EncodedRun> = runs.iter().map(EncodedRun::encode).collect();
        let positioned = encoded.iter().zip((0..).map(Some));
        insert_runs(&mut *tx, positioned).await?;
        if let Some(key) = &key {
            idempotency::insert(&mut *tx, &[key]).await?;
        }
        tx.commit().await.during("commit scenario set")?;
        Ok(())
    }

    async fn get_scenario_set(&self, id: &str) -> Result<Option<ScenarioSetWithRuns>, StoreError> {
        let Some(row) =
            sqlx::query("SELECT id, brief, created_at, notes FROM scenario_sets WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .during("get scenario set")?
        else {
            return Ok(None);
        };
        let sql = concat!(
            "SELECT ",
            run_columns!(),
            " FROM runs WHERE scenario_set_id = $1 ORDER BY scenario_position, seq"
        );
        let run_rows = sqlx::query(sql)
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .during("get scenario runs")?;
        let runs = run_rows
            .iter()
            .map(run_record)
            .collect::<Result<Vec<_>, _>>()?;
        let run_ids = runs.iter().map(|r| r.run_id.clone()).collect();
        Ok(Some(ScenarioSetWithRuns {
            scenario_set: scenario_set(&row, run_ids)?,
            runs,
        }))
    }

    async fn list_scenario_sets(
        &self,
        limit: u32,
        before: Option<&str>,
        funds: Option<&[String]>,
    ) -> Result<Vec<ScenarioSetSummary>, StoreError> {
        // Only placeholders are formatted into the SQL; every value is bound.
        let mut conditions: Vec<String> = Vec::new();
        let mut values: Vec<&str> = Vec::new();
        if let Some(funds) = funds {
            if funds.is_empty() {
                return Ok(Vec::new());
            }
            // A set is in scope when it has runs and every one of them is of one of the funds.
            let first = values.len() + 1;
            values.extend(funds.iter().map(String::as_str));
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM runs r WHERE r.scenario_set_id = scenario_sets.id) \
                 AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.scenario_set_id = scenario_sets.id \
                 AND (r.fund_id IS NULL OR r.fund_id NOT IN ({})))",
                placeholders(first, funds.len())
            ));
        }
        if let Some(cursor) = before {
            conditions.push(
                self.cursor_condition(Listed::ScenarioSets, cursor, &mut values)
                    .await?,
            );
        }
        let filter = where_clause(&conditions);
        let sql = format!(
            "SELECT id, {}, created_at, notes FROM scenario_sets{filter} \
             ORDER BY created_at DESC, seq DESC LIMIT ${}",
            listed_column("brief"),
            values.len() + 1
        );
        let mut statement = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in values {
            statement = statement.bind(value);
        }
        let rows = statement
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .during("list scenario sets")?;
        let mut sets = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = sqlx::Row::try_get(row, "id").during("read scenario set id")?;
            let ids = sqlx::query("SELECT run_id FROM runs WHERE scenario_set_id = $1 ORDER BY scenario_position, seq")
                .bind(&id)
                .fetch_all(&self.pool)
                .await
                .during("list scenario set runs")?
                .iter()
                .map(|r| sqlx::Row::try_get::<String, _>(r, "run_id").during("read run id"))
                .collect::<Result<Vec<_>, _>>()?;
            let mut set = scenario_set(row, ids)?;
            shorten(&mut set.brief);
            sets.push(set);
        }
        Ok(sets)
    }
}

/// `count` numbered placeholders from `$first`: `$3, $4, $5`.
/// A table a listing pages through with a `before` cursor.
#[derive(Clone, Copy)]
enum Listed {
    Runs,
    ScenarioSets,
}

impl Listed {
    /// Table, id column, and what an unknown cursor names.
    fn parts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Listed::Runs => ("runs", "run_id", "run"),
            Listed::ScenarioSets => ("scenario_sets", "id", "scenario set"),
        }
    }
}

impl SqlStore {
    /// The condition "older than the item `cursor`" (by creation time, then insertion order),
    /// binding the cursor as the next value; an unknown cursor is an error, not an empty page.
    async fn cursor_condition<'v>(
        &self,
        listed: Listed,
        cursor: &'v str,
        values: &mut Vec<&'v str>,
    ) -> Result<String, StoreError> {
        let (table, id, what) = listed.parts();
        let exists = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT 1 FROM {table} WHERE {id} = $1"
        )))
        .bind(cursor)
        .fetch_optional(&self.pool)
        .await
        .during("find list cursor")?;
        if exists.is_none() {
            return Err(StoreError::UnknownCursor(what));
        }
        values.push(cursor);
        Ok(format!(
            "(created_at, seq) < (SELECT created_at, seq FROM {table} WHERE {id} = ${})",
            values.len()
        ))
    }
}

/// ` WHERE a AND b`, or nothing without conditions.
fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
