//! Faults that scenarios and users inject: what breaks, and how the
//! cluster reacts as a real one would. Each returns a plain-language error
//! when it cannot apply (unknown pod, no probe to fail, …).

use k8s_openapi::api::apps::v1::StatefulSet;

use super::cluster::{Cluster, DeleteOptions};
use super::controllers::nodes;
use super::kubelet::{self, AppHealth};
use super::object::{Kind, Object, ObjectKey};

/// The tag a broken image points at; the image catalogue has no such tag.
pub const MISSING_TAG: &str = "does-not-exist";

/// A container: the pod's first one when `container` is None.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub namespace: String,
    pub pod: String,
    pub container: Option<String>,
}

impl Target {
    pub fn pod(namespace: &str, pod: &str) -> Target {
        Target {
            namespace: namespace.to_string(),
            pod: pod.to_string(),
            container: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// SIGKILL the container's process: exit 137 (`Error`), then a restart
    /// with back-off.
    KillContainer(Target),
    /// `kubectl delete pod`: graceful deletion; the StatefulSet recreates it.
    DeletePod {
        namespace: String,
        pod: String,
    },
    /// The node's kubelet stops reporting: NotReady after the grace period,
    /// its pods not Ready, then evicted and stuck Terminating.
    DisconnectNode {
        node: String,
    },
    /// The kubelet reports again.
    ReconnectNode {
        node: String,
    },
    /// The node object is deleted; PodGC removes its pods later.
    RemoveNode {
        node: String,
    },
    /// Points the StatefulSet's first container at an image tag that does
    /// not exist: the rollout meets ErrImagePull / ImagePullBackOff.
    BreakImage {
        namespace: String,
        statefulset: String,
    },
    /// The app's readiness checks start failing (until RestoreReadiness).
    FailReadiness(Target),
    RestoreReadiness(Target),
    /// The app hangs: liveness (and readiness) checks time out until the
    /// kubelet restarts the container.
    HangApp(Target),
}

impl Cluster {
    /// Injects a fault. Nothing changes when it returns an error.
    pub fn fault(&mut self, fault: Fault) -> Result<(), String> {
        match fault {
            Fault::KillContainer(t) => kubelet::with_container(self, &t, kubelet::kill_container),
            Fault::DeletePod { namespace, pod } => {
                let key = ObjectKey::new(Kind::Pod, &namespace, &pod);
                self.delete(&key, &DeleteOptions::default())
                    .map(|_| ())
                    .map_err(|e| e.kubectl_text())
            }
            Fault::DisconnectNode { node } => {
                self.known_node(&node)?;
                nodes::disconnect(self, &node);
                Ok(())
            }
            Fault::ReconnectNode { node } => {
                if !self.kubelets.contains_key(&node) {
                    return Err(format!("node \"{node}\" not found"));
                }
                nodes::reconnect(self, &node);
                Ok(())
            }
            Fault::RemoveNode { node } => nodes::remove(self, &node),
            Fault::BreakImage {
                namespace,
                statefulset,
            } => self.break_image(&namespace, &statefulset),
            Fault::FailReadiness(t) => self.set_health(&t, "readinessProbe", |h| h.unready = true),
            Fault::RestoreReadiness(t) => {
                self.set_health(&t, "readinessProbe", |h| h.unready = false)
            }
            Fault::HangApp(t) => self.set_health(&t, "livenessProbe", |h| h.hung = true),
        }
    }

    fn known_node(&self, node: &str) -> Result<(), String> {
        if self
            .store
            .get(&ObjectKey::new(Kind::Node, "", node))
            .is_some()
        {
            Ok(())
        } else {
            Err(format!("node \"{node}\" not found"))
        }
    }

    fn break_image(&mut self, namespace: &str, name: &str) -> Result<(), String> {
        let Some(set) = self
            .store
            .get_typed::<StatefulSet>(namespace, name)
            .cloned()
        else {
            return Err(format!("statefulset \"{name}\" not found"));
        };
        let mut broken = set;
        let container = broken
            .spec
            .as_mut()
            .and_then(|s| s.template.spec.as_mut())
            .and_then(|s| s.containers.first_mut())
            .ok_or_else(|| format!("statefulset \"{name}\" has no containers"))?;
        let image = container.image.clone().unwrap_or_default();
        let repository = crate::sim::defaults::image_without_tag(&image);
        container.image = Some(format!("{repository}:{MISSING_TAG}"));
        broken.metadata.resource_version = None;
        self.update(Object::StatefulSet(Box::new(broken)))
            .map(|_| ())
            .map_err(|e| e.kubectl_text())
    }

    /// Changes how a container's app answers probes; `needs` names the
    /// probe without which the fault would have no visible effect.
    fn set_health(
        &mut self,
        target: &Target,
        needs: &str,
        change: impl FnOnce(&mut AppHealth),
    ) -> Result<(), String> {
        kubelet::with_container(self, target, |ctr, now| {
            let probed = match needs {
                "readinessProbe" => ctr.spec.readiness_probe.is_some(),
                _ => ctr.spec.liveness_probe.is_some() || ctr.spec.readiness_probe.is_some(),
            };
            if !probed {
                return Err(format!(
                    "container \"{}\" has no {needs}, so the kubelet would not notice; add one to the pod template",
                    ctr.name()
                ));
            }
            let mut health = ctr.health;
            change(&mut health);
            ctr.set_health(health, now);
            Ok(())
        })
    }
}
