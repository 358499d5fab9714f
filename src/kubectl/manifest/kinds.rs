//! Which kinds a manifest may hold: the ones stsplay simulates, the other
//! kinds a real 1.34 cluster serves (refused with a clear message), and
//! anything else (kubectl's "no matches for kind").

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{
    ConfigMap, Namespace, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Service,
    ServiceAccount,
};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::storage::v1::StorageClass;

use super::strict::{self, Findings};
use super::{Diagnostic, Document};
use crate::kubectl::levenshtein;
use crate::sim::object::{Kind, Object, Typed};

/// The kinds `kubectl apply` can create here, in the order we name them.
pub const SIMULATED: [Kind; 11] = [
    Kind::Namespace,
    Kind::ConfigMap,
    Kind::Secret,
    Kind::ServiceAccount,
    Kind::Service,
    Kind::StatefulSet,
    Kind::Pod,
    Kind::PersistentVolumeClaim,
    Kind::PersistentVolume,
    Kind::StorageClass,
    Kind::PodDisruptionBudget,
];

/// Built-in kinds of a Kubernetes 1.34 apiserver, by group version.
const SERVED: &[(&str, &[&str])] = &[
    (
        "v1",
        &[
            "Binding",
            "ComponentStatus",
            "ConfigMap",
            "Endpoints",
            "Event",
            "LimitRange",
            "Namespace",
            "Node",
            "PersistentVolume",
            "PersistentVolumeClaim",
            "Pod",
            "PodTemplate",
            "ReplicationController",
            "ResourceQuota",
            "Secret",
            "Service",
            "ServiceAccount",
        ],
    ),
    (
        "apps/v1",
        &[
            "ControllerRevision",
            "DaemonSet",
            "Deployment",
            "ReplicaSet",
            "StatefulSet",
        ],
    ),
    ("batch/v1", &["CronJob", "Job"]),
    ("autoscaling/v1", &["HorizontalPodAutoscaler"]),
    ("autoscaling/v2", &["HorizontalPodAutoscaler"]),
    ("policy/v1", &["PodDisruptionBudget"]),
    (
        "networking.k8s.io/v1",
        &[
            "IPAddress",
            "Ingress",
            "IngressClass",
            "NetworkPolicy",
            "ServiceCIDR",
        ],
    ),
    ("discovery.k8s.io/v1", &["EndpointSlice"]),
    ("events.k8s.io/v1", &["Event"]),
    (
        "storage.k8s.io/v1",
        &[
            "CSIDriver",
            "CSINode",
            "CSIStorageCapacity",
            "StorageClass",
            "VolumeAttachment",
            "VolumeAttributesClass",
        ],
    ),
    (
        "rbac.authorization.k8s.io/v1",
        &["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
    ),
    ("coordination.k8s.io/v1", &["Lease"]),
    ("scheduling.k8s.io/v1", &["PriorityClass"]),
    ("node.k8s.io/v1", &["RuntimeClass"]),
    ("certificates.k8s.io/v1", &["CertificateSigningRequest"]),
    (
        "admissionregistration.k8s.io/v1",
        &[
            "MutatingWebhookConfiguration",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding",
            "ValidatingWebhookConfiguration",
        ],
    ),
    ("apiextensions.k8s.io/v1", &["CustomResourceDefinition"]),
    ("apiregistration.k8s.io/v1", &["APIService"]),
    (
        "flowcontrol.apiserver.k8s.io/v1",
        &["FlowSchema", "PriorityLevelConfiguration"],
    ),
    (
        "resource.k8s.io/v1",
        &[
            "DeviceClass",
            "ResourceClaim",
            "ResourceClaimTemplate",
            "ResourceSlice",
        ],
    ),
];

/// Short names of the served kinds we do not simulate, as `kubectl
/// api-resources` lists them on a 1.34 cluster.
const SERVED_SHORT_NAMES: &[(&str, &[&str])] = &[
    ("ComponentStatus", &["cs"]),
    ("LimitRange", &["limits"]),
    ("ReplicationController", &["rc"]),
    ("ResourceQuota", &["quota"]),
    ("ServiceAccount", &["sa"]),
    ("DaemonSet", &["ds"]),
    ("Deployment", &["deploy"]),
    ("ReplicaSet", &["rs"]),
    ("CronJob", &["cj"]),
    ("HorizontalPodAutoscaler", &["hpa"]),
    ("PodDisruptionBudget", &["pdb"]),
    ("Ingress", &["ing"]),
    ("NetworkPolicy", &["netpol"]),
    ("PriorityClass", &["pc"]),
    ("CertificateSigningRequest", &["csr"]),
    ("CustomResourceDefinition", &["crd", "crds"]),
];

/// The REST resource name of a kind: `deployments`, `ingresses`, `networkpolicies`.
fn plural(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if lower.ends_with('s') {
        lower + "es"
    } else if let Some(stem) = lower.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        lower + "s"
    }
}

/// The resource (`deployments.apps`, `secrets`) behind a type name a real
/// 1.34 cluster serves and stsplay does not simulate, named as kubectl
/// accepts it (`deployments`, `deployment`, `deploy`, `deployments.apps`).
pub fn served_resource(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let (base, group) = match lower.split_once('.') {
        Some((base, group)) => (base, Some(group)),
        None => (lower.as_str(), None),
    };
    SERVED.iter().find_map(|(group_version, kinds)| {
        let served_group = group_version.rsplit_once('/').map_or("", |(g, _)| g);
        if group.is_some_and(|g| g != served_group) {
            return None;
        }
        kinds
            .iter()
            .filter(|kind| !SIMULATED.iter().any(|k| k.name() == **kind))
            .find(|kind| {
                let short = SERVED_SHORT_NAMES
                    .iter()
                    .find(|(k, _)| k == *kind)
                    .map_or(&[][..], |(_, names)| *names);
                base == kind.to_ascii_lowercase() || base == plural(kind) || short.contains(&base)
            })
            .map(|kind| match served_group {
                "" => plural(kind),
                group => format!("{}.{group}", plural(kind)),
            })
    })
}

/// Why a document's apiVersion and kind do not give a simulated kind.
#[derive(Debug, PartialEq, Eq)]
pub struct Mismatch {
    api_version: String,
    kind: String,
    /// A real kind we do not simulate.
    served: bool,
    pub hint: Option<String>,
}

impl Mismatch {
    pub fn message(&self, name: &str, namespace: Option<&str>, source: &str) -> String {
        if self.served {
            let names: Vec<&str> = SIMULATED.iter().map(|k| k.name()).collect();
            let (last, rest) = names.split_last().unwrap_or((&"", &[]));
            // kind's own DaemonSets and Deployments are there, but not their controllers.
            let kept = matches!(
                self.kind.as_str(),
                "DaemonSet" | "Deployment" | "ReplicaSet"
            );
            let what = if kept {
                format!(
                    "run a {} of your own (it shows kind's own, but runs no {} controller)",
                    self.kind, self.kind
                )
            } else {
                format!("simulate {}", self.kind)
            };
            return format!(
                "stsplay does not {what} yet; it simulates {} and {last}",
                rest.join(", ")
            );
        }
        format!(
            "resource mapping not found for name: \"{name}\" namespace: \"{}\" from \"{source}\": no matches for kind \"{}\" in version \"{}\"\nensure CRDs are installed first",
            namespace.unwrap_or(""),
            self.kind,
            self.api_version
        )
    }
}

/// The simulated kind for an apiVersion and kind. A missing apiVersion still
/// finds core kinds: kubectl's REST mapper falls back to the core group's
/// preferred version.
pub fn resolve(api_version: &str, kind: &str) -> Result<Kind, Mismatch> {
    let version = if api_version.is_empty()
        && SIMULATED
            .iter()
            .any(|k| k.name() == kind && k.group().is_empty())
    {
        "v1"
    } else {
        api_version
    };
    if let Some(found) = SIMULATED
        .iter()
        .find(|k| k.name() == kind && k.api_version() == version)
    {
        return Ok(*found);
    }
    let served = SERVED
        .iter()
        .any(|(gv, kinds)| *gv == version && kinds.contains(&kind));
    let hint = (!served).then(|| suggest(version, kind)).flatten();
    Err(Mismatch {
        api_version: api_version.to_string(),
        kind: kind.to_string(),
        served,
        hint,
    })
}

/// A close real apiVersion/kind pair for a misspelt one.
fn suggest(api_version: &str, kind: &str) -> Option<String> {
    let lower = kind.to_ascii_lowercase();
    let mut best: Option<(usize, &str, &str)> = None;
    for (gv, kinds) in SERVED {
        for k in kinds.iter() {
            let distance =
                levenshtein(&lower, &k.to_ascii_lowercase()) + usize::from(*gv != api_version);
            if distance <= 2 && best.is_none_or(|(d, _, _)| distance < d) {
                best = Some((distance, gv, k));
            }
        }
    }
    best.map(|(_, gv, k)| format!("hint: did you mean apiVersion: {gv} and kind: {k}?"))
}

fn typed<T: Typed + serde::de::DeserializeOwned>(
    value: &serde_json::Value,
) -> (Option<Object>, Findings) {
    let (decoded, findings) = strict::decode::<T>(value);
    (decoded.map(T::into_object), findings)
}

/// Decodes a document of a simulated kind into its type.
pub fn decode(kind: Kind, value: &serde_json::Value) -> (Option<Object>, Findings) {
    match kind {
        Kind::Namespace => typed::<Namespace>(value),
        Kind::ConfigMap => typed::<ConfigMap>(value),
        Kind::ServiceAccount => typed::<ServiceAccount>(value),
        Kind::Secret => typed::<Secret>(value),
        Kind::Service => typed::<Service>(value),
        Kind::StatefulSet => typed::<StatefulSet>(value),
        Kind::Pod => typed::<Pod>(value),
        Kind::PersistentVolumeClaim => typed::<PersistentVolumeClaim>(value),
        Kind::PersistentVolume => typed::<PersistentVolume>(value),
        Kind::StorageClass => typed::<StorageClass>(value),
        Kind::PodDisruptionBudget => typed::<PodDisruptionBudget>(value),
        _ => (None, Findings::default()),
    }
}

/// The server's create-time validation of a decoded document, each cause
/// placed on the line of the field it names (or its nearest parent).
pub fn validation_markers(document: &Document) -> Vec<Diagnostic> {
    let mut object = document.object.clone();
    crate::sim::defaults::decode_and_default(&mut object);
    crate::sim::validation::validate_create(&object)
        .into_iter()
        .map(|cause| {
            let spot = document.spot_of(&cause.field);
            Diagnostic::error(spot.line, spot.column, cause.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_resources_are_known_by_every_name_kubectl_accepts() {
        for name in ["deployments", "deployment", "deploy", "Deployments.apps"] {
            assert_eq!(served_resource(name).as_deref(), Some("deployments.apps"));
        }
        assert_eq!(
            served_resource("netpol").as_deref(),
            Some("networkpolicies.networking.k8s.io")
        );
        assert_eq!(
            served_resource("ingresses").as_deref(),
            Some("ingresses.networking.k8s.io")
        );
        assert_eq!(
            served_resource("replicasets").as_deref(),
            Some("replicasets.apps")
        );
        assert_eq!(
            served_resource("crds").as_deref(),
            Some("customresourcedefinitions.apiextensions.k8s.io")
        );
        // Wrong group, made-up names and simulated kinds are not "served but left out".
        assert_eq!(served_resource("deployments.batch"), None);
        assert_eq!(served_resource("foo"), None);
        assert_eq!(served_resource("statefulsets"), None);
        assert_eq!(served_resource("secret"), None);
        assert_eq!(served_resource("pods"), None);
    }

    #[test]
    fn kinds_resolve_like_the_rest_mapper() {
        assert_eq!(resolve("apps/v1", "StatefulSet"), Ok(Kind::StatefulSet));
        assert_eq!(resolve("", "Service"), Ok(Kind::Service));
        let deployment = resolve("apps/v1", "Deployment").unwrap_err();
        assert_eq!(
            deployment.message("web", None, "x.yaml"),
            "stsplay does not run a Deployment of your own (it shows kind's own, but runs no Deployment controller) yet; it simulates Namespace, ConfigMap, Secret, ServiceAccount, Service, StatefulSet, Pod, PersistentVolumeClaim, PersistentVolume, StorageClass and PodDisruptionBudget"
        );
        let typo = resolve("apps/v1", "StatefulSett").unwrap_err();
        assert_eq!(
            typo.message("web", None, "x.yaml"),
            "resource mapping not found for name: \"web\" namespace: \"\" from \"x.yaml\": no matches for kind \"StatefulSett\" in version \"apps/v1\"\nensure CRDs are installed first"
        );
        assert_eq!(
            typo.hint.as_deref(),
            Some("hint: did you mean apiVersion: apps/v1 and kind: StatefulSet?")
        );
        let wrong_group = resolve("v1", "StatefulSet").unwrap_err();
        assert_eq!(
            wrong_group.hint.as_deref(),
            Some("hint: did you mean apiVersion: apps/v1 and kind: StatefulSet?")
        );
        assert!(resolve("", "StatefulSet")
            .unwrap_err()
            .message("web", None, "x")
            .contains("in version \"\""));
    }
}
