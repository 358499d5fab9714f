//! The terminal's commands: kubectl, the editor's files (`ls`, `cat`, `rm`,
//! `vim`, redirections), the text tools (`grep`, `base64`, … in
//! `shell::text`), `sleep` on the virtual clock, and the terminal's own
//! `clear`, `history` and `help`.

use super::{Blocked, Hold, Mode, Playground, HOME, SCRIPT_WATCH_LIMIT};
use crate::kubectl::output::Stream;
use crate::kubectl::{self, Attach, Context};
use crate::shell::{absolute_path, fileops, text, Host, Io, Shell, Sink};
use crate::sim::clock::Millis;

/// Commands that exist inside containers, not in this terminal.
const CONTAINER_COMMANDS: [&str; 12] = [
    "curl", "wget", "nslookup", "dig", "hostname", "ping", "ps", "env", "host", "getent", "mkdir",
    "nginx",
];

pub(super) struct TerminalHost<'a> {
    pub(super) pg: &'a mut Playground,
    pub(super) terminal: usize,
    pub(super) stopped: bool,
    /// The command is the whole line (see `is_one_command`).
    pub(super) alone: bool,
}

impl<'a> TerminalHost<'a> {
    pub(super) fn new(pg: &'a mut Playground, terminal: usize) -> TerminalHost<'a> {
        TerminalHost {
            pg,
            terminal,
            stopped: false,
            alone: false,
        }
    }

    /// The editor file a path names: files live flat in the home directory.
    fn file_key(shell: &Shell, path: &str) -> Result<String, String> {
        let path = absolute_path(
            &shell.cwd,
            path.strip_prefix("~/")
                .map(|p| format!("{HOME}/{p}"))
                .as_deref()
                .unwrap_or(path),
        );
        match path.strip_prefix(&format!("{HOME}/")) {
            Some(name) if !name.contains('/') => Ok(name.to_string()),
            _ => Err("No such file or directory".to_string()),
        }
    }

    fn kubectl(&mut self, shell: &mut Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        let pg = &mut *self.pg;
        let stdin = io.stdin.take();
        let budget = std::cell::Cell::new(shell.budget());
        let interactive = pg.mode == Mode::Interactive;
        let ctx = Context {
            namespace: pg.kubeconfig.namespace(),
            kubeconfig: &pg.kubeconfig,
            files: &pg.files,
            stdin: stdin.as_deref(),
            budget: Some(&budget),
            defer_waits: interactive && self.alone && !io.captured,
        };
        let invocation = kubectl::run(&mut pg.cluster, &ctx, args);
        shell.set_budget(budget.get());
        if let Some(kubeconfig) = invocation.kubeconfig.clone() {
            pg.kubeconfig = kubeconfig;
        }
        for (path, text) in &invocation.wrote {
            match Self::file_key(shell, path) {
                Ok(key) => {
                    pg.files.insert(key, text.clone());
                }
                Err(err) => {
                    print(io.sink, &invocation.output);
                    io.sink.err_line(format!("error: open {path}: {err}"));
                    return 1;
                }
            }
        }
        // Other terminals' watches see this command's changes before its own output.
        pg.pump();
        print(io.sink, &invocation.output);
        let command = format!("kubectl {}", args.join(" "));
        if let Some(waiting) = invocation.waiting {
            pg.terminals[self.terminal].blocked = Some(Blocked {
                command: command.clone(),
                hold: Hold::Kubectl(Box::new(waiting)),
                code: invocation.output.code,
            });
            self.stopped = true;
        }
        if let Some(mut watch) = invocation.watch {
            if interactive && io.captured {
                io.sink.err_line("stsplay: a --watch keeps running, so here it cannot feed a pipe, a file or $(…); run it on its own");
                return 1;
            }
            if interactive {
                pg.terminals[self.terminal].watch = Some((command.clone(), watch));
                self.stopped = true;
            } else {
                settle(pg);
                io.sink.out(watch.poll(&pg.cluster));
                if let Some(note) = watch.ended() {
                    io.sink.err_line(note);
                }
            }
        }
        match invocation.attach {
            Some(Attach::Shell(attached)) if io.captured => {
                let _ = attached;
                io.sink.err_line("stsplay: an interactive shell needs the terminal; it cannot feed a pipe, a file or $(…)");
                return 1;
            }
            Some(Attach::Shell(attached)) => {
                pg.terminals[self.terminal].session = Some(attached);
                self.stopped = true;
            }
            Some(Attach::Logs(mut follow)) if !interactive || io.captured => {
                settle(pg);
                io.sink.out(follow.poll(&mut pg.cluster).0);
            }
            Some(Attach::Logs(follow)) => {
                pg.terminals[self.terminal].follow = Some((command, follow));
                self.stopped = true;
            }
            Some(Attach::Editor(session)) => return self.edit_object(shell, *session, command, io),
            None => {}
        }
        invocation.output.code
    }

    fn ls(&mut self, shell: &Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        if let Some(flag) = args.iter().find(|a| a.starts_with('-') && a.contains('l')) {
            io.sink.err_line(format!("ls: {flag}: the playground's files are the editor's tabs, which have no owners, sizes on disk or times; try plain ls"));
            return 2;
        }
        let mut status = 0;
        let mut names: Vec<String> = Vec::new();
        let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if operands.is_empty() {
            names = self.pg.files.keys().cloned().collect();
        }
        for operand in operands {
            match Self::file_key(shell, operand) {
                Ok(key) if self.pg.files.contains_key(&key) => names.push(operand.clone()),
                _ if absolute_path(&shell.cwd, operand) == HOME => {
                    names.extend(self.pg.files.keys().cloned())
                }
                _ => {
                    io.sink.err_line(format!(
                        "ls: cannot access '{operand}': No such file or directory"
                    ));
                    status = 2;
                }
            }
        }
        if io.captured || args.iter().any(|a| a == "-1") {
            for name in names {
                io.sink.out(format!("{name}\n"));
            }
        } else {
            io.sink.out(text::columns(
                &names.iter().map(String::as_str).collect::<Vec<_>>(),
            ));
        }
        status
    }

    fn rm(&mut self, shell: &Shell, args: &[String], sink: &mut Sink) -> i32 {
        let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
        let mut status = 0;
        for path in args.iter().filter(|a| !a.starts_with('-')) {
            let removed = Self::file_key(shell, path)
                .ok()
                .and_then(|key| self.pg.files.remove(&key));
            if removed.is_none() && !force {
                sink.err_line(format!(
                    "rm: cannot remove '{path}': No such file or directory"
                ));
                status = 1;
            }
        }
        status
    }

    /// `vim FILE`: the UI opens the file in the editor (a new, empty tab if it does not exist).
    fn edit(&mut self, shell: &Shell, name: &str, args: &[String], sink: &mut Sink) -> i32 {
        let Some(path) = args
            .iter()
            .find(|a| !a.starts_with('-') && !a.starts_with('+'))
        else {
            sink.err_line(format!("{name}: name the file to edit, e.g. {name} web.yaml; the playground opens it in the editor"));
            return 1;
        };
        let key = match Self::file_key(shell, path) {
            Ok(key) => key,
            Err(err) => {
                sink.err_line(format!(
                    "{name}: {path}: {err} (the editor's files live in {HOME})"
                ));
                return 1;
            }
        };
        self.pg.files.entry(key.clone()).or_default();
        if self.pg.mode == Mode::Script {
            sink.err_line(format!("({name}: in the browser this opens {key} in the editor; a transcript has no editor)"));
        }
        self.pg.pending_edit = Some(key);
        0
    }

    /// `sleep NUMBER[SUFFIX]...` sleeps for the sum, as GNU sleep does.
    /// Typed on its own in the browser it holds the terminal while the clock
    /// moves; elsewhere it moves the clock itself.
    fn sleep(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        if args.is_empty() {
            io.sink
                .err_line("sleep: missing operand\nTry 'sleep --help' for more information.");
            return 1;
        }
        let mut total: Millis = 0;
        for arg in args {
            let Some(ms) = crate::container::parse_duration(arg) else {
                io.sink.err_line(format!(
                    "sleep: invalid time interval '{arg}'\nTry 'sleep --help' for more information."
                ));
                return 1;
            };
            total = total.saturating_add(ms);
        }
        let forever = args.iter().any(|a| a == "infinity");
        let holds = self.pg.mode == Mode::Interactive && self.alone && !io.captured;
        if holds && forever {
            self.hold_terminal(args, None);
            return 0;
        }
        if total > SLEEP_LIMIT {
            io.sink.err_line(format!(
                "(stsplay: sleep lets at most 24h of virtual time pass; {} was shortened)",
                args.join(" ")
            ));
        }
        let total = total.min(SLEEP_LIMIT);
        if holds {
            let until = self.pg.cluster.now() + total;
            self.hold_terminal(args, Some(until));
        } else {
            self.pg.advance(total);
        }
        0
    }

    fn hold_terminal(&mut self, args: &[String], until: Option<Millis>) {
        self.pg.terminals[self.terminal].blocked = Some(Blocked {
            command: format!("sleep {}", args.join(" ")),
            hold: Hold::Sleep(until),
            code: 0,
        });
        self.stopped = true;
    }

    fn history(&mut self, sink: &mut Sink) -> i32 {
        let text: String = self.pg.terminals[self.terminal]
            .history
            .iter()
            .enumerate()
            .map(|(i, h)| format!("{:>5}  {h}\n", i + 1))
            .collect();
        sink.out(text);
        0
    }
}

/// Writes kubectl's output to a command's streams, in the order it was written.
pub(super) fn print(sink: &mut Sink, output: &kubectl::Output) {
    for (stream, text) in output.chunks() {
        match stream {
            Stream::Out => sink.out(text),
            Stream::Err => sink.err(text),
        }
    }
}

/// The longest `sleep`, so a typo cannot fast-forward the cluster by years.
const SLEEP_LIMIT: Millis = 24 * 60 * crate::sim::clock::MINUTE;

/// A blocking command in a transcript: lets the cluster run until it settles (bounded).
fn settle(pg: &mut Playground) {
    let deadline = pg.cluster.now() + SCRIPT_WATCH_LIMIT;
    while pg.cluster.next_due().is_some_and(|t| t <= deadline) {
        pg.cluster.run_next_task();
    }
}

impl Host for TerminalHost<'_> {
    fn shell_name(&self) -> &str {
        "bash"
    }

    fn command(&mut self, shell: &mut Shell, argv: &[String], io: &mut Io<'_>) -> Option<i32> {
        let (name, args) = argv.split_first()?;
        let status = match name.as_str() {
            "kubectl" | "k" => self.kubectl(shell, args, io),
            "sleep" => self.sleep(args, io),
            "stsplay" => self.stsplay(args, io.sink),
            "kind" => self.kind(shell, args, io),
            "clear" => {
                io.sink.clear_screen();
                0
            }
            "history" => self.history(io.sink),
            "help" => {
                io.sink.out(HELP);
                0
            }
            "ls" => self.ls(shell, args, io),
            "sed" => {
                let stdin = io.stdin.take();
                crate::shell::sed::run(shell, self, args, stdin, io.sink)
            }
            "rm" => self.rm(shell, args, io.sink),
            tool if fileops::NAMES.contains(&tool) => {
                fileops::run(tool, shell, self, args, io.sink).unwrap_or(0)
            }
            "vim" | "vi" | "nano" | "view" => self.edit(shell, name, args, io.sink),
            "date" => match crate::container::date(self.pg.cluster.now(), args) {
                Ok(text) => {
                    io.sink.out(text);
                    0
                }
                Err(err) => {
                    io.sink.err_line(err);
                    1
                }
            },
            tool if text::NAMES.contains(&tool) => {
                let files = &self.pg.files;
                let stdin = io.stdin.take();
                let mut read = |path: &str| {
                    Self::file_key(shell, path).and_then(|key| {
                        files
                            .get(&key)
                            .cloned()
                            .ok_or_else(|| "No such file or directory".to_string())
                    })
                };
                text::run(false, tool, args, stdin.as_deref(), &mut read, io.sink).unwrap_or(0)
            }
            _ => return None,
        };
        Some(status)
    }

    fn not_found(&mut self, name: &str, sink: &mut Sink) -> i32 {
        sink.err_line(format!("bash: {name}: command not found"));
        if CONTAINER_COMMANDS.contains(&name) {
            sink.err_line(format!("({name} runs inside pods here, e.g. kubectl exec -it web-0 -- {name} …; type help for what this terminal runs)"));
        } else {
            sink.err_line("(this terminal runs kubectl, echo, sleep, ls, cat, rm, vim, grep, sed, head, tail, wc, sort, base64, clear, history, help, kind and stsplay; type help for more)");
        }
        127
    }

    fn read_file(&mut self, shell: &Shell, path: &str) -> Result<String, String> {
        let key = Self::file_key(shell, path)?;
        self.pg
            .files
            .get(&key)
            .cloned()
            .ok_or_else(|| "No such file or directory".to_string())
    }

    fn write_file(
        &mut self,
        shell: &Shell,
        path: &str,
        text: &str,
        append: bool,
    ) -> Result<(), String> {
        let key = Self::file_key(shell, path)
            .map_err(|_| format!("Permission denied (the editor's files live in {HOME})"))?;
        let file = self.pg.files.entry(key).or_default();
        if !append {
            file.clear();
        }
        file.push_str(text);
        Ok(())
    }

    fn remove_file(&mut self, shell: &Shell, path: &str) -> Result<(), String> {
        let key = Self::file_key(shell, path)?;
        self.pg
            .files
            .remove(&key)
            .map(|_| ())
            .ok_or_else(|| "No such file or directory".to_string())
    }

    fn list_dir(&mut self, _shell: &Shell, dir: &str) -> Option<Vec<String>> {
        (dir == HOME).then(|| self.pg.files.keys().cloned().collect())
    }

    fn background_allowed(&mut self, sink: &mut Sink) -> bool {
        sink.err_line("bash: background jobs (&) are not supported in this playground; run the command without &");
        false
    }

    fn stopped(&self) -> bool {
        self.stopped
    }
}

const HELP: &str = "This terminal is a small bash around a simulated Kubernetes 1.34 cluster.
  kubectl ...            apply, diff, create, replace, get [-w], describe, delete, scale,
                         patch, edit, label, annotate, set image, rollout, wait, events,
                         explain, expose, cordon, uncordon, drain, exec, cp, logs, run,
                         attach, debug --copy-to, api-resources, version, cluster-info
  sleep N                wait N seconds of virtual time (also 2m, 1h); alone on a
                         line it waits for Play or Step, like kubectl's waits
  stsplay fault ...      break something on purpose: a node, a container, an image
  kind delete cluster    and kind create cluster [--name N] [--config FILE]: a cluster of
                         another shape (a control plane and up to 16 workers); kind get nodes
  ls, cat, rm, cp, mv    the files are the editor's tabs; > and >> write them
  vim FILE (vi, nano)    open FILE in the editor
  grep, head, tail, wc, sort, uniq   filter output: kubectl get pods | grep web
  base64 [-d] [-w N] [FILE]          encode, or decode (-d) a Secret's data
  sed [-i] 's/OLD/NEW/g' FILE        change text; KUBE_EDITOR='sed -i s/a/b/' kubectl edit …
  echo, printf, date, clear, history, help
Shell syntax: quotes, $VAR, $(...), $((...)), ;, &&, ||, |, for/while/if,
[[ ... ]] with =~ and ${BASH_REMATCH[1]}, set -ex, here-documents
(cat <<EOF | kubectl apply -f -). Ctrl+C stops a watch.
Commands such as curl, nslookup and hostname run inside pods:
  kubectl exec -it web-0 -- sh
  kubectl run -it --rm --image busybox:1.28 dns-test --restart=Never -- sh
";
