//! A unified diff of two texts, line by line, as GNU `diff -u` prints its
//! hunks (three lines of context, hunks closer than that joined, removals
//! before additions in a change).

const CONTEXT: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Same(usize, usize),
    Removed(usize),
    Added(usize),
}

/// The hunks of a unified diff from `old` to `new` (no file header); empty
/// when the texts are the same.
pub fn hunks(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let ops = edit_script(&a, &b);
    let changed: Vec<usize> = ops
        .iter()
        .enumerate()
        .filter(|(_, op)| !matches!(op, Op::Same(..)))
        .map(|(i, _)| i)
        .collect();
    let mut out = String::new();
    let mut start = 0;
    while start < changed.len() {
        // Changes whose context would touch belong to one hunk.
        let mut end = start;
        while end + 1 < changed.len() && changed[end + 1] - changed[end] <= 2 * CONTEXT + 1 {
            end += 1;
        }
        let from = changed[start].saturating_sub(CONTEXT);
        let to = (changed[end] + CONTEXT + 1).min(ops.len());
        hunk(&mut out, &ops[from..to], &a, &b, &ops[..from]);
        start = end + 1;
    }
    out
}

/// One `@@ -l,n +l,n @@` hunk; `before` are the operations ahead of it,
/// which say where it starts in each text.
fn hunk(out: &mut String, ops: &[Op], a: &[&str], b: &[&str], before: &[Op]) {
    let old_start = before
        .iter()
        .filter(|op| !matches!(op, Op::Added(_)))
        .count();
    let new_start = before
        .iter()
        .filter(|op| !matches!(op, Op::Removed(_)))
        .count();
    let old_len = ops.iter().filter(|op| !matches!(op, Op::Added(_))).count();
    let new_len = ops
        .iter()
        .filter(|op| !matches!(op, Op::Removed(_)))
        .count();
    out.push_str(&format!(
        "@@ -{} +{} @@\n",
        range(old_start, old_len),
        range(new_start, new_len)
    ));
    for op in ops {
        let (sign, line) = match *op {
            Op::Same(i, _) => (' ', a[i]),
            Op::Removed(i) => ('-', a[i]),
            Op::Added(j) => ('+', b[j]),
        };
        out.push(sign);
        out.push_str(line);
        out.push('\n');
    }
}

/// `start,len` with diff's conventions: 1-based, `,1` left out, and an
/// empty range named by the line before it.
fn range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    }
}

/// A shortest edit script by longest common subsequence.
fn edit_script(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len(), b.len());
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops = Vec::with_capacity(n + m);
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push(Op::Same(i, j));
            i += 1;
            j += 1;
        } else if j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(Op::Removed(i));
            i += 1;
        } else {
            ops.push(Op::Added(j));
            j += 1;
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_in_the_middle_has_three_lines_of_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            hunks(old, new),
            "@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
    }

    #[test]
    fn far_apart_changes_make_two_hunks_and_near_ones_one() {
        let old: String = (1..=20).map(|n| format!("{n}\n")).collect();
        let far = old.replace("2\n", "two\n").replace("19\n", "nineteen\n");
        let out = hunks(&old, &far);
        assert_eq!(out.matches("@@ -").count(), 2, "{out}");
        assert!(
            out.starts_with("@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n"),
            "{out}"
        );
        let near = old.replace("5\n", "five\n").replace("11\n", "eleven\n");
        assert_eq!(hunks(&old, &near).matches("@@ -").count(), 1);
    }

    #[test]
    fn a_new_file_is_all_additions_and_the_same_text_no_hunk() {
        assert_eq!(hunks("", "x\ny\n"), "@@ -0,0 +1,2 @@\n+x\n+y\n");
        assert_eq!(hunks("same\n", "same\n"), "");
        assert_eq!(hunks("a\n", ""), "@@ -1 +0,0 @@\n-a\n");
    }
}
