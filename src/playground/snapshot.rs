//! The session as plain data, for the scripting API (`window.stsplay.state()`)
//! and anything else that wants to look without holding a `Playground`.

use serde_json::{json, Value};

use super::Playground;
use crate::sim::clock::{Millis, HANDOVER, MINUTE, SECOND};
use crate::sim::object::Kind;

const HOUR: Millis = 60 * MINUTE;

/// A moment of the cluster as the UI's clock shows it: the time since kind
/// handed the cluster over.
pub fn moment_label(at: Millis) -> String {
    clock_label(at.saturating_sub(HANDOVER))
}

/// A span of virtual time as the UI shows it: `12.4s`, `3m 05.2s`, `1h 02m 05s`.
pub fn clock_label(at: Millis) -> String {
    let tenths = (at % MINUTE) / 100;
    let (seconds, tenth) = (tenths / 10, tenths % 10);
    if at < MINUTE {
        format!("{seconds}.{tenth}s")
    } else if at < HOUR {
        format!("{}m {seconds:02}.{tenth}s", at / MINUTE)
    } else {
        format!(
            "{}h {:02}m {:02}s",
            at / HOUR,
            at % HOUR / MINUTE,
            at % MINUTE / SECOND
        )
    }
}

impl Playground {
    /// The clock, what is pending, each terminal's screen, and every stored
    /// object as `kubectl get -o json` would show it, in the store's order.
    pub fn snapshot(&self) -> Value {
        let objects: Vec<Value> = Kind::ALL
            .iter()
            .flat_map(|kind| self.cluster.store().list(*kind))
            .map(|object| object.to_json())
            .collect();
        let terminals: Vec<Value> = self
            .terminals
            .iter()
            .map(|t| {
                json!({
                    "text": t.text(),
                    "watching": t.running(),
                    "history": t.history,
                })
            })
            .collect();
        json!({
            // Times since the handover, the clock the UI shows.
            "clock": self.cluster.now().saturating_sub(HANDOVER),
            "nextChangeAt": self.next_change().map(|at| at.saturating_sub(HANDOVER)),
            "settled": self.cluster.is_settled(),
            "files": self.files,
            "terminals": terminals,
            "objects": objects,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_labels() {
        assert_eq!(clock_label(0), "0.0s");
        assert_eq!(clock_label(12_449), "12.4s");
        assert_eq!(clock_label(59_999), "59.9s");
        assert_eq!(clock_label(185_200), "3m 05.2s");
        assert_eq!(clock_label(HOUR + 2 * MINUTE + 5_900), "1h 02m 05s");
    }

    #[test]
    fn snapshot_lists_objects_and_terminals() {
        let mut playground = Playground::tutorial(1);
        playground.run(1, "kubectl apply -f statefulset.yaml");
        playground.settle();
        let state = playground.snapshot();
        assert_eq!(state["settled"], true);
        assert_eq!(state["clock"], playground.cluster.now() - HANDOVER);
        assert_eq!(
            state["terminals"][0]["watching"],
            "kubectl get pods --watch -l app=nginx"
        );
        assert_eq!(state["terminals"][1]["watching"], Value::Null);
        let pods: Vec<&str> = state["objects"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|o| o["kind"] == "Pod" && o["metadata"]["namespace"] == "default")
            .filter_map(|o| o["metadata"]["name"].as_str())
            .collect();
        assert_eq!(pods, ["web-0", "web-1"]);
        // kind's own pods are objects of the cluster too.
        let system = state["objects"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|o| o["kind"] == "Pod" && o["metadata"]["namespace"] == "kube-system")
            .count();
        assert_eq!(system, 12);
    }
}
