//! The text tools both the terminal and containers have: `cat`, `grep`,
//! `head`, `tail`, `wc`, `sort`, `uniq`, `base64`. They read stdin or files
//! through the host and print what GNU coreutils prints for the common flags.

use super::regex::{Options, Regex};
use super::Sink;

/// Reads a file for a text tool: its contents or the error text ("No such file or directory").
pub type Reader<'a> = dyn FnMut(&str) -> Result<String, String> + 'a;

/// Runs `name` if it is one of the text tools; as BusyBox's applets with
/// `busybox`, which say `can't open 'FILE'` where GNU's tools say `FILE:`
/// (all but grep, which words it as GNU's does).
pub fn run(
    busybox: bool,
    name: &str,
    args: &[String],
    stdin: Option<&str>,
    read: &mut Reader<'_>,
    sink: &mut Sink,
) -> Option<i32> {
    let mut io = ToolIo {
        stdin,
        read,
        sink,
        busybox,
    };
    let status = match name {
        "cat" => cat(args, &mut io),
        "grep" | "egrep" => grep(name, args, &mut io),
        "head" | "tail" => head_tail(name, args, &mut io),
        "wc" => wc(args, &mut io),
        "sort" => sort(args, &mut io),
        "uniq" => uniq(args, &mut io),
        "base64" => base64(args, &mut io),
        _ => return None,
    };
    Some(status)
}

/// What every tool reads from and writes to.
struct ToolIo<'r, 'a> {
    stdin: Option<&'r str>,
    read: &'r mut Reader<'a>,
    sink: &'r mut Sink,
    busybox: bool,
}

/// The tools' names, for help texts.
pub const NAMES: [&str; 8] = [
    "cat", "grep", "head", "tail", "wc", "sort", "uniq", "base64",
];

/// Splits flags (`-n`, `-n5`, `-5`) from operands; `--` ends flags.
fn split_args(args: &[String]) -> (Vec<String>, Vec<String>) {
    let mut flags = Vec::new();
    let mut operands = Vec::new();
    let mut rest = false;
    for arg in args {
        if rest || arg == "-" || !arg.starts_with('-') {
            operands.push(arg.clone());
        } else if arg == "--" {
            rest = true;
        } else {
            flags.push(arg.clone());
        }
    }
    (flags, operands)
}

impl ToolIo<'_, '_> {
    /// The inputs: each named file, or stdin when none (or `-`).
    fn inputs(&mut self, tool: &str, files: &[String]) -> (Vec<(String, String)>, i32) {
        let stdin = self.stdin.unwrap_or_default();
        if files.is_empty() {
            return (vec![(String::new(), stdin.to_string())], 0);
        }
        let mut status = 0;
        let mut out = Vec::new();
        for file in files {
            if file == "-" {
                out.push(("-".to_string(), stdin.to_string()));
                continue;
            }
            match (self.read)(file) {
                Ok(text) => out.push((file.clone(), text)),
                Err(err) => {
                    if self.busybox && tool != "grep" {
                        self.sink
                            .err_line(format!("{tool}: can't open '{file}': {err}"));
                    } else {
                        self.sink.err_line(format!("{tool}: {file}: {err}"));
                    }
                    status = 1;
                }
            }
        }
        (out, status)
    }
}

fn lines(text: &str) -> Vec<&str> {
    text.strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .filter(|_| !text.is_empty())
        .collect()
}

fn cat(args: &[String], io: &mut ToolIo) -> i32 {
    let (flags, files) = split_args(args);
    let number = flags.iter().any(|f| f.contains('n'));
    let (inputs, status) = io.inputs("cat", &files);
    let sink = &mut *io.sink;
    let mut n = 0;
    for (_, text) in inputs {
        if number {
            for line in lines(&text) {
                n += 1;
                sink.out(format!("{n:>6}\t{line}\n"));
            }
        } else {
            sink.out(text);
        }
    }
    status
}

/// The single-letter options this grep knows, besides -e and the context ones
/// (-G, basic expressions, is what it does anyway).
const GREP_FLAGS: &str = "EFGiwvqcnHhl";
/// GNU grep's other options, which this one does not have.
const GREP_ELSEWHERE: &str = "oLrRmPzZbTUaIdDfyuVxs";

/// grep's options: `-A N`/`-AN`/`--after-context=N` (and -B, -C) print
/// lines around each match, with `--` between groups that are apart.
struct GrepOptions {
    flags: String,
    patterns: Vec<String>,
    operands: Vec<String>,
    before: usize,
    after: usize,
}

fn grep_options(args: &[String]) -> Result<GrepOptions, String> {
    let mut options = GrepOptions {
        flags: String::new(),
        patterns: Vec::new(),
        operands: Vec::new(),
        before: 0,
        after: 0,
    };
    let context = |value: Option<&String>, option: &str| -> Result<usize, String> {
        let value = value.ok_or_else(|| format!("option requires an argument -- '{option}'"))?;
        value
            .parse()
            .map_err(|_| format!("{value}: invalid context length argument"))
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if !options.operands.is_empty() || arg.len() < 2 || !arg.starts_with('-') {
            options.operands.push(arg.clone());
            continue;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, value) = long.split_once('=').unzip();
            let name = name.unwrap_or(long);
            let value = value.map(str::to_string);
            let value = value.as_ref().or_else(|| iter.next());
            match name {
                "after-context" => options.after = context(value, "A")?,
                "before-context" => options.before = context(value, "B")?,
                "context" => {
                    options.after = context(value, "C")?;
                    options.before = options.after;
                }
                _ => return Err(format!("unrecognized option '{arg}'")),
            }
            continue;
        }
        let letters: Vec<char> = arg[1..].chars().collect();
        for (i, letter) in letters.iter().enumerate() {
            if matches!(letter, 'A' | 'B' | 'C' | 'e') {
                let rest: String = letters[i + 1..].iter().collect();
                let value = if rest.is_empty() {
                    iter.next().cloned()
                } else {
                    Some(rest)
                };
                match letter {
                    'e' => options
                        .patterns
                        .push(value.ok_or("option requires an argument -- 'e'")?),
                    'A' => options.after = context(value.as_ref(), "A")?,
                    'B' => options.before = context(value.as_ref(), "B")?,
                    _ => {
                        options.after = context(value.as_ref(), "C")?;
                        options.before = options.after;
                    }
                }
                break;
            }
            if GREP_ELSEWHERE.contains(*letter) {
                return Err(format!(
                    "-{letter} is not available in the playground's grep"
                ));
            }
            if !GREP_FLAGS.contains(*letter) {
                return Err(format!("invalid option -- '{letter}'"));
            }
            options.flags.push(*letter);
        }
    }
    if options.patterns.is_empty() && !options.operands.is_empty() {
        options.patterns.push(options.operands.remove(0));
    }
    Ok(options)
}

fn grep(name: &str, args: &[String], io: &mut ToolIo) -> i32 {
    const USAGE: &str =
        "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.";
    let options = match grep_options(args) {
        Ok(options) if !options.patterns.is_empty() => options,
        Ok(_) => {
            io.sink.err_line(USAGE);
            return 2;
        }
        Err(problem) => {
            io.sink.err_line(format!("grep: {problem}\n{USAGE}"));
            return 2;
        }
    };
    let flags = options.flags.as_str();
    let extended = flags.contains('E') || name == "egrep";
    let fixed = flags.contains('F');
    let ignore_case = flags.contains('i');
    let syntax = Options {
        extended,
        fixed,
        ignore_case,
        whole_words: flags.contains('w'),
    };
    let compiled: Result<Vec<Regex>, String> = options
        .patterns
        .iter()
        .map(|p| Regex::new(p, syntax))
        .collect();
    let compiled = match compiled {
        Ok(compiled) => compiled,
        Err(problem) => {
            io.sink.err_line(format!("grep: {problem}"));
            return 2;
        }
    };
    let (inputs, mut status) = io.inputs("grep", &options.operands);
    let sink = &mut *io.sink;
    let many = (inputs.len() > 1 || flags.contains('H')) && !flags.contains('h');
    let mut matched = false;
    // The last line printed (over all files), for the `--` between groups.
    let mut printed_any = false;
    for (file, text) in inputs {
        let file = if file.is_empty() || file == "-" {
            "(standard input)".to_string()
        } else {
            file
        };
        let mut count = 0;
        let all = lines(&text);
        let hits: Vec<bool> = all
            .iter()
            .map(|line| {
                let hit = compiled.iter().any(|re| re.is_match(line));
                hit != flags.contains('v')
            })
            .collect();
        let mut last_shown: Option<usize> = None;
        let mut after_left = 0;
        for (i, line) in all.iter().enumerate() {
            let hit = hits[i];
            if hit {
                count += 1;
                matched = true;
                if flags.contains('q') {
                    return 0;
                }
            }
            if flags.contains('l') {
                continue;
            }
            if flags.contains('c') || flags.contains('l') {
                continue;
            }
            let before_hit = (1..=options.before).any(|d| hits.get(i + d) == Some(&true));
            let shown = hit || after_left > 0 || before_hit;
            after_left = if hit {
                options.after
            } else {
                after_left.saturating_sub(1)
            };
            if !shown {
                continue;
            }
            let contexts = options.before > 0 || options.after > 0;
            let apart = last_shown.map_or(printed_any, |last| i > last + 1);
            if contexts && apart {
                sink.out("--\n".to_string());
            }
            let separator = if hit { ':' } else { '-' };
            let prefix = if many {
                format!("{file}{separator}")
            } else {
                String::new()
            };
            let number = if flags.contains('n') {
                format!("{}{separator}", i + 1)
            } else {
                String::new()
            };
            sink.out(format!("{prefix}{number}{line}\n"));
            last_shown = Some(i);
            printed_any = true;
        }
        if flags.contains('l') {
            if count > 0 {
                sink.out(format!("{file}\n"));
            }
        } else if flags.contains('c') {
            let prefix = if many {
                format!("{file}:")
            } else {
                String::new()
            };
            sink.out(format!("{prefix}{count}\n"));
        }
    }
    if status == 0 && !matched {
        status = 1;
    } else if status != 0 {
        status = 2;
    }
    status
}

fn head_tail(name: &str, args: &[String], io: &mut ToolIo) -> i32 {
    let mut count: usize = 10;
    let mut from_start = false;
    let mut files = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let value = if arg == "-n" {
            iter.next().cloned()
        } else if let Some(v) = arg.strip_prefix("-n") {
            Some(v.to_string())
        } else if arg.len() > 1
            && arg.starts_with('-')
            && arg[1..].chars().all(|c| c.is_ascii_digit())
        {
            Some(arg[1..].to_string())
        } else if arg == "-f" || arg == "-F" {
            io.sink.err_line(format!(
                "{name}: -f follows a file forever; the playground cannot wait on it"
            ));
            return 1;
        } else {
            files.push(arg.clone());
            None
        };
        if let Some(v) = value {
            from_start = v.starts_with('+');
            match v.trim_start_matches('+').parse() {
                Ok(n) => count = n,
                Err(_) => {
                    io.sink
                        .err_line(format!("{name}: invalid number of lines: '{v}'"));
                    return 1;
                }
            }
        }
    }
    let (inputs, status) = io.inputs(name, &files);
    let sink = &mut *io.sink;
    let many = inputs.len() > 1;
    for (i, (file, text)) in inputs.iter().enumerate() {
        if many {
            sink.out(format!("{}==> {file} <==\n", if i > 0 { "\n" } else { "" }));
        }
        let all = lines(text);
        let picked: &[&str] = match (name, from_start) {
            ("head", _) => &all[..count.min(all.len())],
            (_, true) => &all[count.saturating_sub(1).min(all.len())..],
            _ => &all[all.len().saturating_sub(count)..],
        };
        for line in picked {
            sink.out(format!("{line}\n"));
        }
    }
    status
}

fn wc(args: &[String], io: &mut ToolIo) -> i32 {
    let (flags, files) = split_args(args);
    let flags: String = flags.iter().map(|f| f.trim_start_matches('-')).collect();
    let show = |c: char| flags.is_empty() || flags.contains(c);
    let (inputs, status) = io.inputs("wc", &files);
    let sink = &mut *io.sink;
    let mut totals = [0usize; 3];
    let row = |counts: [usize; 3], name: &str| {
        let mut cols = Vec::new();
        for (c, n) in ['l', 'w', 'c'].into_iter().zip(counts) {
            if show(c) {
                cols.push(n);
            }
        }
        let width = if cols.len() == 1 && name.is_empty() {
            0
        } else {
            7
        };
        let mut text: Vec<String> = cols.iter().map(|n| format!("{n:>width$}")).collect();
        if !name.is_empty() {
            text.push(name.to_string());
        }
        format!("{}\n", text.join(" "))
    };
    for (file, text) in &inputs {
        let counts = [
            text.matches('\n').count(),
            text.split_whitespace().count(),
            text.len(),
        ];
        for (t, c) in totals.iter_mut().zip(counts) {
            *t += c;
        }
        sink.out(row(counts, file));
    }
    if inputs.len() > 1 {
        sink.out(row(totals, "total"));
    }
    status
}

fn sort(args: &[String], io: &mut ToolIo) -> i32 {
    let (flags, files) = split_args(args);
    let flags: String = flags.iter().map(|f| f.trim_start_matches('-')).collect();
    let (inputs, status) = io.inputs("sort", &files);
    let sink = &mut *io.sink;
    let mut all: Vec<String> = inputs
        .iter()
        .flat_map(|(_, t)| lines(t))
        .map(str::to_string)
        .collect();
    if flags.contains('n') {
        let key = |s: &str| {
            s.trim()
                .split(|c: char| !c.is_ascii_digit() && c != '-' && c != '.')
                .next()
                .and_then(|n| n.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        all.sort_by(|a, b| key(a).total_cmp(&key(b)).then_with(|| a.cmp(b)));
    } else {
        all.sort();
    }
    if flags.contains('r') {
        all.reverse();
    }
    if flags.contains('u') {
        all.dedup();
    }
    for line in all {
        sink.out(format!("{line}\n"));
    }
    status
}

fn uniq(args: &[String], io: &mut ToolIo) -> i32 {
    let (flags, files) = split_args(args);
    let count = flags.iter().any(|f| f.contains('c'));
    let (inputs, status) = io.inputs("uniq", &files);
    let sink = &mut *io.sink;
    let mut runs: Vec<(usize, String)> = Vec::new();
    for line in inputs.iter().flat_map(|(_, t)| lines(t)) {
        match runs.last_mut() {
            Some((n, last)) if last == line => *n += 1,
            _ => runs.push((1, line.to_string())),
        }
    }
    for (n, line) in runs {
        if count {
            sink.out(format!("{n:>7} {line}\n"));
        } else {
            sink.out(format!("{line}\n"));
        }
    }
    status
}

/// What `base64 --help` prints (GNU coreutils, C locale).
const BASE64_HELP: &str = "Usage: base64 [OPTION]... [FILE]
Base64 encode or decode FILE, or standard input, to standard output.

With no FILE, or when FILE is -, read standard input.

Mandatory arguments to long options are mandatory for short options too.
  -d, --decode          decode data
  -i, --ignore-garbage  when decoding, ignore non-alphabet characters
  -w, --wrap=COLS       wrap encoded lines after COLS character (default 76).
                          Use 0 to disable line wrapping
      --help        display this help and exit
      --version     output version information and exit

The data are encoded as described for the base64 alphabet in RFC 4648.
When decoding, the input may contain newlines in addition to the bytes of
the formal base64 alphabet.  Use --ignore-garbage to attempt to recover
from any other non-alphabet bytes in the encoded stream.

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Report any translation bugs to <https://translationproject.org/team/>
Full documentation <https://www.gnu.org/software/coreutils/base64>
or available locally via: info '(coreutils) base64 invocation'
";

/// What `base64 --version` prints: the release whose decoding this one follows.
const BASE64_VERSION: &str = "base64 (GNU coreutils) 9.8
Copyright (C) 2025 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Simon Josefsson.
";

/// base64's long options, in the order getopt lists them when a prefix is ambiguous.
const BASE64_LONG: [&str; 5] = ["decode", "wrap", "ignore-garbage", "help", "version"];

/// What base64's command line asks for.
struct Base64Options {
    decode: bool,
    ignore_garbage: bool,
    /// Columns per output line; 0 is one unbroken line without a newline.
    wrap: usize,
    operands: Vec<String>,
}

/// How base64's command line ends when it does not run.
enum Base64Exit {
    /// `--help` or `--version`: this text on stdout, status 0.
    Print(&'static str),
    /// A usage error: the message, then "Try 'base64 --help' …", status 1.
    Usage(String),
    /// Any other error (a bad `-w`): the message alone, status 1.
    Fail(String),
}

/// Reads base64's command line as glibc's getopt_long does for `diw:` and
/// the long options: options and operands in any order, `--` ending
/// options, clustered letters (`-di`, `-w0`), unique prefixes of long
/// names (`--dec`), and `--help`/`--version` acting where they stand.
fn base64_options(args: &[String]) -> Result<Base64Options, Base64Exit> {
    let mut options = Base64Options {
        decode: false,
        ignore_garbage: false,
        wrap: 76,
        operands: Vec::new(),
    };
    let usage = |message: String| Err(Base64Exit::Usage(message));
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--" {
            options.operands.extend(iter.by_ref().cloned());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (long, None),
            };
            let candidates: Vec<&str> = BASE64_LONG
                .iter()
                .copied()
                .filter(|o| o.starts_with(name))
                .collect();
            let option: &str = match candidates.as_slice() {
                _ if BASE64_LONG.contains(&name) => name,
                [only] => only,
                [] => return usage(format!("unrecognized option '{arg}'")),
                several => {
                    let listed: Vec<String> = several.iter().map(|o| format!(" '--{o}'")).collect();
                    return usage(format!(
                        "option '{arg}' is ambiguous; possibilities:{}",
                        listed.concat()
                    ));
                }
            };
            if option == "wrap" {
                let Some(value) = value.or_else(|| iter.next().cloned()) else {
                    return usage("option '--wrap' requires an argument".to_string());
                };
                options.wrap = wrap_columns(&value)?;
                continue;
            }
            if value.is_some() {
                return usage(format!("option '--{option}' doesn't allow an argument"));
            }
            match option {
                "decode" => options.decode = true,
                "ignore-garbage" => options.ignore_garbage = true,
                "help" => return Err(Base64Exit::Print(BASE64_HELP)),
                _ => return Err(Base64Exit::Print(BASE64_VERSION)),
            }
            continue;
        }
        let Some(letters) = arg.strip_prefix('-').filter(|l| !l.is_empty()) else {
            options.operands.push(arg.clone());
            continue;
        };
        for (i, letter) in letters.char_indices() {
            match letter {
                'd' => options.decode = true,
                'i' => options.ignore_garbage = true,
                'w' => {
                    let rest = &letters[i + 1..];
                    let value = if rest.is_empty() {
                        match iter.next() {
                            Some(value) => value.as_str(),
                            None => return usage("option requires an argument -- 'w'".to_string()),
                        }
                    } else {
                        rest
                    };
                    options.wrap = wrap_columns(value)?;
                    break;
                }
                _ => return usage(format!("invalid option -- '{letter}'")),
            }
        }
    }
    Ok(options)
}

/// `-w COLS`: a decimal number, as strtoimax reads one (leading blanks and a
/// sign allowed, nothing after the digits). Negative is an error; a number
/// too big to hold means no wrapping, as in GNU.
fn wrap_columns(value: &str) -> Result<usize, Base64Exit> {
    let invalid = || Err(Base64Exit::Fail(format!("invalid wrap size: '{value}'")));
    let number = value.trim_start_matches([' ', '\t', '\n', '\u{b}', '\u{c}', '\r']);
    let (negative, digits) = match number.as_bytes().first() {
        Some(b'-') => (true, &number[1..]),
        Some(b'+') => (false, &number[1..]),
        _ => (false, number),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return invalid();
    }
    let all_zero = digits.bytes().all(|b| b == b'0');
    if negative && !all_zero {
        return invalid();
    }
    // Too big for intmax_t (or for this machine's sizes): GNU stops wrapping.
    Ok(digits
        .parse::<i64>()
        .ok()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0))
}

/// `base64 [-d [-i]] [-w COLS] [FILE]`, as GNU coreutils 9.8 has it.
///
/// Encoding wraps lines at 76 columns (`-w`); `-w 0` writes one line with no
/// newline after it. Decoding ignores newlines anywhere, supplies missing
/// `=` padding at the end (coreutils ≥ 9.5), and at the first invalid
/// character or non-canonical padding bits writes what it has decoded so
/// far, then `base64: invalid input` with status 1. `-i` drops every byte
/// outside the alphabet and `=` before decoding. Command-line errors exit
/// with 1 too (coreutils' `usage (EXIT_FAILURE)`; grep's exit with 2).
fn base64(args: &[String], io: &mut ToolIo) -> i32 {
    let options = match base64_options(args) {
        Ok(options) => options,
        Err(Base64Exit::Print(text)) => {
            io.sink.out(text);
            return 0;
        }
        Err(Base64Exit::Usage(message)) => {
            io.sink.err_line(format!(
                "base64: {message}\nTry 'base64 --help' for more information."
            ));
            return 1;
        }
        Err(Base64Exit::Fail(message)) => {
            io.sink.err_line(format!("base64: {message}"));
            return 1;
        }
    };
    if let Some(extra) = options.operands.get(1) {
        io.sink.err_line(format!(
            "base64: extra operand '{extra}'\nTry 'base64 --help' for more information."
        ));
        return 1;
    }
    let input = match options.operands.first() {
        // A directory opens but cannot be read, which GNU reports as a read error.
        Some(file) if file != "-" => match (io.read)(file) {
            Ok(text) => text,
            Err(err) if err == "Is a directory" => {
                io.sink.err_line(format!("base64: read error: {err}"));
                return 1;
            }
            Err(err) => {
                io.sink.err_line(format!("base64: {file}: {err}"));
                return 1;
            }
        },
        _ => io.stdin.unwrap_or_default().to_string(),
    };
    if !options.decode {
        io.sink
            .out(wrap_lines(&base64_encode(input.as_bytes()), options.wrap));
        return 0;
    }
    let (bytes, valid) = base64_decode(&input, options.ignore_garbage);
    // The shell passes text around as Rust `String`s, so decoded bytes that
    // are not UTF-8 (binary data) are shown lossily, with U+FFFD in place of
    // each invalid sequence, where a real terminal would get the raw bytes.
    io.sink.out(String::from_utf8_lossy(&bytes).into_owned());
    if valid {
        0
    } else {
        io.sink.err_line("base64: invalid input");
        1
    }
}

/// The base64 alphabet of RFC 4648.
const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A base64 character's six bits.
fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Encodes bytes with `=` padding, on one line.
fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let bits = chunk
            .iter()
            .enumerate()
            .fold(0u32, |bits, (i, &b)| bits | u32::from(b) << (16 - 8 * i));
        // n bytes give n + 1 characters; `=` fills the group to four.
        for i in 0..4 {
            if i <= chunk.len() {
                let index = (bits >> (18 - 6 * i)) & 63;
                out.push(char::from(BASE64_ALPHABET[index as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Breaks encoded text into lines of `wrap` columns, each ending in a
/// newline; `wrap` 0 leaves it as it is, without one.
fn wrap_lines(encoded: &str, wrap: usize) -> String {
    if wrap == 0 {
        return encoded.to_string();
    }
    let mut out = String::with_capacity(encoded.len() + encoded.len() / wrap + 1);
    let mut column = 0;
    for c in encoded.chars() {
        if column == wrap {
            out.push('\n');
            column = 0;
        }
        out.push(c);
        column += 1;
    }
    if column > 0 {
        out.push('\n');
    }
    out
}

/// Decodes base64 text: the bytes decoded and whether all of it was valid.
/// Newlines are skipped wherever they are; with `ignore_garbage` everything
/// but the alphabet and `=` is. The characters are taken four at a time, and
/// a short last group is padded with `=` unless it already ends in one.
fn base64_decode(text: &str, ignore_garbage: bool) -> (Vec<u8>, bool) {
    let chars: Vec<u8> = text
        .bytes()
        .filter(|&c| {
            if ignore_garbage {
                sextet(c).is_some() || c == b'='
            } else {
                c != b'\n'
            }
        })
        .collect();
    let mut out = Vec::with_capacity(chars.len() / 4 * 3 + 2);
    let mut groups = chars.chunks_exact(4);
    for group in groups.by_ref() {
        if !decode_group(group, &mut out) {
            return (out, false);
        }
    }
    let valid = match groups.remainder() {
        [] => true,
        rest if rest.ends_with(b"=") => decode_group(rest, &mut out),
        rest => {
            let mut padded = rest.to_vec();
            padded.resize(4, b'=');
            decode_group(&padded, &mut out)
        }
    };
    (out, valid)
}

/// Decodes one group of (at most) four characters into `out` and says
/// whether it was valid. An invalid group still yields the bytes its
/// leading characters complete, as GNU writes them before it gives up:
/// `YW!!` gives `a`. Padding must be `==` after two characters or `=`
/// after three, and the bits it leaves out must be zero (`SB==` is not `H`).
fn decode_group(group: &[u8], out: &mut Vec<u8>) -> bool {
    let values: Vec<u8> = group.iter().map_while(|&c| sextet(c)).collect();
    let [first, second, rest @ ..] = values.as_slice() else {
        return false;
    };
    out.push(first << 2 | second >> 4);
    let padded = |from: usize| group.len() == 4 && group[from..].iter().all(|&c| c == b'=');
    match rest {
        [] => padded(2) && second & 0x0f == 0,
        [third] => {
            out.push(second << 4 | third >> 2);
            padded(3) && third & 0x03 == 0
        }
        [third, fourth, ..] => {
            out.push(second << 4 | third >> 2);
            out.push(third << 6 | fourth);
            true
        }
    }
}

/// Names in columns down then across, as `ls` lays them out on an 80-column terminal.
pub fn columns(names: &[&str]) -> String {
    if names.is_empty() {
        return String::new();
    }
    for cols in (1..=names.len()).rev() {
        let rows = names.len().div_ceil(cols);
        let widths: Vec<usize> = (0..cols)
            .map(|c| {
                names
                    .iter()
                    .skip(c * rows)
                    .take(rows)
                    .map(|n| n.chars().count())
                    .max()
                    .unwrap_or(0)
                    + 2
            })
            .collect();
        if widths.iter().sum::<usize>() - 2 > 80 && cols > 1 {
            continue;
        }
        let mut out = String::new();
        for r in 0..rows {
            let mut line = String::new();
            for (c, width) in widths.iter().enumerate() {
                if let Some(name) = names.get(c * rows + r) {
                    line.push_str(&format!("{name:<width$}"));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        return out;
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::strings;

    fn tool(name: &str, args: &[&str], stdin: &str) -> (String, i32) {
        let args = strings(args);
        let mut sink = Sink::default();
        let mut read = |path: &str| {
            if path == "f" {
                Ok("x\ny\n".to_string())
            } else {
                Err("No such file or directory".to_string())
            }
        };
        let status = run(false, name, &args, Some(stdin), &mut read, &mut sink).unwrap();
        (format!("{}{}", sink.stdout(), sink.stderr()), status)
    }

    const PODS: &str = "NAME    READY\nweb-0   1/1\nweb-1   0/1\nweb-10  1/1\n";

    #[test]
    fn grep_prints_context_around_matches_with_separators() {
        let text = "a\nState: Waiting\n  Reason: X\nb\nc\nd\nState: Running\ne\n";
        assert_eq!(
            tool("grep", &["-A1", "State"], text).0,
            "State: Waiting\n  Reason: X\n--\nState: Running\ne\n"
        );
        assert_eq!(
            tool("grep", &["-B", "1", "-n", "Running"], text).0,
            "6-d\n7:State: Running\n"
        );
        // Overlapping contexts merge; -C is both.
        assert_eq!(
            tool("grep", &["--context=2", "c"], text).0,
            "  Reason: X\nb\nc\nd\nState: Running\n"
        );
        assert_eq!(tool("grep", &["-c", "-A3", "State"], text).0, "2\n");
        assert_eq!(tool("grep", &["-l", "y", "f"], "").0, "f\n");
        assert_eq!(tool("grep", &["-l", "a"], text).0, "(standard input)\n");
        assert_eq!(
            tool("grep", &["-Az", "a"], text),
            (
                "grep: z: invalid context length argument\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n".to_string(),
                2
            )
        );
        assert_eq!(tool("grep", &["-k", "a"], text).1, 2, "no such option");
        assert!(tool("grep", &["-o", "a"], text)
            .0
            .starts_with("grep: -o is not available in the playground's grep"));
    }

    #[test]
    fn grep_patterns() {
        assert_eq!(
            tool("grep", &["web-1"], PODS).0,
            "web-1   0/1\nweb-10  1/1\n"
        );
        assert_eq!(tool("grep", &["-w", "web-1"], PODS).0, "web-1   0/1\n");
        assert_eq!(tool("grep", &["-v", "web"], PODS).0, "NAME    READY\n");
        assert_eq!(tool("grep", &["-c", "1/1"], PODS).0, "2\n");
        assert_eq!(
            tool("grep", &["^web-[01] "], PODS).0,
            "web-0   1/1\nweb-1   0/1\n"
        );
        assert_eq!(
            tool("grep", &["-E", "web-(0|1)$|READY"], "READY\nx\n").0,
            "READY\n"
        );
        // Groups with alternatives, in both syntaxes.
        let described = "Name: web\nSelector: app\n  Node-Selectors: none\nReplicas: 2\n";
        assert_eq!(
            tool("grep", &["-E", "^(Name|Selector|Replicas):"], described).0,
            "Name: web\nSelector: app\nReplicas: 2\n"
        );
        assert_eq!(
            tool("grep", &["^\\(Name\\|Replicas\\):"], described).0,
            "Name: web\nReplicas: 2\n"
        );
        let colours = "colours\ncolous\ncolors\n";
        assert_eq!(tool("grep", &["-c", "-E", "colou(r)?s"], colours).0, "2\n");
        assert_eq!(tool("grep", &["-c", "-E", "a)b"], "a)b\nab\n").0, "1\n");
        assert_eq!(tool("grep", &["-c", "(a)"], "(a)\na\n").0, "1\n");
        // GNU's basic syntax: `\|`, `\+` and `\?` are operators, bare ones literals.
        assert_eq!(
            tool("grep", &["READY\\|web-10"], PODS).0,
            "NAME    READY\nweb-10  1/1\n"
        );
        assert_eq!(tool("grep", &["-c", "web-1\\+0"], PODS).0, "1\n");
        assert_eq!(tool("grep", &["-c", "a|b"], "a|b\nb\n").0, "1\n");
        assert_eq!(tool("grep", &["-c", "a+"], "a+\naa\n").0, "1\n");
        assert_eq!(tool("grep", &["-c", "-E", "a\\|b"], "a|b\nb\n").0, "1\n");
        assert_eq!(tool("grep", &["-c", "[|]"], "|\nb\n").0, "1\n");
        assert_eq!(
            tool(
                "grep",
                &["-E", "^[[:alpha:]]+[[:space:]]+[0-9]{2}$"],
                "ab 12\nab 123\n"
            )
            .0,
            "ab 12\n"
        );
        assert_eq!(
            tool("grep", &["-E", "(web"], PODS),
            ("grep: Unmatched ( or \\(\n".to_string(), 2)
        );
        assert_eq!(tool("grep", &["-i", "name"], PODS).0, "NAME    READY\n");
        assert_eq!(tool("grep", &["nothing"], PODS).1, 1);
        // Stars in a row once made matching exponential.
        let stars = format!("{}b", "a*".repeat(30));
        let line = format!("{}\n", "a".repeat(200));
        assert_eq!(tool("grep", &[&stars], &line).1, 1);
        assert_eq!(
            tool("grep", &["-c", &stars], &format!("{line}aab\n")).0,
            "1\n"
        );
        assert_eq!(
            tool("grep", &["x", "missing"], "").0,
            "grep: missing: No such file or directory\n"
        );
    }

    #[test]
    fn ls_columns_fit_the_terminal() {
        assert_eq!(columns(&["bin", "etc", "usr"]), "bin  etc  usr\n");
        let many: Vec<String> = (0..30).map(|i| format!("file-number-{i:02}")).collect();
        let names: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(columns(&names).lines().all(|l| l.len() <= 80));
    }

    #[test]
    fn head_tail_wc_sort_uniq() {
        assert_eq!(
            tool("head", &["-n", "2"], PODS).0,
            "NAME    READY\nweb-0   1/1\n"
        );
        assert_eq!(tool("tail", &["-1"], PODS).0, "web-10  1/1\n");
        assert_eq!(
            tool("tail", &["-n", "+3"], PODS).0,
            "web-1   0/1\nweb-10  1/1\n"
        );
        assert_eq!(tool("wc", &["-l"], PODS).0, "4\n");
        assert_eq!(tool("wc", &["-l", "f"], "").0, "      2 f\n");
        assert_eq!(tool("sort", &["-r"], "a\nc\nb\n").0, "c\nb\na\n");
        assert_eq!(tool("sort", &["-n"], "10\n9\n100\n").0, "9\n10\n100\n");
        assert_eq!(
            tool("uniq", &["-c"], "a\na\nb\n").0,
            "      2 a\n      1 b\n"
        );
        assert_eq!(tool("cat", &["f", "-"], "z\n").0, "x\ny\nz\n");
    }

    /// base64's stdout, stderr and status.
    fn base64(args: &[&str], stdin: &str) -> (String, String, i32) {
        let args = strings(args);
        let mut sink = Sink::default();
        let mut read = |path: &str| match path {
            "f" => Ok("x\ny\n".to_string()),
            "secret.txt" => Ok("cGFzc3dvcmQ=\n".to_string()),
            "dir" => Err("Is a directory".to_string()),
            _ => Err("No such file or directory".to_string()),
        };
        let status = run(false, "base64", &args, Some(stdin), &mut read, &mut sink).unwrap();
        (sink.stdout(), sink.stderr(), status)
    }

    /// What base64 prints on stdout, when it succeeds.
    fn base64_ok(args: &[&str], stdin: &str) -> String {
        let (out, err, status) = base64(args, stdin);
        assert_eq!((err.as_str(), status), ("", 0), "base64 {args:?}");
        out
    }

    #[test]
    fn base64_encodes_with_padding_and_a_newline() {
        assert_eq!(base64_ok(&[], "admin"), "YWRtaW4=\n");
        assert_eq!(base64_ok(&[], "admin\n"), "YWRtaW4K\n");
        assert_eq!(base64_ok(&[], "a"), "YQ==\n");
        assert_eq!(base64_ok(&[], "aa"), "YWE=\n");
        assert_eq!(base64_ok(&[], "aaa"), "YWFh\n");
        assert_eq!(base64_ok(&[], ""), "");
        assert_eq!(base64_ok(&["-w", "0"], ""), "");
        // All 64 characters, and bytes beyond ASCII (UTF-8 text).
        assert_eq!(base64_ok(&[], "\u{fb}\u{ef}\u{ff}"), "w7vDr8O/\n");
        assert_eq!(base64_ok(&[], "\u{0}\u{10}\u{83}"), "ABDCgw==\n");
        assert_eq!(base64_ok(&["f"], ""), "eAp5Cg==\n");
        assert_eq!(base64_ok(&["-"], "a"), "YQ==\n");
        assert_eq!(base64_ok(&["--", "-"], "a"), "YQ==\n");
    }

    #[test]
    fn base64_wraps_at_76_columns_or_as_asked() {
        let long = "a".repeat(100);
        let encoded = "YWFh".repeat(33) + "YQ==";
        assert_eq!(
            base64_ok(&[], &long),
            format!("{}\n{}\n", &encoded[..76], &encoded[76..])
        );
        // Exactly a line's worth: one newline, no empty line after it.
        assert_eq!(base64_ok(&[], &"a".repeat(57)), "YWFh".repeat(19) + "\n");
        assert_eq!(base64_ok(&["-w", "0"], &long), encoded, "no newline at all");
        assert_eq!(base64_ok(&["-w0"], "a"), "YQ==");
        assert_eq!(base64_ok(&["--wrap=5"], "hello"), "aGVsb\nG8=\n");
        assert_eq!(base64_ok(&["--wrap", "4"], "hello"), "aGVs\nbG8=\n");
        assert_eq!(base64_ok(&["--wr=08"], "hello"), "aGVsbG8=\n");
        assert_eq!(base64_ok(&["-w", "+3"], "ab"), "YWI\n=\n");
        assert_eq!(base64_ok(&["-w", " 3"], "ab"), "YWI\n=\n");
        // A width too big to hold means no wrapping.
        assert_eq!(base64_ok(&["-w", "99999999999999999999"], "a"), "YQ==");
        for bad in ["-1", "0x0", "1k", "", "five"] {
            assert_eq!(
                base64(&["-w", bad], "a"),
                (
                    String::new(),
                    format!("base64: invalid wrap size: '{bad}'\n"),
                    1
                )
            );
        }
    }

    #[test]
    fn base64_decodes_and_round_trips() {
        assert_eq!(base64_ok(&["-d"], "YWRtaW4="), "admin");
        assert_eq!(base64_ok(&["--decode"], "YWRtaW4=\n"), "admin");
        assert_eq!(base64_ok(&["-d", "secret.txt"], ""), "password");
        assert_eq!(base64_ok(&["-d"], ""), "");
        assert_eq!(base64_ok(&["-d"], "\n\n"), "");
        // Newlines anywhere, as in wrapped output.
        assert_eq!(base64_ok(&["-d"], "YW\nRt\naW\n4=\n"), "admin");
        // Padding that is missing is supplied (coreutils 9.5 and later).
        assert_eq!(base64_ok(&["-d"], "aQ"), "i");
        assert_eq!(base64_ok(&["-d"], "Zzw"), "g<");
        assert_eq!(base64_ok(&["-d"], "MTIzNA==MTIzNA"), "12341234");
        assert_eq!(base64_ok(&["-d"], "MTIzNA==\nMTIzNA"), "12341234");
        for text in [
            "",
            "a",
            "ab",
            "abc",
            "kubectl get pods\n",
            "pässwörd ✓",
            &"web-0.nginx.default.svc.cluster.local ".repeat(9),
        ] {
            for wrap in ["76", "0", "1", "5"] {
                let encoded = base64_ok(&["-w", wrap], text);
                assert_eq!(base64_ok(&["-d"], &encoded), text, "-w {wrap}: {text:?}");
            }
        }
    }

    #[test]
    fn base64_decoding_stops_at_invalid_input_after_what_it_decoded() {
        let invalid = |stdin: &str, out: &str| {
            assert_eq!(
                base64(&["-d"], stdin),
                (out.to_string(), "base64: invalid input\n".to_string(), 1),
                "{stdin:?}"
            );
        };
        invalid("YWJj!", "abc");
        invalid("YWJj ZGVm", "abc");
        invalid("YW!!", "a");
        invalid("YWJjZA=", "abcd");
        invalid("YWJjZA=\n", "abcd");
        invalid("Zz=", "g");
        invalid("a", "");
        invalid("Z===", "");
        invalid("=", "");
        invalid("YWJj\r\n", "abc");
        // Padding bits must be zero.
        invalid("SB==", "H");
        invalid("SGVsbG9=", "Hello");
        // What comes after padding must be a group of its own.
        invalid("YQ=aYWJj", "a");
        // Bytes that are not UTF-8 are shown lossily.
        assert_eq!(base64_ok(&["-d"], "/w=="), "\u{fffd}");
        assert_eq!(base64_ok(&["-d"], "Yf9i"), "a\u{fffd}b");
    }

    #[test]
    fn base64_ignore_garbage_skips_what_is_not_base64() {
        assert_eq!(base64_ok(&["-d", "-i"], "YW Rt\taW4=!\n"), "admin");
        assert_eq!(base64_ok(&["-di"], "*Y*W*E*"), "aa");
        assert_eq!(
            base64_ok(&["--ignore-garbage", "-d"], "YWRtaW4=\r\n"),
            "admin"
        );
        assert_eq!(base64_ok(&["--de", "--ig"], "YQ==.YQ"), "aa");
        // Garbage is skipped, a broken group is not.
        assert_eq!(
            base64(&["-di"], "YQ=a"),
            ("a".to_string(), "base64: invalid input\n".to_string(), 1)
        );
        // Encoding ignores -i.
        assert_eq!(base64_ok(&["-i"], "a"), "YQ==\n");
    }

    #[test]
    fn base64_files_and_command_line_errors() {
        const TRY: &str = "Try 'base64 --help' for more information.\n";
        let fails = |args: &[&str], err: String| {
            assert_eq!(base64(args, "a"), (String::new(), err, 1), "{args:?}");
        };
        fails(
            &["missing"],
            "base64: missing: No such file or directory\n".to_string(),
        );
        fails(
            &["-d", "missing"],
            "base64: missing: No such file or directory\n".to_string(),
        );
        fails(&["dir"], "base64: read error: Is a directory\n".to_string());
        fails(&["f", "g"], format!("base64: extra operand 'g'\n{TRY}"));
        fails(
            &["-di", "--wrap=40", "f", "g"],
            format!("base64: extra operand 'g'\n{TRY}"),
        );
        fails(&["-x"], format!("base64: invalid option -- 'x'\n{TRY}"));
        fails(&["-dx"], format!("base64: invalid option -- 'x'\n{TRY}"));
        fails(
            &["-w"],
            format!("base64: option requires an argument -- 'w'\n{TRY}"),
        );
        fails(
            &["--wrap"],
            format!("base64: option '--wrap' requires an argument\n{TRY}"),
        );
        fails(
            &["--foo=1"],
            format!("base64: unrecognized option '--foo=1'\n{TRY}"),
        );
        fails(
            &["--dec=1"],
            format!("base64: option '--decode' doesn't allow an argument\n{TRY}"),
        );
        fails(
            &["--=1"],
            format!("base64: option '--=1' is ambiguous; possibilities: '--decode' '--wrap' '--ignore-garbage' '--help' '--version'\n{TRY}"),
        );
        // Options may follow the file, and the first error is the one reported.
        assert_eq!(base64_ok(&["f", "-w", "4"], ""), "eAp5\nCg==\n");
        fails(
            &["-x", "--help"],
            format!("base64: invalid option -- 'x'\n{TRY}"),
        );
        let help = base64_ok(&["--help", "-x"], "");
        assert!(
            help.starts_with("Usage: base64 [OPTION]... [FILE]\n"),
            "{help}"
        );
        assert!(base64_ok(&["--vers"], "").starts_with("base64 (GNU coreutils) 9."));
    }
}
