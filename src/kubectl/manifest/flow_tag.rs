//! A guard in front of the YAML parser. libyaml-safer 0.3.0 panics (a
//! leftover `panic!("TODO")` in its tag scanner) on a tag followed directly
//! by `,` inside a flow collection, e.g. `[!x,y]`; in the browser a panic
//! aborts the whole page. Rather than model the scanner's state, the guard
//! is deliberately coarse: once a `[` or `{` has appeared, any `!…,` outside
//! a comment is refused with a syntax error that says how to fix it. Quoted
//! text such as `"hi!, there"` after a flow collection is refused too; that
//! costs a space, where a missed case would cost the page.

/// Characters libyaml accepts inside a tag outside `!<…>`.
fn tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_;/?:@&=+$.%!~*'()#".contains(c)
}

/// The 1-based line and column of the first `!` that could reach the panic.
pub fn find(text: &str) -> Option<(usize, usize)> {
    let mut flow_seen = false;
    let mut previous = '\n';
    let mut chars = text.chars().peekable();
    let (mut line, mut column) = (1usize, 0usize);
    while let Some(c) = chars.next() {
        column += 1;
        match c {
            '\n' => {
                line += 1;
                column = 0;
            }
            '#' if previous.is_whitespace() => {
                while chars.peek().is_some_and(|n| *n != '\n') {
                    chars.next();
                }
            }
            '[' | '{' => flow_seen = true,
            '!' if flow_seen => {
                let start = (line, column);
                while chars.peek().is_some_and(|n| tag_char(*n)) {
                    chars.next();
                    column += 1;
                }
                if chars.peek() == Some(&',') {
                    return Some(start);
                }
            }
            _ => {}
        }
        previous = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn finds_the_fuzzer_inputs() {
        assert_eq!(find("[[F,!,F"), Some((1, 5)));
        assert_eq!(find("['!,:+['!,:+"), Some((1, 3)));
        assert_eq!(find("a: [!foo,bar]"), Some((1, 5)));
        assert_eq!(find("a: |\n  'x\nb: [!foo,bar]"), Some((3, 5)));
    }

    #[test]
    fn leaves_ordinary_manifests_alone() {
        assert_eq!(find("a: [!foo ,bar]"), None);
        assert_eq!(find("a: b! # [!x,y]"), None);
        assert_eq!(
            find("msg: \"hi!, there\""),
            None,
            "no flow collection before it"
        );
        assert_eq!(find(crate::playground::SEED_YAML), None);
    }
}
