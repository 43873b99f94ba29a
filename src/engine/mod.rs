//! The Monte Carlo engine: trials in fixed-size chunks, in parallel.
//!
//! Determinism for any thread count comes from three rules:
//! - every trial and input draws from its own stream, keyed by the seed
//!   and the trial's index in the run ([`rng`]), whatever thread runs it;
//! - histogram counts and hit counts are integers, merged in any order;
//! - floating-point summaries (means, variances) are made per chunk and
//!   merged serially in chunk order (rayon's `fold` and `reduce` combine in
//!   an unspecified order; rayon issue 663).
//!
//! Each rayon fold split keeps one accumulator (its histograms start empty
//! and grow, so a split costs little). Within a chunk, trials run in blocks
//! of [`BLOCK`] whose monthly values are buffered series by series and then
//! inserted into one histogram at a time, which keeps that histogram in
//! cache.

use std::sync::Arc;

use rayon::prelude::*;

use crate::streams as rng;

use crate::aggregate::{Accumulated, LogHistogram, Moments, Pair};
use crate::error::{Error, Result, Usage};
use crate::model::{Model, RngSource, Scratch};

/// Trials per chunk: the unit of work and of random streams. Never depends
/// on the thread count.
pub const CHUNK: usize = 8192;

/// Trials buffered before their monthly values go to the histograms.
pub const BLOCK: usize = 64;

/// Told how many more trials are done, after each chunk, from any worker
/// thread. The engine never draws on the terminal: a command that wants a
/// progress bar passes one in.
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

/// How to run.
#[derive(Clone)]
pub struct Config {
    /// Number of trials.
    pub trials: u64,
    /// Seed of the run.
    pub seed: u64,
    /// Worker threads.
    pub threads: usize,
    /// Keep every trial's annual figures and input levels (for `--trials-out`).
    pub keep_trials: bool,
    /// Keep every trial's hit flags (for paired comparisons).
    pub keep_hits: bool,
    /// Called as chunks finish.
    pub progress: Option<Progress>,
    /// Bytes of memory the run may use, when known: a run that needs more
    /// is refused before it allocates.
    pub memory_limit: Option<u64>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("trials", &self.trials)
            .field("seed", &self.seed)
            .field("threads", &self.threads)
            .field("keep_trials", &self.keep_trials)
            .field("keep_hits", &self.keep_hits)
            .field("progress", &self.progress.is_some())
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
            keep_hits: false,
            progress: None,
            memory_limit: None,
        }
    }
}

/// Bits of a trial's entry in [`Output::hits`].
pub const HIT_REVENUE: u8 = 1;
/// See [`HIT_REVENUE`].
pub const HIT_PROFIT: u8 = 2;
/// See [`HIT_REVENUE`].
pub const HIT_BOTH: u8 = 4;

/// Every trial's results, column by column (for `--trials-out`).
#[derive(Debug, Clone, Default)]
pub struct TrialTable {
    /// Annual revenue per trial.
    pub revenue: Vec<f64>,
    /// Annual profit per trial.
    pub profit: Vec<f64>,
    /// Per input (in [`Model::inputs`] order), its level in each trial.
    pub levels: Vec<Vec<f64>>,
}

/// What a run produced.
#[derive(Debug)]
pub struct Output {
    /// Merged accumulators.
    pub acc: Accumulated,
    /// Per-trial table, when asked for.
    pub table: Option<TrialTable>,
    /// Per trial, [`HIT_REVENUE`] | [`HIT_PROFIT`] | [`HIT_BOTH`] bits, when
    /// asked for.
    pub hits: Option<Vec<u8>>,
}

/// One chunk's share of the per-trial table: revenue, profit, levels.
type TableChunk<'a> = (&'a mut [f64], &'a mut [f64], Vec<&'a mut [f64]>);

/// One chunk's share of the output columns.
struct ChunkOut<'a> {
    revenue: &'a mut [f32],
    profit: &'a mut [f32],
    table: Option<TableChunk<'a>>,
    hits: Option<&'a mut [u8]>,
}

/// Floating-point results of one chunk, merged in chunk order later.
struct ChunkStats {
    hits: [u64; 3],
    annual: [Moments; 2],
    /// Smallest and largest annual revenue and profit.
    range: [(f64, f64); 2],
    series: Vec<Moments>,
    /// The first trial whose results left finite numbers.
    bad: Option<u64>,
}

/// Bytes a run of `model` with `cfg` needs, roughly: what is kept per trial
/// plus the histograms of each worker.
pub fn memory_needed(model: &Model, cfg: &Config) -> u64 {
    let per_trial = 8
        + u64::from(cfg.keep_hits)
        + if cfg.keep_trials {
            8 * (2 + model.inputs().len() as u64)
        } else {
            0
        };
    // A series' histogram stays near 160 kB (its values span a few octaves).
    let histograms = model.series() as u64 * 160_000 * (cfg.threads as u64 + 1);
    cfg.trials.saturating_mul(per_trial) + histograms
}

/// What one rayon split accumulates.
struct Worker {
    scratch: Scratch,
    buf: Vec<f64>,
    hist: Vec<LogHistogram>,
    chunks: Vec<(usize, ChunkStats)>,
}

impl Worker {
    fn new(model: &Model) -> Self {
        Worker {
            scratch: Scratch::new(model),
            buf: vec![0.0; model.series() * BLOCK],
            hist: vec![LogHistogram::new(); model.series()],
            chunks: Vec::new(),
        }
    }
}

/// Values the moments are shifted by: the point plan's, close to the means.
struct Shifts {
    annual: [f64; 2],
    series: Vec<f64>,
}

/// Runs `cfg.trials` trials of `model`.
pub fn run(model: &Model, cfg: &Config) -> Result<Output> {
    let needed = memory_needed(model, cfg);
    let too_big = |available| {
        Error::from(Usage::Memory {
            trials: crate::fmt::thousands(cfg.trials),
            needed,
            available,
        })
    };
    if let Some(limit) = cfg.memory_limit
        && needed > limit
    {
        return Err(too_big(Some(limit)));
    }
    let n = usize::try_from(cfg.trials).map_err(|_| too_big(None))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
        .map_err(|e| Error::Output(format!("cannot start {} threads: {e}", cfg.threads)))?;

    let shifts = shifts(model);
    // Allocation failures become an error, not an abort.
    let alloc_f32 = || filled(n, 0f32).ok_or_else(|| too_big(None));
    let alloc_f64 = || filled(n, 0f64).ok_or_else(|| too_big(None));
    let mut revenue = alloc_f32()?;
    let mut profit = alloc_f32()?;
    let mut table = match cfg.keep_trials {
        false => None,
        true => Some(TrialTable {
            revenue: alloc_f64()?,
            profit: alloc_f64()?,
            levels: (0..model.inputs().len())
                .map(|_| alloc_f64())
                .collect::<Result<_>>()?,
        }),
    };
    let mut hit_flags = match cfg.keep_hits {
        false => None,
        true => Some(filled(n, 0u8).ok_or_else(|| too_big(None))?),
    };
    let outs = chunk_outputs(
        &mut revenue,
        &mut profit,
        table.as_mut(),
        hit_flags.as_deref_mut(),
    );

    let workers: Vec<Worker> = pool.install(|| {
        outs.into_par_iter()
            .enumerate()
            .fold(
                || Worker::new(model),
                |mut w, (k, out)| {
                    let stats = run_chunk(model, cfg.seed, k, out, &shifts, &mut w);
                    w.chunks.push((k, stats));
                    if let Some(p) = &cfg.progress {
                        p(CHUNK as u64);
                    }
                    w
                },
            )
            .collect()
    });

    let mut hist = vec![LogHistogram::new(); model.series()];
    let mut chunks = Vec::new();
    for w in workers {
        for (h, wh) in hist.iter_mut().zip(&w.hist) {
            h.merge(wh);
        }
        chunks.extend(w.chunks);
    }
    chunks.sort_by_key(|(k, _)| *k);
    if let Some(trial) = chunks.iter().find_map(|(_, c)| c.bad) {
        return Err(model.diagnose(cfg.seed, trial).into());
    }
    let mut hits = [0u64; 3];
    let mut annual = [Moments::default(); 2];
    let mut range = [(f64::INFINITY, f64::NEG_INFINITY); 2];
    let mut series = vec![Moments::default(); model.series()];
    for (_, c) in &chunks {
        for (h, ch) in hits.iter_mut().zip(c.hits) {
            *h += ch;
        }
        for (r, cr) in range.iter_mut().zip(c.range) {
            *r = (r.0.min(cr.0), r.1.max(cr.1));
        }
        for (a, ca) in annual.iter_mut().zip(&c.annual) {
            a.merge(ca);
        }
        for (s, cs) in series.iter_mut().zip(&c.series) {
            s.merge(cs);
        }
    }
    Ok(Output {
        acc: Accumulated {
            trials: cfg.trials,
            hits,
            annual: Pair {
                revenue: annual[0],
                profit: annual[1],
            },
            annual_values: Pair { revenue, profit },
            annual_range: Pair {
                revenue: range[0],
                profit: range[1],
            },
            annual_shift: Pair {
                revenue: shifts.annual[0],
                profit: shifts.annual[1],
            },
            series: hist.into_iter().zip(series).collect(),
        },
        table,
        hits: hit_flags,
    })
}

/// `n` copies of `x`, or `None` when the memory is not there.
fn filled<T: Clone>(n: usize, x: T) -> Option<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).ok()?;
    v.resize(n, x);
    Some(v)
}

fn shifts(model: &Model) -> Shifts {
    let mut out = vec![0.0; model.series()];
    let mut scratch = Scratch::new(model);
    let a = model.run_trial(&mut crate::model::MeanSource, &mut scratch, &mut out, 1);
    Shifts {
        annual: [a.revenue, a.profit],
        series: out,
    }
}

/// Splits the output columns into one set of slices per chunk, in order.
fn chunk_outputs<'a>(
    revenue: &'a mut [f32],
    profit: &'a mut [f32],
    table: Option<&'a mut TrialTable>,
    hits: Option<&'a mut [u8]>,
) -> Vec<ChunkOut<'a>> {
    let mut hit_chunks = hits.map(|h| h.chunks_mut(CHUNK));
    let mut table_chunks = table.map(|t| {
        (
            t.revenue.chunks_mut(CHUNK),
            t.profit.chunks_mut(CHUNK),
            t.levels
                .iter_mut()
                .map(|c| c.chunks_mut(CHUNK))
                .collect::<Vec<_>>(),
        )
    });
    revenue
        .chunks_mut(CHUNK)
        .zip(profit.chunks_mut(CHUNK))
        .map(|(revenue, profit)| ChunkOut {
            revenue,
            profit,
            hits: hit_chunks.as_mut().map(|h| h.next().expect("same length")),
            table: table_chunks.as_mut().map(|(r, p, l)| {
                (
                    r.next().expect("same length"),
                    p.next().expect("same length"),
                    l.iter_mut()
                        .map(|c| c.next().expect("same length"))
                        .collect(),
                )
            }),
        })
        .collect()
}

/// Sums of `x - c` and `(x - c)²` in four interleaved lanes: one running
/// sum would chain every addition on the one before (4 cycles each).
#[inline]
fn shifted_sums(values: &[f64], c: f64) -> (f64, f64) {
    let mut s1 = [0.0f64; 4];
    let mut s2 = [0.0f64; 4];
    let mut quads = values.chunks_exact(4);
    for q in &mut quads {
        for l in 0..4 {
            let d = q[l] - c;
            s1[l] += d;
            s2[l] += d * d;
        }
    }
    for (l, &x) in quads.remainder().iter().enumerate() {
        let d = x - c;
        s1[l] += d;
        s2[l] += d * d;
    }
    (
        (s1[0] + s1[1]) + (s1[2] + s1[3]),
        (s2[0] + s2[1]) + (s2[2] + s2[3]),
    )
}

fn run_chunk(
    model: &Model,
    seed: u64,
    k: usize,
    mut out: ChunkOut,
    shifts: &Shifts,
    w: &mut Worker,
) -> ChunkStats {
    let first = (k * CHUNK) as u64;
    let n = out.revenue.len();
    let series = model.series();
    let targets = model.targets();
    let mut hits = [0u64; 3];
    let mut range = [(f64::INFINITY, f64::NEG_INFINITY); 2];
    let mut bad = None;
    let mut annual_sums = [(0.0f64, 0.0f64); 2];
    let mut series_sums = vec![(0.0f64, 0.0f64); series];
    let mut start = 0;
    while start < n {
        let b = BLOCK.min(n - start);
        for t in 0..b {
            let i = start + t;
            let a = model.run_trial(
                &mut RngSource::new(rng::trial_key(seed, first + i as u64)),
                &mut w.scratch,
                &mut w.buf[t..],
                BLOCK,
            );
            // A deviation beyond f32's range cannot be kept; NaN or
            // infinity cannot be summarised. Either stops the run.
            let dev = (a.revenue - shifts.annual[0]).abs() + (a.profit - shifts.annual[1]).abs();
            if (dev.is_nan() || dev >= f32::MAX as f64) && bad.is_none() {
                bad = Some(first + i as u64);
            }
            range[0] = (range[0].0.min(a.revenue), range[0].1.max(a.revenue));
            range[1] = (range[1].0.min(a.profit), range[1].1.max(a.profit));
            let hit_r = a.revenue >= targets.revenue;
            let hit_p = a.profit >= targets.profit;
            hits[0] += hit_r as u64;
            hits[1] += hit_p as u64;
            hits[2] += (hit_r && hit_p) as u64;
            if let Some(flags) = out.hits.as_mut() {
                flags[i] = (if hit_r { HIT_REVENUE } else { 0 })
                    | (if hit_p { HIT_PROFIT } else { 0 })
                    | (if hit_r && hit_p { HIT_BOTH } else { 0 });
            }
            for (sums, (x, c)) in annual_sums
                .iter_mut()
                .zip([(a.revenue, shifts.annual[0]), (a.profit, shifts.annual[1])])
            {
                let d = x - c;
                sums.0 += d;
                sums.1 += d * d;
            }
            // Deviations from the point plan: f32 then errs by 6e-8 of the
            // spread, not of the level, and is exact when inputs are fixed.
            out.revenue[i] = (a.revenue - shifts.annual[0]) as f32;
            out.profit[i] = (a.profit - shifts.annual[1]) as f32;
            if let Some((r, p, levels)) = out.table.as_mut() {
                r[i] = a.revenue;
                p[i] = a.profit;
                for (col, level) in levels.iter_mut().zip(w.scratch.levels()) {
                    col[i] = *level;
                }
            }
        }
        let series_state = w.hist.iter_mut().zip(&mut series_sums).zip(&shifts.series);
        for (s, ((hist, sums), &shift)) in series_state.enumerate() {
            let values = &w.buf[s * BLOCK..s * BLOCK + b];
            hist.insert_all(values);
            let (s1, s2) = shifted_sums(values, shift);
            sums.0 += s1;
            sums.1 += s2;
        }
        start += b;
    }
    let nn = n as u64;
    ChunkStats {
        hits,
        range,
        bad,
        annual: [
            Moments::from_shifted_sums(nn, shifts.annual[0], annual_sums[0].0, annual_sums[0].1),
            Moments::from_shifted_sums(nn, shifts.annual[1], annual_sums[1].0, annual_sums[1].1),
        ],
        series: series_sums
            .iter()
            .zip(&shifts.series)
            .map(|(s, c)| Moments::from_shifted_sums(nn, *c, s.0, s.1))
            .collect(),
    }
}
