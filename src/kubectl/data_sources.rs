//! The data of `kubectl create configmap` and `kubectl create secret
//! generic`: `--from-literal`, `--from-file` (the editor's files by name,
//! `KEY=FILE`, or `.` for all of them) and `--from-env-file`, checked as
//! kubectl checks them before sending the object. Its ConfigMap and Secret
//! code differ in order and words, and so does this.

use std::collections::BTreeMap;

use super::args::Parsed;
use super::Context;
use crate::sim::validation::names;

/// The object the data is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    ConfigMap,
    Secret,
}

impl Target {
    fn invalid_key(self, key: &str, errs: &[String]) -> String {
        match self {
            Target::ConfigMap => format!(
                "{key:?} is not a valid key name for a ConfigMap: {}",
                errs.join(",")
            ),
            Target::Secret => format!(
                "{key:?} is not valid key name for a Secret {}",
                errs.join(";")
            ),
        }
    }

    fn duplicate(self, key: &str, name: &str) -> String {
        match self {
            Target::ConfigMap => format!("cannot add key {key:?}, another key by that name already exists in Data for ConfigMap {name:?}"),
            Target::Secret => {
                format!("cannot add key {key}, another key by that name already exists")
            }
        }
    }

    fn env_directory(self) -> &'static str {
        match self {
            Target::ConfigMap => "env config file cannot be a directory",
            Target::Secret => "env secret file cannot be a directory",
        }
    }
}

/// The data for object `name`, key by key.
pub fn collect(
    ctx: &Context<'_>,
    parsed: &Parsed,
    target: Target,
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
            return Err(target.invalid_key(key, &errs));
        }
        if data.contains_key(key) {
            return Err(target.duplicate(key, name));
        }
        data.insert(key.to_string(), value);
        Ok(())
    };
    if target == Target::Secret {
        add_literals(&literals, &mut add)?;
    }
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
    if target == Target::ConfigMap {
        add_literals(&literals, &mut add)?;
    }
    for path in env_files {
        if is_working_directory(path) {
            return Err(target.env_directory().to_string());
        }
        for (key, value) in env_file(&read(ctx, path)?)? {
            add(key, value.to_string())?;
        }
    }
    Ok(data)
}

/// `KEY=VALUE` each; the value may hold `=` too.
fn add_literals(
    literals: &[&str],
    add: &mut impl FnMut(&str, String) -> Result<(), String>,
) -> Result<(), String> {
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
    Ok(())
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
