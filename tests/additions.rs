//! The model's additions: diminishing returns on marketing
//! (`acquisition.spend_elasticity`, `reference_budget`), the cost per
//! payer (`costs.per_payer`), and metalog inputs from experts' quantiles.
//!
//! What it pins: fixed inputs reproduce a hand-written recursion with both
//! to 1e-12, through the kernel's two ways of computing registrations (one
//! level a trial, and month by month); an elasticity drawn from a uniform
//! gives the closed-form probability within 4 standard errors; a scenario
//! that writes the additions at their defaults (elasticity 0, cost per payer
//! 0) gives exactly the numbers of one without them; overrides of the budget
//! keep the default reference budget where the file puts it; every rule of
//! the elasticity, the reference budget and the cost per payer is refused
//! with the field, the value and the rule; sensitivity ranks the elasticity;
//! fit recovers the elasticity a history was made with. A metalog input's
//! draws have the expert's quantiles (Monte Carlo, Latin hypercube and
//! through a copula, within 4 standard errors); the point plan takes its
//! mean; bounded draws stay inside; each of its rules is refused naming the
//! field.

use kpisim::analysis::simulate;
use kpisim::engine::Config;
use kpisim::model::Model;
use kpisim::scenario::{Loaded, from_bytes};

use crate::util::Dir;

fn load(text: &str) -> Loaded {
    from_bytes("test.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Every input fixed, two segments, a month without budget, diminishing
/// returns with E = 0.3 around a reference of 250,000 a month, and a cost
/// per payer that rises through the year. `CPR` is the cost per
/// registration as written (so that a test can make it vary by month).
fn fixed(cpr: &str) -> String {
    format!(
        r#"
name = "fixed with returns"
months = 5
[targets]
revenue = 1_000_000
profit = -5_000_000
[costs]
creator_share = 0.6
operations_rate = 0.07
staff = [100_000, 110_000, 120_000, 130_000, 140_000]
infra = 50_000
per_payer = [2, 2, 3, 3, 4]
[marketing]
budget = [200_000, 300_000, 0, 250_000, 400_000]
[acquisition]
cost_per_registration = {cpr}
first_charge_rate = {{ dist = "fixed", value = 0.03, profile = [1, 1, 1.1, 1.2, 1.3] }}
spend_elasticity = 0.3
reference_budget = 250_000
[[segments]]
name = "big_r"
start_payers = 300
share_of_new = 0.2
retention = 0.8
arpu = {{ dist = "fixed", value = 4000, profile = [1, 1.1, 1.2, 1.3, 1.4] }}
[[segments]]
name = "regular"
start_payers = 1200
share_of_new = 0.8
retention = 0.5
arpu = 300
"#
    )
}

/// The recursion of docs/model.md written out for [`fixed`]: (revenue,
/// profit, payers, registrations) per month.
fn fixed_by_hand() -> Vec<(f64, f64, f64, f64)> {
    let budget = [200_000.0, 300_000.0, 0.0, 250_000.0, 400_000.0];
    let staff = [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0];
    let per_payer = [2.0, 2.0, 3.0, 3.0, 4.0];
    let fcr_profile = [1.0, 1.0, 1.1, 1.2, 1.3];
    let big_arpu = [4000.0, 4400.0, 4800.0, 5200.0, 5600.0];
    let (mut big, mut reg) = (300.0, 1200.0);
    let mut out = Vec::new();
    for m in 0..5 {
        let b: f64 = budget[m];
        let registrations = if b > 0.0 {
            b / (5.0 * (b / 250_000.0).powf(0.3))
        } else {
            0.0
        };
        let new = registrations * 0.03 * fcr_profile[m];
        big = big * 0.8 + new * 0.2;
        reg = reg * 0.5 + new * 0.8;
        let payers = big + reg;
        let revenue = big * big_arpu[m] + reg * 300.0;
        let profit = revenue * (1.0 - 0.6 - 0.07) - b - staff[m] - 50_000.0 - per_payer[m] * payers;
        out.push((revenue, profit, payers, registrations));
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

#[test]
fn fixed_inputs_reproduce_the_recursion_with_returns_and_a_cost_per_payer() {
    let want = fixed_by_hand();
    // A cost drawn once a trial lets the kernel keep registrations as one
    // level a trial; one drawn every month makes it compute them month by
    // month. Both must be the recursion.
    for cpr in ["5.0", "{ dist = \"fixed\", value = 5.0, vary = \"month\" }"] {
        let l = load(&fixed(cpr));
        let plan = Model::compile(&l.scenario).point_plan();
        for (m, (pm, w)) in plan.monthly.iter().zip(&want).enumerate() {
            let (revenue, profit, payers, registrations) = *w;
            for (what, got, want) in [
                ("registrations", pm.registrations, registrations),
                ("payers", pm.payers, payers),
                ("revenue", pm.revenue, revenue),
                ("profit", pm.profit, profit),
            ] {
                assert!(
                    close(got, want),
                    "{cpr}, month {}: {what} {got} vs {want}",
                    m + 1
                );
            }
        }
        let s = simulate(&l, &Config::new(2_000, 1, 2)).unwrap().summary;
        let revenue: f64 = want.iter().map(|w| w.0).sum();
        let profit: f64 = want.iter().map(|w| w.1).sum();
        assert!(close(s.annual.revenue.mean, revenue), "{cpr}");
        assert!(close(s.annual.profit.mean, profit), "{cpr}");
        assert_eq!(s.annual.profit.sd, 0.0);
        // Profit is no longer a function of revenue alone: it is recorded,
        // and its monthly bands are the recursion's within the histogram's
        // relative error.
        for (mb, w) in s.monthly.iter().zip(&want) {
            assert!(close(mb.profit.mean, w.1), "{} vs {}", mb.profit.mean, w.1);
            let e = kpisim::stats::RELATIVE_ERROR * w.1.abs();
            assert!(
                (mb.profit.p50 - w.1).abs() <= e,
                "{} vs {}",
                mb.profit.p50,
                w.1
            );
        }
    }
}

/// One month, no payers before it, every registration pays once at ARPU 1:
/// revenue = registrations = (B / c) e^(-E ln(B / R)), with E uniform.
#[test]
fn an_elasticity_drawn_from_a_uniform_gives_the_closed_form_probability() {
    let (b, r, c) = (1_000_000.0_f64, 250_000.0_f64, 4.0);
    let (lo, hi) = (0.1, 0.5);
    // P(revenue >= T) = P(E <= ln(B / (c T)) / ln(B / R)).
    let target = 150_000.0;
    let cut = (b / (c * target)).ln() / (b / r).ln();
    let exact = ((cut - lo) / (hi - lo)).clamp(0.0, 1.0);
    let text = format!(
        r#"
name = "returns"
months = 1
[targets]
revenue = {target}
profit = -1e12
[costs]
creator_share = 0
operations_rate = 0
staff = 0
infra = 0
[marketing]
budget = {b}
[acquisition]
cost_per_registration = {c}
first_charge_rate = 1
spend_elasticity = {{ dist = "uniform", min = {lo}, max = {hi} }}
reference_budget = {r}
[[segments]]
name = "all"
start_payers = 0
share_of_new = 1
retention = 0
arpu = 1
"#
    );
    let n = 200_000;
    let s = simulate(&load(&text), &Config::new(n, 11, 2))
        .unwrap()
        .summary;
    let p = s.probability.revenue;
    let se = (exact * (1.0 - exact) / n as f64).sqrt();
    assert!(
        (p - exact).abs() <= 4.0 * se,
        "P(revenue) {p} vs {exact} (se {se})"
    );
    assert!(
        exact > 0.2 && exact < 0.8,
        "a probability that can fail: {exact}"
    );
}

#[test]
fn the_additions_at_their_defaults_change_nothing() {
    let text =
        std::fs::read_to_string(crate::util::root().join("scenarios/shandian-2016-bigr.toml"))
            .unwrap();
    let with = text
        .replacen("infra = 1_000_000\n", "infra = 1_000_000\nper_payer = 0\n", 1)
        .replacen(
            "first_charge_rate = { dist = \"beta\", mean = 0.02, sd = 0.003 }\n",
            "first_charge_rate = { dist = \"beta\", mean = 0.02, sd = 0.003 }\nspend_elasticity = 0\n",
            1,
        );
    assert_ne!(with, text, "the keys were added");
    let cfg = Config::new(20_000, 3, 2);
    let a = simulate(&load(&text), &cfg).unwrap().summary;
    let b = simulate(&load(&with), &cfg).unwrap().summary;
    let json = |s: &kpisim::aggregate::Summary| {
        let mut v = serde_json::to_value(s).unwrap();
        for key in ["scenario_sha256", "assumptions"] {
            v.as_object_mut().unwrap().remove(key);
        }
        v
    };
    assert_eq!(json(&a), json(&b));
}

#[test]
fn overrides_of_the_budget_keep_the_default_reference() {
    let l = load(
        &std::fs::read_to_string(
            crate::util::root().join("scenarios/shandian-2016-bigr-returns.toml"),
        )
        .unwrap(),
    );
    let written = l.scenario.budget.iter().sum::<f64>() / l.scenario.budget.len() as f64;
    assert!(close(l.scenario.reference_budget, written));
    let doubled = l.with_value("marketing.budget", 2.0).unwrap();
    assert!(close(doubled.budget[0], 2.0 * l.scenario.budget[0]));
    assert!(
        close(doubled.reference_budget, written),
        "{} vs {written}",
        doubled.reference_budget
    );
    // So twice the budget buys fewer than twice the registrations.
    let plan = |s: &kpisim::scenario::Scenario| Model::compile(s).point_plan().annual.registrations;
    let ratio = plan(&doubled) / plan(&l.scenario);
    assert!(ratio > 1.5 && ratio < 1.9, "{ratio}");
    // A multiplier of the elasticity multiplies its values.
    let steeper = l.with_value("acquisition.spend_elasticity", 1.5).unwrap();
    let e = steeper.spend_elasticity.as_ref().unwrap().dist.mean();
    let e0 = l.scenario.spend_elasticity.as_ref().unwrap().dist.mean();
    assert!(close(e, 1.5 * e0), "{e} vs {e0}");
}

#[test]
fn rules_of_the_additions_are_refused_with_field_value_and_rule() {
    let d = Dir::new();
    let base = fixed("5.0");
    let cases: [(&str, &str, &[&str]); 10] = [
        (
            "spend_elasticity = 0.3",
            "spend_elasticity = { dist = \"uniform\", min = 0.1, max = 1.2 }",
            &[
                "acquisition.spend_elasticity.max = 1.2",
                "[0, 1)",
                "1 or above",
            ],
        ),
        (
            "spend_elasticity = 0.3",
            "spend_elasticity = -0.1",
            &["acquisition.spend_elasticity = -0.1", "below 0"],
        ),
        (
            "spend_elasticity = 0.3",
            "spend_elasticity = 30",
            &["acquisition.spend_elasticity = 30", "did you mean 0.3"],
        ),
        (
            "spend_elasticity = 0.3",
            "spend_elasticity = { dist = \"lognormal\", mean = 0.3, sd = 0.1 }",
            &["acquisition.spend_elasticity.dist", "lognormal reaches 1"],
        ),
        (
            "spend_elasticity = 0.3",
            "spend_elasticity = { dist = \"normal\", mean = 0.3, sd = 0.1, min = 0 }",
            &["acquisition.spend_elasticity.dist", "truncated inside"],
        ),
        (
            "spend_elasticity = 0.3",
            "spend_elasticity = { dist = \"beta\", mean = 0.3, sd = 0.1, noise_cv = 0.1 }",
            &[
                "acquisition.spend_elasticity.noise_cv = 0.1",
                "no vary, profile or noise_cv",
            ],
        ),
        (
            "spend_elasticity = 0.3",
            "spend_elasticity = { dist = \"beta\", mean = 0.3, sd = 0.1, vary = \"month\" }",
            &["acquisition.spend_elasticity.vary", "drawn once a trial"],
        ),
        (
            "reference_budget = 250_000",
            "reference_budget = 0",
            &["acquisition.reference_budget = 0", "must be above 0"],
        ),
        (
            "reference_budget = 250_000",
            "reference_budget = -5",
            &["acquisition.reference_budget = -5", "must not be negative"],
        ),
        (
            "per_payer = [2, 2, 3, 3, 4]",
            "per_payer = [2, 2, -3, 3, 4]",
            &["costs.per_payer[2] = -3", "must not be negative"],
        ),
    ];
    for (from, to, want) in cases {
        assert!(base.contains(from), "{from}");
        let file = d.create("bad.toml", &base.replacen(from, to, 1));
        d.run(&["check", file.to_str().unwrap()])
            .code(2)
            .stderr_has(want);
    }
}

#[test]
fn a_beta_elasticity_is_accepted_and_multiplying_it_is_refused() {
    let text = fixed("5.0").replacen(
        "spend_elasticity = 0.3",
        "spend_elasticity = { dist = \"beta\", mean = 0.3, sd = 0.1 }",
        1,
    );
    let l = load(&text);
    let e = l
        .with_value("acquisition.spend_elasticity", 2.0)
        .unwrap_err();
    assert!(
        e.to_string().contains("a beta times a number is no beta"),
        "{e}"
    );
    let d = Dir::new();
    let file = d.create("s.toml", &text);
    d.run(&[
        "sweep",
        file.to_str().unwrap(),
        "--set",
        "costs.per_payer",
        "--from",
        "0",
        "--to",
        "2",
        "--steps",
        "3",
        "--trials",
        "2000",
    ])
    .ok();
}

#[test]
fn sensitivity_ranks_the_elasticity_among_the_inputs() {
    let d = Dir::new();
    let path = crate::util::root().join("scenarios/shandian-2016-bigr-returns.toml");
    let v = d
        .run(&[
            "sensitivity",
            path.to_str().unwrap(),
            "--trials",
            "20000",
            "--format",
            "json",
        ])
        .ok();
    let v: serde_json::Value = serde_json::from_str(&v).unwrap();
    let paths: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"acquisition.spend_elasticity"), "{paths:?}");
    assert_eq!(paths.len(), 7, "{paths:?}");
}

/// A history made by the model with a known elasticity: `spend` a month,
/// registrations = spend / 6 × (spend / reference)^-E × a small wobble,
/// 2% of them paying, half the payers kept, ARPU 800.
fn history(spend: &[f64], e: f64) -> String {
    let spent: Vec<f64> = spend.iter().copied().filter(|s| *s > 0.0).collect();
    let n = spent.len() as f64;
    let reference = (spent.iter().map(|s| s.ln()).sum::<f64>() / n).exp();
    let mut out = String::from("month,marketing_spend,registrations,new_payers,payers,revenue\n");
    let mut payers = 20_000.0;
    for (m, &s) in spend.iter().enumerate() {
        let wobble = 1.0 + 0.02 * ((m as f64) * 2.3).sin();
        let reg = if s > 0.0 {
            s / 6.0 * (s / reference).powf(-e) * wobble
        } else {
            0.0
        };
        let new = 0.02 * reg;
        payers = payers * 0.5 + new;
        out.push_str(&format!(
            "2015-{:02},{s},{reg:.3},{new:.3},{payers:.3},{:.3}\n",
            m + 1,
            800.0 * payers
        ));
    }
    out
}

fn fit_json(history: &str) -> serde_json::Value {
    let d = Dir::new();
    d.create("h.csv", history);
    let plan = crate::util::root().join("scenarios/shandian-2016.toml");
    d.run(&[
        "fit",
        "h.csv",
        "--plan",
        plan.to_str().unwrap(),
        "-o",
        "f.toml",
        "--holdout",
        "0",
        "--format",
        "json",
    ])
    .json()
}

#[test]
fn fit_learns_the_elasticity_a_history_was_made_with() {
    let spend: Vec<f64> = (0..12).map(|m| 1_000_000.0 * 1.2f64.powi(m)).collect();
    let v = fit_json(&history(&spend, 0.3));
    let r = &v["returns"];
    assert_eq!(r["source"], "estimated", "{r}");
    let (e, se) = (
        r["elasticity"].as_f64().unwrap(),
        r["standard_error"].as_f64().unwrap(),
    );
    // The wobble is 2%: the slope is known to within a few hundredths.
    assert!((e - 0.3).abs() < 0.02 && se < 0.02, "E {e} ± {se}");
    let reference = r["reference_budget"].as_f64().unwrap();
    let geometric = (spend.iter().map(|s| s.ln()).sum::<f64>() / 12.0).exp();
    assert!(close(reference, geometric), "{reference} vs {geometric}");
    let input = |path: &str| {
        v["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"] == path)
            .unwrap_or_else(|| panic!("no {path}"))
            .clone()
    };
    let el = input("acquisition.spend_elasticity");
    assert_eq!(el["dist"], "normal");
    assert!((el["mean"].as_f64().unwrap() - e).abs() < 1e-12);
    // At the reference, a registration costs the 6 the history was made
    // with, and its noise is the wobble, not the returns.
    let cpr = input("acquisition.cost_per_registration");
    assert!((cpr["mean"].as_f64().unwrap() - 6.0).abs() < 0.1, "{cpr}");
    assert!(cpr["noise_cv"].as_f64().unwrap() < 0.03, "{cpr}");
}

#[test]
fn fit_keeps_the_plan_when_the_spend_hardly_moved_and_names_months_without_spend() {
    let mut spend: Vec<f64> = (0..12).map(|m| 2_000_000.0 + 10_000.0 * m as f64).collect();
    spend[4] = 0.0;
    let v = fit_json(&history(&spend, 0.3));
    let r = &v["returns"];
    assert_eq!(r["source"], "none", "{r}");
    assert!(r["spend_cv"].as_f64().unwrap() < 0.10);
    assert_eq!(v["no_spend"], serde_json::json!(["2015-05"]));
    assert!(
        v["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["path"] != "acquisition.spend_elasticity")
    );
}

/// 10,000 payers every month of one (no budget, retention 1) at an ARPU
/// drawn once a trial as `arpu`: revenue is 10,000 × the drawn ARPU.
fn one_month_of(arpu: &str, revenue_target: f64) -> String {
    format!(
        r#"
name = "metalog arpu"
months = 1
[targets]
revenue = {revenue_target}
profit = -1e12
[costs]
creator_share = 0
operations_rate = 0
staff = 0
infra = 0
[marketing]
budget = 0
[acquisition]
cost_per_registration = 6.0
first_charge_rate = 0.02
[[segments]]
name = "all"
start_payers = 10_000
share_of_new = 1
retention = 1
arpu = {arpu}
"#
    )
}

const EXPERT: &str =
    "{ dist = \"metalog\", quantiles = [[0.1, 650], [0.5, 800], [0.9, 1000]], lower = 0 }";

#[test]
fn drawn_metalog_values_have_the_experts_quantiles_by_every_sampling() {
    let n = 100_000;
    let correlated = |arpu: &str, target: f64| {
        // A second uncertain input to correlate with: the copula draws the
        // ARPU through its compiled quantile function.
        one_month_of(arpu, target).replace(
            "first_charge_rate = 0.02",
            "first_charge_rate = { dist = \"beta\", mean = 0.02, sd = 0.003 }",
        ) + "[[correlations]]\nbetween = [\"segments.all.arpu\", \"acquisition.first_charge_rate\"]\nrank = 0.5\n"
    };
    for (p, x) in [(0.1, 650.0), (0.5, 800.0), (0.9, 1000.0)] {
        // P(revenue >= 10,000 x) = P(ARPU >= x) = 1 - p.
        let target = 10_000.0 * x;
        for (how, text, sampling) in [
            (
                "monte carlo",
                one_month_of(EXPERT, target),
                kpisim::engine::Sampling::MonteCarlo,
            ),
            (
                "latin hypercube",
                one_month_of(EXPERT, target),
                kpisim::engine::Sampling::LatinHypercube,
            ),
            (
                "copula",
                correlated(EXPERT, target),
                kpisim::engine::Sampling::MonteCarlo,
            ),
        ] {
            let cfg = Config {
                sampling,
                ..Config::new(n, 5, 2)
            };
            let s = simulate(&load(&text), &cfg).unwrap().summary;
            let got = s.probability.revenue;
            let se = (p * (1.0 - p) / n as f64).sqrt();
            assert!(
                (got - (1.0 - p)).abs() <= 4.0 * se,
                "{how} at p = {p}: P(ARPU >= {x}) = {got}, want {} ± {}",
                1.0 - p,
                4.0 * se
            );
        }
    }
}

#[test]
fn the_point_plan_takes_the_metalogs_mean_and_its_draws_stay_inside_the_bounds() {
    let m = kpisim::distr::Metalog::new(
        &[(0.1, 650.0), (0.5, 800.0), (0.9, 1000.0)],
        Some(0.0),
        None,
    )
    .unwrap();
    let l = load(&one_month_of(EXPERT, 1.0));
    let plan = Model::compile(&l.scenario).point_plan();
    assert!(close(plan.annual.revenue, 10_000.0 * m.mean()));
    // The mean of a right-skewed expert's ARPU is above the median.
    assert!(m.mean() > 800.0 && m.mean() < 900.0, "{}", m.mean());
    // Bounded on both sides: every trial's revenue inside 10,000 × (600, 1,100).
    let bounded = "{ dist = \"metalog\", quantiles = [[0.1, 650], [0.5, 800], [0.9, 1000]], lower = 600, upper = 1100 }";
    let s = simulate(
        &load(&one_month_of(bounded, 1.0)),
        &Config::new(50_000, 2, 2),
    )
    .unwrap()
    .summary;
    let r = &s.annual.revenue;
    assert!(r.p5 > 6_000_000.0 && r.p95 < 11_000_000.0, "{r:?}");
    let sd = r.sd;
    assert!(
        (r.mean - 10_000.0 * bounded_mean()).abs() <= 4.0 * sd / (50_000f64).sqrt(),
        "{} vs {}",
        r.mean,
        10_000.0 * bounded_mean()
    );
}

fn bounded_mean() -> f64 {
    kpisim::distr::Metalog::new(
        &[(0.1, 650.0), (0.5, 800.0), (0.9, 1000.0)],
        Some(600.0),
        Some(1100.0),
    )
    .unwrap()
    .mean()
}

#[test]
fn metalog_inputs_that_break_a_rule_are_refused_naming_it() {
    let d = Dir::new();
    let cases: [(&str, &[&str]); 8] = [
        (
            "{ dist = \"metalog\", quantiles = [[0.5, 800], [0.1, 650], [0.9, 1000]] }",
            &[
                "segments[0].arpu.quantiles",
                "quantile 2: p = 0.1 must be above the p before it",
            ],
        ),
        (
            "{ dist = \"metalog\", quantiles = [[0, 650], [0.5, 800], [0.9, 1000]] }",
            &["quantile 1: p = 0 must lie strictly between 0 and 1"],
        ),
        (
            "{ dist = \"metalog\", quantiles = [[0.1, 650], [0.5, 800], [0.9, 1000]], upper = 950 }",
            &["segments[0].arpu.upper = 950", "outside the given values"],
        ),
        (
            "{ dist = \"metalog\", quantiles = [[0.05, 1], [0.1, 9], [0.5, 10], [0.9, 11], [0.95, 19]] }",
            &["segments[0].arpu.quantiles", "decreases near p = 0.5"],
        ),
        (
            "{ dist = \"metalog\", quantiles = [[0.1, 1], [0.5, 10], [0.9, 1000]], lower = 0 }",
            &["too heavy for a mean"],
        ),
        (
            "{ dist = \"metalog\", quantiles = [[0.1, 650], [0.5]] }",
            &[
                "segments[0].arpu.quantiles[1]",
                "a pair [p, x] of two numbers",
            ],
        ),
        (
            "{ dist = \"metalog\", lower = 0 }",
            &["segments[0].arpu.quantiles: is missing"],
        ),
        (
            "{ dist = \"lognormal\", mean = 800, sd = 60, quantiles = [[0.1, 650], [0.9, 900]] }",
            &[
                "segments[0].arpu.quantiles",
                "is not a parameter of lognormal",
            ],
        ),
    ];
    for (arpu, want) in cases {
        let file = d.create("bad.toml", &one_month_of(arpu, 1.0));
        d.run(&["check", file.to_str().unwrap()])
            .code(2)
            .stderr_has(want);
    }
    // A rate's values are fractions; a cost per registration's metalog
    // needs a lower bound of 0 or more.
    let rate = one_month_of("800", 1.0).replace(
        "retention = 1",
        "retention = { dist = \"metalog\", quantiles = [[0.1, 45], [0.5, 52], [0.9, 60]] }",
    );
    let file = d.create("rate.toml", &rate);
    d.run(&["check", file.to_str().unwrap()])
        .code(2)
        .stderr_has(&[
            "segments[0].retention.quantiles[0] = [0.1, 45]",
            "did you mean 0.45",
        ]);
    let cost = one_month_of("800", 1.0).replace(
        "cost_per_registration = 6.0",
        "cost_per_registration = { dist = \"metalog\", quantiles = [[0.1, 5], [0.5, 6], [0.9, 7.5]] }",
    );
    let file = d.create("cost.toml", &cost);
    d.run(&["check", file.to_str().unwrap()])
        .code(2)
        .stderr_has(&["acquisition.cost_per_registration.dist", "give lower = 0"]);
}
