//! Turns a brief into a normalised token stream: lower-case words, numbers (digits with
//! thousands separators, and spelled-out numbers such as "two hundred" or "a third") and the
//! punctuation the recognisers care about. Everything downstream works on these tokens, so
//! spelling variants are absorbed here once: typographic quotes and dashes, `≤`/`≥`/`×`,
//! hyphenated words ("mixed-use" → `mixed use`), contractions ("don't" → `do not`) and the
//! `re-` prefix ("re leasable" → `re-leasable`).

/// How a number was written; fractions ("a third") are shares, never amounts of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spelling {
    Digits,
    Words,
    Fraction,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    /// A lower-cased word; `shouted` when it was written in capitals (state codes like "TX").
    Word {
        text: String,
        shouted: bool,
    },
    Number {
        value: f64,
        spelling: Spelling,
    },
    Symbol(char),
}

impl Token {
    pub(crate) fn word(&self) -> Option<&str> {
        match self {
            Token::Word { text, .. } => Some(text),
            _ => None,
        }
    }

    pub(crate) fn is_word(&self, expected: &str) -> bool {
        self.word() == Some(expected)
    }

    /// Whether the token is a word spelled exactly as one of `words`.
    pub(crate) fn is_one_of(&self, words: &[&str]) -> bool {
        self.word().is_some_and(|w| words.contains(&w))
    }

    pub(crate) fn is_symbol(&self, expected: char) -> bool {
        matches!(self, Token::Symbol(c) if *c == expected)
    }
}

/// Punctuation kept as tokens; every other non-alphanumeric character separates words.
const SYMBOLS: &str = "$%/<>=~,;.:!?()&+-";

pub(crate) fn tokenize(brief: &str) -> Vec<Token> {
    let chars: Vec<char> = brief.chars().flat_map(normalise_char).collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next_is_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() || (c == '.' && next_is_digit) {
            let (value, end) = read_number(&chars, i);
            tokens.push(Token::Number {
                value,
                spelling: Spelling::Digits,
            });
            i = end;
        } else if c.is_alphabetic() {
            let end = (i..chars.len())
                .find(|&j| !(chars[j].is_alphabetic() || chars[j] == '\''))
                .unwrap_or(chars.len());
            push_word(&mut tokens, &chars[i..end]);
            i = end;
        } else {
            let joins_words = c == '-'
                && i > 0
                && chars[i - 1].is_alphabetic()
                && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
            if SYMBOLS.contains(c) && !joins_words {
                tokens.push(Token::Symbol(c));
            }
            i += 1;
        }
    }
    spell_out_numbers(join_re_prefix(tokens))
}

fn normalise_char(c: char) -> Vec<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02bc}' => vec!['\''],
        '\u{2010}'..='\u{2015}' | '\u{2212}' => vec!['-'],
        '\u{2264}' => vec!['<', '='],
        '\u{2265}' => vec!['>', '='],
        '\u{00d7}' => vec!['x'],
        c => vec![c],
    }
}

/// Reads `215,000,000`, `1.5`, `.75`: commas count as thousands separators only when followed
/// by exactly three digits, so "Raise $140M, nothing..." keeps its comma.
fn read_number(chars: &[char], start: usize) -> (f64, usize) {
    let mut digits = String::new();
    let mut i = start;
    loop {
        while i < chars.len() && chars[i].is_ascii_digit() {
            digits.push(chars[i]);
            i += 1;
        }
        let group_follows = chars.get(i) == Some(&',')
            && (1..=3).all(|k| chars.get(i + k).is_some_and(char::is_ascii_digit))
            && !chars.get(i + 4).is_some_and(char::is_ascii_digit);
        if !group_follows {
            break;
        }
        i += 1;
    }
    if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
        digits.push('.');
        i += 1;
        while i < chars.len() && chars[i].is_ascii_digit() {
            digits.push(chars[i]);
            i += 1;
        }
    }
    (digits.parse().unwrap_or(0.0), i)
}

/// Contractions that lost their apostrophe in casual writing.
const BARE_NEGATIONS: &[(&str, &str)] = &[
    ("dont", "do"),
    ("doesnt", "does"),
    ("didnt", "did"),
    ("cant", "can"),
    ("cannot", "can"),
    ("wont", "will"),
    ("shouldnt", "should"),
    ("mustnt", "must"),
    ("isnt", "is"),
    ("arent", "are"),
];

fn push_word(tokens: &mut Vec<Token>, raw: &[char]) {
    let raw: String = raw
        .iter()
        .collect::<String>()
        .trim_matches('\'')
        .to_string();
    let shouted = raw.chars().count() >= 2 && raw.chars().all(|c| c.is_uppercase());
    let lower = raw.to_lowercase();
    let mut push = |text: &str| {
        tokens.push(Token::Word {
            text: text.to_string(),
            shouted,
        });
    };
    if let Some(base) = lower.strip_suffix("n't") {
        push(base);
        push("not");
    } else if let Some((_, base)) = BARE_NEGATIONS.iter().find(|(bare, _)| *bare == lower) {
        push(base);
        push("not");
    } else {
        let stem = lower.strip_suffix("'s").unwrap_or(&lower);
        push(&stem.replace('\'', ""));
    }
}

/// "re-leasable" and "re leasable" mean the same: glue a lone `re` to its word, keeping the
/// hyphen so "re-lease" stays apart from "release".
fn join_re_prefix(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut glue_next = false;
    for token in tokens {
        match token {
            Token::Word { text, shouted } if glue_next => {
                out.pop();
                out.push(Token::Word {
                    text: format!("re-{text}"),
                    shouted,
                });
                glue_next = false;
            }
            token => {
                glue_next = token.is_word("re");
                out.push(token);
            }
        }
    }
    out
}

const UNITS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: &[&str] = &[
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Words that make a preceding "a"/"an" mean one: "a billion", "a hundred million".
const COUNTABLE_SCALES: &[&str] = &["hundred", "thousand", "million", "billion", "bn"];

/// Replaces spelled-out numbers by number tokens: "two hundred fifty" → 250, "a billion" →
/// 1 `billion`, "half" / "a quarter" / "two thirds" → fractions. Ordinals ("third quarter")
/// and a bare "quarter" stay words.
fn spell_out_numbers(tokens: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if let Some((token, len)) = spelled_number(&tokens, i) {
            out.push(token);
            i += len;
        } else {
            out.push(tokens[i].clone());
            i += 1;
        }
    }
    out
}

fn spelled_number(tokens: &[Token], i: usize) -> Option<(Token, usize)> {
    let word = |k: usize| tokens.get(i + k).and_then(Token::word);
    let fraction = |value: f64, len: usize| {
        Some((
            Token::Number {
                value,
                spelling: Spelling::Fraction,
            },
            len,
        ))
    };
    let one = matches!(word(0)?, "a" | "an" | "one");
    // The "a" of "half a billion" / "a quarter of a billion" belongs to the fraction.
    let follows_fraction = i > 0
        && tokens[i - 1].word().is_some_and(|w| {
            matches!(
                w,
                "half" | "quarter" | "quarters" | "third" | "thirds" | "of"
            )
        });
    match (word(0)?, word(1)) {
        ("half", _) => return fraction(0.5, 1),
        (_, Some("half")) if one => return fraction(0.5, 2),
        (_, Some("third")) if one => return fraction(1.0 / 3.0, 2),
        (_, Some("quarter")) if one => return fraction(0.25, 2),
        ("two", Some("thirds")) => return fraction(2.0 / 3.0, 2),
        ("three", Some("quarters")) => return fraction(0.75, 2),
        ("a" | "an", Some(next)) if COUNTABLE_SCALES.contains(&next) && !follows_fraction => {
            return Some((
                Token::Number {
                    value: 1.0,
                    spelling: Spelling::Words,
                },
                1,
            ));
        }
        _ => {}
    }
    let (mut value, mut len) = cardinal_below_hundred(tokens, i)?;
    if tokens.get(i + len).is_some_and(|t| t.is_word("hundred")) {
        value *= 100.0;
        len += 1;
        let rest = i + len + usize::from(tokens.get(i + len).is_some_and(|t| t.is_word("and")));
        if let Some((tail, tail_len)) = cardinal_below_hundred(tokens, rest) {
            value += tail;
            len = rest - i + tail_len;
        }
    }
    Some((
        Token::Number {
            value,
            spelling: Spelling::Words,
        },
        len,
    ))
}

fn cardinal_below_hundred(tokens: &[Token], i: usize) -> Option<(f64, usize)> {
    let word = tokens.get(i)?.word()?;
    if let Some(unit) = UNITS.iter().position(|u| *u == word) {
        return Some((unit as f64, 1));
    }
    let tens = TENS.iter().position(|t| *t == word)?;
    let value = 20.0 + 10.0 * tens as f64;
    let unit = tokens
        .get(i + 1)
        .and_then(Token::word)
        .and_then(|w| UNITS[1..10].iter().position(|u| *u == w));
    match unit {
        Some(u) => Some((value + (u + 1) as f64, 2)),
        None => Some((value, 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(brief: &str) -> Vec<String> {
        tokenize(brief)
            .iter()
            .map(|t| match t {
                Token::Word { text, .. } => text.clone(),
                Token::Number { value, .. } => format!("#{value}"),
                Token::Symbol(c) => c.to_string(),
            })
            .collect()
    }

    #[test]
    fn numbers_keep_separators_and_suffixes_apart() {
        assert_eq!(words("$215,000,000"), ["$", "#215000000"]);
        assert_eq!(words("$1.5bn, 3.5x"), ["$", "#1.5", "bn", ",", "#3.5", "x"]);
        assert_eq!(
            words("Raise $140M, nothing"),
            ["raise", "$", "#140", "m", ",", "nothing"]
        );
        assert_eq!(words("≥ 2×"), [">", "=", "#2", "x"]);
    }

    #[test]
    fn words_are_normalised() {
        assert_eq!(
            words("Don't sell mixed-use"),
            ["do", "not", "sell", "mixed", "use"]
        );
        assert_eq!(
            words("re-leasable, re leasable"),
            ["re-leasable", ",", "re-leasable"]
        );
        assert_eq!(words("company’s HQ"), ["company", "hq"]);
    }

    #[test]
    fn spelled_numbers_become_numbers() {
        assert_eq!(words("half a billion"), ["#0.5", "a", "billion"]);
        assert_eq!(words("a quarter billion"), ["#0.25", "billion"]);
        assert_eq!(words("two hundred and fifty million"), ["#250", "million"]);
        assert_eq!(
            words("a third of"),
            [format!("#{}", 1.0 / 3.0).as_str(), "of"]
        );
        assert_eq!(words("the third quarter"), ["the", "third", "quarter"]);
    }
}
