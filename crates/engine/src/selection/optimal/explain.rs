//! Explanation nodes about the optimiser: that it ran and what it proved, the most proceeds
//! within reach when the target is not, and why its pick differs from the greedy walk's.
//!
//! These nodes come on top of the reference's (SPEC §5), which describe the outcome itself.

use std::collections::HashSet;

use super::{OptimalOutcome, Verdict, money};
use crate::config::EngineConfig;
use crate::constraints::check_totals;
use crate::economics::SelectionTotals;
use crate::explain::node;
use crate::model::ViolationCode;
use crate::model::{
    CorporateState, ExplanationNode, NodeCategory, Objective, ProgramOutcome, SelectedAssets,
    SelectionStatus, SelectorSpec, Severity,
};

/// The optimiser's nodes for `result`, given the greedy walk's outcome on the same input:
/// which strategy ran (driver), the most proceeds achievable when the target is out of reach
/// (alternative), and why the selection differs from greedy's when it does (alternative).
pub fn strategy_nodes(
    result: &OptimalOutcome,
    greedy: &ProgramOutcome,
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> Vec<ExplanationNode> {
    let mut nodes = vec![strategy_node(result)];
    nodes.extend(most_proceeds_node(result, spec, config));
    let outcome = &result.outcome;
    if outcome.status == SelectionStatus::Ok
        && ids(&outcome.selected_assets) != ids(&greedy.selected_assets)
    {
        let detail = difference_from_greedy(outcome, greedy, state, spec, config);
        nodes.push(ExplanationNode {
            asset_ids: Some(
                outcome
                    .selected_assets
                    .iter()
                    .map(|s| s.asset.asset_id.clone())
                    .collect(),
            ),
            detail: Some(detail),
            ..node(
                "alternative_greedy_comparison",
                "Differs From Greedy Selection",
                Severity::Info,
                NodeCategory::Alternative,
            )
        });
    }
    nodes
}

fn strategy_node(result: &OptimalOutcome) -> ExplanationNode {
    let report = &result.report;
    let objective = report.objective.as_str();
    let detail = match report.verdict {
        Verdict::Feasible if report.proven => {
            format!("Selected by the exact optimiser for the {objective} objective; no other selection does better")
        }
        Verdict::Feasible => format!(
            "Selected by the exact optimiser for the {objective} objective; its search limit was reached before optimality was proven"
        ),
        Verdict::Infeasible { most_proceeds: None } if report.proven => {
            "The exact optimiser proved that no selection of the eligible assets meets the hard constraints".to_owned()
        }
        Verdict::Infeasible { .. } => {
            "The exact optimiser proved that no selection meets every hard constraint and the target".to_owned()
        }
        Verdict::Undecided { .. } => {
            "The exact optimiser found no feasible selection within its search limit; infeasibility is not proven".to_owned()
        }
        Verdict::NoEligibleAssets => "The exact optimiser had no eligible asset to choose from".to_owned(),
    };
    ExplanationNode {
        detail: Some(detail),
        ..node(
            "driver_optimal_strategy",
            "Exact Optimiser",
            Severity::Info,
            NodeCategory::Driver,
        )
    }
}

/// When the target is out of reach: the most proceeds a selection meeting the hard
/// constraints raises (the returned selection).
fn most_proceeds_node(
    result: &OptimalOutcome,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> Option<ExplanationNode> {
    let (proceeds, proven) = match result.report.verdict {
        Verdict::Infeasible {
            most_proceeds: Some(proceeds),
        } => (proceeds, result.report.proven),
        Verdict::Undecided {
            most_proceeds: Some(proceeds),
        } => (proceeds, false),
        _ => return None,
    };
    let amount = money(proceeds);
    let (label, detail) = if proven {
        (
            "Most Proceeds Achievable",
            format!("Most proceeds achievable under the constraints: {amount}"),
        )
    } else {
        (
            "Most Proceeds Found",
            format!("Most proceeds found under the constraints within the search limit: {amount}"),
        )
    };
    Some(ExplanationNode {
        metric: Some("proceeds".to_owned()),
        post_value: Some(proceeds),
        threshold: Some(spec.target_amount * (1.0 - config.target_tolerance)),
        detail: Some(detail),
        ..node(
            "alternative_max_proceeds",
            label,
            Severity::Info,
            NodeCategory::Alternative,
        )
    })
}

fn ids(selected: &SelectedAssets) -> HashSet<&str> {
    selected.iter().map(|s| s.asset.asset_id.as_str()).collect()
}

/// Why the optimiser's (feasible) selection is not the greedy one.
fn difference_from_greedy(
    outcome: &ProgramOutcome,
    greedy: &ProgramOutcome,
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> String {
    let count = outcome.selected_assets.len();
    if greedy.status != SelectionStatus::Ok {
        let breaches = uncurable_baseline_breaches(greedy, state, spec, config);
        return match breaches.as_slice() {
            [] => format!(
                "The greedy walk ends infeasible; a different combination of {} sales reaches the target within the covenants",
                count_word(count)
            ),
            [breach] => format!(
                "{} sales together cure the {breach} breach that no single sale can",
                capitalised(&count_word(count))
            ),
            several => format!(
                "{} sales together cure the {} breaches that no single sale can",
                capitalised(&count_word(count)),
                several.join(" and ")
            ),
        };
    }
    match spec.objective {
        Objective::MaximizeProceeds => format!(
            "A different combination raises more proceeds: {} against {} for the greedy pick",
            money(outcome.proceeds),
            money(greedy.proceeds)
        ),
        Objective::Balanced => format!(
            "A different combination reaches the target with less surplus: {} against {} for the greedy pick",
            money(outcome.proceeds),
            money(greedy.proceeds)
        ),
        Objective::MinimizeRisk => format!(
            "A different combination sells less critical NOI: {} against {} for the greedy pick",
            money(SelectionTotals::of(&outcome.selected_assets, config).critical_noi),
            money(SelectionTotals::of(&greedy.selected_assets, config).critical_noi)
        ),
    }
}

/// The covenants the company breaches before any sale, when the greedy walk sold nothing
/// because no eligible asset sold alone keeps every hard constraint; empty otherwise.
///
/// An empty greedy pick already proves that no single sale cures: until its first pick the
/// walk tests every eligible asset alone against the hard constraints, and it stops only
/// after a pick.
fn uncurable_baseline_breaches(
    greedy: &ProgramOutcome,
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> Vec<&'static str> {
    if !greedy.selected_assets.is_empty() {
        return Vec::new();
    }
    let hard = &spec.hard_constraints;
    let baseline = check_totals(&SelectionTotals::default(), state, hard, 0.0, config);
    baseline
        .violations
        .iter()
        .filter_map(|violation| match violation.code {
            ViolationCode::MaxNetLeverage => Some("leverage"),
            ViolationCode::MinInterestCoverage => Some("interest-coverage"),
            ViolationCode::MinFixedChargeCoverage => Some("fixed-charge-coverage"),
            _ => None,
        })
        .collect()
}

/// "two", "three", … for small counts, digits beyond twelve.
fn count_word(count: usize) -> String {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(count)
        .map_or_else(|| count.to_string(), |word| (*word).to_owned())
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
