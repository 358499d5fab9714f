//! A polite live region that reads out new watch rows to screen readers, at
//! most one every few seconds (the latest row wins), so a fast clock does not
//! drown the reader in rows.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use super::i18n::{use_lang, Lang, Msg};
use super::session::Session;
use crate::playground::LineKind;

/// Real milliseconds between two announcements.
const QUIET_MS: f64 = 2_000.0;

#[derive(Properties, PartialEq)]
pub struct AnnouncerProps {
    pub session: Session,
}

#[component]
pub fn WatchAnnouncer(props: &AnnouncerProps) -> Html {
    let lang = use_lang();
    let latest = latest_watch_row(&props.session, lang);
    let spoken = use_state_eq(String::new);
    let last_spoken_at = use_mut_ref(|| f64::NEG_INFINITY);
    let pending = use_mut_ref(|| None::<Timeout>);
    {
        let spoken = spoken.clone();
        use_effect_with(latest, move |latest| {
            let wait = last_spoken_at.borrow().to_owned() + QUIET_MS - js_sys::Date::now();
            let latest = latest.clone();
            let speak = move || {
                *last_spoken_at.borrow_mut() = js_sys::Date::now();
                spoken.set(latest);
            };
            // A newer row replaces (and so cancels) one still waiting its turn.
            *pending.borrow_mut() = if wait <= 0.0 {
                speak();
                None
            } else {
                Some(Timeout::new(wait as u32, speak))
            };
        });
    }
    html! {
        <div class="visually-hidden" role="status" aria-live="polite">{(*spoken).clone()}</div>
    }
}

/// "Terminal 1: web-0 1/1 Running 0 3s": the last row of the last terminal
/// that is watching (the tutorial has one).
fn latest_watch_row(session: &Session, lang: Lang) -> String {
    let playground = session.read();
    playground
        .terminals
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, t)| t.watch.is_some() || t.follow.is_some())
        .filter_map(|(i, t)| {
            let row = t.lines.last().filter(|l| l.kind == LineKind::Out)?;
            let cells: Vec<&str> = row.text.split_whitespace().collect();
            // The header is not news.
            (cells.first() != Some(&"NAME")).then(|| {
                let n = (i + 1).to_string();
                lang.fill(Msg::Announce, &[("n", &n), ("row", &cells.join(" "))])
            })
        })
        .next()
        .unwrap_or_default()
}
