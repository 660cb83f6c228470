//! `/api/analyses/*` against a real server on loopback with the built-in planner: a frontier
//! point opened as a run sells exactly the point's assets, every grid cell equals the run of
//! the request with the cell's values, the same request answers the same bytes, and bad input
//! is a 422 naming the field.

use engine::model::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use testkit::requests::demo_request;
use testkit::server::TestServer;

/// The demo request with the spec the planner gives its brief, confirmed.
async fn confirmed(s: &TestServer, strategy: &str) -> Value {
    let mut request = demo_request("Raise $300M, keep leverage under 4.2x");
    let (status, plan) = s.post("/api/plan", &request).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    request["selector_spec"] = plan["selector_spec"].clone();
    request["selection_strategy"] = json!(strategy);
    request
}

fn with(mut request: Value, fields: Value) -> Value {
    for (key, value) in fields.as_object().unwrap() {
        request[key] = value.clone();
    }
    request
}

fn sorted_ids(selected: &Value) -> Vec<String> {
    let mut ids: Vec<String> = selected
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["asset"]["asset_id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_frontier_point_opened_as_a_run_sells_its_assets() {
    let s = TestServer::sqlite().await;
    let request = confirmed(&s, "optimal").await;
    let body = with(request.clone(), json!({"metric": "new_rent", "points": 6}));
    let (status, frontier) = s.post("/api/analyses/frontier", &body).await;
    assert_eq!(status, StatusCode::OK, "{frontier}");
    assert_eq!(frontier["metric"], "new_rent");
    let points = frontier["points"].as_array().unwrap();
    assert!(points.len() >= 3, "the demo's rent trades off: {frontier}");
    assert!(points.len() <= 6);
    for pair in points.windows(2) {
        assert!(pair[0]["proceeds"].as_f64() < pair[1]["proceeds"].as_f64());
        assert!(pair[0]["metric_value"].as_f64() < pair[1]["metric_value"].as_f64());
    }
    assert!(frontier["proven"].as_bool().unwrap());
    assert!(frontier["current"]["proceeds"].as_f64().unwrap() > 0.0);

    // Open the middle point as a run, as the UI does.
    let point = &points[points.len() / 2];
    let mut spec = frontier["selector_spec"].clone();
    spec["objective"] = json!("maximize_proceeds");
    spec["target_amount"] = point["proceeds"].clone();
    spec["max_iterations"] = json!(1);
    spec["asset_filters"]["include_asset_ids"] = point["asset_ids"].clone();
    let run_request = with(
        request,
        json!({"selector_spec": spec, "selection_strategy": "optimal"}),
    );
    let (status, run) = s.post("/api/runs", &run_request).await;
    assert_eq!(status, StatusCode::CREATED, "{run}");
    let outcome = &run["response"]["outcome"];
    assert_eq!(outcome["status"], "ok", "{outcome}");
    let mut expected: Vec<String> = point["asset_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    expected.sort();
    assert_eq!(sorted_ids(&outcome["selected_assets"]), expected);
    assert_eq!(outcome["proceeds"], point["proceeds"]);
}

#[tokio::test]
async fn every_grid_cell_equals_the_run_with_its_values() {
    let s = TestServer::sqlite().await;
    for strategy in ["optimal", "greedy"] {
        let request = confirmed(&s, strategy).await;
        let target = request["selector_spec"]["target_amount"].as_f64().unwrap();
        let targets = [0.5 * target, target, 9.0 * target];
        let shifts = [-50.0, 0.0, 75.0];
        let body = with(
            request.clone(),
            json!({"axes": [
                {"parameter": "cap_rate_shift_bps", "values": shifts},
                {"parameter": "target_amount", "values": targets},
            ]}),
        );
        let (status, grid) = s.post("/api/analyses/sensitivity", &body).await;
        assert_eq!(status, StatusCode::OK, "{grid}");
        assert_eq!(grid["strategy"], strategy);
        assert_eq!(grid["base"]["row"], 1, "{}", grid["base"]);
        assert_eq!(grid["base"]["col"], 1, "{}", grid["base"]);
        let cells = grid["cells"].as_array().unwrap();
        assert_eq!(cells.len(), 9);
        let mut feasible = 0;
        for cell in cells {
            let (row, col) = (
                cell["row"].as_u64().unwrap() as usize,
                cell["col"].as_u64().unwrap() as usize,
            );
            let mut spec = request["selector_spec"].clone();
            spec["target_amount"] = json!(targets[col]);
            spec["max_iterations"] = json!(1);
            let run_request = with(
                request.clone(),
                json!({"selector_spec": spec, "assumptions": {"cap_rate_shift_bps": shifts[row]}}),
            );
            let (status, run) = s.post("/api/runs", &run_request).await;
            assert_eq!(status, StatusCode::CREATED, "{run}");
            let response = &run["response"];
            let outcome = &response["outcome"];
            let context = format!("{strategy} cell ({row}, {col})");
            assert_eq!(cell["status"], outcome["status"], "{context}");
            assert_eq!(cell["feasible"], outcome["status"] == "ok", "{context}");
            assert_eq!(cell["proceeds"], outcome["proceeds"], "{context}");
            assert_eq!(
                cell["assets_sold"].as_u64().unwrap() as usize,
                outcome["selected_assets"].as_array().unwrap().len(),
                "{context}"
            );
            assert_eq!(
                cell["reported_leverage"], outcome["leverage_after"],
                "{context}"
            );
            let credit = &response["credit_analysis"];
            let lease_adjusted = credit["metrics"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["name"] == "lease_adjusted_leverage")
                .unwrap();
            assert_eq!(
                cell["lease_adjusted_leverage"], lease_adjusted["after"],
                "{context}"
            );
            assert_eq!(
                cell["after_tax_cost"], credit["transaction"]["slb_cost_of_capital"],
                "{context}"
            );
            if cell["feasible"] == true {
                feasible += 1;
            }
        }
        assert!(
            (1..9).contains(&feasible),
            "{strategy}: the grid spans feasible and infeasible cells ({feasible})"
        );
    }
}

#[tokio::test]
async fn the_same_request_answers_the_same_bytes() {
    let s = TestServer::sqlite().await;
    let request = confirmed(&s, "optimal").await;
    let body = with(
        request.clone(),
        json!({"metric": "lease_adjusted_leverage", "points": 12}),
    );
    let (status, first) = s.post_text("/api/analyses/frontier", &body).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let (_, second) = s.post_text("/api/analyses/frontier", &body).await;
    assert_eq!(first, second);
    let grid = with(
        request,
        json!({"axes": [
            {"parameter": "rent_multiplier", "values": [0.9, 1.0, 1.1]},
            {"parameter": "max_net_leverage", "values": [3.5, 4.0, 4.5]},
        ]}),
    );
    let (status, first) = s.post_text("/api/analyses/sensitivity", &grid).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let (_, second) = s.post_text("/api/analyses/sensitivity", &grid).await;
    assert_eq!(first, second);
}

/// The fields a 422 names.
fn fields(body: &Value) -> Vec<String> {
    assert_eq!(body["code"], "INVALID_REQUEST", "{body}");
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn bad_input_is_a_422_naming_the_field() {
    let s = TestServer::sqlite().await;
    let request = confirmed(&s, "optimal").await;
    let frontier_cases = [
        (json!({"metric": "new_rent", "points": 51}), "points"),
        (json!({"metric": "new_rent", "points": 1}), "points"),
        (json!({"metric": "ebitda_margin", "points": 5}), "metric"),
        (json!({"points": 5}), "metric"),
        (json!({"metric": "new_rent"}), "points"),
    ];
    for (extra, field) in frontier_cases {
        let mut body = with(request.clone(), extra.clone());
        if extra.get("metric").is_none() {
            body.as_object_mut().unwrap().remove("metric");
        }
        if extra.get("points").is_none() {
            body.as_object_mut().unwrap().remove("points");
        }
        let (status, answer) = s.post("/api/analyses/frontier", &body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{extra}: {answer}"
        );
        assert_eq!(fields(&answer), vec![field.to_owned()], "{extra}");
    }
    // An error inside the program request keeps its path.
    let mut body = with(request.clone(), json!({"metric": "new_rent", "points": 5}));
    body["assets"][2]["noi"] = json!(-1.0);
    let (status, answer) = s.post("/api/analyses/frontier", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&answer), vec!["assets[2].noi".to_owned()]);

    let axis = |parameter: &str, values: Value| json!({"parameter": parameter, "values": values});
    let grid_cases = [
        (
            json!([axis("rent_multiplier", json!([1.0, 1.1]))]),
            vec!["axes"],
        ),
        (
            json!([
                axis("rent_multiplier", json!([])),
                axis("cost_of_debt", json!([0.05, 0.06]))
            ]),
            vec!["axes[0].values"],
        ),
        (
            json!([
                axis("rent_multiplier", json!([1.0, 1.1])),
                axis("rent_multiplier", json!([1.2, 1.3]))
            ]),
            vec!["axes[1].parameter"],
        ),
        (
            json!([
                axis("cost_of_debt", json!([0.05, 0.7])),
                axis("target_amount", json!([1e8, 2e8]))
            ]),
            vec!["axes[0].values[1]"],
        ),
        (
            json!([
                axis("cost_of_debt", json!([0.05, 0.06])),
                axis("max_net_leverage", json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 9.5]))
            ]),
            vec!["axes[1].values"],
        ),
        (
            json!([
                axis("cap_rate_shift_bps", json!([0, -500])),
                axis("target_amount", json!([1e8, 2e8]))
            ]),
            vec!["axes[0].values[1]"],
        ),
        (
            json!([
                axis("leverage", json!([1, 2])),
                axis("target_amount", json!([1e8, 2e8]))
            ]),
            vec!["axes[0].parameter"],
        ),
    ];
    for (axes, expected) in grid_cases {
        let body = with(request.clone(), json!({"axes": axes}));
        let (status, answer) = s.post("/api/analyses/sensitivity", &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{axes}: {answer}");
        let named = fields(&answer);
        assert!(
            expected.iter().all(|f| named.contains(&f.to_string())),
            "{axes}: {named:?}"
        );
    }
}

#[tokio::test]
async fn the_openapi_document_describes_both_analyses() {
    let s = TestServer::sqlite().await;
    let (_, doc) = s.get("/api/openapi.json").await;
    for (path, request, answer) in [
        ("/api/analyses/frontier", "FrontierRequest", "Frontier"),
        (
            "/api/analyses/sensitivity",
            "SensitivityRequest",
            "SensitivityGrid",
        ),
    ] {
        let operation = &doc["paths"][path]["post"];
        assert!(operation.is_object(), "missing {path}");
        let text = operation.to_string();
        assert!(
            text.contains(&format!("#/components/schemas/{request}\"")),
            "{path}"
        );
        assert!(
            text.contains(&format!("#/components/schemas/{answer}\"")),
            "{path}"
        );
        assert!(operation["responses"]["422"].is_object(), "{path}");
    }
    let schemas = &doc["components"]["schemas"];
    let frontier_request = schemas["FrontierRequest"].to_string();
    for field in [
        "\"metric\"",
        "\"points\"",
        "\"assets\"",
        "\"corporate_state\"",
    ] {
        assert!(
            frontier_request.contains(field),
            "FrontierRequest lacks {field}"
        );
    }
    assert!(
        schemas["SensitivityRequest"]
            .to_string()
            .contains("\"axes\"")
    );
}

#[tokio::test]
async fn analyses_need_an_analyst_and_respect_fund_scoping() {
    let s = TestServer::sqlite().await;
    // Before any key exists the server is open: plan the spec then.
    let request = confirmed(&s, "greedy").await;
    let analyst = s.key("analyst", Role::Analyst, &[]).await;
    let viewer = s.key("viewer", Role::Viewer, &[]).await;
    let scoped = s.key("scoped", Role::Analyst, &["F1"]).await;
    let frontier = with(
        request.clone(),
        json!({"metric": "critical_fraction", "points": 4}),
    );
    let grid = with(
        request,
        json!({"axes": [
            {"parameter": "cost_of_debt", "values": [0.05, 0.07]},
            {"parameter": "rent_multiplier", "values": [0.9, 1.1]},
        ]}),
    );
    for (path, body) in [
        ("/api/analyses/frontier", &frontier),
        ("/api/analyses/sensitivity", &grid),
    ] {
        let reply = s.post_as(path, None, body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{path} without a key"
        );
        let reply = s.post_as(path, Some(&viewer), body).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path} as a viewer");
        let reply = s.post_as(path, Some(&scoped), body).await;
        let answer = &reply.body;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {answer}");
        assert_eq!(answer["errors"][0]["field"], "fund_id", "{answer}");
        let elsewhere = format!("{path}?fund_id=F2");
        let reply = s.post_as(&elsewhere, Some(&scoped), body).await;
        let answer = &reply.body;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{path} in another fund: {answer}"
        );
        let own = format!("{path}?fund_id=F1");
        let reply = s.post_as(&own, Some(&scoped), body).await;
        let answer = &reply.body;
        assert_eq!(reply.status, StatusCode::OK, "{path} in its fund: {answer}");
        let reply = s.post_as(path, Some(&analyst), body).await;
        let answer = &reply.body;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "{path} as an analyst: {answer}"
        );
    }
}
