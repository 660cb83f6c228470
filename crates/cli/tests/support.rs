//! Running the real `slb` binary in tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

pub fn slb() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_slb"));
    // Tests never reach a real LLM: clear anything the environment might configure.
    for var in [
        "SLB_LLM_BASE_URL",
        "SLB_LLM_API_KEY",
        "OPENAI_API_KEY",
        "SLB_LLM_MODEL",
        "SLB_DATABASE_URL",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

pub fn run(args: &[&str]) -> Output {
    slb().args(args).output().expect("run slb")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn example(name: &str) -> String {
    testkit::workspace_root()
        .join("examples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// A `slb serve` process on a free loopback port.
pub struct Served {
    pub child: Child,
    pub base: String,
}

impl Served {
    pub fn start(data_dir: &Path, envs: &[(&str, &str)]) -> Served {
        let mut cmd = slb();
        cmd.args(["serve", "--port", "0", "--data-dir"])
            .arg(data_dir);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn slb serve");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("slb serve exited before listening")
                .unwrap();
            if let Some(url) = line.strip_prefix("SLB_LISTENING ") {
                break url.to_string();
            }
        };
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Served { child, base }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn kill_hard(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
