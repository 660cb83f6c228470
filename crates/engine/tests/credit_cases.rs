//! The credit analysis against the worked examples of `fixtures/credit/credit_cases.json`
//! (computed by an independent implementation of docs/credit.md): every transaction figure and
//! lens of a fixed selection, whether that selection is feasible under the spec, and — where a
//! case gives it — the most proceeds any feasible selection raises (brute force), which the
//! `optimal` strategy must find.

use engine::model::{
    Assumptions, CorporateState, Portfolio, SelectedAssets, SelectionStatus, SelectionStrategy,
    SelectorSpec,
};
use engine::selection::outcome_for_selection;
use engine::{EngineConfig, credit_analysis, select_with};
use serde_json::Value;

struct Case {
    name: String,
    portfolio: Portfolio,
    state: CorporateState,
    assumptions: Option<Assumptions>,
    spec: SelectorSpec,
    selection: Vec<String>,
    raw: Value,
}

fn cases() -> Vec<Case> {
    let path = testkit::fixtures_dir().join("credit/credit_cases.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap();
    let cases: Vec<Case> = doc["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|raw| Case {
            name: raw["name"].as_str().unwrap().to_owned(),
            portfolio: serde_json::from_value(raw["assets"].clone()).unwrap(),
            state: serde_json::from_value(raw["corporate_state"].clone()).unwrap(),
            assumptions: serde_json::from_value(raw["assumptions"].clone()).unwrap(),
            spec: serde_json::from_value(raw["spec"].clone()).unwrap(),
            selection: serde_json::from_value(raw["selection"].clone()).unwrap(),
            raw: raw.clone(),
        })
        .collect();
    assert_eq!(
        cases.len() as u64,
        doc["count"].as_u64().expect("count"),
        "the file's own count"
    );
    cases
}

/// The fixture's comparison: relative 1e-9, absolute 1e-3 $ near zero.
fn close(actual: Option<f64>, expected: &Value, absolute: f64) -> bool {
    match (actual, expected.as_f64()) {
        (None, None) => expected.is_null(),
        (Some(a), Some(e)) => {
            let diff = (a - e).abs();
            diff <= absolute || diff <= 1e-9 * a.abs().max(e.abs())
        }
        _ => false,
    }
}

fn selected(case: &Case) -> SelectedAssets {
    let config = EngineConfig::default().for_run(case.assumptions.as_ref());
    let mut selected = SelectedAssets::new(&case.portfolio);
    for id in &case.selection {
        let position = case
            .portfolio
            .iter()
            .position(|a| &a.asset_id == id)
            .unwrap_or_else(|| panic!("{}: no asset {id}", case.name));
        let metrics = engine::economics::asset_metrics(&case.portfolio[position], &config);
        selected.push(position, metrics.proceeds, metrics.slb_rent);
    }
    selected
}

#[test]
fn credit_figures_match_the_worked_examples() {
    let mut failures = Vec::new();
    for case in cases() {
        let config = EngineConfig::default().for_run(case.assumptions.as_ref());
        let outcome = outcome_for_selection(selected(&case), &case.state, &case.spec, &config);
        let analysis = credit_analysis(
            &outcome,
            &case.state,
            &case.spec.hard_constraints,
            &config,
            case.assumptions.as_ref(),
        );
        let expected = &case.raw["expected_for_selection"];
        let transaction = serde_json::to_value(&analysis.transaction).unwrap();
        for (field, value) in expected["transaction"].as_object().unwrap() {
            let tolerance = if field == "slb_cost_of_capital" {
                1e-6
            } else {
                1e-3
            };
            if !close(transaction[field].as_f64(), value, tolerance) {
                failures.push(format!(
                    "{}: transaction.{field}: got {}, expected {value}",
                    case.name, transaction[field]
                ));
            }
        }
        for metric in expected["metrics"].as_array().unwrap() {
            let name = metric["name"].as_str().unwrap();
            let ours = analysis
                .metrics
                .iter()
                .find(|m| m.name.as_str() == name)
                .unwrap_or_else(|| panic!("no lens {name}"));
            for (side, value) in [("before", ours.before), ("after", ours.after)] {
                if !close(value, &metric[side], 1e-12) {
                    failures.push(format!(
                        "{}: {name}.{side}: got {value:?}, expected {}",
                        case.name, metric[side]
                    ));
                }
            }
        }
        let feasible = outcome.status == SelectionStatus::Ok;
        if Some(feasible) != expected["feasible_under_spec"].as_bool() {
            failures.push(format!(
                "{}: feasible_under_spec: got {feasible} ({:?})",
                case.name, outcome.violations
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn optimal_finds_the_brute_forced_optimum_under_the_new_constraints() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in cases() {
        let Some(expected) = case.raw.get("expected_optimal").filter(|v| !v.is_null()) else {
            continue;
        };
        checked += 1;
        let config = EngineConfig::default().for_run(case.assumptions.as_ref());
        let outcome = select_with(
            SelectionStrategy::Optimal,
            &case.portfolio,
            &case.state,
            &case.spec,
            &config,
        );
        let feasible = outcome.status == SelectionStatus::Ok;
        let expected_feasible = expected["feasible"].as_bool().unwrap();
        if feasible != expected_feasible {
            failures.push(format!(
                "{}: feasible {feasible}, expected {expected_feasible} ({:?})",
                case.name, outcome.violations
            ));
            continue;
        }
        if feasible
            && !close(
                Some(outcome.proceeds),
                &expected["max_feasible_proceeds"],
                1e-3,
            )
        {
            failures.push(format!(
                "{}: proceeds {}, expected {}",
                case.name, outcome.proceeds, expected["max_feasible_proceeds"]
            ));
        }
    }
    assert!(checked > 0, "no case gives a brute-forced optimum");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
