//! `kubectl rollout status`: one line per ADDED/MODIFIED event of the
//! StatefulSet until the rollout is done (§3.9), the timeout passes, or
//! the playground's bound is reached (see `kubectl::waiting`).

use std::rc::Rc;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};

use super::unsupported;
use crate::kubectl::args::Parsed;
use crate::kubectl::blocking::DEFAULT_LIMIT;
use crate::kubectl::output::Output;
use crate::kubectl::waiting::Deadline;
use crate::sim::object::Object;
use crate::sim::{Cluster, EventType, WatchEvent};

/// The status line for one state of a StatefulSet, Deployment or
/// DaemonSet, and whether the rollout is done (kubectl's status viewers).
/// None for a kind kubectl has no status viewer for.
fn status(object: &Object) -> Option<Result<(String, bool), String>> {
    Some(match object {
        Object::StatefulSet(set) => statefulset_status(set),
        Object::Deployment(deployment) => Ok(deployment_status(deployment)),
        Object::DaemonSet(set) => daemon_set_status(set),
        _ => return None,
    })
}

fn deployment_status(deployment: &Deployment) -> (String, bool) {
    let name = deployment.metadata.name.as_deref().unwrap_or("");
    let status = deployment.status.clone().unwrap_or_default();
    if deployment.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
        return (
            "Waiting for deployment spec update to be observed...".to_string(),
            false,
        );
    }
    let wanted = deployment
        .spec
        .as_ref()
        .and_then(|s| s.replicas)
        .unwrap_or(1);
    let updated = status.updated_replicas.unwrap_or(0);
    let total = status.replicas.unwrap_or(0);
    let available = status.available_replicas.unwrap_or(0);
    let waiting = |what: String| {
        (
            format!("Waiting for deployment \"{name}\" rollout to finish: {what}..."),
            false,
        )
    };
    if updated < wanted {
        return waiting(format!(
            "{updated} out of {wanted} new replicas have been updated"
        ));
    }
    if total > updated {
        return waiting(format!(
            "{} old replicas are pending termination",
            total - updated
        ));
    }
    if available < updated {
        return waiting(format!(
            "{available} of {updated} updated replicas are available"
        ));
    }
    (
        format!("deployment \"{name}\" successfully rolled out"),
        true,
    )
}

fn daemon_set_status(set: &DaemonSet) -> Result<(String, bool), String> {
    let name = set.metadata.name.as_deref().unwrap_or("");
    let strategy = set
        .spec
        .as_ref()
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|s| s.type_.as_deref());
    if strategy != Some("RollingUpdate") {
        return Err("rollout status is only available for RollingUpdate strategy type".to_string());
    }
    let status = set.status.clone().unwrap_or_default();
    if set.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
        return Ok((
            "Waiting for daemon set spec update to be observed...".to_string(),
            false,
        ));
    }
    let desired = status.desired_number_scheduled;
    let updated = status.updated_number_scheduled.unwrap_or(0);
    let available = status.number_available.unwrap_or(0);
    let waiting = |what: String| {
        Ok((
            format!("Waiting for daemon set \"{name}\" rollout to finish: {what}..."),
            false,
        ))
    };
    if updated < desired {
        return waiting(format!(
            "{updated} out of {desired} new pods have been updated"
        ));
    }
    if available < desired {
        return waiting(format!(
            "{available} of {desired} updated pods are available"
        ));
    }
    Ok((
        format!("daemon set \"{name}\" successfully rolled out"),
        true,
    ))
}

fn statefulset_status(set: &StatefulSet) -> Result<(String, bool), String> {
    let spec = set.spec.clone().unwrap_or_default();
    let status = set.status.clone().unwrap_or_default();
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    if strategy.type_.as_deref() != Some("RollingUpdate") {
        return Err("rollout status is only available for RollingUpdate strategy type".to_string());
    }
    let generation = set.metadata.generation.unwrap_or(0);
    let observed = status.observed_generation.unwrap_or(0);
    if observed == 0 || generation > observed {
        return Ok((
            "Waiting for statefulset spec update to be observed...".to_string(),
            false,
        ));
    }
    let replicas = spec.replicas.unwrap_or(1);
    let ready = status.ready_replicas.unwrap_or(0);
    if ready < replicas {
        return Ok((
            format!("Waiting for {} pods to be ready...", replicas - ready),
            false,
        ));
    }
    let updated = status.updated_replicas.unwrap_or(0);
    if let Some(rolling) = &strategy.rolling_update {
        if let Some(partition) = rolling.partition {
            if updated < replicas - partition {
                return Ok((
                    format!(
                        "Waiting for partitioned roll out to finish: {updated} out of {} new pods have been updated...",
                        replicas - partition
                    ),
                    false,
                ));
            }
        }
        return Ok((
            format!("partitioned roll out complete: {updated} new pods have been updated..."),
            true,
        ));
    }
    let current = status.current_revision.clone().unwrap_or_default();
    let update = status.update_revision.clone().unwrap_or_default();
    if update != current {
        return Ok((format!("waiting for statefulset rolling update to complete {updated} pods at revision {update}..."), false));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {current}...",
            status.current_replicas.unwrap_or(0)
        ),
        true,
    ))
}

/// What a relist shows: the stored set, or its deletion when it is gone.
fn relist(cluster: &Cluster, object: &Rc<Object>) -> Vec<WatchEvent> {
    let (ty, object) = match cluster.store().get(&object.key()) {
        Some(current) => (EventType::Modified, current.clone()),
        None => (EventType::Deleted, object.clone()),
    };
    vec![WatchEvent {
        ty,
        object,
        at: cluster.now(),
        status_only: false,
    }]
}

/// The first status line, and the rollout it then follows (`--watch`, the
/// default) unless that line says it is done.
pub fn run(cluster: &Cluster, object: &Rc<Object>, parsed: &Parsed) -> (Output, Option<Follow>) {
    let Some(first) = status(object) else {
        return (unsupported(object, "status"), None);
    };
    let timeout = parsed.duration("timeout").filter(|ms| *ms != 0);
    let watch = parsed.value("watch").is_none_or(|w| w != "false");
    let mut out = Output::default();
    match first {
        Err(err) => (Output::error(err), None),
        Ok((line, done)) => {
            out.out(line);
            if done || !watch {
                return (out, None);
            }
            let follow = Follow {
                object: object.clone(),
                cursor: cluster.store().resource_version(),
                deadline: Deadline {
                    at: cluster
                        .now()
                        .saturating_add(timeout.unwrap_or(DEFAULT_LIMIT)),
                    kubectl: timeout.is_some(),
                },
            };
            (out, Some(follow))
        }
    }
}

/// A rollout being followed: one line per change of the object, as the
/// watch kubectl runs delivers them, until the status viewer says done.
#[derive(Clone, Debug)]
pub struct Follow {
    object: Rc<Object>,
    /// The resourceVersion of the last change seen.
    cursor: u64,
    pub(in crate::kubectl) deadline: Deadline,
}

impl Follow {
    pub(in crate::kubectl) fn check(&mut self, cluster: &Cluster, out: &mut Output) -> bool {
        let key = self.object.key();
        let events: Vec<_> = match cluster.store().changes_since(self.cursor) {
            Ok(changes) => changes
                .iter()
                .filter(|e| e.object.key() == key)
                .cloned()
                .collect(),
            // 410 Gone: kubectl's informer relists, and the object as it is
            // now stands for the changes that were compacted away.
            Err(_) => relist(cluster, &self.object),
        };
        self.cursor = cluster.store().resource_version();
        for event in events {
            if event.ty == EventType::Deleted {
                out.merge(Output::error("object has been deleted"));
                return true;
            }
            // The same key, so the same kind: it has a status.
            let Some(now) = status(&event.object) else {
                continue;
            };
            match now {
                Err(err) => {
                    out.merge(Output::error(err));
                    return true;
                }
                Ok((line, done)) => {
                    out.out(line);
                    if done {
                        return true;
                    }
                }
            }
        }
        false
    }

    pub(in crate::kubectl) fn expire(&self, out: &mut Output) {
        if self.deadline.kubectl {
            out.merge(Output::error("timed out waiting for the condition"));
        } else {
            out.merge(Output::fail(
                "stsplay: stopped waiting after 10m of simulated time; the rollout has not finished (kubectl would keep waiting until Ctrl+C)",
            ));
        }
    }
}
