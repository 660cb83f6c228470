//! The planner seam: everything the orchestrators ask of "the LLM". Two implementations exist:
//! the built-in brief parser (deterministic, no network) and the OpenAI-compatible client.
//! The planner only plans — every number in a result comes from the engine.

use async_trait::async_trait;
use engine::model::{
    AssetType, ExplanationNode, ProgramOutcome, ProgramType, ScenarioDefinition, SelectorSpec,
    SpecFieldSource,
};

pub use crate::provenance::PlannedSpec;

/// What a planner may know about the portfolio: the reference's one-line summary plus the facts
/// needed to resolve names in a brief (markets, types) and to size a default target.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioContext {
    /// SPEC §8.1 summary line.
    pub summary: String,
    /// Distinct market strings in order of first appearance.
    pub markets: Vec<String>,
    /// Distinct asset types in order of first appearance.
    pub asset_types: Vec<AssetType>,
    pub asset_count: usize,
    pub total_noi: f64,
    pub total_book_value: f64,
    /// Every asset by id and name, so a brief can name single properties ("do not sell the
    /// Columbus Distribution Center 23"). Empty when unknown.
    pub assets: Vec<AssetLabel>,
}

/// How a brief may name one asset.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetLabel {
    pub asset_id: String,
    pub name: Option<String>,
    pub asset_type: AssetType,
    pub market: String,
    pub country: Option<String>,
}

/// Why a planner call failed. The two classes map to different HTTP answers (DECISIONS F3).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlannerError {
    /// The LLM could not be reached, timed out, or kept answering 5xx/429 after retries.
    #[error("LLM unavailable: {0}")]
    Unavailable(String),
    /// The LLM answered, but its output stayed invalid after one repair attempt.
    #[error("LLM returned invalid output: {0}")]
    InvalidOutput(String),
}

/// The planning operations of SPEC §9.1, async because a real planner talks to a network.
#[async_trait]
pub trait Planner: Send + Sync {
    /// Short name for logs and audit ("built-in", "openai:gpt-4o-mini", ...).
    fn name(&self) -> String;

    /// Turns a brief into the initial spec.
    async fn generate_selector_spec(
        &self,
        program_type: ProgramType,
        brief: &str,
        portfolio: &PortfolioContext,
    ) -> Result<SelectorSpec, PlannerError>;

    /// The initial spec with where each field came from and what the planner could not read.
    /// A planner that cannot tell attributes every field to the brief.
    async fn plan_selector_spec(
        &self,
        program_type: ProgramType,
        brief: &str,
        portfolio: &PortfolioContext,
    ) -> Result<PlannedSpec, PlannerError> {
        let spec = self
            .generate_selector_spec(program_type, brief, portfolio)
            .await?;
        Ok(PlannedSpec::attributed(spec, SpecFieldSource::Brief, None))
    }

    /// Proposes a revised spec after an infeasible outcome. The revision policy bounds it.
    async fn revise_selector_spec(
        &self,
        brief: &str,
        previous: &SelectorSpec,
        outcome: &ProgramOutcome,
    ) -> Result<SelectorSpec, PlannerError>;

    /// Writes the 2–3 sentence executive summary from the explanation nodes.
    async fn generate_explanation_summary(
        &self,
        nodes: &[ExplanationNode],
    ) -> Result<String, PlannerError>;

    /// Proposes `num_scenarios` (1–5) variants of the brief; the first is the base case.
    async fn generate_scenario_definitions(
        &self,
        brief: &str,
        portfolio: &PortfolioContext,
        num_scenarios: usize,
    ) -> Result<Vec<ScenarioDefinition>, PlannerError>;
}
