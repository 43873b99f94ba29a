//! Chosen trials simulated again, month by month: what the path to a
//! target is the mean of. A trial's draws depend on the seed and its number
//! alone, so the trials of a run near a target can be run again after it,
//! without a run keeping every trial's months (which at 10,000,000 trials
//! would not fit the memory a run may use).

use rayon::prelude::*;

use super::{Config, EngineError, Sampling};
use crate::model::{BLOCK, Block, Metric, Model, SegmentMetric, Strata};

/// Trials traced together, in order; their sums are added in this order,
/// so that the result does not depend on the thread count.
const CHUNK: usize = 1024;

/// The sums over a set of trials of each month's quantities.
#[derive(Debug, Clone, PartialEq)]
pub struct Traced {
    /// How many trials were summed.
    pub trials: u64,
    /// Summed annual revenue and profit, CNY.
    pub annual: [f64; 2],
    /// The lowest annual revenue and profit of the trials, CNY (infinite
    /// when none was traced).
    pub lowest: [f64; 2],
    /// The highest annual revenue and profit of the trials, CNY.
    pub highest: [f64; 2],
    /// Per month (0-based), summed registrations, new payers, old payers,
    /// payers and revenue (CNY), in that order.
    pub monthly: Vec<[f64; 5]>,
    /// Per segment (file order), per month, summed payers and revenue.
    pub segments: Vec<Vec<[f64; 2]>>,
}

impl Traced {
    fn zero(model: &Model) -> Self {
        let months = model.months();
        Traced {
            trials: 0,
            annual: [0.0; 2],
            lowest: [f64::INFINITY; 2],
            highest: [f64::NEG_INFINITY; 2],
            monthly: vec![[0.0; 5]; months],
            segments: vec![vec![[0.0; 2]; months]; model.segment_names().len()],
        }
    }

    fn add(&mut self, other: &Traced) {
        self.trials += other.trials;
        for k in 0..2 {
            self.annual[k] += other.annual[k];
            self.lowest[k] = self.lowest[k].min(other.lowest[k]);
            self.highest[k] = self.highest[k].max(other.highest[k]);
        }
        for (a, b) in self.monthly.iter_mut().zip(&other.monthly) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        for (a, b) in self.segments.iter_mut().zip(&other.segments) {
            for (x, y) in a.iter_mut().zip(b) {
                x[0] += y[0];
                x[1] += y[1];
            }
        }
    }
}

/// The totals a trace reads, in [`Traced::monthly`] order.
const TOTALS: [Metric; 5] = [
    Metric::Registrations,
    Metric::NewPayers,
    Metric::OldPayers,
    Metric::Payers,
    Metric::Revenue,
];

/// Simulates `trials` (trial numbers of the run `cfg` describes, ascending)
/// of `model` again and sums their months. With Latin hypercube sampling
/// the strata are those of the whole run (`cfg.trials`). Time: as many
/// trials of the kernel, on `cfg.threads` threads.
pub fn trace(model: &Model, cfg: &Config, trials: &[u64]) -> Result<Traced, EngineError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.threads)
        .build()
        .map_err(|e| EngineError::Threads(e.to_string()))?;
    let traced = model.clone().with_every_series();
    let (traced, strata) = match cfg.sampling {
        Sampling::MonteCarlo => (traced, None),
        Sampling::LatinHypercube => {
            let lhs = pool.install(|| traced.with_lhs());
            let strata = pool.install(|| Strata::new(&lhs, cfg.seed, cfg.trials));
            (lhs, Some(strata))
        }
    };
    let parts: Vec<Traced> = pool.install(|| {
        trials
            .par_chunks(CHUNK)
            .map(|chunk| trace_chunk(&traced, cfg.seed, chunk, strata.as_ref()))
            .collect()
    });
    let mut sum = Traced::zero(model);
    for p in &parts {
        sum.add(p);
    }
    Ok(sum)
}

fn trace_chunk(model: &Model, seed: u64, trials: &[u64], strata: Option<&Strata>) -> Traced {
    let layout = model.layout();
    let mut sum = Traced::zero(model);
    let mut block = Block::new(model);
    for part in trials.chunks(BLOCK) {
        model.run_trials(seed, |t| part[t], part.len(), &mut block, strata);
        for t in 0..part.len() {
            for (k, v) in [block.revenue[t], block.profit[t]].into_iter().enumerate() {
                sum.annual[k] += v;
                sum.lowest[k] = sum.lowest[k].min(v);
                sum.highest[k] = sum.highest[k].max(v);
            }
            for (m, month) in sum.monthly.iter_mut().enumerate() {
                for (x, k) in month.iter_mut().zip(TOTALS) {
                    let at = layout.recorded(k, m).expect("every total is recorded");
                    *x += block.series_value(at, t);
                }
            }
            for (s, seg) in sum.segments.iter_mut().enumerate() {
                for (m, x) in seg.iter_mut().enumerate() {
                    for (k, which) in [SegmentMetric::Payers, SegmentMetric::Revenue]
                        .into_iter()
                        .enumerate()
                    {
                        let source = layout.segment(s, which, m);
                        let crate::model::Source::Series(at) = source else {
                            unreachable!("every series is recorded");
                        };
                        x[k] += block.series_value(at, t);
                    }
                }
            }
        }
        sum.trials += part.len() as u64;
    }
    sum
}
