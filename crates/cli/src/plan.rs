//! `slb plan` (brief → spec) and `slb run` (brief → finished program).

use std::time::Instant;

use agent::{PortfolioContext, RunError, RunSettings};
use engine::model::{ProgramRequest, ProgramType, SelectionStrategy};

use crate::error::CliError;
use crate::planner::planner_from_env;
use crate::portfolio::PortfolioArgs;
use crate::{block_on, parse_strategy, print_json, print_out, render};

#[derive(clap::Args)]
pub struct PlanArgs {
    #[command(flatten)]
    portfolio: PortfolioArgs,
    /// The plain-English brief, e.g. "Raise $250M from stores, keep leverage under 3.5x".
    #[arg(long)]
    brief: String,
    /// Print `{"selector_spec", "provenance", "warnings"}`: where each field came from (brief,
    /// default, override, portfolio) and what the planner could not read.
    #[arg(long)]
    explain: bool,
}

#[derive(clap::Args)]
pub struct RunArgs {
    #[command(flatten)]
    portfolio: PortfolioArgs,
    /// The plain-English brief.
    #[arg(long)]
    brief: String,
    /// Target proceeds in $, replacing the planner's (the target becomes a user override).
    #[arg(long, value_name = "DOLLARS")]
    target: Option<f64>,
    /// Minimum acceptable target in $: the revision loop never cuts below it.
    #[arg(long, value_name = "DOLLARS")]
    floor: Option<f64>,
    /// Maximum net leverage after the program (x EBITDA), in (0, 10).
    #[arg(long, value_name = "X")]
    max_leverage: Option<f64>,
    /// Minimum fixed-charge coverage after the program (x), in (0, 20).
    #[arg(long, value_name = "X")]
    min_coverage: Option<f64>,
    /// Selection strategy: `optimal` (exact search, honours the objective) or `greedy` (the
    /// reference's walk).
    #[arg(long, value_parser = parse_strategy, default_value = "optimal")]
    strategy: SelectionStrategy,
    /// Print the full ProgramResponse as JSON.
    #[arg(long)]
    json: bool,
}

pub fn plan(args: &PlanArgs) -> Result<(), CliError> {
    let portfolio = args.portfolio.load()?;
    let planner = planner_from_env()?;
    if args.explain {
        let request = portfolio.slb_request(&args.brief, SelectionStrategy::Optimal);
        let preview =
            block_on(agent::plan_program(&request, planner.as_ref()))?.map_err(run_error)?;
        return print_json(&preview);
    }
    let context = PortfolioContext::from_assets(&portfolio.assets);
    let spec = block_on(planner.generate_selector_spec(ProgramType::Slb, &args.brief, &context))?
        .map_err(|e| CliError::failure(e.to_string()))?;
    print_json(&spec)
}

/// Bad input is exit code 2, a planner failure 1.
fn run_error(e: RunError) -> CliError {
    match e {
        RunError::Validation { .. } | RunError::InvalidFloor { .. } => {
            CliError::input(e.to_string())
        }
        RunError::Planner(_) => CliError::failure(e.to_string()),
    }
}

pub fn run(args: &RunArgs) -> Result<(), CliError> {
    let portfolio = args.portfolio.load()?;
    let request = ProgramRequest {
        floor_override: args.floor,
        max_leverage_override: args.max_leverage,
        min_coverage_override: args.min_coverage,
        target_amount_override: args.target,
        ..portfolio.slb_request(&args.brief, args.strategy)
    };
    let errors = engine::model::CheckBounds::bounds_errors(&request);
    if !errors.is_empty() {
        return Err(CliError::field_errors("invalid options:", &errors));
    }
    let planner = planner_from_env()?;
    let started = Instant::now();
    let response = block_on(agent::run_program(
        &request,
        planner.as_ref(),
        &RunSettings::default(),
    ))?
    .map_err(run_error)?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_secs_f64() * 1e3,
        "program finished"
    );
    if args.json {
        print_json(&response)
    } else {
        print_out(&render::program(&response))
    }
}
