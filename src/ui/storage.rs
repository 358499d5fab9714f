//! What the page keeps in localStorage: the session (as a replayable journal,
//! see `Playground::save`) and the theme. Storage may be missing or full
//! (private windows, quotas); the page then works without it.

use web_sys::Storage;

use super::session::SEED;
use crate::playground::Playground;

const SESSION_KEY: &str = "stsplay.session";
/// Where a save that no longer replays is moved, so it is never lost silently.
const SET_ASIDE_KEY: &str = "stsplay.session.unreadable";
const THEME_KEY: &str = "stsplay.theme";

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The saved session replayed, or a fresh tutorial; with a message for the
/// user when a save could not be replayed and was set aside.
pub fn load_session() -> (Playground, Option<String>) {
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
            let message = format!(
                "Your saved session could not be restored: {why}. It was set aside in \
                 localStorage as \"{SET_ASIDE_KEY}\", and this is a fresh playground."
            );
            (Playground::tutorial(SEED), Some(message))
        }
    }
}

pub fn save_session(playground: &Playground) {
    if let Some(storage) = storage() {
        // A full quota only costs persistence; the session itself goes on.
        let _ = storage.set_item(SESSION_KEY, &playground.save());
    }
}

pub fn load_theme() -> Option<String> {
    storage()?.get_item(THEME_KEY).ok()?
}

pub fn save_theme(theme: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(THEME_KEY, theme);
    }
}
