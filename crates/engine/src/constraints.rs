//! The constraint check (SPEC §4.5): the one place that decides whether a selection is
//! acceptable, and how each breach is reported.
//!
//! [`check_constraints`] takes any list of selections, so every selection strategy re-checks
//! its answer with the same rules. [`satisfies_hard_constraints`] answers only "does any hard
//! constraint break?" from running totals, without allocating; both derive from the same
//! [`hard_constraint_breaches`], so they cannot disagree.

use std::cmp::Ordering;

use crate::config::EngineConfig;
use crate::credit::LeaseAwareLeverage;
use crate::economics::{
    BaselineMetrics, PostMetrics, SelectionTotals, baseline_metrics, critical_fraction,
    post_metrics,
};
use crate::model::{
    ConstraintViolation, CorporateState, HardConstraints, SelectedAssets, ViolationCode,
};
use crate::pyfmt;

/// Every metric of a selection (SPEC §2.5).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PortfolioMetrics {
    pub baseline: BaselineMetrics,
    pub post: PostMetrics,
    pub total_proceeds: f64,
    pub total_slb_rent: f64,
    pub critical_fraction: f64,
}

/// The verdict on one selection.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintCheck {
    pub metrics: PortfolioMetrics,
    /// Hard-constraint breaches in the order leverage, interest coverage, fixed-charge
    /// coverage, critical fraction, lease-adjusted leverage, covenant leverage, assets sold,
    /// then the target.
    pub violations: Vec<ConstraintViolation>,
    /// Guardrail warnings of the post-transaction arithmetic (W1, W2).
    pub warnings: Vec<String>,
}

/// A hard constraint the selection breaks. An undefined leverage or fixed-charge coverage
/// (denominator ≈ 0) breaks its constraint; an undefined interest coverage never does (no
/// interest left means unbounded coverage).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Breach {
    LeverageUndefined { limit: f64 },
    LeverageAbove { leverage: f64, limit: f64 },
    InterestCoverageBelow { coverage: f64, limit: f64 },
    FixedChargeCoverageUndefined { limit: f64 },
    FixedChargeCoverageBelow { coverage: f64, limit: f64 },
    CriticalFractionAbove { fraction: f64, limit: f64 },
    LeaseAdjustedLeverageUndefined { limit: f64 },
    LeaseAdjustedLeverageAbove { leverage: f64, limit: f64 },
    CovenantLeverageUndefined { limit: f64 },
    CovenantLeverageAbove { leverage: f64, limit: f64 },
    AssetsSoldAbove { count: usize, limit: i64 },
}

impl Breach {
    /// The violation code.
    pub fn code(self) -> ViolationCode {
        match self {
            Breach::LeverageUndefined { .. } | Breach::LeverageAbove { .. } => {
                ViolationCode::MaxNetLeverage
            }
            Breach::InterestCoverageBelow { .. } => ViolationCode::MinInterestCoverage,
            Breach::FixedChargeCoverageUndefined { .. }
            | Breach::FixedChargeCoverageBelow { .. } => ViolationCode::MinFixedChargeCoverage,
            Breach::CriticalFractionAbove { .. } => ViolationCode::MaxCriticalFraction,
            Breach::LeaseAdjustedLeverageUndefined { .. }
            | Breach::LeaseAdjustedLeverageAbove { .. } => ViolationCode::MaxLeaseAdjustedLeverage,
            Breach::CovenantLeverageUndefined { .. } | Breach::CovenantLeverageAbove { .. } => {
                ViolationCode::MaxCovenantLeverage
            }
            Breach::AssetsSoldAbove { .. } => ViolationCode::MaxAssetsSold,
        }
    }

    /// The breach as reported to users, worded exactly as the reference's. An undefined
    /// metric is reported as NaN (`null` on the wire).
    pub fn to_violation(self) -> ConstraintViolation {
        let (actual, limit, detail) = match self {
            Breach::LeverageUndefined { limit } => (
                f64::NAN,
                limit,
                "Post-SLB leverage undefined (EBITDA ≈ 0)".to_owned(),
            ),
            Breach::LeverageAbove { leverage, limit } => (
                leverage,
                limit,
                format!(
                    "Post-SLB leverage {}x exceeds limit {}x",
                    pyfmt::fixed(leverage, 2),
                    pyfmt::fixed(limit, 2)
                ),
            ),
            Breach::InterestCoverageBelow { coverage, limit } => (
                coverage,
                limit,
                format!(
                    "Post-SLB interest coverage {}x below minimum {}x",
                    pyfmt::fixed(coverage, 2),
                    pyfmt::fixed(limit, 2)
                ),
            ),
            Breach::FixedChargeCoverageUndefined { limit } => (
                f64::NAN,
                limit,
                "Post-SLB fixed charge coverage undefined (denominator ≈ 0)".to_owned(),
            ),
            Breach::FixedChargeCoverageBelow { coverage, limit } => (
                coverage,
                limit,
                format!(
                    "Post-SLB fixed charge coverage {}x below minimum {}x",
                    pyfmt::fixed(coverage, 2),
                    pyfmt::fixed(limit, 2)
                ),
            ),
            Breach::CriticalFractionAbove { fraction, limit } => (
                fraction,
                limit,
                format!(
                    "Critical asset concentration {} exceeds limit {}",
                    pyfmt::percent(fraction, 1),
                    pyfmt::percent(limit, 1)
                ),
            ),
            Breach::LeaseAdjustedLeverageUndefined { limit } => (
                f64::NAN,
                limit,
                "Post-SLB lease-adjusted leverage undefined (EBITDA + lease expense ≤ 0)"
                    .to_owned(),
            ),
            Breach::LeaseAdjustedLeverageAbove { leverage, limit } => (
                leverage,
                limit,
                format!(
                    "Post-SLB lease-adjusted leverage {}x exceeds limit {}x",
                    pyfmt::fixed(leverage, 2),
                    pyfmt::fixed(limit, 2)
                ),
            ),
            Breach::CovenantLeverageUndefined { limit } => (
                f64::NAN,
                limit,
                "Post-SLB covenant leverage undefined (EBITDA after rent ≤ 0)".to_owned(),
            ),
            Breach::CovenantLeverageAbove { leverage, limit } => (
                leverage,
                limit,
                format!(
                    "Post-SLB covenant leverage {}x exceeds limit {}x",
                    pyfmt::fixed(leverage, 2),
                    pyfmt::fixed(limit, 2)
                ),
            ),
            Breach::AssetsSoldAbove { count, limit } => (
                count as f64,
                limit as f64,
                format!("{count} assets sold exceeds the limit of {limit}"),
            ),
        };
        ConstraintViolation {
            code: self.code(),
            detail,
            actual,
            limit,
        }
    }
}

/// The hard constraints that `post`, `critical_fraction` and the lease-aware lenses break, in
/// reporting order (leverage, interest coverage, fixed-charge coverage, critical fraction,
/// lease-adjusted leverage, covenant leverage, assets sold). Comparisons are strict: a metric
/// exactly at its limit is fine; an undefined lease-aware leverage breaks its limit.
pub fn hard_constraint_breaches(
    post: &PostMetrics,
    critical_fraction: f64,
    lease_aware: &LeaseAwareLeverage,
    assets_sold: usize,
    hard: &HardConstraints,
) -> [Option<Breach>; 7] {
    let leverage = hard.max_net_leverage.and_then(|limit| match post.leverage {
        None => Some(Breach::LeverageUndefined { limit }),
        Some(leverage) if leverage > limit => Some(Breach::LeverageAbove { leverage, limit }),
        Some(_) => None,
    });
    let interest = hard
        .min_interest_coverage
        .and_then(|limit| match post.interest_coverage {
            Some(coverage) if coverage < limit => {
                Some(Breach::InterestCoverageBelow { coverage, limit })
            }
            _ => None,
        });
    let fixed_charge =
        hard.min_fixed_charge_coverage
            .and_then(|limit| match post.fixed_charge_coverage {
                None => Some(Breach::FixedChargeCoverageUndefined { limit }),
                Some(coverage) if coverage < limit => {
                    Some(Breach::FixedChargeCoverageBelow { coverage, limit })
                }
                Some(_) => None,
            });
    let critical = hard
        .max_critical_fraction
        .filter(|&limit| critical_fraction > limit)
        .map(|limit| Breach::CriticalFractionAbove {
            fraction: critical_fraction,
            limit,
        });
    let lease_adjusted =
        hard.max_lease_adjusted_leverage
            .and_then(|limit| match lease_aware.lease_adjusted {
                None => Some(Breach::LeaseAdjustedLeverageUndefined { limit }),
                Some(leverage) if leverage > limit => {
                    Some(Breach::LeaseAdjustedLeverageAbove { leverage, limit })
                }
                Some(_) => None,
            });
    let covenant = hard
        .max_covenant_leverage
        .and_then(|limit| match lease_aware.covenant {
            None => Some(Breach::CovenantLeverageUndefined { limit }),
            Some(leverage) if leverage > limit => {
                Some(Breach::CovenantLeverageAbove { leverage, limit })
            }
            Some(_) => None,
        });
    let assets = hard
        .max_assets_sold
        .filter(|&limit| assets_sold as i64 > limit)
        .map(|limit| Breach::AssetsSoldAbove {
            count: assets_sold,
            limit,
        });
    [
        leverage,
        interest,
        fixed_charge,
        critical,
        lease_adjusted,
        covenant,
        assets,
    ]
}

/// Whether a selection with these totals keeps every hard constraint (the target is not
/// considered). O(1) and allocation-free; agrees with [`check_totals`] by construction.
pub fn satisfies_hard_constraints(
    totals: &SelectionTotals,
    state: &CorporateState,
    hard: &HardConstraints,
    config: &EngineConfig,
) -> bool {
    let post = post_metrics(state, totals, config);
    let lease_aware = LeaseAwareLeverage::constrained(state, totals, hard, config);
    hard_constraint_breaches(
        &post,
        critical_fraction(totals, config),
        &lease_aware,
        totals.count,
        hard,
    )
    .iter()
    .all(Option::is_none)
}

/// Checks `selected` (in pick order) against the hard constraints and the target.
/// A `target` of 0 produces `TARGET_NOT_MET` only for negative proceeds.
pub fn check_constraints(
    selected: &SelectedAssets,
    state: &CorporateState,
    hard: &HardConstraints,
    target: f64,
    config: &EngineConfig,
) -> ConstraintCheck {
    check_totals(
        &SelectionTotals::of(selected, config),
        state,
        hard,
        target,
        config,
    )
}

/// [`check_constraints`] for a selection known only by its totals.
pub fn check_totals(
    totals: &SelectionTotals,
    state: &CorporateState,
    hard: &HardConstraints,
    target: f64,
    config: &EngineConfig,
) -> ConstraintCheck {
    let post = post_metrics(state, totals, config);
    let critical_fraction = critical_fraction(totals, config);

    let lease_aware = LeaseAwareLeverage::constrained(state, totals, hard, config);
    let mut violations: Vec<ConstraintViolation> =
        hard_constraint_breaches(&post, critical_fraction, &lease_aware, totals.count, hard)
            .into_iter()
            .flatten()
            .map(Breach::to_violation)
            .collect();
    if !meets_target(totals, target, config) {
        let threshold = target_threshold(target, config);
        violations.push(target_not_met(totals.proceeds, target, threshold));
    }

    ConstraintCheck {
        metrics: PortfolioMetrics {
            baseline: baseline_metrics(state, config),
            post,
            total_proceeds: totals.proceeds,
            total_slb_rent: totals.slb_rent,
            critical_fraction,
        },
        violations,
        warnings: post.warnings(),
    }
}

/// Proceeds that count as meeting `target`: the target less the config's tolerance.
fn target_threshold(target: f64, config: &EngineConfig) -> f64 {
    target * (1.0 - config.target_tolerance)
}

/// Whether a selection with these totals meets `target` within the config's tolerance, as
/// [`check_totals`] judges it: only proceeds strictly below the threshold miss it, so a NaN
/// on either side never does. A `target` of 0 is missed only by negative proceeds.
pub fn meets_target(totals: &SelectionTotals, target: f64, config: &EngineConfig) -> bool {
    // Not `>=`: that would fail on NaN, where the check reports no miss.
    totals
        .proceeds
        .partial_cmp(&target_threshold(target, config))
        != Some(Ordering::Less)
}

fn target_not_met(proceeds: f64, target: f64, threshold: f64) -> ConstraintViolation {
    ConstraintViolation {
        code: ViolationCode::TargetNotMet,
        detail: format!(
            "Proceeds ${} below target ${} (threshold ${})",
            pyfmt::thousands0(proceeds),
            pyfmt::thousands0(target),
            pyfmt::thousands0(threshold)
        ),
        actual: proceeds,
        limit: threshold,
    }
}
