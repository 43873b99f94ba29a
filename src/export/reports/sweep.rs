//! `kpisim sweep`: one path across a range, on the same draws. For people,
//! each step's probabilities and where P(both) crosses its levels; the CSV
//! a row a step; the workbook's chart the three probabilities.

use std::fmt::Write;

use crate::aggregate::SweepReport;
use crate::export::text::{columns, header};
use crate::export::xlsx::{ChartSpec, ChartType};
use crate::export::{ALL_TABULAR, Cell, CsvSpec, Format, Report};
use crate::present::{pct, range, share, share_se, thousands};

impl Report for SweepReport {
    const NAME: &'static str = "sweep";
    const FORMATS: &'static [Format] = ALL_TABULAR;
    const CSV: CsvSpec = CsvSpec {
        rows: "one row per step",
        columns: &[
            "value",
            "p_revenue",
            "p_profit",
            "p_both",
            "se_revenue",
            "se_profit",
            "se_both",
        ],
        notes: "Probabilities are fractions. The crossings are in the table and the JSON.",
    };

    fn table(&self) -> String {
        let r = self;
        let (first, last) = (r.points[0].value, r.points[r.points.len() - 1].value);
        let mut out = format!(
            "{}: sweep of {} from {} to {}, {} trials a step, seed {}, every step on the same draws\n\n",
            r.header.scenario,
            r.path,
            crate::present::num(first),
            crate::present::num(last),
            thousands(r.header.trials),
            r.header.seed
        );
        let mut rows = vec![header(&[
            "value",
            "P(revenue)",
            "P(profit)",
            "P(both)",
            "± s.e.",
        ])];
        for p in &r.points {
            rows.push(vec![
                crate::present::num(p.value),
                share(p.probability.revenue, r.header.trials),
                share(p.probability.profit, r.header.trials),
                share(p.probability.both, r.header.trials),
                share_se(p.probability.both, p.standard_error.both),
            ]);
        }
        out.push_str(&columns(&rows));
        out.push('\n');
        for c in r.crossings.iter().filter(|c| c.target == "both") {
            let _ = match c.value {
                Some(v) => writeln!(
                    out,
                    "P(both) crosses {} at {} = {}",
                    pct(c.level),
                    r.path,
                    crate::present::num(crate::present::sig(v, 6))
                ),
                None => {
                    let (lo, hi) = r
                        .points
                        .iter()
                        .map(|p| p.probability.both)
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                            (a.min(x), b.max(x))
                        });
                    let side = if lo >= c.level { "above" } else { "below" };
                    writeln!(
                        out,
                        "P(both) stays {side} {} throughout the range of {} from {} to {} ({})",
                        pct(c.level),
                        r.path,
                        crate::present::num(first),
                        crate::present::num(last),
                        range(share(lo, r.header.trials), share(hi, r.header.trials))
                    )
                }
            };
        }
        out
    }

    fn csv_rows(&self) -> Vec<Vec<Cell>> {
        self.points
            .iter()
            .map(|p| {
                let (a, se) = (&p.probability, &p.standard_error);
                [
                    p.value, a.revenue, a.profit, a.both, se.revenue, se.profit, se.both,
                ]
                .map(Cell::Number)
                .to_vec()
            })
            .collect()
    }

    fn chart(&self) -> Option<ChartSpec> {
        Some(ChartSpec {
            sheet: "Points",
            categories: &["value"],
            series: &[
                "probability revenue",
                "probability profit",
                "probability both",
            ],
            kind: ChartType::Line,
            title: format!("Probabilities across {}", self.path),
            x_title: "value",
            y_title: "probability",
            y_format: "0%",
        })
    }
}
