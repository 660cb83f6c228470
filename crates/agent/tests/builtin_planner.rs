//! The built-in planner beyond brief parsing: the portfolio summary (against the reference's
//! strings), revisions (against the revision policy, and keeping the target when only leverage
//! is missed), executive summaries (from the reference's explanation nodes), scenario sets
//! (DECISIONS S5), and the provenance and warnings of a planned spec.

use agent::builtin::BuiltinPlanner;
use agent::context::{PortfolioContext, summarize_assets};
use agent::provenance::spec_fields;
use agent::scenarios::contract_breaches;
use agent::{PlannedSpec, Planner, RunSettings, run_program};
use engine::model::{
    AssetFilters, AssetType, CorporateState, ExplanationNode, FieldProvenance, NodeCategory,
    Portfolio, ProgramRequest, ProgramType, ScenarioKind, SelectorSpec, Severity, SoftPreferences,
    SpecFieldSource,
};
use engine::policy::enforce_revision_policy;
use engine::{EngineConfig, RevisionPolicyConfig, select_assets};
use serde_json::Value;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures");

fn load(path: &str) -> Value {
    let path = format!("{SHARED}/{path}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn demo() -> (Portfolio, CorporateState) {
    let file = load("briefs/demo_portfolio.json");
    (
        serde_json::from_value(file["assets"].clone()).unwrap(),
        serde_json::from_value(file["corporate_state"].clone()).unwrap(),
    )
}

fn demo_context() -> PortfolioContext {
    PortfolioContext::from_assets(&demo().0)
}

fn spec_for(brief: &str) -> SelectorSpec {
    BuiltinPlanner::new().selector_spec(ProgramType::Slb, brief, &demo_context())
}

// ---- Portfolio summary (SPEC §8.1) ----------------------------------------------------------

#[test]
fn asset_summaries_match_the_reference_byte_for_byte() {
    let file = load("reference/orchestrator_mock_cases.json");
    let mut checked = 0;
    for case in file["cases"].as_array().unwrap() {
        let Some(expected) = case["expected"]["asset_summary"].as_str() else {
            continue;
        };
        let assets: Portfolio = serde_json::from_value(case["request"]["assets"].clone()).unwrap();
        assert_eq!(summarize_assets(&assets), expected, "case {}", case["name"]);
        assert_eq!(PortfolioContext::from_assets(&assets).summary, expected);
        checked += 1;
    }
    assert_eq!(checked, 11, "every case with an asset summary");
}

#[test]
fn an_empty_portfolio_has_the_reference_summary() {
    assert_eq!(summarize_assets(&[]), "No assets available.");
}

#[test]
fn the_context_lists_markets_and_types_in_first_appearance_order() {
    let context = demo_context();
    assert_eq!(context.asset_count, 48);
    assert_eq!(context.markets.len(), 20);
    assert_eq!(
        &context.markets[..3],
        ["New York, NY", "Atlanta, GA", "Columbus, OH"]
    );
    assert_eq!(
        context.asset_types,
        [
            AssetType::Store,
            AssetType::DistributionCenter,
            AssetType::Office,
            AssetType::MixedUse,
            AssetType::Other
        ]
    );
    // The fixture's default target is 17.5 % of the portfolio at a 6.5 % cap rate.
    let default_target = load("briefs/brief_cases.json")["default_target_amount"]
        .as_f64()
        .unwrap();
    assert!((0.175 * context.total_noi / 0.065 - default_target).abs() < 1.0);
}

// ---- Revision (DECISIONS P4) -----------------------------------------------------------------

/// Revises `brief`'s spec `rounds` times; every revision must pass the revision policy
/// untouched (no clamp, no rejection) with the orchestrator's 75 % test floor.
fn revision_ladder(brief: &str, start: SelectorSpec, rounds: usize) -> Vec<SelectorSpec> {
    let planner = BuiltinPlanner::new();
    let (assets, state) = demo();
    let immutable = start.hard_constraints.clone();
    let original_target = start.target_amount;
    let mut specs = vec![start];
    for _ in 0..rounds {
        let previous = specs.last().unwrap();
        let outcome = select_assets(&assets, &state, previous, &EngineConfig::default());
        let revised = planner.revised_spec(brief, previous);
        let policy = enforce_revision_policy(
            &immutable,
            original_target,
            previous,
            &revised,
            0.75,
            &RevisionPolicyConfig::default(),
        );
        assert!(
            policy.spec().is_some() && policy.violations().is_empty(),
            "{:?}\n{outcome:?}",
            policy.violations()
        );
        assert_eq!(revised.hard_constraints, previous.hard_constraints);
        assert_eq!(
            (revised.program_type, revised.objective),
            (previous.program_type, previous.objective)
        );
        assert_eq!(revised.max_iterations, previous.max_iterations);
        specs.push(revised);
    }
    specs
}

#[test]
fn a_revision_softens_weights_then_cuts_the_target_within_twenty_percent() {
    let brief = "Raise $3B through a sale-leaseback, stores only, nothing in Texas.";
    let ladder = revision_ladder(brief, spec_for(brief), 4);
    // Explicit filters never move.
    for spec in &ladder {
        assert_eq!(spec.asset_filters, ladder[0].asset_filters);
    }
    // Rung 2: the criticality weight (the brief says nothing about criticality), target kept.
    assert_eq!(
        ladder[1].soft_preferences,
        SoftPreferences {
            weight_criticality: 0.5,
            ..SoftPreferences::default()
        }
    );
    assert_eq!(ladder[1].target_amount, 3e9);
    // Rung 3: cuts of 10 % of the stated amount, down to 80 % of it, then nothing left to do.
    assert_eq!(ladder[2].target_amount, 2.7e9);
    assert_eq!(ladder[3].target_amount, 2.4e9);
    assert_eq!(ladder[4], ladder[3]);
}

#[test]
fn a_brief_about_criticality_gets_its_leaseability_weight_softened_instead() {
    let brief = "Raise $3B and avoid critical assets.";
    let ladder = revision_ladder(brief, spec_for(brief), 1);
    assert_eq!(
        ladder[1].soft_preferences,
        SoftPreferences {
            weight_leaseability: 0.5,
            ..SoftPreferences::default()
        }
    );
}

#[test]
fn unstated_filters_are_relaxed_first_by_one_policy_step() {
    let brief = "Raise $2B; exclude Dallas.";
    let mut start = spec_for(brief);
    start.asset_filters = AssetFilters {
        include_asset_types: Some(vec![AssetType::Store]),
        exclude_asset_types: Some(vec![AssetType::Office]),
        exclude_markets: Some(vec!["Dallas, TX".to_string(), "Miami, FL".to_string()]),
        min_leaseability_score: Some(0.6),
        max_criticality: Some(0.5),
        ..AssetFilters::default()
    };
    let ladder = revision_ladder(brief, start, 3);
    let relaxed = &ladder[1].asset_filters;
    assert_eq!(relaxed.include_asset_types, None);
    assert_eq!(relaxed.exclude_asset_types, None);
    assert_eq!(
        relaxed.exclude_markets,
        Some(vec!["Dallas, TX".to_string()]),
        "the brief's exclusion stays"
    );
    assert_eq!(relaxed.max_criticality, Some(0.5 + 0.1));
    assert_eq!(relaxed.min_leaseability_score, Some(0.6 - 0.1));
    assert_eq!(
        (ladder[1].target_amount, &ladder[1].soft_preferences),
        (2e9, &SoftPreferences::default())
    );
    // Filters keep relaxing while they can, up to the ceiling and down to the floor.
    assert_eq!(
        ladder[2].asset_filters.max_criticality,
        Some(0.5 + 0.1 + 0.1)
    );
    // 0.7 + 0.1 is 0.7999999999999999 in binary, as in the policy (SPEC §8.4) ...
    assert_eq!(
        ladder[3].asset_filters.max_criticality,
        Some(0.7999999999999999)
    );
    // ... and the ceiling is reached one step later.
    let ladder = revision_ladder(brief, ladder[3].clone(), 2);
    assert_eq!(ladder[1].asset_filters.max_criticality, Some(0.8));
    assert_eq!(ladder[2].asset_filters.max_criticality, Some(0.8));
    assert_eq!(ladder[2].asset_filters.min_leaseability_score, Some(0.2));
}

#[test]
fn stated_thresholds_are_kept() {
    let brief = "Raise $2B from non-critical assets with high leaseability.";
    let ladder = revision_ladder(brief, spec_for(brief), 2);
    assert_eq!(ladder[1].asset_filters.max_criticality, Some(0.6));
    assert_eq!(ladder[1].asset_filters.min_leaseability_score, Some(0.7));
    // Both preferences are the brief's: no weight to soften, so the target is cut.
    assert_eq!(ladder[1].soft_preferences, SoftPreferences::default());
    assert_eq!(ladder[1].target_amount, 2e9 * 0.9);
}

// ---- Lease-adjusted and covenant leverage (CREDIT.md §1.3) --------------------------------------

/// Net, lease-adjusted and covenant leverage limits.
type Leverages = (Option<f64>, Option<f64>, Option<f64>);

/// (net, lease-adjusted, covenant) leverage limits of the spec for `brief`.
fn leverage_limits(brief: &str) -> Leverages {
    let hard = spec_for(brief).hard_constraints;
    (
        hard.max_net_leverage,
        hard.max_lease_adjusted_leverage,
        hard.max_covenant_leverage,
    )
}

#[test]
fn credit_leverage_limits_are_read_from_the_brief() {
    let cases: &[(&str, Leverages)] = &[
        // The defaults of P2 hold for net leverage; the new limits have none.
        ("Raise $200M.", (Some(4.0), None, None)),
        (
            "Raise $200M; keep lease-adjusted leverage under 5x.",
            (Some(4.0), Some(5.0), None),
        ),
        (
            "Raise $200M; rating-agency leverage below 4.5 turns.",
            (Some(4.0), Some(4.5), None),
        ),
        (
            "Raise $200M with covenant leverage (after rent) at most 3.5x.",
            (Some(4.0), None, Some(3.5)),
        ),
        (
            "Raise $200M, lease adjusted leverage ≤ 4.8x.",
            (Some(4.0), Some(4.8), None),
        ),
        (
            "Raise $200M; adjusted leverage no more than 5.0 times.",
            (Some(4.0), Some(5.0), None),
        ),
        (
            "Raise $200M; Moody's-adjusted leverage under 5x.",
            (Some(4.0), Some(5.0), None),
        ),
        (
            "Raise $200M; covenant net leverage below 3.75x.",
            (Some(4.0), None, Some(3.75)),
        ),
        (
            "Raise $200M, keep leverage under 3.5x and lease-adjusted leverage under 5x.",
            (Some(3.5), Some(5.0), None),
        ),
        // Plain leverage is net leverage only.
        ("Raise $200M; leverage under 3.5x.", (Some(3.5), None, None)),
        (
            "Raise $200M; net debt to EBITDA no higher than 3.25x.",
            (Some(3.25), None, None),
        ),
        // Outside (0, 20): ignored, as every out-of-range limit is.
        (
            "Raise $200M; lease-adjusted leverage under 20x, covenant leverage below 0x.",
            (Some(4.0), None, None),
        ),
        // Above net leverage's range but inside theirs.
        (
            "Raise $200M; lease-adjusted leverage under 12x.",
            (Some(4.0), Some(12.0), None),
        ),
        // Today's figure is not a limit.
        (
            "Raise $200M; our lease-adjusted leverage is 4.6x today.",
            (Some(4.0), None, None),
        ),
    ];
    for (brief, expected) in cases {
        assert_eq!(leverage_limits(brief), *expected, "{brief}");
    }
}

#[test]
fn credit_leverage_limits_go_on_the_wire_only_when_stated() {
    let silent = serde_json::to_value(spec_for("Raise $200M.")).unwrap();
    let hard = silent["hard_constraints"].as_object().unwrap();
    assert!(!hard.contains_key("max_lease_adjusted_leverage"));
    assert!(!hard.contains_key("max_covenant_leverage"));

    let stated =
        spec_for("Raise $200M; lease-adjusted leverage under 5x, covenant leverage under 3.8x.");
    let wire = serde_json::to_value(&stated).unwrap();
    assert_eq!(wire["hard_constraints"]["max_lease_adjusted_leverage"], 5.0);
    assert_eq!(wire["hard_constraints"]["max_covenant_leverage"], 3.8);
    let back: SelectorSpec = serde_json::from_value(wire).unwrap();
    assert_eq!(back, stated);
}

#[test]
fn revisions_keep_the_credit_leverage_limits() {
    let brief = "Raise $3B; lease-adjusted leverage under 5x and covenant leverage under 4.5x.";
    let ladder = revision_ladder(brief, spec_for(brief), 3);
    for spec in &ladder {
        assert_eq!(spec.hard_constraints.max_lease_adjusted_leverage, Some(5.0));
        assert_eq!(spec.hard_constraints.max_covenant_leverage, Some(4.5));
    }
}

// ---- Executive summary -----------------------------------------------------------------------

fn sentences(summary: &str) -> usize {
    summary.matches(". ").count() + usize::from(summary.ends_with('.'))
}

#[test]
fn summaries_lead_with_the_verdict_and_quote_only_node_figures() {
    let file = load("reference/engine_cases.json");
    let planner = BuiltinPlanner::new();
    let number = regex::Regex::new(r"\d[\d,]*(\.\d+)?").unwrap();
    for case in file["cases"].as_array().unwrap() {
        let nodes: Vec<ExplanationNode> =
            serde_json::from_value(case["expected"]["explanation_nodes"].clone()).unwrap();
        let summary = planner.explanation_summary(&nodes);
        let failed = nodes
            .iter()
            .any(|n| n.category == NodeCategory::Constraint && n.severity == Severity::Error);
        let lead = if failed {
            "The program is infeasible: "
        } else {
            "The program meets "
        };
        assert!(summary.starts_with(lead), "{}: {summary}", case["name"]);
        assert!(
            (2..=3).contains(&sentences(&summary)),
            "{}: {summary}",
            case["name"]
        );
        let quoted: String = nodes
            .iter()
            .filter_map(|n| n.detail.clone())
            .collect::<Vec<_>>()
            .join(" | ");
        for figure in number.find_iter(&summary) {
            assert!(
                quoted.contains(figure.as_str()),
                "{}: {} not in the nodes: {summary}",
                case["name"],
                figure.as_str()
            );
        }
        assert_eq!(
            planner.explanation_summary(&nodes),
            summary,
            "deterministic"
        );
    }
}

fn node(id: &str, severity: Severity, category: NodeCategory, detail: &str) -> ExplanationNode {
    ExplanationNode {
        id: id.to_string(),
        label: id.to_string(),
        severity,
        category,
        metric: None,
        baseline_value: None,
        post_value: None,
        threshold: None,
        asset_ids: None,
        detail: Some(detail.to_string()),
    }
}

#[test]
fn a_failure_names_both_violations_and_the_main_warning() {
    let nodes = [
        node(
            "constraint_max_net_leverage",
            Severity::Error,
            NodeCategory::Constraint,
            "Post-SLB leverage 4.20x exceeds limit 4.00x",
        ),
        node(
            "constraint_target_not_met",
            Severity::Error,
            NodeCategory::Constraint,
            "Proceeds $55,000,000 below target $60,000,000 (threshold $58,800,000)",
        ),
        node(
            "risk_market_concentration",
            Severity::Warning,
            NodeCategory::Risk,
            "75.0% of proceeds from Dallas, TX",
        ),
    ];
    assert_eq!(
        BuiltinPlanner::new().explanation_summary(&nodes),
        "The program is infeasible: post-SLB leverage 4.20x exceeds limit 4.00x. In addition, proceeds \
         $55,000,000 below target $60,000,000 (threshold $58,800,000). Also watch: 75.0% of proceeds from Dallas, TX."
    );
}

#[test]
fn a_success_cites_the_target_the_tightest_constraint_and_the_main_risk() {
    let nodes = [
        node(
            "constraint_fcc_near_binding",
            Severity::Warning,
            NodeCategory::Constraint,
            "Post-SLB coverage 3.10x is close to minimum 3.00x",
        ),
        node(
            "driver_target_achieved",
            Severity::Info,
            NodeCategory::Driver,
            "Achieved $61,000,000 vs target $60,000,000 (101.7%)",
        ),
        node(
            "risk_single_asset",
            Severity::Warning,
            NodeCategory::Risk,
            "All proceeds come from a single asset, creating concentration risk",
        ),
    ];
    assert_eq!(
        BuiltinPlanner::new().explanation_summary(&nodes),
        "The program meets its target and every hard constraint: achieved $61,000,000 vs target $60,000,000 \
         (101.7%). The binding constraint is close: post-SLB coverage 3.10x is close to minimum 3.00x. Main risk: \
         all proceeds come from a single asset, creating concentration risk."
    );
}

// ---- Scenarios (DECISIONS S5) ----------------------------------------------------------------

fn scenarios(
    brief: &str,
    context: &PortfolioContext,
    n: usize,
) -> Vec<engine::model::ScenarioDefinition> {
    BuiltinPlanner::new().scenario_definitions(brief, context, n)
}

/// Label, kind, target, leverage override, coverage override.
type Shape<'a> = (&'a str, ScenarioKind, f64, Option<f64>, Option<f64>);

#[test]
fn scenario_sets_follow_the_s5_templates() {
    let all = scenarios("Raise $200M via SLB.", &demo_context(), 5);
    let shape: Vec<Shape> = all
        .iter()
        .map(|s| {
            (
                s.label.as_str(),
                s.kind,
                s.target_amount,
                s.max_leverage,
                s.min_coverage,
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("Base Case", ScenarioKind::Base, 200e6, None, None),
            (
                "Conservative",
                ScenarioKind::RiskOff,
                200e6 * 0.8,
                Some(3.0),
                Some(3.5)
            ),
            (
                "Aggressive",
                ScenarioKind::Aggressive,
                200e6 * 1.25,
                None,
                None
            ),
            (
                "Geographic Focus",
                ScenarioKind::GeoFocus,
                200e6,
                None,
                None
            ),
            (
                "Maximum Proceeds",
                ScenarioKind::Custom,
                200e6 * 1.5,
                Some(4.5),
                Some(2.5)
            ),
        ]
    );
}

#[test]
fn every_count_meets_the_scenario_contract() {
    let context = demo_context();
    let single_state = PortfolioContext::from_assets(
        &demo()
            .0
            .iter()
            .filter(|a| a.market.ends_with(", TX"))
            .cloned()
            .collect::<Vec<_>>(),
    );
    for portfolio in [&context, &single_state] {
        for n in 1..=5 {
            let set = scenarios("Raise $200M.", portfolio, n);
            assert!(
                contract_breaches(&set, n).is_empty(),
                "{n}: {:?}",
                contract_breaches(&set, n)
            );
            assert!(
                set.iter()
                    .all(|s| !s.rationale.is_empty() && s.rationale.chars().count() <= 200)
            );
            assert!(
                set.iter()
                    .all(|s| !s.label.is_empty() && s.label.chars().count() <= 50)
            );
        }
        assert_eq!(
            scenarios("Raise $200M.", portfolio, 0).len(),
            1,
            "clamped up to one"
        );
        assert_eq!(
            scenarios("Raise $200M.", portfolio, 9).len(),
            5,
            "clamped down to five"
        );
    }
    let has_geo = |p: &PortfolioContext| {
        scenarios("Raise $200M.", p, 5)
            .iter()
            .any(|s| s.kind == ScenarioKind::GeoFocus)
    };
    assert!(has_geo(&context), "20 markets in 15 states");
    assert!(!has_geo(&single_state), "all in Texas");
}

#[test]
fn overrides_never_loosen_the_briefs_covenants() {
    let set = scenarios(
        "Raise $300M with leverage at most 3.5x and coverage of at least 3.0x.",
        &demo_context(),
        5,
    );
    let max_proceeds = set.iter().find(|s| s.label == "Maximum Proceeds").unwrap();
    assert_eq!(
        (max_proceeds.max_leverage, max_proceeds.min_coverage),
        (Some(3.5), Some(3.0))
    );
    let conservative = set
        .iter()
        .find(|s| s.kind == ScenarioKind::RiskOff)
        .unwrap();
    assert_eq!(
        (conservative.max_leverage, conservative.min_coverage),
        (Some(3.0), Some(3.5))
    );

    let strict = scenarios(
        "Raise $300M; leverage below 2.5x and FCC above 4x.",
        &demo_context(),
        5,
    );
    for scenario in strict.iter().skip(1) {
        if let (Some(leverage), Some(coverage)) = (scenario.max_leverage, scenario.min_coverage) {
            assert!(leverage <= 2.5 && coverage >= 4.0, "{scenario:?}");
        }
    }
}

#[test]
fn without_an_amount_the_base_case_raises_the_default_target() {
    let set = scenarios("Run a balanced program.", &demo_context(), 3);
    let default_target = load("briefs/brief_cases.json")["default_target_amount"]
        .as_f64()
        .unwrap();
    assert!((set[0].target_amount - default_target).abs() < 1.0);
    assert!((set[1].target_amount - default_target * 0.8).abs() < 1.0);
}

// ---- Through the planner seam ----------------------------------------------------------------

#[tokio::test]
async fn the_planner_trait_runs_a_program_end_to_end() {
    let (assets, corporate_state) = demo();
    let request = ProgramRequest {
        assets,
        corporate_state,
        program_type: ProgramType::Slb,
        program_description: "Raise $250M through a sale-leaseback, stores only.".to_string(),
        floor_override: None,
        max_leverage_override: None,
        min_coverage_override: None,
        target_amount_override: None,
        selection_strategy: None,
        assumptions: None,
        selector_spec: None,
    };
    let planner: &dyn Planner = &BuiltinPlanner::new();
    assert_eq!(planner.name(), "built-in");
    let response = run_program(&request, planner, &RunSettings::default())
        .await
        .unwrap();
    assert_eq!(response.selector_spec.target_amount, 250e6);
    assert_eq!(
        response.selector_spec.asset_filters.include_asset_types,
        Some(vec![AssetType::Store])
    );
    assert!(
        response.explanation.summary.starts_with("The program "),
        "{}",
        response.explanation.summary
    );
}

#[tokio::test]
async fn a_stated_lease_adjusted_limit_binds_the_run() {
    let (assets, corporate_state) = demo();
    let request = |brief: &str| ProgramRequest {
        assets: assets.clone(),
        corporate_state: corporate_state.clone(),
        program_type: ProgramType::Slb,
        program_description: brief.to_string(),
        floor_override: None,
        max_leverage_override: None,
        min_coverage_override: None,
        target_amount_override: None,
        selection_strategy: None,
        assumptions: None,
        selector_spec: None,
    };
    let planner = BuiltinPlanner::new();
    // Rent capitalised at 8x keeps the demo company's lease-adjusted leverage above 4x
    // whatever it sells, so a 3x limit cannot hold.
    let response = run_program(
        &request("Raise $250M; keep lease-adjusted leverage under 3x."),
        &planner,
        &RunSettings::default(),
    )
    .await
    .unwrap();
    let spec = &response.selector_spec;
    assert_eq!(spec.hard_constraints.max_lease_adjusted_leverage, Some(3.0));
    assert_eq!(spec.hard_constraints.max_net_leverage, Some(4.0));
    let codes: Vec<&str> = response
        .outcome
        .violations
        .iter()
        .map(|v| v.code.as_str())
        .collect();
    assert!(codes.contains(&"MAX_LEASE_ADJUSTED_LEVERAGE"), "{codes:?}");
    let credit = response.credit_analysis.as_ref().unwrap();
    let limit = credit
        .metrics
        .iter()
        .find(|m| m.name.as_str() == "lease_adjusted_leverage")
        .and_then(|m| m.limit);
    assert_eq!(limit, Some(3.0));
}

// ---- Provenance and warnings -----------------------------------------------------------------

fn planned(brief: &str) -> PlannedSpec {
    BuiltinPlanner::new().planned_spec(ProgramType::Slb, brief, &demo_context())
}

fn entry<'a>(planned: &'a PlannedSpec, field: &str) -> &'a FieldProvenance {
    planned
        .provenance
        .iter()
        .find(|p| p.field == field)
        .unwrap_or_else(|| panic!("no provenance for {field}: {:?}", planned.provenance))
}

fn note<'a>(planned: &'a PlannedSpec, field: &str) -> &'a str {
    entry(planned, field).note.as_deref().unwrap_or("")
}

#[test]
fn every_non_null_field_has_exactly_one_source() {
    for brief in [
        "hello",
        "Raise $250M through a sale-leaseback.",
        "Raise $140M, nothing in Texas, stores only, leverage under 3.5x, FCC above 2.5x.",
        "Maximize proceeds; keep P023; sell no more than 10 properties; avoid critical assets.",
        "Only sell P001, P002 and P003, with lease-adjusted leverage under 5x.",
        "Raise $100M from non-critical assets with high leaseability, excluding offices.",
    ] {
        let planned = planned(brief);
        let fields: Vec<&str> = planned
            .provenance
            .iter()
            .map(|p| p.field.as_str())
            .collect();
        assert_eq!(fields, spec_fields(&planned.spec), "{brief}");
        assert!(
            planned.provenance.iter().all(|p| p.note.is_some()),
            "{brief}: {:?}",
            planned.provenance
        );
    }
}

#[test]
fn fields_the_brief_sets_quote_its_words() {
    let p = planned(
        "Raise $250M while keeping net leverage below 3.5x; maximize proceeds and exclude Dallas.",
    );
    let brief = |field: &str| entry(&p, field).source;
    assert_eq!(brief("target_amount"), SpecFieldSource::Brief);
    assert_eq!(note(&p, "target_amount"), "\"$250M\"");
    assert_eq!(
        brief("hard_constraints.max_net_leverage"),
        SpecFieldSource::Brief
    );
    assert_eq!(
        note(&p, "hard_constraints.max_net_leverage"),
        "\"net leverage below 3.5x\""
    );
    assert_eq!(brief("objective"), SpecFieldSource::Brief);
    assert_eq!(note(&p, "objective"), "\"maximize\"");
    assert_eq!(
        brief("asset_filters.exclude_markets"),
        SpecFieldSource::Brief
    );
    assert_eq!(
        note(&p, "asset_filters.exclude_markets"),
        "\"exclude Dallas\""
    );
    // The brief set no coverage: the planner's default, said so.
    let coverage = entry(&p, "hard_constraints.min_fixed_charge_coverage");
    assert_eq!(coverage.source, SpecFieldSource::Default);
    assert!(
        coverage
            .note
            .as_deref()
            .unwrap()
            .starts_with("planner default")
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn defaults_say_they_are_defaults() {
    let p = planned("Run a sale-leaseback program.");
    for field in [
        "target_amount",
        "objective",
        "program_type",
        "max_iterations",
        "hard_constraints.max_net_leverage",
        "hard_constraints.min_fixed_charge_coverage",
        "soft_preferences.weight_criticality",
    ] {
        assert_eq!(entry(&p, field).source, SpecFieldSource::Default, "{field}");
    }
    assert_eq!(
        note(&p, "hard_constraints.max_net_leverage"),
        "planner default (the brief sets no leverage limit)"
    );
    assert_eq!(
        note(&p, "target_amount"),
        "planner default: 17.5 % of NOI at a 6.5 % cap rate"
    );
    // DECISIONS P2: the defaults themselves are kept.
    assert_eq!(p.spec.hard_constraints.max_net_leverage, Some(4.0));
    assert_eq!(p.spec.hard_constraints.min_fixed_charge_coverage, Some(3.0));
    assert_eq!(
        p.warnings.last().map(String::as_str),
        Some("no amount found: default target $384M = 17.5 % of NOI at a 6.5 % cap rate")
    );
    // "Balanced" said is balanced stated.
    let p = planned("Run a balanced sale-leaseback program.");
    assert_eq!(entry(&p, "objective").source, SpecFieldSource::Brief);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
}

#[test]
fn a_brief_with_nothing_recognisable_says_so() {
    let p = planned("hello");
    assert!(
        p.provenance
            .iter()
            .all(|e| e.source == SpecFieldSource::Default)
    );
    assert_eq!(p.spec, spec_for("Run a sale-leaseback program."));
    assert!(
        p.warnings[0].starts_with("nothing in the brief was understood"),
        "{:?}",
        p.warnings
    );
    assert!(p.warnings[1].starts_with("no amount found: default target $384M"));
}

#[test]
fn values_read_but_ignored_are_warned_about() {
    let p = planned("Raise $250M; keep leverage under 12x.");
    assert_eq!(p.spec.hard_constraints.max_net_leverage, Some(4.0));
    assert_eq!(
        entry(&p, "hard_constraints.max_net_leverage").source,
        SpecFieldSource::Default
    );
    assert_eq!(
        p.warnings,
        ["leverage 12x is outside 0–10x and was ignored"]
    );

    let p = planned(
        "Raise $100M; lease-adjusted leverage under 25x, interest coverage above 60x, \
         criticality below 4 and no more than 150% of NOI from critical sites.",
    );
    assert_eq!(
        p.warnings,
        [
            "lease-adjusted leverage 25x is outside 0–20x and was ignored",
            "interest coverage 60x is outside 0–50x and was ignored",
            "criticality 4 is outside 0–1 and was ignored",
            "the critical share of sold NOI 150% is outside 0–100 % and was ignored",
        ]
    );
    // Today's figures are no limits, and no warnings either.
    assert!(
        planned("Raise $100M; leverage is 12x today.")
            .warnings
            .is_empty()
    );
}

#[test]
fn places_and_assets_the_portfolio_lacks_are_warned_about() {
    let p = planned("Raise $100M, nothing in Boston.");
    assert_eq!(p.spec.asset_filters.exclude_markets, None);
    assert_eq!(p.warnings, ["no asset in Boston"]);
    assert_eq!(
        planned("Raise $100M; exclude Oregon and Dallas.").warnings,
        ["no asset in Oregon"]
    );
    let p = planned("Raise $100M but do not sell the Columbus Distribution Center 99.");
    assert_eq!(p.spec.asset_filters.exclude_asset_ids, None);
    assert_eq!(
        p.spec.asset_filters.exclude_markets, None,
        "not the whole market"
    );
    assert_eq!(
        p.warnings,
        [
            "no asset named \"Columbus Distribution Center 99\" in the portfolio: nothing was excluded for it"
        ]
    );
    assert_eq!(
        planned("Raise $100M; keep P099.").warnings,
        ["no asset named \"P099\" in the portfolio: nothing was excluded for it"]
    );
    assert_eq!(
        planned("Raise $100M and prefer stores.").warnings,
        ["\"prefer stores\" is a preference, not a filter; it was not applied"]
    );
}

#[test]
fn markets_of_a_state_come_from_the_portfolio() {
    let p = planned("Raise $140M, nothing in Texas.");
    let texas = entry(&p, "asset_filters.exclude_markets");
    assert_eq!(texas.source, SpecFieldSource::Portfolio);
    assert_eq!(
        texas.note.as_deref(),
        Some("\"nothing in Texas\": Dallas, TX; Austin, TX; Houston, TX")
    );
    let named = planned("Raise $140M; exclude Houston and Austin.");
    assert_eq!(
        entry(&named, "asset_filters.exclude_markets").source,
        SpecFieldSource::Brief
    );
}

#[test]
fn single_assets_and_the_count_are_attributed_to_the_brief() {
    let p = planned(
        "Raise $120M from no more than 10 properties; leave Dallas Store 13 and Austin Office 36 \
         untouched.",
    );
    assert_eq!(p.spec.hard_constraints.max_assets_sold, Some(10));
    assert_eq!(
        note(&p, "hard_constraints.max_assets_sold"),
        "\"no more than 10 properties\""
    );
    let excluded = entry(&p, "asset_filters.exclude_asset_ids");
    assert_eq!(excluded.source, SpecFieldSource::Brief);
    assert_eq!(
        excluded.note.as_deref(),
        Some("\"leave Dallas Store 13 and Austin Office 36 untouched\": P013, P036")
    );
    assert_eq!(p.spec.asset_filters.exclude_markets, None);
}

/// The demo portfolio with its markets written without a state ("Dallas"), and one market no
/// table can place.
fn stateless_context() -> PortfolioContext {
    let mut assets = demo().0.to_vec();
    for asset in &mut assets {
        asset.market = asset.market.split(',').next().unwrap().to_string();
    }
    assets[0].market = "Springfield".to_string();
    PortfolioContext::from_assets(&assets)
}

#[test]
fn a_state_reaches_markets_written_without_one() {
    let context = stateless_context();
    let p = BuiltinPlanner::new().planned_spec(
        ProgramType::Slb,
        "Raise $140M, nothing in Texas.",
        &context,
    );
    assert_eq!(
        p.spec.asset_filters.exclude_markets,
        Some(vec![
            "Dallas".to_string(),
            "Austin".to_string(),
            "Houston".to_string()
        ])
    );
    assert_eq!(
        entry(&p, "asset_filters.exclude_markets").source,
        SpecFieldSource::Portfolio
    );
    assert_eq!(
        p.warnings,
        [
            "could not tell whether Springfield is in Texas: it was not excluded by \"nothing in Texas\""
        ]
    );
    // Cities and regions resolve as well.
    let spec = BuiltinPlanner::new().selector_spec(
        ProgramType::Slb,
        "Raise $100M; exclude Dallas and the West Coast.",
        &context,
    );
    assert_eq!(
        spec.asset_filters.exclude_markets,
        Some(
            [
                "Los Angeles",
                "San Francisco",
                "Dallas",
                "Seattle",
                "San Diego"
            ]
            .map(str::to_string)
            .to_vec()
        )
    );
}

#[tokio::test]
async fn the_trait_and_the_planner_give_one_spec() {
    let planner: &dyn Planner = &BuiltinPlanner::new();
    let context = demo_context();
    for brief in [
        "hello",
        "Raise $140M, nothing in Texas; keep P023.",
        "Only sell P001, P002 and P003 and at most 2 of them.",
    ] {
        let spec = planner
            .generate_selector_spec(ProgramType::Slb, brief, &context)
            .await
            .unwrap();
        let planned = planner
            .plan_selector_spec(ProgramType::Slb, brief, &context)
            .await
            .unwrap();
        assert_eq!(spec, planned.spec, "{brief}");
    }
}

// ---- Revision when more proceeds would cure the breach ----------------------------------------

#[test]
fn a_leverage_breach_keeps_the_target() {
    let (assets, state) = demo();
    let planner = BuiltinPlanner::new();
    for brief in [
        "Raise $250M, keep leverage under 3.5x.",
        "Raise $250M; keep lease-adjusted leverage under 3x.",
    ] {
        let spec = spec_for(brief);
        let outcome = select_assets(&assets, &state, &spec, &EngineConfig::default());
        let codes: Vec<&str> = outcome.violations.iter().map(|v| v.code.as_str()).collect();
        assert!(
            codes.contains(&"TARGET_NOT_MET") && codes.len() == 2,
            "{codes:?}"
        );
        // No filter the brief left implicit: nothing to relax, the spec stays as it was.
        assert_eq!(
            planner.revised_spec_after(brief, &spec, &outcome),
            spec,
            "{brief}"
        );
        // An implicit filter is relaxed first, the target still kept.
        let mut filtered = spec.clone();
        filtered.asset_filters.max_criticality = Some(0.5);
        let revised = planner.revised_spec_after(brief, &filtered, &outcome);
        assert_eq!(revised.asset_filters.max_criticality, Some(0.6));
        assert_eq!(revised.target_amount, 250e6);
        assert_eq!(revised.soft_preferences, SoftPreferences::default());
    }
    // A shortfall alone still walks the ladder down to a target cut.
    let brief = "Raise $3B.";
    let spec = spec_for(brief);
    let outcome = select_assets(&assets, &state, &spec, &EngineConfig::default());
    let softened = planner.revised_spec_after(brief, &spec, &outcome);
    assert_eq!(softened.soft_preferences.weight_criticality, 0.5);
    assert_eq!(
        planner
            .revised_spec_after(brief, &softened, &outcome)
            .target_amount,
        2.7e9
    );
}

#[tokio::test]
async fn a_run_that_misses_only_leverage_never_cuts_the_target() {
    let (assets, corporate_state) = demo();
    let request = ProgramRequest {
        assets,
        corporate_state,
        program_type: ProgramType::Slb,
        program_description: "Raise $250M, keep leverage under 3.5x.".to_string(),
        floor_override: Some(200e6),
        max_leverage_override: None,
        min_coverage_override: None,
        target_amount_override: None,
        selection_strategy: None,
        assumptions: None,
        selector_spec: None,
    };
    let response = run_program(&request, &BuiltinPlanner::new(), &RunSettings::default())
        .await
        .unwrap();
    let trace = response.audit_trace.unwrap();
    assert_eq!(trace.entries.len(), 3);
    for entry in &trace.entries {
        assert_eq!(entry.target_after, 250e6);
        assert!(entry.policy_violations.is_empty());
    }
    assert!(trace.rejected_revision_violations.is_empty());
    assert_eq!(response.selector_spec.target_amount, 250e6);
}
