//! Resource type names as kubectl resolves them: plural, singular, short
//! names and `name.group` forms.

use crate::sim::object::Kind;

const ALIASES: &[(Kind, &[&str])] = &[
    (Kind::Pod, &["pod", "pods", "po"]),
    (Kind::StatefulSet, &["statefulset", "statefulsets", "sts"]),
    (Kind::Service, &["service", "services", "svc"]),
    (
        Kind::PersistentVolumeClaim,
        &["persistentvolumeclaim", "persistentvolumeclaims", "pvc"],
    ),
    (
        Kind::PersistentVolume,
        &["persistentvolume", "persistentvolumes", "pv"],
    ),
    (
        Kind::StorageClass,
        &["storageclass", "storageclasses", "sc"],
    ),
    (
        Kind::ControllerRevision,
        &["controllerrevision", "controllerrevisions"],
    ),
    (Kind::Event, &["event", "events", "ev"]),
    (Kind::Endpoints, &["endpoints", "ep"]),
    (Kind::EndpointSlice, &["endpointslice", "endpointslices"]),
    (Kind::Node, &["node", "nodes", "no"]),
    (Kind::Namespace, &["namespace", "namespaces", "ns"]),
    (Kind::ConfigMap, &["configmap", "configmaps", "cm"]),
    (Kind::Secret, &["secret", "secrets"]),
    (
        Kind::PodDisruptionBudget,
        &["poddisruptionbudget", "poddisruptionbudgets", "pdb"],
    ),
    (
        Kind::ServiceAccount,
        &["serviceaccount", "serviceaccounts", "sa"],
    ),
    (Kind::DaemonSet, &["daemonset", "daemonsets", "ds"]),
    (Kind::Deployment, &["deployment", "deployments", "deploy"]),
    (Kind::ReplicaSet, &["replicaset", "replicasets", "rs"]),
];

/// What `all` stands for, in the order kubectl lists the category.
pub const ALL: [Kind; 6] = [
    Kind::Pod,
    Kind::Service,
    Kind::DaemonSet,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::StatefulSet,
];

/// Every type name kubectl resolves without a group (`pods`, `pod`, `po`), with its kind.
pub fn type_names() -> impl Iterator<Item = (&'static str, Kind)> {
    ALIASES
        .iter()
        .flat_map(|(kind, names)| names.iter().map(move |name| (*name, *kind)))
}

/// The short names kubectl accepts for a kind (`sts`, `po`), as api-resources lists them.
pub fn short_names(kind: Kind) -> Vec<&'static str> {
    let long = [kind.plural().to_string(), kind.name().to_ascii_lowercase()];
    ALIASES
        .iter()
        .filter(|(k, _)| *k == kind)
        .flat_map(|(_, names)| names.iter().copied())
        .filter(|n| !long.iter().any(|l| l == n))
        .collect()
}

/// Resolves one type name (`sts`, `statefulsets.apps`, `pods.v1`).
pub fn resolve(name: &str) -> Option<Kind> {
    let lower = name.to_ascii_lowercase();
    let (base, group) = match lower.split_once('.') {
        Some((b, g)) => (b.to_string(), Some(g.to_string())),
        None => (lower.clone(), None),
    };
    ALIASES.iter().find_map(|(kind, names)| {
        let group_ok = match group.as_deref() {
            None => true,
            Some(g) => {
                let g = g
                    .strip_suffix(".v1")
                    .or_else(|| g.strip_prefix("v1."))
                    .unwrap_or(g);
                g == kind.group()
                    || (g == "v1" && kind.group().is_empty())
                    || g == format!("{}/v1", kind.group())
            }
        };
        (group_ok && names.contains(&base.as_str())).then_some(*kind)
    })
}

/// The error for a type name that resolves to no simulated kind: the
/// apiserver's, unless a real cluster serves the type, in which case the
/// learner hears that stsplay leaves it out rather than that it does not exist.
pub fn unknown(name: &str) -> String {
    match crate::kubectl::manifest::served_resource(name) {
        Some(resource) => format!(
            "stsplay does not simulate {resource} yet; 'kubectl api-resources' lists the resources it has"
        ),
        None => format!("the server doesn't have a resource type \"{name}\""),
    }
}

/// Resolves `pods,svc` or `all` into kinds, in the order given.
pub fn resolve_list(names: &str) -> Result<Vec<Kind>, String> {
    let mut kinds = Vec::new();
    for name in names.split(',').filter(|n| !n.is_empty()) {
        if name == "all" {
            kinds.extend(ALL);
            continue;
        }
        match resolve(name) {
            Some(kind) => kinds.push(kind),
            None => return Err(unknown(name)),
        }
    }
    Ok(kinds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_short_names_and_groups() {
        assert_eq!(resolve("sts"), Some(Kind::StatefulSet));
        assert_eq!(resolve("statefulset.apps"), Some(Kind::StatefulSet));
        assert_eq!(resolve("po"), Some(Kind::Pod));
        assert_eq!(resolve("PVC"), Some(Kind::PersistentVolumeClaim));
        assert_eq!(
            resolve("storageclass.storage.k8s.io"),
            Some(Kind::StorageClass)
        );
        assert_eq!(resolve("statefulset.core"), None);
        assert_eq!(resolve("foo"), None);
    }

    #[test]
    fn all_expands() {
        assert_eq!(resolve_list("all").unwrap(), ALL);
        assert_eq!(resolve("deploy.apps"), Some(Kind::Deployment));
        assert!(resolve_list("pods,foo").unwrap_err().contains("\"foo\""));
    }
}
