//! Authentication and authorisation.
//!
//! Who a request acts as (a [`Principal`]) comes from, in order:
//!
//! 1. `Authorization: Bearer <token>`: an API key of the store (`slb keys create`), looked up
//!    by the token's SHA-256 on every request, so a revocation takes effect on the next request
//!    of every server sharing the store. A missing, unknown or revoked key is a 401.
//! 2. A trusted proxy's user header (SSO gateways): honoured only from the configured proxy
//!    addresses. The user gets the role and funds of the key of the same name when there is
//!    one (a revoked one shuts them out), else analyst on every fund.
//! 3. Nothing: allowed only in open mode — no keys in the store and no proxy configured —
//!    where every request acts as an anonymous admin (zero-config local use; `slb serve`
//!    allows it on loopback addresses only unless told `--insecure-no-auth`). Once a key
//!    exists, every protected request needs one.
//!
//! Protected are the API routes (`/api/…` and `/program`) except the OpenAPI document and the
//! docs page; `/health`, `/ready` and the web UI's files are public. Reading (GET) needs the
//! viewer role, everything else (running planners, creating runs and sets) analyst. A key
//! limited to funds sees and writes only those: handlers scope their store queries with the
//! principal's funds, answer 404 for a run or set of another fund and 403 for a write to one.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use engine::model::{ErrorResponse, FieldError, Identity, Role};
use store::{ApiKey, RunStore};

use crate::error::ApiError;
use crate::openapi;
use crate::request_id;

/// An IP network (`10.0.0.0/8`) or a single address, as trusted proxy addresses are given.
pub use ipnet::IpNet;

/// How requests are authenticated besides API keys.
#[derive(Debug, Clone, Default)]
pub struct AuthConfig {
    /// Trusted-proxy mode: a header naming the user, honoured from these addresses only.
    pub proxy: Option<ProxyAuth>,
}

/// Trusted-proxy mode (an SSO gateway in front of the server names the signed-in user).
#[derive(Debug, Clone)]
pub struct ProxyAuth {
    /// The header that carries the user's name, e.g. `X-Forwarded-User`.
    pub header: HeaderName,
    /// Addresses of the proxies; the header is ignored from anywhere else.
    pub trusted: Vec<IpNet>,
}

impl ProxyAuth {
    /// A proxy header (a valid header name) trusted from these addresses (at least one).
    pub fn new(header: &str, trusted: Vec<IpNet>) -> Result<ProxyAuth, String> {
        let header = HeaderName::try_from(header.trim())
            .map_err(|_| format!("{header:?} is not a valid header name"))?;
        if trusted.is_empty() {
            return Err("trusted-proxy mode needs the proxies' addresses".into());
        }
        if header == AUTHORIZATION {
            return Err("the user header cannot be Authorization".into());
        }
        Ok(ProxyAuth { header, trusted })
    }

    fn trusts(&self, peer: IpAddr) -> bool {
        let peer = peer.to_canonical();
        self.trusted.iter().any(|net| net.contains(&peer))
    }
}

/// Parses a trusted proxy address: an IP (`10.1.2.3`, `::1`) or a network (`10.0.0.0/8`).
pub fn parse_network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{text:?} is neither an IP address nor a network like 10.0.0.0/8"))
}

/// Who a request acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The key's (or proxy user's) name; `None` in open mode.
    pub name: Option<String>,
    pub role: Role,
    /// The funds it may see and write; `None` = every fund.
    pub funds: Option<Vec<String>>,
}

impl Principal {
    /// Open mode: no keys configured, everyone may do everything.
    fn open() -> Principal {
        Principal {
            name: None,
            role: Role::Admin,
            funds: None,
        }
    }

    fn from_key(key: ApiKey) -> Principal {
        Principal {
            name: Some(key.name),
            role: key.role,
            funds: key.funds,
        }
    }

    /// Whether it may see something of this fund (`None`: stored without a fund, which only
    /// principals of every fund see).
    pub fn can_see(&self, fund: Option<&str>) -> bool {
        match (&self.funds, fund) {
            (None, _) => true,
            (Some(funds), Some(fund)) => funds.iter().any(|f| f == fund),
            (Some(_), None) => false,
        }
    }

    /// Checks that it may write to this fund (the `fund_id` of a new run or set): a 403 naming
    /// its funds otherwise.
    pub fn check_write(&self, fund: Option<&str>) -> Result<(), ApiError> {
        let Some(funds) = &self.funds else {
            return Ok(());
        };
        if self.can_see(fund) {
            return Ok(());
        }
        let who = self.describe();
        let allowed = funds.join(", ");
        let message = match fund {
            Some(fund) => format!("{who} may not write to fund {fund:?} (its funds: {allowed})"),
            None => format!("{who} is limited to funds {allowed}: give fund_id, one of them"),
        };
        Err(ApiError::forbidden(
            message.clone(),
            vec![FieldError {
                field: "fund_id".into(),
                message,
            }],
        ))
    }

    /// The funds a listing is limited to (`None` = every fund).
    pub fn funds(&self) -> Option<&[String]> {
        self.funds.as_deref()
    }

    fn describe(&self) -> String {
        match &self.name {
            Some(name) => format!("the key {name:?}"),
            None => "this request".to_string(),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        // The middleware puts one on every protected request; a handler outside its reach
        // must not run as anyone.
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .ok_or_else(|| unauthorized("no credentials were checked for this route", false))
    }
}

impl ApiError {
    /// 403: authenticated, but the role or the fund does not allow it (`FORBIDDEN`).
    pub fn forbidden(detail: String, errors: Vec<FieldError>) -> Self {
        let mut error = ApiError::not_found("");
        error.status = StatusCode::FORBIDDEN;
        error.body = ErrorResponse {
            error: "Forbidden".into(),
            detail: Some(detail),
            code: "FORBIDDEN".into(),
            errors,
        };
        error
    }
}

/// 401 (`UNAUTHORIZED`) with `WWW-Authenticate: Bearer` (RFC 6750; `invalid_token` when a
/// token was sent but is no key).
fn unauthorized(detail: &str, bad_token: bool) -> Response {
    let body = ErrorResponse {
        error: "Unauthorized".into(),
        detail: Some(detail.to_string()),
        code: "UNAUTHORIZED".into(),
        errors: Vec::new(),
    };
    let challenge = if bad_token {
        r#"Bearer realm="SLB Planner", error="invalid_token""#
    } else {
        r#"Bearer realm="SLB Planner""#
    };
    (
        StatusCode::UNAUTHORIZED,
        [(WWW_AUTHENTICATE, HeaderValue::from_static(challenge))],
        Json(body),
    )
        .into_response()
}

/// The middleware's state: the key store and the configuration.
pub struct Auth {
    store: Arc<dyn RunStore>,
    config: AuthConfig,
    /// Set once the store has a key. Keys are never deleted, so it never goes back; until
    /// then each unauthenticated request asks the store (one indexed read), so the first key
    /// created by `slb keys create` closes open mode at once on every server.
    keys_exist: AtomicBool,
}

impl Auth {
    pub fn new(store: Arc<dyn RunStore>, config: AuthConfig) -> Arc<Auth> {
        Arc::new(Auth {
            store,
            config,
            keys_exist: AtomicBool::new(false),
        })
    }

    async fn required(&self) -> Result<bool, store::StoreError> {
        if self.config.proxy.is_some() || self.keys_exist.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let exist = self.store.has_api_keys().await?;
        if exist {
            self.keys_exist.store(true, Ordering::Relaxed);
        }
        Ok(exist)
    }

    /// Who the request acts as, or the response refusing it.
    async fn identify(
        &self,
        headers: &HeaderMap,
        extensions: &Extensions,
    ) -> Result<Principal, Response> {
        let store_failed = |e: store::StoreError| {
            let id = headers
                .get(request_id::HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("unknown");
            ApiError::store(id, &e).into_response()
        };
        if let Some(value) = headers.get(AUTHORIZATION) {
            let token = bearer_token(value).ok_or_else(|| {
                unauthorized("the Authorization header must be `Bearer <token>`", true)
            })?;
            return match self.store.find_api_key(token).await {
                Ok(Some(key)) if key.is_revoked() => {
                    tracing::info!(key = %key.name, "request with a revoked API key");
                    Err(unauthorized("this API key has been revoked", true))
                }
                Ok(Some(key)) => Ok(Principal::from_key(key)),
                Ok(None) => Err(unauthorized("unknown API key", true)),
                Err(e) => Err(store_failed(e)),
            };
        }
        let proxied = self
            .proxy_user(headers, extensions)
            .map_err(|detail| unauthorized(&detail, false))?;
        if let Some(user) = proxied {
            return match self.store.find_api_key_by_name(&user).await {
                Ok(Some(key)) if key.is_revoked() => {
                    tracing::info!(user = %user, "proxy user whose key is revoked");
                    Err(unauthorized("this user's API key has been revoked", false))
                }
                Ok(Some(key)) => Ok(Principal::from_key(key)),
                Ok(None) => Ok(Principal {
                    name: Some(user),
                    role: Role::Analyst,
                    funds: None,
                }),
                Err(e) => Err(store_failed(e)),
            };
        }
        match self.required().await {
            Ok(true) => Err(unauthorized(
                "an API key is required: send `Authorization: Bearer <token>`",
                false,
            )),
            Ok(false) => Ok(Principal::open()),
            Err(e) => Err(store_failed(e)),
        }
    }

    /// The trusted proxy's user, when the request came from a trusted proxy and names one; why
    /// not, when it came from one but names nobody usable.
    fn proxy_user(
        &self,
        headers: &HeaderMap,
        extensions: &Extensions,
    ) -> Result<Option<String>, String> {
        let Some(proxy) = &self.config.proxy else {
            return Ok(None);
        };
        let Some(value) = headers.get(&proxy.header) else {
            return Ok(None);
        };
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        if !peer.is_some_and(|ip| proxy.trusts(ip)) {
            tracing::debug!(?peer, header = %proxy.header, "user header from an untrusted address ignored");
            return Ok(None);
        }
        let user = value.to_str().map(str::trim).unwrap_or_default();
        if store::keys::check_key_name(user).is_err() {
            return Err(format!("the {} header does not name a user", proxy.header));
        }
        Ok(Some(user.to_string()))
    }
}

fn bearer_token(value: &HeaderValue) -> Option<&str> {
    let text = value.to_str().ok()?;
    let (scheme, token) = text.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Whether a path needs credentials: the API, except its document and docs page.
fn is_protected(path: &str) -> bool {
    let docs = path == openapi::DOCUMENT_PATH
        || path == openapi::DOCS_PATH
        || path.starts_with(&format!("{}/", openapi::DOCS_PATH));
    (path == "/program" || path.starts_with("/api/")) && !docs
}

/// The least role a method needs: reading is for viewers, anything else runs planners or
/// writes and is for analysts.
fn required_role(method: &Method) -> Role {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        Role::Viewer
    } else {
        Role::Analyst
    }
}

/// The middleware: identifies the caller of a protected route, checks its role and hands the
/// [`Principal`] to the handler.
pub async fn authenticate(State(auth): State<Arc<Auth>>, mut req: Request, next: Next) -> Response {
    // CORS preflights carry no credentials; the CORS layer answers them.
    if !is_protected(req.uri().path()) || req.method() == Method::OPTIONS {
        return next.run(req).await;
    }
    let principal = match auth.identify(req.headers(), req.extensions()).await {
        Ok(principal) => principal,
        Err(refusal) => return refusal,
    };
    let needed = required_role(req.method());
    if principal.role < needed {
        let detail = format!(
            "{} has the role {}; {} {} needs {}",
            principal.describe(),
            principal.role,
            req.method(),
            req.uri().path(),
            needed
        );
        return ApiError::forbidden(detail, Vec::new()).into_response();
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}

/// `GET /api/me`: who the request acts as (`{name, role, funds}`), or 401. In open mode the
/// name is null and the role admin.
pub async fn me(principal: Principal) -> Json<Identity> {
    Json(Identity {
        name: principal.name,
        role: principal.role,
        funds: principal.funds,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_tokens_are_read_case_insensitively() {
        let value = |s: &'static str| HeaderValue::from_static(s);
        assert_eq!(bearer_token(&value("Bearer slb_x")), Some("slb_x"));
        assert_eq!(bearer_token(&value("bearer  slb_x ")), Some("slb_x"));
        assert_eq!(bearer_token(&value("Basic abc")), None);
        assert_eq!(bearer_token(&value("Bearer ")), None);
        assert_eq!(bearer_token(&value("slb_x")), None);
    }

    #[test]
    fn the_api_is_protected_but_not_its_docs_health_or_the_ui() {
        for path in [
            "/api/runs",
            "/api/runs/x",
            "/api/me",
            "/program",
            "/api/nope",
        ] {
            assert!(is_protected(path), "{path}");
        }
        for path in [
            "/health",
            "/ready",
            "/",
            "/runs/x",
            "/assets/app.js",
            "/api/docs",
            "/api/docs/",
            "/api/docs/swagger-ui.css",
            "/api/openapi.json",
        ] {
            assert!(!is_protected(path), "{path}");
        }
    }

    #[test]
    fn proxies_are_trusted_by_address_or_network() {
        let proxy = ProxyAuth {
            header: HeaderName::from_static("x-forwarded-user"),
            trusted: vec![
                parse_network("10.0.0.0/8").unwrap(),
                parse_network("127.0.0.1").unwrap(),
            ],
        };
        assert!(proxy.trusts("10.2.3.4".parse().unwrap()));
        assert!(proxy.trusts("127.0.0.1".parse().unwrap()));
        assert!(proxy.trusts("::ffff:10.0.0.1".parse().unwrap()));
        assert!(!proxy.trusts("127.0.0.2".parse().unwrap()));
        assert!(!proxy.trusts("192.168.1.1".parse().unwrap()));
        assert!(parse_network("::1").is_ok());
        assert!(parse_network("example.com").is_err());
    }

    #[test]
    fn fund_scoped_principals_see_and_write_only_their_funds() {
        let scoped = Principal {
            name: Some("k".into()),
            role: Role::Analyst,
            funds: Some(vec!["A".into()]),
        };
        assert!(scoped.can_see(Some("A")));
        assert!(!scoped.can_see(Some("B")));
        assert!(!scoped.can_see(None));
        assert!(scoped.check_write(Some("A")).is_ok());
        assert_eq!(
            scoped.check_write(None).unwrap_err().status,
            StatusCode::FORBIDDEN
        );
        assert!(Principal::open().can_see(None));
        assert!(Principal::open().check_write(None).is_ok());
    }
}
