//! The reference's greedy walk, in O(n log n).
//!
//! Candidates are ranked by score (descending, stable) and taken in that order; a candidate is
//! skipped when adding it would break a hard constraint, and the walk stops once proceeds reach
//! the target within tolerance. The reference re-checks the whole tentative selection for every
//! candidate (O(n²)); here the check runs on running totals, which are bit-identical to
//! re-summing the tentative list left to right, so the picks are the same.

use crate::config::EngineConfig;
use crate::constraints::satisfies_hard_constraints;
use crate::economics::{AssetMetrics, Contribution, SelectionTotals, asset_metrics};
use crate::model::{Asset, AssetSelection, CorporateState, SelectorSpec};
use crate::scoring::score;

/// An eligible asset, priced.
struct Candidate<'a> {
    asset: &'a Asset,
    metrics: AssetMetrics,
    contribution: Contribution,
}

/// Picks from `eligible` (already filtered, in portfolio order); returns the picks in order.
pub fn select(
    eligible: &[&Asset],
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> Vec<AssetSelection> {
    let candidates: Vec<Candidate> = eligible
        .iter()
        .map(|&asset| {
            let metrics = asset_metrics(asset, config);
            let contribution = Contribution::of_asset(asset, &metrics, config);
            Candidate {
                asset,
                metrics,
                contribution,
            }
        })
        .collect();

    let stop_at = spec.target_amount * (1.0 - config.target_tolerance);
    let mut totals = SelectionTotals::default();
    let mut picked = Vec::new();
    for index in ranking(eligible, spec) {
        let tentative = totals.with(candidates[index].contribution);
        if !satisfies_hard_constraints(&tentative, state, &spec.hard_constraints, config) {
            continue;
        }
        totals = tentative;
        picked.push(index);
        if totals.proceeds >= stop_at {
            break;
        }
    }

    picked
        .into_iter()
        .map(|index| {
            let Candidate { asset, metrics, .. } = &candidates[index];
            AssetSelection {
                asset: (*asset).clone(),
                proceeds: metrics.proceeds,
                slb_rent: metrics.slb_rent,
            }
        })
        .collect()
}

/// Positions in `eligible` by score, best first; equal scores keep portfolio order.
///
/// Sorting (score, position) pairs with the position as tie-breaker is a total order, so the
/// faster unstable sort gives exactly the stable sort's result.
fn ranking(eligible: &[&Asset], spec: &SelectorSpec) -> Vec<usize> {
    let mut keyed: Vec<(f64, usize)> = eligible
        .iter()
        .enumerate()
        .map(|(position, asset)| (sort_key(score(asset, &spec.soft_preferences)), position))
        .collect();
    keyed.sort_unstable_by(|(score_a, position_a), (score_b, position_b)| {
        score_b.total_cmp(score_a).then(position_a.cmp(position_b))
    });
    keyed.into_iter().map(|(_, position)| position).collect()
}

/// The score as a totally ordered key that, like the reference's comparison, treats −0.0 and
/// 0.0 as equal (adding 0.0 turns −0.0 into 0.0 and leaves every other value unchanged).
fn sort_key(score: f64) -> f64 {
    score + 0.0
}
