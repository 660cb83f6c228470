//! The OpenAPI 3.1 document, generated from the Rust types (their JSON Schemas come from
//! `schemars`, whose 2020-12 output is OpenAPI 3.1's schema dialect), and the offline docs page.

use axum::Router;
use engine::model::{
    ErrorResponse, Frontier, FrontierRequest, Identity, PlanPreview, ProgramRequest,
    ProgramResponse, RunListItem, RunRecord, ScenarioSetRequest, ScenarioSetSummary,
    SensitivityGrid, SensitivityRequest,
};
use schemars::JsonSchema;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use serde_json::{Value, json};
use utoipa_swagger_ui::SwaggerUi;

use crate::state::AppState;

/// Path of the document and of the docs page.
pub const DOCUMENT_PATH: &str = "/api/openapi.json";
pub const DOCS_PATH: &str = "/api/docs";

struct Doc {
    generator: SchemaGenerator,
}

impl Doc {
    fn new() -> Self {
        let mut settings = SchemaSettings::draft2020_12();
        settings.definitions_path = "/components/schemas".into();
        settings.meta_schema = None;
        Doc {
            generator: settings.into_generator(),
        }
    }

    /// A `$ref` to the schema of `T`, registering it under components.
    fn schema<T: JsonSchema>(&mut self) -> Value {
        self.generator.subschema_for::<T>().to_value()
    }

    fn json_body<T: JsonSchema>(&mut self, description: &str) -> Value {
        json!({"description": description, "content": {"application/json": {"schema": self.schema::<T>()}}})
    }

    fn errors(&mut self, codes: &[(&str, &str)]) -> Value {
        let schema = self.schema::<ErrorResponse>();
        codes
            .iter()
            .map(|(status, description)| {
                (status.to_string(), json!({"description": description, "content": {"application/json": {"schema": schema}}}))
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    }
}

fn merge(mut responses: Value, extra: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (responses.as_object_mut(), extra) {
        a.extend(b);
    }
    responses
}

const BAD_BODY: (&str, &str) = (
    "422",
    "The body does not have the required shape or ranges (`INVALID_REQUEST`, one entry per field).",
);
const UNSUPPORTED: (&str, &str) = ("415", "The body is not `application/json`.");
const TOO_LARGE: (&str, &str) = ("413", "The body exceeds the configured limit.");
const PLANNER_DOWN: (&str, &str) = (
    "503",
    "The planner (LLM) is unreachable (`LLM_UNAVAILABLE`) or its output stayed invalid (`LLM_INVALID_OUTPUT`). Nothing is stored.",
);
const UNAUTHORIZED: (&str, &str) = (
    "401",
    "No valid API key (`UNAUTHORIZED`, with `WWW-Authenticate: Bearer`): none sent while the server requires one, or unknown or revoked.",
);
const FORBIDDEN_ROLE: (&str, &str) = (
    "403",
    "The key's role does not allow it (`FORBIDDEN`): running planners and creating runs and sets needs `analyst`.",
);
const FORBIDDEN_FUND: (&str, &str) = (
    "403",
    "The key's role does not allow it, or the key is limited to funds and `fund_id` is missing or not one of them (`FORBIDDEN`).",
);
const HOST: (&str, &str) = (
    "421",
    "The `Host` header names a host this server does not answer to (`HOST_NOT_ALLOWED`; see `SLB_ALLOWED_HOSTS`).",
);
const RATE_LIMITED: (&str, &str) = (
    "429",
    "This client (API key, else address) exceeded its request rate (`RATE_LIMITED`) or its open connections (`TOO_MANY_CONNECTIONS`); retry after `Retry-After` seconds.",
);
const BUSY_OR_STORE_DOWN: (&str, &str) = (
    "503",
    "The server is at its cap of connections, requests in flight or request-body memory (`SERVER_BUSY`), or the store is unavailable (`STORE_UNAVAILABLE`); retry after `Retry-After` seconds.",
);
const BODY_TIMEOUT: (&str, &str) = (
    "408",
    "The body did not arrive within the body timeout (`REQUEST_TIMEOUT`).",
);
const INTERNAL: (&str, &str) = (
    "500",
    "Unexpected failure (`INTERNAL_ERROR`), with the request id.",
);

/// The OpenAPI 3.1 document of the API.
pub fn document() -> Value {
    let mut doc = Doc::new();
    let program_request = doc.schema::<ProgramRequest>();
    let fund_param = json!({"name": "fund_id", "in": "query", "required": false, "schema": {"type": "string"},
        "description": "Optional grouping key stored with the run."});
    let limit_param = json!({"name": "limit", "in": "query", "required": false,
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}});
    let prefix_param = json!({"name": "fund_prefix", "in": "query", "required": false, "schema": {"type": "string"},
        "description": "Only runs whose fund id starts with this (case-sensitive)."});
    let before_param = |what: &str| {
        json!({"name": "before", "in": "query", "required": false, "schema": {"type": "string"},
        "description": format!("Cursor: the last {what} id of the previous page; the page starts after it. Without it the first page is returned.")})
    };

    let health = json!({"get": {"summary": "Liveness check", "operationId": "health", "security": [],
        "responses": {"200": {"description": "Service is up", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"status": {"type": "string"}, "service": {"type": "string"}, "version": {"type": "string"}}}}}}}}});

    let program = json!({"post": {
        "summary": "Plan and run a program without storing it",
        "operationId": "runProgram",
        "requestBody": {"required": true, "content": {"application/json": {"schema": program_request}}},
        "responses": merge(
            json!({"200": doc.json_body::<ProgramResponse>("The program (any outcome status)")}),
            doc.errors(&[("400", "Business validation failed (`VALIDATION_FAILED`) or the floor exceeds the target (`INVALID_FLOOR_OVERRIDE`)."), BAD_BODY, UNSUPPORTED, TOO_LARGE, UNAUTHORIZED, FORBIDDEN_ROLE, PLANNER_DOWN, INTERNAL]),
        ),
    }});

    let created_run = json!({"type": "object", "required": ["run_id", "status"], "properties": {
        "run_id": {"type": "string", "format": "uuid"},
        "status": {"type": "string", "enum": ["completed", "failed"]},
        "response": doc.schema::<ProgramResponse>(),
        "error": {"type": "string", "description": "Why the run failed (one line per problem)."}},
        "description": "`response` is present for completed runs, `error` for failed ones."});
    let runs = json!({
        "post": {
            "summary": "Plan and run a program, and store the run",
            "description": "Answers 201 once the run is committed. A request that fails business validation is stored as a failed run (also 201).",
            "operationId": "createRun",
            "parameters": [fund_param],
            "requestBody": {"required": true, "content": {"application/json": {"schema": program_request}}},
            "responses": merge(
                json!({"201": {"description": "Run stored", "content": {"application/json": {"schema": created_run}}}}),
                doc.errors(&[("400", "The floor exceeds the target (`INVALID_FLOOR_OVERRIDE`)."), BAD_BODY, UNSUPPORTED, TOO_LARGE, UNAUTHORIZED, FORBIDDEN_FUND, PLANNER_DOWN, INTERNAL]),
            ),
        },
        "get": {
            "summary": "List stored runs, newest first",
            "operationId": "listRuns",
            "parameters": [fund_param, prefix_param, before_param("run"), limit_param],
            "responses": merge(
                json!({"200": {"description": "Run summaries", "content": {"application/json": {"schema": {"type": "array", "items": doc.schema::<RunListItem>()}}}}}),
                doc.errors(&[("422", "`limit` is not an integer in 1–100, or `before` names no stored run."), UNAUTHORIZED, INTERNAL]),
            ),
        },
    });
    let run = json!({"get": {
        "summary": "Fetch one stored run",
        "operationId": "getRun",
        "parameters": [{"name": "run_id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": merge(
            json!({"200": doc.json_body::<RunRecord>("The run")}),
            doc.errors(&[("404", "No run with that id (`NOT_FOUND`), or it belongs to a fund outside the key's."), UNAUTHORIZED, INTERNAL]),
        ),
    }});

    let plan = json!({"post": {
        "summary": "Preview the spec a request would run",
        "description": "Plans the request's brief (or takes its `selector_spec`), applies the overrides and validates the spec, without running the engine. Each non-null spec field is listed with its source (`brief`, `default`, `user_override`, `portfolio`); `warnings` say what the planner could not read or ignored. Send the (edited) spec back as `selector_spec` to run exactly it.",
        "operationId": "planProgram",
        "requestBody": {"required": true, "content": {"application/json": {"schema": program_request}}},
        "responses": merge(
            json!({"200": doc.json_body::<PlanPreview>("The planned spec with its provenance")}),
            doc.errors(&[("400", "Business validation failed (`VALIDATION_FAILED`) or the floor exceeds the target (`INVALID_FLOOR_OVERRIDE`)."), BAD_BODY, UNSUPPORTED, TOO_LARGE, UNAUTHORIZED, FORBIDDEN_ROLE, PLANNER_DOWN, INTERNAL]),
        ),
    }});

    let analysis_errors = [
        (
            "400",
            "Business validation failed (`VALIDATION_FAILED`) or the floor exceeds the target (`INVALID_FLOOR_OVERRIDE`).",
        ),
        (
            "422",
            "The body does not parse or breaks a range rule (`INVALID_REQUEST`), one entry per field: e.g. `points` outside 2–50, `metric` unknown, `axes` not two, `axes[0].values` empty or over 9, `axes[1].values[2]` out of its parameter's range.",
        ),
        UNSUPPORTED,
        TOO_LARGE,
        UNAUTHORIZED,
        FORBIDDEN_FUND,
        PLANNER_DOWN,
        INTERNAL,
    ];
    let frontier = json!({"post": {
        "summary": "Trace the frontier of gross proceeds against a credit metric",
        "description": "The most gross proceeds for each ceiling on `metric` (`reported_leverage`, `lease_adjusted_leverage`, `covenant_leverage`, `new_rent`, `critical_fraction`), under every other hard constraint and filter of the spec (the request's `selector_spec`, or the planner's), at up to `points` (2–50) ceilings between the lowest metric any program reaches and the metric of the program with the most proceeds. Each point is an exact optimum of the engine's optimiser (`proven: false` when its node budget ran out); points are strictly non-dominated and sorted by proceeds. The target is not a constraint of the frontier. Stores nothing. See docs/analyses.md.",
        "operationId": "createFrontier",
        "parameters": [fund_param],
        "requestBody": {"required": true, "content": {"application/json": {"schema": doc.schema::<FrontierRequest>()}}},
        "responses": merge(
            json!({"200": doc.json_body::<Frontier>("The frontier")}),
            doc.errors(&analysis_errors),
        ),
    }});
    let sensitivity = json!({"post": {
        "summary": "Run a sensitivity grid over two parameters",
        "description": "Runs the request's program (its `selection_strategy`, greedy when null) for every combination of the two `axes` (`cap_rate_shift_bps`, `rent_multiplier`, `cost_of_debt`, `target_amount`, `max_net_leverage`; 2–9 values each). A cell equals the first program of `POST /api/runs` with the cell's values (no revision loop). Cells are row-major; `base` marks the request's own values. Stores nothing. See docs/analyses.md.",
        "operationId": "createSensitivity",
        "parameters": [fund_param],
        "requestBody": {"required": true, "content": {"application/json": {"schema": doc.schema::<SensitivityRequest>()}}},
        "responses": merge(
            json!({"200": doc.json_body::<SensitivityGrid>("The grid")}),
            doc.errors(&analysis_errors),
        ),
    }});

    let funds = json!({"get": {
        "summary": "List the fund ids that have runs, sorted",
        "operationId": "listFunds",
        "responses": merge(
            json!({"200": {"description": "Fund ids", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}}),
            doc.errors(&[UNAUTHORIZED, INTERNAL]),
        ),
    }});

    let me = json!({"get": {
        "summary": "Who the request acts as",
        "description": "The API key's (or the trusted proxy's user's) name, role and funds (`null` = every fund). In open mode (no keys configured) the name is `null` and the role `admin`.",
        "operationId": "getMe",
        "responses": merge(
            json!({"200": doc.json_body::<Identity>("The caller")}),
            doc.errors(&[UNAUTHORIZED, INTERNAL]),
        ),
    }});

    let set_body = json!({"type": "object", "required": ["scenario_set", "runs"], "properties": {
        "scenario_set": doc.schema::<ScenarioSetSummary>(),
        "runs": {"type": "array", "items": doc.schema::<RunRecord>(), "description": "Full runs in scenario order; failed scenarios carry `error` instead of `response`."}}});
    let scenario_sets = json!({
        "post": {
            "summary": "Generate scenario variants of a brief, run them and store the set",
            "description": "The planner proposes `num_scenarios` variants (the first is the base case); each runs as a program on the same portfolio (a configurable number at a time, 4 by default). The base case keeps its target; variants may be cut to 90 % by the revision loop. A failing scenario becomes a failed run; the set and its runs are stored in one transaction.",
            "operationId": "createScenarioSet",
            "requestBody": {"required": true, "content": {"application/json": {"schema": doc.schema::<ScenarioSetRequest>()}}},
            "responses": merge(
                json!({"201": {"description": "Set stored", "content": {"application/json": {"schema": set_body}}}}),
                doc.errors(&[BAD_BODY, UNSUPPORTED, TOO_LARGE, UNAUTHORIZED, FORBIDDEN_FUND, PLANNER_DOWN, INTERNAL]),
            ),
        },
        "get": {
            "summary": "List scenario sets, newest first",
            "operationId": "listScenarioSets",
            "parameters": [limit_param, before_param("scenario set")],
            "responses": merge(
                json!({"200": {"description": "Set summaries", "content": {"application/json": {"schema": {"type": "array", "items": doc.schema::<ScenarioSetSummary>()}}}}}),
                doc.errors(&[("422", "`limit` is not an integer in 1–100, or `before` names no stored set."), UNAUTHORIZED, INTERNAL]),
            ),
        },
    });
    let scenario_set = json!({"get": {
        "summary": "Fetch one scenario set with its runs",
        "operationId": "getScenarioSet",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": merge(
            json!({"200": {"description": "The set", "content": {"application/json": {"schema": set_body}}}}),
            doc.errors(&[("404", "No set with that id (`NOT_FOUND`), or its runs belong to a fund outside the key's."), UNAUTHORIZED, INTERNAL]),
        ),
    }});

    let ready = json!({"get": {"summary": "Readiness: whether this server's store answers", "operationId": "ready", "security": [],
        "description": "200 when the store answers a probe within 2 s; 503 `STORE_UNAVAILABLE` (with `Retry-After`) when the database is down, full or gone. `/health` stays liveness. Neither is rate-limited, capped or host-checked.",
        "responses": merge(
            json!({"200": {"description": "Ready", "content": {"application/json": {"schema": {
                "type": "object", "required": ["status"], "properties": {"status": {"type": "string", "const": "ready"}}}}}}}),
            doc.errors(&[("503", "The store is unavailable (`STORE_UNAVAILABLE`, `Retry-After`).")]),
        ),
    }});
    let idempotency_key = json!({"name": "Idempotency-Key", "in": "header", "required": false,
        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": "Makes a retry safe: a request with the key of a stored one (same method, path, query, body and caller) gets that stored result (201, header `Idempotent-Replayed: true`) instead of running again; the key with another request is a 422 `IDEMPOTENCY_KEY_REUSED`."});
    let mut paths = json!({
        "/health": health,
        "/ready": ready,
        "/program": program,
        "/api/runs": runs,
        "/api/runs/{run_id}": run,
        "/api/funds": funds,
        "/api/me": me,
        "/api/plan": plan,
        "/api/analyses/frontier": frontier,
        "/api/analyses/sensitivity": sensitivity,
        "/api/scenario_sets": scenario_sets,
        "/api/scenario_sets/{id}": scenario_set,
    });
    let limits = doc.errors(&[HOST, RATE_LIMITED, BUSY_OR_STORE_DOWN]);
    for (path, operations) in paths.as_object_mut().into_iter().flatten() {
        if path == "/health" || path == "/ready" {
            continue;
        }
        for (method, operation) in operations.as_object_mut().into_iter().flatten() {
            if method == "post" && (path == "/api/runs" || path == "/api/scenario_sets") {
                let parameters = operation["parameters"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let mut parameters = parameters;
                parameters.push(idempotency_key.clone());
                operation["parameters"] = parameters.into();
            }
            let responses = &mut operation["responses"];
            let mut extra = limits.clone();
            // The planner's 503s keep their description, extended.
            if let Some(planner) = responses.get("503").and_then(|r| r["description"].as_str()) {
                extra["503"]["description"] =
                    format!("{planner} Or: {}", BUSY_OR_STORE_DOWN.1).into();
            }
            if method == "post" {
                extra = merge(extra, doc.errors(&[BODY_TIMEOUT]));
            }
            *responses = merge(responses.take(), extra);
        }
    }

    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "SLB Planner API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Plan sale-leaseback programs: a plain-English brief becomes a structured spec, a deterministic engine picks the assets to sell within the covenants, and every run is explained and audited. Wire-compatible with the reference SLB Agent API; errors use one JSON shape (`ErrorResponse`).",
        },
        "paths": paths,
        // Every operation needs a key unless it says otherwise (`security: []`); in open mode
        // (no keys configured, loopback) the server accepts requests without one.
        "security": [{"bearerAuth": []}],
        "components": {
            "schemas": doc.generator.take_definitions(true),
            "securitySchemes": {"bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "An API key from `slb keys create NAME --role viewer|analyst|admin [--fund F ...]`, sent as `Authorization: Bearer <token>`. Viewers read; analysts also run planners and create runs and sets; a key limited to funds sees and writes only those.",
            }},
        },
    })
}

/// `GET /api/openapi.json` and the Swagger UI at `/api/docs` (assets embedded, works offline).
pub fn docs_router() -> Router<AppState> {
    Router::new().merge(SwaggerUi::new(DOCS_PATH).external_url_unchecked(DOCUMENT_PATH, document()))
}
