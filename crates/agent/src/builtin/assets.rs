//! Single properties a brief names, resolved against the portfolio's asset list: by id
//! ("P023", "hq-nyc") or by name ("the Columbus Distribution Center 23", "Columbus DC 23").
//!
//! A name matches word for word, except that its asset-type words match any everyday name of
//! that type ("DC" for "Distribution Center") in the singular: "the Texas DC" is one asset,
//! "the Texas DCs" a class of assets (a type and a place, read as filters). An id matches as the
//! portfolio writes it, letters in any case; an id without digits ("HQ") is also an ordinary
//! word, so it matches only in the portfolio's own spelling.
//!
//! Text that looks like a reference but matches no asset — an id with a prefix the portfolio's
//! ids use ("P099"), an asset-type word followed by a number ("Dallas Store 99"), or a run of
//! capitalised words using the portfolio's naming words ("the Boston Flagship") — is reported
//! as an unknown reference, so the reader can warn instead of falling back to a whole market or
//! type.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use engine::model::AssetType;

use super::filters::{TYPE_NAMES, type_at};
use super::lexer::{Lexed, Spelling, Token, lex};
use super::phrases::ends_sentence;
use crate::planner::AssetLabel;

/// One unit of an asset's name.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Word(String),
    Number(f64),
    /// Words naming an asset type ("Distribution Center"), matched by any name of the type.
    Type(AssetType),
    /// Punctuation inside a name; optional in the brief.
    Symbol(char),
}

/// The first part of a name or id, to find candidates without trying every asset.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Word(String),
    Number(u64),
    Type(AssetType),
}

#[derive(Debug, Clone)]
struct Reference {
    parts: Vec<Part>,
    /// Indices into the portfolio's assets.
    assets: Vec<usize>,
    /// For ids: the id as the portfolio writes it.
    id: Option<String>,
}

/// Every way the brief may name single assets of the portfolio.
#[derive(Debug, Clone, Default)]
pub(crate) struct AssetNames {
    references: Vec<Reference>,
    by_key: HashMap<Key, Vec<usize>>,
    /// Names with a type word inside and a number after it ("Dallas Store 13"), by that type:
    /// they may be named from the type on ("Store 13") when that names one asset.
    by_inner_type: HashMap<AssetType, Vec<usize>>,
    /// Words of the names that name no asset type.
    vocabulary: HashSet<String>,
    /// Letter prefixes of ids written as letters then digits ("p" for "P023").
    id_prefixes: HashSet<String>,
}

impl AssetNames {
    /// The references `brief` may contain. Only assets whose every word and number occurs in
    /// the brief (type words aside) are read in full, so large portfolios stay cheap.
    pub(crate) fn new(assets: &[AssetLabel], brief: &str) -> AssetNames {
        let mut names = AssetNames::default();
        let mut seen: HashMap<(Vec<String>, bool), usize> = HashMap::new();
        let in_brief = Pieces::of(brief);
        let present = |piece: &Piece| match piece {
            Piece::Word(word) => {
                type_words().contains(word.as_str()) || in_brief.words.contains(word)
            }
            Piece::Number(value) => in_brief.numbers.contains(&value.to_bits()),
        };
        let could_occur = |text: &str| pieces(text).all(|p| present(&p));
        // A name may also be written from its first type word on ("Store 13").
        let could_occur_in_part = |text: &str| {
            let all: Vec<Piece> = pieces(text).collect();
            let from = all
                .iter()
                .position(|p| matches!(p, Piece::Word(w) if type_words().contains(w.as_str())))
                .unwrap_or(0);
            all[from..].iter().all(present)
        };
        for (index, asset) in assets.iter().enumerate() {
            let id = &asset.asset_id;
            let mut leading = pieces(id);
            if let (Some(Piece::Word(prefix)), Some(Piece::Number(_))) =
                (leading.next(), leading.next())
            {
                names.id_prefixes.insert(prefix);
            }
            if could_occur(id) {
                names.add(&mut seen, &lex(id), index, Some(id.clone()));
            }
            if let Some(name) = asset.name.as_deref() {
                for piece in pieces(name) {
                    if let Piece::Word(word) = piece
                        && !type_words().contains(word.as_str())
                    {
                        names.vocabulary.insert(word);
                    }
                }
                if could_occur_in_part(name) {
                    names.add(&mut seen, &lex(name), index, None);
                }
            }
        }
        names
    }

    fn add(
        &mut self,
        seen: &mut HashMap<(Vec<String>, bool), usize>,
        lexed: &Lexed,
        asset: usize,
        id: Option<String>,
    ) {
        let parts = match &id {
            Some(_) => literal_parts(&lexed.tokens),
            None => name_parts(&lexed.tokens),
        };
        let Some(key) = parts.first().and_then(key_of) else {
            return;
        };
        let signature = (
            parts.iter().map(|p| format!("{p:?}")).collect(),
            id.is_some(),
        );
        if let Some(&existing) = seen.get(&signature) {
            let reference = &mut self.references[existing];
            if id.is_none() && !reference.assets.contains(&asset) {
                reference.assets.push(asset);
            }
            return;
        }
        seen.insert(signature, self.references.len());
        let index = self.references.len();
        self.by_key.entry(key).or_default().push(index);
        if id.is_none() {
            let inner = parts
                .iter()
                .skip(1)
                .position(|p| matches!(p, Part::Type(_)));
            if let Some(at) = inner.map(|k| k + 1) {
                let numbered = parts[at..].iter().any(|p| matches!(p, Part::Number(_)));
                if let (Part::Type(asset_type), true) = (&parts[at], numbered) {
                    self.by_inner_type
                        .entry(*asset_type)
                        .or_default()
                        .push(index);
                }
            }
        }
        self.references.push(Reference {
            parts,
            assets: vec![asset],
            id,
        });
    }

    /// The assets named at `i`, and how many tokens name them: the longest reference, and
    /// every asset that answers to it.
    pub(crate) fn at(&self, lexed: &Lexed, i: usize) -> Option<(Vec<usize>, usize)> {
        let tokens = &lexed.tokens;
        let mut keys = Vec::with_capacity(2);
        match tokens.get(i)? {
            Token::Word { text, .. } => keys.push(Key::Word(text.clone())),
            Token::Number { value, .. } => keys.push(Key::Number(value.to_bits())),
            Token::Symbol(_) => return None,
        }
        if let Some((asset_type, _)) = type_at(tokens, i, true) {
            keys.push(Key::Type(asset_type));
        }
        let mut best: Option<(Vec<usize>, usize)> = None;
        for key in &keys {
            for &r in self.by_key.get(key).into_iter().flatten() {
                let reference = &self.references[r];
                let Some(len) = reference.matches(lexed, i) else {
                    continue;
                };
                match &mut best {
                    Some((assets, best_len)) if *best_len == len => {
                        for a in &reference.assets {
                            if !assets.contains(a) {
                                assets.push(*a);
                            }
                        }
                    }
                    Some((_, best_len)) if *best_len > len => {}
                    _ => best = Some((reference.assets.clone(), len)),
                }
            }
        }
        best.or_else(|| self.tail_at(lexed, i))
            .map(|(mut assets, len)| {
                assets.sort_unstable();
                (assets, len)
            })
    }

    /// A name written from its type word on ("Store 13", "DC 23"), when it names exactly one
    /// asset.
    fn tail_at(&self, lexed: &Lexed, i: usize) -> Option<(Vec<usize>, usize)> {
        let (asset_type, _) = type_at(&lexed.tokens, i, true)?;
        let mut found: Option<(Vec<usize>, usize)> = None;
        for &r in self.by_inner_type.get(&asset_type).into_iter().flatten() {
            let reference = &self.references[r];
            let from = 1 + reference.parts[1..]
                .iter()
                .position(|p| matches!(p, Part::Type(_)))?;
            let Some(len) = match_parts(&reference.parts[from..], &lexed.tokens, i) else {
                continue;
            };
            match &mut found {
                Some((assets, best)) if *best == len => assets.extend(&reference.assets),
                Some((_, best)) if *best > len => {}
                _ => found = Some((reference.assets.clone(), len)),
            }
        }
        found.filter(|(assets, _)| assets.len() == 1)
    }

    /// Spans that look like a reference to a single asset but are not one (see the module
    /// doc). `covered(k)` tells whether token `k` is already part of a reference, and
    /// `place_len(k)` how many tokens a place name at `k` covers.
    pub(crate) fn unknown_references(
        &self,
        lexed: &Lexed,
        covered: impl Fn(usize) -> bool,
        place_len: impl Fn(usize) -> Option<usize>,
    ) -> Vec<Range<usize>> {
        let tokens = &lexed.tokens;
        let mut found: Vec<Range<usize>> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            if covered(i) {
                i += 1;
                continue;
            }
            let span = self
                .id_like(lexed, i)
                .or_else(|| self.numbered_name(lexed, i, &place_len))
                .or_else(|| self.capitalised_name(lexed, i, &place_len))
                .filter(|span| !span.clone().any(&covered));
            match span {
                Some(span) => {
                    i = span.end;
                    found.push(span);
                }
                None => i += 1,
            }
        }
        found
    }

    /// "P099" where the portfolio's ids start with "P": letters and digits written together.
    fn id_like(&self, lexed: &Lexed, i: usize) -> Option<Range<usize>> {
        let tokens = &lexed.tokens;
        let prefix = tokens[i].word()?;
        if !self.id_prefixes.contains(prefix)
            || !matches!(tokens.get(i + 1), Some(Token::Number { .. }))
        {
            return None;
        }
        let mut end = i + 1;
        while end < tokens.len()
            && lexed.spans[end - 1].end == lexed.spans[end].start
            && !ends_sentence(&tokens[end])
            && !tokens[end].is_symbol(',')
        {
            end += 1;
        }
        (end > i + 1 && lexed.spans[i].end == lexed.spans[i + 1].start).then_some(i..end)
    }

    /// "Dallas Store 99", "columbus DC 7": an asset type in the singular with a number after
    /// it (a count would come before: "7 DCs"), with the naming words just before it.
    fn numbered_name(
        &self,
        lexed: &Lexed,
        i: usize,
        place_len: &impl Fn(usize) -> Option<usize>,
    ) -> Option<Range<usize>> {
        let tokens = &lexed.tokens;
        let (_, len) = type_at(tokens, i, true)?;
        let number = tokens.get(i + len)?;
        if !matches!(
            number,
            Token::Number {
                spelling: Spelling::Digits,
                ..
            }
        ) || tokens.get(i + len + 1).is_some_and(|t| {
            t.is_one_of(&[
                "x", "times", "percent", "m", "mm", "million", "bn", "billion", "k",
            ]) || t.is_symbol('%')
        }) {
            return None;
        }
        let start = self.naming_words_before(lexed, i, place_len);
        Some(start..i + len + 1)
    }

    /// How far back the naming words before `i` go: words of the portfolio's names, places,
    /// and capitalised words that do not open a sentence.
    fn naming_words_before(
        &self,
        lexed: &Lexed,
        i: usize,
        place_len: &impl Fn(usize) -> Option<usize>,
    ) -> usize {
        let tokens = &lexed.tokens;
        let mut start = i;
        while start > 0 && i - start < 4 {
            let k = start - 1;
            let naming = match &tokens[k] {
                Token::Word { text, capital, .. } => {
                    self.vocabulary.contains(text)
                        || place_len(k).is_some_and(|len| k + len == start)
                        || (*capital && !opens_sentence(tokens, k))
                }
                _ => false,
            };
            if !naming {
                break;
            }
            start = k;
        }
        start
    }

    /// "the Boston Flagship": two or more capitalised words, not opening a sentence, among them
    /// a naming word of the portfolio that is neither a place nor an asset type.
    fn capitalised_name(
        &self,
        lexed: &Lexed,
        i: usize,
        place_len: &impl Fn(usize) -> Option<usize>,
    ) -> Option<Range<usize>> {
        let tokens = &lexed.tokens;
        let capital = |k: usize| matches!(tokens.get(k), Some(Token::Word { capital: true, .. }));
        if !capital(i) || opens_sentence(tokens, i) || (i > 0 && capital(i - 1)) {
            return None;
        }
        let mut end = i;
        while capital(end) {
            end += 1;
        }
        if end - i < 2 {
            return None;
        }
        let words_end = end;
        if matches!(
            tokens.get(end),
            Some(Token::Number {
                spelling: Spelling::Digits,
                ..
            })
        ) {
            end += 1;
        }
        let mut k = i;
        let mut naming = false;
        while k < words_end {
            if let Some(len) = place_len(k) {
                k += len;
                continue;
            }
            if let Some((_, len)) = type_at(tokens, k, false) {
                k += len;
                continue;
            }
            naming |= tokens[k]
                .word()
                .is_some_and(|w| self.vocabulary.contains(w));
            k += 1;
        }
        naming.then_some(i..end)
    }
}

impl Reference {
    /// How many tokens at `i` name this reference.
    fn matches(&self, lexed: &Lexed, i: usize) -> Option<usize> {
        match &self.id {
            Some(id) => self.matches_id(lexed, i, id),
            None => self.matches_name(&lexed.tokens, i),
        }
    }

    fn matches_id(&self, lexed: &Lexed, i: usize, id: &str) -> Option<usize> {
        let len = self.parts.len();
        if i + len > lexed.tokens.len() {
            return None;
        }
        let written = &lexed.text[lexed.spans[i].start..lexed.spans[i + len - 1].end];
        let has_digit = id.chars().any(|c| c.is_ascii_digit());
        let same = if has_digit {
            written.eq_ignore_ascii_case(id)
        } else {
            written == id
        };
        same.then_some(len)
    }

    fn matches_name(&self, tokens: &[Token], i: usize) -> Option<usize> {
        match_parts(&self.parts, tokens, i)
    }
}

/// How many tokens at `i` spell these parts of a name.
fn match_parts(parts: &[Part], tokens: &[Token], i: usize) -> Option<usize> {
    let mut at = i;
    for part in parts {
        match part {
            Part::Word(word) => {
                if !tokens.get(at)?.is_word(word) {
                    return None;
                }
                at += 1;
            }
            Part::Number(expected) => match tokens.get(at)? {
                Token::Number { value, .. } if value == expected => at += 1,
                _ => return None,
            },
            Part::Type(expected) => {
                let (found, len) = type_at(tokens, at, true)?;
                if found != *expected {
                    return None;
                }
                at += len;
            }
            Part::Symbol(c) => {
                if tokens.get(at).is_some_and(|t| t.is_symbol(*c)) {
                    at += 1;
                }
            }
        }
    }
    Some(at - i)
}

/// A name as parts: type words become the type, the rest stays literal.
fn name_parts(tokens: &[Token]) -> Vec<Part> {
    let mut parts = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        if let Some((asset_type, len)) = type_at(tokens, i, true) {
            parts.push(Part::Type(asset_type));
            i += len;
        } else {
            parts.push(literal(&tokens[i]));
            i += 1;
        }
    }
    parts
}

fn literal_parts(tokens: &[Token]) -> Vec<Part> {
    tokens.iter().map(literal).collect()
}

fn literal(token: &Token) -> Part {
    match token {
        Token::Word { text, .. } => Part::Word(text.clone()),
        Token::Number { value, .. } => Part::Number(*value),
        Token::Symbol(c) => Part::Symbol(*c),
    }
}

fn key_of(part: &Part) -> Option<Key> {
    match part {
        Part::Word(word) => Some(Key::Word(word.clone())),
        Part::Number(value) => Some(Key::Number(value.to_bits())),
        Part::Type(asset_type) => Some(Key::Type(*asset_type)),
        Part::Symbol(_) => None,
    }
}

/// A run of letters or of digits in a text, lower-cased: a cheap stand-in for tokens that
/// splits every text alike, so a name whose pieces are not all in the brief cannot match it.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Word(String),
    Number(f64),
}

fn pieces(text: &str) -> impl Iterator<Item = Piece> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some(&(_, c)) = chars.peek() {
            if c.is_alphanumeric() {
                break;
            }
            chars.next();
        }
        let (start, first) = chars.next()?;
        let digits = first.is_ascii_digit();
        let mut end = start + first.len_utf8();
        while let Some(&(at, c)) = chars.peek() {
            let same = if digits {
                c.is_ascii_digit()
            } else {
                c.is_alphanumeric() && !c.is_ascii_digit()
            };
            if !same {
                break;
            }
            end = at + c.len_utf8();
            chars.next();
        }
        let piece = &text[start..end];
        Some(if digits {
            Piece::Number(piece.parse().unwrap_or(f64::NAN))
        } else {
            Piece::Word(piece.to_lowercase())
        })
    })
}

/// The pieces of a brief, as sets.
struct Pieces {
    words: HashSet<String>,
    numbers: HashSet<u64>,
}

impl Pieces {
    fn of(text: &str) -> Pieces {
        let mut found = Pieces {
            words: HashSet::new(),
            numbers: HashSet::new(),
        };
        for piece in pieces(text) {
            match piece {
                Piece::Word(word) => {
                    found.words.insert(word);
                }
                Piece::Number(value) => {
                    found.numbers.insert(value.to_bits());
                }
            }
        }
        found
    }
}

/// Every word of every asset-type name ("distribution", "center", "hq", ...).
fn type_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        TYPE_NAMES
            .iter()
            .flat_map(|(phrase, _)| phrase.iter().copied())
            .collect()
    })
}

/// Whether token `k` is the first word of its sentence (where any word is capitalised).
fn opens_sentence(tokens: &[Token], k: usize) -> bool {
    tokens[..k]
        .iter()
        .rev()
        .find(|t| !t.is_symbol('(') && !t.is_symbol('"'))
        .is_none_or(|t| ends_sentence(t) || t.is_symbol(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(id: &str, name: &str, asset_type: AssetType, market: &str) -> AssetLabel {
        AssetLabel {
            asset_id: id.to_string(),
            name: Some(name.to_string()),
            asset_type,
            market: market.to_string(),
            country: None,
        }
    }

    fn portfolio() -> Vec<AssetLabel> {
        vec![
            label("P013", "Dallas Store 13", AssetType::Store, "Dallas, TX"),
            label(
                "P023",
                "Columbus Distribution Center 23",
                AssetType::DistributionCenter,
                "Columbus, OH",
            ),
            label(
                "dc-tx",
                "Texas DC",
                AssetType::DistributionCenter,
                "Dallas, TX",
            ),
            label("HQ", "NYC Flagship", AssetType::Store, "New York, NY"),
        ]
    }

    fn named(brief: &str) -> Vec<(Vec<usize>, String)> {
        let names = AssetNames::new(&portfolio(), brief);
        let lexed = lex(brief);
        let mut found = Vec::new();
        let mut i = 0;
        while i < lexed.tokens.len() {
            match names.at(&lexed, i) {
                Some((assets, len)) => {
                    found.push((assets, lexed.quote(i..i + len)));
                    i += len;
                }
                None => i += 1,
            }
        }
        found
    }

    #[test]
    fn names_and_ids_resolve() {
        assert_eq!(
            named("do not sell the Columbus Distribution Center 23"),
            [(vec![1], "Columbus Distribution Center 23".to_string())]
        );
        assert_eq!(
            named("keep columbus DC 23"),
            [(vec![1], "columbus DC 23".to_string())]
        );
        assert_eq!(
            named("keep P023 and p013"),
            [(vec![1], "P023".to_string()), (vec![0], "p013".to_string())]
        );
        assert_eq!(
            named("keep the Texas DC"),
            [(vec![2], "Texas DC".to_string())]
        );
        assert!(named("keep the Texas DCs").is_empty());
        assert!(named("keep P0231 and P 023").is_empty());
        assert_eq!(named("keep the HQ"), [(vec![3], "HQ".to_string())]);
        assert!(named("keep the hq").is_empty());
    }

    #[test]
    fn near_misses_are_unknown_references() {
        let unknown = |brief: &str| {
            let names = AssetNames::new(&portfolio(), brief);
            let lexed = lex(brief);
            let place = |k: usize| lexed.tokens[k].is_word("dallas").then_some(1);
            names
                .unknown_references(&lexed, |_| false, place)
                .into_iter()
                .map(|span| lexed.quote(span))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            unknown("do not sell the Dallas Store 99"),
            ["Dallas Store 99"]
        );
        assert_eq!(unknown("keep P099, please"), ["P099"]);
        assert_eq!(unknown("keep the NYC Flagship 2"), ["NYC Flagship 2"]);
        assert!(unknown("Sell 12 stores in Q3 at 4x.").is_empty());
        assert!(unknown("Keep the Dallas Stores.").is_empty());
    }
}
