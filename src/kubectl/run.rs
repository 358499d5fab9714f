//! `kubectl run`: creates a pod with one container; with `-i` it waits for
//! the pod to run and attaches the terminal to its main process (a shell),
//! and with `--rm` deletes the pod when that shell exits.

use serde_json::{json, Value};

use super::args::{Parsed, Spec, Takes};
use super::attaching::{attach_to_pod, pod_running_timeout};
use super::create::{self, Generated};
use super::dry_run::DryRun;
use super::output::Output;
use super::{Context, Invocation};
use crate::container::Session;
use crate::sim::clock::Millis;
use crate::sim::object::{Kind, Object};
use crate::sim::pod_containers::{self, List};
use crate::sim::runtime_data::LogLine;
use crate::sim::{kubelet, ApiError, Cluster};

pub const SPEC: Spec = Spec {
    flags: &[
        ("image", None, Takes::Value),
        ("restart", None, Takes::Value),
        ("rm", None, Takes::Bool),
        ("stdin", Some('i'), Takes::Bool),
        ("tty", Some('t'), Takes::Bool),
        ("attach", None, Takes::Bool),
        ("command", None, Takes::Bool),
        ("env", None, Takes::Value),
        ("labels", Some('l'), Takes::Value),
        ("annotations", None, Takes::Value),
        ("port", None, Takes::Value),
        ("image-pull-policy", None, Takes::Value),
        ("quiet", Some('q'), Takes::Bool),
        ("leave-stdin-open", None, Takes::Bool),
        ("pod-running-timeout", None, Takes::Value),
        ("dry-run", None, Takes::Value),
        ("output", Some('o'), Takes::Value),
    ],
    not_simulated: &[
        "allow-missing-template-keys",
        "cascade",
        "expose",
        "field-manager",
        "filename",
        "force",
        "grace-period",
        "kustomize",
        "override-type",
        "overrides",
        "privileged",
        "recursive",
        "save-config",
        "show-managed-fields",
        "template",
        "timeout",
        "wait",
    ],
};

/// How `run -it` left things, for when the attached shell exits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub remove: bool,
    pub restart: String,
    pub tty: bool,
    pub quiet: bool,
    /// `kubectl run` waits for its pod to be running and ready before it
    /// attaches, and for a pod that does not restart to finish after, and
    /// reports how it ended. `kubectl debug` and `kubectl attach` wait for
    /// the container to run (or to have run) and return when the session ends.
    pub waits_for_exit: bool,
    /// `--pod-running-timeout`: how long `run` waits for its pod to run, and to finish.
    pub timeout: Millis,
}

fn usage(message: &str) -> Invocation {
    Output::fail(format!(
        "error: {message}\nSee 'kubectl run -h' for help and examples"
    ))
    .into()
}

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Invocation {
    let namespace = parsed
        .value("namespace")
        .unwrap_or(ctx.namespace)
        .to_string();
    // cobra checks the flag marked required before the command runs.
    let Some(image) = parsed.value("image").map(str::to_string) else {
        return Output::error("required flag(s) \"image\" not set").into();
    };
    let Some(name) = parsed.positionals.first().cloned() else {
        return usage("NAME is required for run");
    };
    let timeout = match pod_running_timeout(parsed) {
        Ok(timeout) => timeout,
        Err(err) => return usage(err),
    };
    if image.is_empty()
        || image.contains(char::is_whitespace)
        || image.chars().any(|c| c.is_ascii_uppercase())
    {
        return Output::error(format!(
            "Invalid image name \"{image}\": invalid reference format"
        ))
        .into();
    }
    let stdin = parsed.bool("stdin");
    let tty = parsed.bool("tty");
    if tty && !stdin {
        return usage("-i/--stdin is required for containers with -t/--tty=true");
    }
    let restart = match parsed.value("restart") {
        None if stdin => "OnFailure".to_string(),
        None => "Always".to_string(),
        Some(r @ ("Always" | "OnFailure" | "Never")) => r.to_string(),
        Some(other) => return usage(&format!("invalid restart policy: {other}")),
    };
    let attach = parsed.bool("attach") || stdin;
    let remove = parsed.bool("rm");
    if remove && !attach {
        return usage("--rm should only be used for attached containers");
    }
    let dry_run = match DryRun::from_flag(parsed) {
        Ok(dry_run) => dry_run,
        Err(err) => return Output::error(err).into(),
    };
    if attach && dry_run != DryRun::None {
        return usage("--dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
    }
    if let Some(policy) = parsed
        .value("image-pull-policy")
        .filter(|p| !matches!(*p, "Always" | "IfNotPresent" | "Never" | ""))
    {
        return usage(&format!("invalid image pull policy: {policy}"));
    }
    let words: Vec<String> = parsed.positionals[1..]
        .iter()
        .chain(&parsed.command)
        .cloned()
        .collect();
    let pod = match pod_json(parsed, &name, &image, &restart, &words) {
        Ok(pod) => pod,
        Err(err) => return Output::error(err).into(),
    };
    let printer = match super::formats::print_flags_printer(parsed, ctx) {
        Ok(printer) => printer,
        Err(err) => return Output::error(err).into(),
    };
    let mut object = match Object::from_json(Kind::Pod, pod) {
        Ok(o) => o,
        Err(err) => return Output::error(err).into(),
    };
    object.meta_mut().namespace = Some(namespace.clone());
    if !attach {
        let sent = Generated {
            resource: "pod",
            verb: "created",
            dry_run,
            printer,
        };
        let failed = |err: ApiError| Output::fail(err.kubectl_text());
        return create::send_generated(cluster, parsed, object, sent, failed).into();
    }
    let created = match cluster.create(object) {
        Ok(created) => created,
        Err(err) => return Output::fail(err.kubectl_text()).into(),
    };
    if let Some(text) = ctx.stdin.filter(|_| stdin && !tty) {
        // Piped in, not typed: the container reads it through to its end.
        let key = (created.uid().to_string(), name.clone());
        cluster.runtime.stdin.insert(key, text.to_string());
    }
    let attachment = Attachment {
        namespace: namespace.clone(),
        pod: name.clone(),
        container: name.clone(),
        remove,
        restart,
        tty,
        quiet: parsed.bool("quiet"),
        waits_for_exit: true,
        timeout,
    };
    attach_to_pod(cluster, attachment, stdin)
}

/// The pod `kubectl run` creates, as its generator writes it.
fn pod_json(
    parsed: &super::args::Parsed,
    name: &str,
    image: &str,
    restart: &str,
    words: &[String],
) -> Result<Value, String> {
    let mut labels = serde_json::Map::new();
    match parsed.value("labels") {
        Some(text) => {
            for pair in text.split(',') {
                let (k, v) = pair
                    .split_once('=')
                    .ok_or_else(|| format!("unexpected label spec: {pair}"))?;
                labels.insert(k.to_string(), json!(v));
            }
        }
        None => {
            labels.insert("run".to_string(), json!(name));
        }
    }
    let stdin = parsed.bool("stdin");
    let mut container = json!({
        "name": name,
        "image": image,
        "resources": {},
    });
    if stdin {
        container["stdin"] = json!(true);
        if !parsed.bool("leave-stdin-open") {
            container["stdinOnce"] = json!(true);
        }
    }
    if parsed.bool("tty") {
        container["tty"] = json!(true);
    }
    if !words.is_empty() {
        container[if parsed.bool("command") {
            "command"
        } else {
            "args"
        }] = json!(words);
    }
    let env: Result<Vec<Value>, String> = parsed
        .values("env")
        .into_iter()
        .map(|e| {
            e.split_once('=')
                .map(|(k, v)| json!({"name": k, "value": v}))
                .ok_or_else(|| format!("invalid env: {e}"))
        })
        .collect();
    let env = env?;
    if !env.is_empty() {
        container["env"] = json!(env);
    }
    if let Some(port) = parsed.value("port") {
        let port: i32 = port
            .parse()
            .map_err(|_| "--port must be a number".to_string())?;
        container["ports"] = json!([{ "containerPort": port }]);
    }
    if let Some(policy) = parsed.value("image-pull-policy").filter(|p| !p.is_empty()) {
        container["imagePullPolicy"] = json!(policy);
    }
    let mut metadata = json!({ "name": name, "labels": labels });
    if let Some(text) = parsed.value("annotations") {
        let mut annotations = serde_json::Map::new();
        for pair in text.split(',') {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| format!("invalid annotation spec: {pair}"))?;
            annotations.insert(k.to_string(), json!(v));
        }
        metadata["annotations"] = Value::Object(annotations);
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": {
            "containers": [container],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": restart,
        },
        "status": {},
    }))
}

/// What kubectl attach says as it attaches.
pub(super) fn attach_notes(out: &mut Output) {
    out.err("All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.");
    out.err("If you don't see a command prompt, try pressing enter.");
}

/// The attached shell exited with `code`: the pod's main process ends with
/// it. With `defer` the caller holds what kubectl still waits for.
pub(super) fn after_session(
    cluster: &mut Cluster,
    a: &Attachment,
    code: i32,
    defer: bool,
) -> Invocation {
    kubelet::main_process_exited(cluster, &a.namespace, &a.pod, &a.container, code);
    let mut out = Output::default();
    if a.restart == "Always" && a.tty && !a.quiet {
        let pod = cluster
            .store()
            .get_typed::<k8s_openapi::api::core::v1::Pod>(&a.namespace, &a.pod);
        let list = pod.and_then(|p| pod_containers::find(p, &a.container));
        out.out(match list {
            Some((List::Ephemeral, _)) => format!("Session ended, the ephemeral container will not be restarted but may be reattached using 'kubectl attach {} -c {} -i -t' if it is still running", a.pod, a.container),
            _ => format!("Session ended, resume using 'kubectl attach {} -c {} -i -t' command when the pod is running", a.pod, a.container),
        });
    }
    super::attaching::wait_after_exit(cluster, a, defer).after(out)
}

/// What an attached main-process shell shows goes to the container's log, as a TTY's output does.
pub fn record(cluster: &mut Cluster, session: &Session, text: &str) {
    let Some(inside) = session.inside(cluster) else {
        return;
    };
    let now = cluster.now();
    for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
        cluster.runtime.log(
            &inside.uid,
            &session.target.container,
            LogLine {
                at: now,
                stream: crate::sim::runtime_data::LogStream::Stdout,
                text: line.to_string(),
            },
        );
    }
}
