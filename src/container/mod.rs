//! What runs inside a simulated container: a small userland (a shell,
//! coreutils-like tools, DNS and HTTP clients, nginx) over a filesystem
//! whose volume mounts are backed by the pod's volumes. `kubectl exec`,
//! `kubectl run -it` and `kubectl logs` reach containers through here.
//!
//! A container's main process is played lazily: its command's output and
//! file writes happen (at its start time) just before anyone next looks
//! into the cluster's containers, see [`start_up`].

mod applets;
pub mod cassandra_ring;
pub mod dns;
pub mod fs;
pub mod http;
pub mod image;
pub mod mysql_auth;
pub mod mysql_replication;
pub mod mysql_server;
pub mod mysql_sql;
pub mod stress;
mod userland;
pub mod zk_data;
pub mod zk_ensemble;

use std::cell::Cell;
use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    ConfigMap, Container, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Service,
};

use crate::shell::{run_script, Flow, Shell, Sink};
use crate::sim::clock::Millis;
use crate::sim::controllers::scheduler::volume_node;
use crate::sim::kubelet::{timed_out, ExecResult};
use crate::sim::runtime_data::{ContainerKey, LogLine, LogStream, Progress, Run, Tree};
use crate::sim::{pod_containers, Cluster, Kind};
use fs::{tree_of, Fs, Mount, Source};
use image::{Distro, Userland};
pub use userland::{date, mysql_prompt_args, parse_duration, ContainerHost};

/// Lines a process in the container wrote at `at`, outside its main
/// process's play (a server answering a client).
pub fn log_lines(
    cluster: &mut Cluster,
    key: &ContainerKey,
    at: Millis,
    stream: LogStream,
    lines: Vec<String>,
) {
    cluster.runtime.log_all(
        &key.0,
        &key.1,
        lines.into_iter().map(|text| LogLine { at, stream, text }),
    );
}

/// Whether a host name is the container's own loopback.
pub fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "::1")
}

/// A container of a pod, as `kubectl exec -c` names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub namespace: String,
    pub pod: String,
    pub container: String,
}

/// A container as seen from inside: its pod, spec, userland and mounts.
#[derive(Clone, Debug)]
pub struct Inside {
    pub target: Target,
    pub pod: Pod,
    pub container: Container,
    pub uid: String,
    pub userland: Userland,
    pub mounts: Vec<Mount>,
    pub hostname: String,
    /// `web-0.nginx.default.svc.cluster.local` when the pod has a subdomain.
    pub fqdn: Option<String>,
    pub ip: String,
}

const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// The shell a script's `#!` line names (`#!/bin/bash`, `#!/usr/bin/env sh`),
/// which the kernel runs with the script's path.
pub(crate) fn script_shell(text: &str) -> Option<&str> {
    let line = text.lines().next()?.strip_prefix("#!")?;
    let program = line.split_whitespace().find(|w| !w.ends_with("/env"))?;
    let name = program.rsplit('/').next().unwrap_or(program);
    matches!(name, "sh" | "bash" | "ash" | "dash").then_some(name)
}

/// The busybox image's accounts (buildroot's skeleton), which CKAD drills
/// copy out with `kubectl cp`.
const BUSYBOX_PASSWD: &str = "root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
";

impl Inside {
    pub fn of(cluster: &Cluster, target: &Target) -> Option<Inside> {
        let pod = cluster
            .store()
            .get_typed::<Pod>(&target.namespace, &target.pod)?
            .clone();
        let spec = pod.spec.clone()?;
        let (_, container) = pod_containers::find(&pod, &target.container)?;
        let container = container.into_owned();
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        // A pod on the host's network shares the node's UTS namespace too.
        let host_network = spec.host_network == Some(true);
        let hostname = match (&spec.node_name, host_network) {
            (Some(node), true) => node.clone(),
            _ => spec.hostname.clone().unwrap_or_else(|| target.pod.clone()),
        };
        let fqdn = spec
            .subdomain
            .as_ref()
            .filter(|_| !host_network)
            .map(|sub| format!("{hostname}.{sub}.{}.svc.{}", target.namespace, dns::DOMAIN));
        let ip = pod
            .status
            .as_ref()
            .and_then(|s| s.pod_ip.clone())
            .unwrap_or_default();
        let userland = Userland::of(container.image.as_deref().unwrap_or(""));
        let mut mounts = mounts(cluster, &pod, &container, &uid);
        mounts.extend(target_root(cluster, &pod, target));
        Some(Inside {
            target: target.clone(),
            pod,
            container,
            uid,
            userland,
            mounts,
            hostname,
            fqdn,
            ip,
        })
    }

    /// Each of a pod's (regular) containers, seen from inside.
    pub fn containers_of<'a>(
        cluster: &'a Cluster,
        pod: &'a Pod,
    ) -> impl Iterator<Item = Inside> + 'a {
        let namespace = pod.metadata.namespace.clone().unwrap_or_default();
        let name = pod.metadata.name.clone().unwrap_or_default();
        pod.spec
            .iter()
            .flat_map(|s| s.containers.iter())
            .filter_map(move |c| {
                let target = Target {
                    namespace: namespace.clone(),
                    pod: name.clone(),
                    container: c.name.clone(),
                };
                Inside::of(cluster, &target)
            })
    }

    /// Whether `program` runs here: the image has it, or it is the path of
    /// a script whose `#!` line names a shell the image has.
    pub fn runs(&self, cluster: &mut Cluster, program: &str) -> bool {
        if self.userland.has(program) {
            return true;
        }
        if !program.starts_with('/') {
            return false;
        }
        let now = cluster.now();
        let text = self.fs(cluster, now).read(program).unwrap_or_default();
        script_shell(&text).is_some_and(|shell| self.userland.has(shell))
    }

    /// What `hostname -f` prints: the pod's DNS name when it has a
    /// subdomain, else its hostname.
    pub fn long_hostname(&self) -> String {
        self.fqdn.clone().unwrap_or_else(|| self.hostname.clone())
    }

    pub fn key(&self) -> ContainerKey {
        (self.uid.clone(), self.target.container.clone())
    }

    /// Whether the container is running now, by the pod's status.
    pub fn running(&self, cluster: &Cluster) -> bool {
        cluster
            .store()
            .get_typed::<Pod>(&self.target.namespace, &self.target.pod)
            .filter(|p| p.metadata.uid.as_deref() == Some(self.uid.as_str()))
            .and_then(|p| pod_containers::status(p, &self.target.container))
            .is_some_and(|c| c.state.as_ref().is_some_and(|s| s.running.is_some()))
    }

    /// The container's filesystem as of `now`.
    pub fn fs<'a>(&'a self, cluster: &'a mut Cluster, now: Millis) -> Fs<'a> {
        let base = self.base_tree();
        Fs::new(
            &mut cluster.runtime,
            self.key(),
            &self.mounts,
            move || base,
            now,
        )
        .links(self.userland.links)
    }

    /// The kubelet-managed `/etc/hosts`.
    pub fn hosts_file(&self) -> String {
        let mut text = String::from(
            "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n",
        );
        match &self.fqdn {
            Some(fqdn) => text.push_str(&format!("{}\t{fqdn}\t{}\n", self.ip, self.hostname)),
            None => text.push_str(&format!("{}\t{}\n", self.ip, self.hostname)),
        }
        text
    }

    /// The image's files plus what the kubelet puts in every container.
    fn base_tree(&self) -> Tree {
        let search = format!(
            "{ns}.svc.{d} svc.{d} {d}",
            ns = self.target.namespace,
            d = dns::DOMAIN
        );
        let mut files: Vec<(String, String)> = [
            "/bin/",
            "/dev/",
            "/home/",
            "/proc/",
            "/root/",
            "/run/",
            "/sys/",
            "/tmp/",
            "/usr/bin/",
            "/usr/local/bin/",
            "/usr/share/",
            "/var/log/",
        ]
        .iter()
        .map(|d| (d.to_string(), String::new()))
        .collect();
        files.push(("/etc/hostname".into(), format!("{}\n", self.hostname)));
        files.push(("/etc/hosts".into(), self.hosts_file()));
        files.push((
            "/etc/resolv.conf".into(),
            format!(
                "search {search}\nnameserver {}\noptions ndots:5\n",
                dns::DNS_IP
            ),
        ));
        let os_release = match self.userland.distro {
            Distro::Debian => Some("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nID=debian\n"),
            Distro::Alpine => Some("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.22.1\nPRETTY_NAME=\"Alpine Linux v3.22\"\n"),
            _ => None,
        };
        if let Some(text) = os_release {
            files.push(("/etc/os-release".into(), text.to_string()));
        }
        if matches!(self.userland.distro, Distro::Busybox { .. }) {
            files.push(("/etc/passwd".into(), BUSYBOX_PASSWD.to_string()));
        }
        match self.userland.web {
            Some(image::WebServer::Nginx { .. }) => {
                files.push((
                    "/usr/share/nginx/html/index.html".into(),
                    http::NGINX_INDEX.to_string(),
                ));
                files.push((
                    "/usr/share/nginx/html/50x.html".into(),
                    http::NGINX_50X.to_string(),
                ));
                files.push((
                    "/etc/nginx/conf.d/default.conf".into(),
                    NGINX_DEFAULT_CONF.to_string(),
                ));
                files.push(("/var/log/nginx/".into(), String::new()));
            }
            Some(image::WebServer::Httpd) => {
                files.push((
                    "/usr/local/apache2/htdocs/index.html".into(),
                    http::HTTPD_INDEX.to_string(),
                ));
            }
            None => {}
        }
        if self.userland.zookeeper {
            files.extend(zookeeper_files());
        }
        if self.userland.cassandra {
            files.extend(userland::cassandra_files());
        }
        match self.userland.mysql {
            Some(image::MySqlTools::Server) => files.extend(mysql_server::image_files()),
            Some(image::MySqlTools::Backup) => files.extend(
                ["mysql", "mysqladmin"]
                    .into_iter()
                    .filter_map(mysql_server::program_path)
                    .map(|path| (path.to_string(), String::new())),
            ),
            None => {}
        }
        // Files the image was built with predate the container.
        tree_of(&files, 0)
    }

    /// The main process's command line.
    pub fn main_command(&self) -> Vec<String> {
        self.userland.main_command(&self.container)
    }

    /// The environment the container's processes start with.
    pub fn environment(&self, cluster: &Cluster, tty: bool) -> Vec<(String, String)> {
        let path = if self.userland.cassandra {
            userland::cassandra_path(PATH)
        } else {
            PATH.to_string()
        };
        let mut env = vec![
            ("PATH".to_string(), path),
            ("HOSTNAME".to_string(), self.hostname.clone()),
            ("HOME".to_string(), "/root".to_string()),
        ];
        if tty {
            env.push(("TERM".to_string(), "xterm".to_string()));
        }
        if self.userland.cassandra {
            env.extend(
                userland::cassandra_env()
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v)),
            );
        }
        if let Some(image::WebServer::Nginx { version, .. }) = self.userland.web {
            env.push(("NGINX_VERSION".to_string(), version.to_string()));
        }
        let links = self
            .pod
            .spec
            .as_ref()
            .and_then(|s| s.enable_service_links)
            .unwrap_or(true);
        for object in cluster.store().list(Kind::Service) {
            let own_namespace = object.namespace() == self.target.namespace;
            let master = object.namespace() == "default" && object.name() == "kubernetes";
            if (links && own_namespace) || master {
                if let Some(service) = object.as_typed::<Service>() {
                    env.extend(service_env(object.name(), service));
                }
            }
        }
        for source in self.container.env_from.iter().flatten() {
            let namespace = &self.target.namespace;
            let data = match (&source.config_map_ref, &source.secret_ref) {
                (Some(map), _) => config_map_data(cluster, namespace, &map.name),
                (None, Some(secret)) => secret_data(cluster, namespace, &secret.name),
                (None, None) => None,
            };
            let prefix = source.prefix.as_deref().unwrap_or("");
            for (key, value) in data.into_iter().flatten() {
                env.push((format!("{prefix}{key}"), value));
            }
        }
        for var in self.container.env.iter().flatten() {
            let value = match (&var.value, &var.value_from) {
                (Some(v), _) => Some(v.clone()),
                (None, Some(from)) => self.value_from(cluster, from),
                (None, None) => Some(String::new()),
            };
            if let Some(value) = value {
                env.push((var.name.clone(), value));
            }
        }
        env
    }

    fn value_from(
        &self,
        cluster: &Cluster,
        from: &k8s_openapi::api::core::v1::EnvVarSource,
    ) -> Option<String> {
        if let Some(field) = &from.field_ref {
            let spec = self.pod.spec.as_ref();
            return match field.field_path.as_str() {
                "metadata.name" => Some(self.target.pod.clone()),
                "metadata.namespace" => Some(self.target.namespace.clone()),
                "metadata.uid" => Some(self.uid.clone()),
                "status.podIP" => Some(self.ip.clone()),
                "spec.nodeName" => spec.and_then(|s| s.node_name.clone()),
                "spec.serviceAccountName" => spec.and_then(|s| s.service_account_name.clone()),
                _ => None,
            };
        }
        let namespace = &self.target.namespace;
        let (mut data, key) = match (&from.config_map_key_ref, &from.secret_key_ref) {
            (Some(r), _) => (config_map_data(cluster, namespace, &r.name)?, &r.key),
            (None, Some(r)) => (secret_data(cluster, namespace, &r.name)?, &r.key),
            (None, None) => return None,
        };
        data.remove(key)
    }
}

fn config_map_data(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
) -> Option<BTreeMap<String, String>> {
    cluster
        .store()
        .get_typed::<ConfigMap>(namespace, name)
        .map(|map| map.data.clone().unwrap_or_default())
}

/// A Secret's values as the container reads them (as text: a value that is
/// not UTF-8 shows replacement characters, since files here hold strings).
fn secret_data(cluster: &Cluster, namespace: &str, name: &str) -> Option<BTreeMap<String, String>> {
    let secret = cluster.store().get_typed::<Secret>(namespace, name)?;
    let data = secret.data.iter().flatten();
    Some(
        data.map(|(k, v)| (k.clone(), String::from_utf8_lossy(&v.0).into_owned()))
            .collect(),
    )
}

/// The Docker-links style variables the kubelet sets for a Service with a ClusterIP.
fn service_env(name: &str, service: &Service) -> Vec<(String, String)> {
    let Some(spec) = service.spec.as_ref() else {
        return Vec::new();
    };
    let Some(ip) = spec.cluster_ip.as_deref().filter(|ip| *ip != "None") else {
        return Vec::new();
    };
    let prefix = name.to_ascii_uppercase().replace('-', "_");
    let ports = spec.ports.clone().unwrap_or_default();
    let Some(first) = ports.first() else {
        return Vec::new();
    };
    let mut env = vec![
        (format!("{prefix}_SERVICE_HOST"), ip.to_string()),
        (format!("{prefix}_SERVICE_PORT"), first.port.to_string()),
    ];
    for port in &ports {
        if let Some(port_name) = &port.name {
            env.push((
                format!(
                    "{prefix}_SERVICE_PORT_{}",
                    port_name.to_ascii_uppercase().replace('-', "_")
                ),
                port.port.to_string(),
            ));
        }
    }
    let proto = |p: &k8s_openapi::api::core::v1::ServicePort| {
        p.protocol
            .clone()
            .unwrap_or_else(|| "TCP".to_string())
            .to_ascii_lowercase()
    };
    env.push((
        format!("{prefix}_PORT"),
        format!("{}://{ip}:{}", proto(first), first.port),
    ));
    for port in &ports {
        let p = proto(port);
        let base = format!("{prefix}_PORT_{}_{}", port.port, p.to_ascii_uppercase());
        env.push((base.clone(), format!("{p}://{ip}:{}", port.port)));
        env.push((format!("{base}_PROTO"), p.clone()));
        env.push((format!("{base}_PORT"), port.port.to_string()));
        env.push((format!("{base}_ADDR"), ip.to_string()));
    }
    env
}

/// The volumes a container mounts, resolved to where their files live.
fn mounts(cluster: &Cluster, pod: &Pod, container: &Container, uid: &str) -> Vec<Mount> {
    let namespace = pod.metadata.namespace.as_deref().unwrap_or("");
    let volumes = pod
        .spec
        .as_ref()
        .and_then(|s| s.volumes.clone())
        .unwrap_or_default();
    let node = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.clone())
        .unwrap_or_default();
    let mut out = Vec::new();
    for mount in container.volume_mounts.iter().flatten() {
        let Some(volume) = volumes.iter().find(|v| v.name == mount.name) else {
            continue;
        };
        let sub_path = mount.sub_path.clone().filter(|s| !s.is_empty());
        let volume_key = |key: String| Source::Volume {
            key,
            sub_path: sub_path.clone(),
        };
        let source = if let Some(claim) = &volume.persistent_volume_claim {
            let pv = cluster
                .store()
                .get_typed::<PersistentVolumeClaim>(namespace, &claim.claim_name)
                .and_then(|c| c.spec.as_ref())
                .and_then(|s| s.volume_name.clone());
            volume_key(pv.unwrap_or_else(|| format!("{uid}/{}", volume.name)))
        } else if let Some(host) = &volume.host_path {
            volume_key(format!("hostPath:{node}:{}", host.path))
        } else if let Some(config) = &volume.config_map {
            let data = config_map_data(cluster, namespace, &config.name);
            Source::Files(tree_of(&pick(data, config.items.as_ref()), 0))
        } else if let Some(secret) = &volume.secret {
            let name = secret.secret_name.as_deref().unwrap_or("");
            let data = secret_data(cluster, namespace, name);
            Source::Files(tree_of(&pick(data, secret.items.as_ref()), 0))
        } else if volume.projected.is_some() {
            let account = pod
                .spec
                .as_ref()
                .and_then(|s| s.service_account_name.as_deref())
                .unwrap_or("default");
            Source::Files(tree_of(&service_account_files(namespace, account, uid), 0))
        } else {
            volume_key(format!("{uid}/{}", volume.name))
        };
        out.push(Mount {
            path: mount.mount_path.clone(),
            source,
            read_only: mount.read_only.unwrap_or(false),
        });
        if let Some(host) = &volume.host_path {
            out.extend(node_volumes_under(cluster, &node, &host.path, mount));
        }
    }
    out
}

/// What else of the node a hostPath mount shows: the node's other volumes
/// whose directories lie under its path (the local-path provisioner's
/// `/var/local-path-provisioner/pvc-…` for claims on that node, other
/// pods' hostPath directories), each mounted where it lies, so that
/// `kubectl debug node/…`'s `/host` shows where a StatefulSet's data lives.
fn node_volumes_under(
    cluster: &Cluster,
    node: &str,
    root: &str,
    mount: &k8s_openapi::api::core::v1::VolumeMount,
) -> Vec<Mount> {
    let root = root.trim_end_matches('/');
    let under = |path: &str| {
        path.strip_prefix(root)
            .filter(|rest| rest.starts_with('/') && rest.len() > 1)
            .map(|rest| format!("{}{rest}", mount.mount_path.trim_end_matches('/')))
    };
    let persistent = cluster
        .store()
        .list_typed::<PersistentVolume>("")
        .filter(|pv| volume_node(pv).as_deref() == Some(node))
        .filter_map(|pv| {
            let spec = pv.spec.as_ref()?;
            let path = spec.host_path.as_ref().map(|h| h.path.as_str());
            let path = path.or(spec.local.as_ref().map(|l| l.path.as_str()))?;
            Some((under(path)?, pv.metadata.name.clone()?))
        });
    let prefix = format!("hostPath:{node}:");
    let host_paths = cluster.runtime.volumes.keys().filter_map(|key| {
        let path = key.strip_prefix(&prefix)?;
        Some((under(path)?, key.clone()))
    });
    persistent
        .chain(host_paths)
        .map(|(path, key)| Mount {
            path,
            source: Source::Volume {
                key,
                sub_path: None,
            },
            read_only: mount.read_only.unwrap_or(false),
        })
        .collect()
}

/// An ephemeral container started with `--target` shares that container's
/// processes, so `/proc/1/root` (its main process's root) is the target's
/// filesystem: its own files and its mounts, the same data its shell sees.
fn target_root(cluster: &Cluster, pod: &Pod, target: &Target) -> Vec<Mount> {
    let Some(targeted) = pod_containers::target_of(pod, &target.container) else {
        return Vec::new();
    };
    let targeted = Target {
        container: targeted.to_string(),
        ..target.clone()
    };
    let Some(inside) = Inside::of(cluster, &targeted) else {
        return Vec::new();
    };
    const ROOT: &str = "/proc/1/root";
    let base = fs::with_mount_points(inside.base_tree(), &inside.mounts);
    let own = Mount {
        path: ROOT.to_string(),
        source: Source::Layer {
            container: inside.key(),
            base: Box::new(base),
        },
        read_only: false,
    };
    let theirs = inside.mounts.into_iter().map(|m| Mount {
        path: format!("{ROOT}{}", m.path),
        ..m
    });
    std::iter::once(own).chain(theirs).collect()
}

/// A ConfigMap or Secret volume's files: every key, or the items it names.
fn pick(
    data: Option<BTreeMap<String, String>>,
    items: Option<&Vec<k8s_openapi::api::core::v1::KeyToPath>>,
) -> Vec<(String, String)> {
    let data = data.unwrap_or_default();
    match items {
        Some(items) => items
            .iter()
            .filter_map(|i| data.get(&i.key).map(|v| (i.path.clone(), v.clone())))
            .collect(),
        None => data.into_iter().collect(),
    }
}

/// The projected service account volume. The token is not a real credential:
/// the simulated apiserver checks none.
fn service_account_files(namespace: &str, account: &str, uid: &str) -> Vec<(String, String)> {
    let claims = format!("{{\"aud\":[\"https://kubernetes.default.svc.cluster.local\"],\"iss\":\"https://kubernetes.default.svc.cluster.local\",\"kubernetes.io\":{{\"namespace\":\"{namespace}\",\"pod\":{{\"uid\":\"{uid}\"}},\"serviceaccount\":{{\"name\":\"{account}\"}}}},\"sub\":\"system:serviceaccount:{namespace}:{account}\"}}");
    let token = format!(
        "{}.{}.stsplay-simulated-signature",
        base64url("{\"alg\":\"RS256\",\"kid\":\"stsplay\"}"),
        base64url(&claims)
    );
    vec![
        ("token".into(), token),
        // From the namespace's kube-root-ca.crt ConfigMap, as the projected volume says.
        (
            "ca.crt".into(),
            crate::sim::controllers::root_ca::ca_bundle(),
        ),
        ("namespace".into(), namespace.to_string()),
    ]
}

fn base64url(text: &str) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let bytes = text.as_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// What the ZooKeeper tutorial's image installs: ZooKeeper 3.4.10 in
/// /opt (its scripts linked from /usr/bin), and its empty data and log
/// directories.
fn zookeeper_files() -> Vec<(String, String)> {
    let home = "/opt/zookeeper-3.4.10";
    let mut files: Vec<(String, String)> = [
        "/var/log/zookeeper/",
        "/tmp/zookeeper/",
        "/usr/share/zookeeper/",
        "/usr/lib/jvm/java-8-openjdk-amd64/",
    ]
    .iter()
    .map(|d| (d.to_string(), String::new()))
    .collect();
    for name in userland::ZOOKEEPER_SCRIPTS {
        let text = match *name {
            "zookeeper-ready" => ZOOKEEPER_READY.to_string(),
            other => format!(
                "#!/usr/bin/env bash\n# {other}: run by stsplay's simulated ZooKeeper image\n"
            ),
        };
        files.push((format!("{home}/bin/{name}"), text));
    }
    for name in [
        "README.txt",
        "README.md",
        "zkCli.cmd",
        "zkEnv.cmd",
        "zkServer.cmd",
    ] {
        files.push((format!("{home}/bin/{name}"), String::new()));
    }
    for name in ["configuration.xsl", "log4j.properties", "zoo_sample.cfg"] {
        files.push((format!("{home}/conf/{name}"), String::new()));
    }
    for jar in [
        "jline-0.9.94.jar",
        "log4j-1.2.16.jar",
        "netty-3.10.5.Final.jar",
        "slf4j-api-1.6.1.jar",
        "slf4j-log4j12-1.6.1.jar",
    ] {
        files.push((format!("{home}/lib/{jar}"), String::new()));
    }
    files.push((format!("{home}/zookeeper-3.4.10.jar"), String::new()));
    files
}

/// The readiness script, as the tutorial quotes it.
const ZOOKEEPER_READY: &str = "#!/usr/bin/env bash
# zkOk.sh uses the ruok ZooKeeper four letter work to determine if the instance
# is health. The $? variable will be set to 0 if server responds that it is
# healthy, or 1 if the server fails to respond.

OK=$(echo ruok | nc 127.0.0.1 $1)
if [ \"$OK\" == \"imok\" ]; then
\texit 0
else
\texit 1
fi
";

/// nginx's default server block.
const NGINX_DEFAULT_CONF: &str = "server {
    listen       80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
";

/// Plays every container run's main process up to now, or up to its end
/// for a run that ended, oldest start first: its output goes to its log and
/// its file writes to its filesystem, each at the time it happened. A run
/// that was replaced by a restart is played as the current one for a
/// moment, so its output lands in its own log and layer.
pub fn start_up(cluster: &mut Cluster) {
    play_pending(cluster, None);
    userland::log_quiet_probe_checks(cluster);
}

/// [`start_up`] for the containers of the pod with this uid only, as the
/// kubelet plays a script to learn how it goes on.
pub fn start_up_pod(cluster: &mut Cluster, uid: &str) {
    play_pending(cluster, Some(uid));
}

fn play_pending(cluster: &mut Cluster, pod_uid: Option<&str>) {
    let now = cluster.now();
    let mut pending: Vec<(Millis, ContainerKey, bool)> = cluster
        .runtime
        .containers
        .iter()
        .filter(|((uid, _), _)| pod_uid.is_none_or(|u| u == uid))
        .flat_map(|(key, runs)| {
            // Played up to now already: nothing to look up (exec probes
            // come here on every check).
            let unfinished = |run: &Option<Run>| {
                run.as_ref()
                    .filter(|r| r.played_to.is_none_or(|p| p < now))
                    .map(|r| r.started)
            };
            [
                unfinished(&runs.previous).map(|at| (at, key.clone(), true)),
                unfinished(&runs.current).map(|at| (at, key.clone(), false)),
            ]
        })
        .flatten()
        .collect();
    pending.sort();
    for (started, key, replaced) in pending {
        swap_runs(cluster, &key, replaced);
        play(cluster, &key, started, replaced);
        swap_runs(cluster, &key, replaced);
    }
}

fn swap_runs(cluster: &mut Cluster, key: &ContainerKey, swap: bool) {
    if let Some(runs) = cluster.runtime.containers.get_mut(key).filter(|_| swap) {
        std::mem::swap(&mut runs.current, &mut runs.previous);
    }
}

/// Plays a container's main process, which started at `started`, from
/// where it was played to up to now or the end of the run (`replaced`:
/// the run before the current one, which has ended).
fn play(cluster: &mut Cluster, key: &ContainerKey, started: Millis, replaced: bool) {
    let Some(runs) = cluster.runtime.containers.get(key) else {
        return;
    };
    let Some(played_to) = runs.current.as_ref().map(|r| r.played_to) else {
        return;
    };
    // A replaced run ended before the next began, whatever the status says.
    let next_start = runs
        .previous
        .as_ref()
        .filter(|_| replaced)
        .map_or(Millis::MAX, |r| r.started);
    let found = cluster
        .store()
        .list(Kind::Pod)
        .find(|p| p.uid() == key.0)
        .and_then(|p| p.as_typed::<Pod>())
        .map(|pod| {
            let target = Target {
                namespace: pod.metadata.namespace.clone().unwrap_or_default(),
                pod: pod.metadata.name.clone().unwrap_or_default(),
                container: key.1.clone(),
            };
            (run_end(pod, &key.1, replaced), target)
        });
    let now = cluster.now();
    let until = found
        .as_ref()
        .and_then(|(end, _)| *end)
        .unwrap_or(Millis::MAX)
        .min(next_start)
        .min(now);
    // A run that ended has nothing more to play once played to its end.
    let ended = until < now;
    let mark = |cluster: &mut Cluster, to: Millis, progress: Option<Progress>| {
        if let Some(run) = cluster
            .runtime
            .containers
            .get_mut(key)
            .and_then(|r| r.current.as_mut())
        {
            run.played_to = Some(to);
            run.progress = progress.or(run.progress);
        }
    };
    if played_to.is_some_and(|p| p >= until) {
        if ended {
            mark(cluster, Millis::MAX, None);
        }
        return;
    }
    let Some((_, target)) = found else {
        return mark(cluster, Millis::MAX, Some(Progress::Unknown));
    };
    let inside = Inside::of(cluster, &target).filter(|i| i.uid == key.0);
    let argv = inside
        .as_ref()
        .map(Inside::main_command)
        .unwrap_or_default();
    let Some(inside) = inside.filter(|i| !argv.is_empty() && i.runs(cluster, &argv[0])) else {
        return mark(cluster, Millis::MAX, Some(Progress::Unknown));
    };
    let mut sink = Sink::default();
    let mut shell = new_shell(cluster, &inside, "sh", false);
    let mut timeline = userland::Timeline::new(played_to, until, &sink);
    let stdin = cluster.runtime.stdin.get(key).cloned();
    let host = ContainerHost::main_process(cluster, &inside, started, &mut timeline);
    userland::play_main(host, &mut shell, &argv, stdin, &mut sink);
    // A replay that ends before the last play stopped took another branch
    // (what it read changed since), so it ended only now, and what it
    // printed since its last sleep is that branch's.
    let diverged = timeline
        .exited
        .is_some_and(|(at, _)| played_to.is_some_and(|p| at <= p));
    let branch_from = match timeline.marks.last() {
        _ if !diverged => usize::MAX,
        Some((chunks, _)) => *chunks,
        None => 0,
    };
    let progress = if timeline.unsure {
        Progress::Unknown
    } else if !sink.notes.is_empty() {
        // The playground stopped a loop that would have gone on.
        Progress::Waiting
    } else if let Some((at, status)) = timeline.exited {
        Progress::Exited(if diverged { until } else { at }, status)
    } else {
        timeline.wakes.map_or(Progress::Waiting, Progress::Sleeping)
    };
    let resumes = timeline.wakes.is_some() && !ended;
    mark(
        cluster,
        if resumes { until } else { Millis::MAX },
        Some(progress),
    );
    for note in std::mem::take(&mut sink.notes) {
        sink.err_line(note);
    }
    let mut lines = Vec::new();
    for (index, chunk) in sink.chunks.into_iter().enumerate() {
        let at = if index >= branch_from {
            until
        } else {
            timeline.written_at(index, started)
        };
        if index < branch_from && played_to.is_some_and(|p| at <= p) {
            continue;
        }
        let (stream, text) = match chunk {
            crate::shell::Chunk::Out(t) => (LogStream::Stdout, t),
            crate::shell::Chunk::Err(t) => (LogStream::Stderr, t),
            crate::shell::Chunk::Clear => continue,
        };
        for line in text.strip_suffix('\n').unwrap_or(&text).split('\n') {
            lines.push(LogLine {
                at,
                stream,
                text: line.to_string(),
            });
        }
    }
    cluster
        .runtime
        .log_all(&inside.uid, &inside.target.container, lines);
}

/// When a container's run ended, by the pod's status: its current run
/// (None while it runs) or, with `previous`, the one before.
fn run_end(pod: &Pod, container: &str, previous: bool) -> Option<Millis> {
    let status = pod_containers::status(pod, container)?;
    let state = if previous {
        status.last_state.as_ref()
    } else {
        status.state.as_ref()
    };
    let finished = state?.terminated.as_ref()?.finished_at.as_ref()?;
    Some(crate::sim::clock::millis_of(finished))
}

/// A shell process in the container, with the container's environment.
fn new_shell(cluster: &Cluster, inside: &Inside, program: &str, tty: bool) -> Shell {
    let name = program.rsplit('/').next().unwrap_or(program);
    let mut shell = Shell::new(name, inside.userland.workdir);
    for (key, value) in inside.environment(cluster, tty) {
        shell.export(&key, &value);
    }
    shell.export("PWD", inside.userland.workdir);
    shell.pid = 7;
    shell
}

/// Runs a program in a running container, from outside its main process
/// (`kubectl exec … -- ARGV`, exec probes); its output and exit status.
/// `budget` is the caller's command budget, shared.
pub fn exec(
    cluster: &mut Cluster,
    inside: &Inside,
    argv: &[String],
    stdin: Option<String>,
    tty: bool,
    budget: Option<&Cell<usize>>,
) -> (Sink, i32) {
    let (sink, status, _) = run_beside_main(cluster, inside, argv, stdin, tty, budget, false);
    (sink, status)
}

/// Runs a program in a running container beside its main process: its
/// output, status and how long it took. On its own clock, its waits do not
/// move the cluster's.
fn run_beside_main(
    cluster: &mut Cluster,
    inside: &Inside,
    argv: &[String],
    stdin: Option<String>,
    tty: bool,
    budget: Option<&Cell<usize>>,
    own_clock: bool,
) -> (Sink, i32, Millis) {
    start_up(cluster);
    let now = cluster.now();
    let mut sink = Sink::default();
    let mut shell = new_shell(cluster, inside, "sh", tty);
    if let Some(budget) = budget {
        shell.set_budget(budget.get());
    }
    let host = ContainerHost::exec(cluster, inside, tty, now);
    let mut host = if own_clock { host.on_own_clock() } else { host };
    let status = userland::run_program(&mut host, &mut shell, argv, stdin, &mut sink);
    if let Some(budget) = budget {
        budget.set(shell.budget());
    }
    let took = host.now().saturating_sub(now);
    (sink, status, took)
}

/// An exec probe's check (the CRI's ExecSync): runs `command` in a
/// container as `kubectl exec` would, and judges it by its exit status;
/// what it printed is the failure's message, as the kubelet's event shows it.
pub fn exec_probe(
    cluster: &mut Cluster,
    namespace: &str,
    pod: &str,
    container: &str,
    command: &[String],
    timeout: Millis,
) -> ExecResult {
    match exec_sync(cluster, namespace, pod, container, command) {
        Err(error) => ExecResult::Errored(error),
        Ok((.., took)) if took > timeout => ExecResult::Failed(timed_out(command, timeout)),
        Ok((0, ..)) => ExecResult::Passed,
        Ok((_, sink, _)) => ExecResult::Failed(sink.text().trim_end().to_string()),
    }
}

/// The CRI's ExecSync, as the kubelet calls it for probes and hooks: what
/// the command printed, its status and how long it took, or the runtime's
/// error when it cannot run. The kubelet waits for it in the middle of a
/// sync, so the command runs on its own clock.
pub fn exec_sync(
    cluster: &mut Cluster,
    namespace: &str,
    pod: &str,
    container: &str,
    command: &[String],
) -> Result<(i32, Sink, Millis), String> {
    let target = Target {
        namespace: namespace.to_string(),
        pod: pod.to_string(),
        container: container.to_string(),
    };
    let Some(inside) = Inside::of(cluster, &target) else {
        return Err(format!("container \"{container}\" not found"));
    };
    if !command.first().is_some_and(|p| inside.runs(cluster, p)) {
        let program = command.first().map_or("", String::as_str);
        return Err(format!(
            "rpc error: code = Unknown desc = failed to exec in container: failed to start exec: {}",
            image::exec_failed(program)
        ));
    }
    let (sink, status, took) = run_beside_main(cluster, &inside, command, None, false, None, true);
    Ok((status, sink, took))
}

/// An interactive shell in a container (`kubectl exec -it … -- sh`, `kubectl run -it`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub target: Target,
    /// The pod's uid: a pod recreated under the same name is another pod.
    pub uid: String,
    /// The shell as it was started (`sh`, `/bin/bash`).
    pub program: String,
    pub shell: Shell,
    pub userland: Userland,
    pub hostname: String,
    pub tty: bool,
    /// The shell is the container's main process (`kubectl run -it`): what
    /// it shows is the container's log.
    pub main_process: bool,
    /// The mysql client's prompt, which the lines go to instead of the shell.
    pub sql: Option<userland::MySqlPrompt>,
}

impl Session {
    pub fn new(cluster: &mut Cluster, inside: &Inside, program: &str, tty: bool) -> Session {
        start_up(cluster);
        Session {
            target: inside.target.clone(),
            uid: inside.uid.clone(),
            program: program.to_string(),
            shell: new_shell(cluster, inside, program, tty),
            userland: inside.userland.clone(),
            hostname: inside.hostname.clone(),
            tty,
            main_process: false,
            sql: None,
        }
    }

    /// `mysql ARGS…` at a terminal: the client's prompt, and the greeting
    /// it prints; or its error and exit status.
    pub fn mysql(
        cluster: &mut Cluster,
        inside: &Inside,
        args: &[String],
        tty: bool,
    ) -> Result<(Session, String), (String, i32)> {
        let mut session = Session::new(cluster, inside, "mysql", tty);
        let (prompt, greeting) = userland::MySqlPrompt::open(cluster, inside, args)?;
        session.sql = Some(prompt);
        Ok((session, greeting))
    }

    /// A line typed at the mysql prompt; the output and, once the client
    /// quits, its exit status.
    pub fn run_sql(&mut self, cluster: &mut Cluster, line: &str) -> (Sink, Option<i32>) {
        start_up(cluster);
        let mut sink = Sink::default();
        let Some(inside) = self.inside(cluster) else {
            return (sink, Some(137));
        };
        let Some(prompt) = self.sql.as_mut() else {
            return (sink, None);
        };
        let (text, exited) = prompt.line(cluster, &inside, line);
        sink.out(text);
        (sink, exited)
    }

    /// The container, while it is still the one this shell runs in.
    pub fn inside(&self, cluster: &Cluster) -> Option<Inside> {
        Inside::of(cluster, &self.target).filter(|i| i.uid == self.uid && i.running(cluster))
    }

    pub fn shell_name(&self) -> &'static str {
        self.userland.shell_name(&self.program)
    }

    /// The prompt the shell shows (none without a terminal).
    pub fn prompt(&self) -> String {
        if !self.tty {
            return String::new();
        }
        if let Some(sql) = &self.sql {
            return sql.prompt().to_string();
        }
        let cwd = &self.shell.cwd;
        match (self.shell_name(), self.userland.distro) {
            ("bash", _) => {
                let shown = if cwd == "/root" {
                    "~".to_string()
                } else {
                    cwd.clone()
                };
                format!("root@{}:{shown}# ", self.hostname)
            }
            (_, Distro::Debian) => "# ".to_string(),
            _ => format!("{cwd} # "),
        }
    }

    /// Runs one command line; returns the output and, if the shell exited, its exit status.
    pub fn run(
        &mut self,
        cluster: &mut Cluster,
        script: &crate::shell::ast::Script,
    ) -> (Sink, Option<i32>) {
        start_up(cluster);
        let mut sink = Sink::default();
        let Some(inside) = self.inside(cluster) else {
            return (sink, Some(137));
        };
        let now = cluster.now();
        self.shell.new_line();
        let mut host = ContainerHost::exec(cluster, &inside, self.tty, now);
        host.in_session(self.shell_name(), self.shell.pid, &self.program);
        let flow = run_script(&mut self.shell, &mut host, script, &mut sink);
        crate::sim::kubelet::commands_ran(cluster, &inside.target.namespace, &inside.target.pod);
        match flow {
            Flow::Exit(code) => {
                if self.shell_name() == "bash" {
                    sink.out("exit\n");
                }
                (sink, Some(code))
            }
            _ => (sink, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_encodes() {
        assert_eq!(base64url("hi"), "aGk");
        assert_eq!(base64url("abc"), "YWJj");
    }
}
