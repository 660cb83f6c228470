//! Machine-readable explanation of an outcome (SPEC §5): violated and near-binding
//! constraints, the drivers of a successful selection, and the risks of the selected pool.
//!
//! Nodes only restate numbers the engine already produced; the planner turns them into prose.

use std::collections::HashMap;

use crate::config::EngineConfig;
use crate::model::ViolationCode;

use crate::economics::is_critical;
use crate::model::{
    ConstraintViolation, CorporateState, ExplanationNode, NodeCategory, ProgramOutcome,
    SelectedAsset, SelectedAssets, SelectionStatus, SelectorSpec, Severity,
};
use crate::pyfmt;

/// Share of the limit at which a ceiling (leverage, critical fraction) counts as near binding.
const NEAR_CEILING_RATIO: f64 = 0.9;
/// Multiple of the minimum under which a floor (coverage) counts as near binding.
const NEAR_FLOOR_RATIO: f64 = 1.1;

/// Explanation nodes of `outcome`: constraint nodes, then drivers, then risks.
///
/// `_state` is unused: every number comes from the outcome. It is kept so callers pass the
/// same context as the reference's entry point.
pub fn generate_explanation_nodes(
    spec: &SelectorSpec,
    outcome: &ProgramOutcome,
    _state: &CorporateState,
    config: &EngineConfig,
) -> Vec<ExplanationNode> {
    let mut nodes: Vec<ExplanationNode> = outcome.violations.iter().map(violation_node).collect();
    nodes.extend(near_binding_nodes(spec, outcome));
    nodes.extend(driver_nodes(spec, outcome));
    nodes.extend(risk_nodes(spec, outcome, config));
    nodes
}

/// A node with only the always-present fields set.
pub(crate) fn node(
    id: &str,
    label: &str,
    severity: Severity,
    category: NodeCategory,
) -> ExplanationNode {
    ExplanationNode {
        id: id.to_owned(),
        label: label.to_owned(),
        severity,
        category,
        metric: None,
        baseline_value: None,
        post_value: None,
        threshold: None,
        asset_ids: None,
        detail: None,
    }
}

fn violation_node(violation: &ConstraintViolation) -> ExplanationNode {
    let code = violation.code.as_str();
    let (label, metric) = violation_label_and_metric(violation.code);
    ExplanationNode {
        metric: metric.map(str::to_owned),
        post_value: (!violation.actual.is_nan()).then_some(violation.actual),
        threshold: Some(violation.limit),
        detail: Some(violation.detail.clone()),
        ..node(
            &format!("constraint_{}", code.to_lowercase()),
            label,
            Severity::Error,
            NodeCategory::Constraint,
        )
    }
}

/// Label and metric name of a violation code.
fn violation_label_and_metric(code: ViolationCode) -> (&'static str, Option<&'static str>) {
    match code {
        ViolationCode::MaxNetLeverage => ("Leverage Constraint Violated", Some("leverage")),
        ViolationCode::MinInterestCoverage => {
            ("Interest Coverage Below Minimum", Some("interest_coverage"))
        }
        ViolationCode::MinFixedChargeCoverage => (
            "Fixed Charge Coverage Below Minimum",
            Some("fixed_charge_coverage"),
        ),
        ViolationCode::MaxCriticalFraction => (
            "Critical Asset Concentration Exceeded",
            Some("critical_fraction"),
        ),
        ViolationCode::MaxLeaseAdjustedLeverage => (
            "Lease-Adjusted Leverage Constraint Violated",
            Some("lease_adjusted_leverage"),
        ),
        ViolationCode::MaxCovenantLeverage => (
            "Covenant Leverage Constraint Violated",
            Some("covenant_leverage"),
        ),
        ViolationCode::MaxAssetsSold => ("Too Many Assets Sold", Some("assets_sold")),
        ViolationCode::TargetNotMet => ("Target Proceeds Not Achieved", Some("proceeds")),
        ViolationCode::NoEligibleAssets => ("No Eligible Assets Available", None),
    }
}

/// Warnings for set constraints that hold but are close to their limit.
fn near_binding_nodes(spec: &SelectorSpec, outcome: &ProgramOutcome) -> Vec<ExplanationNode> {
    let hard = &spec.hard_constraints;
    let violated = |code: ViolationCode| outcome.violations.iter().any(|v| v.code == code);
    let near = |id: &str, label: &str, metric: &str| ExplanationNode {
        metric: Some(metric.to_owned()),
        ..node(id, label, Severity::Warning, NodeCategory::Constraint)
    };
    let mut nodes = Vec::new();

    if let (Some(limit), Some(after)) = (hard.max_net_leverage, outcome.leverage_after)
        && !violated(ViolationCode::MaxNetLeverage)
    {
        let ratio = after / limit;
        if ratio >= NEAR_CEILING_RATIO {
            nodes.push(ExplanationNode {
                baseline_value: outcome.leverage_before,
                post_value: Some(after),
                threshold: Some(limit),
                detail: Some(format!(
                    "Post-SLB leverage {}x is {} of the {}x limit",
                    pyfmt::fixed(after, 2),
                    pyfmt::percent(ratio, 0),
                    pyfmt::fixed(limit, 2)
                )),
                ..near(
                    "constraint_leverage_near_binding",
                    "Leverage Near Limit",
                    "leverage",
                )
            });
        }
    }

    if let (Some(limit), Some(after)) = (
        hard.min_fixed_charge_coverage,
        outcome.fixed_charge_coverage_after,
    ) && !violated(ViolationCode::MinFixedChargeCoverage)
        && after / limit <= NEAR_FLOOR_RATIO
    {
        nodes.push(ExplanationNode {
            baseline_value: outcome.fixed_charge_coverage_before,
            post_value: Some(after),
            threshold: Some(limit),
            detail: Some(format!(
                "Post-SLB coverage {}x is close to minimum {}x",
                pyfmt::fixed(after, 2),
                pyfmt::fixed(limit, 2)
            )),
            ..near(
                "constraint_fcc_near_binding",
                "Fixed Charge Coverage Near Minimum",
                "fixed_charge_coverage",
            )
        });
    }

    if let (Some(limit), Some(after)) =
        (hard.min_interest_coverage, outcome.interest_coverage_after)
        && !violated(ViolationCode::MinInterestCoverage)
        && after / limit <= NEAR_FLOOR_RATIO
    {
        nodes.push(ExplanationNode {
            baseline_value: outcome.interest_coverage_before,
            post_value: Some(after),
            threshold: Some(limit),
            detail: Some(format!(
                "Post-SLB interest coverage {}x is close to minimum {}x",
                pyfmt::fixed(after, 2),
                pyfmt::fixed(limit, 2)
            )),
            ..near(
                "constraint_ic_near_binding",
                "Interest Coverage Near Minimum",
                "interest_coverage",
            )
        });
    }

    if let Some(limit) = hard.max_critical_fraction
        && !violated(ViolationCode::MaxCriticalFraction)
    {
        let fraction = outcome.critical_fraction;
        let ratio = fraction / limit;
        if ratio >= NEAR_CEILING_RATIO {
            nodes.push(ExplanationNode {
                post_value: Some(fraction),
                threshold: Some(limit),
                detail: Some(format!(
                    "Critical asset concentration {} is {} of the {} limit",
                    pyfmt::percent(fraction, 1),
                    pyfmt::percent(ratio, 0),
                    pyfmt::percent(limit, 1)
                )),
                ..near(
                    "constraint_critical_near_binding",
                    "Critical Concentration Near Limit",
                    "critical_fraction",
                )
            });
        }
    }

    nodes
}

/// What drove a successful selection; nothing unless the status is `ok` and assets were sold.
fn driver_nodes(spec: &SelectorSpec, outcome: &ProgramOutcome) -> Vec<ExplanationNode> {
    let selected = &outcome.selected_assets;
    if outcome.status != SelectionStatus::Ok || selected.is_empty() {
        return Vec::new();
    }
    let preferences = &spec.soft_preferences;
    let driver = |id: &str, label: &str, metric: &str| ExplanationNode {
        metric: Some(metric.to_owned()),
        ..node(id, label, Severity::Info, NodeCategory::Driver)
    };
    let mut nodes = Vec::new();

    if preferences.prefer_low_criticality {
        let average = mean(selected, |s| s.asset.criticality);
        nodes.push(ExplanationNode {
            post_value: Some(average),
            detail: Some(format!(
                "Selected assets have average criticality of {} (weight: {})",
                pyfmt::fixed(average, 2),
                pyfmt::repr(preferences.weight_criticality)
            )),
            ..driver(
                "driver_low_criticality",
                "Low-Criticality Assets Preferred",
                "criticality",
            )
        });
    }

    if preferences.prefer_high_leaseability {
        let average = mean(selected, |s| s.asset.leaseability_score);
        nodes.push(ExplanationNode {
            post_value: Some(average),
            detail: Some(format!(
                "Selected assets have average leaseability of {} (weight: {})",
                pyfmt::fixed(average, 2),
                pyfmt::repr(preferences.weight_leaseability)
            )),
            ..driver(
                "driver_high_leaseability",
                "High-Leaseability Assets Preferred",
                "leaseability_score",
            )
        });
    }

    // The reference compares with the raw target here, without the tolerance.
    if outcome.proceeds >= spec.target_amount {
        nodes.push(ExplanationNode {
            post_value: Some(outcome.proceeds),
            threshold: Some(spec.target_amount),
            detail: Some(format!(
                "Achieved ${} vs target ${} ({})",
                pyfmt::thousands0(outcome.proceeds),
                pyfmt::thousands0(spec.target_amount),
                pyfmt::percent(outcome.proceeds / spec.target_amount, 1)
            )),
            ..driver(
                "driver_target_achieved",
                "Target Proceeds Achieved",
                "proceeds",
            )
        });
    }

    if let (Some(before), Some(after)) = (outcome.leverage_before, outcome.leverage_after)
        && after < before
    {
        nodes.push(ExplanationNode {
            baseline_value: Some(before),
            post_value: Some(after),
            detail: Some(format!(
                "Net leverage reduced by {}x (from {}x to {}x)",
                pyfmt::fixed(before - after, 2),
                pyfmt::fixed(before, 2),
                pyfmt::fixed(after, 2)
            )),
            ..driver("driver_leverage_reduction", "Leverage Reduced", "leverage")
        });
    }

    nodes
}

/// Mean of a field over a non-empty selection, summed left to right.
fn mean(selected: &SelectedAssets, field: impl Fn(SelectedAsset<'_>) -> f64) -> f64 {
    selected.iter().map(field).fold(0.0, |sum, x| sum + x) / selected.len() as f64
}

/// Risks of the selected pool (any status); nothing when no asset was sold.
fn risk_nodes(
    spec: &SelectorSpec,
    outcome: &ProgramOutcome,
    config: &EngineConfig,
) -> Vec<ExplanationNode> {
    let selected = &outcome.selected_assets;
    if selected.is_empty() {
        return Vec::new();
    }
    let risk = |id: &str, label: &str, severity| node(id, label, severity, NodeCategory::Risk);
    let mut nodes = Vec::new();

    let fraction = outcome.critical_fraction;
    if fraction > 0.0 {
        let severity = if fraction > 0.5 {
            Severity::Warning
        } else {
            Severity::Info
        };
        let critical_ids = selected
            .iter()
            .filter(|s| is_critical(s.asset, config))
            .map(|s| s.asset.asset_id.clone())
            .collect();
        nodes.push(ExplanationNode {
            metric: Some("critical_fraction".to_owned()),
            post_value: Some(fraction),
            threshold: spec.hard_constraints.max_critical_fraction,
            asset_ids: Some(critical_ids),
            detail: Some(format!(
                "{} of selected NOI comes from critical assets (criticality > {})",
                pyfmt::percent(fraction, 1),
                pyfmt::repr(config.criticality_threshold)
            )),
            ..risk(
                "risk_critical_concentration",
                "Critical Asset Exposure",
                severity,
            )
        });
    }

    if let Some((market, share)) = top_share(selected, |s| s.asset.market.as_str())
        && share > 0.5
    {
        let severity = if share > 0.7 {
            Severity::Warning
        } else {
            Severity::Info
        };
        nodes.push(ExplanationNode {
            post_value: Some(share),
            detail: Some(format!(
                "{} of proceeds from {market}",
                pyfmt::percent(share, 1)
            )),
            ..risk(
                "risk_market_concentration",
                "Market Concentration",
                severity,
            )
        });
    }

    if let Some((asset_type, share)) = top_share(selected, |s| s.asset.asset_type.as_str())
        && share > 0.7
    {
        let severity = if share > 0.9 {
            Severity::Warning
        } else {
            Severity::Info
        };
        nodes.push(ExplanationNode {
            post_value: Some(share),
            detail: Some(format!(
                "{} of proceeds from {asset_type} assets",
                pyfmt::percent(share, 1)
            )),
            ..risk(
                "risk_type_concentration",
                "Asset Type Concentration",
                severity,
            )
        });
    }

    if let (1, Some(only)) = (selected.len(), selected.get(0)) {
        nodes.push(ExplanationNode {
            asset_ids: Some(vec![only.asset.asset_id.clone()]),
            detail: Some(
                "All proceeds come from a single asset, creating concentration risk".to_owned(),
            ),
            ..risk(
                "risk_single_asset",
                "Single Asset Selection",
                Severity::Warning,
            )
        });
    }

    if let (Some(before), Some(after)) = (
        outcome.fixed_charge_coverage_before,
        outcome.fixed_charge_coverage_after,
    ) && after < before
    {
        let degradation = (before - after) / before;
        if degradation > 0.1 {
            let severity = if degradation > 0.2 {
                Severity::Warning
            } else {
                Severity::Info
            };
            nodes.push(ExplanationNode {
                metric: Some("fixed_charge_coverage".to_owned()),
                baseline_value: Some(before),
                post_value: Some(after),
                detail: Some(format!(
                    "Fixed charge coverage decreased by {} due to added lease expense",
                    pyfmt::percent(degradation, 1)
                )),
                ..risk(
                    "risk_fcc_degradation",
                    "Fixed Charge Coverage Reduced",
                    severity,
                )
            });
        }
    }

    nodes
}

/// The key with the largest share of proceeds, and that share. Proceeds are summed per key in
/// pick order; ties go to the key seen first. `None` when total proceeds are zero.
fn top_share<'a>(
    selected: &'a SelectedAssets,
    key: impl Fn(SelectedAsset<'a>) -> &'a str,
) -> Option<(&'a str, f64)> {
    let mut sums: Vec<(&str, f64)> = Vec::new();
    let mut position: HashMap<&str, usize> = HashMap::new();
    let mut total = 0.0;
    for selection in selected {
        let k = key(selection);
        let slot = *position.entry(k).or_insert_with(|| {
            sums.push((k, 0.0));
            sums.len() - 1
        });
        sums[slot].1 += selection.proceeds;
        total += selection.proceeds;
    }
    if total == 0.0 {
        return None;
    }
    let (top, top_sum) = sums
        .into_iter()
        .reduce(|best, next| if next.1 > best.1 { next } else { best })?;
    Some((top, top_sum / total))
}
