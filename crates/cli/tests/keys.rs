//! `slb keys` and authentication in `slb serve`, as processes: keys created, listed and revoked
//! by the CLI work against a running server (revocation included), and a server refuses to
//! listen beyond loopback without authentication.

mod support;

use std::path::Path;
use std::process::Output;

use reqwest::blocking::Client;
use serde_json::Value;
use support::{Served, run, stderr, stdout};
use testkit::requests::demo_request;

fn keys(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["keys"];
    all.extend_from_slice(args);
    all.extend(["--data-dir", dir.to_str().unwrap()]);
    run(&all)
}

/// Creates a key and returns its token: the last line of stdout, alone.
fn create(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["create"];
    all.extend_from_slice(args);
    let out = keys(dir, &all);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let token = text.lines().last().unwrap().to_string();
    assert!(token.starts_with("slb_") && token.len() == 68, "{text}");
    assert!(token[4..].chars().all(|c| c.is_ascii_hexdigit()), "{text}");
    token
}

#[test]
fn keys_are_created_listed_without_tokens_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let empty = keys(dir.path(), &["list"]);
    assert!(empty.status.success());
    assert!(stdout(&empty).contains("No API keys"), "{}", stdout(&empty));

    let alice = create(
        dir.path(),
        &["alice", "--role", "analyst", "--fund", "F2", "--fund", "F1"],
    );
    let bob = create(dir.path(), &["bob", "--role", "viewer"]);
    assert_ne!(alice, bob);

    let list = keys(dir.path(), &["list"]);
    let text = stdout(&list);
    assert!(list.status.success());
    for expected in ["alice", "analyst", "F1, F2", "bob", "viewer", "all"] {
        assert!(text.contains(expected), "{expected} missing from\n{text}");
    }
    assert!(!text.contains(&alice) && !text.contains(&bob), "{text}");
    assert!(
        !text.contains("slb_"),
        "a list never shows a token:\n{text}"
    );

    // A taken name, a bad role and a bad name are input errors.
    let taken = keys(dir.path(), &["create", "alice", "--role", "admin"]);
    assert_eq!(taken.status.code(), Some(2));
    assert!(
        stderr(&taken).contains("already exists"),
        "{}",
        stderr(&taken)
    );
    let bad_role = keys(dir.path(), &["create", "carol", "--role", "owner"]);
    assert_eq!(bad_role.status.code(), Some(2));
    let bad_name = keys(dir.path(), &["create", " carol", "--role", "viewer"]);
    assert_eq!(bad_name.status.code(), Some(2));

    let revoke = keys(dir.path(), &["revoke", "alice"]);
    assert!(revoke.status.success(), "{}", stderr(&revoke));
    let again = keys(dir.path(), &["revoke", "alice"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("no active key"),
        "{}",
        stderr(&again)
    );

    let json = keys(dir.path(), &["list", "--json"]);
    let listed: Value = serde_json::from_str(&stdout(&json)).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["name"], "alice");
    assert_eq!(listed[0]["role"], "analyst");
    assert_eq!(listed[0]["funds"], serde_json::json!(["F1", "F2"]));
    assert!(listed[0]["revoked_at"].is_string());
    assert!(listed[1]["revoked_at"].is_null() && listed[1]["funds"].is_null());
    assert!(!stdout(&json).contains("slb_"));

    // The name of a revoked key can be issued again.
    create(dir.path(), &["alice", "--role", "admin"]);
}

#[test]
fn a_key_made_by_the_cli_works_against_slb_serve_until_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let viewer = create(dir.path(), &["reader", "--role", "viewer"]);
    let analyst = create(dir.path(), &["desk", "--role", "analyst", "--fund", "F1"]);
    let server = Served::start(dir.path(), &[]);
    let client = Client::new();
    let runs = server.url("/api/runs");

    let anonymous = client.get(&runs).send().unwrap();
    assert_eq!(anonymous.status(), 401);
    assert!(
        anonymous.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    let body: Value = anonymous.json().unwrap();
    assert_eq!(body["code"], "UNAUTHORIZED");
    assert_eq!(
        client.get(server.url("/health")).send().unwrap().status(),
        200
    );

    let read = client.get(&runs).bearer_auth(&viewer).send().unwrap();
    assert_eq!(read.status(), 200);
    let refused = client
        .post(format!("{runs}?fund_id=F1"))
        .bearer_auth(&viewer)
        .json(&demo_request("Raise $100M"))
        .send()
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.json::<Value>().unwrap()["code"], "FORBIDDEN");

    let created = client
        .post(format!("{runs}?fund_id=F1"))
        .bearer_auth(&analyst)
        .json(&demo_request("Raise $100M"))
        .send()
        .unwrap();
    assert_eq!(created.status(), 201);
    let id = created.json::<Value>().unwrap()["run_id"]
        .as_str()
        .unwrap()
        .to_string();
    let run: Value = client
        .get(server.url(&format!("/api/runs/{id}")))
        .bearer_auth(&viewer)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(run["created_by"], "desk");

    // Revoked by another process while the server runs: refused on the next request.
    assert!(keys(dir.path(), &["revoke", "desk"]).status.success());
    let revoked = client.get(&runs).bearer_auth(&analyst).send().unwrap();
    assert_eq!(revoked.status(), 401);
    assert_eq!(
        client
            .get(&runs)
            .bearer_auth(&viewer)
            .send()
            .unwrap()
            .status(),
        200
    );
}

#[test]
fn serving_beyond_loopback_needs_auth_or_insecure_no_auth() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let refused = run(&[
        "serve",
        "--host",
        "0.0.0.0",
        "--port",
        "0",
        "--data-dir",
        data,
    ]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let message = stderr(&refused);
    assert!(
        message.contains("refusing") && message.contains("--insecure-no-auth"),
        "{message}"
    );
    assert!(!stdout(&refused).contains("SLB_LISTENING"));

    // With the flag it starts (and says so loudly); killed when dropped.
    let server = Served::start(
        dir.path(),
        &[("SLB_HOST", "0.0.0.0"), ("SLB_INSECURE_NO_AUTH", "true")],
    );
    assert!(server.base.contains("0.0.0.0"), "{}", server.base);
    drop(server);

    // A key in the store is authentication enough.
    create(dir.path(), &["ops", "--role", "admin"]);
    let server = Served::start(dir.path(), &[("SLB_HOST", "0.0.0.0")]);
    drop(server);
}
