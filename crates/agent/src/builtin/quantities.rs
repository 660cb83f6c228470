//! Numbers in a brief that could be limits: ratios ("4x", "3.5 times", "4 turns"),
//! percentages, fractions ("a third") and plain numbers ("below 0.4"). Counts and durations
//! ("12 stores", "3 years") are not limits; money is read elsewhere and skipped.

use super::lexer::{Spelling, Token};
use super::phrases::{is_any, phrase_at, token_matches};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// "4x", "3.5 times", "4 turns".
    Ratio,
    /// "25%", "30 percent" (stored as a share).
    Percent,
    /// "a third", "half".
    Fraction,
    /// A bare number: "below 0.4", "under 4".
    Plain,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Quantity {
    /// Percentages are stored as shares (25% → 0.25).
    pub value: f64,
    pub kind: Kind,
    pub start: usize,
    /// One past the number and its unit.
    pub end: usize,
}

/// Nouns that make a number a count or a duration ("3 years", "12 stores"), not a limit.
const COUNTED_NOUNS: &[&str] = &[
    "year",
    "month",
    "week",
    "day",
    "quarter",
    "asset",
    "property",
    "store",
    "site",
    "market",
    "deal",
    "building",
    "location",
    "state",
    "city",
    "transaction",
    "tranche",
    "step",
    "round",
    "iteration",
    "scenario",
    "bps",
    "basis",
    "dc",
    "office",
    "warehouse",
    "center",
    "centre",
    "sale",
    "disposal",
    "disposition",
    "holding",
    "facility",
    "parcel",
    "shop",
    "outlet",
    "branch",
];

/// The quantity starting at `i`, if the token there is a number that could be a limit.
pub(crate) fn read_quantity(tokens: &[Token], i: usize) -> Option<Quantity> {
    let Token::Number { value, spelling } = tokens[i] else {
        return None;
    };
    let quantity = |value, kind, len| {
        Some(Quantity {
            value,
            kind,
            start: i,
            end: i + len,
        })
    };
    let next = tokens.get(i + 1);
    if is_any(next, &["x", "times", "turn", "turns"]) {
        quantity(value, Kind::Ratio, 2)
    } else if next.is_some_and(|t| t.is_symbol('%')) || is_any(next, &["percent", "pct"]) {
        quantity(value / 100.0, Kind::Percent, 2)
    } else if phrase_at(tokens, i + 1, &["per", "cent"]) {
        quantity(value / 100.0, Kind::Percent, 3)
    } else if spelling == Spelling::Fraction {
        quantity(value, Kind::Fraction, 1)
    } else if next.is_some_and(|t| COUNTED_NOUNS.iter().any(|noun| token_matches(t, noun))) {
        None
    } else {
        quantity(value, Kind::Plain, 1)
    }
}
