//! HTTP inside the cluster: a request from one container reaches a pod
//! (directly, through a Service's ClusterIP, or on localhost), and the web
//! server there answers from its own filesystem as nginx or httpd would,
//! writing its access and error logs to the container's log.

use k8s_openapi::api::core::v1::{Pod, Service};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::dns::Resolver;
use super::image::WebServer;
use super::Inside;
use crate::sim::clock::{timestamp, Millis};
use crate::sim::images::Behaviour;
use crate::sim::kubelet;
use crate::sim::runtime_data::{LogLine, LogStream};
use crate::sim::shared_endpoints::Endpoints;
use crate::sim::Cluster;

/// `http://host[:port][/path]`, as curl and wget take it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub https: bool,
    pub host: String,
    pub port: u16,
    pub path: String,
}

impl Url {
    pub fn parse(text: &str) -> Result<Url, String> {
        let (https, rest) = if let Some(r) = text.strip_prefix("http://") {
            (false, r)
        } else if let Some(r) = text.strip_prefix("https://") {
            (true, r)
        } else if text.contains("://") {
            return Err(format!(
                "Protocol \"{}\" not supported",
                text.split("://").next().unwrap_or("")
            ));
        } else {
            (false, text)
        };
        let (authority, path) = match rest.find('/') {
            Some(at) => (&rest[..at], rest[at..].to_string()),
            None => (rest, "/".to_string()),
        };
        let default_port = if https { 443 } else { 80 };
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => {
                let (host, after) = v6.split_once(']').ok_or("Bad IPv6 address")?;
                (host, after.strip_prefix(':'))
            }
            None => match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            },
        };
        let port = match port {
            Some(p) => p.parse::<u16>().map_err(|_| {
                format!("Port number was not a decimal number between 0 and 65535 ({p})")
            })?,
            None => default_port,
        };
        let host = host.to_string();
        if host.is_empty() {
            return Err("No host part in the URL".to_string());
        }
        Ok(Url {
            https,
            host,
            port,
            path,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub reason: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// The address connected to.
    pub ip: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The name does not resolve.
    Resolve,
    /// Nothing listens there (connection refused); carries the address tried.
    Refused(String),
}

/// Sends one request from the container `from` (GET, or HEAD with `head`);
/// the server logs it unless `logged` is false (a request replayed).
pub fn request(
    cluster: &mut Cluster,
    from: &Inside,
    url: &Url,
    head: bool,
    agent: &str,
    now: Millis,
    logged: bool,
) -> Result<Response, Failure> {
    let local = super::is_loopback(&url.host);
    let (pod, port, client_ip, ip) = if local {
        let ipv6_server = from
            .userland
            .web
            .is_some_and(|w| matches!(w, WebServer::Nginx { ipv6: true, .. }));
        let client = if (url.host == "localhost" && ipv6_server) || url.host == "::1" {
            "::1"
        } else {
            "127.0.0.1"
        };
        (
            from.pod.clone(),
            url.port,
            client.to_string(),
            client.to_string(),
        )
    } else {
        let resolver = Resolver::new(cluster, &from.target.namespace);
        let (_, ips) = resolver.resolve(&url.host).ok_or(Failure::Resolve)?;
        let ip = ips.first().cloned().ok_or(Failure::Resolve)?;
        let (pod, port) =
            route(cluster, &ip, url.port, 0).ok_or_else(|| Failure::Refused(ip.clone()))?;
        (pod, port, from.ip.clone(), ip)
    };
    let server =
        serving_container(cluster, &pod, port).ok_or_else(|| Failure::Refused(ip.clone()))?;
    let mut response = serve(
        cluster,
        &server,
        url,
        head,
        (&client_ip, agent),
        now,
        logged,
    );
    response.ip = ip;
    Ok(response)
}

/// Where a connection to `ip:port` lands: a pod and the port on it; a
/// Service's `pick`th ready endpoint (wrapping around).
pub(super) fn route(cluster: &Cluster, ip: &str, port: u16, pick: u64) -> Option<(Pod, u16)> {
    for service in cluster
        .store()
        .list(crate::sim::Kind::Service)
        .filter_map(|o| o.as_typed::<Service>())
    {
        let spec = service.spec.as_ref()?;
        if spec.cluster_ip.as_deref() != Some(ip) {
            continue;
        }
        let service_port = spec
            .ports
            .iter()
            .flatten()
            .find(|p| p.port == i32::from(port))?;
        let namespace = service.metadata.namespace.as_deref().unwrap_or("");
        let name = service.metadata.name.as_deref().unwrap_or("");
        let endpoints = cluster.store().get_typed::<Endpoints>(namespace, name)?;
        let addresses: Vec<_> = endpoints
            .subsets
            .iter()
            .flatten()
            .flat_map(|s| s.addresses.iter().flatten())
            .collect();
        let count = u64::try_from(addresses.len()).ok().filter(|n| *n > 0)?;
        let address = addresses[usize::try_from(pick % count).ok()?];
        let pod = pod_by_ip(cluster, &address.ip)?;
        let target = match &service_port.target_port {
            Some(IntOrString::Int(n)) => u16::try_from(*n).ok()?,
            Some(IntOrString::String(named)) => pod
                .spec
                .iter()
                .flat_map(|s| s.containers.iter())
                .flat_map(|c| c.ports.iter().flatten())
                .find(|p| p.name.as_deref() == Some(named))
                .and_then(|p| u16::try_from(p.container_port).ok())?,
            None => port,
        };
        return Some((pod, target));
    }
    pod_by_ip(cluster, ip).map(|pod| (pod, port))
}

fn pod_by_ip(cluster: &Cluster, ip: &str) -> Option<Pod> {
    cluster
        .store()
        .list(crate::sim::Kind::Pod)
        .filter_map(|o| o.as_typed::<Pod>())
        .find(|p| {
            p.status.as_ref().and_then(|s| s.pod_ip.as_deref()) == Some(ip)
                && !matches!(crate::sim::pods::phase(p), "Succeeded" | "Failed")
        })
        .cloned()
}

/// The container of `pod` whose web server listens on `port` and is running.
fn serving_container(cluster: &Cluster, pod: &Pod, port: u16) -> Option<Inside> {
    if port != 80 {
        return None;
    }
    Inside::containers_of(cluster, pod).find(|inside| {
        let target = &inside.target;
        let serves = matches!(
            kubelet::behaviour(cluster, &target.namespace, &target.pod, &target.container),
            Some(Behaviour::Runs {
                serves_http: true,
                ..
            })
        );
        serves && inside.running(cluster)
    })
}

/// `Mon, 05 Jan 2026 09:00:00 GMT`
fn http_date(now: Millis) -> String {
    timestamp(now)
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

fn error_page(status: u16, reason: &str, server: &str) -> String {
    format!("<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n")
}

/// nginx's or httpd's answer from the serving container's files, logged in
/// its log when `logged`; the pair is the client's address and user agent.
fn serve(
    cluster: &mut Cluster,
    server: &Inside,
    url: &Url,
    head: bool,
    (client, agent): (&str, &str),
    now: Millis,
    logged: bool,
) -> Response {
    let (root, software) = match server.userland.web {
        Some(WebServer::Httpd) => (
            "/usr/local/apache2/htdocs",
            "Apache/2.4.65 (Unix)".to_string(),
        ),
        Some(WebServer::Nginx { version, .. }) => {
            ("/usr/share/nginx/html", format!("nginx/{version}"))
        }
        None => ("/", String::new()),
    };
    let path = url.path.split(['?', '#']).next().unwrap_or("/").to_string();
    let file_path = crate::shell::absolute_path(root, path.trim_start_matches('/'));
    let nginx = matches!(server.userland.web, Some(WebServer::Nginx { .. }));
    let forwarded_for = matches!(
        server.userland.web,
        Some(WebServer::Nginx {
            forwarded_for: true,
            ..
        })
    );
    let (status, reason, body, error) = {
        let mut fs = server.fs(cluster, now);
        if path.ends_with('/') {
            let index = format!("{}/index.html", file_path.trim_end_matches('/'));
            match fs.read(&index) {
                Ok(text) => (200, "OK", text, None),
                Err(_) if fs.is_dir(&file_path) => (
                    403,
                    "Forbidden",
                    error_page(403, "Forbidden", &software),
                    Some(format!(
                        "directory index of \"{}/\" is forbidden",
                        file_path.trim_end_matches('/')
                    )),
                ),
                Err(_) => (
                    404,
                    "Not Found",
                    error_page(404, "Not Found", &software),
                    Some(format!(
                        "\"{index}\" is not found (2: No such file or directory)"
                    )),
                ),
            }
        } else if fs.is_dir(&file_path) {
            (
                301,
                "Moved Permanently",
                error_page(301, "Moved Permanently", &software),
                None,
            )
        } else {
            match fs.read(&file_path) {
                Ok(text) => (200, "OK", text, None),
                Err(_) => (
                    404,
                    "Not Found",
                    error_page(404, "Not Found", &software),
                    Some(format!(
                        "open() \"{file_path}\" failed (2: No such file or directory)"
                    )),
                ),
            }
        }
    };
    let body = if nginx || status == 200 {
        body
    } else {
        format!("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>{status} {reason}</title>\n</head><body>\n<h1>{reason}</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n")
    };
    let method = if head { "HEAD" } else { "GET" };
    let request = format!("{method} {} HTTP/1.1", url.path);
    let local_time = timestamp(now).strftime("%d/%b/%Y:%H:%M:%S +0000");
    let runs = cluster.runtime.containers.get(&server.key());
    let connection = runs.and_then(|r| r.current.as_ref()).map_or(0, |r| {
        r.lines
            .iter()
            .filter(|l| l.stream == LogStream::Stdout)
            .count()
    }) + 1;
    let host_header = if url.port == 80 {
        url.host.clone()
    } else {
        format!("{}:{}", url.host, url.port)
    };
    let mut log = |stream, text: String| {
        if !logged {
            return;
        }
        cluster.runtime.log(
            &server.uid,
            &server.target.container,
            LogLine {
                at: now,
                stream,
                text,
            },
        )
    };
    if let Some(error) = error.filter(|_| nginx) {
        let when = timestamp(now).strftime("%Y/%m/%d %H:%M:%S");
        log(LogStream::Stderr, format!("{when} [error] 29#29: *{connection} {error}, client: {client}, server: localhost, request: \"{request}\", host: \"{host_header}\""));
    }
    let sent = if head { 0 } else { body.len() };
    if nginx {
        let combined =
            format!("{client} - - [{local_time}] \"{request}\" {status} {sent} \"-\" \"{agent}\"");
        let line = if forwarded_for {
            format!("{combined} \"-\"")
        } else {
            combined
        };
        log(LogStream::Stdout, line);
    } else {
        log(
            LogStream::Stdout,
            format!("{client} - - [{local_time}] \"{request}\" {status} {sent}"),
        );
    }
    let mut headers = vec![
        ("Server".to_string(), software),
        ("Date".to_string(), http_date(now)),
        ("Content-Type".to_string(), "text/html".to_string()),
        ("Content-Length".to_string(), body.len().to_string()),
    ];
    if status == 301 {
        headers.push((
            "Location".to_string(),
            format!("http://{host_header}{path}/"),
        ));
    }
    headers.push(("Connection".to_string(), "keep-alive".to_string()));
    Response {
        status,
        reason,
        headers,
        body: if head { String::new() } else { body },
        ip: String::new(),
    }
}

/// The welcome page of the nginx images.
pub const NGINX_INDEX: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

/// nginx's 50x.html.
pub const NGINX_50X: &str = "<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
";

/// httpd's default page.
pub const HTTPD_INDEX: &str = "<html><body><h1>It works!</h1></body></html>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            Url::parse("localhost").unwrap(),
            Url {
                https: false,
                host: "localhost".into(),
                port: 80,
                path: "/".into()
            }
        );
        assert_eq!(
            Url::parse("http://web-0.nginx:8080/a/b").unwrap(),
            Url {
                https: false,
                host: "web-0.nginx".into(),
                port: 8080,
                path: "/a/b".into()
            }
        );
        assert_eq!(Url::parse("https://x").unwrap().port, 443);
        assert!(Url::parse("ftp://x").is_err());
        assert!(Url::parse("http://x:99999/").is_err());
    }
}
