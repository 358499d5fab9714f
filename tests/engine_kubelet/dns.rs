use stsplay::sim::shared_endpoints::EndpointSlice;
use stsplay::sim::shared_endpoints::Endpoints;

use crate::common::*;

#[test]
fn the_headless_service_lists_ready_pods_with_hostnames() {
    let mut cluster = cluster_with(2, "");
    settle(&mut cluster);
    let endpoints = cluster
        .store()
        .get_typed::<Endpoints>(NS, "nginx")
        .cloned()
        .unwrap();
    let subset = &endpoints.subsets.unwrap()[0];
    let hosts: Vec<(String, String)> = subset
        .addresses
        .iter()
        .flatten()
        .map(|a| (a.hostname.clone().unwrap_or_default(), a.ip.clone()))
        .collect();
    // Listed in the order of their IPs, as RepackSubsets sorts them.
    let mut expected: Vec<(String, String)> = ["web-0", "web-1"]
        .iter()
        .map(|n| {
            let ip = pod(&cluster, n).unwrap().status.unwrap().pod_ip.unwrap();
            (n.to_string(), ip)
        })
        .collect();
    expected.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(hosts, expected);
    assert!(subset.not_ready_addresses.is_none());
    let slice = cluster
        .store()
        .list_typed::<EndpointSlice>(NS)
        .find(|s| {
            s.metadata
                .name
                .as_deref()
                .is_some_and(|n| n.starts_with("nginx-"))
        })
        .cloned()
        .unwrap();
    assert_eq!(slice.endpoints.len(), 2);
    assert!(slice
        .endpoints
        .iter()
        .all(|e| e.conditions.as_ref().unwrap().ready == Some(true)));
    // Generation 1 when made, one more for each change of endpoints, ports
    // or labels: here web-0's arrival, readiness, then web-1's.
    assert!(
        slice.metadata.generation.is_some_and(|g| g > 1),
        "{slice:?}"
    );
    let kubernetes = cluster
        .store()
        .get_typed::<EndpointSlice>(NS, "kubernetes")
        .cloned()
        .unwrap();
    assert_eq!(kubernetes.metadata.generation, Some(1));
}

#[test]
fn a_terminating_pod_leaves_the_ready_addresses() {
    let mut cluster = cluster_with(2, "");
    settle(&mut cluster);
    delete_pod(&mut cluster, "web-1");
    assert!(run_until(&mut cluster, 10_000, |c| {
        c.store()
            .get_typed::<Endpoints>(NS, "nginx")
            .and_then(|e| e.subsets.clone())
            .is_some_and(|s| {
                s[0].addresses
                    .iter()
                    .flatten()
                    .all(|a| a.hostname.as_deref() != Some("web-1"))
            })
    }));
}

#[test]
fn endpoints_name_the_ready_change_that_triggered_their_last_write() {
    let mut cluster = cluster_with(2, "");
    settle(&mut cluster);
    let ready_at = |name: &str| {
        pod(&cluster, name)
            .and_then(|p| p.status)
            .and_then(|s| s.conditions)
            .and_then(|c| c.into_iter().find(|c| c.type_ == "Ready"))
            .and_then(|c| c.last_transition_time)
            .map(|t| t.0.to_string())
    };
    let annotation = |annotations: Option<&std::collections::BTreeMap<String, String>>| {
        annotations
            .and_then(|a| a.get("endpoints.kubernetes.io/last-change-trigger-time"))
            .cloned()
    };
    let endpoints = cluster
        .store()
        .get_typed::<Endpoints>(NS, "nginx")
        .cloned()
        .unwrap();
    // The last write added web-1, the second pod to become Ready.
    assert_eq!(
        annotation(endpoints.metadata.annotations.as_ref()),
        ready_at("web-1")
    );
    let slice = cluster
        .store()
        .list_typed::<EndpointSlice>(NS)
        .find(|s| {
            s.metadata
                .name
                .as_deref()
                .is_some_and(|n| n.starts_with("nginx-"))
        })
        .cloned()
        .unwrap();
    assert_eq!(
        annotation(slice.metadata.annotations.as_ref()),
        ready_at("web-1")
    );
}
