//! The editor's file tabs: new, rename and delete. The terminals see the same
//! files (`ls`, `cat`, `kubectl apply -f`), flat in the home directory.

use std::collections::BTreeMap;

use super::Playground;

/// Longest file name the editor accepts, as most file systems do.
const MAX_NAME_BYTES: usize = 255;

impl Playground {
    /// Adds an empty `untitled-N.yaml` (the lowest N not taken) and returns its name.
    pub fn add_file(&mut self) -> String {
        let name = (1..)
            .map(|n| format!("untitled-{n}.yaml"))
            .find(|name| !self.files.contains_key(name))
            .unwrap_or_default();
        self.files.insert(name.clone(), String::new());
        name
    }

    /// Renames a file, or says why not (in the words `mv` would use where it has them).
    pub fn rename_file(&mut self, from: &str, to: &str) -> Result<(), String> {
        let to = to.trim();
        if from == to {
            return Ok(());
        }
        check_name(to)?;
        if self.files.contains_key(to) {
            return Err(format!("{to} already exists"));
        }
        let text = self
            .files
            .remove(from)
            .ok_or_else(|| format!("{from}: No such file or directory"))?;
        self.files.insert(to.to_string(), text);
        // A `kubectl edit` buffer stays one under its new name.
        if let Some((_, session)) = self.edit_of(from) {
            session.path = to.to_string();
        }
        Ok(())
    }

    /// A tutorial's starting point (the scripting API's `load`): these files
    /// replace the editor's, then each command runs in `terminal` as if
    /// typed. Returns what the commands printed.
    pub fn load(
        &mut self,
        files: BTreeMap<String, String>,
        commands: &[String],
        terminal: usize,
    ) -> Result<String, String> {
        if let Some(bad) = files.keys().find_map(|name| check_name(name).err()) {
            return Err(bad);
        }
        if !files.is_empty() {
            self.files = files;
        }
        Ok(commands
            .iter()
            .map(|line| self.exec(terminal, line))
            .collect())
    }

    /// Deletes a file; the editor always keeps at least one. Deleting the
    /// buffer of a `kubectl edit` quits its editor without saving.
    pub fn delete_file(&mut self, name: &str) -> Result<(), String> {
        if !self.files.contains_key(name) {
            return Err(format!("{name}: No such file or directory"));
        }
        if self.files.len() == 1 {
            return Err(format!("{name} is the only file; the editor keeps one"));
        }
        self.files.remove(name);
        self.quit_edit(name);
        Ok(())
    }
}

/// A name that lives in the home directory as one file: no slashes, no
/// control characters, not `.` or `..`.
fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a file needs a name".to_string());
    }
    if name == "." || name == ".." || name.contains('/') {
        return Err(format!(
            "{name}: files live in the home directory; a name cannot contain '/' or be '.' or '..'"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("a file name cannot contain control characters".to_string());
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(format!("{name}: File name too long"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::{Mode, SEED_FILE};

    #[test]
    fn new_files_take_the_lowest_free_untitled_name() {
        let mut pg = Playground::new(1, 1, Mode::Script);
        assert_eq!(pg.add_file(), "untitled-1.yaml");
        assert_eq!(pg.add_file(), "untitled-2.yaml");
        pg.delete_file("untitled-1.yaml").unwrap();
        assert_eq!(pg.add_file(), "untitled-1.yaml");
        assert_eq!(pg.files["untitled-2.yaml"], "");
    }

    #[test]
    fn rename_keeps_the_text_and_refuses_bad_names() {
        let mut pg = Playground::new(1, 1, Mode::Script);
        let name = pg.add_file();
        pg.files.insert(name.clone(), "kind: Pod\n".into());
        pg.rename_file(&name, " pod.yaml ").unwrap();
        assert_eq!(pg.files["pod.yaml"], "kind: Pod\n");
        assert!(!pg.files.contains_key(&name));
        assert_eq!(pg.rename_file("pod.yaml", "pod.yaml"), Ok(()));
        assert_eq!(
            pg.rename_file("pod.yaml", SEED_FILE),
            Err("statefulset.yaml already exists".to_string())
        );
        assert_eq!(
            pg.rename_file("pod.yaml", ""),
            Err("a file needs a name".to_string())
        );
        assert!(pg
            .rename_file("pod.yaml", "a/b.yaml")
            .unwrap_err()
            .contains("cannot contain '/'"));
        assert!(pg.rename_file("pod.yaml", "..").is_err());
        assert!(pg.rename_file("pod.yaml", "a\tb").is_err());
        assert!(pg.rename_file("pod.yaml", &"x".repeat(300)).is_err());
        assert_eq!(
            pg.rename_file("gone.yaml", "new.yaml"),
            Err("gone.yaml: No such file or directory".to_string())
        );
    }

    #[test]
    fn load_replaces_the_files_then_runs_the_commands() {
        let mut pg = Playground::new(1, 2, Mode::Interactive);
        let files = BTreeMap::from([(
            "cm.yaml".to_string(),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n".to_string(),
        )]);
        let commands = ["ls".to_string(), "kubectl apply -f cm.yaml".to_string()];
        assert_eq!(
            pg.load(files, &commands, 1),
            Ok("cm.yaml\nconfigmap/a created\n".to_string())
        );
        assert_eq!(pg.files.len(), 1);
        let bad = BTreeMap::from([("a/b".to_string(), String::new())]);
        assert!(pg.load(bad, &[], 1).is_err());
        assert!(
            pg.files.contains_key("cm.yaml"),
            "a refused load changes nothing"
        );
        assert_eq!(
            pg.load(BTreeMap::new(), &["echo hi".to_string()], 1),
            Ok("hi\n".to_string())
        );
    }

    #[test]
    fn delete_never_removes_the_last_file_and_the_terminal_sees_changes() {
        let mut pg = Playground::new(1, 1, Mode::Script);
        assert!(pg.delete_file(SEED_FILE).unwrap_err().contains("only file"));
        let name = pg.add_file();
        pg.rename_file(&name, "web.yaml").unwrap();
        pg.delete_file(SEED_FILE).unwrap();
        assert_eq!(pg.exec(0, "ls"), "web.yaml\n");
        assert!(pg.delete_file("nope").is_err());
    }
}
