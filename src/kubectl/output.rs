//! What a kubectl invocation prints, and its exit code.

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Output {
    pub fn ok(stdout: String) -> Output {
        Output {
            stdout,
            stderr: String::new(),
            code: 0,
        }
    }

    /// A client error, printed as `error: …` with exit code 1.
    pub fn error(message: impl std::fmt::Display) -> Output {
        Output {
            stdout: String::new(),
            stderr: format!("error: {message}\n"),
            code: 1,
        }
    }

    /// A failure printed exactly as given (server errors carry their own
    /// prefix), ending in one newline as kubectl's fatal handler does.
    pub fn fail(text: impl std::fmt::Display) -> Output {
        let mut stderr = text.to_string();
        if !stderr.ends_with('\n') {
            stderr.push('\n');
        }
        Output {
            stdout: String::new(),
            stderr,
            code: 1,
        }
    }

    pub fn out(&mut self, line: impl AsRef<str>) {
        self.stdout.push_str(line.as_ref());
        self.stdout.push('\n');
    }

    pub fn err(&mut self, line: impl AsRef<str>) {
        self.stderr.push_str(line.as_ref());
        self.stderr.push('\n');
    }

    pub fn merge(&mut self, other: Output) {
        self.stdout.push_str(&other.stdout);
        self.stderr.push_str(&other.stderr);
        if other.code != 0 {
            self.code = other.code;
        }
    }
}
