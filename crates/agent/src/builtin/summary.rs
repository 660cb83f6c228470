//! The executive summary (SPEC §9.2 explanation rules): two or three sentences that lead with
//! success or failure, then name the binding constraint and the main risk. Every figure is
//! quoted from a node's `detail`, which the engine formatted; nothing is recomputed here.

use engine::model::{ExplanationNode, NodeCategory, Severity};

pub(crate) fn summarize(nodes: &[ExplanationNode]) -> String {
    let errors: Vec<&ExplanationNode> = nodes
        .iter()
        .filter(|n| n.category == NodeCategory::Constraint && n.severity == Severity::Error)
        .collect();
    let sentences = if errors.is_empty() {
        success(nodes)
    } else {
        failure(&errors, nodes)
    };
    sentences.join(" ")
}

fn failure(errors: &[&ExplanationNode], nodes: &[ExplanationNode]) -> Vec<String> {
    let mut sentences = vec![format!("The program is infeasible: {}", clause(errors[0]))];
    sentences.push(match errors.get(1) {
        Some(second) => format!("In addition, {}", clause(second)),
        None => {
            "Lowering the target or relaxing filters would widen the candidate pool.".to_string()
        }
    });
    if let Some(warning) = nodes.iter().find(|n| n.severity == Severity::Warning) {
        sentences.push(format!("Also watch: {}", clause(warning)));
    }
    sentences
}

fn success(nodes: &[ExplanationNode]) -> Vec<String> {
    let find = |id: &str| nodes.iter().find(|n| n.id == id);
    let mut sentences = vec![match find("driver_target_achieved") {
        Some(target) => format!(
            "The program meets its target and every hard constraint: {}",
            clause(target)
        ),
        None => "The program meets every hard constraint and reaches its target within tolerance."
            .to_string(),
    }];
    let near_limit = nodes
        .iter()
        .find(|n| n.category == NodeCategory::Constraint && n.severity == Severity::Warning);
    sentences.push(match (near_limit, find("driver_leverage_reduction")) {
        (Some(node), _) => format!("The binding constraint is close: {}", clause(node)),
        (None, Some(node)) => sentence(node),
        (None, None) => "No hard constraint is close to its limit.".to_string(),
    });
    let risks = nodes.iter().filter(|n| n.category == NodeCategory::Risk);
    if let Some(risk) = risks
        .clone()
        .find(|n| n.severity == Severity::Warning)
        .or_else(|| risks.clone().next())
    {
        sentences.push(format!("Main risk: {}", clause(risk)));
    }
    sentences
}

/// The node's detail (its label when it has none) as the rest of a sentence: first letter
/// lower-cased unless it starts an acronym, full stop added.
fn clause(node: &ExplanationNode) -> String {
    let text = node.detail.as_deref().unwrap_or(&node.label);
    let mut chars = text.chars();
    let lowered = match (chars.next(), chars.clone().next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_string(),
    };
    with_full_stop(lowered)
}

fn sentence(node: &ExplanationNode) -> String {
    with_full_stop(node.detail.clone().unwrap_or_else(|| node.label.clone()))
}

fn with_full_stop(mut text: String) -> String {
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}
