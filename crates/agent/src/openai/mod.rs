//! The planner backed by an OpenAI-compatible chat-completions endpoint: OpenAI itself, or a
//! local server speaking the same protocol (vLLM, llama.cpp server, Ollama).
//!
//! Specs and scenarios are requested as structured output (a strict JSON schema generated from
//! our types). Every answer is parsed and checked; an unusable one gets exactly one follow-up
//! turn listing the problems, and if the second answer is unusable too the call fails with
//! [`PlannerError::InvalidOutput`]. Network trouble is [`PlannerError::Unavailable`] once the
//! retries and the time budget are spent (DECISIONS F3).

mod answer;
mod config;
mod prompts;
mod schema;
mod transport;

use std::fmt;

use async_trait::async_trait;
use engine::model::{
    ExplanationNode, ProgramOutcome, ProgramType, ScenarioDefinition, SelectorSpec,
};
use tracing::Instrument;

pub use config::{ApiKey, ConfigError, DEFAULT_BASE_URL, DEFAULT_MODEL, OpenAiConfig};

use self::answer::{MAX_SCENARIOS, ScenarioAnswer};
use self::prompts::Prompt;
use self::transport::{ChatMessage, ChatRequest, Completion, ResponseFormat, Transport};
use crate::PortfolioContext;
use crate::planner::{Planner, PlannerError};

/// Problems quoted in an `InvalidOutput` error; the rest are counted.
const MAX_REPORTED_PROBLEMS: usize = 5;

/// A [`Planner`] that asks an LLM.
pub struct OpenAiPlanner {
    config: OpenAiConfig,
    transport: Transport,
    spec_format: ResponseFormat,
    scenario_format: ResponseFormat,
}

impl fmt::Debug for OpenAiPlanner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiPlanner")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl OpenAiPlanner {
    pub fn new(config: OpenAiConfig) -> Self {
        OpenAiPlanner {
            transport: Transport::new(&config),
            spec_format: ResponseFormat::strict_json(
                "selector_spec",
                schema::strict_schema_for::<SelectorSpec>(),
            ),
            scenario_format: ResponseFormat::strict_json(
                "scenario_definitions",
                schema::strict_schema_for::<ScenarioAnswer>(),
            ),
            config,
        }
    }

    pub fn config(&self) -> &OpenAiConfig {
        &self.config
    }

    /// Asks once, and once more with the problems listed if the answer does not `read`.
    async fn ask<T>(
        &self,
        call: &'static str,
        prompt: Prompt,
        format: Option<&ResponseFormat>,
        read: impl Fn(&Completion) -> Result<T, Vec<String>>,
    ) -> Result<T, PlannerError> {
        let span = tracing::debug_span!("llm_call", call, model = %self.config.model);
        async {
            let mut messages = vec![
                ChatMessage::system(prompt.system),
                ChatMessage::user(prompt.user),
            ];
            let first = self
                .transport
                .complete(&self.request(&messages, format))
                .await?;
            let problems = match read(&first) {
                Ok(value) => return Ok(value),
                Err(problems) => problems,
            };
            let listed = problems.join("; ");
            tracing::warn!(problems = %listed, "unusable LLM answer, asking for a correction");
            messages.push(ChatMessage::assistant(first.content.unwrap_or_default()));
            messages.push(ChatMessage::user(prompts::repair(
                &problems,
                format.is_some(),
            )));
            let second = self
                .transport
                .complete(&self.request(&messages, format))
                .await?;
            read(&second).map_err(|problems| {
                let listed = problems.join("; ");
                tracing::warn!(problems = %listed, "LLM answer still unusable after a correction");
                PlannerError::InvalidOutput(format!("{call}: {}", summarize(&problems)))
            })
        }
        .instrument(span)
        .await
    }

    fn request<'a>(
        &'a self,
        messages: &'a [ChatMessage],
        format: Option<&'a ResponseFormat>,
    ) -> ChatRequest<'a> {
        ChatRequest {
            model: &self.config.model,
            messages,
            temperature: self.config.temperature,
            max_completion_tokens: self.config.max_tokens,
            response_format: format,
        }
    }
}

#[async_trait]
impl Planner for OpenAiPlanner {
    fn name(&self) -> String {
        format!("openai:{}", self.config.model)
    }

    async fn generate_selector_spec(
        &self,
        program_type: ProgramType,
        brief: &str,
        portfolio: &PortfolioContext,
    ) -> Result<SelectorSpec, PlannerError> {
        let prompt = prompts::selector_spec(program_type, brief, portfolio);
        self.ask(
            "selector spec",
            prompt,
            Some(&self.spec_format),
            |completion| answer::read_spec(completion, Some(portfolio)),
        )
        .await
    }

    async fn revise_selector_spec(
        &self,
        brief: &str,
        previous: &SelectorSpec,
        outcome: &ProgramOutcome,
    ) -> Result<SelectorSpec, PlannerError> {
        let prompt = prompts::revision(brief, previous, outcome);
        self.ask(
            "revised selector spec",
            prompt,
            Some(&self.spec_format),
            |completion| answer::read_spec(completion, None),
        )
        .await
    }

    async fn generate_explanation_summary(
        &self,
        nodes: &[ExplanationNode],
    ) -> Result<String, PlannerError> {
        let prompt = prompts::explanation_summary(nodes);
        self.ask("explanation summary", prompt, None, answer::read_summary)
            .await
    }

    /// A request outside 1–5 scenarios is brought into that range (SPEC §11.4).
    async fn generate_scenario_definitions(
        &self,
        brief: &str,
        portfolio: &PortfolioContext,
        num_scenarios: usize,
    ) -> Result<Vec<ScenarioDefinition>, PlannerError> {
        let wanted = num_scenarios.clamp(1, MAX_SCENARIOS);
        let prompt = prompts::scenarios(brief, portfolio, wanted);
        self.ask(
            "scenario definitions",
            prompt,
            Some(&self.scenario_format),
            |completion| answer::read_scenarios(completion, wanted),
        )
        .await
    }
}

/// One line naming the first few problems.
fn summarize(problems: &[String]) -> String {
    let shown = problems
        .iter()
        .take(MAX_REPORTED_PROBLEMS)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    match problems.len().saturating_sub(MAX_REPORTED_PROBLEMS) {
        0 => shown,
        more => format!("{shown}; and {more} more"),
    }
}
