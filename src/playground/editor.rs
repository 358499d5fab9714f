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
            .map(|(_, v)| v.trim().to_string());
        let command = editor.filter(|e| {
            let program = e.split_whitespace().next().unwrap_or("");
            !SCREEN_EDITORS.contains(&program.rsplit('/').next().unwrap_or(program))
        });
        let Some(command) = command else {
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
            let line = format!("{command} {}", crate::shell::quote_word(&name));
            crate::shell::run_text(&mut child, self, &line, None, io.sink);
            shell.reclaim(&child);
            if child.status != 0 {
                self.pg.files.remove(&name);
                io.sink.err_line(editor_failed(&command, child.status));
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

/// kubectl's words when the editor fails: it runs a command with spaces through `bash -c`.
fn editor_failed(command: &str, status: i32) -> String {
    if !command.contains(' ') && status == 127 {
        return format!("error: unable to launch the editor {command:?}");
    }
    let args = if command.contains(' ') {
        format!("/bin/bash -c {command}")
    } else {
        command.to_string()
    };
    format!("error: there was a problem with the editor {args:?}")
}
