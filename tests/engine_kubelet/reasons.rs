use stsplay::sim::clock::MINUTE;
use stsplay::sim::Cluster;

use crate::common::*;

fn waiting_message(cluster: &Cluster, name: &str) -> String {
    pod(cluster, name)
        .and_then(|p| {
            p.status?
                .container_statuses?
                .first()?
                .state
                .clone()?
                .waiting?
                .message
        })
        .unwrap_or_default()
}

#[test]
fn missing_image_tag_shows_err_image_pull_then_back_off() {
    let yaml = web(1, "").replace("nginx-slim:0.21", "nginx-slim:nope");
    let mut cluster = Cluster::new(4);
    apply(&mut cluster, &yaml);
    assert!(run_until(&mut cluster, MINUTE, |c| pod(c, "web-0")
        .and_then(|p| waiting_reason(&p))
        .as_deref()
        == Some("ErrImagePull")));
    let pull_error = waiting_message(&cluster, "web-0");
    assert!(
        pull_error.contains("registry.k8s.io/nginx-slim:nope: not found"),
        "{pull_error}"
    );
    assert!(run_until(&mut cluster, MINUTE, |c| pod(c, "web-0")
        .and_then(|p| waiting_reason(&p))
        .as_deref()
        == Some("ImagePullBackOff")));
    assert_eq!(
        waiting_message(&cluster, "web-0"),
        format!("Back-off pulling image \"registry.k8s.io/nginx-slim:nope\": ErrImagePull: {pull_error}")
    );
}

#[test]
fn pull_retries_keep_showing_the_last_failure_not_container_creating() {
    let yaml = web(1, "").replace("nginx-slim:0.21", "nginx-slim:nope");
    let mut cluster = Cluster::new(4);
    apply(&mut cluster, &yaml);
    // Every reason the pod's status shows, in order, without repeats.
    let mut shown: Vec<String> = Vec::new();
    run_until(&mut cluster, 6 * MINUTE, |c| {
        let reason = pod(c, "web-0").and_then(|p| waiting_reason(&p));
        if let Some(reason) = reason.filter(|r| shown.last() != Some(r)) {
            shown.push(reason);
        }
        false
    });
    // The kubelet's status keeps the reason it cached while a retry pulls.
    assert_eq!(shown[0], "ContainerCreating");
    assert!(shown.len() >= 7, "{shown:?}");
    for pair in shown[1..].chunks(2) {
        assert_eq!(pair[0], "ErrImagePull", "{shown:?}");
        if let Some(next) = pair.get(1) {
            assert_eq!(next, "ImagePullBackOff", "{shown:?}");
        }
    }
}

#[test]
fn crash_loop_back_off_message_names_the_delay_and_pod() {
    let yaml = web(1, "")
        .replace(
            "        ports: [{containerPort: 80, name: web}]",
            "        command: [sh, -c, 'exit 1']",
        )
        .replace("registry.k8s.io/nginx-slim:0.21", "busybox:1.28");
    let mut cluster = Cluster::new(5);
    apply(&mut cluster, &yaml);
    assert!(run_until(&mut cluster, 5 * MINUTE, |c| pod(c, "web-0")
        .and_then(|p| waiting_reason(&p))
        .as_deref()
        == Some("CrashLoopBackOff")));
    let pod = pod(&cluster, "web-0").unwrap();
    let uid = pod.metadata.uid.clone().unwrap();
    assert_eq!(
        waiting_message(&cluster, "web-0"),
        format!("back-off 10s restarting failed container=nginx pod=web-0_default({uid})")
    );
    assert_eq!(last_terminated(&pod), Some((1, "Error".to_string())));
}

#[test]
fn a_daemonizing_command_exits_completed_and_restarts() {
    let yaml = web(1, "").replace(
        "        ports: [{containerPort: 80, name: web}]",
        "        command: [sh, -c, 'nginx &']",
    );
    let mut cluster = Cluster::new(6);
    apply(&mut cluster, &yaml);
    assert!(run_until(&mut cluster, 5 * MINUTE, |c| pod(c, "web-0")
        .is_some_and(|p| restart_count(&p) >= 2)));
    let pod = pod(&cluster, "web-0").unwrap();
    assert_eq!(last_terminated(&pod), Some((0, "Completed".to_string())));
}
