//! Exact one-row 0-1 knapsack over a few dozen items by meet in the middle.
//!
//! This is what the branch and bound cannot do well on its own: when many assets trade at
//! nearly the same price against the binding row, the relaxation bound is the same for almost
//! every subset, and only a subset that fills the row almost exactly proves optimality.
//! Splitting the items in two halves, listing each half's subsets by weight and matching the
//! lists solves the knapsack over `2^n` subsets in `O(2^(n/2))` steps.

/// Most items one call accepts.
pub const MAX_ITEMS: usize = 36;

/// Subsets listed by a solve over `count` items: its cost.
pub fn work(count: usize) -> u64 {
    (1u64 << (count / 2)) + (1u64 << count.div_ceil(2))
}

/// One subset of a half: total weight, total profit, membership bits.
type Subset = (f64, f64, u64);

/// Reusable buffers, so repeated solves allocate nothing.
#[derive(Debug, Default)]
pub struct Knapsack {
    low: Vec<Subset>,
    high: Vec<Subset>,
    scratch: Vec<Subset>,
    /// For each prefix of `high`, the index of its most profitable subset.
    best_prefix: Vec<usize>,
}

impl Knapsack {
    /// The most profitable subset of the items (`weights` non-negative, at most [`MAX_ITEMS`])
    /// whose weight does not exceed `capacity`: its bit mask and profit. `None` when
    /// `capacity` is negative or too many items are given. Deterministic.
    pub fn solve(&mut self, weights: &[f64], profits: &[f64], capacity: f64) -> Option<(u64, f64)> {
        if capacity < 0.0 || weights.len() > MAX_ITEMS {
            return None;
        }
        let half = weights.len() / 2;
        list_subsets(
            &weights[..half],
            &profits[..half],
            0,
            &mut self.low,
            &mut self.scratch,
        );
        list_subsets(
            &weights[half..],
            &profits[half..],
            half,
            &mut self.high,
            &mut self.scratch,
        );
        self.best_prefix.clear();
        let mut best_at = 0;
        for (index, subset) in self.high.iter().enumerate() {
            if subset.1 > self.high[best_at].1 {
                best_at = index;
            }
            self.best_prefix.push(best_at);
        }
        // Low subsets by ascending weight leave less and less room: the cursor over the high
        // subsets that still fit only moves down.
        let mut best: Option<(u64, f64)> = None;
        let mut fitting = self.high.len();
        for &(weight, profit, mask) in &self.low {
            while fitting > 0 && weight + self.high[fitting - 1].0 > capacity {
                fitting -= 1;
            }
            let Some(last) = fitting.checked_sub(1) else {
                break;
            };
            let (_, high_profit, high_mask) = self.high[self.best_prefix[last]];
            let total = profit + high_profit;
            if best.is_none_or(|(_, most)| total > most) {
                best = Some((mask | high_mask, total));
            }
        }
        best
    }
}

/// Every subset of the items, with bits numbered from `first_bit`, in ascending order of
/// weight, written to `subsets`. Built by merging, for each item in turn, the sorted subsets
/// without it and with it, so no sort is needed.
fn list_subsets(
    weights: &[f64],
    profits: &[f64],
    first_bit: usize,
    subsets: &mut Vec<Subset>,
    merged: &mut Vec<Subset>,
) {
    subsets.clear();
    subsets.push((0.0, 0.0, 0));
    for (offset, (&weight, &profit)) in weights.iter().zip(profits).enumerate() {
        let bit = 1u64 << (first_bit + offset);
        let with = |&(w, p, mask): &Subset| (w + weight, p + profit, mask | bit);
        merged.clear();
        let (mut without_at, mut with_at) = (0, 0);
        while without_at < subsets.len() && with_at < subsets.len() {
            let added = with(&subsets[with_at]);
            if added.0 < subsets[without_at].0 {
                merged.push(added);
                with_at += 1;
            } else {
                merged.push(subsets[without_at]);
                without_at += 1;
            }
        }
        merged.extend_from_slice(&subsets[without_at..]);
        merged.extend(subsets[with_at..].iter().map(with));
        std::mem::swap(subsets, merged);
    }
}
