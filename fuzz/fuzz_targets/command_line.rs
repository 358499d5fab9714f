//! Any terminal line through the shell parser and kubectl.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stsplay::playground::{Mode, Playground};

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let _ = stsplay::shell::parse(line, false);
    let _ = stsplay::shell::parse(line, true);
    let mut playground = Playground::new(1, 1, Mode::Script);
    playground.run(0, &format!("kubectl {line}"));
    playground.run(0, line);
    playground.end_of_input(0);
});
