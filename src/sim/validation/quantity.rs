//! Resource quantities (`1Gi`, `500m`, `1e3`) read as apimachinery's
//! ParseQuantity reads them, with its error texts.

pub const FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
pub const BAD_SUFFIX: &str = "unable to parse quantity's suffix";
pub const BAD_NUMBER: &str = "unable to parse numeric part of quantity";

const SUFFIXES: &[&str] = &[
    "", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
];

/// What validation needs to know about a quantity: its sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    Negative,
    Zero,
    Positive,
}

/// Parses a quantity, returning its sign or Go's error text.
pub fn parse(text: &str) -> Result<Sign, &'static str> {
    if text.is_empty() {
        return Err(FORMAT_WRONG);
    }
    let bytes = text.as_bytes();
    let mut pos = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            pos = 1;
            true
        }
        Some(b'+') => {
            pos = 1;
            false
        }
        _ => false,
    };
    let digits = |pos: &mut usize| {
        let start = *pos;
        while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
            *pos += 1;
        }
        &text[start..*pos]
    };
    let whole = digits(&mut pos);
    let mut fraction = "";
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        fraction = digits(&mut pos);
    }
    let suffix_start = pos;
    while bytes.get(pos).is_some_and(|b| b"eEinumkKMGTP".contains(b)) {
        pos += 1;
    }
    if matches!(bytes.get(pos), Some(b'-' | b'+')) {
        pos += 1;
    }
    digits(&mut pos);
    if pos != bytes.len() {
        return Err(FORMAT_WRONG);
    }
    let suffix = &text[suffix_start..];
    let decimal_exponent = suffix
        .strip_prefix(['e', 'E'])
        .is_some_and(|e| e.trim_start_matches(['+', '-']).parse::<u32>().is_ok());
    if !SUFFIXES.contains(&suffix) && !decimal_exponent {
        return Err(BAD_SUFFIX);
    }
    if whole.is_empty()
        && fraction.is_empty()
        && !text[..suffix_start].ends_with(|c: char| c.is_ascii_digit())
    {
        // "." or "+" alone: Go's numeric parse of the empty number fails.
        if text[..suffix_start].contains('.') {
            return Err(BAD_NUMBER);
        }
    }
    let zero = whole.chars().chain(fraction.chars()).all(|c| c == '0');
    Ok(match (zero, negative) {
        (true, _) => Sign::Zero,
        (false, true) => Sign::Negative,
        (false, false) => Sign::Positive,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        let cases = [
            ("1Gi", Ok(Sign::Positive)),
            ("500m", Ok(Sign::Positive)),
            ("0", Ok(Sign::Zero)),
            ("0Gi", Ok(Sign::Zero)),
            ("-1", Ok(Sign::Negative)),
            ("1e3", Ok(Sign::Positive)),
            ("1.5G", Ok(Sign::Positive)),
            ("1Gb", Err(FORMAT_WRONG)),
            ("1gi", Err(FORMAT_WRONG)),
            ("abc", Err(FORMAT_WRONG)),
            ("", Err(FORMAT_WRONG)),
            ("1GG", Err(BAD_SUFFIX)),
            ("1 Gi", Err(FORMAT_WRONG)),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), want, "{text}");
        }
    }
}
