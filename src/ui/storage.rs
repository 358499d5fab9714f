//! What the page keeps in localStorage: the session (as a replayable journal,
//! see `Playground::save`) and the theme. Storage may be missing or full
//! (private windows, quotas); the page then works without it.

use web_sys::Storage;

use super::session::SEED;
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

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A save that could not be replayed: why, and where it was moved.
pub struct SetAside {
    pub why: String,
    pub key: &'static str,
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
            let set_aside = SetAside {
                why,
                key: SET_ASIDE_KEY,
            };
            (Playground::tutorial(SEED), Some(set_aside))
        }
    }
}

pub fn save_session(playground: &Playground) {
    if let Some(storage) = storage() {
        // A full quota only costs persistence; the session itself goes on.
        let _ = storage.set_item(SESSION_KEY, &playground.save());
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
