//! The simulated cluster: API store, control-plane controllers and fake
//! kubelets on one virtual clock. Plain Rust, no web dependencies.

pub mod admission;
pub mod bootstrap;
pub mod canonical;
pub mod clock;
pub mod cluster;
pub mod controllers;
pub mod defaults;
pub mod ephemeral;
pub mod errors;
pub mod event_ttl;
pub mod events;
pub mod eviction;
pub mod explain;
pub mod fast_hash;
pub mod faults;
pub mod history;
pub mod images;
pub mod index;
pub mod intstr;
pub mod kind_workloads;
pub mod kubelet;
pub mod labels;
pub mod last_applied;
pub mod node_events;
pub mod object;
pub mod pod_containers;
pub mod pods;
pub mod qos;
pub mod quantity;
pub mod rebuilt;
pub mod rng;
pub mod runtime_data;
pub mod shared_endpoints;
pub mod store;
pub mod strategy;
pub mod system_pods;
pub mod validation;
pub mod volume_index;

pub use cluster::{Cluster, DeleteOptions, Propagation};
pub use errors::{ApiError, ApiResult};
pub use faults::{Fault, Target};
pub use history::{History, Transition};
pub use object::{Kind, Object, ObjectKey, Typed};
pub use store::{EventType, Store, WatchEvent};
