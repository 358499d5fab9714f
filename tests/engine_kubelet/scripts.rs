use stsplay::container::{self, Inside, Target};
use stsplay::sim::clock::{MINUTE, SECOND};
use stsplay::sim::Cluster;

use crate::common::*;

/// A pod that runs `script` in busybox once (restartPolicy Never).
fn run_once(cluster: &mut Cluster, name: &str, command: &str) {
    apply(
        cluster,
        &format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  restartPolicy: Never\n  containers:\n  - {{name: c, image: busybox, command: {command}}}\n"
        ),
    );
}

fn started_at(cluster: &Cluster, name: &str) -> u64 {
    let running = pod(cluster, name).and_then(|p| {
        p.status?
            .container_statuses?
            .first()?
            .state
            .clone()?
            .running
    });
    running
        .and_then(|r| r.started_at)
        .map_or(0, |t| stsplay::sim::clock::millis_of(&t))
}

/// A cluster whose pod `waiter` has run `command`, a loop still waiting
/// after `waited`.
fn left_waiting(command: &str, waited: u64) -> Cluster {
    let mut cluster = Cluster::new(4);
    run_once(&mut cluster, "waiter", command);
    assert!(run_until(&mut cluster, MINUTE, |c| started_at(c, "waiter") > 0));
    cluster.advance(waited);
    let pod_now = pod(&cluster, "waiter").expect("pod");
    assert_eq!(phase(&pod_now), "Running", "it waits as long as it must");
    cluster
}

#[test]
fn a_script_ends_with_the_status_of_its_last_command_after_its_sleeps() {
    let mut cluster = Cluster::new(4);
    run_once(&mut cluster, "job", "[sh, -c, 'sleep 5; cat /nope']");
    assert!(run_until(&mut cluster, MINUTE, |c| started_at(c, "job") > 0));
    let started = started_at(&cluster, "job");
    assert!(run_until(&mut cluster, MINUTE, |c| pod(c, "job")
        .and_then(|p| terminated(&p))
        .is_some()));
    let pod = pod(&cluster, "job").expect("pod");
    assert_eq!(terminated(&pod), Some((1, "Error".to_string())));
    assert!(cluster.now() >= started + 5 * SECOND, "it slept first");
}

#[test]
fn a_waiting_loop_ends_once_what_it_waits_for_is_there() {
    // Long enough that the kubelet plays it only when something changed.
    let mut cluster = left_waiting(
        "[sh, -c, 'until [ -f /tmp/go ]; do sleep 1; done; echo going']",
        5 * MINUTE,
    );
    let target = Target {
        namespace: NS.to_string(),
        pod: "waiter".to_string(),
        container: "c".to_string(),
    };
    let inside = Inside::of(&cluster, &target).expect("the container");
    let touch = ["touch".to_string(), "/tmp/go".to_string()];
    let (_, status) = container::exec(&mut cluster, &inside, &touch, None, false, None);
    assert_eq!(status, 0);
    stsplay::sim::kubelet::commands_ran(&mut cluster, NS, "waiter");
    assert!(run_until(&mut cluster, 3 * SECOND, |c| pod(c, "waiter")
        .and_then(|p| terminated(&p))
        .is_some()));
    let pod_then = pod(&cluster, "waiter").expect("pod");
    assert_eq!(terminated(&pod_then), Some((0, "Completed".to_string())));
}

#[test]
fn an_executable_the_image_lacks_fails_to_start() {
    let mut cluster = Cluster::new(4);
    apply(
        &mut cluster,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: typo}\nspec:\n  containers:\n  - {name: c, image: busybox, command: [slep, '5']}\n",
    );
    assert!(run_until(&mut cluster, MINUTE, |c| pod(c, "typo")
        .and_then(|p| waiting_reason(&p))
        .as_deref()
        == Some("RunContainerError")));
    let pod_now = pod(&cluster, "typo").expect("pod");
    assert_eq!(
        last_terminated(&pod_now),
        Some((128, "StartError".to_string()))
    );
    assert!(run_until(&mut cluster, MINUTE, |c| pod(c, "typo")
        .and_then(|p| waiting_reason(&p))
        .as_deref()
        == Some("CrashLoopBackOff")));
    let failed = messages(&cluster, "Pod", "typo", "Failed");
    assert!(
        failed
            .iter()
            .all(|m| m.ends_with("exec: \"slep\": executable file not found in $PATH: unknown")),
        "{failed:?}"
    );
    assert!(messages(&cluster, "Pod", "typo", "Started").is_empty());
}

#[test]
fn a_loop_left_waiting_long_still_sees_what_it_waits_for() {
    let mut cluster = left_waiting(
        "[sh, -c, 'until nslookup late.default.svc.cluster.local; do sleep 2; done']",
        20 * MINUTE,
    );
    apply(
        &mut cluster,
        "apiVersion: v1\nkind: Service\nmetadata: {name: late}\nspec:\n  ports: [{port: 80}]\n",
    );
    assert!(
        run_until(&mut cluster, 5 * SECOND, |c| pod(c, "waiter")
            .and_then(|p| terminated(&p))
            .is_some()),
        "the next beat's lookup finds it"
    );
    let pod_then = pod(&cluster, "waiter").expect("pod");
    assert_eq!(terminated(&pod_then), Some((0, "Completed".to_string())));
}
