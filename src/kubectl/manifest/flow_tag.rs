//! A guard in front of the YAML parser. libyaml-safer 0.3.0 panics (a
//! leftover `panic!("TODO")` in its tag scanner) on a tag followed directly
//! by `,` inside a flow collection, e.g. `[!x,y]`; a panic would take the
//! whole page down in the browser, where panics abort. Such input is
//! refused here with a syntax error instead.

/// Characters libyaml accepts inside a tag outside `!<…>`.
fn tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_;/?:@&=+$.%!~*'()#".contains(c)
}

/// The 1-based line and column of the first tag that is followed directly
/// by a comma inside `[…]` or `{…}`.
pub fn find(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut previous = '\n';
    let mut chars = text.chars().peekable();
    let (mut line, mut column) = (1usize, 0usize);
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
        }
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') if matches!(previous, ' ' | '\t' | '\n' | '[' | '{' | ',' | ':') => {
                quote = Some(c)
            }
            (None, '#') if matches!(previous, ' ' | '\t' | '\n') => {
                while chars.peek().is_some_and(|n| *n != '\n') {
                    chars.next();
                }
            }
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            (None, '!') if depth > 0 && matches!(previous, ' ' | '\t' | '\n' | '[' | '{' | ',') => {
                let (start_line, start_column) = (line, column);
                while chars.peek().is_some_and(|n| tag_char(*n)) {
                    chars.next();
                    column += 1;
                }
                if chars.peek() == Some(&',') {
                    return Some((start_line, start_column));
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
    fn finds_the_fuzzer_input_and_nothing_ordinary() {
        assert_eq!(find("[[F,!,F"), Some((1, 5)));
        assert_eq!(find("a: [!foo,bar]"), Some((1, 5)));
        assert_eq!(find("a: [!foo ,bar]"), None);
        assert_eq!(find("a: \"[!x,y]\""), None);
        assert_eq!(find("a: b! # [!x,y]"), None);
        assert_eq!(
            find("accessModes: [ \"ReadWriteOnce\" ]\nimage: a!b,c"),
            None
        );
    }
}
