//! Terminal tables for outcomes and explanations.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Table};
use engine::model::{
    AuditTrace, CreditAnalysis, CreditMetricName, ExplanationNode, ProgramOutcome, ProgramResponse,
    RunRecord, SelectorSpec, SpecFieldSource,
};

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
                Cell::new(s.asset.asset_type.label()),
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

/// Credit lenses side by side (before → after against the limit), the transaction from gross
/// proceeds to net cash, the cost of the capital, and the assumptions behind them.
pub fn credit(analysis: &CreditAnalysis) -> String {
    let mut lenses = table(&["Credit lens", "Before", "After", "Limit", "What it counts"]);
    for metric in &analysis.metrics {
        lenses.add_row(vec![
            Cell::new(metric.name.label()),
            right(ratio(metric.before)),
            right(ratio(metric.after)),
            right(metric.limit.map_or_else(String::new, |l| ratio(Some(l)))),
            Cell::new(&metric.definition),
        ]);
    }
    let trade = &analysis.transaction;
    let mut cash = table(&["Transaction", "Amount"]);
    for (label, amount) in [
        ("Gross proceeds", trade.gross_proceeds),
        ("Tax on gain", -trade.tax),
        ("Mortgage payoff", -trade.mortgage_payoff),
        ("Net cash after payoff", trade.net_cash_after_payoff),
        ("Debt repaid", trade.debt_repaid),
        ("New rent (year 1)", trade.new_rent),
        ("New lease liability (PV)", trade.lease_liability_new),
    ] {
        cash.add_row(vec![Cell::new(label), right(money_short(amount))]);
    }
    let a = &analysis.assumptions;
    let rate = |value: Option<f64>| value.map_or_else(|| "n/m".to_owned(), percent);
    format!(
        "\nCredit view\n{lenses}\n{cash}\nCost of capital: rent yield {}, SLB after-tax cost {} vs after-tax cost of debt {}; NPV vs debt {}\n  (CCIM differential: after-tax rent and the property value given up after {} years; depreciation shields and exit taxes not modelled)\nAssumptions: cap rates {:+} bps{}, haircut {}, rent {}x NOI, cost of debt {}, tax {}, lease {} years at {} escalator, discount {}, lease multiple {}x, residual growth {}\n",
        rate(trade.rent_yield),
        rate(trade.slb_cost_of_capital),
        percent(trade.after_tax_cost_of_debt),
        money_short(trade.npv_vs_debt),
        a.lease_term_years,
        a.cap_rate_shift_bps,
        if a.cap_rate_overrides.is_empty() {
            String::new()
        } else {
            format!(" ({} cells overridden)", a.cap_rate_overrides.len())
        },
        percent(a.transaction_haircut),
        a.rent_multiplier,
        percent(a.cost_of_debt),
        percent(a.tax_rate),
        a.lease_term_years,
        percent(a.rent_escalator),
        percent(a.lease_discount_rate),
        a.lease_multiple,
        percent(a.residual_growth),
    )
}

/// The findings on the program, one line each.
pub fn insights(insights: &[ExplanationNode]) -> String {
    if insights.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nInsights\n");
    for node in insights {
        let mark = match node.severity {
            engine::model::Severity::Error => "✗",
            engine::model::Severity::Warning => "!",
            engine::model::Severity::Info => "·",
        };
        out.push_str(&format!(
            "  {mark} {}: {}\n",
            node.label,
            node.detail.as_deref().unwrap_or("")
        ));
    }
    out
}

/// A finished program: the spec that ran, the outcome, the explanation and the audit trail.
pub fn program(response: &ProgramResponse) -> String {
    let spec = &response.selector_spec;
    let mut out = String::from("Program spec\n");
    out.push_str(&spec_summary(spec));
    out.push_str(&provenance(response));
    out.push('\n');
    out.push_str(&outcome(spec, &response.outcome));
    out.push_str(&format!("\nSummary\n  {}\n", response.explanation.summary));
    out.push_str(&explanation_nodes(&response.explanation.nodes));
    if let Some(analysis) = &response.credit_analysis {
        out.push_str(&credit(analysis));
    }
    out.push_str(&insights(response.insights.as_deref().unwrap_or_default()));
    if let Some(trace) = &response.audit_trace {
        out.push_str(&audit_trail(trace));
    }
    out
}

fn spec_summary(spec: &SelectorSpec) -> String {
    let hard = &spec.hard_constraints;
    let filters = &spec.asset_filters;
    let mut lines = vec![
        format!("  Target            {}", money(spec.target_amount)),
        format!("  Objective         {}", spec.objective.label()),
    ];
    let mut push = |label: &str, value: Option<String>| {
        if let Some(value) = value {
            lines.push(format!("  {label:<17} {value}"));
        }
    };
    push(
        "Max leverage",
        hard.max_net_leverage.map(|v| ratio(Some(v))),
    );
    push(
        "Min int. coverage",
        hard.min_interest_coverage.map(|v| ratio(Some(v))),
    );
    push(
        "Min FCC",
        hard.min_fixed_charge_coverage.map(|v| ratio(Some(v))),
    );
    push("Max critical NOI", hard.max_critical_fraction.map(percent));
    push(
        "Max lease-adj. lev",
        hard.max_lease_adjusted_leverage.map(|v| ratio(Some(v))),
    );
    push(
        "Max covenant lev.",
        hard.max_covenant_leverage.map(|v| ratio(Some(v))),
    );
    let types = |list: &Option<Vec<engine::model::AssetType>>| {
        list.as_ref()
            .filter(|l| !l.is_empty())
            .map(|l| l.iter().map(|t| t.label()).collect::<Vec<_>>().join(", "))
    };
    push("Only types", types(&filters.include_asset_types));
    push("Excluded types", types(&filters.exclude_asset_types));
    push(
        "Excluded markets",
        filters
            .exclude_markets
            .as_ref()
            .filter(|l| !l.is_empty())
            .map(|l| l.join("; ")),
    );
    push(
        "Max criticality",
        filters.max_criticality.map(|v| format!("{v:.2}")),
    );
    push(
        "Min leaseability",
        filters.min_leaseability_score.map(|v| format!("{v:.2}")),
    );
    let ids = |list: &Option<Vec<String>>| {
        list.as_ref()
            .filter(|l| !l.is_empty())
            .map(|l| l.join(", "))
    };
    push("Never sell", ids(&filters.exclude_asset_ids));
    push("Only sell", ids(&filters.include_asset_ids));
    push(
        "Max assets sold",
        hard.max_assets_sold.map(|n| n.to_string()),
    );
    lines.join("\n") + "\n"
}

/// How a spec field the user cares about reads in prose; `None` for the planner's internals
/// (preferences, iteration bound).
fn field_label(field: &str) -> Option<&'static str> {
    Some(match field {
        "target_amount" => "the target",
        "objective" => "the objective",
        "hard_constraints.max_net_leverage" => "the leverage limit",
        "hard_constraints.min_interest_coverage" => "the interest-coverage minimum",
        "hard_constraints.min_fixed_charge_coverage" => "the fixed-charge-coverage minimum",
        "hard_constraints.max_critical_fraction" => "the critical-asset share limit",
        "hard_constraints.max_lease_adjusted_leverage" => "the lease-adjusted leverage limit",
        "hard_constraints.max_covenant_leverage" => "the covenant leverage limit",
        "hard_constraints.max_assets_sold" => "the limit on assets sold",
        _ => return None,
    })
}

/// Where each field of the initial spec came from, and what the planner could not read.
pub fn provenance(response: &ProgramResponse) -> String {
    let mut out = String::new();
    if let Some(warnings) = response
        .planner_warnings
        .as_deref()
        .filter(|w| !w.is_empty())
    {
        out.push_str("\nPlanner warnings\n");
        for warning in warnings {
            out.push_str(&format!("  ! {warning}\n"));
        }
    }
    if let Some(entries) = response.provenance.as_deref() {
        let assumed: Vec<&str> = entries
            .iter()
            .filter(|p| p.source == SpecFieldSource::Default)
            .filter_map(|p| field_label(&p.field))
            .collect();
        if !assumed.is_empty() {
            out.push_str(&format!(
                "\nPlanner defaults (not in the brief): {}\n",
                assumed.join(", ")
            ));
        }
    }
    out
}

/// One block per iteration: target movement, outcome, violations and policy adjustments.
pub fn audit_trail(trace: &AuditTrace) -> String {
    let mut out = format!(
        "\nAudit trail (target {} from {}, floor {} = {} of original)\n",
        money(trace.original_target),
        match trace.target_source {
            engine::model::TargetSource::UserOverride => "user override",
            engine::model::TargetSource::LlmExtraction => "the brief",
        },
        money(trace.floor_target),
        percent(trace.floor_fraction),
    );
    for entry in &trace.entries {
        let label = if entry.iteration == 0 {
            "Initial".to_string()
        } else {
            format!("Revision {}", entry.iteration)
        };
        let target = match entry.target_before {
            Some(before) if before != entry.target_after => format!(
                "{} → {}",
                money_short(before),
                money_short(entry.target_after)
            ),
            _ => money_short(entry.target_after),
        };
        let o = &entry.outcome_snapshot;
        out.push_str(&format!(
            "  {label:<11} {:<11} target {target:<17} proceeds {:<9} leverage {} · FCC {}\n",
            o.status.as_str(),
            money_short(o.proceeds),
            ratio(o.leverage_after),
            ratio(o.fixed_charge_coverage_after),
        ));
        for v in &o.violations {
            out.push_str(&format!("      ✗ {}: {}\n", v.code, v.detail));
        }
        for p in &entry.policy_violations {
            out.push_str(&format!("      ↺ policy {}: {}\n", p.code, p.detail));
        }
    }
    for p in &trace.rejected_revision_violations {
        out.push_str(&format!("  Rejected revision: {}: {}\n", p.code, p.detail));
    }
    out
}

/// The scenario's requested target, and where the revision loop ended when it cut it.
fn scenario_target(response: &ProgramResponse) -> String {
    let last = response.selector_spec.target_amount;
    match &response.audit_trace {
        Some(trace) if trace.original_target != last => {
            format!(
                "{} → {}",
                money_short(trace.original_target),
                money_short(last)
            )
        }
        _ => money_short(last),
    }
}

/// Side-by-side comparison of a scenario set's runs.
pub fn scenario_table(runs: &[RunRecord]) -> String {
    let mut t = table(&[
        "Scenario",
        "Kind",
        "Target",
        "Proceeds",
        "Status",
        "Leverage after",
        "Lease-adj. lev. after",
        "FCC after",
        "After-tax proceeds",
        "Assets sold",
    ]);
    for run in runs {
        let label = run.scenario_label.clone().unwrap_or_default();
        let kind = run.scenario_kind.map(|k| k.label()).unwrap_or("");
        match &run.response {
            Some(response) => {
                let o = &response.outcome;
                let credit = response.credit_analysis.as_ref();
                let lease_adjusted = credit
                    .and_then(|c| c.metric(CreditMetricName::LeaseAdjustedLeverage))
                    .and_then(|m| m.after);
                let after_tax = credit.map_or_else(
                    || "—".to_owned(),
                    |c| money_short(c.transaction.gross_proceeds - c.transaction.tax),
                );
                t.add_row(vec![
                    Cell::new(label),
                    Cell::new(kind),
                    right(scenario_target(response)),
                    right(money_short(o.proceeds)),
                    Cell::new(o.status.as_str()),
                    right(ratio(o.leverage_after)),
                    right(ratio(lease_adjusted)),
                    right(ratio(o.fixed_charge_coverage_after)),
                    right(after_tax),
                    right(o.selected_assets.len().to_string()),
                ]);
            }
            None => {
                t.add_row(vec![
                    Cell::new(label),
                    Cell::new(kind),
                    right("—"),
                    right("—"),
                    Cell::new(format!("failed: {}", run.error.as_deref().unwrap_or(""))),
                    right("—"),
                    right("—"),
                    right("—"),
                    right("—"),
                    right("—"),
                ]);
            }
        }
    }
    t.to_string() + "\n"
}
