//! Engine and revision-policy configuration with the reference defaults (SPEC §3).

use serde::{Deserialize, Serialize};

use crate::model::{AssetType, Assumptions, CapRateOverride, MarketTier, ResolvedAssumptions};

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
    /// Transaction and credit assumptions of the credit analysis (never read by the
    /// reference metrics).
    pub credit: CreditConfig,
}

/// Transaction and credit assumptions (docs/credit.md §1.1): read only by the credit analysis
/// and the lease-aware constraints.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreditConfig {
    /// Tax on the program's net gain over tax basis, [0, 0.6].
    pub tax_rate: f64,
    /// Base term of the new leases, years.
    pub lease_term_years: u32,
    /// Annual rent growth.
    pub rent_escalator: f64,
    /// Discount rate of lease payments; `None` = the run's cost of debt.
    pub lease_discount_rate: Option<f64>,
    /// Rating-agency rent multiple (debt per dollar of rent).
    pub lease_multiple: f64,
    /// Annual growth of the sold properties' value.
    pub residual_growth: f64,
}

impl Default for CreditConfig {
    fn default() -> Self {
        CreditConfig {
            tax_rate: 0.25,
            lease_term_years: 15,
            rent_escalator: 0.02,
            lease_discount_rate: None,
            lease_multiple: 8.0,
            residual_growth: 0.02,
        }
    }
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
            credit: CreditConfig::default(),
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

/// Cap rates at or below this are refused: a run's assumptions may not price assets at
/// 200× NOI or more.
pub const MIN_CAP_RATE: f64 = 0.005;

impl CapRateCurve {
    /// Mutable access to one cell.
    fn cell_mut(&mut self, asset_type: AssetType, tier: MarketTier) -> &mut f64 {
        let rates = match asset_type {
            AssetType::Store => &mut self.store,
            AssetType::DistributionCenter => &mut self.distribution_center,
            AssetType::Office => &mut self.office,
            AssetType::MixedUse => &mut self.mixed_use,
            AssetType::Other => &mut self.other,
        };
        match tier {
            MarketTier::Primary => &mut rates.tier1,
            MarketTier::Secondary => &mut rates.tier2,
            MarketTier::Tertiary => &mut rates.tier3,
        }
    }

    /// The curve with `overrides` written into their cells, then `shift_bps` added to every
    /// cell. A shift of 0 leaves every rate bit-identical.
    pub fn adjusted(&self, overrides: &[CapRateOverride], shift_bps: f64) -> CapRateCurve {
        let mut curve = *self;
        for cell in overrides {
            *curve.cell_mut(cell.asset_type, cell.market_tier) = cell.cap_rate;
        }
        if shift_bps != 0.0 {
            let shift = shift_bps / 10_000.0;
            for asset_type in AssetType::ALL {
                for tier in [
                    MarketTier::Primary,
                    MarketTier::Secondary,
                    MarketTier::Tertiary,
                ] {
                    *curve.cell_mut(*asset_type, tier) += shift;
                }
            }
        }
        curve
    }
}

impl EngineConfig {
    /// The configuration of a run with these assumptions: market assumptions replace the
    /// curve, haircut, rent multiplier and cost of debt; the rest replace the credit
    /// assumptions. Null fields keep this configuration's values, so empty assumptions give
    /// this configuration back unchanged.
    pub fn with_assumptions(&self, assumptions: &Assumptions) -> EngineConfig {
        let mut config = self.clone();
        config.cap_rate_curve = self.cap_rate_curve.adjusted(
            assumptions.cap_rate_overrides.as_deref().unwrap_or(&[]),
            assumptions.cap_rate_shift_bps.unwrap_or(0.0),
        );
        let set = |target: &mut f64, value: Option<f64>| {
            if let Some(value) = value {
                *target = value;
            }
        };
        set(
            &mut config.transaction_haircut,
            assumptions.transaction_haircut,
        );
        set(&mut config.slb_rent_multiplier, assumptions.rent_multiplier);
        set(&mut config.avg_cost_of_debt, assumptions.cost_of_debt);
        let credit = &mut config.credit;
        set(&mut credit.tax_rate, assumptions.tax_rate);
        if let Some(years) = assumptions.lease_term_years {
            // Validated to 1 … 50 before any run.
            credit.lease_term_years = years.clamp(1, 50) as u32;
        }
        set(&mut credit.rent_escalator, assumptions.rent_escalator);
        if assumptions.lease_discount_rate.is_some() {
            credit.lease_discount_rate = assumptions.lease_discount_rate;
        }
        set(&mut credit.lease_multiple, assumptions.lease_multiple);
        set(&mut credit.residual_growth, assumptions.residual_growth);
        config
    }

    /// [`with_assumptions`](Self::with_assumptions) of optional assumptions.
    pub fn for_run(&self, assumptions: Option<&Assumptions>) -> EngineConfig {
        match assumptions {
            Some(assumptions) => self.with_assumptions(assumptions),
            None => self.clone(),
        }
    }

    /// Discount rate of lease payments: the credit assumption, or the run's cost of debt.
    pub fn lease_discount_rate(&self) -> f64 {
        self.credit
            .lease_discount_rate
            .unwrap_or(self.avg_cost_of_debt)
    }

    /// Every assumption this configuration runs with, as reported to users. `assumptions`
    /// are the request's (for the shift and the replaced cells, which the curve alone no
    /// longer tells).
    pub fn resolved_assumptions(&self, assumptions: Option<&Assumptions>) -> ResolvedAssumptions {
        ResolvedAssumptions {
            cap_rate_shift_bps: assumptions
                .and_then(|a| a.cap_rate_shift_bps)
                .unwrap_or(0.0),
            cap_rate_overrides: assumptions
                .and_then(|a| a.cap_rate_overrides.clone())
                .unwrap_or_default(),
            transaction_haircut: self.transaction_haircut,
            rent_multiplier: self.slb_rent_multiplier,
            cost_of_debt: self.avg_cost_of_debt,
            tax_rate: self.credit.tax_rate,
            lease_term_years: i64::from(self.credit.lease_term_years),
            rent_escalator: self.credit.rent_escalator,
            lease_discount_rate: self.lease_discount_rate(),
            lease_multiple: self.credit.lease_multiple,
            residual_growth: self.credit.residual_growth,
        }
    }
}
