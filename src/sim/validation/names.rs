//! apimachinery's name and label syntax checks, with their messages.

const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const CONFIG_KEY_MSG: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const ENV_VAR_MSG: &str = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

fn too_long(max: usize) -> String {
    format!("must be no more than {max} characters")
}

/// apimachinery's order: the length error when `s` is longer than `max`, then the form error.
fn length_and_form(s: &str, max: usize, form_error: Option<&str>) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > max {
        errs.push(too_long(max));
    }
    errs.extend(form_error.map(str::to_string));
    errs
}

fn is_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

fn is_subdomain(s: &str) -> bool {
    s.split('.').all(is_label)
}

/// A lowercase RFC 1123 label (StatefulSet, Namespace and container names).
pub fn dns_label(s: &str) -> Vec<String> {
    let form = if is_label(s) {
        None
    } else if is_subdomain(s) {
        Some("must not contain dots")
    } else {
        Some(LABEL_MSG)
    };
    length_and_form(s, 63, form)
}

/// A lowercase RFC 1123 subdomain (most object names).
pub fn dns_subdomain(s: &str) -> Vec<String> {
    length_and_form(s, 253, (!is_subdomain(s)).then_some(SUBDOMAIN_MSG))
}

/// A DNS-1035 label (Service names): must start with a letter.
pub fn dns1035_label(s: &str) -> Vec<String> {
    let well_formed = is_label(s) && s.starts_with(|c: char| c.is_ascii_lowercase());
    length_and_form(s, 63, (!well_formed).then_some(DNS1035_MSG))
}

fn is_config_key(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// A key that becomes a file name in a volume must not climb out of it.
fn chdir_prefix(s: &str) -> Option<String> {
    let message = match s {
        "." => "must not be '.'",
        ".." => "must not be '..'",
        _ if s.starts_with("..") => "must not start with '..'",
        _ => return None,
    };
    Some(message.to_string())
}

/// A ConfigMap (or Secret) data key.
pub fn config_map_key(s: &str) -> Vec<String> {
    let mut errs = length_and_form(s, 253, (!is_config_key(s)).then_some(CONFIG_KEY_MSG));
    errs.extend(chdir_prefix(s));
    errs
}

/// An environment variable name as `kubectl create configmap --from-env-file` checks it.
pub fn env_var_name(s: &str) -> Vec<String> {
    let well_formed = is_config_key(s) && !s.starts_with(|c: char| c.is_ascii_digit());
    let mut errs: Vec<String> = (!well_formed)
        .then(|| ENV_VAR_MSG.to_string())
        .into_iter()
        .collect();
    errs.extend(chdir_prefix(s));
    errs
}

fn is_qualified_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// A label or annotation key: `[prefix/]name`.
pub fn qualified_name(s: &str) -> Vec<String> {
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                return vec!["prefix part must be non-empty".to_string()];
            }
            let prefix_errs: Vec<String> = dns_subdomain(prefix).into_iter().map(|m| format!("prefix part {m}")).collect();
            if !prefix_errs.is_empty() {
                return prefix_errs;
            }
            name
        }
        _ => {
            return vec![format!(
                "a qualified name {QUALIFIED_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            )]
        }
    };
    let mut errs = Vec::new();
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push("name part must be no more than 63 characters".to_string());
    }
    if !name.is_empty() && !is_qualified_part(name) {
        errs.push(format!("name part {QUALIFIED_MSG}"));
    }
    errs
}

pub fn label_value(s: &str) -> Vec<String> {
    let well_formed = s.is_empty() || is_qualified_part(s);
    length_and_form(s, 63, (!well_formed).then_some(LABEL_VALUE_MSG))
}

/// IANA service names, as container and service port names must be.
pub fn port_name(s: &str) -> Vec<String> {
    let well_formed = s
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    let mut errs = length_and_form(
        s,
        15,
        (!well_formed)
            .then_some("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"),
    );
    if !s.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if s.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if s.starts_with('-') || s.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

pub fn port_number(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) {
        Vec::new()
    } else {
        vec!["must be between 1 and 65535, inclusive".to_string()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_keys_and_env_names() {
        assert!(config_map_key("nginx.conf").is_empty());
        assert!(config_map_key(".hidden").is_empty());
        assert_eq!(config_map_key("."), ["must not be '.'"]);
        assert_eq!(config_map_key(".."), ["must not be '..'"]);
        assert_eq!(config_map_key("..data"), ["must not start with '..'"]);
        assert_eq!(config_map_key("a b"), [CONFIG_KEY_MSG]);
        assert_eq!(config_map_key(""), [CONFIG_KEY_MSG]);
        assert_eq!(
            config_map_key(&"k".repeat(254)),
            ["must be no more than 253 characters"]
        );
        assert!(env_var_name("LOG_LEVEL").is_empty());
        assert!(env_var_name("my.env-name").is_empty());
        assert_eq!(env_var_name("1ST"), [ENV_VAR_MSG]);
        assert_eq!(env_var_name("A=B"), [ENV_VAR_MSG]);
    }

    #[test]
    fn names() {
        assert!(dns_label("web-0").is_empty());
        assert_eq!(dns_label("Web"), [LABEL_MSG]);
        assert_eq!(dns_label("a.b"), ["must not contain dots"]);
        assert_eq!(
            dns_label(&"a".repeat(64)),
            ["must be no more than 63 characters"]
        );
        assert_eq!(
            dns_label(&"A".repeat(64)),
            ["must be no more than 63 characters", LABEL_MSG]
        );
        assert_eq!(
            port_name("-a-very-long-port-"),
            [
                "must be no more than 15 characters",
                "must not begin or end with a hyphen"
            ]
        );
        assert!(dns_subdomain("a.b").is_empty());
        assert_eq!(dns1035_label("1abc"), [DNS1035_MSG]);
        assert!(qualified_name("app.kubernetes.io/name").is_empty());
        assert_eq!(qualified_name("/x"), ["prefix part must be non-empty"]);
        assert_eq!(label_value("bad value"), [LABEL_VALUE_MSG]);
        assert_eq!(
            port_name("web_http"),
            ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"]
        );
    }
}
