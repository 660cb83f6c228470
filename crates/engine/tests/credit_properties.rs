//! The credit analysis (CREDIT.md §2–§4) against an independent model written below from the
//! document alone — cap-rate curve, per-asset figures, program sums, tax, repayment, every
//! lens before and after, the lease liability and the CCIM cost of capital (with its own
//! root finder) — on random portfolios, companies, assumptions and selections; properties
//! of the analysis and of the per-run configuration; and a brute force over every subset of
//! small portfolios that the `optimal` strategy must agree with under the two lease-aware
//! leverage constraints, for every objective.
//!
//! Nothing here calls the credit module's formulas: the engine is only asked for its answers
//! (`credit_analysis`, `select_with`, `outcome_for_selection`, `asset_metrics` to price a
//! selection the way strategies do, and the reference constraint check of a subset).

use engine::economics::asset_metrics;
use engine::filters::apply_filters;
use engine::model::ViolationCode;
use engine::model::{
    Asset, AssetFilters, AssetType, Assumptions, CapRateOverride, CorporateState, CreditAnalysis,
    CreditMetricName, HardConstraints, MarketTier, Objective, Portfolio, ProgramOutcome,
    SelectedAssets, SelectionStatus, SelectionStrategy, SelectorSpec,
};
use engine::selection::{no_eligible_assets_outcome, outcome_for_selection};
use engine::{EngineConfig, credit_analysis, select_assets, select_with};
use proptest::prelude::*;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// The independent model (CREDIT.md §1.1, §2, §3)
// ---------------------------------------------------------------------------------------------

/// ε of CREDIT.md §3.
const EPSILON: f64 = 1e-9;
/// SPEC's target tolerance: proceeds ≥ target × 0.98 meet the target.
const TARGET_SHARE: f64 = 0.98;
/// An asset is critical when its criticality is strictly above this.
const CRITICALITY_THRESHOLD: f64 = 0.7;
/// Where the cost-of-capital search looks (CREDIT.md §3.2).
const IRR_LOW: f64 = -0.99;
const IRR_HIGH: f64 = 10.0;
/// The optimiser's documented gaps (`SearchLimits::default`): proceeds maximised to a relative
/// 1e-10; minima against the threshold to 1e-6 of the required proceeds.
const RELATIVE_GAP: f64 = 1e-10;
const THRESHOLD_GAP: f64 = 1e-6;

/// The default cap-rate curve: rows store, distribution center, office, mixed use, other;
/// columns market tiers 1, 2, 3.
const DEFAULT_CURVE: [[f64; 3]; 5] = [
    [0.055, 0.065, 0.075],
    [0.045, 0.055, 0.065],
    [0.060, 0.070, 0.080],
    [0.055, 0.065, 0.075],
    [0.070, 0.080, 0.090],
];

fn curve_row(asset_type: AssetType) -> usize {
    match asset_type {
        AssetType::Store => 0,
        AssetType::DistributionCenter => 1,
        AssetType::Office => 2,
        AssetType::MixedUse => 3,
        AssetType::Other => 4,
    }
}

/// A null tier is tier 2.
fn curve_column(tier: Option<MarketTier>) -> usize {
    match tier {
        Some(MarketTier::Primary) => 0,
        None | Some(MarketTier::Secondary) => 1,
        Some(MarketTier::Tertiary) => 2,
    }
}

/// Every assumption of a run, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Model {
    curve: [[f64; 3]; 5],
    haircut: f64,
    rent_multiplier: f64,
    cost_of_debt: f64,
    tax_rate: f64,
    term: u32,
    escalator: f64,
    discount: f64,
    multiple: f64,
    residual_growth: f64,
}

/// One asset's figures (§2).
#[derive(Debug, Clone, Copy)]
struct AssetFigures {
    cap_rate: f64,
    value: f64,
    proceeds: f64,
    rent: f64,
    gain: f64,
    mortgage: f64,
}

/// Sums over a selection, in selection order.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    count: usize,
    proceeds: f64,
    value: f64,
    rent: f64,
    book_gain: f64,
    taxable_gain: f64,
    mortgage: f64,
    critical_noi: f64,
}

/// What a selection does to the company (§3, §3.1 "after").
#[derive(Debug, Clone, Copy)]
struct After {
    tax: f64,
    repaid: f64,
    interest_after: f64,
    /// Reported leverage (SPEC §4.3: all proceeds repay debt, no tax, EBITDA flat).
    reported: Option<f64>,
    /// Covenant, lease-adjusted, IFRS 16 leverage; covenant interest, EBITDAR fixed-charge
    /// coverage.
    lenses: [Option<f64>; 5],
}

/// Every figure of the credit analysis of one selection.
#[derive(Debug, Clone)]
struct Expected {
    sums: Sums,
    after: After,
    reported_before: Option<f64>,
    lenses_before: [Option<f64>; 5],
    surplus_cash: f64,
    net_cash_after_payoff: f64,
    pv_factor: f64,
    lease_liability_new: f64,
    rent_yield: Option<f64>,
    after_tax_cost_of_debt: f64,
    slb_cost_of_capital: Option<f64>,
    npv_vs_debt: f64,
}

/// Leverage: null when the denominator is not above ε.
fn leverage(numerator: f64, denominator: f64) -> Option<f64> {
    if denominator > EPSILON {
        Some(numerator / denominator)
    } else {
        None
    }
}

/// Coverage: null when the denominator is below ε.
fn coverage(numerator: f64, denominator: f64) -> Option<f64> {
    if denominator < EPSILON {
        None
    } else {
        Some(numerator / denominator)
    }
}

/// The reference's ratio: null when |denominator| < ε.
fn reference_ratio(numerator: f64, denominator: f64) -> Option<f64> {
    if denominator.abs() < EPSILON {
        None
    } else {
        Some(numerator / denominator)
    }
}

impl Model {
    /// The run's assumptions: the request's, else the defaults of CREDIT.md §1.1. Overrides
    /// replace cells, then the shift moves every cell.
    fn of(assumptions: Option<&Assumptions>) -> Self {
        let a = assumptions.cloned().unwrap_or_default();
        let mut curve = DEFAULT_CURVE;
        for cell in a.cap_rate_overrides.iter().flatten() {
            curve[curve_row(cell.asset_type)][curve_column(Some(cell.market_tier))] = cell.cap_rate;
        }
        let shift = a.cap_rate_shift_bps.unwrap_or(0.0) / 10_000.0;
        for rate in curve.iter_mut().flatten() {
            *rate += shift;
        }
        let cost_of_debt = a.cost_of_debt.unwrap_or(0.06);
        Model {
            curve,
            haircut: a.transaction_haircut.unwrap_or(0.025),
            rent_multiplier: a.rent_multiplier.unwrap_or(1.0),
            cost_of_debt,
            tax_rate: a.tax_rate.unwrap_or(0.25),
            term: a.lease_term_years.map_or(15, |years| years as u32),
            escalator: a.rent_escalator.unwrap_or(0.02),
            discount: a.lease_discount_rate.unwrap_or(cost_of_debt),
            multiple: a.lease_multiple.unwrap_or(8.0),
            residual_growth: a.residual_growth.unwrap_or(0.02),
        }
    }

    fn asset(&self, asset: &Asset) -> AssetFigures {
        let cap_rate = self.curve[curve_row(asset.asset_type)][curve_column(asset.market_tier)];
        let value = asset.noi / cap_rate;
        let proceeds = value * (1.0 - self.haircut);
        let basis = asset.tax_basis.unwrap_or(asset.book_value);
        AssetFigures {
            cap_rate,
            value,
            proceeds,
            rent: asset.noi * self.rent_multiplier,
            gain: proceeds - basis,
            mortgage: asset.existing_debt_amount.unwrap_or(0.0),
        }
    }

    fn sums<'a>(&self, sold: impl IntoIterator<Item = &'a Asset>) -> Sums {
        let mut sums = Sums::default();
        for asset in sold {
            let figures = self.asset(asset);
            sums.count += 1;
            sums.proceeds += figures.proceeds;
            sums.value += figures.value;
            sums.rent += figures.rent;
            sums.book_gain += figures.proceeds - asset.book_value;
            sums.taxable_gain += figures.gain;
            sums.mortgage += figures.mortgage;
            if asset.criticality > CRITICALITY_THRESHOLD {
                sums.critical_noi += asset.noi;
            }
        }
        sums
    }

    /// §3.1 "after" (and, for no sale, "before").
    fn after(&self, state: &CorporateState, sums: &Sums) -> After {
        let (net_debt, ebitda, interest) = (state.net_debt, state.ebitda, state.interest_expense);
        let leases = state.lease_expense.unwrap_or(0.0);
        let rent = sums.rent;
        let tax = self.tax_rate * sums.taxable_gain.max(0.0);
        let repaid = net_debt.min(sums.proceeds - tax);
        let interest_after = (interest - repaid * self.cost_of_debt).max(0.0);
        let reference_repaid = sums.proceeds.min(net_debt);
        let pv_factor = self.pv_factor();
        After {
            tax,
            repaid,
            interest_after,
            reported: reference_ratio(net_debt - reference_repaid, ebitda),
            lenses: [
                leverage(net_debt - repaid, ebitda - rent),
                leverage(
                    net_debt - repaid + self.multiple * (leases + rent),
                    ebitda + leases,
                ),
                leverage(
                    net_debt - repaid + pv_factor * (leases + rent),
                    ebitda + leases,
                ),
                coverage(ebitda - rent, interest_after),
                coverage(ebitda + leases, interest_after + leases + rent),
            ],
        }
    }

    /// §3.1 "before", as the table writes it.
    fn before(&self, state: &CorporateState) -> (Option<f64>, [Option<f64>; 5]) {
        let (net_debt, ebitda, interest) = (state.net_debt, state.ebitda, state.interest_expense);
        let leases = state.lease_expense.unwrap_or(0.0);
        let ebitdar = ebitda + leases;
        (
            reference_ratio(net_debt, ebitda),
            [
                leverage(net_debt, ebitda),
                leverage(net_debt + self.multiple * leases, ebitdar),
                leverage(net_debt + self.pv_factor() * leases, ebitdar),
                coverage(ebitda, interest),
                coverage(ebitdar, interest + leases),
            ],
        )
    }

    /// Σ_{t=1..N} (1+g)^{t−1} / (1+r)^t in closed form (a geometric series of ratio
    /// q = (1+g)/(1+r)); summed term by term when q is too close to 1 for the closed form.
    fn pv_factor(&self) -> f64 {
        let (g, r, n) = (self.escalator, self.discount, self.term as i32);
        let q = (1.0 + g) / (1.0 + r);
        if (q - 1.0).abs() < 1e-4 {
            (0..n).map(|k| q.powi(k)).sum::<f64>() / (1.0 + r)
        } else {
            (1.0 - q.powi(n)) / (r - g)
        }
    }

    /// The CCIM differential flows, years 0…N (§3.2).
    fn flows(&self, after_tax_proceeds: f64, rent: f64, value: f64) -> Vec<f64> {
        let term = self.term as usize;
        let mut flows = Vec::with_capacity(term + 1);
        flows.push(after_tax_proceeds);
        let mut payment = rent * (1.0 - self.tax_rate);
        for _ in 0..term {
            flows.push(-payment);
            payment *= 1.0 + self.escalator;
        }
        flows[term] -= value * (1.0 + self.residual_growth).powf(term as f64);
        flows
    }

    /// Every figure of selling `sold` (in this order).
    fn expected<'a>(
        &self,
        sold: impl IntoIterator<Item = &'a Asset>,
        state: &CorporateState,
    ) -> Expected {
        let sums = self.sums(sold);
        let after = self.after(state, &sums);
        let (reported_before, lenses_before) = self.before(state);
        let pv_factor = self.pv_factor();
        let after_tax_proceeds = sums.proceeds - after.tax;
        let after_tax_cost_of_debt = self.cost_of_debt * (1.0 - self.tax_rate);
        let flows = self.flows(after_tax_proceeds, sums.rent, sums.value);
        Expected {
            surplus_cash: (after_tax_proceeds - state.net_debt).max(0.0),
            net_cash_after_payoff: after_tax_proceeds - sums.mortgage,
            pv_factor,
            lease_liability_new: pv_factor * sums.rent,
            rent_yield: if sums.proceeds < EPSILON {
                None
            } else {
                Some(sums.rent / sums.proceeds)
            },
            after_tax_cost_of_debt,
            slb_cost_of_capital: if sums.count == 0 {
                None
            } else {
                internal_rate(&flows)
            },
            npv_vs_debt: npv(&flows, after_tax_cost_of_debt),
            sums,
            after,
            reported_before,
            lenses_before,
        }
    }
}

/// NPV of yearly flows at `rate` and its derivative in the rate, as a polynomial in the
/// discount factor x = 1/(1 + rate) evaluated by Horner's rule.
fn npv_and_slope(flows: &[f64], rate: f64) -> (f64, f64) {
    let x = 1.0 / (1.0 + rate);
    let (mut value, mut slope_in_x) = (0.0, 0.0);
    for &flow in flows.iter().rev() {
        slope_in_x = slope_in_x * x + value;
        value = value * x + flow;
    }
    (value, -slope_in_x * x * x)
}

fn npv(flows: &[f64], rate: f64) -> f64 {
    npv_and_slope(flows, rate).0
}

/// The root of the NPV in [−0.99, 10] by Newton's method kept inside a sign-change bracket
/// (a bisection step whenever Newton would leave it); `None` when the NPV has one sign at both
/// ends.
fn internal_rate(flows: &[f64]) -> Option<f64> {
    let (at_low, at_high) = (npv(flows, IRR_LOW), npv(flows, IRR_HIGH));
    if !(at_low.is_finite() && at_high.is_finite()) {
        return None;
    }
    if at_low == 0.0 {
        return Some(IRR_LOW);
    }
    if at_high == 0.0 {
        return Some(IRR_HIGH);
    }
    if (at_low < 0.0) == (at_high < 0.0) {
        return None;
    }
    let (mut negative, mut positive) = if at_low < 0.0 {
        (IRR_LOW, IRR_HIGH)
    } else {
        (IRR_HIGH, IRR_LOW)
    };
    let mut rate = 0.1;
    for _ in 0..1000 {
        let (value, slope) = npv_and_slope(flows, rate);
        if value == 0.0 {
            return Some(rate);
        }
        if value < 0.0 {
            negative = rate;
        } else {
            positive = rate;
        }
        let (low, high) = (negative.min(positive), negative.max(positive));
        let newton = rate - value / slope;
        let next = if newton > low && newton < high {
            newton
        } else {
            0.5 * (low + high)
        };
        if (next - rate).abs() <= 1e-15 * (1.0 + rate.abs()) || high - low <= 1e-15 {
            return Some(next);
        }
        rate = next;
    }
    Some(rate)
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

/// Relative 1e-9, or `absolute` near zero; NaN never matches.
fn close(actual: f64, expected: f64, absolute: f64) -> bool {
    let diff = (actual - expected).abs();
    diff <= absolute || diff <= 1e-9 * actual.abs().max(expected.abs())
}

struct Mismatches(Vec<String>);

impl Mismatches {
    fn number(&mut self, name: &str, actual: f64, expected: f64, absolute: f64) {
        if !close(actual, expected, absolute) {
            self.0
                .push(format!("{name}: engine {actual:?}, model {expected:?}"));
        }
    }

    /// Null must match null.
    fn optional(&mut self, name: &str, actual: Option<f64>, expected: Option<f64>, absolute: f64) {
        match (actual, expected) {
            (None, None) => {}
            (Some(a), Some(e)) => self.number(name, a, e, absolute),
            _ => self
                .0
                .push(format!("{name}: engine {actual:?}, model {expected:?}")),
        }
    }

    fn check(&mut self, name: &str, ok: bool, detail: impl FnOnce() -> String) {
        if !ok {
            self.0.push(format!("{name}: {}", detail()));
        }
    }
}

/// Money: relative 1e-9, absolute 1e-3 $ near zero.
const MONEY: f64 = 1e-3;
/// Ratios and rates: relative 1e-9, absolute 1e-9 near zero.
const RATIO: f64 = 1e-9;
/// The cost of capital: absolute 1e-6.
const IRR: f64 = 1e-6;

/// Every field of `analysis` against the model.
fn compare(
    analysis: &CreditAnalysis,
    expected: &Expected,
    model: &Model,
    assumptions: Option<&Assumptions>,
    hard: &HardConstraints,
) -> Vec<String> {
    let mut m = Mismatches(Vec::new());
    let t = &analysis.transaction;
    let (sums, after) = (&expected.sums, &expected.after);
    m.number("gross_proceeds", t.gross_proceeds, sums.proceeds, MONEY);
    m.number("market_value", t.market_value, sums.value, MONEY);
    m.number("new_rent", t.new_rent, sums.rent, MONEY);
    m.number("book_gain", t.book_gain, sums.book_gain, MONEY);
    m.number("taxable_gain", t.taxable_gain, sums.taxable_gain, MONEY);
    m.number("tax", t.tax, after.tax, MONEY);
    m.number("mortgage_payoff", t.mortgage_payoff, sums.mortgage, MONEY);
    m.number("debt_repaid", t.debt_repaid, after.repaid, MONEY);
    m.number("surplus_cash", t.surplus_cash, expected.surplus_cash, MONEY);
    m.number(
        "net_cash_after_payoff",
        t.net_cash_after_payoff,
        expected.net_cash_after_payoff,
        MONEY,
    );
    m.number(
        "interest_after",
        t.interest_after,
        after.interest_after,
        MONEY,
    );
    m.number("pv_factor", t.pv_factor, expected.pv_factor, RATIO);
    m.number(
        "lease_liability_new",
        t.lease_liability_new,
        expected.lease_liability_new,
        MONEY,
    );
    m.optional("rent_yield", t.rent_yield, expected.rent_yield, RATIO);
    m.number(
        "after_tax_cost_of_debt",
        t.after_tax_cost_of_debt,
        expected.after_tax_cost_of_debt,
        RATIO,
    );
    m.optional(
        "slb_cost_of_capital",
        t.slb_cost_of_capital,
        expected.slb_cost_of_capital,
        IRR,
    );
    m.number("npv_vs_debt", t.npv_vs_debt, expected.npv_vs_debt, MONEY);

    let names: Vec<CreditMetricName> = analysis.metrics.iter().map(|x| x.name).collect();
    m.check("metrics", names == CreditMetricName::ALL, || {
        format!("{names:?} not in the order of §3.1")
    });
    let befores = [expected.reported_before]
        .into_iter()
        .chain(expected.lenses_before);
    let afters = [after.reported].into_iter().chain(after.lenses);
    for ((metric, before), after) in analysis.metrics.iter().zip(befores).zip(afters) {
        let name = metric.name.as_str();
        m.optional(&format!("{name}.before"), metric.before, before, RATIO);
        m.optional(&format!("{name}.after"), metric.after, after, RATIO);
        let limit = match metric.name {
            CreditMetricName::ReportedLeverage => hard.max_net_leverage,
            CreditMetricName::LeaseAdjustedLeverage => hard.max_lease_adjusted_leverage,
            CreditMetricName::CovenantLeverage => hard.max_covenant_leverage,
            _ => None,
        };
        m.check(&format!("{name}.limit"), metric.limit == limit, || {
            format!("{:?}, expected {limit:?}", metric.limit)
        });
        m.check(
            &format!("{name}.definition"),
            !metric.definition.is_empty(),
            || "empty".to_owned(),
        );
    }

    let r = &analysis.assumptions;
    let requested = assumptions.cloned().unwrap_or_default();
    m.check(
        "assumptions.cap_rate_shift_bps",
        r.cap_rate_shift_bps == requested.cap_rate_shift_bps.unwrap_or(0.0),
        || format!("{}", r.cap_rate_shift_bps),
    );
    m.check(
        "assumptions.cap_rate_overrides",
        r.cap_rate_overrides == requested.cap_rate_overrides.unwrap_or_default(),
        || format!("{:?}", r.cap_rate_overrides),
    );
    let resolved = [
        ("transaction_haircut", r.transaction_haircut, model.haircut),
        ("rent_multiplier", r.rent_multiplier, model.rent_multiplier),
        ("cost_of_debt", r.cost_of_debt, model.cost_of_debt),
        ("tax_rate", r.tax_rate, model.tax_rate),
        (
            "lease_term_years",
            r.lease_term_years as f64,
            f64::from(model.term),
        ),
        ("rent_escalator", r.rent_escalator, model.escalator),
        ("lease_discount_rate", r.lease_discount_rate, model.discount),
        ("lease_multiple", r.lease_multiple, model.multiple),
        ("residual_growth", r.residual_growth, model.residual_growth),
    ];
    for (name, actual, expected) in resolved {
        m.check(&format!("assumptions.{name}"), actual == expected, || {
            format!("engine {actual}, model {expected}")
        });
    }
    m.0
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const MARKETS: [&str; 3] = ["Dallas, TX", "Chicago, IL", "NYC"];
const TIERS: [MarketTier; 3] = [
    MarketTier::Primary,
    MarketTier::Secondary,
    MarketTier::Tertiary,
];

/// A value in [0, 1], half the time on a coarse grid.
fn unit() -> impl Strategy<Value = f64> {
    prop_oneof![(0u32..=20).prop_map(|k| f64::from(k) * 0.05), 0.0..=1.0f64]
}

/// An asset with or without tax basis, mortgage and market tier. Book values run from far
/// below to above the proceeds, so gains and losses both occur.
fn asset_strategy() -> impl Strategy<Value = Asset> {
    (
        prop::sample::select(AssetType::ALL),
        prop::option::of(prop::sample::select(TIERS.as_slice())),
        prop::sample::select(MARKETS.as_slice()),
        prop_oneof![
            1e4..2e7f64,
            (1u32..=12).prop_map(|k| f64::from(k) * 250_000.0)
        ],
        1.0..30.0f64,
        (unit(), unit()),
        prop::option::of(prop_oneof![Just(0.0), 0.0..30.0f64]),
        prop::option::of(prop_oneof![Just(0.0), 0.0..15.0f64]),
    )
        .prop_map(
            |(asset_type, tier, market, noi, book, (criticality, leaseability), basis, debt)| {
                Asset {
                    market_tier: tier,
                    tax_basis: basis.map(|share| share * noi),
                    existing_debt_amount: debt.map(|share| share * noi),
                    ..Asset::new(
                        "",
                        asset_type,
                        market,
                        noi,
                        book * noi,
                        criticality,
                        leaseability,
                    )
                }
            },
        )
}

fn portfolio_strategy(sizes: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Portfolio> {
    prop::collection::vec(asset_strategy(), sizes).prop_map(|assets| {
        assets
            .into_iter()
            .enumerate()
            .map(|(i, asset)| Asset {
                asset_id: format!("A{i:02}"),
                ..asset
            })
            .collect()
    })
}

fn override_strategy() -> impl Strategy<Value = CapRateOverride> {
    (
        prop::sample::select(AssetType::ALL),
        prop::sample::select(TIERS.as_slice()),
        0.003..0.5f64,
    )
        .prop_map(|(asset_type, tier, cap_rate)| CapRateOverride {
            asset_type,
            market_tier: tier,
            cap_rate,
        })
}

/// Cap rates at or below 0.005 are refused by validation: raise the shift until every cell
/// of the curve is above 0.006.
fn keep_cap_rates_valid(assumptions: &mut Assumptions) {
    let shifted = Model::of(Some(assumptions));
    let lowest = shifted
        .curve
        .iter()
        .flatten()
        .copied()
        .fold(f64::INFINITY, f64::min);
    if lowest <= 0.006 {
        let unshifted = Model::of(Some(&Assumptions {
            cap_rate_shift_bps: None,
            ..assumptions.clone()
        }));
        let lowest = unshifted
            .curve
            .iter()
            .flatten()
            .copied()
            .fold(f64::INFINITY, f64::min);
        assumptions.cap_rate_shift_bps = Some(((0.006 - lowest) * 10_000.0).ceil() + 1.0);
    }
}

/// Assumptions within the documented ranges, every field sometimes null, and sometimes no
/// assumptions at all.
fn assumptions_strategy() -> impl Strategy<Value = Option<Assumptions>> {
    let market = (
        prop::option::of(prop_oneof![Just(0.0), -500.0..=500.0f64]),
        prop::option::of(prop::collection::vec(override_strategy(), 0..4)),
        prop::option::of(prop_oneof![Just(0.0), 0.0..0.5f64]),
        prop::option::of(prop_oneof![Just(3.0), 0.01..=3.0f64]),
        prop::option::of(0.001..0.5f64),
    );
    let credit = (
        prop::option::of(prop_oneof![Just(0.0), Just(0.6), 0.0..=0.6f64]),
        prop::option::of(prop_oneof![Just(1i64), Just(50), 1i64..=50]),
        prop::option::of(prop_oneof![Just(-0.05), -0.05..=0.15f64]),
        // 0.02 = the default escalator: a geometric series of ratio exactly 1.
        prop::option::of(prop_oneof![Just(0.02), 0.001..0.5f64]),
        prop::option::of(prop_oneof![Just(0.0), 0.0..=20.0f64]),
        prop::option::of(-0.1..=0.15f64),
    );
    prop::option::of((market, credit).prop_map(
        |(
            (shift, overrides, haircut, rent_multiplier, cost_of_debt),
            (tax, term, escalator, discount, multiple, residual),
        )| {
            let mut assumptions = Assumptions {
                cap_rate_shift_bps: shift,
                cap_rate_overrides: overrides,
                transaction_haircut: haircut,
                rent_multiplier,
                cost_of_debt,
                tax_rate: tax,
                lease_term_years: term,
                rent_escalator: escalator,
                lease_discount_rate: discount,
                lease_multiple: multiple,
                residual_growth: residual,
            };
            keep_cap_rates_valid(&mut assumptions);
            assumptions
        },
    ))
}

/// A company drawn relative to a portfolio's size: `build` turns the shape into figures.
#[derive(Debug, Clone)]
struct StateShape {
    debt: f64,
    ebitda_kind: u8,
    ebitda: f64,
    interest: f64,
    lease: Option<f64>,
}

fn state_shape() -> impl Strategy<Value = StateShape> {
    (
        prop_oneof![1 => Just(0.0), 6 => 0.0..2.5f64],
        0u8..8,
        0.0..1.0f64,
        prop_oneof![1 => Just(0.0), 1 => 0.0..2e-9f64, 6 => 0.0..0.12f64],
        prop_oneof![Just(None), Just(Some(0.0)), (0.0..2.0f64).prop_map(Some)],
    )
        .prop_map(|(debt, ebitda_kind, ebitda, interest, lease)| StateShape {
            debt,
            ebitda_kind,
            ebitda,
            interest,
            lease,
        })
}

impl StateShape {
    /// The company, with money scaled to the portfolio's proceeds and rent (under `model`):
    /// EBITDA zero, tiny, negative, about the portfolio's rent (so EBITDA − rent changes sign
    /// with the selection), around minus the lease expense (EBITDAR ≈ 0), or comfortably
    /// positive.
    fn build(&self, portfolio: &[Asset], model: &Model) -> CorporateState {
        let sums = model.sums(portfolio);
        let net_debt = self.debt * sums.proceeds;
        let lease_expense = self.lease.map(|share| share * sums.rent);
        let leases = lease_expense.unwrap_or(0.0);
        let ebitda = match self.ebitda_kind {
            0 => 0.0,
            1 => (self.ebitda - 0.5) * 4e-9,
            2 => -self.ebitda * sums.rent,
            3 | 4 => sums.rent * (0.2 + 1.5 * self.ebitda),
            5 => -leases + (self.ebitda - 0.5) * 4e-9,
            _ => sums.rent + net_debt / (1.5 + 6.0 * self.ebitda),
        };
        let interest_expense = if self.interest < 1e-8 {
            self.interest
        } else {
            self.interest * net_debt
        };
        CorporateState {
            net_debt,
            ebitda,
            interest_expense,
            lease_expense,
        }
    }
}

fn hard_strategy() -> impl Strategy<Value = HardConstraints> {
    (
        prop::option::of(0.1..9.9f64),
        prop::option::of(0.1..49.0f64),
        prop::option::of(0.1..19.0f64),
        prop::option::of(0.05..=1.0f64),
        prop::option::of(0.05..19.9f64),
        prop::option::of(0.05..19.9f64),
    )
        .prop_map(
            |(leverage, interest, fixed_charge, critical, lease_adjusted, covenant)| {
                HardConstraints {
                    max_net_leverage: leverage,
                    min_interest_coverage: interest,
                    min_fixed_charge_coverage: fixed_charge,
                    max_critical_fraction: critical,
                    max_lease_adjusted_leverage: lease_adjusted,
                    max_covenant_leverage: covenant,
                    ..HardConstraints::default()
                }
            },
        )
}

/// Positions of the portfolio picked by `mask`, ordered by `keys` (a random pick order).
fn pick_order(len: usize, mask: &[bool], keys: &[u16]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).filter(|&i| mask[i]).collect();
    order.sort_by_key(|&i| keys[i]);
    order
}

/// The selection of `positions` (in this order), priced by the engine as its strategies do.
fn priced(portfolio: &Portfolio, positions: &[usize], config: &EngineConfig) -> SelectedAssets {
    let mut selected = SelectedAssets::with_capacity(portfolio, positions.len());
    for &position in positions {
        let metrics = asset_metrics(&portfolio[position], config);
        selected.push(position, metrics.proceeds, metrics.slb_rent);
    }
    selected
}

fn analyse(
    outcome: &ProgramOutcome,
    state: &CorporateState,
    hard: &HardConstraints,
    assumptions: Option<&Assumptions>,
) -> CreditAnalysis {
    let config = EngineConfig::default().for_run(assumptions);
    credit_analysis(outcome, state, hard, &config, assumptions)
}

/// Whether a selection with these figures keeps the two lease-aware limits (a null lens
/// breaks its limit).
fn keeps_lease_aware_limits(after: &After, hard: &HardConstraints) -> bool {
    let within = |limit: Option<f64>, value: Option<f64>| {
        limit.is_none_or(|limit| value.is_some_and(|value| value <= limit))
    };
    within(hard.max_lease_adjusted_leverage, after.lenses[1])
        && within(hard.max_covenant_leverage, after.lenses[0])
}

// ---------------------------------------------------------------------------------------------
// 1. The analysis equals the independent model, field by field
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn credit_analysis_equals_the_independent_model(
        portfolio in portfolio_strategy(1..=12),
        shape in state_shape(),
        assumptions in assumptions_strategy(),
        hard in hard_strategy(),
        mask in prop::collection::vec(any::<bool>(), 12),
        keys in prop::collection::vec(any::<u16>(), 12),
        objective in prop::sample::select(Objective::ALL),
        target_share in 0.01..1.2f64,
    ) {
        let model = Model::of(assumptions.as_ref());
        let config = EngineConfig::default().for_run(assumptions.as_ref());
        let state = shape.build(&portfolio, &model);
        let mut problems = Vec::new();
        // The engine prices every asset as §2 says.
        for asset in portfolio.iter() {
            let engine = asset_metrics(asset, &config);
            let ours = model.asset(asset);
            let mut m = Mismatches(Vec::new());
            m.number("cap_rate", engine.cap_rate, ours.cap_rate, 0.0);
            m.number("value", engine.market_value, ours.value, MONEY);
            m.number("proceeds", engine.proceeds, ours.proceeds, MONEY);
            m.number("rent", engine.slb_rent, ours.rent, MONEY);
            problems.extend(m.0.into_iter().map(|p| format!("{}: {p}", asset.asset_id)));
        }
        let order = pick_order(portfolio.len(), &mask, &keys);
        let spec = SelectorSpec {
            hard_constraints: hard.clone(),
            ..SelectorSpec::new(objective, target_share * model.sums(portfolio.iter()).proceeds)
        };
        let outcome = outcome_for_selection(priced(&portfolio, &order, &config), &state, &spec, &config);
        let analysis = analyse(&outcome, &state, &hard, assumptions.as_ref());
        let expected = model.expected(order.iter().map(|&i| &portfolio[i]), &state);
        problems.extend(compare(&analysis, &expected, &model, assumptions.as_ref(), &hard));
        // The analysis of what the strategies pick, priced their own way.
        for strategy in [SelectionStrategy::Greedy, SelectionStrategy::Optimal] {
            let outcome = select_with(strategy, &portfolio, &state, &spec, &config);
            let analysis = analyse(&outcome, &state, &hard, assumptions.as_ref());
            let expected = model.expected(outcome.selected_assets.iter().map(|s| s.asset), &state);
            problems.extend(
                compare(&analysis, &expected, &model, assumptions.as_ref(), &hard)
                    .into_iter()
                    .map(|problem| format!("{strategy:?}: {problem}")),
            );
        }
        prop_assert!(problems.is_empty(), "{}\nstate {:?}\nselection {:?}", problems.join("\n"), state, order);
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Properties
// ---------------------------------------------------------------------------------------------

/// A spec with random reference constraints, filter and objective, without the lease-aware
/// limits; the target is a share of the portfolio's proceeds until [`scaled`].
fn spec_strategy() -> impl Strategy<Value = SelectorSpec> {
    (
        hard_strategy(),
        prop::sample::select(Objective::ALL),
        0.01..1.2f64,
        prop::option::of(0.3..=1.0f64),
    )
        .prop_map(|(hard, objective, target_share, max_criticality)| {
            SelectorSpec {
                hard_constraints: HardConstraints {
                    max_lease_adjusted_leverage: None,
                    max_covenant_leverage: None,
                    ..hard
                },
                asset_filters: AssetFilters {
                    max_criticality,
                    ..AssetFilters::default()
                },
                // Scaled to the portfolio by the test.
                ..SelectorSpec::new(objective, target_share)
            }
        })
}

/// The spec's target as a share of the portfolio's proceeds.
fn scaled(spec: &SelectorSpec, portfolio: &[Asset], model: &Model) -> SelectorSpec {
    SelectorSpec {
        target_amount: spec.target_amount * model.sums(portfolio).proceeds,
        ..spec.clone()
    }
}

/// An outcome as exact text: every float's bits show (`{:?}` of f64 round-trips), and so does
/// the wire form.
fn exact(outcome: &ProgramOutcome) -> String {
    format!(
        "{outcome:?}\n{}",
        serde_json::to_string(outcome).expect("outcome serialises")
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn an_empty_selection_leaves_every_lens_at_its_before_value(
        portfolio in portfolio_strategy(1..=6),
        shape in state_shape(),
        assumptions in assumptions_strategy(),
        hard in hard_strategy(),
    ) {
        let model = Model::of(assumptions.as_ref());
        let config = EngineConfig::default().for_run(assumptions.as_ref());
        let state = shape.build(&portfolio, &model);
        let spec = SelectorSpec {
            hard_constraints: hard.clone(),
            ..SelectorSpec::new(Objective::Balanced, 1e6)
        };
        let outcomes = [
            outcome_for_selection(SelectedAssets::new(&portfolio), &state, &spec, &config),
            no_eligible_assets_outcome(&state, &config),
        ];
        for outcome in &outcomes {
            let analysis = analyse(outcome, &state, &hard, assumptions.as_ref());
            for metric in &analysis.metrics {
                prop_assert_eq!(
                    metric.before.map(f64::to_bits),
                    metric.after.map(f64::to_bits),
                    "{}", metric.name.as_str()
                );
            }
            let t = &analysis.transaction;
            prop_assert_eq!(t.gross_proceeds, 0.0);
            prop_assert_eq!(t.tax, 0.0);
            prop_assert_eq!(t.debt_repaid, 0.0);
            prop_assert_eq!(t.interest_after, state.interest_expense);
            prop_assert_eq!(t.rent_yield, None);
            prop_assert_eq!(t.slb_cost_of_capital, None);
        }
    }

    #[test]
    fn tax_is_never_negative_nor_above_the_rate_on_proceeds(
        portfolio in portfolio_strategy(1..=12),
        shape in state_shape(),
        assumptions in assumptions_strategy(),
        mask in prop::collection::vec(any::<bool>(), 12),
    ) {
        let model = Model::of(assumptions.as_ref());
        let config = EngineConfig::default().for_run(assumptions.as_ref());
        let state = shape.build(&portfolio, &model);
        let order = pick_order(portfolio.len(), &mask, &[0; 12]);
        let spec = SelectorSpec::new(Objective::Balanced, 1e6);
        let outcome = outcome_for_selection(priced(&portfolio, &order, &config), &state, &spec, &config);
        let t = analyse(&outcome, &state, &spec.hard_constraints, assumptions.as_ref()).transaction;
        prop_assert!(t.tax >= 0.0, "tax {}", t.tax);
        prop_assert!(t.tax <= model.tax_rate * t.gross_proceeds * (1.0 + 1e-12) + 1e-9,
            "tax {} above {} × proceeds {}", t.tax, model.tax_rate, t.gross_proceeds);
        prop_assert!(t.debt_repaid <= state.net_debt);
        prop_assert!(t.debt_repaid >= 0.0);
        prop_assert!(t.surplus_cash >= 0.0);
        prop_assert!(t.interest_after >= 0.0);
    }

    #[test]
    fn the_cost_of_capital_zeroes_the_npv_of_the_ccim_flows(
        portfolio in portfolio_strategy(1..=12),
        shape in state_shape(),
        assumptions in assumptions_strategy(),
        mask in prop::collection::vec(any::<bool>(), 12),
    ) {
        let model = Model::of(assumptions.as_ref());
        let config = EngineConfig::default().for_run(assumptions.as_ref());
        let state = shape.build(&portfolio, &model);
        let order = pick_order(portfolio.len(), &mask, &[0; 12]);
        prop_assume!(!order.is_empty());
        let spec = SelectorSpec::new(Objective::Balanced, 1e6);
        let outcome = outcome_for_selection(priced(&portfolio, &order, &config), &state, &spec, &config);
        let t = analyse(&outcome, &state, &spec.hard_constraints, assumptions.as_ref()).transaction;
        // The flows from the engine's own figures, built and discounted here.
        let flows = model.flows(t.gross_proceeds - t.tax, t.new_rent, t.market_value);
        match t.slb_cost_of_capital {
            Some(rate) => {
                prop_assert!((IRR_LOW..=IRR_HIGH).contains(&rate), "rate {}", rate);
                let magnitude: f64 = flows
                    .iter()
                    .enumerate()
                    .map(|(year, flow)| (flow / (1.0 + rate).powi(year as i32)).abs())
                    .sum();
                let value = npv(&flows, rate);
                prop_assert!(value.abs() <= 1e-9 * magnitude,
                    "NPV {} at {} (flows of magnitude {})", value, rate, magnitude);
            }
            // No root: the NPV keeps one sign over the whole range.
            None => prop_assert_eq!(npv(&flows, IRR_LOW) < 0.0, npv(&flows, IRR_HIGH) < 0.0),
        }
    }

    #[test]
    fn without_assumptions_and_new_constraints_outcomes_are_bit_identical(
        portfolio in portfolio_strategy(1..=12),
        shape in state_shape(),
        spec in spec_strategy(),
        credit_only in assumptions_strategy(),
    ) {
        let base = EngineConfig::default();
        let state = shape.build(&portfolio, &Model::of(None));
        let spec = scaled(&spec, &portfolio, &Model::of(None));
        let explicit_defaults = Assumptions {
            cap_rate_shift_bps: Some(0.0),
            cap_rate_overrides: Some(vec![CapRateOverride {
                asset_type: AssetType::Office,
                market_tier: MarketTier::Secondary,
                cap_rate: 0.070,
            }]),
            transaction_haircut: Some(0.025),
            rent_multiplier: Some(1.0),
            cost_of_debt: Some(0.06),
            tax_rate: Some(0.25),
            lease_term_years: Some(15),
            rent_escalator: Some(0.02),
            lease_discount_rate: None,
            lease_multiple: Some(8.0),
            residual_growth: Some(0.02),
        };
        for config in [
            base.for_run(None),
            base.for_run(Some(&Assumptions::default())),
            base.for_run(Some(&explicit_defaults)),
        ] {
            prop_assert_eq!(&config, &base);
        }
        // Transaction and credit assumptions reach only the credit analysis and the new
        // constraints.
        let credit_only = credit_only.map(|a| Assumptions {
            cap_rate_shift_bps: None,
            cap_rate_overrides: None,
            transaction_haircut: None,
            rent_multiplier: None,
            cost_of_debt: None,
            ..a
        });
        let configs = [
            base.for_run(None),
            base.for_run(Some(&Assumptions::default())),
            base.for_run(Some(&explicit_defaults)),
            base.for_run(credit_only.as_ref()),
        ];
        for strategy in [SelectionStrategy::Greedy, SelectionStrategy::Optimal] {
            let reference = exact(&select_with(strategy, &portfolio, &state, &spec, &base));
            if strategy == SelectionStrategy::Greedy {
                prop_assert_eq!(&exact(&select_assets(&portfolio, &state, &spec, &base)), &reference);
            }
            for config in &configs {
                let outcome = select_with(strategy, &portfolio, &state, &spec, config);
                prop_assert_eq!(&exact(&outcome), &reference, "{:?}", strategy);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Brute force: `optimal` against every subset
// ---------------------------------------------------------------------------------------------

/// One subset of the eligible assets, judged here.
#[derive(Debug, Clone, Copy)]
struct Subset {
    mask: u32,
    proceeds: f64,
    critical_noi: f64,
    /// The reference constraints and the target, but not the lease-aware limits: what the
    /// lease-aware limits alone rule out.
    only_lease_aware_breached: bool,
    /// The reference constraints (the engine's check) and the two lease-aware limits (ours).
    meets_hard: bool,
    /// …and the target.
    feasible: bool,
}

/// Our verdict on selling `positions` (in this order): the reference constraints as the
/// engine's check judges them, the lease-aware limits and the target as this model does. The
/// engine's verdict on those two must agree, unless the case sits on a knife edge where
/// rounding decides (`Err`; then the engine and this model may differ legitimately).
fn judge_selection(
    portfolio: &Portfolio,
    positions: &[usize],
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
    model: &Model,
) -> Result<Subset, String> {
    let hard = &spec.hard_constraints;
    let threshold = spec.target_amount * TARGET_SHARE;
    let sums = model.sums(positions.iter().map(|&i| &portfolio[i]));
    let after = model.after(state, &sums);
    let outcome = outcome_for_selection(priced(portfolio, positions, config), state, spec, config);
    let not_reference = [
        ViolationCode::MaxLeaseAdjustedLeverage,
        ViolationCode::MaxCovenantLeverage,
        ViolationCode::TargetNotMet,
    ];
    let reference_ok = outcome
        .violations
        .iter()
        .all(|v| not_reference.contains(&v.code));
    let lease_aware_ok = keeps_lease_aware_limits(&after, hard);
    let meets_target = sums.proceeds >= threshold;
    let engine_lease_aware_ok = !outcome.violations.iter().any(|v| {
        v.code == ViolationCode::MaxLeaseAdjustedLeverage
            || v.code == ViolationCode::MaxCovenantLeverage
    });
    let engine_meets_target = !outcome
        .violations
        .iter()
        .any(|v| v.code == ViolationCode::TargetNotMet);
    if engine_lease_aware_ok != lease_aware_ok || engine_meets_target != meets_target {
        let near = |value: Option<f64>, limit: Option<f64>| match (value, limit) {
            (Some(value), Some(limit)) => (value - limit).abs() <= 1e-9 * limit,
            _ => false,
        };
        let knife_edge = near(after.lenses[0], hard.max_covenant_leverage)
            || near(after.lenses[1], hard.max_lease_adjusted_leverage)
            || (sums.proceeds - threshold).abs() <= 1e-9 * threshold
            || (state.ebitda - sums.rent).abs() <= 1e-6;
        if knife_edge {
            return Err(format!("knife edge at selection {positions:?}"));
        }
        panic!(
            "the engine judges selection {positions:?} differently: engine violations {:?}, \
             model lease-aware ok {lease_aware_ok} (covenant {:?}, lease-adjusted {:?}), \
             target met {meets_target}",
            outcome.violations, after.lenses[0], after.lenses[1]
        );
    }
    let meets_hard = reference_ok && lease_aware_ok;
    Ok(Subset {
        mask: 0,
        proceeds: sums.proceeds,
        critical_noi: sums.critical_noi,
        only_lease_aware_breached: reference_ok && meets_target && !lease_aware_ok,
        meets_hard,
        feasible: meets_hard && meets_target,
    })
}

/// Every subset of `eligible` (positions, ascending), judged by [`judge_selection`].
fn enumerate(
    portfolio: &Portfolio,
    eligible: &[usize],
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
    model: &Model,
) -> Result<Vec<Subset>, String> {
    assert!(eligible.len() <= 16, "too many assets to enumerate");
    (0u32..1 << eligible.len())
        .map(|mask| {
            let positions: Vec<usize> = (0..eligible.len())
                .filter(|bit| mask >> bit & 1 == 1)
                .map(|bit| eligible[bit])
                .collect();
            let subset = judge_selection(portfolio, &positions, state, spec, config, model)?;
            Ok(Subset { mask, ..subset })
        })
        .collect()
}

/// Random inputs of the brute force: a small portfolio, a company that can afford some sales,
/// limits drawn between the lenses of selling nothing and selling everything.
#[derive(Debug, Clone)]
struct BruteCase {
    portfolio: Portfolio,
    assumptions: Option<Assumptions>,
    debt: f64,
    ebitda_kind: u8,
    ebitda: f64,
    interest: f64,
    lease: Option<f64>,
    target_share: f64,
    covenant: Option<f64>,
    lease_adjusted: Option<f64>,
    /// Reference limits: leverage, interest and fixed-charge coverage as shares of the
    /// company's own before the sale; the critical fraction.
    reference: (Option<f64>, Option<f64>, Option<f64>, Option<f64>),
    max_criticality: Option<f64>,
}

/// Where a lease-aware limit sits between the lens of selling nothing (0) and of selling
/// everything (1): mostly between, sometimes beyond.
fn limit_share() -> impl Strategy<Value = f64> {
    prop_oneof![8 => 0.0..1.0f64, 1 => -0.2..0.0f64, 1 => 1.0..1.2f64]
}

fn brute_case() -> impl Strategy<Value = BruteCase> {
    (
        portfolio_strategy(2..=10),
        assumptions_strategy(),
        (0.1..2.5f64, 0u8..8, 0.0..1.0f64, 0.02..0.1f64),
        prop::option::of(0.0..0.4f64),
        0.02..1.05f64,
        (
            prop::option::weighted(0.7, limit_share()),
            prop::option::weighted(0.7, limit_share()),
        ),
        (
            prop::option::weighted(0.25, 0.5..1.1f64),
            prop::option::weighted(0.2, 1.0..1.6f64),
            prop::option::weighted(0.25, 0.3..1.0f64),
            prop::option::weighted(0.25, 0.2..=1.0f64),
        ),
        prop::option::weighted(0.25, 0.5..=1.0f64),
    )
        .prop_map(
            |(
                portfolio,
                assumptions,
                (debt, ebitda_kind, ebitda, interest),
                lease,
                target_share,
                (covenant, lease_adjusted),
                reference,
                max_criticality,
            )| BruteCase {
                portfolio,
                assumptions,
                debt,
                ebitda_kind,
                ebitda,
                interest,
                lease,
                target_share,
                covenant,
                lease_adjusted,
                reference,
                max_criticality,
            },
        )
}

impl BruteCase {
    fn state(&self, model: &Model, eligible: &[&Asset]) -> CorporateState {
        let sums = model.sums(eligible.iter().copied());
        let mut net_debt = self.debt * sums.proceeds;
        let lease_expense = self.lease.map(|share| share * sums.rent);
        let ebitda = match self.ebitda_kind {
            // Negative EBITDA: covenant leverage undefined, lease-adjusted maybe not.
            0 => -self.ebitda * lease_expense.unwrap_or(0.0),
            // About the rent, so EBITDA − rent changes sign with the selection, and a debt
            // that selling most of the portfolio repays.
            1 | 2 => {
                net_debt *= 0.3;
                sums.rent * (0.5 + 1.0 * self.ebitda)
            }
            _ => sums.rent + net_debt / (1.5 + 6.0 * self.ebitda),
        };
        CorporateState {
            net_debt,
            ebitda,
            interest_expense: self.interest * net_debt,
            lease_expense,
        }
    }

    /// A limit `share` of the way from a lens's value when nothing is sold to its value when
    /// everything is (beyond either end for shares outside [0, 1]).
    fn limit(share: Option<f64>, nothing: Option<f64>, everything: Option<f64>) -> Option<f64> {
        let share = share?;
        let limit = match (nothing, everything) {
            (Some(a), Some(b)) => a + share * (b - a),
            (Some(a), None) | (None, Some(a)) => a * (0.5 + share),
            (None, None) => 1.0 + 10.0 * share.abs(),
        };
        Some(limit.clamp(0.05, 19.9))
    }

    fn spec(&self, model: &Model, state: &CorporateState, eligible: &[&Asset]) -> SelectorSpec {
        let nothing = model.after(state, &Sums::default());
        let everything = model.after(state, &model.sums(eligible.iter().copied()));
        let (leverage_share, interest_share, fixed_charge_share, critical) = self.reference;
        let leases = state.lease_expense.unwrap_or(0.0);
        let positive = |share: Option<f64>, value: f64| {
            share
                .filter(|_| state.ebitda > 0.0)
                .map(|share| share * value)
        };
        let hard = HardConstraints {
            max_net_leverage: positive(leverage_share, state.net_debt / state.ebitda)
                .map(|limit| limit.clamp(0.05, 9.9)),
            min_interest_coverage: positive(interest_share, state.ebitda / state.interest_expense)
                .map(|limit| limit.clamp(0.05, 49.9)),
            min_fixed_charge_coverage: positive(
                fixed_charge_share,
                state.ebitda / (state.interest_expense + leases),
            )
            .map(|limit| limit.clamp(0.05, 19.9)),
            max_critical_fraction: critical,
            max_covenant_leverage: Self::limit(
                self.covenant,
                nothing.lenses[0],
                everything.lenses[0],
            ),
            max_lease_adjusted_leverage: Self::limit(
                self.lease_adjusted,
                nothing.lenses[1],
                everything.lenses[1],
            ),
            ..HardConstraints::default()
        };
        SelectorSpec {
            hard_constraints: hard,
            asset_filters: AssetFilters {
                max_criticality: self.max_criticality,
                ..AssetFilters::default()
            },
            ..SelectorSpec::new(
                Objective::MaximizeProceeds,
                self.target_share * model.sums(eligible.iter().copied()).proceeds,
            )
        }
    }
}

/// Whether the optimiser's answer for `objective` is as good as every feasible subset's,
/// within its documented gaps; `None` when it is, else what is wrong.
fn judge(
    outcome: &ProgramOutcome,
    objective: Objective,
    subsets: &[Subset],
    model: &Model,
) -> Option<String> {
    let feasible: Vec<&Subset> = subsets.iter().filter(|s| s.feasible).collect();
    let claimed = outcome.status == SelectionStatus::Ok;
    let any_feasible = !feasible.is_empty();
    if claimed != any_feasible {
        return Some(format!(
            "status {} but {} feasible subsets ({:?})",
            outcome.status,
            feasible.len(),
            outcome.violations
        ));
    }
    let sums = model.sums(outcome.selected_assets.iter().map(|s| s.asset));
    if !claimed {
        // Infeasible: the answer is the most proceeds under the hard constraints alone.
        let most = subsets
            .iter()
            .filter(|s| s.meets_hard)
            .map(|s| s.proceeds)
            .fold(0.0, f64::max);
        return (!close(sums.proceeds, most, 1e-6)).then(|| {
            format!(
                "infeasible with proceeds {}, most under the hard constraints {most}",
                sums.proceeds
            )
        });
    }
    let most = feasible
        .iter()
        .map(|s| s.proceeds)
        .fold(f64::NEG_INFINITY, f64::max);
    let cheapest = feasible
        .iter()
        .map(|s| s.proceeds)
        .fold(f64::INFINITY, f64::min);
    // Every feasible selection raises at least the required proceeds, so the cheapest bounds
    // the gap of the minimisations from above.
    let gap = THRESHOLD_GAP * cheapest + RELATIVE_GAP * cheapest + 1e-6;
    match objective {
        Objective::MaximizeProceeds => (!close(sums.proceeds, most, 0.0)).then(|| {
            format!(
                "proceeds {} but the feasible maximum is {most}",
                sums.proceeds
            )
        }),
        Objective::Balanced => (sums.proceeds > cheapest + gap).then(|| {
            format!(
                "proceeds {} but a feasible subset raises only {cheapest}",
                sums.proceeds
            )
        }),
        Objective::MinimizeRisk => {
            let safest = feasible
                .iter()
                .map(|s| s.critical_noi)
                .fold(f64::INFINITY, f64::min);
            let cheapest_safe = feasible
                .iter()
                .filter(|s| s.critical_noi <= safest * (1.0 + 1e-12))
                .map(|s| s.proceeds)
                .fold(f64::INFINITY, f64::min);
            if sums.critical_noi > safest + gap {
                Some(format!(
                    "critical NOI {} but a feasible subset sells {safest}",
                    sums.critical_noi
                ))
            } else if sums.proceeds > cheapest_safe + gap {
                Some(format!(
                    "proceeds {} but a feasible subset as safe raises only {cheapest_safe}",
                    sums.proceeds
                ))
            } else {
                None
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// Limits between the lenses of selling nothing and everything bind often.
    #[test]
    fn ok_outcomes_never_break_a_lease_aware_limit(case in brute_case()) {
        let model = Model::of(case.assumptions.as_ref());
        let config = EngineConfig::default().for_run(case.assumptions.as_ref());
        let state = case.state(&model, &case.portfolio.iter().collect::<Vec<_>>());
        let spec = case.spec(&model, &state, &case.portfolio.iter().collect::<Vec<_>>());
        let runs = [
            (SelectionStrategy::Greedy, Objective::Balanced),
            (SelectionStrategy::Optimal, Objective::MaximizeProceeds),
            (SelectionStrategy::Optimal, Objective::MinimizeRisk),
            (SelectionStrategy::Optimal, Objective::Balanced),
        ];
        for (strategy, objective) in runs {
            let spec = SelectorSpec { objective, ..spec.clone() };
            let outcome = select_with(strategy, &case.portfolio, &state, &spec, &config);
            if outcome.status != SelectionStatus::Ok {
                continue;
            }
            let after = model.after(&state, &model.sums(outcome.selected_assets.iter().map(|s| s.asset)));
            prop_assert!(
                keeps_lease_aware_limits(&after, &spec.hard_constraints),
                "{:?} {}: covenant {:?} (limit {:?}), lease-adjusted {:?} (limit {:?})",
                strategy, objective, after.lenses[0], spec.hard_constraints.max_covenant_leverage,
                after.lenses[1], spec.hard_constraints.max_lease_adjusted_leverage
            );
        }
    }

    #[test]
    fn optimal_agrees_with_a_brute_force_over_every_subset(case in brute_case()) {
        let model = Model::of(case.assumptions.as_ref());
        let config = EngineConfig::default().for_run(case.assumptions.as_ref());
        let filters = AssetFilters {
            max_criticality: case.max_criticality,
            ..AssetFilters::default()
        };
        let eligible: Vec<usize> = apply_filters(&case.portfolio, &filters)
            .into_iter()
            .map(|(position, _)| position)
            .collect();
        prop_assume!(!eligible.is_empty());
        let eligible_assets: Vec<&Asset> = eligible.iter().map(|&i| &case.portfolio[i]).collect();
        let state = case.state(&model, &eligible_assets);
        let spec = case.spec(&model, &state, &eligible_assets);
        let subsets = enumerate(&case.portfolio, &eligible, &state, &spec, &config, &model);
        prop_assume!(subsets.is_ok(), "{}", subsets.unwrap_err());
        let subsets = subsets.unwrap();
        let mut problems = Vec::new();
        for objective in [Objective::MaximizeProceeds, Objective::MinimizeRisk, Objective::Balanced] {
            let spec = SelectorSpec { objective, ..spec.clone() };
            let outcome = select_with(SelectionStrategy::Optimal, &case.portfolio, &state, &spec, &config);
            if let Some(problem) = judge(&outcome, objective, &subsets, &model) {
                let picked: Vec<usize> = outcome.selected_assets.positions().collect();
                problems.push(format!("{objective}: {problem} (picked {picked:?})"));
            }
        }
        let feasible = subsets.iter().filter(|s| s.feasible).count();
        prop_assert!(
            problems.is_empty(),
            "{}\nstate {:?}\nhard {:?}\ntarget {}\n{} of {} subsets feasible, e.g. {:?}",
            problems.join("\n"), state, spec.hard_constraints, spec.target_amount,
            feasible, subsets.len(), subsets.iter().find(|s| s.feasible).map(|s| s.mask)
        );
    }
}

/// The brute force is only as good as its cases: over a fixed sample of them, the lease-aware
/// limits alone must rule out otherwise acceptable selections in many, and both feasible and
/// infeasible problems must be common.
#[test]
fn the_brute_force_cases_make_the_lease_aware_limits_bind() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let mut runner = TestRunner::deterministic();
    let strategy = brute_case();
    let (mut cases, mut binding, mut feasible, mut infeasible) = (0, 0, 0, 0);
    for _ in 0..200 {
        let case = strategy.new_tree(&mut runner).expect("a case").current();
        let model = Model::of(case.assumptions.as_ref());
        let config = EngineConfig::default().for_run(case.assumptions.as_ref());
        let filters = AssetFilters {
            max_criticality: case.max_criticality,
            ..AssetFilters::default()
        };
        let eligible: Vec<usize> = apply_filters(&case.portfolio, &filters)
            .into_iter()
            .map(|(position, _)| position)
            .collect();
        let eligible_assets: Vec<&Asset> = eligible.iter().map(|&i| &case.portfolio[i]).collect();
        let state = case.state(&model, &eligible_assets);
        let spec = case.spec(&model, &state, &eligible_assets);
        let Ok(subsets) = enumerate(&case.portfolio, &eligible, &state, &spec, &config, &model)
        else {
            continue;
        };
        cases += 1;
        binding += usize::from(subsets.iter().any(|s| s.only_lease_aware_breached));
        if subsets.iter().any(|s| s.feasible) {
            feasible += 1;
        } else {
            infeasible += 1;
        }
    }
    println!(
        "{cases} cases: limits bind in {binding}, {feasible} feasible, {infeasible} infeasible"
    );
    assert!(cases >= 190, "only {cases} usable cases");
    assert!(
        binding * 3 >= cases,
        "the limits bind in only {binding} of {cases} cases"
    );
    assert!(
        feasible * 4 >= cases,
        "only {feasible} of {cases} cases are feasible"
    );
    assert!(
        infeasible * 10 >= cases,
        "only {infeasible} of {cases} cases are infeasible"
    );
}

// ---------------------------------------------------------------------------------------------
// The model and the brute force against the worked examples
// ---------------------------------------------------------------------------------------------

#[test]
fn the_model_root_finder_and_pv_factor_are_right_on_known_answers() {
    // Borrow 100, pay 10 a year for 10 years and 100 at the end: 10 %.
    let mut flows = vec![100.0];
    flows.extend([-10.0; 10]);
    flows[10] -= 100.0;
    let rate = internal_rate(&flows).expect("a rate");
    assert!((rate - 0.10).abs() < 1e-12, "{rate}");
    assert_eq!(internal_rate(&[1.0, 2.0, 3.0]), None);
    // The closed form, the near-1 path and a plain sum agree.
    for (escalator, discount, term) in [(0.02, 0.06, 15), (0.02, 0.02, 30), (-0.05, 0.3, 50)] {
        let model = Model {
            escalator,
            discount,
            term,
            ..Model::of(None)
        };
        let plain: f64 = (1..=term as i32)
            .map(|t| (1.0 + escalator).powi(t - 1) / (1.0 + discount).powi(t))
            .sum();
        assert!(
            close(model.pv_factor(), plain, 0.0),
            "{escalator} {discount} {term}"
        );
    }
}

/// The worked examples of `fixtures/credit/credit_cases.json` (an implementation independent
/// of both the engine and this file): the model reproduces every figure of each fixed
/// selection, and the brute force reproduces every brute-forced optimum.
#[test]
fn the_model_and_the_brute_force_reproduce_the_worked_examples() {
    let path = testkit::fixtures_dir().join("credit/credit_cases.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).expect("valid JSON");
    let mut failures = Vec::new();
    let mut optima = 0;
    for case in doc["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let field = |key: &str| case[key].clone();
        let portfolio: Portfolio = serde_json::from_value(field("assets")).expect("assets");
        let state: CorporateState =
            serde_json::from_value(field("corporate_state")).expect("state");
        let assumptions: Option<Assumptions> =
            serde_json::from_value(field("assumptions")).expect("assumptions");
        let spec: SelectorSpec = serde_json::from_value(field("spec")).expect("spec");
        let ids: Vec<String> = serde_json::from_value(field("selection")).expect("selection");
        let model = Model::of(assumptions.as_ref());
        let sold = ids.iter().map(|id| {
            portfolio
                .iter()
                .find(|asset| &asset.asset_id == id)
                .expect("selected asset")
        });
        let ours = model.expected(sold, &state);
        let expected = &case["expected_for_selection"];
        let figures = [
            ("gross_proceeds", Some(ours.sums.proceeds)),
            ("market_value", Some(ours.sums.value)),
            ("new_rent", Some(ours.sums.rent)),
            ("book_gain", Some(ours.sums.book_gain)),
            ("taxable_gain", Some(ours.sums.taxable_gain)),
            ("tax", Some(ours.after.tax)),
            ("mortgage_payoff", Some(ours.sums.mortgage)),
            ("debt_repaid", Some(ours.after.repaid)),
            ("surplus_cash", Some(ours.surplus_cash)),
            ("net_cash_after_payoff", Some(ours.net_cash_after_payoff)),
            ("interest_after", Some(ours.after.interest_after)),
            ("pv_factor", Some(ours.pv_factor)),
            ("lease_liability_new", Some(ours.lease_liability_new)),
            ("rent_yield", ours.rent_yield),
            ("after_tax_cost_of_debt", Some(ours.after_tax_cost_of_debt)),
            ("slb_cost_of_capital", ours.slb_cost_of_capital),
            ("npv_vs_debt", Some(ours.npv_vs_debt)),
        ];
        let mut m = Mismatches(Vec::new());
        let transaction = &expected["transaction"];
        for (key, value) in figures {
            let tolerance = if key == "slb_cost_of_capital" {
                IRR
            } else {
                MONEY
            };
            m.optional(key, value, transaction[key].as_f64(), tolerance);
        }
        let lenses = [
            "covenant_leverage",
            "lease_adjusted_leverage",
            "ifrs16_leverage",
        ]
        .into_iter()
        .chain([
            "covenant_interest_coverage",
            "ebitdar_fixed_charge_coverage",
        ]);
        for (index, lens) in lenses.enumerate() {
            let metric = expected["metrics"]
                .as_array()
                .expect("metrics")
                .iter()
                .find(|metric| metric["name"] == lens)
                .expect("lens");
            m.optional(
                &format!("{lens}.before"),
                ours.lenses_before[index],
                metric["before"].as_f64(),
                RATIO,
            );
            m.optional(
                &format!("{lens}.after"),
                ours.after.lenses[index],
                metric["after"].as_f64(),
                RATIO,
            );
        }
        // Our judgement of the fixed selection, and the brute-forced optimum.
        let config = EngineConfig::default().for_run(assumptions.as_ref());
        let positions: Vec<usize> = ids
            .iter()
            .map(|id| {
                portfolio
                    .iter()
                    .position(|asset| &asset.asset_id == id)
                    .expect("selected asset")
            })
            .collect();
        match judge_selection(&portfolio, &positions, &state, &spec, &config, &model) {
            Err(edge) => m.0.push(edge),
            Ok(subset) => m.check(
                "feasible_under_spec",
                Some(subset.feasible) == expected["feasible_under_spec"].as_bool(),
                || format!("judged {}", subset.feasible),
            ),
        }
        if let Some(optimum) = case.get("expected_optimal").filter(|v| !v.is_null()) {
            optima += 1;
            let spec = SelectorSpec {
                objective: Objective::MaximizeProceeds,
                ..spec.clone()
            };
            let eligible: Vec<usize> = apply_filters(&portfolio, &spec.asset_filters)
                .into_iter()
                .map(|(position, _)| position)
                .collect();
            match enumerate(&portfolio, &eligible, &state, &spec, &config, &model) {
                Err(edge) => m.0.push(edge),
                Ok(subsets) => {
                    let most = subsets
                        .iter()
                        .filter(|s| s.feasible)
                        .map(|s| s.proceeds)
                        .reduce(f64::max);
                    m.check(
                        "expected_optimal.feasible",
                        Some(most.is_some()) == optimum["feasible"].as_bool(),
                        || format!("brute force finds {most:?}"),
                    );
                    if let (Some(most), Some(expected)) =
                        (most, optimum["max_feasible_proceeds"].as_f64())
                    {
                        m.number(
                            "expected_optimal.max_feasible_proceeds",
                            most,
                            expected,
                            MONEY,
                        );
                    }
                }
            }
        }
        failures.extend(m.0.into_iter().map(|problem| format!("{name}: {problem}")));
    }
    assert!(optima > 0, "no brute-forced optimum in the worked examples");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
