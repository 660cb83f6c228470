//! A throw-away PostgreSQL server for tests.
//!
//! `SLB_TEST_POSTGRES_URL` points the tests at an existing server. Otherwise the first test that
//! asks starts a private server (initdb into a temp dir, loopback only, fsync off) from the
//! Debian `postgresql` binaries, shared by the test binary and stopped when the process exits.
//! Each test gets its own fresh database, so tests never see each other's rows.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

struct Server {
    base_url: String,
}

static SERVER: OnceLock<Server> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// URL of a new, empty database on the test server.
pub fn fresh_database_url() -> String {
    let server = SERVER.get_or_init(start_server);
    let name = format!(
        "slb_test_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::Relaxed)
    );
    psql(&server.base_url, &format!("CREATE DATABASE {name}"));
    format!("{}/{name}", server.base_url.trim_end_matches("/postgres"))
}

fn psql(url: &str, sql: &str) {
    let status = Command::new(bin_dir().join("psql"))
        .args([url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .status()
        .expect("run psql");
    assert!(status.success(), "psql failed: {sql}");
}

fn bin_dir() -> PathBuf {
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    candidates.sort();
    candidates
        .into_iter()
        .rev()
        .find(|p| p.join("initdb").exists())
        .expect(
            "PostgreSQL binaries not found under /usr/lib/postgresql: install the Debian package \
         `postgresql` (scripts/test.sh does), or set SLB_TEST_POSTGRES_URL",
        )
}

fn start_server() -> Server {
    if let Ok(url) = std::env::var("SLB_TEST_POSTGRES_URL") {
        return Server { base_url: url };
    }
    // Statics are never dropped, so the directory is removed by the exit hook instead.
    let dir = tempfile::Builder::new()
        .prefix("slb-pg-")
        .tempdir()
        .expect("temp dir");
    let data = dir.path().join("data");
    let port = free_port();
    let as_root = running_as_root();
    if as_root {
        // PostgreSQL refuses to run as root: hand the directory to the `postgres` user.
        run(Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(dir.path()));
    }
    let pg = |args: &[&str]| {
        let bin = bin_dir();
        let mut cmd = if as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(bin.join(args[0]));
            c
        } else {
            Command::new(bin.join(args[0]))
        };
        cmd.args(&args[1..]);
        cmd
    };
    let data_s = data.to_str().unwrap();
    run(&mut pg(&[
        "initdb",
        "-D",
        data_s,
        "-U",
        "postgres",
        "--auth=trust",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    ]));
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300",
        dir.path().display()
    );
    let log = dir.path().join("server.log");
    run(&mut pg(&[
        "pg_ctl",
        "-D",
        data_s,
        "-l",
        log.to_str().unwrap(),
        "-o",
        &opts,
        "-w",
        "start",
    ]));
    register_stop(
        pg(&["pg_ctl", "-D", data_s, "-m", "immediate", "-w", "stop"]),
        dir.keep(),
    );
    Server {
        base_url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
    }
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("spawn");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn running_as_root() -> bool {
    Path::new("/proc/self/status").exists()
        && std::fs::read_to_string("/proc/self/status")
            .map(|s| {
                s.lines()
                    .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
            })
            .unwrap_or(false)
}

/// Stops the server and removes its directory when the test process exits.
fn register_stop(cmd: Command, dir: PathBuf) {
    static STOP: OnceLock<std::sync::Mutex<Option<(Command, PathBuf)>>> = OnceLock::new();
    STOP.get_or_init(|| std::sync::Mutex::new(Some((cmd, dir))));
    extern "C" fn stop_at_exit() {
        if let Some(lock) = STOP.get()
            && let Some((mut cmd, dir)) = lock.lock().ok().and_then(|mut c| c.take())
        {
            let _ = cmd.output();
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    unsafe extern "C" {
        fn atexit(f: extern "C" fn()) -> i32;
    }
    // SAFETY: registering a plain function with the C runtime's exit handlers.
    unsafe {
        atexit(stop_at_exit);
    }
}

/// A PostgreSQL server of its own, for tests that stop and restart the database (an outage):
/// initdb into a temp dir, loopback only, fsync off. Stopped and removed when dropped.
pub struct PrivateServer {
    dir: tempfile::TempDir,
    port: u16,
    as_root: bool,
}

impl PrivateServer {
    /// Creates and starts the server.
    pub fn start() -> PrivateServer {
        let dir = tempfile::Builder::new()
            .prefix("slb-pg-private-")
            .tempdir()
            .expect("temp dir");
        let server = PrivateServer {
            port: free_port(),
            as_root: running_as_root(),
            dir,
        };
        if server.as_root {
            run(Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(server.dir.path()));
        }
        let data = server.data();
        run(&mut server.pg(&[
            "initdb",
            "-D",
            &data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ]));
        server.restart();
        server
    }

    fn data(&self) -> String {
        self.dir.path().join("data").to_string_lossy().into_owned()
    }

    fn pg(&self, args: &[&str]) -> Command {
        let bin = bin_dir();
        let mut cmd = if self.as_root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(bin.join(args[0]));
            c
        } else {
            Command::new(bin.join(args[0]))
        };
        cmd.args(&args[1..]);
        cmd
    }

    /// `postgres://…/postgres` of this server.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server (fast shutdown: connections are cut).
    pub fn stop(&self) {
        run(&mut self.pg(&["pg_ctl", "-D", &self.data(), "-m", "fast", "-w", "stop"]));
    }

    /// Starts the (stopped) server again on the same port and data.
    pub fn restart(&self) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log");
        run(&mut self.pg(&[
            "pg_ctl",
            "-D",
            &self.data(),
            "-l",
            log.to_str().unwrap(),
            "-o",
            &opts,
            "-w",
            "start",
        ]));
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = self
            .pg(&[
                "pg_ctl",
                "-D",
                &self.data(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ])
            .output();
    }
}
