//! Cue words that put what follows or precedes them in or out of scope: "sell", "from",
//! "only", "focus on" include; "avoid", "excluding", "outside", "keep", "no" exclude;
//! "prefer", "ideally" only wish. A negation in front of a cue turns it around ("don't sell",
//! "avoid selling"); "only" in front of an include makes it restrictive ("only consider").

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

/// The cue whose last word is at `last`, as modified by the words before it.
pub(crate) fn cue_ending_at(tokens: &[Token], last: usize) -> Option<Cue> {
    let (cue, len) = longest_ending_at(tokens, last, CUES_BEFORE)?;
    Some(governing(tokens, cue, last + 1 - len))
}

/// The cue that starts at `first`, written after what it governs ("stores only").
pub(crate) fn cue_starting_at(tokens: &[Token], first: usize) -> Option<Cue> {
    longest_at(tokens, first, CUES_AFTER).map(|(cue, _)| cue)
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
        if is_any(token, &["only", "just", "solely", "exclusively"])
            && matches!(cue, Cue::Include { .. })
        {
            return Cue::Include { strong: true };
        }
        if !is_any(token, NEGATION_GLUE) {
            break;
        }
    }
    cue
}
