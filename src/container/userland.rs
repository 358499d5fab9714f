//! The programs inside a container: shells, file tools, name lookups,
//! HTTP clients, process tools and nginx's command line, each printing
//! what the image's version of it prints.

use crate::shell::{absolute_path, fileops, run_argv, run_text, text, Flow, Host, Io, Shell, Sink};
use crate::sim::clock::{timestamp, Millis, SECOND};
use crate::sim::images::Behaviour;
use crate::sim::kubelet;
use crate::sim::Cluster;

use super::dns::{self, DigQuery, Resolver};
use super::fs::{Entry, Errno, Fs};
use super::http::{self, Failure, Url};
use super::image::{Distro, Nslookup, WebServer};
use super::Inside;

/// The longest `sleep` inside a container, so a typo cannot stall the playground for days.
const SLEEP_LIMIT: Millis = 24 * 3600 * SECOND;

pub struct ContainerHost<'a> {
    cluster: &'a mut Cluster,
    inside: &'a Inside,
    tty: bool,
    /// The clock the programs see.
    now: Millis,
    /// Playing the main process's start-up: blocking commands end it.
    main: bool,
    /// The running shell's name, for its messages.
    program: &'static str,
    /// Shell processes between PID 1 and the running command, for `ps`.
    shells: Vec<(u32, String)>,
    stopped: bool,
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
            main: false,
            program: "sh",
            shells: Vec::new(),
            stopped: false,
        }
    }

    /// A host for the main process, as it started at `started`.
    pub fn main_process(
        cluster: &'a mut Cluster,
        inside: &'a Inside,
        started: Millis,
    ) -> ContainerHost<'a> {
        ContainerHost {
            cluster,
            inside,
            tty: false,
            now: started,
            main: true,
            program: "sh",
            shells: Vec::new(),
            stopped: false,
        }
    }

    /// Runs commands for an interactive shell (`pid`, started as `command`).
    pub fn in_session(&mut self, name: &'static str, pid: u32, command: &str) {
        self.program = name;
        if pid != 1 {
            self.shells.push((pid, command.to_string()));
        }
    }

    fn fs(&mut self) -> Fs<'_> {
        self.inside.fs(self.cluster, self.now)
    }

    fn busybox(&self) -> bool {
        matches!(
            self.inside.userland.distro,
            Distro::Busybox { .. } | Distro::Alpine
        )
    }

    /// Blocks: the main process stays here, so its start-up ends.
    fn block(&mut self) -> i32 {
        self.stopped = true;
        0
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
            return None;
        }
        let name = basename(&argv[0]).to_string();
        let args = &argv[1..];
        let status = match name.as_str() {
            "sh" | "bash" | "ash" | "dash" => self.shell_program(shell, &name, args, io),
            "docker-entrypoint.sh" => self.docker_entrypoint(shell, args, io),
            "tail" if args.iter().any(|a| a == "-f" || a == "-F") && self.main => self.block(),
            "cat" if args.is_empty() && io.stdin.is_none() && self.main => self.block(),
            t if text::NAMES.contains(&t) => {
                let cwd = shell.cwd.clone();
                let stdin = io.stdin.take();
                let mut fs = self.fs();
                let mut read = |path: &str| {
                    fs.read(&absolute_path(&cwd, path))
                        .map_err(|e| e.text().to_string())
                };
                text::run(t, args, stdin.as_deref(), &mut read, io.sink).unwrap_or(0)
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
            "id" => {
                io.sink.out(if self.busybox() {
                    "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n"
                } else {
                    "uid=0(root) gid=0(root) groups=0(root)\n"
                });
                0
            }
            "whoami" => {
                io.sink.out("root\n");
                0
            }
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
    /// `sh -c SCRIPT [NAME ARGS…]`, `sh FILE`, or `sh` reading its stdin.
    fn shell_program(
        &mut self,
        shell: &mut Shell,
        name: &str,
        args: &[String],
        io: &mut Io<'_>,
    ) -> i32 {
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
                None if self.main => return self.block(),
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
        let pid = self.shells.last().map_or(7, |(pid, _)| pid + 6);
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

    fn hostname(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        let inside = self.inside;
        let text = match args.first().map(String::as_str) {
            None | Some("-s" | "--short") => inside.hostname.clone(),
            Some("-f" | "--fqdn" | "--long" | "-A" | "--all-fqdns") => inside
                .fqdn
                .clone()
                .unwrap_or_else(|| inside.hostname.clone()),
            Some("-i" | "--ip-address" | "-I" | "--all-ip-addresses") => inside.ip.clone(),
            Some("-d" | "--domain") => inside
                .fqdn
                .as_deref()
                .and_then(|f| f.split_once('.'))
                .map(|(_, d)| d.to_string())
                .unwrap_or_default(),
            Some(other) if other.starts_with('-') => {
                sink.err_line(format!(
                    "hostname: invalid option -- '{}'",
                    other.trim_start_matches('-')
                ));
                return 1;
            }
            Some(_) => {
                sink.err_line("hostname: you must be root to change the host name");
                return 1;
            }
        };
        sink.out(format!("{text}\n"));
        0
    }

    fn ls(&mut self, shell: &Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        let mut flags = String::new();
        let mut paths = Vec::new();
        for arg in args {
            match arg.strip_prefix('-').filter(|f| !f.is_empty()) {
                Some(f) => flags.push_str(f),
                None => paths.push(arg.clone()),
            }
        }
        if let Some(bad) = flags.chars().find(|c| !"alAh1dFt".contains(*c)) {
            io.sink.err_line(format!("ls: invalid option -- '{bad}'"));
            return 2;
        }
        if paths.is_empty() {
            paths.push(".".to_string());
        }
        let long = flags.contains('l');
        let one_per_line = flags.contains('1') || !self.tty || io.captured;
        let busybox = self.busybox();
        let mut status = 0;
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for path in &paths {
            let abs = absolute_path(&shell.cwd, path);
            let mut fs = self.fs();
            if !fs.exists(&abs) {
                io.sink.err_line(if busybox {
                    format!("ls: {path}: No such file or directory")
                } else {
                    format!("ls: cannot access '{path}': No such file or directory")
                });
                status = if busybox { 1 } else { 2 };
            } else if fs.is_dir(&abs) && !flags.contains('d') {
                dirs.push((path.clone(), fs.list(&abs).unwrap_or_default()));
            } else if let Ok(mut entries) = fs.list(&abs) {
                for e in entries.iter_mut() {
                    e.name = path.clone();
                }
                files.extend(entries);
            }
        }
        let show = |entries: &[Entry], sink: &mut Sink| {
            if long {
                for e in entries {
                    sink.out(long_line(e, busybox));
                }
            } else if one_per_line {
                for e in entries {
                    sink.out(format!("{}\n", e.name));
                }
            } else {
                sink.out(text::columns(
                    &entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
                ));
            }
        };
        show(&files, io.sink);
        let many = paths.len() > 1;
        for (i, (path, mut entries)) in dirs.into_iter().enumerate() {
            if !flags.contains('a') && !flags.contains('A') {
                entries.retain(|e| !e.name.starts_with('.'));
            }
            if flags.contains('a') {
                let dot = |name: &str| Entry {
                    name: name.to_string(),
                    dir: true,
                    size: 4096,
                    modified: self.now,
                };
                entries.insert(0, dot(".."));
                entries.insert(0, dot("."));
            }
            if many {
                io.sink.out(format!(
                    "{}{path}:\n",
                    if i > 0 || !files.is_empty() { "\n" } else { "" }
                ));
            }
            if long {
                let blocks: usize = entries.iter().map(|e| e.size.div_ceil(4096) * 4).sum();
                io.sink.out(format!("total {blocks}\n"));
            }
            show(&entries, io.sink);
        }
        status
    }

    fn mkdir(&mut self, shell: &Shell, args: &[String], sink: &mut Sink) -> i32 {
        let parents = args.iter().any(|a| a == "-p");
        let mut status = 0;
        for path in args.iter().filter(|a| !a.starts_with('-')) {
            if let Err(err) = self.fs().mkdir(&absolute_path(&shell.cwd, path), parents) {
                let verb = if self.busybox() {
                    "can't create directory"
                } else {
                    "cannot create directory"
                };
                sink.err_line(format!("mkdir: {verb} '{path}': {}", err.text()));
                status = 1;
            }
        }
        status
    }

    fn rm(&mut self, shell: &Shell, args: &[String], sink: &mut Sink) -> i32 {
        let flags: String = args
            .iter()
            .filter(|a| a.starts_with('-'))
            .map(|a| a.trim_start_matches('-'))
            .collect();
        let recursive = flags.contains('r') || flags.contains('R');
        let force = flags.contains('f');
        let mut status = 0;
        let busybox = self.busybox();
        for path in args.iter().filter(|a| !a.starts_with('-')) {
            match self.fs().remove(
                &absolute_path(&shell.cwd, path),
                recursive,
                flags.contains('d'),
            ) {
                Ok(()) => {}
                Err(Errno::NotFound) if force => {}
                Err(Errno::IsDir) if busybox => {
                    sink.err_line(format!("rm: '{path}' is a directory"));
                    status = 1;
                }
                Err(err) => {
                    let verb = if busybox {
                        "can't remove"
                    } else {
                        "cannot remove"
                    };
                    sink.err_line(format!("rm: {verb} '{path}': {}", err.text()));
                    status = 1;
                }
            }
        }
        status
    }

    fn env(&mut self, shell: &mut Shell, name: &str, args: &[String], io: &mut Io<'_>) -> i32 {
        let environment = shell.environment();
        if name == "printenv" && !args.is_empty() {
            let mut status = 0;
            for arg in args {
                match environment.iter().find(|(k, _)| k == arg) {
                    Some((_, v)) => io.sink.out(format!("{v}\n")),
                    None => status = 1,
                }
            }
            return status;
        }
        // `env NAME=value… COMMAND`: run the command with those variables.
        let assignments: Vec<&String> = args.iter().take_while(|a| a.contains('=')).collect();
        if args.len() > assignments.len() {
            let mut child = shell.clone();
            for a in &assignments {
                if let Some((k, v)) = a.split_once('=') {
                    child.export(k, v);
                }
            }
            let stdin = io.stdin.take();
            let status = run_argv(&mut child, self, &args[assignments.len()..], stdin, io.sink);
            shell.reclaim(&child);
            return status;
        }
        for (k, v) in environment {
            io.sink.out(format!("{k}={v}\n"));
        }
        for a in assignments {
            io.sink.out(format!("{a}\n"));
        }
        0
    }

    /// The main process's title, as `ps` shows it.
    fn main_title(&self) -> String {
        let argv = self.inside.main_command();
        let argv: Vec<String> = argv
            .into_iter()
            .skip_while(|a| a == "/docker-entrypoint.sh")
            .collect();
        let line = argv.join(" ");
        if argv.first().is_some_and(|a| basename(a) == "nginx") {
            format!("nginx: master process {line}")
        } else {
            line
        }
    }

    fn ps(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        let mut processes = vec![(1, self.main_title())];
        if matches!(self.inside.userland.web, Some(WebServer::Nginx { .. }))
            && processes[0].1.starts_with("nginx")
        {
            processes.push((29, "nginx: worker process".to_string()));
            processes.push((30, "nginx: worker process".to_string()));
        }
        processes.extend(self.shells.iter().cloned());
        let own = self.shells.last().map_or(7, |(pid, _)| pid + 6);
        let own_line = format!("ps {}", args.join(" ")).trim_end().to_string();
        processes.push((own, own_line));
        let start = timestamp(self.now).strftime("%H:%M").to_string();
        if self.busybox() {
            sink.out("PID   USER     TIME  COMMAND\n");
            for (pid, cmd) in processes {
                sink.out(format!("{pid:>5} root      0:00 {cmd}\n"));
            }
        } else if args.iter().any(|a| a.contains('e') || a.contains('f')) {
            sink.out("UID          PID    PPID  C STIME TTY          TIME CMD\n");
            for (pid, cmd) in processes {
                let parent = if pid == 1 {
                    0
                } else if pid == 29 || pid == 30 {
                    1
                } else {
                    self.shells
                        .iter()
                        .map(|(p, _)| *p)
                        .filter(|p| *p < pid)
                        .max()
                        .unwrap_or(0)
                };
                let tty = if pid < 7 || pid == 29 || pid == 30 || !self.tty {
                    "?"
                } else {
                    "pts/0"
                };
                sink.out(format!(
                    "root     {pid:>7} {parent:>7}  0 {start} {tty:<8} 00:00:00 {cmd}\n"
                ));
            }
        } else if args.iter().any(|a| a.contains('a') || a.contains('x')) {
            sink.out(
                "USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n",
            );
            for (pid, cmd) in processes {
                let (tty, stat) = if pid == 1 {
                    ("?", "Ss")
                } else if pid == 29 || pid == 30 {
                    ("?", "S")
                } else if self.tty {
                    ("pts/0", "Ss")
                } else {
                    ("?", "Rs")
                };
                sink.out(format!("root     {pid:>7}  0.0  0.0   4344  3328 {tty:<8} {stat:<4} {start}   0:00 {cmd}\n"));
            }
        } else {
            sink.out("    PID TTY          TIME CMD\n");
            for (pid, cmd) in processes
                .into_iter()
                .filter(|(pid, _)| *pid >= 7 && *pid != 29 && *pid != 30)
            {
                let tty = if self.tty { "pts/0" } else { "?" };
                let name = basename(cmd.split_whitespace().next().unwrap_or("")).to_string();
                sink.out(format!("{pid:>7} {tty:<8} 00:00:00 {name}\n"));
            }
        }
        0
    }

    fn sleep(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        let Some(arg) = args.first() else {
            io.sink.err_line(if self.busybox() {
                "BusyBox v1.36.1 multi-call binary.\n\nUsage: sleep [N]..."
            } else {
                "sleep: missing operand"
            });
            return 1;
        };
        let Some(ms) = parse_duration(arg) else {
            io.sink
                .err_line(format!("sleep: invalid time interval '{arg}'"));
            return 1;
        };
        if self.main && ms > 0 {
            return self.block();
        }
        if !io.background && !self.main {
            self.cluster.advance(ms.min(SLEEP_LIMIT));
            self.now = self.cluster.now();
        }
        0
    }

    fn uname(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        let kernel = "6.8.0-79-generic";
        let text = match args.first().map(String::as_str) {
            None | Some("-s") => "Linux".to_string(),
            Some("-r") => kernel.to_string(),
            Some("-n") => self.inside.hostname.clone(),
            Some("-m") => "x86_64".to_string(),
            Some("-a") => format!(
                "Linux {} {kernel} #79-Ubuntu SMP PREEMPT_DYNAMIC x86_64 GNU/Linux",
                self.inside.hostname
            ),
            Some(other) => {
                sink.err_line(format!(
                    "uname: invalid option -- '{}'",
                    other.trim_start_matches('-')
                ));
                return 1;
            }
        };
        sink.out(format!("{text}\n"));
        0
    }

    fn chmod(&mut self, shell: &Shell, name: &str, args: &[String], sink: &mut Sink) -> i32 {
        let operands: Vec<&String> = args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .skip(1)
            .collect();
        if operands.is_empty() {
            sink.err_line(format!("{name}: missing operand"));
            return 1;
        }
        let mut status = 0;
        for path in operands {
            if !self.fs().exists(&absolute_path(&shell.cwd, path)) {
                sink.err_line(format!(
                    "{name}: cannot access '{path}': No such file or directory"
                ));
                status = 1;
            }
        }
        status
    }

    fn resolver(&self) -> Resolver<'_> {
        Resolver::new(self.cluster, &self.inside.target.namespace)
    }

    fn nslookup(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
            sink.err_line("Usage: nslookup [HOST] [SERVER]");
            return 1;
        };
        let (out, err, status) = match self.inside.userland.nslookup {
            Some(Nslookup::BusyboxLegacy) => dns::nslookup_busybox_legacy(&self.resolver(), name),
            Some(Nslookup::Bind) => dns::nslookup(&self.resolver(), name, true),
            _ => dns::nslookup(&self.resolver(), name, false),
        };
        sink.out(out);
        sink.err(err);
        self.offline_note(name, status, sink);
        status
    }

    /// Names outside the cluster do not resolve: the playground has no internet.
    fn offline_note(&self, name: &str, status: i32, sink: &mut Sink) {
        if status != 0
            && name.contains('.')
            && !name.contains(dns::DOMAIN)
            && name.split('.').count() > 2
        {
            sink.err_line("(stsplay: the simulated cluster has no internet access; only cluster names resolve)");
        }
    }

    fn dig(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        match DigQuery::parse(args) {
            Ok(query) => {
                let id = (query
                    .name
                    .bytes()
                    .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
                    % 65_536) as u16;
                sink.out(dns::dig(&self.resolver(), &query, id, self.now));
                0
            }
            Err(err) => {
                sink.err_line(err);
                1
            }
        }
    }

    fn host_lookup(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
            sink.err_line("Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time] hostname [server]");
            return 1;
        };
        match self.resolver().resolve(name) {
            Some((fqdn, ips)) => {
                for ip in ips {
                    sink.out(format!("{fqdn} has address {ip}\n"));
                }
                0
            }
            None => {
                sink.out(format!("Host {name} not found: 3(NXDOMAIN)\n"));
                1
            }
        }
    }

    fn getent(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        match args {
            [database, name, ..] if database == "hosts" || database == "ahosts" => {
                let hosts = self.inside.hosts_file();
                let (out, status) = dns::getent_hosts(&self.resolver(), &hosts, name);
                sink.out(out);
                status
            }
            [database, ..] => {
                sink.err_line(format!("Unknown database: {database}"));
                1
            }
            [] => {
                sink.err_line("Usage: getent [OPTION...] database [key ...]");
                1
            }
        }
    }

    fn curl(&mut self, shell: &Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        let Some(agent) = self.inside.userland.curl else {
            return 127;
        };
        let mut url = None;
        let (mut silent, mut show_error, mut include, mut head, mut fail) =
            (false, false, false, false, false);
        let mut output = None;
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "-o" | "--output" => output = iter.next().cloned(),
                "-m" | "--max-time" | "--connect-timeout" | "-H" | "--header" | "-X"
                | "--request" | "-w" | "--write-out" | "-A" | "-u" => {
                    iter.next();
                }
                "--silent" => silent = true,
                "--show-error" => show_error = true,
                "--include" => include = true,
                "--head" => head = true,
                "--fail" => fail = true,
                "--location" | "--insecure" | "--verbose" => {}
                a if a.starts_with("--") => {
                    io.sink.err_line(format!("curl: option {a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"));
                    return 2;
                }
                a if a.starts_with('-') && a.len() > 1 => {
                    for c in a[1..].chars() {
                        match c {
                            's' => silent = true,
                            'S' => show_error = true,
                            'i' => include = true,
                            'I' => head = true,
                            'f' => fail = true,
                            'L' | 'k' | 'v' => {}
                            other => {
                                io.sink.err_line(format!("curl: option -{other}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"));
                                return 2;
                            }
                        }
                    }
                }
                a => url = Some(a.to_string()),
            }
        }
        let Some(url_text) = url else {
            io.sink.err_line("curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information");
            return 2;
        };
        let quiet_errors = silent && !show_error;
        let url = match Url::parse(&url_text) {
            Ok(url) => url,
            Err(err) => {
                if !quiet_errors {
                    io.sink.err_line(format!("curl: (1) {err}"));
                }
                return 1;
            }
        };
        let old = agent.starts_with("curl/7.4");
        let response = http::request(self.cluster, self.inside, &url, head, agent, self.now);
        let response = match response {
            Ok(r) => r,
            Err(failure) => {
                if !quiet_errors {
                    let (code, message) = match failure {
                        Failure::Resolve => (6, format!("Could not resolve host: {}", url.host)),
                        Failure::Refused(ip) if old => (7, format!("Failed to connect to {} port {}: Connection refused", if url.host == "localhost" { &url.host } else { &ip }, url.port)),
                        Failure::Refused(_) => (7, format!("Failed to connect to {} port {} after 0 ms: Couldn't connect to server", url.host, url.port)),
                    };
                    io.sink.err_line(format!("curl: ({code}) {message}"));
                    self.offline_note(&url.host, code, io.sink);
                    return code;
                }
                return match failure {
                    Failure::Resolve => 6,
                    Failure::Refused(_) => 7,
                };
            }
        };
        if fail && response.status >= 400 {
            if !quiet_errors {
                io.sink.err_line(format!(
                    "curl: (22) The requested URL returned error: {}",
                    response.status
                ));
            }
            return 22;
        }
        let mut text = String::new();
        if include || head {
            text.push_str(&format!(
                "HTTP/1.1 {} {}\r\n",
                response.status, response.reason
            ));
            for (k, v) in &response.headers {
                text.push_str(&format!("{k}: {v}\r\n"));
            }
            text.push_str("\r\n");
        }
        text.push_str(&response.body);
        let to_file = output.is_some();
        if !silent && (!self.tty || io.captured || to_file) {
            io.sink.err(progress_meter(text.len()));
        }
        match output {
            Some(file) => {
                if let Err(err) = self
                    .fs()
                    .write(&absolute_path(&shell.cwd, &file), &text, false)
                {
                    io.sink.err_line(format!(
                        "curl: (23) Failure writing output to destination: {}",
                        err.text()
                    ));
                    return 23;
                }
            }
            None => io.sink.out(text),
        }
        0
    }

    fn wget(&mut self, shell: &Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        let mut quiet = false;
        let mut output: Option<String> = None;
        let mut url = None;
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "-O" => output = iter.next().cloned(),
                "-T" | "--timeout" | "-U" => {
                    iter.next();
                }
                "-q" | "--quiet" => quiet = true,
                "-qO-" => {
                    quiet = true;
                    output = Some("-".to_string());
                }
                "-qO" => {
                    quiet = true;
                    output = iter.next().cloned();
                }
                a if a.starts_with("-O") => output = Some(a[2..].to_string()),
                a if a.starts_with('-') => {}
                a => url = Some(a.to_string()),
            }
        }
        let Some(url_text) = url else {
            io.sink.err_line(
                "BusyBox v1.36.1 multi-call binary.\n\nUsage: wget [-cqS] [-O FILE] URL...",
            );
            return 1;
        };
        let url = match Url::parse(&url_text) {
            Ok(u) => u,
            Err(err) => {
                io.sink.err_line(format!("wget: {err}"));
                return 1;
            }
        };
        let response = match http::request(self.cluster, self.inside, &url, false, "Wget", self.now)
        {
            Ok(r) => r,
            Err(Failure::Resolve) => {
                io.sink
                    .err_line(format!("wget: bad address '{}'", url.host));
                self.offline_note(&url.host, 1, io.sink);
                return 1;
            }
            Err(Failure::Refused(ip)) => {
                if !quiet {
                    io.sink
                        .err_line(format!("Connecting to {} ({ip}:{})", url.host, url.port));
                }
                io.sink.err_line(format!(
                    "wget: can't connect to remote host ({ip}): Connection refused"
                ));
                return 1;
            }
        };
        if !quiet {
            io.sink.err_line(format!(
                "Connecting to {} ({}:{})",
                url.host, response.ip, url.port
            ));
        }
        if response.status >= 400 {
            io.sink.err_line(format!(
                "wget: server returned error: HTTP/1.1 {} {}",
                response.status, response.reason
            ));
            return 1;
        }
        let file = output.unwrap_or_else(|| {
            let name = url.path.rsplit('/').next().unwrap_or("");
            if name.is_empty() {
                "index.html".to_string()
            } else {
                name.to_string()
            }
        });
        if file == "-" {
            io.sink.out(response.body);
            return 0;
        }
        let path = absolute_path(&shell.cwd, &file);
        if self.fs().exists(&path) {
            io.sink
                .err_line(format!("wget: can't open '{file}': File exists"));
            return 1;
        }
        if let Err(err) = self.fs().write(&path, &response.body, false) {
            io.sink
                .err_line(format!("wget: can't open '{file}': {}", err.text()));
            return 1;
        }
        if !quiet {
            let legacy = matches!(
                self.inside.userland.distro,
                Distro::Busybox { legacy: true }
            );
            if legacy {
                io.sink.err_line(format!(
                    "{file:<20} 100% |*******************************| {:>5}  0:00:00 ETA",
                    response.body.len()
                ));
            } else {
                io.sink.err_line(format!("saving to '{file}'\n{file:<20} 100% |********************************| {:>5}  0:00:00 ETA\n'{file}' saved", response.body.len()));
            }
        }
        0
    }

    fn ping(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        let mut count = None;
        let mut host = None;
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "-c" => count = iter.next().and_then(|c| c.parse::<u32>().ok()),
                "-W" | "-w" | "-i" | "-s" => {
                    iter.next();
                }
                a if a.starts_with('-') => {}
                a => host = Some(a.to_string()),
            }
        }
        let Some(host) = host else {
            io.sink
                .err_line("BusyBox v1.36.1 multi-call binary.\n\nUsage: ping [OPTIONS] HOST");
            return 1;
        };
        let Some(ip) = self
            .resolver()
            .resolve(&host)
            .and_then(|(_, ips)| ips.first().cloned())
        else {
            io.sink.err_line(format!("ping: bad address '{host}'"));
            self.offline_note(&host, 1, io.sink);
            return 1;
        };
        let count = count.unwrap_or_else(|| {
            io.sink
                .err_line("(stsplay: ping would run until Ctrl+C; stopping after 4 packets)");
            4
        });
        // Pod IPs answer; a ClusterIP is virtual and drops ICMP.
        let answers = ip == self.inside.ip
            || self.cluster.store().list(crate::sim::Kind::Pod).any(|p| {
                p.as_typed::<k8s_openapi::api::core::v1::Pod>()
                    .and_then(|p| p.status.as_ref())
                    .and_then(|s| s.pod_ip.as_deref())
                    == Some(ip.as_str())
            });
        io.sink.out(format!("PING {host} ({ip}): 56 data bytes\n"));
        for seq in 0..count {
            if answers {
                io.sink.out(format!(
                    "64 bytes from {ip}: seq={seq} ttl=63 time=0.{:03} ms\n",
                    80 + (seq * 37) % 90
                ));
            }
            if seq + 1 < count {
                self.cluster.advance(SECOND);
            }
        }
        self.now = self.cluster.now();
        let received = if answers { count } else { 0 };
        let loss = if answers { 0 } else { 100 };
        io.sink.out(format!("\n--- {host} ping statistics ---\n{count} packets transmitted, {received} packets received, {loss}% packet loss\n"));
        if answers {
            io.sink
                .out("round-trip min/avg/max = 0.080/0.121/0.162 ms\n");
            0
        } else {
            1
        }
    }

    fn nginx(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        let Some(WebServer::Nginx { version, .. }) = self.inside.userland.web else {
            return 127;
        };
        let when = timestamp(self.now)
            .strftime("%Y/%m/%d %H:%M:%S")
            .to_string();
        let mut iter = args.iter();
        let mut daemon = true;
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "-v" | "-V" => {
                    io.sink.err_line(format!("nginx version: nginx/{version}"));
                    return 0;
                }
                "-t" | "-T" => {
                    io.sink.err_line("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful");
                    return 0;
                }
                "-s" => {
                    let signal = iter.next().cloned().unwrap_or_default();
                    io.sink
                        .err_line(format!("{when} [notice] 42#42: signal process started"));
                    if signal == "stop" || signal == "quit" {
                        kubelet::main_process_exited(
                            self.cluster,
                            &self.inside.target.namespace,
                            &self.inside.target.pod,
                            &self.inside.target.container,
                            0,
                        );
                    }
                    return 0;
                }
                "-g" => {
                    daemon = !iter
                        .next()
                        .is_some_and(|g| g.replace(' ', "").contains("daemonoff"))
                }
                "-c" | "-p" | "-e" => {
                    iter.next();
                }
                other => {
                    io.sink.err_line(format!(
                        "nginx: invalid option: \"{}\"",
                        other.trim_start_matches('-')
                    ));
                    return 1;
                }
            }
        }
        if !self.main {
            // The main nginx already holds port 80.
            for _ in 0..5 {
                io.sink.err_line(
                    "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)",
                );
            }
            io.sink.err_line("nginx: [emerg] still could not bind()");
            return 1;
        }
        if !self.inside.userland.entrypoint.is_empty() {
            for line in [
                "using the \"epoll\" event method".to_string(),
                format!("nginx/{version}"),
                "built by gcc 12.2.0 (Debian 12.2.0-14+deb12u1) ".to_string(),
                "OS: Linux 6.8.0-79-generic".to_string(),
                "getrlimit(RLIMIT_NOFILE): 1048576:1048576".to_string(),
                "start worker processes".to_string(),
                "start worker process 29".to_string(),
                "start worker process 30".to_string(),
            ] {
                io.sink.err_line(format!("{when} [notice] 1#1: {line}"));
            }
        }
        if daemon {
            0
        } else {
            self.block()
        }
    }

    fn kill(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        let mut signal = "TERM".to_string();
        let mut pids = Vec::new();
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if arg == "-s" {
                signal = iter.next().cloned().unwrap_or_default();
            } else if let Some(s) = arg.strip_prefix('-') {
                signal = s.trim_start_matches("SIG").to_string();
            } else {
                pids.push(arg.clone());
            }
        }
        let mut status = 0;
        for pid in pids {
            if pid == "1" {
                // PID 1 only gets signals it handles; a graceful server stops on TERM.
                let handles = matches!(
                    kubelet::behaviour(
                        self.cluster,
                        &self.inside.target.namespace,
                        &self.inside.target.pod,
                        &self.inside.target.container
                    ),
                    Some(Behaviour::Runs { graceful: true, .. })
                );
                if handles && matches!(signal.as_str(), "TERM" | "15" | "INT" | "2" | "QUIT" | "3")
                {
                    kubelet::main_process_exited(
                        self.cluster,
                        &self.inside.target.namespace,
                        &self.inside.target.pod,
                        &self.inside.target.container,
                        0,
                    );
                }
            } else {
                sink.err_line(match self.program {
                    "bash" => format!("bash: kill: ({pid}) - No such process"),
                    _ if self.busybox() => format!("sh: can't kill pid {pid}: No such process"),
                    _ => "sh: 1: kill: No such process".to_string(),
                });
                status = 1;
            }
        }
        status
    }
}

/// `5`, `1.5`, `2m`, `infinity`: sleep's argument in milliseconds.
pub fn parse_duration(text: &str) -> Option<Millis> {
    if text == "infinity" {
        return Some(Millis::MAX);
    }
    let (number, unit) = match text.find(|c: char| c.is_ascii_alphabetic()) {
        Some(at) => (&text[..at], &text[at..]),
        None => (text, "s"),
    };
    let value: f64 = number
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite() && *v >= 0.0)?;
    let scale = match unit {
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        _ => return None,
    };
    Some((value * scale * SECOND as f64).min(Millis::MAX as f64 / 2.0) as Millis)
}

/// `date [+FORMAT]` at virtual time `now`, in UTC as containers run.
pub fn date(now: Millis, args: &[String]) -> Result<String, String> {
    let at = timestamp(now);
    match args.iter().find(|a| a.starts_with('+')) {
        // A format is user input: jiff reports what it cannot format instead of panicking.
        Some(format) => k8s_openapi::jiff::fmt::strtime::format(&format[1..], at)
            .map(|text| format!("{text}\n"))
            .map_err(|_| format!("date: invalid format '{}'", &format[1..])),
        None => match args.iter().find(|a| *a != "-u" && *a != "--utc") {
            Some(other) => Err(format!("date: invalid date '{other}'")),
            None => Ok(format!("{}\n", at.strftime("%a %b %e %H:%M:%S UTC %Y"))),
        },
    }
}

/// curl's progress meter, as it prints when its output is not a terminal.
fn progress_meter(size: usize) -> String {
    let speed = size * 1000;
    let speed = if speed < 100_000 {
        speed.to_string()
    } else {
        format!("{}k", speed / 1024)
    };
    format!(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n100 {size:>5}  100 {size:>5}    0     0  {speed:>5}      0 --:--:-- --:--:-- --:--:-- {speed:>5}\n"
    )
}

/// One `ls -l` line, GNU or busybox style.
fn long_line(entry: &Entry, busybox: bool) -> String {
    let mode = if entry.dir {
        "drwxr-xr-x"
    } else {
        "-rw-r--r--"
    };
    let links = if entry.dir { 2 } else { 1 };
    let when = timestamp(entry.modified).strftime("%b %e %H:%M");
    if busybox {
        format!(
            "{mode} {links:>4} root     root     {:>10} {when} {}\n",
            entry.size, entry.name
        )
    } else {
        format!(
            "{mode} {links} root root {:>4} {when} {}\n",
            entry.size, entry.name
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_durations() {
        assert_eq!(date(5_000, &[]).unwrap(), "Mon Jan  5 09:00:05 UTC 2026\n");
        assert_eq!(date(0, &["+%Y-%m-%d".to_string()]).unwrap(), "2026-01-05\n");
        assert!(date(0, &["+%".to_string()]).is_err());
        assert!(date(0, &["+%!".to_string()]).is_err());
        assert_eq!(parse_duration("1.5"), Some(1_500));
        assert_eq!(parse_duration("2m"), Some(120_000));
        assert_eq!(parse_duration("x"), None);
    }
}
