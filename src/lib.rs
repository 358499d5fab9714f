//! stsplay: a Kubernetes StatefulSet playground.
//!
//! - [`sim`]: the simulated cluster (store, controllers, kubelets, clock).
//! - [`kubectl`]: a client of the simulated apiserver with kubectl's syntax and output.
//! - [`shell`]: the terminal's bash-like shell, also used by shells inside containers.
//! - [`container`]: what runs inside simulated containers (exec, logs, DNS, HTTP, files).
//! - [`highlight`]: YAML syntax highlighting tokens for the editor; [`yaml_indent`]: its Enter.
//! - [`playground`]: a session (cluster, files, terminals) shared by the web UI and the native runner.
//! - `ui` (wasm32 only): the Yew front end.

pub mod container;
pub mod highlight;
pub mod kubectl;
pub mod playground;
pub mod shell;
pub mod sim;
#[cfg(test)]
mod testing;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod yaml_indent;
