//! What kind's local-path provisioner (upstream v0.0.30 in kind's image)
//! writes to its log: logrus lines at start-up and for each volume it
//! creates or deletes, and klog lines for the Events it records. Facts:
//! /work/notes/local-path-logs.md.

use k8s_openapi::api::core::v1::Pod;

use crate::sim::clock::{timestamp, Millis};
use crate::sim::cluster::Cluster;
use crate::sim::fast_hash::digest_of;
use crate::sim::rng::Rng;
use crate::sim::runtime_data::{LogLine, LogStream};

const CONTAINER: &str = "local-path-provisioner";

/// The provisioner name kind's StorageClass asks for, and where it runs.
pub const NAME: &str = "rancher.io/local-path";
pub const NAMESPACE: &str = "local-path-storage";

/// One running provisioner: its pod, and the name it records Events under
/// (`<provisioner>_<its pod>_<a uuid it draws when it starts>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provisioner {
    pub pod_uid: String,
    pub identity: String,
}

impl Provisioner {
    pub fn of(pod: &Pod) -> Provisioner {
        let pod_uid = pod.metadata.uid.clone().unwrap_or_default();
        let name = pod.metadata.name.as_deref().unwrap_or("");
        let started = Rng::new(digest_of(&[&pod_uid])).uuid();
        Provisioner {
            identity: format!("{NAME}_{name}_{started}"),
            pod_uid,
        }
    }

    fn write(&self, cluster: &mut Cluster, lines: Vec<String>) {
        let at = cluster.now();
        let lines = lines.into_iter().map(|text| LogLine {
            at,
            stream: LogStream::Stderr,
            text,
        });
        cluster.runtime.log_all(&self.pod_uid, CONTAINER, lines);
    }

    /// It takes a claim on: the helper pod that makes the directory starts.
    pub fn creating(&self, cluster: &mut Cluster, claim: (&str, &str), node: &str, pv: &str) {
        let at = Stamp::at(cluster.now());
        let (namespace, name) = claim;
        let path = path(pv, namespace, name);
        let lines = vec![
            at.logrus(
                "debug",
                &[
                    "config doesn't contain node ",
                    node,
                    ", use DEFAULT_PATH_FOR_NON_LISTED_NODES instead",
                ],
            ),
            at.logrus("info", &["Creating volume ", pv, " at ", node, ":", &path]),
            at.logrus(
                "info",
                &[
                    "create the helper pod helper-pod-create-",
                    pv,
                    " into ",
                    NAMESPACE,
                ],
            ),
            at.event(
                claim,
                "Provisioning",
                &[
                    "External provisioner is provisioning volume for claim \"",
                    namespace,
                    "/",
                    name,
                    "\"",
                ],
            ),
        ];
        self.write(cluster, lines);
    }

    /// The helper pod is done and the volume stored.
    pub fn created(&self, cluster: &mut Cluster, claim: (&str, &str), node: &str, pv: &str) {
        let at = Stamp::at(cluster.now());
        let mut lines = helper_done(&at, "create", pv, node, &path(pv, claim.0, claim.1));
        let message = ["Successfully provisioned volume ", pv];
        lines.push(at.event(claim, "ProvisioningSucceeded", &message));
        self.write(cluster, lines);
    }

    /// A released volume's directory is wiped by a helper pod.
    pub fn deleting(&self, cluster: &mut Cluster, pv: &str, node: &str, path: &str) {
        let at = Stamp::at(cluster.now());
        let lines = vec![
            at.logrus("info", &["Deleting volume ", pv, " at ", node, ":", path]),
            at.logrus(
                "info",
                &[
                    "create the helper pod helper-pod-delete-",
                    pv,
                    " into ",
                    NAMESPACE,
                ],
            ),
        ];
        self.write(cluster, lines);
    }

    /// The wiping helper pod is done (no Event: a delete that works says nothing more).
    pub fn deleted(&self, cluster: &mut Cluster, pv: &str, node: &str, path: &str) {
        let at = Stamp::at(cluster.now());
        self.write(cluster, helper_done(&at, "delete", pv, node, path));
    }
}

/// The provisioner's first lines: its configuration (kind's `local-path-config`)
/// and its controller starting, a tenth of a second apart.
pub fn start_up(identity: &str, at: Millis) -> Vec<String> {
    let config = r#"{"nodePathMap":[{"node":"DEFAULT_PATH_FOR_NON_LISTED_NODES","paths":["/var/local-path-provisioner"]}],"storageClassConfigs":null}"#;
    let (now, soon) = (Stamp::at(at), Stamp::at(at + 100));
    let controller =
        |verb: &str| format!("\"{verb} provisioner controller\" component={identity:?}");
    vec![
        now.logrus("debug", &["Applied config: ", config]),
        now.logrus("debug", &["Provisioner started"]),
        now.klog("controller.go:824", &controller("Starting")),
        soon.klog("controller.go:873", &controller("Started")),
    ]
}

/// Where kind's provisioner puts a claim's directory.
pub fn path(pv: &str, namespace: &str, claim: &str) -> String {
    format!("/var/local-path-provisioner/{pv}_{namespace}_{claim}")
}

fn helper_done(at: &Stamp, action: &str, pv: &str, node: &str, path: &str) -> Vec<String> {
    let helper = ["helper-pod-", action, "-", pv];
    vec![
        at.logrus(
            "info",
            &[
                "Volume ",
                pv,
                " has been ",
                action,
                "d on ",
                node,
                ":",
                path,
            ],
        ),
        at.logrus("info", &[&["Start of "][..], &helper, &[" logs"]].concat()),
        at.logrus("info", &[&["End of "][..], &helper, &[" logs"]].concat()),
    ]
}

/// One moment as both loggers print it, formatted once for all its lines.
struct Stamp {
    /// logrus: RFC 3339 to the second.
    logrus: String,
    /// klog: month and day, time to the microsecond.
    klog: String,
}

impl Stamp {
    fn at(at: Millis) -> Stamp {
        let when = timestamp(at);
        let micros = u64::from(when.subsec_nanosecond().unsigned_abs()) / 1000;
        Stamp {
            logrus: when.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            klog: format!("{}.{micros:06}", when.strftime("%m%d %H:%M:%S")),
        }
    }

    /// logrus v0.11's text format, quoted message, trailing space and all.
    fn logrus(&self, level: &str, message: &[&str]) -> String {
        let mut line = String::with_capacity(256);
        line.push_str("time=\"");
        line.push_str(&self.logrus);
        line.push_str("\" level=");
        line.push_str(level);
        line.push_str(" msg=");
        quoted(&mut line, message);
        line.push(' ');
        line
    }

    /// klog's header: severity, the time, pid 1, the source line.
    fn klog(&self, place: &str, text: &str) -> String {
        format!("I{}       1 {place}] {text}", self.klog)
    }

    /// client-go's event logging of an Event about a claim.
    fn event(&self, claim: (&str, &str), reason: &str, message: &[&str]) -> String {
        let mut text = String::with_capacity(320);
        text.push_str("\"Event occurred\" object=");
        quoted(&mut text, &[claim.0, "/", claim.1]);
        text.push_str(" fieldPath=\"\" kind=\"PersistentVolumeClaim\" apiVersion=\"v1\" type=\"Normal\" reason=");
        quoted(&mut text, &[reason]);
        text.push_str(" message=");
        quoted(&mut text, message);
        self.klog("event.go:389", &text)
    }
}

/// Appends the parts as one string in double quotes, escaped as Go's %q
/// escapes the quotes and backslashes these messages can hold.
fn quoted(out: &mut String, parts: &[&str]) {
    out.push('"');
    for part in parts {
        let mut rest = *part;
        while let Some(at) = rest.find(['"', '\\']) {
            out.push_str(&rest[..at]);
            out.push('\\');
            out.push_str(&rest[at..=at]);
            rest = &rest[at + 1..];
        }
        out.push_str(rest);
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_formatted_as_logrus_and_klog_write_them() {
        assert_eq!(
            Stamp::at(0).logrus("info", &["say ", "\"hi\""]),
            "time=\"2026-01-05T08:59:00Z\" level=info msg=\"say \\\"hi\\\"\" "
        );
        assert_eq!(
            Stamp::at(1_234).klog("event.go:389", "x"),
            "I0105 08:59:01.234000       1 event.go:389] x"
        );
    }
}
