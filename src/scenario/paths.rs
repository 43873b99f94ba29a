//! Paths that name scenario fields (docs/scenario.md, "Paths"): resolving a
//! dotted path such as `segments.big_r.retention.mean` against a scenario's
//! TOML table, and reading or writing the field it names.

use toml::{Table, Value};

use super::InputKind;
use super::OverrideError;
use super::schema::{DIST_TABLE, ROOT, Shape};

/// The parameters a path may name inside an uncertain input: every key of
/// its table but `dist`, in the order the format lists them.
pub fn input_params() -> impl Iterator<Item = &'static str> {
    DIST_TABLE.iter().map(|f| f.key).filter(|k| *k != "dist")
}

/// What a path names, and so what kind of value it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// A single number.
    Number,
    /// A number or one number per month.
    Schedule,
    /// An uncertain input as a whole: a number or a distribution table.
    Input,
    /// One parameter of an uncertain input.
    Param,
    /// A segment's share of new payers (setting it rescales the others).
    Share,
}

/// A resolved path: where it points and what it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// What the path names.
    pub kind: PathKind,
    /// For an uncertain input or one of its parameters, what the input is.
    pub input: Option<InputKind>,
    /// Table keys from the root to the field (segments by index).
    pub(crate) steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Segment(usize),
}

impl Resolved {
    /// The last key: the field's own name.
    pub fn field(&self) -> &str {
        match self.steps.last() {
            Some(Step::Key(k)) => k,
            _ => "",
        }
    }

    /// For a parameter, the path of the input it belongs to.
    pub fn input(&self) -> Resolved {
        Resolved {
            kind: PathKind::Input,
            input: self.input,
            steps: self.steps[..self.steps.len() - 1].to_vec(),
        }
    }

    /// The segment the path is in, if any.
    pub fn segment(&self) -> Option<usize> {
        self.steps.iter().find_map(|s| match s {
            Step::Segment(i) => Some(*i),
            Step::Key(_) => None,
        })
    }
}

/// The names of the segments of a scenario table, in file order.
pub fn segment_names(table: &Table) -> Vec<&str> {
    table
        .get("segments")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.get("name").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default()
}

/// The list whose items a path names by their `name`.
const NAMED: &str = "segments";

/// Whether a field of this shape can be named by a path, and so
/// overridden, swept or solved for.
fn addressable(shape: &Shape) -> bool {
    matches!(
        shape,
        Shape::Number | Shape::Share | Shape::Schedule | Shape::Input(_)
    )
}

/// The paths a user can name, from the scenario's shape, for the message
/// when a path is unknown: `targets.revenue, ...,
/// segments.NAME.retention[.PARAM], ...`.
pub fn known_paths() -> String {
    let mut out = Vec::new();
    for section in ROOT {
        let (prefix, fields) = match &section.shape {
            Shape::Table(f) => (section.key.to_string(), *f),
            Shape::Tables(f) if section.key == NAMED => (format!("{}.NAME", section.key), *f),
            _ => continue,
        };
        for f in fields.iter().filter(|f| addressable(&f.shape)) {
            let param = if matches!(f.shape, Shape::Input(_)) {
                "[.PARAM]"
            } else {
                ""
            };
            out.push(format!("{prefix}.{}{param}", f.key));
        }
    }
    out.join(", ")
}

/// Resolves `path` against the scenario `table`, by the scenario's shape
/// ([`super::schema`]).
pub fn resolve(table: &Table, path: &str) -> Result<Resolved, OverrideError> {
    let parts: Vec<&str> = path.split('.').collect();
    let key = |k: &str| Step::Key(k.to_string());
    let (section, rest) = parts.split_first().ok_or(OverrideError::UnknownPath)?;
    let at = ROOT
        .iter()
        .find(|f| f.key == *section)
        .ok_or(OverrideError::UnknownPath)?;
    let (mut steps, fields, rest) =
        match (&at.shape, rest) {
            (Shape::Table(fields), rest) => (vec![key(section)], *fields, rest),
            (Shape::Tables(fields), [name, rest @ ..]) if *section == NAMED => {
                let names = segment_names(table);
                let s = names.iter().position(|n| n == name).ok_or_else(|| {
                    OverrideError::NoSegment {
                        name: name.to_string(),
                        names: names.iter().map(|n| n.to_string()).collect(),
                    }
                })?;
                (vec![key(section), Step::Segment(s)], *fields, rest)
            }
            _ => return Err(OverrideError::UnknownPath),
        };
    let (field, rest) = rest.split_first().ok_or(OverrideError::UnknownPath)?;
    let f = fields
        .iter()
        .find(|f| f.key == *field && addressable(&f.shape))
        .ok_or(OverrideError::UnknownPath)?;
    steps.push(key(field));
    let (kind, input) = match (&f.shape, rest) {
        (Shape::Number, []) => (PathKind::Number, None),
        (Shape::Share, []) => (PathKind::Share, None),
        (Shape::Schedule, []) => (PathKind::Schedule, None),
        (Shape::Input(k), []) => (PathKind::Input, Some(*k)),
        (Shape::Input(k), [p]) if input_params().any(|q| q == *p) => {
            steps.push(key(p));
            (PathKind::Param, Some(*k))
        }
        (Shape::Input(_), [p]) => {
            return Err(OverrideError::NotAParameter {
                name: p.to_string(),
            });
        }
        _ => return Err(OverrideError::UnknownPath),
    };
    Ok(Resolved { kind, input, steps })
}

/// The value at `r`, if the table has it.
pub fn get<'t>(table: &'t Table, r: &Resolved) -> Option<&'t Value> {
    let mut v: Option<&Value> = None;
    let mut t = Some(table);
    for step in &r.steps {
        v = match step {
            Step::Key(k) => t?.get(k),
            Step::Segment(i) => v?.as_array()?.get(*i),
        };
        t = v.and_then(Value::as_table);
    }
    v
}

/// The table that holds the field `r` names, and the field's key; tables on
/// the way are created where missing.
pub(crate) fn parent_mut<'t>(
    table: &'t mut Table,
    r: &Resolved,
) -> Result<(&'t mut Table, String), OverrideError> {
    let not_table = |k: &str| OverrideError::NotATable(k.to_string());
    let (last, init) = r.steps.split_last().ok_or(OverrideError::UnknownPath)?;
    let mut t = table;
    let mut i = 0;
    while i < init.len() {
        match (&init[i], init.get(i + 1)) {
            (Step::Key(k), Some(Step::Segment(s))) => {
                t = t
                    .get_mut(k)
                    .and_then(Value::as_array_mut)
                    .and_then(|a| a.get_mut(*s))
                    .and_then(Value::as_table_mut)
                    .ok_or_else(|| not_table(k))?;
                i += 2;
            }
            (Step::Key(k), _) => {
                t = t
                    .entry(k.clone())
                    .or_insert_with(|| Value::Table(Table::new()))
                    .as_table_mut()
                    .ok_or_else(|| not_table(k))?;
                i += 1;
            }
            (Step::Segment(_), _) => return Err(OverrideError::UnknownPath),
        }
    }
    match last {
        Step::Key(k) => Ok((t, k.clone())),
        Step::Segment(_) => Err(OverrideError::UnknownPath),
    }
}

/// The value as a number, if it is one.
pub fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}
