//! The revision policy (SPEC §7): how far a planner's revised spec may move from the previous one.
//!
//! The planner may propose anything; this module clamps the proposal back inside the rules or
//! rejects it. Hard constraints are compared with the *immutable originals* (the initial spec
//! after the user's overrides) and may only be tightened; the target may only fall, by a bounded
//! step per revision and never below a floor; the `max_criticality` / `min_leaseability_score`
//! filters may only be relaxed by a bounded step relative to the *previous* spec. Soft
//! preferences, objective, type and market filters and the iteration fields are unrestricted.
//!
//! Rules run in the reference's order and every clamp is reported as a [`PolicyViolation`] whose
//! text and numbers match the reference exactly (plain `f64` arithmetic: stepping
//! `max_criticality` from 0.7 allows `0.7 + 0.1 = 0.7999999999999999`, not 0.8).

use crate::config::RevisionPolicyConfig;
use crate::model::{HardConstraints, PolicyViolation, PolicyViolationCode, SelectorSpec};
use crate::pyfmt;

/// What the policy made of a revision.
#[derive(Debug, Clone, PartialEq)]
#[expect(
    clippy::large_enum_variant,
    reason = "made once per revision and moved straight out: a box would only add an allocation"
)]
pub enum PolicyDecision {
    /// The spec to run next: the revision itself when nothing was adjusted, the adjusted copy
    /// otherwise, with every clamp or restoration in rule order.
    Accepted {
        spec: SelectorSpec,
        violations: Vec<PolicyViolation>,
    },
    /// The revision cannot run (program type changed, or target below the floor); the
    /// violations say why, in rule order.
    Rejected { violations: Vec<PolicyViolation> },
}

impl PolicyDecision {
    /// Every clamp, restoration or rejection, in rule order.
    pub fn violations(&self) -> &[PolicyViolation] {
        match self {
            PolicyDecision::Accepted { violations, .. }
            | PolicyDecision::Rejected { violations } => violations,
        }
    }

    /// The spec to run next, when accepted.
    pub fn spec(&self) -> Option<&SelectorSpec> {
        match self {
            PolicyDecision::Accepted { spec, .. } => Some(spec),
            PolicyDecision::Rejected { .. } => None,
        }
    }
}

/// Applies the revision policy to `new`, the planner's revision of `prev`.
///
/// `original_target` is the initial spec's target and `floor_fraction` the share of it the target
/// may never go below (the orchestrator passes 1.0 without a user floor). The floor is computed
/// as `original_target * floor_fraction`, as the reference does: that product's rounding decides
/// boundary cases.
pub fn enforce_revision_policy(
    immutable_hard: &HardConstraints,
    original_target: f64,
    prev: &SelectorSpec,
    new: &SelectorSpec,
    floor_fraction: f64,
    config: &RevisionPolicyConfig,
) -> PolicyDecision {
    if new.program_type != prev.program_type {
        return rejected(vec![program_type_changed(prev, new)]);
    }

    let mut violations = Vec::new();
    let mut adjusted = new.clone();
    protect_hard_constraints(
        immutable_hard,
        &mut adjusted.hard_constraints,
        &mut violations,
    );
    bound_target_step(
        prev.target_amount,
        &mut adjusted.target_amount,
        config,
        &mut violations,
    );
    if let Some(violation) = below_floor(adjusted.target_amount, original_target, floor_fraction) {
        violations.push(violation);
        return rejected(violations);
    }
    bound_max_criticality(
        prev.asset_filters.max_criticality,
        &mut adjusted.asset_filters.max_criticality,
        config,
        &mut violations,
    );
    bound_min_leaseability(
        prev.asset_filters.min_leaseability_score,
        &mut adjusted.asset_filters.min_leaseability_score,
        config,
        &mut violations,
    );

    violations.extend(keep_asset_exclusions(
        prev.asset_filters.exclude_asset_ids.as_deref(),
        &mut adjusted.asset_filters.exclude_asset_ids,
    ));

    // Every adjustment above records a violation, so without violations `adjusted == new`.
    PolicyDecision::Accepted {
        spec: adjusted,
        violations,
    }
}

fn rejected(violations: Vec<PolicyViolation>) -> PolicyDecision {
    PolicyDecision::Rejected { violations }
}

fn program_type_changed(prev: &SelectorSpec, new: &SelectorSpec) -> PolicyViolation {
    PolicyViolation {
        code: PolicyViolationCode::ProgramTypeChanged,
        detail: format!(
            "Cannot change program_type from {} to {}",
            prev.program_type.as_str(),
            new.program_type.as_str()
        ),
        field: "program_type".to_owned(),
        attempted: None,
        limit: None,
        adjusted_to: None,
    }
}

// ---------------------------------------------------------------------------------------------
// Hard constraints: never removed, never relaxed beyond the original.
// ---------------------------------------------------------------------------------------------

/// Which way a limit is relaxed.
#[derive(Clone, Copy)]
enum Relaxes {
    /// A ceiling (leverage, critical share): raising it relaxes it.
    Upward,
    /// A floor (coverage): lowering it relaxes it.
    Downward,
}

/// A hard constraint the policy protects.
struct ProtectedLimit {
    field: &'static str,
    relaxes: Relaxes,
    relaxed_code: PolicyViolationCode,
    /// How the limit is written in messages (`4.00x`, `50.0%`).
    show: fn(f64) -> String,
}

fn times(v: f64) -> String {
    format!("{}x", pyfmt::fixed(v, 2))
}

fn share(v: f64) -> String {
    pyfmt::percent(v, 1)
}

const MAX_NET_LEVERAGE: ProtectedLimit = ProtectedLimit {
    field: "max_net_leverage",
    relaxes: Relaxes::Upward,
    relaxed_code: PolicyViolationCode::LeverageRelaxed,
    show: times,
};

const MIN_FIXED_CHARGE_COVERAGE: ProtectedLimit = ProtectedLimit {
    field: "min_fixed_charge_coverage",
    relaxes: Relaxes::Downward,
    relaxed_code: PolicyViolationCode::FixedChargeCoverageRelaxed,
    show: times,
};

const MIN_INTEREST_COVERAGE: ProtectedLimit = ProtectedLimit {
    field: "min_interest_coverage",
    relaxes: Relaxes::Downward,
    relaxed_code: PolicyViolationCode::InterestCoverageRelaxed,
    show: times,
};

const MAX_CRITICAL_FRACTION: ProtectedLimit = ProtectedLimit {
    field: "max_critical_fraction",
    relaxes: Relaxes::Upward,
    relaxed_code: PolicyViolationCode::CriticalFractionRelaxed,
    show: share,
};

const MAX_LEASE_ADJUSTED_LEVERAGE: ProtectedLimit = ProtectedLimit {
    field: "max_lease_adjusted_leverage",
    relaxes: Relaxes::Upward,
    relaxed_code: PolicyViolationCode::LeaseAdjustedLeverageRelaxed,
    show: times,
};

const MAX_COVENANT_LEVERAGE: ProtectedLimit = ProtectedLimit {
    field: "max_covenant_leverage",
    relaxes: Relaxes::Upward,
    relaxed_code: PolicyViolationCode::CovenantLeverageRelaxed,
    show: times,
};

/// A count limit is shown as a plain number.
fn count(v: f64) -> String {
    pyfmt::fixed(v, 0)
}

const MAX_ASSETS_SOLD: ProtectedLimit = ProtectedLimit {
    field: "max_assets_sold",
    relaxes: Relaxes::Upward,
    relaxed_code: PolicyViolationCode::AssetsSoldRelaxed,
    show: count,
};

/// Rules 2–5, in the reference's order: leverage, fixed-charge coverage, interest coverage,
/// critical fraction; then the lease-aware leverage limits (docs/credit.md §1.3), protected
/// like the reference's leverage.
fn protect_hard_constraints(
    original: &HardConstraints,
    proposed: &mut HardConstraints,
    violations: &mut Vec<PolicyViolation>,
) {
    let limits = [
        (
            &MAX_NET_LEVERAGE,
            original.max_net_leverage,
            &mut proposed.max_net_leverage,
        ),
        (
            &MIN_FIXED_CHARGE_COVERAGE,
            original.min_fixed_charge_coverage,
            &mut proposed.min_fixed_charge_coverage,
        ),
        (
            &MIN_INTEREST_COVERAGE,
            original.min_interest_coverage,
            &mut proposed.min_interest_coverage,
        ),
        (
            &MAX_CRITICAL_FRACTION,
            original.max_critical_fraction,
            &mut proposed.max_critical_fraction,
        ),
        (
            &MAX_LEASE_ADJUSTED_LEVERAGE,
            original.max_lease_adjusted_leverage,
            &mut proposed.max_lease_adjusted_leverage,
        ),
        (
            &MAX_COVENANT_LEVERAGE,
            original.max_covenant_leverage,
            &mut proposed.max_covenant_leverage,
        ),
    ];
    for (limit, original, proposed) in limits {
        violations.extend(protect_limit(limit, original, proposed));
    }
    // The count limit is an integer; it is protected with the same rule through f64 (exact
    // for any count a portfolio can have).
    let mut assets = proposed.max_assets_sold.map(|n| n as f64);
    let protected = protect_limit(
        &MAX_ASSETS_SOLD,
        original.max_assets_sold.map(|n| n as f64),
        &mut assets,
    );
    if let Some(violation) = protected {
        violations.push(violation);
        proposed.max_assets_sold = assets.map(|n| n as i64);
    }
}

/// Restores a removed limit or clamps a relaxed one to its original. A limit that was not set
/// originally may be added with any value; tightening is always allowed.
fn protect_limit(
    limit: &ProtectedLimit,
    original: Option<f64>,
    proposed: &mut Option<f64>,
) -> Option<PolicyViolation> {
    let original = original?;
    let field = limit.field;
    let show = limit.show;
    let violation = match *proposed {
        None => PolicyViolation {
            code: PolicyViolationCode::ConstraintDeleted,
            detail: format!(
                "Cannot remove {field} constraint (original: {})",
                show(original)
            ),
            field: field.to_owned(),
            attempted: None,
            limit: Some(original),
            adjusted_to: Some(original),
        },
        Some(attempted) => {
            let (relaxed, verb, preposition) = match limit.relaxes {
                Relaxes::Upward => (attempted > original, "increase", "beyond"),
                Relaxes::Downward => (attempted < original, "decrease", "below"),
            };
            if !relaxed {
                return None;
            }
            PolicyViolation {
                code: limit.relaxed_code,
                detail: format!(
                    "Cannot {verb} {field} {preposition} {} (attempted {})",
                    show(original),
                    show(attempted)
                ),
                field: field.to_owned(),
                attempted: Some(attempted),
                limit: Some(original),
                adjusted_to: Some(original),
            }
        }
    };
    *proposed = Some(original);
    Some(violation)
}

// ---------------------------------------------------------------------------------------------
// Target: may only fall, by a bounded step, never below the floor.
// ---------------------------------------------------------------------------------------------

/// Rules 6 and 7: a raised target goes back to the previous one; a cut deeper than the allowed
/// step per revision is clamped to the step. Both report the planner's raw proposal.
fn bound_target_step(
    previous: f64,
    target: &mut f64,
    config: &RevisionPolicyConfig,
    violations: &mut Vec<PolicyViolation>,
) {
    let attempted = *target;
    if attempted > previous {
        violations.push(target_violation(
            PolicyViolationCode::TargetIncreased,
            format!(
                "target_amount cannot increase (was ${}, attempted ${})",
                pyfmt::thousands0(previous),
                pyfmt::thousands0(attempted)
            ),
            attempted,
            previous,
        ));
        *target = previous;
    }

    let max_drop = config.max_per_iteration_target_drop_fraction;
    let min_allowed = previous * (1.0 - max_drop);
    if *target < min_allowed {
        violations.push(target_violation(
            PolicyViolationCode::TargetDropExceeded,
            format!(
                "target_amount cannot drop more than {} per iteration (min ${}, attempted ${})",
                pyfmt::percent(max_drop, 0),
                pyfmt::thousands0(min_allowed),
                pyfmt::thousands0(attempted)
            ),
            attempted,
            min_allowed,
        ));
        *target = min_allowed;
    }
}

fn target_violation(
    code: PolicyViolationCode,
    detail: String,
    attempted: f64,
    clamped_to: f64,
) -> PolicyViolation {
    PolicyViolation {
        code,
        detail,
        field: "target_amount".to_owned(),
        attempted: Some(attempted),
        limit: Some(clamped_to),
        adjusted_to: Some(clamped_to),
    }
}

/// Rule 8: a target (after rules 6–7) below `original_target * floor_fraction` rejects the
/// revision.
fn below_floor(target: f64, original_target: f64, floor_fraction: f64) -> Option<PolicyViolation> {
    let floor = original_target * floor_fraction;
    (target < floor).then(|| PolicyViolation {
        code: PolicyViolationCode::TargetBelowFloor,
        detail: format!(
            "target_amount cannot go below {} of original (${})",
            pyfmt::percent(floor_fraction, 0),
            pyfmt::thousands0(floor)
        ),
        field: "target_amount".to_owned(),
        attempted: Some(target),
        limit: Some(floor),
        adjusted_to: None,
    })
}

// ---------------------------------------------------------------------------------------------
// Filters: never removed, relaxed by at most one step per revision.
//
// The reference re-applies the absolute ceiling / floor after the step clamp; that can never
// change anything (the step bound already lies within it), so it is not reproduced.
// ---------------------------------------------------------------------------------------------

/// Rule 9: `max_criticality` may rise by at most one step above the previous value (or above the
/// default baseline when there was none), and never above the ceiling.
fn bound_max_criticality(
    previous: Option<f64>,
    proposed: &mut Option<f64>,
    config: &RevisionPolicyConfig,
    violations: &mut Vec<PolicyViolation>,
) {
    const FIELD: &str = "max_criticality";
    let Some(attempted) = *proposed else {
        violations.extend(restore_filter(FIELD, previous, proposed));
        return;
    };
    let base = previous.unwrap_or(config.max_criticality_default_baseline);
    let max_allowed = (base + config.max_criticality_step).min(config.max_criticality_ceiling);
    if attempted > max_allowed {
        violations.push(PolicyViolation {
            code: PolicyViolationCode::CriticalityStepExceeded,
            detail: format!(
                "{FIELD} can only increase by {} per iteration (max {}, attempted {})",
                pyfmt::fixed(config.max_criticality_step, 2),
                pyfmt::fixed(max_allowed, 2),
                pyfmt::fixed(attempted, 2)
            ),
            field: FIELD.to_owned(),
            attempted: Some(attempted),
            limit: Some(max_allowed),
            adjusted_to: Some(max_allowed),
        });
        *proposed = Some(max_allowed);
    }
}

/// Rule 10: `min_leaseability_score` may fall by at most one step below the previous value (or
/// below the default baseline when there was none), and never below the floor.
fn bound_min_leaseability(
    previous: Option<f64>,
    proposed: &mut Option<f64>,
    config: &RevisionPolicyConfig,
    violations: &mut Vec<PolicyViolation>,
) {
    const FIELD: &str = "min_leaseability_score";
    let Some(attempted) = *proposed else {
        violations.extend(restore_filter(FIELD, previous, proposed));
        return;
    };
    let base = previous.unwrap_or(config.min_leaseability_default_baseline);
    let min_allowed = (base - config.min_leaseability_step).max(config.min_leaseability_floor);
    if attempted < min_allowed {
        violations.push(PolicyViolation {
            code: PolicyViolationCode::LeaseabilityStepExceeded,
            detail: format!(
                "{FIELD} can only decrease by {} per iteration (min {}, attempted {})",
                pyfmt::fixed(config.min_leaseability_step, 2),
                pyfmt::fixed(min_allowed, 2),
                pyfmt::fixed(attempted, 2)
            ),
            field: FIELD.to_owned(),
            attempted: Some(attempted),
            limit: Some(min_allowed),
            adjusted_to: Some(min_allowed),
        });
        *proposed = Some(min_allowed);
    }
}

/// A filter the previous spec had and the revision dropped comes back with its previous value.
fn restore_filter(
    field: &str,
    previous: Option<f64>,
    proposed: &mut Option<f64>,
) -> Option<PolicyViolation> {
    let previous = previous?;
    *proposed = Some(previous);
    Some(PolicyViolation {
        code: PolicyViolationCode::FilterDeleted,
        detail: format!(
            "Cannot remove {field} filter (previous: {})",
            pyfmt::fixed(previous, 2)
        ),
        field: field.to_owned(),
        attempted: None,
        limit: Some(previous),
        adjusted_to: Some(previous),
    })
}

/// Assets the previous spec excluded by id stay excluded: a revision may add exclusions but
/// never sell what the user said not to. Dropped ids come back (after the revision's own).
fn keep_asset_exclusions(
    previous: Option<&[String]>,
    proposed: &mut Option<Vec<String>>,
) -> Option<PolicyViolation> {
    let previous = previous.filter(|ids| !ids.is_empty())?;
    let kept = proposed.get_or_insert_with(Vec::new);
    let dropped: Vec<&String> = previous.iter().filter(|id| !kept.contains(id)).collect();
    if dropped.is_empty() {
        return None;
    }
    let detail = format!(
        "Cannot remove excluded assets {} from exclude_asset_ids",
        dropped
            .iter()
            .map(|id| id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    kept.extend(dropped.into_iter().cloned());
    Some(PolicyViolation {
        code: PolicyViolationCode::FilterDeleted,
        detail,
        field: "exclude_asset_ids".to_owned(),
        attempted: None,
        limit: None,
        adjusted_to: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Objective;

    #[test]
    fn excluded_assets_and_the_sale_count_are_protected() {
        let mut prev = SelectorSpec::new(Objective::Balanced, 100.0);
        prev.asset_filters.exclude_asset_ids = Some(vec!["A1".into(), "A2".into()]);
        let original = HardConstraints {
            max_assets_sold: Some(5),
            ..HardConstraints::default()
        };
        prev.hard_constraints = original.clone();
        let mut new = prev.clone();
        new.asset_filters.exclude_asset_ids = Some(vec!["A3".into(), "A2".into()]);
        new.hard_constraints.max_assets_sold = Some(9);
        let result = enforce_revision_policy(
            &original,
            100.0,
            &prev,
            &new,
            1.0,
            &RevisionPolicyConfig::default(),
        );
        let spec = result.spec().expect("valid");
        assert_eq!(
            spec.asset_filters.exclude_asset_ids.as_deref(),
            Some(&["A3".to_owned(), "A2".to_owned(), "A1".to_owned()][..])
        );
        assert_eq!(spec.hard_constraints.max_assets_sold, Some(5));
        let codes: Vec<_> = result.violations().iter().map(|v| v.code).collect();
        assert_eq!(
            codes,
            [
                PolicyViolationCode::AssetsSoldRelaxed,
                PolicyViolationCode::FilterDeleted
            ]
        );
        assert_eq!(
            result.violations()[0].detail,
            "Cannot increase max_assets_sold beyond 5 (attempted 9)"
        );
    }

    #[test]
    fn messages_and_bounds_follow_the_configured_steps() {
        let config = RevisionPolicyConfig {
            max_per_iteration_target_drop_fraction: 0.25,
            max_criticality_step: 0.05,
            ..RevisionPolicyConfig::default()
        };
        let mut prev = SelectorSpec::new(Objective::Balanced, 100.0);
        prev.asset_filters.max_criticality = Some(0.5);
        let mut new = SelectorSpec::new(Objective::Balanced, 50.0);
        new.asset_filters.max_criticality = Some(0.9);

        let result = enforce_revision_policy(
            &HardConstraints::default(),
            100.0,
            &prev,
            &new,
            0.5,
            &config,
        );

        assert!(result.spec().is_some());
        let details: Vec<_> = result
            .violations()
            .iter()
            .map(|v| v.detail.as_str())
            .collect();
        assert_eq!(
            details,
            [
                "target_amount cannot drop more than 25% per iteration (min $75, attempted $50)",
                "max_criticality can only increase by 0.05 per iteration (max 0.55, attempted 0.90)",
            ]
        );
        let spec = result.spec().expect("clamped spec");
        assert_eq!(spec.target_amount, 75.0);
        assert_eq!(spec.asset_filters.max_criticality, Some(0.5 + 0.05));
    }

    #[test]
    fn a_rejected_revision_keeps_the_violations_found_before_the_floor() {
        let original = HardConstraints {
            max_net_leverage: Some(4.0),
            ..HardConstraints::default()
        };
        let prev = SelectorSpec::new(Objective::Balanced, 100.0);
        let new = SelectorSpec::new(Objective::Balanced, 90.0);

        let result = enforce_revision_policy(
            &original,
            100.0,
            &prev,
            &new,
            1.0,
            &RevisionPolicyConfig::default(),
        );

        assert!(matches!(result, PolicyDecision::Rejected { .. }));
        let codes: Vec<_> = result.violations().iter().map(|v| v.code).collect();
        assert_eq!(
            codes,
            [
                PolicyViolationCode::ConstraintDeleted,
                PolicyViolationCode::TargetBelowFloor
            ]
        );
        assert_eq!(result.violations()[1].attempted, Some(90.0));
        assert_eq!(result.violations()[1].adjusted_to, None);
    }
}
