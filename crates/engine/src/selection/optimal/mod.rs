//! The exact optimiser: the `optimal` selection strategy.
//!
//! The greedy walk (SPEC §4.8) adds assets one at a time and skips any that breaks a covenant
//! on its own, so a company that starts above a leverage or coverage limit that no single sale
//! cures sells nothing, even when two sales would. This strategy searches all selections of
//! the eligible assets (same filters) for one that meets every hard constraint and the target
//! of the engine's own check (SPEC §4.5, clamps included), and among those picks the best for
//! the spec's objective ([`objective`]).
//!
//! How: [`problem`] turns the clamped engine rules into proceeds floors and a few linear rows;
//! [`search`](mod@search) runs a depth-first branch and bound over them with relaxation bounds per asset
//! class ([`lp`]), reduced-cost fixing and exact knapsack completion ([`knapsack`]). The model
//! is slightly looser than the engine, so it never rules out a selection the engine accepts;
//! conversely every selection the search keeps is confirmed by the engine's check, summed in
//! the order it is returned (portfolio order), and the outcome's metrics, violations and
//! status come from that check alone.
//!
//! The search is bounded by a node budget, not by a clock, so the same input gives the same
//! output on every machine. A search stopped by the budget returns the best selection found
//! and says that optimality is not proven; it never claims an infeasibility it has not proven.

pub mod explain;
pub mod knapsack;
pub mod lp;
pub mod objective;
pub mod problem;
pub mod search;

use crate::config::{DEFAULT_OPTIMISER_NODE_BUDGET, EngineConfig};
use crate::constraints::{meets_target, satisfies_hard_constraints};
use crate::economics::SelectionTotals;
use crate::filters::apply_filters;
use crate::model::{
    CorporateState, Objective, Portfolio, ProgramOutcome, SelectedAssets, SelectorSpec,
};
use crate::pyfmt;
use crate::selection::{no_eligible_assets_outcome, outcome_for_selection};

pub use explain::strategy_nodes;

use objective::{Quantity, Stage};
use problem::SelectionProblem;
use search::{Budget, search};

/// How far the optimiser may search, and how close to the optimum is close enough.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchLimits {
    /// Branch-and-bound nodes for the whole run, over all stages of the objective. A budget in
    /// nodes rather than seconds keeps results identical on every machine; the default takes
    /// well under a second on a 200-asset portfolio.
    pub max_nodes: u64,
    /// Most proceeds are proven to within this share of the maximum.
    pub relative_gap: f64,
    /// Least proceeds over the threshold and least critical NOI are proven to within this
    /// share of the proceeds threshold. These minima sit against a threshold that no sum of
    /// asset values hits exactly, and telling apart selections that differ by cents is a hard
    /// subset-sum problem of no business value.
    pub threshold_gap: f64,
}

impl Default for SearchLimits {
    fn default() -> Self {
        SearchLimits {
            max_nodes: DEFAULT_OPTIMISER_NODE_BUDGET,
            relative_gap: 1e-10,
            threshold_gap: 1e-6,
        }
    }
}

/// What the optimiser established about the selection problem.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// The returned selection meets every hard constraint and the target.
    Feasible,
    /// Proven: no selection meets the hard constraints and the target. The returned selection
    /// is the one with the most proceeds under the hard constraints alone (`most_proceeds`;
    /// `None` when no selection meets them), proven the most when the report is `proven`.
    Infeasible { most_proceeds: Option<f64> },
    /// The budget ran out before a feasible selection was found, and infeasibility is not
    /// proven. The returned selection raises the most proceeds found under the hard
    /// constraints, if any.
    Undecided { most_proceeds: Option<f64> },
    /// The filters leave no asset.
    NoEligibleAssets,
}

/// How the optimiser's answer came about.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptimalReport {
    pub objective: Objective,
    pub verdict: Verdict,
    /// Whether every search ran to completion (within the gaps): the returned selection is
    /// optimal, and an infeasibility and its most proceeds are proven.
    pub proven: bool,
    /// Branch-and-bound nodes used.
    pub nodes: u64,
}

/// The optimiser's outcome with its report.
#[derive(Debug, Clone, PartialEq)]
pub struct OptimalOutcome {
    pub outcome: ProgramOutcome,
    pub report: OptimalReport,
}

/// Selects assets with the exact optimiser. The outcome is judged by the engine's own check
/// ([`outcome_for_selection`]); the optimiser only adds warnings about what it could not
/// prove or what no selection can reach.
pub fn select_optimal(
    portfolio: &Portfolio,
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
    limits: &SearchLimits,
) -> OptimalOutcome {
    select_optimal_within(
        portfolio,
        state,
        spec,
        config,
        limits,
        &ExtraLimits::default(),
    )
}

/// Limits beyond a spec's hard constraints that an analysis imposes on the optimiser.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ExtraLimits {
    /// The new annual rent of the selection must not exceed this (a frontier against
    /// `new_rent`); checked exactly on every selection kept, like the hard constraints.
    pub max_new_rent: Option<f64>,
}

/// [`select_optimal`] under `extra` limits as well. The outcome's violations still come from
/// the engine's check of the spec alone: an extra limit only narrows what may be chosen.
pub fn select_optimal_within(
    portfolio: &Portfolio,
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
    limits: &SearchLimits,
    extra: &ExtraLimits,
) -> OptimalOutcome {
    let eligible = apply_filters(portfolio, &spec.asset_filters);
    if eligible.is_empty() {
        let report = OptimalReport {
            objective: spec.objective,
            verdict: Verdict::NoEligibleAssets,
            proven: true,
            nodes: 0,
        };
        return OptimalOutcome {
            outcome: no_eligible_assets_outcome(state, config),
            report,
        };
    }
    let mut problem = SelectionProblem::new(&eligible, state, spec, config);
    if let Some(cap) = extra.max_new_rent {
        problem.cap_rent(cap);
    }
    let mut optimiser = Optimiser {
        problem: &problem,
        state,
        spec,
        config,
        limits,
        extra,
        nodes: 0,
        complete: true,
    };
    let (chosen, verdict) = optimiser.solve();
    let report = OptimalReport {
        objective: spec.objective,
        verdict,
        proven: optimiser.complete,
        nodes: optimiser.nodes,
    };
    let mut selected = SelectedAssets::with_capacity(portfolio, chosen.len());
    for &index in &chosen {
        let choice = &problem.choices[index];
        selected.push(
            choice.position,
            choice.contribution.proceeds,
            choice.contribution.slb_rent,
        );
    }
    let mut outcome = outcome_for_selection(selected, state, spec, config);
    outcome.warnings.extend(report_warning(&report, limits));
    OptimalOutcome { outcome, report }
}

/// The warning the optimiser adds to the outcome, if any.
fn report_warning(report: &OptimalReport, limits: &SearchLimits) -> Option<String> {
    let warning = match report.verdict {
        Verdict::Feasible | Verdict::NoEligibleAssets if report.proven => return None,
        Verdict::Feasible | Verdict::NoEligibleAssets => format!(
            "Optimal search stopped at its limit of {} nodes: optimality not proven",
            limits.max_nodes
        ),
        Verdict::Infeasible { most_proceeds: Some(proceeds) } if report.proven => format!(
            "No selection reaches the target within the hard constraints. Most proceeds achievable under the constraints: {}",
            money(proceeds)
        ),
        Verdict::Infeasible { most_proceeds: Some(proceeds) } => format!(
            "No selection reaches the target within the hard constraints. Most proceeds found under the constraints: {} (search limit reached; not proven to be the most)",
            money(proceeds)
        ),
        Verdict::Infeasible { most_proceeds: None } if report.proven => {
            "No selection of the eligible assets meets the hard constraints".to_owned()
        }
        Verdict::Infeasible { most_proceeds: None } => {
            "No selection reaches the target within the hard constraints, and none meeting the hard constraints alone was found within the search limit".to_owned()
        }
        Verdict::Undecided { most_proceeds } => {
            let found = most_proceeds
                .map(|proceeds| format!(" (most proceeds found under the hard constraints: {})", money(proceeds)))
                .unwrap_or_default();
            format!(
                "No feasible selection found within the search limit of {} nodes; infeasibility not proven{found}",
                limits.max_nodes
            )
        }
    };
    Some(warning)
}

/// An amount of money as the optimiser's messages show it: `$` and whole units with thousands
/// separators.
fn money(amount: f64) -> String {
    format!("${}", pyfmt::thousands0(amount))
}

/// Runs the stages of one objective against a shared node budget.
struct Optimiser<'p> {
    problem: &'p SelectionProblem,
    state: &'p CorporateState,
    spec: &'p SelectorSpec,
    config: &'p EngineConfig,
    limits: &'p SearchLimits,
    extra: &'p ExtraLimits,
    nodes: u64,
    /// False as soon as one stage is cut short by the budget.
    complete: bool,
}

impl Optimiser<'_> {
    /// The chosen assets (indices into the eligible list, ascending) and the verdict.
    fn solve(&mut self) -> (Vec<usize>, Verdict) {
        if self.problem.impossible.is_some() {
            return (
                Vec::new(),
                Verdict::Infeasible {
                    most_proceeds: None,
                },
            );
        }
        let required = self.problem.required_proceeds();
        let target_stages = match self.spec.objective {
            Objective::MaximizeProceeds => None,
            Objective::Balanced => Some(self.stage(
                &Stage::minimise(Quantity::Proceeds, required, None),
                None,
                true,
            )),
            Objective::MinimizeRisk => Some(self.least_risk(required)),
        };
        if let Some(Some(chosen)) = target_stages {
            return (chosen, Verdict::Feasible);
        }
        let target_proven_unreachable = target_stages.is_some() && self.complete;
        // Most proceeds under the hard constraints alone: the answer for `maximize_proceeds`,
        // and the best that can be said when no selection reaches the target.
        let most = Stage::maximise_proceeds(self.problem.hard_floor);
        let best = self.stage(&most, None, false);
        let most_proceeds = best
            .as_ref()
            .map(|chosen| self.total(Quantity::Proceeds, chosen));
        let best = best.unwrap_or_default();
        let verdict = if self.passes(&best, true) {
            Verdict::Feasible
        } else if target_proven_unreachable || self.complete {
            Verdict::Infeasible { most_proceeds }
        } else {
            Verdict::Undecided { most_proceeds }
        };
        (best, verdict)
    }

    /// `minimize_risk`: least critical NOI, then least proceeds among the selections that sell
    /// no more critical NOI.
    fn least_risk(&mut self, required: f64) -> Option<Vec<usize>> {
        let safest = self.stage(
            &Stage::minimise(Quantity::CriticalNoi, required, None),
            None,
            true,
        )?;
        let critical_noi = self.total(Quantity::CriticalNoi, &safest);
        let cheapest = Stage::minimise(
            Quantity::Proceeds,
            required,
            Some((Quantity::CriticalNoi, critical_noi)),
        );
        Some(self.stage(&cheapest, Some(&safest), true).unwrap_or(safest))
    }

    /// Runs one stage with what is left of the budget; the best verified selection found.
    fn stage(
        &mut self,
        stage: &Stage,
        start: Option<&[usize]>,
        with_target: bool,
    ) -> Option<Vec<usize>> {
        let program = objective::program(self.problem, stage);
        let absolute_gap = if stage.maximise {
            0.0
        } else {
            self.limits.threshold_gap * self.problem.required_proceeds() / program.scale
        };
        let budget = Budget {
            max_nodes: self.limits.max_nodes.saturating_sub(self.nodes),
            relative_gap: self.limits.relative_gap,
            absolute_gap,
        };
        let mut verify = |chosen: &[usize]| self.passes(chosen, with_target);
        let result = search(&program, budget, start, &mut verify);
        self.nodes += result.nodes;
        self.complete &= result.complete;
        result.best.map(|best| best.items)
    }

    /// The engine's verdict on `chosen`, summed in the order given: no hard-constraint
    /// violation and, `with_target`, no missed target either.
    fn passes(&self, chosen: &[usize], with_target: bool) -> bool {
        let totals = chosen
            .iter()
            .fold(SelectionTotals::default(), |totals, &index| {
                totals.with(self.problem.choices[index].contribution)
            });
        // Without the target, the check's test against a target of 0 (which only negative
        // proceeds miss) still applies.
        let target = if with_target {
            self.spec.target_amount
        } else {
            0.0
        };
        satisfies_hard_constraints(
            &totals,
            self.state,
            &self.spec.hard_constraints,
            self.config,
        ) && meets_target(&totals, target, self.config)
            && self
                .extra
                .max_new_rent
                .is_none_or(|cap| totals.slb_rent <= cap)
    }

    /// `quantity` summed over `chosen` in the order given; 0 (not −0) when nothing is chosen.
    fn total(&self, quantity: Quantity, chosen: &[usize]) -> f64 {
        // A fold from 0.0: an empty `f64` `sum()` is −0.0, which messages print as "-0".
        chosen.iter().fold(0.0, |total, &index| {
            total + quantity.of(self.problem, index)
        })
    }
}
