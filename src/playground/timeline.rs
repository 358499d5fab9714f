//! Step back and the scrubber: every visible change of the playground since
//! it opened (or was reset) is a moment the user can return to. Going back
//! (or forward again, until something new happens) restores the cluster and
//! the terminals; the editor's files stay as the user left them.
//!
//! Copying the playground at every change would cost as much as the change
//! itself with hundreds of pods, so the timeline keeps a copy only every few
//! moments and rebuilds the ones between by replaying the journaled inputs
//! that led to them: the simulation is deterministic, so a replay prints the
//! same thing again (the journal relies on this for reloads, too).

use std::collections::BTreeMap;

use super::{Input, Playground, SCRIPT_WATCH_LIMIT};

/// A copy is kept every this many moments at first; when there are more
/// than [`MAX_SNAPSHOTS`] copies, every other one goes and the spacing doubles,
/// so memory stays bounded while any moment stays reachable.
const FIRST_SPACING: usize = 16;
const MAX_SNAPSHOTS: usize = 128;
/// What the copies may hold together, counted in terminal lines, stored
/// objects and watch-log entries (each some tens of bytes): a session with
/// long outputs or a large cluster keeps fewer copies, spaced wider.
const MAX_KEPT: usize = 2_000_000;

#[derive(Clone, Debug)]
pub struct Timeline {
    /// Copies of the playground (without the editor's files) by moment;
    /// moment 0, the oldest, always has one once anything was recorded.
    snapshots: BTreeMap<usize, Playground>,
    /// `steps[k]` leads from moment k to moment k + 1.
    steps: Vec<Step>,
    /// Inputs after the newest moment that changed nothing visible (time
    /// passing on a quiet cluster); the present includes them.
    unseen: Vec<Input>,
    /// Which moment is shown.
    position: usize,
    /// The present, set aside while an earlier moment is shown.
    present: Option<Playground>,
    spacing: usize,
    /// See [`MAX_KEPT`].
    max_kept: usize,
    /// Copies no longer kept, dropped one per change (all at once when the
    /// user is idle): thinning lets go of dozens of copies of a large cluster
    /// at once, which would stall the frame that thinned them.
    discarded: Vec<Playground>,
}

impl Default for Timeline {
    fn default() -> Timeline {
        Timeline {
            snapshots: BTreeMap::new(),
            steps: Vec::new(),
            unseen: Vec::new(),
            position: 0,
            present: None,
            spacing: FIRST_SPACING,
            max_kept: MAX_KEPT,
            discarded: Vec::new(),
        }
    }
}

#[derive(Clone, Debug)]
struct Step {
    inputs: Vec<Input>,
    /// What the change showed, for the scrubber's marks.
    label: String,
}

/// What distinguishes two visible moments: how many changes the store has
/// seen, and what each terminal shows.
#[derive(PartialEq)]
struct Screen {
    changes: u64,
    terminals: Vec<(usize, bool)>,
}

impl Screen {
    fn of(playground: &Playground) -> Screen {
        Screen {
            changes: playground.cluster.store().resource_version(),
            terminals: playground
                .terminals
                .iter()
                .map(|t| (t.lines.len(), t.is_busy()))
                .collect(),
        }
    }
}

impl Timeline {
    /// Runs `change`; if it changed what a user can see (the store or a
    /// terminal's screen), that is a new moment. Changing an earlier moment
    /// discards the moments after it, as an editor's undo does.
    pub fn record<R>(
        &mut self,
        playground: &mut Playground,
        change: impl FnOnce(&mut Playground) -> R,
    ) -> R {
        if self.snapshots.is_empty() {
            self.snapshots.insert(0, for_replay(playground));
        }
        let before = Screen::of(playground);
        let mark = JournalMark::of(playground);
        let result = change(playground);
        self.discarded.pop();
        let inputs = mark.inputs_since(playground);
        if inputs.is_empty() {
            return result;
        }
        if !self.at_present() {
            self.forget_future();
        }
        self.unseen.extend(inputs);
        if Screen::of(playground) != before {
            let label = label(&before, playground);
            let settled = self.unseen.iter().any(|i| matches!(i, Input::Settle));
            self.steps.push(Step {
                inputs: std::mem::take(&mut self.unseen),
                label,
            });
            self.position = self.steps.len();
            let newest = self.snapshots.keys().next_back().copied().unwrap_or(0);
            // A settle may have run minutes of virtual time: never replay it twice.
            if settled || self.position - newest >= self.spacing {
                self.snapshots.insert(self.position, for_replay(playground));
                self.thin();
            }
        }
        result
    }

    /// Keeps a copy of the present if it is a moment and the newest copy is at
    /// least `gap` moments old. Called when the user is idle (between clicks of
    /// Step), so the copy costs no frame, and fewer are due during a change.
    pub fn keep_present(&mut self, playground: &mut Playground, gap: usize) {
        self.discarded.clear();
        let newest = self.snapshots.keys().next_back().copied();
        let due = newest.is_some_and(|newest| self.position >= newest + gap.max(1));
        if due && self.at_present() && self.unseen.is_empty() {
            self.snapshots.insert(self.position, for_replay(playground));
            self.thin();
        }
    }

    /// Settle as Step would go: each change on the way is a moment of its
    /// own, up to `max_moments` (the rest is one more), so Step back walks
    /// back through what it skipped. Like [`Playground::settle`] it gives up
    /// when the next change lies past the bound; false then.
    pub fn settle(&mut self, playground: &mut Playground, max_moments: usize) -> bool {
        let bound = playground.cluster.now().saturating_add(SCRIPT_WATCH_LIMIT);
        for _ in 0..max_moments {
            match playground.next_change() {
                None => return true,
                Some(at) if at > bound => {
                    let rest = bound.saturating_sub(playground.cluster.now());
                    self.record(playground, |p| p.advance(rest));
                    return false;
                }
                Some(_) => self.record(playground, Playground::step),
            };
        }
        self.record(playground, Playground::settle)
    }

    /// Returns to the moment before the one shown; false at the oldest.
    pub fn back(&mut self, playground: &mut Playground) -> bool {
        let Some(earlier) = self.position.checked_sub(1) else {
            return false;
        };
        self.seek(playground, earlier);
        true
    }

    /// Goes forward to the moment after the one shown; false at the present.
    pub fn forward(&mut self, playground: &mut Playground) -> bool {
        if self.position >= self.steps.len() {
            return false;
        }
        self.seek(playground, self.position + 1);
        true
    }

    /// Shows moment `at` (0 is the oldest, [`Timeline::moments`] − 1 the present).
    pub fn seek(&mut self, playground: &mut Playground, at: usize) {
        let at = at.min(self.steps.len());
        if at == self.position {
            return;
        }
        let files = std::mem::take(&mut playground.files);
        if at == self.steps.len() {
            if let Some(present) = self.present.take() {
                *playground = present;
            }
        } else {
            let from = self.snapshots.range(..=at).next_back().map(|(k, _)| *k);
            // Forward with no copy in between: carry on from the moment shown.
            let (mut shown, from) = match from {
                Some(from) if from <= self.position && self.position < at => (None, self.position),
                Some(from) => (self.snapshots.get(&from).cloned(), from),
                None => return playground.files = files,
            };
            let target = shown.as_mut().unwrap_or(playground);
            target.files = target.journal.last_files().clone();
            for step in self.steps.get(from..at).unwrap_or_default() {
                for input in &step.inputs {
                    target.apply(input);
                }
            }
            // A replayed `vim` must not open its file in the editor again.
            target.pending_edit = None;
            // (Replaying in place never starts at the present: nothing is after it.)
            if let Some(shown) = shown {
                let replaced = std::mem::replace(playground, shown);
                if self.present.is_none() {
                    self.present = Some(replaced);
                }
            }
        }
        playground.files = files;
        self.position = at;
    }

    /// Which moment is shown.
    pub fn position(&self) -> usize {
        self.position
    }

    /// How many moments there are to show, the present included.
    pub fn moments(&self) -> usize {
        self.steps.len() + 1
    }

    /// What the change into moment `at` showed (None for the oldest).
    pub fn label(&self, at: usize) -> Option<&str> {
        let step = self.steps.get(at.checked_sub(1)?)?;
        Some(step.label.as_str())
    }

    /// How many changes can be stepped back through from the present.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// How many copies of the playground are kept.
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    pub fn clear(&mut self) {
        let old = std::mem::replace(
            self,
            Timeline {
                max_kept: self.max_kept,
                ..Timeline::default()
            },
        );
        self.discarded = old.discarded;
        self.discarded.extend(old.snapshots.into_values());
        self.discarded.extend(old.present);
    }

    fn at_present(&self) -> bool {
        self.present.is_none() && self.position == self.steps.len()
    }

    /// Something new happened at an earlier moment: the moments after it are another story.
    fn forget_future(&mut self) {
        self.steps.truncate(self.position);
        let later = self.snapshots.split_off(&(self.position + 1));
        self.discarded.extend(later.into_values());
        self.unseen.clear();
        self.discarded.extend(self.present.take());
    }

    /// Keeps every other copy (and the oldest and newest) while there are
    /// too many, or they hold too much.
    fn thin(&mut self) {
        let kept = |snapshots: &BTreeMap<usize, Playground>| -> usize {
            snapshots.values().map(weight).sum()
        };
        while self.snapshots.len() > MAX_SNAPSHOTS
            || (self.snapshots.len() > 2 && kept(&self.snapshots) > self.max_kept)
        {
            self.spacing *= 2;
            let newest = self.snapshots.keys().next_back().copied().unwrap_or(0);
            let spacing = self.spacing;
            let (spaced, thinned): (BTreeMap<_, _>, BTreeMap<_, _>) =
                std::mem::take(&mut self.snapshots)
                    .into_iter()
                    .partition(|(at, _)| at.is_multiple_of(spacing) || *at == newest);
            self.snapshots = spaced;
            self.discarded.extend(thinned.into_values());
        }
    }
}

/// A copy of the playground to rebuild moments from. Its files are the ones
/// the latest command read, as when that command ran: replaying the next
/// inputs then journals (and reads) exactly what they did the first time.
fn for_replay(playground: &mut Playground) -> Playground {
    let files = std::mem::take(&mut playground.files);
    let mut copy = playground.clone();
    playground.files = files;
    copy.files = playground.journal.last_files().clone();
    copy.pending_edit = None;
    copy
}

/// Roughly what a copy of the playground holds: see [`MAX_KEPT`].
fn weight(playground: &Playground) -> usize {
    let lines: usize = playground.terminals.iter().map(|t| t.lines.len()).sum();
    let store = playground.cluster.store();
    lines + store.len() + store.log().len()
}

/// Where the journal was before a change, to tell which inputs it added.
struct JournalMark {
    len: usize,
    /// The last input, if it was an advance (a quiet advance extends it).
    last_advance: Option<u64>,
}

impl JournalMark {
    fn of(playground: &Playground) -> JournalMark {
        let inputs = playground.journal.inputs();
        JournalMark {
            len: inputs.len(),
            last_advance: match inputs.last() {
                Some(Input::Advance { ms }) => Some(*ms),
                _ => None,
            },
        }
    }

    /// The inputs journaled since the mark, as they happened (an advance the
    /// journal merged into the one before counts on its own).
    fn inputs_since(&self, playground: &Playground) -> Vec<Input> {
        let inputs = playground.journal.inputs();
        let mut since = Vec::new();
        if let (Some(before), Some(Input::Advance { ms })) = (
            self.last_advance,
            self.len.checked_sub(1).and_then(|i| inputs.get(i)),
        ) {
            if *ms > before {
                since.push(Input::Advance { ms: ms - before });
            }
        }
        since.extend(inputs.get(self.len..).unwrap_or_default().iter().cloned());
        since
    }
}

/// A change as the scrubber names it: the clock, and the newest line of the
/// first terminal whose screen changed.
fn label(before: &Screen, after: &Playground) -> String {
    let changed = after
        .terminals
        .iter()
        .zip(&before.terminals)
        .find(|(a, (lines, _))| a.lines.len() != *lines)
        .map(|(a, _)| a);
    let newest = changed
        .and_then(|t| t.lines.last())
        .map_or("(the cluster changed)", |l| l.text.trim());
    format!("t = {}: {newest}", super::moment_label(after.cluster.now()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn screens(pg: &Playground) -> Vec<String> {
        pg.terminals.iter().map(|t| t.text()).collect()
    }

    /// The tutorial after Apply, with the timeline that recorded it.
    fn applied() -> (Playground, Timeline) {
        let mut pg = Playground::tutorial(1);
        let mut timeline = Timeline::default();
        timeline.record(&mut pg, |p| p.run(1, "kubectl apply -f statefulset.yaml"));
        (pg, timeline)
    }

    #[test]
    fn settle_keeps_each_change_on_the_way_as_a_moment() {
        let (mut pg, mut timeline) = applied();
        let (mut plain, _) = applied();
        assert!(plain.settle());
        assert!(timeline.settle(&mut pg, 10_000));
        assert!(timeline.moments() > 20, "{} moments", timeline.moments());
        assert_eq!(pg.terminals[0].text(), plain.terminals[0].text());
        assert_eq!(
            pg.cluster.store().resource_version(),
            plain.cluster.store().resource_version()
        );
        let settled = pg.cluster.store().resource_version();
        assert!(timeline.back(&mut pg));
        assert!(
            pg.cluster.store().resource_version() < settled,
            "one change back"
        );
        // Past `max_moments` the rest is one moment; a cluster that never
        // settles gives up at the bound.
        let (mut pg, mut timeline) = applied();
        assert!(timeline.settle(&mut pg, 3));
        assert_eq!(timeline.moments(), 2 + 3 + 1);
        pg.run(1, "kubectl patch sts web -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"command\":[\"sh\",\"-c\",\"exit 1\"]}]}}}}'");
        pg.run(1, "kubectl delete pod web-1 web-0 --wait=false");
        let start = pg.cluster.now();
        assert!(!timeline.settle(&mut pg, 10_000));
        // (A step runs on to the next write, which may lie a little past it.)
        assert!(pg.cluster.now() >= start + SCRIPT_WATCH_LIMIT);
        assert!(pg.cluster.next_due().is_some());
    }

    #[test]
    fn back_undoes_one_visible_change_at_a_time() {
        let mut playground = Playground::tutorial(1);
        let mut timeline = Timeline::default();
        timeline.record(&mut playground, |p| {
            p.run(1, "kubectl apply -f statefulset.yaml")
        });
        let applied = playground.terminals[0].text();
        timeline.record(&mut playground, |p| p.step());
        let after_first_step = (playground.cluster.now(), playground.terminals[0].text());
        timeline.record(&mut playground, |p| p.step());
        assert_eq!(timeline.len(), 3);
        assert_ne!(playground.terminals[0].text(), after_first_step.1);

        assert!(timeline.back(&mut playground));
        assert_eq!(
            (playground.cluster.now(), playground.terminals[0].text()),
            after_first_step
        );
        assert!(timeline.back(&mut playground));
        assert_eq!(playground.terminals[0].text(), applied);
        assert!(timeline.back(&mut playground));
        assert!(playground.terminals[1].lines.is_empty(), "before Apply");
        assert_eq!(playground.cluster.store().resource_version(), {
            let fresh = Playground::tutorial(1);
            fresh.cluster.store().resource_version()
        });
        assert!(!timeline.back(&mut playground), "nothing earlier");
    }

    #[test]
    fn invisible_changes_are_not_moments_and_files_survive_going_back() {
        let mut playground = Playground::tutorial(1);
        let mut timeline = Timeline::default();
        timeline.record(&mut playground, |p| p.advance(1_000));
        assert!(timeline.is_empty(), "time passing on an empty cluster");
        timeline.record(&mut playground, |p| p.run(1, "ls"));
        playground
            .files
            .insert("statefulset.yaml".into(), "edited".into());
        assert!(timeline.back(&mut playground));
        assert_eq!(playground.files["statefulset.yaml"], "edited");
        assert!(playground.terminals[1].lines.is_empty());
        let handed_over = crate::sim::clock::HANDOVER;
        assert_eq!(
            playground.cluster.now(),
            handed_over,
            "before the quiet second, too"
        );
        assert!(timeline.forward(&mut playground));
        assert_eq!(playground.cluster.now(), handed_over + 1_000);
        assert_eq!(playground.files["statefulset.yaml"], "edited");
    }

    #[test]
    fn seek_goes_back_and_forward_until_something_new_happens() {
        let (mut pg, mut timeline) = applied();
        let mut screens = vec![pg.terminals[0].text()];
        for _ in 0..3 {
            timeline.record(&mut pg, |p| p.step());
            screens.push(pg.terminals[0].text());
        }
        assert_eq!((timeline.position(), timeline.moments()), (4, 5));
        assert!(timeline.label(2).is_some_and(|l| l.starts_with("t = ")));
        assert_eq!(timeline.label(0), None);
        timeline.seek(&mut pg, 1);
        assert_eq!(pg.terminals[0].text(), screens[0]);
        assert_eq!((timeline.position(), timeline.moments()), (1, 5));
        timeline.seek(&mut pg, 3);
        assert_eq!(pg.terminals[0].text(), screens[2]);
        timeline.seek(&mut pg, 99);
        assert_eq!(pg.terminals[0].text(), screens[3], "the present");
        timeline.seek(&mut pg, 2);
        timeline.record(&mut pg, |p| p.run(1, "echo new"));
        assert_eq!(
            (timeline.position(), timeline.moments()),
            (3, 4),
            "the future is gone"
        );
        assert!(!timeline.forward(&mut pg));
        assert!(timeline.label(3).is_some_and(|l| l.ends_with(": new")));
    }

    #[test]
    fn every_one_of_ten_thousand_moments_comes_back_as_it_was() {
        let (mut pg, mut timeline) = applied();
        timeline.record(&mut pg, |p| p.run(1, "kubectl scale sts web --replicas=60"));
        let mut seen = BTreeMap::new();
        while timeline.moments() <= 10_000 {
            let stepped = timeline.record(&mut pg, |p| p.step());
            // Quiet stretches (nothing pending): type something to make a moment.
            if !stepped {
                timeline.record(&mut pg, |p| p.run(1, "echo tick"));
            }
            if timeline.position() % 997 == 0 {
                seen.insert(timeline.position(), (pg.cluster.now(), screens(&pg)));
            }
        }
        assert!(timeline.snapshot_count() <= MAX_SNAPSHOTS + 1);
        let present = (pg.cluster.now(), screens(&pg));
        for (&at, moment) in seen.iter().rev() {
            timeline.seek(&mut pg, at);
            assert_eq!(&(pg.cluster.now(), screens(&pg)), moment, "moment {at}");
        }
        timeline.seek(&mut pg, 0);
        assert!(pg.terminals[1].lines.is_empty(), "the oldest moment");
        for (&at, moment) in &seen {
            timeline.seek(&mut pg, at);
            assert_eq!(&(pg.cluster.now(), screens(&pg)), moment, "moment {at}");
        }
        timeline.seek(&mut pg, usize::MAX);
        assert_eq!((pg.cluster.now(), screens(&pg)), present);
    }

    #[test]
    fn long_outputs_keep_fewer_copies_and_every_moment() {
        let mut pg = Playground::tutorial(1);
        let mut timeline = Timeline {
            max_kept: 20_000,
            ..Timeline::default()
        };
        let rows: String = (0..1_000).map(|i| format!("row {i}\n")).collect();
        pg.files.insert("rows.txt".into(), rows);
        let mut screens_at = Vec::new();
        for _ in 0..64 {
            timeline.record(&mut pg, |p| p.run(1, "cat rows.txt"));
            screens_at.push((timeline.position(), screens(&pg)));
        }
        let kept: usize = timeline.snapshots.values().map(weight).sum();
        assert!(kept <= 20_000 + weight(&pg), "{kept}");
        assert!(timeline.snapshot_count() < 64 / FIRST_SPACING + 1);
        for (at, screen) in screens_at.iter().rev().step_by(7) {
            timeline.seek(&mut pg, *at);
            assert_eq!(&screens(&pg), screen, "moment {at}");
        }
    }

    #[test]
    fn a_copy_kept_while_idle_serves_the_moments_after_it() {
        let (mut pg, mut timeline) = applied();
        let mut screens_at = Vec::new();
        let mut record_step = |pg: &mut Playground, timeline: &mut Timeline| {
            timeline.record(pg, |p| p.step());
            screens_at.push((timeline.position(), screens(pg)));
        };
        for _ in 0..6 {
            record_step(&mut pg, &mut timeline);
        }
        // Run out what is due at this very moment, so that time can pass quietly.
        while pg.cluster.next_due() == Some(pg.cluster.now()) {
            record_step(&mut pg, &mut timeline);
        }
        timeline.keep_present(&mut pg, 20);
        assert_eq!(timeline.snapshot_count(), 1, "not due yet");
        timeline.keep_present(&mut pg, 4);
        assert_eq!(timeline.snapshot_count(), 2);
        // Time that passes before the next task is due changes nothing.
        let due = pg.cluster.next_due().expect("more to do");
        timeline.record(&mut pg, |p| p.advance(due - p.cluster.now() - 1));
        timeline.keep_present(&mut pg, 1);
        assert_eq!(timeline.snapshot_count(), 2, "quiet time after the moment");
        for (at, screen) in screens_at.iter().rev() {
            timeline.seek(&mut pg, *at);
            assert_eq!(&screens(&pg), screen, "moment {at}");
        }
        timeline.keep_present(&mut pg, 1);
        assert_eq!(timeline.snapshot_count(), 2, "only the present is kept");
    }

    #[test]
    fn thinned_copies_go_one_per_change_or_all_at_once_when_idle() {
        let mut pg = Playground::tutorial(1);
        let mut timeline = Timeline::default();
        while timeline.discarded.is_empty() {
            assert!(timeline.moments() < (MAX_SNAPSHOTS + 2) * FIRST_SPACING);
            timeline.record(&mut pg, |p| p.run(1, "echo tick"));
        }
        let waiting = timeline.discarded.len();
        assert!(waiting >= MAX_SNAPSHOTS / 2, "{waiting} copies thinned");
        assert!(timeline.snapshot_count() <= MAX_SNAPSHOTS / 2 + 1);
        timeline.record(&mut pg, |p| p.run(1, "echo tick"));
        assert_eq!(timeline.discarded.len(), waiting - 1, "one per change");
        timeline.keep_present(&mut pg, timeline.moments());
        assert!(timeline.discarded.is_empty(), "the rest when idle");
    }

    #[test]
    fn copies_of_a_forgotten_future_go_the_same_way() {
        let (mut pg, mut timeline) = applied();
        for _ in 0..20 {
            timeline.record(&mut pg, |p| p.step());
            timeline.keep_present(&mut pg, 4);
        }
        let copies = timeline.snapshot_count();
        assert!(copies > 2, "{copies} copies");
        timeline.seek(&mut pg, 1);
        timeline.record(&mut pg, |p| p.run(1, "echo another story"));
        assert_eq!(timeline.snapshot_count(), 1, "only the oldest is before it");
        // The copies after it, and the present that was set aside.
        assert_eq!(timeline.discarded.len(), copies - 1 + 1);
        timeline.clear();
        assert_eq!(timeline.moments(), 1);
        assert_eq!(
            timeline.discarded.len(),
            copies + 1,
            "and the oldest, on a reset"
        );
    }

    #[test]
    fn a_replayed_moment_saves_the_same_journal() {
        let (mut pg, mut timeline) = applied();
        let mut saves = BTreeMap::new();
        for _ in 0..40 {
            timeline.record(&mut pg, |p| p.advance(300));
            // A moment is the state right after its change; quiet time after it is not part of it.
            saves
                .entry(timeline.position())
                .or_insert_with(|| pg.save());
        }
        let present = pg.save();
        let newest = timeline.position();
        assert!(newest > 5, "the pods came up in {newest} visible changes");
        for (at, save) in saves.iter().rev().filter(|(at, _)| **at != newest) {
            timeline.seek(&mut pg, *at);
            assert_eq!(&pg.save(), save, "moment {at}");
        }
        timeline.seek(&mut pg, newest);
        assert_eq!(pg.save(), present);
    }
}
