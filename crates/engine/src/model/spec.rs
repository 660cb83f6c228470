//! The structured program spec the planner produces and the engine executes (SPEC §2.4).

use serde::{Deserialize, Serialize};

use super::enums::{AssetType, Objective, ProgramType};

/// Covenant-style limits on the post-transaction company. Null = not enforced.
/// Once the initial spec exists these may only be tightened (revision policy).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HardConstraints {
    /// Net debt after / EBITDA must be ≤ this, in (0, 10).
    #[serde(default)]
    pub max_net_leverage: Option<f64>,
    /// EBITDA / interest after must be ≥ this, in (0, 50).
    #[serde(default)]
    pub min_interest_coverage: Option<f64>,
    /// EBITDA / (interest after + lease after) must be ≥ this, in (0, 20).
    #[serde(default)]
    pub min_fixed_charge_coverage: Option<f64>,
    /// Share of sold NOI from critical assets must be ≤ this, in (0, 1].
    #[serde(default)]
    pub max_critical_fraction: Option<f64>,
    /// Rating-agency leverage after the program, (net debt − repaid + multiple × (lease
    /// expense + new rent)) / (EBITDA + lease expense), must be ≤ this, in (0, 20).
    /// Omitted from the wire when null (additive to the reference's spec).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_lease_adjusted_leverage: Option<f64>,
    /// Covenant (US GAAP) leverage after the program, (net debt − repaid) / (EBITDA − new
    /// rent), must be ≤ this, in (0, 20). Omitted from the wire when null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_covenant_leverage: Option<f64>,
    /// At most this many assets sold (≥ 1). Omitted from the wire when null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub max_assets_sold: Option<i64>,
}

/// Scoring preferences; the planner may change these freely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SoftPreferences {
    #[serde(default = "yes")]
    pub prefer_low_criticality: bool,
    #[serde(default = "yes")]
    pub prefer_high_leaseability: bool,
    #[serde(default = "one")]
    pub weight_criticality: f64,
    #[serde(default = "one")]
    pub weight_leaseability: f64,
}

fn yes() -> bool {
    true
}

fn one() -> f64 {
    1.0
}

impl Default for SoftPreferences {
    fn default() -> Self {
        SoftPreferences {
            prefer_low_criticality: true,
            prefer_high_leaseability: true,
            weight_criticality: 1.0,
            weight_leaseability: 1.0,
        }
    }
}

/// Pre-selection filters. Null (and, for lists, empty) means "no filter".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssetFilters {
    #[serde(default)]
    pub include_asset_types: Option<Vec<AssetType>>,
    #[serde(default)]
    pub exclude_asset_types: Option<Vec<AssetType>>,
    /// Exact, case-sensitive market strings.
    #[serde(default)]
    pub exclude_markets: Option<Vec<String>>,
    #[serde(default)]
    pub min_leaseability_score: Option<f64>,
    #[serde(default)]
    pub max_criticality: Option<f64>,
    /// Assets never to sell, by `asset_id`. Omitted from the wire when null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub exclude_asset_ids: Option<Vec<String>>,
    /// Only these assets may be sold, by `asset_id` (null or empty = no such list). Omitted
    /// from the wire when null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub include_asset_ids: Option<Vec<String>>,
}

pub const DEFAULT_MAX_ITERATIONS: i64 = 3;

fn default_max_iterations() -> i64 {
    DEFAULT_MAX_ITERATIONS
}

/// What to raise and under which limits: the planner's output, the engine's input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SelectorSpec {
    pub program_type: ProgramType,
    pub objective: Objective,
    /// Proceeds to raise, $ (> 0).
    pub target_amount: f64,
    #[serde(default)]
    pub hard_constraints: HardConstraints,
    #[serde(default)]
    pub soft_preferences: SoftPreferences,
    #[serde(default)]
    pub asset_filters: AssetFilters,
    #[serde(default)]
    pub time_horizon_years: Option<i64>,
    /// Bound on engine runs in the revision loop, 1–10.
    #[serde(default = "default_max_iterations")]
    pub max_iterations: i64,
}

impl SelectorSpec {
    /// A spec with the model defaults: no constraints, default preferences, no filters.
    pub fn new(objective: Objective, target_amount: f64) -> Self {
        SelectorSpec {
            program_type: ProgramType::Slb,
            objective,
            target_amount,
            hard_constraints: HardConstraints::default(),
            soft_preferences: SoftPreferences::default(),
            asset_filters: AssetFilters::default(),
            time_horizon_years: None,
            max_iterations: DEFAULT_MAX_ITERATIONS,
        }
    }
}
