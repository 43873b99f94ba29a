//! Paths that name scenario fields (CONTRACT.md §4), and overrides by path.
//!
//! Overrides work on the TOML table the file was read into, before serde
//! and validation, so that an overridden scenario is checked by exactly the
//! same rules as a written one.

use toml::{Table, Value};

/// The parameters a path may name inside an uncertain input.
const NUMERIC_PARAMS: [&str; 11] = [
    "value", "min", "mode", "max", "mean", "sd", "p5", "p95", "alpha", "beta", "noise_cv",
];

/// The paths a user can name, for the message when a path is unknown.
pub const KNOWN_PATHS: &str = "targets.revenue, targets.profit, costs.creator_share, costs.operations_rate, \
costs.staff, costs.infra, marketing.budget, acquisition.cost_per_registration[.PARAM], \
acquisition.first_charge_rate[.PARAM], segments.NAME.retention[.PARAM], segments.NAME.arpu[.PARAM], \
segments.NAME.share_of_new, segments.NAME.start_payers";

/// What a path names, and so what kind of value it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
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
    pub kind: Kind,
    /// Table keys from the root to the field (segments by index).
    pub(crate) steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    Key(String),
    Segment(usize),
}

fn segment_index(table: &Table, name: &str) -> Result<usize, String> {
    let segments = table.get("segments").and_then(Value::as_array);
    let names: Vec<&str> = segments
        .map(|a| {
            a.iter()
                .filter_map(|s| s.get("name").and_then(Value::as_str))
                .collect()
        })
        .unwrap_or_default();
    names.iter().position(|n| *n == name).ok_or_else(|| {
        format!(
            "no segment is named {name:?} (segments: {})",
            names.join(", ")
        )
    })
}

/// Resolves `path` against the scenario `table`.
pub fn resolve(table: &Table, path: &str) -> Result<Resolved, String> {
    let parts: Vec<&str> = path.split('.').collect();
    let key = |k: &str| Step::Key(k.to_string());
    let unknown = || format!("is not a path kpisim knows; paths are {KNOWN_PATHS}");
    let input = |mut steps: Vec<Step>, rest: &[&str]| match rest {
        [] => Ok(Resolved {
            kind: Kind::Input,
            steps,
        }),
        [p] if NUMERIC_PARAMS.contains(p) || *p == "profile" || *p == "vary" => {
            steps.push(Step::Key(p.to_string()));
            Ok(Resolved {
                kind: Kind::Param,
                steps,
            })
        }
        [p] => Err(format!(
            "{p:?} is not a parameter of an uncertain input (parameters: {}, profile, vary)",
            NUMERIC_PARAMS.join(", ")
        )),
        _ => Err(unknown()),
    };
    match parts.as_slice() {
        ["targets", k @ ("revenue" | "profit")]
        | ["costs", k @ ("creator_share" | "operations_rate")] => Ok(Resolved {
            kind: Kind::Number,
            steps: vec![key(parts[0]), key(k)],
        }),
        ["costs", k @ ("staff" | "infra")] | ["marketing", k @ "budget"] => Ok(Resolved {
            kind: Kind::Schedule,
            steps: vec![key(parts[0]), key(k)],
        }),
        [
            "acquisition",
            k @ ("cost_per_registration" | "first_charge_rate"),
            rest @ ..,
        ] => input(vec![key("acquisition"), key(k)], rest),
        ["segments", name, field, rest @ ..] => {
            let s = segment_index(table, name)?;
            let steps = vec![key("segments"), Step::Segment(s), key(field)];
            match (*field, rest) {
                ("share_of_new", []) => Ok(Resolved {
                    kind: Kind::Share,
                    steps,
                }),
                ("start_payers", []) => Ok(Resolved {
                    kind: Kind::Number,
                    steps,
                }),
                ("retention" | "arpu", rest) => input(steps, rest),
                _ => Err(unknown()),
            }
        }
        _ => Err(unknown()),
    }
}

fn is_number(v: &Value) -> bool {
    matches!(v, Value::Integer(_) | Value::Float(_))
}

/// The value as a number, if it is one.
pub fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Checks that `value` is of the kind `r` takes.
fn check_kind(r: &Resolved, value: &Value) -> Result<(), String> {
    let param = match r.steps.last() {
        Some(Step::Key(k)) => k.as_str(),
        _ => "",
    };
    let ok = match r.kind {
        Kind::Number | Kind::Share => is_number(value),
        Kind::Schedule => {
            is_number(value) || value.as_array().is_some_and(|a| a.iter().all(is_number))
        }
        Kind::Input => is_number(value) || value.is_table(),
        Kind::Param if param == "profile" => {
            value.as_array().is_some_and(|a| a.iter().all(is_number))
        }
        Kind::Param if param == "vary" => value.is_str(),
        Kind::Param => is_number(value),
    };
    if ok {
        return Ok(());
    }
    Err(match r.kind {
        Kind::Number | Kind::Share => "takes a number".into(),
        Kind::Schedule => "takes a number or a list of one number per month".into(),
        Kind::Input => "takes a number or a distribution table such as { dist = \"beta\", mean = 0.5, sd = 0.05 }".into(),
        Kind::Param if param == "profile" => "takes a list of multipliers".into(),
        Kind::Param if param == "vary" => "takes \"trial\" or \"month\"".into(),
        Kind::Param => "takes a number".into(),
    })
}

/// The table that holds the field `r` names, and the field's key.
fn parent_mut<'t>(table: &'t mut Table, r: &Resolved) -> Result<(&'t mut Table, String), String> {
    let not_table =
        |k: &str| format!("cannot set inside `{k}`: it is not a table in this scenario");
    let (last, init) = r.steps.split_last().ok_or("empty path")?;
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
            (Step::Segment(_), _) => return Err("a segment index must follow `segments`".into()),
        }
    }
    match last {
        Step::Key(k) => Ok((t, k.clone())),
        Step::Segment(_) => Err("a path must end in a field".into()),
    }
}

/// Sets the field at `path` to `value` (CONTRACT.md §4, `[[stress]] set`):
/// a number, a schedule, a distribution table replacing the whole input, or
/// one parameter (the others kept). Setting one segment's `share_of_new`
/// rescales the others in proportion so that they still sum to 1.
pub fn set(table: &mut Table, path: &str, value: &Value) -> Result<(), String> {
    let r = resolve(table, path)?;
    check_kind(&r, value)?;
    if r.kind == Kind::Share {
        return set_share(table, &r, as_number(value).unwrap_or(f64::NAN));
    }
    if r.kind == Kind::Param {
        // A parameter of an input written as a bare number: only `value`.
        let input = Resolved {
            kind: Kind::Input,
            steps: r.steps[..r.steps.len() - 1].to_vec(),
        };
        let (holder, key) = parent_mut(table, &input)?;
        if let Some(Value::Integer(_) | Value::Float(_)) = holder.get(&key) {
            let param = path.rsplit('.').next().unwrap_or_default();
            if param != "value" {
                return Err(format!(
                    "names `{param}` of an input written as a fixed number: set the whole input instead"
                ));
            }
            holder.insert(key, value.clone());
            return Ok(());
        }
    }
    let (holder, key) = parent_mut(table, &r)?;
    holder.insert(key, value.clone());
    Ok(())
}

fn set_share(table: &mut Table, r: &Resolved, v: f64) -> Result<(), String> {
    let Some(Step::Segment(target)) = r.steps.get(1) else {
        return Err("a share path names a segment".into());
    };
    let segments = table
        .get_mut("segments")
        .and_then(Value::as_array_mut)
        .ok_or("the scenario has no [[segments]]")?;
    let share = |s: &Value| s.get("share_of_new").and_then(as_number).unwrap_or(0.0);
    let others: f64 = segments
        .iter()
        .enumerate()
        .filter(|(i, _)| i != target)
        .map(|(_, s)| share(s))
        .sum();
    let scale = if others > 0.0 {
        (1.0 - v) / others
    } else if segments.len() > 1 && v != 1.0 {
        return Err("cannot rescale the other segments' shares: they are all 0".into());
    } else {
        0.0
    };
    for (i, s) in segments.iter_mut().enumerate() {
        let new = if i == *target { v } else { share(s) * scale };
        if let Some(t) = s.as_table_mut() {
            t.insert("share_of_new".into(), Value::Float(new));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        toml::from_str(
            r#"
            [targets]
            revenue = 1
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
    fn refuses_unknown_paths_and_wrong_kinds() {
        let mut t = table();
        assert!(
            set(&mut t, "segments.whales.retention", &Value::Float(0.5))
                .unwrap_err()
                .contains("no segment")
        );
        assert!(
            set(&mut t, "costs.bonus", &Value::Float(0.5))
                .unwrap_err()
                .contains("not a path")
        );
        assert!(
            set(&mut t, "segments.big_r.retention.shape", &Value::Float(1.0))
                .unwrap_err()
                .contains("not a parameter")
        );
        assert!(
            set(&mut t, "targets.revenue", &Value::String("x".into()))
                .unwrap_err()
                .contains("takes a number")
        );
        assert!(
            set(&mut t, "segments.regular.retention.sd", &Value::Float(0.1))
                .unwrap_err()
                .contains("fixed number")
        );
    }
}
