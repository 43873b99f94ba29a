//! The department KPI sheet (`kpisim kpis`): the seed's step 3, month by
//! month, each metric with its plan value and the simulation's spread.

use std::collections::BTreeMap;

use serde::Serialize;

use super::bands::quantiles_at;
use super::header::Header;
use super::path::{PathMonth, PathToTarget, TargetPath};
use crate::engine::Output;
use crate::model::{Metric, Model, SegmentMetric, Source};

/// One metric in one month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Kpi {
    /// The point plan's value (every input at its mean), in the metric's
    /// unit (CNY, CNY a payer for ARPU, or people).
    pub plan: f64,
    /// 10th percentile of the metric that month over all trials.
    pub p10: f64,
    /// Median: the 50th percentile over all trials.
    pub p50: f64,
    /// 90th percentile over all trials.
    pub p90: f64,
    /// The value reached or exceeded with the chosen confidence (its
    /// 1 - confidence quantile), with `--confidence`: the month's own
    /// quantile, which does not add up over the months to the year's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_confidence: Option<f64>,
    /// Its value on the path to the revenue target (the mean of the years
    /// that end near it): these add up to the year; `null` with fewer than
    /// 1,000 trials.
    pub to_revenue_target: Option<f64>,
    /// Its value on the path to the profit target.
    pub to_profit_target: Option<f64>,
}

/// A segment's metrics in one month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SegmentKpis {
    /// Its payers that month: old ones kept plus its share of the new.
    pub payers: Kpi,
    /// Its revenue that month, CNY.
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
    /// Marketing: registrations, budget / cost per registration.
    pub registrations: Kpi,
    /// Product: new payers, registrations × first-charge rate.
    pub new_payers: Kpi,
    /// Product: old payers kept from last month.
    pub old_payers: Kpi,
    /// Product: all payers, old plus new.
    pub payers: Kpi,
    /// Content operations: revenue / payers of the month, CNY a payer.
    pub arpu: Kpi,
    /// Content operations: revenue, CNY.
    pub revenue: Kpi,
    /// The company: profit, CNY.
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
    /// Scenario, file, version, hash, trials, seed.
    #[serde(flatten)]
    pub header: Header,
    /// `--confidence`, if given: a probability strictly between 0 and 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// Each month of the horizon, month 1 first.
    pub monthly: Vec<KpiMonth>,
    /// The path to each target the `to_*_target` values are read from
    /// (`solve --monthly` reports it whole).
    #[serde(skip)]
    pub path: PathToTarget,
}

impl KpiReport {
    /// Builds the sheet from `out`, a run of `model` (with its ARPU series),
    /// the model's point plan and the run's `path` to each target; `labels`
    /// name the months.
    pub fn build(
        header: Header,
        model: &Model,
        out: &Output,
        labels: Option<Vec<String>>,
        confidence: Option<f64>,
        path: &PathToTarget,
    ) -> KpiReport {
        let plan = model.point_plan();
        let layout = model.layout();
        let mut qs = vec![0.10, 0.50, 0.90];
        if let Some(c) = confidence {
            qs.push(crate::present::tidy(1.0 - c));
        }
        let names = model.segment_names();
        let monthly = (0..model.months())
            .map(|m| {
                // A metric's value on each path this month.
                let on = |read: &dyn Fn(&PathMonth) -> f64| {
                    let at = |p: &Option<TargetPath>| p.as_ref().map(|p| read(&p.monthly[m]));
                    (at(&path.revenue), at(&path.profit))
                };
                let kpi = |plan: f64, q: &[f64], (rev, prof): (Option<f64>, Option<f64>)| Kpi {
                    plan,
                    p10: q[0],
                    p50: q[1],
                    p90: q[2],
                    at_confidence: q.get(3).copied(),
                    to_revenue_target: rev,
                    to_profit_target: prof,
                };
                let of = |source: Source, plan: f64, paths| {
                    kpi(plan, &quantiles_at(out, source, &qs), paths)
                };
                let p = &plan.monthly[m];
                let metric = |k: Metric, value: f64, paths| of(layout.metric(k, m), value, paths);
                let segment = |s: usize, which: SegmentMetric, pm: &PathMonth| -> f64 {
                    match (pm.segments.get(s), which) {
                        (Some(seg), SegmentMetric::Payers) => seg.payers,
                        (Some(seg), SegmentMetric::Revenue) => seg.revenue,
                        // One segment: its figures are the totals.
                        (None, SegmentMetric::Payers) => pm.payers,
                        (None, SegmentMetric::Revenue) => pm.revenue,
                    }
                };
                let segments = plan
                    .segments
                    .iter()
                    .enumerate()
                    .map(|(s, seg)| {
                        debug_assert_eq!(names[s], seg.name);
                        let one = |which: SegmentMetric, value: f64| {
                            of(
                                layout.segment(s, which, m),
                                value,
                                on(&|pm| segment(s, which, pm)),
                            )
                        };
                        (
                            seg.name.clone(),
                            SegmentKpis {
                                payers: one(SegmentMetric::Payers, seg.payers[m]),
                                revenue: one(SegmentMetric::Revenue, seg.revenue[m]),
                            },
                        )
                    })
                    .collect();
                let arpu = layout.arpu(m).expect("the KPI sheet's model records ARPU");
                KpiMonth {
                    month: m + 1,
                    label: labels.as_ref().map(|l| l[m].clone()),
                    spend: kpi(
                        p.marketing,
                        &vec![p.marketing; qs.len()],
                        on(&|pm| pm.spend),
                    ),
                    registrations: metric(
                        Metric::Registrations,
                        p.registrations,
                        on(&|pm| pm.registrations),
                    ),
                    new_payers: metric(Metric::NewPayers, p.new_payers, on(&|pm| pm.new_payers)),
                    old_payers: metric(Metric::OldPayers, p.old_payers, on(&|pm| pm.old_payers)),
                    payers: metric(Metric::Payers, p.payers, on(&|pm| pm.payers)),
                    arpu: of(Source::Series(arpu), p.arpu, on(&|pm| pm.arpu)),
                    revenue: metric(Metric::Revenue, p.revenue, on(&|pm| pm.revenue)),
                    profit: metric(Metric::Profit, p.profit, on(&|pm| pm.profit)),
                    segments,
                }
            })
            .collect();
        KpiReport {
            header,
            confidence,
            monthly,
            path: path.clone(),
        }
    }
}
