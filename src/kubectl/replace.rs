//! `kubectl replace -f`: each object as the file has it, over the live one
//! (an update, not a merge: what the file leaves out is gone). With
//! `--force` the live objects are deleted first, kubectl waits until they are
//! gone, and creates them again: the way out when a StatefulSet's spec
//! may not be changed in place.

use super::apply::{self, Mode};
use super::args::{Parsed, Spec, Takes};
use super::delete;
use super::dry_run::DryRun;
use super::output::Output;
use super::waiting::Waiting;
use super::Context;
use crate::sim::{Cluster, ObjectKey};

pub const SPEC: Spec = Spec {
    flags: &[
        ("filename", Some('f'), Takes::Value),
        ("recursive", Some('R'), Takes::Bool),
        ("validate", None, Takes::Value),
        ("force", None, Takes::Bool),
        ("cascade", None, Takes::Value),
        ("grace-period", None, Takes::Value),
        ("dry-run", None, Takes::Value),
    ],
    not_simulated: &[
        "allow-missing-template-keys",
        "field-manager",
        "kustomize",
        "output",
        "raw",
        "save-config",
        "show-managed-fields",
        "subresource",
        "template",
        "timeout",
        "wait",
    ],
};

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Output {
    if let Some(refusal) = apply::unexpected_args(parsed, Mode::Replace) {
        return refusal;
    }
    if parsed.values("filename").is_empty() {
        return Output::error("must specify --filename to replace");
    }
    let (validation, dry_run) = match apply::sending_flags(parsed) {
        Ok(flags) => flags,
        Err(out) => return out,
    };
    let force = parsed.bool("force");
    if force && dry_run != DryRun::None {
        return Output::error("--dry-run can not be used when --force is set");
    }
    let mut out = Output::default();
    if force {
        let options = match delete::options(parsed, &mut out) {
            Ok(options) => options,
            Err(out) => return out,
        };
        // Everything the files name is deleted first; what they cannot be
        // read for is reported once, below.
        let mut keys: Vec<ObjectKey> = Vec::new();
        let mut unread = Output::default();
        apply::each_document(
            cluster,
            ctx,
            parsed,
            validation,
            Mode::ForceReplace,
            &mut unread,
            |_, document, _, _| {
                keys.push(apply::document_key(ctx, parsed, &document));
                Ok(())
            },
        );
        let mut deleted = Vec::new();
        for key in keys {
            let uid = cluster.store().get(&key).map(|o| o.uid().to_string());
            if let (Some(uid), Ok(_)) = (uid, cluster.delete(&key, &options)) {
                out.out(delete::deleted_line(&key, "deleted"));
                deleted.push((key, uid));
            }
        }
        // An object that will not go makes the create below fail.
        Waiting::Gone(delete::Gone::new(cluster, deleted, None)).finish(cluster);
    }
    let mode = if force {
        Mode::ForceReplace
    } else {
        Mode::Replace
    };
    apply::send_all(cluster, ctx, parsed, (validation, mode, dry_run), &mut out);
    out
}
