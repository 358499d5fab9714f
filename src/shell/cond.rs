//! `[[ … ]]`, bash's conditional command. Its words are expanded without
//! splitting or globbing; the right side of `==` and `!=` is a pattern and
//! that of `=~` an extended regular expression, in which quoted parts match
//! themselves. A match of `=~` fills the array BASH_REMATCH.

use super::ast::CondExpr;
use super::builtins::{compare, file_test, FILE_TESTS};
use super::regex::{self, Options, Regex};
use super::run::{trace, Flow, Shell};
use super::{absolute_path, arith, expand, Host, Sink};

/// Why a test ends before it has an answer.
enum Stop {
    /// With this status, its message written.
    Status(i32),
    /// An expansion ended the run.
    Flow(Flow),
}

impl From<Flow> for Stop {
    fn from(flow: Flow) -> Stop {
        Stop::Flow(flow)
    }
}

/// Runs `[[ expr ]]`: status 0 when it holds, 1 when not, 2 for an operator
/// that cannot answer.
pub(super) fn run(
    shell: &mut Shell,
    host: &mut dyn Host,
    expr: &CondExpr,
    sink: &mut Sink,
) -> Flow {
    match eval(shell, host, expr, false, sink) {
        Ok(holds) => {
            shell.status = i32::from(!holds);
            Flow::Next
        }
        Err(Stop::Status(status)) => {
            shell.status = status;
            Flow::Next
        }
        Err(Stop::Flow(flow)) => flow,
    }
}

/// Evaluates `expr` (`negated`: right after a `!`, which bash's trace shows).
fn eval(
    shell: &mut Shell,
    host: &mut dyn Host,
    expr: &CondExpr,
    negated: bool,
    sink: &mut Sink,
) -> Result<bool, Stop> {
    match expr {
        CondExpr::Not(inner) => Ok(!eval(shell, host, inner, true, sink)?),
        CondExpr::And(a, b) => {
            Ok(eval(shell, host, a, false, sink)? && eval(shell, host, b, false, sink)?)
        }
        CondExpr::Or(a, b) => {
            Ok(eval(shell, host, a, false, sink)? || eval(shell, host, b, false, sink)?)
        }
        CondExpr::Unary { op, operand } => {
            let operand = expand::word(shell, host, operand, sink)?;
            trace_term(shell, sink, negated, &[op, &operand]);
            unary(shell, host, op, &operand, sink)
        }
        CondExpr::Binary { op, left, right } => {
            let left = expand::word(shell, host, left, sink)?;
            let right = match op.as_str() {
                "==" | "=" | "!=" => expand::pattern(shell, host, right, sink, escape_all)?,
                "=~" => expand::pattern(shell, host, right, sink, escape_regex)?,
                _ => expand::word(shell, host, right, sink)?,
            };
            trace_term(shell, sink, negated, &[&left, op, &right]);
            binary(shell, host, op, &left, &right, sink)
        }
    }
}

/// `set -x` shows each test as it is made, an empty word as `''`.
fn trace_term(shell: &Shell, sink: &mut Sink, negated: bool, words: &[&str]) {
    trace(shell, sink, || {
        let words: Vec<&str> = words
            .iter()
            .map(|w| if w.is_empty() { "''" } else { w })
            .collect();
        let not = if negated { "! " } else { "" };
        format!("[[ {not}{} ]]", words.join(" "))
    });
}

/// Quoted text in a pattern: each character escaped, as bash's trace shows it.
fn escape_all(text: &str) -> String {
    text.chars().flat_map(|c| ['\\', c]).collect()
}

/// Quoted text in a regular expression: its special characters escaped.
fn escape_regex(text: &str) -> String {
    expand::escape(text, "\\.[]()*+?{}|^$")
}

fn unary(
    shell: &mut Shell,
    host: &mut dyn Host,
    op: &str,
    operand: &str,
    sink: &mut Sink,
) -> Result<bool, Stop> {
    Ok(match op {
        "-n" => !operand.is_empty(),
        "-z" => operand.is_empty(),
        "-v" => shell.var(operand).is_some(),
        "-o" => shell.options.is_on(operand),
        _ if FILE_TESTS.contains(&op) => file_test(shell, host, op, operand),
        "-O" | "-G" => return Err(not_simulated(host, op, "owners", sink)),
        // No file in the playground is a device, pipe, socket or link, has
        // a set-id or sticky bit, or a terminal on its descriptor.
        _ => false,
    })
}

fn binary(
    shell: &mut Shell,
    host: &mut dyn Host,
    op: &str,
    left: &str,
    right: &str,
    sink: &mut Sink,
) -> Result<bool, Stop> {
    let glob = || {
        let pattern: Vec<char> = right.chars().collect();
        let text: Vec<char> = left.chars().collect();
        expand::matches_glob(&pattern, &text)
    };
    Ok(match op {
        "==" | "=" => glob(),
        "!=" => !glob(),
        "<" => left < right,
        ">" => left > right,
        "=~" => return regex_match(shell, host, left, right, sink),
        "-ef" => {
            let (a, b) = (
                absolute_path(&shell.cwd, left),
                absolute_path(&shell.cwd, right),
            );
            a == b && file_test(shell, host, "-e", &a)
        }
        "-nt" | "-ot" => return Err(not_simulated(host, op, "file times", sink)),
        _ => {
            let (a, b) = numbers(shell, host, left, right, sink)?;
            compare(op, a, b)
        }
    })
}

fn not_simulated(host: &mut dyn Host, op: &str, what: &str, sink: &mut Sink) -> Stop {
    sink.err_line(format!(
        "{}: [[: {op}: not simulated (the playground keeps no {what})",
        host.shell_name()
    ));
    Stop::Status(2)
}

/// The sides of `-eq`, `-lt`…, which are arithmetic expressions.
fn numbers(
    shell: &Shell,
    host: &mut dyn Host,
    left: &str,
    right: &str,
    sink: &mut Sink,
) -> Result<(i64, i64), Stop> {
    let lookup = |name: &str| shell.var(name);
    let values = arith::eval(left, &lookup).and_then(|a| Ok((a, arith::eval(right, &lookup)?)));
    values.map_err(|message| {
        sink.err_line(format!("{}: [[: {message}", host.shell_name()));
        Stop::Status(1)
    })
}

/// `=~`: bash only (BusyBox's `[[` is its `test`, which has no such operand).
fn regex_match(
    shell: &mut Shell,
    host: &mut dyn Host,
    text: &str,
    pattern: &str,
    sink: &mut Sink,
) -> Result<bool, Stop> {
    if host.shell_name() != "bash" {
        sink.err_line(format!("{}: =~: unknown operand", host.shell_name()));
        return Err(Stop::Status(2));
    }
    let options = Options {
        extended: true,
        ..Options::default()
    };
    let regex = Regex::new(pattern, options).map_err(|problem| {
        // bash says nothing of a pattern regcomp refuses; what the
        // playground lacks it says.
        if problem == regex::BACK_REFERENCES {
            sink.err_line(format!("{}: [[: {problem}", host.shell_name()));
        }
        Stop::Status(2)
    })?;
    let chars: Vec<char> = text.chars().collect();
    let spans = regex.captures(&chars, 0);
    let groups = spans
        .iter()
        .flatten()
        .map(|span| span.map_or(String::new(), |(a, b)| chars[a..b].iter().collect()))
        .collect();
    shell.set_array("BASH_REMATCH", groups);
    Ok(spans.is_some())
}

#[cfg(test)]
mod tests {
    use crate::shell::run::tests::run_in;

    /// The status of `[[ … ]]` and what it wrote to stderr.
    fn test(line: &str) -> (i32, String) {
        let (_, err, status, _) = run_in("bash", &[("/etc/hosts", "x"), ("/empty", "")], line);
        (status, err)
    }

    fn holds(line: &str) -> bool {
        test(line) == (0, String::new())
    }

    fn fails(line: &str) -> bool {
        test(line) == (1, String::new())
    }

    #[test]
    fn patterns_match_unless_quoted() {
        assert!(holds("[[ abc == a* ]]") && holds("[[ abc = a?c ]]"));
        assert!(fails(r#"[[ abc == "a*" ]]"#) && holds(r#"[[ 'a*' == "a*" ]]"#));
        assert!(holds("p='a*'; [[ abc == $p ]]") && fails(r#"p='a*'; [[ abc == "$p" ]]"#));
        assert!(holds("[[ a/b != a ]]") && holds("[[ a/b == * ]]"));
        assert!(holds("x='a  b'; [[ $x == 'a  b' ]]"));
    }

    #[test]
    fn regexes_fill_bash_rematch() {
        assert!(holds(r#"[[ a.b =~ "a.b" ]]"#) && fails(r#"[[ axb =~ "a.b" ]]"#));
        assert!(holds("[[ axb =~ a.b ]]") && fails(r#"[[ axb =~ a"."b ]]"#));
        // A backslash quotes as quotes do: `\1` is a `1`.
        assert!(holds(r"[[ a1 =~ (a)\1 ]]"));
        let (out, _, _, _) = run_in(
            "bash",
            &[],
            "[[ web-3.nginx =~ ^([a-z]+)-([0-9]+)(x)?\\. ]]; echo \"$? ${BASH_REMATCH[*]}|${BASH_REMATCH[3]}|\"\n\
             [[ a =~ b ]]; echo \"$? ${#BASH_REMATCH[@]}\"",
        );
        assert_eq!(out, "0 web-3. web 3 ||\n1 0\n");
        // regcomp's refusal is status 2 without a word; what the playground lacks it says.
        assert_eq!(test("re='('; [[ a =~ $re ]]"), (2, String::new()));
        assert_eq!(
            test(r"re='(a)\1'; [[ aa =~ $re ]]"),
            (
                2,
                "bash: [[: back-references (\\1…\\9) are not simulated in the playground\n".into()
            )
        );
    }

    #[test]
    fn numbers_strings_files_and_logic() {
        assert!(holds("x=3; [[ x+1 -eq 4 && $x -lt 10 && 010 -gt 7 ]]"));
        assert!(holds("[[ '' -eq 0 ]] && [[ b > a ]] && [[ a < b ]]"));
        assert_eq!(
            test("[[ 1 -eq 1/0 ]]"),
            (
                1,
                "bash: [[: 1/0: division by 0 (error token is \"0\")\n".into()
            )
        );
        assert!(holds(
            "[[ -f /etc/hosts && -d /etc && -e / && -s /etc/hosts && -x /etc ]]"
        ));
        assert!(fails("[[ -s /empty ]]") && fails("[[ -x /etc/hosts ]]") && fails("[[ -L /etc ]]"));
        assert!(holds("[[ /etc/../etc/hosts -ef /etc/hosts ]]"));
        assert!(holds("x=; [[ -v x && ! -v y && -z $x && -n a ]]"));
        assert!(holds(
            "set -o xtrace 2>/dev/null; [[ -o xtrace ]] 2>/dev/null"
        ));
        assert!(holds("[[ ! ( a == b || c == d ) && ( x || '' ) ]]"));
        assert!(fails("[[ $(echo) ]]") && holds("[[ \"a b\" ]]"));
        assert_eq!(
            test("[[ a -nt b ]]"),
            (
                2,
                "bash: [[: -nt: not simulated (the playground keeps no file times)\n".into()
            )
        );
    }

    #[test]
    fn the_trace_shows_each_test_made() {
        let (_, err) = test("set -x; [[ ! a == \"b c\" && -n $(echo) || x ]]");
        assert_eq!(
            err,
            "+ [[ ! a == \\b\\ \\c ]]\n++ echo\n+ [[ -n '' ]]\n+ [[ -n x ]]\n"
        );
    }

    #[test]
    fn busybox_ash_has_no_regex_operand() {
        let (_, err, status, _) = run_in("sh", &[], "[[ a =~ a ]]");
        assert_eq!((err.as_str(), status), ("sh: =~: unknown operand\n", 2));
        assert_eq!(run_in("sh", &[], "[[ -n a && a == a ]]").2, 0);
    }
}
