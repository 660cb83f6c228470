//! Store faults on a real server: while the database is down (PostgreSQL stopped) or gone (the
//! SQLite data directory removed), `/ready` and every store-backed request answer 503
//! `STORE_UNAVAILABLE` with `Retry-After` within a few seconds, `/health` stays up, and once the
//! database is back requests succeed again without a restart.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use store::SqlStore;
use testkit::requests::demo_request;
use testkit::server::{Reply, TestServer};

async fn create_run(s: &TestServer) -> Reply {
    s.post_as("/api/runs", None, &demo_request("Raise $100M"))
        .await
}

/// Every store-backed endpoint answers 503 `STORE_UNAVAILABLE` with `Retry-After`, fast;
/// `/health` still answers 200.
async fn assert_unavailable(s: &TestServer) {
    for (what, reply) in [
        ("ready", s.get_as("/ready", None).await),
        ("create", create_run(s).await),
        ("list", s.get_as("/api/runs", None).await),
        ("funds", s.get_as("/api/funds", None).await),
    ] {
        let body = &reply.body;
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{what}: {body}"
        );
        assert_eq!(body["code"], "STORE_UNAVAILABLE", "{what}: {body}");
        assert!(body["detail"].is_string(), "{what}: {body}");
        assert_eq!(reply.header("retry-after"), Some("2"), "{what}");
        assert!(
            reply.elapsed < Duration::from_secs(5),
            "{what} took {:?}",
            reply.elapsed
        );
    }
    let (status, body) = s.get("/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "healthy");
}

async fn assert_available(s: &TestServer) {
    // The pool reconnects on its own; give it a moment.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = s.get("/ready").await;
        if status == StatusCode::OK {
            assert_eq!(body, json!({"status": "ready"}));
            break;
        }
        assert!(Instant::now() < deadline, "not ready again: {body}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let created = create_run(s).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
}

#[tokio::test]
async fn postgres_outage_is_503_within_seconds_and_recovers() {
    let pg = tokio::task::spawn_blocking(testkit::postgres::PrivateServer::start)
        .await
        .unwrap();
    let store = SqlStore::open_postgres(&pg.url()).await.unwrap();
    let s = TestServer::builder_on(Arc::new(store)).start().await;
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
    let (_, runs) = s.get("/api/runs").await;
    assert_eq!(runs.as_array().unwrap().len(), 2, "{runs}");
    drop(pg);
}

#[tokio::test]
async fn a_removed_sqlite_data_directory_is_503_until_it_is_back() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let store = SqlStore::open_sqlite_dir(&data).await.unwrap();
    let s = TestServer::builder_on(Arc::new(store)).start().await;
    assert_available(&s).await;

    // Moved away (as `rm -rf` would, but recoverable): the server notices.
    let away = root.path().join("away");
    std::fs::rename(&data, &away).unwrap();
    assert_unavailable(&s).await;
    // Nothing was re-created in its place.
    assert!(!data.join("slb.db").exists());

    std::fs::rename(&away, &data).unwrap();
    assert_available(&s).await;
    let (_, runs) = s.get("/api/runs").await;
    assert_eq!(runs.as_array().unwrap().len(), 2, "{runs}");

    // Deleted for good: unavailable, and still nothing re-created.
    std::fs::remove_dir_all(&data).unwrap();
    assert_unavailable(&s).await;
    assert!(!data.exists());
}
