//! A small POSIX-style shell, enough for what Kubernetes tutorials type:
//! quoting, variables, `$(…)`, `$((…))`, pipes, redirections,
//! here-documents, `&&`/`||`, `for`/`while`/`if`, bash's `[[ … ]]` with
//! `=~` and its BASH_REMATCH array, `set -eux`, and a few builtins.
//!
//! The same interpreter runs the playground's terminal (bash, whose
//! commands are kubectl and the editor's files) and the shells inside
//! simulated containers (whose commands are a small userland); each supplies
//! its commands and files through [`Host`]. Every run is bounded: loops,
//! nesting, commands per line and output size all have limits with clear errors.

pub mod arith;
pub mod ast;
mod builtins;
mod cond;
mod expand;
pub mod fileops;
mod lex;
pub mod parse;
mod quote;
mod regex;
mod run;
pub mod sed;
pub mod text;

pub use parse::{parse, Parsed, Problem};
pub use quote::quote_word;
pub use run::{run_argv, run_script, run_text, Flow, Options, Shell};

/// How deeply `$(…)` and nested shells (`sh -c "sh -c …"`) may nest.
pub const MAX_NESTING: usize = 8;
/// Iterations of any one loop.
pub const MAX_LOOP_ITERATIONS: usize = 1_000;
/// Simple commands run for one command line.
pub const MAX_COMMANDS: usize = 10_000;
/// Output one command line may produce, in bytes.
pub const MAX_OUTPUT: usize = 1 << 20;
/// Words one brace expansion (`{1..100}`) may produce.
pub const MAX_WORDS: usize = 10_000;

/// One piece of a command's output, in the order it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chunk {
    Out(String),
    Err(String),
    /// `clear`: the terminal empties its screen here.
    Clear,
}

/// Where commands write: stdout and stderr interleaved as written, with a size bound.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sink {
    pub chunks: Vec<Chunk>,
    size: usize,
    /// More than [`MAX_OUTPUT`] bytes were written; the rest was dropped.
    pub overflowed: bool,
    /// The shell's own messages about its limits: no redirection or pipe
    /// captures them, so a runaway line always says why it stopped.
    pub notes: Vec<String>,
}

impl Sink {
    fn push(&mut self, chunk: Chunk, len: usize) {
        if self.size + len > MAX_OUTPUT {
            self.overflowed = true;
            return;
        }
        self.size += len;
        self.chunks.push(chunk);
    }

    pub fn out(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            let len = text.len();
            self.push(Chunk::Out(text), len);
        }
    }

    pub fn err(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            let len = text.len();
            self.push(Chunk::Err(text), len);
        }
    }

    /// A message about a limit, shown whatever the redirections.
    pub fn note(&mut self, line: impl Into<String>) {
        self.notes.push(line.into());
    }

    /// A line on stderr, with its newline.
    pub fn err_line(&mut self, line: impl std::fmt::Display) {
        self.err(format!("{line}\n"));
    }

    pub fn clear_screen(&mut self) {
        self.push(Chunk::Clear, 0);
    }

    /// Everything written to stdout.
    pub fn stdout(&self) -> String {
        self.stream(false)
    }

    /// Everything written to stderr.
    pub fn stderr(&self) -> String {
        self.stream(true)
    }

    /// Everything written, stdout and stderr interleaved as a terminal shows them.
    pub fn text(&self) -> String {
        self.chunks
            .iter()
            .filter_map(|c| match c {
                Chunk::Out(s) | Chunk::Err(s) => Some(s.as_str()),
                Chunk::Clear => None,
            })
            .collect()
    }

    fn stream(&self, stderr: bool) -> String {
        self.chunks
            .iter()
            .filter_map(|c| match c {
                Chunk::Out(s) if !stderr => Some(s.as_str()),
                Chunk::Err(s) if stderr => Some(s.as_str()),
                _ => None,
            })
            .collect()
    }

    /// Appends another sink's output after this one's.
    pub fn extend(&mut self, other: Sink) {
        for chunk in other.chunks {
            let len = match &chunk {
                Chunk::Out(s) | Chunk::Err(s) => s.len(),
                Chunk::Clear => 0,
            };
            self.push(chunk, len);
        }
        self.overflowed |= other.overflowed;
        self.notes.extend(other.notes);
    }
}

/// What a command gets besides its arguments.
pub struct Io<'a> {
    pub stdin: Option<String>,
    pub sink: &'a mut Sink,
    /// Stdout goes to a pipe, a file or a substitution rather than the terminal.
    pub captured: bool,
    /// The command runs in the background (`cmd &`): it must not block.
    pub background: bool,
}

/// What a shell runs on: its commands and its files.
pub trait Host {
    /// `bash` or `sh`: the prefix of the shell's own error messages.
    /// Only bash expands braces (`{0..4}`).
    fn shell_name(&self) -> &str;

    /// Runs a command that is not a shell builtin; `None` when there is no such command.
    fn command(&mut self, shell: &mut Shell, argv: &[String], io: &mut Io<'_>) -> Option<i32>;

    /// Prints the "command not found" message for `name`; returns the status.
    fn not_found(&mut self, name: &str, sink: &mut Sink) -> i32 {
        sink.err_line(format!("{}: {name}: command not found", self.shell_name()));
        127
    }

    fn read_file(&mut self, shell: &Shell, path: &str) -> Result<String, String>;

    fn write_file(
        &mut self,
        shell: &Shell,
        path: &str,
        text: &str,
        append: bool,
    ) -> Result<(), String>;

    /// Removes a file (for `mv`); the error text when it cannot.
    fn remove_file(&mut self, _shell: &Shell, _path: &str) -> Result<(), String> {
        Err("Operation not permitted".to_string())
    }

    /// Names in a directory (for `*` and `cd`); `None` when it is not a directory.
    fn list_dir(&mut self, shell: &Shell, dir: &str) -> Option<Vec<String>>;

    /// Whether `&` is allowed; the host prints its own message when not.
    fn background_allowed(&mut self, _sink: &mut Sink) -> bool {
        true
    }

    /// Set by a command that ends the line early: an interactive watch took
    /// over the terminal, or a container's main process blocked.
    fn stopped(&self) -> bool {
        false
    }
}

/// Joins a path to a working directory and resolves `.` and `..`.
pub fn absolute_path(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_dots() {
        assert_eq!(
            absolute_path("/", "usr/share/../share/nginx/"),
            "/usr/share/nginx"
        );
        assert_eq!(absolute_path("/root", "../etc/hosts"), "/etc/hosts");
        assert_eq!(absolute_path("/a", "/"), "/");
    }

    #[test]
    fn sink_is_bounded() {
        let mut sink = Sink::default();
        sink.out("x".repeat(MAX_OUTPUT));
        sink.out("y");
        assert!(sink.overflowed);
        assert_eq!(sink.stdout().len(), MAX_OUTPUT);
    }
}
