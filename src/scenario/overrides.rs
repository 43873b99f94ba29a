//! Overrides by path (docs/scenario.md, "Paths"): `[[stress]] set` and
//! `scale`, `sweep --set` and `solve --lever`.
//!
//! Overrides work on the TOML table the file was read into, before serde
//! and validation, so that an overridden scenario is checked by exactly the
//! same rules as a written one, and a stress case, a sweep step or a solve
//! step is an ordinary [`Scenario`].

use toml::{Table, Value};

use super::paths::{self, PathKind, Resolved, as_number, get, parent_mut, resolve};
use super::schema::{DIST_TABLE, INPUT_OPTIONS, QUANTILES, is_number};
use super::spans::FieldPath;
use super::validate::Problem;
use super::{InputKind, Loaded, OverrideFailure, Scenario, ScenarioErrorKind, from_table};
use crate::present::num;

/// Why an override cannot be applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OverrideError {
    /// Not a path of the format.
    #[error("is not a path kpisim knows; paths are {}", paths::known_paths())]
    UnknownPath,
    /// A segment name the scenario does not have.
    #[error("no segment is named {name:?} (segments: {})", .names.join(", "))]
    NoSegment {
        /// The segment name the path gives.
        name: String,
        /// The names of the scenario's segments, in file order.
        names: Vec<String>,
    },
    /// A last part that is not a parameter.
    #[error("{name:?} is not a parameter of an uncertain input (parameters: {})", paths::input_params().collect::<Vec<_>>().join(", "))]
    NotAParameter {
        /// The path's last part, as given.
        name: String,
    },
    /// A value of the wrong kind for the field.
    #[error("takes {0}")]
    WrongKind(&'static str),
    /// A parameter of an input written as a bare number.
    #[error("names `{0}` of an input written as a fixed number: set the whole input instead")]
    ParamOfFixed(String),
    /// A path through something that is not a table.
    #[error("cannot set inside `{0}`: it is not a table in this scenario")]
    NotATable(String),
    /// The other shares are all 0, so they cannot be rescaled.
    #[error("cannot rescale the other segments' shares: they are all 0")]
    SharesAllZero,
    /// A multiplier that is negative, NaN or infinite.
    #[error("a multiplier must be a finite number, at least 0")]
    Multiplier,
    /// A zero or negative multiplier of the cost per registration.
    #[error("a multiplier of the cost per registration must be above 0")]
    CostMultiplier,
    /// `from` without `scale`.
    #[error("`from` needs `scale`: it says from which month the multipliers apply")]
    FromWithoutScale,
    /// `from` with a multiplier of one parameter, which has no months.
    #[error(
        "`from` applies to schedules and whole uncertain inputs; {0} has no months: scale the schedule or the input instead"
    )]
    FromOnParameter(String),
    /// `from` outside the horizon.
    #[error("`from` must be a month from 1 to {0}")]
    FromOutside(usize),
    /// A multiplier of an optional field the scenario leaves out.
    #[error(
        "is not in this scenario, so there is nothing to multiply: write it in the file, or set it in a stress case"
    )]
    Absent,
    /// `from` on the spend elasticity, which holds every month.
    #[error("the spend elasticity holds every month: `from` cannot apply to it")]
    FromOnElasticity,
    /// A multiplier of a beta elasticity, which no beta is.
    #[error(
        "a beta times a number is no beta: multiply a uniform, triangular, PERT, normal, metalog or fixed elasticity, or sweep the beta's mean"
    )]
    BetaMultiplier,
    /// The result breaks a rule of the format.
    #[error("makes {field}{}: {rule}", .value.as_ref().map(|v| format!(" = {v}")).unwrap_or_default())]
    Invalid {
        /// The field it breaks, e.g. `segments[0].retention.sd`.
        field: String,
        /// The field's value once the override is applied, if it has one.
        value: Option<String>,
        /// The rule it breaks.
        rule: Box<ScenarioErrorKind>,
    },
}

/// Checks that `value` is of the kind `r` takes.
fn check_kind(r: &Resolved, value: &Value) -> Result<(), OverrideError> {
    let numbers = |v: &Value| v.as_array().is_some_and(|a| a.iter().all(is_number));
    let (ok, takes) = match (r.kind, r.field()) {
        (PathKind::Number | PathKind::Share, _) => (is_number(value), "a number"),
        (PathKind::Schedule, _) => (
            is_number(value) || numbers(value),
            "a number or a list of one number per month",
        ),
        (PathKind::Input, _) => (
            is_number(value) || value.is_table(),
            "a number or a distribution table such as { dist = \"beta\", mean = 0.5, sd = 0.05 }",
        ),
        (PathKind::Param, "profile") => (numbers(value), "a list of multipliers"),
        (PathKind::Param, "vary") => (value.is_str(), "\"trial\" or \"month\""),
        (PathKind::Param, QUANTILES) => (
            value.as_array().is_some_and(|a| a.iter().all(numbers)),
            "a list of [p, x] pairs, e.g. [[0.1, 650], [0.5, 800], [0.9, 1000]]",
        ),
        (PathKind::Param, _) => (is_number(value), "a number"),
    };
    if ok {
        Ok(())
    } else {
        Err(OverrideError::WrongKind(takes))
    }
}

/// Sets the field at `path` to `value` (`[[stress]] set`): a number, a
/// schedule, a distribution table replacing the whole input, or one
/// parameter (the others kept). Setting one segment's `share_of_new`
/// rescales the others in proportion so that they still sum to 1.
pub fn set(table: &mut Table, path: &str, value: &Value) -> Result<(), OverrideError> {
    let r = resolve(table, path)?;
    check_kind(&r, value)?;
    pin_reference(table, path);
    if r.kind == PathKind::Share {
        return set_share(table, &r, as_number(value).unwrap_or(f64::NAN));
    }
    if r.kind == PathKind::Param {
        // A parameter of an input written as a bare number: only `value`.
        let (holder, key) = parent_mut(table, &r.input())?;
        if let Some(Value::Integer(_) | Value::Float(_)) = holder.get(&key) {
            if r.field() != "value" {
                return Err(OverrideError::ParamOfFixed(r.field().to_string()));
            }
            holder.insert(key, value.clone());
            return Ok(());
        }
    }
    let (holder, key) = parent_mut(table, &r)?;
    holder.insert(key, value.clone());
    Ok(())
}

/// Before the budget changes, writes the reference budget it defaults to
/// (the mean of the budget as written), so that a stress case, sweep or
/// solve that moves the budget meets rising costs per registration instead
/// of moving the reference with it.
fn pin_reference(table: &mut Table, path: &str) {
    if path != "marketing.budget" {
        return;
    }
    let written = table
        .get("marketing")
        .and_then(|m| m.get("budget"))
        .and_then(|b| match b {
            Value::Array(a) => {
                let v: Option<Vec<f64>> = a.iter().map(as_number).collect();
                v.filter(|v| !v.is_empty())
                    .map(|v| v.iter().sum::<f64>() / v.len() as f64)
            }
            v => as_number(v),
        });
    if let (Some(mean), Some(Value::Table(acq))) = (written, table.get_mut("acquisition"))
        && mean > 0.0
        && mean.is_finite()
    {
        acq.entry("reference_budget").or_insert(Value::Float(mean));
    }
}

fn set_share(table: &mut Table, r: &Resolved, v: f64) -> Result<(), OverrideError> {
    let target = r.segment().ok_or(OverrideError::UnknownPath)?;
    let segments = table
        .get_mut("segments")
        .and_then(Value::as_array_mut)
        .ok_or(OverrideError::UnknownPath)?;
    let share = |s: &Value| s.get("share_of_new").and_then(as_number).unwrap_or(0.0);
    let others: f64 = segments
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != target)
        .map(|(_, s)| share(s))
        .sum();
    let scale = if others > 0.0 {
        (1.0 - v) / others
    } else if segments.len() > 1 && v != 1.0 {
        return Err(OverrideError::SharesAllZero);
    } else {
        0.0
    };
    for (i, s) in segments.iter_mut().enumerate() {
        let new = if i == target { v } else { share(s) * scale };
        if let Some(t) = s.as_table_mut() {
            t.insert("share_of_new".into(), Value::Float(new));
        }
    }
    Ok(())
}

fn months_of(table: &Table) -> usize {
    table
        .get("months")
        .and_then(Value::as_integer)
        .map_or(1, |m| m.max(1) as usize)
}

/// Multiplies the field at `path` by `factor` (`[[stress]] scale`, `sweep
/// --set` on a schedule or a whole input): every month of a schedule, an
/// uncertain input's drawn value D (folded into its profile, so it applies
/// before profile and noise), a parameter's or a number's value. With
/// `from = Some(m)` only months m.. change; `from` is refused for a number
/// or a parameter.
pub fn scale(
    table: &mut Table,
    path: &str,
    factor: f64,
    from: Option<usize>,
) -> Result<(), OverrideError> {
    let r = resolve(table, path)?;
    pin_reference(table, path);
    let months = months_of(table);
    if let Some(m) = from {
        if !matches!(r.kind, PathKind::Schedule | PathKind::Input) {
            return Err(OverrideError::FromOnParameter(path.to_string()));
        }
        if !(1..=months).contains(&m) {
            return Err(OverrideError::FromOutside(months));
        }
    }
    if !(factor.is_finite() && factor >= 0.0) {
        return Err(OverrideError::Multiplier);
    }
    let first = from.map_or(0, |m| m - 1);
    let current = get(table, &r).cloned();
    if current.is_none() && matches!(r.kind, PathKind::Schedule | PathKind::Input) {
        return Err(OverrideError::Absent);
    }
    if r.input == Some(InputKind::Elasticity) && r.kind == PathKind::Input {
        if from.is_some() {
            return Err(OverrideError::FromOnElasticity);
        }
        let scaled = scaled_elasticity(current.as_ref().ok_or(OverrideError::Absent)?, factor)?;
        let (holder, key) = parent_mut(table, &r)?;
        holder.insert(key, scaled);
        return Ok(());
    }
    let number = |v: &Value| as_number(v).ok_or(OverrideError::WrongKind("a number"));
    match r.kind {
        PathKind::Number | PathKind::Param | PathKind::Share => {
            let v = current.as_ref().ok_or(OverrideError::UnknownPath)?;
            let scaled = Value::Float(number(v)? * factor);
            set(table, path, &scaled)
        }
        PathKind::Schedule => {
            let per_month: Vec<f64> = match current {
                Some(Value::Array(a)) => a.iter().map(number).collect::<Result<_, _>>()?,
                Some(v) => vec![number(&v)?; months],
                None => return Err(OverrideError::UnknownPath),
            };
            let scaled = per_month
                .iter()
                .enumerate()
                .map(|(m, x)| Value::Float(if m >= first { x * factor } else { *x }))
                .collect();
            set(table, path, &Value::Array(scaled))
        }
        PathKind::Input => {
            if r.input == Some(InputKind::CostPerRegistration) && factor <= 0.0 {
                return Err(OverrideError::CostMultiplier);
            }
            let mut t = match current {
                Some(Value::Table(t)) => t,
                Some(v) => {
                    let mut t = Table::new();
                    t.insert("dist".into(), Value::String("fixed".into()));
                    t.insert("value".into(), Value::Float(number(&v)?));
                    t
                }
                None => return Err(OverrideError::UnknownPath),
            };
            let profile: Vec<f64> = match t.get("profile") {
                Some(Value::Array(a)) => a.iter().map(number).collect::<Result<_, _>>()?,
                _ => vec![1.0; months],
            };
            let scaled = profile
                .iter()
                .enumerate()
                .map(|(m, p)| Value::Float(if m >= first { p * factor } else { *p }))
                .collect();
            t.insert("profile".into(), Value::Array(scaled));
            let (holder, key) = parent_mut(table, &r)?;
            holder.insert(key, Value::Table(t));
            Ok(())
        }
    }
}

/// An elasticity whose every value is `factor` times the one written: its
/// value, bounds, centre, spread and quantiles multiplied (it takes no
/// profile to carry a multiplier, as other inputs do). A beta is not closed
/// under multiplication, so it is refused.
fn scaled_elasticity(v: &Value, factor: f64) -> Result<Value, OverrideError> {
    let times = |x: &Value| as_number(x).map(|n| Value::Float(n * factor));
    let Value::Table(t) = v else {
        return times(v).ok_or(OverrideError::WrongKind("a number"));
    };
    if t.get("dist").and_then(Value::as_str) == Some("beta") {
        return Err(OverrideError::BetaMultiplier);
    }
    let mut out = t.clone();
    for (k, x) in out.iter_mut() {
        match (k.as_str(), x) {
            ("quantiles", Value::Array(pairs)) => {
                for pair in pairs {
                    if let Some(x) = pair.as_array_mut().and_then(|p| p.get_mut(1))
                        && let Some(scaled) = times(x)
                    {
                        *x = scaled;
                    }
                }
            }
            (k, x) if k != "dist" => {
                if let Some(scaled) = times(x) {
                    *x = scaled;
                }
            }
            _ => {}
        }
    }
    Ok(Value::Table(out))
}

/// A `[[stress]]` entry of the table, as written.
fn case_table(table: &Table, i: usize) -> Table {
    table
        .get("stress")
        .and_then(Value::as_array)
        .and_then(|a| a.get(i))
        .and_then(Value::as_table)
        .cloned()
        .unwrap_or_default()
}

/// The table with stress case `i` applied: its `set` overrides, its `scale`
/// multipliers (from its `from` month), then its shocks added to the
/// scenario's. An error names the case's key that could not be applied.
pub(crate) fn apply_case(table: &Table, i: usize) -> Result<Table, Box<Problem>> {
    let mut out = table.clone();
    let case = case_table(table, i);
    let at = FieldPath::default().key("stress").index(i);
    let name = case
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let problem = |path: FieldPath, value: Option<&Value>, error| {
        Box::new(Problem {
            path,
            value: value.map(ToString::to_string),
            kind: ScenarioErrorKind::Override {
                case: name.clone(),
                error,
            },
        })
    };
    let set_table = case.get("set").and_then(Value::as_table);
    let scale_table = case.get("scale").and_then(Value::as_table);
    let from = case.get("from").and_then(Value::as_integer);
    if let Some(m) = from
        && scale_table.is_none_or(Table::is_empty)
    {
        let from_value = Value::Integer(m);
        return Err(problem(
            at.key("from"),
            Some(&from_value),
            OverrideError::FromWithoutScale,
        ));
    }
    // Outside the horizon, `from` itself is wrong, whatever it scales.
    if let Some(m) = from
        && !(1..=months_of(table) as i64).contains(&m)
    {
        let from_value = Value::Integer(m);
        return Err(problem(
            at.key("from"),
            Some(&from_value),
            OverrideError::FromOutside(months_of(table)),
        ));
    }
    for (path, value) in set_table.into_iter().flatten() {
        set(&mut out, path, value).map_err(|e| problem(at.key("set").key(path), Some(value), e))?;
    }
    for (path, value) in scale_table.into_iter().flatten() {
        let factor = as_number(value).unwrap_or(f64::NAN);
        let from = from.map(|m| usize::try_from(m).unwrap_or(0));
        scale(&mut out, path, factor, from)
            .map_err(|e| problem(at.key("scale").key(path), Some(value), e))?;
    }
    if let Some(shocks) = case.get("shocks").and_then(Value::as_array) {
        let all = out
            .entry("shocks")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Some(all) = all.as_array_mut() {
            all.extend(shocks.iter().cloned());
        }
    }
    Ok(out)
}

/// What stress case `i` changes, one line per change, for `kpisim check`:
/// `segments.big_r.retention.mean: 0.62 -> 0.55`,
/// `segments.big_r.arpu: lognormal (mean 3220, sd 480) -> fixed 0.7`,
/// `segments.big_r.arpu × 0.7 from month 7 (2016-07)`.
pub fn describe_case(l: &Loaded, i: usize) -> Vec<String> {
    let case = case_table(&l.table, i);
    let mut lines = Vec::new();
    for (path, value) in case
        .get("set")
        .and_then(Value::as_table)
        .into_iter()
        .flatten()
    {
        let before = resolve(&l.table, path)
            .ok()
            .and_then(|r| get(&l.table, &r).cloned());
        let whole_input = resolve(&l.table, path).is_ok_and(|r| r.kind == PathKind::Input);
        let show = |v: &Value| {
            if whole_input {
                describe_input(v)
            } else {
                describe_value(v)
            }
        };
        let before = before.as_ref().map_or("(not set)".to_string(), show);
        lines.push(format!("{path}: {before} -> {}", show(value)));
    }
    let from = case.get("from").and_then(Value::as_integer);
    for (path, value) in case
        .get("scale")
        .and_then(Value::as_table)
        .into_iter()
        .flatten()
    {
        let when = from.map_or_else(String::new, |m| {
            let label = l
                .scenario
                .start
                .map(|s| format!(" ({})", s.label(m as usize)))
                .unwrap_or_default();
            format!(" from month {m}{label}")
        });
        lines.push(format!("{path} × {}{when}", describe_value(value)));
    }
    for s in case
        .get("shocks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let loss = s.get("loss").and_then(as_number).unwrap_or(f64::NAN);
        lines.push(format!(
            "shock: {} of segment {} lost in month {}",
            crate::present::pct(loss),
            s.get("segment").and_then(Value::as_str).unwrap_or("?"),
            s.get("month").and_then(Value::as_integer).unwrap_or(0)
        ));
    }
    lines
}

fn describe_value(v: &Value) -> String {
    match v {
        Value::Integer(_) | Value::Float(_) => num(as_number(v).unwrap_or(f64::NAN)),
        Value::Array(a) if a.iter().all(Value::is_array) => describe_pairs(a),
        Value::Array(a) if a.len() > 4 => format!("[{} numbers]", a.len()),
        v => v.to_string(),
    }
}

/// A metalog's [p, x] pairs as a person reads quantiles: `P10 650, P50 800,
/// P90 1000`.
fn describe_pairs(pairs: &[Value]) -> String {
    let shown: Vec<String> = pairs
        .iter()
        .map(|pair| {
            let at = |i: usize| {
                pair.as_array()
                    .and_then(|p| p.get(i))
                    .and_then(as_number)
                    .unwrap_or(f64::NAN)
            };
            format!("P{} {}", num(100.0 * at(0)), num(at(1)))
        })
        .collect();
    shown.join(", ")
}

/// The keys of a distribution table that are its parameters, in the order
/// the format lists them.
fn param_keys() -> impl Iterator<Item = &'static str> {
    DIST_TABLE
        .iter()
        .map(|f| f.key)
        .filter(|k| *k != "dist" && !INPUT_OPTIONS.contains(k))
}

/// An uncertain input as a person reads it: `fixed 0.7`,
/// `lognormal (mean 3220, sd 480)`.
fn describe_input(v: &Value) -> String {
    match v {
        Value::Table(t) => {
            let family = t.get("dist").and_then(Value::as_str).unwrap_or("?");
            if family == "fixed"
                && let Some(x) = t.get("value").and_then(as_number)
            {
                return format!("fixed {}", num(x));
            }
            // In the order the format lists them, not the table's sorted order.
            let params: Vec<String> = param_keys()
                .chain(INPUT_OPTIONS.iter().copied().filter(|k| *k != "dist"))
                .filter_map(|k| t.get(k).map(|v| (k, v)))
                .map(|(k, v)| format!("{k} {}", describe_value(v)))
                .collect();
            format!("{family} ({})", params.join(", "))
        }
        v => format!("fixed {}", describe_value(v)),
    }
}

impl Loaded {
    /// The uncertain input at `path` as the file writes it: its family
    /// (`beta`; `fixed` for a bare number) and its parameters in the order
    /// the format lists them (`mean 0.519, sd 0.03`), without profile,
    /// noise and vary.
    pub fn written(&self, path: &str) -> Option<(String, String)> {
        let r = resolve(&self.table, path).ok()?;
        match get(&self.table, &r)? {
            Value::Table(t) => {
                let family = t.get("dist").and_then(Value::as_str)?.to_string();
                let params: Vec<String> = param_keys()
                    .filter_map(|k| t.get(k).map(|v| format!("{k} {}", describe_value(v))))
                    .collect();
                Some((family, params.join(", ")))
            }
            v => Some(("fixed".into(), format!("value {}", describe_value(v)))),
        }
    }

    fn usage(path: &str, value: Option<String>, error: OverrideError) -> OverrideFailure {
        OverrideFailure {
            path: path.to_string(),
            value,
            error,
        }
    }

    /// Validates an overridden table, naming the first rule it breaks.
    fn revalidated(
        &self,
        path: &str,
        shown: &str,
        table: Table,
    ) -> Result<Scenario, OverrideFailure> {
        from_table(table).map_err(|problems| {
            let p = &problems[0];
            Self::usage(
                path,
                Some(shown.to_string()),
                OverrideError::Invalid {
                    field: p.path.to_string(),
                    value: p.value.clone(),
                    rule: Box::new(p.kind.clone()),
                },
            )
        })
    }

    /// The scenario with `value` set at `path`, validated again. Errors name
    /// the path and the value.
    pub fn with_set(&self, path: &str, value: &Value) -> Result<Scenario, OverrideFailure> {
        let shown = describe_value(value);
        let mut table = self.table.clone();
        set(&mut table, path, value).map_err(|e| Self::usage(path, Some(shown.clone()), e))?;
        self.revalidated(path, &shown, table)
    }

    /// The scenario with `path` moved to `v` as `sweep --set` and `solve
    /// --lever` do: a number or one parameter is replaced by `v`; a schedule,
    /// or an uncertain input as a whole, is multiplied by `v` (every month's
    /// number, or the drawn D before profile and noise). The result is
    /// validated again.
    pub fn with_value(&self, path: &str, v: f64) -> Result<Scenario, OverrideFailure> {
        let r = resolve(&self.table, path).map_err(|e| Self::usage(path, None, e))?;
        match r.kind {
            PathKind::Number | PathKind::Param | PathKind::Share => {
                self.with_set(path, &Value::Float(v))
            }
            PathKind::Schedule | PathKind::Input => {
                let shown = num(v);
                let mut table = self.table.clone();
                scale(&mut table, path, v, None)
                    .map_err(|e| Self::usage(path, Some(shown.clone()), e))?;
                self.revalidated(path, &shown, table)
            }
        }
    }

    /// This file with stress case `case` applied (if any), then each
    /// `(path, factor)` of `scale` multiplied as a `[[stress]] scale`
    /// multiplies it, validated again: the scenario a file holding those
    /// changes would load as. Its file, bytes and hash stay this file's.
    pub fn variant(
        &self,
        case: Option<usize>,
        scale: &[(String, f64)],
    ) -> Result<Loaded, OverrideFailure> {
        let mut table = match case {
            // A loaded file's cases were applied and validated at load.
            Some(i) => apply_case(&self.table, i).map_err(|p| {
                Self::usage(
                    "stress",
                    None,
                    OverrideError::Invalid {
                        field: p.path.to_string(),
                        value: p.value.clone(),
                        rule: Box::new(p.kind.clone()),
                    },
                )
            })?,
            None => self.table.clone(),
        };
        for (path, factor) in scale {
            let shown = num(*factor);
            self::scale(&mut table, path, *factor, None)
                .map_err(|e| Self::usage(path, Some(shown.clone()), e))?;
        }
        let scenario = match scale.last() {
            None => match case {
                Some(i) => self.cases[i].clone(),
                None => self.scenario.clone(),
            },
            Some((path, factor)) => match from_table(table.clone()) {
                Ok(s) => s,
                Err(_) => {
                    // Name the first multiplier that breaks a rule: the
                    // prefixes again, until one fails.
                    let mut t = match case {
                        Some(i) => apply_case(&self.table, i).unwrap_or_default(),
                        None => self.table.clone(),
                    };
                    for (path, factor) in scale {
                        self::scale(&mut t, path, *factor, None).ok();
                        self.revalidated(path, &num(*factor), t.clone())?;
                    }
                    self.revalidated(path, &num(*factor), table.clone())?
                }
            },
        };
        Ok(Loaded {
            scenario,
            table,
            warnings: Vec::new(),
            ..self.clone()
        })
    }

    /// The scenario with every `(path, value)` of `sets` set as one
    /// `[[stress]] set` sets them (all applied, then validated once, so a
    /// pair such as `min` and `max` may move together), and its stress
    /// cases applied anew on top of the result. The file, hash and warnings
    /// stay the file's. A failure names the path and value set: the one
    /// refused, or the one that owns the field the result breaks (else the
    /// first).
    pub fn with_sets(&self, sets: &[(String, Value)]) -> Result<Loaded, OverrideFailure> {
        if sets.is_empty() {
            return Ok(self.clone());
        }
        let mut table = self.table.clone();
        for (path, value) in sets {
            set(&mut table, path, value)
                .map_err(|e| Self::usage(path, Some(describe_value(value)), e))?;
        }
        let invalid = |p: &Problem| {
            let (path, value) = owner(&table, sets, &p.path);
            Self::usage(
                path,
                Some(describe_value(value)),
                OverrideError::Invalid {
                    field: p.path.to_string(),
                    value: p.value.clone(),
                    rule: Box::new(p.kind.clone()),
                },
            )
        };
        let scenario = from_table(table.clone()).map_err(|ps| invalid(&ps[0]))?;
        let mut cases = Vec::with_capacity(scenario.stress.len());
        for (i, case) in scenario.stress.iter().enumerate() {
            let t = apply_case(&table, i).map_err(|p| invalid(&p))?;
            cases.push(from_table(t).map_err(|ps| {
                let p = &ps[0];
                invalid(&Problem {
                    path: p.path.clone(),
                    value: None,
                    kind: ScenarioErrorKind::CaseInvalid {
                        case: case.name.clone(),
                        field: p.path.to_string(),
                        value: p.value.clone(),
                        rule: Box::new(p.kind.clone()),
                    },
                })
            })?);
        }
        Ok(Loaded {
            scenario,
            table,
            cases,
            ..self.clone()
        })
    }

    /// What `path` names in this scenario (to tell a multiplier from a
    /// value), or why it names nothing.
    pub fn path_kind(&self, path: &str) -> Result<PathKind, OverrideFailure> {
        resolve(&self.table, path)
            .map(|r| r.kind)
            .map_err(|e| Self::usage(path, None, e))
    }
}

/// The set of `sets` that owns `field` (`segments[0].retention.sd` is
/// owned by `segments.all.retention` or `segments.all.retention.sd`): the
/// longest path that is the field's or a table above it, else the first.
fn owner<'a>(table: &Table, sets: &'a [(String, Value)], field: &FieldPath) -> &'a (String, Value) {
    use super::spans::Seg;
    let names = paths::segment_names(table);
    let dotted: Vec<String> = field
        .0
        .iter()
        .map(|seg| match seg {
            Seg::Key(k) => k.clone(),
            Seg::Index(n) => names
                .get(*n)
                .map_or_else(|| n.to_string(), |s| s.to_string()),
        })
        .collect();
    (1..=dotted.len())
        .rev()
        .find_map(|n| {
            let p = dotted[..n].join(".");
            sets.iter().find(|(path, _)| *path == p)
        })
        .unwrap_or(&sets[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        toml::from_str(
            r#"
            months = 3
            [targets]
            revenue = 1
            [marketing]
            budget = 10
            [acquisition]
            cost_per_registration = 6.0
            first_charge_rate = { dist = "beta", mean = 0.02, sd = 0.003 }
            [[segments]]
            name = "big_r"
            share_of_new = 0.2
            retention = { dist = "beta", mean = 0.6, sd = 0.05 }
            [[segments]]
            name = "regular"
            share_of_new = 0.8
            retention = 0.5
            "#,
        )
        .unwrap()
    }

    #[test]
    fn sets_numbers_parameters_and_whole_inputs() {
        let mut t = table();
        set(&mut t, "targets.revenue", &Value::Integer(5)).unwrap();
        assert_eq!(t["targets"]["revenue"], Value::Integer(5));
        set(&mut t, "segments.big_r.retention.mean", &Value::Float(0.55)).unwrap();
        assert_eq!(t["segments"][0]["retention"]["mean"], Value::Float(0.55));
        assert_eq!(t["segments"][0]["retention"]["sd"], Value::Float(0.05));
        set(
            &mut t,
            "segments.regular.retention.value",
            &Value::Float(0.4),
        )
        .unwrap();
        assert_eq!(t["segments"][1]["retention"], Value::Float(0.4));
        let dist: Value =
            toml::from_str::<Table>("d = { dist = \"fixed\", value = 7 }").unwrap()["d"].clone();
        set(&mut t, "acquisition.cost_per_registration", &dist).unwrap();
        assert_eq!(t["acquisition"]["cost_per_registration"], dist);
    }

    #[test]
    fn setting_a_share_rescales_the_others() {
        let mut t = table();
        set(&mut t, "segments.big_r.share_of_new", &Value::Float(0.5)).unwrap();
        assert_eq!(t["segments"][0]["share_of_new"], Value::Float(0.5));
        assert_eq!(t["segments"][1]["share_of_new"], Value::Float(0.5));
    }

    #[test]
    fn scaling_from_a_month_keeps_the_months_before() {
        let mut t = table();
        scale(&mut t, "marketing.budget", 2.0, Some(2)).unwrap();
        assert_eq!(
            t["marketing"]["budget"],
            Value::Array(vec![
                Value::Float(10.0),
                Value::Float(20.0),
                Value::Float(20.0)
            ])
        );
        scale(&mut t, "segments.regular.retention", 0.5, Some(3)).unwrap();
        let r = &t["segments"][1]["retention"];
        assert_eq!(r["dist"].as_str(), Some("fixed"));
        assert_eq!(
            r["profile"],
            Value::Array(vec![
                Value::Float(1.0),
                Value::Float(1.0),
                Value::Float(0.5)
            ])
        );
        assert_eq!(
            scale(&mut t, "segments.big_r.retention.mean", 0.5, Some(2)),
            Err(OverrideError::FromOnParameter(
                "segments.big_r.retention.mean".into()
            ))
        );
        assert_eq!(
            scale(&mut t, "marketing.budget", -1.0, None),
            Err(OverrideError::Multiplier)
        );
    }

    const TINY: &str = r#"
name = "tiny"
months = 2
[targets]
revenue = 1_000_000
profit = 0
[costs]
creator_share = 0.65
operations_rate = 0.05
staff = 0
infra = 0
[marketing]
budget = 60_000
[acquisition]
cost_per_registration = 6.0
first_charge_rate = 0.02
[[segments]]
name = "all"
start_payers = 1000
share_of_new = 1.0
retention = { dist = "beta", mean = 0.5, sd = 0.05 }
arpu = 800
[[stress]]
name = "dearer"
set = { "acquisition.cost_per_registration" = 7.5 }
"#;

    fn tiny() -> Loaded {
        crate::scenario::from_bytes("tiny.toml", TINY.as_bytes()).unwrap()
    }

    fn sets(pairs: &[(&str, Value)]) -> Vec<(String, Value)> {
        pairs
            .iter()
            .map(|(p, v)| (p.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn with_sets_edits_the_scenario_and_its_cases_keep_the_file() {
        let l = tiny();
        let edited = l
            .with_sets(&sets(&[
                ("segments.all.retention.mean", Value::Float(0.6)),
                ("targets.revenue", Value::Integer(2_000_000)),
            ]))
            .unwrap();
        assert_eq!(edited.scenario.targets.revenue, 2_000_000.0);
        assert_eq!(edited.scenario.segments[0].retention.dist.mean(), 0.6);
        // The case is applied on top of the edited scenario, not the file's.
        assert_eq!(edited.cases[0].targets.revenue, 2_000_000.0);
        assert_eq!(edited.cases[0].segments[0].retention.dist.mean(), 0.6);
        assert_eq!(edited.cases[0].cost_per_registration.dist.mean(), 7.5);
        assert_eq!((edited.file, edited.sha256), (l.file, l.sha256));
    }

    #[test]
    fn with_sets_validates_once_after_every_set() {
        let l = tiny();
        // min 0.5 alone would sit above the max 0.3 set just before it.
        let both = sets(&[
            (
                "segments.all.retention",
                toml::from_str::<Table>("v = { dist = \"uniform\", min = 0.2, max = 0.3 }")
                    .unwrap()["v"]
                    .clone(),
            ),
            ("segments.all.retention.min", Value::Float(0.5)),
            ("segments.all.retention.max", Value::Float(0.6)),
        ]);
        let edited = l.with_sets(&both).unwrap();
        assert!((edited.scenario.segments[0].retention.dist.mean() - 0.55).abs() < 1e-12);
    }

    #[test]
    fn with_sets_names_the_path_refused_or_the_one_breaking_a_rule() {
        let l = tiny();
        let err = l
            .with_sets(&sets(&[("segments.whales.arpu", Value::Float(1.0))]))
            .unwrap_err();
        assert_eq!(err.path, "segments.whales.arpu");
        assert!(
            matches!(err.error, OverrideError::NoSegment { .. }),
            "{err}"
        );
        let err = l
            .with_sets(&sets(&[
                ("targets.revenue", Value::Integer(5)),
                ("segments.all.retention.mean", Value::Float(1.5)),
            ]))
            .unwrap_err();
        assert_eq!(err.path, "segments.all.retention.mean");
        assert_eq!(err.value.as_deref(), Some("1.5"));
        assert!(
            err.to_string()
                .starts_with("segments.all.retention.mean = 1.5: makes segments[0].retention"),
            "{err}"
        );
    }

    #[test]
    fn refuses_unknown_paths_and_wrong_kinds() {
        let mut t = table();
        assert!(matches!(
            set(&mut t, "segments.whales.retention", &Value::Float(0.5)),
            Err(OverrideError::NoSegment { .. })
        ));
        assert_eq!(
            set(&mut t, "costs.bonus", &Value::Float(0.5)),
            Err(OverrideError::UnknownPath)
        );
        assert!(matches!(
            set(&mut t, "segments.big_r.retention.shape", &Value::Float(1.0)),
            Err(OverrideError::NotAParameter { .. })
        ));
        assert_eq!(
            set(&mut t, "targets.revenue", &Value::String("x".into())),
            Err(OverrideError::WrongKind("a number"))
        );
        assert!(matches!(
            set(&mut t, "segments.regular.retention.sd", &Value::Float(0.1)),
            Err(OverrideError::ParamOfFixed(_))
        ));
    }
}
