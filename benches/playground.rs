//! The timeline's copies of a playground, in the state `scripts/perf.mjs`
//! times Step in: the tutorial's StatefulSet made Parallel and scaled to
//! 1,000 replicas, settled until at least 500 pods exist (kind's two workers
//! run 216 of them; the rest wait in Pending), the watch terminal full of
//! their rows.
//!
//! `cargo bench --bench playground -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use stsplay::playground::{Playground, Timeline};
use stsplay::sim::Kind;

/// Makes the tutorial's StatefulSet create its pods without waiting for
/// each other, as perf.mjs does, so pods that cannot be placed still exist.
const PARALLEL: &str =
    r#"sed -i "s/^  replicas: 2$/&\n  podManagementPolicy: Parallel/" statefulset.yaml"#;

/// The playground as perf.mjs has it when it starts clicking Step, and its timeline.
fn busy_playground() -> (Playground, Timeline) {
    let mut playground = Playground::tutorial(1);
    let mut timeline = Timeline::default();
    timeline.record(&mut playground, |p| p.run(1, PARALLEL));
    timeline.record(&mut playground, |p| {
        p.run(1, "kubectl apply -f statefulset.yaml")
    });
    timeline.record(&mut playground, |p| p.settle());
    timeline.record(&mut playground, |p| {
        p.run(1, "kubectl scale sts web --replicas=1000")
    });
    let pods = |p: &Playground| p.cluster.store().list(Kind::Pod).count();
    for _ in 0..10 {
        if pods(&playground) >= 500 {
            break;
        }
        timeline.record(&mut playground, |p| p.settle());
    }
    (playground, timeline)
}

fn copies(c: &mut Criterion) {
    let (mut playground, mut timeline) = busy_playground();
    let mut group = c.benchmark_group("timeline");
    group.sample_size(20);
    group.bench_function("clone_playground_1000_pods", |b| {
        b.iter(|| black_box(playground.clone()))
    });
    group.bench_function("clone_cluster_1000_pods", |b| {
        b.iter(|| black_box(playground.cluster.clone()))
    });
    group.bench_function("clone_terminals_1000_pods", |b| {
        b.iter(|| black_box(playground.terminals.clone()))
    });
    group.bench_function("drop_playground_1000_pods", |b| {
        b.iter_batched(|| playground.clone(), drop, BatchSize::LargeInput)
    });
    // Steps as perf.mjs clicks them, a copy every few: the mean includes the copies.
    group.bench_function("record_step_1000_pods", |b| {
        b.iter(|| timeline.record(&mut playground, |p| p.step()))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = copies
}
criterion_main!(benches);
