//! Table tests for reading manifests: one case per rule.
