//! The model against hand-written recursions and closed forms.
//!
//! What it pins: fixed inputs reproduce a hand-written recursion to 1e-12
//! (two segments, a shock, schedules, clamping); a normal ARPU with payers
//! held fixed gives the analytic probabilities within 4 standard errors,
//! drawn once a trial (`vary = "trial"`) and once a month (`"month"`, the
//! sum of 12 normals); the monthly noise is a lognormal with mean 1;
//! retention is clamped to 1, not truncated.

use kpisim::analysis::simulate;
use kpisim::distr::big_phi;
use kpisim::engine::Config;
use kpisim::scenario::{Loaded, from_bytes};

fn load(text: &str) -> Loaded {
    from_bytes("test.toml", text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn config(trials: u64, seed: u64) -> Config {
    Config::new(trials, seed, 2)
}

/// A scenario with every input fixed: two segments, a shock, schedules.
const FIXED: &str = r#"
name = "fixed"
months = 5
[targets]
revenue = 1_000_000
profit = -5_000_000
[costs]
creator_share = 0.6
operations_rate = 0.07
staff = [100_000, 110_000, 120_000, 130_000, 140_000]
infra = 50_000
[marketing]
budget = [200_000, 300_000, 0, 250_000, 400_000]
[acquisition]
cost_per_registration = 5.0
first_charge_rate = { dist = "fixed", value = 0.03, profile = [1, 1, 1.1, 1.2, 1.3] }
[[segments]]
name = "big_r"
start_payers = 300
share_of_new = 0.2
retention = 0.8
arpu = { dist = "fixed", value = 4000, profile = [1, 1.1, 1.2, 1.3, 1.4] }
[[segments]]
name = "regular"
start_payers = 1200
share_of_new = 0.8
retention = { dist = "fixed", value = 0.5, profile = [1, 1, 1, 1.5, 2.5] }
arpu = 300
[[shocks]]
month = 3
segment = "big_r"
loss = 0.25
"#;

/// The recursion of docs/model.md written out for `FIXED`: (revenue,
/// profit, payers) per month.
fn fixed_by_hand() -> Vec<(f64, f64, f64)> {
    let budget = [200_000.0, 300_000.0, 0.0, 250_000.0, 400_000.0];
    let staff = [100_000.0, 110_000.0, 120_000.0, 130_000.0, 140_000.0];
    let fcr_profile = [1.0, 1.0, 1.1, 1.2, 1.3];
    let big_arpu = [4000.0, 4400.0, 4800.0, 5200.0, 5600.0];
    // Regular retention 0.5 × 2.5 = 1.25 in month 5: clamped to 1.
    let reg_ret = [0.5, 0.5, 0.5, 0.75, 1.0];
    let (mut big, mut reg) = (300.0, 1200.0);
    let mut out = Vec::new();
    for m in 0..5 {
        let new = budget[m] / 5.0 * (0.03 * fcr_profile[m]);
        let shock = if m == 2 { 0.75 } else { 1.0 };
        big = big * 0.8 * shock + new * 0.2;
        reg = reg * reg_ret[m] + new * 0.8;
        let revenue = big * big_arpu[m] + reg * 300.0;
        let profit = revenue * (1.0 - 0.6 - 0.07) - budget[m] - staff[m] - 50_000.0;
        out.push((revenue, profit, big + reg));
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

#[test]
fn fixed_inputs_reproduce_the_recursion_exactly() {
    let l = load(FIXED);
    let want = fixed_by_hand();
    let plan = kpisim::model::Model::compile(&l.scenario).point_plan();
    for (m, (pm, (rev, profit, payers))) in plan.monthly.iter().zip(&want).enumerate() {
        assert!(
            close(pm.revenue, *rev),
            "month {}: revenue {} vs {rev}",
            m + 1,
            pm.revenue
        );
        assert!(
            close(pm.profit, *profit),
            "month {}: profit {} vs {profit}",
            m + 1,
            pm.profit
        );
        assert!(
            close(pm.payers, *payers),
            "month {}: payers {} vs {payers}",
            m + 1,
            pm.payers
        );
    }
    // The Monte Carlo of a fixed scenario: every trial is that recursion.
    let s = simulate(&l, &config(10_000, 1)).unwrap().summary;
    let revenue: f64 = want.iter().map(|w| w.0).sum();
    let profit: f64 = want.iter().map(|w| w.1).sum();
    for b in [&s.annual.revenue] {
        for v in b.percentiles().into_iter().chain([b.mean]) {
            assert!(close(v, revenue), "annual revenue {v} vs {revenue}");
        }
        assert_eq!(b.sd, 0.0);
    }
    for v in s
        .annual
        .profit
        .percentiles()
        .into_iter()
        .chain([s.annual.profit.mean])
    {
        assert!(close(v, profit), "annual profit {v} vs {profit}");
    }
    assert_eq!(s.probability.revenue, (revenue >= 1_000_000.0) as u8 as f64);
    assert_eq!(s.probability.profit, (profit >= -5_000_000.0) as u8 as f64);
    // Monthly bands come from the histogram: within its 0.05% of the value.
    for (mb, w) in s.monthly.iter().zip(&want) {
        let e = kpisim::stats::RELATIVE_ERROR * w.0;
        assert!(
            (mb.revenue.p50 - w.0).abs() <= e,
            "{} vs {}",
            mb.revenue.p50,
            w.0
        );
        assert!(close(mb.revenue.mean, w.0));
        // Profit's bands follow from revenue's: error within 0.05% of
        // margin × revenue.
        assert!(
            (mb.profit.p50 - w.1).abs() <= e * (1.0 - 0.6 - 0.07) * (1.0 + 1e-9),
            "{} vs {}",
            mb.profit.p50,
            w.1
        );
        assert!(close(mb.profit.mean, w.1) && mb.profit.sd == 0.0);
    }
}

/// Payers held at `P` (no budget, retention 1) and ARPU drawn as given: the
/// annual revenue is P × the sum of the monthly ARPUs.
fn constant_payers(months: usize, arpu: &str, revenue_target: f64, profit_target: f64) -> String {
    format!(
        r#"
name = "constant payers"
months = {months}
[targets]
revenue = {revenue_target}
profit = {profit_target}
[costs]
creator_share = 0.65
operations_rate = 0.05
staff = 100_000
infra = 0
[marketing]
budget = 0
[acquisition]
cost_per_registration = 6.0
first_charge_rate = 0.02
[[segments]]
name = "all"
start_payers = 10_000
share_of_new = 1.0
retention = 1.0
arpu = {arpu}
"#
    )
}

/// |p - p_exact| within 4 Monte Carlo standard errors.
fn within_4_se(what: &str, p: f64, exact: f64, n: u64) {
    let se = (exact * (1.0 - exact) / n as f64).sqrt();
    assert!(
        (p - exact).abs() <= 4.0 * se,
        "{what}: {p} vs exact {exact} (4 SE = {})",
        4.0 * se
    );
}

#[test]
fn normal_arpu_drawn_per_trial_gives_the_analytic_probabilities() {
    // Revenue = 12 P D, D ~ N(800, 80): P(revenue >= T) = 1 - Φ((T / 12P - 800) / 80).
    let (p, mu, sigma, n) = (10_000.0, 800.0, 80.0, 200_000);
    let t_rev = 12.0 * p * 830.0;
    // Profit = 0.3 × revenue - 12 × 100k.
    let t_profit = 0.3 * 12.0 * p * 770.0 - 1_200_000.0;
    let text = constant_payers(
        12,
        &format!("{{ dist = \"normal\", mean = {mu}, sd = {sigma} }}"),
        t_rev,
        t_profit,
    );
    let s = simulate(&load(&text), &config(n, 5)).unwrap().summary;
    let tail = |d: f64| 1.0 - big_phi((d - mu) / sigma);
    within_4_se("revenue", s.probability.revenue, tail(830.0), n);
    within_4_se("profit", s.probability.profit, tail(770.0), n);
    // Both targets rise with D: both = the stricter one.
    within_4_se("both", s.probability.both, tail(830.0), n);
    // The annual mean and sd are those of 12 P D.
    let m = s.annual.revenue.mean;
    assert!(
        (m - 12.0 * p * mu).abs() <= 4.0 * 12.0 * p * sigma / (n as f64).sqrt(),
        "{m}"
    );
    assert!((s.annual.revenue.sd / (12.0 * p * sigma) - 1.0).abs() < 5.0 / (2.0 * n as f64).sqrt());
}

#[test]
fn normal_arpu_drawn_per_month_sums_to_a_normal_of_12_months() {
    // Revenue = P Σ D_m, twelve independent N(800, 80): N(12 P 800, 12 P² 80²).
    let (p, mu, sigma, n) = (10_000.0, 800.0, 80.0, 200_000);
    let t = 12.0 * p * 810.0;
    let text = constant_payers(
        12,
        &format!("{{ dist = \"normal\", mean = {mu}, sd = {sigma}, vary = \"month\" }}"),
        t,
        -1e12,
    );
    let s = simulate(&load(&text), &config(n, 6)).unwrap().summary;
    let exact = 1.0 - big_phi((t - 12.0 * p * mu) / (12f64.sqrt() * p * sigma));
    within_4_se("revenue", s.probability.revenue, exact, n);
    assert_eq!(s.probability.profit, 1.0);
}

#[test]
fn noise_multiplies_by_a_lognormal_with_mean_1() {
    // One month, ARPU fixed at 800 with noise cv 0.2: revenue = P 800 L,
    // ln L ~ N(-σ²/2, σ²), σ² = ln(1 + 0.2²).
    let (p, a, cv, n) = (10_000.0, 800.0, 0.2, 200_000);
    let t = p * a * 1.05;
    let text = constant_payers(
        1,
        &format!("{{ dist = \"fixed\", value = {a}, noise_cv = {cv} }}"),
        t,
        -1e12,
    );
    let s = simulate(&load(&text), &config(n, 8)).unwrap().summary;
    let s2 = (1.0f64 + cv * cv).ln();
    let exact = 1.0 - big_phi(((1.05f64).ln() + s2 / 2.0) / s2.sqrt());
    within_4_se("revenue", s.probability.revenue, exact, n);
    let mean = s.annual.revenue.mean;
    assert!(
        (mean - p * a).abs() <= 4.0 * p * a * cv / (n as f64).sqrt(),
        "noise mean is not 1: {mean}"
    );
}

#[test]
fn retention_is_clamped_to_1_not_truncated() {
    // One month without new payers: payers = P × min(max(R, 0), 1), R ~ N(0.95, 0.1).
    // E[min(R, 1)] = μ - [(μ - 1) Φ((μ - 1)/σ) + σ φ((μ - 1)/σ)].
    let (p, mu, sigma, n): (f64, f64, f64, u64) = (10_000.0, 0.95, 0.1, 200_000);
    let text = constant_payers(1, "800", 0.0, -1e12).replace(
        "retention = 1.0",
        &format!("retention = {{ dist = \"normal\", mean = {mu}, sd = {sigma} }}"),
    );
    let s = simulate(&load(&text), &config(n, 9)).unwrap().summary;
    let z = (mu - 1.0) / sigma;
    let phi = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let exact = p * (mu - ((mu - 1.0) * big_phi(z) + sigma * phi));
    let payers = &s.monthly[0].payers;
    assert!(
        (payers.mean - exact).abs() <= 4.0 * payers.sd / (n as f64).sqrt(),
        "{} vs {exact}",
        payers.mean
    );
    // A third of the draws exceed 1 and are clamped there: P75 is exactly P.
    assert!(
        (payers.p75 - p).abs() <= kpisim::stats::RELATIVE_ERROR * p,
        "{}",
        payers.p75
    );
}
