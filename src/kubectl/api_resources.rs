//! `kubectl api-resources` and `kubectl api-versions`, listing what the
//! simulated apiserver serves.

use super::args::{Parsed, Spec, Takes};
use super::output::Output;
use super::resources;
use super::table::TableWriter;
use crate::sim::object::Kind;

pub const SPEC: Spec = Spec {
    flags: &[
        ("api-group", None, Takes::Value),
        ("namespaced", None, Takes::Bool),
        ("output", Some('o'), Takes::Value),
        ("no-headers", None, Takes::Bool),
        ("sort-by", None, Takes::Value),
        ("verbs", None, Takes::Value),
        ("categories", None, Takes::Value),
        ("cached", None, Takes::Bool),
    ],
    not_simulated: &[],
};

/// Every resource the playground stores supports the same verbs.
const VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

/// The `all` category: what `kubectl get all` lists.
fn categories(kind: Kind) -> &'static str {
    if resources::ALL.contains(&kind) {
        "all"
    } else {
        ""
    }
}

pub fn run(parsed: &Parsed) -> Output {
    let output = parsed.value("output").unwrap_or("");
    match output {
        "" | "wide" | "name" => {}
        "json" | "yaml" => {
            return Output::error(format!("stsplay does not simulate -o {output} for api-resources; try -o wide or -o name"))
        }
        other => {
            return Output::error(format!(
                "unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,name,wide,yaml"
            ))
        }
    }
    let sort_by = parsed.value("sort-by").unwrap_or("");
    if !["", "name", "kind"].contains(&sort_by) {
        return Output::error(format!(
            "--sort-by accepts only name or kind, got {sort_by:?}"
        ));
    }
    let verbs: Vec<&str> = parsed
        .value("verbs")
        .map(|v| v.split(',').collect())
        .unwrap_or_default();
    let wanted_categories: Vec<&str> = parsed
        .value("categories")
        .map(|v| v.split(',').collect())
        .unwrap_or_default();
    let mut kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| parsed.value("api-group").is_none_or(|g| g == k.group()))
        .filter(|k| {
            parsed
                .value("namespaced")
                .is_none_or(|_| parsed.bool("namespaced") == k.namespaced())
        })
        .filter(|_| verbs.iter().all(|v| VERBS.contains(v)))
        .filter(|k| wanted_categories.iter().all(|c| categories(*k) == *c))
        .collect();
    kinds.sort_by(|a, b| {
        let key = |k: &Kind| match sort_by {
            "name" => k.plural().to_string(),
            "kind" => k.name().to_string(),
            _ => k.group().to_string(),
        };
        key(a).cmp(&key(b)).then(a.plural().cmp(b.plural()))
    });
    if output == "name" {
        let names: String = kinds
            .iter()
            .map(|k| match k.group() {
                "" => format!("{}\n", k.plural()),
                g => format!("{}.{g}\n", k.plural()),
            })
            .collect();
        return Output::ok(names);
    }
    let mut rows = Vec::new();
    if !parsed.bool("no-headers") {
        let mut header = vec!["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"];
        if output == "wide" {
            header.extend(["VERBS", "CATEGORIES"]);
        }
        rows.push(header.into_iter().map(str::to_string).collect());
    }
    for kind in kinds {
        let mut row = vec![
            kind.plural().to_string(),
            resources::short_names(kind).join(","),
            kind.api_version().to_string(),
            kind.namespaced().to_string(),
            kind.name().to_string(),
        ];
        if output == "wide" {
            row.push(VERBS.join(","));
            row.push(categories(kind).to_string());
        }
        rows.push(row);
    }
    Output::ok(TableWriter::default().render(&rows))
}

/// `kubectl api-versions`: the group versions served, sorted.
pub fn versions() -> Output {
    let mut versions: Vec<&str> = Kind::ALL.iter().map(|k| k.api_version()).collect();
    versions.sort();
    versions.dedup();
    Output::ok(versions.iter().map(|v| format!("{v}\n")).collect())
}
