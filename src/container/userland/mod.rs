//! The programs inside a container: shells, file tools, name lookups,
//! HTTP clients, process tools and nginx's command line, each printing
//! what the image's version of it prints.

use crate::shell::{absolute_path, fileops, run_argv, run_text, text, Flow, Host, Io, Shell, Sink};
use crate::sim::clock::{Millis, SECOND};
use crate::sim::{kubelet, Cluster};

use super::fs::Fs;
use super::image::Distro;
use super::Inside;

mod cassandra;
mod components;
mod files;
mod mysql;
mod mysql_prompt;
mod net;
mod process;
mod xtrabackup;
mod zk_cli;
mod zookeeper;

pub use cassandra::{
    image_env as cassandra_env, image_files as cassandra_files, image_path as cassandra_path,
};
pub use mysql_prompt::{prompt_args as mysql_prompt_args, MySqlPrompt};
pub use process::{date, parse_duration};
pub use zookeeper::{log_expiries, log_quiet_probe_checks, SCRIPTS as ZOOKEEPER_SCRIPTS};

/// The longest `sleep` inside a container, so a typo cannot stall the playground for days.
const SLEEP_LIMIT: Millis = 24 * 3600 * SECOND;

pub struct ContainerHost<'a> {
    cluster: &'a mut Cluster,
    inside: &'a Inside,
    tty: bool,
    /// The clock the programs see.
    now: Millis,
    /// Playing the main process (blocking commands end the play), and how
    /// far; None for commands run from outside it.
    main: Option<&'a mut Timeline>,
    /// The running shell's name, for its messages.
    program: &'static str,
    /// Shell processes between PID 1 and the running command, for `ps`.
    shells: Vec<(u32, String)>,
    stopped: bool,
    /// Run on its own clock (a kubelet hook, whose time the kubelet
    /// accounts for): waiting moves `now` alone, not the cluster's clock.
    own_clock: bool,
}

/// How far a main process is played, and what this play learns. A play
/// runs the command from its start each time, skipping the writes of what
/// was played before, and stops at the first sleep that ends after `until`:
/// a shell script cannot be paused and resumed, but it can be run again.
#[derive(Debug)]
pub struct Timeline {
    /// What happened up to this time was played before.
    pub played_to: Option<Millis>,
    /// The play stops at the first sleep that would end after this.
    pub until: Millis,
    /// It stopped in such a sleep, which ends at this time, so a later
    /// play goes on from there.
    pub wakes: Option<Millis>,
    /// It ran to its end: when, and its exit status.
    pub exited: Option<(Millis, i32)>,
    /// It ran a program that the image has but the simulator cannot run,
    /// so what it did next is a guess.
    pub unsure: bool,
    /// (chunks of the main output written so far, time) at each sleep's
    /// end, to time the output with.
    pub marks: Vec<(usize, Millis)>,
    /// The main output, to tell it from pipes and redirections (compared,
    /// never read through).
    output: *const Sink,
}

impl Timeline {
    pub fn new(played_to: Option<Millis>, until: Millis, output: &Sink) -> Timeline {
        Timeline {
            played_to,
            until,
            wakes: None,
            exited: None,
            unsure: false,
            marks: Vec::new(),
            output,
        }
    }

    /// When the chunk at `index` of the main output was written, for a
    /// process that started at `started`.
    pub fn written_at(&self, index: usize, started: Millis) -> Millis {
        self.marks
            .iter()
            .take_while(|(at_chunk, _)| *at_chunk <= index)
            .last()
            .map_or(started, |(_, at)| *at)
    }
}

impl<'a> ContainerHost<'a> {
    /// A host for `kubectl exec` into `inside`.
    pub fn exec(
        cluster: &'a mut Cluster,
        inside: &'a Inside,
        tty: bool,
        now: Millis,
    ) -> ContainerHost<'a> {
        ContainerHost {
            cluster,
            inside,
            tty,
            now,
            main: None,
            program: "sh",
            shells: Vec::new(),
            stopped: false,
            own_clock: false,
        }
    }

    /// The host of a command whose waits take its own time, not the
    /// cluster's.
    pub fn on_own_clock(self) -> ContainerHost<'a> {
        ContainerHost {
            own_clock: true,
            ..self
        }
    }

    /// The clock the programs see.
    pub fn now(&self) -> Millis {
        self.now
    }

    /// Time passes for a command run beside the main process: the cluster's
    /// clock moves, unless the command runs on its own clock.
    fn wait(&mut self, ms: Millis) {
        if self.own_clock {
            self.now = self.now.saturating_add(ms);
        } else {
            self.cluster.advance(ms);
            self.now = self.cluster.now();
        }
    }

    /// A host for the main process, as it started at `started`, played
    /// as `timeline` says, which learns how the play went.
    pub fn main_process(
        cluster: &'a mut Cluster,
        inside: &'a Inside,
        started: Millis,
        timeline: &'a mut Timeline,
    ) -> ContainerHost<'a> {
        ContainerHost {
            cluster,
            inside,
            // `kubectl run -t` gives the container a terminal.
            tty: inside.container.tty == Some(true),
            now: started,
            main: Some(timeline),
            program: "sh",
            shells: Vec::new(),
            stopped: false,
            own_clock: false,
        }
    }

    /// The pid a process started now gets: the shells' children come after
    /// the container's own few processes.
    fn next_pid(&self) -> u32 {
        self.shells.last().map_or(7, |(pid, _)| pid + 6)
    }

    /// Whether this plays the main process.
    fn is_main(&self) -> bool {
        self.main.is_some()
    }

    /// The main process is replaying what was played before: its writes
    /// are in place already.
    fn replaying(&self) -> bool {
        self.main
            .as_ref()
            .and_then(|t| t.played_to)
            .is_some_and(|p| self.now <= p)
    }

    /// Runs commands for an interactive shell (`pid`, started as `command`).
    pub fn in_session(&mut self, name: &'static str, pid: u32, command: &str) {
        self.program = name;
        if pid != 1 {
            self.shells.push((pid, command.to_string()));
        }
    }

    fn fs(&mut self) -> Fs<'_> {
        let replaying = self.replaying();
        self.inside.fs(self.cluster, self.now).replaying(replaying)
    }

    /// The name the image's /etc/passwd (or, with `group`, /etc/group)
    /// gives `id`: root, wheel (a group only), and the ZooKeeper image's
    /// own zookeeper, the only account an image adds here.
    fn account_name(&self, id: i64, group: bool) -> Option<&'static str> {
        match id {
            0 => Some("root"),
            10 if group => Some("wheel"),
            1000 if self.inside.userland.zookeeper => Some("zookeeper"),
            _ => None,
        }
    }

    /// The user's name, or its number when the image has no name for it.
    fn user_name(&self) -> String {
        let uid = self.user().0;
        self.account_name(uid, false)
            .map_or_else(|| uid.to_string(), str::to_string)
    }

    /// `id [-u|-g|-G] [-n]`: the container's user, whole or one part, as
    /// numbers or (`-n`) names.
    fn id(&self, args: &[String], sink: &mut Sink) -> i32 {
        let (uid, gid, groups) = self.user();
        let flags: String = args.iter().filter_map(|a| a.strip_prefix('-')).collect();
        if let Some(bad) = flags.chars().find(|c| !"ugGnr".contains(*c)) {
            sink.err_line(format!("id: invalid option -- '{bad}'"));
            return 1;
        }
        let part: Option<(Vec<i64>, bool)> = if flags.contains('u') {
            Some((vec![uid], false))
        } else if flags.contains('G') {
            Some((groups.clone(), true))
        } else if flags.contains('g') {
            Some((vec![gid], true))
        } else {
            None
        };
        let Some((ids, group)) = part else {
            let named = |id: i64, group: bool| match self.account_name(id, group) {
                Some(name) => format!("{id}({name})"),
                None => id.to_string(),
            };
            let groups: Vec<String> = groups.iter().map(|g| named(*g, true)).collect();
            sink.out(format!(
                "uid={} gid={} groups={}\n",
                named(uid, false),
                named(gid, true),
                groups.join(",")
            ));
            return 0;
        };
        let mut words = Vec::new();
        for id in ids {
            if !flags.contains('n') {
                words.push(id.to_string());
                continue;
            }
            match self.account_name(id, group) {
                Some(name) => words.push(name.to_string()),
                None => {
                    let kind = if group { "group" } else { "user" };
                    sink.err_line(if self.busybox() {
                        format!("id: unknown ID {id}")
                    } else {
                        format!("id: cannot find name for {kind} ID {id}")
                    });
                    return 1;
                }
            }
        }
        sink.out(format!("{}\n", words.join(" ")));
        0
    }

    /// (uid, gid, groups) of the container's processes: what the kubelet
    /// reports (root and the image's groups unless a securityContext says
    /// otherwise).
    fn user(&self) -> (i64, i64, Vec<i64>) {
        let inside = self.inside;
        // What the kubelet reported, or before it has, what it will report.
        let reported = crate::sim::pod_containers::status(&inside.pod, &inside.container.name)
            .and_then(|c| c.user.clone());
        let user =
            reported.unwrap_or_else(|| kubelet::process_user(&inside.container, &inside.pod));
        let linux = user.linux.unwrap_or_default();
        (
            linux.uid,
            linux.gid,
            linux.supplemental_groups.unwrap_or_default(),
        )
    }

    fn busybox(&self) -> bool {
        matches!(
            self.inside.userland.distro,
            Distro::Busybox { .. } | Distro::Alpine
        )
    }

    /// How the tools begin "cannot …" errors: busybox says "can't".
    fn cannot(&self) -> &'static str {
        if self.busybox() {
            "can't"
        } else {
            "cannot"
        }
    }

    /// What the main process does next is a guess: the simulator could not
    /// run what it ran as the image would have.
    fn guessed(&mut self) {
        if let Some(timeline) = self.main.as_deref_mut() {
            timeline.unsure = true;
        }
    }

    /// Blocks: the main process stays here, so its start-up ends.
    fn block(&mut self) -> i32 {
        self.stopped = true;
        0
    }
}

/// Plays the main process `argv` as `host` was made to, noting in its
/// timeline whether and when it ended.
pub(super) fn play_main(
    mut host: ContainerHost<'_>,
    shell: &mut Shell,
    argv: &[String],
    stdin: Option<String>,
    sink: &mut Sink,
) {
    let status = run_program(&mut host, shell, argv, stdin, sink);
    let (now, stopped) = (host.now, host.stopped);
    if let Some(timeline) = host.main.filter(|_| !stopped) {
        timeline.exited = Some((now, status));
    }
}

/// Runs a program directly, as exec and the kubelet start it.
pub(super) fn run_program(
    host: &mut ContainerHost<'_>,
    shell: &mut Shell,
    argv: &[String],
    stdin: Option<String>,
    sink: &mut Sink,
) -> i32 {
    run_argv(shell, host, argv, stdin, sink)
}

fn basename(program: &str) -> &str {
    program.rsplit('/').next().unwrap_or(program)
}

impl Host for ContainerHost<'_> {
    fn shell_name(&self) -> &str {
        self.program
    }

    fn command(&mut self, shell: &mut Shell, argv: &[String], io: &mut Io<'_>) -> Option<i32> {
        if !self.inside.userland.has(&argv[0]) {
            return self.script_file(shell, argv, io);
        }
        let name = basename(&argv[0]).to_string();
        let args = &argv[1..];
        if ZOOKEEPER_SCRIPTS.contains(&name.as_str())
            && !self.fs().exists(&format!("/opt/zookeeper/bin/{name}"))
        {
            // Its /usr/bin link dangles (the tutorial deletes zookeeper-ready).
            return Some(self.not_found(&name, io.sink));
        }
        if let Some(path) = crate::container::mysql_server::program_path(&name) {
            if !self.fs().exists(path) {
                // Moved away, as the MySQL tutorial does to fail a probe.
                return Some(self.not_found(&name, io.sink));
            }
        }
        let status = match name.as_str() {
            "sh" | "bash" | "ash" | "dash" => self.shell_program(shell, &name, args, io),
            // A supervisor that runs its command as its child.
            "dumb-init" => {
                let stdin = io.stdin.take();
                run_argv(shell, self, args, stdin, io.sink)
            }
            "cassandra" => {
                let config = self.cassandra_config(shell);
                self.cassandra_daemon(config, io)
            }
            "nodetool" => self.nodetool(shell, args, io),
            "cqlsh" => self.cqlsh(io),
            "docker-entrypoint.sh"
                if self.inside.userland.mysql_server()
                    && args
                        .first()
                        .is_none_or(|a| a == "mysqld" || a.starts_with('-')) =>
            {
                self.mysql_entrypoint(shell, io)
            }
            "docker-entrypoint.sh" => self.docker_entrypoint(shell, args, io),
            "mysqld" => self.mysqld(io),
            "mysql" => self.mysql_client(args, io),
            "mysqladmin" => self.mysqladmin(args, io),
            "ncat" => self.ncat(args, io),
            "xbstream" => self.xbstream(shell, args, io),
            "xtrabackup" => self.xtrabackup(shell, args, io),
            "sed" => {
                let stdin = io.stdin.take();
                crate::shell::sed::run(shell, self, args, stdin, io.sink)
            }
            "coredns" => self.coredns(args, io),
            "start-zookeeper" => self.start_zookeeper(shell, args, io),
            "zkServer.sh" => self.zk_server(args, io),
            "zookeeper-ready" => self.zookeeper_ready(args),
            "zookeeper-metrics" => {
                let port = args.first().cloned().unwrap_or_default();
                let mut metrics = Io {
                    stdin: Some("mntr\n".to_string()),
                    sink: &mut *io.sink,
                    captured: io.captured,
                    background: io.background,
                };
                self.nc(&["localhost".to_string(), port], &mut metrics)
            }
            "zkCli.sh" => self.zk_cli(args, io),
            "nc" if self.inside.userland.zookeeper => self.nc(args, io),
            "pkill" => self.pkill(args, io),
            "local-path-provisioner" => self.local_path_provisioner(io),
            "tail" if args.iter().any(|a| a == "-f" || a == "-F") && self.is_main() => self.block(),
            "cat" if args.is_empty() && io.stdin.is_none() && self.is_main() => self.block(),
            t if text::NAMES.contains(&t) => {
                let cwd = shell.cwd.clone();
                let stdin = io.stdin.take();
                let busybox = self.busybox();
                let mut fs = self.fs();
                let mut read = |path: &str| {
                    fs.read(&absolute_path(&cwd, path))
                        .map_err(|e| e.text().to_string())
                };
                text::run(busybox, t, args, stdin.as_deref(), &mut read, io.sink).unwrap_or(0)
            }
            "hostname" => self.hostname(args, io.sink),
            "ls" => self.ls(shell, args, io),
            "mkdir" => self.mkdir(shell, args, io.sink),
            "rm" => self.rm(shell, args, io.sink),
            tool if fileops::NAMES.contains(&tool) => {
                fileops::run(tool, shell, self, args, io.sink).unwrap_or(0)
            }
            "env" | "printenv" => self.env(shell, &name, args, io),
            "ps" => self.ps(args, io.sink),
            "date" => match date(self.now, args) {
                Ok(text) => {
                    io.sink.out(text);
                    0
                }
                Err(err) => {
                    io.sink.err_line(err);
                    1
                }
            },
            "sleep" => self.sleep(args, io),
            "stress" => self.stress(args, io),
            "id" => self.id(args, io.sink),
            "whoami" => match self.account_name(self.user().0, false) {
                Some(name) => {
                    io.sink.out(format!("{name}\n"));
                    0
                }
                None => {
                    let uid = self.user().0;
                    io.sink.err_line(if self.busybox() {
                        format!("whoami: unknown uid {uid}")
                    } else {
                        format!("whoami: cannot find name for user ID {uid}")
                    });
                    1
                }
            },
            "uname" => self.uname(args, io.sink),
            "chmod" | "chown" => self.chmod(shell, &name, args, io.sink),
            "nslookup" => self.nslookup(args, io.sink),
            "dig" => self.dig(args, io.sink),
            "host" => self.host_lookup(args, io.sink),
            "getent" => self.getent(args, io.sink),
            "curl" => self.curl(shell, args, io),
            "wget" => self.wget(shell, args, io),
            "ping" => self.ping(args, io),
            "nginx" => self.nginx(args, io),
            "nohup" => {
                if args.is_empty() {
                    io.sink.err_line("nohup: missing operand");
                    return Some(125);
                }
                let stdin = io.stdin.take();
                run_argv(shell, self, args, stdin, io.sink)
            }
            "kill" => self.kill(args, io.sink),
            "apt-get" | "apt" | "apk" => {
                self.guessed();
                io.sink.err_line(format!("{name}: stsplay's simulated cluster has no internet access, so packages cannot be installed here"));
                if name == "apk" {
                    1
                } else {
                    100
                }
            }
            _ => return None,
        };
        Some(status)
    }

    fn not_found(&mut self, name: &str, sink: &mut Sink) -> i32 {
        sink.err_line(self.inside.userland.not_found(self.program, name));
        if !self.inside.userland.surely_lacks(name) {
            self.guessed();
        }
        127
    }

    fn read_file(&mut self, shell: &Shell, path: &str) -> Result<String, String> {
        let path = absolute_path(&shell.cwd, path);
        self.fs().read(&path).map_err(|e| e.text().to_string())
    }

    fn write_file(
        &mut self,
        shell: &Shell,
        path: &str,
        text: &str,
        append: bool,
    ) -> Result<(), String> {
        let path = absolute_path(&shell.cwd, path);
        self.fs()
            .write(&path, text, append)
            .map_err(|e| e.text().to_string())
    }

    fn remove_file(&mut self, shell: &Shell, path: &str) -> Result<(), String> {
        let path = absolute_path(&shell.cwd, path);
        self.fs()
            .remove(&path, false, false)
            .map_err(|e| e.text().to_string())
    }

    fn list_dir(&mut self, shell: &Shell, dir: &str) -> Option<Vec<String>> {
        let path = absolute_path(&shell.cwd, dir);
        let mut fs = self.fs();
        if !fs.is_dir(&path) {
            return None;
        }
        fs.list(&path)
            .ok()
            .map(|entries| entries.into_iter().map(|e| e.name).collect())
    }

    fn stopped(&self) -> bool {
        self.stopped
    }
}

impl ContainerHost<'_> {
    /// A path to a script the container has (`/ready-probe.sh`, a
    /// ConfigMap's `/scripts/run.sh`): the kernel runs the interpreter its
    /// `#!` line names, with the path and the arguments after it. Whether
    /// the file may be executed is not simulated: files have no modes.
    fn script_file(&mut self, shell: &mut Shell, argv: &[String], io: &mut Io<'_>) -> Option<i32> {
        if !argv[0].contains('/') {
            return None;
        }
        let text = self.fs().read(&absolute_path(&shell.cwd, &argv[0])).ok()?;
        let program = super::script_shell(&text).filter(|p| self.inside.userland.has(p))?;
        let program = program.to_string();
        Some(self.shell_program(shell, &program, argv, io))
    }

    /// `sh -c SCRIPT [NAME ARGS…]`, `sh FILE`, or `sh` reading its stdin.
    fn shell_program(
        &mut self,
        shell: &mut Shell,
        name: &str,
        args: &[String],
        io: &mut Io<'_>,
    ) -> i32 {
        if self.inside.userland.cassandra && args.first().is_some_and(|a| a == "/run.sh") {
            return self.cassandra_run_sh(shell, io);
        }
        let mut command_mode = false;
        let mut operands = Vec::new();
        for arg in args {
            if operands.is_empty() && arg.len() > 1 && arg.starts_with('-') && arg != "--" {
                command_mode |= arg.contains('c');
            } else if arg != "--" || !operands.is_empty() {
                operands.push(arg.clone());
            }
        }
        let (script, positional) = if command_mode {
            let Some((script, rest)) = operands.split_first() else {
                io.sink
                    .err_line(format!("{name}: -c: option requires an argument"));
                return 2;
            };
            let mut positional = rest.to_vec();
            if positional.is_empty() {
                positional.push(name.to_string());
            }
            (script.clone(), positional)
        } else if let Some((file, rest)) = operands.split_first() {
            let path = absolute_path(&shell.cwd, file);
            match self.fs().read(&path) {
                Ok(text) => (
                    text,
                    std::iter::once(file.clone())
                        .chain(rest.iter().cloned())
                        .collect(),
                ),
                Err(err) => {
                    io.sink.err_line(format!("{name}: {file}: {}", err.text()));
                    return 127;
                }
            }
        } else {
            match io.stdin.take() {
                Some(text) => (text, vec![name.to_string()]),
                // No input: a shell with nothing to read exits at once, unless it is
                // the main process, which the kubelet keeps running on its terminal.
                None if self.is_main() => return self.block(),
                None => return 0,
            }
        };
        let mut child = match shell.child(positional) {
            Ok(child) => child,
            Err(message) => {
                io.sink.err_line(format!("{name}: {message}"));
                return 2;
            }
        };
        let outer = self.program;
        self.program = self.inside.userland.shell_name(name);
        let pid = self.next_pid();
        child.pid = pid;
        self.shells.push((
            pid,
            std::iter::once(name)
                .chain(args.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" "),
        ));
        let flow = run_text(&mut child, self, &script, io.stdin.take(), io.sink);
        self.shells.pop();
        self.program = outer;
        shell.reclaim(&child);
        match flow {
            Flow::Exit(code) => code,
            _ => child.status,
        }
    }

    /// The nginx library image's entrypoint script, then its command.
    fn docker_entrypoint(&mut self, shell: &mut Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        if args
            .first()
            .is_some_and(|a| a == "nginx" || a == "nginx-debug")
        {
            for line in [
                "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
                "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
                "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
                "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
                "/docker-entrypoint.sh: Configuration complete; ready for start up",
            ] {
                io.sink.out(format!("{line}\n"));
            }
        }
        if args.is_empty() {
            return 0;
        }
        let stdin = io.stdin.take();
        run_argv(shell, self, args, stdin, io.sink)
    }
}
