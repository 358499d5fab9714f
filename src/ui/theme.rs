//! Light, dark, or whatever the system prefers: `data-theme` on the root
//! element picks the `color-scheme` that www/style.css's colours follow.

use yew::prelude::*;

use super::dom::set_root_attribute;
use super::i18n::{use_lang, Msg};
use super::storage;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// Its name in localStorage and in `data-theme`.
    fn key(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn label(self) -> Msg {
        match self {
            Theme::System => Msg::ThemeSystem,
            Theme::Light => Msg::ThemeLight,
            Theme::Dark => Msg::ThemeDark,
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
    let lang = use_lang();
    let theme = use_state_eq(|| {
        Theme::from_key(&storage::load_preference(storage::THEME_KEY).unwrap_or_default())
    });
    use_effect_with(*theme, |theme| {
        let chosen = (*theme != Theme::System).then(|| theme.key());
        set_root_attribute("data-theme", chosen);
        storage::save_preference(storage::THEME_KEY, theme.key());
    });
    let next = theme.next();
    let onclick = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| theme.set(next))
    };
    html! {
        <button type="button" class="btn icon-only" {onclick}
            aria-label={lang.fill(Msg::ThemeLabel, &[("theme", lang.t(theme.label()))])}
            title={lang.fill(Msg::ThemeTitle, &[
                ("theme", lang.t(theme.label())),
                ("next", lang.t(next.label())),
            ])}>
            <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <path d={theme.icon()} />
            </svg>
        </button>
    }
}
