//! kubectl: parses a command line and runs it against the simulated
//! apiserver, printing what kubectl 1.34 prints. It only uses the cluster's
//! public API (store reads, create/update/delete, and the clock for
//! blocking commands), as a real client would.
//!
//! This file only dispatches: one module per verb.

pub mod api_resources;
pub mod apply;
pub mod args;
mod attach;
mod attaching;
pub mod blocking;
mod command_help;
pub mod config;
pub mod cordon;
mod cp;
pub mod create;
mod data_sources;
mod debug;
mod debug_profile;
pub mod delete;
pub mod describe;
pub mod diff;
pub mod drain;
mod dry_run;
pub mod duration;
pub mod edit;
pub mod events;
pub mod exec;
pub mod explain;
mod expose;
pub mod field_selector;
pub mod formats;
pub mod get;
mod go_time;
mod gofmt;
pub mod gojson;
pub mod gotab;
pub mod info;
pub mod jsonpatch;
pub mod jsonpath;
pub mod label;
pub mod logs;
pub mod manifest;
pub mod merge;
pub mod mutate;
pub mod output;
pub mod patch;
pub mod pod_for;
pub mod port_forward;
pub mod printers;
pub mod record;
pub mod replace;
pub mod resources;
pub mod rollout;
pub mod run;
pub mod scale;
pub mod selector;
pub mod set;
mod set_env;
mod set_resources;
pub mod sort;
pub mod strategic;
pub mod table;
pub mod taint;
pub mod target;
pub mod template;
pub mod top;
mod unified_diff;
mod unreachable;
pub mod usage;
pub mod wait;
mod waiting;
pub mod watch;
pub mod workload_rows;
pub mod yaml_out;

use std::collections::BTreeMap;

pub use exec::{Attach, Attached};
pub use logs::LogFollow;
pub use output::Output;
pub use usage::levenshtein;
pub use waiting::{Deadline, Waiting};
pub use watch::Watch;

use crate::sim::Cluster;
use args::{ArgError, Spec};

/// Where kubectl runs: the current namespace, the playground's files (for
/// `-f`) and standard input (for `-f -`).
pub struct Context<'a> {
    pub namespace: &'a str,
    /// The kubeconfig `kubectl config` reads.
    pub kubeconfig: &'a config::Kubeconfig,
    pub files: &'a BTreeMap<String, String>,
    pub stdin: Option<&'a str>,
    /// Commands the calling shell may still run on this line; a shell that
    /// `exec` starts in a container draws from it, so nesting cannot escape the bound.
    pub budget: Option<&'a std::cell::Cell<usize>>,
    /// The caller lets the clock move and checks the command's
    /// [`Invocation::waiting`] itself (a terminal whose line is this one
    /// command); otherwise a blocking command runs the clock until it is done.
    pub defer_waits: bool,
}

impl<'a> Context<'a> {
    /// A context with no stdin and no shell around it (tests, scripting).
    pub fn plain(namespace: &'a str, files: &'a BTreeMap<String, String>) -> Context<'a> {
        Context {
            namespace,
            kubeconfig: &config::KIND_CONFIG,
            files,
            stdin: None,
            budget: None,
            defer_waits: false,
        }
    }

    /// Reads a `-f` argument.
    pub fn read(&self, path: &str) -> Result<String, String> {
        if path == "-" {
            return self
                .stdin
                .map(str::to_string)
                .ok_or_else(|| "no objects passed to apply".to_string());
        }
        if path.starts_with("https://") || path.starts_with("http://") {
            // The playground has no network: a tutorial's URL is served from
            // the editor's file of the same name, when there is one.
            let file = path.rsplit('/').next().unwrap_or(path);
            return self.files.get(file).cloned().ok_or_else(|| {
                format!("stsplay cannot download {path}; open the manifest in the editor as {file} and run 'kubectl apply -f {file}'")
            });
        }
        let home = format!("{}/", crate::playground::HOME);
        let name = path
            .strip_prefix("./")
            .or_else(|| path.strip_prefix(home.as_str()))
            .unwrap_or(path);
        self.files
            .get(name)
            .cloned()
            .ok_or_else(|| format!("the path \"{path}\" does not exist"))
    }

    /// The manifests `-f PATH` names, with the names kubectl reports them
    /// under: the file itself, or for the playground's one directory (`.`,
    /// the home directory) every .json, .yaml and .yml file in it in name
    /// order, as kubectl's file visitor walks a directory.
    pub fn read_all(&self, path: &str) -> Result<Vec<(String, String)>, String> {
        let home = crate::playground::HOME;
        let prefix = match path.trim_end_matches('/') {
            "." => String::new(),
            dir if dir == home => format!("{home}/"),
            _ => return Ok(vec![(path.to_string(), self.read(path)?)]),
        };
        Ok(self
            .files
            .iter()
            .filter(|(name, _)| manifest::is_manifest_file(name))
            .map(|(name, text)| (format!("{prefix}{name}"), text.clone()))
            .collect())
    }
}

/// The result of one kubectl invocation: what it printed, and a watch that
/// goes on printing (`get -w`).
pub struct Invocation {
    pub output: Output,
    /// The kubeconfig after a `kubectl config` command that changed it.
    pub kubeconfig: Option<config::Kubeconfig>,
    pub watch: Option<Watch>,
    /// A shell or log stream that stays attached to the terminal (`exec -it`, `logs -f`).
    pub attach: Option<Attach>,
    /// What a blocking command still waits for, when the caller waits for
    /// it ([`Context::defer_waits`]).
    pub waiting: Option<Waiting>,
    /// Local files the command wrote (`kubectl cp` from a pod): the path as
    /// given, and the contents.
    pub wrote: Vec<(String, String)>,
}

impl Invocation {
    /// This invocation with `first` printed before its own output.
    pub(crate) fn after(mut self, mut first: Output) -> Invocation {
        first.merge(std::mem::take(&mut self.output));
        self.output = first;
        self
    }
}

impl From<Output> for Invocation {
    fn from(output: Output) -> Invocation {
        Invocation {
            kubeconfig: None,
            output,
            watch: None,
            attach: None,
            waiting: None,
            wrote: Vec::new(),
        }
    }
}

impl From<(Output, Option<Waiting>)> for Invocation {
    fn from((output, waiting): (Output, Option<Waiting>)) -> Invocation {
        Invocation {
            waiting,
            ..output.into()
        }
    }
}

/// The flags a verb accepts.
fn spec(verb: &str) -> Spec {
    match verb {
        "apply" => apply::APPLY_SPEC,
        "create" => apply::CREATE_SPEC,
        "cluster-info" | "api-versions" => Spec {
            flags: &[],
            not_simulated: &[],
        },
        "get" => get::SPEC,
        "describe" => Spec {
            flags: describe::FLAGS,
            not_simulated: &["recursive", "kustomize"],
        },
        "delete" => delete::SPEC,
        "diff" => diff::SPEC,
        "replace" => replace::SPEC,
        "scale" => scale::SPEC,
        "patch" => patch::SPEC,
        "edit" => edit::SPEC,
        "set" => set::SPEC,
        "label" | "annotate" => label::SPEC,
        "rollout" => rollout::SPEC,
        "wait" => wait::SPEC,
        "events" => events::SPEC,
        "explain" => explain::SPEC,
        "api-resources" => api_resources::SPEC,
        "cordon" | "uncordon" => cordon::SPEC,
        "drain" => drain::SPEC,
        "version" => info::VERSION_SPEC,
        "config" => config::SPEC,
        "top" => top::SPEC,
        "taint" => taint::SPEC,
        "exec" => exec::SPEC,
        "cp" => cp::SPEC,
        "attach" => attach::SPEC,
        "debug" => debug::SPEC,
        "expose" => expose::SPEC,
        "logs" => logs::SPEC,
        "run" => run::SPEC,
        _ => Spec {
            flags: args::FLAGS,
            not_simulated: &[],
        },
    }
}

/// The flags kubectl has for `verb` that the playground refuses by name
/// (besides the global ones in [`args::GLOBAL_NOT_SIMULATED`]).
pub fn flags_not_simulated(verb: &str) -> &'static [&'static str] {
    spec(verb).not_simulated
}

/// The flags `kubectl <verb> <words…>` takes, for completion: its own (a
/// `create` generator's, a service type's, or a `set` subcommand's) and the
/// global ones.
pub fn flags_of(verb: &str, words: &[&str]) -> impl Iterator<Item = &'static args::Flag> {
    let own = match (verb, words) {
        ("set", [sub, ..]) => set::spec(Some(sub)),
        ("create", ["service" | "svc", service_type, ..]) => create::generator_spec(service_type),
        ("create", [sub, ..]) if create::SIMULATED.contains(sub) => create::generator_spec(sub),
        _ => spec(verb),
    };
    own.flags.iter().chain(args::GLOBAL)
}

/// The command cobra found for the line, as its usage hint names it: the
/// verb and its subcommand (by name, not alias) when it has one.
fn command_path(verb: &str, rest: &[String], generator: Option<&str>) -> String {
    if let Some(sub) = generator {
        return format!("kubectl create {}", create::canonical(sub));
    }
    let subcommands = match verb {
        "rollout" => rollout::SUBCOMMANDS,
        "set" => set::SUBCOMMANDS,
        _ => &[],
    };
    match rest.iter().find(|a| !a.starts_with('-')) {
        Some(sub) if subcommands.contains(&sub.as_str()) => format!("kubectl {verb} {sub}"),
        _ => format!("kubectl {verb}"),
    }
}

/// Runs `kubectl <args>`.
pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, args: &[String]) -> Invocation {
    let reordered = args::verb_first(args);
    let args = reordered.as_deref().unwrap_or(args);
    let Some(verb) = args.first().filter(|v| *v != "-h" && *v != "--help") else {
        return Output::ok(usage::HELP.to_string()).into();
    };
    if let Some(topic) = args
        .get(1)
        .filter(|t| verb == "help" && usage::SIMULATED.contains(&t.as_str()))
    {
        let command = command_path(topic, &args[2..], None);
        return Output::ok(command_help::text(&command, spec(topic).flags)).into();
    }
    if verb == "port-forward" || verb == "proxy" {
        // Whatever the flags: explain instead of failing on one.
        return port_forward::run(verb, &args[1..]).into();
    }
    if let Some(refused) = usage::not_simulated(args) {
        return refused.into();
    }
    // cobra finds the command before it reads flags.
    if !usage::VERBS.contains(&verb.as_str()) {
        return Output::fail(usage::unknown_command(verb)).into();
    }
    let generator = args
        .get(1)
        .map(String::as_str)
        .filter(|sub| verb == "create" && create::SIMULATED.contains(sub));
    if generator == Some("secret") && args.get(2).is_none_or(|t| t != "generic") {
        return create::secret_without_type(&args[2..]).into();
    }
    let service_type = args
        .get(2)
        .map(String::as_str)
        .filter(|t| create::SERVICE_TYPES.contains(t));
    if matches!(generator, Some("service" | "svc")) && service_type.is_none() {
        return create::service_without_type(&args[2..]).into();
    }
    let (rest, spec) = match generator {
        // `create secret generic`: the type is a subcommand of its own.
        Some("secret") => (&args[3..], create::generator_spec("secret")),
        // `create service TYPE`: each type is a subcommand with its own flags.
        Some("service" | "svc") => (
            &args[3..],
            create::generator_spec(service_type.unwrap_or_default()),
        ),
        Some(sub) => (&args[2..], create::generator_spec(sub)),
        // `set env` and `set image` take flags of their own.
        None if verb == "set" => {
            let sub = args[1..].iter().find(|a| !a.starts_with('-'));
            (&args[1..], set::spec(sub.map(String::as_str)))
        }
        None => (&args[1..], spec(verb)),
    };
    // A service's generator is named by its type, the word after `service`.
    let generator = match generator {
        Some("service" | "svc") => service_type,
        other => other,
    };
    if command_help::asked(rest) && usage::SIMULATED.contains(&verb.as_str()) {
        let command = command_path(verb, rest, generator);
        return Output::ok(command_help::text(&command, spec.flags)).into();
    }
    let parsed = match args::parse_with(rest, spec) {
        Ok(p) => p,
        Err(ArgError::Usage(err)) => {
            return Output::fail(format!(
                "error: {err}\nSee '{} --help' for usage.",
                command_path(verb, rest, generator)
            ))
            .into()
        }
        Err(ArgError::NotSimulated(err)) => return Output::error(err).into(),
    };
    if let Some(context) = parsed.value("context") {
        if ctx.kubeconfig.removed() || context != ctx.kubeconfig.context() {
            return Output::error(format!(
                "context was not found for specified context: {context}"
            ))
            .into();
        }
    }
    if ctx.kubeconfig.removed() {
        if let Some(refused) = unreachable::refusal(verb, &parsed, cluster.now()) {
            return refused.into();
        }
    }
    let mut invocation = run_verb(cluster, ctx, verb, generator, &parsed);
    if let Some(warning) = record::deprecation(&parsed) {
        let mut first = Output::default();
        first.err(warning);
        invocation = invocation.after(first);
    }
    if let Some(waiting) = invocation.waiting.take() {
        waiting.begin(cluster, ctx.defer_waits, &mut invocation);
    }
    invocation
}

/// Runs the verb once its flags are parsed.
fn run_verb(
    cluster: &mut Cluster,
    ctx: &Context<'_>,
    verb: &str,
    generator: Option<&str>,
    parsed: &args::Parsed,
) -> Invocation {
    match verb {
        "apply" => apply::run(cluster, ctx, parsed, apply::Mode::Apply).into(),
        "create" if generator.is_some() => {
            create::generate(cluster, ctx, generator.unwrap_or_default(), parsed).into()
        }
        "create" => apply::run(cluster, ctx, parsed, apply::Mode::Create).into(),
        "get" => {
            let got = get::run(cluster, ctx, parsed);
            Invocation {
                watch: got.watch,
                ..got.output.into()
            }
        }
        "describe" => describe::run(cluster, ctx, parsed).into(),
        "exec" => exec::run(cluster, ctx, parsed),
        "cp" => cp::run(cluster, ctx, parsed),
        "attach" => attach::run(cluster, ctx, parsed),
        "debug" => debug::run(cluster, ctx, parsed),
        "expose" => expose::run(cluster, ctx, parsed),
        "logs" => logs::run(cluster, ctx, parsed),
        "run" => run::run(cluster, ctx, parsed),
        "delete" => {
            let (out, gone) = delete::run(cluster, ctx, parsed);
            (out, gone.map(Waiting::Gone)).into()
        }
        "scale" => scale::run(cluster, ctx, parsed).into(),
        "patch" => patch::run(cluster, ctx, parsed).into(),
        "edit" => match edit::open(cluster, ctx, parsed) {
            Ok(session) => Invocation {
                attach: Some(Attach::Editor(Box::new(session))),
                ..Output::default().into()
            },
            Err(out) => out.into(),
        },
        "set" => set::run(cluster, ctx, parsed).into(),
        "label" => label::run(cluster, ctx, parsed, label::Field::Labels).into(),
        "annotate" => label::run(cluster, ctx, parsed, label::Field::Annotations).into(),
        "rollout" => rollout::run(cluster, ctx, parsed).into(),
        "wait" => {
            let (out, conditions) = wait::run(cluster, ctx, parsed);
            (out, conditions.map(Waiting::Conditions)).into()
        }
        "diff" => diff::run(cluster, ctx, parsed).into(),
        "replace" => {
            let (out, replacing) = replace::run(cluster, ctx, parsed);
            (out, replacing.map(|r| Waiting::Replace(Box::new(r)))).into()
        }
        "events" => events::run(cluster, ctx, parsed).into(),
        "explain" => explain::run(parsed).into(),
        "api-resources" => api_resources::run(parsed).into(),
        "api-versions" => api_resources::versions().into(),
        "cordon" => cordon::run(cluster, parsed, true).into(),
        "uncordon" => cordon::run(cluster, parsed, false).into(),
        "drain" => {
            let (out, drain) = drain::run(cluster, parsed);
            (out, drain.map(Waiting::Drain)).into()
        }
        "version" => info::version(parsed).into(),
        "cluster-info" => info::cluster_info().into(),
        "config" => {
            let (output, kubeconfig) = config::run(ctx, parsed);
            Invocation {
                kubeconfig,
                ..output.into()
            }
        }
        "top" => top::run(&parsed.positionals).into(),
        "taint" => taint::run(cluster, parsed).into(),
        "help" => Output::ok(usage::HELP.to_string()).into(),
        unknown => Output::fail(usage::unknown_command(unknown)).into(),
    }
}

/// Objects as `-o yaml` or `-o json` print them.
pub fn encode(value: &serde_json::Value, yaml: bool) -> String {
    if yaml {
        yaml_out::to_yaml(value)
    } else {
        format!("{}\n", gofmt::json_indent(value))
    }
}
