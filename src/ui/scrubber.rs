//! The scrubber under the top bar: a slider over every moment since the
//! playground started (the ones Step back returns through), with a mark for
//! each change (or, past 200, for evenly spread ones) that names it on hover.
//! Dragging shows that moment in the terminals and the cluster view.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::i18n::{use_lang, Msg};
use super::session::Session;

#[derive(Properties, PartialEq)]
pub struct ScrubberProps {
    pub session: Session,
}

/// More marks than this would crowd the track (and the page): beyond it,
/// evenly spread moments are marked.
const MAX_MARKS: usize = 200;

#[component]
pub fn Scrubber(props: &ScrubberProps) -> Html {
    let lang = use_lang();
    let moments = props.session.moments(MAX_MARKS);
    let (position, last) = (moments.position, moments.last);
    let oninput = {
        let session = props.session.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(at) = value.parse() {
                session.seek(at);
            }
        })
    };
    let shown = moments
        .shown
        .unwrap_or_else(|| lang.t(Msg::TimelineStart).to_string());
    let percent = |at: usize| {
        if last == 0 {
            0.0
        } else {
            at as f64 * 100.0 / last as f64
        }
    };
    html! {
        <div class="scrubber">
            <span class="scrubber-label" aria-hidden="true">{lang.t(Msg::Timeline)}</span>
            <div class="scrubber-track">
                <div class="scrubber-marks" aria-hidden="true">
                    { for moments.marks.into_iter().map(|(at, label)| {
                        let session = props.session.clone();
                        html! {
                            <span key={at} class={classes!("scrubber-mark", (at == position).then_some("current"))}
                                style={format!("left: {:.3}%", percent(at))} title={label}
                                onclick={move |_| session.seek(at)} />
                        }
                    }) }
                </div>
                <input type="range" class="scrubber-input" min="0" max={last.to_string()}
                    value={position.to_string()} step="1" disabled={last == 0}
                    aria-label={lang.t(Msg::Timeline)} aria-valuetext={shown.clone()}
                    title={shown.clone()} {oninput} />
            </div>
            if position < last {
                // Doing anything here continues from this moment (see Timeline::record).
                <span class="scrubber-earlier">
                    {lang.fill(Msg::TimelineEarlier, &[("n", &(last - position).to_string())])}
                </span>
            }
            <span class="scrubber-now" title={shown.clone()}>{shown}</span>
        </div>
    }
}
