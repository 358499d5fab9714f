//! Tab completion for a terminal's input, as bash with kubectl's completion
//! script does: commands, kubectl verbs, resource types (short names too),
//! the names of objects of the typed type, the verb's flags, namespaces
//! after `-n`, and the editor's files after `-f` or for file commands.

use std::collections::BTreeSet;

use super::Playground;
use crate::kubectl::{self, resources, usage};
use crate::shell::{fileops, quote_word, text};
use crate::sim::object::Kind;

/// The terminal's own commands besides the shell builtins and file tools.
const COMMANDS: &[&str] = &[
    "kubectl", "sleep", "clear", "history", "help", "ls", "rm", "vim", "vi", "nano", "date",
    "echo", "printf", "cd", "pwd", "export", "unset", "set", "exec", "test", "true", "false",
    "exit", "sed", "stsplay", "kind",
];
/// Verbs whose first argument is a pod, node or subcommand rather than a type.
const POD_VERBS: &[&str] = &["logs", "exec", "attach", "debug", "port-forward"];
const NODE_VERBS: &[&str] = &["cordon", "uncordon", "drain"];
const ROLLOUT: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];
const SET: &[&str] = &["env", "image", "resources"];
/// The generators `kubectl create` runs.
const CREATE: &[&str] = &[
    "configmap",
    "namespace",
    "poddisruptionbudget",
    "secret",
    "service",
    "serviceaccount",
];

/// What Tab does to the input: the new text before the caret, and the
/// choices to list when the word is ambiguous.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    pub line: String,
    pub choices: Vec<String>,
}

impl Playground {
    /// Completes the last word of `line` (the input up to the caret).
    pub fn complete(&self, line: &str) -> Completion {
        // The command being typed starts after the last `;`, `|` or `&`.
        let start = line.rfind([';', '|', '&', '(']).map_or(0, |i| i + 1);
        let command = &line[start..];
        let words: Vec<&str> = command.split_whitespace().collect();
        let (done, word) = match words.split_last() {
            Some((last, rest)) if !command.ends_with(char::is_whitespace) => (rest, *last),
            _ => (&words[..], ""),
        };
        let candidates = self.candidates(done, word);
        let (prefix, stem) = match word.rsplit_once('/') {
            // `pod/we` completes names after the type.
            Some((kind, stem)) if done.len() > 1 => (format!("{kind}/"), stem),
            _ => (String::new(), word),
        };
        let matches: Vec<String> = candidates
            .into_iter()
            .filter(|c| c.starts_with(stem))
            .collect();
        let head = &line[..line.len() - word.len()];
        match matches.as_slice() {
            [] => Completion {
                line: line.to_string(),
                choices: Vec::new(),
            },
            [only] => Completion {
                line: format!("{head}{prefix}{} ", quote_word(only)),
                choices: Vec::new(),
            },
            several => Completion {
                line: format!("{head}{prefix}{}", common_prefix(several)),
                choices: several.to_vec(),
            },
        }
    }

    /// Everything the word could become, sorted, before filtering by what is typed.
    fn candidates(&self, done: &[&str], word: &str) -> BTreeSet<String> {
        let own = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        let Some((&program, args)) = done.split_first() else {
            let mut all: BTreeSet<String> = own(COMMANDS);
            all.extend(own(&fileops::NAMES));
            all.extend(own(&text::NAMES));
            return all;
        };
        if program == "stsplay" {
            return match args {
                [] => own(&["fault", "help"]),
                ["fault"] => own(super::faults::FAULTS),
                ["fault", fault] => {
                    self.names(super::faults::target_kind(fault), Some(self.namespace()))
                }
                _ => BTreeSet::new(),
            };
        }
        if program == "kind" {
            return match args {
                [] => own(&["create", "delete", "get", "help", "version"]),
                ["create"] => own(&["cluster"]),
                ["delete"] => own(&["cluster", "clusters"]),
                ["get"] => own(&["clusters", "nodes"]),
                [.., "--config"] => self.files.keys().cloned().collect(),
                ["create", "cluster", ..] => own(&["--config", "--name", "--wait"]),
                _ => BTreeSet::new(),
            };
        }
        if program != "kubectl" && program != "k" {
            return self.files.keys().cloned().collect();
        }
        let previous = args.last().copied().unwrap_or("");
        if matches!(previous, "-f" | "--filename") {
            return self.files.keys().cloned().collect();
        }
        if matches!(previous, "-n" | "--namespace") {
            return self.names(Kind::Namespace, None);
        }
        let positionals = positionals(args);
        let Some((&verb, after_verb)) = positionals.split_first() else {
            if word.starts_with('-') {
                return flags(kubectl::args::GLOBAL.iter());
            }
            return own(usage::VERBS);
        };
        if word.starts_with('-') {
            return flags(kubectl::flags_of(verb, after_verb));
        }
        let namespace = namespace_of(args).unwrap_or(self.namespace());
        let namespace =
            (!args.iter().any(|a| matches!(*a, "-A" | "--all-namespaces"))).then_some(namespace);
        let subcommand = match verb {
            "rollout" => Some(ROLLOUT),
            "set" => Some(SET),
            _ => None,
        };
        // A generator, then the secret's or service's type; then a new name.
        match (verb, after_verb) {
            ("create", []) => return own(CREATE),
            ("create", ["secret"]) => return own(&["generic"]),
            ("create", ["service" | "svc"]) => return own(kubectl::create::SERVICE_TYPES),
            ("create", [_, ..]) => return BTreeSet::new(),
            _ => {}
        }
        let typed = match subcommand {
            Some(list) if after_verb.is_empty() => return own(list),
            Some(_) => &after_verb[1..],
            None => after_verb,
        };
        if POD_VERBS.contains(&verb) {
            return self.names(Kind::Pod, namespace);
        }
        if NODE_VERBS.contains(&verb) {
            return self.names(Kind::Node, None);
        }
        if let Some((kind, _)) = word.split_once('/') {
            return resources::resolve(kind)
                .map_or_else(BTreeSet::new, |k| self.names(k, namespace));
        }
        match typed.first() {
            None => resources::type_names()
                .map(|(name, _)| name.to_string())
                .collect(),
            Some(kind) => {
                resources::resolve(kind).map_or_else(BTreeSet::new, |k| self.names(k, namespace))
            }
        }
    }

    /// The names of a kind's objects, in one namespace (None: all of them).
    fn names(&self, kind: Kind, namespace: Option<&str>) -> BTreeSet<String> {
        let store = self.cluster.store();
        store
            .list(kind)
            .filter(|o| !kind.namespaced() || namespace.is_none_or(|ns| o.namespace() == ns))
            .map(|o| o.name().to_string())
            .collect()
    }
}

/// The arguments that are not flags or flag values (`-o wide` takes two words).
fn positionals<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut takes_value = false;
    for arg in args {
        if std::mem::take(&mut takes_value) {
            continue;
        }
        if let Some(flag) = arg.strip_prefix('-') {
            takes_value = !arg.contains('=') && flag_takes_value(flag);
        } else {
            out.push(*arg);
        }
    }
    out
}

/// Whether `-x` or `--long` (written without `=`) takes the next word, by
/// kubectl's global flag table; unknown flags are taken as booleans.
fn flag_takes_value(flag: &str) -> bool {
    use kubectl::args::{Takes, FLAGS};
    let takes = |name: &str, short: Option<char>| match flag.strip_prefix('-') {
        Some(long) => long == name,
        None => flag.len() == 1 && flag.chars().next() == short,
    };
    FLAGS
        .iter()
        .any(|(name, short, t)| *t != Takes::Bool && takes(name, *short))
        || matches!(flag, "f" | "-filename" | "c" | "-container")
}

fn namespace_of<'a>(args: &[&'a str]) -> Option<&'a str> {
    args.windows(2)
        .rev()
        .find(|pair| matches!(pair[0], "-n" | "--namespace"))
        .map(|pair| pair[1])
        .or_else(|| {
            args.iter()
                .rev()
                .find_map(|a| a.strip_prefix("--namespace="))
        })
}

fn flags<'a>(flags: impl Iterator<Item = &'a kubectl::args::Flag>) -> BTreeSet<String> {
    flags.map(|(name, _, _)| format!("--{name}")).collect()
}

fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut end = first.len();
    for word in &words[1..] {
        end = first
            .char_indices()
            .zip(word.chars())
            .find(|((_, a), b)| a != b)
            .map_or(end.min(word.len()), |((i, _), _)| i.min(end));
    }
    first[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::Mode;

    fn applied() -> Playground {
        let mut pg = Playground::new(1, 1, Mode::Script);
        pg.run(0, "kubectl apply -f statefulset.yaml");
        pg.settle();
        pg.files.insert("pod.yaml".into(), String::new());
        pg
    }

    fn line(pg: &Playground, typed: &str) -> String {
        pg.complete(typed).line
    }

    fn choices(pg: &Playground, typed: &str) -> Vec<String> {
        pg.complete(typed).choices
    }

    #[test]
    fn commands_and_verbs() {
        let pg = applied();
        assert_eq!(line(&pg, "kube"), "kubectl ");
        assert_eq!(line(&pg, "kubectl ap"), "kubectl ap");
        assert_eq!(
            choices(&pg, "kubectl ap"),
            ["api-resources", "api-versions", "apply"]
        );
        assert_eq!(line(&pg, "kubectl appl"), "kubectl apply ");
        assert_eq!(line(&pg, "kubectl desc"), "kubectl describe ");
        assert_eq!(line(&pg, "echo hi; kubectl sc"), "echo hi; kubectl scale ");
        assert_eq!(choices(&pg, "h"), ["head", "help", "history"]);
    }

    #[test]
    fn stsplay_faults_and_their_targets() {
        let pg = applied();
        assert_eq!(line(&pg, "stsp"), "stsplay ");
        assert_eq!(line(&pg, "stsplay f"), "stsplay fault ");
        assert_eq!(
            choices(&pg, "stsplay fault node-"),
            ["node-down", "node-remove", "node-up"]
        );
        assert_eq!(
            choices(&pg, "stsplay fault node-down kind-w"),
            ["kind-worker", "kind-worker2"]
        );
        assert_eq!(
            line(&pg, "stsplay fault break-image w"),
            "stsplay fault break-image web "
        );
    }

    #[test]
    fn resource_types_with_short_names_then_object_names() {
        let pg = applied();
        assert_eq!(line(&pg, "kubectl get statef"), "kubectl get statefulset");
        assert_eq!(
            choices(&pg, "kubectl get statef"),
            ["statefulset", "statefulsets"]
        );
        assert_eq!(line(&pg, "kubectl get st"), "kubectl get st");
        assert!(choices(&pg, "kubectl get s").contains(&"sts".to_string()));
        assert_eq!(choices(&pg, "kubectl get pods we"), ["web-0", "web-1"]);
        assert_eq!(line(&pg, "kubectl get pods we"), "kubectl get pods web-");
        assert_eq!(
            line(&pg, "kubectl describe sts w"),
            "kubectl describe sts web "
        );
        assert_eq!(
            line(&pg, "kubectl get pvc www-web-1"),
            "kubectl get pvc www-web-1 "
        );
        assert_eq!(
            line(&pg, "kubectl delete pod/web-1"),
            "kubectl delete pod/web-1 "
        );
        assert_eq!(choices(&pg, "kubectl logs "), ["web-0", "web-1"]);
        assert_eq!(
            line(&pg, "kubectl exec -it web-0"),
            "kubectl exec -it web-0 "
        );
        assert!(choices(&pg, "kubectl cordon kind-").len() == 3);
        assert_eq!(line(&pg, "kubectl rollout st"), "kubectl rollout status ");
        assert_eq!(
            line(&pg, "kubectl rollout status sts/w"),
            "kubectl rollout status sts/web "
        );
        assert_eq!(line(&pg, "kubectl get nosuch w"), "kubectl get nosuch w");
    }

    #[test]
    fn object_names_follow_the_namespace() {
        let pg = applied();
        assert_eq!(
            choices(&pg, "kubectl get pods -n kube-system we"),
            Vec::<String>::new()
        );
        // Flags may come before the verb, as kubectl reads them.
        assert_eq!(
            line(&pg, "kubectl -n kube-system get pods etcd"),
            "kubectl -n kube-system get pods etcd-kind-control-plane "
        );
        assert_eq!(
            line(&pg, "kubectl get pods -n def"),
            "kubectl get pods -n default "
        );
        assert_eq!(
            line(&pg, "kubectl get pods -A web-1"),
            "kubectl get pods -A web-1 "
        );
        assert_eq!(
            line(&pg, "kubectl get -o wide pods web-0"),
            "kubectl get -o wide pods web-0 ",
            "-o's value is not the type"
        );
    }

    #[test]
    fn create_completes_its_generators_and_their_types() {
        let pg = applied();
        assert_eq!(
            choices(&pg, "kubectl create se"),
            ["secret", "service", "serviceaccount"]
        );
        assert_eq!(
            line(&pg, "kubectl create service cl"),
            "kubectl create service clusterip "
        );
        assert_eq!(
            line(&pg, "kubectl create secret g"),
            "kubectl create secret generic "
        );
        assert!(choices(&pg, "kubectl create service clusterip ").is_empty());
    }

    #[test]
    fn flags_of_the_verb_and_files_after_f() {
        let pg = applied();
        assert_eq!(
            line(&pg, "kubectl scale --repl"),
            "kubectl scale --replicas "
        );
        assert!(choices(&pg, "kubectl get --w").contains(&"--watch".to_string()));
        assert!(!choices(&pg, "kubectl get --").contains(&"--replicas".to_string()));
        // A subcommand's own flags.
        assert_eq!(
            line(&pg, "kubectl set env sts/web --li"),
            "kubectl set env sts/web --list "
        );
        assert_eq!(
            line(&pg, "kubectl create pdb x --min"),
            "kubectl create pdb x --min-available "
        );
        assert_eq!(
            line(&pg, "kubectl create service nodeport x --node"),
            "kubectl create service nodeport x --node-port "
        );
        assert_eq!(
            choices(&pg, "kubectl apply -f "),
            ["pod.yaml", "statefulset.yaml"]
        );
        assert_eq!(
            line(&pg, "kubectl apply -f st"),
            "kubectl apply -f statefulset.yaml "
        );
        assert_eq!(line(&pg, "cat p"), "cat pod.yaml ");
    }

    #[test]
    fn nothing_to_complete_leaves_the_line() {
        let pg = applied();
        assert_eq!(
            pg.complete("zzz"),
            Completion {
                line: "zzz".into(),
                choices: vec![]
            }
        );
        assert_eq!(line(&pg, ""), "");
        assert!(choices(&pg, "").contains(&"kubectl".to_string()));
        assert_eq!(common_prefix(&["día".into(), "dío".into()]), "dí");
    }
}
