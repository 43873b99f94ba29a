//! `kpisim track`: the year re-forecast from its actual months.

use super::{emit, note_precision, sim};
use crate::analysis::track_report;
use crate::error::Result;
use crate::export::render;
use crate::options::TrackOptions;

/// Runs `kpisim track`.
pub fn track(opts: &TrackOptions) -> Result<()> {
    let loaded = super::load(&opts.scenario)?;
    let report = track_report(&loaded, &opts.actuals, sim(&opts.sim, 2))?;
    note_precision(&report.header);
    emit(
        &opts.out,
        &render(&report, opts.out.format, opts.out.as_of)?,
    )
}
