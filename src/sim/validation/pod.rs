//! core/v1 Pod: the parts of ValidatePodSpec a StatefulSet template can get
//! wrong (containers, images, ports, volume mounts, policies).

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Container, Pod, PodSpec};

use super::field::{quote, FieldError};
use super::{meta, names};

pub fn validate(pod: &Pod) -> Vec<FieldError> {
    let mut errs = meta::validate(&pod.metadata, names::dns_subdomain, true);
    if let Some(spec) = &pod.spec {
        errs.extend(validate_spec(spec, "spec"));
    }
    errs
}

pub fn validate_spec(spec: &PodSpec, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut volumes = BTreeSet::new();
    for (i, volume) in spec.volumes.iter().flatten().enumerate() {
        let field = format!("{path}.volumes[{i}].name");
        if volume.name.is_empty() {
            errs.push(FieldError::required(field, ""));
        } else if !volumes.insert(volume.name.as_str()) {
            errs.push(FieldError::duplicate(field, quote(&volume.name)));
        } else {
            errs.extend(
                names::dns_label(&volume.name)
                    .into_iter()
                    .map(|m| FieldError::invalid(&field, quote(&volume.name), m)),
            );
        }
    }
    if spec.containers.is_empty() {
        errs.push(FieldError::required(format!("{path}.containers"), ""));
    }
    let mut seen = BTreeSet::new();
    for (i, container) in spec.containers.iter().enumerate() {
        let field = format!("{path}.containers[{i}]");
        errs.extend(validate_container(container, &field, &volumes));
        if !container.name.is_empty() && !seen.insert(container.name.as_str()) {
            errs.push(FieldError::duplicate(
                format!("{field}.name"),
                quote(&container.name),
            ));
        }
    }
    let restart = spec.restart_policy.as_deref().unwrap_or("");
    errs.extend(FieldError::one_of(
        format!("{path}.restartPolicy"),
        restart,
        &["Always", "OnFailure", "Never"],
    ));
    let dns = spec.dns_policy.as_deref().unwrap_or("");
    errs.extend(FieldError::one_of(
        format!("{path}.dnsPolicy"),
        dns,
        &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
    ));
    errs
}

fn validate_container(
    container: &Container,
    path: &str,
    volumes: &BTreeSet<&str>,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = container.name.as_str();
    if name.is_empty() {
        errs.push(FieldError::required(format!("{path}.name"), ""));
    } else {
        errs.extend(
            names::dns_label(name)
                .into_iter()
                .map(|m| FieldError::invalid(format!("{path}.name"), quote(name), m)),
        );
    }
    if container.image.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::required(format!("{path}.image"), ""));
    }
    let mut port_names = BTreeSet::new();
    for (i, port) in container.ports.iter().flatten().enumerate() {
        let field = format!("{path}.ports[{i}]");
        if let Some(port_name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let problems = names::port_name(port_name);
            if !problems.is_empty() {
                errs.extend(
                    problems
                        .into_iter()
                        .map(|m| FieldError::invalid(format!("{field}.name"), quote(port_name), m)),
                );
            } else if !port_names.insert(port_name) {
                errs.push(FieldError::duplicate(
                    format!("{field}.name"),
                    quote(port_name),
                ));
            }
        }
        if port.container_port == 0 {
            errs.push(FieldError::required(format!("{field}.containerPort"), ""));
        } else {
            errs.extend(
                names::port_number(port.container_port.into())
                    .into_iter()
                    .map(|m| {
                        FieldError::invalid(
                            format!("{field}.containerPort"),
                            port.container_port.to_string(),
                            m,
                        )
                    }),
            );
        }
        let protocol = port.protocol.as_deref().unwrap_or("");
        errs.extend(FieldError::one_of(
            format!("{field}.protocol"),
            protocol,
            &["SCTP", "TCP", "UDP"],
        ));
    }
    let mut mount_paths = BTreeSet::new();
    for (i, mount) in container.volume_mounts.iter().flatten().enumerate() {
        let field = format!("{path}.volumeMounts[{i}]");
        if mount.name.is_empty() {
            errs.push(FieldError::required(format!("{field}.name"), ""));
        } else if !volumes.contains(mount.name.as_str()) {
            errs.push(FieldError::not_found(
                format!("{field}.name"),
                quote(&mount.name),
            ));
        }
        if mount.mount_path.is_empty() {
            errs.push(FieldError::required(format!("{field}.mountPath"), ""));
        } else if !mount_paths.insert(mount.mount_path.as_str()) {
            errs.push(FieldError::invalid(
                format!("{field}.mountPath"),
                quote(&mount.mount_path),
                "must be unique",
            ));
        }
    }
    let pull = container.image_pull_policy.as_deref().unwrap_or("");
    errs.extend(FieldError::one_of(
        format!("{path}.imagePullPolicy"),
        pull,
        &["Always", "IfNotPresent", "Never"],
    ));
    errs
}
