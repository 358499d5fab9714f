//! Reading manifests as kubectl and the apiserver do: a file becomes
//! documents (YAML split at `---` lines, or a stream of JSON objects), each
//! document is mapped to a kind by apiVersion and kind, and the server
//! decodes it strictly into its type. Every problem carries kubectl's text
//! and, for the editor, the line and column it is about.

mod converter;
mod diagnostic;
mod json;
mod kinds;
mod libyaml;
mod strict;
mod yaml;

use serde_json::Value;

pub use converter::patch_cause;
pub use diagnostic::{Diagnostic, Severity};
pub use kinds::served_resource;

use crate::sim::object::{Kind, Object};
use yaml::{Positions, Spot};

/// Files larger than this are refused (the apiserver's own request limit is 3 MiB).
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Documents read from one file at most.
pub const MAX_DOCUMENTS: usize = 500;

/// kubectl's `--validate`: what the server does with unknown fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FieldValidation {
    #[default]
    Strict,
    Warn,
    Ignore,
}

impl FieldValidation {
    /// Reads the flag's value (`strict`/`true`, `warn`, `ignore`/`false`).
    pub fn from_flag(flag: Option<&str>) -> Result<FieldValidation, String> {
        match flag.map(str::to_ascii_lowercase).as_deref() {
            None | Some("strict") | Some("true") => Ok(FieldValidation::Strict),
            Some("warn") => Ok(FieldValidation::Warn),
            Some("ignore") | Some("false") => Ok(FieldValidation::Ignore),
            Some(_) => Err(format!(
                "invalid - validate option {:?}; must be one of: strict (or true), warn, ignore (or false)",
                flag.unwrap_or_default()
            )),
        }
    }
}

/// One decoded document: the object, the JSON it came from, and the
/// warnings the server sends back with it (`unknown field "spec.foo"`).
#[derive(Clone, Debug)]
pub struct Document {
    pub object: Object,
    pub json: Value,
    pub warnings: Vec<String>,
    positions: Positions,
    start: Spot,
}

impl Document {
    /// Where a validation cause's field is written, or its nearest written
    /// parent (`spec.resources[storage]` → `spec.resources`).
    fn spot_of(&self, field: &str) -> Spot {
        let mut path = field.to_string();
        loop {
            if let Some(spot) = self.positions.key(&path) {
                return spot;
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path.truncate(cut),
                None => return self.start,
            }
        }
    }
}

/// What kubectl prints for a document it could not send or the server refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// A client-side error, printed as `error: …`.
    Client(String),
    /// The server's BadRequest for an object it cannot decode. kubectl puts
    /// `error when creating "file": ` (or the patch text) in front.
    BadRequest {
        kind: Kind,
        name: String,
        namespace: Option<String>,
        message: String,
        document: Value,
        /// The unstructured converter's words for the same wrong value, which
        /// an apply to an existing object (a patch) reports instead.
        converter: Option<String>,
    },
}

/// A document that failed: the failure, our hints, and the editor markers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub failure: Failure,
    /// Lines of advice stsplay adds after kubectl's text ("did you mean …").
    pub hints: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Problem {
    fn client(message: String, at: Option<Spot>) -> Problem {
        let diagnostics = at
            .map(|s| Diagnostic::error(s.line, s.column, message.clone()))
            .into_iter()
            .collect();
        Problem {
            failure: Failure::Client(message),
            hints: Vec::new(),
            diagnostics,
        }
    }
}

/// A file, read: its documents in order, each decoded or failed, and the
/// error that stopped reading (a syntax error; documents after it are never seen).
#[derive(Clone, Debug, Default)]
pub struct Decoded {
    pub documents: Vec<Result<Document, Problem>>,
    pub stop: Option<Problem>,
    /// Markers that are not errors (duplicate keys).
    pub warnings: Vec<Diagnostic>,
}

/// A document's JSON with the positions of its values.
struct Raw {
    value: Value,
    positions: Positions,
    first_line: usize,
}

/// Reads a file as `kubectl apply -f` does.
pub fn decode(text: &str, source: &str, validation: FieldValidation) -> Decoded {
    let mut decoded = Decoded::default();
    if text.len() > MAX_FILE_BYTES {
        decoded.stop = Some(Problem::client(
            format!(
                "stsplay reads files up to 1 MiB; \"{source}\" is {:.1} MiB. Split it into smaller files.",
                text.len() as f64 / MAX_FILE_BYTES as f64
            ),
            Some(Spot { line: 1, column: 1 }),
        ));
        return decoded;
    }
    let (raws, stop) = if crate::kubectl::gojson::looks_like_json(text) {
        json::documents(text, source)
    } else {
        yaml_documents(text, source, &mut decoded.warnings)
    };
    decoded.stop = stop;
    for raw in raws {
        if decoded.documents.len() == MAX_DOCUMENTS {
            decoded.stop = Some(Problem::client(
                format!("stsplay reads at most {MAX_DOCUMENTS} documents from one file; \"{source}\" has more"),
                raw.positions.value(""),
            ));
            break;
        }
        decoded
            .documents
            .push(to_object(raw, source, validation).map_err(|problem| *problem));
    }
    decoded
}

/// The editor's markers for the file `source`: everything `kubectl apply`
/// would report (syntax, unknown fields, types, the server's validation) on its line.
/// Whether a file's name says it holds manifests: the extensions kubectl's
/// file visitor reads when `-f` names a directory.
pub fn is_manifest_file(name: &str) -> bool {
    [".json", ".yaml", ".yml"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// The editor's markers for one of its files: a manifest's problems, and
/// none for text of another kind (a `hosts` that `kubectl cp` brought).
pub fn diagnose_file(text: &str, name: &str) -> Vec<Diagnostic> {
    if is_manifest_file(name) {
        diagnose(text, name)
    } else {
        Vec::new()
    }
}

pub fn diagnose(text: &str, source: &str) -> Vec<Diagnostic> {
    let decoded = decode(text, source, FieldValidation::Strict);
    let mut out = decoded.warnings;
    for document in &decoded.documents {
        match document {
            Ok(doc) => out.extend(kinds::validation_markers(doc)),
            Err(problem) => out.extend(problem.diagnostics.iter().cloned()),
        }
    }
    out.extend(decoded.stop.into_iter().flat_map(|p| p.diagnostics));
    out.sort_by_key(|d| (d.line, d.column));
    out
}

/// A document's kind, namespace (if written) and name.
pub type Identity = (Kind, Option<String>, String);

/// What `kubectl delete -f` needs: the kind, namespace and name of each
/// document, read leniently (the client decodes them without a schema).
pub fn identities(text: &str, source: &str) -> (Vec<Identity>, Option<String>) {
    let decoded = decode(text, source, FieldValidation::Ignore);
    let mut found = Vec::new();
    let mut error = decoded.stop.map(|p| p.failure);
    for document in decoded.documents {
        match document {
            Ok(doc) => found.push((
                doc.object.kind(),
                doc.object.meta().namespace.clone(),
                doc.object.name().to_string(),
            )),
            Err(Problem {
                failure:
                    Failure::BadRequest {
                        kind,
                        name,
                        namespace,
                        ..
                    },
                ..
            }) => found.push((kind, namespace, name)),
            Err(Problem { failure, .. }) => {
                error.get_or_insert(failure);
            }
        }
    }
    let error = error.map(|f| match f {
        Failure::Client(text) => text,
        Failure::BadRequest { message, .. } => message,
    });
    (found, error)
}

/// Why `value` does not decode into `kind`, as the server's JSON decoder
/// says it and as its unstructured converter does (None when it decodes).
pub fn type_fault(kind: Kind, value: &Value) -> Option<(String, Option<String>)> {
    let (_, findings) = kinds::decode(kind, value);
    findings.fault.map(|fault| (fault.message, fault.converter))
}

fn yaml_documents(
    text: &str,
    source: &str,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Raw>, Option<Problem>) {
    let (chunks, split_error) = yaml::split(text);
    let mut raws = Vec::new();
    for chunk in chunks {
        match yaml::parse(chunk) {
            Ok(Some(doc)) => {
                warnings.extend(doc.warnings);
                raws.push(Raw {
                    value: doc.value,
                    positions: doc.positions,
                    first_line: doc.first_line,
                });
            }
            Ok(None) => {}
            Err(err) => return (raws, Some(syntax_problem(source, err, true))),
        }
    }
    (
        raws,
        split_error.map(|err| syntax_problem(source, err, false)),
    )
}

fn syntax_problem(source: &str, err: yaml::SyntaxError, converting: bool) -> Problem {
    let detail = |message: &str| {
        if converting {
            format!("error converting YAML to JSON: {message}")
        } else {
            message.to_string()
        }
    };
    let mut problem = Problem::client(
        format!("error parsing {source}: {}", detail(&err.message)),
        None,
    );
    problem.diagnostics.push(Diagnostic::error(
        err.line,
        err.column,
        detail(&without_document_line(&err.message)),
    ));
    problem
}

/// Go's `yaml: line N: …` counts from the start of the document (and for
/// parser errors from 0); the editor marks the file's own line instead, so
/// a second number there would only mislead.
fn without_document_line(message: &str) -> String {
    match message
        .strip_prefix("yaml: line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((line, text)) if line.bytes().all(|b| b.is_ascii_digit()) => format!("yaml: {text}"),
        _ => message.to_string(),
    }
}

/// Picks the type from apiVersion and kind, then decodes into it as the server would.
fn to_object(
    raw: Raw,
    source: &str,
    validation: FieldValidation,
) -> Result<Document, Box<Problem>> {
    let Raw {
        mut value,
        positions,
        first_line,
    } = raw;
    let start = positions.value("").unwrap_or(Spot {
        line: first_line,
        column: 1,
    });
    let text = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let (api_version, kind_name) = (text("apiVersion"), text("kind"));
    let name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let namespace = value
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .map(str::to_string);
    if !value.is_object() || kind_name.is_empty() {
        let json = serde_json::to_string(&value).unwrap_or_default();
        let message =
            format!("unable to decode \"{source}\": Object 'Kind' is missing in '{json}'");
        return Err(Box::new(Problem::client(message, Some(start))));
    }
    let kind = match kinds::resolve(&api_version, &kind_name) {
        Ok(kind) => kind,
        Err(mismatch) => {
            let spot = positions.value("kind").unwrap_or(start);
            let mut problem = Problem::client(
                mismatch.message(&name, namespace.as_deref(), source),
                Some(spot),
            );
            problem.hints.extend(mismatch.hint);
            return Err(Box::new(problem));
        }
    };
    if api_version.is_empty() {
        if let Some(map) = value.as_object_mut() {
            map.insert(
                "apiVersion".to_string(),
                Value::String(kind.api_version().to_string()),
            );
        }
    }
    let (object, findings) = kinds::decode(kind, &value);
    let bad_request = |detail: String, converter: Option<String>| Failure::BadRequest {
        converter,
        document: value.clone(),
        kind,
        name: name.clone(),
        namespace: namespace.clone(),
        message: format!(
            "{} in version \"{}\" cannot be handled as a {}: {detail}",
            kind.name(),
            kind.api_version().rsplit('/').next().unwrap_or_default(),
            kind.name()
        ),
    };
    if let Some(fault) = findings.fault {
        let spot = positions
            .value(&fault.path)
            .or_else(|| positions.key(&fault.path))
            .unwrap_or(start);
        return Err(Box::new(Problem {
            failure: bad_request(fault.message.clone(), fault.converter),
            hints: Vec::new(),
            diagnostics: vec![Diagnostic::error(spot.line, spot.column, fault.message)],
        }));
    }
    let unknown: Vec<String> = findings
        .unknown
        .iter()
        .map(|u| format!("unknown field \"{}\"", u.path))
        .collect();
    let hints: Vec<String> = findings
        .unknown
        .iter()
        .filter_map(|u| {
            u.suggestion
                .as_ref()
                .map(|s| format!("hint: did you mean {s}?"))
        })
        .collect();
    let diagnostics: Vec<Diagnostic> = findings
        .unknown
        .iter()
        .map(|u| {
            let spot = positions.key(&u.path).unwrap_or(start);
            let advice = u
                .suggestion
                .as_ref()
                .map(|s| format!("; did you mean {s}?"))
                .unwrap_or_default();
            Diagnostic::error(
                spot.line,
                spot.column,
                format!("unknown field \"{}\"{advice}", u.path),
            )
        })
        .collect();
    if validation == FieldValidation::Strict && !unknown.is_empty() {
        let detail = format!("strict decoding error: {}", unknown.join(", "));
        return Err(Box::new(Problem {
            failure: bad_request(detail, None),
            hints,
            diagnostics,
        }));
    }
    let Some(object) = object else {
        return Err(Box::new(Problem::client(
            format!("unable to decode \"{source}\""),
            Some(start),
        )));
    };
    let warnings = if validation == FieldValidation::Warn {
        unknown
    } else {
        Vec::new()
    };
    Ok(Document {
        object,
        json: value,
        warnings,
        positions,
        start,
    })
}
