//! The scenario file (docs/scenario.md), one job a file:
//! - [`load`]: reading the file (with a size cap), parsing the TOML, and
//!   attaching line and column ([`spans`]) to every problem;
//! - [`schema`]: the shape of the format, checked before serde sees it, so
//!   that every unknown field and wrong type is reported at once;
//! - [`raw`]: serde types mirroring the TOML;
//! - [`validate`]: the rules, into a [`Scenario`] of plain numbers,
//!   schedules expanded to one value per month, distributions built;
//! - [`paths`] and [`overrides`]: naming fields by dotted path, and stress
//!   cases, sweeps and solves as overrides of the file's table;
//! - [`error`]: [`ScenarioError`] and its kinds.

pub mod error;
mod load;
pub mod overrides;
pub mod paths;
pub mod raw;
pub mod schema;
mod slice;
pub mod spans;
pub mod validate;
pub mod write;

pub use error::{
    OverrideFailure, ScenarioError, ScenarioErrorKind, ScenarioErrors, ScenarioWarning, Side, Slip,
};
pub use load::{MAX_FILE_BYTES, TEXT_FILE, from_bytes, from_text, load, parse};
pub use overrides::{OverrideError, describe_case};
pub use raw::Vary;

use crate::distr::Dist;

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The scenario's `name`, shown in the reports' headers.
    pub name: String,
    /// Horizon in months.
    pub months: usize,
    /// Calendar month of month 1 (`start`); without it months are labelled
    /// 1, 2, ...
    pub start: Option<YearMonth>,
    /// Annual revenue and profit targets, CNY.
    pub targets: Targets,
    /// Streamer and guild share of revenue, a fraction 0..1.
    pub creator_share: f64,
    /// Operations cost as a share of revenue, a fraction 0..1.
    pub operations_rate: f64,
    /// Staff and office cost, CNY a month, one value per month.
    pub staff: Vec<f64>,
    /// Bandwidth and server cost, CNY a month, one value per month.
    pub infra: Vec<f64>,
    /// Cost of serving one payer, CNY a payer a month, one value per month
    /// (all 0 when the file gives none).
    pub per_payer: Vec<f64>,
    /// Marketing budget, CNY a month, one value per month; spent as planned
    /// whatever revenue a trial makes.
    pub budget: Vec<f64>,
    /// Marketing cost of one registration, CNY: registrations = budget / it.
    pub cost_per_registration: Input,
    /// Share of a month's registrations that pay that month (new payers), a
    /// fraction 0..1.
    pub first_charge_rate: Input,
    /// Diminishing returns on marketing: E in [0, 1), a month's cost per
    /// registration times (budget / reference_budget)^E. `None` when the
    /// file gives none: constant returns, and no stream drawn for it.
    pub spend_elasticity: Option<Input>,
    /// The budget at which a registration costs `cost_per_registration`,
    /// CNY a month: as written, else the mean of the budget schedule as the
    /// file writes it (overrides of the budget do not move it).
    pub reference_budget: f64,
    /// Payer segments, in file order.
    pub segments: Vec<Segment>,
    /// The file's `[[shocks]]`: one-off losses of a segment's old payers, in
    /// file order.
    pub shocks: Vec<Shock>,
    /// Stress cases, in file order.
    pub stress: Vec<StressCase>,
    /// Rank correlations between uncertain inputs, in file order.
    pub correlations: Vec<Correlation>,
}

/// A Spearman rank correlation between two uncertain inputs' levels.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// The two inputs, by index into [`Scenario::inputs`].
    pub between: [usize; 2],
    /// The rank correlation, -1..1.
    pub rank: f64,
}

/// Annual targets, CNY.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Targets {
    /// Annual revenue a trial must reach (at least), CNY.
    pub revenue: f64,
    /// Annual profit a trial must reach (at least), CNY; may be negative.
    pub profit: f64,
}

/// What an uncertain input means, which decides how it is clamped and which
/// extra rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A rate clamped to [0, 1] (retention, first-charge rate).
    Rate,
    /// Cost per registration: must stay above 0.
    CostPerRegistration,
    /// ARPU: clamped at 0.
    Arpu,
    /// The spend elasticity: in [0, 1), drawn once a trial, without
    /// profile or noise.
    Elasticity,
}

/// One uncertain input: value in month m is `D × profile[m] × noise[m]`,
/// clamped by its kind.
#[derive(Debug, Clone)]
pub struct Input {
    /// Distribution of the level D, drawn per trial or per month as `vary`
    /// says.
    pub dist: Dist,
    /// Drawn per trial or per month.
    pub vary: Vary,
    /// Planned trend: one multiplier of D per month, all 1 when the file
    /// gives none.
    pub profile: Vec<f64>,
    /// Coefficient of variation of the monthly lognormal noise (0 = none).
    pub noise_cv: f64,
    /// What the input means, which decides its clamp (see [`InputKind`]).
    pub kind: InputKind,
}

/// One payer segment.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Name from the file, `[a-z0-9_]+`, unique among segments; names its
    /// inputs' paths (`segments.NAME.arpu`).
    pub name: String,
    /// Payers in the month before month 1.
    pub start_payers: f64,
    /// Fraction 0..1 of each month's new payers joining it; the segments'
    /// shares sum to 1.
    pub share_of_new: f64,
    /// Retention: the fraction 0..1 of last month's payers that pay again
    /// this month.
    pub retention: Input,
    /// Its ARPU: revenue per payer, CNY a month.
    pub arpu: Input,
}

/// A one-off loss of a segment's old payers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shock {
    /// Month of the loss, 1-based (1..=months).
    pub month: usize,
    /// Index into [`Scenario::segments`].
    pub segment: usize,
    /// Fraction 0..1 of the segment's old payers lost that month.
    pub loss: f64,
}

/// A named stress case: overrides and multipliers by path, plus extra
/// shocks.
#[derive(Debug, Clone)]
pub struct StressCase {
    /// Case name from the file, unique and never `baseline`.
    pub name: String,
    /// Overrides by dotted path, as written.
    pub set: toml::Table,
    /// Multipliers by dotted path, as written.
    pub scale: toml::Table,
    /// First month the multipliers apply to, as written.
    pub from: Option<i64>,
    /// Shocks added to the scenario's own for this case only.
    pub shocks: Vec<Shock>,
}

/// A calendar month, for labelling month 1..months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearMonth {
    /// Calendar year, e.g. 2016.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
}

impl YearMonth {
    /// Parses `YYYY-MM`.
    pub fn parse(s: &str) -> Option<YearMonth> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let year = y.parse().ok()?;
        let month = m.parse().ok()?;
        (1..=12)
            .contains(&month)
            .then_some(YearMonth { year, month })
    }

    /// The label of month `k` (1-based) counted from this one.
    pub fn label(self, k: usize) -> String {
        let total = self.year as i64 * 12 + (self.month as i64 - 1) + (k as i64 - 1);
        format!(
            "{:04}-{:02}",
            total.div_euclid(12),
            total.rem_euclid(12) + 1
        )
    }
}

impl Scenario {
    /// Label of month `k` (1-based): `2016-01` with a start, else `k`.
    pub fn month_label(&self, k: usize) -> String {
        match self.start {
            Some(s) => s.label(k),
            None => k.to_string(),
        }
    }

    /// The share of revenue the company keeps: 1 - creator_share -
    /// operations_rate.
    pub fn margin(&self) -> f64 {
        1.0 - self.creator_share - self.operations_rate
    }

    /// The costs of month `m` (0-based) that neither revenue nor payers
    /// move: marketing `spend` (the budget, or what was actually spent),
    /// staff and infra.
    pub fn costs(&self, m: usize, spend: f64) -> f64 {
        spend + self.staff[m] + self.infra[m]
    }

    /// The profit of month `m` (0-based) with this revenue, these payers
    /// and this marketing spend: margin × revenue - costs - per_payer ×
    /// payers. The model's kernel computes the same from
    /// [`Scenario::margin`], [`Scenario::costs`] and `per_payer`.
    pub fn profit(&self, m: usize, revenue: f64, payers: f64, spend: f64) -> f64 {
        revenue * self.margin() - self.costs(m, spend) - self.per_payer[m] * payers
    }

    /// Whether any month has a cost per payer.
    pub fn has_per_payer(&self) -> bool {
        self.per_payer.iter().any(|c| *c != 0.0)
    }

    /// Every month's label, when the scenario has a `start`.
    pub fn labels(&self) -> Option<Vec<String>> {
        self.start
            .map(|_| (1..=self.months).map(|m| self.month_label(m)).collect())
    }

    /// Every uncertain input with its dotted path (docs/scenario.md,
    /// "Paths"), in the order the engine draws them ([`input_slots`]); an
    /// optional input the file leaves out is not one.
    pub fn inputs(&self) -> Vec<(String, &Input)> {
        let names: Vec<&str> = self.segments.iter().map(|s| s.name.as_str()).collect();
        input_slots(names.iter().copied(), true)
            .into_iter()
            .filter_map(|(path, _)| self.input(&path).map(|i| (path, i)))
            .collect()
    }

    /// The uncertain input at `path`, if the scenario has it.
    pub fn input(&self, path: &str) -> Option<&Input> {
        let (table, key) = path.rsplit_once('.')?;
        if table == "acquisition" {
            return match key {
                "cost_per_registration" => Some(&self.cost_per_registration),
                "first_charge_rate" => Some(&self.first_charge_rate),
                "spend_elasticity" => self.spend_elasticity.as_ref(),
                _ => None,
            };
        }
        let name = table.strip_prefix("segments.")?;
        let seg = self.segments.iter().find(|s| s.name == name)?;
        match key {
            "retention" => Some(&seg.retention),
            "arpu" => Some(&seg.arpu),
            _ => None,
        }
    }
}

/// The uncertain inputs of a scenario whose segments have these names, with
/// their dotted paths and meanings, in the order the engine draws them:
/// the acquisition's inputs, then each segment's, each table's in the
/// order the format lists its fields ([`schema`]). Optional inputs (the
/// spend elasticity) are listed only `with_optional`.
pub fn input_slots<'a>(
    segments: impl IntoIterator<Item = &'a str>,
    with_optional: bool,
) -> Vec<(String, InputKind)> {
    let inputs_of = |table: &str| {
        schema::fields(&[table])
            .unwrap_or_default()
            .iter()
            .filter(|f| with_optional || f.required)
            .filter_map(|f| match f.shape {
                schema::Shape::Input(kind) => Some((f.key, kind)),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let mut v: Vec<(String, InputKind)> = inputs_of("acquisition")
        .into_iter()
        .map(|(k, kind)| (format!("acquisition.{k}"), kind))
        .collect();
    let per_segment = inputs_of("segments");
    for name in segments {
        v.extend(
            per_segment
                .iter()
                .map(|(k, kind)| (format!("segments.{name}.{k}"), *kind)),
        );
    }
    v
}

/// A scenario as loaded from a file, with what traces a result back to it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file as named; [`TEXT_FILE`] for a scenario given as text.
    pub file: String,
    /// Given as text ([`from_text`]), not read from a file: its reports
    /// name no file (`file` is null in their JSON).
    pub from_text: bool,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Its bytes, as read.
    pub bytes: Vec<u8>,
    /// The validated scenario.
    pub scenario: Scenario,
    /// The file's TOML, for overrides by path.
    pub table: toml::Table,
    /// Each `[[stress]]` case applied to the scenario, validated, in file
    /// order.
    pub cases: Vec<Scenario>,
    /// Valid values that are likely slips, for the command to show.
    pub warnings: Vec<ScenarioWarning>,
}

/// Deserialises and validates a table whose structure may have been
/// changed by an override: the structure is checked again first.
fn from_table(table: toml::Table) -> Result<Scenario, Vec<validate::Problem>> {
    use serde::Deserialize;
    let problems = schema::check(&table);
    if !problems.is_empty() {
        return Err(problems);
    }
    let raw = raw::RawScenario::deserialize(toml::Value::Table(table)).map_err(|e| {
        vec![validate::Problem {
            path: spans::FieldPath::default(),
            value: None,
            kind: ScenarioErrorKind::Syntax(e.message().trim().to_string()),
        }]
    })?;
    validate::validate(&raw)
}
