//! `kpisim sensitivity`: which assumption matters most.

use super::{emit, note_precision, sim};
use crate::analysis::sensitivity_report;
use crate::error::Result;
use crate::export::render;
use crate::options::SensitivityOptions;

/// Runs `kpisim sensitivity`.
pub fn sensitivity(opts: &SensitivityOptions) -> Result<()> {
    let loaded = super::load(&opts.scenario)?;
    let runs = 1 + 2 * loaded.scenario.inputs().len() as u64;
    let report = sensitivity_report(&loaded, sim(&opts.sim, runs))?;
    note_precision(&report.header);
    emit(
        &opts.out,
        &render(&report, opts.out.format, opts.out.as_of)?,
    )
}
