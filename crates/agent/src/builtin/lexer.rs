//! Turns a brief into a normalised token stream: lower-case words, numbers (digits with
//! thousands separators, and spelled-out numbers such as "two hundred" or "a third") and the
//! punctuation the recognisers care about. Everything downstream works on these tokens, so
//! spelling variants are absorbed here once: typographic quotes and dashes, `≤`/`≥`/`×`,
//! hyphenated words ("mixed-use" → `mixed use`), contractions ("don't" → `do not`) and the
//! `re-` prefix ("re leasable" → `re-leasable`).
//!
//! Every token remembers the bytes of the brief it came from, so what a recogniser read can be
//! quoted back in the brief's own words (provenance notes, warnings).

use std::ops::Range;

/// How a number was written; fractions ("a third") are shares, never amounts of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spelling {
    Digits,
    Words,
    Fraction,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    /// A lower-cased word; `shouted` when it was written in capitals (state codes like "TX"),
    /// `capital` when its first letter was (names: "the South", "Dallas Store 13").
    Word {
        text: String,
        shouted: bool,
        capital: bool,
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

/// A brief as tokens, with the bytes of the brief each token was read from.
#[derive(Debug, Clone)]
pub(crate) struct Lexed<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    /// Byte range in `text` of each token.
    pub spans: Vec<Range<usize>>,
}

impl Lexed<'_> {
    /// The brief's own words for the tokens in `range`.
    pub(crate) fn quote(&self, range: Range<usize>) -> String {
        if range.is_empty() || range.end > self.spans.len() {
            return String::new();
        }
        let bytes = self.spans[range.start].start..self.spans[range.end - 1].end;
        self.text[bytes].trim().to_string()
    }
}

/// A token and the bytes it was read from.
type Spanned = (Token, Range<usize>);

pub(crate) fn tokenize(brief: &str) -> Vec<Token> {
    lex(brief).tokens
}

pub(crate) fn lex(brief: &str) -> Lexed<'_> {
    // Each normalised character with the bytes of the character it came from.
    let chars: Vec<(char, Range<usize>)> = brief
        .char_indices()
        .flat_map(|(at, c)| {
            let bytes = at..at + c.len_utf8();
            normalise_char(c)
                .into_iter()
                .map(move |n| (n, bytes.clone()))
        })
        .collect();
    let plain: Vec<char> = chars.iter().map(|(c, _)| *c).collect();
    let bytes = |from: usize, to: usize| chars[from].1.start..chars[to - 1].1.end;
    let mut tokens: Vec<Spanned> = Vec::new();
    let mut i = 0;
    while i < plain.len() {
        let c = plain[i];
        let next_is_digit = plain.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() || (c == '.' && next_is_digit) {
            let (value, end) = read_number(&plain, i);
            let token = Token::Number {
                value,
                spelling: Spelling::Digits,
            };
            tokens.push((token, bytes(i, end)));
            i = end;
        } else if c.is_alphabetic() {
            let end = (i..plain.len())
                .find(|&j| !(plain[j].is_alphabetic() || plain[j] == '\''))
                .unwrap_or(plain.len());
            let span = bytes(i, end);
            for token in word_tokens(&plain[i..end]) {
                tokens.push((token, span.clone()));
            }
            i = end;
        } else {
            let joins_words = c == '-'
                && i > 0
                && plain[i - 1].is_alphabetic()
                && plain.get(i + 1).is_some_and(|n| n.is_alphabetic());
            if SYMBOLS.contains(c) && !joins_words {
                tokens.push((Token::Symbol(c), bytes(i, i + 1)));
            }
            i += 1;
        }
    }
    let (tokens, spans) = spell_out_numbers(join_re_prefix(tokens))
        .into_iter()
        .unzip();
    Lexed {
        text: brief,
        tokens,
        spans,
    }
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

fn word_tokens(raw: &[char]) -> Vec<Token> {
    let raw: String = raw
        .iter()
        .collect::<String>()
        .trim_matches('\'')
        .to_string();
    let shouted = raw.chars().count() >= 2 && raw.chars().all(|c| c.is_uppercase());
    let capital = raw.chars().next().is_some_and(char::is_uppercase);
    let lower = raw.to_lowercase();
    let mut tokens = Vec::with_capacity(2);
    let mut push = |text: &str| {
        tokens.push(Token::Word {
            text: text.to_string(),
            shouted,
            capital,
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
    tokens
}

/// "re-leasable" and "re leasable" mean the same: glue a lone `re` to its word, keeping the
/// hyphen so "re-lease" stays apart from "release".
fn join_re_prefix(tokens: Vec<Spanned>) -> Vec<Spanned> {
    let mut out: Vec<Spanned> = Vec::with_capacity(tokens.len());
    let mut glue_next = false;
    for (token, span) in tokens {
        match token {
            Token::Word {
                text,
                shouted,
                capital,
            } if glue_next => {
                let (_, re) = out.pop().expect("a `re` before");
                out.push((
                    Token::Word {
                        text: format!("re-{text}"),
                        shouted,
                        capital,
                    },
                    re.start..span.end,
                ));
                glue_next = false;
            }
            token => {
                glue_next = token.is_word("re");
                out.push((token, span));
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
fn spell_out_numbers(spanned: Vec<Spanned>) -> Vec<Spanned> {
    let tokens: Vec<Token> = spanned.iter().map(|(t, _)| t.clone()).collect();
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if let Some((token, len)) = spelled_number(&tokens, i) {
            out.push((token, spanned[i].1.start..spanned[i + len - 1].1.end));
            i += len;
        } else {
            out.push(spanned[i].clone());
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
        (_, Some("dozen")) if one => {
            return Some((
                Token::Number {
                    value: 12.0,
                    spelling: Spelling::Words,
                },
                2,
            ));
        }
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
    fn tokens_quote_the_brief() {
        let lexed = lex("Keep leverage ≤ 3.5x; don't sell the Dallas Store #13, a third.");
        let at = |word: &str| lexed.tokens.iter().position(|t| t.is_word(word)).unwrap();
        assert_eq!(
            lexed.quote(at("leverage")..at("leverage") + 5),
            "leverage ≤ 3.5x"
        );
        assert_eq!(lexed.quote(at("do")..at("sell") + 1), "don't sell");
        assert_eq!(
            lexed.quote(at("dallas")..at("store") + 2),
            "Dallas Store #13"
        );
        let third = lexed.tokens.len() - 2;
        assert_eq!(lexed.quote(third..third + 1), "a third");
        assert!(matches!(
            lexed.tokens[at("dallas")],
            Token::Word {
                capital: true,
                shouted: false,
                ..
            }
        ));
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
        assert_eq!(words("a dozen sites"), ["#12", "sites"]);
    }
}
