//! The selection problem as linear algebra: each eligible asset becomes a 0-1 variable, and
//! every hard constraint of the engine's check (SPEC §4.5) becomes either a lower bound on
//! total proceeds or a linear row.
//!
//! With `P` the proceeds and `R` the rent of a selection, the engine repays `y = min(P, ND)`
//! and is left with interest `z = max(0, I − c·y)`. For positive EBITDA `E`:
//!
//! * leverage `(ND − y)/E ≤ L` holds iff `P ≥ ND − L·E`;
//! * interest coverage `E/z ≥ IC` (or `z ≈ 0`) holds iff `P ≥ (I − max(E/IC, ε))/c`, and can
//!   never hold when that repayment exceeds `ND`;
//! * fixed-charge coverage `E/(z + l0 + R) ≥ F` holds iff `z + l0 + R ≤ E/F`; as
//!   `z = max(0, I − c·P, I − c·ND)` this is the three linear rows `R ≤ E/F − l0`,
//!   `R ≤ E/F − l0 − I + c·ND` and `R − c·P ≤ E/F − l0 − I`;
//! * the critical share `Σ critical NOI / Σ NOI ≤ f` is the row `Σ (k_i − f)·noi_i ≤ 0`.
//!
//! Non-positive EBITDA leaves fewer possibilities (undefined or negative ratios) and is
//! handled case by case. Every row is loosened by a relative 1e-12 so that the model never
//! rejects a selection the engine accepts; the engine's own check has the last word on every
//! selection the optimiser returns.

use crate::EngineConfig;
use crate::economics::{Contribution, asset_metrics};
use crate::model::{Asset, CorporateState, HardConstraints, SelectorSpec};
use crate::scoring::score;

/// Relative loosening of every row, far above float noise and far below any real margin.
pub const ROW_SLACK: f64 = 1e-12;

/// An eligible asset with the numbers the optimiser needs.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Where the asset sits in the portfolio.
    pub position: usize,
    /// Cap rate of the asset's type and market tier.
    pub cap_rate: f64,
    /// Priced by [`asset_metrics`].
    pub contribution: Contribution,
    pub score: f64,
}

/// A linear row `Σ coefficients_i·x_i ≤ rhs` over the eligible assets.
#[derive(Debug, Clone)]
pub struct Row {
    pub coefficients: Vec<f64>,
    pub rhs: f64,
}

impl Row {
    /// The row `Σ coefficients_i·x_i ≤ rhs`, loosened by [`ROW_SLACK`] relative to its
    /// magnitude.
    pub fn loosened(coefficients: Vec<f64>, rhs: f64) -> Row {
        let magnitude = rhs.abs() + coefficients.iter().map(|c| c.abs()).sum::<f64>();
        Row {
            coefficients,
            rhs: rhs + ROW_SLACK * magnitude,
        }
    }
}

/// Why no selection at all can meet the hard constraints, whatever is sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Impossibility {
    /// Leverage is undefined when EBITDA is (nearly) zero.
    LeverageUndefined,
    /// Fixed-charge coverage is undefined or negative when EBITDA is not positive.
    FixedChargeCoverageUnreachable,
    /// Even repaying all net debt leaves too much interest.
    InterestCoverageUnreachable,
    /// Lease-adjusted leverage is undefined when EBITDA + lease expense is not positive.
    LeaseAdjustedLeverageUndefined,
    /// Covenant leverage is undefined when EBITDA does not exceed the new rent, which it
    /// never does when EBITDA is not positive.
    CovenantLeverageUndefined,
}

/// The reduced problem: proceeds floors and linear rows equivalent to the hard constraints.
#[derive(Debug, Clone)]
pub struct SelectionProblem {
    pub choices: Vec<Choice>,
    /// Proceeds the leverage and interest-coverage limits require (0 when they require none).
    pub hard_floor: f64,
    /// Proceeds the target requires: `target × (1 − tolerance)`.
    pub target_floor: f64,
    /// Fixed-charge coverage and critical-share rows.
    pub rows: Vec<Row>,
    /// Whether `rows` include the critical-share row.
    pub has_critical_row: bool,
    /// Whether `rows` include a row with the taxable gain, whose coefficients are not
    /// proportional to proceeds.
    pub has_gain_row: bool,
    /// Whether `rows` include the count of assets sold (one per asset, not proportional to
    /// proceeds).
    pub has_count_row: bool,
    /// Set when no selection can meet the hard constraints.
    pub impossible: Option<Impossibility>,
}

impl SelectionProblem {
    /// Reduces the selection among `eligible` (already filtered) to linear form.
    pub fn new(
        eligible: &[(usize, &Asset)],
        state: &CorporateState,
        spec: &SelectorSpec,
        config: &EngineConfig,
    ) -> Self {
        let choices: Vec<Choice> = eligible
            .iter()
            .map(|&(position, asset)| {
                let metrics = asset_metrics(asset, config);
                Choice {
                    position,
                    cap_rate: metrics.cap_rate,
                    contribution: Contribution::of_asset(asset, &metrics, config),
                    score: score(asset, &spec.soft_preferences),
                }
            })
            .collect();
        let hard = &spec.hard_constraints;
        let mut problem = SelectionProblem {
            choices,
            hard_floor: 0.0,
            target_floor: spec.target_amount * (1.0 - config.target_tolerance),
            rows: Vec::new(),
            has_critical_row: false,
            has_gain_row: false,
            has_count_row: false,
            impossible: None,
        };
        let ebitda = state.ebitda;
        if ebitda.abs() < config.epsilon {
            problem.reduce_without_ebitda(hard);
        } else if ebitda < 0.0 {
            problem.reduce_negative_ebitda(state, hard, config);
        } else {
            problem.reduce_positive_ebitda(state, hard, config);
        }
        problem.reduce_lease_aware(state, hard, config);
        if let Some(limit) = hard.max_assets_sold {
            problem.has_count_row = true;
            problem.push_row(|_| 1.0, limit as f64);
        }
        if let Some(limit) = hard.max_critical_fraction {
            problem.has_critical_row = true;
            problem.push_row(
                |c| {
                    if c.contribution.is_critical {
                        (1.0 - limit) * c.contribution.noi
                    } else {
                        -limit * c.contribution.noi
                    }
                },
                0.0,
            );
        }
        problem
    }

    /// Adds the row `Σ rent_i ≤ cap`: a ceiling on the new rent, which no hard constraint of
    /// a spec sets but a proceeds frontier against the new rent does (crate::analysis).
    pub fn cap_rent(&mut self, cap: f64) {
        self.push_row(|c| c.contribution.slb_rent, cap);
    }

    /// Proceeds every acceptable selection must reach: the hard floor and the target.
    pub fn required_proceeds(&self) -> f64 {
        self.hard_floor.max(self.target_floor)
    }

    /// EBITDA ≈ 0: every post ratio is undefined, which breaks leverage and fixed-charge
    /// coverage and never breaks interest coverage.
    fn reduce_without_ebitda(&mut self, hard: &HardConstraints) {
        if hard.max_net_leverage.is_some() {
            self.impossible = Some(Impossibility::LeverageUndefined);
        } else if hard.min_fixed_charge_coverage.is_some() {
            self.impossible = Some(Impossibility::FixedChargeCoverageUnreachable);
        }
    }

    /// Negative EBITDA: leverage is negative (within any positive cap), fixed-charge coverage
    /// is negative or undefined (always a breach), and interest coverage holds only when no
    /// interest is left.
    fn reduce_negative_ebitda(
        &mut self,
        state: &CorporateState,
        hard: &HardConstraints,
        config: &EngineConfig,
    ) {
        if hard.min_fixed_charge_coverage.is_some() {
            self.impossible = Some(Impossibility::FixedChargeCoverageUnreachable);
            return;
        }
        if hard.min_interest_coverage.is_some() {
            self.require_interest_at_most(config.epsilon, state, config);
        }
    }

    fn reduce_positive_ebitda(
        &mut self,
        state: &CorporateState,
        hard: &HardConstraints,
        config: &EngineConfig,
    ) {
        let ebitda = state.ebitda;
        if let Some(limit) = hard.max_net_leverage {
            self.raise_floor(state.net_debt - limit * ebitda);
        }
        if let Some(limit) = hard.min_interest_coverage {
            self.require_interest_at_most((ebitda / limit).max(config.epsilon), state, config);
        }
        if let Some(limit) = hard.min_fixed_charge_coverage {
            let cost = config.avg_cost_of_debt;
            let budget = ebitda / limit - state.lease_expense.unwrap_or(0.0);
            let rent = |c: &Choice| c.contribution.slb_rent;
            self.push_row(rent, budget);
            self.push_row(
                rent,
                budget - state.interest_expense + cost * state.net_debt,
            );
            self.push_row(
                |c| c.contribution.slb_rent - cost * c.contribution.proceeds,
                budget - state.interest_expense,
            );
        }
    }

    /// The lease-aware leverage limits (docs/credit.md §4). The repayment is
    /// `D = min(ND, P, P − τG)`, so `D ≥ y` is the three rows `ND ≥ y`, `P ≥ y` and
    /// `P − τG ≥ y`; each limit asks `D ≥` something linear in the rent `R`.
    fn reduce_lease_aware(
        &mut self,
        state: &CorporateState,
        hard: &HardConstraints,
        config: &EngineConfig,
    ) {
        if self.impossible.is_some() {
            return;
        }
        let (net_debt, ebitda) = (state.net_debt, state.ebitda);
        let leases = state.lease_expense.unwrap_or(0.0);
        let tax_rate = config.credit.tax_rate;
        if let Some(limit) = hard.max_lease_adjusted_leverage {
            let ebitdar = ebitda + leases;
            if ebitdar <= config.epsilon {
                self.impossible = Some(Impossibility::LeaseAdjustedLeverageUndefined);
                return;
            }
            // D ≥ ND + m·(L0 + R) − λ·(E + L0).
            let multiple = config.credit.lease_multiple;
            let budget = limit * ebitdar - multiple * leases;
            self.push_repayment_rows(
                |c| multiple * c.contribution.slb_rent,
                budget,
                budget - net_debt,
                tax_rate,
            );
        }
        if let Some(limit) = hard.max_covenant_leverage {
            if ebitda <= config.epsilon {
                self.impossible = Some(Impossibility::CovenantLeverageUndefined);
                return;
            }
            // E − R > ε, and D ≥ ND − λ·(E − R).
            self.push_row(|c| c.contribution.slb_rent, ebitda - config.epsilon);
            self.push_repayment_rows(
                |c| limit * c.contribution.slb_rent,
                limit * ebitda,
                limit * ebitda - net_debt,
                tax_rate,
            );
        }
    }

    /// `D ≥ ND + Σ need_i − budget` as its three rows: `Σ need_i ≤ budget` (against `ND`),
    /// `Σ (need_i − p_i) ≤ budget − ND` (against `P`) and, when tax is charged,
    /// `Σ (need_i − p_i + τ·g_i) ≤ budget − ND` (against `P − τG`).
    fn push_repayment_rows(
        &mut self,
        need: impl Fn(&Choice) -> f64,
        budget: f64,
        budget_less_debt: f64,
        tax_rate: f64,
    ) {
        self.push_row(&need, budget);
        self.push_row(|c| need(c) - c.contribution.proceeds, budget_less_debt);
        if tax_rate > 0.0 {
            self.has_gain_row = true;
            self.push_row(
                |c| need(c) - c.contribution.proceeds + tax_rate * c.contribution.taxable_gain,
                budget_less_debt,
            );
        }
    }

    /// Interest after the sale must not exceed `max_interest`: the repayment must reach
    /// `(I − max_interest)/c`, which needs at least that much proceeds and is impossible
    /// beyond the net debt.
    fn require_interest_at_most(
        &mut self,
        max_interest: f64,
        state: &CorporateState,
        config: &EngineConfig,
    ) {
        let repayment = (state.interest_expense - max_interest) / config.avg_cost_of_debt;
        if repayment > state.net_debt * (1.0 + ROW_SLACK) {
            self.impossible = Some(Impossibility::InterestCoverageUnreachable);
        } else {
            self.raise_floor(repayment);
        }
    }

    fn raise_floor(&mut self, proceeds: f64) {
        let loosened = proceeds - ROW_SLACK * proceeds.abs();
        self.hard_floor = self.hard_floor.max(loosened);
    }

    fn push_row(&mut self, coefficient: impl Fn(&Choice) -> f64, rhs: f64) {
        let coefficients = self.choices.iter().map(coefficient).collect();
        self.rows.push(Row::loosened(coefficients, rhs));
    }
}
