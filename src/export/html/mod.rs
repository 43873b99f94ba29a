//! The HTML page (`kpisim report`): one self-contained page, its charts
//! inline SVG ([`charts`]), its style inline CSS, no script and nothing
//! fetched, so that it opens from a mail attachment, reads without
//! JavaScript and prints. The pieces every section is made of live here;
//! each report's section lives with the report (`reports/`), and the risk
//! report composes them into the page. The same run gives the same bytes:
//! the page holds no date.

pub mod charts;

use std::fmt::Write;

use charts::{Chart, SIZE};

/// The page's style sheet.
pub const STYLE: &str = r#"
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
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 5px; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; overflow-wrap: anywhere; }
th:first-child, td:first-child { text-align: left; }
thead th { color: var(--soft); font-weight: 600; border-bottom: 2px solid var(--line); }
td small { color: var(--soft); }
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
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; padding: 0; }
  section { border: none; padding: 0; margin: 0 0 14pt; break-inside: avoid-page; }
  #kpis, #sensitivity, #assumptions { break-inside: auto; }
  table { font-size: 7.5pt; }
  th, td { padding: 2px 3px; }
  tr { break-inside: avoid; }
}
"#;

/// Text made safe for HTML.
pub fn esc(s: &str) -> String {
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
pub fn figure(c: &Chart) -> String {
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

/// The chart named `name`, if it was drawn.
pub fn chart<'a>(charts: &'a [Chart], name: &str) -> Option<&'a Chart> {
    charts.iter().find(|c| c.name == name)
}

/// A table with a header row; the cells are HTML already (escaped by
/// whoever made them).
pub fn table(head: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
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
    out.push_str("</tbody></table>\n");
    out
}

/// A section with a title, a note and charts, left open for more.
pub fn chart_section(id: &str, title: &str, note: &str, charts: &[&Chart]) -> String {
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
