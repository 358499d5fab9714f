//! ControllerRevisions: the serialized pod template, its hash and its name,
//! computed exactly as the StatefulSet controller does so names match a real
//! cluster (`web-<hash>`).

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::PodTemplateSpec;
use serde_json::{json, Value};

/// The revision data: `{"spec":{"template":{"$patch":"replace", …}}}` as
/// compact JSON with keys sorted at every level (Go re-marshals through a map).
pub fn revision_data(set: &StatefulSet) -> String {
    // serde_json's Map is a BTreeMap here, so keys come out sorted.
    revision_value(set).to_string()
}

/// The revision data as a JSON value, for comparing with stored revisions.
pub fn revision_value(set: &StatefulSet) -> Value {
    template_value(set.spec.as_ref().map(|s| &s.template))
}

/// A ControllerRevision's data for a pod template, as the StatefulSet and
/// DaemonSet controllers store it: the template as a replacing patch.
pub fn template_value(template: Option<&PodTemplateSpec>) -> Value {
    let template = template
        .and_then(|t| serde_json::to_value(t).ok())
        .unwrap_or_else(|| json!({}));
    let mut template = match template {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    template.insert("$patch".to_string(), Value::String("replace".to_string()));
    json!({"spec": {"template": Value::Object(template)}})
}

/// 32-bit FNV-1 (not 1a), as Go's `hash/fnv.New32`.
fn fnv1_32(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &b in bytes {
        hash = hash.wrapping_mul(0x0100_0193);
        hash ^= u32::from(b);
    }
    hash
}

/// apimachinery's SafeEncodeString: maps each character to a consonant or
/// digit so generated names never spell words.
fn safe_encode(text: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    text.bytes()
        .map(|b| ALPHABET[usize::from(b) % ALPHABET.len()] as char)
        .collect()
}

/// The hash suffix of a revision: FNV-1 over the data and the collision count.
pub fn hash(data: &str, collision_count: i32) -> String {
    let mut bytes = data.as_bytes().to_vec();
    bytes.extend_from_slice(collision_count.to_string().as_bytes());
    safe_encode(&fnv1_32(&bytes).to_string())
}

/// `<set>-<hash>`, with the set name cut to 223 characters.
pub fn name(set_name: &str, hash: &str) -> String {
    let prefix: String = set_name.chars().take(223).collect();
    format!("{prefix}-{hash}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATA_0_21: &str = r#"{"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"image":"registry.k8s.io/nginx-slim:0.21","imagePullPolicy":"IfNotPresent","name":"nginx","ports":[{"containerPort":80,"name":"web","protocol":"TCP"}],"resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","volumeMounts":[{"mountPath":"/usr/share/nginx/html","name":"www"}]}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}}"#;

    #[test]
    fn fnv1_matches_go() {
        // Go: fnv.New32() over "" is the offset basis; over "a" is 0x050c5d7e.
        assert_eq!(fnv1_32(b""), 0x811c_9dc5);
        assert_eq!(fnv1_32(b"a"), 0x050c_5d7e);
    }

    #[test]
    fn tutorial_template_hash() {
        assert_eq!(name("web", &hash(DATA_0_21, 0)), "web-f99c84b4b");
    }

    #[test]
    fn serialized_defaulted_template_matches_the_controller() {
        let mut set: StatefulSet = serde_yaml::from_str(
            r#"
metadata: {name: web}
spec:
  selector: {matchLabels: {app: nginx}}
  serviceName: nginx
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.21
        ports: [{containerPort: 80, name: web}]
        volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
"#,
        )
        .unwrap();
        crate::sim::defaults::default_statefulset(&mut set);
        assert_eq!(revision_data(&set), DATA_0_21);
    }
}
