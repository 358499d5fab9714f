//! The YAML editor: a plain textarea with a line-number gutter, editing one of
//! the playground's files. Tab indents, Enter keeps the indentation
//! (`yaml_indent`), Ctrl/Cmd+Enter applies. The text is drawn in colour
//! behind the textarea, whose own text is transparent (see
//! [`crate::highlight`]). Lines that `kubectl apply` would complain about are
//! marked in the gutter and behind the text; hovering either shows the
//! message, and the status line names the first one.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlDocument, HtmlTextAreaElement};
use yew::prelude::*;

use super::code::Code;
use super::file_tabs::FileTabs;
use super::i18n::{use_lang, Lang, Msg};
use super::markers::{use_marks, Marks};
use super::session::Session;
use crate::yaml_indent;

/// One line under the editor: the outcome of the last Apply (or another
/// message), kept as a template so that it follows a language switch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub msg: Msg,
    pub blanks: Vec<(&'static str, String)>,
}

impl Notice {
    pub fn new(error: bool, msg: Msg, blanks: &[(&'static str, String)]) -> Notice {
        Notice {
            error,
            msg,
            blanks: blanks.to_vec(),
        }
    }

    fn text(&self, lang: Lang) -> String {
        let blanks: Vec<(&str, &str)> = self.blanks.iter().map(|(k, v)| (*k, v.as_str())).collect();
        lang.fill(self.msg, &blanks)
    }
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub session: Session,
    pub file: AttrValue,
    pub notice: Option<Notice>,
    pub on_apply: Callback<()>,
    /// Another file tab was chosen (or created, renamed, deleted).
    pub on_select: Callback<String>,
    /// Bumped by every Apply, so the markers are checked at once.
    pub checks: u32,
}

/// The editor's line height and top padding in px (`--editor-line` and
/// `.editor`'s padding in www/style.css), to find the line under the mouse.
const LINE_PX: i32 = 20;
const PAD_TOP_PX: i32 = 10;
/// Extra room (px) at the end of the backdrop, so that it can always scroll
/// as far as the textarea, whose scroll bars take room the backdrop lacks.
const SCROLLBAR_ROOM_PX: i32 = 40;

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let lang = use_lang();
    let text = props
        .session
        .read()
        .files
        .get(props.file.as_str())
        .cloned()
        .unwrap_or_default();
    let marks = use_marks(&props.file, &text, props.checks);
    let gutter = use_node_ref();
    let backdrop = use_node_ref();
    let area = use_node_ref();
    // After an Apply, bring the first problem into view.
    {
        let area = area.clone();
        use_effect_with(marks.clone(), move |marks| {
            if let (true, Some(first), Some(area)) =
                (marks.applied, &marks.first, area.cast::<Element>())
            {
                show_line(&area, first.line);
            }
        });
    }
    // After Escape, Tab moves focus out of the editor instead of indenting,
    // so keyboard users are never trapped in it.
    let tab_leaves = use_mut_ref(|| false);

    let oninput = {
        let session = props.session.clone();
        let file = props.file.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            session.edit_file(&file, value);
        })
    };
    let onkeydown = {
        let on_apply = props.on_apply.clone();
        Callback::from(move |e: KeyboardEvent| {
            let plain = !(e.ctrl_key() || e.meta_key() || e.alt_key() || e.shift_key());
            let leave = std::mem::replace(&mut *tab_leaves.borrow_mut(), e.key() == "Escape");
            match e.key().as_str() {
                "Enter" if e.ctrl_key() || e.meta_key() => {
                    e.prevent_default();
                    on_apply.emit(());
                }
                "Tab" if plain && !leave => {
                    e.prevent_default();
                    insert_at_caret(&e.target_unchecked_into(), yaml_indent::STEP);
                }
                "Enter" if plain && !e.is_composing() => {
                    e.prevent_default();
                    let area: HtmlTextAreaElement = e.target_unchecked_into();
                    let indent = yaml_indent::after_newline(&text_before_caret(&area));
                    insert_at_caret(&area, &format!("\n{indent}"));
                }
                _ => {}
            }
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        let backdrop = backdrop.clone();
        Callback::from(move |e: Event| {
            let area: Element = e.target_unchecked_into();
            for follower in [&gutter, &backdrop] {
                if let Some(el) = follower.cast::<Element>() {
                    el.set_scroll_top(area.scroll_top());
                }
            }
            if let Some(el) = backdrop.cast::<Element>() {
                el.set_scroll_left(area.scroll_left());
            }
        })
    };
    // The textarea covers the marked backdrop, so it carries the hover text
    // of the line under the mouse itself.
    let onmousemove = {
        let marks = marks.clone();
        Callback::from(move |e: MouseEvent| {
            let area: Element = e.target_unchecked_into();
            let y = e.offset_y() + area.scroll_top() - PAD_TOP_PX;
            let line = usize::try_from(y.div_euclid(LINE_PX) + 1).unwrap_or(0);
            let _ = match marks.lines.get(&line) {
                Some(mark) => area.set_attribute("title", &mark.title()),
                None => area.remove_attribute("title"),
            };
        })
    };

    let line_count = text.split('\n').count();
    let notice = match &props.notice {
        Some(notice) if notice.error => html! { <span class="error">{notice.text(lang)}</span> },
        Some(notice) => html! { <span class="ok">{notice.text(lang)}</span> },
        None => html! {
            <span>
                <kbd>{"Tab"}</kbd>{lang.t(Msg::EditorHintIndent)}
                <kbd>{"Esc"}</kbd>{" "}<kbd>{"Tab"}</kbd>{lang.t(Msg::EditorHintLeave)}
                <kbd>{"Ctrl"}</kbd>{"+"}<kbd>{"Enter"}</kbd>{lang.t(Msg::EditorHintApply)}
            </span>
        },
    };
    let problem = problem_summary(&marks, lang);
    html! {
        <section class="pane editor-pane" id="editor-pane" aria-labelledby="editor-title">
            <div class="pane-title">
                <h2 id="editor-title" class="pane-heading">{lang.t(Msg::Editor)}</h2>
                <FileTabs session={props.session.clone()} active={props.file.clone()}
                    on_select={props.on_select.clone()} />
            </div>
            <div class="editor-body">
                <pre class="gutter" ref={gutter} aria-hidden="true">
                    {gutter_lines(line_count, &marks)}
                </pre>
                <div class="editor-text">
                <div class="editor-backdrop" ref={backdrop} aria-hidden="true">
                    <div class="editor-backdrop-lines" style={format!("height: calc({line_count} * var(--editor-line) + {}px)", 2 * PAD_TOP_PX + SCROLLBAR_ROOM_PX)}>
                        { for marks.lines.iter().map(|(line, mark)| html! {
                            <div class={classes!("line-mark", mark.class())}
                                style={format!("top: calc({} * var(--editor-line) + {PAD_TOP_PX}px)", line - 1)} />
                        }) }
                        <Code text={text.clone()} />
                    </div>
                </div>
                <textarea
                    ref={area}
                    class="editor"
                    aria-label="Editor"
                    aria-describedby="editor-status"
                    spellcheck="false"
                    autocapitalize="off"
                    autocomplete="off"
                    wrap="off"
                    value={text}
                    {oninput}
                    {onkeydown}
                    {onscroll}
                    {onmousemove}
                />
                </div>
            </div>
            <div id="editor-status" class="status-line" role="status">{notice}{problem}</div>
        </section>
    }
}

/// Scrolls the textarea so that `line` is in view, a few lines from the top.
fn show_line(area: &Element, line: usize) {
    let top = i32::try_from(line.saturating_sub(3))
        .unwrap_or(i32::MAX)
        .saturating_mul(LINE_PX);
    let bottom = top + 6 * LINE_PX;
    if top < area.scroll_top() || bottom > area.scroll_top() + area.client_height() {
        area.set_scroll_top(top);
    }
}

/// The line numbers: runs of unmarked lines as one text, marked lines as
/// spans with their messages.
fn gutter_lines(line_count: usize, marks: &Marks) -> Html {
    let numbers =
        |from: usize, to: usize| -> String { (from..to).map(|n| format!("{n}\n")).collect() };
    let mut parts = Vec::new();
    let mut next = 1;
    for (&line, mark) in marks.lines.range(1..=line_count) {
        parts.push(html! { {numbers(next, line)} });
        parts.push(html! {
            <span class={classes!("gutter-line", "marked", mark.class())} data-line={line.to_string()}
                title={mark.title()}>{line}</span>
        });
        next = line + 1;
    }
    parts.push(html! { {numbers(next, line_count + 1)} });
    parts.into_iter().collect()
}

/// The first problem in the file, for the status line: "Line 23: …".
fn problem_summary(marks: &Marks, lang: Lang) -> Html {
    let Some(first) = &marks.first else {
        return html! {};
    };
    let line = first.line.to_string();
    let mut text = lang.fill(
        Msg::EditorProblem,
        &[("line", &line), ("message", &first.message)],
    );
    if marks.count > 1 {
        text.push_str(&lang.fill(
            Msg::EditorMoreProblems,
            &[("n", &(marks.count - 1).to_string())],
        ));
    }
    let class = marks.lines.get(&first.line).map_or("error", |m| m.class());
    html! { <span class={classes!("problem", class)} data-line={line}>{text}</span> }
}

/// Types `text` at the caret. execCommand keeps the browser's undo history
/// and fires `input`; where it is unavailable, the text is spliced in and
/// `input` is fired by hand (without undo).
/// The text before the caret (the selection's start, counted in UTF-16 units).
fn text_before_caret(area: &HtmlTextAreaElement) -> String {
    let start = area.selection_start().ok().flatten().unwrap_or(0) as usize;
    let units: Vec<u16> = area.value().encode_utf16().take(start).collect();
    String::from_utf16_lossy(&units)
}

fn insert_at_caret(area: &HtmlTextAreaElement, text: &str) {
    let typed = area
        .owner_document()
        .and_then(|d| d.dyn_into::<HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, text)
                .ok()
        })
        .unwrap_or(false);
    if typed {
        return;
    }
    let start = area.selection_start().ok().flatten().unwrap_or(0);
    let end = area.selection_end().ok().flatten().unwrap_or(start);
    let spliced = area
        .set_range_text_with_start_and_end_and_mode(text, start, end, "end")
        .is_ok();
    if spliced {
        if let Ok(input) = Event::new("input") {
            let _ = area.dispatch_event(&input);
        }
    }
}
