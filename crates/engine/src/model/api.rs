//! Request/response shapes of the HTTP API and the run records behind them (SPEC §2.9–2.10, §10).

use serde::{Deserialize, Serialize};

use super::assumptions::Assumptions;
use super::audit::AuditTrace;
use super::credit::CreditAnalysis;
use super::enums::{
    ProgramType, Role, RunStatus, ScenarioKind, SelectionStatus, SelectionStrategy, SpecFieldSource,
};
use super::explanation::{Explanation, ExplanationNode};
use super::outcome::ProgramOutcome;
use super::portfolio::{CorporateState, Portfolio};
use super::spec::SelectorSpec;

/// A request to plan and run one program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramRequest {
    /// At least one asset.
    #[cfg_attr(feature = "schema", schemars(with = "Vec<super::portfolio::Asset>"))]
    #[cfg_attr(feature = "ts", ts(as = "Vec<super::portfolio::Asset>"))]
    pub assets: Portfolio,
    pub corporate_state: CorporateState,
    pub program_type: ProgramType,
    /// The plain-English brief (min length 1).
    pub program_description: String,
    /// Minimum acceptable target, $ (> 0). The revision loop never cuts the target below it.
    #[serde(default)]
    pub floor_override: Option<f64>,
    /// Forces `hard_constraints.max_net_leverage`, in (0, 10).
    #[serde(default)]
    pub max_leverage_override: Option<f64>,
    /// Forces `hard_constraints.min_fixed_charge_coverage`, in (0, 20).
    #[serde(default)]
    pub min_coverage_override: Option<f64>,
    /// Replaces the planner's target, $ (> 0); the target then becomes a user override.
    #[serde(default)]
    pub target_amount_override: Option<f64>,
    /// `greedy` (the reference's walk, the default when null) or `optimal`: an exact search
    /// that finds a selection meeting every hard constraint and the target whenever one exists
    /// (greedy misses those that need several sales together) and picks by the spec's
    /// `objective`; when none exists the outcome says the most proceeds achievable.
    #[serde(default)]
    pub selection_strategy: Option<SelectionStrategy>,
    /// Market, transaction and credit assumptions of this run; null fields keep the server's
    /// defaults (docs/credit.md §1.1).
    #[serde(default)]
    pub assumptions: Option<Assumptions>,
    /// "Run this spec": a spec the user confirmed (e.g. from `POST /api/plan`). The planner
    /// then writes no initial spec; the overrides above still apply and the revision loop runs
    /// as usual.
    #[serde(default)]
    pub selector_spec: Option<SelectorSpec>,
}

/// Where a field of a planned spec came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldProvenance {
    /// Dotted path of the spec field, e.g. `hard_constraints.max_net_leverage`.
    pub field: String,
    pub source: SpecFieldSource,
    /// What was read or assumed, e.g. "\"under 3.5x\"" or "17.5 % of NOI at a 6.5 % cap rate".
    #[serde(default)]
    pub note: Option<String>,
}

/// The spec the planner would run for a request, with where each field came from and what it
/// could not read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlanPreview {
    pub selector_spec: SelectorSpec,
    /// One entry per non-null field of the spec.
    pub provenance: Vec<FieldProvenance>,
    /// What the planner could not read or ignored.
    pub warnings: Vec<String>,
}

/// A finished program: the spec that ran, what it produced, why, and how it got there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProgramResponse {
    pub selector_spec: SelectorSpec,
    pub outcome: ProgramOutcome,
    pub explanation: Explanation,
    #[serde(default)]
    pub audit_trace: Option<AuditTrace>,
    /// What the program does to the company in every credit lens, the transaction's cash
    /// and the cost of the capital raised (null only on runs stored before it existed).
    #[serde(default)]
    pub credit_analysis: Option<CreditAnalysis>,
    /// Findings a CFO would want spelled out, each citing the engine's numbers (kept apart
    /// from the reference's explanation nodes; null only on runs stored before it existed).
    #[serde(default)]
    pub insights: Option<Vec<ExplanationNode>>,
    /// Where each field of the initial spec came from (null on runs stored before it existed).
    #[serde(default)]
    pub provenance: Option<Vec<FieldProvenance>>,
    /// What the planner could not read or ignored in the brief.
    #[serde(default)]
    pub planner_warnings: Option<Vec<String>>,
}

/// One field-level problem in a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldError {
    /// Path of the field, e.g. `assets[3].noi`.
    pub field: String,
    /// The rule it breaks, e.g. `must be > 0`.
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

/// Body of every error response (DECISIONS F3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ErrorResponse {
    pub error: String,
    #[serde(default)]
    pub detail: Option<String>,
    pub code: String,
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

/// A stored run: a completed program or a failure message, plus scenario metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RunRecord {
    pub run_id: String,
    #[serde(default)]
    pub fund_id: Option<String>,
    pub program_description: String,
    pub status: RunStatus,
    /// Set iff the run completed.
    #[serde(default)]
    pub response: Option<ProgramResponse>,
    /// Set iff the run failed.
    #[serde(default)]
    pub error: Option<String>,
    pub created_at: String,
    #[serde(default)]
    pub scenario_set_id: Option<String>,
    #[serde(default)]
    pub scenario_kind: Option<ScenarioKind>,
    #[serde(default)]
    pub scenario_label: Option<String>,
    /// Why the planner proposed this scenario (scenario runs only).
    #[serde(default)]
    pub scenario_rationale: Option<String>,
    /// The whole request the run executed (portfolio, financials, overrides, strategy,
    /// assumptions): posting it again reproduces the outcome bit for bit. Null for runs stored
    /// before requests were kept.
    #[serde(default)]
    pub request: Option<ProgramRequest>,
    /// Who created the run: the name of the API key (or of the trusted proxy's user). Null in
    /// open mode (no keys configured) and for runs stored before it was kept.
    #[serde(default)]
    pub created_by: Option<String>,
}

/// A run in a listing: the record without its response or error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RunListItem {
    pub run_id: String,
    #[serde(default)]
    pub fund_id: Option<String>,
    pub program_description: String,
    pub status: RunStatus,
    pub created_at: String,
    #[serde(default)]
    pub scenario_set_id: Option<String>,
    #[serde(default)]
    pub scenario_kind: Option<ScenarioKind>,
    #[serde(default)]
    pub scenario_label: Option<String>,
    /// The target of the spec that ran (completed runs).
    #[serde(default)]
    pub target_amount: Option<f64>,
    /// Proceeds of the final selection (completed runs).
    #[serde(default)]
    pub proceeds: Option<f64>,
    /// Feasibility of the final selection (completed runs).
    #[serde(default)]
    pub outcome_status: Option<SelectionStatus>,
    /// The strategy the run asked for (null = the API default, greedy; null for old runs).
    #[serde(default)]
    pub selection_strategy: Option<SelectionStrategy>,
    /// Who created the run (the key's name); null in open mode and for older runs.
    #[serde(default)]
    pub created_by: Option<String>,
}

impl From<&RunRecord> for RunListItem {
    fn from(r: &RunRecord) -> Self {
        let response = r.response.as_ref();
        RunListItem {
            run_id: r.run_id.clone(),
            fund_id: r.fund_id.clone(),
            program_description: r.program_description.clone(),
            status: r.status,
            created_at: r.created_at.clone(),
            scenario_set_id: r.scenario_set_id.clone(),
            scenario_kind: r.scenario_kind,
            scenario_label: r.scenario_label.clone(),
            target_amount: response.map(|response| response.selector_spec.target_amount),
            proceeds: response.map(|response| response.outcome.proceeds),
            outcome_status: response.map(|response| response.outcome.status),
            selection_strategy: r.request.as_ref().map(|request| {
                request
                    .selection_strategy
                    .unwrap_or(SelectionStrategy::Greedy)
            }),
            created_by: r.created_by.clone(),
        }
    }
}

/// Who a request acts as (`GET /api/me`): the key's name, role and funds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Identity {
    /// The key's name (or the trusted proxy's user); null in open mode, where the server has
    /// no keys and serves everyone.
    pub name: Option<String>,
    pub role: Role,
    /// The funds it may see and write; null = every fund.
    pub funds: Option<Vec<String>>,
}
