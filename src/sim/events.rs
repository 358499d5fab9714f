//! The event recorder: writes core/v1 Events about objects, aggregating
//! repeats into one Event with a count, as client-go's recorder does.

use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};

use super::clock::{time, unix_nanos};
use super::cluster::Cluster;
use super::controllers::namespaces::admit_create;
use super::fast_hash::{digest_of, push_hex, FastMap};
use super::object::{Kind, Object};

mod correlator;
mod series;

use self::correlator::COMBINED_PREFIX;
pub use self::series::{record_action, record_action_about};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    Normal,
    Warning,
}

impl EventKind {
    fn as_str(self) -> &'static str {
        match self {
            EventKind::Normal => "Normal",
            EventKind::Warning => "Warning",
        }
    }
}

/// Who reports an event: `statefulset-controller`, or `kubelet` on a host.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    pub component: &'a str,
    pub host: Option<&'a str>,
}

impl Source<'_> {
    /// The reporting instance: client-go's legacy recorder takes the host
    /// (none for controllers); the scheduler's events.k8s.io recorder names
    /// itself and the host it runs on (kube-scheduler runs on the host
    /// network of the cluster's control-plane node).
    fn instance(&self, cluster: &Cluster) -> String {
        match (self.component, self.host) {
            (KUBE_PROXY, Some(host)) => format!("{KUBE_PROXY}-{host}"),
            (_, Some(host)) => host.to_string(),
            (SCHEDULER, None) => format!("{SCHEDULER}-{}", cluster.shape().control_plane()),
            _ => String::new(),
        }
    }
}

const SCHEDULER: &str = "default-scheduler";
/// kube-proxy's events.k8s.io recorder names itself and its host.
const KUBE_PROXY: &str = "kube-proxy";

impl Source<'static> {
    pub const STATEFULSET: Source<'static> = Source {
        component: "statefulset-controller",
        host: None,
    };
    pub const SCHEDULER: Source<'static> = Source {
        component: SCHEDULER,
        host: None,
    };
    pub const DEPLOYMENT: Source<'static> = Source {
        component: "deployment-controller",
        host: None,
    };
    pub const REPLICA_SET: Source<'static> = Source {
        component: "replicaset-controller",
        host: None,
    };
    pub const DAEMON_SET: Source<'static> = Source {
        component: "daemonset-controller",
        host: None,
    };
    pub const PV_CONTROLLER: Source<'static> = Source {
        component: "persistentvolume-controller",
        host: None,
    };
}

/// Events already written, by a digest of what makes two events "the
/// same" (object, reason, message, source): the recorder's cache.
#[derive(Clone, Debug, Default)]
pub struct EventIndex {
    by_identity: FastMap<u64, Seen>,
    /// The newest nanosecond named per object (by a digest of namespace
    /// and name), so a burst of events in one millisecond finds its next
    /// name at once.
    last_nanos: FastMap<u64, u64>,
    /// The events.k8s.io recorder's cache (see `series`).
    series: FastMap<u64, series::Series>,
    correlator: correlator::Correlator,
}

/// What the recorder remembers of an Event it wrote.
#[derive(Clone, Debug)]
struct Seen {
    name: String,
    count: i32,
    first: Time,
}

/// A restarted component's recorder starts with an empty cache: what it
/// records next makes new Events rather than counting on the old ones.
pub fn restart_recorder(cluster: &mut Cluster) {
    cluster.event_index.by_identity.clear();
    cluster.event_index.correlator = correlator::Correlator::default();
}

pub fn record(
    cluster: &mut Cluster,
    about: &Object,
    kind: EventKind,
    reason: &str,
    message: String,
    source: Source<'_>,
) {
    record_about(
        cluster,
        about,
        reference(about),
        kind,
        reason,
        message,
        source,
    );
}

/// The kubelet's reference to its node: by name, uid included
/// (kubelet.go's nodeRef), not by the object's uid.
pub fn node_reference(node: &Object) -> ObjectReference {
    ObjectReference {
        kind: Some("Node".to_string()),
        name: Some(node.name().to_string()),
        uid: Some(node.name().to_string()),
        ..Default::default()
    }
}

/// A reference to one container of a pod, by the field that declares it
/// (`spec.containers{name}`, `spec.initContainers{name}`), as the kubelet's
/// container references say.
pub fn field_reference(pod: &Object, field_path: &str) -> ObjectReference {
    ObjectReference {
        field_path: Some(field_path.to_string()),
        ..reference(pod)
    }
}

/// Records an event about `about` that names it as `involved` says.
pub fn record_about(
    cluster: &mut Cluster,
    about: &Object,
    involved: ObjectReference,
    kind: EventKind,
    reason: &str,
    message: String,
    source: Source<'_>,
) {
    let at = cluster.now();
    let uid = involved.uid.as_deref().unwrap_or("");
    let host = source.host.unwrap_or("");
    let group = digest_of(&[source.component, host, uid, kind.as_str(), reason]);
    let combined = cluster
        .event_index
        .correlator
        .aggregate(group, digest_of(&[&message]), at);
    // The recorder counts a combined event under its group's key, any other
    // under everything that tells two events apart.
    let identity = if combined {
        group
    } else {
        let field = involved.field_path.as_deref().unwrap_or("");
        digest_of(&[
            source.component,
            host,
            uid,
            field,
            kind.as_str(),
            reason,
            &message,
        ])
    };
    let namespace = event_namespace(about).to_string();
    let now = time(at);
    // The recorder notes the occurrence before the spam filter may drop it, so
    // the next Event that gets through carries the whole count.
    let seen = match cluster.event_index.by_identity.get(&identity) {
        Some(seen) => Seen {
            count: seen.count + 1,
            ..seen.clone()
        },
        None => Seen {
            name: fresh_name(cluster, &namespace, about.name()),
            count: 1,
            first: now.clone(),
        },
    };
    cluster
        .event_index
        .by_identity
        .insert(identity, seen.clone());
    let spam = digest_of(&[source.component, host, uid, kind.as_str()]);
    if !cluster.event_index.correlator.accept(spam, at) {
        return;
    }
    let message = if combined {
        format!("{COMBINED_PREFIX}{message}")
    } else {
        message
    };
    if let Some(existing) = cluster.store.get_typed::<Event>(&namespace, &seen.name) {
        let mut event = existing.clone();
        event.count = Some(seen.count);
        event.last_timestamp = Some(now);
        event.message = Some(message);
        cluster.write(Object::Event(Box::new(event)));
        return;
    }
    // A new Event, or one that expired (or was deleted): the latter is created
    // again under the name, count and first time the recorder remembers, as
    // client-go's recorder does when its patch finds the Event gone.
    let event = Event {
        metadata: ObjectMeta {
            name: Some(seen.name),
            namespace: Some(namespace),
            ..Default::default()
        },
        involved_object: involved,
        reason: Some(reason.to_string()),
        message: Some(message),
        type_: Some(kind.as_str().to_string()),
        source: Some(EventSource {
            component: Some(source.component.to_string()),
            host: source.host.map(str::to_string),
        }),
        reporting_component: Some(source.component.to_string()),
        reporting_instance: Some(source.instance(cluster)),
        first_timestamp: Some(seen.first),
        last_timestamp: Some(now),
        count: Some(seen.count),
        ..Default::default()
    };
    store_new(cluster, event);
}

/// Creates an Event as the apiserver does for a recorder; false when it is
/// refused because its namespace is gone or being terminated
/// (NamespaceLifecycle), and the recorder drops it.
fn store_new(cluster: &mut Cluster, event: Event) -> bool {
    let namespace = event.metadata.namespace.as_deref().unwrap_or("");
    if admit_create(cluster, Kind::Event, namespace, "").is_err() {
        return false;
    }
    let uid = cluster.rng.uuid();
    let at = cluster.now();
    cluster
        .store
        .create(Object::Event(Box::new(event)), uid, at)
        .is_ok()
}

/// Where Events about an object live: its namespace, or `default` for a
/// cluster-scoped object.
fn event_namespace(about: &Object) -> &str {
    match about.namespace() {
        "" => "default",
        ns => ns,
    }
}

/// `<object>.<UnixNano in hex>`, as client-go's recorder names events, so that
/// the server's name order is time order within one object. The real recorder
/// drops an event whose name is taken, but a real clock never reads the same
/// nanosecond twice; ours ticks in milliseconds, so a taken name moves on by
/// one nanosecond, as the next read of a real clock would.
fn fresh_name(cluster: &mut Cluster, namespace: &str, object: &str) -> String {
    let key = digest_of(&[namespace, object]);
    let after_last = cluster
        .event_index
        .last_nanos
        .get(&key)
        .map_or(0, |last| last.saturating_add(1));
    let mut nanos = unix_nanos(cluster.now()).max(after_last);
    let name = loop {
        let mut name = String::with_capacity(object.len() + 17);
        name.push_str(object);
        name.push('.');
        push_hex(&mut name, nanos, 1);
        if cluster.store.get_typed::<Event>(namespace, &name).is_none() {
            break name;
        }
        nanos = nanos.saturating_add(1);
    };
    cluster.event_index.last_nanos.insert(key, nanos);
    name
}

pub fn reference(object: &Object) -> ObjectReference {
    ObjectReference {
        api_version: Some(object.kind().api_version().to_string()),
        kind: Some(object.kind().name().to_string()),
        name: Some(object.name().to_string()),
        namespace: match object.namespace() {
            "" => None,
            ns => Some(ns.to_string()),
        },
        uid: Some(object.uid().to_string()),
        resource_version: object.meta().resource_version.clone(),
        ..Default::default()
    }
}

/// The events about one object, oldest first, as describe lists them.
pub fn events_for<'a>(cluster: &'a Cluster, about: &Object) -> Vec<&'a Event> {
    let namespace = event_namespace(about);
    let mut events: Vec<&Event> = cluster
        .store
        .list_typed::<Event>(namespace)
        .filter(|e| {
            let uid = e.involved_object.uid.as_deref();
            // The kubelet names its node by name where others use the uid.
            uid == Some(about.uid())
                || (about.kind() == Kind::Node
                    && e.involved_object.kind.as_deref() == Some("Node")
                    && uid == Some(about.name()))
        })
        .collect();
    // The apiserver lists them by name: `<object>.<creation nanos>`, the
    // order the recorders first wrote them in.
    events.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    events
}
