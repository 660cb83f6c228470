//! `slb frontier` and `slb sensitivity` from the command line: the frontier's points are
//! sorted and proven, a grid cell equals `slb evaluate` with the cell's values, and bad options
//! exit with code 2 naming the option and the rule.

mod support;

use serde_json::Value;
use support::{example, run, stderr, stdout};

#[test]
fn a_frontier_is_sorted_proven_and_marks_the_current_program() {
    let spec = example("demo_spec.json");
    let args = [
        "frontier", "--spec", &spec, "--metric", "new_rent", "--points", "6", "--json",
    ];
    let out = run(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let frontier: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let points = frontier["points"].as_array().unwrap();
    assert!((2..=6).contains(&points.len()), "{frontier}");
    for pair in points.windows(2) {
        assert!(pair[0]["proceeds"].as_f64() < pair[1]["proceeds"].as_f64());
        assert!(pair[0]["metric_value"].as_f64() < pair[1]["metric_value"].as_f64());
    }
    assert_eq!(frontier["proven"], true);
    assert!(frontier["current"]["proceeds"].as_f64().unwrap() >= 250e6 * 0.98);

    let table = run(&args[..args.len() - 1]);
    assert!(table.status.success(), "{}", stderr(&table));
    let text = stdout(&table);
    assert!(text.contains("Frontier: most gross proceeds for each ceiling on new rent"));
    assert!(text.contains("Current program (ok)"), "{text}");
}

#[test]
fn a_grid_cell_equals_evaluate_with_its_values() {
    let spec = example("demo_spec.json");
    let out = run(&[
        "sensitivity",
        "--spec",
        &spec,
        "--axis",
        "cap_rate_shift_bps=-50,0,50",
        "--axis",
        "target_amount=150e6,250e6",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let grid: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let cells = grid["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 6);
    // The demo spec's own values: no shift, a $250M target.
    assert_eq!(grid["base"]["row"], 1);
    assert_eq!(grid["base"]["col"], 1);
    let evaluated = run(&[
        "evaluate",
        "--spec",
        &spec,
        "--strategy",
        "optimal",
        "--json",
    ]);
    assert!(evaluated.status.success(), "{}", stderr(&evaluated));
    let body: Value = serde_json::from_str(&stdout(&evaluated)).unwrap();
    let cell = &cells[3];
    assert_eq!(
        (&cell["row"], &cell["col"]),
        (&Value::from(1), &Value::from(1))
    );
    assert_eq!(cell["proceeds"], body["outcome"]["proceeds"]);
    assert_eq!(cell["status"], body["outcome"]["status"]);
    assert_eq!(
        cell["assets_sold"].as_u64().unwrap() as usize,
        body["outcome"]["selected_assets"].as_array().unwrap().len()
    );
    assert_eq!(
        cell["after_tax_cost"],
        body["credit_analysis"]["transaction"]["slb_cost_of_capital"]
    );
}

#[test]
fn bad_options_exit_2_naming_the_option() {
    let spec = example("demo_spec.json");
    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "frontier", "--spec", &spec, "--metric", "new_rent", "--points", "51",
            ],
            "--points: must be between 2 and 50",
        ),
        (
            &["frontier", "--spec", &spec, "--metric", "ebitda"],
            "--metric",
        ),
        (
            &[
                "sensitivity",
                "--spec",
                &spec,
                "--axis",
                "rent_multiplier=1,1.1",
            ],
            "--axis: must have exactly 2 axes (got 1)",
        ),
        (
            &[
                "sensitivity",
                "--spec",
                &spec,
                "--axis",
                "cost_of_debt=0.05,0.9",
                "--axis",
                "target_amount=1e8,2e8",
            ],
            "--axis[0].values[1]: must be in (0, 0.5)",
        ),
        (
            &[
                "sensitivity",
                "--spec",
                &spec,
                "--axis",
                "cost_of_debt=",
                "--axis",
                "target_amount=1e8,2e8",
            ],
            "--axis[0].values: must have 2 to 9 values (got 0)",
        ),
    ];
    for (args, expected) in cases {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}
