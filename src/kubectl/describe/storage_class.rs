//! `kubectl describe storageclass`: kubectl's describeStorageClass. Unlike
//! most describers it prints the annotations on one line, as `get
//! --show-labels` prints labels, and has no Labels line at all.

use k8s_openapi::api::core::v1::{Event, TopologySelectorTerm};
use k8s_openapi::api::storage::v1::StorageClass;

use super::writer::{bool_or_unset, Writer};
use crate::kubectl::printers::format_labels;
use crate::sim::clock::Millis;

const IS_DEFAULT: &str = "storageclass.kubernetes.io/is-default-class";
const BETA_IS_DEFAULT: &str = "storageclass.beta.kubernetes.io/is-default-class";

pub fn describe(class: &StorageClass, events: Option<&[&Event]>, now: Millis) -> String {
    let meta = &class.metadata;
    let mut w = Writer::cluster_scoped(meta);
    w.field(0, "IsDefaultClass", is_default_text(class));
    w.field(0, "Annotations", format_labels(meta.annotations.as_ref()));
    w.field(0, "Provisioner", &class.provisioner);
    w.field(0, "Parameters", format_labels(class.parameters.as_ref()));
    w.field(
        0,
        "AllowVolumeExpansion",
        bool_or_unset(class.allow_volume_expansion),
    );
    match class.mount_options.as_ref().filter(|o| !o.is_empty()) {
        None => w.write(0, "MountOptions:\t<none>\n"),
        Some(options) => {
            w.write(0, "MountOptions:\n");
            for option in options {
                w.write(1, &format!("{option}\n"));
            }
        }
    }
    if let Some(policy) = &class.reclaim_policy {
        w.field(0, "ReclaimPolicy", policy);
    }
    if let Some(mode) = &class.volume_binding_mode {
        w.field(0, "VolumeBindingMode", mode);
    }
    // Printed when the list is there at all, even empty (a non-nil Go slice).
    if let Some(topologies) = &class.allowed_topologies {
        allowed_topologies(&mut w, topologies);
    }
    w.events(events, now);
    w.finish()
}

/// `Yes` when either the GA or the beta default-class annotation is "true".
fn is_default_text(class: &StorageClass) -> &'static str {
    let annotations = class.metadata.annotations.as_ref();
    let is_true =
        |key: &str| annotations.and_then(|a| a.get(key)).map(String::as_str) == Some("true");
    if is_true(IS_DEFAULT) || is_true(BETA_IS_DEFAULT) {
        "Yes"
    } else {
        "No"
    }
}

/// `AllowedTopologies:` with one `Term N:` per term, each requirement as
/// `key in [a, b]`, later ones on their own lines under the first.
fn allowed_topologies(w: &mut Writer, topologies: &[TopologySelectorTerm]) {
    w.write(0, "AllowedTopologies:\t");
    if topologies.is_empty() {
        w.write(0, "<none>\n");
        return;
    }
    w.write(0, "\n");
    for (i, term) in topologies.iter().enumerate() {
        w.write(1, &format!("Term {i}:\t"));
        let requirements = term.match_label_expressions.as_deref().unwrap_or(&[]);
        if requirements.is_empty() {
            w.write(0, "<none>\n");
            continue;
        }
        for (j, requirement) in requirements.iter().enumerate() {
            if j > 0 {
                w.write(1, "\t");
            }
            let mut text = format!("{} in", requirement.key);
            if !requirement.values.is_empty() {
                text.push_str(&format!(" [{}]", requirement.values.join(", ")));
            }
            w.write(0, &format!("{text}\n"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::TopologySelectorLabelRequirement;

    #[test]
    fn kinds_default_class() {
        assert_eq!(
            describe(&crate::sim::bootstrap::storage_class(), Some(&[]), 0),
            "Name:                  standard\n\
             IsDefaultClass:        Yes\n\
             Annotations:           storageclass.kubernetes.io/is-default-class=true\n\
             Provisioner:           rancher.io/local-path\n\
             Parameters:            <none>\n\
             AllowVolumeExpansion:  <unset>\n\
             MountOptions:          <none>\n\
             ReclaimPolicy:         Delete\n\
             VolumeBindingMode:     WaitForFirstConsumer\n\
             Events:                <none>\n"
        );
    }

    #[test]
    fn options_topologies_and_no_events() {
        let mut class = crate::sim::bootstrap::storage_class();
        class.metadata.annotations = None;
        class.parameters = Some(
            [("b", "2"), ("a", "1")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        class.allow_volume_expansion = Some(true);
        class.mount_options = Some(vec!["debug".to_string(), "ro".to_string()]);
        class.reclaim_policy = None;
        class.volume_binding_mode = None;
        class.allowed_topologies = Some(vec![
            TopologySelectorTerm {
                match_label_expressions: Some(vec![
                    TopologySelectorLabelRequirement {
                        key: "zone".to_string(),
                        values: vec!["a".to_string(), "b".to_string()],
                    },
                    TopologySelectorLabelRequirement {
                        key: "rack".to_string(),
                        values: vec![],
                    },
                ]),
            },
            TopologySelectorTerm::default(),
        ]);
        let expected = [
            "Name:                  standard",
            "IsDefaultClass:        No",
            "Annotations:           <none>",
            "Provisioner:           rancher.io/local-path",
            "Parameters:            a=1,b=2",
            "AllowVolumeExpansion:  True",
            // A line without a tab ends the tabwriter's column block.
            "MountOptions:",
            "  debug",
            "  ro",
            "AllowedTopologies:  ",
            "  Term 0:           zone in [a, b]",
            "                    rack in",
            "  Term 1:           <none>",
        ];
        assert_eq!(describe(&class, None, 0), expected.join("\n") + "\n");
    }

    #[test]
    fn beta_annotation_is_default_too() {
        let mut class = crate::sim::bootstrap::storage_class();
        class.metadata.annotations = Some(
            [(BETA_IS_DEFAULT.to_string(), "true".to_string())]
                .into_iter()
                .collect(),
        );
        assert!(describe(&class, None, 0).contains("IsDefaultClass:        Yes\n"));
    }
}
