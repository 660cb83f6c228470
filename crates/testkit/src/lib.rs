//! Test support shared by every crate's tests and the benchmarks: one home for each harness.
//!
//! - `server` (feature `server`): the whole application on a loopback socket, either store.
//! - [`postgres`]: a throw-away PostgreSQL server and fresh databases on it.
//! - [`chat_server`]: a scripted OpenAI-compatible chat-completions endpoint.
//! - [`requests`]: the request bodies tests share (the demo portfolio).
//! - [`parity`]: the reference cases and how outputs are compared with them.
//! - [`workspace_root`], [`fixtures_dir`]: where the repository and `../shared/fixtures` are.

pub mod chat_server;
pub mod parity;
pub mod postgres;
pub mod requests;
#[cfg(feature = "server")]
pub mod server;

use std::path::PathBuf;

/// The workspace root (the folder holding the top-level Cargo.toml).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/fixtures` beside the repository.
pub fn fixtures_dir() -> PathBuf {
    workspace_root().join("../shared/fixtures")
}
