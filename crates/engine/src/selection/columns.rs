//! The fields selection reads, held column by column.
//!
//! Filtering, pricing and scoring look at six small fields of each asset. Read from the assets
//! themselves, each of those reads lands on a different ~300-byte record, so a 100k-asset scan
//! pulls 30 MB through the caches; the same fields as dense columns are 2.7 MB, read in order.
//! [`Portfolio`](crate::model::Portfolio) builds the columns once, and every selection on that
//! portfolio (revision rounds, scenario variants) reuses them.

use std::collections::{HashMap, HashSet};

use crate::model::{Asset, AssetFilters, AssetType, MarketTier};

/// Column `i` of every vector is the portfolio's asset `i`.
#[derive(Debug, Default)]
pub struct Columns {
    pub asset_type: Vec<AssetType>,
    pub market_tier: Vec<Option<MarketTier>>,
    /// Index into `markets`: filters compare market names once per distinct name.
    pub market: Vec<u32>,
    /// The distinct market names, in order of first appearance.
    pub markets: Vec<String>,
    pub noi: Vec<f64>,
    pub criticality: Vec<f64>,
    pub leaseability_score: Vec<f64>,
    /// Tax basis (its own or the book value): read only for the assets the walk reaches.
    pub tax_basis: Vec<f64>,
    /// What the credit analysis reads of each pick, side by side so that a pick costs one
    /// cache line.
    pub credit: Vec<CreditFields>,
}

/// Book value, tax basis and mortgage of one asset.
#[derive(Debug, Clone, Copy, Default)]
pub struct CreditFields {
    pub book_value: f64,
    pub tax_basis: f64,
    /// 0 when the asset has none.
    pub mortgage: f64,
}

impl CreditFields {
    /// Adds another asset's fields to these sums.
    #[inline]
    pub fn add(&mut self, other: &CreditFields) {
        self.book_value += other.book_value;
        self.tax_basis += other.tax_basis;
        self.mortgage += other.mortgage;
    }
}

impl Columns {
    pub fn of(assets: &[Asset]) -> Self {
        let n = assets.len();
        let mut columns = Columns {
            asset_type: Vec::with_capacity(n),
            market_tier: Vec::with_capacity(n),
            market: Vec::with_capacity(n),
            markets: Vec::new(),
            noi: Vec::with_capacity(n),
            criticality: Vec::with_capacity(n),
            leaseability_score: Vec::with_capacity(n),
            tax_basis: Vec::with_capacity(n),
            credit: Vec::with_capacity(n),
        };
        // One pass: the assets are large records, each read once.
        let mut market_ids: HashMap<&str, u32> = HashMap::new();
        for asset in assets {
            let market = *market_ids.entry(asset.market.as_str()).or_insert_with(|| {
                columns.markets.push(asset.market.clone());
                // Fewer distinct markets than assets, and a portfolio has < 2^32 assets.
                (columns.markets.len() - 1) as u32
            });
            columns.market.push(market);
            columns.asset_type.push(asset.asset_type);
            columns.market_tier.push(asset.market_tier);
            columns.noi.push(asset.noi);
            columns.criticality.push(asset.criticality);
            columns.leaseability_score.push(asset.leaseability_score);
            columns.tax_basis.push(crate::credit::tax_basis(asset));
            columns.credit.push(CreditFields {
                book_value: asset.book_value,
                tax_basis: crate::credit::tax_basis(asset),
                mortgage: asset.existing_debt_amount.unwrap_or(0.0),
            });
        }
        columns
    }

    pub fn len(&self) -> usize {
        self.noi.len()
    }
}

/// [`AssetFilters`] resolved against one portfolio's columns: type and market lists become
/// lookup tables, so testing an asset is a few loads and compares.
pub struct ColumnFilter {
    /// By `AssetType as usize`: on the whitelist (or no whitelist) and not excluded.
    type_allowed: [bool; AssetType::ALL.len()],
    /// By market index: not excluded.
    market_allowed: Vec<bool>,
    min_leaseability_score: Option<f64>,
    max_criticality: Option<f64>,
    /// By position, when the filters name assets: allowed by the id lists.
    position_allowed: Option<Vec<bool>>,
}

impl ColumnFilter {
    /// Agrees with [`passes_filters`](crate::filters::passes_filters) on every asset of
    /// `assets` (whose columns `columns` are).
    pub fn new(filters: &AssetFilters, columns: &Columns, assets: &[Asset]) -> Self {
        let names_assets = filters
            .exclude_asset_ids
            .as_deref()
            .is_some_and(|ids| !ids.is_empty())
            || filters
                .include_asset_ids
                .as_deref()
                .is_some_and(|ids| !ids.is_empty());
        let position_allowed = names_assets.then(|| {
            let excluded: HashSet<&str> = filters
                .exclude_asset_ids
                .iter()
                .flatten()
                .map(String::as_str)
                .collect();
            let included: HashSet<&str> = filters
                .include_asset_ids
                .iter()
                .flatten()
                .map(String::as_str)
                .collect();
            assets
                .iter()
                .map(|asset| {
                    let id = asset.asset_id.as_str();
                    (included.is_empty() || included.contains(id)) && !excluded.contains(id)
                })
                .collect()
        });
        let included = |asset_type: &AssetType| match filters.include_asset_types.as_deref() {
            None | Some([]) => true,
            Some(types) => types.contains(asset_type),
        };
        let excluded = |asset_type: &AssetType| {
            filters
                .exclude_asset_types
                .as_deref()
                .is_some_and(|types| types.contains(asset_type))
        };
        // `ALL` is in declaration order, so entry `k` is the type whose `as usize` is `k`.
        let type_allowed = std::array::from_fn(|k| {
            let asset_type = &AssetType::ALL[k];
            included(asset_type) && !excluded(asset_type)
        });
        let market_allowed = columns
            .markets
            .iter()
            .map(|market| {
                !filters
                    .exclude_markets
                    .as_deref()
                    .is_some_and(|markets| markets.contains(market))
            })
            .collect();
        ColumnFilter {
            type_allowed,
            market_allowed,
            min_leaseability_score: filters.min_leaseability_score,
            max_criticality: filters.max_criticality,
            position_allowed,
        }
    }

    /// Whether asset `i` passes every filter.
    #[inline]
    pub fn passes(&self, columns: &Columns, i: usize) -> bool {
        let leaseability = columns.leaseability_score[i];
        let criticality = columns.criticality[i];
        self.type_allowed[columns.asset_type[i] as usize]
            && self.market_allowed[columns.market[i] as usize]
            && self
                .min_leaseability_score
                .is_none_or(|min| leaseability >= min)
            && self.max_criticality.is_none_or(|max| criticality <= max)
            && self
                .position_allowed
                .as_ref()
                .is_none_or(|allowed| allowed[i])
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::filters::passes_filters;

    const MARKETS: [&str; 4] = ["Dallas, TX", "dallas, tx", "Austin, TX", "NYC"];

    fn asset_type() -> impl Strategy<Value = AssetType> {
        prop::sample::select(AssetType::ALL)
    }

    fn market() -> impl Strategy<Value = String> {
        prop::sample::select(&MARKETS[..]).prop_map(str::to_owned)
    }

    /// Half the time on a coarse grid, so values sit exactly on filter thresholds.
    fn unit() -> impl Strategy<Value = f64> {
        prop_oneof![(0u32..=4).prop_map(|k| f64::from(k) * 0.25), 0.0..=1.0f64]
    }

    const IDS: [&str; 4] = ["A", "B", "C", "a"];

    fn id() -> impl Strategy<Value = String> {
        prop::sample::select(&IDS[..]).prop_map(str::to_owned)
    }

    fn asset() -> impl Strategy<Value = Asset> {
        (id(), asset_type(), market(), unit(), unit()).prop_map(
            |(id, asset_type, market, criticality, leaseability)| {
                Asset::new(id, asset_type, market, 1e6, 1e7, criticality, leaseability)
            },
        )
    }

    fn filters() -> impl Strategy<Value = AssetFilters> {
        let types = || prop::option::of(prop::collection::vec(asset_type(), 0..3));
        (
            types(),
            types(),
            prop::option::of(prop::collection::vec(market(), 0..3)),
            prop::option::of(unit()),
            prop::option::of(unit()),
            prop::option::of(prop::collection::vec(id(), 0..3)),
            prop::option::of(prop::collection::vec(id(), 0..3)),
        )
            .prop_map(
                |(
                    include,
                    exclude,
                    markets,
                    min_leaseability,
                    max_criticality,
                    exclude_ids,
                    include_ids,
                )| AssetFilters {
                    include_asset_types: include,
                    exclude_asset_types: exclude,
                    exclude_markets: markets,
                    min_leaseability_score: min_leaseability,
                    max_criticality,
                    exclude_asset_ids: exclude_ids,
                    include_asset_ids: include_ids,
                },
            )
    }

    proptest! {
        #[test]
        fn column_filter_agrees_with_the_asset_filter(
            assets in prop::collection::vec(asset(), 0..30),
            filters in filters(),
        ) {
            let columns = Columns::of(&assets);
            let filter = ColumnFilter::new(&filters, &columns, &assets);
            for (i, asset) in assets.iter().enumerate() {
                prop_assert_eq!(filter.passes(&columns, i), passes_filters(asset, &filters), "asset {}", i);
            }
        }
    }

    #[test]
    fn markets_are_interned_in_order_of_first_appearance() {
        let assets: Vec<Asset> = ["NYC", "Austin, TX", "NYC", "nyc"]
            .into_iter()
            .map(|market| Asset::new("A", AssetType::Store, market, 1.0, 1.0, 0.5, 0.5))
            .collect();
        let columns = Columns::of(&assets);
        assert_eq!(columns.markets, ["NYC", "Austin, TX", "nyc"]);
        assert_eq!(columns.market, [0, 1, 0, 2]);
    }
}
