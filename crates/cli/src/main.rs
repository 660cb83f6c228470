//! `slb` — the SLB Planner command line.
//!
//! ## Layout: where each command lives
//!
//! | Command | File |
//! |---|---|
//! | `serve` (and its limits flags) | `serve.rs`, `limits.rs` |
//! | `plan`, `run` | `plan.rs` |
//! | `scenarios` | `scenarios.rs` |
//! | `evaluate` (the engine alone) | `evaluate.rs` |
//! | `frontier`, `sensitivity` | `analyses.rs` |
//! | `keys`, `backup` | `keys.rs`, `backup.rs` |
//! | Portfolio files (JSON, CSV) | `portfolio.rs` |
//! | Which planner (built-in or LLM) | `planner.rs` |
//! | Tables and number formats | `render.rs`, `format.rs` |
//! | Exit codes | `error.rs` |

mod analyses;
mod backup;
mod error;
mod evaluate;
mod format;
mod keys;
mod limits;
mod plan;
mod planner;
mod portfolio;
mod render;
mod scenarios;
mod serve;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use engine::model::SelectionStrategy;

use crate::error::CliError;

/// The server allocates many short-lived buffers per request (request parsing, responses);
/// mimalloc serves that pattern markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "slb",
    version,
    about = "SLB Planner: plan sale-leaseback programs that raise capital within covenants"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the selection engine on a portfolio and a structured spec.
    Evaluate(evaluate::EvaluateArgs),
    /// Turn a brief into a SelectorSpec (printed as JSON) with the configured planner.
    Plan(plan::PlanArgs),
    /// Plan and run a program from a brief: outcome, explanation and audit trail.
    Run(plan::RunArgs),
    /// Run scenario variants of a brief (base, conservative, aggressive, ...) and compare them.
    Scenarios(scenarios::ScenariosArgs),
    /// Trace the frontier of gross proceeds against a credit metric (each point an exact
    /// optimum under the spec's other constraints).
    Frontier(analyses::FrontierArgs),
    /// Run a sensitivity grid: the spec's program under two parameters' values.
    Sensitivity(analyses::SensitivityArgs),
    /// Serve the HTTP API and web UI (SQLite in ./data and the built-in planner by default).
    Serve(serve::ServeArgs),
    /// Copy the SQLite store to a new file, consistently, while servers keep running.
    Backup(backup::BackupArgs),
    /// Create, list and revoke the API keys `slb serve` requires once one exists.
    Keys(keys::KeysArgs),
}

/// Parses `greedy` / `optimal` for `--strategy`.
pub(crate) fn parse_strategy(s: &str) -> Result<SelectionStrategy, String> {
    s.parse()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Before any command runs, so that nothing logs into an uninitialised subscriber.
    init_logging(if matches!(cli.command, Command::Serve(_)) {
        "info"
    } else {
        "warn"
    });
    let result = match cli.command {
        Command::Evaluate(args) => evaluate::run(&args),
        Command::Plan(args) => plan::plan(&args),
        Command::Run(args) => plan::run(&args),
        Command::Scenarios(args) => scenarios::run(&args),
        Command::Frontier(args) => analyses::run_frontier(&args),
        Command::Sensitivity(args) => analyses::run_sensitivity(&args),
        Command::Serve(args) => serve::run(args),
        Command::Keys(args) => keys::run(&args),
        Command::Backup(args) => backup::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code)
        }
    }
}

/// Logs go to stderr; `RUST_LOG` filters them (default `info` for `serve`, `warn` otherwise),
/// `SLB_LOG_FORMAT=json` makes them structured. `default` is the filter when `RUST_LOG` is
/// unset or invalid.
fn init_logging(default: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, never into log files.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    if std::env::var("SLB_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// A current-thread runtime for the one-shot commands.
pub(crate) fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, CliError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failure(format!("cannot start runtime: {e}")))?;
    Ok(runtime.block_on(future))
}

/// Writes to stdout, treating a closed pipe (`slb ... | head`) as success rather than a panic.
pub(crate) fn print_out(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::failure(format!("cannot write output: {e}"))),
    }
}

/// Pretty JSON with a trailing newline.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).expect("model types serialise");
    print_out(&(text + "\n"))
}
