//! `kubectl set image`: changes container images in a pod template (or a
//! pod); `kubectl set env` and `set resources` have files of their own. The other `set` subcommands
//! exist in kubectl but are not simulated.

use super::args::{Flag, Parsed, Spec, Takes};
use super::dry_run::DryRun;
use super::formats::Printer;
use super::mutate::update_json;
use super::output::Output;
use super::record;
use super::target;
use super::Context;
use crate::sim::object::{Kind, Object};
use crate::sim::Cluster;

/// The flags of kubectl's `set` subcommands that the playground refuses.
pub(super) const NOT_SIMULATED: &[&str] = &[
    "local",
    "filename",
    "kustomize",
    "recursive",
    "field-manager",
    "allow-missing-template-keys",
    "show-managed-fields",
];

/// The flags of every `set` subcommand that say how its change is sent and shown.
pub(super) const SEND_FLAGS: [Flag; 3] = [
    ("dry-run", None, Takes::Value),
    ("output", Some('o'), Takes::Value),
    ("template", None, Takes::Value),
];

pub const SPEC: Spec = Spec {
    flags: &[
        ("all", None, Takes::Bool),
        ("selector", Some('l'), Takes::Value),
        ("all-namespaces", Some('A'), Takes::Bool),
        record::FLAG,
        SEND_FLAGS[0],
        SEND_FLAGS[1],
        SEND_FLAGS[2],
    ],
    not_simulated: NOT_SIMULATED,
};

/// kubectl's `set` subcommands; those in [`SIMULATED`] are simulated (the rest are
/// refused before their flags are read, see [`super::usage::not_simulated`]).
pub const SUBCOMMANDS: &[&str] = &[
    "env",
    "image",
    "resources",
    "selector",
    "serviceaccount",
    "subject",
];

/// The subcommands the playground runs.
pub const SIMULATED: &[&str] = &["env", "image", "resources"];

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Output {
    let Some((sub, args)) = parsed.positionals.split_first() else {
        return Output::fail(HELP);
    };
    match sub.as_str() {
        "image" => image(cluster, ctx, parsed, args),
        "env" => super::set_env::run(cluster, ctx, parsed, args),
        "resources" => super::set_resources::run(cluster, ctx, parsed, args),
        _ => Output::fail(format!(
            "error: unknown command \"{}\"\nSee 'kubectl set -h' for help and examples",
            parsed.positionals.join(" ")
        )),
    }
}

fn image(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed, args: &[String]) -> Output {
    let split = args
        .iter()
        .position(|a| a.contains('='))
        .unwrap_or(args.len());
    let (resources, pairs) = args.split_at(split);
    if let Some(stray) = pairs.iter().find(|p| !p.contains('=')) {
        return Output::error(format!(
            "all resources must be specified before image changes: {stray}"
        ));
    }
    let images: Vec<(String, String)> = pairs
        .iter()
        .filter_map(|p| p.split_once('='))
        .map(|(c, i)| (c.to_string(), i.to_string()))
        .collect();
    if parsed.bool("all") && parsed.value("selector").is_some() {
        return Output::error("cannot set --all and --selector at the same time");
    }
    if resources.is_empty() {
        return Output::error(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    if images.is_empty() {
        return Output::error("at least one image update is required");
    }
    if images.len() > 1 && images.iter().any(|(c, _)| c == "*") {
        return Output::error("all containers are already specified by *, but saw more than one container_name=container_image pairs");
    }
    let mut sender = match Sender::of(parsed, ctx) {
        Ok(sender) => sender,
        Err(err) => return Output::error(err),
    };
    let found = match target::find(cluster, ctx, parsed, resources, true) {
        Ok(found) => found,
        Err(out) => return out,
    };
    let mut out = Output::default();
    for live in &found.objects {
        let changed = change_pod_spec(live, |spec| {
            let mut missing = Vec::new();
            for (container, image) in &images {
                let mut found_one = false;
                for list in ["initContainers", "containers"] {
                    for c in spec
                        .get_mut(list)
                        .and_then(|l| l.as_array_mut())
                        .into_iter()
                        .flatten()
                    {
                        if container == "*"
                            || c.get("name").and_then(|n| n.as_str()) == Some(container)
                        {
                            c["image"] = serde_json::Value::String(image.clone());
                            found_one = true;
                        }
                    }
                }
                if !found_one {
                    missing.push(container.clone());
                }
            }
            missing
        });
        let (mut json, missing) = match changed {
            Ok(changed) => changed,
            Err(refused) => {
                out.merge(refused);
                continue;
            }
        };
        // The cause goes into the same patch as the images.
        if let Some(cause) = record::change_cause("set", parsed) {
            record::note_json(&mut json, &cause);
        }
        for container in &missing {
            out.merge(Output::error(format!(
                "unable to find container named {container:?}"
            )));
        }
        sender.send(
            cluster,
            live,
            json,
            (
                "image updated",
                "failed to patch image update to pod template: ",
            ),
            &mut out,
        );
    }
    found.report_missing(&mut out, None);
    out
}

/// How a `set` subcommand sends its changes and shows them: `--dry-run`
/// and `-o`, read as Complete reads them.
pub(super) struct Sender {
    dry_run: DryRun,
    copy: Option<Cluster>,
    printer: Option<Printer>,
}

impl Sender {
    pub(super) fn of(parsed: &Parsed, ctx: &Context<'_>) -> Result<Sender, String> {
        let (dry_run, printer) = DryRun::with_printer(parsed, ctx)?;
        Ok(Sender {
            dry_run,
            copy: None,
            printer,
        })
    }

    /// Sends one object's change as a `set` subcommand patches it: nothing
    /// when nothing changed (kubectl prints nothing then), else `KIND/NAME`
    /// and what was done (or the object, with `-o`), or the failure with the
    /// server's words after it.
    pub(super) fn send(
        &mut self,
        cluster: &mut Cluster,
        live: &Object,
        json: serde_json::Value,
        (done, failed): (&str, &str),
        out: &mut Output,
    ) {
        if json == live.to_json() {
            return;
        }
        // A client dry run shows the object as changed here; nothing is sent.
        let sent = match self.dry_run.cluster(cluster, &mut self.copy) {
            None => Ok(json),
            Some(target) => update_json(target, live, json)
                .map(|updated| updated.object.to_json())
                .map_err(|err| format!("{failed}{}", err.wrapped())),
        };
        let shown = match (sent, self.printer.as_mut()) {
            (Err(err), _) => Output::error(err),
            (Ok(_), None) => Output::ok(format!(
                "{}/{} {done}{}\n",
                live.kind().qualified_singular(),
                live.name(),
                self.dry_run.note()
            )),
            (Ok(object), Some(printer)) => match printer.print(&object, None) {
                Ok(text) => Output::ok(text),
                Err(err) => Output::error(err),
            },
        };
        out.merge(shown);
    }
}

/// The object's JSON with `change` made to its pod spec (where
/// UpdatePodSpecForObject finds it), and what `change` returned; Err with
/// kubectl's refusal for a kind without one.
pub(super) fn change_pod_spec<T>(
    live: &Object,
    change: impl FnOnce(&mut serde_json::Value) -> T,
) -> Result<(serde_json::Value, T), Output> {
    let pointer = match live.kind() {
        Kind::StatefulSet | Kind::Deployment | Kind::DaemonSet | Kind::ReplicaSet => {
            "/spec/template/spec"
        }
        Kind::Pod => "/spec",
        _ => {
            return Err(Output::error(format!(
                "{} {:?} pod spec is not found",
                live.kind().qualified_plural(),
                live.name()
            )))
        }
    };
    let mut json = live.to_json();
    let spec = json.pointer_mut(pointer).ok_or_else(Output::default)?;
    let result = change(spec);
    Ok((json, result))
}

/// The flags of `kubectl set SUBCOMMAND`.
pub fn spec(subcommand: Option<&str>) -> Spec {
    match subcommand {
        Some("env") => super::set_env::SPEC,
        Some("resources") => super::set_resources::SPEC,
        _ => SPEC,
    }
}

const HELP: &str = "Configure application resources.

 These commands help you make changes to existing application resources.

Available Commands:
  env              Update environment variables on a pod template
  image            Update the image of a pod template
  resources        Update resource requests/limits on objects with pod templates
  selector         Set the selector on a resource
  serviceaccount   Update the service account of a resource
  subject          Update the user, group, or service account in a role binding or cluster role binding

Usage:
  kubectl set SUBCOMMAND [options]

Use \"kubectl set <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";
