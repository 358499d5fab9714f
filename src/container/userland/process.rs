//! Processes and the system: `hostname`, `env`, `ps`, `sleep`, `uname`,
//! nginx's command line, `kill`, and `date`.

use super::{basename, ContainerHost, SLEEP_LIMIT};
use crate::container::image::WebServer;
use crate::container::stress;
use crate::container::{Inside, Target};
use crate::shell::{run_argv, Io, Shell, Sink};
use crate::sim::clock::{timestamp, Millis, SECOND};
use crate::sim::images::Behaviour;
use crate::sim::kubelet;
use crate::sim::pod_containers;

impl ContainerHost<'_> {
    pub(super) fn hostname(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        let inside = self.inside;
        let text = match args.first().map(String::as_str) {
            None | Some("-s" | "--short") => inside.hostname.clone(),
            Some("-f" | "--fqdn" | "--long" | "-A" | "--all-fqdns") => inside.long_hostname(),
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

    pub(super) fn env(
        &mut self,
        shell: &mut Shell,
        name: &str,
        args: &[String],
        io: &mut Io<'_>,
    ) -> i32 {
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

    /// The processes of the other containers in this one's PID namespace,
    /// before its own: the targeted container's for an ephemeral container
    /// started with `kubectl debug --target`; in a pod that shares its
    /// process namespace (`shareProcessNamespace`, a debug copy's
    /// `--share-processes`) the sandbox's `/pause` and every other running
    /// container's.
    fn neighbours(&self) -> Vec<(u32, String)> {
        let inside = self.inside;
        let Some(spec) = inside.pod.spec.as_ref() else {
            return Vec::new();
        };
        let sibling = |name: &str| {
            let target = Target {
                container: name.to_string(),
                ..inside.target.clone()
            };
            Inside::of(self.cluster, &target).filter(|i| i.running(self.cluster))
        };
        let targeted = pod_containers::target_of(&inside.pod, &inside.target.container);
        if let Some(targeted) = targeted {
            return sibling(targeted).map_or_else(Vec::new, |t| main_processes(&t));
        }
        if spec.share_process_namespace != Some(true) {
            return Vec::new();
        }
        let mut processes = vec![(1, "/pause".to_string())];
        let others = spec
            .containers
            .iter()
            .filter(|c| c.name != inside.target.container)
            .filter_map(|c| sibling(&c.name));
        for other in others {
            let offset = processes.last().map_or(0, |(pid, _)| *pid);
            let theirs = main_processes(&other).into_iter();
            processes.extend(theirs.map(|(pid, title)| (pid + offset, title)));
        }
        processes
    }

    pub(super) fn ps(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        // A shared process namespace has the others' processes first and
        // this container's after them.
        let mut processes = self.neighbours();
        let offset = processes.last().map_or(0, |(pid, _)| *pid);
        processes.extend(
            main_processes(self.inside)
                .into_iter()
                .map(|(pid, title)| (pid + offset, title)),
        );
        let java = self.server_java_command();
        if let Some(command) = &java {
            processes.push((7, command.clone()));
        }
        let shells = self
            .shells
            .iter()
            .map(|(pid, title)| (pid + offset, title.clone()));
        processes.extend(shells);
        let own = offset
            + self
                .shells
                .last()
                .map_or(7 + u32::from(java.is_some()), |(pid, _)| pid + 6);
        // `ps` as the container's command is its PID 1 already.
        let argv = self.inside.main_command();
        let ps_is_main = self.is_main()
            && self.shells.is_empty()
            && argv.first().is_some_and(|a| basename(a) == "ps");
        if !ps_is_main {
            let own_line = format!("ps {}", args.join(" ")).trim_end().to_string();
            processes.push((own, own_line));
        }
        let start = timestamp(self.now).strftime("%H:%M").to_string();
        if self.busybox() {
            sink.out("PID   USER     TIME  COMMAND\n");
            for (pid, cmd) in processes {
                sink.out(format!("{pid:>5} root      0:00 {cmd}\n"));
            }
        } else if args.iter().any(|a| a.contains('e') || a.contains('f')) {
            let long = args.iter().any(|a| !a.starts_with("--") && a.contains('l'));
            let user = self.ps_user();
            sink.out(if long {
                "F S UID          PID    PPID  C PRI  NI ADDR SZ WCHAN  STIME TTY          TIME CMD\n"
            } else {
                "UID          PID    PPID  C STIME TTY          TIME CMD\n"
            });
            for (pid, cmd) in processes {
                let parent = if pid == 1 {
                    0
                } else if pid == 29 || pid == 30 || (pid == 7 && java.is_some()) {
                    1
                } else {
                    self.shells
                        .iter()
                        .map(|(p, _)| *p)
                        .filter(|p| *p < pid)
                        .max()
                        .unwrap_or(0)
                };
                let tty = if pid <= 7 || pid == 29 || pid == 30 || !self.tty {
                    "?"
                } else {
                    "pts/0"
                };
                let columns = format!("{pid:>7} {parent:>7}  0");
                if long {
                    let (state, size, wait) = match pid {
                        1 => ("S", 1126, "wait  "),
                        7 => ("S", 962_377, "futex_"),
                        _ => ("R", 8605, "-     "),
                    };
                    sink.out(format!("4 {state} {user:<8} {columns}  80   0 - {size:>5} {wait} {start} {tty:<8} 00:00:00 {cmd}\n"));
                } else {
                    sink.out(format!(
                        "{user:<8} {columns} {start} {tty:<8} 00:00:00 {cmd}\n"
                    ));
                }
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

    /// The user column of `ps -ef`: procps cuts names over 8 characters
    /// to 7 and a `+`.
    fn ps_user(&self) -> String {
        let name = self.user_name();
        if name.chars().count() > 8 {
            format!("{}+", name.chars().take(7).collect::<String>())
        } else {
            name
        }
    }

    pub(super) fn sleep(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
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
        if self.is_main() && ms > 0 && !io.background {
            // A day or more stands for forever, as the sleep limit below does.
            let wakes = (ms < SLEEP_LIMIT).then(|| self.now.saturating_add(ms));
            return self.pause_until(wakes, io).unwrap_or(0);
        }
        if !io.background && !self.is_main() {
            self.wait(ms.min(SLEEP_LIMIT));
        }
        0
    }

    /// The main process waits until `wakes` (None: for good). The play goes
    /// on from there when that is not later than it plays to; otherwise it
    /// stops here, to go on from this point when played again: Some(status).
    pub(super) fn pause_until(&mut self, wakes: Option<Millis>, io: &mut Io<'_>) -> Option<i32> {
        let timeline = self.main.as_deref_mut()?;
        match wakes.filter(|at| *at <= timeline.until) {
            Some(at) => {
                if std::ptr::eq(&*io.sink, timeline.output) {
                    timeline.marks.push((io.sink.chunks.len(), at));
                }
                self.now = self.now.max(at);
                None
            }
            None => {
                timeline.wakes = wakes;
                Some(self.block())
            }
        }
    }

    /// `stress`: the Go one runs without a word; GNU stress says what it
    /// dispatches, then runs until stopped or for its `--timeout`. What the
    /// main process's workers allocate is the kubelet's to judge
    /// (`stress::oom_after`); a stress started beside it is judged here.
    pub(super) fn stress(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        if stress::is_go(&self.inside.userland) {
            return self.block();
        }
        let hogs = match stress::parse(args) {
            Ok(hogs) => hogs,
            Err(message) => {
                io.sink.err_line(message);
                return 1;
            }
        };
        if hogs.help {
            io.sink.out(stress::USAGE);
            return 0;
        }
        if hogs.version {
            io.sink.out("stress 1.0.4\n");
            return 0;
        }
        let pid = if self.is_main() && self.shells.is_empty() {
            1
        } else {
            self.next_pid()
        };
        io.sink.out(hogs.dispatching(pid));
        let inside = self.inside;
        if !self.is_main() && stress::exec_passes_limit(&inside.userland, &inside.container, &hogs)
        {
            // The kubelet sets memory.oom.group: the container dies, and this with it.
            kubelet::oom_killed(
                self.cluster,
                &inside.target.namespace,
                &inside.target.pod,
                &inside.target.container,
            );
            return kubelet::SIGKILL_EXIT;
        }
        let Some(timeout) = hogs.timeout else {
            return self.block();
        };
        let seconds = timeout / SECOND;
        self.sleep(&[seconds.to_string()], io);
        if self.stopped {
            return 0;
        }
        io.sink.out(format!(
            "stress: info: [{pid}] successful run completed in {seconds}s\n"
        ));
        0
    }

    pub(super) fn uname(&mut self, args: &[String], sink: &mut Sink) -> i32 {
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

    pub(super) fn nginx(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
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
        if !self.is_main() {
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

    pub(super) fn kill(&mut self, args: &[String], sink: &mut Sink) -> i32 {
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
                    Some(Behaviour::Runs { graceful: true, .. } | Behaviour::Component)
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

/// The main process's title at PID 1 as `ps` shows it, and nginx's workers.
fn main_processes(inside: &Inside) -> Vec<(u32, String)> {
    let argv = inside.main_command();
    let argv: Vec<String> = argv
        .into_iter()
        .skip_while(|a| a == "/docker-entrypoint.sh")
        .collect();
    let line = argv.join(" ");
    if argv.first().is_none_or(|a| basename(a) != "nginx") {
        return vec![(1, line)];
    }
    let mut processes = vec![(1, format!("nginx: master process {line}"))];
    if matches!(inside.userland.web, Some(WebServer::Nginx { .. })) {
        processes.push((29, "nginx: worker process".to_string()));
        processes.push((30, "nginx: worker process".to_string()));
    }
    processes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_durations() {
        let handed_over = crate::sim::clock::HANDOVER;
        assert_eq!(
            date(handed_over + 5_000, &[]).unwrap(),
            "Mon Jan  5 09:00:05 UTC 2026\n"
        );
        assert_eq!(date(0, &["+%Y-%m-%d".to_string()]).unwrap(), "2026-01-05\n");
        assert!(date(0, &["+%".to_string()]).is_err());
        assert!(date(0, &["+%!".to_string()]).is_err());
        assert_eq!(parse_duration("1.5"), Some(1_500));
        assert_eq!(parse_duration("2m"), Some(120_000));
        assert_eq!(parse_duration("x"), None);
    }
}
