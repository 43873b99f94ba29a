//! What can be wrong with a scenario file, as data: where (file, line and
//! column, field path), which value, and which rule ([`ScenarioErrorKind`],
//! each variant's message stating the rule and, where it helps, the fix).

use std::fmt;

use crate::distr::DistError;

use super::raw::Family;
use super::schema::Expected;

/// One problem with a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    /// The scenario file as named on the command line.
    pub file: String,
    /// 1-based line and column of the field, where the TOML gives them.
    pub position: Option<(usize, usize)>,
    /// The field's path, e.g. `segments[0].retention.sd` (empty for the
    /// whole file).
    pub path: String,
    /// The offending value as written, if there is one.
    pub value: Option<String>,
    /// The rule broken.
    pub kind: ScenarioErrorKind,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": ")?;
        if !self.path.is_empty() {
            write!(f, "{}", self.path)?;
            if let Some(v) = &self.value {
                write!(f, " = {v}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.kind)
    }
}

/// A valid value that is almost surely a slip: reported as a warning, and
/// the command goes on.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioWarning {
    /// The scenario file as named on the command line.
    pub file: String,
    /// 1-based line and column of the field.
    pub position: Option<(usize, usize)>,
    /// The field's path.
    pub path: String,
    /// The value as written.
    pub value: String,
    /// What it is likely a slip for.
    pub slip: Slip,
}

impl fmt::Display for ScenarioWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {} = {}: {}", self.path, self.value, self.slip)
    }
}

/// Which way a spend elasticity's distribution leaves [0, 1).
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum ElasticityRule {
    /// A value or bound below 0.
    #[error("this is below 0")]
    BelowZero,
    /// A value or bound at 1 or above.
    #[error("this is 1 or above{}", Meant(*.0))]
    OneOrAbove(Option<f64>),
    /// A normal not truncated inside [0, 1).
    #[error("a normal must be truncated inside it: give min >= 0 and max < 1, or use a beta")]
    UntruncatedNormal,
    /// A lognormal, whose values reach 1 and above.
    #[error(
        "a lognormal reaches 1 and above: use a beta, or a uniform, triangular, PERT or truncated normal inside [0, 1)"
    )]
    LogNormal,
    /// A metalog without both bounds inside [0, 1].
    #[error("a metalog needs lower >= 0 and upper <= 1")]
    OpenMetalog,
}

/// The slips a warning is about (thresholds in `validate::slips`).
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum Slip {
    /// A monthly noise of more than 100%.
    #[error(
        "is a coefficient of variation of {}: each month would swing by more than its own level; did you mean {} ({})?",
        crate::present::pct(*.cv), crate::present::num(*.meant), crate::present::pct(*.meant)
    )]
    NoiseCv {
        /// The `noise_cv` as written, above 1 (100%).
        cv: f64,
        /// cv / 100.
        meant: f64,
    },
    /// A stress multiplier of tenfold or more.
    #[error(
        "multiplies by {}, which is no stress test{}",
        crate::present::num(*.factor),
        .meant.map(|m| format!("; did you mean {} (a cut to {})?", crate::present::num(m), crate::present::pct(m))).unwrap_or_default()
    )]
    ScaleFactor {
        /// The `scale` multiplier as written, 10 or more.
        factor: f64,
        /// factor / 100, when the factor reads as a percentage.
        meant: Option<f64>,
    },
}

/// Every problem found in one or more scenario files, reported together.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioErrors(pub Vec<ScenarioError>);

impl fmt::Display for ScenarioErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ScenarioErrors {}

/// A path and value given on the command line (`sweep --set`, `solve
/// --lever`) that cannot be applied to a scenario.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}{}: {error}", .value.as_ref().map(|v| format!(" = {v}")).unwrap_or_default())]
pub struct OverrideFailure {
    /// The dotted path as given on the command line.
    pub path: String,
    /// The value as given, if one was.
    pub value: Option<String>,
    /// Why it cannot be applied.
    pub error: super::OverrideError,
}

/// Which side of an input's range [`ScenarioErrorKind::Reach`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The smallest plausible value.
    Low,
    /// The largest plausible value.
    High,
}

/// The rule a scenario breaks. The message of each states the rule.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScenarioErrorKind {
    /// The file cannot be read.
    #[error("cannot read the scenario file: {0}")]
    Unreadable(String),
    /// The file is larger than any scenario (`/dev/zero`, a log file).
    #[error("is larger than {limit} bytes: a scenario is a few kilobytes of TOML")]
    TooLarge {
        /// The cap, bytes.
        limit: u64,
    },
    /// The file is not UTF-8 text.
    #[error("is not UTF-8 text (byte {byte})")]
    NotUtf8 {
        /// Offset of the first bad byte, 0-based, from the file's start.
        byte: usize,
    },
    /// The file is not valid TOML.
    #[error("{0}")]
    Syntax(String),
    /// A key the format does not have.
    #[error("unknown field{}: the fields here are {}", .suggestion.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default(), .allowed.join(", "))]
    UnknownField {
        /// The fields that belong here.
        allowed: Vec<&'static str>,
        /// The one it most likely meant.
        suggestion: Option<&'static str>,
    },
    /// A value of the wrong type.
    #[error("must be {expected}, not {found}")]
    WrongType {
        /// What belongs here.
        expected: Expected,
        /// What was written: "a string", "a table", ...
        found: &'static str,
    },
    /// A required field is absent.
    #[error("is missing: give {0}")]
    Missing(Expected),
    /// A word outside its set (`dist`, `vary`).
    #[error("must be one of {}", .0.join(", "))]
    UnknownWord(Vec<&'static str>),
    /// NaN or infinite.
    #[error("must be a finite number")]
    NotFinite,
    /// A share or rate outside [0, 1].
    #[error("must lie between 0 and 1{}", Meant(*.meant))]
    OutsideUnit {
        /// The fraction it likely meant, when it reads as a percentage.
        meant: Option<f64>,
    },
    /// A count or amount below zero.
    #[error("must not be negative")]
    Negative,
    /// Beyond the magnitude kpisim accepts for this kind of number.
    #[error("must be at most {limit:e} in size ({what}), so that every result stays finite")]
    TooBig {
        /// The largest magnitude accepted ([`MAX_AMOUNT`] or [`MAX_PAYERS`]).
        ///
        /// [`MAX_AMOUNT`]: super::validate::MAX_AMOUNT
        /// [`MAX_PAYERS`]: super::validate::MAX_PAYERS
        limit: f64,
        /// What the number is, with its unit ("CNY a month", "payers").
        what: &'static str,
    },
    /// An empty name.
    #[error("must not be empty")]
    Empty,
    /// `months` outside 1..=120.
    #[error("must be a whole number from 1 to {max}")]
    MonthsOutOfRange {
        /// The longest horizon accepted, in months ([`MAX_MONTHS`]).
        ///
        /// [`MAX_MONTHS`]: super::validate::MAX_MONTHS
        max: i64,
    },
    /// `start` not `YYYY-MM`.
    #[error("must be a month written YYYY-MM, e.g. \"2016-01\"")]
    BadStart,
    /// Creator share plus operations above 1.
    #[error("creator_share plus operations_rate must not exceed 1")]
    MarginNegative,
    /// A schedule of the wrong length.
    #[error("must be one number, or {months} numbers (one per month)")]
    ScheduleLength {
        /// The scenario's horizon in months: the length the schedule needs.
        months: usize,
    },
    /// A profile of the wrong length.
    #[error("must hold {months} multipliers, one per month")]
    ProfileLength {
        /// The scenario's horizon in months: the length the profile needs.
        months: usize,
    },
    /// No segment.
    #[error("needs at least one [[segments]] entry")]
    NoSegments,
    /// A segment name outside `[a-z0-9_]+`.
    #[error("must be one or more of a-z, 0-9 and _")]
    SegmentName,
    /// Two segments with one name.
    #[error("must be unique among segments")]
    DuplicateSegment,
    /// Shares of new payers not summing to 1.
    #[error("the segments' share_of_new must sum to 1, they sum to {}", crate::present::num(*sum))]
    ShareSum {
        /// The sum of every segment's `share_of_new`, as written.
        sum: f64,
    },
    /// A shock on a segment that does not exist.
    #[error("must name a segment ({})", .names.join(", "))]
    UnknownSegment {
        /// The names of the scenario's segments, in file order.
        names: Vec<String>,
    },
    /// A shock outside the horizon.
    #[error("must be a month from 1 to {months}")]
    MonthOutside {
        /// The scenario's horizon in months: the last month a shock may hit.
        months: usize,
    },
    /// A stress case name used twice or "baseline".
    #[error("must be unique among stress cases and not \"baseline\"")]
    StressName,
    /// A parameter another family takes.
    #[error("is not a parameter of {} (it takes {})", .0.name(), .0.described())]
    NotAParameter(Family),
    /// Half of a parameter form, or a family's only parameter, missing.
    #[error("is missing: {} takes {}", .0.name(), .0.described())]
    MissingParameter(Family),
    /// No parameter form given.
    #[error("{} needs {}", .0.name(), .0.described())]
    NoForm(Family),
    /// Two parameter forms given.
    #[error("give {} parameters as {}, not both", .0.name(), .0.described())]
    TwoForms(Family),
    /// A family's own rule.
    #[error(transparent)]
    Distribution(#[from] DistError),
    /// A rate's centre or bound outside [0, 1].
    #[error("a rate must lie between 0 and 1{}", Meant(*.meant))]
    RateOutside {
        /// The fraction it likely meant, when it reads as a percentage.
        meant: Option<f64>,
    },
    /// A fixed or minimum cost per registration at or below 0.
    #[error("a cost per registration must be above 0")]
    CostNotPositive,
    /// An untruncated normal cost per registration.
    #[error(
        "a cost per registration must stay above 0, and an untruncated normal does not: give min > 0, or use lognormal"
    )]
    CostUntruncatedNormal,
    /// A metalog cost per registration without a lower bound.
    #[error(
        "a cost per registration must stay above 0, and a metalog without a lower bound does not: give lower = 0 (or above)"
    )]
    CostUnboundedMetalog,
    /// A cost per registration's profile at or below 0.
    #[error("a cost per registration's profile must be above 0")]
    CostProfileNotPositive,
    /// An elasticity whose values leave [0, 1).
    #[error("the spend elasticity must lie in [0, 1): {0}")]
    ElasticityOutside(ElasticityRule),
    /// `vary`, `profile` or `noise_cv` on the spend elasticity.
    #[error(
        "the spend elasticity is drawn once a trial and holds every month: it takes no vary, profile or noise_cv"
    )]
    ElasticityOption,
    /// A reference budget at or below 0.
    #[error(
        "must be above 0: it is the monthly budget at which a registration costs cost_per_registration"
    )]
    ReferenceNotPositive,
    /// An input whose plausible draws leave the range that keeps the model
    /// finite.
    #[error("{}", reach_message(.what, *.side, *.reach, *.limit))]
    Reach {
        /// What the input is ("ARPU", "the cost per registration", ...).
        what: &'static str,
        /// Which end of its range leaves the bound.
        side: Side,
        /// Where its one-in-a-trillion draw, times profile and noise, lands.
        reach: f64,
        /// The bound it must stay within, in the input's own unit.
        limit: f64,
    },
    /// A correlation naming something other than a whole uncertain input.
    #[error("must name a whole uncertain input: {}", .inputs.join(", "))]
    NotAnInput {
        /// The dotted paths of the scenario's uncertain inputs, in draw order.
        inputs: Vec<String>,
    },
    /// A correlation of an input with itself.
    #[error("names the same input twice")]
    SameInput,
    /// Two correlations of one pair; holds the 0-based index of the earlier
    /// one in `[[correlations]]`.
    #[error("correlates a pair already correlated by correlations[{0}]")]
    PairTwice(usize),
    /// A rank correlation outside [-1, 1].
    #[error("must lie between -1 and 1")]
    RankOutside,
    /// A correlation with a fixed input, which has nothing to correlate.
    #[error("{0} is fixed: a fixed input cannot be correlated")]
    FixedInput(String),
    /// Correlations that no joint distribution can have.
    #[error(
        "the correlations together are impossible (their matrix is not positive semi-definite, smallest eigenvalue {}): \
         this one, between {} and {}, is the one the others are closest to possible without; weaken it or them",
        crate::present::num(*eigenvalue), .pair.0, .pair.1
    )]
    NotPositiveSemiDefinite {
        /// The smallest eigenvalue of the normal-score correlation matrix.
        eigenvalue: f64,
        /// The pair most to blame.
        pair: (String, String),
    },
    /// A stress case's override that cannot be applied.
    #[error("stress case {case:?}: {error}")]
    Override {
        /// The stress case's name.
        case: String,
        /// Why its override cannot be applied.
        error: super::OverrideError,
    },
    /// A stress case that makes the scenario invalid.
    #[error("stress case {case:?} makes {field}{} invalid: {rule}", .value.as_ref().map(|v| format!(" = {v}")).unwrap_or_default())]
    CaseInvalid {
        /// The stress case's name.
        case: String,
        /// The field it breaks, e.g. `segments[0].retention.sd`.
        field: String,
        /// The field's value once the case is applied, if it has one.
        value: Option<String>,
        /// The rule it breaks.
        rule: Box<ScenarioErrorKind>,
    },
}

/// The fraction a value outside [0, 1] likely meant: a percentage written
/// where a fraction belongs (65 for 0.65).
pub fn percent_slip(v: f64) -> Option<f64> {
    (v > 1.0 && v <= 100.0).then(|| crate::present::tidy(v / 100.0))
}

/// "; did you mean 0.65?" after a rule, when there is a likely fraction.
struct Meant(Option<f64>);

impl fmt::Display for Meant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(v) => write!(
                f,
                "; did you mean {} ({})?",
                crate::present::num(v),
                crate::present::pct(v)
            ),
            None => Ok(()),
        }
    }
}

fn reach_message(what: &str, side: Side, reach: f64, limit: f64) -> String {
    let n = |v: f64| {
        if v.is_finite() {
            crate::present::num(v)
        } else if v > 0.0 {
            "beyond the largest finite number".to_string()
        } else {
            "below the lowest finite number".to_string()
        }
    };
    match side {
        Side::High => format!(
            "{what} could reach {} (its one-in-a-trillion high draw times the largest profile and \
             noise factors); it must stay at or below {} so that every result stays finite: narrow \
             its distribution, profile or noise",
            n(reach),
            n(limit)
        ),
        Side::Low => format!(
            "{what} could fall to {} (its one-in-a-trillion low draw times the smallest profile and \
             noise factors); it must stay at or above {} so that every result stays finite: narrow \
             its distribution, profile or noise",
            n(reach),
            n(limit)
        ),
    }
}
