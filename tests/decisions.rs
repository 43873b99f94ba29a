//! Decision-grade results (issue 20): the path to each target (its
//! identities, its closed form on a scenario where it has one, its
//! agreement between run, kpis and solve), the assumptions on the page
//! and in the workbook, the board pack, "as of" dates that give the same
//! bytes, wordings that do not overstate, the fit's spreads and profiles,
//! and tracking a segmented plan from totals. Then the outputs made
//! honest and consistent: paths to targets no year comes near said in
//! CNY, the workbook's windows, segment names, month dates and input
//! formats, input levels by their kind, ranges and units, `track` offering
//! no workbook, `report` writing only what its file name says.

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
        table.contains("assumed: the actuals give totals only"),
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

#[test]
fn a_path_to_a_target_no_year_comes_near_says_so_in_cny() {
    let d = Dir::new();
    d.create(
        "far.toml",
        &default_scenario()
            .replacen("revenue = 450_000_000", "revenue = 1", 1)
            .replacen("profit = 20_000_000", "profit = 1_000_000_000", 1),
    );
    let table = d.run(&["run", "far.toml", "-n", "5000"]).ok();
    let line = |what: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("path to {what}")))
            .unwrap_or_else(|| panic!("no path to {what}:\n{table}"))
            .to_string()
    };
    let profit = line("profit");
    assert!(
        profit.starts_with(
            "path to profit 1.00B: no simulated year comes near it; on average the 1,000 nearest, \
             which end "
        ),
        "{profit}"
    );
    assert!(profit.contains(" short of it, reach "), "{profit}");
    let revenue = line("revenue");
    assert!(
        revenue.contains("no simulated year comes near it")
            && revenue.contains(" above it, reach "),
        "{revenue}"
    );
    // No window as a percentage of a target the years are nowhere near.
    for l in [&profit, &revenue] {
        assert!(!l.contains("within"), "{l}");
    }
    // The JSON carries where the years end, raw.
    let j = d
        .run(&["run", "far.toml", "-n", "5000", "-f", "json"])
        .json();
    let p = &j["path_to_target"]["profit"];
    assert!(f(&p["window"]) > 0.05, "{p}");
    assert!(f(&p["lowest"]) <= f(&p["annual"]["profit"]));
    assert!(f(&p["annual"]["profit"]) <= f(&p["highest"]));
    assert!(f(&p["highest"]) < 1e9);
    let r = &j["path_to_target"]["revenue"];
    assert!(f(&r["lowest"]) > 1.0);
    // The KPI sheet says the same of its paths.
    let kpis = d.run(&["kpis", "far.toml", "-n", "5000"]).ok();
    assert!(
        kpis.contains(
            "path to profit 1.00B: no simulated year comes near it; the mean of the 1,000 nearest"
        ),
        "{kpis}"
    );
    assert!(!kpis.contains("within 0.5% of each"), "{kpis}");
}

#[test]
fn a_path_to_a_target_of_zero_has_no_relative_window() {
    let d = Dir::new();
    d.create(
        "zero.toml",
        &default_scenario().replacen("profit = 20_000_000", "profit = 0", 1),
    );
    let j = d
        .run(&["run", "zero.toml", "-n", "5000", "-f", "json"])
        .json();
    let p = &j["path_to_target"]["profit"];
    assert!(p["window"].is_null(), "{p}");
    // Profit spreads across 0: the nearest years end on both sides of it.
    assert!(f(&p["lowest"]) < 0.0 && f(&p["highest"]) > 0.0, "{p}");
    let table = d.run(&["run", "zero.toml", "-n", "5000"]).ok();
    let line = table
        .lines()
        .find(|l| l.starts_with("path to profit 0:"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        line.contains("the 1,000 years nearest it, which end from ")
            && line.contains(" above it, reach "),
        "{line}"
    );
    assert!(!line.contains('%'), "{line}");
}

#[test]
fn a_run_without_paths_has_no_doubled_blank_line() {
    let d = Dir::new();
    d.create("s.toml", &default_scenario());
    let table = d.run(&["run", "s.toml", "-n", "999"]).ok();
    assert!(!table.contains("\n\n\n"), "{table}");
    // With paths, the same one blank line between the parts.
    let table = d.run(&["run", "s.toml", "-n", "2000"]).ok();
    assert!(
        table.contains("path to") && !table.contains("\n\n\n"),
        "{table}"
    );
}

/// The number format of the cell of sheet `sheet` at (row, col) of the
/// workbook at `path`.
fn format_at(d: &Dir, path: &str, sheet: &str, at: (u32, u32)) -> String {
    let mut wb = book(d, path);
    let styles = wb.worksheet_style(sheet).expect("styles");
    styles
        .get(at)
        .and_then(|s| s.number_format.as_ref())
        .map(|f| f.format_code.clone())
        .unwrap_or_default()
}

/// The rows of sheet `sheet` of the workbook at `path`, from its first.
fn sheet_rows(d: &Dir, path: &str, sheet: &str) -> (Vec<Vec<Data>>, (u32, u32)) {
    let mut wb = book(d, path);
    let range = wb
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("{sheet}: {e}"));
    let start = range.start().unwrap();
    (range.rows().map(|r| r.to_vec()).collect(), start)
}

/// `run`'s workbook of the scenario `name` (copied into `d`), as `file`.
fn run_workbook(d: &Dir, name: &str, file: &str, trials: &str) {
    let s = copy(d, name);
    d.run(&["run", &s, "-n", trials, "-o", file, "--date", "2016-12-31"])
        .code(0);
}

#[test]
fn a_workbooks_path_shows_its_window_as_a_percentage_and_segments_as_written() {
    let d = Dir::new();
    run_workbook(&d, "shandian-2016-bigr.toml", "run.xlsx", "5000");
    // The path's window is a fraction of the target: a percentage.
    let (rows, (r0, c0)) = sheet_rows(&d, "run.xlsx", "Summary");
    for what in ["revenue", "profit"] {
        let label = format!("Path to target {what} window");
        let at = rows
            .iter()
            .position(|r| r.first() == Some(&Data::String(label.clone())))
            .unwrap_or_else(|| panic!("no {label} row: {rows:?}"));
        assert_eq!(
            format_at(&d, "run.xlsx", "Summary", (r0 + at as u32, c0 + 1)),
            "0.0%",
            "{label}"
        );
    }
    // A segment is named as written, on the path's sheet as on its own
    // (`big_r monthly`), never `big r` or under a key of the JSON.
    for sheet in ["Path to revenue target", "Path to profit target"] {
        let (rows, _) = sheet_rows(&d, "run.xlsx", sheet);
        let headers: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
        for name in ["big_r", "regular"] {
            for what in ["payers", "revenue"] {
                let h = format!("{name} {what}");
                assert!(headers.contains(&h), "{sheet}: no {h} in {headers:?}");
            }
        }
        assert!(
            !headers
                .iter()
                .any(|h| h.contains("big r") || h.contains("segments")),
            "{sheet}: {headers:?}"
        );
    }
}

#[test]
fn a_workbooks_months_are_dates_on_every_sheet_of_months() {
    let d = Dir::new();
    run_workbook(&d, "shandian-2016-bigr.toml", "run.xlsx", "2000");
    for sheet in [
        "Monthly",
        "Reached by month",
        "big_r monthly",
        "regular monthly",
        "Path to revenue target",
    ] {
        let (rows, (r0, c0)) = sheet_rows(&d, "run.xlsx", sheet);
        let label = rows[0]
            .iter()
            .position(|c| *c == "label")
            .unwrap_or_else(|| panic!("{sheet} has no label column: {:?}", rows[0]));
        for (i, row) in rows.iter().enumerate().skip(1) {
            assert!(
                matches!(row[label], Data::DateTime(_)),
                "{sheet}, row {i}: {row:?}"
            );
            assert_eq!(
                format_at(&d, "run.xlsx", sheet, (r0 + i as u32, c0 + label as u32)),
                "mmm yyyy",
                "{sheet}, row {i}"
            );
        }
    }
    // Without a start there is no date to show: months stay numbers.
    let plain = default_scenario().replacen("start = \"2016-01\"\n", "", 1);
    assert_ne!(plain, default_scenario());
    d.create("plain.toml", &plain);
    d.run(&[
        "run",
        "plain.toml",
        "-n",
        "2000",
        "-o",
        "plain.xlsx",
        "--date",
        "2016-12-31",
    ])
    .code(0);
    let (rows, _) = sheet_rows(&d, "plain.xlsx", "Reached by month");
    assert!(!rows[0].iter().any(|c| *c == "label"), "{:?}", rows[0]);
    assert_eq!(rows[1][0], Data::Float(1.0));
}

#[test]
fn the_assumptions_sheet_formats_each_quantile_by_its_inputs_kind() {
    let d = Dir::new();
    run_workbook(&d, "shandian-2016-bigr-returns.toml", "run.xlsx", "1000");
    let (rows, (r0, c0)) = sheet_rows(&d, "run.xlsx", "Assumptions");
    let header = rows
        .iter()
        .position(|r| r.iter().any(|c| *c == "P10"))
        .unwrap_or_else(|| panic!("no P10 column: {rows:?}"));
    let col = |name: &str| {
        rows[header]
            .iter()
            .position(|c| *c == name)
            .unwrap_or_else(|| panic!("no {name} column: {:?}", rows[header])) as u32
    };
    let columns = [col("P10"), col("P50"), col("P90")];
    for (path, code) in [
        ("acquisition.first_charge_rate", "0.00%"),
        ("segments.big_r.retention", "0.00%"),
        ("segments.regular.retention", "0.00%"),
        ("segments.big_r.arpu", "#,##0.00"),
        ("acquisition.cost_per_registration", "0.000"),
        ("acquisition.spend_elasticity", "0.000"),
    ] {
        let at = rows
            .iter()
            .position(|r| r.first() == Some(&Data::String(path.into())))
            .unwrap_or_else(|| panic!("no row for {path}"));
        for c in columns {
            assert!(matches!(rows[at][c as usize], Data::Float(_)), "{path}");
            assert_eq!(
                format_at(&d, "run.xlsx", "Assumptions", (r0 + at as u32, c0 + c)),
                code,
                "{path}, column {c}"
            );
        }
    }
}

#[test]
fn sensitivity_shows_each_inputs_levels_by_its_kind() {
    let d = Dir::new();
    let s = copy(&d, "shandian-2016-bigr.toml");
    let table = d.run(&["sensitivity", &s, "-n", "2000"]).ok();
    let cells = |path: &str| -> Vec<String> {
        table
            .lines()
            .find(|l| l.starts_with(path))
            .unwrap_or_else(|| panic!("no {path}:\n{table}"))
            .split_whitespace()
            .skip(1)
            .take(2)
            .map(str::to_string)
            .collect()
    };
    let two_decimals_percent = |c: &str| {
        c.strip_suffix('%')
            .and_then(|n| n.split_once('.'))
            .is_some_and(|(_, dec)| dec.len() == 2)
    };
    for c in cells("acquisition.first_charge_rate") {
        assert!(two_decimals_percent(&c), "{c}");
    }
    for c in cells("segments.big_r.retention") {
        assert!(two_decimals_percent(&c), "{c}");
    }
    // ARPU with its digits, as the assumptions show it: 2,634, not 2.6k.
    for c in cells("segments.big_r.arpu") {
        assert!(c.contains(',') && !c.ends_with('k'), "{c}");
    }
    for c in cells("acquisition.cost_per_registration") {
        assert!(
            c.split_once('.').is_some_and(|(_, dec)| dec.len() == 3),
            "{c}"
        );
    }
    // The page's sensitivity table says them alike.
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
    let section = &html[html.find("<section id=\"sensitivity\">").unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    for c in cells("segments.big_r.arpu")
        .into_iter()
        .chain(cells("acquisition.first_charge_rate"))
    {
        assert!(
            section.contains(&format!("<td>{c}</td>")),
            "{c} not in\n{section}"
        );
    }
}

#[test]
fn a_constant_range_is_one_number_and_a_count() {
    let d = Dir::new();
    d.create(
        "s.toml",
        &default_scenario()
            .replacen("revenue = 450_000_000", "revenue = 1", 1)
            .replacen("profit = 20_000_000", "profit = -1e12", 1),
    );
    let out = d
        .run(&[
            "sweep",
            "s.toml",
            "--set",
            "marketing.budget",
            "--from",
            "1",
            "--to",
            "1.1",
            "--steps",
            "2",
            "-n",
            "2000",
        ])
        .ok();
    assert!(
        out.contains("stays above 50.0% throughout the range of marketing.budget from 1 to 1.1 (2,000 of 2,000 trials)"),
        "{out}"
    );
    assert!(!out.contains("100.0% to 100.0%"), "{out}");
}

#[test]
fn track_offers_no_workbook_and_no_date_for_one() {
    let d = Dir::new();
    let help = d.run(&["track", "--help"]).ok();
    assert!(!help.contains("xlsx"), "{help}");
    assert!(!help.contains("--date"), "{help}");
    // Nor its manual page (roff escapes the dashes) or its completions.
    let page = d.run(&["man", "track"]).ok();
    assert!(
        !page.contains("xlsx") && !page.contains("\\-\\-date"),
        "{page}"
    );
    let fish = d.run(&["completions", "fish"]).ok();
    let track: Vec<&str> = fish
        .lines()
        .filter(|l| l.contains("__fish_kpisim_using_subcommand track"))
        .collect();
    assert!(!track.is_empty(), "{fish}");
    assert!(
        !track
            .iter()
            .any(|l| l.contains("-l date") || l.contains("xlsx")),
        "{track:?}"
    );
    // A command with a workbook still offers both, everywhere.
    let help = d.run(&["run", "--help"]).ok();
    assert!(help.contains("xlsx") && help.contains("--date"), "{help}");
    assert!(
        fish.lines()
            .any(|l| l.contains("__fish_kpisim_using_subcommand run") && l.contains("-l date")),
        "{fish}"
    );
    let s = copy(&d, "shandian-2016.toml");
    let a = copy(&d, "actuals-2016-q1.csv");
    d.run(&["track", &s, "--actuals", &a, "--date", "2016-04-01"])
        .code(2)
        .stderr_has(&["--date"]);
    // `run --point` shares run's flags but has no workbook: a date given
    // to it is refused in one line, not ignored.
    let point = d
        .run(&["run", &s, "--point", "--date", "2016-04-01"])
        .code(2)
        .stderr_has(&["--date", "run --point"]);
    assert_eq!(point.stderr().lines().count(), 1, "{}", point.stderr());
    assert!(point.stdout().is_empty());
}

#[test]
fn report_refuses_a_name_that_is_neither_a_page_nor_a_pack() {
    let d = Dir::new();
    let s = copy(&d, "shandian-2016.toml");
    for name in ["x.json", "x.csv", "x.xls"] {
        let run = d
            .run(&["report", &s, "-n", "1000", "-o", name])
            .code(2)
            .stderr_has(&[&format!("--output {name}"), ".html", ".xlsx"]);
        assert_eq!(run.stderr().lines().count(), 1, "{}", run.stderr());
    }
    assert_eq!(d.files(), [s.as_str()]);
}

#[test]
fn the_page_and_the_track_continue_their_sentences_in_lower_case() {
    let d = Dir::new();
    let s = copy(&d, "shandian-2016.toml");
    d.run(&[
        "report",
        &s,
        "-n",
        "1000",
        "-o",
        "r.html",
        "--date",
        "2016-12-31",
    ])
    .code(0);
    let html = std::fs::read_to_string(d.path("r.html")).unwrap();
    assert!(!html.contains("in The assumptions"), "the headline's note");
    assert!(html.contains("listed below, in the assumptions section."));
}

#[test]
fn an_amount_that_rounds_into_the_next_unit_is_written_in_it() {
    // Budgets just below a unit's edge (January's and December's round up
    // to it, February's does not): the same in every trial, so the spend's
    // plan, paths and range all show them.
    let d = Dir::new();
    let text = default_scenario();
    let text = text
        .replacen("[2_430_000, 4_310_000,", "[999_999, 997_200,", 1)
        .replacen("7_600_000]", "9_999_999]", 1);
    assert_ne!(text, default_scenario());
    d.create("s.toml", &text);
    let out = d.run(&["kpis", "s.toml", "-n", "1000"]).ok();
    let marketing = &out[out.find("Marketing").unwrap()..];
    let cells = |month: &str| -> Vec<String> {
        let line = marketing
            .lines()
            .find(|l| l.starts_with(month))
            .unwrap_or_else(|| panic!("no {month}:\n{out}"));
        // month, then the spend's plan, two paths and its P10 to P90.
        line.split_whitespace()
            .skip(1)
            .take(4)
            .map(str::to_string)
            .collect()
    };
    assert_eq!(cells("2016-01"), ["1.00M"; 4], "{out}");
    assert_eq!(cells("2016-12"), ["10.0M"; 4], "{out}");
    // One that does not round up keeps its own unit.
    assert_eq!(cells("2016-02"), ["997.2k"; 4], "{out}");
    assert!(!out.contains("10.00M") && !out.contains("1000.0k"), "{out}");
    assert!(!out.contains("10.0M to 10.0M"), "{out}");
}
