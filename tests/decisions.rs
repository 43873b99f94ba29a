//! Decision-grade results (issue 20): the path to each target (its
//! identities, its closed form on a scenario where it has one, its
//! agreement between run, kpis and solve), the assumptions on the page
//! and in the workbook, the board pack, "as of" dates that give the same
//! bytes, wordings that do not overstate, the fit's spreads and profiles,
//! and tracking a segmented plan from totals.

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::Value;

use crate::util::{Dir, default_scenario, root};

fn copy(dir: &Dir, name: &str) -> String {
    let text = std::fs::read_to_string(root().join("scenarios").join(name)).unwrap();
    dir.create(name, &text);
    name.to_string()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn a_path_adds_up_to_its_year_and_its_months_to_payers_times_arpu() {
    let d = Dir::new();
    let s = copy(&d, "shandian-2016-bigr.toml");
    let j = d.run(&["run", &s, "-n", "100000", "-f", "json"]).json();
    for (target, key) in [
        (f(&j["targets"]["revenue"]), "revenue"),
        (f(&j["targets"]["profit"]), "profit"),
    ] {
        let p = &j["path_to_target"][key];
        let monthly = p["monthly"].as_array().unwrap();
        assert_eq!(monthly.len(), 12);
        assert!(f(&p["trials"]) >= 1000.0, "{key}: {}", p["trials"]);
        let window = f(&p["window"]);
        assert!(window >= 0.005, "{key}: window {window}");
        // The months sum to the year, and the year is near the target:
        // every year averaged is within the window of it.
        let revenue: f64 = monthly.iter().map(|m| f(&m["revenue"])).sum();
        let profit: f64 = monthly.iter().map(|m| f(&m["profit"])).sum();
        assert!((revenue - f(&p["annual"]["revenue"])).abs() < 1e-6 * revenue);
        assert!((profit - f(&p["annual"]["profit"])).abs() < 1e-6 * revenue);
        let reached = f(&p["annual"][key]);
        assert!(
            (reached - target).abs() <= window * target.abs() + 1e-6,
            "{key}: the path's year {reached} is not within {window} of {target}"
        );
        for m in monthly {
            let (payers, arpu, rev) = (f(&m["payers"]), f(&m["arpu"]), f(&m["revenue"]));
            assert!((payers * arpu - rev).abs() < 1e-9 * rev, "{m}");
            assert!((f(&m["old_payers"]) + f(&m["new_payers"]) - payers).abs() < 1e-6 * payers);
        }
    }
    // At this many trials, 0.5% of the revenue target holds over 1,000
    // years.
    assert_eq!(f(&j["path_to_target"]["revenue"]["window"]), 0.005);
}

/// A plan whose payers are fixed month by month and whose one uncertain
/// input is ARPU, drawn once a year: a year's revenue is ARPU × Σ payers_m ×
/// profile_m, so the years near the revenue target have ARPU near target /
/// Σ, and the path's revenue in month m is the target's share w_m =
/// payers_m × profile_m / Σ, to the window's width.
#[test]
fn the_path_of_a_plan_with_one_uncertain_input_is_its_closed_form() {
    let d = Dir::new();
    d.create(
        "one.toml",
        r#"
name = "one input"
months = 6
[targets]
revenue = 60_000_000
profit = 0
[costs]
creator_share = 0.65
operations_rate = 0.05
staff = 1_000_000
infra = 0
[marketing]
budget = 600_000
[acquisition]
cost_per_registration = 6.0
first_charge_rate = 0.02
[[segments]]
name = "all"
start_payers = 10_000
share_of_new = 1.0
retention = 0.5
arpu = { dist = "normal", mean = 800, sd = 80, profile = [1, 1, 1.1, 1.2, 1.3, 1.5] }
"#,
    );
    let j = d
        .run(&["run", "one.toml", "-n", "200000", "-f", "json"])
        .json();
    let plan = d.run(&["run", "one.toml", "--point", "-f", "json"]).json();
    let profile = [1.0, 1.0, 1.1, 1.2, 1.3, 1.5];
    let payers: Vec<f64> = plan["monthly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| f(&m["payers"]))
        .collect();
    let weights: Vec<f64> = payers.iter().zip(profile).map(|(p, x)| p * x).collect();
    let sum: f64 = weights.iter().sum();
    let path = &j["path_to_target"]["revenue"];
    let window = f(&path["window"]);
    for (m, month) in path["monthly"].as_array().unwrap().iter().enumerate() {
        let expected = 60_000_000.0 * weights[m] / sum;
        let got = f(&month["revenue"]);
        assert!(
            (got - expected).abs() <= window * expected + 1e-6,
            "month {}: {got} against {expected}",
            m + 1
        );
        assert!((f(&month["payers"]) - payers[m]).abs() < 1e-6 * payers[m]);
    }
}

#[test]
fn kpis_and_solve_read_the_same_path_as_run() {
    let d = Dir::new();
    let s = copy(&d, "shandian-2016.toml");
    let n = ["-n", "30000", "-f", "json"];
    let with =
        |args: &[&str]| -> Vec<String> { args.iter().chain(&n).map(|a| a.to_string()).collect() };
    let args = with(&["run", &s]);
    let run = d
        .run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .json();
    let args = with(&["kpis", &s, "--confidence", "0.8"]);
    let kpis = d
        .run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .json();
    let path = &run["path_to_target"];
    for (m, k) in kpis["monthly"].as_array().unwrap().iter().enumerate() {
        for metric in [
            "spend",
            "registrations",
            "new_payers",
            "old_payers",
            "payers",
            "arpu",
            "revenue",
            "profit",
        ] {
            assert_eq!(
                k[metric]["to_revenue_target"],
                path["revenue"]["monthly"][m][metric],
                "month {}, {metric}",
                m + 1
            );
            assert_eq!(
                k[metric]["to_profit_target"],
                path["profit"]["monthly"][m][metric],
                "month {}, {metric}",
                m + 1
            );
        }
        // One segment: its path is the totals'.
        assert_eq!(
            k["segments"]["all"]["payers"]["to_revenue_target"],
            k["payers"]["to_revenue_target"]
        );
    }
    // solve --monthly: the solved plan's path, and its sheet reads it.
    let args = with(&[
        "solve",
        &s,
        "--lever",
        "marketing.budget",
        "--confidence",
        "0.6",
        "--monthly",
    ]);
    let solve = d
        .run(&args.iter().map(String::as_str).collect::<Vec<_>>())
        .json();
    let solved = &solve["path_to_target"]["revenue"];
    let revenue: f64 = solved["monthly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| f(&m["revenue"]))
        .sum();
    assert!((revenue - f(&solved["annual"]["revenue"])).abs() < 1e-6 * revenue);
    for (m, k) in solve["monthly"].as_array().unwrap().iter().enumerate() {
        assert_eq!(
            k["revenue"]["to_revenue_target"],
            solved["monthly"][m]["revenue"]
        );
    }
    // The solved plan spends more than the plan as written.
    let v = f(&solve["value"]);
    assert!(
        (f(&solved["monthly"][0]["spend"]) - 2_430_000.0 * v).abs() < 1e-3,
        "{}",
        solved["monthly"][0]["spend"]
    );
}

#[test]
fn a_run_of_fewer_than_a_thousand_years_has_no_path() {
    let d = Dir::new();
    d.create("s.toml", &default_scenario());
    let j = d.run(&["run", "s.toml", "-n", "999", "-f", "json"]).json();
    assert!(j["path_to_target"]["revenue"].is_null());
    assert!(j["path_to_target"]["profit"].is_null());
    let k = d.run(&["kpis", "s.toml", "-n", "999", "-f", "json"]).json();
    assert!(k["monthly"][0]["revenue"]["to_revenue_target"].is_null());
    let table = d.run(&["run", "s.toml", "-n", "999"]).ok();
    assert!(!table.contains("path to"), "{table}");
}

/// The workbook at `path`.
fn book(d: &Dir, path: &str) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    open_workbook_from_rs(std::io::Cursor::new(std::fs::read(d.path(path)).unwrap())).unwrap()
}

/// Φ⁻¹(0.9), for the P90 of a normal.
const Z90: f64 = 1.281_551_565_544_600_4;

#[test]
fn the_assumptions_list_every_input_with_its_quantiles() {
    let d = Dir::new();
    let s = copy(&d, "shandian-2016.toml");
    d.run(&[
        "run",
        &s,
        "-n",
        "2000",
        "-o",
        "run.xlsx",
        "--date",
        "2016-12-31",
    ])
    .code(0);
    let mut wb = book(&d, "run.xlsx");
    let sheet = wb
        .worksheet_range("Assumptions")
        .expect("an Assumptions sheet");
    let rows: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    let row = |path: &str| {
        rows.iter()
            .find(|r| r.first() == Some(&Data::String(path.into())))
            .unwrap_or_else(|| panic!("no row for {path}"))
            .clone()
    };
    let num = |d: &Data| match d {
        Data::Float(x) => *x,
        other => panic!("not a number: {other:?}"),
    };
    // ARPU: normal, mean 800, sd 64: P10, P50, P90 = 800 ∓ 1.2816 × 64.
    let arpu = row("segments.all.arpu");
    assert_eq!(arpu[1], Data::String("normal".into()));
    assert_eq!(arpu[2], Data::String("mean 800, sd 64".into()));
    assert!((num(&arpu[3]) - (800.0 - Z90 * 64.0)).abs() < 1e-6);
    assert!((num(&arpu[4]) - 800.0).abs() < 1e-6);
    assert!((num(&arpu[5]) - (800.0 + Z90 * 64.0)).abs() < 1e-6);
    // The cost per registration: lognormal, mean 6, sd 0.9 of the value:
    // σ² = ln(1 + 0.15²), μ = ln 6 - σ²/2; P50 = e^μ.
    let cpr = row("acquisition.cost_per_registration");
    let s2 = (1.0f64 + 0.15 * 0.15).ln();
    let mu = 6.0f64.ln() - s2 / 2.0;
    assert!((num(&cpr[4]) - mu.exp()).abs() < 1e-9);
    assert!((num(&cpr[5]) - (mu + Z90 * s2.sqrt()).exp()).abs() < 1e-9);
    for path in ["acquisition.first_charge_rate", "segments.all.retention"] {
        let r = row(path);
        assert_eq!(r[1], Data::String("beta".into()));
        assert!(num(&r[3]) < num(&r[4]) && num(&r[4]) < num(&r[5]), "{path}");
    }
    let text: Vec<String> = rows.iter().flatten().map(|c| c.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.contains("hold under these assumptions only"))
    );
    assert!(text.iter().any(|t| t == "marketing.budget"));
    // The page says the same, in its section.
    d.run(&[
        "report",
        &s,
        "-n",
        "2000",
        "-o",
        "r.html",
        "--date",
        "2016-12-31",
    ])
    .code(0);
    let html = std::fs::read_to_string(d.path("r.html")).unwrap();
    let section = &html[html
        .find("<section id=\"assumptions\">")
        .expect("a section")..];
    let section = &section[..section.find("</section>").unwrap()];
    for path in [
        "acquisition.cost_per_registration",
        "acquisition.first_charge_rate",
        "segments.all.retention",
        "segments.all.arpu",
        "marketing.budget",
        "costs.staff",
        "costs.infra",
    ] {
        assert!(section.contains(path), "the section lacks {path}");
    }
    assert!(section.contains("hold under these assumptions only"));
    assert!(section.contains(&format!("{}", (800.0 + Z90 * 64.0).round() as i64)));
    assert!(html.contains("As of 2016-12-31."));
}

#[test]
fn the_board_pack_follows_the_reports_sections() {
    let d = Dir::new();
    let s = copy(&d, "shandian-2016-bigr.toml");
    d.run(&[
        "report",
        &s,
        "-n",
        "5000",
        "-o",
        "pack.xlsx",
        "--date",
        "2016-12-31",
    ])
    .code(0);
    let run = d.run(&["run", &s, "-n", "5000", "-f", "json"]).json();
    let mut wb = book(&d, "pack.xlsx");
    assert_eq!(
        wb.sheet_names(),
        [
            "Summary",
            "Assumptions",
            "Monthly",
            "Reached by month",
            "Sensitivity",
            "Explain",
            "Stress",
            "KPIs"
        ]
    );
    let summary = wb.worksheet_range("Summary").unwrap();
    let cells: Vec<Data> = summary.cells().map(|c| c.2.clone()).collect();
    for p in ["revenue", "profit", "both"] {
        let x = f(&run["probability"][p]);
        assert!(
            cells.contains(&Data::Float(x)),
            "P({p}) {x} not a number cell"
        );
    }
    assert!(cells.contains(&Data::String("As of 2016-12-31".into())));
    let stress = wb.worksheet_range("Stress").unwrap();
    let headers: Vec<String> = stress
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        headers.iter().any(|h| h == "change both (pp)"),
        "{headers:?}"
    );
    // A change shown in points holds 100 times the fraction.
    let pp = headers
        .iter()
        .position(|h| h == "change both (pp)")
        .unwrap();
    let fraction = headers
        .iter()
        .position(|h| h == "change both (fraction)")
        .unwrap();
    for row in stress.rows().skip(1) {
        if let (Data::Float(a), Data::Float(b)) = (&row[pp], &row[fraction]) {
            assert!((a - 100.0 * b).abs() < 1e-9, "{a} against {b}");
        }
    }
}

#[test]
fn the_same_date_gives_the_same_bytes_and_the_environment_can_give_it() {
    let d = Dir::new();
    let s = copy(&d, "shandian-2016.toml");
    let base = ["run", &s, "-n", "3000"];
    let write = |name: &str, extra: &[&str], epoch: Option<&str>| -> Vec<u8> {
        let mut args = base.to_vec();
        args.extend(["-o", name]);
        args.extend(extra);
        let mut cmd = d.command(&args);
        match epoch {
            Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
            None => cmd.env_remove("SOURCE_DATE_EPOCH"),
        };
        let out = cmd.output().unwrap();
        d.finished(&args, out).code(0);
        std::fs::read(d.path(name)).unwrap()
    };
    let a = write("a.xlsx", &["--date", "2016-12-31", "-j", "1"], None);
    let b = write("b.xlsx", &["--date", "2016-12-31", "-j", "2"], None);
    assert!(a == b, "the same date gave other bytes");
    // 2016-12-31T12:00:00Z.
    let c = write("c.xlsx", &[], Some("1483185600"));
    assert!(a == c, "SOURCE_DATE_EPOCH did not give the same date");
    let e = write("e.xlsx", &["--date", "2017-01-01"], None);
    assert!(a != e, "another date, the same bytes");
    d.run(&[
        "run",
        &s,
        "-n",
        "100",
        "-o",
        "x.xlsx",
        "--date",
        "2016-02-30",
    ])
    .code(2)
    .stderr_has(&["--date 2016-02-30", "YYYY-MM-DD"]);
}

#[test]
fn probabilities_of_no_or_every_trial_are_counted_not_rounded() {
    let d = Dir::new();
    d.create(
        "s.toml",
        &default_scenario()
            .replacen("revenue = 450_000_000", "revenue = 45_000_000_000", 1)
            .replacen("profit = 20_000_000", "profit = -1e12", 1),
    );
    let table = d.run(&["run", "s.toml", "-n", "2000"]).ok();
    assert!(table.contains("0 of 2,000 trials"), "{table}");
    assert!(table.contains("2,000 of 2,000 trials"), "{table}");
    assert!(!table.contains("±0.00 pp"), "{table}");
    assert!(
        table.contains("fewer than half the trials reach the revenue target within the horizon"),
        "{table}"
    );
    assert!(!table.contains("by not within"), "{table}");
    d.run(&["report", "s.toml", "-n", "2000", "-o", "r.html"])
        .code(0);
    let html = std::fs::read_to_string(d.path("r.html")).unwrap();
    assert!(html.contains("0 of 2,000 trials") && !html.contains("±0.00 pp"));
}

#[test]
fn a_sweep_that_never_crosses_says_on_which_side_it_stays() {
    let d = Dir::new();
    d.create("s.toml", &default_scenario());
    let out = d
        .run(&[
            "sweep",
            "s.toml",
            "--set",
            "marketing.budget",
            "--from",
            "1.5",
            "--to",
            "2.0",
            "--steps",
            "3",
            "-n",
            "5000",
        ])
        .ok();
    assert!(
        out.contains("stays above 50.0% throughout the range"),
        "{out}"
    );
    assert!(!out.contains("never crosses"), "{out}");
}

#[test]
fn ranges_read_as_ranges_and_arpu_shows_its_digits() {
    let d = Dir::new();
    let s = copy(&d, "shandian-2016-bigr.toml");
    let out = d.run(&["kpis", &s, "-n", "3000"]).ok();
    // A range reads "A to B", never "-2.53M-2.32M": no unit runs into a
    // dash and a number.
    assert!(out.contains(" to "), "{out}");
    let chars: Vec<char> = out.chars().collect();
    assert!(
        !chars
            .windows(3)
            .any(|w| "kMB".contains(w[0]) && w[1] == '-' && w[2].is_ascii_digit()),
        "{out}"
    );
    // ARPU keeps its digits: December's plan ARPU, above 1,000, is not
    // written 1.0k.
    let content = &out[out.find("Content operations").unwrap()..];
    let december = content.lines().find(|l| l.starts_with("2016-12")).unwrap();
    let arpu = december.split_whitespace().nth(1).unwrap();
    assert!(arpu.contains(',') && !arpu.ends_with('k'), "{december}");
    // The spend, the same in every trial, shows one number, not a band.
    assert!(!out.contains("2.43M to 2.43M"), "{out}");
}

#[test]
fn the_fit_says_which_spread_and_profiles_it_used() {
    let d = Dir::new();
    let plan = copy(&d, "shandian-2016.toml");
    let history = copy(&d, "history-2015.csv");
    let fit = |extra: &[&str], out: &str| -> Value {
        let mut args = vec![
            "fit",
            history.as_str(),
            "--plan",
            plan.as_str(),
            "-o",
            out,
            "-f",
            "json",
        ];
        args.extend(extra);
        d.run(&args).json()
    };
    let plan_spread = fit(&[], "plan.toml");
    let history_spread = fit(&["--spread", "history"], "history.toml");
    let profiles = fit(&["--keep-profiles"], "profiles.toml");
    assert_eq!(plan_spread["spread"], "plan");
    assert_eq!(history_spread["spread"], "history");
    assert_eq!(profiles["profiles_kept"], true);
    for (a, b) in plan_spread["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .zip(history_spread["inputs"].as_array().unwrap())
    {
        let (se, plan_sd) = (f(&a["standard_error"]), f(&a["plan_sd"]));
        assert!((f(&a["sd"]) - (se * se + plan_sd * plan_sd).sqrt()).abs() < 1e-9 * f(&a["sd"]));
        assert_eq!(
            b["sd"], a["standard_error"],
            "--spread history: the bare standard error"
        );
    }
    let text = |name: &str| std::fs::read_to_string(d.path(name)).unwrap();
    assert!(text("plan.toml").contains("--spread plan"));
    assert!(text("history.toml").contains("--spread history"));
    assert!(text("plan.toml").contains("profiles are dropped"));
    assert!(text("profiles.toml").contains("profiles are kept"));
    assert!(!text("plan.toml").contains("profile ="));
    assert!(text("profiles.toml").contains("profile = [1.0, 1.0"));
    // The bare standard error is far surer of the year than the plan's
    // spread: its revenue band is narrower.
    let band = |name: &str| {
        let j = d.run(&["run", name, "-n", "20000", "-f", "json"]).json();
        f(&j["annual"]["revenue"]["p95"]) - f(&j["annual"]["revenue"]["p5"])
    };
    assert!(band("history.toml") < 0.5 * band("plan.toml"));
    let table = d
        .run(&["fit", &history, "--plan", &plan, "-o", "t.toml"])
        .ok();
    assert!(table.contains("the plan's own sd widened"), "{table}");
}

#[test]
fn a_segmented_plan_is_tracked_from_totals_or_from_its_segments() {
    let d = Dir::new();
    let s = copy(&d, "shandian-2016-bigr.toml");
    let totals = copy(&d, "actuals-2016-q1.csv");
    let segmented = copy(&d, "actuals-2016-q1-bigr.csv");
    let j = d
        .run(&[
            "track",
            &s,
            "--actuals",
            &totals,
            "-n",
            "5000",
            "-f",
            "json",
        ])
        .json();
    let updated = j["updated"].as_array().unwrap();
    let by = |path: &str| updated.iter().find(|u| u["path"] == path).unwrap();
    assert!(by("acquisition.cost_per_registration")["observed"].is_number());
    for path in ["segments.big_r.retention", "segments.regular.arpu"] {
        assert!(by(path)["observed"].is_null(), "{path}");
        assert!(
            by(path)["kept_at_plan"]
                .as_str()
                .unwrap()
                .contains("totals only")
        );
    }
    let notes = j["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0]
            .as_str()
            .unwrap()
            .contains("split among the segments as the plan")
    );
    let table = d
        .run(&["track", &s, "--actuals", &totals, "-n", "5000"])
        .ok();
    assert!(
        table.contains("assumed: The actuals give totals only"),
        "{table}"
    );
    // With each segment's columns, every input is updated, and nothing is
    // assumed.
    let j = d
        .run(&[
            "track",
            &s,
            "--actuals",
            &segmented,
            "-n",
            "5000",
            "-f",
            "json",
        ])
        .json();
    assert!(
        j["updated"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["observed"].is_number())
    );
    assert!(j["notes"].as_array().unwrap().is_empty());
    // fit still needs each segment's columns.
    d.run(&["fit", &totals, "--plan", &s, "-o", "f.toml"])
        .code(2)
        .stderr_has(&["payers_big_r"]);
}
