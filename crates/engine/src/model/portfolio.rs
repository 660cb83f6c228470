//! The company's owned properties and its financial position (SPEC §2.2–2.3).

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::enums::{AssetType, MarketTier};
use crate::selection::columns::Columns;

/// One owned property that could be sold and leased back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Asset {
    pub asset_id: String,
    pub asset_type: AssetType,
    pub market: String,
    /// Annual net operating income, $ (> 0).
    pub noi: f64,
    /// Book value, $ (> 0). Shown to users; not used by the engine.
    pub book_value: f64,
    /// How essential the site is to operations, 0–1.
    pub criticality: f64,
    /// How easily an investor could re-lease the site, 0–1.
    pub leaseability_score: f64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    /// Missing tier falls back to the engine's default tier.
    #[serde(default)]
    pub market_tier: Option<MarketTier>,
    #[serde(default)]
    pub tenant_name: Option<String>,
    #[serde(default)]
    pub tenant_credit_score: Option<f64>,
    #[serde(default)]
    pub wault_years: Option<f64>,
    #[serde(default)]
    pub demographic_index: Option<f64>,
    #[serde(default)]
    pub esg_risk_score: Option<f64>,
    #[serde(default)]
    pub current_ltv: Option<f64>,
    #[serde(default)]
    pub existing_debt_amount: Option<f64>,
    #[serde(default)]
    pub encumbrance_type: Option<String>,
    /// Tax basis, $ (≥ 0); null = the book value. Read only by the credit analysis (the tax
    /// on the gain). Omitted from the wire when null, so reference outputs stay unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional = nullable))]
    pub tax_basis: Option<f64>,
}

impl Asset {
    /// A minimal asset with every optional field unset (handy for tests and generators).
    pub fn new(
        asset_id: impl Into<String>,
        asset_type: AssetType,
        market: impl Into<String>,
        noi: f64,
        book_value: f64,
        criticality: f64,
        leaseability_score: f64,
    ) -> Self {
        Asset {
            asset_id: asset_id.into(),
            asset_type,
            market: market.into(),
            noi,
            book_value,
            criticality,
            leaseability_score,
            name: None,
            country: None,
            market_tier: None,
            tenant_name: None,
            tenant_credit_score: None,
            wault_years: None,
            demographic_index: None,
            esg_risk_score: None,
            current_ltv: None,
            existing_debt_amount: None,
            encumbrance_type: None,
            tax_basis: None,
        }
    }
}

/// The assets of one request: immutable, shared and prepared for selection.
///
/// Cloning is O(1) (requests, scenario variants and outcomes all share one copy), and the
/// fields selection reads are also held column by column, built once here: the revision loop
/// and every scenario variant select from the same portfolio again and again, and scanning
/// dense columns of a 100k-asset portfolio costs a fraction of scanning the assets themselves.
///
/// On the wire it is a plain array of assets. Positions are `u32`-sized, so a portfolio holds
/// fewer than 2³² assets (about a terabyte of them).
#[derive(Clone, Default)]
pub struct Portfolio(Arc<Prepared>);

#[derive(Default)]
struct Prepared {
    assets: Vec<Asset>,
    columns: Columns,
}

impl Portfolio {
    pub fn new(assets: Vec<Asset>) -> Self {
        assert!(
            u32::try_from(assets.len()).is_ok(),
            "a portfolio holds fewer than 2^32 assets"
        );
        let columns = Columns::of(&assets);
        Portfolio(Arc::new(Prepared { assets, columns }))
    }

    pub fn assets(&self) -> &[Asset] {
        &self.0.assets
    }

    pub(crate) fn columns(&self) -> &Columns {
        &self.0.columns
    }
}

impl Deref for Portfolio {
    type Target = [Asset];

    fn deref(&self) -> &[Asset] {
        self.assets()
    }
}

impl From<Vec<Asset>> for Portfolio {
    fn from(assets: Vec<Asset>) -> Self {
        Portfolio::new(assets)
    }
}

impl FromIterator<Asset> for Portfolio {
    fn from_iter<I: IntoIterator<Item = Asset>>(assets: I) -> Self {
        Portfolio::new(assets.into_iter().collect())
    }
}

impl PartialEq for Portfolio {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.assets() == other.assets()
    }
}

impl fmt::Debug for Portfolio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.assets()).finish()
    }
}

impl Serialize for Portfolio {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.assets().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Portfolio {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Asset>::deserialize(deserializer).map(Portfolio::new)
    }
}

/// The company's financial position before any sale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CorporateState {
    /// Debt minus cash, $ (≥ 0).
    pub net_debt: f64,
    /// Trailing twelve-month EBITDA, $; may be ≤ 0 for a distressed company.
    pub ebitda: f64,
    /// Annual interest expense, $ (≥ 0).
    pub interest_expense: f64,
    /// Operating lease expense before the program, $ (≥ 0); null counts as 0.
    #[serde(default)]
    pub lease_expense: Option<f64>,
}
