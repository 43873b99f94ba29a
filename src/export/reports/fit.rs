//! `kpisim fit`: what was estimated from which months, and the backtest.
//! For people, a row a fitted input and the held-out values against their
//! bands; the CSV an `input` row a fitted input, then a `holdout` row a
//! held-out value. No workbook: the fitted scenario is the file to keep.

use std::fmt::Write;

use crate::aggregate::FitReport;
use crate::export::text::{columns, header, level};
use crate::export::{Cell, CsvSpec, Format, Report, TEXT_ONLY};
use crate::history::fitted::Spread;
use crate::present::{human, pct, thousands};

impl Report for FitReport {
    const NAME: &'static str = "fit";
    const FORMATS: &'static [Format] = TEXT_ONLY;
    const CSV: CsvSpec = CsvSpec {
        rows: "one row per fitted input (kind=input: path,dist,mean,sd,noise_cv,months,from,to), then with \
               --holdout one per held-out value (kind=holdout: month,metric,actual,p5,p25,p75,p95,inside)",
        columns: &[
            "kind", "path", "dist", "mean", "sd", "noise_cv", "months", "from", "to", "month",
            "metric", "actual", "p5", "p25", "p75", "p95", "inside",
        ],
        notes: "Cells that do not apply to a row's kind are empty.",
    };

    fn table(&self) -> String {
        table(self)
    }

    fn csv_rows(&self) -> Vec<Vec<Cell>> {
        let mut rows = Vec::new();
        for i in &self.fit.inputs {
            let mut row = vec![
                Cell::from("input"),
                Cell::from(i.path.as_str()),
                Cell::from(i.dist.key()),
                Cell::Number(i.mean),
                Cell::Number(i.sd),
                Cell::Number(i.noise_cv),
                Cell::from(i.months),
                Cell::from(i.from.as_str()),
                Cell::from(i.to.as_str()),
            ];
            row.resize(17, Cell::Empty);
            rows.push(row);
        }
        for v in self.holdout.iter().flat_map(|h| &h.values) {
            let mut row = vec![Cell::from("holdout")];
            row.resize(9, Cell::Empty);
            row.push(Cell::from(v.month.as_str()));
            row.push(Cell::from(v.metric));
            row.extend([v.actual, v.p5, v.p25, v.p75, v.p95].map(Cell::Number));
            row.push(Cell::Flag(v.in_90()));
            rows.push(row);
        }
        rows
    }
}

fn table(r: &FitReport) -> String {
    let f = &r.fit;
    let mut out = format!(
        "{} fitted to {}: {} months, {} to {}; written to {}\n\n",
        r.plan, r.history, f.months, f.from, f.to, r.output
    );
    let mut rows = vec![header(&[
        "input",
        "dist",
        "mean",
        "sd",
        "level's se",
        "plan's sd",
        "noise_cv",
        "months",
        "ratio",
    ])];
    for i in &f.inputs {
        rows.push(vec![
            i.path.clone(),
            i.dist.key().into(),
            level(i.kind, i.mean),
            level(i.kind, i.sd),
            level(i.kind, i.standard_error),
            level(i.kind, i.plan_sd),
            pct(i.noise_cv),
            format!("{} to {} ({})", i.from, i.to, i.months),
            i.ratio.clone(),
        ]);
    }
    out.push_str(&columns(&rows));
    for s in &f.start_payers {
        let _ = writeln!(
            out,
            "segments.{}.start_payers = {} ({} of {})",
            s.segment,
            thousands(s.start_payers.round() as u64),
            s.column,
            s.month
        );
    }
    let _ = writeln!(out, "\ndiminishing returns: {}", f.returns.described());
    if !f.no_spend.is_empty() {
        let _ = writeln!(
            out,
            "months without marketing spend, left out of the cost per registration, the first-charge rate and the elasticity: {}",
            f.no_spend.join(", ")
        );
    }
    out.push_str("mean: the mean monthly ratio (last year's level); noise_cv: the ratios' month-to-month scatter; sd: ");
    out.push_str(match f.spread {
        Spread::Plan => {
            "the plan's own sd widened by the level's standard error, sqrt(plan_sd^2 + se^2) (--spread plan): \
             how much this year may differ from last year, as the plan judges it\n"
        }
        Spread::History => {
            "the level's standard error alone (--spread history): how well last year's level is known; \
             it says nothing of how this year may differ, so the probabilities it gives are too sure\n"
        }
    });
    out.push_str(if f.profiles_kept {
        "profiles: the plan's, kept (--keep-profiles): its growth and seasonality on last year's level\n"
    } else {
        "profiles: dropped, every month at last year's average month (--keep-profiles keeps the plan's growth and seasonality)\n"
    });
    if let Some(h) = &r.holdout {
        let _ = writeln!(
            out,
            "\nbacktest: fitted on {} to {} ({} months), the last {} months simulated from the payers before them \
             on their actual spend ({} trials, seed {})\n",
            h.fitted_on.from,
            h.fitted_on.to,
            h.fitted_on.months,
            h.months,
            thousands(h.trials),
            h.seed
        );
        let mut rows = vec![header(&[
            "month", "metric", "actual", "P5", "P25", "P75", "P95", "inside",
        ])];
        for v in &h.values {
            let inside = match (v.in_50(), v.in_90()) {
                (true, _) => "P25-P75",
                (false, true) => "P5-P95",
                _ => "outside",
            };
            rows.push(vec![
                v.month.clone(),
                v.metric.into(),
                human(v.actual),
                human(v.p5),
                human(v.p25),
                human(v.p75),
                human(v.p95),
                inside.into(),
            ]);
        }
        out.push_str(&columns(&rows));
        let n = h.values.len();
        let count = |share: f64| (share * n as f64).round() as usize;
        let _ = writeln!(
            out,
            "\ncoverage: {} of {n} held-out values inside P5-P95 ({}, nominal 90.0%), {} of {n} inside P25-P75 ({}, nominal 50.0%)",
            count(h.coverage.p5_p95),
            pct(h.coverage.p5_p95),
            count(h.coverage.p25_p75),
            pct(h.coverage.p25_p75),
        );
    }
    out
}
