//! `kind`, the terminal's cluster tool: `kind delete cluster` and
//! `kind create cluster --config kind.yaml` replace the playground's cluster
//! with one of another shape (the ZooKeeper tutorial asks for four nodes),
//! printing what kind v0.30 prints. `kind get clusters|nodes` and
//! `kind version` answer as kind does. kind logs to stderr; only the lists
//! of `kind get` go to stdout.
//!
//! The playground runs one cluster at a time, `kind` unless `--name`,
//! `KIND_CLUSTER_NAME` or the config names it otherwise (its nodes and
//! kubectl's context are named after it). A new one goes through kind's
//! minute of bootstrap from the moment it is created, so the clock goes on;
//! its seed is the playground's, so it gets the same uids and addresses a
//! fresh playground of that shape would.

use super::host::TerminalHost;
use super::kind_config::{self, KindConfig};
use crate::kubectl::config::{Kubeconfig, EMPTIED_CONFIG};
use crate::kubectl::usage::levenshtein;
use crate::shell::{Io, Shell, Sink};
use crate::sim::bootstrap::{Shape, DEFAULT_CLUSTER, KUBERNETES_VERSION};
use crate::sim::Cluster;

pub const VERSION: &str = "kind v0.30.0 go1.24.6 linux/amd64";

const HELP: &str =
    "kind creates and manages local Kubernetes clusters using Docker container 'nodes'

Usage:
  kind [command]

Available Commands:
  build       Build one of [node-image]
  completion  Output shell completion code for the specified shell (bash, zsh or fish)
  create      Creates one of [cluster]
  delete      Deletes one of [cluster]
  export      Exports one of [kubeconfig, logs]
  get         Gets one of [clusters, nodes, kubeconfig]
  help        Help about any command
  load        Loads images into nodes
  version     Prints the kind CLI version

Flags:
  -h, --help              help for kind
  -q, --quiet             silence all stderr output
  -v, --verbosity int32   info log verbosity, higher value produces more output
      --version           version for kind

Use \"kind [command] --help\" for more information about a command.
";

const CREATE_CLUSTER_HELP: &str =
    "Creates a local Kubernetes cluster using Docker container 'nodes'

Usage:
  kind create cluster [flags]

Flags:
      --config string       path to a kind config file
  -h, --help                help for cluster
      --image string        node docker image to use for booting the cluster
      --kubeconfig string   sets kubeconfig path instead of $KUBECONFIG or $HOME/.kube/config
  -n, --name string         cluster name, overrides KIND_CLUSTER_NAME, config (default kind)
      --retain              retain nodes for debugging when cluster creation fails
      --wait duration       wait for control plane node to be ready (default 0s)

Global Flags:
  -q, --quiet             silence all stderr output
  -v, --verbosity int32   info log verbosity, higher value produces more output
";

const COMMANDS: [&str; 9] = [
    "build",
    "completion",
    "create",
    "delete",
    "export",
    "get",
    "help",
    "load",
    "version",
];

/// kind's parting words; it picks one at random, the playground by its seed.
const SALUTATIONS: [&str; 4] = [
    "Have a nice day! 👋",
    "Thanks for using kind! 😊",
    "Not sure what to do next? 😅  Check out https://kind.sigs.k8s.io/docs/user/quick-start/",
    "Have a question, bug, or feature request? Let us know! https://kind.sigs.k8s.io/#community 🙂",
];

/// A kind command's flags: `--name`/`-n`, `--config`, `--image`, `--wait`,
/// and the ones that take no part here but are accepted as kind accepts
/// them (`--retain`, `--kubeconfig`, `-v`).
#[derive(Default)]
struct Flags {
    name: Option<String>,
    config: Option<String>,
    image: Option<String>,
    wait: Option<String>,
    quiet: bool,
    all: bool,
    words: Vec<String>,
}

/// The flags each subcommand knows, and whether they take a value.
fn known_flags(command: &str) -> &'static [(&'static str, Option<char>, bool)] {
    match command {
        "create cluster" => &[
            ("name", Some('n'), true),
            ("config", None, true),
            ("image", None, true),
            ("retain", None, false),
            ("wait", None, true),
            ("kubeconfig", None, true),
        ],
        "delete cluster" => &[("name", Some('n'), true), ("kubeconfig", None, true)],
        "delete clusters" => &[("all", Some('A'), false), ("kubeconfig", None, true)],
        "get nodes" => &[
            ("name", Some('n'), true),
            ("all-clusters", Some('A'), false),
        ],
        _ => &[],
    }
}

fn parse_flags(command: &str, args: &[String]) -> Result<Flags, String> {
    let known = known_flags(command);
    let mut flags = Flags::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let Some(stripped) = arg.strip_prefix('-').filter(|s| !s.is_empty()) else {
            flags.words.push(arg.clone());
            continue;
        };
        let (name, inline) = match stripped.strip_prefix('-') {
            Some(long) => match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            },
            None => {
                let mut chars = stripped.chars();
                let short = chars.next().unwrap_or('-');
                let rest: String = chars.collect();
                let inline = (!rest.is_empty()).then(|| rest.trim_start_matches('=').to_string());
                let global = [('q', "quiet"), ('v', "verbosity"), ('h', "help")];
                let long = known
                    .iter()
                    .find(|(_, s, _)| *s == Some(short))
                    .map(|(l, _, _)| *l)
                    .or_else(|| global.iter().find(|(s, _)| *s == short).map(|(_, l)| *l));
                match long {
                    Some(long) => (long.to_string(), inline),
                    None => {
                        return Err(format!("unknown shorthand flag: '{short}' in -{stripped}"))
                    }
                }
            }
        };
        let takes_value = match name.as_str() {
            "quiet" | "help" => false,
            "verbosity" => true,
            _ => match known.iter().find(|(l, _, _)| *l == name) {
                Some((_, _, takes)) => *takes,
                None => return Err(format!("unknown flag: --{name}")),
            },
        };
        let value = if takes_value {
            match inline.or_else(|| iter.next().cloned()) {
                Some(value) => value,
                None => return Err(format!("flag needs an argument: --{name}")),
            }
        } else {
            String::new()
        };
        match name.as_str() {
            "name" => flags.name = Some(value),
            "config" => flags.config = Some(value),
            "image" => flags.image = Some(value),
            "wait" => flags.wait = Some(value),
            "quiet" => flags.quiet = true,
            "all" | "all-clusters" => flags.all = true,
            _ => {}
        }
    }
    Ok(flags)
}

/// cobra's error for a command it does not have, with its suggestions.
fn unknown_command(word: &str, parent: &str, commands: &[&str]) -> String {
    let mut text = format!("ERROR: unknown command \"{word}\" for \"{parent}\"");
    let suggestions: Vec<&&str> = commands
        .iter()
        .filter(|c| levenshtein(word, c) <= 2 || c.starts_with(word))
        .collect();
    if !suggestions.is_empty() {
        text.push_str("\n\nDid you mean this?");
        for suggestion in suggestions {
            text.push_str(&format!("\n\t{suggestion}"));
        }
        text.push('\n');
    }
    text
}

/// Go's time.ParseDuration for the forms people type (`60s`, `5m`,
/// `1m30s`, `500ms`), in seconds, rounded as kind rounds it for display.
fn parse_wait(text: &str) -> Option<u64> {
    let mut rest = text;
    let mut millis: u64 = 0;
    if rest == "0" {
        return Some(0);
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        let number: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let (unit, len) = [("ms", 2), ("h", 1), ("m", 1), ("s", 1)]
            .iter()
            .find(|(u, _)| rest.starts_with(u))
            .map(|(u, l)| (*u, *l))?;
        let scale = match unit {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            _ => 3_600_000,
        };
        millis = millis.checked_add(number.checked_mul(scale)?)?;
        rest = &rest[len..];
    }
    Some((millis + 500) / 1000)
}

/// Go's Duration.String for whole seconds: `30s`, `1m0s`, `1h2m3s`.
fn go_duration(seconds: u64) -> String {
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (hours, minutes) {
        (0, 0) => format!("{seconds}s"),
        (0, _) => format!("{minutes}m{seconds}s"),
        _ => format!("{hours}h{minutes}m{seconds}s"),
    }
}

impl TerminalHost<'_> {
    /// `kind …`.
    pub(super) fn kind(&mut self, shell: &mut Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        // The words that name the command: not flags, nor the value of the
        // one global flag that takes a separate value (`-v 1`).
        let words: Vec<&str> = args
            .iter()
            .enumerate()
            .filter(|(i, a)| {
                let after_verbosity = i
                    .checked_sub(1)
                    .is_some_and(|p| matches!(args[p].as_str(), "-v" | "--verbosity"));
                !a.starts_with('-') && !after_verbosity
            })
            .map(|(_, a)| a.as_str())
            .collect();
        if args.iter().any(|a| a == "--version") {
            let version = VERSION.split(' ').nth(1).unwrap_or_default();
            io.sink.out(format!("kind version {version}\n"));
            return 0;
        }
        let asks_help = args.iter().any(|a| a == "-h" || a == "--help");
        let (command, rest) = match words.as_slice() {
            [] | ["help", ..] => {
                io.sink.out(HELP);
                return 0;
            }
            ["create", "cluster", ..] if asks_help => {
                io.sink.out(CREATE_CLUSTER_HELP);
                return 0;
            }
            _ if asks_help => {
                io.sink.out(HELP);
                return 0;
            }
            ["version", ..] => {
                io.sink.out(format!("{VERSION}\n"));
                return 0;
            }
            [verb @ ("create" | "delete" | "get"), object, ..] => {
                let command = format!("{verb} {object}");
                let verb_at = args.iter().position(|a| a == verb).unwrap_or(0);
                let position = args[verb_at..]
                    .iter()
                    .position(|a| a == object)
                    .map_or(verb_at, |p| verb_at + p);
                (command, &args[position + 1..])
            }
            ["create" | "delete" | "get"] => {
                io.sink.err_line("ERROR: Subcommand is required");
                return 1;
            }
            [verb @ ("build" | "completion" | "export" | "load"), ..] => {
                io.sink.err_line(format!("stsplay: `kind {verb}` is not simulated: the playground's nodes hold the images its catalogue knows (see `help`), and it has no Docker to build or load into"));
                return 1;
            }
            [other, ..] => {
                io.sink.err(unknown_command(other, "kind", &COMMANDS));
                return 1;
            }
        };
        let flags = match parse_flags(&command, rest) {
            Ok(flags) => flags,
            Err(err) => {
                io.sink.err_line(format!("ERROR: {err}"));
                return 1;
            }
        };
        // cli.OverrideDefaultName: the environment's name stands in for
        // an absent --name.
        let name = flags.name.clone().or_else(|| {
            shell
                .environment()
                .into_iter()
                .find_map(|(var, value)| (var == "KIND_CLUSTER_NAME").then_some(value))
                .filter(|value| !value.is_empty())
        });
        match command.as_str() {
            "create cluster" => self.create_cluster(shell, name, flags, io),
            "delete cluster" => self.delete_cluster(name.as_deref(), &flags, io.sink),
            "delete clusters" => self.delete_clusters(&flags, io.sink),
            "get clusters" => {
                match self.running() {
                    Some(running) => io.sink.out(format!("{running}\n")),
                    None => io.sink.err_line("No kind clusters found."),
                }
                0
            }
            "get nodes" => {
                let name = name.as_deref().unwrap_or(DEFAULT_CLUSTER);
                match self.node_names(name, flags.all) {
                    Some(nodes) => io.sink.out(nodes.join("\n") + "\n"),
                    None if flags.all => io.sink.err_line("No kind nodes for any cluster."),
                    None => io
                        .sink
                        .err_line(format!("No kind nodes found for cluster \"{name}\".")),
                }
                0
            }
            "get kubeconfig" => {
                io.sink.err_line("stsplay: `kind get kubeconfig` is not simulated: the playground's kubectl already uses kind's kubeconfig (`kubectl config view` shows it)");
                1
            }
            other => {
                let (verb, object) = other.split_once(' ').unwrap_or((other, ""));
                let objects: &[&str] = match verb {
                    "create" => &["cluster"],
                    "delete" => &["cluster", "clusters"],
                    _ => &["clusters", "kubeconfig", "nodes"],
                };
                io.sink
                    .err(unknown_command(object, &format!("kind {verb}"), objects));
                1
            }
        }
    }

    /// The name of the cluster the playground runs, if it runs one.
    fn running(&self) -> Option<&str> {
        (!self.pg.cluster_deleted).then_some(self.pg.cluster.shape().name.as_str())
    }

    /// The nodes of cluster `name` (of every cluster with `all`), in the
    /// order they joined; None when there is no such cluster.
    fn node_names(&self, name: &str, all: bool) -> Option<Vec<String>> {
        let running = self.running()?;
        (all || name == running).then(|| self.pg.cluster.shape().node_names())
    }

    fn create_cluster(
        &mut self,
        shell: &mut Shell,
        name: Option<String>,
        flags: Flags,
        io: &mut Io<'_>,
    ) -> i32 {
        let failed = |sink: &mut Sink, err: &str| {
            sink.err_line(format!("ERROR: failed to create cluster: {err}"));
            1
        };
        if let Some(extra) = flags.words.first() {
            io.sink.err_line(format!(
                "ERROR: unknown command \"{extra}\" for \"kind create cluster\""
            ));
            return 1;
        }
        let wait = match flags.wait.as_deref().map(|w| (w, parse_wait(w))) {
            None => None,
            Some((_, Some(seconds))) => Some(seconds),
            Some((typed, None)) => {
                io.sink.err_line(format!(
                    "ERROR: invalid argument \"{typed}\" for \"--wait\" flag: time: invalid duration \"{typed}\""
                ));
                return 1;
            }
        };
        let config = match flags.config.as_deref() {
            None => KindConfig::default(),
            Some(path) => {
                let text = if path == "-" {
                    io.stdin.take().unwrap_or_default()
                } else {
                    match self.read_file_text(shell, path) {
                        Ok(text) => text,
                        Err(_) => {
                            let err = format!(
                                "error reading file: open {path}: no such file or directory"
                            );
                            return failed(io.sink, &err);
                        }
                    }
                };
                match kind_config::parse(&text) {
                    Ok(config) => config,
                    Err(err) => return failed(io.sink, &err),
                }
            }
        };
        let name = name
            .or_else(|| config.name.clone())
            .unwrap_or_else(|| DEFAULT_CLUSTER.to_string());
        if self.running() == Some(name.as_str()) {
            let err = format!("node(s) already exist for a cluster with the name \"{name}\"");
            return failed(io.sink, &err);
        }
        if let Err(err) = config.validate(&name) {
            return failed(io.sink, &err);
        }
        if let Some(running) = self.running() {
            let delete = if running == DEFAULT_CLUSTER {
                "kind delete cluster".to_string()
            } else {
                format!("kind delete cluster --name {running}")
            };
            io.sink.err_line(format!("stsplay: the playground runs one cluster at a time, and \"{running}\" is running: `{delete}` first, then create \"{name}\""));
            return 1;
        }
        if let Some(image) = flags.image.as_deref() {
            if !kind_config::is_simulated_node_image(image) {
                io.sink
                    .err_line(format!("stsplay: {}", kind_config::other_node_image(image)));
                return 1;
            }
        }
        let shape = match config.shape(&name) {
            Ok(shape) => shape,
            Err(err) => {
                io.sink.err_line(format!("stsplay: {err}"));
                return 1;
            }
        };
        let failed_node = config.refused_labels();
        let log = creation_log(&name, &shape, wait, self.pg.seed, failed_node.as_ref());
        if !flags.quiet {
            io.sink.err(log);
        }
        if let Some((place, why)) = failed_node {
            // kind deletes what it made, then reports the kubeadm command
            // that failed; the kubelet's reason is in that command's output.
            let node = &shape.node_names()[place];
            if !flags.quiet {
                io.sink
                    .err_line(format!("Deleted nodes: {}", deleted_nodes(&shape)));
            }
            let (verb, command) = if place == 0 {
                ("init", format!("docker exec --privileged {node} kubeadm init --config=/kind/kubeadm.conf --skip-token-print --v=6"))
            } else {
                ("join", format!("docker exec --privileged {node} kubeadm join --config /kind/kubeadm.conf --skip-phases=preflight --v=6"))
            };
            io.sink.err_line(format!("ERROR: failed to create cluster: failed to {verb} node with kubeadm: command \"{command}\" failed with error: exit status 1"));
            io.sink.err_line(format!(
                "stsplay: the kubelet on {node} did not start: {why}"
            ));
            return 1;
        }
        for setting in &config.ignored {
            io.sink.err_line(format!(
                "stsplay: the config's {setting} is accepted and not simulated"
            ));
        }
        self.pg.replace_cluster(Some(shape));
        0
    }

    fn read_file_text(&mut self, shell: &Shell, path: &str) -> Result<String, String> {
        crate::shell::Host::read_file(self, shell, path)
    }

    fn delete_cluster(&mut self, name: Option<&str>, flags: &Flags, sink: &mut Sink) -> i32 {
        let name = name.unwrap_or(DEFAULT_CLUSTER);
        if !flags.quiet {
            sink.err_line(format!("Deleting cluster \"{name}\" ..."));
        }
        if self.running() != Some(name) {
            // Idempotent, "like rm -f".
            return 0;
        }
        self.remove_cluster(flags.quiet, sink);
        0
    }

    /// delete.Cluster: the nodes go, and what kind logs of them.
    fn remove_cluster(&mut self, quiet: bool, sink: &mut Sink) {
        let nodes = deleted_nodes(self.pg.cluster.shape());
        self.pg.replace_cluster(None);
        if !quiet {
            sink.err_line(format!("Deleted nodes: {nodes}"));
        }
    }

    fn delete_clusters(&mut self, flags: &Flags, sink: &mut Sink) -> i32 {
        if !flags.all && flags.words.is_empty() {
            sink.err_line("ERROR: no cluster names provided");
            return 1;
        }
        let deleting = self
            .running()
            .map(str::to_string)
            .filter(|running| flags.all || flags.words.contains(running));
        if deleting.is_some() {
            self.remove_cluster(flags.quiet, sink);
        }
        // Deleting a cluster that is not there succeeds; --all deletes
        // the ones there are.
        let deleted: Vec<String> = if flags.all {
            deleting.into_iter().collect()
        } else {
            flags.words.clone()
        };
        if !flags.quiet {
            sink.err_line(format!("Deleted clusters: {}", go_quoted(&deleted)));
        }
        0
    }
}

/// The node names as the container runtime lists them (newest first),
/// as kind logs them.
fn deleted_nodes(shape: &Shape) -> String {
    let mut names = shape.node_names();
    names.reverse();
    go_quoted(&names)
}

/// Go's `%q` of a list of strings: `["a" "b"]`.
fn go_quoted(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("{i:?}")).collect();
    format!("[{}]", quoted.join(" "))
}

/// What `kind create cluster` logs for a cluster of `shape`, with
/// `--wait` if given, up to its salutation; or up to the step that fails
/// when the kubelet of the node at `failed`'s place does not start.
fn creation_log(
    name: &str,
    shape: &Shape,
    wait: Option<u64>,
    seed: u64,
    failed: Option<&(usize, String)>,
) -> String {
    let nodes = 1 + shape.workers;
    let mut steps = vec![
        format!("Ensuring node image (kindest/node:{KUBERNETES_VERSION}) 🖼"),
        format!("Preparing nodes {}", "📦 ".repeat(nodes)),
        "Writing configuration 📜".to_string(),
        "Starting control-plane 🕹️".to_string(),
        "Installing CNI 🔌".to_string(),
        "Installing StorageClass 💾".to_string(),
    ];
    if shape.workers > 0 {
        steps.push("Joining worker nodes 🚜".to_string());
    }
    let mut log = format!("Creating cluster \"{name}\" ...\n");
    if let Some((place, _)) = failed {
        let failing = if *place == 0 { 3 } else { steps.len() - 1 };
        for (index, step) in steps.iter().enumerate().take(failing + 1) {
            let mark = if index == failing { '✗' } else { '✓' };
            log.push_str(&format!(" {mark} {step}\n"));
        }
        return log;
    }
    for step in steps {
        log.push_str(&format!(" ✓ {step}\n"));
    }
    if let Some(seconds) = wait.filter(|s| *s > 0) {
        // The control plane has been Ready since before the workers joined.
        log.push_str(&format!(
            " ✓ Waiting ≤ {} for control-plane = Ready ⏳\n • Ready after 0s 💚\n",
            go_duration(seconds)
        ));
    }
    let context = format!("kind-{name}");
    log.push_str(&format!(
        "Set kubectl context to \"{context}\"\nYou can now use your cluster with:\n\nkubectl cluster-info --context {context}\n\n"
    ));
    let salutation = SALUTATIONS[(seed % SALUTATIONS.len() as u64) as usize];
    log.push_str(salutation);
    log.push('\n');
    log
}

impl super::Playground {
    /// `kind delete cluster` (None) or `kind create cluster` (the new
    /// cluster's shape): what ran in the terminals against the old
    /// cluster ends, and kubectl's kubeconfig follows.
    pub(super) fn replace_cluster(&mut self, shape: Option<Shape>) {
        for terminal in &mut self.terminals {
            let running = [
                terminal.watch.take().map(|(command, _)| command),
                terminal.follow.take().map(|(command, _)| command),
                terminal.blocked.take().map(|b| b.command),
                terminal.session.take().map(|_| "kubectl exec".to_string()),
            ];
            if let Some(command) = running.into_iter().flatten().next() {
                let word = command.split(' ').take(2).collect::<Vec<_>>().join(" ");
                terminal.push(
                    super::LineKind::Err,
                    &format!("stsplay: {word} stopped: kind deleted the cluster it talked to\n"),
                );
                terminal.shell.status = 1;
            }
        }
        match shape {
            Some(shape) => {
                self.kubeconfig = Kubeconfig::of_cluster(&shape.name);
                self.cluster = Cluster::with_shape_from(self.seed, shape, self.cluster.now());
                self.cluster_deleted = false;
            }
            None => {
                self.cluster = Cluster::deleted(self.seed, self.cluster.now());
                self.kubeconfig = EMPTIED_CONFIG.clone();
                self.cluster_deleted = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_wait("60s").map(go_duration).as_deref(), Some("1m0s"));
        assert_eq!(parse_wait("5m").map(go_duration).as_deref(), Some("5m0s"));
        assert_eq!(
            parse_wait("1h2m3s").map(go_duration).as_deref(),
            Some("1h2m3s")
        );
        assert_eq!(parse_wait("1500ms").map(go_duration).as_deref(), Some("2s"));
        assert_eq!(parse_wait("30"), None);
        assert_eq!(parse_wait("soon"), None);
    }

    #[test]
    fn a_watch_stops_with_its_cluster_and_the_new_one_has_its_shape() {
        let mut playground = super::super::Playground::tutorial(1);
        assert_eq!(playground.run(1, "kind delete cluster"), 0);
        let watching = &playground.terminals[0];
        assert!(watching.watch.is_none());
        assert_eq!(
            watching.lines.last().map(|l| l.text.as_str()),
            Some("stsplay: kubectl get stopped: kind deleted the cluster it talked to")
        );
        assert_eq!(playground.run(1, "kubectl get pods"), 1);
        playground.files.insert(
            "k.yaml".into(),
            "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes: [{}, {role: worker}]\n"
                .into(),
        );
        assert_eq!(playground.run(1, "kind create cluster --config k.yaml"), 0);
        assert_eq!(playground.cluster.shape().workers, 1);
        assert_eq!(playground.run(1, "kubectl get pods"), 0);
    }

    #[test]
    fn a_verbosity_before_the_verb_is_not_a_command() {
        let mut playground = super::super::Playground::new(1, 1, super::super::Mode::Script);
        assert_eq!(playground.run(0, "kind -v 1 get clusters"), 0);
        assert_eq!(playground.run(0, "kind --verbosity 3 delete cluster"), 0);
        assert!(playground.cluster_deleted);
    }

    #[test]
    fn nodes_listed_newest_first() {
        let shape = Shape {
            workers: 3,
            ..Shape::default()
        };
        assert_eq!(
            deleted_nodes(&shape),
            r#"["kind-worker3" "kind-worker2" "kind-worker" "kind-control-plane"]"#
        );
    }
}
