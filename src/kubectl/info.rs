//! `kubectl version` and `kubectl cluster-info`.

use super::args::{Parsed, Spec, Takes};
use super::output::Output;
use crate::sim::bootstrap::KUBERNETES_VERSION;

pub const VERSION_SPEC: Spec = Spec {
    flags: &[("client", None, Takes::Bool)],
    not_simulated: &["output"],
};

/// kubectl 1.34 bundles kustomize v5.7.1.
const KUSTOMIZE_VERSION: &str = "v5.7.1";

pub fn version(parsed: &Parsed) -> Output {
    let mut output = version_of_client();
    if !parsed.bool("client") {
        output.print(&format!("Server Version: {KUBERNETES_VERSION}\n"));
    }
    output
}

/// kubectl's own version and the kustomize it embeds.
pub fn version_of_client() -> Output {
    Output::ok(format!(
        "Client Version: {KUBERNETES_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}\n"
    ))
}

/// kind's apiserver address and the CoreDNS proxy URL.
pub fn cluster_info() -> Output {
    Output::ok(
        "Kubernetes control plane is running at https://127.0.0.1:6443\nCoreDNS is running at https://127.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
            .to_string(),
    )
}
