//! `$((…))`: integer arithmetic with variables, as bash evaluates it
//! (64-bit, wrapping; `/` and `%` by zero are errors).

/// Evaluates `expr`; names are looked up with `var` (unset or non-numeric is 0).
pub fn eval(expr: &str, var: &dyn Fn(&str) -> Option<String>) -> Result<i64, String> {
    let tokens = tokenize(expr)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        var,
        depth: 0,
        source: expr.trim(),
    };
    if parser.tokens.is_empty() {
        return Ok(0);
    }
    let value = parser.binary(0)?;
    match parser.tokens.get(parser.pos) {
        None => Ok(value),
        Some(tok) => Err(format!(
            "{expr}: syntax error in expression (error token is \"{}\")",
            tok.text()
        )),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(i64),
    Name(String),
    Op(&'static str),
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Num(n) => n.to_string(),
            Tok::Name(n) => n.clone(),
            Tok::Op(o) => o.to_string(),
        }
    }
}

const OPS: [&str; 19] = [
    "<=", ">=", "==", "!=", "&&", "||", "+", "-", "*", "/", "%", "(", ")", "<", ">", "!", "?", ":",
    "~",
];

fn tokenize(expr: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let value = text.parse::<i64>().map_err(|_| {
                format!("{expr}: value too great for base (error token is \"{text}\")")
            })?;
            tokens.push(Tok::Num(value));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Tok::Name(chars[start..i].iter().collect()));
        } else {
            let rest: String = chars[i..].iter().take(2).collect();
            let Some(op) = OPS.iter().find(|op| rest.starts_with(**op)) else {
                return Err(format!(
                    "{expr}: syntax error: operand expected (error token is \"{}\")",
                    chars[i..].iter().collect::<String>()
                ));
            };
            i += op.len();
            tokens.push(Tok::Op(op));
        }
    }
    Ok(tokens)
}

struct Parser<'a> {
    /// The expression as written, for error messages.
    source: &'a str,
    tokens: Vec<Tok>,
    pos: usize,
    var: &'a dyn Fn(&str) -> Option<String>,
    depth: usize,
}

/// Binary operators by precedence, lowest first.
const LEVELS: [&[&str]; 6] = [
    &["||"],
    &["&&"],
    &["==", "!="],
    &["<", ">", "<=", ">="],
    &["+", "-"],
    &["*", "/", "%"],
];

impl Parser<'_> {
    fn binary(&mut self, level: usize) -> Result<i64, String> {
        let Some(ops) = LEVELS.get(level) else {
            return self.unary();
        };
        let mut left = self.binary(level + 1)?;
        while let Some(Tok::Op(op)) = self.tokens.get(self.pos).cloned() {
            if !ops.contains(&op) {
                break;
            }
            self.pos += 1;
            let right = self.binary(level + 1)?;
            left = match op {
                "||" => i64::from(left != 0 || right != 0),
                "&&" => i64::from(left != 0 && right != 0),
                "==" => i64::from(left == right),
                "!=" => i64::from(left != right),
                "<" => i64::from(left < right),
                ">" => i64::from(left > right),
                "<=" => i64::from(left <= right),
                ">=" => i64::from(left >= right),
                "+" => left.wrapping_add(right),
                "-" => left.wrapping_sub(right),
                "*" => left.wrapping_mul(right),
                _ if right == 0 => {
                    return Err(format!(
                        "{}: division by 0 (error token is \"{}\")",
                        self.source,
                        self.tokens
                            .get(self.pos.saturating_sub(1))
                            .map(Tok::text)
                            .unwrap_or_default()
                    ))
                }
                "/" => left.wrapping_div(right),
                _ => left.wrapping_rem(right),
            };
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression nested too deeply".to_string());
        }
        let tok = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        let value = match tok {
            Some(Tok::Num(n)) => n,
            Some(Tok::Name(name)) => (self.var)(&name)
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0),
            Some(Tok::Op("-")) => self.unary()?.wrapping_neg(),
            Some(Tok::Op("+")) => self.unary()?,
            Some(Tok::Op("!")) => i64::from(self.unary()? == 0),
            Some(Tok::Op("~")) => !self.unary()?,
            Some(Tok::Op("(")) => {
                let value = self.binary(0)?;
                if self.tokens.get(self.pos) != Some(&Tok::Op(")")) {
                    return Err("missing `)'".to_string());
                }
                self.pos += 1;
                value
            }
            Some(tok) => {
                return Err(format!(
                    "syntax error: operand expected (error token is \"{}\")",
                    tok.text()
                ))
            }
            None => return Err("syntax error: operand expected".to_string()),
        };
        self.depth -= 1;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calc(expr: &str) -> Result<i64, String> {
        eval(expr, &|name| (name == "i").then(|| "4".to_string()))
    }

    #[test]
    fn arithmetic() {
        assert_eq!(calc("i + 1"), Ok(5));
        assert_eq!(calc("2 * (3 + i) % 5"), Ok(4));
        assert_eq!(calc("-i < 0 && 1"), Ok(1));
        assert_eq!(calc("unset + 2"), Ok(2));
        assert!(calc("1 / 0").unwrap_err().contains("division by 0"));
        assert!(calc("1 +").is_err());
        assert!(calc(&"(".repeat(500)).is_err());
    }
}
