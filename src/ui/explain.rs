//! The explain list: each controller's latest decision, in plain words.

use yew::prelude::*;

use super::i18n::{use_lang, Msg};
use super::session::Session;
use crate::playground::clock_label;

#[derive(Properties, PartialEq)]
pub struct ExplainProps {
    pub session: Session,
}

#[component]
pub fn Explain(props: &ExplainProps) -> Html {
    let lang = use_lang();
    let playground = props.session.read();
    let explanations = playground.cluster.explanations().all();
    if explanations.is_empty() {
        return html! { <p class="empty">{lang.t(Msg::NothingYet)}</p> };
    }
    html! {
        <ol class="explain-list" aria-label={lang.t(Msg::Decisions)}>
            { for explanations.iter().map(|e| html! {
                <li class="explain-item">
                    <div class="explain-meta">
                        <span class="explain-subject">{e.subject.clone()}</span>
                        <span class="explain-controller">{e.controller}</span>
                        <span class="explain-time">{format!("t = {}", clock_label(e.at))}</span>
                    </div>
                    <p class="explain-message">{e.message.clone()}</p>
                </li>
            }) }
        </ol>
    }
}
