//! Store faults on a real server: while the database is down (PostgreSQL stopped) or gone (the
//! SQLite data directory removed), `/ready` and every store-backed request answer 503
//! `STORE_UNAVAILABLE` with `Retry-After` within a few seconds, `/health` stays up, and once the
//! database is back requests succeed again without a restart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use agent::RunSettings;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::AppState;
use store::{RunStore, SqlStore};

struct TestServer {
    base: String,
    client: reqwest::Client,
}

impl TestServer {
    async fn start(store: Arc<dyn RunStore>) -> Self {
        let state = AppState {
            store,
            planner: Arc::new(agent::builtin::BuiltinPlanner::new()),
            settings: Arc::new(RunSettings::default()),
            body_limit: server::DEFAULT_BODY_LIMIT,
            scenario_concurrency: 4,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(server::serve(listener, server::router(state)));
        TestServer {
            base,
            client: reqwest::Client::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Status, `Retry-After`, body and how long the answer took.
    async fn send(
        &self,
        request: reqwest::RequestBuilder,
    ) -> (StatusCode, Option<String>, Value, Duration) {
        let started = Instant::now();
        let res = request.send().await.unwrap();
        let status = res.status();
        let retry = res
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
        let body = res.json().await.unwrap_or(Value::Null);
        (status, retry, body, started.elapsed())
    }

    async fn get(&self, path: &str) -> (StatusCode, Option<String>, Value, Duration) {
        self.send(self.client.get(self.url(path))).await
    }

    async fn create_run(&self) -> (StatusCode, Option<String>, Value, Duration) {
        self.send(
            self.client
                .post(self.url("/api/runs"))
                .json(&demo_request()),
        )
        .await
    }
}

fn demo_request() -> Value {
    let text =
        std::fs::read_to_string(testkit::workspace_root().join("examples/demo_portfolio.json"))
            .unwrap();
    let portfolio: Value = serde_json::from_str(&text).unwrap();
    json!({
        "assets": portfolio["assets"],
        "corporate_state": portfolio["corporate_state"],
        "program_type": "slb",
        "program_description": "Raise $100M",
    })
}

/// Every store-backed endpoint answers 503 `STORE_UNAVAILABLE` with `Retry-After`, fast;
/// `/health` still answers 200.
async fn assert_unavailable(s: &TestServer) {
    for (what, (status, retry, body, took)) in [
        ("ready", s.get("/ready").await),
        ("create", s.create_run().await),
        ("list", s.get("/api/runs").await),
        ("funds", s.get("/api/funds").await),
    ] {
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{what}: {body}");
        assert_eq!(body["code"], "STORE_UNAVAILABLE", "{what}: {body}");
        assert!(body["detail"].is_string(), "{what}: {body}");
        assert_eq!(retry.as_deref(), Some("2"), "{what}");
        assert!(took < Duration::from_secs(5), "{what} took {took:?}");
    }
    let (status, _, body, _) = s.get("/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "healthy");
}

async fn assert_available(s: &TestServer) {
    // The pool reconnects on its own; give it a moment.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, _, body, _) = s.get("/ready").await;
        if status == StatusCode::OK {
            assert_eq!(body, json!({"status": "ready"}));
            break;
        }
        assert!(Instant::now() < deadline, "not ready again: {body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (status, _, body, _) = s.create_run().await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn postgres_outage_is_503_within_seconds_and_recovers() {
    let pg = tokio::task::spawn_blocking(testkit::postgres::PrivateServer::start)
        .await
        .unwrap();
    let store = SqlStore::open_postgres(&pg.url()).await.unwrap();
    let s = TestServer::start(Arc::new(store)).await;
    assert_available(&s).await;

    let pg = tokio::task::spawn_blocking(move || {
        pg.stop();
        pg
    })
    .await
    .unwrap();
    assert_unavailable(&s).await;

    let pg = tokio::task::spawn_blocking(move || {
        pg.restart();
        pg
    })
    .await
    .unwrap();
    assert_available(&s).await;
    let (_, _, runs, _) = s.get("/api/runs").await;
    assert_eq!(runs.as_array().unwrap().len(), 2, "{runs}");
    drop(pg);
}

#[tokio::test]
async fn a_removed_sqlite_data_directory_is_503_until_it_is_back() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let store = SqlStore::open_sqlite_dir(&data).await.unwrap();
    let s = TestServer::start(Arc::new(store)).await;
    assert_available(&s).await;

    // Moved away (as `rm -rf` would, but recoverable): the server notices.
    let away = root.path().join("away");
    std::fs::rename(&data, &away).unwrap();
    assert_unavailable(&s).await;
    // Nothing was re-created in its place.
    assert!(!data.join("slb.db").exists());

    std::fs::rename(&away, &data).unwrap();
    assert_available(&s).await;
    let (_, _, runs, _) = s.get("/api/runs").await;
    assert_eq!(runs.as_array().unwrap().len(), 2, "{runs}");

    // Deleted for good: unavailable, and still nothing re-created.
    std::fs::remove_dir_all(&data).unwrap();
    assert_unavailable(&s).await;
    assert!(!data.exists());
}
