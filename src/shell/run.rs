//! Running parsed commands: lists, pipelines, loops, redirections,
//! assignments and the builtins every shell has.

use std::collections::{BTreeMap, BTreeSet};

use super::ast::{
    AndOr, Command, Item, Joiner, Part, Pipeline, Redirect, RedirectOp, Script, Simple, Word,
};
use super::{builtins, cond, expand};
use super::{
    parse, quote_word, Chunk, Host, Io, Problem, Sink, MAX_COMMANDS, MAX_LOOP_ITERATIONS,
    MAX_NESTING,
};

/// How a command list ended, besides its status in [`Shell::status`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Go on with the next command.
    Next,
    /// `exit N`: leave this shell.
    Exit(i32),
    /// `break` / `continue` in the innermost loop.
    Break,
    Continue,
    /// An error that ends this shell's run (already reported).
    Abort,
    /// The host stopped everything (a watch took the terminal, a process blocked).
    Stop,
}

/// What `set -e`, `-u`, `-x` and `-o pipefail` turn on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// `-e`: a command that fails, unless something tests it, ends the shell.
    pub errexit: bool,
    /// `-u`: expanding an unset variable is an error.
    pub nounset: bool,
    /// `-x`: each command is written to stderr, expanded, before it runs.
    pub xtrace: bool,
    /// A pipeline fails when any of its commands does, not just the last.
    pub pipefail: bool,
}

impl Options {
    /// The simulated options, by their `set -o` names.
    pub const NAMES: [&str; 4] = ["errexit", "nounset", "pipefail", "xtrace"];

    /// The option `set -o NAME` names, if the playground has it.
    pub fn named(&mut self, name: &str) -> Option<&mut bool> {
        match name {
            "errexit" => Some(&mut self.errexit),
            "nounset" => Some(&mut self.nounset),
            "xtrace" => Some(&mut self.xtrace),
            "pipefail" => Some(&mut self.pipefail),
            _ => None,
        }
    }

    /// Whether the option `set -o NAME` names is on (`[[ -o NAME ]]`).
    pub fn is_on(mut self, name: &str) -> bool {
        self.named(name).is_some_and(|on| *on)
    }
}

/// One shell process: its variables, positional parameters, directory and last status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shell {
    pub vars: BTreeMap<String, String>,
    /// Indexed arrays (bash's `BASH_REMATCH`); a name is in `vars` or here, not both.
    arrays: BTreeMap<String, Vec<String>>,
    pub exported: BTreeSet<String>,
    pub options: Options,
    /// `$?`
    pub status: i32,
    /// `$0`, `$1`, …
    pub args: Vec<String>,
    pub cwd: String,
    /// `$$`
    pub pid: u32,
    depth: usize,
    commands_left: usize,
    /// Command substitutions run so far, to tell whether `x=$(…)` ran one.
    substitutions: u64,
    /// Command substitutions this shell runs in: `set -x` writes one more `+` for each.
    trace_depth: usize,
}

impl Shell {
    pub fn new(name: &str, cwd: &str) -> Shell {
        Shell {
            vars: BTreeMap::new(),
            arrays: BTreeMap::new(),
            exported: BTreeSet::new(),
            options: Options::default(),
            status: 0,
            args: vec![name.to_string()],
            cwd: cwd.to_string(),
            pid: 1,
            depth: 0,
            commands_left: MAX_COMMANDS,
            substitutions: 0,
            trace_depth: 0,
        }
    }

    /// Starts a new command line: the per-line budget of commands is refilled.
    pub fn new_line(&mut self) {
        self.commands_left = MAX_COMMANDS;
    }

    /// A variable or special parameter (`?`, `$`, `#`, `0`…`9`, `@`, `*`).
    pub fn var(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some(self.pid.to_string()),
            "#" => Some(self.args.len().saturating_sub(1).to_string()),
            "@" | "*" => Some(
                self.args
                    .iter()
                    .skip(1)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            "!" | "-" => Some(String::new()),
            n if n.bytes().all(|b| b.is_ascii_digit()) => n
                .parse::<usize>()
                .ok()
                .and_then(|i| self.args.get(i).cloned()),
            n => self
                .vars
                .get(n)
                .or_else(|| self.arrays.get(n).and_then(|a| a.first()))
                .cloned(),
        }
    }

    /// Sets a variable; for an array, its first element, as bash does.
    pub fn set(&mut self, name: &str, value: &str) {
        match self.arrays.get_mut(name) {
            Some(array) if array.is_empty() => array.push(value.to_string()),
            Some(array) => array[0] = value.to_string(),
            None => {
                self.vars.insert(name.to_string(), value.to_string());
            }
        }
    }

    pub fn unset(&mut self, name: &str) {
        self.vars.remove(name);
        self.arrays.remove(name);
        self.exported.remove(name);
    }

    pub(super) fn set_array(&mut self, name: &str, values: Vec<String>) {
        self.vars.remove(name);
        self.arrays.insert(name.to_string(), values);
    }

    /// `${name[@]}`: an array's elements, a set variable's value alone, or
    /// the positional parameters for `@` and `*`.
    pub(super) fn elements(&self, name: &str) -> Vec<String> {
        match name {
            "@" | "*" => self.args.iter().skip(1).cloned().collect(),
            _ => match self.arrays.get(name) {
                Some(array) => array.clone(),
                None => self.var(name).into_iter().collect(),
            },
        }
    }

    /// `${name[index]}`, a negative index counting from the end; a variable
    /// that is not an array is its element 0.
    pub(super) fn element(&self, name: &str, index: i64) -> Option<String> {
        let elements = self.elements(name);
        let offset = usize::try_from(index.unsigned_abs()).ok()?;
        let index = if index < 0 {
            elements.len().checked_sub(offset)?
        } else {
            offset
        };
        elements.get(index).cloned()
    }

    /// Variables and arrays as `set` lists them.
    pub(super) fn listing(&self) -> Vec<String> {
        let mut lines: Vec<(String, String)> = self
            .vars
            .iter()
            .map(|(name, value)| (name.clone(), format!("{name}={}", quote_word(value))))
            .collect();
        for (name, array) in &self.arrays {
            let items: Vec<String> = array
                .iter()
                .enumerate()
                .map(|(i, v)| format!("[{i}]=\"{}\"", expand::escape(v, "\"\\$`")))
                .collect();
            lines.push((name.clone(), format!("{name}=({})", items.join(" "))));
        }
        lines.sort();
        lines.into_iter().map(|(_, line)| line).collect()
    }

    pub fn export(&mut self, name: &str, value: &str) {
        self.set(name, value);
        self.exported.insert(name.to_string());
    }

    /// Exported variables, as `env` prints them.
    pub fn environment(&self) -> Vec<(String, String)> {
        self.exported
            .iter()
            .filter_map(|name| self.vars.get(name).map(|v| (name.clone(), v.clone())))
            .collect()
    }

    /// A new shell process started from this one (`sh -c …`): it inherits
    /// exported variables and the directory, one nesting level deeper.
    pub fn child(&self, args: Vec<String>) -> Result<Shell, String> {
        let mut child = self.subshell()?;
        child.vars.retain(|k, _| self.exported.contains(k));
        child.arrays.clear();
        child.options = Options::default();
        child.trace_depth = 0;
        child.args = args;
        child.status = 0;
        child.pid = self.pid + 1;
        Ok(child)
    }

    /// A copy of this shell for `( … )` and `$( … )`.
    fn subshell(&self) -> Result<Shell, String> {
        if self.depth + 1 > MAX_NESTING {
            return Err(format!(
                "shells nested too deeply (the playground allows {MAX_NESTING} levels)"
            ));
        }
        let mut copy = self.clone();
        copy.depth += 1;
        Ok(copy)
    }

    /// Takes back what a child used of the command budget.
    pub fn reclaim(&mut self, child: &Shell) {
        self.commands_left = self.commands_left.min(child.commands_left);
    }

    /// Commands this command line may still run.
    pub fn budget(&self) -> usize {
        self.commands_left
    }

    /// Shares a budget with a shell started elsewhere (a container's shell
    /// that this one's kubectl exec started).
    pub fn set_budget(&mut self, commands: usize) {
        self.commands_left = commands;
    }
}

/// Parses and runs `text` as a complete script (`sh -c TEXT`).
pub fn run_text(
    shell: &mut Shell,
    host: &mut dyn Host,
    text: &str,
    stdin: Option<String>,
    sink: &mut Sink,
) -> Flow {
    match parse(text, true) {
        Ok(parsed) => {
            for warning in parsed.warnings {
                sink.err_line(format!("{}: {warning}", host.shell_name()));
            }
            run_with_stdin(shell, host, &parsed.script, stdin, sink)
        }
        Err(Problem::Syntax(message) | Problem::Incomplete(message)) => {
            sink.err_line(format!("{}: {message}", host.shell_name()));
            shell.status = 2;
            Flow::Abort
        }
    }
}

/// Runs a parsed script; the status is left in `shell.status`.
pub fn run_script(
    shell: &mut Shell,
    host: &mut dyn Host,
    script: &Script,
    sink: &mut Sink,
) -> Flow {
    run_with_stdin(shell, host, script, None, sink)
}

/// Runs a program with its arguments exactly as given, with no shell
/// syntax: how `kubectl exec` and a container's start run a command.
pub fn run_argv(
    shell: &mut Shell,
    host: &mut dyn Host,
    argv: &[String],
    stdin: Option<String>,
    sink: &mut Sink,
) -> i32 {
    let words = argv
        .iter()
        .map(|a| Word(vec![Part::Quoted(a.clone())]))
        .collect();
    let command = Command::Simple(Simple {
        assigns: Vec::new(),
        words,
        redirects: Vec::new(),
    });
    let pipeline = Pipeline {
        negate: false,
        commands: vec![command],
    };
    let script = Script {
        items: vec![Item {
            list: AndOr {
                first: pipeline,
                rest: Vec::new(),
            },
            background: false,
        }],
    };
    match run_with_stdin(shell, host, &script, stdin, sink) {
        Flow::Exit(code) => code,
        _ => shell.status,
    }
}

fn run_with_stdin(
    shell: &mut Shell,
    host: &mut dyn Host,
    script: &Script,
    stdin: Option<String>,
    sink: &mut Sink,
) -> Flow {
    let mut ctx = Ctx {
        stdin,
        captured: false,
        background: false,
        tested: false,
    };
    list(shell, host, script, &mut ctx, sink)
}

/// The surroundings a command runs in.
#[derive(Clone, Debug)]
pub(super) struct Ctx {
    pub stdin: Option<String>,
    pub captured: bool,
    pub background: bool,
    /// Its status is tested (`if`, `while`, `!`, before `&&` or `||`), so
    /// `set -e` lets it fail.
    pub tested: bool,
}

fn list(
    shell: &mut Shell,
    host: &mut dyn Host,
    script: &Script,
    ctx: &mut Ctx,
    sink: &mut Sink,
) -> Flow {
    in_turn(&script.items, |item| {
        let mut item_ctx = ctx.clone();
        if item.background {
            if !host.background_allowed(sink) {
                shell.status = 1;
                return Flow::Next;
            }
            item_ctx.background = true;
        }
        and_or(shell, host, &item.list, &mut item_ctx, sink)
    })
}

/// `a && b || c`: the first pipeline always runs, each later one as its joiner and `$?` say.
/// Under `set -e` the shell exits when the last pipeline ran and failed,
/// unless something tests the list or that pipeline is negated.
fn and_or(
    shell: &mut Shell,
    host: &mut dyn Host,
    list: &AndOr,
    ctx: &mut Ctx,
    sink: &mut Sink,
) -> Flow {
    let last = list.rest.len();
    let rest = list.rest.iter().map(|(joiner, next)| (Some(joiner), next));
    let mut untested_ran = false;
    let flow = in_turn(
        std::iter::once((None, &list.first)).chain(rest).enumerate(),
        |(i, (joiner, next))| {
            let run = match joiner {
                None => true,
                Some(Joiner::And) => shell.status == 0,
                Some(Joiner::Or) => shell.status != 0,
            };
            if !run {
                return Flow::Next;
            }
            let tested = ctx.tested;
            ctx.tested |= i < last || next.negate;
            untested_ran = !ctx.tested;
            let flow = pipeline(shell, host, next, ctx, sink);
            ctx.tested = tested;
            flow
        },
    );
    if flow == Flow::Next && untested_ran && shell.status != 0 && shell.options.errexit {
        return Flow::Exit(shell.status);
    }
    flow
}

/// Runs `step` on each item in order; the first flow other than `Next` ends the sequence.
fn in_turn<T>(items: impl IntoIterator<Item = T>, mut step: impl FnMut(T) -> Flow) -> Flow {
    for item in items {
        let flow = step(item);
        if flow != Flow::Next {
            return flow;
        }
    }
    Flow::Next
}

fn pipeline(
    shell: &mut Shell,
    host: &mut dyn Host,
    pipeline: &Pipeline,
    ctx: &mut Ctx,
    sink: &mut Sink,
) -> Flow {
    let mut stdin = ctx.stdin.clone();
    let last = pipeline.commands.len().saturating_sub(1);
    // The rightmost failure, for `set -o pipefail`.
    let mut failure = 0;
    for (i, command) in pipeline.commands.iter().enumerate() {
        let mut stage = Ctx {
            stdin: stdin.take(),
            captured: ctx.captured || i < last,
            background: ctx.background,
            tested: ctx.tested,
        };
        let flow = if i < last {
            let mut piped = Sink::default();
            let flow = command_flow(shell, host, command, &mut stage, &mut piped);
            let (out, err) = split(piped);
            sink.extend(err);
            stdin = Some(out);
            flow
        } else {
            command_flow(shell, host, command, &mut stage, sink)
        };
        match flow {
            Flow::Next => {}
            // `exit` inside a pipeline only ends that pipeline's subshell.
            Flow::Exit(code) if last > 0 => shell.status = code,
            other => return other,
        }
        if shell.status != 0 {
            failure = shell.status;
        }
    }
    if shell.options.pipefail {
        shell.status = failure;
    }
    if pipeline.negate {
        shell.status = i32::from(shell.status == 0);
    }
    Flow::Next
}

/// Separates a piped command's stdout (the next stage's stdin) from what goes on to the terminal.
fn split(piped: Sink) -> (String, Sink) {
    let mut out = String::new();
    let mut rest = Sink::default();
    for chunk in piped.chunks {
        match chunk {
            Chunk::Out(s) => out.push_str(&s),
            other => rest.chunks.push(other),
        }
    }
    rest.overflowed = piped.overflowed;
    rest.notes = piped.notes;
    (out, rest)
}

fn command_flow(
    shell: &mut Shell,
    host: &mut dyn Host,
    command: &Command,
    ctx: &mut Ctx,
    sink: &mut Sink,
) -> Flow {
    let redirects: &[Redirect] = match command {
        // A simple command applies its own redirections, after its assignments.
        Command::Simple(_) => &[],
        Command::For { redirects, .. }
        | Command::While { redirects, .. }
        | Command::If { redirects, .. }
        | Command::Group { redirects, .. }
        | Command::Cond { redirects, .. } => redirects,
    };
    with_redirects(
        shell,
        host,
        redirects,
        ctx,
        sink,
        |shell, host, ctx, sink| match command {
            Command::Simple(simple) => simple_command(shell, host, simple, ctx, sink),
            Command::For {
                var, words, body, ..
            } => for_loop(shell, host, var, words.as_deref(), body, ctx, sink),
            Command::While {
                cond, body, until, ..
            } => while_loop(shell, host, cond, body, *until, ctx, sink),
            Command::If {
                branches,
                otherwise,
                ..
            } => if_chain(shell, host, branches, otherwise.as_ref(), ctx, sink),
            Command::Group { body, subshell, .. } => group(shell, host, body, *subshell, ctx, sink),
            Command::Cond { expr, .. } => match spend(shell, host, sink) {
                Some(flow) => flow,
                None => cond::run(shell, host, expr, sink),
            },
        },
    )
}

fn for_loop(
    shell: &mut Shell,
    host: &mut dyn Host,
    var: &str,
    words: Option<&[Word]>,
    body: &Script,
    ctx: &mut Ctx,
    sink: &mut Sink,
) -> Flow {
    let items = match words {
        Some(words) => match expand::words(shell, host, words, sink) {
            Ok(items) => items,
            Err(flow) => return flow,
        },
        None => shell.args.iter().skip(1).cloned().collect(),
    };
    shell.status = 0;
    if items.len() > MAX_LOOP_ITERATIONS {
        return limit(shell, host, sink, &format!("for: {} items is more than the playground's limit of {MAX_LOOP_ITERATIONS} loop iterations", items.len()));
    }
    for item in &items {
        trace(shell, sink, || {
            let words: Vec<String> = items.iter().map(|i| quote_word(i)).collect();
            format!("for {var} in {}", words.join(" "))
        });
        shell.set(var, item);
        match list(shell, host, body, ctx, sink) {
            Flow::Next | Flow::Continue => {}
            Flow::Break => break,
            other => return other,
        }
    }
    Flow::Next
}

/// `while` (or, with `until`, its negation).
fn while_loop(
    shell: &mut Shell,
    host: &mut dyn Host,
    cond: &Script,
    body: &Script,
    until: bool,
    ctx: &mut Ctx,
    sink: &mut Sink,
) -> Flow {
    let mut body_status = 0;
    for _ in 0..MAX_LOOP_ITERATIONS {
        let flow = tested(shell, host, cond, ctx, sink);
        if flow != Flow::Next {
            return flow;
        }
        if (shell.status == 0) == until {
            shell.status = body_status;
            return Flow::Next;
        }
        match list(shell, host, body, ctx, sink) {
            Flow::Next | Flow::Continue => body_status = shell.status,
            Flow::Break => {
                shell.status = 0;
                return Flow::Next;
            }
            other => return other,
        }
    }
    let name = if until { "until" } else { "while" };
    limit(
        shell,
        host,
        sink,
        &format!(
            "{name}: loop stopped after {MAX_LOOP_ITERATIONS} iterations (the playground's limit)"
        ),
    )
}

/// `if … elif … else … fi`
fn if_chain(
    shell: &mut Shell,
    host: &mut dyn Host,
    branches: &[(Script, Script)],
    otherwise: Option<&Script>,
    ctx: &mut Ctx,
    sink: &mut Sink,
) -> Flow {
    for (cond, body) in branches {
        let flow = tested(shell, host, cond, ctx, sink);
        if flow != Flow::Next {
            return flow;
        }
        if shell.status == 0 {
            return list(shell, host, body, ctx, sink);
        }
    }
    shell.status = 0;
    match otherwise {
        Some(body) => list(shell, host, body, ctx, sink),
        None => Flow::Next,
    }
}

/// Runs a condition (of `if`, `while`), whose failure `set -e` lets pass.
fn tested(
    shell: &mut Shell,
    host: &mut dyn Host,
    cond: &Script,
    ctx: &mut Ctx,
    sink: &mut Sink,
) -> Flow {
    let mut cond_ctx = ctx.clone();
    cond_ctx.tested = true;
    list(shell, host, cond, &mut cond_ctx, sink)
}

/// `set -x`: writes a command as it runs to stderr, after `+ ` (a `+` more
/// for each command substitution it runs in).
pub(super) fn trace(shell: &Shell, sink: &mut Sink, line: impl FnOnce() -> String) {
    if shell.options.xtrace {
        sink.err(format!(
            "{} {}\n",
            "+".repeat(shell.trace_depth + 1),
            line()
        ));
    }
}

/// `{ …; }` runs in this shell, `( … )` in a subshell whose changes are dropped.
fn group(
    shell: &mut Shell,
    host: &mut dyn Host,
    body: &Script,
    subshell: bool,
    ctx: &mut Ctx,
    sink: &mut Sink,
) -> Flow {
    if !subshell {
        return list(shell, host, body, ctx, sink);
    }
    let mut sub = match shell.subshell() {
        Ok(sub) => sub,
        Err(message) => return limit(shell, host, sink, &message),
    };
    let flow = list(&mut sub, host, body, ctx, sink);
    shell.status = match flow {
        Flow::Exit(code) => code,
        _ => sub.status,
    };
    shell.reclaim(&sub);
    match flow {
        Flow::Stop | Flow::Abort => flow,
        _ => Flow::Next,
    }
}

/// Reports a broken limit and ends the run.
fn limit(shell: &mut Shell, host: &mut dyn Host, sink: &mut Sink, message: &str) -> Flow {
    sink.note(format!("{}: {message}", host.shell_name()));
    shell.status = 1;
    Flow::Abort
}

/// Where one of stdout/stderr goes after redirections.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    Out,
    Err,
    Null,
    /// Index into the files being written.
    File(usize),
}

struct Redirected {
    stdin: Option<String>,
    stdout: Target,
    stderr: Target,
    /// (path, append, text)
    files: Vec<(String, bool, String)>,
}

/// Applies redirections in order, as `>f 2>&1` and `2>&1 >f` differ.
fn redirections(
    shell: &mut Shell,
    host: &mut dyn Host,
    redirects: &[Redirect],
    ctx: &Ctx,
    sink: &mut Sink,
) -> Result<Redirected, Flow> {
    let mut r = Redirected {
        stdin: ctx.stdin.clone(),
        stdout: Target::Out,
        stderr: Target::Err,
        files: Vec::new(),
    };
    for redirect in redirects {
        let file_target = |path: String, append: bool, r: &mut Redirected| {
            if path == "/dev/null" {
                Target::Null
            } else if path == "/dev/stderr" {
                Target::Err
            } else if path == "/dev/stdout" {
                Target::Out
            } else {
                r.files.push((path, append, String::new()));
                Target::File(r.files.len() - 1)
            }
        };
        let target = match &redirect.op {
            RedirectOp::Write(word) | RedirectOp::Append(word) | RedirectOp::Both(word) => {
                let path = expand::word(shell, host, word, sink)?;
                let append = matches!(redirect.op, RedirectOp::Append(_));
                let target = file_target(path, append, &mut r);
                if matches!(redirect.op, RedirectOp::Both(_)) {
                    r.stderr = target.clone();
                }
                target
            }
            RedirectOp::Dup(to) => match to {
                1 => r.stdout.clone(),
                2 => r.stderr.clone(),
                _ => continue,
            },
            RedirectOp::Read(word) => {
                let path = expand::word(shell, host, word, sink)?;
                match read_input(shell, host, &path) {
                    Ok(text) => r.stdin = Some(text),
                    Err(err) => {
                        sink.err_line(format!("{}: {path}: {err}", host.shell_name()));
                        shell.status = 1;
                        return Err(Flow::Next);
                    }
                }
                continue;
            }
            RedirectOp::Heredoc { body, .. } => {
                r.stdin = Some(expand::word(shell, host, body, sink)?);
                continue;
            }
            RedirectOp::HereString(word) => {
                r.stdin = Some(format!("{}\n", expand::word(shell, host, word, sink)?));
                continue;
            }
        };
        match redirect.fd {
            1 => r.stdout = target,
            2 => r.stderr = target,
            _ => {}
        }
    }
    // Files are created (or truncated) before the command runs, as the shell opens them.
    for (path, append, _) in &r.files {
        if let Err(err) = host.write_file(shell, path, "", *append) {
            sink.err_line(format!("{}: {path}: {err}", host.shell_name()));
            shell.status = 1;
            return Err(Flow::Next);
        }
    }
    Ok(r)
}

/// A file a command reads (`< FILE`, `$(< FILE)`).
fn read_input(shell: &Shell, host: &mut dyn Host, path: &str) -> Result<String, String> {
    if path == "/dev/null" {
        Ok(String::new())
    } else {
        host.read_file(shell, path)
    }
}

/// Runs `body` with its output routed by `redirects`.
fn with_redirects(
    shell: &mut Shell,
    host: &mut dyn Host,
    redirects: &[Redirect],
    ctx: &mut Ctx,
    sink: &mut Sink,
    body: impl FnOnce(&mut Shell, &mut dyn Host, &mut Ctx, &mut Sink) -> Flow,
) -> Flow {
    if redirects.is_empty() {
        return body(shell, host, ctx, sink);
    }
    let mut r = match redirections(shell, host, redirects, ctx, sink) {
        Ok(r) => r,
        Err(flow) => return flow,
    };
    let mut inner_ctx = Ctx {
        stdin: r.stdin.take(),
        captured: ctx.captured || r.stdout != Target::Out,
        background: ctx.background,
        tested: ctx.tested,
    };
    let mut inner = Sink::default();
    let flow = body(shell, host, &mut inner_ctx, &mut inner);
    route(shell, host, inner, &mut r, sink);
    flow
}

/// Sends a command's output where its redirections say.
fn route(shell: &mut Shell, host: &mut dyn Host, inner: Sink, r: &mut Redirected, sink: &mut Sink) {
    sink.overflowed |= inner.overflowed;
    sink.notes.extend(inner.notes);
    for chunk in inner.chunks {
        let (target, text) = match chunk {
            Chunk::Out(text) => (&r.stdout, text),
            Chunk::Err(text) => (&r.stderr, text),
            Chunk::Clear => {
                sink.clear_screen();
                continue;
            }
        };
        match target {
            Target::Out => sink.out(text),
            Target::Err => sink.err(text),
            Target::Null => {}
            Target::File(i) => {
                if let Some(file) = r.files.get_mut(*i) {
                    file.2.push_str(&text);
                }
            }
        }
    }
    for (path, _, text) in &r.files {
        if !text.is_empty() {
            if let Err(err) = host.write_file(shell, path, text, true) {
                sink.err_line(format!("{}: {path}: {err}", host.shell_name()));
                shell.status = 1;
            }
        }
    }
}

fn simple_command(
    shell: &mut Shell,
    host: &mut dyn Host,
    simple: &Simple,
    ctx: &mut Ctx,
    sink: &mut Sink,
) -> Flow {
    if let Some(flow) = spend(shell, host, sink) {
        return flow;
    }
    let substitutions = shell.substitutions;
    let argv = match expand::words(shell, host, &simple.words, sink) {
        Ok(argv) => argv,
        Err(flow) => return flow,
    };
    let mut values = Vec::new();
    for (name, word) in &simple.assigns {
        match expand::word(shell, host, word, sink) {
            Ok(value) => values.push((name.clone(), value)),
            Err(flow) => return flow,
        }
    }
    for (name, value) in &values {
        // bash writes an empty value as nothing at all: `+ x=`.
        trace(shell, sink, || match value.as_str() {
            "" => format!("{name}="),
            value => format!("{name}={}", quote_word(value)),
        });
    }
    if !argv.is_empty() {
        trace(shell, sink, || {
            let words: Vec<String> = argv.iter().map(|a| quote_word(a)).collect();
            words.join(" ")
        });
    }
    if argv.is_empty() {
        // `x=1` sets variables (the status is that of any `$(…)` in it);
        // a lone redirection creates its file.
        if shell.substitutions == substitutions {
            shell.status = 0;
        }
        for (name, value) in &values {
            shell.set(name, value);
        }
        return with_redirects(shell, host, &simple.redirects, ctx, sink, |_, _, _, _| {
            Flow::Next
        });
    }
    // `NAME=value command`: the variables exist for that command only.
    let saved: Vec<(String, Option<String>, bool)> = values
        .iter()
        .map(|(name, _)| {
            (
                name.clone(),
                shell.vars.get(name).cloned(),
                shell.exported.contains(name),
            )
        })
        .collect();
    for (name, value) in &values {
        shell.export(name, value);
    }
    let flow = with_redirects(
        shell,
        host,
        &simple.redirects,
        ctx,
        sink,
        |shell, host, ctx, sink| invoke(shell, host, &argv, ctx, sink),
    );
    for (name, old, was_exported) in saved {
        match old {
            Some(value) => shell.set(&name, &value),
            None => {
                shell.vars.remove(&name);
            }
        }
        if !was_exported {
            shell.exported.remove(&name);
        }
    }
    if flow == Flow::Next && host.stopped() {
        return Flow::Stop;
    }
    flow
}

/// Counts a command against the line's budget; the flow that ends the run
/// when the budget or the output is spent.
fn spend(shell: &mut Shell, host: &mut dyn Host, sink: &mut Sink) -> Option<Flow> {
    if shell.commands_left == 0 {
        return Some(limit(shell, host, sink, &format!("stopped after {MAX_COMMANDS} commands (the playground's limit for one command line)")));
    }
    shell.commands_left -= 1;
    if sink.overflowed {
        return Some(limit(
            shell,
            host,
            sink,
            "output stopped: more than 1 MiB (the playground's limit for one command line)",
        ));
    }
    None
}

/// Runs a builtin or asks the host for the command.
fn invoke(
    shell: &mut Shell,
    host: &mut dyn Host,
    argv: &[String],
    ctx: &mut Ctx,
    sink: &mut Sink,
) -> Flow {
    let Some((name, args)) = argv.split_first() else {
        return Flow::Next;
    };
    if name == "exec" && args.is_empty() {
        sink.err_line(format!(
            "{}: exec: redirections for the rest of the shell are not simulated in the playground",
            host.shell_name()
        ));
        shell.status = 1;
        return Flow::Next;
    }
    if name == "exec" {
        // The command takes the shell's place: the shell ends with its
        // status, unless it still runs (a container's main process).
        return match invoke(shell, host, args, ctx, sink) {
            Flow::Next if !host.stopped() => Flow::Exit(shell.status),
            flow => flow,
        };
    }
    if let Some(flow) = builtins::run(shell, host, name, args, sink) {
        return flow;
    }
    let mut io = Io {
        stdin: ctx.stdin.take(),
        sink,
        captured: ctx.captured,
        background: ctx.background,
    };
    shell.status = match host.command(shell, argv, &mut io) {
        Some(status) => status,
        None => host.not_found(name, sink),
    };
    Flow::Next
}

/// Runs `script` in a subshell and returns its stdout, for `$(…)`.
pub(super) fn capture(
    shell: &mut Shell,
    host: &mut dyn Host,
    script: &Script,
    sink: &mut Sink,
) -> Result<String, Flow> {
    if let Some(word) = file_read(script) {
        return read_for_substitution(shell, host, word, sink);
    }
    let mut sub = match shell.subshell() {
        Ok(sub) => sub,
        Err(message) => return Err(limit(shell, host, sink, &message)),
    };
    shell.substitutions += 1;
    sub.trace_depth += 1;
    // bash (out of POSIX mode) runs substitutions without `set -e`.
    sub.options.errexit = false;
    let mut captured = Sink::default();
    let mut ctx = Ctx {
        stdin: None,
        captured: true,
        background: false,
        tested: false,
    };
    let flow = list(&mut sub, host, script, &mut ctx, &mut captured);
    shell.reclaim(&sub);
    shell.status = match flow {
        Flow::Exit(code) => code,
        _ => sub.status,
    };
    let (out, rest) = split(captured);
    sink.extend(rest);
    match flow {
        Flow::Stop | Flow::Abort => Err(flow),
        _ => Ok(out.trim_end_matches('\n').to_string()),
    }
}

/// The file of `$(< FILE)`, which the shell reads itself, as `$(cat FILE)` would.
fn file_read(script: &Script) -> Option<&Word> {
    let [Item {
        list: AndOr { first, rest },
        background: false,
    }] = script.items.as_slice()
    else {
        return None;
    };
    let [Command::Simple(simple)] = first.commands.as_slice() else {
        return None;
    };
    let alone = rest.is_empty() && !first.negate;
    match simple.redirects.as_slice() {
        [Redirect {
            fd: 0,
            op: RedirectOp::Read(word),
        }] if alone && simple.words.is_empty() && simple.assigns.is_empty() => Some(word),
        _ => None,
    }
}

fn read_for_substitution(
    shell: &mut Shell,
    host: &mut dyn Host,
    word: &Word,
    sink: &mut Sink,
) -> Result<String, Flow> {
    shell.substitutions += 1;
    let path = expand::word(shell, host, word, sink)?;
    match read_input(shell, host, &path) {
        Ok(text) => {
            shell.status = 0;
            Ok(text.trim_end_matches('\n').to_string())
        }
        Err(err) => {
            sink.err_line(format!("{}: {path}: {err}", host.shell_name()));
            shell.status = 1;
            Ok(String::new())
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::shell::{absolute_path, fileops, sed, text};

    /// A host with files in a map, the text and file tools, `rm`,
    /// `hostname` (`mysql-2`), and `upper`, which uppercases stdin.
    struct TestHost {
        files: BTreeMap<String, String>,
        /// `bash`, or `sh` for BusyBox's ash.
        name: &'static str,
    }

    impl Host for TestHost {
        fn shell_name(&self) -> &str {
            self.name
        }

        fn command(&mut self, shell: &mut Shell, argv: &[String], io: &mut Io<'_>) -> Option<i32> {
            let (name, args) = argv.split_first()?;
            if let Some(status) = fileops::run(name, shell, self, args, io.sink) {
                return Some(status);
            }
            let stdin = io.stdin.take();
            let files = self.files.clone();
            let mut read = |path: &str| {
                files
                    .get(&absolute_path(&shell.cwd, path))
                    .cloned()
                    .ok_or_else(|| "No such file or directory".to_string())
            };
            if let Some(status) = text::run(false, name, args, stdin.as_deref(), &mut read, io.sink)
            {
                return Some(status);
            }
            match name.as_str() {
                "sed" => Some(sed::run(shell, self, args, stdin, io.sink)),
                "rm" => {
                    for path in args.iter().filter(|a| !a.starts_with('-')) {
                        self.files.remove(&absolute_path(&shell.cwd, path));
                    }
                    Some(0)
                }
                "hostname" => {
                    io.sink.out("mysql-2\n");
                    Some(0)
                }
                "upper" => {
                    io.sink.out(stdin.unwrap_or_default().to_uppercase());
                    Some(0)
                }
                "warn" => {
                    io.sink.err("warning\n");
                    Some(3)
                }
                _ => None,
            }
        }

        fn read_file(&mut self, shell: &Shell, path: &str) -> Result<String, String> {
            self.files
                .get(&absolute_path(&shell.cwd, path))
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
            let file = self
                .files
                .entry(absolute_path(&shell.cwd, path))
                .or_default();
            if !append {
                file.clear();
            }
            file.push_str(text);
            Ok(())
        }

        /// A directory is `/` or any that holds a file.
        fn list_dir(&mut self, _shell: &Shell, dir: &str) -> Option<Vec<String>> {
            let prefix = format!("{}/", dir.trim_end_matches('/'));
            let names: BTreeSet<String> = self
                .files
                .keys()
                .filter_map(|path| path.strip_prefix(&prefix)?.split('/').next())
                .map(str::to_string)
                .collect();
            (dir == "/" || !names.is_empty()).then(|| names.into_iter().collect())
        }
    }

    /// What a line printed, its status and the files after it.
    pub(in crate::shell) type Outcome = (String, String, i32, BTreeMap<String, String>);

    fn run(line: &str) -> Outcome {
        run_in("bash", &[], line)
    }

    /// Runs `text` as `NAME -c TEXT` would, in `/` among `files`.
    pub(in crate::shell) fn run_in(
        name: &'static str,
        files: &[(&str, &str)],
        text: &str,
    ) -> Outcome {
        let mut host = TestHost {
            files: files
                .iter()
                .map(|(path, text)| (path.to_string(), text.to_string()))
                .collect(),
            name,
        };
        let mut shell = Shell::new(name, "/");
        let mut sink = Sink::default();
        run_text(&mut shell, &mut host, text, None, &mut sink);
        let err = format!(
            "{}{}",
            sink.stderr(),
            sink.notes
                .iter()
                .map(|n| format!("{n}\n"))
                .collect::<String>()
        );
        (sink.stdout(), err, shell.status, host.files)
    }

    #[test]
    fn variables_loops_and_substitution() {
        assert_eq!(
            run("for i in 0 1; do echo \"web-$i\"; done").0,
            "web-0\nweb-1\n"
        );
        assert_eq!(run("x=$(echo hi | upper); echo \"[$x]\"").0, "[HI]\n");
        assert_eq!(run("i=2; echo $((i * 3 + 1))").0, "7\n");
        assert_eq!(run("echo ${missing:-fallback} ${#x}").0, "fallback 0\n");
        assert_eq!(run("for i in {0..2}; do echo -n $i; done").0, "012");
    }

    #[test]
    fn status_and_lists() {
        assert_eq!(
            run("false || echo recovered && echo and").0,
            "recovered\nand\n"
        );
        assert_eq!(run("warn; echo $?").0, "3\n");
        assert_eq!(run("! true").2, 1);
        assert_eq!(run("nope").1, "bash: nope: command not found\n");
        assert_eq!(run("nope").2, 127);
        assert_eq!(
            run("if [ -z \"\" ]; then echo empty; else echo full; fi").0,
            "empty\n"
        );
    }

    #[test]
    fn redirections_route_streams() {
        let (out, err, _, files) =
            run("echo a > /f; echo b >> /f; warn 2>&1 >/dev/null; warn 2>/dev/null");
        assert_eq!(files["/f"], "a\nb\n");
        assert_eq!(out, "warning\n");
        assert_eq!(err, "");
        assert_eq!(run("upper <<EOF\nhello $((1+1))\nEOF").0, "HELLO 2\n");
        assert_eq!(run("upper <<< hi").0, "HI\n");
    }

    #[test]
    fn limits_end_runaway_input() {
        let (_, err, status, _) = run("while true; do :; done");
        assert!(err.contains("loop stopped after 1000 iterations"), "{err}");
        assert_eq!(status, 1);
        let (_, err, _, _) = run("for i in {1..5000}; do echo $i; done");
        assert!(err.contains("limit of 1000 loop iterations"), "{err}");
        let (_, err, _, _) = run(
            "for a in {1..100}; do for b in {1..100}; do for c in {1..2}; do :; done; done; done",
        );
        assert!(err.contains("stopped after 10000 commands"), "{err}");
    }

    /// The init containers' scripts of Kubernetes' MySQL tutorial
    /// ("Run a Replicated Stateful Application").
    const SERVER_ID: &str = r#"set -ex
[[ $HOSTNAME =~ -([0-9]+)$ ]] || exit 1
ordinal=${BASH_REMATCH[1]}
echo [mysqld] > /mnt/conf.d/server-id.cnf
echo server-id=$((100 + $ordinal)) >> /mnt/conf.d/server-id.cnf
if [[ $ordinal -eq 0 ]]; then
  cp /mnt/config-map/primary.cnf /mnt/conf.d/
else
  cp /mnt/config-map/replica.cnf /mnt/conf.d/
fi"#;
    const CLONE: &str = r#"set -ex
[[ -d /var/lib/mysql/mysql ]] && exit 0
[[ `hostname` =~ -([0-9]+)$ ]] || exit 1
ordinal=${BASH_REMATCH[1]}
[[ $ordinal -eq 0 ]] && exit 0
echo cloning from mysql-$(($ordinal-1))"#;
    const CHANGE_MASTER: &str = r#"if [[ -f xtrabackup_slave_info && "x$(<xtrabackup_slave_info)" != "x" ]]; then
  cat xtrabackup_slave_info | sed -E 's/;$//g' > change_master_to.sql.in
  rm -f xtrabackup_slave_info xtrabackup_binlog_info
elif [[ -f xtrabackup_binlog_info ]]; then
  [[ `cat xtrabackup_binlog_info` =~ ^(.*?)[[:space:]]+(.*?)$ ]] || exit 1
  rm -f xtrabackup_binlog_info xtrabackup_slave_info
  echo "CHANGE MASTER TO MASTER_LOG_FILE='${BASH_REMATCH[1]}',\
        MASTER_LOG_POS=${BASH_REMATCH[2]}" > change_master_to.sql.in
fi"#;

    #[test]
    fn mysql_server_id_script_traces_and_writes_the_config() {
        let maps = [
            ("/mnt/config-map/primary.cnf", "[mysqld]\nlog-bin\n"),
            ("/mnt/config-map/replica.cnf", "[mysqld]\nsuper-read-only\n"),
        ];
        let (out, err, status, files) =
            run_in("bash", &maps, &format!("HOSTNAME=mysql-1\n{SERVER_ID}"));
        assert_eq!((out.as_str(), status), ("", 0));
        assert_eq!(
            err,
            "+ [[ mysql-1 =~ -([0-9]+)$ ]]\n+ ordinal=1\n+ echo '[mysqld]'\n+ echo server-id=101\n\
             + [[ 1 -eq 0 ]]\n+ cp /mnt/config-map/replica.cnf /mnt/conf.d/\n"
        );
        assert_eq!(
            files["/mnt/conf.d/server-id.cnf"],
            "[mysqld]\nserver-id=101\n"
        );
        assert_eq!(
            files["/mnt/conf.d/replica.cnf"],
            "[mysqld]\nsuper-read-only\n"
        );
        let (_, _, _, files) = run_in("bash", &maps, &format!("HOSTNAME=mysql-0\n{SERVER_ID}"));
        assert!(files.contains_key("/mnt/conf.d/primary.cnf"));
        let (_, err, status, _) = run_in("bash", &maps, &format!("HOSTNAME=mysql\n{SERVER_ID}"));
        assert_eq!(
            (err.as_str(), status),
            ("+ [[ mysql =~ -([0-9]+)$ ]]\n+ exit 1\n", 1)
        );
    }

    #[test]
    fn mysql_clone_script_stops_early_with_data_or_on_the_primary() {
        let (out, err, status, _) = run_in("bash", &[], CLONE);
        assert_eq!(out, "cloning from mysql-1\n");
        assert_eq!(status, 0);
        assert!(
            err.starts_with("+ [[ -d /var/lib/mysql/mysql ]]\n++ hostname\n+ [[ mysql-2 =~ -([0-9]+)$ ]]\n+ ordinal=2\n+ [[ 2 -eq 0 ]]\n"),
            "{err}"
        );
        let data = [("/var/lib/mysql/mysql/user.frm", "")];
        let (out, err, status, _) = run_in("bash", &data, CLONE);
        assert_eq!(
            (out.as_str(), err.as_str(), status),
            ("", "+ [[ -d /var/lib/mysql/mysql ]]\n+ exit 0\n", 0)
        );
    }

    #[test]
    fn mysql_change_master_script_reads_either_backup_info() {
        let binlog = [("/xtrabackup_binlog_info", "mysql-bin.000003\t154\n")];
        let (_, err, status, files) = run_in("bash", &binlog, CHANGE_MASTER);
        assert_eq!((err.as_str(), status), ("", 0));
        assert_eq!(
            files["/change_master_to.sql.in"],
            "CHANGE MASTER TO MASTER_LOG_FILE='mysql-bin.000003',        MASTER_LOG_POS=154\n"
        );
        assert!(!files.contains_key("/xtrabackup_binlog_info"));
        let slave = [
            (
                "/xtrabackup_slave_info",
                "CHANGE MASTER TO MASTER_LOG_FILE='b.1', MASTER_LOG_POS=4;\n",
            ),
            ("/xtrabackup_binlog_info", ""),
        ];
        let (_, _, _, files) = run_in("bash", &slave, CHANGE_MASTER);
        assert_eq!(
            files["/change_master_to.sql.in"],
            "CHANGE MASTER TO MASTER_LOG_FILE='b.1', MASTER_LOG_POS=4\n"
        );
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn errexit_spares_tested_commands() {
        let script = "set -e\nfalse || true\nfalse && true\n! true\nif false; then :; fi\n\
                      while false; do :; done\nx=$(false; echo on)\n( false ) || echo sub\n\
                      { false; } || echo group\ntrue | false | true\n[[ a == b ]] && echo no\n\
                      echo \"still $x\"\n[[ a == b ]]\necho gone";
        let (out, _, status, _) = run_in("bash", &[], script);
        assert_eq!((out.as_str(), status), ("sub\ngroup\nstill on\n", 1));
        let (out, _, status, _) = run_in("bash", &[], "set -e; true && false; echo gone");
        assert_eq!((out.as_str(), status), ("", 1));
        assert_eq!(run("set -e; set +e; false; echo on").0, "on\n");
    }

    #[test]
    fn xtrace_quotes_words_and_counts_substitution_levels() {
        let (out, err, _, _) = run(
            "set -x; x=; y='a b' echo \"$(echo $(echo in))\" \"it's\" > /dev/null; for i in 1 2; do :; done; set +x; echo off",
        );
        assert_eq!(out, "off\n");
        assert_eq!(
            err,
            "+ x=\n+++ echo in\n++ echo in\n+ y='a b'\n+ echo in 'it'\\''s'\n\
             + for i in 1 2\n+ :\n+ for i in 1 2\n+ :\n+ set +x\n"
        );
    }

    #[test]
    fn exec_ends_the_shell_with_its_command() {
        assert_eq!(
            run("exec warn; echo gone"),
            (String::new(), "warning\n".into(), 3, BTreeMap::new())
        );
        assert_eq!(run("(exec true); echo $?").0, "0\n");
        assert_eq!(run("exec > /log").2, 1);
    }

    #[test]
    fn set_options_and_positional_parameters() {
        assert_eq!(run("set -- a 'b c'; echo $# $2").0, "2 b c\n");
        assert_eq!(run("set -o pipefail; warn | true; echo $?").0, "3\n");
        assert_eq!(run("warn | true; echo $?").0, "0\n");
        assert_eq!(run("set -u; echo $1").1, "bash: $1: unbound variable\n");
        assert_eq!(
            run("set -u; [[ a =~ a ]]; echo ${BASH_REMATCH[0]}${BASH_REMATCH[1]}").1,
            "bash: BASH_REMATCH[1]: unbound variable\n"
        );
        let (out, err, status, _) = run("set -u; echo ${x:-ok} \"$@\"; echo $x; echo no");
        assert_eq!(
            (out.as_str(), err.as_str(), status),
            ("ok\n", "bash: x: unbound variable\n", 1)
        );
        assert_eq!(run("set -q").1, "bash: set: -q: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]\n");
        assert_eq!(
            run("set -f -o vi; set -o nope"),
            (
                String::new(),
                "bash: set: noglob: not simulated in the playground (it has errexit, nounset, pipefail and xtrace)\nbash: set: nope: invalid option name\n".into(),
                1,
                BTreeMap::new()
            )
        );
        assert_eq!(run("set -e x 'y z'; echo $# $1").0, "2 x\n");
        assert_eq!(
            run("set -eo pipefail; set -o | grep on").0,
            "errexit        \ton\npipefail       \ton\n"
        );
    }

    #[test]
    fn arrays_and_file_substitution() {
        let (out, _, _, _) = run_in(
            "bash",
            &[("/info", "a b\n\n")],
            "[[ x-12 =~ ([a-z])-([0-9]+) ]]; echo ${#BASH_REMATCH[@]} ${BASH_REMATCH[2]} ${BASH_REMATCH[-1]} $BASH_REMATCH; \
             for w in \"${BASH_REMATCH[@]}\"; do echo \"<$w>\"; done; echo \"[$(</info)]\"; set --; for a in \"$@\"; do echo arg; done",
        );
        assert_eq!(out, "3 12 12 x-12\n<x-12>\n<x>\n<12>\n[a b]\n");
        let (out, err, _, _) = run("x=$(</nope); echo \"$? [$x]\"");
        assert_eq!(
            (out.as_str(), err.as_str()),
            ("1 []\n", "bash: /nope: No such file or directory\n")
        );
        assert_eq!(
            run("[[ a =~ b ]]; unset BASH_REMATCH; echo ${#BASH_REMATCH[@]}[${BASH_REMATCH[0]}]").0,
            "0[]\n"
        );
    }
}
