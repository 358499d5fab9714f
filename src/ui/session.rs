//! The one playground a page works on, shared by every component, the Play
//! timer and the scripting API. Changing it goes through [`Session::update`],
//! which re-renders the page.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use yew::Callback;

use crate::playground::Playground;

/// The seed of the tutorial's cluster; Reset starts over from it.
pub const SEED: u64 = 1;

#[derive(Clone)]
pub struct Session {
    playground: Rc<RefCell<Playground>>,
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
        version: u64,
        changed: Callback<()>,
    ) -> Session {
        Session {
            playground,
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
        let result = change(&mut self.playground.borrow_mut());
        self.changed.emit(());
        result
    }

    /// A fresh tutorial cluster and terminals; the editor's files stay.
    pub fn reset(&self) {
        self.update(|playground| {
            let files = std::mem::take(&mut playground.files);
            *playground = Playground::tutorial(SEED);
            playground.files = files;
        });
    }
}
