//! A pod's `topologySpreadConstraints`, as ValidateTopologySpreadConstraints
//! checks them, in its order.

use k8s_openapi::api::core::v1::TopologySpreadConstraint;

use super::field::{quote, FieldError, Path};

const ACTIONS: [&str; 2] = ["DoNotSchedule", "ScheduleAnyway"];
const NOT_POSITIVE: &str = "must be greater than zero";

pub fn validate(constraints: &[TopologySpreadConstraint], path: Path<'_>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, c) in constraints.iter().enumerate() {
        let field = path.index(i);
        let action = c.when_unsatisfiable.as_str();
        if c.max_skew <= 0 {
            errs.push(FieldError::invalid(
                field.child("maxSkew"),
                c.max_skew.to_string(),
                NOT_POSITIVE,
            ));
        }
        if c.topology_key.is_empty() {
            errs.push(FieldError::required(
                field.child("topologyKey"),
                "can not be empty",
            ));
        }
        errs.extend(FieldError::one_of(
            field.child("whenUnsatisfiable"),
            action,
            &ACTIONS,
        ));
        // A pair repeated later is reported where it first appears.
        let repeated = constraints[i + 1..].iter().any(|later| {
            later.topology_key == c.topology_key && later.when_unsatisfiable == action
        });
        if repeated {
            errs.push(FieldError::duplicate(
                field.child("{topologyKey, whenUnsatisfiable}"),
                quote(&format!("{{{}, {action}}}", c.topology_key)),
            ));
        }
        if let Some(min) = c.min_domains {
            let min_field = field.child("minDomains");
            if min <= 0 {
                errs.push(FieldError::invalid(
                    min_field,
                    min.to_string(),
                    NOT_POSITIVE,
                ));
            }
            if action != ACTIONS[0] {
                errs.push(FieldError::invalid(
                    min_field,
                    min.to_string(),
                    format!(
                        "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"
                    ),
                ));
            }
        }
        for (name, policy) in [
            ("nodeAffinityPolicy", &c.node_affinity_policy),
            ("nodeTaintsPolicy", &c.node_taints_policy),
        ] {
            if let Some(policy) = policy {
                errs.extend(FieldError::one_of(
                    field.child(name),
                    policy,
                    &["Honor", "Ignore"],
                ));
            }
        }
    }
    errs
}
