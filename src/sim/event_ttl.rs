//! Events expire an hour after their last write, as the apiserver's
//! `--event-ttl` (1h by default, kind's too) makes etcd drop them: `kubectl
//! get events` and describe's Events only reach back that far, and a watch
//! sees the expired Event deleted.
//!
//! Every write of an Event takes a lease until `at + EVENT_TTL`. Writes
//! arrive in time order and the TTL is fixed, so the leases queue up in
//! expiry order; a renewed Event leaves its older lease behind, which is
//! skipped when its turn comes because the Event has moved on to a newer
//! version. A lease holds the version it was taken for, which the store and
//! its log share, so taking one allocates nothing and copying a cluster
//! (History, the timeline) stays cheap.

use std::collections::VecDeque;
use std::rc::Rc;

use super::clock::{Millis, MINUTE};
use super::object::{Kind, Object, ObjectKey};
use super::store::{EventType, Store, WatchEvent};

pub const EVENT_TTL: Millis = 60 * MINUTE;

#[derive(Clone, Debug, Default)]
pub struct EventLeases {
    queue: VecDeque<Lease>,
}

#[derive(Clone, Debug)]
struct Lease {
    expires: Millis,
    event: Rc<Object>,
}

impl EventLeases {
    /// Takes a lease for an Event that was just written.
    pub fn observe(&mut self, change: &WatchEvent) {
        let object = &change.object;
        if object.kind() != Kind::Event || change.ty == EventType::Deleted {
            return;
        }
        self.queue.push_back(Lease {
            expires: change.at.saturating_add(EVENT_TTL),
            event: object.clone(),
        });
    }

    /// Takes the leases that ran out by `now` and returns the Events they
    /// expire (with when), oldest first; leases whose Event was written
    /// again since, or is gone, expire nothing.
    pub fn take_due(&mut self, store: &Store, now: Millis) -> Vec<(Millis, ObjectKey)> {
        let mut due = Vec::new();
        while let Some(lease) = self.queue.front().filter(|l| l.expires <= now) {
            let event = &lease.event;
            let current = store
                .get_named(Kind::Event, event.namespace(), event.name())
                .is_some_and(|o| Rc::ptr_eq(o, event));
            if current {
                due.push((lease.expires, event.key()));
            }
            self.queue.pop_front();
        }
        due
    }
}
