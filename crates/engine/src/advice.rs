//! Advice: what to do about a program — the insights that turn "$0, infeasible" into a way
//! forward, and that flag programs too large for what was asked.
//!
//! * Limits already breached before any sale, with the value before.
//! * For each breached leverage or coverage limit, the smallest proceeds that would cure it
//!   alone — found exactly by the optimiser on a spec holding only that limit (least proceeds
//!   over a $1 target) — or why no sale of the eligible assets can (each sale adds rent, so
//!   fixed-charge coverage can only fall when every asset's rent yield is above the cost of
//!   debt).
//! * When greedy finds nothing feasible and the exact optimiser does, its figure.
//! * Programs that overshoot the target by more than 10 % or sell more than half the estate,
//!   and for `maximize_proceeds`, what bounds the maximum.
//!
//! Every figure comes from the engine (the outcome, the credit analysis or an optimiser run);
//! nothing is estimated.

use crate::config::EngineConfig;
use crate::model::ViolationCode;

use crate::economics::asset_metrics;
use crate::explain::node;
use crate::filters::apply_filters;
use crate::insights::{short_money, times};
use crate::model::{
    CorporateState, CreditAnalysis, CreditMetricName, ExplanationNode, HardConstraints,
    NodeCategory, Objective, Portfolio, ProgramOutcome, SelectionStatus, SelectionStrategy,
    SelectorSpec, Severity,
};
use crate::pyfmt;
use crate::selection::optimal::{SearchLimits, Verdict, select_optimal};

/// A program raising more than this share above its target is flagged.
pub const OVERSHOOT_WARNING: f64 = 0.10;
/// A program selling more than this share of the portfolio's NOI is flagged.
pub const LARGE_PROGRAM_WARNING: f64 = 0.5;
/// Node budget of each advisory search (a cure or an alternative): advice must stay cheap
/// next to the run itself.
const ADVICE_NODE_BUDGET: u64 = 60_000;

/// What the run was and produced.
#[derive(Debug, Clone, Copy)]
pub struct AdviceInputs<'a> {
    pub portfolio: &'a Portfolio,
    pub state: &'a CorporateState,
    pub spec: &'a SelectorSpec,
    pub config: &'a EngineConfig,
    pub strategy: SelectionStrategy,
    pub outcome: &'a ProgramOutcome,
    pub analysis: &'a CreditAnalysis,
}

/// The advice on a finished program, most actionable first.
pub fn program_advice(inputs: &AdviceInputs<'_>) -> Vec<ExplanationNode> {
    let mut advice = breached_before_sale(inputs);
    if inputs.outcome.status == SelectionStatus::Infeasible {
        advice.extend(cures(inputs));
        if inputs.strategy == SelectionStrategy::Greedy {
            advice.extend(optimal_alternative(inputs));
        }
    }
    advice.extend(program_size(inputs));
    advice.extend(maximum_bound(inputs));
    advice
}

/// One hard limit the advice can speak about.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Limit {
    NetLeverage(f64),
    InterestCoverage(f64),
    FixedChargeCoverage(f64),
    LeaseAdjustedLeverage(f64),
    CovenantLeverage(f64),
}

impl Limit {
    /// The leverage and coverage limits of a spec, in reporting order.
    fn of(hard: &HardConstraints) -> Vec<Limit> {
        [
            hard.max_net_leverage.map(Limit::NetLeverage),
            hard.min_interest_coverage.map(Limit::InterestCoverage),
            hard.min_fixed_charge_coverage
                .map(Limit::FixedChargeCoverage),
            hard.max_lease_adjusted_leverage
                .map(Limit::LeaseAdjustedLeverage),
            hard.max_covenant_leverage.map(Limit::CovenantLeverage),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn code(self) -> ViolationCode {
        match self {
            Limit::NetLeverage(_) => ViolationCode::MaxNetLeverage,
            Limit::InterestCoverage(_) => ViolationCode::MinInterestCoverage,
            Limit::FixedChargeCoverage(_) => ViolationCode::MinFixedChargeCoverage,
            Limit::LeaseAdjustedLeverage(_) => ViolationCode::MaxLeaseAdjustedLeverage,
            Limit::CovenantLeverage(_) => ViolationCode::MaxCovenantLeverage,
        }
    }

    fn value(self) -> f64 {
        match self {
            Limit::NetLeverage(v)
            | Limit::InterestCoverage(v)
            | Limit::FixedChargeCoverage(v)
            | Limit::LeaseAdjustedLeverage(v)
            | Limit::CovenantLeverage(v) => v,
        }
    }

    /// The metric's name on the wire (as explanation nodes name it).
    fn metric(self) -> &'static str {
        match self {
            Limit::NetLeverage(_) => "leverage",
            Limit::InterestCoverage(_) => "interest_coverage",
            Limit::FixedChargeCoverage(_) => "fixed_charge_coverage",
            Limit::LeaseAdjustedLeverage(_) => "lease_adjusted_leverage",
            Limit::CovenantLeverage(_) => "covenant_leverage",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Limit::NetLeverage(_) => "net leverage",
            Limit::InterestCoverage(_) => "interest coverage",
            Limit::FixedChargeCoverage(_) => "fixed-charge coverage",
            Limit::LeaseAdjustedLeverage(_) => "lease-adjusted leverage",
            Limit::CovenantLeverage(_) => "covenant leverage",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Limit::NetLeverage(_) => "Net Leverage",
            Limit::InterestCoverage(_) => "Interest Coverage",
            Limit::FixedChargeCoverage(_) => "Fixed-Charge Coverage",
            Limit::LeaseAdjustedLeverage(_) => "Lease-Adjusted Leverage",
            Limit::CovenantLeverage(_) => "Covenant Leverage",
        }
    }

    fn is_ceiling(self) -> bool {
        matches!(
            self,
            Limit::NetLeverage(_) | Limit::LeaseAdjustedLeverage(_) | Limit::CovenantLeverage(_)
        )
    }

    /// `limit ≤ 3.50x` / `limit ≥ 3.00x` as prose.
    fn bound(self) -> String {
        let kind = if self.is_ceiling() {
            "limit"
        } else {
            "minimum"
        };
        format!("{} {kind}", times(Some(self.value())))
    }

    /// `3.50x net leverage limit`.
    fn named_bound(self) -> String {
        let kind = if self.is_ceiling() {
            "limit"
        } else {
            "minimum"
        };
        format!("{} {} {kind}", times(Some(self.value())), self.label())
    }

    /// The spec's hard constraints with only this limit.
    fn alone(self) -> HardConstraints {
        let mut hard = HardConstraints::default();
        match self {
            Limit::NetLeverage(v) => hard.max_net_leverage = Some(v),
            Limit::InterestCoverage(v) => hard.min_interest_coverage = Some(v),
            Limit::FixedChargeCoverage(v) => hard.min_fixed_charge_coverage = Some(v),
            Limit::LeaseAdjustedLeverage(v) => hard.max_lease_adjusted_leverage = Some(v),
            Limit::CovenantLeverage(v) => hard.max_covenant_leverage = Some(v),
        }
        hard
    }

    /// The metric before any sale. `None` = not meaningful, which breaks a leverage limit and
    /// a fixed-charge minimum (as the constraint check judges them) but not interest coverage.
    fn before(self, outcome: &ProgramOutcome, analysis: &CreditAnalysis) -> Option<f64> {
        let lens = |name| analysis.metric(name).and_then(|m| m.before);
        match self {
            Limit::NetLeverage(_) => outcome.leverage_before,
            Limit::InterestCoverage(_) => outcome.interest_coverage_before,
            Limit::FixedChargeCoverage(_) => outcome.fixed_charge_coverage_before,
            Limit::LeaseAdjustedLeverage(_) => lens(CreditMetricName::LeaseAdjustedLeverage),
            Limit::CovenantLeverage(_) => lens(CreditMetricName::CovenantLeverage),
        }
    }

    /// Whether `value` breaks the limit (strictly, as the constraint check).
    fn breached_by(self, value: Option<f64>) -> bool {
        match (self, value) {
            (Limit::InterestCoverage(_), None) => false,
            (_, None) => true,
            (limit, Some(v)) if limit.is_ceiling() => v > limit.value(),
            (limit, Some(v)) => v < limit.value(),
        }
    }
}

/// Limits the company already breaks before selling anything.
fn breached_before_sale(inputs: &AdviceInputs<'_>) -> Vec<ExplanationNode> {
    Limit::of(&inputs.spec.hard_constraints)
        .into_iter()
        .filter_map(|limit| {
            let before = limit.before(inputs.outcome, inputs.analysis);
            if !limit.breached_by(before) {
                return None;
            }
            let position = if limit.is_ceiling() { "above" } else { "below" };
            let detail = match before {
                Some(value) => format!(
                    "Before any sale, {} is {}: already {position} the {}. The program must cure it before it can raise anything.",
                    limit.label(),
                    times(Some(value)),
                    limit.bound(),
                ),
                None => format!(
                    "Before any sale, {} is not meaningful (its denominator is not positive), which the {} cannot accept.",
                    limit.label(),
                    limit.bound(),
                ),
            };
            let mut finding = node(
                &format!("insight_breached_before_sale_{}", limit.metric()),
                &format!("{} Breached Before Any Sale", limit.title()),
                Severity::Warning,
                NodeCategory::Constraint,
            );
            finding.metric = Some(limit.metric().to_owned());
            finding.baseline_value = before;
            finding.threshold = Some(limit.value());
            finding.detail = Some(detail);
            Some(finding)
        })
        .collect()
}

fn advice_limits(config: &EngineConfig) -> SearchLimits {
    SearchLimits {
        max_nodes: config.optimiser_node_budget.min(ADVICE_NODE_BUDGET),
        ..SearchLimits::default()
    }
}

/// For each leverage or coverage limit the outcome breaks: the least proceeds that cure it
/// alone, or why nothing can.
fn cures(inputs: &AdviceInputs<'_>) -> Vec<ExplanationNode> {
    let outcome = inputs.outcome;
    let broken = |code: ViolationCode| outcome.violations.iter().any(|v| v.code == code);
    let limits = advice_limits(inputs.config);
    Limit::of(&inputs.spec.hard_constraints)
        .into_iter()
        .filter(|limit| broken(limit.code()))
        .map(|limit| {
            let spec = SelectorSpec {
                objective: Objective::Balanced,
                target_amount: 1.0,
                hard_constraints: limit.alone(),
                ..inputs.spec.clone()
            };
            let cure = select_optimal(
                inputs.portfolio,
                inputs.state,
                &spec,
                inputs.config,
                &limits,
            );
            let id = format!("insight_cure_{}", limit.metric());
            let label = format!("What Cures the {} Breach", limit.title());
            let mut finding = node(&id, &label, Severity::Warning, NodeCategory::Alternative);
            finding.metric = Some(limit.metric().to_owned());
            finding.threshold = Some(limit.value());
            let found = &cure.outcome;
            finding.detail = Some(match cure.report.verdict {
                Verdict::Feasible => {
                    cite_program(&mut finding, found);
                    let least = if cure.report.proven {
                        "at least"
                    } else {
                        "about"
                    };
                    format!(
                        "Meeting the {} on {} alone needs {least} {} of proceeds ({} {}); this program raised {}.",
                        limit.bound(),
                        limit.label(),
                        short_money(found.proceeds),
                        found.selected_assets.len(),
                        plural(found.selected_assets.len(), "sale", "sales"),
                        short_money(outcome.proceeds),
                    )
                }
                Verdict::NoEligibleAssets => "No asset passes the filters, so no sale can cure it.".to_owned(),
                Verdict::Infeasible { .. } if cure.report.proven => why_nothing_cures(inputs, limit),
                Verdict::Infeasible { .. } | Verdict::Undecided { .. } => format!(
                    "No sale curing the {} on {} was found within the search budget.",
                    limit.bound(),
                    limit.label()
                ),
            });
            finding
        })
        .collect()
}

/// Points a finding at a program: its proceeds and the assets it sells.
fn cite_program(finding: &mut ExplanationNode, program: &ProgramOutcome) {
    finding.post_value = Some(program.proceeds);
    finding.asset_ids = Some(
        program
            .selected_assets
            .iter()
            .map(|s| s.asset.asset_id.clone())
            .collect(),
    );
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

/// Why no selection of the eligible assets meets `limit`, with the figure that shows it.
fn why_nothing_cures(inputs: &AdviceInputs<'_>, limit: Limit) -> String {
    let eligible = apply_filters(inputs.portfolio, &inputs.spec.asset_filters);
    let cost_of_debt = inputs.config.avg_cost_of_debt;
    if let Limit::FixedChargeCoverage(_) = limit {
        let lowest_yield = eligible
            .iter()
            .map(|(_, asset)| {
                let metrics = asset_metrics(asset, inputs.config);
                metrics.slb_rent / metrics.proceeds
            })
            .fold(f64::INFINITY, f64::min);
        if lowest_yield >= cost_of_debt {
            return format!(
                "No SLB can lift fixed-charge coverage to the {}: every eligible sale adds rent of at least {} of its proceeds, more than the {} of interest its proceeds save, so each sale lowers coverage. Lower the minimum, or raise capital another way.",
                limit.bound(),
                pyfmt::percent(lowest_yield, 1),
                pyfmt::percent(cost_of_debt, 1),
            );
        }
    }
    let total: f64 = eligible
        .iter()
        .map(|(_, asset)| asset_metrics(asset, inputs.config).proceeds)
        .fold(0.0, |sum, p| sum + p);
    format!(
        "No sale of the {} eligible {} meets the {} on {} (together they would raise {}). Relax the limit, widen the filters, or raise capital another way.",
        eligible.len(),
        plural(eligible.len(), "asset", "assets"),
        limit.bound(),
        limit.label(),
        short_money(total),
    )
}

/// What the exact optimiser finds when greedy found nothing feasible.
fn optimal_alternative(inputs: &AdviceInputs<'_>) -> Option<ExplanationNode> {
    let result = select_optimal(
        inputs.portfolio,
        inputs.state,
        inputs.spec,
        inputs.config,
        &advice_limits(inputs.config),
    );
    let found = &result.outcome;
    let mut finding = node(
        "insight_optimal_alternative",
        "The Exact Optimiser Finds a Program",
        Severity::Warning,
        NodeCategory::Alternative,
    );
    finding.detail = Some(match result.report.verdict {
        Verdict::Feasible => {
            cite_program(&mut finding, found);
            format!(
                "The reference greedy walk found no feasible program, but the exact optimiser does: {} from {} {} within every limit. Run with the optimal strategy to get it.",
                short_money(found.proceeds),
                found.selected_assets.len(),
                plural(found.selected_assets.len(), "sale", "sales"),
            )
        }
        Verdict::Infeasible {
            most_proceeds: Some(most),
        } if result.report.proven => {
            finding.label = "No Program Meets Every Limit and the Target".to_owned();
            finding.post_value = Some(most);
            format!(
                "The exact optimiser confirms that no selection meets every limit and the target; the most any selection raises within the limits is {}.",
                short_money(most)
            )
        }
        _ => return None,
    });
    Some(finding)
}

/// Programs much larger than asked: overshooting the target, or selling most of the estate.
fn program_size(inputs: &AdviceInputs<'_>) -> Vec<ExplanationNode> {
    let outcome = inputs.outcome;
    let mut flags = Vec::new();
    if outcome.selected_assets.is_empty() {
        return flags;
    }
    let target = inputs.spec.target_amount;
    if outcome.proceeds > target * (1.0 + OVERSHOOT_WARNING) {
        let mut finding = node(
            "insight_overshoot",
            "Program Overshoots the Target",
            Severity::Warning,
            NodeCategory::Risk,
        );
        finding.metric = Some("proceeds".to_owned());
        finding.post_value = Some(outcome.proceeds);
        finding.threshold = Some(target);
        finding.detail = Some(format!(
            "The program raises {} against a {} target ({} more): check that the extra sales are wanted{}.",
            short_money(outcome.proceeds),
            short_money(target),
            pyfmt::percent(outcome.proceeds / target - 1.0, 0),
            if inputs.spec.objective == Objective::MaximizeProceeds {
                " — the maximize-proceeds objective sells as much as the limits allow"
            } else {
                ""
            },
        ));
        flags.push(finding);
    }
    let total_noi = inputs.portfolio.iter().fold(0.0, |sum, a| sum + a.noi);
    let sold_noi = outcome
        .selected_assets
        .iter()
        .fold(0.0, |sum, s| sum + s.asset.noi);
    if total_noi > 0.0 && sold_noi / total_noi > LARGE_PROGRAM_WARNING {
        let mut finding = node(
            "insight_large_program",
            "Sells Most of the Estate",
            Severity::Warning,
            NodeCategory::Risk,
        );
        finding.metric = Some("noi_share_sold".to_owned());
        finding.post_value = Some(sold_noi / total_noi);
        finding.threshold = Some(LARGE_PROGRAM_WARNING);
        finding.detail = Some(format!(
            "The program sells {} of {} properties, {} of the portfolio's NOI: the company would lease back most of its real estate.",
            outcome.selected_assets.len(),
            inputs.portfolio.len(),
            pyfmt::percent(sold_noi / total_noi, 0),
        ));
        flags.push(finding);
    }
    flags
}

/// For `maximize_proceeds`: what stops the program from raising more.
fn maximum_bound(inputs: &AdviceInputs<'_>) -> Option<ExplanationNode> {
    let outcome = inputs.outcome;
    if inputs.spec.objective != Objective::MaximizeProceeds || outcome.status != SelectionStatus::Ok
    {
        return None;
    }
    let eligible = apply_filters(inputs.portfolio, &inputs.spec.asset_filters).len();
    let mut bounds: Vec<String> = Vec::new();
    if outcome.selected_assets.len() == eligible {
        bounds.push(format!(
            "the filters: every one of the {eligible} eligible assets is sold"
        ));
    }
    for limit in Limit::of(&inputs.spec.hard_constraints) {
        let after = match limit {
            Limit::NetLeverage(_) => outcome.leverage_after,
            Limit::InterestCoverage(_) => outcome.interest_coverage_after,
            Limit::FixedChargeCoverage(_) => outcome.fixed_charge_coverage_after,
            Limit::LeaseAdjustedLeverage(_) => inputs
                .analysis
                .metric(CreditMetricName::LeaseAdjustedLeverage)
                .and_then(|m| m.after),
            Limit::CovenantLeverage(_) => inputs
                .analysis
                .metric(CreditMetricName::CovenantLeverage)
                .and_then(|m| m.after),
        };
        // Within 5 % of the limit counts as binding.
        if let Some(value) = after
            && (value - limit.value()).abs() <= 0.05 * limit.value()
        {
            bounds.push(format!(
                "the {} ({} after)",
                limit.named_bound(),
                times(Some(value))
            ));
        }
    }
    if let Some(n) = inputs.spec.hard_constraints.max_assets_sold
        && outcome.selected_assets.len() as i64 == n
    {
        bounds.push(format!("the limit of {n} sales"));
    }
    let mut finding = node(
        "insight_maximum_bound",
        "What Bounds the Maximum",
        Severity::Info,
        NodeCategory::Driver,
    );
    finding.post_value = Some(outcome.proceeds);
    let net_debt = inputs.state.net_debt;
    let surplus = if outcome.proceeds > net_debt {
        format!(
            " Proceeds beyond the {} of net debt repay nothing in this model.",
            short_money(net_debt)
        )
    } else {
        String::new()
    };
    finding.detail = Some(if bounds.is_empty() {
        format!(
            "Maximising proceeds raises {}; no single limit is within 5 % of binding — the mix of limits and asset sizes stops it.{surplus}",
            short_money(outcome.proceeds)
        )
    } else {
        format!(
            "Maximising proceeds raises {}, bounded by {}.{surplus}",
            short_money(outcome.proceeds),
            bounds.join(" and ")
        )
    });
    Some(finding)
}
