//! What every handler shares.

use std::sync::Arc;

use agent::{Planner, RunSettings};
use store::RunStore;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn RunStore>,
    pub planner: Arc<dyn Planner>,
    pub settings: Arc<RunSettings>,
    /// Request body limit in bytes (also reported in 413 answers).
    pub body_limit: usize,
    /// How many scenarios of one set run at once.
    pub scenario_concurrency: usize,
}
