//! The pieces every report is made of: the header that traces it to what
//! produced it, values per target, bands, and reading a monthly quantity's
//! band from a run wherever the layout keeps it.

use std::ops::Deref;

use serde::Serialize;

use crate::engine::{Output, Sampling};
use crate::model::{Level, Source};
use crate::scenario::{Loaded, Targets};
use crate::stats::Moments;

/// The percentiles of every band, as fractions.
pub const PERCENTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

/// Where a report comes from: the scenario and the version of kpisim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    /// Scenario name.
    pub scenario: String,
    /// The scenario file as named on the command line.
    pub file: String,
    /// Version of kpisim that made the report.
    pub kpisim: &'static str,
    /// SHA-256 of the scenario file's bytes.
    pub scenario_sha256: String,
}

impl Origin {
    /// The origin of reports on `l` (its scenario, or a variant of it, as
    /// named by `name`).
    pub fn of(l: &Loaded, name: &str) -> Self {
        Origin {
            scenario: name.to_string(),
            file: l.file.clone(),
            kpisim: crate::VERSION,
            scenario_sha256: l.sha256.clone(),
        }
    }
}

/// How a run with `--precision` ended.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Precision {
    /// The target whose probability was watched.
    pub target: &'static str,
    /// The standard error asked for.
    pub asked: f64,
    /// The standard error reached.
    pub standard_error: f64,
    /// Whether it reached the one asked for before `--trials` ran out.
    pub reached: bool,
}

/// The header of every simulated report: its origin, trials, seed and how
/// inputs were drawn. Flattened into each report's JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// Scenario, file, version, hash.
    #[serde(flatten)]
    pub origin: Origin,
    /// Trials (per run, for commands of several runs).
    pub trials: u64,
    /// Seed shared by every run of the report.
    pub seed: u64,
    /// `mc` (plain Monte Carlo) or `lhs` (Latin hypercube).
    pub sampling: &'static str,
    /// With `--precision`, how the run ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
}

impl Header {
    /// The header of a report on `l` with `trials` and `seed`, sampled as
    /// `sampling` says.
    pub fn new(l: &Loaded, trials: u64, seed: u64, sampling: Sampling) -> Self {
        Header {
            origin: Origin::of(l, &l.scenario.name),
            trials,
            seed,
            sampling: match sampling {
                Sampling::MonteCarlo => "mc",
                Sampling::LatinHypercube => "lhs",
            },
            precision: None,
        }
    }
}

impl Deref for Header {
    type Target = Origin;
    fn deref(&self) -> &Origin {
        &self.origin
    }
}

/// A value per target: revenue, profit, both.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Probabilities {
    /// Revenue target.
    pub revenue: f64,
    /// Profit target.
    pub profit: f64,
    /// Both targets in the same trial.
    pub both: f64,
}

impl Probabilities {
    /// Hit shares from hit counts out of `n` trials.
    pub fn from_hits(hits: [u64; 3], n: u64) -> Self {
        let p = |h: u64| h as f64 / n.max(1) as f64;
        Probabilities {
            revenue: p(hits[0]),
            profit: p(hits[1]),
            both: p(hits[2]),
        }
    }

    /// Monte Carlo standard errors sqrt(p (1 - p) / n) of these shares.
    pub fn standard_errors(&self, n: u64) -> Self {
        self.map(|p| (p * (1.0 - p) / n.max(1) as f64).sqrt())
    }

    /// Each value through `f`.
    pub fn map(&self, f: impl Fn(f64) -> f64) -> Self {
        Probabilities {
            revenue: f(self.revenue),
            profit: f(self.profit),
            both: f(self.both),
        }
    }

    /// The three values, in the order revenue, profit, both.
    pub fn values(&self) -> [f64; 3] {
        [self.revenue, self.profit, self.both]
    }

    /// The value for `target` (`revenue`, `profit` or `both`).
    pub fn get(&self, target: crate::model::Target) -> f64 {
        self.values()[target.index()]
    }
}

/// The probability of each target in `out`, and its standard error:
/// `sqrt(p (1 - p) / n)` for plain Monte Carlo; for a Latin hypercube, the
/// sample sd of the replicates' probabilities over the square root of their
/// number.
pub fn probabilities(out: &Output) -> (Probabilities, Probabilities) {
    let p = Probabilities::from_hits(out.hits, out.trials);
    let se = match &out.replicates {
        None => p.standard_errors(out.trials),
        Some(reps) => {
            let each: Vec<Probabilities> = reps
                .iter()
                .map(|(n, hits)| Probabilities::from_hits(*hits, *n))
                .collect();
            let k = each.len() as f64;
            let spread = |f: fn(&Probabilities) -> f64| {
                let mean = each.iter().map(f).sum::<f64>() / k;
                let var = each.iter().map(|x| (f(x) - mean).powi(2)).sum::<f64>() / (k - 1.0);
                (var / k).sqrt()
            };
            Probabilities {
                revenue: spread(|x| x.revenue),
                profit: spread(|x| x.profit),
                both: spread(|x| x.both),
            }
        }
    };
    (p, se)
}

/// Annual revenue and profit, one value each.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pair<T> {
    /// Revenue.
    pub revenue: T,
    /// Profit.
    pub profit: T,
}

impl From<Targets> for Pair<f64> {
    fn from(t: Targets) -> Self {
        Pair {
            revenue: t.revenue,
            profit: t.profit,
        }
    }
}

/// Mean, sd and P5..P95 of one quantity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bands {
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub sd: f64,
    /// 5th percentile.
    pub p5: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
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
