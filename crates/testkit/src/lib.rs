//! Test support shared by the agent, store, server and CLI tests and the benchmarks.

pub mod chat_server;
pub mod postgres;

use std::path::PathBuf;

/// The workspace root (the folder holding the top-level Cargo.toml).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/fixtures` beside the repository.
pub fn fixtures_dir() -> PathBuf {
    workspace_root().join("../shared/fixtures")
}
