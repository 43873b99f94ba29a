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
    /// Display name.
    pub name: String,
    /// Horizon in months.
    pub months: i64,
    /// Label of month 1, `YYYY-MM`.
    pub start: Option<String>,
    /// Annual targets.
    pub targets: RawTargets,
    /// Cost structure.
    pub costs: RawCosts,
    /// Marketing spend.
    pub marketing: RawMarketing,
    /// Acquisition funnel inputs.
    pub acquisition: RawAcquisition,
    /// Payer segments.
    pub segments: Vec<RawSegment>,
    /// One-off losses of old payers.
    #[serde(default)]
    pub shocks: Vec<RawShock>,
    /// Named stress cases.
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
    /// The two inputs, by path.
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
    /// Streamer and guild share of revenue.
    pub creator_share: f64,
    /// Operations cost as a share of revenue.
    pub operations_rate: f64,
    /// Staff and office, CNY per month.
    pub staff: RawSchedule,
    /// Bandwidth and servers, CNY per month.
    pub infra: RawSchedule,
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
    /// CNY per registration.
    pub cost_per_registration: RawInput,
    /// Share of registrations that pay in their first month.
    pub first_charge_rate: RawInput,
}

/// One `[[segments]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawSegment {
    /// Unique name, `[a-z0-9_]+`.
    pub name: String,
    /// Payers in the month before month 1.
    pub start_payers: f64,
    /// Share of new payers joining this segment.
    pub share_of_new: f64,
    /// Monthly retention of old payers.
    pub retention: RawInput,
    /// Monthly revenue per paying user.
    pub arpu: RawInput,
}

/// One `[[shocks]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawShock {
    /// Month of the loss, 1-based.
    pub month: i64,
    /// Segment name.
    pub segment: String,
    /// Share of the segment's old payers lost that month.
    pub loss: f64,
}

/// One `[[stress]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawStress {
    /// Case name.
    pub name: String,
    /// Overrides by dotted path.
    #[serde(default)]
    pub set: toml::Table,
    /// Multipliers by dotted path.
    #[serde(default)]
    pub scale: toml::Table,
    /// First month (1-based) the multipliers apply to.
    pub from: Option<i64>,
    /// Extra shocks.
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
    /// Family.
    pub dist: Family,
    /// `fixed`.
    pub value: Option<f64>,
    /// `uniform`, `triangular`, `pert`; truncation of `normal`.
    pub min: Option<f64>,
    /// `triangular`, `pert`.
    pub mode: Option<f64>,
    /// `uniform`, `triangular`, `pert`; truncation of `normal`.
    pub max: Option<f64>,
    /// `normal`, `lognormal`, `beta`.
    pub mean: Option<f64>,
    /// `normal`, `lognormal`, `beta`.
    pub sd: Option<f64>,
    /// `normal`, `lognormal`.
    pub p5: Option<f64>,
    /// `normal`, `lognormal`.
    pub p95: Option<f64>,
    /// `beta`.
    pub alpha: Option<f64>,
    /// `beta`.
    pub beta: Option<f64>,
    /// Draw once per trial (default) or every month.
    #[serde(default)]
    pub vary: Vary,
    /// `months` multipliers.
    pub profile: Option<Vec<f64>>,
    /// Coefficient of variation of the month-to-month lognormal noise.
    pub noise_cv: Option<f64>,
}

impl RawDist {
    /// Every distribution parameter with its value where given, in the
    /// order of [`super::schema::DIST_PARAMS`].
    pub fn params(&self) -> [(&'static str, Option<f64>); 10] {
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
