//! Any file text through the editor's diagnostics and `kubectl apply -f`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stsplay::playground::{Mode, Playground};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = stsplay::kubectl::manifest::diagnose(text);
    let mut playground = Playground::new(1, 1, Mode::Script);
    playground
        .files
        .insert("f.yaml".to_string(), text.to_string());
    playground.run(0, "kubectl apply -f f.yaml");
    playground.run(0, "kubectl apply -f f.yaml --validate=warn");
});
