//! Table rows of the workload kinds kubectl prints from their pod template
//! (printers.go's statefulset, daemonset, deployment and replicaset columns).

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::printers::format_labels;
use crate::sim::labels::selector_string;

/// `-o wide`'s CONTAINERS and IMAGES: the template's names and images.
pub fn template_columns(template: &PodTemplateSpec) -> [String; 2] {
    let containers = template
        .spec
        .as_ref()
        .map_or(&[][..], |s| s.containers.as_slice());
    [
        join(containers.iter().map(|c| c.name.as_str())),
        join(containers.iter().filter_map(|c| c.image.as_deref())),
    ]
}

fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    parts.collect::<Vec<_>>().join(",")
}

/// CONTAINERS, IMAGES and SELECTOR, the wide columns of the three kinds below.
fn wide_columns(template: &PodTemplateSpec, selector: &LabelSelector) -> [String; 3] {
    let [containers, images] = template_columns(template);
    [containers, images, selector_string(selector)]
}

fn count(n: Option<i32>) -> String {
    n.unwrap_or(0).to_string()
}

pub fn daemon_set_row(set: &DaemonSet, name: String, age: String, wide: bool) -> Vec<String> {
    let status = set.status.clone().unwrap_or_default();
    let spec = set.spec.clone().unwrap_or_default();
    let node_selector = format_labels(
        spec.template
            .spec
            .as_ref()
            .and_then(|s| s.node_selector.as_ref()),
    );
    let mut row = vec![
        name,
        status.desired_number_scheduled.to_string(),
        status.current_number_scheduled.to_string(),
        status.number_ready.to_string(),
        count(status.updated_number_scheduled),
        count(status.number_available),
        node_selector,
        age,
    ];
    if wide {
        row.extend(wide_columns(&spec.template, &spec.selector));
    }
    row
}

pub fn deployment_row(
    deployment: &Deployment,
    name: String,
    age: String,
    wide: bool,
) -> Vec<String> {
    let status = deployment.status.clone().unwrap_or_default();
    let spec = deployment.spec.clone().unwrap_or_default();
    let mut row = vec![
        name,
        format!(
            "{}/{}",
            status.ready_replicas.unwrap_or(0),
            spec.replicas.unwrap_or(1)
        ),
        count(status.updated_replicas),
        count(status.available_replicas),
        age,
    ];
    if wide {
        row.extend(wide_columns(&spec.template, &spec.selector));
    }
    row
}

pub fn replica_set_row(set: &ReplicaSet, name: String, age: String, wide: bool) -> Vec<String> {
    let status = set.status.clone().unwrap_or_default();
    let spec = set.spec.clone().unwrap_or_default();
    let mut row = vec![
        name,
        count(spec.replicas.or(Some(1))),
        status.replicas.to_string(),
        count(status.ready_replicas),
        age,
    ];
    if wide {
        let template = spec.template.unwrap_or_default();
        row.extend(wide_columns(&template, &spec.selector));
    }
    row
}
