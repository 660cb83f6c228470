//! Analyst workflows over the engine (docs/analyses.md): the proceeds frontier
//! ([`frontier`](mod@frontier)) and the sensitivity grid ([`sensitivity`](mod@sensitivity)).
//!
//! An analyst asks many questions of one portfolio ("how much at each leverage level?",
//! "what if cap rates move 50 bps?"); each answer here is a set of independent engine solves.
//! They run in parallel on rayon's pool and are collected in input order, so the output is
//! the same bytes whatever the number of threads and whichever solve finishes first. Every
//! solve is bounded by the engine's node budget (`EngineConfig::optimiser_node_budget`), not
//! by a clock, and says whether its optimum is proven.

pub mod frontier;
pub mod sensitivity;

pub use frontier::{AnalysisInput, frontier};
pub use sensitivity::{GridInput, sensitivity};

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::config::EngineConfig;
use crate::credit::{covenant_leverage_after, lease_adjusted_leverage_after};
use crate::economics::SelectionTotals;
use crate::model::{CorporateState, ProgramMetrics, ProgramOutcome};

/// Progress of a long analysis: called with (solves done, solves expected) from any thread.
/// The expected count of a frontier is an upper bound (its search for the lowest level may
/// stop early).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// A progress callback that ignores its calls.
pub fn no_progress(_: usize, _: usize) {}

/// Counts finished solves and reports them.
pub(crate) struct Counter<'a> {
    done: AtomicUsize,
    total: usize,
    report: Progress<'a>,
}

impl<'a> Counter<'a> {
    pub(crate) fn new(total: usize, report: Progress<'a>) -> Self {
        Counter {
            done: AtomicUsize::new(0),
            total,
            report,
        }
    }

    /// One more solve done (or `count` skipped ones).
    pub(crate) fn advance(&self, count: usize) {
        let done = self.done.fetch_add(count, Ordering::Relaxed) + count;
        (self.report)(done.min(self.total), self.total);
    }
}

/// Every frontier metric of an outcome, from the same left-to-right totals as the constraint
/// check that judged it.
pub fn program_metrics(
    outcome: &ProgramOutcome,
    state: &CorporateState,
    config: &EngineConfig,
) -> ProgramMetrics {
    let totals = SelectionTotals::of(&outcome.selected_assets, config);
    ProgramMetrics {
        reported_leverage: outcome.leverage_after,
        lease_adjusted_leverage: lease_adjusted_leverage_after(state, &totals, config),
        covenant_leverage: covenant_leverage_after(state, &totals, config),
        new_rent: totals.slb_rent,
        critical_fraction: outcome.critical_fraction,
    }
}
