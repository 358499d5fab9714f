//! The namespace lifecycle: the apiserver's NamespaceLifecycle admission
//! (no new content in a namespace that is missing or being terminated; the
//! `default`, `kube-system` and `kube-public` namespaces may not be deleted)
//! and the namespace controller, which empties a deleted namespace and then
//! finalizes it.
//!
//! A deleted namespace stays, `Terminating`, while it holds anything. The
//! controller looks 5 s after each change to it (the delete, its own
//! condition updates); each pass deletes what is left (pods get their grace
//! period), reports what remains in the namespace's conditions, and looks
//! again after half the longest grace period of its running pods, plus a
//! second, if nothing brings that forward. When nothing is left it removes
//! its `kubernetes` finalizer from `spec.finalizers`, and the namespace is
//! gone.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Namespace, NamespaceCondition, Pod};

use crate::sim::clock::{time, Millis, SECOND};
use crate::sim::cluster::{Cluster, DeleteOptions, Task};
use crate::sim::errors::ApiError;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::pods;

/// The namespaces NamespaceLifecycle refuses to delete.
const IMMORTAL: [&str; 3] = ["default", "kube-system", "kube-public"];

/// How long the namespace controller lets every change to a deleted
/// namespace wait before it looks (namespaceDeletionGracePeriod: time for
/// other apiservers to refuse new content there too).
pub const DELETION_GRACE: Millis = 5 * SECOND;

/// The finalizer the namespace controller holds in `spec.finalizers`.
pub const FINALIZER: &str = "kubernetes";

/// The grace period of a pod that names none.
const DEFAULT_GRACE_SECONDS: i64 = 30;

/// Refuses deleting a namespace the cluster cannot do without.
pub fn admit_delete(key: &ObjectKey) -> Result<(), ApiError> {
    if key.kind == Kind::Namespace && IMMORTAL.contains(&key.name.as_str()) {
        return Err(ApiError::forbidden(format!(
            "namespaces \"{}\" is forbidden: this namespace may not be deleted",
            key.name
        )));
    }
    Ok(())
}

/// Refuses creating `name` of `kind` in a namespace that is missing or
/// being terminated.
pub fn admit_create(
    cluster: &Cluster,
    kind: Kind,
    namespace: &str,
    name: &str,
) -> Result<(), ApiError> {
    if !kind.namespaced() {
        return Ok(());
    }
    match cluster.store.get_named(Kind::Namespace, "", namespace) {
        None => Err(ApiError::not_found(Kind::Namespace, namespace)),
        Some(ns) if ns.is_terminating() => Err(ApiError::forbidden(format!(
            "{} \"{name}\" is forbidden: unable to create new content in namespace {namespace} because it is being terminated",
            kind.qualified_plural()
        ))),
        Some(_) => Ok(()),
    }
}

/// One pass of the namespace controller over a namespace being deleted.
pub fn sync(cluster: &mut Cluster, name: &str) {
    let Some(namespace) = cluster
        .store
        .get_typed::<Namespace>("", name)
        .filter(|ns| ns.metadata.deletion_timestamp.is_some())
        .cloned()
    else {
        return;
    };
    delete_content(cluster, name);
    let left = Remaining::in_namespace(cluster, name);
    let mut updated = namespace.clone();
    let status = updated.status.get_or_insert_with(Default::default);
    status.conditions =
        Some(left.conditions(status.conditions.as_deref().unwrap_or(&[]), cluster.now()));
    if left.is_empty() {
        if let Some(finalizers) = updated.spec.as_mut().and_then(|s| s.finalizers.as_mut()) {
            finalizers.retain(|f| f != FINALIZER);
        }
    }
    if updated != namespace {
        cluster.write(Object::Namespace(Box::new(updated)));
    }
    if !left.is_empty() {
        // namespace_controller.go waits Estimate/2 + 1 seconds.
        let wait = left.estimate_seconds / 2 + 1;
        cluster.enqueue(Task::SyncNamespace(name.to_string()), wait * SECOND);
    }
}

/// Deletes everything in the namespace that is not already going, as the
/// controller's DeleteCollection calls do (pods with their grace period,
/// owned objects in the background).
fn delete_content(cluster: &mut Cluster, namespace: &str) {
    let keys: Vec<ObjectKey> = Kind::ALL
        .into_iter()
        .filter(|kind| kind.namespaced())
        .flat_map(|kind| {
            cluster
                .store
                .list_in(kind, namespace)
                .filter(|o| !o.is_terminating())
                .map(|o| o.key())
                .collect::<Vec<_>>()
        })
        .collect();
    for key in keys {
        let _ = cluster.delete(&key, &DeleteOptions::default());
    }
}

/// What is still in a namespace after a pass.
struct Remaining {
    /// Objects per resource, as `pods.` or `statefulsets.apps`.
    resources: BTreeMap<String, usize>,
    /// Objects per finalizer they still carry.
    finalizers: BTreeMap<String, usize>,
    /// The longest grace period of a pod that has not finished.
    estimate_seconds: u64,
}

impl Remaining {
    fn in_namespace(cluster: &Cluster, namespace: &str) -> Remaining {
        let mut left = Remaining {
            resources: BTreeMap::new(),
            finalizers: BTreeMap::new(),
            estimate_seconds: 0,
        };
        for kind in Kind::ALL.into_iter().filter(|k| k.namespaced()) {
            for object in cluster.store.list_in(kind, namespace) {
                let resource = format!("{}.{}", kind.plural(), kind.group());
                *left.resources.entry(resource).or_default() += 1;
                for finalizer in object.meta().finalizers.iter().flatten() {
                    *left.finalizers.entry(finalizer.clone()).or_default() += 1;
                }
                if let Some(pod) = object.as_typed::<Pod>().filter(|p| pods::is_active(p)) {
                    let grace = pod
                        .spec
                        .as_ref()
                        .and_then(|s| s.termination_grace_period_seconds)
                        .unwrap_or(DEFAULT_GRACE_SECONDS);
                    left.estimate_seconds =
                        left.estimate_seconds.max(u64::try_from(grace).unwrap_or(0));
                }
            }
        }
        left
    }

    fn is_empty(&self) -> bool {
        self.resources.is_empty()
    }

    /// The deleter's five conditions, in its order; one that says what it
    /// said before keeps its transition time.
    fn conditions(&self, old: &[NamespaceCondition], now: u64) -> Vec<NamespaceCondition> {
        let listed = |counts: &BTreeMap<String, usize>, word: &str| -> String {
            counts
                .iter()
                .map(|(name, n)| format!("{name} {word} {n} resource instances"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let content = if self.resources.is_empty() {
            (
                "False",
                "ContentRemoved",
                "All content successfully removed".to_string(),
            )
        } else {
            (
                "True",
                "SomeResourcesRemain",
                format!(
                    "Some resources are remaining: {}",
                    listed(&self.resources, "has")
                ),
            )
        };
        let finalizers = if self.finalizers.is_empty() {
            (
                "False",
                "ContentHasNoFinalizers",
                "All content-preserving finalizers finished".to_string(),
            )
        } else {
            (
                "True",
                "SomeFinalizersRemain",
                format!(
                    "Some content in the namespace has finalizers remaining: {}",
                    listed(&self.finalizers, "in")
                ),
            )
        };
        let wanted = [
            (
                "NamespaceDeletionDiscoveryFailure",
                (
                    "False",
                    "ResourcesDiscovered",
                    "All resources successfully discovered".to_string(),
                ),
            ),
            (
                "NamespaceDeletionGroupVersionParsingFailure",
                (
                    "False",
                    "ParsedGroupVersions",
                    "All legacy kube types successfully parsed".to_string(),
                ),
            ),
            (
                "NamespaceDeletionContentFailure",
                (
                    "False",
                    "ContentDeleted",
                    "All content successfully deleted, may be waiting on finalization".to_string(),
                ),
            ),
            ("NamespaceContentRemaining", content),
            ("NamespaceFinalizersRemaining", finalizers),
        ];
        wanted
            .into_iter()
            .map(|(type_, (status, reason, message))| {
                let condition = NamespaceCondition {
                    type_: type_.to_string(),
                    status: status.to_string(),
                    reason: Some(reason.to_string()),
                    message: Some(message),
                    last_transition_time: Some(time(now)),
                };
                let same = |c: &&NamespaceCondition| {
                    c.type_ == condition.type_
                        && c.status == condition.status
                        && c.reason == condition.reason
                        && c.message == condition.message
                };
                old.iter().find(same).cloned().unwrap_or(condition)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::clock::MINUTE;

    fn create(
        cluster: &mut Cluster,
        kind: Kind,
        manifest: serde_json::Value,
    ) -> Result<(), ApiError> {
        let object = Object::from_json(kind, manifest).expect("the manifest decodes");
        cluster.create(object).map(|_| ())
    }

    fn pod(namespace: &str, name: &str) -> serde_json::Value {
        serde_json::json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"nodeName": "kind-worker", "containers": [{"name": "c", "image": "nginx"}]}
        })
    }

    #[test]
    fn a_deleted_namespace_refuses_content_is_emptied_and_then_goes() {
        let mut cluster = Cluster::new(3);
        let shop = serde_json::json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}});
        assert!(create(&mut cluster, Kind::Namespace, shop).is_ok());
        assert!(create(&mut cluster, Kind::Pod, pod("shop", "a")).is_ok());
        assert!(cluster.run_until_settled(10 * MINUTE));

        let key = ObjectKey::new(Kind::Namespace, "", "shop");
        assert!(cluster.delete(&key, &DeleteOptions::default()).is_ok());
        let refused = create(&mut cluster, Kind::Pod, pod("shop", "b")).expect_err("refused");
        assert!(refused.kubectl_text().contains(
            "pods \"b\" is forbidden: unable to create new content in namespace shop because it is being terminated"
        ));
        let terminating = cluster
            .store
            .get_typed::<Namespace>("", "shop")
            .expect("still there");
        let phase = terminating.status.as_ref().and_then(|s| s.phase.as_deref());
        assert_eq!(phase, Some("Terminating"));

        assert!(cluster.run_until_settled(10 * MINUTE));
        assert!(cluster.store.get(&key).is_none(), "the namespace is gone");
        let left = Kind::ALL
            .into_iter()
            .filter(|k| k.namespaced())
            .map(|k| cluster.store.list_in(k, "shop").count())
            .sum::<usize>();
        assert_eq!(left, 0, "nothing is left in it, Events included");
        let missing = create(&mut cluster, Kind::Pod, pod("shop", "c")).expect_err("refused");
        assert!(missing
            .kubectl_text()
            .contains("namespaces \"shop\" not found"));
    }

    #[test]
    fn the_cluster_keeps_its_own_namespaces() {
        let mut cluster = Cluster::new(3);
        for name in ["default", "kube-system", "kube-public"] {
            let key = ObjectKey::new(Kind::Namespace, "", name);
            let refused = cluster
                .delete(&key, &DeleteOptions::default())
                .expect_err("refused");
            assert!(refused.kubectl_text().contains(&format!(
                "namespaces \"{name}\" is forbidden: this namespace may not be deleted"
            )));
            assert!(cluster
                .store
                .get(&key)
                .is_some_and(|ns| !ns.is_terminating()));
        }
        let lease = ObjectKey::new(Kind::Namespace, "", "kube-node-lease");
        assert!(cluster.delete(&lease, &DeleteOptions::default()).is_ok());
    }
}
