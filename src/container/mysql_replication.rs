//! A MySQL server's binary log and replication, as `mysql_server.rs`
//! keeps them in its data directory: the statements the primary logged
//! after their positions, a replica's `master.info` (its source and how far
//! it has applied) and `relay-log.info` (replication started).

use super::mysql_server::{connect, Rows, Server, Session, DATADIR, PORT};
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

    /// `SHOW MASTER STATUS`: the binary log's file and next position, when
    /// the server keeps one.
    pub(super) fn master_status_rows(&mut self, cluster: &mut Cluster) -> Rows {
        let columns = [
            "File",
            "Position",
            "Binlog_Do_DB",
            "Binlog_Ignore_DB",
            "Executed_Gtid_Set",
        ];
        let rows = self
            .master_status(cluster)
            .map(|(file, at)| {
                vec![
                    Some(file),
                    Some(at.to_string()),
                    Some(String::new()),
                    Some(String::new()),
                    Some(String::new()),
                ]
            })
            .into_iter()
            .collect();
        Rows {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows,
            numeric: vec![false, true, false, false, false],
            vertical: false,
        }
    }

    /// `SHOW SLAVE STATUS`: a replica's source, how far it has read and
    /// applied, and whether its threads run; empty on a server that is no
    /// replica.
    pub(super) fn slave_status(&mut self, cluster: &mut Cluster) -> Rows {
        let mut fields: Vec<(&str, Option<String>)> = Vec::new();
        if let Some((host, file, at)) = self.source(cluster) {
            let started = self.replicating(cluster);
            let now = cluster.now();
            let source = connect(cluster, &self.inside, Some(&host), PORT, now)
                .ok()
                .filter(|_| started);
            let source_id = source.map(|mut server| {
                server.configure(cluster);
                server.config.server_id
            });
            let reached = source_id.is_some();
            let relay = format!("{}-relay-bin.000002", self.inside.hostname);
            let text = |s: &str| Some(s.to_string());
            let (io_state, io_running) = match (started, reached) {
                (true, true) => ("Waiting for master to send event", "Yes"),
                (true, false) => ("Connecting to master", "Connecting"),
                _ => ("", "No"),
            };
            let (io_errno, io_error) = if started && !reached {
                ("2003", format!("error connecting to master 'root@{host}:{PORT}' - retry-time: 10  retries: 1"))
            } else {
                ("0", String::new())
            };
            fields = vec![
                ("Slave_IO_State", text(io_state)),
                ("Master_Host", Some(host.clone())),
                ("Master_User", text("root")),
                ("Master_Port", Some(PORT.to_string())),
                ("Connect_Retry", text("10")),
                ("Master_Log_File", Some(file.clone())),
                ("Read_Master_Log_Pos", Some(at.to_string())),
                ("Relay_Log_File", Some(relay)),
                ("Relay_Log_Pos", text("320")),
                ("Relay_Master_Log_File", Some(file)),
                ("Slave_IO_Running", text(io_running)),
                (
                    "Slave_SQL_Running",
                    text(if started { "Yes" } else { "No" }),
                ),
                ("Replicate_Do_DB", text("")),
                ("Replicate_Ignore_DB", text("")),
                ("Replicate_Do_Table", text("")),
                ("Replicate_Ignore_Table", text("")),
                ("Replicate_Wild_Do_Table", text("")),
                ("Replicate_Wild_Ignore_Table", text("")),
                ("Last_Errno", text("0")),
                ("Last_Error", text("")),
                ("Skip_Counter", text("0")),
                ("Exec_Master_Log_Pos", Some(at.to_string())),
                ("Relay_Log_Space", text("529")),
                ("Until_Condition", text("None")),
                ("Until_Log_File", text("")),
                ("Until_Log_Pos", text("0")),
                ("Master_SSL_Allowed", text("No")),
                ("Master_SSL_CA_File", text("")),
                ("Master_SSL_CA_Path", text("")),
                ("Master_SSL_Cert", text("")),
                ("Master_SSL_Cipher", text("")),
                ("Master_SSL_Key", text("")),
                ("Seconds_Behind_Master", reached.then(|| "0".to_string())),
                ("Master_SSL_Verify_Server_Cert", text("No")),
                ("Last_IO_Errno", text(io_errno)),
                ("Last_IO_Error", Some(io_error)),
                ("Last_SQL_Errno", text("0")),
                ("Last_SQL_Error", text("")),
                ("Replicate_Ignore_Server_Ids", text("")),
                (
                    "Master_Server_Id",
                    Some(source_id.unwrap_or_default().to_string()),
                ),
                ("Master_Info_File", Some(format!("{DATADIR}/master.info"))),
                ("SQL_Delay", text("0")),
                ("SQL_Remaining_Delay", None),
                (
                    "Slave_SQL_Running_State",
                    text(if started {
                        "Slave has read all relay log; waiting for more updates"
                    } else {
                        ""
                    }),
                ),
                ("Master_Retry_Count", text("86400")),
                ("Auto_Position", text("0")),
            ];
        }
        let numeric = fields
            .iter()
            .map(|(_, v)| v.as_deref().is_some_and(|v| v.parse::<u64>().is_ok()))
            .collect();
        Rows {
            columns: fields.iter().map(|(name, _)| name.to_string()).collect(),
            rows: if fields.is_empty() {
                Vec::new()
            } else {
                vec![fields.iter().map(|(_, v)| v.clone()).collect()]
            },
            numeric,
            vertical: false,
        }
    }
}
