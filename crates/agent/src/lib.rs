//! # SLB Planner agent
//!
//! Everything between a plain-English brief and a finished `ProgramResponse`: the [`Planner`]
//! seam with its two implementations (the built-in brief parser and an OpenAI-compatible
//! client), and the orchestrators that run the engine, apply the revision policy and keep the
//! audit trail — for one program ([`run_program`]) and for a set of scenario variants
//! ([`run_scenario_set`]).

pub mod builtin;
pub mod clock;
pub mod context;
pub mod openai;
pub mod orchestrator;
pub mod planner;
pub mod provenance;
pub mod scenarios;

pub use builtin::{BuiltinPlanner, PlannerDefaults};
pub use context::summarize_assets;
pub use orchestrator::{RunError, RunSettings, plan_program, run_program};
pub use planner::{AssetLabel, PlannedSpec, Planner, PlannerError, PortfolioContext};
pub use scenarios::{
    ScenarioSetOptions, ScenarioSetOutcome, build_scenario_request, run_scenario_set,
    run_scenario_set_with_progress,
};
