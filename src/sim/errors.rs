//! API errors, carrying what kubectl needs to print them in its own words.

use super::object::Kind;
use super::validation::FieldError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    NotFound,
    AlreadyExists,
    Conflict,
    Invalid,
    BadRequest,
    Forbidden,
    TooManyRequests,
    InternalError,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::NotFound => "NotFound",
            Reason::AlreadyExists => "AlreadyExists",
            Reason::Conflict => "Conflict",
            Reason::Invalid => "Invalid",
            Reason::BadRequest => "BadRequest",
            Reason::Forbidden => "Forbidden",
            Reason::TooManyRequests => "TooManyRequests",
            Reason::InternalError => "InternalError",
        }
    }
}

/// A failed API call: the status reason, the server's message, and for a
/// 422 the kind, name and field causes kubectl prints one per line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub reason: Reason,
    pub message: String,
    pub details: Option<Details>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Details {
    /// None for an error about the request itself ("The request is invalid").
    pub kind: Option<Kind>,
    pub name: String,
    pub causes: Vec<FieldError>,
}

impl ApiError {
    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::NotFound,
            message: format!("{} \"{name}\" not found", kind.qualified_plural()),
            details: None,
        }
    }

    pub fn already_exists(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::AlreadyExists,
            message: format!("{} \"{name}\" already exists", kind.qualified_plural()),
            details: None,
        }
    }

    pub fn conflict(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::Conflict,
            message: format!(
                "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                kind.qualified_plural()
            ),
            details: None,
        }
    }

    /// A 422: the apiserver's message (`StatefulSet.apps "web" is invalid:
    /// [a, b]`), with the causes kept for kubectl's own rendering.
    pub fn invalid(kind: Kind, name: &str, causes: Vec<FieldError>) -> ApiError {
        let group_kind = match kind.group() {
            "" => kind.name().to_string(),
            group => format!("{}.{group}", kind.name()),
        };
        let texts: Vec<String> = causes.iter().map(ToString::to_string).collect();
        let list = match texts.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        ApiError {
            reason: Reason::Invalid,
            message: format!("{group_kind} \"{name}\" is invalid: {list}"),
            details: Some(Details {
                kind: Some(kind),
                name: name.to_string(),
                causes,
            }),
        }
    }

    /// An Invalid error about the request rather than an object (a patch
    /// whose result does not decode): no kind, no name.
    pub fn invalid_request(causes: Vec<FieldError>) -> ApiError {
        let texts: Vec<String> = causes.iter().map(ToString::to_string).collect();
        ApiError {
            reason: Reason::Invalid,
            message: format!(" \"\" is invalid: {}", texts.join(", ")),
            details: Some(Details {
                kind: None,
                name: String::new(),
                causes,
            }),
        }
    }

    /// kubectl's AddSourceToErr: `error when creating "web.yaml": …`.
    pub fn with_source(mut self, verb: &str, source: &str) -> ApiError {
        self.message = format!("error when {verb} \"{source}\": {}", self.message);
        self
    }

    pub fn bad_request(message: String) -> ApiError {
        ApiError {
            reason: Reason::BadRequest,
            message,
            details: None,
        }
    }

    /// 429: come back later (an eviction a disruption budget refuses).
    pub fn too_many_requests(message: String) -> ApiError {
        ApiError {
            reason: Reason::TooManyRequests,
            message,
            details: None,
        }
    }

    /// 500, with the apiserver's prefix on the message.
    pub fn internal(message: &str) -> ApiError {
        ApiError {
            reason: Reason::InternalError,
            message: format!("Internal error occurred: {message}"),
            details: None,
        }
    }

    pub fn forbidden(message: String) -> ApiError {
        ApiError {
            reason: Reason::Forbidden,
            message,
            details: None,
        }
    }

    /// What kubectl prints for this error alone: `Error from server
    /// (NotFound): …`, or for a 422 `The StatefulSet "web" is invalid: …`
    /// with one cause on the line or several as `* ` lines below it.
    pub fn kubectl_text(&self) -> String {
        match (&self.reason, &self.details) {
            (Reason::Invalid, Some(details)) => {
                let head = match details.kind {
                    Some(kind) => format!("The {} \"{}\" is invalid: ", kind.name(), details.name),
                    None => "The request is invalid: ".to_string(),
                };
                let mut causes: Vec<String> = Vec::new();
                for cause in details.causes.iter().map(ToString::to_string) {
                    if !causes.contains(&cause) {
                        causes.push(cause);
                    }
                }
                match causes.as_slice() {
                    [one] => format!("{head}{one}"),
                    many => format!("{head}\n* {}", many.join("\n* ")),
                }
            }
            _ => self.server_text(),
        }
    }

    /// How kubectl prints the error among several (`Error from server (Invalid): …`).
    pub fn server_text(&self) -> String {
        format!(
            "Error from server ({}): {}",
            self.reason.as_str(),
            self.message
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
