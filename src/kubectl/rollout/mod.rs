//! `kubectl rollout status|history|undo|restart` for StatefulSets, and
//! kubectl's refusals for the rest (pause/resume, other kinds).

mod history;
mod restart;
pub(super) mod status;
mod undo;

use std::rc::Rc;

use k8s_openapi::api::apps::v1::ControllerRevision;

use super::args::{Parsed, Spec, Takes};
use super::output::Output;
use super::target::{self, Targets};
use super::waiting::Waiting;
use super::Context;
use crate::sim::object::{controlled_by, Kind, Object};
use crate::sim::Cluster;

pub const SPEC: Spec = Spec {
    flags: &[
        ("watch", Some('w'), Takes::Bool),
        ("revision", None, Takes::Int),
        ("timeout", None, Takes::Duration),
        ("to-revision", None, Takes::Int),
        ("selector", Some('l'), Takes::Value),
        ("output", Some('o'), Takes::Value),
        ("template", None, Takes::Value),
    ],
    not_simulated: &[
        "filename",
        "kustomize",
        "recursive",
        "dry-run",
        "field-manager",
        "allow-missing-template-keys",
        "show-managed-fields",
    ],
};

/// `kubectl rollout`'s subcommands.
pub const SUBCOMMANDS: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];

// kubectl indents every example line, blank ones too (`\x20\x20`).
const HELP: &str = "Manage the rollout of one or many resources.

 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets

Examples:
  # Rollback to the previous deployment
  kubectl rollout undo deployment/abc
\x20\x20
  # Check the rollout status of a daemonset
  kubectl rollout status daemonset/foo
\x20\x20
  # Restart a deployment
  kubectl rollout restart deployment/abc
\x20\x20
  # Restart deployments with the 'app=nginx' label
  kubectl rollout restart deployment --selector=app=nginx

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout

Usage:
  kubectl rollout SUBCOMMAND [options]

Use \"kubectl rollout <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

/// The subcommand and the objects it works on, or what kubectl says when
/// it cannot tell.
fn targets<'p>(
    cluster: &Cluster,
    ctx: &Context<'_>,
    parsed: &'p Parsed,
) -> Result<(&'p str, Targets), Output> {
    let Some((sub, resources)) = parsed.positionals.split_first() else {
        // cobra's help for a command without Run of its own: on stdout, exit 1.
        let mut help = Output::ok(HELP.to_string());
        help.code = 1;
        return Err(help);
    };
    if !SUBCOMMANDS.contains(&sub.as_str()) {
        return Err(Output::fail(format!(
            "error: unknown command \"{}\"\nSee 'kubectl rollout -h' for help and examples",
            parsed.positionals.join(" ")
        )));
    }
    if resources.is_empty() && parsed.value("selector").is_none() {
        return Err(Output::fail(format!(
            "error: required resource not specified\nSee 'kubectl rollout {sub} -h' for help and examples"
        )));
    }
    let found = target::find(cluster, ctx, parsed, resources, false)?;
    Ok((sub.as_str(), found))
}

/// What the subcommand printed, and the rollout `status` then follows when
/// it names one object.
pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> (Output, Option<Waiting>) {
    let (sub, found) = match targets(cluster, ctx, parsed) {
        Ok(targets) => targets,
        Err(out) => return (out, None),
    };
    if let ("status", [object], []) = (sub, found.objects.as_slice(), found.missing.as_slice()) {
        let (out, follow) = status::run(cluster, object, parsed);
        return (out, follow.map(Waiting::Rollout));
    }
    let mut out = Output::default();
    for object in &found.objects {
        let result = match sub {
            "status" => {
                let (mut out, follow) = status::run(cluster, object, parsed);
                if let Some(follow) = follow {
                    out.merge(Waiting::Rollout(follow).finish(cluster));
                }
                out
            }
            "history" => history::run(cluster, ctx, object, parsed),
            "undo" => undo::run(cluster, object, parsed),
            "restart" => restart::run(cluster, object),
            // Only Deployments can be paused.
            verb => Output::error(format!(
                "{} {:?} {}ing is not supported",
                object.kind().qualified_plural(),
                object.name(),
                verb.trim_end_matches('e')
            )),
        };
        out.merge(result);
    }
    let scope = Some(target::namespace(parsed, ctx));
    found.report_missing(&mut out, scope);
    (out, None)
}

/// The StatefulSet a subcommand works on, or its refusal for other kinds.
fn statefulset(
    object: &Rc<Object>,
    what: &str,
) -> Result<k8s_openapi::api::apps::v1::StatefulSet, Output> {
    match object.as_ref() {
        Object::StatefulSet(set) => Ok(set.as_ref().clone()),
        other => Err(unsupported(other, what)),
    }
}

/// Why a subcommand does nothing for `object`: kind's own Deployments and
/// DaemonSets have no controller here, other kinds none in kubectl either.
fn unsupported(object: &Object, what: &str) -> Output {
    let kind = object.kind();
    if matches!(kind, Kind::Deployment | Kind::DaemonSet) {
        return Output::error(format!(
            "stsplay has no rollout {what} for {}: it runs no {} controller (kind's own are kept as kind made them)",
            kind.qualified_plural(),
            kind.name()
        ));
    }
    let group_kind = match kind.group() {
        "" => kind.name().to_string(),
        g => format!("{}.{g}", kind.name()),
    };
    Output::error(match what {
        "status" => format!("no status viewer has been implemented for {group_kind}"),
        "history" => format!("no history viewer has been implemented for {group_kind:?}"),
        "undo" => format!("no rollbacker has been implemented for {group_kind:?}"),
        _ => format!(
            "{} {:?} restarting is not supported",
            kind.qualified_plural(),
            object.name()
        ),
    })
}

/// The ControllerRevisions a StatefulSet or DaemonSet keeps of its
/// templates, oldest first.
fn revisions(cluster: &Cluster, object: &Object) -> Vec<ControllerRevision> {
    let Some(selector) = object.workload_selector() else {
        return Vec::new();
    };
    let uid = object.uid();
    let mut owned: Vec<ControllerRevision> = cluster
        .store()
        .list_in(Kind::ControllerRevision, object.namespace())
        .filter_map(|o| o.as_typed::<ControllerRevision>())
        .filter(|r| crate::sim::labels::selector_matches(selector, r.metadata.labels.as_ref()))
        .filter(|r| controlled_by(&r.metadata, uid))
        .cloned()
        .collect();
    owned.sort_by_key(|r| r.revision);
    owned
}
