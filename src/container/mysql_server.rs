//! A MySQL 5.7 server as the simulated `mysql` image runs it, and what its
//! clients see of it.
//!
//! Its data lives in the data directory on the server's volume, as MySQL
//! lays it out: a database is a directory with `db.opt`, a table its
//! definition (`NAME.frm`) and rows (`NAME.ibd`), the binary log
//! `HOST-bin.000001` with its index, a replica's `master.info`. Where MySQL
//! writes binary files these are text: a table's columns, tab-separated rows,
//! the statements the binary log records after their positions.
//!
//! Like the ZooKeeper ensemble (`zk_ensemble.rs`), the servers are not
//! followed over time: a replica catches up with its source when a client
//! connects to it, by applying what it has not yet applied of the source's
//! binary log, which is what its replication threads would have done by
//! then as long as the source runs.

use k8s_openapi::api::core::v1::Pod;

use super::dns::Resolver;
use super::mysql_auth;
use super::mysql_sql::{self, Condition, Item, Literal, SqlError, Statement, TableName};
use super::{is_loopback, Inside};
use crate::sim::clock::{timestamp, Millis, SECOND};
use crate::sim::{kubelet, Cluster};

pub const DATADIR: &str = "/var/lib/mysql";
pub const VERSION: &str = "5.7.44";
pub const PORT: u16 = 3306;
pub const SOCKET: &str = "/var/run/mysqld/mysqld.sock";
/// How long mysqld takes from its start to accepting connections.
const STARTING: Millis = 3 * SECOND;
/// The system schemas `mysqld --initialize` creates, besides the virtual
/// information_schema.
const SYSTEM_SCHEMAS: [&str; 3] = ["mysql", "performance_schema", "sys"];

/// What the mysql image has of MySQL's directories and option files: its
/// data directory (an image VOLUME, so empty) and the directories my.cnf
/// includes, where the tutorial mounts its own.
pub fn image_files() -> Vec<(String, String)> {
    let programs = ["mysql", "mysqladmin", "mysqld"]
        .into_iter()
        .filter_map(program_path)
        .map(|path| (path.to_string(), String::new()));
    let mut files: Vec<(String, String)> = programs.collect();
    files.extend([
        (format!("{DATADIR}/"), String::new()),
        ("/var/run/mysqld/".to_string(), String::new()),
        (
            "/etc/mysql/my.cnf".to_string(),
            "[mysqld]\n!includedir /etc/mysql/conf.d/\n!includedir /etc/mysql/mysql.conf.d/\n"
                .to_string(),
        ),
        (
            "/etc/mysql/conf.d/docker.cnf".to_string(),
            "[mysqld]\nskip-host-cache\nskip-name-resolve\n".to_string(),
        ),
        ("/etc/mysql/mysql.conf.d/".to_string(), String::new()),
    ]);
    files
}

/// Where the images install MySQL's programs; the tutorial moves
/// `/usr/bin/mysql` away to break a readiness probe.
pub fn program_path(name: &str) -> Option<&'static str> {
    match name {
        "mysql" => Some("/usr/bin/mysql"),
        "mysqladmin" => Some("/usr/bin/mysqladmin"),
        "mysqld" => Some("/usr/sbin/mysqld"),
        _ => None,
    }
}

/// Whether a container's main process is mysqld.
pub fn is_server(inside: &Inside) -> bool {
    inside.userland.mysql_server()
        && inside
            .main_command()
            .iter()
            .any(|w| w.rsplit('/').next() == Some("mysqld"))
}

/// A server a client reached.
pub struct Server {
    pub inside: Inside,
    pub(super) config: Config,
}

/// What the server's option files say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Config {
    pub(super) server_id: u32,
    /// The binary log's base name (`log-bin` with no value: `HOST-bin`).
    pub(super) log_bin: Option<String>,
    pub(super) read_only: bool,
    pub(super) super_read_only: bool,
}

/// Where a connection went wrong, as the client reports it.
pub enum Unreached {
    /// No server on this container's socket.
    Socket,
    UnknownHost,
    /// Nothing listens there, or the server is still starting.
    Refused,
    /// The server refused the user and password (the reason, ER_ACCESS_DENIED_ERROR's text).
    Denied(String),
}

/// Who a client logs in as: `-u`, and `-p…` if given.
pub struct Login<'a> {
    pub user: &'a str,
    pub password: Option<&'a str>,
}

/// Connects and logs in, as every client does: the server, or why not.
pub fn login(
    cluster: &mut Cluster,
    from: &Inside,
    host: Option<&str>,
    port: u16,
    now: Millis,
    login: &Login<'_>,
) -> Result<Server, Unreached> {
    let server = connect(cluster, from, host, port, now)?;
    let accounts = server.read(cluster, "mysql/user.MYD");
    if accounts.is_none_or(|a| mysql_auth::allows(&a, login.user, login.password)) {
        return Ok(server);
    }
    // mysqld skips name resolution (the image's docker.cnf): a client is its address.
    let client = match host {
        None | Some("localhost") => "localhost".to_string(),
        Some(h) if is_loopback(h) => "127.0.0.1".to_string(),
        Some(_) => from.ip.clone(),
    };
    let used = if login.password.is_some_and(|p| !p.is_empty()) {
        "YES"
    } else {
        "NO"
    };
    Err(Unreached::Denied(format!(
        "Access denied for user '{}'@'{client}' (using password: {used})",
        login.user
    )))
}

/// The rows a statement returns, or none.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    pub columns: Vec<String>,
    /// Each value, None for NULL.
    pub rows: Vec<Vec<Option<String>>>,
    /// Which columns are numbers, which the table format right-aligns.
    pub numeric: Vec<bool>,
    /// Asked for with `\G`: each row as one field a line.
    pub vertical: bool,
}

/// What a statement did, as the client reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Rows(Rows),
    /// Rows it changed and, for an INSERT of several rows, how many it wrote.
    Affected {
        rows: u64,
        records: Option<u64>,
    },
    /// `USE`
    DatabaseChanged,
    /// An UPDATE: rows its WHERE matched, and how many of them it changed.
    Updated {
        matched: u64,
        changed: u64,
    },
}

/// A table's rows, and which of them a WHERE clause picks.
struct Matched {
    database: String,
    columns: Vec<Column>,
    rows: Vec<Vec<Option<String>>>,
    picked: Vec<bool>,
}

/// What a SELECT keeps of a table's rows, and in which order.
#[derive(Clone, Copy)]
struct Shape<'a> {
    filter: Option<&'a Condition>,
    order: Option<&'a (String, bool)>,
    limit: Option<usize>,
}

impl Outcome {
    fn affected(rows: u64) -> Outcome {
        Outcome::Affected {
            rows,
            records: None,
        }
    }
}

/// A client's session: the current database.
#[derive(Clone, Debug, Default)]
pub struct Session {
    pub database: Option<String>,
}

/// Connects from `from` to `host:port` at `now` (the client's clock;
/// `localhost` or no host: the socket of this container's own server).
pub fn connect(
    cluster: &Cluster,
    from: &Inside,
    host: Option<&str>,
    port: u16,
    now: Millis,
) -> Result<Server, Unreached> {
    let Some(host) = host.filter(|h| *h != "localhost") else {
        return serving(cluster, from, now).ok_or(Unreached::Socket);
    };
    let pod = if is_loopback(host) || host == from.hostname || Some(host) == from.fqdn.as_deref() {
        from.pod.clone()
    } else {
        let resolver = Resolver::new(cluster, &from.target.namespace);
        let (_, ips) = resolver.resolve(host).ok_or(Unreached::UnknownHost)?;
        let ip = ips.first().ok_or(Unreached::UnknownHost)?;
        // kube-proxy sends each new connection to any ready endpoint.
        let pick = now / 1000 + u64::from(from.ip.bytes().map(u32::from).sum::<u32>());
        let (pod, target) =
            super::http::route(cluster, ip, port, pick).ok_or(Unreached::Refused)?;
        if target != PORT {
            return Err(Unreached::Refused);
        }
        pod
    };
    if port != PORT {
        return Err(Unreached::Refused);
    }
    server_in(cluster, &pod, now).ok_or(Unreached::Refused)
}

/// The container of `pod` whose mysqld accepts connections now.
fn server_in(cluster: &Cluster, pod: &Pod, now: Millis) -> Option<Server> {
    Inside::containers_of(cluster, pod).find_map(|inside| serving(cluster, &inside, now))
}

/// `inside` as a server, if its mysqld runs and had finished starting by `now`.
fn serving(cluster: &Cluster, inside: &Inside, now: Millis) -> Option<Server> {
    if !is_server(inside) {
        return None;
    }
    let target = &inside.target;
    if !kubelet::process_alive(cluster, &target.namespace, &target.pod, &target.container) {
        return None;
    }
    let started = cluster
        .runtime
        .current(&inside.uid, &target.container)?
        .started;
    if now < started + STARTING {
        return None;
    }
    Some(Server {
        inside: inside.clone(),
        config: Config::default(),
    })
}

impl Server {
    /// Reads the option files: the image's includes `/etc/mysql/conf.d/`,
    /// where the tutorial's init container writes server-id.cnf and the
    /// primary's or replica's settings.
    pub(super) fn configure(&mut self, cluster: &mut Cluster) {
        let now = cluster.now();
        let mut fs = self.inside.fs(cluster, now);
        let mut config = Config::default();
        for dir in ["/etc/mysql/conf.d", "/etc/mysql/mysql.conf.d"] {
            let mut names: Vec<String> = fs
                .list(dir)
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.name)
                .filter(|n| n.ends_with(".cnf"))
                .collect();
            names.sort();
            for name in names {
                let text = fs.read(&format!("{dir}/{name}")).unwrap_or_default();
                for line in text.lines() {
                    let line = line.trim();
                    if line.starts_with(['#', ';', '[']) || line.is_empty() {
                        continue;
                    }
                    let (key, value) = match line.split_once('=') {
                        Some((k, v)) => (k.trim().replace('_', "-"), Some(v.trim().to_string())),
                        None => (line.replace('_', "-"), None),
                    };
                    let on = value
                        .as_deref()
                        .is_none_or(|v| !matches!(v, "0" | "OFF" | "off"));
                    match key.as_str() {
                        "server-id" => {
                            config.server_id =
                                value.and_then(|v| v.parse().ok()).unwrap_or_default()
                        }
                        "log-bin" => {
                            config.log_bin = Some(
                                value.unwrap_or_else(|| format!("{}-bin", self.inside.hostname)),
                            )
                        }
                        "read-only" => config.read_only = on,
                        "super-read-only" => {
                            config.super_read_only = on;
                            config.read_only |= on;
                        }
                        _ => {}
                    }
                }
            }
        }
        self.config = config;
    }

    pub(super) fn path(&self, name: &str) -> String {
        format!("{DATADIR}/{name}")
    }

    pub(super) fn read(&self, cluster: &mut Cluster, name: &str) -> Option<String> {
        let now = cluster.now();
        self.inside.fs(cluster, now).read(&self.path(name)).ok()
    }

    pub(super) fn write(&self, cluster: &mut Cluster, name: &str, text: &str, append: bool) {
        let now = cluster.now();
        let path = self.path(name);
        let mut fs = self.inside.fs(cluster, now);
        if let Some((parent, _)) = path.rsplit_once('/') {
            let _ = fs.mkdir(parent, true);
        }
        let _ = fs.write(&path, text, append);
    }

    fn databases(&self, cluster: &mut Cluster) -> Vec<String> {
        let now = cluster.now();
        let mut fs = self.inside.fs(cluster, now);
        let mut names: Vec<String> = fs
            .list(DATADIR)
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e.dir && !e.name.starts_with('#') && !e.name.starts_with('.'))
            .map(|e| e.name)
            .collect();
        names.push("information_schema".to_string());
        names.sort();
        names
    }

    fn tables(&self, cluster: &mut Cluster, database: &str) -> Vec<String> {
        let now = cluster.now();
        let mut fs = self.inside.fs(cluster, now);
        let mut names: Vec<String> = fs
            .list(&format!("{DATADIR}/{database}"))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|e| e.name.strip_suffix(".frm").map(str::to_string))
            .collect();
        names.sort();
        names
    }

    /// Runs a script of statements for a client; what each returned, up
    /// to the first error and the line its statement began on. A replica
    /// first catches up with its source. A `replay` of a client that ran
    /// before (a container's main process played again) changes nothing.
    pub fn execute(
        &mut self,
        cluster: &mut Cluster,
        session: &mut Session,
        script: &str,
        replay: bool,
    ) -> (Vec<Outcome>, Option<(usize, SqlError)>) {
        self.configure(cluster);
        if !replay {
            self.catch_up(cluster);
        }
        let mut results = Vec::new();
        for (line, text) in mysql_sql::split(script) {
            let (text, vertical) = match text.strip_suffix("\\G") {
                Some(statement) => (statement.trim_end().to_string(), true),
                None => (text, false),
            };
            let outcome = mysql_sql::parse(&text).and_then(|statement| {
                let reads = matches!(
                    statement,
                    Statement::Select { .. }
                        | Statement::ShowDatabases
                        | Statement::ShowMasterStatus
                        | Statement::ShowSlaveStatus
                        | Statement::ShowTables(_)
                        | Statement::Use(_)
                );
                if replay && !reads {
                    return Ok(Outcome::affected(0));
                }
                self.run(cluster, session, &statement, &text, false)
            });
            match outcome {
                Ok(Outcome::Rows(rows)) => results.push(Outcome::Rows(Rows { vertical, ..rows })),
                Ok(outcome) => results.push(outcome),
                Err(err) => return (results, Some((line, err))),
            }
        }
        (results, None)
    }

    /// One statement; `replicated` when the replication applier runs it,
    /// which read-only does not stop.
    pub(super) fn run(
        &mut self,
        cluster: &mut Cluster,
        session: &mut Session,
        statement: &Statement,
        text: &str,
        replicated: bool,
    ) -> Result<Outcome, SqlError> {
        if statement.writes() && !replicated && self.config.read_only {
            let option = if self.config.super_read_only {
                "--super-read-only"
            } else {
                "--read-only"
            };
            return Err(SqlError::new(1290, "HY000", format!("The MySQL server is running with the {option} option so it cannot execute this statement")));
        }
        let affected = match statement {
            Statement::Select {
                items,
                from,
                filter,
                order,
                limit,
            } => {
                let shape = Shape {
                    filter: filter.as_ref(),
                    order: order.as_ref(),
                    limit: *limit,
                };
                return self
                    .select(cluster, session, items, from.as_ref(), shape)
                    .map(Outcome::Rows);
            }
            Statement::ShowMasterStatus => {
                return Ok(Outcome::Rows(self.master_status_rows(cluster)))
            }
            Statement::ShowSlaveStatus => return Ok(Outcome::Rows(self.slave_status(cluster))),
            Statement::ShowDatabases => {
                let names = self.databases(cluster);
                return Ok(Outcome::Rows(single_column("Database", names)));
            }
            Statement::ShowTables(database) => {
                let database = self.database(cluster, session, database.as_ref())?;
                let names = self.tables(cluster, &database);
                return Ok(Outcome::Rows(single_column(
                    &format!("Tables_in_{database}"),
                    names,
                )));
            }
            Statement::Use(name) => {
                self.database(cluster, session, Some(name))?;
                session.database = Some(name.clone());
                return Ok(Outcome::DatabaseChanged);
            }
            Statement::ChangeMaster(options) => {
                self.change_master(cluster, options);
                return Ok(Outcome::affected(0));
            }
            Statement::StartSlave => {
                self.set_replicating(cluster, true);
                return Ok(Outcome::affected(0));
            }
            Statement::StopSlave => {
                self.set_replicating(cluster, false);
                return Ok(Outcome::affected(0));
            }
            Statement::CreateDatabase {
                name,
                if_not_exists,
            } => {
                if self.databases(cluster).contains(name) {
                    if *if_not_exists {
                        return Ok(Outcome::affected(0));
                    }
                    return Err(SqlError::new(
                        1007,
                        "HY000",
                        format!("Can't create database '{name}'; database exists"),
                    ));
                }
                self.write(
                    cluster,
                    &format!("{name}/db.opt"),
                    "default-character-set=latin1\ndefault-collation=latin1_swedish_ci\n",
                    false,
                );
                Outcome::affected(1)
            }
            Statement::DropDatabase { name, if_exists } => {
                if !self.databases(cluster).contains(name) {
                    if *if_exists {
                        return Ok(Outcome::affected(0));
                    }
                    return Err(SqlError::new(
                        1008,
                        "HY000",
                        format!("Can't drop database '{name}'; database doesn't exist"),
                    ));
                }
                let tables = self.tables(cluster, name).len() as u64;
                let now = cluster.now();
                let _ = self
                    .inside
                    .fs(cluster, now)
                    .remove(&self.path(name), true, true);
                Outcome::affected(tables)
            }
            Statement::CreateTable {
                name,
                columns,
                if_not_exists,
            } => {
                let database = self.database(cluster, session, name.database.as_ref())?;
                if self.tables(cluster, &database).contains(&name.table) {
                    if *if_not_exists {
                        return Ok(Outcome::affected(0));
                    }
                    return Err(SqlError::new(
                        1050,
                        "42S01",
                        format!("Table '{}' already exists", name.table),
                    ));
                }
                let definition: String = columns
                    .iter()
                    .map(|(column, kind)| format!("{column}\t{kind}\n"))
                    .collect();
                self.write(
                    cluster,
                    &format!("{database}/{}.frm", name.table),
                    &definition,
                    false,
                );
                self.write(
                    cluster,
                    &format!("{database}/{}.ibd", name.table),
                    "",
                    false,
                );
                Outcome::affected(0)
            }
            Statement::DropTable { name, if_exists } => {
                let database = self.database(cluster, session, name.database.as_ref())?;
                if !self.tables(cluster, &database).contains(&name.table) {
                    if *if_exists {
                        return Ok(Outcome::affected(0));
                    }
                    return Err(SqlError::new(
                        1051,
                        "42S02",
                        format!("Unknown table '{database}.{}'", name.table),
                    ));
                }
                let now = cluster.now();
                let mut fs = self.inside.fs(cluster, now);
                for suffix in ["frm", "ibd"] {
                    let _ = fs.remove(
                        &format!("{DATADIR}/{database}/{}.{suffix}", name.table),
                        false,
                        false,
                    );
                }
                Outcome::affected(0)
            }
            Statement::Update { name, set, filter } => {
                let Matched {
                    database,
                    columns,
                    mut rows,
                    picked,
                } = self.matching(cluster, session, name, filter.as_ref())?;
                let mut targets = Vec::new();
                for (column, value) in set {
                    let Some(at) = columns
                        .iter()
                        .position(|c| c.name.eq_ignore_ascii_case(column))
                    else {
                        return Err(SqlError::new(
                            1054,
                            "42S22",
                            format!("Unknown column '{column}' in 'field list'"),
                        ));
                    };
                    let value = match value {
                        Literal::Null => None,
                        Literal::Number(v) | Literal::Text(v) => Some(v.clone()),
                    };
                    targets.push((at, value));
                }
                let mut changed = 0;
                for (row, _) in rows.iter_mut().zip(&picked).filter(|(_, keep)| **keep) {
                    let before = row.clone();
                    for (at, value) in &targets {
                        row[*at] = value.clone();
                    }
                    changed += u64::from(*row != before);
                }
                self.write_rows(cluster, &database, &name.table, &rows);
                Outcome::Updated {
                    matched: picked.iter().filter(|k| **k).count() as u64,
                    changed,
                }
            }
            Statement::Delete { name, filter } => {
                let Matched {
                    database,
                    rows,
                    picked,
                    ..
                } = self.matching(cluster, session, name, filter.as_ref())?;
                let kept: Vec<_> = rows
                    .into_iter()
                    .zip(&picked)
                    .filter_map(|(row, deleted)| (!deleted).then_some(row))
                    .collect();
                self.write_rows(cluster, &database, &name.table, &kept);
                Outcome::affected(picked.iter().filter(|k| **k).count() as u64)
            }
            Statement::Insert {
                name,
                columns,
                rows,
            } => {
                let (database, defined) = self.table(cluster, session, name)?;
                let mut text = String::new();
                for (i, row) in rows.iter().enumerate() {
                    let values = match columns {
                        None if row.len() != defined.len() => {
                            return Err(SqlError::new(
                                1136,
                                "21S01",
                                format!("Column count doesn't match value count at row {}", i + 1),
                            ))
                        }
                        None => row.clone(),
                        Some(named) => {
                            if named.len() != row.len() {
                                return Err(SqlError::new(
                                    1136,
                                    "21S01",
                                    format!(
                                        "Column count doesn't match value count at row {}",
                                        i + 1
                                    ),
                                ));
                            }
                            if let Some(unknown) = named
                                .iter()
                                .find(|n| !defined.iter().any(|d| d.name.eq_ignore_ascii_case(n)))
                            {
                                return Err(SqlError::new(
                                    1054,
                                    "42S22",
                                    format!("Unknown column '{unknown}' in 'field list'"),
                                ));
                            }
                            defined
                                .iter()
                                .map(|d| {
                                    named
                                        .iter()
                                        .position(|n| n.eq_ignore_ascii_case(&d.name))
                                        .map_or(Literal::Null, |at| row[at].clone())
                                })
                                .collect()
                        }
                    };
                    let cells: Vec<String> = values.iter().map(encode).collect();
                    text.push_str(&cells.join("\t"));
                    text.push('\n');
                }
                self.write(
                    cluster,
                    &format!("{database}/{}.ibd", name.table),
                    &text,
                    true,
                );
                Outcome::Affected {
                    rows: rows.len() as u64,
                    records: (rows.len() > 1).then_some(rows.len() as u64),
                }
            }
        };
        if !replicated {
            self.log_binary(cluster, session.database.as_deref(), text);
        }
        Ok(affected)
    }

    /// The database a statement names, or the session's; it must exist.
    fn database(
        &self,
        cluster: &mut Cluster,
        session: &Session,
        named: Option<&String>,
    ) -> Result<String, SqlError> {
        let Some(name) = named.or(session.database.as_ref()) else {
            return Err(SqlError::new(1046, "3D000", "No database selected"));
        };
        if !self.databases(cluster).contains(name) {
            return Err(SqlError::new(
                1049,
                "42000",
                format!("Unknown database '{name}'"),
            ));
        }
        Ok(name.clone())
    }

    /// A table's database and column names.
    fn table(
        &self,
        cluster: &mut Cluster,
        session: &Session,
        name: &TableName,
    ) -> Result<(String, Vec<Column>), SqlError> {
        let database = self.database(cluster, session, name.database.as_ref())?;
        let Some(definition) = self.read(cluster, &format!("{database}/{}.frm", name.table)) else {
            return Err(SqlError::new(
                1146,
                "42S02",
                format!("Table '{database}.{}' doesn't exist", name.table),
            ));
        };
        let columns = definition
            .lines()
            .map(|line| {
                let (name, kind) = line.split_once('\t').unwrap_or((line, ""));
                Column {
                    name: name.to_string(),
                    numeric: is_numeric(kind),
                }
            })
            .collect();
        Ok((database, columns))
    }

    /// A table's rows as its file keeps them.
    fn rows(&self, cluster: &mut Cluster, database: &str, table: &str) -> Vec<Vec<Option<String>>> {
        let text = self
            .read(cluster, &format!("{database}/{table}.ibd"))
            .unwrap_or_default();
        text.lines()
            .map(|line| line.split('\t').map(decode).collect())
            .collect()
    }

    fn write_rows(
        &self,
        cluster: &mut Cluster,
        database: &str,
        table: &str,
        rows: &[Vec<Option<String>>],
    ) {
        let text: String = rows
            .iter()
            .map(|row| {
                let cells: Vec<String> = row.iter().map(|v| encode_cell(v.as_deref())).collect();
                format!("{}\n", cells.join("\t"))
            })
            .collect();
        self.write(cluster, &format!("{database}/{table}.ibd"), &text, false);
    }

    /// The rows of a table a WHERE clause picks, with their places.
    fn matching(
        &self,
        cluster: &mut Cluster,
        session: &Session,
        name: &TableName,
        filter: Option<&Condition>,
    ) -> Result<Matched, SqlError> {
        let (database, columns) = self.table(cluster, session, name)?;
        let rows = self.rows(cluster, &database, &name.table);
        let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
        if let Some(filter) = filter {
            // An unknown column is an error even when no row is looked at.
            filter.holds(&names, &vec![None; names.len()])?;
        }
        let picked = rows
            .iter()
            .map(|row| filter.map_or(Ok(true), |f| f.holds(&names, row)))
            .collect::<Result<Vec<bool>, SqlError>>()?;
        Ok(Matched {
            database,
            columns,
            rows,
            picked,
        })
    }

    fn select(
        &self,
        cluster: &mut Cluster,
        session: &Session,
        items: &[(Item, String)],
        from: Option<&TableName>,
        shape: Shape<'_>,
    ) -> Result<Rows, SqlError> {
        let table = match from {
            Some(name) => {
                let Matched {
                    columns,
                    rows,
                    picked,
                    ..
                } = self.matching(cluster, session, name, shape.filter)?;
                let mut rows: Vec<_> = rows
                    .into_iter()
                    .zip(picked)
                    .filter_map(|(row, keep)| keep.then_some(row))
                    .collect();
                if let Some((by, descending)) = shape.order {
                    let Some(at) = columns.iter().position(|c| c.name.eq_ignore_ascii_case(by))
                    else {
                        return Err(SqlError::new(
                            1054,
                            "42S22",
                            format!("Unknown column '{by}' in 'order clause'"),
                        ));
                    };
                    let numeric = columns[at].numeric;
                    rows.sort_by(|a, b| {
                        let (a, b) = (
                            a[at].as_deref().unwrap_or(""),
                            b[at].as_deref().unwrap_or(""),
                        );
                        let order = match (numeric, a.parse::<f64>(), b.parse::<f64>()) {
                            (true, Ok(x), Ok(y)) => {
                                x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal)
                            }
                            _ => a.to_lowercase().cmp(&b.to_lowercase()),
                        };
                        if *descending {
                            order.reverse()
                        } else {
                            order
                        }
                    });
                }
                if let Some(limit) = shape.limit {
                    rows.truncate(limit);
                }
                Some((columns, rows))
            }
            None => None,
        };
        let mut out = Rows::default();
        let count = table.as_ref().map_or(1, |(_, rows)| rows.len());
        let mut columns: Vec<Box<dyn Fn(usize) -> Option<String> + '_>> = Vec::new();
        for (item, heading) in items {
            match item {
                Item::Star => {
                    let Some((names, rows)) = &table else {
                        return Err(SqlError::new(1096, "HY000", "No tables used"));
                    };
                    for (at, column) in names.iter().enumerate() {
                        out.columns.push(column.name.clone());
                        out.numeric.push(column.numeric);
                        columns.push(Box::new(move |row| rows[row].get(at).cloned().flatten()));
                    }
                }
                Item::Column(name) => {
                    let found = table.as_ref().and_then(|(names, rows)| {
                        let at = names
                            .iter()
                            .position(|c| c.name.eq_ignore_ascii_case(name))?;
                        Some((rows, at, names[at].numeric))
                    });
                    let Some((rows, at, numeric)) = found else {
                        return Err(SqlError::new(
                            1054,
                            "42S22",
                            format!("Unknown column '{name}' in 'field list'"),
                        ));
                    };
                    out.columns.push(heading.clone());
                    out.numeric.push(numeric);
                    columns.push(Box::new(move |row| rows[row].get(at).cloned().flatten()));
                }
                Item::Function(name) if name == "COUNT" => {
                    out.columns.push(heading.clone());
                    out.numeric.push(true);
                    let rows = count;
                    columns.push(Box::new(move |_| Some(rows.to_string())));
                }
                other => {
                    let (value, numeric) = self.scalar(cluster, session, other, heading)?;
                    out.columns.push(heading.clone());
                    out.numeric.push(numeric);
                    columns.push(Box::new(move |_| value.clone()));
                }
            }
        }
        let aggregate = items
            .iter()
            .any(|(i, _)| matches!(i, Item::Function(f) if f == "COUNT"));
        let rows = if aggregate { 1 } else { count };
        out.rows = (0..rows)
            .map(|row| columns.iter().map(|column| column(row)).collect())
            .collect();
        Ok(out)
    }

    /// A value that does not come from a table, and whether it is a number.
    fn scalar(
        &self,
        cluster: &Cluster,
        session: &Session,
        item: &Item,
        heading: &str,
    ) -> Result<(Option<String>, bool), SqlError> {
        Ok(match item {
            Item::Literal(Literal::Number(n)) => (Some(n.clone()), true),
            Item::Literal(Literal::Text(t)) => (Some(t.clone()), false),
            Item::Literal(Literal::Null) => (None, false),
            Item::Variable(name) => match name.to_ascii_lowercase().trim_start_matches("global.") {
                "server_id" => (Some(self.config.server_id.to_string()), true),
                "hostname" => (Some(self.inside.hostname.clone()), false),
                "port" => (Some(PORT.to_string()), true),
                "read_only" => (Some(u8::from(self.config.read_only).to_string()), true),
                "super_read_only" => (
                    Some(u8::from(self.config.super_read_only).to_string()),
                    true,
                ),
                "version" => (Some(self.version()), false),
                "log_bin" => (
                    Some(u8::from(self.config.log_bin.is_some()).to_string()),
                    true,
                ),
                _ => {
                    return Err(SqlError::new(
                        1193,
                        "HY000",
                        format!("Unknown system variable '{name}'"),
                    ))
                }
            },
            Item::Function(name) => match name.as_str() {
                "NOW" | "CURRENT_TIMESTAMP" | "SYSDATE" => (
                    Some(
                        timestamp(cluster.now())
                            .strftime("%Y-%m-%d %H:%M:%S")
                            .to_string(),
                    ),
                    false,
                ),
                "VERSION" => (Some(self.version()), false),
                "DATABASE" | "SCHEMA" => (session.database.clone(), false),
                _ => {
                    let Some(database) = &session.database else {
                        return Err(SqlError::new(1046, "3D000", "No database selected"));
                    };
                    let name = heading.split('(').next().unwrap_or(heading);
                    return Err(SqlError::new(
                        1305,
                        "42000",
                        format!("FUNCTION {database}.{name} does not exist"),
                    ));
                }
            },
            Item::Star | Item::Column(_) => (None, false),
        })
    }

    /// The version a server in `inside` reports (`-log` with a binary log).
    pub fn version_in(cluster: &mut Cluster, inside: &Inside) -> String {
        let mut server = Server {
            inside: inside.clone(),
            config: Config::default(),
        };
        server.configure(cluster);
        server.version()
    }

    pub(super) fn version(&self) -> String {
        if self.config.log_bin.is_some() {
            format!("{VERSION}-log")
        } else {
            VERSION.to_string()
        }
    }

    /// Creates the data directory as `mysqld --initialize-insecure` does,
    /// when it has no `mysql` schema yet; true if it did.
    /// `MYSQL_DATABASE`, when set, is created too.
    pub fn initialize(
        cluster: &mut Cluster,
        inside: &Inside,
        now: Millis,
        database: Option<&str>,
        root_password: &str,
    ) -> bool {
        if Server::initialized(cluster, inside, now) {
            return false;
        }
        let mut fs = inside.fs(cluster, now);
        let _ = fs.mkdir(DATADIR, true);
        let node: String = inside.uid.chars().filter(|c| *c != '-').take(12).collect();
        let uuid = format!("{:08x}-1c8e-11f1-9a2b-{node}", now / 1000);
        let _ = fs.write(
            &format!("{DATADIR}/auto.cnf"),
            &format!("[auto]\nserver-uuid={uuid}\n"),
            false,
        );
        for file in ["ibdata1", "ib_logfile0", "ib_logfile1", "ib_buffer_pool"] {
            let _ = fs.write(&format!("{DATADIR}/{file}"), "", false);
        }
        let _ = fs.mkdir(&format!("{DATADIR}/mysql"), true);
        let _ = fs.write(
            &format!("{DATADIR}/mysql/user.MYD"),
            &mysql_auth::accounts(&mysql_auth::native_hash(root_password)),
            false,
        );
        for schema in SYSTEM_SCHEMAS {
            let _ = fs.mkdir(&format!("{DATADIR}/{schema}"), true);
            let _ = fs.write(
                &format!("{DATADIR}/{schema}/db.opt"),
                "default-character-set=utf8\ndefault-collation=utf8_general_ci\n",
                false,
            );
        }
        if let Some(name) = database.filter(|d| !d.is_empty()) {
            let _ = fs.mkdir(&format!("{DATADIR}/{name}"), true);
            let _ = fs.write(
                &format!("{DATADIR}/{name}/db.opt"),
                "default-character-set=latin1\ndefault-collation=latin1_swedish_ci\n",
                false,
            );
        }
        true
    }

    /// Whether the data directory has its `mysql` schema.
    pub fn initialized(cluster: &mut Cluster, inside: &Inside, now: Millis) -> bool {
        inside.fs(cluster, now).is_dir(&format!("{DATADIR}/mysql"))
    }
}

/// A table's column as its definition says.
pub(super) struct Column {
    name: String,
    /// Numbers, which a terminal's table shows to the right.
    numeric: bool,
}

fn is_numeric(kind: &str) -> bool {
    let kind = kind.trim_start().to_ascii_uppercase();
    [
        "INT",
        "TINYINT",
        "SMALLINT",
        "MEDIUMINT",
        "BIGINT",
        "INTEGER",
        "DECIMAL",
        "NUMERIC",
        "FLOAT",
        "DOUBLE",
        "REAL",
        "BIT",
    ]
    .iter()
    .any(|t| kind.split(|c: char| !c.is_ascii_alphabetic()).next() == Some(t))
}

/// A result of one column.
fn single_column(heading: &str, values: Vec<String>) -> Rows {
    Rows {
        columns: vec![heading.to_string()],
        rows: values.into_iter().map(|v| vec![Some(v)]).collect(),
        numeric: vec![false],
        vertical: false,
    }
}

/// A row's value as the table file keeps it: tab-separated, `\N` for NULL.
fn encode(value: &Literal) -> String {
    match value {
        Literal::Null => encode_cell(None),
        Literal::Number(v) | Literal::Text(v) => encode_cell(Some(v)),
    }
}

fn encode_cell(value: Option<&str>) -> String {
    value.map_or_else(|| "\\N".to_string(), escape)
}

/// A value as tab-separated text writes it (the table files, and the
/// client's batch output): backslash, tab and newline escaped.
pub fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

fn decode(cell: &str) -> Option<String> {
    if cell == "\\N" {
        return None;
    }
    let mut out = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    Some(out)
}
