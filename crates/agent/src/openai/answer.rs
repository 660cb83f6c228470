//! Reading the model's answers: the JSON is parsed into our types and checked against the ranges
//! of the wire models and the contracts of each call (DECISIONS S4 for scenarios). A failed check
//! yields the list of problems, phrased so that they can be sent back to the model verbatim.

use std::collections::{HashMap, HashSet};

use engine::model::{
    CheckBounds, Checker, FieldError, ScenarioDefinition, ScenarioDefinitions, ScenarioKind,
    SelectorSpec, parse_checked,
};
use schemars::JsonSchema;
use serde::Deserialize;

use super::transport::Completion;
use crate::PortfolioContext;

/// Most scenarios a set may hold (SPEC §11.4).
pub const MAX_SCENARIOS: usize = 5;

/// What the model must answer to "generate scenarios": the engine's [`ScenarioDefinitions`],
/// wrapped so that its ranges can be checked like every other answer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(transparent)]
pub struct ScenarioAnswer(ScenarioDefinitions);

impl CheckBounds for ScenarioAnswer {
    fn check_bounds(&self, c: &mut Checker<'_>) {
        self.0.scenarios.check_bounds(&mut c.nested("scenarios"));
    }
}

/// The text of an answer, or the problem of an answer without text.
fn text_of(completion: &Completion) -> Result<&str, Vec<String>> {
    match completion.content.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => Ok(text),
        _ => {
            let mut problem = "the answer was empty".to_owned();
            if let Some(refusal) = &completion.refusal {
                problem.push_str(&format!(" (refused: {refusal})"));
            } else if let Some(reason) = &completion.finish_reason {
                problem.push_str(&format!(" (finish reason: {reason})"));
            }
            Err(vec![problem])
        }
    }
}

/// A selector spec: well-formed, within range, and — when the portfolio is known — excluding
/// only markets of the portfolio and naming only its assets, since a misspelt market or an
/// invented asset id would silently filter nothing (or, on the whitelist, everything).
pub fn read_spec(
    completion: &Completion,
    portfolio: Option<&PortfolioContext>,
) -> Result<SelectorSpec, Vec<String>> {
    let spec: SelectorSpec = read_json(completion)?;
    let mut problems = Vec::new();
    let Some(portfolio) = portfolio else {
        return Ok(spec);
    };
    let filters = &spec.asset_filters;
    if let Some(excluded) = &filters.exclude_markets {
        for market in excluded.iter().filter(|m| !portfolio.markets.contains(m)) {
            problems.push(format!(
                "asset_filters.exclude_markets: {market:?} is not a market of this portfolio; \
                 use the exact market strings listed"
            ));
        }
    }
    // Without the asset list (an empty one) ids cannot be checked.
    if !portfolio.assets.is_empty() {
        let known: HashSet<&str> = portfolio
            .assets
            .iter()
            .map(|a| a.asset_id.as_str())
            .collect();
        for (field, ids) in [
            ("exclude_asset_ids", &filters.exclude_asset_ids),
            ("include_asset_ids", &filters.include_asset_ids),
        ] {
            for id in ids
                .iter()
                .flatten()
                .filter(|id| !known.contains(id.as_str()))
            {
                problems.push(format!(
                    "asset_filters.{field}: {id:?} is not an asset_id of this portfolio; use \
                     the exact ids of the asset list, and leave out an asset the list lacks"
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(spec)
    } else {
        Err(problems)
    }
}

/// Exactly `wanted` scenarios, the first of kind `base`, labels unique, every field in range.
pub fn read_scenarios(
    completion: &Completion,
    wanted: usize,
) -> Result<Vec<ScenarioDefinition>, Vec<String>> {
    let ScenarioAnswer(ScenarioDefinitions { scenarios }) = read_json(completion)?;
    let problems = scenario_contract_problems(&scenarios, wanted);
    if problems.is_empty() {
        Ok(scenarios)
    } else {
        Err(problems)
    }
}

/// A plain-text explanation summary.
pub fn read_summary(completion: &Completion) -> Result<String, Vec<String>> {
    text_of(completion).map(str::to_owned)
}

fn scenario_contract_problems(scenarios: &[ScenarioDefinition], wanted: usize) -> Vec<String> {
    let mut problems = Vec::new();
    if scenarios.len() != wanted {
        problems.push(format!(
            "scenarios: expected exactly {wanted}, got {}",
            scenarios.len()
        ));
    }
    if let Some(first) = scenarios.first().filter(|s| s.kind != ScenarioKind::Base) {
        problems.push(format!(
            "scenarios[0].kind: the first scenario must be the base case (\"base\"), not {:?}",
            first.kind.as_str()
        ));
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, scenario) in scenarios.iter().enumerate() {
        let key = scenario.label.trim().to_lowercase();
        if let Some(first) = seen.get(&key) {
            problems.push(format!(
                "scenarios[{i}].label: {:?} repeats the label of scenarios[{first}]; labels must be unique",
                scenario.label
            ));
        } else {
            seen.insert(key, i);
        }
    }
    problems
}

/// Parses the answer's JSON into `T` and checks its ranges. Models without schema enforcement
/// sometimes wrap the object in a Markdown code fence; that wrapping is tolerated.
fn read_json<T: serde::de::DeserializeOwned + CheckBounds>(
    completion: &Completion,
) -> Result<T, Vec<String>> {
    let json = strip_code_fence(text_of(completion)?);
    if let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(json) {
        return Err(vec![format!("the answer is not valid JSON: {error}")]);
    }
    parse_checked::<T>(json.as_bytes()).map_err(|errors| errors.iter().map(describe).collect())
}

fn describe(error: &FieldError) -> String {
    match error.field.as_str() {
        "" | "?" => format!("the answer does not follow the schema: {}", error.message),
        field => format!("{field}: {}", error.message),
    }
}

fn strip_code_fence(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("```") else {
        return text;
    };
    let body = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric());
    body.strip_suffix("```").unwrap_or(body).trim()
}

#[cfg(test)]
mod tests {
    use engine::model::AssetType;
    use serde_json::json;

    use super::*;
    use crate::planner::AssetLabel;

    fn answer(content: &str) -> Completion {
        Completion {
            content: Some(content.to_owned()),
            ..Completion::default()
        }
    }

    fn scenario(label: &str, kind: &str) -> serde_json::Value {
        json!({"label": label, "kind": kind, "rationale": "why", "target_amount": 1.0e8,
               "max_leverage": null, "min_coverage": null})
    }

    #[test]
    fn fenced_json_is_accepted() {
        let spec = read_spec(
            &answer("```json\n{\"program_type\": \"slb\", \"objective\": \"balanced\", \"target_amount\": 5e7}\n```"),
            None,
        )
        .unwrap();
        assert_eq!(spec.target_amount, 5e7);
    }

    #[test]
    fn problems_name_the_field() {
        let bad = json!({"program_type": "slb", "objective": "balanced", "target_amount": -5.0,
                         "hard_constraints": {"max_net_leverage": 50.0}});
        let problems = read_spec(&answer(&bad.to_string()), None).unwrap_err();
        assert_eq!(
            problems,
            [
                "target_amount: must be > 0",
                "hard_constraints.max_net_leverage: must be in (0, 10)"
            ]
        );
        let problems = read_spec(&answer("{\"program_type\": \"slb\""), None).unwrap_err();
        assert_eq!(
            problems,
            ["the answer is not valid JSON: EOF while parsing an object at line 1 column 22"]
        );
        let problems = read_spec(
            &answer("{\"program_type\": \"slb\", \"objective\": \"balanced\"}"),
            None,
        )
        .unwrap_err();
        assert_eq!(problems, ["target_amount: is required"]);
        let problems = read_spec(&answer("\"a spec\""), None).unwrap_err();
        assert!(
            problems[0].starts_with("the answer does not follow the schema: invalid type"),
            "{problems:?}"
        );
        let problems = read_spec(
            &answer(
                &json!({"program_type": "slb", "objective": "greedy", "target_amount": 1.0})
                    .to_string(),
            ),
            None,
        )
        .unwrap_err();
        assert!(
            problems[0].starts_with("objective: unknown variant `greedy`"),
            "{problems:?}"
        );
    }

    #[test]
    fn credit_leverage_limits_are_read_and_range_checked() {
        let spec = |lease_adjusted: serde_json::Value, covenant: serde_json::Value| {
            answer(
                &json!({"program_type": "slb", "objective": "balanced", "target_amount": 1.0,
                        "hard_constraints": {"max_net_leverage": 3.5,
                                             "max_lease_adjusted_leverage": lease_adjusted,
                                             "max_covenant_leverage": covenant}})
                .to_string(),
            )
        };
        let read = read_spec(&spec(json!(5.0), json!(3.75)), None).unwrap();
        assert_eq!(read.hard_constraints.max_net_leverage, Some(3.5));
        assert_eq!(read.hard_constraints.max_lease_adjusted_leverage, Some(5.0));
        assert_eq!(read.hard_constraints.max_covenant_leverage, Some(3.75));
        let read = read_spec(&spec(json!(null), json!(null)), None).unwrap();
        assert_eq!(read.hard_constraints.max_lease_adjusted_leverage, None);
        assert_eq!(read.hard_constraints.max_covenant_leverage, None);
        // Net leverage's range is (0, 10); these two go up to 20.
        assert!(read_spec(&spec(json!(12.0), json!(15.0)), None).is_ok());
        assert_eq!(
            read_spec(&spec(json!(20.0), json!(-1.0)), None).unwrap_err(),
            [
                "hard_constraints.max_lease_adjusted_leverage: must be in (0, 20)",
                "hard_constraints.max_covenant_leverage: must be in (0, 20)"
            ]
        );
    }

    fn portfolio() -> PortfolioContext {
        PortfolioContext {
            summary: String::new(),
            markets: vec!["Dallas, TX".to_owned()],
            asset_types: vec![AssetType::Store],
            asset_count: 2,
            total_noi: 1.0,
            total_book_value: 1.0,
            assets: ["P001", "P002"]
                .iter()
                .map(|id| AssetLabel {
                    asset_id: id.to_string(),
                    name: None,
                    asset_type: AssetType::Store,
                    market: "Dallas, TX".to_owned(),
                    country: None,
                })
                .collect(),
        }
    }

    #[test]
    fn excluded_markets_must_exist() {
        let spec = |market: &str| {
            json!({"program_type": "slb", "objective": "balanced", "target_amount": 1.0,
                   "asset_filters": {"exclude_markets": [market]}})
            .to_string()
        };
        assert!(read_spec(&answer(&spec("Dallas, TX")), Some(&portfolio())).is_ok());
        let problems = read_spec(&answer(&spec("Dallas")), Some(&portfolio())).unwrap_err();
        assert!(
            problems[0].contains("\"Dallas\" is not a market"),
            "{problems:?}"
        );
    }

    #[test]
    fn named_assets_must_exist() {
        let spec = |excluded: &[&str], included: &[&str], cap: serde_json::Value| {
            answer(
                &json!({"program_type": "slb", "objective": "balanced", "target_amount": 1.0,
                        "hard_constraints": {"max_assets_sold": cap},
                        "asset_filters": {"exclude_asset_ids": excluded,
                                          "include_asset_ids": included}})
                .to_string(),
            )
        };
        let read = read_spec(&spec(&["P001"], &["P002"], json!(3)), Some(&portfolio())).unwrap();
        assert_eq!(
            read.asset_filters.exclude_asset_ids,
            Some(vec!["P001".to_owned()])
        );
        assert_eq!(
            read.asset_filters.include_asset_ids,
            Some(vec!["P002".to_owned()])
        );
        assert_eq!(read.hard_constraints.max_assets_sold, Some(3));
        let problems =
            read_spec(&spec(&["p001"], &["P009"], json!(null)), Some(&portfolio())).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with(
            "asset_filters.exclude_asset_ids: \"p001\" is not an asset_id of this portfolio"
        ));
        assert!(problems[1].starts_with("asset_filters.include_asset_ids: \"P009\""));
        // A portfolio without its asset list cannot tell.
        let mut unknown = portfolio();
        unknown.assets.clear();
        assert!(read_spec(&spec(&["P009"], &[], json!(null)), Some(&unknown)).is_ok());
        // The count is at least one.
        assert_eq!(
            read_spec(&spec(&[], &[], json!(0)), Some(&portfolio())).unwrap_err(),
            ["hard_constraints.max_assets_sold: must be >= 1"]
        );
    }

    #[test]
    fn scenario_contract() {
        let set =
            |items: Vec<serde_json::Value>| answer(&json!({ "scenarios": items }).to_string());
        let good = set(vec![
            scenario("Base Case", "base"),
            scenario("Downside", "risk_off"),
        ]);
        assert_eq!(read_scenarios(&good, 2).unwrap().len(), 2);
        assert_eq!(
            read_scenarios(&good, 3).unwrap_err(),
            ["scenarios: expected exactly 3, got 2"]
        );

        let not_base_first = set(vec![
            scenario("Downside", "risk_off"),
            scenario("Base Case", "base"),
        ]);
        assert!(
            read_scenarios(&not_base_first, 2).unwrap_err()[0].starts_with("scenarios[0].kind")
        );

        let repeated = set(vec![
            scenario("Base Case", "base"),
            scenario("base case ", "custom"),
        ]);
        assert!(read_scenarios(&repeated, 2).unwrap_err()[0].starts_with("scenarios[1].label"));

        let long_label = set(vec![scenario(&"x".repeat(51), "base")]);
        assert_eq!(
            read_scenarios(&long_label, 1).unwrap_err(),
            ["scenarios[0].label: must have at most 50 characters"]
        );
    }

    #[test]
    fn empty_answers_say_why() {
        let refused = Completion {
            refusal: Some("cannot help".into()),
            ..Completion::default()
        };
        assert_eq!(
            read_summary(&refused).unwrap_err(),
            ["the answer was empty (refused: cannot help)"]
        );
        let cut = Completion {
            content: Some(" ".into()),
            finish_reason: Some("length".into()),
            ..Completion::default()
        };
        assert_eq!(
            read_summary(&cut).unwrap_err(),
            ["the answer was empty (finish reason: length)"]
        );
        assert_eq!(read_summary(&answer(" Done. ")).unwrap(), "Done.");
    }
}
