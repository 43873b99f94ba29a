//! `kpisim explain`: what the years that miss share. For people, the box
//! in sentences first, then each input's shift and the peeling trajectory;
//! the CSV a row an input (its medians, its shift, the box's limits on
//! it); on the HTML page, the section `explain` with the box drawn over
//! the simulated years of the two inputs it restricts most.

use std::fmt::Write;

use crate::aggregate::{Bound, ExplainReport, Shift, Side};
use crate::export::html::charts::Chart;
use crate::export::html::{chart, chart_section, esc, table};
use crate::export::text::level;
use crate::export::text::{capitalised, columns, header, sampling_note};
use crate::export::{ALL_TABULAR, Cell, CsvSpec, Format, Report};
use crate::present::{pct, thousands};

impl Report for ExplainReport {
    const NAME: &'static str = "explain";
    const FORMATS: &'static [Format] = ALL_TABULAR;
    const CSV: CsvSpec = CsvSpec {
        rows: "one row per uncertain input that is not fixed, by the size of its shift",
        columns: &[
            "path",
            "median_all",
            "median_miss",
            "shift_sd",
            "box_min",
            "box_max",
        ],
        notes: "box_min and box_max are the box's limits on the input, empty where it has none; \
                median_miss and shift_sd are empty when no year misses.",
    };

    fn table(&self) -> String {
        let r = self;
        let mut out = format!(
            "{}: explain the years that miss {}, {} trials, seed {}{}\n\n",
            r.header.scenario,
            r.target_words(),
            thousands(r.header.trials),
            r.header.seed,
            sampling_note(&r.header)
        );
        out.push_str(&sentences(r));
        out.push('\n');
        if !r.has_inputs() || r.miss_probability == 0.0 {
            return out;
        }
        out.push_str(
            "\nshifts: each input's median over all years and over the years that miss, \
             the difference in the input's standard deviations\n",
        );
        let mut rows = vec![header(&["input", "median", "in misses", "shift"])];
        rows.extend(r.shifts.iter().map(|s| shift_row(s, s.path.clone())));
        out.push_str(&columns(&rows));
        out.push_str("\npeeling: each step cuts 5% of the box at the end of the input that leaves the most misses\n");
        let mut rows = vec![header(&[
            "step", "peeled", "mass", "density", "coverage", "",
        ])];
        for s in &r.trajectory {
            rows.push(vec![
                s.step.to_string(),
                s.peeled.as_ref().map_or("every year".into(), |p| {
                    let op = if p.side == Side::Low { ">=" } else { "<=" };
                    format!("{} {op} {}", p.path, level(r.kind(&p.path), p.threshold))
                }),
                pct(s.mass),
                pct(s.density),
                s.coverage.map_or("-".into(), pct),
                if s.step == r.prim_box.step {
                    "<- the box".into()
                } else {
                    String::new()
                },
            ]);
        }
        out.push_str(&columns(&rows));
        out.push_str(
            "\nmass: share of all years in the box; density: share of the box's years that miss; \
             coverage: share of all missing years in the box. The box describes the simulated years \
             under the scenario's assumptions, not what causes a miss.\n",
        );
        out
    }

    fn csv_rows(&self) -> Vec<Vec<Cell>> {
        let opt = |v: Option<f64>| v.map_or(Cell::Empty, Cell::Number);
        self.shifts
            .iter()
            .map(|s| {
                let bound = self.prim_box.bounds.iter().find(|b| b.path == s.path);
                vec![
                    Cell::from(s.path.as_str()),
                    Cell::Number(s.median_all),
                    opt(s.median_miss),
                    opt(s.shift_sd),
                    opt(bound.and_then(|b| b.min)),
                    opt(bound.and_then(|b| b.max)),
                ]
            })
            .collect()
    }
}

/// The board pack's sheet: the CSV's rows, a row an input, as JSON objects
/// keyed by the CSV's columns.
pub fn sheet(r: &ExplainReport) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = r
        .csv_rows()
        .into_iter()
        .map(|cells| {
            let row: serde_json::Map<String, serde_json::Value> = ExplainReport::CSV
                .columns
                .iter()
                .zip(cells)
                .map(|(c, cell)| {
                    let v = match cell {
                        Cell::Text(t) => t.into(),
                        Cell::Number(x) => x.into(),
                        Cell::Whole(n) => n.into(),
                        Cell::Flag(b) => b.into(),
                        Cell::Empty => serde_json::Value::Null,
                    };
                    (c.to_string(), v)
                })
                .collect();
            row.into()
        })
        .collect();
    serde_json::json!({ "explain": rows })
}

/// An input's shift for people, `name` its path as the medium shows it.
fn shift_row(s: &Shift, name: String) -> Vec<String> {
    vec![
        name,
        level(s.kind, s.median_all),
        s.median_miss.map_or("-".into(), |m| level(s.kind, m)),
        s.shift_sd.map_or("-".into(), |v| format!("{v:+.2} sd")),
    ]
}

/// One limit in words: `segments.big_r.retention below 0.512`.
fn clause(r: &ExplainReport, b: &Bound) -> String {
    let v = |x: f64| level(r.kind(&b.path), x);
    match (b.min, b.max) {
        (Some(lo), Some(hi)) => format!("{} between {} and {}", b.path, v(lo), v(hi)),
        (Some(lo), None) => format!("{} at least {}", b.path, v(lo)),
        (None, Some(hi)) => format!("{} at most {}", b.path, v(hi)),
        (None, None) => b.path.clone(),
    }
}

/// The box in sentences, as the table and the page open with.
pub fn sentences(r: &ExplainReport) -> String {
    let what = r.target_words();
    if !r.has_inputs() {
        return "Nothing to explain: the scenario has no uncertain input that varies.".into();
    }
    let overall = format!(
        "{} of the simulated years miss {what}.",
        pct(r.miss_probability)
    );
    let b = &r.prim_box;
    let Some(coverage) = b.coverage else {
        return format!("No simulated year misses {what}: nothing to explain.");
    };
    if b.bounds.is_empty() {
        return format!("{overall} No range of the inputs holds a larger share of misses.");
    }
    let clauses: Vec<String> = b.bounds.iter().map(|x| clause(r, x)).collect();
    let these = if clauses.len() == 1 {
        "it"
    } else {
        "all of these"
    };
    let mut out = format!(
        "{overall} {} of the years that miss have {}; {} of the years with {these} miss ({} of all years).",
        capitalised(&pct(coverage)),
        join(&clauses),
        pct(b.density),
        pct(b.mass)
    );
    if b.density < r.density_asked {
        let _ = write!(
            out,
            " No box reached the density asked ({}): this is the densest found.",
            pct(r.density_asked)
        );
    }
    out
}

/// `a`, `a and b`, `a, b and c`.
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The page's section `explain`, with its chart.
pub fn html(r: &ExplainReport, charts: &[Chart]) -> String {
    let mut out = chart_section(
        "explain",
        "When the plan fails",
        &format!(
            "{} The box (PRIM) describes the simulated years under these assumptions, not what causes a miss.",
            sentences(r)
        ),
        &chart(charts, "explain").into_iter().collect::<Vec<_>>(),
    );
    if r.has_inputs() && r.miss_probability > 0.0 {
        let rows: Vec<Vec<String>> = r
            .shifts
            .iter()
            .map(|s| shift_row(s, esc(&s.path)))
            .collect();
        out.push_str(&table(
            &["input", "median", "median in the years that miss", "shift"],
            &rows,
        ));
    }
    out.push_str("</section>\n");
    out
}
