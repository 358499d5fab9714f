//! Transcript tests: every `tests/transcripts/NAME.sh` runs through a
//! playground in script mode, exactly as `stsplay run` runs it, with the
//! YAML files of that directory open in the editor, and its transcript is
//! compared with the snapshot `tests/snapshots/transcripts__NAME.snap`.
//! Update snapshots with `INSTA_UPDATE=always cargo test --test transcripts`
//! and review the diff.

use std::path::{Path, PathBuf};

use stsplay::playground::{Mode, Playground};

fn directory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts")
}

/// The transcript of one script, run with seed 1 as the runner does by default.
fn transcript(name: &str) -> String {
    let dir = directory();
    let script =
        std::fs::read_to_string(dir.join(format!("{name}.sh"))).expect("the script exists");
    let mut playground = Playground::new(1, 1, Mode::Script);
    for entry in std::fs::read_dir(&dir)
        .expect("the transcript directory exists")
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path).expect("a readable manifest");
            playground.files.insert(name, text);
        }
    }
    playground.run_script(&script)
}

macro_rules! transcripts {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                insta::assert_snapshot!(stringify!($name), transcript(stringify!($name)));
            }
        )*

        /// Every script in the directory has a test above.
        #[test]
        fn every_script_is_tested() {
            let listed = [$(stringify!($name)),*];
            let mut scripts: Vec<String> = std::fs::read_dir(directory())
                .expect("the transcript directory exists")
                .flatten()
                .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".sh")).map(str::to_string))
                .collect();
            scripts.sort();
            for script in scripts {
                assert!(listed.contains(&script.as_str()), "tests/transcripts/{script}.sh has no test");
            }
        }
    };
}

transcripts!(
    seed,
    zookeeper,
    mysql,
    cassandra,
    lifecycle_hooks,
    kind_clusters,
    basic_stateful_set,
    failure_crash_loop,
    failure_bad_image,
    failure_old_image,
    probe_exec,
    failure_node,
    kubectl_edit,
    kubectl_describe,
    kubectl_get_formats,
    kubectl_watch,
    kubectl_rollout,
    kubectl_patch,
    kubectl_wait_events_nodes,
    kubectl_errors,
    kubectl_namespaces,
    kubectl_config,
    kubectl_cp,
    kubectl_debug,
    kubectl_debug_ephemeral,
    kubectl_debug_node,
    kubectl_expose,
    kubectl_logs,
    failure_config_map,
    kubectl_taint,
    failure_service_account,
    kubectl_create_configmap,
    kubectl_create_service,
    kubectl_secrets,
    kubectl_set_env,
    kubectl_set_resources,
    disruption_budget,
    scheduling_affinity,
    scheduling_resources,
    scheduling_pod_limit,
    pvc_resize,
    init_containers,
    kind_system_pods,
    kubectl_dry_run,
    scheduling_spread,
    events_correlation,
    kind_workloads,
    kubectl_diff,
    kubectl_replace,
    kubectl_record,
    failure_provisioner,
    static_volumes,
    volume_lost,
    failure_scripts,
    failure_oom,
    quantities,
);

/// The same script gives the same transcript: no wall clock, no hash order.
#[test]
fn transcripts_are_deterministic() {
    assert_eq!(transcript("seed"), transcript("seed"));
}
