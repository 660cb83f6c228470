//! The reference's greedy walk, in O(n log n).
//!
//! Candidates are ranked by score (descending, stable) and taken in that order; a candidate is
//! skipped when adding it would break a hard constraint, and the walk stops once proceeds reach
//! the target within tolerance. The reference re-checks the whole tentative selection for every
//! candidate (O(n²)); here the check runs on running totals, which are bit-identical to
//! re-summing the tentative list left to right, so the picks are the same.
//!
//! The walk is laid out for portfolios that do not fit in cache: one sequential pass over the
//! portfolio's columns filters, prices and scores every asset into a small record; the ranking
//! sorts those records band by band, only as far as the walk goes (see the `rank` module);
//! and the walk reads nothing but the records. Picks are positions in the portfolio, so no
//! asset is touched after the first pass.

use crate::config::EngineConfig;
use crate::constraints::satisfies_hard_constraints;
use crate::credit::needs_taxable_gain;
use crate::economics::{Contribution, SelectionTotals, is_critical_level, metrics_of, slb_rent};
use crate::model::{CorporateState, Portfolio, SelectedAssets, SelectorSpec};
use crate::scoring::score_of;

use super::columns::ColumnFilter;
use super::rank::{Ranking, Scored};

/// What the walk picked.
pub struct Picks {
    /// In pick order.
    pub selected: SelectedAssets,
    /// Left-to-right totals of `selected`.
    pub totals: SelectionTotals,
    /// How many assets passed the filters.
    pub eligible: usize,
}

/// An eligible asset: what the walk needs of it, priced and scored.
#[derive(Clone, Copy)]
struct Candidate {
    score: f64,
    proceeds: f64,
    noi: f64,
    position: u32,
    /// Criticality strictly above the config's threshold.
    is_critical: bool,
}

impl Scored for Candidate {
    fn score(&self) -> f64 {
        self.score
    }
}

/// Filters the portfolio, ranks the eligible assets and walks them; returns the picks in order.
pub fn select(
    portfolio: &Portfolio,
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> Picks {
    let candidates = candidates(portfolio, spec, config);
    let eligible = candidates.len();

    let stop_at = spec.target_amount * (1.0 - config.target_tolerance);
    let mut totals = SelectionTotals::default();
    let mut selected = SelectedAssets::new(portfolio);
    // The gain costs a scattered read per walked asset; only the lease-aware limits use it.
    let tax_basis =
        needs_taxable_gain(&spec.hard_constraints).then(|| &portfolio.columns().tax_basis);
    for candidate in Ranking::new(candidates) {
        // Recomputed rather than carried: only walked candidates need it.
        let slb_rent = slb_rent(candidate.noi, config);
        let tentative = totals.with(Contribution {
            proceeds: candidate.proceeds,
            slb_rent,
            noi: candidate.noi,
            taxable_gain: tax_basis.map_or(0.0, |basis| {
                candidate.proceeds - basis[candidate.position as usize]
            }),
            is_critical: candidate.is_critical,
        });
        if !satisfies_hard_constraints(&tentative, state, &spec.hard_constraints, config) {
            continue;
        }
        totals = tentative;
        selected.push(candidate.position as usize, candidate.proceeds, slb_rent);
        if totals.proceeds >= stop_at {
            break;
        }
    }
    Picks {
        selected,
        totals,
        eligible,
    }
}

/// The assets that pass the spec's filters, in portfolio order, priced and scored: what
/// [`passes_filters`](crate::filters::passes_filters),
/// [`asset_metrics`](crate::economics::asset_metrics) and [`score`](crate::scoring::score) say
/// of each asset, read from the portfolio's columns.
fn candidates(portfolio: &Portfolio, spec: &SelectorSpec, config: &EngineConfig) -> Vec<Candidate> {
    let columns = portfolio.columns();
    let filter = ColumnFilter::new(&spec.asset_filters, columns, portfolio);
    let mut candidates = Vec::with_capacity(columns.len());
    for position in 0..columns.len() {
        if !filter.passes(columns, position) {
            continue;
        }
        let criticality = columns.criticality[position];
        let noi = columns.noi[position];
        let metrics = metrics_of(
            noi,
            columns.asset_type[position],
            columns.market_tier[position],
            config,
        );
        candidates.push(Candidate {
            score: score_of(
                criticality,
                columns.leaseability_score[position],
                &spec.soft_preferences,
            ),
            proceeds: metrics.proceeds,
            noi,
            // A portfolio has fewer than 2^32 assets.
            position: position as u32,
            is_critical: is_critical_level(criticality, config),
        });
    }
    candidates
}
