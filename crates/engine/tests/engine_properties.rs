//! Properties of the engine on random portfolios, states and specs: numeric hygiene, the
//! direction of the economics, determinism, and equivalence of the O(n log n) greedy walk with
//! the reference's O(n²) algorithm written out naively below.

use engine::constraints::{check_constraints, satisfies_hard_constraints};
use engine::economics::{Contribution, SelectionTotals, asset_metrics, baseline_metrics};
use engine::filters::apply_filters;
use engine::model::ViolationCode;
use engine::model::{
    Asset, AssetFilters, AssetSelection, AssetType, CorporateState, HardConstraints, MarketTier,
    Objective, Portfolio, ProgramOutcome, SelectedAssets, SelectionStatus, SelectorSpec,
    SoftPreferences,
};
use engine::scoring::score;
use engine::{EngineConfig, generate_explanation_nodes, select_assets};
use proptest::prelude::*;

const MARKETS: [&str; 5] = [
    "Dallas, TX",
    "Austin, TX",
    "Chicago, IL",
    "NYC",
    "Phoenix, AZ",
];

/// A value in [0, 1]: half the time on a coarse grid, so equal scores (ties) are common.
fn unit() -> impl Strategy<Value = f64> {
    prop_oneof![(0u32..=20).prop_map(|k| f64::from(k) * 0.05), 0.0..=1.0f64]
}

fn asset_strategy() -> impl Strategy<Value = Asset> {
    (
        prop::sample::select(AssetType::ALL),
        prop::option::of(prop::sample::select(vec![
            MarketTier::Primary,
            MarketTier::Secondary,
            MarketTier::Tertiary,
        ])),
        prop::sample::select(MARKETS.as_slice()),
        1e4..2e7f64,
        unit(),
        unit(),
    )
        .prop_map(
            |(asset_type, tier, market, noi, criticality, leaseability)| Asset {
                market_tier: tier,
                ..Asset::new(
                    "",
                    asset_type,
                    market,
                    noi,
                    noi * 10.0,
                    criticality,
                    leaseability,
                )
            },
        )
}

/// 0–40 assets with unique ids.
fn portfolio_strategy() -> impl Strategy<Value = Portfolio> {
    prop::collection::vec(asset_strategy(), 0..40).prop_map(|assets| {
        assets
            .into_iter()
            .enumerate()
            .map(|(i, asset)| Asset {
                asset_id: format!("A{i:03}"),
                ..asset
            })
            .collect()
    })
}

fn state_strategy() -> impl Strategy<Value = CorporateState> {
    (
        prop_oneof![Just(0.0), 0.0..6e8f64],
        prop_oneof![Just(0.0), -2e7..0.0f64, 1e6..1.5e8f64],
        prop_oneof![Just(0.0), 0.0..6e7f64],
        prop::option::of(prop_oneof![Just(0.0), 0.0..2e7f64]),
    )
        .prop_map(
            |(net_debt, ebitda, interest_expense, lease_expense)| CorporateState {
                net_debt,
                ebitda,
                interest_expense,
                lease_expense,
            },
        )
}

fn spec_strategy() -> impl Strategy<Value = SelectorSpec> {
    let hard = (
        prop::option::of(0.5..8.0f64),
        prop::option::of(0.5..12.0f64),
        prop::option::of(0.5..6.0f64),
        prop::option::of(0.1..=1.0f64),
    )
        .prop_map(
            |(leverage, interest, fixed_charge, critical)| HardConstraints {
                max_net_leverage: leverage,
                min_interest_coverage: interest,
                min_fixed_charge_coverage: fixed_charge,
                max_critical_fraction: critical,
                ..HardConstraints::default()
            },
        );
    let soft = (any::<bool>(), any::<bool>(), 0.0..3.0f64, 0.0..3.0f64).prop_map(
        |(
            prefer_low_criticality,
            prefer_high_leaseability,
            weight_criticality,
            weight_leaseability,
        )| {
            SoftPreferences {
                prefer_low_criticality,
                prefer_high_leaseability,
                weight_criticality,
                weight_leaseability,
            }
        },
    );
    let filters = (
        prop::option::of(prop::collection::vec(
            prop::sample::select(AssetType::ALL),
            0..3,
        )),
        prop::option::of(prop::collection::vec(
            prop::sample::select(AssetType::ALL),
            0..2,
        )),
        prop::option::of(prop::collection::vec(
            prop::sample::select(MARKETS.as_slice()).prop_map(str::to_owned),
            0..2,
        )),
        prop::option::of(0.0..0.6f64),
        prop::option::of(0.4..=1.0f64),
    )
        .prop_map(
            |(include, exclude, markets, min_leaseability, max_criticality)| AssetFilters {
                include_asset_types: include,
                exclude_asset_types: exclude,
                exclude_markets: markets,
                min_leaseability_score: min_leaseability,
                max_criticality,
                ..AssetFilters::default()
            },
        );
    (1e5..2e9f64, hard, soft, filters).prop_map(|(target, hard, soft, filters)| SelectorSpec {
        hard_constraints: hard,
        soft_preferences: soft,
        asset_filters: filters,
        ..SelectorSpec::new(Objective::Balanced, target)
    })
}

fn inputs() -> impl Strategy<Value = (Portfolio, CorporateState, SelectorSpec)> {
    (portfolio_strategy(), state_strategy(), spec_strategy())
}

/// Eligible assets priced and ranked as SPEC §4.8 says: by score, descending, stable.
fn naive_ranking(
    assets: &[Asset],
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> Vec<AssetSelection> {
    let mut ranked: Vec<(f64, AssetSelection)> = Vec::new();
    for &(_, asset) in &apply_filters(assets, &spec.asset_filters) {
        let metrics = asset_metrics(asset, config);
        let candidate = AssetSelection {
            asset: asset.clone(),
            proceeds: metrics.proceeds,
            slb_rent: metrics.slb_rent,
        };
        let candidate_score = score(asset, &spec.soft_preferences);
        // Stable descending insertion: after every candidate scoring at least as much.
        let at = ranked
            .iter()
            .position(|(s, _)| *s < candidate_score)
            .unwrap_or(ranked.len());
        ranked.insert(at, (candidate_score, candidate));
    }
    ranked.into_iter().map(|(_, candidate)| candidate).collect()
}

/// The reference algorithm as written in SPEC §4.8: for each ranked candidate, re-check the
/// whole tentative selection from scratch.
fn naive_greedy(
    assets: &[Asset],
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> SelectedAssets {
    let mut selected: Vec<AssetSelection> = Vec::new();
    for candidate in naive_ranking(assets, spec, config) {
        let mut tentative = selected.clone();
        tentative.push(candidate);
        let check = check_constraints(
            &SelectedAssets::from(tentative.clone()),
            state,
            &spec.hard_constraints,
            0.0,
            config,
        );
        if check
            .violations
            .iter()
            .any(|v| v.code != ViolationCode::TargetNotMet)
        {
            continue;
        }
        selected = tentative;
        if check.metrics.total_proceeds >= spec.target_amount * (1.0 - config.target_tolerance) {
            break;
        }
    }
    SelectedAssets::from(selected)
}

/// A target whose threshold lands within a few ulps of the sum of the first `k` ranked
/// candidates, so the stop test is decided by the last bits of the running total.
fn knife_edge_target(
    ranking: &[AssetSelection],
    k: usize,
    nudge_ulps: i64,
    config: &EngineConfig,
) -> f64 {
    let prefix = ranking.iter().take(k).fold(0.0, |sum, s| sum + s.proceeds);
    let target = prefix / (1.0 - config.target_tolerance);
    f64::from_bits(target.to_bits().saturating_add_signed(nudge_ulps))
}

fn assert_fast_equals_naive(
    assets: &Portfolio,
    state: &CorporateState,
    spec: &SelectorSpec,
) -> Result<(), TestCaseError> {
    let config = EngineConfig::default();
    let outcome = select_assets(assets, state, spec, &config);
    let naive = naive_greedy(assets, state, spec, &config);
    prop_assert_eq!(&outcome.selected_assets, &naive);

    // With no eligible asset the outcome is the special NO_ELIGIBLE_ASSETS answer instead.
    if !apply_filters(assets, &spec.asset_filters).is_empty() {
        let check = check_constraints(
            &naive,
            state,
            &spec.hard_constraints,
            spec.target_amount,
            &config,
        );
        prop_assert_eq!(
            outcome.proceeds.to_bits(),
            check.metrics.total_proceeds.to_bits()
        );
        prop_assert_eq!(outcome.leverage_after, check.metrics.post.leverage);
        prop_assert_eq!(
            outcome.interest_coverage_after,
            check.metrics.post.interest_coverage
        );
        prop_assert_eq!(
            outcome.fixed_charge_coverage_after,
            check.metrics.post.fixed_charge_coverage
        );
        prop_assert_eq!(
            outcome.critical_fraction.to_bits(),
            check.metrics.critical_fraction.to_bits()
        );
        prop_assert_eq!(
            serde_json::to_string(&outcome.violations).unwrap(),
            serde_json::to_string(&check.violations).unwrap()
        );
        prop_assert_eq!(&outcome.warnings, &check.warnings);
    }
    Ok(())
}

/// Every float of the outcome, with a name, including the defined optional metrics.
fn outcome_floats(outcome: &ProgramOutcome) -> Vec<(&'static str, f64)> {
    let mut floats = vec![
        ("proceeds", outcome.proceeds),
        ("critical_fraction", outcome.critical_fraction),
    ];
    let optional = [
        ("leverage_before", outcome.leverage_before),
        ("interest_coverage_before", outcome.interest_coverage_before),
        (
            "fixed_charge_coverage_before",
            outcome.fixed_charge_coverage_before,
        ),
        ("leverage_after", outcome.leverage_after),
        ("interest_coverage_after", outcome.interest_coverage_after),
        (
            "fixed_charge_coverage_after",
            outcome.fixed_charge_coverage_after,
        ),
    ];
    floats.extend(
        optional
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| (name, v))),
    );
    for selection in &outcome.selected_assets {
        floats.push(("selection.proceeds", selection.proceeds));
        floats.push(("selection.slb_rent", selection.slb_rent));
    }
    floats
}

fn run(
    assets: &Portfolio,
    state: &CorporateState,
    spec: &SelectorSpec,
) -> (ProgramOutcome, String) {
    let config = EngineConfig::default();
    let outcome = select_assets(assets, state, spec, &config);
    let nodes = generate_explanation_nodes(spec, &outcome, state, &config);
    let json = serde_json::to_string(&(&outcome, &nodes)).expect("outcome serialises");
    (outcome, json)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fast_greedy_equals_the_naive_quadratic_algorithm((assets, state, spec) in inputs()) {
        assert_fast_equals_naive(&assets, &state, &spec)?;
    }

    #[test]
    fn fast_greedy_equals_the_naive_algorithm_on_knife_edge_targets(
        (assets, state, spec) in inputs(),
        k in 1usize..40,
        nudge_ulps in -2i64..=2,
    ) {
        let config = EngineConfig::default();
        let ranking = naive_ranking(&assets, &spec, &config);
        prop_assume!(!ranking.is_empty());
        let target = knife_edge_target(&ranking, k.min(ranking.len()), nudge_ulps, &config);
        let spec = SelectorSpec { target_amount: target, ..spec };
        assert_fast_equals_naive(&assets, &state, &spec)?;
    }

    #[test]
    fn outcome_floats_are_finite_except_documented_nulls((assets, state, spec) in inputs()) {
        let (outcome, _) = run(&assets, &state, &spec);
        for (name, value) in outcome_floats(&outcome) {
            prop_assert!(value.is_finite(), "{} = {}", name, value);
        }
        for violation in &outcome.violations {
            let undefined_ratio = violation.detail.contains("undefined")
                && (violation.code.as_str() == "MAX_NET_LEVERAGE" || violation.code.as_str() == "MIN_FIXED_CHARGE_COVERAGE");
            prop_assert!(violation.limit.is_finite());
            prop_assert!(violation.actual.is_finite() || (violation.actual.is_nan() && undefined_ratio),
                "{} actual {}", violation.code, violation.actual);
        }
        prop_assert_eq!(outcome.status == SelectionStatus::Ok, outcome.violations.is_empty());
    }

    #[test]
    fn selling_never_raises_net_debt_or_leverage((assets, state, spec) in inputs()) {
        let config = EngineConfig::default();
        let (outcome, _) = run(&assets, &state, &spec);
        let check = check_constraints(&outcome.selected_assets, &state, &spec.hard_constraints, 0.0, &config);
        prop_assert!(check.metrics.post.net_debt <= state.net_debt);
        prop_assert!(check.metrics.post.net_debt >= 0.0);
        if state.ebitda > config.epsilon {
            let (before, after) = (outcome.leverage_before.unwrap(), outcome.leverage_after.unwrap());
            prop_assert!(after <= before, "leverage rose from {} to {}", before, after);
        }
    }

    #[test]
    fn interest_after_is_never_negative(
        (assets, state, _) in inputs(),
        picks in prop::collection::vec(any::<bool>(), 40),
    ) {
        let config = EngineConfig::default();
        let mut selection = SelectedAssets::new(&assets);
        for (position, asset) in assets.iter().enumerate().filter(|&(position, _)| picks[position]) {
            let metrics = asset_metrics(asset, &config);
            selection.push(position, metrics.proceeds, metrics.slb_rent);
        }
        let check = check_constraints(&selection, &state, &HardConstraints::default(), 0.0, &config);
        prop_assert!(check.metrics.post.interest_expense >= 0.0);
        prop_assert!(check.metrics.post.total_lease_expense >= 0.0);
    }

    #[test]
    fn an_empty_selection_leaves_the_company_unchanged((_, state, spec) in inputs()) {
        prop_assume!(state.ebitda.abs() >= EngineConfig::default().epsilon);
        let config = EngineConfig::default();
        let check = check_constraints(&SelectedAssets::default(), &state, &spec.hard_constraints, 0.0, &config);
        let baseline = baseline_metrics(&state, &config);
        prop_assert_eq!(check.metrics.post.leverage, baseline.leverage);
        prop_assert_eq!(check.metrics.post.interest_coverage, baseline.interest_coverage);
        prop_assert_eq!(check.metrics.post.fixed_charge_coverage, baseline.fixed_charge_coverage);
        prop_assert!(check.warnings.is_empty());
    }

    #[test]
    fn outcomes_without_picks_report_baseline_after_metrics((assets, state, spec) in inputs()) {
        prop_assume!(state.ebitda.abs() >= EngineConfig::default().epsilon);
        let (outcome, _) = run(&assets, &state, &spec);
        prop_assume!(outcome.selected_assets.is_empty());
        prop_assert_eq!(outcome.leverage_after, outcome.leverage_before);
        prop_assert_eq!(outcome.interest_coverage_after, outcome.interest_coverage_before);
        prop_assert_eq!(outcome.fixed_charge_coverage_after, outcome.fixed_charge_coverage_before);
    }

    #[test]
    fn the_same_input_gives_byte_identical_output((assets, state, spec) in inputs()) {
        let (_, first) = run(&assets, &state, &spec);
        let (_, second) = run(&assets.clone(), &state.clone(), &spec.clone());
        prop_assert_eq!(first, second);
    }
}

/// The greedy walk written plainly, for portfolios too large for the quadratic version: rank
/// the eligible assets with the standard library's stable sort, then walk them on running
/// totals.
fn sorted_walk(
    assets: &[Asset],
    state: &CorporateState,
    spec: &SelectorSpec,
    config: &EngineConfig,
) -> Vec<usize> {
    let mut eligible = apply_filters(assets, &spec.asset_filters);
    eligible.sort_by(|(_, a), (_, b)| {
        let score = |asset: &Asset| score(asset, &spec.soft_preferences) + 0.0;
        score(b).total_cmp(&score(a))
    });
    let stop_at = spec.target_amount * (1.0 - config.target_tolerance);
    let mut totals = SelectionTotals::default();
    let mut picked = Vec::new();
    for (position, asset) in eligible {
        let metrics = asset_metrics(asset, config);
        let tentative = totals.with(Contribution::of_asset(asset, &metrics, config));
        if !satisfies_hard_constraints(&tentative, state, &spec.hard_constraints, config) {
            continue;
        }
        totals = tentative;
        picked.push(position);
        if totals.proceeds >= stop_at {
            break;
        }
    }
    picked
}

/// `n` assets from `seed`; with `grid`, criticality and leaseability take 21 values only, so
/// thousands of assets tie on score.
fn large_portfolio(n: usize, seed: u64, grid: bool) -> Portfolio {
    let mut state = seed;
    let mut unit = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let x = (state >> 11) as f64 / (1u64 << 53) as f64;
        if grid { (x * 21.0).floor() * 0.05 } else { x }
    };
    (0..n)
        .map(|i| {
            let noi = 100_000.0 + unit() * 5_000_000.0;
            let asset_type = AssetType::ALL[(unit() * 4.99) as usize];
            let market = MARKETS[(unit() * 4.99) as usize];
            let mut asset = Asset::new(
                format!("A{i:06}"),
                asset_type,
                market,
                noi,
                noi * 12.0,
                unit(),
                unit(),
            );
            asset.market_tier = [None, Some(MarketTier::Primary), Some(MarketTier::Tertiary)]
                [(unit() * 2.99) as usize];
            asset
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Thousands of candidates take the ranking's banded path, which the 40-asset cases above
    /// never reach.
    #[test]
    fn fast_greedy_equals_a_sorted_walk_on_large_portfolios(
        n in 2_000usize..20_000,
        seed in any::<u64>(),
        grid in any::<bool>(),
        target_share in 0.05f64..1.2,
        filtered in any::<bool>(),
        critical_cap in prop_oneof![Just(None), (0.05f64..0.5).prop_map(Some)],
    ) {
        let config = EngineConfig::default();
        let assets = large_portfolio(n, seed, grid);
        let total: f64 = assets.iter().map(|a| asset_metrics(a, &config).proceeds).sum();
        let net_debt = 1.5 * total;
        let state = CorporateState {
            net_debt,
            ebitda: net_debt / 4.0,
            interest_expense: net_debt * 0.05,
            lease_expense: Some(net_debt * 0.01),
        };
        let mut spec = SelectorSpec::new(Objective::Balanced, target_share * total);
        spec.hard_constraints.max_critical_fraction = critical_cap;
        if filtered {
            spec.asset_filters = AssetFilters {
                exclude_markets: Some(vec![MARKETS[1].to_owned()]),
                exclude_asset_types: Some(vec![AssetType::Office]),
                min_leaseability_score: Some(0.1),
                ..AssetFilters::default()
            };
        }
        let outcome = select_assets(&assets, &state, &spec, &config);
        let picked: Vec<usize> = outcome.selected_assets.positions().collect();
        prop_assert_eq!(picked, sorted_walk(&assets, &state, &spec, &config));
    }
}
