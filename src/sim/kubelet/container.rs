//! One container's life on a node: pull, create, run, exit, restart with
//! back-off, probes, and stopping (kubernetes-fidelity.md §2.1–§2.4).

use std::rc::Rc;

use k8s_openapi::api::core::v1::Container;

use super::hooks::{Hook, HookKind};
use super::probes::{AppHealth, ProbeKind, Prober, Verdict};
use super::puller::NodeImages;
use super::scripts::Following;
use super::status::PodRef;
use crate::container::image::Userland;
use crate::container::stress;
use crate::sim::clock::{Millis, MINUTE, SECOND};
use crate::sim::events::EventKind;
use crate::sim::images::{self, Behaviour};
use crate::sim::rng::Rng;

/// Restart and image pull back-off: 10 s doubling to 5 min, forgotten after
/// 10 minutes without trouble.
pub const BACKOFF_INITIAL: Millis = 10 * SECOND;
pub const BACKOFF_MAX: Millis = 5 * MINUTE;

/// Exit code of a process ended by SIGKILL.
pub const SIGKILL_EXIT: i32 = 137;

/// Exit code containerd reports for a container runc could not start.
const START_ERROR_EXIT: i32 = 128;

/// Events a transition produced, recorded once the runtime state is settled.
pub type Emitted = Vec<(EventKind, &'static str, String)>;

#[derive(Clone, Debug)]
pub struct Ctr {
    pub spec: Rc<Container>,
    pub behaviour: Result<Behaviour, String>,
    pub image_size: u64,
    /// The status its main process ends with on SIGTERM, when it heeds it.
    pub sigterm_exit: i32,
    pub stage: Stage,
    pub restarts: i32,
    pub last: Option<Term>,
    pub backoff: Option<Backoff>,
    pub pull_backoff: Option<Backoff>,
    pub id: Option<String>,
    /// Startup, liveness and readiness probers, in that order.
    pub probers: Vec<Prober>,
    pub health: AppHealth,
    /// When the pull before a restart was asked for and when the puller
    /// took it up (imagePullPolicy Always pulls again for every start); the
    /// status keeps showing the exited container.
    pub restart_pull: Option<(Millis, Millis)>,
    /// The running process was killed for a failed liveness or startup
    /// probe, in a sync that restarts it too.
    pub probe_killed: bool,
    /// A lifecycle hook under way: run at the next sync, then acted on.
    pub hook: Option<Hook>,
    /// Waiting for the containers before it to start (`Context::held`).
    held: bool,
    /// Its postStart hook failed, with this message: while the kubelet kills
    /// it, the sync that started it has not ended, so its status still shows
    /// it being created; then the reason cache holds PostStartHookError.
    pub post_start_error: Option<String>,
    /// A script's end is learned by playing it (`super::scripts`).
    pub following: Option<Following>,
    /// Why runc cannot start the process (its executable is not in the
    /// image), so that every start fails.
    pub cannot_start: Option<String>,
    /// How long after each start the main process takes more memory than
    /// its limit allows (it does the same every run).
    oom_after: Option<Millis>,
    /// When the running process passes its memory limit: the kernel's OOM
    /// killer ends it then (the kubelet sets the cgroup's memory.oom.group,
    /// so its every process dies with it).
    pub oom_at: Option<Millis>,
    /// Played like a script to learn whether it exits: a server whose
    /// image's entrypoint the simulator runs, which may refuse to start
    /// (mysql without a root password option), or a process that reads
    /// its input, which ends with what kubectl pipes in.
    checks_start: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    Creating {
        until: Millis,
    },
    Pulling {
        until: Millis,
        /// When the puller took it up, and when the kubelet asked for it.
        began: Millis,
        asked: Millis,
        /// A retry after a failed pull: what the status keeps showing
        /// meanwhile (the kubelet's reason cache), as `(error, backing_off)`.
        retrying: Option<(String, bool)>,
    },
    /// A pull failed. As with a crash loop, only a pod sync pulls again:
    /// the first failure is synced again at once (the sandbox's PLEG event is
    /// pending), later ones 10–15 s on, and every sync inside the back-off
    /// window records BackOff and ImagePullBackOff.
    PullFailed {
        message: String,
        next_sync: Millis,
        /// The end of the pull back-off window.
        retry_at: Millis,
        /// The status shows ImagePullBackOff: the reason cache as the last
        /// sync found it.
        backing_off: bool,
        /// The reason cache now (filled at the end of a back-off sync).
        cached_backoff: bool,
    },
    /// What the container's environment names is missing: it is not
    /// created, and the next pod sync tries again.
    ConfigError {
        message: String,
        next_sync: Millis,
    },
    Running {
        since: Millis,
        exit: Option<(Millis, i32)>,
    },
    /// Exited. A container that restarts waits out its back-off window,
    /// but only a pod sync restarts it: the kubelet syncs when it notices the
    /// exit, then, while the back-off error lasts, every 10–15 s (the pod
    /// worker's error requeue; kubernetes#123602, fixed in 1.35 only).
    Exited {
        term: Term,
        /// When the container may start again (the back-off window's end),
        /// or None when it stays down.
        restart_at: Option<Millis>,
        /// The kubelet's next sync of the pod while it backs off; None when
        /// the start itself is due at `restart_at`.
        next_sync: Option<Millis>,
        /// Back-off syncs so far. The status reads the reason cache, which a
        /// sync fills after writing the status: CrashLoopBackOff shows from
        /// the second on.
        backoff_syncs: u8,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub code: i32,
    pub started: Millis,
    pub finished: Millis,
    /// The runtime could not start the process: its message.
    pub start_error: Option<String>,
    /// The kernel killed it for passing its memory limit.
    pub oom_killed: bool,
}

impl Term {
    pub fn reason(&self) -> &'static str {
        if self.start_error.is_some() {
            "StartError"
        } else if self.oom_killed {
            "OOMKilled"
        } else if self.code == 0 {
            "Completed"
        } else {
            "Error"
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Backoff {
    pub delay: Millis,
    last_update: Millis,
}

impl Backoff {
    /// client-go's `Backoff.Next`: start at 10 s, double up to the cap, and
    /// start over after 2 × cap without an update.
    pub fn next(entry: Option<Backoff>, now: Millis) -> Backoff {
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

/// What a container's transitions depend on besides its own state.
pub struct Context<'a> {
    pub restart_policy: &'a str,
    pub stopping: bool,
    pub pod_ref: PodRef<'a>,
    /// Why the container cannot be created now, if it cannot.
    pub config_error: Option<&'a str>,
    pub ip: Option<&'a str>,
    /// Grace period for a kill by a failed probe.
    pub grace: Millis,
    /// A container before it in the pod is still being started: the kubelet
    /// starts a pod's containers one after another (pull, create, start,
    /// postStart), so this one waits its turn.
    pub held: bool,
}

/// The Event for an image the node already has.
pub fn already_present(image: &str) -> (EventKind, &'static str, String) {
    (
        EventKind::Normal,
        "Pulled",
        format!("Container image \"{image}\" already present on machine"),
    )
}

/// The Event of a pull starting.
fn pulling(image: &str) -> (EventKind, &'static str, String) {
    (
        EventKind::Normal,
        "Pulling",
        format!("Pulling image \"{image}\""),
    )
}

/// The Pulled Event of a pull that took `millis`, `waited` with its wait
/// for the puller.
fn pulled(
    image: &str,
    millis: Millis,
    waited: Millis,
    size: u64,
) -> (EventKind, &'static str, String) {
    let (took, waited) = (pull_duration(millis), pull_duration(waited));
    (
        EventKind::Normal,
        "Pulled",
        format!("Successfully pulled image \"{image}\" in {took} ({waited} including waiting). Image size: {size} bytes."),
    )
}

/// The Events of a container the kubelet creates and starts.
pub fn created_and_started(name: &str) -> [(EventKind, &'static str, String); 2] {
    [
        (
            EventKind::Normal,
            "Created",
            format!("Created container: {name}"),
        ),
        (
            EventKind::Normal,
            "Started",
            format!("Started container {name}"),
        ),
    ]
}

/// When the pod worker syncs a pod again after a sync failed (a back-off
/// error too): 10 s with up to 50 % jitter (pod_workers.go).
fn sync_retry(rng: &mut Rng) -> Millis {
    rng.range(BACKOFF_INITIAL, BACKOFF_INITIAL * 3 / 2)
}

/// Pull time as the kubelet reports it: `2.54s`, `512ms`.
pub fn pull_duration(ms: Millis) -> String {
    if ms < SECOND {
        format!("{ms}ms")
    } else {
        let text = format!("{:.3}", ms as f64 / 1000.0);
        format!("{}s", text.trim_end_matches('0').trim_end_matches('.'))
    }
}

impl Ctr {
    pub fn new(spec: &Container, sandbox_at: Millis) -> Ctr {
        let lookup = images::lookup(spec.image.as_deref().unwrap_or(""));
        let userland = Userland::of(spec.image.as_deref().unwrap_or(""));
        let command = spec.command.as_deref().unwrap_or(&[]);
        let args = spec.args.as_deref().unwrap_or(&[]);
        let reads_input = lookup.as_ref().is_ok_and(|info| {
            spec.stdin == Some(true) && images::reads_stdin(info.entrypoint, command, args)
        });
        let behaviour = lookup.clone().map(|info| {
            // A shell given a stdin (`kubectl run -it`) waits on it until it
            // exits, or reads what kubectl pipes in to its end.
            if reads_input {
                Behaviour::Runs {
                    serves_http: false,
                    port: None,
                    graceful: false,
                }
            } else {
                stress::behaviour(&userland, spec)
                    .unwrap_or_else(|| images::behaviour(&info, command, args))
            }
        });
        let checks_start = reads_input
            || matches!(
                (&lookup, &behaviour),
                (
                    Ok(images::ImageInfo {
                        plays_start: true,
                        ..
                    }),
                    Ok(Behaviour::Runs { .. })
                )
            );
        let cannot_start = lookup
            .as_ref()
            .ok()
            .and_then(|_| userland.start_error(spec));
        let probers = [
            (ProbeKind::Startup, &spec.startup_probe),
            (ProbeKind::Liveness, &spec.liveness_probe),
            (ProbeKind::Readiness, &spec.readiness_probe),
        ]
        .into_iter()
        .filter_map(|(kind, probe)| probe.as_ref().and_then(|p| Prober::new(kind, p, spec)))
        .collect();
        Ctr {
            spec: Rc::new(spec.clone()),
            behaviour,
            image_size: lookup.as_ref().map_or(0, |i| i.size),
            sigterm_exit: lookup.map_or(0, |i| i.sigterm_exit),
            stage: Stage::Creating { until: sandbox_at },
            restarts: 0,
            last: None,
            backoff: None,
            pull_backoff: None,
            id: None,
            probers,
            health: AppHealth::default(),
            restart_pull: None,
            probe_killed: false,
            following: None,
            cannot_start,
            oom_after: stress::oom_after(&userland, spec),
            oom_at: None,
            checks_start,
            hook: None,
            held: false,
            post_start_error: None,
        }
    }

    /// A container that has run since `since` and passed its probes: one of
    /// the pods a node already runs when the cluster is handed over.
    pub fn running_since(spec: &Container, since: Millis, rng: &mut Rng) -> Ctr {
        let mut ctr = Ctr::new(spec, since);
        ctr.stage = Stage::Running { since, exit: None };
        ctr.id = Some(rng.hex(64));
        for prober in &mut ctr.probers {
            prober.passed();
        }
        ctr
    }

    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// imagePullPolicy Always: the kubelet pulls before every start.
    fn pulls_always(&self) -> bool {
        self.spec.image_pull_policy.as_deref() == Some("Always")
    }

    pub fn image(&self) -> String {
        self.spec.image.clone().unwrap_or_default()
    }

    /// An init container that keeps running beside the others (restartPolicy Always).
    pub fn sidecar(&self) -> bool {
        self.spec.restart_policy.as_deref() == Some("Always")
    }

    pub fn is_running(&self) -> bool {
        matches!(self.stage, Stage::Running { .. })
    }

    /// Whether the main process runs at `now`, even if its exit is not yet
    /// in the pod's status.
    pub fn alive_at(&self, now: Millis) -> bool {
        match self.stage {
            Stage::Running { exit, .. } => exit.is_none_or(|(at, _)| at > now),
            _ => false,
        }
    }

    fn prober(&self, kind: ProbeKind) -> Option<&Prober> {
        self.probers.iter().find(|p| p.kind == kind)
    }

    /// Running, and past its startup probe if it has one.
    pub fn started(&self) -> bool {
        self.is_running()
            && self
                .prober(ProbeKind::Startup)
                .is_none_or(|p| p.passing == Some(true))
    }

    pub fn ready(&self) -> bool {
        self.started()
            && self
                .prober(ProbeKind::Readiness)
                .is_none_or(|p| p.passing == Some(true))
    }

    /// The reason cache says CrashLoopBackOff (see [`Stage::Exited`]).
    pub fn crash_looping(&self) -> bool {
        matches!(self.stage, Stage::Exited { backoff_syncs, .. } if backoff_syncs >= 2)
    }

    /// The current back-off window, as the CrashLoopBackOff message says it.
    pub fn backoff_delay(&self) -> Millis {
        self.backoff.map_or(BACKOFF_INITIAL, |b| b.delay)
    }

    /// The next instant something happens to this container by itself.
    pub fn next_wake(&self) -> Option<Millis> {
        let own = match &self.stage {
            Stage::Creating { .. } if self.held => None,
            Stage::Creating { until } | Stage::Pulling { until, .. } => Some(*until),
            Stage::PullFailed { next_sync, .. } | Stage::ConfigError { next_sync, .. } => {
                Some(*next_sync)
            }
            Stage::Running { exit, .. } => [
                exit.map(|(at, _)| at),
                self.following.as_ref().map(|f| f.at),
            ]
            .into_iter()
            .flatten()
            .min(),
            Stage::Exited {
                restart_at,
                next_sync,
                ..
            } => next_sync.or(*restart_at),
        };
        let probes = self.probers.iter().filter_map(|p| p.next_at).min();
        let hook = self.hook.as_ref().map(|h| {
            h.due_at
                .saturating_add(h.outcome.as_ref().map_or(0, |o| o.took))
        });
        [own, probes, hook].into_iter().flatten().min()
    }

    /// SIGKILL from outside the kubelet: the process dies at once with 137.
    pub fn kill(&mut self, now: Millis) {
        self.exit(now, SIGKILL_EXIT);
    }

    /// The main process ends now with `code`; false if it was not running.
    pub fn exit(&mut self, now: Millis, code: i32) -> bool {
        match &mut self.stage {
            Stage::Running { exit, .. } => {
                *exit = Some((now, code));
                true
            }
            _ => false,
        }
    }

    /// Stops the container: its preStop hook first, if it has one.
    fn terminate(&mut self, rng: &mut Rng, now: Millis, grace: Millis) {
        let running = matches!(self.stage, Stage::Running { exit: None, .. });
        let stopping = self
            .hook
            .as_ref()
            .is_some_and(|h| matches!(h.kind, HookKind::PreStop { .. }));
        if stopping {
            return;
        }
        if let Some(hook) = Hook::pre_stop(&self.spec, now, grace).filter(|_| running) {
            for p in self.probers.iter_mut() {
                p.stop();
            }
            self.hook = Some(hook);
            return;
        }
        self.hook = None;
        self.signal(rng, now, grace);
    }

    /// Whether the kubelet is still starting it, so the containers after it wait.
    pub fn being_started(&self) -> bool {
        matches!(self.stage, Stage::Creating { .. } | Stage::Pulling { .. }) || self.starting()
    }

    /// Whether the sync that started it is still going: its postStart hook
    /// runs, or failed and the container is being killed. Until then the
    /// container is not shown running.
    pub fn starting(&self) -> bool {
        let hook_runs = self
            .hook
            .as_ref()
            .is_some_and(|h| h.kind == HookKind::PostStart);
        hook_runs || (self.post_start_error.is_some() && self.is_running())
    }

    /// Acts on a hook that has run: a failed postStart kills the container,
    /// a preStop's end sends the signal (Some(true): it changed the
    /// container). None when there is none to act on.
    fn finish_hook(
        &mut self,
        rng: &mut Rng,
        ctx: &Context<'_>,
        now: Millis,
        emitted: &mut Emitted,
    ) -> Option<bool> {
        let hook = self.hook.as_ref()?;
        let outcome = hook.outcome.clone()?;
        let ends = hook.due_at.saturating_add(outcome.took);
        if hook.kind == HookKind::PostStart && now < ends && !ctx.stopping {
            // Still running: the sync that started the container waits.
            return None;
        }
        let kind = hook.kind;
        self.hook = None;
        match kind {
            HookKind::PostStart if ctx.stopping => Some(false),
            HookKind::PostStart if outcome.failure.is_none() => {
                if let Stage::Running { since, exit: None } = self.stage {
                    self.start_probing(rng, since, now);
                }
                Some(false)
            }
            HookKind::PostStart => {
                emitted.push((
                    EventKind::Warning,
                    "FailedPostStartHook",
                    "PostStartHook failed".to_string(),
                ));
                emitted.push((
                    EventKind::Normal,
                    "Killing",
                    "FailedPostStartHook".to_string(),
                ));
                self.post_start_error = outcome.failure;
                self.terminate(rng, now, ctx.grace);
                Some(true)
            }
            HookKind::PreStop { grace } => {
                let took = outcome.took;
                if outcome.failure.is_some() {
                    emitted.push((
                        EventKind::Warning,
                        "FailedPreStopHook",
                        "PreStopHook failed".to_string(),
                    ));
                }
                self.signal(rng, now + took, Hook::remaining_grace(grace, took));
                Some(true)
            }
        }
    }

    /// SIGTERM, then SIGKILL after `grace` if the process ignores it.
    fn signal(&mut self, rng: &mut Rng, now: Millis, grace: Millis) {
        let graceful = matches!(
            self.behaviour,
            Ok(Behaviour::Runs { graceful: true, .. } | Behaviour::Component)
        );
        if let Stage::Running { exit, .. } = &mut self.stage {
            let stop = if graceful {
                (now + rng.range(100, 400), self.sigterm_exit)
            } else {
                (now + grace, SIGKILL_EXIT)
            };
            *exit = Some(match *exit {
                Some(e) if e.0 < stop.0 => e,
                _ => stop,
            });
        }
        for p in self.probers.iter_mut() {
            p.stop();
        }
    }

    /// The pod is being deleted: stop the container (Killing event if it runs).
    pub fn stop_for_deletion(
        &mut self,
        rng: &mut Rng,
        now: Millis,
        grace: Millis,
        emitted: &mut Emitted,
    ) {
        match &mut self.stage {
            Stage::Running { .. } => {
                emitted.push((
                    EventKind::Normal,
                    "Killing",
                    format!("Stopping container {}", self.spec.name),
                ));
                self.terminate(rng, now, grace);
            }
            Stage::Exited {
                restart_at,
                next_sync,
                ..
            } => {
                *restart_at = None;
                *next_sync = None;
            }
            other => {
                // Never started: nothing to stop.
                *other = Stage::Exited {
                    term: Term {
                        code: 0,
                        started: now,
                        finished: now,
                        start_error: None,
                        oom_killed: false,
                    },
                    restart_at: None,
                    next_sync: None,
                    backoff_syncs: 0,
                };
            }
        }
    }

    /// A fault changed how the app answers: resume probing on the beat.
    pub fn set_health(&mut self, health: AppHealth, now: Millis) {
        self.health = health;
        let Stage::Running { since, exit: None } = self.stage else {
            return;
        };
        let started = self.started();
        for p in self.probers.iter_mut() {
            if p.kind == ProbeKind::Startup || started {
                p.wake(now, since);
            }
        }
    }

    /// Applies every transition due at `now`; returns whether anything changed.
    pub fn advance(
        &mut self,
        rng: &mut Rng,
        cached: &mut NodeImages,
        ctx: &Context<'_>,
        now: Millis,
        emitted: &mut Emitted,
    ) -> bool {
        self.held = ctx.held;
        let mut changed = false;
        // One container may pass several stages at the same instant.
        for _ in 0..8 {
            if !self.step(rng, cached, ctx, now, emitted) {
                break;
            }
            changed = true;
        }
        if !ctx.stopping {
            changed |= self.probe(rng, ctx, now, emitted);
        }
        changed
    }

    fn step(
        &mut self,
        rng: &mut Rng,
        cached: &mut NodeImages,
        ctx: &Context<'_>,
        now: Millis,
        emitted: &mut Emitted,
    ) -> bool {
        if self.finish_hook(rng, ctx, now, emitted) == Some(true) {
            return true;
        }
        let name = self.spec.name.clone();
        let image = self.image();
        let stopping = ctx.stopping;
        match self.stage.clone() {
            Stage::Creating { until } if until <= now && !stopping && !ctx.held => {
                let present = cached.contains(&image) && self.behaviour.is_ok();
                if present && !self.pulls_always() {
                    self.start_present_image(rng, now, ctx.config_error, emitted);
                } else {
                    emitted.push(pulling(&image));
                    let took = if present || cached.on_its_way(&image, now) {
                        rng.range(300, 900)
                    } else {
                        pull_time(rng, self.image_size)
                    };
                    let slot = cached.queue(&image, now, took);
                    self.stage = Stage::Pulling {
                        until: slot.until,
                        began: slot.began,
                        asked: now,
                        retrying: None,
                    };
                }
                true
            }
            Stage::Pulling {
                until,
                began,
                asked,
                retrying,
            } if until <= now && !stopping => {
                match self.behaviour.clone() {
                    Ok(_) => {
                        cached.insert(image.clone());
                        emitted.push(pulled(
                            &image,
                            until - began,
                            until - asked,
                            self.image_size,
                        ));
                        self.start(rng, now, ctx.config_error, emitted);
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
                        let first = self.pull_backoff.is_none();
                        let waiting = Backoff::active(self.pull_backoff, now, now).unwrap_or(0);
                        self.pull_backoff = Some(Backoff::next(self.pull_backoff, now));
                        let delay = self
                            .pull_backoff
                            .map_or(BACKOFF_INITIAL, |b| b.delay)
                            .max(waiting);
                        let next_sync = if first {
                            // The sandbox's PLEG event waits: a sync right away.
                            now + rng.range(10, 100)
                        } else {
                            now + sync_retry(rng)
                        };
                        // The status keeps what it showed during the pull until
                        // the next sync reads the new failure.
                        let shown = retrying.is_some_and(|(_, backing_off)| backing_off);
                        self.stage = Stage::PullFailed {
                            message: err,
                            next_sync,
                            retry_at: now + delay,
                            backing_off: shown,
                            cached_backoff: false,
                        };
                    }
                }
                true
            }
            Stage::PullFailed {
                message,
                next_sync,
                retry_at,
                cached_backoff,
                ..
            } if !stopping && next_sync <= now => {
                // This sync's status reads the reason cache as it stands.
                let backing_off = cached_backoff;
                if retry_at <= now {
                    emitted.push(pulling(&image));
                    let slot = cached.queue(&image, now, rng.range(500, 1_500));
                    self.stage = Stage::Pulling {
                        until: slot.until,
                        began: slot.began,
                        asked: now,
                        retrying: Some((message, backing_off)),
                    };
                } else {
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
                    self.stage = Stage::PullFailed {
                        message,
                        next_sync: now + sync_retry(rng),
                        retry_at,
                        backing_off,
                        cached_backoff: true,
                    };
                }
                true
            }
            Stage::ConfigError { next_sync, .. } if !stopping && next_sync <= now => {
                self.start_present_image(rng, now, ctx.config_error, emitted);
                true
            }
            Stage::Running {
                since,
                exit: Some((at, code)),
            } if at <= now => {
                // Every run of a container that cannot start is a failed start.
                let term = Term {
                    code,
                    started: since,
                    finished: at,
                    start_error: self.cannot_start.clone(),
                    oom_killed: self.oom_at == Some(at),
                };
                let policy = ctx.restart_policy;
                let restarts =
                    !stopping && (policy == "Always" || (policy == "OnFailure" && code != 0));
                // A probe kill is followed by a start in the same sync, whose
                // back-off check still sees the exit before it (doBackOff reads
                // the pod status from before the kill): kills further apart than
                // the back-off restart at once.
                let judged_from = if std::mem::take(&mut self.probe_killed) {
                    self.last.as_ref().map(|t| t.finished)
                } else {
                    Some(at)
                };
                let backoff_delay =
                    judged_from.and_then(|since| Backoff::active(self.backoff, since, now));
                // The kubelet notices the exit at its next relist (PLEG).
                let (restart_at, next_sync) = if !restarts {
                    (None, None)
                } else if let Some(delay) = backoff_delay {
                    (Some(at + delay), Some(now + rng.range(500, 1_500)))
                } else {
                    // The first restart is immediate.
                    (Some(now + rng.range(500, 1_500)), None)
                };
                for p in self.probers.iter_mut() {
                    p.stop();
                }
                // A hung process is gone; a broken dependency is not.
                self.health.hung = false;
                self.stage = Stage::Exited {
                    term,
                    restart_at,
                    next_sync,
                    backoff_syncs: 0,
                };
                true
            }
            Stage::Exited {
                term,
                restart_at: Some(restart_at),
                next_sync: Some(sync),
                backoff_syncs,
            } if !stopping && sync <= now => {
                let backoff_syncs = backoff_syncs.saturating_add(1);
                let next_sync = if restart_at <= now {
                    // Out of the window: this sync starts the container
                    // (its status still shows the cached back-off).
                    None
                } else {
                    emitted.push((
                        EventKind::Warning,
                        "BackOff",
                        format!(
                            "Back-off restarting failed container {name} in pod {}",
                            ctx.pod_ref
                        ),
                    ));
                    Some(now + sync_retry(rng))
                };
                let restart_at = if next_sync.is_none() {
                    now + rng.range(100, 400)
                } else {
                    restart_at
                };
                self.stage = Stage::Exited {
                    term,
                    restart_at: Some(restart_at),
                    next_sync,
                    backoff_syncs,
                };
                true
            }
            Stage::Exited {
                term,
                restart_at: Some(restart_at),
                next_sync: None,
                backoff_syncs,
            } if !stopping && restart_at <= now => {
                if self.pulls_always() && self.restart_pull.is_none() {
                    // The image is on the node: the registry only confirms it.
                    emitted.push(pulling(&image));
                    let slot = cached.queue(&image, now, rng.range(300, 900));
                    self.restart_pull = Some((now, slot.began));
                    self.stage = Stage::Exited {
                        term,
                        restart_at: Some(slot.until),
                        next_sync: None,
                        backoff_syncs,
                    };
                    return true;
                }
                self.backoff = Some(Backoff::next(self.backoff, now));
                self.restarts += 1;
                self.last = Some(term);
                match self.restart_pull.take() {
                    Some((asked, began)) => {
                        emitted.push(pulled(&image, now - began, now - asked, self.image_size));
                        self.start(rng, now, ctx.config_error, emitted);
                    }
                    None => self.start_present_image(rng, now, ctx.config_error, emitted),
                }
                true
            }
            _ => false,
        }
    }

    /// Starts the container from an image the node already has, as the
    /// kubelet reports it first.
    fn start_present_image(
        &mut self,
        rng: &mut Rng,
        now: Millis,
        config_error: Option<&str>,
        emitted: &mut Emitted,
    ) {
        emitted.push(already_present(&self.image()));
        self.start(rng, now, config_error, emitted);
    }

    fn start(
        &mut self,
        rng: &mut Rng,
        now: Millis,
        config_error: Option<&str>,
        emitted: &mut Emitted,
    ) {
        if let Some(message) = config_error {
            emitted.push((EventKind::Warning, "Failed", format!("Error: {message}")));
            self.stage = Stage::ConfigError {
                message: message.to_string(),
                next_sync: now + sync_retry(rng),
            };
            return;
        }
        self.id = Some(rng.hex(64));
        if let Some(error) = &self.cannot_start {
            // Created, then runc fails: the container ends before it runs.
            let [created, _] = created_and_started(&self.spec.name);
            emitted.push(created);
            emitted.push((
                EventKind::Warning,
                "Failed",
                format!("Error: {error}: unknown"),
            ));
            self.following = None;
            self.stage = Stage::Running {
                since: now,
                exit: Some((now, START_ERROR_EXIT)),
            };
            return;
        }
        emitted.extend(created_and_started(&self.spec.name));
        self.hook = Hook::post_start(&self.spec, now);
        self.post_start_error = None;
        // A process that ends by itself is played to learn when and how;
        // the kubelet plays it once its status shows it running.
        let ends = matches!(self.behaviour, Ok(Behaviour::Exits { .. }));
        self.following = (ends || self.checks_start).then(|| Following::from(now));
        self.oom_at = self.oom_after.map(|after| now.saturating_add(after));
        self.stage = Stage::Running {
            since: now,
            exit: self.oom_at.map(|at| (at, SIGKILL_EXIT)),
        };
        for p in self.probers.iter_mut() {
            p.stop();
        }
        if self.hook.is_none() {
            self.start_probing(rng, now, now);
        }
    }

    /// The prober begins once the kubelet shows the container running (after
    /// its postStart hook); initial delays count from its start, `since`.
    fn start_probing(&mut self, rng: &mut Rng, since: Millis, now: Millis) {
        let has_startup = self.prober(ProbeKind::Startup).is_some();
        for p in self.probers.iter_mut() {
            if p.kind == ProbeKind::Startup || !has_startup {
                let offset = rng.range(100, 10_000);
                p.restart(since, offset);
                p.next_at = p.next_at.map(|at| at.max(now));
            }
        }
    }

    /// Runs the probe checks that are due.
    fn probe(
        &mut self,
        rng: &mut Rng,
        ctx: &Context<'_>,
        now: Millis,
        emitted: &mut Emitted,
    ) -> bool {
        // A process that will exit by itself (`sleep 3600`) is probed until
        // it does; one being stopped has had its probers stopped.
        let Stage::Running { since, exit } = self.stage else {
            return false;
        };
        if exit.is_some_and(|(at, _)| at <= now) {
            return false;
        }
        let Ok(behaviour) = self.behaviour.clone() else {
            return false;
        };
        let ip = ctx.ip.unwrap_or("");
        let mut changed = false;
        for i in 0..self.probers.len() {
            let started = self.started();
            let prober = &mut self.probers[i];
            if prober.next_at.is_none_or(|at| at > now)
                || (prober.kind != ProbeKind::Startup && !started)
            {
                continue;
            }
            let kind = prober.kind;
            if prober.awaits_exec(now) {
                continue;
            }
            if let Some(error) = prober.error() {
                // prober.probe records it; the worker throws the result away.
                let text = format!(
                    "{} probe errored and resulted in unknown state: {error}",
                    kind.title()
                );
                prober.errored(now);
                emitted.push((EventKind::Warning, "Unhealthy", text));
                changed = true;
                continue;
            }
            let outcome = prober.outcome(ip, &behaviour, self.health);
            match prober.check(now, outcome) {
                Verdict::Quiet => {}
                Verdict::Passed => {
                    changed = true;
                    if kind == ProbeKind::Startup {
                        // Liveness and readiness begin once startup passed.
                        for p in self
                            .probers
                            .iter_mut()
                            .filter(|p| p.kind != ProbeKind::Startup)
                        {
                            let offset = rng.range(100, 10_000);
                            p.restart(since, offset);
                            p.next_at = p.next_at.map(|at| at.max(now));
                        }
                    }
                }
                Verdict::Failed { output, gave_up } => {
                    changed = true;
                    emitted.push((
                        EventKind::Warning,
                        "Unhealthy",
                        format!("{} probe failed: {output}", kind.title()),
                    ));
                    if gave_up && kind != ProbeKind::Readiness {
                        emitted.push((
                            EventKind::Normal,
                            "Killing",
                            kind.kill_message(&self.spec.name),
                        ));
                        self.probe_killed = true;
                        self.terminate(rng, now, ctx.grace);
                        return true;
                    }
                }
            }
        }
        changed
    }
}

fn pull_time(rng: &mut Rng, size: u64) -> Millis {
    // About 1.5 s of registry round trips plus 25 MB/s.
    1_500 + size / 25_000 + rng.range(0, 800)
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
    fn pull_durations_print_like_the_kubelet() {
        assert_eq!(pull_duration(2_540), "2.54s");
        assert_eq!(pull_duration(512), "512ms");
    }
}
