//! Money in a brief: every notation of an amount ("$120M", "120 million", "$50MM", "1.5bn",
//! "$215,000,000", "$750k", "USD 300m", "half a billion", "$100–150M") and the choice of the one
//! that is the amount to raise rather than a debt figure or a fallback floor.

use std::ops::Range;

use super::lexer::{Spelling, Token};
use super::phrases::{Phrase, is_any, phrase_ends_at, sentence_end, sentence_start};

/// One amount of money and the tokens it spans.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Money {
    pub value: f64,
    pub span: Range<usize>,
}

const SCALES: &[(&str, f64)] = &[
    ("k", 1e3),
    ("thousand", 1e3),
    ("m", 1e6),
    ("mm", 1e6),
    ("mn", 1e6),
    ("mil", 1e6),
    ("mio", 1e6),
    ("mln", 1e6),
    ("million", 1e6),
    ("b", 1e9),
    ("bn", 1e9),
    ("bln", 1e9),
    ("bil", 1e9),
    ("billion", 1e9),
];

/// A dollar figure written without a scale is taken in millions (SLB context: "raise $250")
/// when it is smaller than this.
const BARE_DOLLARS_IN_MILLIONS_BELOW: f64 = 100_000.0;

fn scale_of(token: Option<&Token>) -> Option<f64> {
    let word = token?.word()?;
    SCALES
        .iter()
        .find(|(name, _)| *name == word || name.len() > 3 && word.strip_suffix('s') == Some(name))
        .map(|(_, factor)| *factor)
}

/// Every amount of money in the brief, in order. Ranges ("$100-150M", "between $100M and
/// $150M") count once, at their upper bound: the lower end of a range is a floor, not a target.
pub(crate) fn money_mentions(tokens: &[Token]) -> Vec<Money> {
    let mut found: Vec<Money> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match read_money(tokens, i) {
            Some(money) => {
                i = money.span.end;
                found.push(money);
            }
            None => i += 1,
        }
    }
    found
}

fn read_money(tokens: &[Token], i: usize) -> Option<Money> {
    let Token::Number { value, spelling } = tokens[i] else {
        return None;
    };
    let dollar_before = i > 0 && (tokens[i - 1].is_symbol('$') || tokens[i - 1].is_word("usd"));
    let start = if dollar_before { i - 1 } else { i };
    if let Some(upper) = range_upper_bound(tokens, i) {
        return Some(Money {
            value: upper.value,
            span: start..upper.span.end,
        });
    }
    let mut end = i + 1;
    if spelling == Spelling::Fraction {
        // "half a billion", "a quarter of a billion"
        end += usize::from(tokens.get(end).is_some_and(|t| t.is_word("of")));
        end += usize::from(is_any(tokens.get(end), &["a", "an"]));
    }
    let scale = scale_of(tokens.get(end));
    if scale.is_some() {
        end += 1;
    }
    let dollar_after = is_any(tokens.get(end), &["dollar", "dollars", "usd"]);
    end += usize::from(dollar_after);
    let value = match scale {
        Some(factor) => value * factor,
        None if dollar_before && value < BARE_DOLLARS_IN_MILLIONS_BELOW => value * 1e6,
        None if dollar_before || dollar_after => value,
        None => return None,
    };
    let span_end = if scale.is_some() || dollar_after {
        end
    } else {
        i + 1
    };
    Some(Money {
        value,
        span: start..span_end,
    })
}

/// `100-150M`, `$100M to $150M`, `between 100 and 150 million`: the lower number may borrow
/// the scale of the upper one, and the range stands for its upper bound.
fn range_upper_bound(tokens: &[Token], i: usize) -> Option<Money> {
    let mut j = i + 1;
    if scale_of(tokens.get(j)).is_some() {
        j += 1;
    }
    let between = (1..=2).any(|back| i >= back && tokens[i - back].is_word("between"));
    let joiner = tokens.get(j)?;
    if !(joiner.is_symbol('-') || joiner.is_word("to") || (between && joiner.is_word("and"))) {
        return None;
    }
    j += 1;
    if tokens.get(j).is_some_and(|t| t.is_symbol('$')) {
        j += 1;
    }
    if !matches!(tokens.get(j), Some(Token::Number { .. })) {
        return None;
    }
    // The upper end must carry a scale, or "2025-2026" and "3 to 4x" would be money.
    let upper = read_money(tokens, j)?;
    scale_of(tokens.get(j + 1)).is_some().then_some(upper)
}

/// Verbs and nouns that make an amount the raise target.
const TARGET_CUES: &[&str] = &[
    "raise",
    "raising",
    "target",
    "targeting",
    "targetting",
    "generate",
    "generating",
    "unlock",
    "unlocking",
    "need",
    "needs",
    "want",
    "wants",
    "seek",
    "seeking",
    "looking",
    "monetize",
    "monetise",
    "monetizing",
    "realize",
    "realise",
    "proceeds",
    "fund",
    "funding",
    "secure",
    "release",
    "extract",
    "goal",
    "aim",
    "aiming",
    "bring",
    "get",
    "obtain",
    "capital",
];

/// Figures that describe the company, not the raise: "$2.4B of net debt", "EBITDA of $600M".
const BALANCE_SHEET_NOUNS: &[&str] = &[
    "debt",
    "ebitda",
    "noi",
    "income",
    "rent",
    "rents",
    "interest",
    "expense",
    "expenses",
    "revenue",
    "revenues",
    "sales",
    "valuation",
    "value",
    "valued",
    "worth",
    "capex",
    "loan",
    "loans",
    "revolver",
    "bond",
    "bonds",
    "notes",
    "liabilities",
    "maturity",
    "maturities",
    "leverage",
    "cash",
    "book",
];

/// Words allowed between an amount and the balance-sheet noun it describes.
const ATTACHING_WORDS: &[&str] = &[
    "of",
    "in",
    "net",
    "total",
    "gross",
    "annual",
    "existing",
    "outstanding",
    "senior",
    "our",
    "the",
    "term",
    "trailing",
    "current",
    "is",
    "are",
    "was",
    "at",
    "stands",
    "sits",
    "totals",
    "totaling",
    "totalling",
    "about",
    "around",
    "roughly",
    "approximately",
    "currently",
    "a",
];

/// Phrases that make an amount the least acceptable outcome, not the goal.
const FLOOR_CUES: &[Phrase] = &[
    &["floor"],
    &["minimum"],
    &["at", "minimum"],
    &["as", "little", "as"],
    &["as", "low", "as"],
    &["no", "less", "than"],
    &["accept"],
    &["acceptable"],
    &["fallback"],
    &["walk", "away"],
    &["worst", "case"],
    &["at", "worst"],
    &["down", "to"],
    &["live", "with"],
];

/// The amount the brief asks to raise: the best-supported positive mention (a raise verb or
/// "proceeds" nearby, not tied to a balance-sheet noun, not introduced as a floor); the first
/// one on a tie.
pub(crate) fn raise_target<'m>(tokens: &[Token], money: &'m [Money]) -> Option<&'m Money> {
    money
        .iter()
        .filter(|money| money.value > 0.0)
        .map(|money| (target_score(tokens, money), money))
        .filter(|(score, _)| *score >= 0)
        .fold(None, |best: Option<(i32, &Money)>, candidate| match best {
            Some((score, _)) if score >= candidate.0 => best,
            _ => Some(candidate),
        })
        .map(|(_, money)| money)
}

fn target_score(tokens: &[Token], money: &Money) -> i32 {
    let sentence = sentence_start(tokens, money.span.start)..sentence_end(tokens, money.span.start);
    let before = &tokens[sentence.start..money.span.start];
    let after = &tokens[money.span.end..sentence.end];
    let mut score = 0;
    let target_cue_before = before.iter().any(|t| t.is_one_of(TARGET_CUES));
    let proceeds_after = after
        .iter()
        .take(3)
        .any(|t| t.is_one_of(&["proceeds", "slb"]));
    if target_cue_before || proceeds_after {
        score += 2;
    }
    if describes_balance_sheet(before.iter().rev()) || describes_balance_sheet(after.iter()) {
        score -= 3;
    }
    let floor_cue = (0..before.len().min(4)).any(|back| {
        let last = money.span.start - 1 - back;
        FLOOR_CUES
            .iter()
            .any(|cue| phrase_ends_at(tokens, last, cue))
    });
    if floor_cue {
        score -= 2;
    }
    score
}

/// Whether a balance-sheet noun follows through attaching words only ("$2.4B of net debt",
/// read forwards; "net debt stands at $2.4B", read backwards).
fn describes_balance_sheet<'a>(mut tokens: impl Iterator<Item = &'a Token>) -> bool {
    tokens
        .by_ref()
        .take(4)
        .find(|t| !t.is_one_of(ATTACHING_WORDS) && !t.is_symbol(':') && !t.is_symbol('~'))
        .is_some_and(|t| t.is_one_of(BALANCE_SHEET_NOUNS))
}

#[cfg(test)]
mod tests {
    use super::super::lexer::tokenize;
    use super::*;

    fn amounts(brief: &str) -> Vec<f64> {
        money_mentions(&tokenize(brief))
            .iter()
            .map(|m| m.value)
            .collect()
    }

    #[test]
    fn every_notation_is_read() {
        for (text, value) in [
            ("$120M", 120e6),
            ("120 million", 120e6),
            ("$50MM", 50e6),
            ("$1.5B", 1.5e9),
            ("1.5bn", 1.5e9),
            ("$215,000,000", 215e6),
            ("$750k", 750e3),
            ("half a billion", 0.5e9),
            ("a quarter billion", 0.25e9),
            ("a quarter of a billion", 0.25e9),
            ("$2.5 billion", 2.5e9),
            ("USD 300m", 300e6),
            ("300 mn", 300e6),
            ("two hundred million dollars", 200e6),
            ("a billion", 1e9),
            ("$250", 250e6),
        ] {
            assert_eq!(amounts(text), [value], "{text}");
        }
    }

    #[test]
    fn durations_and_ratios_are_not_money() {
        assert!(amounts("raise 3 months from now at 3.5x and 25%").is_empty());
    }

    #[test]
    fn ranges_count_at_their_upper_bound() {
        assert_eq!(amounts("$100-150M"), [150e6]);
        assert_eq!(amounts("between $100M and $150M"), [150e6]);
        assert_eq!(amounts("100 to 150 million"), [150e6]);
    }

    #[test]
    fn the_raise_target_beats_debt_figures_and_floors() {
        let target = |brief: &str| {
            let tokens = tokenize(brief);
            raise_target(&tokens, &money_mentions(&tokens)).map(|m| m.value)
        };
        assert_eq!(target("With $2.4B of net debt, raise $300M."), Some(300e6));
        assert_eq!(
            target("Raise $200M; we could accept as little as $150M."),
            Some(200e6)
        );
        assert_eq!(target("Our EBITDA is $600M."), None);
        assert_eq!(
            target("Pay down the $500M revolver with a $150M SLB."),
            Some(150e6)
        );
    }
}
