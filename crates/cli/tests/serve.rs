//! `slb serve` as a process: durability across restarts and `kill -9`, graceful shutdown.

mod support;

use reqwest::blocking::Client;
use serde_json::Value;
use support::Served;
use testkit::requests::demo_request;

fn create_run(client: &Client, server: &Served, brief: &str) -> String {
    let res = client
        .post(server.url("/api/runs"))
        .json(&demo_request(brief))
        .send()
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json::<Value>().unwrap()["run_id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn acknowledged_runs_survive_restart_and_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let client = Client::new();

    let mut server = Served::start(dir.path(), &[]);
    let first = create_run(&client, &server, "Raise $100M");
    let second = create_run(&client, &server, "Raise $200M from stores");
    // SIGKILL right after the 201: the commit must already be durable.
    server.kill_hard();

    let server = Served::start(dir.path(), &[]);
    for id in [&first, &second] {
        let res = client
            .get(server.url(&format!("/api/runs/{id}")))
            .send()
            .unwrap();
        assert_eq!(res.status(), 200, "run {id} lost");
        assert_eq!(res.json::<Value>().unwrap()["status"], "completed");
    }
    let list: Value = client
        .get(server.url("/api/runs"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["run_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [second.as_str(), first.as_str()]);
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Served::start(dir.path(), &[]);
    let client = Client::new();
    create_run(&client, &server, "Raise $50M");
    let pid = server.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = server.child.wait().unwrap();
    assert!(
        status.success(),
        "graceful shutdown must exit 0, got {status}"
    );
}

#[test]
fn the_optimiser_budget_is_configurable_and_a_cut_search_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let server = Served::start(dir.path(), &[("SLB_OPTIMISER_NODE_BUDGET", "0")]);
    let mut request = demo_request("Raise $300M from stores and DCs, keep leverage under 3.5x");
    request["selection_strategy"] = "optimal".into();
    let res = Client::new()
        .post(server.url("/program"))
        .json(&request)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().unwrap();
    let warnings: Vec<&str> = body["outcome"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(
        warnings.iter().any(|w| w.contains("not proven")),
        "{warnings:?}"
    );
}

#[test]
fn sigterm_lets_an_in_flight_request_finish() {
    // An LLM that takes 400 ms per call keeps a run in flight while the server is told to stop.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let llm = runtime.block_on(testkit::chat_server::ChatServer::start(
        std::time::Duration::from_millis(400),
        |call| testkit::chat_server::cooperative(call, 100e6),
    ));
    let dir = tempfile::tempdir().unwrap();
    let mut server = Served::start(dir.path(), &[("SLB_LLM_BASE_URL", llm.base_url())]);
    let url = server.url("/api/runs");
    let request = std::thread::spawn(move || {
        let res = Client::new()
            .post(url)
            .json(&demo_request("Raise $100M"))
            .send()
            .unwrap();
        (res.status().as_u16(), res.json::<Value>().unwrap())
    });
    std::thread::sleep(std::time::Duration::from_millis(200));
    let pid = server.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );

    let (status, body) = request.join().unwrap();
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["status"], "completed");
    assert!(server.child.wait().unwrap().success());

    // The run it acknowledged is in the store.
    let server = Served::start(dir.path(), &[]);
    let id = body["run_id"].as_str().unwrap();
    assert_eq!(
        Client::new()
            .get(server.url(&format!("/api/runs/{id}")))
            .send()
            .unwrap()
            .status(),
        200
    );
}
