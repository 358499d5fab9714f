//! A divider between two panes that the mouse drags and the keyboard moves
//! (the WAI-ARIA window splitter: a focusable `separator` with a value).
//! Its value is the first pane's share of the room the two panes have in the
//! splitter's parent element, which lays them out (www/style.css).

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

/// The share one arrow key press moves; with Shift, five times as much.
const KEY_STEP: f64 = 0.02;
const SHIFT_STEPS: f64 = 5.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// Panes side by side: the divider is a vertical line, moved left and right.
    Columns,
    /// Panes one above the other: a horizontal line, moved up and down.
    Rows,
}

#[derive(Properties, PartialEq)]
pub struct SplitterProps {
    pub axis: Axis,
    /// The first pane's share, 0 to 1.
    pub value: f64,
    /// The least size of each pane, in px.
    pub min_px: (f64, f64),
    pub label: AttrValue,
    /// The id of the first pane, which the divider resizes.
    #[prop_or_default]
    pub controls: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
    pub on_change: Callback<f64>,
}

/// Where the two panes lie along the axis, in px: (start, length).
fn room(splitter: &Element, axis: Axis) -> Option<(f64, f64)> {
    let parent = splitter.parent_element()?;
    let rect = parent.get_bounding_client_rect();
    let own = splitter.get_bounding_client_rect();
    let style = web_sys::window()?.get_computed_style(&parent).ok()??;
    let px = |name: &str| {
        style
            .get_property_value(name)
            .ok()
            .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let (start, size, pad_start, pad_end, divider) = match axis {
        Axis::Columns => (
            rect.left(),
            rect.width(),
            px("padding-left"),
            px("padding-right"),
            own.width(),
        ),
        Axis::Rows => (
            rect.top(),
            rect.height(),
            px("padding-top"),
            px("padding-bottom"),
            own.height(),
        ),
    };
    let length = size - pad_start - pad_end - divider;
    (length > 0.0).then_some((start + pad_start, length))
}

/// The least and greatest share that leave each pane its minimum.
fn bounds(length: f64, (min_first, min_second): (f64, f64)) -> (f64, f64) {
    let low = (min_first / length).clamp(0.0, 0.5);
    let high = (1.0 - min_second / length).clamp(0.5, 1.0);
    (low, high.max(low))
}

#[component]
pub fn Splitter(props: &SplitterProps) -> Html {
    let node = use_node_ref();
    let dragging = use_mut_ref(|| false);
    let axis = props.axis;
    let min_px = props.min_px;
    // A new share, kept within the bounds the panes' room allows.
    let set = {
        let node = node.clone();
        let on_change = props.on_change.clone();
        move |share: f64| {
            let Some(el) = node.cast::<Element>() else {
                return;
            };
            if let Some((_, length)) = room(&el, axis) {
                let (low, high) = bounds(length, min_px);
                on_change.emit(share.clamp(low, high));
            }
        }
    };

    let onpointerdown = {
        let dragging = dragging.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            e.prevent_default();
            let el: Element = e.target_unchecked_into();
            let _ = el.set_pointer_capture(e.pointer_id());
            if let Some(el) = el.dyn_ref::<HtmlElement>() {
                let _ = el.focus();
            }
            *dragging.borrow_mut() = true;
        })
    };
    let onpointermove = {
        let dragging = dragging.clone();
        let node = node.clone();
        let set = set.clone();
        Callback::from(move |e: PointerEvent| {
            if !*dragging.borrow() {
                return;
            }
            let Some((start, length)) = node.cast::<Element>().and_then(|el| room(&el, axis))
            else {
                return;
            };
            let at = match axis {
                Axis::Columns => f64::from(e.client_x()),
                Axis::Rows => f64::from(e.client_y()),
            };
            set((at - start) / length);
        })
    };
    let stop = {
        let dragging = dragging.clone();
        Callback::from(move |_: PointerEvent| *dragging.borrow_mut() = false)
    };
    let onkeydown = {
        let value = props.value;
        let set = set.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step = if e.shift_key() {
                KEY_STEP * SHIFT_STEPS
            } else {
                KEY_STEP
            };
            let share = match (axis, e.key().as_str()) {
                (Axis::Columns, "ArrowLeft") | (Axis::Rows, "ArrowUp") => value - step,
                (Axis::Columns, "ArrowRight") | (Axis::Rows, "ArrowDown") => value + step,
                (_, "Home") => 0.0,
                (_, "End") => 1.0,
                _ => return,
            };
            e.prevent_default();
            set(share);
        })
    };

    let orientation = match axis {
        Axis::Columns => "vertical",
        Axis::Rows => "horizontal",
    };
    let percent = |share: f64| format!("{:.0}", share * 100.0);
    html! {
        <div ref={node}
            class={classes!("splitter", orientation, props.class.clone())}
            role="separator"
            tabindex="0"
            aria-orientation={orientation}
            aria-label={props.label.clone()}
            aria-controls={props.controls.clone()}
            aria-valuenow={percent(props.value)}
            aria-valuemin="0"
            aria-valuemax="100"
            title={props.label.clone()}
            {onpointerdown}
            {onpointermove}
            onpointerup={stop.clone()}
            onpointercancel={stop}
            {onkeydown}
        />
    }
}
