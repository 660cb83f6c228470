//! Limits stated in a brief: leverage (net, lease-adjusted and covenant), fixed-charge and
//! interest coverage, the critical share of sold NOI, and the criticality and leaseability
//! thresholds of single assets.
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
//!
//! Which leverage a limit is about follows from modifiers (see `metrics::FLAVOURS`): in front of
//! the name ("lease-adjusted leverage under 5x"), right after it ("leverage (after rent) at most
//! 3.5x"), after the number ("leverage under 5x on a lease-adjusted basis", which moves the
//! limit off net leverage), or standing in for the name ("… and lease-adjusted under 5x").
//! Plain "leverage" is net leverage and never sets the other two.
//!
//! Each limit remembers the tokens it was read from, so the planner can quote them. A number in
//! the metric's unit but outside its range ("leverage under 12x") is not a limit; it is kept
//! as ignored, so the planner can say so instead of dropping it silently.

use std::ops::Range;

use super::amounts::Money;
use super::comparators::{Bound, read_bound};
use super::lexer::Token;
use super::metrics::{Metric, flavour_at, metric_at, states_requirement_in_words};
use super::phrases::{ends_sentence, is_any};
use super::quantities::{Kind, Quantity, read_quantity};

/// The limits a brief states; `None` where it says nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Limits {
    /// Tokens each limit was read from (the last reading of a metric that set its value).
    pub read_from: Vec<(Metric, Range<usize>)>,
    /// Numbers in a metric's unit but outside its range: (metric, tokens of the number).
    pub ignored: Vec<(Metric, Range<usize>)>,
    pub max_net_leverage: Option<f64>,
    pub max_lease_adjusted_leverage: Option<f64>,
    pub max_covenant_leverage: Option<f64>,
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
            Metric::LeaseAdjustedLeverage => &mut self.max_lease_adjusted_leverage,
            Metric::CovenantLeverage => &mut self.max_covenant_leverage,
            Metric::FixedChargeCoverage => &mut self.min_fixed_charge_coverage,
            Metric::InterestCoverage => &mut self.min_interest_coverage,
            Metric::CriticalShare => &mut self.max_critical_fraction,
            Metric::Criticality => &mut self.max_criticality,
            Metric::Leaseability => &mut self.min_leaseability_score,
        }
    }

    pub(crate) fn value(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::Leverage => self.max_net_leverage,
            Metric::LeaseAdjustedLeverage => self.max_lease_adjusted_leverage,
            Metric::CovenantLeverage => self.max_covenant_leverage,
            Metric::FixedChargeCoverage => self.min_fixed_charge_coverage,
            Metric::InterestCoverage => self.min_interest_coverage,
            Metric::CriticalShare => self.max_critical_fraction,
            Metric::Criticality => self.max_criticality,
            Metric::Leaseability => self.min_leaseability_score,
        }
    }

    /// The tokens the value of `metric` was read from.
    pub(crate) fn source_of(&self, metric: Metric) -> Option<Range<usize>> {
        self.read_from
            .iter()
            .find(|(m, _)| *m == metric)
            .map(|(_, span)| span.clone())
    }

    fn set_source(&mut self, metric: Metric, span: Option<Range<usize>>) {
        self.read_from.retain(|(m, _)| *m != metric);
        if let Some(span) = span {
            self.read_from.push((metric, span));
        }
    }

    /// Records a number; when the brief states a metric twice the stricter value holds.
    fn require(&mut self, metric: Metric, value: f64, span: Range<usize>) {
        let slot = self.slot(metric);
        let wins = match *slot {
            Some(old) if metric.is_capped() => value < old,
            Some(old) => value > old,
            None => true,
        };
        if wins {
            *slot = Some(value);
            self.set_source(metric, Some(span));
        }
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

/// Words (and `(`, `,`, `-`, `:`) that may stand between a limit and a leverage modifier that
/// re-aims it: "under 5x on a lease-adjusted basis", "3.5x (after rent)", "5x, in rating-agency
/// terms". "and" is not among them: "… under 3.5x and lease-adjusted under 5x" is two limits.
const TRAILING_GLUE: &[&str] = &[
    "on",
    "a",
    "an",
    "the",
    "in",
    "under",
    "per",
    "as",
    "by",
    "measured",
    "calculated",
    "computed",
    "basis",
    "terms",
    "of",
];

/// How many glue tokens a trailing modifier may be away from its limit.
const TRAILING_REACH: usize = 4;

/// A limit just recorded, kept so that a modifier written after it can re-aim it.
#[derive(Debug, Clone)]
struct Binding {
    metric: Metric,
    value: f64,
    /// What the metric's slot held before this limit, and where that was read.
    previous: Option<f64>,
    previous_source: Option<Range<usize>>,
    /// First token of the limit (its metric or its number).
    start: usize,
    /// One past the last token of the limit (its number, trailing comparator or metric).
    end: usize,
}

#[derive(Debug, Clone, Copy)]
struct Mention {
    metric: Metric,
    /// The mention itself says the figure it meets first is today's ("current leverage of 5x").
    describes_today: bool,
    /// First token of the metric's name.
    start: usize,
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
    /// The last limit recorded in this sentence.
    last_binding: Option<Binding>,
    /// Start of the text the next number's comparator is read from.
    window_start: usize,
    /// Numbers that became limits, by first token.
    bound_numbers: Vec<usize>,
}

impl Binder {
    fn metric(&mut self, metric: Metric, span: Range<usize>, describes_today: bool) {
        let waiting = self.open_number.take().filter(|(quantity, bound)| {
            span.start - quantity.end <= FORWARD_REACH && metric.points_the_right_way(*bound)
        });
        match waiting {
            Some((quantity, _)) if metric.accepts(&quantity) => {
                self.bind(metric, &quantity, quantity.start, span.end);
                self.open_metric = None;
            }
            waiting => {
                if let Some((quantity, bound)) = waiting {
                    self.reject(metric, &quantity, bound);
                }
                self.open_metric = Some(Mention {
                    metric,
                    describes_today,
                    start: span.start,
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
        let end = quantity.end + reading.trailing;
        self.window_start = end;
        let Some(mention) = self.open_metric.filter(|m| m.metric.accepts(&quantity)) else {
            if let Some(mention) = self.open_metric.filter(|m| !m.describes_today) {
                self.reject(mention.metric, &quantity, bound);
            }
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
            self.bind(mention.metric, &quantity, mention.start, end);
            self.open_metric = None;
        }
    }

    fn bind(&mut self, metric: Metric, quantity: &Quantity, start: usize, end: usize) {
        self.bound_numbers.push(quantity.start);
        self.record(metric, quantity.value, start.min(quantity.start)..end);
    }

    fn record(&mut self, metric: Metric, value: f64, span: Range<usize>) {
        let previous = *self.limits.slot(metric);
        let previous_source = self.limits.source_of(metric);
        self.limits.require(metric, value, span.clone());
        self.last_binding = Some(Binding {
            metric,
            value,
            previous,
            previous_source,
            start: span.start,
            end: span.end,
        });
    }

    /// A number in the metric's unit that would be its limit but lies outside its range: kept
    /// as ignored unless it becomes a limit after all. A bare number counts only with a
    /// comparator ("criticality below 4"), not as a level ("leverage ... in 2025").
    fn reject(&mut self, metric: Metric, quantity: &Quantity, bound: Bound) {
        let explicit =
            quantity.kind != Kind::Plain || matches!(bound, Bound::AtMost | Bound::AtLeast);
        if metric.fits_unit(quantity)
            && !metric.accepts(quantity)
            && metric.points_the_right_way(bound)
            && explicit
        {
            // A number rejected twice counts for the metric it was read against last ("... and
            // no more than 150% of NOI from critical sites").
            let number = quantity.start..quantity.end;
            self.limits.ignored.retain(|(_, span)| *span != number);
            self.limits.ignored.push((metric, number));
        }
    }

    /// A leverage modifier that does not stand in front of a leverage name. It re-aims an
    /// open leverage mention ("leverage (after rent) at most 3.5x"), or, when it trails a
    /// net leverage limit just recorded, moves that limit ("leverage under 5x on a
    /// lease-adjusted basis"); otherwise it names its measure ("and lease-adjusted under 5x").
    fn flavour(&mut self, tokens: &[Token], flavour: Metric, span: Range<usize>) {
        if let Some(mention) = self.open_metric.filter(|m| m.metric.is_leverage()) {
            self.open_metric = Some(Mention {
                metric: flavour,
                ..mention
            });
            self.last_metric = Some(flavour);
            return;
        }
        let trailing = self.last_binding.clone().filter(|b| {
            b.metric == Metric::Leverage
                && b.end <= span.start
                && span.start - b.end <= TRAILING_REACH
                && tokens[b.end..span.start].iter().all(is_trailing_glue)
                && !number_follows(tokens, span.end)
        });
        if let Some(binding) = trailing {
            *self.limits.slot(Metric::Leverage) = binding.previous;
            self.limits
                .set_source(Metric::Leverage, binding.previous_source.clone());
            self.record(flavour, binding.value, binding.start..span.end);
            self.last_metric = Some(flavour);
            self.window_start = span.end;
            return;
        }
        self.metric(flavour, span, false);
    }

    /// "it" takes up the last metric again; the comparator window stays open, so "without
    /// letting it go above 3.5x" keeps its negation.
    fn pronoun(&mut self, at: usize) {
        if self.open_metric.is_none() {
            self.open_metric = self.last_metric.map(|metric| Mention {
                metric,
                describes_today: false,
                start: at,
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
        self.last_binding = None;
        self.window_start = end;
    }
}

/// Everything the brief requires of leverage, coverage, criticality and leaseability.
/// Amounts of money and the `skipped` spans (asset names, counts) hold no limits.
pub(crate) fn read_limits(tokens: &[Token], money: &[Money], skipped: &[Range<usize>]) -> Limits {
    let mut binder = Binder::default();
    let mut worded: Vec<(Metric, Range<usize>)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(amount) = money.iter().find(|m| m.span.start == i) {
            i = amount.span.end;
            continue;
        }
        if let Some(span) = skipped.iter().find(|s| s.start == i && s.end > i) {
            i = span.end;
            continue;
        }
        if ends_sentence(&tokens[i]) {
            binder.sentence_end(i + 1);
            i += 1;
        } else if let Some((metric, naming, len)) = metric_at(tokens, i) {
            if let Some(span) = states_requirement_in_words(tokens, i, len, metric, naming) {
                worded.push((metric, span));
            }
            binder.metric(metric, i..i + len, describes_today(tokens, i));
            i += len;
        } else if let Some((flavour, len)) = flavour_at(tokens, i) {
            match metric_at(tokens, i + len) {
                // "lease-adjusted leverage", "rating-agency net debt / EBITDA"
                Some((metric, _, name_len)) if metric.is_leverage() => {
                    let span = i..i + len + name_len;
                    binder.metric(flavour, span.clone(), describes_today(tokens, i));
                    i = span.end;
                }
                _ => {
                    binder.flavour(tokens, flavour, i..i + len);
                    i += len;
                }
            }
        } else if let Some(quantity) = read_quantity(tokens, i) {
            binder.number(tokens, quantity);
            i = quantity.end;
        } else {
            if is_any(tokens.get(i), &["it", "this", "which"]) {
                binder.pronoun(i);
            } else if tokens[i].is_symbol(',') || is_any(tokens.get(i), CLAUSE_BREAKS) {
                binder.clause_break(is_any(tokens.get(i + 1), CLAUSE_VERBS));
            }
            i += 1;
        }
    }
    let bound_numbers = binder.bound_numbers;
    let mut limits = binder.limits;
    limits
        .ignored
        .retain(|(_, number)| !bound_numbers.contains(&number.start));
    limits.ignored.dedup();
    for (metric, span) in worded {
        let slot = limits.slot(metric);
        if slot.is_none() {
            *slot = metric.qualitative_value();
            if slot.is_some() {
                limits.set_source(metric, Some(span));
            }
        }
    }
    limits
}

/// "current leverage", "existing covenant leverage": the name says its first figure is today's.
fn describes_today(tokens: &[Token], i: usize) -> bool {
    is_any(
        i.checked_sub(1).and_then(|k| tokens.get(k)),
        &["current", "existing", "today"],
    )
}

fn is_trailing_glue(token: &Token) -> bool {
    token.is_one_of(TRAILING_GLUE) || matches!(token, Token::Symbol('(' | ',' | '-' | ':'))
}

/// Whether a number follows within a few tokens of the same sentence: a modifier before a
/// number names the measure of that number ("…, lease-adjusted 5x max").
fn number_follows(tokens: &[Token], from: usize) -> bool {
    tokens
        .iter()
        .skip(from)
        .take(4)
        .take_while(|t| !ends_sentence(t))
        .any(|t| matches!(t, Token::Number { .. }))
}

#[cfg(test)]
mod tests {
    use super::super::amounts::money_mentions;
    use super::super::lexer::tokenize;
    use super::*;

    fn limits(brief: &str) -> Limits {
        let tokens = tokenize(brief);
        read_limits(&tokens, &money_mentions(&tokens), &[])
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

    /// Net, lease-adjusted and covenant leverage limits.
    type Leverages = (Option<f64>, Option<f64>, Option<f64>);

    /// (net, lease-adjusted, covenant) leverage limits of a brief.
    fn leverages(brief: &str) -> Leverages {
        let l = limits(brief);
        (
            l.max_net_leverage,
            l.max_lease_adjusted_leverage,
            l.max_covenant_leverage,
        )
    }

    #[test]
    fn leverage_measures_are_told_apart_by_their_modifiers() {
        let cases: &[(&str, Leverages)] = &[
            (
                "keep lease-adjusted leverage under 5x",
                (None, Some(5.0), None),
            ),
            (
                "rating-agency leverage below 4.5 turns",
                (None, Some(4.5), None),
            ),
            (
                "covenant leverage (after rent) at most 3.5x",
                (None, None, Some(3.5)),
            ),
            ("lease adjusted leverage ≤ 4.8x", (None, Some(4.8), None)),
            (
                "adjusted leverage no more than 5.0 times",
                (None, Some(5.0), None),
            ),
            (
                "Moody's-adjusted leverage under 5x",
                (None, Some(5.0), None),
            ),
            (
                "covenant net leverage below 3.75x",
                (None, None, Some(3.75)),
            ),
            ("leverage under 3.5x", (Some(3.5), None, None)),
            (
                "keep leverage under 3.5x and lease-adjusted leverage under 5x",
                (Some(3.5), Some(5.0), None),
            ),
            (
                "keep leverage under 3.5x and lease-adjusted under 5x",
                (Some(3.5), Some(5.0), None),
            ),
            (
                "leverage under 5x on a lease-adjusted basis",
                (None, Some(5.0), None),
            ),
            (
                "leverage (after rent) no higher than 3.2x",
                (None, None, Some(3.2)),
            ),
            ("net leverage after rent below 3x", (None, None, Some(3.0))),
            ("post-rent leverage under 3x", (None, None, Some(3.0))),
            ("US GAAP leverage under 3x", (None, None, Some(3.0))),
            (
                "S&P-adjusted net debt / EBITDA under 4.2x",
                (None, Some(4.2), None),
            ),
            (
                "adjusted debt / EBITDAR below 5.5x",
                (None, Some(5.5), None),
            ),
            ("4.5x max rating agency leverage", (None, Some(4.5), None)),
            (
                "Keep leverage under 3.5x and don't let it exceed 5x on a lease-adjusted basis.",
                (Some(3.5), Some(5.0), None),
            ),
            (
                "Net leverage at most 3.5x, covenant leverage at most 4x, lease-adjusted leverage at most 5.5x.",
                (Some(3.5), Some(5.5), Some(4.0)),
            ),
            (
                "Keep leverage below 3.5x (4.5x lease-adjusted).",
                (Some(3.5), Some(4.5), None),
            ),
            (
                "Maintain leverage ≤ 3.5x and, on a rating agency basis, ≤ 5x.",
                (Some(3.5), Some(5.0), None),
            ),
            (
                "Lease-adjusted leverage is 5.6x today; keep it under 5x.",
                (None, Some(5.0), None),
            ),
            (
                "Keep covenant leverage under 3.5x and leverage under 4x.",
                (Some(4.0), None, Some(3.5)),
            ),
            (
                "Rating agencies cap us at 4.5x lease-adjusted leverage.",
                (None, Some(4.5), None),
            ),
            // Beyond the range of net leverage, within that of the others.
            (
                "lease-adjusted leverage under 12x",
                (None, Some(12.0), None),
            ),
            // Out of range, today's figures and a leverage covenant are not these limits.
            ("lease-adjusted leverage under 25x", (None, None, None)),
            ("covenant leverage below 0x", (None, None, None)),
            ("Lease-adjusted leverage is 5.6x today.", (None, None, None)),
            ("Our leverage covenant is 3.5x.", (Some(3.5), None, None)),
            (
                "Keep leverage under 4x. Rent is $20M.",
                (Some(4.0), None, None),
            ),
        ];
        for (brief, expected) in cases {
            assert_eq!(leverages(brief), *expected, "{brief}");
        }
    }
}
