//! # SLB Planner engine
//!
//! The pure, deterministic core of SLB Planner: the domain model and wire contract, the
//! economics of a sale-leaseback, asset selection, explanation nodes, validation and the
//! revision policy. No IO, no async, no clock, no randomness: the same input always gives the
//! same output, byte for byte.
//!
//! Every formula and message reproduces the reference implementation (see `SPEC.md`); numbers
//! are summed left to right in selection order so results are bit-identical.

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
