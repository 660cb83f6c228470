//! What one server admits: request sizes, timeouts, concurrency, request rates, the host names
//! it answers to and the origins CORS allows. `slb serve` fills these from its flags and
//! environment (README, *Configuration*); the defaults here are the documented ones.

use std::time::Duration;

/// Origins of the web UI's development server, allowed by CORS in debug builds only.
pub const DEV_ORIGINS: [&str; 2] = ["http://localhost:5173", "http://127.0.0.1:5173"];

/// Host names every server answers to: the loopback names.
pub const LOOPBACK_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// Request-level limits (the router's middleware and extractors read them).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Most assets in one request's portfolio (`assets`, `base_request.assets`).
    pub max_assets: usize,
    /// Longest a client may take to send a request body once the handler reads it (408 after).
    pub body_timeout: Duration,
    /// Requests handled at once; beyond it a request is answered 503 `SERVER_BUSY` with
    /// `Retry-After` at once. `/health` and `/ready` are never counted nor refused.
    pub max_in_flight: usize,
    /// Bytes of request bodies held at once (by `Content-Length`, or the body limit for a
    /// chunked body). A request beyond it waits for room up to `body_timeout`, then gets 503.
    /// Never less than one body at the body limit.
    pub body_memory: usize,
    /// Requests per second and burst per client (bearer token, else peer IP); `None` = off.
    pub rate_limit: Option<RateLimit>,
    /// Host names (the `Host` header) the API answers to; anything else gets 421.
    pub allowed_hosts: AllowedHosts,
    /// Origins CORS allows (`https://planner.example.com`).
    pub cors_origins: Vec<String>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_assets: 100_000,
            body_timeout: Duration::from_secs(30),
            max_in_flight: 256,
            body_memory: 64 * 1024 * 1024,
            rate_limit: Some(RateLimit::default()),
            allowed_hosts: AllowedHosts::loopback(),
            cors_origins: default_cors_origins(),
        }
    }
}

/// The dev server's origins in debug builds; none in release builds.
pub fn default_cors_origins() -> Vec<String> {
    if cfg!(debug_assertions) {
        DEV_ORIGINS.iter().map(|o| (*o).to_owned()).collect()
    } else {
        Vec::new()
    }
}

/// A token bucket per client: `per_second` sustained, up to `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub per_second: f64,
    pub burst: f64,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            per_second: 100.0,
            burst: 200.0,
        }
    }
}

/// Which `Host` names the server answers to (DNS-rebinding defence: a page on another site
/// that resolves its own name to this machine is refused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowedHosts {
    /// Every host (`SLB_ALLOWED_HOSTS=*`).
    Any,
    /// These names, lower-case, without port; `*.example.com` matches every subdomain.
    List(Vec<String>),
}

impl AllowedHosts {
    /// The loopback names only.
    pub fn loopback() -> Self {
        AllowedHosts::List(LOOPBACK_HOSTS.iter().map(|h| (*h).to_owned()).collect())
    }

    /// `*` or a comma-separated list of names (ports and case ignored).
    pub fn parse(list: &str) -> Self {
        let names: Vec<&str> = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if names.contains(&"*") {
            return AllowedHosts::Any;
        }
        AllowedHosts::List(names.into_iter().map(normalise_host).collect())
    }

    /// Adds a name (the host the server is bound to), unless it is a wildcard address.
    pub fn with(mut self, host: &str) -> Self {
        let host = normalise_host(host);
        let wildcard = matches!(host.as_str(), "0.0.0.0" | "[::]" | "::" | "");
        if let AllowedHosts::List(names) = &mut self
            && !wildcard
            && !names.contains(&host)
        {
            names.push(host);
        }
        self
    }

    /// Whether a `Host` header value (with or without port) is allowed.
    pub fn allows(&self, host: &str) -> bool {
        match self {
            AllowedHosts::Any => true,
            AllowedHosts::List(names) => {
                let host = normalise_host(host);
                names.iter().any(|name| match name.strip_prefix("*.") {
                    Some(domain) => host
                        .strip_suffix(domain)
                        .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
                    None => *name == host,
                })
            }
        }
    }
}

/// `Example.COM:8000` → `example.com`, `[::1]:80` → `[::1]`, `::1` → `[::1]`, `host.` → `host`.
pub fn normalise_host(host: &str) -> String {
    let host = host.trim();
    let name = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or(host)
    } else if host.matches(':').count() > 1 {
        // A bare IPv6 address (as a bind address is written).
        return format!("[{}]", host.to_ascii_lowercase());
    } else {
        host.split(':').next().unwrap_or(host)
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Connection-level limits (the accept loop's).
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// A new connection must send a complete request head within this time, and a
    /// keep-alive connection within this time of the first byte of its next request.
    pub header_timeout: Duration,
    /// A keep-alive connection with no request for this long is closed; so is one whose
    /// client stops reading a response for this long.
    pub idle_timeout: Duration,
    /// Open connections at once; beyond it a new connection gets 503 `SERVER_BUSY` and is
    /// closed (existing ones keep being served).
    pub max_connections: usize,
    /// Open connections of one peer IP at once (0 = no such cap); beyond it 429.
    pub max_connections_per_client: usize,
    /// How long a stopping server waits for in-flight requests.
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
            max_connections_per_client: 256,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_match_without_port_or_case() {
        let hosts = AllowedHosts::loopback().with("planner.example.com");
        for ok in [
            "localhost",
            "localhost:8000",
            "127.0.0.1:9",
            "[::1]:8000",
            "[::1]",
            "Planner.Example.com.",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in ["evil.com", "127.0.0.2", "localhost.evil.com", "[::2]"] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }

    #[test]
    fn wildcards() {
        assert!(AllowedHosts::parse(" * ").allows("anything"));
        let sub = AllowedHosts::parse("*.example.com, other.org:443");
        assert!(sub.allows("a.example.com:8000"));
        assert!(sub.allows("other.org"));
        assert!(!sub.allows("example.com"));
        assert!(!sub.allows("badexample.com"));
        // A wildcard bind address is no name.
        assert_eq!(
            AllowedHosts::loopback().with("0.0.0.0"),
            AllowedHosts::loopback()
        );
        assert!(AllowedHosts::loopback().with("::1").allows("[::1]:1"));
    }
}
