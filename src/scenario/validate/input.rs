//! Rules of one uncertain input: its family's parameters (one function per
//! family), its profile and noise, what its meaning demands (a rate stays in
//! [0, 1], a cost per registration above 0), and how far its draws reach.

use super::super::raw::{Family, RawDist, RawInput, Vary};
use super::super::schema::QUANTILES;
use super::super::spans::FieldPath;
use super::super::{Input, InputKind, ScenarioErrorKind as Rule, Side};
use super::{Checker, MAX_AMOUNT};
use crate::distr::{
    Beta, Dist, DistError, LogNormal, Metalog, Normal, Pert, Triangular, Uniform, Z_REACH,
};
use crate::present::num;

/// Highest ARPU the plausible draws may reach, CNY a payer a month: with
/// at most [`MAX_AMOUNT`] CNY a month of budget and costs, it keeps a
/// year's revenue below 1e38, inside every number type kpisim stores.
pub const MAX_ARPU: f64 = 1e12;

/// Lowest cost per registration the plausible draws may reach, CNY.
pub const MIN_COST_PER_REGISTRATION: f64 = 1e-6;

/// What an input is: decides its clamp, its extra rules and its bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meaning {
    CostPerRegistration,
    FirstChargeRate,
    Retention,
    Arpu,
    Elasticity,
}

impl Meaning {
    fn kind(self) -> InputKind {
        match self {
            Meaning::CostPerRegistration => InputKind::CostPerRegistration,
            Meaning::FirstChargeRate | Meaning::Retention => InputKind::Rate,
            Meaning::Arpu => InputKind::Arpu,
            Meaning::Elasticity => InputKind::Elasticity,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Meaning::CostPerRegistration => "the cost per registration",
            Meaning::FirstChargeRate => "the first-charge rate",
            Meaning::Retention => "retention",
            Meaning::Arpu => "ARPU",
            Meaning::Elasticity => "the spend elasticity",
        }
    }

    /// `(lowest, highest)` the plausible values may reach. Rates are
    /// clamped to [0, 1] and only need to stay finite.
    fn bounds(self) -> (f64, f64) {
        match self {
            Meaning::CostPerRegistration => (MIN_COST_PER_REGISTRATION, MAX_AMOUNT),
            Meaning::FirstChargeRate | Meaning::Retention | Meaning::Elasticity => {
                (-MAX_AMOUNT, MAX_AMOUNT)
            }
            Meaning::Arpu => (-MAX_AMOUNT, MAX_ARPU),
        }
    }
}

/// Checks one uncertain input and builds it (a placeholder where it is
/// invalid, so that the rest of the file is still checked).
pub(crate) fn input(
    c: &mut Checker,
    path: &FieldPath,
    raw: &RawInput,
    meaning: Meaning,
    months: usize,
) -> Input {
    let kind = meaning.kind();
    let before = c.problems.len();
    let input = match raw {
        RawInput::Fixed(v) => {
            c.finite(path, *v);
            Input {
                dist: Dist::Fixed(*v),
                vary: Vary::Trial,
                profile: vec![1.0; months],
                noise_cv: 0.0,
                kind,
            }
        }
        RawInput::Dist(d) => {
            // A rate's centre or bound written as a percentage is that
            // mistake, not whatever the family then makes of it.
            let dist = if kind == InputKind::Rate && !rate_params(c, path, raw) {
                None
            } else {
                dist(c, path, d)
            };
            let profile = match &d.profile {
                None => vec![1.0; months],
                Some(p) => {
                    if c.check_lengths && p.len() != months {
                        c.fail(
                            &path.key("profile"),
                            Some(format!("[{} numbers]", p.len())),
                            Rule::ProfileLength { months },
                        );
                    }
                    for (i, v) in p.iter().enumerate() {
                        let at = path.key("profile").index(i);
                        if c.finite(&at, *v) && *v < 0.0 {
                            c.fail(&at, Some(num(*v)), Rule::Negative);
                        }
                    }
                    let mut p = p.clone();
                    p.resize(months, 1.0);
                    p
                }
            };
            let noise_cv = d.noise_cv.unwrap_or(0.0);
            let at = path.key("noise_cv");
            if c.finite(&at, noise_cv) && noise_cv < 0.0 {
                c.fail(&at, Some(num(noise_cv)), Rule::Negative);
            }
            Input {
                dist: dist.unwrap_or(Dist::Fixed(1.0)),
                vary: d.vary,
                profile,
                noise_cv,
                kind,
            }
        }
    };
    if c.problems.len() == before {
        meaning_rules(c, path, raw, &input);
    }
    if c.problems.len() == before {
        reach(c, path, raw, &input, meaning);
    }
    input
}

/// The path of parameter `name` of `raw` (the input itself when written as
/// a bare number).
fn param_path(path: &FieldPath, raw: &RawInput, name: &str) -> FieldPath {
    match raw {
        RawInput::Fixed(_) => path.clone(),
        RawInput::Dist(_) => path.key(name),
    }
}

/// Checks that a rate's centre and bounds lie in [0, 1]: clamping handles
/// the tails, but a centre or bound written outside is a mistake, most
/// often a percentage (65 for 0.65). Returns whether they all do.
fn rate_params(c: &mut Checker, path: &FieldPath, raw: &RawInput) -> bool {
    let named: Vec<(&str, Option<f64>)> = match raw {
        RawInput::Fixed(v) => vec![("value", Some(*v))],
        RawInput::Dist(d) => vec![
            ("value", d.value),
            ("mean", d.mean),
            ("min", d.min),
            ("mode", d.mode),
            ("max", d.max),
            ("p5", d.p5),
            ("p95", d.p95),
            ("lower", d.lower),
            ("upper", d.upper),
        ],
    };
    // A metalog's values, each where it is written.
    if let RawInput::Dist(d) = raw {
        for (i, pair) in d.quantiles.iter().flatten().enumerate() {
            let x = pair[1];
            if x.is_finite() && !(0.0..=1.0).contains(&x) {
                c.fail(
                    &path.key(QUANTILES).index(i),
                    Some(format!("[{}, {}]", num(pair[0]), num(x))),
                    Rule::RateOutside {
                        meant: super::super::error::percent_slip(x),
                    },
                );
                return false;
            }
        }
    }
    let mut ok = true;
    for (name, v) in named {
        if let Some(v) = v.filter(|v| v.is_finite() && !(0.0..=1.0).contains(v)) {
            c.fail(
                &param_path(path, raw, name),
                Some(num(v)),
                Rule::RateOutside {
                    meant: super::super::error::percent_slip(v),
                },
            );
            ok = false;
        }
    }
    ok
}

/// Rules that depend on what the input means, not on its family.
fn meaning_rules(c: &mut Checker, path: &FieldPath, raw: &RawInput, input: &Input) {
    match input.kind {
        InputKind::Rate => {
            if let RawInput::Fixed(_) = raw {
                rate_params(c, path, raw);
            }
        }
        InputKind::CostPerRegistration => {
            let lo = input.dist.lower_bound();
            if lo < 0.0 || (lo == 0.0 && input.dist.reaches_lower_bound()) {
                let (p, v, kind) = match raw {
                    RawInput::Fixed(v) => (path.clone(), num(*v), Rule::CostNotPositive),
                    RawInput::Dist(d) => match (d.dist, d.min, d.value) {
                        (Family::Fixed, _, Some(v)) => {
                            (path.key("value"), num(v), Rule::CostNotPositive)
                        }
                        (Family::Normal, None, _) => (
                            path.key("dist"),
                            "\"normal\"".to_string(),
                            Rule::CostUntruncatedNormal,
                        ),
                        (Family::Metalog, ..) => match d.lower {
                            Some(lower) => (path.key("lower"), num(lower), Rule::CostNotPositive),
                            None => (
                                path.key("dist"),
                                "\"metalog\"".to_string(),
                                Rule::CostUnboundedMetalog,
                            ),
                        },
                        (_, Some(min), _) => (path.key("min"), num(min), Rule::CostNotPositive),
                        _ => (path.clone(), num(lo), Rule::CostNotPositive),
                    },
                };
                c.fail(&p, Some(v), kind);
            }
            if let Some(i) = input.profile.iter().position(|&p| p <= 0.0) {
                c.fail(
                    &path.key("profile").index(i),
                    Some(num(input.profile[i])),
                    Rule::CostProfileNotPositive,
                );
            }
        }
        InputKind::Arpu => {}
        InputKind::Elasticity => elasticity_rules(c, path, raw),
    }
}

/// The spend elasticity is one value a trial in [0, 1): no month-to-month
/// options, and a distribution that stays inside (the cost of a
/// registration would otherwise fall as spend grows, or registrations
/// shrink as it grows).
fn elasticity_rules(c: &mut Checker, path: &FieldPath, raw: &RawInput) {
    use super::super::error::ElasticityRule as E;
    let d = match raw {
        RawInput::Fixed(v) => {
            if let Some(rule) = outside_elasticity(*v, false) {
                c.fail(path, Some(num(*v)), Rule::ElasticityOutside(rule));
            }
            return;
        }
        RawInput::Dist(d) => d,
    };
    let options = [
        (
            "vary",
            (d.vary != Vary::Trial).then(|| "\"month\"".to_string()),
        ),
        (
            "profile",
            d.profile.as_ref().map(|p| format!("[{} numbers]", p.len())),
        ),
        ("noise_cv", d.noise_cv.map(num)),
    ];
    let mut ok = true;
    for (key, value) in options {
        if let Some(v) = value {
            c.fail(&path.key(key), Some(v), Rule::ElasticityOption);
            ok = false;
        }
    }
    if !ok {
        return;
    }
    let dist = || (path.key("dist"), format!("{:?}", d.dist.name()));
    let (checks, refusal): (Vec<Bound>, Option<E>) = match d.dist {
        Family::Fixed => (vec![("value", d.value, true)], None),
        Family::Uniform | Family::Triangular | Family::Pert => {
            (vec![("min", d.min, true), ("max", d.max, true)], None)
        }
        Family::Normal if d.min.is_none() || d.max.is_none() => {
            (vec![], Some(E::UntruncatedNormal))
        }
        Family::Normal => (vec![("min", d.min, true), ("max", d.max, true)], None),
        Family::Lognormal => (vec![], Some(E::LogNormal)),
        Family::Beta => (vec![], None),
        Family::Metalog if d.lower.is_none() || d.upper.is_none() => (vec![], Some(E::OpenMetalog)),
        Family::Metalog => (
            vec![("lower", d.lower, false), ("upper", d.upper, false)],
            None,
        ),
    };
    if let Some(rule) = refusal {
        let (at, v) = dist();
        c.fail(&at, Some(v), Rule::ElasticityOutside(rule));
        return;
    }
    for (key, v, reached) in checks {
        if let Some(v) = v
            && let Some(rule) = outside_elasticity(v, !reached)
        {
            c.fail(&path.key(key), Some(num(v)), Rule::ElasticityOutside(rule));
            return;
        }
    }
}

/// A parameter of an elasticity checked against [0, 1): its name, its
/// value, and whether the values can reach it (a metalog's bounds they
/// never do, so 1 itself may be one).
type Bound = (&'static str, Option<f64>, bool);

/// Why `v` cannot be an elasticity or a bound of one (`open`: a bound the
/// values never reach, which may be 1 itself).
fn outside_elasticity(v: f64, open: bool) -> Option<super::super::error::ElasticityRule> {
    use super::super::error::{ElasticityRule as E, percent_slip};
    if v < 0.0 {
        Some(E::BelowZero)
    } else if v > 1.0 || (v == 1.0 && !open) {
        // 30 reads as a percentage; 1.2 as a misplaced elasticity, not 1.2%.
        Some(E::OneOrAbove(percent_slip(v).filter(|_| v >= 2.0)))
    } else {
        None
    }
}

/// Bounds how far an input's plausible draws go: its one-in-a-trillion low
/// and high values, times the smallest and largest profile multipliers and
/// noise factors, must stay within [`Meaning::bounds`]. The problem is put
/// on what makes the reach too far: the distribution, the profile or the
/// noise.
fn reach(c: &mut Checker, path: &FieldPath, raw: &RawInput, input: &Input, m: Meaning) {
    let (d_lo, d_hi) = input.dist.reach();
    let (p_lo, p_hi) = input
        .profile
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &p| {
            (a.min(p), b.max(p))
        });
    let (n_lo, n_hi) = if input.noise_cv > 0.0 {
        let noise = LogNormal::unit_mean(input.noise_cv).expect("noise_cv validated >= 0");
        (noise.at_score(-Z_REACH), noise.at_score(Z_REACH))
    } else {
        (1.0, 1.0)
    };
    let (lo_limit, hi_limit) = m.bounds();
    // A value times a nonnegative factor range: the extremes of the products.
    let scaled = |x: f64, f_lo: f64, f_hi: f64| {
        let a = x * f_lo;
        let b = x * f_hi;
        // 0 × inf is NaN: a zero factor gives 0.
        let fix = |v: f64| if v.is_nan() { 0.0 } else { v };
        (fix(a).min(fix(b)), fix(a).max(fix(b)))
    };
    let low = |x: f64| scaled(scaled(x, p_lo, p_hi).0, n_lo, n_hi).0;
    let high = |x: f64| scaled(scaled(x, p_lo, p_hi).1, n_lo, n_hi).1;
    let checks = [
        (Side::High, high(d_hi).max(high(d_lo))),
        (Side::Low, low(d_lo).min(low(d_hi))),
    ];
    for (side, reach) in checks {
        let ok = match side {
            Side::High => reach <= hi_limit,
            Side::Low => reach >= lo_limit,
        };
        if ok {
            continue;
        }
        let limit = if side == Side::High {
            hi_limit
        } else {
            lo_limit
        };
        // Where the far reach comes from: the distribution alone, else the
        // profile, else the noise.
        let dist_alone = match side {
            Side::High => d_hi.max(d_lo) > hi_limit,
            Side::Low => d_lo.min(d_hi) < lo_limit,
        };
        let (at, value) = match raw {
            RawInput::Fixed(v) => (path.clone(), Some(num(*v))),
            RawInput::Dist(d) if dist_alone => dist_culprit(path, d),
            RawInput::Dist(d) => {
                let with_profile = match side {
                    Side::High => scaled(d_hi, p_lo, p_hi).1 > hi_limit,
                    Side::Low => scaled(d_lo, p_lo, p_hi).0 < lo_limit,
                };
                match (&d.profile, with_profile) {
                    (Some(p), true) => {
                        let i = extreme(p, side == Side::High);
                        (path.key("profile").index(i), Some(num(p[i])))
                    }
                    _ => (path.key("noise_cv"), Some(num(input.noise_cv))),
                }
            }
        };
        c.fail(
            &at,
            value,
            Rule::Reach {
                what: m.label(),
                side,
                reach,
                limit,
            },
        );
        return;
    }
}

/// The parameter that sets a distribution's spread, else its centre.
fn dist_culprit(path: &FieldPath, d: &RawDist) -> (FieldPath, Option<String>) {
    let order = [
        "sd", "p95", "max", "upper", "p5", "min", "lower", "mean", "value",
    ];
    let given = [
        ("sd", d.sd),
        ("p95", d.p95),
        ("max", d.max),
        ("upper", d.upper),
        ("p5", d.p5),
        ("min", d.min),
        ("lower", d.lower),
        ("mean", d.mean),
        ("value", d.value),
    ];
    order
        .iter()
        .find_map(|name| {
            given
                .iter()
                .find(|(n, v)| n == name && v.is_some())
                .map(|(n, v)| (path.key(n), v.map(num)))
        })
        .unwrap_or_else(|| match &d.quantiles {
            Some(q) => (path.key(QUANTILES), Some(pairs_shown(q))),
            None => (path.clone(), None),
        })
}

/// Index of the largest (or smallest) multiplier.
fn extreme(p: &[f64], largest: bool) -> usize {
    let mut best = 0;
    for (i, v) in p.iter().enumerate() {
        if (largest && *v > p[best]) || (!largest && *v < p[best]) {
            best = i;
        }
    }
    best
}

/// Builds the distribution of a table: the parameters must be its
/// family's, finite, in exactly one form, and pass the family's own rules.
fn dist(c: &mut Checker, path: &FieldPath, d: &RawDist) -> Option<Dist> {
    let given = d.params();
    let mut ok = true;
    if let Some(q) = &d.quantiles
        && !d.dist.takes(QUANTILES)
    {
        c.fail(
            &path.key(QUANTILES),
            Some(format!("[{} pairs]", q.len())),
            Rule::NotAParameter(d.dist),
        );
        ok = false;
    }
    for (name, v) in given {
        let Some(v) = v else { continue };
        if !d.dist.takes(name) {
            c.fail(&path.key(name), Some(num(v)), Rule::NotAParameter(d.dist));
            ok = false;
        } else if !c.finite(&path.key(name), v) {
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let built = match d.dist {
        Family::Fixed => fixed(c, path, d),
        Family::Uniform => uniform(c, path, d),
        Family::Triangular => triangular(c, path, d, false),
        Family::Pert => triangular(c, path, d, true),
        Family::Normal => normal(c, path, d),
        Family::Lognormal => lognormal(c, path, d),
        Family::Beta => beta(c, path, d),
        Family::Metalog => metalog(c, path, d),
    };
    match built {
        Some(Ok(dist)) => Some(dist),
        Some(Err(e)) => {
            let name = e.param();
            let value = match (name, &d.quantiles) {
                (QUANTILES, Some(q)) => Some(pairs_shown(q)),
                _ => given
                    .iter()
                    .find(|(n, _)| *n == name)
                    .and_then(|(_, v)| v.map(num)),
            };
            c.fail(&path.key(name), value, Rule::Distribution(e));
            None
        }
        None => None,
    }
}

/// A metalog's quantiles as written: `[[0.1, 650], [0.5, 800], [0.9, 1000]]`.
fn pairs_shown(q: &[Vec<f64>]) -> String {
    let pairs: Vec<String> = q
        .iter()
        .map(|p| format!("[{}, {}]", num(p[0]), num(p[1])))
        .collect();
    format!("[{}]", pairs.join(", "))
}

/// The one parameter form given (the values of its parameters, in form
/// order), or `None` with the problem recorded: a missing parameter, no
/// form, or two forms at once.
fn one_form(c: &mut Checker, path: &FieldPath, d: &RawDist) -> Option<(usize, Vec<f64>)> {
    let given = d.params();
    let value = |name: &str| given.iter().find(|(n, _)| *n == name).and_then(|(_, v)| *v);
    let forms = d.dist.spec().forms;
    let started: Vec<usize> = (0..forms.len())
        .filter(|&i| forms[i].iter().any(|p| value(p).is_some()))
        .collect();
    match started.as_slice() {
        [i] => {
            let values: Vec<Option<f64>> = forms[*i].iter().map(|p| value(p)).collect();
            match forms[*i].iter().zip(&values).find(|(_, v)| v.is_none()) {
                Some((missing, _)) => {
                    c.fail(&path.key(missing), None, Rule::MissingParameter(d.dist));
                    None
                }
                None => Some((*i, values.into_iter().flatten().collect())),
            }
        }
        [] if forms.len() == 1 => {
            c.fail(&path.key(forms[0][0]), None, Rule::MissingParameter(d.dist));
            None
        }
        [] => {
            c.fail(path, None, Rule::NoForm(d.dist));
            None
        }
        _ => {
            c.fail(path, None, Rule::TwoForms(d.dist));
            None
        }
    }
}

type Built = Option<Result<Dist, DistError>>;

fn fixed(c: &mut Checker, path: &FieldPath, d: &RawDist) -> Built {
    let (_, v) = one_form(c, path, d)?;
    Some(Ok(Dist::Fixed(v[0])))
}

fn uniform(c: &mut Checker, path: &FieldPath, d: &RawDist) -> Built {
    let (_, v) = one_form(c, path, d)?;
    Some(
        Uniform::new(v[0], v[1])
            .map(Dist::Uniform)
            .map_err(Into::into),
    )
}

fn triangular(c: &mut Checker, path: &FieldPath, d: &RawDist, pert: bool) -> Built {
    let (_, v) = one_form(c, path, d)?;
    Some(if pert {
        Pert::new(v[0], v[1], v[2])
            .map(Dist::Pert)
            .map_err(Into::into)
    } else {
        Triangular::new(v[0], v[1], v[2])
            .map(Dist::Triangular)
            .map_err(Into::into)
    })
}

fn normal(c: &mut Checker, path: &FieldPath, d: &RawDist) -> Built {
    let (form, v) = one_form(c, path, d)?;
    let base = if form == 0 {
        Normal::from_mean_sd(v[0], v[1])
    } else {
        Normal::from_p5_p95(v[0], v[1])
    };
    Some(
        base.and_then(|n| n.truncated(d.min, d.max))
            .map(Dist::Normal)
            .map_err(Into::into),
    )
}

fn lognormal(c: &mut Checker, path: &FieldPath, d: &RawDist) -> Built {
    let (form, v) = one_form(c, path, d)?;
    let r = if form == 0 {
        LogNormal::from_mean_sd(v[0], v[1])
    } else {
        LogNormal::from_p5_p95(v[0], v[1])
    };
    Some(r.map(Dist::LogNormal).map_err(Into::into))
}

/// A metalog through the quantiles as written: its rules are the
/// distribution's own ([`crate::distr::MetalogError`]).
fn metalog(c: &mut Checker, path: &FieldPath, d: &RawDist) -> Built {
    let Some(q) = &d.quantiles else {
        c.fail(
            &path.key(QUANTILES),
            None,
            Rule::MissingParameter(Family::Metalog),
        );
        return None;
    };
    let pairs: Vec<(f64, f64)> = q.iter().map(|p| (p[0], p[1])).collect();
    Some(
        Metalog::new(&pairs, d.lower, d.upper)
            .map(|m| Dist::Metalog(Box::new(m)))
            .map_err(Into::into),
    )
}

fn beta(c: &mut Checker, path: &FieldPath, d: &RawDist) -> Built {
    let (form, v) = one_form(c, path, d)?;
    let r = if form == 0 {
        Beta::from_mean_sd(v[0], v[1])
    } else {
        Beta::from_alpha_beta(v[0], v[1])
    };
    Some(r.map(Dist::Beta).map_err(Into::into))
}
