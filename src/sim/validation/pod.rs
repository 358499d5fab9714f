//! core/v1 Pod: the parts of ValidatePodSpec a StatefulSet template can get
//! wrong (containers, images, ports, volume mounts, policies).

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Container, Pod, PodSpec};

use super::field::{quote, FieldError, Path};
use super::{meta, names};
use crate::sim::{pod_containers, quantity};

pub fn validate(pod: &Pod) -> Vec<FieldError> {
    let mut errs = meta::validate(&pod.metadata, names::dns_subdomain, true);
    if let Some(spec) = &pod.spec {
        errs.extend(validate_spec(spec, Path::Root("spec")));
    }
    errs
}

pub fn validate_spec(spec: &PodSpec, path: Path<'_>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut volumes = BTreeSet::new();
    let volumes_path = path.child("volumes");
    for (i, volume) in spec.volumes.iter().flatten().enumerate() {
        let volume_path = volumes_path.index(i);
        let field = volume_path.child("name");
        if volume.name.is_empty() {
            errs.push(FieldError::required(field, ""));
        } else if !volumes.insert(volume.name.as_str()) {
            errs.push(FieldError::duplicate(field, quote(&volume.name)));
        } else {
            errs.extend(
                names::dns_label(&volume.name)
                    .into_iter()
                    .map(|m| FieldError::invalid(field, quote(&volume.name), m)),
            );
        }
    }
    let containers_path = path.child("containers");
    if spec.containers.is_empty() {
        errs.push(FieldError::required(containers_path, ""));
    }
    let mut seen = BTreeSet::new();
    for (i, container) in spec.containers.iter().enumerate() {
        let field = containers_path.index(i);
        errs.extend(validate_container(container, field, &volumes));
        if !container.name.is_empty() && !seen.insert(container.name.as_str()) {
            errs.push(FieldError::duplicate(
                field.child("name"),
                quote(&container.name),
            ));
        }
    }
    errs.extend(validate_ephemeral(
        spec,
        path.child("ephemeralContainers"),
        &volumes,
    ));
    let restart = spec.restart_policy.as_deref().unwrap_or("");
    errs.extend(FieldError::one_of(
        path.child("restartPolicy"),
        restart,
        &["Always", "OnFailure", "Never"],
    ));
    let dns = spec.dns_policy.as_deref().unwrap_or("");
    errs.extend(FieldError::one_of(
        path.child("dnsPolicy"),
        dns,
        &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
    ));
    if let Some(constraints) = &spec.topology_spread_constraints {
        errs.extend(super::spread::validate(
            constraints,
            path.child("topologySpreadConstraints"),
        ));
    }
    errs
}

/// ValidatePodCreate: ephemeral containers come through the pod's
/// ephemeralcontainers subresource, never with the pod.
pub fn ephemeral_on_create(pod: &Pod) -> Option<FieldError> {
    let spec = pod.spec.as_ref()?;
    spec.ephemeral_containers
        .as_ref()
        .filter(|e| !e.is_empty())
        .map(|_| FieldError::forbidden("spec.ephemeralContainers", "cannot be set on create"))
}

/// validateEphemeralContainers: each is checked as a container, its name is
/// unique among all the pod's containers, its target is one of the others,
/// and what a pod relies on (ports, probes, resources, lifecycle hooks) it
/// may not have.
fn validate_ephemeral(spec: &PodSpec, path: Path<'_>, volumes: &BTreeSet<&str>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let others: BTreeSet<&str> = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .map(|c| c.name.as_str())
        .collect();
    let mut all = others.clone();
    for (i, ephemeral) in spec.ephemeral_containers.iter().flatten().enumerate() {
        let item = path.index(i);
        let container = pod_containers::as_container(ephemeral);
        errs.extend(validate_container(&container, item, volumes));
        if !all.insert(ephemeral.name.as_str()) {
            errs.push(FieldError::duplicate(
                item.child("name"),
                quote(&ephemeral.name),
            ));
        }
        if let Some(target) = ephemeral
            .target_container_name
            .as_deref()
            .filter(|t| !t.is_empty() && !others.contains(t))
        {
            errs.push(FieldError::not_found(
                item.child("targetContainerName"),
                quote(target),
            ));
        }
        let resources = ephemeral
            .resources
            .as_ref()
            .is_some_and(|r| *r != Default::default());
        let disallowed = [
            (
                "ports",
                ephemeral.ports.as_ref().is_some_and(|p| !p.is_empty()),
            ),
            ("resources", resources),
            ("livenessProbe", ephemeral.liveness_probe.is_some()),
            ("readinessProbe", ephemeral.readiness_probe.is_some()),
            ("startupProbe", ephemeral.startup_probe.is_some()),
            ("lifecycle", ephemeral.lifecycle.is_some()),
        ];
        for (field, _) in disallowed.into_iter().filter(|(_, set)| *set) {
            errs.push(FieldError::forbidden(
                item.child(field),
                "cannot be set for an Ephemeral Container",
            ));
        }
    }
    errs
}

fn validate_container(
    container: &Container,
    path: Path<'_>,
    volumes: &BTreeSet<&str>,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = container.name.as_str();
    if name.is_empty() {
        errs.push(FieldError::required(path.child("name"), ""));
    } else {
        errs.extend(
            names::dns_label(name)
                .into_iter()
                .map(|m| FieldError::invalid(path.child("name"), quote(name), m)),
        );
    }
    if container.image.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::required(path.child("image"), ""));
    }
    let mut port_names = BTreeSet::new();
    let ports_path = path.child("ports");
    for (i, port) in container.ports.iter().flatten().enumerate() {
        let field = ports_path.index(i);
        if let Some(port_name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let problems = names::port_name(port_name);
            if !problems.is_empty() {
                errs.extend(
                    problems
                        .into_iter()
                        .map(|m| FieldError::invalid(field.child("name"), quote(port_name), m)),
                );
            } else if !port_names.insert(port_name) {
                errs.push(FieldError::duplicate(field.child("name"), quote(port_name)));
            }
        }
        if port.container_port == 0 {
            errs.push(FieldError::required(field.child("containerPort"), ""));
        } else {
            errs.extend(
                names::port_number(port.container_port.into())
                    .into_iter()
                    .map(|m| {
                        FieldError::invalid(
                            field.child("containerPort"),
                            port.container_port.to_string(),
                            m,
                        )
                    }),
            );
        }
        let protocol = port.protocol.as_deref().unwrap_or("");
        errs.extend(FieldError::one_of(
            field.child("protocol"),
            protocol,
            &["SCTP", "TCP", "UDP"],
        ));
    }
    let mut mount_paths = BTreeSet::new();
    let mounts_path = path.child("volumeMounts");
    for (i, mount) in container.volume_mounts.iter().flatten().enumerate() {
        let field = mounts_path.index(i);
        if mount.name.is_empty() {
            errs.push(FieldError::required(field.child("name"), ""));
        } else if !volumes.contains(mount.name.as_str()) {
            errs.push(FieldError::not_found(
                field.child("name"),
                quote(&mount.name),
            ));
        }
        if mount.mount_path.is_empty() {
            errs.push(FieldError::required(field.child("mountPath"), ""));
        } else if !mount_paths.insert(mount.mount_path.as_str()) {
            errs.push(FieldError::invalid(
                field.child("mountPath"),
                quote(&mount.mount_path),
                "must be unique",
            ));
        }
    }
    let pull = container.image_pull_policy.as_deref().unwrap_or("");
    errs.extend(FieldError::one_of(
        path.child("imagePullPolicy"),
        pull,
        &["Always", "IfNotPresent", "Never"],
    ));
    errs.extend(requests_within_limits(container, path));
    errs
}

/// ValidateResourceRequirements: no request above its resource's limit.
fn requests_within_limits(container: &Container, path: Path<'_>) -> Vec<FieldError> {
    let Some(resources) = container.resources.as_ref() else {
        return Vec::new();
    };
    let limits = resources.limits.as_ref();
    let resources_path = path.child("resources");
    let field = resources_path.child("requests");
    resources
        .requests
        .iter()
        .flatten()
        .filter_map(|(name, request)| {
            let limit = limits?.get(name)?;
            let above = quantity::parse(&request.0)? > quantity::parse(&limit.0)?;
            above.then(|| {
                FieldError::invalid(
                    field,
                    quote(&request.0),
                    format!("must be less than or equal to {name} limit of {}", limit.0),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(spec: serde_json::Value) -> Vec<String> {
        let spec: PodSpec = serde_json::from_value(spec).expect("a pod spec");
        validate_spec(&spec, Path::Root("spec"))
            .into_iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn errors_name_the_field_by_its_full_path() {
        let errs = fields(serde_json::json!({
            "restartPolicy": "Always",
            "dnsPolicy": "ClusterFirst",
            "volumes": [{"name": "www"}, {"name": "www"}],
            "containers": [
                {"name": "ok", "image": "nginx", "imagePullPolicy": "IfNotPresent"},
                {"name": "web", "imagePullPolicy": "Sometimes",
                 "ports": [{"containerPort": 80, "protocol": "HTTP"}],
                 "volumeMounts": [{"name": "data", "mountPath": "/data"}]}
            ]
        }));
        assert_eq!(
            errs,
            [
                "spec.volumes[1].name: Duplicate value: \"www\"",
                "spec.containers[1].image: Required value",
                "spec.containers[1].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                "spec.containers[1].volumeMounts[0].name: Not found: \"data\"",
                "spec.containers[1].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
            ]
        );
    }

    #[test]
    fn ephemeral_containers_are_checked_against_the_others() {
        let errs = fields(serde_json::json!({
            "restartPolicy": "Always",
            "dnsPolicy": "ClusterFirst",
            "containers": [{"name": "web", "image": "nginx", "imagePullPolicy": "Always"}],
            "ephemeralContainers": [
                {"name": "web", "image": "busybox", "imagePullPolicy": "Always"},
                {"name": "debugger", "image": "busybox", "imagePullPolicy": "Always",
                 "targetContainerName": "db", "ports": [{"containerPort": 80, "protocol": "TCP"}],
                 "readinessProbe": {"exec": {"command": ["true"]}}}
            ]
        }));
        assert_eq!(
            errs,
            [
                "spec.ephemeralContainers[0].name: Duplicate value: \"web\"",
                "spec.ephemeralContainers[1].targetContainerName: Not found: \"db\"",
                "spec.ephemeralContainers[1].ports: Forbidden: cannot be set for an Ephemeral Container",
                "spec.ephemeralContainers[1].readinessProbe: Forbidden: cannot be set for an Ephemeral Container",
            ]
        );
    }
}
