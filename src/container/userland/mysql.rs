//! The mysql image's programs: its entrypoint and mysqld as the main
//! process, the `mysql` client and `mysqladmin` (the xtrabackup image has
//! the clients too), over the server model of `crate::container::mysql_server`.

use crate::container::mysql_server::{
    self, Login, Outcome, Rows, Server, Session, Unreached, PORT, SOCKET, VERSION,
};
use crate::shell::{Io, Shell};
use crate::sim::clock::{timestamp, Millis};

use super::ContainerHost;

/// What `mysql` was asked to do.
#[derive(Default)]
pub(super) struct Options {
    pub(super) host: Option<String>,
    pub(super) port: u16,
    pub(super) execute: Option<String>,
    pub(super) database: Option<String>,
    pub(super) table: bool,
    pub(super) batch: bool,
    pub(super) skip_names: bool,
    /// `-u`: root unless given.
    pub(super) user: String,
    /// `-pSECRET` or `--password=SECRET`.
    pub(super) password: Option<String>,
    /// Words that are not options: the database (mysql), the commands (mysqladmin).
    pub(super) operands: Vec<String>,
}

impl Options {
    pub(super) fn login(&self) -> Login<'_> {
        Login {
            user: &self.user,
            password: self.password.as_deref(),
        }
    }
}

/// The entrypoint's own lines are dated like `2026-01-05 09:00:00+00:00`,
/// mysqld's like `2026-01-05T09:00:00.000000Z`.
fn entrypoint_line(at: Millis, level: &str, text: &str) -> String {
    format!(
        "{} [{level}] [Entrypoint]: {text}\n",
        timestamp(at).strftime("%Y-%m-%d %H:%M:%S+00:00")
    )
}

fn server_line(at: Millis, level: &str, text: &str) -> String {
    format!(
        "{} 0 [{level}] {text}\n",
        timestamp(at).strftime("%Y-%m-%dT%H:%M:%S.%6fZ")
    )
}

impl ContainerHost<'_> {
    /// The mysql image's docker-entrypoint.sh with `mysqld`: on the first
    /// start it needs a root password option, creates the data directory
    /// (and `MYSQL_DATABASE`), then runs the server.
    pub(super) fn mysql_entrypoint(&mut self, shell: &Shell, io: &mut Io<'_>) -> i32 {
        let now = self.now;
        let started = format!("Entrypoint script for MySQL Server {VERSION}-1.el7 started.");
        io.sink.out(entrypoint_line(now, "Note", &started));
        io.sink.out(entrypoint_line(
            now,
            "Note",
            "Switching to dedicated user 'mysql'",
        ));
        io.sink.out(entrypoint_line(now, "Note", &started));
        if !Server::initialized(self.cluster, self.inside, now) {
            let set = |name: &str| {
                [name.to_string(), format!("{name}_FILE")]
                    .iter()
                    .any(|n| shell.var(n).is_some_and(|v| !v.is_empty()))
            };
            let password = [
                "MYSQL_ROOT_PASSWORD",
                "MYSQL_ALLOW_EMPTY_PASSWORD",
                "MYSQL_RANDOM_ROOT_PASSWORD",
            ];
            if !password.iter().any(|name| set(name)) {
                io.sink.err(entrypoint_line(now, "ERROR", "Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD"));
                return 1;
            }
            let database = shell.var("MYSQL_DATABASE").filter(|d| !d.is_empty());
            // MYSQL_RANDOM_ROOT_PASSWORD: pwgen's 32 characters, logged once.
            let random = set("MYSQL_RANDOM_ROOT_PASSWORD") && !set("MYSQL_ROOT_PASSWORD");
            let root_password = if random {
                self.inside
                    .uid
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .rev()
                    .take(32)
                    .collect()
            } else {
                shell.var("MYSQL_ROOT_PASSWORD").unwrap_or_default()
            };
            if !self.replaying() {
                Server::initialize(
                    self.cluster,
                    self.inside,
                    now,
                    database.as_deref(),
                    &root_password,
                );
            }
            if random {
                io.sink.out(entrypoint_line(
                    now,
                    "Note",
                    &format!("GENERATED ROOT PASSWORD: {root_password}"),
                ));
            }
            for line in [
                "Initializing database files",
                "Database files initialized",
                "Starting temporary server",
                "Temporary server started.",
            ] {
                io.sink.out(entrypoint_line(now, "Note", line));
            }
            if let Some(name) = database {
                io.sink.out(entrypoint_line(
                    now,
                    "Note",
                    &format!("Creating database {name}"),
                ));
            }
            for line in ["Stopping temporary server", "Temporary server stopped"] {
                io.sink.out(entrypoint_line(now, "Note", line));
            }
            io.sink.out("\n");
            io.sink.out(entrypoint_line(
                now,
                "Note",
                "MySQL init process done. Ready for start up.",
            ));
            io.sink.out("\n");
        }
        self.mysqld(io)
    }

    /// `mysqld`: as the main process, the server starts and serves; run
    /// beside it, it finds the socket and port taken.
    pub(super) fn mysqld(&mut self, io: &mut Io<'_>) -> i32 {
        let now = self.now;
        if !self.is_main() {
            io.sink.out(server_line(
                now,
                "ERROR",
                "Another process with pid 1 is using unix socket file.",
            ));
            io.sink.out(server_line(
                now,
                "ERROR",
                "Unable to setup unix socket lock file.",
            ));
            io.sink.out(server_line(now, "ERROR", "Aborting"));
            return 1;
        }
        let version = Server::version_in(self.cluster, self.inside);
        io.sink.out(server_line(
            now,
            "Note",
            &format!("mysqld (mysqld {version}) starting as process 1 ..."),
        ));
        io.sink.out(server_line(
            now,
            "Note",
            &format!("Server hostname (bind-address): '*'; port: {PORT}"),
        ));
        io.sink
            .out(server_line(now, "Note", "mysqld: ready for connections."));
        io.sink.out(format!("Version: '{version}'  socket: '{SOCKET}'  port: {PORT}  MySQL Community Server (GPL)\n"));
        self.block()
    }

    /// Parses a client's options and logs in as they say, with the
    /// client's words for bad options (exit 7) and a password given on
    /// the command line.
    fn client_login(
        &mut self,
        program: &str,
        args: &[String],
        io: &mut Io<'_>,
    ) -> Result<(Options, Result<Server, Unreached>), i32> {
        let options = parse_options(args).map_err(|err| {
            io.sink.err_line(format!("{program}: [ERROR] {err}"));
            7
        })?;
        if options.password.is_some() {
            io.sink.err_line(format!(
                "{program}: [Warning] Using a password on the command line interface can be insecure."
            ));
        }
        let host = options.host.clone();
        let logged_in = mysql_server::login(
            self.cluster,
            self.inside,
            host.as_deref(),
            options.port,
            self.now,
            &options.login(),
        );
        Ok((options, logged_in))
    }

    /// `mysqladmin [-h HOST] [-u USER] [-pSECRET] ping|status`.
    pub(super) fn mysqladmin(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        let (options, logged_in) = match self.client_login("mysqladmin", args, io) {
            Ok(login) => login,
            Err(code) => return code,
        };
        let shown = options.host.as_deref().unwrap_or("localhost");
        if let Err(unreached) = logged_in {
            io.sink
                .err_line(format!("mysqladmin: connect to server at '{shown}' failed"));
            match unreached {
                Unreached::Socket => {
                    io.sink.err_line(format!("error: 'Can't connect to local MySQL server through socket '{SOCKET}' (2)'"));
                    io.sink.err_line(format!(
                        "Check that mysqld is running and that the socket: '{SOCKET}' exists!"
                    ));
                }
                Unreached::UnknownHost => io
                    .sink
                    .err_line(format!("error: 'Unknown MySQL server host '{shown}' (-2)'")),
                Unreached::Refused => {
                    io.sink.err_line(format!(
                        "error: 'Can't connect to MySQL server on '{shown}' (111)'"
                    ));
                    io.sink.err_line(format!(
                        "Check that mysqld is running on {shown} and that the port is {PORT}."
                    ));
                    io.sink.err_line(format!(
                        "You can check this by doing 'telnet {shown} {PORT}'"
                    ));
                }
                Unreached::Denied(reason) => {
                    io.sink.err_line(format!("error: '{reason}'"));
                    // A refusal means the server runs: ping says so (its manual).
                    if options.operands.iter().any(|c| c == "ping") {
                        return 0;
                    }
                }
            }
            return 1;
        }
        for command in &options.operands {
            match command.as_str() {
                "ping" => io.sink.out("mysqld is alive\n"),
                "status" => io.sink.out("Uptime: 60  Threads: 1  Questions: 2  Slow queries: 0  Opens: 105  Flush tables: 1  Open tables: 98  Queries per second avg: 0.033\n"),
                other => {
                    io.sink.err_line(format!("mysqladmin: Unknown command: '{other}'"));
                    return 1;
                }
            }
        }
        0
    }

    /// The `mysql` client, in batch mode: statements from `-e` or its
    /// standard input.
    pub(super) fn mysql_client(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        let stdin = io.stdin.take();
        // Statements piped in are run in batch mode, whatever the terminal.
        let piped = stdin.is_some();
        let (options, logged_in) = match self.client_login("mysql", args, io) {
            Ok(login) => login,
            Err(code) => return code,
        };
        if options.execute.is_none()
            && !piped
            && self.is_main()
            && self.inside.container.stdin == Some(true)
        {
            // A main process with a terminal to read: it waits at its prompt
            // for kubectl to attach (`kubectl run -it … -- mysql`).
            return self.block();
        }
        // With nothing to run and its input at its end, it just connects.
        let script = options.execute.clone().or(stdin).unwrap_or_default();
        let host = options.host.as_deref();
        let mut server = match logged_in {
            Ok(server) => server,
            Err(unreached) => {
                io.sink
                    .err_line(super::mysql_prompt::unreached_error(&unreached, host));
                return 1;
            }
        };
        let mut session = Session {
            database: options.database.clone(),
        };
        let replay = self.replaying();
        let (results, error) = server.execute(self.cluster, &mut session, &script, replay);
        let table = options.table || (self.tty && !options.batch && !piped && !io.captured);
        for rows in results.iter().filter_map(|o| match o {
            Outcome::Rows(rows) => Some(rows),
            _ => None,
        }) {
            io.sink.out(if rows.vertical {
                vertical(rows)
            } else if table {
                box_table(rows)
            } else {
                tab_separated(rows, !options.skip_names)
            });
        }
        match error {
            Some((line, err)) => {
                io.sink.err_line(format!(
                    "ERROR {} ({}) at line {line}: {}",
                    err.code, err.state, err.message
                ));
                1
            }
            None => 0,
        }
    }
}

/// mysql's options, as far as the tutorials use them.
pub(super) fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        port: PORT,
        user: "root".to_string(),
        ..Options::default()
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if arg.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |short: &str| -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            if let Some(v) = arg
                .strip_prefix(short)
                .filter(|v| !v.is_empty() && short.len() == 2)
            {
                return Ok(v.to_string());
            }
            iter.next()
                .cloned()
                .ok_or_else(|| format!("option '{name}' requires an argument"))
        };
        match name.as_str() {
            "--host" => options.host = Some(value("--host")?),
            n if n.starts_with("-h") => options.host = Some(value("-h")?),
            "--port" => {
                options.port = value("--port")?
                    .parse()
                    .map_err(|_| "Incorrect port value".to_string())?
            }
            n if n.starts_with("-P") => {
                options.port = value("-P")?
                    .parse()
                    .map_err(|_| "Incorrect port value".to_string())?
            }
            "--execute" => options.execute = Some(value("--execute")?),
            n if n.starts_with("-e") => options.execute = Some(value("-e")?),
            "--database" => options.database = Some(value("--database")?),
            n if n.starts_with("-D") => options.database = Some(value("-D")?),
            "--user" => options.user = value("--user")?,
            n if n.starts_with("-u") => options.user = value("-u")?,
            // A password alone would be asked for at the terminal, which
            // the simulator does not do: as if none was typed.
            "--password" if inline.is_some() => options.password = inline.clone(),
            "-p" | "--password" => {}
            n if n.starts_with("-p") => options.password = Some(n[2..].to_string()),
            "-t" | "--table" => options.table = true,
            "-B" | "--batch" | "-s" | "--silent" => options.batch = true,
            "-N" | "--skip-column-names" => options.skip_names = true,
            "-A" | "--no-auto-rehash" | "-n" | "--unbuffered" | "-v" | "--verbose" => {}
            n if n.starts_with('-') => return Err(format!("unknown option '{n}'.")),
            _ => {
                options.operands.push(arg.clone());
                options.database.get_or_insert_with(|| arg.clone());
            }
        }
    }
    Ok(options)
}

/// Batch output: a heading line, then one line per row, tab-separated.
fn tab_separated(rows: &Rows, headings: bool) -> String {
    let mut out = String::new();
    if headings {
        out.push_str(&rows.columns.join("\t"));
        out.push('\n');
    }
    for row in &rows.rows {
        let cells: Vec<String> = row
            .iter()
            .map(|v| {
                v.as_deref()
                    .map_or_else(|| "NULL".to_string(), mysql_server::escape)
            })
            .collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
    out
}

/// `\G`'s format: each row a numbered block, one field a line, the names
/// aligned to the right.
pub(super) fn vertical(rows: &Rows) -> String {
    let width = rows
        .columns
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (i, row) in rows.rows.iter().enumerate() {
        out.push_str(&format!(
            "*************************** {}. row ***************************\n",
            i + 1
        ));
        for (name, value) in rows.columns.iter().zip(row) {
            let value = value.as_deref().unwrap_or("NULL");
            out.push_str(&format!("{name:>width$}: {value}\n"));
        }
    }
    out
}

/// The table format mysql prints to a terminal; numbers to the right.
pub(super) fn box_table(rows: &Rows) -> String {
    let cell = |v: &Option<String>| v.clone().unwrap_or_else(|| "NULL".to_string());
    let widths: Vec<usize> = rows
        .columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            rows.rows
                .iter()
                .map(|r| cell(&r[i]).chars().count())
                .chain([name.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let rule: String = widths
        .iter()
        .map(|w| format!("+{}", "-".repeat(w + 2)))
        .collect::<String>()
        + "+\n";
    let line = |cells: Vec<(String, bool)>| -> String {
        cells
            .iter()
            .zip(&widths)
            .map(|((text, right), w)| {
                if *right {
                    format!("| {text:>w$} ")
                } else {
                    format!("| {text:<w$} ")
                }
            })
            .collect::<String>()
            + "|\n"
    };
    let mut out = rule.clone();
    out.push_str(&line(
        rows.columns.iter().map(|c| (c.clone(), false)).collect(),
    ));
    out.push_str(&rule);
    for row in &rows.rows {
        out.push_str(&line(
            row.iter()
                .zip(&rows.numeric)
                .map(|(v, numeric)| (cell(v), *numeric))
                .collect(),
        ));
    }
    out.push_str(&rule);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::words;

    #[test]
    fn a_terminal_gets_boxes_and_a_pipe_tabs() {
        let rows = Rows {
            columns: vec!["@@server_id".into(), "NOW()".into()],
            rows: vec![vec![Some("101".into()), Some("2026-01-05 09:00:00".into())]],
            numeric: vec![true, false],
            vertical: false,
        };
        assert_eq!(
            box_table(&rows),
            "+-------------+---------------------+\n| @@server_id | NOW()               |\n+-------------+---------------------+\n|         101 | 2026-01-05 09:00:00 |\n+-------------+---------------------+\n"
        );
        assert_eq!(
            tab_separated(&rows, true),
            "@@server_id\tNOW()\n101\t2026-01-05 09:00:00\n"
        );
    }

    #[test]
    fn options_as_the_tutorial_writes_them() {
        let mut args = words("-h 127.0.0.1 -e");
        args.push("SELECT 1".to_string());
        let options = parse_options(&args).unwrap();
        assert_eq!(options.host.as_deref(), Some("127.0.0.1"));
        assert_eq!(options.execute.as_deref(), Some("SELECT 1"));
        let options = parse_options(&words("-hmysql-read --port=3306 test")).unwrap();
        assert_eq!(options.host.as_deref(), Some("mysql-read"));
        assert_eq!(options.database.as_deref(), Some("test"));
        assert_eq!(
            parse_options(&words("--nope")).err().unwrap(),
            "unknown option '--nope'."
        );
    }
}
