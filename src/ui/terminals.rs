//! The terminals: a tab per terminal (+ opens one, × closes one of the
//! extra ones), and two of them on screen, one above the other, so a watch
//! can run in one while commands are typed in the other. Choosing a tab that
//! is not on screen puts it in the lower place, unless a watch runs there
//! and not in the upper one: a running watch stays in view.

use yew::prelude::*;

use super::dom::focus_first;
use super::i18n::{use_lang, Msg};
use super::panes::Panes;
use super::session::Session;
use super::splitter::{Axis, Splitter};
use super::storage;
use super::terminal::TerminalPane;
use crate::playground::MAX_TERMINALS;

/// The tutorial's two terminals stay; the ones opened later can be closed.
const FIRST_CLOSABLE: usize = 2;
/// The least height of a terminal on screen, in px.
const MIN_TERMINAL_PX: f64 = 110.0;

#[derive(Properties, PartialEq)]
pub struct TerminalsProps {
    pub session: Session,
    /// The terminal Apply runs in: the one last used.
    pub active: usize,
    pub on_activate: Callback<usize>,
    pub panes: Panes,
    pub on_resize: Callback<Panes>,
}

#[component]
pub fn Terminals(props: &TerminalsProps) -> Html {
    let lang = use_lang();
    let stored = use_state_eq(load_shown);
    // A terminal whose input should get the focus once it is on screen.
    let focus_wanted = use_mut_ref(|| None::<usize>);

    let (count, busy): (usize, Vec<bool>) = {
        let p = props.session.read();
        (
            p.terminals.len(),
            p.terminals.iter().map(|t| t.is_busy()).collect(),
        )
    };
    let is_busy = |i: usize| busy.get(i).copied().unwrap_or(false);
    let shown = fit(show(&stored, props.active, is_busy), count);
    {
        let stored = stored.clone();
        use_effect_with(shown.clone(), move |shown| {
            stored.set(shown.clone());
            save_shown(shown);
        });
    }
    {
        let focus_wanted = focus_wanted.clone();
        use_effect(move || {
            if let Some(terminal) = focus_wanted.borrow_mut().take() {
                focus_first(&format!(
                    "[data-testid=\"terminal-{terminal}\"] .terminal-input"
                ));
            }
        });
    }

    let select = |terminal: usize| {
        let on_activate = props.on_activate.clone();
        let focus_wanted = focus_wanted.clone();
        Callback::from(move |_: MouseEvent| {
            *focus_wanted.borrow_mut() = Some(terminal);
            on_activate.emit(terminal);
        })
    };
    let open = {
        let session = props.session.clone();
        let on_activate = props.on_activate.clone();
        let focus_wanted = focus_wanted.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(terminal) = session.change_terminals(|p| p.open_terminal()) {
                *focus_wanted.borrow_mut() = Some(terminal);
                on_activate.emit(terminal);
            }
        })
    };
    let close = |terminal: usize| {
        let session = props.session.clone();
        let on_activate = props.on_activate.clone();
        let stored = stored.clone();
        let shown = shown.clone();
        let active = props.active;
        Callback::from(move |_: MouseEvent| {
            if !session.change_terminals(|p| p.close_terminal(terminal)) {
                return;
            }
            let left = session.read().terminals.len();
            let moved_up = |i: usize| if i > terminal { i - 1 } else { i };
            let kept: Vec<usize> = shown
                .iter()
                .filter(|&&i| i != terminal)
                .map(|&i| moved_up(i))
                .collect();
            let next = fit(kept, left);
            let next_active = if active == terminal {
                next.last().copied().unwrap_or(0)
            } else {
                moved_up(active)
            };
            stored.set(next);
            on_activate.emit(next_active);
        })
    };

    let tabs = (0..count).map(|i| {
        let number = (i + 1).to_string();
        let on_screen = shown.contains(&i);
        html! {
            <div class={classes!("terminal-tab", on_screen.then_some("shown"),
                (i == props.active).then_some("active"))}>
                <button type="button" class="terminal-tab-name" aria-pressed={on_screen.to_string()}
                    title={lang.fill(Msg::ShowTerminal, &[("n", &number)])} onclick={select(i)}>
                    if is_busy(i) {
                        <span class="terminal-tab-dot" aria-hidden="true" />
                    }
                    {lang.fill(Msg::Terminal, &[("n", &number)])}
                </button>
                if i >= FIRST_CLOSABLE {
                    <button type="button" class="terminal-tab-close" onclick={close(i)}
                        aria-label={lang.fill(Msg::CloseTerminal, &[("n", &number)])}
                        title={lang.fill(Msg::CloseTerminal, &[("n", &number)])}>{"×"}</button>
                }
            </div>
        }
    });
    let pane = |terminal: usize| {
        html! {
            <TerminalPane key={terminal} session={props.session.terminal_view(terminal)} index={terminal}
                active={terminal == props.active} on_focus={props.on_activate.clone()} />
        }
    };
    let on_split = {
        let on_resize = props.on_resize.clone();
        let panes = props.panes;
        Callback::from(move |share: f64| {
            on_resize.emit(Panes {
                terminals: share,
                ..panes
            })
        })
    };
    html! {
        <div class="terminals">
            <div class="terminal-tabs" role="group" aria-label={lang.t(Msg::Terminals)}>
                { for tabs }
                <button type="button" class="terminal-tab-add" onclick={open}
                    disabled={count >= MAX_TERMINALS}
                    aria-label={lang.t(Msg::NewTerminal)} title={lang.t(Msg::NewTerminal)}>{"+"}</button>
            </div>
            <div class="terminal-split" style={props.panes.terminals_style()}>
                { for shown.first().map(|&t| pane(t)) }
                if let Some(&lower) = shown.get(1) {
                    <Splitter axis={Axis::Rows} value={props.panes.terminals}
                        min_px={(MIN_TERMINAL_PX, MIN_TERMINAL_PX)}
                        label={lang.t(Msg::ResizeTerminals)} on_change={on_split} />
                    {pane(lower)}
                }
            </div>
        </div>
    }
}

/// The terminals on screen once `wanted` is shown: in place of the lower
/// one, unless that one runs a watch and the upper one does not.
fn show(shown: &[usize], wanted: usize, busy: impl Fn(usize) -> bool) -> Vec<usize> {
    if shown.contains(&wanted) {
        return shown.to_vec();
    }
    let mut next = shown.to_vec();
    let free_slot = next.iter().rposition(|&t| !busy(t));
    match free_slot.or(next.len().checked_sub(1)) {
        Some(slot) if next.len() >= 2 => next[slot] = wanted,
        _ => next.push(wanted),
    }
    next
}

/// The terminals on screen when the page was last open (the first two
/// the first time, or when what was saved is nonsense).
fn load_shown() -> Vec<usize> {
    storage::load_preference(storage::TERMINALS_KEY)
        .and_then(|saved| terminal_numbers(&saved))
        .unwrap_or_else(|| vec![0, 1])
}

fn save_shown(shown: &[usize]) {
    let text: Vec<String> = shown.iter().map(usize::to_string).collect();
    storage::save_preference(storage::TERMINALS_KEY, &text.join(","));
}

/// "0,3" as terminal indices; at most two, each one a terminal could have.
pub fn terminal_numbers(saved: &str) -> Option<Vec<usize>> {
    let numbers: Vec<usize> = saved
        .split(',')
        .map(|n| n.trim().parse().ok().filter(|&n| n < MAX_TERMINALS))
        .collect::<Option<_>>()?;
    (1..=2).contains(&numbers.len()).then_some(numbers)
}

/// Two distinct terminals that exist (one when there is only one), keeping
/// the order of `shown` and filling in from the lowest numbers.
fn fit(shown: Vec<usize>, count: usize) -> Vec<usize> {
    let mut fitted: Vec<usize> = Vec::new();
    for t in shown {
        if t < count && !fitted.contains(&t) && fitted.len() < 2 {
            fitted.push(t);
        }
    }
    for t in 0..count {
        if fitted.len() >= 2.min(count) {
            break;
        }
        if !fitted.contains(&t) {
            fitted.push(t);
        }
    }
    fitted
}
