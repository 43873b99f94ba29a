//! `kpisim run`: the Monte Carlo forecast, or `--point`, the plan.

use super::{load_all, note_precision, sim};
use crate::aggregate::PointReport;
use crate::analysis::simulate;
use crate::error::Result;
use crate::export::reports::Batch;
use crate::export::{render, write_trials};
use crate::options::RunOptions;
use crate::output::Outputs;

/// Runs `kpisim run`. The report and `--trials-out` are staged and
/// committed together: both appear, or neither.
pub fn run(opts: &RunOptions) -> Result<()> {
    let loaded = load_all(&opts.scenarios)?;
    if let Some(shard) = &opts.shard {
        return super::shard::run_shard(&loaded[0], &opts.sim, shard);
    }
    let mut outputs = Outputs::new();
    if opts.point {
        let plans = Batch(loaded.iter().map(PointReport::new).collect());
        outputs.stage_bytes(
            opts.out.target.as_ref(),
            &render(&plans, opts.out.format, opts.out.as_of)?,
        )?;
        return Ok(outputs.commit()?);
    }
    let mut sim = sim(&opts.sim, loaded.len() as u64).with_paths();
    sim.cfg.keep_trials = opts.trials_out.is_some();
    sim.cfg.keep_monthly = opts.trials_monthly;
    let mut summaries = Vec::with_capacity(loaded.len());
    for l in &loaded {
        let run = simulate(l, &sim)?;
        note_precision(&run.summary.header);
        if let (Some((target, format)), Some(table)) = (&opts.trials_out, run.table) {
            outputs.stage(Some(target), |w| -> Result<()> {
                Ok(write_trials(w, table, &run.summary.header, *format)?)
            })?;
        }
        summaries.push(run.summary);
    }
    let runs = Batch(summaries);
    outputs.stage_bytes(
        opts.out.target.as_ref(),
        &render(&runs, opts.out.format, opts.out.as_of)?,
    )?;
    Ok(outputs.commit()?)
}
