//! A Cassandra ring as the Cassandra tutorial's image
//! (`gcr.io/google-samples/cassandra:v13`, Cassandra 3.11.2) forms it: which
//! nodes run, which are joining or normal, their tokens and host ids, and
//! what each has persisted on its volume.
//!
//! The nodes are not followed over time. A node's course through a run is
//! worked out from when the run started, its configuration and the other
//! nodes' runs, the way Cassandra's start-up goes: it looks its seeds up
//! (its own name resolves through /etc/hosts, others' through the cluster's
//! DNS), starts gossip, and a seed (or a node that bootstrapped before) is
//! normal at once; any other node first gossips with a live seed, waits the
//! ring delay for ring information, refuses to bootstrap while another node
//! does (consistent range movement), picks its tokens, waits the ring delay
//! again and streams. What lasts is on the node's data volume, in its
//! `system.local` and `system.peers` tables (text files here, where
//! Cassandra's SSTables are binary): its host id, tokens and whether it
//! bootstrapped, and the peers gossip told it of, so a node whose pod is
//! gone still shows as down.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;

use super::dns::Resolver;
use super::{Inside, Target};
use crate::sim::clock::{Millis, SECOND};
use crate::sim::fast_hash::{digest_of, push_hex};
use crate::sim::Cluster;

pub const VERSION: &str = "3.11.2";
pub const HOME: &str = "/usr/local/apache-cassandra-3.11.2";
/// The image's CASSANDRA_DATA, where the tutorial mounts its volume.
pub const DATA: &str = "/cassandra_data";
const LOCAL_TABLE: &str = "data/system/local-7ad54392bcdd35a684174e047860b377";
const PEERS_TABLE: &str = "data/system/peers-37f71aca7dc2383ba70672528af04d4f";
const TABLE_FILE: &str = "mc-1-big-Data.db";

/// From a run's start: the seed provider looks its seeds up.
pub const SEEDS_LOOKED_UP: Millis = 3 * SECOND;
/// The JMX port nodetool talks to is open.
pub const JMX_UP: Millis = 5 * SECOND;
/// Gossip starts (its shadow round first, for a node that needs peers).
pub const GOSSIP: Millis = 8 * SECOND;
/// A seed, or a node that has bootstrapped before, is normal.
const NORMAL: Millis = 10 * SECOND;
/// Streaming a bootstrap's ranges from the (nearly empty) ring.
pub const STREAMING: Millis = 2 * SECOND;

/// What run.sh puts in cassandra.yaml and cassandra-rackdc.properties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub cluster_name: String,
    pub num_tokens: usize,
    pub seeds: Vec<String>,
    pub dc: String,
    pub rack: String,
    pub ring_delay: Millis,
}

impl Config {
    /// run.sh's reading of the environment: a DC and a rack both set switch
    /// to GossipingPropertyFileSnitch; SimpleSnitch places every node in
    /// `datacenter1`, `rack1`.
    pub fn from_env(env: &[(String, String)], own_name: &str) -> Config {
        let var = |name: &str| {
            env.iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
        };
        let (dc, rack) = match (var("CASSANDRA_DC"), var("CASSANDRA_RACK")) {
            (Some(dc), Some(rack)) => (dc, rack),
            _ => ("datacenter1".to_string(), "rack1".to_string()),
        };
        let seeds = var("CASSANDRA_SEEDS").unwrap_or_else(|| own_name.to_string());
        Config {
            cluster_name: var("CASSANDRA_CLUSTER_NAME").unwrap_or("Test Cluster".to_string()),
            num_tokens: var("CASSANDRA_NUM_TOKENS")
                .and_then(|n| n.parse().ok())
                .unwrap_or(32)
                .clamp(1, 1536),
            seeds: seeds
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            dc,
            rack,
            ring_delay: var("CASSANDRA_RING_DELAY")
                .and_then(|n| n.parse().ok())
                .unwrap_or(30 * SECOND),
        }
    }
}

/// A node as its `system.local` table has it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Local {
    pub host_id: String,
    /// Empty until it has bootstrapped.
    pub tokens: Vec<i64>,
    /// The start (in virtual ms) of the run that bootstrapped it.
    pub bootstrapped_by: Option<Millis>,
    /// When `nodetool decommission` began taking it out of the ring.
    pub decommissioned_at: Option<Millis>,
}

/// A peer as `system.peers` has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Peer {
    pub address: String,
    pub host_id: String,
    pub dc: String,
    pub rack: String,
    pub tokens: Vec<i64>,
}

/// Why a run ends during start-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// No seed name resolves.
    NoSeeds,
    /// Not a seed, and no peer answered the shadow round.
    NoPeers,
    /// Another node was bootstrapping when this one was to.
    RangeMovement,
    /// It was decommissioned: it will not rejoin with its old data.
    Decommissioned,
}

/// How a node's current run goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Course {
    pub seed: bool,
    /// When it first gossiped with a live peer, and whose address that was.
    pub contact: Option<(Millis, String)>,
    /// Whether it bootstraps in this run (not a seed, never bootstrapped).
    pub bootstraps: bool,
    /// When its tokens are known to the ring (bootstrap tokens while joining).
    pub tokens_at: Millis,
    pub normal_at: Millis,
    pub failure: Option<(Millis, Failure)>,
}

/// A node of the ring: a pod running the image, with its current run.
#[derive(Clone, Debug)]
pub struct Node {
    pub inside: Inside,
    pub config: Config,
    pub run_id: String,
    pub started: Millis,
    pub alive: bool,
    pub local: Local,
    pub course: Course,
}

/// Where the node is at a moment of its run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Starting,
    Joining,
    Normal,
    /// Being decommissioned, then out of the ring (the process still runs).
    Leaving,
    Left,
    Failed,
}

impl Node {
    pub fn phase(&self, now: Millis) -> Phase {
        let course = &self.course;
        if let Some(at) = self
            .local
            .decommissioned_at
            .filter(|at| *at >= self.started)
        {
            if now >= at + leave_time(&self.config) {
                return Phase::Left;
            }
            if now >= at {
                return Phase::Leaving;
            }
        }
        match course.failure {
            Some((at, _)) if now >= at => Phase::Failed,
            _ if now >= course.normal_at => Phase::Normal,
            _ if now >= course.tokens_at => Phase::Joining,
            _ => Phase::Starting,
        }
    }

    /// Gossiping with the ring (alive, past its contact, not failed).
    fn gossiping(&self, now: Millis) -> bool {
        self.alive
            && self
                .course
                .contact
                .as_ref()
                .is_some_and(|(at, _)| now >= *at)
            && !matches!(self.phase(now), Phase::Failed | Phase::Left)
    }

    /// Its tokens: saved, or the ones this run picks.
    pub fn tokens(&self) -> Vec<i64> {
        if self.local.tokens.is_empty() {
            tokens_for(&self.local.host_id, self.config.num_tokens)
        } else {
            self.local.tokens.clone()
        }
    }

    pub fn as_peer(&self) -> Peer {
        Peer {
            address: self.inside.ip.clone(),
            host_id: self.local.host_id.clone(),
            dc: self.config.dc.clone(),
            rack: self.config.rack.clone(),
            tokens: self.tokens(),
        }
    }
}

/// Whether a container runs the tutorial's Cassandra image's server.
pub fn is_node(inside: &Inside) -> bool {
    inside.userland.cassandra
        && inside
            .main_command()
            .iter()
            .any(|w| w.ends_with("run.sh") || w.ends_with("cassandra"))
}

fn table_path(table: &str) -> String {
    format!("{DATA}/{table}/{TABLE_FILE}")
}

fn field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.split_whitespace()
        .find_map(|w| w.strip_prefix(name)?.strip_prefix('='))
}

fn parse_tokens(text: &str) -> Vec<i64> {
    text.split(',').filter_map(|t| t.parse().ok()).collect()
}

fn join_tokens(tokens: &[i64]) -> String {
    tokens
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The node's `system.local`, if it has one.
pub fn read_local(cluster: &mut Cluster, inside: &Inside, now: Millis) -> Option<Local> {
    let text = inside
        .fs(cluster, now)
        .read(&table_path(LOCAL_TABLE))
        .ok()?;
    Some(Local {
        host_id: field(&text, "host_id")?.to_string(),
        tokens: field(&text, "tokens").map(parse_tokens).unwrap_or_default(),
        bootstrapped_by: field(&text, "bootstrapped_by").and_then(|t| t.parse().ok()),
        decommissioned_at: field(&text, "decommissioned_at").and_then(|t| t.parse().ok()),
    })
}

pub fn write_local(
    cluster: &mut Cluster,
    inside: &Inside,
    config: &Config,
    local: &Local,
    now: Millis,
) {
    let status = match (local.decommissioned_at, local.bootstrapped_by) {
        (Some(_), _) => "DECOMMISSIONED",
        (None, Some(_)) => "COMPLETED",
        (None, None) => "NEEDS_BOOTSTRAP",
    };
    let mut text = format!(
        "key=local bootstrapped={status} cluster_name={} host_id={} data_center={} rack={} release_version={VERSION}",
        config.cluster_name.replace(' ', "_"),
        local.host_id,
        config.dc,
        config.rack,
    );
    if let Some(by) = local.bootstrapped_by {
        text.push_str(&format!(
            " bootstrapped_by={by} tokens={}",
            join_tokens(&local.tokens)
        ));
    }
    if let Some(at) = local.decommissioned_at {
        text.push_str(&format!(" decommissioned_at={at}"));
    }
    text.push('\n');
    let mut fs = inside.fs(cluster, now);
    let _ = fs.mkdir(&format!("{DATA}/{LOCAL_TABLE}"), true);
    let _ = fs.write(&table_path(LOCAL_TABLE), &text, false);
}

pub fn read_peers(cluster: &mut Cluster, inside: &Inside, now: Millis) -> Vec<Peer> {
    let text = inside
        .fs(cluster, now)
        .read(&table_path(PEERS_TABLE))
        .unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            Some(Peer {
                address: field(line, "peer")?.to_string(),
                host_id: field(line, "host_id")?.to_string(),
                dc: field(line, "data_center")?.to_string(),
                rack: field(line, "rack")?.to_string(),
                tokens: parse_tokens(field(line, "tokens")?),
            })
        })
        .collect()
}

fn write_peers(cluster: &mut Cluster, inside: &Inside, peers: &[Peer], now: Millis) {
    let text: String = peers
        .iter()
        .map(|p| {
            format!(
                "peer={} host_id={} data_center={} rack={} tokens={}\n",
                p.address,
                p.host_id,
                p.dc,
                p.rack,
                join_tokens(&p.tokens)
            )
        })
        .collect();
    let mut fs = inside.fs(cluster, now);
    if fs.read(&table_path(PEERS_TABLE)).ok().as_deref() == Some(text.as_str()) {
        return;
    }
    let _ = fs.mkdir(&format!("{DATA}/{PEERS_TABLE}"), true);
    let _ = fs.write(&table_path(PEERS_TABLE), &text, false);
}

/// A version 4 uuid that depends only on `seed`.
fn uuid_from(seed: &[&str]) -> String {
    let high = digest_of(seed);
    let low = splitmix(high ^ 0x9e37_79b9_7f4a_7c15);
    let mut hex = String::with_capacity(32);
    push_hex(&mut hex, high, 16);
    push_hex(&mut hex, low, 16);
    let hex: Vec<char> = hex.chars().collect();
    let variant = ['8', '9', 'a', 'b'][hex[16].to_digit(16).unwrap_or(0) as usize % 4];
    format!(
        "{}-{}-4{}-{}{}-{}",
        hex[0..8].iter().collect::<String>(),
        hex[8..12].iter().collect::<String>(),
        hex[13..16].iter().collect::<String>(),
        variant,
        hex[17..20].iter().collect::<String>(),
        hex[20..32].iter().collect::<String>()
    )
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The host id a node's first run creates.
pub fn new_host_id(pod_uid: &str, run_id: &str) -> String {
    uuid_from(&[pod_uid, run_id, "host id"])
}

/// The random Murmur3 tokens a node with this host id picks, sorted.
pub fn tokens_for(host_id: &str, count: usize) -> Vec<i64> {
    let mut state = digest_of(&[host_id, "tokens"]);
    let mut tokens: Vec<i64> = (0..count)
        .map(|_| {
            state = splitmix(state);
            // Murmur3Partitioner's minimum token is never handed out.
            (state as i64).max(i64::MIN + 1)
        })
        .collect();
    tokens.sort_unstable();
    tokens
}

/// The ring a node in `namespace` with `config` belongs to: every pod there
/// whose container runs the image's server with the same cluster name.
pub fn find(cluster: &mut Cluster, namespace: &str, cluster_name: &str, now: Millis) -> Vec<Node> {
    let pods: Vec<Pod> = cluster
        .store()
        .list_in(crate::sim::object::Kind::Pod, namespace)
        .filter_map(|o| o.as_typed::<Pod>().cloned())
        .collect();
    let mut nodes = Vec::new();
    for pod in &pods {
        let insides: Vec<Inside> = Inside::containers_of(cluster, pod)
            .filter(is_node)
            .collect();
        for inside in insides {
            let env = inside.environment(cluster, false);
            let config = Config::from_env(&env, &inside.long_hostname());
            if config.cluster_name != cluster_name {
                continue;
            }
            let Some(run) = cluster
                .runtime
                .current(&inside.uid, &inside.target.container)
            else {
                continue;
            };
            let (run_id, started) = (run.container_id.clone(), run.started);
            let Target {
                namespace,
                pod,
                container,
            } = &inside.target;
            let alive = crate::sim::kubelet::process_alive(cluster, namespace, pod, container);
            let local = read_local(cluster, &inside, now).unwrap_or_else(|| Local {
                host_id: new_host_id(&inside.uid, &run_id),
                ..Local::default()
            });
            nodes.push(Node {
                inside,
                config,
                run_id,
                started,
                alive,
                local,
                course: Course {
                    seed: false,
                    contact: None,
                    bootstraps: false,
                    tokens_at: Millis::MAX,
                    normal_at: Millis::MAX,
                    failure: None,
                },
            });
        }
    }
    // Each run's course depends on the runs that started before it.
    nodes.sort_by(|a, b| (a.started, &a.inside.target.pod).cmp(&(b.started, &b.inside.target.pod)));
    for i in 0..nodes.len() {
        let course = course_of(cluster, &nodes[i], &nodes[..i]);
        nodes[i].course = course;
    }
    nodes
}

/// The addresses `name` resolves to for `inside`: its own names through
/// /etc/hosts, as Java's resolver reads it first, others through DNS.
pub fn resolve(cluster: &Cluster, inside: &Inside, name: &str) -> Vec<String> {
    let own = [Some(inside.hostname.as_str()), inside.fqdn.as_deref()];
    if own.contains(&Some(name)) {
        return vec![inside.ip.clone()];
    }
    // The resolver answers an address with itself.
    Resolver::new(cluster, &inside.target.namespace)
        .resolve(name)
        .map(|(_, ips)| ips)
        .unwrap_or_default()
}

/// The seeds' addresses, as the seed provider looks them up.
pub fn seed_addresses(cluster: &Cluster, inside: &Inside, config: &Config) -> Vec<String> {
    config
        .seeds
        .iter()
        .flat_map(|seed| resolve(cluster, inside, seed))
        .collect()
}

fn course_of(cluster: &Cluster, node: &Node, earlier: &[Node]) -> Course {
    let s = node.started;
    let delay = node.config.ring_delay;
    let failed = |at: Millis, why: Failure| Course {
        seed: false,
        contact: None,
        bootstraps: false,
        tokens_at: Millis::MAX,
        normal_at: Millis::MAX,
        failure: Some((at, why)),
    };
    let seeds = seed_addresses(cluster, &node.inside, &node.config);
    if seeds.is_empty() {
        return failed(s + SEEDS_LOOKED_UP, Failure::NoSeeds);
    }
    if node.local.decommissioned_at.is_some_and(|at| at < s) {
        return failed(s + GOSSIP - SECOND, Failure::Decommissioned);
    }
    let seed = seeds.contains(&node.inside.ip);
    let bootstrapped = node.local.bootstrapped_by.is_some_and(|by| by < s);
    // The shadow round: the first live peer it can gossip with, a seed for
    // a node that has never been in the ring.
    let contact = earlier
        .iter()
        .filter(|peer| peer.alive && (bootstrapped || seeds.contains(&peer.inside.ip)))
        .filter_map(|peer| {
            let since = peer.course.contact.as_ref()?.0;
            let at = since.max(s + GOSSIP);
            (at <= s + GOSSIP + delay && peer.phase(at) != Phase::Failed)
                .then(|| (at, peer.inside.ip.clone()))
        })
        .min();
    if seed || bootstrapped {
        let contact = contact
            .clone()
            .unwrap_or((s + GOSSIP, node.inside.ip.clone()));
        if !seed && contact.1 == node.inside.ip {
            return failed(s + GOSSIP + delay, Failure::NoPeers);
        }
        let normal_at = (s + NORMAL).max(contact.0 + 2 * SECOND);
        return Course {
            seed,
            contact: Some(contact),
            bootstraps: false,
            tokens_at: normal_at,
            normal_at,
            failure: None,
        };
    }
    let Some(contact) = contact else {
        return failed(s + GOSSIP + delay, Failure::NoPeers);
    };
    let ready = contact.0 + delay;
    let moving = earlier.iter().any(|other| {
        other.alive && other.course.bootstraps && other.phase(ready) == Phase::Joining
    });
    if moving {
        let mut course = failed(ready, Failure::RangeMovement);
        course.contact = Some(contact);
        course.bootstraps = true;
        return course;
    }
    Course {
        seed: false,
        contact: Some(contact),
        bootstraps: true,
        tokens_at: ready,
        normal_at: ready + delay + STREAMING,
        failure: None,
    }
}

/// A node's state in the ring, as nodetool's second letter says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Normal,
    Joining,
    Leaving,
}

impl State {
    pub fn letter(self) -> char {
        match self {
            State::Normal => 'N',
            State::Joining => 'J',
            State::Leaving => 'L',
        }
    }
}

/// A row of `nodetool status`.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub up: bool,
    pub state: State,
    pub address: String,
    pub load: u64,
    pub tokens: Vec<i64>,
    /// Effective ownership, None while joining.
    pub owns: Option<f64>,
    pub host_id: String,
    pub dc: String,
    pub rack: String,
}

/// A member of the ring as a node knows it: gossiping with it, or
/// remembered from `system.peers` (down).
#[derive(Clone, Debug)]
struct Member {
    peer: Peer,
    up: bool,
    state: State,
}

/// What `viewer` knows of the ring at `now`, by host id: the live members
/// it gossips with and the peers it remembers, less those that left.
fn members(
    cluster: &mut Cluster,
    nodes: &[Node],
    viewer: &Node,
    now: Millis,
) -> BTreeMap<String, Member> {
    let mut members = BTreeMap::new();
    if viewer.gossiping(now) {
        for peer in read_peers(cluster, &viewer.inside, now) {
            let member = Member {
                peer,
                up: false,
                state: State::Normal,
            };
            members.insert(member.peer.host_id.clone(), member);
        }
    }
    for node in nodes {
        if node.phase(now) == Phase::Left {
            members.remove(&node.local.host_id);
        }
        let state = match node.phase(now) {
            Phase::Joining => State::Joining,
            Phase::Normal => State::Normal,
            Phase::Leaving => State::Leaving,
            _ => continue,
        };
        let seen = viewer.gossiping(now) || node.inside.target == viewer.inside.target;
        if node.gossiping(now) && seen {
            let member = Member {
                peer: node.as_peer(),
                up: true,
                state,
            };
            members.insert(node.local.host_id.clone(), member);
        }
    }
    members
}

/// Gossip: every live member's `system.peers` holds the others in the ring
/// (joining nodes are not peers yet).
fn gossip(cluster: &mut Cluster, nodes: &[Node], members: &BTreeMap<String, Member>, now: Millis) {
    for node in nodes
        .iter()
        .filter(|n| members.get(&n.local.host_id).is_some_and(|m| m.up))
    {
        let peers: Vec<Peer> = members
            .values()
            .filter(|m| m.peer.host_id != node.local.host_id && m.state != State::Joining)
            .map(|m| m.peer.clone())
            .collect();
        write_peers(cluster, &node.inside, &peers, now);
    }
}

/// Gossip settles after a node joined or left: the live members' peers
/// become what any of them sees.
pub fn settle_gossip(cluster: &mut Cluster, nodes: &[Node], now: Millis) {
    if let Some(viewer) = nodes.iter().find(|n| n.gossiping(now)) {
        let members = members(cluster, nodes, viewer, now);
        gossip(cluster, nodes, &members, now);
    }
}

/// `nodetool status` as `viewer` answers it at `now`: rows in token order.
/// Gossip brings every live member's `system.peers` up to date on the way.
pub fn status(cluster: &mut Cluster, nodes: &[Node], viewer: &Node, now: Millis) -> Vec<Row> {
    let members = members(cluster, nodes, viewer, now);
    gossip(cluster, nodes, &members, now);
    let in_ring: Vec<&Peer> = members
        .values()
        .filter(|m| m.state != State::Joining)
        .map(|m| &m.peer)
        .collect();
    let owns = effective_ownership(&in_ring);
    let mut rows: Vec<Row> = members
        .values()
        .map(|m| Row {
            up: m.up,
            state: m.state,
            address: m.peer.address.clone(),
            load: load_of(&m.peer.host_id),
            tokens: m.peer.tokens.clone(),
            owns: (m.state != State::Joining)
                .then(|| owns.get(&m.peer.host_id).copied().unwrap_or(0.0)),
            host_id: m.peer.host_id.clone(),
            dc: m.peer.dc.clone(),
            rack: m.peer.rack.clone(),
        })
        .collect();
    rows.sort_by_key(|r| r.tokens.first().copied().unwrap_or(i64::MAX));
    rows
}

/// `nodetool removenode HOST_ID`: a down node leaves the ring, as every live
/// member forgets it; Cassandra's refusal otherwise.
pub fn remove_node(
    cluster: &mut Cluster,
    nodes: &[Node],
    viewer: &Node,
    host_id: &str,
    now: Millis,
) -> Result<(), String> {
    let mut members = members(cluster, nodes, viewer, now);
    let Some(member) = members.get(host_id) else {
        return Err("Host ID not found.".to_string());
    };
    if host_id == viewer.local.host_id {
        return Err("Cannot remove self".to_string());
    }
    if member.up {
        return Err(format!(
            "Node /{} is alive and owns this ID. Use decommission command to remove it from the ring",
            member.peer.address
        ));
    }
    members.remove(host_id);
    gossip(cluster, nodes, &members, now);
    Ok(())
}

/// How long a decommission takes: the ring delay for pending ranges,
/// streaming, and the ring delay again announcing that it left.
pub fn leave_time(config: &Config) -> Millis {
    2 * config.ring_delay + STREAMING
}

/// The bytes a node's system tables take: a few dozen KiB, varying a
/// little from node to node as Cassandra's do.
fn load_of(host_id: &str) -> u64 {
    60 * 1024 + digest_of(&[host_id, "load"]) % (45 * 1024)
}

/// Each normal node's share of the ring with two replicas (the
/// system_traces keyspace's SimpleStrategy, which nodetool status reports
/// when no keyspace is given and no other keyspace is defined): a range
/// belongs to the node owning its end token and the next distinct node
/// clockwise.
fn effective_ownership(peers: &[&Peer]) -> BTreeMap<String, f64> {
    let mut ring: Vec<(i64, &str)> = peers
        .iter()
        .flat_map(|p| p.tokens.iter().map(move |t| (*t, p.host_id.as_str())))
        .collect();
    ring.sort_unstable();
    let mut owned: BTreeMap<String, u128> = BTreeMap::new();
    let distinct = peers.len();
    let replicas = distinct.min(2);
    for (i, (token, _)) in ring.iter().enumerate() {
        let previous = ring[(i + ring.len() - 1) % ring.len()].0;
        let size = if ring.len() == 1 {
            1u128 << 64
        } else {
            u128::from(token.wrapping_sub(previous) as u64)
        };
        let mut holders: Vec<&str> = Vec::new();
        for step in 0..ring.len() {
            let holder = ring[(i + step) % ring.len()].1;
            if !holders.contains(&holder) {
                holders.push(holder);
            }
            if holders.len() == replicas {
                break;
            }
        }
        for holder in holders {
            *owned.entry(holder.to_string()).or_default() += size;
        }
    }
    owned
        .into_iter()
        .map(|(id, size)| (id, size as f64 / (1u128 << 64) as f64))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(id: &str, tokens: Vec<i64>) -> Peer {
        Peer {
            address: String::new(),
            host_id: id.to_string(),
            dc: "dc".to_string(),
            rack: "rack".to_string(),
            tokens,
        }
    }

    #[test]
    fn two_replicas_own_twice_the_ring_between_them() {
        let peers = [
            peer("a", tokens_for("a", 32)),
            peer("b", tokens_for("b", 32)),
            peer("c", tokens_for("c", 32)),
        ];
        let owns = effective_ownership(&peers.iter().collect::<Vec<_>>());
        let total: f64 = owns.values().sum();
        assert!((total - 2.0).abs() < 1e-9, "{owns:?}");
        assert!(owns.values().all(|o| *o > 0.3 && *o < 0.95), "{owns:?}");
        let alone = effective_ownership(&[&peers[0]]);
        assert!((alone["a"] - 1.0).abs() < 1e-9);
        let pair = effective_ownership(&[&peers[0], &peers[1]]);
        assert!(pair.values().all(|o| (o - 1.0).abs() < 1e-9), "{pair:?}");
    }

    #[test]
    fn host_ids_are_version_4_uuids_and_tokens_repeat() {
        let id = new_host_id("uid", "run");
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!("89ab".contains(&id[19..20]));
        assert_eq!(tokens_for(&id, 32), tokens_for(&id, 32));
        assert_eq!(tokens_for(&id, 32).len(), 32);
        assert_ne!(new_host_id("uid", "run2"), id);
    }

    #[test]
    fn run_sh_reads_the_environment() {
        let env = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let config = Config::from_env(
            &env(&[
                (
                    "CASSANDRA_SEEDS",
                    "cassandra-0.cassandra.default.svc.cluster.local",
                ),
                ("CASSANDRA_CLUSTER_NAME", "K8Demo"),
                ("CASSANDRA_DC", "DC1-K8Demo"),
                ("CASSANDRA_RACK", "Rack1-K8Demo"),
            ]),
            "own",
        );
        assert_eq!(config.cluster_name, "K8Demo");
        assert_eq!(config.dc, "DC1-K8Demo");
        assert_eq!(config.num_tokens, 32);
        assert_eq!(
            config.seeds,
            ["cassandra-0.cassandra.default.svc.cluster.local"]
        );
        let plain = Config::from_env(&env(&[("CASSANDRA_DC", "x")]), "own.name");
        assert_eq!(
            (
                plain.dc.as_str(),
                plain.rack.as_str(),
                plain.cluster_name.as_str()
            ),
            ("datacenter1", "rack1", "Test Cluster")
        );
        assert_eq!(plain.seeds, ["own.name"]);
    }
}
