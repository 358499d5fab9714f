//! Go's `text/tabwriter` with padding by spaces and no flags, the layout
//! engine behind `kubectl describe` and `rollout history`. Unlike the table
//! writer of `get`, widths are computed per *column block*: a run of
//! consecutive lines that all have a tab-terminated cell in that column.
//! A line with fewer cells ends the block, so `Key:\tvalue` lines are only
//! aligned with their neighbours.

/// Lays out `text` (cells separated by `\t`, lines by `\n`) as Go's
/// tabwriter does on Flush with the given minimum cell width and padding.
pub fn format(text: &str, min_width: usize, padding: usize) -> String {
    let lines: Vec<Vec<&str>> = text
        .split('\n')
        .map(|line| line.split('\t').collect())
        .collect();
    let mut layout = Layout {
        lines: &lines,
        min_width,
        padding,
        widths: Vec::new(),
        out: String::new(),
    };
    layout.column(0, lines.len());
    layout.out
}

struct Layout<'a> {
    lines: &'a [Vec<&'a str>],
    min_width: usize,
    padding: usize,
    /// Widths of the columns to the left of the one being laid out.
    widths: Vec<usize>,
    out: String,
}

fn width(cell: &str) -> usize {
    cell.chars().count()
}

impl Layout<'_> {
    /// Lays out lines `from..to`, finding the blocks of the next column.
    fn column(&mut self, from: usize, to: usize) {
        let column = self.widths.len();
        let mut start = from;
        let mut this = from;
        while this < to {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            // A block of this column begins: print the lines before it.
            self.write_lines(start, this);
            start = this;
            let mut cell_width = self.min_width;
            while this < to && column + 1 < self.lines[this].len() {
                cell_width = cell_width.max(width(self.lines[this][column]) + self.padding);
                this += 1;
            }
            self.widths.push(cell_width);
            self.column(start, this);
            self.widths.pop();
            start = this;
        }
        self.write_lines(start, to);
    }

    fn write_lines(&mut self, from: usize, to: usize) {
        for index in from..to {
            let line = &self.lines[index];
            for (j, cell) in line.iter().enumerate() {
                self.out.push_str(cell);
                if let Some(w) = self.widths.get(j) {
                    self.out
                        .extend(std::iter::repeat_n(' ', w.saturating_sub(width(cell))));
                }
            }
            // The text after the last newline is an unterminated line.
            if index + 1 < self.lines.len() {
                self.out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn aligns_each_block_of_key_value_lines() {
        let text = "Name:\tweb-0\nNamespace:\tdefault\nContainers:\n  nginx:\n    Image:\tnginx\n    Port:\t80/TCP\n";
        assert_eq!(
            format(text, 0, 2),
            "Name:       web-0\nNamespace:  default\nContainers:\n  nginx:\n    Image:  nginx\n    Port:   80/TCP\n"
        );
    }

    #[test]
    fn continuation_lines_have_an_empty_first_cell() {
        let text = "Labels:\tapp=nginx\n\tapps.kubernetes.io/pod-index=0\nAnnotations:\t<none>\n";
        assert_eq!(
            format(text, 0, 2),
            "Labels:       app=nginx\n              apps.kubernetes.io/pod-index=0\nAnnotations:  <none>\n"
        );
    }

    #[test]
    fn inner_columns_only_span_lines_that_have_them() {
        let text = "Port:\tweb\t80/TCP\nTargetPort:\t80/TCP\nEndpoints:\t\n";
        assert_eq!(
            format(text, 0, 2),
            "Port:        web  80/TCP\nTargetPort:  80/TCP\nEndpoints:   \n"
        );
    }

    #[test]
    fn empty_cells_are_padded_and_last_cells_are_not() {
        assert_eq!(
            format("  Type\tStatus\n  Ready \tTrue \n", 0, 2),
            "  Type    Status\n  Ready   True \n"
        );
        assert_eq!(format("a\tb", 0, 2), "a  b");
    }
}
