//! Writing a value as one shell word, for command lines the page builds
//! (Apply's `kubectl apply -f FILE`, a completed file name).

/// `name` as bash would read it back: as it is when it holds only letters,
/// digits and `._-/:=@+,%`, else in single quotes.
pub fn quote_word(name: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "._-/:=@+,%".contains(c);
    if !name.is_empty() && name.chars().all(plain) {
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
    }
}
