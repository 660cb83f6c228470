//! US states (domain data) and how a brief's place names resolve to the portfolio's market
//! strings (DECISIONS P3): a city names the markets of that city, a state name or a capitalised
//! two-letter code names every market in that state. Only markets present in the portfolio are
//! ever produced.

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

/// The state code of a market string written "City, ST" or "City, State name".
pub(crate) fn state_of_market(market: &str) -> Option<&'static str> {
    let (_, state) = market.rsplit_once(',')?;
    let state = state.trim();
    US_STATES
        .iter()
        .find(|(name, code)| code.eq_ignore_ascii_case(state) || name.eq_ignore_ascii_case(state))
        .map(|(_, code)| *code)
}

/// One way the brief may name some of the portfolio's markets.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlaceName {
    words: Vec<String>,
    /// Indices into the portfolio's market list.
    pub markets: Vec<usize>,
    /// Two-letter codes count only when written in capitals ("TX", not "in" or "or").
    capitals_only: bool,
}

/// Every name the portfolio's markets answer to, most specific first: full market strings,
/// cities, then states (by name, "<name> state", and code).
pub(crate) fn place_names(markets: &[String]) -> Vec<PlaceName> {
    let mut names: Vec<PlaceName> = Vec::new();
    let mut add = |tokens: Vec<Token>, markets: Vec<usize>, capitals_only: bool| {
        let words: Vec<String> = tokens
            .iter()
            .filter_map(|t| t.word().map(str::to_string))
            .collect();
        if !words.is_empty() && !markets.is_empty() {
            names.push(PlaceName {
                words,
                markets,
                capitals_only,
            });
        }
    };
    for (index, market) in markets.iter().enumerate() {
        add(tokenize(market), vec![index], false);
    }
    for market in markets {
        let city = market.split(',').next().unwrap_or(market);
        let same_city = indices(markets, |m| {
            m.split(',').next().unwrap_or(m).trim() == city.trim()
        });
        add(tokenize(city), same_city, false);
    }
    // Resolve each market's state once: the loop below asks for every state.
    let market_states: Vec<Option<&str>> = markets.iter().map(|m| state_of_market(m)).collect();
    for (name, code) in US_STATES {
        let in_state: Vec<usize> = (0..markets.len())
            .filter(|&i| market_states[i] == Some(*code))
            .collect();
        add(tokenize(&format!("{name} state")), in_state.clone(), false);
        add(tokenize(name), in_state.clone(), false);
        add(tokenize(code), in_state, true);
    }
    names
}

fn indices(markets: &[String], keep: impl Fn(&str) -> bool) -> Vec<usize> {
    markets
        .iter()
        .enumerate()
        .filter(|(_, m)| keep(m))
        .map(|(i, _)| i)
        .collect()
}

/// The longest place name at `i` (ignoring commas inside it, so "Dallas, TX" and "Dallas TX"
/// both match), as (index into `names`, tokens covered); on a tie the more specific name wins.
pub(crate) fn place_at(tokens: &[Token], i: usize, names: &[PlaceName]) -> Option<(usize, usize)> {
    names
        .iter()
        .enumerate()
        .filter_map(|(index, name)| match_place(tokens, i, name).map(|len| (index, len)))
        .fold(None, |best, (index, len)| match best {
            Some((_, best_len)) if best_len >= len => best,
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
        if name.capitals_only && !matches!(&tokens[at], Token::Word { shouted: true, .. }) {
            return None;
        }
        at += 1;
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

    #[test]
    fn state_codes_need_capitals() {
        let markets = vec!["Portland, OR".to_string(), "Salem, OR".to_string()];
        let names = place_names(&markets);
        let found = |brief: &str| {
            place_at(&tokenize(brief), 0, &names).map(|(n, _)| names[n].markets.clone())
        };
        assert_eq!(found("OR"), Some(vec![0, 1]));
        assert_eq!(found("or"), None);
        assert_eq!(found("Oregon"), Some(vec![0, 1]));
        assert_eq!(found("Portland, OR"), Some(vec![0]));
    }
}
