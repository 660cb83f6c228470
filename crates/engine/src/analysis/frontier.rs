//! The proceeds frontier: the most gross proceeds for each ceiling on a credit metric.
//!
//! # What the frontier is
//! A program is judged on two things here: gross proceeds (more is better) and one metric
//! after the program (less is better: leverage, new rent, the critical share). A program is on
//! the frontier when no program meeting the spec's other hard constraints and filters raises
//! at least as much with a metric at most as high, one of them strictly. The target is not a
//! constraint of the frontier (it is drawn on the chart): the frontier says what each metric
//! ceiling allows, whatever was asked.
//!
//! Selling more does not always worsen the metric. Reported leverage falls with every dollar
//! repaid, so the program with the most proceeds also has the least leverage and the frontier
//! is that one point (a note says there is no trade-off). Rent, the critical share and, past
//! the point where proceeds exceed net debt or where cap rates are high, lease-adjusted and
//! covenant leverage rise with proceeds: then the frontier is a staircase from the lowest
//! metric any program reaches to the metric of the program with the most proceeds.
//!
//! # How: an epsilon-constraint sweep, solved exactly
//! 1. `top`: the most proceeds under the spec (the engine's optimiser, `maximize_proceeds`,
//!    target 0). Its metric `m_top` is the highest level worth asking for.
//! 2. The lowest level any program reaches: one solve at the metric's lower bound (0, or
//!    `m_top` when that is negative); when none is feasible there, a bisection of
//!    [`BISECTION_STEPS`] solves between it and `m_top` finds the lowest feasible level to
//!    within 1/2^steps of the range.
//! 3. `points − 2` more levels evenly between the two ends, solved in parallel.
//! 4. Every solve is "most proceeds subject to metric ≤ level and every other hard
//!    constraint": the spec with the metric's hard limit tightened to the level (the existing
//!    rows of docs/selection.md: leverage as a proceeds floor, lease-adjusted and covenant
//!    leverage as the rows of docs/credit.md §4, the critical share as
//!    `Σ (k_i − f)·noi_i ≤ 0`), or for the new rent the extra row `Σ rent_i ≤ level`. Each
//!    answer is the exact optimum of its level (or flagged `proven: false` when the node
//!    budget ran out), confirmed by the engine's own constraint check.
//! 5. Points are sorted by proceeds; a point is kept only when its metric is strictly below
//!    that of every point with more proceeds (ties in proceeds keep the lower metric), so the
//!    points returned are strictly non-dominated among themselves, and, when proven, by every
//!    feasible program (a program dominating a point would have been feasible at that
//!    point's level with more proceeds).
//!
//! Between two levels the frontier may have more steps than the sweep shows: asking for more
//! points reveals them; every point shown is exact.

use rayon::prelude::*;

use super::{Counter, Progress, program_metrics};
use crate::config::EngineConfig;
use crate::economics::{SelectionTotals, baseline_metrics};
use crate::model::{
    CorporateState, CurrentProgram, Frontier, FrontierMetric, FrontierPoint, Objective, Portfolio,
    ProgramMetrics, SelectionStatus, SelectionStrategy, SelectorSpec,
};
use crate::selection::optimal::{ExtraLimits, SearchLimits, select_optimal_within};
use crate::selection::{search_limits, select_with};

/// Solves of the bisection for the lowest feasible level (resolution 1/1024 of the range).
pub const BISECTION_STEPS: usize = 10;

/// Each point's proceeds are proven the most under its ceiling to within this share (about $1
/// per $1M). Under a rent or critical-share ceiling the most proceeds is a knapsack whose
/// relaxation sits a few dollars above every integer answer: proving the last cents costs the
/// whole node budget and buys nothing an analyst can see.
pub const PROCEEDS_GAP: f64 = 1e-6;

/// The ceiling that stands for "defined" when the unbounded program's covenant leverage is not.
const UNDEFINED_CEILING: f64 = 1e9;

/// What an analysis runs on: the portfolio, the company, the spec (the request's or the
/// planner's, overrides applied) and the run's configuration (assumptions applied).
#[derive(Debug, Clone, Copy)]
pub struct AnalysisInput<'a> {
    pub portfolio: &'a Portfolio,
    pub state: &'a CorporateState,
    pub spec: &'a SelectorSpec,
    pub config: &'a EngineConfig,
    /// The strategy of the request's own program (the frontier itself is always exact).
    pub strategy: SelectionStrategy,
}

/// One optimiser run at a metric ceiling.
#[derive(Debug, Clone)]
struct Solve {
    level: Option<f64>,
    /// The program, when one meets every constraint at this level.
    program: Option<Program>,
    proven: bool,
    nodes: u64,
}

#[derive(Debug, Clone)]
struct Program {
    proceeds: f64,
    metric_value: f64,
    asset_ids: Vec<String>,
    metrics: ProgramMetrics,
}

impl Solve {
    fn feasible(&self) -> bool {
        self.program.is_some()
    }
}

/// Traces the frontier of gross proceeds against `metric` with at most `points` points
/// (2–50, validated by the request; clamped here). See the module docs for the method.
pub fn frontier(
    input: &AnalysisInput<'_>,
    metric: FrontierMetric,
    points: usize,
    progress: Progress<'_>,
) -> Frontier {
    let points = points.clamp(2, 50);
    let counter = Counter::new(2 + BISECTION_STEPS + (points - 2), progress);
    let tracer = Tracer {
        input,
        metric,
        limits: SearchLimits {
            max_nodes: input.config.optimiser_node_budget,
            relative_gap: PROCEEDS_GAP,
            ..SearchLimits::default()
        },
    };
    let ((top, current), floor_probe) = rayon::join(
        || {
            rayon::join(
                || {
                    let solve = tracer.solve(None);
                    counter.advance(1);
                    solve
                },
                || tracer.current(),
            )
        },
        || {
            let solve = tracer.solve(Some(tracer.lower_bound()));
            counter.advance(1);
            solve
        },
    );
    // Covenant leverage is undefined once the rent reaches EBITDA: when the program with the
    // most proceeds goes that far, the top end is the most proceeds with a defined value
    // (below a ceiling no real covenant comes near).
    let top = if top.program.is_none() && metric == FrontierMetric::CovenantLeverage {
        tracer.solve(Some(UNDEFINED_CEILING))
    } else {
        top
    };
    let mut frontier = Frontier {
        metric,
        points: Vec::new(),
        proven: top.proven && floor_probe.proven,
        // The top and the probe at the lower bound always run.
        solves: 2,
        node_budget: i64::try_from(input.config.optimiser_node_budget).unwrap_or(i64::MAX),
        metric_before: tracer.metric_before(),
        limit: tracer.spec_limit(),
        target_amount: input.spec.target_amount,
        current,
        selector_spec: input.spec.clone(),
        notes: Vec::new(),
    };
    let Some(top_program) = &top.program else {
        frontier.notes.push(if top.proven {
            "No program meets the spec's hard constraints: there is no frontier.".to_owned()
        } else {
            "No program meeting the spec's hard constraints was found within the node budget."
                .to_owned()
        });
        counter.advance(BISECTION_STEPS + points - 2);
        return frontier;
    };
    let high = top_program.metric_value;
    let mut solves = vec![top.clone(), floor_probe.clone()];
    let top_level = top.level.unwrap_or(high);
    // The lowest feasible level: the lower bound itself, or found by bisection.
    let low = if floor_probe.feasible() {
        counter.advance(BISECTION_STEPS);
        floor_probe
    } else {
        let mut infeasible = tracer.lower_bound();
        let mut feasible = Solve {
            level: Some(high),
            ..top.clone()
        };
        for step in 0..BISECTION_STEPS {
            let range = feasible.level.unwrap_or(high) - infeasible;
            if range <= 1e-12 * high.abs().max(1.0) {
                counter.advance(BISECTION_STEPS - step);
                break;
            }
            let mid = infeasible + range / 2.0;
            let solve = tracer.solve(Some(mid));
            counter.advance(1);
            solves.push(solve.clone());
            if solve.feasible() {
                feasible = solve;
            } else {
                infeasible = mid;
            }
        }
        feasible
    };
    let low_level = low.level.unwrap_or(high);
    let span = high - low_level;
    let inner: Vec<f64> = if span > 1e-12 * high.abs().max(1.0) {
        (1..points - 1)
            .map(|k| low_level + span * k as f64 / (points - 1) as f64)
            .collect()
    } else {
        counter.advance(points - 2);
        Vec::new()
    };
    let swept: Vec<Solve> = inner
        .par_iter()
        .map(|&level| {
            let solve = tracer.solve(Some(level));
            counter.advance(1);
            solve
        })
        .collect();
    solves.extend(swept);
    frontier.solves = solves.len() as i64;
    frontier.proven = solves.iter().all(|s| s.proven);
    // The points: one per feasible solve at a level (the sweep's ends and inner levels).
    let mut candidates: Vec<(f64, Program, bool, u64)> = vec![(
        top_level.min(high),
        top_program.clone(),
        top.proven,
        top.nodes,
    )];
    if let (Some(level), Some(program)) = (low.level, &low.program) {
        candidates.push((level, program.clone(), low.proven, low.nodes));
    }
    let first_swept = solves.len() - inner.len();
    for solve in &solves[first_swept..] {
        if let (Some(level), Some(program)) = (solve.level, &solve.program) {
            candidates.push((level, program.clone(), solve.proven, solve.nodes));
        }
    }
    frontier.points = non_dominated(candidates);
    if frontier.points.len() == 1 {
        frontier.notes.push(format!(
            "No trade-off: the program with the most proceeds also has the lowest {} any program under these constraints reaches.",
            metric_label(metric)
        ));
    }
    if !frontier.proven {
        frontier.notes.push(format!(
            "Some solves stopped at the node budget ({} nodes each): points marked not proven are the best found.",
            input.config.optimiser_node_budget
        ));
    }
    frontier
}

/// The points of `candidates` (level, program, proven, nodes) that no other candidate
/// dominates, sorted by proceeds ascending; of equal points the one solved at the lower level
/// is kept.
fn non_dominated(mut candidates: Vec<(f64, Program, bool, u64)>) -> Vec<FrontierPoint> {
    // Most proceeds first; ties by lower metric, then lower level.
    candidates.sort_by(|a, b| {
        b.1.proceeds
            .total_cmp(&a.1.proceeds)
            .then(a.1.metric_value.total_cmp(&b.1.metric_value))
            .then(a.0.total_cmp(&b.0))
    });
    let mut kept: Vec<FrontierPoint> = Vec::new();
    let mut lowest = f64::INFINITY;
    for (level, program, proven, nodes) in candidates {
        if program.metric_value < lowest {
            lowest = program.metric_value;
            kept.push(FrontierPoint {
                proceeds: program.proceeds,
                metric_value: program.metric_value,
                level,
                assets_sold: program.asset_ids.len() as i64,
                asset_ids: program.asset_ids,
                proven,
                nodes: i64::try_from(nodes).unwrap_or(i64::MAX),
                metrics: program.metrics,
            });
        }
    }
    kept.reverse();
    kept
}

/// How the metric reads in a sentence.
pub fn metric_label(metric: FrontierMetric) -> &'static str {
    match metric {
        FrontierMetric::ReportedLeverage => "reported leverage",
        FrontierMetric::LeaseAdjustedLeverage => "lease-adjusted leverage",
        FrontierMetric::CovenantLeverage => "covenant leverage",
        FrontierMetric::NewRent => "new rent",
        FrontierMetric::CriticalFraction => "critical share",
    }
}

/// The metric of a program's metrics.
pub fn metric_of(metrics: &ProgramMetrics, metric: FrontierMetric) -> Option<f64> {
    match metric {
        FrontierMetric::ReportedLeverage => metrics.reported_leverage,
        FrontierMetric::LeaseAdjustedLeverage => metrics.lease_adjusted_leverage,
        FrontierMetric::CovenantLeverage => metrics.covenant_leverage,
        FrontierMetric::NewRent => Some(metrics.new_rent),
        FrontierMetric::CriticalFraction => Some(metrics.critical_fraction),
    }
}

struct Tracer<'a> {
    input: &'a AnalysisInput<'a>,
    metric: FrontierMetric,
    limits: SearchLimits,
}

impl Tracer<'_> {
    /// The most proceeds under the spec with the metric at most `level` (no ceiling: `None`).
    fn solve(&self, level: Option<f64>) -> Solve {
        let AnalysisInput {
            portfolio,
            state,
            spec,
            config,
            ..
        } = *self.input;
        let mut spec = SelectorSpec {
            objective: Objective::MaximizeProceeds,
            target_amount: 0.0,
            ..spec.clone()
        };
        let mut extra = ExtraLimits::default();
        if let Some(level) = level {
            let hard = &mut spec.hard_constraints;
            let tighten = |limit: &mut Option<f64>| {
                *limit = Some(limit.map_or(level, |existing| existing.min(level)));
            };
            match self.metric {
                FrontierMetric::ReportedLeverage => tighten(&mut hard.max_net_leverage),
                FrontierMetric::LeaseAdjustedLeverage => {
                    tighten(&mut hard.max_lease_adjusted_leverage)
                }
                FrontierMetric::CovenantLeverage => tighten(&mut hard.max_covenant_leverage),
                FrontierMetric::CriticalFraction => tighten(&mut hard.max_critical_fraction),
                FrontierMetric::NewRent => extra.max_new_rent = Some(level),
            }
        }
        let result = select_optimal_within(portfolio, state, &spec, config, &self.limits, &extra);
        let outcome = &result.outcome;
        let program = (outcome.status == SelectionStatus::Ok)
            .then(|| {
                let metrics = program_metrics(outcome, state, config);
                let metric_value = metric_of(&metrics, self.metric)?;
                if level.is_some_and(|level| metric_value > level) {
                    // The engine's check accepted it, so this cannot happen; never report a
                    // point above its ceiling.
                    return None;
                }
                let assets = portfolio.assets();
                let mut positions: Vec<usize> = outcome.selected_assets.positions().collect();
                positions.sort_unstable();
                Some(Program {
                    proceeds: outcome.proceeds,
                    metric_value,
                    asset_ids: positions
                        .into_iter()
                        .map(|p| assets[p].asset_id.clone())
                        .collect(),
                    metrics,
                })
            })
            .flatten();
        Solve {
            level,
            program,
            proven: result.report.proven,
            nodes: result.report.nodes,
        }
    }

    /// The request's own program, with its strategy and target.
    fn current(&self) -> CurrentProgram {
        let AnalysisInput {
            portfolio,
            state,
            spec,
            config,
            strategy,
        } = *self.input;
        let outcome = match strategy {
            SelectionStrategy::Greedy => select_with(strategy, portfolio, state, spec, config),
            SelectionStrategy::Optimal => {
                crate::selection::optimal::select_optimal(
                    portfolio,
                    state,
                    spec,
                    config,
                    &search_limits(config),
                )
                .outcome
            }
        };
        let metrics = program_metrics(&outcome, state, config);
        CurrentProgram {
            status: outcome.status,
            proceeds: outcome.proceeds,
            metric_value: metric_of(&metrics, self.metric),
            assets_sold: outcome.selected_assets.len() as i64,
        }
    }

    /// No program has a lower metric than this (for the leverage metrics, a company with net
    /// cash may sit below 0: then the most-proceeds end bounds it, see `frontier`).
    fn lower_bound(&self) -> f64 {
        0.0
    }

    /// The metric before any sale.
    fn metric_before(&self) -> Option<f64> {
        let AnalysisInput { state, config, .. } = *self.input;
        let totals = SelectionTotals::default();
        let metrics = ProgramMetrics {
            reported_leverage: baseline_metrics(state, config).leverage,
            lease_adjusted_leverage: crate::credit::lease_adjusted_leverage_after(
                state, &totals, config,
            ),
            covenant_leverage: crate::credit::covenant_leverage_after(state, &totals, config),
            new_rent: 0.0,
            critical_fraction: 0.0,
        };
        metric_of(&metrics, self.metric)
    }

    /// The spec's own hard limit on the metric.
    fn spec_limit(&self) -> Option<f64> {
        let hard = &self.input.spec.hard_constraints;
        match self.metric {
            FrontierMetric::ReportedLeverage => hard.max_net_leverage,
            FrontierMetric::LeaseAdjustedLeverage => hard.max_lease_adjusted_leverage,
            FrontierMetric::CovenantLeverage => hard.max_covenant_leverage,
            FrontierMetric::NewRent => None,
            FrontierMetric::CriticalFraction => hard.max_critical_fraction,
        }
    }
}
