//! Light, dark, or whatever the system prefers: `data-theme` on the root
//! element picks the `color-scheme` that www/style.css's colours follow.

use yew::prelude::*;

use super::storage;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// Its name, both in localStorage and in the button's label.
    fn key(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    /// 16×16 glyphs: a half-filled circle, a sun, a moon.
    fn icon(self) -> &'static str {
        match self {
            Theme::System => "M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zm0 1.5v10a5 5 0 0 1 0-10z",
            Theme::Light => "M8 4.5a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7zM7.25 0h1.5v2.5h-1.5zM7.25 13.5h1.5V16h-1.5zM0 7.25h2.5v1.5H0zM13.5 7.25H16v1.5h-2.5zM2.1 3.2l1.1-1.1 1.8 1.8-1.1 1.1zM11 12.1l1.1-1.1 1.8 1.8-1.1 1.1zM2.1 12.8l1.8-1.8 1.1 1.1-1.8 1.8zM11 3.9l1.8-1.8 1.1 1.1-1.8 1.8z",
            Theme::Dark => "M6.2 1.2a6.8 6.8 0 1 0 8.6 8.6A5.6 5.6 0 0 1 6.2 1.2z",
        }
    }

    fn from_key(key: &str) -> Theme {
        Theme::ALL
            .into_iter()
            .find(|t| t.key() == key)
            .unwrap_or(Theme::System)
    }
}

/// A button that cycles System → Light → Dark, applying and remembering the choice.
#[component]
pub fn ThemeButton() -> Html {
    let theme = use_state_eq(|| Theme::from_key(&storage::load_theme().unwrap_or_default()));
    use_effect_with(*theme, |theme| {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element());
        if let Some(root) = root {
            let _ = match theme {
                Theme::System => root.remove_attribute("data-theme"),
                chosen => root.set_attribute("data-theme", chosen.key()),
            };
        }
        storage::save_theme(theme.key());
    });
    let next = theme.next();
    let onclick = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| theme.set(next))
    };
    html! {
        <button type="button" class="btn icon-only" {onclick}
            aria-label={format!("Theme: {}", theme.key())}
            title={format!("Theme: {} (click for {})", theme.key(), next.key())}>
            <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <path d={theme.icon()} />
            </svg>
        </button>
    }
}
