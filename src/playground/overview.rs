//! The cluster at a glance, for the UI's cluster view: nodes with their pods
//! in ordinal order, StatefulSets' status, headless Services' DNS names, and
//! claims with their volumes. Pod columns come from kubectl's own printer, so
//! the view and `kubectl get pods` never disagree.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{Node, PersistentVolumeClaim, Pod, Service};

use super::Playground;
use crate::kubectl::printers::pod_row;
use crate::sim::explain::{pod_subject, Reason};
use crate::sim::pods;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overview {
    pub nodes: Vec<NodeCard>,
    /// Pods no node has taken yet.
    pub unscheduled: Vec<PodCard>,
    /// The scheduler's word on those of them it could not place.
    pub unscheduled_why: Vec<Reason>,
    pub sets: Vec<SetCard>,
    pub services: Vec<ServiceCard>,
    pub claims: Vec<ClaimCard>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeCard {
    pub name: String,
    pub ready: bool,
    /// Its kubelet reports (a fault can disconnect it).
    pub connected: bool,
    /// Cordoned: `kubectl get nodes` adds SchedulingDisabled to its status.
    pub cordoned: bool,
    pub pods: Vec<PodCard>,
}

/// How a pod is doing, for its colour (its text says the same in words).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    Ready,
    Starting,
    Failing,
    Terminating,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Ready => "ready",
            Health::Starting => "starting",
            Health::Failing => "failing",
            Health::Terminating => "terminating",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodCard {
    pub name: String,
    /// READY, STATUS and RESTARTS as `kubectl get pods` prints them.
    pub ready: String,
    pub status: String,
    pub restarts: String,
    /// The controller-revision-hash it runs ("" for pods no set owns).
    pub revision: String,
    pub health: Health,
    pub claims: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetCard {
    pub name: String,
    pub service: String,
    pub replicas: i32,
    pub ready: i32,
    pub current: i32,
    pub updated: i32,
    pub current_revision: String,
    pub update_revision: String,
    pub partition: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceCard {
    pub name: String,
    pub headless: bool,
    /// Each governed pod and its stable DNS name.
    pub dns: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimCard {
    pub name: String,
    pub phase: String,
    pub volume: Option<String>,
    pub capacity: Option<String>,
}

impl Playground {
    /// The objects of the current namespace (and the nodes), as the cluster
    /// view shows them.
    pub fn overview(&self) -> Overview {
        let store = self.cluster.store();
        let namespace = self.namespace();
        let now = self.cluster.now();
        let mut pods: Vec<&Pod> = store.list_typed::<Pod>(namespace).collect();
        pods.sort_by(|a, b| ordinal_key(name(&a.metadata)).cmp(&ordinal_key(name(&b.metadata))));
        let card = |pod: &Pod| pod_card(pod, now);

        let nodes = store
            .list_typed::<Node>("")
            .map(|node| NodeCard {
                name: name(&node.metadata).to_string(),
                ready: node_ready(node),
                connected: self
                    .cluster
                    .kubelets
                    .get(name(&node.metadata))
                    .is_some_and(|kubelet| kubelet.connected),
                cordoned: node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true),
                pods: pods
                    .iter()
                    .filter(|p| pods::node_name(p) == node.metadata.name.as_deref())
                    .map(|p| card(p))
                    .collect(),
            })
            .collect();
        let waiting: Vec<&Pod> = pods
            .iter()
            .copied()
            .filter(|p| pods::node_name(p).is_none())
            .collect();
        let unscheduled = waiting.iter().map(|p| card(p)).collect();
        let explanations = self.cluster.explanations();
        let unscheduled_why = waiting
            .iter()
            .filter_map(|p| explanations.get(&pod_subject(namespace, name(&p.metadata))))
            .map(|e| e.reason.clone())
            .collect();
        let sets: Vec<SetCard> = store
            .list_typed::<StatefulSet>(namespace)
            .map(set_card)
            .collect();
        let services = store
            .list_typed::<Service>(namespace)
            .map(|service| {
                let name = name(&service.metadata).to_string();
                let governed: Vec<&str> = sets
                    .iter()
                    .filter(|s| s.service == name)
                    .map(|s| s.name.as_str())
                    .collect();
                let dns = pods
                    .iter()
                    .map(|p| self::name(&p.metadata))
                    .filter(|pod| governed.iter().any(|set| pods::ordinal(pod, set).is_some()))
                    .map(|pod| {
                        let fqdn = format!("{pod}.{name}.{namespace}.svc.cluster.local");
                        (pod.to_string(), fqdn)
                    })
                    .collect();
                ServiceCard {
                    headless: service.spec.as_ref().and_then(|s| s.cluster_ip.as_deref())
                        == Some("None"),
                    name,
                    dns,
                }
            })
            .collect();
        let mut claims: Vec<ClaimCard> = store
            .list_typed::<PersistentVolumeClaim>(namespace)
            .map(claim_card)
            .collect();
        claims.sort_by(|a, b| ordinal_key(&a.name).cmp(&ordinal_key(&b.name)));
        Overview {
            nodes,
            unscheduled,
            unscheduled_why,
            sets,
            services,
            claims,
        }
    }
}

fn name(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("")
}

/// `web-10` after `web-9`: names sort by their stem, then their ordinal.
fn ordinal_key(name: &str) -> (&str, Option<u64>, &str) {
    match name.rsplit_once('-') {
        Some((stem, tail)) if tail.bytes().all(|b| b.is_ascii_digit()) => {
            (stem, tail.parse().ok(), name)
        }
        _ => (name, None, name),
    }
}

fn node_ready(node: &Node) -> bool {
    node.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .into_iter()
        .flatten()
        .any(|c| c.type_ == "Ready" && c.status == "True")
}

fn pod_card(pod: &Pod, now: crate::sim::clock::Millis) -> PodCard {
    let row = pod_row(pod, now, false);
    let cell = |i: usize| row.get(i).cloned().unwrap_or_default();
    let (ready, status) = (cell(1), cell(2));
    PodCard {
        name: cell(0),
        health: health(&ready, &status),
        ready,
        status,
        restarts: cell(3),
        revision: pods::revision(pod).to_string(),
        claims: pods::claim_names(pod)
            .into_iter()
            .map(String::from)
            .collect(),
    }
}

fn health(ready: &str, status: &str) -> Health {
    const FAILING: [&str; 9] = [
        "Err",
        "BackOff",
        "Error",
        "Failed",
        "OOMKilled",
        "Evicted",
        "Unknown",
        "ExitCode",
        "Signal",
    ];
    let all_ready = ready
        .split_once('/')
        .is_some_and(|(have, want)| have == want && want != "0");
    if status == "Terminating" {
        Health::Terminating
    } else if FAILING.iter().any(|word| status.contains(word)) {
        Health::Failing
    } else if status == "Running" && all_ready {
        Health::Ready
    } else {
        Health::Starting
    }
}

fn set_card(set: &StatefulSet) -> SetCard {
    let spec = set.spec.clone().unwrap_or_default();
    let status = set.status.clone().unwrap_or_default();
    SetCard {
        name: name(&set.metadata).to_string(),
        service: spec.service_name.unwrap_or_default(),
        replicas: spec.replicas.unwrap_or(1),
        ready: status.ready_replicas.unwrap_or(0),
        current: status.current_replicas.unwrap_or(0),
        updated: status.updated_replicas.unwrap_or(0),
        current_revision: status.current_revision.unwrap_or_default(),
        update_revision: status.update_revision.unwrap_or_default(),
        partition: spec
            .update_strategy
            .and_then(|s| s.rolling_update)
            .and_then(|r| r.partition)
            .unwrap_or(0),
    }
}

fn claim_card(claim: &PersistentVolumeClaim) -> ClaimCard {
    ClaimCard {
        name: name(&claim.metadata).to_string(),
        phase: claim
            .status
            .as_ref()
            .and_then(|s| s.phase.clone())
            .unwrap_or_else(|| "Pending".to_string()),
        volume: claim
            .spec
            .as_ref()
            .and_then(|s| s.volume_name.clone())
            .filter(|v| !v.is_empty()),
        capacity: claim
            .status
            .as_ref()
            .and_then(|s| s.capacity.as_ref())
            .and_then(|c| c.get("storage"))
            .map(|q| q.0.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cordoned_nodes_and_why_pods_wait_are_shown() {
        let mut playground = Playground::tutorial(1);
        for node in ["kind-worker", "kind-worker2"] {
            playground.run(1, &format!("kubectl cordon {node}"));
        }
        playground.run(1, "kubectl apply -f statefulset.yaml");
        playground.advance(5 * crate::sim::clock::SECOND);
        let view = playground.overview();
        let cordoned: Vec<bool> = view.nodes.iter().map(|n| n.cordoned).collect();
        assert_eq!(cordoned, [false, true, true]);
        assert_eq!(view.unscheduled.len(), 1);
        assert!(matches!(
            view.unscheduled_why.as_slice(),
            [Reason::NoNodeFits { pod, .. }] if pod == "web-0"
        ));
    }

    #[test]
    fn the_settled_tutorial_at_a_glance() {
        let mut playground = Playground::tutorial(1);
        playground.run(1, "kubectl apply -f statefulset.yaml");
        playground.settle();
        let view = playground.overview();

        let nodes: Vec<(&str, bool, Vec<&str>)> = view
            .nodes
            .iter()
            .map(|n| {
                let pods = n.pods.iter().map(|p| p.name.as_str()).collect();
                (n.name.as_str(), n.ready, pods)
            })
            .collect();
        // The scheduler spreads the two pods over the workers, in either order.
        let mut placed: Vec<&str> = nodes[1..].iter().flat_map(|(_, _, p)| p.clone()).collect();
        placed.sort_unstable();
        assert_eq!(placed, ["web-0", "web-1"]);
        assert_eq!(nodes[0], ("kind-control-plane", true, vec![]));
        assert!(nodes
            .iter()
            .all(|(_, ready, pods)| *ready && pods.len() <= 1));
        let web0 = view
            .nodes
            .iter()
            .flat_map(|n| &n.pods)
            .find(|p| p.name == "web-0")
            .expect("web-0 is on a node");
        assert_eq!(
            (
                web0.ready.as_str(),
                web0.status.as_str(),
                web0.restarts.as_str()
            ),
            ("1/1", "Running", "0")
        );
        assert_eq!(web0.health, Health::Ready);
        assert_eq!(web0.claims, ["www-web-0"]);
        assert!(view.unscheduled.is_empty());

        let set = &view.sets[0];
        assert_eq!(
            (set.replicas, set.ready, set.current, set.updated),
            (2, 2, 2, 2)
        );
        assert_eq!(set.current_revision, set.update_revision);
        assert!(!web0.revision.is_empty());
        assert_eq!(web0.revision, set.current_revision);

        let names: Vec<&str> = view.services.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["kubernetes", "nginx"]);
        assert!(!view.services[0].headless && view.services[0].dns.is_empty());
        let service = &view.services[1];
        assert!(service.headless);
        assert_eq!(
            service.dns,
            [
                (
                    "web-0".to_string(),
                    "web-0.nginx.default.svc.cluster.local".to_string()
                ),
                (
                    "web-1".to_string(),
                    "web-1.nginx.default.svc.cluster.local".to_string()
                ),
            ]
        );
        let claims: Vec<(&str, &str, bool)> = view
            .claims
            .iter()
            .map(|c| (c.name.as_str(), c.phase.as_str(), c.volume.is_some()))
            .collect();
        assert_eq!(
            claims,
            [("www-web-0", "Bound", true), ("www-web-1", "Bound", true)]
        );
        assert_eq!(view.claims[0].capacity.as_deref(), Some("1Gi"));
    }

    #[test]
    fn pods_sort_by_ordinal_and_health_reads_the_status() {
        let mut names = ["web-10", "web-2", "db-0", "web-1"];
        names.sort_by_key(|n| ordinal_key(n));
        assert_eq!(names, ["db-0", "web-1", "web-2", "web-10"]);
        assert_eq!(health("0/1", "Pending"), Health::Starting);
        assert_eq!(health("0/1", "ContainerCreating"), Health::Starting);
        assert_eq!(health("0/1", "ImagePullBackOff"), Health::Failing);
        assert_eq!(health("0/1", "CrashLoopBackOff"), Health::Failing);
        assert_eq!(health("1/1", "Terminating"), Health::Terminating);
        assert_eq!(
            health("0/1", "Running"),
            Health::Starting,
            "running, not ready"
        );
        assert_eq!(health("1/1", "Running"), Health::Ready);
    }
}
