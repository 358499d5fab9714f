//! `kubectl describe secret`: kubectl's describeSecret, which shows each
//! value's size and never the value (but for a service account token's token).

use k8s_openapi::api::core::v1::Secret;

use super::writer::Writer;

pub fn describe(secret: &Secret) -> String {
    let meta = &secret.metadata;
    let mut w = Writer::namespaced(meta);
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    let ty = secret.type_.as_deref().unwrap_or("");
    w.write(0, &format!("\nType:\t{ty}\n"));
    w.write(0, "\nData\n====\n");
    for (key, value) in secret.data.iter().flatten() {
        if key == "token" && ty == "kubernetes.io/service-account-token" {
            w.write(
                0,
                &format!("{key}:\t{}\n", String::from_utf8_lossy(&value.0)),
            );
        } else {
            w.write(0, &format!("{key}:\t{} bytes\n", value.0.len()));
        }
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
    use k8s_openapi::ByteString;

    #[test]
    fn sizes_not_values() {
        let secret = Secret {
            metadata: ObjectMeta {
                name: Some("db".to_string()),
                namespace: Some("default".to_string()),
                ..Default::default()
            },
            type_: Some("Opaque".to_string()),
            data: Some(
                [("password", "s3cret"), ("user", "admin")]
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), ByteString(v.as_bytes().to_vec())))
                    .collect(),
            ),
            ..Default::default()
        };
        let expected = [
            "Name:         db",
            "Namespace:    default",
            "Labels:       <none>",
            "Annotations:  <none>",
            "",
            "Type:  Opaque",
            "",
            "Data",
            "====",
            "password:  6 bytes",
            "user:      5 bytes",
        ];
        assert_eq!(describe(&secret), expected.join("\n") + "\n");
    }
}
