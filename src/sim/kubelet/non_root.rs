//! verifyRunAsNonRoot: a container whose effective security context asks
//! for `runAsNonRoot` is not created when it would run as root (every
//! simulated image's user is root), so it waits in
//! CreateContainerConfigError, as `kubectl debug --profile=restricted` with
//! busybox shows.

use k8s_openapi::api::core::v1::{Container, Pod};

use super::status::PodRef;

/// Why the container may not be created, if it may not.
pub fn refusal(pod: &Pod, container: &Container) -> Option<String> {
    let pod_context = pod.spec.as_ref().and_then(|s| s.security_context.as_ref());
    let own = container.security_context.as_ref();
    let non_root = own
        .and_then(|s| s.run_as_non_root)
        .or_else(|| pod_context.and_then(|s| s.run_as_non_root));
    if non_root != Some(true) {
        return None;
    }
    let pod_ref = PodRef(pod);
    let name = &container.name;
    match own
        .and_then(|s| s.run_as_user)
        .or_else(|| pod_context.and_then(|s| s.run_as_user))
    {
        Some(0) => Some(format!(
            "container's runAsUser breaks non-root policy (pod: \"{pod_ref}\", container: {name})"
        )),
        Some(_) => None,
        None => Some(format!(
            "container has runAsNonRoot and image will run as root (pod: \"{pod_ref}\", container: {name})"
        )),
    }
}
