//! Transcript tests of the terminal's shell and of what runs inside
//! containers. Each script in `tests/transcripts_shell/` runs through a
//! playground exactly as `stsplay run SCRIPT` does, and its transcript is
//! compared with the insta snapshot next to it.

use std::fs;
use std::path::Path;

use stsplay::playground::{Mode, Playground};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/transcripts_shell");

/// Every script, so a new one cannot be forgotten here.
const SCRIPTS: &[&str] = &[
    "container_users",
    "crash_loop",
    "dns_outage",
    "exec_and_logs_errors",
    "shell_basics",
    "shell_limits",
    "stable_network_identity",
    "stable_storage",
    "userland_dns_and_http",
];

fn check(name: &str) {
    let script = fs::read_to_string(Path::new(DIR).join(format!("{name}.txt")))
        .unwrap_or_else(|e| panic!("{name}.txt: {e}"));
    let transcript = Playground::new(1, 1, Mode::Script).run_script(&script);
    insta::with_settings!({ snapshot_path => Path::new(DIR).join("snapshots"), prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, transcript);
    });
}

#[test]
fn every_script_has_a_test() {
    let mut found: Vec<String> = fs::read_dir(DIR)
        .expect("tests/transcripts_shell")
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".txt")
                .map(str::to_string)
        })
        .collect();
    found.sort();
    assert_eq!(found, SCRIPTS);
}

#[test]
fn container_users() {
    check("container_users");
}

#[test]
fn crash_loop() {
    check("crash_loop");
}

#[test]
fn dns_outage() {
    check("dns_outage");
}

#[test]
fn exec_and_logs_errors() {
    check("exec_and_logs_errors");
}

#[test]
fn shell_basics() {
    check("shell_basics");
}

#[test]
fn shell_limits() {
    check("shell_limits");
}

#[test]
fn stable_network_identity() {
    check("stable_network_identity");
}

#[test]
fn stable_storage() {
    check("stable_storage");
}

#[test]
fn userland_dns_and_http() {
    check("userland_dns_and_http");
}
