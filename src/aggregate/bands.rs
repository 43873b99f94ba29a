//! Bands: the mean, sd and percentiles of one simulated quantity, read
//! from a run wherever its layout keeps it (a histogram, or a per-trial
//! level it scales).

use serde::Serialize;

use crate::engine::Output;
use crate::model::{Level, Source};
use crate::stats::Moments;

/// The percentiles of every band, as fractions.
pub const PERCENTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// Mean, sd and P5..P95 of one quantity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bands {
    /// Mean of the simulated values over all trials, in the quantity's unit
    /// (CNY for money, people for registrations and payers).
    pub mean: f64,
    /// Sample standard deviation over all trials, in the same unit.
    pub sd: f64,
    /// 5th percentile of the simulated values: one trial in twenty is lower.
    pub p5: f64,
    /// 10th percentile of the simulated values.
    pub p10: f64,
    /// 25th percentile (lower quartile) of the simulated values.
    pub p25: f64,
    /// Median: the 50th percentile of the simulated values.
    pub p50: f64,
    /// 75th percentile (upper quartile) of the simulated values.
    pub p75: f64,
    /// 90th percentile of the simulated values.
    pub p90: f64,
    /// 95th percentile of the simulated values: one trial in twenty is
    /// higher.
    pub p95: f64,
}

impl Bands {
    /// From a mean, an sd and the seven [`PERCENTILES`].
    pub fn new(mean: f64, sd: f64, p: &[f64]) -> Self {
        Bands {
            mean,
            sd,
            p5: p[0],
            p10: p[1],
            p25: p[2],
            p50: p[3],
            p75: p[4],
            p90: p[5],
            p95: p[6],
        }
    }

    /// A band that is one value: a month already known.
    pub fn exact(v: f64) -> Self {
        Bands::new(v, 0.0, &[v; 7])
    }

    /// The same band moved by `by` (a year's actual months added to the
    /// rest's band).
    pub fn shifted(&self, by: f64) -> Self {
        let p = self.percentiles().map(|q| q + by);
        Bands::new(self.mean + by, self.sd, &p)
    }

    /// The percentiles in [`PERCENTILES`] order.
    pub fn percentiles(&self) -> [f64; 7] {
        [
            self.p5, self.p10, self.p25, self.p50, self.p75, self.p90, self.p95,
        ]
    }
}

/// Quantiles `qs` of a monthly quantity kept at `source` in `out`: from its
/// histogram, or exactly from the per-trial level it scales.
pub fn quantiles_at(out: &Output, source: Source, qs: &[f64]) -> Vec<f64> {
    match source {
        Source::Series(i) => out.series[i].0.quantiles(qs),
        Source::Scaled { level, factor } => level_of(out, level)
            .quantiles(qs)
            .into_iter()
            .map(|q| q * factor)
            .collect(),
        Source::Affine { series, a, b } => out.series[series]
            .0
            .quantiles(qs)
            .into_iter()
            .map(|q| a * q + b)
            .collect(),
    }
}

/// The mean of the quantity at `source`.
pub fn mean_at(out: &Output, source: Source) -> f64 {
    let m = moments_at(out, source);
    m.0
}

/// Mean and sd of the quantity at `source`.
fn moments_at(out: &Output, source: Source) -> (f64, f64) {
    let of = |m: &Moments, a: f64, b: f64| (a * m.mean + b, a * m.sd());
    match source {
        Source::Series(i) => of(&out.series[i].1, 1.0, 0.0),
        Source::Scaled { level, factor } => of(&level_of(out, level).moments, factor, 0.0),
        Source::Affine { series, a, b } => of(&out.series[series].1, a, b),
    }
}

fn level_of(out: &Output, level: Level) -> &crate::engine::PerTrial {
    let f = out.funnel.as_ref().expect("the layout derives the funnel");
    match level {
        Level::Registrations => &f[0],
        Level::NewPayers => &f[1],
    }
}

/// The band of the quantity at `source`.
pub fn band_at(out: &Output, source: Source) -> Bands {
    let (mean, sd) = moments_at(out, source);
    Bands::new(mean, sd, &quantiles_at(out, source, &PERCENTILES))
}

/// The band of a per-trial value.
pub fn band_of(p: &crate::engine::PerTrial) -> Bands {
    Bands::new(p.moments.mean, p.moments.sd(), &p.quantiles(&PERCENTILES))
}
