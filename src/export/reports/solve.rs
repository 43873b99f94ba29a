//! `kpisim solve`: the value of one lever that brings a target's
//! probability to a confidence. For people, the answer in a sentence (or
//! that none in the range does, or that the target is met throughout), the
//! values tried, and with `--monthly` the department sheet of the solved
//! plan; the CSV a row a value tried; the workbook's chart the probability
//! at each value.

use std::fmt::Write;

use super::kpis::kpi_sheet;
use crate::aggregate::SolveReport;
use crate::export::text::{columns, sampling_note};
use crate::export::xlsx::{ChartSpec, ChartType};
use crate::export::{ALL_TABULAR, Cell, CsvSpec, Format, Report};
use crate::present::{human, pct, se_pp, share, thousands};

impl Report for SolveReport {
    const NAME: &'static str = "solve";
    const FORMATS: &'static [Format] = ALL_TABULAR;
    const CSV: CsvSpec = CsvSpec {
        rows: "one row per value tried, in the order tried",
        columns: &["value", "probability"],
        notes: "The answer is in the table and the JSON.",
    };

    fn table(&self) -> String {
        let r = self;
        let range = format!(
            "[{}, {}]",
            crate::present::num(r.range[0]),
            crate::present::num(r.range[1])
        );
        let what = if r.multiplier {
            format!("{} (a multiplier: 1 = as written)", r.lever)
        } else {
            r.lever.clone()
        };
        let mut out = format!(
            "{}: solve for P({}) >= {} by moving {what} in {range}, {} trials a run, seed {}, every run on the same draws{}\n\n",
            r.header.scenario,
            r.target,
            pct(r.confidence),
            thousands(r.header.trials),
            r.header.seed,
            sampling_note(&r.header)
        );
        let still = |out: &mut String| {
            let _ = write!(
                out,
                "{} does not move P({}): it is {} {} at every value tried",
                r.lever,
                r.target,
                pct(r.probability),
                se_pp(r.standard_error)
            );
        };
        match r.value {
            Some(_) if r.reached_throughout => {
                let _ = write!(
                    out,
                    "P({}) is at least {} at every value of {} in {range}: the target is met across the whole range",
                    r.target,
                    pct(r.confidence),
                    r.lever,
                );
                if r.lever_moves {
                    let _ = writeln!(
                        out,
                        "; its lowest is {} {} at {} = {}",
                        pct(r.probability),
                        se_pp(r.standard_error),
                        r.lever,
                        crate::present::num(crate::present::sig(
                            r.value.unwrap_or(r.best.value),
                            6
                        ))
                    );
                } else {
                    out.push_str(", and ");
                    still(&mut out);
                    out.push('\n');
                }
            }
            Some(v) => {
                let _ = writeln!(
                    out,
                    "{} = {} brings P({}) to {} {}",
                    r.lever,
                    crate::present::num(crate::present::sig(v, 6)),
                    r.target,
                    pct(r.probability),
                    se_pp(r.standard_error)
                );
            }
            None if !r.lever_moves => {
                let _ = write!(
                    out,
                    "no value of {} in {range} brings P({}) to {}: ",
                    r.lever,
                    r.target,
                    pct(r.confidence),
                );
                still(&mut out);
                out.push('\n');
            }
            None => {
                let _ = writeln!(
                    out,
                    "no value of {} in {range} brings P({}) to {}: the best found is {} {} at {} = {}",
                    r.lever,
                    r.target,
                    pct(r.confidence),
                    pct(r.best.probability),
                    se_pp(r.standard_error),
                    r.lever,
                    crate::present::num(r.best.value)
                );
            }
        }
        let _ = writeln!(
            out,
            "point plan there: revenue {}, profit {}\n",
            human(r.point.revenue),
            human(r.point.profit)
        );
        let mut tried = r.tried.clone();
        tried.sort_by(|a, b| a.value.total_cmp(&b.value));
        let mut rows = vec![vec!["value tried".to_string(), format!("P({})", r.target)]];
        for t in &tried {
            rows.push(vec![
                crate::present::num(crate::present::sig(t.value, 6)),
                share(t.probability, r.header.trials),
            ]);
        }
        out.push_str(&columns(&rows));
        if let Some(monthly) = &r.monthly {
            out.push_str(
                "\nthe solved plan, month by month: the monthly numbers each department must reach \
                 are its path to the target; each month's own quantile is shown beside it, for how far \
                 a month may fall short\n",
            );
            out.push_str(&kpi_sheet(
                monthly,
                r.monthly_confidence,
                r.path_to_target.as_ref(),
            ));
        }
        out
    }

    fn csv_rows(&self) -> Vec<Vec<Cell>> {
        self.tried
            .iter()
            .map(|t| vec![Cell::Number(t.value), Cell::Number(t.probability)])
            .collect()
    }

    fn chart(&self) -> Option<ChartSpec> {
        Some(ChartSpec {
            sheet: "Tried",
            categories: &["value"],
            series: &["probability"],
            kind: ChartType::Scatter,
            title: "Probability at each value tried".into(),
            x_title: "lever value",
            y_title: "probability",
            y_format: "0%",
        })
    }
}
