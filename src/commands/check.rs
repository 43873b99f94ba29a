//! `kpisim check`: validation only, and what each stress case changes, so
//! that an override with an unintended meaning (a fixed ARPU of 0.7 where a
//! multiplier was meant) stands out before any run.

use std::fmt::Write;
use std::path::PathBuf;

use super::{emit, load_all};
use crate::error::Result;
use crate::options::OutputOptions;
use crate::scenario::describe_case;

/// Validates every file; on success prints one line per file, then each
/// stress case's changes.
pub fn check(paths: &[PathBuf]) -> Result<()> {
    let out = OutputOptions::text()?;
    let loaded = load_all(paths)?;
    let mut text = String::new();
    for l in &loaded {
        let s = &l.scenario;
        let _ = writeln!(
            text,
            "{}: ok ({}, {} months, {} segment{}, {} stress case{})",
            l.file,
            s.name,
            s.months,
            s.segments.len(),
            if s.segments.len() == 1 { "" } else { "s" },
            s.stress.len(),
            if s.stress.len() == 1 { "" } else { "s" },
        );
        for (i, case) in s.stress.iter().enumerate() {
            let _ = writeln!(text, "  stress case {:?}:", case.name);
            for change in describe_case(l, i) {
                let _ = writeln!(text, "    {change}");
            }
        }
    }
    emit(&out, crate::present::printable(&text).as_bytes())
}
