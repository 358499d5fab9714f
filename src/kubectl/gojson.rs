//! Go's encoding/json as kubectl and the apiserver meet it: which text is
//! JSON at all, and the syntax check (`checkValid`) the apiserver runs on a
//! patch body before decoding it, whose error words differ from
//! serde_json's and reach the learner verbatim
//! (`Error from server (BadRequest): unexpected end of JSON input`).

use serde_json::Value;

/// apimachinery's `IsJSONBuffer`: text that starts with `{` is JSON to
/// kubectl (a manifest stream, a patch sent as it is); anything else YAML.
pub fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// Where the scanner is inside a composite value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nest {
    ObjectKey,
    ObjectValue,
    ArrayValue,
}

/// What the scanner expects next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    BeginValue,
    BeginValueOrEmpty,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEsc,
    /// Hex digits of a `\u` escape still to come.
    InStringEscU(u8),
    Neg,
    Int,
    Zero,
    Dot,
    Fraction,
    E,
    ESign,
    Exponent,
    /// The rest of `true`, `false` or `null`, and the literal's name.
    Literal(&'static [u8], &'static str),
}

/// Go's limit on nesting, to bound the scanner's stack.
const MAX_DEPTH: usize = 10_000;

/// Checks `text` as one JSON value the way Go's `json.Unmarshal` does
/// before decoding; the error is Go's SyntaxError text.
pub fn check_valid(text: &str) -> Result<(), String> {
    let mut state = State::BeginValue;
    let mut stack: Vec<Nest> = Vec::new();
    for &c in text.as_bytes() {
        state = step(state, &mut stack, c)?;
    }
    // At the end, a space completes a number or reveals an unfinished value.
    match step(state, &mut stack, b' ')? {
        State::EndTop => Ok(()),
        _ => Err("unexpected end of JSON input".to_string()),
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

fn invalid(c: u8, context: &str) -> String {
    format!("invalid character {} {context}", quote_char(c))
}

fn step(state: State, stack: &mut Vec<Nest>, c: u8) -> Result<State, String> {
    Ok(match state {
        State::BeginValueOrEmpty if is_space(c) => state,
        State::BeginValueOrEmpty if c == b']' => end_value(stack, c)?,
        State::BeginValueOrEmpty => begin_value(stack, c)?,
        State::BeginValue => begin_value(stack, c)?,
        State::BeginStringOrEmpty if is_space(c) => state,
        State::BeginStringOrEmpty if c == b'}' => {
            if let Some(top) = stack.last_mut() {
                *top = Nest::ObjectValue;
            }
            end_value(stack, c)?
        }
        State::BeginStringOrEmpty | State::BeginString => match c {
            _ if is_space(c) => State::BeginString,
            b'"' => State::InString,
            _ => return Err(invalid(c, "looking for beginning of object key string")),
        },
        State::EndValue => end_value(stack, c)?,
        State::EndTop if is_space(c) => state,
        State::EndTop => return Err(invalid(c, "after top-level value")),
        State::InString => match c {
            b'"' => State::EndValue,
            b'\\' => State::InStringEsc,
            _ if c < 0x20 => return Err(invalid(c, "in string literal")),
            _ => state,
        },
        State::InStringEsc => match c {
            b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => State::InString,
            b'u' => State::InStringEscU(4),
            _ => return Err(invalid(c, "in string escape code")),
        },
        State::InStringEscU(left) if c.is_ascii_hexdigit() => match left {
            1 => State::InString,
            _ => State::InStringEscU(left - 1),
        },
        State::InStringEscU(_) => return Err(invalid(c, "in \\u hexadecimal character escape")),
        State::Neg => match c {
            b'0' => State::Zero,
            b'1'..=b'9' => State::Int,
            _ => return Err(invalid(c, "in numeric literal")),
        },
        State::Int if c.is_ascii_digit() => state,
        State::Int | State::Zero => match c {
            b'.' => State::Dot,
            b'e' | b'E' => State::E,
            _ => end_value(stack, c)?,
        },
        State::Dot if c.is_ascii_digit() => State::Fraction,
        State::Dot => return Err(invalid(c, "after decimal point in numeric literal")),
        State::Fraction => match c {
            _ if c.is_ascii_digit() => state,
            b'e' | b'E' => State::E,
            _ => end_value(stack, c)?,
        },
        State::E if c == b'+' || c == b'-' => State::ESign,
        State::E | State::ESign if c.is_ascii_digit() => State::Exponent,
        State::E | State::ESign => {
            return Err(invalid(c, "in exponent of numeric literal"));
        }
        State::Exponent if c.is_ascii_digit() => state,
        State::Exponent => end_value(stack, c)?,
        State::Literal([expected, rest @ ..], name) if c == *expected => match rest {
            [] => State::EndValue,
            _ => State::Literal(rest, name),
        },
        State::Literal(rest, name) => {
            let expecting = rest.first().map_or(' ', |&b| char::from(b));
            return Err(invalid(
                c,
                &format!("in literal {name} (expecting '{expecting}')"),
            ));
        }
    })
}

fn begin_value(stack: &mut Vec<Nest>, c: u8) -> Result<State, String> {
    let push = |stack: &mut Vec<Nest>, nest: Nest| {
        if stack.len() >= MAX_DEPTH {
            return Err(invalid(c, "exceeded max depth"));
        }
        stack.push(nest);
        Ok(())
    };
    Ok(match c {
        _ if is_space(c) => State::BeginValue,
        b'{' => {
            push(stack, Nest::ObjectKey)?;
            State::BeginStringOrEmpty
        }
        b'[' => {
            push(stack, Nest::ArrayValue)?;
            State::BeginValueOrEmpty
        }
        b'"' => State::InString,
        b'-' => State::Neg,
        b'0' => State::Zero,
        b'1'..=b'9' => State::Int,
        b't' => State::Literal(b"rue", "true"),
        b'f' => State::Literal(b"alse", "false"),
        b'n' => State::Literal(b"ull", "null"),
        _ => return Err(invalid(c, "looking for beginning of value")),
    })
}

fn end_value(stack: &mut Vec<Nest>, c: u8) -> Result<State, String> {
    let Some(top) = stack.last_mut() else {
        return step(State::EndTop, stack, c);
    };
    if is_space(c) {
        return Ok(State::EndValue);
    }
    Ok(match (*top, c) {
        (Nest::ObjectKey, b':') => {
            *top = Nest::ObjectValue;
            State::BeginValue
        }
        (Nest::ObjectKey, _) => return Err(invalid(c, "after object key")),
        (Nest::ObjectValue, b',') => {
            *top = Nest::ObjectKey;
            State::BeginString
        }
        (Nest::ObjectValue, b'}') | (Nest::ArrayValue, b']') => {
            stack.pop();
            if stack.is_empty() {
                State::EndTop
            } else {
                State::EndValue
            }
        }
        (Nest::ObjectValue, _) => return Err(invalid(c, "after object key:value pair")),
        (Nest::ArrayValue, b',') => State::BeginValue,
        (Nest::ArrayValue, _) => return Err(invalid(c, "after array element")),
    })
}

/// Go's `quoteChar`: the byte as a quoted character, escaped as
/// `strconv.Quote` escapes it.
pub fn quote_char(c: u8) -> String {
    let shown = match c {
        b'\'' => "\\'".to_string(),
        b'"' => "\"".to_string(),
        0x07 => "\\a".to_string(),
        0x08 => "\\b".to_string(),
        0x0c => "\\f".to_string(),
        b'\n' => "\\n".to_string(),
        b'\r' => "\\r".to_string(),
        b'\t' => "\\t".to_string(),
        0x0b => "\\v".to_string(),
        0..=0x1f | 0x7f => format!("\\x{c:02x}"),
        0x80..=0x9f | 0xa0 | 0xad => format!("\\u{c:04x}"),
        // Go turns the lone byte into the code point of the same number.
        _ => char::from(c).to_string(),
    };
    format!("'{shown}'")
}

/// The word Go's UnmarshalTypeError uses for a JSON value.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        check_valid(text).unwrap_err()
    }

    #[test]
    fn accepts_json() {
        for text in [
            "{}",
            " [ ] ",
            "{\"a\": [1, -0.5e+3, true, false, null, \"\\u00e9\\n\"]}",
            "0",
            "-12.25E2",
        ] {
            assert_eq!(check_valid(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn go_syntax_errors() {
        assert_eq!(error("{\"spec\":"), "unexpected end of JSON input");
        assert_eq!(error(""), "unexpected end of JSON input");
        assert_eq!(error("{\"a\" 1}"), "invalid character '1' after object key");
        assert_eq!(
            error("{\"a\": 1 \"b\"}"),
            "invalid character '\"' after object key:value pair"
        );
        assert_eq!(
            error("{\"a\": 1,}"),
            "invalid character '}' looking for beginning of object key string"
        );
        assert_eq!(error("[1 2]"), "invalid character '2' after array element");
        assert_eq!(
            error("{'a': 1}"),
            "invalid character '\\'' looking for beginning of object key string"
        );
        assert_eq!(error("{} x"), "invalid character 'x' after top-level value");
        assert_eq!(
            error("[tru]"),
            "invalid character ']' in literal true (expecting 'e')"
        );
        // At the end Go steps once more with a space, which can fail itself.
        assert_eq!(
            error("[nul"),
            "invalid character ' ' in literal null (expecting 'l')"
        );
        assert_eq!(error("[\"ab"), "unexpected end of JSON input");
        assert_eq!(error("[-x]"), "invalid character 'x' in numeric literal");
        assert_eq!(
            error("[1.]"),
            "invalid character ']' after decimal point in numeric literal"
        );
        assert_eq!(
            error("[1e]"),
            "invalid character ']' in exponent of numeric literal"
        );
        assert_eq!(
            error("[\"\\q\"]"),
            "invalid character 'q' in string escape code"
        );
        assert_eq!(
            error("[\"\\u12g4\"]"),
            "invalid character 'g' in \\u hexadecimal character escape"
        );
        assert_eq!(
            error("[\"a\nb\"]"),
            "invalid character '\\n' in string literal"
        );
        assert_eq!(
            error("{\"a\": x}"),
            "invalid character 'x' looking for beginning of value"
        );
        assert_eq!(
            error(&"[".repeat(10_001)),
            "invalid character '[' exceeded max depth"
        );
    }
}
