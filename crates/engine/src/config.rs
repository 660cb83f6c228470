//! Engine and revision-policy configuration with the reference defaults (SPEC §3).

use serde::{Deserialize, Serialize};

use crate::model::{AssetType, MarketTier};

/// Cap rates of one asset type, per market tier. Serialised with keys "1", "2", "3".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TierRates {
    #[serde(rename = "1")]
    pub tier1: f64,
    #[serde(rename = "2")]
    pub tier2: f64,
    #[serde(rename = "3")]
    pub tier3: f64,
}

// Lookups index rather than match: tiers and types arrive in no predictable order, and a
// mispredicted branch per asset keeps the CPU from loading the next assets while it prices
// this one, which makes scanning a large portfolio several times slower.
impl TierRates {
    #[inline]
    pub fn get(&self, tier: MarketTier) -> f64 {
        [self.tier1, self.tier2, self.tier3][usize::from(tier.number() - 1)]
    }
}

/// Cap rate by asset type and market tier. A struct rather than a map so every lookup is total.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CapRateCurve {
    pub store: TierRates,
    pub distribution_center: TierRates,
    pub office: TierRates,
    pub mixed_use: TierRates,
    pub other: TierRates,
}

impl CapRateCurve {
    #[inline]
    pub fn rate(&self, asset_type: AssetType, tier: MarketTier) -> f64 {
        let by_type = [
            &self.store,
            &self.distribution_center,
            &self.office,
            &self.mixed_use,
            &self.other,
        ];
        by_type[asset_type as usize].get(tier)
    }
}

impl Default for CapRateCurve {
    fn default() -> Self {
        let t = |tier1, tier2, tier3| TierRates {
            tier1,
            tier2,
            tier3,
        };
        CapRateCurve {
            store: t(0.055, 0.065, 0.075),
            distribution_center: t(0.045, 0.055, 0.065),
            office: t(0.060, 0.070, 0.080),
            mixed_use: t(0.055, 0.065, 0.075),
            other: t(0.070, 0.080, 0.090),
        }
    }
}

/// Default of [`EngineConfig::optimiser_node_budget`] and of the optimiser's
/// [`SearchLimits`](crate::selection::optimal::SearchLimits).
pub const DEFAULT_OPTIMISER_NODE_BUDGET: u64 = 300_000;

/// Economic assumptions of the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngineConfig {
    pub cap_rate_curve: CapRateCurve,
    pub default_market_tier: MarketTier,
    /// Share of market value lost to transaction costs, [0, 1).
    pub transaction_haircut: f64,
    /// Blended rate of the debt repaid with proceeds, (0, 1).
    pub avg_cost_of_debt: f64,
    /// SLB rent as a multiple of NOI (> 0).
    pub slb_rent_multiplier: f64,
    /// Proceeds within this fraction below target count as meeting it, [0, 1).
    pub target_tolerance: f64,
    /// An asset is critical when its criticality is strictly above this.
    pub criticality_threshold: f64,
    /// |x| below this is treated as a zero denominator.
    pub epsilon: f64,
    /// Defaults the planner applies when the brief is silent (never applied by the engine).
    pub default_max_net_leverage: f64,
    pub default_min_fixed_charge_coverage: f64,
    pub default_min_interest_coverage: Option<f64>,
    pub default_max_iterations: i64,
    /// Search budget of the `optimal` strategy, in branch-and-bound nodes (≈1.5 µs each at 200
    /// assets). A budget instead of a clock keeps results identical on every machine; a search
    /// that exhausts it returns its best selection with a warning that optimality is not proven.
    pub optimiser_node_budget: u64,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            cap_rate_curve: CapRateCurve::default(),
            default_market_tier: MarketTier::Secondary,
            transaction_haircut: 0.025,
            avg_cost_of_debt: 0.06,
            slb_rent_multiplier: 1.0,
            target_tolerance: 0.02,
            criticality_threshold: 0.7,
            epsilon: 1e-9,
            default_max_net_leverage: 4.0,
            default_min_fixed_charge_coverage: 3.0,
            default_min_interest_coverage: None,
            default_max_iterations: 3,
            optimiser_node_budget: DEFAULT_OPTIMISER_NODE_BUDGET,
        }
    }
}

/// Bounds on how far one revision may move the spec (SPEC §3.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RevisionPolicyConfig {
    pub global_target_floor_fraction: f64,
    pub max_per_iteration_target_drop_fraction: f64,
    pub max_criticality_step: f64,
    pub max_criticality_ceiling: f64,
    pub max_criticality_default_baseline: f64,
    pub min_leaseability_step: f64,
    pub min_leaseability_floor: f64,
    pub min_leaseability_default_baseline: f64,
}

impl Default for RevisionPolicyConfig {
    fn default() -> Self {
        RevisionPolicyConfig {
            global_target_floor_fraction: 0.75,
            max_per_iteration_target_drop_fraction: 0.20,
            max_criticality_step: 0.1,
            max_criticality_ceiling: 0.8,
            max_criticality_default_baseline: 0.5,
            min_leaseability_step: 0.1,
            min_leaseability_floor: 0.2,
            min_leaseability_default_baseline: 0.5,
        }
    }
}
