//! The session's inputs, in order. A seed and its journal rebuild the same
//! playground, because the simulation is deterministic: this is how a browser
//! keeps a session across reloads without serializing the cluster.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Mode, Playground, MAX_TERMINALS};
use crate::sim::clock::{Millis, MINUTE};

/// Bump when a saved journal would no longer replay to the same playground.
/// 2: a blocking kubectl command typed alone waits for the clock instead of
/// running it, and nodes take 110 pods.
pub const SAVE_FORMAT: u32 = 2;
/// Limits that keep a tampered or corrupt save from hanging the page.
const MAX_INPUTS: usize = 200_000;
const MAX_ADVANCE: Millis = 7 * 24 * 60 * MINUTE;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum Input {
    /// The editor's files, as the commands after it read them.
    Files {
        files: BTreeMap<String, String>,
    },
    Run {
        terminal: usize,
        line: String,
        /// Run to its end at once, blocking commands and all
        /// (`window.stsplay.exec`), not as typed.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        to_end: bool,
    },
    Interrupt {
        terminal: usize,
    },
    Clear {
        terminal: usize,
    },
    /// A new terminal tab.
    Open,
    Close {
        terminal: usize,
    },
    /// Apply on a `kubectl edit` buffer.
    SaveEdit {
        file: String,
    },
    /// A `kubectl edit` buffer's tab closed unsaved.
    QuitEdit {
        file: String,
    },
    Step,
    Advance {
        ms: Millis,
    },
    Settle,
}

#[derive(Clone, Debug, Default)]
pub struct Journal {
    inputs: Vec<Input>,
    /// The files as of the latest `Files` input (or the start).
    files: BTreeMap<String, String>,
    /// How many terminals there were before the first input.
    terminals: usize,
    /// The latest input is an Advance after which nothing changed in the
    /// store, so the next Advance may extend it: replaying one long advance
    /// then prints exactly what the two short ones printed.
    quiet_advance: bool,
}

impl Journal {
    pub(super) fn starting_with(files: &BTreeMap<String, String>, terminals: usize) -> Journal {
        Journal {
            files: files.clone(),
            terminals,
            ..Journal::default()
        }
    }

    pub fn inputs(&self) -> &[Input] {
        &self.inputs
    }

    /// The files as the latest command read them.
    pub(super) fn last_files(&self) -> &BTreeMap<String, String> {
        &self.files
    }

    /// Notes the files a command is about to read, if they changed.
    pub(super) fn files(&mut self, files: &BTreeMap<String, String>) {
        if *files != self.files {
            self.files = files.clone();
            self.push(Input::Files {
                files: files.clone(),
            });
        }
    }

    pub(super) fn push(&mut self, input: Input) {
        self.quiet_advance = false;
        self.inputs.push(input);
    }

    /// Notes an advance of `ms`; `quiet` when it changed nothing in the store.
    pub(super) fn advance(&mut self, ms: Millis, quiet: bool) {
        match self.inputs.last_mut() {
            Some(Input::Advance { ms: earlier }) if self.quiet_advance => {
                *earlier = earlier.saturating_add(ms)
            }
            _ => self.inputs.push(Input::Advance { ms }),
        }
        self.quiet_advance = quiet;
    }
}

/// What a browser keeps: the seed, the inputs, and the files as they are now.
#[derive(Serialize, Deserialize)]
struct Saved<'a> {
    format: u32,
    seed: u64,
    /// How many terminals the session started with; `Open` and `Close`
    /// inputs change that later.
    terminals: usize,
    inputs: Cow<'a, [Input]>,
    files: Cow<'a, BTreeMap<String, String>>,
}

impl Playground {
    /// The session as JSON, for [`Playground::restore`].
    pub fn save(&self) -> String {
        let saved = Saved {
            format: SAVE_FORMAT,
            seed: self.seed,
            terminals: self.journal.terminals,
            inputs: Cow::Borrowed(self.journal.inputs()),
            files: Cow::Borrowed(&self.files),
        };
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// The editor's files of a save this version cannot replay (another
    /// format, say), so that a learner's manifests outlive the session.
    pub fn saved_files(json: &str) -> Option<BTreeMap<String, String>> {
        #[derive(Deserialize)]
        struct Files {
            files: BTreeMap<String, String>,
        }
        serde_json::from_str::<Files>(json)
            .ok()
            .map(|saved| saved.files)
            .filter(|files| !files.is_empty())
    }

    /// Replays a saved session, or says why it cannot.
    pub fn restore(json: &str) -> Result<Playground, String> {
        let saved: Saved = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if saved.format != SAVE_FORMAT {
            return Err(format!(
                "it was saved in format {}, and this version reads format {SAVE_FORMAT}",
                saved.format
            ));
        }
        if saved.terminals == 0 || saved.terminals > MAX_TERMINALS {
            return Err(format!("it has {} terminals", saved.terminals));
        }
        if saved.inputs.len() > MAX_INPUTS {
            return Err(format!("it has {} inputs", saved.inputs.len()));
        }
        let mut playground = Playground::new(saved.seed, saved.terminals, Mode::Interactive);
        for input in saved.inputs.iter() {
            playground.replay(input)?;
        }
        playground.files = saved.files.into_owned();
        Ok(playground)
    }

    fn replay(&mut self, input: &Input) -> Result<(), String> {
        match input {
            Input::Advance { ms } if *ms > MAX_ADVANCE => {
                Err(format!("it advances the clock by {ms} ms at once"))
            }
            _ => {
                self.apply(input);
                Ok(())
            }
        }
    }

    /// Does again what an input did when it was journaled (the timeline
    /// rebuilds earlier moments this way).
    pub(super) fn apply(&mut self, input: &Input) {
        match input {
            Input::Files { files } => self.files = files.clone(),
            Input::Run {
                terminal,
                line,
                to_end,
            } => {
                self.run_line(*terminal, line, *to_end);
            }
            Input::Interrupt { terminal } => self.interrupt(*terminal),
            Input::Clear { terminal } => self.clear_screen(*terminal),
            Input::Open => {
                self.open_terminal();
            }
            Input::Close { terminal } => {
                self.close_terminal(*terminal);
            }
            Input::SaveEdit { file } => {
                self.save_edit(file);
            }
            Input::QuitEdit { file } => {
                self.quit_edit(file);
            }
            Input::Step => {
                self.step();
            }
            Input::Advance { ms } => self.advance(*ms),
            Input::Settle => {
                self.settle();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::SEED_FILE;

    fn screens(playground: &Playground) -> Vec<String> {
        playground.terminals.iter().map(|t| t.text()).collect()
    }

    #[test]
    fn a_restored_session_looks_the_same() {
        let mut playground = Playground::tutorial(7);
        playground.run(1, "kubectl apply -f statefulset.yaml");
        for _ in 0..5 {
            playground.step();
        }
        for _ in 0..40 {
            playground.advance(100);
        }
        let edited = playground.files[SEED_FILE].replace("replicas: 2", "replicas: 3");
        playground.files.insert(SEED_FILE.into(), edited);
        playground.run(1, "kubectl apply -f statefulset.yaml");
        playground.interrupt(0);
        playground.run(0, "kubectl get pods");
        playground.settle();
        playground.clear_screen(1);
        playground.run(1, "kubectl get sts web");
        playground
            .files
            .insert("draft.yaml".into(), "kind: Pod".into());

        let restored = Playground::restore(&playground.save()).expect("replays");
        assert_eq!(screens(&restored), screens(&playground));
        assert_eq!(restored.cluster.now(), playground.cluster.now());
        assert_eq!(restored.files, playground.files);
        assert_eq!(
            restored.terminals[1].history,
            playground.terminals[1].history
        );
        assert_eq!(restored.save(), playground.save(), "saving again is stable");
    }

    #[test]
    fn quiet_advances_merge_and_busy_ones_do_not() {
        let mut playground = Playground::tutorial(1);
        for _ in 0..10 {
            playground.advance(100);
        }
        assert_eq!(
            playground.journal.inputs().len(),
            2,
            "the watch, one advance"
        );
        assert_eq!(playground.journal.inputs()[1], Input::Advance { ms: 1_000 });
        playground.run(1, "kubectl apply -f statefulset.yaml");
        for _ in 0..100 {
            playground.advance(100);
        }
        assert!(
            playground.journal.inputs().len() > 4,
            "advances that printed rows stay apart"
        );
        let restored = Playground::restore(&playground.save()).expect("replays");
        assert_eq!(screens(&restored), screens(&playground));
    }

    #[test]
    fn unreadable_saves_are_refused_with_a_reason() {
        assert!(Playground::restore("{").is_err());
        assert!(Playground::restore("null").is_err());
        let old = r#"{"format":0,"seed":1,"terminals":2,"inputs":[],"files":{}}"#;
        assert!(Playground::restore(old).unwrap_err().contains("format 0"));
        // Its files are still there for the editor.
        let earlier =
            r#"{"format":1,"seed":1,"terminals":2,"inputs":[],"files":{"web.yaml":"kind: Pod"}}"#;
        assert!(Playground::restore(earlier)
            .unwrap_err()
            .contains("format 1"));
        let files = Playground::saved_files(earlier).expect("the files");
        assert_eq!(files["web.yaml"], "kind: Pod");
        assert_eq!(Playground::saved_files(old), None, "no files to keep");
        assert_eq!(Playground::saved_files("{"), None);
        let many = r#"{"format":2,"seed":1,"terminals":1000,"inputs":[],"files":{}}"#;
        assert!(Playground::restore(many).is_err());
        let long = r#"{"format":2,"seed":1,"terminals":2,"inputs":[{"op":"advance","ms":99999999999999}],"files":{}}"#;
        assert!(Playground::restore(long).is_err());
        let stray = r#"{"format":2,"seed":1,"terminals":2,"inputs":[{"op":"run","terminal":9,"line":"ls"}],"files":{}}"#;
        assert!(
            Playground::restore(stray).is_ok(),
            "a missing terminal is ignored"
        );
    }
}
