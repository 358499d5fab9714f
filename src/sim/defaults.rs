//! The defaults the apiserver and its admission plugins fill in on create,
//! so that `-o yaml` and ControllerRevision data look as on a real cluster.

use k8s_openapi::api::apps::v1::{
    RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetPersistentVolumeClaimRetentionPolicy,
    StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::{
    Container, PersistentVolume, PersistentVolumeClaim, Pod, PodSecurityContext, PodSpec,
    PodTemplateSpec, Probe, ResourceRequirements, Service, ServicePort, Toleration,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::object::Object;
use super::pod_containers;

/// The name of the StorageClass the DefaultStorageClass admission plugin assigns.
pub const DEFAULT_STORAGE_CLASS: &str = "standard";

/// An object as the apiserver has it before admission: decoded, which
/// leaves its quantities canonical, then defaulted.
pub fn decode_and_default(object: &mut Object) {
    super::canonical::canonicalize_quantities(object);
    apply_defaults(object);
}

fn apply_defaults(object: &mut Object) {
    match object {
        Object::StatefulSet(s) => default_statefulset(s),
        Object::Service(s) => default_service(s),
        Object::PersistentVolumeClaim(c) => default_pvc(c),
        Object::PersistentVolume(v) => default_pv(v),
        Object::Pod(p) => default_pod(p),
        Object::Namespace(ns) => default_namespace(ns),
        Object::Secret(secret) => default_secret(secret),
        _ => {}
    }
}

/// A Secret's type defaults to Opaque, and `stringData` is write-only: the
/// apiserver's conversion merges it into `data`, its values winning.
fn default_secret(secret: &mut k8s_openapi::api::core::v1::Secret) {
    default_to(&mut secret.type_, "Opaque");
    if let Some(strings) = secret.string_data.take() {
        let data = secret.data.get_or_insert_with(Default::default);
        for (key, value) in strings {
            data.insert(key, k8s_openapi::ByteString(value.into_bytes()));
        }
    }
}

/// The name label the apiserver puts on every namespace, created or
/// updated (its phase and finalizer are `strategy.rs`'s).
fn default_namespace(ns: &mut k8s_openapi::api::core::v1::Namespace) {
    let name = ns.metadata.name.clone().unwrap_or_default();
    ns.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert("kubernetes.io/metadata.name".to_string(), name);
}

pub fn default_statefulset(set: &mut StatefulSet) {
    let Some(spec) = set.spec.as_mut() else {
        return;
    };
    spec.replicas.get_or_insert(1);
    default_to(&mut spec.pod_management_policy, "OrderedReady");
    let strategy = spec
        .update_strategy
        .get_or_insert_with(StatefulSetUpdateStrategy::default);
    if strategy.type_.is_none() {
        strategy.type_ = Some("RollingUpdate".to_string());
        strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateStatefulSetStrategy::default);
    }
    if let Some(rolling) = strategy.rolling_update.as_mut() {
        rolling.partition.get_or_insert(0);
    }
    let retention = spec
        .persistent_volume_claim_retention_policy
        .get_or_insert_with(StatefulSetPersistentVolumeClaimRetentionPolicy::default);
    default_to(&mut retention.when_deleted, "Retain");
    default_to(&mut retention.when_scaled, "Retain");
    spec.revision_history_limit.get_or_insert(10);
    default_template(&mut spec.template);
    for claim in spec.volume_claim_templates.iter_mut().flatten() {
        let claim_spec = claim.spec.get_or_insert_with(Default::default);
        default_to(&mut claim_spec.volume_mode, "Filesystem");
        // The template keeps the status the API shows for it.
        let status = claim.status.get_or_insert_with(Default::default);
        default_to(&mut status.phase, "Pending");
    }
}

pub fn default_template(template: &mut PodTemplateSpec) {
    default_pod_spec(template.spec.get_or_insert_with(PodSpec::default));
}

fn default_pod_spec(spec: &mut PodSpec) {
    echo_service_account(spec);
    for container in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
    {
        default_container(container);
    }
    for ephemeral in spec.ephemeral_containers.iter_mut().flatten() {
        let mut container = pod_containers::as_container(ephemeral);
        default_container(&mut container);
        let target = ephemeral.target_container_name.take();
        *ephemeral = pod_containers::as_ephemeral(&container, target);
    }
    for volume in spec.volumes.iter_mut().flatten() {
        if let Some(host) = volume.host_path.as_mut() {
            // SetDefaults_HostPathVolumeSource: HostPathUnset.
            default_to(&mut host.type_, "");
        }
    }
    default_to(&mut spec.dns_policy, "ClusterFirst");
    default_to(&mut spec.restart_policy, "Always");
    default_to(&mut spec.scheduler_name, "default-scheduler");
    spec.security_context
        .get_or_insert_with(PodSecurityContext::default);
    spec.termination_grace_period_seconds.get_or_insert(30);
}

/// The v1 conversion both ways: `serviceAccount`, the deprecated spelling,
/// stands in for a missing `serviceAccountName` and always echoes it.
fn echo_service_account(spec: &mut PodSpec) {
    if spec
        .service_account_name
        .as_deref()
        .is_none_or(str::is_empty)
    {
        if let Some(deprecated) = spec.service_account.take().filter(|a| !a.is_empty()) {
            spec.service_account_name = Some(deprecated);
        }
    }
    spec.service_account = spec
        .service_account_name
        .clone()
        .filter(|name| !name.is_empty());
}

fn default_container(container: &mut Container) {
    if container.image_pull_policy.is_none() {
        let image = container.image.as_deref().unwrap_or("");
        let policy = if image_tag(image).is_none_or(|t| t == "latest") {
            "Always"
        } else {
            "IfNotPresent"
        };
        container.image_pull_policy = Some(policy.to_string());
    }
    for port in container.ports.iter_mut().flatten() {
        default_to(&mut port.protocol, "TCP");
    }
    container
        .resources
        .get_or_insert_with(ResourceRequirements::default);
    default_to(
        &mut container.termination_message_path,
        "/dev/termination-log",
    );
    default_to(&mut container.termination_message_policy, "File");
    for probe in [
        &mut container.liveness_probe,
        &mut container.readiness_probe,
        &mut container.startup_probe,
    ]
    .into_iter()
    .flatten()
    {
        default_probe(probe);
    }
}

/// SetDefaults_Probe and SetDefaults_HTTPGetAction.
fn default_probe(probe: &mut Probe) {
    probe.timeout_seconds.get_or_insert(1);
    probe.period_seconds.get_or_insert(10);
    probe.success_threshold.get_or_insert(1);
    probe.failure_threshold.get_or_insert(3);
    if let Some(http) = probe.http_get.as_mut() {
        default_to(&mut http.path, "/");
        default_to(&mut http.scheme, "HTTP");
    }
}

/// The tag of an image reference, if it has one (a digest counts as none).
pub fn image_tag(image: &str) -> Option<&str> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, tag)| tag)
}

/// The image reference without its tag or digest.
pub fn image_without_tag(image: &str) -> &str {
    match image_tag(image) {
        Some(tag) => image
            .strip_suffix(tag)
            .and_then(|s| s.strip_suffix(':'))
            .unwrap_or(image),
        None => image.split('@').next().unwrap_or(image),
    }
}

fn default_service(service: &mut Service) {
    let spec = service.spec.get_or_insert_with(Default::default);
    default_to(&mut spec.type_, "ClusterIP");
    default_to(&mut spec.session_affinity, "None");
    default_to(&mut spec.internal_traffic_policy, "Cluster");
    spec.ip_families
        .get_or_insert_with(|| vec!["IPv4".to_string()]);
    default_to(&mut spec.ip_family_policy, "SingleStack");
    for port in spec.ports.iter_mut().flatten() {
        default_service_port(port);
    }
    service
        .status
        .get_or_insert_with(|| k8s_openapi::api::core::v1::ServiceStatus {
            load_balancer: Some(Default::default()),
            ..Default::default()
        });
}

fn default_service_port(port: &mut ServicePort) {
    default_to(&mut port.protocol, "TCP");
    if port.target_port.is_none() {
        port.target_port = Some(IntOrString::Int(port.port));
    }
}

fn default_pvc(claim: &mut PersistentVolumeClaim) {
    let spec = claim.spec.get_or_insert_with(Default::default);
    default_to(&mut spec.volume_mode, "Filesystem");
    spec.storage_class_name
        .get_or_insert_with(|| DEFAULT_STORAGE_CLASS.to_string());
    claim
        .status
        .get_or_insert_with(|| k8s_openapi::api::core::v1::PersistentVolumeClaimStatus {
            phase: Some("Pending".to_string()),
            ..Default::default()
        });
}

/// SetDefaults_PersistentVolume.
fn default_pv(pv: &mut PersistentVolume) {
    let spec = pv.spec.get_or_insert_with(Default::default);
    default_to(&mut spec.persistent_volume_reclaim_policy, "Retain");
    default_to(&mut spec.volume_mode, "Filesystem");
    if let Some(host) = spec.host_path.as_mut() {
        default_to(&mut host.type_, "");
    }
    // The field is a plain string with omitempty: an empty class is not kept.
    if spec.storage_class_name.as_deref() == Some("") {
        spec.storage_class_name = None;
    }
}

fn default_pod(pod: &mut Pod) {
    let mirror = super::pods::is_mirror(pod);
    let spec = pod.spec.get_or_insert_with(PodSpec::default);
    default_pod_spec(spec);
    // SetDefaults_Pod (not a template's): a limit without a request is also
    // the request.
    for container in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
    {
        let Some(resources) = container.resources.as_mut() else {
            continue;
        };
        let Some(limits) = resources.limits.clone() else {
            continue;
        };
        let requests = resources.requests.get_or_insert_with(Default::default);
        for (name, value) in limits {
            requests.entry(name).or_insert(value);
        }
    }
    spec.enable_service_links.get_or_insert(true);
    default_to(&mut spec.preemption_policy, "PreemptLowerPriority");
    spec.priority.get_or_insert(0);
    // The ServiceAccount admission plugin's, which leaves mirror pods alone.
    if !mirror {
        default_to(&mut spec.service_account_name, "default");
        echo_service_account(spec);
    }
    // DefaultTolerationSeconds admission.
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for key in [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ] {
        // A toleration without a key (operator Exists) tolerates these already.
        let tolerated = tolerations.iter().any(|t| {
            let keys = matches!(t.key.as_deref(), None | Some("")) || t.key.as_deref() == Some(key);
            keys && matches!(t.effect.as_deref(), None | Some("" | "NoExecute"))
        });
        if !tolerated {
            tolerations.push(Toleration {
                effect: Some("NoExecute".to_string()),
                key: Some(key.to_string()),
                operator: Some("Exists".to_string()),
                toleration_seconds: Some(300),
                ..Default::default()
            });
        }
    }
    let qos = super::qos::class(spec);
    let status = pod.status.get_or_insert_with(Default::default);
    default_to(&mut status.phase, "Pending");
    default_to(&mut status.qos_class, qos);
}

/// Sets an unset string field to its API default.
fn default_to(field: &mut Option<String>, value: &str) {
    field.get_or_insert_with(|| value.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_tags() {
        assert_eq!(image_tag("registry.k8s.io/nginx-slim:0.8"), Some("0.8"));
        assert_eq!(image_tag("localhost:5000/nginx"), None);
        assert_eq!(image_tag("nginx"), None);
        assert_eq!(image_tag("nginx@sha256:abc"), None);
    }

    #[test]
    fn explicit_rolling_update_without_block_stays_nil() {
        let mut set: StatefulSet = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web"},
            "spec": {"selector": {}, "template": {}, "updateStrategy": {"type": "RollingUpdate"}}
        }))
        .unwrap();
        default_statefulset(&mut set);
        let strategy = set.spec.unwrap().update_strategy.unwrap();
        assert!(strategy.rolling_update.is_none());
    }
}
