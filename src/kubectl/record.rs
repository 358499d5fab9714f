//! `--record`, deprecated but still honoured by kubectl 1.34 (cli-runtime's
//! RecordFlags): the command line goes into the object's
//! `kubernetes.io/change-cause` annotation, which `rollout history` shows.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{Map, Value};

use super::args::{Parsed, Takes};
use crate::sim::{Cluster, ObjectKey};

pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// The flag, for the commands that have it.
pub const FLAG: (&str, Option<char>, Takes) = ("record", None, Takes::Bool);

/// What pflag prints whenever the flag is given, before the command runs.
pub fn deprecation(parsed: &Parsed) -> Option<&'static str> {
    parsed
        .value("record")
        .map(|_| "Flag --record has been deprecated, --record will be removed in the future")
}

/// The change cause when `--record` is true: the command path, its
/// arguments, then each flag as `--name=value` in the order given
/// (parseCommandArguments). `command` is the path after `kubectl`; a
/// subcommand such as `set image` comes with the arguments.
pub fn change_cause(command: &str, parsed: &Parsed) -> Option<String> {
    if !parsed.bool("record") {
        return None;
    }
    let mut cause = format!("kubectl {command}");
    for word in &parsed.positionals {
        cause.push(' ');
        cause.push_str(word);
    }
    for (name, value) in &parsed.flags {
        cause.push_str(&format!(" --{name}={value}"));
    }
    Some(cause)
}

/// Writes the cause into the annotations of an object as JSON. Whatever
/// else an edit made of them (a number, a list) is left for the decoder to
/// refuse.
pub fn note_json(object: &mut Value, cause: &str) {
    let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    let annotations = meta
        .entry("annotations")
        .or_insert_with(|| Value::Object(Map::new()));
    if annotations.is_null() {
        *annotations = Value::Object(Map::new());
    }
    if let Some(annotations) = annotations.as_object_mut() {
        annotations.insert(CHANGE_CAUSE.to_string(), Value::String(cause.to_string()));
    }
}

/// Writes the cause into the object's annotations.
pub fn note(meta: &mut ObjectMeta, cause: &str) {
    meta.annotations
        .get_or_insert_with(Default::default)
        .insert(CHANGE_CAUSE.to_string(), cause.to_string());
}

/// MakeRecordMergePatch and the patch that sends it: commands that wrote
/// without the cause (scale, patch) record it in a second write, unless the
/// object already has it.
pub fn note_after(cluster: &mut Cluster, key: &ObjectKey, cause: &str) {
    let Some(stored) = cluster.store().get(key) else {
        return;
    };
    let noted = stored
        .meta()
        .annotations
        .as_ref()
        .and_then(|a| a.get(CHANGE_CAUSE));
    if noted.map(String::as_str) == Some(cause) {
        return;
    }
    let mut object = (**stored).clone();
    note(object.meta_mut(), cause);
    object.meta_mut().resource_version = None;
    // kubectl only logs a failure here, at -v=4.
    let _ = cluster.update(object);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kubectl::args::{parse_with, Spec};
    use crate::testing::words;

    #[test]
    fn the_cause_is_the_command_line_with_long_flags_in_order() {
        let spec = Spec {
            flags: &[("filename", Some('f'), Takes::Value), FLAG],
            not_simulated: &[],
        };
        let parsed = parse_with(&words("-f web.yaml --record -n default"), spec).unwrap();
        assert_eq!(
            change_cause("apply", &parsed).as_deref(),
            Some("kubectl apply --filename=web.yaml --record=true --namespace=default")
        );
        assert!(deprecation(&parsed).is_some());
        let off = parse_with(&words("-f web.yaml --record=false"), spec).unwrap();
        assert_eq!(change_cause("apply", &off), None);
        assert!(
            deprecation(&off).is_some(),
            "given at all, it is deprecated"
        );
    }

    #[test]
    fn the_cause_goes_only_into_annotations_that_are_a_map() {
        let mut missing = serde_json::json!({"metadata": {"name": "web"}});
        note_json(&mut missing, "kubectl edit sts web --record=true");
        assert_eq!(
            missing["metadata"]["annotations"][CHANGE_CAUSE],
            "kubectl edit sts web --record=true"
        );
        let mut null = serde_json::json!({"metadata": {"annotations": null}});
        note_json(&mut null, "c");
        assert_eq!(null["metadata"]["annotations"][CHANGE_CAUSE], "c");
        // An edit that made them a number is the decoder's to refuse.
        let mut number = serde_json::json!({"metadata": {"annotations": 5}});
        note_json(&mut number, "c");
        assert_eq!(number["metadata"]["annotations"], 5);
    }
}
