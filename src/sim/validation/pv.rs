//! core/v1 PersistentVolume.

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeSpec};

use super::field::FieldError;
use super::{meta, names, pvc};

pub fn validate(volume: &PersistentVolume) -> Vec<FieldError> {
    let mut errs = meta::validate(&volume.metadata, names::dns_subdomain, false);
    let none = PersistentVolumeSpec::default();
    let spec = volume.spec.as_ref().unwrap_or(&none);
    errs.extend(pvc::access_modes(
        spec.access_modes.as_deref().unwrap_or(&[]),
        "spec.accessModes",
        "",
    ));
    match &spec.capacity {
        None => errs.push(FieldError::required("spec.capacity", "")),
        Some(capacity) if !capacity.contains_key("storage") || capacity.len() > 1 => {
            let keys: Vec<&str> = capacity.keys().map(String::as_str).collect();
            errs.push(FieldError::unsupported(
                "spec.capacity",
                &keys.join(","),
                &["storage"],
            ));
        }
        Some(_) => {}
    }
    let sources = [
        spec.host_path.is_some(),
        spec.local.is_some(),
        spec.nfs.is_some(),
        spec.csi.is_some(),
    ];
    if !sources.contains(&true) {
        errs.push(FieldError::required("spec", "must specify a volume type"));
    }
    if let Some(policy) = spec.persistent_volume_reclaim_policy.as_deref() {
        errs.extend(FieldError::one_of(
            "spec.persistentVolumeReclaimPolicy",
            policy,
            &["Delete", "Recycle", "Retain"],
        ));
    }
    errs
}
