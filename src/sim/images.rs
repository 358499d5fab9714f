//! What a simulated container does, decided from its image and command.
//!
//! The rule, documented in ARCHITECTURE.md: an image is pullable when its
//! repository (the last path segment, before the tag) is in [`CATALOGUE`]
//! and its tag is `latest`, absent, or starts with a digit or a known
//! variant word, and is not a schema 1 tag containerd 2.1 refuses; anything
//! else fails to pull as a missing repository or tag would. The command
//! decides the rest: servers and `tail -f`/`sleep infinity` stay up, and
//! what ends by itself is run in the container to learn how
//! (`kubelet/scripts.rs`), this module's guess standing where it cannot be.

use super::defaults::{image_tag, image_without_tag};

/// Repository name (or the end of its path), image size in bytes, what runs
/// by default, and the port its default server listens on (0 for none).
const CATALOGUE: &[(&str, u64, Entrypoint, u16)] = &[
    ("nginx-slim", 9_926_843, Entrypoint::HttpServer, 80),
    ("nginx", 72_223_946, Entrypoint::HttpServer, 80),
    ("httpd", 58_129_304, Entrypoint::HttpServer, 80),
    ("busybox", 2_155_615, Entrypoint::Shell, 0),
    ("alpine", 3_653_719, Entrypoint::Shell, 0),
    ("ubuntu", 29_754_422, Entrypoint::Shell, 0),
    ("debian", 48_494_272, Entrypoint::Shell, 0),
    ("centos", 83_518_086, Entrypoint::Shell, 0),
    ("redis", 45_195_374, Entrypoint::Server, 6379),
    ("mysql", 172_424_012, Entrypoint::Server, 3306),
    ("postgres", 158_435_009, Entrypoint::Server, 5432),
    ("mongo", 286_331_002, Entrypoint::Server, 27017),
    ("zookeeper", 146_832_571, Entrypoint::Server, 2181),
    // The MySQL tutorial's gcr.io/google-samples/xtrabackup (Percona
    // XtraBackup 2.4 on Debian, `crate::container::userland::xtrabackup`).
    // Its size is estimated, not read off a registry.
    ("xtrabackup", 96_310_212, Entrypoint::Shell, 0),
    // kubernetes.io's Cassandra tutorial image (Cassandra 3.11.2 on
    // debian-base, `crate::container::userland::cassandra`): only Google's,
    // whose run.sh, nodetool and readiness script are simulated; Docker's
    // library image is another program. Its size is estimated, not read off
    // a registry.
    (
        "google-samples/cassandra",
        152_845_313,
        Entrypoint::Server,
        9042,
    ),
    // kubernetes.io's ZooKeeper tutorial image (ZooKeeper 3.4.10 on Ubuntu
    // 16.04, `crate::container::userland::zookeeper`). Its size is
    // estimated, not read off a registry.
    (
        "kubernetes-zookeeper",
        128_418_302,
        Entrypoint::WrappedServer,
        2181,
    ),
    ("etcd", 23_251_002, Entrypoint::Component, 2379),
    ("pause", 320_368, Entrypoint::Server, 0),
    ("agnhost", 52_163_001, Entrypoint::HttpServer, 8080),
    // The docs' load generators, polinux/stress and vish/stress (what they do:
    // `crate::container::stress`). Its size is estimated, not read off a registry.
    ("stress", 4_172_112, Entrypoint::Server, 0),
    // DNS debugging images from the Kubernetes docs (dig, nslookup, host).
    ("jessie-dnsutils", 120_134_570, Entrypoint::Shell, 0),
    ("netshoot", 214_418_293, Entrypoint::Shell, 0),
    // What kind runs in kube-system and local-path-storage (src/sim/system_pods.rs).
    ("kube-apiserver", 27_080_843, Entrypoint::Component, 6443),
    (
        "kube-controller-manager",
        22_819_474,
        Entrypoint::Component,
        10257,
    ),
    ("kube-scheduler", 17_385_558, Entrypoint::Component, 10259),
    ("kube-proxy", 25_963_718, Entrypoint::Component, 0),
    ("coredns", 22_384_805, Entrypoint::Component, 53),
    ("kindnetd", 38_484_264, Entrypoint::Component, 0),
    (
        "local-path-provisioner",
        22_541_737,
        Entrypoint::Component,
        0,
    ),
];

/// Tags pushed with a Docker schema 1 manifest, which containerd 2.1 (kind
/// 1.34's runtime) no longer pulls: nginx-slim 0.7 and 0.8, which older
/// StatefulSet tutorials use (kubernetes/website#46639 moved to 0.24 for it).
const SCHEMA_1: &[(&str, &str)] = &[("nginx-slim", "0.7"), ("nginx-slim", "0.8")];

const TAG_WORDS: &[&str] = &[
    "latest", "alpine", "stable", "slim", "bookworm", "bullseye", "jammy", "noble", "musl", "glibc",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entrypoint {
    /// Serves HTTP on its port and runs until stopped (nginx).
    HttpServer,
    /// A long-running server that is not HTTP.
    Server,
    /// A shell with no terminal: exits at once.
    Shell,
    /// A cluster component (etcd, CoreDNS, kube-proxy, …): runs whatever its
    /// command line says and answers the health checks its manifest declares.
    Component,
    /// A shell image whose server the pod's command starts under `sh -c`:
    /// its dash (Ubuntu 16.04's) stays PID 1 and, having no handler,
    /// ignores SIGTERM, so the container is killed after the grace period.
    WrappedServer,
}

/// How the main process behaves once started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Runs until stopped, answering on `port` if any (over HTTP when
    /// `serves_http`); `graceful` whether SIGTERM ends it (a `tail` as PID 1
    /// ignores it and is killed after the grace period).
    Runs {
        serves_http: bool,
        port: Option<u16>,
        graceful: bool,
    },
    /// Exits after `after_ms` with `code`.
    Exits { after_ms: u64, code: i32 },
    /// A cluster component: runs until stopped (SIGTERM ends it) and answers
    /// every probe while healthy.
    Component,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub size: u64,
    pub entrypoint: Entrypoint,
    pub port: u16,
    /// A server image's server program: told to run another (its client,
    /// `mysql -h …`), the container runs that, which ends by itself.
    pub server: Option<&'static str>,
    /// Its default program is simulated: played at start to learn whether
    /// and when it ends (a mysql entrypoint without a password, a Cassandra
    /// whose seeds do not resolve).
    pub plays_start: bool,
    /// The status a default server that heeds SIGTERM ends with: 0, or a
    /// JVM's 143 (128 + SIGTERM) once its shutdown hooks ran.
    pub sigterm_exit: i32,
}

/// The server programs of the server images whose clients the simulator runs.
fn server_program(repository: &str) -> Option<&'static str> {
    match repository {
        "mysql" => Some("mysqld"),
        _ => None,
    }
}

/// The pull result for an image reference: its info, or the runtime's error.
pub fn lookup(image: &str) -> Result<ImageInfo, String> {
    let without_tag = image_without_tag(image);
    let repository = without_tag.rsplit('/').next().unwrap_or(without_tag);
    let listed = |name: &str| {
        name == repository
            || without_tag
                .strip_suffix(name)
                .is_some_and(|rest| rest.ends_with('/') && name.contains('/'))
    };
    let Some((name, size, entrypoint, port)) = CATALOGUE.iter().find(|(name, ..)| listed(name))
    else {
        return Err(format!(
            "failed to pull and unpack image \"{}\": failed to resolve reference \"{}\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
            qualified(image),
            qualified(image)
        ));
    };
    let cassandra = *name == "google-samples/cassandra";
    if let Some(tag) = image_tag(image) {
        // The CRI pulls through containerd's transfer service, which refuses
        // such a manifest once it has resolved it.
        if SCHEMA_1.contains(&(repository, tag)) {
            return Err(format!(
                "rpc error: code = InvalidArgument desc = failed to pull and unpack image \"{}\": schema 1 image manifests are no longer supported: invalid argument",
                qualified(image)
            ));
        }
        // `1.27`, `v1.34.0`, `v20250512-df8de77b`: versions, with or without a `v`.
        let version = tag.strip_prefix('v').unwrap_or(tag);
        let known = version.starts_with(|c: char| c.is_ascii_digit())
            || TAG_WORDS.iter().any(|w| tag.starts_with(w));
        if !known {
            return Err(format!(
                "rpc error: code = NotFound desc = failed to pull and unpack image \"{}\": failed to resolve reference \"{}\": {}: not found",
                qualified(image),
                qualified(image),
                qualified(image)
            ));
        }
    }
    Ok(ImageInfo {
        size: *size,
        entrypoint: *entrypoint,
        port: *port,
        server: server_program(repository),
        plays_start: server_program(repository).is_some() || cassandra,
        sigterm_exit: if cassandra { 143 } else { 0 },
    })
}

/// `nginx` → `docker.io/library/nginx:latest`, as containerd reports names.
pub fn qualified(image: &str) -> String {
    let with_tag = if image_tag(image).is_some() || image.contains('@') {
        image.to_string()
    } else {
        format!("{image}:latest")
    };
    let first = with_tag.split('/').next().unwrap_or("");
    if with_tag.contains('/')
        && (first.contains('.') || first.contains(':') || first == "localhost")
    {
        with_tag
    } else if with_tag.contains('/') {
        format!("docker.io/{with_tag}")
    } else {
        format!("docker.io/library/{with_tag}")
    }
}

/// The groups root belongs to in the image's /etc/group: busybox and Alpine
/// (and images built on them) put root in wheel as well. The kubelet reports
/// them in the container status; `id` inside the container prints them.
pub fn root_groups(image: &str) -> &'static [i64] {
    let repository = image_without_tag(image).rsplit('/').next().unwrap_or("");
    let alpine_tag = image_tag(image).is_some_and(|t| t.contains("alpine"));
    if matches!(repository, "busybox" | "alpine" | "agnhost") || alpine_tag {
        &[0, 10]
    } else {
        &[0]
    }
}

/// Decides the behaviour from the image and the container's command line.
pub fn behaviour(image: &ImageInfo, command: &[String], args: &[String]) -> Behaviour {
    let line = command
        .iter()
        .chain(args)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let line = line.trim();
    let server = |http: bool| Behaviour::Runs {
        serves_http: http,
        port: (image.port != 0).then_some(image.port),
        graceful: true,
    };
    if line.is_empty() {
        return match image.entrypoint {
            Entrypoint::HttpServer => server(true),
            Entrypoint::Server => server(false),
            Entrypoint::Component => Behaviour::Component,
            Entrypoint::Shell | Entrypoint::WrappedServer => Behaviour::Exits {
                after_ms: 50,
                code: 0,
            },
        };
    }
    // Loops that never end: `while true`, `while :`, `while sleep 5`.
    let endless = ["while true", "while :", "while sleep", "until false"]
        .iter()
        .any(|l| line.contains(l));
    if line.contains("tail -f") || line.contains("sleep infinity") || endless {
        return Behaviour::Runs {
            serves_http: false,
            port: None,
            graceful: false,
        };
    }
    if line.contains("daemon off") {
        return server(true);
    }
    // A script sleeps its sleeps one after another (`touch /tmp/healthy;
    // sleep 30; rm -f /tmp/healthy; sleep 600` runs 630 s), then exits.
    let slept: u64 = line
        .match_indices("sleep ")
        .filter_map(|(at, _)| number_after::<u64>(&line[at..], "sleep "))
        .fold(0, u64::saturating_add);
    if let Some(code) = number_after::<i32>(line, "exit ") {
        return Behaviour::Exits {
            after_ms: slept.saturating_mul(1000).saturating_add(100),
            code,
        };
    }
    if slept > 0 {
        return Behaviour::Exits {
            after_ms: slept.saturating_mul(1000),
            code: 0,
        };
    }
    // `nginx &`, `nohup nginx start &`, `echo hi`: the main process ends.
    if line.ends_with('&') || line.starts_with("echo") || line.contains("; exit") {
        return Behaviour::Exits {
            after_ms: 200,
            code: 0,
        };
    }
    match image.entrypoint {
        Entrypoint::HttpServer if line.contains("nginx") => server(true),
        Entrypoint::Shell => Behaviour::Exits {
            after_ms: 200,
            code: 0,
        },
        Entrypoint::HttpServer => Behaviour::Runs {
            serves_http: false,
            port: None,
            graceful: true,
        },
        Entrypoint::Server if runs_other_program(image, command, args) => Behaviour::Exits {
            after_ms: 200,
            code: 0,
        },
        Entrypoint::Server => server(false),
        Entrypoint::Component => Behaviour::Component,
        Entrypoint::WrappedServer => Behaviour::Runs {
            serves_http: false,
            port: Some(image.port),
            graceful: false,
        },
    }
}

/// Whether a server image is told to run a program other than its server
/// (through its entrypoint, which runs any other program it is given).
fn runs_other_program(image: &ImageInfo, command: &[String], args: &[String]) -> bool {
    let Some(server) = image.server else {
        return false;
    };
    let program = command
        .iter()
        .chain(args)
        .find(|w| !w.ends_with("docker-entrypoint.sh") && !w.starts_with('-'));
    program.is_some_and(|p| p.rsplit('/').next() != Some(server))
}

/// Whether the main process is an interactive shell, which keeps running
/// while its stdin is open (`kubectl run -it … -- sh`).
pub fn reads_stdin(entrypoint: Entrypoint, command: &[String], args: &[String]) -> bool {
    let mut words = command.iter().chain(args);
    match words.next() {
        None => entrypoint == Entrypoint::Shell,
        Some(program) => {
            let name = program.rsplit('/').next().unwrap_or(program);
            let rest: Vec<String> = words.cloned().collect();
            match name {
                "sh" | "bash" | "ash" | "zsh" => {
                    !rest.iter().any(|w| w.starts_with('-') && w.contains('c'))
                }
                "mysql" => !executes_statements(&rest),
                _ => false,
            }
        }
    }
}

/// Whether mysql's options give it statements to run (`-e`), so that it
/// does not read them from its input.
pub fn executes_statements(args: &[String]) -> bool {
    args.iter()
        .any(|a| a == "-e" || a.starts_with("--execute") || (a.starts_with("-e") && a.len() > 2))
}

/// The number right after the first `word` in `line` (`exit 3`, `sleep 10`).
fn number_after<N: std::str::FromStr>(line: &str, word: &str) -> Option<N> {
    let at = line.find(word)?;
    line[at + word.len()..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::strings;

    #[test]
    fn catalogue_lookup() {
        assert!(lookup("registry.k8s.io/nginx-slim:0.24").is_ok());
        assert!(lookup("registry.k8s.io/nginx-slim:0.8")
            .unwrap_err()
            .contains("schema 1 image manifests are no longer supported"));
        assert!(lookup("busybox:1.28").is_ok());
        assert!(lookup("nginx:nope").unwrap_err().contains("not found"));
        assert!(lookup("example.com/nothing")
            .unwrap_err()
            .contains("pull access denied"));
    }

    #[test]
    fn qualified_names() {
        assert_eq!(qualified("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(qualified("bitnami/redis:7"), "docker.io/bitnami/redis:7");
        assert_eq!(
            qualified("registry.k8s.io/nginx-slim:0.8"),
            "registry.k8s.io/nginx-slim:0.8"
        );
    }

    #[test]
    fn commands_decide_behaviour() {
        let nginx = lookup("nginx:1.27").unwrap();
        let busybox = lookup("busybox:1.28").unwrap();
        let serve = Behaviour::Runs {
            serves_http: true,
            port: Some(80),
            graceful: true,
        };
        assert_eq!(behaviour(&nginx, &[], &[]), serve);
        assert_eq!(
            behaviour(
                &nginx,
                &strings(&["/bin/bash", "-ce", "tail -f /dev/null"]),
                &[]
            ),
            Behaviour::Runs {
                serves_http: false,
                port: None,
                graceful: false,
            }
        );
        assert_eq!(
            behaviour(&busybox, &[], &[]),
            Behaviour::Exits {
                after_ms: 50,
                code: 0
            }
        );
        assert_eq!(
            behaviour(&busybox, &strings(&["sh", "-c", "exit 1"]), &[]),
            Behaviour::Exits {
                after_ms: 100,
                code: 1
            }
        );
        assert_eq!(
            behaviour(&nginx, &strings(&["sh", "-c", "nginx &"]), &[]),
            Behaviour::Exits {
                after_ms: 200,
                code: 0
            }
        );
        assert_eq!(
            behaviour(
                &busybox,
                &strings(&["/bin/sh", "-c"]),
                &strings(&["touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"])
            ),
            Behaviour::Exits {
                after_ms: 630_000,
                code: 0
            }
        );
        assert_eq!(
            behaviour(&busybox, &strings(&["sh", "-c", "sleep 5; exit 3"]), &[]),
            Behaviour::Exits {
                after_ms: 5_100,
                code: 3
            }
        );
        let redis = lookup("redis:7").unwrap();
        assert_eq!(
            behaviour(&redis, &[], &[]),
            Behaviour::Runs {
                serves_http: false,
                port: Some(6379),
                graceful: true,
            }
        );
    }

    #[test]
    fn interactive_shells_read_stdin() {
        assert!(reads_stdin(Entrypoint::Shell, &[], &[]));
        assert!(reads_stdin(
            Entrypoint::HttpServer,
            &strings(&["/bin/sh"]),
            &[]
        ));
        assert!(!reads_stdin(
            Entrypoint::Shell,
            &strings(&["sh", "-c", "echo hi"]),
            &[]
        ));
        assert!(!reads_stdin(Entrypoint::HttpServer, &[], &[]));
    }
}
