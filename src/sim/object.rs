//! The kinds of API object the simulated apiserver stores, as one enum over k8s-openapi's types.

use k8s_openapi::api::apps::v1::{
    ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet,
};
use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::api::core::v1::{
    ConfigMap, Event, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, Secret,
    Service, ServiceAccount,
};
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};

use super::shared_endpoints::{EndpointSlice, Endpoints};

impl Kind {
    /// The REST resource name, e.g. `statefulsets`.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Namespace => "namespaces",
            Kind::Node => "nodes",
            Kind::StorageClass => "storageclasses",
            Kind::PersistentVolume => "persistentvolumes",
            Kind::ConfigMap => "configmaps",
            Kind::ServiceAccount => "serviceaccounts",
            Kind::Service => "services",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslices",
            Kind::StatefulSet => "statefulsets",
            Kind::ControllerRevision => "controllerrevisions",
            Kind::PersistentVolumeClaim => "persistentvolumeclaims",
            Kind::Pod => "pods",
            Kind::Event => "events",
            Kind::Secret => "secrets",
            Kind::PodDisruptionBudget => "poddisruptionbudgets",
            Kind::DaemonSet => "daemonsets",
            Kind::Deployment => "deployments",
            Kind::ReplicaSet => "replicasets",
        }
    }

    /// The API group; empty for the core group.
    pub fn group(self) -> &'static str {
        match self {
            Kind::StatefulSet
            | Kind::ControllerRevision
            | Kind::DaemonSet
            | Kind::Deployment
            | Kind::ReplicaSet => "apps",
            Kind::StorageClass => "storage.k8s.io",
            Kind::EndpointSlice => "discovery.k8s.io",
            Kind::PodDisruptionBudget => "policy",
            _ => "",
        }
    }

    pub fn api_version(self) -> &'static str {
        match self.group() {
            "" => "v1",
            "apps" => "apps/v1",
            "storage.k8s.io" => "storage.k8s.io/v1",
            "policy" => "policy/v1",
            _ => "discovery.k8s.io/v1",
        }
    }

    pub fn namespaced(self) -> bool {
        !matches!(
            self,
            Kind::Namespace | Kind::Node | Kind::StorageClass | Kind::PersistentVolume
        )
    }

    /// `statefulsets.apps` or `pods`: how the apiserver names the resource in errors.
    pub fn qualified_plural(self) -> String {
        match self.group() {
            "" => self.plural().to_string(),
            g => format!("{}.{g}", self.plural()),
        }
    }

    /// `statefulset.apps` or `pod`: how kubectl prefixes object names.
    pub fn qualified_singular(self) -> String {
        let singular = self.name().to_ascii_lowercase();
        match self.group() {
            "" => singular,
            g => format!("{singular}.{g}"),
        }
    }

    pub fn from_api_version_kind(api_version: &str, kind: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.name() == kind && k.api_version() == api_version)
    }
}

/// Implemented by every type the store holds, to move between it and [`Object`].
pub trait Typed: Sized + Clone {
    const KIND: Kind;
    fn from_object(object: &Object) -> Option<&Self>;
    fn into_object(self) -> Object;
    fn metadata(&self) -> &ObjectMeta;
}

/// The one list of kinds: each is a variant of [`Kind`] and of [`Object`],
/// named as its k8s-openapi type and its `kind` field.
macro_rules! objects {
    ($($variant:ident),* $(,)?) => {
        /// Facts about a kind that clients need: names, group and scope.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind {
            $($variant),*
        }

        impl Kind {
            pub const ALL: [Kind; [$(Kind::$variant),*].len()] = [$(Kind::$variant),*];

            /// The `kind` field, e.g. `StatefulSet`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Kind::$variant => stringify!($variant)),*
                }
            }
        }

        /// One stored API object. Objects live behind `Rc` in the store and
        /// its log; each variant is boxed so that an object takes the size of
        /// its own kind (an Event 1 KB) instead of the largest (a
        /// PersistentVolume 3.5 KB), and moving one copies a pointer.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Object {
            $($variant(Box<$variant>)),*
        }

        impl Object {
            pub fn kind(&self) -> Kind {
                match self {
                    $(Object::$variant(_) => Kind::$variant),*
                }
            }

            pub fn meta(&self) -> &ObjectMeta {
                match self {
                    $(Object::$variant(o) => &o.metadata),*
                }
            }

            pub fn meta_mut(&mut self) -> &mut ObjectMeta {
                match self {
                    $(Object::$variant(o) => &mut o.metadata),*
                }
            }

            /// The object as JSON, with apiVersion and kind, as `-o json` shows it.
            pub fn to_json(&self) -> serde_json::Value {
                let value = match self {
                    $(Object::$variant(o) => serde_json::to_value(o)),*
                };
                let mut value = value.unwrap_or(serde_json::Value::Null);
                unset_times(self.kind(), &mut value);
                value
            }

            /// Decodes JSON of the given kind (no strictness; callers validate first).
            pub fn from_json(kind: Kind, value: serde_json::Value) -> Result<Object, serde_json::Error> {
                Ok(match kind {
                    $(Kind::$variant => Object::$variant(Box::new(serde_json::from_value(value)?))),*
                })
            }
        }

        $(
            impl Typed for $variant {
                const KIND: Kind = Kind::$variant;
                fn from_object(object: &Object) -> Option<&Self> {
                    match object {
                        Object::$variant(o) => Some(o.as_ref()),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
                fn into_object(self) -> Object {
                    Object::$variant(Box::new(self))
                }
                fn metadata(&self) -> &ObjectMeta {
                    &self.metadata
                }
            }
        )*
    };
}

objects!(
    Namespace,
    Node,
    StorageClass,
    PersistentVolume,
    ConfigMap,
    ServiceAccount,
    Service,
    Endpoints,
    EndpointSlice,
    StatefulSet,
    ControllerRevision,
    PersistentVolumeClaim,
    Pod,
    Event,
    Secret,
    PodDisruptionBudget,
    DaemonSet,
    Deployment,
    ReplicaSet,
);

impl Object {
    pub fn name(&self) -> &str {
        self.meta().name.as_deref().unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.meta().namespace.as_deref().unwrap_or("")
    }

    pub fn uid(&self) -> &str {
        self.meta().uid.as_deref().unwrap_or("")
    }

    pub fn key(&self) -> ObjectKey {
        ObjectKey::new(self.kind(), self.namespace(), self.name())
    }

    pub fn as_typed<T: Typed>(&self) -> Option<&T> {
        T::from_object(self)
    }

    pub fn is_terminating(&self) -> bool {
        self.meta().deletion_timestamp.is_some()
    }

    /// The label selector of a workload, a kind that makes pods from a template.
    pub fn workload_selector(&self) -> Option<&LabelSelector> {
        match self {
            Object::StatefulSet(o) => o.spec.as_ref().map(|s| &s.selector),
            Object::Deployment(o) => o.spec.as_ref().map(|s| &s.selector),
            Object::ReplicaSet(o) => o.spec.as_ref().map(|s| &s.selector),
            Object::DaemonSet(o) => o.spec.as_ref().map(|s| &s.selector),
            _ => None,
        }
    }

    /// The pod template of a workload.
    pub fn pod_template(&self) -> Option<&PodTemplateSpec> {
        match self {
            Object::StatefulSet(o) => o.spec.as_ref().map(|s| &s.template),
            Object::Deployment(o) => o.spec.as_ref().map(|s| &s.template),
            Object::ReplicaSet(o) => o.spec.as_ref()?.template.as_ref(),
            Object::DaemonSet(o) => o.spec.as_ref().map(|s| &s.template),
            _ => None,
        }
    }

    /// The uid of the controlling owner, if any.
    pub fn controller_uid(&self) -> Option<&str> {
        self.controller().map(|o| o.uid.as_str())
    }

    /// The owner reference that says it is this object's controller.
    pub fn controller(&self) -> Option<&OwnerReference> {
        self.meta()
            .owner_references
            .as_ref()?
            .iter()
            .find(|o| o.controller == Some(true))
    }
}

/// Where an object lives: kind, namespace (empty when cluster-scoped) and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjectKey {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> ObjectKey {
        let namespace = if kind.namespaced() { namespace } else { "" };
        ObjectKey {
            kind,
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }
}

impl std::fmt::Display for ObjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{}/{}", self.kind.name(), self.name)
        } else {
            write!(f, "{}/{}/{}", self.kind.name(), self.namespace, self.name)
        }
    }
}

/// Go writes an unset `metav1.Time` or `MicroTime` under `omitempty` as
/// null (omitempty never omits a struct): a pod condition's
/// `lastProbeTime`, and an Event's `eventTime` (legacy recorders) or first
/// and last timestamps (the events.k8s.io recorder).
/// Whether the object `meta` belongs to names `uid` as its controller.
pub fn controlled_by(meta: &ObjectMeta, uid: &str) -> bool {
    meta.owner_references
        .iter()
        .flatten()
        .any(|o| o.controller == Some(true) && o.uid == uid)
}

fn unset_times(kind: Kind, object: &mut serde_json::Value) {
    let null_if_missing = |fields: &mut serde_json::Value, names: &[&str]| {
        if let Some(fields) = fields.as_object_mut() {
            for name in names {
                fields
                    .entry(name.to_string())
                    .or_insert(serde_json::Value::Null);
            }
        }
    };
    match kind {
        Kind::Pod => {
            let conditions = object
                .pointer_mut("/status/conditions")
                .and_then(serde_json::Value::as_array_mut);
            for condition in conditions.into_iter().flatten() {
                null_if_missing(condition, &["lastProbeTime"]);
            }
        }
        Kind::Event => null_if_missing(object, &["eventTime", "firstTimestamp", "lastTimestamp"]),
        _ => {}
    }
}
