//! A kind config (`kind.x-k8s.io/v1alpha4`, `kind: Cluster`), read as kind
//! v0.30 reads it: the apiVersion and kind first, then a strict decode
//! (an unknown field is an error), node roles defaulted to control-plane,
//! and the checks of its validation. What the playground takes from it is
//! the cluster's shape: how many workers join the control plane.
//!
//! Nodes' `labels:` become the labels their kubelets register them with; a
//! node `image:` must be kind's image of the simulated version.
//! Fields that change the machine rather than the cluster (port mappings,
//! mounts, kubeadm and containerd patches, networking, feature gates) are
//! accepted, as kind accepts them, and named in a note: stsplay does not
//! simulate them.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::sim::bootstrap::{Shape, KUBERNETES_VERSION, MAX_WORKERS};
use crate::sim::validation::names;

pub const API_VERSION: &str = "kind.x-k8s.io/v1alpha4";

const CLUSTER_FIELDS: [&str; 11] = [
    "kind",
    "apiVersion",
    "name",
    "nodes",
    "networking",
    "featureGates",
    "runtimeConfig",
    "kubeadmConfigPatches",
    "kubeadmConfigPatchesJSON6902",
    "containerdConfigPatches",
    "containerdConfigPatchesJSON6902",
];
const NODE_FIELDS: [&str; 7] = [
    "role",
    "image",
    "labels",
    "extraMounts",
    "extraPortMappings",
    "kubeadmConfigPatches",
    "kubeadmConfigPatchesJSON6902",
];
const NETWORKING_FIELDS: [&str; 8] = [
    "ipFamily",
    "apiServerPort",
    "apiServerAddress",
    "podSubnet",
    "serviceSubnet",
    "disableDefaultCNI",
    "kubeProxyMode",
    "dnsSearch",
];

/// What a config asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindConfig {
    /// The config's `name:`, if it has one.
    pub name: Option<String>,
    pub control_planes: usize,
    pub workers: usize,
    /// Roles that are neither control-plane nor worker, by node index.
    pub unknown_roles: Vec<(usize, String)>,
    /// Each node's `labels:`, by its place among the cluster's nodes (the
    /// control plane first, then the workers in the config's order).
    pub labels: BTreeMap<usize, BTreeMap<String, String>>,
    /// The node images the config names (`image:` of its nodes).
    pub images: Vec<String>,
    /// Settings that are accepted but change nothing here.
    pub ignored: Vec<String>,
}

impl Default for KindConfig {
    /// kind's default config: one control-plane node.
    fn default() -> KindConfig {
        KindConfig {
            name: None,
            control_planes: 1,
            workers: 0,
            unknown_roles: Vec::new(),
            labels: BTreeMap::new(),
            images: Vec::new(),
            ignored: Vec::new(),
        }
    }
}

impl KindConfig {
    /// kind's validation of the config for a cluster called `name`, run
    /// once it knows no cluster of that name exists.
    pub fn validate(&self, name: &str) -> Result<(), String> {
        let mut invalid = Vec::new();
        if !valid_name(name) {
            invalid.push(format!(
                "'{name}' is not a valid cluster name, cluster names must match `^[a-z0-9.-]+$`"
            ));
        }
        for (index, role) in &self.unknown_roles {
            invalid.push(format!(
                "invalid configuration for node {index}: {role:?} is not a valid node role"
            ));
        }
        if self.control_planes == 0 {
            invalid.push("must have at least one control-plane node".to_string());
        }
        match invalid.len() {
            0 => Ok(()),
            1 => Err(invalid.remove(0)),
            // apimachinery's aggregate of several errors.
            _ => Err(format!("[{}]", invalid.join(", "))),
        }
    }

    /// The shape of the cluster named `name` this config makes, or why
    /// stsplay cannot make it (after kind's own validation has passed).
    pub fn shape(&self, name: &str) -> Result<Shape, String> {
        if self.control_planes > 1 {
            return Err(format!(
                "the playground simulates one control-plane node; this config has {} (kind would add a load balancer in front of them)",
                self.control_planes
            ));
        }
        if let Some(image) = self.images.iter().find(|i| !is_simulated_node_image(i)) {
            return Err(other_node_image(image));
        }
        if self.workers > MAX_WORKERS {
            return Err(format!(
                "the playground simulates at most {MAX_WORKERS} worker nodes; this config has {}",
                self.workers
            ));
        }
        Ok(Shape {
            name: name.to_string(),
            workers: self.workers,
            labels: self.labels.clone(),
            ..Shape::default()
        })
    }

    /// The first node (by its place) whose kubelet will not start with the
    /// labels the config gives it, and the kubelet's reason.
    pub fn refused_labels(&self) -> Option<(usize, String)> {
        self.labels.iter().find_map(|(node, labels)| {
            let restricted: Vec<&str> = labels
                .keys()
                .map(String::as_str)
                .filter(|k| !kubelet_may_set(k))
                .collect();
            if !restricted.is_empty() {
                let why = format!(
                    "failed to validate kubelet flags: unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [{}]\n--node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix (kubelet.kubernetes.io, node.kubernetes.io) or be in the specifically allowed set (beta.kubernetes.io/arch, beta.kubernetes.io/instance-type, beta.kubernetes.io/os, failure-domain.beta.kubernetes.io/region, failure-domain.beta.kubernetes.io/zone, kubernetes.io/arch, kubernetes.io/hostname, kubernetes.io/os, node.kubernetes.io/instance-type, topology.kubernetes.io/region, topology.kubernetes.io/zone)",
                    restricted.join(" ")
                );
                return Some((*node, why));
            }
            let invalid: Vec<String> = labels
                .iter()
                .flat_map(|(k, v)| [(k, names::qualified_name(k)), (v, names::label_value(v))])
                .filter(|(_, errs)| !errs.is_empty())
                .map(|(what, errs)| format!("'{what}' - {}", errs.join(", ")))
                .collect();
            (!invalid.is_empty()).then(|| {
                let why = format!(
                    "failed to validate kubelet flags: invalid node labels: {}",
                    invalid.join("; ")
                );
                (*node, why)
            })
        })
    }
}

/// Whether a node image (`--image` or a node's `image:`) is kind's image
/// of the Kubernetes version stsplay simulates, by tag or digest.
pub fn is_simulated_node_image(image: &str) -> bool {
    let version = KUBERNETES_VERSION;
    image == format!("kindest/node:{version}")
        || image.starts_with(&format!("kindest/node:{version}@"))
        || image.starts_with(&format!("docker.io/kindest/node:{version}"))
}

/// Why a cluster of another node image is not made.
pub fn other_node_image(image: &str) -> String {
    format!(
        "the playground simulates Kubernetes {KUBERNETES_VERSION}, whose kind node image is kindest/node:{KUBERNETES_VERSION}; it cannot run {image}"
    )
}

/// Whether the kubelet lets `--node-labels` set `key`: labels in the
/// kubernetes.io and k8s.io namespaces only with an allowed prefix or
/// from a fixed set (a node may not give itself `node-role.kubernetes.io/…`).
fn kubelet_may_set(key: &str) -> bool {
    const ALLOWED: [&str; 11] = [
        "beta.kubernetes.io/arch",
        "beta.kubernetes.io/instance-type",
        "beta.kubernetes.io/os",
        "failure-domain.beta.kubernetes.io/region",
        "failure-domain.beta.kubernetes.io/zone",
        "kubernetes.io/arch",
        "kubernetes.io/hostname",
        "kubernetes.io/os",
        "node.kubernetes.io/instance-type",
        "topology.kubernetes.io/region",
        "topology.kubernetes.io/zone",
    ];
    let Some((prefix, _)) = key.split_once('/') else {
        return true;
    };
    let restricted = |domain: &str| prefix == domain || prefix.ends_with(&format!(".{domain}"));
    if !restricted("kubernetes.io") && !restricted("k8s.io") {
        return true;
    }
    ALLOWED.contains(&key)
        || ["kubelet.kubernetes.io", "node.kubernetes.io"]
            .iter()
            .any(|allowed| prefix == *allowed || prefix.ends_with(&format!(".{allowed}")))
}

/// Parses a config file's text, with kind's error texts (without the
/// `failed to create cluster: ` that the command adds). It is validated
/// later ([`KindConfig::validate`]).
pub fn parse(text: &str) -> Result<KindConfig, String> {
    let value: Value = match serde_yaml::from_str::<Option<Value>>(text) {
        Ok(value) => value.unwrap_or(Value::Null),
        Err(err) => {
            return Err(format!(
                "could not determine kind / apiVersion for config: {err}"
            ))
        }
    };
    if !matches!(value, Value::Object(_) | Value::Null) {
        return Err(format!(
            "could not determine kind / apiVersion for config: {}",
            type_error(text, "", &value, "encoding.typeMeta")
        ));
    }
    let field = |name: &str| value.get(name).and_then(Value::as_str).unwrap_or("");
    let (api_version, kind) = (field("apiVersion"), field("kind"));
    if api_version != API_VERSION {
        return Err(format!("unknown apiVersion: {api_version}"));
    }
    if kind != "Cluster" {
        return Err(format!("unknown kind {kind} for apiVersion: {api_version}"));
    }
    decode(text, &value).map_err(|err| format!("unable to decode config: {err}"))
}

/// The strict decode of a v1alpha4 Cluster.
fn decode(text: &str, value: &Value) -> Result<KindConfig, String> {
    let Value::Object(cluster) = value else {
        return Err(type_error(text, "kind", value, "v1alpha4.Cluster"));
    };
    unknown_field(text, cluster, &CLUSTER_FIELDS, "v1alpha4.Cluster")?;
    let mut config = KindConfig {
        name: match cluster.get("name") {
            None | Some(Value::Null) => None,
            Some(Value::String(name)) => Some(name.clone()),
            Some(other) => return Err(type_error(text, "name", other, "string")),
        },
        control_planes: 0,
        workers: 0,
        unknown_roles: Vec::new(),
        labels: BTreeMap::new(),
        images: Vec::new(),
        ignored: Vec::new(),
    };
    let nodes = match cluster.get("nodes") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(nodes)) => nodes.clone(),
        Some(other) => return Err(type_error(text, "nodes", other, "[]v1alpha4.Node")),
    };
    for (index, node) in nodes.iter().enumerate() {
        let Value::Object(node) = node else {
            return Err(type_error(text, "nodes", node, "v1alpha4.Node"));
        };
        unknown_field(text, node, &NODE_FIELDS, "v1alpha4.Node")?;
        // SetDefaults_Node: a node without a role is a control plane.
        let place = match node.get("role").and_then(Value::as_str).unwrap_or("") {
            "" | "control-plane" => {
                config.control_planes += 1;
                Some(0).filter(|_| config.control_planes == 1)
            }
            "worker" => {
                config.workers += 1;
                Some(config.workers)
            }
            other => {
                config.unknown_roles.push((index, other.to_string()));
                None
            }
        };
        let labels = match node.get("labels") {
            None | Some(Value::Null) => BTreeMap::new(),
            Some(Value::Object(labels)) => labels
                .iter()
                .map(|(k, v)| match v {
                    Value::String(v) => Ok((k.clone(), v.clone())),
                    Value::Number(_) | Value::Bool(_) => Ok((k.clone(), v.to_string())),
                    Value::Null => Ok((k.clone(), String::new())),
                    other => Err(type_error(text, k, other, "string")),
                })
                .collect::<Result<_, _>>()?,
            Some(other) => return Err(type_error(text, "labels", other, "map[string]string")),
        };
        if let Some(place) = place.filter(|_| !labels.is_empty()) {
            config.labels.insert(place, labels);
        }
        for setting in NODE_FIELDS.iter().skip(3) {
            if node.contains_key(*setting) {
                config.ignored.push(format!("nodes[{index}].{setting}"));
            }
        }
        match node.get("image") {
            None | Some(Value::Null) => {}
            Some(Value::String(image)) => config.images.push(image.clone()),
            Some(other) => return Err(type_error(text, "image", other, "string")),
        }
    }
    if nodes.is_empty() {
        config.control_planes = 1;
    }
    if let Some(Value::Object(networking)) = cluster.get("networking") {
        unknown_field(text, networking, &NETWORKING_FIELDS, "v1alpha4.Networking")?;
    }
    for setting in CLUSTER_FIELDS.iter().skip(4) {
        if cluster.contains_key(*setting) {
            config.ignored.push(setting.to_string());
        }
    }
    Ok(config)
}

/// kind's cluster names (they name containers and a docker network).
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

/// go-yaml's strict decoder on a field its type does not have.
fn unknown_field(
    text: &str,
    object: &serde_json::Map<String, Value>,
    known: &[&str],
    type_name: &str,
) -> Result<(), String> {
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        Some(field) => Err(format!(
            "yaml: unmarshal errors:\n  line {}: field {field} not found in type {type_name}",
            line_of(text, field)
        )),
        None => Ok(()),
    }
}

/// go-yaml's error for a value of the wrong type.
fn type_error(text: &str, field: &str, value: &Value, type_name: &str) -> String {
    let (tag, shown) = match value {
        Value::String(s) => ("!!str", s.clone()),
        Value::Number(n) if n.is_f64() => ("!!float", n.to_string()),
        Value::Number(n) => ("!!int", n.to_string()),
        Value::Bool(b) => ("!!bool", b.to_string()),
        Value::Array(_) => ("!!seq", String::new()),
        Value::Object(_) => ("!!map", String::new()),
        Value::Null => ("!!null", String::new()),
    };
    let shown = if shown.is_empty() {
        String::new()
    } else {
        format!(" `{shown}`")
    };
    format!(
        "yaml: unmarshal errors:\n  line {}: cannot unmarshal {tag}{shown} into {type_name}",
        line_of(text, field)
    )
}

/// The first line (counting from 1) where `key` is written as a mapping
/// key, for go-yaml's line numbers; 1 when it is not found.
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            let line = line.trim_start().trim_start_matches("- ").trim_start();
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(1, |index| index + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOUR_NODES: &str = "kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
- role: worker
- role: worker
";

    #[test]
    fn a_config_with_three_workers() {
        let config = parse(FOUR_NODES).unwrap();
        assert_eq!((config.control_planes, config.workers), (1, 3));
        assert_eq!(config.shape("kind").unwrap().workers, 3);
        assert!(config.ignored.is_empty());
    }

    #[test]
    fn defaults_without_nodes_or_roles() {
        let bare = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n";
        assert_eq!(parse(bare).unwrap(), KindConfig::default());
        let roleless = format!("{bare}nodes:\n- {{}}\n- role: worker\n");
        let config = parse(&roleless).unwrap();
        assert_eq!((config.control_planes, config.workers), (1, 1));
    }

    #[test]
    fn kinds_errors() {
        assert_eq!(
            parse("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha3\n").unwrap_err(),
            "unknown apiVersion: kind.x-k8s.io/v1alpha3"
        );
        assert_eq!(
            parse("kind: Pod\napiVersion: kind.x-k8s.io/v1alpha4\n").unwrap_err(),
            "unknown kind Pod for apiVersion: kind.x-k8s.io/v1alpha4"
        );
        let invalid = |text: &str, name: &str| parse(text).unwrap().validate(name).unwrap_err();
        assert_eq!(
            invalid(
                &format!("{FOUR_NODES}- role: workr\n  labels: {{a: b}}\n"),
                "kind"
            ),
            "invalid configuration for node 4: \"workr\" is not a valid node role"
        );
        assert_eq!(
            invalid(&FOUR_NODES.replace("- role: control-plane\n", ""), "kind"),
            "must have at least one control-plane node"
        );
        assert_eq!(
            invalid("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes: [{role: master}]", "My_Cluster"),
            "['My_Cluster' is not a valid cluster name, cluster names must match `^[a-z0-9.-]+$`, invalid configuration for node 0: \"master\" is not a valid node role, must have at least one control-plane node]"
        );
        assert_eq!(
            parse(&FOUR_NODES.replace("nodes:", "nodez:")).unwrap_err(),
            "unable to decode config: yaml: unmarshal errors:\n  line 3: field nodez not found in type v1alpha4.Cluster"
        );
        assert_eq!(
            parse(&FOUR_NODES.replace("- role: worker\n- role: worker\n", "- role: worker\n- rol: worker\n")).unwrap_err(),
            "unable to decode config: yaml: unmarshal errors:\n  line 6: field rol not found in type v1alpha4.Node"
        );
        assert!(parse("kind: [")
            .unwrap_err()
            .starts_with("could not determine kind / apiVersion for config: "));
        assert_eq!(
            parse("- a\n- b\n").unwrap_err(),
            "could not determine kind / apiVersion for config: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into encoding.typeMeta"
        );
    }

    #[test]
    fn machine_settings_are_named_as_ignored() {
        let text = format!(
            "{FOUR_NODES}  extraPortMappings:\n  - containerPort: 80\n    hostPort: 80\nnetworking:\n  podSubnet: 10.0.0.0/16\n"
        );
        let config = parse(&text).unwrap();
        assert_eq!(config.ignored, ["nodes[3].extraPortMappings", "networking"]);
    }

    #[test]
    fn node_labels_by_place_and_the_kubelets_refusals() {
        let text = "kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: worker
  labels: {tier: frontend}
- role: control-plane
  labels: {ingress-ready: \"true\"}
- role: worker
  labels: {tier: backend, topology.kubernetes.io/zone: b, disk: 1}
";
        let config = parse(text).unwrap();
        let shape = config.shape("kind").unwrap();
        let labels = |place: usize| shape.labels[&place].clone().into_iter().collect::<Vec<_>>();
        assert_eq!(
            labels(0),
            [("ingress-ready".to_string(), "true".to_string())]
        );
        assert_eq!(labels(1), [("tier".to_string(), "frontend".to_string())]);
        assert_eq!(labels(2).len(), 3);
        assert_eq!(config.refused_labels(), None);
        let role = text.replace("tier: backend", "node-role.kubernetes.io/worker: \"\"");
        let (place, why) = parse(&role).unwrap().refused_labels().unwrap();
        assert_eq!(place, 2);
        assert!(why.starts_with("failed to validate kubelet flags: unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [node-role.kubernetes.io/worker]"));
        assert!(kubelet_may_set("example.com/role") && kubelet_may_set("kubelet.kubernetes.io/x"));
        let bad = text.replace("tier: frontend", "tier: front end");
        assert_eq!(
            parse(&bad).unwrap().refused_labels().unwrap().1,
            "failed to validate kubelet flags: invalid node labels: 'front end' - a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        );
    }

    #[test]
    fn what_stsplay_does_not_simulate_is_refused() {
        let two_planes = FOUR_NODES.replace(
            "- role: worker\n- role: worker\n",
            "- role: control-plane\n",
        );
        assert!(parse(&two_planes)
            .unwrap()
            .shape("kind")
            .unwrap_err()
            .contains("one control-plane node"));
        let old = FOUR_NODES.replace(
            "- role: control-plane\n",
            "- role: control-plane\n  image: kindest/node:v1.29.2\n",
        );
        assert!(parse(&old)
            .unwrap()
            .shape("kind")
            .unwrap_err()
            .contains("it cannot run kindest/node:v1.29.2"));
        let same = FOUR_NODES.replace("- role: control-plane\n", "- role: control-plane\n  image: kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a\n");
        assert!(parse(&same).unwrap().shape("kind").is_ok());
        let many = format!("{FOUR_NODES}{}", "- role: worker\n".repeat(MAX_WORKERS));
        assert!(parse(&many)
            .unwrap()
            .shape("kind")
            .unwrap_err()
            .contains("at most 16 worker nodes"));
    }
}
