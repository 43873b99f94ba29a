//! `kpisim run` (and `kpisim merge`, which prints the same): the summary of
//! one or more simulated scenarios. For people, each scenario's targets,
//! when half the trials reach them, the annual bands and the monthly
//! medians; for a batch, a line a scenario besides. The CSV is long, one
//! row a scope and metric, so that a board pack needs only this file. The
//! workbook has the monthly revenue band and the plan as its chart. On the
//! HTML page, the headline.

use std::fmt::Write;

use super::Batch;
use crate::aggregate::{Bands, Ends, PathToTarget, Summary, TargetPath, WINDOW};
use crate::export::csv::{BAND_COLUMNS, band, no_band};
use crate::export::html::{esc, table};
use crate::export::text::{columns, header, sampling_note};
use crate::export::xlsx::{self, Book, Cell as XCell, ChartSpec, ChartType, Content, Sheet, Style};
use crate::export::{ALL_TABULAR, AsOf, Cell, CsvSpec, Format, Report, Result};
use crate::model::Metric;
use crate::present::{arpu, human, pct, range, se_pp, share, share_se, thousands};

/// The summaries of a run of one scenario or of a batch.
pub type Runs = Batch<Summary>;

const COLUMNS: [&str; 19] = [
    "scenario",
    "file",
    "scope",
    "segment",
    "month",
    "label",
    "metric",
    "target",
    "probability",
    "standard_error",
    BAND_COLUMNS[0],
    BAND_COLUMNS[1],
    BAND_COLUMNS[2],
    BAND_COLUMNS[3],
    BAND_COLUMNS[4],
    BAND_COLUMNS[5],
    BAND_COLUMNS[6],
    BAND_COLUMNS[7],
    BAND_COLUMNS[8],
];

impl Report for Runs {
    const NAME: &'static str = "run";
    const FORMATS: &'static [Format] = ALL_TABULAR;
    const CSV: CsvSpec = CsvSpec {
        rows: "one row per scenario, scope and metric",
        columns: &COLUMNS,
        notes: "scope is `target` (probability and standard error of revenue, profit and both), `annual` \
                (bands of annual revenue and profit), `monthly` (each month's bands of registrations, \
                new_payers, old_payers, payers, revenue and profit), `path_to_revenue` and \
                `path_to_profit` (the mean of the years that end near that target, in `mean`: the \
                year's revenue and profit, then each month's spend, registrations, new_payers, \
                old_payers, payers, arpu, revenue and profit; `target` is the target) or `segment` \
                (each segment's monthly payers and revenue). Cells that do not apply are empty.",
    };

    fn table(&self) -> String {
        let mut parts: Vec<String> = self.0.iter().map(one_run).collect();
        if self.0.len() > 1 {
            parts.push(format!("batch summary\n\n{}", batch(&self.0)));
        }
        parts.join("\n")
    }

    fn csv_rows(&self) -> Vec<Vec<Cell>> {
        self.0.iter().flat_map(csv_rows).collect()
    }

    fn workbook(&self, as_of: AsOf) -> Result<Vec<u8>> {
        let mut book = Book::new(as_of)?;
        let many = self.0.len() > 1;
        if many {
            let items = self
                .0
                .iter()
                .map(crate::export::json::value)
                .collect::<Result<Vec<_>>>()?;
            let batch = Sheet {
                name: "Batch".into(),
                content: Content::Table(xlsx::rows(&items, &[])),
            };
            book.add(&batch, "")?;
        }
        for (i, s) in self.0.iter().enumerate() {
            let prefix = if many {
                format!("{} ", i + 1)
            } else {
                String::new()
            };
            xlsx::write(&mut book, &sheets(s)?, &prefix, Some(&revenue_band(s)))?;
        }
        book.finish()
    }
}

/// The monthly revenue band and the plan, the chart of a run's workbook.
pub(super) fn revenue_band(s: &Summary) -> ChartSpec {
    ChartSpec {
        sheet: "Monthly",
        categories: &["label", "month"],
        series: &["revenue P5", "revenue P50", "revenue P95", "revenue plan"],
        kind: ChartType::Line,
        title: format!("Monthly revenue of {}", s.header.scenario),
        x_title: "month",
        y_title: "revenue",
        y_format: "#,##0",
    }
}

/// A run's sheets: the summary, the assumptions, a Monthly sheet that
/// prints (each metric's P5, P50 and P95, and the plan's revenue, which
/// the chart draws), every band in Monthly bands, and a segment sheet only
/// when there are several.
pub(super) fn sheets(s: &Summary) -> Result<Vec<Sheet>> {
    let omit: &[&str] = if s.segments.len() > 1 {
        &[]
    } else {
        &["segments"]
    };
    let mut all = xlsx::sheets(&crate::export::json::value(s)?, omit);
    if let Some(at) = all.iter().position(|x| x.name == "Monthly")
        && let Content::Table(t) = &mut all[at].content
    {
        let plan = s
            .plan
            .iter()
            .map(|p| XCell::Number(p.revenue, Style::Amount))
            .collect();
        t.push_column("revenue plan", plan);
        let keep: Vec<usize> = t
            .headers
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                ["month", "label", "revenue plan"].contains(&h.as_str())
                    || [" P5", " P50", " P95"].iter().any(|e| h.ends_with(e))
            })
            .map(|(c, _)| c)
            .collect();
        let printable = xlsx::Table {
            headers: keep.iter().map(|&c| t.headers[c].clone()).collect(),
            rows: t
                .rows
                .iter()
                .map(|r| keep.iter().map(|&c| r[c].clone()).collect())
                .collect(),
            hidden: Vec::new(),
        };
        let bands = std::mem::replace(t, printable);
        all.insert(
            at + 1,
            Sheet {
                name: "Monthly bands".into(),
                content: Content::Table(bands),
            },
        );
    }
    if let Some(a) = &s.assumptions {
        all.insert(1, super::assumptions::sheet(a));
    }
    Ok(all)
}

/// The rows of one run summary, in scope order.
fn csv_rows(s: &Summary) -> Vec<Vec<Cell>> {
    let row = |scope: &str,
               segment: Option<&str>,
               month: Option<usize>,
               label: Option<&String>,
               metric: &str,
               target: [Cell; 3],
               bands: [Cell; 9]| {
        let mut r = vec![
            Cell::from(s.header.scenario.as_str()),
            Cell::from(s.header.file.as_str()),
            Cell::from(scope),
            Cell::text(segment),
            month.map_or(Cell::Empty, Cell::from),
            Cell::text(label.cloned()),
            Cell::from(metric),
        ];
        r.extend(target);
        r.extend(bands);
        r
    };
    let mut rows = Vec::new();
    let (p, se, t) = (&s.probability, &s.standard_error, &s.targets);
    for (metric, target, p, se) in [
        ("revenue", Some(t.revenue), p.revenue, se.revenue),
        ("profit", Some(t.profit), p.profit, se.profit),
        ("both", None, p.both, se.both),
    ] {
        let cells = [Cell::number(target), Cell::Number(p), Cell::Number(se)];
        rows.push(row("target", None, None, None, metric, cells, no_band()));
    }
    let none = || [Cell::Empty, Cell::Empty, Cell::Empty];
    for (metric, b) in [("revenue", &s.annual.revenue), ("profit", &s.annual.profit)] {
        rows.push(row("annual", None, None, None, metric, none(), band(b)));
    }
    for mb in &s.monthly {
        for (k, b) in Metric::ALL.iter().zip(mb.metrics()) {
            let (m, l) = (Some(mb.month), mb.label.as_ref());
            rows.push(row("monthly", None, m, l, k.key(), none(), band(b)));
        }
    }
    let paths = s.path_to_target.iter().flat_map(|p| {
        [
            ("path_to_revenue", s.targets.revenue, &p.revenue),
            ("path_to_profit", s.targets.profit, &p.profit),
        ]
    });
    for (scope, target, path) in paths {
        let Some(path) = path else { continue };
        let mean = |x: f64| {
            let mut b = no_band();
            b[0] = Cell::Number(x);
            b
        };
        let at = || [Cell::Number(target), Cell::Empty, Cell::Empty];
        for (metric, x) in [
            ("revenue", path.annual.revenue),
            ("profit", path.annual.profit),
        ] {
            rows.push(row(scope, None, None, None, metric, at(), mean(x)));
        }
        for pm in &path.monthly {
            for (metric, x) in [
                ("spend", pm.spend),
                ("registrations", pm.registrations),
                ("new_payers", pm.new_payers),
                ("old_payers", pm.old_payers),
                ("payers", pm.payers),
                ("arpu", pm.arpu),
                ("revenue", pm.revenue),
                ("profit", pm.profit),
            ] {
                let (m, l) = (Some(pm.month), pm.label.as_ref());
                rows.push(row(scope, None, m, l, metric, at(), mean(x)));
            }
        }
    }
    for seg in &s.segments {
        for sm in &seg.monthly {
            for (metric, b) in [("payers", &sm.payers), ("revenue", &sm.revenue)] {
                let (m, l) = (Some(sm.month), sm.label.as_ref());
                rows.push(row(
                    "segment",
                    Some(&seg.name),
                    m,
                    l,
                    metric,
                    none(),
                    band(b),
                ));
            }
        }
    }
    rows
}

/// One line per target: the month by which half of the trials have
/// reached it, summing from month 1; or that fewer than half ever do.
fn reached_lines(s: &Summary) -> String {
    let line = |what: &str, get: fn(&crate::aggregate::Reached) -> f64| match s.half_reached_by(get)
    {
        Some(month) => vec![format!("half the trials reach {what} by"), month],
        None => vec![
            format!("fewer than half the trials reach {what} within the horizon"),
            String::new(),
        ],
    };
    columns(&[
        line("the revenue target", |r| r.revenue),
        line("the profit target", |r| r.profit),
        line("both", |r| r.both),
    ])
}

/// The years a path is the mean of, in words: `the 17,521 years within
/// 0.5% of it`, `the 1,000 years nearest it (within 1.5%)`; and where they
/// end when that is not near the target, in CNY: `the 1,000 nearest, which
/// end 810.2M to 894.8M short of it`, after the warning `no simulated year
/// comes near it; `. The run's path lines and the KPI sheet say it alike.
pub(super) struct PathYears {
    /// `no simulated year comes near it; `, or nothing.
    pub lead: &'static str,
    /// The years, with where they end when that is said.
    pub years: String,
    /// Whether `years` ends in a clause (`, which end ...`), which a
    /// sentence closes with a comma.
    pub clause: bool,
}

pub(super) fn path_years(p: &TargetPath) -> PathYears {
    let n = thousands(p.trials);
    let around = |ends: String| PathYears {
        lead: "",
        years: format!("the {n} years nearest it, which end {ends}"),
        clause: true,
    };
    let one_side = |nearest: f64, farthest: f64, far: bool, side: &str| {
        let ends = format!("{} {side} it", range(human(nearest), human(farthest)));
        if far {
            PathYears {
                lead: "no simulated year comes near it; ",
                years: format!("the {n} nearest, which end {ends}"),
                clause: true,
            }
        } else {
            around(ends)
        }
    };
    match p.ends() {
        Ends::Near { window } if (window - WINDOW).abs() < 1e-12 => PathYears {
            lead: "",
            years: format!("the {n} years within {} of it", pct(WINDOW)),
            clause: false,
        },
        Ends::Near { window } => PathYears {
            lead: "",
            years: format!("the {n} years nearest it (within {})", pct(window)),
            clause: false,
        },
        Ends::Short {
            nearest,
            farthest,
            far,
        } => one_side(nearest, farthest, far, "short of"),
        Ends::Over {
            nearest,
            farthest,
            far,
        } => one_side(nearest, farthest, far, "above"),
        Ends::Around { below, above } => around(format!(
            "from {} below to {} above it",
            human(below),
            human(above)
        )),
    }
}

/// One line per target: the path that reaches it, in a sentence.
fn path_lines(p: &PathToTarget) -> String {
    let mut out = String::new();
    for (what, path) in [("revenue", &p.revenue), ("profit", &p.profit)] {
        let Some(path) = path else { continue };
        let Some(last) = path.monthly.last() else {
            continue;
        };
        let month = last
            .label
            .clone()
            .unwrap_or_else(|| format!("month {}", last.month));
        let y = path_years(path);
        let _ = writeln!(
            out,
            "path to {what} {}: {}on average {}{} reach {} payers, ARPU {} and {} revenue in {month}, \
             {} revenue and {} profit in the year",
            human(path.target),
            y.lead,
            y.years,
            if y.clause { "," } else { "" },
            human(last.payers),
            arpu(last.arpu),
            human(last.revenue),
            human(path.annual.revenue),
            human(path.annual.profit)
        );
    }
    if !out.is_empty() {
        out.push_str(
            "(a path's months add up to its year; month by month in --format json or csv, and in kpisim kpis)\n",
        );
    }
    out
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
    let n = s.header.trials;
    out.push_str(&columns(&[
        header(&["target", "annual", "P(hit)", "std. error"]),
        vec![
            "revenue".into(),
            format!(">= {}", human(s.targets.revenue)),
            share(p.revenue, n),
            share_se(p.revenue, se.revenue),
        ],
        vec![
            "profit".into(),
            format!(">= {}", human(s.targets.profit)),
            share(p.profit, n),
            share_se(p.profit, se.profit),
        ],
        vec![
            "both".into(),
            String::new(),
            share(p.both, n),
            share_se(p.both, se.both),
        ],
    ]));
    out.push('\n');
    out.push_str(&reached_lines(s));
    out.push('\n');
    // A run of fewer than 1,000 years has no path, and no line for it.
    let paths = s
        .path_to_target
        .as_ref()
        .map(path_lines)
        .unwrap_or_default();
    if !paths.is_empty() {
        out.push_str(&paths);
        out.push('\n');
    }
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
            share(s.probability.revenue, s.header.trials),
            share(s.probability.profit, s.header.trials),
            share(s.probability.both, s.header.trials),
            human(s.annual.revenue.p50),
            human(s.annual.profit.p50),
        ]);
    }
    columns(&rows)
}

fn band_row(
    name: &str,
    target: f64,
    plan: f64,
    b: &Bands,
    (p, se, n): (f64, f64, u64),
) -> Vec<String> {
    vec![
        esc(name),
        human(target),
        human(plan),
        human(b.mean),
        human(b.p5),
        human(b.p50),
        human(b.p95),
        format!("{} <small>{}</small>", share(p, n), share_se(p, se)),
    ]
}

/// The headline's table: each annual target against the point plan and the
/// simulated years' bands. `kpisim serve` shows it after each run.
pub fn html_plan(s: &Summary) -> String {
    let h = &s.header;
    let mut out = String::from("<h3>The plan</h3>\n");
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
                (s.probability.revenue, s.standard_error.revenue, h.trials),
            ),
            band_row(
                "profit",
                s.targets.profit,
                s.point.profit,
                &s.annual.profit,
                (s.probability.profit, s.standard_error.profit, h.trials),
            ),
        ],
    ));
    out.push_str("<p class=\"note\">plan: every input at its mean (the point plan); P5, median, P95: of the simulated years.</p>\n");
    out
}

/// The page's headline: the probabilities as cards, the plan against the
/// simulated bands, and the manifest that traces the page to its run.
pub fn html_headline(s: &Summary) -> String {
    let h = &s.header;
    let mut out = String::from("<section id=\"headline\">\n<h2>How likely is the plan?</h2>\n");
    let _ = writeln!(
        out,
        "<p class=\"note\">The share of {} simulated years that reach each annual target, with its Monte Carlo standard error. \
         These probabilities hold only under the assumptions listed below, in the assumptions section.</p>",
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
            "<div class=\"card {class}\"><div class=\"what\">{}</div><div class=\"p\">{}</div><div class=\"se\">{}</div></div>",
            esc(&what),
            share(p, h.trials),
            if p <= 0.0 || p >= 1.0 {
                "no standard error: a count of trials".to_string()
            } else {
                format!("standard error {}", se_pp(se))
            }
        );
    }
    out.push_str("</div>\n");
    out.push_str(&html_plan(s));
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
