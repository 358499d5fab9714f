//! How Go's fmt prints unstructured JSON values, which jsonpath, custom
//! columns and go-template output all go through.

use serde_json::Value;

/// `fmt.Sprint` of unstructured JSON: integers as integers, floats as
/// Go prints float64, maps as `map[k:v]`, lists as `[a b]`.
pub fn go_print(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_i64() {
            Some(i) if !n.is_f64() => i.to_string(),
            _ => go_float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_print).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(map) => format!(
            "map[{}]",
            map.iter()
                .map(|(k, v)| format!("{k}:{}", go_print(v)))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

/// Go's `%v` for a float64: shortest digits, in exponent form when the
/// exponent is below -4 or at least 6 (`1e+06`, `1.073741824e+09`).
pub fn go_float(f: f64) -> String {
    let exp = if f == 0.0 {
        0
    } else {
        f.abs().log10().floor() as i32
    };
    if (-4..6).contains(&exp) {
        return format!("{f}");
    }
    let text = format!("{f:e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.abs())
}

/// Go's `json.MarshalIndent(v, "", "    ")`: four spaces, and `&`, `<`, `>`
/// escaped as Go's encoder does for HTML safety.
pub fn json_indent(value: &Value) -> String {
    let mut buffer = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffer, formatter);
    if serde::Serialize::serialize(value, &mut serializer).is_err() {
        return String::new();
    }
    go_escapes(String::from_utf8(buffer).unwrap_or_default())
}

/// Go's `json.Marshal(v)`: compact, with the same escapes.
pub fn json_compact(value: &Value) -> String {
    go_escapes(value.to_string())
}

/// The characters Go's encoder escapes that serde_json writes as they are
/// (they only occur inside strings in JSON text).
fn go_escapes(json: String) -> String {
    json.replace('&', "\\u0026")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_number_printing() {
        assert_eq!(go_float(3.0), "3");
        assert_eq!(go_float(0.5), "0.5");
        assert_eq!(go_float(1e6), "1e+06");
        assert_eq!(go_float(1073741824.0), "1.073741824e+09");
        assert_eq!(go_float(123456.0), "123456");
    }

    #[test]
    fn json_like_go() {
        assert_eq!(
            json_indent(&serde_json::json!({"a": ["x & y"]})),
            "{\n    \"a\": [\n        \"x \\u0026 y\"\n    ]\n}"
        );
    }

    #[test]
    fn values_print_like_go() {
        assert_eq!(
            go_print(&serde_json::json!({"a": 1, "b": [true, "x"]})),
            "map[a:1 b:[true x]]"
        );
        assert_eq!(go_print(&serde_json::json!(2.5)), "2.5");
    }
}
