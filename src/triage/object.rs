//! A workload's object as shipshape holds it, as YAML: pruned at ingest (no managedFields,
//! no last-applied configuration) and redacted (credentials masked; Secrets are never held
//! with their data).

use crate::cluster::{ClusterModel, Kind, WorkloadKey};

/// Metadata that says nothing about the workload and only takes room.
const NOISE: &[&str] = &["managedFields"];
const NOISY_ANNOTATIONS: &[&str] = &["kubectl.kubernetes.io/last-applied-configuration"];

/// The workload's object as YAML, or `None` when shipshape holds none under its key.
pub fn yaml(model: &ClusterModel, key: &WorkloadKey) -> Option<String> {
    let kind = Kind::from_name(&key.kind.name().to_ascii_lowercase())?;
    let object = model.stores.get(kind, &key.namespace, &key.name)?;
    let mut value = object.to_json();
    if let Some(meta) = value.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        for field in NOISE {
            meta.remove(*field);
        }
        if let Some(notes) = meta.get_mut("annotations").and_then(|a| a.as_object_mut()) {
            for a in NOISY_ANNOTATIONS {
                notes.remove(*a);
            }
        }
    }
    if kind == Kind::Secret {
        if let Some(o) = value.as_object_mut() {
            o.remove("data");
            o.remove("stringData");
        }
    }
    serde_norway::to_string(&value).ok()
}

/// Marks the lines of `yaml` that a failing check is about, where that is cheap to find: the
/// `name:` line of each container a failing result names gets `◀` and the checks' ids.
pub fn mark_containers(lines: &mut [String], failing: &[(&str, &[String])]) {
    // The indentation of the `containers:` (or init/ephemeral) key whose block we are in.
    let mut block: Option<usize> = None;
    for line in lines.iter_mut() {
        let indent = line.len() - line.trim_start().len();
        let text = line.trim_start();
        if let Some(i) = block {
            let item = indent == i && text.starts_with("- ");
            if indent < i || (indent == i && !item) {
                block = None;
            }
        }
        if matches!(
            text,
            "containers:" | "initContainers:" | "ephemeralContainers:"
        ) {
            block = Some(indent);
            continue;
        }
        let Some(i) = block else {
            continue;
        };
        let name = if indent == i {
            text.strip_prefix("- name: ")
        } else if indent == i + 2 {
            text.strip_prefix("name: ")
        } else {
            None
        };
        let Some(name) = name.map(|n| n.trim_matches(|c| c == '\'' || c == '"')) else {
            continue;
        };
        let ids: Vec<&str> = failing
            .iter()
            .filter(|(_, containers)| containers.iter().any(|c| c == name))
            .map(|(id, _)| *id)
            .collect();
        if !ids.is_empty() {
            line.push_str(&format!("   ◀ {}", ids.join(", ")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mark_containers;

    #[test]
    fn only_the_name_lines_of_named_containers_are_marked() {
        let yaml = "metadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n      - env:\n        - name: app\n          value: x\n        image: web:1\n        name: app\n      - name: sidecar\n        image: proxy:1\n      volumes:\n      - name: app\n";
        let mut lines: Vec<String> = yaml.lines().map(str::to_string).collect();
        let app = vec!["app".to_string()];
        let sidecar = vec!["sidecar".to_string()];
        mark_containers(
            &mut lines,
            &[
                ("probe.readiness", &app),
                ("image.tag", &app),
                ("security.non-root", &sidecar),
            ],
        );
        let marked: Vec<&str> = lines
            .iter()
            .filter(|l| l.contains('◀'))
            .map(String::as_str)
            .collect();
        assert_eq!(
            marked,
            [
                "        name: app   ◀ probe.readiness, image.tag",
                "      - name: sidecar   ◀ security.non-root",
            ]
        );
    }
}
