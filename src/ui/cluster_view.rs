//! The cluster view: StatefulSets with their status and the controller's
//! latest word, nodes with their pods in ordinal order, the headless
//! Services' DNS names, and claims with their volumes. Clicking an object
//! describes it in a terminal.

use yew::prelude::*;

use super::explain::reason_text;
use super::i18n::{use_lang, Lang, Msg};
use super::session::Session;
use crate::playground::{ClaimCard, NodeCard, PodCard, ServiceCard, SetCard};
use crate::shell::quote_word;

/// The key of the card of pods on no node: not a node name (those have no spaces).
const UNSCHEDULED_KEY: &str = "not scheduled";

#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub session: Session,
    /// Receives `kubectl describe` arguments, e.g. `pod web-0`.
    pub on_describe: Callback<String>,
    /// Receives the command line of a fault button (`stsplay fault kill web-0`).
    pub on_fault: Callback<String>,
}

#[component]
pub fn ClusterView(props: &ClusterViewProps) -> Html {
    let lang = use_lang();
    let playground = props.session.read();
    let view = playground.overview();
    let explanations = playground.cluster.explanations();
    let (on_describe, on_fault) = (&props.on_describe, &props.on_fault);

    let sets = view.sets.iter().map(|set| {
        let why = explanations
            .get(&format!("statefulset/{}", set.name))
            .map(|e| reason_text(lang, &e.reason));
        let name = set.name.clone();
        let label = lang.fill(Msg::FaultBreakImage, &[("name", &set.name)]);
        html! {
            <div class="card set-card" key={set.name.clone()}>
                <div class="object-row">
                    {object(on_describe, lang, format!("statefulset {}", set.name), set_summary(set, lang))}
                    <span class="faults">
                        {fault_button(on_fault, lang.t(Msg::FaultBreak), label,
                            format!("stsplay fault break-image {}", quote_word(&name)))}
                    </span>
                </div>
                if let Some(why) = why {
                    <p class="set-why"><span class="why-label">{lang.t(Msg::Why)}</span>{why}</p>
                }
            </div>
        }
    });
    let unscheduled = (!view.unscheduled.is_empty()).then(|| {
        html! {
            // Keyed like the nodes before it: in a fully keyed list, this card coming and
            // going leaves the node cards (and their hundreds of pods) as they are.
            // With reasons to show, the card takes a whole row of the node grid.
            <li class={classes!("card", "node-card", "unscheduled",
                (!view.unscheduled_why.is_empty()).then_some("explained"))} key={UNSCHEDULED_KEY}>
                <span class="node-head"><span class="node-name">{lang.t(Msg::NotScheduled)}</span></span>
                <CardList<PodCard, PodItem> class="pods" cards={view.unscheduled.clone()}
                    on_describe={on_describe.clone()}
                    on_fault={on_fault.clone()} />
                // A few are enough here; the explain tab lists every one.
                { for view.unscheduled_why.iter().take(3).map(|why| html! {
                    <p class="set-why"><span class="why-label">{lang.t(Msg::Why)}</span>{reason_text(lang, why)}</p>
                }) }
            </li>
        }
    });
    let services = view
        .services
        .iter()
        .filter(|s| s.headless)
        .map(|s| html! { <ServiceItem key={s.name.clone()} card={s.clone()} /> });

    html! {
        <div class="cluster-view">
            if view.sets.is_empty() {
                <p class="empty">{lang.t(Msg::NoStatefulSet)}</p>
            } else {
                { for sets }
            }
            <h3 class="section-heading">{lang.t(Msg::Nodes)}</h3>
            <ul class="nodes">
                { for view.nodes.into_iter().map(|node| html! {
                    <NodeItem key={node.name.clone()} card={node.clone()} on_describe={on_describe.clone()}
                        on_fault={on_fault.clone()} />
                }) }
                { for unscheduled }
            </ul>
            if !view.claims.is_empty() {
                <h3 class="section-heading">{lang.t(Msg::Storage)}</h3>
                <CardList<ClaimCard, ClaimItem> class="claims" cards={view.claims.clone()}
                    on_describe={on_describe.clone()}
                    on_fault={on_fault.clone()} />
            }
            { for services }
        </div>
    }
}

/// A button that describes `target` ("pod web-0") in a terminal.
fn object(on_describe: &Callback<String>, lang: Lang, target: String, body: Html) -> Html {
    let title = lang.fill(Msg::Describe, &[("target", &target)]);
    let onclick = on_describe.reform(move |_: MouseEvent| target.clone());
    html! {
        <button type="button" class="object" {onclick} {title}>{body}</button>
    }
}

/// A button that runs `command` (a fault) in a terminal, where it shows as typed.
fn fault_button(
    on_fault: &Callback<String>,
    word: &'static str,
    label: String,
    command: String,
) -> Html {
    let onclick = on_fault.reform(move |_: MouseEvent| command.clone());
    html! {
        <button type="button" class="btn small fault" aria-label={label.clone()} title={label}
            {onclick}>{word}</button>
    }
}

// Nodes and pods are components with comparable props, so that a tick of the
// clock re-renders only the pods that changed, not hundreds of them.

/// A card of the overview (or a list of them), and where its buttons report.
#[derive(Properties, PartialEq)]
struct CardProps<T: PartialEq> {
    card: T,
    on_describe: Callback<String>,
    on_fault: Callback<String>,
}

#[component]
fn NodeItem(props: &CardProps<NodeCard>) -> Html {
    let lang = use_lang();
    let node = &props.card;
    let blanks = [("node", node.name.as_str())];
    let (word, label, fault) = if node.connected {
        let label = lang.fill(Msg::FaultNodeNotReady, &blanks);
        (lang.t(Msg::FaultDisconnect), label, "node-down")
    } else {
        let label = lang.fill(Msg::FaultNodeReady, &blanks);
        (lang.t(Msg::FaultReconnect), label, "node-up")
    };
    let command = format!("stsplay fault {fault} {}", quote_word(&node.name));
    html! {
        <li class="card node-card">
            <div class="object-row">
                {object(&props.on_describe, lang, format!("node {}", node.name), html! {
                    <span class="node-head">
                        <span class="node-name" title={node.name.clone()}>{node.name.clone()}</span>
                        <span class={classes!("state", if node.ready { "ok" } else { "bad" })}>
                            {if node.ready { "Ready" } else { "NotReady" }}
                        </span>
                    </span>
                })}
                <span class="faults">{fault_button(&props.on_fault, word, label, command)}</span>
            </div>
            if node.cordoned {
                // kubectl's own word, in every language, as STATUS shows it.
                <p class="node-note">{"SchedulingDisabled"}</p>
            }
            if node.pods.is_empty() {
                <p class="none">{lang.t(Msg::NoPods)}</p>
            } else {
                <CardList<PodCard, PodItem> class="pods" cards={node.pods.clone()}
                    on_describe={props.on_describe.clone()}
                    on_fault={props.on_fault.clone()} />
            }
        </li>
    }
}

/// A card that its name tells apart from the others in its list.
trait Named {
    fn name(&self) -> &str;
}

impl Named for PodCard {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for ClaimCard {
    fn name(&self) -> &str {
        &self.name
    }
}

/// Cards of one kind in a `<ul class={class}>`.
#[derive(Properties, PartialEq)]
struct ListProps<T: PartialEq> {
    class: &'static str,
    cards: Vec<T>,
    on_describe: Callback<String>,
    on_fault: Callback<String>,
}

/// Each card its own `Item` component, keyed by name: a change re-renders
/// only the cards that changed, and a new one leaves the others in place.
#[component]
fn CardList<T, Item>(props: &ListProps<T>) -> Html
where
    T: Named + Clone + PartialEq + 'static,
    Item: BaseComponent<Properties = CardProps<T>>,
{
    html! {
        <ul class={props.class}>
            { for props.cards.iter().map(|card| html! {
                <Item key={card.name().to_string()} card={card.clone()}
                    on_describe={props.on_describe.clone()} on_fault={props.on_fault.clone()} />
            }) }
        </ul>
    }
}

#[component]
fn PodItem(props: &CardProps<PodCard>) -> Html {
    let lang = use_lang();
    let pod = &props.card;
    let name = quote_word(&pod.name);
    let blanks = [("pod", pod.name.as_str())];
    html! {
        <li class="object-row">
            {object(&props.on_describe, lang, format!("pod {}", pod.name), pod_chip(pod, lang))}
            <span class="faults">
                // --wait=false: the clock stays the user's, to step through the deletion.
                {fault_button(&props.on_fault, lang.t(Msg::FaultDelete),
                    lang.fill(Msg::FaultDeletePod, &blanks), format!("kubectl delete pod {name} --wait=false"))}
                {fault_button(&props.on_fault, lang.t(Msg::FaultKill),
                    lang.fill(Msg::FaultKillContainer, &blanks), format!("stsplay fault kill {name}"))}
            </span>
        </li>
    }
}

// Claims and DNS names are as many as pods: components too, for the same reason.

#[component]
fn ClaimItem(props: &CardProps<ClaimCard>) -> Html {
    let lang = use_lang();
    let claim = &props.card;
    html! {
        <li>{object(&props.on_describe, lang, format!("pvc {}", claim.name), claim_line(claim, lang))}</li>
    }
}

fn set_summary(set: &SetCard, lang: Lang) -> Html {
    let revision = if set.current_revision == set.update_revision {
        set.update_revision.clone()
    } else {
        format!("{} → {}", set.current_revision, set.update_revision)
    };
    let ready = lang.fill(
        Msg::SetReady,
        &[
            ("ready", &set.ready.to_string()),
            ("replicas", &set.replicas.to_string()),
        ],
    );
    let detail = lang.fill(
        Msg::SetDetail,
        &[
            ("current", &set.current.to_string()),
            ("updated", &set.updated.to_string()),
            (
                "revisions",
                &if revision.is_empty() {
                    // The controller has not written the set's status yet.
                    lang.t(Msg::NoRevisionYet).to_string()
                } else {
                    lang.fill(Msg::Revisions, &[("revision", &revision)])
                },
            ),
            ("partition", &set.partition.to_string()),
        ],
    );
    html! {
        <span class="set-summary">
            <span class="set-name">{format!("statefulset/{}", set.name)}</span>
            <span class="set-ready">{ready}</span>
            <span class="set-detail">{detail}</span>
        </span>
    }
}

fn pod_chip(pod: &PodCard, lang: Lang) -> Html {
    let revision = pod.revision.rsplit('-').next().unwrap_or_default();
    html! {
        <span class={classes!("pod", pod.health.as_str())}>
            <span class="pod-dot" aria-hidden="true"></span>
            <span class="pod-name">{pod.name.clone()}</span>
            <span class="pod-status">{format!("{} {}", pod.ready, pod.status)}</span>
            <span class="pod-meta">
                <span>{lang.fill(Msg::Restarts, &[("n", &pod.restarts)])}</span>
                if !revision.is_empty() {
                    <span title={pod.revision.clone()}>
                        {lang.fill(Msg::Revision, &[("hash", short(revision))])}
                    </span>
                }
            </span>
        </span>
    }
}

/// Enough of a revision hash to tell two revisions apart at a glance.
fn short(hash: &str) -> &str {
    hash.get(..6).unwrap_or(hash)
}

fn claim_line(claim: &ClaimCard, lang: Lang) -> Html {
    let volume = claim
        .volume
        .clone()
        .unwrap_or_else(|| lang.t(Msg::NoVolume).to_string());
    html! {
        <span class="claim">
            <span class="claim-name">{claim.name.clone()}</span>
            <span aria-hidden="true">{" → "}</span>
            <span class="visually-hidden">{lang.t(Msg::BoundTo)}</span>
            <span class="claim-volume">{volume}</span>
            <span class="claim-meta">
                {format!(" {} {}", claim.capacity.clone().unwrap_or_default(), claim.phase)}
            </span>
        </span>
    }
}

#[derive(Properties, PartialEq)]
struct ServiceProps {
    card: ServiceCard,
}

#[component]
fn ServiceItem(props: &ServiceProps) -> Html {
    let lang = use_lang();
    let service = &props.card;
    html! {
        <>
            <h3 class="section-heading">
                {lang.fill(Msg::HeadlessService, &[("name", &service.name)])}
            </h3>
            if service.dns.is_empty() {
                <p class="none">{lang.t(Msg::NoPodsBehind)}</p>
            } else {
                <ul class="dns">
                    { for service.dns.iter().map(|(_, fqdn)| html! { <li key={fqdn.clone()}><code>{fqdn.clone()}</code></li> }) }
                </ul>
            }
        </>
    }
}
