//! The Monte Carlo engine: trials in fixed-size chunks, in parallel, each
//! chunk in blocks run by the model's kernel and folded into mergeable
//! accumulators ([`crate::stats`]).
//!
//! Determinism for any thread count comes from three rules:
//! - every trial and input draws from its own streams, keyed by the seed,
//!   the trial's index in the run and the input's path
//!   ([`crate::streams`]), whatever thread runs it;
//! - histogram counts, hit counts and per-trial values are integers or
//!   stored per trial, merged in any order;
//! - floating-point summaries (means, variances) are made per chunk and
//!   merged serially in chunk order (rayon's `fold` and `reduce` combine in
//!   an unspecified order; rayon issue 663).
//!
//! Each pool thread keeps one accumulator (its histograms start empty and
//! grow); counts are integers, so which thread ran a chunk does not
//! matter. A block's monthly values arrive series by series, so each
//! histogram takes a block's values in one go, which keeps it in cache.
//!
//! Runs can be extended in steps of whole chunks ([`Run::extend`]), so that
//! a run can stop once a probability is precise enough, at points that do
//! not depend on the thread count; and split into shards of whole chunks
//! run anywhere ([`run_shard`]), whose states merge into the one-machine
//! run's output bit for bit ([`merge_shards`]).

mod accumulate;
mod error;
mod memory;
mod shard;
mod trace;

pub use crate::model::REPLICATES;
pub use accumulate::{Output, PerTrial, TrialColumns};
pub use error::EngineError;
pub use memory::available_memory;
pub use shard::{ChunkShare, ShardMismatch, ShardState, merge_shards, run_shard};
pub use trace::{Traced, trace};

use std::borrow::Cow;
use std::sync::Arc;

use rayon::prelude::*;

use crate::model::{BLOCK, Block, Model, Strata};
use accumulate::{ChunkOut, ChunkStats, Worker};

/// Trials per chunk: the unit of work and of merging. Never depends on the
/// thread count.
pub const CHUNK: usize = 8192;

/// Told how many more trials are done, after each chunk, from any worker
/// thread. The engine never draws on the terminal: a command that wants a
/// progress bar passes one in.
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

/// How each input's level D is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sampling {
    /// Independently, trial by trial (plain Monte Carlo).
    #[default]
    MonteCarlo,
    /// By Latin hypercube, in independent replicates ([`crate::model::Strata`]).
    LatinHypercube,
}

/// How to run.
#[derive(Clone)]
pub struct Config {
    /// Number of trials: the most a [`Run`] extends to.
    pub trials: u64,
    /// Seed of the run: with each trial's index and input's path, it names
    /// every random stream.
    pub seed: u64,
    /// Worker threads of the run's own pool; results do not depend on it.
    pub threads: usize,
    /// Keep every trial's annual figures and input levels (for `--trials-out`
    /// and `sensitivity`).
    pub keep_trials: bool,
    /// With `keep_trials`, also every trial's monthly revenue and profit
    /// (`--trials-monthly`).
    pub keep_monthly: bool,
    /// Keep every trial's hit bits (for paired comparisons).
    pub keep_hits: bool,
    /// Called as chunks finish.
    pub progress: Option<Progress>,
    /// Bytes of memory the run may use, when known: a run that needs more
    /// is refused before it allocates.
    pub memory_limit: Option<u64>,
    /// How each input's D is drawn.
    pub sampling: Sampling,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("trials", &self.trials)
            .field("seed", &self.seed)
            .field("threads", &self.threads)
            .field("keep_trials", &self.keep_trials)
            .field("keep_monthly", &self.keep_monthly)
            .field("keep_hits", &self.keep_hits)
            .field("progress", &self.progress.is_some())
            .field("memory_limit", &self.memory_limit)
            .field("sampling", &self.sampling)
            .finish()
    }
}

impl Config {
    /// `trials` trials with `seed` on `threads` threads, keeping nothing per
    /// trial and showing no progress.
    pub fn new(trials: u64, seed: u64, threads: usize) -> Self {
        Config {
            trials,
            seed,
            threads,
            keep_trials: false,
            keep_monthly: false,
            keep_hits: false,
            progress: None,
            memory_limit: None,
            sampling: Sampling::MonteCarlo,
        }
    }
}

/// Bytes a run of `trials` trials of `model` with `cfg` needs, roughly:
/// what is kept per trial plus the histograms of each worker.
pub fn memory_needed(model: &Model, cfg: &Config, trials: u64) -> u64 {
    let layout = model.layout();
    let per_trial = 8
        + if layout.derives_funnel() { 8 } else { 0 }
        + u64::from(cfg.keep_hits)
        + if cfg.keep_trials {
            8 * (2 + model.inputs().len() as u64)
                + if cfg.keep_monthly {
                    16 * model.months() as u64
                } else {
                    0
                }
        } else {
            0
        };
    // A series' histogram stays near 160 kB (its values span a few octaves).
    let histograms = layout.len() as u64 * 160_000 * (cfg.threads as u64 + 1);
    let strata = match cfg.sampling {
        Sampling::MonteCarlo => 0,
        Sampling::LatinHypercube => Strata::bytes(model, trials),
    };
    trials.saturating_mul(per_trial) + histograms + strata
}

/// Refuses a run of `trials` trials that needs `needed` bytes, more than
/// `cfg.memory_limit`.
fn fits(cfg: &Config, trials: u64, needed: u64) -> Result<(), EngineError> {
    match cfg.memory_limit {
        Some(limit) if needed > limit => Err(EngineError::Memory {
            trials,
            needed,
            available: Some(limit),
        }),
        _ => Ok(()),
    }
}

/// A run in progress: the trials done so far, merged.
pub struct Run<'m> {
    /// The model, compiled for Latin hypercube draws when the run samples so.
    model: Cow<'m, Model>,
    strata: Option<Strata>,
    cfg: Config,
    pool: rayon::ThreadPool,
    out: Output,
    /// Chunks done so far.
    chunks: usize,
}

impl<'m> Run<'m> {
    /// A run of `model` with `cfg`, no trials done yet. Refuses a run whose
    /// `cfg.trials` would need more memory than `cfg.memory_limit`.
    pub fn new(model: &'m Model, cfg: &Config) -> Result<Self, EngineError> {
        fits(cfg, cfg.trials, memory_needed(model, cfg, cfg.trials))?;
        Self::start(model, cfg)
    }

    /// A run of `model` with `cfg` whose memory the caller has checked.
    fn start(model: &'m Model, cfg: &Config) -> Result<Self, EngineError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(cfg.threads)
            .build()
            .map_err(|e| EngineError::Threads(e.to_string()))?;
        let (model, strata) = match cfg.sampling {
            Sampling::MonteCarlo => (Cow::Borrowed(model), None),
            Sampling::LatinHypercube => {
                let lhs = pool.install(|| model.clone().with_lhs());
                let strata = pool.install(|| Strata::new(&lhs, cfg.seed, cfg.trials));
                (Cow::Owned(lhs), Some(strata))
            }
        };
        let out = Output::empty(&model, cfg, strata.as_ref().map(|s| s.sizes()));
        Ok(Run {
            model,
            strata,
            cfg: cfg.clone(),
            pool,
            out,
            chunks: 0,
        })
    }

    /// Trials done so far.
    pub fn trials(&self) -> u64 {
        self.out.trials
    }

    /// What the trials so far give.
    pub fn output(&self) -> &Output {
        &self.out
    }

    /// Runs trials until `trials` are done (at most `cfg.trials`).
    pub fn extend(&mut self, trials: u64) -> Result<(), EngineError> {
        let target = trials.min(self.cfg.trials);
        if target <= self.out.trials {
            return Ok(());
        }
        let first = self.out.trials;
        let chunks = self.simulate(0, first, target - first)?;
        for (_, c) in &chunks {
            self.out.merge_chunk(c);
        }
        self.out.trials = target;
        Ok(())
    }

    /// Simulates trials `first..first + n` of the run, from chunk
    /// `self.chunks` on: their per-trial values go into the output (whose
    /// first value is trial `base`'s) and their histogram counts are added
    /// to it; their floating-point statistics are returned in chunk order,
    /// for the caller to merge or keep.
    fn simulate(
        &mut self,
        base: u64,
        first: u64,
        n: u64,
    ) -> Result<Vec<(usize, ChunkStats)>, EngineError> {
        let model: &Model = &self.model;
        let strata = self.strata.as_ref();
        let cfg = &self.cfg;
        let too_many = || EngineError::Memory {
            trials: first + n,
            needed: memory_needed(model, cfg, first + n),
            available: None,
        };
        let n = usize::try_from(n).map_err(|_| too_many())?;
        self.out.grow(n).map_err(|()| too_many())?;
        let first_chunk = self.chunks;
        let shifts = self.out.shifts.clone();
        let outs = self
            .out
            .chunk_outputs((first - base) as usize, first as usize, n, CHUNK);
        let count = outs.len();
        // One worker a thread, not one a rayon split: a worker's histograms
        // grow to their series' spans (a monthly profit that crosses zero
        // spans dozens of octaves, 400 kB), and a run of 1,000,000 trials
        // made ten splits, each allocating, zeroing and merging its own.
        let workers: Vec<std::sync::Mutex<Option<Worker>>> = (0..self.pool.current_num_threads())
            .map(|_| std::sync::Mutex::new(None))
            .collect();
        self.pool.install(|| {
            outs.into_par_iter().enumerate().for_each(|(k, out)| {
                let thread = rayon::current_thread_index().expect("runs in the pool");
                let mut slot = workers[thread]
                    .lock()
                    .expect("a worker's lock is not poisoned");
                let w = slot.get_or_insert_with(|| Worker::new(model, &shifts));
                let stats = run_chunk(model, cfg.seed, strata, out, w);
                w.chunks.push((first_chunk + k, stats));
                if let Some(p) = &cfg.progress {
                    p(CHUNK as u64);
                }
            })
        });
        self.chunks += count;
        let mut chunks = Vec::new();
        for w in workers {
            let Some(w) = w.into_inner().expect("a worker's lock is not poisoned") else {
                continue;
            };
            self.out.merge_histograms(&w);
            chunks.extend(w.chunks);
        }
        chunks.sort_by_key(|(k, _)| *k);
        if let Some(trial) = chunks.iter().find_map(|(_, c)| c.bad) {
            return Err(EngineError::NonFinite(Box::new(
                model.diagnose(cfg.seed, trial, strata),
            )));
        }
        Ok(chunks)
    }

    /// The merged results.
    pub fn finish(self) -> Output {
        self.out
    }
}

/// Runs `cfg.trials` trials of `model`.
pub fn run(model: &Model, cfg: &Config) -> Result<Output, EngineError> {
    let mut r = Run::new(model, cfg)?;
    r.extend(cfg.trials)?;
    Ok(r.finish())
}

/// Runs one chunk: its trials in blocks through the kernel, each block
/// folded into the worker's histograms and the chunk's statistics.
fn run_chunk(
    model: &Model,
    seed: u64,
    strata: Option<&Strata>,
    mut out: ChunkOut,
    w: &mut Worker,
) -> ChunkStats {
    let n = out.len();
    let mut stats = ChunkStats::new(model, &w.shifts);
    let mut start = 0;
    while start < n {
        let b = BLOCK.min(n - start);
        let first = (out.first() + start) as u64;
        model.run_block(seed, first, b, &mut w.block, strata);
        stats.add_block(model, &w.block, start, &mut out, &mut w.hist, strata);
        start += b;
    }
    stats
}

/// A stream of blocks without aggregation: the bare kernel, for the
/// benchmark that the engine's cost is measured against. Returns the sum of
/// annual revenue, so that nothing is optimised away.
pub fn bare_kernel(model: &Model, seed: u64, trials: u64) -> f64 {
    let mut block = Block::new(model);
    let mut total = 0.0;
    let mut first = 0u64;
    while first < trials {
        let n = BLOCK.min((trials - first) as usize);
        model.run_block(seed, first, n, &mut block, None);
        total += block.revenue[..n].iter().sum::<f64>();
        first += n as u64;
    }
    total
}
