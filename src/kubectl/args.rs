//! kubectl's command line: flags (long, short, `=value` or separate value,
//! bools), positionals, and `--` for a command to run in a container.

/// Whether a flag takes a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Takes {
    Value,
    Bool,
}

/// Flags kubectl accepts on the verbs we implement: (long, short, takes).
const FLAGS: &[(&str, Option<char>, Takes)] = &[
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
    ("grace-period", None, Takes::Value),
    ("force", None, Takes::Bool),
    ("now", None, Takes::Bool),
    ("wait", None, Takes::Bool),
    ("cascade", None, Takes::Value),
    ("all", None, Takes::Bool),
    ("ignore-not-found", None, Takes::Bool),
    ("dry-run", None, Takes::Value),
    ("validate", None, Takes::Value),
    ("timeout", None, Takes::Value),
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
        self.value(name).is_some_and(|v| v != "false")
    }
}

/// A flag: (long name, short letter, whether it takes a value).
pub type Flag = (&'static str, Option<char>, Takes);

fn find_long<'a>(verb_flags: &'a [Flag], name: &str) -> Option<&'a Flag> {
    verb_flags
        .iter()
        .chain(FLAGS)
        .find(|(long, _, _)| *long == name)
}

fn find_short(verb_flags: &[Flag], c: char) -> Option<&Flag> {
    verb_flags
        .iter()
        .chain(FLAGS)
        .find(|(_, short, _)| *short == Some(c))
}

/// Splits arguments into flags and positionals, with kubectl's error texts.
pub fn parse(args: &[String]) -> Result<Parsed, String> {
    parse_with(args, &[])
}

/// Like [`parse`] for a verb whose own flags come first: `logs -f` is
/// `--follow` and `exec -i` is `--stdin`, not the common meanings.
pub fn parse_with(args: &[String], verb_flags: &[Flag]) -> Result<Parsed, String> {
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
            let Some((flag, _, takes)) = find_long(verb_flags, name) else {
                return Err(format!("unknown flag: --{name}"));
            };
            let value = match (takes, inline) {
                (_, Some(v)) => v,
                (Takes::Bool, None) => "true".to_string(),
                (Takes::Value, None) => {
                    let Some(v) = args.get(i) else {
                        return Err(format!("flag needs an argument: --{name}"));
                    };
                    i += 1;
                    v.clone()
                }
            };
            parsed.flags.push((flag.to_string(), value));
        } else if arg.len() > 1 && arg.starts_with('-') {
            let chars: Vec<char> = arg[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                let Some((flag, _, takes)) = find_short(verb_flags, c) else {
                    return Err(format!("unknown shorthand flag: '{c}' in {arg}"));
                };
                j += 1;
                match takes {
                    Takes::Bool => parsed.flags.push((flag.to_string(), "true".to_string())),
                    Takes::Value => {
                        let rest: String = chars[j..].iter().collect();
                        let value = if !rest.is_empty() {
                            rest.strip_prefix('=').unwrap_or(&rest).to_string()
                        } else if let Some(v) = args.get(i) {
                            i += 1;
                            v.clone()
                        } else {
                            return Err(format!("flag needs an argument: '{c}' in -{c}"));
                        };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

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
            parse(&words("pods --bogus")).unwrap_err(),
            "unknown flag: --bogus"
        );
        assert_eq!(
            parse(&words("pods -x")).unwrap_err(),
            "unknown shorthand flag: 'x' in -x"
        );
    }

    #[test]
    fn double_dash_ends_flags() {
        let p = parse(&words("web-0 -- ls -l")).unwrap();
        assert_eq!(p.command, ["ls", "-l"]);
    }
}
