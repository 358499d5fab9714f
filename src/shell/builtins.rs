//! The builtins every shell has: `echo`, `printf`, `true`, `false`, `:`,
//! `exit`, `break`, `continue`, `export`, `unset`, `set`, `cd`, `pwd` and
//! `test`/`[` (`exec`, which runs a command, is in `run.rs`).

use super::run::{Flow, Options, Shell};
use super::{absolute_path, Host, Sink};

/// Runs `name` if it is a builtin; None otherwise.
pub(super) fn run(
    shell: &mut Shell,
    host: &mut dyn Host,
    name: &str,
    args: &[String],
    sink: &mut Sink,
) -> Option<Flow> {
    let status = match name {
        "echo" => {
            sink.out(echo(args));
            0
        }
        "printf" => printf(args, sink),
        "true" | ":" => 0,
        "false" => 1,
        "exit" => {
            let code = match args.first() {
                None => shell.status,
                Some(a) => match a.parse::<i64>() {
                    Ok(n) => (n & 0xff) as i32,
                    Err(_) => {
                        sink.err_line(format!(
                            "{}: exit: {a}: numeric argument required",
                            host.shell_name()
                        ));
                        2
                    }
                },
            };
            shell.status = code;
            return Some(Flow::Exit(code));
        }
        "break" | "continue" => {
            return Some(if name == "break" {
                Flow::Break
            } else {
                Flow::Continue
            });
        }
        "export" => {
            for arg in args {
                match arg.split_once('=') {
                    Some((k, v)) => shell.export(k, v),
                    None => {
                        shell.exported.insert(arg.clone());
                    }
                }
            }
            if args.is_empty() {
                for (k, v) in shell.environment() {
                    sink.out(format!("declare -x {k}=\"{v}\"\n"));
                }
            }
            0
        }
        "unset" => {
            for arg in args {
                shell.unset(arg);
            }
            0
        }
        "set" => set(shell, host, args, sink),
        "cd" => {
            let home = shell
                .vars
                .get("HOME")
                .cloned()
                .unwrap_or_else(|| "/".to_string());
            let target = args.first().map(String::as_str).unwrap_or(&home);
            let path = absolute_path(&shell.cwd, target);
            if host.list_dir(shell, &path).is_some() {
                shell.cwd = path.clone();
                shell.set("PWD", &path);
                0
            } else {
                sink.err_line(format!(
                    "{}: cd: {target}: No such file or directory",
                    host.shell_name()
                ));
                1
            }
        }
        "pwd" => {
            sink.out(format!("{}\n", shell.cwd));
            0
        }
        "test" | "[" => {
            let mut args = args.to_vec();
            if name == "[" {
                if args.last().map(String::as_str) != Some("]") {
                    sink.err_line(format!("{}: [: missing `]'", host.shell_name()));
                    shell.status = 2;
                    return Some(Flow::Next);
                }
                args.pop();
            }
            test(shell, host, &args)
        }
        _ => return None,
    };
    shell.status = status;
    Some(Flow::Next)
}

/// `echo [-n] [-e] ARGS`
fn echo(args: &[String]) -> String {
    let mut newline = true;
    let mut escapes = false;
    let mut rest = args;
    while let Some(flag) = rest
        .first()
        .filter(|a| a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "neE".contains(c)))
    {
        for c in flag[1..].chars() {
            match c {
                'n' => newline = false,
                'e' => escapes = true,
                _ => escapes = false,
            }
        }
        rest = &rest[1..];
    }
    let mut text = rest.join(" ");
    if escapes {
        text = unescape(&text);
    }
    if newline {
        text.push('\n');
    }
    text
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `printf FORMAT ARGS`: `%s`, `%d`, `%%` and backslash escapes, reusing the format for extra arguments.
fn printf(args: &[String], sink: &mut Sink) -> i32 {
    let Some((format, mut rest)) = args.split_first() else {
        sink.err_line("printf: usage: printf format [arguments]");
        return 2;
    };
    let format = unescape(format);
    let mut out = String::new();
    loop {
        let mut chars = format.chars().peekable();
        let mut used = 0;
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => out.push('%'),
                Some(spec @ ('s' | 'd' | 'i')) => {
                    let value = rest.get(used).cloned().unwrap_or_default();
                    used += 1;
                    if spec == 's' {
                        out.push_str(&value);
                    } else {
                        out.push_str(&value.trim().parse::<i64>().unwrap_or(0).to_string());
                    }
                }
                Some(other) => {
                    out.push('%');
                    out.push(other);
                }
                None => out.push('%'),
            }
        }
        if used == 0 || used >= rest.len() {
            break;
        }
        rest = &rest[used..];
    }
    sink.out(out);
    0
}

/// The file tests `test` and `[[` share. The playground keeps no modes or
/// owners: what exists is readable and writable, and only directories are
/// executable (searchable).
pub(super) const FILE_TESTS: [&str; 8] = ["-a", "-e", "-f", "-d", "-s", "-r", "-w", "-x"];

pub(super) fn file_test(shell: &mut Shell, host: &mut dyn Host, op: &str, path: &str) -> bool {
    let path = absolute_path(&shell.cwd, path);
    let is_dir = host.list_dir(shell, &path).is_some();
    let file = host.read_file(shell, &path).ok();
    match op {
        "-d" | "-x" => is_dir,
        "-f" => file.is_some(),
        "-s" => file.is_some_and(|f| !f.is_empty()) || is_dir,
        _ => is_dir || file.is_some(),
    }
}

/// `-eq`, `-ne`, `-lt`, `-le`, `-gt` or `-ge`, for `test` and `[[`.
pub(super) fn compare(op: &str, a: i64, b: i64) -> bool {
    match op {
        "-eq" => a == b,
        "-ne" => a != b,
        "-lt" => a < b,
        "-le" => a <= b,
        "-gt" => a > b,
        _ => a >= b,
    }
}

/// `set [-+eux] [-+o NAME]… [--] [ARG…]`: options, then the positional
/// parameters when arguments follow them; alone, the variables.
fn set(shell: &mut Shell, host: &mut dyn Host, args: &[String], sink: &mut Sink) -> i32 {
    if args.is_empty() {
        for line in shell.listing() {
            sink.out(format!("{line}\n"));
        }
        return 0;
    }
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let on = arg.starts_with('-');
        let letters = match arg.strip_prefix(['-', '+']) {
            Some("-") if on => return positional(shell, rest.as_slice()),
            Some(letters) if !letters.is_empty() => letters,
            _ => return positional(shell, &args[args.len() - rest.len() - 1..]),
        };
        for letter in letters.chars() {
            let name = match letter {
                'o' => match rest.next() {
                    Some(name) => name.as_str(),
                    None => {
                        for name in Options::NAMES {
                            let state = if shell.options.is_on(name) {
                                "on"
                            } else {
                                "off"
                            };
                            sink.out(format!("{name:<15}\t{state}\n"));
                        }
                        continue;
                    }
                },
                _ => match OPTION_LETTERS.iter().find(|(l, _)| *l == letter) {
                    Some((_, name)) => name,
                    None => {
                        sink.err_line(format!("{}: set: -{letter}: invalid option\nset: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]", host.shell_name()));
                        return 2;
                    }
                },
            };
            if let Err(status) = set_option(shell, host, name, on, sink) {
                return status;
            }
        }
    }
    0
}

/// bash's options that have a letter, with their `set -o` names.
const OPTION_LETTERS: [(char, &str); 19] = [
    ('a', "allexport"),
    ('b', "notify"),
    ('e', "errexit"),
    ('f', "noglob"),
    ('h', "hashall"),
    ('k', "keyword"),
    ('m', "monitor"),
    ('n', "noexec"),
    ('p', "privileged"),
    ('t', "onecmd"),
    ('u', "nounset"),
    ('v', "verbose"),
    ('x', "xtrace"),
    ('B', "braceexpand"),
    ('C', "noclobber"),
    ('E', "errtrace"),
    ('H', "histexpand"),
    ('P', "physical"),
    ('T', "functrace"),
];

/// bash's options that only have a name.
const OPTION_NAMES: [&str; 8] = [
    "emacs",
    "history",
    "ignoreeof",
    "interactive-comments",
    "nolog",
    "pipefail",
    "posix",
    "vi",
];

fn set_option(
    shell: &mut Shell,
    host: &mut dyn Host,
    name: &str,
    on: bool,
    sink: &mut Sink,
) -> Result<(), i32> {
    if let Some(option) = shell.options.named(name) {
        *option = on;
        return Ok(());
    }
    let known = OPTION_LETTERS.iter().any(|(_, n)| *n == name) || OPTION_NAMES.contains(&name);
    let problem = if known {
        "not simulated in the playground (it has errexit, nounset, pipefail and xtrace)"
    } else {
        "invalid option name"
    };
    sink.err_line(format!("{}: set: {name}: {problem}", host.shell_name()));
    Err(1)
}

/// `set -- ARG…`: the new `$1`, `$2`…
fn positional(shell: &mut Shell, args: &[String]) -> i32 {
    shell.args.truncate(1);
    shell.args.extend(args.iter().cloned());
    0
}

/// `test` / `[`: strings, integers and file tests.
fn test(shell: &mut Shell, host: &mut dyn Host, args: &[String]) -> i32 {
    let truth = |b: bool| i32::from(!b);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => 1,
        ["!", rest @ ..] => {
            let rest: Vec<String> = rest.iter().map(|s| s.to_string()).collect();
            truth(test(shell, host, &rest) != 0)
        }
        [s] => truth(!s.is_empty()),
        ["-n", s] => truth(!s.is_empty()),
        ["-z", s] => truth(s.is_empty()),
        [op, path] if FILE_TESTS.contains(op) => truth(file_test(shell, host, op, path)),
        [a, "=" | "==", b] => truth(a == b),
        [a, "!=", b] => truth(a != b),
        [a, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), b] => {
            match (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
                (Ok(a), Ok(b)) => truth(compare(op, a, b)),
                _ => 2,
            }
        }
        _ => 2,
    }
}
