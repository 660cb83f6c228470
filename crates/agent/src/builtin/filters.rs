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
use super::geography::{PlaceName, place_at};
use super::lexer::Token;
use super::phrases::{
    AVERTING, NEGATIONS, Phrase, ends_sentence, is_any, longest_at, longest_ending_at,
};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// Puts what follows in scope; a strong include ("only", "focus on") also restricts places.
    Include {
        strong: bool,
    },
    Exclude,
    /// A wish, not a filter: "prefer stores", "ideally from DCs".
    Preference,
}

const CUES_BEFORE: &[(Phrase, Cue)] = {
    const WEAK: Cue = Cue::Include { strong: false };
    const STRONG: Cue = Cue::Include { strong: true };
    const OUT: Cue = Cue::Exclude;
    &[
        (&["sell"], WEAK),
        (&["selling"], WEAK),
        (&["monetize"], WEAK),
        (&["monetise"], WEAK),
        (&["monetizing"], WEAK),
        (&["monetising"], WEAK),
        (&["use"], WEAK),
        (&["using"], WEAK),
        (&["tap"], WEAK),
        (&["tapping"], WEAK),
        (&["consider"], WEAK),
        (&["considering"], WEAK),
        (&["include"], WEAK),
        (&["including"], WEAK),
        (&["target"], WEAK),
        (&["targeting"], WEAK),
        (&["from"], WEAK),
        (&["across"], WEAK),
        (&["touch"], WEAK),
        (&["touching"], WEAK),
        (&["dispose", "of"], WEAK),
        (&["leaseback", "of"], WEAK),
        (&["slb", "of"], WEAK),
        (&["sale", "of"], WEAK),
        (&["prefer"], Cue::Preference),
        (&["preferring"], Cue::Preference),
        (&["preferably"], Cue::Preference),
        (&["ideally"], Cue::Preference),
        (&["favor"], Cue::Preference),
        (&["favour"], Cue::Preference),
        (&["favoring"], Cue::Preference),
        (&["favouring"], Cue::Preference),
        (&["only"], STRONG),
        (&["solely"], STRONG),
        (&["exclusively"], STRONG),
        (&["just"], STRONG),
        (&["purely"], STRONG),
        (&["focus"], STRONG),
        (&["focus", "on"], STRONG),
        (&["focused", "on"], STRONG),
        (&["focusing", "on"], STRONG),
        (&["concentrate", "on"], STRONG),
        (&["concentrating", "on"], STRONG),
        (&["limited", "to"], STRONG),
        (&["restricted", "to"], STRONG),
        (&["restrict", "to"], STRONG),
        (&["confined", "to"], STRONG),
        (&["avoid"], OUT),
        (&["avoiding"], OUT),
        (&["exclude"], OUT),
        (&["excluding"], OUT),
        (&["except"], OUT),
        (&["excepting"], OUT),
        (&["other", "than"], OUT),
        (&["apart", "from"], OUT),
        (&["aside", "from"], OUT),
        (&["away", "from"], OUT),
        (&["outside"], OUT),
        (&["outside", "of"], OUT),
        (&["skip"], OUT),
        (&["skipping"], OUT),
        (&["spare"], OUT),
        (&["sparing"], OUT),
        (&["protect"], OUT),
        (&["protecting"], OUT),
        (&["keep"], OUT),
        (&["keeping"], OUT),
        (&["retain"], OUT),
        (&["retaining"], OUT),
        (&["preserve"], OUT),
        (&["preserving"], OUT),
        (&["hold", "on", "to"], OUT),
        (&["hold", "onto"], OUT),
        (&["leave", "out"], OUT),
        (&["leaving", "out"], OUT),
        (&["rule", "out"], OUT),
        (&["ruling", "out"], OUT),
        (&["carve", "out"], OUT),
        (&["carving", "out"], OUT),
        (&["steer", "clear", "of"], OUT),
        (&["ex"], OUT),
        (&["minus"], OUT),
        (&["ringfence"], OUT),
        (&["ring", "fence"], OUT),
        (&["not"], OUT),
        (&["no"], OUT),
        (&["never"], OUT),
        (&["nothing"], OUT),
        (&["none"], OUT),
        (&["without"], OUT),
        (&["nor"], OUT),
        (&["neither"], OUT),
    ]
};

const CUES_AFTER: &[(Phrase, Cue)] = &[
    (&["only"], Cue::Include { strong: true }),
    (&["exclusively"], Cue::Include { strong: true }),
    (&["solely"], Cue::Include { strong: true }),
    (&["excluded"], Cue::Exclude),
    (&["off", "the", "table"], Cue::Exclude),
    (&["off", "limits"], Cue::Exclude),
    (&["not", "for", "sale"], Cue::Exclude),
    (&["not", "included"], Cue::Exclude),
    (&["out", "of", "scope"], Cue::Exclude),
    (&["stay"], Cue::Exclude),
    (&["stays"], Cue::Exclude),
    (&["kept"], Cue::Exclude),
    (&["retained"], Cue::Exclude),
    (&["protected"], Cue::Exclude),
    (&["preferred"], Cue::Preference),
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

/// Words that may sit between a negation and the cue it turns around ("do not sell").
const NEGATION_GLUE: &[&str] = &[
    "do", "does", "did", "to", "will", "we", "should", "must", "shall", "be", "please",
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

fn covering<'a>(mentions: &'a [Mention], k: usize) -> Option<&'a Mention> {
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
            return longest_at(tokens, k, CUES_AFTER).map(|(cue, _)| cue);
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
            || is_any(Some(token), CLAUSE_BARRIERS)
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
        if let Some((cue, len)) = longest_ending_at(tokens, k, CUES_BEFORE) {
            let cue_start = k + 1 - len;
            return Some(governing(tokens, cue, cue_start));
        }
    }
    None
}

/// A cue as modified by the words just before it: a negation turns it around ("don't sell"),
/// "only"/"just" makes an include strong ("only consider").
fn governing(tokens: &[Token], cue: Cue, cue_start: usize) -> Cue {
    let mut k = cue_start;
    while k > 0 && cue_start - k < 3 {
        k -= 1;
        let token = tokens.get(k);
        if is_any(token, NEGATIONS) || is_any(token, AVERTING) {
            return match cue {
                Cue::Include { .. } => Cue::Exclude,
                Cue::Exclude => Cue::Include { strong: false },
                Cue::Preference => Cue::Preference,
            };
        }
        if is_any(token, &["ideally", "preferably"]) {
            return Cue::Preference;
        }
        if is_any(token, &["only", "just", "solely", "exclusively"]) {
            if let Cue::Include { .. } = cue {
                return Cue::Include { strong: true };
            }
        }
        if !is_any(token, NEGATION_GLUE) {
            break;
        }
    }
    cue
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
