//! `kpisim explain`: what the years that miss share.

use super::{emit, note_precision, sim};
use crate::analysis::explain_report;
use crate::error::Result;
use crate::export::render;
use crate::options::ExplainOptions;

/// Runs `kpisim explain`.
pub fn explain(opts: &ExplainOptions) -> Result<()> {
    let loaded = super::load(&opts.scenario)?;
    let report = explain_report(&loaded, sim(&opts.sim, 1), opts.target, opts.ask)?;
    note_precision(&report.header);
    emit(
        &opts.out,
        &render(&report, opts.out.format, opts.out.as_of)?,
    )
}
