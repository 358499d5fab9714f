//! Apply-to-settled for 10 … 10,000 replicas under both pod management
//! policies, and a rolling update of 1,000 pods.
//!
//! `cargo bench --bench engine -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use stsplay::sim::{History, Transition};

mod common;
use common::{applied, object, settle, statefulset};

fn apply_to_settled(c: &mut Criterion) {
    let sizes: [(&str, &[usize]); 2] = [
        ("OrderedReady", &[10, 100, 1_000, 10_000]),
        ("Parallel", &[10, 100, 1_000, 10_000]),
    ];
    for (policy, replica_counts) in sizes {
        let mut group = c.benchmark_group(format!("apply_to_settled/{policy}"));
        for &replicas in replica_counts {
            if replicas >= 1_000 {
                group.sample_size(10);
            }
            group.bench_with_input(
                BenchmarkId::from_parameter(replicas),
                &replicas,
                |b, &replicas| {
                    b.iter_batched(
                        || applied(replicas, policy),
                        |mut cluster| {
                            settle(&mut cluster);
                            black_box(cluster)
                        },
                        BatchSize::PerIteration,
                    )
                },
            );
        }
        group.finish();
    }
}

fn rolling_update(c: &mut Criterion) {
    let mut group = c.benchmark_group("rolling_update");
    group.sample_size(10);
    let mut settled = applied(1_000, "OrderedReady");
    settle(&mut settled);
    let updated = object(&statefulset(
        1_000,
        "OrderedReady",
        "registry.k8s.io/nginx-slim:0.24",
    ));
    group.bench_function("1000", |b| {
        b.iter_batched(
            || settled.clone(),
            |mut cluster| {
                let mut next = updated.clone();
                if let Some(current) = cluster.store().get(&next.key()) {
                    next.meta_mut().uid = current.meta().uid.clone();
                }
                cluster.update(next).expect("update");
                settle(&mut cluster);
                black_box(cluster)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// Time travel on a settled 1,000-pod cluster during a rolling update: a
/// full clone (what a snapshot per step would cost every step) against
/// rebuilding the worst point from History's previous snapshot.
fn snapshots(c: &mut Criterion) {
    let mut group = c.benchmark_group("history");
    let mut cluster = applied(1_000, "Parallel");
    settle(&mut cluster);
    group.bench_function("clone_1000_pods", |b| b.iter(|| black_box(cluster.clone())));
    let mut history = History::new(&cluster);
    let mut next = object(&statefulset(
        1_000,
        "Parallel",
        "registry.k8s.io/nginx-slim:0.24",
    ));
    if let Some(current) = cluster.store().get(&next.key()) {
        next.meta_mut().uid = current.meta().uid.clone();
    }
    cluster.update(next).expect("update");
    history.record(&cluster, Transition::Input);
    for _ in 0..History::DEFAULT_EVERY * 4 {
        cluster.step();
        history.record(&cluster, Transition::Step);
    }
    // The point just before a snapshot replays the most steps.
    let worst = history.len() - 2;
    group.bench_function("seek_1000_pods_worst_case", |b| {
        b.iter(|| black_box(history.seek(worst)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = apply_to_settled, rolling_update, snapshots
}
criterion_main!(benches);
