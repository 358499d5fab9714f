//! apimachinery's HumanDuration, which AGE columns and describe use.

use crate::sim::clock::Millis;

/// Humanizes an age given in milliseconds (negative ages are `<invalid>`).
pub fn human(ms: i64) -> String {
    let s = ms.div_euclid(1000);
    if s < -1 {
        return "<invalid>".to_string();
    }
    if s < 0 {
        return "0s".to_string();
    }
    if s < 120 {
        return format!("{s}s");
    }
    let m = s / 60;
    if m < 10 {
        return two_units(m, 'm', s % 60, 's');
    }
    if m < 180 {
        return format!("{m}m");
    }
    let h = s / 3600;
    if h < 8 {
        return two_units(h, 'h', (s / 60) % 60, 'm');
    }
    if h < 48 {
        return format!("{h}h");
    }
    if h < 192 {
        return two_units(h / 24, 'd', h % 24, 'h');
    }
    let d = h / 24;
    if h < 24 * 365 * 2 {
        return format!("{d}d");
    }
    let y = d / 365;
    let day = d % 365;
    if h < 24 * 365 * 8 && day != 0 {
        return format!("{y}y{day}d");
    }
    format!("{y}y")
}

/// `5m30s`, or `5m` when the smaller unit is zero.
fn two_units(big: i64, big_unit: char, small: i64, small_unit: char) -> String {
    if small == 0 {
        format!("{big}{big_unit}")
    } else {
        format!("{big}{big_unit}{small}{small_unit}")
    }
}

/// The age of something created at `since`, seen at `now`.
pub fn age(since: Millis, now: Millis) -> String {
    human(now as i64 - since as i64)
}

#[cfg(test)]
mod tests {
    use super::human;

    #[test]
    fn matches_apimachinery() {
        let cases = [
            (-5_000, "<invalid>"),
            (-500, "0s"),
            (0, "0s"),
            (59_000, "59s"),
            (119_999, "119s"),
            (125_000, "2m5s"),
            (180_000, "3m"),
            (599_000, "9m59s"),
            (600_000, "10m"),
            (179 * 60_000, "179m"),
            (3 * 3_600_000 + 4 * 60_000, "3h4m"),
            (7 * 3_600_000, "7h"),
            (47 * 3_600_000, "47h"),
            (48 * 3_600_000, "2d"),
            (51 * 3_600_000, "2d3h"),
            (400 * 86_400_000, "400d"),
            (3 * 365 * 86_400_000 + 5 * 86_400_000, "3y5d"),
            (9 * 365 * 86_400_000, "9y"),
        ];
        for (ms, want) in cases {
            assert_eq!(human(ms), want, "{ms} ms");
        }
    }
}
