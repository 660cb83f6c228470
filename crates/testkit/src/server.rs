//! A real SLB Planner server on a loopback socket, for the HTTP tests.
//!
//! Every server test wants the same thing: the whole application (router, middleware, auth,
//! limits) on a fresh store of either backend, bound to `127.0.0.1:0`, and a client that sends
//! JSON and reads the answer whatever its shape. [`TestServer::builder`] sets the few things a
//! test varies (planner, auth mode, limits, a store of its own); the store's folder or database
//! lives as long as the server value.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use agent::{Planner, RunSettings};
use engine::model::Role;
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::Value;
use server::auth::AuthConfig;
use server::{AppState, ConnectionLimits, Limits};
use store::{NewApiKey, RunStore, SqlStore};

/// Which store a test server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in a fresh temporary folder.
    Sqlite,
    /// A fresh database on the throw-away PostgreSQL server ([`crate::postgres`]).
    Postgres,
}

impl Backend {
    /// Opens a fresh store; the folder, when there is one, must outlive the store.
    pub async fn open(self) -> (Arc<dyn RunStore>, Option<tempfile::TempDir>) {
        match self {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let store = SqlStore::open_sqlite_dir(dir.path()).await.unwrap();
                (Arc::new(store), Some(dir))
            }
            Backend::Postgres => {
                let url = crate::postgres::fresh_database_url();
                (Arc::new(SqlStore::open_postgres(&url).await.unwrap()), None)
            }
        }
    }
}

/// An answer: status, headers, the body as JSON (a non-JSON body as a JSON string) and how
/// long it took.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub elapsed: Duration,
}

impl Reply {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

/// The store a server is started on.
enum Store {
    Fresh(Backend),
    Given(Arc<dyn RunStore>),
}

/// What a test may vary in the server it starts.
pub struct Builder {
    store: Store,
    planner: Arc<dyn Planner>,
    auth: AuthConfig,
    limits: Limits,
    connections: ConnectionLimits,
    body_limit: usize,
}

impl Builder {
    fn on(store: Store) -> Self {
        Builder {
            store,
            planner: Arc::new(agent::builtin::BuiltinPlanner::new()),
            auth: AuthConfig::default(),
            limits: Limits::default(),
            connections: ConnectionLimits::default(),
            body_limit: server::DEFAULT_BODY_LIMIT,
        }
    }

    /// Plans with `planner` instead of the built-in brief parser.
    pub fn planner(mut self, planner: Arc<dyn Planner>) -> Self {
        self.planner = planner;
        self
    }

    /// Authenticates with `auth` (e.g. a trusted proxy) instead of API keys alone.
    pub fn auth(mut self, auth: AuthConfig) -> Self {
        self.auth = auth;
        self
    }

    /// Request limits (sizes, rates, concurrency, hosts, CORS).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Connection limits and timeouts.
    pub fn connections(mut self, connections: ConnectionLimits) -> Self {
        self.connections = connections;
        self
    }

    /// The request body limit in bytes.
    pub fn body_limit(mut self, body_limit: usize) -> Self {
        self.body_limit = body_limit;
        self
    }

    /// Binds `127.0.0.1:0` and serves in the background until the test's runtime ends.
    pub async fn start(self) -> TestServer {
        let (store, dir) = match self.store {
            Store::Given(store) => (store, None),
            Store::Fresh(backend) => backend.open().await,
        };
        let state = AppState {
            store: store.clone(),
            planner: self.planner,
            settings: Arc::new(RunSettings::default()),
            body_limit: self.body_limit,
            scenario_concurrency: 4,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = server::router_with(state, self.auth, self.limits);
        tokio::spawn(server::serve_until(
            listener,
            app,
            self.connections,
            std::future::pending(),
        ));
        TestServer {
            base: format!("http://{addr}"),
            addr,
            client: reqwest::Client::new(),
            store,
            _dir: dir,
        }
    }
}

/// A running server and a client for it.
pub struct TestServer {
    base: String,
    addr: SocketAddr,
    client: reqwest::Client,
    store: Arc<dyn RunStore>,
    _dir: Option<tempfile::TempDir>,
}

impl TestServer {
    /// A server on a fresh `backend` store, with the built-in planner, open mode (no keys)
    /// and the default limits, unless the builder says otherwise.
    pub fn builder(backend: Backend) -> Builder {
        Builder::on(Store::Fresh(backend))
    }

    /// [`TestServer::builder`] on a store the test opened itself (and keeps alive).
    pub fn builder_on(store: Arc<dyn RunStore>) -> Builder {
        Builder::on(Store::Given(store))
    }

    /// [`TestServer::builder`] with every default.
    pub async fn start(backend: Backend) -> TestServer {
        TestServer::builder(backend).start().await
    }

    /// A default server on SQLite.
    pub async fn sqlite() -> TestServer {
        TestServer::start(Backend::Sqlite).await
    }

    /// A default server on PostgreSQL.
    pub async fn postgres() -> TestServer {
        TestServer::start(Backend::Postgres).await
    }

    /// `http://127.0.0.1:port` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server's socket address, for raw TCP tests.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The store the server writes to.
    pub fn store(&self) -> &Arc<dyn RunStore> {
        &self.store
    }

    /// The HTTP client, for requests the helpers below do not cover.
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Creates an API key in the server's store and returns its token.
    pub async fn key(&self, name: &str, role: Role, funds: &[&str]) -> String {
        let funds: Vec<String> = funds.iter().map(|f| (*f).to_owned()).collect();
        self.store
            .create_api_key(&NewApiKey {
                name: name.into(),
                role,
                funds: (!funds.is_empty()).then_some(funds),
                created_at: agent::clock::now_iso(),
            })
            .await
            .unwrap()
    }

    /// Sends `request` and reads the whole answer.
    pub async fn send(&self, request: RequestBuilder) -> Reply {
        let started = Instant::now();
        let res = request.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            headers,
            body,
            elapsed: started.elapsed(),
        }
    }

    /// `method path` with an optional bearer token, extra headers and JSON body.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Reply {
        let mut req = self.client.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        self.send(req).await
    }

    /// `GET path` without credentials: status and JSON body.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let reply = self.request(Method::GET, path, None, &[], None).await;
        (reply.status, reply.body)
    }

    /// `POST path` with a JSON body, without credentials: status and JSON body.
    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        let reply = self
            .request(Method::POST, path, None, &[], Some(body))
            .await;
        (reply.status, reply.body)
    }

    /// `GET path` with an optional bearer token: the whole reply.
    pub async fn get_as(&self, path: &str, token: Option<&str>) -> Reply {
        self.request(Method::GET, path, token, &[], None).await
    }

    /// `POST path` with a JSON body and an optional bearer token: the whole reply.
    pub async fn post_as(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.request(Method::POST, path, token, &[], Some(body))
            .await
    }

    /// `POST path` with a JSON body: status and the body's exact text (for byte-for-byte
    /// comparisons).
    pub async fn post_text(&self, path: &str, body: &Value) -> (StatusCode, String) {
        let res = self
            .client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap();
        (res.status(), res.text().await.unwrap())
    }

    /// `POST path` with `body` sent as is (`Content-Type: application/json`).
    pub async fn post_raw(&self, path: &str, body: String) -> (StatusCode, Value) {
        let req = self
            .client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body);
        let reply = self.send(req).await;
        (reply.status, reply.body)
    }
}

/// Asserts that `body` is an error in the API's one error shape (`{error, code, detail,
/// errors}`) with this `code`.
pub fn assert_error(body: &Value, code: &str) {
    assert_eq!(body["code"], code, "{body}");
    assert!(body["error"].is_string(), "{body}");
    assert!(
        body.get("detail").is_some() && body["errors"].is_array(),
        "{body}"
    );
}

/// The keys of a JSON object, sorted.
pub fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}
