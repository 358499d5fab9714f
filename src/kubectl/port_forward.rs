//! `kubectl port-forward` and `kubectl proxy`: there is no network between
//! the page and the learner's machine, so they explain what to do instead
//! of hanging the terminal.

use super::output::Output;

pub fn run(verb: &str, args: &[String]) -> Output {
    let pod = named_pod(args).unwrap_or("web-0");
    let what = match verb {
        "proxy" => "kubectl proxy serves the Kubernetes API on a local port",
        _ => "kubectl port-forward opens a local port that leads into a pod",
    };
    Output::fail(format!(
        "error: {verb} is not available in the browser playground: {what}, and a web page cannot listen on ports of your machine.\n\
         To talk to a pod from inside the cluster instead, run for example:\n  kubectl exec -it {pod} -- curl -s http://localhost/\n  \
         kubectl run -it --rm --image busybox:1.28 client --restart=Never -- wget -qO- http://web-0.nginx"
    ))
}

/// The pod the command names (`web-0`, `pod/web-0`), skipping flags, their
/// values and ports; None for other kinds (`svc/nginx`).
fn named_pod(args: &[String]) -> Option<&str> {
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word.starts_with("--") && !word.contains('=') {
            words.next();
        } else if !word.starts_with('-') && !word.contains(':') && word.parse::<u16>().is_err() {
            return match word.split_once('/') {
                None => Some(word),
                Some(("pod" | "pods" | "po", name)) => Some(name),
                Some(_) => None,
            };
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_instead_of_hanging() {
        let out = run(
            "port-forward",
            &["pod/web-0".to_string(), "8080:80".to_string()],
        );
        assert_eq!(out.code, 1);
        assert!(out
            .stderr
            .starts_with("error: port-forward is not available in the browser playground"));
        assert!(out.stderr.contains("kubectl exec -it web-0 -- curl"));
        assert!(run("proxy", &[])
            .stderr
            .contains("serves the Kubernetes API"));
    }
}
