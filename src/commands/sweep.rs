//! `kpisim sweep`: one input moved across a range on the same draws.

use super::{emit, note_precision, sim};
use crate::analysis::sweep_report;
use crate::error::Result;
use crate::export::render;
use crate::options::SweepOptions;

/// Runs `kpisim sweep`.
pub fn sweep(opts: &SweepOptions) -> Result<()> {
    let loaded = super::load(&opts.scenario)?;
    let report = sweep_report(
        &loaded,
        &opts.path,
        &opts.values,
        &opts.levels,
        sim(&opts.sim, opts.values.len() as u64),
    )?;
    note_precision(&report.header);
    emit(
        &opts.out,
        &render(&report, opts.out.format, opts.out.as_of)?,
    )
}
