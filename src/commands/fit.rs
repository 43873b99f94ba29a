//! `kpisim fit`: a plan fitted to last year's months, written as a
//! scenario; with `--holdout K`, the backtest on the last K months.

use super::sim;
use crate::analysis::fit as fit_history;
use crate::error::Result;
use crate::export::render;
use crate::options::FitOptions;
use crate::output::Outputs;

/// Runs `kpisim fit`. The fitted scenario and the report are staged and
/// committed together.
pub fn fit(opts: &FitOptions) -> Result<()> {
    let plan = super::load(&opts.plan)?;
    let output = opts.fitted.path().display().to_string();
    let fitted = fit_history(
        &plan,
        &opts.history,
        &output,
        opts.choices,
        opts.holdout,
        &sim(&opts.sim, 1),
    )?;
    let mut outputs = Outputs::new();
    outputs.stage_text(Some(&opts.fitted), &fitted.text)?;
    outputs.stage_bytes(
        None,
        &render(&fitted.report, opts.out.format, opts.out.as_of)?,
    )?;
    Ok(outputs.commit()?)
}
