//! The analyst workflows on the 1k / 10k-asset benchmark portfolios (`fixtures/bench`):
//!
//! * `analyses/frontier/<size>/<metric>`: a 20-point frontier of gross proceeds against the
//!   metric, under a fixed-charge-coverage limit at 90 % of the baseline and at most 40 %
//!   critical NOI.
//! * `analyses/sensitivity/<size>/<strategy>`: a 5 × 5 grid of cap-rate shift (−100 … +100
//!   bps) by target (60 % … 140 % of a base target), each cell a program of the strategy.
//!
//! Both run in parallel on rayon's pool (all cores of the machine).

use std::hint::black_box;
use std::path::PathBuf;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use engine::EngineConfig;
use engine::analysis::{AnalysisInput, GridInput, frontier, no_progress, sensitivity};
use engine::model::{
    CorporateState, FrontierMetric, HardConstraints, Objective, Portfolio, SelectionStrategy,
    SelectorSpec, SensitivityAxis, SensitivityParameter,
};
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures")
}

struct Case {
    assets: Portfolio,
    state: CorporateState,
    spec: SelectorSpec,
}

fn case(size: usize) -> Case {
    let path = fixtures().join(format!("bench/request_{size}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let request: Value = serde_json::from_str(&text).expect("valid JSON");
    let assets: Portfolio = serde_json::from_value(request["assets"].clone()).expect("assets");
    let state: CorporateState =
        serde_json::from_value(request["corporate_state"].clone()).expect("state");
    let fixed_charges = state.interest_expense + state.lease_expense.unwrap_or(0.0);
    let hard = HardConstraints {
        min_fixed_charge_coverage: Some(0.9 * state.ebitda / fixed_charges),
        max_critical_fraction: Some(0.4),
        ..HardConstraints::default()
    };
    let config = EngineConfig::default();
    let total: f64 = assets
        .assets()
        .iter()
        .map(|a| engine::economics::asset_metrics(a, &config).proceeds)
        .sum();
    let spec = SelectorSpec {
        hard_constraints: hard,
        ..SelectorSpec::new(Objective::MaximizeProceeds, 0.3 * total)
    };
    Case {
        assets,
        state,
        spec,
    }
}

fn frontiers(c: &mut Criterion) {
    let config = EngineConfig::default();
    let mut group = c.benchmark_group("analyses/frontier");
    group.sample_size(10);
    for size in [1000, 10000] {
        let case = case(size);
        for metric in [
            FrontierMetric::NewRent,
            FrontierMetric::LeaseAdjustedLeverage,
            FrontierMetric::CriticalFraction,
        ] {
            let input = AnalysisInput {
                portfolio: &case.assets,
                state: &case.state,
                spec: &case.spec,
                config: &config,
                strategy: SelectionStrategy::Optimal,
            };
            group.bench_with_input(
                BenchmarkId::new(size.to_string(), metric.as_str()),
                &input,
                |b, input| b.iter(|| black_box(frontier(input, metric, 20, &no_progress))),
            );
        }
    }
    group.finish();
}

fn grids(c: &mut Criterion) {
    let config = EngineConfig::default();
    let mut group = c.benchmark_group("analyses/sensitivity");
    group.sample_size(10);
    for size in [1000, 10000] {
        let case = case(size);
        let target = case.spec.target_amount;
        let axes = vec![
            SensitivityAxis {
                parameter: SensitivityParameter::CapRateShiftBps,
                values: vec![-100.0, -50.0, 0.0, 50.0, 100.0],
            },
            SensitivityAxis {
                parameter: SensitivityParameter::TargetAmount,
                values: [0.6, 0.8, 1.0, 1.2, 1.4].map(|f| f * target).to_vec(),
            },
        ];
        for strategy in [SelectionStrategy::Greedy, SelectionStrategy::Optimal] {
            let input = GridInput {
                portfolio: &case.assets,
                state: &case.state,
                spec: &case.spec,
                base_config: &config,
                assumptions: None,
                strategy,
            };
            group.bench_with_input(
                BenchmarkId::new(size.to_string(), strategy.as_str()),
                &input,
                |b, input| b.iter(|| black_box(sensitivity(input, &axes, &no_progress))),
            );
        }
    }
    group.finish();
}

criterion_group!(benches, frontiers, grids);
criterion_main!(benches);
