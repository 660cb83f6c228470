//! What one engine run returns (SPEC §2.6).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::enums::{PolicyViolationCode, SelectionStatus, ViolationCode};
use super::portfolio::{Asset, Portfolio};

/// A hard constraint or the target that the final selection breaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConstraintViolation {
    pub code: ViolationCode,
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
// The wire shape of an entry of `SelectedAssets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AssetSelection {
    pub asset: Asset,
    /// Net sale proceeds, $.
    pub proceeds: f64,
    /// Annual rent paid back to the buyer, $.
    pub slb_rent: f64,
}

/// One entry of [`SelectedAssets`], borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SelectedAsset<'a> {
    pub asset: &'a Asset,
    /// Net sale proceeds, $.
    pub proceeds: f64,
    /// Annual rent paid back to the buyer, $.
    pub slb_rent: f64,
}

/// The assets chosen for sale, in pick order, each with its economics.
///
/// The assets stay in the portfolio they were picked from: an outcome that sells 60k assets
/// holds one reference to the portfolio and 60k small records, not 60k assets or 60k
/// reference counts. On the wire it is an array of [`AssetSelection`]; a deserialised
/// selection gets a portfolio of its own.
#[derive(Clone, Default)]
pub struct SelectedAssets {
    portfolio: Portfolio,
    picks: Vec<Pick>,
    /// Proceeds and rent summed as the picks arrive: a large program's totals without a
    /// second pass over its picks.
    sums: PickSums,
}

/// Left-to-right sums over the picks, in pick order.
#[derive(Debug, Clone, Copy, Default)]
struct PickSums {
    proceeds: f64,
    slb_rent: f64,
}

impl PickSums {
    fn add(&mut self, pick: &Pick) {
        self.proceeds += pick.proceeds;
        self.slb_rent += pick.slb_rent;
    }
}

/// One pick: where the asset sits in the portfolio, and its economics.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pick {
    pub(crate) position: usize,
    pub(crate) proceeds: f64,
    pub(crate) slb_rent: f64,
}

impl SelectedAssets {
    /// An empty selection from `portfolio`.
    pub fn new(portfolio: &Portfolio) -> Self {
        SelectedAssets {
            portfolio: portfolio.clone(),
            picks: Vec::new(),
            sums: PickSums::default(),
        }
    }

    /// An empty selection from `portfolio`, with room for `capacity` picks.
    pub fn with_capacity(portfolio: &Portfolio, capacity: usize) -> Self {
        SelectedAssets {
            portfolio: portfolio.clone(),
            picks: Vec::with_capacity(capacity),
            sums: PickSums::default(),
        }
    }

    /// Adds the portfolio's asset at `position` as the next pick.
    ///
    /// # Panics
    /// When `position` is outside the portfolio.
    pub fn push(&mut self, position: usize, proceeds: f64, slb_rent: f64) {
        assert!(
            position < self.portfolio.len(),
            "pick {position} is outside a portfolio of {}",
            self.portfolio.len()
        );
        let pick = Pick {
            position,
            proceeds,
            slb_rent,
        };
        self.sums.add(&pick);
        self.picks.push(pick);
    }

    /// Σ proceeds of the picks, summed left to right in pick order: bit-identical to
    /// [`SelectionTotals::of`](crate::economics::SelectionTotals::of)'s.
    pub fn total_proceeds(&self) -> f64 {
        self.sums.proceeds
    }

    /// Σ rent of the picks, summed left to right in pick order (as
    /// [`total_proceeds`](Self::total_proceeds)).
    pub fn total_slb_rent(&self) -> f64 {
        self.sums.slb_rent
    }

    pub fn len(&self) -> usize {
        self.picks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.picks.is_empty()
    }

    /// The `index`-th pick.
    pub fn get(&self, index: usize) -> Option<SelectedAsset<'_>> {
        self.picks
            .get(index)
            .map(|pick| pick.entry(&self.portfolio))
    }

    /// The picks, in order.
    pub fn iter(&self) -> SelectedAssetsIter<'_> {
        SelectedAssetsIter {
            picks: self.picks.iter(),
            portfolio: &self.portfolio,
        }
    }

    /// Where each pick sits in the portfolio, in pick order.
    pub fn positions(&self) -> impl DoubleEndedIterator<Item = usize> + ExactSizeIterator + '_ {
        self.picks.iter().map(|pick| pick.position)
    }

    /// The picks as stored, for the engine's own passes over thousands of them (no
    /// per-pick asset reference is formed).
    pub(crate) fn picks(&self) -> &[Pick] {
        &self.picks
    }

    /// The portfolio the picks come from.
    pub fn portfolio(&self) -> &Portfolio {
        &self.portfolio
    }
}

impl Pick {
    fn entry(self, portfolio: &Portfolio) -> SelectedAsset<'_> {
        SelectedAsset {
            asset: &portfolio[self.position],
            proceeds: self.proceeds,
            slb_rent: self.slb_rent,
        }
    }
}

/// The picks of a [`SelectedAssets`], in order.
pub struct SelectedAssetsIter<'a> {
    picks: std::slice::Iter<'a, Pick>,
    portfolio: &'a Portfolio,
}

impl<'a> Iterator for SelectedAssetsIter<'a> {
    type Item = SelectedAsset<'a>;

    fn next(&mut self) -> Option<SelectedAsset<'a>> {
        self.picks.next().map(|pick| pick.entry(self.portfolio))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.picks.size_hint()
    }
}

impl DoubleEndedIterator for SelectedAssetsIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.picks
            .next_back()
            .map(|pick| pick.entry(self.portfolio))
    }
}

impl ExactSizeIterator for SelectedAssetsIter<'_> {}

impl<'a> IntoIterator for &'a SelectedAssets {
    type Item = SelectedAsset<'a>;
    type IntoIter = SelectedAssetsIter<'a>;

    fn into_iter(self) -> SelectedAssetsIter<'a> {
        self.iter()
    }
}

impl From<Vec<AssetSelection>> for SelectedAssets {
    fn from(selections: Vec<AssetSelection>) -> Self {
        let mut picks = Vec::with_capacity(selections.len());
        let mut sums = PickSums::default();
        let assets = selections
            .into_iter()
            .enumerate()
            .map(|(position, selection)| {
                let pick = Pick {
                    position,
                    proceeds: selection.proceeds,
                    slb_rent: selection.slb_rent,
                };
                sums.add(&pick);
                picks.push(pick);
                selection.asset
            })
            .collect();
        SelectedAssets {
            portfolio: Portfolio::new(assets),
            picks,
            sums,
        }
    }
}

impl PartialEq for SelectedAssets {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for SelectedAssets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for SelectedAssets {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for SelectedAssets {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<AssetSelection>::deserialize(deserializer).map(SelectedAssets::from)
    }
}

/// The engine's answer: what to sell and what the company looks like afterwards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramOutcome {
    pub status: SelectionStatus,
    /// In selection order.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<AssetSelection>"))]
    #[cfg_attr(feature = "ts", ts(as = "Vec<AssetSelection>"))]
    pub selected_assets: SelectedAssets,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AssetType;

    fn portfolio() -> Portfolio {
        ["A", "B", "C"]
            .into_iter()
            .map(|id| Asset::new(id, AssetType::Store, "NYC", 1e6, 1e7, 0.5, 0.5))
            .collect()
    }

    #[test]
    fn picks_read_back_in_pick_order_and_share_the_portfolio() {
        let portfolio = portfolio();
        let mut selected = SelectedAssets::new(&portfolio);
        selected.push(2, 30.0, 3.0);
        selected.push(0, 10.0, 1.0);
        let ids: Vec<&str> = selected.iter().map(|s| s.asset.asset_id.as_str()).collect();
        assert_eq!(ids, ["C", "A"]);
        assert_eq!(selected.positions().collect::<Vec<_>>(), [2, 0]);
        assert!(std::ptr::eq(selected.get(1).unwrap().asset, &portfolio[0]));
        assert_eq!(selected.get(2), None);
    }

    #[test]
    fn serialises_as_the_wire_array_and_reads_back_equal() {
        let portfolio = portfolio();
        let mut selected = SelectedAssets::new(&portfolio);
        selected.push(1, 20.0, 2.0);
        let json = serde_json::to_value(&selected).unwrap();
        let expected = serde_json::json!([{
            "asset": serde_json::to_value(&portfolio[1]).unwrap(),
            "proceeds": 20.0,
            "slb_rent": 2.0,
        }]);
        assert_eq!(json, expected);
        let back: SelectedAssets = serde_json::from_value(json).unwrap();
        assert_eq!(back, selected);
        assert_eq!(back.portfolio().len(), 1);
    }

    /// Amounts whose sum depends on the order of addition: the totals must be the
    /// left-to-right ones, also after a round trip through the wire.
    #[test]
    fn totals_are_the_left_to_right_sums_in_pick_order() {
        let portfolio = portfolio();
        let mut selected = SelectedAssets::new(&portfolio);
        let picks = [(2, 1e16, 0.1), (0, 1.0, 0.2), (1, -1e16, 0.3)];
        for (position, proceeds, rent) in picks {
            selected.push(position, proceeds, rent);
        }
        assert_eq!(
            selected.total_proceeds().to_bits(),
            ((1e16 + 1.0) + -1e16_f64).to_bits()
        );
        assert_eq!(selected.total_proceeds(), 0.0, "1e16 + 1 rounds the 1 away");
        assert_eq!(
            selected.total_slb_rent().to_bits(),
            ((0.1 + 0.2) + 0.3_f64).to_bits()
        );
        let back: SelectedAssets =
            serde_json::from_value(serde_json::to_value(&selected).unwrap()).unwrap();
        assert_eq!(
            back.total_proceeds().to_bits(),
            selected.total_proceeds().to_bits()
        );
        assert_eq!(
            back.total_slb_rent().to_bits(),
            selected.total_slb_rent().to_bits()
        );
        assert_eq!(SelectedAssets::default().total_proceeds(), 0.0);
    }

    #[test]
    #[should_panic(expected = "outside a portfolio of 3")]
    fn a_pick_outside_the_portfolio_is_a_bug() {
        SelectedAssets::new(&portfolio()).push(3, 1.0, 1.0);
    }
}
