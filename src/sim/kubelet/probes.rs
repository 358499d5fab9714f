//! The kubelet's prober: startup, liveness and readiness checks against a
//! simulated container (kubernetes-fidelity.md §2.4).
//!
//! A probe only needs ticking while its next result could change
//! something: a passing liveness probe, a ready readiness probe and a
//! passed startup probe go quiet until a fault breaks the app, so a healthy
//! cluster still settles.

use k8s_openapi::api::core::v1::{Container, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::sim::clock::{Millis, SECOND};
use crate::sim::images::Behaviour;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeKind {
    Startup,
    Liveness,
    Readiness,
}

impl ProbeKind {
    pub fn title(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Readiness => "Readiness",
        }
    }

    fn lower(self) -> &'static str {
        match self {
            ProbeKind::Startup => "startup",
            ProbeKind::Liveness => "liveness",
            ProbeKind::Readiness => "readiness",
        }
    }

    /// The Killing message when this probe gives up on a container.
    pub fn kill_message(self, container: &str) -> String {
        format!(
            "Container {container} failed {} probe, will be restarted",
            self.lower()
        )
    }
}

/// What a probe does, with ports resolved against the container's ports.
#[derive(Clone, Debug, PartialEq)]
enum Action {
    /// The port, or why the kubelet cannot resolve it.
    Http {
        port: Result<u16, String>,
        path: String,
        scheme: String,
    },
    Tcp {
        port: Result<u16, String>,
    },
    Grpc {
        port: u16,
    },
    Exec {
        command: Vec<String>,
        timeout: Millis,
    },
}

/// The runtime's error for an exec check that ran past its timeout.
pub fn timed_out(command: &[String], timeout: Millis) -> String {
    format!(
        "command timed out: \"{}\" timed out after {}s",
        command.join(" "),
        timeout / SECOND
    )
}

/// What an exec check gave: the kubelet runs the command in the container
/// (the CRI's ExecSync) just before the sync that judges it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExecResult {
    /// Exit status 0.
    Passed,
    /// Another status, with what the command printed.
    Failed(String),
    /// The runtime could not run it (no such executable).
    Errored(String),
}

/// How the app answers probes right now (faults break it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AppHealth {
    /// Readiness checks fail (the app reports it cannot serve).
    pub unready: bool,
    /// The app hangs: every check times out until the process restarts.
    pub hung: bool,
}

#[derive(Clone, Debug)]
pub struct Prober {
    pub kind: ProbeKind,
    action: Action,
    initial_delay: Millis,
    period: Millis,
    success_threshold: u32,
    failure_threshold: u32,
    /// When the next check runs; None while nothing could change.
    pub next_at: Option<Millis>,
    successes: u32,
    failures: u32,
    /// The probe's verdict so far: None until the first threshold is met.
    pub passing: Option<bool>,
    /// An exec check's result, run for the check due now.
    pub exec_result: Option<ExecResult>,
    /// The container's main process is still to write files (it sleeps
    /// between steps), so a passing exec check may fail later: it keeps
    /// checking instead of going quiet.
    pub exec_changing: bool,
    /// A passing exec probe gone quiet: since when, and up to when the
    /// checks a real kubelet would have gone on running have been handed
    /// out for their side effects (`quiet_checks`).
    quiet: Option<(Millis, Millis)>,
}

/// What one check decided.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Nothing visible changed.
    Quiet,
    /// The result flipped to passing.
    Passed,
    /// A failed check: an Unhealthy event with this output.
    Failed { output: String, gave_up: bool },
}

fn seconds(value: Option<i32>, default: i32) -> Millis {
    Millis::try_from(value.unwrap_or(default).max(0)).unwrap_or(0) * SECOND
}

fn count(value: Option<i32>, default: i32) -> u32 {
    u32::try_from(value.unwrap_or(default).max(1)).unwrap_or(1)
}

/// A container port by number or by name (ResolveContainerPort): a name
/// no port has is tried as a number, then fails as strconv.Atoi does.
fn resolve_port(port: &IntOrString, container: &Container) -> Result<u16, String> {
    let number = match port {
        IntOrString::Int(n) => i64::from(*n),
        IntOrString::String(name) => {
            let named = container
                .ports
                .iter()
                .flatten()
                .find(|p| p.name.as_deref() == Some(name.as_str()));
            match named {
                Some(p) => i64::from(p.container_port),
                None => name
                    .parse()
                    .map_err(|_| format!("strconv.Atoi: parsing {name:?}: invalid syntax"))?,
            }
        }
    };
    u16::try_from(number)
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("invalid port number: {number}"))
}

impl Prober {
    pub fn new(kind: ProbeKind, probe: &Probe, container: &Container) -> Option<Prober> {
        let action = if let Some(http) = &probe.http_get {
            Action::Http {
                port: resolve_port(&http.port, container),
                path: http.path.clone().unwrap_or_else(|| "/".to_string()),
                scheme: http
                    .scheme
                    .clone()
                    .unwrap_or_else(|| "HTTP".to_string())
                    .to_ascii_lowercase(),
            }
        } else if let Some(tcp) = &probe.tcp_socket {
            Action::Tcp {
                port: resolve_port(&tcp.port, container),
            }
        } else if let Some(grpc) = &probe.grpc {
            Action::Grpc {
                port: u16::try_from(grpc.port).unwrap_or(0),
            }
        } else if let Some(exec) = &probe.exec {
            Action::Exec {
                command: exec.command.clone().unwrap_or_default(),
                timeout: seconds(probe.timeout_seconds, 1).max(SECOND),
            }
        } else {
            return None;
        };
        Some(Prober {
            kind,
            action,
            initial_delay: seconds(probe.initial_delay_seconds, 0),
            period: seconds(probe.period_seconds, 10).max(SECOND),
            success_threshold: count(probe.success_threshold, 1),
            failure_threshold: count(probe.failure_threshold, 3),
            next_at: None,
            successes: 0,
            failures: 0,
            passing: None,
            exec_result: None,
            exec_changing: false,
            quiet: None,
        })
    }

    /// An exec probe's command.
    pub fn exec_command(&self) -> Option<&[String]> {
        match &self.action {
            Action::Exec { command, .. } => Some(command),
            _ => None,
        }
    }

    /// How long an exec check may take before it fails as timed out.
    pub fn exec_timeout(&self) -> Option<Millis> {
        match &self.action {
            Action::Exec { timeout, .. } => Some(*timeout),
            _ => None,
        }
    }

    /// A fresh container process: forget earlier results and schedule the
    /// first check. `offset` stands for where the prober's ticker happens to
    /// be; with no initial delay the kubelet checks right after the start.
    pub fn restart(&mut self, started: Millis, offset: Millis) {
        self.quiet = None;
        self.exec_result = None;
        self.successes = 0;
        self.failures = 0;
        self.passing = None;
        self.next_at = Some(if self.initial_delay == 0 {
            started + offset % SECOND
        } else {
            started + self.initial_delay + offset % self.period
        });
    }

    /// The container stopped: no more checks.
    /// Passing and quiet, as a probe of a container that has long been healthy.
    pub fn passed(&mut self) {
        self.successes = self.success_threshold;
        self.failures = 0;
        self.passing = Some(true);
        self.next_at = None;
    }

    pub fn stop(&mut self) {
        self.quiet = None;
        self.next_at = None;
    }

    /// The checks a real kubelet would have run since the last call, up
    /// to `now`, while this exec probe has been quiet: the simulator skips
    /// them, as their verdict cannot change, but a command's side effects
    /// (a server that logs each probe) are owed.
    pub fn quiet_checks(&mut self, now: Millis) -> Vec<Millis> {
        let Some((since, handed)) = self.quiet.as_mut() else {
            return Vec::new();
        };
        let first = *handed + self.period - (*handed - *since) % self.period;
        let times: Vec<Millis> = (0..)
            .map(|k| first + k * self.period)
            .take_while(|t| *t <= now)
            .collect();
        if let Some(last) = times.last() {
            *handed = *last;
        }
        times
    }

    /// Why the kubelet cannot run the check at all (a port it cannot
    /// resolve, an executable the container lacks), which throws the
    /// result away.
    pub fn error(&self) -> Option<&str> {
        match (&self.action, &self.exec_result) {
            (Action::Http { port: Err(e), .. } | Action::Tcp { port: Err(e) }, _) => Some(e),
            (Action::Exec { .. }, Some(ExecResult::Errored(e))) => Some(e),
            _ => None,
        }
    }

    /// An errored check: nothing counts, and the next comes a period later.
    pub fn errored(&mut self, now: Millis) {
        self.exec_result = None;
        self.next_at = Some(now + self.period);
    }

    /// The app's health changed: resume checking on the prober's beat.
    pub fn wake(&mut self, now: Millis, last_tick: Millis) {
        self.quiet = None;
        if self.next_at.is_none() {
            let missed = now.saturating_sub(last_tick) / self.period + 1;
            self.next_at = Some(last_tick + missed * self.period);
        }
    }

    /// An exec check that is due has no result yet: the kubelet runs its
    /// command before the next sync, a moment later.
    pub fn awaits_exec(&mut self, now: Millis) -> bool {
        let awaits = self.exec_command().is_some() && self.exec_result.is_none();
        if awaits {
            self.next_at = Some(now + 1);
        }
        awaits
    }

    /// Runs the check due at `now` against the app.
    pub fn check(&mut self, now: Millis, outcome: Result<(), String>) -> Verdict {
        self.exec_result = None;
        let verdict = match outcome {
            Ok(()) => {
                self.failures = 0;
                self.successes += 1;
                if self.passing != Some(true) && self.successes >= self.success_threshold {
                    self.passing = Some(true);
                    Verdict::Passed
                } else {
                    Verdict::Quiet
                }
            }
            Err(output) => {
                self.successes = 0;
                self.failures += 1;
                let gave_up = self.failures >= self.failure_threshold;
                if gave_up {
                    self.passing = Some(false);
                }
                Verdict::Failed { output, gave_up }
            }
        };
        let settled = match self.kind {
            // Passing probes repeat the same answer; a startup probe is done.
            ProbeKind::Startup => self.passing == Some(true),
            ProbeKind::Liveness | ProbeKind::Readiness => {
                self.passing == Some(true) && self.failures == 0 && !self.exec_changing
            }
        };
        let stopped = matches!(verdict, Verdict::Failed { gave_up: true, .. })
            && self.kind != ProbeKind::Readiness;
        self.next_at = (!settled && !stopped).then_some(now + self.period);
        let exec = self.exec_command().is_some();
        self.quiet = (settled && exec && self.kind != ProbeKind::Startup).then_some((now, now));
        verdict
    }

    /// What the probe sees from a container at `ip` running `behaviour`.
    pub fn outcome(
        &self,
        ip: &str,
        behaviour: &Behaviour,
        health: AppHealth,
    ) -> Result<(), String> {
        // The port the main process answers on, and whether over HTTP.
        let listener = match behaviour {
            Behaviour::Runs {
                serves_http,
                port: Some(port),
                ..
            } => Some((*port, *serves_http)),
            _ => None,
        };
        let refused = |port: u16| format!("dial tcp {ip}:{port}: connect: connection refused");
        // A component serves every health endpoint its manifest probes.
        let component = *behaviour == Behaviour::Component;
        let answering = |port: Option<u16>| -> Result<bool, String> {
            let port = port.unwrap_or(0);
            match listener {
                _ if component => Ok(true),
                Some((listening, http)) if listening == port => Ok(http),
                _ => Err(refused(port)),
            }
        };
        match &self.action {
            Action::Http { port, path, scheme } => {
                let port = port.as_ref().ok().copied();
                let url = format!("{scheme}://{ip}:{}{path}", port.unwrap_or(0));
                let http = answering(port).map_err(|e| format!("Get \"{url}\": {e}"))?;
                if health.hung {
                    return Err(format!(
                        "Get \"{url}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
                    ));
                }
                if !http {
                    return Err(format!("Get \"{url}\": EOF"));
                }
                if health.unready {
                    return Err("HTTP probe failed with statuscode: 503".to_string());
                }
                if component || path == "/" || path == "/index.html" {
                    Ok(())
                } else {
                    Err("HTTP probe failed with statuscode: 404".to_string())
                }
            }
            Action::Tcp { port } => {
                let port = port.as_ref().map_or(0, |p| *p);
                answering(Some(port))?;
                if health.hung {
                    Err(format!("dial tcp {ip}:{port}: i/o timeout"))
                } else if health.unready {
                    Err(refused(port))
                } else {
                    Ok(())
                }
            }
            Action::Grpc { port } => {
                answering(Some(*port))?;
                if health.hung {
                    Err(format!("timeout: failed to connect service \"{ip}:{port}\" within 1s: context deadline exceeded"))
                } else if health.unready {
                    Err("service unhealthy (responded with \"NOT_SERVING\")".to_string())
                } else {
                    Ok(())
                }
            }
            Action::Exec { command, timeout } => {
                if health.hung {
                    return Err(timed_out(command, *timeout));
                }
                match &self.exec_result {
                    _ if health.unready => Err(String::new()),
                    Some(ExecResult::Failed(output)) => Err(output.clone()),
                    _ => Ok(()),
                }
            }
        }
    }
}
