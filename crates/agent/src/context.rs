//! What a planner is told about the portfolio (SPEC §8.1): the reference's one-line summary,
//! byte for byte, plus the facts the built-in planner resolves a brief against.

use std::collections::HashSet;
use std::hash::Hash;

use engine::model::{Asset, AssetType};
use engine::pyfmt;

pub use crate::planner::{AssetLabel, PortfolioContext};

/// «{n} assets across {m} markets. Types: {count type, ...}. Total book value: ${:,.0f}.
/// Total NOI: ${:,.0f}. Avg criticality: {:.2f}. Avg leaseability: {:.2f}.» — types in order of
/// first appearance, sums left to right as the reference computes them.
pub fn summarize_assets(assets: &[Asset]) -> String {
    if assets.is_empty() {
        return "No assets available.".to_string();
    }
    let n = assets.len() as f64;
    let types: Vec<String> = distinct(assets.iter().map(|a| a.asset_type))
        .into_iter()
        .map(|t| {
            format!(
                "{} {}",
                assets.iter().filter(|a| a.asset_type == t).count(),
                t.as_str()
            )
        })
        .collect();
    let sum = |value: fn(&Asset) -> f64| assets.iter().map(value).fold(0.0, |total, v| total + v);
    format!(
        "{} assets across {} markets. Types: {}. Total book value: ${}. Total NOI: ${}. \
         Avg criticality: {}. Avg leaseability: {}.",
        assets.len(),
        distinct(assets.iter().map(|a| a.market.as_str())).len(),
        types.join(", "),
        pyfmt::thousands0(sum(|a| a.book_value)),
        pyfmt::thousands0(sum(|a| a.noi)),
        pyfmt::fixed(sum(|a| a.criticality) / n, 2),
        pyfmt::fixed(sum(|a| a.leaseability_score) / n, 2),
    )
}

impl PortfolioContext {
    pub fn from_assets(assets: &[Asset]) -> PortfolioContext {
        PortfolioContext {
            summary: summarize_assets(assets),
            markets: distinct(assets.iter().map(|a| a.market.clone())),
            asset_types: distinct::<AssetType>(assets.iter().map(|a| a.asset_type)),
            asset_count: assets.len(),
            total_noi: assets.iter().fold(0.0, |total, a| total + a.noi),
            total_book_value: assets.iter().fold(0.0, |total, a| total + a.book_value),
            assets: assets
                .iter()
                .map(|a| AssetLabel {
                    asset_id: a.asset_id.clone(),
                    name: a.name.clone(),
                    asset_type: a.asset_type,
                    market: a.market.clone(),
                    country: a.country.clone(),
                })
                .collect(),
        }
    }
}

/// Distinct items in order of first appearance.
fn distinct<T: Eq + Hash + Clone>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    items.filter(|item| seen.insert(item.clone())).collect()
}
