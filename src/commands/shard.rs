//! `kpisim run --shard K/M --state-out PART` and `kpisim merge PART...`:
//! one run split over machines (by a batch scheduler's job array), and its
//! parts merged into exactly the one-machine run's report.

use super::{emit, engine_config};
use crate::analysis;
use crate::engine::Config;
use crate::error::Result;
use crate::export::render;
use crate::export::reports::Batch;
use crate::options::{MergeOptions, ShardOut, SimOptions};
use crate::output::Outputs;
use crate::scenario::Loaded;
use crate::shard_state;

/// Simulates shard `shard.share` of the run of `l` that `sim` describes
/// and writes its part, whole or not at all.
pub fn run_shard(l: &Loaded, sim: &SimOptions, shard: &ShardOut) -> Result<()> {
    let trials = shard.share.trials(sim.trials);
    // The progress bar counts the shard's own trials.
    let shown = SimOptions {
        trials: trials.end - trials.start,
        ..sim.clone()
    };
    let cfg = Config {
        trials: sim.trials,
        ..engine_config(&shown, 1)
    };
    let part = analysis::shard(l, &cfg, shard.share)?;
    let mut outputs = Outputs::new();
    outputs.stage_bytes(Some(&shard.target), &part)?;
    Ok(outputs.commit()?)
}

/// Runs `kpisim merge`.
pub fn merge(opts: &MergeOptions) -> Result<()> {
    let parts = opts
        .parts
        .iter()
        .map(|p| shard_state::read(p))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let run = analysis::merge(parts)?;
    emit(
        &opts.out,
        &render(&Batch(vec![run.summary]), opts.out.format, opts.out.as_of)?,
    )
}
