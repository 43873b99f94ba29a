//! One run split over machines: a shard's share of the run's chunks
//! simulated into a part, and the parts of one run merged into exactly the
//! one-machine run's summary.

use super::{Result, Sim, Simulated, summarise};
use crate::engine::{self, ChunkShare, Config};
use crate::model::Model;
use crate::scenario::{self, Loaded};
use crate::shard_state::{self, Part, PartError, PartHeader};

/// Simulates shard `share` of the run of `l` that `cfg` describes (its
/// `trials` are the whole run's): the part's bytes, header and state.
pub fn shard(l: &Loaded, cfg: &Config, share: ChunkShare) -> Result<Vec<u8>> {
    let state = engine::run_shard(&Model::compile(&l.scenario), cfg, share)?;
    let header = PartHeader {
        kpisim: crate::VERSION.to_string(),
        scenario_sha256: l.sha256.clone(),
        file: l.file.clone(),
        scenario: l.bytes.clone(),
        seed: cfg.seed,
        trials: cfg.trials,
        sampling: shard_state::sampling_name(cfg.sampling).to_string(),
        shard: share.index,
        shards: share.count,
    };
    Ok(shard_state::encode(&header, &state))
}

/// The run the `parts` (every shard of one run, in any order) make
/// together, summarised as the one-machine run is.
pub fn merge(parts: Vec<Part>) -> Result<Simulated> {
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
        paths: true,
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
    summarise(&model, &l.scenario, &l, &sim, output, None)
}
