//! A cap on how many assets the program sells: "sell no more than 10 properties", "at most 8
//! assets", "a maximum of five sales", "10 properties max", "fewer than 12 sites" (11),
//! "limit the number of assets sold to 12", "sell at most 6".
//!
//! A count is a whole number with a noun for assets or sales after it (a few filler words
//! allowed: "10 individual properties", "8 of our assets"), capped by a comparator before it
//! (negations flip it, as for limits: "not more than") or after it ("or fewer", "max"); or a
//! number capped the same way after "the number of assets" / "asset count". A count of one
//! asset type ("at most 3 stores") is kept with its type: it caps the program only when the
//! brief sells nothing but that type.

use std::ops::Range;

use engine::model::AssetType;

use super::amounts::Money;
use super::comparators::Bound;
use super::filters::type_at;
use super::lexer::Token;
use super::phrases::{
    AVERTING, NEGATIONS, Phrase, ends_sentence, is_any, longest_at, longest_ending_at, phrase_at,
    token_matches,
};

/// Nouns that count assets or sales across the portfolio.
const SALE_NOUNS: &[&str] = &[
    "asset",
    "property",
    "site",
    "building",
    "location",
    "sale",
    "transaction",
    "disposal",
    "disposition",
    "deal",
    "holding",
    "facility",
    "parcel",
    "unit",
    "leaseback",
];

/// Words that may sit between a count and its noun: "10 individual properties", "8 of our
/// assets", "5 real estate assets".
const FILLERS: &[&str] = &[
    "individual",
    "separate",
    "single",
    "distinct",
    "different",
    "total",
    "more",
    "real",
    "estate",
    "of",
    "our",
    "the",
    "these",
    "those",
];

/// Comparators before a count. "Fewer than", "less than", "under" and "below" are strict.
const BEFORE: &[(Phrase, (Bound, bool))] = &[
    (&["at", "most"], (Bound::AtMost, false)),
    (&["up", "to"], (Bound::AtMost, false)),
    (&["max"], (Bound::AtMost, false)),
    (&["maximum"], (Bound::AtMost, false)),
    (&["a", "maximum"], (Bound::AtMost, false)),
    (&["a", "max"], (Bound::AtMost, false)),
    (&["only"], (Bound::AtMost, false)),
    (&["just"], (Bound::AtMost, false)),
    (&["limited", "to"], (Bound::AtMost, false)),
    (&["limit", "to"], (Bound::AtMost, false)),
    (&["limit", "it", "to"], (Bound::AtMost, false)),
    (&["limit", "ourselves", "to"], (Bound::AtMost, false)),
    (&["restricted", "to"], (Bound::AtMost, false)),
    (&["capped", "at"], (Bound::AtMost, false)),
    (&["cap", "at"], (Bound::AtMost, false)),
    (&["cap", "it", "at"], (Bound::AtMost, false)),
    (&["cap", "of"], (Bound::AtMost, false)),
    (&["ceiling", "of"], (Bound::AtMost, false)),
    (&["<", "="], (Bound::AtMost, false)),
    (&["<"], (Bound::AtMost, true)),
    (&["fewer", "than"], (Bound::AtMost, true)),
    (&["less", "than"], (Bound::AtMost, true)),
    (&["under"], (Bound::AtMost, true)),
    (&["below"], (Bound::AtMost, true)),
    (&["more", "than"], (Bound::AtLeast, true)),
    (&["over"], (Bound::AtLeast, true)),
    (&["exceed"], (Bound::AtLeast, true)),
    (&["exceeding"], (Bound::AtLeast, true)),
    (&["above"], (Bound::AtLeast, true)),
    (&["at", "least"], (Bound::AtLeast, false)),
    (&["minimum"], (Bound::AtLeast, false)),
    (&["a", "minimum"], (Bound::AtLeast, false)),
];

/// Comparators after a count and its noun: "10 properties max", "8 assets or fewer".
const AFTER: &[(Phrase, Bound)] = &[
    (&["max"], Bound::AtMost),
    (&["maximum"], Bound::AtMost),
    (&["at", "most"], Bound::AtMost),
    (&["at", "the", "most"], Bound::AtMost),
    (&["tops"], Bound::AtMost),
    (&["or", "fewer"], Bound::AtMost),
    (&["or", "less"], Bound::AtMost),
    (&["at", "least"], Bound::AtLeast),
    (&["or", "more"], Bound::AtLeast),
    (&["minimum"], Bound::AtLeast),
];

/// Words between a comparator and its count: "a maximum of five", "sell at most 8",
/// "no more than 10 of".
const GLUE: &[&str] = &[
    "of", "a", "an", "the", "sell", "selling", "sold", "to", "be",
];

/// Verbs that make a bare capped number a count of sales: "sell at most 6".
const SELL_VERBS: &[&str] = &["sell", "selling", "sold", "divest", "dispose", "monetize"];

/// Words after a number that make it something other than a count.
const UNITS: &[&str] = &[
    "x", "times", "turn", "turns", "percent", "pct", "m", "mm", "million", "bn", "billion", "k",
    "thousand", "year", "years", "month", "months",
];

/// One count cap the brief states.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CountCap {
    pub value: i64,
    /// The asset type counted, when the noun is a type ("3 stores").
    pub asset_type: Option<AssetType>,
    /// The tokens that state it.
    pub span: Range<usize>,
}

/// Every count cap in the brief, in order.
pub(crate) fn read_counts(tokens: &[Token], money: &[Money]) -> Vec<CountCap> {
    let mut caps = Vec::new();
    for i in 0..tokens.len() {
        let Token::Number { value, .. } = tokens[i] else {
            continue;
        };
        if value < 1.0 || value.fract() != 0.0 || money.iter().any(|m| m.span.contains(&i)) {
            continue;
        }
        if let Some(cap) = count_at(tokens, i, value) {
            caps.push(cap);
        }
    }
    caps
}

fn count_at(tokens: &[Token], i: usize, value: f64) -> Option<CountCap> {
    if is_any(tokens.get(i + 1), UNITS) || tokens.get(i + 1).is_some_and(|t| t.is_symbol('%')) {
        return None;
    }
    let noun = counted_noun(tokens, i + 1);
    let before = comparator_before(tokens, i);
    let (bound, strict, start, end, asset_type) = match (noun, before) {
        (Some((asset_type, noun_end)), before) => {
            let after = longest_at(tokens, noun_end, AFTER);
            match (before, after) {
                (Some((bound, strict, start)), _) => (bound, strict, start, noun_end, asset_type),
                (None, Some((bound, len))) => (bound, false, i, noun_end + len, asset_type),
                (None, None) => {
                    let (bound, strict, start) = subject_before(tokens, i)?;
                    (bound, strict, start, noun_end, asset_type)
                }
            }
        }
        (None, Some((bound, strict, start))) => {
            let counted = (start..i).any(|k| {
                tokens[k].is_one_of(SELL_VERBS)
                    || SALE_NOUNS
                        .iter()
                        .any(|noun| token_matches(&tokens[k], noun))
            }) || start
                .checked_sub(1)
                .is_some_and(|k| tokens[k].is_one_of(SELL_VERBS))
                || subject_before(tokens, i).is_some();
            // "sell at most 6." but not "sell no more than 2 critical assets".
            let ends_phrase = tokens.get(i + 1).is_none_or(|t| {
                matches!(t, Token::Symbol(',' | '.' | ';' | ')' | '!' | '?'))
                    || t.is_one_of(&["and", "but", "while", "so", "to", "in", "this", "per"])
            });
            if !counted || !ends_phrase {
                return None;
            }
            let start = subject_before(tokens, i).map_or(start, |(_, _, s)| s.min(start));
            (bound, strict, start, i + 1, None)
        }
        (None, None) => {
            let (bound, strict, start) = subject_before(tokens, i)?;
            (bound, strict, start, i + 1, None)
        }
    };
    if bound != Bound::AtMost {
        return None;
    }
    let value = value as i64 - i64::from(strict);
    (value >= 1).then_some(CountCap {
        value,
        asset_type,
        span: start..end,
    })
}

/// The noun a count at `i` counts: (its type when it names one, one past its end).
fn counted_noun(tokens: &[Token], i: usize) -> Option<(Option<AssetType>, usize)> {
    let mut k = i;
    while k < i + 3 && is_any(tokens.get(k), FILLERS) {
        k += 1;
    }
    let token = tokens.get(k)?;
    if SALE_NOUNS.iter().any(|noun| token_matches(token, noun)) {
        // "sale-leasebacks", "sales" and "sale leasebacks" count the same.
        let end = k + 1 + usize::from(is_any(tokens.get(k + 1), &["leaseback", "leasebacks"]));
        return Some((None, end));
    }
    let (asset_type, len) = type_at(tokens, k, false)?;
    Some((Some(asset_type), k + len))
}

/// Verbs that make a later "to"/"at" a cap: "limit the program to 7 assets", "cap sales at
/// 10".
const LIMIT_VERBS: &[&str] = &[
    "limit",
    "limits",
    "limited",
    "limiting",
    "cap",
    "caps",
    "capped",
    "capping",
    "restrict",
    "restricted",
    "confine",
    "confined",
];

/// The comparator just before the count at `i`, through glue words: (bound, strict, first
/// token of the comparator or of the negation in front of it).
fn comparator_before(tokens: &[Token], i: usize) -> Option<(Bound, bool, usize)> {
    // The upper end of a range is a cap: "5-10 properties", "5 to 10 sites", "between 5 and
    // 10 assets".
    if i >= 2 && matches!(tokens[i - 2], Token::Number { .. }) {
        let between = i >= 3 && tokens[i - 3].is_word("between") && tokens[i - 1].is_word("and");
        if tokens[i - 1].is_symbol('-') || tokens[i - 1].is_word("to") || between {
            return Some((Bound::AtMost, false, if between { i - 3 } else { i - 2 }));
        }
    }
    // "limit the program to 7", "cap the number of sales at 10".
    if is_any(tokens.get(i.wrapping_sub(1)), &["to", "at"]) {
        let clause = (i.saturating_sub(7)..i - 1)
            .rev()
            .take_while(|&k| !ends_sentence(&tokens[k]) && !tokens[k].is_symbol(','));
        if let Some(verb) = clause.filter(|&k| tokens[k].is_one_of(LIMIT_VERBS)).last() {
            return Some((Bound::AtMost, false, verb));
        }
    }
    let mut k = i;
    while k > 0 && i - k < 4 {
        let last = k - 1;
        if ends_sentence(&tokens[last]) {
            return None;
        }
        if let Some(((bound, strict), len)) = longest_ending_at(tokens, last, BEFORE) {
            let start = last + 1 - len;
            let negation = (start.saturating_sub(3)..start)
                .rev()
                .find(|&n| tokens[n].is_one_of(NEGATIONS) || tokens[n].is_one_of(AVERTING));
            return Some(match negation {
                // "no more than 10" allows 10; "not fewer than 10" is a floor.
                Some(n) => (flip(bound), false, n),
                None => (bound, strict, start),
            });
        }
        if !is_any(tokens.get(last), GLUE) {
            return None;
        }
        k = last;
    }
    None
}

fn flip(bound: Bound) -> Bound {
    match bound {
        Bound::AtMost => Bound::AtLeast,
        Bound::AtLeast => Bound::AtMost,
        other => other,
    }
}

/// "the number of assets sold ... at most 10", "asset count below 12", "cap the number of
/// properties sold at 10": a count named before its number, in the same sentence.
fn subject_before(tokens: &[Token], i: usize) -> Option<(Bound, bool, usize)> {
    let sentence_start = (0..i)
        .rev()
        .find(|&k| ends_sentence(&tokens[k]))
        .map_or(0, |k| k + 1);
    let subject = (sentence_start..i).rev().find(|&k| {
        (phrase_at(tokens, k, &["number", "of"]) && counted_noun(tokens, k + 2).is_some())
            || (counted_noun(tokens, k).is_some_and(|(t, end)| t.is_none() && end == k + 1)
                && is_any(tokens.get(k + 1), &["count"]))
    })?;
    if i - subject > 10 {
        return None;
    }
    if let Some(found) = comparator_before(tokens, i) {
        return Some((found.0, found.1, subject.min(found.2)));
    }
    // "limit the number of assets sold to 12", "cap the asset count at 10".
    let verb = (sentence_start..subject)
        .rev()
        .take(2)
        .any(|k| tokens[k].is_one_of(&["limit", "limits", "cap", "caps", "restrict"]));
    let joined = is_any(tokens.get(i.wrapping_sub(1)), &["to", "at"]);
    (verb && joined).then_some((Bound::AtMost, false, subject.saturating_sub(1)))
}

#[cfg(test)]
mod tests {
    use super::super::amounts::money_mentions;
    use super::super::lexer::tokenize;
    use super::*;

    fn caps(brief: &str) -> Vec<(i64, Option<AssetType>)> {
        let tokens = tokenize(brief);
        read_counts(&tokens, &money_mentions(&tokens))
            .into_iter()
            .map(|c| (c.value, c.asset_type))
            .collect()
    }

    #[test]
    fn count_caps() {
        for (brief, expected) in [
            ("Sell no more than 10 properties.", 10),
            ("Raise $200M from at most 8 assets.", 8),
            ("A maximum of five sales.", 5),
            ("Sell fewer than 12 sites.", 11),
            ("We can do 6 transactions max.", 6),
            ("Up to 7 individual properties.", 7),
            ("Sell at most 6.", 6),
            ("Limit the number of assets sold to 12.", 12),
            ("The number of properties sold must not exceed 9.", 9),
            ("Keep the asset count below 4.", 3),
            ("Sell only one property.", 1),
            ("No more than 10 of our assets.", 10),
            ("Sell 5-10 properties.", 10),
            ("Between 4 and 6 sales.", 6),
            ("Limit the program to 7 assets.", 7),
            ("Cap sales at 9.", 9),
            ("Sell no more than a dozen properties.", 12),
        ] {
            assert_eq!(caps(brief), [(expected, None)], "{brief}");
        }
        assert_eq!(
            caps("Sell at most 3 stores."),
            [(3, Some(AssetType::Store))]
        );
    }

    #[test]
    fn other_numbers_are_no_count_caps() {
        for brief in [
            "Raise $10M from 10 properties.",
            "Sell at least 5 assets.",
            "Keep leverage under 4x across 12 markets.",
            "No more than 25% of the assets.",
            "Raise up to $50M.",
            "Sell assets within 3 years.",
            "Leverage at most 3.5x.",
            "Sell no more than 2 critical assets.",
        ] {
            assert!(caps(brief).is_empty(), "{brief}: {:?}", caps(brief));
        }
    }
}
