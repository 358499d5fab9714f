//! The bounds of blocking commands (`wait`, `rollout status`, `drain`,
//! `delete --wait`): kubectl's `--timeout`, and the playground's own limit
//! where kubectl would wait until Ctrl+C (see `waiting.rs`).

use crate::sim::clock::{Millis, SECOND};

/// kubectl's default timeouts are long; the playground stops after this
/// much virtual time so a command that can never finish still returns.
pub const DEFAULT_LIMIT: Millis = 10 * 60 * SECOND;

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
