//! Events the scheduler writes through the events.k8s.io API (client-go's
//! tools/events recorder). Seen as core/v1 Events they carry an action and
//! a microsecond eventTime instead of first and last timestamps, `source:
//! {}`, and repeats as a series: the second occurrence is written at once
//! with `series.count: 2`; later ones only count up in the recorder, which
//! writes the count every 30 minutes while the series goes on and the final
//! count when it ends (6 minutes without a repeat).

use k8s_openapi::api::core::v1::{Event, EventSeries, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};

use super::{fresh_name, EventKind, Source};
use crate::sim::clock::{timestamp, Millis, MINUTE};
use crate::sim::cluster::Cluster;
use crate::sim::fast_hash::digest_of;
use crate::sim::object::Object;

/// finishTime: a series (or a single event) not repeated for this long is
/// over, and the next occurrence starts a new Event.
const FINISH: Millis = 6 * MINUTE;

/// refreshTime: the recorder writes every running series' count this often.
/// A pod the scheduler retries every few minutes has a series that never
/// ends; without these writes nothing would show its attempts go on.
const REFRESH: Millis = 30 * MINUTE;

/// What the recorder remembers of an event it wrote.
#[derive(Clone, Debug)]
pub(super) struct Series {
    name: String,
    namespace: String,
    /// Occurrences so far, and how many the stored Event shows.
    count: i32,
    written: i32,
    last: Millis,
    /// When the stored Event was last written.
    written_at: Millis,
}

fn micro(at: Millis) -> MicroTime {
    MicroTime(timestamp(at))
}

/// Records an event as the scheduler's recorder does; `action` is what the
/// scheduler was doing (`Binding`, `Scheduling`).
pub fn record_action(
    cluster: &mut Cluster,
    about: &Object,
    action: &str,
    kind: EventKind,
    reason: &str,
    message: String,
    source: Source<'_>,
) {
    let involved = super::reference(about);
    record_action_about(
        cluster, about, involved, action, kind, reason, message, source,
    );
}

/// Records an event about `about` that names it as `involved` says (kube-proxy
/// names its node by name, as the kubelet does).
#[allow(clippy::too_many_arguments)]
pub fn record_action_about(
    cluster: &mut Cluster,
    about: &Object,
    involved: ObjectReference,
    action: &str,
    kind: EventKind,
    reason: &str,
    message: String,
    source: Source<'_>,
) {
    let identity = digest_of(&[
        involved.uid.as_deref().unwrap_or(""),
        action,
        reason,
        &message,
        source.component,
    ]);
    let now = cluster.now();
    let known = cluster.event_index.series.get(&identity).cloned();
    if let Some(mut series) = known {
        if now.saturating_sub(series.last) <= FINISH {
            // The recorder's refresh ran since the last write (its ticks
            // are counted from the clock's start): it wrote the count then.
            if now / REFRESH > series.written_at / REFRESH {
                write_count(cluster, &mut series);
            }
            series.count += 1;
            series.last = now;
            // The second occurrence is written at once; later ones wait.
            if series.written == 1 {
                write_count(cluster, &mut series);
            }
            cluster.event_index.series.insert(identity, series);
            return;
        }
        // The series ended: the recorder writes its final count.
        write_count(cluster, &mut series);
    }
    let namespace = super::event_namespace(about).to_string();
    let name = fresh_name(cluster, &namespace, about.name());
    let event = Event {
        metadata: ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(namespace.clone()),
            ..Default::default()
        },
        action: Some(action.to_string()),
        event_time: Some(micro(now)),
        involved_object: involved,
        reason: Some(reason.to_string()),
        message: Some(message),
        type_: Some(kind.as_str().to_string()),
        source: Some(EventSource::default()),
        reporting_component: Some(source.component.to_string()),
        reporting_instance: Some(source.instance(cluster)),
        ..Default::default()
    };
    if super::store_new(cluster, event) {
        let series = Series {
            name,
            namespace,
            count: 1,
            written: 1,
            last: now,
            written_at: now,
        };
        cluster.event_index.series.insert(identity, series);
    }
}

/// Brings the stored Event's series up to the recorder's count.
fn write_count(cluster: &mut Cluster, series: &mut Series) {
    if series.count == series.written {
        return;
    }
    let Some(existing) = cluster
        .store
        .get_typed::<Event>(&series.namespace, &series.name)
    else {
        return;
    };
    let mut event = existing.clone();
    event.series = Some(EventSeries {
        count: Some(series.count),
        last_observed_time: Some(micro(series.last)),
    });
    if cluster.write(Object::Event(Box::new(event))).is_some() {
        series.written = series.count;
        series.written_at = cluster.now();
    }
}
