//! Semantic rules of the scenario file (CONTRACT.md §1), checked once before
//! any simulation. Every problem found is collected, with the path of the
//! field and the value, so that one run reports them all.

use super::raw::{Family, RawDist, RawInput, RawScenario, RawSchedule, RawShock, Vary};
use super::spans::FieldPath;
use super::{Input, InputKind, Scenario, Segment, Shock, StressCase, Targets, YearMonth};
use crate::dist::{Beta, Dist, LogNormal, Normal, Pert, Triangular, Uniform};

/// Longest horizon, in months.
pub const MAX_MONTHS: i64 = 120;

/// How far the segments' `share_of_new` may sum away from 1.
pub const SHARE_SUM_TOLERANCE: f64 = 1e-6;

/// A rule broken at a path, before file and position are attached.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The field.
    pub path: FieldPath,
    /// The value as written, if any.
    pub value: Option<String>,
    /// The rule.
    pub rule: String,
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
    /// False when `months` itself is invalid: lengths are then not checked
    /// against it, which would only repeat that one mistake.
    check_lengths: bool,
}

impl Checker {
    fn fail(&mut self, path: &FieldPath, value: Option<String>, rule: impl Into<String>) {
        self.problems.push(Problem {
            path: path.clone(),
            value,
            rule: rule.into(),
        });
    }

    /// A finite number, else a problem; returns whether it was fine.
    fn finite(&mut self, path: &FieldPath, v: f64) -> bool {
        if v.is_finite() {
            return true;
        }
        self.fail(path, Some(num(v)), "must be a finite number");
        false
    }

    fn in_unit(&mut self, path: &FieldPath, v: f64) {
        if self.finite(path, v) && !(0.0..=1.0).contains(&v) {
            self.fail(path, Some(num(v)), "must lie between 0 and 1");
        }
    }

    fn non_negative(&mut self, path: &FieldPath, v: f64) {
        if self.finite(path, v) && v < 0.0 {
            self.fail(path, Some(num(v)), "must not be negative");
        }
    }

    fn schedule(&mut self, path: &FieldPath, s: &RawSchedule, months: usize) -> Vec<f64> {
        match s {
            RawSchedule::Flat(v) => {
                self.non_negative(path, *v);
                vec![*v; months]
            }
            RawSchedule::Months(vs) => {
                if self.check_lengths && vs.len() != months {
                    self.fail(
                        path,
                        Some(format!("[{} numbers]", vs.len())),
                        format!("must be one number, or {months} numbers (one per month)"),
                    );
                }
                for (i, v) in vs.iter().enumerate() {
                    self.non_negative(&path.index(i), *v);
                }
                let mut out = vs.clone();
                out.resize(months, 0.0);
                out
            }
        }
    }
}

/// Formats a number the way a person would have written it in TOML.
pub fn num(v: f64) -> String {
    if v.is_nan() {
        "nan".into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        format!("{v}")
    }
}

/// Checks every rule and builds the validated scenario, or returns every
/// problem found.
pub fn validate(raw: &RawScenario) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker::default();
    let root = FieldPath::default();
    c.check_lengths = (1..=MAX_MONTHS).contains(&raw.months);

    if raw.name.trim().is_empty() {
        c.fail(&root.key("name"), Some("\"\"".into()), "must not be empty");
    }
    let months_ok = (1..=MAX_MONTHS).contains(&raw.months);
    if !months_ok {
        c.fail(
            &root.key("months"),
            Some(raw.months.to_string()),
            format!("must be a whole number from 1 to {MAX_MONTHS}"),
        );
    }
    // Lengths are checked against a horizon of 1 when `months` is invalid, so
    // the rest of the file is still checked.
    let months = if months_ok { raw.months as usize } else { 1 };

    let start = raw.start.as_ref().and_then(|s| {
        let parsed = YearMonth::parse(s);
        if parsed.is_none() {
            c.fail(
                &root.key("start"),
                Some(format!("{s:?}")),
                "must be a month written YYYY-MM, e.g. \"2016-01\"",
            );
        }
        parsed
    });

    let t = root.key("targets");
    c.finite(&t.key("revenue"), raw.targets.revenue);
    c.finite(&t.key("profit"), raw.targets.profit);

    let costs = root.key("costs");
    c.in_unit(&costs.key("creator_share"), raw.costs.creator_share);
    c.in_unit(&costs.key("operations_rate"), raw.costs.operations_rate);
    if raw.costs.creator_share + raw.costs.operations_rate > 1.0 {
        c.fail(
            &costs.key("operations_rate"),
            Some(num(raw.costs.operations_rate)),
            "creator_share plus operations_rate must not exceed 1",
        );
    }
    let staff = c.schedule(&costs.key("staff"), &raw.costs.staff, months);
    let infra = c.schedule(&costs.key("infra"), &raw.costs.infra, months);
    let budget = c.schedule(
        &root.key("marketing").key("budget"),
        &raw.marketing.budget,
        months,
    );

    let acq = root.key("acquisition");
    let cost_per_registration = input(
        &mut c,
        &acq.key("cost_per_registration"),
        &raw.acquisition.cost_per_registration,
        InputKind::CostPerRegistration,
        months,
    );
    let first_charge_rate = input(
        &mut c,
        &acq.key("first_charge_rate"),
        &raw.acquisition.first_charge_rate,
        InputKind::Rate,
        months,
    );

    let segs = root.key("segments");
    if raw.segments.is_empty() {
        c.fail(&segs, None, "needs at least one [[segments]] entry");
    }
    let mut segments = Vec::with_capacity(raw.segments.len());
    let mut share_sum = 0.0;
    for (i, s) in raw.segments.iter().enumerate() {
        let p = segs.index(i);
        let name_ok = !s.name.is_empty()
            && s.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !name_ok {
            c.fail(
                &p.key("name"),
                Some(format!("{:?}", s.name)),
                "must be one or more of a-z, 0-9 and _",
            );
        } else if raw.segments[..i].iter().any(|o| o.name == s.name) {
            c.fail(
                &p.key("name"),
                Some(format!("{:?}", s.name)),
                "must be unique among segments",
            );
        }
        c.non_negative(&p.key("start_payers"), s.start_payers);
        c.in_unit(&p.key("share_of_new"), s.share_of_new);
        share_sum += s.share_of_new;
        let retention = input(
            &mut c,
            &p.key("retention"),
            &s.retention,
            InputKind::Rate,
            months,
        );
        let arpu = input(&mut c, &p.key("arpu"), &s.arpu, InputKind::Arpu, months);
        segments.push(Segment {
            name: s.name.clone(),
            start_payers: s.start_payers,
            share_of_new: s.share_of_new,
            retention,
            arpu,
        });
    }
    if !raw.segments.is_empty()
        && share_sum.is_finite()
        && (share_sum - 1.0).abs() > SHARE_SUM_TOLERANCE
    {
        c.fail(
            &segs.index(raw.segments.len() - 1).key("share_of_new"),
            Some(num(raw.segments.last().map_or(0.0, |s| s.share_of_new))),
            format!(
                "the segments' share_of_new must sum to 1, they sum to {}",
                num(share_sum)
            ),
        );
    }

    let shocks = shock_list(&mut c, &root.key("shocks"), &raw.shocks, raw, months);
    let mut stress = Vec::with_capacity(raw.stress.len());
    for (i, s) in raw.stress.iter().enumerate() {
        let p = root.key("stress").index(i);
        if s.name.trim().is_empty() {
            c.fail(&p.key("name"), Some("\"\"".into()), "must not be empty");
        } else if s.name == "baseline" || raw.stress[..i].iter().any(|o| o.name == s.name) {
            c.fail(
                &p.key("name"),
                Some(format!("{:?}", s.name)),
                "must be unique among stress cases and not \"baseline\"",
            );
        }
        stress.push(StressCase {
            name: s.name.clone(),
            set: s.set.clone(),
            shocks: shock_list(&mut c, &p.key("shocks"), &s.shocks, raw, months),
        });
    }

    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    Ok(Scenario {
        name: raw.name.clone(),
        months,
        start,
        targets: Targets {
            revenue: raw.targets.revenue,
            profit: raw.targets.profit,
        },
        creator_share: raw.costs.creator_share,
        operations_rate: raw.costs.operations_rate,
        staff,
        infra,
        budget,
        cost_per_registration,
        first_charge_rate,
        segments,
        shocks,
        stress,
    })
}

fn shock_list(
    c: &mut Checker,
    path: &FieldPath,
    raw_shocks: &[RawShock],
    raw: &RawScenario,
    months: usize,
) -> Vec<Shock> {
    let mut out = Vec::with_capacity(raw_shocks.len());
    for (i, s) in raw_shocks.iter().enumerate() {
        let p = path.index(i);
        let month_ok = s.month >= 1 && s.month <= months as i64;
        if !month_ok {
            c.fail(
                &p.key("month"),
                Some(s.month.to_string()),
                format!("must be a month from 1 to {months}"),
            );
        }
        let segment = raw.segments.iter().position(|g| g.name == s.segment);
        if segment.is_none() {
            let names: Vec<_> = raw.segments.iter().map(|g| g.name.as_str()).collect();
            c.fail(
                &p.key("segment"),
                Some(format!("{:?}", s.segment)),
                format!("must name a segment ({})", names.join(", ")),
            );
        }
        c.in_unit(&p.key("loss"), s.loss);
        if let (true, Some(segment)) = (month_ok, segment) {
            out.push(Shock {
                month: s.month as usize,
                segment,
                loss: s.loss,
            });
        }
    }
    out
}

/// The keys each family takes, for the message when another one is given.
fn family_keys(f: Family) -> &'static str {
    match f {
        Family::Fixed => "value",
        Family::Uniform => "min, max",
        Family::Triangular | Family::Pert => "min, mode, max",
        Family::Normal => "mean, sd or p5, p95; optional min, max",
        Family::Lognormal => "mean, sd or p5, p95",
        Family::Beta => "mean, sd or alpha, beta",
    }
}

fn input(
    c: &mut Checker,
    path: &FieldPath,
    raw: &RawInput,
    kind: InputKind,
    months: usize,
) -> Input {
    let fallback = Input {
        dist: Dist::Fixed(1.0),
        vary: Vary::Trial,
        profile: vec![1.0; months],
        noise_cv: 0.0,
        kind,
    };
    let before = c.problems.len();
    let input = match raw {
        RawInput::Fixed(v) => {
            c.finite(path, *v);
            Input {
                dist: Dist::Fixed(*v),
                ..fallback.clone()
            }
        }
        RawInput::Dist(d) => {
            let dist = dist(c, path, d);
            let profile = match &d.profile {
                None => vec![1.0; months],
                Some(p) => {
                    if c.check_lengths && p.len() != months {
                        c.fail(
                            &path.key("profile"),
                            Some(format!("[{} numbers]", p.len())),
                            format!("must hold {months} multipliers, one per month"),
                        );
                    }
                    for (i, v) in p.iter().enumerate() {
                        c.non_negative(&path.key("profile").index(i), *v);
                    }
                    let mut p = p.clone();
                    p.resize(months, 1.0);
                    p
                }
            };
            let noise_cv = d.noise_cv.unwrap_or(0.0);
            c.non_negative(&path.key("noise_cv"), noise_cv);
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
        kind_rules(c, path, raw, &input);
    }
    input
}

/// Rules that depend on what the input means, not on its family.
fn kind_rules(c: &mut Checker, path: &FieldPath, raw: &RawInput, input: &Input) {
    let param_path = |name: &str| match raw {
        RawInput::Fixed(_) => path.clone(),
        RawInput::Dist(_) => path.key(name),
    };
    match input.kind {
        InputKind::Rate => {
            // Clamping to [0, 1] handles the tails; a centre or bound written
            // outside [0, 1] is a mistake, not a tail.
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
                ],
            };
            for (name, v) in named {
                if let Some(v) = v.filter(|v| !(0.0..=1.0).contains(v)) {
                    c.fail(
                        &param_path(name),
                        Some(num(v)),
                        "a rate must lie between 0 and 1",
                    );
                }
            }
        }
        InputKind::CostPerRegistration => {
            let lo = input.dist.lower_bound();
            let reaches = input.dist.reaches_lower_bound();
            if lo < 0.0 || (lo == 0.0 && reaches) {
                let (p, v, rule) = match raw {
                    RawInput::Fixed(v) => (
                        path.clone(),
                        num(*v),
                        "a cost per registration must be above 0",
                    ),
                    RawInput::Dist(d) => match (d.dist, d.min, d.value) {
                        (Family::Fixed, _, Some(v)) => (
                            path.key("value"),
                            num(v),
                            "a cost per registration must be above 0",
                        ),
                        (Family::Normal, None, _) => (
                            path.key("dist"),
                            "\"normal\"".to_string(),
                            "a cost per registration must stay above 0, and an untruncated normal does not: give min > 0, or use lognormal",
                        ),
                        (_, Some(min), _) => (
                            path.key("min"),
                            num(min),
                            "a cost per registration must stay above 0: min must be above 0",
                        ),
                        _ => (
                            path.clone(),
                            num(lo),
                            "a cost per registration must stay above 0",
                        ),
                    },
                };
                c.fail(&p, Some(v), rule);
            }
            if input.profile.iter().any(|&p| p <= 0.0) {
                let i = input.profile.iter().position(|&p| p <= 0.0).unwrap_or(0);
                c.fail(
                    &path.key("profile").index(i),
                    Some(num(input.profile[i])),
                    "a cost per registration's profile must be above 0",
                );
            }
        }
        InputKind::Arpu => {}
    }
}

fn dist(c: &mut Checker, path: &FieldPath, d: &RawDist) -> Option<Dist> {
    let given: [(&str, Option<f64>); 10] = [
        ("value", d.value),
        ("min", d.min),
        ("mode", d.mode),
        ("max", d.max),
        ("mean", d.mean),
        ("sd", d.sd),
        ("p5", d.p5),
        ("p95", d.p95),
        ("alpha", d.alpha),
        ("beta", d.beta),
    ];
    let allowed: &[&str] = match d.dist {
        Family::Fixed => &["value"],
        Family::Uniform => &["min", "max"],
        Family::Triangular | Family::Pert => &["min", "mode", "max"],
        Family::Normal => &["mean", "sd", "p5", "p95", "min", "max"],
        Family::Lognormal => &["mean", "sd", "p5", "p95"],
        Family::Beta => &["mean", "sd", "alpha", "beta"],
    };
    let mut ok = true;
    for (name, v) in given {
        if let Some(v) = v {
            if !allowed.contains(&name) {
                c.fail(
                    &path.key(name),
                    Some(num(v)),
                    format!(
                        "is not a parameter of {} (it takes {})",
                        d.dist.name(),
                        family_keys(d.dist)
                    ),
                );
                ok = false;
            } else if !c.finite(&path.key(name), v) {
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    let fam = d.dist;
    let mean_sd = [("mean", d.mean), ("sd", d.sd)];
    let p5_p95 = [("p5", d.p5), ("p95", d.p95)];
    let alpha_beta = [("alpha", d.alpha), ("beta", d.beta)];
    macro_rules! build {
        ($r:expr, $param:expr, $value:expr) => {
            match $r {
                Ok(d) => Some(d),
                Err(e) => {
                    let name: &str = $param(&e);
                    c.fail(&path.key(name), $value(name), e.to_string());
                    None
                }
            }
        };
    }
    let value_of = |name: &str| {
        given
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.map(num))
    };
    match fam {
        Family::Fixed => match d.value {
            Some(v) => Some(Dist::Fixed(v)),
            None => {
                c.fail(&path.key("value"), None, "is missing: fixed takes value");
                None
            }
        },
        Family::Uniform => {
            let (min, max) = (d.min, d.max);
            match (min, max) {
                (Some(lo), Some(hi)) => {
                    build!(Uniform::new(lo, hi), |_: &_| "max", value_of).map(Dist::Uniform)
                }
                _ => {
                    let missing = if min.is_none() { "min" } else { "max" };
                    c.fail(
                        &path.key(missing),
                        None,
                        "is missing: uniform takes min, max",
                    );
                    None
                }
            }
        }
        Family::Triangular | Family::Pert => match (d.min, d.mode, d.max) {
            (Some(lo), Some(mode), Some(hi)) => {
                let param = |e: &crate::dist::TriangularError| match e {
                    crate::dist::TriangularError::ModeOutside => "mode",
                    _ => "max",
                };
                if fam == Family::Pert {
                    build!(Pert::new(lo, mode, hi), param, value_of).map(Dist::Pert)
                } else {
                    build!(Triangular::new(lo, mode, hi), param, value_of).map(Dist::Triangular)
                }
            }
            _ => {
                let missing = [("min", d.min), ("mode", d.mode), ("max", d.max)]
                    .iter()
                    .find(|(_, v)| v.is_none())
                    .map_or("min", |(n, _)| *n);
                c.fail(
                    &path.key(missing),
                    None,
                    format!("is missing: {} takes min, mode, max", fam.name()),
                );
                None
            }
        },
        Family::Normal => {
            let (form, x, y) = one_form(c, path, fam, &[mean_sd, p5_p95])?;
            let base = if form == 0 {
                Normal::from_mean_sd(x, y)
            } else {
                Normal::from_p5_p95(x, y)
            };
            let base = build!(base, |e: &crate::dist::NormalError| e.param(), value_of)?;
            build!(
                base.truncated(d.min, d.max),
                |e: &crate::dist::NormalError| e.param(),
                value_of
            )
            .map(Dist::Normal)
        }
        Family::Lognormal => {
            let (form, x, y) = one_form(c, path, fam, &[mean_sd, p5_p95])?;
            let r = if form == 0 {
                LogNormal::from_mean_sd(x, y)
            } else {
                LogNormal::from_p5_p95(x, y)
            };
            build!(r, |e: &crate::dist::LogNormalError| e.param(), value_of).map(Dist::LogNormal)
        }
        Family::Beta => {
            let (form, x, y) = one_form(c, path, fam, &[mean_sd, alpha_beta])?;
            let r = if form == 0 {
                Beta::from_mean_sd(x, y)
            } else {
                Beta::from_alpha_beta(x, y)
            };
            build!(r, |e: &crate::dist::BetaError| e.param(), value_of).map(Dist::Beta)
        }
    }
}

/// A parameter as written: its name and value, if given.
type Param<'a> = (&'a str, Option<f64>);

/// Picks the one parameter form that was given, e.g. (mean, sd) or
/// (p5, p95): its index in `forms` and its two values. Reports a missing
/// half, no form, or two forms at once.
fn one_form(
    c: &mut Checker,
    path: &FieldPath,
    fam: Family,
    forms: &[[Param; 2]],
) -> Option<(usize, f64, f64)> {
    let describe = forms
        .iter()
        .map(|[x, y]| format!("{}, {}", x.0, y.0))
        .collect::<Vec<_>>()
        .join(" or ");
    let started: Vec<usize> = (0..forms.len())
        .filter(|&i| forms[i].iter().any(|p| p.1.is_some()))
        .collect();
    match started.as_slice() {
        [i] => match forms[*i] {
            [(_, Some(x)), (_, Some(y))] => Some((*i, x, y)),
            [(xn, None), _] | [_, (xn, None)] => {
                c.fail(
                    &path.key(xn),
                    None,
                    format!("is missing: {} takes {describe}", fam.name()),
                );
                None
            }
        },
        [] => {
            c.fail(path, None, format!("{} needs {describe}", fam.name()));
            None
        }
        _ => {
            c.fail(
                path,
                None,
                format!("give {} parameters as {describe}, not both", fam.name()),
            );
            None
        }
    }
}
