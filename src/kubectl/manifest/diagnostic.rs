//! A problem found in a manifest, placed on its line for the editor.

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Severity {
    Error,
    Warning,
}

/// One editor marker: 1-based line and column, and the message to show.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub severity: Severity,
}

impl Diagnostic {
    pub fn error(line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            line,
            column,
            message: message.into(),
            severity: Severity::Error,
        }
    }

    pub fn warning(line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            line,
            column,
            message: message.into(),
            severity: Severity::Warning,
        }
    }
}
