//! The mysql client's interactive prompt (`kubectl exec -it mysql-0 -c mysql
//! -- mysql`): statements typed line by line up to their `;`, each answered
//! as the client answers at a terminal.

use super::mysql::{box_table, parse_options, vertical};
use crate::container::mysql_server::{self, Login, Outcome, Server, Session, Unreached, SOCKET};
use crate::container::Inside;
use crate::sim::Cluster;

/// A connected prompt: where it connects, its current database, and the
/// lines of a statement not ended yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MySqlPrompt {
    host: Option<String>,
    port: u16,
    user: String,
    password: Option<String>,
    database: Option<String>,
    pending: String,
}

impl MySqlPrompt {
    /// Connects as `mysql ARGS…` does: the prompt and its greeting, or the
    /// client's error and exit status.
    pub fn open(
        cluster: &mut Cluster,
        inside: &Inside,
        args: &[String],
    ) -> Result<(MySqlPrompt, String), (String, i32)> {
        let options = parse_options(args).map_err(|err| (format!("mysql: [ERROR] {err}"), 7))?;
        let now = cluster.now();
        let host = options.host.clone();
        let login = options.login();
        let server =
            mysql_server::login(cluster, inside, host.as_deref(), options.port, now, &login)
                .map_err(|unreached| (unreached_error(&unreached, host.as_deref()), 1))?;
        let version = Server::version_in(cluster, &server.inside);
        // A connection stays with the server it reached (through a
        // Service, one of its endpoints).
        let host = host
            .filter(|h| !crate::container::is_loopback(h) && h != "localhost")
            .map(|_| server.inside.ip.clone());
        let id = now / 1000 % 40 + 2;
        let greeting = format!(
            "Welcome to the MySQL monitor.  Commands end with ; or \\g.\nYour MySQL connection id is {id}\nServer version: {version} MySQL Community Server (GPL)\n\nCopyright (c) 2000, 2023, Oracle and/or its affiliates.\n\nOracle is a registered trademark of Oracle Corporation and/or its\naffiliates. Other names may be trademarks of their respective\nowners.\n\nType 'help;' or '\\h' for help. Type '\\c' to clear the current input statement.\n\n"
        );
        let warning = if options.password.is_some() {
            "mysql: [Warning] Using a password on the command line interface can be insecure.\n"
        } else {
            ""
        };
        let greeting = format!("{warning}{greeting}");
        let prompt = MySqlPrompt {
            host,
            port: options.port,
            user: options.user.clone(),
            password: options.password.clone(),
            database: options.database,
            pending: String::new(),
        };
        Ok((prompt, greeting))
    }

    /// `mysql> `, or `    -> ` inside a statement.
    pub fn prompt(&self) -> &'static str {
        if self.pending.trim().is_empty() {
            "mysql> "
        } else {
            "    -> "
        }
    }

    /// One typed line: what the client prints, and its exit status once it quits.
    pub fn line(
        &mut self,
        cluster: &mut Cluster,
        inside: &Inside,
        line: &str,
    ) -> (String, Option<i32>) {
        let word = line.trim().trim_end_matches(';').trim();
        if self.pending.trim().is_empty() && matches!(word, "exit" | "quit" | "\\q") {
            return ("Bye\n".to_string(), Some(0));
        }
        if line.trim_end().ends_with("\\c") {
            self.pending.clear();
            return (String::new(), None);
        }
        self.pending.push_str(line);
        self.pending.push('\n');
        let text = self.pending.trim_end();
        let ended = text.ends_with(';') || text.ends_with("\\g") || text.ends_with("\\G");
        if !ended {
            return (String::new(), None);
        }
        // `\\g` and `\\G` end statements as `;` does (`mysql_sql::split`).
        let script = text.to_string();
        self.pending.clear();
        let now = cluster.now();
        let login = Login {
            user: &self.user,
            password: self.password.as_deref(),
        };
        let mut server = match mysql_server::login(
            cluster,
            inside,
            self.host.as_deref(),
            self.port,
            now,
            &login,
        ) {
            Ok(server) => server,
            Err(unreached) => {
                let error = unreached_error(&unreached, self.host.as_deref());
                return (format!("ERROR 2006 (HY000): MySQL server has gone away\nNo connection. Trying to reconnect...\n{error}\nERROR: \nCan't connect to the server\n\n"), None);
            }
        };
        let mut session = Session {
            database: self.database.clone(),
        };
        let (outcomes, error) = server.execute(cluster, &mut session, &script, false);
        self.database = session.database;
        let mut out = String::new();
        for outcome in outcomes {
            out.push_str(&match outcome {
                Outcome::Rows(rows) if rows.rows.is_empty() => {
                    "Empty set (0.00 sec)\n\n".to_string()
                }
                Outcome::Rows(rows) => {
                    let count = rows.rows.len();
                    let noun = if count == 1 { "row" } else { "rows" };
                    let shown = if rows.vertical {
                        vertical(&rows)
                    } else {
                        box_table(&rows)
                    };
                    format!("{shown}{count} {noun} in set (0.00 sec)\n\n")
                }
                Outcome::Affected { rows, records } => {
                    let noun = if rows == 1 { "row" } else { "rows" };
                    let records = records.map_or_else(String::new, |n| {
                        format!("Records: {n}  Duplicates: 0  Warnings: 0\n")
                    });
                    format!("Query OK, {rows} {noun} affected (0.01 sec)\n{records}\n")
                }
                Outcome::DatabaseChanged => "Database changed\n".to_string(),
                Outcome::Updated { matched, changed } => {
                    let noun = if changed == 1 { "row" } else { "rows" };
                    format!("Query OK, {changed} {noun} affected (0.01 sec)\nRows matched: {matched}  Changed: {changed}  Warnings: 0\n\n")
                }
            });
        }
        if let Some((_, err)) = error {
            out.push_str(&format!("{err}\n"));
        }
        (out, None)
    }
}

/// The client's words for a server it cannot reach.
pub(super) fn unreached_error(unreached: &Unreached, host: Option<&str>) -> String {
    let shown = host.unwrap_or("localhost");
    match unreached {
        Unreached::Socket => format!(
            "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '{SOCKET}' (2)"
        ),
        Unreached::UnknownHost => {
            format!("ERROR 2005 (HY000): Unknown MySQL server host '{shown}' (-2)")
        }
        Unreached::Refused => {
            format!("ERROR 2003 (HY000): Can't connect to MySQL server on '{shown}' (111)")
        }
        Unreached::Denied(reason) => format!("ERROR 1045 (28000): {reason}"),
    }
}

/// When `mysql ARGS…` (behind the image's entrypoint or not) opens the
/// prompt, having no statements to run: its ARGS.
pub fn prompt_args(argv: &[String]) -> Option<&[String]> {
    let argv = match argv.first() {
        Some(first) if first.ends_with("docker-entrypoint.sh") => &argv[1..],
        _ => argv,
    };
    let (program, args) = argv.split_first()?;
    (program.rsplit('/').next() == Some("mysql") && !crate::sim::images::executes_statements(args))
        .then_some(args)
}
