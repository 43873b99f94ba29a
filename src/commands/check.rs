//! `kpisim check`: validation only.

use std::path::PathBuf;

use super::load_all;
use crate::error::Result;

/// Validates every file; on success prints one line per file.
pub fn check(paths: &[PathBuf]) -> Result<()> {
    let loaded = load_all(paths)?;
    for l in &loaded {
        println!(
            "{}: ok ({}, {} months)",
            l.file, l.scenario.name, l.scenario.months
        );
    }
    Ok(())
}
