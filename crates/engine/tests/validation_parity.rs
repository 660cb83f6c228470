//! SPEC §6 parity: the validation functions against the reference's cases
//! (`fixtures/reference/validation_cases.json`), messages compared byte for byte and in order.
//! Each case also says whether the reference's pydantic models accept the input; the model's
//! range rules ([`CheckBounds`]) must agree.

use testkit::parity;

use engine::model::{Asset, CheckBounds, CorporateState, SelectorSpec};
use engine::validation::{validate_assets, validate_corporate_state, validate_spec};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Messages of the validation function named by the case's `kind`, and whether the model's range
/// rules accept the input.
fn run(case: &Value) -> Result<(Vec<String>, bool), String> {
    let input = &case["input"];
    match case["kind"].as_str() {
        // The reference checks a list element by element, so an empty list is accepted here; the
        // request model rejects it separately (see tests/request_bounds.rs).
        Some("assets") => {
            let assets: Vec<Asset> = parse(input)?;
            let accepted = assets.iter().all(|a| a.bounds_errors().is_empty());
            Ok((validate_assets(&assets), accepted))
        }
        Some("corporate_state") => {
            let state: CorporateState = parse(input)?;
            Ok((
                validate_corporate_state(&state),
                state.bounds_errors().is_empty(),
            ))
        }
        Some("spec") => {
            let spec: SelectorSpec = parse(input)?;
            Ok((validate_spec(&spec), spec.bounds_errors().is_empty()))
        }
        other => Err(format!("unknown case kind {other:?}")),
    }
}

fn parse<T: DeserializeOwned>(input: &Value) -> Result<T, String> {
    serde_json::from_value(input.clone()).map_err(|e| format!("input does not deserialize: {e}"))
}

#[test]
fn validation_matches_reference() {
    let count = parity::run_cases("validation", |case| {
        let (errors, accepted) = match run(case) {
            Ok(result) => result,
            Err(problem) => return vec![problem],
        };
        let mut problems = Vec::new();
        let expected_errors = &case["expected"]["errors"];
        if Value::from(errors.clone()) != *expected_errors {
            problems.push(format!(
                "errors: got {errors:?}, expected {expected_errors}"
            ));
        }
        let expected_accepts = case["expected"]["pydantic_accepts"].as_bool();
        if Some(accepted) != expected_accepts {
            problems.push(format!(
                "model bounds accept = {accepted}, pydantic_accepts = {expected_accepts:?}"
            ));
        }
        problems
    });
    assert_eq!(count, declared_count("validation_cases.json"));
}

/// The `count` the case file declares, so a truncated file cannot pass.
fn declared_count(file: &str) -> usize {
    let text = std::fs::read_to_string(parity::reference_dir().join(file)).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["count"].as_u64().unwrap() as usize
}
