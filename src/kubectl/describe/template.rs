//! The parts of describe shared by pods and pod templates: containers,
//! their state, probes, environment and mounts, and volumes.

use crate::kubectl::printers::int_or_string;
use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStatus, EnvVar, EnvVarSource, Pod, PodTemplateSpec, Probe,
    Volume,
};

use super::writer::{or_none, timestamp, Writer};

/// `Containers:` (or `Init Containers:`) with one block per container.
/// `space` is the template indent (`"  "`), `pod` resolves env fieldRefs.
pub fn containers(
    w: &mut Writer,
    label: &str,
    list: &[Container],
    statuses: Option<&Vec<ContainerStatus>>,
    pod: Option<&Pod>,
    space: &str,
) {
    let none = if list.is_empty() { " <none>" } else { "" };
    w.write(0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for container in list {
        let status = statuses
            .into_iter()
            .flatten()
            .find(|s| s.name == container.name);
        w.write(1, &format!("{name_indent}{}:\n", container.name));
        if let Some(s) = status {
            w.field(2, "Container ID", s.container_id.as_deref().unwrap_or(""));
        }
        w.field(2, "Image", container.image.as_deref().unwrap_or(""));
        if let Some(s) = status {
            w.field(2, "Image ID", &s.image_id);
        }
        let ports = container.ports.iter().flatten();
        let (container_ports, host_ports): (Vec<String>, Vec<String>) = ports
            .map(|p| {
                let protocol = p.protocol.as_deref().unwrap_or("TCP");
                let named = |n: i32| match p.name.as_deref() {
                    Some(name) if !name.is_empty() => format!("{n}/{protocol} ({name})"),
                    _ => format!("{n}/{protocol}"),
                };
                (named(p.container_port), named(p.host_port.unwrap_or(0)))
            })
            .unzip();
        let (container_ports, host_ports) = (container_ports.join(", "), host_ports.join(", "));
        let port_key = if container_ports.contains(',') {
            "Ports"
        } else {
            "Port"
        };
        w.field(2, port_key, or_none(&container_ports));
        let host_key = if host_ports.contains(',') {
            "Host Ports"
        } else {
            "Host Port"
        };
        w.field(2, host_key, or_none(&host_ports));
        command(w, "Command", container.command.as_ref());
        command(w, "Args", container.args.as_ref());
        if let Some(s) = status {
            state(w, "State", s.state.as_ref());
            if let Some(last) = s.last_state.as_ref().filter(|l| l.terminated.is_some()) {
                state(w, "Last State", Some(last));
            }
            w.field(2, "Ready", if s.ready { "True" } else { "False" });
            w.field(2, "Restart Count", s.restart_count);
        }
        resources(w, container);
        for (key, probe) in [
            ("Liveness", &container.liveness_probe),
            ("Readiness", &container.readiness_probe),
            ("Startup", &container.startup_probe),
        ] {
            if let Some(probe) = probe {
                w.field(2, key, describe_probe(probe));
            }
        }
        environment(w, container, pod);
        mounts(w, container);
    }
}

fn command(w: &mut Writer, title: &str, words: Option<&Vec<String>>) {
    let Some(words) = words.filter(|c| !c.is_empty()) else {
        return;
    };
    w.write(2, &format!("{title}:\n"));
    for line in words.iter().flat_map(|c| c.split('\n')) {
        w.write(3, &format!("{line}\n"));
    }
}

fn state(w: &mut Writer, title: &str, state: Option<&ContainerState>) {
    let state = state.cloned().unwrap_or_default();
    if let Some(running) = &state.running {
        w.field(2, title, "Running");
        w.field(3, "Started", timestamp(running.started_at.as_ref()));
    } else if let Some(waiting) = &state.waiting {
        w.field(2, title, "Waiting");
        w.field_if_set(3, "Reason", waiting.reason.as_deref());
    } else if let Some(t) = &state.terminated {
        w.field(2, title, "Terminated");
        w.field_if_set(3, "Reason", t.reason.as_deref());
        w.field_if_set(3, "Message", t.message.as_deref());
        w.field(3, "Exit Code", t.exit_code);
        if let Some(signal) = t.signal.filter(|s| *s > 0) {
            w.field(3, "Signal", signal);
        }
        w.field(3, "Started", timestamp(t.started_at.as_ref()));
        w.field(3, "Finished", timestamp(t.finished_at.as_ref()));
    } else {
        w.field(2, title, "Waiting");
    }
}

fn resources(w: &mut Writer, container: &Container) {
    let Some(resources) = &container.resources else {
        return;
    };
    for (title, list) in [
        ("Limits", &resources.limits),
        ("Requests", &resources.requests),
    ] {
        let Some(list) = list.as_ref().filter(|l| !l.is_empty()) else {
            continue;
        };
        w.write(2, &format!("{title}:\n"));
        for (name, quantity) in list {
            w.field(3, name, &quantity.0);
        }
    }
}

/// `http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3`.
pub fn describe_probe(probe: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        probe.initial_delay_seconds.unwrap_or(0),
        probe.timeout_seconds.unwrap_or(1),
        probe.period_seconds.unwrap_or(10),
        probe.success_threshold.unwrap_or(1),
        probe.failure_threshold.unwrap_or(3)
    );
    if let Some(exec) = &probe.exec {
        return format!(
            "exec [{}] {attrs}",
            exec.command.clone().unwrap_or_default().join(" ")
        );
    }
    if let Some(http) = &probe.http_get {
        let scheme = http
            .scheme
            .as_deref()
            .unwrap_or("HTTP")
            .to_ascii_lowercase();
        let host = http.host.clone().unwrap_or_default();
        let port = int_or_string(&http.port);
        let host = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        return format!(
            "http-get {scheme}://{host}{} {attrs}",
            http.path.as_deref().unwrap_or("")
        );
    }
    if let Some(tcp) = &probe.tcp_socket {
        return format!(
            "tcp-socket {}:{} {attrs}",
            tcp.host.as_deref().unwrap_or(""),
            int_or_string(&tcp.port)
        );
    }
    if let Some(grpc) = &probe.grpc {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            grpc.port,
            grpc.service.as_deref().unwrap_or("")
        );
    }
    format!("unknown {attrs}")
}

/// The value a downward-API env var has in a pod, as describe resolves it.
fn field_value(pod: Option<&Pod>, path: &str) -> String {
    let Some(pod) = pod else { return String::new() };
    let meta = &pod.metadata;
    let value = match path {
        "metadata.name" => meta.name.clone(),
        "metadata.namespace" => meta.namespace.clone(),
        "metadata.uid" => meta.uid.clone(),
        "spec.nodeName" => pod.spec.as_ref().and_then(|s| s.node_name.clone()),
        "spec.serviceAccountName" => pod
            .spec
            .as_ref()
            .and_then(|s| s.service_account_name.clone()),
        "status.podIP" => pod.status.as_ref().and_then(|s| s.pod_ip.clone()),
        "status.hostIP" => pod.status.as_ref().and_then(|s| s.host_ip.clone()),
        _ => None,
    };
    value.unwrap_or_default()
}

fn environment(w: &mut Writer, container: &Container, pod: Option<&Pod>) {
    if let Some(from) = container.env_from.as_ref().filter(|f| !f.is_empty()) {
        w.write(2, "Environment Variables from:\n");
        for source in from {
            let (name, kind, optional) = if let Some(c) = &source.config_map_ref {
                (c.name.clone(), "ConfigMap", c.optional.unwrap_or(false))
            } else if let Some(s) = &source.secret_ref {
                (s.name.clone(), "Secret", s.optional.unwrap_or(false))
            } else {
                (String::new(), "", false)
            };
            match source.prefix.as_deref().filter(|p| !p.is_empty()) {
                Some(prefix) => w.write(
                    3,
                    &format!("{name}\t{kind} with prefix '{prefix}'\tOptional: {optional}\n"),
                ),
                None => w.write(3, &format!("{name}\t{kind}\tOptional: {optional}\n")),
            }
        }
    }
    let env = container.env.clone().unwrap_or_default();
    let none = if env.is_empty() { "\t<none>" } else { "" };
    w.write(2, &format!("Environment:{none}\n"));
    for var in &env {
        env_var(w, var, pod);
    }
}

fn env_var(w: &mut Writer, var: &EnvVar, pod: Option<&Pod>) {
    let Some(from) = &var.value_from else {
        for (i, line) in var.value.as_deref().unwrap_or("").split('\n').enumerate() {
            if i == 0 {
                w.write(3, &format!("{}:\t{line}\n", var.name));
            } else {
                w.write(3, &format!("\t{line}\n"));
            }
        }
        return;
    };
    if let Some(field) = &from.field_ref {
        let version = field.api_version.as_deref().unwrap_or("v1");
        let value = field_value(pod, &field.field_path);
        w.write(
            3,
            &format!("{}:\t{value} ({version}:{})\n", var.name, field.field_path),
        );
    } else if let Some(resource) = &from.resource_field_ref {
        w.write(3, &format!("{}:\t ({})\n", var.name, resource.resource));
    } else if let Some((key, source, optional)) = key_ref(from) {
        w.write(
            3,
            &format!(
                "{}:\t<set to the key '{key}' {source}>\tOptional: {optional}\n",
                var.name
            ),
        );
    }
}

/// A value taken from a key of a secret or config map: the key, where it
/// lives, and whether it may be missing.
fn key_ref(from: &EnvVarSource) -> Option<(&str, String, bool)> {
    if let Some(secret) = &from.secret_key_ref {
        let source = format!("in secret '{}'", secret.name);
        return Some((&secret.key, source, secret.optional.unwrap_or(false)));
    }
    let map = from.config_map_key_ref.as_ref()?;
    let source = format!("of config map '{}'", map.name);
    Some((&map.key, source, map.optional.unwrap_or(false)))
}

fn mounts(w: &mut Writer, container: &Container) {
    let mut mounts = container.volume_mounts.clone().unwrap_or_default();
    let none = if mounts.is_empty() { "\t<none>" } else { "" };
    w.write(2, &format!("Mounts:{none}\n"));
    mounts.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
    for mount in mounts {
        let mut flags = vec![if mount.read_only.unwrap_or(false) {
            "ro".to_string()
        } else {
            "rw".to_string()
        }];
        if let Some(sub) = mount.sub_path.filter(|s| !s.is_empty()) {
            flags.push(format!("path={sub:?}"));
        }
        w.write(
            3,
            &format!(
                "{} from {} ({})\n",
                mount.mount_path,
                mount.name,
                flags.join(",")
            ),
        );
    }
}

/// `Volumes:` with each volume's source.
pub fn volumes(w: &mut Writer, list: Option<&Vec<Volume>>, space: &str) {
    let Some(list) = list.filter(|l| !l.is_empty()) else {
        w.write(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    };
    w.write(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for volume in list {
        w.write(1, &format!("{name_indent}{}:\n", volume.name));
        volume_source(w, volume);
    }
}

fn volume_source(w: &mut Writer, volume: &Volume) {
    if let Some(claim) = &volume.persistent_volume_claim {
        w.field(
            2,
            "Type",
            "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)",
        );
        w.field(2, "ClaimName", &claim.claim_name);
        w.field(2, "ReadOnly", claim.read_only.unwrap_or(false));
    } else if let Some(projected) = &volume.projected {
        w.field(
            2,
            "Type",
            "Projected (a volume that contains injected data from multiple sources)",
        );
        for source in projected.sources.iter().flatten() {
            if let Some(secret) = &source.secret {
                w.field(2, "SecretName", &secret.name);
                w.field(2, "Optional", secret.optional.unwrap_or(false));
            } else if source.downward_api.is_some() {
                w.field(2, "DownwardAPI", "true");
            } else if let Some(map) = &source.config_map {
                w.field(2, "ConfigMapName", &map.name);
                w.field(2, "Optional", map.optional.unwrap_or(false));
            } else if let Some(token) = &source.service_account_token {
                w.field(
                    2,
                    "TokenExpirationSeconds",
                    token.expiration_seconds.unwrap_or(3600),
                );
            }
        }
    } else if let Some(host) = &volume.host_path {
        host_path(w, &host.path, host.type_.as_deref());
    } else if let Some(dir) = &volume.empty_dir {
        w.field(
            2,
            "Type",
            "EmptyDir (a temporary directory that shares a pod's lifetime)",
        );
        w.field(2, "Medium", dir.medium.as_deref().unwrap_or(""));
        let limit = dir
            .size_limit
            .as_ref()
            .map(|q| q.0.clone())
            .filter(|q| !q.is_empty() && q != "0");
        w.field(
            2,
            "SizeLimit",
            limit.unwrap_or_else(|| "<unset>".to_string()),
        );
    } else if let Some(secret) = &volume.secret {
        w.field(2, "Type", "Secret (a volume populated by a Secret)");
        w.field(2, "SecretName", secret.secret_name.as_deref().unwrap_or(""));
        w.field(2, "Optional", secret.optional.unwrap_or(false));
    } else if let Some(map) = &volume.config_map {
        w.field(2, "Type", "ConfigMap (a volume populated by a ConfigMap)");
        w.field(2, "Name", &map.name);
        w.field(2, "Optional", map.optional.unwrap_or(false));
    } else if let Some(api) = &volume.downward_api {
        w.field(
            2,
            "Type",
            "DownwardAPI (a volume populated by information about the pod)",
        );
        w.write(2, "Items:\n");
        for item in api.items.iter().flatten() {
            if let Some(field) = &item.field_ref {
                w.write(3, &format!("{} -> {}\n", field.field_path, item.path));
            }
            if let Some(resource) = &item.resource_field_ref {
                w.write(3, &format!("{} -> {}\n", resource.resource, item.path));
            }
        }
    } else {
        w.write(1, "<unknown>\n");
    }
}

/// A hostPath source, shared with PersistentVolumes.
pub fn host_path(w: &mut Writer, path: &str, type_: Option<&str>) {
    w.field(2, "Type", "HostPath (bare host directory volume)");
    w.field(2, "Path", path);
    w.field(2, "HostPathType", type_.unwrap_or("<none>"));
}

/// `Pod Template:` as StatefulSet describe and rollout history print it.
pub fn pod_template(w: &mut Writer, template: &PodTemplateSpec) {
    w.write(0, "Pod Template:\n");
    let meta = template.metadata.clone().unwrap_or_default();
    let spec = template.spec.clone().unwrap_or_default();
    w.labels("", "  Labels", meta.labels.as_ref());
    if meta.annotations.as_ref().is_some_and(|a| !a.is_empty()) {
        w.annotations("  Annotations", meta.annotations.as_ref());
    }
    w.field_if_set(1, "Service Account", spec.service_account_name.as_deref());
    if let Some(init) = spec.init_containers.as_ref().filter(|c| !c.is_empty()) {
        containers(w, "Init Containers", init, None, None, "  ");
    }
    containers(w, "Containers", &spec.containers, None, None, "  ");
    volumes(w, spec.volumes.as_ref(), "  ");
    w.field_if_set(
        1,
        "Priority Class Name",
        spec.priority_class_name.as_deref(),
    );
    w.labels("", "  Node-Selectors", spec.node_selector.as_ref());
    w.tolerations("", "  Tolerations", spec.tolerations.as_ref());
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn env_from_secret_and_config_map_keys() {
        let var = |value: serde_json::Value| -> EnvVar {
            serde_json::from_value(value).expect("test env var decodes")
        };
        let secret = var(json!({"name": "PASSWORD",
            "valueFrom": {"secretKeyRef": {"key": "pw", "name": "db", "optional": true}}}));
        let map = var(json!({"name": "MODE",
            "valueFrom": {"configMapKeyRef": {"key": "mode", "name": "settings"}}}));
        let mut w = Writer::default();
        env_var(&mut w, &secret, None);
        env_var(&mut w, &map, None);
        assert_eq!(
            w.finish(),
            "      PASSWORD:  <set to the key 'pw' in secret 'db'>              Optional: true\n      MODE:      <set to the key 'mode' of config map 'settings'>  Optional: false\n"
        );
    }
}
