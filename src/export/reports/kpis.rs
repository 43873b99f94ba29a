//! `kpisim kpis`: the department KPI sheet, month by month, each
//! department's metrics with the plan and the simulation's P10, P50 and
//! P90 (and, with a confidence, the value reached with it). For people, a
//! table a department; the CSV a row a month and metric; the workbook's
//! chart the monthly revenue; on the HTML page, the KPI section.

use std::fmt::Write;

use crate::aggregate::{KpiMonth, KpiReport};
use crate::export::html::{esc, table};
use crate::export::text::{columns, sampling_note};
use crate::export::xlsx::{ChartSpec, ChartType};
use crate::export::{ALL_TABULAR, Cell, CsvSpec, Format, Report};
use crate::present::{human, pct, thousands};

impl Report for KpiReport {
    const NAME: &'static str = "kpis";
    const FORMATS: &'static [Format] = ALL_TABULAR;
    const CSV: CsvSpec = CsvSpec {
        rows: "one row per month and metric",
        columns: &[
            "scenario",
            "month",
            "label",
            "department",
            "metric",
            "plan",
            "p10",
            "p50",
            "p90",
            "at_confidence",
        ],
        notes: "at_confidence is empty without --confidence.",
    };

    fn table(&self) -> String {
        let r = self;
        let mut out = format!(
            "{}: KPI sheet by department, {} trials, seed {}{}\n",
            r.header.scenario,
            thousands(r.header.trials),
            r.header.seed,
            sampling_note(&r.header)
        );
        out.push_str(&kpi_sheet(&r.monthly, r.confidence));
        out
    }

    fn csv_rows(&self) -> Vec<Vec<Cell>> {
        let mut rows = Vec::new();
        for m in &self.monthly {
            for (d, name, k) in m.by_department() {
                let mut row = vec![
                    Cell::from(self.header.scenario.as_str()),
                    Cell::from(m.month),
                    Cell::Text(m.label.clone().unwrap_or_default()),
                    Cell::from(d),
                    Cell::from(name),
                ];
                row.extend([k.plan, k.p10, k.p50, k.p90].map(Cell::Number));
                row.push(Cell::number(k.at_confidence));
                rows.push(row);
            }
        }
        rows
    }

    fn chart(&self) -> Option<ChartSpec> {
        Some(ChartSpec {
            sheet: "Monthly",
            categories: &["label", "month"],
            series: &[
                "revenue plan",
                "revenue P10",
                "revenue P50",
                "revenue P90",
                "revenue at confidence",
            ],
            kind: ChartType::Line,
            title: "Monthly revenue: plan and simulation".into(),
            x_title: "month",
            y_title: "revenue",
            y_format: "#,##0",
        })
    }
}

/// The department sheet, one table a department, each metric with its
/// plan, median and P10-P90, and with a confidence the value reached with
/// it.
pub(super) fn kpi_sheet(monthly: &[KpiMonth], confidence: Option<f64>) -> String {
    let mut out = format!(
        "each metric: the plan, the simulated median (P50) and its P10-P90 range{}\n",
        confidence
            .map(|c| format!(", and the value reached with {} confidence", pct(c)))
            .unwrap_or_default()
    );
    let departments = [
        ("marketing", "Marketing: spend and registrations"),
        ("product", "Product: new, old and total payers"),
        (
            "content",
            "Content operations: ARPU, revenue and payers by segment",
        ),
        ("company", "Company: profit"),
    ];
    let Some(first) = monthly.first() else {
        return out;
    };
    for (dept, title) in departments {
        let names: Vec<String> = first
            .by_department()
            .into_iter()
            .filter(|(d, _, _)| *d == dept)
            .map(|(_, n, _)| n)
            .collect();
        let mut header = vec!["month".to_string()];
        for n in &names {
            header.push(format!("{n} plan"));
            header.push("P50".into());
            header.push("P10-P90".into());
            if let Some(c) = confidence {
                header.push(format!("at {}", pct(c)));
            }
        }
        let mut rows = vec![header];
        for m in monthly {
            let mut row = vec![m.label.clone().unwrap_or_else(|| m.month.to_string())];
            for (_, _, k) in m.by_department().into_iter().filter(|(d, _, _)| *d == dept) {
                row.push(human(k.plan));
                row.push(human(k.p50));
                row.push(format!("{}-{}", human(k.p10), human(k.p90)));
                if let Some(a) = k.at_confidence {
                    row.push(human(a));
                }
            }
            rows.push(row);
        }
        let _ = write!(out, "\n{title}\n\n{}", columns(&rows));
    }
    out
}

fn kpi_cell(k: &crate::aggregate::Kpi) -> String {
    format!(
        "<b>{}</b><br><small>{}–{}</small>",
        human(k.plan),
        human(k.p10),
        human(k.p90)
    )
}

/// The page's department KPI sheet.
pub fn html(kpis: &KpiReport) -> String {
    let mut out = String::from(
        "<section id=\"kpis\">\n<h2>Department KPI sheet</h2>\n<p class=\"note\">Month by month, each department's metric: the plan in bold, \
         and below it the P10–P90 range of the simulated months. Marketing owns spend and registrations, Product the payers, \
         Content operations ARPU and revenue (and each segment's payers), the company the profit.</p>\n",
    );
    let segments: Vec<String> = kpis
        .monthly
        .first()
        .map(|m| m.segments.keys().cloned().collect())
        .unwrap_or_default();
    let mut head: Vec<String> = [
        "month",
        "spend",
        "registrations",
        "new payers",
        "old payers",
        "payers",
        "ARPU",
        "revenue",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if segments.len() > 1 {
        head.extend(segments.iter().map(|s| format!("{s} payers")));
    }
    head.push("profit".into());
    let rows: Vec<Vec<String>> = kpis
        .monthly
        .iter()
        .map(|m: &KpiMonth| {
            let mut row = vec![
                esc(&m.label.clone().unwrap_or_else(|| m.month.to_string())),
                human(m.spend.plan),
                kpi_cell(&m.registrations),
                kpi_cell(&m.new_payers),
                kpi_cell(&m.old_payers),
                kpi_cell(&m.payers),
                kpi_cell(&m.arpu),
                kpi_cell(&m.revenue),
            ];
            if segments.len() > 1 {
                row.extend(m.segments.values().map(|s| kpi_cell(&s.payers)));
            }
            row.push(kpi_cell(&m.profit));
            row
        })
        .collect();
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    out.push_str(&table(&head, &rows));
    out.push_str("</section>\n");
    out
}
