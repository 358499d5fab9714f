//! Turning shell text into tokens: words with their quoting, operators,
//! newlines and here-documents. Command substitutions are parsed here too,
//! since their end can only be found by lexing what is inside them.

use super::ast::{Part, Script, Word};
use super::parse::{parse_tokens, Problem};
use super::MAX_NESTING;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    Word(Word),
    /// A redirection's file descriptor, as in `2>`.
    IoNumber(u8),
    Op(&'static str),
    Newline,
    Heredoc {
        strip_tabs: bool,
        delimiter: String,
        expand: bool,
        body: Option<Word>,
        line: usize,
    },
}

const OPS: [&str; 16] = [
    "<<<", "<<-", "&&", "||", ";;", ">>", "<<", ">&", "<&", "&>", ">|", "|", "&", ";", "<", ">",
];

pub struct Lexer<'a> {
    chars: &'a [char],
    pos: usize,
    /// 1-based line of `pos`, for here-document warnings.
    line: usize,
    nesting: usize,
    /// At end of input, end open here-documents instead of asking for more.
    at_eof: bool,
    pub warnings: Vec<String>,
}

impl<'a> Lexer<'a> {
    pub fn new(chars: &'a [char], at_eof: bool) -> Lexer<'a> {
        Lexer {
            chars,
            pos: 0,
            line: 1,
            nesting: 0,
            at_eof,
            warnings: Vec::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn starts_with(&self, text: &str) -> bool {
        text.chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c))
    }

    /// Tokens up to the end of input, or up to an unmatched `)` when `in_subst`.
    pub fn tokens(&mut self, in_subst: bool) -> Result<Vec<Tok>, Problem> {
        let mut toks = Vec::new();
        let mut pending: Vec<usize> = Vec::new();
        let mut parens = 0usize;
        loop {
            while matches!(self.peek(), Some(' ' | '\t')) {
                self.bump();
            }
            if self.peek() == Some('\\') && self.peek_at(1) == Some('\n') {
                self.bump();
                self.bump();
                continue;
            }
            let Some(c) = self.peek() else {
                if in_subst {
                    return Err(Problem::Incomplete(
                        "unexpected EOF while looking for matching `)'".to_string(),
                    ));
                }
                self.end_heredocs(&mut toks, &pending)?;
                return Ok(toks);
            };
            match c {
                '#' => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.bump();
                    }
                }
                '\n' => {
                    self.bump();
                    toks.push(Tok::Newline);
                    self.read_heredocs(&mut toks, &mut pending)?;
                }
                ')' if in_subst && parens == 0 => {
                    self.bump();
                    self.end_heredocs(&mut toks, &pending)?;
                    return Ok(toks);
                }
                '(' | ')' => {
                    self.bump();
                    if c == '(' {
                        parens += 1;
                        toks.push(Tok::Op("("));
                    } else {
                        parens = parens.saturating_sub(1);
                        toks.push(Tok::Op(")"));
                    }
                }
                c if "|&;<>".contains(c) => {
                    let op = OPS
                        .iter()
                        .copied()
                        .find(|op| self.starts_with(op))
                        .unwrap_or(";");
                    for _ in 0..op.chars().count() {
                        self.bump();
                    }
                    if op == "<<" || op == "<<-" {
                        let (delimiter, expand) = self.heredoc_delimiter()?;
                        pending.push(toks.len());
                        toks.push(Tok::Heredoc {
                            strip_tabs: op == "<<-",
                            delimiter,
                            expand,
                            body: None,
                            line: self.line,
                        });
                    } else {
                        toks.push(Tok::Op(op));
                    }
                }
                _ => {
                    let start = self.pos;
                    let word = self.word(&[])?;
                    let digits: String = self.chars[start..self.pos].iter().collect();
                    match (digits.parse::<u8>(), self.peek()) {
                        (Ok(fd), Some('<' | '>')) if digits.chars().all(|c| c.is_ascii_digit()) => {
                            toks.push(Tok::IoNumber(fd))
                        }
                        _ => toks.push(Tok::Word(word)),
                    }
                }
            }
        }
    }

    fn heredoc_delimiter(&mut self) -> Result<(String, bool), Problem> {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
        if self.peek().is_none_or(|c| "\n|&;<>()".contains(c)) {
            let near = match self.peek() {
                None | Some('\n') => "newline".to_string(),
                Some(c) => c.to_string(),
            };
            return Err(Problem::Syntax(format!(
                "syntax error near unexpected token `{near}'"
            )));
        }
        let word = self.word(&[])?;
        let expand = word.0.iter().all(|p| matches!(p, Part::Bare(_)));
        let delimiter = word
            .0
            .iter()
            .map(|p| match p {
                Part::Bare(s) | Part::Quoted(s) => s.clone(),
                // `<<$X` uses the text as written; bash does not expand it.
                Part::Param { name, .. } => format!("${name}"),
                _ => String::new(),
            })
            .collect();
        Ok((delimiter, expand))
    }

    /// After a newline: the bodies of the here-documents opened on that line.
    fn read_heredocs(&mut self, toks: &mut [Tok], pending: &mut Vec<usize>) -> Result<(), Problem> {
        for index in std::mem::take(pending) {
            let Some(Tok::Heredoc {
                strip_tabs,
                delimiter,
                expand,
                body,
                line,
            }) = toks.get_mut(index)
            else {
                continue;
            };
            let mut text = String::new();
            loop {
                if self.peek().is_none() {
                    if !self.at_eof {
                        return Err(Problem::Incomplete(format!(
                            "here-document wanted `{delimiter}'"
                        )));
                    }
                    self.warnings.push(format!(
                        "warning: here-document at line {line} delimited by end-of-file (wanted `{delimiter}')"
                    ));
                    break;
                }
                let mut current = String::new();
                while let Some(c) = self.bump() {
                    if c == '\n' {
                        break;
                    }
                    current.push(c);
                }
                let current = if *strip_tabs {
                    current.trim_start_matches('\t').to_string()
                } else {
                    current
                };
                if current == *delimiter {
                    break;
                }
                text.push_str(&current);
                text.push('\n');
            }
            *body = Some(if *expand {
                heredoc_word(&text, self.nesting)?
            } else {
                Word(vec![Part::Quoted(text)])
            });
        }
        Ok(())
    }

    /// End of input with here-documents still open on the last line.
    fn end_heredocs(&mut self, toks: &mut [Tok], pending: &[usize]) -> Result<(), Problem> {
        let mut pending = pending.to_vec();
        self.read_heredocs(toks, &mut pending)
    }

    /// One word, stopping at blanks, operators or any char in `stops`.
    /// Blanks are only space, tab and newline, as in sh: other Unicode
    /// whitespace (NEL, no-break space, CR) belongs to the word.
    fn word(&mut self, stops: &[char]) -> Result<Word, Problem> {
        let mut parts = Vec::new();
        let mut bare = String::new();
        let flush = |bare: &mut String, parts: &mut Vec<Part>| {
            if !bare.is_empty() {
                parts.push(Part::Bare(std::mem::take(bare)));
            }
        };
        while let Some(c) = self.peek() {
            if stops.contains(&c) || (stops.is_empty() && " \t\n|&;<>()".contains(c)) {
                break;
            }
            match c {
                '\'' => {
                    flush(&mut bare, &mut parts);
                    self.bump();
                    let mut text = String::new();
                    loop {
                        match self.bump() {
                            Some('\'') => break,
                            Some(ch) => text.push(ch),
                            None => {
                                return Err(Problem::Incomplete(
                                    "unexpected EOF while looking for matching `''".to_string(),
                                ))
                            }
                        }
                    }
                    parts.push(Part::Quoted(text));
                }
                '"' => {
                    flush(&mut bare, &mut parts);
                    self.bump();
                    self.quoted_text(&mut parts, Some('"'))?;
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(ch) => {
                            flush(&mut bare, &mut parts);
                            parts.push(Part::Quoted(ch.to_string()));
                        }
                        None => {
                            return Err(Problem::Incomplete(
                                "line continues after `\\'".to_string(),
                            ))
                        }
                    }
                }
                '$' | '`' => match self.dollar(false)? {
                    Some(part) => {
                        flush(&mut bare, &mut parts);
                        parts.push(part);
                    }
                    None => bare.push('$'),
                },
                _ => {
                    self.bump();
                    bare.push(c);
                }
            }
        }
        flush(&mut bare, &mut parts);
        Ok(Word(parts))
    }

    /// The inside of `"…"` after the opening quote (`closing` is `"`), or
    /// text where only `$`, `` ` `` and backslash are special up to the end
    /// (here-document bodies and arithmetic; `closing` is None).
    fn quoted_text(&mut self, parts: &mut Vec<Part>, closing: Option<char>) -> Result<(), Problem> {
        let unclosed =
            || Problem::Incomplete("unexpected EOF while looking for matching `\"'".to_string());
        let mut text = String::new();
        loop {
            let Some(c) = self.peek() else {
                if closing.is_some() {
                    return Err(unclosed());
                }
                break;
            };
            match c {
                '"' if closing == Some('"') => {
                    self.bump();
                    break;
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\n') => {}
                        Some(ch @ ('\\' | '$' | '`')) => text.push(ch),
                        Some('"') if closing == Some('"') => text.push('"'),
                        Some(ch) => {
                            text.push('\\');
                            text.push(ch);
                        }
                        None if closing.is_some() => return Err(unclosed()),
                        None => text.push('\\'),
                    }
                }
                '$' | '`' => match self.dollar(true)? {
                    Some(part) => {
                        parts.push(Part::Quoted(std::mem::take(&mut text)));
                        parts.push(part);
                    }
                    None => text.push('$'),
                },
                _ => {
                    self.bump();
                    text.push(c);
                }
            }
        }
        // An empty "" still makes a (empty) word.
        parts.push(Part::Quoted(text));
        Ok(())
    }

    /// `$…` or `` `…` `` at the current position; None for a lone `$`.
    fn dollar(&mut self, quoted: bool) -> Result<Option<Part>, Problem> {
        if self.peek() == Some('`') {
            self.bump();
            let mut inner = String::new();
            loop {
                match self.bump() {
                    Some('`') => break,
                    Some('\\') => match self.bump() {
                        Some(ch @ ('`' | '\\' | '$')) => inner.push(ch),
                        Some(ch) => {
                            inner.push('\\');
                            inner.push(ch);
                        }
                        None => {
                            return Err(Problem::Incomplete(
                                "unexpected EOF while looking for matching ``'".to_string(),
                            ))
                        }
                    },
                    Some(ch) => inner.push(ch),
                    None => {
                        return Err(Problem::Incomplete(
                            "unexpected EOF while looking for matching ``'".to_string(),
                        ))
                    }
                }
            }
            let chars: Vec<char> = inner.chars().collect();
            let script = self.nested(&chars, |lexer| lexer.tokens(false))?;
            return Ok(Some(Part::Subst { script, quoted }));
        }
        let next = self.peek_at(1);
        match next {
            Some('(') if self.peek_at(2) == Some('(') => {
                self.pos += 3;
                let start = self.pos;
                let mut depth = 0usize;
                loop {
                    match self.peek() {
                        None => {
                            return Err(Problem::Incomplete(
                                "unexpected EOF while looking for matching `))'".to_string(),
                            ))
                        }
                        Some(')') if depth == 0 && self.peek_at(1) == Some(')') => break,
                        Some('(') => depth += 1,
                        Some(')') => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    self.bump();
                }
                let text: Vec<char> = self.chars[start..self.pos].to_vec();
                self.pos += 2;
                let mut inner = Lexer::new(&text, true);
                inner.nesting = self.nesting;
                let mut parts = Vec::new();
                inner.quoted_text(&mut parts, None)?;
                Ok(Some(Part::Arith {
                    expr: Word(parts),
                    quoted,
                }))
            }
            Some('(') => {
                self.pos += 2;
                self.nesting += 1;
                if self.nesting > MAX_NESTING {
                    return Err(Problem::Syntax(format!("command substitution nested too deeply (the playground allows {MAX_NESTING} levels)")));
                }
                let toks = self.tokens(true)?;
                self.nesting -= 1;
                let script = parse_tokens(toks)?;
                Ok(Some(Part::Subst { script, quoted }))
            }
            Some('{') => {
                self.pos += 2;
                let mut name = String::new();
                while let Some(c) = self
                    .peek()
                    .filter(|c| c.is_ascii_alphanumeric() || "_#?@*$!".contains(*c))
                {
                    self.bump();
                    name.push(c);
                }
                let default = match (self.peek(), self.peek_at(1)) {
                    (Some('}'), _) => None,
                    (Some(':'), Some('-')) => {
                        self.pos += 2;
                        Some((true, self.word(&['}'])?))
                    }
                    (Some('-'), _) => {
                        self.bump();
                        Some((false, self.word(&['}'])?))
                    }
                    (None, _) => return Err(Problem::Incomplete("unexpected EOF while looking for matching `}'".to_string())),
                    _ => return Err(Problem::Syntax(format!("${{{name}…}}: bad substitution (the playground supports ${{name}}, ${{name:-default}} and ${{#name}})"))),
                };
                if self.bump() != Some('}') {
                    return Err(Problem::Incomplete(
                        "unexpected EOF while looking for matching `}'".to_string(),
                    ));
                }
                if name.is_empty() {
                    return Err(Problem::Syntax("${}: bad substitution".to_string()));
                }
                Ok(Some(Part::Param {
                    name,
                    default,
                    quoted,
                }))
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                self.bump();
                let mut name = String::new();
                while let Some(c) = self
                    .peek()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                {
                    self.bump();
                    name.push(c);
                }
                Ok(Some(Part::Param {
                    name,
                    default: None,
                    quoted,
                }))
            }
            Some(c) if c.is_ascii_digit() || "?#@*$!-".contains(c) => {
                self.pos += 2;
                Ok(Some(Part::Param {
                    name: c.to_string(),
                    default: None,
                    quoted,
                }))
            }
            _ => {
                self.bump();
                Ok(None)
            }
        }
    }

    /// Parses `chars` as a script nested one level deeper than this lexer.
    fn nested(
        &mut self,
        chars: &[char],
        lex: impl FnOnce(&mut Lexer) -> Result<Vec<Tok>, Problem>,
    ) -> Result<Script, Problem> {
        if self.nesting + 1 > MAX_NESTING {
            return Err(Problem::Syntax(format!("command substitution nested too deeply (the playground allows {MAX_NESTING} levels)")));
        }
        let mut inner = Lexer::new(chars, self.at_eof);
        inner.nesting = self.nesting + 1;
        let toks = lex(&mut inner)?;
        parse_tokens(toks)
    }
}

/// A here-document body whose delimiter was not quoted: expansions apply.
fn heredoc_word(text: &str, nesting: usize) -> Result<Word, Problem> {
    let chars: Vec<char> = text.chars().collect();
    let mut lexer = Lexer::new(&chars, true);
    lexer.nesting = nesting;
    let mut parts = Vec::new();
    lexer.quoted_text(&mut parts, None)?;
    Ok(Word(parts))
}
