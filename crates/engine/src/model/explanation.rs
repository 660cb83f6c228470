//! Machine-readable explanation of an outcome (SPEC §2.7).

use serde::{Deserialize, Serialize};

use super::enums::{NodeCategory, Severity};

/// One fact about the outcome: a violated or near-binding constraint, a driver, or a risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExplanationNode {
    pub id: String,
    pub label: String,
    pub severity: Severity,
    pub category: NodeCategory,
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default)]
    pub baseline_value: Option<f64>,
    #[serde(default)]
    pub post_value: Option<f64>,
    #[serde(default)]
    pub threshold: Option<f64>,
    #[serde(default)]
    pub asset_ids: Option<Vec<String>>,
    #[serde(default)]
    pub detail: Option<String>,
}

/// Executive summary plus the nodes it was written from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Explanation {
    pub summary: String,
    #[serde(default)]
    pub nodes: Vec<ExplanationNode>,
}
