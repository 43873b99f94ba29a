//! `kpisim stress`: the baseline and each stress case on common random
//! numbers.

use super::{emit, note_precision, sim};
use crate::analysis::stress_report;
use crate::error::Result;
use crate::export::render;
use crate::options::StressOptions;

/// Runs `kpisim stress`.
pub fn stress(opts: &StressOptions) -> Result<()> {
    let loaded = super::load(&opts.scenario)?;
    let cases = if opts.cases.is_empty() {
        loaded.cases.len()
    } else {
        opts.cases.len()
    };
    let report = stress_report(&loaded, &opts.cases, sim(&opts.sim, cases as u64 + 1))?;
    note_precision(&report.header);
    emit(
        &opts.out,
        &render(&report, opts.out.format, opts.out.as_of)?,
    )
}
