//! storage.k8s.io/v1 StorageClass.

use k8s_openapi::api::storage::v1::StorageClass;

use super::field::{quote, FieldError};
use super::{meta, names};

pub fn validate(class: &StorageClass) -> Vec<FieldError> {
    let mut errs = meta::validate(&class.metadata, names::dns_subdomain, false);
    if class.provisioner.is_empty() {
        errs.push(FieldError::required("provisioner", ""));
    }
    if let Some(policy) = class.reclaim_policy.as_deref() {
        errs.extend(FieldError::one_of(
            "reclaimPolicy",
            policy,
            &["Delete", "Retain"],
        ));
    }
    if let Some(mode) = class.volume_binding_mode.as_deref() {
        errs.extend(FieldError::one_of(
            "volumeBindingMode",
            mode,
            &["Immediate", "WaitForFirstConsumer"],
        ));
    }
    errs
}

pub fn validate_update(old: &StorageClass, new: &StorageClass) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if old.parameters != new.parameters {
        errs.push(FieldError::forbidden(
            "parameters",
            "updates to parameters are forbidden.",
        ));
    }
    if old.provisioner != new.provisioner {
        errs.push(FieldError::forbidden(
            "provisioner",
            "updates to provisioner are forbidden.",
        ));
    }
    if old.reclaim_policy != new.reclaim_policy {
        errs.push(FieldError::forbidden(
            "reclaimPolicy",
            "updates to reclaimPolicy are forbidden.",
        ));
    }
    if old.volume_binding_mode != new.volume_binding_mode {
        let mode = new.volume_binding_mode.as_deref().unwrap_or("");
        errs.push(FieldError::invalid(
            "volumeBindingMode",
            quote(mode),
            "field is immutable",
        ));
    }
    errs
}
