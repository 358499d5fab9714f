//! Go's `time.Parse(time.RFC3339, …)`, as kubectl reads a timestamp flag
//! (`logs --since-time`), with Go's error texts: the layout is walked
//! element by element, and the first that does not fit is named.

use k8s_openapi::jiff::Timestamp;

const LAYOUT: &str = "2006-01-02T15:04:05Z07:00";

/// The layout's elements: a number of fixed width (or, for the hour, one or
/// two digits) with its range, or a literal separator.
enum Element {
    Number {
        layout: &'static str,
        min_width: usize,
        range: Option<(&'static str, u32, u32)>,
    },
    Literal(&'static str),
}

const ELEMENTS: [Element; 11] = [
    Element::Number {
        layout: "2006",
        min_width: 4,
        range: None,
    },
    Element::Literal("-"),
    Element::Number {
        layout: "01",
        min_width: 2,
        range: Some(("month", 1, 12)),
    },
    Element::Literal("-"),
    Element::Number {
        layout: "02",
        min_width: 2,
        range: Some(("day", 1, 31)),
    },
    Element::Literal("T"),
    Element::Number {
        layout: "15",
        min_width: 1,
        range: Some(("hour", 0, 23)),
    },
    Element::Literal(":"),
    Element::Number {
        layout: "04",
        min_width: 2,
        range: Some(("minute", 0, 59)),
    },
    Element::Literal(":"),
    Element::Number {
        layout: "05",
        min_width: 2,
        range: Some(("second", 0, 59)),
    },
];

/// The instant `text` names, or Go's error for it.
pub fn parse_rfc3339(text: &str) -> Result<Timestamp, String> {
    let cannot = |value: &str, element: &str| {
        format!("parsing time {text:?} as {LAYOUT:?}: cannot parse {value:?} as {element:?}")
    };
    let out_of_range = |what: &str| format!("parsing time {text:?}: {what} out of range");
    let mut rest = text;
    for element in &ELEMENTS {
        match element {
            Element::Literal(literal) => {
                rest = rest
                    .strip_prefix(literal)
                    .ok_or_else(|| cannot(rest, literal))?;
            }
            Element::Number {
                layout,
                min_width,
                range,
            } => {
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                // The year takes exactly four digits; the others two (the
                // hour one or two).
                let width = if *layout == "2006" { 4 } else { digits.min(2) };
                if digits < *min_width || width < *min_width {
                    return Err(cannot(rest, layout));
                }
                let value: u32 = rest[..width].parse().map_err(|_| cannot(rest, layout))?;
                if let Some((what, low, high)) = range {
                    if value < *low || value > *high {
                        return Err(out_of_range(what));
                    }
                }
                rest = &rest[width..];
            }
        }
    }
    // Fractional seconds, then the zone.
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        rest = &fraction[digits..];
    }
    rest = if let Some(after) = rest.strip_prefix('Z') {
        after
    } else {
        let zone = rest.as_bytes();
        let well_formed = zone.len() >= 6
            && matches!(zone[0], b'+' | b'-')
            && zone[3] == b':'
            && [1, 2, 4, 5].iter().all(|&i| zone[i].is_ascii_digit());
        if !well_formed {
            return Err(cannot(rest, "Z07:00"));
        }
        &rest[6..]
    };
    if !rest.is_empty() {
        return Err(format!("parsing time {text:?}: extra text: {rest:?}"));
    }
    // What the walk accepted is a well-formed RFC 3339 time; only a day past
    // its month's end is left for the calendar to refuse.
    text.parse::<Timestamp>().map_err(|_| out_of_range("day"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_element_that_does_not_fit() {
        assert!(parse_rfc3339("2026-01-05T09:00:30Z").is_ok());
        assert!(parse_rfc3339("2026-01-05T09:00:30.5+08:00").is_ok());
        let layout = "\"2006-01-02T15:04:05Z07:00\"";
        assert_eq!(
            parse_rfc3339("yesterday").unwrap_err(),
            format!(
                "parsing time \"yesterday\" as {layout}: cannot parse \"yesterday\" as \"2006\""
            )
        );
        assert_eq!(
            parse_rfc3339("2026-01-05 09:00:30Z").unwrap_err(),
            format!("parsing time \"2026-01-05 09:00:30Z\" as {layout}: cannot parse \" 09:00:30Z\" as \"T\"")
        );
        assert_eq!(
            parse_rfc3339("2026-01-05T09:00:30").unwrap_err(),
            format!(
                "parsing time \"2026-01-05T09:00:30\" as {layout}: cannot parse \"\" as \"Z07:00\""
            )
        );
        assert_eq!(
            parse_rfc3339("2026-13-05T09:00:30Z").unwrap_err(),
            "parsing time \"2026-13-05T09:00:30Z\": month out of range"
        );
        assert_eq!(
            parse_rfc3339("2026-02-30T09:00:30Z").unwrap_err(),
            "parsing time \"2026-02-30T09:00:30Z\": day out of range"
        );
    }
}
