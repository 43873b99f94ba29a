//! One block of trials: the draws, then the monthly recursion of
//! docs/model.md, on plain arrays.
//!
//! Work is laid out trial-innermost (`[input][month][trial]`,
//! `[series][trial]`), so that each input's family is resolved once a block
//! rather than once a draw, and the recursion runs as loops over the trials
//! of a block that the compiler vectorises. The engine adds aggregation on
//! top; the bare kernel benchmark (`cargo bench --bench engine`) runs this
//! alone.
//!
//! Per trial, each input draws its level D from its own stream (once, or
//! once a month for `vary = "month"`), then its monthly noise factors from a
//! second stream ([`crate::streams`]); a held input draws no D.

use rand::RngExt;

use super::{CPR, CompiledInput, Draw, FCR, Metric, Model, Place, SegmentMetric, Strata};
use crate::distr::{Dist, Metalog, Triangular, normal_quantile_fast, standard_normal};
use crate::streams::{self, EngineRng};

/// Trials in a block: enough to vectorise and amortise, few enough that a
/// block's arrays stay in L1/L2.
pub const BLOCK: usize = 64;

/// Where the kernel writes one block of trials.
#[derive(Debug, Clone)]
pub struct Block {
    /// Trials in this block (at most [`BLOCK`]).
    pub n: usize,
    /// Input values after profile, noise and clamp: `[(i × months + m) × BLOCK + t]`.
    values: Vec<f64>,
    /// Each input's level: D, or the mean of its monthly Ds:
    /// `[i × BLOCK + t]`.
    pub levels: Vec<f64>,
    /// Recorded series, as [`Model::layout`] numbers them:
    /// `[series × BLOCK + t]`.
    pub series: Vec<f64>,
    /// Each trial's revenue summed over the horizon, CNY.
    pub revenue: [f64; BLOCK],
    /// Each trial's profit summed over the horizon, CNY.
    pub profit: [f64; BLOCK],
    /// The per-trial levels registrations and new payers scale, when the
    /// layout derives them.
    pub funnel: [[f64; BLOCK]; 2],
    /// Per month, how many trials of the block have reached the revenue
    /// target, the profit target and both, summing from month 1.
    pub reached: Vec<[u32; 3]>,
    payers: Vec<f64>,
}

impl Block {
    /// Buffers for `model`.
    pub fn new(model: &Model) -> Self {
        Block {
            n: 0,
            values: vec![0.0; model.inputs.len() * model.months * BLOCK],
            levels: vec![0.0; model.inputs.len() * BLOCK],
            series: vec![0.0; model.layout.len() * BLOCK],
            revenue: [0.0; BLOCK],
            profit: [0.0; BLOCK],
            funnel: [[0.0; BLOCK]; 2],
            reached: vec![[0; 3]; model.months],
            payers: vec![0.0; model.segments.len() * BLOCK],
        }
    }

    /// Input `i`'s value in month `m` of trial `t`.
    pub fn value(&self, months: usize, i: usize, m: usize, t: usize) -> f64 {
        self.values[(i * months + m) * BLOCK + t]
    }

    /// Recorded series `s` of trial `t`.
    pub fn series_value(&self, s: usize, t: usize) -> f64 {
        self.series[s * BLOCK + t]
    }
}

/// Fills `out[m × BLOCK + t]` with input `inp`'s D for trials `t < keys.len()`,
/// drawing with `sample` from each trial's stream of the input.
#[inline(always)]
fn draw_with(
    inp: &CompiledInput,
    keys: &[u64],
    months: usize,
    out: &mut [f64],
    sample: impl FnMut(&mut EngineRng) -> f64,
) {
    let drawn = draw_months(inp, keys, months, out, sample);
    repeat_month_0(drawn, months, keys.len(), out);
}

/// Draws the months of `out` that an input draws (all, or month 0 of an
/// input drawn once a trial); returns how many.
#[inline(always)]
fn draw_months(
    inp: &CompiledInput,
    keys: &[u64],
    months: usize,
    out: &mut [f64],
    mut sample: impl FnMut(&mut EngineRng) -> f64,
) -> usize {
    let drawn = if inp.per_month { months } else { 1 };
    for (t, &key) in keys.iter().enumerate() {
        let mut rng = streams::input_rng(key, inp.salt);
        for m in 0..drawn {
            out[m * BLOCK + t] = sample(&mut rng);
        }
    }
    drawn
}

/// Copies month 0's `n` values over months `drawn..months`: an input drawn
/// once a trial has the same D every month.
#[inline(always)]
fn repeat_month_0(drawn: usize, months: usize, n: usize, out: &mut [f64]) {
    for m in drawn..months {
        out.copy_within(0..n, m * BLOCK);
    }
}

/// [`draw_with`] for a family drawn a block at once: each trial's uniform
/// from its stream by `uniform`, then `fill` turns a month's block of them
/// into draws (vectorised), the same values as the family's `sample` one
/// by one.
#[inline(always)]
fn draw_by_block(
    inp: &CompiledInput,
    keys: &[u64],
    months: usize,
    out: &mut [f64],
    uniform: impl FnMut(&mut EngineRng) -> f64,
    fill: impl Fn(&mut [f64]),
) {
    let drawn = draw_months(inp, keys, months, out, uniform);
    let n = keys.len();
    for m in 0..drawn {
        fill(&mut out[m * BLOCK..m * BLOCK + n]);
    }
    repeat_month_0(drawn, months, n, out);
}

/// Where a block's trials sit in their run: their keys and, with Latin
/// hypercube sampling, the run's strata.
#[derive(Clone, Copy)]
struct Trials<'a> {
    keys: &'a [u64],
    /// With Latin hypercube sampling, the strata and each trial's place.
    strata: Option<(&'a Strata, &'a [Place])>,
}

impl Model {
    /// How input `i` gets its D from the normal scores or probabilities a
    /// copula or Latin hypercube gives it, if it does.
    fn drawn_by_quantile(&self, i: usize) -> bool {
        let inp = &self.inputs[i];
        inp.inverse.is_some() && inp.draw == Draw::Sampled
    }

    /// Draws input `i`'s D for the block's trials into `out`
    /// (`[m × BLOCK + t]`) by its sampler, one family match a block: on its
    /// own stream, or held.
    fn draw_sampled(&self, i: usize, trials: Trials, out: &mut [f64]) {
        let inp = &self.inputs[i];
        let (months, keys, n) = (self.months, trials.keys, trials.keys.len());
        match (inp.draw, &inp.dist) {
            (Draw::Held(v), _) | (Draw::Sampled, &Dist::Fixed(v)) => {
                for m in 0..months {
                    out[m * BLOCK..m * BLOCK + n].fill(v);
                }
            }
            (Draw::Sampled, Dist::Uniform(d)) => draw_with(inp, keys, months, out, |r| d.sample(r)),
            (Draw::Sampled, Dist::Triangular(d)) => {
                draw_by_block(inp, keys, months, out, Triangular::uniform, |b| d.fill(b))
            }
            (Draw::Sampled, Dist::Pert(d)) => draw_with(inp, keys, months, out, |r| d.sample(r)),
            (Draw::Sampled, Dist::Normal(d)) => draw_with(inp, keys, months, out, |r| d.sample(r)),
            (Draw::Sampled, Dist::LogNormal(d)) => {
                draw_with(inp, keys, months, out, |r| d.sample(r))
            }
            (Draw::Sampled, Dist::Beta(d)) => draw_with(inp, keys, months, out, |r| d.sample(r)),
            (Draw::Sampled, Dist::Metalog(d)) => {
                draw_by_block(inp, keys, months, out, Metalog::uniform, |b| d.fill(b))
            }
        }
    }

    /// Draws input `i`'s score for the block's trials into `out`, month 0
    /// only for an input drawn once a trial: with Latin hypercube sampling a
    /// probability u in its stratum (the offset from its stream); otherwise
    /// a standard normal from its stream. A copula member's u becomes a
    /// normal score.
    fn draw_scores(&self, i: usize, trials: Trials, out: &mut [f64]) {
        let inp = &self.inputs[i];
        let months = self.months;
        let dims = if inp.per_month { months } else { 1 };
        let member = self.copula.as_ref().is_some_and(|c| c.members.contains(&i));
        for (t, &key) in trials.keys.iter().enumerate() {
            let mut rng = streams::input_rng(key, inp.salt);
            for m in 0..dims {
                let s = match trials.strata {
                    Some((strata, places)) => {
                        let u = strata.u(i, m, places[t], rng.random::<f64>());
                        if member { normal_quantile_fast(u) } else { u }
                    }
                    None => standard_normal(&mut rng),
                };
                out[m * BLOCK + t] = s;
            }
        }
    }

    /// Draws every input's D for the block's trials: by sampler, held, or
    /// by quantile from Latin hypercube probabilities or copula-mixed
    /// normal scores.
    fn draw_levels(&self, trials: Trials, block: &mut Block) {
        let (months, n) = (self.months, trials.keys.len());
        let span = months * BLOCK;
        for i in 0..self.inputs.len() {
            let out = &mut block.values[i * span..(i + 1) * span];
            if self.drawn_by_quantile(i) {
                self.draw_scores(i, trials, out);
            } else {
                self.draw_sampled(i, trials, out);
            }
        }
        let dims = |i: usize| if self.inputs[i].per_month { months } else { 1 };
        let mut copula_members = Vec::new();
        if let Some(c) = &self.copula {
            // z = L ε, month by month: a once-a-trial member mixes only
            // once-a-trial scores, so its z is the same every month. A
            // once-a-trial member's score is kept in month 0 alone.
            let k = c.members.len();
            let (mut e, mut z) = (vec![0.0; k], vec![0.0; k]);
            let mixed_months = c.members.iter().map(|&i| dims(i)).max().unwrap_or(1);
            for m in 0..mixed_months {
                for t in 0..n {
                    for (j, &i) in c.members.iter().enumerate() {
                        let month = if self.inputs[i].per_month { m } else { 0 };
                        e[j] = block.values[i * span + month * BLOCK + t];
                    }
                    c.mix(&e, &mut z);
                    for (j, &i) in c.members.iter().enumerate() {
                        if self.drawn_by_quantile(i) && (m == 0 || self.inputs[i].per_month) {
                            block.values[i * span + m * BLOCK + t] = z[j];
                        }
                    }
                }
            }
            copula_members = c.members.clone();
        }
        for i in 0..self.inputs.len() {
            if !self.drawn_by_quantile(i) {
                continue;
            }
            let inverse = self.inputs[i].inverse.as_ref().expect("drawn by quantile");
            let by_score = copula_members.contains(&i);
            let out = &mut block.values[i * span..(i + 1) * span];
            for m in 0..dims(i) {
                for v in &mut out[m * BLOCK..m * BLOCK + n] {
                    *v = if by_score {
                        inverse.at_z(*v)
                    } else {
                        inverse.at_u(*v)
                    };
                }
            }
            repeat_month_0(dims(i), months, n, out);
        }
    }

    /// Turns input `i`'s drawn D into its monthly values: its level per
    /// trial (D, or the mean of its monthly Ds), then profile, noise (from
    /// its second stream) and clamp.
    fn finish_input(&self, i: usize, keys: &[u64], block: &mut Block) {
        let inp = &self.inputs[i];
        let months = self.months;
        let n = keys.len();
        let out = &mut block.values[i * months * BLOCK..(i + 1) * months * BLOCK];
        let levels = &mut block.levels[i * BLOCK..(i + 1) * BLOCK];
        if inp.per_month {
            levels[..n].fill(0.0);
            for m in 0..months {
                for (l, d) in levels[..n].iter_mut().zip(&out[m * BLOCK..m * BLOCK + n]) {
                    *l += d;
                }
            }
            for l in &mut levels[..n] {
                *l /= months as f64;
            }
        } else {
            levels[..n].copy_from_slice(&out[..n]);
        }
        for (m, p) in inp.profile.iter().enumerate() {
            for v in &mut out[m * BLOCK..m * BLOCK + n] {
                *v *= p;
            }
        }
        if let Some(noise) = &inp.noise {
            for (t, &key) in keys.iter().enumerate() {
                let mut rng = streams::input_rng(key, inp.noise_salt);
                for m in 0..months {
                    out[m * BLOCK + t] *= noise.sample(&mut rng);
                }
            }
        }
        let (lo, hi) = (inp.lo, inp.hi);
        for m in 0..months {
            for v in &mut out[m * BLOCK..m * BLOCK + n] {
                *v = v.clamp(lo, hi);
            }
        }
    }

    /// Runs trials `first..first + n` of a run with `seed` into `block`;
    /// `strata` with Latin hypercube sampling ([`Model::with_lhs`]).
    pub fn run_block(
        &self,
        seed: u64,
        first: u64,
        n: usize,
        block: &mut Block,
        strata: Option<&Strata>,
    ) {
        self.run_trials(seed, |t| first + t as u64, n, block, strata);
    }

    /// Runs the `n` trials `trial(0)`, `trial(1)`, ... of a run with `seed`
    /// (any trials: a trial's draws depend on its number alone) into
    /// `block`.
    pub fn run_trials(
        &self,
        seed: u64,
        trial: impl Fn(usize) -> u64,
        n: usize,
        block: &mut Block,
        strata: Option<&Strata>,
    ) {
        debug_assert!(n <= BLOCK);
        debug_assert_eq!(self.lhs, strata.is_some());
        let mut keys = [0u64; BLOCK];
        for (t, k) in keys[..n].iter_mut().enumerate() {
            *k = streams::trial_key(seed, trial(t));
        }
        block.n = n;
        let mut places = [Place::default(); BLOCK];
        if let Some(s) = strata {
            for (t, p) in places[..n].iter_mut().enumerate() {
                *p = s.locate(trial(t));
            }
        }
        let trials = Trials {
            keys: &keys[..n],
            strata: strata.map(|s| (s, &places[..n])),
        };
        self.draw_levels(trials, block);
        for i in 0..self.inputs.len() {
            self.finish_input(i, &keys[..n], block);
        }
        self.recursion(block);
    }

    /// Puts every input at its distribution's mean, times profile, noise at
    /// its mean of 1, clamped, in trial 0 of `block` (the point plan).
    pub(crate) fn fill_means(&self, block: &mut Block) {
        block.n = 1;
        let months = self.months;
        for (i, inp) in self.inputs.iter().enumerate() {
            let d = match inp.draw {
                Draw::Held(v) => v,
                Draw::Sampled => inp.dist.mean(),
            };
            block.levels[i * BLOCK] = d;
            for m in 0..months {
                block.values[(i * months + m) * BLOCK] = (d * inp.profile[m]).clamp(inp.lo, inp.hi);
            }
        }
    }

    /// The monthly recursion on the input values already in `block`, for
    /// its first `block.n` trials, vectorised across trials.
    // Month m indexes a dozen arrays of different shapes; an index reads
    // more plainly than a zip of them all.
    #[allow(clippy::needless_range_loop)]
    pub(crate) fn recursion(&self, block: &mut Block) {
        let n = block.n;
        let months = self.months;
        let layout = &self.layout;
        let targets = self.hits.targets();
        let Block {
            values,
            series,
            revenue,
            profit,
            funnel,
            reached,
            payers,
            levels,
            ..
        } = block;
        let input = |i: usize, m: usize| &values[(i * months + m) * BLOCK..][..n];
        let funnel_factors = layout.derives_funnel();
        // A cost drawn once a trial (never clamped) is D × profile every
        // month: the derived funnel scales 1 / D, and so do registrations
        // under a drawn elasticity (a division a trial, not a month).
        let cost_once =
            funnel_factors || (self.elasticity.is_some() && self.inputs[CPR].is_one_level());
        if cost_once {
            // One value a trial: 1 / D (cost) and D (rate) / D (cost).
            for t in 0..n {
                let cost = levels[CPR * BLOCK + t];
                funnel[0][t] = 1.0 / cost;
                funnel[1][t] = levels[FCR * BLOCK + t] / cost;
            }
        }
        for (s, seg) in self.segments.iter().enumerate() {
            payers[s * BLOCK..s * BLOCK + n].fill(seg.start_payers);
        }
        revenue[..n].fill(0.0);
        profit[..n].fill(0.0);
        let mut registrations = [0.0f64; BLOCK];
        let mut new = [0.0f64; BLOCK];
        let mut old_total = [0.0f64; BLOCK];
        let mut payers_total = [0.0f64; BLOCK];
        let mut month_revenue = [0.0f64; BLOCK];
        for m in 0..months {
            if let (true, super::Source::Scaled { factor: f_reg, .. }) =
                (funnel_factors, layout.metric(Metric::Registrations, m))
            {
                let f_new = match layout.metric(Metric::NewPayers, m) {
                    super::Source::Scaled { factor, .. } => factor,
                    _ => unreachable!("derived together"),
                };
                for t in 0..n {
                    registrations[t] = f_reg * funnel[0][t];
                    new[t] = f_new * funnel[1][t];
                }
            } else {
                let (cpr, fcr) = (input(CPR, m), input(FCR, m));
                let budget = self.budget[m];
                match self.elasticity {
                    None => {
                        for t in 0..n {
                            registrations[t] = budget / cpr[t];
                        }
                    }
                    // A registration costs (budget / reference)^E more: one
                    // exp a trial-month.
                    Some(e) => {
                        let mut factor = [0.0f64; BLOCK];
                        super::returns::spend_factors(
                            input(e, m),
                            self.log_spend[m],
                            &mut factor[..n],
                        );
                        if cost_once {
                            let scale = budget / self.inputs[CPR].profile[m];
                            for t in 0..n {
                                registrations[t] = scale * funnel[0][t] * factor[t];
                            }
                        } else {
                            for t in 0..n {
                                registrations[t] = budget / cpr[t] * factor[t];
                            }
                        }
                    }
                }
                for t in 0..n {
                    new[t] = registrations[t] * fcr[t];
                }
            }
            old_total[..n].fill(0.0);
            payers_total[..n].fill(0.0);
            month_revenue[..n].fill(0.0);
            for &s in &self.sum_order {
                let seg = &self.segments[s];
                let (retention, arpu) = (input(seg.retention, m), input(seg.arpu, m));
                let survive = seg.survive[m];
                let share = seg.share_of_new;
                let p = &mut payers[s * BLOCK..s * BLOCK + n];
                for t in 0..n {
                    let old = p[t] * retention[t] * survive;
                    let now = old + new[t] * share;
                    p[t] = now;
                    old_total[t] += old;
                    payers_total[t] += now;
                    month_revenue[t] += now * arpu[t];
                }
                if let Some(at) = layout.segment_series(s, SegmentMetric::Payers, m) {
                    series[at * BLOCK..at * BLOCK + n].copy_from_slice(p);
                    let rev = layout
                        .segment_series(s, SegmentMetric::Revenue, m)
                        .expect("recorded together");
                    for t in 0..n {
                        series[rev * BLOCK + t] = p[t] * arpu[t];
                    }
                }
            }
            for (k, values) in [
                (Metric::Registrations, &registrations),
                (Metric::NewPayers, &new),
                (Metric::OldPayers, &old_total),
                (Metric::Payers, &payers_total),
                (Metric::Revenue, &month_revenue),
            ] {
                if let Some(at) = layout.recorded(k, m) {
                    series[at * BLOCK..at * BLOCK + n].copy_from_slice(&values[..n]);
                }
            }
            if let Some(at) = layout.arpu(m) {
                for t in 0..n {
                    let p = payers_total[t];
                    series[at * BLOCK + t] = if p > 0.0 { month_revenue[t] / p } else { 0.0 };
                }
            }
            let (margin, cost) = (self.margin, self.costs[m]);
            let per_payer = self.per_payer.as_ref().map_or(0.0, |c| c[m]);
            // Recorded profit is kept plus the month's fixed costs (layout's
            // `Profit::Recorded`).
            if let Some(at) = layout.recorded(Metric::Profit, m) {
                for t in 0..n {
                    series[at * BLOCK + t] =
                        month_revenue[t] * margin - per_payer * payers_total[t];
                }
            }
            let mut hits = [0u32; 3];
            for t in 0..n {
                revenue[t] += month_revenue[t];
                profit[t] += month_revenue[t] * margin - cost - per_payer * payers_total[t];
                let r = revenue[t] >= targets.revenue;
                let p = profit[t] >= targets.profit;
                hits[0] += u32::from(r);
                hits[1] += u32::from(p);
                hits[2] += u32::from(r && p);
            }
            reached[m] = hits;
        }
    }

    /// The hit bits of trial `t` of `block`.
    pub fn hit_bits(&self, block: &Block, t: usize) -> u8 {
        self.hits.bits(block.revenue[t], block.profit[t])
    }
}
