//! The scheduler's affinity plugins. NodeAffinity: a pod's required node
//! selector terms filter nodes and its preferred ones score them.
//! InterPodAffinity: a pod's required pod affinity (a matching pod in the
//! same topology domain) and anti-affinity (none there) filter nodes, as do
//! the required anti-affinity terms of the pods already placed; preferred
//! terms on both sides score them.

use std::collections::BTreeMap;
use std::rc::Rc;

use k8s_openapi::api::core::v1::{
    Affinity, Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, PodAffinityTerm,
    WeightedPodAffinityTerm,
};

use crate::sim::cluster::Cluster;
use crate::sim::labels::selector_matches;
use crate::sim::object::{Kind, Object};
use crate::sim::pods;

pub const AFFINITY_REJECTED: &str = "node(s) didn't match pod affinity rules";
pub const ANTI_AFFINITY_REJECTED: &str = "node(s) didn't match pod anti-affinity rules";
pub const EXISTING_ANTI_AFFINITY_REJECTED: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";

type Labels = BTreeMap<String, String>;

/// Whether the node passes the pod's required node affinity (any term).
pub fn node_affinity_matches(pod: &Pod, node: &Node) -> bool {
    let required = pod
        .spec
        .as_ref()
        .and_then(|s| s.affinity.as_ref())
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|n| {
            n.required_during_scheduling_ignored_during_execution
                .as_ref()
        });
    required.is_none_or(|r| r.node_selector_terms.iter().any(|t| term_matches(t, node)))
}

/// The weights of the pod's preferred node affinity terms the node matches.
pub fn node_affinity_score(pod: &Pod, node: &Node) -> i64 {
    pod.spec
        .as_ref()
        .and_then(|s| s.affinity.as_ref())
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|n| {
            n.preferred_during_scheduling_ignored_during_execution
                .as_ref()
        })
        .into_iter()
        .flatten()
        .filter(|p| term_matches(&p.preference, node))
        .map(|p| i64::from(p.weight))
        .sum()
}

/// A node selector term: every requirement holds, and there is one.
fn term_matches(term: &NodeSelectorTerm, node: &Node) -> bool {
    let empty = Labels::new();
    let labels = node.metadata.labels.as_ref().unwrap_or(&empty);
    let name = node.metadata.name.clone().unwrap_or_default();
    let fields = term.match_fields.iter().flatten().map(|r| {
        let value = (r.key == "metadata.name").then_some(&name);
        requirement_holds(r, value)
    });
    let expressions = term
        .match_expressions
        .iter()
        .flatten()
        .map(|r| requirement_holds(r, labels.get(&r.key)));
    let results: Vec<bool> = expressions.chain(fields).collect();
    !results.is_empty() && results.iter().all(|ok| *ok)
}

fn requirement_holds(r: &NodeSelectorRequirement, value: Option<&String>) -> bool {
    let values = r.values.as_deref().unwrap_or(&[]);
    let number = |s: &str| s.parse::<i64>().ok();
    match r.operator.as_str() {
        "In" => value.is_some_and(|v| values.contains(v)),
        "NotIn" => value.is_none_or(|v| !values.contains(v)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        "Gt" | "Lt" => {
            let (Some(have), Some(bound)) = (
                value.and_then(|v| number(v)),
                values.first().and_then(|v| number(v)),
            ) else {
                return false;
            };
            if r.operator == "Gt" {
                have > bound
            } else {
                have < bound
            }
        }
        _ => false,
    }
}

/// A pod already placed, as the affinity plugin sees it.
struct Placed(Rc<Object>);

impl Placed {
    fn pod(&self) -> Option<&Pod> {
        self.0.as_typed()
    }

    fn namespace(&self) -> &str {
        self.0.namespace()
    }

    fn labels(&self) -> Option<&Labels> {
        self.0.meta().labels.as_ref()
    }

    fn node(&self) -> &str {
        self.pod().and_then(pods::node_name).unwrap_or("")
    }

    fn affinity(&self) -> Option<&Affinity> {
        self.pod().and_then(affinity)
    }
}

/// What the inter-pod affinity checks need for one scheduling attempt:
/// the stored objects themselves, shared rather than copied.
pub struct InterPod {
    placed: Vec<Placed>,
    nodes: Vec<Rc<Object>>,
    namespaces: Vec<Rc<Object>>,
}

/// The incoming pod's terms: (required affinity, required anti-affinity,
/// preferred affinity, preferred anti-affinity).
type Terms<'a> = (
    Vec<&'a PodAffinityTerm>,
    Vec<&'a PodAffinityTerm>,
    Vec<(i32, &'a PodAffinityTerm)>,
    Vec<(i32, &'a PodAffinityTerm)>,
);

fn affinity(pod: &Pod) -> Option<&Affinity> {
    pod.spec.as_ref()?.affinity.as_ref()
}

fn terms(affinity: Option<&Affinity>) -> Terms<'_> {
    let with = affinity.and_then(|a| a.pod_affinity.as_ref());
    let against = affinity.and_then(|a| a.pod_anti_affinity.as_ref());
    (
        required(with.and_then(|a| {
            a.required_during_scheduling_ignored_during_execution
                .as_ref()
        })),
        required(against.and_then(|a| {
            a.required_during_scheduling_ignored_during_execution
                .as_ref()
        })),
        preferred(with.and_then(|a| {
            a.preferred_during_scheduling_ignored_during_execution
                .as_ref()
        })),
        preferred(against.and_then(|a| {
            a.preferred_during_scheduling_ignored_during_execution
                .as_ref()
        })),
    )
}

fn required(terms: Option<&Vec<PodAffinityTerm>>) -> Vec<&PodAffinityTerm> {
    terms.into_iter().flatten().collect()
}

fn preferred(terms: Option<&Vec<WeightedPodAffinityTerm>>) -> Vec<(i32, &PodAffinityTerm)> {
    terms
        .into_iter()
        .flatten()
        .map(|w| (w.weight, &w.pod_affinity_term))
        .collect()
}

/// Whether any of the terms, written by a pod in `owner_namespace`, can
/// select pods in `namespace` (a namespace selector might: it counts).
fn reaches(affinity: Option<&Affinity>, owner_namespace: &str, namespace: &str) -> bool {
    let (a, b, c, d) = terms(affinity);
    let weighted = c.into_iter().chain(d).map(|(_, t)| t);
    a.into_iter().chain(b).chain(weighted).any(|t| {
        let named = t.namespaces.as_ref().filter(|n| !n.is_empty());
        match (named, &t.namespace_selector) {
            (None, None) => owner_namespace == namespace,
            (_, Some(_)) => true,
            (Some(named), None) => named.iter().any(|n| n == namespace),
        }
    })
}

fn has_terms(pod: &Pod) -> bool {
    let (a, b, c, d) = terms(affinity(pod));
    !(a.is_empty() && b.is_empty() && c.is_empty() && d.is_empty())
}

impl InterPod {
    /// The placed pods that matter to `pod`: every bound pod when it has
    /// terms of its own, else only those with terms (their anti-affinity).
    pub fn new(cluster: &Cluster, pod: &Pod) -> InterPod {
        let bound = |(ns, name): &(String, String)| {
            cluster
                .store
                .get_named(Kind::Pod, ns, name)
                .filter(|o| o.as_typed::<Pod>().and_then(pods::node_name).is_some())
                .map(|o| Placed(o.clone()))
        };
        let nodes = || cluster.store.list(Kind::Node).cloned().collect::<Vec<_>>();
        let (placed, nodes) = if has_terms(pod) {
            let nodes = nodes();
            let placed = nodes
                .iter()
                .flat_map(|n| cluster.index.pods_on_node(n.name()))
                .filter_map(|key| bound(&key))
                .collect();
            (placed, nodes)
        } else {
            let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
            let placed: Vec<Placed> = cluster
                .index
                .affine_bound()
                .filter_map(bound)
                .filter(|p| reaches(p.affinity(), p.namespace(), namespace))
                .collect();
            if placed.is_empty() {
                // Nothing to weigh: most pods, and every pod of a large set.
                return InterPod {
                    placed,
                    nodes: Vec::new(),
                    namespaces: Vec::new(),
                };
            }
            (placed, nodes())
        };
        InterPod {
            placed,
            nodes,
            namespaces: cluster.store.list(Kind::Namespace).cloned().collect(),
        }
    }

    /// The topology domain of `node` for `key`, if the node has the label.
    fn domain(&self, node: &str, key: &str) -> Option<&String> {
        let node = self.nodes.iter().find(|n| n.name() == node)?;
        node.meta().labels.as_ref()?.get(key)
    }

    /// Whether `term`, written by a pod in `owner_namespace`, selects a pod
    /// in `namespace` with `labels`.
    fn selects(
        &self,
        term: &PodAffinityTerm,
        owner_namespace: &str,
        namespace: &str,
        labels: Option<&Labels>,
    ) -> bool {
        let named = term.namespaces.as_ref().filter(|n| !n.is_empty());
        let in_scope = match (named, &term.namespace_selector) {
            (None, None) => namespace == owner_namespace,
            (named, selector) => {
                named.is_some_and(|n| n.iter().any(|n| n == namespace))
                    || selector
                        .as_ref()
                        .is_some_and(|s| selector_matches(s, self.namespace_labels(namespace)))
            }
        };
        in_scope
            && term
                .label_selector
                .as_ref()
                .is_some_and(|s| selector_matches(s, labels))
    }

    fn namespace_labels(&self, namespace: &str) -> Option<&Labels> {
        let namespace = self.namespaces.iter().find(|n| n.name() == namespace)?;
        namespace.meta().labels.as_ref()
    }

    /// Whether a placed pod that `term` selects shares `node`'s domain.
    fn has_neighbour(&self, pod: &Pod, term: &PodAffinityTerm, node: &str) -> bool {
        let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
        let Some(domain) = self.domain(node, &term.topology_key) else {
            return false;
        };
        self.placed.iter().any(|p| {
            self.selects(term, namespace, p.namespace(), p.labels())
                && self.domain(p.node(), &term.topology_key) == Some(domain)
        })
    }

    /// The first inter-pod affinity rule `node` breaks for `pod`, in the
    /// plugin's order: its affinity, its anti-affinity, the placed pods'
    /// anti-affinity.
    pub fn rejects(&self, pod: &Pod, node: &str) -> Option<&'static str> {
        let (required, against, _, _) = terms(affinity(pod));
        if self.placed.is_empty() && required.is_empty() {
            return None;
        }
        let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
        let labels = pod.metadata.labels.as_ref();
        for term in &required {
            if self.has_neighbour(pod, term, node) {
                continue;
            }
            // The first pod of a group that wants itself is let in anywhere
            // its topology key exists.
            let nobody_matches = !self
                .placed
                .iter()
                .any(|p| self.selects(term, namespace, p.namespace(), p.labels()));
            let wants_itself = self.selects(term, namespace, namespace, labels);
            let placeable = self.domain(node, &term.topology_key).is_some();
            if !(nobody_matches && wants_itself && placeable) {
                return Some(AFFINITY_REJECTED);
            }
        }
        if against.iter().any(|t| self.has_neighbour(pod, t, node)) {
            return Some(ANTI_AFFINITY_REJECTED);
        }
        let refused = self.placed.iter().any(|p| {
            let (_, their_against, _, _) = terms(p.affinity());
            their_against.iter().any(|t| {
                self.selects(t, p.namespace(), namespace, labels)
                    && self
                        .domain(p.node(), &t.topology_key)
                        .is_some_and(|d| self.domain(node, &t.topology_key) == Some(d))
            })
        });
        refused.then_some(EXISTING_ANTI_AFFINITY_REJECTED)
    }

    /// The preferred terms' weights for `node`: the pod's own affinity adds
    /// and anti-affinity subtracts per placed pod they select in the node's
    /// domain, and the placed pods' preferred terms that select the pod
    /// count the same way.
    pub fn score<'a>(&'a self, pod: &'a Pod, node: &str) -> i64 {
        if self.placed.is_empty() {
            return 0;
        }
        let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
        let labels = pod.metadata.labels.as_ref();
        let (_, _, prefer, avoid) = terms(affinity(pod));
        let same_domain = |key: &str, other: &str| {
            self.domain(node, key)
                .is_some_and(|d| self.domain(other, key) == Some(d))
        };
        let signed = |prefer: Vec<(i32, &'a PodAffinityTerm)>,
                      avoid: Vec<(i32, &'a PodAffinityTerm)>| {
            let prefer = prefer.into_iter().map(|(w, t)| (i64::from(w), t));
            prefer.chain(avoid.into_iter().map(|(w, t)| (-i64::from(w), t)))
        };
        let mut score = 0;
        for p in &self.placed {
            // The pod's terms select placed pods; the placed pods' terms select the pod.
            for (weight, term) in signed(prefer.clone(), avoid.clone()) {
                if same_domain(&term.topology_key, p.node())
                    && self.selects(term, namespace, p.namespace(), p.labels())
                {
                    score += weight;
                }
            }
            let (_, _, their_prefer, their_avoid) = terms(p.affinity());
            for (weight, term) in signed(their_prefer, their_avoid) {
                if same_domain(&term.topology_key, p.node())
                    && self.selects(term, p.namespace(), namespace, labels)
                {
                    score += weight;
                }
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    fn node(name: &str, labels: &[(&str, &str)]) -> Node {
        Node {
            metadata: ObjectMeta {
                name: Some(name.to_string()),
                labels: Some(
                    labels
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                ),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn requirement(key: &str, operator: &str, values: &[&str]) -> NodeSelectorRequirement {
        NodeSelectorRequirement {
            key: key.to_string(),
            operator: operator.to_string(),
            values: Some(values.iter().map(|v| v.to_string()).collect()),
        }
    }

    #[test]
    fn node_selector_terms() {
        let worker = node("kind-worker", &[("disk", "ssd"), ("cores", "8")]);
        let term = |expressions: Vec<NodeSelectorRequirement>, fields| NodeSelectorTerm {
            match_expressions: Some(expressions),
            match_fields: fields,
        };
        let holds = |t: &NodeSelectorTerm| term_matches(t, &worker);
        assert!(holds(&term(
            vec![requirement("disk", "In", &["ssd", "nvme"])],
            None
        )));
        assert!(!holds(&term(
            vec![requirement("disk", "NotIn", &["ssd"])],
            None
        )));
        assert!(holds(&term(
            vec![requirement("gpu", "DoesNotExist", &[])],
            None
        )));
        assert!(holds(&term(vec![requirement("cores", "Gt", &["4"])], None)));
        assert!(!holds(&term(
            vec![requirement("cores", "Lt", &["4"])],
            None
        )));
        assert!(!holds(&term(vec![requirement("disk", "Gt", &["4"])], None)));
        let by_name = Some(vec![requirement("metadata.name", "In", &["kind-worker"])]);
        assert!(holds(&term(vec![], by_name)));
        // A term without requirements selects nothing.
        assert!(!holds(&term(vec![], None)));
    }
}
