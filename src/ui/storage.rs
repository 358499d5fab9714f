//! What the page keeps in localStorage: the session (as a replayable journal,
//! see `Playground::save`) and the theme. Storage may be missing or full
//! (private windows, quotas); the page then works without it.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use web_sys::Storage;

use super::session::{Session, SEED};
use crate::playground::Playground;

const SESSION_KEY: &str = "stsplay.session";
/// Where a save that no longer replays is moved, so it is never lost silently.
const SET_ASIDE_KEY: &str = "stsplay.session.unreadable";
/// Preferences, each remembered under its own key.
pub const THEME_KEY: &str = "stsplay.theme";
pub const LANG_KEY: &str = "stsplay.lang";
/// The editor's open file.
pub const FILE_KEY: &str = "stsplay.file";
/// How the splitters divide the page (see `Panes`).
pub const PANES_KEY: &str = "stsplay.panes";
/// The two terminals on screen, as "0,1", and the one Apply runs in.
pub const TERMINALS_KEY: &str = "stsplay.terminals";
pub const ACTIVE_TERMINAL_KEY: &str = "stsplay.terminal";

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A save that could not be replayed: why, where it was moved, and whether
/// the editor kept its files.
pub struct SetAside {
    pub why: String,
    pub key: &'static str,
    pub files_kept: bool,
}

/// The saved session replayed, or a fresh tutorial; with what was set aside
/// when a save could not be replayed.
pub fn load_session() -> (Playground, Option<SetAside>) {
    let saved = storage().and_then(|s| s.get_item(SESSION_KEY).ok().flatten());
    let Some(json) = saved else {
        return (Playground::tutorial(SEED), None);
    };
    match Playground::restore(&json) {
        Ok(playground) => (playground, None),
        Err(why) => {
            if let Some(storage) = storage() {
                let _ = storage.set_item(SET_ASIDE_KEY, &json);
                let _ = storage.remove_item(SESSION_KEY);
            }
            let mut playground = Playground::tutorial(SEED);
            let files = Playground::saved_files(&json);
            let files_kept = files.is_some();
            if let Some(files) = files {
                playground.files = files;
            }
            let set_aside = SetAside {
                why,
                key: SET_ASIDE_KEY,
                files_kept,
            };
            (playground, Some(set_aside))
        }
    }
}

fn save_session(playground: &Playground) {
    if let Some(storage) = storage() {
        // A full quota only costs persistence; the session itself goes on.
        let _ = storage.set_item(SESSION_KEY, &playground.save());
    }
}

/// Real milliseconds a change may wait before it is saved: serializing the
/// journal at every tick of Play would cost more than the tick.
const SAVE_DELAY_MS: u32 = 1_000;

/// Saves the session at most once per [`SAVE_DELAY_MS`], and at once when
/// the page goes away (reload, closed tab) or the app is unmounted, so no
/// change is lost.
pub struct Autosave {
    session: Session,
    pending: Rc<RefCell<Option<Timeout>>>,
    on_pagehide: Option<Closure<dyn Fn()>>,
}

impl Autosave {
    pub fn new(session: &Session) -> Autosave {
        let pending = Rc::new(RefCell::new(None::<Timeout>));
        let on_pagehide = {
            let (session, pending) = (session.clone(), pending.clone());
            Closure::<dyn Fn()>::new(move || {
                if pending.borrow_mut().take().is_some() {
                    save_session(&session.read());
                }
            })
        };
        let window = web_sys::window();
        let listening = window.is_some_and(|w| {
            w.add_event_listener_with_callback("pagehide", on_pagehide.as_ref().unchecked_ref())
                .is_ok()
        });
        Autosave {
            session: session.clone(),
            pending,
            on_pagehide: listening.then_some(on_pagehide),
        }
    }

    /// The session changed: save it soon (a save already waiting will
    /// write the latest state).
    pub fn schedule(&self) {
        if self.pending.borrow().is_some() {
            return;
        }
        let (session, pending) = (self.session.clone(), self.pending.clone());
        let timer = Timeout::new(SAVE_DELAY_MS, move || {
            pending.borrow_mut().take();
            save_session(&session.read());
        });
        *self.pending.borrow_mut() = Some(timer);
    }
}

impl Drop for Autosave {
    fn drop(&mut self) {
        if let Some(timer) = self.pending.borrow_mut().take() {
            timer.cancel();
            save_session(&self.session.read());
        }
        if let (Some(window), Some(listener)) = (web_sys::window(), self.on_pagehide.take()) {
            let _ = window
                .remove_event_listener_with_callback("pagehide", listener.as_ref().unchecked_ref());
        }
    }
}

pub fn load_preference(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

pub fn save_preference(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}
