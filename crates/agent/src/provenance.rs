//! Where each field of a planned spec came from: the brief, a planner default, the portfolio,
//! or the user (an override, or a spec the user confirmed). Shown before a run (`POST
//! /api/plan`, `slb plan --explain`) and kept on every response, so a treasurer can tell what
//! they asked for from what the planner assumed.

use engine::model::{FieldProvenance, SelectorSpec, SpecFieldSource};
use serde_json::Value;

/// A spec the planner wrote, with the origin of each field and what it could not read.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedSpec {
    pub spec: SelectorSpec,
    /// One entry per non-null field of `spec`, in the spec's field order.
    pub provenance: Vec<FieldProvenance>,
    /// What the planner could not read or ignored.
    pub warnings: Vec<String>,
}

impl PlannedSpec {
    /// A spec whose every field is attributed to `source` (a planner that cannot tell, or a
    /// spec the user confirmed).
    pub fn attributed(spec: SelectorSpec, source: SpecFieldSource, note: Option<&str>) -> Self {
        let provenance = spec_fields(&spec)
            .into_iter()
            .map(|field| FieldProvenance {
                field,
                source,
                note: note.map(str::to_owned),
            })
            .collect();
        PlannedSpec {
            spec,
            provenance,
            warnings: Vec::new(),
        }
    }

    /// Records that `field` now comes from `source` (replacing what was recorded).
    pub fn set_source(&mut self, field: &str, source: SpecFieldSource, note: Option<String>) {
        match self.provenance.iter_mut().find(|p| p.field == field) {
            Some(entry) => {
                entry.source = source;
                entry.note = note;
            }
            None => self.provenance.push(FieldProvenance {
                field: field.to_owned(),
                source,
                note,
            }),
        }
    }

    /// The source recorded for `field`.
    pub fn source_of(&self, field: &str) -> Option<SpecFieldSource> {
        self.provenance
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.source)
    }

    /// Keeps one entry per non-null field of the spec, in the spec's field order: entries of
    /// fields that became null go, fields without an entry get `fallback`.
    pub fn align(&mut self, fallback: SpecFieldSource) {
        let fields = spec_fields(&self.spec);
        let mut aligned = Vec::with_capacity(fields.len());
        for field in fields {
            let entry = match self.provenance.iter().position(|p| p.field == field) {
                Some(index) => self.provenance.swap_remove(index),
                None => FieldProvenance {
                    field,
                    source: fallback,
                    note: None,
                },
            };
            aligned.push(entry);
        }
        self.provenance = aligned;
    }
}

/// Dotted paths of the spec's non-null leaf fields (a list counts as one field), in field
/// order: `target_amount`, `hard_constraints.max_net_leverage`, ...
pub fn spec_fields(spec: &SelectorSpec) -> Vec<String> {
    let value = serde_json::to_value(spec).expect("specs serialise");
    let mut fields = Vec::new();
    collect("", &value, &mut fields);
    fields
}

fn collect(prefix: &str, value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (key, child) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                collect(&path, child, out);
            }
        }
        _ => out.push(prefix.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use engine::model::Objective;

    use super::*;

    #[test]
    fn every_non_null_leaf_is_a_field() {
        let mut spec = SelectorSpec::new(Objective::Balanced, 1e8);
        spec.hard_constraints.max_net_leverage = Some(3.5);
        spec.asset_filters.exclude_markets = Some(vec!["Dallas, TX".into()]);
        let fields = spec_fields(&spec);
        assert!(fields.contains(&"hard_constraints.max_net_leverage".to_owned()));
        assert!(fields.contains(&"asset_filters.exclude_markets".to_owned()));
        assert!(fields.contains(&"target_amount".to_owned()));
        assert!(
            !fields
                .iter()
                .any(|f| f == "hard_constraints.min_interest_coverage")
        );
        assert!(!fields.iter().any(|f| f == "time_horizon_years"));
    }

    #[test]
    fn alignment_follows_the_spec() {
        let spec = SelectorSpec::new(Objective::Balanced, 1e8);
        let mut planned = PlannedSpec::attributed(spec, SpecFieldSource::Brief, None);
        planned.set_source(
            "hard_constraints.max_net_leverage",
            SpecFieldSource::UserOverride,
            None,
        );
        planned.spec.hard_constraints.min_fixed_charge_coverage = Some(3.0);
        planned.align(SpecFieldSource::Default);
        let fields: Vec<&str> = planned
            .provenance
            .iter()
            .map(|p| p.field.as_str())
            .collect();
        assert_eq!(fields, spec_fields(&planned.spec));
        assert_eq!(
            planned.source_of("hard_constraints.min_fixed_charge_coverage"),
            Some(SpecFieldSource::Default)
        );
        assert_eq!(planned.source_of("hard_constraints.max_net_leverage"), None);
    }
}
