//! The two parts of client-go's EventCorrelator (tools/record/events_cache.go)
//! that decide what the legacy recorder sends besides counting repeats:
//!
//! - the aggregator: an event whose source, object, type and reason were seen
//!   with 10 different messages within 10 minutes of each other is sent as one
//!   "(combined from similar events)" Event instead, counted up from then on;
//! - the spam filter: a token bucket per source, object and type (25 events at
//!   once, then one every 5 minutes). A filtered event is not sent at all, but
//!   the recorder has already counted it, so the next one that passes carries
//!   the whole count.
//!
//! Both live in the recorder's process and are lost when it restarts.

use std::collections::VecDeque;

use crate::sim::clock::{Millis, MINUTE, SECOND};
use crate::sim::fast_hash::FastMap;

/// defaultAggregateMaxEvents: this many different messages make a group.
const AGGREGATE_AFTER: usize = 10;
/// defaultAggregateIntervalInSeconds: a group not added to for longer starts over.
const AGGREGATE_WINDOW: Millis = 10 * MINUTE;
/// defaultSpamBurst and defaultSpamQPS (one event per 300 s).
const SPAM_BURST: Millis = 25;
const SPAM_REFILL: Millis = 300 * SECOND;

pub(super) const COMBINED_PREFIX: &str = "(combined from similar events): ";

#[derive(Clone, Debug, Default)]
pub(super) struct Correlator {
    groups: FastMap<u64, Group>,
    buckets: FastMap<u64, Bucket>,
}

/// The different messages seen for one aggregate key, oldest first.
#[derive(Clone, Debug)]
struct Group {
    messages: VecDeque<u64>,
    last: Millis,
}

/// golang.org/x/time/rate's limiter: starts full, refills continuously. A
/// token is [`SPAM_REFILL`] milliseconds of refill, so the sums are exact.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    filled: Millis,
    last: Millis,
}

impl Correlator {
    /// Adds a message (by digest) to its group; true when the event is to be
    /// sent as the group's combined event.
    pub(super) fn aggregate(&mut self, group: u64, message: u64, now: Millis) -> bool {
        let entry = self.groups.entry(group).or_insert_with(|| Group {
            messages: VecDeque::new(),
            last: now,
        });
        if now.saturating_sub(entry.last) > AGGREGATE_WINDOW {
            entry.messages.clear();
        }
        entry.last = now;
        if !entry.messages.contains(&message) {
            entry.messages.push_back(message);
        }
        if entry.messages.len() < AGGREGATE_AFTER {
            return false;
        }
        // client-go drops an arbitrary message to stay under the limit (Go's
        // map order); the oldest is as good a choice and repeatable.
        entry.messages.pop_front();
        true
    }

    /// Takes a token from the bucket of `key`; false when it is empty and the
    /// event is dropped.
    pub(super) fn accept(&mut self, key: u64, now: Millis) -> bool {
        let full = SPAM_BURST * SPAM_REFILL;
        let bucket = self.buckets.entry(key).or_insert(Bucket {
            filled: full,
            last: now,
        });
        let elapsed = now.saturating_sub(bucket.last);
        bucket.filled = bucket.filled.saturating_add(elapsed).min(full);
        bucket.last = bucket.last.max(now);
        if bucket.filled >= SPAM_REFILL {
            bucket.filled -= SPAM_REFILL;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tenth_different_message_within_ten_minutes_is_combined() {
        let mut c = Correlator::default();
        for m in 0..9 {
            assert!(!c.aggregate(1, m, m * MINUTE));
        }
        assert!(c.aggregate(1, 9, 9 * MINUTE));
        // From then on every new message is combined...
        assert!(c.aggregate(1, 10, 9 * MINUTE));
        // ...as long as the group keeps being added to.
        assert!(!c.aggregate(1, 11, 20 * MINUTE));
        // Repeats of one message never make a group, and groups count apart.
        let mut c = Correlator::default();
        for at in 0..20 {
            assert!(!c.aggregate(1, 7, at));
        }
        for m in 0..9 {
            assert!(!c.aggregate(2, m, m));
        }
    }

    #[test]
    fn twenty_five_events_pass_at_once_then_one_every_five_minutes() {
        let mut c = Correlator::default();
        assert_eq!((0..30).filter(|_| c.accept(1, 0)).count(), 25);
        assert!(c.accept(2, 0), "another object has a bucket of its own");
        assert!(!c.accept(1, 299 * SECOND));
        assert!(c.accept(1, 300 * SECOND));
        assert!(!c.accept(1, 301 * SECOND));
        // A long pause fills the bucket again, but no further than 25.
        let later = 1000 * MINUTE;
        assert_eq!((0..30).filter(|_| c.accept(1, later)).count(), 25);
    }
}
