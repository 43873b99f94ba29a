//! Big-R payers: the segmented scenario's calibration, stress tests on
//! common random numbers, and overrides by path.
//!
//! What it pins: in `scenarios/shandian-2016-bigr.toml` big R are a fifth
//! of payers and bring four fifths of revenue, and its point plan stays
//! within 2% of the one-segment plan; a stress case that changes nothing
//! gives exactly the baseline, lower big-R retention never raises a
//! probability, and `stress` costs one run a case on the same draws;
//! `scale` from a month equals the same change written as a profile, and
//! `from` without `scale` or on a parameter is refused; `check` prints what
//! each case changes; a sweep of big-R retention is monotone and finds its
//! crossing, and a budget multiplier of 1 is the scenario as written; bad
//! paths and values in cases and sweeps are refused; the JSON of `stress`
//! and the KPI sheet follow docs/output.md and their definitions.

use kpisim::analysis::stress_report;
use kpisim::engine::Config;
use kpisim::scenario::{Loaded, from_bytes, load};

use crate::util::{Dir, root};

fn bigr() -> Loaded {
    load(&root().join("scenarios/shandian-2016-bigr.toml")).expect("big-R scenario")
}

fn bigr_text() -> String {
    std::fs::read_to_string(root().join("scenarios/shandian-2016-bigr.toml")).unwrap()
}

#[test]
fn big_r_are_a_fifth_of_payers_and_bring_four_fifths_of_revenue() {
    let plan = kpisim::model::Model::compile(&bigr().scenario).point_plan();
    let big = &plan.segments[0];
    assert_eq!(big.name, "big_r");
    assert!(
        (big.payer_share - 0.20).abs() < 0.01,
        "payer share {}",
        big.payer_share
    );
    assert!(
        (big.revenue_share - 0.80).abs() < 0.01,
        "revenue share {}",
        big.revenue_share
    );
    // Every month, not just the year: between 18% and 22% of payers.
    for (m, (p, total)) in big.payers.iter().zip(&plan.monthly).enumerate() {
        let share = p / total.payers;
        assert!((0.18..=0.22).contains(&share), "month {}: {share}", m + 1);
    }
}

#[test]
fn the_big_r_plan_stays_within_2_percent_of_the_one_segment_plan() {
    let one = load(&root().join("scenarios/shandian-2016.toml")).unwrap();
    let a = kpisim::model::Model::compile(&one.scenario)
        .point_plan()
        .annual;
    let b = kpisim::model::Model::compile(&bigr().scenario)
        .point_plan()
        .annual;
    assert!(
        (b.revenue / a.revenue - 1.0).abs() <= 0.02,
        "{} vs {}",
        b.revenue,
        a.revenue
    );
    assert!(
        (b.profit / a.profit - 1.0).abs() <= 0.02,
        "{} vs {}",
        b.profit,
        a.profit
    );
}

/// The big-R scenario with `cases` as its only stress cases.
fn with_cases(cases: &str) -> Loaded {
    let text = bigr_text();
    let base = &text[..text.find("[[stress]]").unwrap()];
    from_bytes("bigr.toml", format!("{base}\n{cases}").as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_no_op_stress_case_gives_exactly_the_baseline() {
    let l = with_cases(
        "[[stress]]\nname = \"same\"\nset = { \"segments.big_r.retention.mean\" = 0.62, \"targets.revenue\" = 450_000_000 }\n",
    );
    let r = stress_report(&l, &[], &Config::new(50_000, 3, 2)).unwrap();
    let (base, same) = (&r.cases[0], &r.cases[1]);
    assert_eq!(same.probability, base.probability);
    assert_eq!(same.annual, base.annual);
    assert_eq!(
        [same.change.revenue, same.change.profit, same.change.both],
        [0.0; 3]
    );
    assert_eq!(same.change_standard_error.both, 0.0);
}

#[test]
fn lowering_big_r_retention_never_raises_the_probabilities() {
    let cases: String = [0.60, 0.58, 0.55, 0.50]
        .iter()
        .map(|m| format!("[[stress]]\nname = \"retention {m}\"\nset = {{ \"segments.big_r.retention.mean\" = {m} }}\n"))
        .collect();
    let r = stress_report(&with_cases(&cases), &[], &Config::new(100_000, 5, 2)).unwrap();
    for w in r.cases.windows(2) {
        let (hi, lo) = (&w[0], &w[1]);
        for (a, b) in [
            (hi.probability.both, lo.probability.both),
            (hi.probability.revenue, lo.probability.revenue),
            (hi.probability.profit, lo.probability.profit),
        ] {
            assert!(b <= a, "{} -> {}: {a} -> {b}", hi.name, lo.name);
        }
    }
    // Paired on the same draws, a change is measured more sharply than by
    // two independent runs: sqrt(se_base² + se_case²).
    let base = &r.cases[0];
    for c in &r.cases[1..] {
        let unpaired = (base.standard_error.both.powi(2) + c.standard_error.both.powi(2)).sqrt();
        assert!(c.change.both < 0.0, "{}", c.name);
        assert!(
            c.change_standard_error.both < unpaired,
            "{}: {} vs {unpaired}",
            c.name,
            c.change_standard_error.both
        );
    }
}

#[test]
fn stress_costs_one_run_per_case_on_the_same_draws() {
    // The baseline row equals a plain run with the same seed.
    let l = bigr();
    let r = stress_report(
        &l,
        &["big-R exodus".to_string()],
        &Config::new(20_000, 9, 2),
    )
    .unwrap();
    let plain = kpisim::analysis::simulate(&l, &Config::new(20_000, 9, 2))
        .unwrap()
        .summary;
    assert_eq!(r.cases.len(), 2);
    assert_eq!(r.cases[0].probability, plain.probability);
    assert_eq!(r.cases[1].name, "big-R exodus");
    assert!(r.cases[1].change.both < 0.0);
}

#[test]
fn stress_json_follows_the_contract() {
    let dir = Dir::new();
    dir.create("b.toml", &bigr_text());
    let j = dir
        .run(&["stress", "b.toml", "-n", "5000", "-f", "json"])
        .json();
    assert_eq!(j["trials"], 5000);
    assert_eq!(j["seed"], 7);
    let cases = j["cases"].as_array().unwrap();
    let names: Vec<&str> = cases.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "baseline",
            "big-R exodus",
            "big-R retention drop",
            "big-R spending cut",
            "big-R spending cut from July",
            "cost per registration inflation",
            "first-charge rate drop",
            "combined bad year"
        ]
    );
    for c in cases {
        for k in [
            "probability",
            "standard_error",
            "change",
            "change_standard_error",
        ] {
            for t in ["revenue", "profit", "both"] {
                assert!(c[k][t].is_f64(), "{}: {k}.{t}", c["name"]);
            }
        }
        for m in ["revenue", "profit"] {
            for p in ["p5", "p50"] {
                assert!(c["annual"][m][p].is_f64(), "{}: annual.{m}.{p}", c["name"]);
            }
        }
    }
    let table = dir
        .run(&[
            "stress",
            "b.toml",
            "-n",
            "5000",
            "--case",
            "big-R spending cut",
        ])
        .ok();
    assert!(
        table.contains("big-R spending cut") && !table.contains("exodus"),
        "{table}"
    );
    let csv = dir
        .run(&["stress", "b.toml", "-n", "5000", "-f", "csv"])
        .ok();
    assert!(csv.starts_with("case,p_revenue,p_profit,p_both,"), "{csv}");
    assert_eq!(csv.lines().count(), 9);
}

#[test]
fn bad_paths_and_values_in_stress_cases_are_refused() {
    let text = bigr_text();
    let dir = Dir::new();
    let cases = [
        (
            "\"segments.whales.retention.mean\" = 0.5",
            "no segment is named \"whales\"",
        ),
        ("\"costs.bonus\" = 1", "not a path"),
        ("\"segments.big_r.retention.shape\" = 1", "not a parameter"),
        ("\"targets.revenue\" = \"lots\"", "takes a number"),
        (
            "\"segments.big_r.retention.sd\" = 0.9",
            "beta sd must be below",
        ),
    ];
    for (set, rule) in cases {
        let bad = text.replacen(
            "set = { \"segments.big_r.retention.mean\" = 0.55 }",
            &format!("set = {{ {set} }}"),
            1,
        );
        assert_ne!(bad, text);
        dir.create("bad.toml", &bad);
        let path = set.split('"').nth(1).unwrap();
        dir.run(&["stress", "bad.toml", "-n", "1000"])
            .code(2)
            .stderr_has(&["bad.toml:", "stress[1].set", path, rule]);
        // `check` refuses it too, before anything runs.
        dir.run(&["check", "bad.toml"]).code(2).stderr_has(&[path]);
    }
    dir.create("b.toml", &text);
    dir.run(&["stress", "b.toml", "--case", "meteor strike"])
        .code(2)
        .stderr_has(&["\"meteor strike\"", "big-R exodus"]);
}

#[test]
fn a_sweep_of_big_r_retention_is_monotone_and_finds_its_crossing() {
    let dir = Dir::new();
    dir.create("b.toml", &bigr_text());
    let j = dir
        .run(&[
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
            "0.9",
            "-n",
            "40000",
            "-f",
            "json",
        ])
        .json();
    assert_eq!(j["path"], "segments.big_r.retention.mean");
    let points = j["points"].as_array().unwrap();
    let values: Vec<f64> = points
        .iter()
        .map(|p| p["value"].as_f64().unwrap())
        .collect();
    assert_eq!(values, [0.5, 0.55, 0.6, 0.65, 0.7]);
    let both: Vec<f64> = points
        .iter()
        .map(|p| p["probability"]["both"].as_f64().unwrap())
        .collect();
    // Same draws at every step: higher retention never lowers a probability.
    assert!(both.windows(2).all(|w| w[0] <= w[1]), "{both:?}");
    let cross = j["crossings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["target"] == "both" && c["level"] == 0.5)
        .unwrap();
    let v = cross["value"]
        .as_f64()
        .expect("P(both) crosses 50% inside the range");
    let i = both.iter().position(|p| *p >= 0.5).unwrap();
    assert!(
        values[i - 1] <= v && v <= values[i],
        "{v} outside its bracket"
    );
    let never = j["crossings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["target"] == "both" && c["level"] == 0.9)
        .unwrap();
    assert!(never["value"].is_null(), "{never}");
}

#[test]
fn a_budget_multiplier_of_1_is_the_scenario_as_written() {
    let l = bigr();
    let cfg = Config::new(20_000, 4, 2);
    let r = kpisim::analysis::sweep_report(&l, "marketing.budget", &[0.8, 1.0, 1.2], &[0.5], &cfg)
        .unwrap();
    let plain = kpisim::analysis::simulate(&l, &cfg).unwrap().summary;
    assert_eq!(r.points[1].probability, plain.probability);
    // A whole input as a multiplier: ARPU x 1 is the baseline, x 1.1 more revenue.
    let a = kpisim::analysis::sweep_report(&l, "segments.big_r.arpu", &[1.0, 1.1], &[0.5], &cfg)
        .unwrap();
    assert_eq!(a.points[0].probability, plain.probability);
    assert!(a.points[1].probability.revenue > plain.probability.revenue);
    let plan = kpisim::model::Model::compile(&l.with_value("segments.big_r.arpu", 1.1).unwrap())
        .point_plan();
    let base = kpisim::model::Model::compile(&l.scenario).point_plan();
    let big = |p: &kpisim::model::PointPlan| p.segments[0].revenue.iter().sum::<f64>();
    assert!((big(&plan) / big(&base) - 1.1).abs() < 1e-12);
}

#[test]
fn sweep_refuses_bad_paths_and_values() {
    let dir = Dir::new();
    dir.create("b.toml", &bigr_text());
    let sweep = |path: &str, from: &str| {
        dir.run(&[
            "sweep", "b.toml", "--set", path, "--from", from, "--to", "0.7", "-n", "1000",
        ])
    };
    sweep("segments.whales.retention.mean", "0.5")
        .code(2)
        .stderr_has(&["segments.whales.retention.mean", "no segment"]);
    sweep("segments.big_r.retention.sd", "0.5")
        .code(2)
        .stderr_has(&["segments.big_r.retention.sd", "beta sd"]);
    sweep("costs.creator_share", "-0.5")
        .code(2)
        .stderr_has(&["costs.creator_share", "between 0 and 1"]);
    sweep("acquisition.cost_per_registration", "0")
        .code(2)
        .stderr_has(&["above 0"]);
    dir.run(&[
        "sweep",
        "b.toml",
        "--set",
        "targets.revenue",
        "--from",
        "1",
        "--to",
        "2",
        "--steps",
        "1",
    ])
    .code(2)
    .stderr_has(&["--steps 1"]);
}

#[test]
fn the_kpi_sheet_follows_the_contract_and_the_definitions() {
    let dir = Dir::new();
    dir.create("b.toml", &bigr_text());
    let j = dir
        .run(&[
            "kpis",
            "b.toml",
            "-n",
            "20000",
            "--confidence",
            "0.9",
            "-f",
            "json",
        ])
        .json();
    assert_eq!(j["trials"], 20000);
    let monthly = j["monthly"].as_array().unwrap();
    assert_eq!(monthly.len(), 12);
    let plan = kpisim::model::Model::compile(&bigr().scenario).point_plan();
    for (m, month) in monthly.iter().enumerate() {
        for k in [
            "spend",
            "registrations",
            "new_payers",
            "old_payers",
            "payers",
            "arpu",
            "revenue",
            "profit",
        ] {
            for q in ["plan", "p10", "p50", "p90", "at_confidence"] {
                assert!(month[k][q].is_f64(), "month {}: {k}.{q}", m + 1);
            }
            // Reached with 90% confidence: the 10th percentile.
            assert_eq!(month[k]["at_confidence"], month[k]["p10"], "{k}");
            assert!(month[k]["p10"].as_f64() <= month[k]["p50"].as_f64());
            assert!(month[k]["p50"].as_f64() <= month[k]["p90"].as_f64());
        }
        for seg in ["big_r", "regular"] {
            for k in ["payers", "revenue"] {
                assert!(
                    month["segments"][seg][k]["p50"].is_f64(),
                    "month {}: {seg}.{k}",
                    m + 1
                );
            }
        }
        let p = &plan.monthly[m];
        assert_eq!(month["revenue"]["plan"].as_f64().unwrap(), p.revenue);
        assert_eq!(month["arpu"]["plan"].as_f64().unwrap(), p.arpu);
        assert_eq!(month["spend"]["p10"].as_f64().unwrap(), p.marketing);
        assert_eq!(
            month["segments"]["big_r"]["payers"]["plan"]
                .as_f64()
                .unwrap(),
            plan.segments[0].payers[m]
        );
    }
    let csv = dir.run(&["kpis", "b.toml", "-n", "2000", "-f", "csv"]).ok();
    assert!(
        csv.starts_with("scenario,month,label,department,metric,plan,p10,p50,p90,at_confidence"),
        "{csv}"
    );
    assert!(csv.contains(",content,big_r.payers,"), "{csv}");
    dir.run(&["kpis", "b.toml", "--confidence", "1.5"])
        .code(2)
        .stderr_has(&["--confidence 1.5"]);
}

#[test]
fn a_scale_from_a_month_equals_the_same_change_written_as_a_profile() {
    // "Big-R ARPU -30% from July" with scale and from, and by hand: the
    // ARPU table with its profile multiplied by 0.7 from month 7 (each
    // product written as Rust prints it, so that it reads back the same).
    let profile = [
        1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0625, 1.1, 1.1375, 1.175, 1.2125, 1.25,
    ];
    let hand: Vec<String> = profile
        .iter()
        .enumerate()
        .map(|(m, p)| format!("{:?}", if m >= 6 { p * 0.7 } else { *p }))
        .collect();
    let hand_profile = format!("[{}]", hand.join(", "));
    let l = with_cases(&format!(
        "[[stress]]\nname = \"scaled\"\nscale = {{ \"segments.big_r.arpu\" = 0.7 }}\nfrom = 7\n\
         [[stress]]\nname = \"by hand\"\nset = {{ \"segments.big_r.arpu\" = {{ dist = \"lognormal\", mean = 3_220, sd = 480, noise_cv = 0.08, profile = {hand_profile} }} }}\n\
         [[stress]]\nname = \"schedule\"\nscale = {{ \"marketing.budget\" = 1.2 }}\nfrom = 10\n"
    ));
    let r = stress_report(&l, &[], &Config::new(50_000, 11, 2)).unwrap();
    let (scaled, by_hand) = (&r.cases[1], &r.cases[2]);
    assert_eq!(scaled.probability, by_hand.probability);
    assert_eq!(scaled.annual, by_hand.annual);
    assert!(scaled.change.both < 0.0);
    // A budget schedule scaled from October keeps January to September.
    let budget = &l.cases[2].budget;
    assert_eq!(budget[..9], l.scenario.budget[..9]);
    for (case, base) in budget[9..].iter().zip(&l.scenario.budget[9..]) {
        assert!((case - 1.2 * base).abs() < 1e-6);
    }
}

#[test]
fn check_prints_what_each_stress_case_changes() {
    let dir = Dir::new();
    let text = bigr_text();
    let base = &text[..text.find("[[stress]]").unwrap()];
    dir.create(
        "b.toml",
        &format!(
            "{base}\n[[stress]]\nname = \"fixed by mistake\"\nset = {{ \"segments.big_r.arpu\" = 0.7 }}\n\
             [[stress]]\nname = \"from july\"\nscale = {{ \"segments.big_r.arpu\" = 0.7 }}\nfrom = 7\n\
             shocks = [{{ month = 4, segment = \"big_r\", loss = 0.33 }}]\n"
        ),
    );
    let out = dir.run(&["check", "b.toml"]).ok();
    for piece in [
        "b.toml: ok (Shandian Live 2016, big-R split, 12 months, 2 segments, 2 stress cases)",
        "stress case \"fixed by mistake\":",
        "segments.big_r.arpu: lognormal (mean 3220, sd 480, profile [12 numbers], noise_cv 0.08) -> fixed 0.7",
        "segments.big_r.arpu × 0.7 from month 7 (2016-07)",
        "shock: 33.0% of segment big_r lost in month 4",
    ] {
        assert!(out.contains(piece), "{piece:?} not in\n{out}");
    }
}

#[test]
fn from_without_scale_and_from_on_a_parameter_are_refused() {
    let dir = Dir::new();
    let text = bigr_text();
    let base = &text[..text.find("[[stress]]").unwrap()];
    dir.create(
        "b.toml",
        &format!(
            "{base}\n[[stress]]\nname = \"a\"\nfrom = 7\nset = {{ \"targets.revenue\" = 4e8 }}\n\
             [[stress]]\nname = \"b\"\nscale = {{ \"segments.big_r.arpu.mean\" = 0.7 }}\nfrom = 7\n\
             [[stress]]\nname = \"c\"\nscale = {{ \"marketing.budget\" = 1.1 }}\nfrom = 13\n"
        ),
    );
    dir.run(&["check", "b.toml"]).code(2).stderr_has(&[
        "stress[0].from = 7: stress case \"a\": `from` needs `scale`",
        "stress[1].scale.\"segments.big_r.arpu.mean\" = 0.7: stress case \"b\": `from` applies to schedules and whole uncertain inputs",
        // Outside the horizon, `from` is the mistake (issue 18).
        "stress[2].from = 13: stress case \"c\": `from` must be a month from 1 to 12",
    ]);
}
