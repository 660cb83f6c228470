//! What a brief states explicitly, read once into one value, with the brief's own words for
//! each field it sets and what it mentioned but could not use. The initial spec fills the gaps
//! with defaults; the revision reads it again to know what it must keep.

use std::ops::Range;

use engine::model::{AssetType, Objective, SpecFieldSource};

use super::amounts::{money_mentions, raise_target};
use super::assets::AssetNames;
use super::constraints::{Limits, read_limits};
use super::counts::read_counts;
use super::filters::read_scope;
use super::geography::places;
use super::lexer::{Lexed, lex};
use super::metrics::Metric;
use super::objective::read_objective;
use crate::planner::PortfolioContext;

/// Where one field of the spec came from, as the brief put it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reading {
    /// Dotted path of the spec field.
    pub field: &'static str,
    /// `Brief`, or `Portfolio` when the value was resolved against where the portfolio's
    /// markets lie ("nothing in Texas").
    pub source: SpecFieldSource,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StatedTerms {
    pub target_amount: Option<f64>,
    pub objective: Objective,
    pub limits: Limits,
    pub include_asset_types: Vec<AssetType>,
    pub exclude_asset_types: Vec<AssetType>,
    /// Market strings of the portfolio, in its order.
    pub exclude_markets: Vec<String>,
    /// Asset ids of the portfolio, in its order.
    pub exclude_asset_ids: Vec<String>,
    pub include_asset_ids: Vec<String>,
    pub max_assets_sold: Option<i64>,
    /// One entry per field the brief set.
    pub readings: Vec<Reading>,
    /// What the brief said that could not be used.
    pub warnings: Vec<String>,
}

const INCLUDE_TYPES: &str = "asset_filters.include_asset_types";
const EXCLUDE_TYPES: &str = "asset_filters.exclude_asset_types";
const EXCLUDE_MARKETS: &str = "asset_filters.exclude_markets";
const EXCLUDE_IDS: &str = "asset_filters.exclude_asset_ids";
const INCLUDE_IDS: &str = "asset_filters.include_asset_ids";
const MAX_ASSETS_SOLD: &str = "hard_constraints.max_assets_sold";

/// Reads a brief against the portfolio its names may refer to (markets, assets).
pub(crate) fn read_brief(brief: &str, portfolio: &PortfolioContext) -> StatedTerms {
    let lexed = lex(brief);
    let tokens = &lexed.tokens;
    let markets = &portfolio.markets;
    let money = money_mentions(tokens);
    let countries: Vec<Option<String>> = markets
        .iter()
        .map(|market| {
            portfolio
                .assets
                .iter()
                .filter(|a| &a.market == market)
                .find_map(|a| a.country.clone())
        })
        .collect();
    let asset_names = AssetNames::new(&portfolio.assets, brief);
    let scope = read_scope(
        &lexed,
        &money,
        &places(markets, &countries),
        &asset_names,
        markets,
    );
    let counts = read_counts(tokens, &money);
    let mut skipped = scope.references.clone();
    skipped.extend(counts.iter().map(|c| c.span.clone()));
    skipped.sort_by_key(|s| s.start);
    let limits = read_limits(tokens, &money, &skipped);
    let target = raise_target(tokens, &money);
    let (objective, objective_words) = read_objective(tokens);

    let mut readings = Vec::new();
    let mut warnings = Vec::new();
    let mut read = |field: &'static str, source: SpecFieldSource, note: String| {
        readings.push(Reading {
            field,
            source,
            note,
        })
    };
    if let Some(money) = target {
        read(
            "target_amount",
            SpecFieldSource::Brief,
            quoted(&lexed, std::slice::from_ref(&money.span)),
        );
    }
    if let Some(words) = objective_words {
        read(
            "objective",
            SpecFieldSource::Brief,
            quoted(&lexed, &[words]),
        );
    }
    for metric in ALL_METRICS {
        if let (Some(_), Some(span)) = (limits.value(metric), limits.source_of(metric)) {
            read(
                metric.field(),
                SpecFieldSource::Brief,
                quoted(&lexed, &[span]),
            );
        }
    }
    for (metric, number) in &limits.ignored {
        warnings.push(format!(
            "{} {} is outside {} and was ignored",
            metric.label(),
            lexed.quote(number.clone()),
            metric.range_label()
        ));
    }

    let sources = &scope.read_from;
    let mut include_types = scope.include_types.clone();
    let mut include_assets = scope.include_assets.clone();
    let mut include_note = quoted(&lexed, &sources.include_assets);
    if !include_assets.is_empty() && !include_types.is_empty() {
        // "Sell the stores and the Chicago HQ": the whitelist holds both, since the engine
        // applies a type filter and the whitelist together.
        let mut all_spans = sources.include_assets.clone();
        all_spans.extend(sources.include_types.iter().cloned());
        include_note = format!(
            "{}: {} and every {} asset",
            quoted(&lexed, &all_spans),
            include_assets
                .iter()
                .map(|&a| portfolio.assets[a].asset_id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            type_names(&include_types)
        );
        for (index, asset) in portfolio.assets.iter().enumerate() {
            if include_types.contains(&asset.asset_type) && !scope.exclude_assets.contains(&index) {
                include_assets.push(index);
            }
        }
        include_assets.sort_unstable();
        include_assets.dedup();
        include_types.clear();
    } else if !include_types.is_empty() {
        read(
            INCLUDE_TYPES,
            SpecFieldSource::Brief,
            quoted(&lexed, &sources.include_types),
        );
    }
    if !scope.exclude_types.is_empty() {
        read(
            EXCLUDE_TYPES,
            SpecFieldSource::Brief,
            quoted(&lexed, &sources.exclude_types),
        );
    }
    let exclude_markets: Vec<String> = scope
        .exclude_markets
        .iter()
        .map(|&m| markets[m].clone())
        .collect();
    if !exclude_markets.is_empty() {
        let words = quoted(&lexed, &sources.exclude_markets);
        if scope.markets_from_portfolio {
            read(
                EXCLUDE_MARKETS,
                SpecFieldSource::Portfolio,
                format!("{words}: {}", exclude_markets.join("; ")),
            );
        } else {
            read(EXCLUDE_MARKETS, SpecFieldSource::Brief, words);
        }
    }
    let ids = |indices: &[usize]| -> Vec<String> {
        indices
            .iter()
            .map(|&a| portfolio.assets[a].asset_id.clone())
            .collect()
    };
    let exclude_asset_ids = ids(&scope.exclude_assets);
    if !exclude_asset_ids.is_empty() {
        read(
            EXCLUDE_IDS,
            SpecFieldSource::Brief,
            format!(
                "{}: {}",
                quoted(&lexed, &sources.exclude_assets),
                exclude_asset_ids.join(", ")
            ),
        );
    }
    let include_asset_ids = ids(&include_assets);
    if !include_asset_ids.is_empty() {
        if include_types.is_empty() && !sources.include_types.is_empty() {
            read(INCLUDE_IDS, SpecFieldSource::Brief, include_note);
        } else {
            read(
                INCLUDE_IDS,
                SpecFieldSource::Brief,
                format!("{include_note}: {}", include_asset_ids.join(", ")),
            );
        }
    }

    let mut max_assets_sold: Option<(i64, Range<usize>)> = None;
    for cap in &counts {
        let applies = match cap.asset_type {
            None => true,
            Some(t) => include_types == [t],
        };
        if !applies {
            warnings.push(format!(
                "\"{}\" caps one asset type; only the number of all assets sold can be capped, so it was ignored",
                lexed.quote(cap.span.clone())
            ));
        } else if max_assets_sold.as_ref().is_none_or(|(v, _)| cap.value < *v) {
            max_assets_sold = Some((cap.value, cap.span.clone()));
        }
    }
    if let Some((_, span)) = &max_assets_sold {
        read(
            MAX_ASSETS_SOLD,
            SpecFieldSource::Brief,
            quoted(&lexed, std::slice::from_ref(span)),
        );
    }
    warnings.extend(scope.warnings.iter().cloned());
    if readings.is_empty() {
        let warning = if warnings.is_empty() {
            "nothing in the brief was understood (no amount, limit, asset type, place, asset or \
             objective): every field is a planner default"
        } else {
            "nothing in the brief set a field: every field is a planner default"
        };
        warnings.insert(0, warning.to_string());
    }
    StatedTerms {
        target_amount: target.map(|m| m.value),
        objective,
        limits,
        include_asset_types: include_types,
        exclude_asset_types: scope.exclude_types.clone(),
        exclude_markets,
        exclude_asset_ids,
        include_asset_ids,
        max_assets_sold: max_assets_sold.map(|(v, _)| v),
        readings,
        warnings,
    }
}

/// Every metric, in spec field order.
const ALL_METRICS: [Metric; 8] = [
    Metric::Leverage,
    Metric::InterestCoverage,
    Metric::FixedChargeCoverage,
    Metric::CriticalShare,
    Metric::LeaseAdjustedLeverage,
    Metric::CovenantLeverage,
    Metric::Leaseability,
    Metric::Criticality,
];

/// The brief's words for these tokens, overlapping spans merged, each in quotes.
fn quoted(lexed: &Lexed, spans: &[Range<usize>]) -> String {
    let mut spans: Vec<Range<usize>> = spans.to_vec();
    spans.sort_by_key(|s| s.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
        .into_iter()
        .map(|span| format!("\"{}\"", lexed.quote(span)))
        .collect::<Vec<_>>()
        .join("; ")
}

fn type_names(types: &[AssetType]) -> String {
    types
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
