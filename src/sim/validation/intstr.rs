//! Fields that take a count or a percentage (IntOrString): a StatefulSet's
//! maxUnavailable, a PodDisruptionBudget's minAvailable and maxUnavailable.

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::field::{json_string, non_negative, FieldError};

const PERCENT_MSG: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/// ValidatePositiveIntOrPercent and IsNotMoreThan100Percent, and the number
/// the value stands for (a percentage's number) when it is well formed.
pub fn int_or_percent(field: &str, value: &IntOrString) -> (Vec<FieldError>, Option<i64>) {
    let number = match value {
        IntOrString::Int(i) => i64::from(*i),
        IntOrString::String(s) => match s
            .strip_suffix('%')
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        {
            Some(n) => n.parse().unwrap_or(i64::MAX),
            None => {
                return (
                    vec![FieldError::invalid(field, json_value(value), PERCENT_MSG)],
                    None,
                )
            }
        },
    };
    let mut errs: Vec<FieldError> = non_negative(field, number).into_iter().collect();
    if matches!(value, IntOrString::String(_)) && number > 100 {
        errs.push(FieldError::invalid(
            field,
            json_value(value),
            "must not be greater than 100%",
        ));
    }
    (errs, Some(number))
}

/// The value as an Invalid value error shows it: IntOrString's own JSON.
pub fn json_value(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => json_string(s),
    }
}
