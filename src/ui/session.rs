//! The one playground a page works on, shared by every component, the Play
//! timer and the scripting API. Changing it goes through [`Session::update`],
//! which remembers the moment before (for Step back) and re-renders the page.

use std::cell::{Ref, RefCell};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::rc::Rc;

use yew::Callback;

use crate::playground::{Input, Playground, Timeline};

/// The seed of the tutorial's cluster; Reset starts over from it.
pub const SEED: u64 = 1;

/// What a session keeps besides the playground: its moments, and a count
/// of the changes that may have touched the editor's files.
#[derive(Default)]
pub struct History {
    timeline: Timeline,
    files_changes: u64,
}

/// What the scrubber shows; see [`Session::moments`].
pub struct Moments {
    pub position: usize,
    pub last: usize,
    pub shown: Option<String>,
    pub marks: Vec<(usize, String)>,
}

#[derive(Clone)]
pub struct Session {
    playground: Rc<RefCell<Playground>>,
    history: Rc<RefCell<History>>,
    /// Bumped on every change, so that components re-render exactly when the
    /// playground changed (props compare equal otherwise); a [`Session::view`]
    /// holds a fingerprint of one part instead.
    version: u64,
    changed: Callback<()>,
}

impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.playground, &other.playground) && self.version == other.version
    }
}

impl Session {
    pub fn new(
        playground: Rc<RefCell<Playground>>,
        history: Rc<RefCell<History>>,
        version: u64,
        changed: Callback<()>,
    ) -> Session {
        Session {
            playground,
            history,
            version,
            changed,
        }
    }

    /// The same session, comparing equal to another view while `fingerprint`
    /// is the same: a component given it re-renders only when the part it
    /// shows changed, not at every tick of the clock.
    fn view(&self, fingerprint: u64) -> Session {
        Session {
            version: fingerprint,
            ..self.clone()
        }
    }

    /// A view for the editor: it changes when the files may have.
    pub fn files_view(&self) -> Session {
        self.view(self.history.borrow().files_changes)
    }

    /// A view for terminal `index`: it changes when its screen, prompt or
    /// watch does.
    pub fn terminal_view(&self, index: usize) -> Session {
        let mut hasher = DefaultHasher::new();
        {
            let p = self.read();
            let term = p.terminals.get(index);
            term.map(|t| (t.revision(), t.is_busy())).hash(&mut hasher);
            // Closing a terminal renumbers the ones after it.
            p.terminals.len().hash(&mut hasher);
            p.prompt_of(index).hash(&mut hasher);
        }
        self.view(hasher.finish())
    }

    pub fn read(&self) -> Ref<'_, Playground> {
        self.playground.borrow()
    }

    /// Settle, keeping each change on the way as a moment (see
    /// [`Timeline::settle`]), with one re-render at the end; false if the
    /// cluster did not settle within the bound.
    pub fn settle(&self) -> bool {
        /// More moments than Step back is worth clicking through; a large
        /// set's settle would also spend seconds copying snapshots.
        const SETTLE_MOMENTS: usize = 500;
        let settled = self
            .history
            .borrow_mut()
            .timeline
            .settle(&mut self.playground.borrow_mut(), SETTLE_MOMENTS);
        self.changed.emit(());
        settled
    }

    /// Changes the playground, then re-renders. The borrow ends before the
    /// re-render starts, because Yew may render synchronously.
    pub fn update<R>(&self, change: impl FnOnce(&mut Playground) -> R) -> R {
        let result = {
            let mut playground = self.playground.borrow_mut();
            let journaled = playground.journal.inputs().len();
            let mut history = self.history.borrow_mut();
            let result = history.timeline.record(&mut playground, change);
            // Only commands (and `load`) touch files; the clock never does.
            let inputs = playground.journal.inputs();
            let typed = inputs.get(journaled..).unwrap_or_default().iter();
            if typed
                .into_iter()
                .any(|i| matches!(i, Input::Run { .. } | Input::Files { .. }))
            {
                history.files_changes += 1;
            }
            result
        };
        self.changed.emit(());
        result
    }

    /// Edits a file. Step back leaves files alone, so this is not recorded.
    pub fn edit_file(&self, name: &str, text: String) {
        self.change_files(|p| p.files.insert(name.to_string(), text));
    }

    /// Adds, renames or deletes files: like [`Session::edit_file`], not recorded.
    pub fn change_files<R>(&self, change: impl FnOnce(&mut Playground) -> R) -> R {
        let result = change(&mut self.playground.borrow_mut());
        self.history.borrow_mut().files_changes += 1;
        self.changed.emit(());
        result
    }

    /// Deletes a file. Deleting a `kubectl edit` buffer quits its editor,
    /// which ends the edit in its terminal: that is a moment of the timeline.
    pub fn delete_file(&self, name: &str) -> Result<(), String> {
        if self.read().is_edit_buffer(name) {
            self.update(|p| p.delete_file(name))
        } else {
            self.change_files(|p| p.delete_file(name))
        }
    }

    /// Opens or closes terminal tabs: not a moment of the timeline either,
    /// since the cluster and the screens shown do not change.
    pub fn change_terminals<R>(&self, change: impl FnOnce(&mut Playground) -> R) -> R {
        self.change_files(change)
    }

    /// The file `vim`/`nano` asked the editor to open, once.
    pub fn take_pending_edit(&self) -> Option<String> {
        self.playground.borrow_mut().pending_edit.take()
    }

    pub fn can_step_back(&self) -> bool {
        self.history.borrow().timeline.position() > 0
    }

    /// The user is idle: a good time to keep a copy of the present for the
    /// timeline (see [`Timeline::keep_present`]), every few moments.
    pub fn keep_present(&self) {
        const GAP: usize = 4;
        self.history
            .borrow_mut()
            .timeline
            .keep_present(&mut self.playground.borrow_mut(), GAP);
    }

    /// Back to the moment before the latest visible change; false if none.
    pub fn step_back(&self) -> bool {
        let stepped = self
            .history
            .borrow_mut()
            .timeline
            .back(&mut self.playground.borrow_mut());
        self.changed.emit(());
        stepped
    }

    /// Shows moment `at` of the timeline (the scrubber).
    pub fn seek(&self, at: usize) {
        self.history
            .borrow_mut()
            .timeline
            .seek(&mut self.playground.borrow_mut(), at);
        self.changed.emit(());
    }

    /// The scrubber's view: the moment shown, the newest one, what the change
    /// into the shown moment showed, and at most `max_marks` marked moments
    /// (evenly spread) with their labels.
    pub fn moments(&self, max_marks: usize) -> Moments {
        let history = self.history.borrow();
        let timeline = &history.timeline;
        let last = timeline.moments() - 1;
        let label = |at: usize| timeline.label(at).unwrap_or_default().to_string();
        let every = last.div_ceil(max_marks.max(1)).max(1);
        let marks = (1..=last)
            .filter(|at| at % every == 0 || *at == last)
            .map(|at| (at, label(at)))
            .collect();
        Moments {
            position: timeline.position(),
            last,
            shown: timeline.label(timeline.position()).map(String::from),
            marks,
        }
    }

    /// A fresh tutorial cluster and terminals; the editor's files stay.
    pub fn reset(&self) {
        {
            let mut playground = self.playground.borrow_mut();
            let files = std::mem::take(&mut playground.files);
            *playground = Playground::tutorial(SEED);
            playground.files = files;
        }
        self.history.borrow_mut().timeline.clear();
        self.changed.emit(());
    }
}
