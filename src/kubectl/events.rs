//! `kubectl events`: the namespace's events, oldest first, with kubectl
//! events' own columns (`OBJECT` is `Kind/name`).

use k8s_openapi::api::core::v1::Event;

use super::args::{Parsed, Spec, Takes};
use super::formats::{list_json, Printer};
use super::output::Output;
use super::printers::since_ms;
use super::resources;
use super::table::TableWriter;
use super::target;
use super::Context;
use crate::sim::clock::{micros_of, millis_of, Millis};
use crate::sim::object::{Kind, Object};
use crate::sim::Cluster;

pub const SPEC: Spec = Spec {
    flags: &[
        ("all-namespaces", Some('A'), Takes::Bool),
        ("for", None, Takes::Value),
        ("types", None, Takes::Value),
        ("no-headers", None, Takes::Bool),
        ("output", Some('o'), Takes::Value),
        ("template", None, Takes::Value),
        ("watch", Some('w'), Takes::Bool),
        ("chunk-size", None, Takes::Value),
    ],
    not_simulated: &["allow-missing-template-keys", "show-managed-fields"],
};

pub fn run(cluster: &Cluster, ctx: &Context<'_>, parsed: &Parsed) -> Output {
    if parsed.bool("watch") {
        return Output::error(
            "stsplay does not simulate 'kubectl events --watch'; use 'kubectl get events --watch'",
        );
    }
    let types: Vec<String> = parsed
        .value("types")
        .map(|t| t.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    if types
        .iter()
        .any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning"))
    {
        return Output::error("valid --types are Normal or Warning");
    }
    let about = match parsed.value("for").map(for_object).transpose() {
        Ok(about) => about,
        Err(err) => return Output::error(err),
    };
    // kubectl events builds its printer before it lists anything.
    let format = match super::formats::print_flags_format(parsed, ctx) {
        Ok(format) => format,
        Err(err) => return Output::error(err),
    };
    let all = parsed.bool("all-namespaces");
    let namespace = target::namespace(parsed, ctx);
    let mut events: Vec<&Event> = cluster
        .store()
        .list(Kind::Event)
        .filter(|o| all || o.namespace() == namespace)
        .filter_map(|o| o.as_typed::<Event>())
        .filter(|e| {
            types.is_empty()
                || types.iter().any(|t| {
                    e.type_
                        .as_deref()
                        .is_some_and(|et| et.eq_ignore_ascii_case(t))
                })
        })
        .filter(|e| {
            about.as_ref().is_none_or(|(kind, name)| {
                e.involved_object.kind.as_deref() == Some(kind.name())
                    && e.involved_object.name.as_deref() == Some(name.as_str())
            })
        })
        .collect();
    if events.is_empty() {
        let mut out = Output::default();
        out.err(if all {
            "No events found.".to_string()
        } else {
            format!("No events found in {namespace} namespace.")
        });
        return out;
    }
    oldest_first(&mut events);
    if let Some(format) = format {
        let objects: Vec<_> = events
            .iter()
            .map(|e| std::rc::Rc::new(Object::Event(Box::new((*e).clone()))))
            .collect();
        return match Printer::new(format, false).print(&list_json(&objects), None) {
            Ok(text) => Output::ok(text),
            Err(err) => Output::error(err),
        };
    }
    let now = cluster.now();
    let mut rows = Vec::new();
    if !parsed.bool("no-headers") {
        let mut header = vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"];
        if all {
            header.insert(0, "NAMESPACE");
        }
        rows.push(header.into_iter().map(str::to_string).collect());
    }
    for event in events {
        let interval = interval(event, now);
        let object = &event.involved_object;
        let mut row = vec![
            interval,
            event.type_.clone().unwrap_or_default(),
            event.reason.clone().unwrap_or_default(),
            format!(
                "{}/{}",
                object.kind.as_deref().unwrap_or(""),
                object.name.as_deref().unwrap_or("")
            ),
            event.message.as_deref().unwrap_or("").trim().to_string(),
        ];
        if all {
            row.insert(0, event.metadata.namespace.clone().unwrap_or_default());
        }
        rows.push(row);
    }
    Output::ok(TableWriter::default().render(&rows))
}

/// When an event was seen: `5s`, or `5s (x3 over 20s)` for repeats.
pub fn interval(event: &Event, now: Millis) -> String {
    let first = since_ms(first_seen(event), now);
    match (&event.series, event.count.unwrap_or(1)) {
        (Some(series), _) => format!(
            "{} (x{} over {first})",
            since_ms(series_seen(event), now),
            series.count.unwrap_or(1)
        ),
        (None, count) if count > 1 => format!(
            "{} (x{count} over {first})",
            since_ms(event.last_timestamp.as_ref().map(millis_of), now)
        ),
        _ => first,
    }
}

/// When an event first happened: its firstTimestamp, or the eventTime of
/// the events.k8s.io recorder.
pub fn first_seen(event: &Event) -> Option<Millis> {
    event
        .first_timestamp
        .as_ref()
        .map(millis_of)
        .or_else(|| event.event_time.as_ref().map(micros_of))
}

/// When it last happened, as printEvent's LAST SEEN reads it.
pub fn last_seen(event: &Event) -> Option<Millis> {
    series_seen(event)
        .or_else(|| event.last_timestamp.as_ref().map(millis_of))
        .or_else(|| first_seen(event))
}

/// When a series (the events.k8s.io recorder's repeats) was last observed.
fn series_seen(event: &Event) -> Option<Millis> {
    let series = event.series.as_ref()?;
    series.last_observed_time.as_ref().map(micros_of)
}

/// How often it happened (a singleton of the new API has no count).
pub fn times(event: &Event) -> i32 {
    match (&event.series, event.count) {
        (Some(series), _) => series.count.unwrap_or(1),
        (None, Some(count)) if count > 0 => count,
        _ => 1,
    }
}

/// Orders events by when they were last seen, as `kubectl events`'
/// SortableEvents does (the series, else lastTimestamp, else eventTime).
/// Ties keep the apiserver's order, by name, which real recorders make
/// chronological.
pub fn oldest_first(events: &mut [&Event]) {
    events.sort_by_key(|e| {
        let sort_time = series_seen(e)
            .or_else(|| e.last_timestamp.as_ref().map(millis_of))
            .or_else(|| e.event_time.as_ref().map(micros_of));
        (sort_time, e.metadata.name.clone())
    });
}

/// `--for pod/web-0`: the kind and name events must be about.
fn for_object(text: &str) -> Result<(Kind, String), String> {
    let Some((type_, name)) = text.split_once('/') else {
        return Err("--for must be in resource/name form".to_string());
    };
    if name.contains('/') {
        return Err("arguments in resource/name form may not have more than one slash".to_string());
    }
    let kind = resources::resolve(type_).ok_or_else(|| resources::unknown(type_))?;
    Ok((kind, name.to_string()))
}
