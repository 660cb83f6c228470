//! Sale-leaseback economics (SPEC §4.1–4.4): what one asset fetches, and what the company looks
//! like before and after selling a set of assets.
//!
//! Every formula keeps the reference's order of operations, and every sum runs left to right
//! in pick order, so results are bit-identical to the reference. Sums over a selection are kept
//! in [`SelectionTotals`], which can be grown one asset at a time: adding an asset to running
//! totals performs exactly the additions a left-to-right re-sum of the longer list would, which
//! is what lets the greedy walk check each candidate in O(1).

use crate::config::EngineConfig;
use crate::credit::tax_basis;
use crate::model::{Asset, AssetType, CorporateState, MarketTier, SelectedAsset, SelectedAssets};
use crate::pyfmt;

/// What selling one asset yields (SPEC §4.1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AssetMetrics {
    /// NOI capitalised at the asset's cap rate.
    pub market_value: f64,
    /// Market value net of the transaction haircut.
    pub proceeds: f64,
    /// Annual rent paid back to the buyer.
    pub slb_rent: f64,
    /// Cap rate of the asset's type and market tier.
    pub cap_rate: f64,
}

/// Values one asset with the config's cap-rate curve; an asset without a tier uses the
/// config's default tier.
#[inline]
pub fn asset_metrics(asset: &Asset, config: &EngineConfig) -> AssetMetrics {
    metrics_of(asset.noi, asset.asset_type, asset.market_tier, config)
}

/// [`asset_metrics`] of an asset known by the fields its value depends on.
#[inline]
pub fn metrics_of(
    noi: f64,
    asset_type: AssetType,
    market_tier: Option<MarketTier>,
    config: &EngineConfig,
) -> AssetMetrics {
    let tier = market_tier.unwrap_or(config.default_market_tier);
    let cap_rate = config.cap_rate_curve.rate(asset_type, tier);
    let market_value = noi / cap_rate;
    AssetMetrics {
        market_value,
        proceeds: market_value * (1.0 - config.transaction_haircut),
        slb_rent: slb_rent(noi, config),
        cap_rate,
    }
}

/// Annual rent on an asset of this NOI once sold and leased back.
#[inline]
pub fn slb_rent(noi: f64, config: &EngineConfig) -> f64 {
    noi * config.slb_rent_multiplier
}

/// Ratios of the company before any sale (SPEC §4.2). `None` = not meaningful (denominator ≈ 0).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaselineMetrics {
    pub leverage: Option<f64>,
    pub interest_coverage: Option<f64>,
    pub fixed_charge_coverage: Option<f64>,
}

/// Pre-transaction leverage and coverage; each ratio is undefined on its own near-zero
/// denominator only.
pub fn baseline_metrics(state: &CorporateState, config: &EngineConfig) -> BaselineMetrics {
    let fixed_charges = state.interest_expense + state.lease_expense.unwrap_or(0.0);
    BaselineMetrics {
        leverage: ratio(state.net_debt, state.ebitda, config.epsilon),
        interest_coverage: ratio(state.ebitda, state.interest_expense, config.epsilon),
        fixed_charge_coverage: ratio(state.ebitda, fixed_charges, config.epsilon),
    }
}

/// `numerator / denominator`, or `None` when `|denominator| < epsilon`. (Written as the
/// reference's test so a NaN denominator still divides, giving NaN rather than `None`.)
fn ratio(numerator: f64, denominator: f64, epsilon: f64) -> Option<f64> {
    if denominator.abs() < epsilon {
        None
    } else {
        Some(numerator / denominator)
    }
}

/// The per-asset quantities a selection's totals are made of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contribution {
    pub proceeds: f64,
    pub slb_rent: f64,
    pub noi: f64,
    /// Proceeds over tax basis (docs/credit.md §2).
    pub taxable_gain: f64,
    /// Criticality strictly above the config's threshold.
    pub is_critical: bool,
}

impl Contribution {
    /// The contribution of an already priced selection (its own proceeds and rent are used).
    pub fn of_selection(selection: SelectedAsset<'_>, config: &EngineConfig) -> Self {
        Contribution {
            proceeds: selection.proceeds,
            slb_rent: selection.slb_rent,
            noi: selection.asset.noi,
            taxable_gain: selection.proceeds - tax_basis(selection.asset),
            is_critical: is_critical(selection.asset, config),
        }
    }

    /// The contribution of an asset priced by [`asset_metrics`].
    pub fn of_asset(asset: &Asset, metrics: &AssetMetrics, config: &EngineConfig) -> Self {
        Contribution {
            proceeds: metrics.proceeds,
            slb_rent: metrics.slb_rent,
            noi: asset.noi,
            taxable_gain: metrics.proceeds - tax_basis(asset),
            is_critical: is_critical(asset, config),
        }
    }
}

/// An asset is critical when its criticality is strictly above the threshold.
pub fn is_critical(asset: &Asset, config: &EngineConfig) -> bool {
    is_critical_level(asset.criticality, config)
}

/// Whether an asset of this criticality is critical.
#[inline]
pub fn is_critical_level(criticality: f64, config: &EngineConfig) -> bool {
    criticality > config.criticality_threshold
}

/// Left-to-right sums over a selection, in pick order.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SelectionTotals {
    /// Number of assets summed.
    pub count: usize,
    pub proceeds: f64,
    pub slb_rent: f64,
    pub noi: f64,
    /// NOI of the critical assets only.
    pub critical_noi: f64,
    /// Proceeds over tax basis (read by the credit analysis only).
    pub taxable_gain: f64,
}

impl SelectionTotals {
    /// Totals of a whole selection, summed in list order.
    pub fn of(selected: &SelectedAssets, config: &EngineConfig) -> Self {
        selected
            .iter()
            .fold(SelectionTotals::default(), |totals, selection| {
                totals.with(Contribution::of_selection(selection, config))
            })
    }

    /// The totals as exact bit patterns, for identity checks that hold for NaN too.
    pub fn bits(&self) -> [u64; 6] {
        [
            self.count as u64,
            self.proceeds.to_bits(),
            self.slb_rent.to_bits(),
            self.noi.to_bits(),
            self.critical_noi.to_bits(),
            self.taxable_gain.to_bits(),
        ]
    }

    /// The totals of this selection followed by one more asset. Bit-identical to re-summing
    /// the longer list left to right.
    #[must_use]
    pub fn with(self, added: Contribution) -> Self {
        SelectionTotals {
            count: self.count + 1,
            proceeds: self.proceeds + added.proceeds,
            slb_rent: self.slb_rent + added.slb_rent,
            noi: self.noi + added.noi,
            critical_noi: if added.is_critical {
                self.critical_noi + added.noi
            } else {
                self.critical_noi
            },
            taxable_gain: self.taxable_gain + added.taxable_gain,
        }
    }
}

/// The company after the sale (SPEC §4.3). EBITDA is held constant; every dollar of proceeds
/// repays debt at the blended cost of debt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PostMetrics {
    pub net_debt: f64,
    pub interest_expense: f64,
    pub total_lease_expense: f64,
    pub leverage: Option<f64>,
    pub interest_coverage: Option<f64>,
    pub fixed_charge_coverage: Option<f64>,
    /// Set when proceeds exceeded net debt and the repayment was capped (warning W1).
    pub repayment_cap: Option<RepaymentCap>,
    /// Set when the interest saving exceeded the interest expense (warning W2).
    pub interest_clamp: Option<InterestClamp>,
}

/// Proceeds larger than the net debt they were meant to repay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RepaymentCap {
    pub proceeds: f64,
    pub net_debt: f64,
}

/// An interest saving larger than the interest expense; interest after is clamped to zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InterestClamp {
    /// Saving computed from the capped repayment.
    pub reduction: f64,
    pub interest_expense: f64,
}

impl PostMetrics {
    /// The guardrail warnings, W1 then W2, worded exactly as the reference's.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if let Some(cap) = self.repayment_cap {
            warnings.push(format!(
                "Proceeds (${}) exceed net_debt (${}); surplus ${} ignored for debt paydown",
                pyfmt::thousands0(cap.proceeds),
                pyfmt::thousands0(cap.net_debt),
                pyfmt::thousands0(cap.proceeds - cap.net_debt),
            ));
        }
        if let Some(clamp) = self.interest_clamp {
            warnings.push(format!(
                "Interest reduction (${}) exceeds interest_expense (${}); clamped to zero",
                pyfmt::thousands0(clamp.reduction),
                pyfmt::thousands0(clamp.interest_expense),
            ));
        }
        warnings
    }
}

/// Post-transaction metrics of a selection with the given totals.
pub fn post_metrics(
    state: &CorporateState,
    totals: &SelectionTotals,
    config: &EngineConfig,
) -> PostMetrics {
    let proceeds = totals.proceeds;
    let (repaid, repayment_cap) = if proceeds > state.net_debt {
        let cap = RepaymentCap {
            proceeds,
            net_debt: state.net_debt,
        };
        (state.net_debt, Some(cap))
    } else {
        (proceeds, None)
    };
    let net_debt = state.net_debt - repaid;

    let reduction = repaid * config.avg_cost_of_debt;
    let unclamped_interest = state.interest_expense - reduction;
    let (interest_expense, interest_clamp) = if unclamped_interest < 0.0 {
        let clamp = InterestClamp {
            reduction,
            interest_expense: state.interest_expense,
        };
        (0.0, Some(clamp))
    } else {
        (unclamped_interest, None)
    };

    let total_lease_expense = state.lease_expense.unwrap_or(0.0) + totals.slb_rent;

    let ebitda = state.ebitda;
    let (leverage, interest_coverage, fixed_charge_coverage) = if ebitda.abs() < config.epsilon {
        (None, None, None)
    } else {
        (
            Some(net_debt / ebitda),
            ratio(ebitda, interest_expense, config.epsilon),
            ratio(
                ebitda,
                interest_expense + total_lease_expense,
                config.epsilon,
            ),
        )
    };

    PostMetrics {
        net_debt,
        interest_expense,
        total_lease_expense,
        leverage,
        interest_coverage,
        fixed_charge_coverage,
        repayment_cap,
        interest_clamp,
    }
}

/// Share of the selection's NOI that comes from critical assets (SPEC §4.4); 0 for an empty
/// selection or a selection without NOI.
pub fn critical_fraction(totals: &SelectionTotals, config: &EngineConfig) -> f64 {
    if totals.count == 0 || totals.noi.abs() < config.epsilon {
        0.0
    } else {
        totals.critical_noi / totals.noi
    }
}
