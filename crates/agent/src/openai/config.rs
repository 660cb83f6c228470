//! Configuration of the OpenAI-compatible planner, read from the environment (DECISIONS D2) with
//! the time limits of DECISIONS F3.

use std::fmt;
use std::time::Duration;

/// Used when `SLB_LLM_BASE_URL` is not set.
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
/// Used when `SLB_LLM_MODEL` is not set.
pub const DEFAULT_MODEL: &str = "gpt-4o-mini";

/// A bearer token. `Debug` and `Display` print `***`, so a key that ends up in a log line, an
/// error or a `{:?}` of the configuration never shows; [`ApiKey::expose`] is the only way out.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(key.into())
    }

    /// The key itself, for the `Authorization` header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the key replaced by `***`: a last line of defence for
    /// text that came from elsewhere (a server's error body may echo what it was sent).
    pub fn redact(&self, text: &str) -> String {
        if self.0.is_empty() {
            text.to_owned()
        } else {
            text.replace(&self.0, "***")
        }
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// How to reach the LLM and how long to wait for it.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenAiConfig {
    /// Root of the API, up to and including the version segment (`https://api.openai.com/v1`,
    /// `http://localhost:11434/v1`); `/chat/completions` is appended.
    pub base_url: String,
    pub model: String,
    /// `None` for local servers that need no key: no `Authorization` header is sent.
    pub api_key: Option<ApiKey>,
    /// Limit for one HTTP attempt, from sending the request to the last byte of the answer.
    pub call_timeout: Duration,
    /// Limit for one call including all its retries and the waits between them.
    pub total_budget: Duration,
    /// Further attempts after a failed one (connection error, timeout, 429, 5xx).
    pub max_retries: u32,
    /// Wait before the first retry; it doubles with every further retry unless the server
    /// says how long to wait (`Retry-After`).
    pub retry_base_delay: Duration,
    pub temperature: f64,
    /// Sent as `max_completion_tokens`.
    pub max_tokens: u32,
}

impl OpenAiConfig {
    /// A configuration with the default limits: 30 s per attempt, 90 s per call, 3 retries,
    /// temperature 0.2, 2000 tokens.
    pub fn new(
        base_url: impl Into<String>,
        model: impl Into<String>,
        api_key: Option<ApiKey>,
    ) -> Self {
        OpenAiConfig {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            model: model.into(),
            api_key,
            call_timeout: Duration::from_secs(30),
            total_budget: Duration::from_secs(90),
            max_retries: 3,
            retry_base_delay: Duration::from_millis(500),
            temperature: 0.2,
            max_tokens: 2000,
        }
    }

    /// Reads the process environment; see [`OpenAiConfig::from_vars`].
    pub fn from_env() -> Result<Option<Self>, ConfigError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Builds the configuration from variables looked up by name (empty values count as unset):
    ///
    /// | Variable | Meaning | Default |
    /// |---|---|---|
    /// | `SLB_LLM_BASE_URL` | OpenAI-compatible API root | `https://api.openai.com/v1` |
    /// | `SLB_LLM_MODEL` | model name | `gpt-4o-mini` |
    /// | `SLB_LLM_API_KEY`, else `OPENAI_API_KEY` | bearer token | none |
    /// | `SLB_LLM_TIMEOUT_SECS` | one attempt | 30 |
    /// | `SLB_LLM_TOTAL_TIMEOUT_SECS` | one call with its retries | 90 |
    /// | `SLB_LLM_MAX_RETRIES` | retries per call | 3 |
    /// | `SLB_LLM_TEMPERATURE` | sampling temperature, 0–2 | 0.2 |
    /// | `SLB_LLM_MAX_TOKENS` | completion token limit | 2000 |
    ///
    /// `Ok(None)` when neither a key nor a base URL is set: the built-in planner applies. A base
    /// URL without a key is a local server.
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Option<Self>, ConfigError> {
        let var = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let api_key = var("SLB_LLM_API_KEY")
            .or_else(|| var("OPENAI_API_KEY"))
            .map(ApiKey::new);
        let base_url = var("SLB_LLM_BASE_URL");
        if api_key.is_none() && base_url.is_none() {
            return Ok(None);
        }
        let base_url = base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        check_base_url(&base_url)?;
        let model = var("SLB_LLM_MODEL").unwrap_or_else(|| DEFAULT_MODEL.to_owned());

        let mut config = OpenAiConfig::new(base_url, model, api_key);
        if let Some(v) = var("SLB_LLM_TIMEOUT_SECS") {
            config.call_timeout = seconds("SLB_LLM_TIMEOUT_SECS", &v)?;
        }
        if let Some(v) = var("SLB_LLM_TOTAL_TIMEOUT_SECS") {
            config.total_budget = seconds("SLB_LLM_TOTAL_TIMEOUT_SECS", &v)?;
        }
        if let Some(v) = var("SLB_LLM_MAX_RETRIES") {
            config.max_retries = v
                .parse()
                .map_err(|_| ConfigError::invalid("SLB_LLM_MAX_RETRIES", &v, "a whole number"))?;
        }
        if let Some(v) = var("SLB_LLM_TEMPERATURE") {
            config.temperature = v
                .parse()
                .ok()
                .filter(|t: &f64| (0.0..=2.0).contains(t))
                .ok_or_else(|| {
                    ConfigError::invalid("SLB_LLM_TEMPERATURE", &v, "a number from 0 to 2")
                })?;
        }
        if let Some(v) = var("SLB_LLM_MAX_TOKENS") {
            config.max_tokens = v.parse().ok().filter(|n: &u32| *n > 0).ok_or_else(|| {
                ConfigError::invalid("SLB_LLM_MAX_TOKENS", &v, "a positive whole number")
            })?;
        }
        Ok(Some(config))
    }
}

/// A configuration variable with an unusable value. Keys are never parsed, so never quoted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{variable}: {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

impl ConfigError {
    fn invalid(variable: &'static str, value: &str, expected: &str) -> Self {
        ConfigError {
            variable,
            problem: format!("{value:?} is not {expected}"),
        }
    }
}

/// The base URL must be an absolute http(s) URL; its value is not echoed because a URL may carry
/// credentials (`https://user:secret@host/v1`).
fn check_base_url(url: &str) -> Result<(), ConfigError> {
    match reqwest::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.has_host() => Ok(()),
        _ => Err(ConfigError {
            variable: "SLB_LLM_BASE_URL",
            problem: "not an absolute http(s) URL such as http://localhost:11434/v1".to_owned(),
        }),
    }
}

fn seconds(variable: &'static str, value: &str) -> Result<Duration, ConfigError> {
    value
        .parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| ConfigError::invalid(variable, value, "a positive number of seconds"))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn from(vars: &[(&str, &str)]) -> Result<Option<OpenAiConfig>, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        OpenAiConfig::from_vars(|name| vars.get(name).cloned())
    }

    #[test]
    fn nothing_set_means_no_llm() {
        assert_eq!(from(&[]).unwrap(), None);
        assert_eq!(
            from(&[("SLB_LLM_API_KEY", "  "), ("SLB_LLM_MODEL", "gpt-4o")]).unwrap(),
            None
        );
    }

    #[test]
    fn a_key_alone_selects_openai_with_defaults() {
        let config = from(&[("OPENAI_API_KEY", "sk-abc")]).unwrap().unwrap();
        assert_eq!(config.base_url, "https://api.openai.com/v1");
        assert_eq!(config.model, "gpt-4o-mini");
        assert_eq!(config.api_key, Some(ApiKey::new("sk-abc")));
        assert_eq!(config.call_timeout, Duration::from_secs(30));
        assert_eq!(config.total_budget, Duration::from_secs(90));
        assert_eq!(config.temperature, 0.2);
        assert_eq!(config.max_tokens, 2000);
    }

    #[test]
    fn the_slb_key_wins_over_the_openai_key() {
        let config = from(&[
            ("OPENAI_API_KEY", "sk-openai"),
            ("SLB_LLM_API_KEY", "sk-slb"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(config.api_key, Some(ApiKey::new("sk-slb")));
    }

    #[test]
    fn a_base_url_alone_is_a_keyless_local_server() {
        let config = from(&[
            ("SLB_LLM_BASE_URL", "http://localhost:11434/v1/"),
            ("SLB_LLM_MODEL", "llama3.1"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(config.base_url, "http://localhost:11434/v1");
        assert_eq!(config.model, "llama3.1");
        assert_eq!(config.api_key, None);
    }

    #[test]
    fn limits_are_read_and_checked() {
        let config = from(&[
            ("SLB_LLM_BASE_URL", "http://localhost:8000/v1"),
            ("SLB_LLM_TIMEOUT_SECS", "2.5"),
            ("SLB_LLM_TOTAL_TIMEOUT_SECS", "10"),
            ("SLB_LLM_MAX_RETRIES", "0"),
            ("SLB_LLM_TEMPERATURE", "0"),
            ("SLB_LLM_MAX_TOKENS", "512"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(config.call_timeout, Duration::from_millis(2500));
        assert_eq!(config.total_budget, Duration::from_secs(10));
        assert_eq!(config.max_retries, 0);
        assert_eq!(config.temperature, 0.0);
        assert_eq!(config.max_tokens, 512);

        let local = ("SLB_LLM_BASE_URL", "http://localhost:8000/v1");
        for (name, bad) in [
            ("SLB_LLM_TIMEOUT_SECS", "0"),
            ("SLB_LLM_TIMEOUT_SECS", "soon"),
            ("SLB_LLM_TOTAL_TIMEOUT_SECS", "-1"),
            ("SLB_LLM_MAX_RETRIES", "-1"),
            ("SLB_LLM_TEMPERATURE", "2.5"),
            ("SLB_LLM_MAX_TOKENS", "0"),
        ] {
            let error = from(&[local, (name, bad)]).unwrap_err();
            assert_eq!(error.variable, name);
            assert!(error.problem.contains(bad), "{error}");
        }
    }

    #[test]
    fn a_malformed_base_url_is_rejected_without_echoing_it() {
        for bad in [
            "localhost:8080",
            "ftp://host/v1",
            "https://user:hunter2@/v1",
        ] {
            let error = from(&[("SLB_LLM_BASE_URL", bad)]).unwrap_err();
            assert_eq!(error.variable, "SLB_LLM_BASE_URL");
            assert!(!error.to_string().contains("hunter2"));
        }
    }

    #[test]
    fn the_key_never_prints() {
        let key = ApiKey::new("sk-test-SECRET123");
        let config = OpenAiConfig::new(DEFAULT_BASE_URL, DEFAULT_MODEL, Some(key.clone()));
        assert_eq!(format!("{key} {key:?}"), "*** ***");
        assert!(!format!("{config:?}").contains("SECRET123"));
        assert_eq!(key.redact("bad key sk-test-SECRET123!"), "bad key ***!");
    }
}
