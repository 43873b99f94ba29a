//! The scenario file: load, parse, validate (CONTRACT.md §1).
//!
//! `load` reads the bytes once (they are also hashed for
//! `scenario_sha256`), deserialises them into the [`raw`] types that mirror
//! the TOML, and validates them into a [`Scenario`]: plain numbers, schedules
//! expanded to one value per month, distributions built. Every error carries
//! the file, line and column, the field path, the value and the rule.

pub mod paths;
pub mod raw;
pub mod spans;
pub mod validate;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::dist::Dist;
use crate::error::{Error, ScenarioError};
pub use raw::Vary;
use spans::SpanIndex;

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Display name.
    pub name: String,
    /// Horizon in months.
    pub months: usize,
    /// Label of month 1.
    pub start: Option<YearMonth>,
    /// Annual targets.
    pub targets: Targets,
    /// Streamer and guild share of revenue.
    pub creator_share: f64,
    /// Operations cost as a share of revenue.
    pub operations_rate: f64,
    /// Staff and office cost, per month.
    pub staff: Vec<f64>,
    /// Bandwidth and server cost, per month.
    pub infra: Vec<f64>,
    /// Marketing budget, per month.
    pub budget: Vec<f64>,
    /// CNY per registration.
    pub cost_per_registration: Input,
    /// First-charge rate.
    pub first_charge_rate: Input,
    /// Payer segments, in file order.
    pub segments: Vec<Segment>,
    /// One-off losses.
    pub shocks: Vec<Shock>,
    /// Stress cases, in file order.
    pub stress: Vec<StressCase>,
}

/// Annual targets, CNY.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Targets {
    /// Revenue target.
    pub revenue: f64,
    /// Profit target.
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
}

/// One uncertain input: value in month m is `D × profile[m] × noise[m]`,
/// clamped by its kind.
#[derive(Debug, Clone)]
pub struct Input {
    /// Distribution of D.
    pub dist: Dist,
    /// Drawn per trial or per month.
    pub vary: Vary,
    /// One multiplier per month.
    pub profile: Vec<f64>,
    /// Coefficient of variation of the monthly lognormal noise (0 = none).
    pub noise_cv: f64,
    /// What the input means.
    pub kind: InputKind,
}

/// One payer segment.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Unique name.
    pub name: String,
    /// Payers in the month before month 1.
    pub start_payers: f64,
    /// Share of new payers joining it.
    pub share_of_new: f64,
    /// Monthly retention of its old payers.
    pub retention: Input,
    /// Its monthly revenue per payer.
    pub arpu: Input,
}

/// A one-off loss of a segment's old payers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shock {
    /// Month, 1-based.
    pub month: usize,
    /// Index into [`Scenario::segments`].
    pub segment: usize,
    /// Share lost.
    pub loss: f64,
}

/// A named stress case: overrides by path, plus extra shocks.
#[derive(Debug, Clone)]
pub struct StressCase {
    /// Case name.
    pub name: String,
    /// Overrides by dotted path, as written.
    pub set: toml::Table,
    /// Extra shocks.
    pub shocks: Vec<Shock>,
}

/// A calendar month, for labelling month 1..months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearMonth {
    /// Year.
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

    /// Every month's label, when the scenario has a `start`.
    pub fn labels(&self) -> Option<Vec<String>> {
        self.start
            .map(|_| (1..=self.months).map(|m| self.month_label(m)).collect())
    }

    /// Every uncertain input with its dotted path (CONTRACT.md §4), in the
    /// order the engine draws them.
    pub fn inputs(&self) -> Vec<(String, &Input)> {
        let mut v = vec![
            (
                "acquisition.cost_per_registration".to_string(),
                &self.cost_per_registration,
            ),
            (
                "acquisition.first_charge_rate".to_string(),
                &self.first_charge_rate,
            ),
        ];
        for s in &self.segments {
            v.push((format!("segments.{}.retention", s.name), &s.retention));
            v.push((format!("segments.{}.arpu", s.name), &s.arpu));
        }
        v
    }
}

/// A scenario as loaded from a file, with what traces a result back to it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file as named.
    pub file: String,
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// The validated scenario.
    pub scenario: Scenario,
    /// The file's TOML, for overrides by path.
    pub table: toml::Table,
    /// Each `[[stress]]` case applied to the scenario, validated, in file
    /// order.
    pub cases: Vec<Scenario>,
}

impl Loaded {
    /// The scenario with `value` set at `path` (CONTRACT.md §4), validated
    /// again. Errors name the path and the value.
    pub fn with_set(&self, path: &str, value: &toml::Value) -> Result<Scenario, Error> {
        let mut table = self.table.clone();
        let shown = value.to_string();
        let usage = |rule: String| Error::Usage(format!("{path} = {shown}: {rule}"));
        paths::set(&mut table, path, value).map_err(usage)?;
        from_table(table).map_err(|problems| {
            let p = &problems[0];
            usage(format!(
                "makes {}{}: {}",
                p.path,
                p.value
                    .as_ref()
                    .map(|v| format!(" = {v}"))
                    .unwrap_or_default(),
                p.rule
            ))
        })
    }
}

impl Loaded {
    /// The scenario with `path` moved to `v` as `sweep --set` does
    /// (CONTRACT.md §4): a number or one parameter is replaced by `v`; a
    /// schedule, or an uncertain input as a whole, is multiplied by `v`
    /// (every month's number, or the drawn D before profile and noise). The
    /// result is validated again.
    pub fn with_value(&self, path: &str, v: f64) -> Result<Scenario, Error> {
        let resolved = paths::resolve(&self.table, path)
            .map_err(|rule| Error::Usage(format!("{path}: {rule}")))?;
        let usage = |rule: String| Error::Usage(format!("{path} = {v}: {rule}"));
        match resolved.kind {
            paths::Kind::Number | paths::Kind::Param | paths::Kind::Share => {
                self.with_set(path, &toml::Value::Float(v))
            }
            paths::Kind::Schedule => {
                let (section, field) = path.split_once('.').unwrap_or_default();
                let current = self.table.get(section).and_then(|t| t.get(field)).cloned();
                let scaled = match current {
                    Some(toml::Value::Array(a)) => toml::Value::Array(
                        a.iter()
                            .map(|x| {
                                toml::Value::Float(paths::as_number(x).unwrap_or(f64::NAN) * v)
                            })
                            .collect(),
                    ),
                    Some(x) => toml::Value::Float(paths::as_number(&x).unwrap_or(f64::NAN) * v),
                    None => return Err(usage("the scenario has no such schedule".into())),
                };
                self.with_set(path, &scaled)
            }
            paths::Kind::Input => {
                let mut s = self.scenario.clone();
                let input = match path.split('.').collect::<Vec<_>>().as_slice() {
                    ["acquisition", "cost_per_registration"] => &mut s.cost_per_registration,
                    ["acquisition", "first_charge_rate"] => &mut s.first_charge_rate,
                    ["segments", name, field] => {
                        let seg = s
                            .segments
                            .iter_mut()
                            .find(|g| g.name == *name)
                            .ok_or_else(|| usage("no such segment".into()))?;
                        if *field == "retention" {
                            &mut seg.retention
                        } else {
                            &mut seg.arpu
                        }
                    }
                    _ => return Err(usage("is not an uncertain input".into())),
                };
                let positive = input.kind == InputKind::CostPerRegistration;
                if !(v.is_finite() && (v > 0.0 || (!positive && v == 0.0))) {
                    let rule = if positive {
                        "a multiplier of the cost per registration must be above 0"
                    } else {
                        "a multiplier must be a finite number, at least 0"
                    };
                    return Err(usage(rule.into()));
                }
                // D × v × profile[m] × noise[m]: the multiplier folds into the profile.
                for p in &mut input.profile {
                    *p *= v;
                }
                Ok(s)
            }
        }
    }
}

/// The key of stress case `i`'s `set` that made `problem` (a path such as
/// `segments[0].retention.sd`): the one naming that field, or the input or
/// segment it belongs to.
fn set_path_for(table: &toml::Table, i: usize, problem: &spans::FieldPath) -> Option<String> {
    let names: Vec<&str> = table
        .get("segments")
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.get("name").and_then(toml::Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    // segments[0].retention.sd -> segments.big_r.retention.sd
    let dotted: Vec<String> = problem
        .0
        .iter()
        .map(|seg| match seg {
            spans::Seg::Key(k) => k.clone(),
            spans::Seg::Index(n) => names
                .get(*n)
                .map_or_else(|| n.to_string(), |s| s.to_string()),
        })
        .collect();
    let set = table
        .get("stress")?
        .as_array()?
        .get(i)?
        .get("set")?
        .as_table()?;
    (1..=dotted.len())
        .rev()
        .map(|n| dotted[..n].join("."))
        .find(|p| set.contains_key(p))
}

/// Deserialises and validates an overridden table (no positions to report).
fn from_table(table: toml::Table) -> Result<Scenario, Vec<validate::Problem>> {
    use serde::Deserialize;
    let raw = raw::RawScenario::deserialize(toml::Value::Table(table)).map_err(|e| {
        vec![validate::Problem {
            path: spans::FieldPath::default(),
            value: None,
            rule: e.message().trim().to_string(),
        }]
    })?;
    validate::validate(&raw)
}

/// The table with stress case `i` applied: its `set` overrides, then its
/// shocks added to the scenario's.
fn apply_case(table: &toml::Table, i: usize) -> Result<toml::Table, (String, toml::Value, String)> {
    let mut out = table.clone();
    let case = table
        .get("stress")
        .and_then(toml::Value::as_array)
        .and_then(|a| a.get(i))
        .and_then(toml::Value::as_table)
        .cloned()
        .unwrap_or_default();
    if let Some(set) = case.get("set").and_then(toml::Value::as_table) {
        for (path, value) in set {
            paths::set(&mut out, path, value)
                .map_err(|rule| (path.clone(), value.clone(), rule))?;
        }
    }
    if let Some(shocks) = case.get("shocks").and_then(toml::Value::as_array) {
        let all = out
            .entry("shocks")
            .or_insert_with(|| toml::Value::Array(Vec::new()));
        if let Some(all) = all.as_array_mut() {
            all.extend(shocks.iter().cloned());
        }
    }
    Ok(out)
}

/// Reads, parses and validates a scenario file.
pub fn load(path: &Path) -> Result<Loaded, Error> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Error::Scenario(vec![ScenarioError {
            file: file.clone(),
            position: None,
            path: String::new(),
            value: None,
            rule: format!("cannot read the scenario file: {e}"),
        }])
    })?;
    from_bytes(&file, &bytes)
}

/// Parses and validates scenario bytes read from `file`.
pub fn from_bytes(file: &str, bytes: &[u8]) -> Result<Loaded, Error> {
    let (scenario, table, cases) = parse_all(file, bytes)?;
    Ok(Loaded {
        file: file.to_string(),
        sha256: hex(&Sha256::digest(bytes)),
        scenario,
        table,
        cases,
    })
}

/// Parses and validates scenario bytes; `file` names them in errors.
///
/// ```
/// let text = r#"
/// name = "tiny"
/// months = 2
/// [targets]
/// revenue = 1_000_000
/// profit = 0
/// [costs]
/// creator_share = 0.65
/// operations_rate = 0.05
/// staff = 0
/// infra = 0
/// [marketing]
/// budget = 60_000
/// [acquisition]
/// cost_per_registration = 6.0
/// first_charge_rate = 0.02
/// [[segments]]
/// name = "all"
/// start_payers = 1000
/// share_of_new = 1.0
/// retention = 0.5
/// arpu = { dist = "normal", mean = 800, sd = 80 }
/// "#;
/// let s = kpisim::scenario::parse("tiny.toml", text.as_bytes()).unwrap();
/// let plan = kpisim::model::Model::compile(&s).point_plan();
/// // 10,000 registrations, 200 new payers, 500 old: 700 payers × 800.
/// assert_eq!(plan.monthly[0].revenue, 560_000.0);
///
/// let bad = text.replace("retention = 0.5", "retention = 1.5");
/// let err = kpisim::scenario::parse("tiny.toml", bad.as_bytes()).unwrap_err();
/// assert_eq!(err.to_string(), "tiny.toml:21:13: segments[0].retention = 1.5: a rate must lie between 0 and 1");
/// ```
pub fn parse(file: &str, bytes: &[u8]) -> Result<Scenario, Error> {
    parse_all(file, bytes).map(|(scenario, _, _)| scenario)
}

/// Parses and validates the scenario and every stress case.
fn parse_all(file: &str, bytes: &[u8]) -> Result<(Scenario, toml::Table, Vec<Scenario>), Error> {
    let one = |position, path: String, rule: String| {
        Error::Scenario(vec![ScenarioError {
            file: file.to_string(),
            position,
            path,
            value: None,
            rule,
        }])
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        one(
            None,
            String::new(),
            format!("is not UTF-8 text (byte {})", e.valid_up_to()),
        )
    })?;
    let raw: raw::RawScenario = toml::from_str(text).map_err(|e| {
        let index = SpanIndex::new(text);
        let message = e.message().trim().to_string();
        let (position, path) = match e.span() {
            Some(span) => {
                let missing = message
                    .strip_prefix("missing field `")
                    .and_then(|m| m.split('`').next());
                // serde names a missing field only in its message; the span
                // is the table that lacks it, empty for the whole document.
                let path = match missing {
                    Some(field) if span.is_empty() => spans::FieldPath::default().key(field),
                    Some(field) => index.path_at(span.clone()).key(field),
                    None => index.path_at(span.clone()),
                };
                (Some(index.line_col(span.start)), path.to_string())
            }
            None => (None, String::new()),
        };
        one(position, path, message)
    })?;
    let error_at = |index: &SpanIndex, p: validate::Problem| ScenarioError {
        file: file.to_string(),
        position: index.position_of(&p.path),
        path: p.path.to_string(),
        value: p.value,
        rule: p.rule,
    };
    let scenario = validate::validate(&raw).map_err(|problems| {
        let index = SpanIndex::new(text);
        Error::Scenario(problems.into_iter().map(|p| error_at(&index, p)).collect())
    })?;
    let table: toml::Table =
        toml::from_str(text).map_err(|e| one(None, String::new(), e.message().to_string()))?;
    let mut cases = Vec::with_capacity(scenario.stress.len());
    let mut problems = Vec::new();
    for (i, case) in scenario.stress.iter().enumerate() {
        let at = spans::FieldPath::default()
            .key("stress")
            .index(i)
            .key("set");
        let applied = apply_case(&table, i).map_err(|(path, value, rule)| validate::Problem {
            path: at.key(&path),
            value: Some(value.to_string()),
            rule,
        });
        match applied.map(|t| from_table(t).map_err(|ps| (ps, case.name.clone()))) {
            Ok(Ok(s)) => cases.push(s),
            Err(p) => problems.push(p),
            Ok(Err((ps, name))) => problems.extend(ps.into_iter().map(|p| validate::Problem {
                path: set_path_for(&table, i, &p.path).map_or_else(|| at.clone(), |k| at.key(&k)),
                value: None,
                rule: format!(
                    "stress case {name:?} makes {}{} invalid: {}",
                    p.path,
                    p.value.map(|v| format!(" = {v}")).unwrap_or_default(),
                    p.rule
                ),
            })),
        }
    }
    if !problems.is_empty() {
        let index = SpanIndex::new(text);
        return Err(Error::Scenario(
            problems.into_iter().map(|p| error_at(&index, p)).collect(),
        ));
    }
    Ok((scenario, table, cases))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
