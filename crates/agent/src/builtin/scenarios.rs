//! Scenario variants of one brief (DECISIONS S5): Base Case, Conservative, Aggressive, then a
//! geographic-focus variant when the portfolio spans several states, and Maximum Proceeds.
//! A portfolio in one state gets a Moderate variant in the fifth slot instead, so any count
//! from 1 to 5 can be served.
//!
//! Overrides only ever tighten what the brief states explicitly: a leverage cap in the brief
//! caps every scenario's leverage, a coverage floor in the brief floors every scenario's
//! coverage.

use std::collections::BTreeSet;

use engine::model::{ScenarioDefinition, ScenarioKind};
use engine::pyfmt;

use super::constraints::Limits;
use super::geography::market_state;

/// The largest number of scenarios in a set.
const MAX_SCENARIOS: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    Base,
    Conservative,
    Aggressive,
    GeographicFocus,
    MaximumProceeds,
    Moderate,
}

impl Variant {
    fn label(self) -> &'static str {
        match self {
            Variant::Base => "Base Case",
            Variant::Conservative => "Conservative",
            Variant::Aggressive => "Aggressive",
            Variant::GeographicFocus => "Geographic Focus",
            Variant::MaximumProceeds => "Maximum Proceeds",
            Variant::Moderate => "Moderate",
        }
    }

    fn kind(self) -> ScenarioKind {
        match self {
            Variant::Base => ScenarioKind::Base,
            Variant::Conservative => ScenarioKind::RiskOff,
            Variant::Aggressive => ScenarioKind::Aggressive,
            Variant::GeographicFocus => ScenarioKind::GeoFocus,
            Variant::MaximumProceeds | Variant::Moderate => ScenarioKind::Custom,
        }
    }

    /// Target as a multiple of the brief's.
    fn multiple(self) -> f64 {
        match self {
            Variant::Base | Variant::GeographicFocus => 1.0,
            Variant::Conservative => 0.8,
            Variant::Aggressive => 1.25,
            Variant::MaximumProceeds => 1.5,
            Variant::Moderate => 0.9,
        }
    }

    /// (leverage cap, coverage floor) before tightening by the brief.
    fn covenants(self) -> Option<(f64, f64)> {
        match self {
            Variant::Conservative => Some((3.0, 3.5)),
            Variant::MaximumProceeds => Some((4.5, 2.5)),
            Variant::Moderate => Some((3.5, 3.0)),
            Variant::Base | Variant::Aggressive | Variant::GeographicFocus => None,
        }
    }

    /// `covenants` describes the overrides, or the brief's limits when there are none.
    fn rationale(self, amount: &str, covenants: &str, state_count: usize) -> String {
        match self {
            Variant::Base => format!(
                "The brief as written: raise {amount} under its own leverage and coverage limits."
            ),
            Variant::Conservative => {
                format!("A smaller ask of {amount} with tighter covenants: {covenants}.")
            }
            Variant::Aggressive => {
                format!(
                    "A larger ask of {amount} under {covenants}, to test how far the portfolio stretches."
                )
            }
            Variant::GeographicFocus => format!(
                "The same {amount} ask across the portfolio's {state_count} states; the plan may trim up to 10% \
                 to stay feasible."
            ),
            Variant::MaximumProceeds => {
                format!("The largest ask, {amount}, with {covenants} where the brief allows.")
            }
            Variant::Moderate => format!("A middle ground of {amount} with {covenants}."),
        }
    }
}

pub(crate) fn scenarios(
    stated: &Limits,
    target: f64,
    markets: &[String],
    count: usize,
) -> Vec<ScenarioDefinition> {
    let states: BTreeSet<&str> = markets.iter().filter_map(|m| market_state(m)).collect();
    let last_two = if states.len() > 1 {
        [Variant::GeographicFocus, Variant::MaximumProceeds]
    } else {
        [Variant::MaximumProceeds, Variant::Moderate]
    };
    [Variant::Base, Variant::Conservative, Variant::Aggressive]
        .into_iter()
        .chain(last_two)
        .take(count.clamp(1, MAX_SCENARIOS))
        .map(|variant| define(variant, stated, target, states.len()))
        .collect()
}

fn define(
    variant: Variant,
    stated: &Limits,
    target: f64,
    state_count: usize,
) -> ScenarioDefinition {
    // Never looser than the brief: the lower leverage cap and the higher coverage floor win.
    let covenants = variant.covenants().map(|(leverage, coverage)| {
        (
            stated
                .max_net_leverage
                .map_or(leverage, |cap| leverage.min(cap)),
            stated
                .min_fixed_charge_coverage
                .map_or(coverage, |floor| coverage.max(floor)),
        )
    });
    let described = match covenants {
        Some((leverage, coverage)) => format!(
            "leverage at most {}x and coverage at least {}x",
            pyfmt::repr(leverage),
            pyfmt::repr(coverage)
        ),
        None => "the brief's leverage and coverage limits".to_string(),
    };
    let amount = target * variant.multiple();
    ScenarioDefinition {
        label: variant.label().to_string(),
        kind: variant.kind(),
        rationale: variant.rationale(&money(amount), &described, state_count),
        target_amount: amount,
        max_leverage: covenants.map(|(leverage, _)| leverage),
        min_coverage: covenants.map(|(_, coverage)| coverage),
    }
}

/// "$312.5M", "$1.2B": compact amounts for rationales.
fn money(amount: f64) -> String {
    let compact = |value: f64, decimals: usize| {
        let text = format!("{value:.decimals$}");
        let text = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.')
        } else {
            &text
        };
        text.to_string()
    };
    if amount >= 1e9 {
        format!("${}B", compact(amount / 1e9, 2))
    } else if amount >= 1e6 {
        format!("${}M", compact(amount / 1e6, 1))
    } else {
        format!("${}", pyfmt::thousands0(amount))
    }
}
