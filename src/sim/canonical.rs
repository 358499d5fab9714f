//! What the apiserver's decoding does to every object it receives: each
//! resource.Quantity is parsed and written back in canonical form (`0.5Gi`
//! becomes `512Mi`), so `-o yaml`, the printers and the hashes that name
//! ControllerRevisions see what a real cluster stores. A quantity that does
//! not parse stays as written, for validation to refuse.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ContainerStatus, DownwardAPIVolumeFile, EnvVar, PersistentVolumeClaim,
    PersistentVolumeClaimSpec, PodSpec, PodStatus, PodTemplateSpec, ResourceFieldSelector,
    ResourceRequirements, Volume,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::object::Object;
use super::quantity;

/// Rewrites every Quantity of the kinds stsplay stores that have any.
/// A ControllerRevision's data is a RawExtension, which the apiserver keeps
/// as sent.
pub fn canonicalize_quantities(object: &mut Object) {
    match object {
        Object::Pod(pod) => {
            pod_spec(pod.spec.as_mut());
            if let Some(status) = pod.status.as_mut() {
                pod_status(status);
            }
        }
        Object::StatefulSet(set) => {
            if let Some(spec) = set.spec.as_mut() {
                template(&mut spec.template);
                spec.volume_claim_templates
                    .iter_mut()
                    .flatten()
                    .for_each(claim);
            }
        }
        Object::DaemonSet(set) => set.spec.iter_mut().for_each(|s| template(&mut s.template)),
        Object::Deployment(d) => d.spec.iter_mut().for_each(|s| template(&mut s.template)),
        Object::ReplicaSet(set) => {
            set.spec
                .iter_mut()
                .filter_map(|s| s.template.as_mut())
                .for_each(template);
        }
        Object::PersistentVolumeClaim(c) => claim(c),
        Object::PersistentVolume(pv) => {
            list(pv.spec.as_mut().and_then(|s| s.capacity.as_mut()));
        }
        Object::Node(node) => {
            if let Some(status) = node.status.as_mut() {
                list(status.capacity.as_mut());
                list(status.allocatable.as_mut());
            }
        }
        _ => {}
    }
}

fn one(quantity: Option<&mut Quantity>) {
    if let Some(quantity) = quantity {
        if let Some(text) = quantity::canonical(&quantity.0) {
            quantity.0 = text;
        }
    }
}

fn list(quantities: Option<&mut BTreeMap<String, Quantity>>) {
    for quantity in quantities.into_iter().flat_map(|q| q.values_mut()) {
        one(Some(quantity));
    }
}

fn requirements(resources: Option<&mut ResourceRequirements>) {
    if let Some(resources) = resources {
        list(resources.limits.as_mut());
        list(resources.requests.as_mut());
    }
}

fn field_ref(selector: &mut ResourceFieldSelector) {
    one(selector.divisor.as_mut());
}

fn template(template: &mut PodTemplateSpec) {
    pod_spec(template.spec.as_mut());
}

fn claim(claim: &mut PersistentVolumeClaim) {
    claim_spec(claim.spec.as_mut());
    if let Some(status) = claim.status.as_mut() {
        list(status.capacity.as_mut());
        list(status.allocated_resources.as_mut());
    }
}

fn claim_spec(spec: Option<&mut PersistentVolumeClaimSpec>) {
    if let Some(resources) = spec.and_then(|s| s.resources.as_mut()) {
        list(resources.limits.as_mut());
        list(resources.requests.as_mut());
    }
}

fn pod_spec(spec: Option<&mut PodSpec>) {
    let Some(spec) = spec else {
        return;
    };
    for c in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
    {
        container(c.resources.as_mut(), c.env.as_mut());
    }
    for c in spec.ephemeral_containers.iter_mut().flatten() {
        container(c.resources.as_mut(), c.env.as_mut());
    }
    requirements(spec.resources.as_mut());
    list(spec.overhead.as_mut());
    spec.volumes.iter_mut().flatten().for_each(volume);
}

/// A container's or an ephemeral container's (two types with these fields).
fn container(resources: Option<&mut ResourceRequirements>, env: Option<&mut Vec<EnvVar>>) {
    requirements(resources);
    env.into_iter()
        .flatten()
        .filter_map(|e| e.value_from.as_mut()?.resource_field_ref.as_mut())
        .for_each(field_ref);
}

fn volume(volume: &mut Volume) {
    one(volume
        .empty_dir
        .as_mut()
        .and_then(|e| e.size_limit.as_mut()));
    let ephemeral = volume
        .ephemeral
        .as_mut()
        .and_then(|e| e.volume_claim_template.as_mut());
    claim_spec(ephemeral.map(|t| &mut t.spec));
    let downward = volume
        .downward_api
        .iter_mut()
        .flat_map(|d| d.items.iter_mut().flatten());
    let projected = volume
        .projected
        .iter_mut()
        .flat_map(|p| p.sources.iter_mut().flatten())
        .filter_map(|s| s.downward_api.as_mut())
        .flat_map(|d| d.items.iter_mut().flatten());
    downward
        .chain(projected)
        .filter_map(|file: &mut DownwardAPIVolumeFile| file.resource_field_ref.as_mut())
        .for_each(field_ref);
}

fn pod_status(status: &mut PodStatus) {
    let statuses = [
        status.container_statuses.as_mut(),
        status.init_container_statuses.as_mut(),
        status.ephemeral_container_statuses.as_mut(),
    ];
    for s in statuses.into_iter().flatten().flatten() {
        container_status(s);
    }
}

fn container_status(status: &mut ContainerStatus) {
    requirements(status.resources.as_mut());
    list(status.allocated_resources.as_mut());
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::StatefulSet;
    use serde_json::json;

    use super::*;

    #[test]
    fn a_statefulset_keeps_its_quantities_canonical() {
        let set: StatefulSet = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {
                "selector": {},
                "template": {"spec": {
                    "containers": [{
                        "name": "nginx",
                        "resources": {
                            "requests": {"cpu": "0.3", "memory": "1024Mi"},
                            "limits": {"cpu": "1000m", "memory": "0.5Gi"}
                        },
                        "env": [{"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1024Ki"}}}]
                    }],
                    "initContainers": [{"name": "init", "resources": {"limits": {"cpu": "0.25"}}}],
                    "overhead": {"cpu": "0.1"},
                    "volumes": [
                        {"name": "cache", "emptyDir": {"sizeLimit": "0.5Gi"}},
                        {"name": "scratch", "ephemeral": {"volumeClaimTemplate": {"spec": {"resources": {"requests": {"storage": "1.5Gi"}}}}}},
                        {"name": "info", "projected": {"sources": [{"downwardAPI": {"items": [{"path": "cpu", "resourceFieldRef": {"resource": "limits.cpu", "divisor": "0.001"}}]}}]}}
                    ]
                }},
                "volumeClaimTemplates": [{"metadata": {"name": "www"}, "spec": {"resources": {"requests": {"storage": "1.5Gi"}}}}],
                "serviceName": "web"
            }
        }))
        .unwrap();
        let mut object = Object::StatefulSet(Box::new(set));
        canonicalize_quantities(&mut object);
        let json = object.to_json();
        let pod = &json["spec"]["template"]["spec"];
        assert_eq!(
            pod["containers"][0]["resources"],
            json!({"limits": {"cpu": "1", "memory": "512Mi"}, "requests": {"cpu": "300m", "memory": "1Gi"}})
        );
        let divisor = &pod["containers"][0]["env"][0]["valueFrom"]["resourceFieldRef"]["divisor"];
        assert_eq!(divisor, "1Mi");
        assert_eq!(
            pod["initContainers"][0]["resources"]["limits"]["cpu"],
            "250m"
        );
        assert_eq!(pod["overhead"]["cpu"], "100m");
        assert_eq!(pod["volumes"][0]["emptyDir"]["sizeLimit"], "512Mi");
        let scratch = &pod["volumes"][1]["ephemeral"]["volumeClaimTemplate"]["spec"];
        assert_eq!(scratch["resources"]["requests"]["storage"], "1536Mi");
        let file = &pod["volumes"][2]["projected"]["sources"][0]["downwardAPI"]["items"][0];
        assert_eq!(file["resourceFieldRef"]["divisor"], "1m");
        let claim = &json["spec"]["volumeClaimTemplates"][0]["spec"];
        assert_eq!(claim["resources"]["requests"]["storage"], "1536Mi");
    }

    #[test]
    fn a_quantity_that_does_not_parse_stays_for_validation() {
        let claim: PersistentVolumeClaim = serde_json::from_value(json!({
            "metadata": {"name": "data"},
            "spec": {"resources": {"requests": {"storage": "1Gb"}, "limits": {"storage": " 2048Mi"}}}
        }))
        .unwrap();
        let mut object = Object::PersistentVolumeClaim(Box::new(claim));
        canonicalize_quantities(&mut object);
        let resources = &object.to_json()["spec"]["resources"];
        assert_eq!(resources["requests"]["storage"], "1Gb");
        assert_eq!(resources["limits"]["storage"], "2Gi");
    }
}
