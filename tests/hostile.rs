//! One test per failure found by probing kpisim 0.2 as a hostile user
//! would, and per slip a planner makes writing a scenario by hand (issue
//! 18): a crash, a half-written file, silent wrong output, a stdout that
//! is /dev/null, outputs checked late, messages that blame the wrong thing,
//! and warnings for valid values that are almost surely mistakes.

use std::fs::OpenOptions;
use std::os::unix::process::CommandExt;
use std::process::Stdio;

use kpisim::analysis::simulate;
use kpisim::engine::Config;

use crate::util::{Dir, default_scenario, root};

fn bigr_text() -> String {
    std::fs::read_to_string(root().join("scenarios/shandian-2016-bigr.toml")).unwrap()
}

/// The default scenario with `from` (which must occur) replaced.
fn variant(from: &str, to: &str) -> String {
    let text = default_scenario();
    assert!(text.contains(from), "the default scenario lacks {from:?}");
    text.replacen(from, to, 1)
}

fn copy(dir: &Dir, name: &str) -> std::path::PathBuf {
    dir.create(
        name,
        &std::fs::read_to_string(root().join("scenarios").join(name)).unwrap(),
    )
}

#[test]
fn fit_with_holdout_0_fits_without_a_backtest() {
    let d = Dir::new();
    copy(&d, "history-2015.csv");
    copy(&d, "shandian-2016.toml");
    let j = d
        .run(&[
            "fit",
            "history-2015.csv",
            "--plan",
            "shandian-2016.toml",
            "-o",
            "f.toml",
            "--holdout",
            "0",
            "--format",
            "json",
        ])
        .json();
    assert!(j.get("holdout").is_none(), "no backtest: {j}");
    assert!(d.path("f.toml").is_file());
}

/// Runs `args` with a file-size limit of 1 KiB, as `ulimit -f 1` does.
fn run_with_file_limit(d: &Dir, args: &[&str]) -> crate::util::Run {
    let mut cmd = d.command(args);
    // SAFETY: setrlimit is async-signal-safe and touches only the child.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 1024,
                rlim_max: 1024,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    d.finished(args, out)
}

#[test]
fn a_failed_write_leaves_both_hard_links_as_they_were() {
    let d = Dir::new();
    copy(&d, "history-2015.csv");
    copy(&d, "shandian-2016.toml");
    // Each output: the command, the file it writes and an old content.
    let cases: [(&[&str], &str); 3] = [
        (
            &[
                "run",
                "shandian-2016.toml",
                "-n",
                "2000",
                "-f",
                "json",
                "-o",
                "a.json",
            ],
            "a.json",
        ),
        (
            &["run", "shandian-2016.toml", "-n", "2000", "-o", "a.xlsx"],
            "a.xlsx",
        ),
        (
            &[
                "fit",
                "history-2015.csv",
                "--plan",
                "shandian-2016.toml",
                "-o",
                "a.toml",
            ],
            "a.toml",
        ),
    ];
    for (args, name) in cases {
        let old = format!("the old report {name}, which must survive\n");
        std::fs::write(d.path(name), &old).unwrap();
        let other = format!("link-{name}");
        std::fs::hard_link(d.path(name), d.path(&other)).unwrap();
        let run = run_with_file_limit(&d, args).code(1);
        let err = run.stderr();
        assert!(err.contains("kpisim: error:"), "{err}");
        assert_eq!(std::fs::read_to_string(d.path(name)).unwrap(), old);
        assert_eq!(std::fs::read_to_string(d.path(&other)).unwrap(), old);
        assert!(
            d.files().iter().all(|f| !f.starts_with(".kpisim")),
            "a temporary file was left: {:?}",
            d.files()
        );
        // Without the limit, the name given gets the report and the other
        // link keeps the old one.
        d.run(args).code(0);
        assert_ne!(std::fs::read(d.path(name)).unwrap(), old.as_bytes());
        assert_eq!(std::fs::read_to_string(d.path(&other)).unwrap(), old);
    }
}

#[test]
fn correlations_a_rounding_below_possible_are_applied_not_dropped() {
    let text = bigr_text();
    let base = &text[..text.find("[[stress]]").unwrap()];
    let pair = |a: &str, b: &str, rank: &str| {
        format!("[[correlations]]\nbetween = [\"{a}\", \"{b}\"]\nrank = {rank}\n")
    };
    let (ret, arpu, reg) = (
        "segments.big_r.retention",
        "segments.big_r.arpu",
        "segments.regular.arpu",
    );
    let scenario = format!(
        "{base}\n{}{}{}",
        pair(ret, arpu, "1"),
        pair(arpu, reg, "1"),
        pair(ret, reg, "0.9999999999")
    );
    let l = kpisim::scenario::from_bytes("s.toml", scenario.as_bytes())
        .unwrap_or_else(|e| panic!("the set passes check: {e}"));
    let n = 20_000;
    let cfg = Config {
        keep_trials: true,
        ..Config::new(n, 3, 2)
    };
    let t = simulate(&l, &cfg).unwrap().table.unwrap();
    let level = |p: &str| &t.levels.iter().find(|(n, _)| n == p).unwrap().1;
    // Asked: ranks of 1. The sampling error of a rank correlation near 1 is
    // far below 0.01 at 20,000 trials; an independent pair would give
    // about 0 ± 0.007.
    for (a, b) in [(ret, arpu), (arpu, reg), (ret, reg)] {
        let rho = kpisim::aggregate::spearman(level(a), level(b));
        assert!(rho > 0.99, "{a} ~ {b}: rank correlation {rho}");
    }
}

#[test]
fn actuals_with_no_new_payers_leave_the_first_charge_rate_at_the_plan_and_say_so() {
    let d = Dir::new();
    copy(&d, "shandian-2016.toml");
    d.create(
        "zero.csv",
        "month,marketing_spend,registrations,new_payers,payers,revenue\n\
         2016-01,2430000,379688,0,11000,8600000\n\
         2016-02,4310000,663077,0,5700,4400000\n\
         2016-03,5680000,901587,0,3000,2300000\n",
    );
    let args = [
        "track",
        "shandian-2016.toml",
        "--actuals",
        "zero.csv",
        "-n",
        "2000",
    ];
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let j = d.run(&json_args).json();
    let fcr = j["updated"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["path"] == "acquisition.first_charge_rate")
        .unwrap();
    assert!(fcr["observed"].is_null(), "{fcr}");
    assert_eq!(fcr["mean"], fcr["plan_mean"], "{fcr}");
    assert!(
        fcr["kept_at_plan"]
            .as_str()
            .unwrap()
            .contains("no actual month")
    );
    let table = d.run(&args).ok();
    assert!(!table.contains("NaN"), "{table}");
    assert!(
        table.contains("acquisition.first_charge_rate: left at the plan"),
        "{table}"
    );
}

#[test]
fn a_workbook_keeps_a_seed_beyond_two_to_the_53_exactly() {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let d = Dir::new();
    copy(&d, "shandian-2016.toml");
    let seed = "9007199254740993";
    d.run(&[
        "run",
        "shandian-2016.toml",
        "-n",
        "1000",
        "--seed",
        seed,
        "-o",
        "s.xlsx",
    ])
    .code(0);
    let bytes = std::fs::read(d.path("s.xlsx")).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let found = wb.sheet_names().iter().any(|name| {
        wb.worksheet_range(name)
            .unwrap()
            .cells()
            .any(|c| *c.2 == Data::String(seed.to_string()))
    });
    assert!(found, "the seed {seed} is not in the workbook as written");
}

#[test]
fn standard_output_opened_read_write_on_dev_null_is_written_to() {
    let d = Dir::new();
    copy(&d, "shandian-2016.toml");
    copy(&d, "history-2015.csv");
    let commands: [&[&str]; 3] = [
        &["run", "shandian-2016.toml", "-n", "1000"],
        &[
            "fit",
            "history-2015.csv",
            "--plan",
            "shandian-2016.toml",
            "-o",
            "f.toml",
        ],
        &["man"],
    ];
    for args in commands {
        // As Python's subprocess.DEVNULL and systemd's StandardOutput=null.
        let null = OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/null")
            .unwrap();
        let out = d.command(args).stdout(Stdio::from(null)).output().unwrap();
        d.finished(args, out).code(0);
    }
}

#[test]
fn outputs_are_checked_against_each_other_before_any_work_and_nothing_is_made() {
    let d = Dir::new();
    copy(&d, "shandian-2016.toml");
    d.create("bad.toml", &variant("months = 12", "months = 0"));
    let start = std::time::Instant::now();
    d.run(&[
        "report",
        "shandian-2016.toml",
        "-n",
        "5e8",
        "-o",
        "X",
        "--charts",
        "X",
    ])
    .code(2)
    .stderr_has(&["--output X and --charts X"]);
    d.run(&["report", "bad.toml", "-o", "r.html", "--charts", "NEWDIR"])
        .code(2)
        .stderr_has(&["months = 0"]);
    d.run(&[
        "run",
        "shandian-2016.toml",
        "-n",
        "5e8",
        "-f",
        "xlsx",
        "-o",
        "/proc/self/fd/1",
    ])
    .code(2)
    .stderr_has(&["does not go to standard output"]);
    assert!(start.elapsed().as_secs() < 30, "refused after work");
    assert_eq!(d.files(), ["bad.toml", "shandian-2016.toml"]);
    // A new --charts directory is made with the charts, when they are
    // written.
    d.run(&[
        "report",
        "shandian-2016.toml",
        "-n",
        "2000",
        "-o",
        "r.html",
        "--charts",
        "NEWDIR",
    ])
    .code(0);
    assert_eq!(std::fs::read_dir(d.path("NEWDIR")).unwrap().count(), 7);
}

#[test]
fn overflowing_inputs_are_refused_naming_what_was_written() {
    let d = Dir::new();
    const ARPU: &str = "arpu = { dist = \"normal\", mean = 800, sd = 64, noise_cv = 0.05,";
    d.create(
        "n.toml",
        &variant(
            ARPU,
            "arpu = { dist = \"normal\", p5 = -1e308, p95 = 1e308,",
        ),
    );
    d.run(&["check", "n.toml"])
        .code(2)
        .stderr_has(&["segments[0].arpu.p95 = 1e308", "ARPU could reach"]);
    d.create(
        "b.toml",
        &variant("mean = 0.519, sd = 0.03", "mean = 0.5, sd = 1e-160"),
    );
    let err = d.run(&["check", "b.toml"]).code(2).stderr();
    assert!(
        err.contains("segments[0].retention.sd = 1e-160: a beta sd this small"),
        "{err}"
    );
    assert!(!err.contains("finite number"), "{err}");
    copy(&d, "shandian-2016.toml");
    let out = d
        .run(&[
            "sweep",
            "shandian-2016.toml",
            "--set",
            "targets.revenue",
            "--from",
            "1e308",
            "--to",
            "-1e308",
            "--steps",
            "3",
            "-n",
            "1000",
        ])
        .ok();
    assert!(!out.contains("nan"), "{out}");
    assert!(out.contains("from 1e308 to -1e308"), "{out}");
}

#[test]
fn control_characters_from_a_users_files_reach_no_terminal_raw() {
    let d = Dir::new();
    let text = bigr_text()
        .replacen(
            "name = \"Shandian Live 2016, big-R split\"",
            "name = \"plan\\u001b[2J\\u0007\"",
            1,
        )
        .replacen("name = \"big-R exodus\"", "name = \"exodus\\u001b[31m\"", 1);
    d.create("esc.toml", &text);
    let outputs = [
        d.run(&["check", "esc.toml"]).ok(),
        d.run(&["run", "esc.toml", "-n", "1000"]).ok(),
        d.run(&["stress", "esc.toml", "-n", "1000"]).ok(),
    ];
    for out in outputs {
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("\\u{1b}"), "{out:?}");
    }
    let err = d
        .run(&["stress", "esc.toml", "--case", "no\u{1b}[31m"])
        .code(2)
        .stderr();
    assert!(!err.contains('\u{1b}'), "{err:?}");
    // JSON keeps the name as written (escaped by JSON itself).
    let j = d
        .run(&["run", "esc.toml", "-n", "1000", "-f", "json"])
        .json();
    assert_eq!(j["scenario"], "plan\u{1b}[2J\u{7}");
}

#[test]
fn a_stress_case_named_twice_runs_once() {
    let d = Dir::new();
    copy(&d, "shandian-2016-bigr.toml");
    let j = d
        .run(&[
            "stress",
            "shandian-2016-bigr.toml",
            "--case",
            "big-R exodus",
            "--case",
            "big-R exodus",
            "-n",
            "1000",
            "-f",
            "json",
        ])
        .json();
    let names: Vec<&str> = j["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["baseline", "big-R exodus"]);
}

#[test]
fn history_files_end_blank_lines_and_name_columns_once() {
    let d = Dir::new();
    copy(&d, "shandian-2016.toml");
    let history = std::fs::read_to_string(root().join("scenarios/history-2015.csv")).unwrap();
    d.create("blank.csv", &format!("{history}\n  \n\n"));
    d.run(&[
        "fit",
        "blank.csv",
        "--plan",
        "shandian-2016.toml",
        "-o",
        "f.toml",
    ])
    .code(0);
    let twice = history.replacen(
        "month,marketing_spend,registrations,new_payers,payers,revenue",
        "month,marketing_spend,registrations,new_payers,payers,revenue,payers",
        1,
    );
    let twice: String = twice
        .lines()
        .map(|l| {
            if l.starts_with("20") {
                format!("{l},1\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    d.create("twice.csv", &twice);
    d.run(&[
        "fit",
        "twice.csv",
        "--plan",
        "shandian-2016.toml",
        "-o",
        "g.toml",
    ])
    .code(2)
    .stderr_has(&["column payers", "names this column 2 times"]);
    assert!(!d.path("g.toml").exists());
}

#[test]
fn solve_says_when_the_target_is_met_throughout_and_the_lever_does_nothing() {
    let d = Dir::new();
    copy(&d, "shandian-2016.toml");
    let args = [
        "solve",
        "shandian-2016.toml",
        "--lever",
        "costs.staff",
        "--target",
        "revenue",
        "--confidence",
        "0.3",
        "-n",
        "2000",
    ];
    let out = d.run(&args).ok();
    assert!(
        out.contains("the target is met across the whole range"),
        "{out}"
    );
    assert!(
        out.contains("costs.staff does not move P(revenue)"),
        "{out}"
    );
    assert!(!out.contains("brings P(revenue) to"), "{out}");
    let mut json_args = args.to_vec();
    json_args.extend(["-f", "json"]);
    let j = d.run(&json_args).json();
    assert_eq!(j["reached_throughout"], true);
    assert_eq!(j["lever_moves"], false);
}

#[test]
fn solves_default_range_stays_within_the_scenarios_rules() {
    let d = Dir::new();
    copy(&d, "shandian-2016.toml");
    let j = d
        .run(&[
            "solve",
            "shandian-2016.toml",
            "--lever",
            "costs.creator_share",
            "--confidence",
            "0.6",
            "-n",
            "2000",
            "-f",
            "json",
        ])
        .json();
    // creator_share + operations_rate (0.05) may be at most 1.
    assert_eq!(j["range"][1], 0.95, "{}", j["range"]);
    assert_eq!(j["range"][0], 0.325, "{}", j["range"]);
}

#[test]
fn an_output_named_parquet_is_told_every_report_format() {
    let d = Dir::new();
    copy(&d, "shandian-2016.toml");
    d.run(&["run", "shandian-2016.toml", "-o", "run.parquet"])
        .code(2)
        .stderr_has(&[
            "table, JSON, CSV or an Excel workbook (.xlsx)",
            "--trials-out",
        ]);
}

#[test]
fn likely_slips_get_a_warning_and_the_run_goes_on() {
    let d = Dir::new();
    d.create("noise.toml", &variant("noise_cv = 0.05", "noise_cv = 8"));
    let run = d.run(&["run", "noise.toml", "-n", "1000"]).code(0);
    let err = run.stderr();
    assert!(
        err.contains(
            "kpisim: warning: noise.toml:52:59: segments[0].arpu.noise_cv = 8: is a coefficient of variation of 800.0%"
        ) && err.contains("did you mean 0.08 (8.0%)?"),
        "{err}"
    );
    assert!(run.stdout().contains("P(hit)"));
    d.create(
        "scale.toml",
        &bigr_text().replacen(
            "\"segments.big_r.arpu\" = 0.7",
            "\"segments.big_r.arpu\" = 75",
            1,
        ),
    );
    d.run(&["check", "scale.toml"]).code(0).stderr_has(&[
        "kpisim: warning: scale.toml:",
        "stress[3].scale.\"segments.big_r.arpu\" = 75: multiplies by 75",
        "did you mean 0.75",
    ]);
    // Values as planned get no warning.
    copy(&d, "shandian-2016-bigr.toml");
    let quiet = d
        .run(&["check", "shandian-2016-bigr.toml"])
        .code(0)
        .stderr();
    assert!(quiet.is_empty(), "{quiet}");
}

#[test]
fn a_percentage_where_a_fraction_belongs_is_refused_with_the_fraction_meant() {
    let d = Dir::new();
    d.create("mean.toml", &variant("mean = 0.519", "mean = 65"));
    d.run(&["check", "mean.toml"]).code(2).stderr_has(&[
        "segments[0].retention.mean = 65: a rate must lie between 0 and 1; did you mean 0.65 (65.0%)?",
    ]);
    d.create(
        "share.toml",
        &variant("creator_share = 0.65", "creator_share = 60"),
    );
    let err = d.run(&["check", "share.toml"]).code(2).stderr();
    assert!(
        err.contains(
            "costs.creator_share = 60: must lie between 0 and 1; did you mean 0.6 (60.0%)?"
        ),
        "{err}"
    );
    assert!(!err.contains("operations_rate"), "{err}");
}

#[test]
fn a_stress_from_outside_the_horizon_points_at_from() {
    let d = Dir::new();
    let text = bigr_text();
    assert!(text.contains("from = 7"));
    d.create("f.toml", &text.replacen("from = 7", "from = 13", 1));
    let line = text
        .lines()
        .position(|l| l.starts_with("from = 7"))
        .unwrap()
        + 1;
    d.run(&["check", "f.toml"]).code(2).stderr_has(&[
        &format!("f.toml:{line}:8: stress[3].from = 13"),
        "`from` must be a month from 1 to 12",
    ]);
}
