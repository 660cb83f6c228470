//! Where each field of a planned spec came from: the brief, a planner default, the portfolio,
//! or the user (an override, or a spec the user confirmed). Shown before a run (`POST
//! /api/plan`, `slb plan --explain`) and kept on every response, so a treasurer can tell what
//! they asked for from what the planner assumed.

use engine::model::{FieldProvenance, SelectorSpec, SpecFieldSource};

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

/// Dotted paths of the spec's non-null leaf fields (a list counts as one field), in the
/// spec's field order: `program_type`, `objective`, `target_amount`,
/// `hard_constraints.max_net_leverage`, ... The serialised spec is walked as text because a
/// `serde_json::Value` keeps keys sorted, not in field order.
pub fn spec_fields(spec: &SelectorSpec) -> Vec<String> {
    let text = serde_json::to_string(spec).expect("specs serialise");
    let mut fields = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    serde::de::DeserializeSeed::deserialize(
        LeafPaths {
            prefix: String::new(),
            out: &mut fields,
        },
        &mut deserializer,
    )
    .expect("a serialised spec is valid JSON");
    fields
}

/// Collects the non-null leaf paths of a JSON value under `prefix`, in document order.
struct LeafPaths<'a> {
    prefix: String,
    out: &'a mut Vec<String>,
}

impl<'de> serde::de::DeserializeSeed<'de> for LeafPaths<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for LeafPaths<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let prefix = if self.prefix.is_empty() {
                key
            } else {
                format!("{}.{key}", self.prefix)
            };
            map.next_value_seed(LeafPaths {
                prefix,
                out: &mut *self.out,
            })?;
        }
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        self.out.push(self.prefix);
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        self.out.push(self.prefix);
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        self.out.push(self.prefix);
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        self.out.push(self.prefix);
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        self.out.push(self.prefix);
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        self.out.push(self.prefix);
        Ok(())
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
        // Field order, not alphabetical.
        assert_eq!(fields[..3], ["program_type", "objective", "target_amount"]);
        assert_eq!(fields[3], "hard_constraints.max_net_leverage");
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
