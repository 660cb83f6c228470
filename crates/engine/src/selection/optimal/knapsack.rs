//! Exact one-row 0-1 knapsack over a few dozen items by meet in the middle.
//!
//! This is what the branch and bound cannot do well on its own: when many assets trade at
//! nearly the same price against the binding row, the relaxation bound is the same for almost
//! every subset, and only a subset that fills the row almost exactly proves optimality.
//! Splitting the items in two halves, listing each half's subsets by weight and matching the
//! lists solves the knapsack over `2^n` subsets in `O(2^(n/2))` steps.

/// Most items one call accepts.
pub const MAX_ITEMS: usize = 36;

/// Subsets listed by a solve over `count` items against `rows` rows (one or two), with the
/// two-row solve's tree operations counted as one listing each: its cost.
pub fn work(count: usize, rows: usize) -> u64 {
    let listed = (1u64 << (count / 2)) + (1u64 << count.div_ceil(2));
    if rows > 1 {
        listed * count.div_ceil(2) as u64
    } else {
        listed
    }
}

/// One subset of a half: total weight, total profit, membership bits.
type Subset = (f64, f64, u64);

/// One subset of a half for two rows: weights, total profit, membership bits.
type TwoRowSubset = ([f64; 2], f64, u64);

/// Reusable buffers, so repeated solves allocate nothing.
#[derive(Debug, Default)]
pub struct Knapsack {
    low: Vec<Subset>,
    high: Vec<Subset>,
    scratch: Vec<Subset>,
    /// For each prefix of `high`, the index of its most profitable subset.
    best_prefix: Vec<usize>,
}

/// Prefix maxima over positions `0..n` (a Fenwick tree): the most profitable subset inserted
/// at a position up to a given one.
struct PrefixBest {
    tree: Vec<Option<(f64, u64)>>,
}

impl PrefixBest {
    fn new(size: usize) -> Self {
        PrefixBest {
            tree: vec![None; size + 1],
        }
    }

    fn insert(&mut self, position: usize, entry: (f64, u64)) {
        let mut at = position + 1;
        while at < self.tree.len() {
            if self.tree[at].is_none_or(|(profit, _)| entry.0 > profit) {
                self.tree[at] = Some(entry);
            }
            at += at & at.wrapping_neg();
        }
    }

    /// The best entry at positions below `end`.
    fn best_before(&self, end: usize) -> Option<(f64, u64)> {
        let mut best: Option<(f64, u64)> = None;
        let mut at = end;
        while at > 0 {
            if let Some(entry) = self.tree[at]
                && best.is_none_or(|(profit, _)| entry.0 > profit)
            {
                best = Some(entry);
            }
            at -= at & at.wrapping_neg();
        }
        best
    }
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

/// The most profitable subset of the items whose weights keep both rows within their
/// capacities (weights of any sign, at most [`MAX_ITEMS`] items): its bit mask and profit;
/// `None` when no subset, not even the empty one, fits. Deterministic.
///
/// The high half's subsets are swept by their first weight while a prefix-maximum tree over
/// their second weight answers, for each low subset, the best partner that fits both rows:
/// `O(2^(n/2)·n)`.
pub fn solve_two_rows(
    weights: [&[f64]; 2],
    profits: &[f64],
    capacity: [f64; 2],
) -> Option<(u64, f64)> {
    if weights[0].len() > MAX_ITEMS {
        return None;
    }
    let half = profits.len() / 2;
    let subsets = |range: std::ops::Range<usize>| -> Vec<TwoRowSubset> {
        let mut subsets: Vec<TwoRowSubset> = vec![([0.0, 0.0], 0.0, 0)];
        for item in range {
            let added = subsets.iter().map(|&(w, p, mask)| {
                (
                    [w[0] + weights[0][item], w[1] + weights[1][item]],
                    p + profits[item],
                    mask | 1 << item,
                )
            });
            let added: Vec<TwoRowSubset> = added.collect();
            subsets.extend(added);
        }
        subsets
    };
    let mut low = subsets(0..half);
    let mut high = subsets(half..profits.len());
    // Low subsets by descending first weight leave more and more first-row room.
    low.sort_by(|a, b| b.0[0].total_cmp(&a.0[0]).then(a.2.cmp(&b.2)));
    high.sort_by(|a, b| a.0[0].total_cmp(&b.0[0]).then(a.2.cmp(&b.2)));
    let mut second: Vec<f64> = high.iter().map(|subset| subset.0[1]).collect();
    second.sort_by(f64::total_cmp);
    let mut tree = PrefixBest::new(second.len());
    let mut inserted = 0;
    let mut best: Option<(u64, f64)> = None;
    for &(w, profit, mask) in &low {
        while inserted < high.len() && w[0] + high[inserted].0[0] <= capacity[0] {
            let (hw, hp, hmask) = high[inserted];
            tree.insert(second.partition_point(|&v| v < hw[1]), (hp, hmask));
            inserted += 1;
        }
        let room = capacity[1] - w[1];
        if let Some((partner, partner_mask)) =
            tree.best_before(second.partition_point(|&v| v <= room))
            && best.is_none_or(|(_, most)| profit + partner > most)
        {
            best = Some((mask | partner_mask, profit + partner));
        }
    }
    best
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic values in [-1, 1).
    fn values(seed: u64, count: usize) -> Vec<f64> {
        let mut state = seed;
        (0..count)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 11) as f64 / (1u64 << 52) as f64 - 1.0
            })
            .collect()
    }

    /// The best profit over every subset, by enumeration.
    fn brute_force(weights: [&[f64]; 2], profits: &[f64], capacity: [f64; 2]) -> Option<f64> {
        (0u64..1 << profits.len())
            .filter_map(|mask| {
                let sum = |v: &[f64]| -> f64 {
                    (0..v.len())
                        .filter(|i| mask >> i & 1 == 1)
                        .map(|i| v[i])
                        .sum()
                };
                (sum(weights[0]) <= capacity[0] && sum(weights[1]) <= capacity[1])
                    .then(|| sum(profits))
            })
            .reduce(f64::max)
    }

    #[test]
    fn one_row_matches_a_brute_force() {
        let mut knapsack = Knapsack::default();
        for seed in 0..40 {
            let count = 1 + seed as usize % 14;
            let weights: Vec<f64> = values(seed, count).iter().map(|w| w.abs()).collect();
            let profits = values(seed + 1000, count);
            let capacity = weights.iter().sum::<f64>() * 0.4;
            let (mask, profit) = knapsack.solve(&weights, &profits, capacity).expect("fits");
            let chosen_weight: f64 = (0..count)
                .filter(|i| mask >> i & 1 == 1)
                .map(|i| weights[i])
                .sum();
            assert!(chosen_weight <= capacity);
            let best = brute_force([&weights, &vec![0.0; count]], &profits, [capacity, 0.0]);
            assert!(
                (profit - best.expect("feasible")).abs() < 1e-12,
                "seed {seed}"
            );
        }
    }

    #[test]
    fn two_rows_match_a_brute_force() {
        for seed in 0..40 {
            let count = 1 + seed as usize % 14;
            let (first, second) = (values(seed, count), values(seed + 500, count));
            let profits = values(seed + 1000, count);
            let capacity = [0.3, -0.2];
            let solved = solve_two_rows([&first, &second], &profits, capacity);
            let best = brute_force([&first, &second], &profits, capacity);
            assert_eq!(solved.is_some(), best.is_some(), "seed {seed}");
            if let (Some((_, profit)), Some(best)) = (solved, best) {
                assert!((profit - best).abs() < 1e-12, "seed {seed}");
            }
        }
    }

    #[test]
    fn a_negative_capacity_admits_no_subset() {
        assert_eq!(Knapsack::default().solve(&[1.0], &[1.0], -0.5), None);
    }
}
