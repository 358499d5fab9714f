//! `kubectl get --watch`: the initial list, then one row (or object) per
//! change read from the store's change log. Tables go through one table
//! writer whose column widths only grow; other formats through one
//! printer, so YAML documents get their `---` separators.

use super::args::Parsed;
use super::formats::{Format, Printer};
use super::get::{header_row, object_row, Columns, Query};
use super::table::TableWriter;
use crate::sim::store::EventType;
use crate::sim::{Cluster, Object};

#[derive(Clone, Debug)]
pub struct Watch {
    query: Query,
    wide: Option<bool>,
    printer: Printer,
    writer: TableWriter,
    header_pending: bool,
    show_events: bool,
    parsed: Parsed,
    /// The resourceVersion the watch has seen.
    cursor: u64,
    /// Why the watch ended, once the store compacted changes it had not read.
    ended: Option<String>,
}

impl Watch {
    pub fn new(query: Query, format: Format, parsed: &Parsed, cluster: &Cluster) -> Watch {
        let wide = match format {
            Format::Table { wide } => Some(wide),
            _ => None,
        };
        Watch {
            query,
            wide,
            printer: Printer::new(format, parsed.bool("no-headers")),
            writer: TableWriter::default(),
            header_pending: !parsed.bool("no-headers"),
            show_events: parsed.bool("output-watch-events"),
            parsed: parsed.clone(),
            cursor: cluster.store().resource_version(),
            ended: None,
        }
    }

    fn columns(&self, wide: bool) -> Columns<'_> {
        Columns {
            kind: self.query.kind,
            wide,
            prefix: false,
            namespace: self.query.namespace.is_none() && self.query.kind.namespaced(),
            parsed: &self.parsed,
        }
    }

    /// Prints changes as table rows (the header in front of the first) or
    /// through the generic printer. kubectl flushes its table writer once
    /// after the initial list and once after every event, so a row is
    /// padded to the widths known when it is printed (`one_flush`).
    fn render(
        &mut self,
        changes: Vec<(EventType, &Object, u64)>,
        one_flush: bool,
    ) -> Result<String, String> {
        let Some(wide) = self.wide else {
            let mut text = String::new();
            for (ty, object, _) in changes {
                let event = self.show_events.then_some(ty);
                text.push_str(&self.printer.print(&object.to_json(), event)?);
            }
            return Ok(text);
        };
        let mut rows = Vec::new();
        for (ty, object, at) in changes {
            let mut row = object_row(&self.columns(wide), object, at);
            if self.show_events {
                // kubectl pads the event type to eight characters (`ADDED   `).
                row.insert(0, format!("{:<8}", ty.as_str()));
            }
            rows.push(row);
        }
        let mut text = String::new();
        if one_flush {
            text.push_str(&self.flush(rows));
        } else {
            for row in rows {
                text.push_str(&self.flush(vec![row]));
            }
        }
        Ok(text)
    }

    /// Lays out rows through the one table writer, the header first if it is still due.
    fn flush(&mut self, rows: Vec<Vec<String>>) -> String {
        if rows.is_empty() {
            return String::new();
        }
        let mut table = Vec::new();
        if self.header_pending {
            let mut header = header_row(&self.columns(self.wide.unwrap_or(false)));
            if self.show_events {
                header.insert(0, "EVENT".to_string());
            }
            table.push(header);
            self.header_pending = false;
        }
        table.extend(rows);
        self.writer.render(&table)
    }

    /// The objects that exist now, as the watch's first lines.
    pub fn initial(&mut self, cluster: &Cluster) -> Result<String, String> {
        let now = cluster.now();
        let objects = self.query.list(cluster);
        self.render(
            objects
                .iter()
                .map(|o| (EventType::Added, o.as_ref(), now))
                .collect(),
            true,
        )
    }

    /// Rows for every change since the last poll. AGE is computed at the
    /// virtual time of each change, as kubectl prints when the event arrives.
    pub fn poll(&mut self, cluster: &Cluster) -> String {
        if self.ended.is_some() {
            return String::new();
        }
        let events = match cluster.store().changes_since(self.cursor) {
            Ok(events) => events,
            Err(expired) => {
                self.ended = Some(format!(
                    "stsplay: the watch fell so far behind that the store compacted the changes it had not read ({}); kubectl get --watch does not relist, so it ends here as it would on a real cluster. Run it again to go on.",
                    expired.message()
                ));
                return String::new();
            }
        };
        self.cursor = cluster.store().resource_version();
        let changes = events
            .iter()
            .filter(|e| self.query.matches(&e.object))
            .map(|e| (e.ty, e.object.as_ref(), e.at))
            .collect();
        self.render(changes, false)
            .unwrap_or_else(|err| format!("error: {err}\n"))
    }

    /// Set once the watch has ended on its own (410 Gone): what to tell the user.
    pub fn ended(&self) -> Option<&str> {
        self.ended.as_deref()
    }
}
