//! A scenario table written back as TOML in the order the format describes
//! it (docs/scenario.md): the name, horizon and start, then `[targets]`,
//! `[costs]`, `[marketing]`, `[acquisition]`, each `[[segments]]`,
//! `[[shocks]]`, `[[stress]]` and `[[correlations]]`, with every uncertain
//! input on one line as an inline table. `toml`'s own serialiser sorts keys
//! alphabetically and splits inputs into sub-tables, which reads poorly.

use std::fmt::Write;

use toml::{Table, Value};

/// Keys in the order a reader expects them; others follow alphabetically.
const ORDER: [&str; 22] = [
    "name",
    "months",
    "start",
    "targets",
    "costs",
    "marketing",
    "acquisition",
    "segments",
    "shocks",
    "stress",
    "correlations",
    "revenue",
    "profit",
    "creator_share",
    "operations_rate",
    "staff",
    "infra",
    "budget",
    "cost_per_registration",
    "first_charge_rate",
    "start_payers",
    "share_of_new",
];

/// Where `key` sorts: its place in [`ORDER`], then alphabetically. A
/// segment's `retention` and `arpu` come after its other keys.
fn rank(key: &str) -> (usize, &str) {
    let late = match key {
        "retention" => ORDER.len() + 1,
        "arpu" => ORDER.len() + 2,
        _ => ORDER.len(),
    };
    (ORDER.iter().position(|k| *k == key).unwrap_or(late), key)
}

fn ordered(t: &Table) -> Vec<(&String, &Value)> {
    let mut v: Vec<_> = t.iter().collect();
    v.sort_by(|a, b| rank(a.0).cmp(&rank(b.0)));
    v
}

/// A key, quoted when it is not bare (`"segments.big_r.retention"`).
fn key(k: &str) -> String {
    let bare = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        k.to_string()
    } else {
        Value::String(k.to_string()).to_string()
    }
}

fn is_table_array(v: &Value) -> bool {
    matches!(v, Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_table))
}

fn lines(out: &mut String, t: &Table) {
    for (k, v) in ordered(t) {
        let _ = writeln!(out, "{} = {v}", key(k));
    }
}

/// `table` as TOML text in the format's order.
pub fn to_toml(table: &Table) -> String {
    let mut out = String::new();
    let fields = ordered(table);
    for (k, v) in &fields {
        if !v.is_table() && !is_table_array(v) {
            let _ = writeln!(out, "{} = {v}", key(k));
        }
    }
    for (k, v) in &fields {
        if let Value::Table(t) = v {
            let _ = writeln!(out, "\n[{}]", key(k));
            lines(&mut out, t);
        }
    }
    for (k, v) in &fields {
        if let Value::Array(items) = v
            && is_table_array(v)
        {
            for item in items {
                let _ = writeln!(out, "\n[[{}]]", key(k));
                if let Value::Table(t) = item {
                    lines(&mut out, t);
                }
            }
        }
    }
    out
}
