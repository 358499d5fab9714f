//! The Cassandra tutorial's ring where the docs' manifest is changed the
//! ways learners change it: started in parallel, a joining node refuses to
//! bootstrap beside another one; applied in another namespace, the seed's
//! name (which says `default`) resolves nowhere and the first node cannot
//! start.

use stsplay::playground::{Mode, Playground};

fn playground() -> Playground {
    let mut pg = Playground::new(1, 2, Mode::Script);
    let manifest =
        std::fs::read_to_string("tests/transcripts/cassandra.yaml").expect("the manifest");
    pg.files.insert("cassandra.yaml".into(), manifest.clone());
    pg.files.insert(
        "parallel.yaml".into(),
        manifest.replace(
            "  serviceName: cassandra\n",
            "  serviceName: cassandra\n  podManagementPolicy: Parallel\n",
        ),
    );
    pg
}

/// What a line prints in terminal 1.
fn output(pg: &mut Playground, line: &str) -> String {
    let before = pg.terminals[1].text().len();
    pg.run(1, line);
    pg.terminals[1].text()[before..].to_string()
}

#[test]
fn nodes_started_together_bootstrap_one_at_a_time() {
    let mut pg = playground();
    pg.run(1, "kubectl apply -f parallel.yaml");
    pg.run(1, "sleep 600");
    let previous = output(&mut pg, "kubectl logs cassandra-2 --previous | tail -2");
    assert!(
        previous.contains("Other bootstrapping/leaving/moving nodes detected, cannot bootstrap while cassandra.consistent.rangemovement is true"),
        "{previous}"
    );
    let status = output(&mut pg, "kubectl exec cassandra-0 -- nodetool status");
    assert_eq!(status.matches("UN  10.244.").count(), 3, "{status}");
    let pods = output(&mut pg, "kubectl get pods");
    assert_eq!(pods.matches("1/1     Running").count(), 3, "{pods}");
}

#[test]
fn a_seed_named_in_another_namespace_resolves_nowhere() {
    let mut pg = playground();
    pg.run(1, "kubectl create namespace shop");
    pg.run(1, "kubectl apply -n shop -f cassandra.yaml");
    pg.run(1, "sleep 90");
    let pods = output(&mut pg, "kubectl get pods -n shop");
    assert!(pods.contains("cassandra-0   0/1"), "{pods}");
    assert!(!pods.contains("cassandra-1"), "{pods}");
    let logs = output(
        &mut pg,
        "kubectl logs -n shop cassandra-0 --previous | tail -3",
    );
    assert!(
        logs.contains("WARN  ") && logs.contains("Seed provider couldn't lookup host cassandra-0.cassandra.default.svc.cluster.local"),
        "{logs}"
    );
    assert!(
        logs.contains("Exception (org.apache.cassandra.exceptions.ConfigurationException) encountered during startup: The seed provider lists no seeds."),
        "{logs}"
    );
}
