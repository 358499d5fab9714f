//! A pod's containers across its three lists: init containers, the
//! containers, and the ephemeral containers `kubectl debug` adds. Go's
//! EphemeralContainerCommon is a Container, so kubectl and the kubelet
//! treat an ephemeral container as one; here it is converted to one.

use std::borrow::Cow;

use k8s_openapi::api::core::v1::{Container, ContainerStatus, EphemeralContainer, Pod, PodStatus};

/// Which of the pod's lists a container is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    Init,
    Main,
    Ephemeral,
}

impl List {
    /// The list's field in the pod spec, as in an event's `spec.containers{web}`.
    pub fn field(self) -> &'static str {
        match self {
            List::Init => "initContainers",
            List::Main => "containers",
            List::Ephemeral => "ephemeralContainers",
        }
    }

    /// `spec.ephemeralContainers{debugger-x2kqp}`: the field path of a
    /// container, as events and kubectl name it.
    pub fn path(self, name: &str) -> String {
        format!("spec.{}{{{name}}}", self.field())
    }
}

/// An ephemeral container's fields as a Container's (the same fields, less
/// the target). Both types serialize to the same names.
pub fn as_container(ephemeral: &EphemeralContainer) -> Container {
    serde_json::to_value(ephemeral)
        .and_then(serde_json::from_value)
        .unwrap_or_default()
}

/// A Container's fields as an ephemeral container's, targeting `target`'s
/// processes if given.
pub fn as_ephemeral(container: &Container, target: Option<String>) -> EphemeralContainer {
    let mut ephemeral: EphemeralContainer = serde_json::to_value(container)
        .and_then(serde_json::from_value)
        .unwrap_or_default();
    ephemeral.target_container_name = target;
    ephemeral
}

/// The container named `name`, looked for as kubectl's FindContainerByName
/// does: the containers, then init containers, then ephemeral ones.
pub fn find<'a>(pod: &'a Pod, name: &str) -> Option<(List, Cow<'a, Container>)> {
    let spec = pod.spec.as_ref()?;
    let named = |c: &&Container| c.name == name;
    if let Some(c) = spec.containers.iter().find(named) {
        return Some((List::Main, Cow::Borrowed(c)));
    }
    if let Some(c) = spec.init_containers.iter().flatten().find(named) {
        return Some((List::Init, Cow::Borrowed(c)));
    }
    let ephemeral = spec.ephemeral_containers.iter().flatten();
    ephemeral
        .into_iter()
        .find(|c| c.name == name)
        .map(|c| (List::Ephemeral, Cow::Owned(as_container(c))))
}

/// Every container, each with its list: init containers, the containers,
/// then ephemeral ones (converted, so only those are copies).
pub fn all(pod: &Pod) -> impl Iterator<Item = (List, Cow<'_, Container>)> {
    let spec = pod.spec.as_ref();
    let init = spec
        .into_iter()
        .flat_map(|s| s.init_containers.iter().flatten());
    let main = spec.into_iter().flat_map(|s| s.containers.iter());
    let ephemeral = spec
        .into_iter()
        .flat_map(|s| s.ephemeral_containers.iter().flatten());
    init.map(|c| (List::Init, Cow::Borrowed(c)))
        .chain(main.map(|c| (List::Main, Cow::Borrowed(c))))
        .chain(ephemeral.map(|c| (List::Ephemeral, Cow::Owned(as_container(c)))))
}

/// Every container's name, each with its list.
pub fn names(pod: &Pod) -> Vec<(List, &str)> {
    let Some(spec) = pod.spec.as_ref() else {
        return Vec::new();
    };
    let init = spec.init_containers.iter().flatten();
    let ephemeral = spec.ephemeral_containers.iter().flatten();
    init.map(|c| (List::Init, c.name.as_str()))
        .chain(
            spec.containers
                .iter()
                .map(|c| (List::Main, c.name.as_str())),
        )
        .chain(ephemeral.map(|c| (List::Ephemeral, c.name.as_str())))
        .collect()
}

/// The container an ephemeral container named `name` targets (`kubectl
/// debug --target`), whose process namespace it shares.
pub fn target_of<'a>(pod: &'a Pod, name: &str) -> Option<&'a str> {
    let spec = pod.spec.as_ref()?;
    spec.ephemeral_containers
        .iter()
        .flatten()
        .find(|e| e.name == name)?
        .target_container_name
        .as_deref()
        .filter(|t| !t.is_empty())
}

/// Every container status the kubelet reported: init containers', the
/// containers', then ephemeral containers'.
pub fn statuses(status: &PodStatus) -> impl Iterator<Item = &ContainerStatus> {
    status
        .init_container_statuses
        .iter()
        .chain(&status.container_statuses)
        .chain(&status.ephemeral_container_statuses)
        .flatten()
}

/// The reported status of the container named `name`, in any list.
pub fn status<'a>(pod: &'a Pod, name: &str) -> Option<&'a ContainerStatus> {
    statuses(pod.status.as_ref()?).find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ephemeral_container_keeps_its_fields_through_a_container() {
        let ephemeral = EphemeralContainer {
            name: "debugger-x2kqp".into(),
            image: Some("busybox".into()),
            stdin: Some(true),
            tty: Some(true),
            command: Some(vec!["sh".into()]),
            target_container_name: Some("nginx".into()),
            ..Default::default()
        };
        let container = as_container(&ephemeral);
        assert_eq!(container.name, "debugger-x2kqp");
        assert_eq!(container.command, ephemeral.command);
        assert_eq!(container.tty, Some(true));
        assert_eq!(as_ephemeral(&container, Some("nginx".into())), ephemeral);
    }
}
