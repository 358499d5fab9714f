//! `stsplay fault …`: the terminal command that breaks things on purpose,
//! so a tutorial can show a node failing or an app hanging, in the browser
//! and in transcripts alike. It drives the engine's faults
//! ([`crate::sim::Fault`]); what follows is the cluster's own reaction.

use super::host::TerminalHost;
use crate::shell::Sink;
use crate::sim::faults::{Fault, Target};
use crate::sim::object::Kind;

pub const USAGE: &str = "usage: stsplay fault FAULT [ARGS] [-n NAMESPACE]
  node-down NODE        the node's kubelet stops reporting (NotReady, pods evicted after 5m)
  node-up NODE          the kubelet reports again
  node-remove NODE      the Node object is deleted (its pods are garbage-collected)
  kill POD [-c NAME]    SIGKILL the container's process (exit 137, then a restart)
  break-image STS       point the StatefulSet's first container at an image tag that does not exist
  fail-readiness POD [-c NAME]     the app's readiness checks start failing
  restore-readiness POD [-c NAME]  they pass again
  hang POD [-c NAME]    the app stops answering; liveness probes time out
";

/// The faults, as `stsplay fault` names them.
pub const FAULTS: &[&str] = &[
    "node-down",
    "node-up",
    "node-remove",
    "kill",
    "break-image",
    "fail-readiness",
    "restore-readiness",
    "hang",
];

/// What a fault's name argument names, for completion.
pub fn target_kind(fault: &str) -> Kind {
    match fault {
        "node-down" | "node-up" | "node-remove" => Kind::Node,
        "break-image" => Kind::StatefulSet,
        _ => Kind::Pod,
    }
}

/// Parses the words after `stsplay fault` into the fault to inject.
pub fn parse(args: &[String], namespace: &str) -> Result<Fault, String> {
    let mut namespace = namespace.to_string();
    let mut container = None;
    let mut words = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with('-') => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        match flag {
            "-n" | "--namespace" | "-c" | "--container" => {
                let value = inline
                    .or_else(|| iter.next().cloned())
                    .ok_or_else(|| format!("flag needs an argument: {flag}"))?;
                if flag == "-n" || flag == "--namespace" {
                    namespace = value;
                } else {
                    container = Some(value);
                }
            }
            other if other.starts_with('-') => return Err(format!("unknown flag: {other}")),
            _ => words.push(arg.clone()),
        }
    }
    let (name, rest) = words
        .split_first()
        .ok_or_else(|| "name the fault".to_string())?;
    let [object] = rest else {
        return Err(format!("{name}: give exactly one name"));
    };
    let target = || Target {
        namespace: namespace.clone(),
        pod: object.clone(),
        container: container.clone(),
    };
    let node = object.clone();
    Ok(match name.as_str() {
        "node-down" => Fault::DisconnectNode { node },
        "node-up" => Fault::ReconnectNode { node },
        "node-remove" => Fault::RemoveNode { node },
        "kill" => Fault::KillContainer(target()),
        "break-image" => Fault::BreakImage {
            namespace: namespace.clone(),
            statefulset: node,
        },
        "fail-readiness" => Fault::FailReadiness(target()),
        "restore-readiness" => Fault::RestoreReadiness(target()),
        "hang" => Fault::HangApp(target()),
        other => return Err(format!("unknown fault {other:?}")),
    })
}

impl TerminalHost<'_> {
    /// `stsplay fault …`: breaks something in the cluster on purpose.
    pub(super) fn stsplay(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        match args.split_first() {
            Some((verb, rest)) if verb == "fault" => {
                let fault = match parse(rest, self.pg.namespace()) {
                    Ok(fault) => fault,
                    Err(err) => {
                        sink.err_line(format!("stsplay fault: {err}"));
                        sink.err(USAGE);
                        return 2;
                    }
                };
                match self.pg.cluster.fault(fault) {
                    Ok(()) => {
                        sink.out(format!("stsplay: fault {} injected\n", rest.join(" ")));
                        self.pg.pump();
                        0
                    }
                    Err(err) => {
                        sink.err_line(format!("stsplay fault: {err}"));
                        1
                    }
                }
            }
            Some((verb, _)) if verb == "run" => {
                sink.err_line("stsplay: `stsplay run SCRIPT` is the native transcript runner (cargo run --bin stsplay -- run SCRIPT); here, type the script's lines themselves");
                2
            }
            Some((verb, _)) if verb != "help" && verb != "--help" => {
                sink.err_line(format!("stsplay: unknown command {verb:?}"));
                sink.err(USAGE);
                2
            }
            _ => {
                sink.out(USAGE);
                0
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn faults_parse_with_their_target() {
        assert_eq!(
            parse(&words("node-down kind-worker"), "default"),
            Ok(Fault::DisconnectNode {
                node: "kind-worker".into()
            })
        );
        assert_eq!(
            parse(&words("kill web-0 -c nginx -n shop"), "default"),
            Ok(Fault::KillContainer(Target {
                namespace: "shop".into(),
                pod: "web-0".into(),
                container: Some("nginx".into()),
            }))
        );
        assert_eq!(
            parse(&words("break-image web --namespace=shop"), "default"),
            Ok(Fault::BreakImage {
                namespace: "shop".into(),
                statefulset: "web".into()
            })
        );
    }

    #[test]
    fn every_listed_fault_parses() {
        for fault in FAULTS {
            assert!(
                parse(&words(&format!("{fault} x")), "default").is_ok(),
                "{fault}"
            );
        }
    }

    #[test]
    fn mistakes_say_what_is_wrong() {
        assert_eq!(parse(&[], "default"), Err("name the fault".into()));
        assert_eq!(
            parse(&words("node-down"), "default"),
            Err("node-down: give exactly one name".into())
        );
        assert_eq!(
            parse(&words("melt web-0"), "default"),
            Err("unknown fault \"melt\"".into())
        );
        assert_eq!(
            parse(&words("kill web-0 -c"), "default"),
            Err("flag needs an argument: -c".into())
        );
        assert_eq!(
            parse(&words("kill web-0 --force"), "default"),
            Err("unknown flag: --force".into())
        );
    }
}
