//! Applies the engine benchmark's StatefulSet and runs the cluster until it
//! settles, once, for profilers and instruction counts
//! (`scripts/instructions.sh`); criterion's many timed runs are for
//! `make bench`.
//!
//! `cargo run --release --example settle -- [REPLICAS] [OrderedReady|Parallel]`

use std::process::ExitCode;
use std::time::Instant;

#[path = "../benches/common/mod.rs"]
mod common;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let replicas = args.next().unwrap_or_else(|| "10000".to_string());
    let policy = args.next().unwrap_or_else(|| "Parallel".to_string());
    let Ok(replicas) = replicas.parse::<usize>() else {
        eprintln!("error: REPLICAS must be a number, not {replicas:?}");
        return ExitCode::from(2);
    };
    if !matches!(policy.as_str(), "OrderedReady" | "Parallel") {
        eprintln!("error: the policy is OrderedReady or Parallel, not {policy:?}");
        return ExitCode::from(2);
    }
    let mut cluster = common::applied(replicas, &policy);
    let started = Instant::now();
    common::settle(&mut cluster);
    let took = started.elapsed();
    println!(
        "{replicas} {policy} replicas settled in {:.0} ms: {} ms of virtual time, {} store writes",
        took.as_secs_f64() * 1000.0,
        cluster.now(),
        cluster.store().resource_version()
    );
    ExitCode::SUCCESS
}
