//! `kubectl <command> --help` (or `-h`, or `kubectl help <command>`): what
//! the command does, how it is called, and the flags the playground runs,
//! with a link to kubectl's full reference page (its examples and every
//! option), which a web page cannot reproduce word for word.

use super::args::{self, Takes};
use super::usage;

/// Whether the line asks for help: `-h` or `--help` before any `--`.
pub fn asked(args: &[String]) -> bool {
    args.iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "-h" || a == "--help")
}

/// The help of `command` ("kubectl get", "kubectl rollout status").
pub fn text(command: &str, flags: &[args::Flag]) -> String {
    let mut out = String::new();
    let name = command.strip_prefix("kubectl ").unwrap_or(command);
    if let Some(summary) = summary(command) {
        out.push_str(&format!("{summary}.\n\n"));
    }
    out.push_str(&format!("Usage:\n  {command} [flags] [options]\n\n"));
    let mut flags: Vec<&args::Flag> = flags.iter().chain(args::GLOBAL).collect();
    flags.sort_by_key(|(long, _, _)| *long);
    flags.dedup_by_key(|(long, _, _)| *long);
    if !flags.is_empty() {
        out.push_str(&format!("Options that stsplay runs for {name}:\n"));
        for (long, short, takes) in flags {
            let short = short.map_or("    ".to_string(), |c| format!("-{c}, "));
            let value = match takes {
                Takes::Bool => "",
                Takes::Int => "=N",
                Takes::Duration => "=DURATION",
                Takes::Value => "=VALUE",
            };
            out.push_str(&format!("    {short}--{long}{value}\n"));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "Examples and every option: https://kubernetes.io/docs/reference/kubectl/generated/{}/\n",
        reference_path(command)
    ));
    out
}

/// The command's line in kubectl's own help, for a top-level command.
fn summary(command: &str) -> Option<String> {
    let verb = command.strip_prefix("kubectl ")?;
    usage::HELP.lines().find_map(|line| {
        let rest = line.strip_prefix("  ")?.strip_prefix(verb)?;
        rest.starts_with("  ").then(|| rest.trim().to_string())
    })
}

/// kubectl_rollout/kubectl_rollout_status for "kubectl rollout status".
fn reference_path(command: &str) -> String {
    let words: Vec<&str> = command.split(' ').collect();
    (2..=words.len())
        .map(|n| words[..n].join("_"))
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_names_what_the_command_does_and_its_flags() {
        let scale = text("kubectl scale", &[("replicas", None, Takes::Value)]);
        assert!(scale.starts_with(
            "Set a new size for a deployment, replica set, or replication controller.\n\nUsage:\n  kubectl scale [flags] [options]\n"
        ), "{scale}");
        assert!(scale.contains("        --replicas=VALUE\n"), "{scale}");
        assert!(scale.contains("    -n, --namespace=VALUE\n"), "{scale}");
        assert!(scale.contains("generated/kubectl_scale/\n"), "{scale}");
        let nested = text("kubectl rollout status", &[]);
        assert!(
            nested.starts_with("Usage:\n  kubectl rollout status"),
            "{nested}"
        );
        assert!(nested.contains("generated/kubectl_rollout/kubectl_rollout_status/"));
    }

    #[test]
    fn only_flags_before_a_double_dash_ask() {
        let words = |line: &str| line.split(' ').map(String::from).collect::<Vec<_>>();
        assert!(asked(&words("get pods --help")));
        assert!(asked(&words("scale -h")));
        assert!(!asked(&words("exec web-0 -- ls -h")));
    }
}
