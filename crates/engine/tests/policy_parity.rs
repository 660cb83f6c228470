//! SPEC §7 parity: the revision policy against the reference's cases
//! (`fixtures/reference/policy_cases.json`): validity, the returned spec (null when rejected) and
//! the ordered violations with their exact messages.

use testkit::parity;

use engine::RevisionPolicyConfig;
use engine::model::{HardConstraints, SelectorSpec};
use engine::policy::enforce_revision_policy;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn field<T: DeserializeOwned>(case: &Value, name: &str) -> Result<T, String> {
    serde_json::from_value(case[name].clone())
        .map_err(|e| format!("{name} does not deserialize: {e}"))
}

fn check_case(case: &Value) -> Result<Vec<String>, String> {
    let immutable_hard: HardConstraints = field(case, "immutable_hard")?;
    let original_target: f64 = field(case, "original_target")?;
    let floor_fraction: f64 = field(case, "floor_fraction")?;
    let prev: SelectorSpec = field(case, "prev_spec")?;
    let new: SelectorSpec = field(case, "new_spec")?;

    let result = enforce_revision_policy(
        &immutable_hard,
        original_target,
        &prev,
        &new,
        floor_fraction,
        &RevisionPolicyConfig::default(),
    );
    let actual = json!({
        "valid": result.spec().is_some(),
        "spec": result.spec(),
        "violations": result.violations(),
    });
    Ok(parity::diff(&actual, &case["expected"]))
}

#[test]
fn policy_cases_match_the_reference() {
    let count = parity::run_cases("revision_policy", |case| {
        check_case(case).unwrap_or_else(|problem| vec![problem])
    });
    assert_eq!(count, declared("count").as_u64().unwrap() as usize);
}

#[test]
fn policy_cases_use_the_default_config() {
    let config: RevisionPolicyConfig =
        serde_json::from_value(declared("revision_policy_config")).unwrap();
    assert_eq!(config, RevisionPolicyConfig::default());
}

/// A field of the policy case file's envelope.
fn declared(name: &str) -> Value {
    let path = parity::reference_dir().join("policy_cases.json");
    let text = std::fs::read_to_string(path).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc[name].clone()
}
