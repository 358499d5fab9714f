//! Step back and the scrubber: the playground as it was before each of its
//! latest visible changes. Going back (or forward again, until something new
//! happens) restores the cluster and the terminals; the editor's files stay
//! as the user left them.

use std::collections::VecDeque;

use super::Playground;

/// How many moments Step back can return through.
pub const TIMELINE_LIMIT: usize = 200;

#[derive(Clone, Debug, Default)]
pub struct Timeline {
    past: VecDeque<Playground>,
    /// Moments after the one shown, after going back; the nearest last.
    future: Vec<Playground>,
    /// What each change showed, for the scrubber's marks: `labels[k]` led
    /// from moment k to moment k + 1.
    labels: VecDeque<String>,
}

impl Timeline {
    /// Runs `change`; if it changed what a user can see (the store or a
    /// terminal's screen), remembers the playground as it was before.
    pub fn record<R>(
        &mut self,
        playground: &mut Playground,
        change: impl FnOnce(&mut Playground) -> R,
    ) -> R {
        let before = playground.clone();
        let result = change(playground);
        if moment(playground) != moment(&before) {
            if self.past.len() == TIMELINE_LIMIT {
                self.past.pop_front();
                self.labels.pop_front();
            }
            // Something new happened: the moments after this one are another story.
            self.future.clear();
            self.labels.truncate(self.past.len());
            self.labels.push_back(label(&before, playground));
            self.past.push_back(before);
        }
        result
    }

    /// Returns to the moment before the latest recorded change; false if
    /// there is none.
    pub fn back(&mut self, playground: &mut Playground) -> bool {
        let Some(earlier) = self.past.pop_back() else {
            return false;
        };
        self.future.push(swap(playground, earlier));
        true
    }

    /// Goes forward to the moment after the one shown; false at the present.
    pub fn forward(&mut self, playground: &mut Playground) -> bool {
        let Some(later) = self.future.pop() else {
            return false;
        };
        self.past.push_back(swap(playground, later));
        true
    }

    /// Shows moment `at` (0 is the oldest kept, [`Timeline::moments`] − 1 the present).
    pub fn seek(&mut self, playground: &mut Playground, at: usize) {
        while self.position() > at && self.back(playground) {}
        while self.position() < at && self.forward(playground) {}
    }

    /// Which moment is shown.
    pub fn position(&self) -> usize {
        self.past.len()
    }

    /// How many moments there are to show, the present included.
    pub fn moments(&self) -> usize {
        self.past.len() + self.future.len() + 1
    }

    /// What the change into moment `at` showed (None for the oldest).
    pub fn label(&self, at: usize) -> Option<&str> {
        self.labels.get(at.checked_sub(1)?).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.past.len()
    }

    pub fn is_empty(&self) -> bool {
        self.past.is_empty()
    }

    pub fn clear(&mut self) {
        self.past.clear();
        self.future.clear();
        self.labels.clear();
    }
}

/// Puts `other` in the playground's place, keeping the editor's files, and
/// returns the moment it replaced.
fn swap(playground: &mut Playground, mut other: Playground) -> Playground {
    other.files = std::mem::take(&mut playground.files);
    std::mem::replace(playground, other)
}

/// A change as the scrubber names it: the clock, and the newest line of the
/// first terminal whose screen changed.
fn label(before: &Playground, after: &Playground) -> String {
    let changed = after
        .terminals
        .iter()
        .zip(&before.terminals)
        .find(|(a, b)| a.lines.len() != b.lines.len())
        .map(|(a, _)| a);
    let newest = changed
        .and_then(|t| t.lines.last())
        .map_or("(the cluster changed)", |l| l.text.trim());
    format!("t = {}: {newest}", super::clock_label(after.cluster.now()))
}

/// What distinguishes two visible moments: how many changes the store has
/// seen, and what each terminal shows.
fn moment(playground: &Playground) -> (u64, Vec<(usize, bool)>) {
    let screens = playground
        .terminals
        .iter()
        .map(|t| (t.lines.len(), t.is_busy()))
        .collect();
    (playground.cluster.store().resource_version(), screens)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn invisible_changes_are_not_recorded_and_files_survive_going_back() {
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
    }

    #[test]
    fn seek_goes_back_and_forward_until_something_new_happens() {
        let mut pg = Playground::tutorial(1);
        let mut timeline = Timeline::default();
        timeline.record(&mut pg, |p| p.run(1, "kubectl apply -f statefulset.yaml"));
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
    fn the_oldest_moments_fall_off() {
        let mut playground = Playground::tutorial(1);
        let mut timeline = Timeline::default();
        for _ in 0..TIMELINE_LIMIT + 5 {
            timeline.record(&mut playground, |p| p.run(1, "echo hi"));
        }
        assert_eq!(timeline.len(), TIMELINE_LIMIT);
        timeline.clear();
        assert!(timeline.is_empty());
    }
}
