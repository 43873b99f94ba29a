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

use serde::Serialize;
use toml::{Table, Value};

use super::estimate::Estimate;
use super::ratios::{Ratio, Ratios, ratios};
use super::{History, HistoryErrors};
use crate::scenario::{InputKind, Loaded, input_slots, overrides};

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
}

impl FitFamily {
    /// As written in a scenario.
    pub fn key(self) -> &'static str {
        match self {
            FitFamily::Fixed => "fixed",
            FitFamily::LogNormal => "lognormal",
            FitFamily::Beta => "beta",
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
    /// Its table in a scenario file.
    pub fn to_toml(&self) -> Value {
        let mut t = Table::new();
        t.insert("dist".into(), Value::String(self.dist.key().into()));
        match self.dist {
            FitFamily::Fixed => {
                t.insert("value".into(), Value::Float(self.mean));
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

/// Fits the plan's inputs to `h`, read against the plan's segments.
pub fn fit(h: &History) -> Result<Fit, HistoryErrors> {
    let r: Ratios = ratios(h, None)?;
    let names = h.segments.iter().map(|s| s.name.as_str());
    let inputs = input_slots(names)
        .into_iter()
        .zip(r.by_input())
        .zip(formulas(h))
        .map(|(((path, kind), series), ratio)| fit_input(path, kind, series, h, ratio))
        .collect();
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
                .map_or(0.0, |(_, i)| i.dist.sd());
            input.plan_sd = plan_sd;
            if choices.spread == Spread::History {
                continue;
            }
            let se = input.standard_error;
            let mut sd = (plan_sd * plan_sd + se * se).sqrt();
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
            };
            input.dist = family;
            input.sd = if family == FitFamily::Fixed { 0.0 } else { sd };
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
