//! Field errors as apimachinery's field.Error prints them:
//! `spec.replicas: Invalid value: -1: must be greater than or equal to 0`.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    Required,
    Invalid,
    Unsupported,
    Forbidden,
    Duplicate,
    NotFound,
    TooLong,
}

impl ErrorType {
    fn as_str(self) -> &'static str {
        match self {
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::Unsupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::NotFound => "Not found",
            ErrorType::TooLong => "Too long",
        }
    }
}

/// Where a field is, as apimachinery's field.Path: `spec.containers[0].name`.
/// It is spelled out only when an error names it, so validating a valid
/// object (every pod a StatefulSet creates) builds no path strings.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    Root(&'a str),
    Child(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    pub fn child(&'a self, name: &'a str) -> Path<'a> {
        Path::Child(self, name)
    }

    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(name) => f.write_str(name),
            Path::Child(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

impl From<Path<'_>> for String {
    fn from(path: Path<'_>) -> String {
        path.to_string()
    }
}

/// One cause: the field, the kind of error, the bad value as Go prints it, and detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub kind: ErrorType,
    pub value: Option<String>,
    pub detail: String,
}

impl FieldError {
    pub fn required(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            kind: ErrorType::Required,
            value: None,
            detail: detail.into(),
        }
    }

    pub fn forbidden(field: impl Into<String>, detail: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            kind: ErrorType::Forbidden,
            value: None,
            detail: detail.into(),
        }
    }

    pub fn invalid(
        field: impl Into<String>,
        value: String,
        detail: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            kind: ErrorType::Invalid,
            value: Some(value),
            detail: detail.into(),
        }
    }

    pub fn duplicate(field: impl Into<String>, value: String) -> FieldError {
        FieldError {
            field: field.into(),
            kind: ErrorType::Duplicate,
            value: Some(value),
            detail: String::new(),
        }
    }

    pub fn not_found(field: impl Into<String>, value: String) -> FieldError {
        FieldError {
            field: field.into(),
            kind: ErrorType::NotFound,
            value: Some(value),
            detail: String::new(),
        }
    }

    /// `Unsupported value: "x": supported values: "A", "B"`.
    /// Forbidden on `spec` when an update changed more than the fields
    /// `clear_mutable` clears.
    pub fn frozen_spec<S: Clone + Default + PartialEq>(
        old: Option<&S>,
        new: Option<&S>,
        clear_mutable: impl Fn(&mut S),
        detail: &str,
    ) -> Vec<FieldError> {
        let frozen = |spec: Option<&S>| {
            let mut spec = spec.cloned().unwrap_or_default();
            clear_mutable(&mut spec);
            spec
        };
        if frozen(old) == frozen(new) {
            Vec::new()
        } else {
            vec![FieldError::forbidden("spec", detail)]
        }
    }

    /// An Unsupported error unless `value` is one of `supported`.
    pub fn one_of(field: impl Into<String>, value: &str, supported: &[&str]) -> Option<FieldError> {
        (!supported.contains(&value)).then(|| FieldError::unsupported(field, value, supported))
    }

    pub fn unsupported(field: impl Into<String>, value: &str, supported: &[&str]) -> FieldError {
        let list: Vec<String> = supported.iter().map(|s| quote(s)).collect();
        FieldError {
            field: field.into(),
            kind: ErrorType::Unsupported,
            value: Some(quote(value)),
            detail: format!("supported values: {}", list.join(", ")),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.kind.as_str())?;
        if let Some(value) = &self.value {
            write!(f, ": {value}")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// Go's `%q` for a string.
pub fn quote(s: &str) -> String {
    format!("{s:?}")
}

/// A value that is not a plain string or number, as an Invalid value error
/// shows it since apimachinery 0.34 (ErrorBody marshals it to JSON; Go's
/// encoding/json writes struct fields in declaration order, under their
/// Go names when the internal type has no json tags, and map keys sorted).
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| quote(s))
}

/// A `map[string]string` as JSON: `null` when nil.
pub fn json_map(map: Option<&BTreeMap<String, String>>) -> String {
    serde_json::to_string(&map).unwrap_or_default()
}

/// A metav1.LabelSelector as JSON (its json tags omit empty fields).
pub fn json_selector(selector: &LabelSelector) -> String {
    let mut fields = Vec::new();
    if let Some(labels) = selector.match_labels.as_ref().filter(|m| !m.is_empty()) {
        fields.push(format!("\"matchLabels\":{}", json_map(Some(labels))));
    }
    if let Some(expressions) = selector
        .match_expressions
        .as_ref()
        .filter(|e| !e.is_empty())
    {
        let each: Vec<String> = expressions
            .iter()
            .map(|e| {
                let values = e
                    .values
                    .as_ref()
                    .filter(|v| !v.is_empty())
                    .map(|v| {
                        format!(
                            ",\"values\":{}",
                            serde_json::to_string(v).unwrap_or_default()
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "{{\"key\":{},\"operator\":{}{values}}}",
                    json_string(&e.key),
                    json_string(&e.operator)
                )
            })
            .collect();
        fields.push(format!("\"matchExpressions\":[{}]", each.join(",")));
    }
    format!("{{{}}}", fields.join(","))
}

/// Errors for a value that must not be negative.
pub fn non_negative(field: &str, value: i64) -> Option<FieldError> {
    (value < 0).then(|| {
        FieldError::invalid(
            field,
            value.to_string(),
            "must be greater than or equal to 0",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    #[test]
    fn values_print_as_the_apiservers_json() {
        assert_eq!(json_map(None), "null");
        let labels = BTreeMap::from([
            ("b".to_string(), "say \"hi\"".to_string()),
            ("a".to_string(), "x".to_string()),
        ]);
        assert_eq!(json_map(Some(&labels)), r#"{"a":"x","b":"say \"hi\""}"#);
        let selector = LabelSelector {
            match_labels: Some(labels),
            match_expressions: Some(vec![
                LabelSelectorRequirement {
                    key: "tier".to_string(),
                    operator: "In".to_string(),
                    values: Some(vec!["web".to_string(), "db".to_string()]),
                },
                LabelSelectorRequirement {
                    key: "canary".to_string(),
                    operator: "DoesNotExist".to_string(),
                    values: Some(Vec::new()),
                },
            ]),
        };
        assert_eq!(
            json_selector(&selector),
            r#"{"matchLabels":{"a":"x","b":"say \"hi\""},"matchExpressions":[{"key":"tier","operator":"In","values":["web","db"]},{"key":"canary","operator":"DoesNotExist"}]}"#
        );
        assert_eq!(json_selector(&LabelSelector::default()), "{}");
    }
}
