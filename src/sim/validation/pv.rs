//! core/v1 PersistentVolume.

use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeSpec};

use super::field::{quote, FieldError};
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
    // The sources stsplay accepts, in ValidatePersistentVolumeSpec's order:
    // one is required, a second is forbidden.
    let sources = [
        ("hostPath", spec.host_path.is_some()),
        ("nfs", spec.nfs.is_some()),
        ("local", spec.local.is_some()),
        ("csi", spec.csi.is_some()),
    ];
    let mut given = sources
        .iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| *name);
    match given.next() {
        None => errs.push(FieldError::required("spec", "must specify a volume type")),
        Some("local") if spec.node_affinity.is_none() => errs.push(FieldError::required(
            "spec.nodeAffinity",
            "Local volume requires node affinity",
        )),
        Some(_) => {}
    }
    errs.extend(given.map(|extra| {
        FieldError::forbidden(
            format!("spec.{extra}"),
            "may not specify more than 1 volume type",
        )
    }));
    if let Some(policy) = spec.persistent_volume_reclaim_policy.as_deref() {
        errs.extend(FieldError::one_of(
            "spec.persistentVolumeReclaimPolicy",
            policy,
            &["Delete", "Recycle", "Retain"],
        ));
    }
    errs
}

/// ValidatePersistentVolumeUpdate: the volume's source and volume mode are
/// fixed once it exists. (The apiserver follows the source error with a
/// cmp.Diff of old and new, whose spacing go-cmp varies on purpose; that part
/// is left out.)
pub fn validate_update(old: &PersistentVolume, new: &PersistentVolume) -> Vec<FieldError> {
    let none = PersistentVolumeSpec::default();
    let (old, new) = (
        old.spec.as_ref().unwrap_or(&none),
        new.spec.as_ref().unwrap_or(&none),
    );
    let mut errs = Vec::new();
    let source = |s: &PersistentVolumeSpec| {
        (
            s.host_path.clone(),
            s.nfs.clone(),
            s.local.clone(),
            s.csi.clone(),
        )
    };
    if source(old) != source(new) {
        errs.push(FieldError::forbidden(
            "spec.persistentvolumesource",
            "spec.persistentvolumesource is immutable after creation",
        ));
    }
    if old.volume_mode != new.volume_mode {
        let mode = new.volume_mode.as_deref().map_or("null".to_string(), quote);
        errs.push(FieldError::invalid(
            "volumeMode",
            mode,
            "field is immutable",
        ));
    }
    errs
}
