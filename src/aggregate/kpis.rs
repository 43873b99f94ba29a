//! The department KPI sheet (`kpisim kpis`): the seed's step 3, month by
//! month, each metric with its plan value and the simulation's spread.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Accumulated, LogHistogram};
use crate::model::{Model, PointPlan};

/// One metric in one month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Kpi {
    /// The point plan's value.
    pub plan: f64,
    /// 10th percentile of the simulation.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// The value reached or exceeded with the chosen confidence (its
    /// 1 - confidence quantile), with `--confidence`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_confidence: Option<f64>,
}

/// A segment's metrics in one month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SegmentKpis {
    /// Its payers.
    pub payers: Kpi,
    /// Its revenue.
    pub revenue: Kpi,
}

/// One month of the sheet (docs/output.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiMonth {
    /// Month, 1-based.
    pub month: usize,
    /// `YYYY-MM` when the scenario has a `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Marketing: spend (the budget, fixed).
    pub spend: Kpi,
    /// Marketing: registrations.
    pub registrations: Kpi,
    /// Product: new payers.
    pub new_payers: Kpi,
    /// Product: old payers.
    pub old_payers: Kpi,
    /// Product: total payers.
    pub payers: Kpi,
    /// Content operations: revenue / payers of the month.
    pub arpu: Kpi,
    /// Content operations: revenue.
    pub revenue: Kpi,
    /// The company: profit.
    pub profit: Kpi,
    /// Content operations: each segment's payers and revenue (big-R payers).
    pub segments: BTreeMap<String, SegmentKpis>,
}

impl KpiMonth {
    /// Every metric with its department, in sheet order: marketing (spend,
    /// registrations), product (new, old and total payers), content
    /// operations (ARPU, revenue, each segment's payers and revenue), and the
    /// company's profit.
    pub fn by_department(&self) -> Vec<(&'static str, String, &Kpi)> {
        let mut v = vec![
            ("marketing", "spend".to_string(), &self.spend),
            (
                "marketing",
                "registrations".to_string(),
                &self.registrations,
            ),
            ("product", "new_payers".to_string(), &self.new_payers),
            ("product", "old_payers".to_string(), &self.old_payers),
            ("product", "payers".to_string(), &self.payers),
            ("content", "arpu".to_string(), &self.arpu),
            ("content", "revenue".to_string(), &self.revenue),
        ];
        for (name, s) in &self.segments {
            v.push(("content", format!("{name}.payers"), &s.payers));
            v.push(("content", format!("{name}.revenue"), &s.revenue));
        }
        v.push(("company", "profit".to_string(), &self.profit));
        v
    }
}

/// The result of `kpisim kpis`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiReport {
    /// Scenario name.
    pub scenario: String,
    /// Version of kpisim.
    pub kpisim: &'static str,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// Trials.
    pub trials: u64,
    /// Seed.
    pub seed: u64,
    /// `--confidence`, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Each month.
    pub monthly: Vec<KpiMonth>,
}

/// What identifies a KPI run.
#[derive(Debug, Clone)]
pub struct KpiMeta {
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the scenario file.
    pub scenario_sha256: String,
    /// Seed.
    pub seed: u64,
    /// Month labels, when the scenario has a `start`.
    pub labels: Option<Vec<String>>,
    /// `--confidence`.
    pub confidence: Option<f64>,
}

impl KpiReport {
    /// Builds the sheet from a run of `model` (with its ARPU series) and the
    /// point plan.
    pub fn build(meta: KpiMeta, model: &Model, acc: &Accumulated, plan: &PointPlan) -> KpiReport {
        let months = model.months();
        let mut qs = vec![0.10, 0.50, 0.90];
        if let Some(c) = meta.confidence {
            qs.push(crate::fmt::tidy(1.0 - c));
        }
        let kpi = |plan: f64, q: &[f64]| Kpi {
            plan,
            p10: q[0],
            p50: q[1],
            p90: q[2],
            at_confidence: q.get(3).copied(),
        };
        let of = |at: usize, plan: f64| {
            let h: &LogHistogram = &acc.series[at].0;
            kpi(plan, &h.quantiles(&qs))
        };
        let monthly = (0..months)
            .map(|m| {
                let p = &plan.monthly[m];
                let revenue_q = acc.series[4 * months + m].0.quantiles(&qs);
                let profit_q: Vec<f64> = revenue_q.iter().map(|r| model.profit(m, *r)).collect();
                let segments = plan
                    .segments
                    .iter()
                    .enumerate()
                    .map(|(s, seg)| {
                        let (payers_at, revenue_at) =
                            Model::segment_series_start(plan.segments.len(), s, months);
                        (
                            seg.name.clone(),
                            SegmentKpis {
                                payers: of(payers_at + m, seg.payers[m]),
                                revenue: of(revenue_at + m, seg.revenue[m]),
                            },
                        )
                    })
                    .collect();
                KpiMonth {
                    month: m + 1,
                    label: meta.labels.as_ref().map(|l| l[m].clone()),
                    spend: kpi(p.marketing, &vec![p.marketing; qs.len()]),
                    registrations: of(m, p.registrations),
                    new_payers: of(months + m, p.new_payers),
                    old_payers: of(2 * months + m, p.old_payers),
                    payers: of(3 * months + m, p.payers),
                    arpu: of(model.arpu_series_index(m), p.arpu),
                    revenue: kpi(p.revenue, &revenue_q),
                    profit: kpi(p.profit, &profit_q),
                    segments,
                }
            })
            .collect();
        KpiReport {
            scenario: meta.scenario,
            kpisim: crate::VERSION,
            scenario_sha256: meta.scenario_sha256,
            trials: acc.trials,
            seed: meta.seed,
            confidence: meta.confidence,
            monthly,
        }
    }
}
