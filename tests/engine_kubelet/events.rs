use k8s_openapi::api::core::v1::Event;
use stsplay::sim::clock::MINUTE;
use stsplay::sim::Cluster;

use crate::common::*;

fn reasons(cluster: &Cluster, kind: &str, name: &str) -> Vec<String> {
    events_about(cluster, kind, name)
        .into_iter()
        .map(|(_, r, _)| r)
        .collect()
}

#[test]
fn a_fresh_pod_reports_the_kubelet_sequence() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    assert_eq!(
        reasons(&cluster, "Pod", "web-0"),
        ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    );
    let all = events_about(&cluster, "Pod", "web-0");
    let node = node_of(&cluster, "web-0");
    assert_eq!(
        all[0].2,
        format!("Successfully assigned default/web-0 to {node}")
    );
    assert_eq!(
        all[1].2,
        "Pulling image \"registry.k8s.io/nginx-slim:0.21\""
    );
    assert!(all[2]
        .2
        .starts_with("Successfully pulled image \"registry.k8s.io/nginx-slim:0.21\" in "));
    assert!(all[2]
        .2
        .ends_with(" including waiting). Image size: 9926843 bytes."));
    assert_eq!(all[3].2, "Created container: nginx");
    assert_eq!(all[4].2, "Started container nginx");
    let started = cluster
        .store()
        .list_typed::<Event>(NS)
        .find(|e| e.reason.as_deref() == Some("Started"))
        .cloned()
        .unwrap();
    let source = started.source.unwrap();
    assert_eq!(
        (source.component.as_deref(), source.host.as_deref()),
        (Some("kubelet"), Some(node.as_str()))
    );
}

#[test]
fn a_cached_image_is_already_present() {
    let mut cluster = cluster_with(3, "");
    settle(&mut cluster);
    // Two workers, three pods: one node pulls twice? No: the second pod on a node finds the image.
    let present = (0..3)
        .flat_map(|o| messages(&cluster, "Pod", &format!("web-{o}"), "Pulled"))
        .filter(|m| {
            m == "Container image \"registry.k8s.io/nginx-slim:0.21\" already present on machine"
        })
        .count();
    assert_eq!(present, 1);
}

#[test]
fn a_failed_pull_reports_failed_and_back_off() {
    let yaml = web(1, "").replace("nginx-slim:0.21", "nginx-slim:nope");
    let mut cluster = Cluster::new(4);
    apply(&mut cluster, &yaml);
    // Up to the first back-off sync, right after the failed pull.
    assert!(run_until(&mut cluster, MINUTE, |c| !messages(
        c, "Pod", "web-0", "BackOff"
    )
    .is_empty()));
    let events = events_about(&cluster, "Pod", "web-0");
    let tail: Vec<(&str, &str)> = events
        .iter()
        .skip(2)
        .take(4)
        .map(|(t, r, _)| (t.as_str(), r.as_str()))
        .collect();
    assert_eq!(
        tail,
        [
            ("Warning", "Failed"),
            ("Warning", "Failed"),
            ("Normal", "BackOff"),
            ("Warning", "Failed")
        ]
    );
    let texts: Vec<&str> = events
        .iter()
        .skip(3)
        .take(3)
        .map(|(_, _, m)| m.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "Error: ErrImagePull",
            "Back-off pulling image \"registry.k8s.io/nginx-slim:nope\"",
            "Error: ImagePullBackOff"
        ]
    );
    assert!(events[2]
        .2
        .starts_with("Failed to pull image \"registry.k8s.io/nginx-slim:nope\": "));
    // Each sync inside the window records the back-off again (10-15 s apart).
    cluster.advance(MINUTE);
    let counted = |reason: &str, message: &str| {
        cluster
            .store()
            .list_typed::<Event>(NS)
            .filter(|e| {
                e.reason.as_deref() == Some(reason) && e.message.as_deref() == Some(message)
            })
            .map(|e| e.count.unwrap_or(1))
            .sum::<i32>()
    };
    let pulls = counted(
        "Pulling",
        "Pulling image \"registry.k8s.io/nginx-slim:nope\"",
    );
    let backoffs = counted(
        "BackOff",
        "Back-off pulling image \"registry.k8s.io/nginx-slim:nope\"",
    );
    assert!(backoffs >= pulls, "{backoffs} back-offs, {pulls} pulls");
}

#[test]
fn dynamic_provisioning_reports_on_the_claim() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let events = events_about(&cluster, "PersistentVolumeClaim", "www-web-0");
    let mut reasons: Vec<&str> = events.iter().map(|(_, r, _)| r.as_str()).collect();
    reasons.sort_unstable();
    assert_eq!(
        reasons,
        [
            "ExternalProvisioning",
            "Provisioning",
            "ProvisioningSucceeded",
            "WaitForFirstConsumer",
        ]
    );
    let message = |reason: &str| event(&cluster, "www-web-0", reason).message.unwrap();
    assert_eq!(
        message("WaitForFirstConsumer"),
        "waiting for first consumer to be created before binding"
    );
    assert_eq!(
        message("Provisioning"),
        "External provisioner is provisioning volume for claim \"default/www-web-0\""
    );
    let uid = claim(&cluster, "www-web-0").unwrap().metadata.uid.unwrap();
    assert_eq!(
        message("ProvisioningSucceeded"),
        format!("Successfully provisioned volume pvc-{uid}")
    );
    // The PV controller says it again on the sync its own annotations cause.
    let handed_over = event(&cluster, "www-web-0", "ExternalProvisioning");
    assert_eq!(handed_over.count, Some(2));
}

/// The Event about `name` with `reason` (the first one written).
fn event(cluster: &Cluster, name: &str, reason: &str) -> Event {
    cluster
        .store()
        .list_typed::<Event>(NS)
        .find(|e| {
            e.involved_object.name.as_deref() == Some(name) && e.reason.as_deref() == Some(reason)
        })
        .cloned()
        .unwrap_or_else(|| panic!("no {reason} event about {name}"))
}

#[test]
fn the_scheduler_writes_events_k8s_io_events_and_counts_repeats_as_a_series() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let scheduled = event(&cluster, "web-0", "Scheduled");
    assert_eq!(scheduled.action.as_deref(), Some("Binding"));
    assert!(scheduled.event_time.is_some());
    assert_eq!(
        (
            scheduled.first_timestamp,
            scheduled.last_timestamp,
            scheduled.count
        ),
        (None, None, None)
    );
    assert_eq!(scheduled.source, Some(Default::default()), "source: {{}}");
    assert_eq!(
        scheduled.reporting_instance.as_deref(),
        Some("default-scheduler-kind-control-plane")
    );
    // A pod nothing can run: the scheduler retries every 5 minutes.
    let unplaceable = web(1, "")
        .replace("metadata: {name: web}", "metadata: {name: ssd}")
        .replace("app: nginx", "app: ssd")
        .replace(
            "      containers:",
            "      nodeSelector: {disk: ssd}\n      containers:",
        );
    apply(&mut cluster, &unplaceable);
    let failed = |c: &Cluster| event(c, "ssd-0", "FailedScheduling");
    assert!(run_until(&mut cluster, MINUTE, |c| c
        .store()
        .list_typed::<Event>(NS)
        .any(|e| e.reason.as_deref() == Some("FailedScheduling"))));
    assert_eq!(failed(&cluster).action.as_deref(), Some("Scheduling"));
    assert_eq!(
        failed(&cluster).message.as_deref(),
        Some("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    );
    // Its own PodScheduled=False is a status change, which the scheduling
    // queue ignores: nothing tries the pod again before five minutes.
    cluster.advance(MINUTE);
    assert_eq!(failed(&cluster).series, None, "once: no series yet");
    cluster.advance(5 * MINUTE);
    let twice = failed(&cluster)
        .series
        .expect("the second attempt starts a series");
    assert_eq!(twice.count, Some(2));
    // Later repeats only count up in the recorder until the series ends.
    cluster.advance(5 * MINUTE);
    assert_eq!(failed(&cluster).series, Some(twice));
}
