//! Greedy selection on generated portfolios of 1k, 10k and 100k assets.
//!
//! The target is about 60 % of the portfolio's proceeds and the constraints are loose, so the
//! walk accepts most candidates before it stops: the case where the reference's per-candidate
//! re-check was quadratic.
//!
//! Selection runs on a [`Portfolio`], as in the product: a request's portfolio is prepared
//! (its selection columns built) once, when the request is parsed, and the revision loop and
//! every scenario variant select from it again. `prepare_portfolio/N` measures that one-off
//! preparation, so the trade stays visible.

use std::hint::black_box;

/// The `slb` binary runs on mimalloc; measure with the allocator the product uses.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use engine::economics::asset_metrics;
use engine::model::{
    Asset, AssetType, CorporateState, HardConstraints, MarketTier, Objective, Portfolio,
    SelectorSpec,
};
use engine::{EngineConfig, credit_analysis, credit_insights, select_assets};

const MARKETS: [&str; 8] = [
    "Dallas, TX",
    "Austin, TX",
    "Chicago, IL",
    "New York, NY",
    "Phoenix, AZ",
    "Atlanta, GA",
    "Denver, CO",
    "Seattle, WA",
];

/// Deterministic pseudo-random numbers (Knuth's MMIX linear congruential generator).
struct Lcg(u64);

impl Lcg {
    /// Uniform in [0, 1).
    fn next_unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next_unit() * items.len() as f64) as usize]
    }
}

fn portfolio(n: usize) -> Portfolio {
    let mut rng = Lcg(42);
    let tiers = [
        MarketTier::Primary,
        MarketTier::Secondary,
        MarketTier::Tertiary,
    ];
    (0..n)
        .map(|i| {
            let noi = 200_000.0 + rng.next_unit() * 4_800_000.0;
            let mut asset = Asset::new(
                format!("A{i:06}"),
                rng.pick(AssetType::ALL),
                rng.pick(&MARKETS),
                noi,
                noi * 12.0,
                rng.next_unit(),
                rng.next_unit(),
            );
            asset.market_tier = Some(rng.pick(&tiers));
            asset
        })
        .collect()
}

/// A company carrying twice the portfolio's proceeds in debt at 3x leverage, and a spec asking
/// for 60 % of the proceeds under constraints the walk rarely hits.
fn scenario(assets: &[Asset], config: &EngineConfig) -> (CorporateState, SelectorSpec) {
    let total_proceeds: f64 = assets
        .iter()
        .map(|a| asset_metrics(a, config).proceeds)
        .sum();
    let net_debt = 2.0 * total_proceeds;
    let state = CorporateState {
        net_debt,
        ebitda: net_debt / 3.0,
        interest_expense: net_debt * 0.06,
        lease_expense: Some(net_debt * 0.01),
    };
    let spec = SelectorSpec {
        hard_constraints: HardConstraints {
            max_net_leverage: Some(4.0),
            min_interest_coverage: Some(1.5),
            min_fixed_charge_coverage: Some(1.0),
            max_critical_fraction: Some(0.3),
            ..HardConstraints::default()
        },
        ..SelectorSpec::new(Objective::Balanced, 0.6 * total_proceeds)
    };
    (state, spec)
}

fn bench_select_assets(c: &mut Criterion) {
    let config = EngineConfig::default();
    let mut group = c.benchmark_group("select_assets");
    for n in [1_000, 10_000, 100_000] {
        let assets = portfolio(n);
        let (state, spec) = scenario(&assets, &config);
        group.bench_with_input(BenchmarkId::from_parameter(n), &assets, |b, assets| {
            // Dropping the outcome is timed too: it holds picks, not assets, so it is cheap.
            b.iter(|| select_assets(black_box(assets), &state, &spec, &config));
        });
    }
    group.finish();
}

/// Selection plus the credit analysis and insights every response now carries: the
/// analysis must add little to a selection (the budget is 5 % at 10k assets).
fn bench_select_with_credit(c: &mut Criterion) {
    let config = EngineConfig::default();
    let mut group = c.benchmark_group("select_assets_with_credit");
    for n in [1_000, 10_000] {
        let assets = portfolio(n);
        let (state, spec) = scenario(&assets, &config);
        group.bench_with_input(BenchmarkId::from_parameter(n), &assets, |b, assets| {
            b.iter(|| {
                let outcome = select_assets(black_box(assets), &state, &spec, &config);
                let analysis =
                    credit_analysis(&outcome, &state, &spec.hard_constraints, &config, None);
                let insights = credit_insights(&outcome, &analysis, &state, &config);
                (outcome, analysis, insights)
            });
        });
    }
    group.finish();
}

fn bench_prepare_portfolio(c: &mut Criterion) {
    let mut group = c.benchmark_group("prepare_portfolio");
    for n in [1_000, 10_000, 100_000] {
        let assets = portfolio(n).to_vec();
        group.bench_with_input(BenchmarkId::from_parameter(n), &assets, |b, assets| {
            b.iter_batched(
                || assets.clone(),
                |assets| Portfolio::new(black_box(assets)),
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_select_assets,
    bench_select_with_credit,
    bench_prepare_portfolio
);
criterion_main!(benches);
