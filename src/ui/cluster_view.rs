//! The cluster view: StatefulSets with their status and the controller's
//! latest word, nodes with their pods in ordinal order, the headless
//! Services' DNS names, and claims with their volumes. Clicking an object
//! describes it in a terminal.

use yew::prelude::*;

use super::explain::reason_text;
use super::i18n::{use_lang, Lang, Msg};
use super::session::Session;
use crate::playground::{ClaimCard, NodeCard, PodCard, ServiceCard, SetCard};

#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub session: Session,
    /// Receives `kubectl describe` arguments, e.g. `pod web-0`.
    pub on_describe: Callback<String>,
}

#[component]
pub fn ClusterView(props: &ClusterViewProps) -> Html {
    let lang = use_lang();
    let playground = props.session.read();
    let view = playground.overview();
    let explanations = playground.cluster.explanations();
    let describe = |target: String| {
        props
            .on_describe
            .reform(move |_: MouseEvent| target.clone())
    };
    let object = |kind: &str, name: &str, body: Html| {
        html! {
            <button type="button" class="object" onclick={describe(format!("{kind} {name}"))}
                title={lang.fill(Msg::Describe, &[("target", &format!("{kind} {name}"))])}>
                {body}
            </button>
        }
    };

    let sets = view.sets.iter().map(|set| {
        let why = explanations
            .get(&format!("statefulset/{}", set.name))
            .map(|e| reason_text(lang, &e.reason));
        html! {
            <div class="card set-card">
                {object("statefulset", &set.name, set_summary(set, lang))}
                if let Some(why) = why {
                    <p class="set-why"><span class="why-label">{lang.t(Msg::Why)}</span>{why}</p>
                }
            </div>
        }
    });
    let node = |node: &NodeCard| {
        html! {
            <li class="card node-card">
                {object("node", &node.name, html! {
                    <span class="node-head">
                        <span class="node-name" title={node.name.clone()}>{node.name.clone()}</span>
                        <span class={classes!("state", if node.ready { "ok" } else { "bad" })}>
                            {if node.ready { "Ready" } else { "NotReady" }}
                        </span>
                    </span>
                })}
                if node.pods.is_empty() {
                    <p class="none">{lang.t(Msg::NoPods)}</p>
                } else {
                    <ul class="pods">
                        { for node.pods.iter().map(|pod| html! {
                            <li>{object("pod", &pod.name, pod_chip(pod, lang))}</li>
                        }) }
                    </ul>
                }
            </li>
        }
    };
    let unscheduled = (!view.unscheduled.is_empty()).then(|| {
        html! {
            <li class="card node-card unscheduled">
                <span class="node-head"><span class="node-name">{lang.t(Msg::NotScheduled)}</span></span>
                <ul class="pods">
                    { for view.unscheduled.iter().map(|pod| html! {
                        <li>{object("pod", &pod.name, pod_chip(pod, lang))}</li>
                    }) }
                </ul>
            </li>
        }
    });
    let services = view
        .services
        .iter()
        .filter(|s| s.headless)
        .map(|s| service_card(s, lang));
    let claims = view.claims.iter().map(|claim| {
        html! { <li>{object("pvc", &claim.name, claim_line(claim, lang))}</li> }
    });

    html! {
        <div class="cluster-view">
            if view.sets.is_empty() {
                <p class="empty">{lang.t(Msg::NoStatefulSet)}</p>
            } else {
                { for sets }
            }
            <h3 class="section-heading">{lang.t(Msg::Nodes)}</h3>
            <ul class="nodes">
                { for view.nodes.iter().map(node) }
                { for unscheduled }
            </ul>
            if !view.claims.is_empty() {
                <h3 class="section-heading">{lang.t(Msg::Storage)}</h3>
                <ul class="claims">{ for claims }</ul>
            }
            { for services }
        </div>
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
                &lang.fill(Msg::Revisions, &[("revision", &revision)]),
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

fn service_card(service: &ServiceCard, lang: Lang) -> Html {
    html! {
        <>
            <h3 class="section-heading">
                {lang.fill(Msg::HeadlessService, &[("name", &service.name)])}
            </h3>
            if service.dns.is_empty() {
                <p class="none">{lang.t(Msg::NoPodsBehind)}</p>
            } else {
                <ul class="dns">
                    { for service.dns.iter().map(|(_, fqdn)| html! { <li><code>{fqdn.clone()}</code></li> }) }
                </ul>
            }
        </>
    }
}
