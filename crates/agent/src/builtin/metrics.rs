//! The metrics a brief can set limits on, the words that name them ("net debt / EBITDA",
//! "FCCR", "mission-critical", "re-leasable"), which numbers each accepts and which way its
//! requirement points, and the SPEC §9.2 values for requirements stated in words.
//!
//! Leverage comes in three measures (CREDIT.md §1.3): the reference's net leverage, named by
//! plain "leverage"; the rating agencies' lease-adjusted leverage, named by a modifier in front
//! ("lease-adjusted", "rating-agency", "Moody's-adjusted", "adjusted") or by EBITDAR; and
//! covenant leverage after rent ("covenant leverage", "leverage after rent", "GAAP leverage").
//! The modifier may also follow the number ("leverage under 5x on a lease-adjusted basis"):
//! such trailing modifiers (`FLAVOURS`) re-aim the plain leverage limit they qualify.

use std::ops::Range;

use super::comparators::Bound;
use super::lexer::Token;
use super::phrases::{Phrase, ends_sentence, is_any, longest_at};
use super::quantities::{Kind, Quantity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Metric {
    /// Net leverage as the reference measures it (net debt / EBITDA).
    Leverage,
    /// Rating-agency leverage: rent capitalised as debt, over EBITDAR.
    LeaseAdjustedLeverage,
    /// Covenant (US GAAP) leverage: rent deducted from EBITDA.
    CovenantLeverage,
    FixedChargeCoverage,
    InterestCoverage,
    /// Share of sold NOI from critical assets.
    CriticalShare,
    /// Criticality of each selected asset.
    Criticality,
    Leaseability,
}

/// How a metric is named: by its noun ("leaseability"), or by a word that already states the
/// requirement ("re-leasable", "non-critical").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Naming {
    Noun,
    Requirement,
}

const NAMES: &[(Phrase, (Metric, Naming))] = {
    use Metric::*;
    use Naming::*;
    &[
        (&["leverage"], (Leverage, Noun)),
        (&["net", "leverage"], (Leverage, Noun)),
        (&["leverage", "ratio"], (Leverage, Noun)),
        (&["net", "debt", "/", "ebitda"], (Leverage, Noun)),
        (&["net", "debt", "to", "ebitda"], (Leverage, Noun)),
        (&["net", "debt", "ebitda"], (Leverage, Noun)),
        (&["debt", "/", "ebitda"], (Leverage, Noun)),
        (&["debt", "to", "ebitda"], (Leverage, Noun)),
        (&["nd", "/", "ebitda"], (Leverage, Noun)),
        (&["levered"], (Leverage, Noun)),
        // Rating-agency and covenant leverage named in one go. Most names are a modifier in
        // front of a plain leverage name instead (see `FLAVOURS`): "lease-adjusted leverage",
        // "rating-agency net debt / EBITDA", "post-rent leverage", "US GAAP leverage".
        (&["adjusted", "leverage"], (LeaseAdjustedLeverage, Noun)),
        (
            &["adjusted", "net", "leverage"],
            (LeaseAdjustedLeverage, Noun),
        ),
        (
            &["adjusted", "leverage", "ratio"],
            (LeaseAdjustedLeverage, Noun),
        ),
        (&["agency", "leverage"], (LeaseAdjustedLeverage, Noun)),
        (
            &["agency", "net", "leverage"],
            (LeaseAdjustedLeverage, Noun),
        ),
        (&["moody", "leverage"], (LeaseAdjustedLeverage, Noun)),
        (&["fitch", "leverage"], (LeaseAdjustedLeverage, Noun)),
        (&["s", "&", "p", "leverage"], (LeaseAdjustedLeverage, Noun)),
        (&["ebitdar", "leverage"], (LeaseAdjustedLeverage, Noun)),
        (&["debt", "/", "ebitdar"], (LeaseAdjustedLeverage, Noun)),
        (&["debt", "to", "ebitdar"], (LeaseAdjustedLeverage, Noun)),
        (
            &["net", "debt", "/", "ebitdar"],
            (LeaseAdjustedLeverage, Noun),
        ),
        (
            &["net", "debt", "to", "ebitdar"],
            (LeaseAdjustedLeverage, Noun),
        ),
        (
            &["adjusted", "debt", "/", "ebitdar"],
            (LeaseAdjustedLeverage, Noun),
        ),
        (
            &["adjusted", "debt", "to", "ebitdar"],
            (LeaseAdjustedLeverage, Noun),
        ),
        (
            &["adjusted", "net", "debt", "/", "ebitdar"],
            (LeaseAdjustedLeverage, Noun),
        ),
        (
            &["adjusted", "net", "debt", "to", "ebitdar"],
            (LeaseAdjustedLeverage, Noun),
        ),
        (&["covenant", "leverage"], (CovenantLeverage, Noun)),
        (&["covenant", "net", "leverage"], (CovenantLeverage, Noun)),
        (&["covenant", "leverage", "ratio"], (CovenantLeverage, Noun)),
        (
            &["covenant", "debt", "/", "ebitda"],
            (CovenantLeverage, Noun),
        ),
        (
            &["covenant", "net", "debt", "/", "ebitda"],
            (CovenantLeverage, Noun),
        ),
        (
            &["covenant", "debt", "to", "ebitda"],
            (CovenantLeverage, Noun),
        ),
        (
            &["covenant", "net", "debt", "to", "ebitda"],
            (CovenantLeverage, Noun),
        ),
        (
            &["debt", "/", "(", "ebitda", "-", "rent", ")"],
            (CovenantLeverage, Noun),
        ),
        (
            &["net", "debt", "/", "(", "ebitda", "-", "rent", ")"],
            (CovenantLeverage, Noun),
        ),
        (
            &["fixed", "charge", "coverage"],
            (FixedChargeCoverage, Noun),
        ),
        (
            &["fixed", "charge", "coverage", "ratio"],
            (FixedChargeCoverage, Noun),
        ),
        (&["fixed", "charge", "cover"], (FixedChargeCoverage, Noun)),
        (&["fixed", "charge", "ratio"], (FixedChargeCoverage, Noun)),
        (&["fixed", "charge"], (FixedChargeCoverage, Noun)),
        (&["fcc"], (FixedChargeCoverage, Noun)),
        (&["fccr"], (FixedChargeCoverage, Noun)),
        (&["coverage"], (FixedChargeCoverage, Noun)),
        (&["coverage", "ratio"], (FixedChargeCoverage, Noun)),
        (&["interest", "coverage"], (InterestCoverage, Noun)),
        (&["interest", "coverage", "ratio"], (InterestCoverage, Noun)),
        (&["interest", "cover"], (InterestCoverage, Noun)),
        (&["icr"], (InterestCoverage, Noun)),
        (&["ebitda", "/", "interest"], (InterestCoverage, Noun)),
        (&["ebitda", "to", "interest"], (InterestCoverage, Noun)),
        (&["times", "interest", "earned"], (InterestCoverage, Noun)),
        (&["critical"], (CriticalShare, Noun)),
        (&["criticality"], (Criticality, Noun)),
        (&["criticality", "score"], (Criticality, Noun)),
        (&["non", "critical"], (Criticality, Requirement)),
        (&["non", "mission", "critical"], (Criticality, Requirement)),
        (&["noncritical"], (Criticality, Requirement)),
        (&["less", "critical"], (Criticality, Requirement)),
        (&["not", "critical"], (Criticality, Requirement)),
        (&["leaseability"], (Leaseability, Noun)),
        (&["leaseability", "score"], (Leaseability, Noun)),
        (&["leasability"], (Leaseability, Noun)),
        (&["leasability", "score"], (Leaseability, Noun)),
        (&["lease", "ability"], (Leaseability, Noun)),
        (&["re-lease"], (Leaseability, Noun)),
        (&["re-leased"], (Leaseability, Noun)),
        (&["re-leasing"], (Leaseability, Noun)),
        (&["re-let"], (Leaseability, Noun)),
        (&["re-letting"], (Leaseability, Noun)),
        (&["reletting"], (Leaseability, Noun)),
        (&["re-leasable"], (Leaseability, Requirement)),
        (&["re-leaseable"], (Leaseability, Requirement)),
        (&["releaseable"], (Leaseability, Requirement)),
        (&["leaseable"], (Leaseability, Requirement)),
        (&["releasable"], (Leaseability, Requirement)),
        (&["re-lettable"], (Leaseability, Requirement)),
        (&["relettable"], (Leaseability, Requirement)),
        (&["leasable"], (Leaseability, Requirement)),
    ]
};

/// Modifiers that say which leverage is meant. In front of a plain leverage name they make it
/// that measure ("rating-agency leverage", "lease-adjusted net debt / EBITDA"); after it, or
/// after its number, they re-aim it ("leverage (after rent) at most 3.5x", "leverage under 5x
/// on a lease-adjusted basis"). Written alone before a number they name the measure
/// ("lease-adjusted under 5x"). "Covenant" is not one of them: a "leverage covenant" is the
/// ordinary net leverage limit, so covenant leverage is only named in front (see `NAMES`).
const FLAVOURS: &[(Phrase, Metric)] = {
    use Metric::*;
    &[
        (&["lease", "adjusted"], LeaseAdjustedLeverage),
        (&["rent", "adjusted"], LeaseAdjustedLeverage),
        (&["agency", "adjusted"], LeaseAdjustedLeverage),
        (&["rating", "agency"], LeaseAdjustedLeverage),
        (&["rating", "agency", "adjusted"], LeaseAdjustedLeverage),
        (&["moody", "adjusted"], LeaseAdjustedLeverage),
        (&["fitch", "adjusted"], LeaseAdjustedLeverage),
        (&["s", "&", "p", "adjusted"], LeaseAdjustedLeverage),
        (&["including", "lease"], LeaseAdjustedLeverage),
        (&["including", "rent"], LeaseAdjustedLeverage),
        (&["with", "lease", "capitalised"], LeaseAdjustedLeverage),
        (&["with", "lease", "capitalized"], LeaseAdjustedLeverage),
        (&["after", "rent"], CovenantLeverage),
        (&["post", "rent"], CovenantLeverage),
        (&["net", "of", "rent"], CovenantLeverage),
        (&["covenant", "basis"], CovenantLeverage),
        (&["covenant", "definition"], CovenantLeverage),
        (&["gaap"], CovenantLeverage),
        (&["us", "gaap"], CovenantLeverage),
    ]
};

/// The leverage measure a modifier at `i` names, and the tokens it covers.
pub(crate) fn flavour_at(tokens: &[Token], i: usize) -> Option<(Metric, usize)> {
    longest_at(tokens, i, FLAVOURS)
}

/// Words that make a metric's noun a requirement: `before` it within `reach` tokens
/// ("strong interest coverage", "avoid ... critical assets") or `after` it within three
/// ("keep critical exposure low").
struct Qualifiers {
    before: &'static [&'static str],
    after: &'static [&'static str],
    reach: usize,
}

/// The metric named at `i`, how it is named, and the tokens the name covers.
pub(crate) fn metric_at(tokens: &[Token], i: usize) -> Option<(Metric, Naming, usize)> {
    longest_at(tokens, i, NAMES).map(|((metric, naming), len)| (metric, naming, len))
}

impl Metric {
    /// The three leverage measures, which a leverage modifier may turn into one another.
    pub(crate) fn is_leverage(self) -> bool {
        matches!(
            self,
            Metric::Leverage | Metric::LeaseAdjustedLeverage | Metric::CovenantLeverage
        )
    }

    /// Leverage and criticality are capped; coverage and leaseability have floors.
    pub(crate) fn is_capped(self) -> bool {
        matches!(
            self,
            Metric::Leverage
                | Metric::LeaseAdjustedLeverage
                | Metric::CovenantLeverage
                | Metric::CriticalShare
                | Metric::Criticality
        )
    }

    /// The spec field the metric's limit goes to.
    pub(crate) fn field(self) -> &'static str {
        match self {
            Metric::Leverage => "hard_constraints.max_net_leverage",
            Metric::LeaseAdjustedLeverage => "hard_constraints.max_lease_adjusted_leverage",
            Metric::CovenantLeverage => "hard_constraints.max_covenant_leverage",
            Metric::FixedChargeCoverage => "hard_constraints.min_fixed_charge_coverage",
            Metric::InterestCoverage => "hard_constraints.min_interest_coverage",
            Metric::CriticalShare => "hard_constraints.max_critical_fraction",
            Metric::Criticality => "asset_filters.max_criticality",
            Metric::Leaseability => "asset_filters.min_leaseability_score",
        }
    }

    /// How warnings name the metric.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Metric::Leverage => "leverage",
            Metric::LeaseAdjustedLeverage => "lease-adjusted leverage",
            Metric::CovenantLeverage => "covenant leverage",
            Metric::FixedChargeCoverage => "fixed-charge coverage",
            Metric::InterestCoverage => "interest coverage",
            Metric::CriticalShare => "the critical share of sold NOI",
            Metric::Criticality => "criticality",
            Metric::Leaseability => "leaseability",
        }
    }

    /// The values `accepts` takes, as warnings write them.
    pub(crate) fn range_label(self) -> &'static str {
        match self {
            Metric::Leverage => "0–10x",
            Metric::LeaseAdjustedLeverage
            | Metric::CovenantLeverage
            | Metric::FixedChargeCoverage => "0–20x",
            Metric::InterestCoverage => "0–50x",
            Metric::CriticalShare => "0–100 %",
            Metric::Criticality | Metric::Leaseability => "0–1",
        }
    }

    /// Whether the number is written in this metric's unit, whatever its value: a multiple
    /// for leverage and coverage, a share or a score for the others.
    pub(crate) fn fits_unit(self, quantity: &Quantity) -> bool {
        match self {
            Metric::Leverage
            | Metric::LeaseAdjustedLeverage
            | Metric::CovenantLeverage
            | Metric::FixedChargeCoverage
            | Metric::InterestCoverage => matches!(quantity.kind, Kind::Ratio | Kind::Plain),
            Metric::CriticalShare | Metric::Criticality | Metric::Leaseability => {
                quantity.kind != Kind::Ratio
            }
        }
    }

    pub(crate) fn accepts(self, quantity: &Quantity) -> bool {
        let v = quantity.value;
        let ratio = matches!(quantity.kind, Kind::Ratio | Kind::Plain);
        let share = match quantity.kind {
            Kind::Percent | Kind::Fraction => true,
            Kind::Plain => v <= 1.0,
            Kind::Ratio => false,
        };
        match self {
            Metric::Leverage => ratio && v > 0.0 && v < 10.0,
            Metric::LeaseAdjustedLeverage | Metric::CovenantLeverage => {
                ratio && v > 0.0 && v < 20.0
            }
            Metric::FixedChargeCoverage => ratio && v > 0.0 && v < 20.0,
            Metric::InterestCoverage => ratio && v > 0.0 && v < 50.0,
            Metric::CriticalShare => share && v > 0.0 && v <= 1.0,
            Metric::Criticality | Metric::Leaseability => share && (0.0..=1.0).contains(&v),
        }
    }

    pub(crate) fn points_the_right_way(self, bound: Bound) -> bool {
        match bound {
            Bound::Stated => true,
            Bound::AtMost => self.is_capped(),
            Bound::AtLeast => !self.is_capped(),
            Bound::Today => false,
        }
    }

    /// SPEC §9.2 values for requirements stated in words.
    pub(crate) fn qualitative_value(self) -> Option<f64> {
        match self {
            Metric::InterestCoverage => Some(3.5),
            Metric::CriticalShare => Some(0.5),
            Metric::Criticality => Some(0.6),
            Metric::Leaseability => Some(0.7),
            Metric::Leverage
            | Metric::LeaseAdjustedLeverage
            | Metric::CovenantLeverage
            | Metric::FixedChargeCoverage => None,
        }
    }

    /// Words around a noun that turn it into a requirement.
    fn qualifiers(self) -> Qualifiers {
        const STRONG: &[&str] = &[
            "strong",
            "good",
            "healthy",
            "solid",
            "robust",
            "comfortable",
            "ample",
            "sound",
        ];
        const EASY: &[&str] = &[
            "high",
            "good",
            "strong",
            "easy",
            "easily",
            "readily",
            "highly",
            "excellent",
            "great",
            "solid",
            "robust",
            "attractive",
        ];
        const LIMITING: &[&str] = &[
            "away",
            "clear",
            "avoid",
            "avoiding",
            "limit",
            "limiting",
            "limited",
            "minimize",
            "minimise",
            "minimizing",
            "minimising",
            "minimal",
            "reduce",
            "reducing",
            "restrict",
            "restricting",
            "low",
            "lower",
            "little",
            "few",
            "fewer",
            "no",
            "without",
            "exclude",
            "excluding",
            "cap",
            "capping",
        ];
        const LOW: &[&str] = &["low", "lower", "limited", "minimal", "capped", "down"];
        match self {
            Metric::InterestCoverage => Qualifiers {
                before: STRONG,
                after: STRONG,
                reach: 2,
            },
            Metric::Leaseability => Qualifiers {
                before: EASY,
                after: &["high", "strong", "good"],
                reach: 2,
            },
            Metric::CriticalShare => Qualifiers {
                before: LIMITING,
                after: LOW,
                reach: 4,
            },
            Metric::Criticality => Qualifiers {
                before: &["low", "lower", "limited", "minimal"],
                after: LOW,
                reach: 2,
            },
            Metric::Leverage
            | Metric::LeaseAdjustedLeverage
            | Metric::CovenantLeverage
            | Metric::FixedChargeCoverage => Qualifiers {
                before: &[],
                after: &[],
                reach: 0,
            },
        }
    }
}

/// Whether a metric named without a number still states a requirement: "strong interest
/// coverage", "avoid critical assets", "keep critical exposure low", "easily re-leasable".
/// Returns the tokens that state it (the name with its qualifier).
pub(crate) fn states_requirement_in_words(
    tokens: &[Token],
    start: usize,
    len: usize,
    metric: Metric,
    naming: Naming,
) -> Option<Range<usize>> {
    let name = start..start + len;
    if naming == Naming::Requirement {
        // "not easily re-leasable"
        let negated = (start.saturating_sub(2)..start)
            .any(|k| is_any(tokens.get(k), &["not", "never", "hardly"]));
        // "easily re-leasable": the adverb belongs to the requirement.
        let from = (start.saturating_sub(1)..start)
            .find(|&k| is_any(tokens.get(k), &["easily", "readily", "highly"]))
            .unwrap_or(start);
        return (!negated).then_some(from..name.end);
    }
    let Qualifiers {
        before,
        after,
        reach,
    } = metric.qualifiers();
    let qualified_before = (start.saturating_sub(reach)..start)
        .find(|&k| is_any(tokens.get(k), before) && !tokens[k..start].iter().any(ends_sentence));
    let qualified_after = (start + len..start + len + 3)
        .take_while(|&k| tokens.get(k).is_some_and(|t| !ends_sentence(t)))
        .find(|&k| is_any(tokens.get(k), after));
    match (qualified_before, qualified_after) {
        (Some(k), _) => Some(k..name.end),
        (None, Some(k)) => Some(start..k + 1),
        (None, None) => None,
    }
}
