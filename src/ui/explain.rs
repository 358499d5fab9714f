//! The explain list: each controller's latest decision, in plain words.

use yew::prelude::*;

use super::session::Session;
use crate::playground::clock_label;

#[derive(Properties, PartialEq)]
pub struct ExplainProps {
    pub session: Session,
}

#[component]
pub fn Explain(props: &ExplainProps) -> Html {
    let playground = props.session.read();
    let explanations = playground.cluster.explanations().all();
    if explanations.is_empty() {
        return html! {
            <p class="empty">
                {"Nothing has happened yet. Press "}<strong>{"Apply"}</strong>
                {", then "}<strong>{"Step"}</strong>{" through the cluster's changes."}
            </p>
        };
    }
    html! {
        <ol class="explain-list" aria-label="Controller decisions, newest first">
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
