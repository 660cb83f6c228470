//! # SLB Planner engine
//!
//! The pure, deterministic core of SLB Planner: the domain model and wire contract, the
//! economics of a sale-leaseback, asset selection, explanation nodes, validation and the
//! revision policy. No IO, no async, no clock, no randomness: the same input always gives the
//! same output, byte for byte.
//!
//! Every formula and message reproduces the reference implementation; numbers are summed left
//! to right in selection order so results are bit-identical. Comments cite the behaviour
//! documents in the repository's `docs/reference/` (`SPEC §4.5`, `DECISIONS F4`, `CREDIT.md
//! §3`) and the guides in `docs/` (`docs/credit.md`, `docs/selection.md`, `docs/analyses.md`).
//!
//! ## Layout: where each rule lives
//!
//! | Rule | File |
//! |---|---|
//! | Wire types, field order, enum strings | `model/` (one file per concern: `portfolio`, `spec`, `outcome`, `explanation`, `audit`, `api`, `scenario`, `credit`, `assumptions`, `analysis`) |
//! | Range rules of the wire fields (`gt/ge/lt/le`, lengths) | `model/bounds.rs` |
//! | Engine and policy defaults | `config.rs` |
//! | Asset economics: cap rate, proceeds, rent; leverage and coverage before/after | `economics.rs` |
//! | Filters (types, markets, ids, leaseability, criticality) | `filters.rs`; the same on columns: `selection/columns.rs` |
//! | Preference score | `scoring.rs` |
//! | Greedy selection (the reference) | `selection/greedy.rs`, ranking in `selection/rank.rs` |
//! | Exact optimiser (`optimal`) | `selection/optimal/` (`problem` rows, `objective`, `search` branch and bound, `lp`, `knapsack`, `explain`) |
//! | Constraint check, violation codes and messages | `constraints.rs` |
//! | Credit lenses, tax, waterfall, cost of SLB capital | `credit.rs` |
//! | Insights (CFO findings) and advice (cures for infeasibility) | `insights.rs`, `advice.rs` |
//! | Explanation nodes | `explain.rs` |
//! | Business validation of inputs | `validation.rs` |
//! | Revision policy (how far a revised spec may move) | `policy.rs` |
//! | Proceeds frontier and sensitivity grid | `analysis/` |
//! | CPython-compatible number and string formatting | `pyfmt/` |
//!
//! The planner, orchestrators and scenario sets are in the `agent` crate; storage in `store`;
//! the HTTP API in `server`; the `slb` command in `cli`.

pub mod advice;
pub mod analysis;
pub mod config;
pub mod constraints;
pub mod credit;
pub mod economics;
pub mod explain;
pub mod filters;
pub mod insights;
pub mod model;
pub mod policy;
pub mod pyfmt;
pub mod scoring;
pub mod selection;
pub mod validation;

pub use advice::{AdviceInputs, program_advice};
pub use config::{EngineConfig, RevisionPolicyConfig};
pub use credit::credit_analysis;
pub use explain::generate_explanation_nodes;
pub use insights::credit_insights;
pub use selection::{Selection, select_assets, select_explained, select_with};
