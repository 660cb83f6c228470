//! What we tell the model. The conventions are those of SPEC §9.2 (literal extraction, money
//! notation, phrase-to-field table, defaults when the brief is silent, revision priorities,
//! summary rules) and DECISIONS S4/S5 for scenarios; the wording is our own. Numbers the model
//! would otherwise have to compute (the default target) are computed here and handed over.

use engine::RevisionPolicyConfig;
use engine::model::{ExplanationNode, ProgramOutcome, ProgramType, SelectorSpec};
use engine::pyfmt::{fixed, percent, py_str_list, repr, thousands0};

use crate::{AssetLabel, PlannerDefaults, PortfolioContext};

/// A system prompt and the user turn that goes with it.
pub struct Prompt {
    pub system: String,
    pub user: String,
}

pub fn selector_spec(
    program_type: ProgramType,
    brief: &str,
    portfolio: &PortfolioContext,
) -> Prompt {
    let defaults = PlannerDefaults::default();
    let system = format!(
        r#"You are a commercial real-estate funding analyst. You turn a company's plain-English brief for a "{program}" (sale-leaseback) program into a SelectorSpec: the JSON object that an optimisation engine executes to choose which properties to sell and lease back.

Rules
1. Take the brief literally. Never scale an amount, a limit or a filter to make the plan feasible; if the portfolio cannot deliver what is asked, a later step deals with that.
2. Money is written out in dollars. "$120M", "120 million", "$120MM" and "120mm" are 120000000; "$1.5B", "1.5bn" and "1.5 billion" are 1500000000; "$750k" is 750000; "$215,000,000" is 215000000; "half a billion" is 500000000. A bare amount in a capital-raising brief ("raise 200") is in millions.
3. The portfolio description is context only. It never caps or changes an amount the brief states, even one larger than the whole portfolio.
4. Keep every filter the brief asks for, even when no asset of the portfolio matches it.

Phrases and fields
- "leverage below 4x", "max leverage 4x", "net debt / EBITDA at or below 3.75x", "a leverage covenant of 3.5x": hard_constraints.max_net_leverage = the stated number.
- "lease-adjusted leverage under 5x", "rating-agency leverage below 4.5 turns", "Moody's-adjusted leverage", "adjusted leverage", "debt / EBITDAR": hard_constraints.max_lease_adjusted_leverage = the stated number. This is the rating agencies' measure: rent capitalised as debt (a multiple of rent) over EBITDA plus rent, so the new rent of the leasebacks counts against it.
- "covenant leverage (after rent) at most 3.5x", "covenant net leverage below 3.75x", "leverage after rent": hard_constraints.max_covenant_leverage = the stated number. This is covenant leverage under US GAAP: net debt over EBITDA after deducting the new rent.
- Set max_lease_adjusted_leverage or max_covenant_leverage only when the brief names that measure (lease-adjusted, rating-agency or agency-adjusted leverage; covenant leverage or leverage after rent), never from a plain "leverage" or "net leverage" limit, and leave them null otherwise. Each lies between 0 and 20 exclusive.
- "fixed charge coverage above 3x", "FCCR at least 2x", "coverage above 3x": hard_constraints.min_fixed_charge_coverage = the stated number.
- "interest coverage of at least 4x": hard_constraints.min_interest_coverage = the stated number; "strong" or "good" interest coverage without a number: 3.5.
- "low critical exposure", "avoid critical assets", "limit critical concentration": hard_constraints.max_critical_fraction = 0.5; a stated share ("no more than 25%", "a third") is that share as a fraction.
- "avoid HQ", "don't sell offices": asset_filters.exclude_asset_types = ["office"].
- "focus on stores", "retail only", "only stores": asset_filters.include_asset_types = ["store"]. Distribution centers, DCs, warehouses and logistics sites are "distribution_center"; offices and headquarters are "office"; mixed-use properties are "mixed_use"; anything else is "other".
- "high leaseability", "easily re-leasable", "good re-leasing potential": asset_filters.min_leaseability_score = 0.7; a stated score is that score.
- "non-critical only", "non-critical assets": asset_filters.max_criticality = 0.6; a stated threshold ("criticality below 0.4") is that threshold.
- "exclude Dallas", "nothing in Texas", "outside CA": asset_filters.exclude_markets = the matching entries of the portfolio's market list, copied exactly; a state means every market in that state.
- "do not sell the Columbus Distribution Center 23", "keep P023", "leave Dallas Store 13 and Austin Office 36 untouched": asset_filters.exclude_asset_ids = the asset_id of each asset named, by its name or its id (ignoring case). Only those assets: never their whole market or asset type.
- "only sell P001, P002 and P003", "sell just the NYC Flagship": asset_filters.include_asset_ids = the asset_ids of the assets named. Types and places stay type and market filters ("only the Chicago stores" is include_asset_types ["store"] and every other market excluded), not ids.
- Asset ids come only from the portfolio's asset list, copied exactly. An asset the brief names that is not on the list is left out, never guessed.
- "sell no more than 10 properties", "at most 8 assets", "a maximum of five sales": hard_constraints.max_assets_sold = that whole number (at least 1). A count of one asset type ("at most 3 stores") sets it only when the brief sells nothing but that type.
- objective: "maximize", "max proceeds", "as much as possible" give "maximize_proceeds"; "minimize risk", "low risk", "conservative" give "minimize_risk"; anything else gives "balanced".

When the brief is silent
- hard_constraints.max_net_leverage = {leverage}, hard_constraints.min_fixed_charge_coverage = {coverage}; the other hard constraints (max_lease_adjusted_leverage, max_covenant_leverage and max_assets_sold included) and every filter (exclude_asset_ids and include_asset_ids included) are null.
- target_amount, only when the brief names no amount at all: {fraction} of the portfolio's value capitalised at {cap_rate} ({fraction} × total NOI ÷ {cap_rate}), which for this portfolio is {target}.
- max_iterations = {iterations}; time_horizon_years = null; soft_preferences: prefer_low_criticality true, prefer_high_leaseability true, weight_criticality 1.0, weight_leaseability 1.0.

Examples
- "Raise $3B even if the portfolio only supports less." on a small portfolio: target_amount 3000000000, not scaled down.
- "Only mixed-use properties; raise $60M." on a portfolio without mixed-use assets: include_asset_types ["mixed_use"] all the same.
- "Raise $200M, keep leverage under 3.5x and avoid critical assets.": target_amount 200000000, max_net_leverage 3.5, min_fixed_charge_coverage {coverage}, max_critical_fraction 0.5, max_lease_adjusted_leverage null, max_covenant_leverage null.
- "Raise $150M; keep leverage under 3.5x and lease-adjusted leverage under 5x, with covenant leverage after rent at most 4x.": target_amount 150000000, max_net_leverage 3.5, max_lease_adjusted_leverage 5.0, max_covenant_leverage 4.0.
- "Raise $90M from no more than 6 properties and keep the Columbus Distribution Center 23." with that asset listed as P023: target_amount 90000000, max_assets_sold 6, exclude_asset_ids ["P023"], exclude_markets null.

Answer with the JSON object only."#,
        program = program_type.as_str(),
        leverage = repr(defaults.max_net_leverage),
        coverage = repr(defaults.min_fixed_charge_coverage),
        iterations = defaults.max_iterations,
        fraction = percent(defaults.target_fraction_of_portfolio, 1),
        cap_rate = repr(defaults.portfolio_cap_rate),
        target = fixed(defaults.target_for(portfolio), 0),
    );
    let user = format!(
        "Program type: {program}\nBrief: {brief}\nPortfolio: {summary}\n{facts}\nWrite the SelectorSpec for this brief as JSON.",
        program = program_type.as_str(),
        summary = portfolio.summary,
        facts = portfolio_facts(portfolio, brief),
    );
    Prompt { system, user }
}

pub fn revision(brief: &str, previous: &SelectorSpec, outcome: &ProgramOutcome) -> Prompt {
    let policy = RevisionPolicyConfig::default();
    let system = format!(
        r#"You are a commercial real-estate funding analyst. The optimisation engine ran a SelectorSpec written from a company's brief and found it infeasible. Propose a revised SelectorSpec that keeps every explicit requirement of the brief.

Order of preference
1. Relax soft filters that the brief did not ask for: asset_filters.max_criticality may rise by at most {crit_step} per revision and to no more than {crit_ceiling}; asset_filters.min_leaseability_score may fall by at most {lease_step} per revision and to no less than {lease_floor}.
2. Adjust the soft preference weights.
3. Only as a last resort lower target_amount, as little as possible and never by more than {max_cut} of its current value.

Never loosen or remove a hard constraint, drop a filter, change an asset-type filter or an amount the brief states (unless nothing else can work), or change program_type. Keep asset_filters.exclude_asset_ids, asset_filters.include_asset_ids and hard_constraints.max_assets_sold exactly as they are: they name what the brief asked for. A policy check clamps or rejects changes outside these limits, so stay inside them.

By violation code
- TARGET_NOT_MET: relax the soft filters the brief did not state and keep the stated ones, even if the plan stays infeasible; cut the target only once no soft filter is left to relax.
- MAX_NET_LEVERAGE, MIN_INTEREST_COVERAGE, MIN_FIXED_CHARGE_COVERAGE, MAX_LEASE_ADJUSTED_LEVERAGE, MAX_COVENANT_LEVERAGE, MAX_ASSETS_SOLD: a revision cannot fix these; leave the hard constraints as they are (max_lease_adjusted_leverage, max_covenant_leverage and max_assets_sold included, null stays null).
- Only leverage limits (MAX_NET_LEVERAGE, MAX_LEASE_ADJUSTED_LEVERAGE, MAX_COVENANT_LEVERAGE), with or without TARGET_NOT_MET: every sale repays debt, so a lower target cannot help. Relax the soft filters the brief did not state; if there are none, keep target_amount as it is.
- MAX_CRITICAL_FRACTION: raise a max_criticality the brief did not state; otherwise make a small target cut.

A small change, or a spec that may still be infeasible, is better than one that breaks the brief. Answer with the complete revised SelectorSpec as JSON only."#,
        crit_step = repr(policy.max_criticality_step),
        crit_ceiling = repr(policy.max_criticality_ceiling),
        lease_step = repr(policy.min_leaseability_step),
        lease_floor = repr(policy.min_leaseability_floor),
        max_cut = percent(policy.max_per_iteration_target_drop_fraction, 0),
    );
    let previous_json = serde_json::to_string_pretty(previous).unwrap_or_default();
    let codes: Vec<String> = outcome
        .violations
        .iter()
        .map(|v| v.code.to_string())
        .collect();
    let violations = if outcome.violations.is_empty() {
        "None".to_owned()
    } else {
        let lines: Vec<String> = outcome
            .violations
            .iter()
            .map(|v| {
                format!(
                    "- {}: {} (actual: {}, limit: {})",
                    v.code,
                    v.detail,
                    fixed(v.actual, 2),
                    fixed(v.limit, 2)
                )
            })
            .collect();
        lines.join("\n")
    };
    let user = format!(
        "Original brief: {brief}\n\nPrevious SelectorSpec:\n{previous_json}\n\nResult: status {status}, proceeds ${proceeds}, \
         leverage after {leverage}, interest coverage after {interest}, fixed charge coverage after {fixed_charge}.\n\
         Violated: {codes}\n{violations}\n\nWrite the revised SelectorSpec as JSON.",
        status = outcome.status.as_str(),
        proceeds = thousands0(outcome.proceeds),
        leverage = multiple(outcome.leverage_after),
        interest = multiple(outcome.interest_coverage_after),
        fixed_charge = multiple(outcome.fixed_charge_coverage_after),
        codes = py_str_list(&codes),
    );
    Prompt { system, user }
}

pub fn explanation_summary(nodes: &[ExplanationNode]) -> Prompt {
    let system = "You write for an investment committee. From the explanation nodes of a sale-leaseback \
                  selection, write an executive summary of two or three sentences. Use only the facts and \
                  numbers in the nodes and calculate nothing new. Open with whether the program met its goal, \
                  then name the binding or violated constraints and the main risks. Plain text only: no lists, \
                  no headings, no Markdown."
        .to_owned();
    let lines: Vec<String> = nodes
        .iter()
        .map(|node| serde_json::to_string(node).unwrap_or_default())
        .collect();
    let nodes = if lines.is_empty() {
        "(none)".to_owned()
    } else {
        lines.join("\n")
    };
    let user = format!(
        "Explanation nodes, one JSON object per line:\n{nodes}\n\nWrite the executive summary."
    );
    Prompt { system, user }
}

pub fn scenarios(brief: &str, portfolio: &PortfolioContext, count: usize) -> Prompt {
    let system = format!(
        r#"You are a capital-markets strategist. From a company's brief for a sale-leaseback program, propose {count} scenario(s): different capital asks on the same portfolio that an investment committee compares side by side. A scenario has a label, a kind, a one-sentence rationale, a target_amount in dollars, and optional max_leverage and min_coverage overrides.

Rules
- Exactly {count} scenario(s).
- The first is the base case: kind "base", the amount the brief states (or {target} if it states none), max_leverage and min_coverage null.
- Labels are unique and at most 50 characters; a rationale is at most 200 characters.
- target_amount is a positive number of dollars ("$120M" is 120000000).
- max_leverage (net debt / EBITDA cap), when set, is between 0 and 10 exclusive; min_coverage (fixed charge coverage floor), when set, is between 0 and 20 exclusive; null keeps what the brief implies.
- An override is never looser than a limit the brief states: a leverage cap no higher, a coverage floor no lower.
- After the base case, use these kinds in this order as far as the count allows: "risk_off" (target 15-25% below the base, max_leverage about 3.0, min_coverage about 3.5); "aggressive" (target 20-40% above the base); "geo_focus" (the base target with a geographic emphasis, when the portfolio spans several states); "custom" (for example maximum proceeds: 1.5 times the base target, max_leverage 4.5, min_coverage 2.5).

Answer with JSON only, in the form {{"scenarios": [...]}}."#,
        target = fixed(PlannerDefaults::default().target_for(portfolio), 0),
    );
    let user = format!(
        "Brief: {brief}\nPortfolio: {summary}\n{facts}\nPropose {count} scenario(s) as JSON.",
        summary = portfolio.summary,
        facts = portfolio_facts(portfolio, brief),
    );
    Prompt { system, user }
}

/// The follow-up turn after an unusable answer: what was wrong, and a request to try once more.
pub fn repair(problems: &[String], wants_json: bool) -> String {
    let list: Vec<String> = problems.iter().map(|p| format!("- {p}")).collect();
    let form = if wants_json {
        "as JSON only, following the schema"
    } else {
        "as plain text"
    };
    format!(
        "Your answer could not be used:\n{}\nReply again with the complete corrected answer, {form}.",
        list.join("\n")
    )
}

/// Most assets listed by id and name in a prompt; a larger portfolio lists the assets the
/// brief seems to name first, then the others in portfolio order up to this many.
pub const MAX_LISTED_ASSETS: usize = 200;

/// The portfolio facts a brief may refer to by name: exact market strings, asset types, and
/// the assets by id and name (capped at [`MAX_LISTED_ASSETS`]).
fn portfolio_facts(portfolio: &PortfolioContext, brief: &str) -> String {
    let markets = serde_json::to_string(&portfolio.markets).unwrap_or_default();
    let types: Vec<&str> = portfolio.asset_types.iter().map(|t| t.as_str()).collect();
    let mut facts = format!(
        "Markets (exact strings): {markets}\nAsset types present: {}",
        types.join(", ")
    );
    if portfolio.assets.is_empty() {
        return facts;
    }
    let lowered = brief.to_lowercase();
    let named = |asset: &AssetLabel| {
        writes(&lowered, &asset.asset_id.to_lowercase())
            || asset
                .name
                .as_deref()
                .is_some_and(|name| writes(&lowered, &name.to_lowercase()))
    };
    let listed: Vec<&AssetLabel> = portfolio
        .assets
        .iter()
        .filter(|a| named(a))
        .chain(portfolio.assets.iter().filter(|a| !named(a)))
        .take(MAX_LISTED_ASSETS)
        .collect();
    let total = portfolio.assets.len();
    facts.push_str(&if listed.len() < total {
        format!(
            "\nAssets (asset_id, name, type, market), {} of {total} listed; the others have ids \
             not shown and may only be named by an id the brief writes out:",
            listed.len()
        )
    } else {
        "\nAssets (asset_id, name, type, market):".to_owned()
    });
    for asset in listed {
        let name = asset.name.as_deref().unwrap_or("(no name)");
        facts.push_str(&format!(
            "\n- {} | {name} | {} | {}",
            asset.asset_id,
            asset.asset_type.as_str(),
            asset.market
        ));
    }
    facts
}

/// Whether `text` holds `words` as a whole ("store 4" is not in "store 45").
fn writes(text: &str, words: &str) -> bool {
    if words.is_empty() {
        return false;
    }
    let alphanumeric_at = |at: Option<char>| at.is_some_and(char::is_alphanumeric);
    text.match_indices(words).any(|(at, found)| {
        !alphanumeric_at(text[..at].chars().next_back())
            && !alphanumeric_at(text[at + found.len()..].chars().next())
    })
}

/// A coverage or leverage multiple as `2.50x`, or `N/A` when undefined.
fn multiple(value: Option<f64>) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{}x", fixed(v, 2)),
        _ => "N/A".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use engine::model::{AssetType, ConstraintViolation, Objective, SelectionStatus};

    use super::*;

    fn portfolio() -> PortfolioContext {
        PortfolioContext {
            summary: "3 assets across 2 markets.".to_owned(),
            markets: vec!["Dallas, TX".to_owned(), "Miami, FL".to_owned()],
            asset_types: vec![AssetType::Store, AssetType::Office],
            asset_count: 3,
            total_noi: 13_000_000.0,
            total_book_value: 150_000_000.0,
            assets: Vec::new(),
        }
    }

    #[test]
    fn the_spec_prompt_carries_the_defaults_and_the_portfolio_facts() {
        let prompt = selector_spec(ProgramType::Slb, "Raise $50M.", &portfolio());
        // 17.5% × 13,000,000 / 0.065 = 35,000,000
        assert!(
            prompt.system.contains("for this portfolio is 35000000."),
            "{}",
            prompt.system
        );
        assert!(prompt.system.contains("max_net_leverage = 4.0"));
        assert!(prompt.system.contains("min_fixed_charge_coverage = 3.0"));
        // The credit leverage limits: what names them, that they are never defaulted, and an
        // example setting both next to plain leverage.
        assert!(prompt.system.contains(
            "\"lease-adjusted leverage under 5x\", \"rating-agency leverage below 4.5 turns\""
        ));
        assert!(prompt.system.contains(
            "\"covenant leverage (after rent) at most 3.5x\", \"covenant net leverage below 3.75x\""
        ));
        assert!(prompt.system.contains(
            "(max_lease_adjusted_leverage, max_covenant_leverage and max_assets_sold included) and every filter (exclude_asset_ids and include_asset_ids included) are null"
        ));
        assert!(prompt.system.contains(
            "max_net_leverage 3.5, max_lease_adjusted_leverage 5.0, max_covenant_leverage 4.0."
        ));
        assert!(prompt.user.contains("Brief: Raise $50M."));
        assert!(
            prompt
                .user
                .contains(r#"Markets (exact strings): ["Dallas, TX","Miami, FL"]"#)
        );
        assert!(prompt.user.contains("Asset types present: store, office"));
    }

    fn with_assets(count: usize) -> PortfolioContext {
        PortfolioContext {
            assets: (1..=count)
                .map(|i| AssetLabel {
                    asset_id: format!("P{i:03}"),
                    name: Some(format!("Dallas Store {i}")),
                    asset_type: AssetType::Store,
                    market: "Dallas, TX".to_owned(),
                    country: None,
                })
                .collect(),
            asset_count: count,
            ..portfolio()
        }
    }

    #[test]
    fn the_spec_prompt_covers_single_assets_and_the_count() {
        let prompt = selector_spec(ProgramType::Slb, "Keep P002.", &with_assets(3));
        for rule in [
            "asset_filters.exclude_asset_ids = the asset_id of each asset named",
            "asset_filters.include_asset_ids = the asset_ids of the assets named",
            "Asset ids come only from the portfolio's asset list, copied exactly",
            "hard_constraints.max_assets_sold = that whole number (at least 1)",
            "max_assets_sold 6, exclude_asset_ids [\"P023\"], exclude_markets null.",
        ] {
            assert!(prompt.system.contains(rule), "{rule}");
        }
        assert!(
            prompt.user.contains(
                "Assets (asset_id, name, type, market):\n- P002 | Dallas Store 2 | store | Dallas, TX\n- P001 |"
            ),
            "{}",
            prompt.user
        );
        let revision = revision(
            "Keep P002.",
            &SelectorSpec::new(Objective::Balanced, 1e6),
            &outcome(),
        );
        assert!(revision.system.contains(
            "Keep asset_filters.exclude_asset_ids, asset_filters.include_asset_ids and hard_constraints.max_assets_sold exactly as they are"
        ));
        assert!(
            revision
                .system
                .contains("if there are none, keep target_amount as it is")
        );
    }

    #[test]
    fn a_large_portfolio_lists_the_named_assets_first_and_caps_the_rest() {
        let prompt = selector_spec(
            ProgramType::Slb,
            "Do not sell Dallas Store 450 or P300.",
            &with_assets(500),
        );
        let lines: Vec<&str> = prompt
            .user
            .lines()
            .filter(|l| l.starts_with("- P"))
            .collect();
        assert_eq!(lines.len(), MAX_LISTED_ASSETS);
        assert!(lines[0].starts_with("- P300 |"), "{}", lines[0]);
        assert!(lines[1].starts_with("- P450 |"), "{}", lines[1]);
        assert!(lines[2].starts_with("- P001 |"));
        assert!(prompt.user.contains("200 of 500 listed"));
    }

    fn outcome() -> ProgramOutcome {
        ProgramOutcome {
            status: SelectionStatus::Infeasible,
            selected_assets: Default::default(),
            proceeds: 0.0,
            leverage_before: None,
            interest_coverage_before: None,
            fixed_charge_coverage_before: None,
            leverage_after: None,
            interest_coverage_after: None,
            fixed_charge_coverage_after: None,
            critical_fraction: 0.0,
            violations: Vec::new(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn the_revision_prompt_reports_the_outcome() {
        let outcome = ProgramOutcome {
            status: SelectionStatus::Infeasible,
            selected_assets: Default::default(),
            proceeds: 1_234_567.5,
            leverage_before: None,
            interest_coverage_before: None,
            fixed_charge_coverage_before: None,
            leverage_after: Some(3.456),
            interest_coverage_after: None,
            fixed_charge_coverage_after: Some(f64::NAN),
            critical_fraction: 0.0,
            violations: vec![ConstraintViolation {
                code: engine::model::ViolationCode::TargetNotMet,
                detail: "short".to_owned(),
                actual: f64::NAN,
                limit: 2e6,
            }],
            warnings: Vec::new(),
        };
        let prompt = revision(
            "Raise $2M.",
            &SelectorSpec::new(Objective::Balanced, 2e6),
            &outcome,
        );
        assert!(
            prompt
                .system
                .contains("never by more than 20% of its current value")
        );
        assert!(
            prompt
                .system
                .contains("at most 0.1 per revision and to no more than 0.8")
        );
        assert!(prompt.user.contains("status infeasible, proceeds $1,234,568, leverage after 3.46x, interest coverage after N/A, fixed charge coverage after N/A."), "{}", prompt.user);
        assert!(prompt.user.contains(
            "Violated: ['TARGET_NOT_MET']\n- TARGET_NOT_MET: short (actual: nan, limit: 2000000.00)"
        ));
        assert!(prompt.user.contains("  \"target_amount\": 2000000.0,"));
        assert!(prompt.system.contains(
            "MAX_LEASE_ADJUSTED_LEVERAGE, MAX_COVENANT_LEVERAGE, MAX_ASSETS_SOLD: a revision cannot fix these"
        ));
    }

    #[test]
    fn repair_lists_every_problem() {
        let text = repair(&["a: bad".to_owned(), "b: worse".to_owned()], true);
        assert_eq!(
            text,
            "Your answer could not be used:\n- a: bad\n- b: worse\nReply again with the complete corrected answer, as JSON only, following the schema."
        );
    }
}
