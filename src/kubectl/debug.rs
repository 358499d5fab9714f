//! `kubectl debug POD --image=IMAGE`: a debug container added to the running
//! pod as an ephemeral container (`--target=C` names the container whose
//! processes it sees), `-it` attaching to it; or with `--copy-to=NAME` a copy
//! of the pod to debug in, as kubectl 1.34 makes it with its default
//! ("legacy") profile: the spec as it is (probes, init containers,
//! annotations), without the labels and owner (so no controller adopts it or
//! sends it traffic), off its node unless `--same-node`, with a container
//! changed (`--container=nginx -- sh`, a crash-looping container made to
//! wait) or added (`--image=busybox`). Node debugging is not simulated.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, EphemeralContainer, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::args::{Parsed, Spec, Takes};
use super::output::Output;
use super::run::{attach_to_pod, Attachment};
use super::{Context, Invocation};
use crate::sim::{ephemeral, pod_containers, Cluster, DeleteOptions, Kind, Object, ObjectKey};

pub const SPEC: Spec = Spec {
    flags: &[
        ("arguments-only", None, Takes::Bool),
        ("attach", None, Takes::Bool),
        ("container", Some('c'), Takes::Value),
        ("copy-to", None, Takes::Value),
        ("replace", None, Takes::Bool),
        ("image", None, Takes::Value),
        ("image-pull-policy", None, Takes::Value),
        ("set-image", None, Takes::Value),
        ("stdin", Some('i'), Takes::Bool),
        ("tty", Some('t'), Takes::Bool),
        ("quiet", Some('q'), Takes::Bool),
        ("same-node", None, Takes::Bool),
        ("share-processes", None, Takes::Bool),
        ("target", None, Takes::Value),
        ("profile", None, Takes::Value),
    ],
    not_simulated: &[
        "env",
        "custom",
        "filename",
        "keep-labels",
        "keep-annotations",
        "keep-liveness",
        "keep-readiness",
        "keep-startup",
        "keep-init-containers",
    ],
};

const PROFILES: [&str; 6] = [
    "legacy",
    "general",
    "baseline",
    "netadmin",
    "restricted",
    "sysadmin",
];

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Invocation {
    let namespace = parsed.value("namespace").unwrap_or(ctx.namespace);
    let image = parsed.value("image").unwrap_or("");
    let container = parsed.value("container").unwrap_or("");
    let copy_to = parsed.value("copy-to").unwrap_or("");
    let set_images = match set_images(parsed.value("set-image").unwrap_or("")) {
        Ok(pairs) => pairs,
        Err(err) => return Output::error(err).into(),
    };
    let args = &parsed.command;
    let stdin = parsed.bool("stdin");
    let attach = parsed.value("attach").map_or(stdin, |v| v == "true");
    // Complete reads the profile before Validate runs.
    let profile = parsed.value("profile").unwrap_or("legacy");
    if !PROFILES.contains(&profile) {
        return Output::error(format!("unknown profile: {profile}")).into();
    }
    let wanted = Wanted {
        image,
        container,
        copy_to,
        set_images: &set_images,
        args,
    };
    if let Err(invalid) = validate(parsed, &wanted) {
        return Output::error(invalid).into();
    }
    let mut out = Output::default();
    if let Some(target) = parsed.value("target").filter(|_| !parsed.bool("quiet")) {
        out.out(format!("Targeting container \"{target}\". If you don't see processes from this container it may be because the container runtime doesn't support this feature."));
    }
    if profile == "legacy" {
        out.err("--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example \"--profile=general\".");
    }
    if profile != "legacy" {
        return refused(out, &format!("stsplay simulates kubectl debug's default profile (legacy); --profile={profile} is not simulated"));
    }
    let target = &parsed.positionals[0];
    let pod_name = match target.split_once('/') {
        Some(("pod" | "pods" | "po", name)) => name,
        Some(("node" | "nodes" | "no", _)) => {
            return refused(out, "stsplay does not simulate debugging a node (a pod in the node's namespaces); debug one of its pods: kubectl debug POD -it --image=busybox")
        }
        Some((kind, _)) => {
            // The builder finds the object; debug then takes only pods and nodes.
            let refused = match super::resources::resolve(kind) {
                Some(kind) => {
                    // Go's GroupVersionKind.String(): "apps/v1, Kind=StatefulSet", "/v1, Kind=Service".
                    let version = kind.api_version().rsplit('/').next().unwrap_or("v1");
                    format!("\"{}/{version}, Kind={}\" not supported by debug", kind.group(), kind.name())
                }
                None => format!("the server doesn't have a resource type \"{kind}\""),
            };
            return Invocation::from(Output::error(refused)).after(out);
        }
        None => target.as_str(),
    };
    let Some(pod) = cluster
        .store()
        .get_typed::<Pod>(namespace, pod_name)
        .cloned()
    else {
        let missing = format!("Error from server (NotFound): pods \"{pod_name}\" not found");
        return Invocation::from(Output::fail(missing)).after(out);
    };
    if copy_to.is_empty() {
        let added = Ephemeral {
            wanted: &wanted,
            target: parsed.value("target").filter(|t| !t.is_empty()),
            args_only: parsed.bool("arguments-only"),
            pull_policy: parsed.value("image-pull-policy").filter(|p| !p.is_empty()),
            stdin,
            tty: parsed.bool("tty"),
            quiet: parsed.bool("quiet"),
        };
        return added.run(cluster, out, &pod, attach);
    }
    let copy = Copy {
        wanted: &wanted,
        args_only: parsed.bool("arguments-only"),
        pull_policy: parsed.value("image-pull-policy").filter(|p| !p.is_empty()),
        stdin,
        tty: parsed.bool("tty"),
        same_node: parsed.bool("same-node"),
        share_processes: parsed.value("share-processes").map(|v| v == "true"),
    };
    let (copied, debug_container) = match copy.of(&pod) {
        Ok(made) => made,
        Err(err) => return Invocation::from(Output::error(err)).after(out),
    };
    let Some(debug_container) = debug_container else {
        // A --set-image only copy: nothing to attach to.
        return created(cluster, out, copied, &pod, parsed.bool("replace")).into();
    };
    let debug_container = match debug_container {
        Name::Given(name) => name,
        Name::Generated => {
            let name = format!("debugger-{}", client_suffix(cluster, copy_to, 0));
            if !parsed.bool("quiet") {
                out.out(format!("Defaulting debug container name to {name}."));
            }
            name
        }
    };
    let mut copied = copied;
    if let Some(added) = copied
        .spec
        .iter_mut()
        .flat_map(|s| s.containers.iter_mut())
        .find(|c| c.name.is_empty())
    {
        added.name = debug_container.clone();
    }
    let restart = copied
        .spec
        .as_ref()
        .and_then(|s| s.restart_policy.clone())
        .unwrap_or_else(|| "Always".to_string());
    let out = created(cluster, out, copied, &pod, parsed.bool("replace"));
    if out.code != 0 || !attach {
        return out.into();
    }
    let attachment = Attachment {
        namespace: namespace.to_string(),
        pod: copy_to.to_string(),
        container: debug_container,
        remove: false,
        restart,
        tty: parsed.bool("tty"),
        quiet: parsed.bool("quiet"),
        waits_for_exit: false,
    };
    attach_to_pod(cluster, attachment, stdin).after(out)
}

/// What the command line asks for, as DebugOptions.Validate sees it.
struct Wanted<'a> {
    image: &'a str,
    container: &'a str,
    copy_to: &'a str,
    set_images: &'a BTreeMap<String, String>,
    args: &'a [String],
}

/// DebugOptions.Validate, in its order (the --target note aside).
fn validate(parsed: &Parsed, w: &Wanted<'_>) -> Result<(), String> {
    let copy = !w.copy_to.is_empty();
    let refuse = |why: &str| Err(why.to_string());
    if parsed.bool("attach") && w.image.is_empty() && w.container.is_empty() {
        return refuse("you must specify --container or create a new container using --image in order to attach.");
    }
    if copy && w.image.is_empty() && w.set_images.is_empty() && w.args.is_empty() {
        return refuse("you must specify --image, --set-image or command arguments.");
    }
    if copy && !w.args.is_empty() && w.container.is_empty() && w.image.is_empty() {
        return refuse(
            "you must specify an existing container or a new image when specifying args.",
        );
    }
    if !copy {
        if parsed.bool("replace") {
            return refuse("--replace may only be used with --copy-to.");
        }
        if parsed.bool("same-node") {
            return refuse("--same-node may only be used with --copy-to.");
        }
        if !w.set_images.is_empty() {
            return refuse("--set-image may only be used with --copy-to.");
        }
        if w.image.is_empty() {
            return refuse("you must specify --image when not using --copy-to.");
        }
    }
    if parsed.positionals.is_empty() {
        return refuse("NAME or filename is required for debug");
    }
    if let Some(policy) = parsed
        .value("image-pull-policy")
        .filter(|p| !["Always", "IfNotPresent", "Never", ""].contains(p))
    {
        return Err(format!("invalid image pull policy: {policy}"));
    }
    if copy && parsed.value("target").is_some() {
        return refuse("--target is incompatible with --copy-to. Use --share-processes instead.");
    }
    if parsed.bool("tty") && !parsed.bool("stdin") {
        return refuse("-i/--stdin is required for containers with -t/--tty=true");
    }
    Ok(())
}

/// What kubectl was asked to add to the pod as an ephemeral container.
struct Ephemeral<'a> {
    wanted: &'a Wanted<'a>,
    target: Option<&'a str>,
    args_only: bool,
    pull_policy: Option<&'a str>,
    stdin: bool,
    tty: bool,
    quiet: bool,
}

impl Ephemeral<'_> {
    /// debugByEphemeralContainer: the container is added through the pod's
    /// ephemeralcontainers subresource (the legacy profile changes nothing
    /// in it), then attached to once it runs.
    fn run(&self, cluster: &mut Cluster, mut out: Output, pod: &Pod, attach: bool) -> Invocation {
        let pod_name = pod.metadata.name.as_deref().unwrap_or("");
        let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
        let name = self.container_name(cluster, pod, &mut out);
        let args = Some(self.wanted.args.to_vec()).filter(|a| !a.is_empty());
        let (command, args) = if self.args_only {
            (None, args)
        } else {
            (args, None)
        };
        let container = EphemeralContainer {
            name: name.clone(),
            image: Some(self.wanted.image.to_string()),
            image_pull_policy: self.pull_policy.map(str::to_string),
            command,
            args,
            // Go leaves false out of the patch.
            stdin: self.stdin.then_some(true),
            tty: self.tty.then_some(true),
            termination_message_policy: Some("File".to_string()),
            target_container_name: self.target.map(str::to_string),
            ..Default::default()
        };
        if let Err(err) = ephemeral::add(cluster, namespace, pod_name, container) {
            return Invocation::from(Output::fail(err.kubectl_text())).after(out);
        }
        if !attach {
            return out.into();
        }
        let restart = pod
            .spec
            .as_ref()
            .and_then(|s| s.restart_policy.clone())
            .unwrap_or_else(|| "Always".to_string());
        let attachment = Attachment {
            namespace: namespace.to_string(),
            pod: pod_name.to_string(),
            container: name,
            remove: false,
            restart,
            tty: self.tty,
            quiet: self.quiet,
            waits_for_exit: false,
        };
        attach_to_pod(cluster, attachment, self.stdin).after(out)
    }

    /// computeDebugContainerName: `--container`, or `debugger-xxxxx` drawn
    /// until no container of the pod has the name.
    fn container_name(&self, cluster: &Cluster, pod: &Pod, out: &mut Output) -> String {
        if !self.wanted.container.is_empty() {
            return self.wanted.container.to_string();
        }
        let taken = pod_containers::names(pod);
        let pod_name = pod.metadata.name.as_deref().unwrap_or("");
        let name = (0..)
            .map(|draw| format!("debugger-{}", client_suffix(cluster, pod_name, draw)))
            .find(|name| !taken.iter().any(|(_, t)| t == name))
            .unwrap_or_default();
        if !self.quiet {
            out.out(format!("Defaulting debug container name to {name}."));
        }
        name
    }
}

/// What kubectl was asked to copy and change.
struct Copy<'a> {
    wanted: &'a Wanted<'a>,
    args_only: bool,
    pull_policy: Option<&'a str>,
    stdin: bool,
    tty: bool,
    same_node: bool,
    share_processes: Option<bool>,
}

/// The debug container's name: the one asked for, or one kubectl makes up.
enum Name {
    Given(String),
    Generated,
}

impl Copy<'_> {
    /// generatePodCopyWithDebugContainer with the legacy profile: the copy,
    /// and its debug container (None for a --set-image only copy). A new
    /// container without a name is named by the caller.
    fn of(&self, pod: &Pod) -> Result<(Pod, Option<Name>), String> {
        let mut spec = pod.spec.clone().unwrap_or_default();
        spec.ephemeral_containers = None;
        if let Some(share) = self.share_processes {
            spec.share_process_namespace = Some(share);
        }
        if !self.same_node {
            spec.node_name = None;
        }
        for c in &mut spec.containers {
            let image = self
                .wanted
                .set_images
                .get(&c.name)
                .or(self.wanted.set_images.get("*"));
            if let Some(image) = image {
                c.image = Some(image.clone());
            }
        }
        let known = |name: &str| {
            spec.containers.iter().any(|c| c.name == name)
                || spec
                    .init_containers
                    .iter()
                    .flatten()
                    .any(|c| c.name == name)
        };
        let name = if known(self.wanted.container) && !self.wanted.container.is_empty() {
            Name::Given(self.wanted.container.to_string())
        } else if self.wanted.image.is_empty() {
            if !self.wanted.set_images.is_empty() {
                return Ok((self.pod(pod, spec), None));
            }
            return Err("you must specify image when creating new container".to_string());
        } else {
            spec.containers.push(Container {
                name: self.wanted.container.to_string(),
                termination_message_policy: Some("File".to_string()),
                ..Default::default()
            });
            match self.wanted.container {
                "" => Name::Generated,
                given => Name::Given(given.to_string()),
            }
        };
        let wanted = match &name {
            Name::Given(given) => given.as_str(),
            Name::Generated => "",
        };
        let c = spec
            .containers
            .iter_mut()
            .chain(spec.init_containers.iter_mut().flatten())
            .find(|c| c.name == wanted)
            .ok_or_else(|| format!("container {wanted} not found"))?;
        if !self.wanted.args.is_empty() {
            if self.args_only {
                c.args = Some(self.wanted.args.to_vec());
            } else {
                c.command = Some(self.wanted.args.to_vec());
                c.args = None;
            }
        }
        if !self.wanted.image.is_empty() {
            c.image = Some(self.wanted.image.to_string());
        }
        if let Some(policy) = self.pull_policy {
            c.image_pull_policy = Some(policy.to_string());
        }
        c.stdin = Some(self.stdin);
        c.tty = Some(self.tty);
        Ok((self.pod(pod, spec), Some(name)))
    }

    /// The copy's object: name, namespace and annotations of the original
    /// (the legacy profile drops its labels), and `spec`.
    fn pod(&self, pod: &Pod, spec: k8s_openapi::api::core::v1::PodSpec) -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: Some(self.wanted.copy_to.to_string()),
                namespace: pod.metadata.namespace.clone(),
                annotations: pod.metadata.annotations.clone(),
                ..Default::default()
            },
            spec: Some(spec),
            status: None,
        }
    }
}

/// Creates the copy, then with `--replace` deletes the original at once.
fn created(
    cluster: &mut Cluster,
    mut out: Output,
    copy: Pod,
    original: &Pod,
    replace: bool,
) -> Output {
    if let Err(err) = cluster.create(Object::Pod(Box::new(copy))) {
        out.merge(Output::fail(err.kubectl_text()));
        return out;
    }
    if replace {
        let key = ObjectKey::new(
            Kind::Pod,
            original.metadata.namespace.as_deref().unwrap_or(""),
            original.metadata.name.as_deref().unwrap_or(""),
        );
        let now = DeleteOptions {
            grace_seconds: Some(0),
            ..DeleteOptions::default()
        };
        if let Err(err) = cluster.delete(&key, &now) {
            out.merge(Output::fail(err.kubectl_text()));
        }
    }
    out
}

/// `--set-image=name=image,*=image`, a pflag string-to-string.
fn set_images(text: &str) -> Result<BTreeMap<String, String>, String> {
    if text.is_empty() {
        return Ok(BTreeMap::new());
    }
    text.split(',')
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| format!("invalid argument \"{text}\" for \"--set-image\" flag: {pair} must be formatted as key=value"))
        })
        .collect()
}

/// kubectl's own five random characters (utilrand.String, the apiserver's
/// alphabet), drawn from the command (the pod it makes or debugs, and which
/// draw this is) rather than the cluster's stream, so that debugging changes
/// no uid.
fn client_suffix(cluster: &Cluster, pod: &str, draw: u32) -> String {
    let seed =
        crate::sim::fast_hash::digest_of(&[pod, &cluster.now().to_string(), &draw.to_string()]);
    crate::sim::rng::Rng::new(seed).suffix(5)
}

fn refused(out: Output, why: &str) -> Invocation {
    Invocation::from(Output::error(why)).after(out)
}
