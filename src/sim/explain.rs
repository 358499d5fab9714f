//! Why the control plane is (not) doing something, for the UI's explain
//! panel. Each controller keeps the latest word per object, as a [`Reason`]
//! (which the UI words in its language) and that reason in English.

use std::collections::BTreeMap;
use std::fmt;

use super::clock::Millis;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub at: Millis,
    pub controller: &'static str,
    /// What it is about, e.g. `statefulset/web`.
    pub subject: String,
    pub reason: Reason,
    /// The reason in English.
    pub message: String,
}

/// The statefulset controller's decisions and what it waits for. Names are
/// object names, shown as they are in every language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    Deleting {
        set: String,
    },
    OnDeleteOutdated {
        pod: String,
    },
    ClaimStillHeld {
        pod: String,
    },
    CreateFailed {
        pod: String,
    },
    Created {
        pod: String,
    },
    Finished {
        pod: String,
        phase: String,
    },
    AwaitTermination {
        pod: String,
    },
    /// The next step (creating or deleting `next`) waits for `pod`.
    Blocked {
        next: Next,
        pod: String,
    },
    AwaitReady {
        pod: String,
    },
    /// OrderedReady waits for `pod`, which runs an older revision than the
    /// set's and is not Running and Ready: a rolling update never replaces
    /// it, so a broken template stays until the pod is deleted (the
    /// StatefulSet docs' "forced rollback").
    OutdatedNotReady {
        pod: String,
    },
    AwaitMinReady {
        pod: String,
        seconds: i32,
    },
    ScaleDownAwaitTermination {
        pod: String,
    },
    ScaleDownAwaitHealthy {
        pod: String,
    },
    ScaleDownDeleted {
        pod: String,
    },
    RolloutAwaitCreation {
        pod: String,
    },
    RolloutDeleted {
        pod: String,
        revision: String,
    },
    RolloutAwaitReady {
        pod: String,
    },
    BelowPartition {
        pod: String,
        partition: usize,
    },
    /// Nothing to do: how many pods are Running and Ready, at which revision.
    Summary {
        ready: usize,
        wanted: i32,
        revision: String,
    },
    /// The PV controller's: a claim whose class binds only for a scheduled pod.
    ClaimAwaitConsumer {
        claim: String,
    },
    /// A provisioner was asked for the claim's volume.
    ClaimAwaitProvisioner {
        claim: String,
        provisioner: String,
    },
    /// No free volume fits the claim and nothing can make one: its class does
    /// not exist (`class`), names no provisioner that runs (`provisioner`),
    /// or is empty (both None).
    ClaimUnbindable {
        claim: String,
        class: Option<String>,
        provisioner: Option<String>,
    },
    /// The scheduler's: no node passed its filters. `rejections` are the
    /// filters' own "<count> <reason>" texts, as FailedScheduling lists them.
    NoNodeFits {
        pod: String,
        nodes: usize,
        rejections: Vec<String>,
    },
    /// The scheduler's: a claim of the pod is missing or being deleted, so
    /// no node was looked at.
    ClaimUnusable {
        pod: String,
        claim: String,
        deleting: bool,
    },
    /// The scheduler's: a claim whose class binds at once (Immediate) is not
    /// bound yet, and the pod waits for it.
    AwaitImmediateClaim {
        pod: String,
        claim: String,
    },
}

/// What waits behind a pod that is not Running and Ready.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    NotCreated(String),
    NotDeleted(String),
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Reason::*;
        match self {
            Deleting { set } => write!(
                f,
                "{set} is being deleted; its pods are removed by the garbage collector"
            ),
            OnDeleteOutdated { pod } => write!(
                f,
                "OnDelete: {pod} runs an old revision; delete it to update it"
            ),
            ClaimStillHeld { pod } => write!(f, "{pod} not created: its claim still belongs to the previous {pod} (whenScaled=Delete)"),
            CreateFailed { pod } => write!(
                f,
                "{pod} could not be created; see the StatefulSet's events"
            ),
            Created { pod } => write!(f, "created {pod}; the next pod waits until it is Running and Ready (OrderedReady)"),
            Finished { pod, phase } => write!(
                f,
                "{pod} has phase {phase}; it is replaced once the old pod is gone"
            ),
            AwaitTermination { pod } => write!(
                f,
                "waiting for {pod} to finish terminating (OrderedReady)"
            ),
            Blocked { next, pod } => {
                match next {
                    Next::NotCreated(next) => write!(f, "{next} not created yet")?,
                    Next::NotDeleted(next) => write!(f, "{next} not deleted yet")?,
                }
                write!(f, ": {pod} is not Running and Ready (OrderedReady)")
            }
            AwaitReady { pod } => write!(f, "waiting for {pod} to be Running and Ready"),
            OutdatedNotReady { pod } => write!(
                f,
                "waiting for {pod} to be Running and Ready; it runs an older revision, and a rolling update does not replace a pod that is not Ready. If it cannot recover (a crash loop, a bad image), delete {pod}: it comes back from the new template"
            ),
            AwaitMinReady { pod, seconds } => write!(
                f,
                "waiting for {pod} to be Ready for minReadySeconds={seconds}"
            ),
            ScaleDownAwaitTermination { pod } => {
                write!(f, "scaling down: waiting for {pod} to terminate")
            }
            ScaleDownAwaitHealthy { pod } => write!(
                f,
                "scaling down: {pod} waits for unhealthy pods to recover"
            ),
            ScaleDownDeleted { pod } => write!(
                f,
                "scaling down: deleted {pod} (highest ordinal first)"
            ),
            RolloutAwaitCreation { pod } => {
                write!(f, "rolling update: waiting for {pod} to be created")
            }
            RolloutDeleted { pod, revision } => write!(
                f,
                "rolling update: deleted {pod} to recreate it at revision {revision}"
            ),
            RolloutAwaitReady { pod } => write!(
                f,
                "rolling update: waiting for {pod} to be Running and Ready"
            ),
            BelowPartition { pod, partition } => {
                write!(f, "{pod} not updated: below partition {partition}")
            }
            Summary {
                ready,
                wanted,
                revision,
            } => write!(
                f,
                "{ready}/{wanted} pods Running and Ready; update revision {revision}"
            ),
            ClaimAwaitConsumer { claim } => write!(
                f,
                "{claim} waits for a pod that uses it to be scheduled (WaitForFirstConsumer)"
            ),
            ClaimAwaitProvisioner { claim, provisioner } => write!(
                f,
                "{claim} waits for {provisioner} to create its volume; if that takes long, check that the provisioner runs"
            ),
            ClaimUnbindable {
                claim,
                class,
                provisioner,
            } => {
                write!(f, "{claim} stays Pending: no free volume fits it, and ")?;
                match (class, provisioner) {
                    (Some(class), _) => write!(f, "StorageClass {class} does not exist"),
                    (None, Some(provisioner)) => {
                        write!(f, "nothing provisions volumes for {provisioner}")
                    }
                    (None, None) => write!(f, "it names no StorageClass"),
                }
            }
            NoNodeFits {
                pod,
                nodes,
                rejections,
            } => write!(
                f,
                "{pod} not scheduled: none of the {nodes} nodes fits it ({}); the scheduler tries again when the cluster changes",
                rejections.join(", ")
            ),
            ClaimUnusable {
                pod,
                claim,
                deleting,
            } => {
                let state = if *deleting {
                    "is being deleted"
                } else {
                    "does not exist"
                };
                write!(f, "{pod} not scheduled: its claim {claim} {state}")
            }
            AwaitImmediateClaim { pod, claim } => write!(
                f,
                "{pod} not scheduled yet: its claim {claim} binds first (volumeBindingMode Immediate) and is not bound"
            ),
        }
    }
}

/// The subject of a pod's explanation: `pod/web-0`, with `-n` outside the
/// default namespace, as kubectl would name it.
pub fn pod_subject(namespace: &str, name: &str) -> String {
    if namespace == "default" {
        format!("pod/{name}")
    } else {
        format!("pod/{name} -n {namespace}")
    }
}

#[derive(Clone, Debug, Default)]
pub struct Explanations {
    latest: BTreeMap<String, Explanation>,
}

impl Explanations {
    pub fn set(&mut self, at: Millis, controller: &'static str, subject: String, reason: Reason) {
        if self
            .latest
            .get(&subject)
            .is_some_and(|e| e.reason == reason)
        {
            return;
        }
        self.latest.insert(
            subject.clone(),
            Explanation {
                at,
                controller,
                subject,
                message: reason.to_string(),
                reason,
            },
        );
    }

    /// Sets the controller's word on `subject`, or clears it (None).
    pub fn update(
        &mut self,
        at: Millis,
        controller: &'static str,
        subject: String,
        reason: Option<Reason>,
    ) {
        match reason {
            Some(reason) => self.set(at, controller, subject, reason),
            None => self.clear(&subject),
        }
    }

    pub fn clear(&mut self, subject: &str) {
        self.latest.remove(subject);
    }

    pub fn get(&self, subject: &str) -> Option<&Explanation> {
        self.latest.get(subject)
    }

    /// Newest first.
    pub fn all(&self) -> Vec<&Explanation> {
        let mut all: Vec<_> = self.latest.values().collect();
        all.sort_by(|a, b| b.at.cmp(&a.at).then(a.subject.cmp(&b.subject)));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_plain_english() {
        let blocked = Reason::Blocked {
            next: Next::NotCreated("web-1".into()),
            pod: "web-0".into(),
        };
        assert_eq!(
            blocked.to_string(),
            "web-1 not created yet: web-0 is not Running and Ready (OrderedReady)"
        );
        let summary = Reason::Summary {
            ready: 2,
            wanted: 3,
            revision: "web-7b9c".into(),
        };
        assert_eq!(
            summary.to_string(),
            "2/3 pods Running and Ready; update revision web-7b9c"
        );
    }

    #[test]
    fn the_same_reason_again_keeps_its_time() {
        let mut explanations = Explanations::default();
        let reason = Reason::AwaitReady {
            pod: "web-0".into(),
        };
        explanations.set(
            5,
            "statefulset-controller",
            "statefulset/web".into(),
            reason.clone(),
        );
        explanations.set(
            9,
            "statefulset-controller",
            "statefulset/web".into(),
            reason,
        );
        let latest = explanations.get("statefulset/web").expect("set");
        assert_eq!(
            (latest.at, latest.message.as_str()),
            (5, "waiting for web-0 to be Running and Ready")
        );
    }
}
