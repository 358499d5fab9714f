//! The PV controller's and the volume binder's caches: which claims are
//! unbound, which volumes name a claim in their claimRef, and which are
//! free (Available, claimed by none) per class. Matching a claim then
//! looks at a few volumes instead of every one.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};

use super::controllers::volume_bind::has_annotation;
use super::controllers::volumes::BIND_COMPLETED;
use super::fast_hash::FastMap;
use super::object::Object;

/// (namespace, name)
type ClaimRef = (String, String);

#[derive(Clone, Debug, Default)]
pub struct VolumeIndex {
    /// Claims whose binding is not complete (nor being deleted), by namespace.
    unbound_claims: BTreeMap<String, BTreeSet<String>>,
    /// Per volume: the claim its claimRef names, and its class if it is free.
    volumes: FastMap<String, (Option<ClaimRef>, Option<String>)>,
    by_claim: FastMap<ClaimRef, BTreeSet<String>>,
    free_by_class: BTreeMap<String, BTreeSet<String>>,
}

impl VolumeIndex {
    pub fn observe(&mut self, object: &Object, gone: bool) {
        if let Some(claim) = object.as_typed::<PersistentVolumeClaim>() {
            // syncClaim's test: a claim is bound once the controller has
            // marked the binding complete (one that only names its volume
            // is not).
            let completed = has_annotation(&claim.metadata, BIND_COMPLETED);
            let unbound = !gone && claim.metadata.deletion_timestamp.is_none() && !completed;
            self.observe_claim(object.namespace(), object.name(), unbound);
        } else if let Some(pv) = object.as_typed::<PersistentVolume>() {
            self.observe_volume(object.name(), (!gone).then_some(pv));
        }
    }

    /// Most claim changes leave it as unbound or bound as it was: those
    /// allocate nothing.
    fn observe_claim(&mut self, namespace: &str, name: &str, unbound: bool) {
        let known = self
            .unbound_claims
            .get(namespace)
            .is_some_and(|names| names.contains(name));
        if unbound == known {
            return;
        }
        if unbound {
            self.unbound_claims
                .entry(namespace.to_string())
                .or_default()
                .insert(name.to_string());
        } else if let Some(names) = self.unbound_claims.get_mut(namespace) {
            names.remove(name);
            if names.is_empty() {
                self.unbound_claims.remove(namespace);
            }
        }
    }

    fn observe_volume(&mut self, name: &str, pv: Option<&PersistentVolume>) {
        let facts = pv.map(facts);
        if self.volumes.get(name) == facts.as_ref() {
            return;
        }
        if let Some((claim, free)) = self.volumes.remove(name) {
            if let Some(claim) = claim {
                if let Some(names) = self.by_claim.get_mut(&claim) {
                    names.remove(name);
                    if names.is_empty() {
                        self.by_claim.remove(&claim);
                    }
                }
            }
            if let Some(class) = free {
                if let Some(names) = self.free_by_class.get_mut(&class) {
                    names.remove(name);
                    if names.is_empty() {
                        self.free_by_class.remove(&class);
                    }
                }
            }
        }
        let Some((claim, free)) = facts else {
            return;
        };
        if let Some(claim) = &claim {
            self.by_claim
                .entry(claim.clone())
                .or_default()
                .insert(name.to_string());
        }
        if let Some(class) = &free {
            self.free_by_class
                .entry(class.clone())
                .or_default()
                .insert(name.to_string());
        }
        self.volumes.insert(name.to_string(), (claim, free));
    }

    /// Claims without a volume, in key order.
    pub fn unbound_claims(&self) -> impl Iterator<Item = (&String, &String)> {
        self.unbound_claims
            .iter()
            .flat_map(|(namespace, names)| names.iter().map(move |name| (namespace, name)))
    }

    /// Volumes whose claimRef names this claim, in name order.
    pub fn claimed_by(&self, namespace: &str, claim: &str) -> Vec<String> {
        self.by_claim
            .get(&(namespace.to_string(), claim.to_string()))
            .map(|names| names.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Available volumes of `class` that no claim names, in name order.
    pub fn free_of_class(&self, class: &str) -> Vec<String> {
        self.free_by_class
            .get(class)
            .map(|names| names.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// What the caches keep of a volume: the claim its claimRef names, and its
/// class when it is free (Available, claimed by none, not being deleted).
fn facts(pv: &PersistentVolume) -> (Option<ClaimRef>, Option<String>) {
    let spec = pv.spec.as_ref();
    let claim = spec.and_then(|s| s.claim_ref.as_ref()).map(|r| {
        (
            r.namespace.clone().unwrap_or_default(),
            r.name.clone().unwrap_or_default(),
        )
    });
    let available = pv.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Available");
    let free =
        (claim.is_none() && available && pv.metadata.deletion_timestamp.is_none()).then(|| {
            spec.and_then(|s| s.storage_class_name.clone())
                .unwrap_or_default()
        });
    (claim, free)
}
