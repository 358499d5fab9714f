//! The Cassandra tutorial image's programs: run.sh (its start-up script)
//! and the Cassandra daemon as the main process, `nodetool` and `cqlsh`,
//! over the ring model of `crate::container::cassandra_ring`.

use crate::container::cassandra_ring::{
    self, Config, Failure, Local, Node, Phase, Row, DATA, GOSSIP, HOME, JMX_UP, SEEDS_LOOKED_UP,
    STREAMING, VERSION,
};
use crate::shell::{Io, Shell};
use crate::sim::clock::{timestamp, Millis, SECOND};
use crate::sim::runtime_data::{ContainerKey, LogStream};

use super::ContainerHost;

const CONF: &str = "/etc/cassandra";
/// What the image keeps in /etc/cassandra, which run.sh hands to the
/// cassandra user with `chown -c -R`.
const CONF_FILES: &[&str] = &[
    "cassandra-env.sh",
    "cassandra-rackdc.properties",
    "cassandra.yaml",
    "jvm.options",
    "logback.xml",
];

/// The image's files: the scripts, Cassandra's programs and configuration.
pub fn image_files() -> Vec<(String, String)> {
    let mut files = vec![
        ("/run.sh".to_string(), RUN_SH.to_string()),
        ("/ready-probe.sh".to_string(), READY_PROBE.to_string()),
        ("/sbin/dumb-init".to_string(), String::new()),
        (format!("{DATA}/data/"), String::new()),
        ("/var/log/cassandra/".to_string(), String::new()),
    ];
    for program in ["cassandra", "nodetool", "cqlsh"] {
        files.push((format!("{HOME}/bin/{program}"), String::new()));
    }
    for name in CONF_FILES
        .iter()
        .filter(|n| **n != "cassandra-rackdc.properties")
    {
        files.push((format!("{CONF}/{name}"), String::new()));
    }
    files
}

/// The image's environment (its Dockerfile's ENV).
pub fn image_env() -> Vec<(&'static str, String)> {
    vec![
        ("CASSANDRA_HOME", HOME.to_string()),
        ("CASSANDRA_CONF", CONF.to_string()),
        ("CASSANDRA_DATA", DATA.to_string()),
        ("CASSANDRA_LOGS", "/var/log/cassandra".to_string()),
        ("JAVA_HOME", "/usr/lib/jvm/java-8-openjdk-amd64".to_string()),
    ]
}

/// The PATH the image's ENV sets.
pub fn image_path(base: &str) -> String {
    format!("{base}:/usr/lib/jvm/java-8-openjdk-amd64/bin:{HOME}/bin")
}

const RUN_SH: &str = "#!/bin/bash\n# The image's start-up script: it writes /etc/cassandra/cassandra.yaml and\n# cassandra-rackdc.properties from the CASSANDRA_* variables and POD_IP, hands\n# the data and configuration to the cassandra user, and runs `cassandra -f`.\n# (stsplay runs it as the simulated image's own program.)\n";

/// The readiness check: the node is Up and Normal in its own view of the ring.
const READY_PROBE: &str = r#"#!/bin/bash

if [[ $(nodetool status | grep $POD_IP) == *"UN"* ]]; then
  if [[ $DEBUG ]]; then
    echo "UN";
  fi
  exit 0;
else
  if [[ $DEBUG ]]; then
    echo "Not Up";
  fi
  exit 1;
fi
"#;

/// A line as the image's logback configuration writes it to the console.
fn log(at: Millis, level: &str, text: &str) -> String {
    format!("{level:<5} {} {text}\n", timestamp(at).strftime("%H:%M:%S"))
}

/// Java's `List.toString`.
fn java_list(tokens: &[i64]) -> String {
    let items: Vec<String> = tokens.iter().map(i64::to_string).collect();
    format!("[{}]", items.join(", "))
}

impl ContainerHost<'_> {
    fn env_or(&self, shell: &Shell, name: &str, default: &str) -> String {
        shell
            .var(name)
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| default.to_string())
    }

    /// run.sh: says what it configures, writes the configuration, hands the
    /// files to the cassandra user and runs the daemon in the foreground.
    pub(super) fn cassandra_run_sh(&mut self, shell: &Shell, io: &mut Io<'_>) -> i32 {
        let address = self.env_or(shell, "POD_IP", &self.env_or(shell, "HOSTNAME", ""));
        let seeds = self.env_or(shell, "CASSANDRA_SEEDS", &self.inside.long_hostname());
        io.sink.out(format!("Starting Cassandra on {address}\n"));
        let settings: Vec<(&str, String)> = vec![
            ("CASSANDRA_CONF_DIR", CONF.to_string()),
            ("CASSANDRA_CFG", format!("{CONF}/cassandra.yaml")),
            (
                "CASSANDRA_AUTO_BOOTSTRAP",
                self.env_or(shell, "CASSANDRA_AUTO_BOOTSTRAP", "true"),
            ),
            ("CASSANDRA_BROADCAST_ADDRESS", address.clone()),
            ("CASSANDRA_BROADCAST_RPC_ADDRESS", address.clone()),
            (
                "CASSANDRA_CLUSTER_NAME",
                self.env_or(shell, "CASSANDRA_CLUSTER_NAME", "'Test Cluster'"),
            ),
            ("CASSANDRA_COMPACTION_THROUGHPUT_MB_PER_SEC", String::new()),
            ("CASSANDRA_CONCURRENT_COMPACTORS", String::new()),
            ("CASSANDRA_CONCURRENT_READS", String::new()),
            ("CASSANDRA_CONCURRENT_WRITES", String::new()),
            ("CASSANDRA_COUNTER_CACHE_SIZE_IN_MB", String::new()),
            ("CASSANDRA_DC", String::new()),
            ("CASSANDRA_DISK_OPTIMIZATION_STRATEGY", "ssd".to_string()),
            ("CASSANDRA_ENDPOINT_SNITCH", "SimpleSnitch".to_string()),
            ("CASSANDRA_GC_WARN_THRESHOLD_IN_MS", String::new()),
            ("CASSANDRA_INTERNODE_COMPRESSION", String::new()),
            ("CASSANDRA_KEY_CACHE_SIZE_IN_MB", String::new()),
            ("CASSANDRA_LISTEN_ADDRESS", address.clone()),
            ("CASSANDRA_LISTEN_INTERFACE", String::new()),
            ("CASSANDRA_MEMTABLE_ALLOCATION_TYPE", String::new()),
            ("CASSANDRA_MEMTABLE_CLEANUP_THRESHOLD", String::new()),
            ("CASSANDRA_MEMTABLE_FLUSH_WRITERS", String::new()),
            ("CASSANDRA_MIGRATION_WAIT", "1".to_string()),
            ("CASSANDRA_NUM_TOKENS", "32".to_string()),
            ("CASSANDRA_RACK", String::new()),
            ("CASSANDRA_RING_DELAY", "30000".to_string()),
            ("CASSANDRA_RPC_ADDRESS", "0.0.0.0".to_string()),
            ("CASSANDRA_RPC_INTERFACE", String::new()),
            ("CASSANDRA_SEEDS", seeds),
            (
                "CASSANDRA_SEED_PROVIDER",
                "org.apache.cassandra.locator.SimpleSeedProvider".to_string(),
            ),
            ("CASSANDRA_TRICKLE_FSYNC", "false".to_string()),
        ];
        for (name, default) in settings {
            // Unquoted in the script: an empty value leaves the name alone.
            let value = self.env_or(shell, name, &default);
            let words: Vec<&str> = std::iter::once(name)
                .chain(value.split_whitespace())
                .collect();
            io.sink.out(format!("{}\n", words.join(" ")));
        }
        let config = self.cassandra_config(shell);
        let fresh_data = !self.fs().exists(&format!("{DATA}/data"));
        self.write_config(&config, &address);
        // chown -c reports what it changed, each directory after its contents.
        if fresh_data {
            io.sink.out(format!(
                "changed ownership of '{DATA}' from root to cassandra\n"
            ));
        }
        for name in CONF_FILES {
            io.sink.out(format!(
                "changed ownership of '{CONF}/{name}' from root to cassandra\n"
            ));
        }
        io.sink.out(format!(
            "changed ownership of '{CONF}' from root to cassandra\n"
        ));
        self.cassandra_daemon(config, io)
    }

    fn write_config(&mut self, config: &Config, address: &str) {
        let yaml = format!(
            "cluster_name: '{}'\nnum_tokens: {}\nseed_provider:\n  - class_name: org.apache.cassandra.locator.SimpleSeedProvider\n    parameters:\n      - seeds: \"{}\"\nlisten_address: {address}\nbroadcast_address: {address}\nrpc_address: 0.0.0.0\nbroadcast_rpc_address: {address}\nendpoint_snitch: {}\ndata_file_directories:\n    - {DATA}/data\ncommitlog_directory: {DATA}/commitlog\nauto_bootstrap: true\n",
            config.cluster_name,
            config.num_tokens,
            config.seeds.join(","),
            if config.dc == "datacenter1" {
                "SimpleSnitch"
            } else {
                "GossipingPropertyFileSnitch"
            },
        );
        let rackdc = format!("dc={}\nrack={}\n", config.dc, config.rack);
        let mut fs = self.fs();
        let _ = fs.write(&format!("{CONF}/cassandra.yaml"), &yaml, false);
        let _ = fs.write(
            &format!("{CONF}/cassandra-rackdc.properties"),
            &rackdc,
            false,
        );
    }

    /// The configuration run.sh writes from the environment.
    pub(super) fn cassandra_config(&self, shell: &Shell) -> Config {
        Config::from_env(&shell.environment(), &self.inside.long_hostname())
    }

    /// The ring this container's node belongs to, as of `at`.
    fn ring(&mut self, cluster_name: &str, at: Millis) -> Vec<Node> {
        let namespace = self.inside.target.namespace.clone();
        cassandra_ring::find(self.cluster, &namespace, cluster_name, at)
    }

    /// This container's node, as the ring sees it now.
    fn own_node(&mut self, cluster_name: &str) -> Option<Node> {
        let target = self.inside.target.clone();
        self.ring(cluster_name, self.now)
            .into_iter()
            .find(|n| n.inside.target == target)
    }

    /// `cassandra -f` as the main process: start-up as the node's course
    /// goes, its lines logged when they happen, then it serves.
    pub(super) fn cassandra_daemon(&mut self, config: Config, io: &mut Io<'_>) -> i32 {
        if !self.is_main() {
            io.sink.err_line("Error: Exception thrown by the agent : java.rmi.server.ExportException: Port already in use: 7199; nested exception is: \n\tjava.net.BindException: Address already in use (Bind failed)");
            return 1;
        }
        let start = self.now;
        let ip = self.inside.ip.clone();
        let out = |io: &mut Io<'_>, at: Millis, level: &str, text: &str| {
            io.sink.out(log(at, level, text));
        };
        out(
            io,
            start + SECOND,
            "INFO",
            &format!("Configuration location: file:{CONF}/cassandra.yaml"),
        );
        for line in [
            "DiskAccessMode 'auto' determined to be mmap, indexAccessMode is mmap",
            "Global memtable on-heap threshold is enabled at 128MB",
            "Global memtable off-heap threshold is enabled at 128MB",
            "Back-pressure is disabled with strategy null.",
        ] {
            out(io, start + SECOND, "INFO", line);
        }
        if let Some(status) = self.pause_until(Some(start + SEEDS_LOOKED_UP), io) {
            return status;
        }
        let at = self.now;
        for seed in &config.seeds {
            if cassandra_ring::resolve(self.cluster, self.inside, seed).is_empty() {
                out(
                    io,
                    at,
                    "WARN",
                    &format!("Seed provider couldn't lookup host {seed}"),
                );
            }
        }
        let Some(node) = self.own_node(&config.cluster_name) else {
            return self.block();
        };
        if node.course.failure == Some((at, Failure::NoSeeds)) {
            return startup_failure(
                io,
                at,
                "org.apache.cassandra.exceptions.ConfigurationException",
                "The seed provider lists no seeds.",
            );
        }
        out(io, at, "INFO", "Configured JMX server at: service:jmx:rmi://127.0.0.1/jndi/rmi://127.0.0.1:7199/jmxrmi");
        let name = self.inside.long_hostname();
        out(io, at, "INFO", &format!("Hostname: {name}"));
        if let Some(status) = self.pause_until(Some(start + JMX_UP), io) {
            return status;
        }
        let at = self.now;
        let first = cassandra_ring::read_local(self.cluster, self.inside, at).is_none();
        if first {
            let local = Local {
                host_id: node.local.host_id.clone(),
                ..Local::default()
            };
            if !self.replaying() {
                cassandra_ring::write_local(self.cluster, self.inside, &config, &local, at);
            }
            out(io, at, "WARN", &format!("No host ID found, created {} (Note: This should happen exactly once per node).", local.host_id));
        }
        for line in [
            format!("Cassandra version: {VERSION}"),
            "Thrift API version: 20.1.0".to_string(),
            "CQL supported versions: 3.4.4 (default: 3.4.4)".to_string(),
            "Native protocol supported versions: 3/v3, 4/v4, 5/v5-beta (default: 4/v4)".to_string(),
            format!("Starting Messaging Service on /{ip}:7000 (eth0)"),
        ] {
            out(io, at, "INFO", &line);
        }
        self.join_ring(node, config, io)
    }

    /// Gossip, and bootstrap when the node needs to, until it is normal.
    fn join_ring(&mut self, node: Node, config: Config, io: &mut Io<'_>) -> i32 {
        let start = node.started;
        let ip = self.inside.ip.clone();
        let course = node.course.clone();
        if let Some(status) = self.pause_until(Some(start + GOSSIP), io) {
            return status;
        }
        if let Some((at, Failure::Decommissioned)) = course.failure {
            if let Some(status) = self.pause_until(Some(at), io) {
                return status;
            }
            return startup_failure(io, at, "org.apache.cassandra.exceptions.ConfigurationException", "This node was decommissioned and will not rejoin the ring unless cassandra.override_decommission=true has been set, or all existing data is removed and the node is bootstrapped again");
        }
        let contact = match (&course.contact, course.failure) {
            (Some(contact), _) => contact.clone(),
            (None, failure) => {
                let at = failure.map_or(start + GOSSIP, |(at, _)| at);
                if let Some(status) = self.pause_until(Some(at), io) {
                    return status;
                }
                return startup_failure(
                    io,
                    at,
                    "java.lang.RuntimeException",
                    "Unable to gossip with any peers",
                );
            }
        };
        if course.seed && contact.1 == ip {
            io.sink.out(log(self.now, "INFO", "Unable to gossip with any peers but continuing anyway since node is in its own seed list"));
        }
        if let Some(status) = self.pause_until(Some(contact.0), io) {
            return status;
        }
        io.sink
            .out(log(self.now, "INFO", "Starting up server gossip"));
        self.meet_peers(&config, io);
        let tokens = node.tokens();
        if course.bootstraps {
            io.sink.out(log(
                self.now,
                "INFO",
                "JOINING: waiting for ring information",
            ));
            if let Some(status) = self.pause_until(
                Some(
                    course
                        .tokens_at
                        .min(course.failure.map_or(Millis::MAX, |(at, _)| at)),
                ),
                io,
            ) {
                return status;
            }
            for line in [
                "JOINING: schema complete, ready to bootstrap",
                "JOINING: waiting for pending range calculation",
                "JOINING: calculation complete, ready to bootstrap",
            ] {
                io.sink.out(log(self.now, "INFO", line));
            }
            if let Some((at, Failure::RangeMovement)) = course.failure {
                return startup_failure(io, at, "java.lang.UnsupportedOperationException", "Other bootstrapping/leaving/moving nodes detected, cannot bootstrap while cassandra.consistent.rangemovement is true");
            }
            io.sink
                .out(log(self.now, "INFO", "JOINING: getting bootstrap token"));
            io.sink.out(log(
                self.now,
                "INFO",
                &format!(
                    "JOINING: sleeping {} ms for pending range setup",
                    config.ring_delay
                ),
            ));
            let streams = course.normal_at.saturating_sub(2 * SECOND);
            if let Some(status) = self.pause_until(Some(streams), io) {
                return status;
            }
            io.sink
                .out(log(self.now, "INFO", "JOINING: Starting to bootstrap..."));
            if let Some(status) = self.pause_until(Some(course.normal_at), io) {
                return status;
            }
            io.sink.out(log(
                self.now,
                "INFO",
                &format!("Bootstrap completed! for the tokens {}", java_list(&tokens)),
            ));
        } else if node.local.bootstrapped_by.is_some_and(|by| by < start) {
            io.sink.out(log(
                self.now,
                "INFO",
                &format!("Using saved tokens {}", java_list(&tokens)),
            ));
        } else {
            io.sink.out(log(
                self.now,
                "INFO",
                "This node will not auto bootstrap because it is configured to be a seed node.",
            ));
            io.sink.out(log(
                self.now,
                "INFO",
                &format!("Generated random tokens. tokens are {}", java_list(&tokens)),
            ));
        }
        if let Some(status) = self.pause_until(Some(course.normal_at), io) {
            return status;
        }
        let at = self.now;
        if !self.replaying() {
            let local = Local {
                host_id: node.local.host_id.clone(),
                tokens,
                bootstrapped_by: Some(
                    node.local
                        .bootstrapped_by
                        .filter(|by| *by < start)
                        .unwrap_or(start),
                ),
                decommissioned_at: None,
            };
            cassandra_ring::write_local(self.cluster, self.inside, &config, &local, at);
            // Gossip tells the ring about the node, and the node about it.
            let nodes = self.ring(&config.cluster_name, at);
            cassandra_ring::settle_gossip(self.cluster, &nodes, at);
        }
        for line in [
            format!("Node /{ip} state jump to NORMAL"),
            "Starting listening for CQL clients on /0.0.0.0:9042 (unencrypted)...".to_string(),
            "Not starting RPC server as requested. Use JMX (StorageService->startRPCServer()) or nodetool (enablethrift) to start it".to_string(),
        ] {
            io.sink.out(log(at, "INFO", &line));
        }
        self.block()
    }

    /// The node handshakes with the live members, and they with it: each
    /// side logs the other coming up.
    fn meet_peers(&mut self, config: &Config, io: &mut Io<'_>) {
        let at = self.now;
        let nodes = self.ring(&config.cluster_name, at);
        let ip = self.inside.ip.clone();
        let peers: Vec<(String, ContainerKey)> = nodes
            .iter()
            .filter(|n| {
                n.inside.target != self.inside.target
                    && n.alive
                    && matches!(n.phase(at), Phase::Joining | Phase::Normal)
            })
            .map(|n| (n.inside.ip.clone(), n.inside.key()))
            .collect();
        let replaying = self.replaying();
        for (address, key) in peers {
            io.sink.out(peer_lines(at, &address).concat());
            if !replaying {
                let lines = peer_lines(at, &ip)
                    .into_iter()
                    .map(|l| l.trim_end().to_string())
                    .collect();
                crate::container::log_lines(self.cluster, &key, at, LogStream::Stdout, lines);
            }
        }
    }

    /// `nodetool`: status, version and drain, through the node's JMX port.
    pub(super) fn nodetool(&mut self, shell: &Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        let words: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .filter(|a| !a.starts_with('-'))
            .collect();
        const SIMULATED: &str = "it runs status, version, drain, decommission and removenode";
        let Some(command) = words.first().copied() else {
            io.sink
                .err_line(format!("nodetool: stsplay needs a command ({SIMULATED})"));
            return 1;
        };
        if !matches!(
            command,
            "status" | "version" | "drain" | "decommission" | "removenode"
        ) {
            io.sink.err_line(format!(
                "nodetool: stsplay does not simulate 'nodetool {command}' ({SIMULATED})"
            ));
            return 1;
        }
        let config = self.cassandra_config(shell);
        let now = self.now;
        let nodes = self.ring(&config.cluster_name, now);
        let node = nodes
            .iter()
            .find(|n| n.inside.target == self.inside.target)
            .filter(|n| n.alive && now >= n.started + JMX_UP && n.phase(now) != Phase::Failed)
            .cloned();
        let Some(node) = node else {
            io.sink.err_line("nodetool: Failed to connect to '127.0.0.1:7199' - ConnectException: 'Connection refused (Connection refused)'.");
            return 1;
        };
        let outcome = match (command, words.get(1).copied()) {
            ("version", _) => {
                io.sink.out(format!("ReleaseVersion: {VERSION}\n"));
                Ok(())
            }
            // Flushes and stops serving, silently; the pod's preStop hook
            // runs it just before the container is stopped.
            ("drain", _) => Ok(()),
            ("status", Some(keyspace)) => {
                io.sink.err_line(format!("nodetool: stsplay does not simulate 'nodetool status {keyspace}' (it shows the ring without a keyspace)"));
                return 1;
            }
            ("status", None) => {
                let rows = cassandra_ring::status(self.cluster, &nodes, &node, now);
                io.sink.out(status_text(&rows));
                Ok(())
            }
            ("decommission", _) => self.decommission(&nodes, &node, &config, io),
            ("removenode", None) => {
                io.sink.err_line("nodetool: Required arguments are missing: 'remove_operation'\nSee 'nodetool help' or 'nodetool help <command>'.");
                return 1;
            }
            ("removenode", Some("status" | "force")) => {
                io.sink.out("RemovalStatus: No removals in process.\n");
                Ok(())
            }
            (_, host_id) => {
                let host_id = host_id.unwrap_or_default();
                cassandra_ring::remove_node(self.cluster, &nodes, &node, host_id, now)
            }
        };
        match outcome {
            Ok(()) => 0,
            Err(message) => {
                // nodetool prints the exception's stack trace after this; its
                // frames are not simulated.
                io.sink.err(format!("error: {message}\n-- StackTrace --\njava.lang.UnsupportedOperationException: {message}\n"));
                2
            }
        }
    }

    /// `nodetool decommission`: a normal node with others beside it leaves
    /// the ring, which takes the ring delay twice and some streaming; the
    /// command waits for it, and the node's log says how it goes.
    fn decommission(
        &mut self,
        nodes: &[Node],
        node: &Node,
        config: &Config,
        io: &mut Io<'_>,
    ) -> Result<(), String> {
        let now = self.now;
        let mode = match node.phase(now) {
            Phase::Normal => None,
            Phase::Joining | Phase::Starting => Some("JOINING"),
            _ => Some("DECOMMISSIONED"),
        };
        if let Some(mode) = mode {
            return Err(format!(
                "Node in {mode} state; wait for status to become normal or restart"
            ));
        }
        let others = nodes
            .iter()
            .filter(|n| n.inside.target != node.inside.target)
            .any(|n| n.phase(now) == Phase::Normal && n.alive);
        if !others {
            return Err(
                "no other normal nodes in the ring; decommission would be pointless".to_string(),
            );
        }
        let local = Local {
            decommissioned_at: Some(now),
            ..node.local.clone()
        };
        cassandra_ring::write_local(self.cluster, self.inside, config, &local, now);
        let delay = config.ring_delay;
        let streamed = now + delay + STREAMING;
        let lines = [
            (now, "DECOMMISSIONING".to_string()),
            (
                now,
                format!(
                    "LEAVING: sleeping {delay} ms for batch processing and pending range setup"
                ),
            ),
            (
                now + delay,
                "LEAVING: replaying batch log and streaming data to other nodes".to_string(),
            ),
            (
                streamed,
                "LEAVING: streaming hints to other nodes".to_string(),
            ),
            (
                streamed,
                format!("Announcing that I have left the ring for {delay}ms"),
            ),
            (streamed + delay, "DECOMMISSIONED".to_string()),
        ];
        let key = self.inside.key();
        for (at, line) in lines {
            let text = log(at, "INFO", &line).trim_end().to_string();
            crate::container::log_lines(self.cluster, &key, at, LogStream::Stdout, vec![text]);
        }
        if !io.background {
            self.wait(cassandra_ring::leave_time(config));
        }
        // The ring forgets the node once it has left.
        let left = now + cassandra_ring::leave_time(config);
        let nodes = self.ring(&config.cluster_name, left);
        cassandra_ring::settle_gossip(self.cluster, &nodes, left);
        Ok(())
    }

    /// The image's cqlsh needs Python 2.7, which the image does not have.
    pub(super) fn cqlsh(&mut self, io: &mut Io<'_>) -> i32 {
        io.sink.err_line("No appropriate python interpreter found.");
        1
    }
}

fn peer_lines(at: Millis, ip: &str) -> Vec<String> {
    [
        format!("Handshaking version with /{ip}"),
        format!("Node /{ip} is now part of the cluster"),
        format!("InetAddress /{ip} is now UP"),
    ]
    .iter()
    .map(|line| log(at, "INFO", line))
    .collect()
}

/// Cassandra ends its start-up on an exception, saying so twice, with status 3.
fn startup_failure(io: &mut Io<'_>, at: Millis, exception: &str, message: &str) -> i32 {
    io.sink.out(format!(
        "Exception ({exception}) encountered during startup: {message}\n"
    ));
    io.sink.out(log(
        at,
        "ERROR",
        &format!("Exception encountered during startup: {message}"),
    ));
    3
}

/// Load as Cassandra prints a size: at most two decimals, in binary units.
fn load_text(bytes: u64) -> String {
    let kib = bytes as f64 / 1024.0;
    let text = format!("{kib:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} KiB")
}

/// `nodetool status`: a block per data center, its nodes in token order.
fn status_text(rows: &[Row]) -> String {
    let width = rows
        .iter()
        .map(|r| r.address.len())
        .chain(["Address".len()])
        .max()
        .unwrap_or(0);
    let mut dcs: Vec<&str> = rows.iter().map(|r| r.dc.as_str()).collect();
    dcs.sort_unstable();
    dcs.dedup();
    let mut out = String::new();
    for dc in dcs {
        let title = format!("Datacenter: {dc}");
        out.push_str(&format!("{title}\n{}\n", "=".repeat(title.len())));
        out.push_str("Status=Up/Down\n|/ State=Normal/Leaving/Joining/Moving\n");
        out.push_str(&line(
            width,
            [
                "--",
                "Address",
                "Load",
                "Tokens",
                "Owns (effective)",
                "Host ID",
                "Rack",
            ],
        ));
        for row in rows.iter().filter(|r| r.dc == dc) {
            let state = format!("{}{}", if row.up { "U" } else { "D" }, row.state.letter());
            let owns = row
                .owns
                .map_or("?".to_string(), |o| format!("{:.1}%", o * 100.0));
            out.push_str(&line(
                width,
                [
                    &state,
                    &row.address,
                    &load_text(row.load),
                    &row.tokens.len().to_string(),
                    &owns,
                    &row.host_id,
                    &row.rack,
                ],
            ));
        }
        out.push('\n');
    }
    out
}

fn line(width: usize, cells: [&str; 7]) -> String {
    let [state, address, load, tokens, owns, host, rack] = cells;
    format!(
        "{state:<2}  {address:<width$}  {load:<9}  {tokens:<11}  {owns:<16}  {host:<36}  {rack}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::cassandra_ring::State;

    #[test]
    fn status_lines_up_as_nodetool_prints_them() {
        let row = |address: &str, load: u64, state: State| Row {
            up: true,
            state,
            address: address.to_string(),
            load,
            tokens: vec![1; 32],
            owns: (state != State::Joining).then_some(0.74),
            host_id: "e2dd09e6-d9d3-477e-96c5-45094c08db0f".to_string(),
            dc: "DC1-K8Demo".to_string(),
            rack: "Rack1-K8Demo".to_string(),
        };
        let text = status_text(&[
            row("172.17.0.5", 85575, State::Normal),
            row("172.17.0.4", 103465, State::Joining),
        ]);
        assert_eq!(
            text,
            "Datacenter: DC1-K8Demo\n======================\nStatus=Up/Down\n|/ State=Normal/Leaving/Joining/Moving\n--  Address     Load       Tokens       Owns (effective)  Host ID                               Rack\nUN  172.17.0.5  83.57 KiB  32           74.0%             e2dd09e6-d9d3-477e-96c5-45094c08db0f  Rack1-K8Demo\nUJ  172.17.0.4  101.04 KiB  32           ?                 e2dd09e6-d9d3-477e-96c5-45094c08db0f  Rack1-K8Demo\n\n"
        );
    }

    #[test]
    fn loads_drop_trailing_zeros() {
        assert_eq!(load_text(66560), "65 KiB");
        assert_eq!(load_text(66662), "65.1 KiB");
    }
}
