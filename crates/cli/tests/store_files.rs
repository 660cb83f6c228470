//! The SQLite file under `slb serve`, as a process: a corrupt, truncated, empty or read-only
//! database refuses to start with a precise message (and is left as it was); SIGTERM leaves the
//! WAL merged into the database file; `slb backup` copies a running store consistently.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use serde_json::Value;
use support::{Served, slb, stderr, stdout};
use testkit::requests::demo_request;

fn create_runs(server: &Served, n: usize) -> Vec<String> {
    let client = Client::new();
    (0..n)
        .map(|i| {
            let res = client
                .post(server.url("/api/runs"))
                .json(&demo_request(&format!("Raise ${}M", 100 + i)))
                .send()
                .unwrap();
            assert_eq!(res.status(), 201);
            res.json::<Value>().unwrap()["run_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

fn listed_runs(server: &Served) -> usize {
    Client::new()
        .get(server.url("/api/runs?limit=100"))
        .send()
        .unwrap()
        .json::<Value>()
        .unwrap()
        .as_array()
        .unwrap()
        .len()
}

fn sigterm(server: &mut Served) {
    let pid = server.child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    assert!(server.child.wait().unwrap().success());
}

/// A data directory holding a sound store with `runs` runs, cleanly stopped.
fn sound_store(runs: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Served::start(dir.path(), &[]);
    create_runs(&server, runs);
    sigterm(&mut server);
    dir
}

/// `slb serve` on `dir`: it must exit 2 quickly, saying `expected`.
fn refuses(dir: &Path, expected: &str) {
    let started = Instant::now();
    let out = slb()
        .args(["serve", "--port", "0", "--data-dir"])
        .arg(dir)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(expected), "expected {expected:?} in: {err}");
    assert!(err.contains("slb.db"), "the message names the file: {err}");
    assert!(!stdout(&out).contains("SLB_LISTENING"));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn broken_databases_refuse_to_start_with_a_precise_message() {
    let sound = sound_store(3);
    let db = std::fs::read(sound.path().join("slb.db")).unwrap();
    let page = usize::from(u16::from_be_bytes([db[16], db[17]]));
    assert!(db.len() >= 4 * page, "a store of a few pages");

    let case = |bytes: &[u8], expected: &str| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("slb.db");
        std::fs::write(&path, bytes).unwrap();
        refuses(dir.path(), expected);
        // Left exactly as it was: never replaced by an empty store.
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
    };
    case(b"", "is empty (0 bytes)");
    case(
        b"this is a text file, not a database\n",
        "is not an SQLite database",
    );
    case(&db[..db.len() / page / 2 * page], "is truncated");
    case(&db[..db.len() - 100], "is truncated");
    // Garbage over the page headers of every page after the first.
    let mut damaged = db.clone();
    for start in (page..damaged.len()).step_by(page) {
        damaged[start..start + 16].copy_from_slice(b"\xde\xad\xbe\xef garbage!!!!");
    }
    case(&damaged, "is corrupt");

    // Read-only.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slb.db");
    std::fs::write(&path, &db).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    refuses(dir.path(), "is read-only");

    // The sound copy still starts and holds its runs.
    let server = Served::start(sound.path(), &[]);
    assert_eq!(listed_runs(&server), 3);
}

#[test]
fn sigterm_merges_the_wal_into_the_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Served::start(dir.path(), &[]);
    create_runs(&server, 5);
    let wal = dir.path().join("slb.db-wal");
    assert!(wal.exists(), "WAL mode");
    sigterm(&mut server);
    assert!(
        std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
        "the WAL is merged and truncated at shutdown"
    );
    // The database file alone holds every run.
    let alone = tempfile::tempdir().unwrap();
    std::fs::copy(dir.path().join("slb.db"), alone.path().join("slb.db")).unwrap();
    let server = Served::start(alone.path(), &[]);
    assert_eq!(listed_runs(&server), 5);
}

#[test]
fn backup_copies_a_running_store() {
    let dir = tempfile::tempdir().unwrap();
    let server = Served::start(dir.path(), &[]);
    let ids = create_runs(&server, 3);
    let copies = tempfile::tempdir().unwrap();
    let to = copies.path().join("backup.db");

    // While the server runs (its last runs may still be in the WAL).
    let out = slb()
        .args(["backup", "--data-dir"])
        .arg(dir.path())
        .arg("--to")
        .arg(&to)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("3 runs"), "{}", stdout(&out));

    // Never over an existing file.
    let again = slb()
        .args(["backup", "--data-dir"])
        .arg(dir.path())
        .arg("--to")
        .arg(&to)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );

    // The copy opens as a store and holds the runs.
    let restored = tempfile::tempdir().unwrap();
    std::fs::copy(&to, restored.path().join("slb.db")).unwrap();
    let copy = Served::start(restored.path(), &[]);
    assert_eq!(listed_runs(&copy), 3);
    for id in &ids {
        let res = Client::new()
            .get(copy.url(&format!("/api/runs/{id}")))
            .send()
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    drop(server);

    // PostgreSQL has its own tools.
    let out = slb()
        .args([
            "backup",
            "--to",
            "x.dump",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/db",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("pg_dump"), "{}", stderr(&out));
}
