//! CSV through polars. Run summaries in long format, one row per scenario,
//! month and metric:
//! `scenario,month,label,metric,mean,sd,p5,p10,p25,p50,p75,p90,p95`
//! (`label` empty without a `start`). Point plans one row per scenario and
//! month:
//! `scenario,month,label,registrations,new_payers,old_payers,payers,arpu,revenue,marketing,profit`.

use polars::prelude::*;

use super::{Exporter, PointReport};
use crate::aggregate::{KpiReport, StressReport, Summary, SweepReport};
use crate::error::{Error, Result};
use crate::model::Metric;

/// CSV exporter.
pub struct Csv;

fn write(mut df: DataFrame) -> Result<String> {
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_header(true)
        .finish(&mut df)
        .map_err(|e| Error::Output(format!("cannot render CSV: {e}")))?;
    String::from_utf8(buf).map_err(|e| Error::Output(format!("cannot render CSV: {e}")))
}

fn frame(columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new_infer_height(columns)
        .map_err(|e| Error::Output(format!("cannot build CSV table: {e}")))
}

impl Exporter for Csv {
    fn run(&self, summaries: &[Summary]) -> Result<String> {
        let mut scenario = Vec::new();
        let mut month = Vec::new();
        let mut label = Vec::new();
        let mut metric = Vec::new();
        let mut stats: [Vec<f64>; 9] = Default::default();
        for s in summaries {
            for mb in &s.monthly {
                for (k, b) in Metric::ALL.iter().zip(mb.metrics()) {
                    scenario.push(s.scenario.clone());
                    month.push(mb.month as u32);
                    label.push(mb.label.clone().unwrap_or_default());
                    metric.push(k.key());
                    let values = [b.mean, b.sd, b.p5, b.p10, b.p25, b.p50, b.p75, b.p90, b.p95];
                    for (col, v) in stats.iter_mut().zip(values) {
                        col.push(v);
                    }
                }
            }
        }
        let mut columns = vec![
            Column::new("scenario".into(), scenario),
            Column::new("month".into(), month),
            Column::new("label".into(), label),
            Column::new("metric".into(), metric),
        ];
        for (name, col) in ["mean", "sd", "p5", "p10", "p25", "p50", "p75", "p90", "p95"]
            .iter()
            .zip(stats)
        {
            columns.push(Column::new((*name).into(), col));
        }
        write(frame(columns)?)
    }

    fn point(&self, plans: &[PointReport]) -> Result<String> {
        let mut scenario = Vec::new();
        let mut month = Vec::new();
        let mut label = Vec::new();
        let mut values: [Vec<f64>; 8] = Default::default();
        for p in plans {
            for pm in &p.plan.monthly {
                scenario.push(p.scenario.clone());
                month.push(pm.month as u32);
                label.push(
                    p.labels
                        .as_ref()
                        .map(|l| l[pm.month - 1].clone())
                        .unwrap_or_default(),
                );
                let row = [
                    pm.registrations,
                    pm.new_payers,
                    pm.old_payers,
                    pm.payers,
                    pm.arpu,
                    pm.revenue,
                    pm.marketing,
                    pm.profit,
                ];
                for (col, v) in values.iter_mut().zip(row) {
                    col.push(v);
                }
            }
        }
        let mut columns = vec![
            Column::new("scenario".into(), scenario),
            Column::new("month".into(), month),
            Column::new("label".into(), label),
        ];
        let names = [
            "registrations",
            "new_payers",
            "old_payers",
            "payers",
            "arpu",
            "revenue",
            "marketing",
            "profit",
        ];
        for (name, col) in names.iter().zip(values) {
            columns.push(Column::new((*name).into(), col));
        }
        write(frame(columns)?)
    }

    fn stress(&self, report: &StressReport) -> Result<String> {
        let mut name = Vec::new();
        let names = [
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
        let mut values: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
        for c in &report.cases {
            name.push(c.name.clone());
            let (a, r, p) = (&c.probability, &c.annual.revenue, &c.annual.profit);
            let (se, ch, chse) = (&c.standard_error, &c.change, &c.change_standard_error);
            let row = [
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
            ];
            for (col, v) in values.iter_mut().zip(row) {
                col.push(v);
            }
        }
        let mut columns = vec![Column::new("case".into(), name)];
        for (n, col) in names.iter().zip(values) {
            columns.push(Column::new((*n).into(), col));
        }
        write(frame(columns)?)
    }

    fn sweep(&self, report: &SweepReport) -> Result<String> {
        let names = [
            "value",
            "p_revenue",
            "p_profit",
            "p_both",
            "se_revenue",
            "se_profit",
            "se_both",
        ];
        let mut values: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
        for p in &report.points {
            let (a, se) = (&p.probability, &p.standard_error);
            let row = [
                p.value, a.revenue, a.profit, a.both, se.revenue, se.profit, se.both,
            ];
            for (col, v) in values.iter_mut().zip(row) {
                col.push(v);
            }
        }
        let columns = names
            .iter()
            .zip(values)
            .map(|(n, c)| Column::new((*n).into(), c))
            .collect();
        write(frame(columns)?)
    }

    fn kpis(&self, report: &KpiReport) -> Result<String> {
        let (mut month, mut label, mut dept, mut metric) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut values: [Vec<f64>; 4] = Default::default();
        let mut at = Vec::new();
        for m in &report.monthly {
            for (d, name, k) in m.by_department() {
                month.push(m.month as u32);
                label.push(m.label.clone().unwrap_or_default());
                dept.push(d);
                metric.push(name);
                for (col, v) in values.iter_mut().zip([k.plan, k.p10, k.p50, k.p90]) {
                    col.push(v);
                }
                at.push(k.at_confidence);
            }
        }
        let n = month.len();
        let mut columns = vec![
            Column::new("scenario".into(), vec![report.scenario.clone(); n]),
            Column::new("month".into(), month),
            Column::new("label".into(), label),
            Column::new("department".into(), dept),
            Column::new("metric".into(), metric),
        ];
        for (name, col) in ["plan", "p10", "p50", "p90"].iter().zip(values) {
            columns.push(Column::new((*name).into(), col));
        }
        columns.push(Column::new("at_confidence".into(), at));
        write(frame(columns)?)
    }
}
