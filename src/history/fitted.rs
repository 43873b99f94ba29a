//! `fit`: the plan with its uncertain inputs and starting payers taken from
//! a history, as a scenario file `run` accepts.
//!
//! A rate (first-charge rate, retention) becomes a beta, a cost per
//! registration or an ARPU a lognormal, centred on the mean of its monthly
//! ratio ([`super::estimate`]), with the ratios' month-to-month scatter as
//! `noise_cv`. Its spread ([`Spread`]) is by default the plan's own sd (the
//! planner's judgement of how much this year may differ from the last)
//! widened by the level's standard error, `sqrt(plan_sd² + se²)`; or, with
//! `--spread history`, the standard error alone, which says how well last
//! year's level is known and nothing of this year. A level that never moved
//! and has no spread becomes `fixed`. Everything else of the plan (months,
//! start, targets, costs, budget, segments' names and shares, shocks,
//! stress cases, correlations) is kept as written; its profiles are dropped
//! (a fitted level is last year's average month) unless kept.
//!
//! Diminishing returns ([`Returns`]): when last year's monthly spend varied
//! (coefficient of variation at least [`MIN_SPEND_CV`]), the least-squares
//! slope b of ln(registrations) on ln(spend) gives the spend elasticity
//! E = 1 - b, written as a normal truncated to [0, [`MAX_ELASTICITY`]] with
//! the slope's standard error as its level's standard error, and the
//! reference budget the geometric mean of the spend. Otherwise the plan's
//! elasticity (if any) stands. Either way the cost per registration is
//! estimated at the reference budget: each month's spend / registrations
//! times (reference / spend)^E, so that its level and noise carry no part
//! of the returns. Months without spend are left out of the cost, the
//! first-charge rate and the elasticity, and named.

use serde::Serialize;
use toml::{Table, Value};

use super::error::{HistoryError, HistoryErrorKind};
use super::estimate::Estimate;
use super::ratios::{Ratio, Ratios, ratios};
use super::{History, HistoryErrors, MIN_ROWS};
use crate::distr::Normal;
use crate::present::{human, num};
use crate::scenario::{InputKind, Loaded, Scenario, input_slots, overrides};

/// The least coefficient of variation of last year's monthly spend from
/// which `fit` estimates the spend elasticity: below it the months spent
/// too alike to show how a registration's cost bends with spend.
pub const MIN_SPEND_CV: f64 = 0.10;

/// The upper bound of a fitted elasticity's truncated normal.
pub const MAX_ELASTICITY: f64 = 0.95;

/// The path of the spend elasticity.
const ELASTICITY: &str = "acquisition.spend_elasticity";

/// Where the fit's diminishing returns come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReturnsSource {
    /// Estimated from the history's spend and registrations.
    Estimated,
    /// The plan's elasticity, kept: the spend varied too little.
    Plan,
    /// Neither: the spend varied too little and the plan has none.
    None,
}

/// What the fit did about diminishing returns on marketing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Returns {
    /// Estimated, the plan's, or none.
    pub source: ReturnsSource,
    /// The coefficient of variation of the monthly spend, over the months
    /// with spend (sample sd / mean).
    pub spend_cv: f64,
    /// Months with spend: the points of the regression.
    pub months: usize,
    /// The least-squares slope b of ln(registrations) on ln(spend), when
    /// estimated.
    pub slope: Option<f64>,
    /// Its standard error, when estimated.
    pub standard_error: Option<f64>,
    /// The elasticity the cost per registration is estimated with: 1 - b
    /// when estimated, the plan's mean when kept, else 0.
    pub elasticity: f64,
    /// The reference budget the cost per registration is at, CNY a month:
    /// the spend's geometric mean when estimated, the plan's when kept.
    pub reference_budget: Option<f64>,
}

impl Returns {
    /// What was done, in a sentence for the report and the fitted file.
    pub fn described(&self) -> String {
        let cv = crate::present::pct(self.spend_cv);
        match (
            self.source,
            self.slope,
            self.standard_error,
            self.reference_budget,
        ) {
            (ReturnsSource::Estimated, Some(b), Some(se), Some(r)) => format!(
                "estimated: the monthly spend varied (CV {cv}, at least {}), so the slope of \
                 ln(registrations) on ln(spend) over {} months, b = {} ± {}, gives E = 1 - b = {}, \
                 written as a normal truncated to [0, {MAX_ELASTICITY}]; reference_budget = {} (the \
                 spend's geometric mean), and the cost per registration is estimated at it",
                crate::present::pct(MIN_SPEND_CV),
                self.months,
                num(sig(b)),
                num(sig(se)),
                num(sig(1.0 - b)),
                human(r)
            ),
            (ReturnsSource::Plan, _, _, r) => format!(
                "the plan's: the monthly spend varied too little (CV {cv}, under {}) to show how a \
                 registration's cost bends with spend, so the plan's elasticity stands (mean {}), and \
                 the cost per registration is estimated at the plan's reference_budget ({})",
                crate::present::pct(MIN_SPEND_CV),
                num(sig(self.elasticity)),
                r.map_or_else(|| "?".into(), human)
            ),
            _ => format!(
                "none: the monthly spend varied too little (CV {cv}, under {}) to show how a \
                 registration's cost bends with spend, and the plan has no elasticity: constant returns",
                crate::present::pct(MIN_SPEND_CV)
            ),
        }
    }
}

fn sig(x: f64) -> f64 {
    crate::present::sig(x, 3)
}

/// Where a fitted input's spread comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Spread {
    /// The plan's own sd widened by the level's standard error.
    Plan,
    /// The level's standard error alone.
    History,
}

/// How a plan is fitted: the spread, and whether its profiles are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FitChoices {
    /// Where each input's spread comes from.
    pub spread: Spread,
    /// Keep the plan's monthly profiles (growth and seasonality) on the
    /// fitted levels.
    pub keep_profiles: bool,
}

impl Default for FitChoices {
    fn default() -> Self {
        FitChoices {
            spread: Spread::Plan,
            keep_profiles: false,
        }
    }
}

/// The family a fitted input is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FitFamily {
    /// The level never moved.
    Fixed,
    /// A cost per registration or an ARPU.
    LogNormal,
    /// A rate.
    Beta,
    /// The spend elasticity: a normal truncated to [0, 0.95].
    Normal,
}

impl FitFamily {
    /// As written in a scenario.
    pub fn key(self) -> &'static str {
        match self {
            FitFamily::Fixed => "fixed",
            FitFamily::LogNormal => "lognormal",
            FitFamily::Beta => "beta",
            FitFamily::Normal => "normal",
        }
    }
}

/// One fitted input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FittedInput {
    /// Its path (docs/scenario.md, "Paths").
    pub path: String,
    /// What it is: a rate, a cost per registration, an ARPU.
    #[serde(skip)]
    pub kind: InputKind,
    /// The family it is given: beta for a rate, lognormal for a cost or
    /// ARPU, fixed when the level never moved.
    pub dist: FitFamily,
    /// The level: the mean monthly ratio, in the input's unit (a fraction
    /// 0..1 for a rate, CNY for a cost per registration or an ARPU).
    pub mean: f64,
    /// The distribution's sd: the plan's sd widened by the level's
    /// standard error, or with `--spread history` the standard error
    /// alone (0 when fixed).
    pub sd: f64,
    /// The level's standard error: the ratios' sd / sqrt(months).
    pub standard_error: f64,
    /// The plan's own sd of this input (0 when the plan fixes it).
    pub plan_sd: f64,
    /// The ratios' month-to-month coefficient of variation.
    pub noise_cv: f64,
    /// Months the ratio was computed for (retention lacks the first).
    pub months: usize,
    /// First month whose ratio was used, `YYYY-MM`.
    pub from: String,
    /// Last month whose ratio was used, `YYYY-MM`.
    pub to: String,
    /// The ratio's formula in the history's columns, e.g.
    /// `marketing_spend / registrations`.
    pub ratio: String,
}

impl FittedInput {
    /// An elasticity whose truncated normal cannot be drawn (no spread, or
    /// all its mass outside [0, MAX_ELASTICITY]) becomes the nearest fixed
    /// value inside.
    fn fix_if_degenerate(&mut self) {
        let drawable = self.sd > 0.0
            && Normal::from_mean_sd(self.mean, self.sd)
                .and_then(|n| n.truncated(Some(0.0), Some(MAX_ELASTICITY)))
                .is_ok();
        if !drawable {
            self.dist = FitFamily::Fixed;
            self.mean = self.mean.clamp(0.0, MAX_ELASTICITY);
            self.sd = 0.0;
        }
    }

    /// Its table in a scenario file.
    pub fn to_toml(&self) -> Value {
        let mut t = Table::new();
        t.insert("dist".into(), Value::String(self.dist.key().into()));
        match self.dist {
            FitFamily::Fixed => {
                t.insert("value".into(), Value::Float(self.mean));
            }
            FitFamily::Normal => {
                t.insert("mean".into(), Value::Float(self.mean));
                t.insert("sd".into(), Value::Float(self.sd));
                t.insert("min".into(), Value::Float(0.0));
                t.insert("max".into(), Value::Float(MAX_ELASTICITY));
            }
            _ => {
                t.insert("mean".into(), Value::Float(self.mean));
                t.insert("sd".into(), Value::Float(self.sd));
            }
        }
        if self.noise_cv > 0.0 {
            t.insert("noise_cv".into(), Value::Float(self.noise_cv));
        }
        Value::Table(t)
    }
}

/// A segment's fitted starting payers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FittedStart {
    /// The segment's name, as in the plan.
    pub segment: String,
    /// Its payers in the history's last month.
    pub start_payers: f64,
    /// That month, `YYYY-MM`.
    pub month: String,
    /// The history column read: `payers_NAME`, or `payers` for the totals.
    pub column: String,
}

/// The fit of a plan to a history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// Months (rows) of history fitted on.
    pub months: usize,
    /// Where the inputs' spread comes from: `plan` or `history`.
    pub spread: Spread,
    /// Whether the plan's profiles were kept on the fitted levels.
    pub profiles_kept: bool,
    /// The history's first month, `YYYY-MM`.
    pub from: String,
    /// The history's last month, `YYYY-MM`.
    pub to: String,
    /// Each uncertain input, in the plan's order.
    pub inputs: Vec<FittedInput>,
    /// Each segment's starting payers.
    pub start_payers: Vec<FittedStart>,
    /// Diminishing returns on marketing: estimated, the plan's, or none.
    pub returns: Returns,
    /// The months without marketing spend, `YYYY-MM`: left out of the cost
    /// per registration, the first-charge rate and the elasticity.
    pub no_spend: Vec<String>,
}

/// The ratio formulas, in the order of [`Ratios::by_input`].
fn formulas(h: &History) -> Vec<String> {
    let mut v = vec![
        "marketing_spend / registrations".to_string(),
        "new_payers / registrations".to_string(),
    ];
    for s in &h.segments {
        let c = &s.columns;
        v.push(format!(
            "({} - {}) / last month's {}",
            c.payers, c.new_payers, c.payers
        ));
        v.push(format!("{} / {}", c.revenue, c.payers));
    }
    v
}

/// One input from its ratios.
fn fit_input(
    path: String,
    kind: InputKind,
    series: &[Ratio],
    h: &History,
    ratio: String,
) -> FittedInput {
    let values: Vec<f64> = series.iter().map(|r| r.value).collect();
    let e = Estimate::of(&values).expect("a history has at least 3 months");
    let sd = e.standard_error();
    let rate_ok = e.mean > 0.0 && e.mean < 1.0;
    let dist = match kind {
        _ if sd <= 0.0 || e.mean <= 0.0 => FitFamily::Fixed,
        InputKind::Rate if rate_ok => FitFamily::Beta,
        InputKind::Rate => FitFamily::Fixed,
        InputKind::CostPerRegistration | InputKind::Arpu => FitFamily::LogNormal,
        InputKind::Elasticity => FitFamily::Normal,
    };
    FittedInput {
        path,
        kind,
        dist,
        mean: e.mean,
        sd: if dist == FitFamily::Fixed { 0.0 } else { sd },
        standard_error: sd,
        plan_sd: 0.0,
        noise_cv: e.cv(),
        months: e.n,
        from: h.label(series[0].row),
        to: h.label(series[series.len() - 1].row),
        ratio,
    }
}

/// A plan's spread of an input as an sd: its sd, or for a distribution
/// whose tail is too heavy for one (a metalog can be), the sd of the
/// normal with its P10 to P90 width.
fn spread_of(d: &crate::distr::Dist) -> f64 {
    let sd = d.sd();
    if sd.is_finite() {
        sd
    } else {
        (d.quantile(0.9) - d.quantile(0.1)) / (2.0 * crate::distr::normal_quantile(0.9))
    }
}

/// The least-squares line of ln(registrations) on ln(spend) over `rows`:
/// (slope, its standard error, mean ln(spend)).
fn log_log_slope(h: &History, rows: &[usize]) -> (f64, f64, f64) {
    let n = rows.len() as f64;
    let x: Vec<f64> = rows.iter().map(|&t| h.spend[t].ln()).collect();
    let y: Vec<f64> = rows.iter().map(|&t| h.registrations[t].ln()).collect();
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let sxy: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let b = sxy / sxx;
    let a = my - b * mx;
    let sse: f64 = x.iter().zip(&y).map(|(u, v)| (v - a - b * u).powi(2)).sum();
    let se = (sse / (n - 2.0) / sxx).sqrt();
    (b, se, mx)
}

/// Diminishing returns from `h`'s months with spend (`rows`), or the
/// plan's; and the elasticity input when estimated.
fn returns(h: &History, rows: &[usize], plan: &Scenario) -> (Returns, Option<FittedInput>) {
    let spend: Vec<f64> = rows.iter().map(|&t| h.spend[t]).collect();
    let spend_cv = Estimate::of(&spend).map_or(0.0, |e| e.cv());
    if spend_cv >= MIN_SPEND_CV && rows.len() >= MIN_ROWS {
        let (b, se, mean_log) = log_log_slope(h, rows);
        let e = 1.0 - b;
        let input = FittedInput {
            path: ELASTICITY.into(),
            kind: InputKind::Elasticity,
            dist: FitFamily::Normal,
            mean: e,
            sd: se,
            standard_error: se,
            plan_sd: 0.0,
            noise_cv: 0.0,
            months: rows.len(),
            from: h.label(rows[0]),
            to: h.label(rows[rows.len() - 1]),
            ratio: "1 - slope of ln(registrations) on ln(marketing_spend)".into(),
        };
        let returns = Returns {
            source: ReturnsSource::Estimated,
            spend_cv,
            months: rows.len(),
            slope: Some(b),
            standard_error: Some(se),
            elasticity: e,
            reference_budget: Some(mean_log.exp()),
        };
        return (returns, Some(input));
    }
    let planned = plan.spend_elasticity.as_ref();
    let returns = Returns {
        source: if planned.is_some() {
            ReturnsSource::Plan
        } else {
            ReturnsSource::None
        },
        spend_cv,
        months: rows.len(),
        slope: None,
        standard_error: None,
        elasticity: planned.map_or(0.0, |i| i.dist.mean()),
        reference_budget: planned.map(|_| plan.reference_budget),
    };
    (returns, None)
}

/// Fits `plan`'s inputs to `h`, read against the plan's segments.
pub fn fit(h: &History, plan: &Scenario) -> Result<Fit, HistoryErrors> {
    let mut r: Ratios = ratios(h, None)?;
    let rows: Vec<usize> = r.cost_per_registration.iter().map(|x| x.row).collect();
    if rows.len() < MIN_ROWS {
        return Err(HistoryErrors(vec![HistoryError {
            file: h.file.clone(),
            row: None,
            column: None,
            value: None,
            kind: HistoryErrorKind::TooFewSpendMonths {
                months: rows.len(),
                min: MIN_ROWS,
            },
        }]));
    }
    let (returns, elasticity) = returns(h, &rows, plan);
    let mut formulas = formulas(h);
    if let (Some(reference), e) = (returns.reference_budget, returns.elasticity)
        && e != 0.0
    {
        // The cost of a registration at the reference budget.
        for x in &mut r.cost_per_registration {
            x.value *= (reference / h.spend[x.row]).powf(e);
        }
        formulas[0] = format!(
            "marketing_spend / registrations × ({} / marketing_spend)^{}",
            human(reference),
            num(sig(e))
        );
    }
    let names = h.segments.iter().map(|s| s.name.as_str());
    let mut inputs: Vec<FittedInput> = input_slots(names, false)
        .into_iter()
        .zip(r.by_input())
        .zip(formulas)
        .map(|(((path, kind), series), ratio)| fit_input(path, kind, series, h, ratio))
        .collect();
    // In the order of the scenario's inputs: after the first-charge rate.
    if let Some(e) = elasticity {
        inputs.insert(2, e);
    }
    let last = h.len() - 1;
    let start_payers = h
        .segments
        .iter()
        .map(|s| FittedStart {
            segment: s.name.clone(),
            start_payers: s.payers[last],
            month: h.label(last),
            column: s.columns.payers.clone(),
        })
        .collect();
    Ok(Fit {
        months: h.len(),
        spread: Spread::History,
        profiles_kept: false,
        from: h.label(0),
        to: h.label(last),
        inputs,
        start_payers,
        no_spend: r.no_spend.iter().map(|&t| h.label(t)).collect(),
        returns,
    })
}

impl Fit {
    /// The fit made as `choices` say, against `plan`: each input's spread
    /// from the plan's own sd and the level's standard error, or from the
    /// standard error alone.
    pub fn chosen(mut self, plan: &Loaded, choices: FitChoices) -> Fit {
        let planned = plan.scenario.inputs();
        for input in &mut self.inputs {
            let plan_sd = planned
                .iter()
                .find(|(p, _)| *p == input.path)
                .map_or(0.0, |(_, i)| spread_of(&i.dist));
            input.plan_sd = plan_sd;
            if choices.spread == Spread::History {
                continue;
            }
            let se = input.standard_error;
            let mut sd = (plan_sd * plan_sd + se * se).sqrt();
            if input.kind == InputKind::Elasticity {
                input.sd = sd;
                input.dist = FitFamily::Normal;
                continue;
            }
            let rate = input.kind == InputKind::Rate;
            if rate {
                // No beta is wider than sqrt(m (1 - m)).
                sd = sd.min(0.99 * (input.mean * (1.0 - input.mean)).max(0.0).sqrt());
            }
            let family = match input.kind {
                _ if sd <= 0.0 || input.mean <= 0.0 => FitFamily::Fixed,
                InputKind::Rate if input.mean < 1.0 => FitFamily::Beta,
                InputKind::Rate => FitFamily::Fixed,
                InputKind::CostPerRegistration | InputKind::Arpu => FitFamily::LogNormal,
                InputKind::Elasticity => FitFamily::Normal,
            };
            input.dist = family;
            input.sd = if family == FitFamily::Fixed { 0.0 } else { sd };
        }
        for input in &mut self.inputs {
            if input.kind == InputKind::Elasticity {
                input.fix_if_degenerate();
            }
        }
        self.spread = choices.spread;
        self.profiles_kept = choices.keep_profiles;
        self
    }

    /// The plan's table with the fitted inputs and starting payers in place
    /// (and the plan's profiles on them, when kept), and its name marked as
    /// fitted.
    pub fn apply(&self, plan: &Loaded, history: &str) -> Table {
        let mut table = plan.table.clone();
        for input in &self.inputs {
            let mut value = input.to_toml();
            if self.profiles_kept
                && let Some(profile) = plan
                    .scenario
                    .inputs()
                    .iter()
                    .find(|(p, _)| *p == input.path)
                    .map(|(_, i)| i.profile.clone())
                    .filter(|p| p.iter().any(|x| *x != 1.0))
                && let Value::Table(t) = &mut value
            {
                t.insert(
                    "profile".into(),
                    Value::Array(profile.into_iter().map(Value::Float).collect()),
                );
            }
            overrides::set(&mut table, &input.path, &value)
                .expect("every input path names a field of the plan");
        }
        for s in &self.start_payers {
            overrides::set(
                &mut table,
                &format!("segments.{}.start_payers", s.segment),
                &Value::Float(s.start_payers),
            )
            .expect("every segment has start_payers");
        }
        if let (ReturnsSource::Estimated, Some(r)) =
            (self.returns.source, self.returns.reference_budget)
        {
            overrides::set(&mut table, "acquisition.reference_budget", &Value::Float(r))
                .expect("acquisition.reference_budget is a path");
        }
        table.insert(
            "name".into(),
            Value::String(format!("{} (fitted to {history})", plan.scenario.name)),
        );
        table
    }

    /// The comment block at the head of the fitted file: what was estimated
    /// from which months.
    pub fn comment(&self, plan: &str, history: &str) -> String {
        let mut lines = vec![
            format!(
                "Fitted by kpisim {} from {history} ({} months, {} to {}) onto the plan {plan}.",
                crate::VERSION,
                self.months,
                self.from,
                self.to
            ),
            "Each uncertain input: mean = the mean of its monthly ratio, noise_cv = the ratios'"
                .into(),
            "month-to-month sd / mean, and sd:".into(),
            match self.spread {
                Spread::Plan => "  the plan's own sd widened by that mean's standard error, \
                    sqrt(plan_sd^2 + se^2) (--spread plan): last year's level, with the plan's \
                    judgement of how much this year may differ."
                    .into(),
                Spread::History => "  that mean's standard error, sd / sqrt(months) (--spread \
                    history): how well last year's level is known, which says nothing of how \
                    much this year may differ; probabilities from it are too sure."
                    .into(),
            },
            if self.profiles_kept {
                "The plan's profiles are kept (--keep-profiles): its growth and seasonality ride \
                 on last year's average month."
                    .into()
            } else {
                "The plan's profiles are dropped: a fitted level is last year's average month, \
                 with no growth or seasonality (--keep-profiles keeps them)."
                    .into()
            },
        ];
        lines.push(format!(
            "Diminishing returns: {}.",
            self.returns.described()
        ));
        if !self.no_spend.is_empty() {
            lines.push(format!(
                "Months without marketing spend, left out of the cost per registration, the \
                 first-charge rate and the elasticity: {}.",
                self.no_spend.join(", ")
            ));
        }
        for i in &self.inputs {
            lines.push(format!(
                "  {} ({}): {}, {} to {} ({} months)",
                i.path,
                i.dist.key(),
                i.ratio,
                i.from,
                i.to,
                i.months
            ));
        }
        for s in &self.start_payers {
            lines.push(format!(
                "  segments.{}.start_payers: {} of {}",
                s.segment, s.column, s.month
            ));
        }
        lines.iter().map(|l| format!("# {l}\n")).collect()
    }
}
