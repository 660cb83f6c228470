//! Phrase matching over the token stream, shared by every recogniser. A phrase is a list of
//! patterns; a pattern is a word (matching its plural too: `store` matches "stores", `property`
//! matches "properties") or a one-character symbol (`/`, `$`, `%`).

use super::lexer::Token;

pub(crate) type Phrase = &'static [&'static str];

/// Words that negate the cue or comparator right after them.
pub(crate) const NEGATIONS: &[&str] = &[
    "not", "no", "never", "nothing", "none", "without", "nor", "neither",
];

/// Verbs that negate the action after them: "avoid selling offices", "avoid going above 4x".
pub(crate) const AVERTING: &[&str] = &["avoid", "avoiding", "prevent", "preventing", "refrain"];

/// Whether `token` spells `pattern`.
pub(crate) fn token_matches(token: &Token, pattern: &str) -> bool {
    match token {
        Token::Word { text, .. } => text == pattern || is_plural_of(text, pattern),
        Token::Symbol(c) => pattern.chars().eq(std::iter::once(*c)),
        Token::Number { .. } => false,
    }
}

fn is_plural_of(word: &str, singular: &str) -> bool {
    if word.len() < 3 {
        return false;
    }
    let strip = |suffix: &str| word.strip_suffix(suffix);
    strip("s") == Some(singular)
        || strip("es") == Some(singular)
        || strip("ies").is_some_and(|stem| singular.strip_suffix('y') == Some(stem))
}

/// Whether `phrase` occurs at position `i`.
pub(crate) fn phrase_at(tokens: &[Token], i: usize, phrase: &[&str]) -> bool {
    phrase.iter().enumerate().all(|(k, pattern)| {
        tokens
            .get(i + k)
            .is_some_and(|token| token_matches(token, pattern))
    })
}

/// Whether `phrase` occurs at position `i` spelled exactly (no plurals).
pub(crate) fn exact_phrase_at(tokens: &[Token], i: usize, phrase: &[&str]) -> bool {
    phrase.iter().enumerate().all(|(k, pattern)| {
        tokens.get(i + k).is_some_and(|token| match token {
            Token::Word { text, .. } => text == pattern,
            other => token_matches(other, pattern),
        })
    })
}

/// The longest entry of `table` spelled exactly at `i` (no plurals), with its length.
pub(crate) fn longest_exact_at<T: Copy>(
    tokens: &[Token],
    i: usize,
    table: &[(Phrase, T)],
) -> Option<(T, usize)> {
    longest(
        table
            .iter()
            .filter(|(phrase, _)| exact_phrase_at(tokens, i, phrase)),
    )
}

/// Whether `phrase` occurs with its last token at position `last`.
pub(crate) fn phrase_ends_at(tokens: &[Token], last: usize, phrase: &[&str]) -> bool {
    phrase.len() <= last + 1 && phrase_at(tokens, last + 1 - phrase.len(), phrase)
}

/// The longest entry of `table` starting at `i`, with its length in tokens; on equal length
/// the earlier entry wins.
pub(crate) fn longest_at<T: Copy>(
    tokens: &[Token],
    i: usize,
    table: &[(Phrase, T)],
) -> Option<(T, usize)> {
    longest(
        table
            .iter()
            .filter(|(phrase, _)| phrase_at(tokens, i, phrase)),
    )
}

/// The longest entry of `table` whose last token is at `last`, with its length.
pub(crate) fn longest_ending_at<T: Copy>(
    tokens: &[Token],
    last: usize,
    table: &[(Phrase, T)],
) -> Option<(T, usize)> {
    longest(
        table
            .iter()
            .filter(|(phrase, _)| phrase_ends_at(tokens, last, phrase)),
    )
}

fn longest<'a, T: Copy + 'a>(matches: impl Iterator<Item = &'a (Phrase, T)>) -> Option<(T, usize)> {
    matches.fold(None, |best, (phrase, value)| match best {
        Some((_, len)) if len >= phrase.len() => best,
        _ => Some((*value, phrase.len())),
    })
}

/// Whether the token, if any, is one of `words` (exact spelling).
pub(crate) fn is_any(token: Option<&Token>, words: &[&str]) -> bool {
    token.is_some_and(|t| t.is_one_of(words))
}

/// Full stops, semicolons, `!` and `?` end a sentence: no recogniser looks across them. A
/// colon does not ("Leverage: 3.5x max", "Exclude: Dallas, Houston").
pub(crate) fn ends_sentence(token: &Token) -> bool {
    matches!(token, Token::Symbol('.' | ';' | '!' | '?'))
}

/// Index of the first token of the sentence holding position `i`.
pub(crate) fn sentence_start(tokens: &[Token], i: usize) -> usize {
    (0..i)
        .rev()
        .find(|&k| ends_sentence(&tokens[k]))
        .map_or(0, |k| k + 1)
}

/// Index one past the last token of the sentence holding position `i`.
pub(crate) fn sentence_end(tokens: &[Token], i: usize) -> usize {
    (i..tokens.len())
        .find(|&k| ends_sentence(&tokens[k]))
        .unwrap_or(tokens.len())
}
