//! `kpisim check`: validation only.

use std::path::PathBuf;

use super::{emit, load_all};
use crate::error::Result;

/// Validates every file; on success prints one line per file.
pub fn check(paths: &[PathBuf]) -> Result<()> {
    let loaded = load_all(paths)?;
    let text: String = loaded
        .iter()
        .map(|l| {
            format!(
                "{}: ok ({}, {} months)\n",
                l.file, l.scenario.name, l.scenario.months
            )
        })
        .collect();
    emit(None, &text)
}
