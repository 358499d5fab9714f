//! `kubectl edit`: the playground's terminal has no editor to open, so it
//! says so and points to the commands that make the same change.

use super::args::{Parsed, Spec, Takes};
use super::output::Output;
use super::target;
use super::Context;
use crate::sim::Cluster;

pub const SPEC: Spec = Spec {
    flags: &[("output", Some('o'), Takes::Value)],
    not_simulated: &[
        "filename",
        "kustomize",
        "recursive",
        "windows-line-endings",
        "save-config",
        "validate",
        "field-manager",
        "subresource",
        "show-managed-fields",
        "template",
        "allow-missing-template-keys",
        "record",
    ],
};

pub fn run(cluster: &Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Output {
    if parsed.positionals.is_empty() {
        return Output::fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
    }
    let found = match target::find(cluster, ctx, parsed, &parsed.positionals, false) {
        Ok(found) => found,
        Err(out) => return out,
    };
    let mut out = Output::default();
    found.report_missing(&mut out, Some(target::namespace(parsed, ctx)));
    if let Some(object) = found.objects.first() {
        let name = format!("{}/{}", object.kind().qualified_singular(), object.name());
        out.merge(Output::error(format!(
            "stsplay's terminal cannot open an editor for {name}. Make the change with 'kubectl patch', 'kubectl set image', 'kubectl scale' or 'kubectl label', or edit the manifest in the editor and run 'kubectl apply -f FILE'."
        )));
    }
    out
}
