//! Snapshots of what people read, and of the headers machines read: every
//! table, every CSV header, `check`'s description of stress cases and an
//! error message, pinned as files in tests/snapshots/ (insta). A change in
//! formatting is then a visible decision: review the new output with
//! `INSTA_UPDATE=always cargo test` and `git diff tests/snapshots`.
//!
//! Runs use few trials and a fixed seed: the numbers are as reproducible as
//! the layout.

use crate::util::{Dir, default_scenario, root};

fn bigr() -> String {
    std::fs::read_to_string(root().join("scenarios/shandian-2016-bigr.toml")).unwrap()
}

/// Runs `args` in a directory holding the default (`s.toml`) and big-R
/// (`b.toml`) scenarios.
fn out(args: &[&str]) -> String {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    dir.create("b.toml", &bigr());
    dir.run(args).ok()
}

/// Runs `args` in a directory holding the default scenario (`s.toml`),
/// the shipped 2015 history (`h.csv`) and 2016 first quarter (`q1.csv`).
fn out_with_history(args: &[&str]) -> String {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    for (name, file) in [
        ("h.csv", "history-2015.csv"),
        ("q1.csv", "actuals-2016-q1.csv"),
    ] {
        let text = std::fs::read_to_string(root().join("scenarios").join(file)).unwrap();
        dir.create(name, &text);
    }
    dir.run(args).ok()
}

const FIT: [&str; 9] = [
    "fit",
    "h.csv",
    "--plan",
    "s.toml",
    "-o",
    "f.toml",
    "--holdout",
    "3",
    "-n",
];

#[test]
fn fit_table() {
    let mut args = FIT.to_vec();
    args.push("2000");
    insta::assert_snapshot!(out_with_history(&args));
}

#[test]
fn track_table() {
    insta::assert_snapshot!(out_with_history(&[
        "track",
        "s.toml",
        "--actuals",
        "q1.csv",
        "-n",
        "2000"
    ]));
}

/// The first line of a CSV.
fn header(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["-f", "csv"]);
    out(&all).lines().next().unwrap_or_default().to_string()
}

#[test]
fn run_table() {
    insta::assert_snapshot!(out(&["run", "s.toml", "-n", "2000"]));
}

#[test]
fn run_table_of_a_batch_with_segments() {
    insta::assert_snapshot!(out(&["run", "s.toml", "b.toml", "-n", "2000"]));
}

#[test]
fn point_plan_table() {
    insta::assert_snapshot!(out(&["run", "s.toml", "--point"]));
}

#[test]
fn stress_table() {
    insta::assert_snapshot!(out(&["stress", "b.toml", "-n", "2000"]));
}

#[test]
fn sweep_table() {
    insta::assert_snapshot!(out(&[
        "sweep",
        "b.toml",
        "--set",
        "segments.big_r.retention.mean",
        "--from",
        "0.5",
        "--to",
        "0.7",
        "--steps",
        "5",
        "--level",
        "0.8",
        "-n",
        "2000",
    ]));
}

#[test]
fn kpis_table() {
    insta::assert_snapshot!(out(&[
        "kpis",
        "b.toml",
        "--confidence",
        "0.8",
        "-n",
        "2000"
    ]));
}

#[test]
fn sensitivity_table() {
    insta::assert_snapshot!(out(&["sensitivity", "b.toml", "-n", "2000"]));
}

#[test]
fn solve_table() {
    insta::assert_snapshot!(out(&[
        "solve",
        "b.toml",
        "--lever",
        "segments.big_r.retention.mean",
        "--confidence",
        "0.8",
        "--monthly",
        "-n",
        "2000"
    ]));
}

#[test]
fn check_describes_each_stress_case() {
    insta::assert_snapshot!(out(&["check", "s.toml", "b.toml"]));
}

#[test]
fn csv_headers() {
    let headers = [
        ("run", header(&["run", "s.toml", "-n", "1000"])),
        ("run --point", header(&["run", "s.toml", "--point"])),
        ("stress", header(&["stress", "b.toml", "-n", "1000"])),
        (
            "sweep",
            header(&[
                "sweep",
                "s.toml",
                "--set",
                "marketing.budget",
                "--from",
                "1",
                "--to",
                "2",
                "--steps",
                "2",
                "-n",
                "1000",
            ]),
        ),
        ("kpis", header(&["kpis", "s.toml", "-n", "1000"])),
        (
            "sensitivity",
            header(&["sensitivity", "s.toml", "-n", "1000"]),
        ),
        (
            "solve",
            header(&[
                "solve",
                "s.toml",
                "--lever",
                "marketing.budget",
                "--confidence",
                "0.6",
                "-n",
                "1000",
            ]),
        ),
    ];
    let mut fit = FIT.to_vec();
    fit.extend(["1000", "-f", "csv"]);
    let first = |text: String| text.lines().next().unwrap_or_default().to_string();
    let headers = headers.into_iter().chain([
        ("fit", first(out_with_history(&fit))),
        (
            "track",
            first(out_with_history(&[
                "track",
                "s.toml",
                "--actuals",
                "q1.csv",
                "-n",
                "1000",
                "-f",
                "csv",
            ])),
        ),
    ]);
    let text: Vec<String> = headers
        .into_iter()
        .map(|(cmd, h)| format!("{cmd}: {h}"))
        .collect();
    insta::assert_snapshot!(text.join("\n"));
}

#[test]
fn error_message() {
    let dir = Dir::new();
    let text = default_scenario().replacen("mean = 0.519, sd = 0.03", "mean = 0.519, sd = 0.6", 1);
    dir.create("bad.toml", &text);
    let run = dir.run(&["check", "bad.toml"]).code(2);
    insta::assert_snapshot!(run.stderr());
}
