//! `kpisim report`: the HTML risk report for management. The page
//! composes the reports' own sections (the run's headline, the
//! sensitivity, the stress cases, the KPI sheet) with the charts
//! ([`crate::export::html::charts`]): the sections carry the ids
//! docs/output.md lists: `headline`, `fan-revenue`, `fan-profit`,
//! `reached`, `annual`, `sensitivity`, `explain`, `stress` (with stress
//! cases) and `kpis`.

use std::fmt::Write;

use crate::aggregate::{RiskReport, Summary};
use crate::export::html::charts::{self, Chart};
use crate::export::html::{STYLE, chart, chart_section, esc};
use crate::export::text::capitalised;
use crate::export::xlsx::{self, Book, Sheet};
use crate::export::{AsOf, Format, Report, Result, json};
use crate::present::{human, thousands};

impl Report for RiskReport {
    const NAME: &'static str = "report";
    const FORMATS: &'static [Format] = &[Format::Html, Format::Xlsx];

    fn html(&self, as_of: AsOf) -> Result<String> {
        Ok(page(self, &charts::all(self)?, as_of))
    }

    /// The board pack: one workbook whose sheets follow the page's
    /// sections.
    fn workbook(&self, as_of: AsOf) -> Result<Vec<u8>> {
        let mut run = super::run::sheets(&self.summary)?;
        let mut take = |name: &str| {
            run.iter()
                .position(|s| s.name == name)
                .map(|i| run.remove(i))
        };
        let mut pack: Vec<Sheet> = ["Summary", "Assumptions", "Monthly", "Reached by month"]
            .into_iter()
            .filter_map(&mut take)
            .collect();
        let renamed = |value: serde_json::Value, from: &str, to: &str| {
            xlsx::sheets(&value, &[])
                .into_iter()
                .find(|s| s.name == from)
                .map(|s| Sheet {
                    name: to.to_string(),
                    ..s
                })
        };
        pack.extend(renamed(
            json::value(&self.sensitivity)?,
            "Inputs",
            "Sensitivity",
        ));
        pack.extend(renamed(
            super::explain::sheet(&self.explain),
            "Explain",
            "Explain",
        ));
        if let Some(st) = &self.stress {
            pack.extend(renamed(json::value(st)?, "Cases", "Stress"));
        }
        pack.extend(renamed(json::value(&self.kpis)?, "Monthly", "KPIs"));
        let mut book = Book::new(as_of)?;
        xlsx::write(
            &mut book,
            &pack,
            "",
            Some(&super::run::revenue_band(&self.summary)),
        )?;
        book.finish()
    }
}

/// When half of the simulated years have reached a target, in a clause:
/// `reach the revenue target by 2016-12`, or that fewer than half do.
fn half_by(s: &Summary, what: &str, get: fn(&crate::aggregate::Reached) -> f64) -> String {
    match s.half_reached_by(get) {
        Some(month) => format!("half of the simulated years reach {what} by {month}"),
        None => format!("fewer than half of the simulated years reach {what} within the horizon"),
    }
}

/// The section of a fan chart `c` of `s` (`fan-revenue` or `fan-profit`),
/// with what its bands and its line mean.
pub fn fan_section(s: &Summary, c: &Chart) -> String {
    let (what, target) = match c.name {
        "fan-profit" => ("profit", s.targets.profit),
        _ => ("revenue", s.targets.revenue),
    };
    let mut sec = chart_section(
        c.name,
        &format!("Monthly {what}"),
        &format!(
            "The bands hold the middle 90% and 50% of the simulated months; the dashed red line is the flat pace that sums to the \
             {what} target of {} over the year.",
            human(target)
        ),
        &[c],
    );
    sec.push_str("</section>\n");
    sec
}

/// The page of `r` with its `charts`.
fn page(r: &RiskReport, charts: &[Chart], as_of: AsOf) -> String {
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
        "<header>\n<h1>{}: risk report</h1>\n<p>As of {as_of}. {horizon}; {} simulated years, seed {}; kpisim {}</p>\n</header>",
        esc(&h.scenario),
        thousands(h.trials),
        h.seed,
        h.kpisim
    );
    out.push_str(&super::run::html_headline(s));
    for c in charts.iter().filter(|c| c.name.starts_with("fan-")) {
        out.push_str(&fan_section(s, c));
    }
    let mut reached = chart_section(
        "reached",
        "When the targets are reached",
        &format!(
            "{}; {}; {}. Profit summed so far can fall back below its target in a later month.",
            capitalised(&half_by(s, "the revenue target", |r| r.revenue)),
            half_by(s, "the profit target", |r| r.profit),
            half_by(s, "both", |r| r.both)
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
    if let Some(a) = &s.assumptions {
        out.push_str(&super::assumptions::html(a));
    }
    out.push_str(&super::sensitivity::html(&r.sensitivity, charts));
    out.push_str(&super::explain::html(&r.explain, charts));
    if let Some(st) = &r.stress {
        out.push_str(&super::stress::html(st));
    }
    out.push_str(&super::kpis::html(&r.kpis));
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
