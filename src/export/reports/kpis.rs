//! `kpisim kpis`: the department KPI sheet, month by month, each
//! department's metrics with the plan and the simulation's P10, P50 and
//! P90 (and, with a confidence, the value reached with it). For people, a
//! table a department; the CSV a row a month and metric; the workbook's
//! chart the monthly revenue; on the HTML page, the KPI section.

use std::fmt::Write;

use super::run::path_years;
use crate::aggregate::{KpiMonth, KpiReport, PathToTarget};
use crate::export::html::{esc, table};
use crate::export::text::{columns, sampling_note};
use crate::export::xlsx::{ChartSpec, ChartType};
use crate::export::{ALL_TABULAR, Cell, CsvSpec, Format, Report};
use crate::present::{arpu, human, pct, range, thousands};

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
            "to_revenue_target",
            "to_profit_target",
        ],
        notes: "at_confidence (the month's own quantile) is empty without --confidence; \
                to_revenue_target and to_profit_target are the values on the path to each target \
                (they add up to the year), empty with fewer than 1,000 trials.",
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
        out.push_str(&kpi_sheet(&r.monthly, r.confidence, Some(&r.path)));
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
                row.push(Cell::number(k.to_revenue_target));
                row.push(Cell::number(k.to_profit_target));
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

/// The department sheet, one table a department. Each metric: its plan;
/// its values on the path to each target (the mean of the simulated years
/// that end near it), which add up to the year; the simulated P10 to P90 of
/// the month; and with a confidence, the month's own quantile, labelled as
/// what it is.
pub(super) fn kpi_sheet(
    monthly: &[KpiMonth],
    confidence: Option<f64>,
    path: Option<&PathToTarget>,
) -> String {
    let has_path = monthly
        .first()
        .is_some_and(|m| m.revenue.to_revenue_target.is_some());
    let own = confidence.map(own_quantile);
    let mut out = String::from("each metric: the plan");
    if has_path {
        out.push_str(
            "; on the path to the revenue target and to the profit target (the mean of the simulated \
             years that end nearest each, as the lines below say: a path's months add up to its year)",
        );
    }
    out.push_str("; the simulated P10 to P90 of the month");
    if let (Some(c), Some(q)) = (confidence, &own) {
        let _ = write!(
            out,
            "; and the month's own {q}, reached in {} of the simulated months \
             (each month's own: they do not add up to a year that is {} sure)",
            pct(c),
            pct(c)
        );
    }
    out.push('\n');
    if has_path && let Some(p) = path {
        for (what, path) in [("revenue", &p.revenue), ("profit", &p.profit)] {
            if let Some(path) = path {
                let y = path_years(path);
                let _ = writeln!(
                    out,
                    "path to {what} {}: {}the mean of {}",
                    human(path.target),
                    y.lead,
                    y.years
                );
            }
        }
    }
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
            if has_path {
                header.push("to revenue".into());
                header.push("to profit".into());
            }
            header.push("P10 to P90".into());
            if let Some(q) = &own {
                header.push(format!("own {q}"));
            }
        }
        let mut rows = vec![header];
        for m in monthly {
            let mut row = vec![m.label.clone().unwrap_or_else(|| m.month.to_string())];
            for (_, name, k) in m.by_department().into_iter().filter(|(d, _, _)| *d == dept) {
                let show = |v: f64| if name == "arpu" { arpu(v) } else { human(v) };
                row.push(show(k.plan));
                if has_path {
                    row.push(k.to_revenue_target.map_or_else(|| "-".into(), show));
                    row.push(k.to_profit_target.map_or_else(|| "-".into(), show));
                }
                row.push(range(show(k.p10), show(k.p90)));
                if let Some(a) = k.at_confidence {
                    row.push(show(a));
                }
            }
            rows.push(row);
        }
        let _ = write!(out, "\n{title}\n\n{}", columns(&rows));
    }
    out
}

/// The quantile a confidence reads: 80% sure is the month's P20.
fn own_quantile(confidence: f64) -> String {
    format!(
        "P{}",
        crate::present::num(crate::present::tidy(100.0 * (1.0 - confidence)))
    )
}

fn kpi_cell(k: &crate::aggregate::Kpi, show: fn(f64) -> String) -> String {
    format!(
        "<b>{}</b><br><small>{}</small>",
        show(k.plan),
        range(show(k.p10), show(k.p90))
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
                kpi_cell(&m.registrations, human),
                kpi_cell(&m.new_payers, human),
                kpi_cell(&m.old_payers, human),
                kpi_cell(&m.payers, human),
                kpi_cell(&m.arpu, arpu),
                kpi_cell(&m.revenue, human),
            ];
            if segments.len() > 1 {
                row.extend(m.segments.values().map(|s| kpi_cell(&s.payers, human)));
            }
            row.push(kpi_cell(&m.profit, human));
            row
        })
        .collect();
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    out.push_str(&table(&head, &rows));
    out.push_str("</section>\n");
    out
}
