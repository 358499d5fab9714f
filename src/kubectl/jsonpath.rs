//! Kubernetes JSONPath (`-o jsonpath=…`, custom columns, `--sort-by`):
//! text with `{…}` actions of fields, indexes, slices, wildcards, `..`,
//! filters, unions, quoted strings and `{range …}…{end}`, evaluated over
//! an object's JSON with missing keys allowed, as kubectl runs it.

use serde_json::Value;

use super::gofmt::go_print;

/// One step of a path.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    Field(String),
    Wildcard,
    Recursive,
    /// `[start:end:step]`; `end_derived` marks a plain index `[i]`.
    Slice {
        start: Option<i64>,
        end: Option<i64>,
        end_derived: bool,
        step: Option<i64>,
    },
    Union(Vec<Vec<Step>>),
    Filter {
        left: Vec<Step>,
        op: String,
        right: Vec<Step>,
    },
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Range,
    End,
}

/// A template: literal text and actions, with `range` bodies nested.
#[derive(Clone, Debug, PartialEq)]
enum Segment {
    Text(String),
    Action(Vec<Step>),
    Range(Vec<Step>, Vec<Segment>),
}

#[derive(Clone, Debug)]
pub struct JsonPath {
    segments: Vec<Segment>,
}

impl JsonPath {
    pub fn parse(text: &str) -> Result<JsonPath, String> {
        let mut actions = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find('{') {
                Some(at) => {
                    if at > 0 {
                        actions.push(Segment::Text(rest[..at].to_string()));
                    }
                    let (steps, after) = parse_action(&rest[at + 1..])?;
                    actions.push(Segment::Action(steps));
                    rest = after;
                }
                None => {
                    actions.push(Segment::Text(rest.to_string()));
                    rest = "";
                }
            }
        }
        let mut iter = actions.into_iter();
        let segments = nest(&mut iter, false)?;
        Ok(JsonPath { segments })
    }

    /// The results of each top-level action, as kubectl groups them.
    pub fn find(&self, data: &Value) -> Result<Vec<Vec<Value>>, String> {
        let mut out = Vec::new();
        find_segments(&self.segments, data, &mut out)?;
        Ok(out)
    }

    /// What `-o jsonpath` prints: results of one action joined by spaces,
    /// strings raw, maps and lists as compact JSON.
    pub fn execute(&self, data: &Value) -> Result<String, String> {
        let mut text = String::new();
        for results in self.find(data)? {
            let printed: Vec<String> = results.iter().map(print_value).collect();
            text.push_str(&printed.join(" "));
        }
        Ok(text)
    }

    /// `-o jsonpath-as-json`: every action's results as one indented JSON array each.
    pub fn execute_as_json(&self, data: &Value) -> Result<String, String> {
        let mut text = String::new();
        for results in self.find(data)? {
            text.push_str(&super::gofmt::json_indent(&Value::Array(results)));
            text.push('\n');
        }
        Ok(text)
    }
}

/// Builds range bodies from the flat list of actions.
fn nest(iter: &mut impl Iterator<Item = Segment>, in_range: bool) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    while let Some(segment) = iter.next() {
        match segment {
            Segment::Action(steps) if steps.first() == Some(&Step::Range) => {
                let body = nest(iter, true)?;
                out.push(Segment::Range(steps[1..].to_vec(), body));
            }
            Segment::Action(steps) if steps.first() == Some(&Step::End) => {
                if !in_range {
                    return Err("not in range, nothing to end".to_string());
                }
                return Ok(out);
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

fn find_segments(
    segments: &[Segment],
    data: &Value,
    out: &mut Vec<Vec<Value>>,
) -> Result<(), String> {
    for segment in segments {
        match segment {
            Segment::Text(text) => out.push(vec![Value::String(text.clone())]),
            Segment::Action(steps) => out.push(eval(steps, vec![data.clone()])?),
            Segment::Range(steps, body) => {
                for item in eval(steps, vec![data.clone()])? {
                    find_segments(body, &item, out)?;
                }
            }
        }
    }
    Ok(())
}

/// Parses one action after its `{`; returns the steps and the text after `}`.
fn parse_action(text: &str) -> Result<(Vec<Step>, &str), String> {
    let mut steps = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let offset = |i: usize| chars.get(i).map_or(text.len(), |(o, _)| *o);
    loop {
        let Some(c) = at(i) else {
            return Err("unclosed action".to_string());
        };
        let rest = &text[offset(i)..];
        if c == '}' {
            return Ok((steps, &text[offset(i + 1)..]));
        }
        if let Some(inside) = rest.strip_prefix("[?(") {
            let (filter, used) = parse_filter(inside)?;
            steps.push(filter);
            i += rest[..3 + used].chars().count();
            continue;
        }
        if rest.starts_with("..") {
            if steps.last() == Some(&Step::Recursive) {
                return Err("invalid multiple recursive descent".to_string());
            }
            steps.push(Step::Recursive);
            i += 2;
            if at(i).is_some_and(is_alphanumeric) {
                let (field, used) = field_name(&text[offset(i)..]);
                steps.push(field);
                i += used;
            }
            continue;
        }
        match c {
            '\r' | '\n' => return Err("unclosed action".to_string()),
            ' ' | '@' | '$' => i += 1,
            '[' => {
                let Some(close) = rest.find(']').filter(|c| !rest[..*c].contains('\n')) else {
                    return Err("unterminated array".to_string());
                };
                steps.push(parse_array(&rest[1..close])?);
                i += rest[..=close].chars().count();
            }
            '"' | '\'' => {
                let (value, used) = parse_quote(rest, c)?;
                steps.push(Step::Text(value));
                i += used;
            }
            '.' => {
                let (field, used) = field_name(&rest[1..]);
                steps.push(field);
                i += 1 + used;
            }
            c if c == '+' || c == '-' || c.is_ascii_digit() => {
                let len = rest
                    .char_indices()
                    .skip(1)
                    .find(|(_, c)| *c != '.' && !c.is_ascii_digit())
                    .map_or(rest.len(), |(o, _)| o);
                let number = &rest[..len];
                if let Ok(n) = number.parse::<i64>() {
                    steps.push(Step::Int(n));
                } else if let Ok(f) = number.parse::<f64>() {
                    steps.push(Step::Float(f));
                } else {
                    return Err(format!("cannot parse number {number}"));
                }
                i += number.chars().count();
            }
            c if is_alphanumeric(c) => {
                let len = rest
                    .char_indices()
                    .find(|(_, c)| is_terminator(*c))
                    .map_or(rest.len(), |(o, _)| o);
                let word = &rest[..len];
                steps.push(match word {
                    "range" => Step::Range,
                    "end" => Step::End,
                    "true" => Step::Bool(true),
                    "false" => Step::Bool(false),
                    other => return Err(format!("unrecognized identifier {other}")),
                });
                i += word.chars().count();
            }
            other => {
                return Err(format!(
                    "unrecognized character in action: U+{:04X} '{other}'",
                    other as u32
                ))
            }
        }
    }
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn is_terminator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
    )
}

/// A field name after `.`, with `\.` escapes; `*` is a wildcard.
fn field_name(text: &str) -> (Step, usize) {
    let mut name = String::new();
    let mut used = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            used += 1;
            if let Some(next) = chars.next() {
                name.push(next);
                used += 1;
            }
            continue;
        }
        if is_terminator(c) {
            break;
        }
        name.push(c);
        used += 1;
    }
    if name == "*" {
        (Step::Wildcard, used)
    } else {
        (Step::Field(name), used)
    }
}

fn parse_quote(text: &str, quote: char) -> Result<(String, usize), String> {
    let mut value = String::new();
    let mut chars = text.chars().skip(1);
    let mut used = 1;
    loop {
        let Some(c) = chars.next() else {
            return Err("unterminated quoted string".to_string());
        };
        used += 1;
        match c {
            '\n' => return Err("unterminated quoted string".to_string()),
            '\\' => {
                let Some(escaped) = chars.next() else {
                    return Err("unterminated quoted string".to_string());
                };
                used += 1;
                value.push(match escaped {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    other => other,
                });
            }
            c if c == quote => return Ok((value, used)),
            c => value.push(c),
        }
    }
}

/// The inside of `[…]`: `*`, an index, a slice, `'key'`, or a union `a,b`.
fn parse_array(inner: &str) -> Result<Step, String> {
    let inner = if inner == "*" { ":" } else { inner };
    if inner.contains(',') {
        let mut union = Vec::new();
        for part in inner.split(',') {
            union.push(vec![parse_array(part.trim())?]);
        }
        return Ok(Step::Union(union));
    }
    if let Some(key) = inner.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')) {
        return Ok(Step::Field(key.to_string()));
    }
    let parts: Vec<&str> = inner.split(':').collect();
    if parts.len() > 3
        || parts.iter().any(|p| {
            !p.is_empty()
                && p.trim_start_matches('-')
                    .chars()
                    .any(|c| !c.is_ascii_digit())
        })
    {
        return Err(format!("invalid array index {inner}"));
    }
    let number = |s: &str| -> Result<Option<i64>, String> {
        if s.is_empty() {
            Ok(None)
        } else {
            s.parse()
                .map(Some)
                .map_err(|_| format!("array index {s} is not a number"))
        }
    };
    let start = number(parts[0])?;
    if parts.len() == 1 {
        let index = start.unwrap_or(0);
        return Ok(Step::Slice {
            start: Some(index),
            end: Some(index + 1),
            end_derived: true,
            step: None,
        });
    }
    Ok(Step::Slice {
        start,
        end: number(parts[1])?,
        end_derived: false,
        step: parts.get(2).map(|s| number(s)).transpose()?.flatten(),
    })
}

/// `[?(@.a == "b")]` after the `[?(`; returns the filter and bytes used.
fn parse_filter(text: &str) -> Result<(Step, usize), String> {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut close = None;
    for (at, c) in text.char_indices() {
        match c {
            '\n' => return Err("unterminated filter".to_string()),
            '"' | '\'' if quote.is_none() => quote = Some(c),
            c if Some(c) == quote && previous != '\\' => quote = None,
            ')' if quote.is_none() => {
                close = Some(at);
                break;
            }
            _ => {}
        }
        previous = c;
    }
    let Some(close) = close else {
        return Err("unterminated filter".to_string());
    };
    if !text[close + 1..].starts_with(']') {
        return Err("unclosed array expect ]".to_string());
    }
    let body = &text[..close];
    let op_start = body.find(['!', '<', '>', '=']);
    let step = match op_start {
        None => Step::Filter {
            left: parse_inner(body)?,
            op: "exists".to_string(),
            right: Vec::new(),
        },
        Some(at) => {
            let op_len = body[at..]
                .chars()
                .take_while(|c| "!<>=".contains(*c))
                .count();
            Step::Filter {
                left: parse_inner(&body[..at])?,
                op: body[at..at + op_len].to_string(),
                right: parse_inner(&body[at + op_len..])?,
            }
        }
    };
    Ok((step, close + 2))
}

fn parse_inner(text: &str) -> Result<Vec<Step>, String> {
    let wrapped = format!("{text}}}");
    parse_action(&wrapped).map(|(steps, _)| steps)
}

fn eval(steps: &[Step], mut current: Vec<Value>) -> Result<Vec<Value>, String> {
    for step in steps {
        current = eval_step(step, current)?;
    }
    Ok(current)
}

fn children(value: &Value) -> Vec<Value> {
    match value {
        Value::Object(map) => map.values().cloned().collect(),
        Value::Array(items) => items.clone(),
        // Go indexes a string by bytes.
        Value::String(s) => s.bytes().map(Value::from).collect(),
        _ => Vec::new(),
    }
}

fn eval_step(step: &Step, input: Vec<Value>) -> Result<Vec<Value>, String> {
    let constant = |v: Value| Ok(input.iter().map(|_| v.clone()).collect());
    match step {
        Step::Text(text) => Ok(vec![Value::String(text.clone())]),
        Step::Int(n) => constant(Value::from(*n)),
        Step::Float(f) => constant(Value::from(*f)),
        Step::Bool(b) => constant(Value::Bool(*b)),
        Step::Range | Step::End => Ok(input),
        Step::Field(name) => Ok(input
            .iter()
            .filter_map(|v| v.as_object().and_then(|m| m.get(name)).cloned())
            .collect()),
        Step::Wildcard => Ok(input
            .iter()
            .filter(|v| !v.is_null())
            .flat_map(children)
            .collect()),
        Step::Recursive => {
            let mut out = Vec::new();
            for value in input {
                recurse(&value, &mut out);
            }
            Ok(out)
        }
        Step::Union(parts) => {
            let mut out = Vec::new();
            for part in parts {
                out.extend(eval(part, input.clone())?);
            }
            Ok(out)
        }
        Step::Slice {
            start,
            end,
            end_derived,
            step,
        } => {
            let mut out = Vec::new();
            for value in input.iter().filter(|v| !v.is_null()) {
                let Value::Array(items) = value else {
                    return Err(format!("{} is not array or slice", go_type(value)));
                };
                out.extend(slice(items, *start, *end, *end_derived, *step)?);
            }
            Ok(out)
        }
        Step::Filter { left, op, right } => {
            let mut out = Vec::new();
            for value in &input {
                let Value::Array(items) = value else {
                    return Err(format!(
                        "{} is not array or slice and cannot be filtered",
                        print_value(value)
                    ));
                };
                for item in items {
                    if filter_passes(item, left, op, right)? {
                        out.push(item.clone());
                    }
                }
            }
            Ok(out)
        }
    }
}

fn recurse(value: &Value, out: &mut Vec<Value>) {
    let kids = children(value);
    if !kids.is_empty() {
        out.push(value.clone());
        // A string's bytes have nothing below them.
        if !value.is_string() {
            for kid in &kids {
                recurse(kid, out);
            }
        }
    }
}

fn slice(
    items: &[Value],
    start: Option<i64>,
    end: Option<i64>,
    end_derived: bool,
    step: Option<i64>,
) -> Result<Vec<Value>, String> {
    let len = items.len() as i64;
    let mut from = start.unwrap_or(0);
    if from < 0 {
        from += len;
    }
    let mut to = end.unwrap_or(len);
    if to < 0 || (to == 0 && end_derived) {
        to += len;
    }
    if to == from {
        return Ok(Vec::new());
    }
    if from >= len || from < 0 {
        return Err(format!(
            "array index out of bounds: index {from}, length {len}"
        ));
    }
    if to > len || to < 0 {
        return Err(format!(
            "array index out of bounds: index {}, length {len}",
            to - 1
        ));
    }
    if from > to {
        return Err(format!(
            "starting index {from} is greater than ending index {to}"
        ));
    }
    let step = match step {
        Some(s) if s <= 0 => return Err("step must be > 0".to_string()),
        Some(s) => s as usize,
        None => 1,
    };
    Ok(items[from as usize..to as usize]
        .iter()
        .step_by(step)
        .cloned()
        .collect())
}

fn filter_passes(item: &Value, left: &[Step], op: &str, right: &[Step]) -> Result<bool, String> {
    let lefts = eval(left, vec![item.clone()])?;
    if op == "exists" {
        return Ok(!lefts.is_empty());
    }
    let rights = eval(right, vec![item.clone()])?;
    let (l, r) = match (lefts.as_slice(), rights.as_slice()) {
        ([l], [r]) => (l, r),
        ([], _) | (_, []) => return Ok(false),
        _ => return Err("can only compare one element at a time".to_string()),
    };
    let ordering = match (l, r) {
        (Value::Number(a), Value::Number(b)) => a.as_f64().partial_cmp(&b.as_f64()),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) if op == "==" || op == "!=" => Some(a.cmp(b)),
        _ => None,
    };
    let Some(ordering) = ordering else {
        return Err("incompatible types for comparison".to_string());
    };
    use std::cmp::Ordering::*;
    Ok(match op {
        "==" => ordering == Equal,
        "!=" => ordering != Equal,
        "<" => ordering == Less,
        ">" => ordering == Greater,
        "<=" => ordering != Greater,
        ">=" => ordering != Less,
        other => return Err(format!("unrecognized filter operator {other}")),
    })
}

fn go_type(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "map[string]interface {}",
        Value::String(_) => "string",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Bool(_) => "bool",
        Value::Array(_) => "[]interface {}",
        Value::Null => "<nil>",
    }
}

/// How one result prints: maps and lists as JSON, the rest as Go prints it.
pub fn print_value(value: &Value) -> String {
    match value {
        Value::Object(_) | Value::Array(_) => value.to_string(),
        Value::Null => "null".to_string(),
        other => go_print(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(template: &str, data: &Value) -> String {
        JsonPath::parse(template)
            .and_then(|p| p.execute(data))
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    fn pods() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "web-0", "labels": {"app": "nginx"}}, "spec": {"containers": [{"image": "nginx:1"}]}, "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}},
            {"metadata": {"name": "web-1"}, "spec": {"containers": [{"image": "nginx:2"}]}, "status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False"}]}}
        ]})
    }

    #[test]
    fn tutorial_expressions() {
        assert_eq!(
            run("{.items[*].spec.containers[0].image}", &pods()),
            "nginx:1 nginx:2"
        );
        assert_eq!(
            run("{range .items[*]}{.metadata.name}{\"\\n\"}{end}", &pods()),
            "web-0\nweb-1\n"
        );
        assert_eq!(
            run("{.status.replicas}", &json!({"status": {"replicas": 3}})),
            "3"
        );
        assert_eq!(
            run("{.items[0].metadata.labels}", &pods()),
            "{\"app\":\"nginx\"}"
        );
    }

    #[test]
    fn filters_slices_and_text() {
        for (template, want) in [
            ("{.items[?(@.status.phase==\"Running\")].metadata.name}", "web-0"),
            ("{range .items[*]}{.metadata.name}: {.status.conditions[?(@.type=='Ready')].status}{'\\n'}{end}", "web-0: True\nweb-1: False\n"),
            ("{.items[-1:].metadata.name}", "web-1"),
            ("names: {.items[*].metadata.name}", "names: web-0 web-1"),
            ("{..image}", "nginx:1 nginx:2"),
            ("{.items[*]['metadata.name']}", ""),
            ("{.missing}", ""),
        ] {
            assert_eq!(run(template, &pods()), want, "{template}");
        }
    }

    #[test]
    fn errors_are_kubectls() {
        assert_eq!(
            run("{.items[5]}", &pods()),
            "ERR array index out of bounds: index 5, length 2"
        );
        assert_eq!(run("{.items", &pods()), "ERR unclosed action");
        assert_eq!(run("{end}", &pods()), "ERR not in range, nothing to end");
    }
}
