//! Scenario sets (SPEC §11, DECISIONS S1–S5): one brief becomes several variants — base,
//! conservative, aggressive, ... — each run as an ordinary program on the same portfolio and
//! compared side by side.

use std::collections::HashSet;

use engine::model::{
    CheckBounds, ProgramRequest, RunRecord, RunStatus, ScenarioDefinition, ScenarioKind,
    ScenarioSetSummary,
};
use futures::StreamExt;

use crate::clock::now_iso;
use crate::context::PortfolioContext;
use crate::orchestrator::{RunSettings, run_program};
use crate::planner::{Planner, PlannerError};

/// Largest and smallest number of scenarios in a set.
pub const MAX_SCENARIOS: usize = 5;

/// Share of a variant's target that its revision loop may not cut below (base: 100 %).
pub const VARIANT_FLOOR_FRACTION: f64 = 0.9;

/// What a finished set is made of, ready to be stored in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioSetOutcome {
    pub summary: ScenarioSetSummary,
    /// One run per scenario, in scenario order.
    pub runs: Vec<RunRecord>,
}

/// How a set is run.
#[derive(Debug, Clone)]
pub struct ScenarioSetOptions {
    pub num_scenarios: usize,
    pub fund_id: Option<String>,
    /// Scenarios running at the same time (at least 1).
    pub concurrency: usize,
}

/// The program request of one scenario (DECISIONS S2): the scenario's target as a user
/// override, a floor at the target for the base case and at 90 % for variants, the scenario's
/// covenant overrides (never looser than the base request's own), and the label appended to
/// the brief. Assets and corporate state are
/// copied unchanged.
pub fn build_scenario_request(
    base: &ProgramRequest,
    scenario: &ScenarioDefinition,
) -> ProgramRequest {
    let floor = match scenario.kind {
        ScenarioKind::Base => scenario.target_amount,
        _ => scenario.target_amount * VARIANT_FLOOR_FRACTION,
    };
    ProgramRequest {
        assets: base.assets.clone(),
        corporate_state: base.corporate_state.clone(),
        program_type: base.program_type,
        program_description: format!("{} [{}]", base.program_description, scenario.label),
        floor_override: Some(floor),
        max_leverage_override: tighter(scenario.max_leverage, base.max_leverage_override, f64::min),
        min_coverage_override: tighter(scenario.min_coverage, base.min_coverage_override, f64::max),
        target_amount_override: Some(scenario.target_amount),
        selection_strategy: base.selection_strategy,
        assumptions: base.assumptions.clone(),
        selector_spec: base.selector_spec.clone(),
    }
}

/// A scenario may tighten the user's own covenant overrides but never loosen them.
fn tighter(scenario: Option<f64>, user: Option<f64>, pick: fn(f64, f64) -> f64) -> Option<f64> {
    match (scenario, user) {
        (Some(a), Some(b)) => Some(pick(a, b)),
        (a, b) => a.or(b),
    }
}

/// Checks the scenario contract (DECISIONS S4): the requested count (1–5), first is `base`,
/// unique labels, and every field within its range. Returns every breach.
pub fn contract_breaches(scenarios: &[ScenarioDefinition], requested: usize) -> Vec<String> {
    let mut breaches = Vec::new();
    if scenarios.len() != requested {
        breaches.push(format!(
            "expected exactly {requested} scenarios, got {}",
            scenarios.len()
        ));
    }
    if scenarios
        .first()
        .is_some_and(|s| s.kind != ScenarioKind::Base)
    {
        breaches.push("the first scenario must have kind \"base\"".to_string());
    }
    let mut labels = HashSet::new();
    for (i, scenario) in scenarios.iter().enumerate() {
        if !labels.insert(scenario.label.as_str()) {
            breaches.push(format!(
                "scenarios[{i}].label: {:?} is used twice",
                scenario.label
            ));
        }
        for error in scenario.bounds_errors() {
            breaches.push(format!("scenarios[{i}].{error}"));
        }
    }
    breaches
}

/// Generates the scenarios of a brief and runs each as a program, at most
/// `options.concurrency` at a time. A generation failure fails the whole set (nothing to
/// store); a failing scenario becomes a failed run and the set still completes.
pub async fn run_scenario_set(
    brief: &str,
    base: &ProgramRequest,
    planner: &dyn Planner,
    settings: &RunSettings,
    options: &ScenarioSetOptions,
) -> Result<ScenarioSetOutcome, PlannerError> {
    run_scenario_set_with_progress(brief, base, planner, settings, options, &|_, _| {}).await
}

/// [`run_scenario_set`], calling `on_progress(total, finished_run)` as each scenario finishes
/// (in completion order) — for progress bars.
pub async fn run_scenario_set_with_progress(
    brief: &str,
    base: &ProgramRequest,
    planner: &dyn Planner,
    settings: &RunSettings,
    options: &ScenarioSetOptions,
    on_progress: &(dyn Fn(usize, &RunRecord) + Sync),
) -> Result<ScenarioSetOutcome, PlannerError> {
    let id = uuid::Uuid::new_v4().to_string();
    let created_at = now_iso();
    let requested = options.num_scenarios.clamp(1, MAX_SCENARIOS);
    let context = PortfolioContext::from_assets(&base.assets);
    let scenarios = planner
        .generate_scenario_definitions(brief, &context, requested)
        .await?;
    let breaches = contract_breaches(&scenarios, requested);
    if !breaches.is_empty() {
        return Err(PlannerError::InvalidOutput(format!(
            "scenario definitions break the contract: {}",
            breaches.join("; ")
        )));
    }

    let total = scenarios.len();
    // `buffer_unordered` starts the next scenario as soon as any running one finishes;
    // `buffered` would wait for the oldest, leaving slots idle behind a slow scenario. The
    // index restores scenario order afterwards.
    let mut indexed: Vec<(usize, RunRecord)> =
        futures::stream::iter(scenarios.into_iter().enumerate().map(|(index, scenario)| {
            let request = build_scenario_request(base, &scenario);
            let run = run_scenario(
                request,
                scenario,
                id.clone(),
                options.fund_id.clone(),
                planner,
                settings,
            );
            async move {
                let run = run.await;
                on_progress(total, &run);
                (index, run)
            }
        }))
        .buffer_unordered(options.concurrency.max(1))
        .collect()
        .await;
    indexed.sort_unstable_by_key(|(index, _)| *index);
    let runs: Vec<RunRecord> = indexed.into_iter().map(|(_, run)| run).collect();

    Ok(ScenarioSetOutcome {
        summary: ScenarioSetSummary {
            id,
            brief: brief.to_string(),
            created_at,
            run_ids: runs.iter().map(|r| r.run_id.clone()).collect(),
        },
        runs,
    })
}

async fn run_scenario(
    request: ProgramRequest,
    scenario: ScenarioDefinition,
    set_id: String,
    fund_id: Option<String>,
    planner: &dyn Planner,
    settings: &RunSettings,
) -> RunRecord {
    let run_id = uuid::Uuid::new_v4().to_string();
    let created_at = now_iso();
    let (status, response, error) = match run_program(&request, planner, settings).await {
        Ok(response) => (RunStatus::Completed, Some(response), None),
        Err(e) => (RunStatus::Failed, None, Some(e.to_string())),
    };
    RunRecord {
        run_id,
        fund_id,
        program_description: request.program_description.clone(),
        status,
        response,
        error,
        created_at,
        scenario_set_id: Some(set_id),
        scenario_kind: Some(scenario.kind),
        scenario_label: Some(scenario.label),
        scenario_rationale: Some(scenario.rationale),
        request: Some(request),
    }
}
