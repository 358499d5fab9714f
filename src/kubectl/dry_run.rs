//! `--dry-run=none|client|server`: what is sent to the server, and what the
//! success lines add.

use super::args::Parsed;
use super::formats::{self, Printer};
use super::Context;
use crate::sim::Cluster;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    None,
    /// Nothing is sent: kubectl prints what it would do.
    Client,
    /// The server runs admission and validation, and stores nothing.
    Server,
}

impl DryRun {
    /// `--dry-run` and the print flags (`-o`, `--template`) of a command
    /// that writes and may print what it wrote, as Complete reads them.
    pub fn with_printer(
        parsed: &Parsed,
        ctx: &Context<'_>,
    ) -> Result<(DryRun, Option<Printer>), String> {
        Ok((
            DryRun::from_flag(parsed)?,
            formats::print_flags_printer(parsed, ctx)?,
        ))
    }

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

    /// Where a command's writes go: the cluster; for a server dry run a
    /// copy of it, made at the first write and thrown away after (the
    /// server checks and answers, and keeps nothing); for a client dry run
    /// nowhere (nothing is sent).
    pub fn cluster<'a>(
        self,
        cluster: &'a mut Cluster,
        copy: &'a mut Option<Cluster>,
    ) -> Option<&'a mut Cluster> {
        match self {
            DryRun::None => Some(cluster),
            DryRun::Client => None,
            DryRun::Server => Some(copy.get_or_insert_with(|| cluster.clone())),
        }
    }
}
