//! A playground session: the cluster, the editor's files and the terminals.
//! The web UI and the native transcript runner both drive the cluster
//! through this type, so they print the same thing for the same input.

use std::collections::BTreeMap;

use crate::kubectl::{self, Context, Watch};
use crate::shell::{self, Joiner};
use crate::sim::clock::{Millis, MINUTE, SECOND};
use crate::sim::Cluster;

mod journal;
mod overview;
mod snapshot;
mod timeline;
pub use journal::{Input, Journal, SAVE_FORMAT};
pub use overview::{ClaimCard, Health, NodeCard, Overview, PodCard, ServiceCard, SetCard};
pub use snapshot::clock_label;
pub use timeline::{Timeline, TIMELINE_LIMIT};

/// The seed tutorial's manifest: a headless Service and a 2-replica StatefulSet.
pub const SEED_YAML: &str = include_str!("playground/seed.yaml");
pub const SEED_FILE: &str = "statefulset.yaml";
/// What the first terminal runs when a playground opens, as in the tutorial.
pub const WATCH_COMMAND: &str = "kubectl get pods --watch -l app=nginx";

/// How long blocking commands (a watch in a script, `sleep`) may run the clock.
const SCRIPT_WATCH_LIMIT: Millis = 10 * MINUTE;
const SLEEP_LIMIT: Millis = 24 * 60 * MINUTE;

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

#[derive(Clone, Debug, Default)]
pub struct Terminal {
    pub lines: Vec<Line>,
    pub history: Vec<String>,
    /// A running `--watch`, and the command that started it.
    pub watch: Option<(String, Watch)>,
}

impl Terminal {
    fn push(&mut self, kind: LineKind, text: &str) {
        for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
            self.lines.push(Line {
                kind,
                text: line.to_string(),
            });
        }
    }

    pub fn text(&self) -> String {
        self.lines.iter().map(|l| format!("{}\n", l.text)).collect()
    }

    pub fn is_busy(&self) -> bool {
        self.watch.is_some()
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
    pub namespace: String,
    pub mode: Mode,
    /// Every input so far, for replaying the session (see [`Playground::save`]).
    pub journal: Journal,
}

impl Playground {
    /// An empty cluster, the seed file, and `terminals` terminals.
    pub fn new(seed: u64, terminals: usize, mode: Mode) -> Playground {
        let mut files = BTreeMap::new();
        files.insert(SEED_FILE.to_string(), SEED_YAML.to_string());
        Playground {
            seed,
            cluster: Cluster::new(seed),
            journal: Journal::starting_with(&files),
            files,
            terminals: vec![Terminal::default(); terminals.max(1)],
            namespace: "default".to_string(),
            mode,
        }
    }

    /// The seed's two-terminal setup: a watch in the first, a prompt in the second.
    pub fn tutorial(seed: u64) -> Playground {
        let mut playground = Playground::new(seed, 2, Mode::Interactive);
        playground.run(0, WATCH_COMMAND);
        playground
    }

    pub fn prompt(&self) -> String {
        format!("[{}]$ ", self.namespace)
    }

    /// Runs one terminal line; returns the exit status of its last command.
    pub fn run(&mut self, terminal: usize, line: &str) -> i32 {
        let Some(term) = self.terminals.get_mut(terminal) else {
            return 1;
        };
        self.journal.files(&self.files);
        self.journal.push(Input::Run {
            terminal,
            line: line.to_string(),
        });
        let line = line.trim_end();
        term.push(LineKind::Prompt, &format!("$ {line}"));
        if !line.trim().is_empty() {
            term.history.push(line.to_string());
        }
        let commands = match shell::parse(line) {
            Ok(c) => c,
            Err(err) => {
                term.push(LineKind::Err, &format!("bash: {err}"));
                return 2;
            }
        };
        let mut status = 0;
        let mut skip = false;
        for command in commands {
            if !skip {
                status = self.command(terminal, &command.words);
            }
            skip = match command.then {
                Joiner::Then => false,
                Joiner::And => status != 0,
                Joiner::Or => status == 0,
            };
        }
        self.pump();
        status
    }

    fn command(&mut self, terminal: usize, words: &[String]) -> i32 {
        let Some((program, args)) = words.split_first() else {
            return 0;
        };
        match program.as_str() {
            "kubectl" | "k" => self.kubectl(terminal, args),
            "sleep" => match args.first().and_then(|a| parse_seconds(a)) {
                Some(ms) => {
                    self.cluster.advance(ms.min(SLEEP_LIMIT));
                    0
                }
                None => self.fail(terminal, "sleep: invalid time interval"),
            },
            "echo" => {
                self.print(terminal, LineKind::Out, &format!("{}\n", args.join(" ")));
                0
            }
            "clear" => {
                // Not clear_screen: the journal already holds this command line.
                self.terminals[terminal].lines.clear();
                0
            }
            "ls" => {
                let names = self.files.keys().cloned().collect::<Vec<_>>().join("  ");
                self.print(terminal, LineKind::Out, &format!("{names}\n"));
                0
            }
            "cat" => {
                let mut status = 0;
                for name in args {
                    match self.files.get(name.strip_prefix("./").unwrap_or(name)).cloned() {
                        Some(text) => self.print(terminal, LineKind::Out, &text),
                        None => status = self.fail(terminal, &format!("cat: {name}: No such file or directory")),
                    }
                }
                status
            }
            "history" => {
                let text: String = self.terminals[terminal]
                    .history
                    .iter()
                    .enumerate()
                    .map(|(i, h)| format!("{:>5}  {h}\n", i + 1))
                    .collect();
                self.print(terminal, LineKind::Out, &text);
                0
            }
            "help" => {
                self.print(terminal, LineKind::Out, HELP);
                0
            }
            other => self.fail(
                terminal,
                &format!("bash: {other}: command not found\n(this playground runs kubectl, sleep, echo, ls, cat, clear, history and help)"),
            ),
        }
    }

    fn print(&mut self, terminal: usize, kind: LineKind, text: &str) {
        if !text.is_empty() {
            self.terminals[terminal].push(kind, text);
        }
    }

    fn fail(&mut self, terminal: usize, text: &str) -> i32 {
        self.print(terminal, LineKind::Err, text);
        1
    }

    fn kubectl(&mut self, terminal: usize, args: &[String]) -> i32 {
        let ctx = Context {
            namespace: &self.namespace,
            files: &self.files,
            stdin: None,
        };
        let invocation = kubectl::run(&mut self.cluster, &ctx, args);
        let output = invocation.output;
        // Other terminals' watches see this command's changes before its own output.
        self.pump();
        for (stream, text) in output.chunks() {
            let kind = match stream {
                kubectl::output::Stream::Out => LineKind::Out,
                kubectl::output::Stream::Err => LineKind::Err,
            };
            self.print(terminal, kind, &text);
        }
        if let Some(mut watch) = invocation.watch {
            match self.mode {
                Mode::Interactive => {
                    self.terminals[terminal].watch =
                        Some((format!("kubectl {}", args.join(" ")), watch));
                }
                Mode::Script => {
                    let deadline = self.cluster.now() + SCRIPT_WATCH_LIMIT;
                    while self.cluster.next_due().is_some_and(|t| t <= deadline) {
                        self.cluster.run_next_task();
                    }
                    let rows = watch.poll(&self.cluster);
                    self.print(terminal, LineKind::Out, &rows);
                }
            }
        }
        output.code
    }

    /// Ctrl+C: ends a running watch.
    pub fn interrupt(&mut self, terminal: usize) {
        if let Some(term) = self.terminals.get_mut(terminal) {
            self.journal.push(Input::Interrupt { terminal });
            if term.watch.take().is_some() {
                term.push(LineKind::Prompt, "^C");
            }
        }
    }

    /// Ctrl+L, or `clear`: empties a terminal's screen (not its history).
    pub fn clear_screen(&mut self, terminal: usize) {
        if let Some(term) = self.terminals.get_mut(terminal) {
            self.journal.push(Input::Clear { terminal });
            term.lines.clear();
        }
    }

    /// Runs a line as [`Playground::run`] does and returns what it printed
    /// (stdout and stderr, without the echoed prompt), for scripting.
    pub fn exec(&mut self, terminal: usize, line: &str) -> String {
        let Some(before) = self.terminals.get(terminal).map(|t| t.lines.len()) else {
            return format!("no terminal {terminal}\n");
        };
        self.run(terminal, line);
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
        let free = |i: &usize| self.terminals.get(*i).is_some_and(|t| !t.is_busy());
        Some(preferred)
            .filter(free)
            .or_else(|| (0..self.terminals.len()).find(free))
    }

    /// Moves every running watch forward to the cluster's present.
    pub fn pump(&mut self) {
        for term in &mut self.terminals {
            if let Some((_, watch)) = term.watch.as_mut() {
                let rows = watch.poll(&self.cluster);
                if !rows.is_empty() {
                    term.push(LineKind::Out, &rows);
                }
            }
        }
    }

    /// The next visible change in the cluster. False when nothing is pending.
    pub fn step(&mut self) -> bool {
        self.journal.push(Input::Step);
        let stepped = self.cluster.step();
        self.pump();
        stepped
    }

    pub fn advance(&mut self, by: Millis) {
        let changes = self.cluster.store().log().len();
        self.cluster.advance(by);
        self.pump();
        let quiet = self.cluster.store().log().len() == changes;
        self.journal.advance(by, quiet);
    }

    /// Runs until nothing is pending, within a bound; true if it settled.
    pub fn settle(&mut self) -> bool {
        self.journal.push(Input::Settle);
        let settled = self.cluster.run_until_settled(SCRIPT_WATCH_LIMIT);
        self.pump();
        settled
    }

    /// Runs a script of terminal lines and returns its transcript: each line
    /// as `$ <line>` followed by what it printed.
    pub fn run_script(&mut self, script: &str) -> String {
        for line in script.lines() {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            self.run(0, line);
        }
        self.terminals[0].text()
    }
}

/// `5`, `5s`, `1.5`, `2m`, `1h`: sleep's duration syntax.
fn parse_seconds(text: &str) -> Option<Millis> {
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
    Some((value * scale * SECOND as f64) as Millis)
}

const HELP: &str = "This terminal is a small shell around a simulated Kubernetes 1.34 cluster.
  kubectl ...          apply, create, get [-w], describe, delete, scale, patch, label,
                       annotate, set image, rollout, wait, events, explain, cordon,
                       uncordon, drain, api-resources, version, cluster-info
  sleep N              let N seconds of virtual time pass
  echo, ls, cat FILE   files are the editor's tabs
  clear, history, help
Separate commands with ;, && or ||. Ctrl+C stops a watch.
";

#[cfg(test)]
mod tests {
    use super::*;

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
    fn clear_screen_keeps_history() {
        let mut playground = Playground::tutorial(1);
        playground.run(1, "ls");
        playground.clear_screen(1);
        assert!(playground.terminals[1].lines.is_empty());
        assert_eq!(playground.terminals[1].history, ["ls"]);
        playground.clear_screen(9);
    }

    #[test]
    fn sleep_durations() {
        assert_eq!(parse_seconds("5"), Some(5_000));
        assert_eq!(parse_seconds("1.5s"), Some(1_500));
        assert_eq!(parse_seconds("2m"), Some(120_000));
        assert_eq!(parse_seconds("x"), None);
        assert_eq!(parse_seconds("-1"), None);
    }
}
