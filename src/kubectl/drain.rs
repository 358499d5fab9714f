//! `kubectl drain`: cordon the node, then evict its pods and wait until
//! each is gone (its controller may recreate it elsewhere), as kubectl's
//! drain helper does. Blocking: it waits as `kubectl::waiting` says.

use std::collections::VecDeque;
use std::rc::Rc;

use k8s_openapi::api::core::v1::Pod;

use super::args::{Parsed, Spec, Takes};
use super::blocking::DEFAULT_LIMIT;
use super::cordon::{nodes, set_unschedulable};
use super::dry_run::DryRun;
use super::output::Output;
use super::selector::Selector;
use super::waiting::Deadline;
use crate::sim::clock::{millis_of, Millis, SECOND};
use crate::sim::errors::Reason;
use crate::sim::eviction;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;
use crate::sim::{Cluster, DeleteOptions};

pub const SPEC: Spec = Spec {
    flags: &[
        ("selector", Some('l'), Takes::Value),
        ("pod-selector", None, Takes::Value),
        ("ignore-daemonsets", None, Takes::Bool),
        ("delete-emptydir-data", None, Takes::Bool),
        ("force", None, Takes::Bool),
        ("grace-period", None, Takes::Int),
        ("timeout", None, Takes::Duration),
        ("disable-eviction", None, Takes::Bool),
        ("skip-wait-for-delete-timeout", None, Takes::Int),
        ("chunk-size", None, Takes::Value),
        ("dry-run", None, Takes::Value),
    ],
    not_simulated: &[],
};

/// How long kubectl waits before it asks again for an eviction a budget refused.
const RETRY: Millis = 5 * SECOND;

const DAEMON_SET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMON_SET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const UNMANAGED_FATAL: &str =
    "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";
const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";

/// Cordons the nodes; the drain itself then goes node by node as it is
/// checked (see [`Drain`]).
pub fn run(cluster: &mut Cluster, parsed: &Parsed) -> (Output, Option<Drain>) {
    let pod_selector = match parsed
        .value("pod-selector")
        .map(Selector::parse)
        .transpose()
    {
        Ok(s) => s.unwrap_or_default(),
        Err(_) => {
            let message = "--pod-selector=<pod_selector> must be a valid label selector";
            return (Output::error(message), None);
        }
    };
    let dry_run = match DryRun::from_flag(parsed) {
        Ok(DryRun::Server) => {
            let refused = "stsplay simulates kubectl drain --dry-run=client (what would be evicted); --dry-run=server is not simulated";
            return (Output::error(refused), None);
        }
        Ok(dry_run) => dry_run,
        Err(err) => return (Output::error(err), None),
    };
    let targets = match nodes(cluster, parsed, "drain") {
        Ok(nodes) => nodes,
        Err(out) => return (out, None),
    };
    let mut out = Output::default();
    let mut copy = None;
    for node in &targets {
        let target = dry_run.cluster(cluster, &mut copy);
        out.merge(set_unschedulable(target, node, true, dry_run.note()));
    }
    let drain = Drain {
        parsed: parsed.clone(),
        pod_selector,
        timeout: parsed.duration("timeout").filter(|t| *t > 0),
        removal: Removal {
            options: DeleteOptions {
                grace_seconds: parsed.int("grace-period").filter(|g| *g >= 0),
                ..Default::default()
            },
            delete: parsed.bool("disable-eviction"),
        },
        nodes: targets.into_iter().collect(),
        current: None,
        pending: Vec::new(),
        note: dry_run.note(),
    };
    if dry_run == DryRun::Client {
        drain.preview(cluster, &mut out);
        return (out, None);
    }
    (out, Some(drain))
}

/// The nodes still to drain, one after another, and the evictions of the
/// one being drained.
#[derive(Clone, Debug)]
pub struct Drain {
    parsed: Parsed,
    pod_selector: Selector,
    /// `--timeout`, for each node in turn.
    timeout: Option<Millis>,
    removal: Removal,
    nodes: VecDeque<Rc<Object>>,
    current: Option<(Rc<Object>, Evictions)>,
    /// Nodes that could not be drained, and why.
    pending: Vec<(String, String)>,
    /// What a dry run adds to the `drained` line.
    note: &'static str,
}

impl Drain {
    pub(super) fn check(&mut self, cluster: &mut Cluster, out: &mut Output) -> bool {
        loop {
            let Some((node, evictions)) = self.current.as_mut() else {
                let Some(node) = self.nodes.pop_front() else {
                    self.report_pending(out);
                    return true;
                };
                match plan(cluster, &self.parsed, &node, &self.pod_selector, out) {
                    Ok(evictions) => {
                        let deadline = cluster
                            .now()
                            .saturating_add(self.timeout.unwrap_or(DEFAULT_LIMIT));
                        self.current = Some((node, Evictions::new(evictions, deadline)));
                    }
                    Err(err) => self.node_done(&node, Err(err), out),
                }
                continue;
            };
            let Some(result) = evictions.go_on(cluster, &self.removal, node, out) else {
                return false;
            };
            let node = node.clone();
            self.current = None;
            self.node_done(&node, result, out);
        }
    }

    /// When the node being drained gives up: its --timeout, or the
    /// playground's bound without one.
    pub(super) fn deadline(&self) -> Deadline {
        let at = self
            .current
            .as_ref()
            .map_or(Millis::MAX, |(_, e)| e.deadline);
        Deadline {
            at,
            kubectl: self.timeout.is_some(),
        }
    }

    /// The next time kubectl asks again for an eviction a budget refused.
    pub(super) fn wake_at(&self) -> Option<Millis> {
        let (_, evictions) = self.current.as_ref()?;
        evictions.tries.iter().map(|(_, at)| *at).min()
    }

    /// The node being drained ran out of time; the drain goes on with the
    /// next node, and says whether it is done.
    pub(super) fn expire(&mut self, cluster: &mut Cluster, out: &mut Output) -> bool {
        if let Some((node, mut evictions)) = self.current.take() {
            let error = timed_out(
                &self.parsed,
                self.timeout,
                &evictions.tries,
                &evictions.waiting,
            );
            evictions.errors.push(error);
            let result = evictions.result(&node, out);
            self.node_done(&node, result, out);
        }
        self.check(cluster, out)
    }

    /// A client dry run: each node's pods that would be evicted, after
    /// kubectl's filters, and nothing evicted.
    fn preview(mut self, cluster: &Cluster, out: &mut Output) {
        while let Some(node) = self.nodes.pop_front() {
            let result = plan(cluster, &self.parsed, &node, &self.pod_selector, out).map(|pods| {
                for pod in pods {
                    out.out(format!(
                        "evicting pod {}/{} (dry run)",
                        pod.namespace(),
                        pod.name()
                    ));
                }
            });
            self.node_done(&node, result, out);
        }
        self.report_pending(out);
    }

    fn node_done(&mut self, node: &Object, result: Result<(), String>, out: &mut Output) {
        match result {
            Ok(()) => out.out(format!("node/{} drained{}", node.name(), self.note)),
            Err(err) => {
                out.err(format!(
                    "error: unable to drain node {:?} due to error: {err}, continuing command...",
                    node.name()
                ));
                self.pending.push((node.name().to_string(), err));
            }
        }
    }

    fn report_pending(&mut self, out: &mut Output) {
        if self.pending.is_empty() {
            return;
        }
        out.err("There are pending nodes to be drained:");
        for (name, _) in &self.pending {
            out.err(format!(" {name}"));
        }
        let errors: Vec<String> = std::mem::take(&mut self.pending)
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        out.merge(Output::error(super::output::aggregate(&errors)));
    }
}

/// The node's pods to evict, after kubectl's filters have had their say;
/// Err is kubectl's reason not to drain it.
fn plan(
    cluster: &Cluster,
    parsed: &Parsed,
    node: &Object,
    pod_selector: &Selector,
    out: &mut Output,
) -> Result<Vec<Rc<Object>>, String> {
    let pods: Vec<Rc<Object>> = cluster
        .store()
        .list(Kind::Pod)
        .filter(|o| {
            o.as_typed::<Pod>()
                .and_then(|p| p.spec.as_ref())
                .and_then(|s| s.node_name.as_deref())
                == Some(node.name())
        })
        .filter(|o| pod_selector.matches(o.meta().labels.as_ref()))
        .cloned()
        .collect();
    let mut fatal: Vec<(&str, String)> = Vec::new();
    let mut warnings: Vec<(&str, String)> = Vec::new();
    let mut evict = Vec::new();
    // kubectl's first filter: a pod deleted longer ago than
    // --skip-wait-for-delete-timeout is neither evicted nor waited for.
    let skip_after = parsed
        .int("skip-wait-for-delete-timeout")
        .filter(|s| *s > 0)
        .map(|s| u64::try_from(s).unwrap_or(0) * SECOND);
    for object in &pods {
        let Some(pod) = object.as_typed::<Pod>() else {
            continue;
        };
        let name = format!("{}/{}", object.namespace(), object.name());
        let finished = matches!(
            pod.status.as_ref().and_then(|s| s.phase.as_deref()),
            Some("Succeeded" | "Failed")
        );
        let local_storage = pod
            .spec
            .iter()
            .flat_map(|s| s.volumes.iter().flatten())
            .any(|v| v.empty_dir.is_some());
        let deleted_at = pod.metadata.deletion_timestamp.as_ref().map(millis_of);
        if let (Some(after), Some(at)) = (skip_after, deleted_at) {
            if cluster.now().saturating_sub(at) > after {
                continue;
            }
        }
        let controller = object.controller();
        // A DaemonSet's pod would be back at once, whatever the node says;
        // a mirror pod is its node's own. kubectl's filters stop at either.
        if !finished && controller.is_some_and(|c| c.kind == "DaemonSet") {
            if parsed.bool("ignore-daemonsets") {
                warnings.push((DAEMON_SET_WARNING, name));
            } else {
                fatal.push((DAEMON_SET_FATAL, name));
            }
            continue;
        }
        if pods::is_mirror(pod) {
            continue;
        }
        let unmanaged = controller.is_none();
        // Like kubectl's filters, the last one that has something to say wins.
        let mut verdict: Option<(bool, &str)> = None;
        if local_storage && !finished {
            verdict = Some(if parsed.bool("delete-emptydir-data") {
                (false, LOCAL_STORAGE_WARNING)
            } else {
                (true, LOCAL_STORAGE_FATAL)
            });
        }
        if unmanaged && !finished {
            verdict = Some(if parsed.bool("force") {
                (false, UNMANAGED_WARNING)
            } else {
                (true, UNMANAGED_FATAL)
            });
        }
        match verdict {
            Some((true, message)) => fatal.push((message, name)),
            Some((false, message)) => {
                warnings.push((message, name));
                evict.push(object.clone());
            }
            None => evict.push(object.clone()),
        }
    }
    if !fatal.is_empty() {
        return Err(grouped(&fatal)
            .into_iter()
            .map(|m| format!("cannot delete {m}"))
            .collect::<Vec<_>>()
            .join(", "));
    }
    if !warnings.is_empty() {
        out.err(format!("Warning: {}", grouped(&warnings).join("; ")));
    }
    Ok(evict)
}

/// How drain removes a pod: through the eviction API, or with a plain
/// delete (`--disable-eviction`), with `--grace-period`.
#[derive(Clone, Debug)]
struct Removal {
    options: DeleteOptions,
    delete: bool,
}

/// One node's evictions: each pod's next try (again 5 s after a disruption
/// budget says no), the evicted pods not gone yet, and what failed.
#[derive(Clone, Debug)]
struct Evictions {
    tries: Vec<(ObjectKey, Millis)>,
    waiting: Vec<(ObjectKey, String)>,
    errors: Vec<String>,
    evict: Vec<Rc<Object>>,
    deadline: Millis,
}

impl Evictions {
    /// kubectl tries every pod at once.
    fn new(evict: Vec<Rc<Object>>, deadline: Millis) -> Evictions {
        Evictions {
            tries: evict.iter().map(|o| (o.key(), 0)).collect(),
            waiting: Vec::new(),
            errors: Vec::new(),
            evict,
            deadline,
        }
    }

    /// Tries the evictions that are due and notes the pods that are gone;
    /// the node's result once nothing is left to try or wait for.
    fn go_on(
        &mut self,
        cluster: &mut Cluster,
        removal: &Removal,
        node: &Object,
        out: &mut Output,
    ) -> Option<Result<(), String>> {
        let verb = if removal.delete { "deleted" } else { "evicted" };
        let now = cluster.now();
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.tries)
            .into_iter()
            .partition(|(_, at)| *at <= now);
        self.tries = later;
        for (key, _) in due {
            out.out(format!("evicting pod {}/{}", key.namespace, key.name));
            let uid = cluster
                .store()
                .get(&key)
                .map(|o| o.uid().to_string())
                .unwrap_or_default();
            let result = if removal.delete {
                cluster.delete(&key, &removal.options).map(|_| ())
            } else {
                eviction::evict(cluster, &key, &removal.options)
            };
            match result {
                Ok(()) => self.waiting.push((key, uid)),
                Err(err) if err.reason == Reason::NotFound => {}
                Err(err) if err.reason == Reason::TooManyRequests => {
                    out.err(format!(
                        "error when evicting pods/{:?} -n {:?} (will retry after 5s): {err}",
                        key.name, key.namespace
                    ));
                    self.tries.push((key, now + RETRY));
                }
                Err(err) => self.errors.push(format!(
                    "error when evicting pods/{:?} -n {:?}: {err}",
                    key.name, key.namespace
                )),
            }
        }
        self.waiting.retain(|(key, uid)| {
            let gone = cluster.store().get(key).is_none_or(|o| o.uid() != uid);
            if gone {
                out.out(format!("pod/{} {verb}", key.name));
            }
            !gone
        });
        if !(self.tries.is_empty() && self.waiting.is_empty()) {
            return None;
        }
        Some(self.result(node, out))
    }

    /// The node's result: drained, or kubectl's report of the pods left.
    fn result(&self, node: &Object, out: &mut Output) -> Result<(), String> {
        if self.errors.is_empty() {
            return Ok(());
        }
        let err = super::output::aggregate(&self.errors);
        out.err(format!(
            "There are pending pods in node {:?} when an error occurred: {err}",
            node.name()
        ));
        for object in &self.evict {
            out.err(format!("pod/{}", object.name()));
        }
        Err(err)
    }
}

/// Why drain gave up waiting: kubectl's global timeout, or the playground's
/// own bound when no --timeout was given.
fn timed_out(
    parsed: &Parsed,
    timeout: Option<u64>,
    tries: &[(ObjectKey, Millis)],
    waiting: &[(ObjectKey, String)],
) -> String {
    let key = tries
        .first()
        .map(|(k, _)| k)
        .or(waiting.first().map(|(k, _)| k));
    let (name, namespace) = key.map_or(("", ""), |k| (k.name.as_str(), k.namespace.as_str()));
    if timeout.is_some() {
        format!(
            "error when evicting pods/{name:?} -n {namespace:?}: global timeout reached: {}",
            parsed.value("timeout").unwrap_or("")
        )
    } else {
        format!("stsplay stopped waiting for pod {name:?} in namespace {namespace:?} to terminate after 10m of simulated time")
    }
}

/// `message: ns/a, ns/b` per distinct message, in first-seen order.
fn grouped(items: &[(&str, String)]) -> Vec<String> {
    let mut messages: Vec<(&str, Vec<&str>)> = Vec::new();
    for (message, pod) in items {
        match messages.iter_mut().find(|(m, _)| m == message) {
            Some((_, pods)) => pods.push(pod),
            None => messages.push((message, vec![pod])),
        }
    }
    messages
        .into_iter()
        .map(|(m, pods)| format!("{m}: {}", pods.join(", ")))
        .collect()
}
