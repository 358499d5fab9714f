//! A ZooKeeper 3.4 server's data: its transaction log and the znode tree
//! the log builds. The simulated `registry.k8s.io/kubernetes-zookeeper`
//! image keeps the log in the data log directory on the pod's volume, so
//! the ensemble's data lives as long as its PersistentVolumes, as on a real
//! cluster. A real log is binary; this one is text, a line per
//! transaction, so that `cat` shows what happened:
//!
//! ```text
//! epoch 1 leader <the leader's container id>@<when its quorum formed>
//! 0x100000001 1767603660000 session 0x19b8c0d24000000
//! 0x100000002 1767603660010 create /hello world
//! 0x100000003 1767603690010 close 0x19b8c0d24000000
//! ```
//!
//! Lines that do not parse are skipped, as a log a user edited by hand
//! must not stop the server.

use std::collections::BTreeMap;

use crate::sim::clock::{timestamp, Millis};

/// How long a session outlives its client: zkCli's 30 s, which the
/// tutorial's minSessionTimeout/maxSessionTimeout (4 s–40 s) allow.
pub const SESSION_TIMEOUT: Millis = 30_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Session(u64),
    Close(u64),
    Create {
        path: String,
        data: String,
        owner: u64,
    },
    Set {
        path: String,
        data: String,
    },
    Delete {
        path: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Txn {
    pub zxid: u64,
    pub at: Millis,
    pub op: Op,
}

/// The log: epochs with their leaders' runs, and the transactions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Log {
    /// (epoch, the leader's container id), in order.
    pub epochs: Vec<(u64, String)>,
    pub txns: Vec<Txn>,
}

/// One znode and its Stat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Znode {
    pub data: String,
    pub czxid: u64,
    pub ctime: Millis,
    pub mzxid: u64,
    pub mtime: Millis,
    pub pzxid: u64,
    pub cversion: i32,
    pub version: i32,
    pub owner: u64,
}

/// Why a request failed, in zkCli's words (`Node does not exist: /x`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    NoNode(String),
    NodeExists(String),
    NotEmpty(String),
    /// The path is not a valid znode path: zkCli's IllegalArgumentException.
    BadPath(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NoNode(path) => write!(f, "Node does not exist: {path}"),
            Refusal::NodeExists(path) => write!(f, "Node already exists: {path}"),
            Refusal::NotEmpty(path) => write!(f, "Node not empty: {path}"),
            Refusal::BadPath(message) => {
                write!(
                    f,
                    "Command failed: java.lang.IllegalArgumentException: {message}"
                )
            }
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

fn hex(text: &str) -> Option<u64> {
    u64::from_str_radix(text.strip_prefix("0x")?, 16).ok()
}

impl Log {
    pub fn parse(text: &str) -> Log {
        let mut log = Log::default();
        for line in text.lines() {
            let mut words = line.splitn(4, ' ');
            let (Some(first), Some(second)) = (words.next(), words.next()) else {
                continue;
            };
            if first == "epoch" {
                let (Some(epoch), Some("leader"), Some(run)) =
                    (second.parse().ok(), words.next(), words.next())
                else {
                    continue;
                };
                log.epochs.push((epoch, run.to_string()));
                continue;
            }
            let (Some(zxid), Ok(at), Some(kind)) = (hex(first), second.parse(), words.next())
            else {
                continue;
            };
            let rest = words.next().unwrap_or("");
            let (path, data) = rest.split_once(' ').unwrap_or((rest, ""));
            let op = match kind {
                "session" => hex(rest).map(Op::Session),
                "close" => hex(rest).map(Op::Close),
                "create" => Some(Op::Create {
                    path: path.to_string(),
                    data: unescape(data),
                    owner: 0,
                }),
                "ephemeral" => {
                    let (owner, path_data) = rest.split_once(' ').unwrap_or((rest, ""));
                    let (path, data) = path_data.split_once(' ').unwrap_or((path_data, ""));
                    hex(owner).map(|owner| Op::Create {
                        path: path.to_string(),
                        data: unescape(data),
                        owner,
                    })
                }
                "set" => Some(Op::Set {
                    path: path.to_string(),
                    data: unescape(data),
                }),
                "delete" => Some(Op::Delete {
                    path: path.to_string(),
                }),
                _ => None,
            };
            if let Some(op) = op {
                log.txns.push(Txn { zxid, at, op });
            }
        }
        log
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut epochs = self.epochs.iter().peekable();
        for txn in &self.txns {
            while let Some((epoch, run)) = epochs.next_if(|(e, _)| *e <= txn.zxid >> 32) {
                out.push_str(&format!("epoch {epoch} leader {run}\n"));
            }
            out.push_str(&format!("{:#x} {} ", txn.zxid, txn.at));
            out.push_str(&match &txn.op {
                Op::Session(id) => format!("session {id:#x}"),
                Op::Close(id) => format!("close {id:#x}"),
                Op::Create { path, data, owner } if *owner != 0 => {
                    format!("ephemeral {owner:#x} {path} {}", escape(data))
                }
                Op::Create { path, data, .. } => format!("create {path} {}", escape(data)),
                Op::Set { path, data } => format!("set {path} {}", escape(data)),
                Op::Delete { path } => format!("delete {path}"),
            });
            out.push('\n');
        }
        for (epoch, run) in epochs {
            out.push_str(&format!("epoch {epoch} leader {run}\n"));
        }
        out
    }

    /// The newest zxid, 0 for an empty log.
    pub fn last_zxid(&self) -> u64 {
        self.txns.last().map_or(0, |t| t.zxid)
    }

    pub fn epoch(&self) -> Option<&(u64, String)> {
        self.epochs.last()
    }

    /// The file the log is kept in, named as ZooKeeper names its logs: by
    /// the first zxid in it.
    pub fn file_name(&self) -> String {
        format!(
            "log.{:x}",
            self.txns.first().map_or(self.last_zxid() + 1, |t| t.zxid)
        )
    }

    /// Starts a new epoch led by the run `leader`: the next zxid is
    /// `epoch << 32 | 1`.
    pub fn new_epoch(&mut self, leader: &str) {
        let epoch = self
            .epoch()
            .map_or(0, |(e, _)| *e)
            .max(self.last_zxid() >> 32)
            + 1;
        self.epochs.push((epoch, leader.to_string()));
    }

    /// Appends a transaction of the current epoch.
    pub fn append(&mut self, at: Millis, op: Op) -> u64 {
        let epoch = self.epoch().map_or(1, |(e, _)| *e);
        let last = self.last_zxid();
        let zxid = if last >> 32 == epoch {
            last + 1
        } else {
            (epoch << 32) | 1
        };
        self.txns.push(Txn { zxid, at, op });
        zxid
    }

    /// Sessions opened and not closed whose client has been gone longer
    /// than the timeout by `now`: the leader expires them, each a
    /// transaction of its own at its expiry, which also removes its
    /// ephemeral nodes.
    /// Returns them: (when, session id).
    pub fn expire_sessions(&mut self, now: Millis) -> Vec<(Millis, u64)> {
        let mut open: BTreeMap<u64, Millis> = BTreeMap::new();
        for txn in &self.txns {
            match txn.op {
                Op::Session(id) => {
                    open.insert(id, txn.at);
                }
                Op::Close(id) => {
                    open.remove(&id);
                }
                _ => {}
            }
        }
        let mut due: Vec<(Millis, u64)> = open
            .into_iter()
            .map(|(id, at)| (at + SESSION_TIMEOUT, id))
            .filter(|(at, _)| *at <= now)
            .collect();
        due.sort();
        for (at, id) in &mut due {
            *at = (*at).max(self.txns.last().map_or(0, |t| t.at));
            self.append(*at, Op::Close(*id));
        }
        due
    }

    /// The znode tree the log builds.
    pub fn tree(&self) -> Tree {
        let mut tree = Tree::default();
        for txn in &self.txns {
            // A log edited by hand may hold requests the server would have
            // refused: they are skipped, as they never happened.
            let _ = tree.apply(txn);
        }
        tree
    }
}

/// The znodes by path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree {
    pub nodes: BTreeMap<String, Znode>,
}

impl Default for Tree {
    /// A fresh server's tree: `/`, `/zookeeper` and `/zookeeper/quota`,
    /// linked without counting as changes to their parents (cversion 0).
    fn default() -> Tree {
        let empty = Znode {
            data: String::new(),
            czxid: 0,
            ctime: 0,
            mzxid: 0,
            mtime: 0,
            pzxid: 0,
            cversion: 0,
            version: 0,
            owner: 0,
        };
        let nodes = ["/", "/zookeeper", "/zookeeper/quota"]
            .into_iter()
            .map(|path| (path.to_string(), empty.clone()))
            .collect();
        Tree { nodes }
    }
}

/// The parent of a znode path (`/a/b` → `/a`, `/a` → `/`).
fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(at) => &path[..at],
    }
}

/// PathUtils.validatePath's checks that a typed path can fail.
pub fn validate(path: &str) -> Result<(), Refusal> {
    let bad = |reason: &str| Err(Refusal::BadPath(format!("Path {reason}")));
    if path.is_empty() {
        return bad("length must be > 0");
    }
    if !path.starts_with('/') {
        return bad("must start with / character");
    }
    if path.len() > 1 && path.ends_with('/') {
        return bad("must not end with / character");
    }
    if path.contains("//") {
        return Err(Refusal::BadPath(format!(
            "Invalid path string \"{path}\" caused by empty node name specified @{}",
            path.find("//").unwrap_or(0) + 1
        )));
    }
    Ok(())
}

impl Tree {
    pub fn get(&self, path: &str) -> Option<&Znode> {
        self.nodes.get(path)
    }

    /// The children's names of `path`, in name order.
    pub fn children(&self, path: &str) -> Vec<&str> {
        let prefix = if path == "/" {
            "/".to_string()
        } else {
            format!("{path}/")
        };
        self.nodes
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .map(|(p, _)| &p[prefix.len()..])
            .filter(|rest| !rest.is_empty() && !rest.contains('/'))
            .collect()
    }

    /// Whether `txn` would succeed; applied if so.
    pub fn apply(&mut self, txn: &Txn) -> Result<(), Refusal> {
        match &txn.op {
            Op::Session(_) => Ok(()),
            Op::Close(id) => {
                let owned: Vec<String> = self
                    .nodes
                    .iter()
                    .filter(|(_, n)| n.owner == *id)
                    .map(|(p, _)| p.clone())
                    .collect();
                for path in owned.into_iter().rev() {
                    let _ = self.remove(&path, txn.zxid);
                }
                Ok(())
            }
            Op::Create { path, data, owner } => {
                validate(path)?;
                if self.nodes.contains_key(path) {
                    return Err(Refusal::NodeExists(path.clone()));
                }
                let parent = self
                    .nodes
                    .get_mut(parent(path))
                    .filter(|p| p.owner == 0)
                    .ok_or_else(|| Refusal::NoNode(path.clone()))?;
                parent.cversion += 1;
                parent.pzxid = txn.zxid;
                self.nodes.insert(
                    path.clone(),
                    Znode {
                        data: data.clone(),
                        czxid: txn.zxid,
                        ctime: txn.at,
                        mzxid: txn.zxid,
                        mtime: txn.at,
                        pzxid: txn.zxid,
                        cversion: 0,
                        version: 0,
                        owner: *owner,
                    },
                );
                Ok(())
            }
            Op::Set { path, data } => {
                let node = self
                    .nodes
                    .get_mut(path)
                    .ok_or_else(|| Refusal::NoNode(path.clone()))?;
                node.data = data.clone();
                node.mzxid = txn.zxid;
                node.mtime = txn.at;
                node.version += 1;
                Ok(())
            }
            Op::Delete { path } => self.remove(path, txn.zxid),
        }
    }

    fn remove(&mut self, path: &str, zxid: u64) -> Result<(), Refusal> {
        if !self.nodes.contains_key(path) || path == "/" {
            return Err(Refusal::NoNode(path.to_string()));
        }
        if !self.children(path).is_empty() {
            return Err(Refusal::NotEmpty(path.to_string()));
        }
        self.nodes.remove(path);
        if let Some(parent) = self.nodes.get_mut(parent(path)) {
            parent.cversion += 1;
            parent.pzxid = zxid;
        }
        Ok(())
    }

    /// The next sequential name under `path`'s parent (`create -s`).
    pub fn sequential(&self, path: &str) -> String {
        let counter = self.get(parent(path)).map_or(0, |p| p.cversion);
        format!("{path}{counter:010}")
    }

    /// How many znodes there are, as `srvr` counts them (the root's
    /// empty-named twin included).
    pub fn count(&self) -> usize {
        self.nodes.len() + 1
    }
}

/// java.util.Date's toString in UTC: `Thu Dec 08 15:13:30 UTC 2016`.
pub fn java_date(at: Millis) -> String {
    timestamp(at)
        .strftime("%a %b %d %H:%M:%S UTC %Y")
        .to_string()
}

/// zkCli's printStat lines.
pub fn stat_lines(node: &Znode, children: usize) -> Vec<String> {
    vec![
        format!("cZxid = {:#x}", node.czxid),
        format!("ctime = {}", java_date(node.ctime)),
        format!("mZxid = {:#x}", node.mzxid),
        format!("mtime = {}", java_date(node.mtime)),
        format!("pZxid = {:#x}", node.pzxid),
        format!("cversion = {}", node.cversion),
        format!("dataVersion = {}", node.version),
        "aclVersion = 0".to_string(),
        format!("ephemeralOwner = {:#x}", node.owner),
        format!("dataLength = {}", node.data.len()),
        format!("numChildren = {children}"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create(path: &str, data: &str) -> Op {
        Op::Create {
            path: path.into(),
            data: data.into(),
            owner: 0,
        }
    }

    #[test]
    fn a_session_and_a_create_are_zxids_one_and_two_of_epoch_one() {
        let mut log = Log::default();
        log.new_epoch("run-a");
        log.append(1_000, Op::Session(0x100));
        let zxid = log.append(1_010, create("/hello", "world"));
        assert_eq!(zxid, 0x1_0000_0002);
        let tree = log.tree();
        let hello = tree.get("/hello").unwrap();
        assert_eq!((hello.czxid, hello.data.as_str()), (zxid, "world"));
        assert_eq!(tree.children("/"), ["hello", "zookeeper"]);
        assert_eq!(tree.get("/").unwrap().pzxid, zxid);
        assert_eq!(log.file_name(), "log.100000001");
    }

    #[test]
    fn the_text_form_reads_back_and_skips_what_does_not_parse() {
        let mut log = Log::default();
        log.new_epoch("run-a");
        log.append(5, Op::Session(0xabc));
        log.append(6, create("/a", "two words\nand a line"));
        log.append(
            7,
            Op::Set {
                path: "/a".into(),
                data: "back\\slash".into(),
            },
        );
        log.new_epoch("run-b");
        log.append(8, Op::Delete { path: "/a".into() });
        let text = log.text();
        assert!(text.starts_with("epoch 1 leader run-a\n0x100000001 5 session 0xabc\n"));
        assert!(text.contains("epoch 2 leader run-b\n0x200000001 8 delete /a\n"));
        assert_eq!(Log::parse(&text), log);
        let edited = format!("garbage\n0xzz 1 create /b\n{text}epoch x\n");
        assert_eq!(Log::parse(&edited), log);
    }

    #[test]
    fn refusals_read_as_zkcli_prints_them() {
        let mut log = Log::default();
        log.new_epoch("r");
        let mut tree = log.tree();
        let txn = |zxid, op| Txn { zxid, at: 0, op };
        assert_eq!(
            tree.apply(&txn(1, create("/a/b", "")))
                .unwrap_err()
                .to_string(),
            "Node does not exist: /a/b"
        );
        tree.apply(&txn(2, create("/a", ""))).unwrap();
        tree.apply(&txn(3, create("/a/b", ""))).unwrap();
        assert_eq!(
            tree.apply(&txn(4, create("/a", "")))
                .unwrap_err()
                .to_string(),
            "Node already exists: /a"
        );
        assert_eq!(
            tree.apply(&txn(5, Op::Delete { path: "/a".into() }))
                .unwrap_err()
                .to_string(),
            "Node not empty: /a"
        );
        assert_eq!(
            validate("hello").unwrap_err().to_string(),
            "Command failed: java.lang.IllegalArgumentException: Path must start with / character"
        );
        assert_eq!(tree.sequential("/a/q"), "/a/q0000000001");
        assert_eq!(Tree::default().sequential("/job-"), "/job-0000000000");
    }

    #[test]
    fn expired_sessions_close_and_take_their_ephemeral_nodes() {
        let mut log = Log::default();
        log.new_epoch("r");
        log.append(0, Op::Session(7));
        log.append(
            10,
            Op::Create {
                path: "/lock".into(),
                data: String::new(),
                owner: 7,
            },
        );
        assert_eq!(log.expire_sessions(SESSION_TIMEOUT - 1), []);
        assert!(log.tree().get("/lock").is_some());
        assert_eq!(log.expire_sessions(SESSION_TIMEOUT), [(SESSION_TIMEOUT, 7)]);
        assert_eq!(log.txns.last().unwrap().op, Op::Close(7));
        assert!(log.tree().get("/lock").is_none());
        assert_eq!(Log::parse(&log.text()), log);
    }

    #[test]
    fn dates_print_as_java_prints_them() {
        assert_eq!(
            java_date(crate::sim::clock::HANDOVER),
            "Mon Jan 05 09:00:00 UTC 2026"
        );
    }
}
