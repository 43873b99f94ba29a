//! The terminal table: what a person reads. Money and counts as 460.8M and
//! 21.7k, probabilities as 54.2% with their standard error.

use std::fmt::Write;

use super::Exporter;
use super::Result;
use crate::aggregate::{Bands, KpiReport, PointReport, StressReport, Summary, SweepReport};
use crate::fmt::{columns, human, pct, pp, se_pp, thousands};

/// Table exporter.
pub struct Table;

/// A header row.
fn header(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|h| h.to_string()).collect()
}

fn month_name(labels: Option<&Vec<String>>, month: usize) -> String {
    labels.map_or_else(|| month.to_string(), |l| l[month - 1].clone())
}

fn one_run(s: &Summary) -> String {
    let mut out = String::new();
    let from = s
        .start
        .as_ref()
        .map(|st| format!(" from {st}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}: {} trials, seed {}, {} months{from}",
        s.header.scenario,
        thousands(s.header.trials),
        s.header.seed,
        s.months
    );
    out.push('\n');
    let p = &s.probability;
    let se = &s.standard_error;
    out.push_str(&columns(&[
        header(&["target", "annual", "P(hit)", "std. error"]),
        vec![
            "revenue".into(),
            format!(">= {}", human(s.targets.revenue)),
            pct(p.revenue),
            se_pp(se.revenue),
        ],
        vec![
            "profit".into(),
            format!(">= {}", human(s.targets.profit)),
            pct(p.profit),
            se_pp(se.profit),
        ],
        vec!["both".into(), String::new(), pct(p.both), se_pp(se.both)],
    ]));
    out.push('\n');
    let annual_row = |name: &str, point: f64, b: &Bands| {
        let mut r = vec![name.to_string(), human(point), human(b.mean), human(b.sd)];
        r.extend(b.percentiles().iter().map(|v| human(*v)));
        r
    };
    out.push_str(&columns(&[
        header(&[
            "annual", "plan", "mean", "sd", "P5", "P10", "P25", "P50", "P75", "P90", "P95",
        ]),
        annual_row("revenue", s.point.revenue, &s.annual.revenue),
        annual_row("profit", s.point.profit, &s.annual.profit),
    ]));
    out.push('\n');
    if s.segments.len() > 1 {
        let shares: Vec<String> = s
            .segments
            .iter()
            .map(|g| format!("{} {}", g.name, pct(g.revenue_share)))
            .collect();
        let _ = writeln!(out, "share of expected revenue: {}\n", shares.join(", "));
    }
    let mut rows: Vec<Vec<String>> = vec![header(&[
        "month",
        "registrations",
        "new payers",
        "old payers",
        "payers",
        "revenue P5",
        "P50",
        "P95",
        "profit P5",
        "P50",
        "P95",
    ])];
    for m in &s.monthly {
        rows.push(vec![
            m.label.clone().unwrap_or_else(|| m.month.to_string()),
            human(m.registrations.p50),
            human(m.new_payers.p50),
            human(m.old_payers.p50),
            human(m.payers.p50),
            human(m.revenue.p5),
            human(m.revenue.p50),
            human(m.revenue.p95),
            human(m.profit.p5),
            human(m.profit.p50),
            human(m.profit.p95),
        ]);
    }
    out.push_str(&columns(&rows));
    out.push_str("\nmonthly medians (P50), revenue and profit with their 5-95% band; every band: --format json or csv\n");
    out
}

fn batch(summaries: &[Summary]) -> String {
    let mut rows = vec![header(&[
        "scenario",
        "file",
        "trials",
        "P(revenue)",
        "P(profit)",
        "P(both)",
        "revenue P50",
        "profit P50",
    ])];
    for s in summaries {
        rows.push(vec![
            s.header.scenario.clone(),
            s.header.file.clone(),
            thousands(s.header.trials),
            pct(s.probability.revenue),
            pct(s.probability.profit),
            pct(s.probability.both),
            human(s.annual.revenue.p50),
            human(s.annual.profit.p50),
        ]);
    }
    columns(&rows)
}

impl Exporter for Table {
    fn run(&self, summaries: &[Summary]) -> Result<String> {
        let mut parts: Vec<String> = summaries.iter().map(one_run).collect();
        if summaries.len() > 1 {
            parts.push(format!("batch summary\n\n{}", batch(summaries)));
        }
        Ok(parts.join("\n"))
    }

    fn point(&self, plans: &[PointReport]) -> Result<String> {
        let mut parts = Vec::new();
        for p in plans {
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
            let row = |name: String, m: &crate::model::PointMonth, stocks: bool| {
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
            parts.push(out);
        }
        Ok(parts.join("\n"))
    }

    fn stress(&self, r: &StressReport) -> Result<String> {
        let mut out = format!(
            "{}: stress test, {} trials a case, seed {}, every case on the same draws\n\n",
            r.header.scenario,
            thousands(r.header.trials),
            r.header.seed
        );
        let change = |c: f64, base: bool| if base { String::new() } else { pp(c) };
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
                pct(c.probability.revenue),
                change(c.change.revenue, base),
                pct(c.probability.profit),
                change(c.change.profit, base),
                pct(c.probability.both),
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
        Ok(out)
    }

    fn sweep(&self, r: &SweepReport) -> Result<String> {
        let (first, last) = (r.points[0].value, r.points[r.points.len() - 1].value);
        let mut out = format!(
            "{}: sweep of {} from {} to {}, {} trials a step, seed {}, every step on the same draws\n\n",
            r.header.scenario,
            r.path,
            first,
            last,
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
                format!("{}", p.value),
                pct(p.probability.revenue),
                pct(p.probability.profit),
                pct(p.probability.both),
                se_pp(p.standard_error.both),
            ]);
        }
        out.push_str(&columns(&rows));
        out.push('\n');
        for c in r.crossings.iter().filter(|c| c.target == "both") {
            let _ = match c.value {
                Some(v) => writeln!(
                    out,
                    "P(both) crosses {} at {} = {v:.6}",
                    pct(c.level),
                    r.path
                ),
                None => writeln!(
                    out,
                    "P(both) never crosses {} for {} in [{first}, {last}]",
                    pct(c.level),
                    r.path
                ),
            };
        }
        Ok(out)
    }

    fn kpis(&self, r: &KpiReport) -> Result<String> {
        let mut out = format!(
            "{}: KPI sheet by department, {} trials, seed {}\n\
             each metric: the plan, the simulated median (P50) and its P10-P90 range{}\n",
            r.header.scenario,
            thousands(r.header.trials),
            r.header.seed,
            r.confidence
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
        for (dept, title) in departments {
            let names: Vec<String> = r.monthly[0]
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
                if r.confidence.is_some() {
                    header.push(format!("at {}", pct(r.confidence.unwrap_or(0.0))));
                }
            }
            let mut rows = vec![header];
            for m in &r.monthly {
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
        Ok(out)
    }
}
