//! Which planner the commands use (DECISIONS D2): an OpenAI-compatible LLM when a key or base
//! URL is configured, else the built-in brief parser.

use agent::Planner;
use agent::builtin::BuiltinPlanner;
use agent::openai::{OpenAiConfig, OpenAiPlanner};

use crate::error::CliError;

pub fn planner_from_env() -> Result<Box<dyn Planner>, CliError> {
    match OpenAiConfig::from_env()
        .map_err(|e| CliError::input(format!("LLM configuration: {e}")))?
    {
        Some(config) => Ok(Box::new(OpenAiPlanner::new(config))),
        None => Ok(Box::new(BuiltinPlanner::new())),
    }
}
