use stsplay::sim::clock::{millis_of, MINUTE, SECOND};
use stsplay::sim::Cluster;

use crate::common::*;

/// (finishedAt of the last run, startedAt of the next) for each restart.
fn restart_gaps(cluster: &mut Cluster, restarts: i32) -> Vec<u64> {
    let mut gaps = Vec::new();
    let mut seen = 0;
    run_until(cluster, 60 * MINUTE, |c| {
        let Some(p) = pod(c, "web-0") else {
            return false;
        };
        let count = restart_count(&p);
        let Some(status) = p
            .status
            .and_then(|s| s.container_statuses)
            .and_then(|s| s.first().cloned())
        else {
            return false;
        };
        if count > seen {
            if let (Some(last), Some(running)) = (
                status.last_state.and_then(|s| s.terminated),
                status.state.and_then(|s| s.running),
            ) {
                let finished = millis_of(&last.finished_at.unwrap());
                let started = millis_of(&running.started_at.unwrap());
                gaps.push((started - finished) / SECOND);
                seen = count;
            }
        }
        seen >= restarts
    });
    gaps
}

/// One busybox replica that exits 1 at once, over and over.
fn crash_looping() -> Cluster {
    let yaml = web(1, "")
        .replace(
            "        ports: [{containerPort: 80, name: web}]",
            "        command: [sh, -c, 'exit 1']",
        )
        .replace("registry.k8s.io/nginx-slim:0.21", "busybox:1.28");
    let mut cluster = Cluster::new(8);
    apply(&mut cluster, &yaml);
    cluster
}

#[test]
fn restarts_back_off_ten_seconds_doubling_to_five_minutes() {
    let mut cluster = crash_looping();
    let gaps = restart_gaps(&mut cluster, 8);
    // The window is exact, but only a pod sync restarts the container: the
    // first after the window, and 1.34's kubelet syncs a backing-off pod
    // every 10–15 s (kubernetes#123602). Timestamps have second precision.
    let windows = [0, 10, 20, 40, 80, 160, 300, 300];
    assert_eq!(gaps.len(), windows.len(), "{gaps:?}");
    for (gap, window) in gaps.iter().zip(windows) {
        let late = if window == 0 { 2 } else { 17 };
        assert!(
            *gap >= window && *gap <= window + late,
            "gaps {gaps:?} vs windows {windows:?}"
        );
    }
}

#[test]
fn a_backing_off_container_shows_its_exit_until_the_next_sync() {
    let mut cluster = crash_looping();
    // The second exit starts the first back-off (the first restart is immediate).
    assert!(run_until(&mut cluster, 5 * MINUTE, |c| pod(c, "web-0")
        .is_some_and(|p| restart_count(&p) == 1
            && waiting_reason(&p).is_none()
            && !is_running(&p))));
    let exited = cluster.now();
    assert!(run_until(&mut cluster, MINUTE, |c| pod(c, "web-0")
        .is_some_and(
            |p| waiting_reason(&p).as_deref() == Some("CrashLoopBackOff")
        )));
    let shown = cluster.now() - exited;
    assert!(
        (9 * SECOND..=17 * SECOND).contains(&shown),
        "CrashLoopBackOff appears at the sync after the one that noticed the exit, not {shown} ms later"
    );
    let backoffs = messages(&cluster, "Pod", "web-0", "BackOff");
    assert_eq!(backoffs.len(), 1, "one BackOff Event, counted per sync");
}

fn is_running(pod: &k8s_openapi::api::core::v1::Pod) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_ref())
        .and_then(|s| s.first())
        .is_some_and(|s| s.state.as_ref().is_some_and(|st| st.running.is_some()))
}

#[test]
fn an_always_pulled_image_is_pulled_again_for_every_restart() {
    let mut cluster = Cluster::new(7);
    // No tag: imagePullPolicy defaults to Always.
    apply(
        &mut cluster,
        "apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers: [{name: c, image: busybox, command: [sh, -c, 'exit 1']}]",
    );
    cluster.advance(2 * MINUTE);
    let p = pod(&cluster, "crash").unwrap();
    let restarts = restart_count(&p);
    assert!(restarts >= 3, "{restarts}");
    let pulled = messages(&cluster, "Pod", "crash", "Pulled");
    assert!(
        pulled
            .iter()
            .all(|m| m.starts_with("Successfully pulled image \"busybox\" in ")),
        "never 'already present': {pulled:?}"
    );
    // One pull for the first start and one for each restart.
    let counted = |reason: &str| -> i32 {
        cluster
            .store()
            .list_typed::<k8s_openapi::api::core::v1::Event>(NS)
            .filter(|e| e.reason.as_deref() == Some(reason))
            .map(|e| e.count.unwrap_or(1))
            .sum()
    };
    assert_eq!(counted("Pulled"), restarts + 1, "{pulled:?}");
    assert_eq!(counted("Pulling"), restarts + 1);
}
