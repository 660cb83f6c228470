//! Range rules of the wire models (the reference's pydantic `gt/ge/lt/le`), checked when a request
//! is parsed so that every offending field is reported with its path (`assets[3].noi: must be > 0`).

use serde::de::DeserializeOwned;

use super::api::{FieldError, ProgramRequest};
use super::assumptions::{Assumptions, CapRateOverride};
use super::enums::{AssetType, MarketTier};
use super::outcome::ConstraintViolation;
use super::portfolio::{Asset, CorporateState};
use super::scenario::{ScenarioDefinition, ScenarioSetRequest};
use super::spec::{AssetFilters, HardConstraints, SelectorSpec, SoftPreferences};
use crate::config::{EngineConfig, MIN_CAP_RATE};

/// Collects field errors under a path prefix.
pub struct Checker<'a> {
    prefix: String,
    errors: &'a mut Vec<FieldError>,
}

impl<'a> Checker<'a> {
    pub fn new(errors: &'a mut Vec<FieldError>) -> Self {
        Checker {
            prefix: String::new(),
            errors,
        }
    }

    fn path(&self, field: &str) -> String {
        match (self.prefix.is_empty(), field.starts_with('[')) {
            (true, _) => field.to_string(),
            (false, true) => format!("{}{field}", self.prefix),
            (false, false) => format!("{}.{field}", self.prefix),
        }
    }

    /// A checker for a nested object or list element.
    pub fn nested(&mut self, field: &str) -> Checker<'_> {
        Checker {
            prefix: self.path(field),
            errors: self.errors,
        }
    }

    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        let field = self.path(field);
        self.errors.push(FieldError {
            field,
            message: message.into(),
        });
    }

    /// Checks a float against a rule; non-finite values always fail.
    fn num(&mut self, field: &str, v: f64, ok: bool, rule: &str) {
        if !v.is_finite() {
            self.fail(field, "must be a finite number");
        } else if !ok {
            self.fail(field, format!("must be {rule}"));
        }
    }

    pub fn gt(&mut self, field: &str, v: f64, lo: f64) {
        self.num(field, v, v > lo, &format!("> {lo}"));
    }

    pub fn ge(&mut self, field: &str, v: f64, lo: f64) {
        self.num(field, v, v >= lo, &format!(">= {lo}"));
    }

    pub fn finite(&mut self, field: &str, v: f64) {
        self.num(field, v, true, "");
    }

    /// Open interval (lo, hi).
    pub fn open(&mut self, field: &str, v: f64, lo: f64, hi: f64) {
        self.num(field, v, v > lo && v < hi, &format!("in ({lo}, {hi})"));
    }

    /// Closed interval [lo, hi].
    pub fn closed(&mut self, field: &str, v: f64, lo: f64, hi: f64) {
        self.num(field, v, v >= lo && v <= hi, &format!("in [{lo}, {hi}]"));
    }

    /// Closed interval [lo, hi], worded "between lo and hi".
    pub fn between(&mut self, field: &str, v: f64, lo: f64, hi: f64) {
        self.num(
            field,
            v,
            v >= lo && v <= hi,
            &format!("between {lo} and {hi}"),
        );
    }

    /// Half-open interval [lo, hi).
    pub fn closed_open(&mut self, field: &str, v: f64, lo: f64, hi: f64) {
        self.num(field, v, v >= lo && v < hi, &format!("in [{lo}, {hi})"));
    }

    /// Half-open interval (lo, hi].
    pub fn open_closed(&mut self, field: &str, v: f64, lo: f64, hi: f64) {
        self.num(field, v, v > lo && v <= hi, &format!("in ({lo}, {hi}]"));
    }

    pub fn opt(&mut self, field: &str, v: Option<f64>, rule: impl FnOnce(&mut Self, &str, f64)) {
        if let Some(v) = v {
            rule(self, field, v);
        }
    }

    pub fn int_range(&mut self, field: &str, v: i64, lo: i64, hi: i64) {
        if v < lo || v > hi {
            self.fail(field, format!("must be between {lo} and {hi}"));
        }
    }

    /// At most `hi` characters.
    pub fn max_len(&mut self, field: &str, s: &str, hi: usize) {
        // A string of at most `hi` bytes has at most `hi` characters: no count needed.
        if s.len() > hi && s.chars().count() > hi {
            self.fail(field, format!("must have at most {hi} characters"));
        }
    }

    /// Each item at most `hi` characters.
    pub fn max_len_each(&mut self, field: &str, items: Option<&[String]>, hi: usize) {
        for (i, item) in items.unwrap_or_default().iter().enumerate() {
            self.max_len(&format!("{field}[{i}]"), item, hi);
        }
    }

    pub fn len_range(&mut self, field: &str, s: &str, lo: usize, hi: usize) {
        let n = s.chars().count();
        if n < lo {
            self.fail(
                field,
                format!(
                    "must have at least {lo} character{}",
                    if lo == 1 { "" } else { "s" }
                ),
            );
        } else if n > hi {
            self.fail(field, format!("must have at most {hi} characters"));
        }
    }
}

/// Range rules of a model. Implementations report every offending field, never stop at the first.
pub trait CheckBounds {
    fn check_bounds(&self, c: &mut Checker<'_>);

    /// All field errors of this value, with paths relative to it.
    fn bounds_errors(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        self.check_bounds(&mut Checker::new(&mut errors));
        errors
    }
}

/// Parses JSON into `T` and checks its ranges. Shape errors (bad type, missing field, malformed
/// JSON) come back as one error with the path where parsing stopped; range errors come back all
/// at once.
///
/// Anything after the JSON value but whitespace is an error (`{...} garbage` is not a request),
/// and so is a NUL character (`\u0000`) in any string, reported at each string's path: no store
/// keeps one the same way (PostgreSQL refuses it in text), so none gets past the boundary.
pub fn parse_checked<T: DeserializeOwned + CheckBounds>(json: &[u8]) -> Result<T, Vec<FieldError>> {
    let nul_errors = nul_errors(json);
    if !nul_errors.is_empty() {
        return Err(nul_errors);
    }
    let de = &mut serde_json::Deserializer::from_slice(json);
    let value: T = serde_path_to_error::deserialize(&mut *de).map_err(|e| vec![shape_error(&e)])?;
    de.end().map_err(|e| {
        vec![FieldError {
            field: String::new(),
            message: format!("unexpected content after the JSON value ({e})"),
        }]
    })?;
    let errors = value.bounds_errors();
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(errors)
    }
}

/// Most characters of an id (asset, run, fund, scenario set, idempotency key).
pub const MAX_ID_CHARS: usize = 200;

/// Most characters of a program description or scenario brief.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;

/// The message of a string holding a NUL character.
pub const NUL_MESSAGE: &str = "must not contain NUL characters (\\u0000)";

/// One error per string of `json` (keys included) that holds a NUL character, at its path.
/// JSON can only carry NUL escaped, so a body without the six bytes `\u0000` has none and
/// costs one scan; otherwise the body is walked as a tree (a match such as `\\u0000` is a
/// backslash, not a NUL, and yields no error). Malformed JSON yields none: parsing reports it.
fn nul_errors(json: &[u8]) -> Vec<FieldError> {
    const ESCAPE: &[u8] = b"\\u0000";
    if memchr::memmem::find(json, ESCAPE).is_none() {
        return Vec::new();
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(json) else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    walk_nul(&value, &mut String::new(), &mut errors);
    errors
}

fn walk_nul(value: &serde_json::Value, path: &mut String, errors: &mut Vec<FieldError>) {
    use serde_json::Value;
    let fail = |path: &str, errors: &mut Vec<FieldError>| {
        errors.push(FieldError {
            field: path.to_string(),
            message: NUL_MESSAGE.to_string(),
        });
    };
    match value {
        Value::String(s) if s.contains('\0') => fail(path, errors),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk_nul(item, path, errors);
                path.truncate(len);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                if key.contains('\0') {
                    fail(path, errors);
                } else {
                    walk_nul(item, path, errors);
                }
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// One field error from a parse failure. A missing field is reported at its own path
/// (`corporate_state.ebitda: is required`); positions the parser never reached (`?`) are cut.
fn shape_error(e: &serde_path_to_error::Error<serde_json::Error>) -> FieldError {
    let path = e.path().to_string();
    let path = path.split(".?").next().unwrap_or("");
    let path = if path == "." || path == "?" { "" } else { path };
    let message = e.inner().to_string();
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        let field = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        return FieldError {
            field,
            message: "is required".to_string(),
        };
    }
    FieldError {
        field: path.to_string(),
        message,
    }
}

impl CheckBounds for Asset {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        c.max_len("asset_id", &self.asset_id, MAX_ID_CHARS);
        c.gt("noi", self.noi, 0.0);
        c.gt("book_value", self.book_value, 0.0);
        c.closed("criticality", self.criticality, 0.0, 1.0);
        c.closed("leaseability_score", self.leaseability_score, 0.0, 1.0);
        c.opt(
            "tenant_credit_score",
            self.tenant_credit_score,
            |c, f, v| c.closed(f, v, 0.0, 1.0),
        );
        c.opt("wault_years", self.wault_years, |c, f, v| c.ge(f, v, 0.0));
        c.opt("demographic_index", self.demographic_index, Checker::finite);
        c.opt("esg_risk_score", self.esg_risk_score, Checker::finite);
        c.opt("current_ltv", self.current_ltv, |c, f, v| {
            c.closed(f, v, 0.0, 1.0)
        });
        c.opt(
            "existing_debt_amount",
            self.existing_debt_amount,
            |c, f, v| c.ge(f, v, 0.0),
        );
        c.opt("tax_basis", self.tax_basis, |c, f, v| c.ge(f, v, 0.0));
    }
}

impl CheckBounds for CorporateState {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        c.ge("net_debt", self.net_debt, 0.0);
        c.finite("ebitda", self.ebitda);
        c.ge("interest_expense", self.interest_expense, 0.0);
        c.opt("lease_expense", self.lease_expense, |c, f, v| {
            c.ge(f, v, 0.0)
        });
    }
}

impl CheckBounds for HardConstraints {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        c.opt("max_net_leverage", self.max_net_leverage, |c, f, v| {
            c.open(f, v, 0.0, 10.0)
        });
        c.opt(
            "min_interest_coverage",
            self.min_interest_coverage,
            |c, f, v| c.open(f, v, 0.0, 50.0),
        );
        c.opt(
            "min_fixed_charge_coverage",
            self.min_fixed_charge_coverage,
            |c, f, v| c.open(f, v, 0.0, 20.0),
        );
        c.opt(
            "max_critical_fraction",
            self.max_critical_fraction,
            |c, f, v| c.open_closed(f, v, 0.0, 1.0),
        );
        c.opt(
            "max_lease_adjusted_leverage",
            self.max_lease_adjusted_leverage,
            |c, f, v| c.open(f, v, 0.0, 20.0),
        );
        c.opt(
            "max_covenant_leverage",
            self.max_covenant_leverage,
            |c, f, v| c.open(f, v, 0.0, 20.0),
        );
        if self.max_assets_sold.is_some_and(|n| n < 1) {
            c.fail("max_assets_sold", "must be >= 1");
        }
    }
}

impl CheckBounds for CapRateOverride {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        c.open("cap_rate", self.cap_rate, 0.0, 0.5);
    }
}

impl CheckBounds for Assumptions {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        c.opt("cap_rate_shift_bps", self.cap_rate_shift_bps, |c, f, v| {
            c.between(f, v, -500.0, 500.0)
        });
        if let Some(overrides) = &self.cap_rate_overrides {
            overrides.check_bounds(&mut c.nested("cap_rate_overrides"));
        }
        c.opt(
            "transaction_haircut",
            self.transaction_haircut,
            |c, f, v| c.closed_open(f, v, 0.0, 0.5),
        );
        c.opt("rent_multiplier", self.rent_multiplier, |c, f, v| {
            c.open_closed(f, v, 0.0, 3.0)
        });
        c.opt("cost_of_debt", self.cost_of_debt, |c, f, v| {
            c.open(f, v, 0.0, 0.5)
        });
        c.opt("tax_rate", self.tax_rate, |c, f, v| {
            c.between(f, v, 0.0, 0.6)
        });
        if let Some(years) = self.lease_term_years {
            c.int_range("lease_term_years", years, 1, 50);
        }
        c.opt("rent_escalator", self.rent_escalator, |c, f, v| {
            c.between(f, v, -0.05, 0.15)
        });
        c.opt(
            "lease_discount_rate",
            self.lease_discount_rate,
            |c, f, v| c.open(f, v, 0.0, 0.5),
        );
        c.opt("lease_multiple", self.lease_multiple, |c, f, v| {
            c.between(f, v, 0.0, 20.0)
        });
        c.opt("residual_growth", self.residual_growth, |c, f, v| {
            c.between(f, v, -0.1, 0.15)
        });
    }
}

/// Cap rates of the default curve, after `assumptions`, that the portfolio's assets would be
/// priced at and that are at or below [`MIN_CAP_RATE`]: one error per such cell, on the field
/// that caused it.
pub fn check_adjusted_cap_rates(c: &mut Checker<'_>, assets: &[Asset], assumptions: &Assumptions) {
    let base = EngineConfig::default();
    let config = base.with_assumptions(assumptions);
    let mut reported: Vec<(AssetType, MarketTier)> = Vec::new();
    for asset in assets {
        let tier = asset.market_tier.unwrap_or(config.default_market_tier);
        let rate = config.cap_rate_curve.rate(asset.asset_type, tier);
        let cell = (asset.asset_type, tier);
        if rate > MIN_CAP_RATE || !rate.is_finite() || reported.contains(&cell) {
            continue;
        }
        reported.push(cell);
        let field = if assumptions.cap_rate_shift_bps.unwrap_or(0.0) != 0.0 {
            "cap_rate_shift_bps"
        } else {
            "cap_rate_overrides"
        };
        c.fail(
            field,
            format!(
                "gives a cap rate of {} for {} assets in tier {} (must stay above {MIN_CAP_RATE})",
                crate::pyfmt::fixed(rate, 4),
                asset.asset_type.label(),
                tier.number()
            ),
        );
    }
}

impl CheckBounds for SoftPreferences {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        c.ge("weight_criticality", self.weight_criticality, 0.0);
        c.ge("weight_leaseability", self.weight_leaseability, 0.0);
    }
}

impl CheckBounds for AssetFilters {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        c.opt(
            "min_leaseability_score",
            self.min_leaseability_score,
            |c, f, v| c.closed(f, v, 0.0, 1.0),
        );
        c.opt("max_criticality", self.max_criticality, |c, f, v| {
            c.closed(f, v, 0.0, 1.0)
        });
        c.max_len_each(
            "exclude_asset_ids",
            self.exclude_asset_ids.as_deref(),
            MAX_ID_CHARS,
        );
        c.max_len_each(
            "include_asset_ids",
            self.include_asset_ids.as_deref(),
            MAX_ID_CHARS,
        );
    }
}

impl CheckBounds for SelectorSpec {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        c.gt("target_amount", self.target_amount, 0.0);
        self.hard_constraints
            .check_bounds(&mut c.nested("hard_constraints"));
        self.soft_preferences
            .check_bounds(&mut c.nested("soft_preferences"));
        self.asset_filters
            .check_bounds(&mut c.nested("asset_filters"));
        if self.time_horizon_years.is_some_and(|years| years <= 0) {
            c.fail("time_horizon_years", "must be > 0");
        }
        c.int_range("max_iterations", self.max_iterations, 1, 10);
    }
}

/// Range rules of a portfolio as requests and portfolio files carry it: at least one asset,
/// each asset and the corporate state within range.
pub fn check_portfolio(c: &mut Checker<'_>, assets: &[Asset], state: &CorporateState) {
    if assets.is_empty() {
        c.fail("assets", "must contain at least 1 asset");
    }
    for (i, asset) in assets.iter().enumerate() {
        asset.check_bounds(&mut c.nested(&format!("assets[{i}]")));
    }
    state.check_bounds(&mut c.nested("corporate_state"));
}

impl CheckBounds for ProgramRequest {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        check_portfolio(c, &self.assets, &self.corporate_state);
        if self.program_description.is_empty() {
            c.fail("program_description", "must have at least 1 character");
        }
        c.max_len(
            "program_description",
            &self.program_description,
            MAX_DESCRIPTION_CHARS,
        );
        c.opt("floor_override", self.floor_override, |c, f, v| {
            c.gt(f, v, 0.0)
        });
        c.opt(
            "max_leverage_override",
            self.max_leverage_override,
            |c, f, v| c.open(f, v, 0.0, 10.0),
        );
        c.opt(
            "min_coverage_override",
            self.min_coverage_override,
            |c, f, v| c.open(f, v, 0.0, 20.0),
        );
        c.opt(
            "target_amount_override",
            self.target_amount_override,
            |c, f, v| c.gt(f, v, 0.0),
        );
        if let Some(spec) = &self.selector_spec {
            spec.check_bounds(&mut c.nested("selector_spec"));
        }
        if let Some(assumptions) = &self.assumptions {
            let before = c.errors.len();
            assumptions.check_bounds(&mut c.nested("assumptions"));
            if c.errors.len() == before {
                check_adjusted_cap_rates(&mut c.nested("assumptions"), &self.assets, assumptions);
            }
        }
    }
}

impl CheckBounds for ScenarioDefinition {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        c.len_range("label", &self.label, 1, 50);
        c.len_range("rationale", &self.rationale, 1, 200);
        c.gt("target_amount", self.target_amount, 0.0);
        c.opt("max_leverage", self.max_leverage, |c, f, v| {
            c.open(f, v, 0.0, 10.0)
        });
        c.opt("min_coverage", self.min_coverage, |c, f, v| {
            c.open(f, v, 0.0, 20.0)
        });
    }
}

impl CheckBounds for ScenarioSetRequest {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        if self.brief.trim().is_empty() {
            c.fail("brief", "must not be empty");
        }
        c.max_len("brief", &self.brief, MAX_DESCRIPTION_CHARS);
        if let Some(fund_id) = &self.fund_id {
            c.max_len("fund_id", fund_id, MAX_ID_CHARS);
        }
        self.base_request
            .check_bounds(&mut c.nested("base_request"));
        c.int_range("num_scenarios", self.num_scenarios, 1, 5);
    }
}

impl CheckBounds for ConstraintViolation {
    fn check_bounds(&self, _: &mut Checker<'_>) {}
}

impl<T: CheckBounds> CheckBounds for Option<T> {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        if let Some(value) = self {
            value.check_bounds(c);
        }
    }
}

impl<T: CheckBounds> CheckBounds for Vec<T> {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        for (i, item) in self.iter().enumerate() {
            item.check_bounds(&mut c.nested(&format!("[{i}]")));
        }
    }
}
