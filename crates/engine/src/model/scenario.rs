//! Scenario sets: several variants of one brief, run and compared side by side (SPEC §2.11, §11).

use serde::{Deserialize, Serialize};

use super::api::ProgramRequest;
use super::enums::ScenarioKind;

/// One variant proposed by the planner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScenarioDefinition {
    /// 1–50 characters, unique within the set.
    pub label: String,
    pub kind: ScenarioKind,
    /// 1–200 characters.
    pub rationale: String,
    /// Proceeds to raise in this scenario, $ (> 0).
    pub target_amount: f64,
    /// Leverage cap override, in (0, 10); null keeps the brief's.
    #[serde(default)]
    pub max_leverage: Option<f64>,
    /// Fixed-charge coverage floor override, in (0, 20); null keeps the brief's.
    #[serde(default)]
    pub min_coverage: Option<f64>,
}

/// The planner's answer to "generate scenarios".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScenarioDefinitions {
    pub scenarios: Vec<ScenarioDefinition>,
}

/// Index entry of a scenario set; labels, kinds and statuses live on the runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScenarioSetSummary {
    pub id: String,
    pub brief: String,
    pub created_at: String,
    /// In scenario order.
    pub run_ids: Vec<String>,
    /// What the set changed in the planner's scenarios and why: variants dropped because they
    /// would repeat another's spec or selection, limits clamped to what the company can reach.
    #[serde(default)]
    pub notes: Vec<String>,
}

pub const DEFAULT_NUM_SCENARIOS: i64 = 3;

fn default_num_scenarios() -> i64 {
    DEFAULT_NUM_SCENARIOS
}

/// Body of `POST /api/scenario_sets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ScenarioSetRequest {
    pub brief: String,
    pub base_request: ProgramRequest,
    /// 1–5, default 3.
    #[serde(default = "default_num_scenarios")]
    pub num_scenarios: i64,
    #[serde(default)]
    pub fund_id: Option<String>,
}
