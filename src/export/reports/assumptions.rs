//! The assumptions behind a result, as a workbook sheet and a section of
//! the HTML page: every uncertain input as written with the P10, P50 and
//! P90 of its drawn level, the schedules and costs, the segments, the
//! correlations, the shocks and each stress case's changes, and the
//! sentence that the probabilities hold under these assumptions only.

use std::fmt::Write;

use crate::aggregate::Assumptions;
use crate::export::html::{esc, table};
use crate::export::text::{level, level_style};
use crate::export::xlsx::{Cell, Content, Sheet, Style, Table};
use crate::present::{human, num, pct};

/// A profile in a few words: `1 throughout`, or its first and last month
/// and its range.
fn profile(p: &[f64]) -> String {
    let (lo, hi) = p
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    if lo == hi {
        format!("{} throughout", num(lo))
    } else {
        let nums: Vec<String> = p.iter().map(|x| num(*x)).collect();
        nums.join(", ")
    }
}

fn table_of(headers: &[&str], rows: Vec<Vec<Cell>>) -> Table {
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
        hidden: Vec::new(),
    }
}

/// The `Assumptions` sheet.
pub fn sheet(a: &Assumptions) -> Sheet {
    let text = |s: &str| Cell::Text(s.to_string());
    let inputs = table_of(
        &[
            "path",
            "distribution",
            "parameters",
            "P10",
            "P50",
            "P90",
            "profile",
            "noise cv",
            "drawn once a",
        ],
        a.inputs
            .iter()
            .map(|i| {
                vec![
                    text(&i.path),
                    text(&i.distribution),
                    text(&i.parameters),
                    Cell::Number(i.p10, level_style(i.kind)),
                    Cell::Number(i.p50, level_style(i.kind)),
                    Cell::Number(i.p90, level_style(i.kind)),
                    text(&profile(&i.profile)),
                    Cell::Number(i.noise_cv, Style::Percent),
                    text(i.vary),
                ]
            })
            .collect(),
    );
    let mut tables = vec![(
        "Uncertain inputs (P10, P50, P90 of the drawn level)".to_string(),
        inputs,
    )];
    let mut costs: Vec<Vec<Cell>> = a
        .schedules
        .iter()
        .map(|s| vec![text(s.path), Cell::Number(s.total, Style::Amount)])
        .collect();
    if let Some(r) = a.reference_budget {
        costs.push(vec![
            text("acquisition.reference_budget"),
            Cell::Number(r, Style::Amount),
        ]);
    }
    if let Some(t) = a.per_payer_text() {
        costs.push(vec![text("costs.per_payer"), text(&t)]);
    }
    costs.push(vec![
        text("costs.creator_share"),
        Cell::Number(a.creator_share, Style::Percent),
    ]);
    costs.push(vec![
        text("costs.operations_rate"),
        Cell::Number(a.operations_rate, Style::Percent),
    ]);
    tables.push((
        "Schedules (total over the horizon, CNY) and costs".into(),
        table_of(&["what", "value"], costs),
    ));
    tables.push((
        "Segments".into(),
        table_of(
            &["segment", "start payers", "share of new payers"],
            a.segments
                .iter()
                .map(|s| {
                    vec![
                        text(&s.name),
                        Cell::Number(s.start_payers, Style::Amount),
                        Cell::Number(s.share_of_new, Style::Percent),
                    ]
                })
                .collect(),
        ),
    ));
    if !a.correlations.is_empty() {
        tables.push((
            "Rank correlations".into(),
            table_of(
                &["between", "and", "rank"],
                a.correlations
                    .iter()
                    .map(|c| {
                        vec![
                            text(&c.between[0]),
                            text(&c.between[1]),
                            Cell::Number(c.rank, Style::Ratio),
                        ]
                    })
                    .collect(),
            ),
        ));
    }
    if !a.shocks.is_empty() {
        tables.push((
            "Shocks".into(),
            table_of(
                &["month", "segment", "share of old payers lost"],
                a.shocks
                    .iter()
                    .map(|k| {
                        vec![
                            Cell::Number(k.month as f64, Style::Whole),
                            text(&k.segment),
                            Cell::Number(k.loss, Style::Percent),
                        ]
                    })
                    .collect(),
            ),
        ));
    }
    if !a.stress.is_empty() {
        tables.push((
            "Stress cases".into(),
            table_of(
                &["case", "changes"],
                a.stress
                    .iter()
                    .map(|c| vec![text(&c.name), text(&c.changes.join("; "))])
                    .collect(),
            ),
        ));
    }
    Sheet {
        name: "Assumptions".into(),
        content: Content::Stack {
            note: a.note.to_string(),
            tables,
        },
    }
}

/// The page's section `assumptions`.
pub fn html(a: &Assumptions) -> String {
    let mut out = String::from("<section id=\"assumptions\">\n<h2>The assumptions</h2>\n");
    let _ = writeln!(out, "<p class=\"note\"><b>{}</b></p>", esc(a.note));
    out.push_str("<h3>Uncertain inputs</h3>\n");
    let rows: Vec<Vec<String>> = a
        .inputs
        .iter()
        .map(|i| {
            vec![
                esc(&i.path),
                esc(&i.distribution),
                esc(&i.parameters),
                level(i.kind, i.p10),
                level(i.kind, i.p50),
                level(i.kind, i.p90),
                esc(&profile(&i.profile)),
                pct(i.noise_cv),
                esc(i.vary),
            ]
        })
        .collect();
    out.push_str(&table(
        &[
            "input",
            "distribution",
            "parameters",
            "P10",
            "P50",
            "P90",
            "profile",
            "noise",
            "drawn once a",
        ],
        &rows,
    ));
    out.push_str("<p class=\"note\">P10, P50, P90: of the level drawn for a year (or a month), before the profile and the noise.</p>\n");
    out.push_str("<h3>Schedules and costs</h3>\n");
    let mut rows: Vec<Vec<String>> = a
        .schedules
        .iter()
        .map(|s| vec![esc(s.path), format!("{} over the horizon", human(s.total))])
        .collect();
    if let Some(r) = a.reference_budget {
        rows.push(vec![
            "acquisition.reference_budget".into(),
            format!(
                "{} a month (a registration costs the cost per registration at this budget)",
                human(r)
            ),
        ]);
    }
    if let Some(t) = a.per_payer_text() {
        rows.push(vec!["costs.per_payer".into(), esc(&t)]);
    }
    rows.push(vec!["costs.creator_share".into(), pct(a.creator_share)]);
    rows.push(vec!["costs.operations_rate".into(), pct(a.operations_rate)]);
    for s in &a.segments {
        rows.push(vec![
            format!("segment {}", esc(&s.name)),
            format!(
                "{} payers at the start, {} of new payers",
                human(s.start_payers),
                pct(s.share_of_new)
            ),
        ]);
    }
    for c in &a.correlations {
        rows.push(vec![
            "rank correlation".into(),
            format!(
                "{} between {} and {}",
                num(c.rank),
                esc(&c.between[0]),
                esc(&c.between[1])
            ),
        ]);
    }
    for k in &a.shocks {
        rows.push(vec![
            format!("shock in month {}", k.month),
            format!(
                "{} of segment {}'s old payers lost",
                pct(k.loss),
                esc(&k.segment)
            ),
        ]);
    }
    out.push_str(&table(&["what", "assumed"], &rows));
    if !a.stress.is_empty() {
        out.push_str("<h3>Stress cases</h3>\n");
        let rows: Vec<Vec<String>> = a
            .stress
            .iter()
            .map(|c| vec![esc(&c.name), esc(&c.changes.join("; "))])
            .collect();
        out.push_str(&table(&["case", "changes"], &rows));
    }
    out.push_str("</section>\n");
    out
}
