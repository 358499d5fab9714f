//! The editor's text in colour, one row per line, drawn behind the
//! transparent textarea. Typing should cost little in a 1,000-line file, so
//! lines whose text (and the state before them) did not change keep their
//! tokens from the last render, and the rows are rendered in chunks that
//! Yew skips when none of their lines changed.

use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use yew::prelude::*;

use crate::highlight::{Kind, LineState};

/// Lines per chunk: one edit re-renders this many rows.
const CHUNK_LINES: usize = 64;

/// One line, tokenized: byte ranges of `text` and their kinds.
#[derive(Debug, PartialEq, Eq)]
struct CodeLine {
    text: String,
    tokens: Vec<(Kind, Range<usize>)>,
    /// The state after it, for the next line.
    after: LineState,
}

impl CodeLine {
    fn new(text: &str, mut state: LineState) -> CodeLine {
        let mut at = 0;
        let tokens = state
            .tokens(text)
            .into_iter()
            .map(|t| {
                let range = at..at + t.text.len();
                at = range.end;
                (t.kind, range)
            })
            .collect();
        CodeLine {
            text: text.to_string(),
            tokens,
            after: state,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct CodeProps {
    pub text: AttrValue,
}

#[component]
pub fn Code(props: &CodeProps) -> Html {
    // The lines of the last render, by their text and the state before them.
    let known = use_mut_ref(HashMap::<(String, LineState), Rc<CodeLine>>::new);
    let mut state = LineState::default();
    let mut seen = HashMap::new();
    let lines: Vec<Rc<CodeLine>> = props
        .text
        .split('\n')
        .map(|text| {
            let key = (text.to_string(), state);
            let line = match known.borrow().get(&key) {
                Some(line) => line.clone(),
                None => Rc::new(CodeLine::new(text, state)),
            };
            state = line.after;
            seen.insert(key, line.clone());
            line
        })
        .collect();
    *known.borrow_mut() = seen;
    html! {
        <pre class="editor-code" aria-hidden="true">
            { for lines.chunks(CHUNK_LINES).map(|chunk| html! { <Chunk lines={chunk.to_vec()} /> }) }
        </pre>
    }
}

#[derive(Properties, PartialEq)]
struct ChunkProps {
    /// Equal lines are the same `Rc`, which compares at once.
    lines: Vec<Rc<CodeLine>>,
}

#[component]
fn Chunk(props: &ChunkProps) -> Html {
    props.lines.iter().map(|line| row(line)).collect()
}

fn row(line: &CodeLine) -> Html {
    let text = |range: &Range<usize>| line.text.get(range.clone()).unwrap_or("").to_string();
    html! {
        <div class="code-line">
            { for line.tokens.iter().map(|(kind, range)| match kind.class() {
                Some(class) => html! { <span class={class}>{text(range)}</span> },
                None => html! { {text(range)} },
            }) }
        </div>
    }
}
