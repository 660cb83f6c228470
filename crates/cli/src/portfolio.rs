//! Portfolio files: `{"assets": [...], "corporate_state": {...}}` (extra keys ignored). The demo
//! portfolio ships inside the binary and is the default.

use std::path::Path;

use engine::model::{Asset, CorporateState, parse_checked};
use engine::model::{CheckBounds, Checker};
use serde::Deserialize;

use crate::error::CliError;

/// The demo retailer portfolio (48 properties, 20 US markets), embedded at build time.
pub const DEMO_PORTFOLIO_JSON: &str = include_str!("../../../examples/demo_portfolio.json");

/// Assets plus the company's financial position.
#[derive(Debug, Clone, Deserialize)]
pub struct Portfolio {
    pub assets: Vec<Asset>,
    pub corporate_state: CorporateState,
}

impl CheckBounds for Portfolio {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        if self.assets.is_empty() {
            c.fail("assets", "must contain at least 1 asset");
        }
        for (i, asset) in self.assets.iter().enumerate() {
            asset.check_bounds(&mut c.nested(&format!("assets[{i}]")));
        }
        self.corporate_state
            .check_bounds(&mut c.nested("corporate_state"));
    }
}

impl Portfolio {
    /// The embedded demo portfolio.
    pub fn demo() -> Portfolio {
        parse_checked(DEMO_PORTFOLIO_JSON.as_bytes()).expect("embedded demo portfolio is valid")
    }

    /// Reads a portfolio file, or the demo portfolio when no path is given.
    pub fn load(path: Option<&Path>) -> Result<Portfolio, CliError> {
        match path {
            None => Ok(Portfolio::demo()),
            Some(path) => read_json(path),
        }
    }
}

/// Reads and range-checks a JSON file, naming the file and every offending field on failure.
pub fn read_json<T: serde::de::DeserializeOwned + CheckBounds>(path: &Path) -> Result<T, CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::input(format!("cannot read {}: {e}", path.display())))?;
    parse_checked(&bytes).map_err(|errors| CliError::invalid_file(path, &errors))
}
