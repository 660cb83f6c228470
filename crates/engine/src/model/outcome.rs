//! What one engine run returns (SPEC §2.6).

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};

use super::enums::{PolicyViolationCode, SelectionStatus};
use super::portfolio::Asset;

/// A hard constraint or the target that the final selection breaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConstraintViolation {
    pub code: String,
    pub detail: String,
    /// The offending value. NaN when the ratio is undefined: written as `null` on the wire.
    #[serde(deserialize_with = "nan_if_null")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<f64>"))]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub actual: f64,
    pub limit: f64,
}

fn nan_if_null<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// A clamp or rejection applied by the revision policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PolicyViolation {
    pub code: PolicyViolationCode,
    pub detail: String,
    /// The spec field concerned.
    pub field: String,
    /// What the planner proposed.
    #[serde(default)]
    pub attempted: Option<f64>,
    /// The bound enforced.
    #[serde(default)]
    pub limit: Option<f64>,
    /// Value clamped to; null when the revision was rejected or nothing numeric was clamped.
    #[serde(default)]
    pub adjusted_to: Option<f64>,
}

/// One asset chosen for sale, with its economics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssetSelection {
    // Shared with the portfolio it was picked from: selecting 60k assets copies pointers,
    // not property records.
    pub asset: Arc<Asset>,
    /// Net sale proceeds, $.
    pub proceeds: f64,
    /// Annual rent paid back to the buyer, $.
    pub slb_rent: f64,
}

/// The engine's answer: what to sell and what the company looks like afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramOutcome {
    pub status: SelectionStatus,
    /// In selection order.
    #[serde(default)]
    pub selected_assets: Vec<AssetSelection>,
    pub proceeds: f64,
    #[serde(default)]
    pub leverage_before: Option<f64>,
    #[serde(default)]
    pub interest_coverage_before: Option<f64>,
    #[serde(default)]
    pub fixed_charge_coverage_before: Option<f64>,
    #[serde(default)]
    pub leverage_after: Option<f64>,
    #[serde(default)]
    pub interest_coverage_after: Option<f64>,
    #[serde(default)]
    pub fixed_charge_coverage_after: Option<f64>,
    #[serde(default)]
    pub critical_fraction: f64,
    /// Empty iff status is `ok`.
    #[serde(default)]
    pub violations: Vec<ConstraintViolation>,
    /// Guardrail messages (repayment capped, interest clamped, ...).
    #[serde(default)]
    pub warnings: Vec<String>,
}
