//! `kpisim kpis`: the department KPI sheet.

use super::{emit, note_precision, sim};
use crate::analysis::kpi_report;
use crate::error::Result;
use crate::export::render;
use crate::options::KpisOptions;

/// Runs `kpisim kpis`.
pub fn kpis(opts: &KpisOptions) -> Result<()> {
    let loaded = super::load(&opts.scenario)?;
    let report = kpi_report(&loaded, opts.confidence, sim(&opts.sim, 1))?;
    note_precision(&report.header);
    emit(
        &opts.out,
        &render(&report, opts.out.format, opts.out.as_of)?,
    )
}
