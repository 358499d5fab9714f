//! ValidateSecret and ValidateSecretUpdate: data keys and size, the keys each
//! built-in type requires, and what may not change.

use k8s_openapi::api::core::v1::Secret;

use super::field::{quote, ErrorType, FieldError};
use super::{meta, names};

/// The most data a Secret may hold (core.MaxSecretSize).
const MAX_SIZE: usize = 1024 * 1024;

pub fn validate(secret: &Secret) -> Vec<FieldError> {
    let mut errs = meta::validate(&secret.metadata, names::dns_subdomain, true);
    let data = secret.data.as_ref();
    let mut size = 0;
    for (key, value) in data.into_iter().flatten() {
        errs.extend(
            names::config_map_key(key)
                .into_iter()
                .map(|m| FieldError::invalid(format!("data[{key}]"), quote(key), m)),
        );
        size += value.0.len();
    }
    if size > MAX_SIZE {
        errs.push(FieldError {
            field: "data".to_string(),
            kind: ErrorType::TooLong,
            value: None,
            detail: format!("must have at most {MAX_SIZE} bytes"),
        });
    }
    let has = |key: &str| data.is_some_and(|d| d.contains_key(key));
    let required = |key: &str| FieldError::required(format!("data[{key}]"), "");
    match secret.type_.as_deref().unwrap_or("") {
        "kubernetes.io/service-account-token" => {
            let named = secret
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("kubernetes.io/service-account.name"))
                .is_some_and(|name| !name.is_empty());
            if !named {
                errs.push(FieldError::required(
                    "metadata.annotations[kubernetes.io/service-account.name]",
                    "",
                ));
            }
        }
        "kubernetes.io/dockercfg" if !has(".dockercfg") => errs.push(required(".dockercfg")),
        "kubernetes.io/dockerconfigjson" if !has(".dockerconfigjson") => {
            errs.push(required(".dockerconfigjson"))
        }
        "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
            errs.push(required("username"));
            errs.push(required("password"));
        }
        "kubernetes.io/ssh-auth" => {
            let key = data.and_then(|d| d.get("ssh-privatekey"));
            if key.is_none_or(|k| k.0.is_empty()) {
                errs.push(required("ssh-privatekey"));
            }
        }
        "kubernetes.io/tls" => {
            for key in ["tls.crt", "tls.key"] {
                if !has(key) {
                    errs.push(required(key));
                }
            }
        }
        _ => {}
    }
    errs
}

/// The type never changes; an immutable Secret keeps its data and its flag.
pub fn validate_update(old: &Secret, new: &Secret) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if old.type_ != new.type_ {
        let ty = new.type_.as_deref().unwrap_or("");
        errs.push(FieldError::invalid("type", quote(ty), "field is immutable"));
    }
    if old.immutable == Some(true) {
        if new.immutable != Some(true) {
            errs.push(FieldError::forbidden(
                "immutable",
                "field is immutable when `immutable` is set",
            ));
        }
        if old.data != new.data {
            errs.push(FieldError::forbidden(
                "data",
                "field is immutable when `immutable` is set",
            ));
        }
    }
    errs
}
