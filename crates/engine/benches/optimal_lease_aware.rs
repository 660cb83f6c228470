//! The exact optimiser under the lease-aware limits (docs/credit.md §4) on the public
//! optimality cases: each case gets a lease-adjusted leverage cap 0.10x below its level before
//! any sale and a covenant leverage cap 0.20x below its own, with the default 25 % tax (so the
//! repayment rows carry each asset's taxable gain). Prints, per objective, the time per case
//! (median, 90th percentile, max), how many searches were proven and how many found a feasible
//! program. Targets: under 1 s per case at ≤ 200 eligible assets, median under 20 ms.
//!
//! `cargo bench -p slb-engine --bench optimal_lease_aware`

use std::path::PathBuf;
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use engine::model::{
    CorporateState, CreditMetricName, Objective, Portfolio, SelectionStatus, SelectorSpec,
};
use engine::selection::optimal::{SearchLimits, select_optimal};
use engine::{EngineConfig, credit_analysis, select_assets};
use serde_json::Value;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run only for bench.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/optimality/optimality_cases.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let config: EngineConfig = serde_json::from_value(doc["engine_config"].clone()).unwrap();
    let limits = SearchLimits::default();
    let cases: Vec<(Portfolio, CorporateState, SelectorSpec)> = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            (
                serde_json::from_value(case["assets"].clone()).unwrap(),
                serde_json::from_value(case["corporate_state"].clone()).unwrap(),
                serde_json::from_value(case["spec"].clone()).unwrap(),
            )
        })
        .collect();
    let largest = cases.iter().map(|(a, _, _)| a.len()).max().unwrap_or(0);
    println!(
        "{} optimality cases (up to {largest} assets), lease-adjusted cap = before − 0.10x, covenant cap = before − 0.20x, tax 25 %",
        cases.len()
    );
    println!(
        "{:<18} {:>10} {:>10} {:>10} {:>8} {:>9}",
        "objective", "median ms", "p90 ms", "max ms", "proven", "feasible"
    );
    for objective in Objective::ALL {
        let mut times = Vec::new();
        let (mut proven, mut feasible) = (0, 0);
        for (assets, state, spec) in &cases {
            let mut spec = SelectorSpec {
                objective: *objective,
                ..spec.clone()
            };
            // The lenses before any sale, from the engine's own analysis of an empty program.
            let nothing = SelectorSpec {
                target_amount: f64::MIN_POSITIVE,
                ..spec.clone()
            };
            let empty = select_assets(assets, state, &nothing, &config);
            let analysis = credit_analysis(&empty, state, &spec.hard_constraints, &config, None);
            let before = |name| analysis.metric(name).and_then(|m| m.before);
            spec.hard_constraints.max_lease_adjusted_leverage =
                before(CreditMetricName::LeaseAdjustedLeverage)
                    .map(|v| (v - 0.10).clamp(0.01, 19.99));
            spec.hard_constraints.max_covenant_leverage =
                before(CreditMetricName::CovenantLeverage).map(|v| (v - 0.20).clamp(0.01, 19.99));
            let started = Instant::now();
            let result = select_optimal(assets, state, &spec, &config, &limits);
            times.push(started.elapsed().as_secs_f64() * 1e3);
            proven += usize::from(result.report.proven);
            feasible += usize::from(result.outcome.status == SelectionStatus::Ok);
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        println!(
            "{:<18} {:>10.2} {:>10.2} {:>10.2} {:>8} {:>9}",
            objective.as_str(),
            at(0.5),
            at(0.9),
            at(1.0),
            format!("{proven}/{}", times.len()),
            feasible
        );
    }
}
