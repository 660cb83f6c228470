//! Per-request assumptions (docs/credit.md §1.1): the market assumptions that price the
//! assets, and the transaction and credit assumptions of the credit analysis.
//!
//! Every field is nullable; a null field keeps the engine configuration's value. Market
//! assumptions replace the configuration for the whole run (reference metrics, greedy, optimal,
//! explanation, revision loop); the others are read only by the credit analysis and the two
//! lease-aware constraints. With no assumptions at all, every reference number is unchanged.

use serde::{Deserialize, Serialize};

use super::enums::{AssetType, MarketTier};

/// One cell of the cap-rate curve replaced for a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CapRateOverride {
    pub asset_type: AssetType,
    pub market_tier: MarketTier,
    /// The cell's cap rate, in (0, 0.5).
    pub cap_rate: f64,
}

/// What a run assumes about the market, the transaction and the company's credit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Assumptions {
    /// Added to every cap rate of the curve, in basis points, −500 … 500 (applied after the
    /// overrides).
    #[serde(default)]
    pub cap_rate_shift_bps: Option<f64>,
    /// Cells of the cap-rate curve replaced for this run.
    #[serde(default)]
    pub cap_rate_overrides: Option<Vec<CapRateOverride>>,
    /// Share of market value lost to transaction costs, [0, 0.5).
    #[serde(default)]
    pub transaction_haircut: Option<f64>,
    /// New annual rent as a multiple of NOI, (0, 3].
    #[serde(default)]
    pub rent_multiplier: Option<f64>,
    /// Rate saved on repaid debt, (0, 0.5).
    #[serde(default)]
    pub cost_of_debt: Option<f64>,
    /// Tax on the program's net gain over tax basis, [0, 0.6].
    #[serde(default)]
    pub tax_rate: Option<f64>,
    /// Base term of the new leases, whole years 1 … 50.
    #[serde(default)]
    pub lease_term_years: Option<i64>,
    /// Annual rent growth, [−0.05, 0.15].
    #[serde(default)]
    pub rent_escalator: Option<f64>,
    /// Discount rate of lease payments, (0, 0.5); null = the run's cost of debt.
    #[serde(default)]
    pub lease_discount_rate: Option<f64>,
    /// Rating-agency rent multiple, [0, 20].
    #[serde(default)]
    pub lease_multiple: Option<f64>,
    /// Annual growth of the sold properties' value, [−0.1, 0.15].
    #[serde(default)]
    pub residual_growth: Option<f64>,
}

impl Assumptions {
    /// Whether no field is set (the run uses the engine configuration as it is).
    pub fn is_empty(&self) -> bool {
        *self == Assumptions::default()
    }
}

/// The assumptions a run used, every field resolved to the number used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ResolvedAssumptions {
    pub cap_rate_shift_bps: f64,
    /// The cells replaced (empty when none).
    pub cap_rate_overrides: Vec<CapRateOverride>,
    pub transaction_haircut: f64,
    pub rent_multiplier: f64,
    pub cost_of_debt: f64,
    pub tax_rate: f64,
    pub lease_term_years: i64,
    pub rent_escalator: f64,
    pub lease_discount_rate: f64,
    pub lease_multiple: f64,
    pub residual_growth: f64,
}
