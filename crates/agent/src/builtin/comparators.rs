//! What a number in a brief means to the metric it is attached to: a ceiling ("below 4x",
//! "no more than 25%", "3.5x max"), a floor ("at least 2.5x", "≥ 2x", "must not fall below
//! 3x"), a plain level ("keep leverage at 3.5x"), or a statement of where the company stands
//! today ("leverage is currently 5x", "from 5x to ...") — which is not a requirement at all.

use std::ops::Range;

use super::lexer::Token;
use super::phrases::{
    AVERTING, NEGATIONS, Phrase, is_any, longest_at, longest_ending_at, phrase_at,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bound {
    AtMost,
    AtLeast,
    /// A level without a direction: "keep leverage at 3.5x", "criticality of 0.4".
    Stated,
    /// Today's figure, not a requirement.
    Today,
}

impl Bound {
    fn flipped(self) -> Bound {
        match self {
            Bound::AtMost => Bound::AtLeast,
            Bound::AtLeast => Bound::AtMost,
            other => other,
        }
    }
}

/// Comparators written before the number. Negated forms ("no more than", "not exceed",
/// "never fall below") are not listed: a negation in front flips the direction.
const BEFORE: &[(Phrase, Bound)] = &[
    (&["below"], Bound::AtMost),
    (&["under"], Bound::AtMost),
    (&["beneath"], Bound::AtMost),
    (&["less", "than"], Bound::AtMost),
    (&["lower", "than"], Bound::AtMost),
    (&["fewer", "than"], Bound::AtMost),
    (&["at", "most"], Bound::AtMost),
    (&["at", "or", "below"], Bound::AtMost),
    (&["at", "or", "under"], Bound::AtMost),
    (&["max"], Bound::AtMost),
    (&["maximum"], Bound::AtMost),
    (&["cap"], Bound::AtMost),
    (&["capped"], Bound::AtMost),
    (&["ceiling"], Bound::AtMost),
    (&["up", "to"], Bound::AtMost),
    (&["down", "to"], Bound::AtMost),
    (&["within"], Bound::AtMost),
    (&["limit"], Bound::AtMost),
    (&["limited", "to"], Bound::AtMost),
    (&["south", "of"], Bound::AtMost),
    (&["<"], Bound::AtMost),
    (&["<", "="], Bound::AtMost),
    // "between 3x and 3.5x": the first number is the floor, the one after "and" the cap.
    (&["between"], Bound::AtLeast),
    (&["above"], Bound::AtLeast),
    (&["over"], Bound::AtLeast),
    (&["more", "than"], Bound::AtLeast),
    (&["greater", "than"], Bound::AtLeast),
    (&["higher", "than"], Bound::AtLeast),
    (&["better", "than"], Bound::AtLeast),
    (&["at", "least"], Bound::AtLeast),
    (&["at", "or", "above"], Bound::AtLeast),
    (&["min"], Bound::AtLeast),
    (&["minimum"], Bound::AtLeast),
    (&["floor"], Bound::AtLeast),
    (&["north", "of"], Bound::AtLeast),
    (&["exceed"], Bound::AtLeast),
    (&["exceeding"], Bound::AtLeast),
    (&["in", "excess", "of"], Bound::AtLeast),
    (&["beyond"], Bound::AtLeast),
    (&[">"], Bound::AtLeast),
    (&[">", "="], Bound::AtLeast),
];

/// Comparators written after the number: "3.5x max", "2x or better".
const AFTER: &[(Phrase, Bound)] = &[
    (&["max"], Bound::AtMost),
    (&["maximum"], Bound::AtMost),
    (&["cap"], Bound::AtMost),
    (&["ceiling"], Bound::AtMost),
    (&["limit"], Bound::AtMost),
    (&["tops"], Bound::AtMost),
    (&["or", "less"], Bound::AtMost),
    (&["or", "lower"], Bound::AtMost),
    (&["or", "below"], Bound::AtMost),
    (&["or", "under"], Bound::AtMost),
    (&["at", "most"], Bound::AtMost),
    (&["min"], Bound::AtLeast),
    (&["minimum"], Bound::AtLeast),
    (&["floor"], Bound::AtLeast),
    (&["or", "more"], Bound::AtLeast),
    (&["or", "higher"], Bound::AtLeast),
    (&["or", "above"], Bound::AtLeast),
    (&["or", "better"], Bound::AtLeast),
    (&["or", "greater"], Bound::AtLeast),
    (&["at", "least"], Bound::AtLeast),
];

/// Words saying a figure describes the present: "currently", "today", "stands at".
const TODAY_MARKERS: &[&str] = &[
    "currently",
    "current",
    "today",
    "now",
    "presently",
    "existing",
    "already",
    "stands",
    "sits",
    "running",
    "trailing",
    "ltm",
    "was",
    "were",
];

/// Words that only state a level ("leverage is 5x"): today's figure unless a comparator or a
/// requirement word says otherwise.
const COPULAS: &[&str] = &["is", "are"];

/// Words that make a level a requirement even after a copula ("target leverage is 3.5x").
const REQUIREMENT_WORDS: &[&str] = &[
    "must",
    "should",
    "need",
    "needs",
    "keep",
    "maintain",
    "target",
    "required",
    "requirement",
    "covenant",
    "stay",
    "remain",
    "ensure",
    "hold",
];

/// The bound of a number and how many tokens after its unit belong to it ("max", "or
/// better", "today"), so the next number's comparator is not read from them.
pub(crate) struct Reading {
    pub bound: Bound,
    pub trailing: usize,
}

/// Reads the bound of the number at `number` (whose unit ends at `after`), looking back over
/// `window` (the text since the metric or the previous number) and just past the number.
pub(crate) fn read_bound(
    tokens: &[Token],
    window: Range<usize>,
    number: usize,
    after: usize,
) -> Reading {
    let before = &tokens[window.clone()];
    let today_after = if is_any(tokens.get(after), &["today", "currently", "now"]) {
        1
    } else if phrase_at(tokens, after, &["at", "present"]) {
        2
    } else {
        0
    };
    let from_before = number > window.start && tokens[number - 1].is_word("from");
    let requirement = before.iter().any(|t| t.is_one_of(REQUIREMENT_WORDS));
    let today_marker = before.iter().any(|t| t.is_one_of(TODAY_MARKERS)) || today_after > 0;
    if (today_marker && !requirement) || from_before {
        return Reading {
            bound: Bound::Today,
            trailing: today_after,
        };
    }
    if let Some((bound, len)) = longest_at(tokens, after, AFTER) {
        return Reading {
            bound,
            trailing: len,
        };
    }
    let reading = |bound| Reading { bound, trailing: 0 };
    for last in window.clone().rev() {
        if let Some((bound, len)) = longest_ending_at(tokens, last, BEFORE) {
            let start = last + 1 - len;
            if start >= window.start {
                let negated = negated(tokens, window.start, start);
                return reading(if negated { bound.flipped() } else { bound });
            }
        }
    }
    let copula = before.iter().any(|t| t.is_one_of(COPULAS));
    reading(if copula && !requirement {
        Bound::Today
    } else {
        Bound::Stated
    })
}

/// Whether one of the four words before `at` (but not before `floor`) negates what follows:
/// "no more than", "must not exceed", "never fall below", "without letting it go above",
/// "keep it from exceeding".
fn negated(tokens: &[Token], floor: usize, at: usize) -> bool {
    (floor.max(at.saturating_sub(4))..at).any(|k| {
        tokens[k].is_one_of(NEGATIONS) || tokens[k].is_one_of(AVERTING) || tokens[k].is_word("from")
    })
}

#[cfg(test)]
mod tests {
    use super::super::lexer::tokenize;
    use super::*;

    /// The bound of the first number in `text`, reading the whole text before it.
    fn bound(text: &str) -> Bound {
        let tokens = tokenize(text);
        let number = tokens
            .iter()
            .position(|t| matches!(t, Token::Number { .. }))
            .unwrap();
        read_bound(&tokens, 0..number, number, number + 2).bound
    }

    #[test]
    fn directions() {
        assert_eq!(bound("below 4 x"), Bound::AtMost);
        assert_eq!(bound("no more than 25 %"), Bound::AtMost);
        assert_eq!(bound("must not exceed 4 x"), Bound::AtMost);
        assert_eq!(bound("keep it from exceeding 4 x"), Bound::AtMost);
        assert_eq!(bound("≤ 3.5 x"), Bound::AtMost);
        assert_eq!(bound("of at least 2.5 x"), Bound::AtLeast);
        assert_eq!(bound("never fall below 3 x"), Bound::AtLeast);
        assert_eq!(bound("at or above 2.0 x"), Bound::AtLeast);
        assert_eq!(bound("3.5 x max"), Bound::AtMost);
        assert_eq!(bound("2 x or better"), Bound::AtLeast);
        assert_eq!(bound("at 3.5 x"), Bound::Stated);
    }

    #[test]
    fn todays_figures_are_not_requirements() {
        assert_eq!(bound("is currently 5 x"), Bound::Today);
        assert_eq!(bound("is 5 x"), Bound::Today);
        assert_eq!(bound("down from 5 x"), Bound::Today);
        assert_eq!(bound("of 5 x today"), Bound::Today);
        assert_eq!(bound("target is 3.5 x"), Bound::Stated);
        assert_eq!(bound("now needs to be below 4 x"), Bound::AtMost);
    }
}
