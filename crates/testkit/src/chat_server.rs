//! A local OpenAI-compatible chat-completions server whose answers a test scripts call by call.
//!
//! It lets tests and benchmarks drive the agent's real OpenAI client — HTTP, retries, time
//! limits, the repair turn — without a network or a model. Each request is classified by what
//! it asks for ([`CallKind`]) and handed to a responder closure; the answer is sent after a fixed
//! latency. The server keeps a timeline of every exchange and the largest number of requests it
//! was answering at once, so tests can check concurrency bounds and orderings.
//!
//! [`cooperative`] answers like a well-behaved model; tests wrap it to make chosen calls fail.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

/// What a request asks the model for, told apart the way the agent's prompts differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// The initial selector spec of a brief (`selector_spec` schema).
    SelectorSpec,
    /// A revised spec after an infeasible run (`selector_spec` schema, "Original brief:" prompt).
    Revision,
    /// The scenario variants of a brief (`scenario_definitions` schema).
    Scenarios,
    /// The plain-text executive summary (no schema).
    Summary,
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct ChatCall {
    pub kind: CallKind,
    /// The JSON body the client posted.
    pub body: Value,
}

impl ChatCall {
    fn new(body: Value) -> Self {
        let schema = body
            .pointer("/response_format/json_schema/name")
            .and_then(Value::as_str);
        let kind = match schema {
            Some("scenario_definitions") => CallKind::Scenarios,
            Some(_) if first_user_turn(&body).starts_with("Original brief:") => CallKind::Revision,
            Some(_) => CallKind::SelectorSpec,
            None => CallKind::Summary,
        };
        ChatCall { kind, body }
    }

    /// The first user turn (brief and portfolio facts); a repair turn comes after it.
    pub fn prompt(&self) -> &str {
        first_user_turn(&self.body)
    }

    /// The label a scenario's brief ends with (`"Raise $200M [Aggressive]"` → `Aggressive`).
    pub fn scenario_label(&self) -> Option<&str> {
        let brief = self
            .prompt()
            .lines()
            .find_map(|line| {
                line.strip_prefix("Brief: ")
                    .or_else(|| line.strip_prefix("Original brief: "))
            })?
            .trim_end()
            .strip_suffix(']')?;
        brief.rfind(" [").map(|start| &brief[start + 2..])
    }

    /// How many scenarios a [`CallKind::Scenarios`] request asks for ("Propose 3 scenario(s)").
    pub fn requested_scenarios(&self) -> Option<usize> {
        let (_, rest) = self.prompt().split_once("Propose ")?;
        rest.split_whitespace().next()?.parse().ok()
    }

    /// The spec a revision request shows as the one that ran.
    pub fn previous_spec(&self) -> Option<Value> {
        let (_, rest) = self.prompt().split_once("Previous SelectorSpec:\n")?;
        let (spec, _) = rest.split_once("\n\nResult:")?;
        serde_json::from_str(spec).ok()
    }
}

fn first_user_turn(body: &Value) -> &str {
    body["messages"]
        .as_array()
        .and_then(|messages| messages.iter().find(|m| m["role"] == "user"))
        .and_then(|m| m["content"].as_str())
        .unwrap_or("")
}

/// How the server answers one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// 200 with a chat completion whose message is this text.
    Content(String),
    /// This HTTP status with an OpenAI-style error body.
    Error(u16),
    /// No answer at all: only the client's timeout ends the call.
    Hang,
    /// The reply after this much extra waiting on top of the server's latency.
    Delayed(Duration, Box<Reply>),
}

impl Reply {
    /// 200 with `value` serialised as the message text.
    pub fn json(value: Value) -> Self {
        Reply::Content(value.to_string())
    }
}

/// One request and when it was received and answered (`None`: never answered).
#[derive(Debug, Clone)]
pub struct Exchange {
    pub call: ChatCall,
    pub arrived: Instant,
    pub answered: Option<Instant>,
}

type Responder = dyn Fn(&ChatCall) -> Reply + Send + Sync;

struct Shared {
    latency: Duration,
    respond: Box<Responder>,
    exchanges: Mutex<Vec<Exchange>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// A running server; it lives as long as the runtime it was started on.
pub struct ChatServer {
    base_url: String,
    shared: Arc<Shared>,
}

impl ChatServer {
    /// Starts a server on a free loopback port of the current Tokio runtime. Every answer is
    /// sent `latency` after the request arrived; `respond` decides what it is.
    pub async fn start(
        latency: Duration,
        respond: impl Fn(&ChatCall) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let shared = Arc::new(Shared {
            latency,
            respond: Box::new(respond),
            exchanges: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        });
        let app = Router::new()
            .route("/v1/chat/completions", post(chat_completions))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        ChatServer {
            base_url: format!("http://{address}/v1"),
            shared,
        }
    }

    /// The API root to configure the client with (`http://127.0.0.1:PORT/v1`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request so far, in order of arrival.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.shared.exchanges.lock().expect("exchange log").clone()
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.shared.exchanges.lock().expect("exchange log").len()
    }

    /// Requests of one kind received so far.
    pub fn requests_of(&self, kind: CallKind) -> usize {
        let exchanges = self.shared.exchanges.lock().expect("exchange log");
        exchanges.iter().filter(|e| e.call.kind == kind).count()
    }

    /// The most requests that were waiting for their answer at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.shared.max_in_flight.load(Ordering::SeqCst)
    }
}

/// Counts a request as in flight until its handler returns or is dropped (client gone).
struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    fn enter(shared: &'a Shared) -> Self {
        let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        shared.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(&shared.in_flight)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn chat_completions(State(shared): State<Arc<Shared>>, body: axum::body::Bytes) -> Response {
    let _in_flight = InFlight::enter(&shared);
    let arrived = Instant::now();
    let call = ChatCall::new(serde_json::from_slice(&body).unwrap_or(Value::Null));
    let mut reply = (shared.respond)(&call);
    let index = {
        let mut exchanges = shared.exchanges.lock().expect("exchange log");
        exchanges.push(Exchange {
            call,
            arrived,
            answered: None,
        });
        exchanges.len() - 1
    };
    tokio::time::sleep(shared.latency).await;
    let response = loop {
        match reply {
            Reply::Delayed(wait, then) => {
                tokio::time::sleep(wait).await;
                reply = *then;
            }
            Reply::Content(text) => break (StatusCode::OK, axum::Json(completion(&text))),
            Reply::Error(status) => {
                let status = StatusCode::from_u16(status).expect("a valid HTTP status");
                let body = json!({"error": {"message": "scripted failure", "type": "test"}});
                break (status, axum::Json(body));
            }
            Reply::Hang => std::future::pending().await,
        }
    };
    shared.exchanges.lock().expect("exchange log")[index].answered = Some(Instant::now());
    response.into_response()
}

fn completion(text: &str) -> Value {
    json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": text},
            "finish_reason": "stop"
        }]
    })
}

// ---------------------------------------------------------------------------------------------
// A cooperative model
// ---------------------------------------------------------------------------------------------

/// A scenario the cooperative model proposes: label, kind, target as a multiple of the base
/// target, leverage override, coverage override. The order is the one the prompt asks for.
type ScenarioTemplate = (&'static str, &'static str, f64, Option<f64>, Option<f64>);

/// The scenarios [`cooperative`] proposes, the first `n` for a request of `n`.
const SCENARIO_TEMPLATES: [ScenarioTemplate; 5] = [
    ("Base Case", "base", 1.0, None, None),
    ("Conservative", "risk_off", 0.8, Some(3.0), Some(3.5)),
    ("Aggressive", "aggressive", 1.25, None, None),
    ("Geographic Focus", "geo_focus", 1.0, None, None),
    ("Maximum Proceeds", "custom", 1.5, Some(4.5), Some(2.5)),
];

/// The summary text [`cooperative`] writes.
pub const SUMMARY: &str = "The program was evaluated against its target and covenants.";

/// Answers every call validly: a balanced spec for `base_target` (leverage ≤ 4x, fixed-charge
/// coverage ≥ 3x, no filters), the previous spec unchanged for a revision, the first `n` of its
/// five scenario templates (base, conservative, aggressive, geographic focus, maximum proceeds)
/// scaled to `base_target`, and [`SUMMARY`].
pub fn cooperative(call: &ChatCall, base_target: f64) -> Reply {
    match call.kind {
        CallKind::SelectorSpec => Reply::json(spec_json(base_target)),
        CallKind::Revision => Reply::json(
            call.previous_spec()
                .unwrap_or_else(|| spec_json(base_target)),
        ),
        CallKind::Scenarios => {
            let count = call
                .requested_scenarios()
                .unwrap_or(SCENARIO_TEMPLATES.len());
            Reply::json(scenarios_json(base_target, count))
        }
        CallKind::Summary => Reply::Content(SUMMARY.to_owned()),
    }
}

/// A complete selector spec as a strict-mode model writes it (every field present).
pub fn spec_json(target: f64) -> Value {
    json!({
        "program_type": "slb",
        "objective": "balanced",
        "target_amount": target,
        "hard_constraints": {
            "max_net_leverage": 4.0,
            "min_interest_coverage": null,
            "min_fixed_charge_coverage": 3.0,
            "max_critical_fraction": null
        },
        "soft_preferences": {
            "prefer_low_criticality": true,
            "prefer_high_leaseability": true,
            "weight_criticality": 1.0,
            "weight_leaseability": 1.0
        },
        "asset_filters": {
            "include_asset_types": null,
            "exclude_asset_types": null,
            "exclude_markets": null,
            "min_leaseability_score": null,
            "max_criticality": null
        },
        "time_horizon_years": null,
        "max_iterations": 3
    })
}

/// `{"scenarios": [...]}` with the first `count` templates scaled to `base_target`.
fn scenarios_json(base_target: f64, count: usize) -> Value {
    let scenarios: Vec<Value> = SCENARIO_TEMPLATES
        .iter()
        .take(count)
        .map(|(label, kind, multiple, leverage, coverage)| {
            json!({
                "label": label,
                "kind": kind,
                "rationale": format!("{label} variant of the brief."),
                "target_amount": base_target * multiple,
                "max_leverage": leverage,
                "min_coverage": coverage
            })
        })
        .collect();
    json!({ "scenarios": scenarios })
}
