//! ObjectMeta: names, labels and annotations.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};

use super::field::{quote, FieldError};
use super::names;

/// ValidateObjectMeta: the name (by the kind's rule), labels and annotations.
pub fn validate(
    meta: &ObjectMeta,
    name_rule: fn(&str) -> Vec<String>,
    _namespaced: bool,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match meta.name.as_deref().unwrap_or("") {
        "" => errs.push(FieldError::required(
            "metadata.name",
            "name or generateName is required",
        )),
        name => errs.extend(
            name_rule(name)
                .into_iter()
                .map(|m| FieldError::invalid("metadata.name", quote(name), m)),
        ),
    }
    errs.extend(labels(meta.labels.as_ref(), "metadata.labels"));
    for key in meta.annotations.iter().flatten().map(|(k, _)| k) {
        errs.extend(
            names::qualified_name(&key.to_ascii_lowercase())
                .into_iter()
                .map(|m| FieldError::invalid("metadata.annotations", quote(key), m)),
        );
    }
    let size: usize = meta
        .annotations
        .iter()
        .flatten()
        .map(|(k, v)| k.len() + v.len())
        .sum();
    if size > 256 * 1024 {
        errs.push(FieldError {
            field: "metadata.annotations".to_string(),
            kind: super::ErrorType::TooLong,
            value: None,
            detail: "must have at most 262144 bytes".to_string(),
        });
    }
    errs
}

/// ValidateLabels: keys are qualified names, values label values.
pub fn labels(labels: Option<&BTreeMap<String, String>>, field: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (key, value) in labels.into_iter().flatten() {
        errs.extend(
            names::qualified_name(key)
                .into_iter()
                .map(|m| FieldError::invalid(field, quote(key), m)),
        );
        errs.extend(
            names::label_value(value)
                .into_iter()
                .map(|m| FieldError::invalid(field, quote(value), m)),
        );
    }
    errs
}

pub fn validate_config_map(map: &ConfigMap) -> Vec<FieldError> {
    let mut errs = validate(&map.metadata, names::dns_subdomain, true);
    let binary = map
        .binary_data
        .iter()
        .flatten()
        .map(|(k, _)| ("binaryData", k));
    for (section, key) in map
        .data
        .iter()
        .flatten()
        .map(|(k, _)| ("data", k))
        .chain(binary)
    {
        errs.extend(
            names::config_map_key(key)
                .into_iter()
                .map(|m| FieldError::invalid(format!("{section}[{key}]"), quote(key), m)),
        );
    }
    errs
}

/// ValidateLabelSelector: the matchLabels as labels, and each expression's
/// operator, values and key.
pub fn label_selector(selector: &LabelSelector, path: &str) -> Vec<FieldError> {
    let mut errs = labels(
        selector.match_labels.as_ref(),
        &format!("{path}.matchLabels"),
    );
    for (i, requirement) in selector.match_expressions.iter().flatten().enumerate() {
        let path = format!("{path}.matchExpressions[{i}]");
        let has_values = requirement.values.as_ref().is_some_and(|v| !v.is_empty());
        match requirement.operator.as_str() {
            "In" | "NotIn" if !has_values => errs.push(FieldError::required(
                format!("{path}.values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
            )),
            "Exists" | "DoesNotExist" if has_values => errs.push(FieldError::forbidden(
                format!("{path}.values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )),
            "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
            other => errs.push(FieldError::invalid(
                format!("{path}.operator"),
                quote(other),
                "not a valid selector operator",
            )),
        }
        errs.extend(
            names::qualified_name(&requirement.key)
                .into_iter()
                .map(|m| FieldError::invalid(format!("{path}.key"), quote(&requirement.key), m)),
        );
    }
    errs
}
