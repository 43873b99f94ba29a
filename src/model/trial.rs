//! One forecast: the monthly recursion of CONTRACT.md §1.
//!
//! The recursion is written once and is generic over where the inputs come
//! from ([`Source`]): random draws for the Monte Carlo, distribution means
//! for the point plan. Monomorphisation makes the two as fast as hand-written
//! copies.

use rand::Rng;

use super::{CPR, FCR, CompiledInput, Metric, Model};

/// Where a trial's input values come from.
pub trait Source {
    /// The drawn value D of input `i`, for the whole trial or for one month.
    fn draw(&mut self, i: usize, input: &CompiledInput) -> f64;
    /// The month-to-month noise factor of input `i`.
    fn noise(&mut self, i: usize, input: &CompiledInput) -> f64;
}

/// Random draws from one generator, in the documented order.
pub struct RngSource<'r, R: Rng>(pub &'r mut R);

impl<R: Rng> Source for RngSource<'_, R> {
    #[inline(always)]
    fn draw(&mut self, _i: usize, input: &CompiledInput) -> f64 {
        input.dist.sample(self.0)
    }
    #[inline(always)]
    fn noise(&mut self, _i: usize, input: &CompiledInput) -> f64 {
        match &input.noise {
            Some(n) => n.sample(self.0),
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
    /// D of each input for the trial (vary = "trial").
    d: Vec<f64>,
    /// Sum over months of D for inputs drawn every month.
    d_sum: Vec<f64>,
    /// Payers of each segment, last month.
    payers: Vec<f64>,
}

impl Scratch {
    /// Buffers sized for `model`.
    pub fn new(model: &Model) -> Self {
        Scratch {
            d: vec![0.0; model.inputs.len()],
            d_sum: vec![0.0; model.inputs.len()],
            payers: vec![0.0; model.segments.len()],
        }
    }

    /// Each input's level in the last trial: its D, or for an input drawn
    /// every month the mean of its monthly draws.
    pub fn levels<'a>(&'a self, model: &'a Model) -> impl Iterator<Item = f64> + 'a {
        let months = model.months as f64;
        model
            .inputs
            .iter()
            .zip(self.d.iter().zip(&self.d_sum))
            .map(move |(inp, (d, s))| if inp.per_month { s / months } else { *d })
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
    #[inline(always)]
    fn value<S: Source>(&self, src: &mut S, scratch: &mut Scratch, i: usize, m: usize) -> f64 {
        let input = &self.inputs[i];
        let d = if input.per_month {
            let d = src.draw(i, input);
            scratch.d_sum[i] += d;
            d
        } else {
            scratch.d[i]
        };
        let v = d * input.profile[m] * src.noise(i, input);
        v.max(input.lo).min(input.hi)
    }

    /// Runs one forecast. Month m's value of metric k goes to
    /// `out[(k × months + m) × stride]`, so a caller can lay out a block of
    /// trials series by series.
    ///
    /// Draw order: each input's trial-level D in input order; then, month by
    /// month, for each input in order, its monthly D (vary = "month") and its
    /// noise factor (noise_cv > 0).
    #[inline]
    pub fn run_trial<S: Source>(&self, src: &mut S, scratch: &mut Scratch, out: &mut [f64], stride: usize) -> Annual {
        for (i, input) in self.inputs.iter().enumerate() {
            if input.per_month {
                scratch.d_sum[i] = 0.0;
            } else {
                scratch.d[i] = src.draw(i, input);
            }
        }
        for (p, seg) in scratch.payers.iter_mut().zip(&self.segments) {
            *p = seg.start_payers;
        }
        let months = self.months;
        let mut annual = Annual {
            revenue: 0.0,
            profit: 0.0,
        };
        for m in 0..months {
            let cpr = self.value(src, scratch, CPR, m);
            let fcr = self.value(src, scratch, FCR, m);
            let registrations = self.budget[m] / cpr;
            let new_payers = registrations * fcr;
            let mut old_total = 0.0;
            let mut payers_total = 0.0;
            let mut revenue = 0.0;
            for s in 0..self.segments.len() {
                let r = Model::retention_index(s);
                let retention = self.value(src, scratch, r, m);
                let arpu = self.value(src, scratch, r + 1, m);
                let seg = &self.segments[s];
                let old = scratch.payers[s] * retention * seg.survive[m];
                let payers = old + new_payers * seg.share_of_new;
                scratch.payers[s] = payers;
                old_total += old;
                payers_total += payers;
                revenue += payers * arpu;
            }
            let profit = revenue * self.margin - self.budget[m] - self.fixed_costs[m];
            annual.revenue += revenue;
            annual.profit += profit;
            let values = [registrations, new_payers, old_total, payers_total, revenue, profit];
            for (k, v) in values.into_iter().enumerate() {
                out[(k * months + m) * stride] = v;
            }
        }
        annual
    }
}

/// Offset of metric `k`, month `m` in a trial's output (stride 1).
pub fn series_index(metric: Metric, m: usize, months: usize) -> usize {
    Metric::ALL.iter().position(|x| *x == metric).unwrap_or(0) * months + m
}
