//! `-o yaml` as kubectl writes it (sigs.k8s.io/yaml over go-yaml v2):
//! keys sorted, lists at their key's indent, strings that would read back
//! as something else (`"66"`, `"2026-01-05T09:00:00Z"`, `"true"`) in double
//! quotes, strings libyaml cannot write plain in single quotes, and
//! multi-line strings as literal blocks. Long values are folded as the
//! emitter folds them: at a space once the line is past 80 columns.

use serde_json::{Map, Value};

pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_list(&mut out, items, 0),
        other => {
            out.push_str(&scalar(other, 0, 0));
            out.push('\n');
        }
    }
    out
}

/// go-yaml's best_width: past this column a space in a value becomes a line break.
const BEST_WIDTH: usize = 80;

fn indent(out: &mut String, level: usize) {
    out.extend(std::iter::repeat_n(' ', level));
}

fn write_map(out: &mut String, map: &Map<String, Value>, level: usize) {
    for (key, value) in map {
        indent(out, level);
        // A key is a simple key: never folded.
        out.push_str(&string(key, level, None));
        out.push(':');
        write_value(out, value, level, level + 2);
    }
}

fn write_list(out: &mut String, items: &[Value], level: usize) {
    for item in items {
        indent(out, level);
        out.push('-');
        match item {
            // A map in a list starts on the dash's line.
            Value::Object(map) if !map.is_empty() => {
                let mut inner = String::new();
                write_map(&mut inner, map, level + 2);
                out.push(' ');
                out.push_str(inner.trim_start_matches(' '));
            }
            other => write_value(out, other, level, level + 2),
        }
    }
}

/// After `key:` or `-`: a nested block on the next lines, or a scalar.
fn write_value(out: &mut String, value: &Value, level: usize, nested: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, nested);
        }
        // go-yaml writes a list under a key at the key's own indent.
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_list(out, items, level);
        }
        other => {
            out.push(' ');
            let column = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
            out.push_str(&scalar(other, nested, column));
            out.push('\n');
        }
    }
}

/// A scalar value starting at `column`; folded lines are indented by `level`.
fn scalar(value: &Value, level: usize, column: usize) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s, level, Some(column)),
        Value::Object(_) => "{}".to_string(),
        Value::Array(_) => "[]".to_string(),
    }
}

/// A string in the style go-yaml picks, folded when it starts at `column`
/// (None for a key, which is never folded).
fn string(s: &str, level: usize, column: Option<usize>) -> String {
    if s.contains('\n') {
        return literal(s, level);
    }
    let (text, style) = if s.is_empty() || reads_as_other_type(s) {
        (double_quoted(s), Style::Double)
    } else if plain_allowed(s) {
        (s.to_string(), Style::Plain)
    } else {
        (format!("'{}'", s.replace('\'', "''")), Style::Single)
    };
    match column {
        Some(column) => fold(&text, style, column, level),
        None => text,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

/// The emitter's line breaking in a scalar written from `column`: a single
/// space (not one of several, and for a quoted scalar not its first or last
/// character) becomes a new line indented by `level` once the line is
/// longer than [`BEST_WIDTH`]. In a double-quoted scalar a break before a
/// further space is escaped with `\`.
fn fold(text: &str, style: Style, column: usize, level: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    // The characters of the value itself, without the quotes.
    let (first, last) = match style {
        Style::Plain => (0, chars.len().saturating_sub(1)),
        Style::Single | Style::Double => (1, chars.len().saturating_sub(2)),
    };
    let mut out = String::with_capacity(text.len());
    let mut column = column;
    let mut after_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c != ' ' {
            out.push(c);
            column += 1;
            after_space = false;
            continue;
        }
        let next_is_space = chars.get(i + 1) == Some(&' ');
        let inner = style == Style::Plain || (i > first && i < last);
        let breaks = !after_space
            && column > BEST_WIDTH
            && inner
            && (style == Style::Double || !next_is_space);
        if breaks {
            out.push('\n');
            indent(&mut out, level);
            column = level;
            if style == Style::Double && next_is_space {
                out.push('\\');
                column += 1;
            }
        } else {
            out.push(' ');
            column += 1;
        }
        after_space = true;
    }
    out
}

/// A literal block: `|` keeps one final newline, `|-` has none.
fn literal(s: &str, level: usize) -> String {
    let (body, chomp) = match s.strip_suffix('\n') {
        Some(body) if !body.ends_with('\n') => (body, ""),
        Some(_) => (s.trim_end_matches('\n'), "+"),
        None => (s, "-"),
    };
    let lead = if body.starts_with(' ') { "2" } else { "" };
    let mut out = format!("|{lead}{chomp}");
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', level));
            out.push_str(line);
        }
    }
    out
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether YAML 1.1 would read the plain text as a bool, null, number or timestamp.
fn reads_as_other_type(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
        ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s).replace('_', "");
    let number = !digits.is_empty()
        && (digits.parse::<f64>().is_ok()
            || digits
                .strip_prefix("0x")
                .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
            || digits
                .strip_prefix("0b")
                .is_some_and(|b| !b.is_empty() && b.chars().all(|c| c == '0' || c == '1')));
    number || is_timestamp(s)
}

/// `2006-01-02` and `2006-01-02T15:04:05Z`-like texts, which YAML 1.1 reads as timestamps.
fn is_timestamp(s: &str) -> bool {
    let bytes = s.as_bytes();
    let date = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit);
    date && (bytes.len() == 10 || matches!(bytes[10], b'T' | b't' | b' '))
}

/// libyaml's rules for a plain scalar in block context.
fn plain_allowed(s: &str) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    if s.starts_with(' ') || s.ends_with(' ') {
        return false;
    }
    if "[]{},#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if matches!(first, '-' | '?' | ':') && s.chars().nth(1).is_none_or(|c| c == ' ') {
        return false;
    }
    !(s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.starts_with("---")
        || s.starts_with("..."))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn like_kubectl() {
        let value = json!({
            "metadata": {"annotations": {"last": "{\"a\":1}\n"}, "creationTimestamp": "2026-01-05T09:00:00Z", "name": "web", "resourceVersion": "66"},
            "spec": {"containers": [{"args": ["-c", "exit 1"], "image": "nginx:1.0", "ports": [{"containerPort": 80}]}], "empty": {}, "none": []},
        });
        assert_eq!(
            to_yaml(&value),
            "metadata:\n  annotations:\n    last: |\n      {\"a\":1}\n  creationTimestamp: \"2026-01-05T09:00:00Z\"\n  name: web\n  resourceVersion: \"66\"\nspec:\n  containers:\n  - args:\n    - -c\n    - exit 1\n    image: nginx:1.0\n    ports:\n    - containerPort: 80\n  empty: {}\n  none: []\n"
        );
    }

    #[test]
    fn quoting() {
        assert_eq!(string("true", 0, None), "\"true\"");
        assert_eq!(string("", 0, None), "\"\"");
        assert_eq!(string("1Gi", 0, None), "1Gi");
        assert_eq!(string("a: b", 0, None), "'a: b'");
        assert_eq!(string("*", 0, None), "'*'");
        assert_eq!(string("tail -f /dev/null", 0, None), "tail -f /dev/null");
        assert_eq!(string("nohup nginx &", 0, None), "nohup nginx &");
    }

    #[test]
    fn long_values_fold_at_a_space_past_80_columns_as_go_yaml_does() {
        let description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";
        let value =
            json!({"metadata": {"annotations": {"kubernetes.io/description": description}}});
        assert_eq!(
            to_yaml(&value),
            "metadata:\n  annotations:\n    kubernetes.io/description: Contains a CA bundle that can be used to verify the\n      kube-apiserver when using internal endpoints such as the internal service IP\n      or kubernetes.default.svc. No other usage is guaranteed across distributions\n      of Kubernetes clusters.\n"
        );
        // In a list, continuation lines line up under the item; a quoted
        // value folds inside its quotes; keys and words never break.
        let value = json!({"args": [format!("{} {}", "x".repeat(79), "y z"), format!("a: {} b", "w".repeat(80))], "k": "v".repeat(100)});
        let x = "x".repeat(79);
        let w = "w".repeat(80);
        let v = "v".repeat(100);
        assert_eq!(
            to_yaml(&value),
            format!("args:\n- {x}\n  y z\n- 'a: {w}\n  b'\nk: {v}\n")
        );
    }
}
