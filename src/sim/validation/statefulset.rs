//! apps/v1 StatefulSet (ValidateStatefulSet, ValidateStatefulSetUpdate).
//! The pod template's spec is deliberately not validated here, as upstream:
//! a bad template surfaces as the controller's FailedCreate.

use k8s_openapi::api::apps::v1::{RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetSpec};

use super::field::{json_map, json_selector, json_string, non_negative, quote, FieldError};
use super::{intstr, meta, names, MAX_REPLICAS};
use crate::sim::labels::selector_matches;

pub fn validate(set: &StatefulSet) -> Vec<FieldError> {
    let mut errs = meta::validate(&set.metadata, names::dns_label, true);
    if let Some(spec) = &set.spec {
        errs.extend(validate_spec(spec));
    }
    errs
}

fn validate_spec(spec: &StatefulSetSpec) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match spec.pod_management_policy.as_deref().unwrap_or("") {
        "" => errs.push(FieldError::required("spec.podManagementPolicy", "")),
        "OrderedReady" | "Parallel" => {}
        other => errs.push(FieldError::invalid(
            "spec.podManagementPolicy",
            quote(other),
            "must be 'OrderedReady' or 'Parallel'",
        )),
    }
    errs.extend(update_strategy(spec));
    if let Some(policy) = &spec.persistent_volume_claim_retention_policy {
        for (name, value) in [
            ("whenDeleted", &policy.when_deleted),
            ("whenScaled", &policy.when_scaled),
        ] {
            let value = value.as_deref().unwrap_or("");
            errs.extend(FieldError::one_of(
                format!("spec.persistentVolumeClaimRetentionPolicy.{name}"),
                value,
                &["Retain", "Delete"],
            ));
        }
    }
    let replicas = spec.replicas.unwrap_or(1);
    errs.extend(non_negative("spec.replicas", replicas.into()));
    if replicas > MAX_REPLICAS {
        errs.push(FieldError::invalid(
            "spec.replicas",
            replicas.to_string(),
            format!("stsplay simulates at most {MAX_REPLICAS} replicas (a playground limit, not a Kubernetes one)"),
        ));
    }
    errs.extend(non_negative(
        "spec.minReadySeconds",
        spec.min_ready_seconds.unwrap_or(0).into(),
    ));
    if let Some(ordinals) = &spec.ordinals {
        errs.extend(non_negative(
            "spec.ordinals.start",
            ordinals.start.unwrap_or(0).into(),
        ));
    }
    errs.extend(selector_and_template(spec));
    let pod_spec = spec.template.spec.as_ref();
    let restart = pod_spec
        .and_then(|s| s.restart_policy.as_deref())
        .unwrap_or("");
    errs.extend(FieldError::one_of(
        "spec.template.spec.restartPolicy",
        restart,
        &["Always"],
    ));
    if pod_spec.and_then(|s| s.active_deadline_seconds).is_some() {
        errs.push(FieldError::forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in StatefulSet is not Supported",
        ));
    }
    errs
}

fn update_strategy(spec: &StatefulSetSpec) -> Vec<FieldError> {
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    let rolling = strategy.rolling_update.as_ref();
    match strategy.type_.as_deref().unwrap_or("") {
        "" => vec![FieldError::required("spec.updateStrategy", "")],
        "OnDelete" => rolling
            .map(|r| {
                FieldError::invalid(
                    "spec.updateStrategy.rollingUpdate",
                    json_rolling_update(r),
                    "only allowed for updateStrategy 'RollingUpdate'",
                )
            })
            .into_iter()
            .collect(),
        "RollingUpdate" => rolling.map(rolling_update).unwrap_or_default(),
        other => vec![FieldError::invalid(
            "spec.updateStrategy",
            format!(
                "{{\"Type\":{},\"RollingUpdate\":{}}}",
                json_string(other),
                rolling.map_or("null".to_string(), json_rolling_update)
            ),
            "must be 'RollingUpdate' or 'OnDelete'",
        )],
    }
}

fn rolling_update(rolling: &RollingUpdateStatefulSetStrategy) -> Vec<FieldError> {
    const FIELD: &str = "spec.updateStrategy.rollingUpdate.maxUnavailable";
    let mut errs: Vec<FieldError> = non_negative(
        "spec.updateStrategy.rollingUpdate.partition",
        rolling.partition.unwrap_or(0).into(),
    )
    .into_iter()
    .collect();
    let Some(max) = &rolling.max_unavailable else {
        return errs;
    };
    let (mut checked, value) = intstr::int_or_percent(FIELD, max);
    errs.append(&mut checked);
    if value == Some(0) {
        errs.push(FieldError::invalid(
            FIELD,
            intstr::json_value(max),
            "cannot be 0",
        ));
    }
    errs
}

/// The internal apps.RollingUpdateStatefulSetStrategy as JSON (no json tags).
fn json_rolling_update(rolling: &RollingUpdateStatefulSetStrategy) -> String {
    format!(
        "{{\"Partition\":{},\"MaxUnavailable\":{}}}",
        rolling.partition.unwrap_or(0),
        rolling
            .max_unavailable
            .as_ref()
            .map_or("null".to_string(), intstr::json_value)
    )
}

/// The selector must be present, valid and non-empty, and select the template's labels.
fn selector_and_template(spec: &StatefulSetSpec) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let selector = &spec.selector;
    let missing = selector.match_labels.is_none() && selector.match_expressions.is_none();
    let template_labels = spec
        .template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.as_ref());
    let matches = if missing {
        errs.push(FieldError::required("spec.selector", ""));
        false
    } else {
        errs.extend(meta::label_selector(selector, "spec.selector"));
        let empty = selector.match_labels.as_ref().is_none_or(|m| m.is_empty())
            && selector
                .match_expressions
                .as_ref()
                .is_none_or(|e| e.is_empty());
        if empty {
            errs.push(FieldError::invalid(
                "spec.selector",
                json_selector(selector),
                "empty selector is invalid for statefulset",
            ));
        }
        empty || selector_matches(selector, template_labels)
    };
    if !matches {
        errs.push(FieldError::invalid(
            "spec.template.metadata.labels",
            json_map(template_labels),
            "`selector` does not match template `labels`",
        ));
    }
    errs.extend(meta::labels(template_labels, "spec.template.labels"));
    errs
}

/// Only these spec fields may change after creation.
pub fn validate_update(old: &StatefulSet, new: &StatefulSet) -> Vec<FieldError> {
    let clear_mutable = |spec: &mut StatefulSetSpec| {
        spec.replicas = None;
        spec.ordinals = None;
        spec.template = Default::default();
        spec.update_strategy = None;
        spec.persistent_volume_claim_retention_policy = None;
        spec.min_ready_seconds = None;
    };
    FieldError::frozen_spec(
        old.spec.as_ref(),
        new.spec.as_ref(),
        clear_mutable,
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    )
}
