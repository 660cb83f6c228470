//! `slb backup --to FILE`: a consistent copy of the SQLite store, safe while `slb serve` runs.

use std::path::PathBuf;

use crate::error::CliError;

#[derive(clap::Args)]
pub struct BackupArgs {
    /// The new file to write (never overwritten).
    #[arg(long)]
    to: PathBuf,
    /// Directory of the SQLite store (`slb.db`) to back up.
    #[arg(long, env = "SLB_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// The database URL `slb serve` uses, if any (`sqlite://PATH`; PostgreSQL is backed up
    /// with its own tools).
    #[arg(long, env = "SLB_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
}

pub fn run(args: &BackupArgs) -> Result<(), CliError> {
    let db = match &args.database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            return Err(CliError::input(
                "the store is PostgreSQL: back it up with PostgreSQL's own tools, e.g. \
                 `pg_dump --format=custom --file=slb.dump \"$SLB_DATABASE_URL\"` (restore with \
                 pg_restore); `slb backup` copies SQLite stores",
            ));
        }
        Some(url) => match url.strip_prefix("sqlite://") {
            Some(path) => PathBuf::from(path),
            None => {
                return Err(CliError::input(
                    "database URL must start with postgres://, postgresql:// or sqlite://",
                ));
            }
        },
        None => args.data_dir.join("slb.db"),
    };
    let summary = crate::block_on(store::backup_sqlite(&db, &args.to))?
        .map_err(|e| CliError::input(format!("backup failed: {e}")))?;
    crate::print_out(&format!(
        "backed up {} to {}: {} runs, {} scenario sets, {} bytes (checked)\n",
        db.display(),
        args.to.display(),
        summary.runs,
        summary.scenario_sets,
        summary.bytes
    ))
}
