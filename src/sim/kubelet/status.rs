//! The pod status the kubelet writes: phase, conditions in kubelet order,
//! container states and the reasons kubectl prints (§2.1, §2.2).

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, ContainerUser, HostIP, LinuxContainerUser, Pod,
    PodCondition, PodIP, PodStatus, ResourceRequirements, VolumeMountStatus,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;

use super::container::{Ctr, Stage, Term};
use super::{InitProgress, PodRuntime};
use crate::sim::clock::{time, Millis, SECOND};
use crate::sim::fast_hash::hex_id;
use crate::sim::images;

/// `1m20s`, `10s`, `5m0s`: Go's time.Duration text for whole seconds.
pub fn go_duration(ms: Millis) -> String {
    let s = ms / SECOND;
    if s < 60 {
        format!("{s}s")
    } else {
        format!("{}m{}s", s / 60, s % 60)
    }
}

/// `web-0_default(<uid>)`, how the kubelet names a pod in messages;
/// written only into the messages that use it.
#[derive(Clone, Copy)]
pub struct PodRef<'a>(pub &'a Pod);

impl fmt::Display for PodRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let meta = &self.0.metadata;
        write!(
            f,
            "{}_{}({})",
            meta.name.as_deref().unwrap_or(""),
            meta.namespace.as_deref().unwrap_or(""),
            meta.uid.as_deref().unwrap_or("")
        )
    }
}

fn waiting(reason: &str, message: Option<String>) -> ContainerState {
    ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some(reason.to_string()),
            message,
        }),
        ..Default::default()
    }
}

fn terminated(t: &Term, id: &Option<String>) -> ContainerState {
    ContainerState {
        terminated: Some(ContainerStateTerminated {
            exit_code: t.code,
            reason: Some(t.reason().to_string()),
            message: t.start_error.clone(),
            // It never started.
            started_at: Some(match t.start_error {
                Some(_) => Time(Timestamp::UNIX_EPOCH),
                None => time(t.started),
            }),
            finished_at: Some(time(t.finished)),
            container_id: id.as_ref().map(|i| format!("containerd://{i}")),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn pull_failure(image: &str, message: &str, backing_off: bool) -> ContainerState {
    if backing_off {
        waiting(
            "ImagePullBackOff",
            Some(format!(
                "Back-off pulling image \"{image}\": ErrImagePull: {message}"
            )),
        )
    } else {
        waiting("ErrImagePull", Some(message.to_string()))
    }
}

/// The user the container's process runs as, as containerd reports it:
/// securityContext's runAsUser/runAsGroup over the image's root, and the
/// supplementary groups merged from the image, fsGroup and
/// supplementalGroups (SupplementalGroupsPolicy Merge, the default).
pub fn process_user(spec: &Container, pod: &Pod) -> ContainerUser {
    let pod_context = pod.spec.as_ref().and_then(|s| s.security_context.as_ref());
    let own = spec.security_context.as_ref();
    let uid = own
        .and_then(|s| s.run_as_user)
        .or_else(|| pod_context.and_then(|s| s.run_as_user))
        .unwrap_or(0);
    let gid = own
        .and_then(|s| s.run_as_group)
        .or_else(|| pod_context.and_then(|s| s.run_as_group))
        .unwrap_or(0);
    let image_groups: &[i64] = if uid == 0 {
        images::root_groups(spec.image.as_deref().unwrap_or(""))
    } else {
        &[]
    };
    let mut groups: Vec<i64> = std::iter::once(gid)
        .chain(image_groups.iter().copied())
        .chain(pod_context.and_then(|s| s.fs_group))
        .chain(
            pod_context
                .and_then(|s| s.supplemental_groups.clone())
                .unwrap_or_default(),
        )
        .collect();
    groups.sort_unstable();
    groups.dedup();
    ContainerUser {
        linux: Some(LinuxContainerUser {
            uid,
            gid,
            supplemental_groups: Some(groups),
        }),
    }
}

/// What an exited container the kubelet will restart shows from its reason
/// cache: the crash loop's back-off once it backs off, a start that failed
/// until then.
fn reason_cache(c: &Ctr, pod: &Pod) -> Option<ContainerState> {
    match &c.stage {
        Stage::Exited { .. } if c.crash_looping() => Some(waiting(
            "CrashLoopBackOff",
            Some(format!(
                "back-off {} restarting failed container={} pod={}",
                go_duration(c.backoff_delay()),
                c.name(),
                PodRef(pod)
            )),
        )),
        Stage::Exited {
            restart_at: Some(_),
            ..
        } if c.post_start_error.is_some() => {
            Some(waiting("PostStartHookError", c.post_start_error.clone()))
        }
        Stage::Exited {
            term,
            restart_at: Some(_),
            ..
        } => term
            .start_error
            .as_ref()
            .map(|e| waiting("RunContainerError", Some(format!("{e}: unknown")))),
        _ => None,
    }
}

/// The state of the container's stage, reason cache aside.
fn current_state(c: &Ctr, image: &str, not_created: &str) -> ContainerState {
    match &c.stage {
        Stage::Creating { .. } | Stage::Pulling { retrying: None, .. } => {
            waiting(not_created, None)
        }
        // A retried pull shows the last failure until it fails again.
        Stage::PullFailed {
            message,
            backing_off,
            ..
        }
        | Stage::Pulling {
            retrying: Some((message, backing_off)),
            ..
        } => pull_failure(image, message, *backing_off),
        Stage::ConfigError { message, .. } => {
            waiting("CreateContainerConfigError", Some(message.clone()))
        }
        Stage::Running { since, .. } => ContainerState {
            running: Some(ContainerStateRunning {
                started_at: Some(time(*since)),
            }),
            ..Default::default()
        },
        Stage::Exited { term, .. } => terminated(term, &c.id),
    }
}

/// One container's status; `not_created` is the waiting reason while it has
/// no container yet (PodInitializing in a pod with init containers).
fn container_status(c: &Ctr, pod: &Pod, not_created: &str) -> ContainerStatus {
    let image = c.image();
    let pulled = !matches!(
        c.stage,
        Stage::Creating { .. } | Stage::Pulling { .. } | Stage::PullFailed { .. }
    ) && c.id.is_some();
    // A reason in the kubelet's reason cache shows instead of the exit,
    // which becomes the last state.
    let (state, last_state) = match (reason_cache(c, pod), &c.stage) {
        (Some(cached), Stage::Exited { term, .. }) => (cached, Some(terminated(term, &c.id))),
        _ => (
            current_state(c, &image, not_created),
            c.last.as_ref().map(|t| terminated(t, &c.id)),
        ),
    };
    let qualified = images::qualified(&image);
    let running = c.is_running();
    ContainerStatus {
        name: c.name().to_string(),
        image: qualified.clone(),
        image_id: if pulled {
            format!(
                "{}@sha256:{}",
                qualified.split(':').next().unwrap_or(""),
                hex_id(&image)
            )
        } else {
            String::new()
        },
        container_id: c
            .id
            .as_ref()
            .filter(|_| !matches!(c.stage, Stage::PullFailed { .. }))
            .map(|i| format!("containerd://{i}")),
        ready: c.ready(),
        started: Some(c.started()),
        restart_count: c.restarts,
        resources: running.then(|| running_resources(&c.spec)),
        allocated_resources: running
            .then(|| c.spec.resources.as_ref()?.requests.clone())
            .flatten(),
        state: Some(state),
        last_state: Some(last_state.unwrap_or_default()),
        // The runtime reports the user of a container it created (containerd 2).
        user: pulled.then(|| process_user(&c.spec, pod)),
        volume_mounts: mount_statuses(&c.spec),
        ..Default::default()
    }
}

/// An ephemeral container's status: never ready nor probed for a start,
/// and without resources of its own.
fn ephemeral_status(c: &Ctr, pod: &Pod) -> ContainerStatus {
    ContainerStatus {
        ready: false,
        started: None,
        resources: None,
        allocated_resources: None,
        ..container_status(c, pod, "ContainerCreating")
    }
}

/// The container's mounts as the kubelet reports them (RecursiveReadOnlyMounts,
/// on since 1.31): read-only ones say recursive read-only is off, which is
/// what a mount that does not ask for it gets.
fn mount_statuses(spec: &Container) -> Option<Vec<VolumeMountStatus>> {
    let mounts = spec.volume_mounts.as_ref().filter(|m| !m.is_empty())?;
    Some(
        mounts
            .iter()
            .map(|m| {
                let read_only = m.read_only == Some(true);
                VolumeMountStatus {
                    name: m.name.clone(),
                    mount_path: m.mount_path.clone(),
                    read_only: read_only.then_some(true),
                    recursive_read_only: read_only.then(|| {
                        match m.recursive_read_only.as_deref() {
                            Some("Enabled" | "IfPossible") => "Enabled",
                            _ => "Disabled",
                        }
                        .to_string()
                    }),
                }
            })
            .collect(),
    )
}

/// What a running container's resources are (InPlacePodVerticalScaling, on
/// since 1.33): its CPU, memory and ephemeral-storage limits and requests.
fn running_resources(spec: &Container) -> ResourceRequirements {
    const REPORTED: [&str; 3] = ["cpu", "memory", "ephemeral-storage"];
    let pick = |list: Option<&BTreeMap<String, Quantity>>| {
        list.map(|l| {
            l.iter()
                .filter(|(name, _)| REPORTED.contains(&name.as_str()))
                .map(|(name, q)| (name.clone(), q.clone()))
                .collect::<BTreeMap<_, _>>()
        })
    };
    let resources = spec.resources.as_ref();
    ResourceRequirements {
        limits: pick(resources.and_then(|r| r.limits.as_ref())),
        requests: pick(resources.and_then(|r| r.requests.as_ref())),
        ..Default::default()
    }
}

/// Whether every container has exited for good while the pod is stopping.
pub fn stopped(runtime: &PodRuntime) -> bool {
    runtime.stopping.is_some()
        && runtime.all().all(|c| {
            matches!(
                c.stage,
                Stage::Exited {
                    restart_at: None,
                    ..
                }
            )
        })
}

pub fn pod_status(runtime: &PodRuntime, pod: &Pod, host_ip: String, now: Millis) -> PodStatus {
    let not_created = if runtime.init.is_empty() {
        "ContainerCreating"
    } else {
        "PodInitializing"
    };
    let statuses: Vec<ContainerStatus> = runtime
        .containers
        .iter()
        .map(|c| container_status(c, pod, not_created))
        .collect();
    let init_statuses: Vec<ContainerStatus> = runtime
        .init
        .iter()
        .map(|c| container_status(c, pod, not_created))
        .collect();
    let ephemeral_statuses: Vec<ContainerStatus> = runtime
        .ephemeral
        .iter()
        .map(|c| ephemeral_status(c, pod))
        .collect();
    let progress = runtime.init_progress();
    // Sidecars count among the containers that must be ready.
    let sidecars_ready = runtime
        .init
        .iter()
        .zip(&init_statuses)
        .all(|(c, s)| !c.sidecar() || s.ready);
    let all_ready = !statuses.is_empty() && statuses.iter().all(|s| s.ready) && sidecars_ready;
    let stopped = stopped(runtime);
    let restart_policy = pod
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.as_deref())
        .unwrap_or("Always");
    let never_restart_done = restart_policy != "Always"
        && runtime.containers.iter().all(|c| {
            matches!(
                c.stage,
                Stage::Exited {
                    restart_at: None,
                    ..
                }
            )
        });
    let all_exited_ok = runtime.containers.iter().all(|c| match &c.stage {
        Stage::Exited { term, .. } => term.code == 0,
        _ => true,
    });
    let started_once = runtime
        .containers
        .iter()
        .all(|c| c.id.is_some() || c.last.is_some());
    let phase = if progress == InitProgress::Failed {
        "Failed"
    } else if stopped || never_restart_done {
        if all_exited_ok {
            "Succeeded"
        } else {
            "Failed"
        }
    } else if started_once && runtime.sandbox_ready {
        "Running"
    } else {
        "Pending"
    };
    let old = pod.status.as_ref();
    let old_conditions = old.and_then(|s| s.conditions.as_deref()).unwrap_or(&[]);
    let condition = |type_: &str, ok: bool, reason: Option<&str>| {
        let status = if ok { "True" } else { "False" };
        let previous = old_conditions.iter().find(|c| c.type_ == type_);
        let since = match previous {
            Some(p) if p.status == status => p.last_transition_time.clone(),
            _ => Some(time(now)),
        };
        PodCondition {
            type_: type_.to_string(),
            status: status.to_string(),
            last_transition_time: since,
            reason: if ok { None } else { reason.map(str::to_string) },
            observed_generation: pod.metadata.generation,
            ..Default::default()
        }
    };
    let not_ready: Vec<&str> = statuses
        .iter()
        .filter(|s| !s.ready)
        .map(|s| s.name.as_str())
        .collect();
    // A pod in a terminal phase has its sandbox torn down, and its readiness
    // says the phase instead of naming containers (generate.go's
    // ...ConditionForTerminalPhase).
    let terminal_reason = match phase {
        "Succeeded" => Some("PodCompleted"),
        "Failed" => Some("PodFailed"),
        _ => None,
    };
    let sandbox = runtime.sandbox_ready && terminal_reason.is_none();
    let unready_reason = terminal_reason.unwrap_or("ContainersNotReady");
    let initialized = progress == InitProgress::Done;
    let mut conditions = vec![
        condition("PodReadyToStartContainers", sandbox, None),
        condition("Initialized", initialized, Some("ContainersNotInitialized")),
        condition("Ready", all_ready, Some(unready_reason)),
        condition("ContainersReady", all_ready, Some(unready_reason)),
        condition("PodScheduled", true, None),
    ];
    if !initialized {
        let incomplete: Vec<&str> = runtime
            .init
            .iter()
            .zip(&init_statuses)
            .filter(|(c, s)| {
                let done = s
                    .state
                    .as_ref()
                    .and_then(|st| st.terminated.as_ref())
                    .is_some_and(|t| t.exit_code == 0);
                !(done || c.sidecar() && c.started())
            })
            .map(|(c, _)| c.name())
            .collect();
        if let Some(c) = conditions.iter_mut().find(|c| c.type_ == "Initialized") {
            c.message = Some(format!(
                "containers with incomplete status: [{}]",
                incomplete.join(" ")
            ));
        }
    }
    if !all_ready && terminal_reason.is_none() {
        let message = format!("containers with unready status: [{}]", not_ready.join(" "));
        for c in conditions
            .iter_mut()
            .filter(|c| c.type_ == "Ready" || c.type_ == "ContainersReady")
        {
            c.message = Some(message.clone());
        }
    }
    // Conditions other controllers own (DisruptionTarget) stay as they are.
    conditions.extend(
        old_conditions
            .iter()
            .filter(|c| c.type_ == "DisruptionTarget")
            .cloned(),
    );
    PodStatus {
        phase: Some(phase.to_string()),
        conditions: Some(conditions),
        host_ip: Some(host_ip.clone()),
        host_ips: Some(vec![HostIP { ip: host_ip }]),
        pod_ip: runtime.ip.clone(),
        pod_ips: runtime.ip.clone().map(|ip| vec![PodIP { ip }]),
        start_time: Some(time(runtime.started_at)),
        container_statuses: Some(statuses),
        init_container_statuses: (!init_statuses.is_empty()).then_some(init_statuses),
        ephemeral_container_statuses: (!ephemeral_statuses.is_empty())
            .then_some(ephemeral_statuses),
        qos_class: Some(
            old.and_then(|s| s.qos_class.clone())
                .unwrap_or_else(|| "BestEffort".to_string()),
        ),
        observed_generation: pod.metadata.generation,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_like_go() {
        assert_eq!(go_duration(10_000), "10s");
        assert_eq!(go_duration(80_000), "1m20s");
        assert_eq!(go_duration(300_000), "5m0s");
    }
}
