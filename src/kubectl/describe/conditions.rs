//! The `Conditions:` table of PVC and node describers: the same six columns,
//! the third naming when the condition was last checked.

use k8s_openapi::api::core::v1::{NodeCondition, PersistentVolumeClaimCondition};

use super::writer::{timestamp, Writer};

/// A condition kind describe prints as a row.
pub trait Condition {
    /// The third column's title.
    const CHECKED: &'static str;
    fn row(&self) -> [String; 6];
}

/// The kinds share their field names but for the last-checked time.
macro_rules! condition {
    ($($kind:ty => $checked:ident, $title:literal;)*) => {
        $(
            impl Condition for $kind {
                const CHECKED: &'static str = $title;
                fn row(&self) -> [String; 6] {
                    [
                        self.type_.clone(),
                        self.status.clone(),
                        timestamp(self.$checked.as_ref()),
                        timestamp(self.last_transition_time.as_ref()),
                        self.reason.clone().unwrap_or_default(),
                        self.message.clone().unwrap_or_default(),
                    ]
                }
            }
        )*
    };
}

condition! {
    PersistentVolumeClaimCondition => last_probe_time, "LastProbeTime";
    NodeCondition => last_heartbeat_time, "LastHeartbeatTime";
}

impl Writer {
    /// The `Conditions:` table; nothing when there are none.
    pub fn conditions<C: Condition>(&mut self, conditions: Option<&Vec<C>>) {
        let Some(conditions) = conditions.filter(|c| !c.is_empty()) else {
            return;
        };
        self.write(0, "Conditions:\n");
        self.write(
            1,
            &format!(
                "Type\tStatus\t{}\tLastTransitionTime\tReason\tMessage\n",
                C::CHECKED
            ),
        );
        // kubectl underlines both kinds of table the same way.
        self.write(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for condition in conditions {
            let [type_, status, checked, transition, reason, message] = condition.row();
            self.write(
                1,
                &format!("{type_} \t{status} \t{checked} \t{transition} \t{reason} \t{message}\n"),
            );
        }
    }
}
