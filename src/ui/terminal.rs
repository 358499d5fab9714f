//! One terminal: its screen, a one-line input with history, Tab completion,
//! Ctrl+C and Ctrl+L.
//! While a watch runs, the input stays focusable so Ctrl+C can stop it.

use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

use super::i18n::{use_lang, Msg};
use super::session::Session;
use crate::playground::{Line, LineKind};

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub session: Session,
    pub index: usize,
    /// Apply runs its command here.
    pub active: bool,
    pub on_focus: Callback<usize>,
}

/// How close to the bottom (px) still counts as "following the output".
const FOLLOW_SLACK: i32 = 24;
/// From this many lines on, only the lines in view (and a margin) are in
/// the page, each one row high (`.terminal-output.virtual .row` in style.css).
const VIRTUAL_FROM: usize = 2_000;
const ROW_PX: i32 = 20;
const MARGIN_ROWS: usize = 40;

#[component]
pub fn TerminalPane(props: &TerminalProps) -> Html {
    let index = props.index;
    let lang = use_lang();
    let draft = use_state(String::new);
    // What an ambiguous Tab offered, listed under the input as bash does.
    let choices = use_state_eq(Vec::<String>::new);
    // ↑/↓ position in history (None: the line being typed) and that line.
    let recalled = use_mut_ref(|| None::<usize>);
    let typed = use_mut_ref(String::new);
    let output = use_node_ref();
    let follow = use_mut_ref(|| true);
    // Where the output is scrolled and how tall it is, for the virtual window.
    let view = use_state_eq(|| (0_i32, 800_i32));

    // Keep the newest line in view unless the reader scrolled up.
    {
        let output = output.clone();
        let follow = follow.clone();
        use_effect(move || {
            if let Some(el) = output.cast::<Element>() {
                if *follow.borrow() {
                    el.set_scroll_top(el.scroll_height());
                }
            }
        });
    }
    let onscroll = {
        let follow = follow.clone();
        let view = view.clone();
        Callback::from(move |e: Event| {
            let el: Element = e.target_unchecked_into();
            *follow.borrow_mut() =
                el.scroll_top() + el.client_height() + FOLLOW_SLACK >= el.scroll_height();
            if el.class_name().contains("virtual") {
                view.set((el.scroll_top(), el.client_height()));
            }
        })
    };

    let playground = props.session.read();
    let Some(term) = playground.terminals.get(index) else {
        return html! {};
    };
    // A watch, `logs -f` or blocking command holds the terminal until Ctrl+C.
    let watching = term.running().map(str::to_string);
    // A `kubectl edit` holds it until its buffer is saved or closed.
    let editing = term
        .edit
        .as_ref()
        .map(|(command, session)| (command.clone(), session.path.clone()));
    let busy = term.is_busy();
    let prompt = playground.prompt_of(index);

    let oninput = {
        let draft = draft.clone();
        let choices = choices.clone();
        Callback::from(move |e: InputEvent| {
            draft.set(e.target_unchecked_into::<HtmlInputElement>().value());
            choices.set(Vec::new());
        })
    };
    let following = *follow.borrow();
    let onkeydown = {
        let session = props.session.clone();
        let draft = draft.clone();
        let choices = choices.clone();
        Callback::from(move |e: KeyboardEvent| {
            let ctrl = e.ctrl_key() || e.meta_key();
            let plain = !(ctrl || e.alt_key() || e.shift_key());
            match (ctrl, e.key().as_str()) {
                // On an empty input Tab moves on, so the keyboard is never trapped here.
                (false, "Tab") if plain && !busy && !draft.is_empty() => {
                    e.prevent_default();
                    let input: HtmlInputElement = e.target_unchecked_into();
                    let caret = input
                        .selection_start()
                        .ok()
                        .flatten()
                        .and_then(|c| utf16_to_byte(&draft, c))
                        .unwrap_or(draft.len());
                    let (before, after) = draft.split_at(caret);
                    let completion = session.read().complete(before);
                    draft.set(format!("{}{after}", completion.line));
                    choices.set(completion.choices);
                }
                (false, "Enter") if !busy => {
                    e.prevent_default();
                    choices.set(Vec::new());
                    let line = (*draft).clone();
                    *recalled.borrow_mut() = None;
                    *follow.borrow_mut() = true;
                    draft.set(String::new());
                    session.update(|p| p.run(index, &line));
                }
                (false, "ArrowUp" | "ArrowDown") if !busy => {
                    e.prevent_default();
                    let older = e.key() == "ArrowUp";
                    let playground = session.read();
                    let Some(term) = playground.terminals.get(index) else {
                        return;
                    };
                    let from = *recalled.borrow();
                    if from.is_none() {
                        *typed.borrow_mut() = (*draft).clone();
                    }
                    let to = term.recall(from, older);
                    *recalled.borrow_mut() = to;
                    draft.set(match to.and_then(|i| term.history.get(i)) {
                        Some(entry) => entry.clone(),
                        None => typed.borrow().clone(),
                    });
                }
                (true, "c" | "C") => {
                    let input: HtmlInputElement = e.target_unchecked_into();
                    let selected = input.selection_start().ok().flatten()
                        != input.selection_end().ok().flatten();
                    // With text selected, Ctrl+C copies, as in most terminals' GUIs.
                    if busy || !selected {
                        e.prevent_default();
                        *follow.borrow_mut() = true;
                        draft.set(String::new());
                        *recalled.borrow_mut() = None;
                        session.update(|p| p.interrupt(index));
                    }
                }
                (true, "l" | "L") => {
                    e.prevent_default();
                    session.update(|p| p.clear_screen(index));
                }
                _ => {}
            }
        })
    };
    let stop = {
        let session = props.session.clone();
        Callback::from(move |_: MouseEvent| session.update(|p| p.interrupt(index)))
    };
    let quit_edit = {
        let session = props.session.clone();
        let file = editing.as_ref().map(|(_, file)| file.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(file) = &file {
                session.update(|p| p.quit_edit(file));
            }
        })
    };
    let onfocusin = props.on_focus.reform(move |_: FocusEvent| index);

    let title_id = format!("terminal-{index}-title");
    let number = (index + 1).to_string();
    let numbered = |msg| lang.fill(msg, &[("n", &number)]);
    html! {
        <section
            class={classes!("terminal", props.active.then_some("active"), busy.then_some("busy"))}
            data-testid={format!("terminal-{index}")}
            aria-labelledby={title_id.clone()}
            {onfocusin}
        >
            <div class="pane-title terminal-title">
                <h2 id={title_id} class="pane-heading">{numbered(Msg::Terminal)}</h2>
                if let Some(command) = &watching {
                    <code class="terminal-command" title={command.clone()}>{command.clone()}</code>
                    <button type="button" class="btn small" onclick={stop}
                        title={lang.t(Msg::TerminalStopTitle)}>{lang.t(Msg::TerminalStop)}</button>
                }
                if let Some((command, file)) = &editing {
                    <code class="terminal-command" title={command.clone()}>{command.clone()}</code>
                    <button type="button" class="btn small" onclick={quit_edit}
                        title={lang.fill(Msg::QuitEditTitle, &[("file", file)])}>{lang.t(Msg::QuitEdit)}</button>
                }
                if props.active {
                    <span class="badge" title={lang.t(Msg::ApplyTargetTitle)}>{lang.t(Msg::ApplyTarget)}</span>
                }
            </div>
            if term.lines.len() < VIRTUAL_FROM {
                <pre class="terminal-output" ref={output} tabindex="0" role="region"
                    aria-label={numbered(Msg::TerminalOutput)} {onscroll}>
                    // Keyed by position: a new line is added without rewriting
                    // the ones above it (unkeyed lists are matched from the end).
                    { for term.lines.iter().enumerate().map(|(i, l)| html! { <key={i}>{line(l)}</> }) }
                </pre>
            } else {
                <pre class="terminal-output virtual" ref={output} tabindex="0" role="region"
                    aria-label={numbered(Msg::TerminalOutput)} {onscroll}>
                    {virtual_rows(&term.lines, *view, following)}
                </pre>
            }
            <div class="terminal-input-row">
                <span class="prompt" aria-hidden="true">{prompt.trim_end().to_string()}</span>
                <input
                    class="terminal-input"
                    type="text"
                    aria-label="Terminal input"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    readonly={busy}
                    placeholder={match (&editing, busy) {
                        (Some((_, file)), _) => lang.fill(Msg::EditWaiting, &[("file", file)]),
                        (None, true) => match &term.blocked {
                            Some(blocked) if blocked.sleeps() => lang.t(Msg::Sleeping).to_string(),
                            Some(_) => lang.t(Msg::Blocked).to_string(),
                            None => lang.t(Msg::Watching).to_string(),
                        },
                        (None, false) if term.session.as_ref().is_some_and(|a| a.session.sql.is_some()) => lang.t(Msg::TypeInMysql).to_string(),
                        (None, false) if term.session.is_some() => lang.t(Msg::TypeInContainer).to_string(),
                        (None, false) => lang.t(Msg::TypeACommand).to_string(),
                    }}
                    value={if busy { String::new() } else { (*draft).clone() }}
                    {oninput}
                    {onkeydown}
                />
            </div>
            if !choices.is_empty() {
                <div class="completions" role="status" aria-label={lang.t(Msg::Completions)}>
                    { for choices.iter().map(|c| html! { <span class="completion">{c.clone()}</span> }) }
                </div>
            }
        </section>
    }
}

/// The rows in view of a long output, between spacers as tall as the rows
/// left out; when following, the last screenful.
fn virtual_rows(lines: &[Line], (scroll_top, height): (i32, i32), follow: bool) -> Html {
    let rows = |px: i32| usize::try_from(px / ROW_PX).unwrap_or(0);
    let in_view = rows(height) + 1;
    let first_in_view = if follow {
        lines.len().saturating_sub(in_view)
    } else {
        rows(scroll_top)
    };
    let first = first_in_view.saturating_sub(MARGIN_ROWS).min(lines.len());
    let end = (first_in_view + in_view + MARGIN_ROWS).min(lines.len());
    let spacer = |count: usize| {
        let px = i64::try_from(count).unwrap_or(i64::MAX) * i64::from(ROW_PX);
        html! { <div class="spacer" style={format!("height: {px}px")} /> }
    };
    html! {
        <>
            {spacer(first)}
            { for lines[first..end].iter().map(|l| html! { <div class="row">{line(l)}</div> }) }
            {spacer(lines.len() - end)}
        </>
    }
}

/// The byte offset of a UTF-16 caret position (what the DOM reports) in `text`.
fn utf16_to_byte(text: &str, caret: u32) -> Option<usize> {
    let mut units = 0_u32;
    for (byte, c) in text.char_indices() {
        if units >= caret {
            return Some(byte);
        }
        units += c.len_utf16() as u32;
    }
    (units >= caret).then_some(text.len())
}

fn line(line: &Line) -> Html {
    match line.kind {
        LineKind::Out => html! { {format!("{}\n", line.text)} },
        LineKind::Err => html! { <span class="error">{format!("{}\n", line.text)}</span> },
        LineKind::Prompt => match line.text.strip_prefix("$ ") {
            Some(command) => html! {
                <span class="command-line"><span class="prompt">{"$ "}</span><span class="command">{format!("{command}\n")}</span></span>
            },
            None => html! { <span class="command">{format!("{}\n", line.text)}</span> },
        },
    }
}
