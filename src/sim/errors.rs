//! API errors, carrying what kubectl needs to print them in its own words.

use super::object::Kind;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    NotFound,
    AlreadyExists,
    Conflict,
    Invalid,
    BadRequest,
    Forbidden,
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
        }
    }
}

/// A failed API call: the status reason and the server's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub reason: Reason,
    pub message: String,
}

impl ApiError {
    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::NotFound,
            message: format!("{} \"{name}\" not found", kind.qualified_plural()),
        }
    }

    pub fn already_exists(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::AlreadyExists,
            message: format!("{} \"{name}\" already exists", kind.qualified_plural()),
        }
    }

    pub fn conflict(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::Conflict,
            message: format!(
                "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                kind.qualified_plural()
            ),
        }
    }

    /// A 422 with field causes, rendered the way kubectl renders them.
    pub fn invalid(kind: Kind, name: &str, causes: &[String]) -> ApiError {
        let head = format!("{} \"{name}\" is invalid: ", kind.name());
        let message = match causes {
            [one] => format!("{head}{one}"),
            many => {
                let mut text = head;
                text.push('[');
                text.push_str(&many.join(", "));
                text.push(']');
                text
            }
        };
        ApiError {
            reason: Reason::Invalid,
            message,
        }
    }

    pub fn bad_request(message: String) -> ApiError {
        ApiError {
            reason: Reason::BadRequest,
            message,
        }
    }

    pub fn forbidden(message: String) -> ApiError {
        ApiError {
            reason: Reason::Forbidden,
            message,
        }
    }

    /// What kubectl prints: `Error from server (NotFound): …`, or the bare
    /// message for validation errors, which kubectl shows without the prefix.
    pub fn kubectl_text(&self) -> String {
        match self.reason {
            Reason::Invalid => format!("The {}", self.message),
            r => format!("Error from server ({}): {}", r.as_str(), self.message),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
