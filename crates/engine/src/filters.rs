//! Pre-selection filters (SPEC §4.6).
//!
//! The reference applies the five filters one after another, each keeping relative order;
//! that is the same as keeping, in order, the assets that pass all of them.

use crate::model::{Asset, AssetFilters};

/// The assets that pass every filter, in input order, with their positions in `assets`.
pub fn apply_filters<'a>(assets: &'a [Asset], filters: &AssetFilters) -> Vec<(usize, &'a Asset)> {
    assets
        .iter()
        .enumerate()
        .filter(|(_, asset)| passes_filters(asset, filters))
        .collect()
}

/// Whether one asset passes every filter. An empty type whitelist means "no whitelist";
/// market names compare exactly (case and whitespace matter).
#[inline]
pub fn passes_filters(asset: &Asset, filters: &AssetFilters) -> bool {
    let included = match filters.include_asset_types.as_deref() {
        None | Some([]) => true,
        Some(types) => types.contains(&asset.asset_type),
    };
    let type_excluded = filters
        .exclude_asset_types
        .as_deref()
        .is_some_and(|types| types.contains(&asset.asset_type));
    let market_excluded = filters
        .exclude_markets
        .as_deref()
        .is_some_and(|markets| markets.contains(&asset.market));
    let leaseable_enough = filters
        .min_leaseability_score
        .is_none_or(|min| asset.leaseability_score >= min);
    let critical_ok = filters
        .max_criticality
        .is_none_or(|max| asset.criticality <= max);
    included
        && !type_excluded
        && !market_excluded
        && leaseable_enough
        && critical_ok
        && id_allowed(&asset.asset_id, filters)
}

/// The asset-level lists: not excluded by id, and on the id whitelist when there is one.
pub fn id_allowed(asset_id: &str, filters: &AssetFilters) -> bool {
    let excluded = filters
        .exclude_asset_ids
        .as_deref()
        .is_some_and(|ids| ids.iter().any(|id| id == asset_id));
    let included = match filters.include_asset_ids.as_deref() {
        None | Some([]) => true,
        Some(ids) => ids.iter().any(|id| id == asset_id),
    };
    included && !excluded
}
