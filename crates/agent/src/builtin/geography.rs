//! Places (domain data: US states, regions, the larger US cities) and how a brief's place
//! names resolve to the portfolio's market strings (DECISIONS P3): a city names the markets of
//! that city, a state name, a capitalised two-letter code or a region ("the Midwest", "the West
//! Coast") names every market in it. Only markets present in the portfolio are ever produced.
//!
//! A market's state comes from its string ("Dallas, TX", "Austin, Texas"), or, for markets
//! written without one ("Dallas", "NYC"), from the table of known cities; a country other than
//! the US on its assets puts it abroad. Markets that none of these place stay unplaced, and a
//! state or region in the brief cannot say whether they are in it (the reader warns).
//!
//! Places the brief names that hold no market of the portfolio ("Boston", "Oregon") still match,
//! with no markets, so the reader can say that nothing is there.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::lexer::{Token, tokenize};
use super::phrases::phrase_at;

/// Name and postal code of every state, plus the District of Columbia.
pub(crate) const US_STATES: &[(&str, &str)] = &[
    ("Alabama", "AL"),
    ("Alaska", "AK"),
    ("Arizona", "AZ"),
    ("Arkansas", "AR"),
    ("California", "CA"),
    ("Colorado", "CO"),
    ("Connecticut", "CT"),
    ("Delaware", "DE"),
    ("District of Columbia", "DC"),
    ("Florida", "FL"),
    ("Georgia", "GA"),
    ("Hawaii", "HI"),
    ("Idaho", "ID"),
    ("Illinois", "IL"),
    ("Indiana", "IN"),
    ("Iowa", "IA"),
    ("Kansas", "KS"),
    ("Kentucky", "KY"),
    ("Louisiana", "LA"),
    ("Maine", "ME"),
    ("Maryland", "MD"),
    ("Massachusetts", "MA"),
    ("Michigan", "MI"),
    ("Minnesota", "MN"),
    ("Mississippi", "MS"),
    ("Missouri", "MO"),
    ("Montana", "MT"),
    ("Nebraska", "NE"),
    ("Nevada", "NV"),
    ("New Hampshire", "NH"),
    ("New Jersey", "NJ"),
    ("New Mexico", "NM"),
    ("New York", "NY"),
    ("North Carolina", "NC"),
    ("North Dakota", "ND"),
    ("Ohio", "OH"),
    ("Oklahoma", "OK"),
    ("Oregon", "OR"),
    ("Pennsylvania", "PA"),
    ("Rhode Island", "RI"),
    ("South Carolina", "SC"),
    ("South Dakota", "SD"),
    ("Tennessee", "TN"),
    ("Texas", "TX"),
    ("Utah", "UT"),
    ("Vermont", "VT"),
    ("Virginia", "VA"),
    ("Washington", "WA"),
    ("West Virginia", "WV"),
    ("Wisconsin", "WI"),
    ("Wyoming", "WY"),
];

/// US regions by the states they cover. Single words that are also ordinary English ("South",
/// "West") only count when capitalised and not followed by "of" ("south of 4x").
const REGIONS: &[(&str, &[&str])] = &[
    (
        "Northeast",
        &["CT", "ME", "MA", "NH", "RI", "VT", "NJ", "NY", "PA"],
    ),
    (
        "North East",
        &["CT", "ME", "MA", "NH", "RI", "VT", "NJ", "NY", "PA"],
    ),
    ("New England", &["CT", "ME", "MA", "NH", "RI", "VT"]),
    ("Mid Atlantic", &["NY", "NJ", "PA", "DE", "MD", "DC"]),
    ("Tri State", &["NY", "NJ", "CT"]),
    (
        "Midwest",
        &[
            "IL", "IN", "MI", "OH", "WI", "IA", "KS", "MN", "MO", "NE", "ND", "SD",
        ],
    ),
    (
        "Mid West",
        &[
            "IL", "IN", "MI", "OH", "WI", "IA", "KS", "MN", "MO", "NE", "ND", "SD",
        ],
    ),
    (
        "Great Lakes",
        &["IL", "IN", "MI", "MN", "NY", "OH", "PA", "WI"],
    ),
    (
        "South",
        &[
            "DE", "DC", "FL", "GA", "MD", "NC", "SC", "VA", "WV", "AL", "KY", "MS", "TN", "AR",
            "LA", "OK", "TX",
        ],
    ),
    (
        "Southeast",
        &[
            "AL", "FL", "GA", "KY", "MS", "NC", "SC", "TN", "VA", "WV", "AR", "LA",
        ],
    ),
    (
        "South East",
        &[
            "AL", "FL", "GA", "KY", "MS", "NC", "SC", "TN", "VA", "WV", "AR", "LA",
        ],
    ),
    ("Southwest", &["AZ", "NM", "OK", "TX"]),
    ("South West", &["AZ", "NM", "OK", "TX"]),
    ("Gulf Coast", &["TX", "LA", "MS", "AL", "FL"]),
    (
        "Sun Belt",
        &[
            "AL", "AZ", "CA", "FL", "GA", "LA", "MS", "NM", "NV", "SC", "TX",
        ],
    ),
    (
        "Sunbelt",
        &[
            "AL", "AZ", "CA", "FL", "GA", "LA", "MS", "NM", "NV", "SC", "TX",
        ],
    ),
    (
        "West",
        &[
            "AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY", "AK", "CA", "HI", "OR", "WA",
        ],
    ),
    (
        "Mountain West",
        &["AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY"],
    ),
    ("West Coast", &["CA", "OR", "WA"]),
    ("Pacific Northwest", &["WA", "OR", "ID"]),
    ("Northwest", &["WA", "OR", "ID"]),
    (
        "East Coast",
        &[
            "ME", "NH", "MA", "RI", "CT", "NY", "NJ", "DE", "MD", "DC", "VA", "NC", "SC", "GA",
            "FL",
        ],
    ),
];

/// Region names that are everyday words in lower case.
const COMMON_WORD_REGIONS: &[&str] = &["South", "West"];

/// Larger US cities and their states, so that markets written without a state ("Dallas",
/// "NYC") can be placed and a city the portfolio lacks ("Boston") is recognised as a place. A
/// city in several states is listed under its best-known one.
const KNOWN_CITIES: &[(&str, &str)] = &[
    ("Albuquerque", "NM"),
    ("Anaheim", "CA"),
    ("Anchorage", "AK"),
    ("Arlington", "TX"),
    ("Atlanta", "GA"),
    ("Aurora", "CO"),
    ("Austin", "TX"),
    ("Bakersfield", "CA"),
    ("Baltimore", "MD"),
    ("Birmingham", "AL"),
    ("Boise", "ID"),
    ("Boston", "MA"),
    ("Bronx", "NY"),
    ("Brooklyn", "NY"),
    ("Buffalo", "NY"),
    ("Charleston", "SC"),
    ("Charlotte", "NC"),
    ("Chicago", "IL"),
    ("Cincinnati", "OH"),
    ("Cleveland", "OH"),
    ("Colorado Springs", "CO"),
    ("Columbus", "OH"),
    ("Dallas", "TX"),
    ("Denver", "CO"),
    ("Des Moines", "IA"),
    ("Detroit", "MI"),
    ("El Paso", "TX"),
    ("Fort Lauderdale", "FL"),
    ("Fort Worth", "TX"),
    ("Fresno", "CA"),
    ("Hartford", "CT"),
    ("Honolulu", "HI"),
    ("Houston", "TX"),
    ("Indianapolis", "IN"),
    ("Jacksonville", "FL"),
    ("Jersey City", "NJ"),
    ("Kansas City", "MO"),
    ("Knoxville", "TN"),
    ("Las Vegas", "NV"),
    ("Little Rock", "AR"),
    ("Long Beach", "CA"),
    ("Los Angeles", "CA"),
    ("Louisville", "KY"),
    ("Madison", "WI"),
    ("Manhattan", "NY"),
    ("Memphis", "TN"),
    ("Mesa", "AZ"),
    ("Miami", "FL"),
    ("Milwaukee", "WI"),
    ("Minneapolis", "MN"),
    ("Nashville", "TN"),
    ("New Orleans", "LA"),
    ("New York", "NY"),
    ("New York City", "NY"),
    ("Newark", "NJ"),
    ("Oakland", "CA"),
    ("Oklahoma City", "OK"),
    ("Omaha", "NE"),
    ("Orlando", "FL"),
    ("Philadelphia", "PA"),
    ("Phoenix", "AZ"),
    ("Pittsburgh", "PA"),
    ("Portland", "OR"),
    ("Providence", "RI"),
    ("Queens", "NY"),
    ("Raleigh", "NC"),
    ("Reno", "NV"),
    ("Richmond", "VA"),
    ("Sacramento", "CA"),
    ("Salt Lake City", "UT"),
    ("San Antonio", "TX"),
    ("San Diego", "CA"),
    ("San Francisco", "CA"),
    ("San Jose", "CA"),
    ("Scottsdale", "AZ"),
    ("Seattle", "WA"),
    ("Spokane", "WA"),
    ("St Louis", "MO"),
    ("St Paul", "MN"),
    ("Saint Louis", "MO"),
    ("Saint Paul", "MN"),
    ("Tampa", "FL"),
    ("Topeka", "KS"),
    ("Tucson", "AZ"),
    ("Tulsa", "OK"),
    ("Virginia Beach", "VA"),
    ("Washington DC", "DC"),
    ("Wichita", "KS"),
];

/// Short names of cities: (alias, city in `KNOWN_CITIES`, written in capitals only).
const CITY_ALIASES: &[(&str, &str, bool)] = &[
    ("NYC", "New York", false),
    ("NY City", "New York", false),
    ("LA", "Los Angeles", true),
    ("SF", "San Francisco", true),
    ("Philly", "Philadelphia", false),
    ("Vegas", "Las Vegas", false),
    ("Nola", "New Orleans", false),
];

/// Countries that mean the US on an asset.
const US_COUNTRY_NAMES: &[&str] = &["us", "usa", "united states", "united states of america"];

/// The state code of a market string written "City, ST" or "City, State name".
pub(crate) fn state_of_market(market: &str) -> Option<&'static str> {
    let (_, state) = market.rsplit_once(',')?;
    state_code(state)
}

fn state_code(text: &str) -> Option<&'static str> {
    let text = text.trim();
    US_STATES
        .iter()
        .find(|(name, code)| code.eq_ignore_ascii_case(text) || name.eq_ignore_ascii_case(text))
        .map(|(_, code)| *code)
}

/// Words of a name, normalised as the brief's tokens are ("St. Louis" and "St Louis" alike).
fn words_of(name: &str) -> Vec<String> {
    tokenize(name)
        .iter()
        .filter_map(|t| t.word().map(str::to_string))
        .collect()
}

/// The words of every place in the tables, worked out once.
struct TableWords {
    cities: Vec<Vec<String>>,
    aliases: Vec<Vec<String>>,
    /// Per state: its name, "<name> state" and its code.
    states: Vec<[Vec<String>; 3]>,
    regions: Vec<Vec<String>>,
}

fn city_words() -> &'static TableWords {
    static WORDS: OnceLock<TableWords> = OnceLock::new();
    WORDS.get_or_init(|| TableWords {
        cities: KNOWN_CITIES.iter().map(|(c, _)| words_of(c)).collect(),
        aliases: CITY_ALIASES.iter().map(|(a, _, _)| words_of(a)).collect(),
        states: US_STATES
            .iter()
            .map(|(name, code)| {
                [
                    words_of(name),
                    words_of(&format!("{name} state")),
                    words_of(code),
                ]
            })
            .collect(),
        regions: REGIONS.iter().map(|(r, _)| words_of(r)).collect(),
    })
}

/// The known city a name (or alias) stands for, with its state.
fn known_city(name: &str) -> Option<(&'static str, &'static str)> {
    let words = words_of(name);
    if words.is_empty() {
        return None;
    }
    let table = city_words();
    let canonical = match table.aliases.iter().position(|a| *a == words) {
        Some(alias) => {
            let city = CITY_ALIASES[alias].1;
            KNOWN_CITIES.iter().position(|(c, _)| *c == city)?
        }
        None => table.cities.iter().position(|c| *c == words)?,
    };
    Some(KNOWN_CITIES[canonical])
}

/// Where a market lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    State(&'static str),
    Abroad,
    Unknown,
}

/// The state of a market: from its string, else (unless its assets say it is abroad) from the
/// table of known cities; a suffix that is no US state ("Toronto, ON") puts it abroad.
pub(crate) fn locate(market: &str, country: Option<&str>) -> Location {
    if let Some(code) = state_of_market(market) {
        return Location::State(code);
    }
    let in_us = country.map(|c| {
        let c = c.trim().to_lowercase().replace('.', "");
        US_COUNTRY_NAMES.contains(&c.as_str())
    });
    if in_us == Some(false) {
        return Location::Abroad;
    }
    let (city, suffix) = match market.rsplit_once(',') {
        Some((city, suffix)) => (city, Some(suffix.trim())),
        None => (market, None),
    };
    let us_suffix = suffix.is_none_or(|s| {
        let s = s.to_lowercase().replace('.', "");
        s.is_empty() || US_COUNTRY_NAMES.contains(&s.as_str())
    });
    match known_city(city) {
        Some((_, code)) if us_suffix => Location::State(code),
        _ if !us_suffix => Location::Abroad,
        _ => Location::Unknown,
    }
}

/// The state of a market, as far as its string and the known cities tell.
pub(crate) fn market_state(market: &str) -> Option<&'static str> {
    match locate(market, None) {
        Location::State(code) => Some(code),
        Location::Abroad | Location::Unknown => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PlaceKind {
    /// A market string or a city: the brief named the markets.
    Named,
    /// A state or a region: the markets come from where the portfolio's markets lie.
    Area,
}

/// One way the brief may name some of the portfolio's markets.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlaceName {
    words: Vec<String>,
    /// Indices into the portfolio's market list; empty for a place the portfolio lacks.
    pub markets: Vec<usize>,
    pub kind: PlaceKind,
    /// Two-letter codes count only when written in capitals ("TX", not "in" or "or").
    shouted_only: bool,
    /// Regions that are everyday words count only when capitalised ("the South").
    capital_only: bool,
}

/// The places a brief may name, resolved against the portfolio's markets.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Places {
    pub names: Vec<PlaceName>,
    /// Markets whose state is unknown (neither their string nor the known cities tell).
    pub unplaced: Vec<usize>,
}

/// Every name the portfolio's markets answer to, most specific first: full market strings,
/// cities (and their short names), then states (by name, "<name> state", and code) and
/// regions; then the known places the portfolio lacks. `countries[i]` is the country of the
/// assets in market `i`, when known.
pub(crate) fn places(markets: &[String], countries: &[Option<String>]) -> Places {
    let table = city_words();
    let mut names: Vec<PlaceName> = Vec::new();
    let mut seen: HashSet<(Vec<String>, Vec<usize>)> = HashSet::new();
    let mut add = |words: &[String], markets: Vec<usize>, kind: PlaceKind, flags: (bool, bool)| {
        let (shouted_only, capital_only) = flags;
        if !words.is_empty() && seen.insert((words.to_vec(), markets.clone())) {
            names.push(PlaceName {
                words: words.to_vec(),
                markets,
                kind,
                shouted_only,
                capital_only,
            });
        }
    };
    const PLAIN: (bool, bool) = (false, false);
    let location: Vec<Location> = markets
        .iter()
        .enumerate()
        .map(|(i, m)| locate(m, countries.get(i).and_then(|c| c.as_deref())))
        .collect();
    for (index, market) in markets.iter().enumerate() {
        add(&words_of(market), vec![index], PlaceKind::Named, PLAIN);
    }
    let city_of = |m: &str| m.split(',').next().unwrap_or(m).trim().to_string();
    let cities: Vec<String> = markets.iter().map(|m| city_of(m)).collect();
    let known: Vec<Option<&str>> = cities
        .iter()
        .map(|c| known_city(c).map(|(name, _)| name))
        .collect();
    for (index, city) in cities.iter().enumerate() {
        let same_city = (0..markets.len()).filter(|&m| cities[m] == *city).collect();
        add(&words_of(city), same_city, PlaceKind::Named, PLAIN);
        // "NYC" for a "New York, NY" market, "New York" for an "NYC" one.
        if let Some(canonical) = known[index] {
            let same_city: Vec<usize> = (0..markets.len())
                .filter(|&m| known[m] == Some(canonical))
                .collect();
            add(
                &words_of(canonical),
                same_city.clone(),
                PlaceKind::Named,
                PLAIN,
            );
            for (k, (_, _, shouted)) in CITY_ALIASES.iter().enumerate() {
                if CITY_ALIASES[k].1 == canonical {
                    let flags = (*shouted, false);
                    add(
                        &table.aliases[k],
                        same_city.clone(),
                        PlaceKind::Named,
                        flags,
                    );
                }
            }
        }
    }
    let in_states = |codes: &[&str]| -> Vec<usize> {
        (0..markets.len())
            .filter(|&i| matches!(location[i], Location::State(code) if codes.contains(&code)))
            .collect()
    };
    for (k, (_, code)) in US_STATES.iter().enumerate() {
        let in_state = in_states(&[code]);
        let [name, name_state, code_words] = &table.states[k];
        add(name_state, in_state.clone(), PlaceKind::Area, PLAIN);
        add(name, in_state.clone(), PlaceKind::Area, PLAIN);
        add(code_words, in_state, PlaceKind::Area, (true, false));
    }
    for (k, (region, codes)) in REGIONS.iter().enumerate() {
        let flags = (false, COMMON_WORD_REGIONS.contains(region));
        add(&table.regions[k], in_states(codes), PlaceKind::Area, flags);
    }
    // Cities the portfolio does not have: known places with nothing in them.
    for words in &table.cities {
        add(words, Vec::new(), PlaceKind::Named, PLAIN);
    }
    for (k, (_, _, shouted)) in CITY_ALIASES.iter().enumerate() {
        add(
            &table.aliases[k],
            Vec::new(),
            PlaceKind::Named,
            (*shouted, false),
        );
    }
    let unplaced = (0..markets.len())
        .filter(|&i| location[i] == Location::Unknown)
        .collect();
    Places { names, unplaced }
}

/// The place name at `i` (ignoring commas inside it, so "Dallas, TX" and "Dallas TX" both
/// match), as (index into `names`, tokens covered): the longest; on equal length one that holds
/// markets, then the more specific (earlier) one.
pub(crate) fn place_at(tokens: &[Token], i: usize, names: &[PlaceName]) -> Option<(usize, usize)> {
    names
        .iter()
        .enumerate()
        .filter_map(|(index, name)| match_place(tokens, i, name).map(|len| (index, len)))
        .fold(None, |best, (index, len)| match best {
            Some((best_index, best_len))
                if (best_len, !names[best_index].markets.is_empty())
                    >= (len, !names[index].markets.is_empty()) =>
            {
                best
            }
            _ => Some((index, len)),
        })
}

fn match_place(tokens: &[Token], i: usize, name: &PlaceName) -> Option<usize> {
    let mut at = i;
    for (k, word) in name.words.iter().enumerate() {
        if k > 0 && tokens.get(at).is_some_and(|t| t.is_symbol(',')) {
            at += 1;
        }
        if !phrase_at(tokens, at, &[word.as_str()]) {
            return None;
        }
        let (shouted, capital) = match &tokens[at] {
            Token::Word {
                shouted, capital, ..
            } => (*shouted, *capital),
            _ => (false, false),
        };
        if (name.shouted_only && !shouted) || (name.capital_only && !capital) {
            return None;
        }
        at += 1;
    }
    if name.capital_only && tokens.get(at).is_some_and(|t| t.is_word("of")) {
        return None;
    }
    Some(at - i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markets_know_their_state() {
        assert_eq!(state_of_market("Dallas, TX"), Some("TX"));
        assert_eq!(state_of_market("Austin, Texas"), Some("TX"));
        assert_eq!(state_of_market("Greater London"), None);
    }

    fn found(markets: &[&str], brief: &str) -> Option<Vec<usize>> {
        let markets: Vec<String> = markets.iter().map(|m| m.to_string()).collect();
        let names = places(&markets, &[]).names;
        place_at(&tokenize(brief), 0, &names).map(|(n, _)| names[n].markets.clone())
    }

    #[test]
    fn markets_without_a_state_are_placed_by_their_city() {
        assert_eq!(locate("Dallas", None), Location::State("TX"));
        assert_eq!(locate("NYC", None), Location::State("NY"));
        assert_eq!(locate("St. Louis", None), Location::State("MO"));
        assert_eq!(locate("London", Some("GB")), Location::Abroad);
        assert_eq!(locate("Toronto, ON", None), Location::Abroad);
        assert_eq!(locate("Springfield", None), Location::Unknown);
        assert_eq!(locate("Dallas", Some("USA")), Location::State("TX"));
        let markets = ["Dallas", "Houston", "Chicago", "NYC", "Springfield"];
        assert_eq!(found(&markets, "Texas"), Some(vec![0, 1]));
        assert_eq!(found(&markets, "New York"), Some(vec![3]));
        assert_eq!(found(&markets, "the Midwest"), None);
        assert_eq!(found(&markets, "Midwest"), Some(vec![2]));
        assert_eq!(places(&markets.map(str::to_string), &[]).unplaced, vec![4]);
    }

    #[test]
    fn places_the_portfolio_lacks_match_with_no_markets() {
        assert_eq!(found(&["Dallas, TX"], "Boston"), Some(vec![]));
        assert_eq!(found(&["Dallas, TX"], "Oregon"), Some(vec![]));
        assert_eq!(found(&["Dallas, TX"], "Springfield"), None);
        assert_eq!(found(&["Los Angeles, CA"], "LA"), Some(vec![0]));
    }

    #[test]
    fn everyday_words_are_no_regions() {
        assert_eq!(found(&["Miami, FL"], "South"), Some(vec![0]));
        assert_eq!(found(&["Miami, FL"], "south"), None);
        assert_eq!(found(&["Miami, FL"], "South of"), None);
    }

    #[test]
    fn state_codes_need_capitals() {
        let markets = ["Portland, OR", "Salem, OR"];
        let found = |brief: &str| found(&markets, brief);
        assert_eq!(found("OR"), Some(vec![0, 1]));
        assert_eq!(found("or"), None);
        assert_eq!(found("Oregon"), Some(vec![0, 1]));
        assert_eq!(found("Portland, OR"), Some(vec![0]));
    }
}
