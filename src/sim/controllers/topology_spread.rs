//! The scheduler's PodTopologySpread filter: a pod's `DoNotSchedule`
//! constraints keep the number of matching pods in each topology domain
//! within `maxSkew` of the emptiest domain.
//!
//! As kube-scheduler counts with the default policies (nodeAffinityPolicy
//! Honor, nodeTaintsPolicy Ignore): every node that passes the pod's node
//! selector and required node affinity and has every constraint's key is a
//! domain member, tainted or not. So on kind a hostname constraint counts
//! the control-plane node, which no pod can use, as an empty domain: with
//! `maxSkew: 1` each worker takes one pod and the third replica waits, until
//! `nodeTaintsPolicy: Honor` leaves the tainted node out.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, Pod, TopologySpreadConstraint};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};

use super::scheduler::untolerated_taint;
use crate::sim::cluster::Cluster;
use crate::sim::labels::selector_matches;
use crate::sim::object::Kind;
use crate::sim::pods;

pub const SKEW_REJECTED: &str = "node(s) didn't match pod topology spread constraints";
pub const LABEL_MISSING: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";

/// One hard constraint with its domains' counts.
struct Counted {
    max_skew: i32,
    key: String,
    /// The pod counts itself where it lands when the selector matches it.
    self_match: i32,
    /// Matching pods per domain; every domain of an eligible node is here.
    counts: BTreeMap<String, i32>,
    /// The emptiest domain's count (0 while there are fewer than minDomains).
    min: i32,
}

/// The pod's hard constraints, counted once per scheduling attempt.
pub struct TopologySpread {
    constraints: Vec<Counted>,
}

impl TopologySpread {
    /// `eligible` is the NodeAffinity filter (node selector and required
    /// node affinity), which decides which nodes count.
    pub fn new(cluster: &Cluster, pod: &Pod, eligible: impl Fn(&Node) -> bool) -> TopologySpread {
        let hard: Vec<&TopologySpreadConstraint> = pod
            .spec
            .iter()
            .flat_map(|s| s.topology_spread_constraints.iter().flatten())
            .filter(|c| c.when_unsatisfiable == "DoNotSchedule")
            .collect();
        if hard.is_empty() {
            return TopologySpread {
                constraints: Vec::new(),
            };
        }
        let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
        let nodes: Vec<&Node> = cluster
            .store
            .list(Kind::Node)
            .filter_map(|o| o.as_typed::<Node>())
            .filter(|n| hard.iter().all(|c| label(n, &c.topology_key).is_some()))
            .collect();
        let constraints = hard
            .into_iter()
            .map(|c| {
                let selector = selector_of(c, pod);
                let mut counts: BTreeMap<String, i32> = BTreeMap::new();
                for node in nodes.iter().filter(|n| counted(c, pod, n, &eligible)) {
                    let Some(domain) = label(node, &c.topology_key) else {
                        continue;
                    };
                    let name = node.metadata.name.as_deref().unwrap_or("");
                    let matching = cluster
                        .index
                        .pods_on_node(name)
                        .iter()
                        .filter(|(ns, _)| ns == namespace)
                        .filter_map(|(ns, pod)| cluster.store.get_typed::<Pod>(ns, pod))
                        .filter(|p| !pods::is_terminating(p))
                        .filter(|p| matches(selector.as_ref(), p))
                        .count();
                    *counts.entry(domain.clone()).or_default() +=
                        i32::try_from(matching).unwrap_or(i32::MAX);
                }
                let too_few = c
                    .min_domains
                    .is_some_and(|m| usize::try_from(m).unwrap_or(0) > counts.len());
                let min = if too_few {
                    0
                } else {
                    counts.values().copied().min().unwrap_or(0)
                };
                Counted {
                    max_skew: c.max_skew,
                    key: c.topology_key.clone(),
                    self_match: i32::from(matches(selector.as_ref(), pod)),
                    counts,
                    min,
                }
            })
            .collect();
        TopologySpread { constraints }
    }

    /// Why `node` breaks a constraint, if it does; the first one decides.
    pub fn rejects(&self, node: &Node) -> Option<&'static str> {
        for c in &self.constraints {
            let Some(domain) = label(node, &c.key) else {
                return Some(LABEL_MISSING);
            };
            let here = c.counts.get(domain).copied().unwrap_or(0);
            if here + c.self_match - c.min > c.max_skew {
                return Some(SKEW_REJECTED);
            }
        }
        None
    }
}

/// Whether the node's domain counts for the constraint: its
/// nodeAffinityPolicy (Honor unless Ignore) and nodeTaintsPolicy (Ignore
/// unless Honor) say which nodes the pod could use at all.
fn counted(
    c: &TopologySpreadConstraint,
    pod: &Pod,
    node: &Node,
    eligible: impl Fn(&Node) -> bool,
) -> bool {
    let affinity = c.node_affinity_policy.as_deref() != Some("Ignore");
    let taints = c.node_taints_policy.as_deref() == Some("Honor");
    (!affinity || eligible(node)) && (!taints || untolerated_taint(pod, node).is_none())
}

fn label<'a>(node: &'a Node, key: &str) -> Option<&'a String> {
    node.metadata.labels.as_ref()?.get(key)
}

/// The constraint's selector, with the pod's values of its `matchLabelKeys`
/// added; None (no selector) matches no pod.
fn selector_of(c: &TopologySpreadConstraint, pod: &Pod) -> Option<LabelSelector> {
    let mut selector = c.label_selector.clone()?;
    for key in c.match_label_keys.iter().flatten() {
        if let Some(value) = pods::label(pod, key) {
            selector
                .match_expressions
                .get_or_insert_with(Vec::new)
                .push(LabelSelectorRequirement {
                    key: key.clone(),
                    operator: "In".to_string(),
                    values: Some(vec![value.to_string()]),
                });
        }
    }
    Some(selector)
}

fn matches(selector: Option<&LabelSelector>, pod: &Pod) -> bool {
    selector.is_some_and(|s| selector_matches(s, pod.metadata.labels.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::object::Object;

    fn pod(yaml: &str) -> Pod {
        serde_yaml::from_str(yaml).expect("test pod")
    }

    fn node<'a>(cluster: &'a Cluster, name: &str) -> &'a Node {
        cluster.store.get_typed::<Node>("", name).expect("node")
    }

    /// One pod labelled `app: db, tier: <tier>` on each worker.
    fn cluster() -> Cluster {
        let mut cluster = Cluster::new(3);
        for (name, node, tier) in [("a", "kind-worker", "x"), ("b", "kind-worker2", "y")] {
            let placed = pod(&format!(
                "metadata: {{name: {name}, namespace: default, labels: {{app: db, tier: {tier}}}}}\nspec: {{nodeName: {node}, containers: [{{name: c, image: nginx}}]}}"
            ));
            cluster
                .create(Object::Pod(Box::new(placed)))
                .expect("created");
        }
        cluster
    }

    fn incoming(constraint: &str) -> Pod {
        pod(&format!(
            "metadata: {{name: new, namespace: default, labels: {{app: db, tier: x}}}}\nspec:\n  containers: [{{name: c, image: nginx}}]\n  topologySpreadConstraints: [{constraint}]"
        ))
    }

    #[test]
    fn min_domains_and_match_label_keys_change_the_count() {
        let cluster = cluster();
        let honor = "nodeTaintsPolicy: Honor, labelSelector: {matchLabels: {app: db}}";
        let plain = incoming(&format!(
            "{{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, {honor}}}"
        ));
        // Workers hold one each: the pod fits on either.
        let spread = TopologySpread::new(&cluster, &plain, |_| true);
        assert_eq!(spread.rejects(node(&cluster, "kind-worker")), None);
        // Fewer domains than minDomains: the minimum counts as 0.
        let few = incoming(&format!(
            "{{maxSkew: 1, minDomains: 3, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, {honor}}}"
        ));
        let spread = TopologySpread::new(&cluster, &few, |_| true);
        assert_eq!(
            spread.rejects(node(&cluster, "kind-worker")),
            Some(SKEW_REJECTED)
        );
        // matchLabelKeys narrows the selector to the pod's own tier: only `a` counts.
        let keyed = incoming(&format!(
            "{{maxSkew: 1, matchLabelKeys: [tier], topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, {honor}}}"
        ));
        let spread = TopologySpread::new(&cluster, &keyed, |_| true);
        assert_eq!(
            spread.rejects(node(&cluster, "kind-worker")),
            Some(SKEW_REJECTED)
        );
        assert_eq!(spread.rejects(node(&cluster, "kind-worker2")), None);
        // ScheduleAnyway constraints never filter.
        let soft = incoming(
            "{maxSkew: 1, minDomains: 3, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: db}}}",
        );
        let spread = TopologySpread::new(&cluster, &soft, |_| true);
        assert_eq!(spread.rejects(node(&cluster, "kind-worker")), None);
    }
}
