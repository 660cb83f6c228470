//! The wire contract at the boundary (SPEC §0, §2; DECISIONS C1, C3, F3): parsing a request with
//! `parse_checked` reports every out-of-range field with its path, shape errors name where they
//! happened, unknown fields are ignored and no non-finite number gets in; serialising emits every
//! declared field (absent ones as `null`) in the reference's order, and NaN as `null`.

use std::fmt;

use engine::model::{
    AuditPhase, AuditTrace, AuditTraceEntry, ConstraintViolation, FieldError, OutcomeSnapshot,
    ProgramOutcome, ProgramRequest, SelectedAssets, SelectionStatus, SelectorSpec, SpecSnapshot,
    TargetSource, parse_checked,
};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

fn asset(id: &str, noi: f64) -> Value {
    json!({
        "asset_id": id, "asset_type": "store", "market": "Dallas, TX", "noi": noi,
        "book_value": 4_000_000.0, "criticality": 0.3, "leaseability_score": 0.8
    })
}

/// A valid request with only the required fields.
fn valid_request() -> Value {
    json!({
        "assets": [asset("A1", 500_000.0), asset("A2", 750_000.0)],
        "corporate_state": {"net_debt": 1.0e9, "ebitda": 2.0e8, "interest_expense": 5.0e7},
        "program_type": "slb",
        "program_description": "Raise $60M via SLB"
    })
}

fn parse(body: &Value) -> Result<ProgramRequest, Vec<FieldError>> {
    parse_checked::<ProgramRequest>(body.to_string().as_bytes())
}

fn parse_text(body: &str) -> Result<ProgramRequest, Vec<FieldError>> {
    parse_checked::<ProgramRequest>(body.as_bytes())
}

fn error(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.to_owned(),
    }
}

/// The single shape error of a body that does not parse.
fn shape_error(result: Result<ProgramRequest, Vec<FieldError>>) -> FieldError {
    let errors = result.expect_err("the body must be rejected");
    assert_eq!(errors.len(), 1, "a shape error stops parsing: {errors:?}");
    errors.into_iter().next().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Range rules
// ---------------------------------------------------------------------------------------------

#[test]
fn a_valid_request_passes() {
    let request = parse(&valid_request()).expect("valid request");
    assert_eq!(request.assets.len(), 2);
    assert_eq!(request.assets[1].noi, 750_000.0);
    assert_eq!(request.corporate_state.interest_expense, 5.0e7);
    assert_eq!(request.program_description, "Raise $60M via SLB");
}

#[test]
fn every_out_of_range_field_is_reported_with_its_path() {
    let mut body = valid_request();
    body["assets"][1]["noi"] = json!(0.0);
    body["corporate_state"]["net_debt"] = json!(-1.0);
    body["program_description"] = json!("");
    body["max_leverage_override"] = json!(10.0);
    body["min_coverage_override"] = json!(0.0);
    body["floor_override"] = json!(-5.0);

    let errors = parse(&body).expect_err("out-of-range fields");
    assert_eq!(
        errors,
        vec![
            error("assets[1].noi", "must be > 0"),
            error("corporate_state.net_debt", "must be >= 0"),
            error("program_description", "must have at least 1 character"),
            error("floor_override", "must be > 0"),
            error("max_leverage_override", "must be in (0, 10)"),
            error("min_coverage_override", "must be in (0, 20)"),
        ]
    );
}

#[test]
fn every_bad_field_of_an_asset_is_reported() {
    let mut body = valid_request();
    let bad = &mut body["assets"][0];
    bad["book_value"] = json!(0.0);
    bad["criticality"] = json!(1.5);
    bad["leaseability_score"] = json!(-0.1);
    bad["tenant_credit_score"] = json!(2.0);
    bad["wault_years"] = json!(-1.0);

    let errors = parse(&body).expect_err("out-of-range asset");
    assert_eq!(
        errors,
        vec![
            error("assets[0].book_value", "must be > 0"),
            error("assets[0].criticality", "must be in [0, 1]"),
            error("assets[0].leaseability_score", "must be in [0, 1]"),
            error("assets[0].tenant_credit_score", "must be in [0, 1]"),
            error("assets[0].wault_years", "must be >= 0"),
        ]
    );
}

#[test]
fn an_empty_asset_list_is_rejected() {
    let mut body = valid_request();
    body["assets"] = json!([]);
    assert_eq!(
        parse(&body).expect_err("empty assets"),
        vec![error("assets", "must contain at least 1 asset")]
    );
}

#[test]
fn range_bounds_are_open_or_closed_as_in_the_reference() {
    let mut body = valid_request();
    body["assets"][0]["criticality"] = json!(0.0);
    body["assets"][1]["criticality"] = json!(1.0);
    body["assets"][1]["leaseability_score"] = json!(0.0);
    body["corporate_state"]["net_debt"] = json!(0.0);
    body["corporate_state"]["interest_expense"] = json!(0.0);
    body["corporate_state"]["ebitda"] = json!(-2.0e8);
    body["max_leverage_override"] = json!(9.999);
    body["min_coverage_override"] = json!(19.99);
    parse(&body).expect("boundary values inside the ranges are accepted");
}

#[test]
fn a_whitespace_only_description_passes_the_model() {
    // The reference only requires min_length 1 here.
    let mut body = valid_request();
    body["program_description"] = json!("   ");
    assert!(parse(&body).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Shape errors
// ---------------------------------------------------------------------------------------------

#[test]
fn a_wrong_type_names_its_path() {
    let mut body = valid_request();
    body["assets"][1]["noi"] = json!("500000");
    let error = shape_error(parse(&body));
    assert_eq!(error.field, "assets[1].noi");
    assert!(error.message.contains("invalid type"), "{error}");
}

#[test]
fn an_unknown_enum_value_names_its_path() {
    let mut body = valid_request();
    body["assets"][0]["asset_type"] = json!("warehouse");
    let error = shape_error(parse(&body));
    assert_eq!(error.field, "assets[0].asset_type");
    assert!(error.message.contains("warehouse"), "{error}");
}

#[test]
fn a_missing_required_field_is_named() {
    let mut body = valid_request();
    body["corporate_state"]
        .as_object_mut()
        .unwrap()
        .remove("ebitda");
    let error = shape_error(parse(&body));
    assert_eq!(error.field, "corporate_state.ebitda");
    assert_eq!(error.message, "is required");
}

#[test]
fn malformed_json_is_an_error_with_its_position() {
    let text = valid_request().to_string();
    let truncated = &text[..text.find("\"noi\"").unwrap() + 8];
    let error = shape_error(parse_text(truncated));
    assert!(error.field.starts_with("assets[0]"), "{error}");
    assert!(error.message.contains("line 1 column"), "{error}");

    let error = shape_error(parse_text("{not json"));
    assert!(error.message.contains("line 1 column"), "{error}");
}

#[test]
fn non_finite_numbers_never_get_in() {
    // JSON has no NaN or Infinity: overflowing literals and bare NaN are parse errors, also for
    // fields without a range rule.
    for (field, literal) in [
        ("noi", "1e999"),
        ("noi", "-1e999"),
        ("demographic_index", "1e999"),
        ("esg_risk_score", "NaN"),
        ("noi", "Infinity"),
    ] {
        let mut body = valid_request();
        body["assets"][0][field] = json!("PLACEHOLDER");
        let text = body.to_string().replace("\"PLACEHOLDER\"", literal);
        let error = shape_error(parse_text(&text));
        assert_eq!(
            error.field,
            format!("assets[0].{field}"),
            "{literal}: {error}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Leniency: unknown fields, missing optional fields
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_fields_are_ignored() {
    let mut body = valid_request();
    body["client_version"] = json!("2.1");
    body["assets"][0]["color"] = json!("blue");
    body["corporate_state"]["currency"] = json!("USD");
    let request = parse(&body).expect("unknown fields are ignored");
    assert_eq!(request, parse(&valid_request()).unwrap());
}

#[test]
fn missing_optional_fields_are_none_and_serialize_as_null() {
    let request = parse(&valid_request()).unwrap();
    assert_eq!(request.floor_override, None);
    assert_eq!(request.max_leverage_override, None);
    assert_eq!(request.min_coverage_override, None);
    assert_eq!(request.target_amount_override, None);
    assert_eq!(request.selection_strategy, None);
    assert_eq!(request.corporate_state.lease_expense, None);
    let asset = &request.assets[0];
    assert_eq!((asset.name.as_deref(), asset.market_tier), (None, None));

    let json = serde_json::to_value(&request).unwrap();
    for field in [
        "floor_override",
        "max_leverage_override",
        "min_coverage_override",
        "target_amount_override",
        "selection_strategy",
    ] {
        assert_eq!(json[field], Value::Null, "{field}");
    }
    assert_eq!(json["corporate_state"]["lease_expense"], Value::Null);
}

// ---------------------------------------------------------------------------------------------
// Serialisation: NaN, and every declared field in the reference's order
// ---------------------------------------------------------------------------------------------

#[test]
fn a_nan_violation_actual_is_written_as_null_and_read_back_as_nan() {
    let violation = ConstraintViolation {
        code: engine::model::ViolationCode::MaxNetLeverage,
        detail: "Leverage undefined".to_owned(),
        actual: f64::NAN,
        limit: 4.0,
    };
    let json = serde_json::to_string(&violation).unwrap();
    assert_eq!(
        json,
        r#"{"code":"MAX_NET_LEVERAGE","detail":"Leverage undefined","actual":null,"limit":4.0}"#
    );
    let back: ConstraintViolation = serde_json::from_str(&json).unwrap();
    assert!(back.actual.is_nan());
    assert_eq!(back.limit, 4.0);
}

/// The keys of a JSON object in the order they were written (`serde_json::Value` sorts them).
struct KeysInOrder(Vec<String>);

impl<'de> Deserialize<'de> for KeysInOrder {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = KeysInOrder;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeysInOrder, A::Error> {
                let mut keys = Vec::new();
                while let Some((key, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                    keys.push(key);
                }
                Ok(KeysInOrder(keys))
            }
        }
        deserializer.deserialize_map(KeysVisitor)
    }
}

/// Asserts `value` serialises to an object with exactly `fields`, in this order, and that each
/// field in `nulls` is written as `null`.
fn assert_shape<T: Serialize>(value: &T, fields: &[&str], nulls: &[&str]) {
    let text = serde_json::to_string(value).unwrap();
    let keys = serde_json::from_str::<KeysInOrder>(&text).unwrap().0;
    assert_eq!(keys, fields, "{text}");
    let json: Value = serde_json::from_str(&text).unwrap();
    for field in nulls {
        assert_eq!(json[field], Value::Null, "{field} in {text}");
    }
}

const ASSET_FIELDS: &[&str] = &[
    "asset_id",
    "asset_type",
    "market",
    "noi",
    "book_value",
    "criticality",
    "leaseability_score",
    "name",
    "country",
    "market_tier",
    "tenant_name",
    "tenant_credit_score",
    "wault_years",
    "demographic_index",
    "esg_risk_score",
    "current_ltv",
    "existing_debt_amount",
    "encumbrance_type",
];

#[test]
fn a_request_emits_every_declared_field() {
    let request = parse(&valid_request()).unwrap();
    assert_shape(
        &request,
        &[
            "assets",
            "corporate_state",
            "program_type",
            "program_description",
            "floor_override",
            "max_leverage_override",
            "min_coverage_override",
            // Additive (DECISIONS F1 and the selection strategy option).
            "target_amount_override",
            "selection_strategy",
            // Additive (docs/credit.md §1.1).
            "assumptions",
            // Additive: a spec the user confirmed.
            "selector_spec",
        ],
        &[
            "floor_override",
            "max_leverage_override",
            "min_coverage_override",
            "target_amount_override",
            "selection_strategy",
            "assumptions",
            "selector_spec",
        ],
    );
    assert_shape(&request.assets[0], ASSET_FIELDS, &ASSET_FIELDS[7..]);
    assert_shape(
        &request.corporate_state,
        &["net_debt", "ebitda", "interest_expense", "lease_expense"],
        &["lease_expense"],
    );
}

fn empty_outcome() -> ProgramOutcome {
    ProgramOutcome {
        status: SelectionStatus::Infeasible,
        selected_assets: SelectedAssets::default(),
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
fn an_outcome_emits_every_declared_field() {
    let metrics = [
        "leverage_before",
        "interest_coverage_before",
        "fixed_charge_coverage_before",
        "leverage_after",
        "interest_coverage_after",
        "fixed_charge_coverage_after",
    ];
    let mut fields = vec!["status", "selected_assets", "proceeds"];
    fields.extend(metrics);
    fields.extend(["critical_fraction", "violations", "warnings"]);
    assert_shape(&empty_outcome(), &fields, &metrics);
}

#[test]
fn an_audit_trace_emits_every_declared_field() {
    let spec = SelectorSpec::new(engine::model::Objective::Balanced, 1.0e8);
    let outcome = empty_outcome();
    let entry = AuditTraceEntry {
        iteration: 0,
        phase: AuditPhase::Initial,
        spec_snapshot: SpecSnapshot::from(&spec),
        outcome_snapshot: OutcomeSnapshot::from(&outcome),
        policy_violations: Vec::new(),
        target_before: None,
        target_after: 1.0e8,
        timestamp: "2025-12-12T10:00:00.123456+00:00".to_owned(),
    };
    let trace = AuditTrace {
        entries: vec![entry.clone()],
        original_target: 1.0e8,
        floor_target: 1.0e8,
        floor_fraction: 1.0,
        target_source: TargetSource::LlmExtraction,
        started_at: "2025-12-12T10:00:00.000001+00:00".to_owned(),
        completed_at: None,
        rejected_revision_violations: Vec::new(),
        spec_source: None,
    };
    assert_shape(
        &trace,
        &[
            "entries",
            "original_target",
            "floor_target",
            "floor_fraction",
            "target_source",
            "started_at",
            "completed_at",
            // Additive (DECISIONS F4).
            "rejected_revision_violations",
            // Additive: who wrote the initial spec.
            "spec_source",
        ],
        &["completed_at", "spec_source"],
    );
    assert_shape(
        &entry,
        &[
            "iteration",
            "phase",
            "spec_snapshot",
            "outcome_snapshot",
            "policy_violations",
            "target_before",
            "target_after",
            "timestamp",
        ],
        &["target_before"],
    );
    let snapshot_nulls = [
        "max_criticality",
        "min_leaseability_score",
        "max_net_leverage",
        "min_interest_coverage",
        "min_fixed_charge_coverage",
        "max_critical_fraction",
    ];
    let mut snapshot_fields = vec!["target_amount"];
    snapshot_fields.extend(snapshot_nulls);
    assert_shape(&entry.spec_snapshot, &snapshot_fields, &snapshot_nulls);
    let outcome_nulls = [
        "leverage_after",
        "interest_coverage_after",
        "fixed_charge_coverage_after",
    ];
    let mut outcome_fields = vec!["status", "proceeds"];
    outcome_fields.extend(outcome_nulls);
    outcome_fields.extend(["critical_fraction", "violations"]);
    assert_shape(&entry.outcome_snapshot, &outcome_fields, &outcome_nulls);
}

#[test]
fn assumptions_are_range_checked_field_by_field() {
    let mut body = valid_request();
    body["assumptions"] = json!({
        "cap_rate_shift_bps": 600,
        "cap_rate_overrides": [{"asset_type": "store", "market_tier": 1, "cap_rate": 0.6}],
        "transaction_haircut": 0.5,
        "rent_multiplier": 0,
        "cost_of_debt": 0.5,
        "tax_rate": 0.61,
        "lease_term_years": 51,
        "rent_escalator": -0.06,
        "lease_discount_rate": 0,
        "lease_multiple": 21,
        "residual_growth": 0.2
    });
    assert_eq!(
        parse(&body).unwrap_err(),
        [
            error(
                "assumptions.cap_rate_shift_bps",
                "must be between -500 and 500"
            ),
            error(
                "assumptions.cap_rate_overrides[0].cap_rate",
                "must be in (0, 0.5)"
            ),
            error("assumptions.transaction_haircut", "must be in [0, 0.5)"),
            error("assumptions.rent_multiplier", "must be in (0, 3]"),
            error("assumptions.cost_of_debt", "must be in (0, 0.5)"),
            error("assumptions.tax_rate", "must be between 0 and 0.6"),
            error("assumptions.lease_term_years", "must be between 1 and 50"),
            error(
                "assumptions.rent_escalator",
                "must be between -0.05 and 0.15"
            ),
            error("assumptions.lease_discount_rate", "must be in (0, 0.5)"),
            error("assumptions.lease_multiple", "must be between 0 and 20"),
            error(
                "assumptions.residual_growth",
                "must be between -0.1 and 0.15"
            ),
        ]
    );

    // Every bound itself is accepted.
    body["assumptions"] = json!({
        "cap_rate_shift_bps": 500, "transaction_haircut": 0, "rent_multiplier": 3,
        "tax_rate": 0.6, "lease_term_years": 1, "rent_escalator": 0.15,
        "lease_multiple": 0, "residual_growth": -0.1
    });
    assert!(parse(&body).is_ok());
    body["assumptions"] = Value::Null;
    assert!(parse(&body).is_ok());
}

#[test]
fn a_shift_that_prices_the_portfolio_at_a_cap_rate_of_half_a_percent_or_less_is_refused() {
    // The request's assets are stores without a tier: secondary, 6.5 %. −600 bps is out of
    // range anyway; −500 bps leaves 1.5 % (accepted); an override to 5.5 % then −500 bps
    // leaves 0.5 % (refused, on the shift that caused it).
    let mut body = valid_request();
    body["assumptions"] = json!({"cap_rate_shift_bps": -500});
    assert!(parse(&body).is_ok());
    body["assumptions"] = json!({
        "cap_rate_shift_bps": -500,
        "cap_rate_overrides": [{"asset_type": "store", "market_tier": 2, "cap_rate": 0.055}]
    });
    let errors = parse(&body).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].field, "assumptions.cap_rate_shift_bps");
    assert!(
        errors[0]
            .message
            .contains("cap rate of 0.0050 for store assets in tier 2"),
        "{}",
        errors[0].message
    );
    // An override of a cell no asset uses does not matter.
    body["assumptions"] = json!({
        "cap_rate_shift_bps": -500,
        "cap_rate_overrides": [{"asset_type": "office", "market_tier": 1, "cap_rate": 0.055}]
    });
    assert!(parse(&body).is_ok());
}

// ---------------------------------------------------------------------------------------------
// What a body may not carry: content after its JSON value, NUL characters, over-long ids
// ---------------------------------------------------------------------------------------------

#[test]
fn content_after_the_json_value_is_refused() {
    let good = valid_request().to_string();
    for tail in [" x", "{}", "[]", "1", "\"\"", "}"] {
        let error = shape_error(parse_text(&format!("{good}{tail}")));
        assert_eq!(error.field, "", "{tail}");
        assert!(
            error.message.contains("after the JSON value"),
            "{tail}: {}",
            error.message
        );
    }
    assert!(parse_text(&format!("{good} \n\t")).is_ok());
}

#[test]
fn nul_characters_are_refused_at_their_paths() {
    let mut body = valid_request();
    body["program_description"] = json!("a\u{0}b");
    body["assets"][1]["market"] = json!("\u{0}");
    body["selector_spec"] = json!(null);
    body["unknown_field"] = json!(["x", "y\u{0}"]);
    let errors = parse(&body).unwrap_err();
    let mut fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "assets[1].market",
            "program_description",
            "unknown_field[1]"
        ]
    );
    assert!(errors.iter().all(|e| e.message.contains("NUL")));
    // `\\u0000` is a backslash and text, not a NUL.
    body = valid_request();
    body["program_description"] = json!("C:\\u0000");
    assert!(parse(&body).is_ok());
}

#[test]
fn ids_and_descriptions_have_a_length_cap_in_characters() {
    let mut body = valid_request();
    body["assets"][0]["asset_id"] = json!("é".repeat(200));
    body["program_description"] = json!("é".repeat(10_000));
    assert!(parse(&body).is_ok());
    body["assets"][0]["asset_id"] = json!("é".repeat(201));
    body["program_description"] = json!("é".repeat(10_001));
    body["selector_spec"] = json!({
        "program_type": "slb",
        "objective": "balanced",
        "target_amount": 1.0e6,
        "asset_filters": {"exclude_asset_ids": ["A1", "x".repeat(201)]},
    });
    let errors = parse(&body).unwrap_err();
    assert_eq!(
        errors,
        [
            error("assets[0].asset_id", "must have at most 200 characters"),
            error("program_description", "must have at most 10000 characters"),
            error(
                "selector_spec.asset_filters.exclude_asset_ids[1]",
                "must have at most 200 characters"
            ),
        ]
    );
}
