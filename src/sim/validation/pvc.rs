//! core/v1 PersistentVolumeClaim, also what the StatefulSet controller
//! creates from volumeClaimTemplates (so a bad template gives FailedCreate).

use k8s_openapi::api::core::v1::{PersistentVolumeClaim, PersistentVolumeClaimSpec};

use super::field::{quote, FieldError};
use super::{meta, names};
use crate::sim::quantity::{self, Sign};

pub const ACCESS_MODES: [&str; 4] = [
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];

pub fn validate(claim: &PersistentVolumeClaim) -> Vec<FieldError> {
    let mut errs = meta::validate(&claim.metadata, names::dns_subdomain, true);
    errs.extend(validate_spec(
        claim.spec.as_ref().unwrap_or(&Default::default()),
        "spec",
    ));
    errs
}

pub fn access_modes(modes: &[String], field: &str, required_detail: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if modes.is_empty() {
        errs.push(FieldError::required(field, required_detail));
    }
    for mode in modes {
        if !ACCESS_MODES.contains(&mode.as_str()) {
            errs.push(FieldError::unsupported(field, mode, &ACCESS_MODES));
        }
    }
    if modes.len() > 1 && modes.iter().any(|m| m == "ReadWriteOncePod") {
        errs.push(FieldError::forbidden(
            field,
            "may not use ReadWriteOncePod with other access modes",
        ));
    }
    errs
}

/// ValidatePersistentVolumeClaimSpec, its fields under `path` (`spec` for
/// a claim, `spec.volumeClaimTemplates[0].spec` for a StatefulSet's).
pub fn validate_spec(spec: &PersistentVolumeClaimSpec, path: &str) -> Vec<FieldError> {
    let mut errs = access_modes(
        spec.access_modes.as_deref().unwrap_or(&[]),
        &format!("{path}.accessModes"),
        "at least 1 access mode is required",
    );
    let storage = spec
        .resources
        .as_ref()
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"));
    let field = format!("{path}.resources[storage]");
    match storage {
        None => errs.push(FieldError::required(field, "")),
        Some(q) => match quantity::sign(q.0.trim()) {
            Ok(Sign::Positive) => {}
            Ok(Sign::Zero) => errs.push(FieldError::invalid(
                field,
                quote("0"),
                "must be greater than zero",
            )),
            _ => errs.push(FieldError::invalid(
                field,
                quote(&q.0),
                "must be greater than zero",
            )),
        },
    }
    errs
}

/// A claim's spec is fixed once created, except its storage request.
pub fn validate_update(
    old: &PersistentVolumeClaim,
    new: &PersistentVolumeClaim,
) -> Vec<FieldError> {
    let bound = old.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
    let clear_mutable = |spec: &mut PersistentVolumeClaimSpec| {
        // Only a bound claim may ask for another size.
        if bound {
            if let Some(requests) = spec.resources.as_mut().and_then(|r| r.requests.as_mut()) {
                requests.remove("storage");
            }
        }
        spec.volume_name = None;
    };
    let mut errs = FieldError::frozen_spec(
        old.spec.as_ref(),
        new.spec.as_ref(),
        clear_mutable,
        "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
    );
    // Shrinking is allowed only back down to what the volume has (to
    // recover from a failed expansion), never below it.
    let old_size = requested_storage(old);
    let new_size = requested_storage(new);
    let capacity = old
        .status
        .as_ref()
        .and_then(|s| s.capacity.as_ref())
        .and_then(|c| c.get("storage"))
        .and_then(|q| quantity::parse(&q.0))
        .unwrap_or(0);
    if new_size < old_size && new_size <= capacity {
        errs.push(FieldError::forbidden(
            "spec.resources.requests.storage",
            "field can not be less than status.capacity",
        ));
    }
    errs
}

/// The storage a claim asks for, in thousandths of a byte.
pub fn requested_storage(claim: &PersistentVolumeClaim) -> i128 {
    claim
        .spec
        .as_ref()
        .and_then(|s| s.resources.as_ref())
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"))
        .and_then(|q| quantity::parse(&q.0))
        .unwrap_or(0)
}
