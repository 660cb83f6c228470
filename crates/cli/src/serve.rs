//! `slb serve`: the HTTP API (and web UI) on a store, with the configured planner.

use std::path::PathBuf;
use std::sync::Arc;

use agent::RunSettings;
use server::AppState;
use store::{RunStore, SqlStore};

use crate::error::CliError;
use crate::planner::planner_from_env;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SLB_HOST", default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "SLB_PORT", default_value_t = 8000)]
    port: u16,
    /// Directory of the SQLite store (`slb.db`), used unless a database URL is given.
    #[arg(long, env = "SLB_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL instead of the SQLite file.
    #[arg(long, env = "SLB_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Request body limit in bytes.
    #[arg(long, env = "SLB_BODY_LIMIT", default_value_t = server::DEFAULT_BODY_LIMIT)]
    body_limit: usize,
    /// Scenarios of one set that run at the same time.
    #[arg(long, env = "SLB_SCENARIO_CONCURRENCY", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    scenario_concurrency: u16,
    /// Search budget of the `optimal` strategy in branch-and-bound nodes (deterministic; a
    /// search that runs out returns its best selection with an "optimality not proven" warning).
    #[arg(long, env = "SLB_OPTIMISER_NODE_BUDGET", default_value_t = engine::EngineConfig::default().optimiser_node_budget)]
    optimiser_node_budget: u64,
    #[command(flatten)]
    auth: crate::keys::AuthArgs,
    #[command(flatten)]
    limits: crate::limits::LimitArgs,
}

pub fn run(args: ServeArgs) -> Result<(), CliError> {
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| CliError::failure(format!("cannot start runtime: {e}")))?;
    runtime.block_on(serve(args))
}

async fn serve(args: ServeArgs) -> Result<(), CliError> {
    let store: Arc<dyn RunStore> = match &args.database_url {
        Some(url) => Arc::new(SqlStore::open_url(url).await.map_err(store_error)?),
        None => Arc::new(
            SqlStore::open_sqlite_dir(&args.data_dir)
                .await
                .map_err(store_error)?,
        ),
    };
    let auth = args
        .auth
        .configure(store.as_ref(), &args.host, args.port)
        .await?;
    let planner = planner_from_env()?;
    tracing::info!(store = %store.describe(), planner = %planner.name(), "SLB Planner starting");

    let state = AppState {
        store: store.clone(),
        planner: planner.into(),
        settings: Arc::new(RunSettings {
            engine: engine::EngineConfig {
                optimiser_node_budget: args.optimiser_node_budget,
                ..engine::EngineConfig::default()
            },
            ..RunSettings::default()
        }),
        body_limit: args.body_limit,
        scenario_concurrency: usize::from(args.scenario_concurrency),
    };
    let address = format!("{}:{}", args.host, args.port);
    let listener = tokio::net::TcpListener::bind(&address)
        .await
        .map_err(|e| CliError::input(format!("cannot listen on {address}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| CliError::input(e.to_string()))?;
    tracing::info!(
        "listening on http://{local} — open http://{local}/ (API docs at http://{local}/api/docs)"
    );
    // Machine-readable line for scripts and tests that start the server on port 0.
    println!("SLB_LISTENING http://{local}");
    let (limits, connection_limits) = args.limits.build(&args.host);
    let app = server::router_with(state, auth, limits);
    let served = server::serve_with(listener, app, connection_limits).await;
    // Every request has finished: the store can stop (SQLite merges its WAL into the file).
    store.shutdown().await;
    tracing::info!("stopped");
    served.map_err(|e| CliError::failure(format!("server error: {e}")))
}

fn store_error(e: store::StoreError) -> CliError {
    CliError {
        message: format!("cannot open the store: {e}"),
        exit_code: 2,
    }
}
