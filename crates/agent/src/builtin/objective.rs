//! The program's objective from the brief's wording (DECISIONS P1). Proceeds-maximising words
//! win over risk-minimising ones, as in the reference's keyword rule; a negated keyword ("not
//! conservative") does not count. "Balanced" is also the default, but a brief that says it has
//! stated it.

use std::ops::Range;

use engine::model::Objective;

use super::lexer::Token;
use super::phrases::{NEGATIONS, Phrase, is_any, longest_at};

const WORDINGS: &[(Phrase, Objective)] = {
    use Objective::*;
    &[
        (&["maximize"], MaximizeProceeds),
        (&["maximise"], MaximizeProceeds),
        (&["maximizing"], MaximizeProceeds),
        (&["maximising"], MaximizeProceeds),
        (&["max", "proceeds"], MaximizeProceeds),
        (&["maximum", "proceeds"], MaximizeProceeds),
        (&["highest", "proceeds"], MaximizeProceeds),
        (&["most", "proceeds"], MaximizeProceeds),
        (&["as", "much", "as"], MaximizeProceeds),
        (&["minimize", "risk"], MinimizeRisk),
        (&["minimise", "risk"], MinimizeRisk),
        (&["minimizing", "risk"], MinimizeRisk),
        (&["minimising", "risk"], MinimizeRisk),
        (&["low", "risk"], MinimizeRisk),
        (&["lower", "risk"], MinimizeRisk),
        (&["conservative"], MinimizeRisk),
        (&["conservatively"], MinimizeRisk),
        (&["cautious"], MinimizeRisk),
        (&["cautiously"], MinimizeRisk),
        (&["prudent"], MinimizeRisk),
        (&["risk", "averse"], MinimizeRisk),
        (&["derisk"], MinimizeRisk),
        (&["de", "risk"], MinimizeRisk),
        (&["balanced"], Balanced),
        (&["balance"], Balanced),
    ]
};

/// The objective, and the tokens of the keyword that decided it (none for `balanced`).
pub(crate) fn read_objective(tokens: &[Token]) -> (Objective, Option<Range<usize>>) {
    let stated: Vec<(Objective, Range<usize>)> = (0..tokens.len())
        .filter_map(|i| {
            let (objective, len) = longest_at(tokens, i, WORDINGS)?;
            let negated = (i.saturating_sub(2)..i).any(|k| is_any(tokens.get(k), NEGATIONS));
            (!negated).then_some((objective, i..i + len))
        })
        .collect();
    [
        Objective::MaximizeProceeds,
        Objective::MinimizeRisk,
        Objective::Balanced,
    ]
    .into_iter()
    .find_map(|objective| stated.iter().find(|(o, _)| *o == objective).cloned())
    .map_or((Objective::Balanced, None), |(objective, span)| {
        (objective, Some(span))
    })
}

#[cfg(test)]
mod tests {
    use super::super::lexer::tokenize;
    use super::*;

    #[test]
    fn keywords_decide_the_objective() {
        let objective = |brief: &str| read_objective(&tokenize(brief)).0;
        assert_eq!(
            objective("Maximize proceeds, conservatively."),
            Objective::MaximizeProceeds
        );
        assert_eq!(
            objective("Raise as much as we can."),
            Objective::MaximizeProceeds
        );
        assert_eq!(objective("A low-risk program."), Objective::MinimizeRisk);
        assert_eq!(
            objective("Not conservative, just balanced."),
            Objective::Balanced
        );
        assert_eq!(objective("3.5x max leverage"), Objective::Balanced);
    }
}
