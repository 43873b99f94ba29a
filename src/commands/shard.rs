//! `kpisim run --shard K/M --state-out PART` and `kpisim merge PART...`:
//! one run split over machines (by a batch scheduler's job array), and
//! its shards' states merged into exactly the one-machine run's report.

use super::simulate::{Sim, summarise};
use super::{emit, engine_config};
use crate::engine::{self, Config};
use crate::error::Result;
use crate::export::exporter;
use crate::model::Model;
use crate::options::{MergeOptions, ShardOut, SimOptions};
use crate::output::Outputs;
use crate::scenario::{self, Loaded};
use crate::shard_state::{self, PartError, PartHeader};

/// Simulates shard `shard.share` of the run of `l` that `sim` describes
/// and writes its state, whole or not at all.
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
    let state = engine::run_shard(&Model::compile(&l.scenario), &cfg, shard.share)?;
    let header = PartHeader {
        kpisim: crate::VERSION.to_string(),
        scenario_sha256: l.sha256.clone(),
        file: l.file.clone(),
        scenario: l.bytes.clone(),
        seed: sim.seed,
        trials: sim.trials,
        sampling: shard_state::sampling_name(sim.sampling).to_string(),
        shard: shard.share.index,
        shards: shard.share.count,
    };
    let mut outputs = Outputs::new();
    outputs.stage_bytes(Some(&shard.target), &shard_state::encode(&header, &state))?;
    Ok(outputs.commit()?)
}

/// Runs `kpisim merge`.
pub fn merge(opts: &MergeOptions) -> Result<()> {
    let parts = opts
        .parts
        .iter()
        .map(|p| shard_state::read(p))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let parts = shard_state::of_one_run(parts)?;
    let first = &parts[0];
    let h = first.header.clone();
    let shape = |why: String| PartError::Shape {
        file: first.file.clone(),
        why,
    };
    let l = scenario::from_bytes(&h.file, &h.scenario)
        .map_err(|e| shape(format!("its scenario does not load ({e})")))?;
    if l.sha256 != h.scenario_sha256 {
        return Err(shape("its scenario does not match its hash".into()).into());
    }
    let model = Model::compile(&l.scenario);
    let sim = Sim {
        cfg: Config {
            sampling: h.sampling(),
            ..Config::new(h.trials, h.seed, 1)
        },
        precision: None,
    };
    let files: Vec<String> = parts.iter().map(|p| p.file.clone()).collect();
    let states = parts.into_iter().map(|p| p.state).collect();
    let output = engine::merge_shards(&model, &sim.cfg, states).map_err(|e| {
        let file = match e {
            engine::ShardMismatch::Gap { shard, .. } | engine::ShardMismatch::Shape { shard } => {
                files[shard].clone()
            }
            engine::ShardMismatch::Short { .. } => files[0].clone(),
        };
        PartError::Shape {
            file,
            why: e.to_string(),
        }
    })?;
    let run = summarise(&model, &l.scenario, &l, &sim, output, None);
    emit(&opts.out, &exporter(opts.out.format).run(&[run.summary])?)
}
