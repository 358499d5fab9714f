//! core/v1 Pod: the parts of ValidatePodSpec a StatefulSet template can get
//! wrong (containers, images, ports, volume mounts, policies).

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Container, Pod, PodSpec};

use super::field::{quote, FieldError, Path};
use super::{meta, names};

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
    errs
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
}
