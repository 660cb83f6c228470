//! A server that stays up under abuse, on a real loopback socket: slow and idle clients are cut
//! off within the timeouts while others are served; connection, in-flight and rate caps answer
//! 429/503 with `Retry-After` in the API's error shape; hosts outside the allowlist get 421;
//! bodies with trailing garbage, NUL characters, over-long ids or descriptions, or too many
//! assets get 422 naming the field (both stores); long 422s are capped; listings cut long
//! descriptions; `Idempotency-Key` replays stored results (both stores); the UI carries
//! security headers its own page satisfies.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use server::{ConnectionLimits, Limits, RateLimit};
use testkit::requests::demo_request;
use testkit::server::{Backend, TestServer, assert_error};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The fields a 422 names.
fn fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

/// Reads until the peer closes (or `within` passes): when the connection was closed.
async fn closed_within(stream: &mut TcpStream, within: Duration) -> Option<Duration> {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        let left = within.checked_sub(start.elapsed())?;
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return Some(start.elapsed()),
            Ok(Ok(_)) => {}
            Err(_) => return None,
        }
    }
}

/// Reads one whole response (the server closes after it).
async fn read_response(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

fn short_timeouts() -> ConnectionLimits {
    ConnectionLimits {
        header_timeout: Duration::from_millis(800),
        idle_timeout: Duration::from_millis(2000),
        ..ConnectionLimits::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Slow and idle clients
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn slowloris_is_cut_off_while_others_are_served() {
    let s = TestServer::builder(Backend::Sqlite)
        .limits(Limits::default())
        .connections(short_timeouts())
        .start()
        .await;
    let mut slow = TcpStream::connect(s.addr()).await.unwrap();
    let head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let trickle = async {
        // One byte every 100 ms: the head would take 6 s.
        for byte in head.iter() {
            if slow.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    let started = Instant::now();
    let others = async {
        // Meanwhile other clients are answered promptly.
        for _ in 0..5 {
            let t = Instant::now();
            let (status, _) = s.get("/health").await;
            assert_eq!(status, StatusCode::OK);
            assert!(t.elapsed() < Duration::from_millis(500));
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    tokio::join!(trickle, others);
    // The trickle stopped early because the server closed the connection.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "slow client kept for {:?}",
        started.elapsed()
    );
    let closed = closed_within(&mut slow, Duration::from_secs(1)).await;
    assert!(
        closed.is_some(),
        "the slow client's connection is still open"
    );
}

#[tokio::test]
async fn idle_sockets_are_closed_within_the_timeouts() {
    let s = TestServer::builder(Backend::Sqlite)
        .limits(Limits::default())
        .connections(short_timeouts())
        .start()
        .await;
    // A connection that never sends anything: the header timeout.
    let mut silent = TcpStream::connect(s.addr()).await.unwrap();
    let closed = closed_within(&mut silent, Duration::from_secs(3))
        .await
        .expect("silent connection closed");
    assert!(closed < Duration::from_millis(1500), "{closed:?}");

    // A keep-alive connection after one request: the idle timeout (longer than the header
    // timeout), not the header timeout.
    let mut idle = TcpStream::connect(s.addr()).await.unwrap();
    idle.write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let closed = closed_within(&mut idle, Duration::from_secs(4))
        .await
        .expect("idle keep-alive connection closed");
    assert!(
        closed > Duration::from_millis(1500) && closed < Duration::from_millis(3000),
        "{closed:?}"
    );
}

#[tokio::test]
async fn a_slow_body_gets_408() {
    let limits = Limits {
        body_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let s = TestServer::builder(Backend::Sqlite)
        .limits(limits)
        .connections(ConnectionLimits::default())
        .start()
        .await;
    let mut stream = TcpStream::connect(s.addr()).await.unwrap();
    stream
        .write_all(
            b"POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\n\r\n{\"assets\": [",
        )
        .await
        .unwrap();
    let response = tokio::time::timeout(Duration::from_secs(3), async {
        let mut buf = vec![0u8; 4096];
        let n = stream.read(&mut buf).await.unwrap();
        String::from_utf8_lossy(&buf[..n]).into_owned()
    })
    .await
    .expect("answered within the body timeout");
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert!(response.contains("REQUEST_TIMEOUT"), "{response}");
}

// ---------------------------------------------------------------------------------------------
// Caps
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn connections_beyond_the_caps_get_503_or_429_and_the_others_are_served() {
    let connections = ConnectionLimits {
        max_connections: 3,
        max_connections_per_client: 0,
        ..ConnectionLimits::default()
    };
    let s = TestServer::builder(Backend::Sqlite)
        .limits(Limits::default())
        .connections(connections)
        .start()
        .await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    // One keep-alive client in service, then two idle sockets fill the server.
    assert_eq!(
        client.get(s.url("/health")).send().await.unwrap().status(),
        200
    );
    let _a = TcpStream::connect(s.addr()).await.unwrap();
    let _b = TcpStream::connect(s.addr()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut extra = TcpStream::connect(s.addr()).await.unwrap();
    extra
        .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let response = read_response(&mut extra).await;
    assert!(response.starts_with("HTTP/1.1 503"), "{response}");
    assert!(response.contains("retry-after: 1"), "{response}");
    let body: Value = serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_error(&body, "SERVER_BUSY");
    // The client already connected keeps being served.
    for _ in 0..3 {
        assert_eq!(
            client.get(s.url("/health")).send().await.unwrap().status(),
            200
        );
    }

    // Per client.
    let per_client = ConnectionLimits {
        max_connections_per_client: 2,
        ..ConnectionLimits::default()
    };
    let s = TestServer::builder(Backend::Sqlite)
        .limits(Limits::default())
        .connections(per_client)
        .start()
        .await;
    let _a = TcpStream::connect(s.addr()).await.unwrap();
    let _b = TcpStream::connect(s.addr()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut extra = TcpStream::connect(s.addr()).await.unwrap();
    extra
        .write_all(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let response = read_response(&mut extra).await;
    assert!(response.starts_with("HTTP/1.1 429"), "{response}");
    let body: Value = serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert_error(&body, "TOO_MANY_CONNECTIONS");
}

#[tokio::test]
async fn one_client_holding_1100_idle_sockets_does_not_take_the_service_down() {
    let connections = ConnectionLimits {
        header_timeout: Duration::from_secs(2),
        ..ConnectionLimits::default()
    };
    let s = TestServer::builder(Backend::Sqlite)
        .limits(Limits::default())
        .connections(connections)
        .start()
        .await;
    // The abuser connects from another loopback address than the honest client.
    let mut idle = Vec::new();
    for _ in 0..1100 {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
        idle.push(socket.connect(s.addr()).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // The honest client is served at once, reads and writes.
    for brief in ["Raise $100M", "Raise $120M"] {
        let started = Instant::now();
        let (status, body) = s.post("/api/runs", &demo_request(brief)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(s.get("/api/runs").await.0, StatusCode::OK);
    }
    // Beyond its 256 connections the abuser was refused (429, or just closed once 64
    // refusals are being written); the rest are closed by the header timeout.
    let mut refused = 0;
    let mut closed = 0;
    let deadline = Instant::now() + Duration::from_secs(4);
    for stream in &mut idle {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut buf = vec![0u8; 1024];
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => {
                assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 429"));
                refused += 1;
            }
            Ok(_) => closed += 1,
            Err(_) => panic!("an idle socket outlived the header timeout"),
        }
    }
    assert!(refused > 0, "no 429");
    assert_eq!(refused + closed, 1100);
}

/// A request held in flight by a body that never finishes.
async fn hold_in_flight(addr: std::net::SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            b"POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n{",
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    stream
}

#[tokio::test]
async fn requests_beyond_the_in_flight_cap_get_503_with_retry_after() {
    let limits = Limits {
        max_in_flight: 1,
        ..Limits::default()
    };
    let s = TestServer::builder(Backend::Sqlite)
        .limits(limits)
        .connections(ConnectionLimits::default())
        .start()
        .await;
    let _held = hold_in_flight(s.addr()).await;
    let res = s.client().get(s.url("/api/runs")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers()["retry-after"], "1");
    assert_error(&res.json().await.unwrap(), "SERVER_BUSY");
    // Probes are never refused.
    assert_eq!(s.get("/health").await.0, StatusCode::OK);
    assert_eq!(s.get("/ready").await.0, StatusCode::OK);
}

/// A request whose headers promise a maximum-size body that never comes.
async fn promise_a_big_body(addr: std::net::SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            format!(
                "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                 Content-Length: {}\r\n\r\n{{",
                server::DEFAULT_BODY_LIMIT
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    stream
}

#[tokio::test]
async fn large_bodies_beyond_the_body_memory_wait_then_get_503() {
    let limits = Limits {
        body_memory: 1,
        body_timeout: Duration::from_millis(600),
        ..Limits::default()
    };
    let s = TestServer::builder(Backend::Sqlite)
        .limits(limits)
        .connections(ConnectionLimits::default())
        .start()
        .await;
    // The budget is one body at the body limit. One maximum-size body holds all of it (until
    // its body times out at 600 ms); a second waits for it, then holds it until 1.2 s.
    let _first = promise_a_big_body(s.addr()).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let _second = promise_a_big_body(s.addr()).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    // A small body queued behind them waits its 600 ms, then gets 503.
    let started = Instant::now();
    let (status, body) = s.post("/api/runs", &demo_request("Raise $100M")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_error(&body, "SERVER_BUSY");
    assert!(started.elapsed() >= Duration::from_millis(500));
    // Once the big bodies have timed out there is room again.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let (status, body) = s.post("/api/runs", &demo_request("Raise $100M")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn clients_beyond_their_rate_get_429() {
    let limits = Limits {
        rate_limit: Some(RateLimit {
            per_second: 2.0,
            burst: 3.0,
        }),
        ..Limits::default()
    };
    let s = TestServer::builder(Backend::Sqlite)
        .limits(limits)
        .connections(ConnectionLimits::default())
        .start()
        .await;
    for _ in 0..3 {
        assert_eq!(s.get("/api/runs").await.0, StatusCode::OK);
    }
    let res = s.client().get(s.url("/api/runs")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()["retry-after"], "1");
    assert_error(&res.json().await.unwrap(), "RATE_LIMITED");
    // Probes and the UI's files are not counted.
    assert_eq!(s.get("/health").await.0, StatusCode::OK);
    assert_eq!(
        s.client().get(s.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
    // Another client (a bearer token is its own client) has its own budget.
    let res = s
        .client()
        .get(s.url("/api/runs"))
        .bearer_auth("slb_someone_else")
        .send()
        .await
        .unwrap();
    assert_ne!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // Half a second later the bucket has a token again.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(s.get("/api/runs").await.0, StatusCode::OK);
}

// ---------------------------------------------------------------------------------------------
// Hosts, headers, request ids
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn hosts_outside_the_allowlist_get_421() {
    let s = TestServer::sqlite().await;
    let port = s.addr().port();
    for host in ["evil.example", "evil.example:80", "127.0.0.2"] {
        let res = s
            .client()
            .get(s.url("/api/runs"))
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::MISDIRECTED_REQUEST, "{host}");
        assert_error(&res.json().await.unwrap(), "HOST_NOT_ALLOWED");
        // The UI too: a rebinding page gets nothing.
        let res = s
            .client()
            .get(s.url("/"))
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::MISDIRECTED_REQUEST, "{host}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "LOCALHOST".to_owned(),
    ] {
        let res = s
            .client()
            .get(s.url("/api/runs"))
            .header("host", &host)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{host}");
    }
    // Probes answer whatever the host (load balancers probe by address).
    let res = s
        .client()
        .get(s.url("/health"))
        .header("host", "10.1.2.3")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // A configured name is allowed; `*` allows any.
    let limits = Limits {
        allowed_hosts: server::AllowedHosts::parse("planner.example.com"),
        ..Limits::default()
    };
    let s = TestServer::builder(Backend::Sqlite)
        .limits(limits)
        .connections(ConnectionLimits::default())
        .start()
        .await;
    let res = s
        .client()
        .get(s.url("/api/runs"))
        .header("host", "planner.example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_ui_has_security_headers_its_page_satisfies() {
    let s = TestServer::sqlite().await;
    let res = s.client().get(s.url("/")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let headers = res.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // The page itself needs nothing the policy forbids: no inline script, style element or
    // style attribute, no event-handler attribute.
    let html = res.text().await.unwrap().to_lowercase();
    for script in html.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap();
        assert!(
            tag.contains("src="),
            "inline script in the UI page: <script{tag}>"
        );
    }
    assert!(
        !html.contains("<style"),
        "inline style element in the UI page"
    );
    assert!(!html.contains(" style="), "style attribute in the UI page");
    assert!(!html.contains(" onload=") && !html.contains(" onclick="));
    // API answers carry the headers too.
    let res = s.client().get(s.url("/api/runs")).send().await.unwrap();
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(
        res.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
}

// ---------------------------------------------------------------------------------------------
// Bodies and ids (both stores)
// ---------------------------------------------------------------------------------------------

async fn bad_bodies_are_422_naming_the_field(s: &TestServer) {
    // Trailing garbage after the JSON value.
    let good = demo_request("Raise $100M").to_string();
    for tail in [" garbage", "{}", "]", " 1"] {
        let (status, body) = s.post_raw("/api/runs", format!("{good}{tail}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{tail}: {body}");
        assert_error(&body, "INVALID_REQUEST");
    }
    // Trailing whitespace is fine.
    let (status, body) = s.post_raw("/api/runs", format!("{good} \n")).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // NUL characters, wherever they are.
    let mut request = demo_request("Raise \u{0}$100M");
    request["assets"][2]["asset_id"] = json!("A\u{0}3");
    request["assets"][4]["tenant_name"] = json!("\u{0}");
    let (status, body) = s.post("/api/runs", &request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_error(&body, "INVALID_REQUEST");
    let mut named = fields(&body);
    named.sort();
    assert_eq!(
        named,
        [
            "assets[2].asset_id",
            "assets[4].tenant_name",
            "program_description"
        ]
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("NUL")
    );
    // An escaped backslash followed by "u0000" is text, not a NUL.
    let (status, body) = s
        .post("/api/runs", &demo_request("Raise $100M \\u0000 literally"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // In the query and the scenario set body too.
    let (status, body) = s
        .post("/api/runs?fund_id=F%00", &demo_request("Raise $100M"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["fund_id"]);
    let (status, body) = s
        .post(
            "/api/scenario_sets",
            &json!({"brief": "Raise\u{0}", "base_request": demo_request("x"), "fund_id": "F\u{0}"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let mut named = fields(&body);
    named.sort();
    assert_eq!(named, ["brief", "fund_id"]);

    // Over-long ids and descriptions.
    let long_id = "x".repeat(201);
    let mut request = demo_request(&"d".repeat(10_001));
    request["assets"][0]["asset_id"] = json!(long_id);
    let (status, body) = s.post("/api/runs", &request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let mut named = fields(&body);
    named.sort();
    assert_eq!(named, ["assets[0].asset_id", "program_description"]);
    // At the limits exactly, fine (characters, not bytes).
    let mut request = demo_request(&"é".repeat(10_000));
    request["assets"][0]["asset_id"] = json!("é".repeat(200));
    let (status, body) = s.post("/api/runs", &request).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = s
        .post(&format!("/api/runs?fund_id={long_id}"), &demo_request("x"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["fund_id"]);
    let (status, body) = s.get(&format!("/api/runs/{long_id}")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["run_id"]);
    let (status, _) = s.get(&format!("/api/runs?before={long_id}")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = s.get(&format!("/api/scenario_sets/{long_id}")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Nothing of the above was stored except the three good runs.
    let (_, runs) = s.get("/api/runs?limit=100").await;
    assert_eq!(runs.as_array().unwrap().len(), 3, "{runs}");
}

async fn idempotent_retries_get_the_stored_result(s: &TestServer) {
    let request = demo_request("Raise $120M from stores");
    let post = |key: &'static str, body: Value, path: &'static str| {
        let client = s.client().clone();
        let url = s.url(path);
        async move {
            let res = client
                .post(url)
                .header("idempotency-key", key)
                .json(&body)
                .send()
                .await
                .unwrap();
            let replayed = res.headers().get("idempotent-replayed").is_some();
            (res.status(), replayed, res.json::<Value>().await.unwrap())
        }
    };
    let (status, replayed, first) = post("key-1", request.clone(), "/api/runs?fund_id=F").await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert!(!replayed);
    let (status, replayed, again) = post("key-1", request.clone(), "/api/runs?fund_id=F").await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert!(replayed);
    assert_eq!(again, first, "a retry gets the stored answer");
    // The same key with another body, or another fund, is refused.
    let (status, _, body) = post("key-1", demo_request("Raise $1"), "/api/runs?fund_id=F").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_error(&body, "IDEMPOTENCY_KEY_REUSED");
    let (status, _, body) = post("key-1", request.clone(), "/api/runs?fund_id=G").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Concurrent requests with one key store one run.
    let racers: Vec<_> = (0..6)
        .map(|_| tokio::spawn(post("key-2", request.clone(), "/api/runs?fund_id=F")))
        .collect();
    let mut ids = Vec::new();
    for racer in racers {
        let (status, _, body) = racer.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{body}");
        ids.push(body["run_id"].as_str().unwrap().to_owned());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let (_, runs) = s.get("/api/runs?fund_id=F").await;
    assert_eq!(runs.as_array().unwrap().len(), 2, "{runs}");
    // Bad keys.
    let (status, _, body) = post("", request.clone(), "/api/runs").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["Idempotency-Key"]);
    let long: &'static str = Box::leak("k".repeat(201).into_boxed_str());
    let (status, _, _) = post(long, request.clone(), "/api/runs").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Scenario sets.
    let set = json!({"brief": "Raise $150M", "base_request": demo_request("Raise $150M"), "num_scenarios": 2});
    let (status, replayed, first) = post("set-1", set.clone(), "/api/scenario_sets").await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert!(!replayed);
    let (status, replayed, again) = post("set-1", set.clone(), "/api/scenario_sets").await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(replayed);
    assert_eq!(again, first);
    // A key of a run is not a key of a set.
    let (status, _, _) = post("key-1", set, "/api/scenario_sets").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, sets) = s.get("/api/scenario_sets").await;
    assert_eq!(sets.as_array().unwrap().len(), 1);
}

mod sqlite {
    use super::*;

    #[tokio::test]
    async fn bad_bodies() {
        bad_bodies_are_422_naming_the_field(&TestServer::sqlite().await).await;
    }

    #[tokio::test]
    async fn idempotency() {
        idempotent_retries_get_the_stored_result(&TestServer::sqlite().await).await;
    }
}

mod postgres {
    use super::*;

    #[tokio::test]
    async fn bad_bodies() {
        bad_bodies_are_422_naming_the_field(&TestServer::postgres().await).await;
    }

    #[tokio::test]
    async fn idempotency() {
        idempotent_retries_get_the_stored_result(&TestServer::postgres().await).await;
    }
}

#[tokio::test]
async fn too_many_assets_and_too_many_errors() {
    let limits = Limits {
        max_assets: 10,
        ..Limits::default()
    };
    let s = TestServer::builder(Backend::Sqlite)
        .limits(limits)
        .connections(ConnectionLimits::default())
        .start()
        .await;
    let (status, body) = s.post("/api/runs", &demo_request("Raise $1M")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(fields(&body), ["assets"]);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("at most 10 assets")
    );

    // A 422 lists the first 50 problems and counts the rest.
    let s = TestServer::sqlite().await;
    let mut request = demo_request("Raise $1M");
    for asset in request["assets"].as_array_mut().unwrap() {
        asset["noi"] = json!(-1.0);
        asset["criticality"] = json!(7.0);
    }
    let (status, body) = s.post("/api/runs", &request).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 51);
    assert_eq!(errors[50]["message"], "and 46 more errors (96 in all)");
}

#[tokio::test]
async fn listings_cut_long_descriptions() {
    let s = TestServer::sqlite().await;
    // A run stored before descriptions were capped.
    let (_, created) = s.post("/api/runs", &demo_request("Raise $100M")).await;
    let id = created["run_id"].as_str().unwrap();
    let mut run = s.store().get_run(id).await.unwrap().unwrap();
    run.run_id = "old-run".into();
    run.program_description = "long ".repeat(4000);
    s.store().insert_run(&run).await.unwrap();

    let (_, runs) = s.get("/api/runs").await;
    let listed = runs
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["run_id"] == "old-run")
        .unwrap();
    let text = listed["program_description"].as_str().unwrap();
    assert_eq!(text.chars().count(), 10_000);
    assert!(text.ends_with('…'));
    // The run itself keeps the whole text.
    let (_, whole) = s.get("/api/runs/old-run").await;
    assert_eq!(whole["program_description"].as_str().unwrap().len(), 20_000);
}
