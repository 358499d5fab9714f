//! `kubectl rollout undo` for a StatefulSet: writes an earlier revision's
//! pod template back (the previous one by default).

use std::rc::Rc;

use serde_json::Value;

use super::{revisions, statefulset};
use crate::kubectl::args::Parsed;
use crate::kubectl::mutate::update_json;
use crate::kubectl::output::Output;
use crate::kubectl::strategic;
use crate::sim::object::Object;
use crate::sim::Cluster;

pub fn run(cluster: &mut Cluster, object: &Rc<Object>, parsed: &Parsed) -> Output {
    let set = match statefulset(object, "undo") {
        Ok(set) => set,
        Err(out) => return out,
    };
    let to = parsed.int("to-revision").unwrap_or(0);
    if to < 0 {
        return Output::error(format!("unable to find specified revision {to} in history"));
    }
    let history = revisions(cluster, object);
    if to == 0 && history.len() <= 1 {
        return Output::error("no last revision to roll back to");
    }
    let target = if to == 0 {
        history.get(history.len() - 2)
    } else {
        history.iter().find(|r| r.revision == to)
    };
    let Some(target) = target else {
        return Output::error(format!("unable to find specified revision {to} in history"));
    };
    let data = target
        .data
        .as_ref()
        .map(|d| d.0.clone())
        .unwrap_or(Value::Null);
    let name = format!("{}/{}", object.kind().qualified_singular(), object.name());
    // The revision stores `{"spec":{"template":{…,"$patch":"replace"}}}`.
    let mut current =
        serde_json::json!({"spec": {"template": set.spec.as_ref().map(|s| &s.template)}});
    if let Some(template) = current
        .pointer_mut("/spec/template")
        .and_then(Value::as_object_mut)
    {
        template.insert("$patch".to_string(), Value::String("replace".to_string()));
    }
    if current == data {
        return Output::ok(format!(
            "{name} skipped rollback (current template already matches revision {to})\n"
        ));
    }
    let patched = match strategic::apply(&object.to_json(), &data) {
        Ok(json) => json,
        Err(err) => return Output::error(format!("failed restoring revision {to}: {err}")),
    };
    match update_json(cluster, object, patched) {
        Ok(_) => Output::ok(format!("{name} rolled back\n")),
        Err(err) => Output::error(format!("failed restoring revision {to}: {err}")),
    }
}
