//! Keeping a StatefulSet's ControllerRevisions: find or create the revision
//! for the current template, renumber a reverted one, drop old history.

use std::collections::BTreeSet;
use std::rc::Rc;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;

use super::revision;
use super::stateful_pods::{controller_ref, set_name};
use crate::sim::cluster::{Cluster, DeleteOptions};
use crate::sim::labels::selector_matches;
use crate::sim::object::{Kind, Object, ObjectKey};

/// The pass's revisions, as stored objects (ControllerRevisions; sharing
/// them saves copying the template data twice a pass).
pub struct Revisions {
    pub current: Rc<Object>,
    pub update: Rc<Object>,
    pub collision_count: i32,
}

pub const HASH_LABEL: &str = "controller.kubernetes.io/hash";

fn as_revision(object: &Rc<Object>) -> Option<&ControllerRevision> {
    object.as_typed::<ControllerRevision>()
}

/// The set's revisions (adopting orphans that match its selector), oldest first.
pub fn owned(cluster: &mut Cluster, set: &StatefulSet) -> Vec<Rc<Object>> {
    let namespace = set.metadata.namespace.clone().unwrap_or_default();
    let uid = set.metadata.uid.as_deref().unwrap_or("");
    let selector = set.spec.as_ref().map(|s| &s.selector);
    let mut owned = Vec::new();
    let mut orphans = Vec::new();
    for object in cluster.store.list_in(Kind::ControllerRevision, &namespace) {
        let Some(revision) = as_revision(object) else {
            continue;
        };
        let matches =
            selector.is_some_and(|s| selector_matches(s, revision.metadata.labels.as_ref()));
        match object.controller_uid() {
            Some(owner) if owner == uid => owned.push(object.clone()),
            None if matches && set.metadata.deletion_timestamp.is_none() => {
                orphans.push(revision.clone())
            }
            _ => {}
        }
    }
    for mut revision in orphans {
        revision.metadata.owner_references = Some(vec![controller_ref(set)]);
        owned.extend(cluster.write(Object::ControllerRevision(Box::new(revision))));
    }
    owned.sort_by_key(|o| {
        (
            as_revision(o).map_or(0, |r| r.revision),
            o.name().to_string(),
        )
    });
    owned
}

/// Step 1 of a pass: the current and update revisions. `data` is the
/// set's revision data ([`revision::revision_value`]).
pub fn sync(
    cluster: &mut Cluster,
    set: &StatefulSet,
    data: &serde_json::Value,
) -> Option<Revisions> {
    let history = owned(cluster, set);
    let mut collision_count = set
        .status
        .as_ref()
        .and_then(|s| s.collision_count)
        .unwrap_or(0);
    let newest = history.last().and_then(as_revision).map(|r| r.revision);
    let next_number = newest.map_or(1, |n| n + 1);
    let same_data = |r: &ControllerRevision| r.data.as_ref().is_some_and(|d| d.0 == *data);
    let equal = history
        .iter()
        .rev()
        .filter_map(|o| Some((o, as_revision(o)?)))
        .find(|(_, r)| same_data(r));
    let update = match equal {
        Some((latest, r)) if Some(r.revision) == newest => latest.clone(),
        Some((_, older)) => {
            // A revert: the old revision becomes the newest again, keeping its name.
            let mut renumbered = older.clone();
            renumbered.revision = next_number;
            let renumbered = Object::ControllerRevision(Box::new(renumbered));
            cluster
                .write(renumbered.clone())
                .unwrap_or_else(|| Rc::new(renumbered))
        }
        None => {
            let text = data.to_string();
            loop {
                let hash = revision::hash(&text, collision_count);
                let name = revision::name(set_name(set), &hash);
                let candidate = new_revision(set, &name, &hash, data, next_number);
                match cluster.create(Object::ControllerRevision(Box::new(candidate))) {
                    Ok(created) => break created,
                    Err(_) => {
                        let namespace = set.metadata.namespace.as_deref().unwrap_or("");
                        let existing =
                            cluster
                                .store
                                .get_named(Kind::ControllerRevision, namespace, &name)?;
                        if as_revision(existing).is_some_and(same_data) {
                            break existing.clone();
                        }
                        collision_count += 1;
                    }
                }
            }
        }
    };
    let current_name = set
        .status
        .as_ref()
        .and_then(|s| s.current_revision.as_deref());
    let namespace = set.metadata.namespace.as_deref().unwrap_or("");
    let current = current_name
        .and_then(|n| {
            cluster
                .store
                .get_named(Kind::ControllerRevision, namespace, n)
                .cloned()
        })
        .unwrap_or_else(|| update.clone());
    Some(Revisions {
        current,
        update,
        collision_count,
    })
}

fn new_revision(
    set: &StatefulSet,
    name: &str,
    hash: &str,
    data: &serde_json::Value,
    number: i64,
) -> ControllerRevision {
    let mut labels = set
        .spec
        .as_ref()
        .and_then(|s| s.template.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    labels.insert(HASH_LABEL.to_string(), hash.to_string());
    // newRevision copies every annotation of the set, kubectl's
    // last-applied-configuration included.
    let annotations = set.metadata.annotations.clone();
    ControllerRevision {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: set.metadata.namespace.clone(),
            labels: Some(labels),
            annotations: annotations.filter(|a| !a.is_empty()),
            owner_references: Some(vec![controller_ref(set)]),
            ..Default::default()
        },
        data: Some(RawExtension(data.clone())),
        revision: number,
    }
}

/// Deletes the oldest revisions nobody uses beyond revisionHistoryLimit.
/// `live` are the revisions the set's pods run.
pub fn truncate_history<'a>(
    cluster: &mut Cluster,
    set: &StatefulSet,
    live: impl Iterator<Item = &'a str>,
    current: &'a ControllerRevision,
    update: &'a ControllerRevision,
) {
    let limit = set
        .spec
        .as_ref()
        .and_then(|s| s.revision_history_limit)
        .unwrap_or(10);
    if limit < 0 {
        return;
    }
    let mut live: BTreeSet<&str> = live.collect();
    live.extend(current.metadata.name.as_deref());
    live.extend(update.metadata.name.as_deref());
    let namespace = set.metadata.namespace.clone().unwrap_or_default();
    let uid = set.metadata.uid.clone().unwrap_or_default();
    let history: Vec<String> = {
        let mut owned: Vec<&ControllerRevision> = cluster
            .store
            .list_typed::<ControllerRevision>(&namespace)
            .filter(|r| {
                r.metadata
                    .owner_references
                    .iter()
                    .flatten()
                    .any(|o| o.uid == uid)
            })
            .filter(|r| !live.contains(r.metadata.name.as_deref().unwrap_or("")))
            .collect();
        owned.sort_by_key(|r| r.revision);
        owned
            .iter()
            .filter_map(|r| r.metadata.name.clone())
            .collect()
    };
    let excess = history.len().saturating_sub(limit as usize);
    for name in history.into_iter().take(excess) {
        let key = ObjectKey::new(Kind::ControllerRevision, &namespace, &name);
        let _ = cluster.delete(&key, &DeleteOptions::default());
    }
}
