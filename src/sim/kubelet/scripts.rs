//! Scripts that end by themselves: the kubelet learns when a main process
//! such as `sh -c 'cat /config/app.conf && sleep 3600'` exits, and with
//! which status, by playing it in its container (`crate::container`): at
//! its start, then at the end of every sleep it waits in. So a failing
//! command, a typo (127) or an init container's `until nslookup …; do
//! sleep 2; done` behave as they do on a real node.

use k8s_openapi::api::core::v1::Pod;

use super::container::{Ctr, Stage};
use crate::sim::clock::Millis;
use crate::sim::images::Behaviour;
use crate::sim::runtime_data::Progress;
use crate::sim::Cluster;

/// A process ends a moment after its last command returns.
const EXIT_AFTER: Millis = 100;

/// Plays the pod's scripts whose progress is due to be learned, and tells
/// their containers what the plays found.
pub(super) fn follow(cluster: &mut Cluster, node: &str, pod: &Pod, now: Millis) {
    let Some(runtime) = super::runtime_of(cluster, node, pod) else {
        return;
    };
    let due: Vec<String> = runtime
        .all()
        .filter(|c| c.is_running() && c.plays_at.is_some_and(|at| at <= now))
        .map(|c| c.name().to_string())
        .collect();
    if due.is_empty() {
        return;
    }
    crate::container::start_up(cluster);
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    for name in due {
        let progress = cluster
            .runtime
            .containers
            .get(&(uid.clone(), name.clone()))
            .and_then(|runs| runs.current.as_ref())
            .and_then(|run| run.progress);
        let ctr = super::runtime_of_mut(cluster, node, pod)
            .and_then(|r| r.all_mut().find(|c| c.name() == name));
        if let Some(ctr) = ctr {
            ctr.learn(progress, now);
        }
    }
}

impl Ctr {
    /// What a play of the running main process found.
    fn learn(&mut self, progress: Option<Progress>, now: Millis) {
        self.plays_at = None;
        let Stage::Running { since, .. } = self.stage else {
            return;
        };
        match progress {
            Some(Progress::Sleeping(wakes)) => self.plays_at = Some(wakes.max(now)),
            Some(Progress::Waiting) => {}
            Some(Progress::Exited(at, code)) => self.end_by(at + EXIT_AFTER, code),
            // The simulator cannot follow it: it ends as its command line
            // suggests (`images::behaviour`).
            Some(Progress::Unknown) | None => {
                if let Ok(Behaviour::Exits { after_ms, code }) = self.behaviour {
                    self.end_by((since + after_ms).max(now), code);
                }
            }
        }
    }

    /// The process ends at `at` with `code`, unless it is stopped sooner.
    fn end_by(&mut self, at: Millis, code: i32) {
        if let Stage::Running { exit, .. } = &mut self.stage {
            if exit.is_none_or(|(stop, _)| at < stop) {
                *exit = Some((at, code));
            }
        }
    }
}
