//! ValidatePodDisruptionBudget: one of minAvailable and maxUnavailable, each
//! a count or a percentage, a valid selector and eviction policy.

use k8s_openapi::api::policy::v1::PodDisruptionBudget;

use super::field::{json_selector, json_string, FieldError};
use super::{intstr, meta, names};

const POLICIES: [&str; 2] = ["AlwaysAllow", "IfHealthyBudget"];

pub fn validate(budget: &PodDisruptionBudget) -> Vec<FieldError> {
    let mut errs = meta::validate(&budget.metadata, names::dns_subdomain, true);
    let Some(spec) = budget.spec.as_ref() else {
        return errs;
    };
    if spec.min_available.is_some() && spec.max_unavailable.is_some() {
        // The internal policy.PodDisruptionBudgetSpec as JSON (no json tags).
        let or_null = |value: Option<String>| value.unwrap_or_else(|| "null".to_string());
        let value = format!(
            "{{\"MinAvailable\":{},\"Selector\":{},\"MaxUnavailable\":{},\"UnhealthyPodEvictionPolicy\":{}}}",
            or_null(spec.min_available.as_ref().map(intstr::json_value)),
            or_null(spec.selector.as_ref().map(json_selector)),
            or_null(spec.max_unavailable.as_ref().map(intstr::json_value)),
            or_null(spec.unhealthy_pod_eviction_policy.as_deref().map(json_string)),
        );
        errs.push(FieldError::invalid(
            "spec",
            value,
            "minAvailable and maxUnavailable cannot be both set",
        ));
    }
    for (field, value) in [
        ("spec.minAvailable", &spec.min_available),
        ("spec.maxUnavailable", &spec.max_unavailable),
    ] {
        if let Some(value) = value {
            errs.extend(intstr::int_or_percent(field, value).0);
        }
    }
    if let Some(selector) = &spec.selector {
        errs.extend(meta::label_selector(selector, "spec.selector"));
    }
    if let Some(policy) = spec.unhealthy_pod_eviction_policy.as_deref() {
        if !POLICIES.contains(&policy) {
            errs.push(FieldError::unsupported(
                "spec.unhealthyPodEvictionPolicy",
                policy,
                &POLICIES,
            ));
        }
    }
    errs
}
