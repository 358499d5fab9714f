//! The lower left pane: tabs for the cluster view and the controllers'
//! explanations (the WAI-ARIA tabs pattern: arrow keys move between tabs).

use yew::prelude::*;

use super::cluster_view::ClusterView;
use super::explain::Explain;
use super::i18n::{use_lang, Msg};
use super::session::Session;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Cluster,
    Why,
}

impl Tab {
    const ALL: [Tab; 2] = [Tab::Cluster, Tab::Why];

    fn id(self) -> &'static str {
        match self {
            Tab::Cluster => "cluster",
            Tab::Why => "why",
        }
    }

    fn label(self) -> Msg {
        match self {
            Tab::Cluster => Msg::TabCluster,
            Tab::Why => Msg::TabWhy,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub session: Session,
    pub on_describe: Callback<String>,
    /// Receives the command line a fault button runs.
    pub on_fault: Callback<String>,
}

#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let lang = use_lang();
    let tab = use_state_eq(|| Tab::Cluster);
    let tabs = Tab::ALL.into_iter().map(|t| {
        let selected = t == *tab;
        let onclick = {
            let tab = tab.clone();
            Callback::from(move |_: MouseEvent| tab.set(t))
        };
        let onkeydown = {
            let tab = tab.clone();
            Callback::from(move |e: KeyboardEvent| {
                if matches!(e.key().as_str(), "ArrowLeft" | "ArrowRight") {
                    e.prevent_default();
                    let other = if t == Tab::Cluster {
                        Tab::Why
                    } else {
                        Tab::Cluster
                    };
                    tab.set(other);
                    focus_tab(other);
                }
            })
        };
        html! {
            <button type="button" role="tab" class="tab" id={format!("tab-{}", t.id())}
                aria-selected={selected.to_string()} aria-controls={format!("panel-{}", t.id())}
                tabindex={if selected { "0" } else { "-1" }} {onclick} {onkeydown}>
                {lang.t(t.label())}
            </button>
        }
    });
    html! {
        <section class="pane inspector-pane" aria-label={lang.t(Msg::Inspector)}>
            <div class="pane-title tabs" role="tablist" aria-label={lang.t(Msg::InspectorTabs)}>
                { for tabs }
            </div>
            <div class="tab-panel" role="tabpanel" id={format!("panel-{}", tab.id())}
                aria-labelledby={format!("tab-{}", tab.id())} tabindex="0">
                if *tab == Tab::Cluster {
                    <ClusterView session={props.session.clone()} on_describe={props.on_describe.clone()}
                        on_fault={props.on_fault.clone()} />
                } else {
                    <Explain session={props.session.clone()} />
                }
            </div>
        </section>
    }
}

fn focus_tab(tab: Tab) {
    use wasm_bindgen::JsCast;
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&format!("tab-{}", tab.id())))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}
