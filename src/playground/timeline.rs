//! Step back: the playground as it was before each of its latest visible
//! changes. Going back restores the cluster and the terminals; the editor's
//! files stay as the user left them.

use std::collections::VecDeque;

use super::Playground;

/// How many moments Step back can return through.
pub const TIMELINE_LIMIT: usize = 200;

#[derive(Clone, Debug, Default)]
pub struct Timeline {
    past: VecDeque<Playground>,
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
            }
            self.past.push_back(before);
        }
        result
    }

    /// Returns to the moment before the latest recorded change; false if
    /// there is none.
    pub fn back(&mut self, playground: &mut Playground) -> bool {
        let Some(mut earlier) = self.past.pop_back() else {
            return false;
        };
        earlier.files = std::mem::take(&mut playground.files);
        *playground = earlier;
        true
    }

    pub fn len(&self) -> usize {
        self.past.len()
    }

    pub fn is_empty(&self) -> bool {
        self.past.is_empty()
    }

    pub fn clear(&mut self) {
        self.past.clear();
    }
}

/// What distinguishes two visible moments: how many changes the store has
/// seen, and what each terminal shows.
fn moment(playground: &Playground) -> (usize, Vec<(usize, bool)>) {
    let screens = playground
        .terminals
        .iter()
        .map(|t| (t.lines.len(), t.is_busy()))
        .collect();
    (playground.cluster.store().log().len(), screens)
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
        assert_eq!(playground.cluster.store().log().len(), {
            let fresh = Playground::tutorial(1);
            fresh.cluster.store().log().len()
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
