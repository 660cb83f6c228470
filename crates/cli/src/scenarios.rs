//! `slb scenarios`: run the scenario variants of a brief and compare them side by side.

use std::io::IsTerminal;

use agent::{RunSettings, ScenarioSetOptions};
use engine::model::SelectionStrategy;
use indicatif::{ProgressBar, ProgressStyle};

use crate::error::CliError;
use crate::planner::planner_from_env;
use crate::portfolio::PortfolioArgs;
use crate::{block_on, parse_strategy, print_json, print_out, render};

#[derive(clap::Args)]
pub struct ScenariosArgs {
    #[command(flatten)]
    portfolio: PortfolioArgs,
    /// The plain-English brief.
    #[arg(long)]
    brief: String,
    /// Number of scenarios, 1–5 (the first is always the base case).
    #[arg(short = 'n', long = "num-scenarios", default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=5))]
    num_scenarios: u8,
    /// Selection strategy for every scenario: `optimal` (exact search) or `greedy` (the
    /// reference's walk).
    #[arg(long, value_parser = parse_strategy, default_value = "optimal")]
    strategy: SelectionStrategy,
    /// Print `{"scenario_set": ..., "runs": [...]}` as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &ScenariosArgs) -> Result<(), CliError> {
    let portfolio = args.portfolio.load()?;
    let base = portfolio.slb_request(&args.brief, args.strategy);
    let planner = planner_from_env()?;
    let options = ScenarioSetOptions {
        num_scenarios: usize::from(args.num_scenarios),
        fund_id: None,
        concurrency: 4,
    };
    let bar = std::io::stdout().is_terminal().then(|| {
        let bar = ProgressBar::new(u64::from(args.num_scenarios));
        bar.set_style(
            ProgressStyle::with_template("{spinner} scenarios {bar:24} {pos}/{len} {msg}")
                .expect("valid template"),
        );
        bar.set_message("planning…");
        bar
    });
    let progress = |_total: usize, run: &engine::model::RunRecord| {
        if let Some(bar) = &bar {
            bar.inc(1);
            bar.set_message(run.scenario_label.clone().unwrap_or_default());
        }
    };
    let outcome = block_on(agent::run_scenario_set_with_progress(
        &args.brief,
        &base,
        planner.as_ref(),
        &RunSettings::default(),
        &options,
        &progress,
    ))?
    .map_err(|e| CliError::failure(e.to_string()))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if args.json {
        print_json(&serde_json::json!({ "scenario_set": outcome.summary, "runs": outcome.runs }))
    } else {
        let notes: String = outcome
            .summary
            .notes
            .iter()
            .map(|note| format!("  · {note}\n"))
            .collect();
        print_out(&format!(
            "Scenarios for: {} (strategy: {})\n{}{}",
            args.brief,
            args.strategy.label(),
            render::scenario_table(&outcome.runs),
            if notes.is_empty() {
                String::new()
            } else {
                format!("Notes\n{notes}")
            }
        ))
    }
}
