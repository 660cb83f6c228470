//! Which assets a brief puts in or out of scope: asset types by their everyday names ("stores",
//! "retail", "DCs", "warehouses", "HQ", "mixed-use") and places resolved against the
//! portfolio's markets.
//!
//! Each mention takes its polarity from the cue that governs it: a cue after the mention or
//! its list ("stores only", "offices are off the table"), else the nearest cue before it in
//! the sentence ("avoid HQ offices", "sell stores and DCs", "excluding our California and
//! Florida properties"). A negation in front of an including cue turns it around ("don't sell
//! offices", "not from Dallas"). Mentions no cue governs are descriptions, not filters.

use engine::model::AssetType;

use super::amounts::Money;
use super::cues::{Cue, cue_ending_at, cue_starting_at};
use super::geography::{PlaceName, place_at};
use super::lexer::Token;
use super::phrases::{Phrase, ends_sentence, is_any, longest_at};

const TYPE_NAMES: &[(Phrase, AssetType)] = {
    use AssetType::*;
    &[
        (&["store"], Store),
        (&["retail"], Store),
        (&["retail", "store"], Store),
        (&["retail", "location"], Store),
        (&["retail", "box"], Store),
        (&["big", "box"], Store),
        (&["shop"], Store),
        (&["storefront"], Store),
        (&["outlet"], Store),
        (&["distribution", "center"], DistributionCenter),
        (&["distribution", "centre"], DistributionCenter),
        (&["distribution", "facility"], DistributionCenter),
        (&["distribution"], DistributionCenter),
        (&["dc"], DistributionCenter),
        (&["warehouse"], DistributionCenter),
        (&["warehousing"], DistributionCenter),
        (&["logistics"], DistributionCenter),
        (&["fulfillment", "center"], DistributionCenter),
        (&["fulfilment", "centre"], DistributionCenter),
        (&["fulfillment"], DistributionCenter),
        (&["fulfilment"], DistributionCenter),
        (&["industrial"], DistributionCenter),
        (&["office"], Office),
        (&["head", "office"], Office),
        (&["corporate", "office"], Office),
        (&["hq"], Office),
        (&["headquarters"], Office),
        (&["headquarter"], Office),
        (&["corporate", "headquarters"], Office),
        (&["mixed", "use"], MixedUse),
        (&["mixeduse"], MixedUse),
        (&["other", "asset"], Other),
        (&["other", "property"], Other),
        (&["other", "site"], Other),
        (&["other", "building"], Other),
        (&["other", "type"], Other),
        (&["other", "category"], Other),
        (&["miscellaneous"], Other),
        (&["misc"], Other),
    ]
};

/// Before "other assets", these make it "the remaining assets", not the `other` type.
const DETERMINERS: &[&str] = &[
    "any", "all", "every", "the", "our", "some", "each", "these", "those", "its", "their", "no",
];

/// Words between a mention and a cue after it: list glue, nouns for "assets", copulas.
const LIST_GLUE: &[&str] = &[
    "and",
    "or",
    "nor",
    "our",
    "the",
    "any",
    "all",
    "in",
    "asset",
    "property",
    "site",
    "location",
    "building",
    "portfolio",
    "holding",
    "facility",
    "estate",
    "real",
    "is",
    "are",
    "be",
    "must",
    "should",
    "will",
    "remain",
    "remains",
];

/// Sentence-internal words that end the reach of a cue: a new clause with its own subject.
const CLAUSE_BARRIERS: &[&str] = &["while", "whereas", "although", "though", "however", "yet"];

/// How far back a cue may govern a mention.
const CUE_REACH: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Named {
    Type(AssetType),
    /// Index into the place names.
    Place(usize),
}

#[derive(Debug, Clone, Copy)]
struct Mention {
    named: Named,
    start: usize,
    end: usize,
}

/// The asset scope a brief states. Lists are empty when it states nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Scope {
    pub include_types: Vec<AssetType>,
    pub exclude_types: Vec<AssetType>,
    /// Indices into the portfolio's market list, ascending.
    pub exclude_markets: Vec<usize>,
}

pub(crate) fn read_scope(
    tokens: &[Token],
    money: &[Money],
    places: &[PlaceName],
    market_count: usize,
) -> Scope {
    let mentions = find_mentions(tokens, places);
    let mut include_types = Vec::new();
    let mut exclude_types = Vec::new();
    let mut kept_markets = Vec::new();
    let mut dropped_markets = Vec::new();
    for mention in &mentions {
        let Some(cue) = cue_after(tokens, mention, &mentions)
            .or_else(|| cue_before(tokens, mention, &mentions, money))
        else {
            continue;
        };
        match (mention.named, cue) {
            (Named::Type(t), Cue::Include { .. }) => include_types.push(t),
            // "exclude the Dallas stores": the place carries the exclusion, not the type.
            (Named::Type(_), Cue::Exclude) if qualified_by_place(tokens, mention, &mentions) => {}
            (Named::Type(t), Cue::Exclude) => exclude_types.push(t),
            (Named::Place(p), Cue::Include { strong: true }) => {
                kept_markets.extend(&places[p].markets)
            }
            (Named::Place(p), Cue::Exclude) => dropped_markets.extend(&places[p].markets),
            (Named::Place(_), Cue::Include { strong: false }) | (_, Cue::Preference) => {}
        }
    }
    let exclude_markets = (0..market_count)
        .filter(|m| {
            dropped_markets.contains(m) || (!kept_markets.is_empty() && !kept_markets.contains(m))
        })
        .collect();
    Scope {
        include_types: AssetType::ALL
            .iter()
            .copied()
            .filter(|t| include_types.contains(t) && !exclude_types.contains(t))
            .collect(),
        exclude_types: AssetType::ALL
            .iter()
            .copied()
            .filter(|t| exclude_types.contains(t))
            .collect(),
        exclude_markets,
    }
}

/// Type and place mentions in order; where both match, the longer wins, then the type ("DCs").
fn find_mentions(tokens: &[Token], places: &[PlaceName]) -> Vec<Mention> {
    let mut mentions = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let asset_type =
            longest_at(tokens, i, TYPE_NAMES).filter(|_| !means_the_remaining(tokens, i));
        let named = match (asset_type, place_at(tokens, i, places)) {
            (Some((t, len)), Some((_, place_len))) if len >= place_len => {
                Some((Named::Type(t), len))
            }
            (_, Some((place, len))) => Some((Named::Place(place), len)),
            (Some((t, len)), None) => Some((Named::Type(t), len)),
            (None, None) => None,
        };
        match named {
            Some((named, len)) => {
                mentions.push(Mention {
                    named,
                    start: i,
                    end: i + len,
                });
                i += len;
            }
            None => i += 1,
        }
    }
    mentions
}

/// Whether a type is narrowed to places: "the Dallas and Houston stores", "stores in Dallas".
fn qualified_by_place(tokens: &[Token], mention: &Mention, mentions: &[Mention]) -> bool {
    let place_at = |k: usize| {
        mentions
            .iter()
            .any(|m| matches!(m.named, Named::Place(_)) && m.start == k)
    };
    let place_ends_at = |k: usize| {
        mentions
            .iter()
            .any(|m| matches!(m.named, Named::Place(_)) && m.end == k)
    };
    place_ends_at(mention.start)
        || (is_any(tokens.get(mention.end), &["in", "at"]) && place_at(mention.end + 1))
}

/// "all other assets", "our other properties": the rest of the portfolio, not the `other` type.
fn means_the_remaining(tokens: &[Token], i: usize) -> bool {
    tokens[i].is_word("other") && i > 0 && is_any(tokens.get(i - 1), DETERMINERS)
}

fn covering(mentions: &[Mention], k: usize) -> Option<&Mention> {
    mentions.iter().find(|m| (m.start..m.end).contains(&k))
}

/// A cue after the mention and the rest of its list: "stores and DCs only".
fn cue_after(tokens: &[Token], mention: &Mention, mentions: &[Mention]) -> Option<Cue> {
    let mut k = mention.end;
    while k < tokens.len() && k < mention.end + CUE_REACH {
        if let Some(other) = covering(mentions, k) {
            k = other.end;
        } else if tokens[k].is_symbol(',')
            || tokens[k].is_symbol('&')
            || tokens[k].is_symbol('/')
            || is_any(tokens.get(k), LIST_GLUE)
        {
            k += 1;
        } else {
            return cue_starting_at(tokens, k);
        }
    }
    None
}

/// The nearest cue before the mention in its sentence, turned around by a negation in front
/// of it. Amounts of money are looked through ("monetize $200M of stores"); other numbers and
/// clause words end the search.
fn cue_before(
    tokens: &[Token],
    mention: &Mention,
    mentions: &[Mention],
    money: &[Money],
) -> Option<Cue> {
    let mut k = mention.start;
    let reach_end = mention.start.saturating_sub(CUE_REACH);
    while k > reach_end {
        k -= 1;
        let token = &tokens[k];
        if let Some(amount) = money.iter().find(|m| m.span.contains(&k)) {
            k = amount.span.start;
            continue;
        }
        if ends_sentence(token)
            || matches!(token, Token::Number { .. })
            || token.is_one_of(CLAUSE_BARRIERS)
        {
            return None;
        }
        if token.is_word("but") {
            // "anything but offices" excludes; otherwise "but" starts a new clause.
            let anything = is_any(
                k.checked_sub(1).and_then(|p| tokens.get(p)),
                &["anything", "everything", "all"],
            );
            return anything.then_some(Cue::Exclude);
        }
        if covering(mentions, k).is_some() {
            continue;
        }
        if let Some(cue) = cue_ending_at(tokens, k) {
            return Some(cue);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::amounts::money_mentions;
    use super::super::geography::place_names;
    use super::super::lexer::tokenize;
    use super::*;
    use AssetType::*;

    fn scope(brief: &str) -> Scope {
        let markets: Vec<String> = ["Dallas, TX", "Austin, TX", "Miami, FL", "Chicago, IL"]
            .iter()
            .map(|m| m.to_string())
            .collect();
        let tokens = tokenize(brief);
        read_scope(
            &tokens,
            &money_mentions(&tokens),
            &place_names(&markets),
            markets.len(),
        )
    }

    #[test]
    fn types_take_the_polarity_of_their_cue() {
        assert_eq!(
            scope("Raise $150M via SLB, avoid HQ offices.").exclude_types,
            [Office]
        );
        assert_eq!(
            scope("Generate $90M but don't sell offices.").exclude_types,
            [Office]
        );
        assert_eq!(
            scope("Sell stores and distribution centers.").include_types,
            [Store, DistributionCenter]
        );
        assert_eq!(
            scope("Monetize our DCs only, targeting $400M.").include_types,
            [DistributionCenter]
        );
        let s = scope("Sell stores, but not offices.");
        assert_eq!(
            (s.include_types, s.exclude_types),
            (vec![Store], vec![Office])
        );
        assert!(scope("Our offices are in Dallas.").exclude_types.is_empty());
    }

    #[test]
    fn places_resolve_against_the_portfolio() {
        assert_eq!(
            scope("Raise $140M, nothing in Texas.").exclude_markets,
            [0, 1]
        );
        assert_eq!(scope("Exclude Dallas and Miami.").exclude_markets, [0, 2]);
        assert_eq!(scope("Stay outside TX.").exclude_markets, [0, 1]);
        assert_eq!(scope("Only sell in Florida.").exclude_markets, [0, 1, 3]);
        assert!(scope("Sell stores in Dallas.").exclude_markets.is_empty());
    }
}
