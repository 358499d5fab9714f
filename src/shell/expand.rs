//! Word expansion in bash's order: braces, tilde, parameters, command
//! substitution and arithmetic, field splitting of unquoted results, and
//! pathname globbing.

use super::ast::{Part, Subscript, Word};
use super::run::{capture, Flow, Shell};
use super::{absolute_path, arith, Host, Sink, MAX_WORDS};

/// Expands words into command arguments.
pub(super) fn words(
    shell: &mut Shell,
    host: &mut dyn Host,
    words: &[Word],
    sink: &mut Sink,
) -> Result<Vec<String>, Flow> {
    let mut out = Vec::new();
    let bash = host.shell_name() == "bash";
    for word in words {
        let braced = if bash {
            braces(word)
        } else {
            Ok(vec![word.clone()])
        };
        let braced = match braced {
            Ok(b) => b,
            Err(message) => return Err(fail(shell, host, sink, &message)),
        };
        for w in &braced {
            for field in fields(shell, host, w, sink)? {
                match field
                    .glob
                    .then(|| glob(shell, host, &field.pattern))
                    .filter(|m| !m.is_empty())
                {
                    Some(matches) => out.extend(matches),
                    None => out.push(field.text),
                }
            }
        }
        if out.len() > MAX_WORDS {
            return Err(fail(
                shell,
                host,
                sink,
                &format!("more than {MAX_WORDS} words (the playground's limit)"),
            ));
        }
    }
    Ok(out)
}

/// Expands one word without splitting or globbing (assignments, redirection targets, here-documents).
pub(super) fn word(
    shell: &mut Shell,
    host: &mut dyn Host,
    word: &Word,
    sink: &mut Sink,
) -> Result<String, Flow> {
    pattern(shell, host, word, sink, str::to_string)
}

/// Expands one word without splitting or globbing into a pattern (the
/// right side of `[[ == ]]` or `[[ =~ ]]`): what was quoted passes through
/// `escape`, so that it matches itself.
pub(super) fn pattern(
    shell: &mut Shell,
    host: &mut dyn Host,
    word: &Word,
    sink: &mut Sink,
    escape: fn(&str) -> String,
) -> Result<String, Flow> {
    let mut text = String::new();
    for (i, part) in word.0.iter().enumerate() {
        match part {
            Part::Bare(s) if i == 0 => text.push_str(&tilde(shell, s)),
            Part::Bare(s) => text.push_str(s),
            Part::Quoted(s) => text.push_str(&escape(s)),
            Part::Param { quoted: true, .. }
            | Part::Subst { quoted: true, .. }
            | Part::Arith { quoted: true, .. } => {
                text.push_str(&escape(&value(shell, host, part, sink)?))
            }
            _ => text.push_str(&value(shell, host, part, sink)?),
        }
    }
    Ok(text)
}

fn fail(shell: &mut Shell, host: &mut dyn Host, sink: &mut Sink, message: &str) -> Flow {
    sink.err_line(format!("{}: {message}", host.shell_name()));
    shell.status = 1;
    Flow::Abort
}

/// The value of a parameter, substitution or arithmetic part.
fn value(
    shell: &mut Shell,
    host: &mut dyn Host,
    part: &Part,
    sink: &mut Sink,
) -> Result<String, Flow> {
    match part {
        Part::Bare(s) | Part::Quoted(s) => Ok(s.clone()),
        Part::Param {
            name,
            index,
            default,
            ..
        } => param(shell, host, name, index.as_ref(), default.as_ref(), sink),
        Part::Subst { script, .. } => capture(shell, host, script, sink),
        Part::Arith { expr, .. } => Ok(arithmetic(shell, host, expr, sink)?.to_string()),
    }
}

/// `$name`, `${#name}`, `${name[…]}`, `${name:-default}`…
fn param(
    shell: &mut Shell,
    host: &mut dyn Host,
    name: &str,
    index: Option<&Subscript>,
    default: Option<&(bool, Word)>,
    sink: &mut Sink,
) -> Result<String, Flow> {
    let (length, name) = match name.strip_prefix('#').filter(|n| !n.is_empty()) {
        Some(name) => (true, name),
        None => (false, name),
    };
    let (current, shown) = match index {
        None => (shell.var(name), name.to_string()),
        Some(Subscript::Each | Subscript::Joined) => {
            let elements = shell.elements(name);
            if length {
                return Ok(elements.len().to_string());
            }
            let joined = (!elements.is_empty()).then(|| elements.join(" "));
            (joined, name.to_string())
        }
        Some(Subscript::Element(expr)) => {
            let n = arithmetic(shell, host, expr, sink)?;
            (shell.element(name, n), format!("{name}[{n}]"))
        }
    };
    if current.is_none() && default.is_none() && shell.options.nounset && !matches!(name, "@" | "*")
    {
        // bash names a positional parameter with its `$`.
        let dollar = if name.bytes().all(|b| b.is_ascii_digit()) {
            "$"
        } else {
            ""
        };
        let message = format!("{dollar}{shown}: unbound variable");
        return Err(fail(shell, host, sink, &message));
    }
    if length {
        return Ok(current.unwrap_or_default().chars().count().to_string());
    }
    match default {
        Some((colon, fallback)) if current.as_deref().is_none_or(|v| *colon && v.is_empty()) => {
            word(shell, host, fallback, sink)
        }
        _ => Ok(current.unwrap_or_default()),
    }
}

/// `$((…))` or an array subscript: its own expansions, then its value.
fn arithmetic(
    shell: &mut Shell,
    host: &mut dyn Host,
    expr: &Word,
    sink: &mut Sink,
) -> Result<i64, Flow> {
    let text = word(shell, host, expr, sink)?;
    let lookup = |name: &str| shell.var(name);
    arith::eval(&text, &lookup).map_err(|message| fail(shell, host, sink, &message))
}

/// The elements of `"$@"` or `"${name[@]}"`, which make a word each.
fn each(shell: &Shell, part: &Part) -> Option<Vec<String>> {
    match part {
        Part::Param {
            name,
            index,
            default: None,
            quoted: true,
        } => match index {
            Some(Subscript::Each) if !name.starts_with('#') => Some(shell.elements(name)),
            None if name == "@" => Some(shell.elements(name)),
            _ => None,
        },
        _ => None,
    }
}

fn tilde(shell: &Shell, bare: &str) -> String {
    match bare.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            format!(
                "{}{rest}",
                shell.var("HOME").unwrap_or_else(|| "/root".to_string())
            )
        }
        _ => bare.to_string(),
    }
}

/// A word after expansion and splitting, with its glob pattern.
struct Field {
    text: String,
    /// `text` with quoted glob characters escaped.
    pattern: String,
    /// Has an unquoted `*`, `?` or `[`.
    glob: bool,
}

fn fields(
    shell: &mut Shell,
    host: &mut dyn Host,
    word: &Word,
    sink: &mut Sink,
) -> Result<Vec<Field>, Flow> {
    let mut done = Vec::new();
    let mut current: Option<Field> = None;
    let start = |current: &mut Option<Field>| -> Field {
        current.take().unwrap_or(Field {
            text: String::new(),
            pattern: String::new(),
            glob: false,
        })
    };
    let lists: Vec<Option<Vec<String>>> = word.0.iter().map(|part| each(shell, part)).collect();
    // `"$@"` with no parameters makes no word at all, even between `""`.
    let vanishes =
        lists.iter().flatten().any(Vec::is_empty)
            && word.0.iter().zip(&lists).all(|(part, list)| {
                list.is_some() || matches!(part, Part::Quoted(s) if s.is_empty())
            });
    if vanishes {
        return Ok(done);
    }
    for (i, (part, list)) in word.0.iter().zip(lists).enumerate() {
        if let Some(list) = list {
            for (j, item) in list.iter().enumerate() {
                if j > 0 {
                    done.extend(current.take());
                }
                let mut f = start(&mut current);
                f.text.push_str(item);
                f.pattern.push_str(&escape_glob(item));
                current = Some(f);
            }
            continue;
        }
        match part {
            Part::Bare(s) => {
                let s = if i == 0 { tilde(shell, s) } else { s.clone() };
                let mut f = start(&mut current);
                f.glob |= s.contains(['*', '?', '[']);
                f.text.push_str(&s);
                f.pattern.push_str(&s);
                current = Some(f);
            }
            Part::Quoted(s) => {
                let mut f = start(&mut current);
                f.text.push_str(s);
                f.pattern.push_str(&escape_glob(s));
                current = Some(f);
            }
            Part::Param { quoted: true, .. }
            | Part::Subst { quoted: true, .. }
            | Part::Arith { quoted: true, .. } => {
                let v = value(shell, host, part, sink)?;
                let mut f = start(&mut current);
                f.text.push_str(&v);
                f.pattern.push_str(&escape_glob(&v));
                current = Some(f);
            }
            _ => {
                let v = value(shell, host, part, sink)?;
                if v.starts_with(char::is_whitespace) {
                    done.extend(current.take());
                }
                let pieces: Vec<&str> = v.split_whitespace().collect();
                for (j, piece) in pieces.iter().enumerate() {
                    if j > 0 {
                        done.extend(current.take());
                    }
                    let mut f = start(&mut current);
                    f.glob |= piece.contains(['*', '?', '[']);
                    f.text.push_str(piece);
                    f.pattern.push_str(piece);
                    current = Some(f);
                }
                if v.ends_with(char::is_whitespace) {
                    done.extend(current.take());
                }
            }
        }
    }
    done.extend(current);
    Ok(done)
}

fn escape_glob(s: &str) -> String {
    escape(s, "*?[\\")
}

/// `text` with a backslash before each of the `special` characters.
pub(super) fn escape(text: &str, special: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if special.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Paths matching `pattern` (globs only in its last component), sorted; empty when none match.
fn glob(shell: &mut Shell, host: &mut dyn Host, pattern: &str) -> Vec<String> {
    // Component by component, as the shell's glob does: a component with
    // pattern characters matches the entries of each directory so far; a
    // plain one after it must name an entry there too.
    let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    let root = if pattern.starts_with('/') { "/" } else { "" };
    let mut paths = vec![root.to_string()];
    let mut globbed = false;
    for (i, part) in parts.iter().enumerate() {
        let separator = if i + 1 < parts.len() { "/" } else { "" };
        let is_pattern = part.contains(['*', '?', '[']);
        let mut next = Vec::new();
        for base in &paths {
            let mut listing = || {
                let dir = if base.is_empty() { "." } else { base.as_str() };
                host.list_dir(shell, &absolute_path(&shell.cwd, dir))
                    .unwrap_or_default()
            };
            if is_pattern {
                let wanted: Vec<char> = part.chars().collect();
                let mut found: Vec<String> = listing()
                    .into_iter()
                    .filter(|entry| !entry.starts_with('.') || part.starts_with('.'))
                    .filter(|entry| matches_glob(&wanted, &entry.chars().collect::<Vec<_>>()))
                    .collect();
                found.sort();
                next.extend(found.into_iter().map(|e| format!("{base}{e}{separator}")));
            } else {
                let name = unescape_glob(part);
                if !globbed || listing().contains(&name) {
                    next.push(format!("{base}{name}{separator}"));
                }
            }
        }
        globbed |= is_pattern;
        paths = next;
    }
    if pattern.ends_with('/') {
        for path in &mut paths {
            path.push('/');
        }
    }
    paths
}

fn unescape_glob(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

/// Glob matching in O(pattern × text): on a mismatch only the latest `*`
/// takes one more character, which is enough because a later star can
/// absorb whatever an earlier one would have (a recursive matcher is
/// exponential in the number of stars).
pub(super) fn matches_glob(pattern: &[char], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut latest_star: Option<(usize, usize)> = None;
    while t < text.len() {
        if pattern.get(p) == Some(&'*') {
            p += 1;
            latest_star = Some((p, t));
        } else if let Some(next) = glob_step(pattern, p, text[t]) {
            p = next;
            t += 1;
        } else if let Some((after_star, taken)) = latest_star {
            p = after_star;
            t = taken + 1;
            latest_star = Some((after_star, t));
        } else {
            return false;
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|c| *c == '*')
}

/// Where the pattern continues if its element at `p` (not a `*`) matches `c`.
fn glob_step(pattern: &[char], p: usize, c: char) -> Option<usize> {
    match *pattern.get(p)? {
        '?' => Some(p + 1),
        '[' => {
            let Some(close) = pattern[p + 1..].iter().position(|c| *c == ']') else {
                return (c == '[').then_some(p + 1);
            };
            let close = p + 1 + close;
            let set = &pattern[p + 1..close];
            let (negate, set) = match set.first() {
                Some('!' | '^') => (true, &set[1..]),
                _ => (false, set),
            };
            let mut found = false;
            let mut i = 0;
            while i < set.len() {
                if i + 2 < set.len() && set[i + 1] == '-' {
                    found |= set[i] <= c && c <= set[i + 2];
                    i += 3;
                } else {
                    found |= set[i] == c;
                    i += 1;
                }
            }
            (found != negate).then_some(close + 1)
        }
        '\\' if p + 1 < pattern.len() => (pattern[p + 1] == c).then_some(p + 2),
        literal => (literal == c).then_some(p + 1),
    }
}

/// Bash brace expansion: `web-{0..2}`, `{a,b}.yaml`, within one unquoted part.
fn braces(word: &Word) -> Result<Vec<Word>, String> {
    let mut out = Vec::new();
    let mut todo = vec![word.clone()];
    while let Some(w) = todo.pop() {
        match expand_first_brace(&w)? {
            Some(alternatives) => {
                if out.len() + todo.len() + alternatives.len() > MAX_WORDS {
                    return Err(format!(
                        "brace expansion: more than {MAX_WORDS} words (the playground's limit)"
                    ));
                }
                todo.extend(alternatives.into_iter().rev());
            }
            None => out.push(w),
        }
    }
    Ok(out)
}

fn expand_first_brace(word: &Word) -> Result<Option<Vec<Word>>, String> {
    for (index, part) in word.0.iter().enumerate() {
        let Part::Bare(text) = part else { continue };
        let Some((open, close, items)) = find_brace(text)? else {
            continue;
        };
        let alternatives = items
            .into_iter()
            .map(|item| {
                let mut parts = word.0.clone();
                parts[index] = Part::Bare(format!("{}{item}{}", &text[..open], &text[close + 1..]));
                Word(parts)
            })
            .collect();
        return Ok(Some(alternatives));
    }
    Ok(None)
}

/// The first `{…}` in `text` that expands: (open index, close index, items).
fn find_brace(text: &str) -> Result<Option<(usize, usize, Vec<String>)>, String> {
    let bytes = text.as_bytes();
    for open in (0..bytes.len()).filter(|&i| bytes[i] == b'{') {
        let mut depth = 0;
        let mut commas = Vec::new();
        for close in open + 1..bytes.len() {
            match bytes[close] {
                b'{' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                b',' if depth == 0 => commas.push(close),
                b'}' => {
                    let inner = &text[open + 1..close];
                    if !commas.is_empty() {
                        let mut items = Vec::new();
                        let mut from = open + 1;
                        for comma in commas.iter().copied().chain(std::iter::once(close)) {
                            items.push(text[from..comma].to_string());
                            from = comma + 1;
                        }
                        return Ok(Some((open, close, items)));
                    }
                    if let Some(items) = sequence(inner)? {
                        return Ok(Some((open, close, items)));
                    }
                    break;
                }
                _ => {}
            }
        }
    }
    Ok(None)
}

/// `0..4`, `4..0`, `a..e`, `0..10..2`.
fn sequence(inner: &str) -> Result<Option<Vec<String>>, String> {
    let parts: Vec<&str> = inner.split("..").collect();
    let (from, to, step) = match parts.as_slice() {
        [a, b] => (*a, *b, 1i64),
        [a, b, s] => match s.parse::<i64>() {
            Ok(s) if s != 0 => (*a, *b, s.abs()),
            _ => return Ok(None),
        },
        _ => return Ok(None),
    };
    let range = |a: i64, b: i64| -> Result<Vec<i64>, String> {
        let count = (a - b).unsigned_abs() / step.unsigned_abs() + 1;
        if count > MAX_WORDS as u64 {
            return Err(format!("brace expansion: {{{inner}}} makes {count} words, more than the playground's limit of {MAX_WORDS}"));
        }
        let sign = if b >= a { 1 } else { -1 };
        Ok((0..count as i64).map(|i| a + sign * i * step).collect())
    };
    if let (Ok(a), Ok(b)) = (from.parse::<i64>(), to.parse::<i64>()) {
        let width =
            if (from.starts_with('0') && from.len() > 1) || (to.starts_with('0') && to.len() > 1) {
                from.len().max(to.len())
            } else {
                0
            };
        return Ok(Some(
            range(a, b)?
                .into_iter()
                .map(|n| format!("{n:0width$}"))
                .collect(),
        ));
    }
    let (mut a, mut b) = (from.chars(), to.chars());
    match (a.next(), a.next(), b.next(), b.next()) {
        (Some(x), None, Some(y), None) if x.is_ascii_alphabetic() && y.is_ascii_alphabetic() => {
            Ok(Some(
                range(x as i64, y as i64)?
                    .into_iter()
                    .filter_map(|n| char::from_u32(n as u32))
                    .map(String::from)
                    .collect(),
            ))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bare(s: &str) -> Word {
        Word(vec![Part::Bare(s.to_string())])
    }

    fn expand_braces(s: &str) -> Vec<String> {
        braces(&bare(s))
            .unwrap()
            .into_iter()
            .map(|w| w.literal().unwrap())
            .collect()
    }

    #[test]
    fn brace_expansion() {
        assert_eq!(expand_braces("web-{0..2}"), ["web-0", "web-1", "web-2"]);
        assert_eq!(expand_braces("{a,b}.{x,y}"), ["a.x", "a.y", "b.x", "b.y"]);
        assert_eq!(expand_braces("{3..1}"), ["3", "2", "1"]);
        assert_eq!(expand_braces("{01..03}"), ["01", "02", "03"]);
        assert_eq!(expand_braces("{a..c}"), ["a", "b", "c"]);
        assert_eq!(expand_braces("{x}"), ["{x}"]);
        assert_eq!(expand_braces("${x}"), ["${x}"]);
        assert!(braces(&bare("{1..1000000}")).unwrap_err().contains("limit"));
        assert!(braces(&bare("{1..100}{1..100}{1..100}"))
            .unwrap_err()
            .contains("limit"));
    }

    #[test]
    fn glob_patterns() {
        let m = |p: &str, t: &str| {
            matches_glob(
                &p.chars().collect::<Vec<_>>(),
                &t.chars().collect::<Vec<_>>(),
            )
        };
        assert!(m("*.yaml", "web.yaml"));
        assert!(!m("*.yaml", "web.yml"));
        assert!(m("web-?", "web-1"));
        assert!(m("[a-c]x", "bx"));
        assert!(!m("\\*", "a"));
        assert!(m("\\*", "*"));
        assert!(m("*", "") && m("**", "") && !m("?", ""));
        assert!(m("*ab", "aab") && m("a*b*c", "aXbYbc") && !m("a*b*c", "aXbYcZ"));
        assert!(m("[!a]*", "bcd") && !m("[!a]*", "abc") && m("[x", "[x"));
        assert!(m("web-*[0-9]", "web-12") && !m("web-*[0-9]", "web-1a"));
        // Found by the command_line fuzz target: a recursive matcher took
        // exponential time in the number of stars.
        let stars = format!("{}get", "*".repeat(40));
        assert!(!m(&stars, &"g".repeat(60)));
        assert!(m(&stars, &format!("{}get", "x".repeat(60))));
    }
}
