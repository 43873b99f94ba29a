//! Last year's months and this year's actuals (issue 12): `fit` recovers
//! the parameters of histories the model itself generated, its backtest
//! covers held-out months near the nominal rate, `track` counts actual
//! months exactly and moves the probabilities the right way, and bad CSVs
//! are refused with the row and the column named. Fixed seeds throughout.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use serde_json::Value;

use crate::util::{Dir, root};

/// The true levels and month-to-month scatter of a generated history.
#[derive(Clone, Copy)]
struct Truth {
    cpr: f64,
    fcr: f64,
    cv: f64,
}

/// One segment's truth: retention, ARPU, share of new payers, payers the
/// month before the first row.
#[derive(Clone)]
struct SegTruth {
    name: &'static str,
    retention: f64,
    arpu: f64,
    share: f64,
    start: f64,
}

/// A lognormal factor of mean 1 and coefficient of variation `cv`.
fn noise(rng: &mut impl Rng, cv: f64) -> f64 {
    let s2 = (1.0 + cv * cv).ln();
    let z: f64 = rand_distr::Distribution::sample(&rand_distr::StandardNormal, rng);
    (z * s2.sqrt() - 0.5 * s2).exp()
}

/// `months` of history by the model's own recursion (docs/model.md): every
/// input at its level times a month's noise of coefficient of variation
/// `t.cv`, spend growing 2% a month. With several segments, the segment
/// columns too.
fn generate(t: Truth, segs: &[SegTruth], months: usize, seed: u64) -> String {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut header = "month,marketing_spend,registrations,new_payers,payers,revenue".to_string();
    if segs.len() > 1 {
        for s in segs {
            header.push_str(&format!(",payers_{0},new_payers_{0},revenue_{0}", s.name));
        }
    }
    let mut out = vec![header];
    let mut payers: Vec<f64> = segs.iter().map(|s| s.start).collect();
    for m in 0..months {
        let spend = 2_000_000.0 * 1.02f64.powi(m as i32);
        let cpr = t.cpr * noise(&mut rng, t.cv);
        let fcr = t.fcr * noise(&mut rng, t.cv);
        let reg = spend / cpr;
        let new = reg * fcr;
        let mut cells = Vec::new();
        let (mut total, mut revenue) = (0.0, 0.0);
        for (i, s) in segs.iter().enumerate() {
            let r = (s.retention * noise(&mut rng, t.cv)).min(1.0);
            let arpu = s.arpu * noise(&mut rng, t.cv);
            let seg_new = new * s.share;
            payers[i] = payers[i] * r + seg_new;
            total += payers[i];
            revenue += payers[i] * arpu;
            cells.push(format!("{},{},{}", payers[i], seg_new, payers[i] * arpu));
        }
        let year = 2010 + m / 12;
        let mut row = format!(
            "{year}-{:02},{spend},{reg},{new},{total},{revenue}",
            m % 12 + 1
        );
        if segs.len() > 1 {
            row.push(',');
            row.push_str(&cells.join(","));
        }
        out.push(row);
    }
    out.join("\n") + "\n"
}

fn all_segment() -> Vec<SegTruth> {
    vec![SegTruth {
        name: "all",
        retention: 0.52,
        arpu: 800.0,
        share: 1.0,
        start: 20_000.0,
    }]
}

fn bigr_segments() -> Vec<SegTruth> {
    vec![
        SegTruth {
            name: "big_r",
            retention: 0.62,
            arpu: 3000.0,
            share: 0.2,
            start: 4_000.0,
        },
        SegTruth {
            name: "regular",
            retention: 0.49,
            arpu: 200.0,
            share: 0.8,
            start: 17_000.0,
        },
    ]
}

fn plan(name: &str) -> String {
    root()
        .join("scenarios")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn input<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == path)
        .unwrap_or_else(|| panic!("no input {path} in {report}"))
}

/// Checks one fitted input against its truth: the mean within 4 standard
/// errors of the mean of n ratios (level × cv / √n), the noise's coefficient
/// of variation within 4 standard errors of a sample sd (cv / √(2 (n - 1))),
/// and the distribution's sd equal, by definition, to the ratios' sd over √n.
fn check_recovered(report: &Value, path: &str, level: f64, cv: f64) {
    let i = input(report, path);
    let n = i["months"].as_f64().unwrap();
    let mean = i["mean"].as_f64().unwrap();
    let noise_cv = i["noise_cv"].as_f64().unwrap();
    let sd = i["sd"].as_f64().unwrap();
    let se_mean = level * cv / n.sqrt();
    assert!(
        (mean - level).abs() < 4.0 * se_mean,
        "{path}: fitted mean {mean}, truth {level} ± {se_mean}"
    );
    let se_cv = cv / (2.0 * (n - 1.0)).sqrt();
    assert!(
        (noise_cv - cv).abs() < 4.0 * se_cv,
        "{path}: fitted noise_cv {noise_cv}, truth {cv} ± {se_cv}"
    );
    let expected_sd = noise_cv * mean / n.sqrt();
    assert!(
        (sd - expected_sd).abs() < 1e-9 * expected_sd,
        "{path}: sd {sd} is not the ratios' sd over sqrt(n) = {expected_sd}"
    );
}

/// `kpisim fit history.csv` onto the scenario `plan`, its JSON report; the
/// fitted scenario in `fitted.toml`.
fn fit_json(dir: &Dir, plan_file: &str) -> Value {
    dir.run(&[
        "fit",
        "history.csv",
        "--plan",
        &plan(plan_file),
        "-o",
        "fitted.toml",
        "--format",
        "json",
    ])
    .json()
}

const TRUTH: Truth = Truth {
    cpr: 6.0,
    fcr: 0.02,
    cv: 0.06,
};

#[test]
fn fit_recovers_the_parameters_of_a_history_the_model_generated() {
    let dir = Dir::new();
    let segs = all_segment();
    dir.create("history.csv", &generate(TRUTH, &segs, 60, 11));
    let report = fit_json(&dir, "shandian-2016.toml");
    assert_eq!(report["months"], 60);
    check_recovered(&report, "acquisition.cost_per_registration", 6.0, 0.06);
    check_recovered(&report, "acquisition.first_charge_rate", 0.02, 0.06);
    check_recovered(&report, "segments.all.retention", 0.52, 0.06);
    check_recovered(&report, "segments.all.arpu", 800.0, 0.06);
    assert_eq!(input(&report, "segments.all.retention")["months"], 59);
    assert_eq!(
        input(&report, "acquisition.first_charge_rate")["dist"],
        "beta"
    );
    assert_eq!(input(&report, "segments.all.arpu")["dist"], "lognormal");
    // The fitted file is a scenario `run` accepts, starting from the last
    // month's payers.
    let text = std::fs::read_to_string(dir.path("fitted.toml")).unwrap();
    assert!(text.starts_with("# Fitted by kpisim"), "{text}");
    let last: f64 = std::fs::read_to_string(dir.path("history.csv"))
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .split(',')
        .nth(4)
        .unwrap()
        .parse()
        .unwrap();
    let start = report["start_payers"][0]["start_payers"].as_f64().unwrap();
    assert_eq!(start, last);
    let run = dir
        .run(&["run", "fitted.toml", "-n", "2000", "--format", "json"])
        .json();
    assert_eq!(run["months"], 12);
}

#[test]
fn fit_recovers_each_segment_from_its_own_columns() {
    let dir = Dir::new();
    let segs = bigr_segments();
    dir.create("history.csv", &generate(TRUTH, &segs, 60, 12));
    let report = fit_json(&dir, "shandian-2016-bigr.toml");
    for s in &segs {
        check_recovered(
            &report,
            &format!("segments.{}.retention", s.name),
            s.retention,
            0.06,
        );
        check_recovered(&report, &format!("segments.{}.arpu", s.name), s.arpu, 0.06);
    }
    check_recovered(&report, "acquisition.cost_per_registration", 6.0, 0.06);
    // The plan's stress cases and shares are kept.
    let text = std::fs::read_to_string(dir.path("fitted.toml")).unwrap();
    assert!(text.contains("[[stress]]"), "{text}");
    dir.run(&["stress", "fitted.toml", "-n", "2000"]).ok();
}

/// Over many histories the model generated, the held-out months fall inside
/// the fitted P5-P95 about 90% of the time and inside P25-P75 about half of
/// the time.
#[test]
fn the_backtest_covers_held_out_months_near_the_nominal_rate() {
    let dir = Dir::new();
    let segs = all_segment();
    let (mut in90, mut in50, mut n) = (0.0, 0.0, 0.0);
    for seed in 0..24 {
        dir.create("h.csv", &generate(TRUTH, &segs, 30, 100 + seed));
        let report = dir
            .run(&[
                "fit",
                "h.csv",
                "--plan",
                &plan("shandian-2016.toml"),
                "-o",
                "f.toml",
                "--holdout",
                "4",
                "-n",
                "20000",
                "--format",
                "json",
            ])
            .json();
        let h = &report["holdout"];
        assert_eq!(h["months"], 4);
        assert_eq!(h["fitted_on"]["months"], 26);
        let values = h["values"].as_array().unwrap();
        assert_eq!(values.len(), 16);
        let k = values.len() as f64;
        in90 += h["coverage"]["p5_p95"].as_f64().unwrap() * k;
        in50 += h["coverage"]["p25_p75"].as_f64().unwrap() * k;
        n += k;
        // The coverage is the share of the listed values inside the bands.
        let inside = values
            .iter()
            .filter(|v| {
                v["p5"].as_f64() <= v["actual"].as_f64()
                    && v["actual"].as_f64() <= v["p95"].as_f64()
            })
            .count() as f64;
        assert_eq!(inside / k, h["coverage"]["p5_p95"].as_f64().unwrap());
    }
    let (c90, c50) = (in90 / n, in50 / n);
    // Values of one month share its draws, so the 384 values count as far
    // fewer independent ones: the tolerances allow for it.
    assert!((c90 - 0.90).abs() < 0.07, "P5-P95 coverage {c90}");
    assert!((c50 - 0.50).abs() < 0.12, "P25-P75 coverage {c50}");
}

/// The run JSON of the default plan, with 20,000 trials.
fn plan_run(dir: &Dir) -> Value {
    dir.run(&[
        "run",
        &plan("shandian-2016.toml"),
        "-n",
        "20000",
        "--format",
        "json",
    ])
    .json()
}

/// Actuals of the first `k` months: each metric at the plan's median times
/// `factor`, spend as budgeted.
fn actuals_at_median(run: &Value, k: usize, factor: f64) -> String {
    let budget = [
        2_430_000, 4_310_000, 5_680_000, 6_590_000, 7_070_000, 7_200_000, 7_270_000, 7_330_000,
        7_400_000, 7_470_000, 7_530_000, 7_600_000,
    ];
    let mut out = vec!["month,marketing_spend,registrations,new_payers,payers,revenue".to_string()];
    for (m, month) in run["monthly"].as_array().unwrap()[..k].iter().enumerate() {
        let p50 = |k: &str| month[k]["p50"].as_f64().unwrap();
        out.push(format!(
            "2016-{:02},{},{},{},{},{}",
            m + 1,
            budget[m],
            p50("registrations"),
            p50("new_payers") * factor,
            p50("payers") * factor,
            p50("revenue") * factor * factor
        ));
    }
    out.join("\n") + "\n"
}

fn track(dir: &Dir) -> Value {
    dir.run(&[
        "track",
        &plan("shandian-2016.toml"),
        "--actuals",
        "actuals.csv",
        "-n",
        "20000",
        "--format",
        "json",
    ])
    .json()
}

/// `track` on `k` months of actuals at the plan's median times `factor`
/// (written to `actuals.csv`).
fn track_at_median(dir: &Dir, run: &Value, k: usize, factor: f64) -> Value {
    dir.create("actuals.csv", &actuals_at_median(run, k, factor));
    track(dir)
}

#[test]
fn track_on_the_plans_median_path_warns_of_nothing() {
    let dir = Dir::new();
    let run = plan_run(&dir);
    let t = track_at_median(&dir, &run, 3, 1.0);
    assert_eq!(t["months_actual"], 3);
    assert_eq!(t["warnings"].as_array().unwrap().len(), 0, "{t}");
    // The plan's probability is the run's, on the same trials and seed.
    assert_eq!(t["plan_probability"], run["probability"]);
    // Actual months count exactly: revenue summed, profit by the recursion
    // from the actual spend and the scenario's costs.
    let rows: Vec<Vec<f64>> = dir_rows(&dir);
    let revenue: f64 = rows.iter().map(|r| r[4]).sum();
    let profit: f64 = rows.iter().map(|r| r[4] * 0.30 - r[0] - 3_000_000.0).sum();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0);
    assert!(
        close(t["actual"]["revenue"].as_f64().unwrap(), revenue),
        "{t}"
    );
    assert!(
        close(t["actual"]["profit"].as_f64().unwrap(), profit),
        "{t}"
    );
    let needed = t["needed"]["revenue_per_month"].as_f64().unwrap();
    assert!(close(needed, (450e6 - revenue) / 9.0), "{needed}");
}

/// The numeric cells of `actuals.csv`, without the month.
fn dir_rows(dir: &Dir) -> Vec<Vec<f64>> {
    std::fs::read_to_string(dir.path("actuals.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').skip(1).map(|c| c.parse().unwrap()).collect())
        .collect()
}

#[test]
fn a_bad_quarter_lowers_the_probabilities_and_warns() {
    let dir = Dir::new();
    let run = plan_run(&dir);
    let t = track_at_median(&dir, &run, 3, 0.75);
    for target in ["revenue", "profit", "both"] {
        let now = t["probability"][target].as_f64().unwrap();
        let before = t["plan_probability"][target].as_f64().unwrap();
        let se = t["standard_error"][target].as_f64().unwrap()
            + t["plan_standard_error"][target].as_f64().unwrap();
        assert!(
            now < before - 5.0 * se,
            "{target}: {now} after a bad quarter, {before} before"
        );
    }
    let warnings = t["warnings"].as_array().unwrap();
    assert!(!warnings.is_empty(), "{t}");
    assert!(warnings.iter().all(|w| w["side"] == "below"), "{t}");
    assert!(warnings.iter().any(|w| w["metric"] == "revenue"), "{t}");
}

#[test]
fn with_every_month_actual_each_probability_is_exactly_0_or_1() {
    let dir = Dir::new();
    let run = plan_run(&dir);
    for (factor, hit) in [(1.05, 1.0), (0.9, 0.0)] {
        let t = track_at_median(&dir, &run, 12, factor);
        let revenue = t["actual"]["revenue"].as_f64().unwrap();
        assert_eq!(revenue >= 450e6, hit == 1.0, "{t}");
        assert_eq!(t["probability"]["revenue"], hit, "{t}");
        for target in ["revenue", "profit", "both"] {
            let p = t["probability"][target].as_f64().unwrap();
            assert!(p == 0.0 || p == 1.0, "{target}: {p}");
            assert_eq!(t["standard_error"][target], 0.0);
        }
        assert_eq!(t["needed"]["revenue_per_month"], Value::Null);
    }
}

#[test]
fn track_refuses_months_that_are_not_the_scenarios() {
    let dir = Dir::new();
    let run = plan_run(&dir);
    let text = actuals_at_median(&run, 3, 1.0).replace("2016-0", "2015-0");
    dir.create("actuals.csv", &text);
    dir.run(&[
        "track",
        &plan("shandian-2016.toml"),
        "--actuals",
        "actuals.csv",
        "-n",
        "1000",
    ])
    .code(2)
    .stderr_has(&["actuals.csv: row 1, column month", "2016-01"]);
}

/// A valid three-month history to break one cell at a time.
const GOOD: &str = "month,marketing_spend,registrations,new_payers,payers,revenue
2015-01,1500000,250000,5000,10000,8000000
2015-02,1600000,260000,5200,10400,8300000
2015-03,1700000,270000,5400,10800,8600000
";

#[test]
fn bad_histories_are_refused_with_the_row_and_the_column() {
    let cases: [(&str, String, &[&str]); 11] = [
        (
            "missing column",
            GOOD.replace(",revenue", ",revenu"),
            &["header, column revenue", "no such column"],
        ),
        (
            "empty cell",
            GOOD.replace("5200,10400", ",10400"),
            &["row 2, column new_payers", "empty"],
        ),
        (
            "not a number",
            GOOD.replace("8300000", "8.3M"),
            &["row 2, column revenue", "\"8.3M\"", "not a number"],
        ),
        (
            "gap",
            GOOD.replace("2015-02", "2015-04")
                .replace("2015-03", "2015-05"),
            &["row 2, column month", "2015-02 is missing"],
        ),
        (
            "repeat",
            GOOD.replace("2015-03", "2015-02"),
            &["row 3, column month", "repeats"],
        ),
        (
            "too few rows",
            GOOD.lines().take(3).collect::<Vec<_>>().join("\n") + "\n",
            &["2 data row(s)", "at least 3"],
        ),
        (
            "first-charge rate above 1",
            GOOD.replace("260000,5200", "5000,5200"),
            &["row 2, column new_payers", "first-charge rate", "0..1"],
        ),
        (
            "retention above 1",
            GOOD.replace("5400,10800", "100,10800"),
            &["row 3, column payers", "retention", "0..1"],
        ),
        (
            "cost per registration of 0",
            GOOD.replace("1600000,", "0,"),
            &[
                "row 2, column marketing_spend",
                "cost per registration",
                "above 0",
            ],
        ),
        (
            "a row short of cells",
            GOOD.replace("5400,10800,8600000", "5400,10800"),
            &["row 3:", "5 cells, and the header has 6"],
        ),
        (
            "negative cell",
            GOOD.replace("10800", "-10800"),
            &["row 3, column payers", "0 or more"],
        ),
    ];
    for (what, text, pieces) in cases {
        let dir = Dir::new();
        dir.create("h.csv", &text);
        let run = dir.run(&[
            "fit",
            "h.csv",
            "--plan",
            &plan("shandian-2016.toml"),
            "-o",
            "fitted.toml",
        ]);
        assert_eq!(
            run.output.status.code(),
            Some(2),
            "{what}: {}",
            run.stderr()
        );
        let run = run.stderr_has(pieces);
        assert!(run.stdout().is_empty(), "{what}: wrote a report");
        assert_eq!(dir.files(), vec!["h.csv"], "{what}: left a file behind");
    }
}

#[test]
fn a_plan_with_segments_needs_their_columns() {
    let dir = Dir::new();
    dir.create("h.csv", GOOD);
    dir.run(&[
        "fit",
        "h.csv",
        "--plan",
        &plan("shandian-2016-bigr.toml"),
        "-o",
        "fitted.toml",
    ])
    .code(2)
    .stderr_has(&[
        "header, column payers_big_r",
        "header, column revenue_regular",
        "the plan has segments big_r, regular",
    ]);
    assert_eq!(dir.files(), vec!["h.csv"]);
}

#[test]
fn holdout_must_leave_three_months_to_fit() {
    let dir = Dir::new();
    dir.create("h.csv", GOOD);
    dir.run(&[
        "fit",
        "h.csv",
        "--plan",
        &plan("shandian-2016.toml"),
        "-o",
        "fitted.toml",
        "--holdout",
        "1",
    ])
    .code(2)
    .stderr_has(&["--holdout 1", "h.csv has 3 months"]);
    assert_eq!(dir.files(), vec!["h.csv"]);
}

#[test]
fn the_shipped_history_fits_and_agrees_with_the_source_figures() {
    let dir = Dir::new();
    let history = plan("history-2015.csv");
    let text = std::fs::read_to_string(&history).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 12);
    let revenue: f64 = rows.iter().map(|r| r[5].parse::<f64>().unwrap()).sum();
    assert!(
        (revenue / 150e6 - 1.0).abs() < 0.05,
        "2015 revenue {revenue}"
    );
    let december: f64 = rows[11][4].parse().unwrap();
    assert!(
        (december / 21_700.0 - 1.0).abs() < 0.02,
        "December payers {december}"
    );
    let report = dir
        .run(&[
            "fit",
            &history,
            "--plan",
            &plan("shandian-2016.toml"),
            "-o",
            "fitted.toml",
            "--holdout",
            "3",
            "-n",
            "20000",
            "--format",
            "json",
        ])
        .json();
    assert_eq!(report["start_payers"][0]["start_payers"], december);
    assert_eq!(report["holdout"]["values"].as_array().unwrap().len(), 12);
}

/// The rest of a year, started from the plan's own payers at month k, is
/// the plan's months k+1.. exactly: slicing keeps schedules, profiles and
/// shocks in their months (the big-R plan has a shock and two segments).
#[test]
fn the_rest_of_the_year_from_the_plans_payers_is_the_plans_rest() {
    use kpisim::model::Model;
    use kpisim::scenario::{Targets, from_bytes};
    let text = std::fs::read_to_string(root().join("scenarios/shandian-2016-bigr.toml")).unwrap();
    let mut l = from_bytes("b.toml", text.as_bytes()).unwrap();
    // A shock late in the year, so that slicing has one to move.
    l.scenario.shocks.push(kpisim::scenario::Shock {
        month: 8,
        segment: 0,
        loss: 0.2,
    });
    let plan = Model::compile(&l.scenario).point_plan();
    for k in [1, 3, 7, 11] {
        let payers: Vec<f64> = plan.segments.iter().map(|s| s.payers[k - 1]).collect();
        let rest = l.scenario.rest_after(
            k,
            &payers,
            Targets {
                revenue: 1.0,
                profit: 1.0,
            },
        );
        assert_eq!(rest.months, 12 - k);
        assert_eq!(rest.month_label(1), l.scenario.month_label(k + 1));
        let tail = Model::compile(&rest).point_plan();
        for (m, got) in tail.monthly.iter().enumerate() {
            let want = &plan.monthly[k + m];
            for (a, b) in [
                (got.revenue, want.revenue),
                (got.profit, want.profit),
                (got.payers, want.payers),
                (got.registrations, want.registrations),
            ] {
                assert!(
                    (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                    "k {k}, month {}: {a} vs {b}",
                    k + m + 1
                );
            }
        }
    }
}
