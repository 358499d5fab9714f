//! YAML as kubectl reads it. kubectl splits a file into documents at lines
//! starting with `---`, converts each document to JSON with Go's yaml.v2 (a
//! port of libyaml, YAML 1.1 scalars: `yes`/`on` are booleans, `0755` is
//! octal) and never sees a document's positions again. We parse with libyaml
//! too, so syntax errors have the same words, and remember where every value
//! came from so that later errors can point at a line.

use std::collections::BTreeMap;

use super::libyaml::{Event, Mark, Reader, ScalarStyle};
use serde_json::{Map, Number, Value};

use super::diagnostic::Diagnostic;

/// Deeper nesting than this is refused before it can exhaust the stack.
pub const MAX_DEPTH: usize = 100;
/// Values that aliases may copy into one document (billion laughs).
pub const MAX_ALIAS_NODES: usize = 100_000;

/// One document's lines, as kubectl's YAMLReader hands them to the parser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chunk<'a> {
    pub text: &'a str,
    /// The file line (1-based) of the chunk's first line.
    pub first_line: usize,
}

/// A syntax error: Go's text (`yaml: line 4: did not find expected key`) and
/// where in the file it really is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// A file line and column (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spot {
    pub line: usize,
    pub column: usize,
}

/// Where each value and each mapping key of a document starts, by path
/// (`spec.template.spec.containers[0].image`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Positions {
    values: BTreeMap<String, Spot>,
    keys: BTreeMap<String, Spot>,
}

impl Positions {
    pub fn value(&self, path: &str) -> Option<Spot> {
        self.values.get(path).copied()
    }

    /// The key's position, or the value's when the path is a list item.
    pub fn key(&self, path: &str) -> Option<Spot> {
        self.keys
            .get(path)
            .or_else(|| self.values.get(path))
            .copied()
    }
}

/// A document as JSON, with positions and the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Document {
    pub value: Value,
    pub positions: Positions,
    pub warnings: Vec<Diagnostic>,
    pub first_line: usize,
}

/// Splits a file as kubectl's YAMLReader does: a line starting with `---`
/// ends a document, and only a comment may follow the dashes. Stops at the
/// first bad separator.
pub fn split(text: &str) -> (Vec<Chunk<'_>>, Option<SyntaxError>) {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut first_line = 1;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        if let Some(rest) = line.strip_prefix("---") {
            let rest = rest.trim();
            if !rest.is_empty() && !rest.starts_with('#') {
                let error = SyntaxError {
                    message: format!("invalid Yaml document separator: {rest}"),
                    line: index + 1,
                    column: 4,
                };
                return (chunks, Some(error));
            }
            if offset > start {
                chunks.push(Chunk {
                    text: &text[start..offset],
                    first_line,
                });
            }
            start = offset + line.len();
            first_line = index + 2;
        }
        offset += line.len();
    }
    if text.len() > start {
        chunks.push(Chunk {
            text: &text[start..],
            first_line,
        });
    }
    (chunks, None)
}

/// Parses one chunk (its first YAML document, as yaml.v2 does). `None` for a
/// document with no content, which kubectl skips.
pub fn parse(chunk: Chunk<'_>) -> Result<Option<Document>, SyntaxError> {
    let mut builder = Builder {
        reader: Reader::new(chunk.text),
        first_line: chunk.first_line,
        anchors: BTreeMap::new(),
        copied: 0,
        positions: Positions::default(),
        warnings: Vec::new(),
    };
    loop {
        let (data, mark) = builder.next()?;
        match data {
            Event::StreamStart | Event::DocumentStart => {}
            Event::StreamEnd | Event::DocumentEnd => return Ok(None),
            data => {
                let value = builder.node(data, mark, Some(""), 0)?;
                if value.is_null() {
                    return Ok(None);
                }
                return Ok(Some(Document {
                    value,
                    positions: builder.positions,
                    warnings: builder.warnings,
                    first_line: chunk.first_line,
                }));
            }
        }
    }
}

struct Builder<'a> {
    reader: Reader<'a>,
    first_line: usize,
    anchors: BTreeMap<String, (Value, usize)>,
    copied: usize,
    positions: Positions,
    warnings: Vec<Diagnostic>,
}

impl Builder<'_> {
    fn spot(&self, mark: Mark) -> Spot {
        Spot {
            line: self.first_line + mark.line,
            column: mark.column + 1,
        }
    }

    fn next(&mut self) -> Result<(Event, Mark), SyntaxError> {
        self.reader.next().map_err(|err| self.syntax_error(&err))
    }

    /// yaml.v2's `parser.fail`: scanner errors count lines from 1, parser
    /// errors report the 0-based line of the problem (one less than the line
    /// it is on), and a problem on the first line falls back to the context.
    fn syntax_error(&self, err: &super::libyaml::Error) -> SyntaxError {
        let problem = err.problem_mark;
        let go_line = if problem.line != 0 {
            problem.line + usize::from(err.from_scanner)
        } else {
            err.context_mark.line
        };
        let text = go_problem(&err.problem);
        let message = if go_line != 0 {
            format!("yaml: line {go_line}: {text}")
        } else {
            format!("yaml: {text}")
        };
        let spot = self.spot(problem);
        SyntaxError {
            message,
            line: spot.line,
            column: spot.column,
        }
    }

    /// yaml.v2's composer errors carry no line; the editor still gets one.
    fn fail(&self, mark: Mark, text: &str) -> SyntaxError {
        let spot = self.spot(mark);
        SyntaxError {
            message: format!("yaml: {text}"),
            line: spot.line,
            column: spot.column,
        }
    }

    fn node(
        &mut self,
        data: Event,
        mark: Mark,
        path: Option<&str>,
        depth: usize,
    ) -> Result<Value, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.fail(
                mark,
                &format!("stsplay reads nesting up to {MAX_DEPTH} levels deep"),
            ));
        }
        if let Some(path) = path {
            let spot = self.spot(mark);
            self.positions.values.insert(path.to_string(), spot);
        }
        let (value, anchor) = match data {
            Event::Scalar {
                anchor,
                tag,
                value,
                style,
            } => (scalar(&value, tag.as_deref(), style), anchor),
            Event::SequenceStart { anchor } => (self.sequence(path.unwrap_or(""), depth)?, anchor),
            Event::MappingStart { anchor } => (self.mapping(path.unwrap_or(""), depth)?, anchor),
            Event::Alias { anchor } => return self.alias(&anchor, mark),
            _ => return Err(self.fail(mark, "did not find expected node content")),
        };
        if let Some(anchor) = anchor {
            let size = count(&value);
            self.anchors.insert(anchor, (value.clone(), size));
        }
        Ok(value)
    }

    fn alias(&mut self, anchor: &str, mark: Mark) -> Result<Value, SyntaxError> {
        let Some((value, size)) = self.anchors.get(anchor) else {
            return Err(self.fail(mark, &format!("unknown anchor '{anchor}' referenced")));
        };
        self.copied += size;
        if self.copied > MAX_ALIAS_NODES {
            return Err(self.fail(mark, "document contains excessive aliasing"));
        }
        Ok(value.clone())
    }

    fn sequence(&mut self, path: &str, depth: usize) -> Result<Value, SyntaxError> {
        let mut items = Vec::new();
        loop {
            let (data, mark) = self.next()?;
            if matches!(data, Event::SequenceEnd) {
                return Ok(Value::Array(items));
            }
            let item_path = format!("{path}[{}]", items.len());
            items.push(self.node(data, mark, Some(&item_path), depth + 1)?);
        }
    }

    fn mapping(&mut self, path: &str, depth: usize) -> Result<Value, SyntaxError> {
        let mut map = Map::new();
        let mut seen: BTreeMap<String, Spot> = BTreeMap::new();
        loop {
            let (data, mark) = self.next()?;
            if matches!(data, Event::MappingEnd) {
                return Ok(Value::Object(map));
            }
            let is_merge = matches!(&data, Event::Scalar { value, style: ScalarStyle::Plain, tag: None, .. } if value == "<<");
            let key_spot = self.spot(mark);
            let key = self.node(data, mark, None, depth + 1)?;
            let (value_data, value_mark) = self.next()?;
            if is_merge {
                let merged = self.node(value_data, value_mark, Some(path), depth + 1)?;
                merge(&mut map, merged).map_err(|text| self.fail(value_mark, text))?;
                continue;
            }
            let key = map_key(&key).map_err(|text| self.fail(mark, &text))?;
            let child = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            if let Some(first) = seen.insert(key.clone(), key_spot) {
                self.warnings.push(Diagnostic::warning(
                    key_spot.line,
                    key_spot.column,
                    format!(
                        "mapping key \"{key}\" already defined at line {}; kubectl keeps only this last value and ignores the earlier one",
                        first.line
                    ),
                ));
            }
            self.positions.keys.insert(child.clone(), key_spot);
            let value = self.node(value_data, value_mark, Some(&child), depth + 1)?;
            map.insert(key, value);
        }
    }
}

/// libyaml's newer wording where Go's older port differs.
pub(super) fn go_problem(problem: &str) -> &str {
    match problem {
        "found a tab character that violates indentation" => {
            "found a tab character that violate indentation"
        }
        other => other,
    }
}

/// `<<: *base` or `<<: [*a, *b]`: earlier maps in a list win, as in yaml.v2.
fn merge(map: &mut Map<String, Value>, merged: Value) -> Result<(), &'static str> {
    match merged {
        Value::Object(entries) => {
            map.extend(entries);
            Ok(())
        }
        Value::Array(items) => {
            for item in items.into_iter().rev() {
                match item {
                    Value::Object(entries) => map.extend(entries),
                    _ => return Err("map merge requires map or sequence of maps as the value"),
                }
            }
            Ok(())
        }
        _ => Err("map merge requires map or sequence of maps as the value"),
    }
}

/// How sigs.k8s.io/yaml turns a decoded key into a JSON object key.
fn map_key(key: &Value) -> Result<String, String> {
    match key {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Null => Err("unsupported map key of type: %!s(<nil>), key: <nil>".to_string()),
        other => Err(format!("invalid map key: {other}")),
    }
}

fn count(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(count).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(count).sum::<usize>(),
        _ => 1,
    }
}

const STR_TAG: &str = "tag:yaml.org,2002:str";

/// A scalar's value under yaml.v2's rules: quoted scalars and `!!str` are
/// strings; plain ones may be null, booleans (YAML 1.1 words), or numbers.
fn scalar(text: &str, tag: Option<&str>, style: ScalarStyle) -> Value {
    let plain = style == ScalarStyle::Plain;
    match tag {
        Some(STR_TAG) | Some("!") => Value::String(text.to_string()),
        Some(t) if t.starts_with("tag:yaml.org,2002:") => resolve(text),
        Some(_) => Value::String(text.to_string()),
        None if plain => resolve(text),
        None => Value::String(text.to_string()),
    }
}

fn resolve(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        _ => number(text).unwrap_or_else(|| Value::String(text.to_string())),
    }
}

/// yaml.v2: strip `_`, then Go's ParseInt with base prefixes (`0x`, `0o`,
/// `0b`, a leading `0` is octal), then a YAML-style float.
fn number(text: &str) -> Option<Value> {
    let first = text.chars().next()?;
    if !(first.is_ascii_digit() || matches!(first, '+' | '-' | '.')) {
        return None;
    }
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    if first != '.' {
        if let Some(n) = go_int(&plain) {
            return Some(Value::Number(n));
        }
    }
    if !yaml_float(&plain) {
        return None;
    }
    let float: f64 = plain.parse().ok()?;
    Some(float_value(float))
}

/// A float as Go's JSON encoder writes it: integral values become integers.
fn float_value(float: f64) -> Value {
    if float.fract() == 0.0 && float.abs() < 1e21 {
        if float >= i64::MIN as f64 && float <= i64::MAX as f64 {
            return Value::Number(Number::from(float as i64));
        }
        if float >= 0.0 && float <= u64::MAX as f64 {
            return Value::Number(Number::from(float as u64));
        }
    }
    Number::from_f64(float).map_or(Value::Null, Value::Number)
}

fn go_int(text: &str) -> Option<Number> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    if negative {
        if magnitude <= i64::MAX as u64 + 1 {
            return Some(Number::from((magnitude as i128).wrapping_neg() as i64));
        }
        return None;
    }
    Some(Number::from(magnitude))
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn yaml_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(text: &str) -> Value {
        parse(Chunk {
            text,
            first_line: 1,
        })
        .unwrap()
        .unwrap()
        .value
    }

    fn error(text: &str) -> SyntaxError {
        parse(Chunk {
            text,
            first_line: 1,
        })
        .unwrap_err()
    }

    #[test]
    fn scalars_follow_yaml_1_1_as_go_does() {
        let cases = [
            ("a: yes", json!({"a": true})),
            ("a: off", json!({"a": false})),
            ("a: 'yes'", json!({"a": "yes"})),
            ("a: 0755", json!({"a": 493})),
            ("a: 0x1F", json!({"a": 31})),
            ("a: 1_000", json!({"a": 1000})),
            ("a: 3.0", json!({"a": 3})),
            ("a: 2.5", json!({"a": 2.5})),
            ("a: 08", json!({"a": 8})),
            ("a: 1Gi", json!({"a": "1Gi"})),
            ("a: 2024-01-02", json!({"a": "2024-01-02"})),
            ("a: ~", json!({"a": null})),
            ("a: !!str 80", json!({"a": "80"})),
            ("on: 1", json!({"true": 1})),
            ("1: x", json!({"1": "x"})),
            ("a: -12", json!({"a": -12})),
        ];
        for (text, want) in cases {
            assert_eq!(value(text), want, "{text}");
        }
    }

    #[test]
    fn syntax_errors_use_go_yaml_v2_lines_and_words() {
        // (text, Go's message, real line, column)
        let cases = [
            (
                "a: 1\nb: 2\n c: 3\n",
                "yaml: line 3: mapping values are not allowed in this context",
                3,
                3,
            ),
            (
                "a:\n  b: 1\n c: 2\n",
                "yaml: line 2: did not find expected key",
                3,
                2,
            ),
            (
                "a: 1\n\tb: 2\n",
                "yaml: line 2: found a tab character that violate indentation",
                2,
                1,
            ),
            (
                "a: {}\n\tb: 2\n",
                "yaml: line 2: found character that cannot start any token",
                2,
                1,
            ),
            (
                "a: \"x\nb: 2\n",
                "yaml: line 3: found unexpected end of stream",
                3,
                1,
            ),
            (
                "a: [1, 2\nb: 3\n",
                "yaml: line 1: did not find expected ',' or ']'",
                2,
                2,
            ),
            ("a: *nope\n", "yaml: unknown anchor 'nope' referenced", 1, 4),
        ];
        for (text, message, line, column) in cases {
            let err = error(text);
            assert_eq!(
                (err.message.as_str(), err.line, err.column),
                (message, line, column),
                "{text:?}"
            );
        }
    }

    #[test]
    fn documents_split_on_dash_lines_only() {
        let (chunks, err) = split("a: 1\n---\nb: 2\n--- # c\nc: 3");
        assert!(err.is_none());
        assert_eq!(
            chunks,
            [
                Chunk {
                    text: "a: 1\n",
                    first_line: 1
                },
                Chunk {
                    text: "b: 2\n",
                    first_line: 3
                },
                Chunk {
                    text: "c: 3",
                    first_line: 5
                },
            ]
        );
        // As kubectl's reader, the document before a bad separator is lost too.
        let (chunks, err) = split("a: 1\n---\nb: 2\n--- b\n");
        assert_eq!(
            chunks,
            [Chunk {
                text: "a: 1\n",
                first_line: 1
            }]
        );
        assert_eq!(err.unwrap().message, "invalid Yaml document separator: b");
    }

    #[test]
    fn positions_and_duplicates() {
        let doc = parse(Chunk {
            text: "spec:\n  replicas: 1\n  replicas: 2\n  list:\n  - x: 1\n",
            first_line: 10,
        })
        .unwrap()
        .unwrap();
        assert_eq!(
            doc.value,
            json!({"spec": {"replicas": 2, "list": [{"x": 1}]}})
        );
        assert_eq!(
            doc.positions.key("spec.replicas"),
            Some(Spot {
                line: 12,
                column: 3
            })
        );
        assert_eq!(
            doc.positions.value("spec.list[0].x"),
            Some(Spot {
                line: 14,
                column: 8
            })
        );
        assert_eq!(doc.warnings.len(), 1);
        assert_eq!((doc.warnings[0].line, doc.warnings[0].column), (12, 3));
    }

    #[test]
    fn aliases_are_bounded() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            text.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert_eq!(
            error(&text).message,
            "yaml: document contains excessive aliasing"
        );
        assert_eq!(
            value("a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n"),
            json!({"a": {"b": 1}, "c": {"b": 1, "d": 2}})
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let depth = MAX_DEPTH + 5;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(error(&text).message.contains("nesting"));
    }
}
