//! Engine parity: every `engine` reference case (selection + explanation nodes) must reproduce
//! the Python original's output exactly (strings, order, nulls; floats within 1e-9).

use testkit::parity;

use engine::model::{CorporateState, Portfolio, SelectorSpec};
use engine::{EngineConfig, generate_explanation_nodes, select_assets};
use serde::de::DeserializeOwned;
use serde_json::Value;

fn field<T: DeserializeOwned>(case: &Value, name: &str) -> Result<T, String> {
    serde_json::from_value(case[name].clone()).map_err(|e| format!("cannot read {name}: {e}"))
}

/// What one engine case runs on.
type Inputs = (Portfolio, CorporateState, SelectorSpec);

/// The case's assets, corporate state and spec, or why they cannot be read.
fn read_inputs(case: &Value) -> Result<Inputs, Vec<String>> {
    let inputs = (
        field::<Portfolio>(case, "assets"),
        field::<CorporateState>(case, "corporate_state"),
        field::<SelectorSpec>(case, "spec"),
    );
    match inputs {
        (Ok(assets), Ok(state), Ok(spec)) => Ok((assets, state, spec)),
        (assets, state, spec) => Err([assets.err(), state.err(), spec.err()]
            .into_iter()
            .flatten()
            .collect()),
    }
}

fn check_case(case: &Value) -> Vec<String> {
    let (assets, state, spec) = match read_inputs(case) {
        Ok(inputs) => inputs,
        Err(problems) => return problems,
    };
    let config = EngineConfig::default();

    let outcome = select_assets(&assets, &state, &spec, &config);
    let nodes = generate_explanation_nodes(&spec, &outcome, &state, &config);

    let expected = &case["expected"];
    let mut problems = labelled("outcome", &outcome, &expected["outcome"]);
    problems.extend(labelled(
        "explanation_nodes",
        &nodes,
        &expected["explanation_nodes"],
    ));
    problems
}

/// Differences between `actual` (serialised) and `expected`, with paths rooted at `label`.
fn labelled(label: &str, actual: &impl serde::Serialize, expected: &Value) -> Vec<String> {
    let actual = serde_json::to_value(actual).expect("engine output serialises");
    parity::diff(&actual, expected)
        .into_iter()
        .map(|problem| format!("{label}{}", problem.trim_start_matches('$')))
        .collect()
}

#[test]
fn engine_cases_match_the_reference() {
    let checked = parity::run_cases("engine", check_case);
    assert_eq!(
        checked,
        parity::declared_count("engine"),
        "every declared case ran"
    );
}

#[test]
fn engine_case_files_use_the_default_config() {
    let dir = parity::reference_dir();
    let text = std::fs::read_to_string(dir.join("engine_cases.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let config: EngineConfig = serde_json::from_value(doc["engine_config"].clone()).unwrap();
    assert_eq!(config, EngineConfig::default());
}

/// The optimality cases record what the reference's greedy selector returned on more
/// problems (status, pick order, proceeds); the greedy walk must agree on every one.
#[test]
fn greedy_matches_the_reference_on_the_optimality_cases() {
    let path = testkit::fixtures_dir().join("optimality/optimality_cases.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().expect("cases array");
    assert_eq!(cases.len() as u64, doc["count"].as_u64().expect("count"));
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let problems = greedy_problems(case);
            (!problems.is_empty()).then(|| format!("{}: {}", case["name"], problems.join("; ")))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn greedy_problems(case: &Value) -> Vec<String> {
    let (assets, state, spec) = match read_inputs(case) {
        Ok(inputs) => inputs,
        Err(problems) => return problems,
    };
    let outcome = select_assets(&assets, &state, &spec, &EngineConfig::default());
    let picked: Vec<&str> = outcome
        .selected_assets
        .iter()
        .map(|s| s.asset.asset_id.as_str())
        .collect();
    let actual = serde_json::json!({
        "status": outcome.status,
        "selected_ids": picked,
        "proceeds": outcome.proceeds,
    });
    parity::diff(&actual, &case["greedy"])
}

/// The toy portfolio of SPEC §4.9, run with the toy's own (non-default) config: the numbers
/// below are the worked example's.
mod toy_worked_example {
    use engine::config::{CapRateCurve, TierRates};
    use engine::economics::asset_metrics;
    use engine::model::{CorporateState, Portfolio, SelectionStatus, SelectorSpec};
    use engine::{EngineConfig, select_assets};
    use serde_json::Value;

    use super::parity::floats_match;
    use testkit::fixtures_dir;

    fn toy_config() -> EngineConfig {
        // Only store T1/T2 and office T1 are used by the toy; the rest mirrors its file.
        let rates = |tier1, tier2, tier3| TierRates {
            tier1,
            tier2,
            tier3,
        };
        EngineConfig {
            cap_rate_curve: CapRateCurve {
                store: rates(0.06, 0.065, 0.075),
                office: rates(0.055, 0.07, 0.08),
                distribution_center: rates(0.05, 0.06, 0.065),
                mixed_use: rates(0.06, 0.07, 0.075),
                other: rates(0.07, 0.08, 0.09),
            },
            epsilon: 1e-6,
            target_tolerance: 0.05,
            ..EngineConfig::default()
        }
    }

    fn toy() -> (Portfolio, CorporateState, Value) {
        let path = fixtures_dir().join("portfolios/toy_three_assets.json");
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let assets = serde_json::from_value(doc["assets"].clone()).unwrap();
        let state = serde_json::from_value(doc["corporate_state"].clone()).unwrap();
        (assets, state, doc["scenarios"].clone())
    }

    fn scenario_spec(scenarios: &Value, name: &str) -> SelectorSpec {
        let scenario = scenarios
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap();
        serde_json::from_value(scenario["spec"].clone()).unwrap()
    }

    fn assert_close(actual: f64, expected: f64) {
        assert!(floats_match(actual, expected), "{actual} vs {expected}");
    }

    #[test]
    fn prices_each_asset() {
        let (assets, _, _) = toy();
        let config = toy_config();
        let proceeds: Vec<f64> = assets
            .iter()
            .map(|a| asset_metrics(a, &config).proceeds)
            .collect();
        assert_close(asset_metrics(&assets[0], &config).market_value, 4e6 / 0.055);
        assert_close(proceeds[0], 4e6 / 0.055 * 0.975);
        assert_close(proceeds[1], 32_500_000.0);
        assert_close(proceeds[2], 22_500_000.0);
    }

    #[test]
    fn two_stores_reach_a_50m_target() {
        let (assets, state, scenarios) = toy();
        let spec = scenario_spec(&scenarios, "toy1_two_stores_ok");
        let outcome = select_assets(&assets, &state, &spec, &toy_config());

        let picked: Vec<&str> = outcome
            .selected_assets
            .iter()
            .map(|s| s.asset.asset_id.as_str())
            .collect();
        assert_eq!(picked, ["STORE_NYC", "STORE_AUSTIN"]);
        assert_eq!(outcome.status, SelectionStatus::Ok);
        assert_close(outcome.proceeds, 55_000_000.0);
        assert_close(outcome.leverage_before.unwrap(), 2.5);
        assert_close(outcome.leverage_after.unwrap(), 1.125);
        assert_close(outcome.interest_coverage_before.unwrap(), 40.0 / 6.0);
        assert_close(outcome.interest_coverage_after.unwrap(), 40.0 / 2.7);
        assert_close(outcome.fixed_charge_coverage_after.unwrap(), 40.0 / 6.2);
        assert_close(outcome.critical_fraction, 0.0);
        assert!(outcome.violations.is_empty() && outcome.warnings.is_empty());
    }

    #[test]
    fn a_60m_target_is_missed_by_5m() {
        let (assets, state, scenarios) = toy();
        let spec = scenario_spec(&scenarios, "toy3a_target_too_high");
        let outcome = select_assets(&assets, &state, &spec, &toy_config());

        assert_eq!(outcome.status, SelectionStatus::Infeasible);
        assert_eq!(outcome.violations.len(), 1);
        let violation = &outcome.violations[0];
        assert_eq!(violation.code.as_str(), "TARGET_NOT_MET");
        assert_close(violation.actual, 55_000_000.0);
        assert_close(violation.limit, 57_000_000.0);
        assert_eq!(
            violation.detail,
            "Proceeds $55,000,000 below target $60,000,000 (threshold $57,000,000)"
        );
    }

    #[test]
    fn no_mixed_use_asset_means_no_eligible_assets() {
        let (assets, state, scenarios) = toy();
        let spec = scenario_spec(&scenarios, "toy2_no_eligible_assets");
        let outcome = select_assets(&assets, &state, &spec, &toy_config());

        assert_eq!(outcome.status, SelectionStatus::Infeasible);
        assert_eq!(outcome.violations.len(), 1);
        assert_eq!(outcome.violations[0].code.as_str(), "NO_ELIGIBLE_ASSETS");
        assert_eq!(outcome.leverage_after, outcome.leverage_before);
        assert!(outcome.selected_assets.is_empty());
    }
}
