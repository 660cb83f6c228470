//! `/api/scenario_sets` against a real server on loopback, on both stores (SPEC §11.5–11.6,
//! DECISIONS S1–S4, seed plan PR 3 and PR 8): response shapes, nullability, kind strings,
//! floors, limits, 404s — with the built-in planner, and with the OpenAI-compatible planner
//! pointed at a local chat-completions server for the LLM failures of sets and single runs.

use std::sync::Arc;
use std::time::Duration;

use agent::openai::{OpenAiConfig, OpenAiPlanner};
use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::chat_server::{CallKind, ChatCall, ChatServer, Reply, SUMMARY, cooperative};
use testkit::server::{Backend, TestServer, assert_error, keys};

const BRIEF: &str = "Raise $200M via SLB.";
const RUN_KEYS: [&str; 13] = [
    "created_at",
    "created_by",
    "error",
    "fund_id",
    "program_description",
    "request",
    "response",
    "run_id",
    "scenario_kind",
    "scenario_label",
    "scenario_rationale",
    "scenario_set_id",
    "status",
];

/// A server whose planner asks `llm` with short limits (one retry, 10 ms backoff).
async fn with_llm(backend: Backend, llm: &ChatServer) -> TestServer {
    TestServer::builder(backend)
        .planner(Arc::new(OpenAiPlanner::new(llm_config(llm))))
        .start()
        .await
}

async fn assert_nothing_stored(s: &TestServer) {
    let (_, sets) = s.get("/api/scenario_sets").await;
    assert_eq!(sets, json!([]));
    let (_, runs) = s.get("/api/runs").await;
    assert_eq!(runs, json!([]));
}

fn llm_config(llm: &ChatServer) -> OpenAiConfig {
    let mut config = OpenAiConfig::new(llm.base_url(), "test-model", None);
    config.call_timeout = Duration::from_secs(2);
    config.total_budget = Duration::from_secs(5);
    config.max_retries = 1;
    config.retry_base_delay = Duration::from_millis(10);
    config
}

fn base_request(description: &str) -> Value {
    let path = testkit::fixtures_dir().join("briefs/demo_portfolio.json");
    let portfolio: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    json!({
        "assets": portfolio["assets"],
        "corporate_state": portfolio["corporate_state"],
        "program_type": "slb",
        "program_description": description,
    })
}

fn set_request(num_scenarios: Option<u32>) -> Value {
    let mut body = json!({"brief": BRIEF, "base_request": base_request(BRIEF)});
    if let Some(n) = num_scenarios {
        body["num_scenarios"] = json!(n);
    }
    body
}

fn strings<'a>(items: &'a Value, field: &str) -> Vec<&'a str> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap())
        .collect()
}

fn error_fields(body: &Value) -> Vec<&str> {
    strings(&body["errors"], "field")
}

fn is_spec_of(call: &ChatCall, label: &str) -> bool {
    call.kind == CallKind::SelectorSpec && call.scenario_label() == Some(label)
}

// ---------------------------------------------------------------------------------------------
// The built-in planner
// ---------------------------------------------------------------------------------------------

async fn a_set_is_created_stored_and_fetched_whole(backend: Backend) {
    let s = TestServer::start(backend).await;
    let mut request = set_request(None);
    request["fund_id"] = json!("fund-9");

    let (status, created) = s.post("/api/scenario_sets", &request).await;

    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(keys(&created), ["runs", "scenario_set"]);
    let set = &created["scenario_set"];
    assert_eq!(keys(set), ["brief", "created_at", "id", "notes", "run_ids"]);
    assert_eq!(set["brief"], BRIEF);
    let set_id = set["id"].as_str().unwrap();
    assert_eq!(set_id.len(), 36);
    let runs = &created["runs"];
    assert_eq!(
        runs.as_array().unwrap().len(),
        3,
        "num_scenarios defaults to 3"
    );
    assert_eq!(
        set["run_ids"],
        json!(strings(runs, "run_id")),
        "run_ids in scenario order"
    );
    assert_eq!(
        strings(runs, "scenario_kind"),
        ["base", "risk_off", "aggressive"]
    );
    assert_eq!(
        strings(runs, "scenario_label"),
        ["Base Case", "Conservative", "Aggressive"]
    );

    for (run, target) in runs.as_array().unwrap().iter().zip([200e6, 160e6, 250e6]) {
        let label = run["scenario_label"].as_str().unwrap();
        assert_eq!(keys(run), RUN_KEYS, "a full run object");
        assert!(
            run["scenario_rationale"]
                .as_str()
                .is_some_and(|r| !r.is_empty() && r.chars().count() <= 200),
            "{label} carries its rationale"
        );
        assert_eq!(run["status"], "completed", "{label}");
        assert_eq!(run["error"], Value::Null);
        assert_eq!(run["scenario_set_id"], set_id);
        assert_eq!(run["fund_id"], "fund-9");
        assert_eq!(run["program_description"], format!("{BRIEF} [{label}]"));
        let trace = &run["response"]["audit_trace"];
        assert_eq!(trace["target_source"], "user_override", "{label}");
        assert_eq!(trace["original_target"], target, "{label}");
        let fraction = trace["floor_fraction"].as_f64().unwrap();
        let expected = if label == "Base Case" { 1.0 } else { 0.9 };
        assert!((fraction - expected).abs() < 1e-12, "{label}: {fraction}");
    }
    assert_eq!(
        created["runs"][0]["response"]["selector_spec"]["target_amount"], 200e6,
        "the base target is never cut"
    );

    let (status, fetched) = s.get(&format!("/api/scenario_sets/{set_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        fetched, created,
        "the stored set reads back as it was created"
    );

    // The runs are ordinary runs too, with their scenario fields (plan PR 3).
    let (_, single) = s.post("/api/runs", &base_request("Raise $100M")).await;
    let (_, listed) = s.get("/api/runs?limit=100").await;
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 4);
    let single_item = listed
        .iter()
        .find(|r| r["run_id"] == single["run_id"])
        .unwrap();
    for field in ["scenario_set_id", "scenario_kind", "scenario_label"] {
        assert_eq!(single_item[field], Value::Null, "{field} of a single run");
    }
    for run in runs.as_array().unwrap() {
        let item = listed
            .iter()
            .find(|r| r["run_id"] == run["run_id"])
            .unwrap();
        for field in [
            "scenario_set_id",
            "scenario_kind",
            "scenario_label",
            "fund_id",
        ] {
            assert_eq!(item[field], run[field], "{field}");
        }
    }
    let (_, one) = s
        .get(&format!(
            "/api/runs/{}",
            runs[1]["run_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(one, runs[1]);
    let (_, of_fund) = s.get("/api/runs?fund_id=fund-9").await;
    assert_eq!(of_fund.as_array().unwrap().len(), 3);
}

async fn one_and_five_scenarios_work(backend: Backend) {
    let s = TestServer::start(backend).await;

    let (status, one) = s.post("/api/scenario_sets", &set_request(Some(1))).await;
    assert_eq!(status, StatusCode::CREATED, "{one}");
    assert_eq!(strings(&one["runs"], "scenario_kind"), ["base"]);
    assert_eq!(one["runs"][0]["fund_id"], Value::Null);

    let (status, five) = s.post("/api/scenario_sets", &set_request(Some(5))).await;
    assert_eq!(status, StatusCode::CREATED, "{five}");
    // The geographic focus would repeat the base case's spec: dropped, with a note.
    assert_eq!(
        strings(&five["runs"], "scenario_kind"),
        ["base", "risk_off", "aggressive", "custom"]
    );
    assert_eq!(five["scenario_set"]["run_ids"].as_array().unwrap().len(), 4);
    let notes = five["scenario_set"]["notes"].as_array().unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().starts_with("Geographic Focus dropped")),
        "{notes:?}"
    );
    let (_, stored) = s
        .get(&format!(
            "/api/scenario_sets/{}",
            five["scenario_set"]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(
        stored["scenario_set"]["notes"],
        five["scenario_set"]["notes"]
    );
}

async fn bad_bodies_are_422_with_field_paths(backend: Backend) {
    let s = TestServer::start(backend).await;
    for n in [0, 6] {
        let (status, body) = s.post("/api/scenario_sets", &set_request(Some(n))).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "num_scenarios {n}"
        );
        assert_error(&body, "INVALID_REQUEST");
        assert_eq!(error_fields(&body), ["num_scenarios"]);
    }

    let mut request = set_request(None);
    request["base_request"]["assets"][0]["noi"] = json!(-1.0);
    request["base_request"]["max_leverage_override"] = json!(12.0);
    let (status, body) = s.post("/api/scenario_sets", &request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&body, "INVALID_REQUEST");
    assert_eq!(
        error_fields(&body),
        [
            "base_request.assets[0].noi",
            "base_request.max_leverage_override"
        ]
    );

    let mut blank = set_request(None);
    blank["brief"] = json!("  ");
    let (status, body) = s.post("/api/scenario_sets", &blank).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&body), ["brief"]);

    let (status, body) = s.post("/api/scenario_sets", &json!({"brief": BRIEF})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["detail"].as_str().unwrap().contains("base_request"),
        "{body}"
    );

    assert_nothing_stored(&s).await;
}

async fn sets_are_listed_newest_first_within_limits(backend: Backend) {
    let s = TestServer::start(backend).await;
    let mut ids = Vec::new();
    for brief in ["Raise $100M.", "Raise $150M.", "Raise $200M."] {
        let mut request = set_request(Some(1));
        request["brief"] = json!(brief);
        let (_, created) = s.post("/api/scenario_sets", &request).await;
        ids.push(created["scenario_set"]["id"].as_str().unwrap().to_owned());
    }

    let (status, listed) = s.get("/api/scenario_sets").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(strings(&listed, "id"), [&ids[2], &ids[1], &ids[0]]);
    assert_eq!(
        strings(&listed, "brief"),
        ["Raise $200M.", "Raise $150M.", "Raise $100M."]
    );
    assert_eq!(
        keys(&listed[0]),
        ["brief", "created_at", "id", "notes", "run_ids"]
    );

    let (_, limited) = s.get("/api/scenario_sets?limit=2").await;
    assert_eq!(strings(&limited, "id"), [&ids[2], &ids[1]]);
    let (status, _) = s.get("/api/scenario_sets?limit=100").await;
    assert_eq!(status, StatusCode::OK);
    for bad in ["0", "101", "ten"] {
        let (status, body) = s.get(&format!("/api/scenario_sets?limit={bad}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "limit={bad}");
        assert_eq!(error_fields(&body), ["limit"]);
    }
}

async fn unknown_sets_are_404(backend: Backend) {
    let s = TestServer::start(backend).await;
    for id in ["nope", "6f1c1a52-3d4e-4b8a-9f0e-2a5d7c9e1b30"] {
        let (status, body) = s.get(&format!("/api/scenario_sets/{id}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_error(&body, "NOT_FOUND");
    }
}

// ---------------------------------------------------------------------------------------------
// The OpenAI-compatible planner against a local chat-completions server
// ---------------------------------------------------------------------------------------------

async fn generation_failures_are_503_and_store_nothing(backend: Backend) {
    let down = ChatServer::start(Duration::ZERO, |_| Reply::Error(500)).await;
    let s = with_llm(backend, &down).await;
    let (status, body) = s.post("/api/scenario_sets", &set_request(None)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_error(&body, "LLM_UNAVAILABLE");
    assert_nothing_stored(&s).await;

    let garbled = ChatServer::start(Duration::ZERO, |_| {
        Reply::Content("{\"scenarios\": 3}".into())
    })
    .await;
    let s = with_llm(backend, &garbled).await;
    let (status, body) = s.post("/api/scenario_sets", &set_request(None)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_error(&body, "LLM_INVALID_OUTPUT");
    assert_eq!(garbled.requests(), 2, "one answer and one repair attempt");
    assert_nothing_stored(&s).await;
}

async fn a_hung_llm_is_503_within_the_time_limits(backend: Backend) {
    let hung = ChatServer::start(Duration::ZERO, |_| Reply::Hang).await;
    let mut config = llm_config(&hung);
    config.call_timeout = Duration::from_millis(150);
    config.total_budget = Duration::from_millis(400);
    let s = TestServer::builder(backend)
        .planner(Arc::new(OpenAiPlanner::new(config)))
        .start()
        .await;

    let started = std::time::Instant::now();
    let (status, body) = s.post("/api/scenario_sets", &set_request(None)).await;

    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_error(&body, "LLM_UNAVAILABLE");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_nothing_stored(&s).await;
}

async fn a_single_run_with_a_failing_llm_is_503_and_not_stored(backend: Backend) {
    let down = ChatServer::start(Duration::ZERO, |_| Reply::Error(503)).await;
    let s = with_llm(backend, &down).await;
    let (status, body) = s.post("/api/runs", &base_request(BRIEF)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_error(&body, "LLM_UNAVAILABLE");
    assert_nothing_stored(&s).await;

    let garbled = ChatServer::start(Duration::ZERO, |_| Reply::Content("not json".into())).await;
    let s = with_llm(backend, &garbled).await;
    let (status, body) = s.post("/api/runs?fund_id=f", &base_request(BRIEF)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_error(&body, "LLM_INVALID_OUTPUT");
    assert_nothing_stored(&s).await;
}

async fn a_failing_scenario_is_stored_as_a_failed_run(backend: Backend) {
    let llm = ChatServer::start(Duration::ZERO, |call| {
        if is_spec_of(call, "Conservative") {
            Reply::Content("not json".to_owned())
        } else {
            cooperative(call, 200e6)
        }
    })
    .await;
    let s = with_llm(backend, &llm).await;

    let (status, created) = s.post("/api/scenario_sets", &set_request(None)).await;

    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        strings(&created["runs"], "status"),
        ["completed", "failed", "completed"]
    );
    let failed = &created["runs"][1];
    assert_eq!(keys(failed), RUN_KEYS);
    assert_eq!(failed["response"], Value::Null);
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .starts_with("LLM returned invalid output: selector spec:"),
        "{failed}"
    );
    let id = created["scenario_set"]["id"].as_str().unwrap();
    let (_, fetched) = s.get(&format!("/api/scenario_sets/{id}")).await;
    assert_eq!(fetched, created);
}

async fn a_slow_llm_still_completes_a_set(backend: Backend) {
    let slow = ChatServer::start(Duration::from_millis(150), |call| cooperative(call, 200e6)).await;
    let s = with_llm(backend, &slow).await;

    let (status, created) = s.post("/api/scenario_sets", &set_request(None)).await;

    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(strings(&created["runs"], "status"), ["completed"; 3]);
    for run in created["runs"].as_array().unwrap() {
        assert_eq!(run["response"]["explanation"]["summary"], SUMMARY);
    }
    assert_eq!(slow.requests_of(CallKind::Scenarios), 1);
    assert_eq!(slow.requests_of(CallKind::SelectorSpec), 3);
    let (_, listed) = s.get("/api/scenario_sets").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

macro_rules! on_both_stores {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(super::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $test() {
                    super::$test(super::Backend::Postgres).await
                }
            )*
        }
    };
}

on_both_stores!(
    a_set_is_created_stored_and_fetched_whole,
    one_and_five_scenarios_work,
    bad_bodies_are_422_with_field_paths,
    sets_are_listed_newest_first_within_limits,
    unknown_sets_are_404,
    generation_failures_are_503_and_store_nothing,
    a_hung_llm_is_503_within_the_time_limits,
    a_single_run_with_a_failing_llm_is_503_and_not_stored,
    a_failing_scenario_is_stored_as_a_failed_run,
    a_slow_llm_still_completes_a_set,
);

#[tokio::test]
async fn the_openapi_document_describes_scenario_sets() {
    let s = TestServer::start(Backend::Sqlite).await;
    let (_, doc) = s.get("/api/openapi.json").await;
    let sets = &doc["paths"]["/api/scenario_sets"];
    assert!(sets["post"]["responses"]["201"].is_object(), "{sets}");
    assert!(sets["post"]["responses"]["503"].is_object(), "{sets}");
    assert!(sets["get"]["responses"]["200"].is_object(), "{sets}");
    let one = &doc["paths"]["/api/scenario_sets/{id}"]["get"];
    assert!(one["responses"]["404"].is_object(), "{one}");
    let schemas = &doc["components"]["schemas"];
    for name in ["ScenarioSetRequest", "ScenarioSetSummary", "RunRecord"] {
        assert!(schemas[name].is_object(), "missing schema {name}");
    }
    let kinds = &schemas["ScenarioKind"]["enum"];
    assert_eq!(
        *kinds,
        json!(["base", "risk_off", "aggressive", "geo_focus", "custom"]),
        "{schemas}"
    );
}
