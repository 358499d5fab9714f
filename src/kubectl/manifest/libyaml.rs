//! A safe event reader over unsafe-libyaml, the line-for-line Rust port of
//! the C libyaml that Go's yaml.v2 also ports (and that serde_yaml uses).
//! Following the C library keeps kubectl's error words, and its years of
//! fuzzing: the safe rewrite we used before still had panics on malformed
//! input, and a panic in the browser aborts the page.

use std::ffi::CStr;
use std::mem::MaybeUninit;

use unsafe_libyaml as unsafe_sys;

/// A position in the input, 0-based as libyaml counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    Plain,
    Quoted,
    Block,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    Alias {
        anchor: String,
    },
    Scalar {
        anchor: Option<String>,
        tag: Option<String>,
        value: String,
        style: ScalarStyle,
    },
    SequenceStart {
        anchor: Option<String>,
    },
    SequenceEnd,
    MappingStart {
        anchor: Option<String>,
    },
    MappingEnd,
}

/// libyaml's error: its problem text and marks, and whether the scanner
/// (rather than the parser) found it, which decides yaml.v2's line number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub from_scanner: bool,
    pub problem: String,
    pub problem_mark: Mark,
    pub context_mark: Mark,
}

/// Reads the events of one input. After an error it keeps returning it.
pub struct Reader<'input> {
    // libyaml points into the parser itself (its read handler's data), so
    // the parser lives on the heap and never moves.
    parser: Box<MaybeUninit<unsafe_sys::yaml_parser_t>>,
    error: Option<Error>,
    _input: std::marker::PhantomData<&'input [u8]>,
}

impl<'input> Reader<'input> {
    pub fn new(input: &'input str) -> Self {
        let mut parser = Box::new(MaybeUninit::<unsafe_sys::yaml_parser_t>::uninit());
        // SAFETY: initialize fills the whole struct (it only fails on
        // allocation failure, which aborts in Rust); the input outlives the
        // reader through the 'input lifetime, as set_input_string requires.
        unsafe {
            let raw = parser.as_mut_ptr();
            let initialized = unsafe_sys::yaml_parser_initialize(raw);
            debug_assert!(initialized.ok);
            unsafe_sys::yaml_parser_set_input_string(raw, input.as_ptr(), input.len() as u64);
        }
        Reader {
            parser,
            error: None,
            _input: std::marker::PhantomData,
        }
    }

    /// The next event and where it starts.
    pub fn next(&mut self) -> Result<(Event, Mark), Error> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let mut raw = MaybeUninit::<unsafe_sys::yaml_event_t>::uninit();
        // SAFETY: the parser was initialized in new(); on success the event
        // is initialized and is deleted right after it is copied.
        unsafe {
            let parser = self.parser.as_mut_ptr();
            if unsafe_sys::yaml_parser_parse(parser, raw.as_mut_ptr()).fail {
                let error = read_error(&*parser);
                self.error = Some(error.clone());
                return Err(error);
            }
            let event = raw.as_mut_ptr();
            let read = (convert(&*event), mark((*event).start_mark));
            unsafe_sys::yaml_event_delete(event);
            Ok(read)
        }
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        // SAFETY: initialized in new() and deleted only here.
        unsafe { unsafe_sys::yaml_parser_delete(self.parser.as_mut_ptr()) }
    }
}

fn mark(mark: unsafe_sys::yaml_mark_t) -> Mark {
    Mark {
        line: mark.line as usize,
        column: mark.column as usize,
    }
}

/// SAFETY: `text` is null or a NUL-terminated string owned by libyaml.
unsafe fn text(text: *const u8) -> Option<String> {
    if text.is_null() {
        return None;
    }
    Some(CStr::from_ptr(text.cast()).to_string_lossy().into_owned())
}

/// SAFETY: `event` was filled by a successful yaml_parser_parse.
unsafe fn convert(event: &unsafe_sys::yaml_event_t) -> Event {
    match event.type_ {
        unsafe_sys::YAML_STREAM_START_EVENT => Event::StreamStart,
        unsafe_sys::YAML_STREAM_END_EVENT => Event::StreamEnd,
        unsafe_sys::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
        unsafe_sys::YAML_DOCUMENT_END_EVENT => Event::DocumentEnd,
        unsafe_sys::YAML_ALIAS_EVENT => Event::Alias {
            anchor: text(event.data.alias.anchor).unwrap_or_default(),
        },
        unsafe_sys::YAML_SCALAR_EVENT => {
            let scalar = &event.data.scalar;
            let bytes = std::slice::from_raw_parts(scalar.value, scalar.length as usize);
            Event::Scalar {
                anchor: text(scalar.anchor),
                tag: text(scalar.tag),
                value: String::from_utf8_lossy(bytes).into_owned(),
                style: match scalar.style {
                    unsafe_sys::YAML_PLAIN_SCALAR_STYLE => ScalarStyle::Plain,
                    unsafe_sys::YAML_LITERAL_SCALAR_STYLE
                    | unsafe_sys::YAML_FOLDED_SCALAR_STYLE => ScalarStyle::Block,
                    _ => ScalarStyle::Quoted,
                },
            }
        }
        unsafe_sys::YAML_SEQUENCE_START_EVENT => Event::SequenceStart {
            anchor: text(event.data.sequence_start.anchor),
        },
        unsafe_sys::YAML_SEQUENCE_END_EVENT => Event::SequenceEnd,
        unsafe_sys::YAML_MAPPING_START_EVENT => Event::MappingStart {
            anchor: text(event.data.mapping_start.anchor),
        },
        // YAML_MAPPING_END_EVENT; libyaml never returns YAML_NO_EVENT on success.
        _ => Event::MappingEnd,
    }
}

/// SAFETY: `parser` is initialized and its last parse failed.
unsafe fn read_error(parser: &unsafe_sys::yaml_parser_t) -> Error {
    Error {
        from_scanner: parser.error == unsafe_sys::YAML_SCANNER_ERROR,
        problem: text(parser.problem.cast()).unwrap_or_else(|| "unknown problem".into()),
        problem_mark: mark(parser.problem_mark),
        context_mark: mark(parser.context_mark),
    }
}

#[cfg(test)]
mod tests {
    use super::{Event, Reader, ScalarStyle};

    fn events(input: &str) -> Result<Vec<Event>, super::Error> {
        let mut reader = Reader::new(input);
        let mut events = Vec::new();
        loop {
            let (event, _) = reader.next()?;
            let end = event == Event::StreamEnd;
            events.push(event);
            if end {
                return Ok(events);
            }
        }
    }

    #[test]
    fn reads_scalars_with_styles_and_anchors() {
        let events = events("a: &x 'q'\nb: *x\nc: |\n  t\n").unwrap_or_default();
        assert!(events.contains(&Event::Scalar {
            anchor: Some("x".into()),
            tag: None,
            value: "q".into(),
            style: ScalarStyle::Quoted,
        }));
        assert!(events.contains(&Event::Alias { anchor: "x".into() }));
        assert!(events.contains(&Event::Scalar {
            anchor: None,
            tag: None,
            value: "t\n".into(),
            style: ScalarStyle::Block,
        }));
    }

    #[test]
    fn errors_carry_marks_and_repeat() {
        let mut reader = Reader::new("a: b: c\n");
        let first = loop {
            match reader.next() {
                Ok((Event::StreamEnd, _)) => panic!("expected an error"),
                Ok(_) => {}
                Err(error) => break error,
            }
        };
        assert_eq!(
            first.problem,
            "mapping values are not allowed in this context"
        );
        assert!(first.from_scanner);
        assert_eq!(first.problem_mark.line, 0);
        assert_eq!(reader.next(), Err(first));
    }

    #[test]
    fn inputs_that_crashed_the_safe_port_are_errors_or_events() {
        // Found by the apply fuzz target in libyaml-safer 0.3.0.
        for input in [
            "[[F,!,F",
            "['!,:+['!,:+",
            "?\n> \n\n> \n 7> 7provider^",
            ">\n { \" ",
        ] {
            let mut reader = Reader::new(input);
            for _ in 0..64 {
                match reader.next() {
                    Ok((Event::StreamEnd, _)) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        }
    }
}
