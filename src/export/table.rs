//! The terminal table: what a person reads. Money and counts as 460.8M and
//! 21.7k, probabilities as 54.2% with their standard error.

use std::fmt::Write;

use super::Result;
use super::TextExporter;
use crate::aggregate::{
    Bands, FitReport, Header, KpiMonth, KpiReport, PointReport, SensitivityReport, SolveReport,
    StressReport, Summary, SweepReport, TrackReport,
};
use crate::present::{columns, human, pct, pp, se_pp, thousands};

/// Table exporter.
pub struct Table;

/// A header row.
fn header(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|h| h.to_string()).collect()
}

fn month_name(labels: Option<&Vec<String>>, month: usize) -> String {
    labels.map_or_else(|| month.to_string(), |l| l[month - 1].clone())
}

/// How a run's trials were drawn, and where `--precision` stopped, for the
/// first line of a report: `, Latin hypercube (10 replicates)`,
/// `; stopped when the standard error of P(both) reached ±0.10 pp`.
fn sampling_note(h: &Header) -> String {
    let mut note = String::new();
    if h.sampling == "lhs" {
        note.push_str(", Latin hypercube (10 replicates)");
    }
    if let Some(p) = h.precision {
        let _ = write!(
            note,
            "; {} the standard error of P({}) reached {} (asked {})",
            if p.reached {
                "stopped when"
            } else {
                "ran out of trials before"
            },
            p.target,
            se_pp(p.standard_error),
            se_pp(p.asked)
        );
    }
    note
}

/// One line per target: the month by which half of the trials have
/// reached it, summing from month 1.
fn reached_lines(s: &Summary) -> String {
    let month = |get: fn(&crate::aggregate::Reached) -> f64| {
        s.half_reached_by(get)
            .unwrap_or_else(|| "not within the horizon".into())
    };
    columns(&[
        vec![
            "half the trials reach the revenue target by".into(),
            month(|r| r.revenue),
        ],
        vec![
            "half the trials reach the profit target by".into(),
            month(|r| r.profit),
        ],
        vec!["half the trials reach both by".into(), month(|r| r.both)],
    ])
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
        "{}: {} trials, seed {}, {} months{from}{}",
        s.header.scenario,
        thousands(s.header.trials),
        s.header.seed,
        s.months,
        sampling_note(&s.header)
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
    out.push_str(&reached_lines(s));
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

impl TextExporter for Table {
    /// Names from the user's files reach a terminal here: escaped.
    fn finish(&self, text: String) -> Vec<u8> {
        crate::present::printable(&text).into_owned().into_bytes()
    }

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
                    "P(both) crosses {} at {} = {}",
                    pct(c.level),
                    r.path,
                    crate::present::num(crate::present::sig(v, 6))
                ),
                None => writeln!(
                    out,
                    "P(both) never crosses {} for {} in [{}, {}]",
                    pct(c.level),
                    r.path,
                    crate::present::num(first),
                    crate::present::num(last)
                ),
            };
        }
        Ok(out)
    }

    fn kpis(&self, r: &KpiReport) -> Result<String> {
        let mut out = format!(
            "{}: KPI sheet by department, {} trials, seed {}{}\n",
            r.header.scenario,
            thousands(r.header.trials),
            r.header.seed,
            sampling_note(&r.header)
        );
        out.push_str(&kpi_sheet(&r.monthly, r.confidence));
        Ok(out)
    }

    fn sensitivity(&self, r: &SensitivityReport) -> Result<String> {
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
                human(i.p10),
                human(i.p90),
                human(i.profit.at_p10),
                human(i.profit.at_p90),
                human(i.profit.change()),
                pct(i.both.at_p10),
                pct(i.both.at_p90),
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
        Ok(out)
    }

    fn fit(&self, r: &FitReport) -> Result<String> {
        Ok(super::history_table::fit(r))
    }

    fn track(&self, r: &TrackReport) -> Result<String> {
        Ok(super::history_table::track(r))
    }

    fn solve(&self, r: &SolveReport) -> Result<String> {
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
                pct(t.probability),
            ]);
        }
        out.push_str(&columns(&rows));
        if let Some(monthly) = &r.monthly {
            let _ = writeln!(
                out,
                "\nthe solved plan, month by month: what each department must reach{}",
                r.monthly_confidence
                    .map(|c| format!(" ({} confidence in the last column)", pct(c)))
                    .unwrap_or_default()
            );
            out.push_str(&kpi_sheet(monthly, r.monthly_confidence));
        }
        Ok(out)
    }
}

/// The department sheet, one table a department, each metric with its
/// plan, median and P10-P90, and with a confidence the value reached with
/// it.
fn kpi_sheet(monthly: &[KpiMonth], confidence: Option<f64>) -> String {
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
