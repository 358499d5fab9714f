//! Faults a user injects from the cluster view. They are inputs like typed
//! commands: journaled (so a reload or the timeline replays them) and shown
//! in a terminal, a comment line saying what was done and then what
//! happened, in the words kubectl or the kubelet would use.

use k8s_openapi::api::core::v1::Pod;
use serde::{Deserialize, Serialize};

use super::{Input, LineKind, Playground};
use crate::sim::controllers::nodes::NODE_MONITOR_GRACE;
use crate::sim::faults::{Fault, Target, MISSING_TAG};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "fault", rename_all = "camelCase")]
pub enum UserFault {
    /// Graceful deletion, as `kubectl delete pod --wait=false`.
    DeletePod { pod: String },
    /// SIGKILL to the pod's first container.
    KillContainer { pod: String },
    /// The node's kubelet stops reporting.
    NodeNotReady { node: String },
    /// The node's kubelet reports again.
    NodeReady { node: String },
    /// The StatefulSet's first container points at an image tag that does not exist.
    BreakImage { statefulset: String },
}

impl UserFault {
    /// The comment line the terminal shows for it.
    fn describe(&self) -> String {
        let what = match self {
            UserFault::DeletePod { pod } => format!("delete pod {pod}"),
            UserFault::KillContainer { pod } => format!("kill the container of pod {pod}"),
            UserFault::NodeNotReady { node } => format!("disconnect the kubelet of node {node}"),
            UserFault::NodeReady { node } => format!("reconnect the kubelet of node {node}"),
            UserFault::BreakImage { statefulset } => {
                format!("break the image of statefulset {statefulset}")
            }
        };
        format!("# cluster view: {what}")
    }
}

impl Playground {
    /// Injects `fault` in the playground's namespace and tells terminal
    /// `terminal` about it; returns whether the fault applied.
    pub fn inject(&mut self, terminal: usize, fault: &UserFault) -> bool {
        if terminal >= self.terminals.len() {
            return false;
        }
        self.journal.push(Input::Fault {
            terminal,
            fault: fault.clone(),
        });
        let result = self.apply_fault(fault);
        let term = &mut self.terminals[terminal];
        term.push(LineKind::Prompt, &format!("$ {}", fault.describe()));
        let applied = result.is_ok();
        match result {
            Ok(text) => term.push(LineKind::Out, &format!("{text}\n")),
            // The API server's refusals are already worded as kubectl prints them.
            Err(why) if why.starts_with("Error") => term.push(LineKind::Err, &format!("{why}\n")),
            Err(why) => term.push(LineKind::Err, &format!("error: {why}\n")),
        }
        self.pump();
        applied
    }

    /// Whether the kubelet of `node` reports to the cluster.
    pub fn node_connected(&self, node: &str) -> bool {
        self.cluster
            .kubelets
            .get(node)
            .is_some_and(|kubelet| kubelet.connected)
    }

    fn apply_fault(&mut self, fault: &UserFault) -> Result<String, String> {
        let namespace = self.namespace.clone();
        let cluster = &mut self.cluster;
        match fault {
            UserFault::DeletePod { pod } => {
                cluster.fault(Fault::DeletePod {
                    namespace: namespace.clone(),
                    pod: pod.clone(),
                })?;
                Ok(format!("pod \"{pod}\" deleted from {namespace} namespace"))
            }
            UserFault::KillContainer { pod } => {
                let container = cluster
                    .store()
                    .get_typed::<Pod>(&namespace, pod)
                    .and_then(|p| p.spec.as_ref()?.containers.first())
                    .map(|c| c.name.clone())
                    .ok_or_else(|| {
                        format!("Error from server (NotFound): pods \"{pod}\" not found")
                    })?;
                cluster.fault(Fault::KillContainer(Target::pod(&namespace, pod)))?;
                Ok(format!(
                    "container \"{container}\" of pod \"{pod}\" killed (SIGKILL, exit code 137); the kubelet restarts it"
                ))
            }
            UserFault::NodeNotReady { node } => {
                if !self.node_connected(node) {
                    return Err(format!(
                        "the kubelet of node \"{node}\" is already disconnected"
                    ));
                }
                self.cluster
                    .fault(Fault::DisconnectNode { node: node.clone() })?;
                Ok(format!(
                    "node \"{node}\" stopped reporting; after {}s without a heartbeat the node controller marks it NotReady and taints it, then its pods are evicted",
                    NODE_MONITOR_GRACE / 1_000
                ))
            }
            UserFault::NodeReady { node } => {
                if self.node_connected(node) {
                    return Err(format!("the kubelet of node \"{node}\" is connected"));
                }
                self.cluster
                    .fault(Fault::ReconnectNode { node: node.clone() })?;
                Ok(format!("node \"{node}\" reports again"))
            }
            UserFault::BreakImage { statefulset } => {
                cluster.fault(Fault::BreakImage {
                    namespace,
                    statefulset: statefulset.clone(),
                })?;
                Ok(format!(
                    "statefulset.apps/{statefulset}: the first container's image now has the tag \"{MISSING_TAG}\", which no registry has; the rollout will meet ErrImagePull"
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settled_tutorial() -> Playground {
        let mut pg = Playground::tutorial(1);
        pg.run(1, "kubectl apply -f statefulset.yaml");
        pg.settle();
        pg
    }

    fn pod_status(pg: &Playground, pod: &str) -> Option<(String, String, String)> {
        let view = pg.overview();
        let card = view
            .nodes
            .iter()
            .flat_map(|n| &n.pods)
            .find(|p| p.name == pod)?;
        Some((
            card.ready.clone(),
            card.status.clone(),
            card.restarts.clone(),
        ))
    }

    fn delete(pod: &str) -> UserFault {
        UserFault::DeletePod { pod: pod.into() }
    }

    #[test]
    fn a_deleted_pod_comes_back_and_the_terminal_says_so() {
        let mut pg = settled_tutorial();
        assert!(pg.inject(1, &delete("web-1")));
        let text = pg.terminals[1].text();
        assert!(
            text.ends_with("$ # cluster view: delete pod web-1\npod \"web-1\" deleted from default namespace\n"),
            "{text}"
        );
        assert!(pg.terminals[0]
            .text()
            .contains("web-1   1/1     Terminating"));
        pg.settle();
        assert_eq!(
            pod_status(&pg, "web-1"),
            Some(("1/1".into(), "Running".into(), "0".into()))
        );
        assert!(!pg.inject(1, &delete("web-9")));
        assert!(pg.terminals[1]
            .text()
            .ends_with("Error from server (NotFound): pods \"web-9\" not found\n"));
    }

    #[test]
    fn a_killed_container_restarts() {
        let mut pg = settled_tutorial();
        assert!(pg.inject(
            1,
            &UserFault::KillContainer {
                pod: "web-0".into()
            }
        ));
        assert!(pg.terminals[1]
            .text()
            .contains("container \"nginx\" of pod \"web-0\" killed (SIGKILL, exit code 137)"));
        pg.settle();
        let (ready, status, restarts) = pod_status(&pg, "web-0").expect("web-0");
        assert_eq!((ready.as_str(), status.as_str()), ("1/1", "Running"));
        assert!(restarts.starts_with("1 "), "{restarts}");
    }

    #[test]
    fn a_node_goes_not_ready_and_comes_back() {
        let mut pg = settled_tutorial();
        let node = "kind-worker".to_string();
        assert!(pg.inject(1, &UserFault::NodeNotReady { node: node.clone() }));
        assert!(!pg.node_connected(&node));
        assert!(!pg.inject(1, &UserFault::NodeNotReady { node: node.clone() }));
        pg.advance(NODE_MONITOR_GRACE + 10_000);
        let ready = |pg: &Playground| {
            pg.overview()
                .nodes
                .iter()
                .find(|n| n.name == node)
                .map(|n| n.ready)
        };
        assert_eq!(ready(&pg), Some(false));
        assert!(pg.inject(1, &UserFault::NodeReady { node: node.clone() }));
        pg.advance(10_000);
        assert_eq!(ready(&pg), Some(true));
    }

    #[test]
    fn a_broken_image_stalls_the_rollout_and_faults_replay() {
        let mut pg = settled_tutorial();
        assert!(pg.inject(
            1,
            &UserFault::BreakImage {
                statefulset: "web".into()
            }
        ));
        pg.advance(60_000);
        let (_, status, _) = pod_status(&pg, "web-1").expect("web-1 is recreated");
        assert!(
            status == "ErrImagePull" || status == "ImagePullBackOff",
            "{status}"
        );
        let restored = Playground::restore(&pg.save()).expect("replays");
        let screens = |p: &Playground| p.terminals.iter().map(|t| t.text()).collect::<Vec<_>>();
        assert_eq!(screens(&restored), screens(&pg));
        assert!(!pg.inject(
            7,
            &UserFault::BreakImage {
                statefulset: "web".into()
            }
        ));
    }
}
