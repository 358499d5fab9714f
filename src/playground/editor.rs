//! `kubectl edit` in a terminal: the buffer opens as an editor tab (Apply
//! saves it, see `edits.rs`), or `$KUBE_EDITOR` runs on it as kubectl runs it.

use super::host::{print, TerminalHost};
use super::{Mode, Playground};
use crate::kubectl::edit::{EditSession, Saved};
use crate::shell::{Io, Shell};

impl TerminalHost<'_> {
    /// `kubectl edit` wants an editor. `$KUBE_EDITOR` (or `$EDITOR`) runs on
    /// the buffer's file as kubectl runs it, unless it names a screen editor
    /// such as vim: then the buffer opens in the editor pane, and Apply there
    /// saves it (see [`Playground::save_edit`]).
    pub(super) fn edit_object(
        &mut self,
        shell: &mut Shell,
        mut session: EditSession,
        invocation: String,
        io: &mut Io<'_>,
    ) -> i32 {
        let extension = if session.buffer.starts_with('{') {
            "json"
        } else {
            "yaml"
        };
        let name = edit_file_name(self.pg, extension);
        session.path = name.clone();
        self.pg.files.insert(name.clone(), session.buffer.clone());
        let environment = shell.environment();
        let editor = ["KUBE_EDITOR", "EDITOR"]
            .iter()
            .find_map(|key| {
                environment
                    .iter()
                    .find(|(k, v)| k == key && !v.trim().is_empty())
            })
            .map(|(_, v)| v.clone());
        let command = editor.filter(|e| {
            let program = e.split_whitespace().next().unwrap_or("");
            !SCREEN_EDITORS.contains(&program.rsplit('/').next().unwrap_or(program))
        });
        let Some(value) = command else {
            if io.captured && self.pg.mode == Mode::Interactive {
                self.pg.files.remove(&name);
                io.sink.err_line("error: stsplay: kubectl edit opens the object in the editor; it cannot feed a pipe, a file or $(…)");
                return 1;
            }
            if self.pg.mode == Mode::Script {
                self.pg.files.remove(&name);
                io.sink.err_line("error: stsplay: kubectl edit opens the object in the editor, and a transcript has none. Set KUBE_EDITOR to a command that changes the file it is given, e.g. KUBE_EDITOR=\"sed -i 's/replicas: 2/replicas: 3/'\" kubectl edit sts web");
                return 1;
            }
            io.sink.err_line(format!("(stsplay: {name} is open in the editor; kubectl waits for it. Apply there saves it and closes the editor; closing its tab quits without saving)"));
            self.pg.pending_edit = Some(name);
            self.pg.terminals[self.terminal].edit = Some((invocation, session));
            // Like a watch, the edit holds the terminal; what follows it on
            // the line is dropped (a real shell would run it afterwards).
            self.stopped = true;
            return 0;
        };
        let shell_var = environment
            .iter()
            .find(|(k, v)| k == "SHELL" && !v.is_empty())
            .map(|(_, v)| v.as_str());
        let command = EditorCommand::new(&value, shell_var);
        // kubectl runs the editor again while the saved file has errors;
        // an unchanged second save ends it, so two rounds are the most that help.
        for _ in 0..MAX_EDITOR_ROUNDS {
            let mut child = match shell.child(vec!["bash".to_string()]) {
                Ok(child) => child,
                Err(err) => {
                    io.sink.err_line(format!("error: {err}"));
                    return 1;
                }
            };
            let line = command.line(&name);
            crate::shell::run_text(&mut child, self, &line, None, io.sink);
            shell.reclaim(&child);
            if child.status != 0 {
                self.pg.files.remove(&name);
                io.sink.err_line(command.failure(child.status));
                return 1;
            }
            let edited = self.pg.files.get(&name).cloned().unwrap_or_default();
            match session.save(&mut self.pg.cluster, &edited) {
                Saved::Done { output, keep_file } => {
                    if !keep_file {
                        self.pg.files.remove(&name);
                    }
                    print(io.sink, &output);
                    return output.code;
                }
                Saved::Reopen { output, buffer } => {
                    print(io.sink, &output);
                    self.pg.files.insert(name.clone(), buffer);
                }
            }
        }
        1
    }
}

/// Editors that need a screen: with one of these `kubectl edit` opens the editor pane.
const SCREEN_EDITORS: [&str; 9] = [
    "vim", "vi", "nvim", "nano", "pico", "emacs", "view", "code", "micro",
];
/// Rounds of a non-interactive editor on one `kubectl edit`.
const MAX_EDITOR_ROUNDS: usize = 3;

/// kubectl's temporary file, `kubectl-edit-<digits>.yaml`, here a file of
/// the editor; the digits come from the virtual clock, so runs repeat.
fn edit_file_name(pg: &Playground, extension: &str) -> String {
    let mut digits = crate::sim::clock::unix_nanos(pg.cluster.now()) / 1_000 % 10_000_000_000;
    loop {
        let name = format!("kubectl-edit-{digits}.{extension}");
        if !pg.files.contains_key(&name) {
            return name;
        }
        digits += 1;
    }
}

/// The editor command as kubectl's defaultEnvEditor forms it from the
/// variable: one word runs as it is, words without quotes or backslashes
/// are split on spaces and run directly, anything else goes to `$SHELL -c`.
/// The playground's shell runs all three, each word quoted when direct.
struct EditorCommand {
    args: Vec<String>,
    through_shell: bool,
}

impl EditorCommand {
    fn new(value: &str, shell: Option<&str>) -> EditorCommand {
        if !value.contains(' ') {
            return EditorCommand {
                args: vec![value.to_string()],
                through_shell: false,
            };
        }
        if !value.contains(['"', '\'', '\\']) {
            return EditorCommand {
                args: value.split(' ').map(str::to_string).collect(),
                through_shell: false,
            };
        }
        EditorCommand {
            args: vec![
                shell.unwrap_or("/bin/bash").to_string(),
                "-c".to_string(),
                value.to_string(),
            ],
            through_shell: true,
        }
    }

    /// The line the playground's shell runs on the buffer's file.
    fn line(&self, path: &str) -> String {
        match self.args.last() {
            // kubectl appends the path Go-quoted to the shell's command.
            Some(command) if self.through_shell => format!("{command} {path:?}"),
            _ => self
                .args
                .iter()
                .map(String::as_str)
                .chain([path])
                .map(crate::shell::quote_word)
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    /// kubectl's words when the editor fails: a program it cannot find, or
    /// any other failure.
    fn failure(&self, status: i32) -> String {
        let args = self.args.join(" ");
        if !self.through_shell && status == 127 {
            format!("error: unable to launch the editor {args:?}")
        } else {
            format!("error: there was a problem with the editor {args:?}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EditorCommand;

    #[test]
    fn forms_the_command_as_kubectl() {
        let one = EditorCommand::new("true", None);
        assert_eq!(one.line("f.yaml"), "true f.yaml");
        assert_eq!(
            one.failure(127),
            "error: unable to launch the editor \"true\""
        );
        let split = EditorCommand::new("sed -i /^#/d", Some("/bin/sh"));
        assert_eq!(split.line("f.yaml"), "sed -i '/^#/d' f.yaml");
        assert_eq!(
            split.failure(1),
            "error: there was a problem with the editor \"sed -i /^#/d\""
        );
        let quoted = EditorCommand::new("sed -i 's/a/b/'", None);
        assert_eq!(quoted.line("f.yaml"), "sed -i 's/a/b/' \"f.yaml\"");
        assert_eq!(
            quoted.failure(127),
            "error: there was a problem with the editor \"/bin/bash -c sed -i 's/a/b/'\""
        );
        assert_eq!(
            EditorCommand::new("ed 'x'", Some("/bin/zsh")).failure(1),
            "error: there was a problem with the editor \"/bin/zsh -c ed 'x'\""
        );
    }
}
