//! Cue words that put what follows or precedes them in or out of scope: "sell", "from",
//! "only", "focus on" include; "avoid", "excluding", "outside", "keep", "no" exclude;
//! "prefer", "ideally" only wish. A negation in front of a cue turns it around ("don't sell",
//! "avoid selling"); "only" in front of an include makes it restrictive ("only consider").

use std::ops::Range;

use super::lexer::Token;
use super::phrases::{AVERTING, NEGATIONS, Phrase, is_any, longest_at, longest_ending_at};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
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
    (&["not", "sold"], Cue::Exclude),
    (&["not", "be", "sold"], Cue::Exclude),
    (&["not", "to", "be", "sold"], Cue::Exclude),
    (&["never", "be", "sold"], Cue::Exclude),
    (&["not", "be", "touched"], Cue::Exclude),
    (&["not", "be", "included"], Cue::Exclude),
    (&["off", "the", "list"], Cue::Exclude),
    (&["untouched"], Cue::Exclude),
    (&["alone"], Cue::Exclude),
    (&["intact"], Cue::Exclude),
    (&["unsold"], Cue::Exclude),
    (&["in", "place"], Cue::Exclude),
    (&["out", "of", "the", "sale"], Cue::Exclude),
    (&["out", "of", "the", "program"], Cue::Exclude),
    (&["out", "of", "the", "transaction"], Cue::Exclude),
    (&["out", "of", "the", "deal"], Cue::Exclude),
    (&["out", "of", "it"], Cue::Exclude),
    (&["not", "included"], Cue::Exclude),
    (&["out", "of", "scope"], Cue::Exclude),
    (&["stay"], Cue::Exclude),
    (&["stays"], Cue::Exclude),
    (&["kept"], Cue::Exclude),
    (&["retained"], Cue::Exclude),
    (&["protected"], Cue::Exclude),
    (&["preferred"], Cue::Preference),
];

/// Words that may sit between a negation and the cue it turns around ("do not sell").
const NEGATION_GLUE: &[&str] = &[
    "do", "does", "did", "to", "will", "we", "should", "must", "shall", "be", "please",
];

/// The cue whose last word is at `last`, as modified by the words before it, with the tokens
/// of the cue and its modifier.
pub(crate) fn cue_ending_at(tokens: &[Token], last: usize) -> Option<(Cue, Range<usize>)> {
    let (cue, len) = longest_ending_at(tokens, last, CUES_BEFORE)?;
    let (cue, start) = governing(tokens, cue, last + 1 - len);
    Some((cue, start..last + 1))
}

/// The cue that starts at `first`, written after what it governs ("stores only"), with its
/// tokens.
pub(crate) fn cue_starting_at(tokens: &[Token], first: usize) -> Option<(Cue, Range<usize>)> {
    longest_at(tokens, first, CUES_AFTER).map(|(cue, len)| (cue, first..first + len))
}

/// A cue as modified by the words just before it: a negation turns it around ("don't sell"),
/// "only"/"just" makes an include strong ("only consider"). Returns the cue and the first
/// token of its modifier (the cue's own first token without one).
fn governing(tokens: &[Token], cue: Cue, cue_start: usize) -> (Cue, usize) {
    let mut k = cue_start;
    while k > 0 && cue_start - k < 3 {
        k -= 1;
        let token = tokens.get(k);
        if is_any(token, NEGATIONS) || is_any(token, AVERTING) {
            let turned = match cue {
                Cue::Include { .. } => Cue::Exclude,
                Cue::Exclude => Cue::Include { strong: false },
                Cue::Preference => Cue::Preference,
            };
            // "Do not sell": the auxiliary belongs to the words quoted.
            let mut start = k;
            while start > 0 && is_any(tokens.get(start - 1), &["do", "does", "did", "please"]) {
                start -= 1;
            }
            return (turned, start);
        }
        if is_any(token, &["ideally", "preferably"]) {
            return (Cue::Preference, k);
        }
        if is_any(token, &["only", "just", "solely", "exclusively"])
            && matches!(cue, Cue::Include { .. })
        {
            return (Cue::Include { strong: true }, k);
        }
        if !is_any(token, NEGATION_GLUE) {
            break;
        }
    }
    (cue, cue_start)
}
