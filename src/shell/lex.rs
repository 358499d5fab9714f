//! Turning shell text into tokens: words with their quoting, operators,
//! newlines and here-documents. Command substitutions are parsed here too,
//! since their end can only be found by lexing what is inside them.

use super::ast::{Part, Script, Subscript, Word};
use super::parse::{is_name, parse_tokens, Problem};
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

/// What ends an unquoted word: blanks and the operators' characters.
const WORD_STOPS: &str = " \t\n|&;<>()";

/// Reserved words after which a command starts (where `[[` is one).
const BEFORE_COMMAND: [&str; 9] = [
    "if", "then", "else", "elif", "do", "while", "until", "!", "{",
];

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
                    let word = self.word(WORD_STOPS)?;
                    let digits: String = self.chars[start..self.pos].iter().collect();
                    match (digits.parse::<u8>(), self.peek()) {
                        (Ok(fd), Some('<' | '>')) if digits.chars().all(|c| c.is_ascii_digit()) => {
                            toks.push(Tok::IoNumber(fd))
                        }
                        _ if word.bare() == Some("[[") && at_command_start(&toks) => {
                            toks.push(Tok::Word(word));
                            self.conditional(&mut toks, &mut pending)?;
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
        let word = self.word(WORD_STOPS)?;
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

    /// The inside of `[[ … ]]`, up to and including its `]]`: words, with
    /// `&&`, `||`, `(`, `)`, `<` and `>` as operators, and newlines, which
    /// the parser allows where a term may start. The word after `=~` is a
    /// regular expression, whose parentheses and `|` belong to it.
    fn conditional(
        &mut self,
        toks: &mut Vec<Tok>,
        pending: &mut Vec<usize>,
    ) -> Result<(), Problem> {
        let mut regex_next = false;
        loop {
            while matches!(self.peek(), Some(' ' | '\t')) {
                self.bump();
            }
            if self.peek() == Some('\\') && self.peek_at(1) == Some('\n') {
                self.pos += 2;
                self.line += 1;
                continue;
            }
            let Some(c) = self.peek() else {
                return Ok(());
            };
            if c == '\n' {
                self.bump();
                toks.push(Tok::Newline);
                self.read_heredocs(toks, pending)?;
            } else if regex_next && !" &;<>)".contains(c) {
                regex_next = false;
                toks.push(Tok::Word(self.regex_word()?));
            } else if WORD_STOPS.contains(c) {
                let op = ["&&", "||", "&", "|", ";", "<", ">", "(", ")"]
                    .into_iter()
                    .find(|op| self.starts_with(op))
                    .unwrap_or(";");
                self.pos += op.len();
                toks.push(Tok::Op(op));
            } else {
                let word = self.word(WORD_STOPS)?;
                let end = word.bare() == Some("]]");
                regex_next = word.bare() == Some("=~");
                toks.push(Tok::Word(word));
                if end {
                    return Ok(());
                }
            }
        }
    }

    /// The regular expression after `=~`: up to a blank or an operator
    /// outside parentheses, which may hold blanks and nest.
    fn regex_word(&mut self) -> Result<Word, Problem> {
        let mut parts: Vec<Part> = Vec::new();
        let mut depth = 0usize;
        loop {
            let stops = if depth == 0 { " \t\n&;<>()" } else { "()" };
            for part in self.word(stops)?.0 {
                push_part(&mut parts, part);
            }
            match self.peek() {
                Some('(') => depth += 1,
                Some(')') if depth > 0 => depth -= 1,
                _ => return Ok(Word(parts)),
            }
            if let Some(paren) = self.bump() {
                push_part(&mut parts, Part::Bare(paren.to_string()));
            }
        }
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
                let chars: Vec<char> = text.chars().collect();
                expanding_word(&chars, self.nesting)?
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

    /// One word, stopping at any char in `stops` outside quotes.
    /// Blanks are only space, tab and newline, as in sh: other Unicode
    /// whitespace (NEL, no-break space, CR) belongs to the word.
    fn word(&mut self, stops: &str) -> Result<Word, Problem> {
        let mut parts = Vec::new();
        let mut bare = String::new();
        let flush = |bare: &mut String, parts: &mut Vec<Part>| {
            if !bare.is_empty() {
                parts.push(Part::Bare(std::mem::take(bare)));
            }
        };
        while let Some(c) = self.peek() {
            if stops.contains(c) {
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
                let text = self.until_closing('(', "))")?;
                Ok(Some(Part::Arith {
                    expr: expanding_word(&text, self.nesting)?,
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
                let index = match self.peek() {
                    Some('[') if is_name(name.strip_prefix('#').unwrap_or(&name)) => {
                        Some(self.subscript(&name)?)
                    }
                    _ => None,
                };
                let default = match (self.peek(), self.peek_at(1)) {
                    (Some('}'), _) => None,
                    (Some(':'), Some('-')) => {
                        self.pos += 2;
                        Some((true, self.word("}")?))
                    }
                    (Some('-'), _) => {
                        self.bump();
                        Some((false, self.word("}")?))
                    }
                    (None, _) => return Err(Problem::Incomplete("unexpected EOF while looking for matching `}'".to_string())),
                    _ => return Err(Problem::Syntax(format!("${{{name}…}}: bad substitution (the playground supports ${{name}}, ${{name:-default}}, ${{#name}} and ${{name[N]}})"))),
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
                    index,
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
                    index: None,
                    default: None,
                    quoted,
                }))
            }
            Some(c) if c.is_ascii_digit() || "?#@*$!-".contains(c) => {
                self.pos += 2;
                Ok(Some(Part::Param {
                    name: c.to_string(),
                    index: None,
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

    /// The text up to `closing` outside nested `open`…`closing[0]` pairs
    /// (the end of `$((…))`, of a subscript), which it consumes.
    fn until_closing(&mut self, open: char, closing: &str) -> Result<Vec<char>, Problem> {
        let start = self.pos;
        let mut depth = 0usize;
        loop {
            match self.peek() {
                None => {
                    return Err(Problem::Incomplete(format!(
                        "unexpected EOF while looking for matching `{closing}'"
                    )))
                }
                Some(_) if depth == 0 && self.starts_with(closing) => break,
                Some(c) if c == open => depth += 1,
                Some(c) if closing.starts_with(c) => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.bump();
        }
        let text = self.chars[start..self.pos].to_vec();
        self.pos += closing.len();
        Ok(text)
    }

    /// `[…]` after the array's name in `${name[…]}`, at the `[`.
    fn subscript(&mut self, name: &str) -> Result<Subscript, Problem> {
        self.bump();
        let text = self.until_closing('[', "]")?;
        Ok(match text.as_slice() {
            ['@'] => Subscript::Each,
            ['*'] => Subscript::Joined,
            [] => {
                return Err(Problem::Syntax(format!(
                    "{}[]: bad array subscript",
                    name.trim_start_matches('#')
                )))
            }
            _ => Subscript::Element(expanding_word(&text, self.nesting)?),
        })
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

/// Text in which only `$`, `` ` `` and backslash are special: a
/// here-document body whose delimiter was not quoted, an arithmetic
/// expression, an array subscript.
fn expanding_word(chars: &[char], nesting: usize) -> Result<Word, Problem> {
    let mut lexer = Lexer::new(chars, true);
    lexer.nesting = nesting;
    let mut parts = Vec::new();
    lexer.quoted_text(&mut parts, None)?;
    Ok(Word(parts))
}

/// Whether a word read after `toks` stands where a command starts.
fn at_command_start(toks: &[Tok]) -> bool {
    for tok in toks.iter().rev() {
        match tok {
            Tok::Newline | Tok::Op(";" | "&" | "&&" | "||" | "|" | "(" | ";;") => return true,
            Tok::Word(w) if w.bare().is_some_and(|b| BEFORE_COMMAND.contains(&b)) => {}
            _ => return false,
        }
    }
    true
}

/// Appends a part, joining unquoted text to unquoted text before it.
fn push_part(parts: &mut Vec<Part>, part: Part) {
    match (parts.last_mut(), part) {
        (Some(Part::Bare(text)), Part::Bare(more)) => text.push_str(&more),
        (_, part) => parts.push(part),
    }
}
