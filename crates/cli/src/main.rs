//! `slb` — the SLB Planner command line.

mod error;
mod evaluate;
mod format;
mod planner;
mod portfolio;
mod render;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use engine::model::SelectionStrategy;

use crate::error::CliError;

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
    Evaluate {
        /// Portfolio JSON `{"assets": [...], "corporate_state": {...}}`; the built-in demo portfolio when omitted.
        #[arg(long)]
        portfolio: Option<PathBuf>,
        /// SelectorSpec JSON file.
        #[arg(long)]
        spec: PathBuf,
        /// Selection strategy.
        #[arg(long, value_parser = parse_strategy, default_value = "greedy")]
        strategy: SelectionStrategy,
        /// Print `{"outcome": ..., "explanation_nodes": [...]}` instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// Serve the HTTP API and web UI (SQLite in ./data and the built-in planner by default).
    Serve(serve::ServeArgs),
}

fn parse_strategy(s: &str) -> Result<SelectionStrategy, String> {
    s.parse()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Evaluate {
            portfolio,
            spec,
            strategy,
            json,
        } => evaluate::run(portfolio.as_deref(), &spec, strategy, json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code)
        }
    }
}

/// Logs go to stderr; `RUST_LOG` filters them (default `info`), `SLB_LOG_FORMAT=json` makes
/// them structured.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("SLB_LOG_FORMAT").is_ok_and(|f| f == "json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Writes to stdout, treating a closed pipe (`slb ... | head`) as success rather than a panic.
pub(crate) fn print_out(text: &str) -> Result<(), CliError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError {
            message: format!("cannot write output: {e}"),
            exit_code: 1,
        }),
    }
}
