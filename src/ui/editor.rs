//! The YAML editor: a plain textarea with a line-number gutter, editing one of
//! the playground's files. Tab indents, Ctrl/Cmd+Enter applies.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlDocument, HtmlTextAreaElement};
use yew::prelude::*;

use super::i18n::{use_lang, Lang, Msg};
use super::session::Session;

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
}

const INDENT: &str = "  ";

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
    let gutter = use_node_ref();
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
                    insert_at_caret(&e.target_unchecked_into(), INDENT);
                }
                _ => {}
            }
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let area: Element = e.target_unchecked_into();
            if let Some(gutter) = gutter.cast::<Element>() {
                gutter.set_scroll_top(area.scroll_top());
            }
        })
    };

    let line_count = text.split('\n').count();
    let numbers: String = (1..=line_count).map(|n| format!("{n}\n")).collect();
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
    html! {
        <section class="pane editor-pane" aria-labelledby="editor-title">
            <div class="pane-title">
                <h2 id="editor-title" class="pane-heading">{lang.t(Msg::Editor)}</h2>
                <span class="file-tab" title={lang.t(Msg::EditorFileTitle)}>{props.file.clone()}</span>
            </div>
            <div class="editor-body">
                <pre class="gutter" ref={gutter} aria-hidden="true">{numbers}</pre>
                <textarea
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
                />
            </div>
            <div id="editor-status" class="status-line" role="status">{notice}</div>
        </section>
    }
}

/// Types `text` at the caret. execCommand keeps the browser's undo history
/// and fires `input`; where it is unavailable, the text is spliced in and
/// `input` is fired by hand (without undo).
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
