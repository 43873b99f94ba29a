//! The run summary: the JSON of docs/output.md, and what every renderer
//! reads. One `Serialize` type is the single source of the JSON schema.

use serde::Serialize;

use super::{LogHistogram, Moments, exact_quantiles};

/// The percentiles of every band, as fractions.
pub const PERCENTILES: [f64; 7] = [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95];

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
    /// From moments and the seven [`PERCENTILES`].
    pub fn new(m: &Moments, p: &[f64]) -> Self {
        Bands {
            mean: m.mean,
            sd: m.sd(),
            p5: p[0],
            p10: p[1],
            p25: p[2],
            p50: p[3],
            p75: p[4],
            p90: p[5],
            p95: p[6],
        }
    }

    /// From a histogram (percentiles within 0.05%) and exact moments.
    pub fn from_histogram(m: &Moments, h: &LogHistogram) -> Self {
        Bands::new(m, &h.quantiles(&PERCENTILES))
    }

    /// From exact values less `shift` (reordered in place), the moments of
    /// the values themselves and their observed `(min, max)`, which every
    /// percentile stays within.
    pub fn from_values(m: &Moments, v: &mut [f32], shift: f64, range: (f64, f64)) -> Self {
        let p: Vec<f64> = exact_quantiles(v, &PERCENTILES)
            .iter()
            .map(|q| (q + shift).clamp(range.0, range.1))
            .collect();
        Bands::new(m, &p)
    }

    /// The bands of `a × X + b` (a >= 0) from those of X.
    pub fn affine(&self, a: f64, b: f64) -> Bands {
        let f = |x: f64| a * x + b;
        Bands {
            mean: f(self.mean),
            sd: a * self.sd,
            p5: f(self.p5),
            p10: f(self.p10),
            p25: f(self.p25),
            p50: f(self.p50),
            p75: f(self.p75),
            p90: f(self.p90),
            p95: f(self.p95),
        }
    }

    /// The percentiles in [`PERCENTILES`] order.
    pub fn percentiles(&self) -> [f64; 7] {
        [
            self.p5, self.p10, self.p25, self.p50, self.p75, self.p90, self.p95,
        ]
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
        let p = |h: u64| h as f64 / n as f64;
        Probabilities {
            revenue: p(hits[0]),
            profit: p(hits[1]),
            both: p(hits[2]),
        }
    }

    /// Monte Carlo standard errors sqrt(p (1 - p) / n) of these shares.
    pub fn standard_errors(&self, n: u64) -> Self {
        let se = |p: f64| (p * (1.0 - p) / n as f64).sqrt();
        Probabilities {
            revenue: se(self.revenue),
            profit: se(self.profit),
            both: se(self.both),
        }
    }
}

/// Annual revenue and profit, one value each.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pair<T> {
    /// Revenue.
    pub revenue: T,
    /// Profit.
    pub profit: T,
}

impl From<crate::scenario::Targets> for Pair<f64> {
    fn from(t: crate::scenario::Targets) -> Self {
        Pair {
            revenue: t.revenue,
            profit: t.profit,
        }
    }
}

/// One month's bands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthBands {
    /// Month, 1-based.
    pub month: usize,
    /// `YYYY-MM` when the scenario has a `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Registrations.
    pub registrations: Bands,
    /// New payers.
    pub new_payers: Bands,
    /// Old payers.
    pub old_payers: Bands,
    /// Total payers.
    pub payers: Bands,
    /// Revenue.
    pub revenue: Bands,
    /// Profit.
    pub profit: Bands,
}

impl MonthBands {
    /// The bands in [`crate::model::Metric::ALL`] order.
    pub fn metrics(&self) -> [&Bands; 6] {
        [
            &self.registrations,
            &self.new_payers,
            &self.old_payers,
            &self.payers,
            &self.revenue,
            &self.profit,
        ]
    }
}

/// One segment's month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentMonth {
    /// Month, 1-based.
    pub month: usize,
    /// The segment's payers.
    pub payers: Bands,
    /// The segment's revenue.
    pub revenue: Bands,
}

/// One segment's bands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentSummary {
    /// Segment name.
    pub name: String,
    /// Its share of expected revenue over the horizon: the sum of its
    /// monthly mean revenues over the sum of all monthly mean revenues.
    pub revenue_share: f64,
    /// Its monthly bands.
    pub monthly: Vec<SegmentMonth>,
}

/// The result of `kpisim run` for one scenario (docs/output.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// The scenario file as named.
    pub file: String,
    /// Version of kpisim that made it.
    pub kpisim: &'static str,
    /// SHA-256 of the scenario file's bytes.
    pub scenario_sha256: String,
    /// Number of trials.
    pub trials: u64,
    /// Seed.
    pub seed: u64,
    /// Horizon.
    pub months: usize,
    /// Label of month 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Annual targets.
    pub targets: Pair<f64>,
    /// Share of trials hitting each target.
    pub probability: Probabilities,
    /// Monte Carlo standard error of each probability.
    pub standard_error: Probabilities,
    /// The point plan's annual revenue and profit.
    pub point: Pair<f64>,
    /// Annual bands.
    pub annual: Pair<Bands>,
    /// Monthly bands.
    pub monthly: Vec<MonthBands>,
    /// Per segment: monthly bands of payers and revenue, share of revenue.
    pub segments: Vec<SegmentSummary>,
}

/// What identifies a run, besides its accumulators.
#[derive(Debug, Clone)]
pub struct RunMeta {
    /// Scenario name.
    pub scenario: String,
    /// The scenario file as named.
    pub file: String,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// Seed.
    pub seed: u64,
    /// Label of each month, when the scenario has a `start`.
    pub labels: Option<Vec<String>>,
    /// Annual targets.
    pub targets: Pair<f64>,
    /// The point plan's annual figures.
    pub point: Pair<f64>,
    /// Per month, `(margin, fixed)` with profit = margin × revenue - fixed
    /// ([`crate::model::Model::profit_affine`]).
    pub profit_affine: Vec<(f64, f64)>,
    /// Segment names, in file order.
    pub segments: Vec<String>,
}

impl Summary {
    /// Builds the summary; reorders `acc.annual_values` (quantile selection).
    pub fn build(meta: RunMeta, acc: &mut super::Accumulated) -> Summary {
        let n = acc.trials;
        let probability = Probabilities::from_hits(acc.hits, n);
        let months = meta.profit_affine.len();
        let band = |k: usize, m: usize| {
            let (h, mo) = &acc.series[k * months + m];
            Bands::from_histogram(mo, h)
        };
        let monthly = (0..months)
            .map(|m| MonthBands {
                month: m + 1,
                label: meta.labels.as_ref().map(|l| l[m].clone()),
                registrations: band(0, m),
                new_payers: band(1, m),
                old_payers: band(2, m),
                payers: band(3, m),
                revenue: band(4, m),
                profit: band(4, m).affine(meta.profit_affine[m].0, -meta.profit_affine[m].1),
            })
            .collect();
        let total_revenue: f64 = (0..months).map(|m| acc.series[4 * months + m].1.mean).sum();
        let segments = meta
            .segments
            .iter()
            .enumerate()
            .map(|(s, name)| {
                let (payers_at, revenue_at) =
                    crate::model::Model::segment_series_start(meta.segments.len(), s, months);
                let bands = |at: usize| {
                    let (h, mo) = &acc.series[at];
                    Bands::from_histogram(mo, h)
                };
                let revenue: f64 = (0..months).map(|m| acc.series[revenue_at + m].1.mean).sum();
                SegmentSummary {
                    name: name.clone(),
                    revenue_share: if total_revenue > 0.0 {
                        revenue / total_revenue
                    } else {
                        0.0
                    },
                    monthly: (0..months)
                        .map(|m| SegmentMonth {
                            month: m + 1,
                            payers: bands(payers_at + m),
                            revenue: bands(revenue_at + m),
                        })
                        .collect(),
                }
            })
            .collect();
        Summary {
            scenario: meta.scenario,
            file: meta.file,
            kpisim: crate::VERSION,
            scenario_sha256: meta.scenario_sha256,
            trials: n,
            seed: meta.seed,
            months,
            start: meta.labels.as_ref().map(|l| l[0].clone()),
            targets: meta.targets,
            probability,
            standard_error: probability.standard_errors(n),
            point: meta.point,
            annual: Pair {
                revenue: Bands::from_values(
                    &acc.annual.revenue,
                    &mut acc.annual_values.revenue,
                    acc.annual_shift.revenue,
                    acc.annual_range.revenue,
                ),
                profit: Bands::from_values(
                    &acc.annual.profit,
                    &mut acc.annual_values.profit,
                    acc.annual_shift.profit,
                    acc.annual_range.profit,
                ),
            },
            monthly,
            segments,
        }
    }
}
