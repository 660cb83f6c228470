//! `slb evaluate`: the engine alone, on a portfolio and a spec file.

use std::path::Path;

use engine::model::{SelectionStrategy, SelectorSpec};
use engine::{EngineConfig, generate_explanation_nodes, select_with};
use serde_json::json;

use crate::error::CliError;
use crate::portfolio::{Portfolio, read_json};
use crate::{print_out, render};

pub fn run(
    portfolio: Option<&Path>,
    spec: &Path,
    strategy: SelectionStrategy,
    as_json: bool,
) -> Result<(), CliError> {
    let portfolio = Portfolio::load(portfolio)?;
    let spec: SelectorSpec = read_json(spec)?;
    let config = EngineConfig::default();
    let outcome = select_with(
        strategy,
        &portfolio.assets,
        &portfolio.corporate_state,
        &spec,
        &config,
    );
    let nodes = generate_explanation_nodes(&spec, &outcome, &portfolio.corporate_state, &config);
    if as_json {
        let body = json!({ "outcome": outcome, "explanation_nodes": nodes });
        let text = serde_json::to_string_pretty(&body).expect("outcome serialises");
        print_out(&(text + "\n"))
    } else {
        let mut text = render::outcome(&spec, &outcome);
        text.push_str(&render::explanation_nodes(&nodes));
        print_out(&text)
    }
}
