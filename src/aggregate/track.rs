//! `kpisim track`'s report: the year re-forecast from its actual months
//! (docs/history.md).

use serde::Serialize;

use super::bands::Bands;
use super::header::Header;
use super::summary::{MonthBands, Summary};
use super::targets::{Pair, Probabilities};
use crate::history::update::Updated;

/// The metrics compared with the plan's bands, by name.
pub const WARNED_METRICS: [&str; 5] =
    ["registrations", "new_payers", "payers", "revenue", "profit"];

/// One actual month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActualMonth {
    /// Month of the scenario, 1-based.
    pub month: usize,
    /// Its `YYYY-MM` label.
    pub label: String,
    /// Marketing spend.
    pub spend: f64,
    /// Registrations.
    pub registrations: f64,
    /// New payers.
    pub new_payers: f64,
    /// Payers.
    pub payers: f64,
    /// Revenue.
    pub revenue: f64,
    /// Profit: revenue less creator share and operations at the scenario's
    /// rates, the actual spend, and the scenario's staff and infra.
    pub profit: f64,
}

impl ActualMonth {
    /// The values of [`WARNED_METRICS`].
    pub fn values(&self) -> [f64; 5] {
        [
            self.registrations,
            self.new_payers,
            self.payers,
            self.revenue,
            self.profit,
        ]
    }
}

/// An actual value outside the plan's P5-P95 band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// Month, 1-based.
    pub month: usize,
    /// Its label.
    pub label: String,
    /// Which value.
    pub metric: &'static str,
    /// What happened.
    pub actual: f64,
    /// The plan's 5th percentile.
    pub p5: f64,
    /// The plan's 95th percentile.
    pub p95: f64,
    /// `below` or `above` the band.
    pub side: &'static str,
}

/// What the remaining months must average.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Needed {
    /// Revenue a month (null when no month is left).
    pub revenue_per_month: Option<f64>,
    /// Profit a month (null when no month is left).
    pub profit_per_month: Option<f64>,
}

/// The report of `kpisim track`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackReport {
    /// Scenario, version, hash, trials, seed.
    #[serde(flatten)]
    pub header: Header,
    /// The actuals file.
    pub actuals: String,
    /// Months of the year.
    pub months: usize,
    /// Months with actuals.
    pub months_actual: usize,
    /// Annual targets.
    pub targets: Pair<f64>,
    /// Revenue and profit of the actual months.
    pub actual: Pair<f64>,
    /// Probability of each target, actuals plus the re-forecast.
    pub probability: Probabilities,
    /// Its standard error.
    pub standard_error: Probabilities,
    /// The plan's probability, before any actual month.
    pub plan_probability: Probabilities,
    /// Its standard error.
    pub plan_standard_error: Probabilities,
    /// The year's revenue and profit: actuals plus the re-forecast.
    pub annual: Pair<Bands>,
    /// Actual values outside the plan's P5-P95.
    pub warnings: Vec<Warning>,
    /// What the remaining months must average.
    pub needed: Needed,
    /// The actual months.
    pub actual_months: Vec<ActualMonth>,
    /// Each uncertain input before and after the actuals.
    pub updated: Vec<Updated>,
    /// The re-forecast months, numbered in the year.
    pub monthly: Vec<MonthBands>,
}

/// The warnings of `actual` against the plan's monthly bands.
pub fn warnings(plan: &Summary, actual: &[ActualMonth]) -> Vec<Warning> {
    let mut out = Vec::new();
    for a in actual {
        let m = &plan.monthly[a.month - 1];
        let bands = [
            &m.registrations,
            &m.new_payers,
            &m.payers,
            &m.revenue,
            &m.profit,
        ];
        for ((metric, v), b) in WARNED_METRICS.iter().zip(a.values()).zip(bands) {
            let side = if v < b.p5 {
                "below"
            } else if v > b.p95 {
                "above"
            } else {
                continue;
            };
            out.push(Warning {
                month: a.month,
                label: a.label.clone(),
                metric,
                actual: v,
                p5: b.p5,
                p95: b.p95,
                side,
            });
        }
    }
    out
}
