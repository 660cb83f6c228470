//! Route handlers: thin adapters between HTTP and the agent/store.

pub mod analyses;
pub mod health;
pub mod plan;
pub mod program;
pub mod runs;
pub mod scenario_sets;
