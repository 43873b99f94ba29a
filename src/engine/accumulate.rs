//! What a run accumulates: per-trial values kept for exact quantiles,
//! histograms and moments of the monthly series, hit and reached counts,
//! and per chunk the floating-point sums merged later in chunk order.

use std::sync::Mutex;

use rayon::prelude::*;

use crate::model::{BLOCK, Block, HitRule, Metric, Model, REPLICATES, Source, Strata};
use crate::stats::{BlockSums, LogHistogram, Moments, block_sums, exact_quantiles};

/// Quantiles already selected, by the bits of the fractions asked for: a
/// report asks for the same quantiles of a level once a month.
#[derive(Debug, Default)]
struct Memo(Mutex<Vec<(Vec<u64>, Vec<f64>)>>);

impl Clone for Memo {
    fn clone(&self) -> Self {
        Memo(Mutex::new(
            self.0.lock().map(|m| m.clone()).unwrap_or_default(),
        ))
    }
}

/// A distance ordered by `total_cmp`, for the nearest trials.
#[derive(Debug, Clone, Copy, PartialEq)]
struct OrderedDistance(f64);

impl Eq for OrderedDistance {}

impl PartialOrd for OrderedDistance {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrderedDistance {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// One per-trial value of every trial, kept for exact quantiles: as f32
/// deviations from `shift` (the point plan's value), which err by 6e-8 of
/// the spread rather than of the level, and are exact when the value is
/// fixed.
#[derive(Debug, Clone, Default)]
pub struct PerTrial {
    /// Each trial's value less `shift`.
    pub values: Vec<f32>,
    /// What the values are measured from.
    pub shift: f64,
    /// Mean and variance of the values themselves.
    pub moments: Moments,
    /// Smallest and largest value: no quantile lies outside them.
    pub range: (f64, f64),
    memo: Memo,
}

impl PerTrial {
    fn new(shift: f64) -> Self {
        PerTrial {
            values: Vec::new(),
            shift,
            moments: Moments::default(),
            range: (f64::INFINITY, f64::NEG_INFINITY),
            memo: Memo::default(),
        }
    }

    /// The trials whose value lies within `window` (a fraction) of
    /// `target`, relative to its size, in trial order; when fewer than
    /// `fewest` do, the `fewest` nearest (ties to the earlier trial). Also
    /// the largest distance among the trials chosen relative to the
    /// target (`window` itself when enough lie inside it), or `None` for a
    /// target of 0, of which no distance is a fraction: then only a year
    /// that ends at 0 exactly lies inside, and the nearest are chosen by
    /// their distance in CNY. Time: O(n), or O(n log fewest) for the
    /// nearest; memory: the indices.
    pub fn near(&self, target: f64, window: f64, fewest: usize) -> (Vec<u64>, Option<f64>) {
        let relative = |d: f64| (target != 0.0).then(|| d / target.abs());
        let distance = |v: f32| ((self.shift + v as f64) - target).abs();
        let bound = window * target.abs();
        let inside: Vec<u64> = self
            .values
            .par_iter()
            .enumerate()
            .filter(|(_, v)| distance(**v) <= bound)
            .map(|(t, _)| t as u64)
            .collect();
        if inside.len() >= fewest || inside.len() == self.values.len() {
            return (inside, relative(bound));
        }
        // The `fewest` smallest (distance, trial) pairs: a total order, so
        // the set does not depend on how the values are visited.
        let mut heap: std::collections::BinaryHeap<(OrderedDistance, u64)> =
            std::collections::BinaryHeap::with_capacity(fewest + 1);
        for (t, v) in self.values.iter().enumerate() {
            let d = (OrderedDistance(distance(*v)), t as u64);
            if heap.len() < fewest {
                heap.push(d);
            } else if heap.peek().is_some_and(|top| d < *top) {
                heap.pop();
                heap.push(d);
            }
        }
        let widest = heap.peek().map_or(0.0, |(d, _)| d.0);
        let mut chosen: Vec<u64> = heap.into_iter().map(|(_, t)| t).collect();
        chosen.sort_unstable();
        (chosen, relative(widest))
    }

    /// Quantiles `qs` of the values, exact (numpy's linear interpolation),
    /// within the observed range. Each set of fractions is selected once.
    pub fn quantiles(&self, qs: &[f64]) -> Vec<f64> {
        let bits: Vec<u64> = qs.iter().map(|q| q.to_bits()).collect();
        if let Ok(memo) = self.memo.0.lock()
            && let Some((_, q)) = memo.iter().find(|(b, _)| *b == bits)
        {
            return q.clone();
        }
        let q: Vec<f64> = exact_quantiles(&self.values, qs)
            .into_iter()
            .map(|q| (q + self.shift).clamp(self.range.0, self.range.1))
            .collect();
        if let Ok(mut memo) = self.memo.0.lock() {
            memo.push((bits, q.clone()));
        }
        q
    }

    /// Forgets quantiles selected before the values changed.
    fn changed(&mut self) {
        if let Ok(mut m) = self.memo.0.lock() {
            m.clear();
        }
    }
}

/// Every trial's annual revenue and profit and input levels, in full
/// precision (`keep_trials`).
#[derive(Debug, Clone, Default)]
pub struct TrialColumns {
    /// Annual revenue per trial, CNY, in trial order.
    pub revenue: Vec<f64>,
    /// Annual profit per trial, CNY, in trial order.
    pub profit: Vec<f64>,
    /// Per input (in [`Model::inputs`] order), its level in each trial.
    pub levels: Vec<Vec<f64>>,
    /// With `keep_monthly`: each month's revenue, then each month's
    /// profit, CNY, in each trial.
    pub monthly: Vec<Vec<f64>>,
}

/// Everything a run accumulated, merged.
#[derive(Debug, Clone)]
pub struct Output {
    /// Trials run so far: what every count and share here is out of.
    pub trials: u64,
    /// Trials hitting the revenue target, the profit target, both.
    pub hits: [u64; 3],
    /// Annual revenue of every trial, CNY.
    pub revenue: PerTrial,
    /// Annual profit of every trial, CNY.
    pub profit: PerTrial,
    /// The per-trial levels registrations and new payers scale, when the
    /// model's layout derives them.
    pub funnel: Option<[PerTrial; 2]>,
    /// Per recorded series (as the layout numbers them): histogram and
    /// moments.
    pub series: Vec<(LogHistogram, Moments)>,
    /// Per month, trials whose revenue, profit and both, summed from month
    /// 1, have reached the targets by then.
    pub reached: Vec<[u64; 3]>,
    /// Every trial in full, with `keep_trials`.
    pub columns: Option<TrialColumns>,
    /// Every trial's [`HitRule`] bits, with `keep_hits`.
    pub hit_bits: Option<Vec<u8>>,
    /// With Latin hypercube sampling, per replicate: its trials and its
    /// hits of revenue, profit and both.
    pub replicates: Option<Vec<(u64, [u64; 3])>>,
    /// What sums are measured from.
    pub(crate) shifts: Shifts,
}

/// Types whose value 0 is all zero bytes, so that zeroed memory holds
/// zeros of them.
trait Zero: Copy + Default {}
impl Zero for f32 {}
impl Zero for f64 {}
impl Zero for u8 {}

/// `n` zeros, or `Err` when the memory is not there. One zeroed
/// allocation: large ones are the system's fresh pages, zero already, so
/// nothing is written until the workers write them, in parallel. (A probe
/// allocation freed before `vec![0.0; n]` measured 80 ms of serial
/// `memset` at 1,000,000 trials with `--trials-out`: freeing a large block
/// raises glibc's threshold for fresh pages, and the next one came from
/// the heap and was zeroed by hand.)
fn zeros<T: Zero>(n: usize) -> Result<Vec<T>, ()> {
    let layout = std::alloc::Layout::array::<T>(n).map_err(|_| ())?;
    if layout.size() == 0 {
        return Ok(Vec::new());
    }
    // SAFETY: the layout's size is not zero; a non-null answer is `n`
    // values of `T` whose bytes are 0, valid zeros for `T: Zero`, and the
    // vector owns the allocation with the same layout (capacity `n`).
    unsafe {
        let p = std::alloc::alloc_zeroed(layout).cast::<T>();
        if p.is_null() {
            return Err(());
        }
        Ok(Vec::from_raw_parts(p, n, n))
    }
}

/// `n` more zeros at the end of `v`, or `Err` when the memory is not
/// there.
fn grow<T: Zero>(v: &mut Vec<T>, n: usize) -> Result<(), ()> {
    if v.is_empty() {
        *v = zeros(n)?;
        return Ok(());
    }
    v.try_reserve_exact(n).map_err(|_| ())?;
    v.resize(v.len() + n, T::default());
    Ok(())
}

impl Output {
    /// Nothing yet, with the point plan's values as shifts.
    /// With Latin hypercube sampling, `replicates` gives each replicate's
    /// trials.
    pub(crate) fn empty(model: &Model, cfg: &super::Config, replicates: Option<Vec<u64>>) -> Self {
        let shifts = Shifts::of(model);
        let layout = model.layout();
        Output {
            trials: 0,
            hits: [0; 3],
            revenue: PerTrial::new(shifts.annual[0]),
            profit: PerTrial::new(shifts.annual[1]),
            funnel: layout
                .derives_funnel()
                .then(|| [PerTrial::new(0.0), PerTrial::new(0.0)]),
            series: vec![(LogHistogram::new(), Moments::default()); layout.len()],
            reached: vec![[0; 3]; model.months()],
            columns: cfg.keep_trials.then(|| TrialColumns {
                levels: vec![Vec::new(); model.inputs().len()],
                monthly: vec![
                    Vec::new();
                    if cfg.keep_monthly {
                        2 * model.months()
                    } else {
                        0
                    }
                ],
                ..TrialColumns::default()
            }),
            hit_bits: cfg.keep_hits.then(Vec::new),
            replicates: replicates.map(|r| r.into_iter().map(|n| (n, [0; 3])).collect()),
            shifts,
        }
    }

    /// With Latin hypercube sampling, the number of trials of each
    /// replicate, in order.
    pub fn replicate_sizes(&self) -> Option<Vec<u64>> {
        self.replicates
            .as_ref()
            .map(|r| r.iter().map(|(n, _)| *n).collect())
    }

    /// Room for `n` more trials in every per-trial column.
    pub(crate) fn grow(&mut self, n: usize) -> Result<(), ()> {
        for p in [&mut self.revenue, &mut self.profit]
            .into_iter()
            .chain(self.funnel.iter_mut().flatten())
        {
            p.changed();
            grow(&mut p.values, n)?;
        }
        if let Some(c) = &mut self.columns {
            grow(&mut c.revenue, n)?;
            grow(&mut c.profit, n)?;
            for l in c.levels.iter_mut().chain(&mut c.monthly) {
                grow(l, n)?;
            }
        }
        if let Some(h) = &mut self.hit_bits {
            grow(h, n)?;
        }
        Ok(())
    }

    /// The per-trial columns of trials `first..first + n` of the run, kept
    /// from index `at` on, split into chunks of `chunk` trials, in order.
    pub(crate) fn chunk_outputs(
        &mut self,
        at: usize,
        first: usize,
        n: usize,
        chunk: usize,
    ) -> Vec<ChunkOut<'_>> {
        let range = at..at + n;
        let mut revenue = self.revenue.values[range.clone()].chunks_mut(chunk);
        let mut profit = self.profit.values[range.clone()].chunks_mut(chunk);
        let mut funnel = self.funnel.as_mut().map(|[a, b]| {
            (
                a.values[range.clone()].chunks_mut(chunk),
                b.values[range.clone()].chunks_mut(chunk),
            )
        });
        let mut columns = self.columns.as_mut().map(|c| {
            (
                c.revenue[range.clone()].chunks_mut(chunk),
                c.profit[range.clone()].chunks_mut(chunk),
                c.levels
                    .iter_mut()
                    .map(|l| l[range.clone()].chunks_mut(chunk))
                    .collect::<Vec<_>>(),
                c.monthly
                    .iter_mut()
                    .map(|l| l[range.clone()].chunks_mut(chunk))
                    .collect::<Vec<_>>(),
            )
        });
        let mut hits = self
            .hit_bits
            .as_mut()
            .map(|h| h[range.clone()].chunks_mut(chunk));
        let mut outs = Vec::new();
        let mut trial = first;
        while let (Some(revenue), Some(profit)) = (revenue.next(), profit.next()) {
            let len = revenue.len();
            outs.push(ChunkOut {
                first: trial,
                revenue,
                profit,
                funnel: funnel.as_mut().map(|(a, b)| {
                    [
                        a.next().expect("same length"),
                        b.next().expect("same length"),
                    ]
                }),
                columns: columns.as_mut().map(|(r, p, l, m)| ChunkColumns {
                    revenue: r.next().expect("same length"),
                    profit: p.next().expect("same length"),
                    levels: l
                        .iter_mut()
                        .map(|c| c.next().expect("same length"))
                        .collect(),
                    monthly: m
                        .iter_mut()
                        .map(|c| c.next().expect("same length"))
                        .collect(),
                }),
                hits: hits.as_mut().map(|h| h.next().expect("same length")),
            });
            trial += len;
        }
        outs
    }

    /// Adds a worker's histogram counts.
    pub(crate) fn merge_histograms(&mut self, w: &Worker) {
        for ((h, _), wh) in self.series.iter_mut().zip(&w.hist) {
            h.merge(wh);
        }
    }

    /// Adds one chunk's statistics; chunks are merged in chunk order.
    pub(crate) fn merge_chunk(&mut self, c: &ChunkStats) {
        for (h, ch) in self.hits.iter_mut().zip(c.hits) {
            *h += ch;
        }
        let n = c.n as u64;
        let shifted = |p: &mut PerTrial, (s1, s2): (f64, f64), range: (f64, f64)| {
            p.moments
                .merge(&Moments::from_shifted_sums(n, p.shift, s1, s2));
            p.range = (p.range.0.min(range.0), p.range.1.max(range.1));
        };
        shifted(&mut self.revenue, c.annual[0], c.range[0]);
        shifted(&mut self.profit, c.annual[1], c.range[1]);
        if let Some(f) = &mut self.funnel {
            shifted(&mut f[0], c.funnel[0], c.funnel_range[0]);
            shifted(&mut f[1], c.funnel[1], c.funnel_range[1]);
        }
        for (((_, m), sums), shift) in self
            .series
            .iter_mut()
            .zip(&c.series)
            .zip(&self.shifts.series)
        {
            m.merge(&Moments::from_shifted_sums(n, *shift, sums.0, sums.1));
        }
        for (r, cr) in self.reached.iter_mut().zip(&c.reached) {
            for (a, b) in r.iter_mut().zip(cr) {
                *a += u64::from(*b);
            }
        }
        if let Some(reps) = &mut self.replicates {
            for ((_, h), ch) in reps.iter_mut().zip(&c.replicate_hits) {
                for (a, b) in h.iter_mut().zip(ch) {
                    *a += b;
                }
            }
        }
    }
}

/// One chunk's share of the full-precision columns.
pub(crate) struct ChunkColumns<'a> {
    revenue: &'a mut [f64],
    profit: &'a mut [f64],
    levels: Vec<&'a mut [f64]>,
    monthly: Vec<&'a mut [f64]>,
}

/// One chunk's share of the per-trial columns.
pub(crate) struct ChunkOut<'a> {
    first: usize,
    revenue: &'a mut [f32],
    profit: &'a mut [f32],
    funnel: Option<[&'a mut [f32]; 2]>,
    columns: Option<ChunkColumns<'a>>,
    hits: Option<&'a mut [u8]>,
}

impl ChunkOut<'_> {
    /// Trials in the chunk.
    pub(crate) fn len(&self) -> usize {
        self.revenue.len()
    }

    /// The chunk's first trial in the run.
    pub(crate) fn first(&self) -> usize {
        self.first
    }
}

/// What sums are measured from: the point plan's values, close to the
/// means, so that shifted sums of squares do not cancel.
#[derive(Debug, Clone)]
pub(crate) struct Shifts {
    annual: [f64; 2],
    series: Vec<f64>,
}

impl Shifts {
    fn of(model: &Model) -> Self {
        let mut plan = Block::new(model);
        model.fill_means(&mut plan);
        model.recursion(&mut plan);
        Shifts {
            annual: [plan.revenue[0], plan.profit[0]],
            series: (0..model.layout().len())
                .map(|s| plan.series_value(s, 0))
                .collect(),
        }
    }
}

/// What one rayon split accumulates.
pub(crate) struct Worker {
    pub(crate) block: Block,
    pub(crate) hist: Vec<LogHistogram>,
    pub(crate) chunks: Vec<(usize, ChunkStats)>,
    pub(crate) shifts: Shifts,
}

impl Worker {
    pub(crate) fn new(model: &Model, shifts: &Shifts) -> Self {
        Worker {
            block: Block::new(model),
            hist: vec![LogHistogram::new(); model.layout().len()],
            chunks: Vec::new(),
            shifts: shifts.clone(),
        }
    }
}

/// Floating-point results of one chunk, merged in chunk order later. A
/// shard keeps them unmerged ([`super::ShardState`]), so that the merge of
/// shards adds them in the one-machine run's order.
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct ChunkStats {
    n: usize,
    hits: [u64; 3],
    /// Shifted sums (Σ d, Σ d²) of annual revenue and profit.
    annual: [(f64, f64); 2],
    range: [(f64, f64); 2],
    funnel: [(f64, f64); 2],
    funnel_range: [(f64, f64); 2],
    series: Vec<(f64, f64)>,
    reached: Vec<[u32; 3]>,
    /// With Latin hypercube sampling, hits per replicate.
    replicate_hits: Vec<[u64; 3]>,
    /// The first trial whose results left finite numbers.
    #[serde(skip)]
    pub(crate) bad: Option<u64>,
    #[serde(skip)]
    shifts: [f64; 2],
    #[serde(skip)]
    series_shift: Vec<f64>,
}

/// Adds a block's sums to `sums` and widens `range` to its values.
fn fold(sums: &mut (f64, f64), range: &mut (f64, f64), b: BlockSums) {
    sums.0 += b.s1;
    sums.1 += b.s2;
    range.0 = range.0.min(b.lo);
    range.1 = range.1.max(b.hi);
}

impl ChunkStats {
    pub(crate) fn new(model: &Model, shifts: &Shifts) -> Self {
        let layout = model.layout();
        ChunkStats {
            n: 0,
            hits: [0; 3],
            annual: [(0.0, 0.0); 2],
            range: [(f64::INFINITY, f64::NEG_INFINITY); 2],
            funnel: [(0.0, 0.0); 2],
            funnel_range: [(f64::INFINITY, f64::NEG_INFINITY); 2],
            series: vec![(0.0, 0.0); layout.len()],
            reached: vec![[0; 3]; model.months()],
            replicate_hits: Vec::new(),
            bad: None,
            shifts: shifts.annual,
            series_shift: shifts.series.clone(),
        }
    }

    /// Trials of the chunk.
    pub(crate) fn trials(&self) -> usize {
        self.n
    }

    /// Whether the chunk's sums are of `series` recorded series over
    /// `months` months (a shard's state read back may be another model's).
    pub(crate) fn fits(&self, series: usize, months: usize) -> bool {
        self.series.len() == series
            && self.reached.len() == months
            && (self.replicate_hits.is_empty() || self.replicate_hits.len() == REPLICATES)
    }

    /// Folds the `block.n` trials of `block`, the chunk's trials from
    /// `start` on, into the chunk's statistics, its per-trial columns and
    /// the worker's histograms.
    pub(crate) fn add_block(
        &mut self,
        model: &Model,
        block: &Block,
        start: usize,
        out: &mut ChunkOut,
        hist: &mut [LogHistogram],
        strata: Option<&Strata>,
    ) {
        let n = block.n;
        let rule: HitRule = model.hit_rule();
        if let Some(strata) = strata {
            if self.replicate_hits.is_empty() {
                self.replicate_hits = vec![[0; 3]; REPLICATES];
            }
            let first = (out.first + start) as u64;
            for t in 0..n {
                let bits = rule.bits(block.revenue[t], block.profit[t]);
                let h = &mut self.replicate_hits[strata.replicate(first + t as u64)];
                for (x, bit) in h.iter_mut().zip(HitRule::BITS) {
                    *x += u64::from(bits & bit != 0);
                }
            }
        }
        let last = block.reached.len() - 1;
        for (h, b) in self.hits.iter_mut().zip(block.reached[last]) {
            *h += u64::from(b);
        }
        for (r, b) in self.reached.iter_mut().zip(&block.reached) {
            for (x, y) in r.iter_mut().zip(b) {
                *x += y;
            }
        }
        for (k, values) in [&block.revenue[..n], &block.profit[..n]]
            .into_iter()
            .enumerate()
        {
            let shift = self.shifts[k];
            fold(
                &mut self.annual[k],
                &mut self.range[k],
                block_sums(values, shift),
            );
            let col = if k == 0 {
                &mut out.revenue[start..start + n]
            } else {
                &mut out.profit[start..start + n]
            };
            for (t, (c, &x)) in col.iter_mut().zip(values).enumerate() {
                // Deviations from the point plan: f32 then errs by 6e-8 of
                // the spread, not of the level. A deviation beyond f32's
                // range, or one that is not finite, stops the run.
                let d = x - shift;
                *c = d as f32;
                if (d.is_nan() || d.abs() >= f32::MAX as f64) && self.bad.is_none() {
                    self.bad = Some((out.first + start + t) as u64);
                }
            }
        }
        if let Some(f) = &mut out.funnel {
            for (k, col) in f.iter_mut().enumerate() {
                let values = &block.funnel[k][..n];
                fold(
                    &mut self.funnel[k],
                    &mut self.funnel_range[k],
                    block_sums(values, 0.0),
                );
                for (c, &x) in col[start..start + n].iter_mut().zip(values) {
                    *c = x as f32;
                }
            }
        }
        if let Some(c) = &mut out.columns {
            c.revenue[start..start + n].copy_from_slice(&block.revenue[..n]);
            c.profit[start..start + n].copy_from_slice(&block.profit[..n]);
            for (i, col) in c.levels.iter_mut().enumerate() {
                col[start..start + n].copy_from_slice(&block.levels[i * BLOCK..i * BLOCK + n]);
            }
            let months = model.months();
            for (k, col) in c.monthly.iter_mut().enumerate() {
                let (metric, m) = if k < months {
                    (Metric::Revenue, k)
                } else {
                    (Metric::Profit, k - months)
                };
                let col = &mut col[start..start + n];
                let series = |i: usize| &block.series[i * BLOCK..i * BLOCK + n];
                match model.layout().metric(metric, m) {
                    Source::Series(i) => col.copy_from_slice(series(i)),
                    Source::Affine { series: i, a, b } => {
                        for (c, x) in col.iter_mut().zip(series(i)) {
                            *c = a * x + b;
                        }
                    }
                    Source::Scaled { .. } => {
                        unreachable!("revenue and profit are never scaled levels")
                    }
                }
            }
        }
        if let Some(h) = &mut out.hits {
            for (t, bits) in h[start..start + n].iter_mut().enumerate() {
                *bits = rule.bits(block.revenue[t], block.profit[t]);
            }
        }
        for (s, ((h, sums), &shift)) in hist
            .iter_mut()
            .zip(&mut self.series)
            .zip(&self.series_shift)
            .enumerate()
        {
            let values = &block.series[s * BLOCK..s * BLOCK + n];
            let b = block_sums(values, shift);
            h.insert_ranged(values, (b.lo, b.hi));
            sums.0 += b.s1;
            sums.1 += b.s2;
        }
        self.n += n;
    }
}
