//! `zkCli.sh` of ZooKeeper 3.4.10, run with a command (`zkCli.sh create
//! /hello world`), as kubernetes.io's ZooKeeper tutorial runs it through
//! `kubectl exec`: it connects (a session is a transaction, so it needs a
//! quorum), runs the command, and exits without closing the session,
//! which the leader expires 30 s later. Facts in
//! /work/notes/zookeeper-research.md.

use super::zookeeper::{log4j, log_session, JAVA_COMMAND, VERSION};
use super::ContainerHost;
use crate::container::is_loopback;
use crate::container::zk_data::{self, stat_lines, Log, Op, Refusal};
use crate::shell::Io;
use crate::sim::clock::timestamp;

const USAGE: &str = "ZooKeeper -server host:port cmd args
\tstat path [watch]
\tset path data [version]
\tls path [watch]
\tdelquota [-n|-b] path
\tls2 path [watch]
\tsetAcl path acl
\tsetquota -n|-b val path
\thistory 
\tredo cmdno
\tprintwatches on|off
\tdelete path [version]
\tsync path
\tlistquota path
\trmr path
\tget path [watch]
\tcreate [-s] [-e] path data acl
\taddauth scheme auth
\tquit 
\tgetAcl path
\tclose 
\tconnect host:port
";

impl ContainerHost<'_> {
    /// `zkCli.sh [-server host:port] [-timeout ms] cmd args…`.
    pub(super) fn zk_cli(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        let mut server = "localhost:2181".to_string();
        let mut rest = args;
        while let [flag, value, tail @ ..] = rest {
            match flag.as_str() {
                "-server" => server = value.clone(),
                "-timeout" => {}
                _ => break,
            }
            rest = tail;
        }
        if rest.first().is_some_and(|a| a == "-r") {
            rest = &rest[1..];
        }
        let (host, port) = server.rsplit_once(':').unwrap_or((server.as_str(), "2181"));
        let now = self.now;
        let line = |ms: u64, thread: &str, text: &str| log4j(now + ms, "", "INFO", thread, text);
        let fqdn = self.inside.long_hostname();
        let user = self.user_name();
        let home = if user == "root" {
            "/root".to_string()
        } else {
            format!("/home/{user}")
        };
        let classpath = JAVA_COMMAND.split(" -cp ").nth(1).unwrap_or("");
        io.sink.out(format!("Connecting to {server}\n"));
        for (ms, key, value) in [
            (0, "zookeeper.version", VERSION),
            (2, "host.name", fqdn.as_str()),
            (2, "java.version", "1.8.0_131"),
            (4, "java.vendor", "Oracle Corporation"),
            (4, "java.home", "/usr/lib/jvm/java-8-openjdk-amd64/jre"),
            (4, "java.class.path", classpath),
            (4, "java.library.path", "/usr/java/packages/lib/amd64:/usr/lib/x86_64-linux-gnu/jni:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/usr/lib/jni:/lib:/usr/lib"),
            (5, "java.io.tmpdir", "/tmp"),
            (5, "java.compiler", "<NA>"),
            (5, "os.name", "Linux"),
            (5, "os.arch", "amd64"),
            (5, "os.version", "6.8.0-79-generic"),
            (5, "user.name", user.as_str()),
            (5, "user.home", home.as_str()),
            (6, "user.dir", "/"),
        ] {
            io.sink.out(format!("{}\n", line(ms, "main:Environment@100", &format!("Client environment:{key}={value}"))));
        }
        io.sink.out(format!("{}\n", line(7, "main:ZooKeeper@438", &format!("Initiating client connection, connectString={server} sessionTimeout=30000 watcher=org.apache.zookeeper.ZooKeeperMain$MyWatcher@22d8cfe0"))));
        let send = format!("main-SendThread({server})");
        let ensemble = self
            .ensemble()
            .filter(|e| port == e.config.client_port.to_string());
        let reached = ensemble
            .as_ref()
            .and_then(|e| e.reached(host, &self.inside.target));
        let (Some(ensemble), Some(member)) = (ensemble.as_ref(), reached) else {
            io.sink.out(format!("{}\n", line(25, &format!("{send}:ClientCnxn$SendThread@1032"), &format!("Opening socket connection to server {host}/{host}:{port}. Will not attempt to authenticate using SASL (unknown error)"))));
            io.sink.out(format!("{}\n", log4j(now + 31, "", "WARN", &format!("{send}:ClientCnxn$SendThread@1162"), "Session 0x0 for server null, unexpected error, closing socket connection and attempting reconnect\njava.net.ConnectException: Connection refused")));
            return self.connection_lost(rest, io);
        };
        let address = if is_loopback(host) {
            "127.0.0.1"
        } else {
            member.inside.ip.as_str()
        };
        let peer = format!("{host}/{address}:{port}");
        io.sink.out(format!("{}\n", line(25, &format!("{send}:ClientCnxn$SendThread@1032"), &format!("Opening socket connection to server {peer}. Will not attempt to authenticate using SASL (unknown error)"))));
        io.sink.out(format!(
            "{}\n",
            line(
                76,
                &format!("{send}:ClientCnxn$SendThread@876"),
                &format!("Socket connection established to {peer}, initiating session")
            )
        ));
        let Some(mut log) = ensemble.synced_log(self.cluster, now) else {
            io.sink.out(format!("{}\n", line(80, &format!("{send}:ClientCnxn$SendThread@1158"), "Unable to read additional data from server sessionid 0x0, likely server has closed socket, closing socket connection and attempting reconnect")));
            return self.connection_lost(rest, io);
        };
        let started = timestamp(member.run.1).as_millisecond().max(0) as u64;
        let base = ((started << 24) >> 8) | (member.myid << 56);
        let opened = log
            .txns
            .iter()
            .filter(|t| matches!(t.op, Op::Session(id) if id >= base && id >> 56 == member.myid))
            .count() as u64;
        let session = base + opened;
        log.append(now, Op::Session(session));
        let client_ip = if address == "127.0.0.1" {
            address.to_string()
        } else {
            self.inside.ip.clone()
        };
        let key = member.inside.key();
        let myid = member.myid.to_string();
        log_session(self.cluster, &key, &myid, &client_ip, session, now);
        io.sink.out(format!("{}\n", line(97, &format!("{send}:ClientCnxn$SendThread@1299"), &format!("Session establishment complete on server {peer}, sessionid = {session:#x}, negotiated timeout = 30000"))));
        io.sink
            .out("\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n");
        self.zk_command(&mut log, session, rest, io);
        ensemble.commit(self.cluster, &log, now);
        0
    }

    /// No session: the pending request fails, and zkCli with it.
    fn connection_lost(&mut self, command: &[String], io: &mut Io<'_>) -> i32 {
        let path = command.get(1).map_or("/", String::as_str);
        io.sink.err_line(format!("Exception in thread \"main\" org.apache.zookeeper.KeeperException$ConnectionLossException: KeeperErrorCode = ConnectionLoss for {path}"));
        1
    }

    /// One zkCli command against the ensemble's data, on session `session`.
    fn zk_command(&mut self, log: &mut Log, session: u64, command: &[String], io: &mut Io<'_>) {
        let now = self.now;
        let Some((name, args)) = command.split_first() else {
            return;
        };
        let flags: Vec<&str> = args
            .iter()
            .map(String::as_str)
            .take_while(|a| a.starts_with('-') && a.len() == 2)
            .collect();
        let operands = &args[flags.len()..];
        // processZKCmd runs a command only with its operands; a path the
        // client library refuses fails before it is sent.
        let needed = match name.as_str() {
            "create" | "set" => 2,
            _ => 1,
        };
        let path = operands
            .first()
            .cloned()
            .filter(|_| operands.len() >= needed);
        if let Some(Err(refusal)) = path.as_deref().map(zk_data::validate) {
            return io.sink.err_line(refusal.to_string());
        }
        let tree = log.tree();
        let refuse = |io: &mut Io<'_>, refusal: Refusal| io.sink.err_line(refusal.to_string());
        let stat = |io: &mut Io<'_>, tree: &zk_data::Tree, path: &str| match tree.get(path) {
            Some(node) => {
                for line in stat_lines(node, tree.children(path).len()) {
                    io.sink.err_line(line);
                }
            }
            None => io
                .sink
                .err_line(Refusal::NoNode(path.to_string()).to_string()),
        };
        let write = |log: &mut Log, io: &mut Io<'_>, op: Op| -> bool {
            let mut next = log.clone();
            let zxid = next.append(now, op);
            let mut check = log.tree();
            let txn = next.txns.last().cloned().filter(|t| t.zxid == zxid);
            match txn.map(|t| check.apply(&t)) {
                Some(Ok(())) => {
                    *log = next;
                    true
                }
                Some(Err(refusal)) => {
                    refuse(io, refusal);
                    false
                }
                None => false,
            }
        };
        match (name.as_str(), path) {
            ("create", Some(path)) => {
                let data = operands.get(1).cloned().unwrap_or_default();
                let path = if flags.contains(&"-s") {
                    tree.sequential(&path)
                } else {
                    path
                };
                let owner = if flags.contains(&"-e") { session } else { 0 };
                if write(
                    log,
                    io,
                    Op::Create {
                        path: path.clone(),
                        data,
                        owner,
                    },
                ) {
                    io.sink.err_line(format!("Created {path}"));
                }
            }
            ("get", Some(path)) => match tree.get(&path) {
                Some(node) => {
                    io.sink.out(format!("{}\n", node.data));
                    stat(io, &tree, &path);
                }
                None => refuse(io, Refusal::NoNode(path)),
            },
            ("set", Some(path)) => {
                let data = operands.get(1).cloned().unwrap_or_default();
                if write(
                    log,
                    io,
                    Op::Set {
                        path: path.clone(),
                        data,
                    },
                ) {
                    stat(io, &log.tree(), &path);
                }
            }
            ("delete", Some(path)) => {
                write(log, io, Op::Delete { path });
            }
            ("rmr", Some(path)) => {
                let mut doomed: Vec<String> = tree
                    .nodes
                    .keys()
                    .filter(|p| **p == path || p.starts_with(&format!("{path}/")))
                    .cloned()
                    .collect();
                doomed.reverse();
                if doomed.is_empty() {
                    refuse(io, Refusal::NoNode(path));
                }
                for path in doomed {
                    if !write(log, io, Op::Delete { path }) {
                        break;
                    }
                }
            }
            ("ls" | "ls2", Some(path)) => match tree.get(&path) {
                Some(_) => {
                    io.sink
                        .out(format!("[{}]\n", tree.children(&path).join(", ")));
                    if name == "ls2" {
                        stat(io, &tree, &path);
                    }
                }
                None => refuse(io, Refusal::NoNode(path)),
            },
            ("stat", Some(path)) => stat(io, &tree, &path),
            ("create" | "get" | "set" | "delete" | "rmr" | "ls" | "ls2" | "stat", None) => {}
            ("quit" | "close" | "history" | "sync" | "printwatches", _) => {}
            _ => io.sink.err(USAGE),
        }
    }
}
