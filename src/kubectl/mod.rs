//! kubectl: parses a command line and runs it against the simulated
//! apiserver, printing what kubectl 1.34 prints. It only uses the cluster's
//! public API (store reads, create/update/delete, and the clock for
//! blocking commands), as a real client would.

pub mod apply;
pub mod args;
pub mod delete;
pub mod duration;
pub mod exec;
pub mod get;
pub mod logs;
pub mod manifest;
pub mod merge;
pub mod output;
pub mod port_forward;
pub mod printers;
pub mod resources;
pub mod run;
pub mod scale;
pub mod selector;
pub mod table;
pub mod watch;

use std::collections::BTreeMap;

pub use exec::{Attach, Attached};
pub use logs::LogFollow;
pub use output::Output;
pub use watch::Watch;

use crate::sim::bootstrap::KUBERNETES_VERSION;
use crate::sim::Cluster;

/// Where kubectl runs: the current namespace, the playground's files (for
/// `-f`) and standard input (for `-f -`).
pub struct Context<'a> {
    pub namespace: &'a str,
    pub files: &'a BTreeMap<String, String>,
    pub stdin: Option<&'a str>,
    /// Commands the calling shell may still run on this line; a shell that
    /// `exec` starts in a container draws from it, so nesting cannot escape the bound.
    pub budget: Option<&'a std::cell::Cell<usize>>,
}

impl Context<'_> {
    /// Reads a `-f` argument.
    pub fn read(&self, path: &str) -> Result<String, String> {
        if path == "-" {
            return self
                .stdin
                .map(str::to_string)
                .ok_or_else(|| "no objects passed to apply".to_string());
        }
        let name = path.strip_prefix("./").unwrap_or(path);
        self.files
            .get(name)
            .cloned()
            .ok_or_else(|| format!("the path \"{path}\" does not exist"))
    }
}

/// The result of one kubectl invocation: what it printed, and a watch that
/// goes on printing (`get -w`).
pub struct Invocation {
    pub output: Output,
    pub watch: Option<Watch>,
    /// A shell or log stream that stays attached to the terminal (`exec -it`, `logs -f`).
    pub attach: Option<Attach>,
    /// The output with stdout and stderr in the order they were written,
    /// when that order matters (a remote command's output).
    pub interleaved: Option<crate::shell::Sink>,
}

impl From<Output> for Invocation {
    fn from(output: Output) -> Invocation {
        Invocation {
            output,
            watch: None,
            attach: None,
            interleaved: None,
        }
    }
}

const VERBS: &[&str] = &[
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "attach",
    "auth",
    "autoscale",
    "certificate",
    "cluster-info",
    "completion",
    "config",
    "cordon",
    "cp",
    "create",
    "debug",
    "delete",
    "describe",
    "diff",
    "drain",
    "edit",
    "events",
    "exec",
    "explain",
    "expose",
    "get",
    "help",
    "kustomize",
    "label",
    "logs",
    "options",
    "patch",
    "plugin",
    "port-forward",
    "proxy",
    "replace",
    "rollout",
    "run",
    "scale",
    "set",
    "taint",
    "top",
    "uncordon",
    "version",
    "wait",
];

/// Runs `kubectl <args>`.
pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, args: &[String]) -> Invocation {
    let Some(verb) = args.first() else {
        return Output::ok("kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\nBasic Commands: create, expose, run, set, explain, get, edit, delete\nDeploy Commands: rollout, scale, autoscale\nTroubleshooting: describe, logs, attach, exec, port-forward, proxy, cp, auth, debug, events\nAdvanced Commands: diff, apply, patch, replace, wait, kustomize\nSettings Commands: label, annotate, completion\n\nUsage:\n  kubectl [flags] [options]\n".to_string()).into();
    };
    match verb.as_str() {
        "exec" => return exec::run(cluster, ctx, &args[1..]),
        "logs" => return logs::run(cluster, ctx, &args[1..]),
        "run" => return run::run(cluster, ctx, &args[1..]),
        "port-forward" | "proxy" => return port_forward::run(verb, &args[1..]).into(),
        _ => {}
    }
    let parsed = match args::parse(&args[1..]) {
        Ok(p) => p,
        Err(err) => {
            return Output::fail(format!(
                "error: {err}\nSee 'kubectl {verb} --help' for usage."
            ))
            .into()
        }
    };
    match verb.as_str() {
        "apply" => apply::run(cluster, ctx, &parsed, apply::Mode::Apply).into(),
        "create" => apply::run(cluster, ctx, &parsed, apply::Mode::Create).into(),
        "get" => {
            let got = get::run(cluster, ctx, &parsed);
            Invocation { output: got.output, watch: got.watch, attach: None, interleaved: None }
        }
        "delete" => delete::run(cluster, ctx, &parsed).into(),
        "scale" => scale::run(cluster, ctx, &parsed).into(),
        "version" => version(&parsed).into(),
        "cluster-info" => Output::ok(
            "Kubernetes control plane is running at https://127.0.0.1:6443\nCoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
                .to_string(),
        )
        .into(),
        known if VERBS.contains(&known) => Output::fail(format!(
            "error: stsplay does not simulate 'kubectl {known}' yet. Supported here: apply, create, get (with --watch), delete, scale, exec, logs, run, version, cluster-info."
        ))
        .into(),
        unknown => Output::fail(unknown_command(unknown)).into(),
    }
}

/// kubectl's text for an unknown verb, with cobra's "Did you mean this?".
fn unknown_command(verb: &str) -> String {
    let suggestions: Vec<&str> = VERBS
        .iter()
        .copied()
        .filter(|v| levenshtein(v, verb) <= 2 || (verb.len() > 2 && v.starts_with(verb)))
        .collect();
    let mut text = format!("error: unknown command \"{verb}\" for \"kubectl\"");
    if !suggestions.is_empty() {
        text.push_str("\n\nDid you mean this?\n");
        for s in suggestions {
            text.push_str(&format!("\t{s}\n"));
        }
        text.pop();
    }
    text
}

pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(current)
            };
            previous = current;
        }
    }
    row[b.len()]
}

/// Parses a verb's arguments with its own flags (kubectl's usage error
/// otherwise), and the namespace it works in.
fn parse_verb(
    verb: &str,
    args: &[String],
    flags: &[args::Flag],
    ctx: &Context<'_>,
) -> Result<(args::Parsed, String), Output> {
    let parsed = args::parse_with(args, flags).map_err(|err| {
        Output::fail(format!(
            "error: {err}\nSee 'kubectl {verb} --help' for usage."
        ))
    })?;
    let namespace = parsed
        .value("namespace")
        .unwrap_or(ctx.namespace)
        .to_string();
    Ok((parsed, namespace))
}

fn version(parsed: &args::Parsed) -> Output {
    let client = format!("Client Version: {KUBERNETES_VERSION}\nKustomize Version: v5.7.1\n");
    if parsed.bool("client") {
        return Output::ok(client);
    }
    Output::ok(format!("{client}Server Version: {KUBERNETES_VERSION}\n"))
}

/// Objects as `-o yaml` or `-o json` print them.
pub fn encode(value: &serde_json::Value, yaml: bool) -> String {
    if yaml {
        serde_yaml::to_string(value).unwrap_or_default()
    } else {
        let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_verbs() {
        assert_eq!(
            unknown_command("gte"),
            "error: unknown command \"gte\" for \"kubectl\"\n\nDid you mean this?\n\tget"
        );
        assert_eq!(
            unknown_command("zzzzzz"),
            "error: unknown command \"zzzzzz\" for \"kubectl\""
        );
    }
}
