//! `kpisim report`: the HTML risk report, and its charts as SVG files.

use super::{note_precision, sim};
use crate::analysis::{risk_report, risk_runs};
use crate::error::Result;
use crate::export::html::charts;
use crate::export::render;
use crate::options::ReportOptions;
use crate::output::Outputs;

/// Runs `kpisim report`: the page and, with `--charts`, each chart's SVG,
/// all written or none.
pub fn report(opts: &ReportOptions) -> Result<()> {
    let l = super::load(&opts.scenario)?;
    let r = risk_report(&l, sim(&opts.sim, risk_runs(&l)))?;
    note_precision(&r.summary.header);
    let charts = charts::all(&r)?;
    let mut outputs = Outputs::new();
    outputs.stage_bytes(Some(&opts.output), &render(&r, opts.format, opts.as_of)?)?;
    for (target, chart) in opts.charts.iter().zip(&charts) {
        outputs.stage_text(Some(target), &chart.svg)?;
    }
    Ok(outputs.commit()?)
}
