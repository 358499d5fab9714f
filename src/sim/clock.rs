//! Virtual time. The simulation never reads the wall clock: every timestamp is
//! a fixed epoch plus milliseconds of virtual time, so runs are reproducible.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, Time};
use k8s_openapi::jiff::Timestamp;

/// Milliseconds of virtual time since the cluster started.
pub type Millis = u64;

pub const SECOND: Millis = 1000;
pub const MINUTE: Millis = 60 * SECOND;

/// When kind hands the cluster over, in virtual time: a minute after its
/// control plane's kubelet first started. The bootstrap happens before (nodes
/// join, kind's pods start, their Events are recorded), so a fresh cluster's
/// nodes are a minute old; the playground counts its clock from here.
pub const HANDOVER: Millis = MINUTE;

/// The instant virtual time starts, a minute before the handover at
/// 2026-01-05T09:00:00Z: a fixed date, so that transcripts do not change from
/// day to day.
const EPOCH_MS: i64 = 1_767_603_600_000 - HANDOVER as i64;

pub fn timestamp(at: Millis) -> Timestamp {
    // Virtual time fits in i64 for ~292 million years; saturate rather than panic.
    let ms = EPOCH_MS.saturating_add(i64::try_from(at).unwrap_or(i64::MAX / 2));
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::MAX)
}

/// An API timestamp. Kubernetes' `Time` has second precision on the wire.
pub fn time(at: Millis) -> Time {
    Time(timestamp(at / SECOND * SECOND))
}

/// Nanoseconds since the Unix epoch, as Go's `time.Time.UnixNano`.
pub fn unix_nanos(at: Millis) -> u64 {
    let ms = u64::try_from(EPOCH_MS).unwrap_or(0).saturating_add(at);
    ms.saturating_mul(1_000_000)
}

/// Virtual milliseconds at which a microsecond API timestamp falls.
pub fn micros_of(time: &MicroTime) -> Millis {
    let ms = time.0.as_millisecond() - EPOCH_MS;
    Millis::try_from(ms).unwrap_or(0)
}

/// Virtual milliseconds at which an API timestamp falls (0 for anything earlier).
pub fn millis_of(time: &Time) -> Millis {
    let ms = time.0.as_millisecond() - EPOCH_MS;
    Millis::try_from(ms).unwrap_or(0)
}
