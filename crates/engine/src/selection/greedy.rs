//! The reference's greedy walk, in O(n log n).
//!
//! Candidates are ranked by score (descending, stable) and taken in that order; a candidate is
//! skipped when adding it would break a hard constraint, and the walk stops once proceeds reach
//! the target within tolerance. The reference re-checks the whole tentative selection for every
//! candidate (O(n²)); here the check runs on running totals, which are bit-identical to
//! re-summing the tentative list left to right, so the picks are the same.
//!
//! The walk is laid out for large portfolios: one sequential pass filters, prices and scores
//! the portfolio into small records, the ranking is a radix sort, the walk touches only those
//! records, and the picks share the portfolio's assets instead of copying them.

use std::sync::Arc;

use crate::config::EngineConfig;
use crate::constraints::satisfies_hard_constraints;
use crate::economics::{Contribution, SelectionTotals, asset_metrics};
use crate::filters::passes_filters;
use crate::model::{Asset, AssetSelection, CorporateState, SelectorSpec};
use crate::scoring::score;

use super::rank::Ranking;

/// What the walk picked.
pub struct Picks {
    /// In pick order.
    pub selected: Vec<AssetSelection>,
    /// Left-to-right totals of `selected`.
    pub totals: SelectionTotals,
    /// How many assets passed the filters.
    pub eligible: usize,
}

/// Filters `assets`, ranks the eligible ones and walks them; returns the picks in order.
pub fn select(
    assets: &[Arc<Asset>],
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> Picks {
    // Eligible assets in portfolio order: where each sits in `assets`, what it contributes,
    // and its rank by preference score.
    let mut positions = Vec::with_capacity(assets.len());
    let mut contributions = Vec::with_capacity(assets.len());
    let mut ranking = Ranking::with_capacity(assets.len());
    for (position, asset) in assets.iter().enumerate() {
        if !passes_filters(asset, &spec.asset_filters) {
            continue;
        }
        let metrics = asset_metrics(asset, config);
        positions.push(position);
        contributions.push(Contribution::of_asset(asset, &metrics, config));
        ranking.push(score(asset, &spec.soft_preferences));
    }

    let stop_at = spec.target_amount * (1.0 - config.target_tolerance);
    let mut totals = SelectionTotals::default();
    let mut picked = Vec::new();
    for candidate in ranking.best_first() {
        let tentative = totals.with(contributions[candidate]);
        if !satisfies_hard_constraints(&tentative, state, &spec.hard_constraints, config) {
            continue;
        }
        totals = tentative;
        picked.push(candidate);
        if totals.proceeds >= stop_at {
            break;
        }
    }

    let selected = picked
        .into_iter()
        .map(|candidate| {
            let contribution = &contributions[candidate];
            AssetSelection {
                asset: Arc::clone(&assets[positions[candidate]]),
                proceeds: contribution.proceeds,
                slb_rent: contribution.slb_rent,
            }
        })
        .collect();
    Picks {
        selected,
        totals,
        eligible: positions.len(),
    }
}
