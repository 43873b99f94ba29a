//! What drives the risk and what it takes (issue 11): sensitivity, solve,
//! correlated inputs, Latin hypercube sampling, stopping on precision and
//! reaching the targets during the year. Monte Carlo checks compare with a
//! closed form or a definition within stated standard errors, fixed seeds.
//!
//! What it pins:
//! - `sensitivity` ranks a dominant input first and gives a fixed one no
//!   swing, holds each input at its own exact P10 and P90, and does not
//!   depend on the order of segments or on the thread count;
//! - `solve` finds the closed-form answer of a scenario with fixed payers
//!   and a normal ARPU, says plainly when nothing in the range works (exit
//!   0), refuses a bad lever (exit 2), and with `--monthly` adds the
//!   department sheet of the solved plan;
//! - correlated draws reach the asked rank correlation and keep their
//!   marginals (Kolmogorov–Smirnov); every refusal of `[[correlations]]`
//!   names the entry; correlated and Latin hypercube runs are the same for
//!   any thread count;
//! - Latin hypercube and plain Monte Carlo agree, and the hypercube is
//!   sharper;
//! - `--precision` stops at the first checkpoint the standard-error formula
//!   allows;
//! - `reached_by_month` grows to the year's probability;
//! - the JSON of `sensitivity` and `solve` has its documented keys.

use kpisim::analysis::{Question, Sim, sensitivity_report, simulate, solve_report};
use kpisim::engine::{Config, Sampling};
use kpisim::model::Target;
use kpisim::scenario::{Loaded, from_bytes};
use serde_json::Value;

use crate::util::{Dir, default_scenario, root};

fn bigr_text() -> String {
    std::fs::read_to_string(root().join("scenarios/shandian-2016-bigr.toml")).unwrap()
}

fn load(text: &str) -> Loaded {
    from_bytes("s.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

/// A scenario whose payers never change (retention 1, no budget, start N)
/// and whose ARPU is normal: annual revenue is 12 N × ARPU, so P(revenue >=
/// T) = 1 - Φ((T / 12N - μ) / σ) exactly.
fn constant_payers(arpu: &str, revenue_target: f64) -> String {
    format!(
        r#"
name = "constant payers"
months = 12
[targets]
revenue = {revenue_target}
profit = -1e12
[costs]
creator_share = 0.65
operations_rate = 0.05
staff = 0
infra = 0
[marketing]
budget = 0
[acquisition]
cost_per_registration = 6.0
first_charge_rate = 0.02
[[segments]]
name = "all"
start_payers = 1000
share_of_new = 1.0
retention = 1.0
arpu = {arpu}
"#
    )
}

#[test]
fn sensitivity_ranks_a_dominant_input_first_and_gives_a_fixed_one_no_swing() {
    // ARPU varies a lot; first-charge rate is fixed; the cost per
    // registration varies a little.
    let text = default_scenario()
        .replacen(
            "first_charge_rate = { dist = \"beta\", mean = 0.02, sd = 0.003 }",
            "first_charge_rate = 0.02",
            1,
        )
        .replacen(
            "{ dist = \"lognormal\", mean = 6.0, sd = 0.9 }",
            "{ dist = \"lognormal\", mean = 6.0, sd = 0.05 }",
            1,
        )
        .replacen("mean = 800, sd = 64", "mean = 800, sd = 200", 1);
    let r = sensitivity_report(&load(&text), &Config::new(20_000, 3, 2)).unwrap();
    assert_eq!(r.inputs[0].path, "segments.all.arpu");
    let fixed = r
        .inputs
        .iter()
        .find(|i| i.path == "acquisition.first_charge_rate")
        .unwrap();
    assert_eq!(fixed.profit.change(), 0.0);
    assert_eq!(fixed.both.change(), 0.0);
    assert_eq!(fixed.spearman_profit, 0.0);
    assert_eq!(fixed.variance_share, 0.0);
    let shares: f64 = r.inputs.iter().map(|i| i.variance_share).sum();
    assert!((shares - 1.0).abs() < 1e-12);
    // Swings in order of size.
    for w in r.inputs.windows(2) {
        assert!(w[0].profit.change().abs() >= w[1].profit.change().abs());
    }
}

#[test]
fn sensitivity_holds_each_input_at_its_own_p10_and_p90() {
    let r = sensitivity_report(&load(&default_scenario()), &Config::new(20_000, 5, 2)).unwrap();
    let arpu = r
        .inputs
        .iter()
        .find(|i| i.path == "segments.all.arpu")
        .unwrap();
    // Normal(800, 64): P10 and P90 at 800 ∓ 1.2816 × 64.
    assert!((arpu.p10 - (800.0 - 1.281_551_565_5 * 64.0)).abs() < 1e-6);
    assert!((arpu.p90 - (800.0 + 1.281_551_565_5 * 64.0)).abs() < 1e-6);
    assert!(arpu.profit.at_p10 < r.baseline.profit && r.baseline.profit < arpu.profit.at_p90);
    assert!(arpu.spearman_profit > 0.0);
}

#[test]
fn sensitivity_does_not_depend_on_the_order_of_segments_or_threads() {
    let text = bigr_text();
    let base = &text[..text.find("[[stress]]").unwrap()];
    let seg = base.find("[[segments]]").unwrap();
    let second = seg + 1 + base[seg + 1..].find("[[segments]]").unwrap();
    let reordered = format!(
        "{}{}\n{}",
        &base[..seg],
        &base[second..],
        &base[seg..second]
    );
    assert_ne!(reordered, base);
    let strip = |mut v: Value| {
        for k in ["file", "scenario_sha256"] {
            v.as_object_mut().unwrap().remove(k);
        }
        v
    };
    let a = sensitivity_report(&load(base), &Config::new(20_000, 9, 1)).unwrap();
    let b = sensitivity_report(&load(&reordered), &Config::new(20_000, 9, 3)).unwrap();
    assert_eq!(
        strip(serde_json::to_value(&a).unwrap()),
        strip(serde_json::to_value(&b).unwrap())
    );
}

#[test]
fn solve_finds_the_closed_form_answer() {
    // Revenue = 12,000 × ARPU, ARPU ~ Normal(μ, 80): P(revenue >= 9.6M) = 0.8
    // at μ = 800 + 80 × Φ⁻¹(0.8).
    let text = constant_payers("{ dist = \"normal\", mean = 800, sd = 80 }", 9.6e6);
    let l = load(&text);
    let q = Question {
        lever: "segments.all.arpu.mean".into(),
        confidence: 0.8,
        target: Target::Revenue,
        range: (Some(700.0), Some(1000.0)),
        monthly: false,
    };
    let n = 200_000;
    let r = solve_report(&l, &q, &Config::new(n, 7, 2)).unwrap();
    assert!(r.feasible);
    let exact = 800.0 + 80.0 * kpisim::distr::normal_quantile(0.8);
    let found = r.value.unwrap();
    // The estimate's own error: an SE of P of sqrt(0.16 / n) moves the
    // crossing by that over the density φ(Φ⁻¹(0.8)) / σ; plus the search's
    // resolution, 300 / 8 / 1024.
    let density =
        (-0.5f64 * 0.841_621_233_6f64.powi(2)).exp() / (2.0 * std::f64::consts::PI).sqrt() / 80.0;
    let tol = 4.0 * (0.16 / n as f64).sqrt() / density + 300.0 / 8.0 / 1024.0;
    assert!((found - exact).abs() <= tol, "{found} vs {exact} (±{tol})");
    assert!(r.probability >= 0.8);
    assert!(r.tried.len() <= 20, "{} runs", r.tried.len());
}

#[test]
fn an_infeasible_solve_says_so_and_exits_0_and_a_bad_lever_exits_2() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let out = dir
        .run(&[
            "solve",
            "s.toml",
            "--lever",
            "segments.all.arpu.sd",
            "--confidence",
            "0.99",
            "--min",
            "10",
            "--max",
            "100",
            "-n",
            "2000",
        ])
        .ok();
    assert!(
        out.contains("no value of segments.all.arpu.sd in [10, 100] brings P(both) to 99.0%: the best found is"),
        "{out}"
    );
    let j = dir
        .run(&[
            "solve",
            "s.toml",
            "--lever",
            "segments.all.arpu.sd",
            "--confidence",
            "0.99",
            "--min",
            "10",
            "--max",
            "100",
            "-n",
            "2000",
            "-f",
            "json",
        ])
        .json();
    assert_eq!(j["feasible"], false);
    assert!(j["value"].is_null());
    for k in [
        "lever",
        "target",
        "confidence",
        "probability",
        "standard_error",
    ] {
        assert!(!j[k].is_null(), "{k}");
    }
    assert!(j["best"]["value"].is_f64() && j["best"]["probability"].is_f64());
    assert!(j["point"]["revenue"].is_f64() && j["point"]["profit"].is_f64());
    dir.run(&[
        "solve",
        "s.toml",
        "--lever",
        "segments.whales.arpu",
        "--confidence",
        "0.8",
    ])
    .code(2)
    .stderr_has(&["segments.whales.arpu", "no segment is named \"whales\""]);
    dir.run(&[
        "solve",
        "s.toml",
        "--lever",
        "marketing.budget",
        "--confidence",
        "1.2",
    ])
    .code(2)
    .stderr_has(&["--confidence 1.2"]);
}

#[test]
fn solve_monthly_adds_the_department_sheet_of_the_solved_plan() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let j = dir
        .run(&[
            "solve",
            "s.toml",
            "--lever",
            "marketing.budget",
            "--confidence",
            "0.6",
            "--monthly",
            "-n",
            "5000",
            "-f",
            "json",
        ])
        .json();
    assert_eq!(j["feasible"], true);
    let monthly = j["monthly"].as_array().unwrap();
    assert_eq!(monthly.len(), 12);
    // Spend is the budget times the solved multiplier.
    let v = j["value"].as_f64().unwrap();
    let spend = monthly[0]["spend"]["plan"].as_f64().unwrap();
    assert!((spend - 2_430_000.0 * v).abs() < 1e-3, "{spend} vs {v}");
    assert!(monthly[0]["revenue"]["at_confidence"].is_f64());
}

/// The correlated scenario: big-R retention and ARPU with rank 0.6.
fn correlated(rank: f64) -> String {
    let text = bigr_text();
    let base = &text[..text.find("[[stress]]").unwrap()];
    format!(
        "{base}\n[[correlations]]\nbetween = [\"segments.big_r.retention\", \"segments.big_r.arpu\"]\nrank = {rank}\n"
    )
}

#[test]
fn correlated_draws_reach_the_asked_rank_correlation_and_keep_their_marginals() {
    let l = load(&correlated(0.6));
    let n = 40_000;
    let cfg = Config {
        keep_trials: true,
        ..Config::new(n, 11, 2)
    };
    let t = simulate(&l, &cfg).unwrap().table.unwrap();
    let level = |p: &str| &t.levels.iter().find(|(n, _)| n == p).unwrap().1;
    let (ret, arpu) = (
        level("segments.big_r.retention"),
        level("segments.big_r.arpu"),
    );
    let rho = kpisim::aggregate::spearman(ret, arpu);
    // The sampling sd of a Spearman correlation is about (1 - ρ²) / sqrt(n).
    let se = (1.0 - 0.36) / (n as f64).sqrt();
    assert!((rho - 0.6).abs() < 4.0 * se, "rank correlation {rho}");
    // Uncorrelated inputs stay so.
    let other = kpisim::aggregate::spearman(ret, level("segments.regular.arpu"));
    assert!(other.abs() < 4.0 / (n as f64).sqrt(), "{other}");
    // Marginals: Kolmogorov-Smirnov against each input's own distribution.
    let dists = [
        (
            "segments.big_r.arpu",
            l.scenario.segments[0].arpu.dist.clone(),
        ),
        (
            "segments.big_r.retention",
            l.scenario.segments[0].retention.dist.clone(),
        ),
    ];
    for (path, d) in dists {
        let mut xs = level(path).clone();
        xs.sort_by(f64::total_cmp);
        // The empirical CDF against the exact one, at the exact quantiles.
        let mut worst: f64 = 0.0;
        for k in 1..200 {
            let p = k as f64 / 200.0;
            let q = d.quantile(p);
            let below = xs.partition_point(|x| *x <= q) as f64 / n as f64;
            worst = worst.max((below - p).abs());
        }
        // KS critical value at the 0.1% level: 1.95 / sqrt(n).
        assert!(worst < 1.95 / (n as f64).sqrt(), "{path}: D = {worst}");
    }
}

#[test]
fn correlations_that_cannot_be_are_refused_naming_the_entry() {
    let dir = Dir::new();
    let text = bigr_text();
    let base = &text[..text.find("[[stress]]").unwrap()];
    let with = |entries: &str| format!("{base}\n{entries}");
    let cases = [
        (
            "[[correlations]]\nbetween = [\"segments.big_r.retention.mean\", \"segments.big_r.arpu\"]\nrank = 0.5\n",
            "correlations[0].between[0] = \"segments.big_r.retention.mean\": must name a whole uncertain input",
        ),
        (
            "[[correlations]]\nbetween = [\"segments.big_r.arpu\", \"segments.big_r.arpu\"]\nrank = 0.5\n",
            "correlations[0].between: names the same input twice",
        ),
        (
            "[[correlations]]\nbetween = [\"segments.big_r.arpu\", \"segments.regular.arpu\"]\nrank = 0.5\n\
             [[correlations]]\nbetween = [\"segments.regular.arpu\", \"segments.big_r.arpu\"]\nrank = 0.2\n",
            "correlations[1].between: correlates a pair already correlated by correlations[0]",
        ),
        (
            "[[correlations]]\nbetween = [\"segments.big_r.arpu\", \"segments.regular.arpu\"]\nrank = 1.5\n",
            "correlations[0].rank = 1.5: must lie between -1 and 1",
        ),
        (
            "[[correlations]]\nbetween = [\"segments.big_r.arpu\", \"segments.regular.start_payers\"]\nrank = 0.5\n",
            "correlations[0].between[1] = \"segments.regular.start_payers\": must name a whole uncertain input",
        ),
        (
            "[[correlations]]\nbetween = [\"segments.big_r.arpu\", \"segments.big_r.retention\"]\nrank = 0.9\n\
             [[correlations]]\nbetween = [\"segments.big_r.retention\", \"segments.regular.arpu\"]\nrank = 0.9\n\
             [[correlations]]\nbetween = [\"segments.big_r.arpu\", \"segments.regular.arpu\"]\nrank = -0.9\n",
            "the correlations together are impossible",
        ),
    ];
    for (entries, piece) in cases {
        dir.create("c.toml", &with(entries));
        dir.run(&["check", "c.toml"])
            .code(2)
            .stderr_has(&["c.toml:", piece]);
    }
    let fixed = with("[[correlations]]\nbetween = [\"segments.big_r.arpu\", \"acquisition.first_charge_rate\"]\nrank = 0.5\n")
        .replacen("first_charge_rate = { dist = \"beta\", mean = 0.02, sd = 0.003 }", "first_charge_rate = 0.02", 1);
    dir.create("c.toml", &fixed);
    dir.run(&["check", "c.toml"]).code(2).stderr_has(&[
        "correlations[0].between[1] = \"acquisition.first_charge_rate\": acquisition.first_charge_rate is fixed",
    ]);
}

#[test]
fn correlated_and_latin_hypercube_runs_are_identical_for_any_thread_count() {
    let dir = Dir::new();
    dir.create("c.toml", &correlated(-0.4));
    let args = |j: &'static str| {
        vec![
            "run",
            "c.toml",
            "-n",
            "30000",
            "-f",
            "json",
            "--sampling",
            "lhs",
            "-j",
            j,
        ]
    };
    let one = dir.run(&args("1")).ok();
    for j in ["2", "3"] {
        assert!(
            one == dir.run(&args(j)).ok(),
            "--threads {j} changed the output"
        );
    }
}

#[test]
fn latin_hypercube_and_monte_carlo_agree_and_the_hypercube_is_sharper() {
    let l = load(&default_scenario());
    let n = 200_000;
    let mc = simulate(&l, &Config::new(n, 13, 2)).unwrap().summary;
    let lhs = simulate(
        &l,
        &Config {
            sampling: Sampling::LatinHypercube,
            ..Config::new(n, 13, 2)
        },
    )
    .unwrap()
    .summary;
    assert_eq!(lhs.header.sampling, "lhs");
    for (a, b, sa, sb) in [
        (
            mc.probability.both,
            lhs.probability.both,
            mc.standard_error.both,
            lhs.standard_error.both,
        ),
        (
            mc.probability.profit,
            lhs.probability.profit,
            mc.standard_error.profit,
            lhs.standard_error.profit,
        ),
    ] {
        assert!(
            (a - b).abs() <= 4.0 * (sa * sa + sb * sb).sqrt(),
            "{a} vs {b}"
        );
    }
    let rel = (lhs.annual.revenue.mean / mc.annual.revenue.mean - 1.0).abs();
    assert!(rel < 0.01, "{rel}");
    // Stratifying the levels removes most of their share of the variance.
    assert!(lhs.standard_error.both < mc.standard_error.both);
}

#[test]
fn precision_stops_at_the_first_checkpoint_where_the_formula_says() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let asked = 0.0015;
    let j = dir
        .run(&[
            "run",
            "s.toml",
            "-n",
            "2e6",
            "--precision",
            "0.0015",
            "-f",
            "json",
        ])
        .json();
    let n = j["trials"].as_u64().unwrap();
    assert_eq!(n % kpisim::analysis::CHECKPOINT, 0);
    let se = |p: f64, n: u64| (p * (1.0 - p) / n as f64).sqrt();
    let p = j["probability"]["both"].as_f64().unwrap();
    assert!(se(p, n) <= asked);
    assert_eq!(j["precision"]["reached"], true);
    assert_eq!(j["precision"]["target"], "both");
    assert_eq!(j["precision"]["asked"], asked);
    assert_eq!(
        j["precision"]["standard_error"],
        j["standard_error"]["both"]
    );
    // One checkpoint earlier it was not reached: the first trials of a run
    // are the same whatever its length.
    let before = n - kpisim::analysis::CHECKPOINT;
    let b = dir
        .run(&["run", "s.toml", "-n", &before.to_string(), "-f", "json"])
        .json();
    assert!(se(b["probability"]["both"].as_f64().unwrap(), before) > asked);
    // Running out of trials first is said, and still exit 0.
    let run = dir
        .run(&[
            "run",
            "s.toml",
            "-n",
            "70000",
            "--precision",
            "0.0001",
            "-f",
            "json",
        ])
        .code(0);
    assert!(run.stderr().contains("note:"), "{}", run.stderr());
    let j: Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(j["precision"]["reached"], false);
    assert_eq!(j["trials"], 70000);
}

#[test]
fn reached_by_month_grows_to_the_probability() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let j = dir
        .run(&["run", "s.toml", "-n", "20000", "-f", "json"])
        .json();
    let reached = j["reached_by_month"].as_array().unwrap();
    assert_eq!(reached.len(), 12);
    let last = &reached[11];
    for t in ["revenue", "profit", "both"] {
        assert_eq!(last[t], j["probability"][t], "{t}");
    }
    // Revenue only accumulates, so its share never falls.
    for w in reached.windows(2) {
        assert!(w[0]["revenue"].as_f64() <= w[1]["revenue"].as_f64());
    }
    let table = dir.run(&["run", "s.toml", "-n", "20000"]).ok();
    assert!(
        table.contains("half the trials reach the revenue target by  2016-12"),
        "{table}"
    );
    assert!(
        table.contains("half the trials reach the profit target by"),
        "{table}"
    );
}

#[test]
fn sensitivity_and_solve_have_their_contract_json() {
    let dir = Dir::new();
    dir.create("s.toml", &default_scenario());
    let j = dir
        .run(&["sensitivity", "s.toml", "-n", "5000", "-f", "json"])
        .json();
    for k in ["scenario", "trials", "seed"] {
        assert!(!j[k].is_null(), "{k}");
    }
    let inputs = j["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 4);
    for i in inputs {
        for k in ["path", "p10", "p90", "spearman_profit", "variance_share"] {
            assert!(!i[k].is_null(), "{k}");
        }
        for k in ["profit", "revenue", "both"] {
            assert!(i[k]["at_p10"].is_f64() && i[k]["at_p90"].is_f64(), "{k}");
        }
    }
    let csv = dir
        .run(&["sensitivity", "s.toml", "-n", "5000", "-f", "csv"])
        .ok();
    assert_eq!(csv.lines().count(), 5);
    let _ = Sim::from(&Config::new(1, 1, 1));
}
