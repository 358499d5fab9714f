//! The MySQL tutorial's xtrabackup image: Percona XtraBackup 2.4 with
//! xbstream, and ncat. A replica's init container clones its data with
//! `ncat --recv-only mysql-N.mysql 3307 | xbstream -x -C /var/lib/mysql`
//! from the previous pod's sidecar, whose main process ends in
//! `ncat --listen … 3307 -c "xtrabackup --backup … --stream=xbstream …"`.
//!
//! The stream is xbstream's chunks as text: `XBSTCK01 PATH LENGTH`, a
//! newline, then the file's contents, for each file of the backup.

use k8s_openapi::api::core::v1::Pod;

use crate::container::dns::Resolver;
use crate::container::fs::Fs;
use crate::container::mysql_server::{self, Login, Unreached, DATADIR, PORT};
use crate::container::{is_loopback, Inside};
use crate::shell::{absolute_path, Io, Shell};
use crate::sim::clock::{timestamp, Millis};
use crate::sim::runtime_data::{LogStream, Progress};
use crate::sim::{kubelet, Cluster};

use super::ContainerHost;

const MAGIC: &str = "XBSTCK01";
const VERSION_LINE: &str =
    "xtrabackup version 2.4.4 based on MySQL server 5.7.13 Linux (x86_64) (revision id: df58cf2)";

/// What ncat was asked to do.
#[derive(Debug, Default, PartialEq, Eq)]
struct Ncat {
    listen: bool,
    host: Option<String>,
    port: Option<u16>,
    /// `-c`/`--sh-exec`: the command each connection runs.
    command: Option<String>,
}

fn ncat_options(args: &[String]) -> Result<Ncat, String> {
    let mut ncat = Ncat::default();
    let mut operands = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-l" | "--listen" => ncat.listen = true,
            "-c" | "--sh-exec" | "-e" | "--exec" => {
                ncat.command = Some(iter.next().cloned().ok_or_else(|| {
                    format!("Ncat: option '{arg}' requires an argument. QUITTING.")
                })?)
            }
            a if a.starts_with("--sh-exec=") || a.starts_with("--exec=") => {
                ncat.command = a.split_once('=').map(|(_, v)| v.to_string())
            }
            a if a.starts_with('-') => {}
            _ => operands.push(arg.clone()),
        }
    }
    let port_text = match operands.as_slice() {
        [port] if ncat.listen => port.clone(),
        [host, port] => {
            ncat.host = Some(host.clone());
            port.clone()
        }
        [] if ncat.listen => "31337".to_string(),
        _ => return Err("Ncat: You must specify a host to connect to. QUITTING.".to_string()),
    };
    ncat.port = Some(
        port_text
            .parse()
            .map_err(|_| format!("Ncat: Invalid port number \"{port_text}\". QUITTING."))?,
    );
    Ok(ncat)
}

/// The `ncat --listen` a container's main process ends in, if it waits
/// there now for connections on `port`: the container and its options.
fn listener(cluster: &Cluster, pod: &Pod, port: u16) -> Option<(Inside, Ncat)> {
    Inside::containers_of(cluster, pod).find_map(|inside| {
        let target = &inside.target;
        if !kubelet::process_alive(cluster, &target.namespace, &target.pod, &target.container) {
            return None;
        }
        let run = cluster.runtime.current(&inside.uid, &target.container)?;
        if run.progress != Some(Progress::Waiting) {
            return None;
        }
        let line = inside.main_command().join(" ");
        let from = line.rfind("ncat ")?;
        let parsed = crate::shell::parse(&line[from..], true).ok()?;
        let item = parsed.script.items.first()?;
        let crate::shell::ast::Command::Simple(simple) = item.list.first.commands.first()? else {
            return None;
        };
        let words: Vec<String> = simple.words.iter().filter_map(|w| w.literal()).collect();
        let ncat = ncat_options(words.get(1..)?).ok()?;
        (ncat.listen && ncat.port == Some(port)).then_some((inside, ncat))
    })
}

/// Every file under `dir`, with its path below `dir`.
fn files_under(fs: &mut Fs<'_>, dir: &str, below: &str, out: &mut Vec<(String, String)>) {
    for entry in fs.list(dir).unwrap_or_default() {
        let path = format!("{dir}/{}", entry.name);
        let relative = if below.is_empty() {
            entry.name.clone()
        } else {
            format!("{below}/{}", entry.name)
        };
        if entry.dir {
            files_under(fs, &path, &relative, out);
        } else if let Ok(text) = fs.read(&path) {
            out.push((relative, text));
        }
    }
}

fn stamp(at: Millis) -> String {
    timestamp(at).strftime("%y%m%d %H:%M:%S").to_string()
}

/// `xtrabackup --backup --stream=xbstream` in `inside`: the stream, what it
/// logs, and its exit status.
fn backup(
    cluster: &mut Cluster,
    inside: &Inside,
    args: &[String],
    now: Millis,
) -> (String, Vec<String>, i32) {
    let value = |name: &str| {
        args.iter()
            .find_map(|a| a.strip_prefix(&format!("--{name}=")).map(str::to_string))
    };
    let host = value("host");
    let mut log = vec![
        format!("xtrabackup: recognized server arguments: --datadir={DATADIR}"),
        format!(
            "xtrabackup: recognized client arguments: {}",
            args.join(" ")
        ),
        VERSION_LINE.to_string(),
    ];
    let user = value("user").unwrap_or_else(|| "root".to_string());
    let password = value("password");
    let login = Login {
        user: &user,
        password: password.as_deref(),
    };
    let mut server = match mysql_server::login(cluster, inside, host.as_deref(), PORT, now, &login)
    {
        Ok(server) => server,
        Err(unreached) => {
            let reason = match unreached {
                Unreached::Denied(reason) => reason,
                _ => format!(
                    "Can't connect to MySQL server on '{}' (111)",
                    host.as_deref().unwrap_or("localhost")
                ),
            };
            log.push(format!("Failed to connect to MySQL server: {reason}."));
            return (String::new(), log, 1);
        }
    };
    log.push(format!(
        "{} version_check Connected to MySQL server",
        stamp(now)
    ));
    let mut files = Vec::new();
    {
        let mut fs = inside.fs(cluster, now);
        files_under(&mut fs, DATADIR, "", &mut files);
    }
    // Logs and replication state are the server's own, not its data.
    files.retain(|(path, _)| {
        let name = path.rsplit('/').next().unwrap_or(path);
        !(name.contains("-bin.")
            || name.contains("-relay-bin")
            || matches!(name, "master.info" | "relay-log.info" | "auto.cnf"))
    });
    if let Some((file, at)) = server.master_status(cluster) {
        log.push(format!(
            "MySQL binlog position: filename '{file}', position '{at}'"
        ));
        files.push((
            "xtrabackup_binlog_info".to_string(),
            format!("{file}\t{at}\n"),
        ));
    }
    if args.iter().any(|a| a == "--slave-info") {
        let info = match server
            .source(cluster)
            .filter(|_| server.replicating(cluster))
        {
            Some((_, file, at)) => {
                log.push(format!("MySQL slave binlog position: master host '', filename '{file}', position '{at}'"));
                format!("CHANGE MASTER TO MASTER_LOG_FILE='{file}', MASTER_LOG_POS={at};\n")
            }
            None => String::new(),
        };
        files.push(("xtrabackup_slave_info".to_string(), info));
    }
    files.push((
        "xtrabackup_checkpoints".to_string(),
        "backup_type = full-backuped\nfrom_lsn = 0\nto_lsn = 2552412\nlast_lsn = 2552421\ncompact = 0\nrecover_binlog_info = 0\n".to_string(),
    ));
    let stream: String = files
        .iter()
        .map(|(path, text)| format!("{MAGIC} {path} {}\n{text}", text.len()))
        .collect();
    log.push(format!("{} [00] Streaming <STDOUT>", stamp(now)));
    log.push(format!("{} [00]        ...done", stamp(now)));
    log.push("xtrabackup: Transaction log of lsn (2552412) to (2552421) was copied.".to_string());
    log.push(format!("{} completed OK!", stamp(now)));
    (stream, log, 0)
}

/// Unpacks a stream's files; an error for what is not one.
fn unpack(stream: &str) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let (header, body) = rest
            .split_once('\n')
            .ok_or("xbstream: failed to read chunk: incomplete header")?;
        let mut words = header.split(' ');
        if words.next() != Some(MAGIC) {
            return Err("xbstream: failed to read chunk: wrong chunk magic".to_string());
        }
        let (Some(path), Some(len)) = (
            words.next(),
            words.next().and_then(|l| l.parse::<usize>().ok()),
        ) else {
            return Err("xbstream: failed to read chunk: incomplete header".to_string());
        };
        let text = body
            .get(..len)
            .ok_or("xbstream: failed to read chunk: unexpected end of stream")?;
        files.push((path.to_string(), text.to_string()));
        rest = &body[len..];
    }
    Ok(files)
}

impl ContainerHost<'_> {
    /// `ncat HOST PORT` (a connection that prints what the other end sends)
    /// or, as a main process, `ncat --listen PORT -c COMMAND`, which serves.
    pub(super) fn ncat(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        let ncat = match ncat_options(args) {
            Ok(ncat) => ncat,
            Err(err) => {
                io.sink.err_line(err);
                return 2;
            }
        };
        let port = ncat.port.unwrap_or_default();
        if ncat.listen {
            if self.is_main() {
                return self.block();
            }
            if listener(self.cluster, &self.inside.pod, port).is_some() {
                io.sink.err_line(format!(
                    "Ncat: bind to :::{port}: Address already in use. QUITTING."
                ));
                return 2;
            }
            io.sink.err_line("stsplay: ncat --listen waits for connections, which only a container's main process can do here");
            return 1;
        }
        let host = ncat.host.unwrap_or_default();
        let pod = if is_loopback(&host) || host == self.inside.hostname {
            Some(self.inside.pod.clone())
        } else {
            let resolver = Resolver::new(self.cluster, &self.inside.target.namespace);
            let Some((_, ips)) = resolver.resolve(&host) else {
                io.sink.err_line(format!("Ncat: Could not resolve hostname \"{host}\": Name or service not known. QUITTING."));
                return 2;
            };
            ips.first()
                .and_then(|ip| crate::container::http::route(self.cluster, ip, port, 0))
                .map(|(pod, _)| pod)
        };
        let Some((server, listening)) = pod.and_then(|p| listener(self.cluster, &p, port)) else {
            io.sink.err_line("Ncat: Connection refused.");
            return 1;
        };
        let command: Vec<String> = listening
            .command
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if command.first().map(String::as_str) != Some("xtrabackup")
            || !command.iter().any(|a| a == "--backup")
        {
            // What other commands would send is not simulated: the connection closes.
            return 0;
        }
        let now = self.now;
        let (stream, log, _) = backup(self.cluster, &server, &command[1..], now);
        if !self.replaying() {
            crate::container::log_lines(self.cluster, &server.key(), now, LogStream::Stderr, log);
        }
        io.sink.out(stream);
        0
    }

    /// `xbstream -x [-C DIR]`: unpacks the stream on its input.
    pub(super) fn xbstream(&mut self, shell: &Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        if !args.iter().any(|a| a == "-x" || a == "--extract") {
            io.sink
                .err_line("xbstream: stsplay runs xbstream -x (extract) only");
            return 1;
        }
        let dir = args
            .iter()
            .position(|a| a == "-C" || a == "--directory")
            .and_then(|i| args.get(i + 1))
            .map_or_else(|| shell.cwd.clone(), |d| absolute_path(&shell.cwd, d));
        let stream = io.stdin.take().unwrap_or_default();
        let files = match unpack(&stream) {
            Ok(files) => files,
            Err(err) => {
                io.sink.err_line(err);
                return 1;
            }
        };
        let mut fs = self.fs();
        for (path, text) in files {
            let path = format!("{dir}/{path}");
            if let Some((parent, _)) = path.rsplit_once('/') {
                let _ = fs.mkdir(parent, true);
            }
            if let Err(err) = fs.write(&path, &text, false) {
                io.sink.err_line(format!(
                    "xbstream: failed to create file {path}: {}",
                    err.text()
                ));
                return 1;
            }
        }
        0
    }

    /// `xtrabackup --prepare --target-dir=DIR`, `--backup --stream=xbstream`, `--version`.
    pub(super) fn xtrabackup(&mut self, shell: &Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        let now = self.now;
        if args.iter().any(|a| a == "--version" || a == "-v") {
            io.sink.err_line(VERSION_LINE);
            return 0;
        }
        if args.iter().any(|a| a == "--backup") {
            if !args.iter().any(|a| a == "--stream=xbstream") {
                io.sink
                    .err_line("stsplay: xtrabackup --backup streams here only (--stream=xbstream)");
                return 1;
            }
            let inside = self.inside.clone();
            let (stream, log, status) = backup(self.cluster, &inside, args, now);
            for line in log {
                io.sink.err_line(line);
            }
            io.sink.out(stream);
            return status;
        }
        if !args.iter().any(|a| a == "--prepare") {
            io.sink.err_line(VERSION_LINE);
            io.sink
                .err_line("xtrabackup: Error: Please set parameter 'datadir'");
            return 1;
        }
        let target = args
            .iter()
            .find_map(|a| a.strip_prefix("--target-dir="))
            .map_or_else(|| shell.cwd.clone(), |d| absolute_path(&shell.cwd, d));
        io.sink.err_line("xtrabackup: recognized server arguments: --innodb_checksum_algorithm=crc32 --innodb_log_checksum_algorithm=strict_crc32 --innodb_data_file_path=ibdata1:12M:autoextend --innodb_log_files_in_group=2 --innodb_log_file_size=50331648");
        io.sink.err_line(format!(
            "xtrabackup: recognized client arguments: {}",
            args.join(" ")
        ));
        io.sink.err_line(VERSION_LINE);
        let checkpoints = format!("{target}/xtrabackup_checkpoints");
        let mut fs = self.fs();
        if fs.read(&checkpoints).is_err() {
            io.sink
                .err_line(format!("xtrabackup: Error: cannot open {checkpoints}"));
            io.sink
                .err_line("xtrabackup: error: xtrabackup_read_metadata()");
            io.sink
                .err_line("xtrabackup: This target seems not to have correct metadata...");
            return 1;
        }
        let _ = fs.write(
            &checkpoints,
            "backup_type = full-prepared\nfrom_lsn = 0\nto_lsn = 2552412\nlast_lsn = 2552421\ncompact = 0\nrecover_binlog_info = 0\n",
            false,
        );
        io.sink.err_line(format!("xtrabackup: cd to {target}/"));
        io.sink
            .err_line("xtrabackup: This target seems to be not prepared yet.");
        io.sink.err_line("InnoDB: Number of pools: 1");
        io.sink
            .err_line("xtrabackup: Starting InnoDB instance for recovery.");
        io.sink
            .err_line("InnoDB: Shutdown completed; log sequence number 2552430");
        io.sink.err_line(format!("{} completed OK!", stamp(now)));
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::words;

    #[test]
    fn the_tutorials_ncat_lines() {
        let server = ncat_options(&words(
            "--listen --keep-open --send-only --max-conns=1 3307 -c xtrabackup",
        ))
        .unwrap();
        assert!(server.listen);
        assert_eq!(server.port, Some(3307));
        assert_eq!(server.command.as_deref(), Some("xtrabackup"));
        let client = ncat_options(&words("--recv-only mysql-0.mysql 3307")).unwrap();
        assert_eq!(client.host.as_deref(), Some("mysql-0.mysql"));
        assert_eq!(
            ncat_options(&words("mysql-0.mysql")).unwrap_err(),
            "Ncat: You must specify a host to connect to. QUITTING."
        );
    }

    #[test]
    fn a_stream_unpacks_to_its_files() {
        let stream = format!("{MAGIC} test/db.opt 3\nabc{MAGIC} xtrabackup_binlog_info 4\nx\t1\n");
        assert_eq!(
            unpack(&stream).unwrap(),
            vec![
                ("test/db.opt".to_string(), "abc".to_string()),
                ("xtrabackup_binlog_info".to_string(), "x\t1\n".to_string())
            ]
        );
        assert!(unpack("garbage\n").is_err());
        assert_eq!(unpack(""), Ok(vec![]));
    }
}
