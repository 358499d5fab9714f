//! What `kubectl run -i`, `kubectl attach` and `kubectl debug -i` wait for:
//! `run`'s pod to be running and ready (attach's and debug's container to
//! run) before they attach, a process that ends by itself to end while its
//! output streams, and `run`'s pod to finish when it does not restart.
//!
//! It is a [`Waiting`]: typed on its own in the browser it holds the terminal
//! while the learner moves the clock, so a watch in another terminal shows
//! the pod come up row by row before the prompt of its shell appears.

use super::args::Parsed;
use super::exec::{is_interactive_shell, AfterExit, Attach, Attached};
use super::output::Output;
use super::run::{attach_notes, Attachment};
use super::waiting::{Deadline, Waiting};
use super::Invocation;
use crate::container::{self, Inside, Session, Target};
use crate::sim::clock::{Millis, SECOND};
use crate::sim::images::Behaviour;
use crate::sim::object::{Kind, ObjectKey};
use crate::sim::pod_containers;
use crate::sim::{kubelet, pods, Cluster, DeleteOptions};
use k8s_openapi::api::core::v1::Pod;

/// `--pod-running-timeout`'s default.
pub(super) const POD_RUNNING_TIMEOUT: Millis = 60 * SECOND;
/// Where kubectl waits until Ctrl+C, a script stops after this much virtual time.
const ATTACH_LIMIT: Millis = 10 * 60 * SECOND;

/// `--pod-running-timeout` (GetPodRunningTimeoutFlag), or its error.
pub(super) fn pod_running_timeout(parsed: &Parsed) -> Result<Millis, &'static str> {
    let Some(text) = parsed.value("pod-running-timeout") else {
        return Ok(POD_RUNNING_TIMEOUT);
    };
    match parsed.duration("pod-running-timeout") {
        Some(timeout) if timeout > 0 && !text.starts_with('-') => Ok(timeout),
        _ => Err("--pod-running-timeout must be higher than zero"),
    }
}

/// Waits for the new pod (`run`) or the container (`attach`, `debug`), then
/// attaches to its main process.
pub(super) fn attach_to_pod(cluster: &Cluster, a: Attachment, stdin: bool) -> Invocation {
    let stage = if a.waits_for_exit {
        Stage::PodRunning
    } else {
        Stage::Container
    };
    Invocation {
        waiting: Some(Waiting::Attach(Box::new(Attaching::new(
            cluster, a, stdin, stage,
        )))),
        ..Output::default().into()
    }
}

/// After an attached shell that was the pod's main process exits: `run`
/// waits for the pod to finish and reports how it ended; `--rm` deletes it.
/// With `defer` the caller holds that wait (see [`Waiting::begin`]).
pub(super) fn wait_after_exit(cluster: &mut Cluster, a: &Attachment, defer: bool) -> Invocation {
    let mut attaching = Attaching::new(cluster, a.clone(), false, Stage::Done);
    let mut invocation = Invocation::from(Output::default());
    let stage = attaching.after_exit(cluster, &mut invocation.output);
    attaching.enter(cluster, stage);
    Waiting::Attach(Box::new(attaching)).begin(cluster, defer, &mut invocation);
    invocation
}

#[derive(Clone, Debug)]
pub struct Attaching {
    a: Attachment,
    stdin: bool,
    stage: Stage,
    deadline: Deadline,
    /// The pod version last looked at, so a waiting message warns once per update.
    seen: String,
    /// The shell or log stream the terminal is attached to once done.
    then: Option<Attach>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// `run`'s waitForPod(podRunningAndReady): running and ready, or finished.
    PodRunning,
    /// debug's waitForContainer (attach's too): the container runs or has run.
    Container,
    /// Attached to a process that ends by itself: its output, once it has.
    ProcessExit,
    /// `run`'s waitForPod for the exit code: Succeeded, or Failed under Never.
    PodFinished,
    Done,
}

impl Attaching {
    fn new(cluster: &Cluster, a: Attachment, stdin: bool, stage: Stage) -> Attaching {
        let mut attaching = Attaching {
            a,
            stdin,
            stage,
            deadline: Deadline {
                at: cluster.now(),
                kubectl: false,
            },
            seen: String::new(),
            then: None,
        };
        attaching.enter(cluster, stage);
        attaching
    }

    fn enter(&mut self, cluster: &Cluster, stage: Stage) {
        self.stage = stage;
        let (limit, kubectl) = match stage {
            Stage::PodRunning | Stage::PodFinished => (self.a.timeout, true),
            _ => (ATTACH_LIMIT, false),
        };
        self.deadline = Deadline {
            at: cluster.now().saturating_add(limit),
            kubectl,
        };
    }

    pub(super) fn deadline(&self) -> Deadline {
        self.deadline
    }

    /// Goes as far as the cluster lets it now; true once done.
    pub(super) fn check(&mut self, cluster: &mut Cluster, out: &mut Output) -> bool {
        loop {
            let next = match self.stage {
                Stage::PodRunning if self.pod_is(cluster, running_or_finished) => {
                    self.attach(cluster, out)
                }
                Stage::Container => match self.container_started(cluster, out) {
                    Some(true) => self.attach(cluster, out),
                    Some(false) => Stage::Done,
                    None => return false,
                },
                Stage::ProcessExit if !self.process_runs(cluster) => self.exited(cluster, out),
                Stage::PodFinished if self.pod_is(cluster, |p| self.finished(p)) => {
                    self.report_exit(cluster, out, true);
                    Stage::Done
                }
                Stage::Done => return true,
                _ => return false,
            };
            self.enter(cluster, next);
        }
    }

    /// The deadline has come: what kubectl says as it gives up, or (where the
    /// playground stopped a wait kubectl keeps up) what it says then; true
    /// once done.
    pub(super) fn expire(&mut self, cluster: &mut Cluster, out: &mut Output) -> bool {
        let next = match self.stage {
            Stage::PodRunning => {
                out.merge(remove_pod(cluster, &self.a));
                out.merge(Output::error("timed out waiting for the condition"));
                Stage::Done
            }
            Stage::Container => {
                out.err(format!("stsplay: stopped waiting after 10m of simulated time for container {} to start (kubectl would keep waiting until Ctrl+C)", self.a.container));
                out.code = 1;
                Stage::Done
            }
            // Its output so far, as if it had ended.
            Stage::ProcessExit => self.exited(cluster, out),
            Stage::PodFinished => {
                self.report_exit(cluster, out, false);
                Stage::Done
            }
            Stage::Done => Stage::Done,
        };
        self.enter(cluster, next);
        self.stage == Stage::Done
    }

    /// The shell or log stream to attach the terminal to, once done.
    pub(super) fn take_attach(&mut self) -> Option<Attach> {
        self.then.take()
    }

    fn pod<'c>(&self, cluster: &'c Cluster) -> Option<&'c Pod> {
        cluster
            .store()
            .get_typed::<Pod>(&self.a.namespace, &self.a.pod)
    }

    /// Whether the pod is gone or `cond` holds for it.
    fn pod_is(&self, cluster: &Cluster, cond: impl Fn(&Pod) -> bool) -> bool {
        self.pod(cluster).is_none_or(cond)
    }

    fn finished(&self, pod: &Pod) -> bool {
        match pods::phase(pod) {
            "Succeeded" => true,
            "Failed" => self.a.restart != "OnFailure",
            _ => false,
        }
    }

    fn process_runs(&self, cluster: &Cluster) -> bool {
        Inside::of(cluster, &self.target()).is_some_and(|i| i.running(cluster))
    }

    fn target(&self) -> Target {
        Target {
            namespace: self.a.namespace.clone(),
            pod: self.a.pod.clone(),
            container: self.a.container.clone(),
        }
    }

    /// Whether the container runs or has run (None: not yet), with a warning
    /// for each pod update that finds it waiting with a message (a failed
    /// pull, a refused start).
    fn container_started(&mut self, cluster: &Cluster, out: &mut Output) -> Option<bool> {
        let Some(pod) = self.pod(cluster) else {
            out.merge(Output::error(format!("pods \"{}\" not found", self.a.pod)));
            return Some(false);
        };
        let version = pod.metadata.resource_version.clone().unwrap_or_default();
        let state = pod_containers::status(pod, &self.a.container).and_then(|s| s.state.clone());
        if state
            .as_ref()
            .is_some_and(|s| s.running.is_some() || s.terminated.is_some())
        {
            return Some(true);
        }
        let message = state
            .and_then(|s| s.waiting)
            .and_then(|w| w.message)
            .filter(|m| !m.is_empty());
        if let Some(message) = message.filter(|_| version != self.seen && !self.a.quiet) {
            out.err(format!(
                "Warning: container {}: {message}",
                self.a.container
            ));
        }
        self.seen = version;
        None
    }

    /// Attaches to the main process of a container that has started.
    fn attach(&mut self, cluster: &mut Cluster, out: &mut Output) -> Stage {
        container::start_up(cluster);
        let target = self.target();
        // kubectl's piped input: the process reads it through while attached.
        let fed = self
            .pod(cluster)
            .and_then(|p| p.metadata.uid.clone())
            .is_some_and(|uid| {
                cluster
                    .runtime
                    .stdin
                    .contains_key(&(uid, self.a.container.clone()))
            });
        let Some(inside) = Inside::of(cluster, &target).filter(|i| i.running(cluster)) else {
            // It ran to completion before kubectl could attach: what it printed.
            if fed && !self.a.quiet {
                attach_notes(out);
            }
            return self.exited(cluster, out);
        };
        if !self.a.quiet {
            attach_notes(out);
        }
        if fed {
            return Stage::ProcessExit;
        }
        let argv = inside.main_command();
        if self.stdin && argv.first().is_some_and(|_| is_interactive_shell(&argv)) {
            let mut session = Session::new(cluster, &inside, &argv[0], self.a.tty);
            session.shell.pid = 1;
            session.main_process = true;
            self.then = Some(Attach::Shell(Box::new(Attached {
                session,
                then: AfterExit::Run(self.a.clone()),
            })));
            return Stage::Done;
        }
        if let Some(args) = crate::container::mysql_prompt_args(&argv).filter(|_| self.stdin) {
            return match super::exec::mysql_prompt(cluster, &inside, args, self.a.tty, out) {
                Ok(mut session) => {
                    session.main_process = true;
                    self.then = Some(Attach::Shell(Box::new(Attached {
                        session,
                        then: AfterExit::Run(self.a.clone()),
                    })));
                    Stage::Done
                }
                // The client could not connect: it exits with its error.
                Err(code) => {
                    kubelet::main_process_exited(
                        cluster,
                        &self.a.namespace,
                        &self.a.pod,
                        &self.a.container,
                        code,
                    );
                    self.after_exit(cluster, out)
                }
            };
        }
        if matches!(
            kubelet::behaviour(cluster, &self.a.namespace, &self.a.pod, &self.a.container),
            Some(Behaviour::Exits { .. })
        ) {
            return Stage::ProcessExit;
        }
        out.err(format!(
            "stsplay: {} does not read from the terminal; showing its output instead (Ctrl+C stops)",
            argv.join(" ")
        ));
        let follow = super::logs::of_container(cluster, &target, &[("follow", "true")]);
        out.merge(follow.output);
        self.then = follow.attach;
        Stage::Done
    }

    /// The attached process has ended: what it printed, then what kubectl
    /// does after.
    fn exited(&mut self, cluster: &mut Cluster, out: &mut Output) -> Stage {
        out.merge(super::logs::of_container(cluster, &self.target(), &[]).output);
        self.after_exit(cluster, out)
    }

    /// `run` waits for a pod that does not restart to finish; `--rm` then
    /// deletes it.
    fn after_exit(&mut self, cluster: &mut Cluster, out: &mut Output) -> Stage {
        if self.a.restart == "Always" || !self.a.waits_for_exit {
            out.merge(remove_pod(cluster, &self.a));
            return Stage::Done;
        }
        Stage::PodFinished
    }

    /// The pod has finished (or the wait for it timed out): `--rm`, then
    /// how it ended.
    fn report_exit(&self, cluster: &mut Cluster, out: &mut Output, finished: bool) {
        let pod = self.pod(cluster).cloned();
        out.merge(remove_pod(cluster, &self.a));
        if !finished {
            out.merge(Output::error("timed out waiting for the condition"));
            return;
        }
        let Some(pod) = pod.filter(|p| pods::phase(p) == "Failed") else {
            return;
        };
        let terminated = pod
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|c| c.first())
            .and_then(|c| c.state.as_ref())
            .and_then(|s| s.terminated.clone());
        match terminated.filter(|t| t.exit_code != 0) {
            Some(t) => {
                out.err(
                    format!(
                        "pod {}/{} terminated ({})\n{}",
                        self.a.namespace,
                        self.a.pod,
                        t.reason.unwrap_or_default(),
                        t.message.unwrap_or_default()
                    )
                    .trim_end(),
                );
                out.code = t.exit_code;
            }
            None => out.merge(Output::error(format!(
                "pod {}/{} failed with unknown exit code",
                self.a.namespace, self.a.pod
            ))),
        }
    }
}

fn running_or_finished(pod: &Pod) -> bool {
    pods::is_running_and_ready(pod) || matches!(pods::phase(pod), "Succeeded" | "Failed")
}

/// `--rm`: deletes the pod without waiting, with kubectl delete's message.
fn remove_pod(cluster: &mut Cluster, a: &Attachment) -> Output {
    let mut out = Output::default();
    if a.remove
        && cluster
            .delete(
                &ObjectKey::new(Kind::Pod, &a.namespace, &a.pod),
                &DeleteOptions::default(),
            )
            .is_ok()
    {
        out.out(format!(
            "pod \"{}\" deleted from {} namespace",
            a.pod, a.namespace
        ));
    }
    out
}
