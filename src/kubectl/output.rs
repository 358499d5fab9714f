//! What a kubectl invocation prints, and its exit code. Besides the two
//! streams, the order in which text was written is kept, because a
//! terminal interleaves them: a warning comes before the line it warns
//! about, an error after the progress lines of a blocking command.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
    /// Both streams in the order they were written.
    written: Vec<(Stream, String)>,
}

impl Output {
    pub fn ok(stdout: String) -> Output {
        let mut out = Output::default();
        out.print(&stdout);
        out
    }

    /// A client error, printed as `error: …` with exit code 1.
    pub fn error(message: impl std::fmt::Display) -> Output {
        Output::fail(format!("error: {message}"))
    }

    /// A failure printed exactly as given (server errors carry their own
    /// prefix), ending in one newline as kubectl's fatal handler does.
    pub fn fail(text: impl std::fmt::Display) -> Output {
        let mut stderr = text.to_string();
        if !stderr.ends_with('\n') {
            stderr.push('\n');
        }
        let mut out = Output {
            code: 1,
            ..Default::default()
        };
        out.print_err(&stderr);
        out
    }

    /// Text on stdout as given (no newline added).
    pub fn print(&mut self, text: &str) {
        self.write(Stream::Out, text);
    }

    /// Text on stderr as given (no newline added).
    pub fn print_err(&mut self, text: &str) {
        self.write(Stream::Err, text);
    }

    fn write(&mut self, stream: Stream, text: &str) {
        if text.is_empty() {
            return;
        }
        match stream {
            Stream::Out => self.stdout.push_str(text),
            Stream::Err => self.stderr.push_str(text),
        }
        match self.written.last_mut() {
            Some((last, chunk)) if *last == stream => chunk.push_str(text),
            _ => self.written.push((stream, text.to_string())),
        }
    }

    pub fn out(&mut self, line: impl AsRef<str>) {
        self.print(&format!("{}\n", line.as_ref()));
    }

    pub fn err(&mut self, line: impl AsRef<str>) {
        self.print_err(&format!("{}\n", line.as_ref()));
    }

    pub fn merge(&mut self, other: Output) {
        for (stream, text) in other.chunks() {
            self.write(stream, &text);
        }
        if other.code != 0 {
            self.code = other.code;
        }
    }

    /// What a terminal shows, in order. Text pushed onto `stdout` or
    /// `stderr` directly has no recorded order; then errors come first.
    pub fn chunks(&self) -> Vec<(Stream, String)> {
        let joined = |stream: Stream| -> String {
            self.written
                .iter()
                .filter(|(s, _)| *s == stream)
                .map(|(_, t)| t.as_str())
                .collect()
        };
        if joined(Stream::Out) == self.stdout && joined(Stream::Err) == self.stderr {
            return self.written.clone();
        }
        [
            (Stream::Err, self.stderr.clone()),
            (Stream::Out, self.stdout.clone()),
        ]
        .into_iter()
        .filter(|(_, text)| !text.is_empty())
        .collect()
    }
}

/// An error aggregate's text as apimachinery writes it: one message bare,
/// several distinct ones in brackets.
pub fn aggregate(messages: &[impl AsRef<str>]) -> String {
    let mut distinct: Vec<&str> = Vec::new();
    for message in messages.iter().map(AsRef::as_ref) {
        if !distinct.contains(&message) {
            distinct.push(message);
        }
    }
    match distinct.as_slice() {
        [one] => one.to_string(),
        many => format!("[{}]", many.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_like_apimachinery() {
        assert_eq!(aggregate(&["a"]), "a");
        assert_eq!(aggregate(&["a", "a"]), "a");
        assert_eq!(aggregate(&["a", "b", "a"]), "[a, b]");
    }

    #[test]
    fn keeps_the_order_of_both_streams() {
        let mut out = Output::default();
        out.out("Waiting for 1 pods to be ready...");
        out.merge(Output::error("timed out waiting for the condition"));
        assert_eq!(
            out.chunks(),
            [
                (
                    Stream::Out,
                    "Waiting for 1 pods to be ready...\n".to_string()
                ),
                (
                    Stream::Err,
                    "error: timed out waiting for the condition\n".to_string()
                )
            ]
        );
        assert_eq!(out.code, 1);
    }

    #[test]
    fn direct_writes_fall_back_to_errors_first() {
        let mut out = Output::ok("table\n".to_string());
        out.stderr.push_str("oops\n");
        assert_eq!(out.chunks()[0], (Stream::Err, "oops\n".to_string()));
    }
}
