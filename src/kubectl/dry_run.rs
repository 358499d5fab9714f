//! `--dry-run=none|client|server`: what is sent to the server, and what the
//! success lines add.

use super::args::Parsed;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    None,
    /// Nothing is sent: kubectl prints what it would do.
    Client,
    /// The server runs admission and validation, and stores nothing.
    Server,
}

impl DryRun {
    pub fn from_flag(parsed: &Parsed) -> Result<DryRun, String> {
        match parsed.value("dry-run") {
            None | Some("none") => Ok(DryRun::None),
            Some("client") => Ok(DryRun::Client),
            Some("server") => Ok(DryRun::Server),
            Some(other) => Err(format!(
                "Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
            )),
        }
    }

    /// What kubectl's printers add to `… created`.
    pub fn note(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}
