//! YAML syntax highlighting for the editor: each line cut into tokens that
//! cover it exactly, so the page can draw them behind the textarea. It is a
//! highlighter, not a parser: it reads one line at a time, carrying only
//! whether a block scalar (`|`, `>`) is open, so a 1,000-line file costs one
//! linear pass, and text that is not valid YAML still gets sensible colours.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Spaces, punctuation (`:`, `,`, brackets) and anything unclassified.
    Plain,
    Key,
    /// Quoted and plain scalar values, and block scalar contents.
    String,
    Number,
    /// `true`, `false`, `null`, `~`.
    Literal,
    Comment,
    /// `---` and `...`.
    DocumentMarker,
    /// The `-` of a block sequence item.
    Dash,
    /// Anchors, aliases, tags, directives and block scalar indicators.
    Meta,
}

impl Kind {
    /// The CSS class that colours it (www/style.css), if any.
    pub fn class(self) -> Option<&'static str> {
        match self {
            Kind::Plain => None,
            Kind::Key => Some("tok-key"),
            Kind::String => Some("tok-string"),
            Kind::Number => Some("tok-number"),
            Kind::Literal => Some("tok-literal"),
            Kind::Comment => Some("tok-comment"),
            Kind::DocumentMarker => Some("tok-doc"),
            Kind::Dash => Some("tok-dash"),
            Kind::Meta => Some("tok-meta"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
}

/// The tokens of every line of `text` (split at `\n`, as the editor's line
/// numbers count them). Each line's tokens joined give the line back.
pub fn highlight(text: &str) -> Vec<Vec<Token<'_>>> {
    let mut state = LineState::default();
    text.split('\n').map(|line| state.tokens(line)).collect()
}

/// What one line passes to the next: whether a block scalar is open, and
/// the indentation its content must exceed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LineState {
    block: Option<usize>,
}

impl LineState {
    /// The tokens of `line`, which follows the lines this state has seen.
    pub fn tokens<'a>(&mut self, line: &'a str) -> Vec<Token<'a>> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        match self.block {
            Some(parent) if blank || indent > parent => {
                return vec![Token {
                    kind: if blank { Kind::Plain } else { Kind::String },
                    text: line,
                }];
            }
            _ => self.block = None,
        }
        let mut cutter = Line::new(line);
        if cutter.scan() {
            self.block = Some(indent);
        }
        cutter.tokens
    }
}

/// One line being cut into tokens; `pos` is the byte where the next one starts.
struct Line<'a> {
    text: &'a str,
    pos: usize,
    tokens: Vec<Token<'a>>,
    /// Depth of `[`/`{` open on this line: there `,` and brackets end scalars.
    flow: usize,
}

impl<'a> Line<'a> {
    fn new(text: &'a str) -> Line<'a> {
        Line {
            text,
            pos: 0,
            tokens: Vec::new(),
            flow: 0,
        }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    /// Emits the next `len` bytes as one token, merging with a previous token of the same kind.
    fn emit(&mut self, kind: Kind, len: usize) {
        let end = (self.pos + len).min(self.text.len());
        if end == self.pos {
            return;
        }
        match self.tokens.last_mut() {
            Some(last) if last.kind == kind => {
                let start = self.pos - last.text.len();
                last.text = &self.text[start..end];
            }
            _ => self.tokens.push(Token {
                kind,
                text: &self.text[self.pos..end],
            }),
        }
        self.pos = end;
    }

    fn spaces(&mut self) {
        let len = self.rest().len() - self.rest().trim_start_matches([' ', '\t']).len();
        self.emit(Kind::Plain, len);
    }

    /// Cuts the whole line; true when it opens a block scalar.
    fn scan(&mut self) -> bool {
        let rest = self.rest();
        if rest.starts_with('%') {
            self.emit(Kind::Meta, rest.len());
            return false;
        }
        for marker in ["---", "..."] {
            if rest.starts_with(marker) && ends_word(&rest[3..]) {
                self.emit(Kind::DocumentMarker, 3);
                return self.value();
            }
        }
        self.spaces();
        // Sequence items, possibly nested on one line: `- - a`.
        while self.rest().starts_with('-') && ends_word(&self.rest()[1..]) {
            self.emit(Kind::Dash, 1);
            self.spaces();
        }
        if self.rest().starts_with("? ") || self.rest() == "?" {
            self.emit(Kind::Dash, 1);
            self.spaces();
        }
        self.value()
    }

    /// Everything after the indentation and dashes: keys, values, comments.
    fn value(&mut self) -> bool {
        let mut block = false;
        while !self.rest().is_empty() {
            let rest = self.rest();
            let first = rest.chars().next().unwrap_or(' ');
            let after_space = self.pos == 0
                || self.text[..self.pos].ends_with([' ', '\t'])
                || self.tokens.last().is_some_and(|t| t.kind == Kind::Dash);
            match first {
                ' ' | '\t' => self.spaces(),
                '#' if after_space => self.emit(Kind::Comment, rest.len()),
                '"' | '\'' => {
                    let len = quoted_len(rest, first);
                    self.emit_scalar_or_key(Kind::String, len);
                }
                '[' | '{' => {
                    self.flow += 1;
                    self.emit(Kind::Plain, 1);
                }
                ']' | '}' => {
                    self.flow = self.flow.saturating_sub(1);
                    self.emit(Kind::Plain, 1);
                }
                ',' if self.flow > 0 => self.emit(Kind::Plain, 1),
                ':' if ends_word(&rest[1..]) => self.emit(Kind::Plain, 1),
                '-' if self.flow == 0 && after_space && ends_word(&rest[1..]) => {
                    self.emit(Kind::Dash, 1)
                }
                '&' | '*' | '!' => {
                    let len = rest.find([' ', '\t', ',', ']', '}']).unwrap_or(rest.len());
                    self.emit(Kind::Meta, len.max(1));
                }
                '|' | '>' if self.flow == 0 && is_block_indicator(rest) => {
                    let len = rest.find([' ', '\t']).unwrap_or(rest.len());
                    self.emit(Kind::Meta, len);
                    block = true;
                }
                _ => {
                    let len = self.plain_len();
                    let kind = classify(&rest[..len]);
                    self.emit_scalar_or_key(kind, len);
                }
            }
        }
        block
    }

    /// A scalar of `len` bytes: a key when a `:` and a space (or the end) follow it.
    fn emit_scalar_or_key(&mut self, kind: Kind, len: usize) {
        let after = self.rest()[len..].trim_start_matches([' ', '\t']);
        let is_key = after.starts_with(':') && ends_word(&after[1..]);
        self.emit(if is_key { Kind::Key } else { kind }, len);
    }

    /// The length of the plain scalar at `pos`: up to `: `, ` #`, the end,
    /// or (in flow collections) a `,` or closing bracket. Trailing spaces are left out.
    fn plain_len(&self) -> usize {
        let rest = self.rest();
        let mut end = rest.len();
        let mut previous = ' ';
        for (i, c) in rest.char_indices() {
            let stop = match c {
                ':' => ends_word(&rest[i + 1..]) && i > 0,
                '#' => previous == ' ' || previous == '\t',
                ',' | ']' | '}' | '[' | '{' => self.flow > 0 && i > 0,
                _ => false,
            };
            if stop {
                end = i;
                break;
            }
            previous = c;
        }
        let trimmed = rest[..end].trim_end_matches([' ', '\t']).len();
        // Always at least one character, so scanning moves on.
        trimmed.max(rest.chars().next().map_or(0, char::len_utf8))
    }
}

/// True when `rest` (what follows a marker) ends the word: nothing, or a space.
fn ends_word(rest: &str) -> bool {
    rest.is_empty() || rest.starts_with([' ', '\t'])
}

/// `|`, `>`, with optional chomping and indentation indicators (`|-`, `>+2`),
/// followed by nothing, spaces or a comment.
fn is_block_indicator(rest: &str) -> bool {
    let word = rest.split([' ', '\t']).next().unwrap_or("");
    word.len() <= 3
        && word[1..]
            .chars()
            .all(|c| c == '-' || c == '+' || c.is_ascii_digit())
}

/// The length of the quoted scalar at the start of `rest`, quotes included;
/// an unterminated one runs to the end of the line.
fn quoted_len(rest: &str, quote: char) -> usize {
    let mut chars = rest.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            c if c == quote => {
                // In single quotes, '' is an escaped quote.
                if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                    chars.next();
                } else {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    rest.len()
}

/// A plain scalar's kind under YAML 1.2's core schema (the one kubectl's
/// decoder follows for these words).
fn classify(word: &str) -> Kind {
    const LITERALS: [&str; 10] = [
        "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~",
    ];
    if LITERALS.contains(&word) {
        Kind::Literal
    } else if is_number(word) {
        Kind::Number
    } else {
        Kind::String
    }
}

fn is_number(word: &str) -> bool {
    let unsigned = word.strip_prefix(['-', '+']).unwrap_or(word);
    if let Some(hex) = unsigned.strip_prefix("0x") {
        return !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(octal) = unsigned.strip_prefix("0o") {
        return !octal.is_empty() && octal.chars().all(|c| ('0'..='7').contains(&c));
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(word, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    // Digits, at most one dot, then an optional exponent.
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let dots = mantissa.chars().filter(|&c| c == '.').count();
    let mantissa_ok = digits > 0 && dots <= 1 && digits + dots == mantissa.len();
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use Kind::*;

    /// The line's tokens as (kind, text), with the spaces left out of Plain ones.
    fn tokens(line: &str) -> Vec<(Kind, std::string::String)> {
        let lines = highlight(line);
        lines[0]
            .iter()
            .map(|t| match t.kind {
                Plain => (Plain, t.text.replace([' ', '\t'], "")),
                kind => (kind, t.text.to_string()),
            })
            .filter(|(kind, text)| !(*kind == Plain && text.is_empty()))
            .collect()
    }

    fn expect(line: &str, want: &[(Kind, &str)]) {
        let want: Vec<_> = want.iter().map(|(k, t)| (*k, t.to_string())).collect();
        assert_eq!(tokens(line), want, "{line}");
    }

    #[test]
    fn keys_and_scalar_values() {
        expect(
            "  replicas: 2",
            &[(Key, "replicas"), (Plain, ":"), (Number, "2")],
        );
        expect(
            "image: registry.k8s.io/nginx-slim:0.24",
            &[
                (Key, "image"),
                (Plain, ":"),
                (String, "registry.k8s.io/nginx-slim:0.24"),
            ],
        );
        expect(
            "enabled: true   # why",
            &[
                (Key, "enabled"),
                (Plain, ":"),
                (Literal, "true"),
                (Comment, "# why"),
            ],
        );
        expect("x: ~", &[(Key, "x"), (Plain, ":"), (Literal, "~")]);
        expect("metadata:", &[(Key, "metadata"), (Plain, ":")]);
        // A # inside a word and a : without a space belong to the value.
        expect(
            "url: http://web-0.nginx:80/a#b",
            &[
                (Key, "url"),
                (Plain, ":"),
                (String, "http://web-0.nginx:80/a#b"),
            ],
        );
    }

    #[test]
    fn quoted_strings_and_quoted_keys() {
        expect(
            r#"a: "x # not a comment \" still""#,
            &[
                (Key, "a"),
                (Plain, ":"),
                (String, r#""x # not a comment \" still""#),
            ],
        );
        expect(
            "'it''s': 'ok' # yes",
            &[
                (Key, "'it''s'"),
                (Plain, ":"),
                (String, "'ok'"),
                (Comment, "# yes"),
            ],
        );
        // Unterminated: to the end of the line.
        expect(
            r#"a: "open"#,
            &[(Key, "a"), (Plain, ":"), (String, r#""open"#)],
        );
    }

    #[test]
    fn numbers_follow_the_core_schema() {
        let numbers = [
            "0", "-12", "+3", "1.5", ".5", "1e3", "6.02E+23", "0x1F", "0o17", ".inf", "-.inf",
            ".nan",
        ];
        for number in numbers {
            assert_eq!(classify(number), Number, "{number}");
        }
        for word in [
            "1.2.3", "0x", "1e", "12Mi", "-", ".", "v1", "1_000", "yes", "on",
        ] {
            assert_eq!(classify(word), String, "{word}");
        }
    }

    #[test]
    fn dashes_separators_and_comments() {
        expect("---", &[(DocumentMarker, "---")]);
        expect("... # end", &[(DocumentMarker, "..."), (Comment, "# end")]);
        expect("--- !tag", &[(DocumentMarker, "---"), (Meta, "!tag")]);
        expect("----", &[(String, "----")]);
        expect(
            "  - name: web",
            &[(Dash, "-"), (Key, "name"), (Plain, ":"), (String, "web")],
        );
        expect("- - 1", &[(Dash, "-"), (Dash, "-"), (Number, "1")]);
        expect("-1", &[(Number, "-1")]);
        expect("  # note: here", &[(Comment, "# note: here")]);
        expect("%YAML 1.2", &[(Meta, "%YAML 1.2")]);
    }

    #[test]
    fn flow_collections_anchors_and_tags() {
        expect(
            "args: [a, 1, true]",
            &[
                (Key, "args"),
                (Plain, ":["),
                (String, "a"),
                (Plain, ","),
                (Number, "1"),
                (Plain, ","),
                (Literal, "true"),
                (Plain, "]"),
            ],
        );
        expect(
            "labels: {app: nginx}",
            &[
                (Key, "labels"),
                (Plain, ":{"),
                (Key, "app"),
                (Plain, ":"),
                (String, "nginx"),
                (Plain, "}"),
            ],
        );
        expect(
            "base: &b !!map *ref",
            &[
                (Key, "base"),
                (Plain, ":"),
                (Meta, "&b"),
                (Meta, "!!map"),
                (Meta, "*ref"),
            ],
        );
    }

    #[test]
    fn block_scalars_run_while_indented() {
        let text = "script: |-\n  echo a: b # c\n\n  - x\nnext: 1";
        let lines = highlight(text);
        assert_eq!(lines[0][1].text, ": ");
        assert_eq!(
            lines[0].last().map(|t| (t.kind, t.text)),
            Some((Meta, "|-"))
        );
        assert_eq!(
            lines[1],
            [Token {
                kind: String,
                text: "  echo a: b # c"
            }]
        );
        assert_eq!(
            lines[2],
            [Token {
                kind: Plain,
                text: ""
            }]
        );
        assert_eq!(
            lines[3],
            [Token {
                kind: String,
                text: "  - x"
            }]
        );
        assert_eq!(
            lines[4][0],
            Token {
                kind: Key,
                text: "next"
            }
        );
        // In a sequence item, the block belongs to the dash's indentation.
        let lines = highlight("  - >\n    folded\n  - b");
        assert_eq!(lines[1][0].kind, String);
        assert_eq!(lines[2][1].kind, Dash);
    }

    #[test]
    fn the_seed_manifest_is_coloured() {
        let seed = crate::playground::SEED_YAML;
        let lines = highlight(seed);
        assert_eq!(lines.len(), seed.split('\n').count());
        let count = |kind| lines.iter().flatten().filter(|t| t.kind == kind).count();
        assert!(count(Key) > 20 && count(String) > 10 && count(Number) > 2);
        assert_eq!(count(DocumentMarker), 1);
        assert!(count(Dash) >= 2);
    }

    proptest::proptest! {
        #[test]
        fn tokens_cover_each_line_exactly(text in "[ -~\t\nä中]{0,200}") {
            let lines = highlight(&text);
            let rebuilt: Vec<std::string::String> = lines
                .iter()
                .map(|line| line.iter().map(|t| t.text).collect())
                .collect();
            proptest::prop_assert_eq!(rebuilt.join("\n"), text.clone());
            for line in &lines {
                for pair in line.windows(2) {
                    proptest::prop_assert_ne!(pair[0].kind, pair[1].kind);
                }
            }
        }
    }
}
