//! Writing a value as one shell word, for command lines the page builds
//! (Apply's `kubectl apply -f FILE`, a completed file name) and for the
//! shell's `set -x` trace.

/// `name` as bash would read it back, quoted as bash's `set -x` quotes
/// words: as it is unless it is empty or holds a character the shell
/// would act on (blanks, quotes, operators, glob and expansion
/// characters, `~` where a tilde expands, `#` first), else in single quotes.
pub fn quote_word(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let special = |i: usize| {
        let c = chars[i];
        let before = i.checked_sub(1).map(|p| chars[p]);
        " \t\n'\"\\|&;()<>!{}*[?]^$`".contains(c)
            || (c == '~' && matches!(before, None | Some('=' | ':')))
            || (c == '#' && i == 0)
    };
    if !name.is_empty() && !(0..chars.len()).any(special) {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::{Mode, Playground};

    #[test]
    fn quoted_words_read_back_as_themselves() {
        let mut pg = Playground::new(1, 1, Mode::Script);
        for name in [
            "web.yaml",
            "my file.yaml",
            "it's.yaml",
            "$HOME",
            "a\"b",
            "",
            "*",
        ] {
            let line = format!("printf '%s|' {}", quote_word(name));
            assert_eq!(pg.exec(0, &line), format!("{name}|\n"), "{line}");
        }
        assert_eq!(quote_word("web-0.yaml"), "web-0.yaml");
        assert_eq!(
            [
                "server-id=100",
                "[mysqld]",
                "a~b",
                "~a",
                "a#b",
                "#a",
                "a^b",
                "é"
            ]
            .map(quote_word),
            [
                "server-id=100",
                "'[mysqld]'",
                "a~b",
                "'~a'",
                "a#b",
                "'#a'",
                "'a^b'",
                "é"
            ]
        );
    }
}
