//! Insights: the findings about a program a CFO would want spelled out, each citing the
//! engine's own numbers (docs/credit.md §5).
//!
//! They travel in `ProgramResponse.insights`, apart from the reference's explanation nodes
//! (whose wording and order are the reference's), in the same [`ExplanationNode`] shape. Each
//! finding has a stable `id` (`insight_…`) so the UI and tests can find it.

use crate::config::EngineConfig;
use crate::explain::node;
use crate::model::{
    CorporateState, CreditAnalysis, CreditMetricName, ExplanationNode, NodeCategory,
    ProgramOutcome, Severity,
};
use crate::pyfmt;

/// New rent above this share of EBITDA is flagged: beyond it the program's fixed charges start
/// to dominate the company's cash earnings.
pub const RENT_TO_EBITDA_WARNING: f64 = 0.15;

/// An amount of money as people read it in a sentence: `$14.2M`, `$1.25B`, `$850k`.
pub fn short_money(amount: f64) -> String {
    let sign = if amount < 0.0 { "−" } else { "" };
    let value = amount.abs();
    let body = if value >= 1e9 {
        format!("{}B", pyfmt::fixed(value / 1e9, 2))
    } else if value >= 1e6 {
        format!("{}M", pyfmt::fixed(value / 1e6, 1))
    } else if value >= 1e3 {
        format!("{}k", pyfmt::fixed(value / 1e3, 0))
    } else {
        pyfmt::fixed(value, 0)
    };
    format!("{sign}${body}")
}

/// A ratio as `4.12x`, or `n/m` when it is not meaningful.
pub fn times(value: Option<f64>) -> String {
    match value {
        Some(value) => format!("{}x", pyfmt::fixed(value, 2)),
        None => "n/m".to_owned(),
    }
}

fn percent(value: f64) -> String {
    pyfmt::percent(value, 1)
}

/// The findings on a finished program, most consequential first: what rating agencies and
/// covenants will see, the cash left after tax and mortgages, the cost of the capital, the
/// rent burden.
pub fn credit_insights(
    outcome: &ProgramOutcome,
    analysis: &CreditAnalysis,
    state: &CorporateState,
    config: &EngineConfig,
) -> Vec<ExplanationNode> {
    let mut insights = Vec::new();
    if outcome.selected_assets.is_empty() {
        return insights;
    }
    let trade = &analysis.transaction;
    let lens = |name| analysis.metric(name).cloned();
    let reported = lens(CreditMetricName::ReportedLeverage);
    let lease_adjusted = lens(CreditMetricName::LeaseAdjustedLeverage);
    let covenant = lens(CreditMetricName::CovenantLeverage);

    if let (Some(reported), Some(lease_adjusted)) = (&reported, &lease_adjusted) {
        insights.extend(rating_agency_view(
            reported,
            lease_adjusted,
            trade.new_rent,
            config,
        ));
    }
    if let (Some(reported), Some(covenant)) = (&reported, &covenant) {
        insights.extend(covenant_view(reported, covenant, trade.new_rent));
    }
    if trade.tax > 0.0 {
        let mut finding = node(
            "insight_tax_leakage",
            "Tax on the Gain",
            Severity::Info,
            NodeCategory::Driver,
        );
        finding.metric = Some("tax".to_owned());
        finding.post_value = Some(trade.tax);
        finding.detail = Some(format!(
            "The sale realises a taxable gain of {} over tax basis; tax at {} takes {} ({} of gross proceeds), so {} is left to repay debt.",
            short_money(trade.taxable_gain),
            percent(config.credit.tax_rate),
            short_money(trade.tax),
            percent(trade.tax / trade.gross_proceeds),
            short_money(trade.gross_proceeds - trade.tax),
        ));
        insights.push(finding);
    }
    if trade.mortgage_payoff > 0.0 {
        let short = trade.net_cash_after_payoff < 0.0;
        let mut finding = node(
            "insight_mortgage_payoff",
            if short {
                "Mortgages Exceed the Cash Raised"
            } else {
                "Mortgages Paid Off at Sale"
            },
            if short {
                Severity::Warning
            } else {
                Severity::Info
            },
            NodeCategory::Risk,
        );
        finding.metric = Some("net_cash_after_payoff".to_owned());
        finding.post_value = Some(trade.net_cash_after_payoff);
        finding.detail = Some(format!(
            "{} of mortgages on the sold properties are repaid at closing: the treasury receives {} after tax and payoffs.",
            short_money(trade.mortgage_payoff),
            short_money(trade.net_cash_after_payoff),
        ));
        insights.push(finding);
    }
    insights.push(cost_of_capital(analysis));
    if state.ebitda > config.epsilon {
        let share = trade.new_rent / state.ebitda;
        if share > RENT_TO_EBITDA_WARNING {
            let mut finding = node(
                "insight_rent_burden",
                "Heavy New Rent",
                Severity::Warning,
                NodeCategory::Risk,
            );
            finding.metric = Some("new_rent".to_owned());
            finding.post_value = Some(trade.new_rent);
            finding.threshold = Some(RENT_TO_EBITDA_WARNING * state.ebitda);
            finding.detail = Some(format!(
                "The new leases cost {} a year, {} of EBITDA (flagged above {}): the company commits {} of its cash earnings to rent for {} years.",
                short_money(trade.new_rent),
                percent(share),
                percent(RENT_TO_EBITDA_WARNING),
                percent(share),
                config.credit.lease_term_years,
            ));
            insights.push(finding);
        }
    }
    if trade.surplus_cash > 0.0 {
        let mut finding = node(
            "insight_surplus_cash",
            "Proceeds Beyond Net Debt",
            Severity::Info,
            NodeCategory::Driver,
        );
        finding.metric = Some("surplus_cash".to_owned());
        finding.post_value = Some(trade.surplus_cash);
        finding.detail = Some(format!(
            "After tax the program raises {} more than the company's net debt: that cash earns no interest saving in this model.",
            short_money(trade.surplus_cash),
        ));
        insights.push(finding);
    }
    insights
}

/// How much of the reported deleveraging the rating agencies will see once the new rent is
/// capitalised.
fn rating_agency_view(
    reported: &crate::model::CreditMetric,
    lease_adjusted: &crate::model::CreditMetric,
    new_rent: f64,
    config: &EngineConfig,
) -> Option<ExplanationNode> {
    let (before, after) = (lease_adjusted.before?, lease_adjusted.after?);
    let multiple = config.credit.lease_multiple;
    let reported_drop = match (reported.before, reported.after) {
        (Some(b), Some(a)) => b - a,
        _ => 0.0,
    };
    let drop = before - after;
    let share_seen = if reported_drop > 0.0 {
        Some(drop / reported_drop)
    } else {
        None
    };
    let breached = lease_adjusted.limit.is_some_and(|limit| after > limit);
    let severity = if breached || after > before || share_seen.is_some_and(|s| s < 0.5) {
        Severity::Warning
    } else {
        Severity::Info
    };
    let movement = if after < before {
        format!(
            "falls from {} to {}",
            times(Some(before)),
            times(Some(after))
        )
    } else {
        format!(
            "rises from {} to {}",
            times(Some(before)),
            times(Some(after))
        )
    };
    let seen = match share_seen {
        Some(share) if reported_drop > 0.0 => format!(
            " — {} of the {} improvement in reported leverage ({} → {})",
            percent(share.max(0.0)),
            times(Some(reported_drop)),
            times(reported.before),
            times(reported.after),
        ),
        _ => String::new(),
    };
    let mut finding = node(
        "insight_lease_adjusted_leverage",
        "What Rating Agencies See",
        severity,
        NodeCategory::Risk,
    );
    finding.metric = Some("lease_adjusted_leverage".to_owned());
    finding.baseline_value = Some(before);
    finding.post_value = Some(after);
    finding.threshold = lease_adjusted.limit;
    finding.detail = Some(format!(
        "Rating agencies count the new {} of rent as {} of debt ({}x rent): lease-adjusted leverage {movement}{seen}.",
        short_money(new_rent),
        short_money(new_rent * multiple),
        pyfmt::fixed(multiple, 1),
    ));
    Some(finding)
}

/// Covenant leverage once the new rent comes out of EBITDA, against the reported figure and
/// the leverage limit the spec checks on it.
fn covenant_view(
    reported: &crate::model::CreditMetric,
    covenant: &crate::model::CreditMetric,
    new_rent: f64,
) -> Option<ExplanationNode> {
    let reported_after = reported.after?;
    let mut finding = node(
        "insight_covenant_leverage",
        "Leverage After the New Rent",
        Severity::Info,
        NodeCategory::Constraint,
    );
    finding.metric = Some("covenant_leverage".to_owned());
    finding.baseline_value = covenant.before;
    finding.post_value = covenant.after;
    finding.threshold = covenant.limit.or(reported.limit);
    let Some(after) = covenant.after else {
        finding.severity = Severity::Warning;
        finding.detail = Some(format!(
            "Once the new {} of rent is deducted, EBITDA is not positive: covenant leverage is not meaningful (reported leverage shows {}).",
            short_money(new_rent),
            times(Some(reported_after)),
        ));
        return Some(finding);
    };
    let against_limit = match reported.limit {
        Some(limit) if after > limit && reported_after <= limit => {
            finding.severity = Severity::Warning;
            format!(
                " — above the {} limit the reported figure appears to meet",
                times(Some(limit))
            )
        }
        Some(limit) if after > limit => {
            finding.severity = Severity::Warning;
            format!(" — above the {} limit", times(Some(limit)))
        }
        Some(limit) => format!(" — within the {} limit", times(Some(limit))),
        None => String::new(),
    };
    finding.detail = Some(format!(
        "With EBITDA reduced by the new {} of rent, leverage after the program is {}, not the {} reported with EBITDA held flat{against_limit}.",
        short_money(new_rent),
        times(Some(after)),
        times(Some(reported_after)),
    ));
    Some(finding)
}

/// The SLB's after-tax cost against the company's after-tax cost of debt.
fn cost_of_capital(analysis: &CreditAnalysis) -> ExplanationNode {
    let trade = &analysis.transaction;
    let debt = trade.after_tax_cost_of_debt;
    let mut finding = node(
        "insight_cost_of_capital",
        "Cost of SLB Capital",
        Severity::Info,
        NodeCategory::Driver,
    );
    finding.metric = Some("slb_cost_of_capital".to_owned());
    finding.post_value = trade.slb_cost_of_capital;
    finding.threshold = Some(debt);
    let verdict = if trade.npv_vs_debt >= 0.0 {
        format!(
            "cheaper than debt by {} in present value",
            short_money(trade.npv_vs_debt)
        )
    } else {
        finding.severity = Severity::Warning;
        format!(
            "dearer than debt by {} in present value",
            short_money(-trade.npv_vs_debt)
        )
    };
    let cost = match trade.slb_cost_of_capital {
        Some(rate) => format!("costs {} a year after tax", percent(rate)),
        None => "has no meaningful rate of cost".to_owned(),
    };
    finding.detail = Some(format!(
        "Counting the after-tax rent and the property value given up at the end of the {}-year lease, the SLB {cost} against {} for debt: {verdict}.",
        analysis.assumptions.lease_term_years,
        percent(debt),
    ));
    finding
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_in_sentences() {
        assert_eq!(short_money(14_230_000.0), "$14.2M");
        assert_eq!(short_money(1_250_000_000.0), "$1.25B");
        assert_eq!(short_money(850_400.0), "$850k");
        assert_eq!(short_money(-2_000_000.0), "−$2.0M");
        assert_eq!(times(None), "n/m");
        assert_eq!(times(Some(3.4149)), "3.41x");
    }
}
