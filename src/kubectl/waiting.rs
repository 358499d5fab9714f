//! What a blocking command (`delete`'s `--wait`, `wait`, `rollout status`,
//! `drain`, `replace --force` before it creates; `run -i`, `attach` and
//! `debug -i` until they attach, and `run` after its session) still waits
//! for once it has made its calls.
//!
//! Typed on its own in the browser, such a command holds its terminal while
//! the clock moves, as kubectl holds a real one: the playground checks it
//! after every change, so other terminals' watches unfold meanwhile and the
//! timeline keeps every moment, and Ctrl+C stops it. Anywhere else
//! (transcripts, a pipe, `&&`, a loop) [`Waiting::finish`] runs the clock
//! itself until the command is done.

use super::attaching::Attaching;
use super::delete::Gone;
use super::drain::Drain;
use super::exec::Attach;
use super::output::Output;
use super::replace::Replacing;
use super::rollout::status::Follow;
use super::wait::Conditions;
use super::Invocation;
use crate::sim::clock::Millis;
use crate::sim::Cluster;

#[derive(Clone, Debug)]
pub enum Waiting {
    Gone(Gone),
    Conditions(Conditions),
    Rollout(Follow),
    Drain(Drain),
    /// `replace --force`: until the deleted objects are gone, then it creates them.
    Replace(Box<Replacing>),
    /// `run -i`, `attach`, `debug -i`: until they attach, and after.
    Attach(Box<Attaching>),
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
    /// Looks at the cluster as it is now, and acts as the command does then
    /// (drain evicts), printing into `out` what it prints meanwhile; true
    /// once the command is done.
    pub fn check(&mut self, cluster: &mut Cluster, out: &mut Output) -> bool {
        match self {
            Waiting::Gone(gone) => gone.check(cluster),
            Waiting::Conditions(conditions) => conditions.check(cluster, out),
            Waiting::Rollout(follow) => follow.check(cluster, out),
            Waiting::Drain(drain) => drain.check(cluster, out),
            Waiting::Replace(replacing) => replacing.check(cluster, out),
            Waiting::Attach(attaching) => attaching.check(cluster, out),
        }
    }

    /// When the command acts next by its own clock, whatever the cluster
    /// does: drain asking again for an eviction a budget refused, or
    /// kubectl's own timeout.
    pub fn wake_at(&self) -> Option<Millis> {
        let retry = match self {
            Waiting::Drain(drain) => drain.wake_at(),
            _ => None,
        };
        let deadline = self.deadline();
        let timeout = deadline.kubectl.then_some(deadline.at);
        retry.into_iter().chain(timeout).min()
    }

    pub fn deadline(&self) -> Deadline {
        match self {
            Waiting::Gone(gone) => gone.deadline,
            Waiting::Conditions(conditions) => conditions.deadline,
            Waiting::Rollout(follow) => follow.deadline,
            Waiting::Drain(drain) => drain.deadline(),
            Waiting::Replace(replacing) => replacing.deadline(),
            Waiting::Attach(attaching) => attaching.deadline(),
        }
    }

    /// The deadline has come: what the command says as it gives up; true
    /// once it is done (a drain goes on with its next node).
    pub fn expire(&mut self, cluster: &mut Cluster, out: &mut Output) -> bool {
        match self {
            Waiting::Gone(gone) => gone.expire(cluster, out),
            Waiting::Conditions(conditions) => conditions.expire(cluster, out),
            Waiting::Rollout(follow) => follow.expire(out),
            Waiting::Replace(replacing) => replacing.expire(cluster, out),
            Waiting::Drain(drain) => return drain.expire(cluster, out),
            Waiting::Attach(attaching) => return attaching.expire(cluster, out),
        }
        true
    }

    /// Hands the wait to `invocation`'s caller when it waits for it
    /// ([`super::Context::defer_waits`]) and it is not over at once;
    /// otherwise runs the clock until it is over. Either way what the
    /// command prints by then, and what it attaches once done, go into
    /// `invocation`.
    pub(super) fn begin(mut self, cluster: &mut Cluster, defer: bool, invocation: &mut Invocation) {
        let done = if defer {
            self.check(cluster, &mut invocation.output)
        } else {
            invocation.output.merge(self.finish(cluster));
            true
        };
        if done {
            invocation.attach = self.take_attach();
        } else {
            invocation.waiting = Some(self);
        }
    }

    /// Runs the clock until the command is done or its deadline passes,
    /// checking after every change and at the command's own times; returns
    /// what it printed.
    pub fn finish(&mut self, cluster: &mut Cluster) -> Output {
        let mut out = Output::default();
        loop {
            if self.check(cluster, &mut out) {
                return out;
            }
            let deadline = self.deadline().at;
            let until = self.wake_at().map_or(deadline, |at| at.min(deadline));
            if !cluster.step_until(until) {
                // Nothing changes before then: the clock gets there all the same.
                cluster.advance(until.saturating_sub(cluster.now()));
                if until >= deadline && self.expire(cluster, &mut out) {
                    return out;
                }
            }
        }
    }

    /// What the terminal stays attached to once the command is done: the
    /// shell or log stream `run -i`, `attach` and `debug -i` waited for.
    pub fn take_attach(&mut self) -> Option<Attach> {
        match self {
            Waiting::Attach(attaching) => attaching.take_attach(),
            _ => None,
        }
    }
}
