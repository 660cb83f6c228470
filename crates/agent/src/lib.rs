//! # SLB Planner agent
//!
//! Everything between a plain-English brief and a finished `ProgramResponse`: the [`Planner`]
//! seam with its two implementations (the built-in brief parser and an OpenAI-compatible
//! client), and the orchestrators that run the engine, apply the revision policy and keep the
//! audit trail — for one program ([`run_program`]) and for a set of scenario variants
//! ([`run_scenario_set`]).
//!
//! ## Layout: where each rule lives
//!
//! | Rule | File |
//! |---|---|
//! | What a planner is asked and answers (the seam) | `planner.rs` |
//! | The portfolio summary a planner is told | `context.rs` |
//! | Brief → spec without an LLM: amounts, filters, places, named assets, limits, counts, objective | `builtin/` (`brief.rs` reads a brief once; one recogniser per file) |
//! | Revision rungs after an infeasible run | `builtin/revise.rs` (bounded by `engine::policy`) |
//! | Executive summary | `builtin/summary.rs` |
//! | Scenario variants of a brief | `builtin/scenarios.rs` (built-in), `scenarios.rs` (orchestration, limits, dedupe) |
//! | The OpenAI-compatible planner: prompts, JSON schemas, answer checks, retries | `openai/` |
//! | Where each spec field came from | `provenance.rs` |
//! | One run: validate, plan, select, revise, explain, audit | `orchestrator.rs` |
//! | Timestamps | `clock.rs` |
//!
//! Section citations (`SPEC §8`, `DECISIONS F2`) refer to `docs/reference/`.

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
