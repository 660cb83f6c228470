//! Ranking candidates by score, best first, ties in portfolio order.
//!
//! The reference sorts with Python's stable sort on `-score`. Here the ranking is built for
//! portfolios that do not fit in cache, and for a walk that usually stops well before the end:
//!
//! 1. One pass scatters the candidates into *bands* of about [`BAND_LEN`]: a band is a range
//!    of scores, so everything in a band outranks everything in the bands after it.
//! 2. A band is sorted only when the walk reaches it, by a stable LSD radix sort on an integer
//!    image of the score. A band fits in the CPU's private cache, so sorting it never waits on
//!    memory, and bands the walk never reaches are never sorted.
//!
//! Neither step branches on the data, so ranking 100k candidates costs about ten times
//! ranking 10k: no cache misses or mispredictions grow with the portfolio. Bands are equal
//! ranges of score, so when scores cluster (many ties, a lopsided distribution) some bands are
//! larger; they are sorted the same way, only with more of the work out of cache.

/// Candidates per band, on average. Small enough that a band and its sort buffers stay in a
/// core's L2 cache; large enough that per-band setup is noise.
const BAND_LEN: usize = 2048;

/// A candidate of the ranking.
pub trait Scored: Copy {
    /// Higher ranks first.
    fn score(&self) -> f64;
}

/// Candidates in rank order: by score, highest first; equal scores keep the order they were
/// given in. −0.0 and 0.0 rank equal, as they compare equal in the reference.
pub struct Ranking<T> {
    /// The candidates, band after band; within a band, in the order given.
    banded: Vec<T>,
    /// Band `b` is `banded[band_starts[b]..band_starts[b + 1]]`.
    band_starts: Vec<usize>,
    /// The next band to sort.
    next_band: usize,
    /// The band being walked: where it starts in `banded`, and its candidates' keys and
    /// offsets in rank order.
    band_start: usize,
    band_order: Vec<(u64, u32)>,
    scratch: Vec<(u64, u32)>,
    /// The next entry of `band_order` to hand out.
    next_in_band: usize,
}

impl<T: Scored> Ranking<T> {
    pub fn new(candidates: Vec<T>) -> Self {
        Self::with_band_len(candidates, BAND_LEN)
    }

    fn with_band_len(candidates: Vec<T>, band_len: usize) -> Self {
        let (banded, band_starts) = into_bands(candidates, band_len);
        Ranking {
            banded,
            band_starts,
            next_band: 0,
            band_start: 0,
            band_order: Vec::new(),
            scratch: Vec::new(),
            next_in_band: 0,
        }
    }

    /// Sorts the next band; false when there is none.
    fn sort_next_band(&mut self) -> bool {
        let Some(&end) = self.band_starts.get(self.next_band + 1) else {
            return false;
        };
        self.band_start = self.band_starts[self.next_band];
        self.next_band += 1;
        self.band_order.clear();
        self.band_order.extend(
            self.banded[self.band_start..end]
                .iter()
                .enumerate()
                // A band is a slice of a portfolio, which has fewer than 2^32 assets.
                .map(|(offset, candidate)| (descending_key(candidate.score()), offset as u32)),
        );
        radix_sort(&mut self.band_order, &mut self.scratch);
        self.next_in_band = 0;
        true
    }
}

impl<T: Scored> Iterator for Ranking<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        while self.next_in_band == self.band_order.len() {
            if !self.sort_next_band() {
                return None;
            }
        }
        let (_, offset) = self.band_order[self.next_in_band];
        self.next_in_band += 1;
        Some(self.banded[self.band_start + offset as usize])
    }
}

/// Splits `candidates` into bands of decreasing score, each in the order given, and returns
/// them laid end to end with the start of each band (plus the end of the last).
///
/// The band of a score is `⌊(highest − score) · bands / (highest − lowest)⌋`: every operation
/// in it is monotonic, so a higher score never lands in a later band, and equal scores
/// (−0.0 and 0.0 included) always share one. When the scores have no finite spread (NaN,
/// infinities, all equal) everything is one band, ranked by the radix sort alone.
fn into_bands<T: Scored>(candidates: Vec<T>, band_len: usize) -> (Vec<T>, Vec<usize>) {
    let bands = candidates.len().div_ceil(band_len);
    let (mut lowest, mut highest, mut any_nan) = (f64::INFINITY, f64::NEG_INFINITY, false);
    for candidate in &candidates {
        let score = candidate.score();
        lowest = lowest.min(score);
        highest = highest.max(score);
        any_nan |= score.is_nan();
    }
    let spread = highest - lowest;
    let scale = bands as f64 / spread;
    if bands <= 1 || any_nan || !spread.is_finite() || !scale.is_finite() {
        let all = vec![0, candidates.len()];
        return (candidates, all);
    }
    let band_of = |candidate: &T| (((highest - candidate.score()) * scale) as usize).min(bands - 1);

    let mut band_starts = vec![0; bands + 1];
    for candidate in &candidates {
        band_starts[band_of(candidate) + 1] += 1;
    }
    for band in 1..=bands {
        band_starts[band] += band_starts[band - 1];
    }
    let mut next = band_starts.clone();
    // Filled by copying rather than zeroing: see `radix_sort`.
    let mut banded = candidates.clone();
    for candidate in &candidates {
        let slot = &mut next[band_of(candidate)];
        banded[*slot] = *candidate;
        *slot += 1;
    }
    (banded, band_starts)
}

/// An integer image of `score` whose ascending order is the scores' descending total order,
/// with −0.0 folded into 0.0 (adding 0.0 does that and changes no other value).
fn descending_key(score: f64) -> u64 {
    let bits = (score + 0.0).to_bits();
    // IEEE 754 bits order like sign-magnitude integers: flipping every bit of a negative and
    // only the sign bit of a positive gives an unsigned key that orders like the floats.
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    };
    !ascending
}

const DIGIT_BITS: u32 = 8;
const DIGIT_VALUES: usize = 1 << DIGIT_BITS;
const DIGITS: usize = u64::BITS.div_ceil(DIGIT_BITS) as usize;

fn digit(key: u64, place: usize) -> usize {
    ((key >> (place as u32 * DIGIT_BITS)) as usize) & (DIGIT_VALUES - 1)
}

/// Stable sort of `(key, offset)` records by key, least significant digit first; `scratch` is
/// working space. Each pass is a stable counting sort, so records with equal keys keep their
/// order. A digit that every key shares needs no pass (in a band, the high digits mostly do).
fn radix_sort(records: &mut Vec<(u64, u32)>, scratch: &mut Vec<(u64, u32)>) {
    let mut counts = [[0u32; DIGIT_VALUES]; DIGITS];
    for &(key, _) in records.iter() {
        for (place, count) in counts.iter_mut().enumerate() {
            count[digit(key, place)] += 1;
        }
    }
    // A copy rather than a zeroed buffer: a large zeroed allocation comes fresh from the
    // kernel, which then zeroes every page, while a copy reuses memory the allocator holds.
    scratch.clone_from(records);
    // Bands are slices of a portfolio, which has fewer than 2^32 assets.
    let len = records.len() as u32;
    for (place, count) in counts.iter().enumerate() {
        if count.contains(&len) {
            continue;
        }
        let mut next = [0u32; DIGIT_VALUES];
        let mut offset = 0;
        for (slot, &n) in next.iter_mut().zip(count) {
            *slot = offset;
            offset += n;
        }
        for &record in records.iter() {
            let slot = &mut next[digit(record.0, place)];
            scratch[*slot as usize] = record;
            *slot += 1;
        }
        std::mem::swap(records, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Positions in `scores`, in rank order, with bands of `band_len`.
    fn rank_by_score(scores: &[f64], band_len: usize) -> Vec<usize> {
        let positioned = scores
            .iter()
            .enumerate()
            .map(|(position, &score)| Positioned { position, score });
        Ranking::with_band_len(positioned.collect(), band_len)
            .map(|candidate| candidate.position)
            .collect()
    }

    #[derive(Clone, Copy)]
    struct Positioned {
        position: usize,
        score: f64,
    }

    impl Scored for Positioned {
        fn score(&self) -> f64 {
            self.score
        }
    }

    /// The reference's ordering, by comparison: stable sort on descending score.
    fn rank_by_comparison(scores: &[f64]) -> Vec<usize> {
        let mut positions: Vec<usize> = (0..scores.len()).collect();
        positions.sort_by(|&a, &b| (scores[b] + 0.0).total_cmp(&(scores[a] + 0.0)));
        positions
    }

    fn score() -> impl Strategy<Value = f64> {
        prop_oneof![
            // Few distinct values, so ties are common.
            (-3i32..=3).prop_map(|n| f64::from(n) * 0.25),
            Just(0.0),
            Just(-0.0),
            -2.0f64..2.0,
            any::<f64>().prop_filter("finite", |x| x.is_finite()),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(f64::MIN_POSITIVE),
            Just(-f64::MIN_POSITIVE),
            // Validated inputs never score NaN; if one did, it would rank as `total_cmp` says.
            Just(f64::NAN),
            Just(-f64::NAN),
        ]
    }

    proptest! {
        #[test]
        fn ranking_equals_the_stable_comparison_sort(
            scores in prop::collection::vec(score(), 0..400),
            band_len in prop_oneof![Just(BAND_LEN), 1usize..40],
        ) {
            prop_assert_eq!(rank_by_score(&scores, band_len), rank_by_comparison(&scores));
        }

        #[test]
        fn banded_ranking_of_spread_scores_equals_the_stable_comparison_sort(
            scores in prop::collection::vec(-2.0f64..2.0, 0..2000),
            ties in prop::collection::vec((0usize..2000, 0usize..2000), 0..200),
            band_len in 1usize..64,
        ) {
            // Finite, spread scores take the banded path; copied scores make ties across it.
            let mut scores = scores;
            for (from, to) in ties {
                if from < scores.len() && to < scores.len() {
                    scores[to] = scores[from];
                }
            }
            prop_assert_eq!(rank_by_score(&scores, band_len), rank_by_comparison(&scores));
        }
    }

    #[test]
    fn best_first_with_ties_in_portfolio_order() {
        let scores = [0.1, -0.5, 0.7, 0.1, -0.0, 0.0, 0.7];
        for band_len in [1, 2, 3, BAND_LEN] {
            assert_eq!(
                rank_by_score(&scores, band_len),
                vec![2, 6, 0, 3, 4, 5, 1],
                "bands of {band_len}"
            );
        }
    }

    #[test]
    fn keys_order_like_the_floats_descending() {
        let ascending = [
            f64::NEG_INFINITY,
            -1e300,
            -1.0,
            -f64::MIN_POSITIVE,
            0.0,
            f64::MIN_POSITIVE,
            1.0,
            1e300,
            f64::INFINITY,
        ];
        for pair in ascending.windows(2) {
            assert!(
                descending_key(pair[0]) > descending_key(pair[1]),
                "{pair:?}"
            );
        }
        assert_eq!(descending_key(-0.0), descending_key(0.0));
    }
}
