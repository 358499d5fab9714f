//! The store's change log is compacted like etcd's: a window of recent
//! changes stays for watches, older ones are dropped, and a watch from
//! before the window gets 410 Gone.

use k8s_openapi::api::core::v1::{ConfigMap, EndpointAddress, EndpointSubset, Endpoints};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use stsplay::playground::{LineKind, Playground};
use stsplay::sim::cluster::LOG_WINDOW;
use stsplay::sim::store::Expired;
use stsplay::sim::{Cluster, Object, Store};

fn config_map(index: usize) -> Object {
    Object::ConfigMap(Box::new(ConfigMap {
        metadata: ObjectMeta {
            name: Some(format!("config-{index}")),
            namespace: Some("default".to_string()),
            ..Default::default()
        },
        ..Default::default()
    }))
}

/// Creates enough objects that the log must have been compacted once.
fn churn(cluster: &mut Cluster) {
    for index in 0..2 * LOG_WINDOW {
        cluster.create(config_map(index)).expect("config map");
    }
}

#[test]
fn the_log_keeps_a_window_and_older_positions_are_gone() {
    let mut cluster = Cluster::new(1);
    let start = cluster.store().resource_version();
    churn(&mut cluster);
    let store = cluster.store();
    let newest = store.resource_version();
    assert!(
        (LOG_WINDOW..2 * LOG_WINDOW).contains(&store.log().len()),
        "the log holds between one and two windows, not {}",
        store.log().len()
    );
    let oldest = newest - store.log().len() as u64;
    let gone = store.changes_since(start).expect_err("compacted away");
    assert_eq!(
        gone,
        Expired {
            requested: start,
            oldest
        }
    );
    assert_eq!(
        gone.message(),
        format!("too old resource version: {start} ({oldest})")
    );
    let recent = store
        .changes_since(newest - LOG_WINDOW as u64)
        .expect("the window is kept");
    assert_eq!(recent.len(), LOG_WINDOW);
    let last = recent.last().expect("a change");
    assert_eq!(last.object.name(), format!("config-{}", 2 * LOG_WINDOW - 1));
    assert_eq!(
        last.object.meta().resource_version,
        Some(newest.to_string())
    );
    assert_eq!(store.changes_since(newest).map(<[_]>::len), Ok(0));
}

#[test]
fn a_watch_left_behind_the_window_ends_as_kubectls_does() {
    let mut playground = Playground::tutorial(1);
    assert!(
        playground.terminals[0].is_busy(),
        "the tutorial's pod watch"
    );
    churn(&mut playground.cluster);
    playground.pump();
    let terminal = &playground.terminals[0];
    assert!(!terminal.is_busy(), "the watch has ended");
    let last = terminal.lines.last().expect("a line");
    assert_eq!(last.kind, LineKind::Err);
    assert!(
        last.text.contains("too old resource version"),
        "{}",
        last.text
    );
}

/// An Endpoints object listing `addresses` ready addresses.
fn endpoints(index: usize, addresses: usize) -> Object {
    let address = |i: usize| EndpointAddress {
        ip: format!("10.244.{}.{}", i / 250, i % 250),
        ..Default::default()
    };
    Object::Endpoints(Box::new(
        Endpoints {
            metadata: ObjectMeta {
                name: Some(format!("service-{index}")),
                namespace: Some("default".to_string()),
                ..Default::default()
            },
            subsets: Some(vec![EndpointSubset {
                addresses: Some((0..addresses).map(address).collect()),
                ..Default::default()
            }]),
        }
        .into(),
    ))
}

#[test]
fn large_endpoint_versions_shrink_the_window() {
    let mut store = Store::default();
    for index in 0..10 {
        store
            .create(endpoints(index, 1000), format!("uid-{index}"), 0)
            .expect("endpoints");
    }
    // Each change weighs its 1,000 addresses plus one.
    assert_eq!(store.log_weight(), 10 * 1001);
    let upto = store.fit(LOG_WINDOW, 5000);
    assert_eq!(upto, 6, "the newest four fit in 5,000");
    store.compact(upto);
    assert_eq!(store.log().len(), 4);
    assert_eq!(store.log_weight(), 4 * 1001);
    assert!(store.changes_since(5).is_err());
    assert_eq!(store.changes_since(6).map(<[_]>::len), Ok(4));
    // However heavy, the newest change stays.
    assert_eq!(store.fit(LOG_WINDOW, 10), 9);
}
