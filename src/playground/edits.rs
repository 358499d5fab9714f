//! `kubectl edit` in the browser: the buffer is a file of the editor, and
//! Apply on that file saves it, which finishes (or reopens) the edit in the
//! terminal that started it.

use super::journal::Input;
use super::{LineKind, Playground};
use crate::kubectl::edit::{EditSession, Saved};
use crate::sim::Cluster;

impl Playground {
    /// Whether `file` is the buffer of a `kubectl edit` still waiting for its save.
    pub fn is_edit_buffer(&self, file: &str) -> bool {
        self.terminals
            .iter()
            .any(|t| t.edit.as_ref().is_some_and(|(_, s)| s.path == file))
    }

    /// The waiting `kubectl edit` whose buffer is `file`.
    pub(super) fn edit_of(&mut self, file: &str) -> Option<&mut (String, EditSession)> {
        self.terminals
            .iter_mut()
            .filter_map(|t| t.edit.as_mut())
            .find(|(_, s)| s.path == file)
    }

    /// The editor saved `file`, the buffer of a `kubectl edit`: the edit goes
    /// on as kubectl's would after the editor closes. Returns the terminal
    /// it printed in and kubectl's exit status (1 while the editor reopens).
    pub fn save_edit(&mut self, file: &str) -> Option<(usize, i32)> {
        self.edit_of(file)?;
        self.journal.files(&self.files);
        self.journal.push(Input::SaveEdit {
            file: file.to_string(),
        });
        let edited = self.files.get(file).cloned().unwrap_or_default();
        self.end_edit(file, |session, cluster| session.save(cluster, &edited))
    }

    /// The editor closed `file` unsaved (its tab was closed, or Quit in the
    /// terminal): kubectl reads back the file as it left it.
    pub fn quit_edit(&mut self, file: &str) -> Option<(usize, i32)> {
        self.edit_of(file)?;
        self.journal.files(&self.files);
        self.journal.push(Input::QuitEdit {
            file: file.to_string(),
        });
        self.end_edit(file, EditSession::quit)
    }

    /// Runs what kubectl does after its editor closed on `file`, and prints
    /// it in the terminal that waits for it.
    fn end_edit(
        &mut self,
        file: &str,
        closed: impl FnOnce(&mut EditSession, &mut Cluster) -> Saved,
    ) -> Option<(usize, i32)> {
        let terminal = self
            .terminals
            .iter()
            .position(|t| t.edit.as_ref().is_some_and(|(_, s)| s.path == file))?;
        let (command, mut session) = self.terminals[terminal].edit.take()?;
        let (output, code) = match closed(&mut session, &mut self.cluster) {
            Saved::Done { output, keep_file } => {
                if keep_file {
                    // kubectl keeps its copy where it says it does, even
                    // when the editor's tab was closed.
                    if !self.files.contains_key(file) {
                        self.files
                            .insert(file.to_string(), session.written().to_string());
                    }
                } else if self.files.len() > 1 {
                    self.files.remove(file);
                }
                let code = output.code;
                (output, code)
            }
            Saved::Reopen { output, buffer } => {
                self.files.insert(file.to_string(), buffer);
                self.terminals[terminal].edit = Some((command, session));
                (output, 1)
            }
        };
        let reopened = self.terminals[terminal].edit.is_some();
        let term = &mut self.terminals[terminal];
        term.print_output(&output);
        if reopened {
            term.push(
                LineKind::Err,
                &format!("(stsplay: {file} is open again with the problems at its top; Apply saves it again)\n"),
            );
        }
        term.shell.status = code;
        self.pump();
        Some((terminal, code))
    }
}

#[cfg(test)]
mod tests {
    use crate::playground::{Mode, Playground, SEED_FILE};

    /// A playground with the seed applied and `kubectl edit sts web` open.
    fn editing() -> (Playground, String) {
        let mut pg = Playground::new(1, 1, Mode::Interactive);
        pg.run(0, &format!("kubectl apply -f {SEED_FILE}"));
        pg.settle();
        pg.run(0, "kubectl edit sts web");
        let file = pg
            .pending_edit
            .clone()
            .expect("the buffer opens in the editor");
        (pg, file)
    }

    /// Edits the buffer as a user would in the editor, then presses Apply.
    fn save_with(pg: &mut Playground, file: &str, from: &str, to: &str) -> Option<(usize, i32)> {
        let edited = pg.files[file].replace(from, to);
        pg.files.insert(file.to_string(), edited);
        pg.save_edit(file)
    }

    fn last_lines(pg: &Playground, n: usize) -> Vec<String> {
        let lines = &pg.terminals[0].lines;
        lines[lines.len().saturating_sub(n)..]
            .iter()
            .map(|l| l.text.clone())
            .collect()
    }

    fn replicas(pg: &Playground) -> Option<i32> {
        pg.cluster
            .store()
            .get_typed::<k8s_openapi::api::apps::v1::StatefulSet>("default", "web")
            .and_then(|s| s.spec.as_ref())
            .and_then(|s| s.replicas)
    }

    #[test]
    fn the_buffer_is_the_object_under_kubectls_header() {
        let (pg, file) = editing();
        assert!(file.starts_with("kubectl-edit-") && file.ends_with(".yaml"));
        let buffer = &pg.files[&file];
        assert!(buffer.starts_with("# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\napiVersion: apps/v1\nkind: StatefulSet\n"));
        assert!(buffer.contains("  replicas: 2\n") && buffer.contains("\nstatus:\n"));
        assert!(pg.is_edit_buffer(&file));
    }

    #[test]
    fn saving_a_change_patches_the_object_and_closes_the_buffer() {
        let (mut pg, file) = editing();
        let saved = save_with(&mut pg, &file, "  replicas: 2\n", "  replicas: 3\n");
        assert_eq!(saved, Some((0, 0)));
        assert_eq!(last_lines(&pg, 1), ["statefulset.apps/web edited"]);
        assert!(!pg.files.contains_key(&file) && !pg.is_edit_buffer(&file));
        assert_eq!(replicas(&pg), Some(3));
        assert_eq!(pg.save_edit(&file), None, "the edit is over");
    }

    #[test]
    fn an_unchanged_or_empty_buffer_cancels() {
        let (mut pg, file) = editing();
        assert_eq!(pg.save_edit(&file), Some((0, 0)));
        assert_eq!(last_lines(&pg, 1), ["Edit cancelled, no changes made."]);
        pg.run(0, "kubectl edit sts web");
        let file = pg.pending_edit.clone().unwrap_or_default();
        pg.files.insert(file.clone(), "# nothing\n\n".to_string());
        assert_eq!(pg.save_edit(&file), Some((0, 0)));
        assert_eq!(
            last_lines(&pg, 1),
            ["Edit cancelled, saved file was empty."]
        );
    }

    #[test]
    fn an_invalid_change_reopens_with_the_causes_then_gives_up_unchanged() {
        let (mut pg, file) = editing();
        let saved = save_with(&mut pg, &file, "  replicas: 2\n", "  replicas: -1\n");
        assert_eq!(saved, Some((0, 1)));
        assert_eq!(
            last_lines(&pg, 2)[0],
            "error: statefulsets.apps \"web\" is invalid"
        );
        let reopened = pg.files[&file].clone();
        assert!(reopened.contains("#\n# statefulsets.apps \"web\" was not valid:\n# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n#\napiVersion: apps/v1\n"), "{reopened}");
        assert!(pg.is_edit_buffer(&file));
        assert_eq!(pg.save_edit(&file), Some((0, 1)));
        assert_eq!(
            last_lines(&pg, 2),
            [
                format!("A copy of your changes has been stored to \"{file}\""),
                "error: Edit cancelled, no valid changes were saved.".to_string()
            ]
        );
        assert!(pg.files.contains_key(&file), "kubectl keeps the copy");
        assert_eq!(replicas(&pg), Some(2));
    }

    #[test]
    fn syntax_errors_and_renames_are_refused() {
        let (mut pg, file) = editing();
        let saved = save_with(&mut pg, &file, "  replicas: 2\n", "  replicas: [\n");
        assert_eq!(saved, Some((0, 1)));
        // kubectl's schema validation refuses YAML that does not parse.
        assert_eq!(
            last_lines(&pg, 2)[0],
            "error: statefulsets.apps \"web\" is invalid"
        );
        assert!(pg.files[&file].contains(
            "# statefulsets.apps \"web\" was not valid:\n# * <nil>: Invalid value: \"The edited file failed validation\": yaml: line "
        ));
        let fixed = pg.files[&file].replace("  replicas: [\n", "  replicas: 2\n");
        pg.files.insert(file.clone(), fixed);
        let saved = save_with(&mut pg, &file, "  name: web\n", "  name: web2\n");
        assert_eq!(saved, Some((0, 1)));
        assert_eq!(
            last_lines(&pg, 1),
            ["error: At least one of apiVersion, kind and name was changed"]
        );
    }

    #[test]
    fn changes_made_meanwhile_are_kept_as_kubectls_patch_keeps_them() {
        let (mut pg, file) = editing();
        let other = pg.open_terminal().expect("a second terminal");
        pg.run(other, "kubectl scale sts web --replicas=5");
        let saved = save_with(&mut pg, &file, "nginx-slim:0.24", "nginx-slim:0.9");
        assert_eq!(saved, Some((0, 0)));
        assert_eq!(replicas(&pg), Some(5), "the scale made meanwhile stays");
        let image = pg.exec(
            0,
            "kubectl get sts web -o jsonpath={.spec.template.spec.containers[0].image}",
        );
        assert_eq!(image, "registry.k8s.io/nginx-slim:0.9\n");
    }

    #[test]
    fn an_edited_resource_version_that_is_stale_is_a_conflict() {
        let (mut pg, file) = editing();
        let buffer = pg.files[&file].clone();
        let version = buffer
            .lines()
            .find_map(|l| l.strip_prefix("  resourceVersion: "))
            .unwrap_or_default()
            .to_string();
        pg.files.insert(
            file.clone(),
            buffer.replace("  replicas: 2\n", "  replicas: 3\n"),
        );
        let saved = save_with(
            &mut pg,
            &file,
            &format!("  resourceVersion: {version}\n"),
            "  resourceVersion: \"1\"\n",
        );
        assert_eq!(saved, Some((0, 1)));
        assert_eq!(
            last_lines(&pg, 2),
            [
                "error: statefulsets.apps \"web\" could not be patched: Operation cannot be fulfilled on statefulsets.apps \"web\": the object has been modified; please apply your changes to the latest version and try again".to_string(),
                format!("You can run `kubectl replace -f {file}` to try this update again."),
            ]
        );
        assert_eq!(replicas(&pg), Some(2));
    }

    #[test]
    fn a_renamed_buffer_is_still_the_edit_and_a_deleted_one_ends_it() {
        let (mut pg, file) = editing();
        pg.rename_file(&file, "mine.yaml").unwrap();
        assert!(pg.is_edit_buffer("mine.yaml") && !pg.is_edit_buffer(&file));
        pg.delete_file("mine.yaml").unwrap();
        assert!(!pg.is_edit_buffer("mine.yaml"));
        assert_eq!(pg.save_edit("mine.yaml"), None);
    }

    #[test]
    fn the_terminal_waits_for_the_editor_and_drops_the_rest_of_the_line() {
        let mut pg = Playground::new(1, 1, Mode::Interactive);
        pg.run(0, &format!("kubectl apply -f {SEED_FILE}"));
        pg.settle();
        pg.run(0, "kubectl edit sts web; echo after");
        let file = pg.pending_edit.clone().expect("the buffer opens");
        assert!(pg.terminals[0].is_busy(), "kubectl waits for its editor");
        assert_eq!(pg.idle_terminal(0), None, "Apply finds no free terminal");
        assert!(!pg.terminals[0].lines.iter().any(|l| l.text == "after"));
        save_with(&mut pg, &file, "  replicas: 2\n", "  replicas: 3\n");
        assert!(!pg.terminals[0].is_busy(), "the prompt is back");
        assert_eq!(last_lines(&pg, 1), ["statefulset.apps/web edited"]);
    }

    #[test]
    fn closing_the_buffer_unsaved_ends_the_edit_with_no_changes() {
        let (mut pg, file) = editing();
        let typed = pg.files[&file].replace("  replicas: 2\n", "  replicas: 7\n");
        pg.files.insert(file.clone(), typed);
        pg.delete_file(&file).unwrap();
        assert_eq!(last_lines(&pg, 1), ["Edit cancelled, no changes made."]);
        assert!(!pg.terminals[0].is_busy() && !pg.files.contains_key(&file));
        assert_eq!(replicas(&pg), Some(2), "what was typed was never saved");
        let restored = Playground::restore(&pg.save()).expect("replays");
        assert_eq!(restored.terminals[0].text(), pg.terminals[0].text());
        assert!(!restored.terminals[0].is_busy());
    }

    #[test]
    fn quitting_after_a_refused_save_keeps_kubectls_copy() {
        let (mut pg, file) = editing();
        save_with(&mut pg, &file, "  replicas: 2\n", "  replicas: -1\n");
        let reopened = pg.files[&file].clone();
        assert_eq!(pg.quit_edit(&file), Some((0, 1)));
        assert_eq!(
            last_lines(&pg, 2),
            [
                format!("A copy of your changes has been stored to \"{file}\""),
                "error: Edit cancelled, no valid changes were saved.".to_string()
            ]
        );
        assert_eq!(pg.files[&file], reopened, "the file as kubectl left it");
        assert!(!pg.terminals[0].is_busy());
        assert_eq!(pg.quit_edit(&file), None, "the edit is over");
    }

    #[test]
    fn a_saved_edit_replays_from_the_journal() {
        let (mut pg, file) = editing();
        save_with(&mut pg, &file, "  replicas: 2\n", "  replicas: 4\n");
        let restored = Playground::restore(&pg.save()).expect("replays");
        assert_eq!(restored.terminals[0].text(), pg.terminals[0].text());
        assert_eq!(restored.files, pg.files);
    }
}
