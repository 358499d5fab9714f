//! Same seed and inputs ⇒ byte-identical event log; time travel through
//! [`History`] rebuilds exactly the states that were recorded.

mod common;

use common::*;
use stsplay::sim::clock::SECOND;
use stsplay::sim::{Cluster, Fault, History, Target, Transition};

fn scenario(seed: u64) -> Cluster {
    let mut cluster = Cluster::new(seed);
    apply(&mut cluster, SERVICE);
    apply(&mut cluster, &web(3, ""));
    settle(&mut cluster);
    set_image(&mut cluster, "registry.k8s.io/nginx-slim:0.24");
    cluster.advance(20 * SECOND);
    cluster
        .fault(Fault::KillContainer(Target::pod(NS, "web-2")))
        .unwrap();
    scale(&mut cluster, 1);
    settle(&mut cluster);
    cluster
}

#[test]
fn same_seed_same_event_log() {
    let a = scenario(42).event_log();
    let b = scenario(42).event_log();
    assert!(a.lines().count() > 100);
    assert_eq!(a, b);
}

#[test]
fn another_seed_gives_another_log() {
    assert_ne!(scenario(1).event_log(), scenario(2).event_log());
}

/// Every object as JSON, for comparing whole cluster states.
fn dump(cluster: &Cluster) -> String {
    stsplay::sim::Kind::ALL
        .iter()
        .flat_map(|k| cluster.store().list(*k))
        .map(|o| o.to_json().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn history_replays_to_the_recorded_states() {
    let mut cluster = Cluster::new(5);
    let mut history = History::with_spacing(&cluster, 4);
    apply(&mut cluster, SERVICE);
    apply(&mut cluster, &web(2, ""));
    history.record(&cluster, Transition::Input);
    let mut recorded = vec![dump(&cluster)];
    for i in 0..30 {
        if i == 10 {
            cluster.advance(3 * SECOND);
            history.record(&cluster, Transition::Advance(3 * SECOND));
        } else if cluster.step() {
            history.record(&cluster, Transition::Step);
        } else {
            break;
        }
        recorded.push(dump(&cluster));
    }
    assert!(
        history.snapshot_count() < history.len(),
        "not every point is a clone"
    );
    // Points 1.. were recorded; point 0 is the empty start.
    for index in (1..history.len()).rev() {
        let rebuilt = history.seek(index).unwrap();
        assert_eq!(dump(&rebuilt), recorded[index - 1], "point {index}");
    }
    let back = history.back();
    assert!(back.is_some() && history.position() == 0);
    let forward = history.forward().unwrap();
    assert_eq!(dump(&forward), recorded[0]);
}

#[test]
fn recording_from_the_past_discards_the_future() {
    let mut cluster = Cluster::new(6);
    let mut history = History::new(&cluster);
    apply(&mut cluster, SERVICE);
    history.record(&cluster, Transition::Input);
    apply(&mut cluster, &web(1, ""));
    history.record(&cluster, Transition::Input);
    assert_eq!(history.len(), 3);
    let mut past = history.seek(1).unwrap();
    assert!(!set_exists(&past));
    apply(&mut past, &web(2, ""));
    history.record(&past, Transition::Input);
    assert_eq!(history.len(), 3);
    assert!(history.is_at_end());
    let now = history.seek(2).unwrap();
    assert_eq!(set(&now).spec.unwrap().replicas, Some(2));
}

fn set_exists(cluster: &Cluster) -> bool {
    cluster
        .store()
        .get_typed::<k8s_openapi::api::apps::v1::StatefulSet>(NS, "web")
        .is_some()
}
