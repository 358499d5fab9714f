//! Running parsed commands: lists, pipelines, loops, redirections,
//! assignments and the builtins every shell has.

use std::collections::{BTreeMap, BTreeSet};

use super::ast::{
    AndOr, Command, Item, Joiner, Part, Pipeline, Redirect, RedirectOp, Script, Simple, Word,
};
use super::{builtins, expand};
use super::{
    parse, Chunk, Host, Io, Problem, Sink, MAX_COMMANDS, MAX_LOOP_ITERATIONS, MAX_NESTING,
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

/// One shell process: its variables, positional parameters, directory and last status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shell {
    pub vars: BTreeMap<String, String>,
    pub exported: BTreeSet<String>,
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
}

impl Shell {
    pub fn new(name: &str, cwd: &str) -> Shell {
        Shell {
            vars: BTreeMap::new(),
            exported: BTreeSet::new(),
            status: 0,
            args: vec![name.to_string()],
            cwd: cwd.to_string(),
            pid: 1,
            depth: 0,
            commands_left: MAX_COMMANDS,
            substitutions: 0,
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
            n => self.vars.get(n).cloned(),
        }
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_string(), value.to_string());
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
    };
    list(shell, host, script, &mut ctx, sink)
}

/// The surroundings a command runs in.
#[derive(Clone, Debug)]
pub(super) struct Ctx {
    pub stdin: Option<String>,
    pub captured: bool,
    pub background: bool,
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
fn and_or(
    shell: &mut Shell,
    host: &mut dyn Host,
    list: &AndOr,
    ctx: &mut Ctx,
    sink: &mut Sink,
) -> Flow {
    let rest = list.rest.iter().map(|(joiner, next)| (Some(joiner), next));
    in_turn(
        std::iter::once((None, &list.first)).chain(rest),
        |(joiner, next)| {
            let run = match joiner {
                None => true,
                Some(Joiner::And) => shell.status == 0,
                Some(Joiner::Or) => shell.status != 0,
            };
            if run {
                pipeline(shell, host, next, ctx, sink)
            } else {
                Flow::Next
            }
        },
    )
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
    for (i, command) in pipeline.commands.iter().enumerate() {
        let mut stage = Ctx {
            stdin: stdin.take(),
            captured: ctx.captured || i < last,
            background: ctx.background,
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
        | Command::Group { redirects, .. } => redirects,
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
    for item in items {
        shell.set(var, &item);
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
        let flow = list(shell, host, cond, ctx, sink);
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
        let flow = list(shell, host, cond, ctx, sink);
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
                match if path == "/dev/null" {
                    Ok(String::new())
                } else {
                    host.read_file(shell, &path)
                } {
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
    if shell.commands_left == 0 {
        return limit(shell, host, sink, &format!("stopped after {MAX_COMMANDS} commands (the playground's limit for one command line)"));
    }
    shell.commands_left -= 1;
    if sink.overflowed {
        return limit(
            shell,
            host,
            sink,
            "output stopped: more than 1 MiB (the playground's limit for one command line)",
        );
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
    let mut sub = match shell.subshell() {
        Ok(sub) => sub,
        Err(message) => return Err(limit(shell, host, sink, &message)),
    };
    shell.substitutions += 1;
    let mut captured = Sink::default();
    let mut ctx = Ctx {
        stdin: None,
        captured: true,
        background: false,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A host with files in a map and one command, `upper`, that uppercases stdin.
    struct TestHost {
        files: BTreeMap<String, String>,
    }

    impl Host for TestHost {
        fn shell_name(&self) -> &str {
            "bash"
        }

        fn command(&mut self, _shell: &mut Shell, argv: &[String], io: &mut Io<'_>) -> Option<i32> {
            match argv[0].as_str() {
                "upper" => {
                    io.sink
                        .out(io.stdin.take().unwrap_or_default().to_uppercase());
                    Some(0)
                }
                "warn" => {
                    io.sink.err("warning\n");
                    Some(3)
                }
                _ => None,
            }
        }

        fn read_file(&mut self, _shell: &Shell, path: &str) -> Result<String, String> {
            self.files
                .get(path)
                .cloned()
                .ok_or_else(|| "No such file or directory".to_string())
        }

        fn write_file(
            &mut self,
            _shell: &Shell,
            path: &str,
            text: &str,
            append: bool,
        ) -> Result<(), String> {
            let file = self.files.entry(path.to_string()).or_default();
            if !append {
                file.clear();
            }
            file.push_str(text);
            Ok(())
        }

        fn list_dir(&mut self, _shell: &Shell, dir: &str) -> Option<Vec<String>> {
            (dir == "/").then(|| {
                self.files
                    .keys()
                    .map(|k| k.trim_start_matches('/').to_string())
                    .collect()
            })
        }
    }

    fn run(line: &str) -> (String, String, i32, BTreeMap<String, String>) {
        let mut host = TestHost {
            files: BTreeMap::new(),
        };
        let mut shell = Shell::new("bash", "/");
        let mut sink = Sink::default();
        let parsed = parse(line, true).unwrap();
        run_script(&mut shell, &mut host, &parsed.script, &mut sink);
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
}
