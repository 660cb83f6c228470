//! `slb plan`, `slb run` and `slb scenarios` on the demo portfolio and on CSV portfolios.

mod support;

use serde_json::Value;
use support::{run, stderr, stdout};

#[test]
fn plan_prints_only_the_spec_json() {
    let out = run(&[
        "plan",
        "--brief",
        "Raise $300M from stores and DCs, keep leverage under 3.5x, nothing in Texas",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let spec: Value =
        serde_json::from_str(&stdout(&out)).expect("stdout is exactly one JSON document");
    assert_eq!(spec["target_amount"], 300_000_000.0);
    assert_eq!(spec["hard_constraints"]["max_net_leverage"], 3.5);
    assert_eq!(
        spec["asset_filters"]["include_asset_types"],
        serde_json::json!(["store", "distribution_center"])
    );
    let markets = spec["asset_filters"]["exclude_markets"].as_array().unwrap();
    assert!(
        !markets.is_empty()
            && markets
                .iter()
                .all(|m| m.as_str().unwrap().ends_with(", TX"))
    );
}

#[test]
fn run_json_is_a_full_program_response_honouring_overrides() {
    let out = run(&[
        "run",
        "--brief",
        "Raise $200M from stores",
        "--json",
        "--target",
        "150000000",
        "--floor",
        "120000000",
        "--max-leverage",
        "3.9",
        "--min-coverage",
        "2.5",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let response: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let trace = &response["audit_trace"];
    assert_eq!(trace["target_source"], "user_override");
    assert_eq!(trace["original_target"], 150_000_000.0);
    assert_eq!(
        trace["floor_target"].as_f64().unwrap().round(),
        120_000_000.0
    );
    assert_eq!(
        response["selector_spec"]["hard_constraints"]["max_net_leverage"],
        3.9
    );
    assert_eq!(
        response["selector_spec"]["hard_constraints"]["min_fixed_charge_coverage"],
        2.5
    );
    assert_eq!(response["outcome"]["status"], "ok");
    assert!(response["explanation"]["summary"].as_str().unwrap().len() > 20);
}

#[test]
fn run_table_shows_outcome_explanation_and_audit_trail() {
    let out = run(&["run", "--brief", "Raise $150M, keep leverage below 4x"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for needle in [
        "Program spec",
        "Selected assets",
        "Summary",
        "Audit trail",
        "Initial",
    ] {
        assert!(text.contains(needle), "missing {needle:?}:\n{text}");
    }
}

#[test]
fn run_rejects_out_of_range_options_with_exit_2() {
    let out = run(&["run", "--brief", "Raise $100M", "--max-leverage", "12"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("max_leverage_override: must be in (0, 10)"),
        "{}",
        stderr(&out)
    );
    let out = run(&["run", "--brief", "Raise $50M", "--floor", "60000000"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("Floor override (60,000,000) cannot exceed target amount (50,000,000)")
    );
}

#[test]
fn scenarios_compare_variants_of_the_brief() {
    let out = run(&[
        "scenarios",
        "--brief",
        "Raise $300M, keep leverage under 4.5x",
        "-n",
        "3",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let runs = body["runs"].as_array().unwrap();
    let kinds: Vec<&str> = runs
        .iter()
        .map(|r| r["scenario_kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["base", "risk_off", "aggressive"]);
    let ids: Vec<&Value> = runs.iter().map(|r| &r["run_id"]).collect();
    assert_eq!(
        body["scenario_set"]["run_ids"]
            .as_array()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        ids
    );
    let targets: Vec<f64> = runs
        .iter()
        .map(|r| {
            r["response"]["audit_trace"]["original_target"]
                .as_f64()
                .unwrap()
        })
        .collect();
    assert_eq!(targets, [300e6, 240e6, 375e6]);

    let out = run(&["scenarios", "--brief", "Raise $300M", "-n", "2"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("Base Case") && text.contains("Conservative") && !text.contains("Aggressive"),
        "{text}"
    );

    let out = run(&["scenarios", "--brief", "Raise $300M", "-n", "6"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn csv_portfolios_with_a_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("assets.csv");
    std::fs::write(
        &csv,
        "asset_id,name,asset_type,market,noi,book_value,criticality,leaseability_score,market_tier\n\
         S1,Store One,store,\"Dallas, TX\",\"2,000,000\",20000000,0.2,0.9,2\n\
         S2,,store,\"Austin, TX\",1500000,15000000,0.3,0.8,\n\
         D1,DC,distribution_center,\"Chicago, IL\",3000000,40000000,0.5,0.7,1\n",
    )
    .unwrap();
    let state = dir.path().join("state.json");
    std::fs::write(
        &state,
        r#"{"net_debt": 200000000, "ebitda": 80000000, "interest_expense": 12000000}"#,
    )
    .unwrap();
    let out = run(&[
        "plan",
        "--portfolio",
        csv.to_str().unwrap(),
        "--state",
        state.to_str().unwrap(),
        "--brief",
        "Raise $40M, avoid Dallas",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let spec: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        spec["asset_filters"]["exclude_markets"],
        serde_json::json!(["Dallas, TX"])
    );

    let out = run(&[
        "run",
        "--portfolio",
        csv.to_str().unwrap(),
        "--state",
        state.to_str().unwrap(),
        "--brief",
        "Raise $40M",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let response: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(response["outcome"]["status"], "ok");

    std::fs::write(&csv, "asset_id,asset_type,market,noi,book_value,criticality,leaseability_score\nA,store,X,abc,1,0.5,0.5\nB,castle,Y,5,1,0.5,1.5\n").unwrap();
    let out = run(&[
        "plan",
        "--portfolio",
        csv.to_str().unwrap(),
        "--state",
        state.to_str().unwrap(),
        "--brief",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("row 1: noi: must be a number"), "{err}");
    assert!(err.contains("row 2: asset_type"), "{err}");
    // Each bad cell once, in words rather than the parser's.
    assert_eq!(err.matches("row 1: noi").count(), 1, "{err}");
    assert!(!err.contains("is required"), "{err}");
    assert!(!err.contains("variant"), "{err}");
    assert!(err.contains("row 2: leaseability_score"), "{err}");

    // Money as a spreadsheet writes it.
    std::fs::write(
        &csv,
        "asset_id,asset_type,market,noi,book_value,criticality,leaseability_score,tax_basis\n\
         A,Distribution Center,X,\"$2,450,000\",$30M,0.5,0.5,12.5m\n",
    )
    .unwrap();
    let out = run(&[
        "evaluate",
        "--portfolio",
        csv.to_str().unwrap(),
        "--state",
        state.to_str().unwrap(),
        "--spec",
        &support::example("demo_spec.json"),
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let asset = &body["outcome"]["selected_assets"][0]["asset"];
    assert_eq!(asset["noi"], 2_450_000.0, "{body}");
    assert_eq!(asset["book_value"], 30_000_000.0);
    assert_eq!(asset["tax_basis"], 12_500_000.0);
    assert_eq!(asset["asset_type"], "distribution_center");

    let out = run(&["plan", "--portfolio", csv.to_str().unwrap(), "--brief", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--state"));
}

#[test]
fn optimal_strategy_finds_the_program_greedy_misses_and_says_why() {
    // The demo company starts at 4.00x leverage: no single sale cures a 3.5x cap.
    let brief = "Raise $300M from stores and DCs, keep leverage under 3.5x";
    let greedy = run(&["run", "--brief", brief, "--strategy", "greedy", "--json"]);
    let greedy: Value = serde_json::from_str(&stdout(&greedy)).unwrap();
    assert_eq!(greedy["outcome"]["status"], "infeasible");
    assert!(
        greedy["outcome"]["selected_assets"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Optimal is the command line's default.
    let out = run(&["run", "--brief", brief, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let optimal: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(optimal["outcome"]["status"], "ok");
    assert!(optimal["outcome"]["leverage_after"].as_f64().unwrap() <= 3.5);
    let nodes = optimal["explanation"]["nodes"].as_array().unwrap();
    let ids: Vec<&str> = nodes.iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"driver_optimal_strategy"), "{ids:?}");
    let why = nodes
        .iter()
        .find(|n| n["id"] == "alternative_greedy_comparison")
        .expect("greedy comparison node");
    assert!(
        why["detail"].as_str().unwrap().contains("leverage breach"),
        "{why}"
    );
}

#[test]
fn plan_explain_attributes_every_spec_field() {
    let out = run(&[
        "plan",
        "--brief",
        "Raise $250M from stores, keep leverage under 3.5x",
        "--explain",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let preview: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(preview["selector_spec"]["target_amount"], 250_000_000.0);
    let provenance = preview["provenance"].as_array().unwrap();
    let source = |field: &str| {
        provenance
            .iter()
            .find(|p| p["field"] == field)
            .map(|p| p["source"].as_str().unwrap().to_owned())
    };
    assert_eq!(source("target_amount").as_deref(), Some("brief"));
    assert_eq!(
        source("hard_constraints.max_net_leverage").as_deref(),
        Some("brief")
    );
    // Every entry names a field the spec sets, and no field is left out.
    for entry in provenance {
        let path: Vec<&str> = entry["field"].as_str().unwrap().split('.').collect();
        let value = path
            .iter()
            .fold(&preview["selector_spec"], |value, key| &value[key]);
        assert!(!value.is_null(), "{entry}");
    }
    assert!(provenance.len() >= 10, "{provenance:?}");
    assert!(preview["warnings"].is_array());
}
