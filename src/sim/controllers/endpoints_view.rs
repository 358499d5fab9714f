//! The endpoints controllers' view of one Service's pods, kept between
//! syncs from the store's change log (as the StatefulSet controller keeps
//! its view, see `stateful_cache`): a sync re-reads only the pods that
//! changed instead of selecting and comparing every pod of the namespace.
//!
//! It also knows which addresses the v1 Endpoints object shows. Past
//! 1,000 addresses the object is truncated to the first ones in its own
//! order (IP, then uid; ready ones first), so most changes to a big
//! Service leave it as it is, and building it again would cost 1,000
//! addresses for nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use k8s_openapi::api::core::v1::{Pod, Service};

use super::endpoints::{endpoint_address, member, Member};
use crate::sim::cluster::Cluster;
use crate::sim::object::{Kind, Object, ObjectKey};
use crate::sim::shared_endpoints::Address;

/// The v1 Endpoints object lists at most this many addresses.
pub const MAX_ADDRESSES: usize = 1000;

/// (namespace, service name)
pub type ServiceKey = (String, String);

/// Where an address goes in the Endpoints object's order: IP, uid, then
/// pod name.
type Place = (String, String, String);

/// One Service's member pods (selected, not finished, with an IP).
#[derive(Debug, Default)]
pub struct ServicePods {
    /// The Service this view belongs to (uid and resourceVersion).
    built_for: (String, String),
    /// The resourceVersion up to which the change log has been read.
    seen: u64,
    members: BTreeMap<String, Rc<Object>>,
    ready: Window,
    not_ready: Window,
    /// Whether the shown addresses changed since the Endpoints object was
    /// last written.
    shown_changed: bool,
    /// More than 1,000 addresses: the object says it was truncated.
    truncated: bool,
    /// The Endpoints object's resourceVersion when it last showed exactly
    /// this view's addresses.
    written: Option<String>,
}

/// Which pods a sync has to compare with what the slices show.
pub enum Changed {
    /// Every pod: the view was just built.
    All,
    /// These pods changed (by name).
    Pods(BTreeSet<String>),
}

/// Brings the view of `service` up to date and hands it to the sync (which
/// gives it back with [`keep`]), with the pods that changed.
pub fn refresh(cluster: &mut Cluster, service: &Service) -> (ServicePods, Changed) {
    let namespace = service.metadata.namespace.clone().unwrap_or_default();
    let built_for = (
        service.metadata.uid.clone().unwrap_or_default(),
        service
            .metadata
            .resource_version
            .clone()
            .unwrap_or_default(),
    );
    let seen = cluster.store.resource_version();
    let kept = cluster
        .endpoints_views
        .remove(&key(service))
        .filter(|view| view.built_for == built_for)
        .and_then(|view| {
            let names = changed_pods(cluster, &namespace, view.seen)?;
            Some((view, names))
        });
    let (mut view, names, changed) = match kept {
        Some((view, names)) => (view, names.clone(), Changed::Pods(names)),
        None => {
            let view = ServicePods {
                built_for,
                shown_changed: true,
                ..ServicePods::default()
            };
            let names = cluster
                .store
                .list_in(Kind::Pod, &namespace)
                .map(|o| o.name().to_string())
                .collect();
            (view, names, Changed::All)
        }
    };
    for name in names {
        let pod = cluster
            .store
            .get(&ObjectKey::new(Kind::Pod, &namespace, &name));
        view.update(&name, pod, service);
    }
    view.seen = seen;
    view.show();
    (view, changed)
}

/// Gives the view back after a sync, for the next one.
pub fn keep(cluster: &mut Cluster, service: &Service, view: ServicePods) {
    cluster.endpoints_views.insert(key(service), view);
}

/// The Service is gone: so is its view.
pub fn forget(cluster: &mut Cluster, namespace: &str, name: &str) {
    cluster
        .endpoints_views
        .remove(&(namespace.to_string(), name.to_string()));
}

fn key(service: &Service) -> ServiceKey {
    (
        service.metadata.namespace.clone().unwrap_or_default(),
        service.metadata.name.clone().unwrap_or_default(),
    )
}

/// Names of the pods in `namespace` that changed after resourceVersion
/// `seen`; None when the log was compacted past it.
fn changed_pods(cluster: &Cluster, namespace: &str, seen: u64) -> Option<BTreeSet<String>> {
    let changes = cluster.store.changes_since(seen).ok()?;
    Some(
        changes
            .iter()
            .map(|c| &c.object)
            .filter(|o| o.kind() == Kind::Pod && o.namespace() == namespace)
            .map(|o| o.name().to_string())
            .collect(),
    )
}

/// The stored pod as an endpoint of `service`, if it is one.
fn member_of<'a>(object: &'a Object, service: &Service) -> Option<Member<'a>> {
    member(object.as_typed::<Pod>()?, service)
}

fn place(member: &Member<'_>) -> Place {
    (
        member.ip.to_string(),
        member.pod.metadata.uid.clone().unwrap_or_default(),
        member.name().to_string(),
    )
}

impl ServicePods {
    /// Re-reads one pod (None: it is gone).
    fn update(&mut self, name: &str, pod: Option<&Rc<Object>>, service: &Service) {
        // What the endpoints show of a member: its place, kind and content.
        let shown_as = |m: &Member<'_>| (place(m), m.ready, m.fingerprint());
        let old = self.members.remove(name);
        let was = old
            .as_ref()
            .and_then(|pod| member_of(pod, service))
            .map(|m| shown_as(&m));
        let new = pod.and_then(|object| Some((object, member_of(object, service)?)));
        let now = new.as_ref().map(|(_, m)| shown_as(m));
        if let Some((object, _)) = &new {
            self.members.insert(name.to_string(), Rc::clone(object));
        }
        if was.is_some() && was == now {
            // Nothing the endpoints show changed: the address stays.
            return;
        }
        if let Some((place, ready, _)) = was {
            self.shown_changed |= self.window(ready).remove(&place);
        }
        if let (Some((_, member)), Some((place, ready, _))) = (new, now) {
            let address = endpoint_address(&member);
            self.window(ready).rest.insert(place, address);
        }
    }

    fn window(&mut self, ready: bool) -> &mut Window {
        if ready {
            &mut self.ready
        } else {
            &mut self.not_ready
        }
    }

    /// Moves addresses between shown and not shown as truncateEndpoints
    /// picks them: ready ones first, up to 1,000 in all.
    fn show(&mut self) {
        let ready = self.ready.len().min(MAX_ADDRESSES);
        let not_ready = if self.ready.len() > MAX_ADDRESSES {
            0
        } else {
            self.not_ready.len().min(MAX_ADDRESSES - ready)
        };
        self.shown_changed |= self.ready.show(ready);
        self.shown_changed |= self.not_ready.show(not_ready);
        let truncated = self.ready.len() + self.not_ready.len() > MAX_ADDRESSES;
        self.shown_changed |= truncated != self.truncated;
        self.truncated = truncated;
    }

    /// How many pods back the Service.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The member pod of this name, judged for `service`.
    pub fn member<'a>(&'a self, name: &str, service: &Service) -> Option<Member<'a>> {
        self.members
            .get(name)
            .and_then(|pod| member_of(pod, service))
    }

    /// Every member's name.
    pub fn names(&self) -> impl Iterator<Item = &String> {
        self.members.keys()
    }

    /// The ready and not-ready addresses the Endpoints object shows, in
    /// its order, and whether some were left out.
    pub fn shown(&self) -> (Vec<Address>, Vec<Address>, bool) {
        let addresses =
            |window: &Window| -> Vec<Address> { window.shown.values().cloned().collect() };
        (
            addresses(&self.ready),
            addresses(&self.not_ready),
            self.truncated,
        )
    }

    /// Whether the Endpoints object (at resourceVersion `stored`) may not
    /// show this view's addresses.
    pub fn endpoints_outdated(&self, stored: Option<&str>) -> bool {
        self.shown_changed || self.written.as_deref() != stored
    }

    /// The Endpoints object at resourceVersion `stored` shows this view.
    pub fn endpoints_written(&mut self, stored: Option<String>) {
        self.written = stored;
        self.shown_changed = false;
    }
}

/// Addresses of one kind (ready or not ready), split into the ones the
/// Endpoints object shows (the lowest, in its order) and the rest.
#[derive(Debug, Default)]
struct Window {
    shown: BTreeMap<Place, Address>,
    rest: BTreeMap<Place, Address>,
}

impl Window {
    fn len(&self) -> usize {
        self.shown.len() + self.rest.len()
    }

    /// Returns whether a shown address went.
    fn remove(&mut self, place: &Place) -> bool {
        self.shown.remove(place).is_some() || {
            self.rest.remove(place);
            false
        }
    }

    /// Shows the lowest `count` addresses; returns whether that changed
    /// which ones are shown.
    fn show(&mut self, count: usize) -> bool {
        let mut changed = false;
        while self.shown.len() > count {
            if let Some((place, address)) = self.shown.pop_last() {
                self.rest.insert(place, address);
            }
            changed = true;
        }
        while self.shown.len() < count {
            let Some((place, address)) = self.rest.pop_first() else {
                break;
            };
            self.shown.insert(place, address);
            changed = true;
        }
        while self
            .shown
            .last_key_value()
            .zip(self.rest.first_key_value())
            .is_some_and(|((shown, _), (rest, _))| shown > rest)
        {
            if let (Some(shown), Some(rest)) = (self.shown.pop_last(), self.rest.pop_first()) {
                self.shown.insert(rest.0, rest.1);
                self.rest.insert(shown.0, shown.1);
            }
            changed = true;
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(ip: &str) -> Place {
        (ip.to_string(), format!("uid-{ip}"), format!("pod-{ip}"))
    }

    fn add(window: &mut Window, ip: &str) {
        let address = Address::new(k8s_openapi::api::core::v1::EndpointAddress {
            ip: ip.to_string(),
            ..Default::default()
        });
        window.rest.insert(place(ip), address);
    }

    fn shown(window: &Window) -> Vec<&str> {
        window.shown.values().map(|a| a.ip.as_str()).collect()
    }

    #[test]
    fn a_window_shows_the_lowest_addresses_and_says_when_that_changes() {
        let mut window = Window::default();
        for ip in ["10.0.0.5", "10.0.0.3", "10.0.0.9"] {
            add(&mut window, ip);
        }
        assert!(window.show(2));
        assert_eq!(shown(&window), ["10.0.0.3", "10.0.0.5"]);
        // A higher address stays out of sight.
        add(&mut window, "10.0.0.7");
        assert!(!window.show(2));
        // A lower one pushes the highest shown out.
        add(&mut window, "10.0.0.1");
        assert!(window.show(2));
        assert_eq!(shown(&window), ["10.0.0.1", "10.0.0.3"]);
        // Removing a hidden one changes nothing shown; a shown one does.
        assert!(!window.remove(&place("10.0.0.9")));
        assert!(window.remove(&place("10.0.0.1")));
        assert!(window.show(2));
        assert_eq!(shown(&window), ["10.0.0.3", "10.0.0.5"]);
        assert!(window.show(4));
        assert_eq!(shown(&window), ["10.0.0.3", "10.0.0.5", "10.0.0.7"]);
    }
}
