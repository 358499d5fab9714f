//! `kubectl describe poddisruptionbudget`: kubectl's
//! describePodDisruptionBudget, the budget and what its status allows.

use k8s_openapi::api::core::v1::Event;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

use super::writer::Writer;
use crate::kubectl::printers::int_or_string;
use crate::sim::clock::Millis;
use crate::sim::labels::selector_string;

pub fn describe(budget: &PodDisruptionBudget, events: Option<&[&Event]>, now: Millis) -> String {
    let mut w = Writer::namespaced(&budget.metadata);
    let spec = budget.spec.clone().unwrap_or_default();
    if let Some(min) = &spec.min_available {
        w.field(0, "Min available", int_or_string(min));
    } else if let Some(max) = &spec.max_unavailable {
        w.field(0, "Max unavailable", int_or_string(max));
    }
    // LabelSelectorAsSelector: a missing selector selects nothing, shown empty.
    let selector = spec
        .selector
        .as_ref()
        .map_or(String::new(), |s: &LabelSelector| selector_string(s));
    w.field(0, "Selector", selector);
    let status = budget.status.clone().unwrap_or_default();
    w.write(0, "Status:\n");
    w.field(2, "Allowed disruptions", status.disruptions_allowed);
    w.field(2, "Current", status.current_healthy);
    w.field(2, "Desired", status.desired_healthy);
    w.field(2, "Total", status.expected_pods);
    w.events(events, now);
    w.finish()
}
