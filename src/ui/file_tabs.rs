//! The editor's file tabs: click to open, double-click (or F2) to rename,
//! × to delete (after asking; the last file stays), + for a new file.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::dom::confirm;
use super::i18n::{use_lang, Lang, Msg};
use super::session::Session;

#[derive(Properties, PartialEq)]
pub struct FileTabsProps {
    pub session: Session,
    /// The file the editor shows, which Apply sends to kubectl.
    pub active: AttrValue,
    pub on_select: Callback<String>,
}

/// A rename in progress: the file, and why the typed name was refused.
#[derive(Clone, PartialEq)]
struct Renaming {
    file: String,
    error: Option<String>,
}

#[component]
pub fn FileTabs(props: &FileTabsProps) -> Html {
    let lang = use_lang();
    let renaming = use_state(|| None::<Renaming>);
    let rename_ref = use_node_ref();
    {
        // Renaming starts with the name's stem selected, ready to type over.
        let rename_ref = rename_ref.clone();
        let file = renaming.as_ref().map(|r| r.file.clone());
        use_effect_with(file, move |file| {
            if let (Some(file), Some(input)) = (file, rename_ref.cast::<HtmlInputElement>()) {
                let _ = input.focus();
                let stem = file.rfind('.').filter(|&dot| dot > 0).unwrap_or(file.len());
                let stem = u32::try_from(file[..stem].encode_utf16().count()).unwrap_or(0);
                let _ = input.set_selection_range(0, stem);
            }
        });
    }
    let names: Vec<String> = props.session.read().files.keys().cloned().collect();
    let deletable = names.len() > 1;

    let add = {
        let session = props.session.clone();
        let on_select = props.on_select.clone();
        let renaming = renaming.clone();
        Callback::from(move |_: MouseEvent| {
            let name = session.change_files(|p| p.add_file());
            on_select.emit(name.clone());
            // A new file is named right away, as in most editors.
            renaming.set(Some(Renaming {
                file: name,
                error: None,
            }));
        })
    };
    let tab = |name: &String| {
        let active = props.active.as_str() == name;
        if let Some(state) = renaming.as_ref().filter(|r| &r.file == name) {
            return rename_input(
                &props.session,
                &props.on_select,
                &renaming,
                state,
                &rename_ref,
                lang,
            );
        }
        let select = {
            let on_select = props.on_select.clone();
            let name = name.clone();
            Callback::from(move |_: MouseEvent| on_select.emit(name.clone()))
        };
        let start_rename = {
            let renaming = renaming.clone();
            let name = name.clone();
            move || {
                renaming.set(Some(Renaming {
                    file: name.clone(),
                    error: None,
                }))
            }
        };
        let ondblclick = {
            let start_rename = start_rename.clone();
            Callback::from(move |_: MouseEvent| start_rename())
        };
        let onkeydown = Callback::from(move |e: KeyboardEvent| {
            if e.key() == "F2" {
                e.prevent_default();
                start_rename();
            }
        });
        let delete = {
            let session = props.session.clone();
            let on_select = props.on_select.clone();
            let name = name.clone();
            let active_file = props.active.to_string();
            Callback::from(move |_: MouseEvent| {
                let question = if session.read().is_edit_buffer(&name) {
                    Msg::QuitEditConfirm
                } else {
                    Msg::DeleteFileConfirm
                };
                if !confirm(&lang.fill(question, &[("file", &name)])) {
                    return;
                }
                let deleted = session.delete_file(&name).is_ok();
                if deleted && name == active_file {
                    let first = session.read().files.keys().next().cloned();
                    on_select.emit(first.unwrap_or_default());
                }
            })
        };
        let title = if active {
            lang.fill(Msg::FileTabActiveTitle, &[("file", name)])
        } else {
            lang.t(Msg::FileTabTitle).to_string()
        };
        html! {
            <span class={classes!("file-tab", active.then_some("active"))} key={name.clone()}>
                <button type="button" class="file-tab-name" aria-current={active.then_some("true")}
                    {title} onclick={select} {ondblclick} {onkeydown}>{name.clone()}</button>
                if deletable {
                    <button type="button" class="file-tab-delete"
                        aria-label={lang.fill(Msg::DeleteFile, &[("file", name)])}
                        title={lang.fill(Msg::DeleteFile, &[("file", name)])}
                        onclick={delete}>{"×"}</button>
                }
            </span>
        }
    };
    html! {
        <div class="file-tabs" role="group" aria-label={lang.t(Msg::Files)}>
            { for names.iter().map(tab) }
            <button type="button" class="file-tab-add" aria-label={lang.t(Msg::NewFile)}
                title={lang.t(Msg::NewFile)} onclick={add}>{"+"}</button>
        </div>
    }
}

/// The tab while it is being renamed: Enter (or leaving it) renames, Escape cancels.
fn rename_input(
    session: &Session,
    on_select: &Callback<String>,
    renaming: &UseStateHandle<Option<Renaming>>,
    state: &Renaming,
    input: &NodeRef,
    lang: Lang,
) -> Html {
    let commit = {
        let session = session.clone();
        let on_select = on_select.clone();
        let renaming = renaming.clone();
        let from = state.file.clone();
        move |to: String| {
            // Enter renamed it already; the blur of the removed input comes after.
            if !session.read().files.contains_key(&from) {
                return;
            }
            match session.change_files(|p| p.rename_file(&from, &to)) {
                Ok(()) => {
                    renaming.set(None);
                    on_select.emit(to.trim().to_string());
                }
                Err(error) => renaming.set(Some(Renaming {
                    file: from.clone(),
                    error: Some(error),
                })),
            }
        }
    };
    let onkeydown = {
        let renaming = renaming.clone();
        let commit = commit.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                commit(e.target_unchecked_into::<HtmlInputElement>().value());
            }
            "Escape" => {
                e.prevent_default();
                renaming.set(None);
            }
            _ => {}
        })
    };
    let onblur = {
        let renaming = renaming.clone();
        let errored = state.error.is_some();
        Callback::from(move |e: FocusEvent| {
            // A refused name is dropped when focus leaves; a fine one is kept.
            if errored {
                renaming.set(None);
            } else {
                commit(e.target_unchecked_into::<HtmlInputElement>().value());
            }
        })
    };
    html! {
        <span class="file-tab renaming" key={state.file.clone()}>
            <input ref={input.clone()} class={classes!("file-rename", state.error.is_some().then_some("invalid"))}
                type="text" value={state.file.clone()} spellcheck="false" autocomplete="off"
                aria-label={lang.fill(Msg::RenameFile, &[("file", &state.file)])}
                aria-invalid={state.error.is_some().then_some("true")}
                title={state.error.clone()} {onkeydown} {onblur} />
            if let Some(error) = &state.error {
                <span class="file-rename-error" role="alert">{error.clone()}</span>
            }
        </span>
    }
}
