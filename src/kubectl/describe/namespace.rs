//! `kubectl describe namespace`: kubectl's describeNamespace. stsplay has
//! no ResourceQuotas or LimitRanges, so it says so as kubectl does for a
//! namespace without them; a namespace has no Events section.

use k8s_openapi::api::core::v1::Namespace;

use super::writer::{timestamp, Writer};

pub fn describe(namespace: &Namespace) -> String {
    let meta = &namespace.metadata;
    let mut w = Writer::cluster_scoped(meta);
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    let status = namespace.status.as_ref();
    w.field(
        0,
        "Status",
        status.and_then(|s| s.phase.as_deref()).unwrap_or(""),
    );
    let conditions = status.and_then(|s| s.conditions.as_deref()).unwrap_or(&[]);
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n");
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        w.write(1, "----\t------\t------------------\t------\t-------\n");
        for c in conditions {
            w.write(
                1,
                &format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    c.type_,
                    c.status,
                    timestamp(c.last_transition_time.as_ref()),
                    c.reason.as_deref().unwrap_or(""),
                    c.message.as_deref().unwrap_or("")
                ),
            );
        }
    }
    w.write(0, "\nNo resource quota.\n");
    w.write(0, "\nNo LimitRange resource.\n");
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_namespace_without_quotas_or_limits() {
        let namespace: Namespace = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "default", "labels": {"kubernetes.io/metadata.name": "default"}},
            "status": {"phase": "Active"}
        }))
        .expect("a namespace");
        assert_eq!(
            describe(&namespace),
            "Name:         default\n\
             Labels:       kubernetes.io/metadata.name=default\n\
             Annotations:  <none>\n\
             Status:       Active\n\
             \n\
             No resource quota.\n\
             \n\
             No LimitRange resource.\n"
        );
    }
}
