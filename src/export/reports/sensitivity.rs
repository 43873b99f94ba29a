//! `kpisim sensitivity`: each uncertain input held at its P10 and P90. For
//! people, the inputs by the size of their profit swing, and a tornado of
//! text bars; the CSV a row an input; the workbook's chart the profit at
//! each end; on the HTML page, the section on what drives the risk.

use std::fmt::Write;

use crate::aggregate::SensitivityReport;
use crate::export::html::charts::Chart;
use crate::export::html::{chart, chart_section, esc, table};
use crate::export::text::{columns, header, level, sampling_note};
use crate::export::xlsx::{ChartSpec, ChartType};
use crate::export::{ALL_TABULAR, Cell, CsvSpec, Format, Report};
use crate::present::{human, pct, share, thousands};

impl Report for SensitivityReport {
    const NAME: &'static str = "sensitivity";
    const FORMATS: &'static [Format] = ALL_TABULAR;
    const CSV: CsvSpec = CsvSpec {
        rows: "one row per uncertain input, by the size of its profit swing",
        columns: &[
            "path",
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
        notes: "",
    };

    fn table(&self) -> String {
        let r = self;
        let mut out = format!(
            "{}: sensitivity, {} trials a run, seed {}, every run on the same draws{}\n\n",
            r.header.scenario,
            thousands(r.header.trials),
            r.header.seed,
            sampling_note(&r.header)
        );
        let b = &r.baseline;
        let _ = writeln!(
            out,
            "baseline: mean annual profit {}, mean annual revenue {}, P(both) {}\n",
            human(b.profit),
            human(b.revenue),
            pct(b.both)
        );
        let mut rows = vec![header(&[
            "input",
            "P10",
            "P90",
            "profit at P10",
            "at P90",
            "swing",
            "P(both) at P10",
            "at P90",
            "rank corr.",
            "variance share",
        ])];
        for i in &r.inputs {
            rows.push(vec![
                i.path.clone(),
                level(i.kind, i.p10),
                level(i.kind, i.p90),
                human(i.profit.at_p10),
                human(i.profit.at_p90),
                human(i.profit.change()),
                share(i.both.at_p10, r.header.trials),
                share(i.both.at_p90, r.header.trials),
                format!("{:+.2}", i.spearman_profit),
                pct(i.variance_share),
            ]);
        }
        out.push_str(&columns(&rows));
        let _ = writeln!(
            out,
            "\ntornado: mean annual profit with each input held at its P10 (-) and at its P90 (+), around the baseline {}\n",
            human(b.profit)
        );
        out.push_str(&tornado(r));
        out.push_str(
            "\nrank corr.: Spearman's of the input's drawn level with annual profit in the baseline; \
             variance share: its square over the sum of all inputs' squares\n",
        );
        out
    }

    fn csv_rows(&self) -> Vec<Vec<Cell>> {
        self.inputs
            .iter()
            .map(|i| {
                let mut row = vec![Cell::from(i.path.as_str())];
                row.extend(
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
                    .map(Cell::Number),
                );
                row
            })
            .collect()
    }

    fn chart(&self) -> Option<ChartSpec> {
        Some(ChartSpec {
            sheet: "Inputs",
            categories: &["path"],
            series: &["profit at p10", "profit at p90"],
            kind: ChartType::Bar,
            title: "Mean annual profit with each input at its P10 and P90".into(),
            x_title: "input",
            y_title: "profit",
            y_format: "#,##0",
        })
    }
}

/// Bars of each input's effect on mean annual profit: `-` from the
/// baseline to its value at P10, `+` to its value at P90, below the
/// baseline to the left of `|`, above it to the right.
fn tornado(r: &SensitivityReport) -> String {
    const WIDTH: f64 = 24.0;
    let base = r.baseline.profit;
    let reach = r
        .inputs
        .iter()
        .flat_map(|i| [i.profit.at_p10, i.profit.at_p90])
        .map(|v| (v - base).abs())
        .fold(0.0, f64::max);
    let cells = |v: f64| {
        if reach > 0.0 {
            ((v - base).abs() / reach * WIDTH).round() as usize
        } else {
            0
        }
    };
    let rows: Vec<Vec<String>> = r
        .inputs
        .iter()
        .map(|i| {
            let (mut left, mut right) = (String::new(), String::new());
            for (v, mark) in [(i.profit.at_p10, '-'), (i.profit.at_p90, '+')] {
                let bar: String = std::iter::repeat_n(mark, cells(v)).collect();
                if v < base {
                    left = bar;
                } else {
                    right = bar;
                }
            }
            vec![
                i.path.clone(),
                format!("{left:>24}|{right:<24}"),
                format!("{} .. {}", human(i.profit.at_p10), human(i.profit.at_p90)),
            ]
        })
        .collect();
    columns(&rows)
}

/// The page's section on what drives the risk, with its tornado chart.
pub fn html(sens: &SensitivityReport, charts: &[Chart]) -> String {
    let mut out = chart_section(
        "sensitivity",
        "What drives the risk",
        &format!(
            "Each uncertain input held at its own P10 and P90 while everything else stays random, on the same draws. \
             Baseline: mean annual profit {}, P(both) {}.",
            human(sens.baseline.profit),
            pct(sens.baseline.both)
        ),
        &chart(charts, "tornado").into_iter().collect::<Vec<_>>(),
    );
    let rows: Vec<Vec<String>> = sens
        .inputs
        .iter()
        .map(|i| {
            vec![
                esc(&i.path),
                level(i.kind, i.p10),
                level(i.kind, i.p90),
                human(i.profit.at_p10),
                human(i.profit.at_p90),
                human(i.profit.change()),
                share(i.both.at_p10, sens.header.trials),
                share(i.both.at_p90, sens.header.trials),
                pct(i.variance_share),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "input",
            "P10",
            "P90",
            "profit at P10",
            "at P90",
            "swing",
            "P(both) at P10",
            "at P90",
            "variance share",
        ],
        &rows,
    ));
    out.push_str("</section>\n");
    out
}
