//! A bounded fuzz pass over the shells: random lines of shell syntax and
//! the commands tutorials use, typed into the terminal and into a shell in
//! a running container. Nothing may panic, and every line must end (the
//! shells' limits bound loops, nesting and output).

use proptest::prelude::*;
use stsplay::playground::{Mode, Playground};

thread_local! {
    /// A playground with the seed's pods running, copied for every case.
    static RUNNING: Playground = {
        let mut playground = Playground::new(5, 1, Mode::Script);
        playground.run(0, "kubectl apply -f statefulset.yaml");
        playground.settle();
        playground
    };
}

fn running() -> Playground {
    RUNNING.with(Playground::clone)
}

fn line() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("echo".to_string()),
        Just("for i in 1 2; do".to_string()),
        Just("done".to_string()),
        Just("while true; do".to_string()),
        Just("if [ -f x ]; then".to_string()),
        Just("[[".to_string()),
        Just("]]".to_string()),
        Just("=~ ^(.*?)[[:space:]]+(".to_string()),
        Just("${BASH_REMATCH[1]}".to_string()),
        Just("set -ex;".to_string()),
        Just("fi".to_string()),
        Just("$(".to_string()),
        Just(")".to_string()),
        Just("$((1+".to_string()),
        Just("<<EOF".to_string()),
        Just("|".to_string()),
        Just("&&".to_string()),
        Just(">".to_string()),
        Just("2>&1".to_string()),
        Just("{1..3}".to_string()),
        Just("cat".to_string()),
        Just("ls -l /".to_string()),
        Just("curl localhost".to_string()),
        Just("nslookup web-0.nginx".to_string()),
        Just("sh -c".to_string()),
        Just("cd /usr/share/nginx/html".to_string()),
        Just("kubectl exec web-0 --".to_string()),
        Just("kubectl logs web-1".to_string()),
        "[ -~]{0,8}",
    ];
    prop::collection::vec(word, 0..10).prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 100, ..ProptestConfig::default() })]

    #[test]
    fn terminal_lines_never_panic(first in line(), second in line()) {
        let mut playground = running();
        playground.run(0, &first);
        playground.run(0, &second);
        playground.end_of_input(0);
    }

    #[test]
    fn container_shell_lines_never_panic(first in line(), second in line()) {
        let mut playground = running();
        playground.run(0, "kubectl exec -it web-0 -- bash");
        playground.run(0, &first);
        playground.run(0, &second);
        playground.end_of_input(0);
        prop_assert!(playground.terminals[0].session.is_none());
    }
}
