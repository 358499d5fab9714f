//! kubectl's command line: flags (long, short, `=value` or separate value,
//! bools), positionals, and `--` for a command to run in a container.

use super::blocking::parse_timeout;
use crate::sim::clock::Millis;

/// Whether a flag takes a value, and of which type: pflag checks typed
/// values while it parses, so a bad one is a usage error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Takes {
    Value,
    Bool,
    Int,
    Duration,
}

/// A flag: long name, shorthand, and whether it takes a value.
pub type Flag = (&'static str, Option<char>, Takes);

/// The global flags every verb accepts that the playground simulates.
/// The namespace, and the context: the kubeconfig's one context (kind's),
/// which kind's own hint names (`kubectl cluster-info --context kind-kind`).
pub const GLOBAL: &[Flag] = &[
    ("namespace", Some('n'), Takes::Value),
    ("context", None, Takes::Value),
];

/// kubectl's global flags that make no sense in a one-cluster playground.
pub const GLOBAL_NOT_SIMULATED: &[&str] = &[
    "as",
    "as-group",
    "as-uid",
    "cache-dir",
    "certificate-authority",
    "client-certificate",
    "client-key",
    "cluster",
    "disable-compression",
    "insecure-skip-tls-verify",
    "kubeconfig",
    "log-flush-frequency",
    "match-server-version",
    "password",
    "profile",
    "profile-output",
    "request-timeout",
    "server",
    "tls-server-name",
    "token",
    "user",
    "username",
    "v",
    "warnings-as-errors",
];

/// Shorthands of kubectl flags that some verb does not simulate, so that
/// `-k` says "not simulated" as `--kustomize` does, instead of "unknown".
const SHORTHANDS: &[(char, &str)] = &[
    ('A', "all-namespaces"),
    ('c', "container"),
    ('f', "filename"),
    ('i', "interactive"),
    ('i', "stdin"),
    ('k', "kustomize"),
    ('l', "selector"),
    ('o', "output"),
    ('p', "patch"),
    ('p', "previous"),
    ('R', "recursive"),
    ('s', "server"),
    ('v', "v"),
    ('w', "watch"),
];

/// What one verb accepts: its own flags, and the ones kubectl has for it
/// that the playground does not simulate (those get a clear message
/// instead of "unknown flag").
#[derive(Clone, Copy)]
pub struct Spec {
    pub flags: &'static [Flag],
    pub not_simulated: &'static [&'static str],
}

/// Flags kubectl accepts on the verbs that do not declare their own: (long, short, takes).
pub const FLAGS: &[(&str, Option<char>, Takes)] = &[
    ("namespace", Some('n'), Takes::Value),
    ("all-namespaces", Some('A'), Takes::Bool),
    ("output", Some('o'), Takes::Value),
    ("selector", Some('l'), Takes::Value),
    ("field-selector", None, Takes::Value),
    ("filename", Some('f'), Takes::Value),
    ("recursive", Some('R'), Takes::Bool),
    ("watch", Some('w'), Takes::Bool),
    ("watch-only", None, Takes::Bool),
    ("output-watch-events", None, Takes::Bool),
    ("show-labels", None, Takes::Bool),
    ("label-columns", Some('L'), Takes::Value),
    ("no-headers", None, Takes::Bool),
    ("sort-by", None, Takes::Value),
    ("show-kind", None, Takes::Bool),
    ("replicas", None, Takes::Value),
    ("current-replicas", None, Takes::Value),
    ("grace-period", None, Takes::Int),
    ("force", None, Takes::Bool),
    ("now", None, Takes::Bool),
    ("wait", None, Takes::Bool),
    ("cascade", None, Takes::Value),
    ("all", None, Takes::Bool),
    ("ignore-not-found", None, Takes::Bool),
    ("dry-run", None, Takes::Value),
    ("validate", None, Takes::Value),
    ("timeout", None, Takes::Duration),
    ("client", None, Takes::Bool),
    ("short", None, Takes::Bool),
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub positionals: Vec<String>,
    pub flags: Vec<(String, String)>,
    /// Words after `--`.
    pub command: Vec<String>,
}

impl Parsed {
    /// The last value given for a flag (kubectl's "last one wins").
    pub fn value(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn values(&self, name: &str) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn bool(&self, name: &str) -> bool {
        self.bool_or(name, false)
    }

    /// A [`Takes::Bool`] flag's value (checked when parsed as Go's
    /// ParseBool reads it), `default` when not given: `--wait=0` turns off
    /// a flag that is on by default.
    pub fn bool_or(&self, name: &str, default: bool) -> bool {
        self.value(name).and_then(parse_bool).unwrap_or(default)
    }

    /// A [`Takes::Int`] flag's value (checked when parsed).
    pub fn int(&self, name: &str) -> Option<i64> {
        self.value(name).and_then(|text| text.parse().ok())
    }

    /// A [`Takes::Duration`] flag's value (`30s`, `1m30s`; checked when parsed).
    pub fn duration(&self, name: &str) -> Option<Millis> {
        self.value(name).and_then(parse_timeout)
    }
}

/// Go's strconv.ParseBool, which pflag's bool flags use.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// pflag's error for a typed flag's value that does not parse.
fn check_value(takes: Takes, flag: &Flag, text: &str) -> Result<(), ArgError> {
    let problem = match takes {
        Takes::Bool if parse_bool(text).is_none() => {
            format!("strconv.ParseBool: parsing \"{text}\": invalid syntax")
        }
        Takes::Int if text.parse::<i64>().is_err() => {
            format!("strconv.ParseInt: parsing \"{text}\": invalid syntax")
        }
        Takes::Duration if parse_timeout(text.trim_start_matches(['-', '+'])).is_none() => {
            duration_error(text)
        }
        _ => return Ok(()),
    };
    let name = match flag.1 {
        Some(short) => format!("-{short}, --{}", flag.0),
        None => format!("--{}", flag.0),
    };
    Err(ArgError::Usage(format!(
        "invalid argument \"{text}\" for \"{name}\" flag: {problem}"
    )))
}

/// Go's `time.ParseDuration` error for a value the playground cannot read.
fn duration_error(text: &str) -> String {
    let digits = text.trim_start_matches(['-', '+']);
    let number = digits.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let unit: String = number
        .chars()
        .take_while(|c| !c.is_ascii_digit() && *c != '.')
        .collect();
    if number.len() == digits.len() {
        format!("time: invalid duration \"{text}\"")
    } else if unit.is_empty() {
        format!("time: missing unit in duration \"{text}\"")
    } else {
        format!("time: unknown unit \"{unit}\" in duration \"{text}\"")
    }
}

/// Splits arguments into flags and positionals, with kubectl's error texts,
/// accepting every flag of [`FLAGS`].
pub fn parse(args: &[String]) -> Result<Parsed, ArgError> {
    parse_with(
        args,
        Spec {
            flags: FLAGS,
            not_simulated: &[],
        },
    )
}

/// Why a command line was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgError {
    /// pflag's own words, followed by kubectl's "See … --help" line.
    Usage(String),
    /// A real kubectl flag that the playground does not simulate.
    NotSimulated(String),
}

impl std::fmt::Display for ArgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArgError::Usage(text) | ArgError::NotSimulated(text) => f.write_str(text),
        }
    }
}

/// Splits arguments into flags and positionals for a verb with its own flags.
pub fn parse_with(args: &[String], spec: Spec) -> Result<Parsed, ArgError> {
    let all = || spec.flags.iter().chain(GLOBAL.iter());
    let find_long = |name: &str| all().find(|(long, _, _)| *long == name);
    let find_short = |c: char| all().find(|(_, short, _)| *short == Some(c));
    let not_simulated = |name: &str| {
        (GLOBAL_NOT_SIMULATED.contains(&name) || spec.not_simulated.contains(&name)).then(|| {
            ArgError::NotSimulated(format!(
                "stsplay does not simulate the --{name} flag of this command"
            ))
        })
    };
    let mut parsed = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            parsed.command = args[i..].to_vec();
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            let Some(spec_flag @ (flag, _, takes)) = find_long(name) else {
                return Err(not_simulated(name)
                    .unwrap_or_else(|| ArgError::Usage(format!("unknown flag: --{name}"))));
            };
            let value = match (takes, inline) {
                (_, Some(v)) => v,
                (Takes::Bool, None) => "true".to_string(),
                (_, None) => {
                    let Some(v) = args.get(i) else {
                        return Err(ArgError::Usage(format!("flag needs an argument: --{name}")));
                    };
                    i += 1;
                    v.clone()
                }
            };
            check_value(*takes, spec_flag, &value)?;
            parsed.flags.push((flag.to_string(), value));
        } else if arg.len() > 1 && arg.starts_with('-') {
            let chars: Vec<char> = arg[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let Some(spec_flag @ (flag, _, takes)) = find_short(c) else {
                    let known = SHORTHANDS
                        .iter()
                        .filter(|(short, _)| *short == c)
                        .find_map(|(_, long)| not_simulated(long));
                    return Err(known.unwrap_or_else(|| {
                        ArgError::Usage(format!("unknown shorthand flag: '{c}' in {arg}"))
                    }));
                };
                j += 1;
                match takes {
                    Takes::Bool if chars.get(j) == Some(&'=') => {
                        let value: String = chars[j + 1..].iter().collect();
                        check_value(*takes, spec_flag, &value)?;
                        parsed.flags.push((flag.to_string(), value));
                        break;
                    }
                    Takes::Bool => parsed.flags.push((flag.to_string(), "true".to_string())),
                    _ => {
                        let rest: String = chars[j..].iter().collect();
                        let value = if !rest.is_empty() {
                            rest.strip_prefix('=').unwrap_or(&rest).to_string()
                        } else if let Some(v) = args.get(i) {
                            i += 1;
                            v.clone()
                        } else {
                            return Err(ArgError::Usage(format!(
                                "flag needs an argument: '{c}' in -{c}"
                            )));
                        };
                        check_value(*takes, spec_flag, &value)?;
                        parsed.flags.push((flag.to_string(), value));
                        break;
                    }
                }
            }
        } else {
            parsed.positionals.push(arg.clone());
        }
    }
    Ok(parsed)
}

/// kubectl's root flags that take no value (pflag's NoOptDefVal), so that
/// the word after one before the verb is not read as its value.
const ROOT_BOOLS: &[&str] = &[
    "help",
    "disable-compression",
    "insecure-skip-tls-verify",
    "match-server-version",
    "warnings-as-errors",
];

/// The arguments with the verb first, when flags come before it
/// (`kubectl -n kube-system get pods`): cobra finds the command by skipping
/// flags, taking the word after a flag before the verb as its value unless
/// the flag is a root boolean or written with `=`, then parses every flag
/// wherever it stands. The flags move behind the verb's own words (before
/// a `--`, which ends flags). None when the verb is first already, or when
/// there are only flags (kubectl then prints its help).
pub fn verb_first(args: &[String]) -> Option<Vec<String>> {
    let mut at = 0;
    while let Some(arg) = args.get(at) {
        let skips_value = match (arg.strip_prefix("--"), arg.strip_prefix('-')) {
            _ if arg == "--" => return None,
            (Some(long), _) => !long.contains('=') && !ROOT_BOOLS.contains(&long),
            (None, Some(short)) if !short.is_empty() => short.len() == 1 && short != "h",
            _ => break,
        };
        at += if skips_value { 2 } else { 1 };
    }
    if at == 0 {
        return None;
    }
    let (flags, command) = args.split_at(at.min(args.len()));
    let Some((verb, rest)) = command.split_first() else {
        return Some(Vec::new());
    };
    let dash = rest.iter().position(|a| a == "--").unwrap_or(rest.len());
    let mut ordered = vec![verb.clone()];
    ordered.extend_from_slice(&rest[..dash]);
    ordered.extend_from_slice(flags);
    ordered.extend_from_slice(&rest[dash..]);
    Some(ordered)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::words;

    #[test]
    fn long_short_and_inline_values() {
        let p = parse(&words("pods -w -l app=nginx --namespace=default -ojson")).unwrap();
        assert_eq!(p.positionals, ["pods"]);
        assert!(p.bool("watch"));
        assert_eq!(p.value("selector"), Some("app=nginx"));
        assert_eq!(p.value("namespace"), Some("default"));
        assert_eq!(p.value("output"), Some("json"));
    }

    #[test]
    fn unknown_flags_use_kubectl_words() {
        assert_eq!(
            parse(&words("pods --bogus")).unwrap_err().to_string(),
            "unknown flag: --bogus"
        );
        assert_eq!(
            parse(&words("pods -x")).unwrap_err().to_string(),
            "unknown shorthand flag: 'x' in -x"
        );
        assert!(matches!(
            parse(&words("pods --kubeconfig other")),
            Err(ArgError::NotSimulated(_))
        ));
        assert!(parse(&words("pods --context kind-kind")).is_ok());
        assert!(parse(&words("pods -w=false")).is_ok_and(|p| !p.bool("watch")));
    }

    #[test]
    fn typed_values_are_checked_as_pflag_does() {
        let spec = Spec {
            flags: &[
                ("grace-period", None, Takes::Int),
                ("timeout", None, Takes::Duration),
                ("tail", Some('t'), Takes::Int),
            ],
            not_simulated: &[],
        };
        let error = |line: &str| parse_with(&words(line), spec).unwrap_err().to_string();
        assert_eq!(
            error("--grace-period=soon"),
            "invalid argument \"soon\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"soon\": invalid syntax"
        );
        assert_eq!(
            error("-t x"),
            "invalid argument \"x\" for \"-t, --tail\" flag: strconv.ParseInt: parsing \"x\": invalid syntax"
        );
        assert_eq!(
            error("--timeout 5"),
            "invalid argument \"5\" for \"--timeout\" flag: time: missing unit in duration \"5\""
        );
        assert_eq!(
            error("--timeout soon"),
            "invalid argument \"soon\" for \"--timeout\" flag: time: invalid duration \"soon\""
        );
        assert_eq!(
            error("--timeout=5y"),
            "invalid argument \"5y\" for \"--timeout\" flag: time: unknown unit \"y\" in duration \"5y\""
        );
        let parsed = parse_with(&words("--grace-period=-1 --timeout=1m30s"), spec).unwrap();
        assert_eq!(
            (parsed.int("grace-period"), parsed.duration("timeout")),
            (Some(-1), Some(90_000))
        );
    }

    #[test]
    fn bool_flags_read_every_spelling_go_accepts() {
        let spec = Spec {
            flags: &[("wait", None, Takes::Bool)],
            not_simulated: &[],
        };
        let wait = |line: &str| {
            parse_with(&words(line), spec)
                .unwrap()
                .bool_or("wait", true)
        };
        assert!(wait(""));
        assert!(wait("--wait"));
        assert!(wait("--wait=T"));
        assert!(!wait("--wait=0"));
        assert!(!wait("--wait=False"));
        assert_eq!(
            parse_with(&words("--wait=no"), spec).unwrap_err().to_string(),
            "invalid argument \"no\" for \"--wait\" flag: strconv.ParseBool: parsing \"no\": invalid syntax"
        );
    }

    #[test]
    fn double_dash_ends_flags() {
        let p = parse(&words("web-0 -- ls -l")).unwrap();
        assert_eq!(p.command, ["ls", "-l"]);
    }

    #[test]
    fn flags_before_the_verb_move_behind_its_words() {
        let moved = |line: &str| verb_first(&words(line)).map(|w| w.join(" "));
        assert_eq!(moved("get pods -n kube-system"), None);
        assert_eq!(
            moved("-n kube-system get pods").as_deref(),
            Some("get pods -n kube-system")
        );
        assert_eq!(
            moved("--namespace=shop --context kind-kind rollout status sts/web").as_deref(),
            Some("rollout status sts/web --namespace=shop --context kind-kind")
        );
        // Before the verb, a flag the root does not know takes the next word.
        assert_eq!(
            moved("-o wide get nodes").as_deref(),
            Some("get nodes -o wide")
        );
        assert_eq!(
            moved("--insecure-skip-tls-verify get pods").as_deref(),
            Some("get pods --insecure-skip-tls-verify")
        );
        assert_eq!(moved("-h get").as_deref(), Some("get -h"));
        assert_eq!(
            moved("-n shop exec web-0 -- ls -l").as_deref(),
            Some("exec web-0 -n shop -- ls -l")
        );
        assert_eq!(moved("-n shop").as_deref(), Some(""));
    }
}
