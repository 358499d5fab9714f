//! kubectl with no cluster in its kubeconfig (after `kind delete cluster`):
//! it falls back to http://localhost:8080, where nothing listens. Commands
//! that need the server fail as kubectl 1.34's do: the discovery client
//! logs each failed attempt to read the API group list through klog, then
//! the command gives up with its one-line hint.

use super::args::Parsed;
use super::info;
use super::output::Output;
use crate::sim::clock::{timestamp, Millis};

/// The commands that never talk to the server.
const LOCAL: [&str; 3] = ["config", "completion", "options"];

/// How many times discovery asks before kubectl gives up.
const ATTEMPTS: u32 = 5;

/// The process id klog prints: any fixed number serves, as each kubectl
/// run is a new process.
const PID: u32 = 48_213;

const REFUSED: &str =
    "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n";

/// What `kubectl <verb>` prints at `now` without a server, or None when it
/// runs without one.
pub fn refusal(verb: &str, parsed: &Parsed, now: Millis) -> Option<Output> {
    if LOCAL.contains(&verb) {
        return None;
    }
    if verb == "version" {
        if parsed.bool("client") {
            return None;
        }
        // The client's versions first; the server's is what fails.
        let mut output = info::version_of_client();
        output.print_err(REFUSED);
        output.code = 1;
        return Some(output);
    }
    let mut stderr = String::new();
    for attempt in 0..ATTEMPTS {
        // Each attempt is a fresh dial, a millisecond or so after the last.
        stderr.push_str(&klog_error(now, attempt));
    }
    stderr.push_str(REFUSED);
    Some(Output::fail(stderr))
}

fn klog_error(now: Millis, attempt: u32) -> String {
    let when = timestamp(now);
    let micros = 412_307 + attempt * 1_163;
    format!(
        "E{}.{micros:06} {PID:>7} memcache.go:265] \"Unhandled Error\" err=\"couldn't get current server API group list: Get \\\"http://localhost:8080/api?timeout=32s\\\": dial tcp [::1]:8080: connect: connection refused\"\n",
        when.strftime("%m%d %H:%M:%S")
    )
}
