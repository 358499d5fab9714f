//! kubectl's words for a command line it cannot run: unknown verbs (with
//! cobra's "Did you mean this?"), and the top-level help.

use super::output::Output;

/// kubectl's commands in the order pkg/cmd/cmd.go adds them (its help
/// groups, then the ungrouped ones, then cobra's `help`): cobra suggests
/// commands in that order, as nothing has sorted them yet.
pub const VERBS: &[&str] = &[
    "create",
    "expose",
    "run",
    "set",
    "explain",
    "get",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "describe",
    "logs",
    "attach",
    "exec",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "apply",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "alpha",
    "config",
    "plugin",
    "version",
    "api-versions",
    "api-resources",
    "options",
    "help",
];

/// Commands cobra never suggests, as they are not "available": 1.34's
/// `alpha` has no subcommands, and `help` is cobra's own.
const NOT_SUGGESTED: &[&str] = &["alpha", "help"];

/// Words some commands are suggested for besides close spellings
/// (kubectl's `SuggestFor`; `wait` copied `get`'s list).
const SUGGEST_FOR: &[(&str, &[&str])] = &[
    ("delete", &["rm"]),
    ("get", &["list", "ps"]),
    ("wait", &["list", "ps"]),
];

/// The verbs the playground runs (`port-forward` and `proxy` only explain
/// why a web page cannot).
pub const SIMULATED: &[&str] = &[
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "attach",
    "cluster-info",
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
    "label",
    "logs",
    "patch",
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

/// Subcommands kubectl has that the playground does not run: (verb, subcommand).
pub const SUBCOMMANDS_NOT_SIMULATED: &[(&str, &str)] = &[
    ("apply", "edit-last-applied"),
    ("apply", "set-last-applied"),
    ("apply", "view-last-applied"),
    ("cluster-info", "dump"),
    // The playground's kubeconfig is kind's, with one cluster, user and context.
    ("config", "delete-cluster"),
    ("config", "delete-context"),
    ("config", "delete-user"),
    ("config", "rename-context"),
    ("config", "set-cluster"),
    ("config", "set-credentials"),
];

/// A real kubectl command the playground does not run, refused by name
/// before its flags are read (so its own flags do not look unknown).
pub fn not_simulated(args: &[String]) -> Option<Output> {
    let verb = args.first()?.as_str();
    let sub = args.get(1).map(String::as_str).unwrap_or("");
    if VERBS.contains(&verb) && !SIMULATED.contains(&verb) {
        return Some(Output::error(format!(
            "stsplay does not simulate 'kubectl {verb}'. Type 'help' to see what this playground runs."
        )));
    }
    let generator = super::create::SUBCOMMANDS.contains(&sub);
    let secret_type = args.get(2).map(String::as_str).unwrap_or("");
    if verb == "create"
        && sub == "secret"
        && super::create::SECRET_TYPES_NOT_SIMULATED.contains(&secret_type)
    {
        return Some(Output::error(format!(
            "stsplay does not simulate 'kubectl create secret {secret_type}'. Type 'help' to see what this playground runs."
        )));
    }
    let refused = match verb {
        "create" => generator && !super::create::SIMULATED.contains(&sub),
        "set" => super::set::SUBCOMMANDS.contains(&sub) && !super::set::SIMULATED.contains(&sub),
        _ => SUBCOMMANDS_NOT_SIMULATED.contains(&(verb, sub)),
    };
    refused.then(|| {
        Output::error(format!(
            "stsplay does not simulate 'kubectl {verb} {sub}'. Type 'help' to see what this playground runs."
        ))
    })
}

/// kubectl's text for an unknown verb, with cobra's "Did you mean this?".
pub fn unknown_command(verb: &str) -> String {
    let typed = verb.to_lowercase();
    let mut suggestions: Vec<&str> = Vec::new();
    for candidate in VERBS.iter().filter(|v| !NOT_SUGGESTED.contains(v)) {
        if levenshtein(&typed, candidate) <= 2 || candidate.starts_with(&typed) {
            suggestions.push(candidate);
        }
        let explicit = SUGGEST_FOR
            .iter()
            .filter(|(name, _)| name == candidate)
            .flat_map(|(_, words)| words.iter());
        for word in explicit {
            if word.eq_ignore_ascii_case(verb) {
                suggestions.push(candidate);
            }
        }
    }
    let mut text = format!("error: unknown command \"{verb}\" for \"kubectl\"");
    if !suggestions.is_empty() {
        text.push_str("\n\nDid you mean this?\n\t");
        text.push_str(&suggestions.join("\n\t"));
        text.push('\n');
    }
    text
}

/// Edit distance, as cobra computes it for suggestions.
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

/// `kubectl` with no arguments.
pub const HELP: &str = "kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster
  set             Set specific features on objects

Basic Commands (Intermediate):
  explain         Get documentation for a resource
  get             Display one or many resources
  edit            Edit a resource on the server
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller
  autoscale       Auto-scale a deployment, replica set, stateful set, or replication controller

Cluster Management Commands:
  certificate     Modify certificate resources
  cluster-info    Display cluster information
  top             Display resource (CPU/memory) usage
  cordon          Mark node as unschedulable
  uncordon        Mark node as schedulable
  drain           Drain node in preparation for maintenance
  taint           Update the taints on one or more nodes

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  attach          Attach to a running container
  exec            Execute a command in a container
  port-forward    Forward one or more local ports to a pod
  proxy           Run a proxy to the Kubernetes API server
  cp              Copy files and directories to and from containers
  auth            Inspect authorization
  debug           Create debugging sessions for troubleshooting workloads and nodes
  events          List events

Advanced Commands:
  diff            Diff the live version against a would-be applied version
  apply           Apply a configuration to a resource by file name or stdin
  patch           Update fields of a resource
  replace         Replace a resource by file name or stdin
  wait            Experimental: Wait for a specific condition on one or many resources
  kustomize       Build a kustomization target from a directory or URL

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource
  completion      Output shell completion code for the specified shell (bash, zsh, fish, or powershell)

Subcommands provided by plugins:

Other Commands:
  api-resources   Print the supported API resources on the server
  api-versions    Print the supported API versions on the server, in the form of \"group/version\"
  config          Modify kubeconfig files
  plugin          Provides utilities for interacting with plugins
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use \"kubectl <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_verbs() {
        assert_eq!(
            unknown_command("gte"),
            "error: unknown command \"gte\" for \"kubectl\"\n\nDid you mean this?\n\tget\n"
        );
        assert_eq!(
            unknown_command("zzzzzz"),
            "error: unknown command \"zzzzzz\" for \"kubectl\""
        );
        assert_eq!(unknown_command("ps"), "error: unknown command \"ps\" for \"kubectl\"\n\nDid you mean this?\n\tget\n\tcp\n\twait\n");
        assert_eq!(
            unknown_command("alph"),
            "error: unknown command \"alph\" for \"kubectl\"\n\nDid you mean this?\n\tauth\n"
        );
        assert_eq!(
            unknown_command("rollot"),
            "error: unknown command \"rollot\" for \"kubectl\"\n\nDid you mean this?\n\trollout\n"
        );
    }
}
