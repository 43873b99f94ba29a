//! JSON: the serde form of a report, pretty-printed.

use serde::Serialize;

use super::{ExportError, Result};

/// The JSON value of `report`.
pub fn value<T: Serialize + ?Sized>(report: &T) -> Result<serde_json::Value> {
    serde_json::to_value(report).map_err(fail)
}

/// `value` as text, with a final line break.
pub fn text(value: &serde_json::Value) -> Result<String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(fail)
}

fn fail(e: serde_json::Error) -> ExportError {
    ExportError::Render(format!("cannot render JSON: {e}"))
}
