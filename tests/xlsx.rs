//! `--format xlsx`: every number of a command's JSON is a number cell of
//! its workbook, probabilities and money carry their formats, headers are
//! frozen, the chart is there, and a workbook never goes to stdout.
//!
//! What it pins: workbooks of `run` (one segment, two, a batch), `stress`,
//! `sweep`, `kpis`, `sensitivity` and `solve`, read back with calamine:
//! every number of the same command's JSON is a number cell and no number
//! is text; probabilities, standard errors and money carry their formats;
//! the monthly sheet has a row a month; every header is frozen; the chart
//! part exists (on `run`'s summary, the 4 series of the revenue band and
//! plan); the same bytes for 1 and 2 threads and from a merge; a workbook
//! to stdout, of `--point` or `track`, or named `.xls` is refused with exit
//! 2 and nothing written.

use std::collections::HashSet;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use crate::util::{Dir, root};

const BIGR: &str = "scenarios/shandian-2016-bigr.toml";
const DEFAULT: &str = "scenarios/shandian-2016.toml";

/// A workbook read back: its sheets' names and cells.
struct Book {
    bytes: Vec<u8>,
    sheets: Vec<(String, calamine::Range<Data>)>,
}

impl Book {
    fn read(bytes: Vec<u8>) -> Book {
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).expect("xlsx");
        let sheets = wb
            .sheet_names()
            .into_iter()
            .map(|n| {
                let r = wb.worksheet_range(&n).expect("sheet");
                (n, r)
            })
            .collect();
        Book { bytes, sheets }
    }

    fn names(&self) -> Vec<&str> {
        self.sheets.iter().map(|(n, _)| n.as_str()).collect()
    }

    fn sheet(&self, name: &str) -> &calamine::Range<Data> {
        &self
            .sheets
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no sheet {name:?} in {:?}", self.names()))
            .1
    }

    /// The header row of sheet `name`.
    fn headers(&self, name: &str) -> Vec<String> {
        let first = self.sheet(name).rows().next().expect("a header row");
        first.iter().map(|c| c.to_string()).collect()
    }

    /// Every number cell's value, by its bits.
    fn numbers(&self) -> HashSet<u64> {
        let mut out = HashSet::new();
        for (_, r) in &self.sheets {
            for c in r.cells() {
                match c.2 {
                    Data::Float(x) => {
                        out.insert(x.to_bits());
                    }
                    Data::Int(i) => {
                        out.insert((*i as f64).to_bits());
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// Text cells that read as numbers (none should).
    fn numeric_text(&self) -> Vec<String> {
        self.sheets
            .iter()
            .flat_map(|(_, r)| r.cells())
            .filter_map(|c| match c.2 {
                Data::String(s) if s.trim().parse::<f64>().is_ok() => Some(s.clone()),
                _ => None,
            })
            .collect()
    }

    /// A part of the zip, as text.
    fn part(&self, name: &str) -> Option<String> {
        let mut zip = zip::ZipArchive::new(Cursor::new(self.bytes.clone())).expect("zip");
        let mut f = zip.by_name(name).ok()?;
        let mut s = String::new();
        f.read_to_string(&mut s).expect("utf-8 part");
        Some(s)
    }

    /// The number format of the cell of sheet `name` at (row, col).
    fn format(&self, name: &str, at: (u32, u32)) -> String {
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(self.bytes.clone())).unwrap();
        let styles = wb.worksheet_style(name).expect("styles");
        styles
            .get(at)
            .and_then(|s| s.number_format.as_ref())
            .map(|f| f.format_code.clone())
            .unwrap_or_default()
    }

    /// Where the number `x` is on sheet `name`.
    fn find(&self, name: &str, x: f64) -> (u32, u32) {
        let r = self.sheet(name);
        let (r0, c0) = r.start().unwrap();
        r.cells()
            .find(|c| *c.2 == Data::Float(x))
            .map(|c| (r0 + c.0 as u32, c0 + c.1 as u32))
            .unwrap_or_else(|| panic!("{x} not on sheet {name}"))
    }
}

/// Every number of `v`, with its path.
fn json_numbers(v: &serde_json::Value, path: &str, out: &mut Vec<(String, f64)>) {
    match v {
        serde_json::Value::Number(n) => out.push((path.to_string(), n.as_f64().unwrap())),
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                json_numbers(x, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                json_numbers(x, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

/// Runs `args` twice, as JSON and as a workbook; checks that every number
/// of the JSON is a number cell and no number is written as text.
fn both(d: &Dir, args: &[&str]) -> (serde_json::Value, Book) {
    let mut json_args = args.to_vec();
    json_args.extend_from_slice(&["--format", "json"]);
    let json = d.run(&json_args).json();
    let mut xlsx_args = args.to_vec();
    xlsx_args.extend_from_slice(&["--output", "out.xlsx"]);
    assert_eq!(d.run(&xlsx_args).ok(), "", "a workbook prints nothing");
    let book = Book::read(std::fs::read(d.path("out.xlsx")).unwrap());
    let cells = book.numbers();
    let mut numbers = Vec::new();
    json_numbers(&json, "", &mut numbers);
    assert!(numbers.len() > 20);
    let missing: Vec<_> = numbers
        .iter()
        .filter(|(_, x)| !cells.contains(&x.to_bits()))
        .collect();
    assert!(
        missing.is_empty(),
        "{args:?}: not in the workbook: {missing:?}"
    );
    assert!(book.numeric_text().is_empty(), "{:?}", book.numeric_text());
    let chart = book.part("xl/charts/chart1.xml").expect("a native chart");
    assert!(
        chart.contains("<c:ser>"),
        "{args:?}: the chart has no series"
    );
    (json, book)
}

fn scenario(d: &Dir, name: &str) -> String {
    let text = std::fs::read_to_string(root().join(name)).unwrap();
    let file = name.rsplit('/').next().unwrap();
    d.create(file, &text);
    file.to_string()
}

#[test]
fn a_run_workbook_holds_every_number_of_the_json() {
    let d = Dir::new();
    let s = scenario(&d, BIGR);
    let (json, book) = both(&d, &["run", &s, "--trials", "20000", "--seed", "3"]);
    assert_eq!(
        book.names(),
        [
            "Summary",
            "Assumptions",
            "Annual",
            "Monthly",
            "Monthly bands",
            "Segments",
            "big_r monthly",
            "regular monthly",
            "Reached by month",
            "Path to revenue target",
            "Path to profit target"
        ]
    );
    // The summary: the manifest, then each target's goal, probability,
    // standard error and plan, formatted as money and percent.
    let p = json["probability"]["both"].as_f64().unwrap();
    let at = book.find("Summary", p);
    assert_eq!(book.format("Summary", at), "0.0%");
    let se = json["standard_error"]["revenue"].as_f64().unwrap();
    assert_eq!(book.format("Summary", book.find("Summary", se)), "0.00%");
    let target = json["targets"]["revenue"].as_f64().unwrap();
    assert_eq!(
        book.format("Summary", book.find("Summary", target)),
        "#,##0"
    );
    // In words a CFO reads: the results first, the manifest below them.
    let summary = book.sheet("Summary");
    let text: Vec<String> = summary.cells().map(|c| c.2.to_string()).collect();
    let row_of = |piece: &str| {
        summary
            .cells()
            .find(|c| *c.2 == piece)
            .map(|c| c.0)
            .unwrap_or_else(|| panic!("summary lacks {piece}: {text:?}"))
    };
    for piece in [
        "Scenario file SHA-256",
        "Made by kpisim",
        "Seed",
        "Simulated years",
        "Sampling",
        "plain Monte Carlo",
        "standard error",
        "How this was made",
    ] {
        row_of(piece);
    }
    assert!(text.iter().any(|t| t.starts_with("As of ")));
    assert!(row_of("probability") < row_of("How this was made"));
    assert!(row_of("How this was made") < row_of("Seed"));
    for raw in ["field", "scenario sha256", "point revenue", "mc"] {
        assert!(!text.iter().any(|t| t == raw), "summary shows {raw:?}");
    }
    // The monthly bands: a row a month, the metrics' percentiles as columns.
    let monthly = book.sheet("Monthly");
    assert_eq!(monthly.height(), 13);
    let headers = book.headers("Monthly");
    for h in [
        "month",
        "label",
        "revenue P5",
        "revenue P50",
        "revenue P95",
        "profit P50",
        "revenue plan",
    ] {
        assert!(
            headers.iter().any(|x| x == h),
            "Monthly lacks {h}: {headers:?}"
        );
    }
    let p50 = headers.iter().position(|h| h == "revenue P50").unwrap();
    for (m, row) in monthly.rows().skip(1).enumerate() {
        assert_eq!(
            row[p50],
            Data::Float(json["monthly"][m]["revenue"]["p50"].as_f64().unwrap())
        );
    }
    let revenue = json["monthly"][0]["revenue"]["p50"].as_f64().unwrap();
    assert_eq!(
        book.format("Monthly", book.find("Monthly", revenue)),
        "#,##0"
    );
    // Months are dates a spreadsheet sorts and charts.
    let label = headers.iter().position(|h| h == "label").unwrap();
    let first = monthly.rows().nth(1).unwrap()[label].clone();
    assert!(matches!(first, Data::DateTime(_)), "{first:?}");
    assert_eq!(book.format("Monthly", (1, label as u32)), "mmm yyyy");
    // Every table's header frozen, and repeated on every printed page, a
    // page wide in landscape.
    let workbook = book.part("xl/workbook.xml").unwrap();
    for (i, name) in book.names().iter().enumerate() {
        if ["Summary", "Assumptions"].contains(name) {
            continue;
        }
        let xml = book
            .part(&format!("xl/worksheets/sheet{}.xml", i + 1))
            .unwrap();
        assert!(
            xml.contains("state=\"frozen\""),
            "{name} has no frozen header"
        );
        assert!(xml.contains("orientation=\"landscape\""), "{name}");
        assert!(xml.contains("fitToHeight=\"0\""), "{name}");
    }
    assert!(workbook.contains("_xlnm.Print_Titles"), "headers repeat");
    // The chart: the monthly revenue band and the plan, on the summary.
    let chart = book.part("xl/charts/chart1.xml").unwrap();
    assert!(chart.contains("<c:lineChart>"));
    assert_eq!(chart.matches("<c:ser>").count(), 4);
    assert!(chart.contains("Monthly!$"));
    let rels = book.part("xl/worksheets/_rels/sheet1.xml.rels").unwrap();
    assert!(
        rels.contains("drawing"),
        "the chart is on the summary sheet"
    );
}

#[test]
fn one_segment_has_no_segment_sheets_and_a_batch_has_a_batch_sheet() {
    let d = Dir::new();
    let s = scenario(&d, DEFAULT);
    let (_, book) = both(&d, &["run", &s, "--trials", "10000"]);
    assert_eq!(
        book.names(),
        [
            "Summary",
            "Assumptions",
            "Annual",
            "Monthly",
            "Monthly bands",
            "Reached by month",
            "Path to revenue target",
            "Path to profit target"
        ]
    );
    let b = scenario(&d, BIGR);
    let (json, book) = both(&d, &["run", &s, &b, "--trials", "10000"]);
    let names = book.names();
    assert_eq!(names[0], "Batch");
    assert!(names.contains(&"1 Summary") && names.contains(&"2 Monthly"));
    assert!(names.contains(&"2 big_r monthly") && !names.contains(&"1 big_r monthly"));
    let batch = book.sheet("Batch");
    assert_eq!(batch.height(), 3, "a header and a row a scenario");
    for (i, one) in json.as_array().unwrap().iter().enumerate() {
        let p = one["probability"]["both"].as_f64().unwrap();
        let row = batch.rows().nth(i + 1).unwrap();
        assert!(row.contains(&Data::Float(p)), "batch row {i} lacks P(both)");
    }
    assert!(
        book.part("xl/charts/chart2.xml").is_some(),
        "a chart a scenario"
    );
}

#[test]
fn every_analysis_command_writes_a_workbook() {
    let d = Dir::new();
    let s = scenario(&d, BIGR);
    let n = ["--trials", "5000"];
    let with =
        |args: &[&str]| -> Vec<String> { args.iter().chain(&n).map(|a| a.to_string()).collect() };
    let cases: [(Vec<String>, &str, &str); 5] = [
        (with(&["stress", &s]), "Cases", "change both (pp)"),
        (
            with(&[
                "sweep",
                &s,
                "--set",
                "segments.big_r.retention.mean",
                "--from",
                "0.4",
                "--to",
                "0.6",
                "--steps",
                "3",
            ]),
            "Points",
            "probability both",
        ),
        (
            with(&["kpis", &s, "--confidence", "0.8"]),
            "Monthly",
            "revenue at confidence",
        ),
        (with(&["sensitivity", &s]), "Inputs", "profit at p10"),
        (
            with(&[
                "solve",
                &s,
                "--lever",
                "segments.big_r.retention.mean",
                "--confidence",
                "0.6",
                "--monthly",
            ]),
            "Tried",
            "probability",
        ),
    ];
    for (args, sheet, header) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (_, book) = both(&d, &args);
        assert_eq!(book.names()[0], "Summary", "{args:?}");
        let headers = book.headers(sheet);
        assert!(
            headers.iter().any(|h| h == header),
            "{args:?}: {sheet} lacks {header}: {headers:?}"
        );
    }
}

#[test]
fn a_workbook_is_the_same_bytes_for_any_threads_and_from_a_merge() {
    let d = Dir::new();
    let s = scenario(&d, BIGR);
    let base = ["run", &s, "--trials", "20000", "--seed", "8"];
    let mut one = base.to_vec();
    one.extend_from_slice(&["--threads", "1", "-o", "a.xlsx"]);
    d.run(&one).ok();
    let mut two = base.to_vec();
    two.extend_from_slice(&["--threads", "2", "-o", "b.xlsx"]);
    d.run(&two).ok();
    let a = std::fs::read(d.path("a.xlsx")).unwrap();
    assert_eq!(a, std::fs::read(d.path("b.xlsx")).unwrap());
    for k in 0..2 {
        let shard = format!("{k}/2");
        let part = format!("p{k}.kps");
        let mut args = base.to_vec();
        args.extend_from_slice(&["--shard", &shard, "--state-out", &part]);
        d.run(&args).ok();
    }
    d.run(&["merge", "p0.kps", "p1.kps", "-o", "m.xlsx"]).ok();
    assert_eq!(a, std::fs::read(d.path("m.xlsx")).unwrap());
}

#[test]
fn a_workbook_is_refused_where_it_cannot_go() {
    let d = Dir::new();
    let s = scenario(&d, DEFAULT);
    d.run(&["run", &s, "--trials", "1000", "--format", "xlsx"])
        .code(2)
        .stderr_has(&["--output FILE.xlsx"]);
    d.run(&[
        "run",
        &s,
        "--trials",
        "1000",
        "--format",
        "xlsx",
        "-o",
        "/dev/stdout",
    ])
    .code(2)
    .stderr_has(&["standard output"]);
    d.run(&["run", &s, "--point", "-o", "plan.xlsx"])
        .code(2)
        .stderr_has(&["run --point has no workbook"]);
    d.run(&["run", &s, "-o", "old.xls"])
        .code(2)
        .stderr_has(&[".xlsx"]);
    d.run(&["track", &s, "--actuals", "a.csv", "-o", "t.xlsx"])
        .code(2)
        .stderr_has(&["track has no workbook"]);
    assert_eq!(d.files(), [s.as_str()], "nothing written");
}
