//! What a brief states explicitly, read once into one value. The initial spec fills the gaps
//! with defaults; the revision reads it again to know what it must keep.

use engine::model::{AssetType, Objective};

use super::amounts::{money_mentions, raise_target};
use super::constraints::{Limits, read_limits};
use super::filters::read_scope;
use super::geography::place_names;
use super::lexer::tokenize;
use super::objective::read_objective;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StatedTerms {
    pub target_amount: Option<f64>,
    pub objective: Objective,
    pub limits: Limits,
    pub include_asset_types: Vec<AssetType>,
    pub exclude_asset_types: Vec<AssetType>,
    /// Market strings from `markets`, in that order.
    pub exclude_markets: Vec<String>,
}

/// Reads a brief against the markets its place names may refer to.
pub(crate) fn read_brief(brief: &str, markets: &[String]) -> StatedTerms {
    let tokens = tokenize(brief);
    let money = money_mentions(&tokens);
    let scope = read_scope(&tokens, &money, &place_names(markets), markets.len());
    StatedTerms {
        target_amount: raise_target(&tokens, &money),
        objective: read_objective(&tokens),
        limits: read_limits(&tokens, &money),
        include_asset_types: scope.include_types,
        exclude_asset_types: scope.exclude_types,
        exclude_markets: scope
            .exclude_markets
            .iter()
            .map(|&m| markets[m].clone())
            .collect(),
    }
}
