//! Statistical tests of the distribution module `kpisim::distr`: the sample
//! mean and sd of every family and parameter form against its definition,
//! percentiles, and Kolmogorov–Smirnov where the CDF is known; impossible
//! parameters are refused by every constructor.
//!
//! Every family and every parameter form is sampled with a fixed seed
//! (`stream`, so the tests are deterministic) and compared with its
//! DEFINITION, written out again here from the parameters in closed form,
//! never by calling the type's own `mean()` / `sd()`. Separately, the type's
//! own `mean()` and `sd()` must equal that definition to 1e-12 relative.
//!
//! Tolerances (see `check_mean`, `check_sd`, `check_quantile`, `ks_statistic`):
//! - sample mean within 4 standard errors, SE = sd / sqrt(n);
//! - sample sd within 5 standard errors of the sd, kurtosis-aware:
//!   Var(s²) ≈ σ⁴ (κ - 1) / n with κ = m4 / σ⁴ the (non-excess) kurtosis, so
//!   by the delta method SE(s) ≈ σ sqrt((κ - 1) / (4n)); for normal data
//!   (κ = 3) this is the familiar σ / sqrt(2n);
//! - an empirical p-quantile within 4 SE, SE = sqrt(p (1 - p) / n) / f(q);
//! - Kolmogorov–Smirnov D below 1.63 / sqrt(n), the 1% critical value.
//!
//! With fixed seeds a pass is reproducible; a 4-SE band has a two-sided false
//! alarm rate of about 6e-5 per check for a correct sampler, while an error of
//! a fraction of a percent in a mean or sd lands far outside it (see
//! `the_checks_reject_wrong_definitions`, which proves the checks have power).

use std::f64::consts::PI;

use kpisim::distr::{
    Beta, BetaError, LogNormal, LogNormalError, Normal, NormalError, Pert, Triangular,
    TriangularError, Uniform, UniformError, Z95, big_phi,
};
use kpisim::streams::{EngineRng, stream};

/// Draws per moment test.
const N: usize = 200_000;
/// Draws per Kolmogorov–Smirnov test.
const N_KS: usize = 20_000;
/// The run seed; each test uses its own chunk so the streams are independent.
const SEED: u64 = 0x5EED_0D15_7000_0001;

/// Mean tolerance in standard errors.
const MEAN_Z: f64 = 4.0;
/// Sd tolerance in standard errors of the sd.
const SD_Z: f64 = 5.0;
/// Quantile tolerance in standard errors of the quantile.
const QUANTILE_Z: f64 = 4.0;
/// Relative tolerance of the type's own mean() / sd() against the definition.
const EXACT_REL: f64 = 1e-12;

/// Standard normal density, written here independently of the library.
fn std_normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * PI).sqrt()
}

fn draws(chunk: u64, n: usize, mut f: impl FnMut(&mut EngineRng) -> f64) -> Vec<f64> {
    let mut rng = stream(SEED, chunk);
    (0..n).map(|_| f(&mut rng)).collect()
}

/// Sample moments: mean, sd (n - 1 denominator) and kurtosis m4 / m2².
struct Moments {
    n: f64,
    mean: f64,
    sd: f64,
    kurtosis: f64,
}

fn moments(xs: &[f64]) -> Moments {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let (mut m2, mut m4) = (0.0, 0.0);
    for &x in xs {
        let d2 = (x - mean) * (x - mean);
        m2 += d2;
        m4 += d2 * d2;
    }
    let var = m2 / (n - 1.0);
    let (m2, m4) = (m2 / n, m4 / n);
    Moments {
        n,
        mean,
        sd: var.sqrt(),
        kurtosis: m4 / (m2 * m2),
    }
}

/// Sample mean within `MEAN_Z` standard errors (SE = sd / sqrt(n)) of the
/// defined mean; the SE uses the DEFINED sd.
fn check_mean(m: &Moments, def_mean: f64, def_sd: f64) -> Result<(), String> {
    let se = def_sd / m.n.sqrt();
    let z = (m.mean - def_mean) / se;
    if z.abs() <= MEAN_Z {
        Ok(())
    } else {
        Err(format!(
            "sample mean {} vs defined {def_mean}: {z:.2} SE (SE {se:e}, limit {MEAN_Z})",
            m.mean
        ))
    }
}

/// Sample sd within `SD_Z` standard errors of the defined sd, with the
/// kurtosis-aware SE(s) ≈ σ sqrt((κ - 1) / (4n)) (σ / sqrt(2n) when κ = 3).
/// κ is the sample kurtosis: all families tested here are light-tailed, so it
/// is estimated well at n = 200 000.
fn check_sd(m: &Moments, def_sd: f64) -> Result<(), String> {
    let se = def_sd * ((m.kurtosis - 1.0) / (4.0 * m.n)).sqrt();
    let z = (m.sd - def_sd) / se;
    if z.abs() <= SD_Z {
        Ok(())
    } else {
        Err(format!(
            "sample sd {} vs defined {def_sd}: {z:.2} SE (SE {se:e}, kurtosis {:.3}, limit {SD_Z})",
            m.sd, m.kurtosis
        ))
    }
}

/// Asserts the sample's mean and sd match the definition; returns the moments.
fn assert_matches(name: &str, xs: &[f64], def_mean: f64, def_sd: f64) -> Moments {
    assert!(xs.iter().all(|x| x.is_finite()), "{name}: non-finite draw");
    let m = moments(xs);
    if let Err(e) = check_mean(&m, def_mean, def_sd) {
        panic!("{name}: {e}");
    }
    if let Err(e) = check_sd(&m, def_sd) {
        panic!("{name}: {e}");
    }
    m
}

/// The type's own closed form must equal the test's definition to 1e-12.
fn assert_exact(name: &str, what: &str, got: f64, want: f64) {
    let rel = ((got - want) / want).abs();
    assert!(
        rel <= EXACT_REL,
        "{name}: own {what}() = {got} but the definition gives {want} (rel. error {rel:e})"
    );
}

/// Empirical p-quantile (linear interpolation between order statistics).
fn empirical_quantile(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let i = h.floor() as usize;
    let frac = h - i as f64;
    sorted[i] + frac * (sorted[i + 1] - sorted[i])
}

/// Empirical p-quantile within `QUANTILE_Z` standard errors of `def_q`, with
/// the asymptotic SE of a sample quantile sqrt(p (1 - p) / n) / f(q).
fn check_quantile(sorted: &[f64], p: f64, def_q: f64, density_at_q: f64) -> Result<(), String> {
    let n = sorted.len() as f64;
    let se = (p * (1.0 - p) / n).sqrt() / density_at_q;
    let q = empirical_quantile(sorted, p);
    let z = (q - def_q) / se;
    if z.abs() <= QUANTILE_Z {
        Ok(())
    } else {
        Err(format!(
            "empirical {p}-quantile {q} vs defined {def_q}: {z:.2} SE (SE {se:e}, limit {QUANTILE_Z})"
        ))
    }
}

fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// Kolmogorov–Smirnov statistic D = sup |F_n(x) - F(x)| of a sample against
/// an analytic CDF.
fn ks_statistic(xs: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let s = sorted(xs);
    let n = s.len() as f64;
    s.iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).max((i + 1) as f64 / n - f)
        })
        .fold(0.0, f64::max)
}

/// 1% critical value of D for large n.
fn ks_critical(n: usize) -> f64 {
    1.63 / (n as f64).sqrt()
}

// ---------------------------------------------------------------- uniform --

#[test]
fn uniform_matches_its_definition() {
    let (a, b) = (2.0, 5.0);
    let def_mean = (a + b) / 2.0;
    let def_sd = ((b - a) * (b - a) / 12.0_f64).sqrt();

    let d = Uniform::new(a, b).unwrap();
    let xs = draws(1, N, |r| d.sample(r));
    assert!(
        xs.iter().all(|&x| (a..=b).contains(&x)),
        "draw outside [2, 5]"
    );
    assert_matches("uniform(2, 5)", &xs, def_mean, def_sd);
    assert_exact("uniform(2, 5)", "mean", d.mean(), def_mean);
    assert_exact("uniform(2, 5)", "sd", d.sd(), def_sd);
}

// ------------------------------------------------------------- triangular --

#[test]
fn triangular_matches_its_definition() {
    // min a, mode c, max b; both formulas are symmetric in the three points.
    let (a, c, b) = (1.0, 2.0, 6.0);
    let def_mean = (a + b + c) / 3.0;
    let def_var: f64 = (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
    let def_sd = def_var.sqrt();

    let d = Triangular::new(a, c, b).unwrap();
    let xs = draws(2, N, |r| d.sample(r));
    assert!(
        xs.iter().all(|&x| (a..=b).contains(&x)),
        "draw outside [1, 6]"
    );
    assert_matches("triangular(1, 2, 6)", &xs, def_mean, def_sd);
    assert_exact("triangular(1, 2, 6)", "mean", d.mean(), def_mean);
    assert_exact("triangular(1, 2, 6)", "sd", d.sd(), def_sd);
}

// ------------------------------------------------------------------- pert --

#[test]
fn pert_matches_its_definition() {
    let (a, c, b) = (3000.0, 5000.0, 9000.0);
    let def_mean = (a + 4.0 * c + b) / 6.0;
    let alpha = 1.0 + 4.0 * (c - a) / (b - a);
    let beta = 1.0 + 4.0 * (b - c) / (b - a);
    let s = alpha + beta;
    let def_var: f64 = (b - a) * (b - a) * alpha * beta / (s * s * (s + 1.0));
    let def_sd = def_var.sqrt();
    // The two ways of writing the PERT mean agree.
    assert!((a + (b - a) * alpha / s - def_mean).abs() < 1e-9);

    let d = Pert::new(a, c, b).unwrap();
    let xs = draws(3, N, |r| d.sample(r));
    assert!(
        xs.iter().all(|&x| (a..=b).contains(&x)),
        "draw outside [3000, 9000]"
    );
    assert_matches("pert(3000, 5000, 9000)", &xs, def_mean, def_sd);
    assert_exact("pert(3000, 5000, 9000)", "mean", d.mean(), def_mean);
    assert_exact("pert(3000, 5000, 9000)", "sd", d.sd(), def_sd);
}

// ----------------------------------------------------------------- normal --

#[test]
fn normal_from_mean_sd_matches_its_definition() {
    let (mu, sigma) = (800.0, 64.0);
    let d = Normal::from_mean_sd(mu, sigma).unwrap();
    let xs = draws(4, N, |r| d.sample(r));
    assert_matches("normal(800, 64)", &xs, mu, sigma);
    assert_exact("normal(800, 64)", "mean", d.mean(), mu);
    assert_exact("normal(800, 64)", "sd", d.sd(), sigma);
}

#[test]
fn normal_from_p5_p95_matches_its_definition() {
    let (p5, p95) = (4.8, 7.6);
    let z95 = 1.644_853_626_951_472_2;
    let mu = (p5 + p95) / 2.0;
    let sigma = (p95 - p5) / (2.0 * z95);
    assert_eq!(
        Z95, z95,
        "library Z95 differs from the 0.95 normal quantile"
    );

    let d = Normal::from_p5_p95(p5, p95).unwrap();
    let xs = draws(5, N, |r| d.sample(r));
    assert_matches("normal p5/p95 (4.8, 7.6)", &xs, mu, sigma);
    assert_exact("normal p5/p95 (4.8, 7.6)", "mean", d.mean(), mu);
    assert_exact("normal p5/p95 (4.8, 7.6)", "sd", d.sd(), sigma);

    // The percentiles it was built from: density at p5 and p95 is
    // φ(±z95) / σ.
    let s = sorted(&xs);
    let f = std_normal_pdf(z95) / sigma;
    for (p, q) in [(0.05, p5), (0.95, p95)] {
        if let Err(e) = check_quantile(&s, p, q, f) {
            panic!("normal p5/p95 (4.8, 7.6): {e}");
        }
    }
}

#[test]
fn normal_truncated_below_matches_its_definition() {
    // p5 = 4.8, p95 = 7.6, truncated to [5.5, ∞). With a = (min - μ) / σ and
    // Z = 1 - Φ(a): mean μ + σ φ(a) / Z,
    // variance σ² [1 + a φ(a) / Z - (φ(a) / Z)²].
    let (p5, p95, min) = (4.8, 7.6, 5.5);
    let mu = (p5 + p95) / 2.0;
    let sigma = (p95 - p5) / (2.0 * 1.644_853_626_951_472_2);
    let a = (min - mu) / sigma;
    let z = 1.0 - big_phi(a);
    let lambda = std_normal_pdf(a) / z;
    let def_mean = mu + sigma * lambda;
    let def_sd = sigma * (1.0 + a * lambda - lambda * lambda).sqrt();

    let d = Normal::from_p5_p95(p5, p95)
        .unwrap()
        .truncated(Some(min), None)
        .unwrap();
    let xs = draws(6, N, |r| d.sample(r));
    assert!(xs.iter().all(|&x| x >= min), "a draw fell below min = 5.5");
    let name = "normal p5/p95 (4.8, 7.6) truncated to [5.5, ∞)";
    assert_matches(name, &xs, def_mean, def_sd);
    assert_exact(name, "mean", d.mean(), def_mean);
    assert_exact(name, "sd", d.sd(), def_sd);
}

#[test]
fn normal_truncated_both_sides_matches_its_definition() {
    // N(120, 30) truncated to [100, 200]: with a, b standardised bounds and
    // Z = Φ(b) - Φ(a), mean μ + σ (φ(a) - φ(b)) / Z, variance
    // σ² [1 + (a φ(a) - b φ(b)) / Z - ((φ(a) - φ(b)) / Z)²].
    let (mu, sigma, min, max) = (120.0, 30.0, 100.0, 200.0);
    let (a, b) = ((min - mu) / sigma, (max - mu) / sigma);
    let z = big_phi(b) - big_phi(a);
    let (pa, pb) = (std_normal_pdf(a), std_normal_pdf(b));
    let d_ratio = (pa - pb) / z;
    let def_mean = mu + sigma * d_ratio;
    let def_sd = sigma * (1.0 + (a * pa - b * pb) / z - d_ratio * d_ratio).sqrt();

    let d = Normal::from_mean_sd(mu, sigma)
        .unwrap()
        .truncated(Some(min), Some(max))
        .unwrap();
    let xs = draws(7, N, |r| d.sample(r));
    assert!(
        xs.iter().all(|&x| (min..=max).contains(&x)),
        "draw outside [100, 200]"
    );
    let name = "normal(120, 30) truncated to [100, 200]";
    assert_matches(name, &xs, def_mean, def_sd);
    assert_exact(name, "mean", d.mean(), def_mean);
    assert_exact(name, "sd", d.sd(), def_sd);
}

// -------------------------------------------------------------- lognormal --

#[test]
fn lognormal_from_mean_sd_matches_its_definition() {
    // The value (not its log) has mean m and sd s; its log is normal with
    // σ² = ln(1 + s²/m²) and mean ln m - σ²/2.
    let (m, s) = (6.0_f64, 0.9_f64);
    let sigma2 = (1.0 + s * s / (m * m)).ln();
    let log_mu = m.ln() - sigma2 / 2.0;

    let d = LogNormal::from_mean_sd(m, s).unwrap();
    let xs = draws(8, N, |r| d.sample(r));
    assert!(xs.iter().all(|&x| x > 0.0), "non-positive lognormal draw");
    assert_matches("lognormal(6.0, 0.9)", &xs, m, s);
    assert_exact("lognormal(6.0, 0.9)", "mean", d.mean(), m);
    assert_exact("lognormal(6.0, 0.9)", "sd", d.sd(), s);

    // ln x is normal: same 4-SE / 5-SE(sd) bands on its own scale.
    let logs: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
    assert_matches("ln of lognormal(6.0, 0.9)", &logs, log_mu, sigma2.sqrt());
}

#[test]
fn lognormal_from_p5_p95_matches_its_definition() {
    let (p5, p95) = (600.0_f64, 1100.0_f64);
    let z95 = 1.644_853_626_951_472_2;
    let mu = (p5.ln() + p95.ln()) / 2.0;
    let sigma = (p95.ln() - p5.ln()) / (2.0 * z95);
    let def_mean = (mu + sigma * sigma / 2.0).exp();
    // Var = (e^{σ²} - 1) e^{2μ + σ²}.
    let def_sd = (((sigma * sigma).exp() - 1.0) * (2.0 * mu + sigma * sigma).exp()).sqrt();

    let d = LogNormal::from_p5_p95(p5, p95).unwrap();
    let xs = draws(9, N, |r| d.sample(r));
    assert!(xs.iter().all(|&x| x > 0.0), "non-positive lognormal draw");
    let name = "lognormal p5/p95 (600, 1100)";
    assert_matches(name, &xs, def_mean, def_sd);
    assert_exact(name, "mean", d.mean(), def_mean);
    assert_exact(name, "sd", d.sd(), def_sd);

    // Density of the lognormal at x: φ((ln x - μ) / σ) / (x σ).
    let s = sorted(&xs);
    for (p, q) in [(0.05, p5), (0.95, p95)] {
        let f = std_normal_pdf((q.ln() - mu) / sigma) / (q * sigma);
        if let Err(e) = check_quantile(&s, p, q, f) {
            panic!("{name}: {e}");
        }
    }
}

#[test]
fn lognormal_unit_mean_matches_its_definition() {
    let cv = 0.25;
    let d = LogNormal::unit_mean(cv).unwrap();
    let xs = draws(10, N, |r| d.sample(r));
    assert!(xs.iter().all(|&x| x > 0.0), "non-positive lognormal draw");
    assert_matches("lognormal unit_mean(0.25)", &xs, 1.0, cv);
    assert_exact("lognormal unit_mean(0.25)", "mean", d.mean(), 1.0);
    assert_exact("lognormal unit_mean(0.25)", "sd", d.sd(), cv);
}

// ------------------------------------------------------------------- beta --

/// Mean α / (α + β) and sd sqrt(αβ / ((α + β)² (α + β + 1))).
fn beta_definition(alpha: f64, beta: f64) -> (f64, f64) {
    let s = alpha + beta;
    (alpha / s, (alpha * beta / (s * s * (s + 1.0))).sqrt())
}

/// From mean m and sd s: ν = m (1 - m) / s² - 1, α = m ν, β = (1 - m) ν;
/// checks the sample and the type against both (m, s) and the shapes' formula.
fn check_beta_from_mean_sd(chunk: u64, m: f64, s: f64) {
    let name = format!("beta from mean/sd ({m}, {s})");
    let nu = m * (1.0 - m) / (s * s) - 1.0;
    let (alpha, beta) = (m * nu, (1.0 - m) * nu);
    let (def_mean, def_sd) = beta_definition(alpha, beta);
    // The shape algebra reproduces the requested moments.
    assert!(
        (def_mean - m).abs() <= 1e-12 * m,
        "{name}: shape algebra mean"
    );
    assert!((def_sd - s).abs() <= 1e-12 * s, "{name}: shape algebra sd");

    let d = Beta::from_mean_sd(m, s).unwrap();
    let (ga, gb) = d.shapes();
    assert_exact(&name, "alpha", ga, alpha);
    assert_exact(&name, "beta", gb, beta);
    let xs = draws(chunk, N, |r| d.sample(r));
    assert!(
        xs.iter().all(|&x| x > 0.0 && x < 1.0),
        "{name}: draw outside (0, 1)"
    );
    assert_matches(&name, &xs, m, s);
    assert_exact(&name, "mean", d.mean(), m);
    assert_exact(&name, "sd", d.sd(), s);
}

#[test]
fn beta_from_mean_sd_small_mean_matches_its_definition() {
    check_beta_from_mean_sd(11, 0.02, 0.003);
}

#[test]
fn beta_from_mean_sd_near_half_matches_its_definition() {
    check_beta_from_mean_sd(12, 0.519, 0.03);
}

#[test]
fn beta_from_mean_sd_wide_matches_its_definition() {
    // ν ≈ 12: α ≈ 9, β ≈ 3, a clearly skewed, non-normal beta.
    check_beta_from_mean_sd(13, 0.75, 0.12);
}

#[test]
fn beta_from_alpha_beta_matches_its_definition() {
    let (alpha, beta) = (30.0, 1470.0);
    let (def_mean, def_sd) = beta_definition(alpha, beta);
    let d = Beta::from_alpha_beta(alpha, beta).unwrap();
    let xs = draws(14, N, |r| d.sample(r));
    assert!(
        xs.iter().all(|&x| x > 0.0 && x < 1.0),
        "draw outside (0, 1)"
    );
    assert_matches("beta(30, 1470)", &xs, def_mean, def_sd);
    assert_exact("beta(30, 1470)", "mean", d.mean(), def_mean);
    assert_exact("beta(30, 1470)", "sd", d.sd(), def_sd);
}

#[test]
fn beta_with_small_shapes_matches_its_definition() {
    // Both shapes < 1 (α = 0.5, β = 0.8): the Cheng sampler path, not the
    // Gamma ratio. U-shaped, so the kurtosis-aware sd band matters.
    let (alpha, beta) = (0.5, 0.8);
    let (def_mean, def_sd) = beta_definition(alpha, beta);
    let d = Beta::from_alpha_beta(alpha, beta).unwrap();
    let xs = draws(15, N, |r| d.sample(r));
    assert!(
        xs.iter().all(|&x| (0.0..=1.0).contains(&x)),
        "draw outside [0, 1]"
    );
    assert_matches("beta(0.5, 0.8)", &xs, def_mean, def_sd);
    assert_exact("beta(0.5, 0.8)", "mean", d.mean(), def_mean);
    assert_exact("beta(0.5, 0.8)", "sd", d.sd(), def_sd);
}

// ------------------------------------------------------ Kolmogorov–Smirnov --

#[test]
fn uniform_passes_kolmogorov_smirnov() {
    let (a, b) = (2.0, 5.0);
    let d = Uniform::new(a, b).unwrap();
    let xs = draws(16, N_KS, |r| d.sample(r));
    let ks = ks_statistic(&xs, |x| ((x - a) / (b - a)).clamp(0.0, 1.0));
    let crit = ks_critical(N_KS);
    assert!(
        ks < crit,
        "uniform(2, 5): KS D = {ks} >= 1% critical {crit}"
    );
}

#[test]
fn normal_passes_kolmogorov_smirnov() {
    let (mu, sigma) = (800.0, 64.0);
    let d = Normal::from_mean_sd(mu, sigma).unwrap();
    let xs = draws(17, N_KS, |r| d.sample(r));
    let ks = ks_statistic(&xs, |x| big_phi((x - mu) / sigma));
    let crit = ks_critical(N_KS);
    assert!(
        ks < crit,
        "normal(800, 64): KS D = {ks} >= 1% critical {crit}"
    );
}

/// `big_phi` underlies the truncated-normal definitions and the normal KS
/// test, so pin it to tabulated values first.
#[test]
fn big_phi_matches_known_values() {
    let table = [
        (0.0, 0.5),
        (1.0, 0.841_344_746_068_542_9),
        (-1.0, 0.158_655_253_931_457_05),
        (1.644_853_626_951_472_2, 0.95),
        (-1.959_963_984_540_054, 0.025),
        (3.0, 0.998_650_101_968_369_9),
    ];
    for (z, p) in table {
        let got = big_phi(z);
        assert!((got - p).abs() <= 1e-14, "Φ({z}) = {got}, expected {p}");
    }
}

// ------------------------------------------------------- power of checks --

/// The checks are not vacuous: on the same kind of sample they reject a mean
/// off by 10 SE, an sd off by 2%, a quantile off by 10 SE, and a KS test
/// against a normal shifted by 0.1 σ (D ≈ 0.04 against a 0.0115 limit).
#[test]
fn the_checks_reject_wrong_definitions() {
    let (a, b) = (2.0, 5.0);
    let (mean, sd) = ((a + b) / 2.0, (b - a) / 12.0_f64.sqrt());
    let d = Uniform::new(a, b).unwrap();
    let xs = draws(18, N, |r| d.sample(r));
    let m = moments(&xs);
    let se = sd / (N as f64).sqrt();
    assert!(check_mean(&m, mean, sd).is_ok());
    assert!(check_mean(&m, mean + 10.0 * se, sd).is_err());
    assert!(check_mean(&m, mean - 10.0 * se, sd).is_err());
    assert!(check_sd(&m, sd).is_ok());
    assert!(check_sd(&m, sd * 1.02).is_err());
    assert!(check_sd(&m, sd * 0.98).is_err());

    let s = sorted(&xs);
    let density = 1.0 / (b - a);
    let q_se = (0.05_f64 * 0.95 / N as f64).sqrt() / density;
    let p5 = a + 0.05 * (b - a);
    assert!(check_quantile(&s, 0.05, p5, density).is_ok());
    assert!(check_quantile(&s, 0.05, p5 + 10.0 * q_se, density).is_err());

    let (mu, sigma) = (800.0, 64.0);
    let nd = Normal::from_mean_sd(mu, sigma).unwrap();
    let ys = draws(19, N_KS, |r| nd.sample(r));
    let wrong = ks_statistic(&ys, |x| big_phi((x - mu - 0.1 * sigma) / sigma));
    assert!(
        wrong >= ks_critical(N_KS),
        "KS failed to reject a 0.1 σ shift: D = {wrong}"
    );
}

// ---------------------------------------------------- constructor errors --

#[test]
fn beta_constructors_reject_impossible_parameters() {
    // sd² must stay below m (1 - m) = 0.25 at m = 0.5.
    assert!(matches!(
        Beta::from_mean_sd(0.5, 0.6),
        Err(BetaError::SdTooLarge { .. })
    ));
    assert!(Beta::from_mean_sd(0.5, 0.49).is_ok());
    assert!(matches!(
        Beta::from_mean_sd(1.2, 0.1),
        Err(BetaError::MeanOutside)
    ));
    assert!(matches!(
        Beta::from_alpha_beta(0.0, 1.0),
        Err(BetaError::AlphaNotPositive)
    ));
}

#[test]
fn normal_constructors_reject_impossible_parameters() {
    assert!(matches!(
        Normal::from_p5_p95(5.0, 4.0),
        Err(NormalError::P5NotBelowP95)
    ));
    let base = || Normal::from_mean_sd(0.0, 1.0).unwrap();
    assert!(matches!(
        base().truncated(Some(2.0), Some(1.0)),
        Err(NormalError::MinNotBelowMax)
    ));
    assert!(matches!(
        base().truncated(Some(1.0), Some(1.0)),
        Err(NormalError::MinNotBelowMax)
    ));
    // [5, ∞) keeps 1 - Φ(5) ≈ 2.9e-7 of the mass, below the 1e-3 minimum;
    // [3, ∞) keeps ≈ 1.35e-3 and is accepted.
    assert!(matches!(
        base().truncated(Some(5.0), None),
        Err(NormalError::TruncationTooNarrow { .. })
    ));
    assert!(base().truncated(Some(3.0), None).is_ok());
}

#[test]
fn lognormal_constructors_reject_impossible_parameters() {
    assert!(matches!(
        LogNormal::from_mean_sd(-1.0, 1.0),
        Err(LogNormalError::MeanNotPositive)
    ));
    assert!(LogNormal::from_p5_p95(0.0, 1.0).is_err());
    assert!(LogNormal::from_p5_p95(2.0, 1.0).is_err());
}

#[test]
fn triangular_pert_uniform_constructors_reject_impossible_parameters() {
    assert!(matches!(
        Triangular::new(1.0, 7.0, 6.0),
        Err(TriangularError::ModeOutside)
    ));
    assert!(Pert::new(1.0, 7.0, 6.0).is_err());
    assert!(Triangular::new(6.0, 6.0, 6.0).is_err());
    assert!(matches!(
        Uniform::new(3.0, 2.0),
        Err(UniformError::MinAboveMax)
    ));
}
