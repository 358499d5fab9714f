//! Scripts that end by themselves: the kubelet learns when a main process
//! such as `sh -c 'cat /config/app.conf && sleep 3600'` exits, and with
//! which status, by playing it in its container (`crate::container`): at
//! its start, then at the end of the sleeps it waits in. So a failing
//! command, a typo (127) or an init container's `until nslookup …; do
//! sleep 2; done` behave as they do on a real node.
//!
//! A play runs the script again from its start, so following a loop at
//! every beat costs the square of its age. While nothing changes around it
//! (no store write, no `kubectl exec` into it) a play would find what the
//! last one did, so after its first minute the kubelet plays it only when
//! something changed, or when a tenth of its age has passed since the last
//! play (for loops that count), and otherwise just looks again a beat on.

use k8s_openapi::api::core::v1::Pod;

use super::container::{Ctr, Stage};
use crate::sim::clock::{Millis, MINUTE, SECOND};
use crate::sim::images::Behaviour;
use crate::sim::runtime_data::Progress;
use crate::sim::Cluster;

/// A process ends a moment after its last command returns.
const EXIT_AFTER: Millis = 100;

/// How long a script is played at every beat whatever happens around it.
const FOLLOW_CLOSELY: Millis = MINUTE;

/// How the kubelet follows a script it plays.
#[derive(Clone, Debug, PartialEq)]
pub struct Following {
    /// When it looks next: the end of the sleep the script waits in.
    pub at: Millis,
    /// When it last played the script, and the store's resourceVersion then.
    played: Option<(Millis, u64)>,
    /// How long the script's last sleep was: the beat of its loop.
    beat: Millis,
    /// Someone ran commands in the container since the last play.
    touched: bool,
}

impl From<Millis> for Following {
    /// A script that started at `at`, played once its status shows it.
    fn from(at: Millis) -> Following {
        Following {
            at,
            played: None,
            beat: SECOND,
            touched: false,
        }
    }
}

impl Following {
    /// Whether a play now could find something the last one did not.
    fn worth_a_play(&self, since: Millis, now: Millis, version: u64) -> bool {
        let Some((played_at, seen)) = self.played else {
            return true;
        };
        let age = now.saturating_sub(since);
        self.touched
            || seen != version
            || age < FOLLOW_CLOSELY
            || now.saturating_sub(played_at) >= age / 10
    }
}

/// Plays the pod's scripts whose progress is due to be learned, and tells
/// their containers what the plays found.
pub(super) fn follow(cluster: &mut Cluster, node: &str, pod: &Pod, now: Millis) {
    let Some(runtime) = super::runtime_of(cluster, node, pod) else {
        return;
    };
    let version = cluster.store.resource_version();
    let mut due: Vec<(String, bool)> = Vec::new();
    for ctr in runtime.all() {
        let (Stage::Running { since, .. }, Some(following)) = (&ctr.stage, &ctr.following) else {
            continue;
        };
        if following.at <= now {
            let play = following.worth_a_play(*since, now, version);
            due.push((ctr.name().to_string(), play));
        }
    }
    let uid = pod.metadata.uid.as_deref().unwrap_or("");
    if due.iter().any(|(_, play)| *play) {
        crate::container::start_up_pod(cluster, uid);
    }
    for (name, play) in due {
        let progress = cluster
            .runtime
            .current(uid, &name)
            .and_then(|run| run.progress);
        let ctr = super::runtime_of_mut(cluster, node, pod)
            .and_then(|r| r.all_mut().find(|c| c.name() == name));
        match ctr {
            Some(ctr) if play => ctr.learn(progress, now, version),
            Some(ctr) => ctr.look_again(now),
            None => {}
        }
    }
}

/// Someone ran commands in the container: a play may find them.
pub(super) fn touched(ctr: &mut Ctr) {
    if let Some(following) = ctr.following.as_mut() {
        following.touched = true;
    }
}

impl Ctr {
    /// What a play of the running main process found.
    fn learn(&mut self, progress: Option<Progress>, now: Millis, version: u64) {
        self.following = None;
        let Stage::Running { since, .. } = self.stage else {
            return;
        };
        match progress {
            Some(Progress::Sleeping(wakes)) => {
                let wakes = wakes.max(now);
                self.following = Some(Following {
                    at: wakes,
                    played: Some((now, version)),
                    beat: (wakes - now).max(SECOND),
                    touched: false,
                });
            }
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

    /// Nothing changed since the last play: look again a beat on.
    fn look_again(&mut self, now: Millis) {
        if let Some(following) = self.following.as_mut() {
            following.at = now + following.beat;
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
