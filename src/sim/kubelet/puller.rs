//! A node's images and its image puller. The kubelet pulls one image at a
//! time (serializeImagePulls, on by default, as kind leaves it): a pull
//! asked for while another runs waits its turn, and the Pulled event says
//! how long it waited besides. An image already on its way is quick to pull
//! again: the registry only confirms the layers the node now has.

use std::collections::{BTreeMap, BTreeSet};

use crate::sim::clock::Millis;

#[derive(Clone, Debug, Default)]
pub struct NodeImages {
    present: BTreeSet<String>,
    /// When the puller is free again.
    free_at: Millis,
    /// Images queued or being pulled, and when each pull ends.
    queued: BTreeMap<String, Millis>,
}

/// When a queued pull runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub began: Millis,
    pub until: Millis,
}

impl NodeImages {
    pub fn contains(&self, image: &str) -> bool {
        self.present.contains(image)
    }

    pub fn insert(&mut self, image: String) {
        self.present.insert(image);
    }

    pub fn extend(&mut self, images: impl IntoIterator<Item = String>) {
        self.present.extend(images);
    }

    /// Whether an earlier pull of `image` is queued or running at `now`, so
    /// that its layers will be here when this one runs.
    pub fn on_its_way(&self, image: &str, now: Millis) -> bool {
        self.queued.get(image).is_some_and(|until| *until > now)
    }

    /// Queues a pull asked for at `now` that takes `took` once it runs.
    pub fn queue(&mut self, image: &str, now: Millis, took: Millis) -> Slot {
        let began = self.free_at.max(now);
        let until = began.saturating_add(took);
        self.free_at = until;
        self.queued.retain(|_, end| *end > now);
        self.queued.insert(image.to_string(), until);
        Slot { began, until }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pulls_wait_their_turn() {
        let mut images = NodeImages::default();
        let first = images.queue("nginx", 1_000, 5_000);
        assert_eq!(
            first,
            Slot {
                began: 1_000,
                until: 6_000
            }
        );
        assert!(images.on_its_way("nginx", 2_000));
        let second = images.queue("nginx", 2_000, 400);
        assert_eq!(
            second,
            Slot {
                began: 6_000,
                until: 6_400
            }
        );
        let later = images.queue("busybox", 10_000, 2_000);
        assert_eq!(
            later,
            Slot {
                began: 10_000,
                until: 12_000
            }
        );
        assert!(!images.on_its_way("nginx", 10_000));
    }
}
