//! The audit trail of one run: every engine run of the revision loop (SPEC §2.8, DECISIONS F4).

use serde::{Deserialize, Serialize};

use super::enums::{AuditPhase, InitialSpecSource, SelectionStatus, TargetSource};
use super::outcome::{ConstraintViolation, PolicyViolation, ProgramOutcome};
use super::spec::SelectorSpec;

/// The parts of a spec that the revision policy guards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SpecSnapshot {
    pub target_amount: f64,
    #[serde(default)]
    pub max_criticality: Option<f64>,
    #[serde(default)]
    pub min_leaseability_score: Option<f64>,
    #[serde(default)]
    pub max_net_leverage: Option<f64>,
    #[serde(default)]
    pub min_interest_coverage: Option<f64>,
    #[serde(default)]
    pub min_fixed_charge_coverage: Option<f64>,
    #[serde(default)]
    pub max_critical_fraction: Option<f64>,
}

impl From<&SelectorSpec> for SpecSnapshot {
    fn from(spec: &SelectorSpec) -> Self {
        SpecSnapshot {
            target_amount: spec.target_amount,
            max_criticality: spec.asset_filters.max_criticality,
            min_leaseability_score: spec.asset_filters.min_leaseability_score,
            max_net_leverage: spec.hard_constraints.max_net_leverage,
            min_interest_coverage: spec.hard_constraints.min_interest_coverage,
            min_fixed_charge_coverage: spec.hard_constraints.min_fixed_charge_coverage,
            max_critical_fraction: spec.hard_constraints.max_critical_fraction,
        }
    }
}

/// The headline results of one engine run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutcomeSnapshot {
    pub status: SelectionStatus,
    pub proceeds: f64,
    #[serde(default)]
    pub leverage_after: Option<f64>,
    #[serde(default)]
    pub interest_coverage_after: Option<f64>,
    #[serde(default)]
    pub fixed_charge_coverage_after: Option<f64>,
    #[serde(default)]
    pub critical_fraction: f64,
    #[serde(default)]
    pub violations: Vec<ConstraintViolation>,
}

impl From<&ProgramOutcome> for OutcomeSnapshot {
    fn from(outcome: &ProgramOutcome) -> Self {
        OutcomeSnapshot {
            status: outcome.status,
            proceeds: outcome.proceeds,
            leverage_after: outcome.leverage_after,
            interest_coverage_after: outcome.interest_coverage_after,
            fixed_charge_coverage_after: outcome.fixed_charge_coverage_after,
            critical_fraction: outcome.critical_fraction,
            violations: outcome.violations.clone(),
        }
    }
}

/// One engine run of the loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditTraceEntry {
    /// 0 = the initial run.
    pub iteration: i64,
    pub phase: AuditPhase,
    pub spec_snapshot: SpecSnapshot,
    pub outcome_snapshot: OutcomeSnapshot,
    /// What the policy clamped in the revision that produced this entry's spec.
    #[serde(default)]
    pub policy_violations: Vec<PolicyViolation>,
    #[serde(default)]
    pub target_before: Option<f64>,
    pub target_after: f64,
    pub timestamp: String,
}

/// Every iteration of one run, with the target bounds that governed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditTrace {
    #[serde(default)]
    pub entries: Vec<AuditTraceEntry>,
    pub original_target: f64,
    pub floor_target: f64,
    pub floor_fraction: f64,
    pub target_source: TargetSource,
    pub started_at: String,
    #[serde(default)]
    pub completed_at: Option<String>,
    /// Violations of a revision the policy rejected (the reference loses these).
    #[serde(default)]
    pub rejected_revision_violations: Vec<PolicyViolation>,
    /// Who wrote the initial spec: the planner, or the request (a spec the user confirmed).
    /// Null on runs stored before it existed.
    #[serde(default)]
    pub spec_source: Option<InitialSpecSource>,
}
