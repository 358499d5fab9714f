//! What a StatefulSet pass needs to know about a pod it looks at: its
//! ordinal, phase, readiness, availability and revision, read once from the
//! pod's labels and conditions (the counts for the status come from the
//! set's view, `stateful_cache`).

use k8s_openapi::api::core::v1::Pod;

use crate::sim::clock::Millis;
use crate::sim::pods::{self, is_available, is_running_and_ready, is_terminating};

#[derive(Clone, Copy, Debug)]
pub struct PodFacts<'a> {
    pub pod: &'a Pod,
    pub name: &'a str,
    /// The ordinal in `<set>-<ordinal>`; the set only owns pods that have one.
    pub ordinal: i32,
    /// Empty until the kubelet reports a phase (the pod is not yet created there).
    pub phase: &'a str,
    pub running_and_ready: bool,
    /// Ready for longer than minReadySeconds.
    pub available: bool,
    pub terminating: bool,
    /// The `controller-revision-hash` label.
    pub revision: &'a str,
}

impl<'a> PodFacts<'a> {
    /// Facts about `pod` as a pod of set `set_name`, judged at `now`; None
    /// when its name carries no ordinal of this set.
    pub fn of(pod: &'a Pod, set_name: &str, min_ready: i32, now: Millis) -> Option<PodFacts<'a>> {
        let name = pod.metadata.name.as_deref().unwrap_or("");
        Some(PodFacts {
            pod,
            name,
            ordinal: pods::ordinal(name, set_name)?,
            phase: pods::phase(pod),
            running_and_ready: is_running_and_ready(pod),
            available: is_available(pod, min_ready, now),
            terminating: is_terminating(pod),
            revision: pods::revision(pod),
        })
    }

    /// isUnavailable: not Ready for minReadySeconds, or terminating.
    pub fn unavailable(&self) -> bool {
        !self.available || self.terminating
    }
}
