//! `kpisim track`: the year re-forecast from its actual months. For
//! people, each target now and in the plan, the warnings and the updated
//! inputs; the CSV a row a target with the bands of the year's total. No
//! workbook yet.

use std::fmt::Write;

use crate::aggregate::TrackReport;
use crate::export::csv::{band, no_band};
use crate::export::text::{columns, continued, header, level};
use crate::export::{Cell, CsvSpec, Format, Report, TEXT_ONLY};
use crate::present::{human, share, share_se, thousands};

impl Report for TrackReport {
    const NAME: &'static str = "track";
    const FORMATS: &'static [Format] = TEXT_ONLY;
    const CSV: CsvSpec = CsvSpec {
        rows: "one row per target (revenue, profit, both)",
        columns: &[
            "target",
            "target_value",
            "actual",
            "probability",
            "standard_error",
            "plan_probability",
            "plan_standard_error",
            "needed_per_month",
            "mean",
            "sd",
            "p5",
            "p10",
            "p25",
            "p50",
            "p75",
            "p90",
            "p95",
        ],
        notes: "mean to p95 are the bands of the year's total, actuals plus re-forecast; empty for both.",
    };

    fn table(&self) -> String {
        table(self)
    }

    fn csv_rows(&self) -> Vec<Vec<Cell>> {
        let r = self;
        let (p, se, pp, pse) = (
            &r.probability,
            &r.standard_error,
            &r.plan_probability,
            &r.plan_standard_error,
        );
        let rows = [
            (
                "revenue",
                Some(r.targets.revenue),
                Some(r.actual.revenue),
                (p.revenue, se.revenue, pp.revenue, pse.revenue),
                r.needed.revenue_per_month,
                Some(&r.annual.revenue),
            ),
            (
                "profit",
                Some(r.targets.profit),
                Some(r.actual.profit),
                (p.profit, se.profit, pp.profit, pse.profit),
                r.needed.profit_per_month,
                Some(&r.annual.profit),
            ),
            (
                "both",
                None,
                None,
                (p.both, se.both, pp.both, pse.both),
                None,
                None,
            ),
        ];
        rows.into_iter()
            .map(|(target, value, actual, (p, se, pp, pse), needed, bands)| {
                let mut row = vec![
                    Cell::from(target),
                    Cell::number(value),
                    Cell::number(actual),
                    Cell::Number(p),
                    Cell::Number(se),
                    Cell::Number(pp),
                    Cell::Number(pse),
                    Cell::number(needed),
                ];
                row.extend(bands.map_or_else(no_band, band));
                row
            })
            .collect()
    }
}

fn table(r: &TrackReport) -> String {
    let h = &r.header;
    let k = r.months_actual;
    let left = r.months - k;
    let span = match (r.actual_months.first(), r.actual_months.last()) {
        (Some(a), Some(b)) => format!("{} to {}", a.label, b.label),
        _ => String::new(),
    };
    let mut out = format!(
        "{}: re-forecast after {k} actual month(s) ({span}) from {}; {left} month(s) left, {} trials, seed {}\n\n",
        h.scenario,
        r.actuals,
        thousands(h.trials),
        h.seed
    );
    let prob = |p: f64, se: f64| {
        format!("{} {}", share(p, h.trials), share_se(p, se))
            .trim_end()
            .to_string()
    };
    let needed = |v: Option<f64>| v.map_or_else(|| "-".into(), human);
    let (p, se, pp, pse) = (
        &r.probability,
        &r.standard_error,
        &r.plan_probability,
        &r.plan_standard_error,
    );
    let mut rows = vec![header(&[
        "target",
        "annual",
        "actual so far",
        "needed a month",
        "P(hit) now",
        "plan's P(hit)",
    ])];
    for (target, value, actual, needed_a_month, (p, se, pp, pse)) in [
        (
            "revenue",
            r.targets.revenue,
            r.actual.revenue,
            r.needed.revenue_per_month,
            (p.revenue, se.revenue, pp.revenue, pse.revenue),
        ),
        (
            "profit",
            r.targets.profit,
            r.actual.profit,
            r.needed.profit_per_month,
            (p.profit, se.profit, pp.profit, pse.profit),
        ),
    ] {
        rows.push(vec![
            target.into(),
            human(value),
            human(actual),
            needed(needed_a_month),
            prob(p, se),
            prob(pp, pse),
        ]);
    }
    rows.push(vec![
        "both".into(),
        String::new(),
        String::new(),
        String::new(),
        prob(p.both, se.both),
        prob(pp.both, pse.both),
    ]);
    out.push_str(&columns(&rows));
    let _ = writeln!(
        out,
        "\nthe year, actuals plus re-forecast: revenue P5 {} / P50 {} / P95 {}; profit P5 {} / P50 {} / P95 {}",
        human(r.annual.revenue.p5),
        human(r.annual.revenue.p50),
        human(r.annual.revenue.p95),
        human(r.annual.profit.p5),
        human(r.annual.profit.p50),
        human(r.annual.profit.p95),
    );
    out.push_str("\nwarnings: actual values outside the plan's P5-P95\n");
    if r.warnings.is_empty() {
        out.push_str("  none: every actual month is inside the plan's bands\n");
    } else {
        let mut rows = vec![header(&["month", "metric", "actual", "", "P5", "P95"])];
        for w in &r.warnings {
            rows.push(vec![
                w.label.clone(),
                w.metric.into(),
                human(w.actual),
                w.side.into(),
                human(w.p5),
                human(w.p95),
            ]);
        }
        out.push_str(&columns(&rows));
    }
    if left > 0 {
        out.push_str(
            "\ninputs updated by the actuals (a conjugate normal update of each level on the log scale):\n",
        );
        let mut rows = vec![header(&[
            "input",
            "plan mean",
            "plan sd",
            "actual (per profile)",
            "months",
            "updated mean",
            "updated sd",
        ])];
        for u in &r.updated {
            rows.push(vec![
                u.path.clone(),
                level(u.kind, u.plan_mean),
                level(u.kind, u.plan_sd),
                u.observed.map_or_else(|| "-".into(), |v| level(u.kind, v)),
                u.months.to_string(),
                level(u.kind, u.mean),
                level(u.kind, u.sd),
            ]);
        }
        out.push_str(&columns(&rows));
        for u in r.updated.iter().filter(|u| u.observed.is_none()) {
            if let Some(why) = u.kept_at_plan {
                let _ = writeln!(out, "  {}: left at the plan: {why}", u.path);
            }
        }
    }
    for note in &r.notes {
        let _ = writeln!(out, "\nassumed: {}", continued(note));
    }
    out
}
