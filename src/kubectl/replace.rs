//! `kubectl replace -f`: each object as the file has it, over the live one
//! (an update, not a merge: what the file leaves out is gone). With
//! `--force` the live objects are deleted first, kubectl waits until they are
//! gone, and creates them again: the way out when a StatefulSet's spec
//! may not be changed in place.

use std::collections::BTreeMap;

use super::apply::{self, Mode};
use super::args::{Parsed, Spec, Takes};
use super::delete::{self, Gone};
use super::dry_run::DryRun;
use super::manifest::FieldValidation;
use super::output::Output;
use super::waiting::Deadline;
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

/// What the command printed, and with `--force` the wait before its creates.
pub fn run(
    cluster: &mut Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
) -> (Output, Option<Replacing>) {
    if let Some(refusal) = apply::unexpected_args(parsed, Mode::Replace) {
        return (refusal, None);
    }
    if parsed.values("filename").is_empty() {
        return (Output::error("must specify --filename to replace"), None);
    }
    let (validation, dry_run) = match apply::sending_flags(parsed) {
        Ok(flags) => flags,
        Err(out) => return (out, None),
    };
    if !parsed.bool("force") {
        let mut out = Output::default();
        let sending = (validation, Mode::Replace, dry_run);
        apply::send_all(cluster, ctx, parsed, sending, &mut out);
        return (out, None);
    }
    if dry_run != DryRun::None {
        return (
            Output::error("--dry-run can not be used when --force is set"),
            None,
        );
    }
    match delete_all(cluster, ctx, parsed, validation) {
        Ok((out, gone)) => (out, Some(Replacing::new(gone, ctx, parsed, validation))),
        Err(out) => (out, None),
    }
}

/// `--force`'s first half: deletes everything the files name, printing a
/// line for each; what they cannot be read for is reported once, by the
/// creates.
fn delete_all(
    cluster: &mut Cluster,
    ctx: &Context<'_>,
    parsed: &Parsed,
    validation: FieldValidation,
) -> Result<(Output, Gone), Output> {
    let mut out = Output::default();
    let options = delete::options(parsed, &mut out)?;
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
    Ok((out, Gone::new(cluster, deleted, None)))
}

/// `--force` between its deletes and its creates: kubectl waits until the
/// deleted objects are gone, then creates them. The wait outlives the
/// command line and its context, so it keeps what the creates read: the
/// files as they were when the command began (kubectl, too, keeps its
/// standard input to read it twice).
#[derive(Clone, Debug)]
pub struct Replacing {
    gone: Gone,
    parsed: Parsed,
    validation: FieldValidation,
    namespace: String,
    files: BTreeMap<String, String>,
    stdin: Option<String>,
}

impl Replacing {
    fn new(
        gone: Gone,
        ctx: &Context<'_>,
        parsed: &Parsed,
        validation: FieldValidation,
    ) -> Replacing {
        Replacing {
            gone,
            parsed: parsed.clone(),
            validation,
            namespace: ctx.namespace.to_string(),
            files: ctx.files.clone(),
            stdin: ctx.stdin.map(str::to_string),
        }
    }

    pub(super) fn deadline(&self) -> Deadline {
        self.gone.deadline
    }

    /// Creates the objects once the deleted ones are gone; true then.
    pub(super) fn check(&self, cluster: &mut Cluster, out: &mut Output) -> bool {
        let gone = self.gone.check(cluster);
        if gone {
            self.create(cluster, out);
        }
        gone
    }

    /// The wait is over all the same: an object that would not go makes its
    /// create fail, which says so.
    pub(super) fn expire(&self, cluster: &mut Cluster, out: &mut Output) {
        self.create(cluster, out);
    }

    fn create(&self, cluster: &mut Cluster, out: &mut Output) {
        // Sending reads no kubeconfig and runs no shell: a plain context
        // over what was kept will do.
        let ctx = Context {
            stdin: self.stdin.as_deref(),
            ..Context::plain(&self.namespace, &self.files)
        };
        let sending = (self.validation, Mode::ForceReplace, DryRun::None);
        apply::send_all(cluster, &ctx, &self.parsed, sending, out);
    }
}
