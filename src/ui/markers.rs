//! The editor's problem markers: what `kubectl apply` would report about a
//! file (see [`diagnose_file`]), grouped by line. They are checked a moment after
//! typing stops, and at once when the file is applied or opened.

use std::collections::BTreeMap;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::kubectl::manifest::{diagnose_file, Diagnostic, Severity};

/// How long typing must pause before the file is checked again.
const DEBOUNCE_MS: u32 = 300;

/// One marked line: the worst severity on it and every message, in column order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineMark {
    pub severity: Severity,
    pub messages: Vec<String>,
}

impl LineMark {
    /// What hovering the line shows.
    pub fn title(&self) -> String {
        self.messages.join("\n")
    }

    pub fn class(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The markers of one file: by line, plus the first problem for the status line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    pub lines: BTreeMap<usize, LineMark>,
    pub first: Option<Diagnostic>,
    pub count: usize,
    /// Checked because the file was applied: the editor then shows the first problem.
    pub applied: bool,
}

impl Marks {
    pub fn of(diagnostics: Vec<Diagnostic>, applied: bool) -> Marks {
        let mut lines: BTreeMap<usize, LineMark> = BTreeMap::new();
        for d in &diagnostics {
            let mark = lines.entry(d.line).or_insert(LineMark {
                severity: d.severity,
                messages: Vec::new(),
            });
            if d.severity == Severity::Error {
                mark.severity = Severity::Error;
            }
            mark.messages.push(d.message.clone());
        }
        // Errors first: they are what stops Apply.
        let first = diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .or(diagnostics.first())
            .cloned();
        Marks {
            count: diagnostics.len(),
            lines,
            first,
            applied,
        }
    }
}

/// The markers of `text`, rechecked [`DEBOUNCE_MS`] after it last changed,
/// or at once when `file` or `checks` (bumped by Apply) changes.
#[hook]
pub fn use_marks(file: &str, text: &str, checks: u32) -> Rc<Marks> {
    let marks = use_state_eq(|| Rc::new(Marks::of(diagnose_file(text, file), false)));
    let last_target = use_mut_ref(|| (file.to_string(), checks));
    {
        let marks = marks.clone();
        let deps = (file.to_string(), text.to_string(), checks);
        use_effect_with(deps, move |(file, text, checks)| {
            let target = (file.clone(), *checks);
            let now = *last_target.borrow() != target;
            *last_target.borrow_mut() = target;
            let text = text.clone();
            let file = file.clone();
            let applied = *checks != 0;
            let check = move |now: bool| {
                marks.set(Rc::new(Marks::of(
                    diagnose_file(&text, &file),
                    now && applied,
                )))
            };
            let timer = if now {
                check(true);
                None
            } else {
                Some(Timeout::new(DEBOUNCE_MS, move || check(false)))
            };
            // A newer edit cancels the pending check.
            move || drop(timer)
        });
    }
    (*marks).clone()
}
