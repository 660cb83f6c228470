//! `slb evaluate`: the engine alone, on a portfolio and a spec file.

use std::path::PathBuf;

use engine::model::{SelectionStrategy, SelectorSpec};
use engine::{
    AdviceInputs, EngineConfig, credit_analysis, credit_insights, generate_explanation_nodes,
    program_advice, select_explained,
};
use serde_json::json;

use crate::error::CliError;
use crate::portfolio::{PortfolioArgs, read_json};
use crate::{parse_strategy, print_json, print_out, render};

#[derive(clap::Args)]
pub struct EvaluateArgs {
    #[command(flatten)]
    portfolio: PortfolioArgs,
    /// SelectorSpec JSON file.
    #[arg(long)]
    spec: PathBuf,
    /// Selection strategy: `greedy` (reference behaviour) or `optimal` (exact search).
    #[arg(long, value_parser = parse_strategy, default_value = "greedy")]
    strategy: SelectionStrategy,
    /// Print `{"outcome", "explanation_nodes", "credit_analysis", "insights"}` instead of
    /// tables.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &EvaluateArgs) -> Result<(), CliError> {
    let portfolio = args.portfolio.load()?;
    let spec: SelectorSpec = read_json(&args.spec)?;
    let assumptions = portfolio.assumptions.as_ref();
    let config = EngineConfig::default().for_run(assumptions);
    let state = &portfolio.corporate_state;
    let selection = select_explained(args.strategy, &portfolio.assets, state, &spec, &config);
    let outcome = selection.outcome;
    let mut nodes = generate_explanation_nodes(&spec, &outcome, state, &config);
    nodes.extend(selection.strategy_nodes);
    let credit = credit_analysis(
        &outcome,
        state,
        &spec.hard_constraints,
        &config,
        assumptions,
    );
    let mut insights = program_advice(&AdviceInputs {
        portfolio: &portfolio.assets,
        state,
        spec: &spec,
        config: &config,
        strategy: args.strategy,
        outcome: &outcome,
        analysis: &credit,
    });
    insights.extend(credit_insights(&outcome, &credit, state, &config));
    if args.json {
        print_json(&json!({
            "outcome": outcome,
            "explanation_nodes": nodes,
            "credit_analysis": credit,
            "insights": insights,
        }))
    } else {
        let mut text = render::outcome(&spec, &outcome);
        text.push_str(&render::credit(&credit));
        text.push_str(&render::explanation_nodes(&nodes));
        text.push_str(&render::insights(&insights));
        print_out(&text)
    }
}
