//! `kubectl config`: the kubeconfig kind writes, with one cluster, user and
//! context, all named after kind's cluster (`kind-kind`). Setting the
//! context's namespace (`kubectl config set-context --current
//! --namespace=shop`) is how tutorials switch namespaces, so that is what
//! can change; the playground keeps the result (and its prompt shows it).
//! `kind delete cluster` removes kind's entries, and `kind create cluster`
//! writes them again.

use std::borrow::Cow;

use serde_json::{json, Value};

use super::args::{Parsed, Spec, Takes};
use super::formats::{self, Format, Printer};
use super::output::Output;
use super::Context;
use crate::sim::bootstrap::DEFAULT_CLUSTER;

/// What of the kubeconfig can change: the context's namespace (None until
/// one is set, as in the file kind writes), and which kind cluster's
/// entries it holds, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kubeconfig {
    pub namespace: Option<String>,
    /// The kind cluster whose cluster, user and context (`kind-NAME`) are
    /// there. None once `kind delete cluster` removed them and the current
    /// context: kubectl falls back to http://localhost:8080, where no
    /// server listens.
    pub cluster: Option<Cow<'static, str>>,
}

/// The kubeconfig as kind writes it for its default cluster.
pub static KIND_CONFIG: Kubeconfig = Kubeconfig {
    namespace: None,
    cluster: Some(Cow::Borrowed(DEFAULT_CLUSTER)),
};

/// The kubeconfig once `kind delete cluster` took kind's entries out.
pub static EMPTIED_CONFIG: Kubeconfig = Kubeconfig {
    namespace: None,
    cluster: None,
};

impl Default for Kubeconfig {
    fn default() -> Kubeconfig {
        KIND_CONFIG.clone()
    }
}

impl Kubeconfig {
    /// The file `kind create cluster --name NAME` writes.
    pub fn of_cluster(name: &str) -> Kubeconfig {
        Kubeconfig {
            namespace: None,
            cluster: Some(Cow::Owned(name.to_string())),
        }
    }

    /// Whether kind's entries were taken out.
    pub fn removed(&self) -> bool {
        self.cluster.is_none()
    }

    /// The name of kind's cluster, user and context: `kind-` and the
    /// cluster's name. Empty once removed.
    pub fn context(&self) -> String {
        self.cluster
            .as_deref()
            .map_or_else(String::new, |name| format!("kind-{name}"))
    }

    /// The namespace commands use when they are given none.
    pub fn namespace(&self) -> &str {
        self.namespace
            .as_deref()
            .filter(|n| !n.is_empty())
            .unwrap_or("default")
    }

    /// The file as `kubectl config view` shows it, credentials omitted.
    fn view(&self) -> Value {
        if self.removed() {
            return json!({
                "apiVersion": "v1",
                "clusters": null,
                "contexts": null,
                "current-context": "",
                "kind": "Config",
                "preferences": {},
                "users": null,
            });
        }
        let kind = self.context();
        let mut context = json!({"cluster": kind, "user": kind});
        if let Some(namespace) = &self.namespace {
            context["namespace"] = json!(namespace);
        }
        json!({
            "apiVersion": "v1",
            "clusters": [{
                "cluster": {
                    "certificate-authority-data": "DATA+OMITTED",
                    "server": "https://127.0.0.1:6443",
                },
                "name": kind,
            }],
            "contexts": [{"context": context, "name": kind}],
            "current-context": kind,
            "kind": "Config",
            "preferences": {},
            "users": [{
                "name": kind,
                "user": {
                    "client-certificate-data": "DATA+OMITTED",
                    "client-key-data": "DATA+OMITTED",
                },
            }],
        })
    }
}

pub const SPEC: Spec = Spec {
    flags: &[
        ("current", None, Takes::Bool),
        ("minify", None, Takes::Bool),
        ("flatten", None, Takes::Bool),
        ("no-headers", None, Takes::Bool),
        ("output", Some('o'), Takes::Value),
        ("template", None, Takes::Value),
        ("cluster", None, Takes::Value),
        ("user", None, Takes::Value),
    ],
    not_simulated: &["raw", "merge", "set-raw-bytes"],
};

/// The command's output, and the kubeconfig after it when it changed.
pub fn run(ctx: &Context<'_>, parsed: &Parsed) -> (Output, Option<Kubeconfig>) {
    let config = ctx.kubeconfig;
    let args: Vec<&str> = parsed.positionals.iter().map(String::as_str).collect();
    let unchanged = |output: Output| (output, None);
    if config.removed() {
        return unchanged(run_emptied(ctx, config, &args, parsed));
    }
    let kind = config.context();
    match args.as_slice() {
        // DefaultSubCommandRun: the help, on stderr, and exit status 1.
        [] => unchanged(Output::fail(HELP.trim_end().to_string())),
        ["current-context"] => unchanged(Output::ok(format!("{kind}\n"))),
        ["get-clusters"] | ["get-users"] => unchanged(Output::ok(format!("NAME\n{kind}\n"))),
        ["get-contexts", names @ ..] => unchanged(get_contexts(config, names, parsed)),
        ["view"] => unchanged(view(ctx, config, parsed)),
        ["use-context", name] if *name == kind => {
            unchanged(Output::ok(format!("Switched to context \"{kind}\".\n")))
        }
        ["use-context", name] => unchanged(Output::error(format!(
            "no context exists with the name: \"{name}\""
        ))),
        ["set-context", rest @ ..] => set_context(config, rest, parsed),
        ["set", property, value] => set_property(config, property, Some(value)),
        ["unset", property] => set_property(config, property, None),
        unknown => unchanged(Output::fail(format!(
            "error: unknown command \"{}\"\nSee 'kubectl config -h' for help and examples",
            unknown.join(" ")
        ))),
    }
}

/// The subcommands on a kubeconfig with nothing in it: reading finds
/// nothing; changing it would make entries kind did not write, which the
/// playground leaves to `kind create cluster`.
fn run_emptied(ctx: &Context<'_>, config: &Kubeconfig, args: &[&str], parsed: &Parsed) -> Output {
    match args {
        [] => Output::fail(HELP.trim_end().to_string()),
        ["current-context"] => Output::error("current-context is not set"),
        ["get-clusters"] | ["get-users"] => Output::ok("NAME\n".to_string()),
        ["get-contexts"] if parsed.value("output") == Some("name") => Output::ok(String::new()),
        ["get-contexts"] => {
            let header = "CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n";
            Output::ok(super::gotab::format(header, 6, 3))
        }
        ["get-contexts", name, ..] => Output::error(format!("context {name} not found")),
        ["view"] => view(ctx, config, parsed),
        ["use-context", name] => Output::error(format!(
            "no context exists with the name: \"{name}\""
        )),
        ["set-context", ..] if parsed.bool("current") => Output::error("no current context is set"),
        _ => Output::error(
            "stsplay: `kind delete cluster` emptied the kubeconfig; `kind create cluster` writes kind's cluster, user and context again",
        ),
    }
}

/// `CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE`, kubectl's tab writer
/// (minimum width 6, padding 3).
fn get_contexts(config: &Kubeconfig, names: &[&str], parsed: &Parsed) -> Output {
    let kind = config.context();
    if let Some(missing) = names.iter().find(|n| **n != kind) {
        return Output::error(format!("context {missing} not found"));
    }
    if parsed.value("output") == Some("name") {
        return Output::ok(format!("{kind}\n"));
    }
    let mut table = String::new();
    if !parsed.bool("no-headers") {
        table.push_str("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
    }
    let namespace = config.namespace.as_deref().unwrap_or("");
    table.push_str(&format!("*\t{kind}\t{kind}\t{kind}\t{namespace}\n"));
    Output::ok(super::gotab::format(&table, 6, 3))
}

fn view(ctx: &Context<'_>, config: &Kubeconfig, parsed: &Parsed) -> Output {
    let format = match formats::parse(parsed, ctx) {
        Ok(Format::Table { .. }) => Format::Yaml,
        Ok(format) => format,
        Err(err) => return Output::error(err),
    };
    match Printer::new(format, false).print(&config.view(), None) {
        Ok(text) => Output::ok(text),
        Err(err) => Output::error(err),
    }
}

/// `set-context [NAME | --current] --namespace=…`: kind's context is the
/// only one, and its cluster and user stay kind's.
fn set_context(
    config: &Kubeconfig,
    names: &[&str],
    parsed: &Parsed,
) -> (Output, Option<Kubeconfig>) {
    let current = parsed.bool("current");
    let kind = config.context();
    let name = match (names, current) {
        ([], true) => kind.as_str(),
        ([name], false) => name,
        ([_], true) => {
            return (
                Output::error("you cannot specify both a context name and --current"),
                None,
            )
        }
        _ => {
            return (
                Output::fail("error: Unexpected args: []\nSee 'kubectl config set-context -h' for help and examples"),
                None,
            )
        }
    };
    if name != kind {
        return (
            Output::error(format!(
                "stsplay does not simulate contexts besides kind's: the playground's kubeconfig has one context, {kind}"
            )),
            None,
        );
    }
    for flag in ["cluster", "user"] {
        if let Some(other) = parsed.value(flag).filter(|v| *v != kind) {
            return (
                Output::error(format!(
                    "stsplay does not simulate a {flag} besides kind's: --{flag}={other} would leave the playground's cluster"
                )),
                None,
            );
        }
    }
    let mut changed = config.clone();
    if let Some(namespace) = parsed.value("namespace") {
        changed.namespace = Some(namespace.to_string());
    }
    (
        Output::ok(format!("Context \"{kind}\" modified.\n")),
        Some(changed),
    )
}

/// `set`/`unset` of the one property that can change,
/// `contexts.kind-kind.namespace`.
fn set_property(
    config: &Kubeconfig,
    property: &str,
    value: Option<&str>,
) -> (Output, Option<Kubeconfig>) {
    let kind = config.context();
    if property != format!("contexts.{kind}.namespace") {
        return (
            Output::error(format!(
                "stsplay does not simulate changing {property}: of the kubeconfig only contexts.{kind}.namespace can change"
            )),
            None,
        );
    }
    let mut changed = config.clone();
    changed.namespace = value.map(str::to_string);
    let verb = if value.is_some() { "set" } else { "unset" };
    (
        Output::ok(format!("Property \"{property}\" {verb}.\n")),
        Some(changed),
    )
}

const HELP: &str = "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".

 The loading order follows these rules:

  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes
place.
  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for
your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When
a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the
last file in the list.
  3.  Otherwise, ${HOME}/.kube/config is used and no merging takes place.

Available Commands:
  current-context   Display the current-context
  delete-cluster    Delete the specified cluster from the kubeconfig
  delete-context    Delete the specified context from the kubeconfig
  delete-user       Delete the specified user from the kubeconfig
  get-clusters      Display clusters defined in the kubeconfig
  get-contexts      Describe one or many contexts
  get-users         Display users defined in the kubeconfig
  rename-context    Rename a context from the kubeconfig file
  set               Set an individual value in a kubeconfig file
  set-cluster       Set a cluster entry in kubeconfig
  set-context       Set a context entry in kubeconfig
  set-credentials   Set a user entry in kubeconfig
  unset             Unset an individual value in a kubeconfig file
  use-context       Set the current-context in a kubeconfig file
  view              Display merged kubeconfig settings or a specified kubeconfig file

Usage:
  kubectl config SUBCOMMAND [options]

Use \"kubectl config <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";
