//! Request bodies the tests share.

use serde_json::{Value, json};

/// The demo portfolio's company and assets (`examples/demo_portfolio.json`).
pub fn demo_portfolio() -> Value {
    let text =
        std::fs::read_to_string(crate::workspace_root().join("examples/demo_portfolio.json"))
            .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A run request on the demo portfolio with `brief` as the program description.
pub fn demo_request(brief: &str) -> Value {
    let portfolio = demo_portfolio();
    json!({
        "assets": portfolio["assets"],
        "corporate_state": portfolio["corporate_state"],
        "program_type": "slb",
        "program_description": brief,
    })
}
