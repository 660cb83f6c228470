//! Authentication and authorisation against a real server on loopback, on both stores: open
//! mode until a key exists, every role on every endpoint, fund scoping, revocation, the 401/403
//! error shapes, `created_by`, `GET /api/me` and trusted-proxy mode.

use engine::model::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server::auth::{AuthConfig, ProxyAuth, parse_network};
use testkit::requests::demo_request;
use testkit::server::{Backend, Reply, TestServer};

fn set_request(fund_id: Option<&str>) -> Value {
    json!({
        "brief": "Raise $100M",
        "base_request": demo_request("Raise $100M"),
        "num_scenarios": 1,
        "fund_id": fund_id,
    })
}

fn assert_error(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    let body = &reply.body;
    assert_eq!(body["code"], code, "{body}");
    assert!(body["error"].is_string(), "{body}");
    assert!(
        body["detail"].is_string() || body["detail"].is_null(),
        "{body}"
    );
    assert!(body["errors"].is_array(), "{body}");
    if status == StatusCode::UNAUTHORIZED {
        let challenge = reply.headers["www-authenticate"].to_str().unwrap();
        assert!(challenge.starts_with("Bearer"), "{challenge}");
    }
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["run_id"].as_str().unwrap())
        .collect()
}

async fn open_mode_until_a_key_exists(backend: Backend) {
    let s = TestServer::start(backend).await;
    let me = s.get_as("/api/me", None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(
        me.body,
        json!({"name": null, "role": "admin", "funds": null})
    );
    let created = s
        .post_as("/api/runs", None, &demo_request("Raise $100M"))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let run_id = created.body["run_id"].as_str().unwrap().to_string();
    let run = s.get_as(&format!("/api/runs/{run_id}"), None).await;
    assert!(run.body["created_by"].is_null(), "open mode names nobody");

    // The first key closes open mode at once.
    let token = s.key("ops", Role::Viewer, &[]).await;
    for path in ["/api/runs", "/api/me", "/api/funds", "/api/scenario_sets"] {
        assert_error(
            &s.get_as(path, None).await,
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
        );
    }
    assert_error(
        &s.post_as("/program", None, &demo_request("Raise $100M"))
            .await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    );
    assert_eq!(
        s.get_as("/api/runs", Some(&token)).await.status,
        StatusCode::OK
    );
    // Public: health, the API's document and docs page, the web UI.
    for path in ["/health", "/api/openapi.json", "/api/docs/", "/", "/runs/x"] {
        let reply = s.get_as(path, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    }
    // A CORS preflight needs no key.
    let preflight = s
        .request(
            Method::OPTIONS,
            "/api/runs",
            None,
            &[
                ("origin", "http://localhost:5173"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "authorization"),
            ],
            None,
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    let allowed = preflight.headers["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
}

async fn missing_invalid_and_malformed_credentials_are_401(backend: Backend) {
    let s = TestServer::start(backend).await;
    let token = s.key("alice", Role::Admin, &[]).await;
    type Headers<'a> = &'a [(&'a str, &'a str)];
    let cases: [(&str, Option<&str>, Headers); 5] = [
        ("missing", None, &[]),
        ("unknown token", Some("slb_0000"), &[]),
        (
            "a token with one character less",
            Some(&token[..token.len() - 1]),
            &[],
        ),
        (
            "not bearer",
            None,
            &[("authorization", "Basic YWxpY2U6eA==")],
        ),
        ("empty bearer", None, &[("authorization", "Bearer ")]),
    ];
    for (case, token, headers) in cases {
        let reply = s
            .request(Method::GET, "/api/runs", token, headers, None)
            .await;
        assert_error(&reply, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
        assert!(
            !reply.body.to_string().contains("slb_0000"),
            "{case}: a token is never echoed"
        );
    }
    let me = s.get_as("/api/me", Some(&token)).await;
    assert_eq!(
        me.body,
        json!({"name": "alice", "role": "admin", "funds": null})
    );
}

async fn every_role_on_every_endpoint(backend: Backend) {
    let s = TestServer::start(backend).await;
    let viewer = s.key("viewer", Role::Viewer, &[]).await;
    let analyst = s.key("analyst", Role::Analyst, &[]).await;
    let admin = s.key("admin", Role::Admin, &[]).await;

    // Something to read.
    let run = s
        .post_as(
            "/api/runs?fund_id=F",
            Some(&analyst),
            &demo_request("Raise $100M"),
        )
        .await;
    assert_eq!(run.status, StatusCode::CREATED, "{}", run.body);
    let run_id = run.body["run_id"].as_str().unwrap().to_string();
    let set = s
        .post_as(
            "/api/scenario_sets",
            Some(&analyst),
            &set_request(Some("F")),
        )
        .await;
    assert_eq!(set.status, StatusCode::CREATED, "{}", set.body);
    let set_id = set.body["scenario_set"]["id"].as_str().unwrap().to_string();

    let reads = [
        "/api/runs".to_string(),
        format!("/api/runs/{run_id}"),
        "/api/funds".to_string(),
        "/api/scenario_sets".to_string(),
        format!("/api/scenario_sets/{set_id}"),
        "/api/me".to_string(),
    ];
    for token in [&viewer, &analyst, &admin] {
        for path in &reads {
            let reply = s.get_as(path, Some(token)).await;
            assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        }
    }

    let writes = [
        (
            "/api/runs?fund_id=F",
            demo_request("Raise $100M"),
            StatusCode::CREATED,
        ),
        (
            "/api/scenario_sets",
            set_request(Some("F")),
            StatusCode::CREATED,
        ),
        ("/api/plan", demo_request("Raise $100M"), StatusCode::OK),
        ("/program", demo_request("Raise $100M"), StatusCode::OK),
    ];
    for (path, body, success) in &writes {
        let refused = s.post_as(path, Some(&viewer), body).await;
        assert_error(&refused, StatusCode::FORBIDDEN, "FORBIDDEN");
        let detail = refused.body["detail"].as_str().unwrap();
        assert!(
            detail.contains("viewer") && detail.contains("analyst"),
            "{detail}"
        );
        for token in [&analyst, &admin] {
            let reply = s.post_as(path, Some(token), body).await;
            assert_eq!(reply.status, *success, "{path}: {}", reply.body);
        }
    }
    // Nothing the viewer tried was stored: a run and a set each by the analyst and the admin
    // (newest first), after the first run and set.
    let listed = s.get_as("/api/runs?limit=100", Some(&viewer)).await;
    let creators: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["created_by"].as_str().unwrap())
        .collect();
    assert_eq!(
        creators,
        ["admin", "analyst", "admin", "analyst", "analyst", "analyst"]
    );
}

async fn fund_scoped_keys_see_and_write_only_their_funds(backend: Backend) {
    let s = TestServer::start(backend).await;
    let everyone = s.key("treasury", Role::Analyst, &[]).await;
    let fund_a = s.key("fund-a", Role::Analyst, &["A"]).await;
    let a_and_b = s.key("a-and-b", Role::Viewer, &["A", "B"]).await;

    let mut runs = std::collections::HashMap::new();
    for (fund, path) in [
        ("A", "/api/runs?fund_id=A"),
        ("B", "/api/runs?fund_id=B"),
        ("C", "/api/runs?fund_id=C"),
        ("none", "/api/runs"),
    ] {
        let reply = s
            .post_as(path, Some(&everyone), &demo_request("Raise $100M"))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        runs.insert(fund, reply.body["run_id"].as_str().unwrap().to_string());
    }

    // Writes: only to its funds, and a fund must be given.
    let own = s
        .post_as(
            "/api/runs?fund_id=A",
            Some(&fund_a),
            &demo_request("Raise $50M"),
        )
        .await;
    assert_eq!(own.status, StatusCode::CREATED, "{}", own.body);
    let own_id = own.body["run_id"].as_str().unwrap().to_string();
    let other = s
        .post_as(
            "/api/runs?fund_id=B",
            Some(&fund_a),
            &demo_request("Raise $50M"),
        )
        .await;
    assert_error(&other, StatusCode::FORBIDDEN, "FORBIDDEN");
    assert_eq!(other.body["errors"][0]["field"], "fund_id");
    let unnamed = s
        .post_as("/api/runs", Some(&fund_a), &demo_request("Raise $50M"))
        .await;
    assert_error(&unnamed, StatusCode::FORBIDDEN, "FORBIDDEN");
    let detail = unnamed.body["detail"].as_str().unwrap();
    assert!(
        detail.contains("fund_id") && detail.contains('A'),
        "{detail}"
    );

    // Reads: listings filtered, other funds' runs not found.
    let listed = s.get_as("/api/runs", Some(&fund_a)).await;
    assert_eq!(ids(&listed.body), [own_id.as_str(), runs["A"].as_str()]);
    assert_eq!(
        listed.body[0]["created_by"], "fund-a",
        "the creator is stored and listed"
    );
    let outside = s.get_as("/api/runs?fund_id=B", Some(&fund_a)).await;
    assert_eq!(outside.body, json!([]));
    let prefixed = s.get_as("/api/runs?fund_prefix=", Some(&a_and_b)).await;
    assert_eq!(
        ids(&prefixed.body),
        [own_id.as_str(), runs["B"].as_str(), runs["A"].as_str()]
    );
    for fund in ["B", "C", "none"] {
        let reply = s
            .get_as(&format!("/api/runs/{}", runs[fund]), Some(&fund_a))
            .await;
        assert_error(&reply, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    let mine = s
        .get_as(&format!("/api/runs/{own_id}"), Some(&fund_a))
        .await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.body["created_by"], "fund-a");
    assert_eq!(
        s.get_as("/api/funds", Some(&fund_a)).await.body,
        json!(["A"])
    );
    assert_eq!(
        s.get_as("/api/funds", Some(&a_and_b)).await.body,
        json!(["A", "B"])
    );
    assert_eq!(
        s.get_as("/api/funds", Some(&everyone)).await.body,
        json!(["A", "B", "C"])
    );
    assert_eq!(
        s.get_as("/api/me", Some(&a_and_b)).await.body,
        json!({"name": "a-and-b", "role": "viewer", "funds": ["A", "B"]})
    );

    // Scenario sets: written to its funds only, listed and fetched by their runs' fund.
    let refused = s
        .post_as("/api/scenario_sets", Some(&fund_a), &set_request(Some("B")))
        .await;
    assert_error(&refused, StatusCode::FORBIDDEN, "FORBIDDEN");
    let refused = s
        .post_as("/api/scenario_sets", Some(&fund_a), &set_request(None))
        .await;
    assert_error(&refused, StatusCode::FORBIDDEN, "FORBIDDEN");
    let set_a = s
        .post_as("/api/scenario_sets", Some(&fund_a), &set_request(Some("A")))
        .await;
    assert_eq!(set_a.status, StatusCode::CREATED, "{}", set_a.body);
    assert_eq!(set_a.body["runs"][0]["created_by"], "fund-a");
    let set_b = s
        .post_as(
            "/api/scenario_sets",
            Some(&everyone),
            &set_request(Some("B")),
        )
        .await;
    let set_a_id = set_a.body["scenario_set"]["id"].as_str().unwrap();
    let set_b_id = set_b.body["scenario_set"]["id"].as_str().unwrap();
    let listed = s.get_as("/api/scenario_sets", Some(&fund_a)).await;
    let set_ids: Vec<&str> = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(set_ids, [set_a_id]);
    assert_eq!(
        s.get_as("/api/scenario_sets", Some(&everyone))
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let hidden = s
        .get_as(&format!("/api/scenario_sets/{set_b_id}"), Some(&fund_a))
        .await;
    assert_error(&hidden, StatusCode::NOT_FOUND, "NOT_FOUND");
    let seen = s
        .get_as(&format!("/api/scenario_sets/{set_a_id}"), Some(&fund_a))
        .await;
    assert_eq!(seen.status, StatusCode::OK);
    let scenario_run = set_b.body["runs"][0]["run_id"].as_str().unwrap();
    let hidden = s
        .get_as(&format!("/api/runs/{scenario_run}"), Some(&fund_a))
        .await;
    assert_error(&hidden, StatusCode::NOT_FOUND, "NOT_FOUND");
}

async fn revocation_takes_effect_on_the_next_request(backend: Backend) {
    let s = TestServer::start(backend).await;
    let token = s.key("temp", Role::Analyst, &[]).await;
    assert_eq!(
        s.get_as("/api/runs", Some(&token)).await.status,
        StatusCode::OK
    );
    assert!(
        s.store()
            .revoke_api_key("temp", &agent::clock::now_iso())
            .await
            .unwrap()
    );
    let reply = s.get_as("/api/runs", Some(&token)).await;
    assert_error(&reply, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    assert!(
        reply.body["detail"].as_str().unwrap().contains("revoked"),
        "{}",
        reply.body
    );
    // A new key of the same name is a new token; the old one stays revoked.
    let renewed = s.key("temp", Role::Viewer, &[]).await;
    assert_eq!(
        s.get_as("/api/runs", Some(&renewed)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        s.get_as("/api/runs", Some(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

fn proxy(trusted: &str) -> AuthConfig {
    AuthConfig {
        proxy: Some(
            ProxyAuth::new("X-Forwarded-User", vec![parse_network(trusted).unwrap()]).unwrap(),
        ),
    }
}

async fn a_trusted_proxy_names_the_user(backend: Backend) {
    let s = TestServer::builder(backend)
        .auth(proxy("127.0.0.0/8"))
        .start()
        .await;
    let user = |name: &'static str| [("x-forwarded-user", name)];
    // Proxy mode needs credentials even before any key exists.
    assert_error(
        &s.get_as("/api/runs", None).await,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
    );
    let me = s
        .request(
            Method::GET,
            "/api/me",
            None,
            &user("carol@example.com"),
            None,
        )
        .await;
    assert_eq!(
        me.body,
        json!({"name": "carol@example.com", "role": "analyst", "funds": null})
    );
    let created = s
        .request(
            Method::POST,
            "/api/runs?fund_id=X",
            None,
            &user("carol@example.com"),
            Some(&demo_request("Raise $100M")),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["run_id"].as_str().unwrap();
    let run = s
        .request(
            Method::GET,
            &format!("/api/runs/{id}"),
            None,
            &user("carol@example.com"),
            None,
        )
        .await;
    assert_eq!(run.body["created_by"], "carol@example.com");

    // A key of the user's name sets the role and funds; revoking it shuts the user out.
    s.key("dave", Role::Viewer, &["D"]).await;
    let me = s
        .request(Method::GET, "/api/me", None, &user("dave"), None)
        .await;
    assert_eq!(
        me.body,
        json!({"name": "dave", "role": "viewer", "funds": ["D"]})
    );
    let refused = s
        .request(
            Method::POST,
            "/api/runs?fund_id=D",
            None,
            &user("dave"),
            Some(&demo_request("Raise $100M")),
        )
        .await;
    assert_error(&refused, StatusCode::FORBIDDEN, "FORBIDDEN");
    s.store()
        .revoke_api_key("dave", &agent::clock::now_iso())
        .await
        .unwrap();
    let revoked = s
        .request(Method::GET, "/api/runs", None, &user("dave"), None)
        .await;
    assert_error(&revoked, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");

    // From an address that is not a trusted proxy the header counts for nothing.
    let s = TestServer::builder(backend)
        .auth(proxy("10.0.0.0/8"))
        .start()
        .await;
    let ignored = s
        .request(
            Method::GET,
            "/api/me",
            None,
            &user("carol@example.com"),
            None,
        )
        .await;
    assert_error(&ignored, StatusCode::UNAUTHORIZED, "UNAUTHORIZED");
    // Keys still work in proxy mode.
    let token = s.key("erin", Role::Viewer, &[]).await;
    assert_eq!(s.get_as("/api/me", Some(&token)).await.body["name"], "erin");
}

macro_rules! suite {
    ($name:ident, $backend:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn open_mode() {
                open_mode_until_a_key_exists($backend).await
            }

            #[tokio::test]
            async fn bad_credentials() {
                missing_invalid_and_malformed_credentials_are_401($backend).await
            }

            #[tokio::test]
            async fn roles() {
                every_role_on_every_endpoint($backend).await
            }

            #[tokio::test]
            async fn fund_scoping() {
                fund_scoped_keys_see_and_write_only_their_funds($backend).await
            }

            #[tokio::test]
            async fn revocation() {
                revocation_takes_effect_on_the_next_request($backend).await
            }

            #[tokio::test]
            async fn trusted_proxy() {
                a_trusted_proxy_names_the_user($backend).await
            }
        }
    };
}

suite!(sqlite, Backend::Sqlite);
suite!(postgres, Backend::Postgres);
