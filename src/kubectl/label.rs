//! `kubectl label` and `kubectl annotate`: `key=value` to set, `key-` to
//! remove, refusing to change an existing value without `--overwrite`.
//! Both verbs edit one metadata map the same way; their messages differ.

use std::collections::BTreeMap;

use serde_json::Value;

use super::args::{Parsed, Spec, Takes};
use super::dry_run::DryRun;
use super::gofmt::json_compact;
use super::mutate::update_json;
use super::output::Output;
use super::record;
use super::target;
use super::Context;
use crate::sim::Cluster;

pub const SPEC: Spec = Spec {
    flags: &[
        ("overwrite", None, Takes::Bool),
        ("list", None, Takes::Bool),
        ("all", None, Takes::Bool),
        ("all-namespaces", Some('A'), Takes::Bool),
        ("selector", Some('l'), Takes::Value),
        ("resource-version", None, Takes::Value),
        ("dry-run", None, Takes::Value),
        ("output", Some('o'), Takes::Value),
        ("template", None, Takes::Value),
        record::FLAG,
    ],
    not_simulated: &[
        "local",
        "filename",
        "kustomize",
        "recursive",
        "field-selector",
        "field-manager",
        "allow-missing-template-keys",
        "show-managed-fields",
    ],
};

/// Which metadata map a verb edits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Labels,
    Annotations,
}

impl Field {
    fn noun(self) -> &'static str {
        match self {
            Field::Labels => "label",
            Field::Annotations => "annotation",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Field::Labels => "labels",
            Field::Annotations => "annotations",
        }
    }
}

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed, field: Field) -> Output {
    let (dry_run, mut printer) = match DryRun::with_printer(parsed, ctx) {
        Ok(both) => both,
        Err(err) => return Output::error(err),
    };
    if parsed.bool("list") && printer.is_some() {
        return Output::error("--list and --output may not be specified together");
    }
    let noun = field.noun();
    let (resources, pairs) = match split_pairs(&parsed.positionals, noun) {
        Ok(split) => split,
        Err(err) => return Output::error(err),
    };
    let (set, remove) = match parse_pairs(&pairs, field) {
        Ok(parsed_pairs) => parsed_pairs,
        Err(err) => return Output::error(err),
    };
    if parsed.bool("all") && parsed.value("selector").is_some() {
        return Output::error("cannot set --all and --selector at the same time");
    }
    if resources.is_empty() {
        return Output::error(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    if set.is_empty() && remove.is_empty() && !parsed.bool("list") {
        return Output::error(format!("at least one {noun} update is required"));
    }
    let found = match target::find(cluster, ctx, parsed, &resources, true) {
        Ok(found) => found,
        Err(out) => return out,
    };
    let single = !found.listed && found.objects.len() + found.missing.len() == 1;
    if parsed.value("resource-version").is_some() && !single {
        return Output::error("--resource-version may only be used with a single resource");
    }
    let mut out = Output::default();
    let mut copy = None;
    for live in &found.objects {
        let current: BTreeMap<String, String> = match field {
            Field::Labels => live.meta().labels.clone(),
            Field::Annotations => live.meta().annotations.clone(),
        }
        .unwrap_or_default();
        if parsed.bool("list") {
            list(&mut out, live.as_ref(), &current, field, single);
            continue;
        }
        if !parsed.bool("overwrite") {
            if let Err(err) = check_overwrites(&current, &set, field) {
                out.merge(Output::error(err));
                continue;
            }
        }
        if field == Field::Labels {
            for key in remove.iter().filter(|k| !current.contains_key(*k)) {
                out.out(format!("label {key:?} not found."));
            }
        }
        let mut updated = current.clone();
        updated.extend(set.clone());
        for key in &remove {
            updated.remove(key);
        }
        let mut json = live.to_json();
        if let Some(meta) = json.get_mut("metadata").and_then(|m| m.as_object_mut()) {
            meta.insert(
                field.key().to_string(),
                serde_json::to_value(&updated).unwrap_or_default(),
            );
        }
        if let Some(version) = parsed.value("resource-version") {
            if live.meta().resource_version.as_deref() != Some(version) {
                out.merge(Output::fail(
                    crate::sim::ApiError::conflict(live.kind(), live.name()).kubectl_text(),
                ));
                continue;
            }
        }
        let command = match field {
            Field::Labels => "label",
            Field::Annotations => "annotate",
        };
        if let Some(cause) = record::change_cause(command, parsed) {
            record::note_json(&mut json, &cause);
        }
        let name = format!("{}/{}", live.kind().qualified_singular(), live.name());
        // annotate always says "annotated"; label words its line from the
        // object's JSON before and after, as kubectl does.
        let verb = match field {
            Field::Annotations => "annotated",
            Field::Labels => {
                let mut before = live.to_json();
                if parsed.value("resource-version").is_some() {
                    // kubectl clears it before encoding "before", then sets it again.
                    if let Some(meta) = before.get_mut("metadata").and_then(|m| m.as_object_mut()) {
                        meta.remove("resourceVersion");
                    }
                }
                label_message(&before, &json, parsed.bool("overwrite"))
            }
        };
        // A client dry run shows the object as changed here; nothing is sent.
        let shown = match dry_run.cluster(cluster, &mut copy) {
            None => json,
            Some(target) => match update_json(target, live, json) {
                Ok(result) => {
                    for warning in result.warnings {
                        out.err(warning);
                    }
                    result.object.to_json()
                }
                Err(err) => {
                    out.merge(Output::fail(err));
                    continue;
                }
            },
        };
        match printer.as_mut() {
            None => out.out(format!("{name} {verb}{}", dry_run.note())),
            Some(printer) => match printer.print(&shown, None) {
                Ok(text) => out.print(&text),
                Err(err) => out.merge(Output::error(err)),
            },
        }
    }
    found.report_missing(&mut out, None);
    out
}

/// kubectl's `updateDataChangeMsg`: any change is "labeled", unless the
/// encoded object got shorter without --overwrite, which is "unlabeled";
/// so a removal that also adds a longer label reads "labeled".
fn label_message(before: &Value, after: &Value, overwrite: bool) -> &'static str {
    let (before, after) = (json_compact(before), json_compact(after));
    if before == after {
        "not labeled"
    } else if !overwrite && after.len() < before.len() {
        "unlabeled"
    } else {
        "labeled"
    }
}

/// Resources first, then `key=value`/`key-` pairs, as kubectl splits them.
fn split_pairs(args: &[String], noun: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    for arg in args {
        let is_pair =
            (arg.contains('=') && !arg.starts_with('=')) || (arg.ends_with('-') && arg != "-");
        match (is_pair, pairs.is_empty()) {
            (true, _) => pairs.push(arg.clone()),
            (false, true) => resources.push(arg.clone()),
            (false, false) => {
                return Err(format!(
                    "all resources must be specified before {noun} changes: {arg}"
                ))
            }
        }
    }
    Ok((resources, pairs))
}

fn parse_pairs(
    pairs: &[String],
    field: Field,
) -> Result<(BTreeMap<String, String>, Vec<String>), String> {
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    let mut invalid = Vec::new();
    for pair in pairs {
        if let Some((key, value)) = pair.split_once('=').filter(|_| !pair.starts_with('=')) {
            if field == Field::Labels {
                if value.contains('=') {
                    return Err(format!("invalid label spec: {pair}"));
                }
                if !valid_label_value(value) {
                    return Err(format!(
                        "invalid label value: {pair:?}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
                    ));
                }
            }
            set.insert(key.to_string(), value.to_string());
        } else if let Some(key) = pair.strip_suffix('-').filter(|_| pair != "-") {
            remove.push(key.to_string());
        } else {
            invalid.push(pair.clone());
        }
    }
    if !invalid.is_empty() {
        return Err(match field {
            Field::Labels => format!("unknown label spec: {}", invalid.join(", ")),
            Field::Annotations => format!("invalid annotation format: {}", invalid.join(", ")),
        });
    }
    let both: Vec<&String> = remove.iter().filter(|k| set.contains_key(*k)).collect();
    if !both.is_empty() {
        return Err(match field {
            Field::Labels => "can not both modify and remove a label in the same command".to_string(),
            Field::Annotations => format!(
                "can not both modify and remove the following annotation(s) in the same command: {}",
                both.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            ),
        });
    }
    Ok((set, remove))
}

/// A label value: at most 63 characters of `[A-Za-z0-9-_.]`, alphanumeric at both ends.
fn valid_label_value(value: &str) -> bool {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    value.is_empty()
        || (value.len() <= 63
            && edge(value.chars().next())
            && edge(value.chars().last())
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)))
}

fn check_overwrites(
    current: &BTreeMap<String, String>,
    set: &BTreeMap<String, String>,
    field: Field,
) -> Result<(), String> {
    let clashes: Vec<String> = set
        .iter()
        // kubectl annotate may always overwrite the change cause.
        .filter(|(k, _)| field == Field::Labels || k.as_str() != record::CHANGE_CAUSE)
        .filter_map(|(k, v)| {
            current
                .get(k)
                .filter(|old| *old != v)
                .map(|old| format!("'{k}' already has a value ({old})"))
        })
        .collect();
    if clashes.is_empty() {
        return Ok(());
    }
    Err(match field {
        // kubectl aggregates one error per label: several print as a list.
        Field::Labels if clashes.len() == 1 => format!("{}, and --overwrite is false", clashes[0]),
        Field::Labels => format!(
            "[{}]",
            clashes
                .iter()
                .map(|c| format!("{c}, and --overwrite is false"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Field::Annotations => format!(
            "--overwrite is false but found the following declared annotation(s): {}",
            clashes.join("; ")
        ),
    })
}

fn list(
    out: &mut Output,
    object: &crate::sim::Object,
    current: &BTreeMap<String, String>,
    field: Field,
    single: bool,
) {
    let indent = if single { "" } else { " " };
    if !single {
        let title = match field {
            Field::Labels => "labels",
            Field::Annotations => "annotations",
        };
        out.out(format!(
            "Listing {title} for {}.{}/{}:",
            object.kind().name(),
            object.kind().group(),
            object.name()
        ));
    }
    for (k, v) in current {
        out.out(format!("{indent}{k}={v}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::strings;

    #[test]
    fn label_message_follows_the_encoded_length() {
        let pod =
            |labels: Value| serde_json::json!({"metadata": {"name": "web-0", "labels": labels}});
        let tier = pod(serde_json::json!({"tier": "web"}));
        let env = pod(serde_json::json!({"env": "x"}));
        assert_eq!(label_message(&tier, &env, false), "unlabeled");
        assert_eq!(label_message(&tier, &env, true), "labeled");
        assert_eq!(label_message(&env, &tier, false), "labeled");
        assert_eq!(label_message(&tier, &tier, false), "not labeled");
        // Removing a label from an object without any still writes `"labels":{}`.
        let bare = serde_json::json!({"metadata": {"name": "web-0"}});
        assert_eq!(
            label_message(&bare, &pod(serde_json::json!({})), false),
            "labeled"
        );
    }

    #[test]
    fn resources_come_before_pairs() {
        assert_eq!(
            split_pairs(&strings(&["pod", "web-0", "a=b", "c-"]), "label")
                .unwrap()
                .1,
            strings(&["a=b", "c-"])
        );
        assert_eq!(
            split_pairs(&strings(&["pod", "a=b", "web-0"]), "label").unwrap_err(),
            "all resources must be specified before label changes: web-0"
        );
    }

    #[test]
    fn pair_errors() {
        assert_eq!(
            parse_pairs(&strings(&["a=b", "a-"]), Field::Labels).unwrap_err(),
            "can not both modify and remove a label in the same command"
        );
        assert!(parse_pairs(&strings(&["a=b@d"]), Field::Labels)
            .unwrap_err()
            .starts_with("invalid label value: \"a=b@d\""));
        assert!(parse_pairs(&strings(&["a=b=c"]), Field::Annotations).is_ok());
    }

    #[test]
    fn overwrite_messages() {
        let current: BTreeMap<String, String> = [("env".to_string(), "prod".to_string())].into();
        let set: BTreeMap<String, String> = [("env".to_string(), "dev".to_string())].into();
        assert_eq!(
            check_overwrites(&current, &set, Field::Labels).unwrap_err(),
            "'env' already has a value (prod), and --overwrite is false"
        );
        assert_eq!(
            check_overwrites(&current, &set, Field::Annotations).unwrap_err(),
            "--overwrite is false but found the following declared annotation(s): 'env' already has a value (prod)"
        );
    }
}
