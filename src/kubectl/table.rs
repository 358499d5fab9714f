//! kubectl's table layout: a tabwriter with minimum width 6 and padding 3,
//! whose column widths are remembered across flushes and only grow (which
//! is what keeps `--watch` output aligned). The last column is not padded.

#[derive(Clone, Debug, Default)]
pub struct TableWriter {
    widths: Vec<usize>,
}

const MIN_WIDTH: usize = 6;
const PADDING: usize = 3;

impl TableWriter {
    /// Lays out rows, widening remembered columns as needed. Cells with line
    /// breaks are cut there and marked with `...`, as kubectl does.
    pub fn render(&mut self, rows: &[Vec<String>]) -> String {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| clean(c)).collect())
            .collect();
        for row in &rows {
            for (i, cell) in row.iter().enumerate().take(row.len().saturating_sub(1)) {
                let want = (cell.chars().count() + PADDING).max(MIN_WIDTH);
                if self.widths.len() <= i {
                    self.widths.push(want);
                } else if self.widths[i] < want {
                    self.widths[i] = want;
                }
            }
        }
        let mut out = String::new();
        for row in &rows {
            for (i, cell) in row.iter().enumerate() {
                out.push_str(cell);
                if i + 1 < row.len() {
                    let pad = self.widths[i].saturating_sub(cell.chars().count());
                    out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push('\n');
        }
        out
    }
}

fn clean(cell: &str) -> String {
    match cell.find(['\n', '\r', '\x0c']) {
        Some(at) => format!("{}...", &cell[..at]),
        None => cell.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::strings;

    #[test]
    fn pods_table_matches_kubectl() {
        let mut t = TableWriter::default();
        let out = t.render(&[
            strings(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"]),
            strings(&["web-0", "1/1", "Running", "0", "10s"]),
        ]);
        assert_eq!(
            out,
            "NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          10s\n"
        );
    }

    #[test]
    fn widths_are_remembered_and_only_grow() {
        let mut t = TableWriter::default();
        t.render(&[
            strings(&["NAME", "STATUS", "AGE"]),
            strings(&["web-0", "ContainerCreating", "0s"]),
        ]);
        let later = t.render(&[strings(&["web-0", "Running", "1s"])]);
        assert_eq!(later, "web-0   Running             1s\n");
    }

    #[test]
    fn multi_line_cells_are_cut() {
        let mut t = TableWriter::default();
        assert_eq!(t.render(&[strings(&["a\nb", "x"])]), "a...   x\n");
    }
}
