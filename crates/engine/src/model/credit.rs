//! The credit analysis of a program on the wire (docs/credit.md §5): the assumptions used, the
//! transaction's figures and the company's metrics before and after in every credit lens.

use serde::{Deserialize, Serialize};

use super::assumptions::ResolvedAssumptions;

/// The transaction's figures (docs/credit.md §3). Money in $, rates as fractions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TransactionSummary {
    /// Net sale proceeds (after the transaction haircut).
    pub gross_proceeds: f64,
    /// NOI capitalised at the cap rates.
    pub market_value: f64,
    /// First-year rent of the new leases.
    pub new_rent: f64,
    /// Proceeds over book value.
    pub book_gain: f64,
    /// Proceeds over tax basis; losses offset gains.
    pub taxable_gain: f64,
    /// Tax on a positive taxable gain.
    pub tax: f64,
    /// Mortgages on the sold assets, paid off at sale.
    pub mortgage_payoff: f64,
    /// Net debt repaid: proceeds after tax, at most the net debt.
    pub debt_repaid: f64,
    /// Proceeds after tax beyond the net debt.
    pub surplus_cash: f64,
    /// Cash after tax and mortgage payoffs (negative when the mortgages exceed it).
    pub net_cash_after_payoff: f64,
    /// Interest expense after the repayment.
    pub interest_after: f64,
    /// Present value of $1 of first-year rent over the lease term.
    pub pv_factor: f64,
    /// Present value of the new leases.
    pub lease_liability_new: f64,
    /// New rent over proceeds; null without proceeds.
    pub rent_yield: Option<f64>,
    /// Cost of debt after the tax shield of interest.
    pub after_tax_cost_of_debt: f64,
    /// After-tax internal rate of the sell-and-lease-back against keeping the assets; null
    /// when nothing is sold or no rate in [−99 %, 1000 %] solves it.
    pub slb_cost_of_capital: Option<f64>,
    /// Net present value of those flows at the after-tax cost of debt; positive means the SLB
    /// is cheaper than borrowing.
    pub npv_vs_debt: f64,
}

/// One credit lens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CreditMetricName {
    ReportedLeverage,
    CovenantLeverage,
    LeaseAdjustedLeverage,
    Ifrs16Leverage,
    CovenantInterestCoverage,
    EbitdarFixedChargeCoverage,
}

impl CreditMetricName {
    /// Every lens, in the order of the analysis.
    pub const ALL: [CreditMetricName; 6] = [
        CreditMetricName::ReportedLeverage,
        CreditMetricName::CovenantLeverage,
        CreditMetricName::LeaseAdjustedLeverage,
        CreditMetricName::Ifrs16Leverage,
        CreditMetricName::CovenantInterestCoverage,
        CreditMetricName::EbitdarFixedChargeCoverage,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CreditMetricName::ReportedLeverage => "reported_leverage",
            CreditMetricName::CovenantLeverage => "covenant_leverage",
            CreditMetricName::LeaseAdjustedLeverage => "lease_adjusted_leverage",
            CreditMetricName::Ifrs16Leverage => "ifrs16_leverage",
            CreditMetricName::CovenantInterestCoverage => "covenant_interest_coverage",
            CreditMetricName::EbitdarFixedChargeCoverage => "ebitdar_fixed_charge_coverage",
        }
    }

    /// How people call it.
    pub fn label(self) -> &'static str {
        match self {
            CreditMetricName::ReportedLeverage => "Reported leverage",
            CreditMetricName::CovenantLeverage => "Covenant leverage",
            CreditMetricName::LeaseAdjustedLeverage => "Lease-adjusted leverage",
            CreditMetricName::Ifrs16Leverage => "IFRS 16 leverage",
            CreditMetricName::CovenantInterestCoverage => "Covenant interest coverage",
            CreditMetricName::EbitdarFixedChargeCoverage => "EBITDAR fixed-charge coverage",
        }
    }

    /// Whether higher is worse (leverage) rather than better (coverage).
    pub fn is_leverage(self) -> bool {
        !matches!(
            self,
            CreditMetricName::CovenantInterestCoverage
                | CreditMetricName::EbitdarFixedChargeCoverage
        )
    }

    /// One line a treasurer reads to know what the lens counts.
    pub fn definition(self) -> &'static str {
        match self {
            CreditMetricName::ReportedLeverage => {
                "Net debt after repayment / EBITDA held flat (the reference model: rent ignored, leases not debt)"
            }
            CreditMetricName::CovenantLeverage => {
                "US GAAP: net debt after repayment / (EBITDA − new rent); leases are not debt, rent is an operating cost"
            }
            CreditMetricName::LeaseAdjustedLeverage => {
                "Rating agencies: (net debt + lease multiple × total rent) / EBITDAR"
            }
            CreditMetricName::Ifrs16Leverage => {
                "IFRS 16: (net debt + present value of all lease payments) / EBITDAR"
            }
            CreditMetricName::CovenantInterestCoverage => {
                "(EBITDA − new rent) / interest after repayment"
            }
            CreditMetricName::EbitdarFixedChargeCoverage => {
                "EBITDAR / (interest after repayment + existing rent + new rent)"
            }
        }
    }
}

/// One lens before and after the program. Null = not meaningful (a non-positive or zero
/// denominator), never a negative ratio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CreditMetric {
    pub name: CreditMetricName,
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// The spec's hard constraint on this lens, if any.
    pub limit: Option<f64>,
    pub definition: String,
}

/// What the program does to the company, in every lens (docs/credit.md §5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CreditAnalysis {
    pub assumptions: ResolvedAssumptions,
    pub transaction: TransactionSummary,
    /// In the order of [`CreditMetricName::ALL`].
    pub metrics: Vec<CreditMetric>,
}

impl CreditAnalysis {
    /// The lens of that name.
    pub fn metric(&self, name: CreditMetricName) -> Option<&CreditMetric> {
        self.metrics.iter().find(|metric| metric.name == name)
    }
}
