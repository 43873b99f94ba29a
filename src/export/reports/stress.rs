//! `kpisim stress`: the baseline and each case, on the same draws. For
//! people, each case's probabilities and their change from the baseline
//! with its paired standard error; the CSV a row a case; the workbook's
//! chart P(both) by case; on the HTML page, the stress section.

use std::fmt::Write;

use crate::aggregate::StressReport;
use crate::export::html::{esc, table};
use crate::export::text::{columns, header};
use crate::export::xlsx::{ChartSpec, ChartType};
use crate::export::{ALL_TABULAR, Cell, CsvSpec, Format, Report};
use crate::present::{human, pp, se_pp, share, thousands};

impl Report for StressReport {
    const NAME: &'static str = "stress";
    const FORMATS: &'static [Format] = ALL_TABULAR;
    const CSV: CsvSpec = CsvSpec {
        rows: "one row per case, the baseline first",
        columns: &[
            "case",
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
        ],
        notes: "Probabilities and changes are fractions; change = case minus baseline on the same \
                draws, change_se its paired standard error.",
    };

    fn table(&self) -> String {
        let r = self;
        let mut out = format!(
            "{}: stress test, {} trials a case, seed {}, every case on the same draws\n\n",
            r.header.scenario,
            thousands(r.header.trials),
            r.header.seed
        );
        let change = |c: f64, base: bool| if base { String::new() } else { pp(c) };
        let n = r.header.trials;
        let mut rows = vec![header(&[
            "case",
            "P(revenue)",
            "change",
            "P(profit)",
            "change",
            "P(both)",
            "change",
            "± s.e.",
            "revenue P50",
            "P5",
            "profit P50",
            "P5",
        ])];
        for (i, c) in r.cases.iter().enumerate() {
            let base = i == 0;
            rows.push(vec![
                c.name.clone(),
                share(c.probability.revenue, n),
                change(c.change.revenue, base),
                share(c.probability.profit, n),
                change(c.change.profit, base),
                share(c.probability.both, n),
                change(c.change.both, base),
                if base {
                    se_pp(c.standard_error.both)
                } else {
                    se_pp(c.change_standard_error.both)
                },
                human(c.annual.revenue.p50),
                human(c.annual.revenue.p5),
                human(c.annual.profit.p50),
                human(c.annual.profit.p5),
            ]);
        }
        out.push_str(&columns(&rows));
        let _ = writeln!(
            out,
            "\ntargets: revenue {}, profit {}; change = case minus baseline in percentage points, \
             with the paired standard error of the change in P(both) (the baseline row: its own)",
            human(r.targets.revenue),
            human(r.targets.profit)
        );
        out
    }

    fn csv_rows(&self) -> Vec<Vec<Cell>> {
        self.cases
            .iter()
            .map(|c| {
                let (a, se, ch, chse) = (
                    &c.probability,
                    &c.standard_error,
                    &c.change,
                    &c.change_standard_error,
                );
                let (r, p) = (&c.annual.revenue, &c.annual.profit);
                let mut row = vec![Cell::from(c.name.as_str())];
                row.extend(
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
                    .map(Cell::Number),
                );
                row
            })
            .collect()
    }

    fn chart(&self) -> Option<ChartSpec> {
        Some(ChartSpec {
            sheet: "Cases",
            categories: &["name"],
            series: &["probability both"],
            kind: ChartType::Bar,
            title: "P(both targets) by stress case".into(),
            x_title: "case",
            y_title: "probability",
            y_format: "0%",
        })
    }
}

/// The page's section of stress cases.
pub fn html(st: &StressReport) -> String {
    let mut out = String::from(
        "<section id=\"stress\">\n<h2>Stress tests</h2>\n<p class=\"note\">Each [[stress]] case of the scenario on the same draws as the baseline; \
         the change is the case minus the baseline in percentage points, with its paired standard error; \
         the year's median and 5th percentile, as <code>kpisim stress</code> shows them.</p>\n",
    );
    let rows: Vec<Vec<String>> = st
        .cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let change = if i == 0 {
                String::new()
            } else {
                let class = if c.change.both < 0.0 { "down" } else { "up" };
                format!(
                    "<span class=\"{class}\">{}</span> <small>{}</small>",
                    pp(c.change.both),
                    se_pp(c.change_standard_error.both)
                )
            };
            vec![
                esc(&c.name),
                share(c.probability.revenue, st.header.trials),
                share(c.probability.profit, st.header.trials),
                share(c.probability.both, st.header.trials),
                change,
                human(c.annual.revenue.p50),
                human(c.annual.revenue.p5),
                human(c.annual.profit.p50),
                human(c.annual.profit.p5),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "case",
            "P(revenue)",
            "P(profit)",
            "P(both)",
            "change in P(both)",
            "revenue median",
            "revenue P5",
            "profit median",
            "profit P5",
        ],
        &rows,
    ));
    out.push_str("</section>\n");
    out
}
