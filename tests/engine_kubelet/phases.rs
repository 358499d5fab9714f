use stsplay::sim::clock::{millis_of, MINUTE, SECOND};

use crate::common::*;

#[test]
fn a_pod_goes_pending_then_running_with_conditions_in_kubelet_order() {
    let mut cluster = cluster_with(1, "");
    assert!(run_until(&mut cluster, MINUTE, |c| pod(c, "web-0").is_some()));
    assert_eq!(phase(&pod(&cluster, "web-0").unwrap()), "Pending");
    assert!(run_until(&mut cluster, MINUTE, |c| waiting_reason(
        &pod(c, "web-0").unwrap()
    )
    .as_deref()
        == Some("ContainerCreating")));
    settle(&mut cluster);
    let pod = pod(&cluster, "web-0").unwrap();
    assert_eq!(phase(&pod), "Running");
    let status = pod.status.unwrap();
    let types: Vec<&str> = status
        .conditions
        .iter()
        .flatten()
        .map(|c| c.type_.as_str())
        .collect();
    assert_eq!(
        types,
        [
            "PodReadyToStartContainers",
            "Initialized",
            "Ready",
            "ContainersReady",
            "PodScheduled"
        ]
    );
    assert!(status
        .conditions
        .iter()
        .flatten()
        .all(|c| c.status == "True"));
    assert!(status.pod_ip.unwrap().starts_with("10.244."));
    let container = &status.container_statuses.unwrap()[0];
    assert!(container.ready && container.started == Some(true));
    assert!(container.state.as_ref().unwrap().running.is_some());
    // 1.34's kubelet lists the mounts (RecursiveReadOnlyMounts) and, while
    // running, the resources (InPlacePodVerticalScaling): none here.
    let mounts: Vec<(&str, Option<bool>, Option<&str>)> = container
        .volume_mounts
        .iter()
        .flatten()
        .map(|m| {
            (
                m.name.as_str(),
                m.read_only,
                m.recursive_read_only.as_deref(),
            )
        })
        .collect();
    assert_eq!(mounts.len(), 2);
    assert_eq!(mounts[0], ("www", None, None));
    assert!(mounts[1].0.starts_with("kube-api-access-"));
    assert_eq!((mounts[1].1, mounts[1].2), (Some(true), Some("Disabled")));
    assert_eq!(container.resources, Some(Default::default()));
    assert_eq!(container.allocated_resources, None);
    // The scheduler sets nodeName through pods/binding, which is not a spec
    // update: the pod stays at generation 1, and the kubelet reports that.
    assert!(pod.spec.as_ref().unwrap().node_name.is_some());
    assert_eq!(pod.metadata.generation, Some(1));
    assert_eq!(status.observed_generation, Some(1));
    assert!(status
        .conditions
        .iter()
        .flatten()
        .filter(|c| c.type_ != "PodScheduled")
        .all(|c| c.observed_generation == Some(1)));
}

#[test]
fn a_pod_whose_image_is_cached_still_shows_container_creating_first() {
    let mut cluster = cluster_with(3, "  podManagementPolicy: Parallel\n");
    settle(&mut cluster);
    let uid = pod(&cluster, "web-1").unwrap().metadata.uid;
    delete_pod(&mut cluster, "web-1");
    let replaced = |c: &stsplay::sim::Cluster| pod(c, "web-1").filter(|p| p.metadata.uid != uid);
    // Every STATUS the new pod shows, in order, without repeats.
    let mut shown: Vec<String> = Vec::new();
    assert!(run_until(&mut cluster, MINUTE, |c| {
        let Some(p) = replaced(c) else { return false };
        let status = waiting_reason(&p).unwrap_or_else(|| phase(&p).to_string());
        if shown.last() != Some(&status) {
            shown.push(status);
        }
        running_and_ready(c, "web-1") && replaced(c).is_some()
    }));
    // The kubelet writes Pending/ContainerCreating when it starts the pod
    // sync, then Running when the sync (sandbox, no pull, start) is done.
    assert_eq!(shown, ["Pending", "ContainerCreating", "Running"]);
    assert!(messages(&cluster, "Pod", "web-1", "Pulled")
        .iter()
        .any(|m| m.ends_with("already present on machine")));
}

#[test]
fn graceful_deletion_ends_in_succeeded_for_nginx() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let uid = pod(&cluster, "web-0").unwrap().metadata.uid;
    delete_pod(&mut cluster, "web-0");
    let deleting = pod(&cluster, "web-0").unwrap();
    assert!(deleting.metadata.deletion_timestamp.is_some());
    assert_eq!(deleting.metadata.deletion_grace_period_seconds, Some(30));
    // A graceful delete is a new generation, which the kubelet reports while
    // the containers are still stopping (a second `1/1 Terminating` row).
    assert_eq!(deleting.metadata.generation, Some(2));
    assert!(run_until(&mut cluster, MINUTE, |c| pod(c, "web-0")
        .and_then(|p| p.status)
        .is_some_and(
            |s| s.observed_generation == Some(2) && s.phase.as_deref() == Some("Running")
        )));
    let same = |c: &stsplay::sim::Cluster| pod(c, "web-0").filter(|p| p.metadata.uid == uid);
    assert!(run_until(&mut cluster, MINUTE, |c| same(c)
        .is_some_and(|p| phase(&p) == "Succeeded")));
    let done = same(&cluster).unwrap();
    assert_eq!(terminated(&done), Some((0, "Completed".to_string())));
    assert!(
        run_until(&mut cluster, MINUTE, |c| same(c).is_none()),
        "then the kubelet removes it"
    );
    assert_eq!(
        messages(&cluster, "Pod", "web-0", "Killing")
            .first()
            .map(String::as_str),
        Some("Stopping container nginx")
    );
}

#[test]
fn a_process_ignoring_sigterm_is_killed_after_the_grace_period() {
    let yaml = web(1, "")
        .replace(
            "        ports: [{containerPort: 80, name: web}]",
            "        command: [/bin/sh, -c, 'tail -f /dev/null']",
        )
        .replace(
            "    spec:\n      containers:",
            "    spec:\n      terminationGracePeriodSeconds: 5\n      containers:",
        );
    let mut cluster = stsplay::sim::Cluster::new(2);
    apply(&mut cluster, &yaml);
    settle(&mut cluster);
    let uid = pod(&cluster, "web-0").unwrap().metadata.uid;
    let start = cluster.now();
    delete_pod(&mut cluster, "web-0");
    let same = |c: &stsplay::sim::Cluster| pod(c, "web-0").filter(|p| p.metadata.uid == uid);
    assert!(run_until(&mut cluster, MINUTE, |c| same(c)
        .is_some_and(|p| phase(&p) == "Failed")));
    let pod = same(&cluster).unwrap();
    assert_eq!(terminated(&pod), Some((137, "Error".to_string())));
    let term = pod.status.unwrap().container_statuses.unwrap()[0]
        .state
        .clone()
        .unwrap()
        .terminated
        .unwrap();
    let finished = millis_of(&term.finished_at.unwrap());
    assert!(
        finished >= start / SECOND * SECOND + 5 * SECOND - SECOND,
        "killed only after the 5 s grace period"
    );
}

#[test]
fn a_finished_pod_says_its_phase_in_its_conditions() {
    let mut cluster = stsplay::sim::Cluster::new(7);
    for (name, code) in [("fails", 3), ("succeeds", 0)] {
        apply(
            &mut cluster,
            &format!(
                "apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  restartPolicy: Never
  containers: [{{name: c, image: busybox:1.36, command: [sh, -c, 'exit {code}']}}]"
            ),
        );
    }
    cluster.advance(MINUTE);
    for (name, phase_wanted, reason) in [
        ("fails", "Failed", "PodFailed"),
        ("succeeds", "Succeeded", "PodCompleted"),
    ] {
        let p = pod(&cluster, name).unwrap();
        assert_eq!(phase(&p), phase_wanted);
        let conditions = p.status.unwrap().conditions.unwrap();
        let of = |t: &str| conditions.iter().find(|c| c.type_ == t).unwrap().clone();
        // The sandbox is gone; readiness names the phase, not containers.
        assert_eq!(of("PodReadyToStartContainers").status, "False");
        for t in ["Ready", "ContainersReady"] {
            let c = of(t);
            assert_eq!(
                (c.status.as_str(), c.reason.as_deref(), c.message),
                ("False", Some(reason), None),
                "{name} {t}"
            );
        }
    }
}
