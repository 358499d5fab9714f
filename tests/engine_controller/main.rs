//! The StatefulSet controller against kubernetes-fidelity.md §1, one module
//! per subsection.

#[path = "../common/mod.rs"]
mod common;

mod defaults; // §1.1
mod events; // §1.10
mod identity; // §1.2, §1.3
mod min_ready; // §1.7
mod ordering; // §1.6 creation, scale, replacement
mod retention; // §1.8
mod revisions; // §1.4, §1.5
mod rolling; // §1.6 update strategies
mod status; // §1.9
mod timeline; // §1.11
