//! `kubectl attach POD [-c CONTAINER] [-i] [-t]`: joins a running container's
//! main process, which is what `kubectl run -it` and `kubectl debug -it`
//! tell the user to do after their session ends ("Session ended, resume
//! using 'kubectl attach …' command when the pod is running"). With `-i` a
//! shell that reads its stdin takes the terminal again; otherwise the
//! process's new output streams until Ctrl+C.

use super::args::{Parsed, Spec};
use super::attaching::{attach_to_pod, pod_running_timeout};
use super::exec::container_for;
use super::output::Output;
use super::run::{attach_notes, Attachment};
use super::{Context, Invocation};
use crate::sim::Cluster;

/// kubectl attach takes exec's flags, `--filename` aside.
pub const SPEC: Spec = Spec {
    flags: super::exec::SPEC.flags,
    not_simulated: &[],
};

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Invocation {
    let namespace = parsed.value("namespace").unwrap_or(ctx.namespace);
    let reference = match parsed.positionals.as_slice() {
        [] => return Output::error("at least 1 argument is required for attach").into(),
        [one] => one.clone(),
        [kind, name] => format!("{kind}/{name}"),
        more => {
            return Output::error(format!(
                "expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw {}: [{}]",
                more.len(),
                more.join(" ")
            ))
            .into()
        }
    };
    let timeout = match pod_running_timeout(parsed) {
        Ok(timeout) => timeout,
        Err(err) => return Output::error(err).into(),
    };
    let quiet = parsed.bool("quiet");
    let mut out = Output::default();
    let inside = match container_for(
        cluster,
        "attach",
        namespace,
        &reference,
        parsed.value("container"),
        quiet,
        &mut out,
    ) {
        Ok(inside) => inside,
        Err(err) => return Invocation::from(err).after(out),
    };
    let container = &inside.container;
    let mut tty = parsed.bool("tty");
    if tty && container.tty != Some(true) {
        tty = false;
        if !quiet {
            out.err(format!(
                "error: Unable to use a TTY - container {} did not allocate one",
                container.name
            ));
        }
    } else if !tty && container.tty == Some(true) {
        // A container started with a TTY is attached with one.
        tty = true;
    }
    let stdin = parsed.bool("stdin") && container.stdin == Some(true);
    if stdin {
        let attachment = Attachment {
            namespace: namespace.to_string(),
            pod: inside.target.pod.clone(),
            container: container.name.clone(),
            remove: false,
            restart: inside
                .pod
                .spec
                .as_ref()
                .and_then(|s| s.restart_policy.clone())
                .unwrap_or_else(|| "Always".to_string()),
            tty,
            quiet,
            waits_for_exit: false,
            timeout,
        };
        attach_to_pod(cluster, attachment, true).after(out)
    } else {
        if !quiet {
            attach_notes(&mut out);
        }
        // What the process writes from now on.
        let follow = [("follow", "true"), ("tail", "0")];
        super::logs::of_container(cluster, &inside.target, &follow).after(out)
    }
}
