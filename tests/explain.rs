//! `kpisim explain`: the shifts and PRIM's box recomputed from the run's
//! own `--trials-out` file by a plain implementation of their definitions
//! (full sorts, no selection), exactly; a constructed plan whose misses are
//! exactly the years below a threshold of one input, found within a peel;
//! the refusals; the same bytes for any thread count.

use polars_core::prelude::*;
use polars_io::prelude::*;
use serde_json::Value;

use crate::util::{Dir, default_scenario};

/// The default plan with only the first-charge rate uncertain (a uniform),
/// the retention fixed and ARPU a bare number: revenue then rises with the
/// rate alone, so a year misses the revenue target exactly when its rate
/// is below one threshold.
fn one_input_plan() -> String {
    default_scenario()
        .replace(
            r#"first_charge_rate = { dist = "beta", mean = 0.02, sd = 0.003 }"#,
            r#"first_charge_rate = { dist = "uniform", min = 0.015, max = 0.025 }"#,
        )
        .replace(
            r#"cost_per_registration = { dist = "lognormal", mean = 6.0, sd = 0.9 }"#,
            "cost_per_registration = 6.0",
        )
        .replace(
            r#"retention = { dist = "beta", mean = 0.519, sd = 0.03, profile"#,
            r#"retention = { dist = "fixed", value = 0.519, profile"#,
        )
        .replace(
            r#"arpu = { dist = "normal", mean = 800, sd = 64, noise_cv = 0.05, profile"#,
            r#"arpu = { dist = "fixed", value = 800, profile"#,
        )
}

/// Every column of a Parquet file, by name.
fn columns(path: &std::path::Path) -> DataFrame {
    ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap()
}

fn f64s(df: &DataFrame, name: &str) -> Vec<f64> {
    df.column(name)
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect()
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// PRIM by its definition: each step, every input and side, the box's
/// values sorted in full.
fn prim(inputs: &[(String, Vec<f64>)], miss: &[bool], min_mass: f64) -> Vec<Value> {
    let total = miss.len();
    let misses = miss.iter().filter(|m| **m).count();
    let mut in_box: Vec<usize> = (0..total).collect();
    let entry = |step: usize, b: &[usize], peeled: Value| {
        let m = b.iter().filter(|t| miss[**t]).count();
        serde_json::json!({
            "step": step,
            "mass": b.len() as f64 / total as f64,
            "density": m as f64 / b.len() as f64,
            "coverage": m as f64 / misses as f64,
            "peeled": peeled,
        })
    };
    let mut out = vec![entry(0, &in_box, Value::Null)];
    loop {
        let n = in_box.len();
        let k = ((0.05 * n as f64).floor() as usize).max(1);
        // (density, the box, path, side, threshold) of the best peel.
        let mut best: Option<(f64, Vec<usize>, &str, &str, f64)> = None;
        for (path, values) in inputs {
            let mut v: Vec<f64> = in_box.iter().map(|t| values[*t]).collect();
            v.sort_by(f64::total_cmp);
            for (side, threshold) in [("low", v[k]), ("high", v[n - 1 - k])] {
                let kept: Vec<usize> = in_box
                    .iter()
                    .copied()
                    .filter(|t| {
                        if side == "low" {
                            values[*t] >= threshold
                        } else {
                            values[*t] <= threshold
                        }
                    })
                    .collect();
                if kept.len() == n {
                    continue;
                }
                let d = kept.iter().filter(|t| miss[**t]).count() as f64 / kept.len() as f64;
                if best.as_ref().is_none_or(|b| d > b.0) {
                    best = Some((d, kept, path, side, threshold));
                }
            }
        }
        let Some((_, kept, path, side, threshold)) = best else {
            break;
        };
        if (kept.len() as f64) < min_mass * total as f64 {
            break;
        }
        in_box = kept;
        let peeled = serde_json::json!({ "path": path, "side": side, "threshold": threshold });
        out.push(entry(out.len(), &in_box, peeled));
    }
    out
}

#[test]
fn the_box_and_the_shifts_are_those_of_the_trials_file_by_their_definitions() {
    let dir = Dir::new();
    dir.create(
        "bigr.toml",
        &std::fs::read_to_string(crate::util::root().join("scenarios/shandian-2016-bigr.toml"))
            .unwrap(),
    );
    let common = ["bigr.toml", "-n", "4000", "--seed", "11"];
    let report = dir
        .run(
            &[
                &["explain"][..],
                &common,
                &["-f", "json", "--min-mass", "0.1"],
            ]
            .concat(),
        )
        .json();
    dir.run(
        &[
            &["run"][..],
            &common,
            &["-f", "json", "--trials-out", "t.parquet"],
        ]
        .concat(),
    )
    .ok();
    let df = columns(&dir.path("t.parquet"));
    let miss: Vec<bool> = df
        .column("hit_both")
        .unwrap()
        .bool()
        .unwrap()
        .iter()
        .map(|h| h != Some(true))
        .collect();
    let skip = [
        "trial",
        "revenue",
        "profit",
        "hit_revenue",
        "hit_profit",
        "hit_both",
    ];
    let inputs: Vec<(String, Vec<f64>)> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .filter(|s| !skip.contains(&s.as_str()))
        .map(|s| {
            let v = f64s(&df, &s);
            (s, v)
        })
        .collect();
    assert!(inputs.len() >= 4, "the big-R plan has several inputs");

    let trajectory = prim(&inputs, &miss, 0.1);
    assert!(trajectory.len() > 10, "peeled {} times", trajectory.len());
    assert_eq!(report["trajectory"], Value::Array(trajectory.clone()));

    // The box: the first step at least 80% dense, its limits the last
    // thresholds of each side peeled up to it.
    let step = trajectory
        .iter()
        .position(|s| s["density"].as_f64().unwrap() >= 0.8)
        .expect("a box 80% dense");
    assert_eq!(report["box"]["step"], step);
    assert_eq!(report["box"]["mass"], trajectory[step]["mass"]);
    let mut bounds = Vec::new();
    for (path, _) in &inputs {
        let last = |side: &str| {
            trajectory[1..=step]
                .iter()
                .rev()
                .map(|s| &s["peeled"])
                .find(|p| p["path"] == path.as_str() && p["side"] == side)
                .map_or(Value::Null, |p| p["threshold"].clone())
        };
        let (min, max) = (last("low"), last("high"));
        if !min.is_null() || !max.is_null() {
            bounds.push(serde_json::json!({ "path": path, "min": min, "max": max }));
        }
    }
    assert_eq!(report["box"]["bounds"], Value::Array(bounds));

    // The shifts, largest first.
    let n = miss.len() as f64;
    let mut shifts: Vec<Value> = inputs
        .iter()
        .map(|(path, v)| {
            let mean = v.iter().sum::<f64>() / n;
            let sd = (v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt();
            let missing: Vec<f64> = v.iter().zip(&miss).filter(|p| *p.1).map(|p| *p.0).collect();
            let (all, m) = (median(v), median(&missing));
            serde_json::json!({ "path": path, "median_all": all, "median_miss": m, "shift_sd": (m - all) / sd })
        })
        .collect();
    shifts.sort_by(|a, b| {
        let key = |s: &Value| s["shift_sd"].as_f64().unwrap().abs();
        key(b).total_cmp(&key(a))
    });
    assert_eq!(report["shifts"], Value::Array(shifts));
    let misses = miss.iter().filter(|m| **m).count() as f64;
    assert_eq!(report["miss_probability"], misses / n);
}

#[test]
fn misses_below_one_threshold_are_found_within_a_peel() {
    let dir = Dir::new();
    dir.create("one.toml", &one_input_plan());
    let args = ["one.toml", "-n", "20000", "--target", "revenue"];
    let report = dir
        .run(&[&["explain"][..], &args, &["-f", "json", "--density", "1"]].concat())
        .json();
    dir.run(
        &[
            &["run"][..],
            &args[..3],
            &["-f", "json", "--trials-out", "t.parquet"],
        ]
        .concat(),
    )
    .ok();
    let df = columns(&dir.path("t.parquet"));
    let rate = f64s(&df, "acquisition.first_charge_rate");
    let hit: Vec<bool> = df
        .column("hit_revenue")
        .unwrap()
        .bool()
        .unwrap()
        .iter()
        .map(|h| h == Some(true))
        .collect();
    // The plan is built so that a miss is a rate below a threshold: every
    // missing year's rate is below every hitting year's.
    let top_miss = rate
        .iter()
        .zip(&hit)
        .filter(|p| !*p.1)
        .map(|p| *p.0)
        .fold(f64::MIN, f64::max);
    let low_hit = rate
        .iter()
        .zip(&hit)
        .filter(|p| *p.1)
        .map(|p| *p.0)
        .fold(f64::MAX, f64::min);
    assert!(top_miss < low_hit, "misses are not below one threshold");
    let share_missing = hit.iter().filter(|h| !**h).count() as f64 / hit.len() as f64;
    assert!(
        (0.2..0.8).contains(&share_missing),
        "P(miss) {share_missing}"
    );

    // Fixed inputs are not explained: the rate is the only one.
    let shifts = report["shifts"].as_array().unwrap();
    assert_eq!(shifts.len(), 1, "{shifts:?}");
    let b = &report["box"];
    assert_eq!(b["density"], 1.0);
    assert_eq!(
        b["bounds"],
        serde_json::json!([{ "path": "acquisition.first_charge_rate", "min": null, "max": b["bounds"][0]["max"] }])
    );
    let max = b["bounds"][0]["max"].as_f64().unwrap();
    assert!(
        max <= top_miss,
        "the box {max} holds a hit (threshold {top_miss})"
    );
    // Within a peel: the box before it still held a hit, and the misses it
    // leaves out are at most the one peel's 5% of that box.
    let step = b["step"].as_u64().unwrap() as usize;
    let before = &report["trajectory"][step - 1];
    assert!(before["density"].as_f64().unwrap() < 1.0);
    let left_out = 1.0 - b["coverage"].as_f64().unwrap();
    let peel = 0.05 * before["mass"].as_f64().unwrap() / share_missing;
    assert!(
        left_out <= peel + 1e-12,
        "{left_out} of the misses left out, a peel is {peel}"
    );
}

#[test]
fn the_same_bytes_for_any_thread_count() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let out = |threads: &str| {
        dir.run(&[
            "explain",
            "s.toml",
            "-n",
            "50000",
            "--threads",
            threads,
            "-f",
            "json",
        ])
        .ok()
    };
    assert_eq!(out("1"), out("2"));
}

#[test]
fn bad_density_or_mass_is_refused() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    for (flag, value) in [
        ("--density", "0"),
        ("--density", "1.5"),
        ("--density", "-0.2"),
        ("--min-mass", "0"),
        ("--min-mass", "1"),
        ("--min-mass", "nan"),
    ] {
        dir.run(&["explain", "s.toml", "-n", "1000", flag, value])
            .code(2)
            .stderr_has(&[flag]);
    }
    assert_eq!(dir.files(), ["s.toml"]);
}

#[test]
fn a_plan_without_uncertainty_has_nothing_to_explain() {
    let dir = Dir::new();
    let fixed = one_input_plan().replace(
        r#"first_charge_rate = { dist = "uniform", min = 0.015, max = 0.025 }"#,
        "first_charge_rate = 0.02",
    );
    dir.create("f.toml", &fixed);
    let table = dir.run(&["explain", "f.toml", "-n", "1000"]).ok();
    assert!(table.contains("Nothing to explain"), "{table}");
    let json = dir
        .run(&["explain", "f.toml", "-n", "1000", "-f", "json"])
        .json();
    assert_eq!(json["shifts"], serde_json::json!([]));
    assert_eq!(json["box"]["step"], 0);
    assert_eq!(json["trajectory"].as_array().unwrap().len(), 1);
}

#[test]
fn the_report_shows_the_box_of_explain_on_the_same_trials() {
    let dir = Dir::new();
    dir.create(
        "bigr.toml",
        &std::fs::read_to_string(crate::util::root().join("scenarios/shandian-2016-bigr.toml"))
            .unwrap(),
    );
    let json = dir
        .run(&["explain", "bigr.toml", "-n", "5000", "-f", "json"])
        .json();
    dir.run(&["report", "bigr.toml", "-n", "5000", "-o", "r.html"])
        .ok();
    let html = std::fs::read_to_string(dir.path("r.html")).unwrap();
    let start = html
        .find("<section id=\"explain\">")
        .expect("an explain section");
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    let pct = |v: &Value| format!("{:.1}%", 100.0 * v.as_f64().unwrap());
    for key in ["coverage", "density", "mass"] {
        let want = pct(&json["box"][key]);
        assert!(
            section.contains(&want),
            "the section lacks the box's {key} {want}:\n{section}"
        );
    }
    assert!(section.contains("<svg "), "no chart of the box");
    let first = &json["box"]["bounds"][0]["path"];
    assert!(section.contains(first.as_str().unwrap()), "{section}");
}
