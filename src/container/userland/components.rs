//! The programs kind's own images are built around, as far as their logs
//! go: CoreDNS (v1.12.1, facts in /work/notes/coredns-logs.md) and the
//! local-path provisioner (facts in /work/notes/local-path-logs.md).

use super::ContainerHost;
use crate::shell::Io;
use crate::sim::controllers::provisioner_log::{self, Provisioner};

const VERSION: &str = "CoreDNS-1.12.1\nlinux/amd64, go1.24.1, 707c7c1";

/// plugin/reload's SHA512 of kubeadm 1.34's default Corefile (the one in
/// `kind_system.yaml`), as published kubeadm clusters log it. CoreDNS hashes
/// the parsed Corefile, which stsplay does not parse: a changed Corefile is
/// not hashed again (nor reloaded).
const DEFAULT_COREFILE_SHA512: &str = "1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b";

impl ContainerHost<'_> {
    pub(super) fn coredns(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        if args.iter().any(|a| a == "-version" || a == "--version") {
            io.sink.out(format!("{VERSION}\n"));
            return 0;
        }
        // automaxprocs: no CPU limit, so every CPU of the node.
        let cpus = self
            .inside
            .pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .and_then(|node| {
                self.cluster
                    .store()
                    .get_typed::<k8s_openapi::api::core::v1::Node>("", node)
            })
            .and_then(|n| n.status.as_ref()?.capacity.as_ref()?.get("cpu"))
            .map_or("1".to_string(), |q| q.0.clone());
        io.sink.out(format!(
            "maxprocs: Leaving GOMAXPROCS={cpus}: CPU quota undefined\n"
        ));
        if !self.is_main() {
            // The container's own CoreDNS already serves port 53.
            io.sink
                .out("Listen: listen tcp :53: bind: address already in use\n");
            return 1;
        }
        io.sink.out(format!(
            ".:53\n[INFO] plugin/reload: Running configuration SHA512 = {DEFAULT_COREFILE_SHA512}\n{VERSION}\n"
        ));
        self.block()
    }

    /// `local-path-provisioner --debug start …`: its start-up lines (on
    /// stderr, as logrus and klog write), then it serves until stopped.
    pub(super) fn local_path_provisioner(&mut self, io: &mut Io<'_>) -> i32 {
        let identity = Provisioner::of(&self.inside.pod).identity;
        for line in provisioner_log::start_up(&identity, self.now) {
            io.sink.err_line(line);
        }
        self.block()
    }
}
