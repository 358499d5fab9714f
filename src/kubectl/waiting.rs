//! What a blocking command (`delete`'s `--wait`, `wait`, `rollout status`)
//! still waits for once it has made its calls.
//!
//! Typed on its own in the browser, such a command holds its terminal while
//! the clock moves, as kubectl holds a real one: the playground checks it
//! after every change, so other terminals' watches unfold meanwhile and the
//! timeline keeps every moment, and Ctrl+C stops it. Anywhere else
//! (transcripts, a pipe, `&&`, a loop) [`Waiting::finish`] runs the clock
//! itself until the command is done.

use super::delete::Gone;
use super::output::Output;
use super::rollout::status::Follow;
use super::wait::Conditions;
use crate::sim::clock::Millis;
use crate::sim::Cluster;

#[derive(Clone, Debug)]
pub enum Waiting {
    Gone(Gone),
    Conditions(Conditions),
    Rollout(Follow),
}

/// When a waiting command gives up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub at: Millis,
    /// kubectl's own `--timeout` (or `wait`'s 30 s default). Otherwise
    /// kubectl waits until Ctrl+C, and `at` is only the bound a script, which
    /// has no Ctrl+C, stops at.
    pub kubectl: bool,
}

impl Waiting {
    /// Looks at the cluster as it is now, printing into `out` what the
    /// command prints meanwhile; true once the command is done.
    pub fn check(&mut self, cluster: &Cluster, out: &mut Output) -> bool {
        match self {
            Waiting::Gone(gone) => gone.check(cluster),
            Waiting::Conditions(conditions) => conditions.check(cluster, out),
            Waiting::Rollout(follow) => follow.check(cluster, out),
        }
    }

    pub fn deadline(&self) -> Deadline {
        match self {
            Waiting::Gone(gone) => gone.deadline,
            Waiting::Conditions(conditions) => conditions.deadline,
            Waiting::Rollout(follow) => follow.deadline,
        }
    }

    /// The deadline passed first: what the command says as it gives up.
    pub fn expire(&self, cluster: &Cluster, out: &mut Output) {
        match self {
            Waiting::Gone(gone) => gone.expire(cluster, out),
            Waiting::Conditions(conditions) => conditions.expire(cluster, out),
            Waiting::Rollout(follow) => follow.expire(out),
        }
    }

    /// Runs the clock until the command is done or its deadline passes,
    /// checking after every change; returns what it printed.
    pub fn finish(mut self, cluster: &mut Cluster) -> Output {
        let mut out = Output::default();
        let deadline = self.deadline().at;
        loop {
            if self.check(cluster, &mut out) {
                return out;
            }
            if !cluster.step_until(deadline) {
                // Nothing changes before the deadline: time runs out.
                cluster.advance(deadline.saturating_sub(cluster.now()));
                if !self.check(cluster, &mut out) {
                    self.expire(cluster, &mut out);
                }
                return out;
            }
        }
    }
}
