//! What is installed in a container image: its shell, its tools and the
//! formats they print, decided from the image's repository and tag.

use k8s_openapi::api::core::v1::Container;

use crate::sim::defaults::image_tag;

/// The family of the image's userland, which decides message formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distro {
    /// busybox: ash and applets. `legacy` is busybox ≤ 1.28, whose
    /// nslookup prints the `Address 1:` format the StatefulSet tutorial shows.
    Busybox { legacy: bool },
    /// Alpine: busybox applets on musl.
    Alpine,
    /// Debian or Ubuntu: dash as `sh`, bash, coreutils.
    Debian,
    /// No shell or tools at all (distroless images, `pause`, `etcd`).
    Distroless,
}

/// Which nslookup an image has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nslookup {
    BusyboxLegacy,
    Busybox,
    Bind,
}

/// The web server an image runs by default, for what curl gets back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebServer {
    /// nginx, with its version for `Server:` headers and error pages,
    /// whether it also listens on IPv6 (so `curl localhost` comes from `::1`),
    /// and whether its access log ends with X-Forwarded-For (the Docker
    /// image's `main` format; nginx-slim's stock nginx.conf logs `combined`).
    Nginx {
        version: &'static str,
        ipv6: bool,
        forwarded_for: bool,
    },
    /// Apache httpd.
    Httpd,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Userland {
    pub distro: Distro,
    pub bash: bool,
    /// `curl/…` user agent, when curl is installed.
    pub curl: Option<&'static str>,
    pub wget: bool,
    pub nslookup: Option<Nslookup>,
    pub dig: bool,
    pub ps: bool,
    pub web: Option<WebServer>,
    /// The image's ENTRYPOINT and CMD.
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    /// The image's WORKDIR.
    pub workdir: &'static str,
    /// The program a component's image is built around (`coredns`), when
    /// stsplay runs it.
    pub binary: Option<&'static str>,
    /// kubernetes.io's ZooKeeper image: its scripts, zkCli.sh, nc and pkill.
    pub zookeeper: bool,
    /// MySQL's programs, in the mysql image or the tutorial's xtrabackup image.
    pub mysql: Option<MySqlTools>,
    /// The Cassandra tutorial's image: run.sh, Cassandra, nodetool, cqlsh.
    pub cassandra: bool,
    /// Directories that are symbolic links, and where they point.
    pub links: &'static [(&'static str, &'static str)],
}

/// Which of MySQL's programs an image has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MySqlTools {
    /// The mysql image: mysqld, its entrypoint, and the clients.
    Server,
    /// The MySQL tutorial's gcr.io/google-samples/xtrabackup: the clients,
    /// Percona XtraBackup with xbstream, and ncat.
    Backup,
}

/// nginx in the library image's `latest` tag when this was written.
const NGINX_LATEST: &str = "1.29.1";

impl Userland {
    /// The userland of an image reference such as `registry.k8s.io/nginx-slim:0.8`.
    pub fn of(image: &str) -> Userland {
        let tag = image_tag(image).unwrap_or("latest");
        let without_tag = match image_tag(image) {
            Some(t) => &image[..image.len() - t.len() - 1],
            None => image.split('@').next().unwrap_or(image),
        };
        let repository = without_tag.rsplit('/').next().unwrap_or(without_tag);
        let alpine = tag.contains("alpine");
        let cmd = default_cmd(repository);
        let base = Userland {
            distro: Distro::Debian,
            bash: true,
            curl: None,
            wget: false,
            nslookup: None,
            dig: false,
            ps: false,
            web: None,
            entrypoint: &[],
            cmd,
            workdir: if repository == "httpd" {
                "/usr/local/apache2"
            } else {
                "/"
            },
            binary: None,
            zookeeper: false,
            mysql: None,
            cassandra: false,
            links: &[],
        };
        let busybox_like = |distro| Userland {
            distro,
            bash: false,
            wget: true,
            nslookup: Some(Nslookup::Busybox),
            ps: true,
            ..base.clone()
        };
        match repository {
            "busybox" => {
                let legacy = version_at_most(tag, 1, 28);
                Userland {
                    nslookup: Some(if legacy {
                        Nslookup::BusyboxLegacy
                    } else {
                        Nslookup::Busybox
                    }),
                    ..busybox_like(Distro::Busybox { legacy })
                }
            }
            "alpine" | "agnhost" => busybox_like(Distro::Alpine),
            "local-path-provisioner" => Userland {
                binary: Some("local-path-provisioner"),
                ..busybox_like(Distro::Alpine)
            },
            "nginx" if alpine => Userland {
                curl: Some("curl/8.14.1"),
                web: Some(WebServer::Nginx {
                    version: nginx_version(tag),
                    ipv6: true,
                    forwarded_for: true,
                }),
                entrypoint: &["/docker-entrypoint.sh"],
                ..busybox_like(Distro::Alpine)
            },
            "nginx" => Userland {
                curl: Some("curl/7.88.1"),
                web: Some(WebServer::Nginx {
                    version: nginx_version(tag),
                    ipv6: true,
                    forwarded_for: true,
                }),
                entrypoint: &["/docker-entrypoint.sh"],
                ..base
            },
            // Kubernetes' test image: nginx on ubuntu-slim, with curl (the tutorial runs it).
            "nginx-slim" => Userland {
                curl: Some("curl/7.47.0"),
                ps: true,
                web: Some(WebServer::Nginx {
                    version: slim_nginx_version(tag),
                    ipv6: false,
                    forwarded_for: false,
                }),
                ..base
            },
            "httpd" => Userland {
                web: Some(WebServer::Httpd),
                ..base
            },
            "ubuntu" => Userland { ps: true, ..base },
            "mysql" => Userland {
                mysql: Some(MySqlTools::Server),
                entrypoint: &["docker-entrypoint.sh"],
                ..base
            },
            "xtrabackup" => Userland {
                mysql: Some(MySqlTools::Backup),
                ..base
            },
            // kubernetes.io's Cassandra tutorial image (3.11.2 on debian-base).
            "cassandra" if without_tag.ends_with("google-samples/cassandra") => Userland {
                cassandra: true,
                cmd: &["/sbin/dumb-init", "/bin/bash", "/run.sh"],
                ..base
            },
            "kubernetes-zookeeper" => Userland {
                ps: true,
                zookeeper: true,
                links: &[
                    ("/opt/zookeeper", "/opt/zookeeper-3.4.10"),
                    ("/usr/etc/zookeeper", "/opt/zookeeper/conf"),
                ],
                ..base
            },
            "jessie-dnsutils" | "dnsutils" => Userland {
                nslookup: Some(Nslookup::Bind),
                dig: true,
                wget: true,
                ps: true,
                ..base
            },
            "netshoot" => Userland {
                curl: Some("curl/8.14.1"),
                nslookup: Some(Nslookup::Bind),
                dig: true,
                ..busybox_like(Distro::Alpine)
            }
            .with_bash(),
            // The docs' load generators (`super::stress`): Vish Kannan's Go
            // binary alone, or GNU stress built on Alpine.
            "stress" if without_tag.ends_with("vish/stress") => Userland {
                distro: Distro::Distroless,
                bash: false,
                entrypoint: &["/stress", "-logtostderr"],
                cmd: &[],
                binary: Some("stress"),
                ..base
            },
            "stress" => Userland {
                binary: Some("stress"),
                ..busybox_like(Distro::Alpine)
            },
            "coredns" => Userland {
                distro: Distro::Distroless,
                bash: false,
                entrypoint: &["/coredns"],
                binary: Some("coredns"),
                ..base
            },
            // Components whose images are a static binary and nothing else.
            "pause"
            | "etcd"
            | "kube-apiserver"
            | "kube-controller-manager"
            | "kube-scheduler"
            | "kindnetd" => Userland {
                distro: Distro::Distroless,
                bash: false,
                ..base
            },
            _ if alpine => busybox_like(Distro::Alpine),
            _ => base,
        }
    }

    fn with_bash(self) -> Userland {
        Userland { bash: true, ..self }
    }

    /// Whether the image has mysqld.
    pub fn mysql_server(&self) -> bool {
        self.mysql == Some(MySqlTools::Server)
    }

    /// Whether `program` (a name or a path such as `/bin/sh`) is installed.
    pub fn has(&self, program: &str) -> bool {
        let name = program.rsplit('/').next().unwrap_or(program);
        if self.binary == Some(name) {
            return true;
        }
        if self.distro == Distro::Distroless {
            return false;
        }
        let busybox = matches!(self.distro, Distro::Busybox { .. } | Distro::Alpine);
        match name {
            "sh" | "cat" | "ls" | "mkdir" | "rm" | "echo" | "env" | "printenv" | "date"
            | "hostname" | "sleep" | "touch" | "head" | "tail" | "grep" | "wc" | "sort"
            | "uniq" | "id" | "whoami" | "uname" | "chmod" | "chown" | "true" | "false" | "pwd"
            | "printf" | "test" | "[" | "cp" | "mv" | "nohup" | "kill" | "base64" | "tar" => true,
            "bash" => self.bash,
            "ash" | "ping" => busybox,
            "nc" if busybox => true,
            "dash" | "getent" | "apt-get" | "apt" => !busybox,
            "apk" => self.distro == Distro::Alpine,
            "curl" => self.curl.is_some(),
            "wget" => self.wget,
            "nslookup" => self.nslookup.is_some(),
            "dig" | "host" => self.dig,
            "ps" => self.ps,
            "nc" | "pkill" => self.zookeeper,
            name if crate::container::userland::ZOOKEEPER_SCRIPTS.contains(&name) => self.zookeeper,
            "nginx" => matches!(self.web, Some(WebServer::Nginx { .. })),
            "docker-entrypoint.sh" => !self.entrypoint.is_empty(),
            "sed" => true,
            "mysql" | "mysqladmin" => self.mysql.is_some(),
            "mysqld" => self.mysql_server(),
            "xtrabackup" | "xbstream" | "ncat" => self.mysql == Some(MySqlTools::Backup),
            "dumb-init" | "cassandra" | "nodetool" | "cqlsh" => self.cassandra,
            _ => false,
        }
    }

    /// The main process's command line: `command` replaces the image's
    /// ENTRYPOINT, `args` its CMD.
    pub fn main_command(&self, container: &Container) -> Vec<String> {
        let owned = |s: &[&str]| s.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        match (&container.command, &container.args) {
            (Some(command), args) => command
                .iter()
                .chain(args.iter().flatten())
                .cloned()
                .collect(),
            (None, Some(args)) => owned(self.entrypoint)
                .into_iter()
                .chain(args.iter().cloned())
                .collect(),
            (None, None) => owned(self.entrypoint)
                .into_iter()
                .chain(owned(self.cmd))
                .collect(),
        }
    }

    /// The runtime's error when the container's executable is surely not in
    /// the image (`command: [slep, "3600"]`): runc cannot start it, so the
    /// container ends with StartError before it runs.
    pub fn start_error(&self, container: &Container) -> Option<String> {
        let argv = self.main_command(container);
        let program = argv.first().filter(|p| self.surely_lacks(p))?;
        let cause = missing(program);
        Some(format!(
            "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {cause}"
        ))
    }

    /// Whether the image surely has no program `name`, so that running it
    /// fails on a real node too. The simulator knows every program of BusyBox
    /// images and of distroless ones whose binary it names, and only a part
    /// of the others'. A path in a BusyBox image may name a file that a
    /// volume brings.
    pub fn surely_lacks(&self, name: &str) -> bool {
        if self.has(name) {
            return false;
        }
        match self.distro {
            // A component's image holds its binary, named or not.
            Distro::Distroless => self.binary.is_some(),
            Distro::Debian => false,
            Distro::Busybox { .. } | Distro::Alpine => {
                let alpine = self.distro == Distro::Alpine;
                !name.contains('/') && !super::applets::busybox_has(name, alpine)
            }
        }
    }

    /// The shell's name in its own error messages.
    pub fn shell_name(&self, program: &str) -> &'static str {
        match program.rsplit('/').next().unwrap_or(program) {
            "bash" => "bash",
            _ => "sh",
        }
    }

    /// How this image's `sh` reports an unknown command.
    pub fn not_found(&self, shell: &str, name: &str) -> String {
        match (shell, self.distro) {
            ("bash", _) => format!("bash: {name}: command not found"),
            (_, Distro::Debian) => format!("sh: 1: {name}: not found"),
            _ => format!("sh: {name}: not found"),
        }
    }
}

/// runc's words for a program it cannot find: a path it could not stat, or
/// a name not in $PATH.
fn missing(program: &str) -> String {
    if program.contains('/') {
        format!("exec: \"{program}\": stat {program}: no such file or directory")
    } else {
        format!("exec: \"{program}\": executable file not found in $PATH")
    }
}

/// runc's words when a command run in a running container (`kubectl exec`,
/// an exec probe, a hook) names a program the image lacks.
pub fn exec_failed(program: &str) -> String {
    format!(
        "OCI runtime exec failed: exec failed: unable to start container process: {}",
        missing(program)
    )
}

/// The CMD of the images the simulator knows.
fn default_cmd(repository: &str) -> &'static [&'static str] {
    match repository {
        "nginx" | "nginx-slim" => &["nginx", "-g", "daemon off;"],
        "httpd" => &["httpd-foreground"],
        "busybox" | "alpine" => &["sh"],
        "redis" => &["redis-server"],
        "mysql" => &["mysqld"],
        "postgres" => &["postgres"],
        "mongo" => &["mongod"],
        "zookeeper" => &["zkServer.sh", "start-foreground"],
        "etcd" => &["/usr/local/bin/etcd"],
        "pause" => &["/pause"],
        "netshoot" => &["zsh"],
        "stress" => &["stress"],
        _ => &["bash"],
    }
}

fn nginx_version(tag: &str) -> &'static str {
    // Only versions this table knows; others print as the current mainline.
    const KNOWN: [&str; 8] = [
        "1.25.5", "1.26.3", "1.27.0", "1.27.3", "1.27.4", "1.27.5", "1.28.0", "1.29.1",
    ];
    let tag = tag.split('-').next().unwrap_or(tag);
    KNOWN
        .iter()
        .rev()
        .copied()
        .find(|v| *v == tag || v.starts_with(&format!("{tag}.")))
        .unwrap_or(NGINX_LATEST)
}

/// The nginx an nginx-slim tag was built with (ingress-nginx's
/// images/nginx-slim, whose Makefile TAG and build.sh NGINX_VERSION moved
/// together from 0.13 to 0.28). Older tags, whose build history lives
/// elsewhere, keep 1.11.3; newer ones the last, 1.13.6.
fn slim_nginx_version(tag: &str) -> &'static str {
    const BUILT: [(u32, &str); 16] = [
        (13, "1.11.9"),
        (14, "1.11.10"),
        (15, "1.11.12"),
        (16, "1.11.12"),
        (17, "1.13.0"),
        (18, "1.13.1"),
        (19, "1.13.1"),
        (20, "1.13.2"),
        (21, "1.13.3"),
        (22, "1.13.3"),
        (23, "1.13.4"),
        (24, "1.13.5"),
        (25, "1.13.5"),
        (26, "1.13.6"),
        (27, "1.13.6"),
        (28, "1.13.6"),
    ];
    let Some(minor) = tag.strip_prefix("0.").and_then(|m| m.parse::<u32>().ok()) else {
        return "1.13.6";
    };
    match BUILT.iter().find(|(m, _)| *m == minor) {
        Some((_, version)) => version,
        None if minor < 13 => "1.11.3",
        None => "1.13.6",
    }
}

/// Whether a tag like `1.28` or `1.28.4` is at most `major.minor`.
fn version_at_most(tag: &str, major: u32, minor: u32) -> bool {
    let mut parts = tag.split(['.', '-']).map(|p| p.parse::<u32>());
    match (parts.next(), parts.next()) {
        (Some(Ok(a)), Some(Ok(b))) => (a, b) <= (major, minor),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_decide_their_tools() {
        let busybox = Userland::of("busybox:1.28");
        assert_eq!(busybox.distro, Distro::Busybox { legacy: true });
        assert!(
            busybox.has("nslookup")
                && busybox.has("wget")
                && !busybox.has("curl")
                && !busybox.has("bash")
        );
        assert_eq!(Userland::of("busybox").nslookup, Some(Nslookup::Busybox));
        let slim = Userland::of("registry.k8s.io/nginx-slim:0.8");
        assert!(slim.has("curl") && slim.has("/bin/bash") && !slim.has("nslookup"));
        assert!(!Userland::of("nginx:1.27").has("ps"));
        assert!(!Userland::of("registry.k8s.io/pause:3.10").has("sh"));
        // The shared text tools, base64 among them, are in busybox and coreutils alike.
        assert!(busybox.has("base64") && Userland::of("nginx").has("/usr/bin/base64"));
        assert!(!Userland::of("registry.k8s.io/pause:3.10").has("base64"));
        assert_eq!(
            Userland::of("debian").not_found("sh", "ps"),
            "sh: 1: ps: not found"
        );
        assert_eq!(
            Userland::of("busybox").not_found("sh", "ps"),
            "sh: ps: not found"
        );
    }

    #[test]
    fn busybox_images_surely_lack_only_what_busybox_does_not_build() {
        let busybox = Userland::of("busybox");
        assert!(busybox.surely_lacks("slep"));
        assert!(
            !busybox.surely_lacks("sed"),
            "an applet the simulator does not run"
        );
        assert!(
            !busybox.surely_lacks("/scripts/run.sh"),
            "a volume may bring it"
        );
        let alpine = Userland::of("alpine:3.20");
        assert!(alpine.surely_lacks("slep") && !alpine.surely_lacks("apk"));
        assert!(
            !Userland::of("nginx").surely_lacks("slep"),
            "Debian images hold more than the simulator knows"
        );
        let kindnetd = Userland::of("docker.io/kindest/kindnetd:v20250512-df8de77b");
        assert!(
            !kindnetd.surely_lacks("/bin/kindnetd"),
            "a binary it does not name"
        );
        assert!(Userland::of("registry.k8s.io/coredns/coredns:v1.12.1").surely_lacks("sh"));
    }

    #[test]
    fn an_executable_the_image_lacks_cannot_start() {
        let container = |argv: &[&str]| Container {
            name: "c".into(),
            command: Some(argv.iter().map(|w| w.to_string()).collect()),
            ..Default::default()
        };
        let busybox = Userland::of("busybox");
        let error = busybox
            .start_error(&container(&["slep", "5"]))
            .unwrap_or_default();
        assert!(
            error.ends_with("exec: \"slep\": executable file not found in $PATH"),
            "{error}"
        );
        assert_eq!(busybox.start_error(&container(&["sh", "-c", "slep"])), None);
        assert!(
            exec_failed("/bin/no-such-thing").ends_with(
                "exec: \"/bin/no-such-thing\": stat /bin/no-such-thing: no such file or directory"
            ),
            "a path runc could not stat"
        );
        assert_eq!(busybox.start_error(&Container::default()), None);
    }
}
