//! `--field-selector`: `field=value`, `field==value` and `field!=value`,
//! comma-separated, over the fields the apiserver supports per kind.

use crate::sim::object::{Kind, Object};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    pub fn parse(text: &str) -> Result<FieldSelector, String> {
        let mut terms = Vec::new();
        for part in text.split(',').filter(|p| !p.is_empty()) {
            let (field, equal, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, true, v)
            } else {
                return Err(format!(
                    "invalid selector: '{text}'; can't understand '{part}'"
                ));
            };
            terms.push((field.to_string(), equal, value.to_string()));
        }
        Ok(FieldSelector(terms))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The server's refusal of a field it cannot select on, if any.
    pub fn check(&self, kind: Kind) -> Result<(), String> {
        for (field, _, _) in &self.0 {
            if value(kind, None, field).is_none() {
                let group = match kind.group() {
                    "" => format!("/{}", kind.api_version()),
                    _ => kind.api_version().to_string(),
                };
                let text = self
                    .0
                    .iter()
                    .map(|(f, eq, v)| format!("{f}{}{v}", if *eq { "=" } else { "!=" }))
                    .collect::<Vec<_>>()
                    .join(",");
                return Err(format!(
                    "Error from server (BadRequest): Unable to find \"{group}, Resource={}\" that match label selector \"\", field selector \"{text}\": field label not supported: {field}",
                    kind.plural()
                ));
            }
        }
        Ok(())
    }

    pub fn matches(&self, object: &Object) -> bool {
        self.0.iter().all(|(field, equal, wanted)| {
            let actual = value(object.kind(), Some(object), field).unwrap_or_default();
            (actual == *wanted) == *equal
        })
    }
}

/// A selectable field's value; None if the kind does not support the field.
/// With no object, only whether the field is supported is answered.
fn value(kind: Kind, object: Option<&Object>, field: &str) -> Option<String> {
    let json = object.map(Object::to_json).unwrap_or_default();
    let text = |pointer: &str| {
        json.pointer(pointer)
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .unwrap_or_default()
    };
    match field {
        "metadata.name" => return Some(text("/metadata/name")),
        "metadata.namespace" if kind.namespaced() => return Some(text("/metadata/namespace")),
        _ => {}
    }
    if (kind, field) == (Kind::Node, "spec.unschedulable") {
        let on = json
            .pointer("/spec/unschedulable")
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        return Some(on.to_string());
    }
    let supported: &[&str] = match kind {
        Kind::Pod => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "status.phase",
            "status.podIP",
            "status.nominatedNodeName",
        ],
        Kind::Event => &[
            "involvedObject.kind",
            "involvedObject.name",
            "involvedObject.namespace",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "type",
            "source",
        ],
        Kind::PersistentVolumeClaim | Kind::PersistentVolume | Kind::Namespace => &["status.phase"],
        _ => &[],
    };
    if !supported.contains(&field) {
        return None;
    }
    // The field's own path, but for an event's `source`, its component.
    let pointer = match field {
        "source" => "/source/component".to_string(),
        _ => format!("/{}", field.replace('.', "/")),
    };
    Some(text(&pointer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{Pod, PodSpec, PodStatus};

    fn pod(name: &str, phase: &str, node: &str) -> Object {
        Object::Pod(Box::new(Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(name.to_string()),
                ..Default::default()
            },
            spec: Some(PodSpec {
                node_name: Some(node.to_string()),
                ..Default::default()
            }),
            status: Some(PodStatus {
                phase: Some(phase.to_string()),
                ..Default::default()
            }),
        }))
    }

    #[test]
    fn selects_on_supported_fields() {
        let s = FieldSelector::parse("status.phase=Running,spec.nodeName!=kind-worker").unwrap();
        assert!(s.matches(&pod("a", "Running", "kind-worker2")));
        assert!(!s.matches(&pod("a", "Running", "kind-worker")));
        assert!(FieldSelector::parse("metadata.name==a")
            .unwrap()
            .matches(&pod("a", "", "")));
    }

    #[test]
    fn unsupported_fields_are_refused_like_the_server() {
        let s = FieldSelector::parse("spec.foo=bar").unwrap();
        assert_eq!(
            s.check(Kind::Pod).unwrap_err(),
            "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"spec.foo=bar\": field label not supported: spec.foo"
        );
        assert!(FieldSelector::parse("nonsense").is_err());
    }

    #[test]
    fn each_kind_selects_its_own_fields() {
        for field in ["spec.nodeName", "status.podIP", "status.nominatedNodeName"] {
            assert!(value(Kind::Pod, None, field).is_some(), "{field}");
            assert!(value(Kind::Event, None, field).is_none(), "{field}");
        }
        assert!(value(Kind::Node, None, "spec.unschedulable").is_some());
        assert!(value(Kind::Pod, None, "spec.unschedulable").is_none());
        for kind in [
            Kind::PersistentVolumeClaim,
            Kind::PersistentVolume,
            Kind::Namespace,
        ] {
            assert!(value(kind, None, "status.phase").is_some());
            assert!(value(kind, None, "spec.nodeName").is_none());
        }
        assert!(value(Kind::Service, None, "status.phase").is_none());
        let event = Object::Event(Box::new(k8s_openapi::api::core::v1::Event {
            involved_object: k8s_openapi::api::core::v1::ObjectReference {
                field_path: Some("spec.containers{app}".to_string()),
                ..Default::default()
            },
            source: Some(k8s_openapi::api::core::v1::EventSource {
                component: Some("kubelet".to_string()),
                ..Default::default()
            }),
            reason: Some("Pulled".to_string()),
            ..Default::default()
        }));
        let read = |field: &str| value(Kind::Event, Some(&event), field);
        assert_eq!(read("source").as_deref(), Some("kubelet"));
        assert_eq!(read("reason").as_deref(), Some("Pulled"));
        assert_eq!(
            read("involvedObject.fieldPath").as_deref(),
            Some("spec.containers{app}")
        );
        assert_eq!(read("involvedObject.uid").as_deref(), Some(""));
        assert_eq!(read("status.phase"), None);
    }
}
