//! `kubectl get`: lists and single objects in table, wide, name, yaml and
//! json form, and the start of `--watch`.

use std::rc::Rc;

use super::args::Parsed;
use super::output::Output;
use super::printers;
use super::resources;
use super::selector::Selector;
use super::table::TableWriter;
use super::watch::Watch;
use super::Context;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::Cluster;

/// What `get` was asked for, shared with `--watch`.
#[derive(Clone, Debug)]
pub struct Query {
    pub kind: Kind,
    /// None for `-A` or cluster-scoped kinds.
    pub namespace: Option<String>,
    pub names: Vec<String>,
    pub selector: Selector,
}

impl Query {
    pub fn matches(&self, object: &Object) -> bool {
        object.kind() == self.kind
            && self
                .namespace
                .as_deref()
                .is_none_or(|ns| object.namespace() == ns)
            && (self.names.is_empty() || self.names.iter().any(|n| n == object.name()))
            && self.selector.matches(object.meta().labels.as_ref())
    }

    pub fn list(&self, cluster: &Cluster) -> Vec<Rc<Object>> {
        cluster
            .store()
            .list(self.kind)
            .filter(|o| self.matches(o))
            .cloned()
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Format {
    Table { wide: bool },
    Name,
    Yaml,
    Json,
}

pub fn format(parsed: &Parsed) -> Result<Format, String> {
    Ok(match parsed.value("output").unwrap_or("") {
        "" => Format::Table { wide: false },
        "wide" => Format::Table { wide: true },
        "name" => Format::Name,
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        other => {
            return Err(format!(
                "unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
            ))
        }
    })
}

/// The result of `get`: its output, and a watch to keep running for `-w`.
pub struct Got {
    pub output: Output,
    pub watch: Option<Watch>,
}

pub fn run(cluster: &Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Got {
    match run_inner(cluster, ctx, parsed) {
        Ok(got) => got,
        Err(output) => Got {
            output,
            watch: None,
        },
    }
}

fn run_inner(cluster: &Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Result<Got, Output> {
    let format = format(parsed).map_err(Output::error)?;
    let selector =
        Selector::parse(parsed.value("selector").unwrap_or("")).map_err(Output::error)?;
    let all_namespaces = parsed.bool("all-namespaces");
    let namespace = parsed
        .value("namespace")
        .unwrap_or(ctx.namespace)
        .to_string();
    let requests = requests(&parsed.positionals)?;
    let queries: Vec<Query> = requests
        .into_iter()
        .map(|(kind, names)| Query {
            kind,
            namespace: (kind.namespaced() && !all_namespaces).then(|| namespace.clone()),
            names,
            selector: selector.clone(),
        })
        .collect();
    let watching = parsed.bool("watch") || parsed.bool("watch-only");
    if watching && queries.len() != 1 {
        return Err(Output::error("you may only specify a single resource type"));
    }
    let mut out = Output::default();
    let now = cluster.now();
    let mut found_any = false;
    let mut tables = Vec::new();
    let mut items = Vec::new();
    for query in &queries {
        let objects = query.list(cluster);
        for name in &query.names {
            if !objects.iter().any(|o| o.name() == name) && !parsed.bool("ignore-not-found") {
                let key = ObjectKey::new(query.kind, "", name);
                out.err(crate::sim::ApiError::not_found(key.kind, name).kubectl_text());
                out.code = 1;
            }
        }
        found_any |= !objects.is_empty();
        items.extend(objects.iter().cloned());
        tables.push((query.kind, objects));
    }
    let prefix = queries.len() > 1
        || parsed
            .positionals
            .first()
            .is_some_and(|p| p == "all" || p.contains(','));
    if watching {
        let query = queries
            .into_iter()
            .next()
            .ok_or_else(|| Output::error("no resource type"))?;
        let mut watch = Watch::new(query, format.clone(), parsed, cluster);
        if !parsed.bool("watch-only") {
            out.stdout.push_str(&watch.initial(cluster));
        }
        return Ok(Got {
            output: out,
            watch: Some(watch),
        });
    }
    match format {
        Format::Table { wide } => {
            let mut first = true;
            for (kind, objects) in tables {
                if objects.is_empty() {
                    continue;
                }
                if !first {
                    out.stdout.push('\n');
                }
                first = false;
                out.stdout
                    .push_str(&render_table(kind, &objects, now, wide, prefix, parsed));
            }
            if !found_any && out.code == 0 && !names_given(&parsed.positionals) {
                let scope = (!all_namespaces && queries.iter().any(|q| q.kind.namespaced()))
                    .then(|| namespace.clone());
                out.err(no_resources(&scope));
            }
        }
        Format::Name => {
            for object in &items {
                out.out(format!(
                    "{}/{}",
                    object.kind().qualified_singular(),
                    object.name()
                ));
            }
        }
        Format::Yaml | Format::Json => {
            let single = items.len() == 1 && parsed.positionals.len() >= 2 && !prefix;
            let value = if single {
                items[0].to_json()
            } else {
                serde_json::json!({
                    "apiVersion": "v1",
                    "items": items.iter().map(|o| o.to_json()).collect::<Vec<_>>(),
                    "kind": "List",
                    "metadata": {"resourceVersion": ""}
                })
            };
            if out.code == 0 || !items.is_empty() {
                out.stdout
                    .push_str(&super::encode(&value, format == Format::Yaml));
            }
        }
    }
    Ok(Got {
        output: out,
        watch: None,
    })
}

fn names_given(positionals: &[String]) -> bool {
    positionals.len() > 1 || positionals.iter().any(|p| p.contains('/'))
}

/// `No resources found in default namespace.`
pub fn no_resources(namespace: &Option<String>) -> String {
    match namespace {
        Some(ns) => format!("No resources found in {ns} namespace."),
        None => "No resources found".to_string(),
    }
}

/// Positionals to (kind, names): `pods`, `pods a b`, `pod/a sts/b`, `pods,svc`.
pub fn requests(positionals: &[String]) -> Result<Vec<(Kind, Vec<String>)>, Output> {
    let Some(first) = positionals.first() else {
        return Err(Output::fail(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples",
        ));
    };
    if first.contains('/') {
        let mut out: Vec<(Kind, Vec<String>)> = Vec::new();
        for item in positionals {
            let Some((type_, name)) = item.split_once('/') else {
                return Err(Output::error("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"));
            };
            let kind = resources::resolve(type_).ok_or_else(|| {
                Output::error(format!(
                    "the server doesn't have a resource type \"{type_}\""
                ))
            })?;
            match out.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, names)) => names.push(name.to_string()),
                None => out.push((kind, vec![name.to_string()])),
            }
        }
        return Ok(out);
    }
    let kinds = resources::resolve_list(first).map_err(Output::error)?;
    let names: Vec<String> = positionals[1..].to_vec();
    if !names.is_empty() && kinds.len() > 1 {
        return Err(Output::error(
            "names cannot be provided when a selector is specified or when several types are given",
        ));
    }
    Ok(kinds.into_iter().map(|k| (k, names.clone())).collect())
}

/// A whole table: header (unless `--no-headers`) and one row per object.
pub fn render_table(
    kind: Kind,
    objects: &[Rc<Object>],
    now: u64,
    wide: bool,
    prefix: bool,
    parsed: &Parsed,
) -> String {
    let mut writer = TableWriter::default();
    let mut rows = Vec::new();
    if !parsed.bool("no-headers") {
        rows.push(header_row(kind, wide, parsed));
    }
    for object in objects {
        rows.push(object_row(object, now, wide, prefix, parsed));
    }
    writer.render(&rows)
}

pub fn header_row(kind: Kind, wide: bool, parsed: &Parsed) -> Vec<String> {
    let mut header = printers::headers(kind, wide);
    for column in label_columns(parsed) {
        header.push(column.rsplit('/').next().unwrap_or(&column).to_uppercase());
    }
    if parsed.bool("show-labels") {
        header.push("LABELS".to_string());
    }
    header
}

fn label_columns(parsed: &Parsed) -> Vec<String> {
    parsed
        .values("label-columns")
        .iter()
        .flat_map(|v| v.split(','))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn object_row(
    object: &Object,
    now: u64,
    wide: bool,
    prefix: bool,
    parsed: &Parsed,
) -> Vec<String> {
    let mut row = printers::row(object, now, wide);
    if prefix {
        row[0] = format!("{}/{}", object.kind().qualified_singular(), row[0]);
    }
    let labels = object.meta().labels.clone().unwrap_or_default();
    for column in label_columns(parsed) {
        row.push(labels.get(&column).cloned().unwrap_or_default());
    }
    if parsed.bool("show-labels") {
        let text = labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",");
        row.push(if text.is_empty() {
            "<none>".to_string()
        } else {
            text
        });
    }
    row
}
