//! `kubectl set resources RESOURCE --limits=cpu=200m,memory=512Mi
//! --requests=…`: sets resource limits and requests in the containers of
//! pod templates (a changed StatefulSet template rolls its pods; the new
//! requests are what the scheduler fits and what the QoS class follows).
//! Read in kubectl v0.34's `pkg/cmd/set/set_resources.go`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::args::{Parsed, Spec, Takes};
use super::output::Output;
use super::set::{change_pod_spec, Sender, NOT_SIMULATED, SEND_FLAGS};
use super::set_env::selected_containers;
use super::{record, target, Context};
use crate::sim::{quantity, Cluster};

pub const SPEC: Spec = Spec {
    flags: &[
        ("all", None, Takes::Bool),
        ("selector", Some('l'), Takes::Value),
        ("containers", Some('c'), Takes::Value),
        ("limits", None, Takes::Value),
        ("requests", None, Takes::Value),
        record::FLAG,
        SEND_FLAGS[0],
        SEND_FLAGS[1],
        SEND_FLAGS[2],
    ],
    not_simulated: NOT_SIMULATED,
};

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed, args: &[String]) -> Output {
    let mut sender = match Sender::of(parsed, ctx) {
        Ok(sender) => sender,
        Err(err) => return Output::error(err),
    };
    // The builder finds the objects (Complete) before Validate checks the flags.
    if args.is_empty() {
        return Output::fail(target::NO_RESOURCES_GIVEN);
    }
    let found = match target::find(cluster, ctx, parsed, args, true) {
        Ok(found) => found,
        Err(err) => return err,
    };
    if parsed.bool("all") && parsed.value("selector").is_some() {
        return Output::error("cannot set --all and --selector at the same time");
    }
    let limits = parsed.value("limits").unwrap_or("");
    let requests = parsed.value("requests").unwrap_or("");
    if limits.is_empty() && requests.is_empty() {
        return Output::error(
            "you must specify an update to requests or limits (in the form of --requests/--limits)",
        );
    }
    let wanted = match (resource_list(limits), resource_list(requests)) {
        (Ok(limits), Ok(requests)) => [("limits", limits), ("requests", requests)],
        (Err(err), _) | (_, Err(err)) => return Output::error(err),
    };
    let selector = parsed.value("containers").unwrap_or("*");
    let mut out = Output::default();
    let mut unmatched = false;
    for live in &found.objects {
        let changed = change_pod_spec(live, |spec| {
            let selected = selected_containers(spec, selector);
            for &(list, i) in &selected {
                let container = spec.get_mut(list).and_then(|l| l.get_mut(i));
                if let Some(container) = container.and_then(Value::as_object_mut) {
                    set_quantities(container, &wanted);
                }
            }
            !selected.is_empty()
        });
        let (mut json, changed_any) = match changed {
            Ok(changed) => changed,
            Err(refused) => {
                out.merge(refused);
                continue;
            }
        };
        if !changed_any {
            unmatched = true;
            continue;
        }
        if let Some(cause) = record::change_cause("set", parsed) {
            record::note_json(&mut json, &cause);
        }
        let words = (
            "resource requirements updated",
            "failed to patch resources update to pod template ",
        );
        sender.send(cluster, live, json, words, &mut out);
    }
    if unmatched {
        out.merge(Output::error(format!(
            "unable to find container named {selector}"
        )));
    }
    found.report_missing(&mut out, None);
    out
}

/// `cpu=100m,memory=256Mi`, each quantity as ParseQuantity reads it.
fn resource_list(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut list = BTreeMap::new();
    if text.is_empty() {
        return Ok(list);
    }
    for statement in text.split(',') {
        let parts: Vec<&str> = statement.split('=').collect();
        let [name, value] = parts[..] else {
            return Err(format!(
                "Invalid argument syntax {statement}, expected <resource>=<value>"
            ));
        };
        quantity::sign(value)?;
        list.insert(name.to_string(), value.to_string());
    }
    Ok(list)
}

/// Puts each wanted quantity into the container's `resources.limits` and
/// `resources.requests`, keeping the others there.
fn set_quantities(container: &mut Map<String, Value>, wanted: &[(&str, BTreeMap<String, String>)]) {
    let resources = container
        .entry("resources")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(resources) = resources.as_object_mut() else {
        return;
    };
    for (field, quantities) in wanted.iter().filter(|(_, q)| !q.is_empty()) {
        let list = resources
            .entry(field.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(list) = list.as_object_mut() {
            for (name, value) in quantities {
                list.insert(name.clone(), Value::String(value.clone()));
            }
        }
    }
}
