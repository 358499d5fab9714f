//! `kubectl logs`: what a container wrote — its command's output and its
//! web server's access and error logs — for the current run or, with
//! `--previous`, the one before; `-f` keeps following.

use k8s_openapi::api::core::v1::Pod;

use super::args::{Parsed, Spec, Takes};
use super::exec::{choose_container, Attach};
use super::go_time::parse_rfc3339;
use super::output::Output;
use super::pod_for::{find_pod, Chosen, NoPod, Purpose};
use super::selector::Selector;
use super::{Context, Invocation};
use crate::container::{self, Inside, Target};
use crate::sim::clock::{self, timestamp, Millis, SECOND};
use crate::sim::runtime_data::LogLine;
use crate::sim::{pod_containers, pods, Cluster};

pub const SPEC: Spec = Spec {
    flags: &[
        ("follow", Some('f'), Takes::Bool),
        ("previous", Some('p'), Takes::Bool),
        ("container", Some('c'), Takes::Value),
        ("selector", Some('l'), Takes::Value),
        ("tail", None, Takes::Int),
        ("timestamps", None, Takes::Bool),
        ("all-containers", None, Takes::Bool),
        ("prefix", None, Takes::Bool),
        ("pod-running-timeout", None, Takes::Value),
        ("since", None, Takes::Duration),
        ("since-time", None, Takes::Value),
        ("limit-bytes", None, Takes::Int),
    ],
    not_simulated: &[
        "all-pods",
        "ignore-errors",
        "insecure-skip-tls-verify-backend",
        "max-log-requests",
    ],
};

const USAGE: &str = "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples";

/// A `logs -f` in progress: the run it follows and how much of it was printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogFollow {
    pub target: Target,
    uid: String,
    container_id: String,
    printed: usize,
    timestamps: bool,
    prefix: Option<String>,
}

impl LogFollow {
    /// Lines written since the last poll, and whether the stream has ended
    /// (the followed run of the container stopped).
    pub fn poll(&mut self, cluster: &mut Cluster) -> (String, bool) {
        container::start_up(cluster);
        let runs = cluster
            .runtime
            .containers
            .get(&(self.uid.clone(), self.target.container.clone()));
        let current = runs
            .and_then(|r| r.current.as_ref())
            .filter(|r| r.container_id == self.container_id);
        let run = current.or_else(|| {
            runs.and_then(|r| r.previous.as_ref())
                .filter(|r| r.container_id == self.container_id)
        });
        let lines: Vec<LogLine> = run
            .map(|r| r.lines.iter().skip(self.printed).cloned().collect())
            .unwrap_or_default();
        let still_current = current.is_some();
        self.printed += lines.len();
        let text = render(&lines, self.timestamps, self.prefix.as_deref(), None);
        let running = Inside::of(cluster, &self.target)
            .is_some_and(|i| i.uid == self.uid && i.running(cluster));
        (text, !(still_current && running))
    }
}

/// `kubectl logs POD -c CONTAINER` with more of its flags (`follow`,
/// `tail`), as the commands that attach to a container show its output.
pub(super) fn of_container(
    cluster: &mut Cluster,
    target: &Target,
    flags: &[(&str, &str)],
) -> Invocation {
    let parsed = Parsed {
        positionals: vec![target.pod.clone()],
        flags: std::iter::once(("container", target.container.as_str()))
            .chain(flags.iter().copied())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        command: Vec::new(),
    };
    run(
        cluster,
        &Context::plain(&target.namespace, &Default::default()),
        &parsed,
    )
}

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Invocation {
    let namespace = parsed
        .value("namespace")
        .unwrap_or(ctx.namespace)
        .to_string();
    let selector = parsed.value("selector");
    match (parsed.positionals.len(), selector) {
        (0, None) => return Output::fail(USAGE).into(),
        (1, Some(_)) => return Output::fail("error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples").into(),
        (n, _) if n > 2 => return Output::fail(USAGE).into(),
        _ => {}
    }
    if parsed.value("container").is_some() && parsed.positionals.len() == 2 {
        return Output::error("only one of -c or an inline [CONTAINER] arg is allowed").into();
    }
    let container = parsed
        .value("container")
        .or(parsed.positionals.get(1).map(String::as_str));
    if parsed.bool("all-containers") && container.is_some() {
        return Output::error(format!(
            "--all-containers=true should not be specified with container name {}",
            container.unwrap_or_default()
        ))
        .into();
    }
    let window = match Window::of(parsed, cluster.now()) {
        Ok(window) => window,
        Err(err) => return Output::error(err).into(),
    };
    let tail = match parsed.int("tail") {
        Some(n) if n < -1 => {
            return Output::error("--tail must be greater than or equal to -1").into()
        }
        n => n.and_then(|n| usize::try_from(n).ok()),
    };
    container::start_up(cluster);
    let mut out = Output::default();
    let pods: Vec<Pod> = match selector {
        Some(text) => {
            let selector = match Selector::parse(text) {
                Ok(s) => s,
                Err(err) => return Output::error(err).into(),
            };
            let matching: Vec<Pod> = cluster
                .store()
                .list_typed::<Pod>(&namespace)
                .filter(|p| selector.matches(p.metadata.labels.as_ref()))
                .cloned()
                .collect();
            if matching.is_empty() {
                out.err(format!("No resources found in {namespace} namespace."));
            }
            matching
        }
        None => match find_pod(cluster, &namespace, &parsed.positionals[0], Purpose::Logs) {
            Ok(Chosen { pod, among }) => {
                if let Some(count) = among.filter(|&n| n > 1) {
                    out.err(format!(
                        "Found {count} pods, using pod/{}",
                        pod.metadata.name.as_deref().unwrap_or("")
                    ));
                }
                vec![pod]
            }
            Err(NoPod::NotFound(kind, name)) => {
                return Output::error(format!(
                    "error from server (NotFound): {} \"{name}\" not found in namespace \"{namespace}\"",
                    kind.qualified_plural()
                ))
                .into();
            }
            Err(NoPod::Failed(err)) => return err.into(),
        },
    };
    // A selector shows the last 10 lines of each pod unless --tail says otherwise.
    let tail = if selector.is_some() && parsed.value("tail").is_none() {
        Some(10)
    } else {
        tail
    };
    let timestamps = parsed.bool("timestamps");
    let mut follows = Vec::new();
    for pod in &pods {
        let pod_name = pod.metadata.name.clone().unwrap_or_default();
        let names: Vec<String> = if parsed.bool("all-containers") {
            pod.spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .map(|c| c.name.clone())
                .collect()
        } else {
            match choose_container(pod, container, selector.is_some(), &mut out) {
                Ok(name) => vec![name],
                Err(bad) => {
                    out.merge(Output::error(format!(
                        "container {bad} is not valid for pod {pod_name}"
                    )));
                    return out.into();
                }
            }
        };
        for name in names {
            let prefix = (parsed.bool("prefix")
                || parsed.bool("all-containers") && selector.is_some())
            .then(|| format!("[pod/{pod_name}/{name}] "));
            match read(cluster, pod, &name, parsed.bool("previous")) {
                Ok((lines, container_id)) => {
                    let recent = lines.partition_point(|l| l.at < window.since);
                    let shown = match tail {
                        Some(n) => &lines[lines.len().saturating_sub(n).max(recent)..],
                        None => &lines[recent..],
                    };
                    let text = render(shown, timestamps, prefix.as_deref(), window.limit);
                    // The stream ends where its byte limit cuts it.
                    let cut = window.limit.is_some_and(|limit| text.len() >= limit);
                    out.print(&text);
                    if let Some(container_id) = container_id.filter(|_| !cut) {
                        let target = Target {
                            namespace: namespace.clone(),
                            pod: pod_name.clone(),
                            container: name.clone(),
                        };
                        let uid = pod.metadata.uid.clone().unwrap_or_default();
                        follows.push(LogFollow {
                            target,
                            uid,
                            container_id,
                            printed: lines.len(),
                            timestamps,
                            prefix,
                        });
                    }
                }
                Err(message) => {
                    out.merge(Output::fail(format!(
                        "Error from server (BadRequest): {message}"
                    )));
                    return out.into();
                }
            }
        }
    }
    let follow = (parsed.bool("follow") && !parsed.bool("previous") && follows.len() == 1)
        .then(|| follows.remove(0));
    if parsed.bool("follow") && follows.len() > 1 {
        out.merge(Output::error(
            "stsplay follows one container at a time; name one pod and container to use -f",
        ));
    }
    Invocation {
        attach: follow.map(Attach::Logs),
        ..out.into()
    }
}

/// Which of the lines `--since`/`--since-time` ask for (those written at or
/// after `since`), and `--limit-bytes`, as ToLogOptions and Validate read them.
struct Window {
    since: Millis,
    limit: Option<usize>,
}

impl Window {
    fn of(parsed: &Parsed, now: Millis) -> Result<Window, String> {
        let since_time = match parsed.value("since-time") {
            Some(text) => Some(parse_rfc3339(text)?),
            None => None,
        };
        let since = parsed.value("since");
        if since_time.is_some()
            && since.is_some_and(|s| parsed.duration("since") != Some(0) || s.starts_with('-'))
        {
            return Err(
                "at most one of `sinceTime` or `sinceSeconds` may be specified".to_string(),
            );
        }
        let limit = parsed.int("limit-bytes").unwrap_or(0);
        if limit < 0 {
            return Err("--limit-bytes must be greater than 0".to_string());
        }
        if since.is_some_and(|s| s.starts_with('-')) {
            return Err("--since must be greater than 0".to_string());
        }
        // The duration is rounded to seconds, a time truncated to them (metav1.Time).
        let since = match (since_time, parsed.duration("since")) {
            (Some(at), _) => {
                let at =
                    clock::millis_of(&k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(at));
                at / SECOND * SECOND
            }
            (None, Some(ago)) if ago > 0 => {
                let seconds = (ago + SECOND / 2) / SECOND;
                now.saturating_sub(seconds * SECOND)
            }
            _ => 0,
        };
        Ok(Window {
            since,
            limit: usize::try_from(limit).ok().filter(|&l| l > 0),
        })
    }
}

/// The lines the kubelet serves for one container, as its `validateContainerLogStatus`
/// decides which run they come from; with the run's container id when it can be followed.
fn read(
    cluster: &Cluster,
    pod: &Pod,
    container: &str,
    previous: bool,
) -> Result<(Vec<LogLine>, Option<String>), String> {
    let pod_name = pod.metadata.name.as_deref().unwrap_or("");
    if pods::node_name(pod).is_none() {
        return Ok((Vec::new(), None));
    }
    let status = pod_containers::status(pod, container).ok_or_else(|| {
        format!("container \"{container}\" in pod \"{pod_name}\" is not available")
    })?;
    let state = status.state.clone().unwrap_or_default();
    let last_terminated = status
        .last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref());
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let runs = cluster
        .runtime
        .containers
        .get(&(uid, container.to_string()));
    let current = runs.and_then(|r| r.current.as_ref());
    // While a container waits to restart, its last run is still the current one here.
    let waiting = state.waiting.is_some();
    let run = if previous {
        if last_terminated.is_none() {
            return Err(format!(
                "previous terminated container \"{container}\" in pod \"{pod_name}\" not found"
            ));
        }
        if waiting {
            current
        } else {
            runs.and_then(|r| r.previous.as_ref())
        }
    } else if state.running.is_some()
        || state.terminated.is_some()
        || (waiting && last_terminated.is_some())
    {
        current
    } else if let Some(reason) = state.waiting.and_then(|w| w.reason) {
        let why = match reason.as_str() {
            "ErrImagePull" => "image can't be pulled".to_string(),
            "ImagePullBackOff" => "trying and failing to pull image".to_string(),
            other => other.to_string(),
        };
        return Err(format!(
            "container \"{container}\" in pod \"{pod_name}\" is waiting to start: {why}"
        ));
    } else {
        return Err(format!(
            "container \"{container}\" in pod \"{pod_name}\" is waiting to start - no logs yet"
        ));
    };
    let followable = (state.running.is_some() && !previous)
        .then(|| current.map(|r| r.container_id.clone()))
        .flatten();
    Ok((
        run.map(|r| r.lines.iter().cloned().collect())
            .unwrap_or_default(),
        followable,
    ))
}

/// The lines as the kubelet streams them (with `--timestamps` stamped, cut
/// after `limit` bytes), then kubectl's `--prefix` on each.
fn render(
    lines: &[LogLine],
    timestamps: bool,
    prefix: Option<&str>,
    limit: Option<usize>,
) -> String {
    let stream: String = lines
        .iter()
        .map(|line| {
            // The kubelet's RFC 3339 timestamps have nanoseconds; virtual time has milliseconds.
            let stamp = if timestamps {
                format!(
                    "{}.{:03}000000Z ",
                    timestamp(line.at).strftime("%Y-%m-%dT%H:%M:%S"),
                    line.at % 1000
                )
            } else {
                String::new()
            };
            format!("{stamp}{}\n", line.text)
        })
        .collect();
    let mut end = limit.unwrap_or(usize::MAX).min(stream.len());
    while !stream.is_char_boundary(end) {
        end -= 1;
    }
    let stream = &stream[..end];
    match prefix {
        None => stream.to_string(),
        Some(prefix) => stream
            .split_inclusive('\n')
            .map(|line| format!("{prefix}{line}"))
            .collect(),
    }
}
