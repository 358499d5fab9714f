//! Splitting a terminal line into words as a POSIX shell does: single and
//! double quotes, backslash escapes, and `;`, `&&`, `||` between commands.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Joiner {
    /// `;` or end of line: always run the next command.
    Then,
    /// `&&`: run the next command only if this one succeeded.
    And,
    /// `||`: run the next command only if this one failed.
    Or,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<String>,
    /// How this command connects to the one after it.
    pub then: Joiner,
}

/// Splits a line into commands and words, or explains what is unbalanced.
pub fn parse(line: &str) -> Result<Vec<Command>, String> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let finish = |words: &mut Vec<String>, word: &mut String, in_word: &mut bool| {
        if *in_word {
            words.push(std::mem::take(word));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => word.push(ch),
                        None => {
                            return Err("unexpected EOF while looking for matching `''".to_string())
                        }
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => word.push(ch),
                            Some(ch) => {
                                word.push('\\');
                                word.push(ch);
                            }
                            None => {
                                return Err(
                                    "unexpected EOF while looking for matching `\"'".to_string()
                                )
                            }
                        },
                        Some(ch) => word.push(ch),
                        None => {
                            return Err("unexpected EOF while looking for matching `\"'".to_string())
                        }
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    word.push(ch);
                }
            }
            '#' if !in_word => break,
            ';' | '&' | '|' => {
                finish(&mut words, &mut word, &mut in_word);
                let then = match (c, chars.peek()) {
                    ('&', Some('&')) => {
                        chars.next();
                        Joiner::And
                    }
                    ('|', Some('|')) => {
                        chars.next();
                        Joiner::Or
                    }
                    (';', _) => Joiner::Then,
                    (other, _) => return Err(format!("syntax error near unexpected token `{other}': pipes and background jobs are not supported here")),
                };
                if words.is_empty() {
                    return Err(format!(
                        "syntax error near unexpected token `{}'",
                        match then {
                            Joiner::And => "&&",
                            Joiner::Or => "||",
                            Joiner::Then => ";",
                        }
                    ));
                }
                commands.push(Command {
                    words: std::mem::take(&mut words),
                    then,
                });
            }
            c if c.is_whitespace() => finish(&mut words, &mut word, &mut in_word),
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    finish(&mut words, &mut word, &mut in_word);
    if !words.is_empty() {
        commands.push(Command {
            words,
            then: Joiner::Then,
        });
    }
    Ok(commands)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<Vec<String>> {
        parse(line).unwrap().into_iter().map(|c| c.words).collect()
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(
            words(r#"kubectl patch sts web -p '{"spec":{"replicas":3}}'"#)[0][5],
            r#"{"spec":{"replicas":3}}"#
        );
        assert_eq!(words(r#"echo "a b" c\ d"#), [vec!["echo", "a b", "c d"]]);
    }

    #[test]
    fn command_lists() {
        let commands = parse("kubectl get pods && echo ok; echo done").unwrap();
        assert_eq!(commands.len(), 3);
        assert_eq!(commands[0].then, Joiner::And);
    }

    #[test]
    fn unbalanced_quotes_are_errors() {
        assert!(parse("echo 'abc").unwrap_err().contains("matching"));
        assert!(parse("&& ls").is_err());
    }
}
