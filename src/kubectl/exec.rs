//! `kubectl exec`: runs a command in a container, or attaches the terminal
//! to a shell in it (`-it … -- sh`) until the shell exits.

use k8s_openapi::api::core::v1::Pod;

use super::args::{Parsed, Spec, Takes};
use super::output::Output;
use super::pod_for::{find_pod, NoPod, Purpose};
use super::{Context, Invocation};
use crate::container::{self, Inside, Session, Target};
use crate::shell::{Chunk, Sink};
use crate::sim::fast_hash::hex_id;
use crate::sim::pod_containers::{self, List};
use crate::sim::{pods, Cluster};

pub const SPEC: Spec = Spec {
    flags: &[
        ("container", Some('c'), Takes::Value),
        ("stdin", Some('i'), Takes::Bool),
        ("tty", Some('t'), Takes::Bool),
        ("quiet", Some('q'), Takes::Bool),
        ("pod-running-timeout", None, Takes::Value),
    ],
    not_simulated: &["filename"],
};

/// What stays attached to the terminal after a kubectl command returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attach {
    /// A shell in a container; the terminal's lines go to it until it exits.
    Shell(Box<Attached>),
    /// `logs -f`: new log lines until the container stops.
    Logs(super::logs::LogFollow),
    /// `edit`: the buffer waits for an editor; saving it finishes the edit.
    Editor(Box<super::edit::EditSession>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attached {
    pub session: Session,
    pub then: AfterExit,
}

/// What kubectl does when the attached shell exits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterExit {
    /// `exec`: report a non-zero exit status.
    Exec,
    /// `run -it`: the shell was the pod's main process; wait for the pod, maybe delete it.
    Run(super::run::Attachment),
}

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Invocation {
    let namespace = parsed
        .value("namespace")
        .unwrap_or(ctx.namespace)
        .to_string();
    if parsed.positionals.is_empty() {
        return Output::error("pod, type/name or --filename must be specified").into();
    }
    if parsed.positionals.len() > 1 {
        return Output::fail("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples").into();
    }
    if parsed.command.is_empty() {
        return Output::error("you must specify at least one command for the container").into();
    }
    let mut out = Output::default();
    let inside = match container_for(
        cluster,
        "exec into",
        &namespace,
        &parsed.positionals[0],
        parsed.value("container"),
        parsed.bool("quiet"),
        &mut out,
    ) {
        Ok(inside) => inside,
        Err(err) => return err.into(),
    };
    let argv = parsed.command.clone();
    if !inside.runs(cluster, &argv[0]) {
        out.merge(not_executable(cluster, &inside, &argv[0]));
        return out.into();
    }
    let mut tty = parsed.bool("tty") && parsed.bool("stdin");
    if parsed.bool("tty") && ctx.stdin.is_some() {
        out.err("Unable to use a TTY - input is not a terminal or the right kind of file");
        tty = false;
    }
    if parsed.bool("stdin") && ctx.stdin.is_none() && is_interactive_shell(&argv) {
        let session = Session::new(cluster, &inside, &argv[0], tty);
        return Invocation {
            attach: Some(Attach::Shell(Box::new(Attached {
                session,
                then: AfterExit::Exec,
            }))),
            ..out.into()
        };
    }
    if let Some(args) = crate::container::mysql_prompt_args(&argv)
        .filter(|_| parsed.bool("stdin") && ctx.stdin.is_none())
    {
        return match mysql_prompt(cluster, &inside, args, tty, &mut out) {
            Ok(session) => Invocation {
                attach: Some(Attach::Shell(Box::new(Attached {
                    session,
                    then: AfterExit::Exec,
                }))),
                ..out.into()
            },
            Err(code) => {
                out.err(format!("command terminated with exit code {code}"));
                out.code = code;
                out.into()
            }
        };
    }
    let stdin = if parsed.bool("stdin") {
        ctx.stdin.map(str::to_string)
    } else {
        None
    };
    let (sink, code) = container::exec(cluster, &inside, &argv, stdin, tty, ctx.budget);
    // The command may have changed what exec probes see.
    crate::sim::kubelet::commands_ran(cluster, &inside.target.namespace, &inside.target.pod);
    finish(out, sink, code, tty)
}

/// The running container a command is executed in or attached to (`kubectl
/// exec`, `cp`, `attach`, whose refusal of a completed pod names its
/// `action`): the pod `pod_ref` names, its container `container` or the
/// default one (with kubectl's note in `out` when it chose among several),
/// or what the apiserver and kubelet answer when there is none to reach.
pub(super) fn container_for(
    cluster: &mut Cluster,
    action: &str,
    namespace: &str,
    pod_ref: &str,
    container: Option<&str>,
    quiet: bool,
    out: &mut Output,
) -> Result<Inside, Output> {
    let pod = match find_pod(cluster, namespace, pod_ref, Purpose::Exec) {
        Ok(chosen) => chosen.pod,
        Err(NoPod::NotFound(kind, name)) => {
            return Err(Output::fail(format!(
                "Error from server (NotFound): {} \"{name}\" not found",
                kind.qualified_plural()
            )))
        }
        Err(NoPod::Failed(err)) => return Err(err),
    };
    let phase = pods::phase(&pod);
    if phase == "Succeeded" || phase == "Failed" {
        return Err(Output::error(format!(
            "cannot {action} a container in a completed pod; current phase is {phase}"
        )));
    }
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
    let container = choose_container(&pod, container, quiet, out).map_err(|bad| {
        Output::fail(format!(
            "Error from server (BadRequest): container {bad} is not valid for pod {pod_name}"
        ))
    })?;
    let target = Target {
        namespace: namespace.to_string(),
        pod: pod_name,
        container,
    };
    reachable(cluster, &pod, &target)
}

/// A shell started with no script: it reads commands from the terminal.
pub fn is_interactive_shell(argv: &[String]) -> bool {
    let name = argv[0].rsplit('/').next().unwrap_or(&argv[0]);
    matches!(name, "sh" | "bash" | "ash" | "dash" | "zsh")
        && !argv[1..]
            .iter()
            .any(|a| (a.starts_with('-') && a.contains('c')) || !a.starts_with('-'))
}

/// `-c NAME`, the default-container annotation, or the first container
/// (with kubectl's note when there were several). Err: the named container
/// is not in the pod.
pub(super) fn choose_container(
    pod: &Pod,
    requested: Option<&str>,
    quiet: bool,
    out: &mut Output,
) -> Result<String, String> {
    if let Some(name) = requested {
        return match pod_containers::find(pod, name) {
            Some(_) => Ok(name.to_string()),
            None => Err(name.to_string()),
        };
    }
    let names = pod_containers::names(pod);
    let containers: Vec<String> = names
        .iter()
        .filter(|(list, _)| *list == List::Main)
        .map(|(_, name)| name.to_string())
        .collect();
    let annotated = pod
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("kubectl.kubernetes.io/default-container"));
    if let Some(name) = annotated.filter(|n| pod_containers::find(pod, n).is_some()) {
        return Ok(name.clone());
    }
    let first = containers.first().cloned().unwrap_or_default();
    if names.len() > 1 && !quiet {
        // AllContainerNames: the containers, the ephemeral ones, the init ones.
        let marks = [
            (List::Main, ""),
            (List::Ephemeral, " (ephem)"),
            (List::Init, " (init)"),
        ];
        let all: Vec<String> = marks
            .into_iter()
            .flat_map(|(wanted, mark)| {
                names
                    .iter()
                    .filter(move |(list, _)| *list == wanted)
                    .map(move |(_, name)| format!("{name}{mark}"))
            })
            .collect();
        out.err(format!(
            "Defaulted container \"{first}\" out of: {}",
            all.join(", ")
        ));
    }
    Ok(first)
}

/// The container, if the kubelet can open a stream to it: the pod must be
/// on a node and the container running (the apiserver wraps the kubelet's
/// refusal as an Internal error, as the WebSocket upgrade reports it).
fn reachable(cluster: &Cluster, pod: &Pod, target: &Target) -> Result<Inside, Output> {
    if pods::node_name(pod).is_none() {
        return Err(Output::fail(format!(
            "Error from server (BadRequest): pod {} does not have a host assigned",
            target.pod
        )));
    }
    let inside = Inside::of(cluster, target).filter(|i| i.running(cluster));
    inside.ok_or_else(|| {
        Output::error(format!(
            "Internal error occurred: unable to upgrade connection: container not found (\"{}\")",
            target.container
        ))
    })
}

/// containerd's answer when the program is not in the image. kubectl 1.34
/// streams over WebSockets, whose failed upgrade wraps the kubelet's
/// Internal error in the apiserver's once more; containerd 2.1's runc adds
/// no `: unknown`.
pub(super) fn not_executable(cluster: &Cluster, inside: &Inside, program: &str) -> Output {
    let seed = format!("{}{}{}", inside.uid, cluster.now(), program);
    let id = hex_id(&seed);
    Output::error(format!(
        "Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{id}\": {}",
        crate::container::image::exec_failed(program)
    ))
}

/// kubectl's result for a finished remote command: with a terminal, stderr
/// arrives on stdout; a non-zero status is reported and becomes kubectl's.
pub(super) fn finish(mut out: Output, mut sink: Sink, code: i32, tty: bool) -> Invocation {
    // The container shell's own limit messages are its stderr, as kubectl sees them.
    for note in std::mem::take(&mut sink.notes) {
        sink.err_line(note);
    }
    for chunk in sink.chunks {
        match chunk {
            Chunk::Err(text) if !tty => out.print_err(&text),
            Chunk::Out(text) | Chunk::Err(text) => out.print(&text),
            Chunk::Clear => {}
        }
    }
    if code != 0 {
        out.err(format!("command terminated with exit code {code}"));
        out.code = code;
    }
    out.into()
}

/// The mysql client's prompt, attached to: its greeting (which ends with a
/// blank line) printed, or its error and the client's exit status.
pub(super) fn mysql_prompt(
    cluster: &mut Cluster,
    inside: &Inside,
    args: &[String],
    tty: bool,
    out: &mut Output,
) -> Result<Session, i32> {
    match Session::mysql(cluster, inside, args, tty) {
        Ok((session, greeting)) => {
            out.out(greeting.trim_end_matches('\n'));
            out.out("");
            Ok(session)
        }
        Err((error, code)) => {
            out.err(error);
            Err(code)
        }
    }
}

/// The attached shell exited with `code`: what kubectl prints then, and
/// with `defer` (the caller moves the clock, as for
/// [`super::Context::defer_waits`]) what it still waits for.
pub fn detach(cluster: &mut Cluster, attached: Attached, code: i32, defer: bool) -> Invocation {
    match attached.then {
        AfterExit::Exec => {
            let mut out = Output::default();
            if code != 0 {
                out.err(format!("command terminated with exit code {code}"));
                out.code = code;
            }
            out.into()
        }
        AfterExit::Run(attachment) => super::run::after_session(cluster, &attachment, code, defer),
    }
}

/// Whether an attached shell's container still runs; if not, kubectl's stream has ended.
pub fn still_attached(cluster: &Cluster, attached: &Attached) -> bool {
    attached.session.inside(cluster).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::words;

    #[test]
    fn interactive_shells() {
        assert!(is_interactive_shell(&words("sh")));
        assert!(is_interactive_shell(&words("/bin/bash -l")));
        assert!(!is_interactive_shell(&words("sh -c hostname")));
        assert!(!is_interactive_shell(&words("sh script.sh")));
        assert!(!is_interactive_shell(&words("curl localhost")));
    }
}
