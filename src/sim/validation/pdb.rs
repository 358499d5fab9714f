//! ValidatePodDisruptionBudget: one of minAvailable and maxUnavailable, each
//! a count or a percentage, a valid selector and eviction policy.

use k8s_openapi::api::policy::v1::PodDisruptionBudget;

use super::field::FieldError;
use super::{intstr, meta, names};

const POLICIES: [&str; 2] = ["AlwaysAllow", "IfHealthyBudget"];

pub fn validate(budget: &PodDisruptionBudget) -> Vec<FieldError> {
    let mut errs = meta::validate(&budget.metadata, names::dns_subdomain, true);
    let Some(spec) = budget.spec.as_ref() else {
        return errs;
    };
    if spec.min_available.is_some() && spec.max_unavailable.is_some() {
        // Go's %#v of the spec: its pointer fields print as addresses.
        let pointer = |set: bool, address: &str| {
            if set {
                address.to_string()
            } else {
                "nil".to_string()
            }
        };
        let value = format!(
            "policy.PodDisruptionBudgetSpec{{MinAvailable:(*intstr.IntOrString)({}), Selector:(*v1.LabelSelector)({}), MaxUnavailable:(*intstr.IntOrString)({}), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)({})}}",
            pointer(true, "0xc000b2a1c0"),
            pointer(spec.selector.is_some(), "0xc000b2a1e0"),
            pointer(true, "0xc000b2a200"),
            pointer(spec.unhealthy_pod_eviction_policy.is_some(), "0xc000b2a220"),
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
