//! The proceeds frontier against a brute force over every subset of small portfolios: every
//! point is a feasible program (every other hard constraint and filter of the spec holds) with
//! the metric the point states, no feasible program dominates it, each point raises the most
//! any program under its ceiling raises, and the two ends are the most proceeds overall and
//! (to the documented bisection resolution) the lowest metric any program reaches.
//!
//! The metrics are recomputed here from their definitions (docs/credit.md §3), not read from
//! the engine; feasibility is the engine's constraint check (itself checked against the
//! reference), applied to every subset.

use engine::EngineConfig;
use engine::analysis::frontier::BISECTION_STEPS;
use engine::analysis::{AnalysisInput, frontier, no_progress};
use engine::constraints::satisfies_hard_constraints;
use engine::economics::{Contribution, SelectionTotals, asset_metrics, is_critical};
use engine::filters::apply_filters;
use engine::model::{
    Asset, Assumptions, CorporateState, Frontier, FrontierMetric, HardConstraints, Objective,
    Portfolio, SelectionStrategy, SelectorSpec,
};
use serde_json::json;

/// A small deterministic generator (no dependency, same cases on every machine).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

struct Case {
    assets: Portfolio,
    state: CorporateState,
    spec: SelectorSpec,
    config: EngineConfig,
}

fn case(seed: u64) -> Case {
    let mut rng = Lcg(seed.wrapping_mul(0x9E3779B97F4A7C15) | 1);
    let types = [
        "store",
        "distribution_center",
        "office",
        "mixed_use",
        "other",
    ];
    let count = 7 + (rng.next() * 5.0) as usize;
    let assets: Vec<Asset> = (0..count)
        .map(|i| {
            let noi = rng.between(0.5e6, 6e6);
            let book = noi / 0.07 * rng.between(0.3, 1.1);
            serde_json::from_value(json!({
                "asset_id": format!("A{i:02}"),
                "asset_type": types[(rng.next() * 5.0) as usize % 5],
                "market": "Dallas, TX",
                "noi": noi,
                "book_value": book,
                "criticality": (rng.next() * 100.0).round() / 100.0,
                "leaseability_score": 0.5,
                "market_tier": 1 + (rng.next() * 3.0) as i64 % 3,
                "tax_basis": if rng.next() < 0.5 { json!(book * 0.6) } else { json!(null) },
            }))
            .expect("asset")
        })
        .collect();
    let total_proceeds: f64 = assets.iter().map(|a| a.noi / 0.07).sum();
    // Net debt from a third to twice what the whole portfolio would raise: some programs
    // repay all of it, after which rent only adds to lease-adjusted leverage.
    let net_debt = total_proceeds * rng.between(0.3, 2.0);
    let ebitda = net_debt / rng.between(2.0, 6.0);
    let state: CorporateState = serde_json::from_value(json!({
        "net_debt": net_debt,
        "ebitda": ebitda,
        "interest_expense": net_debt * 0.06,
        "lease_expense": ebitda * rng.between(0.0, 0.2),
    }))
    .expect("state");
    let mut hard = HardConstraints::default();
    if rng.next() < 0.4 {
        hard.min_fixed_charge_coverage = Some(rng.between(1.0, 2.5));
    }
    if rng.next() < 0.3 {
        hard.max_critical_fraction = Some(rng.between(0.3, 0.9));
    }
    if rng.next() < 0.3 {
        hard.max_net_leverage = Some((net_debt / ebitda) * rng.between(0.7, 1.0));
    }
    let spec = SelectorSpec {
        hard_constraints: hard,
        ..SelectorSpec::new(Objective::Balanced, total_proceeds * 0.3)
    };
    // Higher cap rates and rent in some cases: selling then raises lease-adjusted leverage
    // even before the debt is repaid.
    let assumptions = Assumptions {
        cap_rate_shift_bps: Some(rng.between(-100.0, 400.0)),
        rent_multiplier: Some(rng.between(0.8, 1.4)),
        ..Assumptions::default()
    };
    Case {
        assets: Portfolio::new(assets),
        state,
        spec,
        config: EngineConfig::default().with_assumptions(&assumptions),
    }
}

/// One subset of the eligible assets, judged by the definitions.
struct Subset {
    ids: Vec<String>,
    proceeds: f64,
    feasible: bool,
    metric: Option<f64>,
}

/// The metric after selling a selection, from docs/credit.md §3.
fn metric_by_definition(
    metric: FrontierMetric,
    members: &[&Asset],
    state: &CorporateState,
    config: &EngineConfig,
) -> Option<f64> {
    let (mut proceeds, mut rent, mut gain, mut noi, mut critical_noi) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for asset in members {
        let metrics = asset_metrics(asset, config);
        proceeds += metrics.proceeds;
        rent += asset.noi * config.slb_rent_multiplier;
        gain += metrics.proceeds - asset.tax_basis.unwrap_or(asset.book_value);
        noi += asset.noi;
        if is_critical(asset, config) {
            critical_noi += asset.noi;
        }
    }
    let (nd, e, l0) = (
        state.net_debt,
        state.ebitda,
        state.lease_expense.unwrap_or(0.0),
    );
    let tax = config.credit.tax_rate * gain.max(0.0);
    let repaid_after_tax = nd.min(proceeds - tax);
    match metric {
        FrontierMetric::ReportedLeverage => Some((nd - proceeds.min(nd)) / e),
        FrontierMetric::LeaseAdjustedLeverage => {
            Some((nd - repaid_after_tax + config.credit.lease_multiple * (l0 + rent)) / (e + l0))
        }
        FrontierMetric::CovenantLeverage => {
            (e - rent > config.epsilon).then(|| (nd - repaid_after_tax) / (e - rent))
        }
        FrontierMetric::NewRent => Some(rent),
        FrontierMetric::CriticalFraction => Some(if noi > 0.0 { critical_noi / noi } else { 0.0 }),
    }
}

fn all_subsets(case: &Case, metric: FrontierMetric) -> Vec<Subset> {
    let eligible = apply_filters(&case.assets, &case.spec.asset_filters);
    (0u32..1 << eligible.len())
        .map(|mask| {
            let members: Vec<&Asset> = eligible
                .iter()
                .enumerate()
                .filter(|(bit, _)| mask >> bit & 1 == 1)
                .map(|(_, &(_, asset))| asset)
                .collect();
            let totals = members
                .iter()
                .fold(SelectionTotals::default(), |totals, asset| {
                    totals.with(Contribution::of_asset(
                        asset,
                        &asset_metrics(asset, &case.config),
                        &case.config,
                    ))
                });
            Subset {
                ids: members.iter().map(|a| a.asset_id.clone()).collect(),
                proceeds: totals.proceeds,
                feasible: satisfies_hard_constraints(
                    &totals,
                    &case.state,
                    &case.spec.hard_constraints,
                    &case.config,
                ),
                metric: metric_by_definition(metric, &members, &case.state, &case.config),
            }
        })
        .collect()
}

fn trace(case: &Case, metric: FrontierMetric, points: usize) -> Frontier {
    let input = AnalysisInput {
        portfolio: &case.assets,
        state: &case.state,
        spec: &case.spec,
        config: &case.config,
        strategy: SelectionStrategy::Optimal,
    };
    frontier(&input, metric, points, &no_progress)
}

const REL: f64 = 1e-9;

/// Each point's proceeds are proven to within this share of the most under its ceiling.
const GAP: f64 = engine::analysis::frontier::PROCEEDS_GAP;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= REL * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn frontier_points_are_feasible_optimal_and_undominated_by_any_subset() {
    let mut nontrivial = 0;
    for seed in 0..40 {
        let case = case(seed);
        for &metric in FrontierMetric::ALL {
            let frontier = trace(&case, metric, 8);
            let subsets = all_subsets(&case, metric);
            let feasible: Vec<&Subset> = subsets
                .iter()
                .filter(|s| s.feasible && s.metric.is_some())
                .collect();
            let context = format!("seed {seed}, {metric}");
            if feasible.is_empty() {
                assert!(frontier.points.is_empty(), "{context}: no feasible subset");
                continue;
            }
            assert!(frontier.proven, "{context}: small cases are proven");
            assert!(!frontier.points.is_empty(), "{context}: a frontier exists");
            if frontier.points.len() > 2 {
                nontrivial += 1;
            }
            for point in &frontier.points {
                let mut ids = point.asset_ids.clone();
                ids.sort();
                let subset = subsets
                    .iter()
                    .find(|s| {
                        let mut own = s.ids.clone();
                        own.sort();
                        own == ids
                    })
                    .expect("the point's assets are eligible");
                assert!(
                    subset.feasible,
                    "{context}: point {ids:?} breaks a hard constraint"
                );
                assert!(
                    close(subset.proceeds, point.proceeds),
                    "{context}: proceeds"
                );
                let value = subset.metric.expect("defined metric");
                assert!(
                    close(value, point.metric_value),
                    "{context}: metric {value} vs {}",
                    point.metric_value
                );
                assert!(
                    point.metric_value <= point.level,
                    "{context}: above its level"
                );
                // The most proceeds any program under the point's ceiling raises.
                let best = feasible
                    .iter()
                    .filter(|s| s.metric.unwrap() <= point.level)
                    .map(|s| s.proceeds)
                    .fold(f64::NEG_INFINITY, f64::max);
                assert!(
                    best <= point.proceeds * (1.0 + GAP),
                    "{context}: {best} at level {}",
                    point.level
                );
                // No feasible subset dominates it.
                for s in &feasible {
                    let m = s.metric.unwrap();
                    let more = s.proceeds > point.proceeds * (1.0 + GAP) && m <= point.metric_value;
                    let lower = s.proceeds >= point.proceeds * (1.0 - REL)
                        && m < point.metric_value - REL * point.metric_value.abs().max(1.0);
                    assert!(!(more || lower), "{context}: {:?} dominates {ids:?}", s.ids);
                }
            }
            // Sorted and strictly non-dominated among themselves.
            for pair in frontier.points.windows(2) {
                assert!(
                    pair[0].proceeds < pair[1].proceeds,
                    "{context}: sorted by proceeds"
                );
                assert!(
                    pair[0].metric_value < pair[1].metric_value,
                    "{context}: strictly"
                );
            }
            // The ends: the most proceeds overall, and the lowest metric to the bisection's
            // resolution.
            let most = feasible.iter().map(|s| s.proceeds).fold(0.0, f64::max);
            let last = frontier.points.last().unwrap();
            assert!(
                most <= last.proceeds * (1.0 + GAP),
                "{context}: most proceeds"
            );
            let lowest = feasible
                .iter()
                .map(|s| s.metric.unwrap())
                .fold(f64::INFINITY, f64::min);
            let first = &frontier.points[0];
            let resolution = last.metric_value.max(0.0) / (1u64 << BISECTION_STEPS) as f64;
            assert!(
                first.metric_value <= lowest + resolution + 1e-9 * lowest.abs().max(1.0),
                "{context}: lowest metric {lowest}, first point {}",
                first.metric_value
            );
        }
    }
    assert!(
        nontrivial >= 20,
        "the cases trade off ({nontrivial} frontiers with 3+ points)"
    );
}

#[test]
fn reported_leverage_has_no_trade_off_and_says_so() {
    let case = case(3);
    let frontier = trace(&case, FrontierMetric::ReportedLeverage, 10);
    assert_eq!(frontier.points.len(), 1);
    assert!(frontier.notes.iter().any(|n| n.contains("No trade-off")));
}

#[test]
fn the_same_input_gives_the_same_bytes_on_any_number_of_threads() {
    let case = case(7);
    let many = serde_json::to_string(&trace(&case, FrontierMetric::NewRent, 12)).unwrap();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| serde_json::to_string(&trace(&case, FrontierMetric::NewRent, 12)).unwrap());
    assert_eq!(many, one);
}

#[test]
fn without_a_feasible_program_there_is_no_frontier_and_it_says_why() {
    let mut case = case(5);
    // Net leverage of 0.01x needs the net debt repaid almost entirely: three times what the
    // whole portfolio raises.
    let total: f64 = case
        .assets
        .assets()
        .iter()
        .map(|a| asset_metrics(a, &case.config).proceeds)
        .sum();
    case.state.net_debt = 3.0 * total;
    case.spec.hard_constraints.max_net_leverage = Some(0.01);
    assert!(total < case.state.net_debt - 0.01 * case.state.ebitda);
    let frontier = trace(&case, FrontierMetric::NewRent, 5);
    assert!(frontier.points.is_empty());
    assert!(frontier.proven);
    assert!(
        frontier
            .notes
            .iter()
            .any(|n| n.contains("No program meets")),
        "{:?}",
        frontier.notes
    );
}
