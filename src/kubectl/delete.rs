//! `kubectl delete`: by name, `type/name`, `-l`, `--all` or `-f`, with
//! `--cascade`, `--grace-period`, `--force`/`--now`, `--wait`, `--dry-run`
//! and `-o name`.

use super::args::{parse_bool, Parsed, Spec, Takes};
use super::blocking::DEFAULT_LIMIT;
use super::dry_run::DryRun;
use super::get::requests;
use super::output::Output;
use super::selector::Selector;
use super::target;
use super::waiting::Deadline;
use super::Context;
use crate::sim::clock::Millis;
use crate::sim::object::{Kind, ObjectKey};
use crate::sim::{Cluster, DeleteOptions, Propagation};

pub const SPEC: Spec = Spec {
    flags: &[
        ("filename", Some('f'), Takes::Value),
        ("selector", Some('l'), Takes::Value),
        ("all", None, Takes::Bool),
        ("all-namespaces", Some('A'), Takes::Bool),
        ("grace-period", None, Takes::Int),
        ("force", None, Takes::Bool),
        ("now", None, Takes::Bool),
        ("wait", None, Takes::Bool),
        ("cascade", None, Takes::Value),
        ("ignore-not-found", None, Takes::Bool),
        ("timeout", None, Takes::Duration),
        ("recursive", Some('R'), Takes::Bool),
        ("dry-run", None, Takes::Value),
        ("output", Some('o'), Takes::Value),
    ],
    not_simulated: &["field-selector", "interactive", "raw", "kustomize"],
};

/// What the command printed, and the deleted objects it then waits for
/// (`--wait`, the default).
pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> (Output, Option<Gone>) {
    let namespace = parsed
        .value("namespace")
        .unwrap_or(ctx.namespace)
        .to_string();
    let mut out = Output::default();
    let options = match options(parsed, &mut out) {
        Ok(o) => o,
        Err(err) => return (err, None),
    };
    let dry_run = match DryRun::from_flag(parsed) {
        Ok(dry_run) => dry_run,
        Err(err) => return (Output::error(err), None),
    };
    let targets = match targets(cluster, ctx, parsed, &namespace, &mut out) {
        Ok(t) => t,
        Err(err) => return (err, None),
    };
    let by_name = match parsed.value("output") {
        None | Some("") => false,
        Some("name") => true,
        Some(other) => {
            return (
                Output::error(format!(
                    "unexpected -o output mode: {other}. We only support '-o name'"
                )),
                None,
            )
        }
    };
    let force = parsed.bool("force") && options.grace_seconds == Some(0);
    if force {
        out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    let verb = if force { "force deleted" } else { "deleted" };
    let mut copy = None;
    let mut deleted = Vec::new();
    for key in targets {
        let uid = cluster.store().get(&key).map(|o| o.uid().to_string());
        // kubectl's builder does not fetch named objects: a client dry run asks nothing.
        let result = match dry_run.cluster(cluster, &mut copy) {
            None => Ok(()),
            Some(target) => target.delete(&key, &options).map(|_| ()),
        };
        match result {
            Ok(()) => {
                out.out(if by_name {
                    format!("{}/{}", key.kind.qualified_singular(), key.name)
                } else {
                    format!("{}{}", deleted_line(&key, verb), dry_run.note())
                });
                deleted.push((key, uid.unwrap_or_default()));
            }
            Err(err)
                if err.reason == crate::sim::errors::Reason::NotFound
                    && parsed.bool("ignore-not-found") => {}
            Err(err) => {
                out.err(err.kubectl_text());
                out.code = 1;
            }
        }
    }
    if parsed.bool_or("wait", true) && dry_run == DryRun::None {
        // kubectl waits a week when --timeout is 0 or not given; stsplay
        // stops after its usual bound and says so.
        let timeout = parsed.duration("timeout").filter(|t| *t > 0);
        return (out, Some(Gone::new(cluster, deleted, timeout)));
    }
    (out, None)
}

/// `statefulset.apps "web" deleted from default namespace`.
pub fn deleted_line(key: &ObjectKey, verb: &str) -> String {
    let place = if key.kind.namespaced() {
        format!(" from {} namespace", key.namespace)
    } else {
        String::new()
    };
    format!(
        "{} \"{}\" {verb}{place}",
        key.kind.qualified_singular(),
        key.name
    )
}

/// The delete options the flags ask for; a boolean `--cascade`, which
/// kubectl still takes, is reported on `out` as deprecated.
pub fn options(parsed: &Parsed, out: &mut Output) -> Result<DeleteOptions, Output> {
    let cascade = parsed.value("cascade").unwrap_or("background");
    let propagation = match (cascade, parse_bool(cascade)) {
        ("background", _) => Propagation::Background,
        ("foreground", _) => Propagation::Foreground,
        ("orphan", _) => Propagation::Orphan,
        (_, Some(cascading)) => {
            let (propagation, instead) = if cascading {
                (Propagation::Background, "background")
            } else {
                (Propagation::Orphan, "orphan")
            };
            out.err(format!("warning: --cascade={cascade} is deprecated (boolean value) and can be replaced with --cascade={instead}."));
            propagation
        }
        (other, None) => return Err(Output::error(format!("invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""))),
    };
    let mut grace = parsed.int("grace-period").filter(|n| *n >= 0);
    if parsed.bool("now") {
        if grace.is_some() {
            return Err(Output::error(
                "--now and --grace-period cannot be specified together",
            ));
        }
        grace = Some(1);
    }
    if parsed.bool("force") {
        grace = Some(grace.unwrap_or(0));
    } else if grace == Some(0) {
        // Without --force a zero grace period means "as fast as possible": 1 s.
        grace = Some(1);
    }
    Ok(DeleteOptions {
        grace_seconds: grace,
        propagation,
    })
}

fn targets(
    cluster: &Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
    namespace: &str,
    out: &mut Output,
) -> Result<Vec<ObjectKey>, Output> {
    let scope = |kind: Kind| {
        if kind.namespaced() {
            namespace.to_string()
        } else {
            String::new()
        }
    };
    if !parsed.values("filename").is_empty() {
        return target::in_files(ctx, parsed, namespace, out);
    }
    if parsed.positionals.is_empty() {
        return Err(Output::fail(target::NO_RESOURCES_GIVEN));
    }
    let requests = requests(&parsed.positionals)?;
    let selector = parsed.value("selector");
    let mut keys = Vec::new();
    for (kind, names) in requests {
        if !names.is_empty() {
            keys.extend(names.iter().map(|n| ObjectKey::new(kind, &scope(kind), n)));
            continue;
        }
        if selector.is_none() && !parsed.bool("all") {
            return Err(Output::error(
                "resource(s) were provided, but no name was specified",
            ));
        }
        let selector = Selector::parse(selector.unwrap_or("")).map_err(Output::error)?;
        let ns = scope(kind);
        let matched: Vec<ObjectKey> = cluster
            .store()
            .list(kind)
            .filter(|o| !kind.namespaced() || o.namespace() == ns)
            .filter(|o| selector.matches(o.meta().labels.as_ref()))
            .map(|o| o.key())
            .collect();
        if matched.is_empty() {
            out.err(super::get::no_resources(
                &kind.namespaced().then(|| ns.clone()),
            ));
        }
        keys.extend(matched);
    }
    Ok(keys)
}

/// `--wait`: the deleted objects, until each is gone. An object of the
/// same name with another uid (a StatefulSet's replacement pod) is a new
/// one: kubectl's wait compares uids.
#[derive(Clone, Debug)]
pub struct Gone {
    deleted: Vec<(ObjectKey, String)>,
    pub(super) deadline: Deadline,
}

impl Gone {
    /// Waits up to `timeout`, or without one as long as the playground lets it.
    pub fn new(
        cluster: &Cluster,
        deleted: Vec<(ObjectKey, String)>,
        timeout: Option<Millis>,
    ) -> Gone {
        Gone {
            deleted,
            deadline: Deadline {
                at: cluster
                    .now()
                    .saturating_add(timeout.unwrap_or(DEFAULT_LIMIT)),
                kubectl: timeout.is_some(),
            },
        }
    }

    fn still_there(&self, cluster: &Cluster) -> Option<&ObjectKey> {
        self.deleted
            .iter()
            .find(|(key, uid)| cluster.store().get(key).is_some_and(|o| o.uid() == uid))
            .map(|(key, _)| key)
    }

    pub(super) fn check(&self, cluster: &Cluster) -> bool {
        self.still_there(cluster).is_none()
    }

    pub(super) fn expire(&self, cluster: &Cluster, out: &mut Output) {
        let Some(key) = self.still_there(cluster) else {
            return;
        };
        let resource = format!("{}/{}", key.kind.plural(), key.name);
        out.merge(Output::error(if self.deadline.kubectl {
            format!("timed out waiting for the condition on {resource}")
        } else {
            format!(
                "stsplay stopped waiting for {resource} to be deleted after 10m of simulated time (kubectl would wait until it is gone or you press Ctrl-C)"
            )
        }));
    }
}
