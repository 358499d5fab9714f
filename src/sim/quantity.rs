//! Resource quantities (`100m`, `1Gi`, `2`) as numbers, for the sums and
//! comparisons the scheduler (does a pod fit) and describe (QoS class,
//! node allocations) make.

/// Thousandths of the base unit (millicores, millibytes).
pub type Milli = i128;

const BINARY: [(&str, u32); 6] = [
    ("Ki", 10),
    ("Mi", 20),
    ("Gi", 30),
    ("Ti", 40),
    ("Pi", 50),
    ("Ei", 60),
];
const DECIMAL: [(&str, i32); 8] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
];

/// Parses a quantity into thousandths; None if it is not one.
pub fn parse(text: &str) -> Option<Milli> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    let value: f64 = number.parse().ok()?;
    let scale: f64 = if suffix.is_empty() {
        1.0
    } else if let Some((_, shift)) = BINARY.iter().find(|(s, _)| *s == suffix) {
        2f64.powi(*shift as i32)
    } else if let Some((_, exp)) = DECIMAL.iter().find(|(s, _)| *s == suffix) {
        10f64.powi(*exp)
    } else if let Some(exp) = suffix.strip_prefix(['e', 'E']) {
        10f64.powi(exp.parse().ok()?)
    } else {
        return None;
    };
    Some((value * scale * 1000.0).round() as Milli)
}

/// Whether a quantity was written with a binary suffix (`Mi`), which
/// decides how a sum is printed.
pub fn is_binary(text: &str) -> bool {
    BINARY.iter().any(|(s, _)| text.ends_with(s))
}

/// A value in canonical form: the largest suffix that divides it evenly.
pub fn format(value: Milli, binary: bool) -> String {
    if value == 0 {
        return "0".to_string();
    }
    if value % 1000 != 0 {
        return format!("{value}m");
    }
    let units = value / 1000;
    if binary {
        for (suffix, shift) in BINARY.iter().rev() {
            let unit: Milli = 1 << shift;
            if units % unit == 0 {
                return format!("{}{suffix}", units / unit);
            }
        }
        return units.to_string();
    }
    for (suffix, exp) in DECIMAL.iter().rev().filter(|(_, e)| *e > 0) {
        let unit: Milli = 10i128.pow(*exp as u32);
        if units % unit == 0 {
            return format!("{}{suffix}", units / unit);
        }
    }
    units.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_suffixes() {
        assert_eq!(parse("100m"), Some(100));
        assert_eq!(parse("2"), Some(2000));
        assert_eq!(parse("1Ki"), Some(1_024_000));
        assert_eq!(parse("1.5"), Some(1500));
        assert_eq!(parse("1e3"), Some(1_000_000));
        assert_eq!(parse("abc"), None);
        assert_eq!(parse("1Zi"), None);
    }

    #[test]
    fn formats_canonically() {
        assert_eq!(format(300, false), "300m");
        assert_eq!(format(2000, false), "2");
        assert_eq!(format(384 * 1024 * 1024 * 1000, true), "384Mi");
        assert_eq!(format(2_000_000, false), "2k");
        assert_eq!(format(0, true), "0");
    }
}
