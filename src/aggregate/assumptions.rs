//! The assumptions behind a result, for the page and the workbook: every
//! uncertain input as written with the P10, P50 and P90 of its drawn
//! level, the schedules and costs, the correlations, the shocks and each
//! stress case's changes. A probability holds under these assumptions
//! only; a report for people says so beside it.

use serde::Serialize;

use crate::scenario::{InputKind, Loaded, Vary, describe_case};

/// What every page and workbook says with its assumptions.
pub const ONLY_UNDER: &str = "The probabilities hold under these assumptions only: other \
distributions, profiles, correlations or costs give other probabilities.";

/// One uncertain input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputAssumption {
    /// Its path (`segments.big_r.retention`).
    pub path: String,
    /// What it is: a rate, a cost per registration, an ARPU.
    #[serde(skip)]
    pub kind: InputKind,
    /// Its distribution's family as written (`beta`; `fixed` for a number).
    pub distribution: String,
    /// Its parameters as written: `mean 0.62, sd 0.05`.
    pub parameters: String,
    /// The 10th percentile of its drawn level D.
    pub p10: f64,
    /// The median of D.
    pub p50: f64,
    /// The 90th percentile of D.
    pub p90: f64,
    /// Its monthly multipliers, month 1 first (all 1 when none is written).
    pub profile: Vec<f64>,
    /// The coefficient of variation of its month-to-month noise (0: none).
    pub noise_cv: f64,
    /// `trial` (one D a year) or `month` (a fresh D every month).
    pub vary: &'static str,
}

/// A schedule, CNY a month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduleAssumption {
    /// Its path (`marketing.budget`).
    pub path: &'static str,
    /// Its sum over the horizon, CNY.
    pub total: f64,
    /// Each month's amount, month 1 first.
    pub monthly: Vec<f64>,
}

/// A segment's fixed numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentAssumption {
    /// Its name.
    pub name: String,
    /// Payers in the month before month 1.
    pub start_payers: f64,
    /// Its share 0..1 of each month's new payers.
    pub share_of_new: f64,
}

/// A rank correlation between two inputs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrelationAssumption {
    /// The two inputs' paths.
    pub between: [String; 2],
    /// Spearman's rank correlation, -1..1.
    pub rank: f64,
}

/// A one-off loss.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShockAssumption {
    /// Month, 1-based.
    pub month: usize,
    /// The segment that loses payers.
    pub segment: String,
    /// The share 0..1 of its old payers lost that month.
    pub loss: f64,
}

/// A stress case and what it changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseAssumption {
    /// Its name.
    pub name: String,
    /// Each change, as `kpisim check` says it.
    pub changes: Vec<String>,
}

/// Everything a result assumes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assumptions {
    /// Every uncertain input, in draw order.
    pub inputs: Vec<InputAssumption>,
    /// Marketing budget, staff and infra.
    pub schedules: Vec<ScheduleAssumption>,
    /// With a spend elasticity, the monthly budget at which a registration
    /// costs the cost per registration, CNY.
    pub reference_budget: Option<f64>,
    /// The cost of serving a payer, CNY a payer a month, month 1 first,
    /// when any month has one.
    pub per_payer: Option<Vec<f64>>,
    /// Streamers' and guilds' share of revenue, 0..1.
    pub creator_share: f64,
    /// Operations cost as a share of revenue, 0..1.
    pub operations_rate: f64,
    /// Each segment's starting payers and share of the new.
    pub segments: Vec<SegmentAssumption>,
    /// Rank correlations between inputs.
    pub correlations: Vec<CorrelationAssumption>,
    /// One-off losses.
    pub shocks: Vec<ShockAssumption>,
    /// Stress cases and their changes.
    pub stress: Vec<CaseAssumption>,
    /// The sentence that goes with them.
    pub note: &'static str,
}

impl Assumptions {
    /// The cost per payer as a person reads it: `5 CNY a payer a month`,
    /// `3 to 5 CNY a payer a month`.
    pub fn per_payer_text(&self) -> Option<String> {
        let v = self.per_payer.as_ref()?;
        let (lo, hi) = v
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let amount = if lo == hi {
            crate::present::num(lo)
        } else {
            format!("{} to {}", crate::present::num(lo), crate::present::num(hi))
        };
        Some(format!("{amount} CNY a payer a month"))
    }

    /// The assumptions of `l`'s scenario, as its file writes them.
    pub fn of(l: &Loaded) -> Assumptions {
        let s = &l.scenario;
        let inputs = s
            .inputs()
            .into_iter()
            .map(|(path, input)| {
                let (distribution, parameters) = l
                    .written(&path)
                    .unwrap_or_else(|| ("?".into(), String::new()));
                let q = |p: f64| input.dist.quantile(p);
                InputAssumption {
                    kind: input.kind,
                    distribution,
                    parameters,
                    p10: q(0.1),
                    p50: q(0.5),
                    p90: q(0.9),
                    profile: input.profile.clone(),
                    noise_cv: input.noise_cv,
                    vary: match input.vary {
                        Vary::Trial => "trial",
                        Vary::Month => "month",
                    },
                    path,
                }
            })
            .collect();
        let schedule = |path: &'static str, v: &[f64]| ScheduleAssumption {
            path,
            total: v.iter().sum(),
            monthly: v.to_vec(),
        };
        Assumptions {
            inputs,
            schedules: vec![
                schedule("marketing.budget", &s.budget),
                schedule("costs.staff", &s.staff),
                schedule("costs.infra", &s.infra),
            ],
            reference_budget: s.spend_elasticity.as_ref().map(|_| s.reference_budget),
            per_payer: s.has_per_payer().then(|| s.per_payer.clone()),
            creator_share: s.creator_share,
            operations_rate: s.operations_rate,
            segments: s
                .segments
                .iter()
                .map(|g| SegmentAssumption {
                    name: g.name.clone(),
                    start_payers: g.start_payers,
                    share_of_new: g.share_of_new,
                })
                .collect(),
            correlations: s
                .correlations
                .iter()
                .map(|c| {
                    let names = s.inputs();
                    CorrelationAssumption {
                        between: c.between.map(|i| names[i].0.clone()),
                        rank: c.rank,
                    }
                })
                .collect(),
            shocks: s
                .shocks
                .iter()
                .map(|k| ShockAssumption {
                    month: k.month,
                    segment: s.segments[k.segment].name.clone(),
                    loss: k.loss,
                })
                .collect(),
            stress: s
                .stress
                .iter()
                .enumerate()
                .map(|(i, c)| CaseAssumption {
                    name: c.name.clone(),
                    changes: describe_case(l, i),
                })
                .collect(),
            note: ONLY_UNDER,
        }
    }
}
