//! What the StatefulSet controller stamps on the pods and claims it creates:
//! names, identity labels, owner references, hostname and volumes.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{
    PersistentVolumeClaim, PersistentVolumeClaimVolumeSource, Pod, PodTemplateSpec, Volume,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

use crate::sim::pods::REVISION_LABEL;

pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";

pub fn set_name(set: &StatefulSet) -> &str {
    set.metadata.name.as_deref().unwrap_or("")
}

pub fn pod_name(set: &StatefulSet, ordinal: i32) -> String {
    joined(&[set_name(set)], ordinal)
}

pub fn claim_name(template: &PersistentVolumeClaim, set: &StatefulSet, ordinal: i32) -> String {
    let template = template.metadata.name.as_deref().unwrap_or("");
    joined(&[template, set_name(set)], ordinal)
}

/// `a-b-ordinal` in one allocation: the controller names claims and pods
/// for every replica on every sync, and `format!` made that 3% of a large
/// set's work.
fn joined(parts: &[&str], ordinal: i32) -> String {
    let length: usize = parts.iter().map(|p| p.len() + 1).sum();
    let mut out = String::with_capacity(length + 11);
    for part in parts {
        out.push_str(part);
        out.push('-');
    }
    if ordinal < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 10];
    let mut rest = ordinal.unsigned_abs();
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for digit in &digits[start..] {
        out.push(char::from(*digit));
    }
    out
}

pub fn controller_ref(set: &StatefulSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".to_string(),
        kind: "StatefulSet".to_string(),
        name: set_name(set).to_string(),
        uid: set.metadata.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

pub fn claim_templates(set: &StatefulSet) -> &[PersistentVolumeClaim] {
    set.spec
        .as_ref()
        .and_then(|s| s.volume_claim_templates.as_deref())
        .unwrap_or(&[])
}

/// updateStorage: each claim template's volume, mounting the claim
/// `claim_name` names, replaces the template's volume of the same name (of
/// two templates with one name, the last wins); claim volumes come first.
/// Apiserver validation checks a template in this form too.
pub fn with_claim_volumes(
    mut volumes: Vec<Volume>,
    templates: &[PersistentVolumeClaim],
    claim_name: impl Fn(&PersistentVolumeClaim) -> String,
) -> Vec<Volume> {
    for template in templates {
        let volume_name = template.metadata.name.clone().unwrap_or_default();
        volumes.retain(|v| v.name != volume_name);
        volumes.push(Volume {
            name: volume_name,
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: claim_name(template),
                read_only: None,
            }),
            ..Default::default()
        });
    }
    volumes.sort_by_key(|v| v.persistent_volume_claim.is_none());
    volumes
}

/// The pod template a revision recorded.
pub fn revision_template(revision: &ControllerRevision) -> PodTemplateSpec {
    revision
        .data
        .as_ref()
        .and_then(|d| d.0.pointer("/spec/template"))
        .cloned()
        .map(|mut t| {
            if let Some(map) = t.as_object_mut() {
                map.remove("$patch");
            }
            t
        })
        .and_then(|t| serde_json::from_value(t).ok())
        .unwrap_or_default()
}

/// A new pod for `ordinal`, built from `template`, the pod template that
/// `revision` recorded (see [`revision_template`]).
pub fn new_pod(
    set: &StatefulSet,
    revision: &ControllerRevision,
    template: &PodTemplateSpec,
    ordinal: i32,
) -> Pod {
    let template = template.clone();
    let name = pod_name(set, ordinal);
    let mut labels: BTreeMap<String, String> = template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.clone())
        .unwrap_or_default();
    labels.insert(POD_NAME_LABEL.to_string(), name.clone());
    labels.insert(POD_INDEX_LABEL.to_string(), ordinal.to_string());
    labels.insert(
        REVISION_LABEL.to_string(),
        revision.metadata.name.clone().unwrap_or_default(),
    );
    let mut spec = template.spec.unwrap_or_default();
    spec.hostname = Some(name.clone());
    spec.subdomain = set
        .spec
        .as_ref()
        .and_then(|s| s.service_name.clone())
        .filter(|s| !s.is_empty());
    let volumes = with_claim_volumes(
        spec.volumes.take().unwrap_or_default(),
        claim_templates(set),
        |template| claim_name(template, set, ordinal),
    );
    spec.volumes = (!volumes.is_empty()).then_some(volumes);
    Pod {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: set.metadata.namespace.clone(),
            generate_name: Some(format!("{}-", set_name(set))),
            labels: Some(labels),
            annotations: template.metadata.and_then(|m| m.annotations),
            owner_references: Some(vec![controller_ref(set)]),
            ..Default::default()
        },
        spec: Some(spec),
        status: None,
    }
}

/// The claim for one template and ordinal, labelled so `-l app=nginx` finds it.
pub fn new_claim(
    set: &StatefulSet,
    template: &PersistentVolumeClaim,
    ordinal: i32,
) -> PersistentVolumeClaim {
    let mut labels = template.metadata.labels.clone().unwrap_or_default();
    if let Some(selector) = set
        .spec
        .as_ref()
        .and_then(|s| s.selector.match_labels.as_ref())
    {
        labels.extend(selector.clone());
    }
    PersistentVolumeClaim {
        metadata: ObjectMeta {
            name: Some(claim_name(template, set, ordinal)),
            namespace: set.metadata.namespace.clone(),
            labels: Some(labels),
            annotations: template.metadata.annotations.clone(),
            ..Default::default()
        },
        spec: template.spec.clone(),
        status: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    #[test]
    fn names_join_the_ordinal() {
        let set = StatefulSet {
            metadata: ObjectMeta {
                name: Some("web".to_string()),
                ..Default::default()
            },
            ..Default::default()
        };
        let template = PersistentVolumeClaim {
            metadata: ObjectMeta {
                name: Some("www".to_string()),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(pod_name(&set, 0), "web-0");
        assert_eq!(pod_name(&set, 9_999), "web-9999");
        assert_eq!(pod_name(&set, i32::MAX), format!("web-{}", i32::MAX));
        assert_eq!(pod_name(&set, i32::MIN), format!("web-{}", i32::MIN));
        assert_eq!(claim_name(&template, &set, 12), "www-web-12");
    }
}
