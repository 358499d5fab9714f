//! The shell grammar over tokens: lists, `&&`/`||`, pipelines, simple
//! commands with redirections, and `for`/`while`/`if`/`{ }`/`( )`/`[[ ]]`.

use super::ast::{
    AndOr, Command, CondExpr, Item, Joiner, Part, Pipeline, Redirect, RedirectOp, Script, Simple,
    Word,
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

/// A token as bash names it in an error; the end of input is a newline.
fn token_text(tok: Option<&Tok>) -> String {
    match tok {
        Some(Tok::Word(w)) => w.literal().unwrap_or_else(|| "word".to_string()),
        Some(Tok::IoNumber(n)) => n.to_string(),
        Some(Tok::Op(op)) => op.to_string(),
        None | Some(Tok::Newline) => "newline".to_string(),
        Some(Tok::Heredoc { .. }) => "<<".to_string(),
    }
}

fn unexpected(tok: &Tok) -> Problem {
    Problem::Syntax(format!(
        "syntax error near unexpected token `{}'",
        token_text(Some(tok))
    ))
}

/// `[[`'s unary operators: bash's, whether or not the playground has what they test.
const COND_UNARY: [&str; 25] = [
    "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u", "-w", "-x",
    "-G", "-L", "-N", "-O", "-S", "-z", "-n", "-v", "-o",
];
/// `[[`'s binary operators spelt as words (`<` and `>` are operator tokens).
const COND_BINARY: [&str; 13] = [
    "==", "=", "!=", "=~", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef",
];

/// Input ended inside `[[ … ]]` where more could follow.
fn cond_incomplete() -> Problem {
    Problem::Incomplete("unexpected EOF while looking for `]]'".to_string())
}

fn incomplete(what: &str) -> Problem {
    Problem::Incomplete(format!("syntax error: unexpected end of file ({what})"))
}

pub(super) fn is_name(text: &str) -> bool {
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
            .at_word(&["for", "while", "until", "if", "{", "[["])
            .as_deref()
        {
            Some("for") => self.for_loop(),
            Some("[[") => self.conditional(),
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

    /// `[[ EXPRESSION ]]`, whose inside the lexer has read as words and operators.
    fn conditional(&mut self) -> Result<Command, Problem> {
        self.pos += 1;
        let expr = self.cond_or()?;
        self.skip_newlines();
        match self.peek() {
            Some(Tok::Word(w)) if w.bare() == Some("]]") => self.pos += 1,
            None => return Err(cond_incomplete()),
            Some(Tok::Word(_)) => {
                return Err(Problem::Syntax(
                    "syntax error in conditional expression".to_string(),
                ))
            }
            Some(tok) => {
                return Err(Problem::Syntax(format!(
                    "syntax error in conditional expression: unexpected token `{}'",
                    token_text(Some(tok))
                )))
            }
        }
        let redirects = self.redirects()?;
        Ok(Command::Cond { expr, redirects })
    }

    fn cond_or(&mut self) -> Result<CondExpr, Problem> {
        self.cond_joined("||")
    }

    /// Terms joined by `&&`, or those joined by `||`, which binds less tightly.
    fn cond_joined(&mut self, joiner: &str) -> Result<CondExpr, Problem> {
        let or = joiner == "||";
        let operand = |parser: &mut Parser| {
            if or {
                parser.cond_joined("&&")
            } else {
                parser.cond_term()
            }
        };
        let mut left = operand(self)?;
        while self.at_op(joiner) {
            self.pos += 1;
            let right = Box::new(operand(self)?);
            left = if or {
                CondExpr::Or(Box::new(left), right)
            } else {
                CondExpr::And(Box::new(left), right)
            };
        }
        Ok(left)
    }

    /// `! TERM`, `( EXPRESSION )`, `-OP WORD`, `WORD OP WORD` or `WORD`;
    /// newlines may come before a term and after it.
    fn cond_term(&mut self) -> Result<CondExpr, Problem> {
        self.skip_newlines();
        let word = match self.peek() {
            None => return Err(cond_incomplete()),
            Some(Tok::Op("(")) => {
                self.pos += 1;
                let inner = self.cond_or()?;
                self.skip_newlines();
                if !self.at_op(")") {
                    return match self.peek() {
                        None => Err(cond_incomplete()),
                        tok => Err(Problem::Syntax(format!(
                            "unexpected token `{}', expected `)'",
                            token_text(tok)
                        ))),
                    };
                }
                self.pos += 1;
                self.skip_newlines();
                return Ok(inner);
            }
            Some(Tok::Word(w)) if w.bare() != Some("]]") => w.clone(),
            Some(tok) => {
                return Err(Problem::Syntax(format!(
                    "unexpected token `{}' in conditional command",
                    token_text(Some(tok))
                )))
            }
        };
        self.pos += 1;
        let term = match word.bare() {
            Some("!") => return Ok(CondExpr::Not(Box::new(self.cond_term()?))),
            Some(op) if COND_UNARY.contains(&op) => CondExpr::Unary {
                op: op.to_string(),
                operand: self.cond_operand("unary")?,
            },
            _ => self.cond_binary(word)?,
        };
        self.skip_newlines();
        Ok(term)
    }

    /// After a term's first word: its operator and right side, if it has them.
    fn cond_binary(&mut self, left: Word) -> Result<CondExpr, Problem> {
        let op = match self.peek() {
            Some(Tok::Word(w)) => match w.bare() {
                Some(op) if COND_BINARY.contains(&op) => op.to_string(),
                Some("]]") => String::new(),
                _ => {
                    return Err(Problem::Syntax(
                        "conditional binary operator expected".to_string(),
                    ))
                }
            },
            Some(Tok::Op(op @ ("<" | ">"))) => op.to_string(),
            Some(Tok::Op("&&" | "||" | ")")) => String::new(),
            tok => {
                return Err(Problem::Syntax(format!(
                    "unexpected token `{}', conditional binary operator expected",
                    token_text(tok)
                )))
            }
        };
        if op.is_empty() {
            return Ok(CondExpr::Unary {
                op: "-n".to_string(),
                operand: left,
            });
        }
        self.pos += 1;
        Ok(CondExpr::Binary {
            op,
            left,
            right: self.cond_operand("binary")?,
        })
    }

    fn cond_operand(&mut self, kind: &str) -> Result<Word, Problem> {
        match self.peek() {
            Some(Tok::Word(w)) if w.bare() != Some("]]") => {
                let w = w.clone();
                self.pos += 1;
                Ok(w)
            }
            tok => Err(Problem::Syntax(format!(
                "unexpected argument `{}' to conditional {kind} operator",
                token_text(tok)
            ))),
        }
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
    use super::super::ast::Subscript;
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

    /// The expression of the first command, a `[[ … ]]`.
    fn cond(text: &str) -> CondExpr {
        match ok(text).items.remove(0).list.first.commands.remove(0) {
            Command::Cond { expr, .. } => expr,
            other => panic!("{text:?}: {other:?}"),
        }
    }

    fn bare(text: &str) -> Word {
        Word(vec![Part::Bare(text.into())])
    }

    #[test]
    fn conditionals_read_their_own_words() {
        let regex = |text: &str| match cond(text) {
            CondExpr::Binary { op, right, .. } if op == "=~" => right.literal(),
            other => panic!("{text:?}: {other:?}"),
        };
        assert_eq!(
            regex("[[ $HOSTNAME =~ -([0-9]+)$ ]] || exit 1").as_deref(),
            Some("-([0-9]+)$")
        );
        // A regex's parentheses may hold blanks and `|`.
        assert_eq!(regex("[[ x =~ ^(a b|c)$ ]]").as_deref(), Some("^(a b|c)$"));
        assert_eq!(
            regex(r"[[ x =~ ^(.*?)[[:space:]]+(.*?)$ ]]").as_deref(),
            Some("^(.*?)[[:space:]]+(.*?)$")
        );
        let unary = |op: &str, word: &str| CondExpr::Unary {
            op: op.into(),
            operand: bare(word),
        };
        assert_eq!(
            cond("[[ ! ( a < b ) || -d x &&\n y ]]"),
            CondExpr::Or(
                Box::new(CondExpr::Not(Box::new(CondExpr::Binary {
                    op: "<".into(),
                    left: bare("a"),
                    right: bare("b"),
                }))),
                Box::new(CondExpr::And(
                    Box::new(unary("-d", "x")),
                    Box::new(unary("-n", "y"))
                )),
            )
        );
        for text in [
            "if [[ -f x ]]; then :; fi",
            "while ! [[ -f x ]]; do :; done",
            "[[ a ]] > /dev/null && [[ b ]]",
            "[[ \"x$(<f)\" != \"x\" ]]",
            "[[ a == b\n]]",
        ] {
            ok(text);
        }
        // Where no command starts, `[[` is a word like another.
        assert_eq!(words(&ok("echo [[ a")), [vec!["echo", "[[", "a"]]);
    }

    #[test]
    fn conditional_errors_are_bashs() {
        for (text, message) in [
            ("[[ a b ]]", "conditional binary operator expected"),
            ("[[ a \"==\" a ]]", "conditional binary operator expected"),
            (
                "[[ a == ]]",
                "unexpected argument `]]' to conditional binary operator",
            ),
            (
                "[[ -d ]]",
                "unexpected argument `]]' to conditional unary operator",
            ),
            ("[[ ( a ]]", "unexpected token `]]', expected `)'"),
            ("[[ a == b c ]]", "syntax error in conditional expression"),
            (
                "[[ a == b ) ]]",
                "syntax error in conditional expression: unexpected token `)'",
            ),
            ("[[ ]]", "unexpected token `]]' in conditional command"),
            ("[[ && a ]]", "unexpected token `&&' in conditional command"),
            (
                "[[ a|b ]]",
                "unexpected token `|', conditional binary operator expected",
            ),
            (
                "[[ a\n]]",
                "unexpected token `newline', conditional binary operator expected",
            ),
            (
                "[[ a",
                "unexpected token `newline', conditional binary operator expected",
            ),
            ("[[ a ]] ]]", "syntax error near unexpected token `]]'"),
        ] {
            assert_eq!(
                parse(text, false),
                Err(Problem::Syntax(message.into())),
                "{text:?}"
            );
        }
        for text in ["[[", "[[ a &&", "[[ a == b", "[[ ! (", "[[ a =~ (b"] {
            assert!(
                matches!(parse(text, false), Err(Problem::Incomplete(_))),
                "{text:?}"
            );
        }
    }

    #[test]
    fn array_subscripts() {
        let param = |text: &str| match ok(text).items.remove(0).list.first.commands.remove(0) {
            Command::Simple(mut s) => s.words.remove(1).0.remove(0),
            other => panic!("{other:?}"),
        };
        let Part::Param { name, index, .. } = param("echo ${BASH_REMATCH[1+$i]}") else {
            panic!()
        };
        assert_eq!(name, "BASH_REMATCH");
        assert!(
            matches!(index, Some(Subscript::Element(w)) if w.0.iter().any(|p| matches!(p, Part::Param { .. })))
        );
        assert!(matches!(
            param("echo ${#a[@]}"),
            Part::Param { name, index: Some(Subscript::Each), .. } if name == "#a"
        ));
        assert_eq!(
            parse("echo ${a[]}", false),
            Err(Problem::Syntax("a[]: bad array subscript".into()))
        );
        assert!(matches!(
            parse("echo ${a[1", false),
            Err(Problem::Incomplete(_))
        ));
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
