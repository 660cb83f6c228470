//! Scenario sets (SPEC §11, DECISIONS S1–S5): one brief becomes several variants — base,
//! conservative, aggressive, ... — each run as an ordinary program on the same portfolio and
//! compared side by side.

use std::collections::HashSet;

use engine::model::{
    CheckBounds, ProgramRequest, RunRecord, RunStatus, ScenarioDefinition, ScenarioKind,
    ScenarioSetSummary,
};
use futures::StreamExt;

use engine::economics::baseline_metrics;
use engine::insights::short_money;
use engine::pyfmt;

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

    let mut notes = Vec::new();
    let scenarios = reachable_limits(scenarios, base, settings, &mut notes);
    let scenarios = distinct_specs(scenarios, base, &mut notes);

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
    let runs = distinct_selections(runs, &mut notes);

    Ok(ScenarioSetOutcome {
        summary: ScenarioSetSummary {
            id,
            brief: brief.to_string(),
            created_at,
            run_ids: runs.iter().map(|r| r.run_id.clone()).collect(),
            notes,
        },
        runs,
    })
}

/// A conservative variant may not ask for limits the company cannot reach at its target: a
/// leverage cap below the leverage left after raising the target, or a fixed-charge minimum
/// the company is already below before any sale (each sale adds rent). Such an override is
/// dropped, so the base case's limit applies, and a note says why.
fn reachable_limits(
    scenarios: Vec<ScenarioDefinition>,
    base: &ProgramRequest,
    settings: &RunSettings,
    notes: &mut Vec<String>,
) -> Vec<ScenarioDefinition> {
    let config = settings.engine.for_run(base.assumptions.as_ref());
    let state = &base.corporate_state;
    let baseline = baseline_metrics(state, &config);
    scenarios
        .into_iter()
        .map(|mut scenario| {
            if scenario.kind != ScenarioKind::RiskOff {
                return scenario;
            }
            let repaid = scenario.target_amount.min(state.net_debt);
            let reachable =
                (state.ebitda > config.epsilon).then(|| (state.net_debt - repaid) / state.ebitda);
            if let (Some(limit), Some(reachable)) = (scenario.max_leverage, reachable)
                && limit < reachable
            {
                notes.push(format!(
                    "{}: leverage cap {}x dropped (the base case's applies): raising {} leaves leverage at {}x",
                    scenario.label,
                    pyfmt::fixed(limit, 2),
                    short_money(scenario.target_amount),
                    pyfmt::fixed(reachable, 2),
                ));
                scenario.max_leverage = None;
            }
            if let (Some(minimum), Some(before)) =
                (scenario.min_coverage, baseline.fixed_charge_coverage)
                && minimum > before
            {
                notes.push(format!(
                    "{}: fixed-charge coverage minimum {}x dropped (the base case's applies): coverage is {}x before any sale and sales add rent",
                    scenario.label,
                    pyfmt::fixed(minimum, 2),
                    pyfmt::fixed(before, 2),
                ));
                scenario.min_coverage = None;
            }
            scenario
        })
        .collect()
}

/// Drops a variant whose request would run the same spec as an earlier one (same target and
/// limits: the brief is the same), e.g. a geographic focus that changes nothing the engine
/// sees. The first scenario (the base case) always stays.
fn distinct_specs(
    scenarios: Vec<ScenarioDefinition>,
    base: &ProgramRequest,
    notes: &mut Vec<String>,
) -> Vec<ScenarioDefinition> {
    let key = |scenario: &ScenarioDefinition| {
        let request = build_scenario_request(base, scenario);
        (
            request.target_amount_override.map(f64::to_bits),
            request.max_leverage_override.map(f64::to_bits),
            request.min_coverage_override.map(f64::to_bits),
        )
    };
    let mut kept: Vec<ScenarioDefinition> = Vec::new();
    for scenario in scenarios {
        let twin = kept.iter().find(|other| key(other) == key(&scenario));
        match twin {
            Some(other) => notes.push(format!(
                "{} dropped: it would run the same spec as {}",
                scenario.label, other.label
            )),
            None => kept.push(scenario),
        }
    }
    kept
}

/// Drops a variant that sold exactly the same assets as an earlier one: it adds nothing to
/// the comparison. The base case always stays.
fn distinct_selections(runs: Vec<RunRecord>, notes: &mut Vec<String>) -> Vec<RunRecord> {
    let selection = |run: &RunRecord| {
        run.response.as_ref().map(|response| {
            let mut ids: Vec<&str> = response
                .outcome
                .selected_assets
                .iter()
                .map(|s| s.asset.asset_id.as_str())
                .collect();
            ids.sort_unstable();
            ids.into_iter().map(str::to_owned).collect::<Vec<String>>()
        })
    };
    let mut kept: Vec<RunRecord> = Vec::new();
    for run in runs {
        let twin = selection(&run).and_then(|mine| {
            kept.iter()
                .find(|other| selection(other).as_ref() == Some(&mine))
        });
        match twin {
            Some(other) if !kept.is_empty() => notes.push(format!(
                "{} dropped: it sells the same assets as {}",
                run.scenario_label.as_deref().unwrap_or("a variant"),
                other.scenario_label.as_deref().unwrap_or("another variant"),
            )),
            _ => kept.push(run),
        }
    }
    kept
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
        // The server sets who asked for the set.
        created_by: None,
    }
}
