//! `kubectl describe configmap`: kubectl's describeConfigMap, each data
//! value under its key and a line of dashes, binary data by its size.

use k8s_openapi::api::core::v1::{ConfigMap, Event};

use super::writer::Writer;
use crate::sim::clock::Millis;

pub fn describe(config_map: &ConfigMap, events: Option<&[&Event]>, now: Millis) -> String {
    let meta = &config_map.metadata;
    let mut w = Writer::namespaced(meta);
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    w.write(0, "\nData\n====\n");
    for (key, value) in config_map.data.iter().flatten() {
        w.write(0, &format!("{key}:\n----\n{value}\n"));
    }
    w.write(0, "\nBinaryData\n====\n");
    for (key, value) in config_map.binary_data.iter().flatten() {
        w.write(0, &format!("{key}: {} bytes\n", value.0.len()));
    }
    w.write(0, "\n");
    w.events(events, now);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::controllers::root_ca;

    #[test]
    fn the_root_ca_config_map() {
        let text = describe(&root_ca::config_map("default"), Some(&[]), 0);
        let expected = [
            "Name:         kube-root-ca.crt",
            "Namespace:    default",
            "Labels:       <none>",
            "Annotations:  kubernetes.io/description:",
            "                Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubern...",
            "",
            "Data",
            "====",
            "ca.crt:",
            "----",
            "-----BEGIN CERTIFICATE-----",
            "c3RzcGxheSBzaW11bGF0ZWQgY2x1c3RlciBDQSAobm90IGEgcmVhbCBjZXJ0aWZpY2F0ZSk",
            "-----END CERTIFICATE-----",
            "",
            "",
            "BinaryData",
            "====",
            "",
            "Events:  <none>",
        ];
        assert_eq!(text, expected.join("\n") + "\n");
    }
}
