//! `kubectl diff -f`: what applying the files would change. kubectl writes
//! each live object and the server's dry-run result as YAML into two
//! temporary directories and runs `diff -u -N` on them; this prints what that
//! diff prints. It exits 1 when something would change, 0 when nothing would.

use serde_json::Value;

use super::apply::{self, Compared};
use super::args::{Parsed, Spec, Takes};
use super::output::Output;
use super::unified_diff;
use super::yaml_out::to_yaml;
use super::Context;
use crate::sim::clock::timestamp;
use crate::sim::fast_hash::digest_of;
use crate::sim::object::{Kind, Object};
use crate::sim::Cluster;

pub const SPEC: Spec = Spec {
    flags: &[
        ("filename", Some('f'), Takes::Value),
        ("recursive", Some('R'), Takes::Bool),
        ("validate", None, Takes::Value),
    ],
    not_simulated: &[
        "concurrency",
        "field-manager",
        "force-conflicts",
        "kustomize",
        "prune",
        "prune-allowlist",
        "selector",
        "server-side",
        "show-managed-fields",
    ],
};

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Output {
    if parsed.values("filename").is_empty() {
        return Output::error("must specify one of -f and -k");
    }
    let (compared, mut out) = apply::compare(cluster, ctx, parsed);
    if out.code != 0 {
        return out;
    }
    let now = cluster.now();
    let live_dir = temp_dir("LIVE", now);
    let merged_dir = temp_dir("MERGED", now);
    // diff walks the directories in name order.
    let mut files: Vec<(String, String, String, bool)> = compared
        .iter()
        .map(|c| {
            let (live, merged) = texts(c);
            (file_name(&c.merged), live, merged, c.live.is_some())
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    // GNU diff's file times: nanoseconds, then the zone.
    let at = timestamp(now);
    let written = format!(
        "{}.{:09} +0000",
        at.strftime("%Y-%m-%d %H:%M:%S"),
        at.subsec_nanosecond()
    );
    let mut changed = false;
    for (name, live, merged, existed) in files {
        let hunks = unified_diff::hunks(&live, &merged);
        if hunks.is_empty() {
            continue;
        }
        changed = true;
        let live_path = format!("{live_dir}/{name}");
        let merged_path = format!("{merged_dir}/{name}");
        // A file diff -N finds missing dates from the epoch.
        let live_time = if existed {
            written.clone()
        } else {
            "1970-01-01 00:00:00.000000000 +0000".to_string()
        };
        out.print(&format!(
            "diff -u -N {live_path} {merged_path}\n--- {live_path}\t{live_time}\n+++ {merged_path}\t{written}\n{hunks}"
        ));
    }
    if changed {
        out.code = 1;
    }
    out
}

/// `/tmp/LIVE-<digits>`: Go's MkdirTemp adds a random number, drawn here
/// from the moment, so the transcript is the same every time.
fn temp_dir(prefix: &str, now: u64) -> String {
    let number = digest_of(&[prefix, &now.to_string()]) % (1 << 32);
    format!("/tmp/{prefix}-{number}")
}

/// `apps.v1.StatefulSet.default.web`: group, version, kind, namespace, name.
fn file_name(object: &Object) -> String {
    let kind = object.kind();
    let version = kind.api_version().replace('/', ".");
    let namespace = if kind.namespaced() {
        format!("{}.", object.namespace())
    } else {
        String::new()
    };
    format!("{version}.{}.{namespace}{}", kind.name(), object.name())
}

/// Both sides as YAML; a Secret's values masked as kubectl masks them.
fn texts(compared: &Compared) -> (String, String) {
    let mut live = compared.live.as_ref().map(|o| o.to_json());
    let mut merged = compared.merged.to_json();
    if compared.merged.kind() == Kind::Secret {
        mask(live.as_mut(), &mut merged);
    }
    (
        live.as_ref().map(to_yaml).unwrap_or_default(),
        to_yaml(&merged),
    )
}

/// `***` for a value on one side or the same on both, `*** (before)` and
/// `*** (after)` for a changed one.
fn mask(live: Option<&mut Value>, merged: &mut Value) {
    let before = live
        .as_ref()
        .and_then(|l| l.get("data"))
        .cloned()
        .unwrap_or(Value::Null);
    let after = merged.get("data").cloned().unwrap_or(Value::Null);
    let masked = |side: &Value, other: &Value, changed: &str| -> Value {
        let Value::Object(map) = side else {
            return side.clone();
        };
        let map = map
            .iter()
            .map(|(key, value)| {
                let text = match other.get(key) {
                    Some(o) if o != value => format!("*** ({changed})"),
                    _ => "***".to_string(),
                };
                (key.clone(), Value::String(text))
            })
            .collect();
        Value::Object(map)
    };
    if let Some(data) = merged.get_mut("data") {
        *data = masked(&after, &before, "after");
    }
    if let Some(data) = live.and_then(|l| l.get_mut("data")) {
        *data = masked(&before, &after, "before");
    }
}
