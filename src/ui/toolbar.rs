//! The top bar: the brand, Apply, and the controls of the virtual clock.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::i18n::{use_lang, Msg};
use super::theme::ThemeButton;
use crate::playground::{clock_label, moment_label};
use crate::sim::clock::Millis;

/// Play speeds: virtual milliseconds per real millisecond, and their labels.
/// "max" runs until the cluster settles on every tick.
pub const SPEEDS: [(f64, &str); 7] = [
    (0.5, "0.5×"),
    (1.0, "1×"),
    (2.0, "2×"),
    (5.0, "5×"),
    (10.0, "10×"),
    (100.0, "100×"),
    (f64::INFINITY, "max"),
];
/// 1×: virtual time runs as fast as real time.
pub const DEFAULT_SPEED: usize = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Apply,
    TogglePlay,
    Step,
    StepBack,
    Settle,
    Reset,
    /// English ↔ 简体中文.
    SwitchLanguage,
    /// An index into [`SPEEDS`].
    Speed(usize),
}

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub now: Millis,
    pub next_change: Option<Millis>,
    pub can_step_back: bool,
    pub playing: bool,
    pub speed: usize,
    pub on_action: Callback<Action>,
}

#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let lang = use_lang();
    let t = |msg| lang.t(msg);
    let send = |action: Action| props.on_action.reform(move |_: MouseEvent| action);
    let on_speed = props.on_action.reform(|e: Event| {
        let index = e.target_unchecked_into::<HtmlSelectElement>().value();
        Action::Speed(index.parse().unwrap_or(DEFAULT_SPEED))
    });
    let pending = match props.next_change.map(|at| at.saturating_sub(props.now)) {
        Some(0) => t(Msg::NextChangeNow).to_string(),
        Some(wait) if wait < 1000 => {
            lang.fill(Msg::NextChangeIn, &[("wait", &format!("{wait} ms"))])
        }
        Some(wait) => lang.fill(Msg::NextChangeIn, &[("wait", &clock_label(wait))]),
        None => t(Msg::SettledNothingPending).to_string(),
    };
    let (play_icon, play_label) = if props.playing {
        (icon(PAUSE), t(Msg::Pause))
    } else {
        (icon(PLAY), t(Msg::Play))
    };
    let other = lang.other();
    html! {
        <header class="topbar">
            <h1 class="brand">
                <svg class="brand-mark" viewBox="0 0 64 64" aria-hidden="true" focusable="false">
                    // The favicon's three pods with stable ordinals (www/icon.svg), without digits.
                    <rect x="4" y="4" width="56" height="56" rx="12" fill="#161b22" />
                    <rect x="12" y="10" width="40" height="13" rx="3" fill="#58a6ff" />
                    <rect x="12" y="26" width="40" height="13" rx="3" fill="#3fb950" />
                    <rect x="12" y="42" width="40" height="13" rx="3" fill="#d29922" />
                </svg>
                <span class="brand-name">{"stsplay"}</span>
                <span class="subtitle">{t(Msg::Subtitle)}</span>
            </h1>
            <div class="toolbar" role="group" aria-label={t(Msg::Controls)}>
                <button type="button" class="btn primary" onclick={send(Action::Apply)}
                    title={t(Msg::ApplyTitle)}>
                    {icon(APPLY)}{t(Msg::Apply)}
                </button>
                <span class="toolbar-sep" aria-hidden="true"></span>
                <button type="button" class="btn play" onclick={send(Action::TogglePlay)}
                    title={t(Msg::PlayTitle)}>
                    {play_icon}<span class="btn-label">{play_label}</span>
                </button>
                <button type="button" class="btn" onclick={send(Action::StepBack)}
                    disabled={!props.can_step_back} title={t(Msg::StepBackTitle)}>
                    {icon(STEP_BACK)}<span class="btn-label">{t(Msg::StepBack)}</span>
                </button>
                <button type="button" class="btn" onclick={send(Action::Step)}
                    title={t(Msg::StepTitle)}>
                    {icon(STEP)}<span class="btn-label">{t(Msg::Step)}</span>
                </button>
                <button type="button" class="btn" onclick={send(Action::Settle)}
                    title={t(Msg::SettleTitle)}>
                    {icon(SETTLE)}<span class="btn-label">{t(Msg::Settle)}</span>
                </button>
                <label class="speed">
                    <span class="speed-label" aria-hidden="true">{t(Msg::Speed)}</span>
                    <select class="select" aria-label={t(Msg::Speed)} onchange={on_speed}>
                        { for SPEEDS.iter().enumerate().map(|(i, (_, label))| html! {
                            <option value={i.to_string()} selected={i == props.speed}>{*label}</option>
                        }) }
                    </select>
                </label>
                <span class="clock-group">
                    <span class="clock" role="timer" aria-label={t(Msg::VirtualTime)}
                        title={t(Msg::VirtualTimeTitle)}>
                        {format!("t = {}", moment_label(props.now))}
                    </span>
                    <span class="clock-next">{pending}</span>
                </span>
                <span class="toolbar-sep" aria-hidden="true"></span>
                <button type="button" class="btn subtle" onclick={send(Action::Reset)}
                    title={t(Msg::ResetTitle)}>
                    {icon(RESET)}<span class="btn-label">{t(Msg::Reset)}</span>
                </button>
            </div>
            <div class="prefs">
                <ThemeButton />
                <button type="button" class="btn" lang={other.tag()} onclick={send(Action::SwitchLanguage)}
                    title={t(Msg::SwitchLanguage)}>
                    {other.t(Msg::LanguageName)}
                </button>
            </div>
        </header>
    }
}

fn icon(path: &'static str) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d={path} />
        </svg>
    }
}

// 16×16 glyphs, filled with the text colour.
const APPLY: &str = "M6.2 11.6 2.6 8l1.2-1.2 2.4 2.4 6-6L13.4 4.4z";
const PLAY: &str = "M4 2.5v11l9-5.5z";
const PAUSE: &str = "M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z";
const STEP: &str = "M3 2.5v11l7-5.5zM11 2.5h2v11h-2z";
const STEP_BACK: &str = "M13 2.5v11L6 8zM3 2.5h2v11H3z";
const SETTLE: &str = "M1.5 2.5v11l6-5.5zM8 2.5v11l6-5.5z";
const RESET: &str = "M8 2.5a5.5 5.5 0 1 1-5.2 3.7l1.4.5A4 4 0 1 0 8 4v2L4.8 3.3 8 .5z";
