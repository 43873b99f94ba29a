//! `kpisim run`: the Monte Carlo forecast, or `--point`, the plan.

use super::load_all;
use super::simulate::{Sim, simulate_model};
use crate::aggregate::{PointReport, Summary, TrialTable};
use crate::engine;
use crate::error::Result;
use crate::export::{exporter, write_trials};
use crate::model::Model;
use crate::options::RunOptions;
use crate::output::Outputs;
use crate::scenario::{Loaded, Scenario};

/// Runs `kpisim run`. The report and `--trials-out` are staged and
/// committed together: both appear, or neither.
pub fn run(opts: &RunOptions) -> Result<()> {
    let loaded = load_all(&opts.scenarios)?;
    if let Some(shard) = &opts.shard {
        return super::shard::run_shard(&loaded[0], &opts.sim, shard);
    }
    let exp = exporter(opts.out.format);
    let mut outputs = Outputs::new();
    if opts.point {
        let plans: Vec<PointReport> = loaded.iter().map(PointReport::new).collect();
        outputs.stage_bytes(opts.out.target.as_ref(), &exp.point(&plans)?)?;
        return Ok(outputs.commit()?);
    }
    let mut sim = Sim::from_options(&opts.sim, loaded.len() as u64);
    sim.cfg.keep_trials = opts.trials_out.is_some();
    let mut summaries = Vec::with_capacity(loaded.len());
    for l in &loaded {
        let run = simulate(l, &sim)?;
        super::note_precision(&run.summary.header);
        if let (Some((target, format)), Some(table)) = (&opts.trials_out, run.table) {
            outputs.stage(Some(target), |w| -> Result<()> {
                Ok(write_trials(w, table, *format)?)
            })?;
        }
        summaries.push(run.summary);
    }
    outputs.stage_bytes(opts.out.target.as_ref(), &exp.run(&summaries)?)?;
    Ok(outputs.commit()?)
}

/// One simulated scenario.
#[derive(Debug)]
pub struct Simulated {
    /// Its summary.
    pub summary: Summary,
    /// Every trial's results, when `keep_trials`.
    pub table: Option<TrialTable>,
    /// Every trial's hit bits, when `keep_hits`.
    pub hits: Option<Vec<u8>>,
    /// What the engine accumulated.
    pub output: engine::Output,
}

/// Simulates one loaded scenario: its summary, and the per-trial table when
/// `keep_trials`.
pub fn simulate(l: &Loaded, sim: impl Into<Sim>) -> Result<Simulated> {
    simulate_scenario(&l.scenario, l, sim)
}

/// Simulates `scenario`, a variant of the loaded file `l` (itself, a
/// stress case, a sweep step).
pub fn simulate_scenario(
    scenario: &Scenario,
    l: &Loaded,
    sim: impl Into<Sim>,
) -> Result<Simulated> {
    simulate_model(&Model::compile(scenario), scenario, l, &sim.into())
}
