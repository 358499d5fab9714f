//! Container lifecycle hooks. The kubelet runs a postStart hook once the
//! container has started, and its status shows the container running only
//! after the hook; a failed one is recorded (FailedPostStartHook) and the
//! container killed, to restart as its policy says. A preStop hook runs
//! before the container is signalled to stop, inside its grace period: what
//! the hook takes comes off the grace the process then gets (two seconds at
//! least), and a failed one is recorded (FailedPreStopHook) before the
//! signal all the same. The events do not carry the hook's output, as the
//! kubelet keeps secrets out of events.
//!
//! An exec hook runs in the container as `kubectl exec` would, so what it
//! writes is there afterwards, on a clock of its own: what it waits (its
//! sleeps) is how long it takes, and the kubelet's sync waits that long. A
//! sleep hook takes its seconds; an HTTP hook reaches the container's web
//! server if it has one.

use k8s_openapi::api::core::v1::{Container, LifecycleHandler, Pod};

use super::status::PodRef;
use super::{runtime_of, runtime_of_mut};
use crate::shell::Sink;
use crate::sim::clock::{Millis, SECOND};
use crate::sim::images::Behaviour;
use crate::sim::Cluster;

/// What a stopped container gets after its preStop hook, at least.
const MINIMUM_GRACE: Millis = 2 * SECOND;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookKind {
    PostStart,
    /// With the grace period the stop began with.
    PreStop {
        grace: Millis,
    },
}

/// A hook the kubelet runs at its next sync of the pod, and how it went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hook {
    pub kind: HookKind,
    pub due_at: Millis,
    /// None until it has run.
    pub outcome: Option<Outcome>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The handler's message when it failed, as the kubelet words it.
    pub failure: Option<String>,
    pub took: Millis,
}

impl Hook {
    pub fn post_start(spec: &Container, now: Millis) -> Option<Hook> {
        handler(spec, HookKind::PostStart).map(|_| Hook {
            kind: HookKind::PostStart,
            due_at: now,
            outcome: None,
        })
    }

    pub fn pre_stop(spec: &Container, now: Millis, grace: Millis) -> Option<Hook> {
        let kind = HookKind::PreStop { grace };
        handler(spec, kind).map(|_| Hook {
            kind,
            due_at: now,
            outcome: None,
        })
    }

    /// The grace the process gets once a preStop hook that took `took` ran.
    pub fn remaining_grace(grace: Millis, took: Millis) -> Millis {
        grace.saturating_sub(took).max(MINIMUM_GRACE)
    }
}

fn handler(spec: &Container, kind: HookKind) -> Option<&LifecycleHandler> {
    let lifecycle = spec.lifecycle.as_ref()?;
    match kind {
        HookKind::PostStart => lifecycle.post_start.as_ref(),
        HookKind::PreStop { .. } => lifecycle.pre_stop.as_ref(),
    }
}

/// Runs the hooks due in `pod`'s containers, for the sync that acts on them.
pub fn run_due(cluster: &mut Cluster, node: &str, pod: &Pod) {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
    let name = pod.metadata.name.as_deref().unwrap_or("");
    let Some(runtime) = runtime_of(cluster, node, pod) else {
        return;
    };
    let due: Vec<(String, HookKind, LifecycleHandler, bool)> = runtime
        .all()
        .filter_map(|c| {
            let hook = c.hook.as_ref().filter(|h| h.outcome.is_none())?;
            let serves_http = matches!(
                c.behaviour,
                Ok(Behaviour::Runs {
                    serves_http: true,
                    ..
                })
            );
            let handler = handler(&c.spec, hook.kind)?.clone();
            Some((c.name().to_string(), hook.kind, handler, serves_http))
        })
        .collect();
    let pod_ref = PodRef(pod).to_string();
    for (container, kind, handler, serves_http) in due {
        let hook_ref = HookRef {
            container: &container,
            pod: &pod_ref,
        };
        let outcome = if let Some(exec) = &handler.exec {
            let command = exec.command.clone().unwrap_or_default();
            let result =
                crate::container::exec_sync(cluster, namespace, name, &container, &command);
            let took = result.as_ref().map_or(0, |(.., took)| *took);
            Outcome {
                failure: exec_failure(
                    &command,
                    result.map(|(code, sink, _)| (code, sink)),
                    hook_ref,
                ),
                took: bounded(kind, took),
            }
        } else if let Some(sleep) = &handler.sleep {
            let took = Millis::try_from(sleep.seconds.max(0)).unwrap_or(0) * SECOND;
            Outcome {
                failure: None,
                took: bounded(kind, took),
            }
        } else {
            Outcome {
                failure: http_failure(&handler, serves_http, hook_ref),
                took: 0,
            }
        };
        let hook = runtime_of_mut(cluster, node, pod)
            .and_then(|r| r.all_mut().find(|c| c.name() == container))
            .and_then(|c| c.hook.as_mut());
        if let Some(hook) = hook {
            hook.outcome = Some(outcome);
        }
    }
}

/// A preStop hook has the grace period and no more.
fn bounded(kind: HookKind, took: Millis) -> Millis {
    match kind {
        HookKind::PreStop { grace } => took.min(grace),
        HookKind::PostStart => took,
    }
}

/// The container and pod a hook message names.
#[derive(Clone, Copy)]
struct HookRef<'a> {
    container: &'a str,
    pod: &'a str,
}

/// An exec hook's failure as the kubelet's handler runner words it: the
/// runtime's error for a command that exited non-zero carries its stderr,
/// and the message quotes all it printed.
fn exec_failure(
    command: &[String],
    result: Result<(i32, Sink), String>,
    at: HookRef<'_>,
) -> Option<String> {
    let (error, output) = match result {
        Ok((0, _)) => return None,
        Ok((code, sink)) => (
            format!(
                "command '{}' exited with {code}: {}",
                command.join(" "),
                sink.stderr()
            ),
            sink.stdout() + &sink.stderr(),
        ),
        Err(error) => (error, String::new()),
    };
    Some(format!(
        "Exec lifecycle hook ([{}]) for Container {:?} in Pod {:?} failed - error: {error}, message: {output:?}",
        command.join(" "),
        at.container,
        at.pod,
    ))
}

/// An HTTP hook needs a web server in the container; the deprecated TCP
/// handler is no handler the kubelet runs.
fn http_failure(handler: &LifecycleHandler, serves_http: bool, at: HookRef<'_>) -> Option<String> {
    let Some(get) = &handler.http_get else {
        return Some("Cannot run handler: invalid handler".to_string());
    };
    (!serves_http).then(|| {
        format!(
            "HTTP lifecycle hook ({}) for Container {:?} in Pod {:?} failed - error: connection refused",
            get.path.as_deref().unwrap_or(""),
            at.container,
            at.pod,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_exec_hook_is_worded_as_the_handler_runner_words_it() {
        let command: Vec<String> = ["/bin/sh", "-c", "echo no >&2; exit 1"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let mut sink = Sink::default();
        sink.err("no\n");
        let at = HookRef {
            container: "app",
            pod: "bad-hook_default(uid)",
        };
        assert_eq!(
            exec_failure(&command, Ok((1, sink)), at).as_deref(),
            Some("Exec lifecycle hook ([/bin/sh -c echo no >&2; exit 1]) for Container \"app\" in Pod \"bad-hook_default(uid)\" failed - error: command '/bin/sh -c echo no >&2; exit 1' exited with 1: no\n, message: \"no\\n\"")
        );
        assert_eq!(exec_failure(&command, Ok((0, Sink::default())), at), None);
        assert_eq!(Hook::remaining_grace(30 * SECOND, 29 * SECOND), 2 * SECOND);
        assert_eq!(Hook::remaining_grace(30 * SECOND, 10 * SECOND), 20 * SECOND);
    }
}
