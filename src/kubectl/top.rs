//! `kubectl top`: kind installs no metrics-server, so its Metrics API is not
//! there and kubectl says so after reading its flags.

use super::args::{Spec, Takes};
use super::output::Output;

pub const SPEC: Spec = Spec {
    flags: &[
        ("all-namespaces", Some('A'), Takes::Bool),
        ("containers", None, Takes::Bool),
        ("field-selector", None, Takes::Value),
        ("no-headers", None, Takes::Bool),
        ("selector", Some('l'), Takes::Value),
        ("sort-by", None, Takes::Value),
        ("sum", None, Takes::Bool),
        ("use-protocol-buffers", None, Takes::Bool),
        ("show-capacity", None, Takes::Bool),
        ("show-swap", None, Takes::Bool),
    ],
    not_simulated: &[],
};

pub fn run(positionals: &[String]) -> Output {
    match positionals.first().map(String::as_str) {
        None => Output::fail(HELP.trim_end()),
        Some("pod" | "pods" | "po" | "node" | "nodes" | "no") => {
            Output::error("Metrics API not available")
        }
        Some(other) => Output::fail(format!(
            "error: unknown command \"{other}\"\nSee 'kubectl top -h' for help and examples"
        )),
    }
}

const HELP: &str = "Display resource (CPU/memory) usage.

 The top command allows you to see the resource consumption for nodes or pods.

 This command requires Metrics Server to be correctly configured and working on the server.

Available Commands:
  node          Display resource (CPU/memory) usage of nodes
  pod           Display resource (CPU/memory) usage of pods

Usage:
  kubectl top [flags] [options]

Use \"kubectl <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";
