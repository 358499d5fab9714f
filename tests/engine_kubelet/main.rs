//! The fake kubelet, scheduler, storage and endpoints against
//! kubernetes-fidelity.md §2 and §5, one module per subsection.

#[path = "../common/mod.rs"]
mod common;

mod backoff; // §2.3
mod dns; // §5
mod event_ttl; // the apiserver's --event-ttl
mod events; // §2.5
mod phases; // §2.1
mod probes; // §2.4
mod reasons; // §2.2
mod scheduling; // the scheduler in the Why panel
mod scripts; // §2.1: what a command line does, learned by running it
mod static_volumes; // §2.6, volumes made by hand
mod storage; // §2.6
mod system_pods; // kind's kube-system and local-path-storage pods
