//! The shell grammar over tokens: lists, `&&`/`||`, pipelines, simple
//! commands with redirections, and `for`/`while`/`if`/`{ }`/`( )`.

use super::ast::{
    AndOr, Command, Item, Joiner, Part, Pipeline, Redirect, RedirectOp, Script, Simple, Word,
};
use super::lex::{Lexer, Tok};

/// Why a text is not a runnable command yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// More lines could complete it (open quote, here-document, `for` without `done`).
    Incomplete(String),
    /// It can never be valid.
    Syntax(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub script: Script,
    /// Things bash warns about but runs anyway (a here-document ended by end of input).
    pub warnings: Vec<String>,
}

/// Parses a command. With `at_eof`, the input is all there will ever be.
pub fn parse(text: &str, at_eof: bool) -> Result<Parsed, Problem> {
    let chars: Vec<char> = text.chars().collect();
    let mut lexer = Lexer::new(&chars, at_eof);
    let toks = lexer.tokens(false)?;
    let script = parse_tokens(toks)?;
    Ok(Parsed {
        script,
        warnings: lexer.warnings,
    })
}

pub(super) fn parse_tokens(toks: Vec<Tok>) -> Result<Script, Problem> {
    let mut parser = Parser { toks, pos: 0 };
    let script = parser.script(&[])?;
    match parser.peek() {
        None => Ok(script),
        Some(tok) => Err(unexpected(tok)),
    }
}

const RESERVED_ENDS: [&str; 7] = ["do", "done", "then", "else", "elif", "fi", "}"];

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

fn unexpected(tok: &Tok) -> Problem {
    let text = match tok {
        Tok::Word(w) => w.literal().unwrap_or_else(|| "word".to_string()),
        Tok::IoNumber(n) => n.to_string(),
        Tok::Op(op) => op.to_string(),
        Tok::Newline => "newline".to_string(),
        Tok::Heredoc { .. } => "<<".to_string(),
    };
    Problem::Syntax(format!("syntax error near unexpected token `{text}'"))
}

fn incomplete(what: &str) -> Problem {
    Problem::Incomplete(format!("syntax error: unexpected end of file ({what})"))
}

fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let tok = self.toks.get(self.pos).cloned();
        self.pos += 1;
        tok
    }

    fn at_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if *o == op)
    }

    /// The current token as a reserved word, if it is one of `words`.
    fn at_word(&self, words: &[&str]) -> Option<String> {
        match self.peek() {
            Some(Tok::Word(w)) => w.bare().filter(|b| words.contains(b)).map(str::to_string),
            _ => None,
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Newline)) {
            self.pos += 1;
        }
    }

    /// Expects the reserved word `word`, after optional newlines.
    fn expect(&mut self, word: &str, context: &str) -> Result<(), Problem> {
        self.skip_newlines();
        match self.peek() {
            None => Err(incomplete(context)),
            Some(_) if self.at_word(&[word]).is_some() => {
                self.pos += 1;
                Ok(())
            }
            Some(tok) => Err(unexpected(tok)),
        }
    }

    /// A list of commands, up to the end, a `)` or one of `ends`.
    fn script(&mut self, ends: &[&str]) -> Result<Script, Problem> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek().is_none() || self.at_op(")") || self.at_word(ends).is_some() {
                return Ok(Script { items });
            }
            if let Some(word) = self.at_word(&RESERVED_ENDS) {
                return Err(Problem::Syntax(format!(
                    "syntax error near unexpected token `{word}'"
                )));
            }
            let list = self.and_or()?;
            let background = self.at_op("&");
            match self.peek() {
                Some(Tok::Op(";" | "&")) | Some(Tok::Newline) => self.pos += 1,
                None | Some(Tok::Op(")")) => {}
                Some(Tok::Word(_)) if self.at_word(ends).is_some() => {}
                Some(tok) => return Err(unexpected(tok)),
            }
            items.push(Item { list, background });
        }
    }

    /// A body up to and including the reserved word `end` (`… do`, `… done`, `… }`).
    fn block(&mut self, end: &str) -> Result<Script, Problem> {
        let context = format!("`{end}'");
        let body = self.body(&[end], &context)?;
        self.expect(end, &context)?;
        Ok(body)
    }

    /// A body that must not be empty (`do …; done`).
    fn body(&mut self, ends: &[&str], context: &str) -> Result<Script, Problem> {
        let body = self.script(ends)?;
        if body.items.is_empty() {
            return match self.peek() {
                None => Err(incomplete(context)),
                Some(tok) => Err(unexpected(tok)),
            };
        }
        Ok(body)
    }

    fn and_or(&mut self) -> Result<AndOr, Problem> {
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let joiner = match self.peek() {
                Some(Tok::Op("&&")) => Joiner::And,
                Some(Tok::Op("||")) => Joiner::Or,
                _ => return Ok(AndOr { first, rest }),
            };
            self.pos += 1;
            self.skip_newlines();
            if self.peek().is_none() {
                return Err(incomplete("a command after && or ||"));
            }
            rest.push((joiner, self.pipeline()?));
        }
    }

    fn pipeline(&mut self) -> Result<Pipeline, Problem> {
        let negate = self.at_word(&["!"]).is_some();
        if negate {
            self.pos += 1;
        }
        let mut commands = vec![self.command()?];
        while self.at_op("|") {
            self.pos += 1;
            self.skip_newlines();
            if self.peek().is_none() {
                return Err(incomplete("a command after |"));
            }
            commands.push(self.command()?);
        }
        Ok(Pipeline { negate, commands })
    }

    fn command(&mut self) -> Result<Command, Problem> {
        if self.at_op("(") {
            self.pos += 1;
            let body = self.body(&[], "a `)'")?;
            if !self.at_op(")") {
                return Err(match self.peek() {
                    None => incomplete("a `)'"),
                    Some(tok) => unexpected(tok),
                });
            }
            self.pos += 1;
            let redirects = self.redirects()?;
            return Ok(Command::Group {
                body,
                subshell: true,
                redirects,
            });
        }
        match self
            .at_word(&["for", "while", "until", "if", "{"])
            .as_deref()
        {
            Some("for") => self.for_loop(),
            Some(word @ ("while" | "until")) => {
                let until = word == "until";
                self.pos += 1;
                let cond = self.block("do")?;
                let body = self.block("done")?;
                let redirects = self.redirects()?;
                Ok(Command::While {
                    cond,
                    body,
                    until,
                    redirects,
                })
            }
            Some("if") => self.if_command(),
            Some(_) => {
                self.pos += 1;
                let body = self.block("}")?;
                let redirects = self.redirects()?;
                Ok(Command::Group {
                    body,
                    subshell: false,
                    redirects,
                })
            }
            None => self.simple(),
        }
    }

    fn for_loop(&mut self) -> Result<Command, Problem> {
        self.pos += 1;
        let var = match self.next() {
            None => return Err(incomplete("a name after `for'")),
            Some(Tok::Word(w)) => match w.literal() {
                Some(name) if is_name(&name) => name,
                other => {
                    return Err(Problem::Syntax(format!(
                        "`{}': not a valid identifier",
                        other.unwrap_or_default()
                    )))
                }
            },
            Some(tok) => return Err(unexpected(&tok)),
        };
        self.skip_newlines();
        let words = if self.at_word(&["in"]).is_some() {
            self.pos += 1;
            let mut words = Vec::new();
            while let Some(Tok::Word(w)) = self.peek() {
                words.push(w.clone());
                self.pos += 1;
            }
            Some(words)
        } else {
            None
        };
        match self.peek() {
            Some(Tok::Op(";") | Tok::Newline) => self.pos += 1,
            None => return Err(incomplete("`do'")),
            Some(_) if self.at_word(&["do"]).is_some() && words.is_none() => {}
            Some(tok) => return Err(unexpected(tok)),
        }
        self.expect("do", "`do'")?;
        let body = self.block("done")?;
        let redirects = self.redirects()?;
        Ok(Command::For {
            var,
            words,
            body,
            redirects,
        })
    }

    fn if_command(&mut self) -> Result<Command, Problem> {
        self.pos += 1;
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.block("then")?;
            let body = self.body(&["elif", "else", "fi"], "`fi'")?;
            branches.push((cond, body));
            self.skip_newlines();
            match self.at_word(&["elif", "else", "fi"]).as_deref() {
                Some("elif") => self.pos += 1,
                Some("else") => {
                    self.pos += 1;
                    otherwise = Some(self.block("fi")?);
                    break;
                }
                Some(_) => {
                    self.pos += 1;
                    break;
                }
                None => {
                    return Err(match self.peek() {
                        None => incomplete("`fi'"),
                        Some(tok) => unexpected(tok),
                    })
                }
            }
        }
        let redirects = self.redirects()?;
        Ok(Command::If {
            branches,
            otherwise,
            redirects,
        })
    }

    fn simple(&mut self) -> Result<Command, Problem> {
        let mut simple = Simple::default();
        loop {
            match self.peek() {
                Some(Tok::Word(w)) => {
                    let w = w.clone();
                    self.pos += 1;
                    match assignment(&w).filter(|_| simple.words.is_empty()) {
                        Some(assign) => simple.assigns.push(assign),
                        None => simple.words.push(w),
                    }
                }
                Some(Tok::IoNumber(_) | Tok::Heredoc { .. }) => {
                    simple.redirects.push(self.redirect()?)
                }
                Some(Tok::Op(op)) if is_redirect(op) => simple.redirects.push(self.redirect()?),
                _ => break,
            }
        }
        if simple.words.is_empty() && simple.assigns.is_empty() && simple.redirects.is_empty() {
            return Err(match self.peek() {
                None => incomplete("a command"),
                Some(tok) => unexpected(tok),
            });
        }
        Ok(Command::Simple(simple))
    }

    fn redirects(&mut self) -> Result<Vec<Redirect>, Problem> {
        let mut redirects = Vec::new();
        loop {
            match self.peek() {
                Some(Tok::IoNumber(_) | Tok::Heredoc { .. }) => redirects.push(self.redirect()?),
                Some(Tok::Op(op)) if is_redirect(op) => redirects.push(self.redirect()?),
                _ => return Ok(redirects),
            }
        }
    }

    fn redirect(&mut self) -> Result<Redirect, Problem> {
        let fd = match self.peek() {
            Some(Tok::IoNumber(n)) => {
                let n = *n;
                self.pos += 1;
                Some(n)
            }
            _ => None,
        };
        let op = match self.next() {
            Some(Tok::Heredoc { body, expand, .. }) => {
                return Ok(Redirect {
                    fd: fd.unwrap_or(0),
                    op: RedirectOp::Heredoc {
                        body: body.unwrap_or_default(),
                        expand,
                    },
                });
            }
            Some(Tok::Op(op)) => op,
            Some(tok) => return Err(unexpected(&tok)),
            None => return Err(incomplete("a redirection")),
        };
        let target = match self.next() {
            Some(Tok::Word(w)) => w,
            Some(tok) => return Err(unexpected(&tok)),
            None => {
                return Err(Problem::Syntax(
                    "syntax error near unexpected token `newline'".to_string(),
                ))
            }
        };
        let default_fd = if matches!(op, "<" | "<&" | "<<<") {
            0
        } else {
            1
        };
        let fd = fd.unwrap_or(default_fd);
        let op = match op {
            ">" | ">|" => RedirectOp::Write(target),
            ">>" => RedirectOp::Append(target),
            "<" => RedirectOp::Read(target),
            "&>" => RedirectOp::Both(target),
            "<<<" => RedirectOp::HereString(target),
            _ => match target.literal().and_then(|t| t.parse::<u8>().ok()) {
                Some(to) => RedirectOp::Dup(to),
                // `>& file` is bash's `&> file`.
                None if op == ">&" => RedirectOp::Both(target),
                None => {
                    return Err(Problem::Syntax(format!(
                        "{}: ambiguous redirect",
                        target.literal().unwrap_or_default()
                    )))
                }
            },
        };
        Ok(Redirect { fd, op })
    }
}

fn is_redirect(op: &str) -> bool {
    matches!(op, ">" | ">>" | "<" | ">&" | "<&" | "&>" | ">|" | "<<<")
}

/// `NAME=value` at the start of a simple command.
fn assignment(word: &Word) -> Option<(String, Word)> {
    let Some(Part::Bare(first)) = word.0.first() else {
        return None;
    };
    let (name, rest) = first.split_once('=')?;
    if !is_name(name) {
        return None;
    }
    let mut value = Vec::new();
    if !rest.is_empty() {
        value.push(Part::Bare(rest.to_string()));
    }
    value.extend(word.0.iter().skip(1).cloned());
    Some((name.to_string(), Word(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Script {
        parse(text, false)
            .unwrap_or_else(|e| panic!("{text:?}: {e:?}"))
            .script
    }

    fn words(script: &Script) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        for item in &script.items {
            for pipeline in
                std::iter::once(&item.list.first).chain(item.list.rest.iter().map(|(_, p)| p))
            {
                for command in &pipeline.commands {
                    if let Command::Simple(s) = command {
                        out.push(
                            s.words
                                .iter()
                                .map(|w| w.literal().unwrap_or_else(|| "<expansion>".to_string()))
                                .collect(),
                        );
                    }
                }
            }
        }
        out
    }

    #[test]
    fn quotes_and_escapes() {
        let s = ok(r#"kubectl patch sts web -p '{"spec":{"replicas":3}}'"#);
        assert_eq!(words(&s)[0][5], r#"{"spec":{"replicas":3}}"#);
        assert_eq!(
            words(&ok(r#"echo "a b" c\ d"#)),
            [vec!["echo", "a b", "c d"]]
        );
    }

    #[test]
    fn only_space_tab_and_newline_separate_words() {
        // U+0085 (NEL) once made the lexer spin: Rust calls it whitespace,
        // the word reader stopped at it and the blank skipper did not.
        assert_eq!(
            words(&ok("echo a\u{85}b\u{a0}c\rd \u{85}")),
            [vec!["echo", "a\u{85}b\u{a0}c\rd", "\u{85}"]]
        );
    }

    #[test]
    fn lists_pipes_and_loops() {
        let s = ok("kubectl get pods | grep web && echo ok; echo done");
        assert_eq!(s.items.len(), 2);
        assert_eq!(s.items[0].list.first.commands.len(), 2);
        assert_eq!(s.items[0].list.rest[0].0, Joiner::And);
        let s = ok("for i in 0 1; do kubectl exec \"web-$i\" -- sh -c 'hostname'; done");
        assert!(
            matches!(&s.items[0].list.first.commands[0], Command::For { var, words: Some(w), .. } if var == "i" && w.len() == 2)
        );
    }

    #[test]
    fn heredocs_take_the_following_lines() {
        let s = ok("cat <<EOF | kubectl apply -f -\nkind: Pod\n  name: $x\nEOF\n");
        let Command::Simple(cat) = &s.items[0].list.first.commands[0] else {
            panic!()
        };
        let RedirectOp::Heredoc { body, expand } = &cat.redirects[0].op else {
            panic!()
        };
        assert!(expand);
        assert!(body
            .0
            .iter()
            .any(|p| matches!(p, Part::Param { name, .. } if name == "x")));
        let s = ok("cat > web.yaml <<'EOF'\na: $b\nEOF");
        let Command::Simple(cat) = &s.items[0].list.first.commands[0] else {
            panic!()
        };
        assert_eq!(
            cat.redirects[1].op,
            RedirectOp::Heredoc {
                body: Word(vec![Part::Quoted("a: $b\n".into())]),
                expand: false
            }
        );
    }

    #[test]
    fn incomplete_input_asks_for_more() {
        for text in [
            "echo 'abc",
            "echo \"abc",
            "cat <<EOF\nabc",
            "for i in 1 2; do",
            "ls |",
            "ls &&",
            "echo $(ls",
            "echo \\",
        ] {
            assert!(
                matches!(parse(text, false), Err(Problem::Incomplete(_))),
                "{text:?}"
            );
        }
    }

    #[test]
    fn heredoc_at_end_of_input_warns() {
        let parsed = parse("cat <<EOF\nabc", true).unwrap();
        assert_eq!(
            parsed.warnings,
            ["warning: here-document at line 1 delimited by end-of-file (wanted `EOF')"]
        );
    }

    #[test]
    fn syntax_errors_name_the_token() {
        assert_eq!(
            parse("&& ls", false),
            Err(Problem::Syntax(
                "syntax error near unexpected token `&&'".into()
            ))
        );
        assert_eq!(
            parse("ls ;; ls", false),
            Err(Problem::Syntax(
                "syntax error near unexpected token `;;'".into()
            ))
        );
        assert_eq!(
            parse("done", false),
            Err(Problem::Syntax(
                "syntax error near unexpected token `done'".into()
            ))
        );
        assert_eq!(
            parse("echo >", false),
            Err(Problem::Syntax(
                "syntax error near unexpected token `newline'".into()
            ))
        );
    }

    #[test]
    fn deep_substitution_is_refused() {
        let deep = format!("echo {}x{}", "$(echo ".repeat(20), ")".repeat(20));
        assert!(
            matches!(parse(&deep, false), Err(Problem::Syntax(m)) if m.contains("nested too deeply"))
        );
    }

    #[test]
    fn assignments_and_redirects() {
        let s = ok("A=1 B=\"x y\" env 2>&1 >/dev/null");
        let Command::Simple(c) = &s.items[0].list.first.commands[0] else {
            panic!()
        };
        assert_eq!(c.assigns.len(), 2);
        assert_eq!(
            c.redirects[0],
            Redirect {
                fd: 2,
                op: RedirectOp::Dup(1)
            }
        );
    }
}
