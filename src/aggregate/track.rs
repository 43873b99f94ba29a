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
    /// Marketing spend that month, CNY (`marketing_spend` of the actuals).
    pub spend: f64,
    /// Registrations that month, from the actuals.
    pub registrations: f64,
    /// First-time payers that month, from the actuals.
    pub new_payers: f64,
    /// All paying users that month, from the actuals.
    pub payers: f64,
    /// Revenue that month, CNY, from the actuals.
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
    /// Month of the scenario, 1-based.
    pub month: usize,
    /// Its `YYYY-MM` label, from the actuals.
    pub label: String,
    /// Which value, one of [`WARNED_METRICS`].
    pub metric: &'static str,
    /// The actual value that month (people, or CNY for revenue and profit).
    pub actual: f64,
    /// 5th percentile of that month's value in the plan's own run.
    pub p5: f64,
    /// 95th percentile of that month's value in the plan's own run.
    pub p95: f64,
    /// `below` or `above` the band.
    pub side: &'static str,
}

/// What the remaining months must average.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Needed {
    /// CNY a month: (revenue target − actual revenue) / months left (null
    /// when no month is left).
    pub revenue_per_month: Option<f64>,
    /// CNY a month: (profit target − actual profit) / months left (null
    /// when no month is left).
    pub profit_per_month: Option<f64>,
}

/// The report of `kpisim track`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackReport {
    /// Scenario, version, hash, trials, seed.
    #[serde(flatten)]
    pub header: Header,
    /// The actuals CSV (`--actuals`), as named on the command line.
    pub actuals: String,
    /// The scenario's horizon in months: actual plus re-forecast.
    pub months: usize,
    /// Months with actuals: the scenario's first ones, one per CSV row.
    pub months_actual: usize,
    /// The scenario's annual revenue and profit targets, CNY.
    pub targets: Pair<f64>,
    /// Revenue and profit summed over the actual months, CNY.
    pub actual: Pair<f64>,
    /// Probability of each target, actuals plus the re-forecast.
    pub probability: Probabilities,
    /// Monte Carlo standard error of `probability` (0 when no month is
    /// left).
    pub standard_error: Probabilities,
    /// The plan's probability, before any actual month.
    pub plan_probability: Probabilities,
    /// Monte Carlo standard error of `plan_probability`.
    pub plan_standard_error: Probabilities,
    /// Bands of the year's revenue and profit, CNY: the actual months' sum
    /// plus the re-forecast's.
    pub annual: Pair<Bands>,
    /// Actual values outside the plan's P5-P95.
    pub warnings: Vec<Warning>,
    /// What the remaining months must average.
    pub needed: Needed,
    /// The actual months, month 1 first.
    pub actual_months: Vec<ActualMonth>,
    /// Each uncertain input before and after the actuals.
    pub updated: Vec<Updated>,
    /// What the re-forecast had to assume beyond the plan (totals split
    /// among segments), in sentences.
    pub notes: Vec<String>,
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
