//! # SLB Planner agent
//!
//! Everything between a plain-English brief and a finished `ProgramResponse`: the [`Planner`]
//! seam with its two implementations (the built-in brief parser and an OpenAI-compatible
//! client), and the orchestrators that run the engine, apply the revision policy and keep the
//! audit trail.

pub mod planner;

pub use planner::{Planner, PlannerError, PortfolioContext};
pub mod clock;
pub mod orchestrator;

pub use orchestrator::{RunError, RunSettings, run_program};
