//! Which assets a brief puts in or out of scope: asset types by their everyday names ("stores",
//! "retail", "DCs", "warehouses", "HQ", "mixed-use", "the logistics category"), places resolved
//! against the portfolio's markets, and single assets by name or id.
//!
//! Each mention takes its polarity from the cue that governs it: a cue after the mention or
//! its list ("stores only", "offices are off the table", "leave Dallas Store 13 and Austin
//! Office 36 untouched"), else the nearest cue before it in the sentence ("avoid HQ offices",
//! "sell stores and DCs", "excluding our California and Florida properties", "exclude Dallas,
//! Houston and Austin"). A negation in front of an including cue turns it around ("don't sell
//! offices", "not from Dallas"). Mentions no cue governs are descriptions, not filters.
//!
//! A single asset named under an excluding cue is excluded by id, never its whole market; one
//! named under a restricting cue ("only sell P001, P002 and P003") goes on the id whitelist.
//! What a cue governs but the portfolio lacks (a place without assets, a name that matches no
//! asset) and wishes ("prefer stores") are reported as warnings instead of filters.

use std::ops::Range;

use engine::model::AssetType;

use super::amounts::Money;
use super::assets::AssetNames;
use super::cues::{Cue, cue_ending_at, cue_starting_at};
use super::geography::{PlaceKind, Places, place_at};
use super::lexer::{Lexed, Token};
use super::phrases::{Phrase, ends_sentence, is_any, longest_at, longest_exact_at, token_matches};

pub(crate) const TYPE_NAMES: &[(Phrase, AssetType)] = {
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

/// The asset type named at `i`, and the tokens its name covers. `singular` asks for the
/// exact spelling ("DC", not "DCs"): one asset's name, not a class of assets.
pub(crate) fn type_at(tokens: &[Token], i: usize, singular: bool) -> Option<(AssetType, usize)> {
    if singular {
        longest_exact_at(tokens, i, TYPE_NAMES)
    } else {
        longest_at(tokens, i, TYPE_NAMES)
    }
}

/// Before "other assets", these make it "the remaining assets", not the `other` type.
const DETERMINERS: &[&str] = &[
    "any", "all", "every", "the", "our", "some", "each", "these", "those", "its", "their", "no",
];

/// Words between a mention and a cue after it: list glue, nouns for "assets" and for "type",
/// copulas.
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
    "category",
    "categories",
    "type",
    "class",
    "classes",
    "segment",
    "sector",
    "bucket",
    "book",
];

/// Sentence-internal words that end the reach of a cue: a new clause with its own subject.
const CLAUSE_BARRIERS: &[&str] = &["while", "whereas", "although", "though", "however", "yet"];

/// How far back a cue may govern a mention.
const CUE_REACH: usize = 12;

/// Including cues that introduce examples within a wider scope ("stores, including Dallas
/// Store 13"), not the assets to sell.
const EXAMPLE_CUES: &[&str] = &["include", "including", "across", "consider", "considering"];

/// "Leave X alone": "alone" excludes only after one of these.
const LEAVE: &[&str] = &["leave", "leaving", "left", "let"];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Named {
    Type(AssetType),
    /// Index into the place names.
    Place(usize),
    /// Indices into the portfolio's assets.
    Assets(Vec<usize>),
    /// Written like a single asset's name or id, but no asset answers to it.
    Unknown,
}

#[derive(Debug, Clone)]
struct Mention {
    named: Named,
    start: usize,
    end: usize,
}

/// The tokens each part of the scope was read from.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ScopeSources {
    pub include_types: Vec<Range<usize>>,
    pub exclude_types: Vec<Range<usize>>,
    pub exclude_markets: Vec<Range<usize>>,
    pub include_assets: Vec<Range<usize>>,
    pub exclude_assets: Vec<Range<usize>>,
}

/// The asset scope a brief states. Lists are empty when it states nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Scope {
    pub include_types: Vec<AssetType>,
    pub exclude_types: Vec<AssetType>,
    /// Indices into the portfolio's market list, ascending.
    pub exclude_markets: Vec<usize>,
    /// Indices into the portfolio's assets, ascending.
    pub include_assets: Vec<usize>,
    pub exclude_assets: Vec<usize>,
    pub read_from: ScopeSources,
    /// Whether where the portfolio's markets lie decided the excluded markets: a state or a
    /// region was named, or the brief kept to some places and the rest were excluded.
    pub markets_from_portfolio: bool,
    /// What a cue governed but could not become a filter.
    pub warnings: Vec<String>,
    /// Tokens that name single assets (or fail to): their numbers are no limits or counts.
    pub references: Vec<Range<usize>>,
}

pub(crate) fn read_scope(
    lexed: &Lexed,
    money: &[Money],
    places: &Places,
    assets: &AssetNames,
    markets: &[String],
) -> Scope {
    let tokens = &lexed.tokens;
    let names = &places.names;
    let mentions = find_mentions(lexed, places, assets);
    let mut scope = Scope {
        references: mentions
            .iter()
            .filter(|m| matches!(m.named, Named::Assets(_) | Named::Unknown))
            .map(|m| m.start..m.end)
            .collect(),
        ..Scope::default()
    };
    let mut include_types = Vec::new();
    let mut exclude_types = Vec::new();
    let mut kept_markets: Vec<usize> = Vec::new();
    let mut dropped_markets: Vec<usize> = Vec::new();
    let mut include_assets: Vec<usize> = Vec::new();
    let mut exclude_assets: Vec<usize> = Vec::new();
    let warn = |scope: &mut Scope, warning: String| {
        if !scope.warnings.contains(&warning) {
            scope.warnings.push(warning);
        }
    };
    for mention in &mentions {
        let Some((cue, cue_span)) = cue_after(tokens, mention, &mentions)
            .or_else(|| cue_before(tokens, mention, &mentions, money))
        else {
            continue;
        };
        let read = cue_span.start.min(leading_verb(tokens, mention.start))
            ..cue_span.end.max(trailing_noun(tokens, mention.end));
        let sources = &mut scope.read_from;
        if cue == Cue::Preference {
            warn(
                &mut scope,
                format!(
                    "\"{}\" is a preference, not a filter; it was not applied",
                    lexed.quote(read)
                ),
            );
            continue;
        }
        match &mention.named {
            Named::Type(t) => match cue {
                Cue::Include { .. } => {
                    include_types.push(*t);
                    sources.include_types.push(read);
                }
                // "exclude the Dallas stores": the place carries the exclusion, not the type.
                Cue::Exclude if qualified_by_place(tokens, mention, &mentions) => {}
                Cue::Exclude => {
                    exclude_types.push(*t);
                    sources.exclude_types.push(read);
                }
                Cue::Preference => {}
            },
            Named::Place(p) if names[*p].markets.is_empty() => {
                let place = lexed.quote(mention.start..mention.end);
                warn(&mut scope, format!("no asset in {place}"));
            }
            Named::Place(p) => {
                let place = &names[*p];
                let by_area = place.kind == PlaceKind::Area;
                match cue {
                    Cue::Include { strong: true } => {
                        kept_markets.extend(&place.markets);
                        sources.exclude_markets.push(read.clone());
                        scope.markets_from_portfolio = true;
                    }
                    Cue::Exclude => {
                        dropped_markets.extend(&place.markets);
                        sources.exclude_markets.push(read.clone());
                        scope.markets_from_portfolio |= by_area;
                    }
                    Cue::Include { strong: false } | Cue::Preference => continue,
                }
                if by_area && !places.unplaced.is_empty() {
                    let unplaced: Vec<&str> = places
                        .unplaced
                        .iter()
                        .map(|&m| markets[m].as_str())
                        .collect();
                    let verdict = if cue == Cue::Exclude {
                        "not excluded"
                    } else {
                        "excluded"
                    };
                    warn(
                        &mut scope,
                        format!(
                            "could not tell whether {} {} in {}: {} by \"{}\"",
                            unplaced.join(", "),
                            if unplaced.len() == 1 { "is" } else { "are" },
                            lexed.quote(mention.start..mention.end),
                            if unplaced.len() == 1 {
                                format!("it was {verdict}")
                            } else {
                                format!("they were {verdict}")
                            },
                            lexed.quote(read),
                        ),
                    );
                }
            }
            Named::Assets(found) => match cue {
                Cue::Exclude => {
                    exclude_assets.extend(found);
                    sources.exclude_assets.push(read);
                }
                Cue::Include { strong } => {
                    let example = tokens[cue_span.clone()]
                        .iter()
                        .any(|t| t.is_one_of(EXAMPLE_CUES));
                    if strong || !example {
                        include_assets.extend(found);
                        sources.include_assets.push(read);
                    }
                }
                Cue::Preference => {}
            },
            Named::Unknown => {
                let written = lexed.quote(mention.start..mention.end);
                let outcome = if cue == Cue::Exclude {
                    "nothing was excluded for it"
                } else {
                    "no asset was selected for it"
                };
                warn(
                    &mut scope,
                    format!("no asset named \"{written}\" in the portfolio: {outcome}"),
                );
            }
        }
    }
    scope.exclude_markets = (0..markets.len())
        .filter(|m| {
            dropped_markets.contains(m) || (!kept_markets.is_empty() && !kept_markets.contains(m))
        })
        .collect();
    scope.include_types = AssetType::ALL
        .iter()
        .copied()
        .filter(|t| include_types.contains(t) && !exclude_types.contains(t))
        .collect();
    scope.exclude_types = AssetType::ALL
        .iter()
        .copied()
        .filter(|t| exclude_types.contains(t))
        .collect();
    exclude_assets.sort_unstable();
    exclude_assets.dedup();
    include_assets.sort_unstable();
    include_assets.dedup();
    include_assets.retain(|a| !exclude_assets.contains(a));
    scope.exclude_assets = exclude_assets;
    scope.include_assets = include_assets;
    scope
}

/// Asset, type and place mentions in order, and references to assets the portfolio lacks.
/// Where several match, the longest wins; on a tie a type or place beats a single asset
/// ("exclude Dallas" means the market even if an asset is called "Dallas"), and a type beats a
/// place ("DCs").
fn find_mentions(lexed: &Lexed, places: &Places, assets: &AssetNames) -> Vec<Mention> {
    let tokens = &lexed.tokens;
    let mut mentions = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let asset_type = type_at(tokens, i, false).filter(|_| !means_the_remaining(tokens, i));
        let place = place_at(tokens, i, &places.names);
        let asset = assets.at(lexed, i);
        let class_len = asset_type
            .map(|(_, len)| len)
            .max(place.map(|(_, len)| len))
            .unwrap_or(0);
        let named = match (asset, asset_type, place) {
            (Some((found, len)), _, _) if len > class_len => Some((Named::Assets(found), len)),
            (_, Some((t, len)), Some((_, place_len))) if len >= place_len => {
                Some((Named::Type(t), len))
            }
            (_, _, Some((place, len))) => Some((Named::Place(place), len)),
            (_, Some((t, len)), None) => Some((Named::Type(t), len)),
            _ => None,
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
    let covered = |k: usize| {
        mentions
            .iter()
            .any(|m| matches!(m.named, Named::Assets(_)) && (m.start..m.end).contains(&k))
    };
    let place_len = |k: usize| place_at(tokens, k, &places.names).map(|(_, len)| len);
    let unknown = assets.unknown_references(lexed, covered, place_len);
    if unknown.is_empty() {
        return mentions;
    }
    // A near-miss reference stands for one asset: the places and types in it are no filters.
    mentions.retain(|m| !unknown.iter().any(|u| u.start < m.end && m.start < u.end));
    mentions.extend(unknown.into_iter().map(|span| Mention {
        named: Named::Unknown,
        start: span.start,
        end: span.end,
    }));
    mentions.sort_by_key(|m| m.start);
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

/// A cue after the mention and the rest of its list: "stores and DCs only", "leave Dallas
/// Store 13 and Austin Office 36 untouched".
fn cue_after(
    tokens: &[Token],
    mention: &Mention,
    mentions: &[Mention],
) -> Option<(Cue, Range<usize>)> {
    let mut k = mention.end;
    while k < tokens.len() && k < mention.end + CUE_REACH {
        if let Some(other) = covering(mentions, k) {
            k = other.end;
            continue;
        }
        if let Some((cue, span)) = cue_starting_at(tokens, k) {
            if tokens[span.start].is_word("alone") && !left_alone(tokens, mention.start) {
                return None;
            }
            return Some((cue, span));
        }
        if tokens[k].is_symbol(',')
            || tokens[k].is_symbol('&')
            || tokens[k].is_symbol('/')
            || LIST_GLUE.iter().any(|glue| token_matches(&tokens[k], glue))
        {
            k += 1;
        } else {
            return None;
        }
    }
    None
}

/// Where the words quoted for a mention start: at a "leave" just before it ("leave Dallas
/// Store 13 ... untouched"), else at the mention.
fn leading_verb(tokens: &[Token], start: usize) -> usize {
    let before = |k: usize| {
        start
            .checked_sub(k)
            .filter(|&at| is_any(tokens.get(at), LEAVE))
    };
    before(1)
        .or_else(|| before(2).filter(|_| is_any(tokens.get(start - 1), &["the", "our"])))
        .unwrap_or(start)
}

/// Where the words quoted for a mention end: after a noun for its class ("the retail
/// category"), else at the mention.
fn trailing_noun(tokens: &[Token], end: usize) -> usize {
    let nouns = [
        "category",
        "categories",
        "segment",
        "class",
        "sector",
        "bucket",
    ];
    if is_any(tokens.get(end), &nouns) {
        end + 1
    } else {
        end
    }
}

/// Whether "leave"/"let" comes before position `i` in its sentence ("leave the HQ alone").
fn left_alone(tokens: &[Token], i: usize) -> bool {
    tokens[..i]
        .iter()
        .rev()
        .take_while(|t| !ends_sentence(t))
        .any(|t| t.is_one_of(LEAVE))
}

/// The nearest cue before the mention in its sentence, turned around by a negation in front
/// of it. Amounts of money and other mentions are looked through ("monetize $200M of stores",
/// "exclude Dallas Store 13 and Houston"); other numbers and clause words end the search.
fn cue_before(
    tokens: &[Token],
    mention: &Mention,
    mentions: &[Mention],
    money: &[Money],
) -> Option<(Cue, Range<usize>)> {
    let mut k = mention.start;
    let reach_end = mention.start.saturating_sub(CUE_REACH);
    while k > reach_end {
        k -= 1;
        let token = &tokens[k];
        if let Some(amount) = money.iter().find(|m| m.span.contains(&k)) {
            k = amount.span.start;
            continue;
        }
        if let Some(other) = covering(mentions, k) {
            k = other.start;
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
            return anything.then_some((Cue::Exclude, k.saturating_sub(1)..k + 1));
        }
        if let Some(found) = cue_ending_at(tokens, k) {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::amounts::money_mentions;
    use super::super::geography::places;
    use super::super::lexer::lex;
    use super::*;
    use crate::planner::AssetLabel;
    use AssetType::*;

    fn scope(brief: &str) -> Scope {
        let markets: Vec<String> = ["Dallas, TX", "Austin, TX", "Miami, FL", "Chicago, IL"]
            .iter()
            .map(|m| m.to_string())
            .collect();
        let assets: Vec<AssetLabel> = [
            ("P001", "Dallas Store 1", Store, 0),
            ("P002", "Austin Office 2", Office, 1),
            ("P003", "Miami Store 3", Store, 2),
        ]
        .iter()
        .map(|(id, name, asset_type, market)| AssetLabel {
            asset_id: id.to_string(),
            name: Some(name.to_string()),
            asset_type: *asset_type,
            market: markets[*market].clone(),
            country: None,
        })
        .collect();
        let lexed = lex(brief);
        read_scope(
            &lexed,
            &money_mentions(&lexed.tokens),
            &places(&markets, &[]),
            &AssetNames::new(&assets, brief),
            &markets,
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
        assert_eq!(
            scope("Exclude Dallas, Austin and Miami.").exclude_markets,
            [0, 1, 2]
        );
    }

    #[test]
    fn single_assets_are_excluded_or_whitelisted_by_id() {
        let s = scope("Do not sell the Dallas Store 1.");
        assert_eq!((s.exclude_assets, s.exclude_markets), (vec![0], vec![]));
        let s = scope("Leave Dallas Store 1 and Austin Office 2 untouched.");
        assert_eq!(s.exclude_assets, [0, 1]);
        assert!(s.exclude_markets.is_empty() && s.exclude_types.is_empty());
        assert_eq!(scope("Keep P003.").exclude_assets, [2]);
        assert_eq!(scope("Only sell P001 and P003.").include_assets, [0, 2]);
        assert!(
            scope("Sell stores, including Dallas Store 1.")
                .include_assets
                .is_empty()
        );
    }

    #[test]
    fn what_cannot_be_a_filter_is_reported() {
        let s = scope("Do not sell the Dallas Store 9.");
        assert!(s.exclude_markets.is_empty() && s.exclude_types.is_empty());
        assert_eq!(
            s.warnings,
            ["no asset named \"Dallas Store 9\" in the portfolio: nothing was excluded for it"]
        );
        assert_eq!(scope("Nothing in Boston.").warnings, ["no asset in Boston"]);
        assert_eq!(
            scope("Prefer stores.").warnings,
            ["\"Prefer stores\" is a preference, not a filter; it was not applied"]
        );
    }

    #[test]
    fn types_may_be_named_as_a_category() {
        assert_eq!(scope("Exclude the retail category.").exclude_types, [Store]);
        assert_eq!(
            scope("Sell only assets in the logistics category.").include_types,
            [DistributionCenter]
        );
        assert_eq!(
            scope("The office category is off the table.").exclude_types,
            [Office]
        );
    }
}
