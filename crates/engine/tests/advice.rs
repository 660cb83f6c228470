//! The advice on a program: limits breached before any sale, what cures a breach (or why
//! nothing can), the optimiser's program when greedy finds none, and oversized programs. The
//! expected figures are worked out here from the inputs, not read from the engine.

use engine::model::{
    Asset, AssetType, CorporateState, HardConstraints, MarketTier, Objective, Portfolio,
    SelectionStatus, SelectionStrategy, SelectorSpec,
};
use engine::{AdviceInputs, EngineConfig, credit_analysis, program_advice, select_with};

fn asset(id: &str, noi: f64, tier: MarketTier) -> Asset {
    let mut asset = Asset::new(
        id,
        AssetType::Store,
        "Dallas, TX",
        noi,
        noi * 10.0,
        0.3,
        0.8,
    );
    asset.market_tier = Some(tier);
    asset
}

/// Advice ids for a run of `spec` on `assets` with `strategy`.
fn advice(
    assets: Vec<Asset>,
    state: &CorporateState,
    spec: &SelectorSpec,
    strategy: SelectionStrategy,
) -> (
    engine::model::ProgramOutcome,
    Vec<engine::model::ExplanationNode>,
) {
    let portfolio = Portfolio::from(assets);
    let config = EngineConfig::default();
    let outcome = select_with(strategy, &portfolio, state, spec, &config);
    let analysis = credit_analysis(&outcome, state, &spec.hard_constraints, &config, None);
    let nodes = program_advice(&AdviceInputs {
        portfolio: &portfolio,
        state,
        spec,
        config: &config,
        strategy,
        outcome: &outcome,
        analysis: &analysis,
    });
    (outcome, nodes)
}

fn state(net_debt: f64, ebitda: f64, interest: f64, leases: Option<f64>) -> CorporateState {
    CorporateState {
        net_debt,
        ebitda,
        interest_expense: interest,
        lease_expense: leases,
    }
}

#[test]
fn a_breach_no_single_sale_cures_gets_its_cure_and_the_optimal_program() {
    // Leverage 4.0x against 3.5x: 50M of repayment is needed; each asset (store, tier 2,
    // cap 6.5 %) raises 2M / 0.065 × 0.975 = 30M, so two sales are the fewest that cure it.
    let assets = (0..6)
        .map(|i| asset(&format!("A{i}"), 2e6, MarketTier::Secondary))
        .collect();
    let company = state(400e6, 100e6, 10e6, None);
    let spec = SelectorSpec {
        hard_constraints: HardConstraints {
            max_net_leverage: Some(3.5),
            ..HardConstraints::default()
        },
        ..SelectorSpec::new(Objective::Balanced, 55e6)
    };
    let (outcome, nodes) = advice(assets, &company, &spec, SelectionStrategy::Greedy);
    assert_eq!(outcome.status, SelectionStatus::Infeasible);
    assert!(outcome.selected_assets.is_empty());
    let ids: Vec<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "insight_breached_before_sale_leverage",
            "insight_cure_leverage",
            "insight_optimal_alternative"
        ]
    );
    assert_eq!(nodes[0].baseline_value, Some(4.0));
    let per_asset = 2e6 / 0.065 * 0.975;
    assert_eq!(nodes[1].post_value, Some(per_asset + per_asset));
    assert_eq!(nodes[1].asset_ids.as_ref().map(Vec::len), Some(2));
    assert!(
        nodes[2]
            .detail
            .as_deref()
            .unwrap()
            .contains("$60.0M from 2 sales")
    );
}

#[test]
fn fixed_charge_coverage_no_sale_can_lift_is_explained() {
    // Every store's rent yield (6.5 % / 0.975 ≈ 6.7 %) is above the 6 % cost of debt: each
    // sale lowers fixed-charge coverage, which starts at 100 / (20 + 10) ≈ 3.33x < 3.5x.
    let assets = (0..4)
        .map(|i| asset(&format!("A{i}"), 2e6, MarketTier::Secondary))
        .collect();
    let company = state(300e6, 100e6, 20e6, Some(10e6));
    let spec = SelectorSpec {
        hard_constraints: HardConstraints {
            min_fixed_charge_coverage: Some(3.5),
            ..HardConstraints::default()
        },
        ..SelectorSpec::new(Objective::Balanced, 50e6)
    };
    let (_, nodes) = advice(assets, &company, &spec, SelectionStrategy::Optimal);
    let cure = nodes
        .iter()
        .find(|n| n.id == "insight_cure_fixed_charge_coverage")
        .expect("cure advice");
    let detail = cure.detail.as_deref().unwrap();
    assert!(
        detail.starts_with("No SLB can lift fixed-charge coverage"),
        "{detail}"
    );
    assert!(
        detail.contains("6.7%") && detail.contains("6.0%"),
        "{detail}"
    );
    // An optimal run is not second-guessed by the optimiser.
    assert!(!nodes.iter().any(|n| n.id == "insight_optimal_alternative"));
}

#[test]
fn oversized_programs_are_flagged_and_the_maximum_is_explained() {
    // Maximising proceeds on a small target sells every eligible asset.
    let assets: Vec<Asset> = (0..3)
        .map(|i| asset(&format!("A{i}"), 1e6, MarketTier::Primary))
        .collect();
    let company = state(500e6, 100e6, 20e6, None);
    let spec = SelectorSpec::new(Objective::MaximizeProceeds, 10e6);
    let (outcome, nodes) = advice(assets, &company, &spec, SelectionStrategy::Optimal);
    assert_eq!(outcome.selected_assets.len(), 3);
    let ids: Vec<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "insight_overshoot",
            "insight_large_program",
            "insight_maximum_bound"
        ]
    );
    let bound = nodes[2].detail.as_deref().unwrap();
    assert!(
        bound.contains("every one of the 3 eligible assets"),
        "{bound}"
    );
}

#[test]
fn a_feasible_right_sized_program_gets_no_advice() {
    let assets: Vec<Asset> = (0..10)
        .map(|i| asset(&format!("A{i}"), 1e6, MarketTier::Primary))
        .collect();
    let company = state(300e6, 100e6, 10e6, None);
    // Two sales of 1M / 0.055 × 0.975 ≈ 17.7M each: 35.5M, within 10 % of 35M.
    let spec = SelectorSpec::new(Objective::Balanced, 35e6);
    let (outcome, nodes) = advice(assets, &company, &spec, SelectionStrategy::Greedy);
    assert_eq!(outcome.status, SelectionStatus::Ok);
    assert!(nodes.is_empty(), "{nodes:?}");
}
