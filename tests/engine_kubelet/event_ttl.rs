//! Events live an hour after their last write (the apiserver's event TTL).

use k8s_openapi::api::core::v1::Event;
use stsplay::sim::clock::MINUTE;
use stsplay::sim::event_ttl::EVENT_TTL;
use stsplay::sim::{Cluster, Fault, Target};

use crate::common::*;

fn event<'a>(cluster: &'a Cluster, reason: &str, message: &str) -> Option<&'a Event> {
    cluster.store().list_typed::<Event>(NS).find(|e| {
        e.involved_object.name.as_deref() == Some("web-0")
            && e.reason.as_deref() == Some(reason)
            && e.message.as_deref() == Some(message)
    })
}

#[test]
fn an_event_expires_an_hour_after_its_last_write_and_watches_see_it_go() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let scheduled = |c: &Cluster| {
        c.store()
            .list_typed::<Event>(NS)
            .find(|e| e.reason.as_deref() == Some("Scheduled"))
            .and_then(|e| e.metadata.name.clone())
    };
    let name = scheduled(&cluster).expect("the Scheduled event");
    let seen = cluster.store().resource_version();
    // Settled means no work is queued: leases are not work.
    assert!(cluster.is_settled());
    cluster.advance(EVENT_TTL - 2 * MINUTE);
    assert_eq!(scheduled(&cluster), Some(name.clone()));
    cluster.advance(3 * MINUTE);
    assert_eq!(scheduled(&cluster), None);
    assert!(cluster
        .store()
        .list_typed::<Event>(NS)
        .all(|e| e.involved_object.name.as_deref() != Some("web-0")));
    let deleted: Vec<String> = cluster
        .store()
        .changes_since(seen)
        .expect("the log still holds them")
        .iter()
        .filter(|c| c.ty.as_str() == "DELETED")
        .map(|c| c.object.name().to_string())
        .collect();
    assert!(deleted.contains(&name), "{deleted:?}");
}

#[test]
fn an_event_seen_again_after_it_expired_comes_back_with_its_name_and_count() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let kill = || Fault::KillContainer(Target::pod(NS, "web-0"));
    let started = "Started container nginx";
    let first = event(&cluster, "Started", started)
        .cloned()
        .expect("Started");
    assert_eq!(first.count, Some(1));
    // A kill restarts the container: the same Started event, counted.
    cluster.fault(kill()).unwrap();
    settle(&mut cluster);
    let again = event(&cluster, "Started", started).cloned().unwrap();
    assert_eq!(again.metadata.name, first.metadata.name);
    assert_eq!(again.count, Some(2));
    // Two quiet hours: it expires, and the next restart creates it again
    // under the name, count and first time the recorder remembers.
    cluster.advance(2 * EVENT_TTL);
    assert!(event(&cluster, "Started", started).is_none());
    cluster.fault(kill()).unwrap();
    settle(&mut cluster);
    let back = event(&cluster, "Started", started).cloned().unwrap();
    assert_eq!(back.metadata.name, first.metadata.name);
    assert_ne!(back.metadata.uid, first.metadata.uid);
    assert_eq!(back.count, Some(3));
    assert_eq!(back.first_timestamp, first.first_timestamp);
    assert!(back.last_timestamp > again.last_timestamp);
}
