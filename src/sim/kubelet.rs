//! A fake kubelet per node. Each pod gets a small runtime state machine
//! (sandbox → image pull → start → run/exit → restart with back-off, and
//! graceful termination) whose transitions happen at virtual times; after
//! each transition the kubelet writes the pod's status and events as the
//! real one does (kubernetes-fidelity.md §2).

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{
    Container, ContainerState, ContainerStateRunning, ContainerStateTerminated,
    ContainerStateWaiting, ContainerStatus, HostIP, Pod, PodCondition, PodIP, PodStatus,
};

use super::bootstrap::node_ip;
use super::clock::{time, Millis, MINUTE, SECOND};
use super::cluster::{Cluster, DeleteOptions, Task};
use super::events::{record, EventKind, Source};
use super::images::{self, Behaviour};
use super::object::{Kind, Object, ObjectKey};
use super::pods;

/// Restart and image pull back-off: 10 s doubling to 5 min, forgotten after
/// 10 minutes without trouble.
const BACKOFF_INITIAL: Millis = 10 * SECOND;
const BACKOFF_MAX: Millis = 5 * MINUTE;

#[derive(Clone, Debug)]
pub struct Kubelet {
    pub node: String,
    index: u8,
    images: BTreeSet<String>,
    next_ip: u32,
    pods: BTreeMap<(String, String), PodRuntime>,
}

#[derive(Clone, Debug)]
struct PodRuntime {
    uid: String,
    ip: Option<String>,
    started_at: Millis,
    sandbox_ready: bool,
    containers: Vec<Ctr>,
    stopping: Option<Millis>,
}

#[derive(Clone, Debug)]
struct Ctr {
    spec: Container,
    behaviour: Result<Behaviour, String>,
    image_size: u64,
    stage: Stage,
    restarts: i32,
    last: Option<Term>,
    backoff: Option<Backoff>,
    pull_backoff: Option<Backoff>,
    id: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum Stage {
    Creating {
        until: Millis,
    },
    Pulling {
        until: Millis,
        began: Millis,
    },
    PullFailed {
        message: String,
        show_backoff_at: Millis,
        retry_at: Millis,
        backing_off: bool,
    },
    Running {
        since: Millis,
        ready_at: Option<Millis>,
        exit: Option<(Millis, i32)>,
    },
    Exited {
        term: Term,
        restart_at: Option<Millis>,
        crash_loop_at: Option<Millis>,
        crash_looping: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
struct Term {
    code: i32,
    started: Millis,
    finished: Millis,
}

impl Term {
    fn reason(&self) -> &'static str {
        if self.code == 0 {
            "Completed"
        } else {
            "Error"
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Backoff {
    delay: Millis,
    last_update: Millis,
}

impl Backoff {
    /// client-go's `Backoff.Next`: start at 10 s, double up to the cap, and
    /// start over after 2 × cap without an update.
    fn next(entry: Option<Backoff>, now: Millis) -> Backoff {
        let delay = match entry {
            Some(b) if now.saturating_sub(b.last_update) <= 2 * BACKOFF_MAX => {
                (b.delay * 2).min(BACKOFF_MAX)
            }
            _ => BACKOFF_INITIAL,
        };
        Backoff {
            delay,
            last_update: now,
        }
    }

    /// Whether an event at `since` is still inside the back-off window at `now`.
    fn active(entry: Option<Backoff>, since: Millis, now: Millis) -> Option<Millis> {
        let b = entry?;
        if now.saturating_sub(b.last_update) > 2 * BACKOFF_MAX {
            return None;
        }
        (now.saturating_sub(since) < b.delay).then_some(b.delay)
    }
}

/// `1m20s`, `10s`, `5m0s`: Go's time.Duration text for whole seconds.
fn go_duration(ms: Millis) -> String {
    let s = ms / SECOND;
    if s < 60 {
        format!("{s}s")
    } else {
        format!("{}m{}s", s / 60, s % 60)
    }
}

/// Pull time as the kubelet reports it: `2.54s`, `512ms`.
fn pull_duration(ms: Millis) -> String {
    if ms < SECOND {
        format!("{ms}ms")
    } else {
        let text = format!("{:.3}", ms as f64 / 1000.0);
        format!("{}s", text.trim_end_matches('0').trim_end_matches('.'))
    }
}

impl Kubelet {
    pub fn new(node: &str, index: u8) -> Kubelet {
        Kubelet {
            node: node.to_string(),
            index,
            images: BTreeSet::new(),
            next_ip: 2,
            pods: BTreeMap::new(),
        }
    }

    fn allocate_ip(&mut self) -> String {
        let ip = format!("10.244.{}.{}", self.index, self.next_ip);
        self.next_ip = if self.next_ip >= 254 {
            2
        } else {
            self.next_ip + 1
        };
        ip
    }
}

/// Pending events, recorded after the runtime's state is settled.
type Emitted = Vec<(EventKind, &'static str, String)>;

pub fn sync_pod(cluster: &mut Cluster, namespace: &str, name: &str) {
    let key = (namespace.to_string(), name.to_string());
    let pod = cluster.store.get_typed::<Pod>(namespace, name).cloned();
    let Some(pod) = pod.filter(|p| pods::node_name(p).is_some()) else {
        for kubelet in cluster.kubelets.values_mut() {
            kubelet.pods.remove(&key);
        }
        return;
    };
    let node = pods::node_name(&pod).unwrap_or_default().to_string();
    let Some(mut kubelet) = cluster.kubelets.remove(&node) else {
        return;
    };
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let now = cluster.now();
    let mut runtime = match kubelet.pods.remove(&key) {
        Some(r) if r.uid == uid => r,
        _ => new_runtime(cluster, &pod, uid),
    };
    let mut emitted = Emitted::new();
    advance(cluster, &mut kubelet, &mut runtime, &pod, now, &mut emitted);
    let finished = runtime.stopping.is_some()
        && runtime
            .containers
            .iter()
            .all(|c| !matches!(c.stage, Stage::Running { .. }));
    let status = pod_status(&kubelet, &runtime, &pod, now);
    let wake = next_wake(&runtime);
    kubelet.pods.insert(key.clone(), runtime);
    cluster.kubelets.insert(node.clone(), kubelet);

    let object = Object::Pod(pod.clone());
    let source = Source {
        component: "kubelet",
        host: Some(&node),
    };
    for (kind, reason, message) in emitted {
        record(cluster, &object, kind, reason, message, source);
    }
    // The kubelet reports nothing until the sandbox exists; then ContainerCreating.
    let report = runtime_ready(&cluster.kubelets, &node, &key);
    if report && pod.status.as_ref() != Some(&status) {
        let mut updated = pod.clone();
        updated.status = Some(status);
        cluster.write(Object::Pod(updated));
    } else if finished {
        // Containers are stopped and the terminal status is written: remove the pod.
        let grace = DeleteOptions {
            grace_seconds: Some(0),
            ..Default::default()
        };
        let _ = cluster.delete(&ObjectKey::new(Kind::Pod, namespace, name), &grace);
        if let Some(k) = cluster.kubelets.get_mut(&node) {
            k.pods.remove(&key);
        }
        return;
    }
    let task = Task::Kubelet(namespace.to_string(), name.to_string());
    if finished {
        let delay = cluster.jitter(100, 400);
        cluster.enqueue(task, delay);
    } else if let Some(at) = wake {
        cluster.enqueue(task, at.saturating_sub(now));
    }
}

fn runtime_ready(kubelets: &BTreeMap<String, Kubelet>, node: &str, key: &(String, String)) -> bool {
    kubelets
        .get(node)
        .and_then(|k| k.pods.get(key))
        .is_some_and(|r| r.sandbox_ready || r.stopping.is_some())
}

fn new_runtime(cluster: &mut Cluster, pod: &Pod, uid: String) -> PodRuntime {
    let now = cluster.now();
    let sandbox = now + cluster.jitter(400, 1_200);
    let containers = pod
        .spec
        .iter()
        .flat_map(|s| s.containers.iter())
        .map(|c| {
            let lookup = images::lookup(c.image.as_deref().unwrap_or(""));
            let behaviour = lookup.clone().map(|info| {
                images::behaviour(
                    info.entrypoint,
                    c.command.as_deref().unwrap_or(&[]),
                    c.args.as_deref().unwrap_or(&[]),
                )
            });
            Ctr {
                spec: c.clone(),
                behaviour,
                image_size: lookup.map(|i| i.size).unwrap_or(0),
                stage: Stage::Creating { until: sandbox },
                restarts: 0,
                last: None,
                backoff: None,
                pull_backoff: None,
                id: None,
            }
        })
        .collect();
    PodRuntime {
        uid,
        ip: None,
        started_at: now,
        sandbox_ready: false,
        containers,
        stopping: None,
    }
}

fn image(c: &Ctr) -> String {
    c.spec.image.clone().unwrap_or_default()
}

/// Applies every transition that is due at `now`.
fn advance(
    cluster: &mut Cluster,
    kubelet: &mut Kubelet,
    runtime: &mut PodRuntime,
    pod: &Pod,
    now: Millis,
    emitted: &mut Emitted,
) {
    let restart_policy = pod
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.clone())
        .unwrap_or_else(|| "Always".to_string());
    if pods::is_terminating(pod) && runtime.stopping.is_none() {
        let grace = pod
            .metadata
            .deletion_grace_period_seconds
            .unwrap_or(30)
            .max(0) as Millis
            * SECOND;
        runtime.stopping = Some(now + grace);
        for c in runtime.containers.iter_mut() {
            match &mut c.stage {
                Stage::Running { exit, .. } => {
                    emitted.push((
                        EventKind::Normal,
                        "Killing",
                        format!("Stopping container {}", c.spec.name),
                    ));
                    let graceful =
                        matches!(c.behaviour, Ok(Behaviour::Runs { graceful: true, .. }));
                    let stop = if graceful {
                        (now + cluster.rng.range(100, 400), 0)
                    } else {
                        (now + grace, 137)
                    };
                    *exit = Some(match *exit {
                        Some(e) if e.0 < stop.0 => e,
                        _ => stop,
                    });
                }
                Stage::Exited { restart_at, .. } => *restart_at = None,
                other => {
                    // Never started: nothing to stop.
                    *other = Stage::Exited {
                        term: Term {
                            code: 0,
                            started: now,
                            finished: now,
                        },
                        restart_at: None,
                        crash_loop_at: None,
                        crash_looping: false,
                    };
                }
            }
        }
    }
    let stopping = runtime.stopping.is_some();
    if !runtime.sandbox_ready
        && runtime
            .containers
            .iter()
            .all(|c| !matches!(c.stage, Stage::Creating { until } if until > now))
        && !stopping
    {
        runtime.sandbox_ready = true;
        runtime.ip = Some(kubelet.allocate_ip());
    }
    let pod_ref = format!(
        "{}_{}({})",
        pod.metadata.name.as_deref().unwrap_or(""),
        pod.metadata.namespace.as_deref().unwrap_or(""),
        pod.metadata.uid.as_deref().unwrap_or("")
    );
    let policy = Policy {
        restart: &restart_policy,
        stopping,
        pod_ref: &pod_ref,
    };
    for c in runtime.containers.iter_mut() {
        // Loop: one container may pass several stages at the same instant.
        for _ in 0..6 {
            if !step_container(cluster, kubelet, c, &policy, now, emitted) {
                break;
            }
        }
    }
}

/// What a container's transitions depend on besides its own state.
struct Policy<'a> {
    restart: &'a str,
    stopping: bool,
    pod_ref: &'a str,
}

/// One transition of one container if due; returns whether anything changed.
fn step_container(
    cluster: &mut Cluster,
    kubelet: &mut Kubelet,
    c: &mut Ctr,
    policy: &Policy<'_>,
    now: Millis,
    emitted: &mut Emitted,
) -> bool {
    let name = c.spec.name.clone();
    let image = image(c);
    let stopping = policy.stopping;
    let restart_policy = policy.restart;
    match c.stage.clone() {
        Stage::Creating { until } if until <= now && !stopping => {
            let always = c.spec.image_pull_policy.as_deref() == Some("Always");
            let cached = kubelet.images.contains(&image) && c.behaviour.is_ok();
            if cached && !always {
                emitted.push((
                    EventKind::Normal,
                    "Pulled",
                    format!("Container image \"{image}\" already present on machine"),
                ));
                start(cluster, c, now, emitted);
            } else {
                emitted.push((
                    EventKind::Normal,
                    "Pulling",
                    format!("Pulling image \"{image}\""),
                ));
                let took = if cached {
                    cluster.rng.range(300, 900)
                } else {
                    pull_time(cluster, c.image_size)
                };
                c.stage = Stage::Pulling {
                    until: now + took,
                    began: now,
                };
            }
            true
        }
        Stage::Pulling { until, began } if until <= now && !stopping => {
            match c.behaviour.clone() {
                Ok(_) => {
                    kubelet.images.insert(image.clone());
                    let took = pull_duration(until - began);
                    emitted.push((
                        EventKind::Normal,
                        "Pulled",
                        format!("Successfully pulled image \"{image}\" in {took} ({took} including waiting). Image size: {} bytes.", c.image_size),
                    ));
                    start(cluster, c, now, emitted);
                }
                Err(err) => {
                    emitted.push((
                        EventKind::Warning,
                        "Failed",
                        format!("Failed to pull image \"{image}\": {err}"),
                    ));
                    emitted.push((
                        EventKind::Warning,
                        "Failed",
                        "Error: ErrImagePull".to_string(),
                    ));
                    let waiting = Backoff::active(c.pull_backoff, now, now).unwrap_or(0);
                    c.pull_backoff = Some(Backoff::next(c.pull_backoff, now));
                    let delay = c
                        .pull_backoff
                        .map_or(BACKOFF_INITIAL, |b| b.delay)
                        .max(waiting);
                    c.stage = Stage::PullFailed {
                        message: err,
                        show_backoff_at: now + cluster.rng.range(1_000, 3_000),
                        retry_at: now + delay,
                        backing_off: false,
                    };
                }
            }
            true
        }
        Stage::PullFailed {
            message,
            show_backoff_at,
            retry_at,
            backing_off,
        } if !stopping => {
            if retry_at <= now {
                emitted.push((
                    EventKind::Normal,
                    "Pulling",
                    format!("Pulling image \"{image}\""),
                ));
                let took = cluster.rng.range(500, 1_500);
                c.stage = Stage::Pulling {
                    until: now + took,
                    began: now,
                };
                true
            } else if !backing_off && show_backoff_at <= now {
                emitted.push((
                    EventKind::Normal,
                    "BackOff",
                    format!("Back-off pulling image \"{image}\""),
                ));
                emitted.push((
                    EventKind::Warning,
                    "Failed",
                    "Error: ImagePullBackOff".to_string(),
                ));
                c.stage = Stage::PullFailed {
                    message,
                    show_backoff_at,
                    retry_at,
                    backing_off: true,
                };
                true
            } else {
                false
            }
        }
        Stage::Running {
            since,
            exit: Some((at, code)),
            ..
        } if at <= now => {
            let term = Term {
                code,
                started: since,
                finished: at,
            };
            let restarts = !stopping
                && (restart_policy == "Always" || (restart_policy == "OnFailure" && code != 0));
            let (restart_at, crash_loop_at) = if !restarts {
                (None, None)
            } else if let Some(delay) = Backoff::active(c.backoff, at, now) {
                (Some(at + delay), Some(now + cluster.rng.range(500, 1_500)))
            } else {
                (Some(now + cluster.rng.range(500, 1_500)), None)
            };
            c.stage = Stage::Exited {
                term,
                restart_at,
                crash_loop_at,
                crash_looping: false,
            };
            true
        }
        Stage::Exited {
            term,
            restart_at: Some(restart_at),
            crash_loop_at,
            crash_looping,
        } if !stopping => {
            if restart_at <= now {
                c.backoff = Some(Backoff::next(c.backoff, now));
                c.restarts += 1;
                c.last = Some(term);
                emitted.push((
                    EventKind::Normal,
                    "Pulled",
                    format!("Container image \"{image}\" already present on machine"),
                ));
                start(cluster, c, now, emitted);
                true
            } else if !crash_looping && crash_loop_at.is_some_and(|t| t <= now) {
                emitted.push((
                    EventKind::Warning,
                    "BackOff",
                    format!(
                        "Back-off restarting failed container {name} in pod {}",
                        policy.pod_ref
                    ),
                ));
                c.stage = Stage::Exited {
                    term,
                    restart_at: Some(restart_at),
                    crash_loop_at,
                    crash_looping: true,
                };
                true
            } else {
                false
            }
        }
        _ => false,
    }
}

fn pull_time(cluster: &mut Cluster, size: u64) -> Millis {
    // About 1.5 s of registry round trips plus 25 MB/s.
    1_500 + size / 25_000 + cluster.rng.range(0, 800)
}

fn start(cluster: &mut Cluster, c: &mut Ctr, now: Millis, emitted: &mut Emitted) {
    let name = c.spec.name.clone();
    emitted.push((
        EventKind::Normal,
        "Created",
        format!("Created container: {name}"),
    ));
    emitted.push((
        EventKind::Normal,
        "Started",
        format!("Started container {name}"),
    ));
    c.id = Some(cluster.rng.hex(64));
    let exit = match &c.behaviour {
        Ok(Behaviour::Exits { after_ms, code }) => Some((now + after_ms, *code)),
        _ => None,
    };
    let ready_at = c.spec.readiness_probe.as_ref().map(|p| {
        let delay = p.initial_delay_seconds.unwrap_or(0).max(0) as Millis * SECOND;
        now + delay + cluster.rng.range(200, 1_000)
    });
    c.stage = Stage::Running {
        since: now,
        ready_at,
        exit,
    };
}

fn next_wake(runtime: &PodRuntime) -> Option<Millis> {
    runtime
        .containers
        .iter()
        .filter_map(|c| match &c.stage {
            Stage::Creating { until } | Stage::Pulling { until, .. } => Some(*until),
            Stage::PullFailed {
                show_backoff_at,
                retry_at,
                backing_off,
                ..
            } => Some(if *backing_off {
                *retry_at
            } else {
                (*show_backoff_at).min(*retry_at)
            }),
            Stage::Running { ready_at, exit, .. } => match (ready_at, exit) {
                (Some(r), Some((e, _))) => Some((*r).min(*e)),
                (Some(r), None) => Some(*r),
                (None, Some((e, _))) => Some(*e),
                (None, None) => None,
            },
            Stage::Exited {
                restart_at,
                crash_loop_at,
                crash_looping,
                ..
            } => {
                let crash = crash_loop_at.filter(|_| !crash_looping);
                match (restart_at, crash) {
                    (Some(r), Some(c)) => Some((*r).min(c)),
                    (r, c) => r.or(c),
                }
            }
        })
        .min()
}

// ---- status ----

fn container_status(c: &Ctr, pod: &Pod, now: Millis) -> ContainerStatus {
    let image = image(c);
    let pulled = !matches!(
        c.stage,
        Stage::Creating { .. } | Stage::Pulling { .. } | Stage::PullFailed { .. }
    ) && c.id.is_some();
    let waiting = |reason: &str, message: Option<String>| ContainerState {
        waiting: Some(ContainerStateWaiting {
            reason: Some(reason.to_string()),
            message,
        }),
        ..Default::default()
    };
    let terminated = |t: &Term, id: &Option<String>| ContainerState {
        terminated: Some(ContainerStateTerminated {
            exit_code: t.code,
            reason: Some(t.reason().to_string()),
            started_at: Some(time(t.started)),
            finished_at: Some(time(t.finished)),
            container_id: id.as_ref().map(|i| format!("containerd://{i}")),
            ..Default::default()
        }),
        ..Default::default()
    };
    let pod_ref = format!(
        "{}_{}({})",
        pod.metadata.name.as_deref().unwrap_or(""),
        pod.metadata.namespace.as_deref().unwrap_or(""),
        pod.metadata.uid.as_deref().unwrap_or("")
    );
    let (state, ready) = match &c.stage {
        Stage::Creating { .. } | Stage::Pulling { .. } => {
            (waiting("ContainerCreating", None), false)
        }
        Stage::PullFailed {
            message,
            backing_off,
            ..
        } => {
            if *backing_off {
                (
                    waiting(
                        "ImagePullBackOff",
                        Some(format!(
                            "Back-off pulling image \"{image}\": ErrImagePull: {message}"
                        )),
                    ),
                    false,
                )
            } else {
                (waiting("ErrImagePull", Some(message.clone())), false)
            }
        }
        Stage::Running {
            since, ready_at, ..
        } => (
            ContainerState {
                running: Some(ContainerStateRunning {
                    started_at: Some(time(*since)),
                }),
                ..Default::default()
            },
            ready_at.is_none_or(|r| r <= now),
        ),
        Stage::Exited {
            term,
            crash_looping: true,
            restart_at,
            ..
        } => {
            let delay = restart_at
                .map(|r| r.saturating_sub(term.finished))
                .unwrap_or(BACKOFF_INITIAL);
            (
                waiting(
                    "CrashLoopBackOff",
                    Some(format!(
                        "back-off {} restarting failed container={} pod={pod_ref}",
                        go_duration(delay),
                        c.spec.name
                    )),
                ),
                false,
            )
        }
        Stage::Exited { term, .. } => (terminated(term, &c.id), false),
    };
    let crash_looping = matches!(
        c.stage,
        Stage::Exited {
            crash_looping: true,
            ..
        }
    );
    let last_state = if crash_looping {
        match &c.stage {
            Stage::Exited { term, .. } => Some(terminated(term, &c.id)),
            _ => None,
        }
    } else {
        c.last.as_ref().map(|t| terminated(t, &c.id))
    };
    ContainerStatus {
        name: c.spec.name.clone(),
        image: images::qualified(&image),
        image_id: if pulled {
            format!(
                "{}@sha256:{}",
                images::qualified(&image).split(':').next().unwrap_or(""),
                digest(&image)
            )
        } else {
            String::new()
        },
        container_id: c
            .id
            .as_ref()
            .filter(|_| !matches!(c.stage, Stage::PullFailed { .. }))
            .map(|i| format!("containerd://{i}")),
        ready,
        started: Some(matches!(c.stage, Stage::Running { .. })),
        restart_count: c.restarts,
        state: Some(state),
        last_state: Some(last_state.unwrap_or_default()),
        ..Default::default()
    }
}

/// A stable fake digest per image reference.
fn digest(image: &str) -> String {
    let mut out = String::new();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    while out.len() < 64 {
        for b in image.bytes().chain(out.len().to_string().bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.push_str(&format!("{h:016x}"));
    }
    out.truncate(64);
    out
}

fn pod_status(kubelet: &Kubelet, runtime: &PodRuntime, pod: &Pod, now: Millis) -> PodStatus {
    let statuses: Vec<ContainerStatus> = runtime
        .containers
        .iter()
        .map(|c| container_status(c, pod, now))
        .collect();
    let all_ready = !statuses.is_empty() && statuses.iter().all(|s| s.ready);
    let stopped = runtime.stopping.is_some()
        && runtime.containers.iter().all(|c| {
            matches!(
                c.stage,
                Stage::Exited {
                    restart_at: None,
                    ..
                }
            )
        });
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
    let codes: Vec<i32> = runtime
        .containers
        .iter()
        .filter_map(|c| match &c.stage {
            Stage::Exited { term, .. } => Some(term.code),
            _ => None,
        })
        .collect();
    let started_once = runtime
        .containers
        .iter()
        .all(|c| c.id.is_some() || c.last.is_some());
    let phase = if stopped || never_restart_done {
        if codes.iter().all(|c| *c == 0) {
            "Succeeded"
        } else {
            "Failed"
        }
    } else if started_once && runtime.sandbox_ready {
        "Running"
    } else {
        "Pending"
    };
    let old = pod.status.clone().unwrap_or_default();
    let old_conditions = old.conditions.clone().unwrap_or_default();
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
    let sandbox = runtime.sandbox_ready && !stopped;
    let mut conditions = vec![
        condition("PodReadyToStartContainers", sandbox, None),
        condition("Initialized", true, None),
        condition(
            "Ready",
            all_ready,
            Some(if stopped {
                "PodCompleted"
            } else {
                "ContainersNotReady"
            }),
        ),
        condition(
            "ContainersReady",
            all_ready,
            Some(if stopped {
                "PodCompleted"
            } else {
                "ContainersNotReady"
            }),
        ),
        condition("PodScheduled", true, None),
    ];
    if !all_ready {
        let message = format!("containers with unready status: [{}]", not_ready.join(" "));
        for c in conditions
            .iter_mut()
            .filter(|c| c.type_ == "Ready" || c.type_ == "ContainersReady")
        {
            if !stopped {
                c.message = Some(message.clone());
            }
        }
    }
    let host_ip = node_ip(usize::from(kubelet.index));
    PodStatus {
        phase: Some(phase.to_string()),
        conditions: Some(conditions),
        host_ip: Some(host_ip.clone()),
        host_ips: Some(vec![HostIP { ip: host_ip }]),
        pod_ip: runtime.ip.clone(),
        pod_ips: runtime.ip.clone().map(|ip| vec![PodIP { ip }]),
        start_time: Some(time(runtime.started_at)),
        container_statuses: Some(statuses),
        qos_class: old
            .qos_class
            .clone()
            .or_else(|| Some("BestEffort".to_string())),
        observed_generation: pod.metadata.generation,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_to_five_minutes_and_resets() {
        let mut entry = None;
        let mut delays = Vec::new();
        for i in 0..8 {
            let b = Backoff::next(entry, i * 1000);
            delays.push(b.delay / 1000);
            entry = Some(b);
        }
        assert_eq!(delays, [10, 20, 40, 80, 160, 300, 300, 300]);
        let reset = Backoff::next(entry, 7_000 + 11 * MINUTE);
        assert_eq!(reset.delay, BACKOFF_INITIAL);
    }

    #[test]
    fn durations_print_like_go() {
        assert_eq!(go_duration(10_000), "10s");
        assert_eq!(go_duration(80_000), "1m20s");
        assert_eq!(go_duration(300_000), "5m0s");
        assert_eq!(pull_duration(2_540), "2.54s");
        assert_eq!(pull_duration(512), "512ms");
    }
}
