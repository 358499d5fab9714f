//! Networking inside a container: DNS lookups (`nslookup`, `dig`, `host`,
//! `getent`) and clients (`curl`, `wget`, `ping`) against the simulated cluster.

use super::ContainerHost;
use crate::container::dns::{self, DigQuery, Resolver};
use crate::container::http::{self, Failure, Url};
use crate::container::image::{Distro, Nslookup};
use crate::shell::{absolute_path, Io, Shell, Sink};
use crate::sim::clock::SECOND;

/// The on/off options curl acts on, long and short, in the order `curl` unpacks them.
const SWITCHES: [[&str; 2]; 5] = [
    ["--silent", "-s"],
    ["--show-error", "-S"],
    ["--include", "-i"],
    ["--head", "-I"],
    ["--fail", "-f"],
];

/// On/off options curl accepts that change nothing here.
const IGNORED: [&str; 6] = ["--location", "-L", "--insecure", "-k", "--verbose", "-v"];

impl ContainerHost<'_> {
    /// Writes what a lookup tool printed, in the order it wrote it, once the
    /// time it waited has passed; its status.
    fn print(&mut self, printed: dns::Printed, sink: &mut Sink) -> i32 {
        if printed.waited > 0 {
            self.wait(printed.waited);
        }
        if printed.err_first {
            sink.err(printed.err);
            sink.out(printed.out);
        } else {
            sink.out(printed.out);
            sink.err(printed.err);
        }
        printed.status
    }

    pub(super) fn resolver(&self) -> Resolver<'_> {
        Resolver::new(self.cluster, &self.inside.target.namespace)
    }

    pub(super) fn nslookup(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
            sink.err_line("Usage: nslookup [HOST] [SERVER]");
            return 1;
        };
        let printed = match self.inside.userland.nslookup {
            Some(Nslookup::BusyboxLegacy) => dns::nslookup_busybox_legacy(&self.resolver(), name),
            Some(Nslookup::Bind) => dns::nslookup(&self.resolver(), name, true),
            _ => dns::nslookup(&self.resolver(), name, false),
        };
        let status = self.print(printed, sink);
        self.offline_note(name, status, sink);
        status
    }

    /// Names outside the cluster do not resolve: the playground has no internet.
    pub(super) fn offline_note(&self, name: &str, status: i32, sink: &mut Sink) {
        if status != 0
            && name.contains('.')
            && !name.contains(dns::DOMAIN)
            && name.split('.').count() > 2
        {
            sink.err_line("(stsplay: the simulated cluster has no internet access; only cluster names resolve)");
        }
    }

    pub(super) fn dig(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        match DigQuery::parse(args) {
            Ok(query) => {
                let id = (query
                    .name
                    .bytes()
                    .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
                    % 65_536) as u16;
                let printed = dns::dig(&self.resolver(), &query, id, self.now);
                self.print(printed, sink)
            }
            Err(err) => {
                sink.err_line(err);
                1
            }
        }
    }

    pub(super) fn host_lookup(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
            sink.err_line("Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time] hostname [server]");
            return 1;
        };
        let resolver = self.resolver();
        if let Some(failed) = dns::unreached(resolver.reach(), true) {
            return self.print(failed, sink);
        }
        match resolver.resolve(name) {
            Some((fqdn, ips)) => {
                for ip in ips {
                    sink.out(format!("{fqdn} has address {ip}\n"));
                }
                0
            }
            None => {
                sink.out(format!("Host {name} not found: 3(NXDOMAIN)\n"));
                1
            }
        }
    }

    pub(super) fn getent(&mut self, args: &[String], sink: &mut Sink) -> i32 {
        match args {
            [database, name, ..] if database == "hosts" || database == "ahosts" => {
                let hosts = self.inside.hosts_file();
                let (out, status) = dns::getent_hosts(&self.resolver(), &hosts, name);
                sink.out(out);
                status
            }
            [database, ..] => {
                sink.err_line(format!("Unknown database: {database}"));
                1
            }
            [] => {
                sink.err_line("Usage: getent [OPTION...] database [key ...]");
                1
            }
        }
    }

    pub(super) fn curl(&mut self, shell: &Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        let Some(agent) = self.inside.userland.curl else {
            return 127;
        };
        let mut url = None;
        let mut on = [false; SWITCHES.len()];
        let mut output = None;
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "-o" | "--output" => output = iter.next().cloned(),
                "-m" | "--max-time" | "--connect-timeout" | "-H" | "--header" | "-X"
                | "--request" | "-w" | "--write-out" | "-A" | "-u" => {
                    iter.next();
                }
                a if a.starts_with('-') && a.len() > 1 => {
                    let options: Vec<String> = if a.starts_with("--") {
                        vec![a.to_string()]
                    } else {
                        a[1..].chars().map(|c| format!("-{c}")).collect()
                    };
                    for option in options {
                        if let Some(i) = SWITCHES
                            .iter()
                            .position(|names| names.contains(&option.as_str()))
                        {
                            on[i] = true;
                        } else if !IGNORED.contains(&option.as_str()) {
                            io.sink.err_line(format!("curl: option {option}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"));
                            return 2;
                        }
                    }
                }
                a => url = Some(a.to_string()),
            }
        }
        let [silent, show_error, include, head, fail] = on;
        let Some(url_text) = url else {
            io.sink.err_line("curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information");
            return 2;
        };
        let quiet_errors = silent && !show_error;
        let url = match Url::parse(&url_text) {
            Ok(url) => url,
            Err(err) => {
                if !quiet_errors {
                    io.sink.err_line(format!("curl: (1) {err}"));
                }
                return 1;
            }
        };
        let old = agent.starts_with("curl/7.4");
        let response = http::request(
            self.cluster,
            self.inside,
            &url,
            head,
            agent,
            self.now,
            !self.replaying(),
        );
        let response = match response {
            Ok(r) => r,
            Err(failure) => {
                if !quiet_errors {
                    let (code, message) = match failure {
                        Failure::Resolve => (6, format!("Could not resolve host: {}", url.host)),
                        Failure::Refused(ip) if old => (7, format!("Failed to connect to {} port {}: Connection refused", if url.host == "localhost" { &url.host } else { &ip }, url.port)),
                        Failure::Refused(_) => (7, format!("Failed to connect to {} port {} after 0 ms: Couldn't connect to server", url.host, url.port)),
                    };
                    io.sink.err_line(format!("curl: ({code}) {message}"));
                    self.offline_note(&url.host, code, io.sink);
                    return code;
                }
                return match failure {
                    Failure::Resolve => 6,
                    Failure::Refused(_) => 7,
                };
            }
        };
        if fail && response.status >= 400 {
            if !quiet_errors {
                io.sink.err_line(format!(
                    "curl: (22) The requested URL returned error: {}",
                    response.status
                ));
            }
            return 22;
        }
        let mut text = String::new();
        if include || head {
            text.push_str(&format!(
                "HTTP/1.1 {} {}\r\n",
                response.status, response.reason
            ));
            for (k, v) in &response.headers {
                text.push_str(&format!("{k}: {v}\r\n"));
            }
            text.push_str("\r\n");
        }
        text.push_str(&response.body);
        let to_file = output.is_some();
        if !silent && (!self.tty || io.captured || to_file) {
            io.sink.err(progress_meter(text.len()));
        }
        match output {
            Some(file) => {
                if let Err(err) = self
                    .fs()
                    .write(&absolute_path(&shell.cwd, &file), &text, false)
                {
                    io.sink.err_line(format!(
                        "curl: (23) Failure writing output to destination: {}",
                        err.text()
                    ));
                    return 23;
                }
            }
            None => io.sink.out(text),
        }
        0
    }

    pub(super) fn wget(&mut self, shell: &Shell, args: &[String], io: &mut Io<'_>) -> i32 {
        let mut quiet = false;
        let mut output: Option<String> = None;
        let mut url = None;
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "-O" => output = iter.next().cloned(),
                "-T" | "--timeout" | "-U" => {
                    iter.next();
                }
                "-q" | "--quiet" => quiet = true,
                "-qO-" => {
                    quiet = true;
                    output = Some("-".to_string());
                }
                "-qO" => {
                    quiet = true;
                    output = iter.next().cloned();
                }
                a if a.starts_with("-O") => output = Some(a[2..].to_string()),
                a if a.starts_with('-') => {}
                a => url = Some(a.to_string()),
            }
        }
        let Some(url_text) = url else {
            io.sink.err_line(
                "BusyBox v1.36.1 multi-call binary.\n\nUsage: wget [-cqS] [-O FILE] URL...",
            );
            return 1;
        };
        let url = match Url::parse(&url_text) {
            Ok(u) => u,
            Err(err) => {
                io.sink.err_line(format!("wget: {err}"));
                return 1;
            }
        };
        let response = match http::request(
            self.cluster,
            self.inside,
            &url,
            false,
            "Wget",
            self.now,
            !self.replaying(),
        ) {
            Ok(r) => r,
            Err(Failure::Resolve) => {
                io.sink
                    .err_line(format!("wget: bad address '{}'", url.host));
                self.offline_note(&url.host, 1, io.sink);
                return 1;
            }
            Err(Failure::Refused(ip)) => {
                if !quiet {
                    io.sink
                        .err_line(format!("Connecting to {} ({ip}:{})", url.host, url.port));
                }
                io.sink.err_line(format!(
                    "wget: can't connect to remote host ({ip}): Connection refused"
                ));
                return 1;
            }
        };
        if !quiet {
            io.sink.err_line(format!(
                "Connecting to {} ({}:{})",
                url.host, response.ip, url.port
            ));
        }
        if response.status >= 400 {
            io.sink.err_line(format!(
                "wget: server returned error: HTTP/1.1 {} {}",
                response.status, response.reason
            ));
            return 1;
        }
        let file = output.unwrap_or_else(|| {
            let name = url.path.rsplit('/').next().unwrap_or("");
            if name.is_empty() {
                "index.html".to_string()
            } else {
                name.to_string()
            }
        });
        if file == "-" {
            io.sink.out(response.body);
            return 0;
        }
        let path = absolute_path(&shell.cwd, &file);
        if self.fs().exists(&path) {
            io.sink
                .err_line(format!("wget: can't open '{file}': File exists"));
            return 1;
        }
        if let Err(err) = self.fs().write(&path, &response.body, false) {
            io.sink
                .err_line(format!("wget: can't open '{file}': {}", err.text()));
            return 1;
        }
        if !quiet {
            let legacy = matches!(
                self.inside.userland.distro,
                Distro::Busybox { legacy: true }
            );
            if legacy {
                io.sink.err_line(format!(
                    "{file:<20} 100% |*******************************| {:>5}  0:00:00 ETA",
                    response.body.len()
                ));
            } else {
                io.sink.err_line(format!("saving to '{file}'\n{file:<20} 100% |********************************| {:>5}  0:00:00 ETA\n'{file}' saved", response.body.len()));
            }
        }
        0
    }

    pub(super) fn ping(&mut self, args: &[String], io: &mut Io<'_>) -> i32 {
        let mut count = None;
        let mut host = None;
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            match arg.as_str() {
                "-c" => count = iter.next().and_then(|c| c.parse::<u32>().ok()),
                "-W" | "-w" | "-i" | "-s" => {
                    iter.next();
                }
                a if a.starts_with('-') => {}
                a => host = Some(a.to_string()),
            }
        }
        let Some(host) = host else {
            io.sink
                .err_line("BusyBox v1.36.1 multi-call binary.\n\nUsage: ping [OPTIONS] HOST");
            return 1;
        };
        let Some(ip) = self
            .resolver()
            .resolve(&host)
            .and_then(|(_, ips)| ips.first().cloned())
        else {
            io.sink.err_line(format!("ping: bad address '{host}'"));
            self.offline_note(&host, 1, io.sink);
            return 1;
        };
        let count = count.unwrap_or_else(|| {
            io.sink
                .err_line("(stsplay: ping would run until Ctrl+C; stopping after 4 packets)");
            4
        });
        // Pod IPs answer; a ClusterIP is virtual and drops ICMP.
        let answers = ip == self.inside.ip
            || self.cluster.store().list(crate::sim::Kind::Pod).any(|p| {
                p.as_typed::<k8s_openapi::api::core::v1::Pod>()
                    .and_then(|p| p.status.as_ref())
                    .and_then(|s| s.pod_ip.as_deref())
                    == Some(ip.as_str())
            });
        io.sink.out(format!("PING {host} ({ip}): 56 data bytes\n"));
        for seq in 0..count {
            if answers {
                io.sink.out(format!(
                    "64 bytes from {ip}: seq={seq} ttl=63 time=0.{:03} ms\n",
                    80 + (seq * 37) % 90
                ));
            }
            if seq + 1 < count {
                self.wait(SECOND);
            }
        }
        let received = if answers { count } else { 0 };
        let loss = if answers { 0 } else { 100 };
        io.sink.out(format!("\n--- {host} ping statistics ---\n{count} packets transmitted, {received} packets received, {loss}% packet loss\n"));
        if answers {
            io.sink
                .out("round-trip min/avg/max = 0.080/0.121/0.162 ms\n");
            0
        } else {
            1
        }
    }
}

/// curl's progress meter, as it prints when its output is not a terminal.
fn progress_meter(size: usize) -> String {
    let speed = size * 1000;
    let speed = if speed < 100_000 {
        speed.to_string()
    } else {
        format!("{}k", speed / 1024)
    };
    format!(
        "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n100 {size:>5}  100 {size:>5}    0     0  {speed:>5}      0 --:--:-- --:--:-- --:--:-- {speed:>5}\n"
    )
}
