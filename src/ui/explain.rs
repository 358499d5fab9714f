//! The explain list: each controller's latest decision, in plain words, in
//! the page's language. The words come from the decision's structure
//! ([`Reason`]); object names, phases and field names stay as they are.

use yew::prelude::*;

use super::i18n::{use_lang, Lang, Msg};
use super::session::Session;
use crate::playground::moment_label;
use crate::sim::explain::{Next, Reason};

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
                        <span class="explain-time">{format!("t = {}", moment_label(e.at))}</span>
                    </div>
                    <p class="explain-message">{reason_text(lang, &e.reason)}</p>
                </li>
            }) }
        </ol>
    }
}

/// A decision in words. The English wording is the simulator's own (the
/// reason's `Display`), so the two cannot drift apart.
pub fn reason_text(lang: Lang, reason: &Reason) -> String {
    match lang {
        Lang::En => reason.to_string(),
        Lang::Zh => chinese(reason),
    }
}

fn chinese(reason: &Reason) -> String {
    use Reason::*;
    match reason {
        Deleting { set } => format!("{set} 正在被删除；它的 Pod 由垃圾回收器删除"),
        OnDeleteOutdated { pod } => {
            format!("OnDelete：{pod} 运行的是旧版本；删除它，它才会更新")
        }
        ClaimStillHeld { pod } => {
            format!("{pod} 未创建：它的 PVC 仍属于之前的 {pod}（whenScaled=Delete）")
        }
        CreateFailed { pod } => format!("无法创建 {pod}；请查看该 StatefulSet 的事件"),
        Created { pod } => {
            format!("已创建 {pod}；下一个 Pod 要等它进入 Running 且 Ready（OrderedReady）")
        }
        Finished { pod, phase } => {
            format!("{pod} 的阶段是 {phase}；旧 Pod 删除后会被重建")
        }
        AwaitTermination { pod } => format!("等待 {pod} 终止完成（OrderedReady）"),
        Blocked { next, pod } => {
            let next = match next {
                Next::NotCreated(name) => format!("{name} 尚未创建"),
                Next::NotDeleted(name) => format!("{name} 尚未删除"),
            };
            format!("{next}：{pod} 还没有进入 Running 且 Ready（OrderedReady）")
        }
        AwaitReady { pod } => format!("等待 {pod} 进入 Running 且 Ready"),
        OutdatedNotReady { pod } => format!(
            "等待 {pod} 进入 Running 且 Ready；它运行的是旧版本，而滚动更新不会替换未 Ready 的 Pod。如果它无法恢复（崩溃循环、镜像错误），请删除 {pod}：它会按新模板重建"
        ),
        AwaitMinReady { pod, seconds } => {
            format!("等待 {pod} 持续 Ready 满 minReadySeconds={seconds}")
        }
        ScaleDownAwaitTermination { pod } => format!("缩容：等待 {pod} 终止"),
        ScaleDownAwaitHealthy { pod } => {
            format!("缩容：{pod} 要等不健康的 Pod 恢复后才删除")
        }
        ScaleDownDeleted { pod } => format!("缩容：已删除 {pod}（序号最大的先删除）"),
        RolloutAwaitCreation { pod } => format!("滚动更新：等待 {pod} 被创建"),
        RolloutDeleted { pod, revision } => {
            format!("滚动更新：已删除 {pod}，以版本 {revision} 重建")
        }
        RolloutAwaitReady { pod } => {
            format!("滚动更新：等待 {pod} 进入 Running 且 Ready")
        }
        BelowPartition { pod, partition } => {
            format!("{pod} 未更新：序号低于 partition {partition}")
        }
        Summary {
            ready,
            wanted,
            revision,
        } => format!("{ready}/{wanted} 个 Pod 处于 Running 且 Ready；更新版本 {revision}"),
        ClaimAwaitConsumer { claim } => {
            format!("{claim} 等待使用它的 Pod 被调度（WaitForFirstConsumer）")
        }
        ClaimAwaitProvisioner { claim, provisioner } => format!(
            "{claim} 等待 {provisioner} 创建它的卷；如果很久没有完成，请检查该 provisioner 是否在运行"
        ),
        ClaimUnbindable {
            claim,
            class,
            provisioner,
        } => {
            let why = match (class, provisioner) {
                (Some(class), _) => format!("StorageClass {class} 不存在"),
                (None, Some(provisioner)) => format!("没有组件为 {provisioner} 创建卷"),
                (None, None) => "它没有指定 StorageClass".to_string(),
            };
            format!("{claim} 保持 Pending：没有合适的空闲卷，而且{why}")
        }
        NoNodeFits {
            pod,
            nodes,
            rejections,
        } => format!(
            "{pod} 未被调度：{nodes} 个节点都不满足它（{}）；集群有变化时调度器会重试",
            rejections.join(", ")
        ),
        ClaimUnusable {
            pod,
            claim,
            deleting,
        } => {
            let state = if *deleting { "正在被删除" } else { "不存在" };
            format!("{pod} 未被调度：它的 PVC {claim} {state}")
        }
        AwaitImmediateClaim { pod, claim } => format!(
            "{pod} 尚未调度：它的 PVC {claim} 要先绑定（volumeBindingMode 为 Immediate），但还没有绑定"
        ),
    }
}
