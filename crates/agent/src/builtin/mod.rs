//! The built-in planner: a deterministic reader of plain-English briefs, used when no LLM is
//! configured (DECISIONS P1–P5, S5). It follows the extraction conventions the reference gives
//! its LLM (SPEC §9.2): it takes stated numbers literally, fills silent fields with the
//! documented defaults, revises only what the brief left implicit before touching the target,
//! and writes summaries from the engine's own figures.
//!
//! The brief is tokenised once (`lexer`) and read by independent recognisers over that token
//! stream: amounts, limits, asset scope and objective. Nothing is keyed on whole sentences.

mod amounts;
mod brief;
mod comparators;
mod constraints;
mod cues;
mod filters;
mod geography;
mod lexer;
mod metrics;
mod objective;
mod phrases;
mod quantities;
mod revise;
mod scenarios;
mod summary;

use async_trait::async_trait;
use engine::RevisionPolicyConfig;
use engine::model::{
    AssetFilters, ExplanationNode, HardConstraints, ProgramOutcome, ProgramType,
    ScenarioDefinition, SelectorSpec, SoftPreferences,
};

use crate::planner::{Planner, PlannerError, PortfolioContext};
use brief::{StatedTerms, read_brief};

/// What the planner assumes when a brief is silent (DECISIONS P2; SPEC §3.1, §3.4).
#[derive(Debug, Clone, PartialEq)]
pub struct PlannerDefaults {
    pub max_net_leverage: f64,
    pub min_fixed_charge_coverage: f64,
    pub max_iterations: i64,
    /// Share of the portfolio's value to raise when the brief names no amount.
    pub target_fraction_of_portfolio: f64,
    /// Cap rate that values the portfolio for that default target.
    pub portfolio_cap_rate: f64,
}

impl Default for PlannerDefaults {
    fn default() -> Self {
        PlannerDefaults {
            max_net_leverage: 4.0,
            min_fixed_charge_coverage: 3.0,
            max_iterations: 3,
            target_fraction_of_portfolio: 0.175,
            portfolio_cap_rate: 0.065,
        }
    }
}

impl PlannerDefaults {
    /// The default target: a share of the portfolio's value at the default cap rate
    /// (17.5 % at 6.5 % by default). The OpenAI planner's prompts quote the same figure, so
    /// both planners fill a silent brief alike.
    pub(crate) fn target_for(&self, portfolio: &PortfolioContext) -> f64 {
        self.target_fraction_of_portfolio * (portfolio.total_noi / self.portfolio_cap_rate)
    }
}

/// The deterministic planner. Every method is pure: same input, same output.
#[derive(Debug, Clone, Default)]
pub struct BuiltinPlanner {
    defaults: PlannerDefaults,
    /// The revision policy's steps, so revisions stay within what the policy accepts.
    policy: RevisionPolicyConfig,
}

impl BuiltinPlanner {
    /// A planner with the reference defaults and the default revision policy.
    pub fn new() -> Self {
        Self::default()
    }

    /// A planner with other defaults, or revising for a differently configured policy.
    pub fn with_settings(defaults: PlannerDefaults, policy: RevisionPolicyConfig) -> Self {
        BuiltinPlanner { defaults, policy }
    }

    /// The initial spec: what the brief states, defaults for the rest.
    pub fn selector_spec(
        &self,
        program_type: ProgramType,
        brief: &str,
        portfolio: &PortfolioContext,
    ) -> SelectorSpec {
        let stated = read_brief(brief, &portfolio.markets);
        let limits = &stated.limits;
        SelectorSpec {
            program_type,
            objective: stated.objective,
            target_amount: stated
                .target_amount
                .unwrap_or_else(|| self.defaults.target_for(portfolio)),
            hard_constraints: HardConstraints {
                max_net_leverage: Some(
                    limits
                        .max_net_leverage
                        .unwrap_or(self.defaults.max_net_leverage),
                ),
                min_interest_coverage: limits.min_interest_coverage,
                min_fixed_charge_coverage: Some(
                    limits
                        .min_fixed_charge_coverage
                        .unwrap_or(self.defaults.min_fixed_charge_coverage),
                ),
                max_critical_fraction: limits.max_critical_fraction,
                max_lease_adjusted_leverage: limits.max_lease_adjusted_leverage,
                max_covenant_leverage: limits.max_covenant_leverage,
                max_assets_sold: None,
            },
            soft_preferences: SoftPreferences::default(),
            asset_filters: AssetFilters {
                include_asset_types: non_empty(stated.include_asset_types),
                exclude_asset_types: non_empty(stated.exclude_asset_types),
                exclude_markets: non_empty(stated.exclude_markets),
                min_leaseability_score: limits.min_leaseability_score,
                max_criticality: limits.max_criticality,
                exclude_asset_ids: None,
                include_asset_ids: None,
            },
            time_horizon_years: None,
            max_iterations: self.defaults.max_iterations,
        }
    }

    /// The next spec after an infeasible run (DECISIONS P4), one rung of a fixed ladder per
    /// call: relax the filters the brief did not state by one policy step, then soften one
    /// soft weight once, then cut the target by 10 % of the brief's amount down to 80 % of it.
    /// Hard constraints, program type, objective and `max_iterations` never change.
    pub fn revised_spec(&self, brief: &str, previous: &SelectorSpec) -> SelectorSpec {
        // Place names are resolved against the markets the previous spec excludes: that is
        // enough to tell which of those exclusions the brief asked for.
        let excluded = previous
            .asset_filters
            .exclude_markets
            .clone()
            .unwrap_or_default();
        let stated = read_brief(brief, &excluded);
        revise::revise(&stated, previous, &self.policy)
    }

    /// The 2–3 sentence summary: verdict first, then the binding constraint and the main risk,
    /// quoting the figures the engine wrote into the nodes.
    pub fn explanation_summary(&self, nodes: &[ExplanationNode]) -> String {
        summary::summarize(nodes)
    }

    /// Base, conservative and aggressive variants, then geographic focus and maximum proceeds
    /// (DECISIONS S5); `num_scenarios` is clamped to 1–5.
    pub fn scenario_definitions(
        &self,
        brief: &str,
        portfolio: &PortfolioContext,
        num_scenarios: usize,
    ) -> Vec<ScenarioDefinition> {
        let stated: StatedTerms = read_brief(brief, &portfolio.markets);
        let target = stated
            .target_amount
            .unwrap_or_else(|| self.defaults.target_for(portfolio));
        scenarios::scenarios(&stated.limits, target, &portfolio.markets, num_scenarios)
    }
}

fn non_empty<T>(items: Vec<T>) -> Option<Vec<T>> {
    (!items.is_empty()).then_some(items)
}

#[async_trait]
impl Planner for BuiltinPlanner {
    fn name(&self) -> String {
        "built-in".to_string()
    }

    async fn generate_selector_spec(
        &self,
        program_type: ProgramType,
        brief: &str,
        portfolio: &PortfolioContext,
    ) -> Result<SelectorSpec, PlannerError> {
        Ok(self.selector_spec(program_type, brief, portfolio))
    }

    async fn revise_selector_spec(
        &self,
        brief: &str,
        previous: &SelectorSpec,
        _outcome: &ProgramOutcome,
    ) -> Result<SelectorSpec, PlannerError> {
        Ok(self.revised_spec(brief, previous))
    }

    async fn generate_explanation_summary(
        &self,
        nodes: &[ExplanationNode],
    ) -> Result<String, PlannerError> {
        Ok(self.explanation_summary(nodes))
    }

    async fn generate_scenario_definitions(
        &self,
        brief: &str,
        portfolio: &PortfolioContext,
        num_scenarios: usize,
    ) -> Result<Vec<ScenarioDefinition>, PlannerError> {
        Ok(self.scenario_definitions(brief, portfolio, num_scenarios))
    }
}
