//! apps/v1 StatefulSet (ValidateStatefulSet, ValidateStatefulSetUpdate).
//! Since 1.34 the pod template's spec and the claim templates are checked
//! on create (kubernetes#131790, #132212), so a bad template is refused by
//! `kubectl apply` instead of surfacing as the controller's FailedCreate.

use k8s_openapi::api::apps::v1::{RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetSpec};

use super::field::{json_map, json_selector, json_string, non_negative, quote, FieldError, Path};
use super::{intstr, meta, names, pod, pvc, MAX_REPLICAS};
use crate::sim::controllers::stateful_pods::with_claim_volumes;
use crate::sim::labels::selector_matches;

/// Which of the newer checks a validation runs (StatefulSetValidationOptions).
#[derive(Clone, Copy)]
struct Checks {
    template: bool,
    claim_templates: bool,
}

pub fn validate(set: &StatefulSet) -> Vec<FieldError> {
    let mut errs = meta::validate(&set.metadata, names::dns_label, true);
    if let Some(spec) = &set.spec {
        let all = Checks {
            template: true,
            claim_templates: true,
        };
        errs.extend(validate_spec(spec, all));
    }
    errs
}

fn validate_spec(spec: &StatefulSetSpec, checks: Checks) -> Vec<FieldError> {
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
    if checks.template {
        errs.extend(template_spec(spec));
    }
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
    if checks.claim_templates {
        for (i, claim) in spec.volume_claim_templates.iter().flatten().enumerate() {
            let path = format!("spec.volumeClaimTemplates[{i}].spec");
            errs.extend(pvc::validate_spec(
                claim.spec.as_ref().unwrap_or(&Default::default()),
                &path,
            ));
        }
    }
    errs
}

/// The template's pod spec as a pod's, in the form the controller gives
/// its pods: each claim template stands in for the volume of its name
/// (volumesToAddForTemplates), and hostname and subdomain, which the
/// controller sets, are left out.
fn template_spec(spec: &StatefulSetSpec) -> Vec<FieldError> {
    let mut pod_spec = spec.template.spec.clone().unwrap_or_default();
    pod_spec.hostname = None;
    pod_spec.subdomain = None;
    let templates = spec.volume_claim_templates.as_deref().unwrap_or(&[]);
    let volumes = with_claim_volumes(
        pod_spec.volumes.take().unwrap_or_default(),
        templates,
        |t| t.metadata.name.clone().unwrap_or_default(),
    );
    pod_spec.volumes = Some(volumes);
    pod::validate_spec(&pod_spec, Path::Root("spec.template.spec"))
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

/// The create checks, ratcheted: the template is checked only when the old
/// spec passes every check (so a set stored before 1.34 can still be
/// changed), and claim templates, which cannot change, are not checked
/// again. Then only these spec fields may change after creation.
pub fn validate_update(old: &StatefulSet, new: &StatefulSet) -> Vec<FieldError> {
    let mut checks = Checks {
        template: true,
        claim_templates: false,
    };
    checks.template = old
        .spec
        .as_ref()
        .is_none_or(|spec| validate_spec(spec, checks).is_empty());
    let mut errs = meta::validate(&new.metadata, names::dns_label, true);
    if let Some(spec) = &new.spec {
        errs.extend(validate_spec(spec, checks));
    }
    errs.extend(frozen(old, new));
    errs
}

/// Only these spec fields may change after creation.
fn frozen(old: &StatefulSet, new: &StatefulSet) -> Vec<FieldError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn set(image: &str, mount: &str) -> StatefulSet {
        let mut set: StatefulSet = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web"},
            "spec": {
                "selector": {"matchLabels": {"app": "nginx"}},
                "serviceName": "nginx",
                "template": {
                    "metadata": {"labels": {"app": "nginx"}},
                    "spec": {"containers": [{
                        "name": "nginx",
                        "image": image,
                        "volumeMounts": [{"name": mount, "mountPath": "/data"}]
                    }]}
                },
                "volumeClaimTemplates": [{
                    "metadata": {"name": "www"},
                    "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
                }]
            }
        }))
        .expect("a StatefulSet");
        crate::sim::defaults::default_statefulset(&mut set);
        set
    }

    fn fields(errs: Vec<FieldError>) -> Vec<String> {
        errs.into_iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn the_template_is_checked_with_claim_templates_as_volumes() {
        assert!(validate(&set("nginx", "www")).is_empty());
        assert_eq!(
            fields(validate(&set("", "cache"))),
            [
                "spec.template.spec.containers[0].image: Required value",
                "spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"cache\"",
            ]
        );
    }

    #[test]
    fn an_update_checks_the_template_only_when_the_old_one_passed() {
        let (good, bad) = (set("nginx", "www"), set("", "www"));
        assert_eq!(
            fields(validate_update(&good, &bad)),
            ["spec.template.spec.containers[0].image: Required value"]
        );
        // A set stored before the check existed can still be changed.
        let mut changed = bad.clone();
        changed.spec.as_mut().unwrap().replicas = Some(3);
        assert!(validate_update(&bad, &changed).is_empty());
    }
}
