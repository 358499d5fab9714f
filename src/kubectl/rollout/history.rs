//! `kubectl rollout history` for a StatefulSet (§3.8) or DaemonSet (their
//! ControllerRevisions) and a Deployment (its ReplicaSets): the revisions
//! with their change causes, or one revision's pod template; with `-o`,
//! the object as it was at each revision.

use std::rc::Rc;

use k8s_openapi::api::apps::v1::{ControllerRevision, ReplicaSet};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::{revisions, unsupported};
use crate::kubectl::args::Parsed;
use crate::kubectl::describe::template::pod_template;
use crate::kubectl::describe::writer::Writer;
use crate::kubectl::formats::{self, Printer};
use crate::kubectl::gotab;
use crate::kubectl::output::Output;
use crate::kubectl::record;
use crate::kubectl::strategic;
use crate::kubectl::Context;
use crate::sim::object::{controlled_by, Object};
use crate::sim::Cluster;

/// One revision as history shows it, and the object `-o` prints for it.
struct Entry {
    revision: i64,
    cause: Option<String>,
    template: Option<PodTemplateSpec>,
    object: Object,
}

pub fn run(cluster: &Cluster, ctx: &Context<'_>, object: &Rc<Object>, parsed: &Parsed) -> Output {
    let history = match object.as_ref() {
        Object::Deployment(_) => replica_sets(cluster, object),
        Object::StatefulSet(_) | Object::DaemonSet(_) => revisions(cluster, object)
            .into_iter()
            .map(|r| Entry {
                revision: r.revision,
                cause: change_cause(&r.metadata),
                template: template_of(&r),
                object: at_revision(object, &r),
            })
            .collect(),
        other => return unsupported(other, "history"),
    };
    let revision = parsed.int("revision").unwrap_or(0);
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
        let Some(template) = &found.template else {
            return Output::error(format!("unable to parse history {}", found.object.name()));
        };
        let mut w = Writer::default();
        pod_template(&mut w, template);
        return Output::ok(format!(
            "{name} with revision #{revision}\n{}\n",
            w.unaligned()
        ));
    }
    let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
    for r in &history {
        table.push_str(&format!(
            "{}\t{}\n",
            r.revision,
            r.cause.as_deref().unwrap_or("<none>")
        ));
    }
    Output::ok(format!("{name} \n{}\n", gotab::format(&table, 0, 2)))
}

/// A Deployment's history: its ReplicaSets, by the revision annotation the
/// Deployment controller gives them, oldest first.
fn replica_sets(cluster: &Cluster, deployment: &Object) -> Vec<Entry> {
    let uid = deployment.uid();
    let mut entries: Vec<Entry> = cluster
        .store()
        .list_typed::<ReplicaSet>(deployment.namespace())
        .filter(|s| controlled_by(&s.metadata, uid))
        .filter_map(|s| {
            let revision = s
                .metadata
                .annotations
                .as_ref()?
                .get(REVISION)?
                .parse()
                .ok()?;
            // Its template as the ReplicaSet has it, pod-template-hash and all.
            Some(Entry {
                revision,
                cause: change_cause(&s.metadata),
                template: s.spec.as_ref().and_then(|spec| spec.template.clone()),
                object: Object::ReplicaSet(Box::new(s.clone())),
            })
        })
        .collect();
    entries.sort_by_key(|e| e.revision);
    entries
}

const REVISION: &str = "deployment.kubernetes.io/revision";

fn change_cause(meta: &ObjectMeta) -> Option<String> {
    meta.annotations
        .as_ref()
        .and_then(|a| a.get(record::CHANGE_CAUSE))
        .filter(|c| !c.is_empty())
        .cloned()
}

/// What `-o` prints for a revision of a StatefulSet or DaemonSet: the live
/// object with the revision's data applied as a strategic merge patch
/// (applyStatefulSetHistory, applyDaemonSetHistory), so its template is the
/// revision's and the rest is as it is now.
fn at_revision(live: &Object, revision: &ControllerRevision) -> Object {
    let data = revision.data.as_ref().map(|d| d.0.clone());
    data.and_then(|data| strategic::apply(&live.to_json(), &data).ok())
        .and_then(|json| Object::from_json(live.kind(), json).ok())
        .unwrap_or_else(|| live.clone())
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

/// `rollout history -o yaml`: the object at each revision (or the one asked
/// for), oldest first.
fn print_objects(ctx: &Context<'_>, history: &[Entry], revision: i64, parsed: &Parsed) -> Output {
    let format = match formats::parse(parsed, ctx) {
        Ok(f) => f,
        Err(err) => return Output::error(err),
    };
    let chosen: Vec<&Entry> = if revision > 0 {
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
        match printer.print(&r.object.to_json(), None) {
            Ok(text) => out.print(&text),
            Err(err) => return Output::error(err),
        }
    }
    out
}
