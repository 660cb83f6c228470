//! Scenario sets at the orchestrator level (SPEC §11, DECISIONS S2–S5, seed plan PR 5–7):
//! the request each scenario runs, a whole set with the built-in planner, and the OpenAI client
//! against a local chat-completions server for partial failure, generation failure and the
//! concurrency bound.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use agent::openai::{OpenAiConfig, OpenAiPlanner};
use agent::{
    BuiltinPlanner, PlannerError, RunSettings, ScenarioSetOptions, ScenarioSetOutcome,
    build_scenario_request, run_scenario_set, run_scenario_set_with_progress,
};
use engine::model::{
    CorporateState, Portfolio, ProgramRequest, ProgramType, RunStatus, ScenarioDefinition,
    ScenarioKind, SelectionStrategy, TargetSource,
};
use testkit::chat_server::{CallKind, ChatCall, ChatServer, Reply, SUMMARY, cooperative};

const BRIEF: &str = "Raise $200M via SLB.";
const TARGET: f64 = 200e6;

fn demo() -> (Portfolio, CorporateState) {
    let path = testkit::fixtures_dir().join("briefs/demo_portfolio.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    (
        serde_json::from_value(file["assets"].clone()).unwrap(),
        serde_json::from_value(file["corporate_state"].clone()).unwrap(),
    )
}

fn base_request() -> ProgramRequest {
    let (assets, corporate_state) = demo();
    ProgramRequest {
        assets,
        corporate_state,
        program_type: ProgramType::Slb,
        program_description: BRIEF.to_owned(),
        floor_override: None,
        max_leverage_override: None,
        min_coverage_override: None,
        target_amount_override: None,
        selection_strategy: None,
        assumptions: None,
        selector_spec: None,
    }
}

fn scenario(label: &str, kind: ScenarioKind, target_amount: f64) -> ScenarioDefinition {
    ScenarioDefinition {
        label: label.to_owned(),
        kind,
        rationale: format!("{label} variant."),
        target_amount,
        max_leverage: None,
        min_coverage: None,
    }
}

fn options(num_scenarios: usize, concurrency: usize) -> ScenarioSetOptions {
    ScenarioSetOptions {
        num_scenarios,
        fund_id: Some("fund-7".to_owned()),
        concurrency,
    }
}

fn serialized(request: &ProgramRequest) -> String {
    serde_json::to_string(request).unwrap()
}

fn labels(outcome: &ScenarioSetOutcome) -> Vec<&str> {
    outcome
        .runs
        .iter()
        .map(|r| r.scenario_label.as_deref().unwrap())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// build_scenario_request (DECISIONS S2, plan PR 7)
// ---------------------------------------------------------------------------------------------

#[test]
fn the_base_scenario_runs_at_its_target_with_the_floor_at_the_target() {
    let mut base = base_request();
    base.selection_strategy = Some(SelectionStrategy::Optimal);
    let before = serialized(&base);

    let request = build_scenario_request(&base, &scenario("Base Case", ScenarioKind::Base, TARGET));

    assert_eq!(request.target_amount_override, Some(200e6));
    assert_eq!(request.floor_override, Some(200e6));
    assert_eq!(
        request.program_description,
        "Raise $200M via SLB. [Base Case]"
    );
    assert_eq!(request.max_leverage_override, None);
    assert_eq!(request.min_coverage_override, None);
    assert_eq!(request.program_type, ProgramType::Slb);
    assert_eq!(request.selection_strategy, Some(SelectionStrategy::Optimal));
    assert_eq!(request.assets, base.assets);
    assert_eq!(request.corporate_state, base.corporate_state);
    assert_eq!(
        serialized(&base),
        before,
        "the base request is left as it was"
    );
}

#[test]
fn every_variant_may_be_cut_to_ninety_percent_of_its_target() {
    let base = base_request();
    let before = serialized(&base);
    for (kind, target, floor) in [
        (ScenarioKind::RiskOff, 160e6, 144e6),
        (ScenarioKind::Aggressive, 250e6, 225e6),
        (ScenarioKind::GeoFocus, 200e6, 180e6),
        (ScenarioKind::Custom, 300e6, 270e6),
    ] {
        let request = build_scenario_request(&base, &scenario("Variant", kind, target));
        assert_eq!(request.target_amount_override, Some(target), "{kind:?}");
        let actual = request.floor_override.unwrap();
        assert!((actual - floor).abs() < 1e-6, "{kind:?}: floor {actual}");
        assert_eq!(
            request.program_description,
            "Raise $200M via SLB. [Variant]"
        );
        assert_eq!(request.assets, base.assets);
        assert_eq!(request.corporate_state, base.corporate_state);
    }
    assert_eq!(serialized(&base), before);
}

#[test]
fn the_scenario_target_replaces_the_requests_own_target_and_floor() {
    let mut base = base_request();
    base.target_amount_override = Some(50e6);
    base.floor_override = Some(40e6);

    let request =
        build_scenario_request(&base, &scenario("Stretch", ScenarioKind::Aggressive, 250e6));

    assert_eq!(request.target_amount_override, Some(250e6));
    assert!((request.floor_override.unwrap() - 225e6).abs() < 1e-6);
}

#[test]
fn covenant_overrides_tighten_the_request_but_never_loosen_it() {
    // (request leverage, scenario leverage, expected) and the same for coverage.
    let leverage_cases = [
        (None, None, None),
        (None, Some(3.0), Some(3.0)),
        (Some(3.5), None, Some(3.5)),
        (Some(3.5), Some(3.0), Some(3.0)),
        (Some(2.5), Some(4.5), Some(2.5)),
    ];
    let coverage_cases = [
        (None, None, None),
        (None, Some(3.5), Some(3.5)),
        (Some(3.0), None, Some(3.0)),
        (Some(3.0), Some(3.5), Some(3.5)),
        (Some(4.0), Some(2.5), Some(4.0)),
    ];
    for ((own_lev, scen_lev, want_lev), (own_cov, scen_cov, want_cov)) in
        leverage_cases.into_iter().zip(coverage_cases)
    {
        let mut base = base_request();
        base.max_leverage_override = own_lev;
        base.min_coverage_override = own_cov;
        let mut variant = scenario("Conservative", ScenarioKind::RiskOff, 160e6);
        variant.max_leverage = scen_lev;
        variant.min_coverage = scen_cov;

        let request = build_scenario_request(&base, &variant);

        assert_eq!(
            request.max_leverage_override, want_lev,
            "{own_lev:?} {scen_lev:?}"
        );
        assert_eq!(
            request.min_coverage_override, want_cov,
            "{own_cov:?} {scen_cov:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// A whole set with the built-in planner (DECISIONS S3, S5)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_built_in_set_runs_every_scenario_in_scenario_order() {
    let base = base_request();
    let before = serialized(&base);

    let outcome = run_scenario_set(
        BRIEF,
        &base,
        &BuiltinPlanner::new(),
        &RunSettings::default(),
        &options(5, 4),
    )
    .await
    .unwrap();

    assert_eq!(
        serialized(&base),
        before,
        "assets and corporate state untouched"
    );
    let set = &outcome.summary;
    assert_eq!(set.brief, BRIEF);
    assert_eq!(set.id.len(), 36);
    assert!(!set.created_at.is_empty());
    let run_ids: Vec<&str> = outcome.runs.iter().map(|r| r.run_id.as_str()).collect();
    assert_eq!(set.run_ids, run_ids, "run_ids in scenario order");
    // The geographic focus (1.0×, no overrides) would run the base case's spec again: it is
    // dropped, and the set says why.
    assert_eq!(
        labels(&outcome),
        [
            "Base Case",
            "Conservative",
            "Aggressive",
            "Maximum Proceeds"
        ]
    );
    assert!(
        set.notes
            .iter()
            .any(|n| n == "Geographic Focus dropped: it would run the same spec as Base Case"),
        "{:?}",
        set.notes
    );
    let kinds: Vec<&str> = outcome
        .runs
        .iter()
        .map(|r| r.scenario_kind.unwrap().as_str())
        .collect();
    assert_eq!(kinds, ["base", "risk_off", "aggressive", "custom"]);

    // DECISIONS S5: 1.0×, 0.8×, 1.25×, 1.5× the brief's $200M.
    let targets = [200e6, 160e6, 250e6, 300e6];
    for (run, target) in outcome.runs.iter().zip(targets) {
        let label = run.scenario_label.as_deref().unwrap();
        assert_eq!(run.scenario_set_id.as_deref(), Some(set.id.as_str()));
        assert_eq!(run.fund_id.as_deref(), Some("fund-7"));
        assert_eq!(run.program_description, format!("{BRIEF} [{label}]"));
        assert_eq!(run.status, RunStatus::Completed, "{label}: {:?}", run.error);
        assert_eq!(run.error, None);

        let response = run.response.as_ref().unwrap();
        let trace = response.audit_trace.as_ref().unwrap();
        assert_eq!(trace.target_source, TargetSource::UserOverride, "{label}");
        assert_eq!(trace.original_target, target, "{label}");
        let (fraction, lowest) = if run.scenario_kind == Some(ScenarioKind::Base) {
            (1.0, target)
        } else {
            (0.9, 0.9 * target)
        };
        assert!(
            (trace.floor_fraction - fraction).abs() < 1e-12,
            "{label}: {trace:?}"
        );
        assert!((trace.floor_target - lowest).abs() < 1e-6, "{label}");
        assert!(
            trace
                .entries
                .iter()
                .all(|e| e.target_after >= lowest - 1e-6),
            "{label} was cut below its floor"
        );
        assert!(response.selector_spec.target_amount >= lowest - 1e-6);

        // The engine saw the portfolio as sent: every selected asset is one of the inputs.
        for selection in &response.outcome.selected_assets {
            assert!(base.assets.contains(selection.asset), "{label}");
        }
    }

    let base_run = &outcome.runs[0];
    let base_response = base_run.response.as_ref().unwrap();
    assert_eq!(
        base_response.selector_spec.target_amount, 200e6,
        "the base target is sacred"
    );
    assert!(
        base_response
            .audit_trace
            .as_ref()
            .unwrap()
            .entries
            .iter()
            .all(|e| e.target_after == 200e6)
    );
}

#[tokio::test]
async fn the_same_brief_gives_the_same_programs() {
    let base = base_request();
    let planner = BuiltinPlanner::new();
    let settings = RunSettings::default();
    let first = run_scenario_set(BRIEF, &base, &planner, &settings, &options(5, 4))
        .await
        .unwrap();
    let second = run_scenario_set(BRIEF, &base, &planner, &settings, &options(5, 2))
        .await
        .unwrap();

    assert_ne!(first.summary.id, second.summary.id);
    for (a, b) in first.runs.iter().zip(&second.runs) {
        let (a, b) = (a.response.as_ref().unwrap(), b.response.as_ref().unwrap());
        assert_eq!(a.selector_spec, b.selector_spec);
        assert_eq!(a.outcome, b.outcome);
        assert_eq!(a.explanation, b.explanation);
    }
}

#[tokio::test]
async fn the_scenario_count_is_brought_into_one_to_five() {
    let base = base_request();
    let planner = BuiltinPlanner::new();
    let settings = RunSettings::default();
    for (asked, expected) in [(0, 1), (1, 1), (3, 3), (9, 5)] {
        let outcome = run_scenario_set(BRIEF, &base, &planner, &settings, &options(asked, 4))
            .await
            .unwrap();
        // Variants that would repeat another are dropped, each with a note.
        assert_eq!(
            outcome.runs.len()
                + outcome
                    .summary
                    .notes
                    .iter()
                    .filter(|n| n.contains(" dropped: it "))
                    .count(),
            expected,
            "asked for {asked}: {:?}",
            outcome.summary.notes
        );
        assert_eq!(outcome.runs[0].scenario_kind, Some(ScenarioKind::Base));
    }
}

#[tokio::test]
async fn a_failing_scenario_becomes_a_failed_run_with_a_readable_error() {
    // The base request breaks business validation: every scenario fails, the set completes.
    let mut base = base_request();
    let mut assets = base.assets.to_vec();
    assets[1].asset_id = assets[0].asset_id.clone();
    base.assets = assets.into();

    let outcome = run_scenario_set(
        BRIEF,
        &base,
        &BuiltinPlanner::new(),
        &RunSettings::default(),
        &options(3, 4),
    )
    .await
    .unwrap();

    assert_eq!(outcome.summary.run_ids.len(), 3);
    for run in &outcome.runs {
        assert_eq!(run.status, RunStatus::Failed);
        assert_eq!(run.response, None);
        assert_eq!(
            run.error.as_deref(),
            Some("Asset IDs must be unique; duplicates: ['P001']")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The OpenAI-compatible planner against a local chat-completions server
// ---------------------------------------------------------------------------------------------

fn planner(server: &ChatServer) -> OpenAiPlanner {
    let mut config = OpenAiConfig::new(server.base_url(), "test-model", None);
    config.call_timeout = Duration::from_secs(2);
    config.total_budget = Duration::from_secs(5);
    config.max_retries = 1;
    config.retry_base_delay = Duration::from_millis(10);
    OpenAiPlanner::new(config)
}

async fn run_with(
    server: &ChatServer,
    options: &ScenarioSetOptions,
) -> Result<ScenarioSetOutcome, PlannerError> {
    run_scenario_set(
        BRIEF,
        &base_request(),
        &planner(server),
        &RunSettings::default(),
        options,
    )
    .await
}

fn is_spec_of(call: &ChatCall, label: &str) -> bool {
    call.kind == CallKind::SelectorSpec && call.scenario_label() == Some(label)
}

#[tokio::test]
async fn a_scenario_whose_spec_stays_invalid_fails_alone() {
    let server = ChatServer::start(Duration::ZERO, |call| {
        if is_spec_of(call, "Aggressive") {
            Reply::Content("not json".to_owned())
        } else {
            cooperative(call, TARGET)
        }
    })
    .await;

    let outcome = run_with(&server, &options(3, 4)).await.unwrap();

    assert_eq!(
        labels(&outcome),
        ["Base Case", "Conservative", "Aggressive"]
    );
    let statuses: Vec<RunStatus> = outcome.runs.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            RunStatus::Completed,
            RunStatus::Completed,
            RunStatus::Failed
        ]
    );
    let failed = &outcome.runs[2];
    assert_eq!(failed.response, None);
    let error = failed.error.as_deref().unwrap();
    assert!(
        error.starts_with("LLM returned invalid output: selector spec:"),
        "{error}"
    );
    assert!(error.contains("not valid JSON"), "{error}");
    assert_eq!(failed.scenario_kind, Some(ScenarioKind::Aggressive));
    assert_eq!(
        failed.scenario_set_id.as_deref(),
        Some(outcome.summary.id.as_str())
    );
    assert_eq!(outcome.summary.run_ids.len(), 3);
    for run in &outcome.runs[..2] {
        let response = run.response.as_ref().unwrap();
        assert_eq!(response.explanation.summary, SUMMARY);
    }
    let aggressive_specs = server
        .exchanges()
        .iter()
        .filter(|e| is_spec_of(&e.call, "Aggressive"))
        .count();
    assert_eq!(aggressive_specs, 2, "one answer and one repair attempt");
}

#[tokio::test]
async fn server_errors_during_generation_fail_the_set() {
    let server = ChatServer::start(Duration::ZERO, |_| Reply::Error(500)).await;

    let error = run_with(&server, &options(3, 4)).await.unwrap_err();

    let PlannerError::Unavailable(message) = &error else {
        panic!("expected Unavailable, got {error:?}")
    };
    assert!(message.contains("500"), "{message}");
    assert_eq!(
        server.requests(),
        2,
        "the first attempt and max_retries = 1 retry"
    );
    assert_eq!(
        server.requests_of(CallKind::SelectorSpec),
        0,
        "no scenario ran"
    );
}

#[tokio::test]
async fn invalid_scenarios_twice_fail_the_set() {
    let not_json = ChatServer::start(Duration::ZERO, |_| {
        Reply::Content("{\"scenarios\": [".into())
    })
    .await;
    let error = run_with(&not_json, &options(3, 4)).await.unwrap_err();
    assert!(
        matches!(&error, PlannerError::InvalidOutput(m) if m.contains("not valid JSON")),
        "{error:?}"
    );
    assert_eq!(not_json.requests(), 2);

    // Well-formed, but the first scenario is not the base case (DECISIONS S4).
    let not_base_first = ChatServer::start(Duration::ZERO, |_| {
        Reply::json(serde_json::json!({"scenarios": [
            {"label": "Stretch", "kind": "aggressive", "rationale": "More.", "target_amount": 250e6,
             "max_leverage": null, "min_coverage": null},
            {"label": "Base Case", "kind": "base", "rationale": "As asked.", "target_amount": 200e6,
             "max_leverage": null, "min_coverage": null}
        ]}))
    })
    .await;
    let error = run_with(&not_base_first, &options(2, 4)).await.unwrap_err();
    assert!(
        matches!(&error, PlannerError::InvalidOutput(m) if m.contains("scenarios[0].kind")),
        "{error:?}"
    );
    assert_eq!(not_base_first.requests(), 2);
    assert_eq!(not_base_first.requests_of(CallKind::SelectorSpec), 0);
}

#[tokio::test]
async fn a_hung_generation_times_out_and_fails_the_set() {
    let server = ChatServer::start(Duration::ZERO, |_| Reply::Hang).await;
    let mut config = OpenAiConfig::new(server.base_url(), "test-model", None);
    config.call_timeout = Duration::from_millis(200);
    config.total_budget = Duration::from_millis(500);
    config.retry_base_delay = Duration::from_millis(10);

    let started = Instant::now();
    let error = run_scenario_set(
        BRIEF,
        &base_request(),
        &OpenAiPlanner::new(config),
        &RunSettings::default(),
        &options(3, 4),
    )
    .await
    .unwrap_err();

    assert!(
        matches!(&error, PlannerError::Unavailable(m) if m.contains("no answer from")),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests_of(CallKind::SelectorSpec), 0);
}

#[tokio::test]
async fn no_more_scenarios_run_at_once_than_the_bound() {
    for concurrency in [1, 2, 5] {
        let server =
            ChatServer::start(Duration::from_millis(30), |call| cooperative(call, TARGET)).await;

        let outcome = run_with(&server, &options(5, concurrency)).await.unwrap();

        assert!(
            outcome
                .runs
                .iter()
                .all(|r| r.status == RunStatus::Completed)
        );
        assert_eq!(
            server.max_in_flight(),
            concurrency.min(outcome.runs.len()),
            "concurrency {concurrency}"
        );
    }
}

#[tokio::test]
async fn a_slow_scenario_does_not_hold_back_the_ones_after_it() {
    // The base case's spec takes 600 ms, every other call 20 ms; with two slots, Aggressive
    // must start as soon as Conservative is done, not when the base case is.
    let server = ChatServer::start(Duration::from_millis(20), |call| {
        let reply = cooperative(call, TARGET);
        if is_spec_of(call, "Base Case") {
            Reply::Delayed(Duration::from_millis(600), Box::new(reply))
        } else {
            reply
        }
    })
    .await;
    let finished = Mutex::new(Vec::new());

    let outcome = run_scenario_set_with_progress(
        BRIEF,
        &base_request(),
        &planner(&server),
        &RunSettings::default(),
        &options(3, 2),
        &|total, run| {
            assert_eq!(total, 3);
            finished
                .lock()
                .unwrap()
                .push(run.scenario_label.clone().unwrap());
        },
    )
    .await
    .unwrap();

    assert_eq!(
        labels(&outcome),
        ["Base Case", "Conservative", "Aggressive"]
    );
    assert_eq!(
        *finished.lock().unwrap(),
        ["Conservative", "Aggressive", "Base Case"],
        "progress is reported in completion order"
    );
    let exchanges = server.exchanges();
    let first_spec_of = |label: &str| {
        exchanges
            .iter()
            .find(|e| is_spec_of(&e.call, label))
            .unwrap_or_else(|| panic!("no spec call for {label}"))
    };
    let base_answered = first_spec_of("Base Case").answered.unwrap();
    assert!(
        first_spec_of("Aggressive").arrived < base_answered,
        "Aggressive waited for the base case to finish"
    );
}
