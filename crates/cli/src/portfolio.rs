//! Portfolio input: a JSON file `{"assets": [...], "corporate_state": {...}}` (extra keys
//! ignored), or a CSV of assets plus a JSON corporate-state file. The demo portfolio ships
//! inside the binary and is the default.
//!
//! CSV columns are the asset's field names (header row required, any order): `asset_id`,
//! `asset_type`, `market`, `noi`, `book_value`, `criticality`, `leaseability_score` are
//! required; `name`, `country`, `market_tier` (1–3), `tenant_name`, `tenant_credit_score`,
//! `wault_years`, `demographic_index`, `esg_risk_score`, `current_ltv`,
//! `existing_debt_amount`, `encumbrance_type`, `tax_basis` are optional (empty cell = unset). Unknown
//! columns are ignored.

use std::path::Path;

use engine::model::{
    Asset, AssetType, Assumptions, CheckBounds, Checker, CorporateState, FieldError,
    ProgramRequest, ProgramType, SelectionStrategy, check_adjusted_cap_rates, check_portfolio,
    parse_checked,
};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::CliError;

/// The demo retailer portfolio (48 properties, 20 US markets), embedded at build time.
pub const DEMO_PORTFOLIO_JSON: &str = include_str!("../../../examples/demo_portfolio.json");

/// Assets plus the company's financial position.
#[derive(Debug, Clone, Deserialize)]
pub struct PortfolioInput {
    pub assets: engine::model::Portfolio,
    pub corporate_state: CorporateState,
    /// From `--assumptions FILE` (never read from the portfolio file).
    #[serde(skip)]
    pub assumptions: Option<Assumptions>,
}

impl CheckBounds for PortfolioInput {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        check_portfolio(c, &self.assets, &self.corporate_state);
    }
}

/// Where the portfolio comes from, as given on the command line.
#[derive(clap::Args, Debug, Clone)]
pub struct PortfolioArgs {
    /// Portfolio JSON `{"assets": [...], "corporate_state": {...}}`, or a CSV of assets (with
    /// --state); the built-in demo portfolio when omitted.
    #[arg(long)]
    pub portfolio: Option<std::path::PathBuf>,
    /// Corporate state JSON `{"net_debt", "ebitda", "interest_expense", "lease_expense"}`;
    /// required with a CSV portfolio, overrides the JSON portfolio's otherwise.
    #[arg(long)]
    pub state: Option<std::path::PathBuf>,
    /// Assumptions JSON (cap-rate shift and overrides, haircut, rent multiplier, cost of debt,
    /// tax rate, lease term, escalator, discount rate, lease multiple, residual growth); the
    /// engine's defaults when omitted. `null` or `{}` = defaults.
    #[arg(long, value_name = "FILE")]
    pub assumptions: Option<std::path::PathBuf>,
}

impl PortfolioArgs {
    pub fn load(&self) -> Result<PortfolioInput, CliError> {
        let mut portfolio = self.load_portfolio()?;
        if let Some(path) = &self.assumptions {
            let assumptions: Option<Assumptions> = read_json(path)?;
            if let Some(assumptions) = &assumptions {
                let mut errors = Vec::new();
                check_adjusted_cap_rates(
                    &mut Checker::new(&mut errors),
                    &portfolio.assets,
                    assumptions,
                );
                if !errors.is_empty() {
                    return Err(CliError::invalid_file(path, &errors));
                }
            }
            portfolio.assumptions = assumptions;
        }
        Ok(portfolio)
    }

    fn load_portfolio(&self) -> Result<PortfolioInput, CliError> {
        let is_csv = self
            .portfolio
            .as_deref()
            .and_then(Path::extension)
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        let mut portfolio = match (&self.portfolio, is_csv) {
            (None, _) => PortfolioInput::demo(),
            (Some(path), false) => read_json(path)?,
            (Some(path), true) => {
                let Some(state) = &self.state else {
                    return Err(CliError::input(
                        "a CSV portfolio needs --state FILE with the corporate state (JSON)",
                    ));
                };
                let assets = read_csv_assets(path)?;
                let corporate_state: CorporateState = read_json(state)?;
                return Ok(PortfolioInput {
                    assets: assets.into(),
                    corporate_state,
                    assumptions: None,
                });
            }
        };
        if let Some(state) = &self.state {
            portfolio.corporate_state = read_json(state)?;
        }
        Ok(portfolio)
    }
}

impl PortfolioInput {
    /// The embedded demo portfolio.
    pub fn demo() -> PortfolioInput {
        parse_checked(DEMO_PORTFOLIO_JSON.as_bytes()).expect("embedded demo portfolio is valid")
    }

    /// A sale-leaseback request for `brief` on this portfolio, with no overrides.
    pub fn slb_request(self, brief: &str, strategy: SelectionStrategy) -> ProgramRequest {
        ProgramRequest {
            assets: self.assets,
            corporate_state: self.corporate_state,
            program_type: ProgramType::Slb,
            program_description: brief.to_owned(),
            floor_override: None,
            max_leverage_override: None,
            min_coverage_override: None,
            target_amount_override: None,
            selection_strategy: Some(strategy),
            assumptions: self.assumptions,
            selector_spec: None,
        }
    }
}

/// Reads and range-checks a JSON file, naming the file and every offending field on failure.
pub fn read_json<T: serde::de::DeserializeOwned + CheckBounds>(path: &Path) -> Result<T, CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::input(format!("cannot read {}: {e}", path.display())))?;
    parse_checked(&bytes).map_err(|errors| CliError::invalid_file(path, &errors))
}

const NUMERIC_COLUMNS: [&str; 12] = [
    "noi",
    "book_value",
    "criticality",
    "leaseability_score",
    "market_tier",
    "tenant_credit_score",
    "wault_years",
    "demographic_index",
    "esg_risk_score",
    "current_ltv",
    "existing_debt_amount",
    "tax_basis",
];

/// A number as people write money in a spreadsheet: `2450000`, `$2,450,000`, `2.45M`,
/// `750k`, `1.5bn`, `12%` (= 0.12). `None` when it is not one.
pub fn parse_amount(cell: &str) -> Option<f64> {
    let cleaned: String = cell
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '$' | ',' | '_') && !c.is_whitespace())
        .collect();
    let (digits, scale) = [
        ("mm", 1e6),
        ("bn", 1e9),
        ("k", 1e3),
        ("m", 1e6),
        ("b", 1e9),
        ("x", 1.0),
    ]
    .iter()
    .find_map(|(suffix, scale)| cleaned.strip_suffix(suffix).map(|d| (d, *scale)))
    .unwrap_or((cleaned.as_str(), 1.0));
    if let Some(percent) = digits.strip_suffix('%') {
        return percent
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| n / 100.0);
    }
    // Only plain decimal numbers: no "inf", "nan" or hex.
    let plain = !digits.is_empty()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e'));
    digits
        .parse::<f64>()
        .ok()
        .filter(|n| plain && n.is_finite())
        .map(|n| n * scale)
}

/// An asset type as people write it: `store`, `Distribution Center`, `distribution-center`,
/// `mixed use`.
fn parse_asset_type(cell: &str) -> Option<AssetType> {
    let normalised: String = cell
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    normalised.parse().ok()
}

/// Reads a CSV of assets. Every problem is reported as `row N: field: message` (N counts data
/// rows from 1, as a spreadsheet user sees them after the header).
pub fn read_csv_assets(path: &Path) -> Result<Vec<Asset>, CliError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| CliError::input(format!("cannot read {}: {e}", path.display())))?;
    let headers = reader
        .headers()
        .map_err(|e| CliError::input(format!("{}: {e}", path.display())))?
        .clone();
    let mut assets = Vec::new();
    let mut errors = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 1;
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(FieldError {
                    field: format!("row {row}"),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let mut object = Map::new();
        // Cells already reported as unreadable: the asset parser sees a stand-in value for
        // them, and its complaints about those fields are dropped, so each bad cell is
        // reported once.
        let mut unreadable: Vec<&str> = Vec::new();
        for (column, cell) in headers.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            let value = if NUMERIC_COLUMNS.contains(&column) {
                match parse_amount(cell) {
                    Some(n) if column == "market_tier" && n.fract() == 0.0 => Value::from(n as i64),
                    Some(n) => serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
                    None => {
                        errors.push(FieldError {
                            field: format!("row {row}: {column}"),
                            message: format!(
                                "must be a number such as 2450000, $2,450,000 or 2.45M (got {cell:?})"
                            ),
                        });
                        unreadable.push(column);
                        Value::from(1)
                    }
                }
            } else if column == "asset_type" {
                match parse_asset_type(cell) {
                    Some(asset_type) => Value::String(asset_type.as_str().to_owned()),
                    None => {
                        errors.push(FieldError {
                            field: format!("row {row}: asset_type"),
                            message: format!(
                                "must be one of store, distribution center, office, mixed use, other (got {cell:?})"
                            ),
                        });
                        unreadable.push(column);
                        Value::String("other".to_owned())
                    }
                }
            } else {
                Value::String(cell.to_string())
            };
            object.insert(column.to_string(), value);
        }
        let bytes = serde_json::to_vec(&Value::Object(object)).expect("JSON object serialises");
        match parse_checked::<Asset>(&bytes) {
            Ok(asset) if unreadable.is_empty() => assets.push(asset),
            Ok(_) => {}
            Err(problems) => errors.extend(
                problems
                    .into_iter()
                    .filter(|p| !unreadable.contains(&p.field.as_str()))
                    .map(|p| FieldError {
                        field: format!("row {row}: {}", p.field),
                        message: p.message,
                    }),
            ),
        }
    }
    if assets.is_empty() && errors.is_empty() {
        errors.push(FieldError {
            field: String::new(),
            message: "the CSV has no asset rows".into(),
        });
    }
    if errors.is_empty() {
        Ok(assets)
    } else {
        Err(CliError::invalid_file(path, &errors))
    }
}
