//! One run split into shards: shard K of M simulates a fixed share of the
//! run's chunks and keeps what the merge needs to give the one-machine
//! run's results bit for bit.
//!
//! What makes the merge exact: trials draw from streams keyed by their
//! index in the run, not by who runs them; histogram and hit counts are
//! integers; and the floating-point sums of each chunk are kept unmerged,
//! so that the merge adds them in chunk order exactly as [`super::Run`]
//! does. A shard's state is therefore its trials' per-trial values, its
//! histogram counts and one [`ChunkStats`] per chunk.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::accumulate::ChunkStats;
use super::{CHUNK, Config, EngineError, Output, Run, Sampling};
use crate::model::{Model, Strata};
use crate::stats::LogHistogram;

/// Shard `index` of `count`: which chunks of a run it simulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkShare {
    /// Which shard, from 0.
    pub index: u64,
    /// How many shards the run is split into.
    pub count: u64,
}

impl ChunkShare {
    /// The chunks of a run of `trials` trials that this shard simulates:
    /// chunks `⌊k·C/M⌋..⌊(k+1)·C/M⌋` of the run's `C`, so that the shards
    /// cover every chunk once, in order, and differ in size by at most one
    /// chunk. With more shards than chunks, some shards have none.
    pub fn chunks(&self, trials: u64) -> Range<u64> {
        let total = trials.div_ceil(CHUNK as u64);
        let at = |k: u64| (u128::from(k) * u128::from(total) / u128::from(self.count)) as u64;
        at(self.index)..at(self.index + 1)
    }

    /// The trials of a run of `trials` trials that this shard simulates.
    pub fn trials(&self, trials: u64) -> Range<u64> {
        let c = self.chunks(trials);
        (c.start * CHUNK as u64).min(trials)..(c.end * CHUNK as u64).min(trials)
    }
}

/// What one shard of a run accumulated, unmerged: enough for
/// [`merge_shards`] to rebuild the run's [`Output`].
#[derive(Serialize, Deserialize)]
pub struct ShardState {
    /// The shard's first trial in the run.
    pub first: u64,
    /// How many trials it simulated: whole chunks, the run's last one
    /// perhaps short.
    pub trials: u64,
    /// Per-trial annual revenue and profit, as deviations from the point
    /// plan (as [`super::PerTrial`] keeps them).
    revenue: Vec<f32>,
    profit: Vec<f32>,
    /// Per-trial funnel levels, when the layout derives them.
    funnel: Option<[Vec<f32>; 2]>,
    /// Histogram counts per recorded series.
    histograms: Vec<LogHistogram>,
    /// Each chunk's floating-point sums, in chunk order.
    chunks: Vec<ChunkStats>,
}

impl std::fmt::Debug for ShardState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShardState")
            .field("first", &self.first)
            .field("trials", &self.trials)
            .field("chunks", &self.chunks.len())
            .finish()
    }
}

/// Runs shard `share` of the run `cfg` describes (`cfg.trials` is the
/// whole run's). Only the per-trial values of the shard's own trials are
/// kept, so its memory is its share of the run's.
pub fn run_shard(
    model: &Model,
    cfg: &Config,
    share: ChunkShare,
) -> Result<ShardState, EngineError> {
    let trials = share.trials(cfg.trials);
    let n = trials.end - trials.start;
    // The memory a shard needs is its own trials' (and, with a Latin
    // hypercube, the whole run's strata), not the whole run's.
    let strata = match cfg.sampling {
        Sampling::MonteCarlo => 0,
        Sampling::LatinHypercube => Strata::bytes(model, cfg.trials) - Strata::bytes(model, n),
    };
    super::fits(cfg, n, super::memory_needed(model, cfg, n) + strata)?;
    let mut run = Run::start(model, cfg)?;
    run.chunks = share.chunks(cfg.trials).start as usize;
    let chunks = run.simulate(trials.start, trials.start, n)?;
    let out = run.out;
    Ok(ShardState {
        first: trials.start,
        trials: trials.end - trials.start,
        revenue: out.revenue.values,
        profit: out.profit.values,
        funnel: out.funnel.map(|[a, b]| [a.values, b.values]),
        histograms: out.series.into_iter().map(|(h, _)| h).collect(),
        chunks: chunks.into_iter().map(|(_, c)| c).collect(),
    })
}

/// Why shards do not make a run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardMismatch {
    /// The shards leave trials out, repeat them or are out of order.
    #[error("shard {shard} starts at trial {first}, where trial {expected} was due")]
    Gap {
        /// The shard's position among those given.
        shard: usize,
        /// Its first trial's index in the run, 0-based.
        first: u64,
        /// The index it should start at: where the shards before it end.
        expected: u64,
    },
    /// The shards end before the run does, or after it.
    #[error("the shards hold {trials} trials, where the run has {expected}")]
    Short {
        /// Trials the shards hold, all together.
        trials: u64,
        /// The run's trials (`--trials`).
        expected: u64,
    },
    /// A shard's state does not fit the model (another scenario's).
    #[error("shard {shard} does not fit the scenario's model")]
    Shape {
        /// The shard's position among those given.
        shard: usize,
    },
}

/// The output of the run `cfg` describes, from the states of all its
/// shards, in shard order: the same, bit for bit, as [`super::run`] gives.
pub fn merge_shards(
    model: &Model,
    cfg: &Config,
    shards: Vec<ShardState>,
) -> Result<Output, ShardMismatch> {
    let lhs;
    let (model, replicates) = match cfg.sampling {
        Sampling::MonteCarlo => (model, None),
        Sampling::LatinHypercube => {
            lhs = model.clone().with_lhs();
            (&lhs, Some(Strata::sizes_of(cfg.trials)))
        }
    };
    let mut out = Output::empty(model, cfg, replicates);
    let layout = model.layout();
    let mut expected = 0;
    for (k, s) in shards.into_iter().enumerate() {
        if s.first != expected {
            return Err(ShardMismatch::Gap {
                shard: k,
                first: s.first,
                expected,
            });
        }
        let n = s.trials as usize;
        let funnel_fits = match (&s.funnel, &out.funnel) {
            (None, None) => true,
            (Some([a, b]), Some(_)) => a.len() == n && b.len() == n,
            _ => false,
        };
        let months = model.months();
        let fits = s.revenue.len() == n
            && s.profit.len() == n
            && funnel_fits
            && s.histograms.len() == layout.len()
            && s.chunks.iter().map(ChunkStats::trials).sum::<usize>() == n
            && s.chunks.iter().all(|c| c.fits(layout.len(), months));
        if !fits {
            return Err(ShardMismatch::Shape { shard: k });
        }
        out.revenue.values.extend_from_slice(&s.revenue);
        out.profit.values.extend_from_slice(&s.profit);
        if let (Some(f), Some([a, b])) = (&mut out.funnel, &s.funnel) {
            f[0].values.extend_from_slice(a);
            f[1].values.extend_from_slice(b);
        }
        for ((h, _), sh) in out.series.iter_mut().zip(&s.histograms) {
            h.merge(sh);
        }
        for c in &s.chunks {
            out.merge_chunk(c);
        }
        expected += s.trials;
    }
    if expected != cfg.trials {
        return Err(ShardMismatch::Short {
            trials: expected,
            expected: cfg.trials,
        });
    }
    out.trials = cfg.trials;
    Ok(out)
}
