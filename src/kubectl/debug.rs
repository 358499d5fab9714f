//! `kubectl debug POD --image=IMAGE`: a debug container added to the running
//! pod as an ephemeral container (`--target=C` names the container whose
//! processes it sees), `-it` attaching to it; or with `--copy-to=NAME` a copy
//! of the pod to debug in, as kubectl 1.34 makes it with its default
//! ("legacy") profile: the spec as it is (probes, init containers,
//! annotations), without the labels and owner (so no controller adopts it or
//! sends it traffic), off its node unless `--same-node`, with a container
//! changed (`--container=nginx -- sh`, a crash-looping container made to
//! wait) or added (`--image=busybox`). `--profile` (legacy by default, with
//! its deprecation warning) sets the debug container's security context and
//! trims the copy (`debug_profile.rs`). `kubectl debug node/NAME` runs a pod
//! on the node in its namespaces, with the node's root at `/host` (what the
//! playground keeps of a node: its volumes' directories, such as the
//! local-path provisioner's under `/var/local-path-provisioner`).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Container, EnvVar, Pod, PodSpec, Toleration};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::args::{Parsed, Spec, Takes};
use super::attaching::{attach_to_pod, POD_RUNNING_TIMEOUT};
use super::debug_profile::{self, Custom, Keep, Profile};
use super::output::Output;
use super::run::Attachment;
use super::{Context, Invocation};
use crate::sim::{ephemeral, pod_containers, Cluster, DeleteOptions, Kind, Object, ObjectKey};

pub const SPEC: Spec = Spec {
    flags: &[
        ("arguments-only", None, Takes::Bool),
        ("attach", None, Takes::Bool),
        ("container", Some('c'), Takes::Value),
        ("copy-to", None, Takes::Value),
        ("env", None, Takes::Value),
        ("replace", None, Takes::Bool),
        ("image", None, Takes::Value),
        ("image-pull-policy", None, Takes::Value),
        ("keep-annotations", None, Takes::Bool),
        ("keep-init-containers", None, Takes::Bool),
        ("keep-labels", None, Takes::Bool),
        ("keep-liveness", None, Takes::Bool),
        ("keep-readiness", None, Takes::Bool),
        ("keep-startup", None, Takes::Bool),
        ("set-image", None, Takes::Value),
        ("stdin", Some('i'), Takes::Bool),
        ("tty", Some('t'), Takes::Bool),
        ("quiet", Some('q'), Takes::Bool),
        ("same-node", None, Takes::Bool),
        ("share-processes", None, Takes::Bool),
        ("target", None, Takes::Value),
        ("profile", None, Takes::Value),
        ("custom", None, Takes::Value),
    ],
    not_simulated: &["filename"],
};

pub fn run(cluster: &mut Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Invocation {
    let namespace = parsed.value("namespace").unwrap_or(ctx.namespace);
    let pairs = |flag: &str| string_to_string(flag, &parsed.values(flag));
    let (set_images, env) = match (pairs("set-image"), pairs("env")) {
        (Ok(images), Ok(env)) => (images, env),
        (Err(err), _) | (_, Err(err)) => return Output::error(err).into(),
    };
    // Complete reads the profile before Validate runs.
    let profile = match Profile::parse(parsed.value("profile").unwrap_or("legacy")) {
        Ok(profile) => profile,
        Err(err) => return Output::error(err).into(),
    };
    let custom = match parsed.value("custom").filter(|f| !f.is_empty()) {
        Some(file) => match Custom::read(ctx, file) {
            Ok(custom) => Some(custom),
            Err(err) => return Output::error(err).into(),
        },
        None => None,
    };
    let stdin = parsed.bool("stdin");
    let options = Options {
        image: parsed.value("image").unwrap_or(""),
        container: parsed.value("container").unwrap_or(""),
        copy_to: parsed.value("copy-to").unwrap_or(""),
        set_images,
        env: env
            .into_iter()
            .map(|(name, value)| EnvVar {
                name,
                value: Some(value),
                value_from: None,
            })
            .collect(),
        args: &parsed.command,
        args_only: parsed.bool("arguments-only"),
        pull_policy: parsed.value("image-pull-policy").filter(|p| !p.is_empty()),
        stdin,
        tty: parsed.bool("tty"),
        quiet: parsed.bool("quiet"),
        attach: parsed.value("attach").map_or(stdin, |v| v == "true"),
        target: parsed.value("target").filter(|t| !t.is_empty()),
        same_node: parsed.bool("same-node"),
        share_processes: parsed.value("share-processes").map(|v| v == "true"),
        replace: parsed.bool("replace"),
        profile,
        keep: Keep::of(parsed),
        custom,
    };
    if let Err(invalid) = validate(parsed, &options) {
        return Output::error(invalid).into();
    }
    let mut out = Output::default();
    if let Some(target) = parsed.value("target").filter(|_| !options.quiet) {
        out.out(format!("Targeting container \"{target}\". If you don't see processes from this container it may be because the container runtime doesn't support this feature."));
    }
    if profile == Profile::Legacy {
        out.err("--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example \"--profile=general\".");
    }
    let target = &parsed.positionals[0];
    let pod_name = match target.split_once('/') {
        Some(("pod" | "pods" | "po", name)) => name,
        Some(("node" | "nodes" | "no", node)) => {
            return options.by_node(cluster, out, namespace, node);
        }
        Some((kind, _)) => {
            // The builder finds the object; debug then takes only pods and nodes.
            let refused = match super::resources::resolve(kind) {
                Some(kind) => {
                    // Go's GroupVersionKind.String(): "apps/v1, Kind=StatefulSet", "/v1, Kind=Service".
                    let version = kind.api_version().rsplit('/').next().unwrap_or("v1");
                    format!(
                        "\"{}/{version}, Kind={}\" not supported by debug",
                        kind.group(),
                        kind.name()
                    )
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
    if options.copy_to.is_empty() {
        options.by_ephemeral_container(cluster, out, &pod)
    } else {
        options.by_copy(cluster, out, &pod)
    }
}

/// What the command line asks for.
struct Options<'a> {
    image: &'a str,
    container: &'a str,
    copy_to: &'a str,
    set_images: BTreeMap<String, String>,
    env: Vec<EnvVar>,
    args: &'a [String],
    args_only: bool,
    pull_policy: Option<&'a str>,
    stdin: bool,
    tty: bool,
    quiet: bool,
    attach: bool,
    target: Option<&'a str>,
    same_node: bool,
    share_processes: Option<bool>,
    replace: bool,
    profile: Profile,
    keep: Keep,
    custom: Option<Custom>,
}

/// DebugOptions.Validate, in its order (the --target note aside).
fn validate(parsed: &Parsed, o: &Options<'_>) -> Result<(), String> {
    let copy = !o.copy_to.is_empty();
    let refuse = |why: &str| Err(why.to_string());
    if parsed.bool("attach") && o.image.is_empty() && o.container.is_empty() {
        return refuse("you must specify --container or create a new container using --image in order to attach.");
    }
    if copy && o.image.is_empty() && o.set_images.is_empty() && o.args.is_empty() {
        return refuse("you must specify --image, --set-image or command arguments.");
    }
    if copy && !o.args.is_empty() && o.container.is_empty() && o.image.is_empty() {
        return refuse(
            "you must specify an existing container or a new image when specifying args.",
        );
    }
    if !copy {
        if o.replace {
            return refuse("--replace may only be used with --copy-to.");
        }
        if o.same_node {
            return refuse("--same-node may only be used with --copy-to.");
        }
        if !o.set_images.is_empty() {
            return refuse("--set-image may only be used with --copy-to.");
        }
        if o.image.is_empty() {
            return refuse("you must specify --image when not using --copy-to.");
        }
    }
    if parsed.positionals.is_empty() {
        return refuse("NAME or filename is required for debug");
    }
    if let Some(policy) = o
        .pull_policy
        .filter(|p| !["Always", "IfNotPresent", "Never"].contains(p))
    {
        return Err(format!("invalid image pull policy: {policy}"));
    }
    if copy && o.target.is_some() {
        return refuse("--target is incompatible with --copy-to. Use --share-processes instead.");
    }
    if o.tty && !o.stdin {
        return refuse("-i/--stdin is required for containers with -t/--tty=true");
    }
    Ok(())
}

impl Options<'_> {
    /// debugByEphemeralContainer: the debug container is added through the
    /// pod's ephemeralcontainers subresource, then attached to once it runs.
    fn by_ephemeral_container(
        &self,
        cluster: &mut Cluster,
        mut out: Output,
        pod: &Pod,
    ) -> Invocation {
        let pod_name = pod.metadata.name.as_deref().unwrap_or("");
        let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
        let mut container = Container {
            name: self.container_name(cluster, pod, pod_name, &mut out),
            termination_message_policy: Some("File".to_string()),
            ..Default::default()
        };
        self.fill(&mut container);
        self.profile.secure(&mut container);
        if let Err(err) = self.customize(&mut container) {
            return Invocation::from(Output::error(err)).after(out);
        }
        if let Some(warning) = debug_profile::warning(pod, &container) {
            out.err(warning);
        }
        let name = container.name.clone();
        let ephemeral_container =
            pod_containers::as_ephemeral(&container, self.target.map(str::to_string));
        if let Err(err) = ephemeral::add(cluster, namespace, pod_name, ephemeral_container) {
            return Invocation::from(Output::fail(err.kubectl_text())).after(out);
        }
        self.attach_to(cluster, out, pod, name)
    }

    /// debugByCopy (generatePodCopyWithDebugContainer): a copy of the pod
    /// with a container changed or added, created, then attached to.
    fn by_copy(&self, cluster: &mut Cluster, mut out: Output, pod: &Pod) -> Invocation {
        let mut spec = pod.spec.clone().unwrap_or_default();
        spec.ephemeral_containers = None;
        if let Some(share) = self.share_processes {
            spec.share_process_namespace = Some(share);
        }
        if !self.same_node {
            spec.node_name = None;
        }
        for c in &mut spec.containers {
            let image = self.set_images.get(&c.name).or(self.set_images.get("*"));
            if let Some(image) = image {
                c.image = Some(image.clone());
            }
        }
        let mut copy = Pod {
            metadata: ObjectMeta {
                name: Some(self.copy_to.to_string()),
                namespace: pod.metadata.namespace.clone(),
                annotations: pod.metadata.annotations.clone(),
                labels: pod.metadata.labels.clone(),
                ..Default::default()
            },
            spec: Some(spec),
            status: None,
        };
        let name = if pod_containers::find(&copy, self.container).is_some() {
            self.container.to_string()
        } else if self.image.is_empty() {
            if self.set_images.is_empty() {
                let err = "you must specify image when creating new container";
                return Invocation::from(Output::error(err)).after(out);
            }
            // A --set-image only copy: no profile, nothing to attach to.
            return self.created(cluster, out, copy, pod).into();
        } else {
            let name = self.container_name(cluster, &copy, self.copy_to, &mut out);
            let spec = copy.spec.get_or_insert_with(Default::default);
            spec.containers.push(Container {
                name: name.clone(),
                termination_message_policy: Some("File".to_string()),
                ..Default::default()
            });
            name
        };
        if let Some(c) = container_named(&mut copy, &name) {
            self.fill(c);
            self.profile.secure(c);
        }
        self.profile.trim_copy(&mut copy, &self.keep);
        if let Some(Err(err)) = container_named(&mut copy, &name).map(|c| self.customize(c)) {
            return Invocation::from(Output::error(err)).after(out);
        }
        let debug_container = copy
            .spec
            .iter()
            .flat_map(|s| s.containers.iter())
            .find(|c| c.name == name);
        if let Some(warning) = debug_container.and_then(|c| debug_profile::warning(&copy, c)) {
            out.err(warning);
        }
        let out = self.created(cluster, out, copy.clone(), pod);
        if out.code != 0 {
            return out.into();
        }
        self.attach_to(cluster, out, &copy, name)
    }

    /// visitNode (generateNodeDebugPod): a pod on the node, tolerating every
    /// taint, never restarted, in the node's namespaces with its root at
    /// `/host` as the profile says; created, then attached to.
    fn by_node(
        &self,
        cluster: &mut Cluster,
        mut out: Output,
        namespace: &str,
        node: &str,
    ) -> Invocation {
        if cluster.store().get_named(Kind::Node, "", node).is_none() {
            let missing = format!("Error from server (NotFound): nodes \"{node}\" not found");
            return Invocation::from(Output::fail(missing)).after(out);
        }
        let container = match self.container {
            "" => "debugger",
            given => given,
        };
        let name = format!("node-debugger-{node}-{}", client_suffix(cluster, node, 0));
        if !self.quiet {
            out.out(format!(
                "Creating debugging pod {name} with container {container} on node {node}."
            ));
        }
        let mut debugger = Container {
            name: container.to_string(),
            termination_message_policy: Some("File".to_string()),
            ..Default::default()
        };
        self.fill(&mut debugger);
        let mut pod = Pod {
            metadata: ObjectMeta {
                name: Some(name),
                namespace: Some(namespace.to_string()),
                labels: Some(BTreeMap::from([(
                    "app.kubernetes.io/managed-by".to_string(),
                    "kubectl-debug".to_string(),
                )])),
                ..Default::default()
            },
            spec: Some(PodSpec {
                containers: vec![debugger],
                node_name: Some(node.to_string()),
                restart_policy: Some("Never".to_string()),
                tolerations: Some(vec![Toleration {
                    operator: Some("Exists".to_string()),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
            status: None,
        };
        self.profile.node_pod(&mut pod);
        let debugger = pod.spec.iter_mut().flat_map(|s| s.containers.first_mut());
        if let Some(Err(err)) = debugger.map(|c| self.customize(c)).next() {
            return Invocation::from(Output::error(err)).after(out);
        }
        if let Err(err) = cluster.create(Object::Pod(Box::new(pod.clone()))) {
            return Invocation::from(Output::fail(err.kubectl_text())).after(out);
        }
        self.attach_to(cluster, out, &pod, container.to_string())
    }

    /// `--custom`'s partial spec merged into the debug container, if given.
    fn customize(&self, c: &mut Container) -> Result<(), String> {
        self.custom
            .as_ref()
            .map_or(Ok(()), |custom| custom.apply(c))
    }

    /// What the command line sets in the debug container.
    fn fill(&self, c: &mut Container) {
        if !self.args.is_empty() {
            if self.args_only {
                c.args = Some(self.args.to_vec());
            } else {
                c.command = Some(self.args.to_vec());
                c.args = None;
            }
        }
        if !self.env.is_empty() {
            c.env = Some(self.env.clone());
        }
        if !self.image.is_empty() {
            c.image = Some(self.image.to_string());
        }
        if let Some(policy) = self.pull_policy {
            c.image_pull_policy = Some(policy.to_string());
        }
        // Go leaves false out of the object.
        c.stdin = self.stdin.then_some(true);
        c.tty = self.tty.then_some(true);
    }

    /// computeDebugContainerName: `--container`, or `debugger-xxxxx` drawn
    /// until no container of `pod` has the name.
    fn container_name(&self, cluster: &Cluster, pod: &Pod, seed: &str, out: &mut Output) -> String {
        if !self.container.is_empty() {
            return self.container.to_string();
        }
        let taken = pod_containers::names(pod);
        let name = (0..)
            .map(|draw| format!("debugger-{}", client_suffix(cluster, seed, draw)))
            .find(|name| !taken.iter().any(|(_, t)| t == name))
            .unwrap_or_default();
        if !self.quiet {
            out.out(format!("Defaulting debug container name to {name}."));
        }
        name
    }

    /// Creates the copy, then with `--replace` deletes the original at once.
    fn created(&self, cluster: &mut Cluster, mut out: Output, copy: Pod, original: &Pod) -> Output {
        if let Err(err) = cluster.create(Object::Pod(Box::new(copy))) {
            out.merge(Output::fail(err.kubectl_text()));
            return out;
        }
        if self.replace {
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

    /// With `--attach` (`-i` implies it), handleAttachPod.
    fn attach_to(
        &self,
        cluster: &mut Cluster,
        out: Output,
        pod: &Pod,
        container: String,
    ) -> Invocation {
        if !self.attach {
            return out.into();
        }
        let restart = pod
            .spec
            .as_ref()
            .and_then(|s| s.restart_policy.clone())
            .unwrap_or_else(|| "Always".to_string());
        let attachment = Attachment {
            namespace: pod.metadata.namespace.clone().unwrap_or_default(),
            pod: pod.metadata.name.clone().unwrap_or_default(),
            container,
            remove: false,
            restart,
            tty: self.tty,
            quiet: self.quiet,
            waits_for_exit: false,
            timeout: POD_RUNNING_TIMEOUT,
        };
        attach_to_pod(cluster, attachment, self.stdin).after(out)
    }
}

/// The copy's container (or init container) named `name`.
fn container_named<'a>(copy: &'a mut Pod, name: &str) -> Option<&'a mut Container> {
    let spec = copy.spec.as_mut()?;
    spec.containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
        .find(|c| c.name == name)
}

/// A pflag string-to-string flag (`--set-image=name=image,*=image`,
/// `--env=A=1`), its occurrences merged.
fn string_to_string(flag: &str, texts: &[&str]) -> Result<BTreeMap<String, String>, String> {
    let mut pairs = BTreeMap::new();
    for text in texts.iter().filter(|t| !t.is_empty()) {
        for pair in text.split(',') {
            let (k, v) = pair.split_once('=').ok_or_else(|| {
                format!("invalid argument \"{text}\" for \"--{flag}\" flag: {pair} must be formatted as key=value")
            })?;
            pairs.insert(k.to_string(), v.to_string());
        }
    }
    Ok(pairs)
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
