//! Helpers the unit tests share.

/// Owned strings, as argument lists and table rows hold them.
pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}
