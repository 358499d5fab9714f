//! `kubectl create SUBCOMMAND NAME`: the generators. `create namespace`,
//! `create serviceaccount` and `create configmap` are simulated; the others
//! are refused by name (a manifest and `kubectl apply -f` make the same objects).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, Namespace, ServiceAccount};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::args::{Parsed, Spec, Takes};
use super::output::Output;
use super::Context;
use crate::sim::object::Object;
use crate::sim::validation::names;
use crate::sim::Cluster;

/// kubectl's `create` subcommands and their aliases.
pub const SUBCOMMANDS: &[&str] = &[
    "clusterrole",
    "clusterrolebinding",
    "configmap",
    "cm",
    "cronjob",
    "cj",
    "deployment",
    "deploy",
    "ingress",
    "ing",
    "job",
    "namespace",
    "ns",
    "poddisruptionbudget",
    "pdb",
    "priorityclass",
    "pc",
    "quota",
    "resourcequota",
    "role",
    "rolebinding",
    "secret",
    "service",
    "svc",
    "serviceaccount",
    "sa",
    "token",
];

/// The subcommands the playground runs.
pub const SIMULATED: &[&str] = &["namespace", "ns", "serviceaccount", "sa", "configmap", "cm"];

/// A simulated generator's name, for its alias too (kubectl's command path).
pub fn canonical(sub: &str) -> &'static str {
    match sub {
        "namespace" | "ns" => "namespace",
        "serviceaccount" | "sa" => "serviceaccount",
        _ => "configmap",
    }
}

/// The flags every generator has and the playground does not simulate.
const NOT_SIMULATED: [&str; 8] = [
    "dry-run",
    "output",
    "save-config",
    "field-manager",
    "validate",
    "template",
    "allow-missing-template-keys",
    "show-managed-fields",
];

/// The flags of one simulated generator.
pub fn generator_spec(sub: &str) -> Spec {
    const CONFIG_MAP_NOT_SIMULATED: [&str; 9] = {
        let mut names = ["append-hash"; 9];
        let mut i = 0;
        while i < NOT_SIMULATED.len() {
            names[i] = NOT_SIMULATED[i];
            i += 1;
        }
        names
    };
    match sub {
        "configmap" | "cm" => Spec {
            flags: &[
                ("from-literal", None, Takes::Value),
                ("from-file", None, Takes::Value),
                ("from-env-file", None, Takes::Value),
            ],
            not_simulated: &CONFIG_MAP_NOT_SIMULATED,
        },
        _ => Spec {
            flags: &[],
            not_simulated: &NOT_SIMULATED,
        },
    }
}

/// `kubectl create namespace|serviceaccount|configmap NAME`.
pub fn generate(cluster: &mut Cluster, ctx: &Context<'_>, sub: &str, parsed: &Parsed) -> Output {
    let [name] = parsed.positionals.as_slice() else {
        return Output::fail(format!(
            "error: exactly one NAME is required, got {}\nSee 'kubectl create {} -h' for help and examples",
            parsed.positionals.len(),
            canonical(sub)
        ));
    };
    let namespace = parsed.value("namespace").unwrap_or(ctx.namespace);
    let metadata = |namespace: Option<&str>| ObjectMeta {
        name: Some(name.clone()),
        namespace: namespace.map(str::to_string),
        ..Default::default()
    };
    let (resource, object) = match canonical(sub) {
        "namespace" => (
            "namespace",
            Object::Namespace(Box::new(Namespace {
                metadata: metadata(None),
                ..Default::default()
            })),
        ),
        "serviceaccount" => (
            "serviceaccount",
            Object::ServiceAccount(Box::new(ServiceAccount {
                metadata: metadata(Some(namespace)),
                ..Default::default()
            })),
        ),
        _ => {
            let data = match config_map_data(ctx, parsed, name) {
                Ok(data) => data,
                Err(err) => return Output::error(err),
            };
            let map = ConfigMap {
                metadata: metadata(Some(namespace)),
                data: (!data.is_empty()).then_some(data),
                ..Default::default()
            };
            return match cluster.create(Object::ConfigMap(Box::new(map))) {
                Ok(_) => Output::ok(format!("configmap/{name} created\n")),
                Err(err) => Output::error(format!("failed to create configmap: {err}")),
            };
        }
    };
    match cluster.create(object) {
        Ok(_) => Output::ok(format!("{resource}/{name} created\n")),
        Err(err) => Output::fail(err.kubectl_text()),
    }
}

/// A ConfigMap's data from `--from-file`, `--from-literal` and
/// `--from-env-file`, checked as kubectl checks it before sending it.
fn config_map_data(
    ctx: &Context<'_>,
    parsed: &Parsed,
    name: &str,
) -> Result<BTreeMap<String, String>, String> {
    let literals = parsed.values("from-literal");
    // Both are string slices to kubectl: one flag may list several, comma-separated.
    let split = |flag| -> Vec<&str> {
        parsed
            .values(flag)
            .into_iter()
            .flat_map(|v| v.split(','))
            .collect()
    };
    let files = split("from-file");
    let env_files = split("from-env-file");
    if !env_files.is_empty() && (!files.is_empty() || !literals.is_empty()) {
        return Err("from-env-file cannot be combined with from-file or from-literal".to_string());
    }
    let mut data = BTreeMap::new();
    let mut add = |key: &str, value: String| {
        let errs = names::config_map_key(key);
        if !errs.is_empty() {
            return Err(format!(
                "{key:?} is not a valid key name for a ConfigMap: {}",
                errs.join(",")
            ));
        }
        if data.contains_key(key) {
            return Err(format!("cannot add key {key:?}, another key by that name already exists in Data for ConfigMap {name:?}"));
        }
        data.insert(key.to_string(), value);
        Ok(())
    };
    for source in files {
        let (key, path) = file_source(source)?;
        if is_working_directory(path) {
            if source.contains('=') {
                return Err("cannot give a key name for a directory path".to_string());
            }
            for (file, text) in ctx.files {
                add(file, text.clone())?;
            }
        } else {
            add(key, read(ctx, path)?)?;
        }
    }
    for literal in literals {
        match literal.split_once('=') {
            Some((key, value)) if !key.is_empty() => add(key, value.to_string())?,
            _ => {
                return Err(format!(
                    "invalid literal source {literal}, expected key=value"
                ))
            }
        }
    }
    for path in env_files {
        if is_working_directory(path) {
            return Err("env config file cannot be a directory".to_string());
        }
        for (key, value) in env_file(&read(ctx, path)?)? {
            add(key, value.to_string())?;
        }
    }
    Ok(data)
}

/// `[KEY=]PATH`: the key defaults to the file's base name.
fn file_source(source: &str) -> Result<(&str, &str), String> {
    match source.split('=').collect::<Vec<_>>().as_slice() {
        [path] => Ok((path.rsplit('/').next().unwrap_or(path), path)),
        ["", path] => Err(format!("key name for file path {path} missing")),
        [key, ""] => Err(format!("file path for key name {key} missing")),
        [key, path] => Ok((key, path)),
        _ => Err("key names or file paths cannot contain '='".to_string()),
    }
}

/// The editor's files are the working directory's, and it has no other directory.
fn is_working_directory(path: &str) -> bool {
    matches!(path, "." | "./")
}

fn read(ctx: &Context<'_>, path: &str) -> Result<String, String> {
    ctx.files
        .get(path.strip_prefix("./").unwrap_or(path))
        .cloned()
        .ok_or_else(|| format!("error reading {path}: no such file or directory"))
}

/// The `KEY=VALUE` lines of an env file: blank lines and `#` comments are
/// skipped, leading space is dropped and the value is taken as written. A
/// bare `KEY` takes kubectl's own environment variable, which the
/// playground's kubectl does not have: an empty value.
fn env_file(text: &str) -> Result<Vec<(&str, &str)>, String> {
    let mut pairs = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = if number == 0 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line.split_once('=').unwrap_or((line, ""));
        let errs = names::env_var_name(key);
        if !errs.is_empty() {
            return Err(format!(
                "{key:?} is not a valid key name: {}",
                errs.join(";")
            ));
        }
        pairs.push((key, value));
    }
    Ok(pairs)
}
