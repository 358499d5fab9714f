//! Go text/template as `kubectl get -o go-template=…` / `--template` runs
//! it: over the object's JSON (numbers are float64, missing keys print
//! `<no value>`), with actions, pipelines, variables, `if`/`else`,
//! `range`, `with`, and the builtin functions plus kubectl's `exists` and
//! `base64decode`.

use serde_json::{Map, Value};

use super::gofmt::{go_float, go_print};

#[derive(Clone, Debug)]
enum Node {
    Text(String),
    Action(Pipe),
    If {
        branches: Vec<(Pipe, Vec<Node>)>,
        otherwise: Vec<Node>,
    },
    Range {
        pipe: Pipe,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    With {
        pipe: Pipe,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
}

/// `$a, $b := cmd | cmd`.
#[derive(Clone, Debug, Default)]
struct Pipe {
    declare: Vec<String>,
    assign: bool,
    commands: Vec<Vec<Arg>>,
    /// Where the action starts, for error messages.
    at: String,
}

#[derive(Clone, Debug)]
enum Arg {
    /// `.`, `.a.b`
    Dot(Vec<String>),
    /// `$`, `$x.a`
    Var(String, Vec<String>),
    Literal(Value),
    Nil,
    Func(String),
    Sub(Box<Pipe>, Vec<String>),
}

#[derive(Clone, Debug)]
pub struct Template {
    nodes: Vec<Node>,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Field(String),
    Var(String),
    Dot,
    Literal(Value),
    Ident(String),
    Bar,
    Open,
    Close,
    Declare,
    Assign,
    Comma,
}

/// One `{{…}}` or text between them, before nesting.
enum Piece {
    Text(String),
    Action { tokens: Vec<Token>, at: String },
}

fn template_error(line: usize, message: impl std::fmt::Display) -> String {
    format!("template: output:{line}: {message}")
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, String> {
        let pieces = split(text)?;
        let mut iter = pieces.into_iter().peekable();
        let (nodes, end) = parse_list(&mut iter)?;
        if let Some(keyword) = end {
            return Err(template_error(1, format!("unexpected {{{{{keyword}}}}}")));
        }
        Ok(Template { nodes })
    }

    pub fn execute(&self, data: &Value) -> Result<String, String> {
        let mut state = State {
            out: String::new(),
            vars: vec![("$".to_string(), data.clone())],
        };
        state.walk(&self.nodes, data)?;
        Ok(state.out)
    }
}

/// Cuts text into pieces, applying `{{-` and `-}}` trimming and dropping comments.
fn split(text: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut rest = text;
    let mut trim_next = false;
    let mut line = 1;
    while !rest.is_empty() {
        let Some(open) = rest.find("{{") else {
            let literal = if trim_next { rest.trim_start() } else { rest };
            pieces.push(Piece::Text(literal.to_string()));
            break;
        };
        let mut literal = &rest[..open];
        if trim_next {
            literal = literal.trim_start();
        }
        let mut inner = &rest[open + 2..];
        if inner.starts_with("- ") || inner.starts_with("-\t") || inner.starts_with("-\n") {
            literal = literal.trim_end();
            inner = &inner[1..];
        }
        line += rest[..open].matches('\n').count();
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal.to_string()));
        }
        let trimmed = inner.trim_start();
        if trimmed.starts_with("/*") {
            let Some(end) = trimmed.find("*/") else {
                return Err(template_error(line, "unclosed comment"));
            };
            let after = trimmed[end + 2..].trim_start();
            let (after, trim) = match after.strip_prefix("-}}") {
                Some(a) => (a, true),
                None => (
                    after.strip_prefix("}}").ok_or_else(|| {
                        template_error(line, "comment ends before closing delimiter")
                    })?,
                    false,
                ),
            };
            trim_next = trim;
            rest = after;
            continue;
        }
        let (tokens, used, trim) = lex(inner, line)?;
        let at = format!(
            "{{{{{}}}}}",
            inner[..used].trim().trim_end_matches('-').trim()
        );
        pieces.push(Piece::Action { tokens, at });
        trim_next = trim;
        line += inner[..used].matches('\n').count();
        rest = &inner[used..];
        rest = rest
            .strip_prefix("-}}")
            .or_else(|| rest.strip_prefix("}}"))
            .unwrap_or(rest);
    }
    Ok(pieces)
}

/// A punctuation token starting with `c` (`next` follows it), and its length.
fn punctuation(c: char, next: Option<&char>) -> Option<(Token, usize)> {
    Some(match (c, next) {
        ('|', _) => (Token::Bar, 1),
        ('(', _) => (Token::Open, 1),
        (')', _) => (Token::Close, 1),
        (',', _) => (Token::Comma, 1),
        (':', Some('=')) => (Token::Declare, 2),
        ('=', _) => (Token::Assign, 1),
        _ => return None,
    })
}

/// Tokens of one action; returns them, the bytes before the closing
/// delimiter, and whether it trims the following text.
fn lex(text: &str, line: usize) -> Result<(Vec<Token>, usize, bool), String> {
    let mut tokens = Vec::new();
    let bytes: Vec<char> = text.chars().collect();
    let mut i = 0;
    let offset = |i: usize| bytes[..i].iter().map(|c| c.len_utf8()).sum::<usize>();
    let ident_char = |c: char| c == '_' || c.is_alphanumeric();
    loop {
        let Some(&c) = bytes.get(i) else {
            return Err(template_error(line, "unclosed action"));
        };
        let rest: String = bytes[i..].iter().take(4).collect();
        if rest.starts_with("}}") {
            return Ok((tokens, offset(i), false));
        }
        if rest.starts_with(" -}}") {
            return Ok((tokens, offset(i + 1), true));
        }
        if let Some((token, len)) = punctuation(c, bytes.get(i + 1)) {
            tokens.push(token);
            i += len;
            continue;
        }
        match c {
            ' ' | '\t' | '\r' | '\n' => i += 1,
            '"' | '`' => {
                let mut value = String::new();
                i += 1;
                loop {
                    let Some(&ch) = bytes.get(i) else {
                        return Err(template_error(line, "unterminated quoted string"));
                    };
                    i += 1;
                    if ch == c {
                        break;
                    }
                    if ch == '\\' && c == '"' {
                        let Some(&escaped) = bytes.get(i) else {
                            return Err(template_error(line, "unterminated quoted string"));
                        };
                        i += 1;
                        value.push(match escaped {
                            'n' => '\n',
                            't' => '\t',
                            'r' => '\r',
                            other => other,
                        });
                        continue;
                    }
                    value.push(ch);
                }
                tokens.push(Token::Literal(Value::String(value)));
            }
            '.' | '$' => {
                let start = i;
                i += 1;
                while bytes.get(i).is_some_and(|c| ident_char(*c) || *c == '.') {
                    i += 1;
                }
                let word: String = bytes[start..i].iter().collect();
                tokens.push(match (c, word.as_str()) {
                    ('.', ".") => Token::Dot,
                    ('.', _) => Token::Field(word),
                    _ => Token::Var(word),
                });
            }
            c if c.is_ascii_digit() || c == '-' || c == '+' => {
                let start = i;
                i += 1;
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '.')
                {
                    i += 1;
                }
                let word: String = bytes[start..i].iter().collect();
                let number: f64 = word
                    .parse()
                    .map_err(|_| template_error(line, format!("bad number syntax: {word:?}")))?;
                tokens.push(Token::Literal(
                    serde_json::Number::from_f64(number).map_or(Value::Null, Value::Number),
                ));
            }
            c if ident_char(c) => {
                let start = i;
                while bytes.get(i).is_some_and(|c| ident_char(*c)) {
                    i += 1;
                }
                let word: String = bytes[start..i].iter().collect();
                tokens.push(match word.as_str() {
                    "true" => Token::Literal(Value::Bool(true)),
                    "false" => Token::Literal(Value::Bool(false)),
                    _ => Token::Ident(word),
                });
            }
            other => {
                return Err(template_error(
                    line,
                    format!("unexpected {other:?} in command"),
                ))
            }
        }
    }
}

type Pieces = std::iter::Peekable<std::vec::IntoIter<Piece>>;

/// Parses nodes up to `{{else…}}` or `{{end}}`, returning which ended the list.
fn parse_list(iter: &mut Pieces) -> Result<(Vec<Node>, Option<String>), String> {
    let mut nodes = Vec::new();
    while let Some(piece) = iter.next() {
        let (tokens, at) = match piece {
            Piece::Text(text) => {
                nodes.push(Node::Text(text));
                continue;
            }
            Piece::Action { tokens, at } => (tokens, at),
        };
        let keyword = match tokens.first() {
            Some(Token::Ident(word)) => word.clone(),
            _ => String::new(),
        };
        match keyword.as_str() {
            "end" => return Ok((nodes, Some("end".to_string()))),
            "else" => {
                // `else if …` continues an if chain: hand it back as "else if".
                let rest = tokens[1..].to_vec();
                if rest.is_empty() {
                    return Ok((nodes, Some("else".to_string())));
                }
                let mut pieces = vec![Piece::Action { tokens: rest, at }];
                pieces.extend(iter.by_ref());
                *iter = pieces.into_iter().peekable();
                return Ok((nodes, Some("else if".to_string())));
            }
            "if" => nodes.push(parse_if(iter, &tokens[1..], at)?),
            "range" | "with" => {
                let pipe = parse_pipe(&tokens[1..], at.clone())?;
                let (body, end) = parse_list(iter)?;
                let otherwise = match end.as_deref() {
                    Some("else") => expect_end(iter)?,
                    Some("end") => Vec::new(),
                    _ => return Err("template: output:1: unexpected EOF".to_string()),
                };
                nodes.push(if keyword == "range" {
                    Node::Range {
                        pipe,
                        body,
                        otherwise,
                    }
                } else {
                    Node::With {
                        pipe,
                        body,
                        otherwise,
                    }
                });
            }
            "define" | "template" | "block" | "break" | "continue" => {
                return Err(format!(
                    "stsplay's go-template does not support {{{{{keyword}}}}}"
                ));
            }
            _ => nodes.push(Node::Action(parse_pipe(&tokens, at)?)),
        }
    }
    Ok((nodes, None))
}

fn expect_end(iter: &mut Pieces) -> Result<Vec<Node>, String> {
    match parse_list(iter)? {
        (nodes, Some(end)) if end == "end" => Ok(nodes),
        _ => Err("template: output:1: unexpected EOF".to_string()),
    }
}

fn parse_if(iter: &mut Pieces, condition: &[Token], at: String) -> Result<Node, String> {
    let mut branches = vec![(parse_pipe(condition, at.clone())?, Vec::new())];
    loop {
        let (body, end) = parse_list(iter)?;
        if let Some(last) = branches.last_mut() {
            last.1 = body;
        }
        match end.as_deref() {
            Some("end") => {
                return Ok(Node::If {
                    branches,
                    otherwise: Vec::new(),
                })
            }
            Some("else") => {
                return Ok(Node::If {
                    branches,
                    otherwise: expect_end(iter)?,
                })
            }
            Some("else if") => {
                let Some(Piece::Action { tokens, at }) = iter.next() else {
                    return Err("template: output:1: unexpected EOF".to_string());
                };
                let condition = tokens.get(1..).unwrap_or(&[]);
                branches.push((parse_pipe(condition, at)?, Vec::new()));
            }
            _ => return Err("template: output:1: unexpected EOF".to_string()),
        }
    }
}

fn parse_pipe(tokens: &[Token], at: String) -> Result<Pipe, String> {
    let mut pipe = Pipe {
        at,
        ..Default::default()
    };
    let mut rest = tokens;
    // `$a, $b :=` or `$a =`
    let declaration = rest
        .iter()
        .position(|t| matches!(t, Token::Declare | Token::Assign));
    if let Some(at) = declaration {
        let names: Vec<&Token> = rest[..at].iter().filter(|t| **t != Token::Comma).collect();
        if !names.is_empty() && names.iter().all(|t| matches!(t, Token::Var(_))) {
            pipe.declare = names
                .iter()
                .filter_map(|t| {
                    if let Token::Var(v) = t {
                        Some(v.clone())
                    } else {
                        None
                    }
                })
                .collect();
            pipe.assign = rest[at] == Token::Assign;
            rest = &rest[at + 1..];
        }
    }
    for command in split_top(rest, &Token::Bar) {
        if command.is_empty() {
            return Err(format!("template: output: missing command in {}", pipe.at));
        }
        pipe.commands.push(parse_args(command, &pipe.at)?);
    }
    if pipe.commands.is_empty() {
        return Err(format!(
            "template: output: missing value for command in {}",
            pipe.at
        ));
    }
    Ok(pipe)
}

/// Splits tokens on a separator outside parentheses.
fn split_top<'a>(tokens: &'a [Token], separator: &Token) -> Vec<&'a [Token]> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Open => depth += 1,
            Token::Close => depth -= 1,
            t if t == separator && depth == 0 => {
                parts.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < tokens.len() || !parts.is_empty() {
        parts.push(&tokens[start..]);
    }
    parts
}

fn fields(path: &str) -> Vec<String> {
    path.split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn parse_args(tokens: &[Token], at: &str) -> Result<Vec<Arg>, String> {
    let mut args = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let arg = match &tokens[i] {
            Token::Dot => Arg::Dot(Vec::new()),
            Token::Field(path) => Arg::Dot(fields(path)),
            Token::Var(path) => {
                let (name, chain) = path.split_once('.').unwrap_or((path, ""));
                Arg::Var(name.to_string(), fields(chain))
            }
            Token::Literal(v) => Arg::Literal(v.clone()),
            Token::Ident(word) if word == "nil" => Arg::Nil,
            Token::Ident(word) => Arg::Func(word.clone()),
            Token::Open => {
                let mut depth = 0;
                let close = tokens[i..]
                    .iter()
                    .position(|t| {
                        match t {
                            Token::Open => depth += 1,
                            Token::Close => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .ok_or_else(|| format!("template: output: unclosed left paren in {at}"))?;
                let inner = parse_pipe(&tokens[i + 1..i + close], at.to_string())?;
                i += close;
                let chain = match tokens.get(i + 1) {
                    Some(Token::Field(path)) => {
                        i += 1;
                        fields(path)
                    }
                    _ => Vec::new(),
                };
                Arg::Sub(Box::new(inner), chain)
            }
            other => {
                return Err(format!(
                    "template: output: unexpected {other:?} in operand in {at}"
                ))
            }
        };
        args.push(arg);
        i += 1;
    }
    Ok(args)
}

struct State {
    out: String,
    vars: Vec<(String, Value)>,
}

/// Go's truth: zero values are false.
fn truth(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// `fmt.Sprint` of one value, as text/template prints it.
fn print(value: &Value) -> String {
    match value {
        Value::Null => "<no value>".to_string(),
        other => go_print(other),
    }
}

fn go_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(_) => "float64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

fn follow(mut value: Value, chain: &[String], at: &str) -> Result<Value, String> {
    for name in chain {
        value = match value {
            Value::Object(mut map) => map.remove(name).unwrap_or(Value::Null),
            Value::Null => Value::Null,
            other => {
                return Err(format!("template: output: executing \"output\" at <{at}>: can't evaluate field {name} in type {}", go_type(&other)))
            }
        };
    }
    Ok(value)
}

impl State {
    fn walk(&mut self, nodes: &[Node], dot: &Value) -> Result<(), String> {
        for node in nodes {
            match node {
                Node::Text(text) => self.out.push_str(text),
                Node::Action(pipe) => {
                    let value = self.pipe(pipe, dot)?;
                    if pipe.declare.is_empty() {
                        self.out.push_str(&print(&value));
                    }
                }
                Node::If {
                    branches,
                    otherwise,
                } => {
                    let mark = self.vars.len();
                    let mut chosen = None;
                    for (condition, body) in branches {
                        if truth(&self.pipe(condition, dot)?) {
                            chosen = Some(body);
                            break;
                        }
                    }
                    self.walk(chosen.unwrap_or(otherwise), dot)?;
                    self.vars.truncate(mark);
                }
                Node::With {
                    pipe,
                    body,
                    otherwise,
                } => {
                    let mark = self.vars.len();
                    let value = self.pipe(pipe, dot)?;
                    if truth(&value) {
                        self.walk(body, &value)?;
                    } else {
                        self.walk(otherwise, dot)?;
                    }
                    self.vars.truncate(mark);
                }
                Node::Range {
                    pipe,
                    body,
                    otherwise,
                } => self.range(pipe, body, otherwise, dot)?,
            }
        }
        Ok(())
    }

    fn range(
        &mut self,
        pipe: &Pipe,
        body: &[Node],
        otherwise: &[Node],
        dot: &Value,
    ) -> Result<(), String> {
        let mark = self.vars.len();
        let mut bare = pipe.clone();
        let names = std::mem::take(&mut bare.declare);
        let value = self.pipe(&bare, dot)?;
        let items: Vec<(Value, Value)> = match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::from(i as f64), v))
                .collect(),
            Value::Object(map) => map
                .into_iter()
                .map(|(k, v)| (Value::String(k), v))
                .collect(),
            Value::Null => Vec::new(),
            other => {
                return Err(format!(
                    "template: output: executing \"output\" at <{}>: range can't iterate over {}",
                    pipe.at,
                    go_print(&other)
                ))
            }
        };
        if items.is_empty() {
            self.walk(otherwise, dot)?;
        }
        for (key, item) in items {
            let inner = self.vars.len();
            match names.as_slice() {
                [one] => self.vars.push((one.clone(), item.clone())),
                [first, second] => {
                    self.vars.push((first.clone(), key));
                    self.vars.push((second.clone(), item.clone()));
                }
                _ => {}
            }
            self.walk(body, &item)?;
            self.vars.truncate(inner);
        }
        self.vars.truncate(mark);
        Ok(())
    }

    fn pipe(&mut self, pipe: &Pipe, dot: &Value) -> Result<Value, String> {
        let mut previous: Option<Value> = None;
        for command in &pipe.commands {
            previous = Some(self.command(command, dot, previous, &pipe.at)?);
        }
        let value = previous.unwrap_or(Value::Null);
        if let Some(name) = pipe.declare.first() {
            if pipe.assign {
                let slot = self.vars.iter_mut().rev().find(|(n, _)| n == name);
                match slot {
                    Some(slot) => slot.1 = value.clone(),
                    None => return Err(format!("template: output: undefined variable: {name}")),
                }
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn arg(&mut self, arg: &Arg, dot: &Value, at: &str) -> Result<Value, String> {
        match arg {
            Arg::Dot(chain) => follow(dot.clone(), chain, at),
            Arg::Var(name, chain) => {
                let Some((_, value)) = self.vars.iter().rev().find(|(n, _)| n == name) else {
                    return Err(format!("template: output: undefined variable \"{name}\""));
                };
                follow(value.clone(), chain, at)
            }
            Arg::Literal(value) => Ok(value.clone()),
            Arg::Nil => Ok(Value::Null),
            Arg::Func(name) => call(name, Vec::new(), at),
            Arg::Sub(pipe, chain) => {
                let value = self.pipe(pipe, dot)?;
                follow(value, chain, at)
            }
        }
    }

    fn command(
        &mut self,
        args: &[Arg],
        dot: &Value,
        piped: Option<Value>,
        at: &str,
    ) -> Result<Value, String> {
        let Some(first) = args.first() else {
            return Ok(Value::Null);
        };
        match first {
            Arg::Func(name) => {
                let mut values = Vec::new();
                for arg in &args[1..] {
                    values.push(self.arg(arg, dot, at)?);
                }
                values.extend(piped);
                call(name, values, at)
            }
            other => {
                if args.len() > 1 || piped.is_some() {
                    return Err(format!("template: output: executing \"output\" at <{at}>: can't give argument to non-function"));
                }
                self.arg(other, dot, at)
            }
        }
    }
}

fn compare(a: &Value, b: &Value, at: &str) -> Result<std::cmp::Ordering, String> {
    let ordering = match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64().partial_cmp(&y.as_f64()),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    };
    ordering.ok_or_else(|| format!("template: output: executing \"output\" at <{at}>: error calling compare: incompatible types for comparison"))
}

fn call(name: &str, args: Vec<Value>, at: &str) -> Result<Value, String> {
    let error = |message: String| {
        format!("template: output: executing \"output\" at <{at}>: error calling {name}: {message}")
    };
    let count = |n: usize| -> Result<(), String> {
        if args.len() == n {
            Ok(())
        } else {
            Err(format!("template: output: executing \"output\" at <{at}>: wrong number of args for {name}: want {n} got {}", args.len()))
        }
    };
    match name {
        "and" => Ok(args
            .iter()
            .find(|v| !truth(v))
            .or(args.last())
            .cloned()
            .unwrap_or(Value::Null)),
        "or" => Ok(args
            .iter()
            .find(|v| truth(v))
            .or(args.last())
            .cloned()
            .unwrap_or(Value::Null)),
        "not" => {
            count(1)?;
            Ok(Value::Bool(!truth(&args[0])))
        }
        "len" => {
            count(1)?;
            match &args[0] {
                Value::String(s) => Ok(Value::from(s.len() as f64)),
                Value::Array(a) => Ok(Value::from(a.len() as f64)),
                Value::Object(m) => Ok(Value::from(m.len() as f64)),
                other => Err(error(format!("len of type {}", go_type(other)))),
            }
        }
        "index" => {
            let Some((first, keys)) = args.split_first() else {
                return Err(error("index of untyped nil".to_string()));
            };
            let mut value = first.clone();
            for key in keys {
                value = match (&value, key) {
                    (Value::Object(map), Value::String(k)) => {
                        map.get(k).cloned().unwrap_or(Value::Null)
                    }
                    (Value::Array(items), Value::Number(n)) => {
                        let i = n.as_f64().unwrap_or(-1.0);
                        if i < 0.0 || i as usize >= items.len() {
                            return Err(error(format!(
                                "error indexing slice: index out of range: {}",
                                go_float(i)
                            )));
                        }
                        items[i as usize].clone()
                    }
                    (Value::Null, _) => return Err(error("index of untyped nil".to_string())),
                    (other, _) => {
                        return Err(error(format!(
                            "can't index item of type {}",
                            go_type(other)
                        )))
                    }
                };
            }
            Ok(value)
        }
        "eq" => {
            let Some((first, rest)) = args.split_first() else {
                return Err(error("missing argument for comparison".to_string()));
            };
            for other in rest {
                if compare(first, other, at)? == std::cmp::Ordering::Equal {
                    return Ok(Value::Bool(true));
                }
            }
            Ok(Value::Bool(false))
        }
        "ne" | "lt" | "le" | "gt" | "ge" => {
            count(2)?;
            let ordering = compare(&args[0], &args[1], at)?;
            use std::cmp::Ordering::*;
            Ok(Value::Bool(match name {
                "ne" => ordering != Equal,
                "lt" => ordering == Less,
                "le" => ordering != Greater,
                "gt" => ordering == Greater,
                _ => ordering != Less,
            }))
        }
        "print" => Ok(Value::String(sprint(&args))),
        "println" => Ok(Value::String(format!(
            "{}\n",
            args.iter().map(go_print).collect::<Vec<_>>().join(" ")
        ))),
        "printf" => {
            let Some((Value::String(format), rest)) = args.split_first() else {
                return Err(error("printf needs a format string".to_string()));
            };
            Ok(Value::String(sprintf(format, rest)))
        }
        "exists" => {
            let Some((first, keys)) = args.split_first() else {
                return Ok(Value::Bool(false));
            };
            let mut value = first;
            for key in keys {
                let next = match (value, key) {
                    (Value::Object(map), Value::String(k)) => map.get(k),
                    (Value::Array(items), Value::Number(n)) => {
                        items.get(n.as_f64().unwrap_or(-1.0) as usize)
                    }
                    _ => None,
                };
                let Some(next) = next else {
                    return Ok(Value::Bool(false));
                };
                value = next;
            }
            Ok(Value::Bool(true))
        }
        "base64decode" => {
            count(1)?;
            let Value::String(text) = &args[0] else {
                return Err(error("base64decode needs a string".to_string()));
            };
            base64_decode(text)
                .map(Value::String)
                .ok_or_else(|| error("base64 decode failed: illegal base64 data".to_string()))
        }
        "html" | "js" | "urlquery" | "call" | "slice" => Err(format!(
            "stsplay's go-template does not support the {name} function"
        )),
        other => Err(format!(
            "template: output:1: function \"{other}\" not defined"
        )),
    }
}

/// `fmt.Sprint`: spaces only between operands that are not both strings.
fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 && !matches!(arg, Value::String(_)) && !matches!(args[i - 1], Value::String(_)) {
            out.push(' ');
        }
        out.push_str(&go_print(arg));
    }
    out
}

/// `fmt.Sprintf` for the verbs templates use: %s %v %d %q %t %f %%, with
/// widths, `-` and precision.
fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut args = args.iter();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek().filter(|f| "-+ 0#".contains(**f)) {
            flags.push(f);
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            precision = Some(p.parse::<usize>().unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.next() else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        let text = match (verb, arg) {
            ('s' | 'v', v) => go_print(v),
            ('q', Value::String(s)) => format!("{s:?}"),
            ('d', Value::Number(n)) if n.is_i64() => n.to_string(),
            ('t', Value::Bool(b)) => b.to_string(),
            ('f', Value::Number(n)) => {
                format!("{:.*}", precision.unwrap_or(6), n.as_f64().unwrap_or(0.0))
            }
            (verb, v) => format!("%!{verb}({}={})", go_type(v), go_print(v)),
        };
        let width: usize = width.parse().unwrap_or(0);
        let pad = width.saturating_sub(text.chars().count());
        if flags.contains('-') {
            out.push_str(&text);
            out.extend(std::iter::repeat_n(' ', pad));
        } else {
            out.extend(std::iter::repeat_n(
                if flags.contains('0') { '0' } else { ' ' },
                pad,
            ));
            out.push_str(&text);
        }
    }
    let extra: Vec<&Value> = args.collect();
    if !extra.is_empty() {
        let listed: Vec<String> = extra
            .iter()
            .map(|v| format!("{}={}", go_type(v), go_print(v)))
            .collect();
        out.push_str(&format!("%!(EXTRA {})", listed.join(", ")));
    }
    out
}

fn base64_decode(text: &str) -> Option<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits: u32 = 0;
    let mut count = 0;
    let mut bytes = Vec::new();
    let trimmed = text.trim_end_matches('=');
    if !text.len().is_multiple_of(4) {
        return None;
    }
    for c in trimmed.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)? as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(bytes).ok()
}

/// An object as go-template sees it: JSON with every number a float64.
pub fn as_template_data(value: &Value) -> Value {
    match value {
        Value::Number(n) => serde_json::Number::from_f64(n.as_f64().unwrap_or(0.0))
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(as_template_data).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), as_template_data(v)))
                .collect::<Map<String, Value>>(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(template: &str, data: &Value) -> String {
        let data = as_template_data(data);
        Template::parse(template)
            .and_then(|t| t.execute(&data))
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    fn pod() -> Value {
        json!({"metadata": {"name": "web-0", "labels": {"app": "nginx", "tier": "web"}},
               "spec": {"containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24"}, {"name": "side", "image": "busybox"}]},
               "status": {"replicas": 3, "big": 1234567}})
    }

    #[test]
    fn tutorial_range_over_containers() {
        assert_eq!(
            run(
                "{{range $i, $c := .spec.containers}}{{$c.image}}{{end}}",
                &pod()
            ),
            "registry.k8s.io/nginx-slim:0.24busybox"
        );
    }

    #[test]
    fn fields_functions_and_control() {
        for (template, want) in [
            (
                "{{.metadata.name}} {{.status.replicas}} {{.status.big}}",
                "web-0 3 1.234567e+06",
            ),
            ("{{.nothing.here}}", "<no value>"),
            ("{{index .metadata.labels \"app\"}}", "nginx"),
            ("{{len .spec.containers}}", "2"),
            (
                "{{range .spec.containers}}{{.name}}{{\"\\n\"}}{{end}}",
                "nginx\nside\n",
            ),
            (
                "{{if eq .metadata.name \"web-0\"}}first{{else}}other{{end}}",
                "first",
            ),
            ("{{if .x}}a{{else if .metadata}}b{{end}}", "b"),
            ("{{with .metadata}}{{.name}}{{end}}", "web-0"),
            (
                "{{printf \"%s=%v\" .metadata.name .status.replicas}}",
                "web-0=3",
            ),
            ("{{printf \"%d\" .status.replicas}}", "%!d(float64=3)"),
            ("{{.metadata.labels}}", "map[app:nginx tier:web]"),
            ("{{- \"a\" }}  \n {{- \"b\" -}} c", "abc"),
            ("{{.metadata.name | printf \"%q\"}}", "\"web-0\""),
            ("{{$n := .metadata.name}}{{$n}}", "web-0"),
            ("{{exists .metadata \"labels\" \"app\"}}", "true"),
        ] {
            assert_eq!(run(template, &pod()), want, "{template}");
        }
    }

    #[test]
    fn errors() {
        assert_eq!(
            run("{{nope .x}}", &pod()),
            "ERR template: output:1: function \"nope\" not defined"
        );
        assert!(
            run("{{.metadata.name", &pod()).starts_with("ERR template: output:1: unclosed action")
        );
        assert!(run("{{.status.replicas.x}}", &pod())
            .contains("can't evaluate field x in type float64"));
    }
}
