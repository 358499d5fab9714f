//! `kubectl get --watch`: the initial list, then one row per change read
//! from the store's change log, through one table writer whose column
//! widths only grow.

use super::args::Parsed;
use super::get::{header_row, object_row, Format, Query};
use super::table::TableWriter;
use crate::sim::store::EventType;
use crate::sim::Cluster;

#[derive(Clone, Debug)]
pub struct Watch {
    query: Query,
    format: Format,
    writer: TableWriter,
    header_pending: bool,
    show_events: bool,
    parsed: Parsed,
    cursor: usize,
}

impl Watch {
    pub fn new(query: Query, format: Format, parsed: &Parsed, cluster: &Cluster) -> Watch {
        Watch {
            query,
            format,
            writer: TableWriter::default(),
            header_pending: !parsed.bool("no-headers"),
            show_events: parsed.bool("output-watch-events"),
            parsed: parsed.clone(),
            cursor: cluster.store().log().len(),
        }
    }

    fn wide(&self) -> bool {
        matches!(self.format, Format::Table { wide: true })
    }

    /// Renders rows, putting the header in front of the first one.
    fn render(&mut self, rows: Vec<(EventType, Vec<String>)>) -> String {
        if rows.is_empty() {
            return String::new();
        }
        let mut table = Vec::new();
        if self.header_pending {
            let mut header = header_row(self.query.kind, self.wide(), &self.parsed);
            if self.show_events {
                header.insert(0, "EVENT".to_string());
            }
            table.push(header);
            self.header_pending = false;
        }
        for (ty, mut row) in rows {
            if self.show_events {
                row.insert(0, ty.as_str().to_string());
            }
            table.push(row);
        }
        self.writer.render(&table)
    }

    fn line(&self, object: &crate::sim::Object, now: u64) -> Vec<String> {
        match self.format {
            Format::Name => vec![format!(
                "{}/{}",
                object.kind().qualified_singular(),
                object.name()
            )],
            _ => object_row(object, now, self.wide(), false, &self.parsed),
        }
    }

    /// The objects that exist now, as the watch's first lines.
    pub fn initial(&mut self, cluster: &Cluster) -> String {
        let now = cluster.now();
        let rows = self
            .query
            .list(cluster)
            .iter()
            .map(|o| (EventType::Added, self.line(o, now)))
            .collect();
        self.render(rows)
    }

    /// Rows for every change since the last poll. AGE is computed at the
    /// virtual time of each change, as kubectl prints when the event arrives.
    pub fn poll(&mut self, cluster: &Cluster) -> String {
        let log = cluster.store().log();
        let events = &log[self.cursor.min(log.len())..];
        self.cursor = log.len();
        let rows = events
            .iter()
            .filter(|e| self.query.matches(&e.object))
            .map(|e| (e.ty, self.line(&e.object, e.at)))
            .collect();
        self.render(rows)
    }
}
