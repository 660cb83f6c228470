//! Limits stated in a brief: leverage, fixed-charge and interest coverage, the critical share
//! of sold NOI, and the criticality and leaseability thresholds of single assets.
//!
//! The brief is read as a sequence of metric mentions ("net debt / EBITDA", "FCCR",
//! "mission-critical") and numbers with their comparators. A number binds to the metric
//! mentioned before it in the same sentence ("leverage below 4x"), or, failing that, to the
//! one right after it ("3.5x max leverage", "no more than 25% of sold NOI may come from
//! mission-critical sites"). "It" refers back to the last metric, so "leverage is 5x today;
//! keep it under 4x" yields 4x: today's figures never become requirements. Metrics named
//! without a number take the SPEC §9.2 values when the wording asks for it ("strong interest
//! coverage" → 3.5, "avoid critical assets" → 0.5, "non-critical" → 0.6, "easily re-leasable"
//! → 0.7).

use std::ops::Range;

use super::amounts::Money;
use super::comparators::{Bound, read_bound};
use super::lexer::Token;
use super::metrics::{Metric, metric_at, states_requirement_in_words};
use super::phrases::{ends_sentence, is_any};
use super::quantities::{Quantity, read_quantity};

/// The limits a brief states; `None` where it says nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Limits {
    pub max_net_leverage: Option<f64>,
    pub min_fixed_charge_coverage: Option<f64>,
    pub min_interest_coverage: Option<f64>,
    pub max_critical_fraction: Option<f64>,
    pub max_criticality: Option<f64>,
    pub min_leaseability_score: Option<f64>,
}

impl Limits {
    fn slot(&mut self, metric: Metric) -> &mut Option<f64> {
        match metric {
            Metric::Leverage => &mut self.max_net_leverage,
            Metric::FixedChargeCoverage => &mut self.min_fixed_charge_coverage,
            Metric::InterestCoverage => &mut self.min_interest_coverage,
            Metric::CriticalShare => &mut self.max_critical_fraction,
            Metric::Criticality => &mut self.max_criticality,
            Metric::Leaseability => &mut self.min_leaseability_score,
        }
    }

    /// Records a number; when the brief states a metric twice the stricter value holds.
    fn require(&mut self, metric: Metric, value: f64) {
        let slot = self.slot(metric);
        *slot = Some(match *slot {
            Some(old) if metric.is_capped() => old.min(value),
            Some(old) => old.max(value),
            None => value,
        });
    }
}

/// Words that start a new clause for a number still looking for its metric.
const CLAUSE_BREAKS: &[&str] = &[
    "and", "but", "while", "whereas", "although", "though", "yet", "plus",
];

/// Verbs that, after a clause break, start a new predicate: the metric before no longer
/// takes numbers ("avoid critical assets and sell 30% of the stores").
const CLAUSE_VERBS: &[&str] = &[
    "sell",
    "selling",
    "raise",
    "raising",
    "use",
    "using",
    "keep",
    "keeping",
    "avoid",
    "avoiding",
    "exclude",
    "excluding",
    "focus",
    "target",
    "targeting",
    "generate",
    "maintain",
    "ensure",
    "monetize",
    "monetise",
    "prefer",
    "do",
    "hold",
];

/// How far apart a number and the metric after it may be ("25% of sold NOI may come from
/// mission-critical sites").
const FORWARD_REACH: usize = 10;

#[derive(Debug, Clone, Copy)]
struct Mention {
    metric: Metric,
    /// The mention itself says the figure it meets first is today's ("current leverage of 5x").
    describes_today: bool,
}

/// Pairs numbers with metrics in one left-to-right pass.
#[derive(Default)]
struct Binder {
    limits: Limits,
    /// A metric mentioned and still waiting for its number.
    open_metric: Option<Mention>,
    /// A number (with its bound) still waiting for a metric written after it.
    open_number: Option<(Quantity, Bound)>,
    last_metric: Option<Metric>,
    /// Start of the text the next number's comparator is read from.
    window_start: usize,
}

impl Binder {
    fn metric(&mut self, metric: Metric, span: Range<usize>, describes_today: bool) {
        let waiting = self.open_number.take();
        let bound_forward = waiting.is_some_and(|(quantity, bound)| {
            span.start - quantity.end <= FORWARD_REACH
                && metric.accepts(&quantity)
                && metric.points_the_right_way(bound)
        });
        match waiting {
            Some((quantity, _)) if bound_forward => {
                self.limits.require(metric, quantity.value);
                self.open_metric = None;
            }
            _ => {
                self.open_metric = Some(Mention {
                    metric,
                    describes_today,
                })
            }
        }
        self.last_metric = Some(metric);
        self.window_start = span.end;
    }

    fn number(&mut self, tokens: &[Token], quantity: Quantity) {
        let reading = read_bound(
            tokens,
            self.window_start..quantity.start,
            quantity.start,
            quantity.end,
        );
        let mut bound = reading.bound;
        self.window_start = quantity.end + reading.trailing;
        let Some(mention) = self.open_metric.filter(|m| m.metric.accepts(&quantity)) else {
            self.open_number = Some((quantity, bound));
            return;
        };
        if mention.describes_today && bound == Bound::Stated {
            bound = Bound::Today;
        }
        if bound == Bound::Today {
            // Today's figure: the metric keeps waiting for its requirement.
            self.open_metric = Some(Mention {
                describes_today: false,
                ..mention
            });
        } else if mention.metric.points_the_right_way(bound) {
            self.limits.require(mention.metric, quantity.value);
            self.open_metric = None;
        }
    }

    /// "it" takes up the last metric again; the comparator window stays open, so "without
    /// letting it go above 3.5x" keeps its negation.
    fn pronoun(&mut self) {
        if self.open_metric.is_none() {
            self.open_metric = self.last_metric.map(|metric| Mention {
                metric,
                describes_today: false,
            });
        }
    }

    fn clause_break(&mut self, starts_new_predicate: bool) {
        self.open_number = None;
        if starts_new_predicate {
            self.open_metric = None;
        }
    }

    fn sentence_end(&mut self, end: usize) {
        self.open_metric = None;
        self.open_number = None;
        self.window_start = end;
    }
}

/// Everything the brief requires of leverage, coverage, criticality and leaseability.
pub(crate) fn read_limits(tokens: &[Token], money: &[Money]) -> Limits {
    let mut binder = Binder::default();
    let mut worded: Vec<Metric> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(amount) = money.iter().find(|m| m.span.start == i) {
            i = amount.span.end;
            continue;
        }
        if ends_sentence(&tokens[i]) {
            binder.sentence_end(i + 1);
            i += 1;
        } else if let Some((metric, naming, len)) = metric_at(tokens, i) {
            if states_requirement_in_words(tokens, i, len, metric, naming) {
                worded.push(metric);
            }
            let today = is_any(
                i.checked_sub(1).and_then(|k| tokens.get(k)),
                &["current", "existing", "today"],
            );
            binder.metric(metric, i..i + len, today);
            i += len;
        } else if let Some(quantity) = read_quantity(tokens, i) {
            binder.number(tokens, quantity);
            i = quantity.end;
        } else {
            if is_any(tokens.get(i), &["it", "this", "which"]) {
                binder.pronoun();
            } else if tokens[i].is_symbol(',') || is_any(tokens.get(i), CLAUSE_BREAKS) {
                binder.clause_break(is_any(tokens.get(i + 1), CLAUSE_VERBS));
            }
            i += 1;
        }
    }
    let mut limits = binder.limits;
    for metric in worded {
        let slot = limits.slot(metric);
        if slot.is_none() {
            *slot = metric.qualitative_value();
        }
    }
    limits
}

#[cfg(test)]
mod tests {
    use super::super::amounts::money_mentions;
    use super::super::lexer::tokenize;
    use super::*;

    fn limits(brief: &str) -> Limits {
        let tokens = tokenize(brief);
        read_limits(&tokens, &money_mentions(&tokens))
    }

    #[test]
    fn numbers_bind_to_the_metric_before_or_after_them() {
        let l = limits("Keep net leverage below 3.5x and fixed charge coverage above 2.5x.");
        assert_eq!(
            (l.max_net_leverage, l.min_fixed_charge_coverage),
            (Some(3.5), Some(2.5))
        );
        assert_eq!(limits("3.5x max leverage").max_net_leverage, Some(3.5));
        let l = limits(
            "Raise $180M; no more than 25% of sold NOI may come from mission-critical sites.",
        );
        assert_eq!(l.max_critical_fraction, Some(0.25));
    }

    #[test]
    fn todays_figures_are_skipped() {
        assert_eq!(
            limits("Leverage is currently 5x; keep it under 4x.").max_net_leverage,
            Some(4.0)
        );
        assert_eq!(limits("Leverage is 5x.").max_net_leverage, None);
        assert_eq!(
            limits("Bring leverage down from 5x to 3.5x.").max_net_leverage,
            Some(3.5)
        );
        assert_eq!(
            limits("Our current leverage of 5x must fall below 4x.").max_net_leverage,
            Some(4.0)
        );
    }

    #[test]
    fn worded_requirements() {
        assert_eq!(
            limits("strong interest coverage").min_interest_coverage,
            Some(3.5)
        );
        assert_eq!(
            limits("avoid critical assets").max_critical_fraction,
            Some(0.5)
        );
        assert_eq!(limits("non-critical only").max_criticality, Some(0.6));
        assert_eq!(
            limits("easily re-leasable assets").min_leaseability_score,
            Some(0.7)
        );
        assert_eq!(
            limits("it is critical that we close").max_critical_fraction,
            None
        );
    }
}
