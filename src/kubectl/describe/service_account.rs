//! `kubectl describe serviceaccount`: kubectl's describeServiceAccount. Since
//! 1.24 accounts get no token Secrets, and stsplay has no Secrets, so the
//! secret lists show what the account names (nothing, unless a manifest says).

use k8s_openapi::api::core::v1::{Event, ServiceAccount};

use super::writer::Writer;
use crate::sim::clock::Millis;

pub fn describe(account: &ServiceAccount, events: Option<&[&Event]>, now: Millis) -> String {
    let meta = &account.metadata;
    let mut w = Writer::namespaced(meta);
    w.labels("", "Labels", meta.labels.as_ref());
    w.annotations("Annotations", meta.annotations.as_ref());
    let pull: Vec<String> = account
        .image_pull_secrets
        .iter()
        .flatten()
        .map(|s| s.name.clone())
        .collect();
    w.list("Image pull secrets", &pull);
    let mountable: Vec<String> = account
        .secrets
        .iter()
        .flatten()
        .filter_map(|s| s.name.clone())
        .collect();
    w.list("Mountable secrets", &mountable);
    w.list("Tokens", &[]);
    w.events(events, now);
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::controllers::service_accounts::default_account;

    #[test]
    fn a_namespace_default_account() {
        assert_eq!(
            describe(&default_account("default"), Some(&[]), 0),
            "Name:                default\n\
             Namespace:           default\n\
             Labels:              <none>\n\
             Annotations:         <none>\n\
             Image pull secrets:  <none>\n\
             Mountable secrets:   <none>\n\
             Tokens:              <none>\n\
             Events:              <none>\n"
        );
    }
}
