//! Serde types that mirror the scenario TOML one to one (docs/scenario.md).
//!
//! They only carry what was written: unknown fields are refused here, every
//! semantic rule is checked later in [`super::validate`], where the error can
//! name the field's path and the rule.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The whole scenario file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// The scenario's name, shown in the reports' headers.
    pub name: String,
    /// Horizon in months, 1..=120 once validated.
    pub months: i64,
    /// Label of month 1, `YYYY-MM`.
    pub start: Option<String>,
    /// `[targets]`: annual revenue and profit targets.
    pub targets: RawTargets,
    /// `[costs]`: shares of revenue and monthly fixed costs.
    pub costs: RawCosts,
    /// `[marketing]`: the monthly budget.
    pub marketing: RawMarketing,
    /// `[acquisition]`: cost per registration and first-charge rate.
    pub acquisition: RawAcquisition,
    /// `[[segments]]`, in file order.
    pub segments: Vec<RawSegment>,
    /// `[[shocks]]`: one-off losses of a segment's old payers.
    #[serde(default)]
    pub shocks: Vec<RawShock>,
    /// `[[stress]]`: named stress cases, in file order.
    #[serde(default)]
    pub stress: Vec<RawStress>,
    /// Rank correlations between uncertain inputs.
    #[serde(default)]
    pub correlations: Vec<RawCorrelation>,
}

/// One `[[correlations]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrelation {
    /// The two inputs, by dotted path (`segments.big_r.arpu`); two once
    /// validated.
    pub between: Vec<String>,
    /// Spearman rank correlation, -1..1.
    pub rank: f64,
}

/// `[targets]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargets {
    /// Annual revenue target, CNY.
    pub revenue: f64,
    /// Annual profit target, CNY.
    pub profit: f64,
}

/// `[costs]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCosts {
    /// Streamer and guild share of revenue, a fraction 0..1.
    pub creator_share: f64,
    /// Operations cost as a share of revenue, a fraction 0..1.
    pub operations_rate: f64,
    /// Staff and office, CNY per month.
    pub staff: RawSchedule,
    /// Bandwidth and servers, CNY per month.
    pub infra: RawSchedule,
    /// Cost of serving one payer, CNY a payer a month (default 0).
    pub per_payer: Option<RawSchedule>,
}

/// `[marketing]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawMarketing {
    /// Marketing budget, CNY per month.
    pub budget: RawSchedule,
}

/// `[acquisition]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawAcquisition {
    /// Marketing cost of one registration, CNY.
    pub cost_per_registration: RawInput,
    /// Share of registrations that pay in their first month, a fraction 0..1.
    pub first_charge_rate: RawInput,
    /// How fast a registration's cost rises with the month's budget, in
    /// [0, 1) (default 0: constant returns).
    pub spend_elasticity: Option<RawInput>,
    /// The budget at which a registration costs `cost_per_registration`,
    /// CNY a month (default: the mean of the budget as written).
    pub reference_budget: Option<f64>,
}

/// One `[[segments]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegment {
    /// Unique name, `[a-z0-9_]+`.
    pub name: String,
    /// Payers in the month before month 1.
    pub start_payers: f64,
    /// Fraction 0..1 of new payers joining this segment; all segments' sum
    /// to 1.
    pub share_of_new: f64,
    /// Fraction 0..1 of last month's payers that pay again this month.
    pub retention: RawInput,
    /// ARPU: revenue per paying user, CNY a month.
    pub arpu: RawInput,
}

/// One `[[shocks]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawShock {
    /// Month of the loss, 1-based.
    pub month: i64,
    /// Name of the segment that loses payers, as in `[[segments]]`.
    pub segment: String,
    /// Fraction 0..1 of the segment's old payers lost that month.
    pub loss: f64,
}

/// One `[[stress]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawStress {
    /// Case name, unique and never `baseline`.
    pub name: String,
    /// Values that replace the scenario's, by dotted path; applied before
    /// `scale`.
    #[serde(default)]
    pub set: toml::Table,
    /// Multipliers of the scenario's values (of an input, its drawn level),
    /// by dotted path.
    #[serde(default)]
    pub scale: toml::Table,
    /// First month (1-based) the multipliers apply to.
    pub from: Option<i64>,
    /// Shocks added to the scenario's own for this case.
    #[serde(default)]
    pub shocks: Vec<RawShock>,
}

/// A CNY-per-month schedule: one number for every month, or one per month.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RawSchedule {
    /// The same number every month.
    Flat(f64),
    /// One number per month.
    Months(Vec<f64>),
}

/// An uncertain input: a bare number (fixed) or a distribution table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RawInput {
    /// A fixed value.
    Fixed(f64),
    /// A distribution.
    Dist(Box<RawDist>),
}

/// Distribution families a scenario can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// `value`.
    Fixed,
    /// `min`, `max`.
    Uniform,
    /// `min`, `mode`, `max`.
    Triangular,
    /// `min`, `mode`, `max`.
    Pert,
    /// `mean`, `sd` or `p5`, `p95`; optional `min`, `max`.
    Normal,
    /// `mean`, `sd` or `p5`, `p95`.
    Lognormal,
    /// `mean`, `sd` or `alpha`, `beta`.
    Beta,
    /// `quantiles`; optional `lower`, `upper`.
    Metalog,
}

impl Family {
    /// The name as written in the file.
    pub fn name(self) -> &'static str {
        match self {
            Family::Fixed => "fixed",
            Family::Uniform => "uniform",
            Family::Triangular => "triangular",
            Family::Pert => "pert",
            Family::Normal => "normal",
            Family::Lognormal => "lognormal",
            Family::Beta => "beta",
            Family::Metalog => "metalog",
        }
    }
}

/// Whether an input is drawn once per trial or afresh every month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Vary {
    /// One draw per forecast, used in every month.
    #[default]
    Trial,
    /// A fresh draw every month.
    Month,
}

/// A distribution table as written; which keys a family takes is checked in
/// validation, so that the error can say which family wants what.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    /// Family: decides which of the parameters below it takes.
    pub dist: Family,
    /// The value of a `fixed` input.
    pub value: Option<f64>,
    /// Lower end: of `uniform`, `triangular`, `pert`; a `normal`'s
    /// truncation.
    pub min: Option<f64>,
    /// Most likely value, of `triangular` and `pert`.
    pub mode: Option<f64>,
    /// Upper end: of `uniform`, `triangular`, `pert`; a `normal`'s
    /// truncation.
    pub max: Option<f64>,
    /// Mean of the value, of `normal`, `lognormal` and `beta`.
    pub mean: Option<f64>,
    /// Standard deviation of the value (not of its log), of `normal`,
    /// `lognormal` and `beta`.
    pub sd: Option<f64>,
    /// 5th percentile of the value, of `normal` and `lognormal` (with `p95`,
    /// instead of `mean` and `sd`).
    pub p5: Option<f64>,
    /// 95th percentile of the value, of `normal` and `lognormal` (with `p5`).
    pub p95: Option<f64>,
    /// First shape parameter α of `beta`.
    pub alpha: Option<f64>,
    /// Second shape parameter β of `beta`.
    pub beta: Option<f64>,
    /// A `metalog`'s quantiles: [p, x] pairs, p rising inside (0, 1).
    pub quantiles: Option<Vec<Vec<f64>>>,
    /// A `metalog`'s lower bound: its values stay above it.
    pub lower: Option<f64>,
    /// A `metalog`'s upper bound: its values stay below it.
    pub upper: Option<f64>,
    /// Draw once per trial (default) or every month.
    #[serde(default)]
    pub vary: Vary,
    /// Planned trend: one multiplier of the level per month, `months` of
    /// them.
    pub profile: Option<Vec<f64>>,
    /// Coefficient of variation of the month-to-month lognormal noise.
    pub noise_cv: Option<f64>,
}

impl RawDist {
    /// Every numeric distribution parameter with its value where given, in
    /// the order of [`super::schema::DIST_PARAMS`] (a metalog's `quantiles`,
    /// a list, apart).
    pub fn params(&self) -> [(&'static str, Option<f64>); 12] {
        [
            ("value", self.value),
            ("min", self.min),
            ("mode", self.mode),
            ("max", self.max),
            ("mean", self.mean),
            ("sd", self.sd),
            ("p5", self.p5),
            ("p95", self.p95),
            ("alpha", self.alpha),
            ("beta", self.beta),
            ("lower", self.lower),
            ("upper", self.upper),
        ]
    }
}

impl<'de> Deserialize<'de> for RawSchedule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSchedule;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, or a list of one number per month")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RawSchedule::Flat(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawSchedule::Flat(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(RawSchedule::Flat(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::<f64>::deserialize(de::value::SeqAccessDeserializer::new(seq))
                    .map(RawSchedule::Months)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawInput;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a number, or a table such as { dist = \"normal\", mean = 1, sd = 0.1 }",
                )
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RawInput::Fixed(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawInput::Fixed(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(RawInput::Fixed(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawDist::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|d| RawInput::Dist(Box::new(d)))
            }
        }
        d.deserialize_any(V)
    }
}
