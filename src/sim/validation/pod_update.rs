//! ValidatePodUpdate: a pod's spec is fixed once it exists, but for its
//! containers' images, a shorter activeDeadlineSeconds, added tolerations
//! and a negative grace period set to 1. Since 1.33 resources change only
//! through the pods/resize subresource, so they are fixed here too.

use k8s_openapi::api::core::v1::{Container, Pod, PodSpec, Toleration};

use super::field::{quote, FieldError, Path};

/// What the Forbidden error lists, in the apiserver's order and words.
const UPDATABLE: [&str; 5] = [
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

/// The update checks in the apiserver's order; a changed container count
/// ends them, as it does there. (The apiserver follows the Forbidden error
/// on `spec` with a cmp.Diff of the two specs, whose spacing go-cmp varies
/// on purpose; that part is left out.)
pub fn validate_update(old: &Pod, new: &Pod) -> Vec<FieldError> {
    let none = PodSpec::default();
    let old = old.spec.as_ref().unwrap_or(&none);
    let new = new.spec.as_ref().unwrap_or(&none);
    let mut errs = Vec::new();
    let spec = Path::Root("spec");
    for (field, old, new) in [
        ("containers", &old.containers, &new.containers),
        (
            "initContainers",
            old.init_containers.as_ref().unwrap_or(&Vec::new()),
            new.init_containers.as_ref().unwrap_or(&Vec::new()),
        ),
    ] {
        let path = spec.child(field);
        if old.len() != new.len() {
            errs.push(FieldError::forbidden(
                path,
                "pod updates may not add or remove containers",
            ));
            return errs;
        }
        errs.extend(images(path, new));
    }
    if let Some(err) = deadline(old.active_deadline_seconds, new.active_deadline_seconds) {
        errs.push(err);
        return errs;
    }
    errs.extend(only_added_tolerations(
        old.tolerations.as_deref().unwrap_or(&[]),
        new.tolerations.as_deref().unwrap_or(&[]),
    ));
    if munged(old, new) != *old {
        errs.push(FieldError::forbidden(
            "spec",
            format!(
                "pod updates may not change fields other than {}",
                UPDATABLE.join(",")
            ),
        ));
    }
    errs
}

/// ValidateContainerUpdates: an image may change, but not to nothing or to
/// one with surrounding spaces.
fn images(path: Path<'_>, containers: &[Container]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, container) in containers.iter().enumerate() {
        let image = container.image.as_deref().unwrap_or("");
        let item = path.index(i);
        let field = item.child("image");
        if image.is_empty() {
            errs.push(FieldError::required(field, ""));
        }
        if image.trim() != image {
            errs.push(FieldError::invalid(
                field,
                quote(image),
                "must not have leading or trailing whitespace",
            ));
        }
    }
    errs
}

/// activeDeadlineSeconds may be set, or lowered, never raised or removed.
fn deadline(old: Option<i64>, new: Option<i64>) -> Option<FieldError> {
    const FIELD: &str = "spec.activeDeadlineSeconds";
    match (old, new) {
        (_, Some(new)) if !(0..=i64::from(i32::MAX)).contains(&new) => Some(FieldError::invalid(
            FIELD,
            new.to_string(),
            format!("must be between 0 and {}, inclusive", i32::MAX),
        )),
        (Some(old), Some(new)) if old < new => Some(FieldError::invalid(
            FIELD,
            new.to_string(),
            "must be less than or equal to previous value",
        )),
        (Some(_), None) => Some(FieldError::invalid(
            FIELD,
            "null".to_string(),
            "must not update from a positive integer to nil value",
        )),
        _ => None,
    }
}

/// Every old toleration must still be there, its tolerationSeconds aside.
fn only_added_tolerations(old: &[Toleration], new: &[Toleration]) -> Option<FieldError> {
    let kept = |toleration: &Toleration| {
        new.iter().any(|n| {
            *n == Toleration {
                toleration_seconds: n.toleration_seconds,
                ..toleration.clone()
            }
        })
    };
    (!old.iter().all(kept)).then(|| {
        FieldError::forbidden(
            "spec.tolerations",
            "existing toleration can not be modified except its tolerationSeconds",
        )
    })
}

/// The new spec with what may change taken back from the old one: equal to
/// the old spec unless something else changed.
fn munged(old: &PodSpec, new: &PodSpec) -> PodSpec {
    let mut spec = new.clone();
    let take_images = |news: &mut [Container], olds: &[Container]| {
        for (n, o) in news.iter_mut().zip(olds) {
            n.image.clone_from(&o.image);
        }
    };
    take_images(&mut spec.containers, &old.containers);
    if let (Some(news), Some(olds)) = (spec.init_containers.as_mut(), &old.init_containers) {
        take_images(news, olds);
    }
    spec.active_deadline_seconds = old.active_deadline_seconds;
    spec.tolerations.clone_from(&old.tolerations);
    spec.scheduling_gates.clone_from(&old.scheduling_gates);
    if old.termination_grace_period_seconds.is_some_and(|g| g < 0)
        && spec.termination_grace_period_seconds == Some(1)
    {
        spec.termination_grace_period_seconds = old.termination_grace_period_seconds;
    }
    spec
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(yaml: serde_json::Value) -> Pod {
        serde_json::from_value(serde_json::json!({"spec": yaml})).unwrap()
    }

    fn causes(old: &Pod, new: &Pod) -> Vec<String> {
        validate_update(old, new)
            .iter()
            .map(|e| e.to_string())
            .collect()
    }

    #[test]
    fn only_images_deadlines_and_tolerations_change() {
        let old = pod(serde_json::json!({
            "containers": [{"name": "app", "image": "nginx", "resources": {"limits": {"memory": "100Mi"}}}],
            "tolerations": [{"key": "k", "operator": "Exists", "tolerationSeconds": 300}],
            "activeDeadlineSeconds": 60,
        }));
        let changed = |f: &dyn Fn(&mut PodSpec)| {
            let mut new = old.clone();
            f(new.spec.as_mut().unwrap());
            causes(&old, &new)
        };
        assert!(changed(&|s| s.containers[0].image = Some("nginx:1.29".into())).is_empty());
        assert!(changed(&|s| s.active_deadline_seconds = Some(30)).is_empty());
        assert!(changed(&|s| {
            let t = s.tolerations.as_mut().unwrap();
            t[0].toleration_seconds = Some(10);
            t.push(Toleration::default());
        })
        .is_empty());
        let forbidden = "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";
        assert_eq!(changed(&|s| s.containers[0].resources = None), [forbidden]);
        assert_eq!(
            changed(&|s| s.containers[0].command = Some(vec!["sleep".into()])),
            [forbidden]
        );
        assert_eq!(
            changed(&|s| s.containers.push(Container::default())),
            ["spec.containers: Forbidden: pod updates may not add or remove containers"]
        );
        assert_eq!(
            changed(&|s| s.active_deadline_seconds = Some(90)),
            ["spec.activeDeadlineSeconds: Invalid value: 90: must be less than or equal to previous value"]
        );
        assert_eq!(
            changed(&|s| s.tolerations = None),
            ["spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"]
        );
        assert_eq!(
            changed(&|s| s.containers[0].image = Some(" nginx".into())),
            ["spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace"]
        );
    }
}
