//! Wire types of the analyst workflows (docs/analyses.md): the proceeds frontier
//! (`POST /api/analyses/frontier`, `slb frontier`) and the sensitivity grid
//! (`POST /api/analyses/sensitivity`, `slb sensitivity`).
//!
//! A request is a [`ProgramRequest`] with a few more fields at the top level. It is parsed in
//! two passes over the same bytes ([`FrontierRequest::parse_checked`]): once as the program
//! request, once as the options. A `#[serde(flatten)]` parse would lose the field paths of
//! errors inside the program request (`assets[3].noi`), which every other endpoint reports.

use serde::{Deserialize, Serialize};

use super::api::{FieldError, ProgramRequest};
use super::bounds::{CheckBounds, Checker, check_adjusted_cap_rates, parse_checked};
use super::enums::{FrontierMetric, SelectionStatus, SelectionStrategy, SensitivityParameter};
use super::spec::SelectorSpec;

/// Fewest and most points of a frontier.
pub const FRONTIER_POINTS: (i64, i64) = (2, 50);
/// Fewest and most values on one axis of a sensitivity grid.
pub const AXIS_VALUES: (usize, usize) = (2, 9);
/// Axes of a sensitivity grid.
pub const GRID_AXES: usize = 2;

/// What a frontier traces, besides the program request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrontierOptions {
    /// The metric traded against gross proceeds.
    pub metric: FrontierMetric,
    /// Metric ceilings to solve at, 2–50: the frontier has at most this many points.
    pub points: i64,
}

/// `POST /api/analyses/frontier`: a program request (its `selector_spec`, when set, skips
/// the planner) plus the metric and the number of points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrontierRequest {
    #[serde(flatten)]
    pub request: ProgramRequest,
    #[serde(flatten)]
    pub options: FrontierOptions,
}

/// One axis of a sensitivity grid: a parameter and the values it takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SensitivityAxis {
    pub parameter: SensitivityParameter,
    /// 2–9 values, each within the parameter's range (the range of the request field it
    /// replaces).
    pub values: Vec<f64>,
}

/// What a sensitivity grid varies, besides the program request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SensitivityOptions {
    /// Exactly two axes with different parameters: rows vary the first, columns the second.
    pub axes: Vec<SensitivityAxis>,
}

/// `POST /api/analyses/sensitivity`: a program request plus two axes. Every cell runs the
/// request's `selection_strategy` (greedy when null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SensitivityRequest {
    #[serde(flatten)]
    pub request: ProgramRequest,
    #[serde(flatten)]
    pub options: SensitivityOptions,
}

impl CheckBounds for FrontierOptions {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        c.int_range("points", self.points, FRONTIER_POINTS.0, FRONTIER_POINTS.1);
    }
}

impl CheckBounds for SensitivityOptions {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        if self.axes.len() != GRID_AXES {
            c.fail(
                "axes",
                format!(
                    "must have exactly {GRID_AXES} axes (got {})",
                    self.axes.len()
                ),
            );
        }
        for (i, axis) in self.axes.iter().enumerate() {
            let mut axis_checker = c.nested(&format!("axes[{i}]"));
            if self.axes[..i].iter().any(|a| a.parameter == axis.parameter) {
                axis_checker.fail(
                    "parameter",
                    format!("must differ from the other axis ({})", axis.parameter),
                );
            }
            let (lo, hi) = AXIS_VALUES;
            if axis.values.len() < lo || axis.values.len() > hi {
                axis_checker.fail(
                    "values",
                    format!("must have {lo} to {hi} values (got {})", axis.values.len()),
                );
            }
            let mut values = axis_checker.nested("values");
            for (k, &value) in axis.values.iter().enumerate() {
                let field = format!("[{k}]");
                match axis.parameter {
                    SensitivityParameter::CapRateShiftBps => {
                        values.between(&field, value, -500.0, 500.0)
                    }
                    SensitivityParameter::RentMultiplier => {
                        values.open_closed(&field, value, 0.0, 3.0)
                    }
                    SensitivityParameter::CostOfDebt => values.open(&field, value, 0.0, 0.5),
                    SensitivityParameter::TargetAmount => values.gt(&field, value, 0.0),
                    SensitivityParameter::MaxNetLeverage => values.open(&field, value, 0.0, 10.0),
                }
            }
        }
    }
}

/// Parses `json` as a program request and as options of type `O`, and reports the field
/// errors of both.
fn parse_two<O: serde::de::DeserializeOwned + CheckBounds>(
    json: &[u8],
) -> Result<(ProgramRequest, O), Vec<FieldError>> {
    match (
        parse_checked::<ProgramRequest>(json),
        parse_checked::<O>(json),
    ) {
        (Ok(request), Ok(options)) => Ok((request, options)),
        (request, options) => {
            let mut errors = request.err().unwrap_or_default();
            errors.extend(options.err().unwrap_or_default());
            Err(errors)
        }
    }
}

impl FrontierRequest {
    /// Parses and range-checks a frontier request; every offending field is reported with
    /// its path (`assets[3].noi`, `points`, `metric`).
    pub fn parse_checked(json: &[u8]) -> Result<Self, Vec<FieldError>> {
        let (request, options) = parse_two::<FrontierOptions>(json)?;
        Ok(FrontierRequest { request, options })
    }
}

impl SensitivityRequest {
    /// Parses and range-checks a sensitivity request; every offending field is reported with
    /// its path (`axes[0].values[2]`). A cap-rate shift must also leave every cap rate of the
    /// portfolio's assets above the minimum, as `assumptions.cap_rate_shift_bps` must.
    pub fn parse_checked(json: &[u8]) -> Result<Self, Vec<FieldError>> {
        let (request, options) = parse_two::<SensitivityOptions>(json)?;
        let errors = options.cap_rate_errors(&request);
        if errors.is_empty() {
            Ok(SensitivityRequest { request, options })
        } else {
            Err(errors)
        }
    }
}

impl SensitivityOptions {
    /// Cap-rate shifts of the axes that would price an asset of `request` at or below the
    /// minimum cap rate, reported at the axis value.
    pub fn cap_rate_errors(&self, request: &ProgramRequest) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for (i, axis) in self.axes.iter().enumerate() {
            if axis.parameter != SensitivityParameter::CapRateShiftBps {
                continue;
            }
            for (k, &shift) in axis.values.iter().enumerate() {
                let mut assumptions = request.assumptions.clone().unwrap_or_default();
                assumptions.cap_rate_shift_bps = Some(shift);
                let mut found = Vec::new();
                check_adjusted_cap_rates(
                    &mut Checker::new(&mut found),
                    &request.assets,
                    &assumptions,
                );
                errors.extend(found.into_iter().map(|e| FieldError {
                    field: format!("axes[{i}].values[{k}]"),
                    message: e.message,
                }));
            }
        }
        errors
    }
}

/// Every metric a frontier can trade against, after one program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramMetrics {
    /// Null when EBITDA is (nearly) zero.
    pub reported_leverage: Option<f64>,
    /// Null when EBITDA + lease expense ≤ 0.
    pub lease_adjusted_leverage: Option<f64>,
    /// Null when EBITDA does not exceed the new rent.
    pub covenant_leverage: Option<f64>,
    pub new_rent: f64,
    pub critical_fraction: f64,
}

/// One point of a frontier: the program with the most gross proceeds whose metric is at most
/// `level`, under every other hard constraint and filter of the spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FrontierPoint {
    /// Gross proceeds of the program, $.
    pub proceeds: f64,
    /// The frontier's metric after the program (≤ `level`).
    pub metric_value: f64,
    /// The metric ceiling this point was solved under.
    pub level: f64,
    /// The assets sold, in portfolio order.
    pub asset_ids: Vec<String>,
    pub assets_sold: i64,
    /// Whether the optimiser proved the most proceeds under this ceiling (false: its node
    /// budget ran out first, and the point is the best found).
    pub proven: bool,
    /// Branch-and-bound nodes the solve used.
    pub nodes: i64,
    /// Every frontier metric after the program.
    pub metrics: ProgramMetrics,
}

/// The program the request itself runs (its strategy, its target), for marking on the chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CurrentProgram {
    pub status: SelectionStatus,
    pub proceeds: f64,
    /// The frontier's metric after it (null when undefined).
    pub metric_value: Option<f64>,
    pub assets_sold: i64,
}

/// `POST /api/analyses/frontier` answer: the non-dominated (proceeds, metric) pairs, sorted by
/// proceeds (and so by metric) ascending.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Frontier {
    pub metric: FrontierMetric,
    pub points: Vec<FrontierPoint>,
    /// Whether every solve behind the points (and the search for the lowest level) was
    /// proven optimal within the node budget.
    pub proven: bool,
    /// Metric ceilings solved (one optimiser run each).
    pub solves: i64,
    /// The node budget of each solve (`EngineConfig.optimiser_node_budget`).
    pub node_budget: i64,
    /// The metric before any sale (null when undefined).
    pub metric_before: Option<f64>,
    /// The spec's own hard limit on the metric, if any (drawn on the chart).
    pub limit: Option<f64>,
    /// The spec's target, $ (drawn on the chart; not a constraint of the frontier).
    pub target_amount: f64,
    /// What the request's own program does.
    pub current: CurrentProgram,
    /// The spec the frontier was traced under (the request's, or the planner's), for opening
    /// a point as a run.
    pub selector_spec: SelectorSpec,
    /// What the frontier means in this case, e.g. that there is no trade-off.
    pub notes: Vec<String>,
}

/// One cell of a sensitivity grid: the program of the request with both axis values applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SensitivityCell {
    /// Index into the first axis's values.
    pub row: i64,
    /// Index into the second axis's values.
    pub col: i64,
    pub status: SelectionStatus,
    /// The program meets every hard constraint and the target.
    pub feasible: bool,
    /// Gross proceeds, $.
    pub proceeds: f64,
    pub assets_sold: i64,
    /// Net leverage after the program as the reference reports it.
    pub reported_leverage: Option<f64>,
    /// Rating-agency leverage after the program.
    pub lease_adjusted_leverage: Option<f64>,
    /// After-tax cost of the capital raised (`credit_analysis.transaction.slb_cost_of_capital`).
    pub after_tax_cost: Option<f64>,
    /// `optimal` only: whether the optimiser proved its answer (null for greedy).
    pub proven: Option<bool>,
}

/// Where the request's own values sit on the axes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SensitivityBase {
    /// The request's value of each axis's parameter (null: `max_net_leverage` not set).
    pub values: Vec<Option<f64>>,
    /// The row whose value is the request's, if one is.
    pub row: Option<i64>,
    /// The column whose value is the request's, if one is.
    pub col: Option<i64>,
}

/// `POST /api/analyses/sensitivity` answer: rows × columns cells, row-major.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SensitivityGrid {
    pub axes: Vec<SensitivityAxis>,
    pub strategy: SelectionStrategy,
    pub base: SensitivityBase,
    /// `cells[row × columns + col]`.
    pub cells: Vec<SensitivityCell>,
    /// The spec every cell starts from (the request's, or the planner's).
    pub selector_spec: SelectorSpec,
}
