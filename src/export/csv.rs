//! CSV through polars; raw numbers, one header line. Columns:
//! - run: `scenario,file,scope,segment,month,label,metric,target,probability,standard_error,mean,sd,p5,p10,p25,p50,p75,p90,p95`,
//!   one row per scenario, scope and metric: scope
//!   `target` (probability and standard error of revenue, profit, both),
//!   `annual` (bands of annual revenue and profit), `monthly` (each month's
//!   bands) and `segment` (each segment's monthly payers and revenue); cells
//!   that do not apply are empty, so a board pack needs only this file;
//! - run --point: `scenario,month,label,registrations,new_payers,old_payers,payers,arpu,revenue,marketing,profit`;
//! - stress: `case`, then [`STRESS_COLUMNS`];
//! - sweep: [`SWEEP_COLUMNS`];
//! - kpis: `scenario,month,label,department,metric,plan,p10,p50,p90,at_confidence`;
//! - fit and track: [`super::history_csv`].

use polars::prelude::*;

use super::TextExporter;
use super::{ExportError, Result};
use crate::aggregate::{
    FitReport, KpiReport, PointReport, SensitivityReport, SolveReport, StressReport, Summary,
    SweepReport, TrackReport,
};
use crate::model::Metric;

/// CSV exporter.
pub struct Csv;

/// The numeric columns of `stress`.
pub const STRESS_COLUMNS: [&str; 18] = [
    "p_revenue",
    "p_profit",
    "p_both",
    "se_revenue",
    "se_profit",
    "se_both",
    "change_revenue",
    "change_profit",
    "change_both",
    "change_se_revenue",
    "change_se_profit",
    "change_se_both",
    "revenue_p5",
    "revenue_p50",
    "revenue_mean",
    "profit_p5",
    "profit_p50",
    "profit_mean",
];

/// The columns of `sweep`.
pub const SWEEP_COLUMNS: [&str; 7] = [
    "value",
    "p_revenue",
    "p_profit",
    "p_both",
    "se_revenue",
    "se_profit",
    "se_both",
];

pub(super) const BAND_COLUMNS: [&str; 9] =
    ["mean", "sd", "p5", "p10", "p25", "p50", "p75", "p90", "p95"];

/// One row of the run CSV, its empty cells as `None`.
#[derive(Default)]
struct RunRow {
    scenario: String,
    file: String,
    scope: &'static str,
    segment: Option<String>,
    month: Option<u32>,
    label: Option<String>,
    metric: &'static str,
    target: Option<f64>,
    probability: Option<f64>,
    standard_error: Option<f64>,
    bands: Option<[f64; 9]>,
}

fn band_cells(b: &crate::aggregate::Bands) -> Option<[f64; 9]> {
    Some([b.mean, b.sd, b.p5, b.p10, b.p25, b.p50, b.p75, b.p90, b.p95])
}

/// The rows of one run summary, in scope order.
fn run_rows(s: &Summary) -> Vec<RunRow> {
    let base = || RunRow {
        scenario: s.header.scenario.clone(),
        file: s.header.file.clone(),
        ..RunRow::default()
    };
    let mut rows = Vec::new();
    let targets = [
        (
            "revenue",
            Some(s.targets.revenue),
            s.probability.revenue,
            s.standard_error.revenue,
        ),
        (
            "profit",
            Some(s.targets.profit),
            s.probability.profit,
            s.standard_error.profit,
        ),
        ("both", None, s.probability.both, s.standard_error.both),
    ];
    for (metric, target, p, se) in targets {
        rows.push(RunRow {
            scope: "target",
            metric,
            target,
            probability: Some(p),
            standard_error: Some(se),
            ..base()
        });
    }
    for (metric, b) in [("revenue", &s.annual.revenue), ("profit", &s.annual.profit)] {
        rows.push(RunRow {
            scope: "annual",
            metric,
            bands: band_cells(b),
            ..base()
        });
    }
    for mb in &s.monthly {
        for (k, b) in Metric::ALL.iter().zip(mb.metrics()) {
            rows.push(RunRow {
                scope: "monthly",
                month: Some(mb.month as u32),
                label: mb.label.clone(),
                metric: k.key(),
                bands: band_cells(b),
                ..base()
            });
        }
    }
    for seg in &s.segments {
        for (sm, mb) in seg.monthly.iter().zip(&s.monthly) {
            for (metric, b) in [("payers", &sm.payers), ("revenue", &sm.revenue)] {
                rows.push(RunRow {
                    scope: "segment",
                    segment: Some(seg.name.clone()),
                    month: Some(sm.month as u32),
                    label: mb.label.clone(),
                    metric,
                    bands: band_cells(b),
                    ..base()
                });
            }
        }
    }
    rows
}

const POINT_COLUMNS: [&str; 8] = [
    "registrations",
    "new_payers",
    "old_payers",
    "payers",
    "arpu",
    "revenue",
    "marketing",
    "profit",
];

fn fail(e: impl std::fmt::Display) -> ExportError {
    ExportError::Render(format!("cannot render CSV: {e}"))
}

/// Writes `leading` columns, one f64 column per name from `rows`, then
/// `trailing` columns.
fn write<const N: usize>(
    mut leading: Vec<Column>,
    names: [&str; N],
    rows: &[[f64; N]],
    trailing: Vec<Column>,
) -> Result<String> {
    for (j, name) in names.iter().enumerate() {
        leading.push(Column::new(
            (*name).into(),
            rows.iter().map(|r| r[j]).collect::<Vec<f64>>(),
        ));
    }
    leading.extend(trailing);
    finish(leading)
}

/// Renders `columns` as CSV with a header.
pub(super) fn finish(columns: Vec<Column>) -> Result<String> {
    let mut df = DataFrame::new_infer_height(columns).map_err(fail)?;
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_header(true)
        .finish(&mut df)
        .map_err(fail)?;
    String::from_utf8(buf).map_err(fail)
}

/// `scenario`, `month` and `label` columns.
fn where_columns(scenario: Vec<String>, month: Vec<u32>, label: Vec<String>) -> Vec<Column> {
    vec![
        Column::new("scenario".into(), scenario),
        Column::new("month".into(), month),
        Column::new("label".into(), label),
    ]
}

impl TextExporter for Csv {
    fn run(&self, summaries: &[Summary]) -> Result<String> {
        let rows: Vec<RunRow> = summaries.iter().flat_map(run_rows).collect();
        let text = |f: fn(&RunRow) -> Option<String>| rows.iter().map(f).collect::<Vec<_>>();
        let number = |f: fn(&RunRow) -> Option<f64>| rows.iter().map(f).collect::<Vec<_>>();
        let mut columns = vec![
            Column::new("scenario".into(), text(|r| Some(r.scenario.clone()))),
            Column::new("file".into(), text(|r| Some(r.file.clone()))),
            Column::new("scope".into(), text(|r| Some(r.scope.to_string()))),
            Column::new("segment".into(), text(|r| r.segment.clone())),
            Column::new(
                "month".into(),
                rows.iter().map(|r| r.month).collect::<Vec<_>>(),
            ),
            Column::new("label".into(), text(|r| r.label.clone())),
            Column::new("metric".into(), text(|r| Some(r.metric.to_string()))),
            Column::new("target".into(), number(|r| r.target)),
            Column::new("probability".into(), number(|r| r.probability)),
            Column::new("standard_error".into(), number(|r| r.standard_error)),
        ];
        for (j, name) in BAND_COLUMNS.iter().enumerate() {
            columns.push(Column::new(
                (*name).into(),
                rows.iter()
                    .map(|r| r.bands.map(|b| b[j]))
                    .collect::<Vec<_>>(),
            ));
        }
        finish(columns)
    }

    fn point(&self, plans: &[PointReport]) -> Result<String> {
        let (mut scenario, mut month, mut label, mut rows) = (vec![], vec![], vec![], vec![]);
        for p in plans {
            for pm in &p.plan.monthly {
                scenario.push(p.origin.scenario.clone());
                month.push(pm.month as u32);
                label.push(
                    p.labels
                        .as_ref()
                        .map(|l| l[pm.month - 1].clone())
                        .unwrap_or_default(),
                );
                rows.push([
                    pm.registrations,
                    pm.new_payers,
                    pm.old_payers,
                    pm.payers,
                    pm.arpu,
                    pm.revenue,
                    pm.marketing,
                    pm.profit,
                ]);
            }
        }
        write(
            where_columns(scenario, month, label),
            POINT_COLUMNS,
            &rows,
            Vec::new(),
        )
    }

    fn stress(&self, report: &StressReport) -> Result<String> {
        let names: Vec<String> = report.cases.iter().map(|c| c.name.clone()).collect();
        let rows: Vec<[f64; 18]> = report
            .cases
            .iter()
            .map(|c| {
                let (a, se, ch, chse) = (
                    &c.probability,
                    &c.standard_error,
                    &c.change,
                    &c.change_standard_error,
                );
                let (r, p) = (&c.annual.revenue, &c.annual.profit);
                [
                    a.revenue,
                    a.profit,
                    a.both,
                    se.revenue,
                    se.profit,
                    se.both,
                    ch.revenue,
                    ch.profit,
                    ch.both,
                    chse.revenue,
                    chse.profit,
                    chse.both,
                    r.p5,
                    r.p50,
                    r.mean,
                    p.p5,
                    p.p50,
                    p.mean,
                ]
            })
            .collect();
        write(
            vec![Column::new("case".into(), names)],
            STRESS_COLUMNS,
            &rows,
            Vec::new(),
        )
    }

    fn sweep(&self, report: &SweepReport) -> Result<String> {
        let rows: Vec<[f64; 7]> = report
            .points
            .iter()
            .map(|p| {
                let (a, se) = (&p.probability, &p.standard_error);
                [
                    p.value, a.revenue, a.profit, a.both, se.revenue, se.profit, se.both,
                ]
            })
            .collect();
        write(Vec::new(), SWEEP_COLUMNS, &rows, Vec::new())
    }

    fn kpis(&self, report: &KpiReport) -> Result<String> {
        let (mut month, mut label, mut dept, mut metric, mut at, mut rows) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        for m in &report.monthly {
            for (d, name, k) in m.by_department() {
                month.push(m.month as u32);
                label.push(m.label.clone().unwrap_or_default());
                dept.push(d);
                metric.push(name);
                rows.push([k.plan, k.p10, k.p50, k.p90]);
                at.push(k.at_confidence);
            }
        }
        let scenario = vec![report.header.scenario.clone(); month.len()];
        let mut leading = where_columns(scenario, month, label);
        leading.push(Column::new("department".into(), dept));
        leading.push(Column::new("metric".into(), metric));
        // Empty without --confidence.
        let at = Column::new("at_confidence".into(), at);
        write(leading, ["plan", "p10", "p50", "p90"], &rows, vec![at])
    }

    fn sensitivity(&self, report: &SensitivityReport) -> Result<String> {
        let paths: Vec<String> = report.inputs.iter().map(|i| i.path.clone()).collect();
        let rows: Vec<[f64; 10]> = report
            .inputs
            .iter()
            .map(|i| {
                [
                    i.p10,
                    i.p90,
                    i.profit.at_p10,
                    i.profit.at_p90,
                    i.revenue.at_p10,
                    i.revenue.at_p90,
                    i.both.at_p10,
                    i.both.at_p90,
                    i.spearman_profit,
                    i.variance_share,
                ]
            })
            .collect();
        write(
            vec![Column::new("path".into(), paths)],
            [
                "p10",
                "p90",
                "profit_at_p10",
                "profit_at_p90",
                "revenue_at_p10",
                "revenue_at_p90",
                "both_at_p10",
                "both_at_p90",
                "spearman_profit",
                "variance_share",
            ],
            &rows,
            Vec::new(),
        )
    }

    fn solve(&self, report: &SolveReport) -> Result<String> {
        let rows: Vec<[f64; 2]> = report
            .tried
            .iter()
            .map(|t| [t.value, t.probability])
            .collect();
        write(Vec::new(), ["value", "probability"], &rows, Vec::new())
    }

    fn fit(&self, report: &FitReport) -> Result<String> {
        super::history_csv::fit(report)
    }

    fn track(&self, report: &TrackReport) -> Result<String> {
        super::history_csv::track(report)
    }
}
