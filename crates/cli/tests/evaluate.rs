//! `slb evaluate`: the engine alone from the command line.

mod support;

use serde_json::Value;
use support::{example, run, stderr, stdout};

#[test]
fn json_output_is_outcome_explanation_nodes_credit_analysis_and_insights() {
    let out = run(&["evaluate", "--spec", &example("demo_spec.json"), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "credit_analysis",
            "explanation_nodes",
            "insights",
            "outcome"
        ]
    );
    let outcome = &body["outcome"];
    assert_eq!(outcome["status"], "ok");
    // The demo spec allows only stores and distribution centres, and a $250M target.
    let selected = outcome["selected_assets"].as_array().unwrap();
    assert!(!selected.is_empty());
    assert!(selected.iter().all(|s| {
        ["store", "distribution_center"].contains(&s["asset"]["asset_type"].as_str().unwrap())
    }));
    let proceeds: f64 = selected
        .iter()
        .map(|s| s["proceeds"].as_f64().unwrap())
        .sum();
    assert!((proceeds - outcome["proceeds"].as_f64().unwrap()).abs() < 1.0);
    assert!(outcome["proceeds"].as_f64().unwrap() >= 250e6 * 0.98);
    assert!(
        outcome["leverage_after"].as_f64().unwrap() < outcome["leverage_before"].as_f64().unwrap()
    );
}

#[test]
fn table_output_shows_assets_metrics_and_explanation() {
    let out = run(&["evaluate", "--spec", &example("demo_spec.json")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for needle in [
        "Status: OK",
        "Selected assets",
        "Net leverage",
        "Fixed-charge coverage",
        "Explanation",
        "Total",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn bad_files_exit_2_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.json");
    std::fs::write(&spec, r#"{"program_type":"slb","objective":"balanced","target_amount":-5,"hard_constraints":{"max_net_leverage":12}}"#).unwrap();
    let out = run(&["evaluate", "--spec", spec.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("target_amount: must be > 0"), "{err}");
    assert!(
        err.contains("hard_constraints.max_net_leverage: must be in (0, 10)"),
        "{err}"
    );

    let portfolio = dir.path().join("portfolio.json");
    std::fs::write(&portfolio, r#"{"assets":[{"asset_id":"A","asset_type":"store","market":"X","noi":0,"book_value":1,"criticality":0.5,"leaseability_score":0.5}],"corporate_state":{"net_debt":1,"ebitda":1,"interest_expense":1}}"#).unwrap();
    let out = run(&[
        "evaluate",
        "--portfolio",
        portfolio.to_str().unwrap(),
        "--spec",
        &example("demo_spec.json"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("assets[0].noi: must be > 0"),
        "{}",
        stderr(&out)
    );

    std::fs::write(&spec, "{ not json").unwrap();
    let out = run(&["evaluate", "--spec", spec.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("spec.json"), "{}", stderr(&out));

    let out = run(&["evaluate", "--spec", "/nonexistent/spec.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read /nonexistent/spec.json"));
}

/// The credit worked examples through the command line, as other cases of the same kind will
/// be checked: each case's portfolio, spec and assumptions as files, `--strategy optimal`, and
/// the brute-forced optimum where the case gives one; every lens of the analysis is present.
#[test]
fn credit_cases_through_evaluate() {
    let path = testkit::fixtures_dir().join("credit/credit_cases.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, value: &Value| {
        let path = dir.path().join(name);
        std::fs::write(&path, value.to_string()).unwrap();
        path.to_string_lossy().into_owned()
    };
    let cases = doc["cases"].as_array().unwrap();
    assert_eq!(cases.len() as u64, doc["count"].as_u64().unwrap());
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let portfolio = file(
            "portfolio.json",
            &serde_json::json!({"assets": case["assets"], "corporate_state": case["corporate_state"]}),
        );
        let spec = file("spec.json", &case["spec"]);
        let assumptions = file("assumptions.json", &case["assumptions"]);
        let out = run(&[
            "evaluate",
            "--portfolio",
            &portfolio,
            "--spec",
            &spec,
            "--assumptions",
            &assumptions,
            "--strategy",
            "optimal",
            "--json",
        ]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
        let names: Vec<&str> = body["credit_analysis"]["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "reported_leverage",
                "covenant_leverage",
                "lease_adjusted_leverage",
                "ifrs16_leverage",
                "covenant_interest_coverage",
                "ebitdar_fixed_charge_coverage"
            ],
            "{name}"
        );
        let Some(expected) = case.get("expected_optimal").filter(|v| !v.is_null()) else {
            continue;
        };
        let feasible = body["outcome"]["status"] == "ok";
        assert_eq!(feasible, expected["feasible"].as_bool().unwrap(), "{name}");
        if feasible {
            let proceeds = body["outcome"]["proceeds"].as_f64().unwrap();
            let best = expected["max_feasible_proceeds"].as_f64().unwrap();
            assert!(
                (proceeds - best).abs() <= 1e-9 * best,
                "{name}: {proceeds} vs {best}"
            );
        }
    }
}
