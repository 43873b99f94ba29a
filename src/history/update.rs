//! `track`: updating a plan's uncertain input by what the year's actual
//! months show, a conjugate normal update on the log scale.
//!
//! The plan's distribution of the level D (mean μ₀, sd σ₀) is read as a
//! lognormal: log D ~ N(m₀, v₀) with v₀ = ln(1 + σ₀²/μ₀²) and
//! m₀ = ln μ₀ - v₀/2. Each actual month m gives a ratio r_m (docs/history.md);
//! divided by the plan's profile for m (and, for retention, by the share a
//! shock left), its log y_m = log D + log noise_m, where the noise of
//! coefficient of variation c has log-variance s² = ln(1 + c²) and mean
//! -s²/2. With k months observed, each of variance
//!
//!   τ² = max(s², v₀, the y's own sample variance),
//!
//! the posterior is N(m₁, v₁) with 1/v₁ = 1/v₀ + k/τ² and
//! m₁ = v₁ (m₀/v₀ + Σ(y_m + s²/2)/τ²), and the updated input has
//! mean exp(m₁ + v₁/2) and sd mean·√(exp(v₁) - 1), moment-matched back to
//! the plan's family.
//!
//! The floor τ² ≥ v₀ makes one actual month count at most as much as the
//! whole plan: a plan that wrote no noise would otherwise let a single month
//! fix the level for the rest of the year. The sample variance floor lets
//! months that scatter more than the plan said weigh less.
//!
//! An input drawn every month (`vary = "month"`) keeps its month-to-month
//! spread v₀; only its centre moves, each month seen with variance
//! max(v₀ + s², sample variance). A fixed input stays fixed: the plan says
//! it is known.

use serde::Serialize;

use crate::distr::{Beta, Dist, LogNormal, Normal};
use crate::scenario::{Input, InputKind, Vary};

/// One input's update.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Updated {
    /// Its dotted path, e.g. `segments.big_r.retention`.
    pub path: String,
    /// What it is: a rate, a cost per registration, an ARPU.
    #[serde(skip)]
    pub kind: InputKind,
    /// The family of the updated distribution.
    pub dist: &'static str,
    /// The plan's mean of D, in the input's unit (CNY, or a fraction for a
    /// rate).
    pub plan_mean: f64,
    /// The plan's sd of D, same unit.
    pub plan_sd: f64,
    /// Actual months whose ratio was usable (finite and above 0).
    pub months: usize,
    /// Mean of the observed ratios, each divided by its month's profile
    /// (and shock); `None` when no actual month gives a usable ratio.
    pub observed: Option<f64>,
    /// The updated mean of D, same unit (the plan's when kept).
    pub mean: f64,
    /// The updated sd of D, same unit (the plan's when kept).
    pub sd: f64,
    /// Why the input was left as the plan has it, when it was.
    pub kept_at_plan: Option<&'static str>,
}

/// Why an input was left at the plan.
const FIXED: &str = "fixed in the plan";
const NO_RATIO: &str =
    "no actual month gives this ratio (each is 0, or its divisor is 0), so the plan stands";
const NO_SPREAD: &str = "the plan gives it no spread to update";
const NO_SD: &str = "the plan's tail is too heavy for a standard deviation, which the update needs, so the plan stands";
const NO_MATCH: &str = "no distribution of the plan's family has the updated mean and sd";

fn lognormal_moments(mean: f64, sd: f64) -> (f64, f64) {
    let v = (1.0 + (sd / mean).powi(2)).ln();
    (mean.ln() - 0.5 * v, v)
}

/// `input` left as the plan has it, for the reason `why`.
pub fn kept(path: &str, input: &Input, why: &'static str) -> (Input, Updated) {
    (
        input.clone(),
        Updated {
            path: path.to_string(),
            kind: input.kind,
            dist: family_key(&input.dist),
            plan_mean: input.dist.mean(),
            plan_sd: input.dist.sd(),
            months: 0,
            observed: None,
            mean: input.dist.mean(),
            sd: input.dist.sd(),
            kept_at_plan: Some(why),
        },
    )
}

/// `input` updated by `observed`, pairs of (0-based month, ratio already
/// divided by what shocks left of it), for the input at `path`. Returns the
/// updated input and what changed.
pub fn update(path: &str, input: &Input, observed: &[(usize, f64)]) -> (Input, Updated) {
    let (mu0, sd0) = (input.dist.mean(), input.dist.sd());
    let ys: Vec<f64> = observed
        .iter()
        .map(|&(m, r)| r / input.profile[m])
        .filter(|v| *v > 0.0 && v.is_finite())
        .collect();
    let observed_mean = (!ys.is_empty()).then(|| ys.iter().sum::<f64>() / ys.len() as f64);
    let unchanged = |input: &Input, why: &'static str| {
        (
            input.clone(),
            Updated {
                path: path.to_string(),
                kind: input.kind,
                dist: family_key(&input.dist),
                plan_mean: mu0,
                plan_sd: sd0,
                months: ys.len(),
                observed: observed_mean,
                mean: mu0,
                sd: sd0,
                kept_at_plan: Some(why),
            },
        )
    };
    if matches!(input.dist, Dist::Fixed(_)) {
        return unchanged(input, FIXED);
    }
    if ys.is_empty() {
        return unchanged(input, NO_RATIO);
    }
    if !(mu0 > 0.0 && sd0 > 0.0) {
        return unchanged(input, NO_SPREAD);
    }
    if !sd0.is_finite() {
        return unchanged(input, NO_SD);
    }
    let (m0, v0) = lognormal_moments(mu0, sd0);
    let s2 = (1.0 + input.noise_cv * input.noise_cv).ln();
    let logs: Vec<f64> = ys.iter().map(|y| y.ln() + 0.5 * s2).collect();
    let k = logs.len() as f64;
    let sample_var = if logs.len() > 1 {
        let m = logs.iter().sum::<f64>() / k;
        logs.iter().map(|y| (y - m).powi(2)).sum::<f64>() / (k - 1.0)
    } else {
        0.0
    };
    let per_month = match input.vary {
        Vary::Trial => s2.max(v0),
        Vary::Month => v0 + s2,
    };
    let tau2 = per_month.max(sample_var);
    let v1 = 1.0 / (1.0 / v0 + k / tau2);
    let m1 = v1 * (m0 / v0 + logs.iter().sum::<f64>() / tau2);
    let spread = match input.vary {
        Vary::Trial => v1,
        Vary::Month => v0,
    };
    let mean = (m1 + 0.5 * spread).exp();
    let sd = mean * (spread.exp() - 1.0).sqrt();
    let Some(dist) = matched(&input.dist, input.kind, mean, sd) else {
        return unchanged(input, NO_MATCH);
    };
    let updated = Input {
        dist,
        ..input.clone()
    };
    let info = Updated {
        path: path.to_string(),
        kind: input.kind,
        dist: family_key(&updated.dist),
        plan_mean: mu0,
        plan_sd: sd0,
        months: ys.len(),
        observed: observed_mean,
        mean: updated.dist.mean(),
        sd: updated.dist.sd(),
        kept_at_plan: None,
    };
    (updated, info)
}

fn family_key(d: &Dist) -> &'static str {
    match d {
        Dist::Fixed(_) => "fixed",
        Dist::Uniform(_) => "uniform",
        Dist::Triangular(_) => "triangular",
        Dist::Pert(_) => "pert",
        Dist::Normal(_) => "normal",
        Dist::LogNormal(_) => "lognormal",
        Dist::Beta(_) => "beta",
        Dist::Metalog(_) => "metalog",
    }
}

/// A distribution of `plan`'s family with this mean and sd where the
/// family takes them; a lognormal (amounts) or a beta (rates) otherwise. A
/// cost per registration stays a lognormal, which never reaches 0.
fn matched(plan: &Dist, kind: InputKind, mean: f64, sd: f64) -> Option<Dist> {
    let beta = || {
        let m = mean.clamp(1e-6, 1.0 - 1e-6);
        let s = sd.min(0.99 * (m * (1.0 - m)).sqrt());
        Beta::from_mean_sd(m, s).ok().map(Dist::Beta)
    };
    let lognormal = || LogNormal::from_mean_sd(mean, sd).ok().map(Dist::LogNormal);
    match (plan, kind) {
        (_, InputKind::Rate) if !matches!(plan, Dist::Normal(_)) => beta(),
        (Dist::Normal(n), InputKind::Rate | InputKind::Arpu) => {
            let (lo, hi) = n.bounds();
            let base = Normal::from_mean_sd(mean, sd).ok()?;
            let inside = lo < mean && mean < hi;
            let keep = |b: f64| (b.is_finite() && inside).then_some(b);
            base.truncated(keep(lo), keep(hi)).ok().map(Dist::Normal)
        }
        _ => lognormal(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(dist: Dist, vary: Vary, noise_cv: f64) -> Input {
        Input {
            dist,
            vary,
            profile: vec![1.0; 12],
            noise_cv,
            kind: InputKind::Arpu,
        }
    }

    fn lognormal(mean: f64, sd: f64) -> Dist {
        Dist::LogNormal(LogNormal::from_mean_sd(mean, sd).unwrap())
    }

    #[test]
    fn months_at_the_plans_level_narrow_it_and_barely_move_it() {
        let plan = input(lognormal(800.0, 64.0), Vary::Trial, 0.0);
        let (_, u) = update("a", &plan, &[(0, 800.0), (1, 800.0), (2, 800.0)]);
        assert!((u.mean - 800.0).abs() < 2.0, "{}", u.mean);
        // The plan counts as one month: four in all, so half the sd.
        assert!((u.sd / 64.0 - 0.5).abs() < 0.02, "{}", u.sd);
    }

    #[test]
    fn many_months_pull_the_level_to_what_they_show() {
        let plan = input(lognormal(800.0, 64.0), Vary::Trial, 0.05);
        let seen: Vec<(usize, f64)> = (0..12).map(|m| (m, 700.0)).collect();
        let (_, u) = update("a", &plan, &seen);
        // Twelve months against the plan's one: 12/13 of the way, on the log
        // scale.
        assert!(u.mean > 700.0 && u.mean < 712.0, "{}", u.mean);
        assert!(u.sd < 64.0 / 3.0, "{}", u.sd);
    }

    #[test]
    fn the_profile_is_divided_out() {
        let mut plan = input(lognormal(800.0, 64.0), Vary::Trial, 0.0);
        plan.profile = vec![1.25; 12];
        let (_, u) = update("a", &plan, &[(0, 1000.0), (1, 1000.0), (2, 1000.0)]);
        assert!((u.observed.unwrap() - 800.0).abs() < 1e-9);
        assert!((u.mean - 800.0).abs() < 2.0, "{}", u.mean);
    }

    #[test]
    fn a_fixed_input_stays_fixed_and_a_monthly_one_keeps_its_spread() {
        let (fixed, u) = update(
            "a",
            &input(Dist::Fixed(800.0), Vary::Trial, 0.0),
            &[(0, 500.0)],
        );
        assert!(matches!(fixed.dist, Dist::Fixed(v) if v == 800.0));
        assert_eq!(u.mean, 800.0);
        let plan = input(lognormal(800.0, 64.0), Vary::Month, 0.0);
        let (_, u) = update("a", &plan, &[(0, 700.0), (1, 700.0), (2, 700.0)]);
        assert!(u.mean < 790.0 && u.mean > 700.0, "{}", u.mean);
        assert!((u.sd / u.mean - 0.08).abs() < 1e-9, "cv {}", u.sd / u.mean);
    }

    #[test]
    fn a_ratio_no_month_gives_leaves_the_plan_and_says_why() {
        let plan = Input {
            dist: Dist::Beta(Beta::from_mean_sd(0.02, 0.003).unwrap()),
            vary: Vary::Trial,
            profile: vec![1.0; 12],
            noise_cv: 0.0,
            kind: InputKind::Rate,
        };
        let (kept, u) = update("r", &plan, &[(0, 0.0), (1, 0.0), (2, f64::NAN)]);
        assert_eq!(u.observed, None);
        assert_eq!(u.months, 0);
        assert_eq!((u.mean, u.sd), (plan.dist.mean(), plan.dist.sd()));
        assert_eq!(kept.dist.mean(), plan.dist.mean());
        assert_eq!(u.kept_at_plan, Some(NO_RATIO));
    }

    #[test]
    fn a_rate_stays_a_beta_within_0_and_1() {
        let plan = Input {
            dist: Dist::Beta(Beta::from_mean_sd(0.98, 0.01).unwrap()),
            vary: Vary::Trial,
            profile: vec![1.0; 12],
            noise_cv: 0.0,
            kind: InputKind::Rate,
        };
        let (updated, u) = update("r", &plan, &[(0, 1.0), (1, 1.0), (2, 1.0)]);
        assert!(matches!(updated.dist, Dist::Beta(_)));
        assert!(u.mean < 1.0 && u.mean > 0.98, "{}", u.mean);
    }

    #[test]
    fn a_plan_without_a_finite_sd_stands() {
        // ln x grows like 0.70 L at the top: a mean, no sd.
        let m = crate::distr::Metalog::new(&[(0.2, 1.0), (0.8, 7.0)], Some(0.0), None).unwrap();
        let plan = input(Dist::Metalog(Box::new(m)), Vary::Trial, 0.0);
        let (kept, u) = update("a", &plan, &[(0, 3.0), (1, 3.0), (2, 3.0)]);
        assert_eq!(u.kept_at_plan, Some(NO_SD));
        assert_eq!((u.dist, u.months), ("metalog", 3));
        assert!(matches!(kept.dist, Dist::Metalog(_)));
    }
}
