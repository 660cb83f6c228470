//! Terminal tables for outcomes and explanations.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Table};
use engine::model::{ExplanationNode, ProgramOutcome, SelectorSpec};

use crate::format::{money, money_short, percent, ratio};

fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_header(header.to_vec());
    t
}

fn right(text: impl Into<String>) -> Cell {
    Cell::new(text.into()).set_alignment(CellAlignment::Right)
}

/// Status line, selected assets, before/after metrics, violations and warnings.
pub fn outcome(spec: &SelectorSpec, outcome: &ProgramOutcome) -> String {
    let threshold_note = format!("target {}", money(spec.target_amount));
    let mut out = format!(
        "Status: {}   Proceeds: {} ({})   Assets sold: {}\n\n",
        outcome.status.as_str().to_uppercase(),
        money(outcome.proceeds),
        threshold_note,
        outcome.selected_assets.len()
    );

    if !outcome.selected_assets.is_empty() {
        let mut t = table(&[
            "#",
            "Asset",
            "Type",
            "Market",
            "Criticality",
            "Proceeds",
            "SLB rent",
        ]);
        for (i, s) in outcome.selected_assets.iter().enumerate() {
            let name = match &s.asset.name {
                Some(name) => format!("{name} ({})", s.asset.asset_id),
                None => s.asset.asset_id.clone(),
            };
            t.add_row(vec![
                right((i + 1).to_string()),
                Cell::new(name),
                Cell::new(s.asset.asset_type.as_str()),
                Cell::new(&s.asset.market),
                right(format!("{:.2}", s.asset.criticality)),
                right(money_short(s.proceeds)),
                right(money_short(s.slb_rent)),
            ]);
        }
        let rent: f64 = outcome.selected_assets.iter().map(|s| s.slb_rent).sum();
        t.add_row(vec![
            Cell::new(""),
            Cell::new("Total"),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
            right(money_short(outcome.proceeds)),
            right(money_short(rent)),
        ]);
        out.push_str("Selected assets\n");
        out.push_str(&t.to_string());
        out.push_str("\n\n");
    }

    let hard = &spec.hard_constraints;
    let limit = |v: Option<f64>, prefix: &str| {
        v.map_or("—".to_string(), |v| {
            format!("{prefix} {}", ratio(Some(v)))
        })
    };
    let mut t = table(&["Metric", "Before", "After", "Limit"]);
    t.add_row(vec![
        Cell::new("Net leverage"),
        right(ratio(outcome.leverage_before)),
        right(ratio(outcome.leverage_after)),
        right(limit(hard.max_net_leverage, "≤")),
    ]);
    t.add_row(vec![
        Cell::new("Interest coverage"),
        right(ratio(outcome.interest_coverage_before)),
        right(ratio(outcome.interest_coverage_after)),
        right(limit(hard.min_interest_coverage, "≥")),
    ]);
    t.add_row(vec![
        Cell::new("Fixed-charge coverage"),
        right(ratio(outcome.fixed_charge_coverage_before)),
        right(ratio(outcome.fixed_charge_coverage_after)),
        right(limit(hard.min_fixed_charge_coverage, "≥")),
    ]);
    t.add_row(vec![
        Cell::new("Critical NOI share"),
        right("—"),
        right(percent(outcome.critical_fraction)),
        right(
            hard.max_critical_fraction
                .map_or("—".to_string(), |v| format!("≤ {}", percent(v))),
        ),
    ]);
    out.push_str("Metrics\n");
    out.push_str(&t.to_string());
    out.push('\n');

    if !outcome.violations.is_empty() {
        out.push_str("\nViolations\n");
        for v in &outcome.violations {
            out.push_str(&format!("  ✗ {}: {}\n", v.code, v.detail));
        }
    }
    if !outcome.warnings.is_empty() {
        out.push_str("\nWarnings\n");
        for w in &outcome.warnings {
            out.push_str(&format!("  ! {w}\n"));
        }
    }
    out
}

/// Explanation nodes, one line each, marked by severity.
pub fn explanation_nodes(nodes: &[ExplanationNode]) -> String {
    if nodes.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nExplanation\n");
    for node in nodes {
        let mark = match node.severity {
            engine::model::Severity::Error => "✗",
            engine::model::Severity::Warning => "!",
            engine::model::Severity::Info => "·",
        };
        let detail = node.detail.as_deref().unwrap_or("");
        out.push_str(&format!(
            "  {mark} [{}] {}: {detail}\n",
            node.category, node.label
        ));
    }
    out
}
