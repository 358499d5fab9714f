//! `sed` for what tutorials type: `s/RE/REPLACEMENT/[gI]` commands (several
//! with `-e` or `;`), on stdin or files, in place with `-i`. That is also
//! how a transcript edits an object: `KUBE_EDITOR='sed -i s/…/…/' kubectl edit`.
//! Other sed commands are refused with a message, never half-done.

use super::regex::{Options, Regex};
use super::{Host, Shell, Sink};

struct Substitute {
    regex: Regex,
    replacement: Vec<char>,
    global: bool,
}

/// Runs `sed ARGS`; returns its exit status.
pub fn run(
    shell: &Shell,
    host: &mut dyn Host,
    args: &[String],
    stdin: Option<String>,
    sink: &mut Sink,
) -> i32 {
    let mut in_place = false;
    let mut extended = false;
    let mut scripts = Vec::new();
    let mut operands = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-i" | "--in-place" => in_place = true,
            "-E" | "-r" | "--regexp-extended" => extended = true,
            "-e" => match iter.next() {
                Some(script) => scripts.push(script.clone()),
                None => {
                    sink.err_line("sed: option requires an argument -- 'e'\nUsage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...");
                    return 1;
                }
            },
            flag if flag.starts_with("--expression=") => {
                scripts.push(flag["--expression=".len()..].to_string())
            }
            flag if flag.starts_with("-i") || flag.starts_with("--in-place=") => {
                sink.err_line(format!(
                    "sed: {flag}: backup suffixes are not simulated; use -i alone"
                ));
                return 1;
            }
            flag if flag.starts_with('-') && flag.len() > 1 => {
                sink.err_line(format!(
                    "sed: {flag}: this playground's sed takes -i, -e and -E only"
                ));
                return 1;
            }
            _ => operands.push(arg.clone()),
        }
    }
    if scripts.is_empty() {
        if operands.is_empty() {
            sink.err_line(
                "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...",
            );
            return 1;
        }
        scripts.push(operands.remove(0));
    }
    let mut commands = Vec::new();
    for (n, script) in scripts.iter().enumerate() {
        match parse(script, extended) {
            Ok(mut parsed) => commands.append(&mut parsed),
            Err(err) => {
                sink.err_line(format!("sed: -e expression #{}, {err}", n + 1));
                return 1;
            }
        }
    }
    if in_place && operands.is_empty() {
        sink.err_line("sed: no input files");
        return 1;
    }
    if operands.is_empty() {
        sink.out(edit(&commands, stdin.as_deref().unwrap_or("")));
        return 0;
    }
    let mut status = 0;
    for path in &operands {
        let text = match host.read_file(shell, path) {
            Ok(text) => text,
            Err(err) => {
                sink.err_line(format!("sed: can't read {path}: {err}"));
                status = 2;
                continue;
            }
        };
        let edited = edit(&commands, &text);
        if in_place {
            if let Err(err) = host.write_file(shell, path, &edited, false) {
                sink.err_line(format!("sed: couldn't open file {path}: {err}"));
                status = 4;
            }
        } else {
            sink.out(edited);
        }
    }
    status
}

/// Applies the commands to each line.
fn edit(commands: &[Substitute], text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let (body, newline) = match line.strip_suffix('\n') {
                Some(body) => (body, "\n"),
                None => (line, ""),
            };
            let mut chars: Vec<char> = body.chars().collect();
            for command in commands {
                chars = substitute(command, &chars);
            }
            let mut out: String = chars.into_iter().collect();
            out.push_str(newline);
            out
        })
        .collect()
}

fn substitute(command: &Substitute, line: &[char]) -> Vec<char> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(spans) = command.regex.captures(line, pos) {
        let Some((start, end)) = spans[0] else { break };
        out.extend_from_slice(&line[pos..start]);
        let group = |n: usize| {
            spans
                .get(n)
                .copied()
                .flatten()
                .map_or(&[][..], |(a, b)| &line[a..b])
        };
        let mut chars = command.replacement.iter();
        while let Some(&c) = chars.next() {
            match c {
                '&' => out.extend_from_slice(group(0)),
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(&digit @ '0'..='9') => {
                        out.extend_from_slice(group(digit as usize - '0' as usize))
                    }
                    Some(&other) => out.push(other),
                    None => out.push('\\'),
                },
                other => out.push(other),
            }
        }
        if end == start {
            // An empty match: keep the next character and look after it.
            if let Some(&c) = line.get(end) {
                out.push(c);
            }
            pos = end + 1;
        } else {
            pos = end;
        }
        if !command.global || pos > line.len() {
            break;
        }
    }
    if pos <= line.len() {
        out.extend_from_slice(&line[pos..]);
    }
    out
}

/// Parses a script of `s` commands separated by `;` or newlines.
fn parse(script: &str, extended: bool) -> Result<Vec<Substitute>, String> {
    let chars: Vec<char> = script.chars().collect();
    let mut commands = Vec::new();
    let mut i = 0;
    loop {
        while chars.get(i).is_some_and(|c| c.is_whitespace() || *c == ';') {
            i += 1;
        }
        let Some(&command) = chars.get(i) else {
            return Ok(commands);
        };
        if command != 's' {
            return Err(format!(
                "char {}: `{command}' is not simulated: this playground's sed runs s/…/…/ commands only",
                i + 1
            ));
        }
        let Some(&delimiter) = chars.get(i + 1) else {
            return Err(format!("char {}: unterminated `s' command", i + 1));
        };
        i += 2;
        let pattern: String = part(&chars, &mut i, delimiter)?;
        let replacement: Vec<char> = part(&chars, &mut i, delimiter)?;
        let (mut global, mut ignore_case) = (false, false);
        while let Some(&flag) = chars.get(i) {
            match flag {
                'g' => global = true,
                'I' | 'i' => ignore_case = true,
                ';' | '\n' | ' ' => break,
                other => return Err(format!("char {}: unknown option to `s' ({other})", i + 1)),
            }
            i += 1;
        }
        let syntax = Options {
            extended,
            ignore_case,
            ..Options::default()
        };
        let regex = Regex::new(&pattern, syntax).map_err(|err| format!("char {i}: {err}"))?;
        if let Some(n) = references(&replacement).find(|n| *n > regex.groups()) {
            return Err(format!(
                "char {i}: invalid reference \\{n} on `s' command's RHS"
            ));
        }
        commands.push(Substitute {
            regex,
            replacement,
            global,
        });
    }
}

/// The groups a replacement names (`\\1`…`\\9`).
fn references(replacement: &[char]) -> impl Iterator<Item = usize> + '_ {
    let mut escaped = false;
    replacement.iter().filter_map(move |c| {
        let after_backslash = escaped;
        escaped = !escaped && *c == '\\';
        after_backslash
            .then(|| c.to_digit(10))
            .flatten()
            .map(|n| n as usize)
    })
}

/// One delimited part of an `s` command; `\` before the delimiter makes it literal.
fn part<T: FromIterator<char>>(
    chars: &[char],
    i: &mut usize,
    delimiter: char,
) -> Result<T, String> {
    let mut out = Vec::new();
    while let Some(&c) = chars.get(*i) {
        *i += 1;
        if c == delimiter {
            return Ok(out.into_iter().collect());
        }
        if c == '\\' && chars.get(*i) == Some(&delimiter) {
            out.push(delimiter);
            *i += 1;
        } else if c == '\\' {
            out.push('\\');
            if let Some(&next) = chars.get(*i) {
                out.push(next);
                *i += 1;
            }
        } else {
            out.push(c);
        }
    }
    Err(format!("char {}: unterminated `s' command", chars.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sed(script: &str, input: &str) -> Result<String, String> {
        parse(script, false).map(|commands| edit(&commands, input))
    }

    #[test]
    fn substitutes_first_or_every_match() {
        assert_eq!(sed("s/a/b/", "aaa\na\n"), Ok("baa\nb\n".into()));
        assert_eq!(sed("s/a/b/g", "aaa\n"), Ok("bbb\n".into()));
        assert_eq!(
            sed("s/replicas: 2/replicas: 3/", "  replicas: 2\n"),
            Ok("  replicas: 3\n".into())
        );
        assert_eq!(
            sed("s|0.21|0.24|;s/web/db/", "web:0.21"),
            Ok("db:0.24".into())
        );
        assert_eq!(sed("s/^ *//", "   x\n"), Ok("x\n".into()));
        assert_eq!(sed("s/x*/-/g", "abc"), Ok("-a-b-c-".into()));
        assert_eq!(sed(r"s/[0-9][0-9]*/<&>/g", "a1b22"), Ok("a<1>b<22>".into()));
        assert_eq!(sed(r"s/\//:/g", "a/b"), Ok("a:b".into()));
        assert_eq!(sed("s/WEB/x/I", "web"), Ok("x".into()));
        assert_eq!(
            sed(r"s/\([a-z]*\)-\([0-9]\)/\2:\1/g", "web-0 db-1"),
            Ok("0:web 1:db".into())
        );
        assert_eq!(
            parse(r"s/^(.*)\.(yaml|yml)$/\1/", true).map(|c| edit(&c, "web.yaml\n")),
            Ok("web\n".into())
        );
    }

    #[test]
    fn other_commands_are_refused_clearly() {
        assert!(sed("/web/d", "")
            .unwrap_err()
            .contains("s/…/…/ commands only"));
        assert_eq!(
            sed(r"s/\(a\)/\2/", "").unwrap_err(),
            "char 11: invalid reference \\2 on `s' command's RHS"
        );
        assert_eq!(
            sed(r"s/\(a/x/", "").unwrap_err(),
            "char 8: Unmatched ( or \\("
        );
        assert!(sed("s/a/b", "").unwrap_err().contains("unterminated"));
        assert!(sed("s/a/b/q", "").unwrap_err().contains("unknown option"));
    }
}
