//! The exact optimiser on the public optimality cases and on 1k / 10k-asset portfolios.
//!
//! * `optimal/public_cases/<objective>`: all 120 optimality cases in one iteration, each with
//!   the objective forced (divide by 120 for the mean per case).
//! * `optimal/portfolio/<size>/<scenario>`: the benchmark portfolios of `fixtures/bench`, under
//!   a leverage cap below the baseline (so several sales must cure it together) plus
//!   fixed-charge-coverage and critical-share limits.

use std::hint::black_box;
use std::path::PathBuf;

/// The `slb` binary runs on mimalloc; measure with the allocator the product uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use engine::EngineConfig;
use engine::model::{CorporateState, HardConstraints, Objective, Portfolio, SelectorSpec};
use engine::selection::optimal::{SearchLimits, select_optimal};
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures")
}

fn read(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("valid JSON")
}

struct Case {
    assets: Portfolio,
    state: CorporateState,
    spec: SelectorSpec,
}

fn public_cases() -> (EngineConfig, Vec<Case>) {
    let doc = read(fixtures().join("optimality/optimality_cases.json"));
    let config = serde_json::from_value(doc["engine_config"].clone()).expect("engine config");
    let cases = doc["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|case| Case {
            assets: serde_json::from_value(case["assets"].clone()).expect("assets"),
            state: serde_json::from_value(case["corporate_state"].clone()).expect("state"),
            spec: serde_json::from_value(case["spec"].clone()).expect("spec"),
        })
        .collect();
    (config, cases)
}

fn public(c: &mut Criterion) {
    let (config, cases) = public_cases();
    let limits = SearchLimits::default();
    let mut group = c.benchmark_group("optimal/public_cases");
    group.sample_size(10);
    for objective in Objective::ALL {
        group.bench_function(objective.as_str(), |b| {
            b.iter(|| {
                for case in &cases {
                    let spec = SelectorSpec {
                        objective: *objective,
                        ..case.spec.clone()
                    };
                    black_box(select_optimal(
                        &case.assets,
                        &case.state,
                        &spec,
                        &config,
                        &limits,
                    ));
                }
            })
        });
    }
    group.finish();
}

/// A benchmark portfolio with limits that bind: leverage capped 25 % below the baseline,
/// fixed-charge coverage at 90 % of the baseline, at most 15 % critical NOI (both bind on
/// the most proceeds), and a target of 1.6 times the repayment that cures the leverage.
fn portfolio(size: usize, objective: Objective) -> Case {
    let request = read(fixtures().join(format!("bench/request_{size}.json")));
    let assets: Portfolio = serde_json::from_value(request["assets"].clone()).expect("assets");
    let state: CorporateState =
        serde_json::from_value(request["corporate_state"].clone()).expect("state");
    let leverage = state.net_debt / state.ebitda;
    let fixed_charges = state.interest_expense + state.lease_expense.unwrap_or(0.0);
    let hard = HardConstraints {
        max_net_leverage: Some(0.75 * leverage),
        min_interest_coverage: None,
        min_fixed_charge_coverage: Some(0.9 * state.ebitda / fixed_charges),
        max_critical_fraction: Some(0.15),
        ..HardConstraints::default()
    };
    let cure = state.net_debt - 0.75 * leverage * state.ebitda;
    let spec = SelectorSpec {
        hard_constraints: hard,
        ..SelectorSpec::new(objective, 1.6 * cure)
    };
    Case {
        assets,
        state,
        spec,
    }
}

fn portfolios(c: &mut Criterion) {
    let config = EngineConfig::default();
    let limits = SearchLimits::default();
    let mut group = c.benchmark_group("optimal/portfolio");
    group.sample_size(10);
    for size in [1000, 10000] {
        for objective in Objective::ALL {
            let case = portfolio(size, *objective);
            group.bench_with_input(
                BenchmarkId::new(size.to_string(), objective.as_str()),
                &case,
                |b, case| {
                    b.iter(|| {
                        black_box(select_optimal(
                            &case.assets,
                            &case.state,
                            &case.spec,
                            &config,
                            &limits,
                        ))
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, public, portfolios);
criterion_main!(benches);
