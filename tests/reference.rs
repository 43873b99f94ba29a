//! Agreement with an independent implementation of the model
//! (tests/data/reference: numpy, 1,000,000 trials), by the tolerances of
//! its README: both reference scenarios (the default plan, and one with
//! every distribution family), probabilities, levels and bands, and the
//! point plan to 1e-9. Planted slips (truncation by clamping, z = 1.96 for
//! p5/p95, lognormal parameters on the log scale, beta without the "- 1",
//! noise with median 1, PERT read as triangular, `vary = "month"` ignored,
//! shocks too strong) each break at least one of these comparisons at
//! 200,000 trials.

use kpisim::analysis::simulate;
use kpisim::engine::Config;
use serde_json::Value;

const N: u64 = 200_000;
const N_REF: f64 = 1e6;

struct Compare {
    failures: Vec<String>,
}

impl Compare {
    fn check(&mut self, what: &str, ok: bool, detail: String) {
        if !ok {
            self.failures.push(format!("{what}: {detail}"));
        }
    }

    fn probability(&mut self, what: &str, p: f64, p_ref: f64) {
        let n = N as f64;
        let tol = 4.0 * (p * (1.0 - p) / n + p_ref * (1.0 - p_ref) / N_REF).sqrt() + 0.002;
        self.check(
            what,
            (p - p_ref).abs() <= tol,
            format!("{p} vs {p_ref} (tolerance {tol:.5})"),
        );
    }

    /// A mean or percentile: within 0.5% of the reference plus 16 sd / sqrt(n).
    fn level(&mut self, what: &str, x: f64, x_ref: f64, sd_ref: f64) {
        let tol = 0.005 * x_ref.abs() + 16.0 * sd_ref / (N as f64).sqrt();
        self.check(
            what,
            (x - x_ref).abs() <= tol,
            format!("{x} vs {x_ref} (tolerance {tol:.1})"),
        );
    }

    fn relative(&mut self, what: &str, x: f64, x_ref: f64, rel: f64) {
        self.check(
            what,
            (x - x_ref).abs() <= rel * x_ref.abs(),
            format!("{x} vs {x_ref} (tolerance {rel})"),
        );
    }
}

fn compare(name: &str) {
    let dir = crate::util::reference_dir();
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let want = &expected[name];
    let loaded = kpisim::scenario::load(&dir.join(format!("{name}.toml")))
        .expect("reference scenario loads");
    let cfg = Config::new(N, 20161, 2);
    let s = simulate(&loaded, &cfg).unwrap().summary;
    let got: Value = serde_json::to_value(&s).unwrap();
    let mut c = Compare {
        failures: Vec::new(),
    };

    for t in ["revenue", "profit", "both"] {
        c.probability(
            &format!("probability.{t}"),
            got["probability"][t].as_f64().unwrap(),
            want["probability"][t].as_f64().unwrap(),
        );
    }
    for metric in ["revenue", "profit"] {
        let (g, w) = (&got["annual"][metric], &want["annual"][metric]);
        let sd_ref = w["sd"].as_f64().unwrap();
        for k in ["mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95"] {
            c.level(
                &format!("annual.{metric}.{k}"),
                g[k].as_f64().unwrap(),
                w[k].as_f64().unwrap(),
                sd_ref,
            );
        }
        c.relative(
            &format!("annual.{metric}.sd"),
            g["sd"].as_f64().unwrap(),
            sd_ref,
            0.02,
        );
    }
    let monthly = got["monthly"].as_array().unwrap();
    for (m, (w50, wsd)) in want["monthly_p50"]
        .as_array()
        .unwrap()
        .iter()
        .zip(want["monthly_sd"].as_array().unwrap())
        .enumerate()
    {
        let g = &monthly[m];
        for k in ["payers", "revenue"] {
            c.relative(
                &format!("monthly[{m}].{k}.sd"),
                g[k]["sd"].as_f64().unwrap(),
                wsd[k].as_f64().unwrap(),
                0.03,
            );
        }
        // Medians by the level rule, with the month's own sd where the
        // reference gives one and the month's spread (P75 - P25) otherwise.
        for k in crate::util::MONTHLY_METRICS {
            let spread = wsd
                .get(k)
                .and_then(Value::as_f64)
                .unwrap_or_else(|| g[k]["p75"].as_f64().unwrap() - g[k]["p25"].as_f64().unwrap());
            c.level(
                &format!("monthly[{m}].{k}.p50"),
                g[k]["p50"].as_f64().unwrap(),
                w50[k].as_f64().unwrap(),
                spread,
            );
        }
    }
    // The point plan has no randomness: it agrees to 1e-9.
    let model = kpisim::model::Model::compile(&loaded.scenario);
    let point = model.point_plan();
    c.relative(
        "point.revenue",
        point.annual.revenue,
        want["point"]["revenue"].as_f64().unwrap(),
        1e-9,
    );
    c.relative(
        "point.profit",
        point.annual.profit,
        want["point"]["profit"].as_f64().unwrap(),
        1e-9,
    );
    for (m, w) in want["point"]["monthly_revenue"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        c.relative(
            &format!("point.monthly_revenue[{m}]"),
            point.monthly[m].revenue,
            w.as_f64().unwrap(),
            1e-9,
        );
    }
    assert!(
        c.failures.is_empty(),
        "{name}: {} disagreements:\n{}",
        c.failures.len(),
        c.failures.join("\n")
    );
}

#[test]
fn default_reference_agrees_with_the_independent_implementation() {
    compare("default");
}

#[test]
fn families_reference_agrees_with_the_independent_implementation() {
    compare("families");
}
