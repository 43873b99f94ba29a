//! The terminal tables of `fit` and `track`: what a planner reads after
//! fitting last year and after each month of actuals.

use std::fmt::Write;

use crate::aggregate::{FitReport, TrackReport};
use crate::present::{columns, human, pct, se_pp, thousands};

fn header(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|h| h.to_string()).collect()
}

/// A rate as a percentage with two decimals (a first-charge rate of 2.03%),
/// an amount as 6.03 or 812.
fn level(path: &str, v: f64) -> String {
    if path.ends_with("retention") || path.ends_with("first_charge_rate") {
        format!("{:.2}%", 100.0 * v)
    } else if v.abs() < 10.0 {
        format!("{v:.3}")
    } else if v.abs() < 100.0 {
        format!("{v:.2}")
    } else {
        human(v)
    }
}

/// `kpisim fit`.
pub fn fit(r: &FitReport) -> String {
    let f = &r.fit;
    let mut out = format!(
        "{} fitted to {}: {} months, {} to {}; written to {}\n\n",
        r.plan, r.history, f.months, f.from, f.to, r.output
    );
    let mut rows = vec![header(&[
        "input", "dist", "mean", "sd", "noise_cv", "months", "ratio",
    ])];
    for i in &f.inputs {
        rows.push(vec![
            i.path.clone(),
            i.dist.key().into(),
            level(&i.path, i.mean),
            level(&i.path, i.sd),
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
    out.push_str(
        "\nmean: the mean monthly ratio; sd: its standard error (the level's uncertainty, drawn once a trial); \
         noise_cv: the ratios' month-to-month scatter\n",
    );
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

/// `kpisim track`.
pub fn track(r: &TrackReport) -> String {
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
    let prob = |p: f64, se: f64| format!("{} {}", pct(p), se_pp(se));
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
    rows.push(vec![
        "revenue".into(),
        human(r.targets.revenue),
        human(r.actual.revenue),
        needed(r.needed.revenue_per_month),
        prob(p.revenue, se.revenue),
        prob(pp.revenue, pse.revenue),
    ]);
    rows.push(vec![
        "profit".into(),
        human(r.targets.profit),
        human(r.actual.profit),
        needed(r.needed.profit_per_month),
        prob(p.profit, se.profit),
        prob(pp.profit, pse.profit),
    ]);
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
                level(&u.path, u.plan_mean),
                level(&u.path, u.plan_sd),
                u.observed.map_or_else(|| "-".into(), |v| level(&u.path, v)),
                u.months.to_string(),
                level(&u.path, u.mean),
                level(&u.path, u.sd),
            ]);
        }
        out.push_str(&columns(&rows));
        for u in r.updated.iter().filter(|u| u.observed.is_none()) {
            if let Some(why) = u.kept_at_plan {
                let _ = writeln!(out, "  {}: left at the plan: {why}", u.path);
            }
        }
    }
    out
}
