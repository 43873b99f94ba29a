//! `kpisim fit`'s report: what was fitted from which months, and with
//! `--holdout` the coverage backtest (docs/history.md).

use serde::Serialize;

use super::header::Origin;
use super::summary::Summary;
use crate::history::History;
use crate::history::fitted::Fit;

/// The monthly values a backtest checks, in the order it lists them.
pub const HOLDOUT_METRICS: [&str; 4] = ["registrations", "new_payers", "payers", "revenue"];

/// One held-out value and the fitted bands around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeldOut {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// Which value, one of [`HOLDOUT_METRICS`].
    pub metric: &'static str,
    /// The value in the history file that month (people, or CNY for
    /// revenue).
    pub actual: f64,
    /// 5th percentile of that month's value over the backtest's trials,
    /// simulated with the inputs fitted on the earlier months.
    pub p5: f64,
    /// 25th percentile of the simulated value, likewise.
    pub p25: f64,
    /// 75th percentile of the simulated value, likewise.
    pub p75: f64,
    /// 95th percentile of the simulated value, likewise.
    pub p95: f64,
}

impl HeldOut {
    /// Inside P5-P95.
    pub fn in_90(&self) -> bool {
        self.p5 <= self.actual && self.actual <= self.p95
    }

    /// Inside P25-P75.
    pub fn in_50(&self) -> bool {
        self.p25 <= self.actual && self.actual <= self.p75
    }
}

/// Shares of held-out values inside each band.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Coverage {
    /// Fraction 0..1 of the held-out values inside their P5-P95 band
    /// (nominal 0.9).
    pub p5_p95: f64,
    /// Fraction 0..1 of the held-out values inside their P25-P75 band
    /// (nominal 0.5).
    pub p25_p75: f64,
}

/// The months a backtest fitted on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FittedOn {
    /// Number of months fitted on: every row of the history before the
    /// held-out ones.
    pub months: usize,
    /// First month fitted on, `YYYY-MM` (the history's first row).
    pub from: String,
    /// Last month fitted on, `YYYY-MM`: the month before the held-out ones.
    pub to: String,
}

/// The coverage backtest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holdout {
    /// Months held out: the history's last `--holdout` months.
    pub months: usize,
    /// The months fitted on.
    pub fitted_on: FittedOn,
    /// Trials of the simulation of the held-out months.
    pub trials: u64,
    /// Seed of that simulation (`--seed`).
    pub seed: u64,
    /// Shares of the held-out values inside their simulated bands.
    pub coverage: Coverage,
    /// Every held-out value, month by month.
    pub values: Vec<HeldOut>,
}

impl Holdout {
    /// The backtest of `held` (the last months of a history) against
    /// `run`, the simulation of those months by the inputs fitted on
    /// `fitted_on`.
    pub fn build(run: &Summary, held: &History, fitted_on: &History) -> Holdout {
        let mut values = Vec::new();
        for (i, m) in run.monthly.iter().enumerate() {
            let actual = [
                held.registrations[i],
                held.new_payers[i],
                held.payers[i],
                held.revenue[i],
            ];
            let bands = [&m.registrations, &m.new_payers, &m.payers, &m.revenue];
            for ((metric, actual), b) in HOLDOUT_METRICS.iter().zip(actual).zip(bands) {
                values.push(HeldOut {
                    month: held.label(i),
                    metric,
                    actual,
                    p5: b.p5,
                    p25: b.p25,
                    p75: b.p75,
                    p95: b.p95,
                });
            }
        }
        let share = |f: fn(&HeldOut) -> bool| {
            values.iter().filter(|v| f(v)).count() as f64 / values.len().max(1) as f64
        };
        Holdout {
            months: held.len(),
            fitted_on: FittedOn {
                months: fitted_on.len(),
                from: fitted_on.label(0),
                to: fitted_on.label(fitted_on.len() - 1),
            },
            trials: run.header.trials,
            seed: run.header.seed,
            coverage: Coverage {
                p5_p95: share(HeldOut::in_90),
                p25_p75: share(HeldOut::in_50),
            },
            values,
        }
    }
}

/// The report of `kpisim fit`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitReport {
    /// Version of kpisim that made the report.
    pub kpisim: &'static str,
    /// The history CSV the inputs were fitted on, as named on the command
    /// line.
    pub history: String,
    /// The plan scenario file (`--plan`), as named on the command line.
    pub plan: String,
    /// SHA-256 of the plan file's bytes.
    pub plan_sha256: String,
    /// The fitted scenario file written (`--output`), as named.
    pub output: String,
    /// The fit: months, inputs, starting payers.
    #[serde(flatten)]
    pub fit: Fit,
    /// The backtest, with `--holdout`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holdout: Option<Holdout>,
}

impl FitReport {
    /// The report of `fit` onto the plan of origin `plan`, from `history`,
    /// written to `output`.
    pub fn new(
        plan: &Origin,
        history: &str,
        output: &str,
        fit: Fit,
        holdout: Option<Holdout>,
    ) -> Self {
        FitReport {
            kpisim: crate::VERSION,
            history: history.to_string(),
            plan: plan.file.clone(),
            plan_sha256: plan.scenario_sha256.clone(),
            output: output.to_string(),
            fit,
            holdout,
        }
    }
}
