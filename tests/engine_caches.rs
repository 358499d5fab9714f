//! Controllers keep derived state between syncs (the StatefulSet
//! controller's view of its pods, …) and a copy of the cluster starts
//! without it (`sim::rebuilt`). A run that copies the cluster after every
//! task, so every sync rebuilds from the store, must give the same
//! transcript, and the same explanations after every task, as a run that
//! keeps the caches.

mod common;

use common::*;
use k8s_openapi::api::apps::v1::{
    StatefulSetOrdinals, StatefulSetPersistentVolumeClaimRetentionPolicy, StatefulSetUpdateStrategy,
};
use proptest::prelude::*;
use stsplay::sim::clock::{Millis, MINUTE, SECOND};
use stsplay::sim::{Cluster, DeleteOptions, Fault, Kind, Object, ObjectKey, Propagation, Target};

#[derive(Clone, Debug)]
enum Op {
    Scale(i32),
    Image(usize),
    Partition(i32),
    OnDelete(bool),
    MinReady(i32),
    Start(i32),
    Retention(bool, bool),
    DeletePod(i32),
    ForceDeletePod(i32),
    Kill(i32),
    FailReadiness(i32),
    RestoreReadiness(i32),
    BreakImage,
    /// Takes the pod out of the set's selector (the set releases it).
    Relabel(i32),
    /// Deletes the set with --cascade=orphan, then creates it again (it adopts).
    Orphan,
    DisconnectNode(usize),
    ReconnectNode(usize),
    Advance(Millis),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..6i32).prop_map(Op::Scale),
        2 => (0..IMAGES.len()).prop_map(Op::Image),
        1 => (0..4i32).prop_map(Op::Partition),
        1 => any::<bool>().prop_map(Op::OnDelete),
        1 => prop_oneof![Just(0), Just(3), Just(20)].prop_map(Op::MinReady),
        1 => (0..3i32).prop_map(Op::Start),
        1 => (any::<bool>(), any::<bool>()).prop_map(|(d, s)| Op::Retention(d, s)),
        1 => (0..5i32).prop_map(Op::DeletePod),
        1 => (0..5i32).prop_map(Op::ForceDeletePod),
        1 => (0..5i32).prop_map(Op::Kill),
        1 => (0..5i32).prop_map(Op::FailReadiness),
        1 => (0..5i32).prop_map(Op::RestoreReadiness),
        1 => Just(Op::BreakImage),
        1 => (0..5i32).prop_map(Op::Relabel),
        1 => Just(Op::Orphan),
        1 => (0..WORKERS.len()).prop_map(Op::DisconnectNode),
        1 => (0..WORKERS.len()).prop_map(Op::ReconnectNode),
        3 => (1..90u64).prop_map(|s| Op::Advance(s * SECOND)),
    ]
}

fn pod_name(cluster: &Cluster, ordinal: i32) -> Option<String> {
    pod_names(cluster).into_iter().find(|n| {
        n.rsplit_once('-')
            .is_some_and(|(_, o)| o == ordinal.to_string())
    })
}

fn target(cluster: &Cluster, ordinal: i32) -> Option<Target> {
    pod_name(cluster, ordinal).map(|p| Target::pod(NS, &p))
}

fn has_set(cluster: &Cluster) -> bool {
    cluster
        .store()
        .get(&ObjectKey::new(Kind::StatefulSet, NS, "web"))
        .is_some()
}

/// Edits the set if it exists; a refused edit changes nothing in either run.
fn edit(
    cluster: &mut Cluster,
    change: impl FnOnce(&mut k8s_openapi::api::apps::v1::StatefulSetSpec),
) {
    if !has_set(cluster) {
        return;
    }
    let mut updated = set(cluster);
    if let Some(spec) = updated.spec.as_mut() {
        change(spec);
    }
    updated.metadata.resource_version = None;
    let _ = cluster.update(Object::StatefulSet(Box::new(updated)));
}

fn apply_op(cluster: &mut Cluster, op: &Op, template: &str) {
    match op {
        Op::Scale(n) => edit(cluster, |s| s.replicas = Some(*n)),
        Op::Image(i) => edit(cluster, |s| spec_image(s, IMAGES[*i])),
        Op::Partition(p) => edit(cluster, |s| {
            if s.update_strategy.as_ref().and_then(|u| u.type_.as_deref()) == Some("RollingUpdate")
            {
                spec_partition(s, *p);
            }
        }),
        Op::OnDelete(on_delete) => edit(cluster, |s| {
            s.update_strategy = Some(StatefulSetUpdateStrategy {
                type_: Some(
                    if *on_delete {
                        "OnDelete"
                    } else {
                        "RollingUpdate"
                    }
                    .to_string(),
                ),
                rolling_update: None,
            });
        }),
        Op::MinReady(seconds) => edit(cluster, |s| s.min_ready_seconds = Some(*seconds)),
        Op::Start(start) => edit(cluster, |s| {
            s.ordinals = Some(StatefulSetOrdinals {
                start: Some(*start),
            })
        }),
        Op::Retention(deleted, scaled) => edit(cluster, |s| {
            let word = |delete: bool| if delete { "Delete" } else { "Retain" }.to_string();
            s.persistent_volume_claim_retention_policy =
                Some(StatefulSetPersistentVolumeClaimRetentionPolicy {
                    when_deleted: Some(word(*deleted)),
                    when_scaled: Some(word(*scaled)),
                });
        }),
        Op::DeletePod(o) | Op::ForceDeletePod(o) => {
            if let Some(name) = pod_name(cluster, *o) {
                let options = DeleteOptions {
                    grace_seconds: matches!(op, Op::ForceDeletePod(_)).then_some(0),
                    propagation: Propagation::Background,
                };
                let _ = cluster.delete(&ObjectKey::new(Kind::Pod, NS, &name), &options);
            }
        }
        Op::Kill(o) | Op::FailReadiness(o) | Op::RestoreReadiness(o) => {
            if let Some(t) = target(cluster, *o) {
                let _ = cluster.fault(match op {
                    Op::Kill(_) => Fault::KillContainer(t),
                    Op::FailReadiness(_) => Fault::FailReadiness(t),
                    _ => Fault::RestoreReadiness(t),
                });
            }
        }
        Op::BreakImage => {
            let _ = cluster.fault(Fault::BreakImage {
                namespace: NS.to_string(),
                statefulset: "web".to_string(),
            });
        }
        Op::Relabel(o) => {
            if let Some(mut p) = pod_name(cluster, *o).and_then(|n| pod(cluster, &n)) {
                if let Some(labels) = p.metadata.labels.as_mut() {
                    labels.insert("app".to_string(), "released".to_string());
                }
                p.metadata.resource_version = None;
                let _ = cluster.update(Object::Pod(Box::new(p)));
            }
        }
        Op::Orphan => {
            let key = ObjectKey::new(Kind::StatefulSet, NS, "web");
            let orphan = DeleteOptions {
                grace_seconds: None,
                propagation: Propagation::Orphan,
            };
            if cluster.delete(&key, &orphan).is_err() {
                apply(cluster, template);
            }
        }
        Op::DisconnectNode(n) => {
            let _ = cluster.fault(Fault::DisconnectNode {
                node: WORKERS[*n].to_string(),
            });
        }
        Op::ReconnectNode(n) => {
            let _ = cluster.fault(Fault::ReconnectNode {
                node: WORKERS[*n].to_string(),
            });
        }
        Op::Advance(_) => {}
    }
}

/// One run, task by task.
struct Run {
    cluster: Cluster,
    /// Copy the cluster after every task.
    copying: bool,
    /// The explanations each time they changed.
    explained: Vec<String>,
}

impl Run {
    fn advance(&mut self, by: Millis) {
        let until = self.cluster.now() + by;
        while self.cluster.next_due().is_some_and(|at| at <= until) {
            self.cluster.run_next_task();
            if self.copying {
                self.cluster = self.cluster.clone();
            }
            let explained = format!("{:?}", self.cluster.explanations());
            if self.explained.last() != Some(&explained) {
                self.explained.push(explained);
            }
        }
        self.cluster.advance(until - self.cluster.now());
    }
}

/// The transcript (event log) and the explanations along the way.
fn run(
    seed: u64,
    parallel: bool,
    replicas: i32,
    ops: &[Op],
    copying: bool,
) -> (String, Vec<String>) {
    let extra = if parallel {
        "  podManagementPolicy: Parallel"
    } else {
        ""
    };
    let template = web(replicas, extra);
    let mut run = Run {
        cluster: Cluster::new(seed),
        copying,
        explained: Vec::new(),
    };
    apply(&mut run.cluster, SERVICE);
    apply(&mut run.cluster, &template);
    run.advance(20 * SECOND);
    for op in ops {
        apply_op(&mut run.cluster, op, &template);
        let by = match op {
            Op::Advance(by) => *by,
            _ => 3 * SECOND,
        };
        run.advance(by);
    }
    reconnect_workers(&mut run.cluster);
    run.advance(10 * MINUTE);
    (run.cluster.event_log(), run.explained)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn rebuilt_caches_give_the_same_transcript(
        seed in any::<u64>(),
        parallel in any::<bool>(),
        replicas in 0..5i32,
        ops in prop::collection::vec(op(), 1..14),
    ) {
        let kept = run(seed, parallel, replicas, &ops, false);
        let rebuilt = run(seed, parallel, replicas, &ops, true);
        prop_assert_eq!(kept.0, rebuilt.0);
        prop_assert_eq!(kept.1, rebuilt.1);
    }
}
