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

#[test]
fn restarts_back_off_ten_seconds_doubling_to_five_minutes() {
    let yaml = web(1, "")
        .replace(
            "        ports: [{containerPort: 80, name: web}]",
            "        command: [sh, -c, 'exit 1']",
        )
        .replace("registry.k8s.io/nginx-slim:0.21", "busybox:1.28");
    let mut cluster = Cluster::new(8);
    apply(&mut cluster, &yaml);
    let gaps = restart_gaps(&mut cluster, 8);
    // Timestamps have second precision, so each gap may read one second long.
    let expected = [0, 10, 20, 40, 80, 160, 300, 300];
    assert_eq!(gaps.len(), expected.len(), "{gaps:?}");
    for (gap, want) in gaps.iter().zip(expected) {
        assert!(
            *gap >= want && *gap <= want + 2,
            "gaps {gaps:?} vs {expected:?}"
        );
    }
}
