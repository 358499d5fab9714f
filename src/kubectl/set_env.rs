//! `kubectl set env RESOURCE KEY=VALUE … KEY-`: sets and removes
//! environment variables in the containers of pod templates (a changed
//! StatefulSet template rolls its pods), imports a ConfigMap's or Secret's
//! keys as references (`--from`), or lists the environment (`--list`).
//! Read in kubectl v0.34's `pkg/cmd/set/set_env.go` and `env/env_parse.go`.

use k8s_openapi::api::core::v1::{
    ConfigMap, ConfigMapKeySelector, EnvVar, EnvVarSource, Secret, SecretKeySelector,
};
use serde_json::Value;

use super::args::{Parsed, Spec, Takes};
use super::output::Output;
use super::target;
use super::Context;
use crate::sim::validation::names;
use crate::sim::Cluster;

pub const SPEC: Spec = Spec {
    flags: &[
        ("all", None, Takes::Bool),
        ("selector", Some('l'), Takes::Value),
        ("containers", Some('c'), Takes::Value),
        ("env", Some('e'), Takes::Value),
        ("from", None, Takes::Value),
        ("keys", None, Takes::Value),
        ("prefix", None, Takes::Value),
        ("list", None, Takes::Bool),
        ("resolve", None, Takes::Bool),
        ("overwrite", None, Takes::Bool),
        super::set::SEND_FLAGS[0],
        super::set::SEND_FLAGS[1],
        super::set::SEND_FLAGS[2],
    ],
    not_simulated: super::set::NOT_SIMULATED,
};

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed, args: &[String]) -> Output {
    let mut sender = match super::set::Sender::of(parsed, ctx) {
        Ok(sender) => sender,
        Err(err) => return Output::error(err),
    };
    if parsed.bool("all") && parsed.value("selector").is_some() {
        return Output::error("cannot set --all and --selector at the same time");
    }
    let Some((resources, env_args)) = split_environment(args) else {
        return Output::error(format!(
            "all resources must be specified before environment changes: {}",
            args.join(" ")
        ));
    };
    if resources.is_empty() {
        return Output::error(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    if parsed.bool("list") && parsed.value("output").is_some() {
        return Output::error("--list and --output may not be specified together");
    }
    let keys: Vec<&str> = parsed
        .values("keys")
        .into_iter()
        .flat_map(|k| k.split(','))
        .collect();
    let from = parsed.value("from");
    if !keys.is_empty() && from.is_none() {
        return Output::error(
            "when specifying --keys, a configmap or secret must be provided with --from",
        );
    }
    let specs: Vec<&str> = parsed
        .values("env")
        .into_iter()
        .chain(env_args.iter().map(String::as_str))
        .collect();
    let (mut env, remove) = match parse_env(&specs) {
        Ok(parsed) => parsed,
        Err(err) => return Output::error(err),
    };
    let mut out = Output::default();
    if let Some(from) = from {
        match imported(cluster, ctx, parsed, from, &keys, &mut out) {
            Ok(mut vars) => env.append(&mut vars),
            Err(err) => {
                out.merge(err);
                return out;
            }
        }
    }
    if let Some(prefix) = parsed.value("prefix").filter(|p| !p.is_empty()) {
        for var in &mut env {
            var.name = format!("{prefix}{}", var.name);
        }
    }
    let found = match target::find(cluster, ctx, parsed, resources, true) {
        Ok(found) => found,
        Err(err) => return err,
    };
    let change = Change {
        env: &env,
        remove: &remove,
        containers: parsed.value("containers").unwrap_or("*"),
        overwrite: parsed.bool_or("overwrite", true),
        list: parsed.bool("list"),
        resolve: parsed.bool("resolve"),
    };
    for live in &found.objects {
        let (kind, name) = (live.kind().name(), live.name());
        let changed = super::set::change_pod_spec(live, |spec| {
            change.apply(cluster, live.namespace(), (kind, name), spec, &mut out)
        });
        let json = match changed {
            Ok((json, Ok(()))) => json,
            Ok((_, Err(err))) => {
                let resource = format!("{}/{name}", live.kind().plural());
                out.merge(Output::error(format!("{resource} {err}")));
                continue;
            }
            Err(refused) => {
                out.merge(refused);
                continue;
            }
        };
        if !change.list {
            let words = (
                "env updated",
                "failed to patch env update to pod template: ",
            );
            sender.send(cluster, live, json, words, &mut out);
        }
    }
    found.report_missing(&mut out, None);
    out
}

/// SplitEnvironmentFromResources: the resources, then the changes
/// (`KEY=VALUE`, `KEY-`); None when a resource follows a change.
fn split_environment(args: &[String]) -> Option<(&[String], &[String])> {
    let is_env = |a: &String| is_assignment(a) || a.ends_with('-');
    let first = args.iter().position(is_env).unwrap_or(args.len());
    let (resources, changes) = args.split_at(first);
    changes.iter().all(is_env).then_some((resources, changes))
}

/// `^(.+)=(.*)$`: something before an `=`.
fn is_assignment(arg: &str) -> bool {
    arg.find('=').is_some_and(|i| i > 0)
}

/// ParseEnv: the variables to set and the names to remove.
fn parse_env(specs: &[&str]) -> Result<(Vec<EnvVar>, Vec<String>), String> {
    let mut env = Vec::new();
    let mut remove = Vec::new();
    for spec in specs {
        if *spec == "-" {
            return Err("when '-' is used, STDIN must be open".to_string());
        }
        if let Some((name, value)) = spec.split_once('=') {
            let problems = names::env_var_name(name);
            if !problems.is_empty() {
                return Err(format!(
                    "{name:?} is not a valid key name: {}",
                    problems.join(";")
                ));
            }
            env.push(EnvVar {
                name: name.to_string(),
                value: Some(value.to_string()),
                value_from: None,
            });
        } else if let Some(name) = spec.strip_suffix('-') {
            remove.push(name.to_string());
        } else {
            return Err(format!("unknown environment variable: {spec}"));
        }
    }
    if remove.iter().any(|r| env.iter().any(|e| &e.name == r)) {
        return Err(
            "can not both modify and remove the same environment variable in the same command"
                .to_string(),
        );
    }
    Ok((env, remove))
}

/// `--from=configmap/NAME` or `secret/NAME`: a reference to each of its
/// keys (or those `--keys` names), named as a variable may be, in key order.
fn imported(
    cluster: &Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
    from: &str,
    keys: &[&str],
    out: &mut Output,
) -> Result<Vec<EnvVar>, Output> {
    let found = target::find(cluster, ctx, parsed, &[from.to_string()], true)?;
    let mut env = Vec::new();
    for object in &found.objects {
        let (data_keys, source) = if let Some(map) = object.as_typed::<ConfigMap>() {
            let keys: Vec<String> = map.data.iter().flat_map(|d| d.keys().cloned()).collect();
            (keys, Source::ConfigMap(object.name().to_string()))
        } else if let Some(secret) = object.as_typed::<Secret>() {
            let keys: Vec<String> = secret.data.iter().flat_map(|d| d.keys().cloned()).collect();
            (keys, Source::Secret(object.name().to_string()))
        } else {
            return Err(Output::error("unsupported resource specified in --from"));
        };
        for key in data_keys
            .into_iter()
            .filter(|k| keys.is_empty() || keys.contains(&k.as_str()))
        {
            let name = env_name(&key);
            if name != key {
                out.err(format!("Warning: key {key} transferred to {name}"));
            }
            env.push(EnvVar {
                name,
                value: None,
                value_from: Some(source.reference(key)),
            });
        }
    }
    if !found.missing.is_empty() {
        let mut err = Output::default();
        found.report_missing(&mut err, None);
        return Err(err);
    }
    Ok(env)
}

/// What `--from` names.
enum Source {
    ConfigMap(String),
    Secret(String),
}

impl Source {
    /// A variable's reference to one of its keys.
    fn reference(&self, key: String) -> EnvVarSource {
        match self {
            Source::ConfigMap(name) => EnvVarSource {
                config_map_key_ref: Some(ConfigMapKeySelector {
                    name: name.clone(),
                    key,
                    optional: None,
                }),
                ..Default::default()
            },
            Source::Secret(name) => EnvVarSource {
                secret_key_ref: Some(SecretKeySelector {
                    name: name.clone(),
                    key,
                    optional: None,
                }),
                ..Default::default()
            },
        }
    }
}

/// keyToEnvName: upper case, with `_` for whatever a name may not hold.
fn env_name(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// What to do to each selected container's environment.
struct Change<'a> {
    env: &'a [EnvVar],
    remove: &'a [String],
    containers: &'a str,
    overwrite: bool,
    list: bool,
    resolve: bool,
}

impl Change<'_> {
    /// Changes (or lists) the environment of the spec's selected containers,
    /// the containers first, then init containers.
    fn apply(
        &self,
        cluster: &Cluster,
        namespace: &str,
        (kind, name): (&str, &str),
        spec: &mut Value,
        out: &mut Output,
    ) -> Result<(), String> {
        let selected = selected_containers(spec, self.containers);
        if selected.is_empty() {
            out.err(format!(
                "Warning: {kind}/{name} does not have any containers matching {:?}",
                self.containers
            ));
            return Ok(());
        }
        for (list, i) in selected {
            let Some(c) = spec.get_mut(list).and_then(|l| l.get_mut(i)) else {
                continue;
            };
            let existing: Vec<EnvVar> = c
                .get("env")
                .cloned()
                .and_then(|e| serde_json::from_value(e).ok())
                .unwrap_or_default();
            if !self.overwrite {
                for var in self.env {
                    if let Some(current) = existing
                        .iter()
                        .find(|e| e.name == var.name && e.value != var.value)
                    {
                        return Err(format!(
                            "'{}' already has a value ({}), and --overwrite is false",
                            current.name,
                            current.value.as_deref().unwrap_or("")
                        ));
                    }
                }
            }
            let env = updated(&existing, self.env, self.remove);
            if self.list {
                let container = c.get("name").and_then(Value::as_str).unwrap_or("");
                out.out(format!("# {kind} {name}, container {container}"));
                for var in &env {
                    out.out(self.listed(cluster, namespace, var));
                }
            }
            let object = c.as_object_mut().ok_or("a container is not an object")?;
            if env.is_empty() {
                object.remove("env");
            } else {
                object.insert(
                    "env".to_string(),
                    serde_json::to_value(env).unwrap_or_default(),
                );
            }
        }
        Ok(())
    }

    /// One variable as `--list` shows it: its value, where it comes from,
    /// or with `--resolve` the referenced ConfigMap's or Secret's value.
    fn listed(&self, cluster: &Cluster, namespace: &str, var: &EnvVar) -> String {
        let Some(from) = &var.value_from else {
            return format!("{}={}", var.name, var.value.as_deref().unwrap_or(""));
        };
        let (reference, value) = if let Some(r) = &from.config_map_key_ref {
            let value = cluster
                .store()
                .get_typed::<ConfigMap>(namespace, &r.name)
                .and_then(|m| m.data.as_ref()?.get(&r.key).cloned());
            (format!("configmap {}, key {}", r.name, r.key), value)
        } else if let Some(r) = &from.secret_key_ref {
            let value = cluster
                .store()
                .get_typed::<Secret>(namespace, &r.name)
                .and_then(|s| s.data.as_ref()?.get(&r.key).cloned())
                .map(|bytes| String::from_utf8_lossy(&bytes.0).to_string());
            (format!("secret {}, key {}", r.name, r.key), value)
        } else if let Some(r) = &from.field_ref {
            (format!("field path {}", r.field_path), None)
        } else if let Some(r) = &from.resource_field_ref {
            let container = r
                .container_name
                .as_deref()
                .filter(|c| !c.is_empty())
                .map(|c| format!("{c}/"))
                .unwrap_or_default();
            (format!("resource field {container}{}", r.resource), None)
        } else {
            (String::new(), None)
        };
        match value.filter(|_| self.resolve) {
            Some(value) => format!("{}={value}", var.name),
            None => format!("# {} from {reference}", var.name),
        }
    }
}

/// updateEnv: existing variables keep their place (replaced or removed),
/// new ones follow in the order given.
fn updated(existing: &[EnvVar], env: &[EnvVar], remove: &[String]) -> Vec<EnvVar> {
    let mut covered: Vec<&str> = remove.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for e in existing {
        if covered.contains(&e.name.as_str()) {
            continue;
        }
        match env.iter().find(|n| n.name == e.name) {
            Some(newer) => {
                covered.push(&e.name);
                out.push(newer.clone());
            }
            None => out.push(e.clone()),
        }
    }
    for e in env {
        if !covered.contains(&e.name.as_str()) {
            covered.push(&e.name);
            out.push(e.clone());
        }
    }
    out
}

/// Where the containers `-c PATTERN` selects are in a pod spec's JSON:
/// (list, index), the containers first, then init containers
/// (selectContainers over each).
pub(super) fn selected_containers(spec: &Value, pattern: &str) -> Vec<(&'static str, usize)> {
    let mut selected = Vec::new();
    for list in ["containers", "initContainers"] {
        let items = spec.get(list).and_then(Value::as_array);
        for (i, c) in items.into_iter().flatten().enumerate() {
            let name = c.get("name").and_then(Value::as_str).unwrap_or("");
            if wildcard_match(name, pattern) {
                selected.push((list, i));
            }
        }
    }
    selected
}

/// selectString: `*` matches anything, parts between stars in order.
fn wildcard_match(name: &str, spec: &str) -> bool {
    if !spec.contains('*') {
        return name == spec;
    }
    let parts: Vec<&str> = spec.split('*').collect();
    let mut rest = name;
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        let last = i == parts.len() - 1;
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(after) => rest = after,
                None => return false,
            }
        } else if last {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_keep_existing_places_and_append_new_ones() {
        let var = |n: &str, v: &str| EnvVar {
            name: n.into(),
            value: Some(v.into()),
            value_from: None,
        };
        let existing = [var("A", "1"), var("B", "2"), var("C", "3")];
        let got = updated(&existing, &[var("D", "4"), var("B", "20")], &["A".into()]);
        let names: Vec<_> = got
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_deref()))
            .collect();
        assert_eq!(
            names,
            [("B", Some("20")), ("C", Some("3")), ("D", Some("4"))]
        );
    }

    #[test]
    fn container_patterns_match_like_kubectls() {
        assert!(wildcard_match("nginx", "*"));
        assert!(wildcard_match("nginx", "ng*"));
        assert!(wildcard_match("nginx", "*nx"));
        assert!(wildcard_match("nginx", "n*i*x"));
        assert!(!wildcard_match("nginx", "x*"));
        assert!(!wildcard_match("nginx", "nginx-*"));
    }

    #[test]
    fn environment_follows_the_resources() {
        let args: Vec<String> = ["sts/web", "A=1", "B-"].map(String::from).to_vec();
        let (resources, changes) = split_environment(&args).expect("resources first");
        assert_eq!((resources.len(), changes.len()), (1, 2));
        let mixed: Vec<String> = ["A=1", "sts/web"].map(String::from).to_vec();
        assert!(split_environment(&mixed).is_none());
    }
}
