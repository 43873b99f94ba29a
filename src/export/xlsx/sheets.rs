//! A report's JSON laid out as sheets: the scalars and per-target figures
//! on a summary sheet, each array of rows (months, cases, steps, inputs) on
//! a sheet of its own with one row an element, and each object of bands
//! (the annual bands) as a small table. Built from the same serde value the
//! JSON is printed from, so that every number of the JSON has its cell.

use serde_json::{Map, Value};

/// How a number cell is shown. The cell holds the raw value either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// As Excel shows any number (lever values, input levels).
    General,
    /// A whole number without separators (month, seed).
    Whole,
    /// Money and counts: thousands separators, no decimals.
    Amount,
    /// ARPU: thousands separators and two decimals.
    Arpu,
    /// A probability or share: percent, one decimal.
    Percent,
    /// A standard error of a probability, or a rate's level: percent, two
    /// decimals.
    PercentFine,
    /// A correlation, or a cost per registration: three decimals.
    Ratio,
    /// A change of a probability in percentage points (the cell holds
    /// points, 100 times the JSON's fraction): `+2.1 pp`.
    Points,
    /// The standard error of such a change, in points: `0.05 pp`.
    PointsFine,
    /// A fraction kept for machines beside its points (a hidden column).
    Fraction,
}

/// Keys under which a number is a probability, a share or a change of one,
/// or a fraction of a target (a path's window).
const PERCENT: [&str; 12] = [
    "probability",
    "change",
    "reached_by_month",
    "revenue_share",
    "variance_share",
    "confidence",
    "monthly_confidence",
    "level",
    "both",
    "coverage",
    "share",
    "window",
];

/// Keys under which a number is money or a count (of people, of trials).
const AMOUNT: [&str; 12] = [
    "revenue",
    "profit",
    "spend",
    "targets",
    "point",
    "registrations",
    "new_payers",
    "old_payers",
    "payers",
    "marketing",
    "budget",
    "baseline",
];

/// The style of the number at `path`, the keys from the report's root
/// (array positions left out): what a reader expects of that field.
pub fn style_of(path: &[String]) -> Style {
    let has = |k: &str| path.iter().any(|p| p == k);
    let last = path.last().map_or("", String::as_str);
    if matches!(last, "month" | "months" | "seed") {
        Style::Whole
    } else if last == "trials" {
        Style::Amount
    } else if has("standard_error") || has("change_standard_error") {
        Style::PercentFine
    } else if PERCENT.iter().any(|k| has(k)) {
        Style::Percent
    } else if has("arpu") {
        Style::Arpu
    } else if last.starts_with("spearman") {
        Style::Ratio
    } else if AMOUNT.iter().any(|k| has(k)) {
        Style::Amount
    } else {
        Style::General
    }
}

/// The largest whole number a spreadsheet's number cell holds exactly.
const MAX_EXACT: u64 = 1 << 53;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number and how it is shown.
    Number(f64, Style),
    /// A month (`YYYY-MM` in the JSON), as a date cell a spreadsheet sorts
    /// and charts: year and month.
    Month(i32, u32),
    /// Nothing (a JSON null: no value, e.g. a level never crossed).
    Empty,
}

impl Cell {
    fn of(v: &Value, path: &[String]) -> Cell {
        match v {
            // A spreadsheet number is a double: a whole number beyond 2^53
            // (a seed such as 9007199254740993) would read back as another
            // one, so it is kept as its exact digits.
            Value::Number(n)
                if n.as_u64().is_some_and(|u| u > MAX_EXACT)
                    || n.as_i64().is_some_and(|i| i.unsigned_abs() > MAX_EXACT) =>
            {
                Cell::Text(n.to_string())
            }
            Value::Number(n) => n
                .as_f64()
                .map_or(Cell::Empty, |x| Cell::Number(x, style_of(path))),
            Value::String(s) if path.last().is_some_and(|k| k == "sampling") => {
                Cell::Text(sampling(s).to_string())
            }
            Value::String(s) if path.last().is_some_and(|k| k == "label" || k == "start") => {
                month_of(s).map_or_else(|| Cell::Text(s.clone()), |(y, m)| Cell::Month(y, m))
            }
            Value::String(s) => Cell::Text(s.clone()),
            Value::Bool(b) => Cell::Text(if *b { "yes" } else { "no" }.into()),
            Value::Null => Cell::Empty,
            Value::Array(_) | Value::Object(_) => Cell::Empty,
        }
    }
}

/// How a run's draws are named for a reader.
fn sampling(key: &str) -> &str {
    match key {
        "mc" => "plain Monte Carlo",
        "lhs" => "Latin hypercube, 10 replicates",
        other => other,
    }
}

/// The year and month of a `YYYY-MM` label.
fn month_of(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.split_once('-')?;
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    (s.len() == 7 && (1..=12).contains(&m)).then_some((y, m))
}

/// A table: a header row, then rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows, each as long as the headers.
    pub rows: Vec<Vec<Cell>>,
    /// Columns kept for machines and hidden from a reader (a change's
    /// fraction beside its points).
    pub hidden: Vec<usize>,
}

impl Table {
    /// Adds a column.
    pub fn push_column(&mut self, header: &str, cells: Vec<Cell>) {
        self.headers.push(header.to_string());
        for (row, c) in self.rows.iter_mut().zip(cells) {
            row.push(c);
        }
    }
}

/// What a sheet holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// The results first, the manifest below them.
    Summary {
        /// The sheet's title: the scenario.
        title: String,
        /// Rows revenue, profit, both; a column per per-target object.
        targets: Option<Table>,
        /// One row each: a result, as a reader names it, and its value.
        results: Vec<(String, Cell)>,
        /// How the result was made (file, hash, version, trials, seed,
        /// sampling), below the results.
        manifest: Vec<(String, Cell)>,
    },
    /// A table.
    Table(Table),
    /// A sentence, then titled tables one below the other (the
    /// assumptions).
    Stack {
        /// The sentence above them.
        note: String,
        /// Each table with its title.
        tables: Vec<(String, Table)>,
    },
}

/// A sheet to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Its name (made valid and unique when written).
    pub name: String,
    /// What it holds.
    pub content: Content,
}

/// `reached_by_month` as a reader names it: `Reached by month`.
pub fn title(key: &str) -> String {
    crate::export::text::capitalised(&key.replace('_', " "))
}

/// What marks a name from the user's file (a segment's) in a path of
/// keys: a character no key or name holds.
const NAME: char = '\u{1}';

/// A name from the user's file as a step of a path: shown as written
/// (`big_r`, not `big r`), and never taken for a key by [`style_of`].
fn as_written(name: &str) -> String {
    format!("{NAME}{name}")
}

/// A key as a reader names it: `point` is the plan, `scenario_sha256` the
/// scenario file's SHA-256, `p50` is P50; others with spaces for
/// underscores; a name as written.
fn plain(k: &str) -> String {
    if let Some(name) = k.strip_prefix(NAME) {
        return name.to_string();
    }
    let is_percentile =
        k.len() > 1 && k.starts_with('p') && k[1..].chars().all(|c| c.is_ascii_digit());
    match k {
        _ if is_percentile => k.to_uppercase(),
        "point" => "plan (every input at its mean)".into(),
        "targets" => "target".into(),
        "file" => "scenario file".into(),
        "scenario_sha256" => "scenario file SHA-256".into(),
        "kpisim" => "made by kpisim".into(),
        "trials" => "simulated years".into(),
        "start" => "first month".into(),
        "sd" => "SD".into(),
        "arpu" => "ARPU".into(),
        _ => k.replace('_', " "),
    }
}

/// A column header from a path within a row: `revenue p50` is `revenue
/// P50`, `change_standard_error both` is `change standard error both`.
fn column_title(path: &[String]) -> String {
    path.iter().map(|k| plain(k)).collect::<Vec<_>>().join(" ")
}

/// A label for a summary row: `Simulated years`, `Plan (every input at
/// its mean) revenue`.
fn row_label(path: &[String]) -> String {
    crate::export::text::capitalised(&column_title(path))
}

/// Keys of the manifest: how a result was made, shown below the results.
const MANIFEST: [&str; 7] = [
    "file",
    "kpisim",
    "scenario_sha256",
    "trials",
    "seed",
    "sampling",
    "precision",
];

/// Whether a column of `path` is a change of a probability, or its
/// standard error: shown in percentage points.
fn is_change(path: &[String]) -> bool {
    path.iter()
        .any(|k| k == "change" || k == "change_standard_error")
}

/// Each change column of `t` (at `paths`) shown in percentage points, with
/// the fraction kept beside it, hidden.
fn in_points(t: &mut Table, paths: &[Vec<String>]) {
    let mut headers = Vec::new();
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); t.rows.len()];
    let mut hidden = Vec::new();
    for (c, (h, p)) in t.headers.iter().zip(paths).enumerate() {
        if is_change(p) {
            let fine = p.iter().any(|k| k == "change_standard_error");
            headers.push(format!("{h} (pp)"));
            for (row, old) in rows.iter_mut().zip(&t.rows) {
                row.push(match old[c] {
                    Cell::Number(x, _) => Cell::Number(
                        crate::present::tidy(100.0 * x),
                        if fine {
                            Style::PointsFine
                        } else {
                            Style::Points
                        },
                    ),
                    ref other => other.clone(),
                });
            }
            hidden.push(headers.len());
            headers.push(format!("{h} (fraction)"));
            for (row, old) in rows.iter_mut().zip(&t.rows) {
                row.push(match old[c] {
                    Cell::Number(x, _) => Cell::Number(x, Style::Fraction),
                    ref other => other.clone(),
                });
            }
        } else {
            headers.push(h.clone());
            for (row, old) in rows.iter_mut().zip(&t.rows) {
                row.push(old[c].clone());
            }
        }
    }
    *t = Table {
        headers,
        rows,
        hidden,
    };
}

/// Whether `v` is a per-target object: numbers (or nulls) under revenue,
/// profit and both only.
fn per_target(v: &Map<String, Value>) -> bool {
    !v.is_empty()
        && v.iter().all(|(k, x)| {
            matches!(k.as_str(), "revenue" | "profit" | "both") && (x.is_number() || x.is_null())
        })
}

/// Whether `v` is an object of objects of scalars (bands by metric).
fn bands(v: &Map<String, Value>) -> bool {
    !v.is_empty()
        && v.values().all(|x| {
            x.as_object()
                .is_some_and(|o| o.values().all(|y| !y.is_object() && !y.is_array()))
        })
}

/// The scalar leaves of `v` under `path`, in order; arrays of objects are
/// left out (they become sheets), arrays of scalars are numbered.
fn leaves(v: &Value, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, Value)>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                path.push(k.clone());
                leaves(x, path, out);
                path.pop();
            }
        }
        // Named items (a month's segments) become columns named by them as
        // written, in place of the array's key: `big_r payers`, as the
        // segment's own sheet is `big_r monthly`.
        Value::Array(a)
            if !a.is_empty()
                && a.iter()
                    .all(|x| x.get("name").is_some_and(Value::is_string)) =>
        {
            let key = path.pop();
            for x in a {
                let name = x.get("name").and_then(Value::as_str).unwrap_or_default();
                path.push(as_written(name));
                if let Some(o) = x.as_object() {
                    for (k, y) in o.iter().filter(|(k, _)| *k != "name") {
                        path.push(k.clone());
                        leaves(y, path, out);
                        path.pop();
                    }
                }
                path.pop();
            }
            path.extend(key);
        }
        Value::Array(a) if a.iter().any(Value::is_object) => {}
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push((i + 1).to_string());
                leaves(x, path, out);
                path.pop();
            }
        }
        x => out.push((path.clone(), x.clone())),
    }
}

/// Rows from the objects of `items`: one row each, a column per scalar
/// leaf (in the order first seen); `root` is the path of the array, for
/// the styles.
pub fn rows(items: &[Value], root: &[String]) -> Table {
    let mut headers: Vec<Vec<String>> = Vec::new();
    let mut found: Vec<Vec<(Vec<String>, Value)>> = Vec::new();
    for item in items {
        let mut out = Vec::new();
        leaves(item, &mut Vec::new(), &mut out);
        for (p, _) in &out {
            if !headers.contains(p) {
                headers.push(p.clone());
            }
        }
        found.push(out);
    }
    let rows = found
        .iter()
        .map(|out| {
            headers
                .iter()
                .map(|h| {
                    out.iter()
                        .find(|(p, _)| p == h)
                        .map_or(Cell::Empty, |(_, v)| {
                            let full: Vec<String> = root.iter().chain(h).cloned().collect();
                            Cell::of(v, &full)
                        })
                })
                .collect()
        })
        .collect();
    let mut t = Table {
        headers: headers.iter().map(|h| column_title(h)).collect(),
        rows,
        hidden: Vec::new(),
    };
    if headers.iter().any(|h| is_change(h)) {
        in_points(&mut t, &headers);
    }
    t
}

/// The sheets of a report's JSON object: `Summary` first, then a sheet for
/// each object of bands and each array of objects, in the JSON's order, and
/// for an array whose elements hold arrays of objects (segments and their
/// months), a sheet for each element's. Keys in `omit` are left out.
pub fn sheets(report: &Value, omit: &[&str]) -> Vec<Sheet> {
    let Some(root) = report.as_object() else {
        return Vec::new();
    };
    let heading = root
        .get("scenario")
        .and_then(Value::as_str)
        .unwrap_or("kpisim")
        .to_string();
    let mut results = Vec::new();
    let mut manifest = Vec::new();
    let mut targets: Vec<(String, &Map<String, Value>)> = Vec::new();
    let mut more = Vec::new();
    let shown = |k: &String| !omit.contains(&k.as_str()) && k != "scenario";
    for (key, v) in root.iter().filter(|(k, _)| shown(k)) {
        let path = vec![key.clone()];
        match v {
            Value::Object(o) if per_target(o) => targets.push((key.clone(), o)),
            Value::Object(o) if bands(o) => more.push(Sheet {
                name: title(key),
                content: Content::Table(band_table(key, o)),
            }),
            Value::Array(a) if a.iter().any(Value::is_object) => {
                more.push(Sheet {
                    name: title(key),
                    content: Content::Table(rows(a, &path)),
                });
                more.extend(nested(key, a));
            }
            _ => {
                more.extend(inner_tables(&path, v));
                let mut out = Vec::new();
                leaves(v, &mut path.clone(), &mut out);
                let into = if MANIFEST.contains(&key.as_str()) {
                    &mut manifest
                } else {
                    &mut results
                };
                into.extend(
                    out.into_iter()
                        .map(|(p, x)| (row_label(&p), Cell::of(&x, &p))),
                );
            }
        }
    }
    let targets = (!targets.is_empty()).then(|| target_table(&targets));
    let mut all = vec![Sheet {
        name: "Summary".into(),
        content: Content::Summary {
            title: heading,
            targets,
            results,
            manifest,
        },
    }];
    all.extend(more);
    all
}

/// A sheet for each array of objects inside the objects of `v` (at
/// `path`): the months of each path to a target.
fn inner_tables(path: &[String], v: &Value) -> Vec<Sheet> {
    let mut out = Vec::new();
    let Some(o) = v.as_object() else {
        return out;
    };
    for (k, x) in o {
        let mut at = path.to_vec();
        at.push(k.clone());
        match x {
            Value::Array(a) if a.iter().any(Value::is_object) => out.push(Sheet {
                name: sheet_title(&at),
                content: Content::Table(rows(a, &at)),
            }),
            Value::Object(_) => out.extend(inner_tables(&at, x)),
            _ => {}
        }
    }
    out
}

/// A sheet's name from the keys that lead to its table:
/// `path_to_target revenue monthly` is `Path to revenue target`.
fn sheet_title(path: &[String]) -> String {
    match path {
        [p, target, m] if p == "path_to_target" && m == "monthly" => {
            format!("Path to {target} target")
        }
        _ => title(&path.join(" ")),
    }
}

/// Rows revenue, profit and both (those present), a column per object.
fn target_table(objects: &[(String, &Map<String, Value>)]) -> Table {
    let names: Vec<&str> = ["revenue", "profit", "both"]
        .into_iter()
        .filter(|t| objects.iter().any(|(_, o)| o.contains_key(*t)))
        .collect();
    let mut headers = vec!["".to_string()];
    headers.extend(
        objects
            .iter()
            .map(|(k, _)| column_title(std::slice::from_ref(k))),
    );
    let rows = names
        .iter()
        .map(|t| {
            let mut row = vec![Cell::Text(t.to_string())];
            row.extend(objects.iter().map(|(k, o)| {
                o.get(*t)
                    .map_or(Cell::Empty, |v| Cell::of(v, &[k.clone(), t.to_string()]))
            }));
            row
        })
        .collect();
    Table {
        headers,
        rows,
        hidden: Vec::new(),
    }
}

/// An object of bands as rows (one a metric) and the bands' fields as
/// columns.
fn band_table(key: &str, o: &Map<String, Value>) -> Table {
    let items: Vec<Value> = o
        .iter()
        .map(|(name, bands)| {
            let mut row = Map::new();
            row.insert("metric".into(), Value::String(name.clone()));
            if let Some(b) = bands.as_object() {
                row.extend(b.clone());
            }
            Value::Object(row)
        })
        .collect();
    let mut t = rows(&items, &[key.to_string()]);
    // Each row's numbers take the style of its own metric.
    for (row, name) in t.rows.iter_mut().zip(o.keys()) {
        for c in row.iter_mut() {
            if let Cell::Number(_, s) = c {
                *s = style_of(&[key.to_string(), name.clone()]);
            }
        }
    }
    t
}

/// For each element of `items` that holds arrays of objects, a sheet for
/// each such array, named by the element's `name` (or position) and the
/// array's key: `big_r monthly`.
fn nested(key: &str, items: &[Value]) -> Vec<Sheet> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(o) = item.as_object() else { continue };
        let name = o
            .get("name")
            .and_then(Value::as_str)
            .map_or_else(|| (i + 1).to_string(), str::to_string);
        for (k, v) in o {
            if let Value::Array(a) = v
                && a.iter().any(Value::is_object)
            {
                out.push(Sheet {
                    name: format!("{name} {k}"),
                    content: Content::Table(rows(a, &[key.to_string(), k.clone()])),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn styles_follow_what_a_field_means() {
        assert_eq!(style_of(&path(&["probability", "both"])), Style::Percent);
        assert_eq!(
            style_of(&path(&["cases", "change_standard_error", "revenue"])),
            Style::PercentFine
        );
        assert_eq!(style_of(&path(&["targets", "revenue"])), Style::Amount);
        assert_eq!(style_of(&path(&["monthly", "arpu", "p50"])), Style::Arpu);
        assert_eq!(
            style_of(&path(&["reached_by_month", "month"])),
            Style::Whole
        );
        assert_eq!(style_of(&path(&["tried", "value"])), Style::General);
        assert_eq!(
            style_of(&path(&["inputs", "both", "at_p10"])),
            Style::Percent
        );
        assert_eq!(
            style_of(&path(&["inputs", "spearman_profit"])),
            Style::Ratio
        );
    }

    #[test]
    fn a_report_splits_into_summary_bands_and_row_sheets() {
        let v: Value = serde_json::json!({
            "scenario": "s", "trials": 10,
            "targets": {"revenue": 5.0, "profit": 1.0},
            "probability": {"revenue": 0.5, "profit": 0.25, "both": 0.2},
            "precision": {"target": "both", "reached": true},
            "annual": {"revenue": {"mean": 1.0, "p5": 0.5}, "profit": {"mean": 2.0, "p5": 1.5}},
            "range": [0.1, 0.9],
            "monthly": [{"month": 1, "revenue": {"p5": 1.0}}, {"month": 2, "revenue": {"p5": 2.0}}],
            "segments": [{"name": "a", "revenue_share": 1.0, "monthly": [{"month": 1}]}]
        });
        let s = sheets(&v, &[]);
        let names: Vec<&str> = s.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(
            names,
            ["Summary", "Annual", "Monthly", "Segments", "a monthly"]
        );
        let Content::Summary {
            title,
            targets,
            results,
            manifest,
        } = &s[0].content
        else {
            panic!("summary first")
        };
        assert_eq!(title, "s");
        let labels = |f: &[(String, Cell)]| f.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>();
        // Results first, in words; how they were made below them.
        assert_eq!(labels(results), ["Range 1", "Range 2"]);
        assert_eq!(
            labels(manifest),
            ["Simulated years", "Precision target", "Precision reached"]
        );
        let t = targets.as_ref().unwrap();
        assert_eq!(t.headers, ["", "target", "probability"]);
        assert_eq!(t.rows[2][1], Cell::Empty);
        assert_eq!(t.rows[2][2], Cell::Number(0.2, Style::Percent));
        let Content::Table(annual) = &s[1].content else {
            panic!()
        };
        assert_eq!(annual.headers, ["metric", "mean", "P5"]);
        assert_eq!(annual.rows[1][2], Cell::Number(1.5, Style::Amount));
        let Content::Table(monthly) = &s[2].content else {
            panic!()
        };
        assert_eq!(monthly.headers, ["month", "revenue P5"]);
        assert_eq!(monthly.rows[1][1], Cell::Number(2.0, Style::Amount));
    }
}
