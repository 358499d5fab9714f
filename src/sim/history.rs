//! A timeline of cluster states for stepping back and scrubbing.
//!
//! Cloning a cluster copies its maps (objects are shared through `Rc`), so a
//! clone per step costs memory in proportion to the cluster's size. The
//! history keeps a clone every [`History::DEFAULT_EVERY`] points and after
//! every outside input, and rebuilds the points between by replaying the
//! recorded clock transitions, which are deterministic.

use std::collections::BTreeMap;

use super::clock::Millis;
use super::cluster::Cluster;

/// How the cluster got from the previous point to this one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    /// [`Cluster::step`]: the next visible change.
    Step,
    /// [`Cluster::run_next_task`]: one queued task.
    Task,
    /// [`Cluster::advance`] by this many milliseconds.
    Advance(Millis),
    /// Anything else (a kubectl command, a fault): not replayable, so the
    /// point is always kept as a snapshot.
    Input,
}

#[derive(Clone, Debug)]
pub struct History {
    /// (virtual time, how it was reached) for every point; index 0 is the start.
    points: Vec<(Millis, Transition)>,
    snapshots: BTreeMap<usize, Cluster>,
    cursor: usize,
    every: usize,
}

impl History {
    /// Snapshot spacing: replaying up to this many steps is cheap, while a
    /// clone per step would grow memory with every change.
    pub const DEFAULT_EVERY: usize = 16;

    pub fn new(start: &Cluster) -> History {
        History::with_spacing(start, History::DEFAULT_EVERY)
    }

    pub fn with_spacing(start: &Cluster, every: usize) -> History {
        let mut snapshots = BTreeMap::new();
        snapshots.insert(0, start.clone());
        History {
            points: vec![(start.now(), Transition::Input)],
            snapshots,
            cursor: 0,
            every: every.max(1),
        }
    }

    /// Records the cluster after `how`. Recording while looking at the past
    /// discards the points after the cursor, as an editor's undo does.
    pub fn record(&mut self, cluster: &Cluster, how: Transition) {
        self.points.truncate(self.cursor + 1);
        self.snapshots.retain(|index, _| *index <= self.cursor);
        self.points.push((cluster.now(), how));
        self.cursor = self.points.len() - 1;
        if how == Transition::Input || self.cursor.is_multiple_of(self.every) {
            self.snapshots.insert(self.cursor, cluster.clone());
        }
    }

    /// Number of points (the start counts as one).
    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    pub fn position(&self) -> usize {
        self.cursor
    }

    pub fn is_at_end(&self) -> bool {
        self.cursor + 1 == self.points.len()
    }

    /// Virtual time of each point, for drawing the timeline.
    pub fn times(&self) -> Vec<Millis> {
        self.points.iter().map(|(at, _)| *at).collect()
    }

    /// The cluster at `index`, rebuilt from the nearest snapshot; moves the cursor there.
    pub fn seek(&mut self, index: usize) -> Option<Cluster> {
        let target = index.min(self.points.len().checked_sub(1)?);
        let (&from, snapshot) = self.snapshots.range(..=target).next_back()?;
        let mut cluster = snapshot.clone();
        for (_, how) in self.points.get(from + 1..=target).unwrap_or(&[]) {
            match how {
                Transition::Step => {
                    cluster.step();
                }
                Transition::Task => {
                    cluster.run_next_task();
                }
                Transition::Advance(by) => cluster.advance(*by),
                // Every input point has a snapshot, so replay never crosses one.
                Transition::Input => {}
            }
        }
        self.cursor = target;
        Some(cluster)
    }

    /// One point back, if there is one.
    pub fn back(&mut self) -> Option<Cluster> {
        let index = self.cursor.checked_sub(1)?;
        self.seek(index)
    }

    /// One point forward, if there is one.
    pub fn forward(&mut self) -> Option<Cluster> {
        if self.is_at_end() {
            return None;
        }
        self.seek(self.cursor + 1)
    }

    /// How many clusters are kept in memory.
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }
}
