//! The editor's text in colour, one row per line, drawn behind the
//! transparent textarea. Each line is its own component, so typing re-renders
//! only the lines whose tokens changed: a 1,000-line file stays quick.

use yew::prelude::*;

use crate::highlight::{highlight, Kind};

#[derive(Properties, PartialEq)]
pub struct CodeProps {
    pub text: AttrValue,
}

#[component]
pub fn Code(props: &CodeProps) -> Html {
    let lines = highlight(&props.text);
    html! {
        <pre class="editor-code" aria-hidden="true">
            { for lines.iter().map(|tokens| {
                let tokens: Vec<(Kind, AttrValue)> = tokens
                    .iter()
                    .map(|t| (t.kind, AttrValue::from(t.text.to_string())))
                    .collect();
                html! { <CodeLine {tokens} /> }
            }) }
        </pre>
    }
}

#[derive(Properties, PartialEq)]
struct CodeLineProps {
    tokens: Vec<(Kind, AttrValue)>,
}

#[component]
fn CodeLine(props: &CodeLineProps) -> Html {
    html! {
        <div class="code-line">
            { for props.tokens.iter().map(|(kind, text)| match kind.class() {
                Some(class) => html! { <span class={class}>{text.clone()}</span> },
                None => html! { {text.clone()} },
            }) }
        </div>
    }
}
