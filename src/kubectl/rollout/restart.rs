//! `kubectl rollout restart`: stamps the pod template with
//! `kubectl.kubernetes.io/restartedAt`, which rolls every pod.

use std::rc::Rc;

use super::unsupported;
use crate::kubectl::mutate::update_json;
use crate::kubectl::output::Output;
use crate::sim::clock::timestamp;
use crate::sim::object::{Kind, Object};
use crate::sim::Cluster;

const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

pub fn run(cluster: &mut Cluster, object: &Rc<Object>) -> Output {
    // kubectl restarts these three kinds.
    if !matches!(
        object.kind(),
        Kind::StatefulSet | Kind::Deployment | Kind::DaemonSet
    ) {
        return unsupported(object, "restart");
    }
    // RFC 3339 to the second, as Go's time.Now().Format(time.RFC3339) in UTC.
    let now = timestamp(cluster.now())
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let mut json = object.to_json();
    let Some(template_meta) = json
        .pointer_mut("/spec/template")
        .and_then(|t| t.as_object_mut())
    else {
        return Output::error("the object has no pod template");
    };
    let meta = template_meta
        .entry("metadata")
        .or_insert_with(|| serde_json::json!({}));
    let Some(meta) = meta.as_object_mut() else {
        return Output::error("the pod template's metadata is not an object");
    };
    let annotations = meta
        .entry("annotations")
        .or_insert_with(|| serde_json::json!({}));
    if annotations.get(RESTARTED_AT).and_then(|v| v.as_str()) == Some(now.as_str()) {
        return Output::error(format!(
            "failed to create patch for {}: if restart has already been triggered within the past second, please wait before attempting to trigger another",
            object.name()
        ));
    }
    if let Some(map) = annotations.as_object_mut() {
        map.insert(RESTARTED_AT.to_string(), serde_json::Value::String(now));
    }
    match update_json(cluster, object, json) {
        Ok(_) => Output::ok(format!(
            "{}/{} restarted\n",
            object.kind().qualified_singular(),
            object.name()
        )),
        Err(err) => Output::error(format!("failed to patch: {err}")),
    }
}
