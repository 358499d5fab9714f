//! `kubectl debug --profile`: what each of kubectl 1.34's profiles does to
//! the debug container's security context and, debugging in a copy, to the
//! rest of the copy (the `--keep-*` flags keep parts of it), or to a node's
//! debugging pod.

use k8s_openapi::api::core::v1::{
    Capabilities, Container, HostPathVolumeSource, Pod, SeccompProfile, SecurityContext, Volume,
    VolumeMount,
};

use super::args::Parsed;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    Legacy,
    General,
    Baseline,
    Restricted,
    Netadmin,
    Sysadmin,
}

/// What a copy keeps that a profile other than legacy would drop.
pub struct Keep {
    labels: bool,
    annotations: bool,
    liveness: bool,
    readiness: bool,
    startup: bool,
    init_containers: bool,
}

impl Keep {
    pub fn of(parsed: &Parsed) -> Keep {
        Keep {
            labels: parsed.bool("keep-labels"),
            annotations: parsed.bool("keep-annotations"),
            liveness: parsed.bool("keep-liveness"),
            readiness: parsed.bool("keep-readiness"),
            startup: parsed.bool("keep-startup"),
            init_containers: parsed.bool_or("keep-init-containers", true),
        }
    }
}

impl Profile {
    /// NewProfileApplier's names.
    pub fn parse(name: &str) -> Result<Profile, String> {
        Ok(match name {
            "legacy" => Profile::Legacy,
            "general" => Profile::General,
            "baseline" => Profile::Baseline,
            "restricted" => Profile::Restricted,
            "netadmin" => Profile::Netadmin,
            "sysadmin" => Profile::Sysadmin,
            other => return Err(format!("unknown profile: {other}")),
        })
    }

    /// The debug container's security context, for an ephemeral container
    /// or one in a copy.
    pub fn secure(self, c: &mut Container) {
        match self {
            Profile::Legacy => {}
            Profile::General => add_capabilities(c, &["SYS_PTRACE"]),
            Profile::Baseline => c.security_context = None,
            Profile::Restricted => {
                c.security_context = Some(SecurityContext {
                    run_as_non_root: Some(true),
                    capabilities: Some(Capabilities {
                        drop: Some(vec!["ALL".to_string()]),
                        add: None,
                    }),
                    allow_privilege_escalation: Some(false),
                    seccomp_profile: Some(SeccompProfile {
                        type_: "RuntimeDefault".to_string(),
                        localhost_profile: None,
                    }),
                    ..Default::default()
                });
            }
            Profile::Netadmin => add_capabilities(c, &["NET_ADMIN", "NET_RAW"]),
            Profile::Sysadmin => {
                c.security_context
                    .get_or_insert_with(Default::default)
                    .privileged = Some(true);
            }
        }
    }

    /// The rest of a copy: legacy drops only its labels (whatever
    /// `--keep-labels` says); the others drop labels, annotations, the
    /// containers' probes and the init containers unless kept, and share the
    /// pod's process namespace unless `--share-processes` said otherwise.
    pub fn trim_copy(self, pod: &mut Pod, keep: &Keep) {
        if self == Profile::Legacy {
            pod.metadata.labels = None;
            return;
        }
        if !keep.labels {
            pod.metadata.labels = None;
        }
        if !keep.annotations {
            pod.metadata.annotations = None;
        }
        let spec = pod.spec.get_or_insert_with(Default::default);
        for c in &mut spec.containers {
            if !keep.liveness {
                c.liveness_probe = None;
            }
            if !keep.readiness {
                c.readiness_probe = None;
            }
            if !keep.startup {
                c.startup_probe = None;
            }
        }
        if !keep.init_containers {
            spec.init_containers = None;
        }
        spec.share_process_namespace.get_or_insert(true);
    }
}

impl Profile {
    /// A node's debugging pod (its first container the debugger): the
    /// debugger's security context as for a pod (general clears it
    /// instead), the node's root at `/host` (legacy, general, sysadmin) and
    /// the node's network, process and IPC namespaces (all but baseline and
    /// restricted).
    pub fn node_pod(self, pod: &mut Pod) {
        let spec = pod.spec.get_or_insert_with(Default::default);
        let Some(debugger) = spec.containers.first_mut() else {
            return;
        };
        match self {
            Profile::General => debugger.security_context = None,
            other => other.secure(debugger),
        }
        if matches!(self, Profile::Legacy | Profile::General | Profile::Sysadmin) {
            debugger
                .volume_mounts
                .get_or_insert_with(Vec::new)
                .push(VolumeMount {
                    mount_path: "/host".to_string(),
                    name: HOST_ROOT.to_string(),
                    ..Default::default()
                });
            spec.volumes.get_or_insert_with(Vec::new).push(Volume {
                name: HOST_ROOT.to_string(),
                host_path: Some(HostPathVolumeSource {
                    path: "/".to_string(),
                    type_: None,
                }),
                ..Default::default()
            });
        }
        if !matches!(self, Profile::Baseline | Profile::Restricted) {
            spec.host_network = Some(true);
            spec.host_pid = Some(true);
            spec.host_ipc = Some(true);
        }
    }
}

/// mountRootPartition's volume.
const HOST_ROOT: &str = "host-root";

fn add_capabilities(c: &mut Container, names: &[&str]) {
    let context = c.security_context.get_or_insert_with(Default::default);
    let capabilities = context.capabilities.get_or_insert_with(Default::default);
    let add = capabilities.add.get_or_insert_with(Vec::new);
    add.extend(names.iter().map(|n| n.to_string()));
}

/// displayWarning: capabilities a profile grants may not work when the pod
/// runs as a user other than root and the container does not say root.
pub fn warning(pod: &Pod, c: &Container) -> Option<&'static str> {
    let pod_user = pod
        .spec
        .as_ref()
        .and_then(|s| s.security_context.as_ref())
        .and_then(|s| s.run_as_user);
    if pod_user.is_none_or(|u| u == 0) {
        return None;
    }
    let context = c.security_context.as_ref()?;
    if context.run_as_user == Some(0) {
        return None;
    }
    let adds = context
        .capabilities
        .as_ref()
        .and_then(|c| c.add.as_ref())
        .is_some_and(|a| !a.is_empty());
    (context.privileged == Some(true) || adds).then_some(
        "Warning: Non-root user is configured for the entire target Pod, and some capabilities granted by debug profile may not work. Please consider using \"--custom\" with a custom profile that specifies \"securityContext.runAsUser: 0\".",
    )
}

/// `--custom=FILE`: a partial container spec (JSON or YAML) merged into the
/// debug container after the profile, as a strategic merge patch with the
/// container's name.
pub struct Custom(Container);

impl Custom {
    /// Complete's reading of the file, then Validate's check of what it may
    /// not change.
    pub fn read(ctx: &super::Context<'_>, file: &str) -> Result<Custom, String> {
        let text = ctx.read(file).map_err(|_| {
            format!("must pass a container spec json file for custom profile: open {file}: no such file or directory")
        })?;
        let value: serde_json::Value = serde_yaml::from_str(&text)
            .map_err(|e| format!("{file} does not contain a valid container spec: {e}"))?;
        let container: Container = serde_json::from_value(value).map_err(|e| {
            format!("{file} does not contain a valid container spec: error unmarshaling JSON: while decoding JSON: {e}")
        })?;
        let changes_identity = !container.name.is_empty()
            || container.command.as_ref().is_some_and(|c| !c.is_empty())
            || container.image.as_deref().is_some_and(|i| !i.is_empty())
            || container.lifecycle.is_some()
            || container
                .volume_devices
                .as_ref()
                .is_some_and(|d| !d.is_empty());
        if changes_identity {
            return Err("name, command, image, lifecycle and volume devices are not modifiable via custom profile".to_string());
        }
        Ok(Custom(container))
    }

    /// applyCustomProfile: the partial spec, named as the debug container,
    /// merged into it.
    pub fn apply(&self, c: &mut Container) -> Result<(), String> {
        let patch = Container {
            name: c.name.clone(),
            ..self.0.clone()
        };
        let (Ok(current), Ok(patch)) = (serde_json::to_value(&*c), serde_json::to_value(patch))
        else {
            return Err("unable to marshall custom profile".to_string());
        };
        let merged = super::strategic::apply(&current, &patch)
            .map_err(|e| format!("error creating three way patch to add debug container: {e}"))?;
        *c = serde_json::from_value(merged)
            .map_err(|e| format!("unable to unmarshall patched container to container: {e}"))?;
        Ok(())
    }
}
