//! JSON schemas for structured output, generated from our Rust types and reshaped for the
//! strict mode of OpenAI-compatible servers.
//!
//! Strict mode (OpenAI) and grammar-constrained decoding (vLLM, llama.cpp, Ollama) accept only a
//! subset of JSON Schema: every object must list all its properties in `required` and forbid
//! others, and validation keywords such as `format`, `minimum` or `default` are rejected by some
//! servers and ignored by others. So the schema sent keeps only the structural keywords; the
//! ranges are enforced after parsing by the engine's bounds checks instead.

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::Value;

/// Keywords every strict-mode implementation understands. Anything else is dropped.
const KEPT_KEYWORDS: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "anyOf",
    "description",
];

/// The strict schema of `T`: subschemas inlined, every object closed and fully required.
/// Optional fields stay optional in meaning because their type already admits `null`.
pub fn strict_schema_for<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .with(|settings| {
            settings.inline_subschemas = true;
            settings.meta_schema = None;
        })
        .for_deserialize()
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    make_strict(&mut schema);
    schema
}

/// Rewrites one schema node and, recursively, every subschema below it.
fn make_strict(schema: &mut Value) {
    let Value::Object(node) = schema else { return };
    node.retain(|keyword, _| KEPT_KEYWORDS.contains(&keyword.as_str()));

    if let Some(Value::Object(properties)) = node.get_mut("properties") {
        properties.values_mut().for_each(make_strict);
        let names = properties.keys().cloned().map(Value::String).collect();
        node.insert("required".to_owned(), Value::Array(names));
        node.insert("additionalProperties".to_owned(), Value::Bool(false));
    }
    if let Some(items) = node.get_mut("items") {
        make_strict(items);
    }
    if let Some(Value::Array(alternatives)) = node.get_mut("anyOf") {
        alternatives.iter_mut().for_each(make_strict);
    }
}

#[cfg(test)]
mod tests {
    use engine::model::SelectorSpec;
    use serde_json::{Map, json};

    use super::*;
    use crate::openai::answer::ScenarioAnswer;

    /// Every object node of `schema`, for checks that must hold everywhere.
    fn object_nodes(schema: &Value) -> Vec<&Map<String, Value>> {
        let mut found = Vec::new();
        let mut stack = vec![schema];
        while let Some(value) = stack.pop() {
            let Value::Object(node) = value else { continue };
            if node.contains_key("properties") {
                found.push(node);
            }
            if let Some(Value::Object(properties)) = node.get("properties") {
                stack.extend(properties.values());
            }
            stack.extend(node.get("items"));
            if let Some(Value::Array(alternatives)) = node.get("anyOf") {
                stack.extend(alternatives);
            }
        }
        found
    }

    fn keywords(schema: &Value, out: &mut Vec<String>) {
        if let Value::Object(node) = schema {
            for (key, value) in node {
                if key == "properties" {
                    value
                        .as_object()
                        .into_iter()
                        .flat_map(|p| p.values())
                        .for_each(|v| keywords(v, out));
                } else {
                    out.push(key.clone());
                    keywords(value, out);
                }
            }
        } else if let Value::Array(items) = schema {
            items.iter().for_each(|v| keywords(v, out));
        }
    }

    #[test]
    fn every_object_is_closed_and_fully_required() {
        for schema in [
            strict_schema_for::<SelectorSpec>(),
            strict_schema_for::<ScenarioAnswer>(),
        ] {
            let objects = object_nodes(&schema);
            assert!(objects.len() >= 2);
            for node in objects {
                assert_eq!(node["additionalProperties"], json!(false));
                let mut required: Vec<&str> = node["required"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap())
                    .collect();
                let mut properties: Vec<&str> = node["properties"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                required.sort_unstable();
                properties.sort_unstable();
                assert_eq!(required, properties);
            }
        }
    }

    #[test]
    fn only_structural_keywords_remain() {
        let mut found = Vec::new();
        keywords(&strict_schema_for::<SelectorSpec>(), &mut found);
        keywords(&strict_schema_for::<ScenarioAnswer>(), &mut found);
        for keyword in &found {
            assert!(
                KEPT_KEYWORDS.contains(&keyword.as_str()),
                "unexpected keyword {keyword}"
            );
        }
        assert!(
            !found
                .iter()
                .any(|k| k == "$ref" || k == "format" || k == "default")
        );
    }

    #[test]
    fn optional_fields_are_nullable_and_required_ones_are_not() {
        let schema = strict_schema_for::<SelectorSpec>();
        let hard = &schema["properties"]["hard_constraints"]["properties"];
        // Every hard constraint, the credit leverage limits (CREDIT.md §1.3) included, is
        // required and nullable: strict mode makes the model write each one, null when unset.
        let required = &schema["properties"]["hard_constraints"]["required"];
        for name in [
            "max_net_leverage",
            "min_interest_coverage",
            "min_fixed_charge_coverage",
            "max_critical_fraction",
            "max_lease_adjusted_leverage",
            "max_covenant_leverage",
        ] {
            assert_eq!(hard[name]["type"], json!(["number", "null"]), "{name}");
            assert!(
                required.as_array().unwrap().contains(&json!(name)),
                "{name}"
            );
        }
        assert_eq!(hard["max_assets_sold"]["type"], json!(["integer", "null"]));
        assert_eq!(hard.as_object().unwrap().len(), 7);
        assert_eq!(
            schema["properties"]["target_amount"]["type"],
            json!("number")
        );
        assert_eq!(schema["properties"]["program_type"]["enum"], json!(["slb"]));
        let filters = &schema["properties"]["asset_filters"]["properties"];
        assert_eq!(
            filters["include_asset_types"]["type"],
            json!(["array", "null"])
        );
        assert_eq!(
            filters["include_asset_types"]["items"]["enum"][1],
            json!("distribution_center")
        );
        // Single assets by id: nullable lists of strings, required like every other filter.
        let required = &schema["properties"]["asset_filters"]["required"];
        for name in ["exclude_asset_ids", "include_asset_ids"] {
            assert_eq!(filters[name]["type"], json!(["array", "null"]), "{name}");
            assert_eq!(filters[name]["items"]["type"], json!("string"), "{name}");
            assert!(
                required.as_array().unwrap().contains(&json!(name)),
                "{name}"
            );
        }
        assert_eq!(filters.as_object().unwrap().len(), 7);
        assert!(
            required
                .as_array()
                .unwrap()
                .contains(&json!("exclude_asset_ids"))
        );
        let hard_required = schema["properties"]["hard_constraints"]["required"]
            .as_array()
            .unwrap();
        assert!(hard_required.contains(&json!("max_assets_sold")));
    }
}
