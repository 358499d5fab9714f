//! A MySQL server's binary log and replication, as `mysql_server.rs`
//! keeps them in its data directory: the statements the primary logged
//! after their positions, a replica's `master.info` (its source and how far
//! it has applied) and `relay-log.info` (replication started).

use super::mysql_server::{connect, Server, Session, PORT};
use super::mysql_sql::{self, Literal};
use crate::sim::Cluster;

/// The binary log's first event position (after its format description).
const FIRST_POSITION: u64 = 154;

/// The binary log's position after `events` bytes of events.
fn position(events: u64) -> u64 {
    FIRST_POSITION + events
}

/// The bytes a statement's event takes in the binary log (its header and
/// status variables, roughly, and the statement).
fn event_size(event: &Event) -> u64 {
    (event.statement.len() + event.database.as_ref().map_or(0, String::len)) as u64 + 77
}

/// A statement the binary log recorded, with the database it ran in.
struct Event {
    at: u64,
    database: Option<String>,
    statement: String,
}

impl Server {
    /// Records a change in the binary log, when the server keeps one.
    pub(super) fn log_binary(
        &self,
        cluster: &mut Cluster,
        database: Option<&str>,
        statement: &str,
    ) {
        let Some(base) = &self.config.log_bin else {
            return;
        };
        let file = format!("{base}.000001");
        if self.read(cluster, &file).is_none() {
            self.write(
                cluster,
                &format!("{base}.index"),
                &format!("./{file}\n"),
                false,
            );
        }
        let (_, events) = self.binary_log(cluster);
        let at = position(events.iter().map(event_size).sum());
        // As mysqlbinlog shows it: the event's position, its database, the statement.
        let used = database.map_or_else(String::new, |db| format!("use `{db}`;\n"));
        self.write(
            cluster,
            &file,
            &format!("# at {at}\n{used}{};\n", statement.replace('\n', " ")),
            true,
        );
    }

    /// The binary log's file name and its events (position, statement).
    fn binary_log(&self, cluster: &mut Cluster) -> (String, Vec<Event>) {
        let base = self
            .config
            .log_bin
            .clone()
            .unwrap_or_else(|| format!("{}-bin", self.inside.hostname));
        let file = format!("{base}.000001");
        let text = self.read(cluster, &file).unwrap_or_default();
        let mut events = Vec::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let Some(at) = line.strip_prefix("# at ").and_then(|a| a.parse().ok()) else {
                continue;
            };
            let mut statement = lines.next().unwrap_or("");
            let database = statement
                .strip_prefix("use `")
                .and_then(|rest| rest.strip_suffix("`;"))
                .map(str::to_string);
            if database.is_some() {
                statement = lines.next().unwrap_or("");
            }
            events.push(Event {
                at,
                database,
                statement: statement.trim_end_matches(';').to_string(),
            });
        }
        (file, events)
    }

    /// `SHOW MASTER STATUS`: the binary log's file and the next position;
    /// None without a binary log.
    pub fn master_status(&mut self, cluster: &mut Cluster) -> Option<(String, u64)> {
        self.configure(cluster);
        self.config.log_bin.as_ref()?;
        let (file, events) = self.binary_log(cluster);
        Some((file, position(events.iter().map(event_size).sum())))
    }

    /// The replica's source coordinates, as `CHANGE MASTER TO` set them and
    /// replication moved them on: (host, log file, position).
    pub fn source(&self, cluster: &mut Cluster) -> Option<(String, String, u64)> {
        let text = self.read(cluster, "master.info")?;
        let lines: Vec<&str> = text.lines().collect();
        Some((
            lines.get(3)?.to_string(),
            lines.get(1)?.to_string(),
            lines.get(2)?.parse().ok()?,
        ))
    }

    fn write_source(&self, cluster: &mut Cluster, host: &str, file: &str, at: u64) {
        self.write(
            cluster,
            "master.info",
            &format!("25\n{file}\n{at}\n{host}\nroot\n\n{PORT}\n10\n"),
            false,
        );
    }

    pub(super) fn change_master(&self, cluster: &mut Cluster, options: &[(String, Literal)]) {
        let (mut host, mut file, mut at) = self
            .source(cluster)
            .unwrap_or_else(|| (String::new(), String::new(), 4));
        for (key, value) in options {
            let text = match value {
                Literal::Number(n) | Literal::Text(n) => n.clone(),
                Literal::Null => String::new(),
            };
            match key.as_str() {
                "MASTER_HOST" => host = text,
                "MASTER_LOG_FILE" => file = text,
                "MASTER_LOG_POS" => at = text.parse().unwrap_or(at),
                _ => {}
            }
        }
        self.write_source(cluster, &host, &file, at);
    }

    /// START SLAVE writes relay-log.info; STOP SLAVE, here, removes it.
    pub(super) fn set_replicating(&self, cluster: &mut Cluster, on: bool) {
        let name = "relay-log.info";
        if on {
            let relay = format!("./{}-relay-bin.000001", self.inside.hostname);
            self.write(cluster, name, &format!("7\n{relay}\n4\n\n0\n0\n1\n"), false);
        } else {
            let now = cluster.now();
            let _ = self
                .inside
                .fs(cluster, now)
                .remove(&self.path(name), false, false);
        }
    }

    /// Whether this server replicates from a source.
    pub fn replicating(&self, cluster: &mut Cluster) -> bool {
        self.read(cluster, "relay-log.info").is_some() && self.source(cluster).is_some()
    }

    /// Applies what the source logged after this replica's position, if
    /// the source runs: replication catches up.
    pub(super) fn catch_up(&mut self, cluster: &mut Cluster) {
        if !self.replicating(cluster) {
            return;
        }
        let Some((host, file, at)) = self.source(cluster) else {
            return;
        };
        let now = cluster.now();
        let Ok(mut source) = connect(cluster, &self.inside, Some(&host), PORT, now) else {
            return;
        };
        source.configure(cluster);
        let (source_file, events) = source.binary_log(cluster);
        if source_file != file {
            return;
        }
        let mut next = at;
        for event in events.iter().filter(|e| e.at >= at) {
            let mut session = Session {
                database: event.database.clone(),
            };
            if let Ok(parsed) = mysql_sql::parse(&event.statement) {
                let _ = self.run(cluster, &mut session, &parsed, &event.statement, true);
            }
            next = event.at + event_size(event);
        }
        if next != at {
            self.write_source(cluster, &host, &file, next);
        }
    }
}
