//! The single-run orchestrator (SPEC §8, DECISIONS F1/F2/F4/F5): validate the request, let the
//! planner write the initial spec, apply the user's overrides, then run the engine in a bounded
//! loop in which the planner may revise the spec within the limits of the revision policy.
//! The result carries the spec that ran, the outcome, an explanation and the full audit trail.

use std::collections::HashSet;

use engine::model::{
    Asset, AuditPhase, AuditTrace, AuditTraceEntry, Explanation, ExplanationNode, FieldProvenance,
    InitialSpecSource, OutcomeSnapshot, PlanPreview, PolicyViolation, ProgramRequest,
    ProgramResponse, SelectionStatus, SelectionStrategy, SelectorSpec, SpecFieldSource,
    SpecSnapshot, TargetSource,
};
use engine::policy::{PolicyDecision, enforce_revision_policy};
use engine::validation::{validate_assets, validate_corporate_state, validate_spec};
use engine::{
    AdviceInputs, EngineConfig, RevisionPolicyConfig, Selection, credit_analysis, credit_insights,
    generate_explanation_nodes, program_advice, select_explained,
};

use crate::clock::now_iso;
use crate::context::PortfolioContext;
use crate::planner::{PlannedSpec, Planner, PlannerError};

/// Why a run could not produce a program.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunError {
    /// Business validation failed; `scope` names the part of the request (`assets`,
    /// `corporate_state`, or `selector_spec` for the planner's initial spec).
    #[error("{}", messages.join("\n"))]
    Validation {
        scope: &'static str,
        messages: Vec<String>,
    },
    /// `floor_override` above the program's target (DECISIONS F2).
    #[error("Floor override ({floor}) cannot exceed target amount ({target})", floor = engine::pyfmt::thousands0(*.floor), target = engine::pyfmt::thousands0(*.target))]
    InvalidFloor { floor: f64, target: f64 },
    /// The planner failed (unreachable, or invalid output after a repair attempt).
    #[error(transparent)]
    Planner(#[from] PlannerError),
}

/// Engine and policy settings of a run.
#[derive(Debug, Clone, Default)]
pub struct RunSettings {
    pub engine: EngineConfig,
    pub policy: RevisionPolicyConfig,
}

/// The initial spec of a request, as the run would start from it: the request's confirmed
/// spec or the planner's, with the overrides applied, each field attributed to its source.
struct InitialSpec {
    planned: PlannedSpec,
    target_source: TargetSource,
    spec_source: InitialSpecSource,
}

async fn initial_spec(
    request: &ProgramRequest,
    planner: &dyn Planner,
) -> Result<InitialSpec, RunError> {
    check("assets", validate_assets(&request.assets))?;
    check(
        "corporate_state",
        validate_corporate_state(&request.corporate_state),
    )?;
    let (mut planned, spec_source) = match &request.selector_spec {
        Some(spec) => (
            PlannedSpec::attributed(
                spec.clone(),
                SpecFieldSource::UserOverride,
                Some("confirmed spec"),
            ),
            InitialSpecSource::Request,
        ),
        None => {
            let context = PortfolioContext::from_assets(&request.assets);
            let planned = planner
                .plan_selector_spec(request.program_type, &request.program_description, &context)
                .await?;
            (planned, InitialSpecSource::Planner)
        }
    };
    check(
        "selector_spec",
        unknown_asset_ids(&planned.spec, &request.assets),
    )?;
    let mut target_source = apply_overrides(request, &mut planned);
    if spec_source == InitialSpecSource::Request {
        target_source = TargetSource::UserOverride;
    }
    planned.align(SpecFieldSource::Brief);
    Ok(InitialSpec {
        planned,
        target_source,
        spec_source,
    })
}

/// The spec a request would run, with where each field came from and what the planner could
/// not read: `POST /api/plan` and `slb plan --explain`. Fails as the run would (validation,
/// floor above the target, planner errors).
pub async fn plan_program(
    request: &ProgramRequest,
    planner: &dyn Planner,
) -> Result<PlanPreview, RunError> {
    let InitialSpec { planned, .. } = initial_spec(request, planner).await?;
    floor_fraction(request.floor_override, planned.spec.target_amount)?;
    check("selector_spec", validate_spec(&planned.spec))?;
    Ok(PlanPreview {
        selector_spec: planned.spec,
        provenance: planned.provenance,
        warnings: planned.warnings,
    })
}

/// Plans and runs one program.
pub async fn run_program(
    request: &ProgramRequest,
    planner: &dyn Planner,
    settings: &RunSettings,
) -> Result<ProgramResponse, RunError> {
    let assets = &request.assets;
    let state = &request.corporate_state;
    let InitialSpec {
        planned,
        target_source,
        spec_source,
    } = initial_spec(request, planner).await?;
    let PlannedSpec {
        spec: initial,
        provenance,
        warnings: planner_warnings,
    } = planned;
    let floor_fraction = floor_fraction(request.floor_override, initial.target_amount)?;
    check("selector_spec", validate_spec(&initial))?;

    let original_target = initial.target_amount;
    let mut trace = AuditTrace {
        entries: Vec::new(),
        original_target,
        floor_target: original_target * floor_fraction,
        floor_fraction,
        target_source,
        started_at: now_iso(),
        completed_at: None,
        rejected_revision_violations: Vec::new(),
        spec_source: Some(spec_source),
    };
    let strategy = request
        .selection_strategy
        .unwrap_or(SelectionStrategy::Greedy);
    let immutable_hard = initial.hard_constraints.clone();
    // DECISIONS F5: the loop bound is the initial spec's, whatever a revision says.
    let max_iterations = initial.max_iterations;

    // The request's market assumptions price every asset of this run (docs/credit.md §1.1).
    let engine = settings.engine.for_run(request.assumptions.as_ref());
    let mut current = initial;
    let mut pending: Vec<PolicyViolation> = Vec::new();
    let mut selection: Selection;
    let mut attempt: i64 = 0;
    loop {
        selection = select_explained(strategy, assets, state, &current, &engine);
        let outcome = &selection.outcome;
        trace.entries.push(AuditTraceEntry {
            iteration: attempt,
            phase: if attempt == 0 {
                AuditPhase::Initial
            } else {
                AuditPhase::Revision
            },
            spec_snapshot: SpecSnapshot::from(&current),
            outcome_snapshot: OutcomeSnapshot::from(outcome),
            policy_violations: std::mem::take(&mut pending),
            target_before: trace.entries.last().map(|e| e.target_after),
            target_after: current.target_amount,
            timestamp: now_iso(),
        });
        if outcome.status != SelectionStatus::Infeasible || attempt + 1 >= max_iterations {
            break;
        }
        let mut revised = planner
            .revise_selector_spec(&request.program_description, &current, outcome)
            .await?;
        revised.max_iterations = current.max_iterations;
        let decision = enforce_revision_policy(
            &immutable_hard,
            original_target,
            &current,
            &revised,
            floor_fraction,
            &settings.policy,
        );
        match decision {
            PolicyDecision::Accepted { spec, violations } => {
                pending = violations;
                current = spec;
            }
            PolicyDecision::Rejected { violations } => {
                trace.rejected_revision_violations = violations;
                break;
            }
        }
        attempt += 1;
    }

    let Selection {
        outcome,
        strategy_nodes,
    } = selection;
    let mut nodes = generate_explanation_nodes(&current, &outcome, state, &engine);
    nodes.extend(strategy_nodes);
    let summary = planner.generate_explanation_summary(&nodes).await?;
    let credit = credit_analysis(
        &outcome,
        state,
        &current.hard_constraints,
        &engine,
        request.assumptions.as_ref(),
    );
    // Advice first: on an infeasible run it is the way forward.
    let mut insights = program_advice(&AdviceInputs {
        portfolio: assets,
        state,
        spec: &current,
        config: &engine,
        strategy,
        outcome: &outcome,
        analysis: &credit,
    });
    note_default_limits(&mut insights, &provenance);
    insights.extend(credit_insights(&outcome, &credit, state, &engine));
    trace.completed_at = Some(now_iso());
    Ok(ProgramResponse {
        selector_spec: current,
        outcome,
        explanation: Explanation { summary, nodes },
        audit_trace: Some(trace),
        credit_analysis: Some(credit),
        insights: Some(insights),
        provenance: Some(provenance),
        planner_warnings: Some(planner_warnings),
    })
}

/// Asset ids a spec names that the portfolio does not have: a confirmed spec must speak of the
/// request's own assets (a misspelt exclusion would otherwise sell the asset it meant).
fn unknown_asset_ids(spec: &SelectorSpec, assets: &[Asset]) -> Vec<String> {
    let known: HashSet<&str> = assets.iter().map(|a| a.asset_id.as_str()).collect();
    let filters = &spec.asset_filters;
    [
        ("exclude_asset_ids", &filters.exclude_asset_ids),
        ("include_asset_ids", &filters.include_asset_ids),
    ]
    .into_iter()
    .flat_map(|(field, ids)| {
        ids.iter()
            .flatten()
            .filter(|id| !known.contains(id.as_str()))
            .map(move |id| format!("asset_filters.{field}: no asset {id:?} in the portfolio"))
    })
    .collect()
}

/// A limit already breached before any sale that the brief never asked for says so: the user
/// can drop or change a planner default, not a covenant they stated.
fn note_default_limits(insights: &mut [ExplanationNode], provenance: &[FieldProvenance]) {
    for insight in insights.iter_mut() {
        let Some(metric) = insight.id.strip_prefix("insight_breached_before_sale_") else {
            continue;
        };
        let field = match metric {
            "leverage" => "hard_constraints.max_net_leverage",
            "interest_coverage" => "hard_constraints.min_interest_coverage",
            "fixed_charge_coverage" => "hard_constraints.min_fixed_charge_coverage",
            "lease_adjusted_leverage" => "hard_constraints.max_lease_adjusted_leverage",
            "covenant_leverage" => "hard_constraints.max_covenant_leverage",
            _ => continue,
        };
        let is_default = provenance
            .iter()
            .any(|p| p.field == field && p.source == SpecFieldSource::Default);
        if let (true, Some(detail)) = (is_default, insight.detail.as_mut()) {
            detail.push_str(
                " This limit is a planner default, not something the brief asked for: state the limit you need in the brief, or override it.",
            );
        }
    }
}

fn check(scope: &'static str, messages: Vec<String>) -> Result<(), RunError> {
    if messages.is_empty() {
        Ok(())
    } else {
        Err(RunError::Validation { scope, messages })
    }
}

/// Writes the request's overrides into the planner's spec (attributing them to the user);
/// returns where the target came from.
fn apply_overrides(request: &ProgramRequest, planned: &mut PlannedSpec) -> TargetSource {
    let overridden = |planned: &mut PlannedSpec, field: &str, note: &str| {
        planned.set_source(field, SpecFieldSource::UserOverride, Some(note.to_owned()));
    };
    if let Some(leverage) = request.max_leverage_override {
        planned.spec.hard_constraints.max_net_leverage = Some(leverage);
        overridden(
            planned,
            "hard_constraints.max_net_leverage",
            "max_leverage_override",
        );
    }
    if let Some(coverage) = request.min_coverage_override {
        planned.spec.hard_constraints.min_fixed_charge_coverage = Some(coverage);
        overridden(
            planned,
            "hard_constraints.min_fixed_charge_coverage",
            "min_coverage_override",
        );
    }
    match request.target_amount_override {
        Some(target) => {
            planned.spec.target_amount = target;
            overridden(planned, "target_amount", "target_amount_override");
            TargetSource::UserOverride
        }
        None => TargetSource::LlmExtraction,
    }
}

/// Share of the original target below which the revision loop may not cut: the user's floor
/// as a fraction of the target, or 1.0 (the target is sacred) without one.
fn floor_fraction(floor_override: Option<f64>, target: f64) -> Result<f64, RunError> {
    match floor_override {
        None => Ok(1.0),
        Some(floor) if floor > target => Err(RunError::InvalidFloor { floor, target }),
        Some(floor) => Ok(floor / target),
    }
}
