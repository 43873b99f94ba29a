//! One forecast: the monthly recursion of docs/model.md.
//!
//! The recursion is written once and is generic over where the inputs come
//! from ([`Source`]): random draws for the Monte Carlo, distribution means
//! for the point plan. Monomorphisation makes the two as fast as hand-written
//! copies.

use super::{CPR, CompiledInput, FCR, Metric, Model};
use crate::error::NonFinite;
use crate::streams::{self as rng, EngineRng};

/// Where a trial's input values come from.
pub trait Source {
    /// Called before input `i` draws anything in a trial.
    fn begin_input(&mut self, _i: usize, _input: &CompiledInput) {}
    /// The drawn value D of input `i`, for the whole trial or for one month.
    fn draw(&mut self, i: usize, input: &CompiledInput) -> f64;
    /// The month-to-month noise factor of input `i`.
    fn noise(&mut self, i: usize, input: &CompiledInput) -> f64;
}

/// Random draws of one trial: each input from its own stream
/// ([`crate::streams`]).
pub struct RngSource {
    key: u64,
    rng: EngineRng,
}

impl RngSource {
    /// The draws of the trial with `key` ([`crate::streams::trial_key`]).
    #[inline(always)]
    pub fn new(key: u64) -> Self {
        RngSource {
            key,
            rng: rng::input_rng(key, 0),
        }
    }
}

impl Source for RngSource {
    #[inline(always)]
    fn begin_input(&mut self, _i: usize, input: &CompiledInput) {
        self.rng = rng::input_rng(self.key, input.salt);
    }
    #[inline(always)]
    fn draw(&mut self, _i: usize, input: &CompiledInput) -> f64 {
        input.dist.sample(&mut self.rng)
    }
    #[inline(always)]
    fn noise(&mut self, _i: usize, input: &CompiledInput) -> f64 {
        match &input.noise {
            Some(n) => n.sample(&mut self.rng),
            None => 1.0,
        }
    }
}

/// Every input at its distribution's mean, noise at its mean of 1.
pub struct MeanSource;

impl Source for MeanSource {
    fn draw(&mut self, _i: usize, input: &CompiledInput) -> f64 {
        input.dist.mean()
    }
    fn noise(&mut self, _i: usize, _input: &CompiledInput) -> f64 {
        1.0
    }
}

/// Per-worker buffers a trial writes into, allocated once.
#[derive(Debug, Clone)]
pub struct Scratch {
    /// Each input's value in each month (input-major), after profile,
    /// noise and clamping.
    values: Vec<f64>,
    /// Each input's level in the trial: D, or the mean of its monthly Ds.
    levels: Vec<f64>,
    /// Payers of each segment, last month.
    payers: Vec<f64>,
}

impl Scratch {
    /// Buffers sized for `model`.
    pub fn new(model: &Model) -> Self {
        Scratch {
            values: vec![0.0; model.inputs.len() * model.months],
            levels: vec![0.0; model.inputs.len()],
            payers: vec![0.0; model.segments.len()],
        }
    }

    /// Each input's level in the last trial: its D, or for an input drawn
    /// every month the mean of its monthly draws.
    pub fn levels(&self) -> &[f64] {
        &self.levels
    }
}

/// Annual totals of one trial.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Annual {
    /// Revenue summed over the horizon.
    pub revenue: f64,
    /// Profit summed over the horizon.
    pub profit: f64,
}

impl Model {
    /// Fills `vals` with input `i`'s value in every month.
    #[inline(always)]
    fn fill_input<S: Source>(&self, src: &mut S, i: usize, vals: &mut [f64]) -> f64 {
        let input = &self.inputs[i];
        src.begin_input(i, input);
        let profile = &input.profile[..vals.len()];
        let level = if input.per_month {
            let mut sum = 0.0;
            for (v, p) in vals.iter_mut().zip(profile) {
                let d = src.draw(i, input);
                sum += d;
                *v = d * p;
            }
            sum / vals.len() as f64
        } else {
            let d = src.draw(i, input);
            for (v, p) in vals.iter_mut().zip(profile) {
                *v = d * p;
            }
            d
        };
        if input.noise.is_some() {
            for v in vals.iter_mut() {
                *v *= src.noise(i, input);
            }
        }
        let (lo, hi) = (input.lo, input.hi);
        for v in vals.iter_mut() {
            *v = if *v < lo {
                lo
            } else if *v > hi {
                hi
            } else {
                *v
            };
        }
        level
    }

    /// Runs one forecast. Month m's value of recorded metric k goes to
    /// `out[(k × months + m) × stride]`, so a caller can lay out a block of
    /// trials series by series.
    ///
    /// Each input draws from its own stream: its D (once, or once per month
    /// for vary = "month"), then its noise factor for each month
    /// (noise_cv > 0). Inputs are filled for the whole horizon first, so the
    /// recursion itself is a tight loop over plain arrays.
    #[inline]
    pub fn run_trial<S: Source>(
        &self,
        src: &mut S,
        scratch: &mut Scratch,
        out: &mut [f64],
        stride: usize,
    ) -> Annual {
        let months = self.months;
        for i in 0..self.inputs.len() {
            let vals = &mut scratch.values[i * months..(i + 1) * months];
            scratch.levels[i] = self.fill_input(src, i, vals);
        }
        for (p, seg) in scratch.payers.iter_mut().zip(&self.segments) {
            *p = seg.start_payers;
        }
        let values = &scratch.values;
        let cpr = &values[CPR * months..(CPR + 1) * months];
        let fcr = &values[FCR * months..(FCR + 1) * months];
        let budget = &self.budget[..months];
        let mut annual = Annual {
            revenue: 0.0,
            profit: 0.0,
        };
        for m in 0..months {
            let registrations = budget[m] / cpr[m];
            let new_payers = registrations * fcr[m];
            let mut old_total = 0.0;
            let mut payers_total = 0.0;
            let mut revenue = 0.0;
            let per_segment = self.segment_series();
            for (s, seg) in self.segments.iter().enumerate() {
                let r = Model::retention_index(s) * months;
                let retention = values[r + m];
                let arpu = values[r + months + m];
                let old = scratch.payers[s] * retention * seg.survive[m];
                let payers = old + new_payers * seg.share_of_new;
                scratch.payers[s] = payers;
                old_total += old;
                payers_total += payers;
                revenue += payers * arpu;
                if per_segment {
                    let at = Model::segment_series_index(s, months, m);
                    out[at * stride] = payers;
                    out[(at + months) * stride] = payers * arpu;
                }
            }
            annual.revenue += revenue;
            annual.profit += self.profit(m, revenue);
            let row = [registrations, new_payers, old_total, payers_total, revenue];
            for (k, v) in row.into_iter().enumerate() {
                out[(k * months + m) * stride] = v;
            }
            if self.record_arpu {
                let arpu = if payers_total > 0.0 {
                    revenue / payers_total
                } else {
                    0.0
                };
                out[self.arpu_series_index(m) * stride] = arpu;
            }
        }
        annual
    }
}

impl Model {
    /// Why trial `trial` of a run with `seed` left finite numbers: the first
    /// month whose revenue is not finite (or too large to keep), and the
    /// input whose value that month is furthest from its plan value.
    pub fn diagnose(&self, seed: u64, trial: u64) -> NonFinite {
        let months = self.months;
        let run = |src: &mut dyn FnMut(&mut Scratch, &mut [f64])| {
            let mut scratch = Scratch::new(self);
            let mut out = vec![0.0; self.series()];
            src(&mut scratch, &mut out);
            (scratch, out)
        };
        let (drawn, out) = run(&mut |sc, out| {
            self.run_trial(&mut RngSource::new(rng::trial_key(seed, trial)), sc, out, 1);
        });
        let (plan, _) = run(&mut |sc, out| {
            self.run_trial(&mut MeanSource, sc, out, 1);
        });
        let revenue = |m: usize| out[series_index(Metric::Revenue, m, months).unwrap_or(0)];
        let too_big = |x: f64| x.is_nan() || x.abs() >= 1e36;
        let month = (0..months)
            .find(|&m| too_big(revenue(m)))
            .unwrap_or(months - 1);
        // How far an input's value is from its plan value, in orders of
        // magnitude; a value that is not finite is furthest.
        let distance = |i: usize| {
            let v = drawn.values[i * months + month];
            let p = plan.values[i * months + month];
            if !v.is_finite() {
                f64::INFINITY
            } else {
                ((v.abs() + 1e-300) / (p.abs() + 1e-300)).ln().abs()
            }
        };
        let input = (0..self.inputs.len())
            .max_by(|a, b| distance(*a).total_cmp(&distance(*b)))
            .unwrap_or(0);
        NonFinite {
            trial,
            seed,
            what: "revenue",
            value: crate::fmt::num(revenue(month)),
            month: (month + 1).to_string(),
            input: self.input_names[input].clone(),
            input_value: crate::fmt::num(drawn.values[input * months + month]),
        }
    }
}

/// Offset of recorded metric `metric`, month `m` in a trial's output
/// (stride 1); `None` for profit, which is not recorded.
pub fn series_index(metric: Metric, m: usize, months: usize) -> Option<usize> {
    Metric::RECORDED
        .iter()
        .position(|x| *x == metric)
        .map(|k| k * months + m)
}
