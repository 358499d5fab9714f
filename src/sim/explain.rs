//! Why the control plane is (not) doing something, in plain words, for the
//! UI's explain panel. Each controller keeps the latest word per object.

use std::collections::BTreeMap;

use super::clock::Millis;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    pub at: Millis,
    pub controller: &'static str,
    /// What it is about, e.g. `statefulset/web`.
    pub subject: String,
    pub message: String,
}

#[derive(Clone, Debug, Default)]
pub struct Explanations {
    latest: BTreeMap<String, Explanation>,
}

impl Explanations {
    pub fn set(&mut self, at: Millis, controller: &'static str, subject: String, message: String) {
        if self
            .latest
            .get(&subject)
            .is_some_and(|e| e.message == message)
        {
            return;
        }
        self.latest.insert(
            subject.clone(),
            Explanation {
                at,
                controller,
                subject,
                message,
            },
        );
    }

    pub fn clear(&mut self, subject: &str) {
        self.latest.remove(subject);
    }

    pub fn get(&self, subject: &str) -> Option<&Explanation> {
        self.latest.get(subject)
    }

    /// Newest first.
    pub fn all(&self) -> Vec<&Explanation> {
        let mut all: Vec<_> = self.latest.values().collect();
        all.sort_by(|a, b| b.at.cmp(&a.at).then(a.subject.cmp(&b.subject)));
        all
    }
}
