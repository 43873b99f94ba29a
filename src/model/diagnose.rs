//! Why a trial left finite numbers: named in the terms of the scenario.

use super::{Block, Metric, Model, Strata};

/// A trial whose results are not finite (or too large to keep).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "trial {trial} (seed {seed}): {what} became {value} in month {month}; {input} was {input_value} that month. \
     Narrow that input's distribution, profile or noise"
)]
pub struct NonFinite {
    /// The trial's index in the run, 0-based.
    pub trial: u64,
    /// The run's seed.
    pub seed: u64,
    /// What went out of range ("revenue").
    pub what: &'static str,
    /// Its value ("inf", "NaN").
    pub value: String,
    /// The month, 1-based.
    pub month: usize,
    /// The input most to blame, by path.
    pub input: String,
    /// The input's value that month, after profile, noise and clamp, as
    /// text.
    pub input_value: String,
}

impl Model {
    /// Why trial `trial` of a run with `seed` left finite numbers: the first
    /// month whose revenue is not finite (or too large to keep), and the
    /// input whose value that month is furthest from its plan value.
    pub fn diagnose(&self, seed: u64, trial: u64, strata: Option<&Strata>) -> NonFinite {
        let months = self.months;
        let mut drawn = Block::new(self);
        self.run_block(seed, trial, 1, &mut drawn, strata);
        let mut plan = Block::new(self);
        self.fill_means(&mut plan);
        let at = |m| self.layout.recorded(Metric::Revenue, m).expect("recorded");
        let revenue = |m: usize| drawn.series_value(at(m), 0);
        let too_big = |x: f64| x.is_nan() || x.abs() >= 1e36;
        let month = (0..months)
            .find(|&m| too_big(revenue(m)))
            .unwrap_or(months - 1);
        // How far an input's value is from its plan value, in orders of
        // magnitude; a value that is not finite is furthest.
        let distance = |i: usize| {
            let v = drawn.value(months, i, month, 0);
            let p = plan.value(months, i, month, 0);
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
            value: crate::present::num(revenue(month)),
            month: month + 1,
            input: self.input_names()[input].clone(),
            input_value: crate::present::num(drawn.value(months, input, month, 0)),
        }
    }
}
