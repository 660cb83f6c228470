//! One chat-completions call over HTTP, with the retry and time-budget rules of DECISIONS F3:
//! connection failures, timeouts, 408, 429 and 5xx are retried with exponential backoff (or the
//! server's `Retry-After`) while the call's budget lasts; anything else fails at once. Every
//! failure here is [`PlannerError::Unavailable`]: judging the *content* of an answer is the
//! caller's business.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::config::{ApiKey, OpenAiConfig};
use crate::planner::PlannerError;

/// The longest `Retry-After` honoured; a server asking for more is treated as unavailable.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);
/// Longest server error message quoted in our own errors.
const MAX_QUOTED_CHARS: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

/// One turn of the conversation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

impl ChatMessage {
    pub fn system(content: impl Into<String>) -> Self {
        ChatMessage {
            role: Role::System,
            content: content.into(),
        }
    }

    pub fn user(content: impl Into<String>) -> Self {
        ChatMessage {
            role: Role::User,
            content: content.into(),
        }
    }

    pub fn assistant(content: impl Into<String>) -> Self {
        ChatMessage {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// `response_format` asking for JSON that follows `schema` exactly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseFormat {
    #[serde(rename = "type")]
    kind: &'static str,
    json_schema: NamedSchema,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
struct NamedSchema {
    name: &'static str,
    strict: bool,
    schema: Value,
}

impl ResponseFormat {
    pub fn strict_json(name: &'static str, schema: Value) -> Self {
        ResponseFormat {
            kind: "json_schema",
            json_schema: NamedSchema {
                name,
                strict: true,
                schema,
            },
        }
    }
}

/// The request body of `POST /chat/completions`.
#[derive(Debug, Serialize)]
pub struct ChatRequest<'a> {
    pub model: &'a str,
    pub messages: &'a [ChatMessage],
    pub temperature: f64,
    /// The current name of the output limit; servers that only know `max_tokens` ignore it.
    pub max_completion_tokens: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_format: Option<&'a ResponseFormat>,
}

/// What the model said: its text, or why there is none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Completion {
    pub content: Option<String>,
    /// Set when the model declined to answer (OpenAI structured outputs).
    pub refusal: Option<String>,
    /// `stop`, `length`, ...; `length` means the answer was cut off.
    pub finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct ChatResponse {
    #[serde(default)]
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: AnswerMessage,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct AnswerMessage {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    refusal: Option<String>,
}

/// How one attempt failed.
enum Failure {
    /// Worth another attempt; the server may have said when.
    Transient {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// Another attempt would fail the same way (bad key, wrong URL or model, rejected request).
    Permanent(String),
}

/// The HTTP side of the planner: where to post, with which key, and how patiently.
pub struct Transport {
    http: reqwest::Client,
    endpoint: String,
    api_key: Option<ApiKey>,
    call_timeout: Duration,
    total_budget: Duration,
    max_retries: u32,
    retry_base_delay: Duration,
}

impl Transport {
    pub fn new(config: &OpenAiConfig) -> Self {
        Transport {
            http: reqwest::Client::new(),
            endpoint: format!("{}/chat/completions", config.base_url),
            api_key: config.api_key.clone(),
            call_timeout: config.call_timeout,
            total_budget: config.total_budget,
            max_retries: config.max_retries,
            retry_base_delay: config.retry_base_delay,
        }
    }

    /// Sends `request`, retrying transient failures while the time budget lasts.
    pub async fn complete(&self, request: &ChatRequest<'_>) -> Result<Completion, PlannerError> {
        let deadline = Instant::now() + self.total_budget;
        let mut retries = 0;
        loop {
            let timeout = self
                .call_timeout
                .min(deadline.saturating_duration_since(Instant::now()));
            let (reason, retry_after) = match self.attempt(request, timeout).await {
                Ok(completion) => return Ok(completion),
                Err(Failure::Permanent(reason)) => return Err(self.unavailable(reason)),
                Err(Failure::Transient {
                    reason,
                    retry_after,
                }) => (reason, retry_after),
            };
            let delay = self
                .retry_delay(retries, retry_after, deadline)
                .map_err(|why| self.unavailable(format!("{reason}; {why}")))?;
            retries += 1;
            let delay_ms = delay.as_millis() as u64;
            tracing::warn!(retries, delay_ms, reason = %reason, "retrying LLM call");
            tokio::time::sleep(delay).await;
        }
    }

    /// How long to wait before the next attempt, or why there will be none. The backoff is
    /// exponential without jitter, so that retry timing is reproducible.
    fn retry_delay(
        &self,
        retries: u32,
        retry_after: Option<Duration>,
        deadline: Instant,
    ) -> Result<Duration, String> {
        if retries >= self.max_retries {
            return Err(format!("gave up after {} attempts", retries + 1));
        }
        let delay = match retry_after {
            Some(wait) if wait > MAX_RETRY_AFTER => {
                return Err(format!("the server asked to wait {}s", wait.as_secs()));
            }
            Some(wait) => wait,
            None => self
                .retry_base_delay
                .saturating_mul(2u32.saturating_pow(retries)),
        };
        if Instant::now() + delay >= deadline {
            let budget = self.total_budget.as_secs_f64();
            return Err(format!("no time left to retry within the {budget}s budget"));
        }
        Ok(delay)
    }

    fn unavailable(&self, reason: String) -> PlannerError {
        PlannerError::Unavailable(self.redact(&reason))
    }

    fn redact(&self, text: &str) -> String {
        match &self.api_key {
            Some(key) => key.redact(text),
            None => text.to_owned(),
        }
    }

    async fn attempt(
        &self,
        request: &ChatRequest<'_>,
        timeout: Duration,
    ) -> Result<Completion, Failure> {
        let started = Instant::now();
        let mut post = self
            .http
            .post(&self.endpoint)
            .timeout(timeout)
            .json(request);
        if let Some(key) = &self.api_key {
            post = post.bearer_auth(key.expose());
        }
        let response = post
            .send()
            .await
            .map_err(|e| self.send_failure(e, timeout))?;
        let status = response.status();
        tracing::debug!(
            status = status.as_u16(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            request_id = header_text(response.headers(), "x-request-id"),
            "LLM endpoint responded"
        );
        let retry_after = retry_after(response.headers());
        let body = response
            .bytes()
            .await
            .map_err(|e| self.send_failure(e, timeout))?;

        if status.is_success() {
            return read_completion(&body).map_err(|problem| {
                Failure::Permanent(format!(
                    "unexpected answer from {}: {problem}",
                    self.endpoint
                ))
            });
        }
        let reason = format!(
            "{} answered {status}{}",
            self.endpoint,
            self.quoted_error(&body)
        );
        if status == StatusCode::TOO_MANY_REQUESTS
            || status == StatusCode::REQUEST_TIMEOUT
            || status.is_server_error()
        {
            return Err(Failure::Transient {
                reason,
                retry_after,
            });
        }
        let hint = match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                " (check SLB_LLM_API_KEY / OPENAI_API_KEY)"
            }
            StatusCode::NOT_FOUND => " (check SLB_LLM_BASE_URL and SLB_LLM_MODEL)",
            _ => "",
        };
        Err(Failure::Permanent(format!("{reason}{hint}")))
    }

    fn send_failure(&self, error: reqwest::Error, timeout: Duration) -> Failure {
        let reason = if error.is_timeout() {
            format!(
                "no answer from {} within {}s",
                self.endpoint,
                timeout.as_secs_f64()
            )
        } else if error.is_connect() {
            format!(
                "cannot connect to {}: {}",
                self.endpoint,
                root_cause(&error)
            )
        } else {
            format!(
                "request to {} failed: {}",
                self.endpoint,
                root_cause(&error.without_url())
            )
        };
        Failure::Transient {
            reason,
            retry_after: None,
        }
    }

    /// `: "<message>"` from an error body in the OpenAI shape (`{"error": {"message": ...}}`),
    /// shortened and redacted; empty when the body says nothing usable.
    fn quoted_error(&self, body: &[u8]) -> String {
        let parsed: Option<Value> = serde_json::from_slice(body).ok();
        let message = parsed.as_ref().and_then(|v| {
            v.pointer("/error/message")
                .or_else(|| v.get("error"))
                .or_else(|| v.get("message"))
                .and_then(Value::as_str)
        });
        match message {
            Some(message) if !message.trim().is_empty() => {
                format!(
                    ": {:?}",
                    self.redact(&shorten(message.trim(), MAX_QUOTED_CHARS))
                )
            }
            _ => String::new(),
        }
    }
}

fn read_completion(body: &[u8]) -> Result<Completion, String> {
    let response: ChatResponse =
        serde_json::from_slice(body).map_err(|e| format!("not a chat completion ({e})"))?;
    let Some(choice) = response.choices.into_iter().next() else {
        return Ok(Completion::default());
    };
    Ok(Completion {
        content: choice.message.content,
        refusal: choice.message.refusal,
        finish_reason: choice.finish_reason,
    })
}

/// `Retry-After` in whole seconds (the HTTP-date form is not used by LLM servers).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
        .map(Duration::from_secs)
}

/// The innermost error of a chain: "Connection refused (os error 111)" rather than the
/// layers of "client error (Connect)" wrapped around it.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}
