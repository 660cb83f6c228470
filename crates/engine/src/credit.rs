//! Credit and transaction analysis (docs/credit.md): what a program does to the company in the
//! lenses treasurers and rating agencies use, what cash it leaves after tax and mortgages, and
//! what the capital costs.
//!
//! The reference metrics (SPEC §4) hold EBITDA flat and never count leases as debt; they are
//! kept as they are (`reported_leverage`). The lenses here are additive: covenant leverage
//! (US GAAP, rent reduces EBITDA), lease-adjusted leverage (rating agencies' rent multiple),
//! IFRS 16 leverage (leases at present value) and two coverages. Two of them can be hard
//! constraints; [`covenant_leverage_after`] and [`lease_adjusted_leverage_after`] are what the
//! constraint check, greedy and the optimiser's rows agree on.
//!
//! Every function is pure and reads its assumptions from the run's [`EngineConfig`].

use crate::config::EngineConfig;
use crate::economics::SelectionTotals;
use crate::model::{
    Asset, Assumptions, CorporateState, CreditAnalysis, CreditMetric, CreditMetricName,
    HardConstraints, ProgramOutcome, SelectedAssets, TransactionSummary,
};
use crate::selection::columns::CreditFields;

/// The asset's tax basis: its own, or its book value.
#[inline]
pub fn tax_basis(asset: &Asset) -> f64 {
    asset.tax_basis.unwrap_or(asset.book_value)
}

/// Tax on a program's taxable gain: losses offset gains, a net loss pays none.
#[inline]
pub fn tax_on(taxable_gain: f64, config: &EngineConfig) -> f64 {
    config.credit.tax_rate * taxable_gain.max(0.0)
}

/// Net debt repaid from proceeds after tax: `min(ND, P − T)` (a mortgage is part of the net
/// debt, so paying it off is repayment too).
#[inline]
pub fn debt_repaid(state: &CorporateState, proceeds: f64, tax: f64) -> f64 {
    state.net_debt.min(proceeds - tax)
}

/// Present value of one dollar of first-year rent, growing at the escalator, over the lease
/// term, discounted at the lease discount rate.
pub fn pv_factor(config: &EngineConfig) -> f64 {
    let growth = 1.0 + config.credit.rent_escalator;
    let discount = 1.0 + config.lease_discount_rate();
    (1..=config.credit.lease_term_years as i32)
        .map(|t| growth.powi(t - 1) / discount.powi(t))
        .sum()
}

/// `numerator / denominator`, or `None` when the denominator is not above `floor`.
fn ratio_above(numerator: f64, denominator: f64, floor: f64) -> Option<f64> {
    (denominator > floor).then(|| numerator / denominator)
}

/// `numerator / denominator`, or `None` when the denominator is below `floor`.
fn ratio_from(numerator: f64, denominator: f64, floor: f64) -> Option<f64> {
    (denominator >= floor).then(|| numerator / denominator)
}

/// Covenant leverage with `repaid` of debt repaid and `rent` of new rent:
/// `(ND − D) / (E − R)`, `None` when `E − R ≤ ε`.
fn covenant_leverage(state: &CorporateState, repaid: f64, rent: f64, epsilon: f64) -> Option<f64> {
    ratio_above(state.net_debt - repaid, state.ebitda - rent, epsilon)
}

/// Leverage with every rent capitalised at `multiple`: `(ND − D + k·(L0 + R)) / (E + L0)`,
/// `None` when `E + L0 ≤ ε` — the rating agencies' lens with their rent multiple, IFRS 16's
/// with the present-value factor.
fn capitalised_leverage(
    state: &CorporateState,
    repaid: f64,
    rent: f64,
    multiple: f64,
    epsilon: f64,
) -> Option<f64> {
    let leases = state.lease_expense.unwrap_or(0.0);
    ratio_above(
        state.net_debt - repaid + multiple * (leases + rent),
        state.ebitda + leases,
        epsilon,
    )
}

/// Debt repaid by a selection with these totals, after the tax on its gain.
fn repaid_by(state: &CorporateState, totals: &SelectionTotals, config: &EngineConfig) -> f64 {
    debt_repaid(state, totals.proceeds, tax_on(totals.taxable_gain, config))
}

/// Covenant leverage after selling a selection with these totals.
pub fn covenant_leverage_after(
    state: &CorporateState,
    totals: &SelectionTotals,
    config: &EngineConfig,
) -> Option<f64> {
    let repaid = repaid_by(state, totals, config);
    covenant_leverage(state, repaid, totals.slb_rent, config.epsilon)
}

/// Lease-adjusted (rating-agency) leverage after selling a selection with these totals.
pub fn lease_adjusted_leverage_after(
    state: &CorporateState,
    totals: &SelectionTotals,
    config: &EngineConfig,
) -> Option<f64> {
    let repaid = repaid_by(state, totals, config);
    let multiple = config.credit.lease_multiple;
    capitalised_leverage(state, repaid, totals.slb_rent, multiple, config.epsilon)
}

/// Whether judging a selection against `hard` reads its taxable gain (only the lease-aware
/// limits do: the tax reduces the debt repaid). Selection skips the gain otherwise.
pub fn needs_taxable_gain(hard: &HardConstraints) -> bool {
    hard.max_lease_adjusted_leverage.is_some() || hard.max_covenant_leverage.is_some()
}

/// The lease-aware lenses after the sale that the hard constraints name, computed only when
/// a constraint needs them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LeaseAwareLeverage {
    pub lease_adjusted: Option<f64>,
    pub covenant: Option<f64>,
}

impl LeaseAwareLeverage {
    /// The lenses `hard` constrains, for a selection with these totals.
    pub fn constrained(
        state: &CorporateState,
        totals: &SelectionTotals,
        hard: &HardConstraints,
        config: &EngineConfig,
    ) -> Self {
        LeaseAwareLeverage {
            lease_adjusted: hard
                .max_lease_adjusted_leverage
                .and_then(|_| lease_adjusted_leverage_after(state, totals, config)),
            covenant: hard
                .max_covenant_leverage
                .and_then(|_| covenant_leverage_after(state, totals, config)),
        }
    }
}

/// The program's cash flows and the company's figures that every lens is computed from.
#[derive(Debug, Clone, Copy)]
struct ProgramFigures {
    rent: f64,
    repaid: f64,
    interest_after: f64,
}

impl ProgramFigures {
    /// Nothing sold.
    fn none(state: &CorporateState) -> Self {
        ProgramFigures {
            rent: 0.0,
            repaid: 0.0,
            interest_after: state.interest_expense,
        }
    }
}

/// The five lenses beyond the reference's (covenant, lease-adjusted, IFRS 16 leverage;
/// covenant interest and EBITDAR fixed-charge coverage), in [`CreditMetricName::ALL`] order.
fn lenses(
    state: &CorporateState,
    figures: &ProgramFigures,
    pv_factor: f64,
    config: &EngineConfig,
) -> [Option<f64>; 5] {
    let epsilon = config.epsilon;
    let (repaid, rent) = (figures.repaid, figures.rent);
    let ebitda = state.ebitda;
    let leases = state.lease_expense.unwrap_or(0.0);
    let ebitdar = ebitda + leases;
    let rents = leases + rent;
    let multiple = config.credit.lease_multiple;
    [
        covenant_leverage(state, repaid, rent, epsilon),
        capitalised_leverage(state, repaid, rent, multiple, epsilon),
        capitalised_leverage(state, repaid, rent, pv_factor, epsilon),
        ratio_from(ebitda - rent, figures.interest_after, epsilon),
        ratio_from(ebitdar, figures.interest_after + rents, epsilon),
    ]
}

/// Lowest and highest rates the cost-of-capital search considers.
const IRR_RANGE: (f64, f64) = (-0.99, 10.0);

/// Net present value of yearly `flows` (year 0 first) at `rate`.
fn npv(flows: &[f64], rate: f64) -> f64 {
    let base = 1.0 + rate;
    let mut discount = 1.0;
    let mut value = 0.0;
    for flow in flows {
        value += flow / discount;
        discount *= base;
    }
    value
}

/// The rate in [`IRR_RANGE`] at which `flows` have no value, by bisection; `None` when the
/// NPV has the same sign at both ends (the flows change sign once, so there is at most one
/// root).
fn internal_rate(flows: &[f64]) -> Option<f64> {
    let (mut low, mut high) = IRR_RANGE;
    let (at_low, at_high) = (npv(flows, low), npv(flows, high));
    if !(at_low.is_finite() && at_high.is_finite()) {
        return None;
    }
    if at_low == 0.0 {
        return Some(low);
    }
    if at_high == 0.0 {
        return Some(high);
    }
    if (at_low > 0.0) == (at_high > 0.0) {
        return None;
    }
    let low_positive = at_low > 0.0;
    // Halving an interval of 11 down to 1e-13 takes 47 steps: far inside the 1e-6 a rate is
    // reported to.
    while high - low > 1e-13 {
        let middle = 0.5 * (low + high);
        if middle <= low || middle >= high {
            break;
        }
        let value = npv(flows, middle);
        if value == 0.0 {
            return Some(middle);
        }
        if (value > 0.0) == low_positive {
            low = middle;
        } else {
            high = middle;
        }
    }
    Some(0.5 * (low + high))
}

/// After-tax cash flows of "sell and lease back" minus "keep", years 0…N: proceeds after tax,
/// then the after-tax rent, and in year N the property value given up.
fn differential_flows(
    after_tax_proceeds: f64,
    rent: f64,
    market_value: f64,
    config: &EngineConfig,
) -> Vec<f64> {
    let credit = &config.credit;
    let term = credit.lease_term_years as i32;
    let mut flows = Vec::with_capacity(term as usize + 1);
    flows.push(after_tax_proceeds);
    for year in 1..=term {
        flows.push(-rent * (1.0 + credit.rent_escalator).powi(year - 1) * (1.0 - credit.tax_rate));
    }
    if let Some(last) = flows.last_mut().filter(|_| term > 0) {
        *last -= market_value * (1.0 + credit.residual_growth).powi(term);
    }
    flows
}

/// Σ book value, Σ tax basis and Σ mortgage of a selection's assets.
///
/// Read from the portfolio's credit column, not the assets: a large program touches thousands
/// of picks, and each asset record is several cache lines away from the next. The sums run in
/// four interleaved lanes: one running sum would make every pick wait on the previous
/// addition, and these figures feed no constraint check whose bits they must match.
fn credit_sums(selected: &SelectedAssets) -> CreditFields {
    const LANES: usize = 4;
    let column = &selected.portfolio().columns().credit;
    let mut lanes = [CreditFields::default(); LANES];
    let picks = selected.picks();
    let mut chunks = picks.chunks_exact(LANES);
    for chunk in &mut chunks {
        for (lane, pick) in lanes.iter_mut().zip(chunk) {
            lane.add(&column[pick.position]);
        }
    }
    for (lane, pick) in lanes.iter_mut().zip(chunks.remainder()) {
        lane.add(&column[pick.position]);
    }
    let [a, b, c, d] = lanes;
    CreditFields {
        book_value: (a.book_value + b.book_value) + (c.book_value + d.book_value),
        tax_basis: (a.tax_basis + b.tax_basis) + (c.tax_basis + d.tax_basis),
        mortgage: (a.mortgage + b.mortgage) + (c.mortgage + d.mortgage),
    }
}

/// The credit analysis of an outcome (docs/credit.md §2–§3, §5). `config` is the run's
/// configuration (assumptions applied); `assumptions` are the request's, echoed resolved.
pub fn credit_analysis(
    outcome: &ProgramOutcome,
    state: &CorporateState,
    hard: &HardConstraints,
    config: &EngineConfig,
    assumptions: Option<&Assumptions>,
) -> CreditAnalysis {
    let selected = &outcome.selected_assets;
    // Proceeds and rent are the selection's own left-to-right sums, bit-identical to the
    // totals the constraint check judged, so the lenses reported here are the ones it judged.
    let proceeds = selected.total_proceeds();
    let rent = selected.total_slb_rent();
    let sums = credit_sums(selected);
    let book_gain = proceeds - sums.book_value;
    let taxable_gain = proceeds - sums.tax_basis;
    let mortgage_payoff = sums.mortgage;
    // Every asset's proceeds are its value less the same haircut.
    let market_value = proceeds / (1.0 - config.transaction_haircut);
    let tax = tax_on(taxable_gain, config);
    let repaid = debt_repaid(state, proceeds, tax);
    let cost_of_debt = config.avg_cost_of_debt;
    let interest_after = (state.interest_expense - repaid * cost_of_debt).max(0.0);
    let pv_factor = pv_factor(config);
    let after_tax_cost_of_debt = cost_of_debt * (1.0 - config.credit.tax_rate);
    let flows = differential_flows(proceeds - tax, rent, market_value, config);
    let transaction = TransactionSummary {
        gross_proceeds: proceeds,
        market_value,
        new_rent: rent,
        book_gain,
        taxable_gain,
        tax,
        mortgage_payoff,
        debt_repaid: repaid,
        surplus_cash: (proceeds - tax - state.net_debt).max(0.0),
        net_cash_after_payoff: proceeds - tax - mortgage_payoff,
        interest_after,
        pv_factor,
        lease_liability_new: pv_factor * rent,
        rent_yield: ratio_from(rent, proceeds, config.epsilon),
        after_tax_cost_of_debt,
        slb_cost_of_capital: if outcome.selected_assets.is_empty() {
            None
        } else {
            internal_rate(&flows)
        },
        npv_vs_debt: npv(&flows, after_tax_cost_of_debt),
    };

    let after_figures = ProgramFigures {
        rent,
        repaid,
        interest_after,
    };
    let before = lenses(state, &ProgramFigures::none(state), pv_factor, config);
    let after = lenses(state, &after_figures, pv_factor, config);
    let metrics = CreditMetricName::ALL
        .iter()
        .enumerate()
        .map(|(index, &name)| {
            let (before, after) = match index {
                0 => (outcome.leverage_before, outcome.leverage_after),
                lens => (before[lens - 1], after[lens - 1]),
            };
            CreditMetric {
                name,
                before: before.filter(|value| value.is_finite()),
                after: after.filter(|value| value.is_finite()),
                limit: limit_of(name, hard),
                definition: name.definition().to_owned(),
            }
        })
        .collect();
    CreditAnalysis {
        assumptions: config.resolved_assumptions(assumptions),
        transaction,
        metrics,
    }
}

/// The spec's hard constraint on a lens (interest coverage binds the reference metric, so it
/// is not mapped).
fn limit_of(name: CreditMetricName, hard: &HardConstraints) -> Option<f64> {
    match name {
        CreditMetricName::ReportedLeverage => hard.max_net_leverage,
        CreditMetricName::LeaseAdjustedLeverage => hard.max_lease_adjusted_leverage,
        CreditMetricName::CovenantLeverage => hard.max_covenant_leverage,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_of_a_loan_is_found() {
        // Borrow 100, repay 10 a year for 10 years and 100 at the end: 10 %.
        let mut flows = vec![100.0];
        flows.extend(std::iter::repeat_n(-10.0, 10));
        *flows.last_mut().unwrap() -= 100.0;
        let rate = internal_rate(&flows).unwrap();
        assert!((rate - 0.10).abs() < 1e-12, "{rate}");
    }

    #[test]
    fn flows_of_one_sign_have_no_rate() {
        assert_eq!(internal_rate(&[1.0, 2.0, 3.0]), None);
    }

    #[test]
    fn a_one_year_lease_at_zero_growth_is_one_discounted_payment() {
        let mut config = EngineConfig::default();
        config.credit.lease_term_years = 1;
        config.credit.lease_discount_rate = Some(0.25);
        assert_eq!(pv_factor(&config), 0.8);
    }
}
