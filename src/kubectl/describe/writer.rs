//! kubectl's PrefixWriter over a Go tabwriter (minwidth 0, padding 2):
//! two spaces of indent per level, and the shared pieces every describer
//! prints the same way (labels, annotations, tolerations, events).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Event, Taint, Toleration};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use crate::kubectl::gotab;
pub use crate::kubectl::printers::since;
use crate::sim::clock::Millis;

use crate::sim::last_applied::LAST_APPLIED;
/// Longer annotations are printed on their own lines and cut.
pub const MAX_ANNOTATION_LEN: usize = 140;

#[derive(Default)]
pub struct Writer {
    pending: String,
    out: String,
}

impl Writer {
    /// A describer's first line, `Name:`, for a cluster-scoped object.
    pub fn cluster_scoped(meta: &ObjectMeta) -> Writer {
        let mut w = Writer::default();
        w.field(0, "Name", meta.name.as_deref().unwrap_or(""));
        w
    }

    /// `Name:` and `Namespace:`, the first lines of a namespaced object.
    pub fn namespaced(meta: &ObjectMeta) -> Writer {
        let mut w = Writer::cluster_scoped(meta);
        w.field(0, "Namespace", meta.namespace.as_deref().unwrap_or(""));
        w
    }

    /// Writes `text` after `level` indents; `text` carries its own newline.
    pub fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.pending.push_str("  ");
        }
        self.pending.push_str(text);
    }

    /// `Key:\tvalue` at a level.
    /// The Name/Port/Protocol table of endpoint ports at `level`, as the
    /// endpoints and endpointslice describers print it: `<unset>` for a
    /// missing name, TCP for a missing protocol (the apiserver's default).
    pub fn ports<'a>(
        &mut self,
        level: usize,
        ports: impl IntoIterator<Item = (Option<&'a str>, String, Option<&'a str>)>,
    ) {
        self.write(level, "Name\tPort\tProtocol\n");
        self.write(level, "----\t----\t--------\n");
        for (name, port, protocol) in ports {
            let name = name.filter(|n| !n.is_empty()).unwrap_or("<unset>");
            let protocol = protocol.unwrap_or("TCP");
            self.write(level, &format!("{name}\t{port}\t{protocol}\n"));
        }
    }

    pub fn field(&mut self, level: usize, key: &str, value: impl std::fmt::Display) {
        self.write(level, &format!("{key}:\t{value}\n"));
    }

    /// A field kubectl prints only when it is set and not empty.
    pub fn field_if_set(&mut self, level: usize, key: &str, value: Option<&str>) {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            self.field(level, key, value);
        }
    }

    /// Lays out what was written so far on its own.
    pub fn flush(&mut self) {
        self.out.push_str(&gotab::format(&self.pending, 0, 2));
        self.pending.clear();
    }

    /// The text as written, tabs and all, as `rollout history --revision`
    /// prints a template (its PrefixWriter has no tabwriter behind it).
    pub fn unaligned(self) -> String {
        self.out + &self.pending
    }

    pub fn finish(mut self) -> String {
        self.flush();
        self.out
    }

    /// `Controlled By:  StatefulSet/web`, when the object has a controller.
    pub fn controlled_by(&mut self, meta: &ObjectMeta) {
        if let Some(owner) = meta
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true))
        {
            self.field(0, "Controlled By", format!("{}/{}", owner.kind, owner.name));
        }
    }

    /// `Labels:  a=b` with one more `\tc=d` line per further label.
    pub fn labels(&mut self, indent: &str, title: &str, labels: Option<&BTreeMap<String, String>>) {
        self.write(0, &format!("{indent}{title}:\t"));
        let entries: Vec<String> = labels
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        self.continued(indent, &entries);
    }

    /// Items after a title: the first on the title's line, the others below
    /// it with an empty first cell, or `<none>`.
    fn continued(&mut self, indent: &str, items: &[String]) {
        if items.is_empty() {
            self.write(0, "<none>\n");
        }
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.write(0, &format!("{indent}\t"));
            }
            self.write(0, &format!("{item}\n"));
        }
    }

    /// `Annotations:  key: value`, long or multi-line values on their own lines.
    pub fn annotations(&mut self, title: &str, annotations: Option<&BTreeMap<String, String>>) {
        self.write(0, &format!("{title}:\t"));
        let shown: Vec<(&String, &String)> = annotations
            .into_iter()
            .flatten()
            .filter(|(k, _)| k.as_str() != LAST_APPLIED)
            .collect();
        if shown.is_empty() {
            self.write(0, "<none>\n");
        }
        for (i, (key, value)) in shown.into_iter().enumerate() {
            if i > 0 {
                self.write(0, "\t");
            }
            let value = value.strip_suffix('\n').unwrap_or(value);
            if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
                self.write(0, &format!("{key}:\n"));
                for line in value.split('\n') {
                    self.write(
                        0,
                        &format!("\t  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2)),
                    );
                }
            } else {
                self.write(0, &format!("{key}: {value}\n"));
            }
        }
    }

    /// `Tolerations:  key:Effect op=Exists for 300s`, sorted by key.
    pub fn tolerations(
        &mut self,
        indent: &str,
        title: &str,
        tolerations: Option<&Vec<Toleration>>,
    ) {
        self.write(0, &format!("{indent}{title}:\t"));
        let mut sorted: Vec<&Toleration> = tolerations.into_iter().flatten().collect();
        sorted.sort_by(|a, b| a.key.cmp(&b.key));
        let items: Vec<String> = sorted.into_iter().map(toleration).collect();
        self.continued(indent, &items);
    }

    /// `Taints:  key:Effect`, sorted by effect then key.
    pub fn taints(&mut self, title: &str, taints: Option<&Vec<Taint>>) {
        self.write(0, &format!("{title}:\t"));
        let mut sorted: Vec<&Taint> = taints.into_iter().flatten().collect();
        sorted.sort_by_key(|t| format!("{},{}", t.effect, t.key));
        let items: Vec<String> = sorted
            .into_iter()
            .map(|t| match t.value.as_deref().filter(|v| !v.is_empty()) {
                Some(v) => format!("{}={v}:{}", t.key, t.effect),
                None => format!("{}:{}", t.key, t.effect),
            })
            .collect();
        self.continued("", &items);
    }

    /// `Status:  Bound`, or `Terminating (lasts …)` while deleting; the
    /// deadline is in the future, so kubectl's countdown shows `<invalid>`.
    pub fn status(&mut self, deleting: Option<&Time>, phase: &str, now: Millis) {
        match deleting {
            Some(at) => self.field(
                0,
                "Status",
                format!("Terminating (lasts {})", since(Some(at), now)),
            ),
            None => self.field(0, "Status", phase),
        }
    }

    /// A list under a title, e.g. `Used By:  web-0`.
    pub fn list(&mut self, title: &str, items: &[String]) {
        self.write(0, &format!("{title}:\t"));
        self.continued("", items);
    }

    /// The Events section: `<none>`, or a table of its own, with repeats as
    /// `5s (x3 over 20s)`, in describe's order: by lastTimestamp alone, so an
    /// events.k8s.io Event (which has none: kube-proxy's Starting, the
    /// scheduler's) comes first, and ties keep the order they were listed in.
    /// Nothing at all with `--show-events=false` (None).
    pub fn events(&mut self, events: Option<&[&Event]>, now: Millis) {
        let Some(events) = events else { return };
        if events.is_empty() {
            self.write(0, "Events:\t<none>\n");
            return;
        }
        self.flush();
        let mut sorted = events.to_vec();
        sorted.sort_by_key(|e| e.last_timestamp.as_ref().map(|t| t.0));
        self.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
        self.write(1, "----\t------\t----\t----\t-------\n");
        for event in sorted {
            let interval = crate::kubectl::events::interval(event, now);
            let source = event
                .source
                .as_ref()
                .and_then(|s| s.component.clone())
                .filter(|c| !c.is_empty())
                .or_else(|| event.reporting_component.clone())
                .unwrap_or_default();
            self.write(
                1,
                &format!(
                    "{}\t{}\t{interval}\t{source}\t{}\n",
                    event.type_.as_deref().unwrap_or(""),
                    event.reason.as_deref().unwrap_or(""),
                    event.message.as_deref().unwrap_or("").trim()
                ),
            );
        }
    }
}

fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_string(),
    }
}

fn toleration(t: &Toleration) -> String {
    let key = t.key.clone().unwrap_or_default();
    let value = t.value.clone().unwrap_or_default();
    let effect = t.effect.clone().unwrap_or_default();
    let mut text = key.clone();
    if !value.is_empty() {
        text.push_str(&format!("={value}"));
    }
    if !effect.is_empty() {
        text.push_str(&format!(":{effect}"));
    }
    if t.operator.as_deref() == Some("Exists") && value.is_empty() {
        text.push_str(if key.is_empty() && effect.is_empty() {
            "op=Exists"
        } else {
            " op=Exists"
        });
    }
    if let Some(seconds) = t.toleration_seconds {
        text.push_str(&format!(" for {seconds}s"));
    }
    text
}

/// Go's RFC1123Z layout, in UTC: `Mon, 05 Jan 2026 09:00:00 +0000`.
pub fn timestamp(time: Option<&Time>) -> String {
    match time {
        Some(t) => format!("{} +0000", t.0.strftime("%a, %d %b %Y %H:%M:%S")),
        // Go formats the zero time.Time.
        None => "Mon, 01 Jan 0001 00:00:00 +0000".to_string(),
    }
}

/// `True`, `False` or `<unset>`: describe's printBoolPtr.
pub fn bool_or_unset(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "True",
        Some(false) => "False",
        None => "<unset>",
    }
}

/// `<none>` for an empty string, as describe's stringOrNone.
pub fn or_none(text: &str) -> String {
    if text.is_empty() {
        "<none>".to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::clock::time;
    use crate::sim::labels::labels_from;

    #[test]
    fn labels_continue_under_their_value() {
        let mut w = Writer::default();
        w.field(0, "Name", "web-0");
        let labels = labels_from(&[("app", "nginx"), ("apps.kubernetes.io/pod-index", "0")]);
        w.labels("", "Labels", Some(&labels));
        w.annotations("Annotations", None);
        assert_eq!(
            w.finish(),
            "Name:         web-0\nLabels:       app=nginx\n              apps.kubernetes.io/pod-index=0\nAnnotations:  <none>\n"
        );
    }

    #[test]
    fn last_applied_is_hidden_and_long_values_wrap() {
        let mut w = Writer::default();
        let long = "x".repeat(150);
        let annotations: BTreeMap<String, String> = [(LAST_APPLIED, "{}"), ("a", long.as_str())]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        w.annotations("Annotations", Some(&annotations));
        assert_eq!(
            w.finish(),
            format!("Annotations:  a:\n                {}...\n", "x".repeat(138))
        );
    }

    #[test]
    fn kubelet_tolerations() {
        let mut w = Writer::default();
        let t = |key: &str| Toleration {
            key: Some(key.to_string()),
            operator: Some("Exists".to_string()),
            effect: Some("NoExecute".to_string()),
            toleration_seconds: Some(300),
            ..Default::default()
        };
        w.tolerations(
            "",
            "Tolerations",
            Some(&vec![
                t("node.kubernetes.io/unreachable"),
                t("node.kubernetes.io/not-ready"),
            ]),
        );
        assert_eq!(
            w.finish(),
            "Tolerations:  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        );
    }

    #[test]
    fn events_table_aggregates_repeats() {
        let event = |reason: &str, count: i32, first: Millis, last: Millis| Event {
            type_: Some("Warning".to_string()),
            reason: Some(reason.to_string()),
            message: Some(" Back-off restarting failed container ".to_string()),
            source: Some(k8s_openapi::api::core::v1::EventSource {
                component: Some("kubelet".to_string()),
                host: None,
            }),
            first_timestamp: Some(time(first)),
            last_timestamp: Some(time(last)),
            count: Some(count),
            ..Default::default()
        };
        let a = event("BackOff", 4, 10_000, 50_000);
        let b = event("Pulled", 1, 5_000, 5_000);
        let mut w = Writer::default();
        w.field(0, "QoS Class", "BestEffort");
        w.events(Some(&[&a, &b]), 60_000);
        assert_eq!(
            w.finish(),
            "QoS Class:  BestEffort\nEvents:\n  Type     Reason   Age                From     Message\n  ----     ------   ----               ----     -------\n  Warning  Pulled   55s                kubelet  Back-off restarting failed container\n  Warning  BackOff  10s (x4 over 50s)  kubelet  Back-off restarting failed container\n"
        );
    }

    #[test]
    fn rfc1123z() {
        let handed_over = crate::sim::clock::HANDOVER;
        assert_eq!(
            timestamp(Some(&time(handed_over))),
            "Mon, 05 Jan 2026 09:00:00 +0000"
        );
    }
}
