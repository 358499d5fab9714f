//! The server side of `registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10`,
//! the image of kubernetes.io's ZooKeeper tutorial: its `start-zookeeper`
//! script (writes zoo.cfg, java.env, log4j.properties and myid, then runs
//! the server), `zkServer.sh`, the `zookeeper-ready` probe script and the
//! four-letter words over `nc`. Facts in /work/notes/zookeeper-research.md.

use std::collections::BTreeMap;

use super::ContainerHost;
use crate::container::fs::Fs;
use crate::container::zk_data::Log;
use crate::container::zk_ensemble::{is_server, Config, Ensemble};
use crate::container::{is_loopback, Inside, Target};
use crate::shell::{absolute_path, Io, Shell};
use crate::sim::clock::{timestamp, Millis};
use crate::sim::kubelet;
use crate::sim::runtime_data::{ContainerKey, LogStream};
use crate::sim::Cluster;

pub const VERSION: &str =
    "3.4.10-39d3a4f269333c922ed3db283be479f9deacaa0f, built on 03/23/2017 10:13 GMT";

/// Where zkServer.sh, reached through its /usr/bin link, finds the config.
pub const CONFIG: &str = "/usr/bin/../etc/zookeeper/zoo.cfg";

/// The config start-zookeeper writes, by the image's real path.
const CONF: &str = "/opt/zookeeper/conf/zoo.cfg";

/// The server's command line, as `ps` shows the java process.
pub const JAVA_COMMAND: &str = "/usr/lib/jvm/java-8-openjdk-amd64/bin/java -Dzookeeper.log.dir=/var/log/zookeeper -Dzookeeper.root.logger=INFO,CONSOLE -cp /usr/bin/../build/classes:/usr/bin/../build/lib/*.jar:/usr/bin/../share/zookeeper/zookeeper-3.4.10.jar:/usr/bin/../share/zookeeper/slf4j-log4j12-1.6.1.jar:/usr/bin/../share/zookeeper/slf4j-api-1.6.1.jar:/usr/bin/../share/zookeeper/netty-3.10.5.Final.jar:/usr/bin/../share/zookeeper/log4j-1.2.16.jar:/usr/bin/../share/zookeeper/jline-0.9.94.jar:/usr/bin/../src/java/lib/*.jar:/usr/bin/../etc/zookeeper:";

/// The scripts the image adds to ZooKeeper's bin directory, linked from /usr/bin.
pub const SCRIPTS: &[&str] = &[
    "start-zookeeper",
    "zookeeper-ready",
    "zookeeper-metrics",
    "zkCli.sh",
    "zkServer.sh",
    "zkEnv.sh",
    "zkCleanup.sh",
];

/// log4j's ISO8601 layout, as the image's ConversionPattern prints a line.
pub fn log4j(at: Millis, myid: &str, level: &str, thread: &str, text: &str) -> String {
    let when = timestamp(at).strftime("%Y-%m-%d %H:%M:%S,%3f");
    format!("{when} [myid:{myid}] - {level:<5} [{thread}] - {text}")
}

/// The ephemeral port a new connection to a server comes from: the one
/// after the last its log shows.
fn next_client_port(cluster: &Cluster, key: &ContainerKey) -> u32 {
    let last = cluster.runtime.current(&key.0, &key.1).and_then(|run| {
        run.lines.iter().rev().find_map(|l| {
            let (_, address) = l.text.split_once("Accepted socket connection from /")?;
            address.rsplit_once(':')?.1.parse::<u32>().ok()
        })
    });
    last.map_or(FIRST_CLIENT_PORT, |p| p + 1)
}

const FACTORY: &str = "NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181";

/// The server's log lines for a four-letter word from a local client at
/// `at`; each connection comes from the next ephemeral port.
fn log_four_letter_word(
    cluster: &mut Cluster,
    key: &ContainerKey,
    myid: &str,
    word: &str,
    at: Millis,
) {
    let port = next_client_port(cluster, key);
    let client = format!("/127.0.0.1:{port}");
    let thread = port - FIRST_CLIENT_PORT + 1;
    let lines = vec![
        log4j(
            at,
            myid,
            "INFO",
            &format!("{FACTORY}:NIOServerCnxnFactory@192"),
            &format!("Accepted socket connection from {client}"),
        ),
        log4j(
            at,
            myid,
            "INFO",
            &format!("{FACTORY}:NIOServerCnxn@883"),
            &format!("Processing {word} command from {client}"),
        ),
        log4j(
            at + 1,
            myid,
            "INFO",
            &format!("Thread-{thread}:NIOServerCnxn@1044"),
            &format!(
                "Closed socket connection for client {client} (no session established for client)"
            ),
        ),
    ];
    crate::container::log_lines(cluster, key, at, LogStream::Stdout, lines);
}

/// The server's log lines for a zkCli session from `client_ip` at `at`:
/// accepted, established, and the client gone as its JVM exits without
/// closing the session.
pub(super) fn log_session(
    cluster: &mut Cluster,
    key: &ContainerKey,
    myid: &str,
    client_ip: &str,
    session: u64,
    at: Millis,
) {
    let port = next_client_port(cluster, key);
    let client = format!("/{client_ip}:{port}");
    let lines = vec![
        log4j(at, myid, "INFO", &format!("{FACTORY}:NIOServerCnxnFactory@192"), &format!("Accepted socket connection from {client}")),
        log4j(at + 2, myid, "INFO", &format!("{FACTORY}:ZooKeeperServer@942"), &format!("Client attempting to establish new session at {client}")),
        log4j(at + 21, myid, "INFO", &format!("CommitProcessor:{myid}:ZooKeeperServer@687"), &format!("Established session {session:#x} with negotiated timeout 30000 for client {client}")),
        log4j(at + 160, myid, "WARN", &format!("{FACTORY}:NIOServerCnxn@368"), "caught end of stream exception"),
        format!("EndOfStreamException: Unable to read additional data from client sessionid {session:#x}, likely client has closed socket"),
        "\tat org.apache.zookeeper.server.NIOServerCnxn.doIO(NIOServerCnxn.java:239)".to_string(),
        "\tat org.apache.zookeeper.server.NIOServerCnxnFactory.run(NIOServerCnxnFactory.java:203)".to_string(),
        "\tat java.lang.Thread.run(Thread.java:748)".to_string(),
        log4j(at + 161, myid, "INFO", &format!("{FACTORY}:NIOServerCnxn@1044"), &format!("Closed socket connection for client {client} which had sessionid {session:#x}")),
    ];
    crate::container::log_lines(cluster, key, at, LogStream::Stdout, lines);
}

/// The leader's log lines for sessions it expired: (when, id).
pub fn log_expiries(
    cluster: &mut Cluster,
    key: &ContainerKey,
    myid: &str,
    expired: &[(Millis, u64)],
) {
    for (at, session) in expired {
        let lines = vec![
            log4j(
                *at,
                myid,
                "INFO",
                "SessionTracker:ZooKeeperServer@358",
                &format!("Expiring session {session:#x}, timeout of 30000ms exceeded"),
            ),
            log4j(
                *at + 1,
                myid,
                "INFO",
                &format!("ProcessThread(sid:{myid} cport:-1)::PrepRequestProcessor@486"),
                &format!("Processed session termination for sessionid: {session:#x}"),
            ),
        ];
        crate::container::log_lines(cluster, key, *at, LogStream::Stdout, lines);
    }
}

/// A server's config, as start-zookeeper wrote it, and its id (its myid
/// file; empty for a standalone server, which has none).
fn server_identity(fs: &mut Fs<'_>) -> (Config, String) {
    let config = Config::parse(&fs.read(CONF).unwrap_or_default());
    let myid = fs
        .read(&format!("{}/myid", config.data_dir))
        .unwrap_or_default();
    let myid = myid.trim().to_string();
    (config, myid)
}

/// The probe checks of ZooKeeper servers that the kubelet skipped while
/// their probes were quiet: each was a `ruok` the server logged.
pub fn log_quiet_probe_checks(cluster: &mut Cluster) {
    // A server's readiness and liveness checks, merged in time order.
    let mut owed: BTreeMap<(String, String, String), Vec<Millis>> = BTreeMap::new();
    for checks in kubelet::quiet_exec_checks(cluster) {
        if checks.command.iter().any(|w| w.contains("zookeeper-ready")) {
            let key = (checks.namespace, checks.pod, checks.container);
            owed.entry(key).or_default().extend(checks.times);
        }
    }
    for ((namespace, pod, container), mut times) in owed {
        times.sort_unstable();
        let target = Target {
            namespace,
            pod,
            container,
        };
        let Some(inside) = Inside::of(cluster, &target).filter(is_server) else {
            continue;
        };
        let now = cluster.now();
        let (_, myid) = server_identity(&mut inside.fs(cluster, now));
        for at in times {
            log_four_letter_word(cluster, &inside.key(), &myid, "ruok", at);
        }
    }
}

/// The first ephemeral port a local client's connection comes from.
const FIRST_CLIENT_PORT: u32 = 52_740;

/// start-zookeeper's settings, its defaults overridden by `--name=value`.
struct Settings {
    values: Vec<(&'static str, String)>,
}

const DEFAULTS: &[(&str, &str)] = &[
    ("servers", "1"),
    ("data_dir", "/var/lib/zookeeper/data"),
    ("data_log_dir", "/var/lib/zookeeper/log"),
    ("log_dir", "/var/log/zookeeper"),
    ("conf_dir", "/opt/zookeeper/conf"),
    ("client_port", "2181"),
    ("election_port", "3888"),
    ("server_port", "2888"),
    ("tick_time", "2000"),
    ("init_limit", "10"),
    ("sync_limit", "5"),
    ("heap", "2G"),
    ("max_client_cnxns", "60"),
    ("snap_retain_count", "3"),
    ("purge_interval", "0"),
    ("max_session_timeout", ""),
    ("min_session_timeout", ""),
    ("log_level", "INFO"),
];

impl Settings {
    fn parse(args: &[String]) -> Result<Settings, String> {
        let mut values: Vec<(&'static str, String)> =
            DEFAULTS.iter().map(|(k, v)| (*k, v.to_string())).collect();
        for arg in args {
            let Some(option) = arg.strip_prefix("--") else {
                continue;
            };
            // The script matches `name=*` and takes `${OPTARG##*=}`: after the last `=`.
            let name = option.split('=').next().unwrap_or(option);
            let value = option.rsplit('=').next().unwrap_or("");
            match values.iter_mut().find(|(k, _)| *k == name) {
                Some(slot) if option.contains('=') => slot.1 = value.to_string(),
                _ => return Err(format!("Unknown option --{option}")),
            }
        }
        let tick: i64 = values
            .iter()
            .find(|(k, _)| *k == "tick_time")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        for (name, factor) in [("min_session_timeout", 2), ("max_session_timeout", 20)] {
            if let Some(slot) = values.iter_mut().find(|(k, v)| *k == name && v.is_empty()) {
                // `${MIN_SESSION_TIMEOUT:- $((TICK_TIME*2))}` keeps the space.
                slot.1 = format!(" {}", tick * factor);
            }
        }
        Ok(Settings { values })
    }

    fn get(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| *k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn zoo_cfg(&self, name: &str, domain: &str) -> String {
        let mut text = String::from("#This file was autogenerated DO NOT EDIT\n");
        for (key, setting) in [
            ("clientPort", "client_port"),
            ("dataDir", "data_dir"),
            ("dataLogDir", "data_log_dir"),
            ("tickTime", "tick_time"),
            ("initLimit", "init_limit"),
            ("syncLimit", "sync_limit"),
            ("maxClientCnxns", "max_client_cnxns"),
            ("minSessionTimeout", "min_session_timeout"),
            ("maxSessionTimeout", "max_session_timeout"),
            ("autopurge.snapRetainCount", "snap_retain_count"),
            // The script's own spelling, which ZooKeeper ignores.
            ("autopurge.purgeInteval", "purge_interval"),
        ] {
            text.push_str(&format!("{key}={}\n", self.get(setting)));
        }
        let servers: u64 = self.get("servers").parse().unwrap_or(1);
        if servers > 1 {
            for i in 1..=servers {
                text.push_str(&format!(
                    "server.{i}={name}-{}.{domain}:{}:{}\n",
                    i - 1,
                    self.get("server_port"),
                    self.get("election_port")
                ));
            }
        }
        text
    }
}

fn log4j_properties(level: &str) -> String {
    format!(
        "zookeeper.root.logger=CONSOLE\nzookeeper.console.threshold={level}\nlog4j.rootLogger=${{zookeeper.root.logger}}\nlog4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender\nlog4j.appender.CONSOLE.Threshold=${{zookeeper.console.threshold}}\nlog4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout\nlog4j.appender.CONSOLE.layout.ConversionPattern=%d{{ISO8601}} [myid:%X{{myid}}] - %-5p [%t:%C{{1}}@%L] - %m%n\n"
    )
}

/// A pod name's set name and ordinal (`zk-0` → `zk`, 0).
fn name_and_ordinal(host: &str) -> Option<(&str, u64)> {
    let (name, ordinal) = host.rsplit_once('-')?;
    Some((name, ordinal.parse().ok()?)).filter(|_| !ordinal.is_empty())
}

impl ContainerHost<'_> {
    /// `start-zookeeper [--name=value…]`.
    pub(super) fn start_zookeeper(
        &mut self,
        shell: &Shell,
        args: &[String],
        io: &mut Io<'_>,
    ) -> i32 {
        if args.iter().any(|a| a == "-h") {
            io.sink.out("Usage: start-zookeeper [OPTIONS]\nStarts a ZooKeeper server based on the supplied options.\n");
            return 0;
        }
        let settings = match Settings::parse(args) {
            Ok(settings) => settings,
            Err(message) => {
                io.sink.err_line(message);
                return 1;
            }
        };
        let host = self.inside.hostname.clone();
        let domain = self
            .inside
            .fqdn
            .as_deref()
            .and_then(|f| f.split_once('.'))
            .map(|(_, d)| d.to_string())
            .unwrap_or_default();
        let path = |setting: &str| absolute_path(&shell.cwd, settings.get(setting));
        let conf_dir = path("conf_dir");
        let config = settings.zoo_cfg(name_and_ordinal(&host).map_or("", |(n, _)| n), &domain);
        let mut fs = self.fs();
        let _ = fs.write(&format!("{conf_dir}/zoo.cfg"), &config, false);
        io.sink.err(config);
        let Some((_, ordinal)) = name_and_ordinal(&host) else {
            io.sink.out("Fialed to parse name and ordinal of Pod\n");
            return 1;
        };
        let mut fs = self.fs();
        let _ = fs.write(
            &format!("{conf_dir}/java.env"),
            &format!(
                "ZOO_LOG_DIR={}\nJVMFLAGS=\"-Xmx{heap} -Xms{heap}\"\n",
                settings.get("log_dir"),
                heap = settings.get("heap")
            ),
            false,
        );
        io.sink.out("Creating ZooKeeper log4j configuration\n");
        let _ = fs.write(
            &format!("{conf_dir}/log4j.properties"),
            &log4j_properties(settings.get("log_level")),
            false,
        );
        let user = self.user_name();
        let mut fs = self.fs();
        for (setting, group) in [
            ("data_dir", user.as_str()),
            ("data_log_dir", "USER"),
            ("log_dir", user.as_str()),
        ] {
            let dir = path(setting);
            if !fs.is_dir(&dir) || !fs.exists(&dir) {
                let _ = fs.mkdir(&dir, true);
                // The script's typo: `chown -R $USER:USER $DATA_LOG_DIR`.
                if group == "USER" {
                    io.sink
                        .err_line(format!("chown: invalid group: '{user}:USER'"));
                }
            }
        }
        let id_file = format!("{}/myid", path("data_dir"));
        let servers: u64 = settings.get("servers").parse().unwrap_or(1);
        if !fs.exists(&id_file) && servers > 1 {
            let _ = fs.write(&id_file, &format!("{}\n", ordinal + 1), true);
        }
        self.zk_server(&["start-foreground".to_string()], io)
    }

    /// `zkServer.sh start-foreground|status|…`, with the config at `CONFIG`.
    pub(super) fn zk_server(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        io.sink.err_line("ZooKeeper JMX enabled by default");
        io.sink.err_line(format!("Using config: {CONFIG}"));
        match args.first().map(String::as_str) {
            Some("start-foreground") if self.is_main() => {
                for line in self.server_start_lines() {
                    io.sink.out(format!("{line}\n"));
                }
                self.block()
            }
            Some("start-foreground" | "start") => {
                // The container's own server holds the ports.
                let now = self.now;
                io.sink.out(format!("{}\n", log4j(now, "", "ERROR", "main:QuorumPeerMain@89", "Unexpected exception, exiting abnormally\njava.net.BindException: Address already in use")));
                1
            }
            Some("status") => match self.ensemble_mode() {
                Some(mode) => {
                    io.sink.out(format!("Mode: {mode}\n"));
                    0
                }
                None => {
                    io.sink
                        .err_line("Error contacting service. It is probably not running.");
                    1
                }
            },
            _ => {
                io.sink.out("Usage: /usr/bin/zkServer.sh {start|start-foreground|stop|restart|status|upgrade|print-cmd}\n");
                1
            }
        }
    }

    /// What the server logs as it starts, up to looking for a leader.
    fn server_start_lines(&mut self) -> Vec<String> {
        let now = self.now;
        let (config, myid) = server_identity(&mut self.fs());
        let log_dir = config.log_dir();
        let mut fs = self.fs();
        let last_zxid = fs
            .list(&log_dir)
            .unwrap_or_default()
            .iter()
            .filter_map(|e| fs.read(&format!("{log_dir}/{}", e.name)).ok())
            .map(|text| Log::parse(&text).last_zxid())
            .max()
            .unwrap_or(0);
        let at = |ms: Millis| now + ms;
        let mut lines = vec![log4j(
            at(310),
            "",
            "INFO",
            "main:QuorumPeerConfig@134",
            &format!("Reading configuration from: {CONFIG}"),
        )];
        let id = if config.servers.is_empty() {
            ""
        } else {
            myid.as_str()
        };
        lines.extend([
            log4j(
                at(318),
                id,
                "INFO",
                "main:DatadirCleanupManager@78",
                "autopurge.snapRetainCount set to 3",
            ),
            log4j(
                at(318),
                id,
                "INFO",
                "main:DatadirCleanupManager@79",
                "autopurge.purgeInterval set to 0",
            ),
            log4j(
                at(319),
                id,
                "INFO",
                "main:DatadirCleanupManager@101",
                "Purge task is not scheduled.",
            ),
        ]);
        if config.servers.is_empty() {
            lines.push(log4j(
                at(319),
                "",
                "WARN",
                "main:QuorumPeerMain@113",
                "Either no config or no quorum defined in config, running  in standalone mode",
            ));
            lines.push(log4j(
                at(352),
                "",
                "INFO",
                "main:NIOServerCnxnFactory@89",
                &format!("binding to port 0.0.0.0/0.0.0.0:{}", config.client_port),
            ));
            return lines;
        }
        let peer = format!("QuorumPeer[myid={myid}]/0.0.0.0:{}", config.client_port);
        lines.extend([
            log4j(
                at(330),
                id,
                "INFO",
                "main:QuorumPeerMain@127",
                "Starting quorum peer",
            ),
            log4j(
                at(352),
                id,
                "INFO",
                "main:NIOServerCnxnFactory@89",
                &format!("binding to port 0.0.0.0/0.0.0.0:{}", config.client_port),
            ),
            log4j(
                at(401),
                id,
                "INFO",
                &format!("{peer}:QuorumPeer@865"),
                "LOOKING",
            ),
            log4j(
                at(402),
                id,
                "INFO",
                &format!("{peer}:FastLeaderElection@818"),
                &format!("New election. My id =  {myid}, proposed zxid={last_zxid:#x}"),
            ),
        ]);
        lines
    }

    /// The java process of a ZooKeeper server started as the main process,
    /// as `ps` shows it, with the heap java.env sets.
    pub(super) fn server_java_command(&mut self) -> Option<String> {
        if !is_server(self.inside) || self.is_main() {
            return None;
        }
        let env = self
            .fs()
            .read("/opt/zookeeper/conf/java.env")
            .unwrap_or_default();
        let flags = env
            .lines()
            .find_map(|l| l.strip_prefix("JVMFLAGS="))
            .map(|f| f.trim_matches('"').to_string())
            .unwrap_or_default();
        Some(format!("{JAVA_COMMAND} {flags} -Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.local.only=false org.apache.zookeeper.server.quorum.QuorumPeerMain {CONFIG}"))
    }

    /// Whether this container's main process is a ZooKeeper server that runs.
    fn serving(&self) -> bool {
        let target = &self.inside.target;
        is_server(self.inside)
            && kubelet::process_alive(
                self.cluster,
                &target.namespace,
                &target.pod,
                &target.container,
            )
    }

    /// The ensemble this container's zoo.cfg describes, None without one.
    pub(super) fn ensemble(&mut self) -> Option<Ensemble> {
        let config = Config::parse(&self.fs().read(CONF).ok()?);
        let namespace = self.inside.target.namespace.clone();
        Some(Ensemble::find(self.cluster, config, &namespace))
    }

    fn ensemble_mode(&mut self) -> Option<&'static str> {
        let ensemble = self.ensemble().filter(|_| self.serving())?;
        ensemble.mode(&self.inside.target)
    }

    /// What the server answers a four-letter word with, None when nothing
    /// listens on `port` here.
    fn four_letter_word(&mut self, word: &str, port: &str) -> Option<String> {
        if !self.serving() {
            return None;
        }
        let (config, myid) = server_identity(&mut self.fs());
        if port != config.client_port.to_string() {
            return None;
        }
        let now = self.now;
        let key = self.inside.key();
        log_four_letter_word(self.cluster, &key, &myid, word, now);
        // ruok answers whatever the ensemble's state, but every check is a
        // look at the ensemble: the elections it sees between clients are
        // recorded (their epochs), as a real ensemble holds them.
        let state = self.ensemble().and_then(|ensemble| {
            let mode = ensemble.mode(&self.inside.target)?;
            Some((mode, ensemble.synced_log(self.cluster, now)?))
        });
        let not_serving = "This ZooKeeper instance is not currently serving requests\n";
        Some(match (word, state) {
            ("ruok", _) => "imok".to_string(),
            ("srvr", Some((mode, log))) => format!(
                "Zookeeper version: {VERSION}\nLatency min/avg/max: 0/0/0\nReceived: 1\nSent: 0\nConnections: 1\nOutstanding: 0\nZxid: {:#x}\nMode: {mode}\nNode count: {}\n",
                log.last_zxid(),
                log.tree().count()
            ),
            ("mntr", Some((mode, log))) => {
                let tree = log.tree();
                format!(
                    "zk_version\t{VERSION}\nzk_avg_latency\t0\nzk_max_latency\t0\nzk_min_latency\t0\nzk_packets_received\t1\nzk_packets_sent\t0\nzk_num_alive_connections\t1\nzk_outstanding_requests\t0\nzk_server_state\t{mode}\nzk_znode_count\t{}\nzk_watch_count\t0\nzk_ephemerals_count\t{}\nzk_approximate_data_size\t{}\nzk_open_file_descriptor_count\t30\nzk_max_file_descriptor_count\t1048576\n",
                    tree.count(),
                    tree.nodes.values().filter(|n| n.owner != 0).count(),
                    tree.nodes.iter().map(|(p, n)| p.len() + n.data.len()).sum::<usize>()
                )
            }
            ("srvr" | "mntr" | "stat", None) => not_serving.to_string(),
            _ => String::new(),
        })
    }

    /// `zookeeper-ready PORT`: `echo ruok | nc 127.0.0.1 PORT` says imok.
    pub(super) fn zookeeper_ready(&mut self, args: &[String]) -> i32 {
        let port = args.first().cloned().unwrap_or_default();
        match self.four_letter_word("ruok", &port) {
            Some(answer) if answer == "imok" => 0,
            _ => 1,
        }
    }

    /// netcat-openbsd, as far as ZooKeeper's four-letter words go: a
    /// connection to this pod's server.
    pub(super) fn nc(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let [host, port] = operands.as_slice() else {
            io.sink.err_line("usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s source] [-T keyword] [-V rtable] [-W recvlimit] [-w timeout]\n\t  [-X proxy_protocol] [-x proxy_address[:port]] \t  [destination] [port]");
            return 1;
        };
        let local = is_loopback(host) || **host == self.inside.ip || **host == self.inside.hostname;
        let word = io.stdin.take().unwrap_or_default();
        let answer = local
            .then(|| self.four_letter_word(word.trim(), port))
            .flatten();
        match answer {
            Some(text) => {
                io.sink.out(text);
                0
            }
            None => 1,
        }
    }

    /// `pkill PATTERN`: signals the processes whose name matches; the
    /// server's java, killed, ends the main shell with it (128 + 15).
    pub(super) fn pkill(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        let pattern = args.iter().find(|a| !a.starts_with('-'));
        let Some(pattern) = pattern else {
            io.sink.err_line(
                "pkill: no matching criteria specified\nTry `pkill --help' for more information.",
            );
            return 2;
        };
        let signal = args
            .iter()
            .filter_map(|a| a.strip_prefix('-'))
            .map(|s| s.trim_start_matches("SIG"))
            .find(|s| s.parse::<u8>().is_ok() || s.chars().all(|c| c.is_ascii_uppercase()))
            .unwrap_or("TERM");
        let java = is_server(self.inside) && "java".contains(pattern.as_str());
        if !java {
            return 1;
        }
        let code = match signal {
            "9" | "KILL" | "SIGKILL" => kubelet::SIGKILL_EXIT,
            _ => 143,
        };
        let target = &self.inside.target;
        kubelet::main_process_exited(
            self.cluster,
            &target.namespace,
            &target.pod,
            &target.container,
            code,
        );
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::strings;

    #[test]
    fn zoo_cfg_keeps_the_scripts_quirks() {
        // Without the timeout flags, `${MIN_SESSION_TIMEOUT:- $((TICK_TIME*2))}`
        // leaves a space, as the tutorial's older output shows.
        let defaults = Settings::parse(&[])
            .unwrap()
            .zoo_cfg("zk", "zk-hs.default.svc.cluster.local");
        assert!(defaults.contains("\nminSessionTimeout= 4000\nmaxSessionTimeout= 40000\n"));
        assert!(!defaults.contains("server.1"));
        let three = Settings::parse(&strings(&[
            "--servers=3",
            "--tick_time=1000",
            "--purge_interval=12",
        ]))
        .unwrap()
        .zoo_cfg("zk", "zk-hs.default.svc.cluster.local");
        assert!(three.contains("\nminSessionTimeout= 2000\n"));
        assert!(three.contains("\nautopurge.purgeInteval=12\n"));
        assert!(three.ends_with("server.3=zk-2.zk-hs.default.svc.cluster.local:2888:3888\n"));
        assert_eq!(
            Settings::parse(&strings(&["--nope=1"])).err().as_deref(),
            Some("Unknown option --nope=1")
        );
        assert_eq!(
            Settings::parse(&strings(&["--heap"])).err().as_deref(),
            Some("Unknown option --heap")
        );
        assert_eq!(name_and_ordinal("zk-10"), Some(("zk", 10)));
        assert_eq!(name_and_ordinal("zk"), None);
    }
}
