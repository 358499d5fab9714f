//! A file whose first non-space character is `{` is, for kubectl, a stream
//! of JSON objects read with Go's encoding/json, whose error words differ
//! from YAML's.

use serde_json::Value;

use super::yaml::{self, Chunk, Spot};
use super::{Diagnostic, Problem, Raw};
use crate::kubectl::gojson::quote_char;

/// The JSON values of a stream, each with positions (JSON is YAML's flow
/// syntax, so libyaml places its values), up to the first syntax error.
pub fn documents(text: &str, source: &str) -> (Vec<Raw>, Option<Problem>) {
    let mut raws = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let mut start = 0;
    loop {
        match stream.next() {
            None => return (raws, None),
            Some(Ok(value)) => {
                let end = stream.byte_offset();
                let slice = text.get(start..end).unwrap_or("");
                let lead = slice.len() - slice.trim_start().len();
                let first_line = 1 + text[..start + lead].matches('\n').count();
                let positions = yaml::parse(Chunk {
                    text: slice.trim_start(),
                    first_line,
                })
                .ok()
                .flatten()
                .map(|doc| doc.positions)
                .unwrap_or_default();
                raws.push(Raw {
                    value,
                    positions,
                    first_line,
                });
                start = end;
            }
            Some(Err(err)) => return (raws, Some(syntax_problem(text, source, &err))),
        }
    }
}

/// encoding/json's words for serde_json's errors, with the byte offset Go
/// reports (`json: offset 42: invalid character '}' …`).
fn syntax_problem(text: &str, source: &str, err: &serde_json::Error) -> Problem {
    let spot = Spot {
        line: err.line().max(1),
        column: err.column().max(1),
    };
    let offset = byte_offset(text, spot);
    let found = text.as_bytes().get(offset).copied();
    let raw = err.to_string();
    let what = raw.split(" at line ").next().unwrap_or(&raw);
    let detail = match (what, found) {
        (_, None) => "unexpected EOF".to_string(),
        _ if err.is_eof() => "unexpected EOF".to_string(),
        ("expected `:`", Some(c)) => format!(
            "json: offset {}: invalid character {} after object key",
            offset + 1,
            quote_char(c)
        ),
        ("expected `,` or `}`", Some(c)) => {
            format!(
                "json: offset {}: invalid character {} after object key:value pair",
                offset + 1,
                quote_char(c)
            )
        }
        ("expected `,` or `]`", Some(c)) => format!(
            "json: offset {}: invalid character {} after array element",
            offset + 1,
            quote_char(c)
        ),
        ("key must be a string", Some(c)) | ("trailing comma", Some(c @ b'}')) => format!(
            "json: offset {}: invalid character {} looking for beginning of object key string",
            offset + 1,
            quote_char(c)
        ),
        (_, Some(c)) => format!(
            "json: offset {}: invalid character {} looking for beginning of value",
            offset + 1,
            quote_char(c)
        ),
    };
    let mut problem = Problem::client(format!("error parsing {source}: {detail}"), None);
    problem
        .diagnostics
        .push(Diagnostic::error(spot.line, spot.column, detail));
    problem
}

fn byte_offset(text: &str, spot: Spot) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(spot.line - 1)
        .map(str::len)
        .sum();
    let line = text.get(line_start..).unwrap_or("");
    line_start
        + line
            .chars()
            .take(spot.column - 1)
            .map(char::len_utf8)
            .sum::<usize>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> (String, usize, usize) {
        let (_, problem) = documents(text, "x.json");
        let problem = problem.unwrap();
        let marker = &problem.diagnostics[0];
        let super::super::Failure::Client(message) = problem.failure else {
            panic!("client error expected")
        };
        (message, marker.line, marker.column)
    }

    #[test]
    fn json_streams_and_errors() {
        let (raws, problem) = documents("{\"a\": 1}\n{\"b\":\n  [2]}", "x.json");
        assert!(problem.is_none());
        assert_eq!(raws.len(), 2);
        assert_eq!(
            raws[1].positions.value("b[0]"),
            Some(Spot { line: 3, column: 4 })
        );
        assert_eq!(
            error("{\"a\": 1,}"),
            ("error parsing x.json: json: offset 9: invalid character '}' looking for beginning of object key string".to_string(), 1, 9)
        );
        assert_eq!(
            error("{\"a\" 1}"),
            (
                "error parsing x.json: json: offset 6: invalid character '1' after object key"
                    .to_string(),
                1,
                6
            )
        );
        assert_eq!(
            error("{\"a\": [1}").0,
            "error parsing x.json: json: offset 9: invalid character '}' after array element"
        );
        assert_eq!(error("{\"a\": 1").0, "error parsing x.json: unexpected EOF");
    }
}
