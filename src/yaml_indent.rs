//! The indentation the YAML editor gives a new line, as code editors do:
//! the line's own, one step deeper after a key that opens a block (`spec:`),
//! and under a list item's content after `- `, so Enter after `image: nginx`
//! does not leave the cursor at column 0, where the next key would break
//! the document.

/// One level of indentation: what Tab inserts.
pub const STEP: &str = "  ";

/// What follows the line break typed at the end of `before` (the text up to
/// the caret): the new line's leading spaces.
pub fn after_newline(before: &str) -> String {
    let line = before.rsplit('\n').next().unwrap_or("");
    let content = line.trim_start_matches(' ');
    let mut width = line.len() - content.len();
    // `- name: web` and `-   x`: the item's content sets the column.
    let mut rest = content;
    while let Some(item) = rest.strip_prefix('-') {
        let inner = item.trim_start_matches(' ');
        if inner.len() == item.len() && !item.is_empty() {
            break; // `-1` or `--x` is a scalar, not an item
        }
        width += 1 + item.len() - inner.len();
        rest = inner;
    }
    if opens_block(rest) {
        width += STEP.len();
    }
    " ".repeat(width)
}

/// `key:` (with nothing after it but a comment) or a block scalar's header
/// (`key: |`, `key: >-`, `key: |+2`).
fn opens_block(content: &str) -> bool {
    let code = match content.find(" #") {
        Some(at) => &content[..at],
        None if content.starts_with('#') => "",
        None => content,
    }
    .trim_end();
    if code.ends_with(':') {
        return true;
    }
    let header = code.rsplit_once(": ").map_or("", |(_, value)| value);
    let mut chars = header.chars();
    matches!(chars.next(), Some('|' | '>'))
        && chars.all(|c| c == '-' || c == '+' || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::after_newline;

    #[test]
    fn keeps_the_lines_indent_and_opens_blocks() {
        let cases = [
            ("", ""),
            ("apiVersion: v1", ""),
            ("metadata:", "  "),
            ("metadata:\n  name: web", "  "),
            ("spec:\n  template:", "    "),
            ("      containers:", "        "),
            ("      - name: nginx", "        "),
            ("      - name: nginx\n        image: nginx", "        "),
            ("  - metadata:", "      "),
            ("- - a", "    "),
            ("  ports:  # the web port", "    "),
            ("  command: [\"sh\", \"-c\"]", "  "),
            ("    script: |", "      "),
            ("    script: >-", "      "),
            ("    script: |+2", "      "),
            ("    pipe: a | b", "    "),
            ("  # a comment:", "  "),
            ("  -1", "  "),
            ("  - ", "    "),
        ];
        for (before, want) in cases {
            assert_eq!(after_newline(before), want, "after {before:?}");
        }
    }
}
