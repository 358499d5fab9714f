use crate::common::*;

#[test]
fn creation_events_have_the_exact_texts_and_order() {
    let mut cluster = cluster_with(2, "");
    settle(&mut cluster);
    let events = events_about(&cluster, "StatefulSet", "web");
    let texts: Vec<(String, String, String)> = events;
    let expected = [
        (
            "Normal",
            "SuccessfulCreate",
            "create Claim www-web-0 Pod web-0 in StatefulSet web success",
        ),
        (
            "Normal",
            "SuccessfulCreate",
            "create Pod web-0 in StatefulSet web successful",
        ),
        (
            "Normal",
            "SuccessfulCreate",
            "create Claim www-web-1 Pod web-1 in StatefulSet web success",
        ),
        (
            "Normal",
            "SuccessfulCreate",
            "create Pod web-1 in StatefulSet web successful",
        ),
    ];
    let got: Vec<(&str, &str, &str)> = texts
        .iter()
        .map(|(t, r, m)| (t.as_str(), r.as_str(), m.as_str()))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn events_come_from_the_statefulset_controller() {
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    let event = cluster
        .store()
        .list_typed::<k8s_openapi::api::core::v1::Event>(NS)
        .find(|e| e.involved_object.kind.as_deref() == Some("StatefulSet"))
        .cloned()
        .unwrap();
    assert_eq!(
        event.source.unwrap().component.as_deref(),
        Some("statefulset-controller")
    );
}

#[test]
fn a_claim_being_deleted_blocks_pod_creation_with_failed_create() {
    use stsplay::sim::{DeleteOptions, Kind, ObjectKey};
    let mut cluster = cluster_with(1, "");
    settle(&mut cluster);
    // Another pod mounts the claim, so pvc-protection keeps it Terminating.
    let reader = r#"
apiVersion: v1
kind: Pod
metadata: {name: reader}
spec:
  containers: [{name: sh, image: "busybox:1.28", command: [sleep, infinity]}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: www-web-0}}]
"#;
    apply(&mut cluster, reader);
    settle(&mut cluster);
    cluster
        .delete(
            &ObjectKey::new(Kind::PersistentVolumeClaim, NS, "www-web-0"),
            &DeleteOptions::default(),
        )
        .unwrap();
    delete_pod(&mut cluster, "web-0");
    assert!(run_until(&mut cluster, 120_000, |c| !messages(
        c,
        "StatefulSet",
        "web",
        "FailedCreate"
    )
    .is_empty()));
    let failed = messages(&cluster, "StatefulSet", "web", "FailedCreate");
    assert_eq!(
        failed[0],
        "create Pod web-0 in StatefulSet web failed error: pvc www-web-0 is being deleted"
    );
    assert!(pod(&cluster, "web-0").is_none());
    delete_pod(&mut cluster, "reader");
    settle(&mut cluster);
    assert!(
        running_and_ready(&cluster, "web-0"),
        "a new claim is made once the old one is gone"
    );
    assert!(claim(&cluster, "www-web-0")
        .unwrap()
        .metadata
        .deletion_timestamp
        .is_none());
}

#[test]
fn event_names_are_the_object_name_and_unix_nanos_in_hex_in_time_order() {
    let mut cluster = cluster_with(2, "");
    settle(&mut cluster);
    let mut events: Vec<k8s_openapi::api::core::v1::Event> = cluster
        .store()
        .list_typed::<k8s_openapi::api::core::v1::Event>(NS)
        .filter(|e| e.involved_object.name.as_deref() == Some("web"))
        .cloned()
        .collect();
    // The store lists by name; that must be the order they were written in.
    let listed: Vec<String> = events
        .iter()
        .map(|e| e.metadata.name.clone().unwrap_or_default())
        .collect();
    events.sort_by_key(|e| {
        e.metadata
            .resource_version
            .as_deref()
            .and_then(|rv| rv.parse::<u64>().ok())
    });
    assert_eq!(events.len(), 4);
    let mut previous = 0u64;
    for (event, name) in events.iter().zip(&listed) {
        assert_eq!(event.metadata.name.as_ref(), Some(name));
        let hex = name.strip_prefix("web.").expect("named after the object");
        let nanos = u64::from_str_radix(hex, 16).expect("hex nanoseconds");
        let created = event
            .first_timestamp
            .as_ref()
            .map(|t| t.0.as_second())
            .unwrap_or(0);
        assert_eq!(nanos / 1_000_000_000, u64::try_from(created).unwrap_or(0));
        assert!(nanos > previous, "{name} comes after the previous event");
        previous = nanos;
    }
}
