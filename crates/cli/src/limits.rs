//! `slb serve`'s limits: timeouts, caps, rates, allowed hosts and CORS origins, as flags and
//! environment variables (README, *Configuration*).

use std::time::Duration;

use server::{AllowedHosts, ConnectionLimits, Limits, RateLimit};

#[derive(clap::Args, Debug)]
pub struct LimitArgs {
    /// Seconds a client has to send a request head (from connecting, or from the first byte of
    /// a keep-alive connection's next request).
    #[arg(long, env = "SLB_HEADER_TIMEOUT", default_value = "10", value_parser = seconds)]
    header_timeout: Duration,
    /// Seconds a client has to send a request body.
    #[arg(long, env = "SLB_BODY_TIMEOUT", default_value = "30", value_parser = seconds)]
    body_timeout: Duration,
    /// Seconds a keep-alive connection may sit idle (and a client may stop reading a
    /// response) before it is closed.
    #[arg(long, env = "SLB_IDLE_TIMEOUT", default_value = "60", value_parser = seconds)]
    idle_timeout: Duration,
    /// Open connections at most; beyond, new connections get 503 and are closed.
    #[arg(long, env = "SLB_MAX_CONNECTIONS", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
    /// Open connections of one client IP at most (0 = no such cap); beyond, 429.
    #[arg(long, env = "SLB_MAX_CONNECTIONS_PER_CLIENT", default_value_t = 256)]
    max_connections_per_client: u32,
    /// Requests handled at once at most; beyond, 503 with Retry-After.
    #[arg(long, env = "SLB_MAX_IN_FLIGHT", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    max_in_flight: u32,
    /// Bytes of request bodies held at once (never less than one body at the body limit);
    /// requests beyond wait for room up to the body timeout, then get 503.
    #[arg(long, env = "SLB_BODY_MEMORY", default_value_t = 64 * 1024 * 1024)]
    body_memory: usize,
    /// Assets in one request at most.
    #[arg(long, env = "SLB_MAX_ASSETS", default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..))]
    max_assets: u32,
    /// Requests per second per client (bearer token, else IP) on the API; 0 = no limit.
    #[arg(long, env = "SLB_RATE_LIMIT", default_value_t = 100.0)]
    rate_limit: f64,
    /// Requests a client may send at once above its rate.
    #[arg(long, env = "SLB_RATE_LIMIT_BURST", default_value_t = 200.0)]
    rate_limit_burst: f64,
    /// Host names (the Host header) the server answers to, comma-separated, `*.example.com`
    /// for subdomains, `*` for any; the loopback names and the --host name are always in.
    #[arg(long, env = "SLB_ALLOWED_HOSTS", value_delimiter = ',')]
    allowed_hosts: Vec<String>,
    /// Origins allowed by CORS, comma-separated (default: none; debug builds allow the UI's
    /// dev server).
    #[arg(long, env = "SLB_CORS_ORIGINS", value_delimiter = ',')]
    cors_origins: Option<Vec<String>>,
    /// Seconds a stopping server waits for in-flight requests.
    #[arg(long, env = "SLB_SHUTDOWN_GRACE", default_value = "30", value_parser = seconds)]
    shutdown_grace: Duration,
}

fn seconds(s: &str) -> Result<Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v > 0.0 && v.is_finite() && v <= 86_400.0 => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!("{s:?}: expected seconds, a number in (0, 86400]")),
    }
}

impl LimitArgs {
    /// Request and connection limits for a server bound to `host`.
    pub fn build(&self, host: &str) -> (Limits, ConnectionLimits) {
        let allowed = self.allowed_hosts.join(",");
        let allowed_hosts = if allowed.trim().is_empty() {
            AllowedHosts::loopback()
        } else {
            match AllowedHosts::parse(&allowed) {
                AllowedHosts::Any => AllowedHosts::Any,
                AllowedHosts::List(mut names) => {
                    if let AllowedHosts::List(loopback) = AllowedHosts::loopback() {
                        names.extend(loopback);
                    }
                    AllowedHosts::List(names)
                }
            }
        }
        .with(host);
        if let AllowedHosts::List(names) = &allowed_hosts
            && matches!(host, "0.0.0.0" | "::" | "[::]")
            && names.len() <= 3
        {
            tracing::warn!(
                "listening on every interface, but only the loopback names are allowed hosts: \
                 set SLB_ALLOWED_HOSTS to the names clients use (e.g. planner.example.com)"
            );
        }
        let limits = Limits {
            max_assets: self.max_assets as usize,
            body_timeout: self.body_timeout,
            max_in_flight: self.max_in_flight as usize,
            body_memory: self.body_memory,
            rate_limit: (self.rate_limit > 0.0).then_some(RateLimit {
                per_second: self.rate_limit,
                burst: self.rate_limit_burst.max(1.0),
            }),
            allowed_hosts,
            cors_origins: match &self.cors_origins {
                Some(origins) => origins
                    .iter()
                    .map(|o| o.trim().to_owned())
                    .filter(|o| !o.is_empty())
                    .collect(),
                None => server::limits::default_cors_origins(),
            },
        };
        let connections = ConnectionLimits {
            header_timeout: self.header_timeout,
            idle_timeout: self.idle_timeout,
            max_connections: self.max_connections as usize,
            max_connections_per_client: self.max_connections_per_client as usize,
            shutdown_grace: self.shutdown_grace,
        };
        (limits, connections)
    }
}
