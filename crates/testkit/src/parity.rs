//! The parity tests' side of the reference cases: where they live, how many each file declares,
//! and how a produced JSON value is compared with the reference's (SPEC/fixtures README "How
//! to compare").

use std::path::PathBuf;

use serde_json::Value;

/// Folder of the reference cases: `SLB_REFERENCE_DIR`, else `../shared/fixtures/reference`
/// relative to the workspace root.
pub fn reference_dir() -> PathBuf {
    match std::env::var_os("SLB_REFERENCE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => crate::fixtures_dir().join("reference"),
    }
}

/// Every case of every file in the reference folder whose `kind` is `kind`, with the file name.
pub fn load_cases(kind: &str) -> Vec<(String, Value)> {
    let dir = reference_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read reference dir {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: invalid JSON: {e}", file.display()));
        if doc.get("kind").and_then(Value::as_str) != Some(kind) {
            continue;
        }
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for case in doc["cases"].as_array().expect("cases array") {
            cases.push((name.clone(), case.clone()));
        }
    }
    cases
}

/// Floats equal within a relative 1e-9 (or 1e-12 absolute, for expected zeros).
pub fn floats_match(actual: f64, expected: f64) -> bool {
    let diff = (actual - expected).abs();
    diff <= 1e-12 || diff <= 1e-9 * actual.abs().max(expected.abs())
}

/// Compares `actual` with `expected` structurally: objects must have exactly the expected keys
/// (a null field must be present as null), arrays the same length and order, strings and other
/// scalars exactly equal, numbers within [`floats_match`]. Returns every mismatch with its path.
pub fn diff(actual: &Value, expected: &Value) -> Vec<String> {
    let mut out = Vec::new();
    diff_at("$", actual, expected, &mut out);
    out
}

fn diff_at(path: &str, actual: &Value, expected: &Value, out: &mut Vec<String>) {
    match (actual, expected) {
        (Value::Number(a), Value::Number(e)) => {
            let (a, e) = (a.as_f64().unwrap(), e.as_f64().unwrap());
            if !floats_match(a, e) {
                out.push(format!("{path}: got {a:?}, expected {e:?}"));
            }
        }
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => diff_at(&format!("{path}.{k}"), av, ev, out),
                    None => out.push(format!("{path}.{k}: missing (expected {ev})")),
                }
            }
            for k in a.keys() {
                if !e.contains_key(k) {
                    out.push(format!("{path}.{k}: unexpected field"));
                }
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            if a.len() != e.len() {
                out.push(format!(
                    "{path}: length {} vs expected {}",
                    a.len(),
                    e.len()
                ));
            }
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                diff_at(&format!("{path}[{i}]"), av, ev, out);
            }
        }
        (a, e) if a == e => {}
        (a, e) => out.push(format!("{path}: got {a}, expected {e}")),
    }
}

/// Like [`diff`] but ignores fields of `actual` that `expected` does not list (for additive fields).
pub fn diff_subset(actual: &Value, expected: &Value) -> Vec<String> {
    diff(&project(actual, expected), expected)
}

fn project(actual: &Value, expected: &Value) -> Value {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => Value::Object(
            a.iter()
                .filter(|(k, _)| e.contains_key(*k))
                .map(|(k, v)| (k.clone(), project(v, &e[k])))
                .collect(),
        ),
        (Value::Array(a), Value::Array(e)) => Value::Array(
            a.iter()
                .zip(e.iter())
                .map(|(av, ev)| project(av, ev))
                .collect::<Vec<_>>()
                .into_iter()
                .chain(a.iter().skip(e.len()).cloned())
                .collect(),
        ),
        (a, _) => a.clone(),
    }
}

/// The case count the reference files of `kind` declare (their `count` fields, summed), so a
/// test never assumes how many cases a file holds.
pub fn declared_count(kind: &str) -> usize {
    let dir = reference_dir();
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read reference dir {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|file| {
            let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).ok()?).ok()?;
            (doc.get("kind").and_then(Value::as_str) == Some(kind)).then(|| {
                doc["count"]
                    .as_u64()
                    .expect("a case file declares its count") as usize
            })
        })
        .sum()
}

/// Runs `check` on every case, then fails once listing every failing case (so one run shows all).
pub fn run_cases(kind: &str, check: impl Fn(&Value) -> Vec<String>) -> usize {
    let cases = load_cases(kind);
    assert!(
        !cases.is_empty(),
        "no cases of kind {kind} in {}",
        reference_dir().display()
    );
    let mut failures = Vec::new();
    for (file, case) in &cases {
        let name = case.get("name").and_then(Value::as_str).unwrap_or("?");
        let problems = check(case);
        if !problems.is_empty() {
            let shown: Vec<_> = problems.iter().take(8).cloned().collect();
            failures.push(format!("{file} / {name}:\n    {}", shown.join("\n    ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} {kind} cases differ from the reference:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    cases.len()
}
