//! Syntax checks in front of the positional YAML parser (libyaml-safer).
//!
//! libyaml-safer 0.3.0 still has panics on some malformed input (a
//! `panic!("TODO")` in its tag scanner, "unexpected end of input" in its
//! buffer handling), and in the browser a panic aborts the page. So each
//! document is first read by serde_yaml's libyaml (a line-for-line port of
//! the C library, which reports those inputs as errors); only documents it
//! accepts reach libyaml-safer. Its errors are turned into yaml.v2's words.

use serde::Deserialize;

use super::flow_tag;
use super::yaml::SyntaxError;

/// The first syntax problem in a document, with its 1-based file position.
pub fn check(text: &str, first_line: usize) -> Option<SyntaxError> {
    // Messages count lines within the document, as kubectl hands yaml.v2
    // one document at a time; the editor position counts within the file.
    if let Some((line, column)) = flow_tag::find(text) {
        return Some(SyntaxError {
            message: format!(
                "yaml: line {line}: stsplay cannot read '!' followed directly by ',' after a flow collection ([…] or {{…}}); put a space after the '!'"
            ),
            line: first_line + line - 1,
            column,
        });
    }
    let document = serde_yaml::Deserializer::from_str(text).next()?;
    let error = serde::de::IgnoredAny::deserialize(document).err()?;
    let text = error.to_string();
    // Anchors and nesting are the positional parser's business (with
    // yaml.v2's words); only libyaml's scanner and parser errors matter here.
    if [
        "unknown anchor",
        "recursion limit exceeded",
        "repetition limit exceeded",
    ]
    .iter()
    .any(|p| text.starts_with(p))
    {
        return None;
    }
    let location = error.location()?;
    let problem = super::yaml::go_problem(text.split(" at line ").next().unwrap_or(&text));
    // yaml.v2 numbers scanner errors from 1 and parser errors ("did not
    // find expected …") from 0, so the latter name the line before.
    let go_line = if problem.starts_with("did not find expected") {
        location.line() - 1
    } else {
        location.line()
    };
    let message = if go_line == 0 {
        format!("yaml: {problem}")
    } else {
        format!("yaml: line {go_line}: {problem}")
    };
    Some(SyntaxError {
        message,
        line: first_line + location.line() - 1,
        column: location.column(),
    })
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn fuzzer_inputs_become_errors() {
        for input in ["[[F,!,F", "['!,:+['!,:+", "?\n> \n\n> \n 7> 7provider^"] {
            assert!(check(input, 1).is_some(), "{input:?}");
        }
    }

    #[test]
    fn valid_documents_pass() {
        assert_eq!(
            check(
                crate::playground::SEED_YAML
                    .split("---")
                    .next()
                    .unwrap_or(""),
                1
            ),
            None
        );
        assert_eq!(check("", 1), None);
    }

    #[test]
    fn positions_count_from_the_document_start() {
        let error = check("a: 1\nb: [1, 2\n", 10).expect("unclosed flow sequence");
        assert!(error.line >= 10, "{error:?}");
    }
}
