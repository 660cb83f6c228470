//! The HTTP API against a real server on loopback, on both stores, with the built-in planner.

use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::requests::demo_request;
use testkit::server::{Backend, TestServer, assert_error, keys};

async fn health_matches_reference(s: &TestServer) {
    let (status, body) = s.get("/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"status": "healthy", "service": "SLB Agent API", "version": "1.0.0"})
    );
}

async fn creates_fetches_and_lists_runs(s: &TestServer) {
    let (status, created) = s
        .post(
            "/api/runs?fund_id=F1",
            &demo_request("Raise $150M from stores, keep leverage under 4x"),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(keys(&created), ["response", "run_id", "status"]);
    assert_eq!(created["status"], "completed");
    let response = &created["response"];
    assert_eq!(
        keys(response),
        [
            "audit_trace",
            "credit_analysis",
            "explanation",
            "insights",
            "outcome",
            "planner_warnings",
            "provenance",
            "selector_spec"
        ]
    );
    assert_eq!(response["selector_spec"]["target_amount"], 150_000_000.0);
    assert_eq!(
        response["selector_spec"]["asset_filters"]["include_asset_types"],
        json!(["store"])
    );
    assert!(
        response["outcome"]["selected_assets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["asset"]["asset_type"] == "store")
    );
    let run_id = created["run_id"].as_str().unwrap().to_string();
    assert_eq!(run_id.len(), 36);

    let (status, run) = s.get(&format!("/api/runs/{run_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        keys(&run),
        [
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
            "status"
        ]
    );
    assert_eq!(run["fund_id"], "F1");
    assert_eq!(run["response"], created["response"]);
    assert!(
        run["error"].is_null()
            && run["scenario_set_id"].is_null()
            && run["scenario_kind"].is_null()
    );

    let (_, second) = s.post("/api/runs", &demo_request("Raise $100M")).await;
    let (status, list) = s.get("/api/runs").await;
    assert_eq!(status, StatusCode::OK);
    let list = list.as_array().unwrap();
    assert_eq!(list[0]["run_id"], second["run_id"], "newest first");
    assert_eq!(list[1]["run_id"], run_id.as_str());
    assert_eq!(
        keys(&list[0]),
        [
            "created_at",
            "created_by",
            "fund_id",
            "outcome_status",
            "proceeds",
            "program_description",
            "run_id",
            "scenario_kind",
            "scenario_label",
            "scenario_set_id",
            "selection_strategy",
            "status",
            "target_amount"
        ]
    );
    let (_, filtered) = s.get("/api/runs?fund_id=F1&limit=5").await;
    assert_eq!(filtered.as_array().unwrap().len(), 1);
    let (_, limited) = s.get("/api/runs?limit=1").await;
    assert_eq!(limited.as_array().unwrap().len(), 1);
}

async fn business_validation_failures_are_stored_as_failed_runs(s: &TestServer) {
    let mut request = demo_request("Raise $100M");
    request["assets"][1]["asset_id"] = request["assets"][0]["asset_id"].clone();
    let (status, created) = s.post("/api/runs", &request).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(keys(&created), ["error", "run_id", "status"]);
    assert_eq!(created["status"], "failed");
    assert_eq!(
        created["error"],
        "Asset IDs must be unique; duplicates: ['P001']"
    );
    let (_, run) = s
        .get(&format!(
            "/api/runs/{}",
            created["run_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(run["status"], "failed");
    assert!(run["response"].is_null());

    let (status, body) = s.post("/program", &request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&body, "VALIDATION_FAILED");
    assert_eq!(body["errors"][0]["field"], "assets");
}

async fn floor_above_target_is_a_400_and_not_stored(s: &TestServer) {
    let mut request = demo_request("Raise $50M");
    request["floor_override"] = json!(60_000_000.0);
    let (status, body) = s.post("/api/runs?fund_id=floor", &request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&body, "INVALID_FLOOR_OVERRIDE");
    assert!(
        body["detail"].as_str().unwrap().contains("60,000,000")
            && body["detail"].as_str().unwrap().contains("50,000,000")
    );
    let (_, list) = s.get("/api/runs?fund_id=floor").await;
    assert!(list.as_array().unwrap().is_empty());
}

async fn shape_errors_are_422_with_field_paths(s: &TestServer) {
    let mut request = demo_request("Raise $50M");
    request["assets"][3]["noi"] = json!(-1.0);
    request["assets"][5]["criticality"] = json!(1.5);
    request["max_leverage_override"] = json!(12.0);
    let (status, body) = s.post("/api/runs", &request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&body, "INVALID_REQUEST");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "assets[3].noi",
            "assets[5].criticality",
            "max_leverage_override"
        ]
    );
    assert_eq!(body["errors"][0]["message"], "must be > 0");

    let mut missing = demo_request("x");
    missing.as_object_mut().unwrap().remove("corporate_state");
    let (status, body) = s.post("/api/runs", &missing).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["detail"].as_str().unwrap().contains("corporate_state"),
        "{body}"
    );

    let mut wrong_type = demo_request("x");
    wrong_type["assets"][2]["asset_type"] = json!("castle");
    let (status, body) = s.post("/program", &wrong_type).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "assets[2].asset_type", "{body}");

    let res = s
        .client()
        .post(s.url("/api/runs"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(&res.json().await.unwrap(), "INVALID_REQUEST");

    let res = s
        .client()
        .post(s.url("/api/runs"))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_error(&res.json().await.unwrap(), "UNSUPPORTED_MEDIA_TYPE");

    for bad in ["0", "101", "ten", "-1"] {
        let (status, body) = s.get(&format!("/api/runs?limit={bad}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "limit={bad}");
        assert_eq!(body["errors"][0]["field"], "limit");
    }
}

async fn unknown_things_answer_json(s: &TestServer) {
    let (status, body) = s.get("/api/runs/does-not-exist").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&body, "NOT_FOUND");
    let (status, body) = s.get("/api/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&body, "NOT_FOUND");
    let res = s.client().delete(s.url("/api/runs")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_error(&res.json().await.unwrap(), "METHOD_NOT_ALLOWED");
}

async fn program_endpoint_runs_without_storing(s: &TestServer) {
    let (status, body) = s
        .post("/program", &demo_request("Raise $80M, maximize proceeds"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["selector_spec"]["objective"], "maximize_proceeds");
    assert_eq!(body["audit_trace"]["entries"][0]["phase"], "initial");
    let (_, list) = s.get("/api/runs?limit=100").await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|r| r["program_description"] != "Raise $80M, maximize proceeds")
    );
}

async fn concurrent_posts_are_all_stored(s: &TestServer) {
    let request = Arc::new(demo_request("Raise $120M"));
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let client = s.client().clone();
            let url = s.url(&format!("/api/runs?fund_id=load{}", i % 2));
            let request = request.clone();
            tokio::spawn(async move {
                let res = client.post(url).json(&*request).send().await.unwrap();
                assert_eq!(res.status(), StatusCode::CREATED);
                res.json::<Value>().await.unwrap()["run_id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
        })
        .collect();
    let mut ids = std::collections::HashSet::new();
    for t in tasks {
        assert!(ids.insert(t.await.unwrap()), "run ids must be unique");
    }
    let (_, a) = s.get("/api/runs?fund_id=load0&limit=100").await;
    let (_, b) = s.get("/api/runs?fund_id=load1&limit=100").await;
    let stored: std::collections::HashSet<String> = a
        .as_array()
        .unwrap()
        .iter()
        .chain(b.as_array().unwrap())
        .map(|r| r["run_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stored, ids);
}

async fn selection_strategy_is_honoured(s: &TestServer) {
    let mut request = demo_request("Raise $300M from stores and DCs, keep leverage under 3.5x");
    let (_, greedy) = s.post("/program", &request).await;
    assert_eq!(greedy["outcome"]["status"], "infeasible");
    request["selection_strategy"] = json!("optimal");
    let (status, optimal) = s.post("/program", &request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(optimal["outcome"]["status"], "ok");
    request["selection_strategy"] = json!("clever");
    let (status, body) = s.post("/program", &request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "selection_strategy");
}

/// The default cap-rate curve (SPEC §3), written out here so the test does not read the
/// engine's own table.
fn default_cap_rate(asset_type: &str, tier: u64) -> f64 {
    let rates = match asset_type {
        "store" | "mixed_use" => [0.055, 0.065, 0.075],
        "distribution_center" => [0.045, 0.055, 0.065],
        "office" => [0.060, 0.070, 0.080],
        _ => [0.070, 0.080, 0.090],
    };
    rates[(tier - 1) as usize]
}

async fn assumptions_price_the_run_and_credit_analysis_reports_them(s: &TestServer) {
    let mut request = demo_request("Raise $200M from stores, keep leverage under 4x");
    request["assumptions"] = json!({"cap_rate_shift_bps": 600});
    let (status, body) = s.post("/api/runs", &request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_error(&body, "INVALID_REQUEST");
    assert_eq!(body["errors"][0]["field"], "assumptions.cap_rate_shift_bps");
    assert_eq!(body["errors"][0]["message"], "must be between -500 and 500");

    request["assumptions"] = json!({"lease_term_years": 0, "tax_rate": 0.9});
    let (status, body) = s.post("/api/runs", &request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["assumptions.tax_rate", "assumptions.lease_term_years"]
    );

    // Defaults: every reference number as before, the credit analysis on top.
    request["assumptions"] = Value::Null;
    let (status, plain) = s.post("/program", &request).await;
    assert_eq!(status, StatusCode::OK, "{plain}");
    let credit = &plain["credit_analysis"];
    assert_eq!(credit["assumptions"]["tax_rate"], 0.25);
    assert_eq!(credit["assumptions"]["lease_discount_rate"], 0.06);
    let names: Vec<&str> = credit["metrics"]
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
        ]
    );
    assert_eq!(
        credit["metrics"][0]["after"],
        plain["outcome"]["leverage_after"]
    );
    assert_eq!(credit["metrics"][0]["limit"], 4.0);
    assert!(
        plain["insights"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == "insight_cost_of_capital")
    );

    // A 50 bps wider cap rate prices every asset lower, and the run is stored with it.
    request["assumptions"] = json!({"cap_rate_shift_bps": 50, "tax_rate": 0.3});
    let (status, created) = s.post("/api/runs", &request).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let response = &created["response"];
    let picks = response["outcome"]["selected_assets"].as_array().unwrap();
    assert!(!picks.is_empty());
    for pick in picks {
        let asset = &pick["asset"];
        let cap = default_cap_rate(
            asset["asset_type"].as_str().unwrap(),
            asset["market_tier"].as_u64().unwrap_or(2),
        ) + 0.005;
        let expected = asset["noi"].as_f64().unwrap() / cap * (1.0 - 0.025);
        let proceeds = pick["proceeds"].as_f64().unwrap();
        assert!(
            (proceeds - expected).abs() <= 1e-6 * expected,
            "{proceeds} vs {expected}"
        );
    }
    assert_eq!(
        response["credit_analysis"]["assumptions"]["cap_rate_shift_bps"],
        50.0
    );
    assert_eq!(response["credit_analysis"]["assumptions"]["tax_rate"], 0.3);
    let id = created["run_id"].as_str().unwrap();
    let (_, stored) = s.get(&format!("/api/runs/{id}")).await;
    assert_eq!(
        stored["response"]["credit_analysis"],
        response["credit_analysis"]
    );
    assert_eq!(stored["response"]["insights"], response["insights"]);
}

async fn stored_requests_reproduce_runs_and_lists_page(s: &TestServer) {
    let mut request = demo_request("Raise $250M from stores, keep leverage under 3.5x");
    request["selection_strategy"] = json!("optimal");
    request["assumptions"] = json!({"tax_rate": 0.21});
    let (status, created) = s.post("/api/runs?fund_id=EU-growth", &request).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["run_id"].as_str().unwrap();
    let (_, stored) = s.get(&format!("/api/runs/{id}")).await;
    let kept = &stored["request"];
    assert_eq!(kept["selection_strategy"], "optimal");
    assert_eq!(kept["assumptions"]["tax_rate"], 0.21);
    let asset_ids = |assets: &Value| -> Vec<String> {
        assets
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["asset_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(asset_ids(&kept["assets"]), asset_ids(&request["assets"]));
    assert_eq!(kept["corporate_state"], request["corporate_state"]);

    // Re-running the stored request reproduces the program bit for bit.
    let (status, again) = s.post("/program", kept).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    for part in [
        "selector_spec",
        "outcome",
        "explanation",
        "credit_analysis",
        "insights",
    ] {
        assert_eq!(again[part], created["response"][part], "{part}");
    }

    for brief in ["Raise $100M", "Raise $120M", "Raise $140M"] {
        let (status, _) = s
            .post("/api/runs?fund_id=US-core", &demo_request(brief))
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let (_, first) = s.get("/api/runs?limit=2").await;
    let first = first.as_array().unwrap().clone();
    assert_eq!(first.len(), 2);
    assert_eq!(first[0]["program_description"], "Raise $140M");
    assert_eq!(first[0]["target_amount"], 140_000_000.0);
    assert_eq!(first[0]["selection_strategy"], "greedy");
    assert!(first[0]["proceeds"].as_f64().unwrap() > 0.0);
    assert!(first[0]["outcome_status"].is_string());
    let cursor = first[1]["run_id"].as_str().unwrap();
    let (status, second) = s.get(&format!("/api/runs?limit=2&before={cursor}")).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let descriptions: Vec<&str> = second
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["program_description"].as_str().unwrap())
        .collect();
    assert_eq!(
        descriptions,
        [
            "Raise $100M",
            "Raise $250M from stores, keep leverage under 3.5x"
        ]
    );
    let (status, body) = s.get("/api/runs?before=no-such-run").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "before");
    let (_, by_prefix) = s.get("/api/runs?fund_prefix=EU").await;
    assert_eq!(by_prefix.as_array().unwrap().len(), 1);
    let (_, funds) = s.get("/api/funds").await;
    assert_eq!(funds, json!(["EU-growth", "US-core"]));
}

async fn plan_previews_and_a_confirmed_spec_runs_as_given(s: &TestServer) {
    let mut request = demo_request("Raise $250M from stores, keep leverage under 3.5x");
    request["target_amount_override"] = json!(200_000_000.0);
    let (status, preview) = s.post("/api/plan", &request).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["selector_spec"]["target_amount"], 200_000_000.0);
    let target = preview["provenance"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["field"] == "target_amount")
        .unwrap();
    assert_eq!(target["source"], "user_override");
    assert!(preview["warnings"].is_array());

    // The user edits the spec and runs exactly it.
    let mut spec = preview["selector_spec"].clone();
    spec["hard_constraints"]["max_net_leverage"] = json!(3.8);
    spec["asset_filters"]["exclude_asset_ids"] = json!(["P001", "P021"]);
    spec["hard_constraints"]["max_assets_sold"] = json!(6);
    let mut confirmed = demo_request("Raise $250M from stores, keep leverage under 3.5x");
    confirmed["selector_spec"] = spec;
    confirmed["selection_strategy"] = json!("optimal");
    let (status, created) = s.post("/api/runs", &confirmed).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let response = &created["response"];
    assert_eq!(
        response["selector_spec"]["hard_constraints"]["max_net_leverage"],
        3.8
    );
    assert_eq!(response["audit_trace"]["spec_source"], "request");
    assert_eq!(response["audit_trace"]["target_source"], "user_override");
    let picks = response["outcome"]["selected_assets"].as_array().unwrap();
    assert!(picks.len() <= 6, "{}", picks.len());
    assert!(
        picks
            .iter()
            .all(|p| !["P001", "P021"].contains(&p["asset"]["asset_id"].as_str().unwrap()))
    );
    assert!(
        response["provenance"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["source"] == "user_override")
    );

    // A confirmed spec naming an asset the portfolio does not have is refused (400).
    confirmed["selector_spec"]["asset_filters"]["exclude_asset_ids"] = json!(["P001", "P999"]);
    let (status, body) = s.post("/api/plan", &confirmed).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["detail"].as_str().unwrap().contains("\"P999\""),
        "{body}"
    );
    confirmed["selector_spec"]["asset_filters"]["exclude_asset_ids"] = json!(["P001"]);

    // A bad spec is a 422 naming the field.
    confirmed["selector_spec"]["hard_constraints"]["max_assets_sold"] = json!(0);
    let (status, body) = s.post("/api/plan", &confirmed).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        body["errors"][0]["field"],
        "selector_spec.hard_constraints.max_assets_sold"
    );
}

async fn infeasible_greedy_runs_say_what_would_cure_them(s: &TestServer) {
    let request = demo_request("Raise $250M from stores, keep leverage under 3.5x");
    let (status, body) = s.post("/program", &request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["outcome"]["status"], "infeasible");
    let insights = body["insights"].as_array().unwrap();
    let find = |id: &str| insights.iter().find(|i| i["id"] == id);
    let before = find("insight_breached_before_sale_leverage").expect("breach before sale");
    assert_eq!(before["baseline_value"], body["outcome"]["leverage_before"]);
    let cure = find("insight_cure_leverage").expect("cure");
    // Curing 4.00x down to 3.50x takes repaying 0.5x EBITDA of debt: an independent check.
    let state = &request["corporate_state"];
    let needed = state["net_debt"].as_f64().unwrap() - 3.5 * state["ebitda"].as_f64().unwrap();
    let cure_proceeds = cure["post_value"].as_f64().unwrap();
    assert!(
        cure_proceeds >= needed * (1.0 - 1e-9),
        "{cure_proceeds} < {needed}"
    );
    let alternative = find("insight_optimal_alternative").expect("optimal alternative");
    assert!(
        alternative["detail"]
            .as_str()
            .unwrap()
            .contains("exact optimiser")
    );
    assert!(alternative["post_value"].as_f64().unwrap() >= 250e6 * 0.98);
}

macro_rules! suite {
    ($backend:ident) => {
        mod $backend {
            use super::*;

            #[tokio::test]
            async fn health() {
                health_matches_reference(&TestServer::$backend().await).await
            }

            #[tokio::test]
            async fn runs_lifecycle() {
                creates_fetches_and_lists_runs(&TestServer::$backend().await).await
            }

            #[tokio::test]
            async fn failed_runs() {
                business_validation_failures_are_stored_as_failed_runs(
                    &TestServer::$backend().await,
                )
                .await
            }

            #[tokio::test]
            async fn bad_floor() {
                floor_above_target_is_a_400_and_not_stored(&TestServer::$backend().await).await
            }

            #[tokio::test]
            async fn shape_errors() {
                shape_errors_are_422_with_field_paths(&TestServer::$backend().await).await
            }

            #[tokio::test]
            async fn unknown_routes() {
                unknown_things_answer_json(&TestServer::$backend().await).await
            }

            #[tokio::test]
            async fn strategy() {
                selection_strategy_is_honoured(&TestServer::$backend().await).await
            }

            #[tokio::test]
            async fn assumptions_and_credit_analysis() {
                assumptions_price_the_run_and_credit_analysis_reports_them(
                    &TestServer::$backend().await,
                )
                .await
            }

            #[tokio::test]
            async fn reproducible_runs_and_paging() {
                stored_requests_reproduce_runs_and_lists_page(&TestServer::$backend().await).await
            }

            #[tokio::test]
            async fn plan_preview_and_confirmed_spec() {
                plan_previews_and_a_confirmed_spec_runs_as_given(&TestServer::$backend().await)
                    .await
            }

            #[tokio::test]
            async fn infeasible_advice() {
                infeasible_greedy_runs_say_what_would_cure_them(&TestServer::$backend().await).await
            }

            #[tokio::test]
            async fn stateless_program() {
                program_endpoint_runs_without_storing(&TestServer::$backend().await).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn concurrent_posts() {
                concurrent_posts_are_all_stored(&TestServer::$backend().await).await
            }
        }
    };
}

suite!(sqlite);
suite!(postgres);

#[tokio::test]
async fn body_over_the_limit_is_413() {
    let s = TestServer::builder(Backend::Sqlite)
        .body_limit(1024)
        .start()
        .await;
    let (status, body) = s.post("/api/runs", &demo_request("Raise $10M")).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error(&body, "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn openapi_document_and_docs_page() {
    let s = TestServer::sqlite().await;
    let (status, doc) = s.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in ["/health", "/program", "/api/runs", "/api/runs/{run_id}"] {
        assert!(doc["paths"][path].is_object(), "missing {path}");
    }
    let schemas = &doc["components"]["schemas"];
    for name in [
        "ProgramRequest",
        "ProgramResponse",
        "RunRecord",
        "ErrorResponse",
        "SelectorSpec",
        "AuditTrace",
    ] {
        assert!(schemas[name].is_object(), "missing schema {name}");
    }
    assert!(schemas["ProgramRequest"]["properties"]["target_amount_override"].is_object());
    assert!(schemas["ProgramRequest"]["properties"]["selection_strategy"].is_object());
    // API keys: a bearer scheme required everywhere but /health, 401 on every protected
    // operation and 403 where a role or fund can refuse it.
    assert_eq!(
        doc["components"]["securitySchemes"]["bearerAuth"],
        json!({"type": "http", "scheme": "bearer", "description": doc["components"]["securitySchemes"]["bearerAuth"]["description"]})
    );
    assert_eq!(doc["security"], json!([{"bearerAuth": []}]));
    assert_eq!(doc["paths"]["/health"]["get"]["security"], json!([]));
    assert_eq!(doc["paths"]["/ready"]["get"]["security"], json!([]));
    for path in ["/api/runs", "/api/scenario_sets"] {
        let parameters = doc["paths"][path]["post"]["parameters"].to_string();
        assert!(parameters.contains("Idempotency-Key"), "{path}");
    }
    assert!(schemas["Identity"].is_object());
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let responses = &op["responses"];
            if path != "/health" && path != "/ready" {
                assert!(responses["401"].is_object(), "{method} {path}: no 401");
                // Limits apply to every API operation.
                for status in ["421", "429", "503"] {
                    assert!(
                        responses[status].is_object(),
                        "{method} {path}: no {status}"
                    );
                }
            }
            assert_eq!(
                responses["403"].is_object(),
                method == "post",
                "{method} {path}: 403 only where a role or fund refuses"
            );
        }
    }
    // Every $ref resolves inside the document.
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &part[..part.find('"').unwrap()];
        assert!(schemas[name].is_object(), "dangling $ref {name}");
    }

    let res = s.client().get(s.url("/api/docs/")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("swagger-ui"),
        "docs page must be the embedded Swagger UI"
    );
    assert!(
        !html.contains("https://"),
        "docs page must not load assets from the network"
    );
}

#[tokio::test]
async fn middleware_gzip_request_id_and_cors() {
    let s = TestServer::sqlite().await;
    // A client that does not decompress, so the encoding header stays visible.
    let raw = reqwest::Client::builder().no_gzip().build().unwrap();
    let res = raw
        .get(s.url("/api/openapi.json"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    assert!(
        res.headers()
            .get("x-request-id")
            .is_some_and(|v| v.len() == 36)
    );
    // A client's request id is kept only when it is a UUID; anything else is replaced.
    let res = s
        .client()
        .get(s.url("/health"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap();
    assert!(id != "abc-123" && uuid::Uuid::try_parse(id).is_ok(), "{id}");
    let mine = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";
    let res = s
        .client()
        .get(s.url("/health"))
        .header("x-request-id", mine)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], mine);

    let res = s
        .client()
        .request(reqwest::Method::OPTIONS, s.url("/api/runs"))
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    let res = s
        .client()
        .get(s.url("/health"))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
}
