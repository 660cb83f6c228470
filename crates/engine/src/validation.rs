//! Business validation of a program's inputs (SPEC §6).
//!
//! Every function returns the list of problems found, in the reference's order and with its
//! exact wording (empty = valid). The wire models already enforce most ranges when a request is
//! parsed (see [`crate::model::CheckBounds`]), so through the API only duplicate ids and blank
//! `asset_id` / `market` strings can fail here; the range checks still run so that values built
//! in code get the same messages as the reference. Floats appear in messages as Python's `repr`
//! (`got -5.0`, `got -1e-07`) because the messages are compared byte for byte.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use crate::model::{Asset, CorporateState, SelectorSpec};
use crate::pyfmt;

/// Validation problems of an input, as raised by the reference's `ValidationError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub errors: Vec<String>,
}

impl ValidationError {
    /// `Ok` when `errors` is empty, otherwise the error carrying them.
    pub fn check(errors: Vec<String>) -> Result<(), ValidationError> {
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { errors })
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.errors.is_empty() {
            f.write_str("Validation failed")
        } else {
            f.write_str(&self.errors.join("; "))
        }
    }
}

impl std::error::Error for ValidationError {}

/// Problems of one asset: its ranges, then blank id and market.
pub fn validate_asset(asset: &Asset) -> Vec<String> {
    let id = &asset.asset_id;
    let mut errors = Vec::new();
    if asset.noi <= 0.0 {
        errors.push(format!(
            "Asset {id}: noi must be > 0 (got {})",
            pyfmt::repr(asset.noi)
        ));
    }
    if asset.book_value <= 0.0 {
        errors.push(format!(
            "Asset {id}: book_value must be > 0 (got {})",
            pyfmt::repr(asset.book_value)
        ));
    }
    if !is_unit_interval(asset.criticality) {
        errors.push(format!(
            "Asset {id}: criticality must be in [0, 1] (got {})",
            pyfmt::repr(asset.criticality)
        ));
    }
    if !is_unit_interval(asset.leaseability_score) {
        errors.push(format!(
            "Asset {id}: leaseability_score must be in [0, 1] (got {})",
            pyfmt::repr(asset.leaseability_score)
        ));
    }
    if is_blank(&asset.asset_id) {
        errors.push("Asset has empty asset_id".to_owned());
    }
    if is_blank(&asset.market) {
        errors.push(format!("Asset {id}: market must not be empty"));
    }
    errors
}

/// Problems of a portfolio: empty list (alone), else duplicate ids first, then each asset's
/// problems in list order.
pub fn validate_assets(assets: &[Asset]) -> Vec<String> {
    if assets.is_empty() {
        return vec!["Asset list cannot be empty".to_owned()];
    }
    let mut errors = Vec::new();
    let duplicates = duplicate_ids(assets);
    if !duplicates.is_empty() {
        errors.push(format!(
            "Asset IDs must be unique; duplicates: {}",
            pyfmt::py_str_list(&duplicates)
        ));
    }
    errors.extend(assets.iter().flat_map(validate_asset));
    errors
}

/// Problems of the company's financial position. Negative EBITDA is allowed (distressed company).
pub fn validate_corporate_state(state: &CorporateState) -> Vec<String> {
    let mut errors = Vec::new();
    if state.net_debt < 0.0 {
        errors.push(format!(
            "net_debt must be >= 0 (got {})",
            pyfmt::repr(state.net_debt)
        ));
    }
    if state.interest_expense < 0.0 {
        errors.push(format!(
            "interest_expense must be >= 0 (got {})",
            pyfmt::repr(state.interest_expense)
        ));
    }
    if let Some(lease) = state.lease_expense.filter(|&lease| lease < 0.0) {
        errors.push(format!(
            "lease_expense must be >= 0 (got {})",
            pyfmt::repr(lease)
        ));
    }
    errors
}

/// Problems of a spec: target, hard constraints (only those set), weights, filters (only those
/// set), iteration bound.
pub fn validate_spec(spec: &SelectorSpec) -> Vec<String> {
    let mut errors = Vec::new();
    if spec.target_amount <= 0.0 {
        errors.push("target_amount must be positive".to_owned());
    }

    let hard = &spec.hard_constraints;
    errors.extend(range_error(
        "max_net_leverage",
        hard.max_net_leverage,
        "(0, 10)",
        |v| 0.0 < v && v < 10.0,
    ));
    errors.extend(range_error(
        "min_interest_coverage",
        hard.min_interest_coverage,
        "(0, 50)",
        |v| 0.0 < v && v < 50.0,
    ));
    errors.extend(range_error(
        "min_fixed_charge_coverage",
        hard.min_fixed_charge_coverage,
        "(0, 20)",
        |v| 0.0 < v && v < 20.0,
    ));
    errors.extend(range_error(
        "max_critical_fraction",
        hard.max_critical_fraction,
        "(0, 1]",
        |v| 0.0 < v && v <= 1.0,
    ));
    for (name, limit) in [
        (
            "max_lease_adjusted_leverage",
            hard.max_lease_adjusted_leverage,
        ),
        ("max_covenant_leverage", hard.max_covenant_leverage),
    ] {
        errors.extend(range_error(name, limit, "(0, 20)", |v| 0.0 < v && v < 20.0));
    }
    if let Some(count) = hard.max_assets_sold.filter(|&n| n < 1) {
        errors.push(format!("max_assets_sold must be at least 1 (got {count})"));
    }

    let prefs = &spec.soft_preferences;
    for (name, weight) in [
        ("weight_criticality", prefs.weight_criticality),
        ("weight_leaseability", prefs.weight_leaseability),
    ] {
        if weight < 0.0 {
            errors.push(format!(
                "{name} must be non-negative (got {})",
                pyfmt::repr(weight)
            ));
        }
    }

    let filters = &spec.asset_filters;
    errors.extend(range_error(
        "min_leaseability_score",
        filters.min_leaseability_score,
        "[0, 1]",
        is_unit_interval,
    ));
    errors.extend(range_error(
        "max_criticality",
        filters.max_criticality,
        "[0, 1]",
        is_unit_interval,
    ));

    if spec.max_iterations < 1 {
        errors.push(format!(
            "max_iterations must be at least 1 (got {})",
            spec.max_iterations
        ));
    }
    if spec.max_iterations > 10 {
        errors.push(format!(
            "max_iterations should not exceed 10 (got {})",
            spec.max_iterations
        ));
    }
    errors
}

/// «{name} must be in {range} (got {v})» when the optional `value` is set and not `within`.
fn range_error(
    name: &str,
    value: Option<f64>,
    range: &str,
    within: fn(f64) -> bool,
) -> Option<String> {
    let v = value.filter(|&v| !within(v))?;
    Some(format!(
        "{name} must be in {range} (got {})",
        pyfmt::repr(v)
    ))
}

/// Ids that occur more than once, sorted (by code point, as Python's `sorted`).
fn duplicate_ids(assets: &[Asset]) -> Vec<String> {
    let mut seen = HashSet::new();
    let duplicates: BTreeSet<&str> = assets
        .iter()
        .map(|a| a.asset_id.as_str())
        .filter(|id| !seen.insert(*id))
        .collect();
    duplicates.into_iter().map(str::to_owned).collect()
}

/// `0 <= v <= 1`; false for NaN, like the reference's chained comparison.
fn is_unit_interval(v: f64) -> bool {
    (0.0..=1.0).contains(&v)
}

/// Empty or whitespace-only in Python's sense (`not s.strip()`): Python also counts the
/// separators U+001C–U+001F as whitespace, Rust does not.
fn is_blank(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AssetType;

    #[test]
    fn validation_error_text_joins_messages_like_the_reference() {
        let error = ValidationError {
            errors: vec!["a".into(), "b".into()],
        };
        assert_eq!(error.to_string(), "a; b");
        assert_eq!(
            ValidationError { errors: Vec::new() }.to_string(),
            "Validation failed"
        );
        assert_eq!(ValidationError::check(Vec::new()), Ok(()));
        assert_eq!(
            ValidationError::check(vec!["x".into()]),
            Err(ValidationError {
                errors: vec!["x".into()]
            })
        );
    }

    #[test]
    fn blank_strings_follow_python_str_strip() {
        for blank in ["", " ", "\t\n", "\u{1c}\u{1f}", "\u{a0}\u{3000}"] {
            assert!(is_blank(blank), "{blank:?}");
        }
        for text in ["A", " A ", "\u{200b}"] {
            assert!(!is_blank(text), "{text:?}");
        }
    }

    #[test]
    fn nan_ranges_fail_like_python_chained_comparisons() {
        let asset = Asset::new("A", AssetType::Store, "M", f64::NAN, 1.0, f64::NAN, 0.5);
        // `nan <= 0` is false in Python, `not (0 <= nan <= 1)` is true.
        assert_eq!(
            validate_asset(&asset),
            vec!["Asset A: criticality must be in [0, 1] (got nan)"]
        );
    }
}
