//! Quality of service classes: what a pod's resource requests and limits
//! make of it (BestEffort, Burstable, Guaranteed).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, PodSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::quantity::{self, Milli};

/// Sums the non-zero cpu and memory quantities of one list over all containers.
fn totals(
    all: &[&Container],
    pick: fn(&Container) -> Option<&BTreeMap<String, Quantity>>,
) -> BTreeMap<String, Milli> {
    let mut sums = BTreeMap::new();
    for container in all {
        for (name, q) in pick(container).into_iter().flatten() {
            let value = quantity::parse(&q.0).unwrap_or(0);
            if (name == "cpu" || name == "memory") && value > 0 {
                *sums.entry(name.clone()).or_insert(0) += value;
            }
        }
    }
    sums
}

/// The pod's QoS class, as the apiserver computes it on create (GetPodQOS:
/// cpu and memory only).
pub fn class(spec: &PodSpec) -> &'static str {
    let init = spec.init_containers.iter().flatten();
    let all: Vec<&Container> = spec.containers.iter().chain(init).collect();
    let requests = totals(&all, |c| {
        c.resources.as_ref().and_then(|r| r.requests.as_ref())
    });
    let limits = totals(&all, |c| {
        c.resources.as_ref().and_then(|r| r.limits.as_ref())
    });
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    let every_container_limited = all.iter().all(|c| {
        let limits = c.resources.as_ref().and_then(|r| r.limits.as_ref());
        ["cpu", "memory"].iter().all(|name| {
            limits
                .and_then(|l| l.get(*name))
                .and_then(|q| quantity::parse(&q.0))
                .is_some_and(|v| v > 0)
        })
    });
    let matching = requests
        .iter()
        .all(|(name, value)| limits.get(name) == Some(value));
    if every_container_limited && matching && requests.len() == limits.len() {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::ResourceRequirements;

    fn pod(container: Container) -> PodSpec {
        PodSpec {
            containers: vec![container],
            ..Default::default()
        }
    }

    fn container(requests: &[(&str, &str)], limits: &[(&str, &str)]) -> Container {
        let list = |pairs: &[(&str, &str)]| {
            (!pairs.is_empty()).then(|| {
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
                    .collect()
            })
        };
        Container {
            name: "c".to_string(),
            resources: Some(ResourceRequirements {
                requests: list(requests),
                limits: list(limits),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn qos_classes() {
        assert_eq!(class(&pod(container(&[], &[]))), "BestEffort");
        assert_eq!(class(&pod(container(&[("cpu", "100m")], &[]))), "Burstable");
        let both = [("cpu", "100m"), ("memory", "64Mi")];
        assert_eq!(class(&pod(container(&both, &both))), "Guaranteed");
    }
}
