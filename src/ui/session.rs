//! The one playground a page works on, shared by every component, the Play
//! timer and the scripting API. Changing it goes through [`Session::update`],
//! which remembers the moment before (for Step back) and re-renders the page.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use yew::Callback;

use crate::playground::{Playground, Timeline};

/// The seed of the tutorial's cluster; Reset starts over from it.
pub const SEED: u64 = 1;

#[derive(Clone)]
pub struct Session {
    playground: Rc<RefCell<Playground>>,
    timeline: Rc<RefCell<Timeline>>,
    /// Bumped on every change, so that components re-render exactly when the
    /// playground changed (props compare equal otherwise).
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
        timeline: Rc<RefCell<Timeline>>,
        version: u64,
        changed: Callback<()>,
    ) -> Session {
        Session {
            playground,
            timeline,
            version,
            changed,
        }
    }

    pub fn read(&self) -> Ref<'_, Playground> {
        self.playground.borrow()
    }

    /// Changes the playground, then re-renders. The borrow ends before the
    /// re-render starts, because Yew may render synchronously.
    pub fn update<R>(&self, change: impl FnOnce(&mut Playground) -> R) -> R {
        let result = self
            .timeline
            .borrow_mut()
            .record(&mut self.playground.borrow_mut(), change);
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
        self.changed.emit(());
        result
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
        !self.timeline.borrow().is_empty()
    }

    /// Back to the moment before the latest visible change; false if none.
    pub fn step_back(&self) -> bool {
        let stepped = self
            .timeline
            .borrow_mut()
            .back(&mut self.playground.borrow_mut());
        self.changed.emit(());
        stepped
    }

    /// Shows moment `at` of the timeline (the scrubber).
    pub fn seek(&self, at: usize) {
        self.timeline
            .borrow_mut()
            .seek(&mut self.playground.borrow_mut(), at);
        self.changed.emit(());
    }

    /// The scrubber's view: the moment shown, and every change's label.
    pub fn moments(&self) -> (usize, Vec<String>) {
        let timeline = self.timeline.borrow();
        let labels = (1..timeline.moments())
            .map(|at| timeline.label(at).unwrap_or_default().to_string())
            .collect();
        (timeline.position(), labels)
    }

    /// A fresh tutorial cluster and terminals; the editor's files stay.
    pub fn reset(&self) {
        {
            let mut playground = self.playground.borrow_mut();
            let files = std::mem::take(&mut playground.files);
            *playground = Playground::tutorial(SEED);
            playground.files = files;
        }
        self.timeline.borrow_mut().clear();
        self.changed.emit(());
    }
}
