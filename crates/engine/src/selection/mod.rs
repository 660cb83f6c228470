//! Asset selection (SPEC §4.8): filter the portfolio, let a strategy pick assets, then judge
//! the pick with the shared constraint check.
//!
//! Strategies only decide *which* eligible assets to sell, in which order; everything the
//! outcome reports (metrics, violations, warnings, status) comes from
//! [`outcome_for_selection`], so every strategy is judged by the same rules.

pub(crate) mod columns;
pub mod greedy;
pub mod optimal;
mod rank;

use crate::config::EngineConfig;
use crate::constraints::check_totals;
use crate::economics::{SelectionTotals, baseline_metrics};
use crate::model::{
    ConstraintViolation, CorporateState, ExplanationNode, Portfolio, ProgramOutcome,
    SelectedAssets, SelectionStatus, SelectionStrategy, SelectorSpec, ViolationCode,
};

/// The reference engine: greedy selection.
pub fn select_assets(
    portfolio: &Portfolio,
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> ProgramOutcome {
    select_with(SelectionStrategy::Greedy, portfolio, state, spec, config)
}

/// Selects assets with the given strategy, within the configuration's node budget.
pub fn select_with(
    strategy: SelectionStrategy,
    portfolio: &Portfolio,
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> ProgramOutcome {
    match strategy {
        SelectionStrategy::Greedy => select_greedy(portfolio, state, spec, config),
        SelectionStrategy::Optimal => {
            optimal::select_optimal(portfolio, state, spec, config, &search_limits(config)).outcome
        }
    }
}

/// An outcome with the explanation nodes its strategy adds to the engine's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub outcome: ProgramOutcome,
    /// Empty for greedy, whose explanation stays exactly the reference's. For `optimal`: which
    /// strategy ran, the most proceeds achievable when the target is out of reach, and why the
    /// pick differs from greedy's.
    pub strategy_nodes: Vec<ExplanationNode>,
}

/// [`select_with`], plus the strategy's explanation nodes.
pub fn select_explained(
    strategy: SelectionStrategy,
    portfolio: &Portfolio,
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> Selection {
    match strategy {
        SelectionStrategy::Greedy => Selection {
            outcome: select_greedy(portfolio, state, spec, config),
            strategy_nodes: Vec::new(),
        },
        SelectionStrategy::Optimal => {
            let result =
                optimal::select_optimal(portfolio, state, spec, config, &search_limits(config));
            let greedy = select_greedy(portfolio, state, spec, config);
            let strategy_nodes = optimal::strategy_nodes(&result, &greedy, state, spec, config);
            Selection {
                outcome: result.outcome,
                strategy_nodes,
            }
        }
    }
}

pub(crate) fn search_limits(config: &EngineConfig) -> optimal::SearchLimits {
    optimal::SearchLimits {
        max_nodes: config.optimiser_node_budget,
        ..optimal::SearchLimits::default()
    }
}

fn select_greedy(
    portfolio: &Portfolio,
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> ProgramOutcome {
    let picks = greedy::select(portfolio, state, spec, config);
    if picks.eligible == 0 {
        return no_eligible_assets_outcome(state, config);
    }
    outcome_for_totals(picks.selected, &picks.totals, state, spec, config)
}

/// The outcome of selling `selected` (in pick order): the final check against the real
/// target decides the violations, warnings and status; before-metrics are the baseline.
pub fn outcome_for_selection(
    selected: SelectedAssets,
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> ProgramOutcome {
    let totals = SelectionTotals::of(&selected, config);
    outcome_for_totals(selected, &totals, state, spec, config)
}

/// [`outcome_for_selection`] for a strategy that already summed its selection: `totals` must
/// be `SelectionTotals::of(&selected)` (checked in debug builds), which saves re-reading every
/// selected asset.
fn outcome_for_totals(
    selected: SelectedAssets,
    totals: &SelectionTotals,
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> ProgramOutcome {
    debug_assert!(
        {
            let (given, summed) = (totals.bits(), SelectionTotals::of(&selected, config).bits());
            // The taxable gain is summed only when a limit reads it.
            let compared = if crate::credit::needs_taxable_gain(&spec.hard_constraints) {
                given.len()
            } else {
                given.len() - 1
            };
            given[..compared] == summed[..compared]
        },
        "totals must be the selection's left-to-right sums"
    );
    let check = check_totals(
        totals,
        state,
        &spec.hard_constraints,
        spec.target_amount,
        config,
    );
    let metrics = check.metrics;
    let status = if !metrics.total_proceeds.is_finite() {
        SelectionStatus::NumericError
    } else if !check.violations.is_empty() {
        SelectionStatus::Infeasible
    } else {
        SelectionStatus::Ok
    };
    ProgramOutcome {
        status,
        selected_assets: selected,
        proceeds: metrics.total_proceeds,
        leverage_before: metrics.baseline.leverage,
        interest_coverage_before: metrics.baseline.interest_coverage,
        fixed_charge_coverage_before: metrics.baseline.fixed_charge_coverage,
        leverage_after: metrics.post.leverage,
        interest_coverage_after: metrics.post.interest_coverage,
        fixed_charge_coverage_after: metrics.post.fixed_charge_coverage,
        critical_fraction: metrics.critical_fraction,
        violations: check.violations,
        warnings: check.warnings,
    }
}

/// The outcome when the filters leave nothing: infeasible with the single
/// `NO_ELIGIBLE_ASSETS` violation, and after-metrics equal to the baseline (the reference
/// reports no target or hard-constraint violations in this case).
pub fn no_eligible_assets_outcome(state: &CorporateState, config: &EngineConfig) -> ProgramOutcome {
    let baseline = baseline_metrics(state, config);
    ProgramOutcome {
        status: SelectionStatus::Infeasible,
        selected_assets: SelectedAssets::default(),
        proceeds: 0.0,
        leverage_before: baseline.leverage,
        interest_coverage_before: baseline.interest_coverage,
        fixed_charge_coverage_before: baseline.fixed_charge_coverage,
        leverage_after: baseline.leverage,
        interest_coverage_after: baseline.interest_coverage,
        fixed_charge_coverage_after: baseline.fixed_charge_coverage,
        critical_fraction: 0.0,
        violations: vec![ConstraintViolation {
            code: ViolationCode::NoEligibleAssets,
            detail: "No assets pass the filter criteria".to_owned(),
            actual: 0.0,
            limit: 1.0,
        }],
        warnings: Vec::new(),
    }
}
