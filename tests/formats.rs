//! What each command says of its output is what it writes: the CSV columns
//! its `--help` lists are the header of its CSV, and every `--format` value
//! it offers gives a successful run. And a report declared outside the
//! library, in this file, renders in every format it declares without a
//! change anywhere else (one file per report).

use serde::Serialize;

use kpisim::export::{AsOf, CsvSpec, Format, Report, render};

/// The date the workbooks here say they are as of.
const DAY: AsOf = AsOf {
    year: 2016,
    month: 12,
    day: 31,
};

use crate::util::{Dir, root};

/// Each command with the arguments of a quick run, in a directory holding
/// the shipped scenarios and histories.
fn commands() -> Vec<(&'static str, Vec<&'static str>)> {
    let default = "shandian-2016.toml";
    vec![
        ("run", vec!["run", default, "-n", "2000"]),
        (
            "stress",
            vec![
                "stress",
                "shandian-2016-bigr.toml",
                "--case",
                "big-R exodus",
                "-n",
                "2000",
            ],
        ),
        (
            "sweep",
            vec![
                "sweep",
                default,
                "--set",
                "targets.revenue",
                "--from",
                "4e8",
                "--to",
                "5e8",
                "--steps",
                "2",
                "-n",
                "2000",
            ],
        ),
        ("kpis", vec!["kpis", default, "-n", "2000"]),
        ("sensitivity", vec!["sensitivity", default, "-n", "2000"]),
        ("explain", vec!["explain", default, "-n", "2000"]),
        (
            "solve",
            vec![
                "solve",
                default,
                "--lever",
                "marketing.budget",
                "--confidence",
                "0.6",
                "-n",
                "2000",
            ],
        ),
        (
            "fit",
            vec![
                "fit",
                "history-2015.csv",
                "--plan",
                default,
                "-o",
                "fitted.toml",
                "--holdout",
                "3",
            ],
        ),
        (
            "track",
            vec![
                "track",
                default,
                "--actuals",
                "actuals-2016-q1.csv",
                "-n",
                "2000",
            ],
        ),
        ("merge", vec!["merge", "p0.part", "p1.part"]),
    ]
}

/// A directory with the shipped scenarios, histories and the two parts of
/// a sharded run of the default scenario.
fn workdir() -> Dir {
    let d = Dir::new();
    for name in [
        "shandian-2016.toml",
        "shandian-2016-bigr.toml",
        "history-2015.csv",
        "actuals-2016-q1.csv",
    ] {
        let text = std::fs::read_to_string(root().join("scenarios").join(name)).unwrap();
        d.create(name, &text);
    }
    for k in 0..2 {
        let shard = format!("{k}/2");
        let part = format!("p{k}.part");
        d.run(&[
            "run",
            "shandian-2016.toml",
            "-n",
            "20000",
            "--shard",
            &shard,
            "--state-out",
            &part,
        ])
        .code(0);
    }
    d
}

/// The help text of `command` with its whitespace folded.
fn help(d: &Dir, command: &str) -> String {
    let text = d.run(&[command, "--help"]).ok();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The CSV columns the help lists.
fn help_columns(help: &str) -> Vec<String> {
    let csv = &help[help
        .find("CSV (--format csv):")
        .expect("the help describes the CSV")..];
    let list = csv
        .split(" columns ")
        .nth(1)
        .expect("the help lists the columns")
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches('.');
    list.split(',').map(str::to_string).collect()
}

/// The formats `--format` offers.
fn offered(help: &str) -> Vec<String> {
    let at = help
        .find("-f, --format <FORMAT>")
        .expect("a --format option");
    let rest = &help[at..];
    let list = rest
        .split("[possible values: ")
        .nth(1)
        .expect("possible values")
        .split(']')
        .next()
        .unwrap();
    list.split(", ").map(str::to_string).collect()
}

#[test]
fn every_commands_help_lists_the_columns_of_the_csv_it_writes() {
    let d = workdir();
    for (command, args) in commands() {
        let listed = help_columns(&help(&d, command));
        let mut csv_args = args.clone();
        csv_args.extend(["--format", "csv"]);
        let out = d.run(&csv_args).ok();
        let header: Vec<String> = out
            .lines()
            .next()
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect();
        assert_eq!(listed, header, "{command}: --help against the CSV written");
    }
}

#[test]
fn every_format_a_command_offers_gives_a_successful_run() {
    let d = workdir();
    for (command, args) in commands() {
        let formats = offered(&help(&d, command));
        assert!(
            formats.contains(&"table".to_string()),
            "{command}: {formats:?}"
        );
        for f in &formats {
            let mut a = args.clone();
            a.extend(["--format", f.as_str()]);
            let file = format!("{command}.{f}");
            if f == "xlsx" {
                a.extend(["-o", file.as_str()]);
            }
            let run = d.run(&a).code(0);
            if f == "xlsx" {
                assert!(std::fs::metadata(d.path(&file)).unwrap().len() > 1000);
            } else {
                assert!(!run.stdout().is_empty(), "{command} --format {f}");
            }
        }
    }
    // A format not offered is refused by the command line itself.
    d.run(&[
        "track",
        "shandian-2016.toml",
        "--actuals",
        "actuals-2016-q1.csv",
        "--format",
        "xlsx",
    ])
    .code(2)
    .stderr_has(&["possible values: table, json, csv"]);
}

/// A report the library has never seen.
#[derive(Serialize)]
struct Census {
    scenario: String,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    month: usize,
    payers: f64,
}

impl Report for Census {
    const NAME: &'static str = "census";
    const FORMATS: &'static [Format] = &[Format::Table, Format::Json, Format::Csv, Format::Xlsx];
    const CSV: CsvSpec = CsvSpec {
        rows: "one row per month",
        columns: &["month", "payers"],
        notes: "",
    };

    fn table(&self) -> String {
        self.rows
            .iter()
            .map(|r| format!("{} {}\n", r.month, r.payers))
            .collect()
    }

    fn csv_rows(&self) -> Vec<Vec<kpisim::export::Cell>> {
        self.rows
            .iter()
            .map(|r| vec![r.month.into(), r.payers.into()])
            .collect()
    }
}

#[test]
fn a_report_declared_outside_the_library_renders_in_every_format_it_declares() {
    let census = Census {
        scenario: "test".into(),
        rows: (1..=3)
            .map(|month| Row {
                month,
                payers: 1000.0 * month as f64,
            })
            .collect(),
    };
    assert_eq!(
        String::from_utf8(render(&census, Format::Csv, DAY).unwrap()).unwrap(),
        "month,payers\n1,1000.0\n2,2000.0\n3,3000.0\n"
    );
    assert_eq!(
        String::from_utf8(render(&census, Format::Table, DAY).unwrap()).unwrap(),
        "1 1000\n2 2000\n3 3000\n"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&render(&census, Format::Json, DAY).unwrap()).unwrap();
    assert_eq!(json["rows"][2]["payers"], 3000.0);
    let book = render(&census, Format::Xlsx, DAY).unwrap();
    assert_eq!(&book[..2], b"PK", "a workbook is a zip");
    // What it does not declare, it does not render.
    assert!(render(&census, Format::Html, DAY).is_err());
    assert_eq!(
        kpisim::export::csv_help::<Census>(),
        "CSV (--format csv): one row per month, columns month,payers."
    );
}

/// The long options a `--help` lists.
fn help_options(help: &str) -> Vec<String> {
    help.lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("--")))
        .map(|w| w.trim_end_matches(',').to_string())
        .collect()
}

#[test]
fn each_subcommands_manual_page_lists_every_option_of_its_help_with_exit_codes_and_an_example() {
    let d = Dir::new();
    d.run(&["man", "--dir", "."]).code(0);
    let subcommands = [
        "run",
        "check",
        "stress",
        "sweep",
        "kpis",
        "sensitivity",
        "explain",
        "solve",
        "fit",
        "track",
        "report",
        "merge",
        "serve",
        "completions",
        "man",
    ];
    let mut pages = d.files();
    pages.sort();
    let mut want: Vec<String> = subcommands
        .iter()
        .map(|s| format!("kpisim-{s}.1"))
        .chain(["kpisim.1".to_string()])
        .collect();
    want.sort();
    assert_eq!(pages, want);
    for s in subcommands {
        let page = std::fs::read_to_string(d.path(&format!("kpisim-{s}.1")))
            .unwrap()
            .replace("\\-", "-");
        let printed = d.run(&["man", s]).ok().replace("\\-", "-");
        assert_eq!(page, printed, "{s}: the printed page is the written one");
        let options = help_options(&d.run(&[s, "--help"]).ok());
        assert!(!options.is_empty(), "{s}");
        for o in options {
            assert!(page.contains(&o), "{s}: the manual page lacks {o}");
        }
        assert!(page.contains(".SH \"EXIT STATUS\""), "{s}");
        assert!(page.contains(".SH EXAMPLE\n.nf\nkpisim "), "{s}");
    }
    d.run(&["man", "nosuch"])
        .code(2)
        .stderr_has(&["one of run, check"]);
}
