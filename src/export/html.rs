//! The HTML risk report (`kpisim report`): one self-contained page, its
//! charts inline SVG ([`super::charts`]), its style inline CSS, no script
//! and nothing fetched, so that it opens from a mail attachment, reads
//! without JavaScript and prints. Sections carry the ids docs/output.md
//! lists: `headline`, `fan-revenue`, `fan-profit`, `reached`, `annual`,
//! `sensitivity`, `stress` (with stress cases) and `kpis`. The same run
//! gives the same bytes: the page holds no date.

use std::fmt::Write;

use super::charts::{Chart, SIZE};
use crate::aggregate::{Bands, KpiMonth, RiskReport, Summary};
use crate::present::{human, pct, pp, se_pp, thousands};

const STYLE: &str = r#"
:root { --ink: #1d2330; --soft: #5b6475; --line: #dde1e8; --revenue: #1f66aa; --profit: #268649; --both: #7648a0; --warn: #c82828; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: #f6f7f9; }
main { max-width: 980px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { font-size: 26px; margin: 0 0 4px; }
header p { margin: 0; color: var(--soft); }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 20px; margin: 18px 0; }
h2 { font-size: 19px; margin: 0 0 6px; }
p.note { color: var(--soft); margin: 4px 0 10px; font-size: 14px; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; margin: 12px 0 16px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card .what { color: var(--soft); font-size: 13px; }
.card .p { font-size: 32px; font-weight: 650; line-height: 1.15; }
.card .se { color: var(--soft); font-size: 13px; }
.card.revenue .p { color: var(--revenue); } .card.profit .p { color: var(--profit); } .card.both .p { color: var(--both); }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
thead th { color: var(--soft); font-weight: 600; border-bottom: 2px solid var(--line); }
td small { color: var(--soft); white-space: nowrap; }
td:first-child { white-space: nowrap; }
.wide { overflow-x: auto; }
figure { margin: 8px 0 0; }
figure svg.chart { width: 100%; height: auto; display: block; }
figcaption { color: var(--soft); font-size: 13px; margin-top: 4px; }
dl.manifest { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 13px; margin: 10px 0 0; }
dl.manifest dt { color: var(--soft); } dl.manifest dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, Menlo, Consolas, monospace; }
footer { color: var(--soft); font-size: 12.5px; text-align: center; }
.up { color: var(--profit); } .down { color: var(--warn); }
@media (max-width: 720px) { .cards { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4; margin: 12mm; }
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  section { border: none; padding: 0; margin: 0 0 14pt; break-inside: avoid-page; }
  #kpis, #sensitivity { break-inside: auto; }
}
"#;

/// Text made safe for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A chart's SVG made to fit its column, labelled for screen readers.
fn figure(c: &Chart) -> String {
    let opening = format!("<svg width=\"{}\" height=\"{}\"", SIZE.0, SIZE.1);
    let svg = c.svg.replacen(
        &opening,
        &format!(
            "<svg class=\"chart\" role=\"img\" aria-label=\"{}\"",
            esc(&c.title)
        ),
        1,
    );
    format!(
        "<figure id=\"chart-{}\">\n{svg}<figcaption>{}</figcaption>\n</figure>\n",
        c.name,
        esc(&c.title)
    )
}

fn chart<'a>(charts: &'a [Chart], name: &str) -> Option<&'a Chart> {
    charts.iter().find(|c| c.name == name)
}

fn table(head: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<div class=\"wide\"><table>\n<thead><tr>");
    for h in head {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for c in r {
            // Cells are built here from numbers and escaped names.
            let _ = write!(out, "<td>{c}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

fn band_row(name: &str, target: f64, plan: f64, b: &Bands, p: f64, se: f64) -> Vec<String> {
    vec![
        esc(name),
        human(target),
        human(plan),
        human(b.mean),
        human(b.p5),
        human(b.p50),
        human(b.p95),
        format!("{} <small>{}</small>", pct(p), se_pp(se)),
    ]
}

fn headline(s: &Summary) -> String {
    let h = &s.header;
    let mut out = String::from("<section id=\"headline\">\n<h2>How likely is the plan?</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">The share of {} simulated years that reach each annual target, with its Monte Carlo standard error.</p>",
        thousands(h.trials)
    );
    out.push_str("<div class=\"cards\">\n");
    let cards = [
        (
            "revenue",
            format!("revenue of {} or more", human(s.targets.revenue)),
            s.probability.revenue,
            s.standard_error.revenue,
        ),
        (
            "profit",
            format!("profit of {} or more", human(s.targets.profit)),
            s.probability.profit,
            s.standard_error.profit,
        ),
        (
            "both",
            "both in the same year".to_string(),
            s.probability.both,
            s.standard_error.both,
        ),
    ];
    for (class, what, p, se) in cards {
        let _ = writeln!(
            out,
            "<div class=\"card {class}\"><div class=\"what\">{}</div><div class=\"p\">{}</div><div class=\"se\">standard error {}</div></div>",
            esc(&what),
            pct(p),
            se_pp(se)
        );
    }
    out.push_str("</div>\n<h3>The plan</h3>\n");
    out.push_str(&table(
        &[
            "annual", "target", "plan", "mean", "P5", "median", "P95", "P(hit)",
        ],
        &[
            band_row(
                "revenue",
                s.targets.revenue,
                s.point.revenue,
                &s.annual.revenue,
                s.probability.revenue,
                s.standard_error.revenue,
            ),
            band_row(
                "profit",
                s.targets.profit,
                s.point.profit,
                &s.annual.profit,
                s.probability.profit,
                s.standard_error.profit,
            ),
        ],
    ));
    out.push_str("<p class=\"note\">plan: every input at its mean (the point plan); P5, median, P95: of the simulated years.</p>\n");
    out.push_str("<h3>Manifest</h3>\n<dl class=\"manifest\">\n");
    let mut item = |k: &str, v: String| {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
    };
    item("scenario", h.scenario.clone());
    item("file", h.file.clone());
    item("scenario_sha256", h.scenario_sha256.clone());
    item("kpisim", h.kpisim.to_string());
    item("trials", thousands(h.trials));
    item("seed", h.seed.to_string());
    item(
        "sampling",
        match h.sampling {
            "lhs" => "Latin hypercube, 10 replicates".into(),
            _ => "plain Monte Carlo".to_string(),
        },
    );
    if let Some(p) = h.precision {
        item(
            "precision",
            format!(
                "standard error of P({}) {} (asked {}){}",
                p.target,
                se_pp(p.standard_error),
                se_pp(p.asked),
                if p.reached { "" } else { ", not reached" }
            ),
        );
    }
    let _ = writeln!(
        out,
        "</dl>\n<p class=\"note\">Rerun with <code>kpisim report {} --trials {} --seed {}</code> for the same numbers.</p>\n</section>",
        esc(&h.file),
        h.trials,
        h.seed
    );
    out
}

fn chart_section(id: &str, title: &str, note: &str, charts: &[&Chart]) -> String {
    let mut out = format!(
        "<section id=\"{id}\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        esc(title),
        esc(note)
    );
    for c in charts {
        out.push_str(&figure(c));
    }
    out
}

/// The month by which half of the trials have reached a target.
fn half_by(s: &Summary, get: fn(&crate::aggregate::Reached) -> f64) -> String {
    s.half_reached_by(get)
        .unwrap_or_else(|| "not within the horizon".into())
}

fn sensitivity(r: &RiskReport, charts: &[Chart]) -> String {
    let sens = &r.sensitivity;
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
                human(i.p10),
                human(i.p90),
                human(i.profit.at_p10),
                human(i.profit.at_p90),
                human(i.profit.change()),
                pct(i.both.at_p10),
                pct(i.both.at_p90),
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

fn stress(r: &RiskReport) -> String {
    let Some(st) = &r.stress else {
        return String::new();
    };
    let mut out = String::from(
        "<section id=\"stress\">\n<h2>Stress tests</h2>\n<p class=\"note\">Each [[stress]] case of the scenario on the same draws as the baseline; \
         the change is the case minus the baseline, with its paired standard error.</p>\n",
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
                pct(c.probability.revenue),
                pct(c.probability.profit),
                pct(c.probability.both),
                change,
                human(c.annual.revenue.p5),
                human(c.annual.profit.p5),
                human(c.annual.profit.mean),
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
            "revenue P5",
            "profit P5",
            "mean profit",
        ],
        &rows,
    ));
    out.push_str("</section>\n");
    out
}

fn kpi_cell(k: &crate::aggregate::Kpi) -> String {
    format!(
        "<b>{}</b><br><small>{}–{}</small>",
        human(k.plan),
        human(k.p10),
        human(k.p90)
    )
}

fn kpis(r: &RiskReport) -> String {
    let mut out = String::from(
        "<section id=\"kpis\">\n<h2>Department KPI sheet</h2>\n<p class=\"note\">Month by month, each department's metric: the plan in bold, \
         and below it the P10–P90 range of the simulated months. Marketing owns spend and registrations, Product the payers, \
         Content operations ARPU and revenue (and each segment's payers), the company the profit.</p>\n",
    );
    let segments: Vec<String> = r
        .kpis
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
    let rows: Vec<Vec<String>> = r
        .kpis
        .monthly
        .iter()
        .map(|m: &KpiMonth| {
            let mut row = vec![
                esc(&m.label.clone().unwrap_or_else(|| m.month.to_string())),
                human(m.spend.plan),
                kpi_cell(&m.registrations),
                kpi_cell(&m.new_payers),
                kpi_cell(&m.old_payers),
                kpi_cell(&m.payers),
                kpi_cell(&m.arpu),
                kpi_cell(&m.revenue),
            ];
            if segments.len() > 1 {
                row.extend(m.segments.values().map(|s| kpi_cell(&s.payers)));
            }
            row.push(kpi_cell(&m.profit));
            row
        })
        .collect();
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    out.push_str(&table(&head, &rows));
    out.push_str("</section>\n");
    out
}

/// The page.
pub fn render(r: &RiskReport, charts: &[Chart]) -> String {
    let s = &r.summary;
    let h = &s.header;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"kpisim {}\">\n<title>{} risk report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        h.kpisim,
        esc(&h.scenario)
    );
    let horizon = match &s.start {
        Some(start) => format!("{} months from {start}", s.months),
        None => format!("{} months", s.months),
    };
    let _ = writeln!(
        out,
        "<header>\n<h1>{}: risk report</h1>\n<p>{horizon}; {} simulated years, seed {}; kpisim {}</p>\n</header>",
        esc(&h.scenario),
        thousands(h.trials),
        h.seed,
        h.kpisim
    );
    out.push_str(&headline(s));
    let fan = |id: &str, what: &str, target: f64| {
        let mut sec = chart_section(
            id,
            &format!("Monthly {what}"),
            &format!(
                "The bands hold the middle 90% and 50% of the simulated months; the dashed red line is the flat pace that sums to the \
                 {what} target of {} over the year.",
                human(target)
            ),
            &chart(charts, id).into_iter().collect::<Vec<_>>(),
        );
        sec.push_str("</section>\n");
        sec
    };
    out.push_str(&fan("fan-revenue", "revenue", s.targets.revenue));
    out.push_str(&fan("fan-profit", "profit", s.targets.profit));
    let mut reached = chart_section(
        "reached",
        "When the targets are reached",
        &format!(
            "Half of the simulated years reach the revenue target by {}, the profit target by {}, both by {}. \
             Profit summed so far can fall back below its target in a later month.",
            half_by(s, |r| r.revenue),
            half_by(s, |r| r.profit),
            half_by(s, |r| r.both)
        ),
        &chart(charts, "reached").into_iter().collect::<Vec<_>>(),
    );
    reached.push_str("</section>\n");
    out.push_str(&reached);
    let annual: Vec<&Chart> = ["annual-revenue", "annual-profit"]
        .iter()
        .filter_map(|n| chart(charts, n))
        .collect();
    let mut annual = chart_section(
        "annual",
        "The year's totals",
        "How the simulated years spread, their central 99% in 40 bins; the red line is the target.",
        &annual,
    );
    annual.push_str("</section>\n");
    out.push_str(&annual);
    out.push_str(&sensitivity(r, charts));
    out.push_str(&stress(r));
    out.push_str(&kpis(r));
    let _ = writeln!(
        out,
        "<footer>Made by kpisim {} from {} (sha256 {}). Monte Carlo: every input drawn from its distribution, {} years simulated.</footer>\n</main>\n</body>\n</html>",
        h.kpisim,
        esc(&h.file),
        &h.scenario_sha256[..12.min(h.scenario_sha256.len())],
        thousands(h.trials)
    );
    out
}
