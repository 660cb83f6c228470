//! The sensitivity grid: the request's program under every combination of two parameters.
//!
//! A cell is exactly what a run of the request would select with the cell's two values
//! written into it (`assumptions.cap_rate_shift_bps`, `assumptions.rent_multiplier`,
//! `assumptions.cost_of_debt`, the spec's `target_amount` or
//! `hard_constraints.max_net_leverage`) with the request's strategy — before any revision:
//! a grid asks "what if", and a revision loop relaxing each cell's spec differently would blur
//! the axes. So a cell equals the outcome of `POST /api/runs` with the cell's values and
//! `max_iterations: 1` (and of every run whose first program is feasible). Cells are
//! independent, solved in parallel and returned row-major in axis order.

use rayon::prelude::*;

use super::{Counter, Progress};
use crate::config::EngineConfig;
use crate::credit::credit_analysis;
use crate::model::{
    Assumptions, CorporateState, CreditMetricName, Portfolio, ProgramOutcome, SelectionStatus,
    SelectionStrategy, SelectorSpec, SensitivityAxis, SensitivityBase, SensitivityCell,
    SensitivityGrid, SensitivityParameter,
};
use crate::selection::optimal::select_optimal;
use crate::selection::{search_limits, select_with};

/// What a grid runs on. Unlike a frontier it needs the configuration *before* the request's
/// assumptions: each cell applies its own.
#[derive(Debug, Clone, Copy)]
pub struct GridInput<'a> {
    pub portfolio: &'a Portfolio,
    pub state: &'a CorporateState,
    /// The spec (the request's or the planner's, overrides applied).
    pub spec: &'a SelectorSpec,
    /// The server's (or CLI's) engine configuration, without the request's assumptions.
    pub base_config: &'a EngineConfig,
    pub assumptions: Option<&'a Assumptions>,
    pub strategy: SelectionStrategy,
}

/// The spec and assumptions of one cell: the request's with `values[i]` written into
/// `axes[i].parameter`.
pub fn cell_inputs(
    spec: &SelectorSpec,
    assumptions: Option<&Assumptions>,
    settings: &[(SensitivityParameter, f64)],
) -> (SelectorSpec, Assumptions) {
    let mut spec = spec.clone();
    let mut assumptions = assumptions.cloned().unwrap_or_default();
    for &(parameter, value) in settings {
        match parameter {
            SensitivityParameter::CapRateShiftBps => assumptions.cap_rate_shift_bps = Some(value),
            SensitivityParameter::RentMultiplier => assumptions.rent_multiplier = Some(value),
            SensitivityParameter::CostOfDebt => assumptions.cost_of_debt = Some(value),
            SensitivityParameter::TargetAmount => spec.target_amount = value,
            SensitivityParameter::MaxNetLeverage => {
                spec.hard_constraints.max_net_leverage = Some(value)
            }
        }
    }
    (spec, assumptions)
}

/// Runs the grid over `axes` (two, validated by the request).
pub fn sensitivity(
    input: &GridInput<'_>,
    axes: &[SensitivityAxis],
    progress: Progress<'_>,
) -> SensitivityGrid {
    let rows = axes.first().map_or(0, |a| a.values.len());
    let columns = axes.get(1).map_or(1, |a| a.values.len());
    let counter = Counter::new(rows * columns, progress);
    let cells: Vec<SensitivityCell> = (0..rows * columns)
        .into_par_iter()
        .map(|index| {
            let (row, col) = (index / columns, index % columns);
            let settings: Vec<(SensitivityParameter, f64)> = axes
                .iter()
                .zip([row, col])
                .map(|(axis, k)| (axis.parameter, axis.values[k]))
                .collect();
            let cell = run_cell(input, &settings, row, col);
            counter.advance(1);
            cell
        })
        .collect();
    SensitivityGrid {
        axes: axes.to_vec(),
        strategy: input.strategy,
        base: base(input, axes),
        cells,
        selector_spec: input.spec.clone(),
    }
}

fn run_cell(
    input: &GridInput<'_>,
    settings: &[(SensitivityParameter, f64)],
    row: usize,
    col: usize,
) -> SensitivityCell {
    let (spec, assumptions) = cell_inputs(input.spec, input.assumptions, settings);
    let config = input.base_config.for_run(Some(&assumptions));
    let (outcome, proven) = program(input, &spec, &config);
    let credit = credit_analysis(
        &outcome,
        input.state,
        &spec.hard_constraints,
        &config,
        Some(&assumptions),
    );
    let lease_adjusted_leverage = credit
        .metrics
        .iter()
        .find(|m| m.name == CreditMetricName::LeaseAdjustedLeverage)
        .and_then(|m| m.after);
    SensitivityCell {
        row: row as i64,
        col: col as i64,
        status: outcome.status,
        feasible: outcome.status == SelectionStatus::Ok,
        proceeds: outcome.proceeds,
        assets_sold: outcome.selected_assets.len() as i64,
        reported_leverage: outcome.leverage_after,
        lease_adjusted_leverage,
        after_tax_cost: credit.transaction.slb_cost_of_capital,
        proven,
    }
}

/// The program a run's first iteration selects, and for `optimal` whether it is proven.
fn program(
    input: &GridInput<'_>,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> (ProgramOutcome, Option<bool>) {
    match input.strategy {
        SelectionStrategy::Greedy => (
            select_with(
                SelectionStrategy::Greedy,
                input.portfolio,
                input.state,
                spec,
                config,
            ),
            None,
        ),
        SelectionStrategy::Optimal => {
            let result = select_optimal(
                input.portfolio,
                input.state,
                spec,
                config,
                &search_limits(config),
            );
            (result.outcome, Some(result.report.proven))
        }
    }
}

/// The request's own value of each axis's parameter, and the row and column holding it.
fn base(input: &GridInput<'_>, axes: &[SensitivityAxis]) -> SensitivityBase {
    let config = input.base_config.for_run(input.assumptions);
    let values: Vec<Option<f64>> = axes
        .iter()
        .map(|axis| match axis.parameter {
            SensitivityParameter::CapRateShiftBps => Some(
                input
                    .assumptions
                    .and_then(|a| a.cap_rate_shift_bps)
                    .unwrap_or(0.0),
            ),
            SensitivityParameter::RentMultiplier => Some(config.slb_rent_multiplier),
            SensitivityParameter::CostOfDebt => Some(config.avg_cost_of_debt),
            SensitivityParameter::TargetAmount => Some(input.spec.target_amount),
            SensitivityParameter::MaxNetLeverage => input.spec.hard_constraints.max_net_leverage,
        })
        .collect();
    let position = |axis: Option<&SensitivityAxis>, value: Option<&Option<f64>>| {
        let (axis, value) = (axis?, (*value?)?);
        axis.values
            .iter()
            .position(|&v| v == value)
            .map(|k| k as i64)
    };
    SensitivityBase {
        row: position(axes.first(), values.first()),
        col: position(axes.get(1), values.get(1)),
        values,
    }
}
