//! Cluster DNS as CoreDNS's kubernetes plugin answers it (fidelity spec §5):
//! Service names, a headless Service's per-pod names and SRV records, pod
//! IP names, reverse lookups, and the pod's search path — and the formats
//! of the tools that ask: busybox and BIND `nslookup`, `dig`, `getent`.

use k8s_openapi::api::core::v1::{EndpointAddress, Service};

use crate::sim::clock::{Millis, SECOND};
use crate::sim::object::Kind;
use crate::sim::shared_endpoints::Endpoints;
use crate::sim::Cluster;

/// kube-dns's ClusterIP on kind and kubeadm clusters.
pub const DNS_IP: &str = "10.96.0.10";
pub const DNS_NAME: &str = "kube-dns.kube-system.svc.cluster.local";
pub const DOMAIN: &str = "cluster.local";
/// CoreDNS's TTL for cluster records in kubeadm's Corefile.
const TTL: u32 = 30;

/// One SRV record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Srv {
    pub priority: u16,
    pub weight: u16,
    pub port: i32,
    pub target: String,
}

/// What a lookup tool printed, and its exit status.
#[derive(Debug, PartialEq, Eq)]
pub struct Printed {
    pub out: String,
    pub err: String,
    pub status: i32,
    /// The error lines were written before the output (a failed write).
    pub err_first: bool,
    /// How long the tool waited for answers that never came.
    pub waited: Millis,
}

impl Printed {
    fn new(out: String, err: String, status: i32) -> Printed {
        Printed {
            out,
            err,
            status,
            err_first: false,
            waited: 0,
        }
    }
}

/// What becomes of a pod's DNS queries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    Answered,
    /// kube-dns has no ready endpoints (CoreDNS scaled to zero or deleted):
    /// kube-proxy's REJECT rule for a Service without endpoints answers every
    /// query with ICMP port unreachable, so lookups fail at once.
    Refused,
    /// The kube-dns Service itself is gone: nothing answers its address.
    TimedOut,
}

/// A resolver for a pod in `namespace`.
pub struct Resolver<'a> {
    cluster: &'a Cluster,
    namespace: &'a str,
}

fn dashed(ip: &str) -> String {
    ip.replace('.', "-")
}

fn is_ipv4(text: &str) -> bool {
    text.split('.').count() == 4 && text.split('.').all(|p| p.parse::<u8>().is_ok())
}

impl<'a> Resolver<'a> {
    pub fn new(cluster: &'a Cluster, namespace: &'a str) -> Resolver<'a> {
        Resolver { cluster, namespace }
    }

    /// Whether the pod's queries get answers, from the kube-dns Service's endpoints.
    pub fn reach(&self) -> Reach {
        let (namespace, name) = ("kube-system", "kube-dns");
        if self.service(namespace, name).is_none() {
            Reach::TimedOut
        } else if self.ready_addresses(namespace, name).is_empty() {
            Reach::Refused
        } else {
            Reach::Answered
        }
    }

    fn answered(&self) -> bool {
        self.reach() == Reach::Answered
    }

    /// The pod's DNS search list (`/etc/resolv.conf`).
    pub fn search_list(&self) -> Vec<String> {
        vec![
            format!("{}.svc.{DOMAIN}", self.namespace),
            format!("svc.{DOMAIN}"),
            DOMAIN.to_string(),
        ]
    }

    /// The names to try for `name`, in resolver order (ndots:5).
    fn candidates(&self, name: &str) -> Vec<String> {
        if let Some(absolute) = name.strip_suffix('.') {
            return vec![absolute.to_string()];
        }
        let mut names: Vec<String> = self
            .search_list()
            .iter()
            .map(|s| format!("{name}.{s}"))
            .collect();
        if name.matches('.').count() >= 5 {
            names.insert(0, name.to_string());
        } else {
            names.push(name.to_string());
        }
        names
    }

    fn service(&self, namespace: &str, name: &str) -> Option<&'a Service> {
        self.cluster.store().get_typed::<Service>(namespace, name)
    }

    fn ready_addresses(&self, namespace: &str, service: &str) -> Vec<&'a EndpointAddress> {
        self.cluster
            .store()
            .get_typed::<Endpoints>(namespace, service)
            .into_iter()
            .flat_map(|e| e.subsets.iter().flatten())
            .flat_map(|s| s.addresses.iter().flatten())
            .map(|a| &**a)
            .collect()
    }

    fn cluster_ip(service: &Service) -> Option<&str> {
        service
            .spec
            .as_ref()?
            .cluster_ip
            .as_deref()
            .filter(|ip| *ip != "None" && !ip.is_empty())
    }

    /// A records of a fully qualified name; None for NXDOMAIN.
    pub fn a_records(&self, fqdn: &str) -> Option<Vec<String>> {
        if !self.answered() {
            return None;
        }
        let fqdn = fqdn.trim_end_matches('.').to_ascii_lowercase();
        if fqdn == DNS_NAME {
            return Some(vec![DNS_IP.to_string()]);
        }
        let rest = fqdn.strip_suffix(&format!(".{DOMAIN}"))?;
        let labels: Vec<&str> = rest.split('.').collect();
        match labels.as_slice() {
            [ip, namespace, "pod"] => {
                let ip = ip.replace('-', ".");
                (is_ipv4(&ip)
                    && self
                        .cluster
                        .store()
                        .list_in(Kind::Namespace, "")
                        .any(|n| n.name() == *namespace))
                .then(|| vec![ip])
            }
            [service, namespace, "svc"] => {
                let svc = self.service(namespace, service)?;
                match Self::cluster_ip(svc) {
                    Some(ip) => Some(vec![ip.to_string()]),
                    None => {
                        let ips: Vec<String> = self
                            .ready_addresses(namespace, service)
                            .iter()
                            .map(|a| a.ip.clone())
                            .collect();
                        (!ips.is_empty()).then_some(ips)
                    }
                }
            }
            [host, service, namespace, "svc"] => {
                self.service(namespace, service)?;
                let ips: Vec<String> = self
                    .ready_addresses(namespace, service)
                    .iter()
                    .filter(|a| a.hostname.as_deref() == Some(host) || dashed(&a.ip) == *host)
                    .map(|a| a.ip.clone())
                    .collect();
                (!ips.is_empty()).then_some(ips)
            }
            _ => None,
        }
    }

    /// Resolves a name as the pod's resolver does: the answering name and its addresses.
    pub fn resolve(&self, name: &str) -> Option<(String, Vec<String>)> {
        if is_ipv4(name) {
            return Some((name.to_string(), vec![name.to_string()]));
        }
        self.candidates(name)
            .into_iter()
            .find_map(|fqdn| self.a_records(&fqdn).map(|ips| (fqdn, ips)))
    }

    /// SRV records of `_port._proto.service.namespace.svc.cluster.local` (or of the
    /// service name itself, one per port and endpoint).
    pub fn srv_records(&self, fqdn: &str) -> Option<Vec<Srv>> {
        if !self.answered() {
            return None;
        }
        let fqdn = fqdn.trim_end_matches('.').to_ascii_lowercase();
        let rest = fqdn.strip_suffix(&format!(".svc.{DOMAIN}"))?;
        let labels: Vec<&str> = rest.split('.').collect();
        let (port_name, protocol, service, namespace) = match labels.as_slice() {
            [port, proto, service, namespace] => (
                port.strip_prefix('_')?,
                Some(proto.strip_prefix('_')?),
                *service,
                *namespace,
            ),
            [service, namespace] => ("", None, *service, *namespace),
            _ => return None,
        };
        let svc = self.service(namespace, service)?;
        let ports: Vec<_> = svc
            .spec
            .iter()
            .flat_map(|s| s.ports.iter().flatten())
            .filter(|p| port_name.is_empty() || p.name.as_deref() == Some(port_name))
            .filter(|p| {
                protocol.is_none_or(|proto| {
                    p.protocol
                        .as_deref()
                        .unwrap_or("TCP")
                        .eq_ignore_ascii_case(proto)
                })
            })
            .collect();
        let base = format!("{service}.{namespace}.svc.{DOMAIN}");
        let mut records = Vec::new();
        if Self::cluster_ip(svc).is_some() {
            for port in ports {
                records.push(Srv {
                    priority: 0,
                    weight: 100,
                    port: port.port,
                    target: base.clone(),
                });
            }
        } else {
            let addresses = self.ready_addresses(namespace, service);
            let weight = if addresses.is_empty() {
                100
            } else {
                (100 / addresses.len()) as u16
            };
            for port in &ports {
                let target_port = match &port.target_port {
                    Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n)) => *n,
                    _ => port.port,
                };
                for address in &addresses {
                    let host = address
                        .hostname
                        .clone()
                        .unwrap_or_else(|| dashed(&address.ip));
                    records.push(Srv {
                        priority: 0,
                        weight,
                        port: target_port,
                        target: format!("{host}.{base}"),
                    });
                }
            }
        }
        (!records.is_empty()).then_some(records)
    }

    /// The PTR name of an IP: a Service's, an endpoint's, or kube-dns's.
    pub fn ptr(&self, ip: &str) -> Option<String> {
        if !self.answered() {
            return None;
        }
        if ip == DNS_IP {
            return Some(DNS_NAME.to_string());
        }
        for object in self.cluster.store().list(Kind::Service) {
            let Some(svc) = object.as_typed::<Service>() else {
                continue;
            };
            let namespace = object.namespace();
            let base = format!("{}.{namespace}.svc.{DOMAIN}", object.name());
            if Self::cluster_ip(svc) == Some(ip) {
                return Some(base);
            }
            if Self::cluster_ip(svc).is_none() {
                if let Some(address) = self
                    .ready_addresses(namespace, object.name())
                    .into_iter()
                    .find(|a| a.ip == ip)
                {
                    let host = address.hostname.clone().unwrap_or_else(|| dashed(ip));
                    return Some(format!("{host}.{base}"));
                }
            }
        }
        None
    }
}

/// `nslookup NAME` as busybox 1.28 prints it (the StatefulSet tutorial's format).
pub fn nslookup_busybox_legacy(resolver: &Resolver<'_>, name: &str) -> Printed {
    // The server's name is a PTR lookup too: without DNS, the bare address.
    let server = resolver
        .ptr(DNS_IP)
        .map(|p| format!(" {p}"))
        .unwrap_or_default();
    let mut out = format!("Server:    {DNS_IP}\nAddress 1: {DNS_IP}{server}\n\n");
    match resolver.resolve(name) {
        Some((_, ips)) => {
            out.push_str(&format!("Name:      {name}\n"));
            for (i, ip) in ips.iter().enumerate() {
                match resolver.ptr(ip) {
                    Some(ptr) => out.push_str(&format!("Address {}: {ip} {ptr}\n", i + 1)),
                    None => out.push_str(&format!("Address {}: {ip}\n", i + 1)),
                }
            }
            Printed::new(out, String::new(), 0)
        }
        None => Printed::new(out, format!("nslookup: can't resolve '{name}'\n"), 1),
    }
}

/// `nslookup NAME` as newer busybox (`:53`) and BIND (`#53`) print it.
pub fn nslookup(resolver: &Resolver<'_>, name: &str, bind: bool) -> Printed {
    if let Some(failed) = unreached(resolver.reach(), bind) {
        return failed;
    }
    let port = if bind { "#53" } else { ":53" };
    let mut out = format!("Server:\t\t{DNS_IP}\nAddress:\t{DNS_IP}{port}\n\n");
    if is_ipv4(name) {
        return match resolver.ptr(name) {
            Some(ptr) => {
                let reversed: Vec<&str> = name.split('.').rev().collect();
                out.push_str(&format!(
                    "{}.in-addr.arpa\tname = {ptr}.\n\n",
                    reversed.join(".")
                ));
                Printed::new(out, String::new(), 0)
            }
            None => Printed::new(out, format!("** server can't find {name}: NXDOMAIN\n\n"), 1),
        };
    }
    // busybox's own resolver (1.29 and later) asks for a name with a dot as
    // written, skipping the search list: `web-0.nginx` is NXDOMAIN there, the
    // reason the StatefulSet tutorial pins busybox:1.28.
    let found = if !bind && name.contains('.') {
        resolver
            .a_records(name)
            .map(|ips| (name.trim_end_matches('.').to_string(), ips))
    } else {
        resolver.resolve(name)
    };
    match found {
        Some((fqdn, ips)) => {
            for ip in ips {
                out.push_str(&format!("Name:\t{fqdn}\nAddress: {ip}\n"));
            }
            out.push('\n');
            Printed::new(out, String::new(), 0)
        }
        // busybox answers its A and its AAAA query apart.
        None if !bind => {
            let missing = format!("** server can't find {name}: NXDOMAIN\n\n");
            out.push_str(&missing);
            out.push_str(&missing);
            Printed::new(out, String::new(), 1)
        }
        None => Printed::new(out, format!("** server can't find {name}: NXDOMAIN\n\n"), 1),
    }
}

/// What the lookup tools print when no DNS server answers: busybox's
/// nslookup (`bind` false; one 5 s timeout) or BIND's nslookup, dig and host
/// (three tries of 5 s). A refused query fails at once. None when the server
/// answers.
pub fn unreached(reach: Reach, bind: bool) -> Option<Printed> {
    let why = match reach {
        Reach::Answered => return None,
        Reach::Refused => "connection refused",
        Reach::TimedOut => "timed out",
    };
    let tries: Millis = if bind { 3 } else { 1 };
    let waited = if reach == Reach::TimedOut {
        tries * 5 * SECOND
    } else {
        0
    };
    Some(if bind {
        let tries = format!(";; communications error to {DNS_IP}#53: {why}\n").repeat(3);
        Printed {
            waited,
            ..Printed::new(
                String::new(),
                format!("{tries};; no servers could be reached\n"),
                1,
            )
        }
    } else {
        let refused = if reach == Reach::Refused {
            format!("nslookup: write to '{DNS_IP}': Connection refused\n")
        } else {
            String::new()
        };
        Printed {
            out: ";; connection timed out; no servers could be reached\n\n".to_string(),
            err: refused,
            status: 1,
            err_first: true,
            waited,
        }
    })
}

/// `getent hosts NAME`: glibc's format, or nothing and status 2.
pub fn getent_hosts(resolver: &Resolver<'_>, hosts_file: &str, name: &str) -> (String, i32) {
    for line in hosts_file.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.len() > 1 && fields[1..].contains(&name) && is_ipv4(fields[0]) {
            return (format!("{:<15} {}\n", fields[0], fields[1..].join(" ")), 0);
        }
    }
    match resolver.resolve(name) {
        Some((fqdn, ips)) => (
            ips.iter().map(|ip| format!("{ip:<15} {fqdn}\n")).collect(),
            0,
        ),
        None => (String::new(), 2),
    }
}

/// A `dig` query.
pub struct DigQuery {
    pub name: String,
    pub record: String,
    pub short: bool,
}

impl DigQuery {
    /// Parses `dig [@server] [+short] [-x IP] NAME [TYPE]`.
    pub fn parse(args: &[String]) -> Result<DigQuery, String> {
        let mut query = DigQuery {
            name: String::new(),
            record: "A".to_string(),
            short: false,
        };
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "+short" => query.short = true,
                "-x" => {
                    let ip = iter
                        .next()
                        .ok_or("dig: option requires an argument -- 'x'")?;
                    let reversed: Vec<&str> = ip.split('.').rev().collect();
                    query.name = format!("{}.in-addr.arpa", reversed.join("."));
                    query.record = "PTR".to_string();
                }
                "-t" => {
                    query.record = iter
                        .next()
                        .ok_or("dig: option requires an argument -- 't'")?
                        .to_ascii_uppercase()
                }
                a if a.starts_with('@') || a.starts_with('+') => {}
                a if [
                    "A", "SRV", "PTR", "AAAA", "ANY", "CNAME", "TXT", "MX", "NS", "SOA",
                ]
                .contains(&a.to_ascii_uppercase().as_str()) =>
                {
                    query.record = a.to_ascii_uppercase();
                }
                a => query.name = a.to_string(),
            }
        }
        if query.name.is_empty() {
            query.name = ".".to_string();
            query.record = "NS".to_string();
        }
        Ok(query)
    }
}

/// `dig` for one query: the full report or `+short`, or BIND's complaint
/// (status 9, no reply) when no server answers.
pub fn dig(resolver: &Resolver<'_>, query: &DigQuery, id: u16, now: Millis) -> Printed {
    if let Some(failed) = unreached(resolver.reach(), true) {
        return Printed {
            status: 9,
            ..failed
        };
    }
    Printed::new(dig_report(resolver, query, id, now), String::new(), 0)
}

fn dig_report(resolver: &Resolver<'_>, query: &DigQuery, id: u16, now: Millis) -> String {
    let name = query.name.trim_end_matches('.').to_string();
    let answers: Option<Vec<String>> = match query.record.as_str() {
        "A" => resolver
            .a_records(&name)
            .map(|ips| ips.into_iter().map(|ip| format!("A\t{ip}")).collect()),
        "SRV" => resolver.srv_records(&name).map(|srvs| {
            srvs.into_iter()
                .map(|s| format!("SRV\t{} {} {} {}.", s.priority, s.weight, s.port, s.target))
                .collect()
        }),
        "PTR" => {
            let ip: Vec<&str> = name
                .trim_end_matches(".in-addr.arpa")
                .split('.')
                .rev()
                .collect();
            resolver
                .ptr(&ip.join("."))
                .map(|p| vec![format!("PTR\t{p}.")])
        }
        // The name exists but has no records of this type (NOERROR, no answer).
        _ => resolver.a_records(&name).map(|_| Vec::new()),
    };
    if query.short {
        return answers
            .unwrap_or_default()
            .iter()
            .map(|a| format!("{}\n", a.split_once('\t').map(|(_, v)| v).unwrap_or(a)))
            .collect();
    }
    let status = if answers.is_some() {
        "NOERROR"
    } else {
        "NXDOMAIN"
    };
    let answers = answers.unwrap_or_default();
    let flags = if name.ends_with(DOMAIN) || name.ends_with("in-addr.arpa") {
        "qr aa rd"
    } else {
        "qr rd ra"
    };
    let mut out = format!(
        "\n; <<>> DiG 9.18.33 <<>> {}\n;; global options: +cmd\n;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: {status}, id: {id}\n;; flags: {flags}; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: 1\n",
        query.name,
        answers.len(),
        usize::from(answers.is_empty()),
    );
    if flags.contains("aa") {
        out.push_str(";; WARNING: recursion requested but not available\n");
    }
    out.push_str(&format!("\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n;; QUESTION SECTION:\n;{name}.\t\t\tIN\t{}\n\n", query.record));
    if answers.is_empty() {
        out.push_str(&format!(
            ";; AUTHORITY SECTION:\n{DOMAIN}.\t\t{TTL}\tIN\tSOA\tns.dns.{DOMAIN}. hostmaster.{DOMAIN}. 1767603600 7200 1800 86400 {TTL}\n\n"
        ));
    } else {
        out.push_str(";; ANSWER SECTION:\n");
        for answer in &answers {
            out.push_str(&format!("{name}.\t{TTL}\tIN\t{answer}\n"));
        }
        out.push('\n');
    }
    let when = crate::sim::clock::timestamp(now).strftime("%a %b %d %H:%M:%S UTC %Y");
    out.push_str(&format!(";; Query time: 0 msec\n;; SERVER: {DNS_IP}#53({DNS_IP}) (UDP)\n;; WHEN: {when}\n;; MSG SIZE  rcvd: {}\n\n", 60 + 40 * answers.len()));
    out
}
