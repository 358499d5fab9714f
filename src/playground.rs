//! A playground session: the cluster, the editor's files and the terminals.
//! The web UI and the native transcript runner both drive the cluster
//! through this type, so they print the same thing for the same input.
//!
//! Each terminal runs a bash-like shell (see [`crate::shell`]); a command
//! that needs more lines (an open quote, a here-document, a `for` without
//! `done`) is collected line by line until it is complete, in the browser
//! and in transcripts alike. A terminal can also be attached to a shell in
//! a container (`kubectl exec -it`, `kubectl run -it`) or follow a log.

mod blocked;
mod complete;
mod editor;
mod edits;
mod faults;
mod files;
mod host;
mod journal;
mod kind;
mod kind_config;
mod overview;
mod snapshot;
mod timeline;

use std::collections::BTreeMap;

use crate::kubectl::config::Kubeconfig;
use crate::kubectl::{self, Attached, LogFollow, Watch};
use crate::shell::{self, Chunk, Flow, Problem, Shell, Sink};
use crate::sim::clock::{Millis, MINUTE};
use crate::sim::Cluster;
use blocked::is_one_command;
pub use blocked::Blocked;
use blocked::Hold;
pub use complete::Completion;
use host::TerminalHost;
pub use journal::{Input, Journal, SAVE_FORMAT};
pub use overview::{ClaimCard, Health, NodeCard, Overview, PodCard, ServiceCard, SetCard};
pub use snapshot::{clock_label, moment_label};
pub use timeline::Timeline;

/// The seed tutorial's manifest: a headless Service and a 2-replica StatefulSet.
pub const SEED_YAML: &str = include_str!("playground/seed.yaml");
pub const SEED_FILE: &str = "statefulset.yaml";
/// What the first terminal runs when a playground opens, as in the tutorial.
pub const WATCH_COMMAND: &str = "kubectl get pods --watch -l app=nginx";
/// The terminal's home directory, where the editor's files live.
pub const HOME: &str = "/home/learner";

/// The most terminals a playground keeps open.
pub const MAX_TERMINALS: usize = 16;
/// How long blocking commands (a watch in a script, `sleep`) may run the clock.
const SCRIPT_WATCH_LIMIT: Millis = 10 * MINUTE;
/// How many lines one unfinished command may collect before it is abandoned.
const MAX_PENDING_LINES: usize = 5_000;
const MAX_PENDING_BYTES: usize = 512 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Prompt,
    Out,
    Err,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
}

#[derive(Clone, Debug)]
pub struct Terminal {
    pub lines: Vec<Line>,
    pub history: Vec<String>,
    /// A running `--watch`, and the command that started it.
    pub watch: Option<(String, Watch)>,
    /// A running `kubectl logs -f`, and the command that started it.
    pub follow: Option<(String, LogFollow)>,
    /// A blocking command typed on its own (a kubectl command that waits,
    /// see `kubectl::Waiting`, or `sleep`), or `kubectl run` waiting for its
    /// pod after its session, waiting while the clock moves.
    pub blocked: Option<Blocked>,
    /// A `kubectl edit` whose buffer is open in the editor pane, and the
    /// command that started it: kubectl waits for its editor to close.
    pub edit: Option<(String, kubectl::edit::EditSession)>,
    /// A shell in a container that this terminal's lines go to.
    pub session: Option<Box<Attached>>,
    /// Lines of a command that is not complete yet.
    pub pending: Vec<String>,
    /// The terminal's own shell: its variables and last status.
    pub shell: Shell,
    /// The last line has no newline yet (`echo -n`), so output continues it.
    open_line: bool,
    /// Counts changes to `lines`, so a view can tell cheaply whether the
    /// screen changed (the same count means the same lines).
    revision: u64,
}

impl Default for Terminal {
    fn default() -> Terminal {
        Terminal {
            lines: Vec::new(),
            history: Vec::new(),
            watch: None,
            follow: None,
            blocked: None,
            edit: None,
            session: None,
            pending: Vec::new(),
            shell: host_shell(),
            open_line: false,
            revision: 0,
        }
    }
}

fn host_shell() -> Shell {
    let mut shell = Shell::new("bash", HOME);
    for (key, value) in [
        ("HOME", HOME),
        ("USER", "learner"),
        ("PWD", HOME),
        ("SHELL", "/bin/bash"),
        ("PATH", "/usr/local/bin:/usr/bin:/bin"),
    ] {
        shell.export(key, value);
    }
    shell
}

impl Terminal {
    fn push(&mut self, kind: LineKind, text: &str) {
        self.revision += 1;
        if kind == LineKind::Prompt {
            self.open_line = false;
        }
        let ends_open = !text.ends_with('\n');
        let body = text.strip_suffix('\n').unwrap_or(text);
        for (i, segment) in body.split('\n').enumerate() {
            let segment = segment.strip_suffix('\r').unwrap_or(segment);
            match self.lines.last_mut() {
                Some(last) if i == 0 && self.open_line && last.kind == kind => {
                    last.text.push_str(segment)
                }
                _ => self.lines.push(Line {
                    kind,
                    text: segment.to_string(),
                }),
            }
        }
        self.open_line = ends_open && kind != LineKind::Prompt;
    }

    fn clear(&mut self) {
        self.revision += 1;
        self.lines.clear();
        self.open_line = false;
    }

    /// Changes with every change to the lines on screen.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn text(&self) -> String {
        self.lines.iter().map(|l| format!("{}\n", l.text)).collect()
    }

    /// A watch or log stream owns the terminal until Ctrl+C, a blocking
    /// command until it is done or Ctrl+C, and a `kubectl edit` until its
    /// buffer is saved or closed in the editor.
    pub fn is_busy(&self) -> bool {
        self.watch.is_some()
            || self.follow.is_some()
            || self.blocked.is_some()
            || self.edit.is_some()
    }

    /// The command holding the terminal until it ends or Ctrl+C: a watch,
    /// a log stream or a blocking command.
    pub fn running(&self) -> Option<&str> {
        let watch = self.watch.as_ref().map(|(command, _)| command);
        let follow = self.follow.as_ref().map(|(command, _)| command);
        let blocked = self.blocked.as_ref().map(|b| &b.command);
        watch.or(follow).or(blocked).map(String::as_str)
    }

    /// ↑/↓ at a prompt: from history entry `at` (None: the line being typed),
    /// the entry to show next. None means back to the line being typed.
    pub fn recall(&self, at: Option<usize>, older: bool) -> Option<usize> {
        let last = self.history.len().checked_sub(1)?;
        match (at, older) {
            (None, true) => Some(last),
            (None, false) => None,
            (Some(i), true) => Some(i.saturating_sub(1).min(last)),
            (Some(i), false) if i < last => Some(i + 1),
            (Some(_), false) => None,
        }
    }

    fn print(&mut self, sink: Sink) {
        for chunk in sink.chunks {
            match chunk {
                Chunk::Out(text) => self.push(LineKind::Out, &text),
                Chunk::Err(text) => self.push(LineKind::Err, &text),
                Chunk::Clear => self.clear(),
            }
        }
        for note in sink.notes {
            self.push(LineKind::Err, &format!("{note}\n"));
        }
        if sink.overflowed {
            self.push(
                LineKind::Err,
                "(output cut: more than 1 MiB, the playground's limit for one command line)\n",
            );
        }
    }

    fn print_output(&mut self, output: &kubectl::Output) {
        for (stream, text) in output.chunks() {
            let kind = match stream {
                kubectl::output::Stream::Out => LineKind::Out,
                kubectl::output::Stream::Err => LineKind::Err,
            };
            self.push(kind, &text);
        }
    }

    fn push_nonempty(&mut self, kind: LineKind, text: &str) {
        if !text.is_empty() {
            self.push(kind, text);
        }
    }
}

/// Interactive watches keep running; in a script they run until the
/// cluster settles, then end, so the script can go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Interactive,
    Script,
}

#[derive(Clone, Debug)]
pub struct Playground {
    pub seed: u64,
    pub cluster: Cluster,
    pub files: BTreeMap<String, String>,
    pub terminals: Vec<Terminal>,
    /// The kubeconfig kubectl reads, whose context namespace `kubectl config`
    /// sets; commands without `-n` use it.
    pub kubeconfig: Kubeconfig,
    pub mode: Mode,
    /// A file `vim`/`vi`/`nano` asked the editor to open; the UI takes it.
    pub pending_edit: Option<String>,
    /// Every input so far, for replaying the session (see [`Playground::save`]).
    pub journal: Journal,
    /// `kind delete cluster` ran and no `kind create cluster` since: the
    /// cluster is an empty stand-in whose clock goes on.
    pub cluster_deleted: bool,
}

impl Playground {
    /// An empty cluster, the seed file, and `terminals` terminals.
    pub fn new(seed: u64, terminals: usize, mode: Mode) -> Playground {
        let mut files = BTreeMap::new();
        files.insert(SEED_FILE.to_string(), SEED_YAML.to_string());
        Playground {
            seed,
            cluster: Cluster::new(seed),
            journal: Journal::starting_with(&files, terminals.clamp(1, MAX_TERMINALS)),
            files,
            terminals: vec![Terminal::default(); terminals.clamp(1, MAX_TERMINALS)],
            kubeconfig: Kubeconfig::default(),
            mode,
            pending_edit: None,
            cluster_deleted: false,
        }
    }

    /// The seed's two-terminal setup: a watch in the first, a prompt in the second.
    pub fn tutorial(seed: u64) -> Playground {
        let mut playground = Playground::new(seed, 2, Mode::Interactive);
        playground.run(0, WATCH_COMMAND);
        playground
    }

    /// The namespace commands use when they name none.
    pub fn namespace(&self) -> &str {
        self.kubeconfig.namespace()
    }

    /// The terminal's main prompt, which shows the namespace.
    pub fn prompt(&self) -> String {
        format!("[{}]$ ", self.namespace())
    }

    /// What the terminal's input line shows: the main prompt, `> ` while a
    /// command continues, or the prompt of the container shell it is attached to.
    pub fn prompt_of(&self, terminal: usize) -> String {
        match self.terminals.get(terminal) {
            Some(t) if !t.pending.is_empty() => "> ".to_string(),
            Some(Terminal {
                session: Some(attached),
                ..
            }) => attached.session.prompt(),
            _ => self.prompt(),
        }
    }

    /// Takes one line typed into a terminal; returns the exit status of the
    /// command it completed (0 while a command is still being typed).
    pub fn run(&mut self, terminal: usize, line: &str) -> i32 {
        self.run_line(terminal, line, false)
    }

    /// [`Playground::run`]; `to_end` runs a blocking command to its end at
    /// once even when it is the whole line, as a script would.
    fn run_line(&mut self, terminal: usize, line: &str, to_end: bool) -> i32 {
        let Some(term) = self.terminals.get_mut(terminal) else {
            return 1;
        };
        self.journal.files(&self.files);
        self.journal.push(Input::Run {
            terminal,
            line: line.to_string(),
            to_end,
        });
        let line = line.trim_end_matches(['\r', '\n']);
        let prompt = match (&term.session, term.pending.is_empty()) {
            (_, false) => "> ".to_string(),
            (Some(attached), true) => attached.session.prompt(),
            (None, true) => "$ ".to_string(),
        };
        term.push(LineKind::Prompt, &format!("{prompt}{}", line.trim_end()));
        if term
            .session
            .as_ref()
            .is_some_and(|a| a.session.sql.is_some())
        {
            return self.run_sql_line(terminal, line, to_end);
        }
        term.pending.push(line.to_string());
        let text = term.pending.join("\n");
        self.submit(terminal, text, false, to_end)
    }

    /// The end of a terminal's input (a transcript's last line, or Ctrl+D):
    /// an unfinished command is reported or run as bash would, and an
    /// attached container shell exits.
    pub fn end_of_input(&mut self, terminal: usize) -> i32 {
        let Some(term) = self.terminals.get(terminal) else {
            return 1;
        };
        let mut status = 0;
        if !term.pending.is_empty() {
            let text = term.pending.join("\n");
            status = self.submit(terminal, text, true, false);
        }
        if let Some(attached) = self
            .terminals
            .get_mut(terminal)
            .and_then(|t| t.session.take())
        {
            let code = attached.session.shell.status;
            let mut sink = Sink::default();
            if attached.session.shell_name() == "bash" {
                sink.out("exit\n");
            }
            self.terminals[terminal].print(sink);
            // No more input comes to move the clock for what kubectl waits for.
            status = self.detach(terminal, *attached, code, true);
        }
        self.pump();
        status
    }

    fn submit(&mut self, terminal: usize, text: String, at_eof: bool, to_end: bool) -> i32 {
        let term = &mut self.terminals[terminal];
        let shell_name = term
            .session
            .as_ref()
            .map_or("bash", |a| a.session.shell_name())
            .to_string();
        match shell::parse(&text, at_eof) {
            Err(Problem::Incomplete(reason)) if !at_eof => {
                if term.pending.len() <= MAX_PENDING_LINES && text.len() <= MAX_PENDING_BYTES {
                    return 0;
                }
                let lines = term.pending.len();
                term.pending.clear();
                term.push(
                    LineKind::Err,
                    &format!("{shell_name}: command abandoned after {lines} lines without an end ({reason}); the playground keeps at most {MAX_PENDING_LINES} lines of one command\n"),
                );
                2
            }
            Err(problem) => {
                term.pending.clear();
                term.history.push(text);
                let (reason, incomplete) = match problem {
                    Problem::Incomplete(reason) => (reason, true),
                    Problem::Syntax(reason) => (reason, false),
                };
                term.push(LineKind::Err, &format!("{shell_name}: {reason}\n"));
                if incomplete && !reason.starts_with("syntax error") {
                    term.push(
                        LineKind::Err,
                        &format!("{shell_name}: syntax error: unexpected end of file\n"),
                    );
                }
                2
            }
            Ok(parsed) => {
                term.pending.clear();
                if !text.trim().is_empty() {
                    term.history.push(text.clone());
                }
                let mut sink = Sink::default();
                for warning in &parsed.warnings {
                    sink.err_line(format!("{shell_name}: {warning}"));
                }
                let status = if term.session.is_some() {
                    self.run_in_session(terminal, &parsed.script, &text, sink, to_end)
                } else {
                    self.run_on_host(terminal, &parsed.script, sink, to_end)
                };
                self.pump();
                status
            }
        }
    }

    fn run_on_host(
        &mut self,
        terminal: usize,
        script: &shell::ast::Script,
        mut sink: Sink,
        to_end: bool,
    ) -> i32 {
        let mut shell = std::mem::replace(&mut self.terminals[terminal].shell, host_shell());
        shell.new_line();
        let mut host = TerminalHost::new(self, terminal);
        host.alone = !to_end && is_one_command(script);
        let flow = shell::run_script(&mut shell, &mut host, script, &mut sink);
        if let Flow::Exit(_) = flow {
            sink.out("exit\n");
            sink.err_line("(stsplay: the terminal stays open, with a fresh shell)");
            let status = shell.status;
            shell = host_shell();
            shell.status = status;
        }
        let status = shell.status;
        let term = &mut self.terminals[terminal];
        term.shell = shell;
        term.print(sink);
        status
    }

    /// A line typed at a mysql prompt in a container: no shell reads it.
    fn run_sql_line(&mut self, terminal: usize, line: &str, to_end: bool) -> i32 {
        let Some(mut attached) = self.terminals[terminal].session.take() else {
            return 1;
        };
        if !line.trim().is_empty() {
            self.terminals[terminal].history.push(line.to_string());
        }
        let (sink, exited) = attached.session.run_sql(&mut self.cluster, line);
        self.terminals[terminal].print(sink);
        let status = match exited {
            Some(code) => self.detach(terminal, *attached, code, to_end),
            None => {
                self.terminals[terminal].session = Some(attached);
                0
            }
        };
        self.pump();
        status
    }

    fn run_in_session(
        &mut self,
        terminal: usize,
        script: &shell::ast::Script,
        text: &str,
        mut sink: Sink,
        to_end: bool,
    ) -> i32 {
        let Some(mut attached) = self.terminals[terminal].session.take() else {
            return 1;
        };
        let prompt = attached.session.prompt();
        let (output, exited) = attached.session.run(&mut self.cluster, script);
        sink.extend(output);
        if attached.session.main_process {
            let shown = sink.text();
            kubectl::run::record(
                &mut self.cluster,
                &attached.session,
                &format!("{prompt}{text}\n{shown}"),
            );
        }
        let status = attached.session.shell.status;
        self.terminals[terminal].print(sink);
        match exited {
            Some(code) => self.detach(terminal, *attached, code, to_end),
            None => {
                self.terminals[terminal].session = Some(attached);
                status
            }
        }
    }

    /// The attached shell exited: kubectl prints what it prints then, and
    /// its exit status becomes the terminal's `$?`. In the browser what
    /// kubectl still waits for holds the terminal, as a blocking command
    /// typed alone does: the session ended the line that started it, so
    /// nothing else on that line waits; `to_end` (a script) runs the clock.
    fn detach(&mut self, terminal: usize, attached: Attached, code: i32, to_end: bool) -> i32 {
        let defer = self.mode == Mode::Interactive && !to_end;
        // Only `run` waits after its session, for its pod.
        let command = format!("kubectl run {}", attached.session.target.pod);
        let invocation = kubectl::exec::detach(&mut self.cluster, attached, code, defer);
        let code = invocation.output.code;
        let term = &mut self.terminals[terminal];
        term.print_output(&invocation.output);
        term.shell.status = code;
        if let Some(waiting) = invocation.waiting {
            term.blocked = Some(Blocked {
                command,
                hold: Hold::Kubectl(Box::new(waiting)),
                code,
            });
        }
        code
    }

    /// Ctrl+C: drops a half-typed command, or ends a running watch or log stream.
    pub fn interrupt(&mut self, terminal: usize) {
        let Some(term) = self.terminals.get_mut(terminal) else {
            return;
        };
        self.journal.push(Input::Interrupt { terminal });
        let had_pending = !term.pending.is_empty();
        term.pending.clear();
        let stopped = term.watch.take().is_some()
            || term.follow.take().is_some()
            || term.blocked.take().is_some();
        if stopped {
            // bash's status for a command ended by SIGINT.
            term.shell.status = 130;
        }
        if had_pending || stopped || term.session.is_some() {
            term.push(LineKind::Prompt, "^C");
        }
    }

    /// Opens another terminal, at a prompt; its index, or None when
    /// [`MAX_TERMINALS`] are open.
    pub fn open_terminal(&mut self) -> Option<usize> {
        if self.terminals.len() >= MAX_TERMINALS {
            return None;
        }
        self.journal.push(Input::Open);
        self.terminals.push(Terminal::default());
        Some(self.terminals.len() - 1)
    }

    /// Closes a terminal; the ones after it move up a place. What ran in it
    /// goes with it: a watch stops, a container shell loses its kubectl, and
    /// a `kubectl edit` ends unsaved (its buffer stays a file), as when a
    /// real terminal window closes. The last terminal stays open.
    pub fn close_terminal(&mut self, terminal: usize) -> bool {
        if terminal >= self.terminals.len() || self.terminals.len() == 1 {
            return false;
        }
        self.journal.push(Input::Close { terminal });
        self.terminals.remove(terminal);
        true
    }

    /// Ctrl+L, or `clear`: empties a terminal's screen (not its history).
    pub fn clear_screen(&mut self, terminal: usize) {
        if let Some(term) = self.terminals.get_mut(terminal) {
            self.journal.push(Input::Clear { terminal });
            term.clear();
        }
    }

    /// Runs a line as [`Playground::run`] does, except that a blocking
    /// command runs the clock to its end, as in a script, and returns what
    /// it printed (stdout and stderr, without the echoed prompt), for scripting.
    pub fn exec(&mut self, terminal: usize, line: &str) -> String {
        let Some(before) = self.terminals.get(terminal).map(|t| t.lines.len()) else {
            return format!("no terminal {terminal}\n");
        };
        self.run_line(terminal, line, true);
        // `clear` may have shortened the screen below where this line began.
        let lines = &self.terminals[terminal].lines;
        let start = (before + 1).min(lines.len());
        lines[start..]
            .iter()
            .map(|l| format!("{}\n", l.text))
            .collect()
    }

    /// The terminal that should run a command the user did not type, such as
    /// Apply: `preferred` unless a watch holds it, else the first free one.
    pub fn idle_terminal(&self, preferred: usize) -> Option<usize> {
        let free = |i: &usize| {
            self.terminals
                .get(*i)
                .is_some_and(|t| !t.is_busy() && t.session.is_none() && t.pending.is_empty())
        };
        Some(preferred)
            .filter(free)
            .or_else(|| (0..self.terminals.len()).find(free))
    }

    /// Moves every running watch, log stream and blocking command forward
    /// to the cluster's present, and ends container shells whose container
    /// has stopped.
    pub fn pump(&mut self) {
        for term in &mut self.terminals {
            if let Some((_, watch)) = term.watch.as_mut() {
                let rows = watch.poll(&self.cluster);
                let ended = watch.ended().map(|note| format!("{note}\n"));
                term.push_nonempty(LineKind::Out, &rows);
                if let Some(note) = ended {
                    term.push(LineKind::Err, &note);
                    term.watch = None;
                }
            }
            if let Some((_, follow)) = term.follow.as_mut() {
                let (lines, ended) = follow.poll(&mut self.cluster);
                term.push_nonempty(LineKind::Out, &lines);
                if ended {
                    term.follow = None;
                }
            }
            if let Some(mut blocked) = term.blocked.take() {
                match blocked.poll(&mut self.cluster, term) {
                    Some(code) => term.shell.status = code,
                    None => term.blocked = Some(blocked),
                }
            }
            if term
                .session
                .as_ref()
                .is_some_and(|a| !kubectl::exec::still_attached(&self.cluster, a))
            {
                term.session = None;
                term.pending.clear();
                term.push(LineKind::Err, "command terminated with exit code 137\n");
                term.shell.status = 137;
            }
        }
    }

    /// The next visible change in the cluster, or the next time a blocking
    /// command acts by its own clock if that comes first. False when nothing
    /// is pending.
    pub fn step(&mut self) -> bool {
        self.journal.push(Input::Step);
        let stepped = match self.next_wake() {
            Some(at) => {
                if !self.cluster.step_until(at) {
                    self.cluster.advance(at.saturating_sub(self.cluster.now()));
                }
                true
            }
            None => self.cluster.step(),
        };
        self.pump();
        stepped
    }

    /// Moves the clock on by `by`, stopping where a blocking command acts by
    /// its own clock (a drain's next try, kubectl's timeout), as it would in
    /// real time.
    pub fn advance(&mut self, by: Millis) {
        let changes = self.cluster.store().resource_version();
        let until = self.cluster.now().saturating_add(by);
        self.advance_to(until);
        let quiet = self.cluster.store().resource_version() == changes;
        self.journal.advance(by, quiet);
    }

    /// Runs until nothing is pending, within a bound; true if it settled.
    pub fn settle(&mut self) -> bool {
        self.journal.push(Input::Settle);
        let bound = self.cluster.now().saturating_add(SCRIPT_WATCH_LIMIT);
        self.run_wakes_through(bound);
        let left = bound.saturating_sub(self.cluster.now());
        let settled = self.cluster.run_until_settled(left);
        self.pump();
        settled
    }

    fn advance_to(&mut self, until: Millis) {
        self.run_wakes_through(until.saturating_sub(1));
        self.cluster
            .advance(until.saturating_sub(self.cluster.now()));
        self.pump();
    }

    /// Moves the clock to each time a blocking command acts by its own
    /// clock, up to and including `last`, and lets it act there.
    fn run_wakes_through(&mut self, last: Millis) {
        while let Some(at) = self.next_wake().filter(|at| *at <= last) {
            self.cluster.advance(at.saturating_sub(self.cluster.now()));
            self.pump();
        }
    }

    /// When Step goes next: the cluster's next queued work, or a blocking
    /// command's own next time if that comes first.
    pub fn next_change(&self) -> Option<Millis> {
        [self.cluster.next_due(), self.next_wake()]
            .into_iter()
            .flatten()
            .min()
    }

    /// The earliest time after now that a blocking command acts by its own clock.
    fn next_wake(&self) -> Option<Millis> {
        let now = self.cluster.now();
        self.terminals
            .iter()
            .filter_map(|t| t.blocked.as_ref()?.wake_at())
            .filter(|at| *at > now)
            .min()
    }

    /// Runs a script of terminal lines and returns its transcript: each line
    /// as its prompt followed by the line, then what it printed. Blank and
    /// comment lines between commands are skipped; inside a command (a
    /// here-document) every line counts.
    pub fn run_script(&mut self, script: &str) -> String {
        for line in script.lines() {
            let term = &self.terminals[0];
            let between_commands = term.pending.is_empty();
            if between_commands && (line.trim().is_empty() || line.trim_start().starts_with('#')) {
                continue;
            }
            self.run(0, line);
        }
        self.end_of_input(0);
        self.terminals[0].text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transcript(script: &str) -> String {
        Playground::new(1, 1, Mode::Script).run_script(script)
    }

    #[test]
    fn recall_walks_history_and_back_to_the_draft() {
        let mut term = Terminal::default();
        assert_eq!(term.recall(None, true), None, "no history yet");
        term.history = vec!["a".into(), "b".into(), "c".into()];
        assert_eq!(term.recall(None, true), Some(2));
        assert_eq!(term.recall(Some(2), true), Some(1));
        assert_eq!(term.recall(Some(0), true), Some(0), "stays at the oldest");
        assert_eq!(term.recall(Some(1), false), Some(2));
        assert_eq!(
            term.recall(Some(2), false),
            None,
            "past the newest: the draft"
        );
        assert_eq!(term.recall(None, false), None);
        assert_eq!(
            term.recall(Some(9), true),
            Some(2),
            "a stale index is clamped"
        );
    }

    #[test]
    fn exec_returns_only_what_the_line_printed() {
        let mut playground = Playground::tutorial(1);
        let out = playground.exec(1, "kubectl apply -f statefulset.yaml");
        assert_eq!(out, "service/nginx created\nstatefulset.apps/web created\n");
        assert_eq!(playground.exec(1, "echo hi; clear"), "");
        assert!(playground
            .exec(1, "nosuch")
            .starts_with("bash: nosuch: command not found\n"));
        assert_eq!(playground.exec(7, "ls"), "no terminal 7\n");
    }

    #[test]
    fn idle_terminal_skips_watching_ones() {
        let mut playground = Playground::tutorial(1);
        assert_eq!(playground.idle_terminal(1), Some(1));
        assert_eq!(
            playground.idle_terminal(0),
            Some(1),
            "terminal 0 runs the watch"
        );
        playground.run(1, "kubectl get pods -w");
        assert_eq!(playground.idle_terminal(1), None);
        playground.interrupt(0);
        assert_eq!(playground.idle_terminal(1), Some(0));
        assert_eq!(playground.idle_terminal(5), Some(0));
    }

    #[test]
    fn kubectl_config_switches_the_namespace_for_commands_and_the_prompt() {
        let mut pg = Playground::new(1, 1, Mode::Interactive);
        assert_eq!(pg.prompt(), "[default]$ ");
        pg.run(0, "kubectl create namespace shop");
        pg.run(0, "kubectl config set-context --current --namespace=shop");
        assert_eq!(pg.prompt(), "[shop]$ ");
        pg.run(0, "kubectl run x --image=nginx");
        assert!(pg
            .cluster
            .store()
            .get_named(crate::sim::Kind::Pod, "shop", "x")
            .is_some());
        let restored = Playground::restore(&pg.save()).expect("replays");
        assert_eq!(restored.prompt(), "[shop]$ ", "a reload keeps it");
    }

    #[test]
    fn terminals_open_and_close_and_replay() {
        let mut pg = Playground::tutorial(1);
        assert_eq!(pg.open_terminal(), Some(2));
        pg.run(2, "echo third");
        assert_eq!(pg.open_terminal(), Some(3));
        pg.run(3, "kubectl get pods -w");
        pg.run(1, "kubectl apply -f statefulset.yaml");
        assert!(pg.close_terminal(2));
        assert_eq!(pg.terminals.len(), 3);
        assert!(
            pg.terminals[2].is_busy(),
            "the fourth moved up, still watching"
        );
        assert!(!pg.close_terminal(3), "no such terminal");
        let restored = Playground::restore(&pg.save()).expect("replays");
        let screens = |p: &Playground| p.terminals.iter().map(Terminal::text).collect::<Vec<_>>();
        assert_eq!(screens(&restored), screens(&pg));
        assert_eq!(restored.terminals[2].history, ["kubectl get pods -w"]);

        while pg.terminals.len() < MAX_TERMINALS {
            pg.open_terminal();
        }
        assert_eq!(pg.open_terminal(), None);
        let mut one = Playground::new(1, 1, Mode::Interactive);
        assert!(!one.close_terminal(0), "the last terminal stays");
    }

    #[test]
    fn closing_a_terminal_ends_its_kubectl_edit_and_renumbers_the_others() {
        let mut pg = Playground::tutorial(1);
        pg.run(1, "kubectl apply -f statefulset.yaml");
        pg.settle();
        let (third, fourth) = (pg.open_terminal(), pg.open_terminal());
        assert_eq!((third, fourth), (Some(2), Some(3)));
        pg.run(2, "kubectl edit sts web");
        pg.run(3, "kubectl edit svc nginx");
        let buffers: Vec<String> = editing(&pg).into_iter().map(|(_, f)| f).collect();
        assert_eq!(buffers.len(), 2);
        assert!(pg.close_terminal(2));
        assert_eq!(
            editing(&pg),
            [(2, buffers[1].clone())],
            "the fourth terminal's edit, now the third's"
        );
        assert!(
            buffers.iter().all(|b| pg.files.contains_key(b)),
            "buffers stay files"
        );
        let restored = Playground::restore(&pg.save()).expect("replays");
        assert_eq!(editing(&restored), editing(&pg));
    }

    /// The terminals waiting for a `kubectl edit`, with the buffer's file.
    fn editing(pg: &Playground) -> Vec<(usize, String)> {
        pg.terminals
            .iter()
            .enumerate()
            .filter_map(|(i, t)| t.edit.as_ref().map(|(_, s)| (i, s.path.clone())))
            .collect()
    }

    #[test]
    fn clear_screen_keeps_history() {
        let mut playground = Playground::tutorial(1);
        playground.run(1, "ls");
        playground.clear_screen(1);
        assert!(playground.terminals[1].lines.is_empty());
        assert_eq!(playground.terminals[1].history, ["ls"]);
        playground.clear_screen(9);
    }

    #[test]
    fn sessions_in_containers_replay_from_the_journal() {
        let mut pg = Playground::tutorial(3);
        pg.run(1, "kubectl apply -f statefulset.yaml");
        pg.settle();
        for line in [
            "cat > x.yaml <<EOF",
            "a: $((1 + 1))",
            "EOF",
            "kubectl exec -it web-0 -- sh",
            "echo hi > /usr/share/nginx/html/index.html",
            "exit",
        ] {
            pg.run(1, line);
        }
        pg.run(
            1,
            "kubectl exec web-1 -- curl -s web-0.nginx; kubectl logs web-0",
        );
        let text = pg.terminals[1].text();
        assert!(
            text.contains("\nhi\n")
                && text.contains("\"GET / HTTP/1.1\" 200 3 \"-\" \"curl/7.47.0\""),
            "{text}"
        );
        let restored = Playground::restore(&pg.save()).expect("replays");
        let screens = |p: &Playground| p.terminals.iter().map(Terminal::text).collect::<Vec<_>>();
        assert_eq!(screens(&restored), screens(&pg));
        assert_eq!(restored.files["x.yaml"], "a: 2\n");
    }

    #[test]
    fn logs_follow_until_interrupted_and_sessions_end_with_their_pod() {
        let mut pg = Playground::new(1, 2, Mode::Interactive);
        pg.run(1, "kubectl apply -f statefulset.yaml");
        pg.settle();
        pg.run(0, "kubectl logs -f web-0");
        assert!(pg.terminals[0].is_busy());
        pg.run(1, "kubectl exec web-1 -- curl -s web-0.nginx > /dev/null");
        assert!(
            pg.terminals[0]
                .text()
                .ends_with("\"GET / HTTP/1.1\" 403 153 \"-\" \"curl/7.47.0\"\n"),
            "{}",
            pg.terminals[0].text()
        );
        pg.interrupt(0);
        assert!(!pg.terminals[0].is_busy());
        pg.run(0, "kubectl exec -it web-1 -- bash");
        assert_eq!(pg.prompt_of(0), "root@web-1:/# ");
        pg.run(1, "kubectl delete pod web-1 --wait=false");
        pg.settle();
        assert!(pg.terminals[0].session.is_none());
        assert!(pg.terminals[0]
            .text()
            .ends_with("command terminated with exit code 137\n"));
        assert_eq!(pg.prompt_of(0), "[default]$ ");
    }

    #[test]
    fn heredocs_collect_lines_and_write_files() {
        let mut pg = Playground::new(1, 1, Mode::Script);
        pg.run_script(
            "cat > web.yaml <<EOF\nkind: Service\n# a comment inside\n\nEOF\ncat web.yaml | wc -l",
        );
        assert_eq!(
            pg.files["web.yaml"],
            "kind: Service\n# a comment inside\n\n"
        );
        assert!(
            pg.terminals[0]
                .text()
                .ends_with("$ cat web.yaml | wc -l\n3\n"),
            "{}",
            pg.terminals[0].text()
        );
    }

    #[test]
    fn unfinished_input_is_reported_at_the_end() {
        let text = transcript("echo 'abc");
        assert!(text.contains("bash: unexpected EOF while looking for matching `''\nbash: syntax error: unexpected end of file"), "{text}");
        let text = transcript("cat <<EOF\nabc");
        assert!(text.contains("bash: warning: here-document at line 1 delimited by end-of-file (wanted `EOF')\nabc\n"), "{text}");
        let text = transcript("for i in 1 2; do echo $i");
        assert!(
            text.contains("syntax error: unexpected end of file"),
            "{text}"
        );
    }

    #[test]
    fn prompts_follow_the_terminal_state() {
        let mut pg = Playground::new(1, 1, Mode::Interactive);
        assert_eq!(pg.prompt_of(0), "[default]$ ");
        pg.run(0, "for i in 1 2");
        assert_eq!(pg.prompt_of(0), "> ");
        pg.interrupt(0);
        assert_eq!(pg.prompt_of(0), "[default]$ ");
        assert!(pg.terminals[0].text().ends_with("^C\n"));
    }

    #[test]
    fn output_without_newline_continues_the_line() {
        let text = transcript("echo -n a; echo -n b; echo c");
        assert!(
            text.ends_with("$ echo -n a; echo -n b; echo c\nabc\n"),
            "{text}"
        );
    }

    #[test]
    fn runaway_input_is_bounded() {
        let mut pg = Playground::new(1, 1, Mode::Interactive);
        pg.run(0, "cat <<EOF");
        for _ in 0..MAX_PENDING_LINES + 1 {
            pg.run(0, "line");
        }
        assert!(pg.terminals[0].pending.is_empty());
        assert!(pg.terminals[0].text().contains("command abandoned after"));
    }
}
