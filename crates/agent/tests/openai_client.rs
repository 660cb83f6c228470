//! The OpenAI-compatible planner against a local chat-completions server with scripted answers:
//! request shape, structured-output schema, the repair round-trip, retries, time limits, error
//! classes (DECISIONS F3, S4) and that the API key never leaks.

use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use agent::openai::{ApiKey, OpenAiConfig, OpenAiPlanner};
use agent::{AssetLabel, Planner, PlannerError, PortfolioContext};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use engine::model::{
    AssetType, ConstraintViolation, ExplanationNode, NodeCategory, Objective, ProgramOutcome,
    ProgramType, ScenarioKind, SelectionStatus, SelectorSpec, Severity,
};
use serde_json::{Value, json};

const KEY: &str = "sk-test-SECRET123";
const MODEL: &str = "test-model";

// ---------------------------------------------------------------------------------------------
// The scripted server
// ---------------------------------------------------------------------------------------------

/// What the server does with the next request.
enum Reply {
    Answer {
        status: u16,
        body: Value,
        retry_after: Option<u64>,
    },
    /// Never answers.
    Hang,
}

/// A request as the server saw it.
struct Seen {
    path: String,
    authorization: Option<String>,
    body: Value,
}

#[derive(Default)]
struct Script {
    replies: Mutex<VecDeque<Reply>>,
    seen: Mutex<Vec<Seen>>,
}

impl Script {
    fn requests(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    fn body(&self, index: usize) -> Value {
        self.seen.lock().unwrap()[index].body.clone()
    }
}

async fn chat_completions(
    State(script): State<Arc<Script>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    script.seen.lock().unwrap().push(Seen {
        path: uri.path().to_owned(),
        authorization: headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned()),
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    });
    let reply = script.replies.lock().unwrap().pop_front();
    match reply {
        Some(Reply::Answer {
            status,
            body,
            retry_after,
        }) => {
            let mut response =
                (StatusCode::from_u16(status).unwrap(), axum::Json(body)).into_response();
            if let Some(seconds) = retry_after {
                response.headers_mut().insert("retry-after", seconds.into());
            }
            response
        }
        Some(Reply::Hang) => std::future::pending().await,
        None => (StatusCode::INTERNAL_SERVER_ERROR, "script exhausted").into_response(),
    }
}

/// Starts a server on a free port; returns its script and the base URL to configure.
async fn serve(replies: Vec<Reply>) -> (Arc<Script>, String) {
    let script = Arc::new(Script {
        replies: Mutex::new(replies.into()),
        ..Script::default()
    });
    let app = Router::new()
        .route("/v1/chat/completions", post(chat_completions))
        .with_state(script.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (script, format!("http://{address}/v1"))
}

fn content(text: &str) -> Reply {
    Reply::Answer {
        status: 200,
        body: json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": MODEL,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]
        }),
        retry_after: None,
    }
}

fn json_answer(value: Value) -> Reply {
    content(&value.to_string())
}

fn failure(status: u16, message: &str) -> Reply {
    Reply::Answer {
        status,
        body: json!({"error": {"message": message, "type": "test"}}),
        retry_after: None,
    }
}

fn config(base_url: &str) -> OpenAiConfig {
    let mut config = OpenAiConfig::new(base_url, MODEL, Some(ApiKey::new(KEY)));
    config.call_timeout = Duration::from_secs(2);
    config.total_budget = Duration::from_secs(5);
    config.retry_base_delay = Duration::from_millis(10);
    config
}

async fn planner_for(replies: Vec<Reply>) -> (Arc<Script>, OpenAiPlanner) {
    let (script, base_url) = serve(replies).await;
    (script, OpenAiPlanner::new(config(&base_url)))
}

// ---------------------------------------------------------------------------------------------
// Inputs and answers
// ---------------------------------------------------------------------------------------------

fn portfolio() -> PortfolioContext {
    PortfolioContext {
        summary: "4 assets across 3 markets. Types: 3 store, 1 office.".to_owned(),
        markets: vec![
            "Dallas, TX".to_owned(),
            "Austin, TX".to_owned(),
            "Miami, FL".to_owned(),
        ],
        asset_types: vec![AssetType::Store, AssetType::Office],
        asset_count: 4,
        total_noi: 26_000_000.0,
        total_book_value: 300_000_000.0,
        assets: Vec::new(),
    }
}

const BRIEF: &str = "Raise $120M, keep leverage below 3.5x, nothing in Texas.";

/// A complete, valid spec as a strict-mode model would write it (every field present): the
/// test kit's spec with this leverage cap, null credit leverage limits (CREDIT.md §1.3) and
/// the brief's Texas markets excluded.
fn spec_json(target: f64, max_net_leverage: f64) -> Value {
    let mut spec = testkit::chat_server::spec_json(target);
    spec["hard_constraints"]["max_net_leverage"] = json!(max_net_leverage);
    spec["hard_constraints"]["max_lease_adjusted_leverage"] = Value::Null;
    spec["hard_constraints"]["max_covenant_leverage"] = Value::Null;
    spec["asset_filters"]["exclude_markets"] = json!(["Dallas, TX", "Austin, TX"]);
    spec
}

fn scenario(label: &str, kind: &str, target: f64) -> Value {
    json!({"label": label, "kind": kind, "rationale": format!("{label} variant of the brief."),
           "target_amount": target, "max_leverage": null, "min_coverage": null})
}

fn scenarios_json(items: &[(&str, &str, f64)]) -> Value {
    json!({ "scenarios": items.iter().map(|(l, k, t)| scenario(l, k, *t)).collect::<Vec<_>>() })
}

fn roles(body: &Value) -> Vec<String> {
    body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["role"].as_str().unwrap().to_owned())
        .collect()
}

fn message(body: &Value, index: usize) -> String {
    body["messages"][index]["content"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Every object schema below `schema` must forbid extra properties and require all of its own.
fn assert_strict(schema: &Value, path: &str) {
    let Value::Object(node) = schema else { return };
    if let Some(Value::Object(properties)) = node.get("properties") {
        assert_eq!(
            node.get("additionalProperties"),
            Some(&json!(false)),
            "{path}: additionalProperties"
        );
        let required: Vec<&str> = node["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for name in properties.keys() {
            assert!(
                required.contains(&name.as_str()),
                "{path}.{name} is not required"
            );
        }
        for (name, property) in properties {
            assert_strict(property, &format!("{path}.{name}"));
        }
    }
    if let Some(items) = node.get("items") {
        assert_strict(items, &format!("{path}[]"));
    }
    for keyword in ["format", "minimum", "maximum", "default", "$ref"] {
        assert!(!node.contains_key(keyword), "{path} has {keyword}");
    }
}

// ---------------------------------------------------------------------------------------------
// Selector specs
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_request_asks_for_a_strict_schema_with_the_configured_model_and_key() {
    let (script, planner) = planner_for(vec![json_answer(spec_json(120e6, 3.5))]).await;

    let spec = planner
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap();

    let mut expected = SelectorSpec::new(Objective::Balanced, 120e6);
    expected.hard_constraints.max_net_leverage = Some(3.5);
    expected.hard_constraints.min_fixed_charge_coverage = Some(3.0);
    expected.asset_filters.exclude_markets =
        Some(vec!["Dallas, TX".to_owned(), "Austin, TX".to_owned()]);
    assert_eq!(spec, expected);

    assert_eq!(script.requests(), 1);
    let seen = &script.seen.lock().unwrap()[0];
    assert_eq!(seen.path, "/v1/chat/completions");
    assert_eq!(
        seen.authorization.as_deref(),
        Some("Bearer sk-test-SECRET123")
    );
    let body = &seen.body;
    assert_eq!(body["model"], json!(MODEL));
    assert_eq!(body["temperature"], json!(0.2));
    assert_eq!(body["max_completion_tokens"], json!(2000));
    assert_eq!(roles(body), ["system", "user"]);
    assert!(message(body, 1).contains(BRIEF));
    assert!(message(body, 1).contains(r#"["Dallas, TX","Austin, TX","Miami, FL"]"#));
    // 17.5% × (26,000,000 / 0.065) = 70,000,000, handed to the model rather than left to it.
    assert!(
        message(body, 0).contains("70000000"),
        "{}",
        message(body, 0)
    );

    let format = &body["response_format"];
    assert_eq!(format["type"], json!("json_schema"));
    assert_eq!(format["json_schema"]["strict"], json!(true));
    assert_eq!(format["json_schema"]["name"], json!("selector_spec"));
    let schema = &format["json_schema"]["schema"];
    assert_eq!(schema["type"], json!("object"));
    assert!(schema["properties"]["hard_constraints"]["properties"]["max_net_leverage"].is_object());
    assert_strict(schema, "$");
}

#[tokio::test]
async fn a_keyless_local_server_gets_no_authorization_header() {
    let (script, base_url) = serve(vec![json_answer(spec_json(120e6, 3.5))]).await;
    let mut config = config(&base_url);
    config.api_key = None;
    OpenAiPlanner::new(config)
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap();
    assert_eq!(script.seen.lock().unwrap()[0].authorization, None);
}

#[tokio::test]
async fn malformed_json_gets_one_repair_turn_with_the_error() {
    let (script, planner) = planner_for(vec![
        content("{\"program_type\": \"slb\", "),
        json_answer(spec_json(120e6, 3.5)),
    ])
    .await;

    let spec = planner
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap();

    assert_eq!(spec.target_amount, 120e6);
    assert_eq!(script.requests(), 2);
    let second = script.body(1);
    assert_eq!(roles(&second), ["system", "user", "assistant", "user"]);
    assert_eq!(message(&second, 2), "{\"program_type\": \"slb\", ");
    assert!(
        message(&second, 3).contains("the answer is not valid JSON"),
        "{}",
        message(&second, 3)
    );
    assert_eq!(second["response_format"], script.body(0)["response_format"]);
}

#[tokio::test]
async fn malformed_twice_is_invalid_output() {
    let (script, planner) = planner_for(vec![content("not json"), content("still not json")]).await;

    let error = planner
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap_err();

    let PlannerError::InvalidOutput(message) = &error else {
        panic!("expected InvalidOutput, got {error:?}")
    };
    assert!(message.contains("not valid JSON"), "{message}");
    assert_eq!(script.requests(), 2);
}

#[tokio::test]
async fn out_of_range_values_are_sent_back_for_repair() {
    let (script, planner) = planner_for(vec![
        json_answer(spec_json(-5.0, 50.0)),
        json_answer(spec_json(120e6, 3.5)),
    ])
    .await;

    let spec = planner
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap();

    assert_eq!(spec.hard_constraints.max_net_leverage, Some(3.5));
    let repair = message(&script.body(1), 3);
    assert!(repair.contains("- target_amount: must be > 0"), "{repair}");
    assert!(
        repair.contains("- hard_constraints.max_net_leverage: must be in (0, 10)"),
        "{repair}"
    );
}

const CREDIT_BRIEF: &str = "Raise $120M, keep leverage below 3.5x and lease-adjusted leverage \
                            under 5x, covenant leverage (after rent) at most 3.8x, nothing in Texas.";

#[tokio::test]
async fn credit_leverage_limits_are_asked_for_and_read_back() {
    let mut answer = spec_json(120e6, 3.5);
    answer["hard_constraints"]["max_lease_adjusted_leverage"] = json!(5.0);
    answer["hard_constraints"]["max_covenant_leverage"] = json!(3.8);
    let (script, planner) = planner_for(vec![json_answer(answer)]).await;

    let spec = planner
        .generate_selector_spec(ProgramType::Slb, CREDIT_BRIEF, &portfolio())
        .await
        .unwrap();

    let hard = &spec.hard_constraints;
    assert_eq!(hard.max_net_leverage, Some(3.5));
    assert_eq!(hard.max_lease_adjusted_leverage, Some(5.0));
    assert_eq!(hard.max_covenant_leverage, Some(3.8));
    // The spec goes on to the engine and the store with both limits on the wire.
    let wire = serde_json::to_value(&spec).unwrap();
    assert_eq!(
        wire["hard_constraints"]["max_lease_adjusted_leverage"],
        json!(5.0)
    );
    assert_eq!(
        wire["hard_constraints"]["max_covenant_leverage"],
        json!(3.8)
    );
    assert_eq!(serde_json::from_value::<SelectorSpec>(wire).unwrap(), spec);

    // Strict schema: both limits are required properties that admit null.
    let body = script.body(0);
    let schema = &body["response_format"]["json_schema"]["schema"];
    let hard_schema = &schema["properties"]["hard_constraints"];
    for name in ["max_lease_adjusted_leverage", "max_covenant_leverage"] {
        assert_eq!(
            hard_schema["properties"][name]["type"],
            json!(["number", "null"]),
            "{name}"
        );
        assert!(
            hard_schema["required"]
                .as_array()
                .unwrap()
                .contains(&json!(name)),
            "{name} is not required"
        );
    }
    assert_eq!(hard_schema["additionalProperties"], json!(false));
    assert_strict(schema, "$");
    // The prompt says when to set them.
    let system = message(&body, 0);
    assert!(system.contains("hard_constraints.max_lease_adjusted_leverage = the stated number"));
    assert!(system.contains("hard_constraints.max_covenant_leverage = the stated number"));
}

#[tokio::test]
async fn null_credit_leverage_limits_stay_unset() {
    let (_, planner) = planner_for(vec![json_answer(spec_json(120e6, 3.5))]).await;
    let spec = planner
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap();
    assert_eq!(spec.hard_constraints.max_lease_adjusted_leverage, None);
    assert_eq!(spec.hard_constraints.max_covenant_leverage, None);
    let wire = serde_json::to_value(&spec).unwrap();
    assert!(
        !wire["hard_constraints"]
            .as_object()
            .unwrap()
            .contains_key("max_lease_adjusted_leverage")
    );
}

#[tokio::test]
async fn out_of_range_credit_leverage_limits_are_sent_back_for_repair() {
    let mut wrong = spec_json(120e6, 3.5);
    wrong["hard_constraints"]["max_lease_adjusted_leverage"] = json!(25.0);
    wrong["hard_constraints"]["max_covenant_leverage"] = json!(0.0);
    let mut right = spec_json(120e6, 3.5);
    right["hard_constraints"]["max_lease_adjusted_leverage"] = json!(5.0);
    right["hard_constraints"]["max_covenant_leverage"] = json!(3.8);
    let (script, planner) = planner_for(vec![json_answer(wrong), json_answer(right)]).await;

    let spec = planner
        .generate_selector_spec(ProgramType::Slb, CREDIT_BRIEF, &portfolio())
        .await
        .unwrap();

    assert_eq!(spec.hard_constraints.max_lease_adjusted_leverage, Some(5.0));
    assert_eq!(spec.hard_constraints.max_covenant_leverage, Some(3.8));
    let repair = message(&script.body(1), 3);
    assert!(
        repair.contains("- hard_constraints.max_lease_adjusted_leverage: must be in (0, 20)"),
        "{repair}"
    );
    assert!(
        repair.contains("- hard_constraints.max_covenant_leverage: must be in (0, 20)"),
        "{repair}"
    );
}

#[tokio::test]
async fn a_revision_keeps_the_credit_leverage_limits_in_view() {
    let mut previous_json = spec_json(120e6, 3.5);
    previous_json["hard_constraints"]["max_lease_adjusted_leverage"] = json!(5.0);
    let previous: SelectorSpec = serde_json::from_value(previous_json.clone()).unwrap();
    let mut answer = previous_json;
    answer["target_amount"] = json!(110e6);
    let (script, planner) = planner_for(vec![json_answer(answer)]).await;
    let outcome = ProgramOutcome {
        status: SelectionStatus::Infeasible,
        selected_assets: Default::default(),
        proceeds: 120e6,
        leverage_before: Some(3.9),
        interest_coverage_before: Some(5.0),
        fixed_charge_coverage_before: Some(3.2),
        leverage_after: Some(3.4),
        interest_coverage_after: Some(6.0),
        fixed_charge_coverage_after: Some(3.1),
        critical_fraction: 0.0,
        violations: vec![ConstraintViolation {
            code: engine::model::ViolationCode::MaxLeaseAdjustedLeverage,
            detail: "Post-SLB lease-adjusted leverage 5.20x exceeds limit 5.00x".to_owned(),
            actual: 5.2,
            limit: 5.0,
        }],
        warnings: Vec::new(),
    };

    let revised = planner
        .revise_selector_spec(CREDIT_BRIEF, &previous, &outcome)
        .await
        .unwrap();

    assert_eq!(
        revised.hard_constraints.max_lease_adjusted_leverage,
        Some(5.0)
    );
    let body = script.body(0);
    let user = message(&body, 1);
    assert!(
        user.contains("\"max_lease_adjusted_leverage\": 5.0"),
        "{user}"
    );
    assert!(user.contains(
        "- MAX_LEASE_ADJUSTED_LEVERAGE: Post-SLB lease-adjusted leverage 5.20x exceeds limit 5.00x (actual: 5.20, limit: 5.00)"
    ));
    assert!(message(&body, 0).contains("MAX_LEASE_ADJUSTED_LEVERAGE, MAX_COVENANT_LEVERAGE"));
}

#[tokio::test]
async fn markets_outside_the_portfolio_are_sent_back_for_repair() {
    let mut wrong = spec_json(120e6, 3.5);
    wrong["asset_filters"]["exclude_markets"] = json!(["Texas"]);
    let (script, planner) =
        planner_for(vec![json_answer(wrong), json_answer(spec_json(120e6, 3.5))]).await;

    planner
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap();

    assert!(message(&script.body(1), 3).contains("\"Texas\" is not a market of this portfolio"));
}

// ---------------------------------------------------------------------------------------------
// Single assets and the count of assets sold
// ---------------------------------------------------------------------------------------------

const ASSET_BRIEF: &str =
    "Raise $120M from at most 3 properties; do not sell the Dallas Flagship (D1), only S1-S3.";

/// The test portfolio with named assets.
fn portfolio_with_assets() -> PortfolioContext {
    let asset = |id: &str, name: &str, market: &str| AssetLabel {
        asset_id: id.to_owned(),
        name: Some(name.to_owned()),
        asset_type: AssetType::Store,
        market: market.to_owned(),
        country: None,
    };
    PortfolioContext {
        assets: vec![
            asset("D1", "Dallas Flagship", "Dallas, TX"),
            asset("S1", "Austin Store", "Austin, TX"),
            asset("S2", "Miami Store", "Miami, FL"),
            asset("S3", "Miami Outlet", "Miami, FL"),
        ],
        ..portfolio()
    }
}

fn asset_spec_json(excluded: &[&str], included: &[&str], cap: Value) -> Value {
    let mut spec = spec_json(120e6, 3.5);
    spec["hard_constraints"]["max_assets_sold"] = cap;
    spec["asset_filters"]["exclude_markets"] = Value::Null;
    spec["asset_filters"]["exclude_asset_ids"] = json!(excluded);
    spec["asset_filters"]["include_asset_ids"] = json!(included);
    spec
}

#[tokio::test]
async fn single_assets_and_the_count_are_asked_for_and_read_back() {
    let answer = asset_spec_json(&["D1"], &["S1", "S2", "S3"], json!(3));
    let (script, planner) = planner_for(vec![json_answer(answer)]).await;

    let spec = planner
        .generate_selector_spec(ProgramType::Slb, ASSET_BRIEF, &portfolio_with_assets())
        .await
        .unwrap();

    assert_eq!(spec.hard_constraints.max_assets_sold, Some(3));
    assert_eq!(
        spec.asset_filters.exclude_asset_ids,
        Some(vec!["D1".to_owned()])
    );
    assert_eq!(
        spec.asset_filters.include_asset_ids,
        Some(vec!["S1".to_owned(), "S2".to_owned(), "S3".to_owned()])
    );
    let wire = serde_json::to_value(&spec).unwrap();
    assert_eq!(serde_json::from_value::<SelectorSpec>(wire).unwrap(), spec);

    // Strict schema: the new fields are required and nullable.
    let body = script.body(0);
    let schema = &body["response_format"]["json_schema"]["schema"];
    let hard = &schema["properties"]["hard_constraints"];
    assert_eq!(
        hard["properties"]["max_assets_sold"]["type"],
        json!(["integer", "null"])
    );
    assert!(
        hard["required"]
            .as_array()
            .unwrap()
            .contains(&json!("max_assets_sold"))
    );
    let filters = &schema["properties"]["asset_filters"];
    for name in ["exclude_asset_ids", "include_asset_ids"] {
        assert_eq!(
            filters["properties"][name]["type"],
            json!(["array", "null"]),
            "{name}"
        );
        assert_eq!(
            filters["properties"][name]["items"]["type"],
            json!("string"),
            "{name}"
        );
        assert!(
            filters["required"]
                .as_array()
                .unwrap()
                .contains(&json!(name)),
            "{name} is not required"
        );
    }
    assert_strict(schema, "$");
    // The prompt says when to set them and lists the assets by id.
    let system = message(&body, 0);
    assert!(system.contains("asset_filters.exclude_asset_ids = the asset_id of each asset named"));
    assert!(system.contains("asset_filters.include_asset_ids = the asset_ids of the assets named"));
    assert!(system.contains("hard_constraints.max_assets_sold = that whole number (at least 1)"));
    let user = message(&body, 1);
    assert!(
        user.contains("- D1 | Dallas Flagship | store | Dallas, TX"),
        "{user}"
    );
    assert!(user.contains("- S3 | Miami Outlet | store | Miami, FL"));
}

#[tokio::test]
async fn asset_ids_outside_the_portfolio_are_sent_back_for_repair() {
    let wrong = asset_spec_json(&["Dallas Flagship"], &["S1", "S9"], json!(3));
    let right = asset_spec_json(&["D1"], &["S1"], json!(3));
    let (script, planner) = planner_for(vec![json_answer(wrong), json_answer(right)]).await;

    let spec = planner
        .generate_selector_spec(ProgramType::Slb, ASSET_BRIEF, &portfolio_with_assets())
        .await
        .unwrap();

    assert_eq!(
        spec.asset_filters.exclude_asset_ids,
        Some(vec!["D1".to_owned()])
    );
    let repair = message(&script.body(1), 3);
    assert!(
        repair.contains(
            "asset_filters.exclude_asset_ids: \"Dallas Flagship\" is not an asset_id of this portfolio"
        ),
        "{repair}"
    );
    assert!(repair.contains("asset_filters.include_asset_ids: \"S9\" is not an asset_id"));
    assert!(!repair.contains("\"S1\""));
}

#[tokio::test]
async fn a_count_below_one_is_sent_back_for_repair() {
    let (script, planner) = planner_for(vec![
        json_answer(asset_spec_json(&[], &[], json!(0))),
        json_answer(asset_spec_json(&[], &[], json!(3))),
    ])
    .await;
    let spec = planner
        .generate_selector_spec(ProgramType::Slb, ASSET_BRIEF, &portfolio_with_assets())
        .await
        .unwrap();
    assert_eq!(spec.hard_constraints.max_assets_sold, Some(3));
    assert!(message(&script.body(1), 3).contains("hard_constraints.max_assets_sold: must be >= 1"));
}

#[tokio::test]
async fn revision_sends_the_previous_spec_and_outcome() {
    let (script, planner) = planner_for(vec![json_answer(spec_json(100e6, 3.5))]).await;
    let previous: SelectorSpec = serde_json::from_value(spec_json(120e6, 3.5)).unwrap();
    let outcome = ProgramOutcome {
        status: SelectionStatus::Infeasible,
        selected_assets: Default::default(),
        proceeds: 95_500_000.0,
        leverage_before: Some(3.9),
        interest_coverage_before: Some(5.0),
        fixed_charge_coverage_before: Some(3.2),
        leverage_after: Some(3.1),
        interest_coverage_after: Some(6.0),
        fixed_charge_coverage_after: None,
        critical_fraction: 0.0,
        violations: vec![ConstraintViolation {
            code: engine::model::ViolationCode::TargetNotMet,
            detail: "Proceeds fall short of the target".to_owned(),
            actual: 95_500_000.0,
            limit: 120_000_000.0,
        }],
        warnings: Vec::new(),
    };

    let revised = planner
        .revise_selector_spec(BRIEF, &previous, &outcome)
        .await
        .unwrap();

    assert_eq!(revised.target_amount, 100e6);
    let user = message(&script.body(0), 1);
    assert!(user.contains("\"target_amount\": 120000000.0"), "{user}");
    assert!(
        user.contains("proceeds $95,500,000, leverage after 3.10x"),
        "{user}"
    );
    assert!(user.contains("fixed charge coverage after N/A"), "{user}");
    assert!(user.contains("- TARGET_NOT_MET: Proceeds fall short of the target (actual: 95500000.00, limit: 120000000.00)"));
    assert_eq!(
        script.body(0)["response_format"]["json_schema"]["name"],
        json!("selector_spec")
    );
}

// ---------------------------------------------------------------------------------------------
// Retries and time limits
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn server_errors_are_retried() {
    let (script, planner) = planner_for(vec![
        failure(500, "boom"),
        failure(503, "busy"),
        json_answer(spec_json(120e6, 3.5)),
    ])
    .await;

    let spec = planner
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap();

    assert_eq!(spec.target_amount, 120e6);
    assert_eq!(script.requests(), 3);
}

#[tokio::test]
async fn persistent_server_errors_are_unavailable() {
    let replies = (0..10).map(|_| failure(500, "boom")).collect();
    let (script, planner) = planner_for(replies).await;

    let error = planner
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap_err();

    let PlannerError::Unavailable(message) = &error else {
        panic!("expected Unavailable, got {error:?}")
    };
    assert!(message.contains("500"), "{message}");
    assert!(message.contains("boom"), "{message}");
    // The first attempt and the three retries of the default configuration.
    assert_eq!(script.requests(), 4);
}

#[tokio::test]
async fn rate_limits_wait_for_retry_after() {
    let limited = Reply::Answer {
        status: 429,
        body: json!({"error": {"message": "slow down"}}),
        retry_after: Some(1),
    };
    let (script, planner) = planner_for(vec![limited, json_answer(spec_json(120e6, 3.5))]).await;

    let started = Instant::now();
    planner
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap();
    let elapsed = started.elapsed();

    assert_eq!(script.requests(), 2);
    assert!(
        elapsed >= Duration::from_secs(1),
        "retried after {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_millis(1800),
        "retried after {elapsed:?}"
    );
}

#[tokio::test]
async fn a_hung_server_is_unavailable_within_the_budget() {
    let (script, base_url) = serve((0..10).map(|_| Reply::Hang).collect()).await;
    let mut config = config(&base_url);
    config.call_timeout = Duration::from_millis(300);
    config.total_budget = Duration::from_secs(1);
    let planner = OpenAiPlanner::new(config);

    let started = Instant::now();
    let error = planner
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap_err();
    let elapsed = started.elapsed();

    let PlannerError::Unavailable(message) = &error else {
        panic!("expected Unavailable, got {error:?}")
    };
    assert!(message.contains("no answer from"), "{message}");
    assert!(
        elapsed >= Duration::from_millis(600),
        "gave up after {elapsed:?}"
    );
    assert!(
        elapsed < Duration::from_millis(1500),
        "gave up after {elapsed:?}"
    );
    assert!(script.requests() >= 2);
}

#[tokio::test]
async fn an_unreachable_server_is_unavailable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let planner = OpenAiPlanner::new(config(&format!("http://{address}/v1")));

    let error = planner.generate_explanation_summary(&[]).await.unwrap_err();

    let PlannerError::Unavailable(message) = &error else {
        panic!("expected Unavailable, got {error:?}")
    };
    assert!(message.contains("cannot connect to"), "{message}");
}

#[tokio::test]
async fn a_rejected_key_fails_at_once_without_showing_the_key() {
    let echo = format!("Incorrect API key provided: {KEY}.");
    let (script, planner) = planner_for(vec![failure(401, &echo)]).await;

    let error = planner
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap_err();

    let PlannerError::Unavailable(message) = &error else {
        panic!("expected Unavailable, got {error:?}")
    };
    assert!(message.contains("401"), "{message}");
    assert!(message.contains("SLB_LLM_API_KEY"), "{message}");
    assert!(
        message.contains("Incorrect API key provided: ***."),
        "{message}"
    );
    assert!(!format!("{error} {error:?}").contains("SECRET123"));
    assert_eq!(script.requests(), 1);
}

// ---------------------------------------------------------------------------------------------
// The key never appears in logs
// ---------------------------------------------------------------------------------------------

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_key_appears_in_no_log_line_and_no_error() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // Current-thread runtime: the thread-local subscriber sees the client's and the server's tasks.
    let _guard = tracing::subscriber::set_default(subscriber);

    let echo = format!("Incorrect API key provided: {KEY}");
    let (_, planner) = planner_for(vec![
        failure(500, &echo),
        content("{broken"),
        json_answer(spec_json(120e6, 3.5)),
        failure(401, &echo),
    ])
    .await;
    planner
        .generate_selector_spec(ProgramType::Slb, BRIEF, &portfolio())
        .await
        .unwrap();
    let error = planner.generate_explanation_summary(&[]).await.unwrap_err();

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("llm_call{call=\"selector spec\" model=test-model}"),
        "{logs}"
    );
    assert!(logs.contains("retrying LLM call"), "{logs}");
    assert!(logs.contains("asking for a correction"), "{logs}");
    assert!(!logs.contains("SECRET123"), "{logs}");
    assert!(!format!("{error} {error:?} {planner:?}").contains("SECRET123"));
}

// ---------------------------------------------------------------------------------------------
// Scenarios and summaries
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn scenarios_are_read_in_order() {
    let answer = scenarios_json(&[
        ("Base Case", "base", 120e6),
        ("Conservative", "risk_off", 96e6),
        ("Aggressive", "aggressive", 150e6),
    ]);
    let (script, planner) = planner_for(vec![json_answer(answer)]).await;

    let scenarios = planner
        .generate_scenario_definitions(BRIEF, &portfolio(), 3)
        .await
        .unwrap();

    let summary: Vec<(&str, ScenarioKind, f64)> = scenarios
        .iter()
        .map(|s| (s.label.as_str(), s.kind, s.target_amount))
        .collect();
    assert_eq!(
        summary,
        [
            ("Base Case", ScenarioKind::Base, 120e6),
            ("Conservative", ScenarioKind::RiskOff, 96e6),
            ("Aggressive", ScenarioKind::Aggressive, 150e6)
        ]
    );
    let body = script.body(0);
    assert_eq!(
        body["response_format"]["json_schema"]["name"],
        json!("scenario_definitions")
    );
    assert_strict(&body["response_format"]["json_schema"]["schema"], "$");
    assert!(message(&body, 0).contains("Exactly 3 scenario(s)"));
}

#[tokio::test]
async fn a_first_scenario_that_is_not_the_base_case_is_repaired() {
    let wrong = scenarios_json(&[
        ("Conservative", "risk_off", 96e6),
        ("Base Case", "base", 120e6),
    ]);
    let right = scenarios_json(&[
        ("Base Case", "base", 120e6),
        ("Conservative", "risk_off", 96e6),
    ]);
    let (script, planner) = planner_for(vec![json_answer(wrong), json_answer(right)]).await;

    let scenarios = planner
        .generate_scenario_definitions(BRIEF, &portfolio(), 2)
        .await
        .unwrap();

    assert_eq!(scenarios[0].kind, ScenarioKind::Base);
    assert!(
        message(&script.body(1), 3)
            .contains("scenarios[0].kind: the first scenario must be the base case")
    );
}

#[tokio::test]
async fn duplicate_labels_are_repaired() {
    let wrong = scenarios_json(&[
        ("Base Case", "base", 120e6),
        ("Base Case", "aggressive", 150e6),
    ]);
    let right = scenarios_json(&[
        ("Base Case", "base", 120e6),
        ("Stretch", "aggressive", 150e6),
    ]);
    let (script, planner) = planner_for(vec![json_answer(wrong), json_answer(right)]).await;

    let scenarios = planner
        .generate_scenario_definitions(BRIEF, &portfolio(), 2)
        .await
        .unwrap();

    assert_eq!(scenarios[1].label, "Stretch");
    assert!(
        message(&script.body(1), 3)
            .contains("scenarios[1].label: \"Base Case\" repeats the label of scenarios[0]")
    );
}

#[tokio::test]
async fn the_wrong_number_of_scenarios_twice_is_invalid_output() {
    let two = scenarios_json(&[
        ("Base Case", "base", 120e6),
        ("Stretch", "aggressive", 150e6),
    ]);
    let (script, planner) = planner_for(vec![json_answer(two.clone()), json_answer(two)]).await;

    let error = planner
        .generate_scenario_definitions(BRIEF, &portfolio(), 3)
        .await
        .unwrap_err();

    assert_eq!(
        error,
        PlannerError::InvalidOutput(
            "scenario definitions: scenarios: expected exactly 3, got 2".to_owned()
        )
    );
    assert_eq!(script.requests(), 2);
}

#[tokio::test]
async fn the_summary_is_plain_text() {
    let (script, planner) =
        planner_for(vec![content("  The program met its $120M target.  \n")]).await;
    let node = ExplanationNode {
        id: "driver_proceeds".to_owned(),
        label: "Proceeds".to_owned(),
        severity: Severity::Info,
        category: NodeCategory::Driver,
        metric: Some("proceeds".to_owned()),
        baseline_value: None,
        post_value: Some(120e6),
        threshold: None,
        asset_ids: None,
        detail: None,
    };

    let summary = planner.generate_explanation_summary(&[node]).await.unwrap();

    assert_eq!(summary, "The program met its $120M target.");
    let body = script.body(0);
    assert!(body.get("response_format").is_none());
    assert!(message(&body, 1).contains(r#""id":"driver_proceeds""#));
}
