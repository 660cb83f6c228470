//! Revision after an infeasible run (DECISIONS P4, SPEC §9.2 revision rules): one rung of a
//! fixed ladder per call, so each revision is small and the sequence is predictable.
//!
//! 1. Relax the filters the brief did not state: `max_criticality` up one policy step,
//!    `min_leaseability_score` down one step, unstated type and market filters dropped.
//! 2. Soften the soft weights once: halve the weight of a preference the brief did not ask for.
//! 3. Cut the target by 10 % of the brief's amount, never below 80 % of it (10 % of the
//!    current target when the brief names no amount).
//!
//! Hard constraints, program type, objective and `max_iterations` are never touched, and the
//! filter values always lie within the revision policy's per-iteration steps, so the policy
//! has nothing to clamp. Single assets the brief named (`exclude_asset_ids`,
//! `include_asset_ids`) are the brief's, never relaxed. The ladder depends only on the brief
//! and the previous spec: the rung is visible in the spec itself.
//!
//! One exception reads the outcome. When everything it misses is a maximum leverage (net,
//! lease-adjusted or covenant) and possibly the target, more proceeds are the cure: every sale
//! repays debt, so a smaller target cannot bring leverage down, and neither can reweighting
//! the same candidates. Then only rung 1 applies — relax the unstated filters, which widens
//! the pool — and once nothing is left to relax the spec is returned unchanged: the revision
//! policy lets the target fall, it never makes it fall.

use engine::RevisionPolicyConfig;
use engine::model::ViolationCode;

use engine::model::{AssetFilters, SelectorSpec, SoftPreferences};

use super::brief::StatedTerms;

/// Share of the brief's amount (or of the current target, without one) one revision cuts.
const TARGET_CUT_STEP: f64 = 0.10;

/// The largest total cut relative to the amount the brief states.
const MAX_TOTAL_TARGET_CUT: f64 = 0.20;

/// The weight a softened preference gets (from the default 1.0).
const SOFTENED_WEIGHT: f64 = 0.5;

/// Leverage limits: selling more brings each of them down.
const CURED_BY_MORE_SALES: &[ViolationCode] = &[
    ViolationCode::MaxNetLeverage,
    ViolationCode::MaxLeaseAdjustedLeverage,
    ViolationCode::MaxCovenantLeverage,
];

/// The next spec; `violations` are the codes of the previous outcome (empty when unknown).
pub(crate) fn revise(
    stated: &StatedTerms,
    previous: &SelectorSpec,
    policy: &RevisionPolicyConfig,
    violations: &[ViolationCode],
) -> SelectorSpec {
    let mut next = previous.clone();
    if relax_unstated_filters(&mut next.asset_filters, stated, policy)
        || more_sales_cure(violations)
        || soften_weights(&mut next.soft_preferences, stated)
    {
        return next;
    }
    next.target_amount = cut_target(previous.target_amount, stated.target_amount, policy);
    next
}

/// Whether the outcome misses only leverage limits, and perhaps the target.
fn more_sales_cure(violations: &[ViolationCode]) -> bool {
    violations
        .iter()
        .any(|code| CURED_BY_MORE_SALES.contains(code))
        && violations
            .iter()
            .all(|code| CURED_BY_MORE_SALES.contains(code) || *code == ViolationCode::TargetNotMet)
}

/// Rung 1. Returns whether anything was relaxed.
fn relax_unstated_filters(
    filters: &mut AssetFilters,
    stated: &StatedTerms,
    policy: &RevisionPolicyConfig,
) -> bool {
    let before = filters.clone();
    let limits = &stated.limits;
    if limits.max_criticality.is_none() {
        filters.max_criticality = filters
            .max_criticality
            .map(|v| v + policy.max_criticality_step);
    }
    if limits.min_leaseability_score.is_none() {
        filters.min_leaseability_score = filters
            .min_leaseability_score
            .map(|v| v - policy.min_leaseability_step);
    }
    conform_to_policy_steps(filters, &before, policy);
    if stated.include_asset_types.is_empty() {
        filters.include_asset_types = None;
    }
    keep_only(
        &mut filters.exclude_asset_types,
        &stated.exclude_asset_types,
    );
    keep_only(&mut filters.exclude_markets, &stated.exclude_markets);
    *filters != before
}

/// Clamps the numeric filters into what the revision policy accepts from `previous` (SPEC §7
/// rules 9b and 10b, same arithmetic), which also bounds them by the ceiling and the floor.
fn conform_to_policy_steps(
    filters: &mut AssetFilters,
    previous: &AssetFilters,
    policy: &RevisionPolicyConfig,
) {
    if let Some(v) = filters.max_criticality {
        let base = previous
            .max_criticality
            .unwrap_or(policy.max_criticality_default_baseline);
        let highest = (base + policy.max_criticality_step).min(policy.max_criticality_ceiling);
        filters.max_criticality = Some(v.min(highest));
    }
    if let Some(v) = filters.min_leaseability_score {
        let base = previous
            .min_leaseability_score
            .unwrap_or(policy.min_leaseability_default_baseline);
        let lowest = (base - policy.min_leaseability_step).max(policy.min_leaseability_floor);
        filters.min_leaseability_score = Some(v.max(lowest));
    }
}

/// Keeps the entries of a list filter that the brief asked for; an emptied list becomes null.
fn keep_only<T: PartialEq>(list: &mut Option<Vec<T>>, stated: &[T]) {
    if let Some(items) = list.as_mut() {
        items.retain(|item| stated.contains(item));
        if items.is_empty() {
            *list = None;
        }
    }
}

/// Rung 2, once: only while the preferences are still the defaults. Criticality is softened
/// first unless the brief talks about criticality; then leaseability unless it talks about
/// that. Returns whether anything changed.
fn soften_weights(preferences: &mut SoftPreferences, stated: &StatedTerms) -> bool {
    if *preferences != SoftPreferences::default() {
        return false;
    }
    let limits = &stated.limits;
    let criticality_stated =
        limits.max_criticality.is_some() || limits.max_critical_fraction.is_some();
    if !criticality_stated {
        preferences.weight_criticality = SOFTENED_WEIGHT;
    } else if limits.min_leaseability_score.is_none() {
        preferences.weight_leaseability = SOFTENED_WEIGHT;
    }
    *preferences != SoftPreferences::default()
}

/// Rung 3: the target after one cut. With an amount in the brief, cuts are 10 % of that
/// amount and stop at 80 % of it (a target already there, like a conservative scenario's, is
/// not cut); without one, each cut is 10 % of the current target.
fn cut_target(current: f64, stated: Option<f64>, policy: &RevisionPolicyConfig) -> f64 {
    let step = TARGET_CUT_STEP.min(policy.max_per_iteration_target_drop_fraction);
    match stated {
        Some(amount) => {
            let lowest = amount * (1.0 - MAX_TOTAL_TARGET_CUT);
            if current > lowest {
                (current - amount * step).max(lowest)
            } else {
                current
            }
        }
        None => current * (1.0 - step),
    }
}
