//! Which PersistentVolume a claim gets: the PV controller's
//! findBestMatchForClaim and the scheduler's volume binder, which share
//! FindMatchingVolume. A volume already bound to the claim wins; otherwise
//! the smallest Available one of the claim's class, size, volume mode and
//! selector, first among volumes offering the fewest access modes that
//! cover the claim's.

use std::rc::Rc;

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};

use super::scheduler::volume_node;
use crate::sim::cluster::Cluster;
use crate::sim::labels::selector_matches;
use crate::sim::object::{Kind, Object};
use crate::sim::quantity;
use crate::sim::validation::pvc::requested_storage;

/// Where the match is made: the PV controller binds only what it may
/// (with delayed binding, only volumes already meant for the claim); the
/// scheduler matches for one node, leaving out the volumes it has `chosen`
/// for the pod's other claims.
#[derive(Clone, Copy)]
pub enum Matcher<'a> {
    Controller { delay_binding: bool },
    Scheduler { node: &'a str, chosen: &'a [String] },
}

/// The volume binder's findMatchingVolumes: the pod's claims, smallest
/// request first, each get the best volume on `node` that no claim before
/// them took. The matches come back in the claims' order.
pub fn match_pod_claims(
    cluster: &Cluster,
    claims: &[&PersistentVolumeClaim],
    node: &str,
) -> Vec<Option<Rc<Object>>> {
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by_key(|&i| requested_storage(claims[i]));
    let mut matches = vec![None; claims.len()];
    let mut chosen: Vec<String> = Vec::new();
    for i in order {
        let matcher = Matcher::Scheduler {
            node,
            chosen: &chosen,
        };
        let found = best_match(cluster, claims[i], matcher);
        if let Some(pv) = &found {
            chosen.push(pv.name().to_string());
        }
        matches[i] = found;
    }
    matches
}

/// The volume for `claim`, if one fits.
pub fn best_match(
    cluster: &Cluster,
    claim: &PersistentVolumeClaim,
    matcher: Matcher<'_>,
) -> Option<Rc<Object>> {
    let wanted = claim_modes(claim);
    let mut groups: Vec<Vec<&Rc<Object>>> = Vec::new();
    let mut keys: Vec<Vec<String>> = Vec::new();
    // Only a volume meant for this claim, or a free one of its class, can match.
    let namespace = claim.metadata.namespace.as_deref().unwrap_or("");
    let name = claim.metadata.name.as_deref().unwrap_or("");
    let class = claim_class(claim);
    let index = &cluster.index.volumes;
    let mut candidates = index.claimed_by(namespace, name);
    if !matches!(
        matcher,
        Matcher::Controller {
            delay_binding: true
        }
    ) {
        candidates.extend(index.free_of_class(class));
    }
    candidates.sort();
    candidates.dedup();
    let volumes = candidates
        .iter()
        .filter_map(|pv| cluster.store.get_named(Kind::PersistentVolume, "", pv));
    for object in volumes {
        let Some(pv) = object.as_typed::<PersistentVolume>() else {
            continue;
        };
        let mut modes = volume_modes(pv);
        if !wanted.iter().all(|m| modes.contains(m)) {
            continue;
        }
        modes.sort();
        modes.dedup();
        match keys.iter().position(|k| *k == modes) {
            Some(i) => groups[i].push(object),
            None => {
                keys.push(modes);
                groups.push(vec![object]);
            }
        }
    }
    // allPossibleMatchingAccessModes: the mode sets with the fewest modes first.
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| {
        keys[a]
            .len()
            .cmp(&keys[b].len())
            .then(keys[a].cmp(&keys[b]))
    });
    order
        .into_iter()
        .find_map(|i| matching_volume(claim, &groups[i], matcher).cloned())
}

/// FindMatchingVolume over one group of volumes.
fn matching_volume<'a>(
    claim: &PersistentVolumeClaim,
    volumes: &[&'a Rc<Object>],
    matcher: Matcher<'_>,
) -> Option<&'a Rc<Object>> {
    let requested = requested_storage(claim);
    let spec = claim.spec.as_ref();
    let class = claim_class(claim);
    let mode = claim_mode(claim);
    let mut smallest: Option<(&Rc<Object>, i128)> = None;
    for &object in volumes {
        let Some(pv) = object.as_typed::<PersistentVolume>() else {
            continue;
        };
        let pv_spec = pv.spec.as_ref();
        let claimed_by_other = pv_spec
            .and_then(|s| s.claim_ref.as_ref())
            .is_some_and(|_| !is_bound_to(pv, claim));
        let size = capacity(pv);
        if claimed_by_other
            || size < requested
            || volume_mode(pv) != mode
            || pv.metadata.deletion_timestamp.is_some()
        {
            continue;
        }
        let fits_node = match matcher {
            Matcher::Scheduler { node, chosen } => {
                volume_node(pv).is_none_or(|n| n == node)
                    && !chosen.iter().any(|c| Some(c) == pv.metadata.name.as_ref())
            }
            Matcher::Controller { .. } => true,
        };
        if is_bound_to(pv, claim) {
            return fits_node.then_some(object);
        }
        if let Matcher::Controller {
            delay_binding: true,
        } = matcher
        {
            // The scheduler binds unbound volumes to such claims.
            continue;
        }
        let available = pv.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Available");
        let selected = spec
            .and_then(|s| s.selector.as_ref())
            .is_none_or(|s| selector_matches(s, pv.metadata.labels.as_ref()));
        let same_class = volume_class(pv) == class;
        if !available || !selected || !same_class || !fits_node {
            continue;
        }
        if smallest.is_none_or(|(_, s)| s > size) {
            smallest = Some((object, size));
        }
    }
    smallest.map(|(object, _)| object)
}

/// checkVolumeSatisfyClaim: why a free volume asked for by name does not
/// fit the claim.
pub fn mismatch(pv: &PersistentVolume, claim: &PersistentVolumeClaim) -> Option<String> {
    let modes = volume_modes(pv);
    if pv.metadata.deletion_timestamp.is_some() {
        let name = pv.metadata.name.as_deref().unwrap_or("");
        return Some(format!("the volume is marked for deletion \"{name}\""));
    }
    let why = if capacity(pv) < requested_storage(claim) {
        "requested PV is too small"
    } else if volume_class(pv) != claim_class(claim) {
        "storageClassName does not match"
    } else if volume_mode(pv) != claim_mode(claim) {
        "incompatible volumeMode"
    } else if !claim_modes(claim).iter().all(|m| modes.contains(m)) {
        "incompatible accessMode"
    } else {
        return None;
    };
    Some(why.to_string())
}

/// Whether the volume's claimRef names this very claim (by uid when it has one).
pub fn is_bound_to(pv: &PersistentVolume, claim: &PersistentVolumeClaim) -> bool {
    let Some(claim_ref) = pv.spec.as_ref().and_then(|s| s.claim_ref.as_ref()) else {
        return false;
    };
    claim_ref.name == claim.metadata.name
        && claim_ref.namespace == claim.metadata.namespace
        && (claim_ref.uid.as_deref().is_none_or(str::is_empty)
            || claim_ref.uid == claim.metadata.uid)
}

fn capacity(pv: &PersistentVolume) -> i128 {
    pv.spec
        .as_ref()
        .and_then(|s| s.capacity.as_ref())
        .and_then(|c| c.get("storage"))
        .and_then(|q| quantity::parse(&q.0))
        .unwrap_or(0)
}

fn claim_modes(claim: &PersistentVolumeClaim) -> Vec<String> {
    claim
        .spec
        .as_ref()
        .and_then(|s| s.access_modes.clone())
        .unwrap_or_default()
}

fn volume_modes(pv: &PersistentVolume) -> Vec<String> {
    pv.spec
        .as_ref()
        .and_then(|s| s.access_modes.clone())
        .unwrap_or_default()
}

/// The claim's storageClassName, "" when it names none.
pub fn claim_class(claim: &PersistentVolumeClaim) -> &str {
    let spec = claim.spec.as_ref();
    spec.and_then(|s| s.storage_class_name.as_deref())
        .unwrap_or("")
}

fn volume_class(pv: &PersistentVolume) -> &str {
    let spec = pv.spec.as_ref();
    spec.and_then(|s| s.storage_class_name.as_deref())
        .unwrap_or("")
}

fn claim_mode(claim: &PersistentVolumeClaim) -> &str {
    let spec = claim.spec.as_ref();
    spec.and_then(|s| s.volume_mode.as_deref())
        .unwrap_or("Filesystem")
}

fn volume_mode(pv: &PersistentVolume) -> &str {
    let spec = pv.spec.as_ref();
    spec.and_then(|s| s.volume_mode.as_deref())
        .unwrap_or("Filesystem")
}
