//! `kpisim run --point`: the deterministic plan, every input at its mean,
//! month by month and for the year. No workbook: it is one small table.

use std::fmt::Write;

use super::Batch;
use crate::aggregate::PointReport;
use crate::export::text::{columns, header, month_name};
use crate::export::{Cell, CsvSpec, Format, Report, TEXT_ONLY};
use crate::model::PointMonth;
use crate::present::{human, pct};

/// The point plans of one or more scenarios.
pub type Plans = Batch<PointReport>;

impl Report for Plans {
    const NAME: &'static str = "run --point";
    const FORMATS: &'static [Format] = TEXT_ONLY;
    const CSV: CsvSpec = CsvSpec {
        rows: "one row per scenario and month",
        columns: &[
            "scenario",
            "month",
            "label",
            "registrations",
            "new_payers",
            "old_payers",
            "payers",
            "arpu",
            "revenue",
            "marketing",
            "profit",
        ],
        notes: "",
    };

    fn table(&self) -> String {
        self.0.iter().map(plan).collect::<Vec<_>>().join("\n")
    }

    fn csv_rows(&self) -> Vec<Vec<Cell>> {
        let mut rows = Vec::new();
        for p in &self.0 {
            for m in &p.plan.monthly {
                let label = p.labels.as_ref().map(|l| l[m.month - 1].clone());
                let mut row = vec![
                    Cell::from(p.origin.scenario.as_str()),
                    Cell::from(m.month),
                    Cell::Text(label.unwrap_or_default()),
                ];
                row.extend(
                    [
                        m.registrations,
                        m.new_payers,
                        m.old_payers,
                        m.payers,
                        m.arpu,
                        m.revenue,
                        m.marketing,
                        m.profit,
                    ]
                    .map(Cell::Number),
                );
                rows.push(row);
            }
        }
        rows
    }
}

fn plan(p: &PointReport) -> String {
    let mut out = format!(
        "{}: point plan (every input at its mean), {} months\n\n",
        p.origin.scenario, p.months
    );
    let mut rows: Vec<Vec<String>> = vec![header(&[
        "month",
        "registrations",
        "new payers",
        "old payers",
        "payers",
        "ARPU",
        "revenue",
        "marketing",
        "profit",
    ])];
    let row = |name: String, m: &PointMonth, stocks: bool| {
        // Old and total payers are stocks: a sum over months means nothing.
        let stock = |v: f64| if stocks { human(v) } else { String::new() };
        vec![
            name,
            human(m.registrations),
            human(m.new_payers),
            stock(m.old_payers),
            stock(m.payers),
            format!("{:.0}", m.arpu),
            human(m.revenue),
            human(m.marketing),
            human(m.profit),
        ]
    };
    for m in &p.plan.monthly {
        rows.push(row(month_name(p.labels.as_ref(), m.month), m, true));
    }
    let a = &p.plan.annual;
    rows.push(row("year".into(), a, false));
    out.push_str(&columns(&rows));
    let _ = writeln!(
        out,
        "\nyear: revenue {} (target {}), profit {} (target {}), marketing {} of revenue",
        human(a.revenue),
        human(p.targets.revenue),
        human(a.profit),
        human(p.targets.profit),
        pct(if a.revenue > 0.0 {
            a.marketing / a.revenue
        } else {
            0.0
        })
    );
    out
}
