//! `run_program` against the reference's orchestrator cases, driven by a planner double that
//! behaves like the reference's mock LLM client (SPEC §9.3, fixtures/reference/README.md).

use testkit::parity;

use std::sync::Mutex;

use agent::{Planner, PlannerError, PortfolioContext, RunError, RunSettings, run_program};
use async_trait::async_trait;
use engine::model::{
    ExplanationNode, HardConstraints, NodeCategory, Objective, ProgramOutcome, ProgramRequest,
    ProgramType, ScenarioDefinition, SelectorSpec, Severity,
};
use serde_json::{Value, json};

/// The reference's MockLLMClient, reproduced from its documented behaviour.
struct ReferenceMock {
    default_target_amount: f64,
    revision_target_reduction: f64,
    calls: Mutex<CallCounts>,
    summaries_seen: Mutex<Vec<String>>,
}

#[derive(Default)]
struct CallCounts {
    generate: u64,
    revise: u64,
    summary: u64,
}

impl ReferenceMock {
    fn parse_amount(text: &str) -> Option<f64> {
        let patterns = [
            (r"\$(\d+(?:\.\d+)?)\s*[Mm](?:illion)?", 1e6),
            (r"\$(\d+(?:\.\d+)?)\s*[Bb](?:illion)?", 1e9),
            (r"(\d+(?:\.\d+)?)\s*[Mm](?:illion)?\s*(?:dollars?)?", 1e6),
        ];
        patterns.iter().find_map(|(pattern, scale)| {
            let re = regex::Regex::new(pattern).unwrap();
            re.captures(text)
                .map(|c| c[1].parse::<f64>().unwrap() * scale)
        })
    }

    fn objective(text: &str) -> Objective {
        let lower = text.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
        if has(&["maximize", "max proceeds", "as much as"]) {
            Objective::MaximizeProceeds
        } else if has(&["minimize risk", "low risk", "conservative"]) {
            Objective::MinimizeRisk
        } else {
            Objective::Balanced
        }
    }
}

#[async_trait]
impl Planner for ReferenceMock {
    fn name(&self) -> String {
        "reference-mock".into()
    }

    async fn generate_selector_spec(
        &self,
        program_type: ProgramType,
        brief: &str,
        portfolio: &PortfolioContext,
    ) -> Result<SelectorSpec, PlannerError> {
        self.calls.lock().unwrap().generate += 1;
        self.summaries_seen
            .lock()
            .unwrap()
            .push(portfolio.summary.clone());
        let target = Self::parse_amount(brief).unwrap_or(self.default_target_amount);
        let mut spec = SelectorSpec::new(Self::objective(brief), target);
        spec.program_type = program_type;
        spec.hard_constraints = HardConstraints {
            max_net_leverage: Some(4.0),
            min_fixed_charge_coverage: Some(3.0),
            ..HardConstraints::default()
        };
        Ok(spec)
    }

    async fn revise_selector_spec(
        &self,
        _brief: &str,
        previous: &SelectorSpec,
        _outcome: &ProgramOutcome,
    ) -> Result<SelectorSpec, PlannerError> {
        self.calls.lock().unwrap().revise += 1;
        let mut spec = previous.clone();
        spec.target_amount = previous.target_amount * (1.0 - self.revision_target_reduction);
        spec.asset_filters.min_leaseability_score = previous
            .asset_filters
            .min_leaseability_score
            .map(|v| (v - 0.1).max(0.0));
        spec.asset_filters.max_criticality = previous
            .asset_filters
            .max_criticality
            .map(|v| (v + 0.1).min(1.0));
        spec.time_horizon_years = None;
        Ok(spec)
    }

    async fn generate_explanation_summary(
        &self,
        nodes: &[ExplanationNode],
    ) -> Result<String, PlannerError> {
        self.calls.lock().unwrap().summary += 1;
        let errors: Vec<&str> = nodes
            .iter()
            .filter(|n| n.category == NodeCategory::Constraint && n.severity == Severity::Error)
            .map(|n| n.label.as_str())
            .collect();
        if !errors.is_empty() {
            let first_two: Vec<&str> = errors.into_iter().take(2).collect();
            return Ok(format!(
                "The selection was unable to meet all requirements. Key issues: {}. Consider reducing the target or relaxing filters.",
                first_two.join(", ")
            ));
        }
        let mut text = String::from("Successfully structured the SLB program.");
        if let Some(driver) = nodes.iter().find(|n| n.category == NodeCategory::Driver) {
            text.push_str(&format!(" Key driver: {}.", driver.label));
        }
        if let Some(risk) = nodes.iter().find(|n| n.category == NodeCategory::Risk) {
            text.push_str(&format!(" Note: {} should be monitored.", risk.label));
        }
        Ok(text)
    }

    async fn generate_scenario_definitions(
        &self,
        _brief: &str,
        _portfolio: &PortfolioContext,
        _num_scenarios: usize,
    ) -> Result<Vec<ScenarioDefinition>, PlannerError> {
        unreachable!("not used by run_program")
    }
}

/// Removes the timestamps the fixtures leave out.
fn strip_timestamps(response: &mut Value) {
    let trace = &mut response["audit_trace"];
    if let Some(obj) = trace.as_object_mut() {
        obj.remove("started_at");
        obj.remove("completed_at");
        for entry in obj["entries"].as_array_mut().unwrap() {
            entry.as_object_mut().unwrap().remove("timestamp");
        }
    }
}

fn check_case(case: &Value) -> Vec<String> {
    let request: ProgramRequest = serde_json::from_value(case["request"].clone()).unwrap();
    let mock = ReferenceMock {
        default_target_amount: case["mock"]["default_target_amount"].as_f64().unwrap(),
        revision_target_reduction: case["mock"]["revision_target_reduction"].as_f64().unwrap(),
        calls: Mutex::new(CallCounts::default()),
        summaries_seen: Mutex::new(Vec::new()),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let result = runtime.block_on(run_program(&request, &mock, &RunSettings::default()));
    let expected = &case["expected"];
    let mut problems = Vec::new();

    match (result, expected.get("error")) {
        (Ok(response), None) => {
            let mut actual = serde_json::to_value(&response).unwrap();
            strip_timestamps(&mut actual);
            // Additive fields (DECISIONS F4) are not in the reference's output.
            problems.extend(parity::diff_subset(&actual, &expected["response"]));
            let seen = mock.summaries_seen.lock().unwrap();
            if seen.first().map(String::as_str) != expected["asset_summary"].as_str() {
                problems.push(format!(
                    "asset summary {seen:?} vs {}",
                    expected["asset_summary"]
                ));
            }
            let calls = mock.calls.lock().unwrap();
            let counts = json!({
                "generate_selector_spec": calls.generate,
                "revise_selector_spec": calls.revise,
                "generate_explanation_summary": calls.summary,
            });
            problems.extend(parity::diff_subset(&counts, &expected["llm_call_counts"]));
        }
        (Err(RunError::Validation { messages, .. }), Some(error)) => {
            if error["kind"] != "validation_error" {
                problems.push(format!(
                    "got validation error {messages:?}, expected {error}"
                ));
            } else {
                let expected_messages: Vec<String> =
                    serde_json::from_value(error["errors"].clone()).unwrap_or_default();
                if messages != expected_messages {
                    problems.push(format!("messages {messages:?} vs {expected_messages:?}"));
                }
            }
        }
        (Err(e @ RunError::InvalidFloor { .. }), Some(error)) => {
            if error["kind"] != "HTTPException" || error["detail"].as_str() != Some(&e.to_string())
            {
                problems.push(format!("got invalid-floor error {e}, expected {error}"));
            }
        }
        (Ok(_), Some(error)) => problems.push(format!("succeeded, expected error {error}")),
        (Err(e), _) => problems.push(format!("failed with {e:?}")),
    }
    problems
}

#[test]
fn run_program_matches_every_reference_orchestrator_case() {
    let count = parity::run_cases("orchestrator_mock", check_case);
    eprintln!("{count} orchestrator cases match the reference");
}
