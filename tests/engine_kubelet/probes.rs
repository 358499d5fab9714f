use stsplay::sim::clock::MINUTE;
use stsplay::sim::{Cluster, Fault, Target};

use crate::common::*;

fn with_probes(probes: &str) -> Cluster {
    let yaml = web(1, "").replace(
        "        ports: [{containerPort: 80, name: web}]",
        &format!("        ports: [{{containerPort: 80, name: web}}]\n{probes}"),
    );
    let mut cluster = Cluster::new(9);
    apply(&mut cluster, SERVICE);
    apply(&mut cluster, &yaml);
    cluster
}

const READINESS: &str = "        readinessProbe: {httpGet: {path: /, port: web}}";
const LIVENESS: &str = "        livenessProbe: {httpGet: {path: /, port: 80}}";

fn target() -> Target {
    Target::pod(NS, "web-0")
}

#[test]
fn healthy_probes_let_the_cluster_settle() {
    let mut cluster = with_probes(&format!("{READINESS}\n{LIVENESS}"));
    settle(&mut cluster);
    assert!(running_and_ready(&cluster, "web-0"));
    assert!(messages(&cluster, "Pod", "web-0", "Unhealthy").is_empty());
}

#[test]
fn failing_readiness_makes_the_pod_unready_without_restarts() {
    let mut cluster = with_probes(READINESS);
    settle(&mut cluster);
    cluster.fault(Fault::FailReadiness(target())).unwrap();
    assert!(run_until(&mut cluster, 2 * MINUTE, |c| !running_and_ready(
        c, "web-0"
    )));
    let p = pod(&cluster, "web-0").unwrap();
    assert_eq!(phase(&p), "Running", "Running 0/1");
    assert_eq!(restart_count(&p), 0);
    let unhealthy = messages(&cluster, "Pod", "web-0", "Unhealthy");
    assert_eq!(
        unhealthy,
        ["Readiness probe failed: HTTP probe failed with statuscode: 503"]
    );
    let count = cluster
        .store()
        .list_typed::<k8s_openapi::api::core::v1::Event>(NS)
        .find(|e| e.reason.as_deref() == Some("Unhealthy"))
        .and_then(|e| e.count);
    assert_eq!(count, Some(3), "failureThreshold 3 failures, aggregated");
    let no_ready_address = |c: &Cluster| {
        c.store()
            .get_typed::<stsplay::sim::shared_endpoints::Endpoints>(NS, "nginx")
            .and_then(|e| e.subsets.clone())
            .is_some_and(|s| s[0].addresses.is_none())
    };
    assert!(
        run_until(&mut cluster, 10_000, no_ready_address),
        "the unready pod left the endpoints"
    );
    cluster.fault(Fault::RestoreReadiness(target())).unwrap();
    assert!(run_until(&mut cluster, MINUTE, |c| running_and_ready(
        c, "web-0"
    )));
    settle(&mut cluster);
}

#[test]
fn failing_liveness_kills_and_restarts_the_container() {
    let mut cluster = with_probes(LIVENESS);
    settle(&mut cluster);
    cluster.fault(Fault::HangApp(target())).unwrap();
    assert!(run_until(&mut cluster, 2 * MINUTE, |c| pod(c, "web-0")
        .is_some_and(|p| restart_count(&p) == 1)));
    let ip = pod(&cluster, "web-0")
        .unwrap()
        .status
        .unwrap()
        .pod_ip
        .unwrap();
    assert_eq!(
        messages(&cluster, "Pod", "web-0", "Unhealthy"),
        [format!("Liveness probe failed: Get \"http://{ip}:80/\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")]
    );
    assert_eq!(
        messages(&cluster, "Pod", "web-0", "Killing"),
        ["Container nginx failed liveness probe, will be restarted"]
    );
    settle(&mut cluster);
    assert!(
        running_and_ready(&cluster, "web-0"),
        "the restarted process is healthy"
    );
}

#[test]
fn a_probe_on_the_wrong_path_never_passes() {
    let mut cluster = with_probes(
        "        readinessProbe: {httpGet: {path: /healthz, port: 80}, periodSeconds: 2}",
    );
    cluster.advance(MINUTE);
    assert!(!running_and_ready(&cluster, "web-0"));
    assert_eq!(
        messages(&cluster, "Pod", "web-0", "Unhealthy"),
        ["Readiness probe failed: HTTP probe failed with statuscode: 404"]
    );
    assert!(
        pod(&cluster, "web-1").is_none(),
        "OrderedReady waits for web-0"
    );
}

#[test]
fn a_failing_startup_probe_restarts_the_container() {
    let mut cluster = with_probes(
        "        startupProbe: {tcpSocket: {port: 8080}, periodSeconds: 1, failureThreshold: 2}",
    );
    assert!(run_until(&mut cluster, 2 * MINUTE, |c| pod(c, "web-0")
        .is_some_and(|p| restart_count(&p) >= 1)));
    assert_eq!(
        messages(&cluster, "Pod", "web-0", "Killing")
            .first()
            .map(String::as_str),
        Some("Container nginx failed startup probe, will be restarted")
    );
    let unhealthy = messages(&cluster, "Pod", "web-0", "Unhealthy");
    assert!(
        unhealthy[0].starts_with("Startup probe failed: dial tcp 10.244."),
        "{unhealthy:?}"
    );
    assert!(unhealthy[0].ends_with(":8080: connect: connection refused"));
}

#[test]
fn readiness_fault_without_a_probe_is_refused() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let err = cluster.fault(Fault::FailReadiness(target())).unwrap_err();
    assert!(err.contains("has no readinessProbe"), "{err}");
}

#[test]
fn a_process_that_will_exit_by_itself_is_probed_until_it_does() {
    // `sleep 3600` ends on its own; until then its probes run as any other's
    // (before, their overdue time stalled the clock).
    let yaml = web(1, "").replace(
        "        ports: [{containerPort: 80, name: web}]",
        "        command: [sleep, \"3600\"]\n        readinessProbe: {exec: {command: [\"true\"]}}",
    );
    let mut cluster = Cluster::new(9);
    apply(&mut cluster, SERVICE);
    apply(&mut cluster, &yaml);
    assert!(run_until(&mut cluster, MINUTE, |c| running_and_ready(
        c, "web-0"
    )));
    cluster.advance(10 * MINUTE);
    assert!(running_and_ready(&cluster, "web-0"));
}

#[test]
fn a_probe_on_a_port_name_no_port_has_errors_without_consequence() {
    let mut cluster = with_probes("        livenessProbe: {httpGet: {path: /, port: http}}");
    cluster.advance(2 * MINUTE);
    let p = pod(&cluster, "web-0").unwrap();
    assert_eq!(phase(&p), "Running");
    assert_eq!(restart_count(&p), 0, "an errored result is thrown away");
    assert_eq!(
        messages(&cluster, "Pod", "web-0", "Unhealthy"),
        ["Liveness probe errored and resulted in unknown state: strconv.Atoi: parsing \"http\": invalid syntax"]
    );
    assert!(messages(&cluster, "Pod", "web-0", "Killing").is_empty());
}

#[test]
fn liveness_kills_further_apart_than_the_back_off_restart_at_once() {
    // A liveness probe that never passes kills nginx about every 30 s
    // (3 failures 10 s apart, then its graceful stop). The kubelet restarts
    // it in the same sync, judging back-off by the exit before: 10 s and 20 s
    // windows have passed, so the first kills restart at once; the window
    // that outlasts them (40 s) brings CrashLoopBackOff.
    let mut cluster = with_probes("        livenessProbe: {httpGet: {path: /healthz, port: 80}}");
    let waiting = |c: &Cluster| {
        pod(c, "web-0")
            .and_then(|p| waiting_reason(&p))
            .filter(|r| r == "CrashLoopBackOff")
    };
    assert!(run_until(&mut cluster, 10 * MINUTE, |c| waiting(c).is_some()));
    let restarts = restart_count(&pod(&cluster, "web-0").unwrap());
    assert!(restarts >= 3, "back-off only after {restarts} restarts");
}
