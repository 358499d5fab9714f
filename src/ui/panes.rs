//! How the page is divided among its panes, as the splitters left it:
//! remembered in localStorage, and handed to www/style.css as custom
//! properties (which the one-column layout of narrow screens ignores).

use super::storage;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Panes {
    /// The left column's (editor and inspector) share of the width.
    pub columns: f64,
    /// The editor's share of the left column's height.
    pub editor: f64,
    /// The upper terminal's share of the terminals' height.
    pub terminals: f64,
}

impl Default for Panes {
    fn default() -> Panes {
        Panes {
            columns: 0.42,
            editor: 0.52,
            terminals: 0.5,
        }
    }
}

impl Panes {
    /// The remembered division, or the default one when none (or nonsense) was saved.
    pub fn load() -> Panes {
        storage::load_preference(storage::PANES_KEY)
            .and_then(|saved| Panes::parse(&saved))
            .unwrap_or_default()
    }

    pub fn save(&self) {
        let text = format!(
            "{:.4},{:.4},{:.4}",
            self.columns, self.editor, self.terminals
        );
        storage::save_preference(storage::PANES_KEY, &text);
    }

    fn parse(saved: &str) -> Option<Panes> {
        let shares: Vec<f64> = saved
            .split(',')
            .map(|s| {
                s.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| (0.0..=1.0).contains(v))
            })
            .collect::<Option<_>>()?;
        match shares[..] {
            [columns, editor, terminals] => Some(Panes {
                columns,
                editor,
                terminals,
            }),
            _ => None,
        }
    }

    /// The grid's tracks as `fr` weights (see `.main` in www/style.css).
    pub fn main_style(&self) -> String {
        format!(
            "--cols-a: {}fr; --cols-b: {}fr; --rows-a: {}fr; --rows-b: {}fr",
            weight(self.columns),
            weight(1.0 - self.columns),
            weight(self.editor),
            weight(1.0 - self.editor),
        )
    }

    pub fn terminals_style(&self) -> String {
        format!(
            "--term-a: {}; --term-b: {}",
            weight(self.terminals),
            weight(1.0 - self.terminals)
        )
    }
}

/// A share as a whole-number weight (CSS wants no exponent notation).
fn weight(share: f64) -> u32 {
    (share.clamp(0.0, 1.0) * 1000.0).round() as u32
}
