//! A bounded fuzz pass in `cargo test`: random manifests (mutations of the
//! seed and free text) through apply and the editor's diagnostics, and random
//! command lines through the shell parser and kubectl. Nothing may panic.

use proptest::prelude::*;
use stsplay::kubectl::manifest::diagnose;
use stsplay::playground::{Mode, Playground, SEED_YAML};

/// The seed manifest with a random span replaced by random text.
fn mutated_seed() -> impl Strategy<Value = String> {
    (0..SEED_YAML.len(), 0..40usize, "[ -~\t\n]{0,12}").prop_map(|(at, len, insert)| {
        let start = (0..=at)
            .rev()
            .find(|i| SEED_YAML.is_char_boundary(*i))
            .unwrap_or(0);
        let end = (start + len).min(SEED_YAML.len());
        let end = (end..=SEED_YAML.len())
            .find(|i| SEED_YAML.is_char_boundary(*i))
            .unwrap_or(SEED_YAML.len());
        format!("{}{insert}{}", &SEED_YAML[..start], &SEED_YAML[end..])
    })
}

fn manifest() -> impl Strategy<Value = String> {
    prop_oneof![
        mutated_seed(),
        "(([a-z]{1,8}|[-:{}\\[\\]&*!|>'\"#%@`,?]){0,3}[ \t\n]{0,3}){0,40}",
        any::<String>(),
    ]
}

fn command_line() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("kubectl".to_string()),
        Just("get".to_string()),
        Just("apply".to_string()),
        Just("-f".to_string()),
        Just("statefulset.yaml".to_string()),
        Just("--validate=warn".to_string()),
        Just("logs".to_string()),
        Just("exec".to_string()),
        Just("--".to_string()),
        Just("sts/web".to_string()),
        Just("svc/nginx".to_string()),
        Just("-o".to_string()),
        Just("yaml".to_string()),
        Just("create".to_string()),
        Just("configmap".to_string()),
        Just("secret".to_string()),
        Just("generic".to_string()),
        Just("--from-literal=a=b".to_string()),
        Just("--from-file=.".to_string()),
        Just("--from-env-file=statefulset.yaml".to_string()),
        Just("--dry-run=client".to_string()),
        Just("--dry-run=server".to_string()),
        Just("run".to_string()),
        Just("--image=nginx".to_string()),
        Just("delete".to_string()),
        Just("pod".to_string()),
        Just("-n".to_string()),
        Just("kube-system".to_string()),
        Just("etcd-kind-control-plane".to_string()),
        Just("-l".to_string()),
        Just("k8s-app=kube-dns".to_string()),
        Just("--ignore-daemonsets".to_string()),
        Just("--skip-wait-for-delete-timeout=1".to_string()),
        Just("drain".to_string()),
        Just("kind-worker".to_string()),
        Just("pdb".to_string()),
        Just("diff".to_string()),
        Just("replace".to_string()),
        Just("--force".to_string()),
        Just("--cascade=orphan".to_string()),
        Just("scale".to_string()),
        Just("--replicas=3".to_string()),
        Just("deploy/coredns".to_string()),
        Just("ds/kube-proxy".to_string()),
        Just("rs".to_string()),
        Just("describe".to_string()),
        Just("rollout".to_string()),
        Just("status".to_string()),
        Just("restart".to_string()),
        Just("base64".to_string()),
        Just("-d".to_string()),
        Just("|".to_string()),
        Just("&&".to_string()),
        Just(";".to_string()),
        "[ -~]{0,8}",
    ];
    prop::collection::vec(word, 0..8).prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn apply_never_panics(text in manifest()) {
        let _ = diagnose(&text, "web.yaml");
        let mut playground = Playground::new(3, 1, Mode::Script);
        playground.files.insert("statefulset.yaml".to_string(), text);
        playground.run(0, "kubectl apply -f statefulset.yaml");
        playground.run(0, "kubectl apply -f statefulset.yaml --validate=warn");
        playground.run(0, "kubectl delete -f statefulset.yaml");
    }

    #[test]
    fn command_lines_never_panic(line in command_line()) {
        let _ = stsplay::shell::parse(&line, false);
        let _ = stsplay::shell::parse(&line, true);
        let mut playground = Playground::new(3, 1, Mode::Script);
        playground.run(0, &line);
        playground.run(0, &format!("kubectl {line}"));
        playground.end_of_input(0);
    }

    #[test]
    fn command_lines_against_a_running_set_never_panic(line in command_line()) {
        let mut playground = Playground::new(3, 1, Mode::Script);
        playground.files.insert("statefulset.yaml".to_string(), SEED_YAML.to_string());
        playground.run(0, "kubectl apply -f statefulset.yaml");
        playground.run(0, "sleep 20");
        playground.run(0, &format!("kubectl {line}"));
        playground.end_of_input(0);
    }
}
