//! Blocking commands (`wait`, `rollout status`, `drain`, `delete --wait`)
//! let virtual time pass by running the cluster's queued work until what
//! they wait for is true, or a bound is reached.

use crate::sim::clock::{Millis, SECOND};
use crate::sim::Cluster;

/// kubectl's default timeouts are long; the playground stops after this
/// much virtual time so a command that can never finish still returns.
pub const DEFAULT_LIMIT: Millis = 10 * 60 * SECOND;

/// Runs queued work until `done` holds. Returns whether it did; false when
/// the deadline passed or nothing was left to run. `done` is checked after
/// every change the cluster makes, so callers can print each step.
pub fn run_until(
    cluster: &mut Cluster,
    limit: Millis,
    mut done: impl FnMut(&Cluster) -> bool,
) -> bool {
    let deadline = cluster.now().saturating_add(limit);
    loop {
        if done(cluster) {
            return true;
        }
        if !cluster.step_until(deadline) {
            // Nothing will change before the deadline: time runs out.
            cluster.advance(deadline.saturating_sub(cluster.now()));
            return done(cluster);
        }
    }
}

/// Parses kubectl's `--timeout` (`30s`, `5m`, `1h`, `0`); None if invalid.
pub fn parse_timeout(text: &str) -> Option<Millis> {
    let mut total: f64 = 0.0;
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    if text == "0" {
        return Some(0);
    }
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        let mut unit = c.to_string();
        if c == 'm' && chars.peek() == Some(&'s') {
            unit.push('s');
            chars.next();
        }
        let value: f64 = number.parse().ok()?;
        number.clear();
        total += value
            * match unit.as_str() {
                "h" => 3600.0,
                "m" => 60.0,
                "s" => 1.0,
                "ms" => 0.001,
                _ => return None,
            };
    }
    if !number.is_empty() {
        return None;
    }
    Some((total * SECOND as f64) as Millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(parse_timeout("30s"), Some(30_000));
        assert_eq!(parse_timeout("1m30s"), Some(90_000));
        assert_eq!(parse_timeout("0"), Some(0));
        assert_eq!(parse_timeout("500ms"), Some(500));
        assert_eq!(parse_timeout("30"), None);
        assert_eq!(parse_timeout("x"), None);
    }
}
