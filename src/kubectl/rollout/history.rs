//! `kubectl rollout history` for a StatefulSet (§3.8): the revisions with
//! their change causes, or one revision's pod template.

use std::rc::Rc;

use k8s_openapi::api::apps::v1::ControllerRevision;
use k8s_openapi::api::core::v1::PodTemplateSpec;

use super::{revisions, statefulset};
use crate::kubectl::args::Parsed;
use crate::kubectl::describe::template::pod_template;
use crate::kubectl::describe::writer::Writer;
use crate::kubectl::formats::{self, Printer};
use crate::kubectl::gotab;
use crate::kubectl::output::Output;
use crate::kubectl::Context;
use crate::sim::object::Object;
use crate::sim::Cluster;

const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

pub fn run(cluster: &Cluster, ctx: &Context<'_>, object: &Rc<Object>, parsed: &Parsed) -> Output {
    let set = match statefulset(object, "history") {
        Ok(set) => set,
        Err(out) => return out,
    };
    let revision = parsed.int("revision").unwrap_or(0);
    let history = revisions(cluster, &set);
    let name = format!("{}/{}", object.kind().qualified_singular(), object.name());
    if parsed.value("output").is_some() {
        return print_objects(ctx, &history, revision, parsed);
    }
    if history.is_empty() {
        return Output::ok(format!("{name} \nNo rollout history found.\n"));
    }
    if revision > 0 {
        let Some(found) = history.iter().find(|r| r.revision == revision) else {
            return Output::error("unable to find the specified revision");
        };
        let Some(template) = template_of(found) else {
            return Output::error(format!(
                "unable to parse history {}",
                found.metadata.name.as_deref().unwrap_or("")
            ));
        };
        let mut w = Writer::default();
        pod_template(&mut w, &template);
        return Output::ok(format!(
            "{name} with revision #{revision}\n{}\n",
            w.unaligned()
        ));
    }
    let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
    for r in &history {
        let cause = r
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(CHANGE_CAUSE))
            .filter(|c| !c.is_empty());
        table.push_str(&format!(
            "{}\t{}\n",
            r.revision,
            cause.map_or("<none>", String::as_str)
        ));
    }
    Output::ok(format!("{name} \n{}\n", gotab::format(&table, 0, 2)))
}

/// The pod template a revision stores under `spec.template`.
pub fn template_of(revision: &ControllerRevision) -> Option<PodTemplateSpec> {
    let data = revision.data.as_ref()?.0.pointer("/spec/template")?.clone();
    let mut data = data;
    if let Some(map) = data.as_object_mut() {
        map.remove("$patch");
    }
    serde_json::from_value(data).ok()
}

/// `rollout history -o yaml`: the ControllerRevisions themselves.
fn print_objects(
    ctx: &Context<'_>,
    history: &[ControllerRevision],
    revision: i64,
    parsed: &Parsed,
) -> Output {
    let format = match formats::parse(parsed, ctx) {
        Ok(f) => f,
        Err(err) => return Output::error(err),
    };
    let chosen: Vec<&ControllerRevision> = if revision > 0 {
        match history.iter().find(|r| r.revision == revision) {
            Some(r) => vec![r],
            None => return Output::error("unable to find the specified revision"),
        }
    } else {
        history.iter().collect()
    };
    let mut printer = Printer::new(format, false);
    let mut out = Output::default();
    for r in chosen {
        match printer.print(
            &Object::ControllerRevision(Box::new(r.clone())).to_json(),
            None,
        ) {
            Ok(text) => out.print(&text),
            Err(err) => return Output::error(err),
        }
    }
    out
}
