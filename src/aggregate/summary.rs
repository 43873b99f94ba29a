//! The run summary: the JSON of docs/output.md, and what every renderer
//! reads. One `Serialize` type is the single source of the JSON schema.

use serde::Serialize;

use super::assumptions::Assumptions;
use super::bands::{Bands, band_at, band_of, mean_at};
use super::header::Header;
use super::path::PathToTarget;
use super::targets::{Pair, Probabilities, probabilities};
use crate::engine::Output;
use crate::model::{Metric, Model, SegmentMetric};

/// One month's bands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthBands {
    /// Month, 1-based.
    pub month: usize,
    /// `YYYY-MM` when the scenario has a `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Registrations that month: budget / cost per registration.
    pub registrations: Bands,
    /// New payers that month: registrations × first-charge rate.
    pub new_payers: Bands,
    /// Old payers that month: last month's payers kept by retention, less
    /// shocks, over all segments.
    pub old_payers: Bands,
    /// All payers that month, old plus new, over all segments.
    pub payers: Bands,
    /// Revenue that month, CNY: payers × ARPU summed over segments.
    pub revenue: Bands,
    /// Profit that month, CNY: margin × revenue − budget − staff − infra.
    pub profit: Bands,
}

impl MonthBands {
    /// The bands in [`Metric::ALL`] order.
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
    /// `YYYY-MM` when the scenario has a `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The segment's payers that month: its old ones kept plus its share of
    /// the new.
    pub payers: Bands,
    /// The segment's revenue that month, CNY: its payers × its ARPU.
    pub revenue: Bands,
}

/// One segment's bands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentSummary {
    /// Segment name, as in the scenario.
    pub name: String,
    /// Its share of expected revenue over the horizon: the sum of its
    /// monthly mean revenues over the sum of all monthly mean revenues.
    pub revenue_share: f64,
    /// Its monthly bands.
    pub monthly: Vec<SegmentMonth>,
}

/// Per month, the share of trials that have reached each target by then.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reached {
    /// Month, 1-based.
    pub month: usize,
    /// `YYYY-MM` when the scenario has a `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Share 0..1 of trials whose revenue summed from month 1 to this one is
    /// at least the annual target.
    pub revenue: f64,
    /// Share 0..1 of trials whose profit summed from month 1 to this one is
    /// at least the annual target (it can fall back later).
    pub profit: f64,
    /// Share 0..1 of trials where both hold at this month.
    pub both: f64,
}

/// The result of `kpisim run` for one scenario (docs/output.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Scenario, file, version, hash, trials, seed.
    #[serde(flatten)]
    pub header: Header,
    /// Horizon in months: one entry of `monthly` each.
    pub months: usize,
    /// `YYYY-MM` of month 1, when the scenario has a `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// The scenario's annual revenue and profit targets, CNY.
    pub targets: Pair<f64>,
    /// Share of trials hitting each target.
    pub probability: Probabilities,
    /// Monte Carlo standard error of each probability.
    pub standard_error: Probabilities,
    /// The point plan's annual revenue and profit, CNY: every input at its
    /// mean.
    pub point: Pair<f64>,
    /// Bands of annual revenue and profit (sums of the months), CNY, over
    /// all trials.
    pub annual: Pair<Bands>,
    /// Bands of each month's quantities, month 1 first.
    pub monthly: Vec<MonthBands>,
    /// Per segment: monthly bands of payers and revenue, share of revenue.
    pub segments: Vec<SegmentSummary>,
    /// Per month, the share of trials that have reached each target.
    pub reached_by_month: Vec<Reached>,
    /// The month-by-month mean of the years that end near each target
    /// (`kpisim run`'s; the other commands leave it out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path_to_target: Option<PathToTarget>,
    /// What the run assumed, for the workbook and the page (not in the
    /// JSON, which the scenario file already traces).
    #[serde(skip)]
    pub assumptions: Option<Assumptions>,
    /// The point plan's revenue and profit month by month, for the charts
    /// that draw the plan beside the bands (not in the JSON).
    #[serde(skip)]
    pub plan: Vec<Pair<f64>>,
}

impl Summary {
    /// Its monthly bands numbered from `k + 1`: the rest of a year whose
    /// first `k` months are actual.
    pub fn monthly_after(&self, k: usize) -> Vec<MonthBands> {
        self.monthly
            .iter()
            .map(|m| MonthBands {
                month: m.month + k,
                ..m.clone()
            })
            .collect()
    }

    /// The first month by which half of the trials have reached the target
    /// `get` reads, as its label (`2016-12`, or `month 12` without a
    /// start); `None` when that never happens within the horizon.
    pub fn half_reached_by(&self, get: fn(&Reached) -> f64) -> Option<String> {
        self.reached_by_month
            .iter()
            .find(|r| get(r) >= 0.5)
            .map(|r| {
                r.label
                    .clone()
                    .unwrap_or_else(|| format!("month {}", r.month))
            })
    }

    /// The summary of `out`, a run of `model`, under `header`; `labels`
    /// name the months when the scenario has a start.
    pub fn build(
        header: Header,
        model: &Model,
        out: &Output,
        labels: Option<Vec<String>>,
    ) -> Summary {
        let n = out.trials;
        let months = model.months();
        let layout = model.layout();
        let (probability, standard_error) = probabilities(out);
        let metric = |k: Metric, m: usize| band_at(out, layout.metric(k, m));
        let label = |m: usize| labels.as_ref().map(|l| l[m].clone());
        let monthly = (0..months)
            .map(|m| MonthBands {
                month: m + 1,
                label: label(m),
                registrations: metric(Metric::Registrations, m),
                new_payers: metric(Metric::NewPayers, m),
                old_payers: metric(Metric::OldPayers, m),
                payers: metric(Metric::Payers, m),
                revenue: metric(Metric::Revenue, m),
                profit: metric(Metric::Profit, m),
            })
            .collect();
        let mean_revenue = |source_of: &dyn Fn(usize) -> crate::model::Source| -> f64 {
            (0..months).map(|m| mean_at(out, source_of(m))).sum()
        };
        let total_revenue = mean_revenue(&|m| layout.metric(Metric::Revenue, m));
        let segments = model
            .segment_names()
            .iter()
            .enumerate()
            .map(|(s, name)| {
                let revenue = mean_revenue(&|m| layout.segment(s, SegmentMetric::Revenue, m));
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
                            label: label(m),
                            payers: band_at(out, layout.segment(s, SegmentMetric::Payers, m)),
                            revenue: band_at(out, layout.segment(s, SegmentMetric::Revenue, m)),
                        })
                        .collect(),
                }
            })
            .collect();
        let point_plan = model.point_plan();
        let plan = point_plan.annual;
        let targets = model.hit_rule().targets();
        Summary {
            header,
            months,
            start: labels.as_ref().map(|l| l[0].clone()),
            targets: targets.into(),
            probability,
            standard_error,
            point: Pair {
                revenue: plan.revenue,
                profit: plan.profit,
            },
            annual: Pair {
                revenue: band_of(&out.revenue),
                profit: band_of(&out.profit),
            },
            monthly,
            segments,
            reached_by_month: out
                .reached
                .iter()
                .enumerate()
                .map(|(m, r)| {
                    let p = Probabilities::from_hits(*r, n);
                    Reached {
                        month: m + 1,
                        label: label(m),
                        revenue: p.revenue,
                        profit: p.profit,
                        both: p.both,
                    }
                })
                .collect(),
            path_to_target: None,
            assumptions: None,
            plan: point_plan
                .monthly
                .iter()
                .map(|m| Pair {
                    revenue: m.revenue,
                    profit: m.profit,
                })
                .collect(),
        }
    }
}
