//! `kubectl port-forward` and `kubectl proxy`: there is no network between
//! the page and the learner's machine, so they explain what to do instead
//! of hanging the terminal.

use super::output::Output;

pub fn run(verb: &str, args: &[String]) -> Output {
    let target = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str)
        .unwrap_or("web-0");
    let pod = target.rsplit('/').next().unwrap_or(target);
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
