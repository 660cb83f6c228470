//! `slb backup`: a consistent copy of an SQLite store, taken while servers keep running.
//! `VACUUM INTO` reads one snapshot (a read transaction, so writers carry on) and writes a
//! compact, self-contained database file; the copy is then opened and checked.

use std::path::Path;
use std::str::FromStr;

use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, Connection, Executor};

use crate::error::{Context, StoreError};
use crate::sqlite_file::{self, Found};

/// What a backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub runs: i64,
    pub scenario_sets: i64,
    pub bytes: u64,
}

/// Copies the SQLite database `db` to the new file `to`.
pub async fn backup_sqlite(db: &Path, to: &Path) -> Result<BackupSummary, StoreError> {
    sqlx::any::install_default_drivers();
    if sqlite_file::preflight_readable(db)? == Found::Nothing {
        return Err(StoreError::Config(format!(
            "there is no database at {} to back up",
            db.display()
        )));
    }
    if to.exists() {
        return Err(StoreError::Config(format!(
            "{} already exists: choose a new file name (a backup never overwrites)",
            to.display()
        )));
    }
    let target = to
        .to_str()
        .ok_or_else(|| StoreError::Config(format!("{} is not a UTF-8 path", to.display())))?;
    let source = AnyConnectOptions::from_str(&format!("sqlite://{}?mode=rw", db.display()))
        .during("parse sqlite url")?;
    let mut conn = AnyConnection::connect_with(&source)
        .await
        .map_err(|e| sqlite_file::open_error(db, e))?;
    conn.execute("PRAGMA busy_timeout = 5000")
        .await
        .during("prepare backup")?;
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(&mut conn)
        .await
        .map_err(|e| {
            StoreError::Config(format!("cannot write the backup {}: {e}", to.display()))
        })?;
    let _ = conn.close().await;
    verify(to).await
}

/// Opens a backup read-only and counts what it holds; a copy that fails its integrity check
/// is an error.
async fn verify(path: &Path) -> Result<BackupSummary, StoreError> {
    let options = AnyConnectOptions::from_str(&format!("sqlite://{}?mode=ro", path.display()))
        .during("parse sqlite url")?;
    let mut conn = AnyConnection::connect_with(&options)
        .await
        .during("open the backup")?;
    let verdict: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut conn)
        .await
        .during("check the backup")?;
    if verdict != "ok" {
        return Err(StoreError::Corrupt(format!(
            "the backup {} failed its check: {verdict}",
            path.display()
        )));
    }
    let runs: i64 = sqlx::query_scalar("SELECT count(*) FROM runs")
        .fetch_one(&mut conn)
        .await
        .during("count runs in the backup")?;
    let scenario_sets: i64 = sqlx::query_scalar("SELECT count(*) FROM scenario_sets")
        .fetch_one(&mut conn)
        .await
        .during("count scenario sets in the backup")?;
    let _ = conn.close().await;
    Ok(BackupSummary {
        runs,
        scenario_sets,
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
    })
}
