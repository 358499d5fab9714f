//! A ZooKeeper ensemble as the simulated `kubernetes-zookeeper` servers
//! form it: the members `zoo.cfg` lists (`server.1=zk-0.zk-hs…`), which of
//! them run, whether they make a quorum, who leads, and the transaction
//! log they share.
//!
//! The servers are not followed over time. What a client sees is worked
//! out when it connects, from the members' container runs: a quorum
//! formed when its last needed member started; its leader is the member
//! with the most data, then the highest id, among those running by then
//! (FastLeaderElection's order); a leader whose run is not the one the log
//! last recorded means an election happened since, so a new epoch begins.
//! The leader's log is copied to every running member before a write, as
//! followers sync with their leader, and the write goes to all of them.

use k8s_openapi::api::core::v1::Pod;

use super::zk_data::Log;
use super::{Inside, Target};
use crate::sim::clock::Millis;
use crate::sim::Cluster;

/// What `zoo.cfg` says about the ensemble.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub client_port: u16,
    pub data_dir: String,
    pub data_log_dir: String,
    /// (myid, host) of each `server.N=host:port:port` line.
    pub servers: Vec<(u64, String)>,
}

impl Config {
    pub fn parse(text: &str) -> Config {
        let mut config = Config {
            client_port: 2181,
            data_dir: "/tmp/zookeeper".to_string(),
            data_log_dir: String::new(),
            servers: Vec::new(),
        };
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = value.trim();
            match key.trim() {
                "clientPort" => config.client_port = value.parse().unwrap_or(2181),
                "dataDir" => config.data_dir = value.to_string(),
                "dataLogDir" => config.data_log_dir = value.to_string(),
                key => {
                    let id = key.strip_prefix("server.").and_then(|n| n.parse().ok());
                    let host = value.split(':').next().unwrap_or("");
                    if let Some(id) = id.filter(|_| !host.is_empty()) {
                        config.servers.push((id, host.to_string()));
                    }
                }
            }
        }
        if config.data_log_dir.is_empty() {
            config.data_log_dir = config.data_dir.clone();
        }
        config
    }

    /// Where the transaction logs are.
    pub fn log_dir(&self) -> String {
        format!("{}/version-2", self.data_log_dir)
    }
}

/// One member of the ensemble.
#[derive(Clone, Debug)]
pub struct Member {
    pub myid: u64,
    pub inside: Inside,
    /// Its server's current run: (container id, start time).
    pub run: (String, Millis),
    pub log: Log,
}

/// The ensemble as a client connecting at one moment finds it.
pub struct Ensemble {
    pub config: Config,
    /// The members whose server runs, lowest id first.
    pub running: Vec<Member>,
}

/// Whether a container's main process is a ZooKeeper server.
pub fn is_server(inside: &Inside) -> bool {
    inside.userland.zookeeper
        && inside
            .main_command()
            .iter()
            .any(|w| w.contains("start-zookeeper") || w.contains("zkServer.sh"))
}

/// The pod a server's host name names: `zk-0.zk-hs.default.svc…` is pod
/// `zk-0` in `default`; a short name is in `namespace`.
fn target_of(cluster: &Cluster, host: &str, namespace: &str) -> Option<Target> {
    let labels: Vec<&str> = host.split('.').collect();
    let pod_namespace = labels.get(2).copied().unwrap_or(namespace);
    let pod = cluster.store().get_typed::<Pod>(pod_namespace, labels[0])?;
    let container = pod
        .spec
        .as_ref()?
        .containers
        .iter()
        .find(|c| super::image::Userland::of(c.image.as_deref().unwrap_or("")).zookeeper)?;
    Some(Target {
        namespace: pod_namespace.to_string(),
        pod: labels[0].to_string(),
        container: container.name.clone(),
    })
}

/// The longest transaction log in a member's log directory.
fn read_log(cluster: &mut Cluster, inside: &Inside, config: &Config, now: Millis) -> Log {
    let dir = config.log_dir();
    let mut fs = inside.fs(cluster, now);
    let names = fs.list(&dir).unwrap_or_default();
    names
        .iter()
        .filter(|e| e.name.starts_with("log."))
        .filter_map(|e| fs.read(&format!("{dir}/{}", e.name)).ok())
        .map(|text| Log::parse(&text))
        .max_by_key(|log| (log.last_zxid(), log.epochs.len()))
        .unwrap_or_default()
}

/// Writes `log` as a member's only transaction log, and its epoch files.
pub fn write_log(cluster: &mut Cluster, inside: &Inside, config: &Config, log: &Log, now: Millis) {
    let dir = config.log_dir();
    let mut fs = inside.fs(cluster, now);
    let _ = fs.mkdir(&dir, true);
    let keep = log.file_name();
    for entry in fs.list(&dir).unwrap_or_default() {
        if entry.name.starts_with("log.") && entry.name != keep {
            let _ = fs.remove(&format!("{dir}/{}", entry.name), false, false);
        }
    }
    let _ = fs.write(&format!("{dir}/{keep}"), &log.text(), false);
    if let Some((epoch, _)) = log.epoch() {
        let epochs = format!("{}/version-2", config.data_dir);
        let _ = fs.mkdir(&epochs, true);
        for name in ["acceptedEpoch", "currentEpoch"] {
            let _ = fs.write(&format!("{epochs}/{name}"), &epoch.to_string(), false);
        }
    }
}

impl Ensemble {
    /// The ensemble `config` describes, seen from a pod in `namespace`.
    pub fn find(cluster: &mut Cluster, config: Config, namespace: &str) -> Ensemble {
        let now = cluster.now();
        let mut running = Vec::new();
        for (myid, host) in &config.servers {
            let Some(target) = target_of(cluster, host, namespace) else {
                continue;
            };
            let Some(inside) = Inside::of(cluster, &target) else {
                continue;
            };
            let alive = crate::sim::kubelet::process_alive(
                cluster,
                &target.namespace,
                &target.pod,
                &target.container,
            );
            if !is_server(&inside) || !alive {
                continue;
            }
            let Some(run) = cluster.runtime.current(&inside.uid, &target.container) else {
                continue;
            };
            let run = (run.container_id.clone(), run.started);
            let log = read_log(cluster, &inside, &config, now);
            running.push(Member {
                myid: *myid,
                inside,
                run,
                log,
            });
        }
        Ensemble { config, running }
    }

    /// A standalone server (no `server.N` lines) is its own quorum.
    fn size(&self) -> usize {
        self.config.servers.len().max(1)
    }

    /// When the running members last made a quorum: when the last of its
    /// first members started.
    fn formed(&self) -> Option<Millis> {
        let quorum = self.size() / 2 + 1;
        let mut starts: Vec<Millis> = self.running.iter().map(|m| m.run.1).collect();
        starts.sort_unstable();
        starts.get(quorum - 1).copied()
    }

    /// The leader, when the running members make a quorum.
    pub fn leader(&self) -> Option<&Member> {
        let formed = self.formed()?;
        self.running
            .iter()
            .filter(|m| m.run.1 <= formed)
            .max_by_key(|m| (m.log.last_zxid(), m.myid))
    }

    /// What names an election's outcome in the log: the leader's run, and
    /// when its quorum formed (a quorum lost and formed again elects anew).
    fn election(&self) -> Option<String> {
        Some(format!("{}@{}", self.leader()?.run.0, self.formed()?))
    }

    /// The log as the leader has it, a new epoch begun if it was elected
    /// since the log last recorded one, and every running member synced to
    /// it. None without a quorum.
    pub fn synced_log(&self, cluster: &mut Cluster, now: Millis) -> Option<Log> {
        let election = self.election()?;
        let mut log = self
            .running
            .iter()
            .map(|m| &m.log)
            .max_by_key(|l| (l.last_zxid(), l.epochs.len()))
            .cloned()
            .unwrap_or_default();
        let mut expired = Vec::new();
        if log.epoch().is_none_or(|(_, run)| *run != election) {
            // Sessions that timed out before the election belong to the epoch before.
            expired = log.expire_sessions(self.formed()?.min(now));
            log.new_epoch(&election);
        }
        expired.extend(log.expire_sessions(now));
        let leader = self.leader()?;
        let key = leader.inside.key();
        super::userland::log_expiries(cluster, &key, &leader.myid.to_string(), &expired);
        self.commit(cluster, &log, now);
        Some(log)
    }

    /// Writes `log` to every running member.
    pub fn commit(&self, cluster: &mut Cluster, log: &Log, now: Millis) {
        for member in &self.running {
            if member.log != *log {
                write_log(cluster, &member.inside, &self.config, log, now);
            }
        }
    }

    /// Whether the member running in `target` leads, follows, or neither.
    pub fn mode(&self, target: &Target) -> Option<&'static str> {
        let leader = self.leader()?;
        let member = self.member(target)?;
        Some(if self.config.servers.is_empty() {
            "standalone"
        } else if member.myid == leader.myid {
            "leader"
        } else {
            "follower"
        })
    }

    fn member(&self, target: &Target) -> Option<&Member> {
        self.running.iter().find(|m| m.inside.target == *target)
    }

    /// The member a host name reaches: a member's own name, or else (the
    /// client Service) the lowest running id.
    pub fn reached(&self, host: &str, own: &Target) -> Option<&Member> {
        if super::is_loopback(host) {
            return self.member(own);
        }
        let first = host.split('.').next().unwrap_or(host);
        self.running
            .iter()
            .find(|m| m.inside.target.pod == first || m.inside.ip == host)
            .or_else(|| self.running.first())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoo_cfg_as_start_zookeeper_writes_it() {
        let config = Config::parse(
            "#This file was autogenerated DO NOT EDIT\nclientPort=2181\ndataDir=/var/lib/zookeeper/data\ndataLogDir=/var/lib/zookeeper/data/log\nserver.1=zk-0.zk-hs.default.svc.cluster.local:2888:3888\nserver.2=zk-1.zk-hs.default.svc.cluster.local:2888:3888\nnonsense\n",
        );
        assert_eq!(config.client_port, 2181);
        assert_eq!(config.log_dir(), "/var/lib/zookeeper/data/log/version-2");
        assert_eq!(
            config.servers,
            [
                (1, "zk-0.zk-hs.default.svc.cluster.local".to_string()),
                (2, "zk-1.zk-hs.default.svc.cluster.local".to_string())
            ]
        );
    }
}
