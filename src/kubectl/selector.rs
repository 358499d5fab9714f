//! `-l` label selectors: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
//! `a` and `!a`, comma-separated.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};

use crate::sim::labels::Labels;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selector(Vec<Requirement>);

/// Splits on commas that are not inside parentheses.
fn split_top(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
}

fn set_values(rest: &str) -> Option<Vec<String>> {
    let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some(
        inner
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect(),
    )
}

impl Selector {
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut requirements = Vec::new();
        for part in split_top(text)
            .into_iter()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let requirement = if let Some((k, v)) = part.split_once("!=") {
                Requirement::NotEquals(k.trim().to_string(), v.trim().to_string())
            } else if let Some((k, v)) = part.split_once("==") {
                Requirement::Equals(k.trim().to_string(), v.trim().to_string())
            } else if let Some((k, v)) = part.split_once('=') {
                Requirement::Equals(k.trim().to_string(), v.trim().to_string())
            } else if let Some((k, rest)) = part.split_once(" notin ") {
                let values = set_values(rest).ok_or_else(|| {
                    format!("unable to parse requirement: found '{rest}', expected: '('")
                })?;
                Requirement::NotIn(k.trim().to_string(), values)
            } else if let Some((k, rest)) = part.split_once(" in ") {
                let values = set_values(rest).ok_or_else(|| {
                    format!("unable to parse requirement: found '{rest}', expected: '('")
                })?;
                Requirement::In(k.trim().to_string(), values)
            } else if let Some(k) = part.strip_prefix('!') {
                Requirement::NotExists(k.trim().to_string())
            } else {
                Requirement::Exists(part.to_string())
            };
            let key = match &requirement {
                Requirement::Equals(k, _)
                | Requirement::NotEquals(k, _)
                | Requirement::In(k, _)
                | Requirement::NotIn(k, _)
                | Requirement::Exists(k)
                | Requirement::NotExists(k) => k,
            };
            if !valid_key(key) {
                return Err(format!("unable to parse requirement: invalid label key \"{key}\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
            }
            requirements.push(requirement);
        }
        Ok(Selector(requirements))
    }

    pub fn matches(&self, labels: Option<&Labels>) -> bool {
        let empty = Labels::new();
        let labels = labels.unwrap_or(&empty);
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::NotExists(k) => !labels.contains_key(k),
        })
    }

    /// ParseToLabelSelector: equalities become matchLabels, set and
    /// existence requirements matchExpressions (values sorted, as Go's sets
    /// list them); `!=` has no LabelSelector form.
    pub fn to_label_selector(&self) -> Result<LabelSelector, String> {
        let mut labels = std::collections::BTreeMap::new();
        let mut expressions = Vec::new();
        for requirement in &self.0 {
            let (key, operator, values) = match requirement {
                Requirement::Equals(k, v) => {
                    labels.insert(k.clone(), v.clone());
                    continue;
                }
                Requirement::NotEquals(..) => {
                    return Err("\"!=\" is not a valid label selector operator".to_string())
                }
                Requirement::In(k, vs) => (k, "In", Some(vs)),
                Requirement::NotIn(k, vs) => (k, "NotIn", Some(vs)),
                Requirement::Exists(k) => (k, "Exists", None),
                Requirement::NotExists(k) => (k, "DoesNotExist", None),
            };
            let values = values.map(|vs| {
                let mut sorted = vs.clone();
                sorted.sort();
                sorted.dedup();
                sorted
            });
            expressions.push(LabelSelectorRequirement {
                key: key.clone(),
                operator: operator.to_string(),
                values,
            });
        }
        Ok(LabelSelector {
            match_labels: Some(labels),
            match_expressions: Some(expressions).filter(|e| !e.is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::labels::labels_from;

    #[test]
    fn all_operators() {
        let l = labels_from(&[("app", "nginx"), ("tier", "web")]);
        for (text, want) in [
            ("app=nginx", true),
            ("app==nginx", true),
            ("app!=nginx", false),
            ("app in (nginx,redis)", true),
            ("app notin (nginx)", false),
            ("tier", true),
            ("!tier", false),
            ("app=nginx,tier=db", false),
        ] {
            assert_eq!(
                Selector::parse(text).unwrap().matches(Some(&l)),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn bad_key() {
        assert!(Selector::parse("a b=c").is_err());
    }
}
